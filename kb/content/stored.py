"""Entries read from the content store one at a time, so a process answering one question
decodes only the entries it shows, not the whole knowledge base.

The store is an SQLite file of entries as JSON by id (written by kb.content.snapshot). A row
that does not decode means the store cannot be trusted: every entry is then parsed again
from the files, as if there were no store.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from typing import Any

from kb.content.entry import Entry, Localized, QuizItem, QuizText


def entry_digest(entry: Entry) -> str:
    """What an entry's document is made of (the glossary and checks aside): its text, tags, checks."""
    parts = [entry.id, "\0".join(entry.tags), "\0".join(entry.checks)]
    for lang, loc in entry.text.items():
        parts.extend((lang, loc.question, "\0".join(loc.alternates), loc.answer))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]


def encode_entry(e: Entry) -> dict[str, Any]:
    """One entry as plain JSON values (every field of Entry: tests/test_snapshot.py)."""
    return {
        "id": e.id, "path": e.path, "tags": e.tags, "related": e.related, "applies_to": e.applies_to,
        "checks": e.checks, "flags": e.flags,
        "text": {lang: {"question": t.question, "answer": t.answer, "alternates": t.alternates}
                 for lang, t in e.text.items()},
        "quiz": [{"id": q.id, "entry": q.entry, "kind": q.kind, "answer": q.answer, "tolerance": q.tolerance,
                  "line": q.line,
                  "text": {lang: {"prompt": t.prompt, "explanation": t.explanation, "choices": t.choices}
                           for lang, t in q.text.items()}} for q in e.quiz],
    }


def decode_entry(e: dict[str, Any]) -> Entry:
    """The entry back from ``encode_entry``'s output; raises on any other shape."""
    text = {lang: Localized(t["question"], t["answer"], tuple(t["alternates"])) for lang, t in e["text"].items()}
    quiz = tuple(QuizItem(id=q["id"], entry=q["entry"], kind=q["kind"], answer=q["answer"],
                          tolerance=q["tolerance"], line=q["line"],
                          text={lang: QuizText(t["prompt"], t["explanation"], tuple(t["choices"]))
                                for lang, t in q["text"].items()}) for q in e["quiz"])
    entry = Entry(id=e["id"], text=text, tags=tuple(e["tags"]), related=tuple(e["related"]),
                  applies_to=tuple(e["applies_to"]), checks=tuple(e["checks"]), quiz=quiz,
                  path=e["path"], flags=tuple(e["flags"]))
    if not isinstance(entry.id, str) or not entry.text or not all(isinstance(a, str) for a in entry.applies_to):
        raise ValueError("not an entry")
    return entry


