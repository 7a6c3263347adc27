"""Scoring entries against a question, every candidate considered, and calibrated confidence.

An entry's raw score is the idf-weighted share of the question it explains (coverage)
mixed with how closely its best phrasing matches the question (weighted Dice), lightly
damped by BM25 and held down when the entry is out of the question's scope (another
version, a topic the knowledge base says it is not about). Every entry the query matches
is a candidate, with the BM25 score Whoosh gives it (computed term at a time); candidates
are taken in order of an upper bound of that score, computed from which of the question's
features each one holds, and scoring stops only when no remaining candidate can reach the
best ones: no cap on how far down BM25 the right entry may be.
"""

from __future__ import annotations

import math
import sys
from bisect import insort
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kb.retrieval.question import TEXT_EN, TEXT_JA, Question
from kb.retrieval.scope import Scope
from kb.retrieval.whoosh_compat import TermScores, live_documents, union_scores

PHRASE_WEIGHT = 0.5
SCORE_DAMPING = 0.25
MISMATCH_FACTOR = 0.3
DEFAULT_FACTOR = 0.7
# Kept between questions, each up to a size: posting sets of the question's features (common
# words too: about 70 bytes a posting), every posting's BM25 score of query terms (about 100
# bytes a posting), and entries' decoded vocabulary and phrasings (about 3 KB an entry).
POSTINGS_BUDGET = 1_000_000
SCORES_BUDGET = 400_000
STORED_CACHE = 12000
_SLACK = 1 + 1e-9  # a bound is never below a score it bounds for rounding's sake
THRESHOLD = 0.5  # calibrated: an answer is confident when it is more likely right than not


@dataclass(frozen=True)
class Scored:
    id: str
    raw: float
    score: float  # BM25


@dataclass
class Exclusion:
    """Leave-one-out, for calibration probes: an entry left out of the knowledge base."""

    entry: str
    gone: frozenset[str] = frozenset()  # keys whose document frequency drops by one


@dataclass(frozen=True)
class Calibration:
    """P(the best entry is right) from its raw score, its lead over the next one and the share
    of the question's weight in words the content never uses.

    Fitted per knowledge base at index build time (kb.retrieval.calibration) on probes made
    from its own questions and alternates; the default is for a knowledge base too small
    to probe. The bar (``-bias / w_raw``) holds for a question with ``unknown_pivot`` of
    its weight unknown; it moves by ``w_unknown`` of itself per unit of share above or below.
    """

    w_raw: float = 12.0
    w_margin: float = 4.0
    bias: float = -5.4
    probes: int = 0
    w_unknown: float = 0.0
    unknown_pivot: float = 0.0

    def probability(self, raw: float, margin: float, unknown_share: float = 0.0) -> float:
        bar_scale = 1.0 + self.w_unknown * (unknown_share - self.unknown_pivot)
        z = self.w_raw * raw + self.w_margin * margin + self.bias * bar_scale
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, float | int]:
        return {"w_raw": self.w_raw, "w_margin": self.w_margin, "bias": self.bias, "probes": self.probes,
                "w_unknown": self.w_unknown, "unknown_pivot": self.unknown_pivot}


