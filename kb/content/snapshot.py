"""A parsed-content store beside the index, so a start with unchanged files skips parsing.

The store is an SQLite file: one small header (profile, glossary, tags, problems, and what
all entries together say) and each entry as JSON by id, decoded only when looked up
(kb.content.stored). Nothing in it is a pickle: a file planted in the cache can at worst be
wrong content (and then it fails to decode and the files are parsed again), never code
that runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import tempfile
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kb.content.entry import LANGS, GlossaryTerm, Tag
from kb.content.files import stat_numbers, stat_text
from kb.content.load import KnowledgeBase, Loaded, load_files, load_kb
from kb.content.profile import Product, Profile
from kb.content.refresh import decode_problem, encode_problem, entry_row, file_row, reparse_changed
from kb.content.stored import StoredEntries, decode_entry, encode_entry

# Bump when KnowledgeBase, Entry or the loader's output changes shape.
# 2: content problems carry a Japanese message (``message_ja``). 3: JSON instead of a pickle.
# 4: entries carry ``flags`` and may hold one language only; warnings kept apart from errors.
# 5: kb.toml's profile is kept. 6: an SQLite store of entries by id, read on demand.
# 7: each file's stat line, digest and own problems, each entry's digest (kb.content.refresh).
SNAPSHOT_VERSION = "8"
FORMAT = "faq-assistant content snapshot"
# Written into every store's SQLite header (PRAGMA application_id, bytes 68-71): pruning
# deletes only files that carry it. "faq5" in ASCII.
APPLICATION_ID = 0x66617135
_SQLITE_HEAD = b"SQLite format 3\x00"
# The first bytes of the JSON snapshots of versions 3 and 4, pruned as ours too.
_OLD_HEAD = json.dumps({"format": FORMAT})[:-1].encode()
_KEEP = 4
MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024 * 1024  # ours, so only a bound against a device put in its place


def fingerprint(root: Path, known_checks: Iterable[str] | None = None,
                scanned: dict[Path, Scan] | None = None) -> str:
    """What the content folder looks like on disk: names, sizes, times and inodes.

    Stat calls only, hashed as packed integers (no text per file): at 100,000 files the
    stat calls themselves are most of its cost. The change time and inode are in it because
    a same-size edit whose modification time is put back (touch -r, rsync -t, cp -p) changes
    neither size nor mtime; the kernel sets ctime on every change and nobody can set it back,
    and a rename into place (rsync) gives a new inode. The check ids known when parsing (the
    registry's by default) count too: an entry linking an unknown check is left out, and is
    back once a check of that id exists. ``scanned``, when given, receives each folder's scan
    (``Scan``), so that a refresh stats no file twice.
    """
    if known_checks is None:
        from kb.checks.registry import known_ids

        known_checks = known_ids()
    checks = ",".join(sorted(known_checks))
    digest = hashlib.sha256(f"{SNAPSHOT_VERSION}\0{checks}\0".encode() + os.fsencode(root.resolve()))
    for folder in (root, root / "entries"):
        scan = _scan(folder)
        if scanned is not None:
            scanned[folder] = scan
        digest.update(b"%s/%d\0%s\0" % (os.fsencode(folder.name), len(scan.files),
                                          os.fsencode("\0".join(scan.files))))
        digest.update(array("q", scan.numbers).tobytes())
    return digest.hexdigest()[:24]


class Scan:
    """One folder as the fingerprint saw it: the files' names in order with five integers
    each (type, size, modification and change time, inode: ``stat_line``'s fields), and the
    names that are not files. Plain integers, not stat results: 100,000 of those would be
    objects for the garbage collector to walk. Empty when the folder (or a file in it)
    cannot be read."""

    def __init__(self, files: list[str] | None = None, numbers: list[int] | None = None,
                 others: list[str] | None = None) -> None:
        self.files = files or []
        self.numbers = numbers or []
        self.others = others or []

    def lines(self) -> dict[str, str | None]:
        """Each name with its stat line (``stat_line``), None for what is not a file."""
        n = self.numbers
        out: dict[str, str | None] = {name: stat_text(n[i:i + 5])
                                      for name, i in zip(self.files, range(0, len(n), 5), strict=True)}
        out.update(dict.fromkeys(self.others))
        return out


def _scan(folder: Path) -> Scan:
    """``folder``'s names sorted, each stat'ed through the folder's descriptor (no path walk
    per file, which matters at 100,000 files)."""
    if os.stat not in os.supports_dir_fd:
        return _scan_entries(folder)
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return Scan()
    try:
        files: list[str] = []
        numbers: list[int] = []
        others: list[str] = []
        add_file, add, add_other, stat_at, regular = files.append, numbers.extend, others.append, os.stat, stat.S_ISREG
        numbers_of = stat_numbers
        for name in sorted(os.listdir(fd)):
            try:
                st = stat_at(name, dir_fd=fd)
            except OSError:
                # A broken link is not a file; a file gone since the listing spoils the scan.
                try:
                    if stat.S_ISLNK(stat_at(name, dir_fd=fd, follow_symlinks=False).st_mode):
                        add_other(name)
                        continue
                except OSError:
                    pass
                return Scan()
            if regular(st.st_mode):
                add_file(name)
                add(numbers_of(st))
            else:
                add_other(name)
        return Scan(files, numbers, others)
    except OSError:
        return Scan()
    finally:
        os.close(fd)


def _scan_entries(folder: Path) -> Scan:
    """``_scan`` where ``os.stat`` takes no folder descriptor."""
    try:
        with os.scandir(folder) as listing:
            found = sorted((e.name, e.stat() if e.is_file() else None) for e in listing)
    except OSError:
        return Scan()
    scan = Scan()
    for name, st in found:
        if st is None:
            scan.others.append(name)
        else:
            scan.files.append(name)
            scan.numbers.extend(stat_numbers(st))
    return scan


def _listing(scan: dict[str, str | None]) -> list[str]:
    """One line per file, hashed at once."""
    return sorted(f"{name}\0{stat}\0" for name, stat in scan.items() if stat is not None)


def load_kb_cached(root: Path, cache_dir: Path | None, known_checks: Iterable[str] | None = None) -> KnowledgeBase:
    """``load_kb``, reusing the store when the folder has not changed since it was written.

    The entries of a reused store are read one by one as they are looked up. A missing,
    stale or unreadable store means parsing the files as usual; a cache folder that cannot
    be written just means no store next time.
    """
    checks = None if known_checks is None else list(known_checks)
    if cache_dir is None:
        return load_kb(root, checks)
    scanned: dict[Path, Scan] = {}
    path = cache_dir / f"kb-{fingerprint(root, checks, scanned)}.sqlite3"
    stored = open_store(path, root, checks)
    if stored is not None:
        return stored
    if checks is None:
        from kb.checks.registry import known_ids

        checks = list(known_ids())
    # File names as bytes (hex, a digest): a name that is not UTF-8 has no place in JSON text.
    top = hashlib.sha256(os.fsencode("\n".join(_listing(scanned[root].lines())))).hexdigest()
    made = {"root": os.fsencode(root).hex(), "checks": sorted(checks), "top": top, "entries": (root / "entries").is_dir()}
    prior = _reparse_changed(cache_dir, made, root, checks, scanned[root / "entries"].lines())
    loaded = prior[0] if prior is not None else load_files(root, checks)
    fresh = prior is None
    with contextlib.suppress(OSError, sqlite3.Error, UnicodeError):
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".kb-", dir=cache_dir)  # 0600
        os.close(fd)
        try:
            _write_store(Path(tmp), loaded, made, prior[1] if prior is not None else None)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _prune(cache_dir, keep=path)
        if not fresh:
            stored = open_store(path, root, checks)
            if stored is not None:
                return stored
    return loaded.kb if fresh else load_kb(root, checks)


def _reparse_changed(cache_dir: Path, made: dict[str, Any], root: Path, checks: list[str],
                     stats: dict[str, str | None]) -> tuple[Loaded, Path] | None:
    """The content from the newest store made for this folder with the same top-level files
    and check ids, parsing only the entry files changed since; None when there is none.
    ``stats``: the entry files' stat lines as the fingerprint saw them."""
    try:
        stores = sorted(cache_dir.glob("kb-*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return None
    for candidate in stores[:_KEEP]:
        db = None if candidate.is_symlink() else _connect(candidate)
        if db is None:
            continue
        try:
            header = json.loads(db.execute("SELECT json FROM header").fetchone()[0])
            if not made["entries"] or any(header.get(key) != value for key, value in made.items()):
                continue
            kb = _decode_header(header, root)
            tags = header["known_tags"]
            loaded = Loaded(kb, top=[(str(n), str(h)) for n, h in header["top_shas"]],
                            top_problems=int(header["top_problems"]),
                            known_tags=None if tags is None else set(map(str, tags)))
            del kb.problems[loaded.top_problems:]
            reparse_changed(loaded, set(checks), db, stats)
            return loaded, candidate
        except Exception:  # noqa: BLE001 - a store that cannot be read is not used
            continue
        finally:
            db.close()
    return None


def _connect(path: Path) -> sqlite3.Connection | None:
    """A store opened read-only; None when it is not a regular file of ours."""
    try:
        # Only a regular file: opening a FIFO put in its place would block.
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SNAPSHOT_BYTES:
            return None
        # immutable: a store is never changed once renamed into place (a new one gets a new name).
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except (OSError, sqlite3.Error, ValueError):
        return None
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        if db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
            return db
    except sqlite3.Error:
        pass
    db.close()
    return None


def open_store(path: Path, root: Path, known_checks: list[str] | None) -> KnowledgeBase | None:
    """The knowledge base of a store, its entries read on demand; None when missing or not ours."""
    db = _connect(path)
    if db is None:
        return None
    try:
        header = json.loads(db.execute("SELECT json FROM header").fetchone()[0])
        kb = _decode_header(header, root)
        kb.entries = StoredEntries(db, int(header["count"]), lambda: load_kb(root, known_checks).entries,
                                   tuple(header["languages"]), tuple(str(a) for a in header["applies"]))
        return kb
    except Exception:  # noqa: BLE001 - any unreadable store is simply written again
        db.close()
        return None


def _write_store(path: Path, loaded: Loaded, made: dict[str, Any], prior: Path | None = None) -> None:
    """The store at ``path``: written whole, or a copy of ``prior`` with the files that were
    parsed again written over their rows (the others' rows stay as they were)."""
    if prior is not None:
        shutil.copyfile(prior, path)
    db = sqlite3.connect(str(path))
    try:
        # No journal: the file is written whole before it is renamed into place, and a
        # journal would be a second file in the cache folder.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA temp_store = MEMORY")  # no temporary file outside the cache folder
        if prior is None:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute("CREATE TABLE header (json TEXT NOT NULL)")
            # Entries are listed in content order: by file name (kb.content.load.entry_paths).
            db.execute("CREATE TABLE entries (ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
                       "file TEXT NOT NULL UNIQUE, applies TEXT NOT NULL, langs TEXT NOT NULL, digest TEXT NOT NULL, "
                       "json TEXT NOT NULL)")
            db.execute("CREATE TABLE files (name BLOB PRIMARY KEY, stat TEXT, sha TEXT, entry TEXT, "
                       "related TEXT NOT NULL, problems TEXT NOT NULL)")
        results = loaded.results or []
        # Only the rows of files not kept as they were are deleted (and those parsed written
        # again): after one edit, two statements, not a pass over every row.
        kept = {os.fsencode(r.name) for r in results if r.kept}
        db.executemany("DELETE FROM files WHERE name = ?",
                       [(name,) for (name,) in db.execute("SELECT name FROM files") if name not in kept])
        db.executemany("DELETE FROM entries WHERE file = ?",
                       [(name,) for (name,) in db.execute("SELECT file FROM entries") if os.fsencode(name) not in kept])
        # A kept file whose entry is no longer taken (its id now another file's) loses its row.
        accepted = {r.name for r in loaded.accepted}
        db.executemany("DELETE FROM entries WHERE file = ?", ((r.name,) for r in results
                                                              if r.kept and r.entry_id and r.name not in accepted))
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", (file_row(r) for r in results if not r.kept))
        db.executemany("INSERT INTO entries (id, file, applies, langs, digest, json) VALUES (?, ?, ?, ?, ?, ?)",
                       (entry_row(r.entry, r.name) for r in loaded.accepted if r.entry is not None))
        # Each distinct list decoded once: most entries share their languages and products.
        used = {lang for (langs,) in db.execute("SELECT DISTINCT langs FROM entries") for lang in json.loads(langs)}
        applies = {a for (row,) in db.execute("SELECT DISTINCT applies FROM entries") for a in json.loads(row)}
        header = {**_header(loaded.kb), **made, "count": len(loaded.accepted),
                  "languages": [lang for lang in LANGS if lang in used], "applies": sorted(applies),
                  "top_shas": loaded.top, "top_problems": loaded.top_problems,
                  "known_tags": None if loaded.known_tags is None else sorted(loaded.known_tags)}
        db.execute("DELETE FROM header")
        db.execute("INSERT INTO header VALUES (?)", (json.dumps(header, ensure_ascii=False),))
        db.commit()
    finally:
        db.close()


def _prune(cache_dir: Path, keep: Path) -> None:
    # Several content folders may share one cache; keep the few most recent snapshots.
    # Only files that are provably our snapshots: the folder may hold other people's files.
    olds = sorted((p for p in [*cache_dir.glob("kb-*.sqlite3"), *cache_dir.glob("kb-*.json")]
                   if p != keep and _is_snapshot(p)),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds[_KEEP - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()


def _is_snapshot(path: Path) -> bool:
    try:
        if path.is_symlink() or not path.is_file():
            return False
        with path.open("rb") as handle:
            head = handle.read(72)
    except OSError:
        return False
    if head.startswith(_OLD_HEAD):
        return True
    return head.startswith(_SQLITE_HEAD) and len(head) == 72 and int.from_bytes(head[68:72], "big") == APPLICATION_ID


def encode(kb: KnowledgeBase) -> dict[str, Any]:
    """The parsed content as plain JSON values: the store's header, with every entry."""
    return {**_header(kb), "entries": [encode_entry(e) for e in kb.entries.values()]}


def decode(data: dict[str, Any], root: Path) -> KnowledgeBase:
    """The knowledge base back from ``encode``'s output; raises on any other shape."""
    kb = _decode_header(data, root)
    kb.entries = {e.id: e for e in map(decode_entry, data["entries"])}
    return kb


def _header(kb: KnowledgeBase) -> dict[str, Any]:
    p = kb.profile
    used = {lang for e in kb.entries.values() for lang in e.text} if isinstance(kb.entries, dict) else set()
    return {
        "format": FORMAT,
        "version": SNAPSHOT_VERSION,
        "digest": kb.digest,
        "count": len(kb.entries),
        "languages": [lang for lang in LANGS if lang in used],
        "applies": sorted({a for e in kb.entries.values() for a in e.applies_to}) if isinstance(kb.entries, dict) else [],
        "profile": {"name": p.name, "description": p.description, "example": p.example, "not_about": p.not_about,
                    "abbreviations": p.abbreviations, "quiz_per_entry": p.quiz_per_entry,
                    "products": [{"name": x.name, "aliases": x.aliases, "versions": x.versions, "default": x.default}
                                 for x in p.products]},
        "glossary": [{"id": g.id, "names": g.names, "definition": g.definition} for g in kb.glossary.values()],
        "tags": [{"id": t.id, "label": t.label} for t in kb.tags.values()],
        "problems": [encode_problem(p) for p in kb.problems],
    }


def _decode_header(data: dict[str, Any], root: Path) -> KnowledgeBase:
    if data["format"] != FORMAT or data["version"] != SNAPSHOT_VERSION:
        raise ValueError("not a snapshot of this version")
    glossary = {g["id"]: GlossaryTerm(g["id"], {k: tuple(v) for k, v in g["names"].items()}, g["definition"])
                for g in data["glossary"]}
    tags = {t["id"]: Tag(t["id"], t["label"]) for t in data["tags"]}
    problems = [decode_problem(p) for p in data["problems"]]
    p = data["profile"]
    profile = Profile(name=dict(p["name"]), description=dict(p["description"]), example=dict(p["example"]),
                      not_about=tuple(p["not_about"]),
                      abbreviations=dict(p["abbreviations"]), quiz_per_entry=int(p["quiz_per_entry"]),
                      products=tuple(Product(x["name"], tuple(x["aliases"]),
                                             {k: tuple(v) for k, v in x["versions"].items()}, x["default"])
                                     for x in p["products"]))
    return KnowledgeBase(root=root, glossary=glossary, tags=tags, problems=problems, digest=data["digest"],
                         profile=profile)
