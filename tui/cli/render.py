"""Plain-terminal rendering: Markdown to styled text, highlighted snippets, aligned columns."""

from __future__ import annotations

import functools
import os
import re
import shutil
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from tui.safe import clean, clean_line

if TYPE_CHECKING:  # Whoosh loads only for the commands that search
    from kb.retrieval.engine import Snippet


@functools.cache
def _markdown() -> Any:
    # Loaded on the first entry rendered: `faq ask --json` renders none.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")




def color_enabled(stream: TextIO, env: Mapping[str, str] | None = None, setting: str = "auto") -> bool:
    """Whether to write ANSI colour to ``stream``: the one place the CLI decides it.

    The environment comes first (https://no-color.org: ``NO_COLOR`` set to anything but
    empty; ``TERM=dumb``), then the settings file's ``color`` (always / never), and by
    default colour only on a terminal.
    """
    env = os.environ if env is None else env
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    if setting == "always":
        return True
    if setting == "never":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


class Style:
    """ANSI styles, or nothing when the output is not a terminal."""

    def __init__(self, enabled: bool, width: int | None = None) -> None:
        self.enabled = enabled
        self.width = width  # columns to wrap paragraphs at; None: do not wrap

    @classmethod
    def for_stream(cls, stream: TextIO, color: str = "auto") -> Style:
        """The style for ``stream``: colour by :func:`color_enabled`, width by :func:`output_width`."""
        return cls(color_enabled(stream, setting=color), output_width(stream))

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


def output_width(stream: TextIO, env: Mapping[str, str] | None = None) -> int | None:
    """Columns to wrap at: ``$COLUMNS``, else the terminal's width; None (no wrapping) in a pipe.

    Text read through a pipe is left in whole paragraphs, as grep and scripts want it.
    """
    env = os.environ if env is None else env
    if env.get("COLUMNS", "").strip().isdigit():
        return max(20, int(env["COLUMNS"]))
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return max(20, shutil.get_terminal_size().columns)


# Japanese line breaking (kinsoku): no line starts with a closing mark, small kana or the
# long-vowel mark, and none ends with an opening bracket.
_NO_LINE_START = set("、。，．・：；？！ー～」』）］｝〕〉》】〙〗”’ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
                     ")]},.;:!?%")
_NO_LINE_END = set("「『（［｛〔〈《【〘〖“‘([{")
_PIECE = re.compile(r"\x1b\[[0-9;]*m|\s+|.", re.DOTALL)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _chunks(line: str) -> list[tuple[int, str, int]]:
    """Unbreakable pieces of ``line`` as (spaces before, text, columns)."""
    chunks: list[tuple[int, str, int]] = []
    text, width, space, last = "", 0, 0, ""
    pending = ""  # an opening style code belongs to the character after it
    for piece in _PIECE.findall(line):
        if piece.startswith("\x1b"):
            if piece == "\x1b[0m" and text:
                text += piece
            else:
                pending += piece
            continue
        if piece.isspace():
            if text:
                chunks.append((space, text, width))
            text, width, space, last = "", 0, len(piece.expandtabs(1)), ""
            continue
        breakable = bool(text) and (_is_wide(piece) or _is_wide(last)) and piece not in _NO_LINE_START \
            and last not in _NO_LINE_END
        if breakable:
            chunks.append((space, text, width))
            text, width, space = "", 0, 0
        text += pending + piece
        pending = ""
        width += cell_width(piece)
        last = piece
    if text or pending:
        chunks.append((space, text + pending, width))
    return chunks


def wrap_text(text: str, width: int | None, indent: str = "", subsequent: str | None = None) -> str:
    """Wrap each line of ``text`` to ``width`` terminal columns, never inside a Latin word.

    Wide (CJK) characters count two columns and a line may break between two of them, but
    not before closing punctuation (、。」) nor after an opening bracket. ANSI style codes
    take no room. A word longer than the line stays whole. ``None`` means no wrapping.
    """
    subsequent = indent if subsequent is None else subsequent
    if width is None:
        return "\n".join(indent + line for line in text.split("\n"))
    out: list[str] = []
    for line in text.split("\n"):
        current, used = indent, cell_width(indent)
        fresh = True
        for space, chunk, columns in _chunks(line):
            gap = 0 if fresh else space
            if not fresh and used + gap + columns > width:
                out.append(current)
                current, used, gap = subsequent, cell_width(subsequent), 0
            current += " " * gap + chunk
            used += gap + columns
            fresh = False
        out.append(current.rstrip(" ") if not fresh else current.rstrip())
    return "\n".join(out)


def pad(text: str, width: int) -> str:
    """Pad to ``width`` terminal columns (wide characters count double)."""
    return text + " " * max(0, width - cell_width(text))


def render_markdown(source: str, style: Style, width: int | None = None) -> str:
    """Markdown body to terminal text: paragraphs, lists, emphasis, code; content is cleaned first.

    Paragraphs and list items are wrapped to ``width`` columns (list items with a hanging
    indent); code is left as it is.
    """
    out: list[str] = []
    list_stack: list[list[int]] = []  # per open list: [ordered, counter]
    prefix = ""
    for token in _markdown().parse(clean(source)):
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
                out.append(wrap_text(text, width, prefix, " " * cell_width(prefix)))
                prefix = ""
            elif list_stack:
                out.append(wrap_text(text, width, "  " * len(list_stack)))
            else:
                out.append(wrap_text(text, width))
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
