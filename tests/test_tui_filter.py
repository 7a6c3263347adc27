"""Lists filter as one types (issue 15): fzf-like matching, ranked and marked, Japanese included."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual.widgets import Input, OptionList

from tests.conftest import REAL_DATA
from tests.test_tui import settle
from tests.tui_support import run_async, wait_for_workers
from tui.app.app import FaqApp, make_app
from tui.app.fuzzy import FuzzyQuery, fitted, fold, highlighted, rank
from tui.app.widgets.glossary_browser import GlossaryBrowser
from tui.app.widgets.tag_browser import TagBrowser

SIZE = (100, 30)


def _marked(text: Text) -> str:
    """The characters of ``text`` that carry the match style, in order."""
    return "".join(text.plain[s.start:s.end] for s in text.spans if "underline" in str(s.style))


# -- matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed,line,positions", [
    ("lm", "Live Migration", (0, 5)),
    ("csv", "Cluster Shared Volumes (CSV)", (24, 25, 26)),  # together beats spread out
    ("ＴＣＰ", "Is TCP Chimney offload supported?", (3, 4, 5)),  # full width is the same letter
    ("ばっくあっぷ", "バックアップできますか", (0, 1, 2, 3, 4, 5)),  # hiragana finds katakana
    ("らいぶまい", "ライブ マイグレーション", (0, 1, 2, 4, 5)),
    ("live mig", "Live Migration", (0, 1, 2, 3, 5, 6, 7)),  # spaces typed are not needed
])
def test_the_typed_characters_are_found_in_order_and_where(typed: str, line: str, positions: tuple[int, ...]) -> None:
    found = FuzzyQuery(typed).match(line)
    assert found is not None and found.positions == positions


@pytest.mark.parametrize("typed,line", [("ml", "Live Migration"), ("csvx", "CSV"), ("ぶら", "ライブ")])
def test_characters_out_of_order_or_missing_do_not_match(typed: str, line: str) -> None:
    assert FuzzyQuery(typed).match(line) is None


def test_folding_keeps_one_character_per_character() -> None:
    for text in ("ＣＳＶ ライブ", "㎏ and ß", "ｶﾞｲﾄﾞ", "Hyper-V"):
        assert len(fold(text)) == len(text)


def test_ranking_puts_tight_and_word_start_matches_first_and_keeps_ties_in_order() -> None:
    lines = ["calm water", "a live migration", "Live Migration", "lime", "nothing here"]
    order = [text for _item, text, _m in rank(lines, "lm", key=lambda s: (s,))]
    assert order[0] == "Live Migration" and "nothing here" not in order
    assert order.index("a live migration") < order.index("calm water")  # word starts beat mid-word
    same = [text for _item, text, _m in rank(["b x a", "b y a"], "ba", key=lambda s: (s,))]
    assert same == ["b x a", "b y a"]


def test_a_highlighted_japanese_line_is_cut_to_the_width_in_cells() -> None:
    line = highlighted("ライブ マイグレーションで仮想マシンを移動するには", (0, 1, 2), mark="bold underline")
    console = Console(width=21, color_system=None, legacy_windows=False)
    [rendered] = console.render_lines(line, console.options, pad=False)
    cells = sum(seg.cell_length for seg in rendered)
    assert cells <= 21 and "".join(seg.text for seg in rendered).rstrip().endswith("…")
    assert _marked(line) == "ライブ"


@pytest.mark.parametrize("typed,line,width,marked", [
    ("proc", "Can live migration move a virtual machine to a physical computer with a different processor?",
     40, "proc"),
    ("らいぶ", "プロセッサの異なる物理コンピューターへ、ライブ マイグレーションで仮想マシンを移動できますか。", 30, "ライブ"),
    ("ぷろ", "プロセッサの異なる物理コンピューターへ、ライブ マイグレーションで仮想マシンを移動できますか。", 31, "プロ"),
])
def test_a_long_line_is_cut_to_its_width_in_cells_keeping_the_match_in_view(typed, line, width, marked) -> None:
    found = FuzzyQuery(typed).match(line)
    assert found is not None
    shown = fitted(line, found.positions, width)
    assert shown.cell_len == width and "…" in shown.plain  # wide characters counted as two cells
    assert _marked(shown) == marked  # every matched character is on screen, marked


# -- the app -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("filter-index")


def _app(index_cache: Path, tmp_path: Path, **kwargs: object) -> FaqApp:
    options: dict = {"kb_root": REAL_DATA, "cache_dir": index_cache, "data_home": tmp_path / "home",
                     "cursor_blink": False}
    options.update(kwargs)
    return make_app(**options)


async def _matched(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the filter's worker find the matches and the tree show them."""
    await pilot.pause()
    await wait_for_workers(pilot.app)
    await pilot.pause()


def _leaves(tree: TagBrowser) -> list[tuple[str, str]]:
    return [(node.data[1], str(node.label)) for node in tree.root.children if node.data and node.data[0] == "entry"]


