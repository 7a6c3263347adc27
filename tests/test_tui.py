"""The app driven as a person would: keys and clicks in, widget state asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Markdown, OptionList, Static

from tests.conftest import REAL_DATA
from tests.tui_support import run_async, wait_for_workers
from tui.app.app import FaqApp, make_app
from tui.app.screens.help import HelpScreen
from tui.app.screens.problems import ProblemsScreen
from tui.app.screens.term import TermScreen
from tui.app.widgets.check_panel import CheckPanel
from tui.app.widgets.cluster_report import ClusterReport, FindingsList
from tui.app.widgets.question_input import MAX_QUESTION_CHARS
from tui.app.widgets.results_list import GLOSSARY_OPTION
from tui.app.widgets.tag_browser import TagBrowser

SIZE = (100, 30)


@pytest.fixture(scope="module")
def index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index cache for the module: the tests are about the app, not index building."""
    return tmp_path_factory.mktemp("tui-index")


@pytest.fixture
def app_for(index_cache: Path, tmp_path: Path):
    """make_app with the real content, an isolated cache and data home, no cursor blink."""

    def build(**kwargs: object) -> FaqApp:
        options: dict = {"kb_root": REAL_DATA, "cache_dir": index_cache,
                         "data_home": tmp_path / "home", "cursor_blink": False}
        options.update(kwargs)
        return make_app(**options)

    return build


async def settle(pilot: Pilot, ready: bool = True) -> None:
    """Wait until loading, typing pauses and searches are over."""
    app = pilot.app
    assert isinstance(app, FaqApp)
    for _ in range(200):
        await pilot.pause(0.02)
        await wait_for_workers(app)
        loaded = app.state.content is not None and (app.state.engine is not None or not ready or not app.state.content.entries)
        if loaded and not app.main.searching:
            break
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def plain(widget: Static) -> str:
    content = widget.render()
    return content.plain if hasattr(content, "plain") else str(content)


# -- Ask -----------------------------------------------------------------------------------------


@run_async
async def test_typing_a_question_lists_the_right_entry_first_and_enter_opens_it(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is app.main.question  # the question box has the focus from the start
        await type_text(pilot, "CSV は必要")
        await settle(pilot)
        ids = app.main.results.entry_ids
        assert ids[0] == "csv-required"
        first = app.main.results.get_option_at_index(0).prompt
        assert isinstance(first, Text) and float(first.plain.split()[0]) >= 0.5  # a confident answer's confidence shown
        # The query's words are marked in the title.
        marked = [first.plain[s.start:s.end] for s in first.spans if "reverse" in str(s.style)]
        assert "CSV" in marked
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.tabs.active == "entry"
        assert app.main.entry_view.entry_id == "csv-required"
        body = app.main.query_one("#entry-body", Markdown)
        assert "CSV) がなくても実行できます" in body.source


@run_async
async def test_enter_while_typing_opens_the_best_answer_once_it_arrives(app_for) -> None:
    app = app_for(debounce=0.5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "how many live migrations can run at once")
        await pilot.press("enter")  # long before the debounce would have fired
        await settle(pilot)
        assert app.main.entry_view.entry_id == "concurrent-migrations"


@run_async
async def test_results_follow_the_latest_text_only(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "tcp chimney")
        await pilot.pause(0.01)
        app.main.question.value = ""
        await type_text(pilot, "CSV drive letter")
        await settle(pilot)
        assert app.main.results.entry_ids[0] == "csv-drive-letter"
        assert "tcp-chimney" != app.main.results.entry_ids[0]


@run_async
async def test_no_confident_answer_says_so_and_offers_candidates_and_the_glossary(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "ドライブ 料金")
        await settle(pilot)
        results = app.main.results
        prompts = [str(getattr(o.prompt, "plain", o.prompt)) for o in results.options]
        assert prompts[0] == "確信をもって答えられる項目が見つかりませんでした。"
        assert prompts[1].startswith("近い項目")
        assert results.entry_ids  # the closest entries are offered all the same
        ids = [o.id for o in results.options]
        assert GLOSSARY_OPTION in ids
        results.focus()
        results.highlighted = ids.index(GLOSSARY_OPTION)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.tabs.active == "glossary"


@run_async
async def test_clearing_the_question_goes_back_to_the_welcome(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "CSV")
        await pilot.press("backspace", "backspace", "backspace")
        await settle(pilot)
        assert not app.main.searching
        assert not app.main.results.display
        assert "質問を入力すると" in plain(app.main.query_one("#ask-status", Static))


@run_async
async def test_deep_link_ask_shows_results_without_typing(app_for) -> None:
    app = app_for(ask="CSV は必要ですか")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.question.value == "CSV は必要ですか"
        assert app.main.results.entry_ids[0] == "csv-required"


# -- Read and navigate ---------------------------------------------------------------------------


@run_async
async def test_related_link_navigates_and_back_and_forward_return(app_for) -> None:
    app = app_for(show="csv-required")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.entry_view.entry_id == "csv-required"
        related = app.main.query_one("#entry-related", OptionList)
        assert [o.id for o in related.options] == ["csv-drive-letter", "requirements", "backup-during-migration"]
        related.focus()
        related.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.entry_view.entry_id == "requirements"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.main.entry_view.entry_id == "csv-required"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.main.entry_view.entry_id == "requirements"
        assert app.state.history.places() == ("csv-required", "requirements")


@run_async
async def test_glossary_term_in_an_entry_opens_its_definition(app_for) -> None:
    app = app_for(show="csv-required")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        terms = app.main.query_one("#entry-terms", OptionList)
        ids = [o.id for o in terms.options]
        assert "csv" in ids
        terms.focus()
        terms.highlighted = ids.index("csv")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TermScreen) and app.screen.term.id == "csv"
        text = plain(app.screen.query_one("#term-text", Static))
        assert "Cluster Shared Volumes" in text or "共有ボリューム" in text
        await pilot.press("escape")
        assert app.screen is app.main


