"""A training session: a queue of items (due first, then new), answers checked, scheduled and saved.

The CLI and the TUI Training screen drive the same :class:`Session`: ask
``next_item()``, ``submit()`` what the trainee typed, show the :class:`Feedback`,
optionally ``override()`` the rating, and finally show ``summary()``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kb.content.entry import Entry
from kb.errors import InputError
from kb.training.items import TrainingItem, collect_items
from kb.training.scheduler import Card, Rating, choose_rating, new_card, retrievability, review, utc
from kb.training.store import ProgressStore, ReviewRecord, validate_profile

DEFAULT_COUNT = 10
MAX_ANSWER_CHARS = 200  # what is kept of a typed answer; enough to see what was meant
# An answer time beyond this (about 32 years) is no person's; it would not fit SQLite either.
MAX_DURATION_S = 1e9


@dataclass(frozen=True)
class Feedback:
    """What the trainee learns after one answer, and what was saved for it."""

    item: TrainingItem
    answer: str
    correct: bool
    rating: Rating  # in effect: the suggested one unless overridden
    suggested: Rating  # what the answer earned (Again / Good / Easy)
    due: datetime  # when this item is next due
    review_id: int

    @property
    def entry(self) -> str:
        """The entry to read next: `faq show <entry>`."""
        return self.item.entry

    def explanation(self, lang: str) -> str:
        return self.item.explanation(lang)

    def expected(self, lang: str) -> str:
        return self.item.expected(lang)


@dataclass(frozen=True)
class SessionSummary:
    """How the session went."""

    profile: str
    answered: int
    correct: int
    remaining: int  # queued items not answered (the session ended early)
    ratings: dict[str, int] = field(default_factory=dict)  # "Again" -> 2, ...
    missed: tuple[TrainingItem, ...] = ()
    next_due: datetime | None = None  # earliest due date among the items answered


class Session:
    """One pass through a queue of items for one profile, saving each answer as it is given."""

    def __init__(self, store: ProgressStore, profile: str, queue: Sequence[TrainingItem],
                 cards: Mapping[str, Card]) -> None:
        self.store = store
        self.profile = validate_profile(profile)
        self.queue: tuple[TrainingItem, ...] = tuple(queue)
        self._cards = dict(cards)
        self._position = 0
        self._feedback: list[Feedback] = []
        self._before: Card | None = None  # the last answered card before its review, for override

    @property
    def position(self) -> int:
        """How many items have been answered."""
        return self._position

    def next_item(self) -> TrainingItem | None:
        """The item to ask now (the same until it is answered), or None when the queue is done."""
        return self.queue[self._position] if self._position < len(self.queue) else None

    def submit(self, answer: str, now: datetime, duration_s: float | None = None) -> Feedback:
        """Check, schedule and save the answer to the current item, then move on.

        An unreadable answer raises InputError and changes nothing: ask again. If saving
        fails the error propagates and the session stays on the same item.
        ``duration_s`` is the time the trainee took (None if not measured). A negative,
        non-finite or absurd time (a clock gone wrong) counts as not measured: never Easy.
        """
        item = self.next_item()
        if item is None:
            raise InputError("the session has no more items", field="answer",
                             ja="このセッションには残りの問題がありません")
        correct = item.is_correct(answer)
        if duration_s is not None and not (math.isfinite(duration_s)
                                           and 0 <= duration_s <= MAX_DURATION_S):
            duration_s = None
        rating = choose_rating(correct, duration_s)
        before = self._cards.get(item.card_id) or new_card(item.card_id, now)
        duration_ms = None if duration_s is None else max(0, round(duration_s * 1000))
        after, _log = review(before, rating, now, duration_ms)
        record = ReviewRecord(card_id=item.card_id, reviewed_at=utc(now), rating=int(rating),
                              correct=correct, duration_ms=duration_ms,
                              answer=answer.strip()[:MAX_ANSWER_CHARS])
        review_id = self.store.record_answer(self.profile, after, record)
        self._cards[item.card_id] = after
        self._before = before
        self._position += 1
        feedback = Feedback(item, record.answer, correct, rating, rating, after.due, review_id)
        self._feedback.append(feedback)
        return feedback

    def override(self, rating: Rating) -> Feedback:
        """Replace the last answer's rating with the trainee's own, rescheduling its item."""
        if not self._feedback or self._before is None:
            raise InputError("there is no answer to rate yet", field="rating",
                             ja="評価する回答がまだありません")
        last = self._feedback[-1]
        rating = Rating(int(rating))
        after, _log = review(self._before, rating, self._review_time(last))
        self.store.amend_rating(self.profile, last.review_id, last.item.card_id, after, int(rating))
        self._cards[last.item.card_id] = after
        updated = Feedback(last.item, last.answer, last.correct, rating, last.suggested,
                           after.due, last.review_id)
        self._feedback[-1] = updated
        return updated

    def _review_time(self, feedback: Feedback) -> datetime:
        # Reschedule as of the moment of the answer, not of the override.
        card = self._cards[feedback.item.card_id]
        assert card.last_review is not None
        return card.last_review

    def summary(self) -> SessionSummary:
        """Counts so far: answered, right, by rating; items missed; when the next review is due."""
        ratings: dict[str, int] = {}
        for f in self._feedback:
            ratings[f.rating.name] = ratings.get(f.rating.name, 0) + 1
        dues = [self._cards[f.item.card_id].due for f in self._feedback]
        return SessionSummary(
            profile=self.profile, answered=len(self._feedback),
            correct=sum(f.correct for f in self._feedback),
            remaining=len(self.queue) - self._position, ratings=ratings,
            missed=tuple(f.item for f in self._feedback if not f.correct),
            next_due=min(dues) if dues else None,
        )


def build_queue(items: Sequence[TrainingItem], cards: Mapping[str, Card], now: datetime, *,
                entries: Mapping[str, Entry], count: int | None = DEFAULT_COUNT,
                tag: str | None = None, placement: bool = False,
                rng: random.Random | None = None) -> list[TrainingItem]:
    """The items to ask, in order.

    Normal: items due at ``now`` (longest overdue first), then never-seen items taken
    one entry at a time (round-robin in content order), at most ``count``; no two items
    in a row come from one entry while another entry has an item left. Placement: one item for every entry, the least
    known one (unseen first; ties drawn with ``rng``), ``count`` ignored. ``tag``
    keeps only items whose entry carries it.
    """
    now = utc(now)
    pool = [i for i in items if i.entry in entries and (tag is None or tag in entries[i.entry].tags)]
    if placement:
        chooser = rng or random.Random(0)
        queue = []
        for entry_id in entries:
            candidates = [i for i in pool if i.entry == entry_id]
            if candidates:
                chooser.shuffle(candidates)
                queue.append(min(candidates, key=lambda i: retrievability(cards.get(i.card_id), now)))
        return queue
    due = sorted((i for i in pool if i.card_id in cards and cards[i.card_id].due <= now),
                 key=lambda i: cards[i.card_id].due)
    new = _round_robin([i for i in pool if i.card_id not in cards])
    limit = len(due) + len(new) if count is None else max(0, count)
    return _spread(due + new, limit)


def _round_robin(items: Sequence[TrainingItem]) -> list[TrainingItem]:
    """``items`` taken one entry at a time: each entry's first item in entry order, then each second..."""
    by_entry: dict[str, list[TrainingItem]] = {}
    for item in items:
        by_entry.setdefault(item.entry, []).append(item)
    rounds = max((len(group) for group in by_entry.values()), default=0)
    return [group[n] for n in range(rounds) for group in by_entry.values() if n < len(group)]


