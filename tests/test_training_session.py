"""Sessions: the queue (due first, then new; placement), answers saved, overrides, content changes."""

from __future__ import annotations

import dataclasses
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kb.errors import InputError
from kb.training.items import collect_items
from kb.training.scheduler import Rating, new_card, review
from kb.training.session import Session, build_queue, start_session
from kb.training.store import ProgressStore, open_store

sys.path.insert(0, str(Path(__file__).parent / "data" / "training"))
import training_fixture_kb as fx  # noqa: E402

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with open_store(tmp_path / "progress.sqlite3", T0) as s:
        yield s


def _ids(queue) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.card_id for i in queue]


def test_new_items_come_one_entry_at_a_time_in_content_order_limited_by_count(store: ProgressStore) -> None:
    session = start_session(store, "kim", fx.entries(), T0, random.Random(0), count=3)
    assert _ids(session.queue) == ["alpha/a1", "beta/b1", "alpha/a2"]


def test_no_two_items_in_a_row_come_from_one_entry_while_another_entry_has_items() -> None:
    # Issue 15: the first three items of a session all came from one entry.
    entries = fx.entries(with_generated=True)
    items = collect_items(entries, random.Random(0))
    queue = build_queue(items, {}, T0, entries=entries, count=None)
    assert sorted(_ids(queue)) == sorted(_ids(items))  # every new item, once
    assert [i.entry for i in queue[:3]] == list(entries)  # round-robin: one from each entry first
    for before, after in zip(queue, queue[1:], strict=False):
        assert before.entry != after.entry or {i.entry for i in queue[queue.index(after):]} == {after.entry}
    # Due items too: the two most overdue are beta's; one of alpha's comes between them.
    cards = {i.card_id: review(new_card(i.card_id, T0), Rating.Again, T0 - timedelta(hours=n + 1))[0]
             for n, i in enumerate(items) if i.entry in ("alpha", "beta")}
    due = build_queue(items, cards, T0, entries={k: entries[k] for k in ("alpha", "beta")})
    assert _ids(due) == ["beta/b2", "alpha/a2", "beta/b1", "alpha/a1"]


def test_due_items_come_first_most_overdue_first_and_not_yet_due_items_wait() -> None:
    items = collect_items(fx.entries())
    cards = {
        "beta/b2": review(new_card("beta/b2", T0), Rating.Again, T0)[0],  # due T0+1min
        "alpha/a2": review(new_card("alpha/a2", T0), Rating.Again, T0 - timedelta(hours=1))[0],
        "alpha/a1": review(new_card("alpha/a1", T0), Rating.Easy, T0)[0],  # due in days
    }
    later = T0 + timedelta(minutes=5)
    assert _ids(build_queue(items, cards, later, entries=fx.entries())) == ["alpha/a2", "beta/b2", "beta/b1"]
    assert _ids(build_queue(items, cards, later, entries=fx.entries(), count=1)) == ["alpha/a2"]


def test_tag_filter_keeps_only_items_of_tagged_entries(store: ProgressStore) -> None:
    session = start_session(store, "kim", fx.entries(), T0, random.Random(0), tag="network")
    assert _ids(session.queue) == ["beta/b1", "beta/b2"]
    with pytest.raises(InputError, match="network, planning"):
        start_session(store, "kim", fx.entries(), T0, random.Random(0), tag="nope")


def test_placement_asks_one_item_from_every_entry_least_known_first(store: ProgressStore) -> None:
    entries = fx.entries(with_generated=True)
    cards = {"alpha/a1": review(new_card("alpha/a1", T0), Rating.Easy, T0)[0]}
    for seed in range(10):
        queue = build_queue(collect_items(entries, random.Random(seed)), cards, T0, entries=entries,
                            placement=True, count=1, rng=random.Random(seed))
        assert [i.entry for i in queue] == list(entries)
        assert queue[0].card_id == "alpha/a2"  # the one not yet known


def test_submit_checks_saves_and_moves_on(store: ProgressStore) -> None:
    session = start_session(store, "kim", fx.entries(), T0, random.Random(0))
    asked = list(session.queue)
    assert asked[0].card_id == "alpha/a1"  # choice 2: a full-width digit is read as 2
    first = session.submit("２", T0, duration_s=25.0)
    assert (first.correct, first.rating, first.entry) == (True, Rating.Good, "alpha")
    assert first.due == T0 + timedelta(minutes=10)
    second = session.submit(fx.answer(asked[1]), T0 + timedelta(seconds=30), duration_s=3.0)
    assert (second.correct, second.rating) == (True, Rating.Easy)
    third = session.submit(fx.answer(asked[2], right=False), T0 + timedelta(minutes=1))
    assert (third.correct, third.rating, third.expected("en")) == (False, Rating.Again, asked[2].expected("en"))
    assert session.next_item() == asked[3]
    saved = store.load_reviews("kim")
    assert [(r.card_id, r.rating, r.duration_ms) for r in saved] == [
        ("alpha/a1", 3, 25000), (asked[1].card_id, 4, 3000), (asked[2].card_id, 1, None)]
    assert store.load_cards("kim")[asked[2].card_id].due == T0 + timedelta(minutes=2)


