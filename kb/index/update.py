"""Incremental updates: only the entries added, edited or removed are analysed and written again.

The index folder keeps a record of every entry's digest and field lengths (``ENTRIES.json``)
and the content digest and exact field-length totals it was written for (``STATS.json``,
small, read at every open). When the content changed, the folder is cloned with hard links
(Whoosh never rewrites a file it has written), the changed entries are deleted and added
again in the clone, and the clone is swapped into place in one step: a reader never sees a
half-updated index, and an update killed part-way leaves the old one as it was.

A full build's one segment stays as it is; the documents written since live in a second
segment that each update merges anew, so its size is bounded by what changed since the last
full build (a full build runs instead once that is a good share of the entries).
"""

# ruff: noqa: E402 - Whoosh is imported after import_whoosh_lightly()

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.index.whoosh_import import import_whoosh_lightly

import_whoosh_lightly()  # before Whoosh's first import (see there)

from whoosh import index as whoosh_index

from kb.content.entry import Entry
from kb.content.load import KnowledgeBase
from kb.content.stored import entry_digest
from kb.index import cache_dir as ownership
from kb.index import compat
from kb.index.build import LENGTH_FIELDS, WRITER_MB, document_lengths, documents

RECORD = "ENTRIES.json"
STATS = "STATS.json"
VERSION = 1
# Beyond this share of the entries changed since the last full build, build afresh: the
# second segment would be as big as a build, and every look-up pays for deleted documents.
FULL_SHARE = 0.2
FULL_MIN = 500
# Files a clone leaves behind: the lock, the marker, and those written again (never through a
# hard link, which would change the original too).
# The files made from an index once it is written (its calibration, its synonym groups).
MADE_FROM_INDEX = ("CALIBRATION.json", "SYNONYMS.json")
_NOT_CLONED = ("READY", *MADE_FROM_INDEX, RECORD, STATS, ownership.MARKER)


def glossary_signature(kb: KnowledgeBase) -> str:
    """The glossary as the documents see it: a change re-analyses every entry (a full build)."""
    text = repr(sorted((k, sorted(v.names.items())) for k, v in kb.glossary.items()))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def entry_digests(kb: KnowledgeBase) -> Callable[[str], str]:
    """Each entry's digest: the content store's where it keeps them (no entry decoded), else computed."""
    stored = getattr(kb.entries, "digests", None)
    known = stored() if stored is not None else None
    if known is not None:
        return lambda entry_id: known.get(entry_id) or entry_digest(kb.entries[entry_id])
    return lambda entry_id: entry_digest(kb.entries[entry_id])