@run_async
async def test_unknown_deep_link_entry_is_reported_not_raised(app_for) -> None:
    app = app_for(show="no-such-entry")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.entry_view.entry_id is None
        assert any("no-such-entry" in n.message for n in app._notifications)


@run_async
async def test_browse_lists_entries_by_tag(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "3")  # leave the question box, third tab
        assert app.main.tabs.active == "browse"
        tree = app.main.query_one(TagBrowser)
        csv = next(n for n in tree.root.children if n.data == ("tag", "csv"))
        csv.expand()
        await pilot.pause()
        leaves = [n.data[1] for n in csv.children if n.data]
        assert set(leaves) == {"csv-required", "csv-drive-letter", "backup-during-migration"} & set(leaves)
        assert "csv-required" in leaves
        tree.select_node(next(n for n in csv.children if n.data == ("entry", "csv-required")))
        await settle(pilot)
        assert app.main.entry_view.entry_id == "csv-required"


@run_async
async def test_command_palette_finds_an_entry_by_its_english_name(app_for) -> None:
    app = app_for(lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "TCP Chimney")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.entry_view.entry_id == "tcp-chimney"


# -- Compute -------------------------------------------------------------------------------------


@run_async
async def test_concurrency_panel_prefills_from_the_question_and_recomputes(app_for) -> None:
    app = app_for(ask="6 ノードのクラスターで同時に何台ライブ マイグレーションできますか")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.entry_view.entry_id == "concurrent-migrations"
        panel = app.main.query_one("#check-max-concurrent-migrations", CheckPanel)
        nodes = panel.query_one("#max-concurrent-migrations-nodes", Input)
        assert nodes.value == "6"
        assert panel.result is not None and panel.result.value == 3
        nodes.focus()
        nodes.value = ""
        await type_text(pilot, "9")
        await pilot.pause()
        assert panel.result is not None and panel.result.value == 4
        assert "最大 4 個" in plain(panel.query_one("#max-concurrent-migrations-result", Static))
        # A bad value: marked at the field with the reason, no stale figure shown.
        nodes.value = ""
        await type_text(pilot, "abc")
        await pilot.pause()
        assert nodes.has_class("-invalid")
        reason = plain(panel.query_one("#max-concurrent-migrations-nodes-error", Static))
        assert "abc" in reason
        assert panel.result is None
        assert "4 個" not in plain(panel.query_one("#max-concurrent-migrations-result", Static))
        await type_text(pilot, "\b")  # nothing: still invalid until fixed
        nodes.value = "2"
        await pilot.pause()
        assert not nodes.has_class("-invalid") and panel.result is not None and panel.result.value == 1


