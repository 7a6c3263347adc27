"""FSRS scheduling, one card per quiz item: wrong is Again, right is Good, right and fast is Easy.

A thin, clock-free layer over the ``fsrs`` package: every function takes ``now``.
Fuzzing is off, so the same history always gives the same due dates (and tests can
pin them); the package's fuzz would draw from the global random generator.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from fsrs import Card, Rating, ReviewLog, Scheduler, State

# An answer right in under this many seconds is rated Easy: it was recalled, not worked out.
FAST_SECONDS = 10.0

_SCHEDULER = Scheduler(enable_fuzzing=False)

__all__ = [
    "FAST_SECONDS", "Card", "Rating", "ReviewLog", "State", "card_from_json", "card_to_json",
    "choose_rating", "fsrs_card_id", "new_card", "retrievability", "review", "utc",
]


def utc(now: datetime) -> datetime:
    """``now`` in UTC; a naive datetime is refused, since its zone is a guess."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def choose_rating(correct: bool, duration_s: float | None) -> Rating:
    """The rating an answer earns: Again if wrong, Easy if right within FAST_SECONDS, else Good.

    ``duration_s`` is None when the time is not a person's (answers piped in): never Easy;
    nor is a negative or NaN time (a clock gone wrong), which is no evidence of speed.
    """
    if not correct:
        return Rating.Again
    if duration_s is not None and 0 <= duration_s < FAST_SECONDS:
        return Rating.Easy
    return Rating.Good


def fsrs_card_id(card_id: str) -> int:
    """A stable integer for the fsrs Card's own id, derived from our string card id."""
    return int.from_bytes(hashlib.sha256(card_id.encode()).digest()[:7], "big")


def new_card(card_id: str, now: datetime) -> Card:
    """A card never reviewed, due at ``now``."""
    return Card(card_id=fsrs_card_id(card_id), due=utc(now))


def review(card: Card, rating: Rating, now: datetime, duration_ms: int | None = None) -> tuple[Card, ReviewLog]:
    """The card after one review at ``now`` with ``rating``, and the review's log."""
    return _SCHEDULER.review_card(card, rating, review_datetime=utc(now), review_duration=duration_ms)


def retrievability(card: Card | None, now: datetime) -> float:
    """The chance of recalling the card at ``now`` (0 for an unseen card).

    FSRS's forgetting curve with fractional days: the package rounds elapsed time
    down to whole days, which would show a card missed an hour ago as fully known.
    """
    if card is None or card.last_review is None or not card.stability:
        return 0.0
    decay = -_SCHEDULER.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    elapsed_days = max(0.0, (utc(now) - card.last_review).total_seconds() / 86400)
    return float((1 + factor * elapsed_days / card.stability) ** decay)


def card_to_json(card: Card) -> str:
    """The card as stored in the progress file (the fsrs package's own JSON form)."""
    return card.to_json()


def card_from_json(text: str) -> Card:
    """A card read back from the progress file."""
    return Card.from_json(text)