class Ranker:
    """Scores the candidates of a question; ``weight(key, df)`` is the analyzer's weight."""

    def __init__(self, searcher: Any, scope: Scope, weight: Callable[..., float]) -> None:
        self.searcher = searcher
        self._scorer = TermScores(searcher)  # its segments' field lengths read once, not per term
        self.scope = scope
        self._weight = weight
        self._mass: dict[tuple[str, ...], float] = {}
        self._postings: OrderedDict[tuple[str, str], Any] = OrderedDict()  # frozensets, or a term's score keys
        self._stored: dict[int, dict[str, Any]] = {}
        self._scores: OrderedDict[tuple[str, str, float], dict[int, float]] = OrderedDict()
        self._held = {"postings": 0, "scores": 0}

    def rank(self, question: Question, keep: int, exclusion: Exclusion | None = None,
             df: Callable[[str], int] | None = None) -> list[Scored]:
        """The ``keep`` best entries by raw score, best first.

        Matches are walked feature by feature, the heaviest first (MaxScore over the
        question's features): a match that holds none of the features walked so far holds at
        most the weight of those left (``_tails``), so once the best ``keep`` beat what that
        weight can reach, no match left is looked at. Within a feature's holders, those with
        the highest bound come first, and the walk stops at the first that cannot win.
        """
        if question.query is None or question.total <= 0:
            return []
        scores = self._match_scores(question.query)
        if not scores:
            return []
        best_bm25 = max(scores.values()) or 1.0
        total = question.total
        held = self._holders(question)
        order = sorted(range(len(held)), key=lambda i: -held[i][0])
        tails = _tails([held[i][0] for i in order])
        matched = scores.keys()
        seen: set[int] = set()
        found: list[Scored] = []  # the best ``keep`` so far, best first
        for step in range(len(order) + 1):
            if len(found) >= keep and found[keep - 1].raw > _bound(min(tails[step], total), total) * _SLACK:
                break  # every match not yet seen holds at most tails[step] of the question's weight
            if step < len(order):
                group = set().union(*(matched & places for places in held[order[step]][1])) - seen
            else:  # matches that hold none of the features: bound 0, seen only while a raw 0 can win
                group = matched - seen
            seen |= group
            # The bound includes BM25's damping (``raw`` multiplies by it too).
            mass = _masses(held, group)
            bounded = sorted(((_bound(min(mass[d], total), total)
                               * (1 - SCORE_DAMPING * (1 - float(scores[d]) / best_bm25)) * _SLACK, scores[d], d)
                              for d in group), key=lambda x: (-x[0], -x[1], x[2]))
            for bound, score, docnum in bounded:
                if len(found) >= keep and found[keep - 1].raw > bound:
                    break  # no candidate left in this group can reach the best ``keep``, not even to tie
                fields = self._fields(docnum)
                if exclusion is not None and fields["id"] == exclusion.entry:
                    continue
                raw = self.raw(question, fields, float(score) / best_bm25, exclusion, df)
                scored = Scored(fields["id"], raw, float(score))
                # Ties go by id, not by document number: an updated index numbers its documents
                # otherwise than a full build of the same content, and must answer the same.
                if len(found) < keep or _order(scored) < _order(found[-1]):
                    insort(found, scored, key=_order)
                    del found[keep:]
        return found

    def _holders(self, question: Question) -> list[tuple[float, list[frozenset[int]]]]:
        """Each feature of positive weight, in the question's order, with the posting sets of
        the terms that hold it: a feature is covered only by an entry whose vocabulary has it
        (or one of its completions), and an entry's vocabulary is its words in the text fields
        and its concepts, each of which is in that field's postings. Features too common to
        search by count only where they are, not for every entry."""
        out = []
        for key, weight in question.features.items():
            if weight <= 0:
                continue
            places: list[frozenset[int]] = []
            for part in question.alternatives.get(key, (key,)):
                fields = (("concepts", part[1:]),) if part.startswith("@") else ((TEXT_JA, part), (TEXT_EN, part))
                places.extend(docs for fieldname, text in fields if (docs := self._docs(fieldname, text)))
            out.append((weight, places))
        return out

    def _match_scores(self, query: Any) -> dict[int, float]:
        """Document number -> BM25 score of every document the query matches, as Whoosh's
        unlimited search scores them; each term's scores are computed once and kept."""
        scores = union_scores(self.searcher, query, self._term_scores)
        if scores is None:
            return {d: s for s, d in self.searcher.search(query, limit=None).top_n}
        return scores

    def _term_scores(self, term: Any) -> dict[int, float]:
        key = (term.fieldname, term.text, term.boost)
        found = self._scores.get(key)
        if found is None:
            found = self._scorer(term)
            self._keep(self._scores, "scores", key, found, SCORES_BUDGET)
            if (term.fieldname, term.text) not in self._postings:
                # Its live holders, for a feature the term stands for: not decoded a second time.
                self._keep(self._postings, "postings", (term.fieldname, term.text), found.keys(), POSTINGS_BUDGET)
        else:
            self._scores.move_to_end(key)
        return found

    def _keep(self, cache: OrderedDict[Any, Any], kind: str, key: Any, value: Any, budget: int) -> None:
        """Keep ``value`` in ``cache``, the least recently used ones dropped beyond ``budget``
        postings (or budget // 100 lists)."""
        cache[key] = value
        self._held[kind] += len(value)
        while (self._held[kind] > budget or len(cache) > budget // 100) and len(cache) > 1:
            _key, old = cache.popitem(last=False)
            self._held[kind] -= len(old)

    def _fields(self, docnum: int) -> dict[str, Any]:
        """What ``raw`` reads of an entry (its id, vocabulary and phrasings), decoded once: the
        walk reads the same entries question after question (a word being typed), and
        unpickling them was most of a question's time. Words are interned, so the many
        entries kept share their strings (about 3 MB per 1,000 entries)."""
        fields = self._stored.get(docnum)
        if fields is None:
            stored = self.searcher.stored_fields(docnum)
            fields = {"id": stored["id"],
                      "vocab": frozenset(map(sys.intern, stored.get("vocab", ()))),
                      "phrasings": tuple(tuple(map(sys.intern, p)) for p in stored.get("phrasings", ()))}
            if len(self._stored) >= STORED_CACHE:
                self._stored.pop(next(iter(self._stored)), None)  # the longest kept
            self._stored[docnum] = fields
        return fields

    def _docs(self, fieldname: str, text: str) -> Any:
        """The live documents holding a term: the documents a query term was scored for, when
        it was (the same postings, not read twice: ``_term_scores`` keeps them here), else read
        from its posting list."""
        key = (fieldname, text)
        docs = self._postings.get(key)
        if docs is None:
            docs = live_documents(self.searcher, fieldname, text)
            self._keep(self._postings, "postings", key, docs, POSTINGS_BUDGET)
        else:
            self._postings.move_to_end(key)
        return docs

    def raw(self, question: Question, fields: dict[str, Any], relative: float,
            exclusion: Exclusion | None = None, df: Callable[[str], int] | None = None) -> float:
        phrasings = fields.get("phrasings", ())
        vocab: Any = fields.get("vocab", ())
        vocab = vocab if isinstance(vocab, frozenset | set) else set(vocab)
        total = question.total
        covered = {k: w for k, w in question.features.items() if _covers(question, k, vocab)}
        coverage = sum(covered.values()) / total
        closeness = 0.0
        if covered:
            lookup = question.lookup
            for phrasing in phrasings:
                # In the phrasing's order, not a set's: the sum's last bits must not
                # depend on the string hash seed (raw scores are compared and tied).
                matched = dict.fromkeys(lookup[k] for k in phrasing if k in lookup)
                both = sum(covered.get(k, 0.0) for k in matched)
                if both:
                    mass = self._phrase_mass(phrasing)
                    if df is not None and exclusion is not None and exclusion.gone:
                        mass += sum(self._weight(k, df) - self._weight(k) for k in phrasing if k in exclusion.gone)
                    closeness = max(closeness, 2 * both / (total + mass))
        raw = coverage * (1 - PHRASE_WEIGHT) + closeness * PHRASE_WEIGHT
        raw *= 1 - SCORE_DAMPING * (1 - relative)
        entry_id = fields["id"]
        if question.mentions and not self.scope.accepts(entry_id, question.mentions):
            raw *= MISMATCH_FACTOR
        elif not question.mentions and self.scope.defaults and not self.scope.accepts(entry_id, self.scope.defaults):
            raw *= DEFAULT_FACTOR  # another version than the one meant when none is named
        if question.outside and not self.scope.entry_mentions(entry_id, question.outside):
            raw *= MISMATCH_FACTOR
        return max(0.0, min(1.0, raw))

    def _phrase_mass(self, phrasing: list[str]) -> float:
        key = tuple(phrasing)
        mass = self._mass.get(key)
        if mass is None:
            mass = self._mass[key] = sum(self._weight(k) for k in phrasing)
        return mass


def _order(scored: Scored) -> tuple[float, float, str]:
    return (-scored.raw, -scored.score, scored.id)


def _covers(question: Question, key: str, vocab: Any) -> bool:
    alternatives = question.alternatives.get(key)
    if alternatives is None:
        return key in vocab
    return any(a in vocab for a in alternatives)


def _masses(held: list[tuple[float, list[frozenset[int]]]], docs: set[int]) -> dict[int, float]:
    """The weight of the features (``Ranker._holders``) each of ``docs`` holds, added in the
    features' order (each feature's holders among them found by set intersection)."""
    out = dict.fromkeys(docs, 0.0)
    for weight, places in held:
        for docnum in set().union(*(docs & p for p in places)):
            out[docnum] += weight
    return out


def _tails(weights: list[float]) -> list[float]:
    """For weights heaviest first, ``tails[i]``: the most weight a document can hold that holds
    none of the first ``i`` (their sum from ``i`` on), each sum rounded up a little so that
    it is never below a mass that adds the same weights in another order; ``tails[-1]`` is 0."""
    out = [0.0] * (len(weights) + 1)
    for i in range(len(weights) - 1, -1, -1):
        out[i] = (out[i + 1] + weights[i]) * _SLACK
    return out


def _bound(mass: float, total: float) -> float:
    """The highest raw score an entry matching ``mass`` of the question's weight can have."""
    return (1 - PHRASE_WEIGHT) * mass / total + PHRASE_WEIGHT * 2 * mass / (total + mass)


TIE = 0.02  # raw scores this close explain the question equally well


def break_ties(ranked: list[Scored], asked: Callable[[], frozenset[str]],
               wordings: Callable[[str], list[frozenset[str]]]) -> list[Scored]:
    """The candidates tied with the best, reordered by how alike their phrasings are worded.

    ``asked()`` is the question's wording (kb.text.analysis.wording), asked for only when
    there is a tie; ``wordings(id)`` each of an entry's phrasings'. Scores stay as they are.
    """
    tied = [s for s in ranked if s.raw >= ranked[0].raw - TIE] if ranked else []
    if len(tied) < 2:
        return ranked
    question = asked()
    if not question:
        return ranked

    def alike(s: Scored) -> float:
        return max((2 * len(question & w) / (len(question) + len(w)) for w in wordings(s.id) if w), default=0.0)

    return sorted(tied, key=lambda s: -alike(s)) + ranked[len(tied):]


def confidences(ranked: list[Scored], calibration: Calibration, unknown_share: float = 0.0) -> list[float]:
    """Each candidate's calibrated confidence, from its raw score, its lead over the others and
    the share of the question's weight the content has no word for."""
    out = []
    for i, s in enumerate(ranked):
        other = max((r.raw for j, r in enumerate(ranked) if j != i), default=0.0)
        out.append(calibration.probability(s.raw, s.raw - other, unknown_share))
    return out