def write_record(folder: Path, kb: KnowledgeBase, lengths: dict[str, list[int]], touched: int = 0,
                 digest_of: Callable[[str], str] | None = None) -> None:
    """Record each entry's digest and lengths, and the totals a LiveSearcher uses."""
    digest_of = digest_of or entry_digests(kb)
    entries: dict[str, list[Any]] = {entry_id: [digest_of(entry_id), *lengths[entry_id]] for entry_id in sorted(lengths)}
    record = {"version": VERSION, "glossary": glossary_signature(kb), "entries": entries}
    _write_new(folder / RECORD, json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    totals = {name: sum(row[i + 1] for row in entries.values()) for i, name in enumerate(LENGTH_FIELDS)}
    stats = {"version": VERSION, "content": kb.digest, "documents": len(entries), "lengths": totals,
             "touched": touched}
    _write_new(folder / STATS, json.dumps(stats))


def _write_new(path: Path, text: str) -> None:
    """Write a new file in place of ``path`` (a new inode: a hard link elsewhere keeps the old)."""
    fresh = path.with_name(f".{path.name}.new")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == VERSION else None


def live_lengths(storage: Any) -> dict[str, int] | None:
    """The exact field-length totals of the live documents, or None when not recorded."""
    try:
        with storage.open_file(STATS) as handle:
            data = json.loads(bytes(handle.read()).decode("utf-8"))
        lengths = data["lengths"]
        return {str(k): int(v) for k, v in lengths.items()}
    except Exception:  # noqa: BLE001 - in memory or unreadable: Whoosh's own statistics
        return None


@dataclass
class Changes:
    """What an update must do to bring the index to the content."""

    removed: list[str] = field(default_factory=list)  # ids to delete (removed or edited)
    added: list[Entry] = field(default_factory=list)  # entries to write (new or edited)
    entries: dict[str, list[Any]] = field(default_factory=dict)  # the record before
    touched: int = 0
    ids: set[str] = field(default_factory=set)  # the content's entry ids
    digest_of: Callable[[str], str] | None = None  # each entry's digest (entry_digests)

    @property
    def count(self) -> int:
        return len(set(self.removed) | {e.id for e in self.added})


def plan(kb: KnowledgeBase, folder: Path) -> Changes | None:
    """The changes since the index in ``folder`` was written: None when a full build is
    needed (no usable record, another glossary, much changed), empty ones when only the
    content digest moved (the profile, tags: calibration is made again)."""
    stats = _read_json(folder / STATS)
    if stats is None:
        return None
    if stats.get("content") == kb.digest:
        return Changes(touched=-1)  # up to date
    record = _read_json(folder / RECORD)
    if record is None or record.get("glossary") != glossary_signature(kb) or not isinstance(record.get("entries"), dict):
        return None
    old: dict[str, list[Any]] = record["entries"]
    touched = stats.get("touched", 0)
    if not isinstance(touched, int) or not all(isinstance(row, list) and len(row) == 1 + len(LENGTH_FIELDS)
                                               for row in old.values()):
        return None
    digest_of = entry_digests(kb)
    # The ids listed once: a content store answers each membership test with a query.
    changes = Changes(entries=old, touched=touched, ids=set(kb.entries), digest_of=digest_of)
    for entry_id in sorted(changes.ids):
        before = old.get(entry_id)
        if before is None or before[0] != digest_of(entry_id):
            changes.added.append(kb.entries[entry_id])
            if before is not None:
                changes.removed.append(entry_id)
    changes.removed.extend(sorted(set(old) - changes.ids))
    if changes.touched + changes.count > max(FULL_MIN, FULL_SHARE * len(kb.entries)):
        return None
    return changes


def up_to_date(changes: Changes) -> bool:
    return changes.touched < 0


def clone(target: Path, cache_dir: Path) -> Path:
    """A private copy of the index folder made of hard links (a copy where links fail)."""
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=cache_dir))
    ownership.mark_ours(tmp)
    for path in target.iterdir():
        if not path.is_file() or path.name in _NOT_CLONED or path.name.endswith("LOCK"):
            continue
        try:
            os.link(path, tmp / path.name)
        except OSError:
            shutil.copy2(path, tmp / path.name)
    return tmp


def apply(kb: KnowledgeBase, folder: Path, changes: Changes) -> int:
    """Bring the index in ``folder`` (a clone) to the content; returns the entries written or removed."""
    if changes.removed or changes.added:
        ix = whoosh_index.open_dir(str(folder))
        writer = compat.fast_lengths(ix.writer(limitmb=WRITER_MB))
        lengths: dict[str, list[int]] = {}
        try:
            for entry_id in changes.removed:
                writer.delete_by_term("id", entry_id)
            for document in documents(kb, changes.added):
                lengths[document["id"]] = document_lengths(document)
                writer.add_document(**document)
            writer.commit(mergetype=_merge_delta)
        except BaseException:
            writer.cancel()
            raise
        ix.close()
    else:
        lengths = {}
    ids = changes.ids or set(kb.entries)
    merged = {entry_id: row[1:] for entry_id, row in changes.entries.items() if entry_id in ids}
    merged.update(lengths)
    write_record(folder, kb, merged, changes.touched + changes.count, changes.digest_of)
    return changes.count


def _merge_delta(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: keep the full build's segment, merge every later one into the new."""
    from whoosh.reading import SegmentReader

    for segment in segments[1:]:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return segments[:1]


def swap(tmp: Path, target: Path, proof: Callable[[Path], bool] | None = None) -> None:
    """Put the folder ``tmp`` in place of ``target`` in one step where the system can (Linux
    renameat2 RENAME_EXCHANGE); the old index ends up at ``tmp`` and is removed."""
    if not _exchange(tmp, target):
        aside = tmp.with_name(f".old-{tmp.name}")
        os.rename(target, aside)
        os.rename(tmp, target)
        ownership.remove_ours(aside, proof)
        return
    ownership.remove_ours(tmp, proof)


def _exchange(a: Path, b: Path) -> bool:
    import ctypes  # only to swap folders in place (an update), not to open the index

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    with contextlib.suppress(Exception):
        return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)
    return False
