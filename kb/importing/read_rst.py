"""reStructuredText (a Sphinx FAQ page's source) as blocks: its markup taken out, then read as text.

Directives, comments, link targets and the field list at the top are markup, not answers:
they are left out and listed. A code directive keeps its code; an admonition ("note",
"warning") keeps its text. Inline roles (:func:`x`), links (`text <url>`_) and literals
(``x``) become their Markdown forms; a paragraph ending "::" introduces code, and one starting
">>>" (a doctest block) is code.
"""

from __future__ import annotations

import re

from kb.importing.model import Document, Dropped
from kb.importing.read_text import read_text

_DIRECTIVE = re.compile(r"^\.\.\s+([\w:-]+)::\s*(.*)$")
_EXPLICIT = re.compile(r"^\.\.(?:\s|$)")  # a comment, a link target, a footnote, a substitution
_FIELD = re.compile(r"^:[\w -]+:(?:\s.*)?$")
_CODE_DIRECTIVES = {"code", "code-block", "sourcecode", "literalinclude", "doctest"}
_TEXT_DIRECTIVES = {"note", "warning", "tip", "hint", "important", "caution", "attention", "danger",
                    "error", "admonition", "seealso", "versionadded", "versionchanged", "deprecated"}
_ROLE_TITLED = re.compile(r":[\w:+-]+:`([^`<]+?)\s*<[^`>]*>`")
_ROLE = re.compile(r":[\w:+-]+:`~?([^`]+)`")
_LINK = re.compile(r"`([^`<]+?)\s*<(https?://[^`>]+)>`__?")
_REFERENCE = re.compile(r"`([^`<]+?)(?:\s*<[^`>]*>)?`__?")
_LITERAL = re.compile(r"``(.+?)``")


def read_rst(text: str) -> Document:
    """Blocks of a reStructuredText document, with what its markup left out."""
    lines = text.split("\n")
    dropped: list[Dropped] = []
    out: list[str] = []
    i = 0
    while i < len(lines) and (_FIELD.match(lines[i]) or not lines[i].strip()):
        if lines[i].strip():
            dropped.append(Dropped(i + 1, lines[i].strip(), "metadata"))
        out.append("")
        i += 1
    while i < len(lines):
        line = lines[i]
        literal = _literal_end(lines, i)
        if literal == i and line.startswith(">>>") and (i == 0 or not lines[i - 1].strip()):
            # A doctest block at the margin: a paragraph starting ">>>", to the blank line.
            literal = next((j for j in range(i, len(lines)) if not lines[j].strip()), len(lines))
        if literal > i:  # an indented literal or doctest block: code, at any indent
            out.extend("    " + body if body.strip() else "" for body in lines[i:literal])
            i = literal
            continue
        if not _EXPLICIT.match(line):
            out.append(_literal_mark(line))
            i += 1
            continue
        directive = _DIRECTIVE.match(line)
        name = directive.group(1).lower() if directive else ""
        body_end = _block_end(lines, i + 1)
        if name in _CODE_DIRECTIVES or name in _TEXT_DIRECTIVES:
            out.append("")
            if name in _TEXT_DIRECTIVES and directive and directive.group(2).strip():
                out.append(directive.group(2).strip())
            for body in lines[i + 1:body_end]:
                if name in _CODE_DIRECTIVES and _is_option(body):
                    out.append("")
                else:
                    out.append("    " + body if name in _CODE_DIRECTIVES else body.strip())
        else:
            dropped.append(Dropped(i + 1, line.strip(), "metadata"))
            out.extend([""] * (body_end - i - 1))
            out.append("")
            i = body_end
            continue
        i = body_end
    doc = read_text("\n".join(out))
    for block in doc.blocks:
        if block.kind != "code":
            block.text = _inline(block.text)
    doc.dropped.extend(dropped)
    return doc


def _literal_end(lines: list[str], i: int) -> int:
    """Past the indented block at ``i`` when a "::" paragraph or a ">>>" line opens it, else ``i``."""
    if not lines[i][:1].isspace() or not lines[i].strip() or i == 0 or lines[i - 1].strip():
        return i
    j = i - 1  # the paragraph before, past the blank lines (no copy of the lines above: linear)
    while j >= 0 and not lines[j].strip():
        j -= 1
    before = lines[j] if j >= 0 else ""
    if not (before.rstrip().endswith("::") or lines[i].lstrip().startswith(">>>")):
        return i
    end = _block_end(lines, i)
    return end if end > i else i


def _block_end(lines: list[str], i: int) -> int:
    """The line after an explicit block's indented body (blank lines inside it included)."""
    end = i
    for j in range(i, len(lines)):
        if lines[j].strip() and not lines[j][:1].isspace():
            break
        if lines[j].strip():
            end = j + 1
    return end


def _is_option(line: str) -> bool:
    return bool(re.match(r"^\s+:[\w-]+:", line))


def _literal_mark(line: str) -> str:
    """A line ending "::" ends with ":" ("for example::"), or goes when "::" is all it is."""
    if not line.rstrip().endswith("::"):
        return line
    stripped = line.rstrip()[:-2].rstrip()
    return stripped + ":" if stripped.strip() else ""


def _inline(text: str) -> str:
    """Text with reStructuredText's inline markup in Markdown's form (a role may span lines)."""
    text = _LITERAL.sub(r"`\1`", text)
    text = _ROLE_TITLED.sub(r"\1", text)
    text = _ROLE.sub(_role, text)
    text = _LINK.sub(r"[\1](\2)", text)
    return _REFERENCE.sub(r"\1", text)


def _role(match: re.Match[str]) -> str:
    """:pep:`8` -> PEP 8; :term:`x` -> x; :func:`~a.b` -> `b`; :func:`x` -> `x`."""
    role = match.group(0)[1:match.group(0).index(":", 1)].rsplit(":", 1)[-1].lower()
    target = match.group(1)
    if role in ("pep", "rfc"):
        return f"{role.upper()} {target}"
    if role in ("term", "ref", "doc", "abbr", "dfn", "emphasis", "strong"):
        return target
    shown = target.rsplit(".", 1)[-1] if match.group(0).count("`~") else target
    return f"`{shown}`"
