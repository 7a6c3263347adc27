"""Progress: mastery per tag and entry, due counts, streak, most-missed items, JSON and CSV rows."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kb.training.items import collect_items
from kb.training.progress import (
    OVERVIEW_FIELDS,
    build_report,
    compute_streak,
    overview_row,
    report_to_dict,
)
from kb.training.scheduler import Rating, new_card, retrievability, review
from kb.training.store import ReviewRecord

sys.path.insert(0, str(Path(__file__).parent / "data" / "training"))
import training_fixture_kb as fx  # noqa: E402

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
TODAY = date(2024, 5, 10)
TOKYO = timezone(timedelta(hours=9))


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.mark.parametrize("days_ago,streak", [
    ([], 0), ([0], 1), ([0, 0, 0], 1), ([0, 1, 2], 3), ([1, 2], 2), ([2, 3], 0), ([0, 2, 3], 1),
    ([1, 2, 3, 5, 6], 3),
])
def test_streak_counts_consecutive_days_ending_today_or_yesterday(days_ago: list[int], streak: int) -> None:
    assert compute_streak([_at(TODAY - timedelta(days=d)) for d in days_ago], TODAY) == streak


def test_streak_days_are_the_trainees_local_days() -> None:
    # 23:30 UTC on the 9th is the morning of the 10th in Tokyo: two days there, one in UTC.
    moments = [datetime(2024, 5, 9, 1, 0, tzinfo=UTC), datetime(2024, 5, 9, 23, 30, tzinfo=UTC)]
    assert compute_streak(moments, date(2024, 5, 10), TOKYO) == 2
    assert compute_streak(moments, date(2024, 5, 9), UTC) == 1


def _record(card_id: str, correct: bool, at: datetime = T0) -> ReviewRecord:
    return ReviewRecord(card_id, at, 3 if correct else 1, correct, None, "")


def test_mastery_is_mean_retrievability_with_unseen_items_at_zero() -> None:
    entries = fx.entries()
    items = collect_items(entries)
    a1, _ = review(new_card("alpha/a1", T0), Rating.Easy, T0)
    b1, _ = review(new_card("beta/b1", T0), Rating.Again, T0)
    cards = {"alpha/a1": a1, "beta/b1": b1}
    now = T0 + timedelta(days=2)
    r_a1, r_b1 = retrievability(a1, now), retrievability(b1, now)
    assert r_a1 > r_b1 > 0
    report = build_report("kim", items, entries, cards, [_record("alpha/a1", True), _record("beta/b1", False)], now)
    by_entry = {m.key: m for m in report.by_entry}
    assert by_entry["alpha"].mastery == pytest.approx(r_a1 / 2)
    assert by_entry["beta"].mastery == pytest.approx(r_b1 / 2)
    assert (by_entry["alpha"].seen, by_entry["alpha"].items) == (1, 2)
    by_tag = {m.key: m for m in report.by_tag}
    assert by_tag["planning"].mastery == pytest.approx(by_entry["alpha"].mastery)
    assert report.overall.mastery == pytest.approx((r_a1 + r_b1) / 4)
    assert (report.overall.due, report.new) == (1, 2)  # b1 was due a minute after T0; a1 in days


def test_tags_follow_the_given_order_then_the_rest_by_name() -> None:
    entries = fx.entries()
    report = build_report("kim", collect_items(entries), entries, {}, [], T0, tag_order=["planning", "unused"])
    assert [m.key for m in report.by_tag] == ["planning", "network"]


def test_most_missed_ranks_by_misses_and_ignores_removed_items() -> None:
    entries = fx.entries()
    reviews = [_record("beta/b1", False), _record("beta/b1", False), _record("beta/b1", True),
               _record("alpha/a2", False), _record("alpha/a2", False),
               _record("alpha/a1", False), _record("alpha/a1", True), _record("alpha/a1", True),
               _record("retired/q", False), _record("retired/q", False), _record("retired/q", False),
               _record("beta/b2", True)]
    report = build_report("kim", collect_items(entries), entries, {}, reviews, T0)
    assert [(m.card_id, m.misses, m.answers) for m in report.most_missed] == [
        ("alpha/a2", 2, 2), ("beta/b1", 2, 3), ("alpha/a1", 1, 3)]
    assert report.most_missed[0].entry == "alpha"


def test_cards_of_removed_items_do_not_count() -> None:
    entries = fx.entries()
    gone, _ = review(new_card("retired/q", T0), Rating.Again, T0)
    report = build_report("kim", collect_items(entries), entries, {"retired/q": gone}, [], T0 + timedelta(hours=1))
    assert (report.overall.seen, report.overall.due, report.overall.mastery, report.new) == (0, 0, 0.0, 4)


def test_json_and_csv_forms() -> None:
    entries = fx.entries()
    a1, _ = review(new_card("alpha/a1", T0), Rating.Good, T0)
    report = build_report("kim", collect_items(entries), entries, {"alpha/a1": a1},
                          [_record("alpha/a1", True)], T0 + timedelta(hours=1))
    data = json.loads(json.dumps(report_to_dict(report)))
    assert data["profile"] == "kim" and data["answers"] == 1 and data["due"] == 1
    assert data["last_review"] == T0.isoformat() and data["streak_days"] == 1
    assert {e["key"] for e in data["by_entry"]} == {"alpha", "beta"}
    row = overview_row(report)
    assert tuple(row) == OVERVIEW_FIELDS
    assert (row["seen"], row["items"], row["new"]) == (1, 4, 3)
    assert 0 < row["mastery"] <= 0.25
