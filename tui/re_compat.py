"""Regular expressions compiled once per Python, not once per process.

A `faq` process compiles over a hundred patterns (ours, Whoosh's, argparse's), a tenth of
its start-up: Python turns each one into a list of integers, in Python code, every run, and
a Japanese character class alone costs milliseconds. The integers depend only on the
pattern, its flags and the Python version, so the front door keeps them in a file in the
cache folder and hands them to the regex engine directly the next time.

This uses the ``re`` module's private internals (``re._compiler.compile``, ``_sre.compile``);
tests/test_re_compat.py checks that a pattern made from the file equals a fresh one, and
fails loudly when an upgrade changes either. A file that is unreadable, damaged, or written
by another Python is ignored (and written again); nothing else is read or written.
"""

from __future__ import annotations

import _sre
import atexit
import contextlib
import marshal
import os
import re
import sys
import zlib
from pathlib import Path
from typing import Any

_compiler: Any = getattr(re, "_compiler")  # noqa: B009 - private, on purpose (see above)
_parser: Any = getattr(re, "_parser")  # noqa: B009
_DEBUG = re.DEBUG.value
_MAX_PATTERNS = 4000
_Key = tuple[type, "str | bytes", int]


def _tag() -> str:
    """What the compiled form depends on besides the pattern: this Python and its regex engine."""
    return f"{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}|{_sre.MAXREPEAT}"


def file_name() -> str:
    """The cache file's name for this Python (one per version, side by side)."""
    return f"regex-{sys.implementation.cache_tag}-{zlib.crc32(_tag().encode()):08x}.marshal"


class PatternCache:
    """Compiled patterns by (type, pattern, flags): what ``_sre.compile`` is given for each."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[_Key, tuple[Any, ...]] = {}
        self.used: dict[_Key, tuple[Any, ...]] = {}
        self.added = 0
        if path is not None:
            self.known = _read(path)

    def compile(self, p: Any, flags: int = 0) -> Any:
        """``re._compiler.compile``, from the file when it has the pattern."""
        if not isinstance(p, (str, bytes)) or flags & _DEBUG:
            return _ORIGINAL(p, flags)
        key = (type(p), p, flags)
        args = self.known.get(key)
        if args is not None:
            try:
                compiled = _sre.compile(p, *args)
            except Exception:  # noqa: BLE001 - damaged entry: compile it afresh below
                self.known.pop(key, None)
            else:
                self.used[key] = args
                return compiled
        parsed = _parser.parse(p, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        # The opcodes are int subclasses (named constants); the file holds plain integers.
        args = (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1,
                groupindex, tuple(indexgroup))
        self.known[key] = self.used[key] = args
        self.added += 1
        return _sre.compile(p, *args)

    def save(self) -> None:
        """Write the file when this process compiled a pattern it did not have (atomically)."""
        if self.path is None or not self.added:
            return
        keep = self.known if len(self.known) <= _MAX_PATTERNS else self.used
        try:
            body = marshal.dumps([(k[1], int(k[2]), v) for k, v in keep.items()])
        except ValueError:  # something marshal cannot hold: keep compiling afresh
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(b"%08x" % zlib.crc32(body) + body)
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _read(path: Path) -> dict[_Key, tuple[Any, ...]]:
    try:
        data = path.read_bytes()
        if len(data) < 8 or int(data[:8], 16) != zlib.crc32(data[8:]):
            return {}
        rows = marshal.loads(data[8:])
        return {(type(p), p, flags): tuple(args) for p, flags, args in rows}
    except (OSError, ValueError, TypeError, EOFError):
        return {}


def _private(folder: Path) -> bool:
    """A folder of ours that nobody else can write to: what is read back from it is trusted."""
    try:
        info = folder.stat()
    except OSError:
        return False
    mine = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    return os.path.isdir(folder) and mine and not info.st_mode & 0o022


_ORIGINAL = _compiler.compile
_installed: PatternCache | None = None


def remember_patterns(folder: Path | None) -> PatternCache:
    """Compile regular expressions through the file in ``folder`` from now on; saved at exit.

    ``folder`` must be one we may write to (the index cache); None keeps them in memory only.
    """
    global _installed
    if _installed is not None:
        return _installed
    path = folder / file_name() if folder is not None and _private(folder) else None
    cache = PatternCache(path)
    _compiler.compile = cache.compile
    _installed = cache
    atexit.register(cache.save)
    return cache


def forget_patterns() -> None:
    """Compile as Python does again (and save what was learnt)."""
    global _installed
    if _installed is not None:
        _compiler.compile = _ORIGINAL
        atexit.unregister(_installed.save)
        _installed.save()
        _installed = None
