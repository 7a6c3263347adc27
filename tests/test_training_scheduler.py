"""FSRS scheduling with a fixed clock: right answers push the due date out, wrong ones bring it back."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest

from kb.training.scheduler import (
    FAST_SECONDS,
    Rating,
    State,
    card_from_json,
    card_to_json,
    choose_rating,
    fsrs_card_id,
    new_card,
    retrievability,
    review,
)

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("correct,seconds,rating", [
    (False, 1.0, Rating.Again), (False, None, Rating.Again), (True, 3.0, Rating.Easy),
    (True, FAST_SECONDS - 0.01, Rating.Easy), (True, FAST_SECONDS, Rating.Good),
    (True, 45.0, Rating.Good), (True, None, Rating.Good), (True, 0.0, Rating.Easy),
    # A time below zero or not a number is a clock gone wrong, not a fast answer.
    (True, -1.0, Rating.Good), (True, -0.001, Rating.Good), (True, -FAST_SECONDS, Rating.Good),
    (True, -math.inf, Rating.Good), (True, math.nan, Rating.Good), (True, math.inf, Rating.Good),
    (False, -1.0, Rating.Again), (False, math.nan, Rating.Again),
])
def test_rating_from_the_answer(correct: bool, seconds: float | None, rating: Rating) -> None:
    assert choose_rating(correct, seconds) == rating


def test_right_is_due_later_than_wrong_on_a_new_card() -> None:
    card = new_card("alpha/a1", T0)
    assert card.due == T0
    good, _ = review(card, Rating.Good, T0)
    again, _ = review(card, Rating.Again, T0)
    easy, _ = review(card, Rating.Easy, T0)
    assert again.due == T0 + timedelta(minutes=1)
    assert good.due == T0 + timedelta(minutes=10)
    assert easy.due >= T0 + timedelta(days=1)


def test_a_run_of_right_answers_pushes_the_due_date_out_further_each_time() -> None:
    card, now, intervals = new_card("alpha/a1", T0), T0, []
    for _ in range(6):
        card, _log = review(card, Rating.Good, now)
        intervals.append(card.due - now)
        now = card.due
    assert intervals == sorted(intervals) and len(set(intervals)) == len(intervals)
    assert intervals[-1] > timedelta(days=10)
    assert card.state == State.Review


def test_a_wrong_answer_brings_a_learned_card_back_within_minutes() -> None:
    card, now = new_card("alpha/a1", T0), T0
    for _ in range(4):
        card, _log = review(card, Rating.Good, now)
        now = card.due
    before = card
    kept, _ = review(card, Rating.Good, now)
    lapsed, _ = review(card, Rating.Again, now)
    assert kept.due - now > timedelta(days=5)
    assert lapsed.due <= now + timedelta(minutes=10)
    assert lapsed.state == State.Relearning
    assert lapsed.stability is not None and before.stability is not None
    assert lapsed.stability < before.stability


def test_no_fuzz_the_same_history_gives_the_same_due_date() -> None:
    def run() -> datetime:
        card, now = new_card("x", T0), T0
        for _ in range(5):
            card, _ = review(card, Rating.Good, now)
            now = card.due
        return card.due

    assert run() == run()


def test_retrievability_is_zero_unseen_about_one_right_after_and_ninety_percent_at_stability() -> None:
    assert retrievability(None, T0) == 0.0
    assert retrievability(new_card("x", T0), T0) == 0.0
    card, _ = review(new_card("x", T0), Rating.Easy, T0)
    assert card.stability is not None
    assert retrievability(card, T0) == pytest.approx(1.0)
    assert retrievability(card, T0 + timedelta(days=card.stability)) == pytest.approx(0.9, abs=1e-6)
    later = [retrievability(card, T0 + timedelta(hours=h)) for h in (1, 12, 48, 500)]
    assert later == sorted(later, reverse=True) and later[0] < 1.0


def test_times_must_carry_a_zone_and_any_zone_is_taken_as_utc() -> None:
    with pytest.raises(ValueError):
        new_card("x", datetime(2024, 5, 1, 9, 0))
    tokyo = T0.astimezone(timezone(timedelta(hours=9)))
    assert review(new_card("x", T0), Rating.Good, tokyo)[0].due == T0 + timedelta(minutes=10)


def test_cards_round_trip_through_json_and_ids_are_stable() -> None:
    card, _ = review(new_card("alpha/a1", T0), Rating.Good, T0)
    assert card_from_json(card_to_json(card)) == card
    assert fsrs_card_id("alpha/a1") == fsrs_card_id("alpha/a1") != fsrs_card_id("alpha/a2")
    assert 0 < fsrs_card_id("alpha/a1") < 2**63
