"""A searcher whose files are all open from the start, so another process replacing the index
cannot change what it reads halfway.

Whoosh opens a segment's per-document files (each field's lengths, the stored fields) the
first time a query needs them, by name. When another process has rebuilt the index in the
meantime, the stored fields are missing and the query fails (the engine heals), but a
missing lengths file is not an error to Whoosh: every length silently reads as the default,
BM25 changes, and a borderline entry is answered that the same index does not answer. Files
opened up front stay readable through a rename or a delete, so a searcher reads one index,
whole, or fails at once. kb.index.live.open_searcher pins every searcher it opens.
"""

from __future__ import annotations

from typing import Any

_MISSING = -1  # not a length: what a lengths file that is gone reads as


def pin_files(searcher: Any) -> None:
    """Open each segment's lengths and stored-fields files now (see the module docstring)."""
    schema = searcher.schema
    for reader, _base in searcher.reader().leaf_readers():
        if not reader.doc_count_all():
            continue
        for name, field in schema.items():
            if field.scorable and reader.field_length(name) > 0 \
                    and reader.doc_field_length(0, name, _MISSING) == _MISSING:
                raise FileNotFoundError(f"the lengths of field {name!r} are gone from the index")
        reader.stored_fields(0)
