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

import heapq
import marshal
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from kb.index.whoosh_import import import_whoosh_lightly

import_whoosh_lightly()  # before Whoosh's first import (see there)

from whoosh.fields import UnknownFieldError
from whoosh.formats import Positions

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
    grouped: dict[tuple[str, bytes], tuple[list[int], list[float], list[bytes]]] = {}
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
                plain = isinstance(value, list) and type(field.format) is Positions
                for tbytes, freq, weight, vbytes in _positions(field.format, value) if plain else field.index(value):
                    if scorable:
                        length += freq
                    found = grouped.get((name, tbytes))
                    if found is None:
                        found = grouped[(name, tbytes)] = ([], [], [])
                    found[0].append(docnum)
                    found[1].append(weight * 1.0)  # Whoosh multiplies by the field's boost, 1.0
                    found[2].append(vbytes)
            row.append((name, value if field.stored else None, length))
        rows.append(row)
    chunks, chunk, held = [], [], 0
    for key in sorted(grouped):
        postings = grouped[key]
        chunk.append((*key, *postings))
        held += len(postings[0])
        if held >= CHUNK_POSTINGS:
            chunks.append(marshal.dumps(chunk))
            chunk, held = [], 0
    if chunk:
        chunks.append(marshal.dumps(chunk))
    return rows, chunks


def _positions(format_: Any, terms: list[str]) -> Iterator[tuple[bytes, int, float, bytes]]:
    """``field.index(terms)`` for a list of analysed terms and the Positions format: what
    Whoosh's tokens of a list (positions 0, 1, ..., boost 1.0 each) make, without the tokens."""
    places: dict[str, list[int]] = {}
    for pos, term in enumerate(terms):
        found = places.get(term)
        if found is None:
            places[term] = [pos]
        else:
            found.append(pos)
    boost, encode = format_.field_boost, format_.encode
    for term, found in places.items():
        # Whoosh adds each token's boost of 1.0: the count, as a float.
        yield term.encode("utf-8"), len(found), float(len(found)) * boost, encode(found)


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

    def add_batch(self, rows: list[Row], chunks: list[bytes]) -> None:
        """A batch from ``index_batch``: its documents must be the next ones in number."""
        writer, schema = self.writer, self.schema
        perdoc = writer.perdocwriter
        for row in rows:
            perdoc.start_doc(writer.docnum)
            for name, stored, length in row:
                perdoc.add_field(name, schema[name], stored, length)
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
        lengths = writer.per_document_reader() if writer.codec.length_stats else None
        try:
            write_postings(writer.fieldwriter, self.schema, lengths, writer.docnum, self._merged())
            writer.fieldwriter.close()
        finally:
            if lengths is not None:
                lengths.close()
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


def write_postings(fieldwriter: Any, schema: Any, lengths: Any, doc_count: int, terms: Iterable[Postings]) -> None:
    """``FieldWriter.add_postings`` for whole terms: the same calls and statistics, each block
    filled at once instead of one posting per call (W3 codec)."""
    lastfield = None
    field_lengths: list[Any] = []
    for fieldname, btext, docnums, weights, values in terms:
        if fieldname != lastfield:
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfield = fieldname
            read = lengths.doc_field_length if lengths is not None else None
            field_lengths = [read(d, fieldname) for d in range(doc_count)] if read else [0] * doc_count
        fieldwriter.start_term(btext)
        postwriter = fieldwriter._postwriter
        limit = postwriter._blocklimit
        for start in range(0, len(docnums), limit):
            if start:
                postwriter._write_block()  # add_posting writes a full block before the next posting
            end = start + limit
            ids, block_weights = docnums[start:end], weights[start:end]
            postwriter._ids = array("I", ids)
            postwriter._weights = array("f", block_weights)
            top = max(block_weights)
            postwriter._maxweight = top if top > 0 else 0
            postwriter._values = [v for v in values[start:end] if v]
            found = [length for length in map(field_lengths.__getitem__, ids) if length]
            postwriter._minlength = min(found) if found else None
            postwriter._maxlength = max(found) if found else 0
        fieldwriter.finish_term()
    if lastfield is not None:
        fieldwriter.finish_field()
