"""Which logged questions are gaps, and how they are grouped, counted and ordered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kb.gaps.group import cluster, find_gaps, gap_reason, question_features, weighted_jaccard
from kb.gaps.records import Accepted, Asked, LogContents, Opened

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def asked(text: str, minutes: int = 0, answer: str | None = None, confidence: float | None = None,
          closest: tuple[tuple[str, float], ...] = (), lang: str = "ja", ask_id: str | None = None) -> Asked:
    return Asked(id=ask_id or f"{text}-{minutes}", time=T0 + timedelta(minutes=minutes), text=text, lang=lang,
                 answer=answer, confidence=confidence, closest=closest)


@pytest.mark.parametrize("a, b, together", [
    ("Macintosh の値段", "price of a Macintosh", True),
    ("Macintosh の値段", "Macintosh はいくら", True),
    ("VMware から移行したい", "How do I migrate from VMware?", True),
    ("CSV は必須ですか", "Is CSV required?", True),
    ("ライブ マイグレーション中に ping が途切れる", "ping drops during live migration", True),
    ("Macintosh の値段", "VMware から移行したい", False),
    ("ライブマイグレーションの所要時間", "ライブマイグレーションに必要な NIC", False),  # one domain, two topics
    ("Azure に移行できる?", "VMware から移行したい", False),
])
def test_similar_questions_group_across_languages(real_kb, a, b, together):
    from kb.gaps.group import SIMILARITY, concept_shares

    shares = concept_shares(real_kb)
    similarity = weighted_jaccard(question_features(a, real_kb.glossary, shares),
                                  question_features(b, real_kb.glossary, shares))
    assert (similarity >= SIMILARITY) is together, similarity


def test_single_link_joins_a_chain():
    features = {"a": {"x": 1.0, "y": 1.0}, "b": {"y": 1.0, "z": 1.0}, "c": {"z": 1.0, "w": 1.0}, "d": {"q": 1.0}}
    groups = cluster(list(features), features.__getitem__, 0.3)
    assert sorted(sorted(g) for g in groups) == [["a", "b", "c"], ["d"]]


@pytest.mark.parametrize("record, opened, reason", [
    (asked("q"), None, "no-answer"),
    (asked("q", answer="a", confidence=0.5), None, "low-confidence"),
    (asked("q", answer="a", confidence=0.9), None, None),
    (asked("q", answer="a", confidence=0.9), Opened("x", T0, "a", 1), None),
    (asked("q", answer="a", confidence=0.9), Opened("x", T0, "b", 3), "other-opened"),
    (asked("q", answer="a", confidence=0.9), Opened("x", T0, "b", None), "other-opened"),
])
def test_what_makes_a_gap(record, opened, reason):
    assert gap_reason(record, opened) == reason


def test_gaps_are_counted_most_frequent_then_newest_first(real_kb):
    contents = LogContents(asked=[
        asked("Macintosh の値段", 0), asked("price of a Macintosh", 1, lang="en"), asked("Macintosh はいくら", 2),
        asked("Macintosh の値段", 3),
        asked("VMware から移行したい", 10, closest=(("what-is-live-migration", 0.3), ("gone-entry", 0.9))),
        asked("Azure に移行できる?", 20), asked("Azure に移行できる?", 21),
        asked("CSV は必要ですか", 30, answer="csv-required", confidence=0.95),  # answered: no gap
    ])
    gaps = find_gaps(contents, real_kb)
    assert [(g.questions[0], g.count) for g in gaps] == [
        ("Macintosh の値段", 4), ("Azure に移行できる?", 2), ("VMware から移行したい", 1)]
    mac = gaps[0]
    assert mac.questions == ["Macintosh の値段", "price of a Macintosh", "Macintosh はいくら"]
    assert mac.languages == ["ja", "en"] and mac.last_seen == T0 + timedelta(minutes=3)
    assert mac.reasons == {"no-answer": 4}
    assert gaps[2].closest == ["what-is-live-migration"]  # an entry no longer in the content is not offered
    assert [g.count for g in find_gaps(contents, real_kb, min_count=2)] == [4, 2]
    since = find_gaps(contents, real_kb, since=T0 + timedelta(minutes=15))
    assert [g.questions[0] for g in since] == ["Azure に移行できる?"]


def test_an_entry_opened_instead_of_the_answer_is_a_gap_and_the_closest(real_kb):
    contents = LogContents(
        asked=[asked("仮想マシンを止めずに移したい", 0, answer="how-to-start", confidence=0.8,
                     closest=(("how-to-start", 0.8), ("what-is-live-migration", 0.6)), ask_id="k1")],
        opened=[Opened("k1", T0 + timedelta(seconds=9), "what-is-live-migration", 2)])
    (gap,) = find_gaps(contents, real_kb)
    assert gap.reasons == {"other-opened": 1}
    assert gap.closest[0] == "what-is-live-migration"  # what the person chose comes first


def test_accepted_dismissed_and_since_answered_questions_are_left_out(real_kb):
    contents = LogContents(
        asked=[asked("Macintosh の値段", 0), asked("VMware から移行したい", 1), asked("Azure に移行できる?", 2),
               asked("NIC は何枚", 3), asked("NIC は何枚", 4, answer="network-adapters", confidence=0.9)],
        accepted=[Accepted("vmware から 移行したい", "what-is-live-migration", "ja", T0)],
        dismissed=["Azure に移行できる?"])
    assert [g.questions for g in find_gaps(contents, real_kb)] == [["Macintosh の値段"]]
