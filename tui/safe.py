"""Terminal safety: text from files and users never reaches the terminal as control codes."""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls except tab and newline, DEL, and C1 controls. ESC (\x1b) is among them,
# so no escape sequence survives; each control is shown as a visible code instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# JSON escapes C0 controls itself but passes DEL and C1 (\x9b is a CSI) through as they are,
# and lone surrogates too, which a UTF-8 stream cannot carry.
_JSON_UNESCAPED = re.compile(r"[\x7f-\x9f\ud800-\udfff]")
# Lone surrogates: what Python makes of bytes on the command line or stdin that are not UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x1B:
        return "^["
    if code < 0x20:
        return "^" + chr(code + 0x40)
    return f"\\x{code:02x}"


def clean(text: str) -> str:
    """Make ``text`` safe to print: control characters become visible (``^[``, ``^G``)."""
    text = from_terminal(text.replace("\r\n", "\n"))
    return _CONTROL.sub(_visible, text)


def clean_line(text: str) -> str:
    """Like :func:`clean`, for one line: newlines and tabs become spaces too."""
    return clean(text.replace("\n", " ").replace("\t", " "))


def from_terminal(text: str) -> str:
    """``text`` with undecodable bytes (lone surrogates) as U+FFFD, so it can be analysed and printed."""
    return _SURROGATE.sub("\ufffd", text)


def dumps_json(obj: Any, indent: int | None = None) -> str:
    """``json.dumps`` for a terminal: non-ASCII kept readable, every control character escaped.

    The result parses to the same data: DEL, C1 and lone surrogates can only occur inside
    JSON strings, so writing them as ``\\uXXXX`` changes nothing but what a terminal sees.
    """
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return _JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


MAX_INPUT_LINE = 64 * 1024


def read_line(stream: Any, number: int, limit: int = MAX_INPUT_LINE) -> str | None:
    """The next line of ``stream`` without its newline (None at the end), at most ``limit`` characters.

    A longer line (``ask - < /dev/zero``, a binary file) is an InputError naming the line,
    not a read that fills memory.
    """
    from kb.errors import InputError

    line = stream.readline(limit + 1)
    if line == "":
        return None
    if len(line) > limit and not line.endswith("\n"):
        raise InputError(f"line {number} of the input is longer than {limit} characters; stopped",
                         path="-", line=number, ja=f"入力の {number} 行目が {limit} 文字を超えています。中止しました")
    return line.rstrip("\n")
