"""The Training screen driven by keys: a session answered, rated, summarised and saved."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, OptionList, Select, Static

from kb.training import Rating, ReviewRecord, TrainingItem, open_store
from tests.conftest import REAL_DATA
from tests.tui_support import run_async, wait_for_workers
from tui.app.app import FaqApp, make_app
from tui.app.screens.training import TrainingScreen
from tui.cli import parser as cli
from tui.i18n import t

SIZE = (100, 30)
PROFILE = "tester"


@pytest.fixture(scope="module")
def index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("training-index")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def app_for(index_cache: Path, home: Path):
    def build(lang: str = "ja") -> FaqApp:
        return make_app(kb_root=REAL_DATA, lang=lang, cache_dir=index_cache, data_home=home,
                        cursor_blink=False)

    return build


def text_of(screen: TrainingScreen, selector: str) -> str:
    static = screen.query_one(selector, Static)
    content = static.render()
    return content.plain if hasattr(content, "plain") else str(content)


def reviews(home: Path, profile: str = PROFILE) -> list[ReviewRecord]:
    with open_store(home / "progress.sqlite3", datetime.now(UTC)) as store:
        return store.load_reviews(profile)


async def open_training(pilot: Pilot) -> TrainingScreen:
    """Wait for the content, then open the Training screen with `t` from the main screen."""
    app = pilot.app
    assert isinstance(app, FaqApp)
    for _ in range(300):
        await pilot.pause(0.02)
        if app.state.content is not None:
            break
    await wait_for_workers(app)
    await pilot.pause()
    await pilot.press("escape", "t")  # Esc first: in the question box `t` is typed
    await wait_for_workers(app)  # the progress file opens in a worker
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, TrainingScreen)
    return screen


async def start(pilot: Pilot, screen: TrainingScreen, count: int = 3, tag: str | None = None) -> None:
    profile = screen.query_one("#tr-profile", Input)
    profile.value = PROFILE
    if tag is not None:
        screen.query_one("#tr-tag", Select).value = tag
    box = screen.query_one("#tr-count", Input)
    box.focus()
    box.value = ""
    await pilot.press(*str(count), "enter")
    await pilot.pause()


async def answer(pilot: Pilot, item: TrainingItem, right: bool) -> None:
    """Answer ``item`` with the keys a person would press, rightly or not."""
    if item.kind == "truefalse":
        await pilot.press("t" if bool(item.answer) == right else "f")
    elif item.kind == "choice":
        choice = int(item.answer) if right else int(item.answer) % len(item.choices("ja")) + 1
        await pilot.press(str(choice), "enter")
    else:
        value = float(item.answer) * (1 if right else 10) + (0 if right else 1000)
        await pilot.press(*f"{value:g}", "enter")
    await pilot.pause()


@run_async
async def test_a_session_is_answered_rated_summarised_and_saved_where_the_cli_reads(
        app_for, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        assert "43" in text_of(screen, "#tr-counts")  # nothing answered yet: every item is new
        await start(pilot, screen, count=3)
        session = screen.session
        assert session is not None and len(session.queue) == 3
        assert screen.view == "question" and text_of(screen, "#tr-progress") == "[1/3]"

        first = session.queue[0]
        await answer(pilot, first, right=True)
        assert screen.view == "feedback"
        assert text_of(screen, "#tr-verdict") == t("tr_correct", "ja")
        assert first.explanation("ja")[:20] in text_of(screen, "#tr-explanation")
        suggested = screen.feedback.rating if screen.feedback else None
        assert suggested in (Rating.Good, Rating.Easy)
        await pilot.press("h")  # the trainee found it hard after all
        assert screen.feedback is not None and screen.feedback.rating == Rating.Hard
        assert t("tr_rating_Hard", "ja") in text_of(screen, "#tr-rating")
        saved = reviews(home)
        assert [(r.card_id, r.rating, r.overridden) for r in saved] == [
            (first.card_id, int(Rating.Hard), True)]

        await pilot.press("n")
        assert text_of(screen, "#tr-progress") == "[2/3]"
        second = session.queue[1]
        await answer(pilot, second, right=False)
        assert text_of(screen, "#tr-verdict") == t("tr_incorrect", "ja")
        assert second.expected("ja") in text_of(screen, "#tr-expected")
        assert second.explanation("ja")[:20] in text_of(screen, "#tr-explanation")

        await pilot.press("n")
        await answer(pilot, session.queue[2], right=True)
        await pilot.press("n")
        assert screen.view == "summary"
        summary = text_of(screen, "#tr-summary-text")
        assert t("tr_summary", "ja", answered=3, correct=2) in summary
        assert t("tr_rating_Again", "ja") in summary and t("tr_next_due", "ja", when="")[:4] in summary
        missed = screen.query_one("#tr-missed", OptionList)
        assert [missed.get_option_at_index(i).id for i in range(missed.option_count)] == [second.entry]

    monkeypatch.setenv("FAQ_DATA_HOME", str(home))
    capsys.readouterr()
    assert cli.main(["progress", "--json", "--profile", PROFILE]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["answers"] == 3 and report["overall"]["seen"] == 3


@run_async
async def test_an_unreadable_number_is_explained_at_the_field_and_not_recorded(app_for, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        await start(pilot, screen, count=5, tag="planning")
        assert screen.session is not None
        item = screen.session.queue[0]
        assert item.kind == "numeric"  # the first planning item asks for a number
        assert app.focused is screen.query_one("#tr-answer", Input)
        await pilot.press("q", "t", "enter")  # typed into the field: neither quits nor answers "true"
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert screen.view == "question" and screen.session.position == 0
        error = text_of(screen, "#tr-answer-error")
        assert "'qt'" in error and "1 つの数値" in error  # the app is in Japanese
        assert reviews(home) == []
        await pilot.press("backspace", "backspace", *str(item.answer))
        assert not screen.query_one("#tr-answer-error", Static).display  # editing clears the reason
        await pilot.press("enter")
        assert screen.view == "feedback" and screen.feedback is not None and screen.feedback.correct
        assert len(reviews(home)) == 1

        await pilot.press("n", "escape")  # stop early: the summary counts what was answered
        assert screen.view == "summary"
        assert t("tr_left", "ja", n=len(screen.session.queue) - 1) in text_of(screen, "#tr-summary-text")
        await pilot.press("escape")
        assert app.screen is app.main


@run_async
async def test_o_on_the_feedback_opens_the_entry_on_the_main_screen(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        await start(pilot, screen, count=3)
        assert screen.session is not None
        await answer(pilot, screen.session.queue[0], right=False)
        assert screen.feedback is not None
        entry = screen.feedback.entry
        await pilot.press("o")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.tabs.active == "entry" and app.main.entry_view.entry_id == entry


@run_async
async def test_f2_relabels_the_training_screen_and_the_item_asked(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        assert text_of(screen, "#tr-title") == t("tr_title", "ja")
        assert screen.active_bindings["escape"].binding.description == t("key_tr_leave", "ja")
        await pilot.press("f2")
        await pilot.pause()
        assert text_of(screen, "#tr-title") == "Training"
        assert str(screen.query_one("#tr-start-button", Button).label) == t("tr_start", "en")
        assert screen.query_one("#tr-tag", Select).prompt == t("tr_all_tags", "en")
        assert screen.active_bindings["escape"].binding.description == "Back"
        await start(pilot, screen, count=2)
        assert screen.session is not None
        item = screen.session.queue[0]
        assert text_of(screen, "#tr-prompt") == item.prompt("en")
        await pilot.press("f2")
        await pilot.pause()
        assert text_of(screen, "#tr-prompt") == item.prompt("ja")
        assert screen.active_bindings["escape"].binding.description == t("key_tr_stop", "ja")


@run_async
async def test_a_corrupt_progress_file_is_set_aside_and_shown_not_raised(app_for, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "progress.sqlite3").write_bytes(b"this is not a database" * 20)
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        assert screen.store is None
        message = text_of(screen, "#tr-message")
        assert "progress.sqlite3.corrupt-" in message
        assert len(list(home.glob("progress.sqlite3.corrupt-*"))) == 1
        assert str(screen.query_one("#tr-start-button", Button).label) == t("tr_retry", "ja")
        await pilot.press("enter")  # try again: a fresh file is started
        await wait_for_workers(app)
        await pilot.pause()
        assert screen.store is not None and "43" in text_of(screen, "#tr-counts")
        assert not screen.query_one("#tr-message", Static).display


def test_start_view_layout_ja_small(snap_compare, app_for, monkeypatch: pytest.MonkeyPatch) -> None:
    """The start form at 80x24: wide labels, counts, the tag select and the Start button."""
    monkeypatch.setattr("tui.app.screens.training.default_profile", lambda: "trainee")

    async def opened(pilot: Pilot) -> None:
        await open_training(pilot)

    assert snap_compare(app_for(), terminal_size=(80, 24), run_before=opened)


@run_async
async def test_the_placement_box_shows_a_mark_only_when_checked_focused_or_not(app_for) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        box = screen.query_one("#tr-placement", Checkbox)

        def mark() -> str:
            return box.render().plain.split(t("tr_placement", "ja"))[0]

        assert not box.value and "✓" not in mark() and "X" not in mark()
        box.focus()
        await pilot.pause()
        assert "✓" not in mark() and "X" not in mark()  # focused but unchecked: still empty
        await pilot.press("space")
        await pilot.pause()
        assert box.value and "✓" in mark()
        assert screen.query_one("#tr-count", Input).disabled  # a placement quiz picks its own count
        await pilot.press("space")
        await pilot.pause()
        assert not box.value and "✓" not in mark()
