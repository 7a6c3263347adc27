"""Cache-folder ownership: use only a private folder, and delete only what we provably created.

The cache folder may be one the user points at (``FAQ_CACHE_DIR``) that holds other files.
Every folder this package creates in it gets a marker file, written before anything else;
pruning touches marked folders only. A build folder's marker names its builder (pid and
process start time), so the folder of a killed build is removed once that process is gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

MARKER = ".faq-assistant-owner"
SIGNATURE = "faq-assistant cache folder, created by this program; safe for it to delete"


def refusal(cache_dir: Path) -> tuple[str, str] | None:
    """Why ``cache_dir`` must not be used (English, Japanese), or None when it is fine.

    Like OpenSSH with ~/.ssh: the folder must belong to this user and be writable by
    nobody else, since what is in it is read back as trusted. A missing folder is created
    private (0700).
    """
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = cache_dir.stat()
    except OSError:
        return None  # not creatable: open_index falls back to memory with its own message
    if not stat.S_ISDIR(info.st_mode):
        return None
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return (f"cache folder {cache_dir} belongs to another user; not using it (in-memory index)",
                f"キャッシュ フォルダー {cache_dir} は別のユーザーのものです。使用しません (メモリ上のインデックス)")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return (f"cache folder {cache_dir} is writable by other users; not using it (in-memory index). "
                f"Fix: chmod go-w {cache_dir}",
                f"キャッシュ フォルダー {cache_dir} は他のユーザーも書き込めます。使用しません "
                f"(メモリ上のインデックス)。対処: chmod go-w {cache_dir}")
    return None


def process_start(pid: int) -> str | None:
    """The process's start time as the kernel records it (Linux), to tell a reused pid apart."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # Field 2 (the command) is in parentheses and may hold spaces; start time is field 22.
    fields = data[data.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def mark_ours(folder: Path) -> None:
    """Write the marker into a folder we just created (before anything else goes in)."""
    pid = os.getpid()
    record = {"signature": SIGNATURE, "pid": pid, "started": process_start(pid)}
    fd = os.open(folder / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(record, handle)


def _marker(folder: Path) -> dict[str, object] | None:
    try:
        if folder.is_symlink() or not folder.is_dir():
            return None
        with (folder / MARKER).open("rb") as handle:
            record = json.loads(handle.read(4096))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("signature") == SIGNATURE else None


def is_ours(folder: Path) -> bool:
    """True when the folder carries our marker."""
    return _marker(folder) is not None


def builder_gone(folder: Path) -> bool:
    """True when the folder is ours and the process that created it no longer runs."""
    record = _marker(folder)
    if record is None:
        return False
    pid = record.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's: a reused pid, but not provably gone
    started = record.get("started")
    return started is not None and process_start(pid) != started


def remove_ours(folder: Path, proof: Callable[[Path], bool] | None = None) -> None:
    """Delete ``folder`` only if it carries our marker (or passes ``proof``, another sign of ours)."""
    if is_ours(folder) or (proof is not None and not folder.is_symlink() and proof(folder)):
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)