@run_async
async def test_migration_time_panel_changes_with_the_link_and_rejects_out_of_range(app_for) -> None:
    app = app_for(show="migration-duration", ask="16GB の VM を 10Gbps で移行すると")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.main.query_one("#check-migration-time", CheckPanel)
        assert panel.values()["memory"] == "16GB" and panel.values()["link"] == "10Gbps"
        assert panel.result is not None
        fast = panel.result.value
        link = panel.query_one("#migration-time-link", Input)
        link.value = "1Gbps"
        await pilot.pause()
        # 16,000 MB at light load: 10 Gbps is capped at 600 MB/s, 3 + 26.67 + 0.44 = 30.1 s;
        # 1 Gbps moves 118.75 MB/s, 3 + 134.7 + 11.3 + 0.96 + 0.08 = 150.1 s: about 5 times.
        assert panel.result is not None and panel.result.value > fast * 4.9
        link.value = "500Gbps"  # parses, but beyond what the calculator covers
        await pilot.pause()
        assert link.has_class("-invalid") and panel.result is None
        memory = panel.query_one("#migration-time-memory", Input)
        memory.value = "lots"
        await pilot.pause()
        assert memory.has_class("-invalid")


# -- Validate a cluster --------------------------------------------------------------------------


@run_async
async def test_cluster_report_groups_findings_and_jumps_to_the_entry(app_for) -> None:
    app = app_for(cluster_file=REAL_DATA / "examples" / "cluster-broken.toml")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.tabs.active == "cluster"
        view = app.main.query_one(ClusterReport)
        report = view.report
        assert report is not None and report.summary()["errors"] > 0
        findings = app.main.query_one(FindingsList)
        headings = [o.prompt.plain for o in findings.options if o.disabled]
        assert headings[0].startswith("エラー (")
        assert [h.split(" ")[0] for h in headings] == [
            h for h in ("エラー", "警告", "情報") if any(h == x.split(" ")[0] for x in headings)]
        first_error = next(f for f in report.findings if f.severity == "error")
        findings.focus()
        await pilot.press("enter")  # the highlight starts on the first finding
        await settle(pilot)
        assert app.main.tabs.active == "entry"
        assert app.main.entry_view.entry_id == first_error.entry


