"""The progress store: answers saved one transaction each, migration, corrupt files, two processes."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kb.errors import InputError, StoreError
from kb.training.scheduler import Rating, new_card, review
from kb.training.store import (
    SCHEMA_VERSION,
    ProgressStore,
    ReviewRecord,
    open_store,
    profile_from_user,
    validate_profile,
)

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
V1_SQL = Path(__file__).parent / "data" / "training" / "progress_v1.sql"


def _answer(store: ProgressStore, profile: str, card_id: str, rating: Rating, at: datetime,
            duration_ms: int | None = 4200) -> int:
    card, _ = review(new_card(card_id, at), rating, at)
    record = ReviewRecord(card_id, at, int(rating), rating != Rating.Again, duration_ms, "2")
    return store.record_answer(profile, card, record)


def test_a_new_file_has_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "progress.sqlite3"
    with open_store(path, T0) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.profiles() == []
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")} == {
        "profiles", "cards", "reviews"}
    raw.close()


def test_answers_and_cards_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with open_store(path, T0) as store:
        _answer(store, "kim", "alpha/a1", Rating.Good, T0)
        _answer(store, "kim", "alpha/a2", Rating.Again, T0 + timedelta(seconds=30), duration_ms=None)
        _answer(store, "lee", "alpha/a1", Rating.Easy, T0)
    with open_store(path, T0) as store:
        assert store.profiles() == ["kim", "lee"]
        cards = store.load_cards("kim")
        assert cards["alpha/a1"].due == T0 + timedelta(minutes=10)
        assert cards["alpha/a2"].due == T0 + timedelta(seconds=30, minutes=1)
        reviews = store.load_reviews("kim")
        assert [(r.card_id, r.rating, r.correct, r.duration_ms, r.answer) for r in reviews] == [
            ("alpha/a1", 3, True, 4200, "2"), ("alpha/a2", 1, False, None, "2")]
        assert reviews[0].reviewed_at == T0
        assert len(store.load_reviews()) == 3


def test_an_error_mid_answer_leaves_neither_card_nor_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kill-safety: the card write and the review write commit together or not at all."""
    path = tmp_path / "p.sqlite3"
    store = open_store(path, T0)
    _answer(store, "kim", "alpha/a1", Rating.Good, T0)

    def crash(self: ProgressStore, profile: str, answer: ReviewRecord) -> int:
        raise RuntimeError("killed between the card and the review")

    monkeypatch.setattr(ProgressStore, "_insert_review", crash)
    with pytest.raises(RuntimeError):
        _answer(store, "kim", "alpha/a2", Rating.Good, T0)
    with pytest.raises(RuntimeError):
        _answer(store, "new-profile", "alpha/a1", Rating.Good, T0)
    monkeypatch.undo()
    store.close()
    with open_store(path, T0) as again:
        assert set(again.load_cards("kim")) == {"alpha/a1"}
        assert [r.card_id for r in again.load_reviews()] == ["alpha/a1"]
        assert again.profiles() == ["kim"]


