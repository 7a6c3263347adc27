"""A full build's one segment written from analysed batches, the analysis on every core.

Whoosh's writer takes documents one at a time: it indexes each field, sorts every posting
through a pool that pickles them to run files once its buffer is full, merges the runs back
and writes the posting lists one posting per call. Here batches of documents are indexed
with the same field methods (``field.index``: terms, frequencies, weights, encoded
positions) where they are analysed, in worker processes when there are many, and each
batch's postings come back grouped by term. This process writes every document's stored
fields and lengths as its batch arrives, keeps the batches' postings in the writer's
temporary storage, and at the end writes each term's postings whole, block by block,
through Whoosh's own block writer. The segment's files are byte for byte those Whoosh's
writer makes from the same documents (tests/test_build_bulk.py compares them). The runs are
marshalled, not pickled, and read back only by the build that wrote them, from its own folder.
"""

# ruff: noqa: E402 - Whoosh is imported after import_whoosh_lightly()

from __future__ import annotations

import functools
import heapq
import marshal
import operator
import pickle
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from kb.index.whoosh_import import import_whoosh_lightly

import_whoosh_lightly()  # before Whoosh's first import (see there)

from whoosh.fields import UnknownFieldError
from whoosh.formats import Positions
from whoosh.system import pack_uint as _pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

# One term's postings: (field name, term bytes, document numbers, weights, encoded values).
Postings = tuple[str, bytes, list[int], list[float], list[bytes]]
# One document as the per-document writer takes it: (field name, stored value or None, length).
Row = list[tuple[str, Any, int]]
# Postings per marshalled chunk of a run (whole terms): the final merge holds one chunk per
# batch in memory, so by postings, not terms (a batch's few bigrams hold most of its postings).
CHUNK_POSTINGS = 5000


def index_batch(schema: Any, documents: Iterable[dict[str, Any]], base: int) -> tuple[list[Row], list[bytes]]:
    """Documents numbered from ``base`` indexed as Whoosh's ``SegmentWriter.add_document``
    indexes them: each document's row, and the batch's postings sorted by term, marshalled in
    chunks of about CHUNK_POSTINGS postings."""
    rows: list[Row] = []
    # Postings by field, then by term as text: a term is encoded once per batch, not per
    # posting, and code-point order is UTF-8 byte order (Whoosh's term order).
    grouped: dict[str, dict[str, tuple[list[int], list[float], list[bytes]]]] = {}
    for docnum, fields in enumerate(documents, base):
        names = sorted(fields)
        # Whoosh's own per-document options ("_boost", "_stored_<field>") are never written here.
        unknown = [name for name in names if name not in schema or name.startswith("_")]
        if unknown:
            raise UnknownFieldError(f"no field named {unknown} in the schema")
        row: Row = []
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                scorable = field.scorable
                terms = grouped.get(name)
                if terms is None:
                    terms = grouped[name] = {}
                plain = isinstance(value, list) and type(field.format) is Positions
                found_terms = _positions(field.format, value) if plain else \
                    ((tbytes.decode("utf-8"), freq, weight, vbytes) for tbytes, freq, weight, vbytes in field.index(value))
                for term, freq, weight, vbytes in found_terms:
                    if scorable:
                        length += freq
                    found = terms.get(term)
                    if found is None:
                        found = terms[term] = ([], [], [])
                    found[0].append(docnum)
                    found[1].append(weight * 1.0)  # Whoosh multiplies by the field's boost, 1.0
                    found[2].append(vbytes)
            row.append((name, value if field.stored else None, length))
        rows.append(row)
    chunks, chunk, held = [], [], 0
    for name in sorted(grouped):
        terms = grouped[name]
        for term in sorted(terms):
            postings = terms[term]
            chunk.append((name, term.encode("utf-8"), *postings))
            held += len(postings[0])
            if held >= CHUNK_POSTINGS:
                chunks.append(marshal.dumps(chunk))
                chunk, held = [], 0
    if chunk:
        chunks.append(marshal.dumps(chunk))
    return rows, chunks


def _positions(format_: Any, terms: list[str]) -> Iterator[tuple[str, int, float, bytes]]:
    """``field.index(terms)`` for a list of analysed terms and the Positions format (terms as
    text): what Whoosh's tokens of a list (positions 0, 1, ..., boost 1.0 each) make, without
    the tokens, and each encoding as ``Positions.encode`` writes it."""
    places: dict[str, list[int]] = {}
    for pos, term in enumerate(terms):
        found = places.get(term)
        if found is None:
            places[term] = [pos]
        else:
            found.append(pos)
    boost, pickled, pack = format_.field_boost, _PICKLED_GAPS, _pack_uint
    for term, found in places.items():
        # Whoosh adds each token's boost of 1.0: the count, as a float. Each encoding is a
        # bytes object of its own (made by the concatenation): a block's pickle refers back
        # to one met twice, which Whoosh's writer never does.
        key = tuple(found) if len(found) <= _PICKLED_GAPS_LONGEST else None
        kept = pickled.get(key) if key is not None else None
        gaps = kept if kept is not None else _pickled_gaps(found)
        if kept is None and key is not None and len(pickled) < _PICKLED_GAPS_MAX:
            pickled[key] = gaps
        yield term, len(found), float(len(found)) * boost, pack(len(found)) + gaps


# Positions -> their pickled gaps: a batch meets the same few positions (a term once, at
# place 3) hundreds of thousands of times; only the bytes, never a shared encoding, are kept.
_PICKLED_GAPS: dict[tuple[int, ...], bytes] = {}
_PICKLED_GAPS_MAX = 50_000
_PICKLED_GAPS_LONGEST = 4


