"""Editing an entry file in place: one phrasing added to its alternates, every other byte kept.

Authors' files carry comments, their own order and layout; a TOML library would write them
back reformatted. So the front matter is scanned as TOML text (strings, comments, brackets)
only to find where the ``alternates`` array of a language ends, the new phrasing is written
there as a TOML basic string in the array's own layout and line endings, and the result is
parsed again: it must mean exactly the old front matter with the phrasing appended, or
nothing is written.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from kb.content.load import FENCE
from kb.errors import ContentError

_BOM = "\ufeff"
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


@dataclass(frozen=True)
class Edit:
    """What adding a phrasing did: the file's bytes before and after, and the line it is on."""

    path: Path
    before: bytes
    after: bytes
    line: int  # 1-based, in the new file
    changed: bool  # False: the phrasing was already there


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def add_alternate(path: Path, lang: str, phrasing: str) -> Edit:
    """Add ``phrasing`` to the ``[lang]`` alternates of the entry file at ``path`` and save it.

    Refuses (ContentError naming the file) a file or folder that cannot be written, a file
    whose front matter is not valid TOML, and a layout it cannot extend safely. A phrasing
    already among the alternates (or the question itself) changes nothing.
    """
    phrasing = phrasing.strip()
    where = str(path)
    if not phrasing:
        raise ContentError("the phrasing is empty", path=where, ja="言い回しが空です")
    try:
        before = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ContentError(f"cannot read: {reason}", path=where, ja=f"読み取れません: {reason}") from None
    refuse_read_only(path)
    try:
        text = before.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError("not UTF-8 text", path=where, ja="UTF-8 のテキストではありません") from None
    bom = text.startswith(_BOM)
    new_text, line, changed = insert_alternate(text.removeprefix(_BOM), lang, phrasing, where)
    after = ((_BOM if bom else "") + new_text).encode("utf-8")
    if changed:
        write_atomically(path, after)
    return Edit(path=path, before=before, after=after, line=line, changed=changed)


