"""Whoosh internals the term-at-a-time path relies on, in one place (tests/test_whoosh_compat.py).

Reading a W3 posting list a block at a time, and BM25F's per-posting score function, are not
public API. When an upgrade changes them, the public one-posting-at-a-time walk still works
(slower), and the compatibility test fails loudly so that someone looks.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any

BLOCK_METHODS = ("_read_ids", "_read_weights", "_next_block")


def reads_blocks(matcher: Any) -> bool:
    """Whether ``matcher`` is a W3 block matcher whose blocks we can read whole."""
    return all(callable(getattr(matcher, name, None)) for name in BLOCK_METHODS)


def read_postings(matcher: Any) -> tuple[array[int], list[float]]:
    """Every (document id, weight) of a posting list, in id order."""
    ids: array[int] = array("I")
    weights: list[float] = []  # blocks keep them as arrays of various kinds
    if reads_blocks(matcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            block = matcher._ids
            ids.extend(block if isinstance(block, array) and block.typecode == "I" else array("I", block))
            weights.extend(matcher._weights)
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
