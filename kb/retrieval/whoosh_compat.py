"""Whoosh internals retrieval relies on, in one place (tests/test_whoosh_compat.py): the
term-at-a-time path's block reads, matcher trees in query order (FixedOr, FixedAnd), and
the order in which a FixedOr adds its terms' scores (union_scores).

Reading a W3 posting list a block at a time, and BM25F's per-posting score function, are not
public API. When an upgrade changes them, the public one-posting-at-a-time walk still works
(slower), and the compatibility test fails loudly so that someone looks.
"""

# ruff: noqa: E402 - Whoosh is imported after import_whoosh_lightly()

from __future__ import annotations

import weakref
from array import array
from collections.abc import Callable, Sequence
from typing import Any

from kb.index.whoosh_import import import_whoosh_lightly

import_whoosh_lightly()  # before Whoosh's first import (see there)

from whoosh.codec import whoosh3
from whoosh.columns import NumericColumn
from whoosh.matching import CoordMatcher, IntersectionMatcher, UnionMatcher
from whoosh.query import And, Or, Term
from whoosh.query.compound import DefaultOr
from whoosh.scoring import WeightLengthScorer

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
    out: dict[int, float] = {}
    context = searcher.context()
    for subsearcher, offset in searcher.leaf_searchers():
        found = _segment_scores(subsearcher, term, context.weighting, offset)
        if found is not None:
            out.update(found)
            continue
        matcher = term.matcher(subsearcher, context)
        while matcher.is_active():
            out[matcher.id() + offset] = matcher.score()
            matcher.next()
    return out


def _segment_scores(subsearcher: Any, term: Any, weighting: Any, offset: int) -> dict[int, float] | None:
    """The scores of a term's live postings in one segment, numbered from ``offset``, computed
    as Whoosh's matcher does (``Term.matcher``; BM25F's ``score``: ``_score(weight,
    dfl(id))``, times the boost) from its blocks and the segment's field lengths read at once;
    None where that cannot be done so."""
    fieldname, schema, reader = term.fieldname, subsearcher.schema, subsearcher.reader()
    if fieldname not in schema or term.minquality or not reader.is_atomic():
        return None
    try:
        text = schema[fieldname].to_bytes(term.text)
    except ValueError:
        return None
    if (fieldname, text) not in reader:
        return {}
    scorer = weighting.scorer(subsearcher, fieldname, text, qf=1)
    score = score_function(scorer)
    if score is None or not isinstance(scorer, WeightLengthScorer) or not hasattr(scorer, "dfl") \
            or type(scorer).score is not WeightLengthScorer.score:
        return None
    lengths = _length_bytes(reader, fieldname)
    if lengths is None:
        return None
    ids, weights, deleted = _segment_postings(reader, fieldname, text)
    boost, table, count = term.boost, _LENGTHS, len(lengths)
    # A posting's score depends only on its weight and its length's one-byte code: each pair
    # is scored once (the same call on the same numbers, so the same float).
    memo: dict[tuple[float, int], float] = {}
    out: dict[int, float] = {}
    for docnum, weight in zip(ids, weights, strict=True):
        if docnum in deleted:
            continue
        code = lengths[docnum] if docnum < count else 0
        found = memo.get((weight, code))
        if found is None:
            if not code:
                return None  # no length stored: Whoosh's dfl would give its default (or None)
            found = memo[(weight, code)] = score(weight, table[code]) if boost == 1.0 \
                else score(weight, table[code]) * boost
        out[docnum + offset] = found
    return out


# A field length as Whoosh's reader gives it from its one-byte code (whoosh3.doc_field_length).
_LENGTHS = [0] + [whoosh3.byte_to_length(b) for b in range(1, 256)]
_LENGTH_BYTES: weakref.WeakKeyDictionary[Any, bytes] = weakref.WeakKeyDictionary()


def _length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """A segment's one-byte field length codes, one per document (its W3 lengths column read
    at once, kept while its column reader lives); None when they are not stored that way."""
    perdoc = getattr(reader, "_perdoc", None)
    cached_reader = getattr(perdoc, "_cached_reader", None)
    if not callable(cached_reader):
        return None
    column = cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if type(column) is not NumericColumn.Reader or column._typecode != "B":
        return None
    found = _LENGTH_BYTES.get(column)
    if found is None:
        found = _LENGTH_BYTES[column] = bytes(column._dbfile.get(column._basepos, column._count))
    return found


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
