"""The habits terminal users bring (issue 15): copy, Esc, first keys, resume, settings, edit."""

from __future__ import annotations

import contextlib
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.conftest import REAL_DATA
from tests.test_tui import settle, type_text
from tests.tui_support import run_async, wait_for_workers
from tui.app.app import FaqApp, make_app
from tui.app.editor import editor_command
from tui.app.screens.cluster_open import ClusterOpenScreen
from tui.app.screens.help import HelpScreen
from tui.app.screens.training import TrainingScreen
from tui.app.widgets.check_panel import CheckPanel, FieldLabel
from tui.app.widgets.glossary_browser import GlossaryBrowser
from tui.app.widgets.tag_browser import TagBrowser

SIZE = (100, 30)


@pytest.fixture(scope="module")
def index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("daily-index")


@pytest.fixture
def app_for(index_cache: Path, tmp_path: Path):
    def build(**kwargs: object) -> FaqApp:
        options: dict = {"kb_root": REAL_DATA, "cache_dir": index_cache, "data_home": tmp_path / "home",
                         "cursor_blink": False}
        options.update(kwargs)
        return make_app(**options)

    return build


# -- 1. Ctrl+C copies a selection ------------------------------------------------------------


@run_async
async def test_ctrl_c_copies_the_selection_and_ctrl_q_quits(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "CSV")
        await pilot.press("shift+home")  # select what was typed
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running and app.clipboard == "CSV"
        assert any("OSC 52" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


# -- 2. The compute panel keeps what is typed -----------------------------------------------------


@run_async
async def test_a_click_on_a_fields_label_puts_fast_typing_in_the_field(app_for) -> None:
    app = app_for(show="migration-duration")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.main.query_one("#check-migration-time", CheckPanel)
        label = next(lb for lb in panel.query(FieldLabel) if lb.field_id == "migration-time-dirty_rate")
        app.main.entry_view.scroll_to_widget(label, animate=False)
        await pilot.pause()
        await pilot.click(label)
        await pilot.press("ctrl+a", "ctrl+k", "f", "a", "s", "t")
        await pilot.pause()
        box = panel.query_one("#migration-time-dirty_rate", Input)
        assert box.value == "fast" and isinstance(app.screen, type(app.main))  # `t` did not open Training
        await pilot.press("ctrl+a", "ctrl+k", "４", "backspace", "3", ".", "5")
        await pilot.pause()
        assert box.value == "3.5"
        # The same entry opened again (the palette, a late answer) keeps what was typed.
        await app.main.open_entry("migration-duration")
        await pilot.pause()
        assert app.main.query_one("#migration-time-dirty_rate", Input).value == "3.5"


# -- 3. Browse acts on the first key --------------------------------------------------------------


@run_async
async def test_browse_space_opens_the_first_branch_at_once(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "3", "space")
        await pilot.pause()
        tree = app.main.query_one(TagBrowser)
        assert app.focused is tree and tree.cursor_line == 0
        assert tree.root.children[0].is_expanded
        await pilot.press("G")
        assert tree.cursor_line == tree.last_line
        await pilot.press("g", "j")
        assert tree.cursor_line == 1


# -- 4. Esc only backs out --------------------------------------------------------------------


@run_async
async def test_escape_twice_does_not_return_to_the_question_box(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t", "escape", "escape", "o")
        await pilot.pause()
        assert app.main.question.value == "t"  # "o" was not typed into the box: it opened the dialog
        assert isinstance(app.screen, ClusterOpenScreen)


@run_async
async def test_escape_leaves_a_calculator_field_for_the_entry(app_for) -> None:
    app = app_for(show="concurrent-migrations")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.query_one("#max-concurrent-migrations-nodes", Input).focus()
        await pilot.press("escape")
        assert app.focused is app.main.entry_view
        await pilot.press("escape")
        assert app.focused is app.main.entry_view


# -- 5 and 15. Training resumes; 1-4 rate ----------------------------------------------------------


@run_async
async def test_reading_an_entry_from_training_and_t_resume_the_session(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "t")
        await wait_for_workers(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrainingScreen)
        screen.query_one("#tr-profile", Input).value = "tester"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.view == "question" and screen.session is not None
        session = screen.session
        item = session.next_item()
        assert item is not None
        answer = {"choice": "1", "truefalse": "t"}.get(item.kind)
        if answer is None:
            screen.query_one("#tr-answer", Input).value = "1"
            await pilot.press("enter")
        else:
            await pilot.press(answer)
            if item.kind == "choice":
                await pilot.press("enter")
        await pilot.pause()
        assert screen.view == "feedback"
        await pilot.press("4")  # 1-4 rate, as in `faq quiz`
        await pilot.pause()
        assert screen.feedback is not None and screen.feedback.rating.name == "Easy"
        await pilot.press("o")
        await pilot.pause()
        assert app.screen is app.main and app.main.entry_view.entry_id == item.entry
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is screen and screen.session is session and screen.view == "feedback"
        assert session.position == 1


# -- 14. The palette speaks one language; the glossary filters -------------------------------------


@run_async
async def test_palette_shows_names_and_system_commands_in_the_apps_language(app_for) -> None:
    app = app_for(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from tui.app.screens.commands import KnowledgeCommands

        provider = KnowledgeCommands(app.main)
        hits = [hit async for hit in provider.search("ライブ マイグレーション")]
        assert hits and all(not any("\u3040" <= ch <= "\u30ff" for ch in str(h.text)) for h in hits
                            if "palette_term" not in str(h.help))
        entry_hits = [h for h in hits if str(h.help).startswith("Entry")]
        assert entry_hits and all(h.text and h.text.isascii() for h in entry_hits[:5])
        titles = [c.title for c in app.get_system_commands(app.main)]
        assert "Theme" in titles and "Quit" in titles
        await pilot.press("f2")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.main)]
        assert "テーマ" in titles and "終了" in titles and "Theme" not in titles


@run_async
async def test_typing_in_the_glossary_filters_it_fuzzily(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        glossary = app.main.query_one(GlossaryBrowser)
        everything = len(glossary.listed_terms)
        await pilot.press("escape", "4", "c", "s", "v")
        await pilot.pause()
        assert app.main.query_one("#glossary-filter", Input).value == "csv"
        assert glossary.listed_terms[0] == "csv" and len(glossary.listed_terms) < everything
        await pilot.press("enter")
        assert app.focused is app.main.query_one("#glossary-terms", OptionList)


# -- 15. Language and theme are remembered --------------------------------------------------------


@run_async
async def test_language_and_theme_chosen_in_the_app_are_saved_and_used_at_start(
        app_for, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "conf" / "config.toml"
    app = app_for(config_file=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert tomllib.loads(config.read_text(encoding="utf-8")) == {"language": "en", "theme": "nord"}

    from tui.cli.parser import default_lang
    from tui.settings import read_settings

    assert default_lang({"language": "en"}) == "ja"  # $FAQ_LANG (set for the tests) comes first
    monkeypatch.delenv("FAQ_LANG")
    settings = read_settings(config)
    again = app_for(config_file=config, lang=default_lang(settings), theme=settings["theme"])
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.lang == "en" and again.theme == "nord"


# -- 17. ? opens the help from the empty box --------------------------------------------------------


@run_async
async def test_question_mark_opens_help_from_the_empty_box_and_is_typed_after_text(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await type_text(pilot, "CSV?")
        assert app.main.question.value == "CSV?"


# -- Copy and edit --------------------------------------------------------------------------------


@run_async
async def test_copy_keys_put_the_answer_command_and_figure_on_the_clipboard(app_for) -> None:
    app = app_for(show="concurrent-migrations", ask="6 ノードのクラスターで同時に何台")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.main.open_entry("concurrent-migrations")
        await pilot.pause()
        await pilot.press("c")
        entry = app.state.content.entries["concurrent-migrations"]  # type: ignore[union-attr]
        assert app.clipboard == entry.localized("ja").answer
        await pilot.press("f")
        assert "3" in app.clipboard and app.clipboard != entry.localized("ja").answer
        await app.main.open_entry("csv-required")
        await pilot.pause()
        await pilot.press("y")
        assert app.clipboard == "C:\\ClusterStorage\\Volume1"  # the answer's first code span
        assert any("OSC 52" in n.message for n in app._notifications)


def test_editor_command_opens_at_the_line_for_editors_that_take_plus_line(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    assert editor_command(path, 12, {"EDITOR": "vim"}) == ["vim", "+12", str(path)]
    assert editor_command(path, 12, {"VISUAL": "/usr/bin/nano", "EDITOR": "vim"}) == ["/usr/bin/nano", "+12", str(path)]
    assert editor_command(path, 12, {"EDITOR": "code --wait"}) == ["code", "--wait", str(path)]
    assert editor_command(path, 12, {}) is None


@run_async
async def test_e_edits_the_entry_in_the_editor_and_the_app_reloads_it(app_for, data_copy: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "editor.log"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\necho "$@" >> {log}\nfor last; do :; done\n'
                      'sed -i "s/CSV) がなくても実行できます/CSV) がなくても動きます/" "$last"\n', encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", f"{editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = app_for(kb_root=data_copy, show="csv-required", cache_dir=tmp_path / "cache")
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # the headless driver cannot suspend
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.state.library
        await pilot.press("e")
        await settle(pilot)
        assert app.state.library is not before
        assert "動きます" in app.main.entry_view.answer_markdown()  # type: ignore[operator]
        assert app.main.entry_view.entry_id == "csv-required"
    assert "csv-required.md" in log.read_text(encoding="utf-8")


# -- A link in an answer (the Markdown widget loads with the first entry, not before) ------------


@run_async
async def test_a_faq_link_in_an_answer_opens_that_entry_and_other_links_are_only_shown(app_for) -> None:
    app = app_for(show="csv-required", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from textual.widgets import Markdown

        body = app.main.query_one("#entry-body", Markdown)
        body.post_message(Markdown.LinkClicked(body, "faq:requirements"))
        await pilot.pause()
        assert app.main.entry_view.entry_id == "requirements"
        body = app.main.query_one("#entry-body", Markdown)
        body.post_message(Markdown.LinkClicked(body, "https://example.com/x"))
        await pilot.pause()
        assert app.main.entry_view.entry_id == "requirements"
        assert any("https://example.com/x" in n.message for n in app._notifications)


# -- 13. Plurals: "1 answer", "3 answers", never "answer(s)", in the app as in the CLI ---------------


def test_no_english_message_says_s_in_brackets() -> None:
    import importlib

    from tui.i18n import MESSAGES, t

    for name in ("tui.cli.training", "tui.cli.checks", "tui.cli.gaps", "tui.cli.importer", "tui.cli.import_text"):
        importlib.import_module(name)  # the commands add their own words to the catalog
    assert [key for key, message in MESSAGES.items() if "(s)" in message.text("en")] == []
    assert t("status_results", "en", n=1) == "1 answer, best first"
    assert t("tr_counts", "en", due=0, new=2) == "Due now: 0 items; new: 2"
    assert t("status_results", "ja", n=1) == "1 件 (確信度の高い順)"
