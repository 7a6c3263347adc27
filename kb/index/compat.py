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
