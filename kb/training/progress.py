"""How far a trainee has come: mastery per tag and per entry, due counts, streak, most-missed items.

Mastery is the mean FSRS retrievability at ``now`` of the items counted, an unseen item
counting 0. Only items in the current content count; cards and answers of removed
items stay in the store but are ignored here (the streak still counts their days).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from kb.content.entry import Entry
from kb.training.items import TrainingItem
from kb.training.scheduler import Card, retrievability, utc
from kb.training.store import ReviewRecord

MOST_MISSED = 5
OVERVIEW_FIELDS = ("profile", "answers", "items", "seen", "mastery", "due", "new",
                   "streak_days", "last_review")


@dataclass(frozen=True)
class Mastery:
    """Mastery of one group of items (a tag, an entry, or everything)."""

    key: str
    items: int
    seen: int
    due: int
    mastery: float  # 0..1


@dataclass(frozen=True)
class Missed:
    """An item answered wrong at least once."""

    card_id: str
    entry: str
    misses: int
    answers: int


@dataclass(frozen=True)
class ProgressReport:
    """Everything `faq progress` shows for one profile at one moment."""

    profile: str
    now: datetime
    overall: Mastery
    by_tag: list[Mastery] = field(default_factory=list)
    by_entry: list[Mastery] = field(default_factory=list)
    new: int = 0
    streak_days: int = 0
    answers: int = 0
    last_review: datetime | None = None
    most_missed: list[Missed] = field(default_factory=list)


def _mastery(key: str, items: Sequence[TrainingItem], cards: Mapping[str, Card], now: datetime) -> Mastery:
    seen = [cards[i.card_id] for i in items if i.card_id in cards]
    total = sum(retrievability(card, now) for card in seen)
    return Mastery(key=key, items=len(items), seen=len(seen),
                   due=sum(1 for card in seen if card.due <= now),
                   mastery=total / len(items) if items else 0.0)


def compute_streak(moments: Iterable[datetime], today: date, tz: tzinfo = UTC) -> int:
    """Consecutive days with at least one answer, ending today or yesterday (days in ``tz``)."""
    days = {m.astimezone(tz).date() for m in moments}
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak, day = streak + 1, day - timedelta(days=1)
    return streak


def build_report(profile: str, items: Sequence[TrainingItem], entries: Mapping[str, Entry],
                 cards: Mapping[str, Card], reviews: Sequence[ReviewRecord], now: datetime,
                 tz: tzinfo = UTC, tag_order: Sequence[str] = ()) -> ProgressReport:
    """The progress of ``profile`` over the current ``items`` at ``now``; days counted in ``tz``.

    Tags are listed in ``tag_order`` (e.g. the tags file's order), then any others by name.
    """
    now = utc(now)
    current = [i for i in items if i.entry in entries]
    by_entry = [
        _mastery(entry_id, linked, cards, now)
        for entry_id in entries
        if (linked := [i for i in current if i.entry == entry_id])
    ]
    used = {t for e in entries.values() for t in e.tags}
    tags = [t for t in dict.fromkeys(tag_order) if t in used] + sorted(used - set(tag_order))
    by_tag = [
        _mastery(tag, tagged, cards, now)
        for tag in tags
        if (tagged := [i for i in current if tag in entries[i.entry].tags])
    ]
    entry_of = {i.card_id: i.entry for i in current}
    misses = Counter(r.card_id for r in reviews if not r.correct and r.card_id in entry_of)
    answers = Counter(r.card_id for r in reviews if r.card_id in entry_of)
    ranked = sorted(misses, key=lambda c: (-misses[c], -misses[c] / answers[c], c))
    return ProgressReport(
        profile=profile, now=now, overall=_mastery("*", current, cards, now),
        by_tag=by_tag, by_entry=by_entry,
        new=sum(1 for i in current if i.card_id not in cards),
        streak_days=compute_streak((r.reviewed_at for r in reviews), now.astimezone(tz).date(), tz),
        answers=len(reviews),
        last_review=max((r.reviewed_at for r in reviews), default=None),
        most_missed=[Missed(c, entry_of[c], misses[c], answers[c]) for c in ranked[:MOST_MISSED]],
    )


def report_to_dict(report: ProgressReport) -> dict[str, Any]:
    """The JSON form of a report (`faq progress --json`): plain types, times in ISO 8601."""
    data = asdict(report)
    data["now"] = report.now.isoformat()
    data["last_review"] = report.last_review.isoformat() if report.last_review else None
    for group in [data["overall"], *data["by_tag"], *data["by_entry"]]:
        group["mastery"] = round(group["mastery"], 4)
    data["due"] = report.overall.due
    return data


def overview_row(report: ProgressReport) -> dict[str, Any]:
    """One CSV row per profile (`faq progress --all --csv`), keys in OVERVIEW_FIELDS order."""
    return {
        "profile": report.profile,
        "answers": report.answers,
        "items": report.overall.items,
        "seen": report.overall.seen,
        "mastery": round(report.overall.mastery, 4),
        "due": report.overall.due,
        "new": report.new,
        "streak_days": report.streak_days,
        "last_review": report.last_review.isoformat() if report.last_review else "",
    }
