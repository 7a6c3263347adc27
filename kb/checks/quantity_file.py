"""The checks' quantity table kept in the cache folder, so answering a question loads no check.

Every question is matched against the quantities the checks declare ("16 GB", "何秒"), and
the index folder is named by them, so knowing them meant importing every check module (its
parameters, drills and calculator) in each `faq ask`, about a tenth of its start-up. The
table is plain data (patterns, unit words, the kinds each check computes with), so it is
kept as JSON, with the stat line of every ``kb`` module file that was loaded when it was
made: the check modules and all they import are among them. While none of those files
changed and Python is the same, the table is what importing the checks would give; anything
else (a missing, damaged or stale file) means importing them and writing it again. A
planted file can at worst be a wrong table (the folder is the private index cache): it is
data, never code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from kb import started
from kb.content.files import read_limited
from kb.errors import KbError

PREFIX = "quantities-"
VERSION = 1
# File times come from a clock that may lag the one time.time_ns() reads by a tick or so.
_CLOCK_SLACK_NS = 50_000_000


def file_for(cache_dir: Path, modules: Mapping[str, str]) -> Path:
    """The file of the table of these check modules (id -> module), for this Python and this
    copy of the code (two checkouts sharing a cache keep a table each)."""
    here = os.path.dirname(os.path.abspath(__file__))
    key = hashlib.sha256(json.dumps([VERSION, sys.version, here, sorted(modules.items())]).encode()).hexdigest()[:16]
    return cache_dir / f"{PREFIX}{key}.json"


def read_table(path: Path) -> tuple[dict[str, str], list[str], dict[str, tuple[str, ...]]] | None:
    """(patterns by kind, unit words, kinds by check) from ``path``; None unless it is whole,
    of this version, and every module file it was made from is as it was."""
    try:
        data = json.loads(read_limited(path, 1 << 20))  # a regular file, bounded: never a FIFO
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        files, patterns, words, by_check = data["files"], data["patterns"], data["unit_words"], data["by_check"]
        if not (isinstance(files, dict) and files and isinstance(patterns, dict) and isinstance(words, list)
                and isinstance(by_check, dict)):
            return None
        if any(_stat_line(name) != line for name, line in files.items()):
            return None
        texts = [*patterns, *patterns.values(), *words, *by_check, *(k for v in by_check.values() for k in v)]
        if not all(isinstance(text, str) for text in texts) or not all(isinstance(v, list) for v in by_check.values()):
            return None
        for pattern in patterns.values():
            re.compile(pattern)  # a damaged pattern: made again from the checks
        return dict(patterns), list(words), {k: tuple(v) for k, v in by_check.items()}
    except (KbError, OSError, ValueError, TypeError, KeyError, AttributeError, re.error, RecursionError):
        return None


def write_table(path: Path, patterns: Mapping[str, str], unit_words: set[str],
                by_check: Mapping[str, tuple[str, ...]], loaded: Iterable[str] = ()) -> None:
    """Keep the table at ``path`` (atomically, 0600), with the stat lines of the ``kb`` module
    files loaded now and of the modules named in ``loaded`` (those that making the table
    imported: a check outside ``kb`` and what it imports); a folder that cannot be written
    means computing it next time too. Nothing is kept if one of those files changed since
    this process began importing ``kb``: the table made may be the old code's."""
    wanted = set(loaded)
    files = {}
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if (name == "kb" or name.startswith("kb.") or name in wanted) and isinstance(origin, str):
            try:
                st = os.stat(origin)
            except OSError:
                return  # a module whose file is gone: nothing to compare with later
            if st.st_mtime_ns >= started.IMPORTED_NS - _CLOCK_SLACK_NS:
                return  # written while (or just before) this process imported it
            files[origin] = _line(st)
    body = json.dumps({"version": VERSION, "files": files, "patterns": dict(patterns),
                       "unit_words": sorted(unit_words), "by_check": {k: list(v) for k, v in by_check.items()}},
                      ensure_ascii=False).encode()
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(prefix=f".{PREFIX}", dir=path.parent)  # 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _stat_line(path: str) -> str | None:
    try:
        return _line(os.stat(path))
    except OSError:
        return None


def _line(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
