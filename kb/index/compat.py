"""Whoosh's private internals we rely on: its pickle loads, restricted to the classes it needs.

Whoosh keeps its schema and segment list (the TOC) and its stored fields as pickles, and
unpickling runs whatever a planted file asks for. ``install()`` swaps the loads Whoosh calls
for an unpickler that resolves only the names listed here, so a file planted in the cache
fails to load (and the index is rebuilt) instead of running code.
tests/test_index_compat.py fails loudly when an upgrade adds a reader or moves one.
"""

from __future__ import annotations

import io
import pickle
import re
import struct
import zlib
from array import array
from collections.abc import Sequence
from itertools import accumulate
from typing import IO, Any

import whoosh.codec.whoosh3
import whoosh.columns
import whoosh.filedb.structfile
import whoosh.formats
import whoosh.index

# Plain functions and containers a Whoosh 2.7 pickle names (re._compile: analyzers' patterns;
# _codecs.encode: bytes in protocol 2).
ALLOWED_NAMES = frozenset({
    ("builtins", "int"), ("builtins", "float"), ("builtins", "set"), ("builtins", "frozenset"),
    ("builtins", "bytearray"), ("collections", "defaultdict"), ("collections", "OrderedDict"),
    ("_codecs", "encode"), ("re", "_compile"), ("copyreg", "_reconstructor"), ("builtins", "object"),
    ("array", "array"), ("array", "_array_reconstructor"),
})
# Modules whose classes (types only, never functions) a schema or segment may name.
ALLOWED_CLASS_MODULES = ("whoosh.fields", "whoosh.formats", "whoosh.analysis.", "whoosh.codec.whoosh3",
                         "whoosh.columns", "kb.index.tokenizers")
# Where Whoosh calls pickle's loads: (module, attribute). Checked by the compat test.
PATCHED = (("whoosh.index", "pickle"), ("whoosh.filedb.structfile", "load_pickle"),
           ("whoosh.codec.whoosh3", "loads"), ("whoosh.columns", "loads"), ("whoosh.formats", "loads"),
           ("whoosh.index", "toc_loaders"))


class RestrictedUnpickler(pickle.Unpickler):
    """Resolves only the names Whoosh's own files use."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in ALLOWED_NAMES:
            return super().find_class(module, name)
        if module.startswith(ALLOWED_CLASS_MODULES) or module in ALLOWED_CLASS_MODULES:
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"index file names {module}.{name}, which an index never holds")


def restricted_load(file: IO[bytes], *_args: Any, **_kwargs: Any) -> Any:
    return RestrictedUnpickler(file).load()


def restricted_loads(data: bytes, *_args: Any, **_kwargs: Any) -> Any:
    # Through a buffered reader: the unpickler then reads its input in one piece (peek)
    # instead of calling ``read`` once per opcode, which made a posting block's pickle
    # (ids, weights and positions) about 2.5 times as slow to load as pickle.loads.
    return RestrictedUnpickler(io.BufferedReader(io.BytesIO(data), max(io.DEFAULT_BUFFER_SIZE, len(data)))).load()


class _PickleModule:
    """``pickle`` as whoosh.index sees it: the same, with a restricted ``loads``."""

    loads = staticmethod(restricted_loads)
    load = staticmethod(restricted_load)

    def __getattr__(self, name: str) -> Any:
        return getattr(pickle, name)


def install() -> None:
    """Make Whoosh's readers use the restricted unpickler (idempotent)."""
    whoosh.index.pickle = _PickleModule()  # type: ignore[assignment]
    whoosh.filedb.structfile.load_pickle = restricted_load
    whoosh.codec.whoosh3.loads = restricted_loads
    whoosh.columns.loads = restricted_loads
    whoosh.formats.loads = restricted_loads
    # Old TOC formats are read by an unrestricted unpickler in whoosh.legacy; we never write them.
    whoosh.index.toc_loaders.clear()  # type: ignore[attr-defined]
    whoosh.columns.VarBytesColumn.Reader._read_offsets_and_lengths = _read_offsets_and_lengths  # type: ignore[method-assign]


