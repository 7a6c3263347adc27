"""The app's part of the authors' loop: settled questions logged, and the Gaps screen."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static
from textual.worker import WorkerCancelled

from kb.gaps.log import QuestionLog, log_paths
from tests.tui_support import run_async
from tui.app.app import FaqApp, make_app
from tui.app.screens.gaps import EntryPickScreen, GapsScreen

SIZE = (100, 30)
NOW = datetime.now(UTC) - timedelta(hours=1)


@pytest.fixture(scope="module")
def index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gaps-tui-index")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def app_for(index_cache: Path, data_copy: Path, home: Path):
    def build(**kwargs: object) -> FaqApp:
        options: dict = {"kb_root": data_copy, "cache_dir": index_cache, "data_home": home, "cursor_blink": False}
        options.update(kwargs)
        return make_app(**options)

    return build


def log_of(data_copy: Path, home: Path) -> QuestionLog:
    return QuestionLog(log_paths(home, data_copy), data_copy)


def records(data_copy: Path, home: Path, kind: str) -> list[dict]:
    path = log_of(data_copy, home).paths.questions
    if not path.exists():
        return []
    return [r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r["kind"] == kind]


def seed(data_copy: Path, home: Path) -> None:
    """A log as people would leave it: one topic missing (Macintosh), one phrasing missed (VMware)."""
    log = log_of(data_copy, home)
    for n, text in enumerate(["Macintosh の値段", "price of a Macintosh", "Macintosh の値段"]):
        log.record_ask(text=text, lang="ja", answer=None, confidence=None, closest=[], now=NOW + timedelta(minutes=n))
    log.record_ask(text="VMware から仮想マシンを持ってきたい", lang="ja", answer=None, confidence=None,
                   closest=[("what-is-live-migration", 0.3), ("how-to-start", 0.25)], now=NOW + timedelta(minutes=5))


async def settle(pilot: Pilot) -> None:
    app = pilot.app
    assert isinstance(app, FaqApp)
    for _ in range(300):
        await pilot.pause(0.02)
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive search replaced by a newer one: wait again
            continue
        screen = app.screen
        busy = isinstance(screen, GapsScreen) and (screen.busy or not screen.loaded)
        if app.state.content is not None and app.state.engine is not None and not app.main.searching and not busy:
            break
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def option_texts(listing: OptionList) -> list[str]:
    return [str(getattr(o.prompt, "plain", o.prompt)).strip() for o in listing.options]


async def highlight(pilot: Pilot, screen: GapsScreen, question: str) -> None:
    listing = screen.listing
    listing.highlighted = option_texts(listing).index(question)
    await pilot.pause()


# -- logging -----------------------------------------------------------------------------------


@run_async
async def test_the_settled_question_is_logged_once_not_every_keystroke(app_for, data_copy, home) -> None:
    app = app_for(debounce=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for word in ("Macintosh", " の", "値段"):
            await type_text(pilot, word)
            await settle(pilot)  # results shown after each pause in typing: none of them is logged
        assert records(data_copy, home, "ask") == []
        await pilot.press("escape")  # leaving the box settles the question
        await settle(pilot)
        (asked,) = records(data_copy, home, "ask")
        assert asked["text"] == "Macintosh の値段" and asked["answer"] is None and asked["source"] == "app"
        await pilot.press("slash")
        await pilot.press("escape")
        await settle(pilot)
        assert len(records(data_copy, home, "ask")) == 1  # the same results left again: still once


@run_async
async def test_opening_another_result_than_the_first_is_recorded_with_its_rank(app_for, data_copy, home) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "live migration network")
        await settle(pilot)
        ids = app.main.results.entry_ids
        assert len(ids) >= 3
        await pilot.press("down", "down", "down", "enter")  # into the list, then the third result
        await settle(pilot)
        assert app.main.entry_view.entry_id == ids[2]
    (asked,) = records(data_copy, home, "ask")
    (opened,) = records(data_copy, home, "open")
    assert opened["ask"] == asked["id"] and opened["entry"] == ids[2] and opened["rank"] == 3
    assert [c[0] for c in asked["closest"]] == ids[:3]  # the three closest are kept


@run_async
async def test_with_logging_off_the_app_writes_nothing(app_for, data_copy, home) -> None:
    app = app_for(log_questions=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "Macintosh の値段")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert not (home / "questions").exists()


# -- the Gaps screen ---------------------------------------------------------------------------


@run_async
async def test_gaps_screen_lists_groups_and_accepting_updates_the_entry_without_a_restart(
        app_for, data_copy, home) -> None:
    seed(data_copy, home)
    path = data_copy / "entries" / "what-is-live-migration.md"
    before = path.read_bytes()
    app = app_for(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "G")  # from the tabs, as an author would
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GapsScreen)
        texts = option_texts(screen.listing)
        assert texts[0].startswith("1. asked 3 times") and "no answer" in texts[0]
        assert texts[1:3] == ["Macintosh の値段", "price of a Macintosh"]
        assert texts[3].startswith("2. asked 1 time,")
        assert texts[4] == "VMware から仮想マシンを持ってきたい"
        assert texts[5].startswith("→ what-is-live-migration  What is live migration?")
        assert "2 groups" in str(screen.query_one("#gaps-title", Static).render())

        await highlight(pilot, screen, "VMware から仮想マシンを持ってきたい")
        await pilot.press("a")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, EntryPickScreen)
        assert option_texts(picker.query_one(OptionList))[0].startswith("what-is-live-migration")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        after = path.read_bytes()
        added = '  "VMware から仮想マシンを持ってきたい",\n'.encode()
        assert after.replace(added, b"", 1) == before and added in after
        assert "VMware から仮想マシンを持ってきたい" in app.state.content.entries["what-is-live-migration"].text["ja"].alternates
        assert "VMware から仮想マシンを持ってきたい" not in option_texts(screen.listing)

        await pilot.press("escape")  # back to the app: the next question is answered from the edit
        await pilot.press("slash")
        app.main.question.value = "VMware から仮想マシンを持ってきたい"
        await settle(pilot)
        assert app.main.results.entry_ids[0] == "what-is-live-migration"


@run_async
async def test_dismiss_hides_a_group_and_draft_starts_an_entry(app_for, data_copy, home) -> None:
    seed(data_copy, home)
    app = app_for(lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.action_gaps()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GapsScreen) and len(screen.gaps) == 2
        await highlight(pilot, screen, "VMware から仮想マシンを持ってきたい")
        await pilot.press("d")
        await settle(pilot)
        assert [g.questions[0] for g in screen.gaps] == ["Macintosh の値段"]
        await highlight(pilot, screen, "price of a Macintosh")
        await pilot.press("n")
        await settle(pilot)
        draft = data_copy / "entries" / "price-macintosh.md"
        assert draft.is_file() and 'flags = ["draft"]' in draft.read_text(encoding="utf-8")
        assert "price-macintosh" in app.state.content.entries and screen.gaps == []
        assert "まだありません" in option_texts(screen.listing)[0]


@run_async
async def test_a_read_only_entry_file_is_refused_with_its_name(app_for, data_copy, home) -> None:
    seed(data_copy, home)
    path = data_copy / "entries" / "what-is-live-migration.md"
    before = path.read_bytes()
    path.chmod(stat.S_IREAD)
    try:
        app = app_for(lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.main.action_gaps()
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, GapsScreen)
            await highlight(pilot, screen, "VMware から仮想マシンを持ってきたい")
            await pilot.press("a", "enter")
            await settle(pilot)
            messages = [n.message for n in app._notifications]
            assert any(str(path) in m and "read-only" in m for m in messages), messages
            assert not screen.busy and len(screen.gaps) == 2
    finally:
        path.chmod(stat.S_IREAD | stat.S_IWRITE)
    assert path.read_bytes() == before


@run_async
async def test_the_palette_opens_the_gaps_screen_and_it_follows_the_language(app_for, data_copy, home) -> None:
    seed(data_copy, home)
    app = app_for(lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Gaps")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GapsScreen)
        assert option_texts(screen.listing)[0].startswith("1. 3 回")
        await pilot.press("f2")
        await settle(pilot)
        assert option_texts(screen.listing)[0].startswith("1. asked 3 times")
        assert screen._bindings.key_to_bindings["a"][0].description == "Accept"  # the footer's label