def _pickled_gaps(positions: list[int]) -> bytes:
    """What ``whoosh.formats.Positions.encode`` writes after the count: the gaps pickled (protocol 2)."""
    deltas = [b - a for a, b in zip([0, *positions], positions, strict=False)]
    return pickle.dumps(deltas, 2)


def plain_schema(schema: Any) -> bool:
    """Whether every field is one the bulk writer writes as Whoosh would (no spelling
    fields, term vectors or columns; an unknown kind goes through Whoosh's own writer)."""
    return all(not field.separate_spelling() and not field.vector and not field.column_type
               for _name, field in schema.items())


class BulkWriter:
    """Writes one new segment through a Whoosh ``SegmentWriter`` (which holds the index's lock)."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.schema = writer.schema
        self.temp = writer.temp_storage()
        self._runs: list[tuple[str, list[tuple[int, int]]]] = []
        # Each field's document lengths as the segment's length column gives them back (one
        # byte each), kept as they are written instead of read back from the column.
        self._lengths: dict[str, list[int]] = {}

    def add_batch(self, rows: list[Row], chunks: list[bytes]) -> None:
        """A batch from ``index_batch``: its documents must be the next ones in number."""
        writer, schema = self.writer, self.schema
        perdoc = writer.perdocwriter
        lengths = self._lengths
        for row in rows:
            perdoc.start_doc(writer.docnum)
            for name, stored, length in row:
                perdoc.add_field(name, schema[name], stored, length)
                if length:
                    column = lengths.get(name)
                    if column is None:
                        column = lengths[name] = []
                    column.extend([0] * (writer.docnum - len(column)))
                    column.append(_as_stored(length))
            perdoc.finish_doc()
            writer.docnum += 1
        writer._added = True
        if not chunks:
            return
        name = f"bulk{len(self._runs)}.run"
        extents = []
        with self.temp.create_file(name) as out:
            offset = 0
            for chunk in chunks:
                out.write(chunk)
                extents.append((offset, len(chunk)))
                offset += len(chunk)
        self._runs.append((name, extents))

    def commit(self) -> None:
        """Write the posting lists and the segment, as ``SegmentWriter.commit`` does."""
        writer = self.writer
        segments = writer._merge_segments(None, None, None)
        writer.perdocwriter.close()
        lengths = self._lengths if writer.codec.length_stats else {}
        write_postings(writer.fieldwriter, self.schema, lengths, writer.docnum, self._merged())
        writer.fieldwriter.close()
        writer._close_segment()
        writer._assemble_segment()
        segments.append(writer.get_segment())
        writer._commit_toc(segments)
        writer._finish()

    def cancel(self) -> None:
        self.writer.cancel()

    def _run(self, name: str, extents: list[tuple[int, int]]) -> Iterator[Postings]:
        for offset, size in extents:
            with self.temp.open_file(name) as f:
                f.seek(offset)
                chunk = marshal.loads(f.read(size))
            yield from chunk

    def _merged(self) -> Iterator[Postings]:
        """Every term's postings in term order, each term's batches in document order."""
        runs = [self._run(name, extents) for name, extents in self._runs]
        pending: Postings | None = None
        # heapq.merge is stable: a term's records come in run order, which is document order.
        for record in heapq.merge(*runs, key=lambda r: (r[0], r[1])):
            if pending is not None and pending[0] == record[0] and pending[1] == record[1]:
                pending[2].extend(record[2])
                pending[3].extend(record[3])
                pending[4].extend(record[4])
                continue
            if pending is not None:
                yield pending
            pending = record
        if pending is not None:
            yield pending


def _same(value: Any) -> Any:
    return value


@functools.lru_cache(maxsize=4096)
def _as_stored(length: int) -> int:
    """A field length as the W3 length column reads it back: quantized to one byte."""
    return byte_to_length(length_to_byte(length))


def write_postings(fieldwriter: Any, schema: Any, lengths: dict[str, list[int]], doc_count: int,
                   terms: Iterable[Postings]) -> None:
    """``FieldWriter.add_postings`` for whole terms: the same calls and statistics, each block
    filled at once instead of one posting per call (W3 codec). ``lengths``: each field's
    document lengths as stored (0 where a document has none; a field absent has none)."""
    lastfield = None
    field_lengths: list[Any] = []
    for fieldname, btext, docnums, weights, values in terms:
        if fieldname != lastfield:
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfield = fieldname
            field_lengths = lengths.get(fieldname, [])
            field_lengths = field_lengths + [0] * (doc_count - len(field_lengths))
        fieldwriter.start_term(btext)
        postwriter = fieldwriter._postwriter
        limit = postwriter._blocklimit
        for start in range(0, len(docnums), limit):
            if start:
                postwriter._write_block()  # add_posting writes a full block before the next posting
            end = start + limit
            ids, block_weights = docnums[start:end], weights[start:end]
            postwriter._ids = array("I", ids)
            postwriter._weights = packed = array("f", block_weights)
            # What the block writer's _mini_ids and _mini_weights return, worked out here in
            # C-level calls (they walk the block in Python, one posting at a time).
            gaps = tuple(map(operator.sub, ids, [0, *ids[:-1]]))
            count = len(packed)
            mini = None if packed.count(1.0) == count else packed[0] if packed.count(packed[0]) == count else tuple(packed)
            postwriter._mini_ids = functools.partial(_same, gaps)
            postwriter._mini_weights = functools.partial(_same, mini)
            top = max(block_weights)
            postwriter._maxweight = top if top > 0 else 0
            postwriter._values = [v for v in values[start:end] if v]
            found = [length for length in map(field_lengths.__getitem__, ids) if length]
            postwriter._minlength = min(found) if found else None
            postwriter._maxlength = max(found) if found else 0
        fieldwriter.finish_term()
    if lastfield is not None:
        fieldwriter.finish_field()
