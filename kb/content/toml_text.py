"""Where things are in TOML text: strings, comments and brackets told apart, so an edit lands right.

Only what an in-place edit needs: the top-level tables and keys, and the extent of an array
value with its last element and trailing comma. The text is assumed valid TOML (the caller
parses it first); the caller checks the edited text by parsing it again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArraySpan:
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


def find_array(front: str, table_name: str, key: str = "alternates") -> ArraySpan | None:
    """The array ``key = [...]`` of the ``[table_name]`` table, found by walking the top level."""
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
        if table == [table_name] and keys == [key] and value < n and front[toks[value][1]] == "[":
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


def _array_at(front: str, toks: list[tuple[str, int, int]], i: int) -> ArraySpan | None:
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
                return ArraySpan(opened, a, last_end, trailing)
            if depth == 1:
                last_end, trailing = b, None
        elif depth == 1 and ch == ",":
            trailing = b
        elif depth == 1 and kind in ("str", "bare"):
            last_end, trailing = b, None
        i += 1
    return None
