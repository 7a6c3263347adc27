"""A searcher whose statistics count only live documents, as a full rebuild of the same content would.

Whoosh keeps a deleted (or replaced) document in its segment's term document frequencies and
field-length totals until the segment is merged, and a merge totals the field lengths from
one-byte approximations. BM25 (its idf and average field length) and `ask`'s idf weights
would then differ from a fresh build's after an incremental update. ``LiveSearcher`` takes
the document frequencies net of deleted documents and the exact field-length totals recorded
with the index (kb.index.update), so the scores are bit for bit those of a full rebuild.
"""

# ruff: noqa: E402 - Whoosh is imported after import_whoosh_lightly()

from __future__ import annotations

import math
from typing import Any

from kb.index.whoosh_import import import_whoosh_lightly

import_whoosh_lightly()  # before Whoosh's first import (see there)

from whoosh.searching import Searcher

from kb.index import compat
from kb.index.searcher import pin_files
from kb.index.update import live_lengths

# The fields whose terms a document's stored ``vocab`` lists (kb.index.build.entry_document:
# every word of both text fields, every concept with "@"), with the prefix they carry there.
VOCAB_FIELDS = {"text_ja": "", "text_en": "", "concepts": "@"}
# Up to this many deleted documents their vocabularies are read (a few ms) so that a term
# none of them holds needs no look at its posting list to be counted.
DELETED_VOCAB_UP_TO = 256


def pristine(reader: Any) -> bool:
    """One segment and nothing deleted: what a full build writes (documents in id order)."""
    return bool(reader.is_atomic() and not reader.has_deletions())


class LiveSearcher(Searcher):  # type: ignore[misc]
    """``Searcher`` over an updated index; ``lengths`` are the live documents' field-length totals."""

    def __init__(self, reader: Any, lengths: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(reader, **kwargs)
        self._lengths = lengths if lengths is not None and kwargs.get("parent") is None else None
        self._live_df: dict[tuple[str, str], int] = {}
        self._deleted_vocab: frozenset[str] | None = None
        self._vocab_read = False
        if self._lengths is not None:
            self.doc_frequency = self._doc_frequency  # Whoosh copies the reader's onto the instance

    def _doc_frequency(self, fieldname: str, text: Any) -> int:
        key = (fieldname, text)
        found = self._live_df.get(key)
        if found is None:
            if self._no_deleted_holds(fieldname, text):
                found = int(self.ixreader.doc_frequency(fieldname, text))  # the deleted ones are none of them
            else:
                found = compat.live_doc_frequency(self.ixreader, fieldname, text)
            self._live_df[key] = found
        return found

    def _no_deleted_holds(self, fieldname: str, text: Any) -> bool:
        """Whether no deleted document holds the term, as their stored vocabularies say (False
        when they cannot tell: another field, too many deleted documents, no vocabulary)."""
        prefix = VOCAB_FIELDS.get(fieldname)
        if prefix is None or not isinstance(text, str):
            return False
        if not self._vocab_read:
            self._vocab_read = True
            self._deleted_vocab = _deleted_vocabulary(self.ixreader)
        return self._deleted_vocab is not None and prefix + text not in self._deleted_vocab

    def field_length(self, fieldname: str) -> int:
        if self._lengths is None:
            return int(super().field_length(fieldname))
        return int(self._lengths.get(fieldname, 0))

    def avg_field_length(self, fieldname: str, default: Any = None) -> Any:
        if self._lengths is None:
            return super().avg_field_length(fieldname, default)
        if not self.schema[fieldname].scorable:
            return default
        # A full build divides by all its documents; here the live ones are all of them.
        return self.field_length(fieldname) / (self.doc_count() or 1)

    def idf(self, fieldname: str, text: Any) -> float:
        if self._lengths is None or not compat.default_idf(self.weighting):
            return float(super().idf(fieldname, text))
        cache = self._idf_cache
        term = (fieldname, text)
        if term not in cache:
            # Whoosh's WeightingModel.idf, with the live document count and frequency.
            cache[term] = math.log(self.doc_count() / (self.doc_frequency(fieldname, text) + 1)) + 1
        return float(cache[term])


def _deleted_vocabulary(reader: Any) -> frozenset[str] | None:
    """Every key in the stored vocabularies of the deleted documents; None when there are
    more than DELETED_VOCAB_UP_TO of them or one has none."""
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    deleted = [(leaf, docnum) for leaf, _offset in leaves if leaf.has_deletions() for docnum in leaf.deleted_docs_set]
    if len(deleted) > DELETED_VOCAB_UP_TO:
        return None
    keys: set[str] = set()
    for leaf, docnum in deleted:
        vocab = leaf.stored_fields(docnum).get("vocab")
        if not isinstance(vocab, list | tuple | set | frozenset):
            return None
        keys.update(vocab)
    return frozenset(keys)


def open_searcher(ix: Any) -> Any:
    """A searcher for ``ix``: with Whoosh's own statistics when the index is as a full build left
    it, live ones after an update; every per-document file open from the start (kb.index.searcher),
    FileNotFoundError if one is gone."""
    reader = ix.reader()
    try:
        lengths = None if pristine(reader) else live_lengths(ix.storage)
        searcher = LiveSearcher(reader, lengths, fromindex=ix)
    except BaseException:
        reader.close()
        raise
    try:
        pin_files(searcher)
    except BaseException:
        searcher.close()
        raise
    return searcher