def _spread(items: Sequence[TrainingItem], limit: int) -> list[TrainingItem]:
    """The first ``limit`` of ``items`` in their order, except that an item from the entry just
    asked waits while an item from another entry is left: three questions in a row on one
    entry teach the entry's wording, not its content."""
    waiting = list(items)
    queue: list[TrainingItem] = []
    while waiting and len(queue) < limit:
        previous = queue[-1].entry if queue else None
        pick = next((n for n, item in enumerate(waiting) if item.entry != previous), 0)
        queue.append(waiting.pop(pick))
    return queue


def start_session(store: ProgressStore, profile: str, entries: Mapping[str, Entry], now: datetime,
                  rng: random.Random, *, count: int | None = DEFAULT_COUNT, tag: str | None = None,
                  placement: bool = False) -> Session:
    """A session for ``profile`` over the content ``entries``, generated numbers drawn from ``rng``.

    An unknown ``tag`` or a bad profile name raises InputError.
    """
    validate_profile(profile)
    if tag is not None and not any(tag in e.tags for e in entries.values()):
        known = sorted({t for e in entries.values() for t in e.tags})
        raise InputError(f"no entry has the tag {tag!r}; tags: {', '.join(known)}", field="tag",
                         ja=f"タグ {tag!r} が付いたエントリはありません。使用できるタグ: {', '.join(known)}")
    if count is not None and count < 1:
        raise InputError(f"count must be 1 or more, not {count}", field="count",
                         ja=f"件数には 1 以上を指定してください (指定値: {count})")
    items = collect_items(entries, rng)
    cards = store.load_cards(profile)
    queue = build_queue(items, cards, now, entries=entries, count=count, tag=tag,
                        placement=placement, rng=rng)
    return Session(store, profile, queue, cards)
