"""The content store written again after an edit, parsing only the files that changed.

The store keeps each entry file's stat line (type, size, times, inode), the digest of its
bytes, its own problems and its entry's row. A file whose stat line is the one recorded is
taken from the store as it is; every other file is parsed. What the files say together
(duplicate ids, unknown related ids, the content digest) is then worked out from all the
results as a full parse does (kb.content.load.finish), so the problems are the same.
Anything else changed (kb.toml, the tags, the glossary, any other top-level file, the known
check ids, the folder's path) means a full parse: the store's header says what it was made with.
"""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Any

from kb.content.entry import Entry
from kb.content.files import file_stat
from kb.content.load import FileResult, Loaded, entry_paths, finish, parse_file
from kb.content.stored import encode_entry, entry_digest
from kb.errors import ContentError, ContentWarning


def encode_problem(p: ContentError) -> dict[str, Any]:
    return {"message": p.message, "ja": p.message_ja, "path": p.path, "line": p.line, "field": p.field,
            "warning": isinstance(p, ContentWarning)}


def decode_problem(p: dict[str, Any]) -> ContentError:
    return (ContentWarning if p["warning"] else ContentError)(p["message"], ja=p["ja"], path=p["path"],
                                                              line=p["line"], field=p["field"])


def entry_row(entry: Entry, name: str) -> tuple[str, str, str, str, str, str]:
    """An entry's row in the store: id, file name, applies_to, languages, digest, JSON."""
    return (entry.id, name, json.dumps(entry.applies_to, ensure_ascii=False),
            json.dumps(list(entry.text)), entry_digest(entry), json.dumps(encode_entry(entry), ensure_ascii=False))


def file_row(result: FileResult) -> tuple[bytes, str | None, str | None, str | None, str, str]:
    """A file's row in the store: name, stat line, digest, entry id, related ids, own problems."""
    return (os.fsencode(result.name), result.stat, result.sha, result.entry_id, json.dumps(list(result.related)),
            json.dumps([encode_problem(p) for p in result.problems], ensure_ascii=False))


def reparse_changed(loaded: Loaded, known_checks: set[str], db: sqlite3.Connection,
                    stats: dict[str, str | None] | None = None) -> None:
    """Fill ``loaded`` (its top-level part already taken from the store ``db`` was made with)
    with every entry file: unchanged ones from ``db``, the others parsed. ``stats`` holds the
    stat lines of the folder's files as just seen (the fingerprint's scan): those are not
    taken again."""
    stats = stats or {}
    old_files = {row[0]: row for row in db.execute("SELECT name, stat, sha, entry, related, problems FROM files")}
    old_rows = {row[1]: row for row in db.execute("SELECT id, file FROM entries")}
    results = []
    folder = loaded.kb.root / "entries"
    # The scan's names are entry_paths' (every name ending in .md, in name order), without a second listing.
    names = sorted(n for n in stats if n.endswith(".md")) if stats else [p.name for p in entry_paths(loaded.kb.root)]
    for name in names:
        old = old_files.get(os.fsencode(name))
        stat = (stats.get(name) or file_stat(folder / name)) if old is not None else None
        row = old_rows.get(name)
        # A file that was parsed but left out (a duplicate id) has no row: parsed again.
        if old is None or stat is None or old[1] != stat or (old[3] is not None and (row is None or row[0] != old[3])):
            results.append(parse_file(folder / name, loaded.known_tags, known_checks))
            continue
        related = json.loads(old[4]) if old[4] != "[]" else []
        problems = [decode_problem(p) for p in json.loads(old[5])] if old[5] != "[]" else []
        if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
            raise ValueError("related ids are not strings")
        results.append(FileResult(folder, name, stat=stat, sha=old[2], entry_id=old[3], related=tuple(related),
                                  problems=problems, kept=True))
    finish(loaded, results)
