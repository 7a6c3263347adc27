"""Keyword AND over very common words: term-at-a-time over cached per-posting scores.

Whoosh matches an AND document-at-a-time in pure Python: "cluster node update" over 100,000
entries walks and scores 59,000 matches one call at a time (about 300 ms), and its block-max
skipping cannot prune because every block of such words can still reach the top 20. Here
the posting list of each word is decoded once into arrays of document numbers and BM25F
scores (the same formula and statistics Whoosh uses, so the hits and scores are the same),
kept in a bounded LRU cache, and an AND becomes dict arithmetic: the rarest word's scores,
then for each further word the documents that have it too.

Used by :meth:`kb.retrieval.engine.Engine.search` only for an AND of plain terms (or one term) whose
posting lists are long; anything else (OR, NOT, phrases, prefixes) stays with Whoosh. Reads
Whoosh's posting blocks through the W3 codec's matcher; when the reader is not one plain
segment, or anything is not as expected, ``search_and`` returns None and Whoosh answers.
"""

from __future__ import annotations

import heapq
from array import array
from collections import OrderedDict
from typing import Any

from whoosh.query import And, Query, Term
from whoosh.scoring import BM25F

from kb.retrieval.whoosh_compat import read_postings, score_function

# Only lists this long together are worth it; shorter ones Whoosh walks in a few ms.
MIN_POSTINGS = 20_000
# Cached postings at most (document number 4 bytes + score 8 bytes each): about 36 MB.
CACHE_POSTINGS = 3_000_000


def plain_terms(query: Query | None) -> list[Term] | None:
    """The terms of a query that is one Term or ANDs of Terms (nested: a word the analyser
    splits in several becomes an AND inside the AND); None for anything else."""
    if type(query) is Term:
        return [query]
    if isinstance(query, And) and query.subqueries and query.boost == 1.0:
        terms: list[Term] = []
        for sub in query.subqueries:
            inner = plain_terms(sub)
            if inner is None:
                return None
            terms.extend(inner)
        return terms
    return None


class ImpactCache:
    """Decoded posting lists with each posting's BM25F score, for one open searcher."""

    def __init__(self, searcher: Any, budget: int = CACHE_POSTINGS) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.budget = budget
        self._lists: OrderedDict[tuple[str, str], tuple[array[int], array[float]]] = OrderedDict()
        self._held = 0
        self._lengths: dict[str, list[int]] = {}
        weighting = searcher.weighting
        self.usable = (isinstance(weighting, BM25F) and self.reader.is_atomic()
                       and not self.reader.has_deletions())

    def search_and(self, terms: list[Term], limit: int, filter_query: Query | None = None,
                   min_postings: int | None = None) -> list[tuple[int, float]] | None:
        """(document number, score) of the best ``limit`` documents that have every term (and
        match ``filter_query``, a tag), best first, ties by document number as Whoosh orders
        them; None to let Whoosh do it."""
        if not self.usable or not terms:
            return None
        try:
            dfs = [self.reader.doc_frequency(t.fieldname, t.text) for t in terms]
            if sum(dfs) < (MIN_POSTINGS if min_postings is None else min_postings):
                return None
            if min(dfs) == 0:
                return []
            allowed = set(self.searcher.docs_for_query(filter_query)) if filter_query is not None else None
            ordered = [t for _df, t in sorted(zip(dfs, terms, strict=True), key=lambda x: x[0])]
            scores: dict[int, float] | None = None
            for term in ordered:
                ids, impacts = self._postings(term.fieldname, term.text)
                boost = term.boost
                if scores is None:
                    scores = dict(zip(ids, impacts, strict=True)) if boost == 1.0 else \
                        {d: s * boost for d, s in zip(ids, impacts, strict=True)}
                    if allowed is not None:
                        scores = {d: s for d, s in scores.items() if d in allowed}
                else:
                    get = scores.get
                    scores = {d: prev + s * boost for d, s in zip(ids, impacts, strict=True)
                              if (prev := get(d)) is not None}
                if not scores:
                    return []
        except Exception:  # noqa: BLE001 - anything unexpected in Whoosh's layout: Whoosh answers
            return None
        assert scores is not None
        return heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))

    def _postings(self, fieldname: str, text: str) -> tuple[array[int], array[float]]:
        key = (fieldname, text)
        cached = self._lists.get(key)
        if cached is not None:
            self._lists.move_to_end(key)
            return cached
        scorer = self.searcher.weighting.scorer(self.searcher, fieldname, text)
        lengths = self._field_lengths(fieldname)
        matcher = self.reader.postings(fieldname, text)
        ids, weights = read_postings(matcher)
        score = score_function(scorer)
        if score is None:  # a Whoosh without BM25F's per-posting scorer: score one at a time
            raise LookupError("BM25F scorer internals unavailable")
        impacts = array("d", [score(w, lengths[d]) for d, w in zip(ids, weights, strict=True)])
        self._lists[key] = (ids, impacts)
        self._held += len(ids)
        while self._held > self.budget and len(self._lists) > 1:
            _key, (old, _scores) = self._lists.popitem(last=False)
            self._held -= len(old)
        return ids, impacts

    def _field_lengths(self, fieldname: str) -> list[int]:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            count = self.reader.doc_count_all()
            length = self.reader.doc_field_length
            # Whoosh keeps lengths as one byte each; read them once for the whole field.
            lengths = self._lengths[fieldname] = [length(d, fieldname) or 0 for d in range(count)]
        return lengths