def test_override_replaces_rating_and_card_and_marks_it(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite3", T0) as store:
        review_id = _answer(store, "kim", "alpha/a1", Rating.Good, T0)
        easy, _ = review(new_card("alpha/a1", T0), Rating.Easy, T0)
        store.amend_rating("kim", review_id, "alpha/a1", easy, int(Rating.Easy))
        assert store.load_cards("kim")["alpha/a1"].due == easy.due
        (record,) = store.load_reviews("kim")
        assert (record.rating, record.overridden) == (4, True)
        with pytest.raises(StoreError):
            store.amend_rating("lee", review_id, "alpha/a1", easy, 4)  # not lee's answer


def test_a_version_1_file_is_migrated_and_keeps_its_history(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    raw = sqlite3.connect(path)
    raw.executescript(V1_SQL.read_text(encoding="utf-8"))
    raw.close()
    with open_store(path, T0) as store:
        assert store.schema_version == 2
        reviews = store.load_reviews("kim")
        assert [(r.card_id, r.rating, r.duration_ms, r.overridden) for r in reviews] == [
            ("alpha/a1", 1, None, False), ("alpha/a1", 3, None, False), ("retired/item", 1, None, False)]
        cards = store.load_cards("kim")
        assert cards["alpha/a1"].stability == 3.2 and "retired/item" in cards
        # the new column takes new answers
        _answer(store, "kim", "alpha/a2", Rating.Good, T0 + timedelta(days=1), duration_ms=1234)
        assert store.load_reviews("kim")[-1].duration_ms == 1234
    with open_store(path, T0) as store:  # a second open changes nothing
        assert store.schema_version == 2 and len(store.load_reviews()) == 4


def test_a_file_from_a_newer_version_is_refused_and_left_in_place(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(path, T0)
    assert path.exists() and not list(tmp_path.glob("*.corrupt-*"))


def test_someone_elses_sqlite_file_is_refused_and_left_in_place(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE photos (id INTEGER)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="not a faq-assistant"):
        open_store(path, T0)
    assert path.exists() and not list(tmp_path.glob("*.corrupt-*"))


def test_a_file_that_is_not_sqlite_is_moved_aside_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"this is a shopping list, not a database\n" * 20)
    with pytest.raises(StoreError) as caught:
        open_store(path, T0)
    moved = tmp_path / "progress.sqlite3.corrupt-20240501T090000Z"
    assert str(path) in str(caught.value) and str(moved) in str(caught.value)
    assert not path.exists()
    assert moved.read_bytes().startswith(b"this is a shopping list")
    with open_store(path, T0) as fresh:  # the next start begins a new file
        assert fresh.profiles() == []
    path.write_bytes(b"again")
    with pytest.raises(StoreError):
        open_store(path, T0)  # same second: a distinct name, the first copy kept
    assert (tmp_path / "progress.sqlite3.corrupt-20240501T090000Z-1").read_bytes() == b"again"
    assert moved.exists()


def test_a_malformed_database_is_moved_aside_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with open_store(path, T0) as store:
        for n in range(200):
            _answer(store, "kim", f"alpha/q{n}", Rating.Good, T0)
    data = bytearray(path.read_bytes())
    assert len(data) > 4 * 4096
    data[2 * 4096:] = b"\xff" * (len(data) - 2 * 4096)
    path.write_bytes(bytes(data))
    later = T0 + timedelta(hours=1)
    with pytest.raises(StoreError, match="moved to"):
        open_store(path, later)
    assert not path.exists()
    assert (tmp_path / "progress.sqlite3.corrupt-20240501T100000Z").read_bytes() == bytes(data)


def test_two_processes_share_the_file_a_writer_waits_for_the_other(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    first = open_store(path, T0)
    second = open_store(path, T0)
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.4, lambda: blocker.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    _answer(second, "kim", "alpha/a1", Rating.Good, T0)  # waits on the busy timeout, then writes
    assert time.monotonic() - started >= 0.3
    release.join()
    _answer(first, "lee", "alpha/a1", Rating.Good, T0)
    assert {r.profile for r in first.load_reviews()} == {"kim", "lee"}
    first.close()
    second.close()
    blocker.close()


@pytest.mark.parametrize("name", ["kim", "kim.lee", "k_1-2", "田中", "A" * 64])
def test_good_profile_names(name: str) -> None:
    assert validate_profile(name) == name


@pytest.mark.parametrize("name", ["", "-kim", ".hidden", "a/b", "../x", "kim lee", "k\x1b[31m", "A" * 65])
def test_bad_profile_names(name: str) -> None:
    with pytest.raises(InputError):
        validate_profile(name)


@pytest.mark.parametrize("user,profile", [
    ("kim", "kim"), ("Kim Lee", "Kim-Lee"), ("DOMAIN\\kim", "DOMAIN-kim"), ("", "trainee"),
    (None, "trainee"), ("..", "trainee"), ("ｋｉｍ", "kim"), ("-x", "x"),
])
def test_profile_from_a_login_name(user: str | None, profile: str) -> None:
    assert profile_from_user(user) == profile
