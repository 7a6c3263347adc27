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

from kb.retrieval.whoosh_compat import FixedAnd, read_postings, score_function

# Only lists this long together are worth it; shorter ones Whoosh walks in a few ms.
MIN_POSTINGS = 20_000
MIN_SMALL_POSTINGS = 3_000  # on an index of up to 9,000 documents (see ImpactCache.min_postings)
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

    @property
    def held(self) -> int:
        """Postings cached now, counted from the lists themselves: what ``budget`` bounds
        (except that the list just decoded is kept even when it alone is larger)."""
        return sum(len(ids) for ids, _impacts in self._lists.values())

    def search_and(self, terms: list[Term], limit: int, filter_query: Query | None = None,
                   min_postings: int | None = None, tree: Query | None = None) -> list[tuple[int, float]] | None:
        """(document number, score) of the best ``limit`` documents that have every term (and
        match ``filter_query``, a tag), best first, ties by document number as Whoosh orders
        them; None to let Whoosh do it. ``tree``: the query as Whoosh would run it (terms and
        FixedAnds of them, kb.retrieval.whoosh_compat): each score is then added up its tree,
        bit for bit Whoosh's; without it, rarest term first (equal to within rounding)."""
        if not self.usable or not terms:
            return None
        try:
            dfs = [self.reader.doc_frequency(t.fieldname, t.text) for t in terms]
            if sum(dfs) < (self.min_postings() if min_postings is None else min_postings):
                return None
            if min(dfs) == 0:
                return []
            allowed = set(self.searcher.docs_for_query(filter_query)) if filter_query is not None else None
            # Above MIN_POSTINGS this path has always added rarest first; it stays so, so
            # that those searches score as before (a change of the last bits, for another time).
            if tree is not None and sum(dfs) < MIN_POSTINGS:
                found = self._tree_scores(tree)
                if allowed is not None:
                    found = {d: s for d, s in found.items() if d in allowed}
                return heapq.nlargest(limit, found.items(), key=lambda item: (item[1], -item[0]))
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

    def min_postings(self) -> int:
        """Postings (all terms together) from which this path beats Whoosh's walk: fewer on a
        small index, where reading every document's field lengths once costs little."""
        return max(MIN_SMALL_POSTINGS, min(MIN_POSTINGS, self.reader.doc_count_all() // 3))

    def _tree_scores(self, node: Query) -> dict[int, float]:
        """Every document matching ``node`` with its score added up as Whoosh's matcher tree
        adds it: a Term's (boosted) scores; a FixedAnd's halves, left then right
        (whoosh.util.make_binary_tree), of its subqueries in query order."""
        if type(node) is Term:
            ids, impacts = self._postings(node.fieldname, node.text)
            boost = node.boost
            return dict(zip(ids, impacts, strict=True)) if boost == 1.0 else \
                {d: s * boost for d, s in zip(ids, impacts, strict=True)}
        if type(node) is not FixedAnd or node.boost != 1.0 or not node.subqueries:
            raise LookupError("not a tree of terms")
        return self._and_of(list(node.subqueries))

    def _and_of(self, subs: list[Query]) -> dict[int, float]:
        if len(subs) == 1:
            return self._tree_scores(subs[0])
        half = len(subs) // 2
        left = self._and_of(subs[:half])
        if not left:
            return {}
        right = self._and_of(subs[half:])
        if len(right) < len(left):
            left, right = right, left  # a + b == b + a in floating point
        get = right.get
        return {d: s + other for d, s in left.items() if (other := get(d)) is not None}

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
