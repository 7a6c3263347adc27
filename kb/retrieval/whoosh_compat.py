"""Whoosh internals retrieval relies on, in one place (tests/test_whoosh_compat.py): the
term-at-a-time path's block reads, matcher trees in query order (FixedOr, FixedAnd), and
the order in which a FixedOr adds its terms' scores (union_scores).

Reading a W3 posting list a block at a time, and BM25F's per-posting score function, are not
public API. When an upgrade changes them, the public one-posting-at-a-time walk still works
(slower), and the compatibility test fails loudly so that someone looks.
"""

# ruff: noqa: E402 - Whoosh is imported after import_whoosh_lightly()

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Any

from kb.index.whoosh_import import import_whoosh_lightly

import_whoosh_lightly()  # before Whoosh's first import (see there)

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import CoordMatcher, IntersectionMatcher, UnionMatcher
from whoosh.matching.wrappers import FilterMatcher, WrappingMatcher
from whoosh.query import And, Or, Term
from whoosh.query.compound import DefaultOr
from whoosh.scoring import WeightLengthScorer
from whoosh.util.numeric import byte_to_length

from kb.index import compat

BLOCK_METHODS = ("_read_ids", "_read_weights", "_next_block")
def reads_blocks(matcher: Any) -> bool:
    """Whether ``matcher`` is a W3 block matcher whose blocks we can read whole."""
    return all(callable(getattr(matcher, name, None)) for name in BLOCK_METHODS)


def read_postings(matcher: Any) -> tuple[array[int], list[float]]:
    """Every (document id, weight) of a posting list, in id order."""
    ids: array[int] = array("I")
    weights: list[float] = []  # blocks keep them as arrays of various kinds
    if reads_blocks(matcher):
        fast = compat.reads_block_heads(matcher)
        while matcher.is_active():
            if fast:
                block, block_weights = compat.block_postings(matcher)
            else:
                matcher._read_ids()
                matcher._read_weights()
                block, block_weights = matcher._ids, matcher._weights
            ids.extend(block if isinstance(block, array) and block.typecode == "I" else array("I", block))
            weights.extend(block_weights)
            matcher._next_block()
    else:
        # Postings kept inline with the term (a word in one document), or a future Whoosh.
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return ids, weights


def score_function(scorer: Any) -> Callable[[float, int], float] | None:
    """BM25F's score of one posting from its weight and field length, or None if unavailable."""
    score = getattr(scorer, "_score", None)
    return score if callable(score) else None


class FixedOr(Or):  # type: ignore[misc]
    """``Or`` whose matchers form a tree in the query's order.

    Whoosh pairs an OR's (and an AND's) sub-matchers by the size of each term's posting list
    in the segment at hand, so the order in which a document's term scores are added, and
    with it the last bits of its score, depend on how the index is split into segments. In
    query order, a document scores the same in an updated index as in a full build.
    """

    def _matcher(self, subs: Any, searcher: Any, context: Any) -> Any:
        matcher = self._tree_matcher(subs, UnionMatcher, searcher, context, None)
        if self.scale and any(matcher.term_matchers()):
            matcher = CoordMatcher(matcher, scale=self.scale)
        return matcher


class FixedAnd(And):  # type: ignore[misc]
    """``And`` whose matchers form a tree in the query's order (see FixedOr)."""

    def _matcher(self, subs: Any, searcher: Any, context: Any) -> Any:
        return self._tree_matcher(subs, IntersectionMatcher, searcher, context, None)


def fixed_order(query: Any) -> Any:
    """The query with every plain AND and OR in it made a FixedAnd or FixedOr."""
    if query is None:
        return None
    query = query.apply(fixed_order) if query.children() else query
    if type(query) is And:
        return FixedAnd(query.subqueries, boost=query.boost)
    if type(query) in (Or, DefaultOr):
        return FixedOr(query.subqueries, boost=query.boost, minmatch=query.minmatch, scale=query.scale)
    return query


def union_scores(searcher: Any, query: Any, leaf: Callable[[Any], dict[int, float]]) -> dict[int, float] | None:
    """Every document a FixedOr of Terms (or one Term) matches, with the score Whoosh's own
    search gives it, bit for bit; None for any other query (let Whoosh search it).

    Whoosh scores such a query document by document through a binary tree of union matchers
    in query order (FixedOr): a document's score is its terms' scores added up that tree,
    the terms it lacks left out. Here each term's scores come from ``leaf(term)`` (see
    term_scores; the caller may cache them) and are added up the same tree, once per term
    instead of once per document and matcher: the same floats, in the same order.
    """
    if type(query) is Term:
        terms = [query]
    elif type(query) is FixedOr and query.boost == 1.0 and not query.scale \
            and all(type(t) is Term for t in query.subqueries):
        terms = list(query.subqueries)
    else:
        return None
    if not terms:
        return {}
    return _tree_sum([leaf(t) for t in terms])


def term_scores(searcher: Any, term: Any) -> dict[int, float]:
    """Each live document's score for one term (boost included), as Whoosh's matcher gives it."""
    return TermScores(searcher)(term)


def walk_term_scores(searcher: Any, term: Any) -> dict[int, float]:
    """term_scores the public way: Whoosh's matcher, one posting per call (slow; the reference)."""
    out: dict[int, float] = {}
    context = searcher.context()
    for subsearcher, offset in searcher.leaf_searchers():
        _walk(term.matcher(subsearcher, context), offset, out)
    return out


