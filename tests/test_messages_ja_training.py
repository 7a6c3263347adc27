"""Every error a trainee can meet in training reads in Japanese too, naming the same place."""

from __future__ import annotations

import random
import re
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kb.errors import InputError, KbError, StoreError
from kb.training.answer import parse_bool, parse_choice, parse_numeric
from kb.training.scheduler import Rating, new_card, review
from kb.training.session import Session, start_session
from kb.training.store import ReviewRecord, open_store, validate_profile

sys.path.insert(0, str(Path(__file__).parent / "data" / "training"))
import training_fixture_kb as fx  # noqa: E402

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def check_ja(exc: KbError) -> str:
    """Japanese text, the same path and field as in English, English unchanged; the ja line."""
    ja = exc.render("ja")
    assert exc.render("en") == str(exc)
    assert exc.message_ja and JAPANESE.search(exc.message_ja), exc.message_ja
    assert ja != str(exc)
    where = exc.location()
    assert where and ja.startswith(where + ": ") and str(exc).startswith(where + ": ")
    for part in (exc.path, exc.field):
        if part:
            assert part in ja and part in str(exc)
    return ja


@pytest.mark.parametrize("call,kept", [
    (lambda: parse_choice("two", 3), "'two'"),
    (lambda: parse_choice("7", 4), "4"),
    (lambda: parse_bool("maybe"), "'maybe'"),
    (lambda: parse_numeric("3 or 4"), "'3 or 4'"),
    (lambda: parse_numeric("abc"), "'abc'"),
    (lambda: parse_numeric("about x 5"), "'about x 5'"),
    (lambda: parse_numeric("9" * 400), "999"),
    (lambda: parse_numeric("40 fortnights", unit="s"), "'fortnights'"),
])
def test_bad_answers(call: Callable[[], object], kept: str) -> None:
    with pytest.raises(InputError) as caught:
        call()
    ja = check_ja(caught.value)
    assert caught.value.field == "answer"
    assert kept in ja and kept in str(caught.value)


def test_choice_out_of_range_reads_naturally() -> None:
    with pytest.raises(InputError) as caught:
        parse_choice("7", 4)
    assert caught.value.render("ja") == "answer: 1 から 4 までの番号を選んでください (指定値: 7)"
    assert str(caught.value) == "answer: choose a number from 1 to 4, not 7"


@pytest.mark.parametrize("name", ["", "-kim", "a/b", "kim lee", "A" * 65])
def test_bad_profile_name(name: str) -> None:
    with pytest.raises(InputError) as caught:
        validate_profile(name)
    ja = check_ja(caught.value)
    assert caught.value.field == "profile" and repr(name) in ja


def test_unknown_tag_count_zero_and_session_state(tmp_path: Path) -> None:
    with open_store(tmp_path / "progress.sqlite3", T0) as store:
        with pytest.raises(InputError) as caught:
            start_session(store, "kim", fx.entries(), T0, random.Random(0), tag="nope")
        ja = check_ja(caught.value)
        assert caught.value.field == "tag"
        assert "'nope'" in ja and "network, planning" in ja

        with pytest.raises(InputError) as caught:
            start_session(store, "kim", fx.entries(), T0, random.Random(0), count=0)
        ja = check_ja(caught.value)
        assert caught.value.field == "count" and "0" in ja

        with pytest.raises(InputError) as caught:
            start_session(store, "../etc", fx.entries(), T0, random.Random(0))
        assert "'../etc'" in check_ja(caught.value)

        empty = Session(store, "kim", [], {})
        with pytest.raises(InputError) as caught:
            empty.submit("1", T0)
        assert caught.value.field == "answer"
        check_ja(caught.value)
        with pytest.raises(InputError) as caught:
            empty.override(Rating.Good)
        assert caught.value.field == "rating"
        check_ja(caught.value)


def test_garbage_progress_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"\x00\xffgarbage, not a database\n" * 40)
    with pytest.raises(StoreError) as caught:
        open_store(path, T0)
    moved = tmp_path / "progress.sqlite3.corrupt-20240501T090000Z"
    ja = check_ja(caught.value)
    assert caught.value.path == str(path)
    assert str(moved) in ja and str(moved) in str(caught.value)
    assert "移動しました" in ja
    assert moved.exists() and not path.exists()


def test_malformed_database_keeps_sqlites_text(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with open_store(path, T0) as store:
        for n in range(200):
            card, _ = review(new_card(f"alpha/q{n}", T0), Rating.Good, T0)
            store.record_answer("kim", card, ReviewRecord(f"alpha/q{n}", T0, 3, True, 4200, "2"))
    data = bytearray(path.read_bytes())
    data[2 * 4096:] = b"\xff" * (len(data) - 2 * 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as caught:
        open_store(path, T0 + timedelta(hours=1))
    ja = check_ja(caught.value)
    reason = re.search(r"unreadable \((.*)\); it was moved", str(caught.value))
    assert reason is not None and f"({reason.group(1)})" in ja  # SQLite's words, verbatim
    assert str(tmp_path / "progress.sqlite3.corrupt-20240501T100000Z") in ja


def test_newer_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    with pytest.raises(StoreError) as caught:
        open_store(path, T0)
    ja = check_ja(caught.value)
    assert caught.value.path == str(path)
    assert "99" in ja and "faq-assistant" in ja and "newer" in str(caught.value)


def test_sqlite_file_that_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE photos (id INTEGER)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as caught:
        open_store(path, T0)
    ja = check_ja(caught.value)
    assert caught.value.path == str(path) and "faq-assistant" in ja


def test_progress_file_cannot_be_opened_keeps_strerror(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StoreError) as caught:
        open_store(blocker / "progress.sqlite3", T0)
    ja = check_ja(caught.value)
    strerror = str(caught.value).rsplit("cannot open the progress file: ", 1)[1]
    assert strerror and ja.endswith(": " + strerror)


def test_closed_store_and_missing_answer(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    store = open_store(path, T0)
    card = new_card("alpha/a1", T0)
    with pytest.raises(StoreError) as caught:
        store.amend_rating("kim", 999, "alpha/a1", card, 3)
    ja = check_ja(caught.value)
    assert "999" in ja and "alpha/a1" in ja and "'kim'" in ja
    store.close()
    with pytest.raises(StoreError) as caught:
        store.profiles()
    ja = check_ja(caught.value)
    sqlite_text = str(caught.value).rsplit("cannot use the progress file: ", 1)[1]
    assert ja.endswith(": " + sqlite_text)
