"""An entry file's front matter, and where in the file a key or a value is written."""

from __future__ import annotations

import re
from typing import Any

from kb.content import files
from kb.content.vocabulary import TOML_LINE as _TOML_LINE
from kb.content.vocabulary import TOO_DEEP as _TOO_DEEP
from kb.content.vocabulary import TOO_DEEP_JA as _TOO_DEEP_JA
from kb.errors import ContentError

FENCE = "+++"


_QUOTED = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'([^\'\n]*)\'')


def quoted_lines(text: str) -> dict[str, int]:
    """Each quoted value in ``text`` (as written, escapes kept) with the first line holding it."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _QUOTED.finditer(line):
            value = match.group(1) if match.group(1) is not None else match.group(2)
            lines.setdefault(value, number)
    return lines


def line_of(text: str, key: str, value: str | None = None, start: int = 1) -> int | None:
    """The first line (from ``start``) that sets ``key``, or holds ``"value"`` when given."""
    key_re = re.compile(rf"^\s*({re.escape(key)}\s*=|\[{re.escape(key)}\])")
    lines = text.split("\n")
    for number, line in enumerate(lines[start - 1 :], start=start):
        if value is not None:
            if f'"{value}"' in line or f"'{value}'" in line:
                return number
        elif key_re.match(line):
            return number
    return None


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """Split an entry file into its TOML metadata, its body and the body's first line number."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(f"must start with a {FENCE} line (TOML front matter)", path=path, line=1,
                           ja=f"ファイルの先頭は {FENCE} の行 (TOML の front matter) でなければなりません")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise ContentError(f"front matter is not closed by a {FENCE} line", path=path,
                           line=len(lines), ja=f"front matter が {FENCE} の行で閉じられていません") from None
    front = "\n".join(lines[1:end])
    deep = files.deep_nesting_line(front)
    if deep is not None:
        raise ContentError(_TOO_DEEP, path=path, line=deep + 1, ja=_TOO_DEEP_JA)
    import tomllib  # only when a file is parsed: a start from the content store parses none
    try:
        meta = tomllib.loads(front)
    except RecursionError:
        raise ContentError(_TOO_DEEP, path=path, line=2, ja=_TOO_DEEP_JA) from None
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        # "at end of document" has no line: the problem runs up to the closing fence.
        line = int(match.group(1)) + 1 if match else end + 1
        message = _TOML_LINE.sub("", str(exc)).replace("(, column", "(column").strip()
        raise ContentError(f"front matter is not valid TOML: {message}", path=path, line=line,
                           ja=f"front matter が有効な TOML ではありません: {message}") from None
    return meta, "\n".join(lines[end + 1 :]), end + 2
