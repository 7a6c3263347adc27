"""Terminal safety: text from files and users never reaches the terminal as control codes."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls. ESC (\x1b) is among them,
# so no escape sequence survives; each control is shown as a visible code instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x1B:
        return "^["
    if code < 0x20:
        return "^" + chr(code + 0x40)
    return f"\\x{code:02x}"


def clean(text: str) -> str:
    """Make ``text`` safe to print: control characters become visible (``^[``, ``^G``)."""
    text = text.replace("\r\n", "\n")
    return _CONTROL.sub(_visible, text)


def clean_line(text: str) -> str:
    """Like :func:`clean`, for one line: newlines and tabs become spaces too."""
    return clean(text.replace("\n", " ").replace("\t", " "))