@pytest.mark.parametrize("seconds", [-5.0, -0.5, float("nan"), float("inf"), float("-inf"), 1e20])
def test_a_time_from_a_clock_gone_wrong_counts_as_not_measured(store: ProgressStore, seconds: float) -> None:
    # Saved as no time and rated as a right answer without one (Good, never Easy); NaN and
    # infinity once raised from round(), 1e20 s from SQLite.
    session = start_session(store, "kim", fx.entries(), T0, random.Random(0))
    feedback = session.submit("2", T0, duration_s=seconds)
    assert (feedback.correct, feedback.rating) == (True, Rating.Good)
    [saved] = store.load_reviews("kim")
    assert (saved.rating, saved.duration_ms) == (int(Rating.Good), None)


def test_an_unreadable_answer_changes_nothing(store: ProgressStore) -> None:
    session = start_session(store, "kim", fx.entries(), T0, random.Random(0))
    with pytest.raises(InputError):
        session.submit("7", T0)
    assert session.position == 0 and store.load_reviews() == []
    assert session.submit("2", T0).correct


def test_a_failed_save_keeps_the_session_on_the_same_item(store: ProgressStore, monkeypatch: pytest.MonkeyPatch) -> None:
    session = start_session(store, "kim", fx.entries(), T0, random.Random(0))
    session.submit(fx.answer(session.queue[0]), T0)
    second = session.queue[1]

    def crash(self: ProgressStore, profile: str, answer: object) -> int:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(ProgressStore, "_insert_review", crash)
    with pytest.raises(RuntimeError):
        session.submit(fx.answer(second), T0)
    monkeypatch.undo()
    assert session.next_item() == second
    assert [r.card_id for r in store.load_reviews()] == [session.queue[0].card_id]
    assert set(store.load_cards("kim")) == {session.queue[0].card_id}


def test_override_reschedules_from_the_card_before_the_answer(store: ProgressStore) -> None:
    session = start_session(store, "kim", fx.entries(), T0, random.Random(0))
    with pytest.raises(InputError):
        session.override(Rating.Easy)
    session.submit("2", T0, duration_s=40.0)
    changed = session.override(Rating.Easy)
    expected, _ = review(new_card("alpha/a1", T0), Rating.Easy, T0)
    assert (changed.rating, changed.suggested, changed.due) == (Rating.Easy, Rating.Good, expected.due)
    assert store.load_cards("kim")["alpha/a1"].due == expected.due
    back = session.override(Rating.Again)  # changing one's mind again starts from the same card
    assert back.due == T0 + timedelta(minutes=1)
    assert [(r.rating, r.overridden) for r in store.load_reviews()] == [(1, True)]


def test_summary_counts_ratings_misses_and_what_is_left(store: ProgressStore) -> None:
    session = start_session(store, "kim", fx.entries(), T0, random.Random(0))
    session.submit(fx.answer(session.queue[0], right=False), T0)
    session.submit(fx.answer(session.queue[1]), T0, duration_s=2)
    summary = session.summary()
    assert (summary.answered, summary.correct, summary.remaining) == (2, 1, 2)
    assert summary.ratings == {"Again": 1, "Easy": 1}
    assert list(summary.missed) == [session.queue[0]]
    assert summary.next_due == T0 + timedelta(minutes=1)


def test_a_finished_session_refuses_more_answers(store: ProgressStore) -> None:
    session = start_session(store, "kim", fx.entries(), T0, random.Random(0), tag="network")
    for item in session.queue:
        session.submit(fx.answer(item), T0)
    assert session.position == 2 and session.next_item() is None
    with pytest.raises(InputError):
        session.submit("1", T0)


def test_content_changes_keep_progress_edited_items_keep_cards_removed_ones_are_ignored(store: ProgressStore) -> None:
    first = start_session(store, "kim", fx.entries(), T0, random.Random(0))
    for item in first.queue:
        first.submit(fx.answer(item), T0)
    edited = fx.entries()
    alpha = edited["alpha"]
    reworded = dataclasses.replace(alpha.quiz[0], text=fx.text("A clearer question?", choices=("x", "y", "z")))
    edited["alpha"] = dataclasses.replace(alpha, quiz=(reworded, fx.item("alpha", "a3", "truefalse", True)))
    later = T0 + timedelta(minutes=15)  # alpha/a1 is due again, a2 is gone, a3 is new
    session = start_session(store, "kim", edited, later, random.Random(0))
    # Due first (alpha/a1, beta/b1, beta/b2, all due at once), but not two of beta in a row.
    assert _ids(session.queue) == ["alpha/a1", "beta/b1", "alpha/a3", "beta/b2"]
    assert session.submit("2", later).due > T0 + timedelta(days=1)  # the second Good builds on the first
    assert "alpha/a2" in store.load_cards("kim")  # kept, not deleted


def test_a_bad_profile_name_is_refused(store: ProgressStore) -> None:
    with pytest.raises(InputError):
        start_session(store, "../etc", fx.entries(), T0, random.Random(0))
    with pytest.raises(InputError):
        Session(store, "a b", [], {})