class StoredEntries(Mapping[str, Entry]):
    """Entries by id, decoded from the store when first looked up.

    Looking one up, testing membership, counting and listing the ids read no entry's text;
    ``values()`` and ``items()`` decode them all, once. ``decoded`` counts the entries
    decoded so far. ``reparse`` gives every entry from the files, for a damaged store.
    """

    def __init__(self, connection: sqlite3.Connection, count: int, reparse: Callable[[], Mapping[str, Entry]],
                 languages: tuple[str, ...], applies: tuple[str, ...]) -> None:
        self._db = connection
        self._count = count
        self._reparse = reparse
        self._lock = threading.RLock()  # the app reads entries from its UI thread and workers
        self._cache: dict[str, Entry] = {}
        self._all: Mapping[str, Entry] | None = None
        self._applies: dict[str, tuple[str, ...]] = {}
        self.decoded = 0
        # What every entry together says, kept in the store's header.
        self.languages = languages  # the languages the entries are written in
        self.applies = applies  # every distinct applies_to value

    def __getitem__(self, entry_id: str) -> Entry:
        with self._lock:
            found = self._cache.get(entry_id) if self._all is None else self._all[entry_id]
            if found is not None:
                return found
            row = self._row("SELECT json FROM entries WHERE id = ?", entry_id)
            if self._all is not None:
                return self._all[entry_id]
            if row is None:
                raise KeyError(entry_id)
            try:
                entry = decode_entry(json.loads(row[0]))
                if entry.id != entry_id:
                    raise ValueError("row id differs from the entry's")
            except Exception:  # noqa: BLE001 - a damaged row: trust none of the store
                return self._fall_back()[entry_id]
            self.decoded += 1
            self._cache[entry_id] = entry
            return entry

    def __contains__(self, entry_id: object) -> bool:
        if not isinstance(entry_id, str):
            return False
        with self._lock:
            if self._all is None and entry_id not in self._cache:
                row = self._row("SELECT 1 FROM entries WHERE id = ?", entry_id)
                if self._all is None:
                    return row is not None
            return entry_id in self._cache if self._all is None else entry_id in self._all

    def __len__(self) -> int:
        return len(self._all) if self._all is not None else self._count

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            if self._all is not None:
                ids = list(self._all)
            else:
                try:
                    ids = [row[0] for row in self._db.execute("SELECT id FROM entries ORDER BY file")]
                except sqlite3.Error:
                    ids = list(self._fall_back())
        return iter(ids)

    def values(self) -> ValuesView[Entry]:
        return self.loaded().values()

    def items(self) -> ItemsView[str, Entry]:
        return self.loaded().items()

    def applies_to(self, entry_id: str) -> tuple[str, ...]:
        """One entry's ``applies_to`` without decoding the entry (scope judges every candidate)."""
        with self._lock:
            found = self._applies.get(entry_id)
            if found is not None:
                return found
            if self._all is None and entry_id in self._cache:
                found = self._cache[entry_id].applies_to
            elif self._all is None:
                row = self._row("SELECT applies FROM entries WHERE id = ?", entry_id)
                try:
                    found = tuple(json.loads(row[0])) if row is not None else ()
                    if not all(isinstance(a, str) for a in found):
                        raise ValueError("applies_to holds a non-string")
                except (ValueError, TypeError):
                    self._fall_back()
            if self._all is not None:
                entry = self._all.get(entry_id)
                return entry.applies_to if entry is not None else ()
            assert found is not None
            self._applies[entry_id] = found
            return found

    def digests(self) -> dict[str, str] | None:
        """Every entry's digest (``entry_digest``) as stored, by id; None when the store cannot be read."""
        with self._lock:
            if self._all is not None:
                return None
            try:
                found = dict(self._db.execute("SELECT id, digest FROM entries"))
            except sqlite3.Error:
                return None
        return found if all(isinstance(v, str) for v in found.values()) else None

    def tags_by_entry(self) -> dict[str, tuple[str, ...]] | None:
        """Every entry's tags by id, in content order, read without decoding an entry.

        None when the store cannot be read or holds a row of another shape (``loaded`` then
        decodes or reparses the entries, as a lookup would).
        """
        with self._lock:
            if self._all is not None:
                return {entry_id: entry.tags for entry_id, entry in self._all.items()}
            try:
                rows = self._db.execute("SELECT id, json_extract(json, '$.tags') FROM entries ORDER BY file")
                found = {entry_id: tuple(json.loads(tags)) for entry_id, tags in rows}
            except (sqlite3.Error, ValueError, TypeError):
                return None
        if not all(isinstance(tag, str) for tags in found.values() for tag in tags):
            return None
        return found

    def linked_checks(self) -> set[str] | None:
        """Every check id some entry links (``checks = [...]``), read without decoding an entry;
        None as for ``tags_by_entry``."""
        with self._lock:
            if self._all is not None:
                return {check for entry in self._all.values() for check in entry.checks}
            try:
                found = {row[0] for row in self._db.execute(
                    "SELECT DISTINCT c.value FROM entries e, json_each(e.json, '$.checks') c")}
            except sqlite3.Error:
                return None
        return found if all(isinstance(check, str) for check in found) else None

    def questions(self) -> dict[str, dict[str, str]] | None:
        """Every entry's question in each language it is written in (in the entry's order), by id
        in content order, read without decoding an entry; None as for ``tags_by_entry``."""
        with self._lock:
            if self._all is not None:
                return {entry_id: {lang: loc.question for lang, loc in entry.text.items()}
                        for entry_id, entry in self._all.items()}
            found: dict[str, dict[str, str]] = {}
            try:
                for entry_id, lang, question in self._db.execute(
                        "SELECT e.id, t.key, json_extract(t.value, '$.question') FROM entries e, "
                        "json_each(e.json, '$.text') t ORDER BY e.file, t.id"):
                    if not isinstance(question, str):
                        return None
                    found.setdefault(entry_id, {})[lang] = question
            except sqlite3.Error:
                return None
        return found if len(found) == self._count else None

    def loaded(self) -> Mapping[str, Entry]:
        """Every entry, decoded (once), in content order."""
        with self._lock:
            if self._all is None:
                try:
                    rows = self._db.execute("SELECT id, json FROM entries ORDER BY file").fetchall()
                    everything = {}
                    for entry_id, text in rows:
                        entry = self._cache.get(entry_id) or decode_entry(json.loads(text))
                        if entry.id != entry_id:
                            raise ValueError("row id differs from the entry's")
                        everything[entry_id] = entry
                except Exception:  # noqa: BLE001 - as in __getitem__
                    return self._fall_back()
                self.decoded += len(everything) - len(self._cache)
                self._all = everything
                self._close()
            return self._all

    def _row(self, sql: str, entry_id: str) -> Any:
        """One row, or None; a store that cannot be read falls back to the files (``_all`` set)."""
        try:
            return self._db.execute(sql, (entry_id,)).fetchone()
        except sqlite3.Error:
            self._fall_back()
            return None

    def _fall_back(self) -> Mapping[str, Entry]:
        if self._all is None:
            self._all = self._reparse()
            self._close()
        return self._all

    def _close(self) -> None:
        try:
            self._db.close()
        except sqlite3.Error:
            pass


def tags_by_entry(entries: Mapping[str, Entry]) -> dict[str, tuple[str, ...]]:
    """Every entry's tags by id, in content order; entries in the store are not decoded for it."""
    found = entries.tags_by_entry() if isinstance(entries, StoredEntries) else None
    return found if found is not None else {entry_id: entry.tags for entry_id, entry in entries.items()}


def linked_checks(entries: Mapping[str, Entry]) -> set[str]:
    """Every check id some entry links; entries in the store are not decoded for it."""
    found = entries.linked_checks() if isinstance(entries, StoredEntries) else None
    return found if found is not None else {check for entry in entries.values() for check in entry.checks}


def questions(entries: Mapping[str, Entry]) -> dict[str, dict[str, str]]:
    """Every entry's question in each of its languages, by id in content order (``Entry.question``
    falls back to the first of them); entries in the store are not decoded for it."""
    found = entries.questions() if isinstance(entries, StoredEntries) else None
    if found is not None:
        return found
    return {entry_id: {lang: loc.question for lang, loc in entry.text.items()} for entry_id, entry in entries.items()}
