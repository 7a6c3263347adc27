"""Regular expressions compiled once per Python, not once per process.

A `faq` process compiles over a hundred patterns (ours, Whoosh's, argparse's): Python turns
each one into a list of integers, in Python code, every run, and a Japanese character class
alone costs milliseconds; about a tenth of `faq ask`'s start-up. What a pattern compiles to
depends only on its text and the Python version, so the front door keeps it in a file in
the cache folder and hands it to the regex engine directly the next time.

The file is JSON: numbers and strings, nothing that can run. The regex engine checks the
code it is given (``_sre.compile`` refuses invalid code), and a pattern whose code it
refuses is compiled afresh. This uses private internals of the standard library
(``re._compiler.compile`` and ``_sre.compile``); tests/test_compile_cache.py checks that a
pattern made from the file equals a fresh one, and fails loudly when an upgrade changes
them. A file that is unreadable, damaged, or written by another Python is ignored (and
written again); nothing else is read or written. (Dataclass methods were kept the same way
for a while: compiled code read back from a cache file is code planted there, so no.)
"""

from __future__ import annotations

import _sre
import atexit
import contextlib
import json
import os
import re
import sys
import zlib
from pathlib import Path
from typing import Any

_compiler: Any = getattr(re, "_compiler")  # noqa: B009 - private, on purpose (see above)
_parser: Any = getattr(re, "_parser")  # noqa: B009
_DEBUG = re.DEBUG.value
_MAX_PATTERNS = 1500  # each of patterns and code; past it, only what this process used is kept
_Key = tuple[type, "str | bytes", int]


def _tag() -> str:
    """What the compiled form depends on besides the pattern: this Python and its regex engine."""
    return f"{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}|{_sre.MAXREPEAT}"


def file_name() -> str:
    """The cache file's name for this Python (one per version, side by side)."""
    return f"compiled-{sys.implementation.cache_tag}-{zlib.crc32(_tag().encode()):08x}.json"


class CompileCache:
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
        if not isinstance(p, str) or flags & _DEBUG:
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
            # ASCII escapes: a pattern may hold lone surrogates, which UTF-8 cannot carry.
            body = json.dumps([[k[1], int(k[2]), list(v)] for k, v in keep.items()]).encode("ascii")
        except (TypeError, ValueError):  # something JSON cannot hold: keep compiling afresh
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
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
        known: dict[_Key, tuple[Any, ...]] = {}
        for pattern, flags, (pattern_flags, code, groups, groupindex, indexgroup) in json.loads(data[8:]):
            if not (isinstance(pattern, str) and isinstance(flags, int) and isinstance(code, list)
                    and all(type(c) is int for c in code) and isinstance(groupindex, dict)):
                return {}
            known[(str, pattern, flags)] = (int(pattern_flags), code, int(groups), groupindex, tuple(indexgroup))
        return known
    except (OSError, ValueError, TypeError):
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
_installed: CompileCache | None = None


def remember_compiled(folder: Path | None) -> CompileCache:
    """Compile regular expressions through the file in ``folder`` from now on; saved at exit.

    ``folder`` must be one we may write to (the index cache); None keeps them in memory only.
    """
    global _installed
    if _installed is not None:
        return _installed
    path = folder / file_name() if folder is not None and _private(folder) else None
    cache = CompileCache(path)
    _compiler.compile = cache.compile
    _installed = cache
    atexit.register(cache.save)
    return cache


def forget_compiled() -> None:
    """Compile as Python does again (and save what was learnt)."""
    global _installed
    if _installed is not None:
        _compiler.compile = _ORIGINAL
        atexit.unregister(_installed.save)
        _installed.save()
        _installed = None
