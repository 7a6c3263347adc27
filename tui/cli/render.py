"""Plain-terminal rendering: Markdown to styled text, highlighted snippets, aligned columns."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from tui.safe import clean, clean_line

if TYPE_CHECKING:  # Whoosh loads only for the commands that search
    from kb.retrieval.engine import Snippet

_md = MarkdownIt("commonmark")


def colour_wanted(isatty: bool, env: Mapping[str, str]) -> bool:
    """Colour only at a terminal that can show it, and not when NO_COLOR is set (no-color.org)."""
    return isatty and "NO_COLOR" not in env and env.get("TERM", "") != "dumb"


class Style:
    """ANSI styles, or nothing when the output is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def mark(self, text: str) -> str:
        return self._wrap("1;33", text) if self.enabled else f"[{text}]"

    def code(self, text: str) -> str:
        return self._wrap("36", text)

    def heading(self, text: str) -> str:
        return self._wrap("1;4", text)


def cell_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def pad(text: str, width: int) -> str:
    """Pad to ``width`` terminal columns (wide characters count double)."""
    return text + " " * max(0, width - cell_width(text))


def render_markdown(source: str, style: Style) -> str:
    """Markdown body to terminal text: paragraphs, lists, emphasis, code; content is cleaned first."""
    out: list[str] = []
    list_stack: list[list[int]] = []  # per open list: [ordered, counter]
    prefix = ""
    for token in _md.parse(clean(source)):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_stack.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
            if not list_stack:
                out.append("")
        elif kind == "list_item_open":
            ordered, counter = list_stack[-1]
            indent = "  " * (len(list_stack) - 1)
            prefix = f"{indent}{counter}. " if ordered else f"{indent}• "
            list_stack[-1][1] = counter + 1
        elif kind == "inline":
            text = _inline(token.children or [], style)
            if prefix:
                out.append(prefix + text)
                prefix = ""
            elif list_stack:
                out.append("  " * len(list_stack) + text)
            else:
                out.append(text)
        elif kind == "heading_close" and out:
            out[-1] = style.heading(out[-1])
            out.append("")
        elif kind == "paragraph_close" and not list_stack:
            out.append("")
        elif kind in ("fence", "code_block"):
            out.extend("    " + style.code(line) for line in token.content.rstrip("\n").split("\n"))
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def _inline(children: list, style: Style) -> str:
    parts: list[str] = []
    bold = False
    for child in children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "text":
            # Cleaned again after parsing: a character reference (&#13;) becomes a control here.
            text = clean(child.content)
            parts.append(style.bold(text) if bold else text)
        elif child.type == "code_inline":
            parts.append(style.code(clean(child.content)))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" " if child.type == "softbreak" else "\n")
    return "".join(parts)


def render_snippet(snippet: Snippet, style: Style) -> str:
    """A snippet with its matched spans marked."""
    text = snippet.text
    out, last = [], 0
    for start, end in snippet.spans:
        out.append(clean_line(text[last:start]))
        out.append(style.mark(clean_line(text[start:end])))
        last = end
    out.append(clean_line(text[last:]))
    return "".join(out)
