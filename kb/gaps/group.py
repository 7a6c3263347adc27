"""Gaps: the logged questions nobody answered well, grouped by what they are about.

A question is a gap when it got no confident answer, a low one, or when the person then
opened another entry than the top answer. Similar questions are grouped across languages
by the knowledge base's own analysis: their features are glossary concepts (one key for
every spelling in either language), quantities and content words (Japanese lemmas, English
stems), compared by a weighted Jaccard overlap and joined by single-link clustering.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from kb.content.entry import GlossaryTerm
from kb.content.load import KnowledgeBase
from kb.gaps.records import Asked, LogContents, Opened
from kb.text.analysis import normalize
from kb.text.glossary import concepts_in, phrase_features

# An answer this unsure is shown, but a person would not call the question answered.
LOW_CONFIDENCE = 0.6
# Two questions whose weighted feature overlap reaches this are about the same thing.
SIMILARITY = 0.3
# A concept or a Latin word (a product, an acronym) is the same in both languages, so it is
# what joins a Japanese question to an English one; plain words weigh one.
CONCEPT_WEIGHT = 2.0
LATIN_IN_ANY_LANGUAGE_WEIGHT = 1.5
# A concept most entries mention (the domain itself: "live migration") says little about
# which gap a question is: its weight shrinks with the share of entries that mention it.
MIN_CONCEPT_SHARE_WEIGHT = 0.2
CONCEPT_SAMPLE = 2000  # entries looked at for that share in a big knowledge base
CLOSEST = 3

REASONS = ("no-answer", "low-confidence", "other-opened")


@dataclass
class Gap:
    """One group of similar questions: how often and how lately asked, and the closest entries."""

    questions: list[str]  # each as first asked, the most asked first
    count: int
    closest: list[str]
    last_seen: datetime
    languages: list[str]
    reasons: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"questions": self.questions, "count": self.count, "closest": self.closest,
                "last_seen": self.last_seen.isoformat(timespec="seconds"), "languages": self.languages,
                "reasons": self.reasons}


def gap_reason(asked: Asked, opened: Opened | None, low: float = LOW_CONFIDENCE) -> str | None:
    """Why this asking is a gap, or None when it was answered and the answer was taken."""
    if asked.answer is None:
        return "no-answer"
    if opened is not None and opened.entry != asked.answer:
        return "other-opened"
    if asked.confidence is not None and asked.confidence < low:
        return "low-confidence"
    return None


def find_gaps(contents: LogContents, kb: KnowledgeBase, *,
              since: datetime | None = None, min_count: int = 1, low: float = LOW_CONFIDENCE,
              similarity: float = SIMILARITY) -> list[Gap]:
    """The gaps of a log, most frequent first, then the most recently asked.

    A question accepted into an entry or dismissed is left out, and so is one whose latest
    asking was answered well (it has been answered since). Only entries that are still in
    ``kb`` are offered as the closest.
    """
    known = set(kb.entries)
    hidden = {normalize(a.question) for a in contents.accepted} | {normalize(q) for q in contents.dismissed}
    first_open: dict[str, Opened] = {}
    for opened in sorted(contents.opened, key=lambda o: o.time):
        first_open.setdefault(opened.ask, opened)
    by_question: dict[str, list[tuple[Asked, str | None]]] = defaultdict(list)
    for asked in sorted(contents.asked, key=lambda a: a.time):
        key = normalize(asked.text)
        if not key or key in hidden or since is not None and asked.time < since:
            continue
        by_question[key].append((asked, gap_reason(asked, first_open.get(asked.id), low)))
    occurrences: dict[str, list[tuple[Asked, str]]] = {}
    for key, asks in by_question.items():
        if asks[-1][1] is None:
            continue  # answered the last time it was asked
        occurrences[key] = [(a, reason) for a, reason in asks if reason is not None]
    matcher = _Features(kb.glossary, concept_shares(kb))
    groups = cluster(list(occurrences), matcher, similarity)
    gaps = [_gap([occ for key in keys for occ in occurrences[key]], first_open, known) for keys in groups]
    gaps = [g for g in gaps if g.count >= min_count]
    gaps.sort(key=lambda g: (-g.count, -g.last_seen.timestamp()))
    return gaps


def cluster(keys: list[str], features: Callable[[str], dict[str, float]], threshold: float) -> list[list[str]]:
    """Single-link clusters of ``keys``: two keys join when their features overlap enough."""
    weights = [features(k) for k in keys]
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only questions sharing a feature can be similar: compare those, not every pair.
    postings: dict[str, list[int]] = defaultdict(list)
    for i, features_i in enumerate(weights):
        compared: set[int] = set()
        for key in features_i:
            for j in postings[key]:
                if j in compared:
                    continue
                compared.add(j)
                if root(i) != root(j) and weighted_jaccard(features_i, weights[j]) >= threshold:
                    parent[root(i)] = root(j)
            postings[key].append(i)
    groups: dict[int, list[str]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[root(i)].append(key)
    return list(groups.values())


def weighted_jaccard(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Shared weight over the weight of everything either has (0 when both are empty)."""
    union = sum(max(a.get(k, 0.0), b.get(k, 0.0)) for k in a.keys() | b.keys())
    if not union:
        return 0.0
    return sum(min(a[k], b[k]) for k in a.keys() & b.keys()) / union


