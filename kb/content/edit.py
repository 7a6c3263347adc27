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

from kb.content.files import read_limited
from kb.content.front_matter import FENCE
from kb.content.toml_text import ArraySpan, find_array
from kb.errors import ContentError

_BOM = "\ufeff"
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
        before = read_limited(path, error=ContentError)
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
        has = [other for other in ("ja", "en") if other != lang and isinstance(old.get(other), dict)]
        if has:  # a one-language entry: say how to add the phrasing to the language it has
            raise ContentError(f"the entry has no [{lang}] table: it is written in {has[0]}; add --lang {has[0]} "
                               f"to put the phrasing in its [{has[0]}] alternates", path=where, field=lang,
                               ja=f"この項目には [{lang}] テーブルがありません。{has[0]} だけで書かれています。"
                                  f"--lang {has[0]} を付けると [{has[0]}] の言い換えに追加します")
        raise ContentError(f"the entry has no [{lang}] table", path=where, field=lang,
                           ja=f"この項目には [{lang}] テーブルがありません")
    existing = table.get("alternates", [])
    if not isinstance(existing, list):
        raise ContentError("alternates must be a list of strings", path=where, field=f"{lang}.alternates",
                           ja="alternates は文字列のリストでなければなりません")
    if phrasing in existing or phrasing == table.get("question"):
        offset = find_array(front, lang)
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


def _insert(front: str, lang: str, value: str, crlf: str, where: str) -> tuple[str, int]:
    """The front matter with ``value`` added to the array; the offset of the added value."""
    array = find_array(front, lang)
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


def _indent_of(front: str, array: ArraySpan) -> str | None:
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
