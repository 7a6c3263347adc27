"""Reading files people hand us: regular files only, bounded in size, names that may not be UTF-8.

A FIFO would block a read forever and /dev/zero (or a symlink to it) would fill memory, so a
file is opened without blocking, checked to be a regular file, and read up to a limit.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from kb.errors import ContentError, KbError

# An entry, the glossary, the tags or a cluster file: far more than any real one (the largest
# shipped entry is a few kilobytes; 10,000 glossary synonyms are about 0.5 MB).
MAX_FILE_BYTES = 8 * 1024 * 1024


def display_path(path: Path | str) -> str:
    """The path as text that can always be printed: undecodable bytes as \\xNN escapes."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", errors="backslashreplace")


def name_is_text(path: Path) -> bool:
    """True when the file name is valid UTF-8 (Python keeps other bytes as lone surrogates)."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_limited(path: Path, limit: int = MAX_FILE_BYTES, error: type[KbError] = KbError) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``error`` (naming the file) otherwise.

    OSError (missing, unreadable) passes through for the caller to word.
    """
    where = display_path(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error("not a regular file (a device, FIFO or folder); only plain files are read",
                        path=where, ja="通常のファイルではありません (デバイス、FIFO、フォルダー)。通常のファイルだけを読み込みます")
        if info.st_size > limit:
            raise _too_big(error, where, limit)
        chunks = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while being read
            raise _too_big(error, where, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text_file(path: Path, error: type[KbError] = KbError, encoding: str = "utf-8-sig") -> str:
    """The text of a regular file of bounded size; ``error`` naming the file when it is
    missing, unreadable, not a plain file, too big or not UTF-8."""
    where = display_path(path)
    try:
        data = read_limited(path, error=error)
    except FileNotFoundError:
        raise error("no such file", path=where, ja="ファイルがありません") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise error(f"cannot read: {reason}", path=where, ja=f"読み取れません: {reason}") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise error("not UTF-8 text", path=where, line=data[: exc.start].count(b"\n") + 1,
                    ja="UTF-8 のテキストではありません") from None


def _too_big(error: type[KbError], where: str, limit: int) -> KbError:
    mb = limit / (1024 * 1024)
    return error(f"file is larger than {mb:g} MB; not read", path=where,
                 ja=f"ファイルが {mb:g} MB を超えています。読み込みません")


# Deeper than this, tomllib (which recurses per level) runs out of stack near 300 levels.
MAX_TOML_DEPTH = 100


def deep_nesting_line(text: str, limit: int = MAX_TOML_DEPTH) -> int | None:
    """The line where arrays and inline tables first nest deeper than ``limit``, if they do.

    A bracket count outside quoted strings: not a parser, just enough to refuse (with a line
    number) what would exhaust the parser's stack.
    """
    depth, line, quote, i, n = 0, 1, "", 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        elif quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return line
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def not_a_knowledge_base(root: Path) -> ContentError:
    """Why ``root``, which has no entries/ folder, is not a knowledge base: missing, a file, or empty."""
    if not root.exists():
        return ContentError("no such folder", path=str(root), ja="フォルダーがありません")
    if not root.is_dir():
        return ContentError("not a folder: a knowledge base is a folder holding entries/", path=str(root),
                            ja="フォルダーではありません。知識ベースは entries/ を含むフォルダーです")
    return ContentError("no entries/ folder here", path=str(root), ja="ここに entries/ フォルダーがありません")


def stat_numbers(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What a file is on disk, as the content's change detection compares it: type, size,
    times and inode (the change time and inode see edits whose modification time was put back)."""
    return st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def stat_text(numbers: Sequence[int]) -> str:
    """``stat_numbers`` as the text line the content store keeps."""
    return ":".join(map(str, numbers))


def stat_line(st: os.stat_result) -> str:
    """``stat_numbers`` of ``st`` as its text line."""
    return stat_text(stat_numbers(st))


def file_stat(path: Path) -> str | None:
    """``stat_line`` of the file at ``path``; None when it cannot be seen."""
    try:
        return stat_line(os.stat(path))
    except OSError:
        return None