class _Features:
    """A question's weighted features (cached per normalized text)."""

    def __init__(self, glossary: Mapping[str, GlossaryTerm], shares: Mapping[str, float]) -> None:
        self.glossary = glossary
        self.shares = shares
        self._cache: dict[str, dict[str, float]] = {}

    def __call__(self, key: str) -> dict[str, float]:
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = question_features(key, self.glossary, self.shares)
        return cached


# English words the analysis keeps because a search needs them ("IS NULL", "not found", "for
# loop"), but that say nothing about which gap a question is: "Is CSV required?" and
# "CSV は必須ですか" are the same question.
_FUNCTION_WORDS = frozenset("is if in for with not".split())


def question_features(text: str, glossary: Mapping[str, GlossaryTerm],
                      shares: Mapping[str, float] | None = None) -> dict[str, float]:
    """Glossary concepts, quantities and content words of ``text``, weighted for grouping."""
    out: dict[str, float] = {}
    for key in phrase_features(text, glossary):
        if key in _FUNCTION_WORDS:
            continue
        if key.startswith("@"):
            share = (shares or {}).get(key[1:], 0.0)
            out[key] = CONCEPT_WEIGHT * max(MIN_CONCEPT_SHARE_WEIGHT, 1.0 - share)
        elif key.isascii() and key.isalnum():
            out[key] = LATIN_IN_ANY_LANGUAGE_WEIGHT
        else:
            out[key] = 1.0
    return out


def concept_shares(kb: KnowledgeBase) -> dict[str, float]:
    """Each glossary concept's share of the entries that mention it (a sample of a big KB)."""
    entries = list(kb.entries.values())
    step = max(1, len(entries) // CONCEPT_SAMPLE)
    sample = entries[::step]
    counts: Counter[str] = Counter()
    for entry in sample:
        text = " ".join(f"{loc.question} {' '.join(loc.alternates)} {loc.answer}" for loc in entry.text.values())
        counts.update(set(concepts_in(text, kb.glossary)))
    return {concept: n / len(sample) for concept, n in counts.items()} if sample else {}


def _gap(occurrences: list[tuple[Asked, str]], first_open: Mapping[str, Opened], known: set[str]) -> Gap:
    texts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    closeness: dict[str, float] = defaultdict(float)
    reasons: Counter[str] = Counter()
    for asked, reason in occurrences:
        key = normalize(asked.text)
        texts[key] += 1
        shown.setdefault(key, asked.text.strip())
        reasons[reason] += 1
        for entry_id, confidence in asked.closest:
            closeness[entry_id] += confidence
        opened = first_open.get(asked.id)
        if opened is not None:
            closeness[opened.entry] += 1.0  # what a person chose weighs more than any score
    order = sorted(texts, key=lambda k: -texts[k])  # stable: ties stay in the order first asked
    closest = [i for i, _ in sorted(closeness.items(), key=lambda p: (-p[1], p[0])) if i in known][:CLOSEST]
    languages = sorted({a.lang for a, _ in occurrences}, key=lambda code: (code != "ja", code))
    return Gap(questions=[shown[k] for k in order], count=len(occurrences), closest=closest,
               last_seen=max(a.time for a, _ in occurrences), languages=languages,
               reasons={r: reasons[r] for r in REASONS if reasons[r]})
