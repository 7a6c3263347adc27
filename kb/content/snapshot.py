"""A parsed-content snapshot beside the index, so a start with unchanged files skips parsing.

The snapshot is JSON, not a pickle: a file planted in the cache can at worst be wrong
content (and then it fails to decode and is rebuilt), never code that runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kb.content import files
from kb.content.entry import Entry, GlossaryTerm, Localized, QuizItem, QuizText, Tag
from kb.content.load import KnowledgeBase, load_kb
from kb.content.profile import Product, Profile
from kb.errors import ContentError, ContentWarning

# Bump when KnowledgeBase, Entry or the loader's output changes shape.
# 2: content problems carry a Japanese message (``message_ja``). 3: JSON instead of a pickle.
# 4: entries carry ``flags`` and may hold one language only; warnings kept apart from errors.
SNAPSHOT_VERSION = "5"  # 5: kb.toml's profile is kept
# The first bytes of every snapshot we write: pruning deletes only files that start so.
FORMAT = "faq-assistant content snapshot"
_HEAD = json.dumps({"format": FORMAT})[:-1].encode()
_KEEP = 4
MAX_SNAPSHOT_BYTES = 1024 * 1024 * 1024  # ours, so only a bound against a device put in its place


def fingerprint(root: Path, known_checks: Iterable[str] | None = None) -> str:
    """What the content folder looks like on disk: names, sizes, times and inodes.

    Stat calls only, so it costs milliseconds even for 100,000 files. The change time and
    inode are in it because a same-size edit whose modification time is put back (touch -r,
    rsync -t, cp -p) changes neither size nor mtime; the kernel sets ctime on every change
    and nobody can set it back, and a rename into place (rsync) gives a new inode. The check
    ids known when parsing (the registry's by default) count too: an entry linking an
    unknown check is left out, and is back once a check of that id exists.
    """
    if known_checks is None:
        from kb.checks.registry import known_ids

        known_checks = known_ids()
    checks = ",".join(sorted(known_checks))
    digest = hashlib.sha256(f"{SNAPSHOT_VERSION}\0{checks}\0".encode() + os.fsencode(root.resolve()))
    for folder in (root, root / "entries"):
        items = []
        try:
            for e in os.scandir(folder):
                if e.is_file():
                    st = e.stat()
                    items.append((os.fsencode(e.name), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            items = []
        items.sort()
        for name, *numbers in items:
            digest.update(os.fsencode(folder.name) + b"/" + name + "\0{}\0{}\0{}\0{}\0".format(*numbers).encode())
    return digest.hexdigest()[:24]


def load_kb_cached(root: Path, cache_dir: Path | None, known_checks: Iterable[str] | None = None) -> KnowledgeBase:
    """``load_kb``, reusing a snapshot when the folder has not changed since it was taken.

    A missing, stale or unreadable snapshot means parsing the files as usual; a cache
    folder that cannot be written just means no snapshot next time.
    """
    if cache_dir is None:
        return load_kb(root, known_checks)
    path = cache_dir / f"kb-{fingerprint(root, known_checks)}.json"
    try:
        # Read as any file is: a FIFO or a device in the cache must not block or fill memory.
        return decode(json.loads(files.read_limited(path, limit=MAX_SNAPSHOT_BYTES)), root)
    except Exception:  # noqa: BLE001 - any unreadable snapshot is simply rebuilt
        pass
    kb = load_kb(root, known_checks)
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".kb-", dir=cache_dir)  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(encode(kb), handle, ensure_ascii=False)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _prune(cache_dir, keep=path)
    return kb


def _prune(cache_dir: Path, keep: Path) -> None:
    # Several content folders may share one cache; keep the few most recent snapshots.
    # Only files that are provably our snapshots: the folder may hold other people's files.
    olds = sorted((p for p in cache_dir.glob("kb-*.json") if p != keep and _is_snapshot(p)),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds[_KEEP - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()


def _is_snapshot(path: Path) -> bool:
    try:
        if path.is_symlink() or not path.is_file():
            return False
        with path.open("rb") as handle:
            return handle.read(len(_HEAD)) == _HEAD
    except OSError:
        return False


def encode(kb: KnowledgeBase) -> dict[str, Any]:
    """The parsed content as plain JSON values (``format`` first, see ``_HEAD``)."""
    return {
        "format": FORMAT,
        "version": SNAPSHOT_VERSION,
        "digest": kb.digest,
        "entries": [_entry(e) for e in kb.entries.values()],
        "glossary": [{"id": g.id, "names": g.names, "definition": g.definition} for g in kb.glossary.values()],
        "tags": [{"id": t.id, "label": t.label} for t in kb.tags.values()],
        "profile": _profile(kb.profile),
        "problems": [{"message": p.message, "ja": p.message_ja, "path": p.path, "line": p.line, "field": p.field,
                      "warning": isinstance(p, ContentWarning)} for p in kb.problems],
    }


def _profile(p: Profile) -> dict[str, Any]:
    # kb.toml: products and versions (scope), topics it is not about, abbreviations, the quiz
    # rule and the name. Without it a warm start answered as if the file were not there.
    return {
        "name": p.name, "description": p.description, "not_about": p.not_about, "abbreviations": p.abbreviations,
        "quiz_per_entry": p.quiz_per_entry,
        "products": [{"name": d.name, "aliases": d.aliases, "versions": d.versions, "default": d.default}
                     for d in p.products],
    }


def _decode_profile(data: dict[str, Any]) -> Profile:
    products = tuple(Product(d["name"], tuple(d["aliases"]), {k: tuple(v) for k, v in d["versions"].items()},
                             d["default"]) for d in data["products"])
    return Profile(dict(data["name"]), dict(data["description"]), products, tuple(data["not_about"]),
                   dict(data["abbreviations"]), int(data["quiz_per_entry"]))


def _entry(e: Entry) -> dict[str, Any]:
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


def decode(data: dict[str, Any], root: Path) -> KnowledgeBase:
    """The knowledge base back from ``encode``'s output; raises on any other shape."""
    if data["format"] != FORMAT or data["version"] != SNAPSHOT_VERSION:
        raise ValueError("not a snapshot of this version")
    entries = {}
    for e in data["entries"]:
        text = {lang: Localized(t["question"], t["answer"], tuple(t["alternates"])) for lang, t in e["text"].items()}
        quiz = tuple(QuizItem(id=q["id"], entry=q["entry"], kind=q["kind"], answer=q["answer"],
                              tolerance=q["tolerance"], line=q["line"],
                              text={lang: QuizText(t["prompt"], t["explanation"], tuple(t["choices"]))
                                    for lang, t in q["text"].items()}) for q in e["quiz"])
        entries[e["id"]] = Entry(id=e["id"], text=text, tags=tuple(e["tags"]), related=tuple(e["related"]),
                                 applies_to=tuple(e["applies_to"]), checks=tuple(e["checks"]), quiz=quiz,
                                 path=e["path"], flags=tuple(e["flags"]))
    glossary = {g["id"]: GlossaryTerm(g["id"], {k: tuple(v) for k, v in g["names"].items()}, g["definition"])
                for g in data["glossary"]}
    tags = {t["id"]: Tag(t["id"], t["label"]) for t in data["tags"]}
    problems = [(ContentWarning if p["warning"] else ContentError)(p["message"], ja=p["ja"], path=p["path"],
                                                                  line=p["line"], field=p["field"])
                for p in data["problems"]]
    return KnowledgeBase(root=root, entries=entries, glossary=glossary, tags=tags, problems=problems,
                         digest=data["digest"], profile=_decode_profile(data["profile"]))