def insert_alternate(text: str, lang: str, phrasing: str, where: str = "") -> tuple[str, int, bool]:
    """``text`` with ``phrasing`` added to its ``[lang]`` alternates; the line, and whether it changed."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(f"must start with a {FENCE} line (TOML front matter)", path=where, line=1,
                           ja=f"ファイルの先頭は {FENCE} の行 (TOML の front matter) でなければなりません")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if end is None:
        raise ContentError(f"front matter is not closed by a {FENCE} line", path=where, line=len(lines),
                           ja=f"front matter が {FENCE} の行で閉じられていません")
    start = len(lines[0]) + 1
    front = "\n".join(lines[1:end])
    old = _parse(front, where)
    table = old.get(lang)
    if not isinstance(table, dict):
        raise ContentError(f"the entry has no [{lang}] table", path=where, field=lang,
                           ja=f"この項目には [{lang}] テーブルがありません")
    existing = table.get("alternates", [])
    if not isinstance(existing, list):
        raise ContentError("alternates must be a list of strings", path=where, field=f"{lang}.alternates",
                           ja="alternates は文字列のリストでなければなりません")
    if phrasing in existing or phrasing == table.get("question"):
        offset = _find_array(front, lang)
        return text, _line_at(text, start + (offset.open if offset else 0)), False
    crlf = "\r" if any(line.endswith("\r") for line in lines[: end + 1]) else ""
    new_front, at = _insert(front, lang, toml_string(phrasing), crlf, where)
    new = _parse(new_front, where)
    expected = dict(old)
    expected[lang] = {**table, "alternates": [*existing, phrasing]}
    if new != expected:  # the scan went wrong somewhere: better no edit than a wrong one
        raise ContentError(f"cannot add to [{lang}] alternates automatically here: add the line by hand",
                           path=where, field=f"{lang}.alternates",
                           ja=f"[{lang}] の alternates に自動では追加できません。手で追加してください")
    new_text = text[:start] + new_front + text[start + len(front):]
    return new_text, _line_at(new_text, start + at), True


def refuse_read_only(path: Path) -> None:
    """Raise ContentError unless ``path`` and its folder can be written (even by root, the bits say)."""
    folder = path.parent
    for target in (path, folder):
        try:
            mode = target.stat().st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            _read_only(path, exc.strerror or str(exc))
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
            _read_only(path, "read-only")


def write_atomically(path: Path, data: bytes, *, new: bool = False) -> None:
    """Replace (or, with ``new``, create) ``path`` in one step; its mode is kept. ContentError on failure."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if not new else None
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        _read_only(path, exc.strerror or str(exc))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        if new:
            os.link(tmp, path)  # fails if someone created it meanwhile: never overwrite
        else:
            os.replace(tmp, path)
    except FileExistsError:
        raise ContentError("the file already exists", path=str(path), ja="ファイルがすでにあります") from None
    except OSError as exc:
        _read_only(path, exc.strerror or str(exc))
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _read_only(path: Path, reason: str) -> NoReturn:
    raise ContentError(f"cannot write the file ({reason}): the content folder is read-only here; "
                       f"edit a writable copy (--data DIR)", path=str(path),
                       ja=f"ファイルに書き込めません ({reason})。この内容フォルダーは読み取り専用です。"
                          f"書き込めるコピーを --data DIR で指定してください")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _parse(front: str, where: str) -> dict[str, Any]:
    try:
        # As the loader reads it: CRLF line ends as LF (the last line keeps its CR here).
        return tomllib.loads((front + "\n").replace("\r\n", "\n"))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"front matter is not valid TOML: {exc}", path=where,
                           ja=f"front matter が有効な TOML ではありません: {exc}") from None


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# -- scanning TOML text ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Array:
    open: int  # offset of "["
    close: int  # offset of the matching "]"
    last_end: int | None  # offset just after the last element, None when empty
    trailing_comma: int | None  # offset just after a comma that follows the last element


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of TOML's lexemes: str, comment, nl, punct, bare."""
    out: list[tuple[str, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            out.append(("nl", i, i + 1))
            i += 1
        elif ch in " \t\r":
            i += 1
        elif ch == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(("comment", i, j))
            i = j
        elif ch in "\"'":
            j = _string_end(text, i)
            out.append(("str", i, j))
            i = j
        elif ch in "[]{},=.":
            out.append(("punct", i, i + 1))
            i += 1
        else:
            j = i
            while j < n and text[j] not in " \t\r\n#\"'[]{},=":
                j += 1
            out.append(("bare", i, j))
            i = j
    return out


def _string_end(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        j = i + 3
        while True:
            k = text.find(quote * 3, j)
            if k < 0:
                return len(text)
            if quote == '"' and _escaped(text, k):
                j = k + 1
                continue
            k += 3
            while k < len(text) and text[k] == quote and k - i < 3 + 2 + 3:  # up to two quotes end the content
                k += 1
            return k
    j = i + 1
    while j < len(text) and text[j] != "\n":
        if quote == '"' and text[j] == "\\":
            j += 2
            continue
        if text[j] == quote:
            return j + 1
        j += 1
    return j


def _escaped(text: str, k: int) -> bool:
    backslashes = 0
    while k - 1 - backslashes >= 0 and text[k - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _key_name(text: str, token: tuple[str, int, int]) -> str:
    kind, a, b = token
    raw = text[a:b]
    if kind == "str":
        return raw[1:-1]
    return raw


def _find_array(front: str, lang: str) -> _Array | None:
    """The ``alternates`` array of the ``[lang]`` table, found by walking the top level."""
    toks = [t for t in _tokens(front) if t[0] != "comment"]
    table: list[str] = []
    i, n = 0, len(toks)
    at_line_start = True
    while i < n:
        kind, a, _ = toks[i]
        if kind == "nl":
            at_line_start = True
            i += 1
            continue
        if not at_line_start:
            i += 1
            continue
        at_line_start = False
        if kind == "punct" and front[a] == "[":
            # A table header: [a.b] or [[a.b]] up to the end of the line.
            j, names = i + 1, []
            while j < n and toks[j][0] != "nl":
                if toks[j][0] in ("bare", "str"):
                    names.append(_key_name(front, toks[j]))
                j += 1
            table = names
            i = j
            continue
        # key [. key]* = value
        j, keys = i, []
        while j < n and toks[j][0] in ("bare", "str", "punct") and front[toks[j][1]] != "=":
            if toks[j][0] in ("bare", "str"):
                keys.append(_key_name(front, toks[j]))
            j += 1
        if j >= n:
            return None
        value = j + 1
        if table == [lang] and keys == ["alternates"] and value < n and front[toks[value][1]] == "[":
            return _array_at(front, toks, value)
        i = _skip_value(front, toks, value)
    return None


def _skip_value(front: str, toks: list[tuple[str, int, int]], i: int) -> int:
    """The index of the first token after the value starting at ``i`` (nested brackets closed)."""
    depth = 0
    while i < len(toks):
        kind, a, _ = toks[i]
        if kind == "punct" and front[a] in "[{":
            depth += 1
        elif kind == "punct" and front[a] in "]}":
            depth -= 1
        elif kind == "nl" and depth <= 0:
            return i
        i += 1
    return i


def _array_at(front: str, toks: list[tuple[str, int, int]], i: int) -> _Array | None:
    opened = toks[i][1]
    depth, last_end, trailing = 0, None, None
    while i < len(toks):
        kind, a, b = toks[i]
        ch = front[a] if kind == "punct" else " "
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return _Array(opened, a, last_end, trailing)
            if depth == 1:
                last_end, trailing = b, None
        elif depth == 1 and ch == ",":
            trailing = b
        elif depth == 1 and kind in ("str", "bare"):
            last_end, trailing = b, None
        i += 1
    return None


def _insert(front: str, lang: str, value: str, crlf: str, where: str) -> tuple[str, int]:
    """The front matter with ``value`` added to the array; the offset of the added value."""
    array = _find_array(front, lang)
    if array is None:
        return _add_key(front, lang, value, crlf, where)
    line_start = front.rfind("\n", 0, array.close) + 1
    closes_own_line = not front[line_start : array.close].strip()
    multi_line = "\n" in front[array.open : array.close]
    if multi_line and closes_own_line and (array.trailing_comma is not None or array.last_end is None):
        # One element per line: a new line before the closing bracket, indented like the last one.
        indent = _indent_of(front, array)
        if indent is None:
            indent = front[line_start : array.close] + "  "
        line = f"{indent}{value},{crlf}\n"
        return front[:line_start] + line + front[line_start:], line_start + len(indent)
    if array.last_end is None:
        return front[: array.open + 1] + value + front[array.open + 1 :], array.open + 1
    if multi_line and closes_own_line:
        # The last element has no comma: give it one, then the new element on its own line.
        indent = _indent_of(front, array)
        indent = "  " if indent is None else indent
        insert = f",{crlf}\n{indent}{value}"
        return front[: array.last_end] + insert + front[array.last_end :], array.last_end + len(insert) - len(value)
    if array.trailing_comma is not None:  # ["a", "b",] -> ["a", "b", "new",]
        at = array.trailing_comma
        return front[:at] + f" {value}," + front[at:], at + 1
    at = array.last_end
    return front[:at] + f", {value}" + front[at:], at + 2


def _indent_of(front: str, array: _Array) -> str | None:
    """The indentation of the line holding the array's last element, when it starts that line."""
    if array.last_end is None:
        return None
    start = front.rfind("\n", 0, array.last_end) + 1
    if start <= array.open:
        return None
    head = front[start : array.last_end]
    indent = head[: len(head) - len(head.lstrip(" \t"))]
    return indent


def _add_key(front: str, lang: str, value: str, crlf: str, where: str) -> tuple[str, int]:
    """No alternates yet: ``alternates = [value]`` on the line after the ``[lang]`` header."""
    for match in re.finditer(r"^[ \t]*\[[ \t]*(?:\"(\w+)\"|'(\w+)'|(\w+))[ \t]*\][^\n]*$", front, re.MULTILINE):
        if lang in match.groups():
            at = match.end() + 1
            line = f"alternates = [{value}]{crlf}\n"
            if at > len(front):  # the header is the front matter's last line (its CR, if any, ends it)
                return front + f"\nalternates = [{value}]{crlf}", len(front) + 1 + len("alternates = [")
            return front[:at] + line + front[at:], at + len("alternates = [")
    raise ContentError(f"cannot find the [{lang}] table's header line: add the line by hand", path=where,
                       field=lang, ja=f"[{lang}] テーブルの見出し行が見つかりません。手で追加してください")