@run_async
async def test_invalid_cluster_file_shows_the_reason(app_for, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[cluster]\nname = "x"\n[[nodes]]\nname = 3\n', encoding="utf-8")
    app = app_for(lang="en", cluster_file=bad)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        summary = plain(app.main.query_one("#cluster-summary", Static))
        assert "cannot be used" in summary and "bad.toml" in summary
        assert not app.main.query_one(FindingsList).display


@run_async
async def test_open_a_cluster_file_from_the_dialog(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "o")
        await pilot.pause()
        path_box = app.screen.query_one("#cluster-path", Input)
        path_box.value = str(REAL_DATA / "examples" / "cluster.toml")
        path_box.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main and app.main.tabs.active == "cluster"
        assert app.main.query_one(ClusterReport).report is not None


# -- Language --------------------------------------------------------------------------------------


@run_async
async def test_language_toggle_changes_labels_and_content(app_for) -> None:
    app = app_for(show="csv-required", lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = app.main.query_one("#entry-title", Static)
        assert "必要ですか" in plain(title)
        assert app.main.tabs.get_tab("ask").label.plain == "質問"
        await pilot.press("f2")
        await settle(pilot)
        assert app.lang == "en"
        assert app.main.tabs.get_tab("ask").label.plain == "Ask"
        assert "Do I need Cluster Shared Volumes" in plain(app.main.query_one("#entry-title", Static))
        assert "Live migration works without" in app.main.query_one("#entry-body", Markdown).source
        descriptions = {b.binding.description for b in app.main.active_bindings.values()}
        assert "Quit" in descriptions and "終了" not in descriptions
        await pilot.press("f2")
        await settle(pilot)
        assert app.main.tabs.get_tab("ask").label.plain == "質問"


@run_async
async def test_language_toggle_keeps_calculator_values(app_for) -> None:
    app = app_for(show="concurrent-migrations")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.query_one("#max-concurrent-migrations-nodes", Input).value = "12"
        await pilot.pause()
        await pilot.press("f2")
        await settle(pilot)
        panel = app.main.query_one(CheckPanel)
        assert panel.values()["nodes"] == "12"
        assert "at most 6" in plain(panel.query_one("#max-concurrent-migrations-result", Static))


@pytest.mark.parametrize("lang", ["ja", "en"])
@run_async
async def test_every_footer_key_fits_in_80_columns(app_for, lang: str) -> None:
    from textual.widgets import Footer

    app = app_for(lang=lang, show="csv-required")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for entry in ("requirements", "tcp-chimney"):
            await app.main.open_entry(entry)
        await pilot.press("left_square_bracket")  # now both back and forward can act
        await settle(pilot)
        footer = app.main.query_one(Footer)
        keys = [k for k in footer.children if k.region.width]
        assert len(keys) >= 8  # ask, back/forward, bookmark, cluster, quit, help, language...
        assert max(k.region.right for k in keys) <= 80


# -- Bookmarks -----------------------------------------------------------------------------------


@run_async
async def test_bookmarks_survive_a_restart(app_for, tmp_path: Path) -> None:
    home = tmp_path / "bm-home"
    first = app_for(show="tcp-chimney", data_home=home)
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert first.state.bookmarks == ["tcp-chimney"]
    saved = json.loads((home / "bookmarks.json").read_text(encoding="utf-8"))
    assert saved["bookmarks"] == ["tcp-chimney"]

    second = app_for(data_home=home)
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert second.state.bookmarks == ["tcp-chimney"]
        tree = second.main.query_one(TagBrowser)
        marks = tree.root.children[0]
        assert [n.data for n in marks.children] == [("entry", "tcp-chimney")]
        # b again removes it, and that is saved too.
        await second.main.open_entry("tcp-chimney")
        await pilot.press("b")
        await pilot.pause()
    assert json.loads((home / "bookmarks.json").read_text(encoding="utf-8"))["bookmarks"] == []


@run_async
async def test_corrupt_bookmarks_are_reported_and_kept_aside(app_for, tmp_path: Path) -> None:
    home = tmp_path / "bad-home"
    home.mkdir()
    (home / "bookmarks.json").write_text("{not json", encoding="utf-8")
    app = app_for(show="tcp-chimney", data_home=home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.state.bookmarks == []
        assert any("bookmarks" in n.message or "ブックマーク" in n.message for n in app._notifications)
        await pilot.press("b")
        await pilot.pause()
    assert (home / "bookmarks.json.corrupt").read_text(encoding="utf-8") == "{not json"
    assert json.loads((home / "bookmarks.json").read_text(encoding="utf-8"))["bookmarks"] == ["tcp-chimney"]


# -- Keys, bad input, broken data ----------------------------------------------------------------


@run_async
async def test_q_is_a_character_in_the_question_box_and_quits_elsewhere(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert app.main.question.value == "q" and app.is_running
        await pilot.press("escape")  # focus stays in the box; move it away
        app.main.results.focus()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_ctrl_c_quits_from_a_dialog(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_help_lists_every_key_binding(app_for) -> None:
    app = app_for(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict((what, keys) for keys, what in app.screen.rows)
        assert rows["Quit"] == "Ctrl+Q q"
        assert rows["Copy the selected text (nothing selected: quit); Ctrl+Q quits"] == "Ctrl+C"
        assert rows["Back to the previous entry"] == "[ Alt+Left"
        assert rows["Switch the language (日本語 / English)"] == "F2 Ctrl+T"
        for expected in ("Forward", "Bookmark", "Open a cluster file", "Help", "Find", "Open the best answer"):
            assert any(what.startswith(expected) for what in rows), expected
        await pilot.press("escape")
        assert app.screen is app.main


@run_async
async def test_pasted_huge_text_with_escapes_is_tidied_and_capped(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = app.main.question
        box.post_message(events.Paste("CSV\x1b[31m は\n必要\x07" + "あ" * 100_000))
        await settle(pilot)
        assert len(box.value) == MAX_QUESTION_CHARS
        assert box.value.startswith("CSV [31m は 必要 ")
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in box.value)
        assert app.is_running


@run_async
async def test_partly_broken_content_opens_and_lists_problems(app_for, small_kb: Path) -> None:
    app = app_for(kb_root=small_kb, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.state.content is not None and app.state.content.entries and app.state.content.problems
        assert any("problem" in n.message for n in app._notifications)
        await pilot.press("escape", "f8")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        listed = app.screen.query_one("#problems-list", OptionList)
        text = "\n".join(str(getattr(o.prompt, "plain", o.prompt)) for o in listed.options)
        assert "broken.md" in text
        await pilot.press("escape")
        assert app.screen is app.main


@run_async
async def test_no_entries_at_all_shows_the_problems_screen(app_for, tmp_path: Path) -> None:
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    app = app_for(kb_root=empty, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, ready=False)
        assert isinstance(app.screen, ProblemsScreen)
        listed = app.screen.query_one("#problems-list", OptionList)
        text = plain(app.screen.query_one("#problems-text", Static)) + "\n".join(
            str(getattr(o.prompt, "plain", o.prompt)) for o in listed.options)
        assert "No entries could be loaded" in text and "entries/" in text
        await pilot.press("escape")  # nothing to go back to
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_the_problems_screen_speaks_the_users_language(app_for, tmp_path: Path) -> None:
    """Its footer label came out in English ("e Edit") on a Japanese screen."""
    app = app_for(kb_root=tmp_path / "missing", lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, ready=False)
        assert isinstance(app.screen, ProblemsScreen)
        labels = {b.key: b.description for _, b, enabled, _tip in app.screen.active_bindings.values() if enabled}
        assert labels.get("e") == "編集"
        text = plain(app.screen.query_one("#problems-text", Static))
        assert "項目を 1 件も読み込めませんでした" in text
        await pilot.press("f2")
        await pilot.pause()
        labels = {b.key: b.description for _, b, enabled, _tip in app.screen.active_bindings.values() if enabled}
        assert labels.get("e") == "Edit"
        await pilot.press("q")
        await pilot.pause()


@run_async
async def test_an_index_that_cannot_be_opened_is_reported_and_reading_still_works(
        app_for, monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.retrieval.healing

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(kb.retrieval.healing, "open_engine", broken)
    app = app_for(lang="en", show="tcp-chimney")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, ready=False)
        assert app.state.engine is None
        status = plain(app.main.query_one("#ask-status", Static))
        assert "Could not open the index" in status and "disk on fire" in status
        assert app.main.entry_view.entry_id == "tcp-chimney"  # reading needs no index
        await pilot.press("f2")
        await settle(pilot, ready=False)
        assert "索引を開けませんでした" in plain(app.main.query_one("#ask-status", Static))


@run_async
async def test_content_text_cannot_inject_markup_or_escapes(app_for, data_copy: Path) -> None:
    entry = data_copy / "entries" / "tcp-chimney.md"
    text = entry.read_text(encoding="utf-8")
    text = text.replace('question = "', 'question = "[bold red]X[/] \\u001b[2J', 1)
    entry.write_text(text, encoding="utf-8")
    app = app_for(kb_root=data_copy, show="tcp-chimney")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = plain(app.main.query_one("#entry-title", Static))
        assert "[bold red]X[/]" in title  # shown as typed, not interpreted
        assert "\x1b" not in title and "^[" in title


@run_async
async def test_a_question_with_numbers_shows_the_computed_figure_in_the_results(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "6ノードのクラスターで同時にいくつライブマイグレーションできる")
        await settle(pilot)
        assert app.main.results.entry_ids[0] == "concurrent-migrations"
        first = app.main.results.get_option_at_index(0).prompt
        assert isinstance(first, Text) and "= 同時に実行できるライブ マイグレーション: 最大 3 個" in first.plain
        second = app.main.results.get_option_at_index(1).prompt if app.main.results.option_count > 1 else None
        assert second is None or "= " not in second.plain  # only the best answer carries it
        # The figure follows the number typed.
        for _ in range(len("6ノードのクラスターで同時にいくつライブマイグレーションできる")):
            await pilot.press("backspace")
        await type_text(pilot, "10ノードのクラスターで同時にいくつライブマイグレーションできる")
        await settle(pilot)
        first = app.main.results.get_option_at_index(0).prompt
        assert "最大 5 個" in first.plain


@run_async
async def test_browse_cuts_a_long_question_with_an_ellipsis_inside_the_window(app_for) -> None:
    app = app_for(lang="en")
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "3")
        tree = app.main.query_one(TagBrowser)
        for branch in tree.root.children:
            if branch.data and branch.data[0] == "tag":
                branch.expand()
        await pilot.pause()
        right = tree.scrollable_content_region.width
        lines = [tree.render_line(y).text.rstrip() for y in range(tree.scrollable_content_region.height)]
        cut = [line for line in lines if line.endswith("…")]
        assert cut  # some English question is longer than this narrow list
        assert all(cell_len(line) <= right for line in lines)
        whole = {str(n.label) for b in tree.root.children for n in b.children}
        for line in cut:  # what is shown is the start of a real question
            shown = line.strip().rstrip("…")
            assert any(q.startswith(shown.split(" ", 1)[-1][:10]) for q in whole)