WHOOSH_READ_OFFSETS = whoosh.columns.VarBytesColumn.Reader._read_offsets_and_lengths


def _read_offsets_and_lengths(self: Any) -> None:
    """Whoosh's VarBytesColumn.Reader._read_offsets_and_lengths with the offsets summed in C.

    A column of fewer than 32,768 documents (the stored fields of every index up to that size)
    keeps only its values' lengths; Whoosh derives the offsets in a Python loop, one append
    per document, when the searcher first reads the column: 5-10 ms of a 10,000-entry
    process's start. Same arrays (tests/test_index_compat.py compares them with Whoosh's).
    """
    dbfile, doccount = self._dbfile, self._doccount
    lastbyte = self._basepos + self._length - 1
    lens_code = chr(dbfile.get_byte(lastbyte))
    offsets = None
    if lens_code == "X":
        self.had_stored_offsets = True
        lens_code = chr(dbfile.get_byte(lastbyte - 2))
        offsets_code = chr(dbfile.get_byte(lastbyte - 1))
        offsetstart = (lastbyte - 2) - doccount * struct.calcsize(offsets_code)
        offsets = dbfile.get_array(offsetstart, offsets_code, doccount)
        lastbyte = offsetstart
    lengths = dbfile.get_array(lastbyte - struct.calcsize(lens_code) * doccount, lens_code, doccount)
    if offsets is None:
        offsets = array("L", accumulate(lengths, initial=0))
        offsets.pop()  # the end of the last value
    self._offsets = offsets
    self._lengths = lengths


# -- posting blocks (kb/retrieval/whoosh_compat.py, live statistics) ------------------------------

# What a block's data is read from without Whoosh's unpickling of it (see block_postings).
BLOCK_FIELDS = ("_data", "_byteids", "_postfile", "_dataoffset", "_nextoffset", "_compression", "_blocklength")

# A W3 block's data is the pickle (protocol 2) of (delta-coded ids, weights, values); the
# values (positions, about four fifths of its opcodes) are never needed here. The ids and the
# weights are read from the head of that pickle when it holds nothing but these opcodes:
# small ints or floats in a tuple (MARK..TUPLE, TUPLE1-3, EMPTY_TUPLE), a memo put after it;
# the weights may be None (all 1.0) or one float (all equal).
_INT, _FLOAT = rb"(?:K.|M..|J....)", rb"G.{8}"


def _tuple_of(item: bytes) -> bytes:
    return (rb"(?:\)|" + item + rb"\x85|" + item * 2 + rb"\x86|" + item * 3 + rb"\x87|\((?:" + item
            + rb")*t)(?:q.|r....)?")


# One float alone is all the weights only if no number follows it (the values never begin with
# one): a 2- or 3-tuple with another kind of number after its first float is not matched.
BLOCK_HEAD = re.compile(rb"\x80\x02(" + _tuple_of(_INT) + rb")(" + _tuple_of(_FLOAT) + rb"|N|" + _FLOAT
                         + rb"(?![GKMJ\x85-\x87]))", re.DOTALL)


def reads_block_heads(matcher: Any) -> bool:
    """Whether ``matcher`` is a W3 block matcher whose blocks ``block_postings`` can read."""
    return all(hasattr(matcher, name) for name in BLOCK_FIELDS)


def block_postings(matcher: Any) -> tuple[Sequence[int], Sequence[float]]:
    """The current block's document ids and weights, as ``_read_ids`` and ``_read_weights``
    give them, without unpickling the block's values (most of its bytes); through Whoosh's
    own readers when the block is not as expected."""
    if matcher._data is None and not matcher._byteids:
        count = matcher._blocklength
        data = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            # Only the head: each id takes 5 bytes at most (BININT), each weight 9 (BINFLOAT),
            # each tuple 7 more; a deflate stream is decompressed from its start, so this
            # costs a fraction of the whole block.
            data = zlib.decompressobj().decompress(data, 2 + 2 * 7 + 14 * count)
        head = BLOCK_HEAD.match(data)
        if head is not None:
            # Only ints, floats and tuples in these bytes: nothing a loads could run.
            # (and through the restricted unpickler all the same, which refuses any global).
            ids = list(accumulate(restricted_loads(b"\x80\x02" + head.group(1) + b".")))  # whoosh delta_decode
            mini = restricted_loads(b"\x80\x02" + head.group(2) + b".")
            # As _read_weights expands them: None is all 1.0, one float is repeated (as a float32).
            weights = [1.0] * count if mini is None else array("f", [mini]) * count if isinstance(mini, float) else mini
            if len(ids) == count and len(weights) == count:
                return ids, weights
    matcher._read_ids()
    matcher._read_weights()
    return matcher._ids, matcher._weights