def _walk(matcher: Any, offset: int, out: dict[int, float]) -> None:
    while matcher.is_active():
        out[matcher.id() + offset] = matcher.score()
        matcher.next()


class TermScores:
    """term_scores for one searcher, its segments' field lengths read once.

    Whoosh scores a posting through four matcher calls and a field-length look-up of five;
    here a posting list is read a block at a time (read_postings) and each posting is scored
    by the same BM25F function of the same weight and field length (the length byte Whoosh
    decodes), computed once per distinct (weight, length) pair and multiplied by the term's
    boost as Whoosh's wrapping matcher does: the same floats. Anything else (inline postings,
    another scorer or codec) is walked the public way.
    """

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self._lengths: dict[tuple[int, str], tuple[Any, bytes | None]] = {}

    def __call__(self, term: Any) -> dict[int, float]:
        out: dict[int, float] = {}
        context = self.searcher.context()
        for subsearcher, offset in self.searcher.leaf_searchers():
            matcher = term.matcher(subsearcher, context)
            if not self._by_blocks(matcher, subsearcher.reader(), term.fieldname, offset, out):
                _walk(matcher, offset, out)
        return out

    def _by_blocks(self, matcher: Any, reader: Any, fieldname: str, offset: int, out: dict[int, float]) -> bool:
        boost = 1.0
        if type(matcher) is WrappingMatcher:  # Term.matcher's boost: the child's score times it
            boost, matcher = matcher.boost, matcher.child
        deleted: Any = ()
        if type(matcher) is FilterMatcher and matcher._exclude and matcher.boost == 1.0:
            deleted, matcher = matcher._ids, matcher.child
        scorer: Any = getattr(matcher, "scorer", None)
        score = score_function(scorer)
        if not reads_blocks(matcher) or score is None or type(scorer).score is not WeightLengthScorer.score \
                or not callable(getattr(scorer, "dfl", None)):
            return False
        lengths = self._length_bytes(reader, fieldname)
        if lengths is None:
            return False
        ids, weights = read_postings(matcher)
        dfl, known = scorer.dfl, len(lengths)
        memo: dict[tuple[float, int], float] = {}
        for docnum, weight in zip(ids, weights, strict=True):
            if docnum in deleted:
                continue
            lbyte = lengths[docnum] if docnum < known else 0
            key = (weight, lbyte)
            found = memo.get(key)
            if found is None:
                # Whoosh reads a zero byte as no length (None): its own call then decides.
                found = score(weight, byte_to_length(lbyte) if lbyte else dfl(docnum))
                if boost != 1.0:
                    found = found * boost
                memo[key] = found
            out[docnum + offset] = found
        return True

    def _length_bytes(self, reader: Any, fieldname: str) -> bytes | None:
        """A segment's one-byte field lengths, one per document (W3 column internals)."""
        key = (id(reader), fieldname)
        held = self._lengths.get(key)
        if held is None or held[0] is not reader:
            held = self._lengths[key] = (reader, field_length_bytes(reader, fieldname))
        return held[1]


def field_length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """Each document's length byte of ``fieldname`` in one segment, as W3's per-document reader
    keeps them (documents past the end have none); None when the layout is not that."""
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None or column._fixedlen != 1:
            return None
        return bytes(column._dbfile.get(column._basepos, column._count))
    except (AttributeError, TypeError):
        return None


def _tree_sum(leaves: list[dict[int, float]]) -> dict[int, float]:
    """Scores added up whoosh.util.make_binary_tree's tree (the left half, then the right)."""
    if len(leaves) == 1:
        return leaves[0]
    half = len(leaves) // 2
    left, right = _tree_sum(leaves[:half]), _tree_sum(leaves[half:])
    if len(left) < len(right):
        left, right = right, left  # a + b == b + a in floating point: merge the smaller in
    out = dict(left)
    get = out.get
    for docnum, score in right.items():
        prev = get(docnum)
        out[docnum] = score if prev is None else prev + score
    return out


def _segment_postings(leaf: Any, fieldname: str, text: Any) -> tuple[Sequence[int], Sequence[float], frozenset[int]]:
    """A segment's postings of a term (ids in the segment's numbering, weights) and its deleted
    documents, which the postings still hold. Read from the segment's own matcher, not the
    one Whoosh wraps to skip deleted documents: that one decodes the first block whole."""
    deleted = leaf.deleted_docs_set if leaf.has_deletions() else frozenset()
    terms = getattr(leaf, "_terms", None)
    if deleted and terms is not None and callable(getattr(leaf, "_text_to_bytes", None)):
        matcher = terms.matcher(fieldname, leaf._text_to_bytes(fieldname, text), leaf.schema[fieldname].format)
    else:
        matcher = leaf.postings(fieldname, text)
        matcher = getattr(matcher, "child", matcher) if deleted else matcher
    if reads_blocks(matcher):
        ids, weights = read_postings(matcher)
        return ids, weights, deleted
    ids, weights = array("I"), []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights, deleted


def live_documents(searcher: Any, fieldname: str, text: str) -> frozenset[int]:
    """The documents holding a term, deleted ones left out, as the searcher numbers them."""
    reader = searcher.reader()
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    found: set[int] = set()
    for leaf, offset in leaves:
        if fieldname not in leaf.schema or not leaf.doc_frequency(fieldname, text):
            continue
        ids, _weights, deleted = _segment_postings(leaf, fieldname, text)
        if offset:
            found.update(d + offset for d in ids if d not in deleted)
        else:
            found.update(ids)
            found.difference_update(deleted)
    return frozenset(found)
