"""Text from content and input reaches Textual as text: brackets are never markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REAL_DATA
from tests.tui_support import run_async, wait_for_workers
from tui.app.app import FaqApp, make_app

SIZE = (100, 30)
HOSTILE = "[/CSV] [red]赤[/red] [@click=app.quit]quit[/] [b]"


@pytest.fixture
def hostile_kb(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(REAL_DATA, root)
    path = root / "entries" / "csv-required.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace('question = "ライブ マイグレーションには', f'question = "{HOSTILE} ライブ マイグレーションには', 1)
    path.write_text(text, encoding="utf-8")
    return root


def _drawn(app: FaqApp) -> list[str]:
    """Each notification as its toast draws it."""
    from textual.widgets._toast import Toast

    return [Toast(n).render().plain for n in app._notifications]


def _app(root: Path, tmp_path: Path, **kwargs: object) -> FaqApp:
    return make_app(kb_root=root, cache_dir=tmp_path / "cache", data_home=tmp_path / "home",
                    cursor_blink=False, **kwargs)  # type: ignore[arg-type]


async def _settle(pilot) -> None:
    app = pilot.app
    for _ in range(300):
        await pilot.pause(0.02)
        await wait_for_workers(app)
        if app.state.content is not None and app.state.engine is not None:
            break
    await pilot.pause()


@run_async
async def test_show_of_an_id_that_is_markup_reports_it_literally(tmp_path) -> None:
    app = _app(REAL_DATA, tmp_path, show="[/]")
    async with app.run_test(size=SIZE) as pilot:
        # Looked for as soon as the content is in: a toast lasts seconds, and building this
        # test's fresh index under load took longer (the notice had gone by then).
        for _ in range(300):
            await pilot.pause(0.02)
            if any("[/]" in text for text in _drawn(app)):
                break
        assert any("[/]" in text for text in _drawn(app))
        await _settle(pilot)
        await pilot.pause(0.3)  # the toast is drawn
        assert app.is_running
    assert app.return_code in (0, None)


@run_async
async def test_bookmarking_an_entry_whose_question_is_markup(hostile_kb, tmp_path) -> None:
    app = _app(hostile_kb, tmp_path, show="csv-required")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert app.main.entry_view.entry_id == "csv-required"
        await pilot.press("escape")
        app.main.entry_view.focus()
        await pilot.press("b")
        await pilot.pause()
        assert any(HOSTILE in text for text in _drawn(app))
        await pilot.pause(0.3)  # the toast is drawn
        assert app.is_running  # [@click=app.quit] did not become an action
    assert app.return_code in (0, None)


@run_async
async def test_the_palette_lists_an_entry_whose_question_is_markup(hostile_kb, tmp_path) -> None:
    from textual.command import CommandPalette

    app = _app(hostile_kb, tmp_path, show="csv-required")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        app.main.entry_view.focus()
        await pilot.press("b")  # a bookmark: the palette's discovery list shows it too
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"CSV")
        await pilot.pause(0.5)
        await wait_for_workers(app)
        await pilot.pause(0.2)
        assert app.is_running
        from textual.widgets import OptionList

        shown = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert any("[/CSV]" in text for text in shown), shown
    assert app.return_code in (0, None)


@run_async
async def test_the_entry_title_shows_brackets_as_text(hostile_kb, tmp_path) -> None:
    from textual.widgets import Static

    app = _app(hostile_kb, tmp_path, show="csv-required")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        texts = []
        for widget in app.main.entry_view.query(Static):
            rendered = widget.render()
            texts.append(rendered.plain if hasattr(rendered, "plain") else str(rendered))
        assert any(HOSTILE in text for text in texts), texts
