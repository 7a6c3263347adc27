"""A parsed-content snapshot beside the index, so a start with unchanged files skips parsing."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kb.content.load import KnowledgeBase, load_kb

# Bump when KnowledgeBase, Entry or the loader's output changes shape.
# 2: content problems carry a Japanese message (``message_ja``).
# 3: entries carry ``flags`` and may hold one language only.
SNAPSHOT_VERSION = "3"
_KEEP = 4


def fingerprint(root: Path, known_checks: Iterable[str] | None = None) -> str:
    """What the content folder looks like on disk: names, sizes and modification times.

    Stat calls only, so it costs milliseconds even for 100,000 files; any edit changes it.
    The check ids known when parsing (the registry's by default) count too: an entry
    linking an unknown check is left out, and is back once a check of that id exists.
    """
    if known_checks is None:
        from kb.checks.registry import known_ids

        known_checks = known_ids()
    checks = ",".join(sorted(known_checks))
    digest = hashlib.sha256(f"{SNAPSHOT_VERSION}\0{root.resolve()}\0{checks}".encode())
    for folder in (root, root / "entries"):
        try:
            items = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder)
                           if e.is_file())
        except OSError:
            items = []
        for name, size, mtime in items:
            digest.update(f"{folder.name}/{name}\0{size}\0{mtime}\0".encode())
    return digest.hexdigest()[:24]


def load_kb_cached(root: Path, cache_dir: Path | None, known_checks: Iterable[str] | None = None) -> KnowledgeBase:
    """``load_kb``, reusing a snapshot when the folder has not changed since it was taken.

    A missing, stale or unreadable snapshot means parsing the files as usual; a cache
    folder that cannot be written just means no snapshot next time.
    """
    if cache_dir is None:
        return load_kb(root, known_checks)
    path = cache_dir / f"kb-{fingerprint(root, known_checks)}.pickle"
    try:
        with path.open("rb") as handle:
            kb = pickle.load(handle)
        if isinstance(kb, KnowledgeBase):
            return kb
    except Exception:  # noqa: BLE001 - any unreadable snapshot is simply rebuilt
        pass
    kb = load_kb(root, known_checks)
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kb-", dir=cache_dir)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(kb, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _prune(cache_dir, keep=path)
    return kb


def _prune(cache_dir: Path, keep: Path) -> None:
    # Several content folders may share one cache; keep the few most recent snapshots.
    olds = sorted((p for p in cache_dir.glob("kb-*.pickle") if p != keep),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds[_KEEP - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()