# -- live statistics (kb/index/live.py) -----------------------------------------------------------


def default_idf(weighting: Any) -> bool:
    """Whether ``weighting`` uses Whoosh's base idf, the formula LiveSearcher.idf repeats."""
    import whoosh.scoring

    return type(weighting).idf is whoosh.scoring.WeightingModel.idf


def live_doc_frequency(reader: Any, fieldname: str, text: Any) -> int:
    """Documents holding a term, not counting deleted ones (Whoosh counts them until a merge)."""
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    total = 0
    for leaf, _offset in leaves:
        count = int(leaf.doc_frequency(fieldname, text))
        if count and leaf.has_deletions():
            count -= _deleted_holding(leaf, fieldname, text)
        total += count
    return total


def _deleted_holding(leaf: Any, fieldname: str, text: Any) -> int:
    deleted = sorted(leaf.deleted_docs_set)
    terms = getattr(leaf, "_terms", None)
    if terms is None or not hasattr(leaf, "_text_to_bytes"):
        # A future Whoosh: count the live postings through the public (filtered) matcher.
        live = sum(1 for _ in leaf.postings(fieldname, text).all_ids())
        return int(leaf.doc_frequency(fieldname, text)) - live
    info = leaf.term_info(fieldname, text)
    low, high = info.min_id(), info.max_id()
    deleted = [d for d in deleted if low <= d <= high]  # outside the postings' span: none holds it
    if not deleted:
        return 0
    # The segment's own matcher, before Whoosh filters the deleted documents out of it.
    matcher = terms.matcher(fieldname, leaf._text_to_bytes(fieldname, text), leaf.schema[fieldname].format)
    by_header = callable(getattr(matcher, "block_max_id", None)) and callable(getattr(matcher, "_next_block", None))
    if by_header and reads_block_heads(matcher):
        return _deleted_in_blocks(matcher, deleted)
    count = 0
    for docnum in deleted:
        # Blocks wholly before the document are passed on their headers: only the block that
        # may hold it is decoded (each decoding unpickles a block).
        while by_header and matcher.is_active() and matcher.block_max_id() < docnum:
            matcher._next_block()
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            count += 1
    return count



def _deleted_in_blocks(matcher: Any, deleted: list[int]) -> int:
    """How many of ``deleted`` (ascending) a W3 posting list holds: blocks wholly before the next
    one are passed on their headers, the others' ids read from their heads (block_postings)."""
    count, i = 0, 0
    while matcher.is_active() and i < len(deleted):
        last = matcher.block_max_id()
        if last >= deleted[i]:
            ids = set(block_postings(matcher)[0])
            while i < len(deleted) and deleted[i] <= last:
                count += deleted[i] in ids
                i += 1
        matcher._next_block()
    return count


# -- building (kb/index/build.py) ------------------------------------------------------------------


class _LengthTable:
    """A per-document reader whose field lengths are read once per field into a list.

    Whoosh's segment writer looks a document's field length up once per posting while it
    writes the posting lists (for each block's shortest and longest document), through a
    column reader: over a million calls at 10,000 entries, a third of the writer's time.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._count = reader.doc_count_all()
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._lengths[fieldname] = [read(d, fieldname, default) for d in range(self._count)]
        return lengths[docnum] if docnum < self._count else default

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def fast_lengths(writer: Any) -> Any:
    """``writer`` (a Whoosh SegmentWriter) reading field lengths from a table when it flushes."""
    real = getattr(writer, "per_document_reader", None)
    if callable(real):
        writer.per_document_reader = lambda: _LengthTable(real())
    return writer