@run_async
async def test_typing_on_the_browse_tree_filters_it_best_first_with_the_matches_marked(
        index_cache: Path, tmp_path: Path) -> None:
    app = _app(index_cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.main.query_one(TagBrowser)
        branches = len(tree.root.children)
        await pilot.press("escape", "3", "ば", "っ", "く")
        await _matched(pilot)
        box = app.main.query_one("#browse-filter", Input)
        assert app.focused is box and box.value == "ばっく"
        leaves = _leaves(tree)
        assert leaves and leaves[0][0] == "backup-during-migration"
        assert all(FuzzyQuery("ばっく").match(label) for _id, label in leaves)
        first = tree.root.children[0].label
        assert isinstance(first, Text) and _marked(first) == "バック"
        # Esc backs out to the list with the filter kept; j/k move, Enter opens.
        await pilot.press("escape")
        assert app.focused is tree and box.value == "ばっく"
        await pilot.press("escape")
        assert app.focused is tree  # never back to the question box
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.entry_view.entry_id == "backup-during-migration"
        # Emptied, the filter gives the branches back.
        box.value = ""
        await pilot.pause()
        assert len(tree.root.children) == branches and not _leaves(tree)


@run_async
async def test_the_browse_filter_keeps_j_k_g_g_for_moving(index_cache: Path, tmp_path: Path) -> None:
    app = _app(index_cache, tmp_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.main.query_one(TagBrowser)
        await pilot.press("escape", "3", "l", "i", "v", "e", "enter")
        await _matched(pilot)
        assert app.focused is tree and tree.filter_text == "live"
        shown = len(_leaves(tree))
        assert shown > 3 and _leaves(tree)[0][0] == "what-is-live-migration"  # the shortest, tightest
        await pilot.press("j", "j")
        assert tree.cursor_line == 2
        await pilot.press("G")
        assert tree.cursor_line == tree.last_line == shown - 1
        await pilot.press("g")
        assert tree.cursor_line == 0
        assert app.main.query_one("#browse-filter", Input).value == "live"  # j/k/g/G were not typed


@run_async
async def test_nothing_matching_says_so(index_cache: Path, tmp_path: Path) -> None:
    app = _app(index_cache, tmp_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.main.query_one(TagBrowser)
        await pilot.press("escape", "3", "z", "q", "x")
        await _matched(pilot)
        assert not _leaves(tree) and "No question matches" in str(tree.root.children[0].label)


@run_async
async def test_the_glossary_filter_marks_the_matched_characters_in_japanese_too(
        index_cache: Path, tmp_path: Path) -> None:
    app = _app(index_cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        glossary = app.main.query_one(GlossaryBrowser)
        await pilot.press("escape", "4", "は", "ー", "と")
        await pilot.pause()
        assert glossary.listed_terms[0] == "heartbeat"
        terms = app.main.query_one("#glossary-terms", OptionList)
        prompt = terms.get_option_at_index(0).prompt
        assert isinstance(prompt, Text) and _marked(prompt) == "ハート"
        # A match on another spelling shows that spelling, marked, after the name.
        box = app.main.query_one("#glossary-filter", Input)
        box.value = "wsfc"
        await pilot.pause()
        assert glossary.listed_terms[0] == "failover-cluster"
        prompt = terms.get_option_at_index(0).prompt
        assert isinstance(prompt, Text) and "WSFC" in prompt.plain and _marked(prompt) == "WSFC"
        await pilot.press("escape")
        assert app.focused is terms and box.value == "wsfc"


@run_async
async def test_a_big_tag_opens_a_batch_at_a_time_and_its_last_line_adds_the_next(
        index_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.app.widgets import tag_browser

    monkeypatch.setattr(tag_browser, "BATCH", 2)  # the real content's tags hold a few entries each
    app = _app(index_cache, tmp_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        kb = app.state.content
        assert kb is not None
        tree = app.main.query_one(TagBrowser)
        branch = next(n for n in tree.root.children if n.data and n.data[0] == "tag"
                      and sum(n.data[1] in e.tags for e in kb.entries.values()) > 4)
        expected = [e.id for e in kb.entries.values() if branch.data[1] in e.tags]
        await pilot.press("escape", "3")
        tree.move_cursor(branch)
        await pilot.press("space")
        await pilot.pause()
        kinds = [c.data[0] for c in branch.children]
        assert kinds == ["entry", "entry", "more"] and f"{len(expected) - 2} more" in str(branch.children[-1].label)
        while branch.children[-1].data[0] == "more":
            tree.move_cursor(branch.children[-1])
            await pilot.press("enter")
            await pilot.pause()
            assert tree.cursor_node is not None and tree.cursor_node.data[0] == "entry"  # the first one added
        assert [c.data[1] for c in branch.children] == expected  # each once, in content order


@run_async
async def test_the_footer_does_not_offer_q_to_quit_where_q_types_into_the_filter(
        index_cache: Path, tmp_path: Path) -> None:
    app = _app(index_cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "3")
        tree = app.main.query_one(TagBrowser)
        assert app.focused is tree
        keys = set(app.screen.active_bindings)
        assert "q" not in keys  # q goes to the filter here, so the footer must not say it quits
        assert "ctrl+q" in keys and "j" in keys  # quitting and the list's own keys are still there
        await pilot.press("4")
        await pilot.pause()
        terms = app.main.query_one(GlossaryBrowser).query_one(OptionList)
        terms.focus()
        await pilot.pause()
        assert "q" not in set(app.screen.active_bindings)
        await pilot.press("escape", "2")  # the entry tab: q quits there, and says so
        await pilot.pause()
        assert app.focused is not tree and "q" in set(app.screen.active_bindings)
