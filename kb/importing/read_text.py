"""Plain text (a saved web page, a text export) as blocks: paragraphs, list items, code."""

from __future__ import annotations

import re

from kb.importing.model import Block, Document
from kb.importing.text import ends_sentence, is_question

# Japanese bullets ("・", "●") need no space after them; "-", "*" and "1." do.
_BULLET = re.compile(r"^(\s*)(?:[•・●○◦▪■□◆◇►▶‣⁃]\s*|[\-*+]\s+|(\d{1,3})[.)]\s+|[（(](\d{1,3})[)）]\s*)(?=\S)")
_RULE = re.compile(r"^\s*([-=*_~])(?:\s*\1){2,}\s*$")
_CODE = re.compile(r"^(?: {4,}|\t)\S")
# A line of one punctuation character under (and maybe over) a title: a heading, as
# reStructuredText and Markdown's setext form write it ("Title" over "=====").
_ADORNMENT = re.compile(r"^([=\-~^\"'`#*+:._])\1{2,}\s*$")
_CJK_END = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]$")
_CJK_START = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff]")
_JOINS = re.compile(r"(?:[,、]|\s(?:and|or|but|of|to|the|a|an|with|for|from|in|on|at|by|as|that))$", re.I)
_SECTION = re.compile(r"^(\d{1,3})\.?\s+(\S.{0,99})$")
_SUBNUMBER = re.compile(r"^(\d{1,3})\.\d{1,3}\.?\s")
# A line this long that stops mid-sentence was wrapped by the writer's editor.
WRAP_MIN = 40


def read_text(text: str) -> Document:
    """Blocks of a plain-text page: one per paragraph (wrapped lines joined), item or code run."""
    blocks: list[Block] = []
    lines = text.split("\n")
    styles: list[tuple[str, bool]] = []  # adornment styles in order of first use: level 1, 2...
    gap = 0
    i = 0
    while i < len(lines):
        raw = lines[i].rstrip()
        if not raw.strip():
            gap += 1
            i += 1
            continue
        heading = _underlined(lines, i)
        if heading:
            title, style, used = heading
            if style not in styles:
                styles.append(style)
            line = i + 2 if style[1] else i + 1
            blocks.append(Block("heading", title, line, level=min(styles.index(style) + 1, 6), gap=gap))
            gap = 0
            i += used
            continue
        if _CODE.match(raw) and not _BULLET.match(raw) and (gap or (blocks and blocks[-1].kind == "code")):
            start = i
            code = []
            while i < len(lines) and (_CODE.match(lines[i]) or (not lines[i].strip() and i + 1 < len(lines)
                                                               and _CODE.match(lines[i + 1]))):
                code.append(lines[i])
                i += 1
            blocks.append(Block("code", _dedent(code), start + 1, gap=gap))
            gap = 0
            continue
        if _RULE.match(raw):
            blocks.append(Block("rule", "", i + 1, gap=gap))
            gap = 0
            i += 1
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            indent = len(bullet.group(1).expandtabs(4))
            start = i
            item = raw[bullet.end():].strip()
            # The item's text wrapped onto lines indented past its bullet belongs to it.
            while (i + 1 < len(lines) and lines[i + 1].strip() and not _BULLET.match(lines[i + 1])
                   and len(lines[i + 1].expandtabs(4)) - len(lines[i + 1].expandtabs(4).lstrip()) > indent):
                i += 1
                nxt = lines[i].strip()
                item += nxt if _CJK_END.search(item) and _CJK_START.search(nxt) else " " + nxt
            blocks.append(Block("item", item, start + 1, level=indent // 4,
                                ordered=bool(bullet.group(2) or bullet.group(3)), gap=gap))
            gap = 0
            i += 1
            continue
        start = i
        para = raw.strip()
        while (i + 1 < len(lines) and lines[i + 1].strip() and not _BULLET.match(lines[i + 1])
               and _wrapped(para, lines[i + 1].strip()) and not _underlined(lines, i + 1)):
            i += 1
            nxt = lines[i].strip()
            para += nxt if _CJK_END.search(para) and _CJK_START.search(nxt) else " " + nxt
        blocks.append(Block("para", para, start + 1, gap=gap))
        gap = 0
        i += 1
    return Document(blocks=_numbered_sections(blocks))


def _numbered_sections(blocks: list[Block]) -> list[Block]:
    """"2 Care" over "2.1 …", "2.2 …" is the heading of section 2, not text of an answer."""
    numbers = {m.group(1) for b in blocks if (m := _SUBNUMBER.match(b.text))}
    out = []
    for block in blocks:
        match = _SECTION.match(block.text) if block.kind == "para" else None
        if match and match.group(1) in numbers and not ends_sentence(block.text) and not is_question(block.text):
            block = Block("heading", match.group(2), block.line, level=1, gap=block.gap)
        out.append(block)
    return out


def _underlined(lines: list[str], i: int) -> tuple[str, tuple[str, bool], int] | None:
    """The heading at ``lines[i]``: its title, its style (character, overlined) and its lines."""
    over = _ADORNMENT.match(lines[i].strip()) if not lines[i][:1].isspace() else None
    at = i + 1 if over else i
    if at + 1 >= len(lines):
        return None
    title = lines[at].strip()
    under = _ADORNMENT.match(lines[at + 1].strip())
    if not title or _ADORNMENT.match(title) or _BULLET.match(lines[at]) or not under:
        return None
    if over and over.group(1) != under.group(1):
        return None
    # The underline spans the title, give or take (wide characters, a sloppy editor).
    if len(lines[at + 1].strip()) < max(3, len(title) // 2):
        return None
    return title, (under.group(1), bool(over)), at + 2 - i


def _wrapped(line: str, nxt: str) -> bool:
    """Does ``nxt`` continue ``line`` (an editor's line wrap), rather than start a new piece?"""
    if ends_sentence(line) or is_question(line):
        return False
    # A line that stops on a comma or a joining word is the middle of a sentence however
    # short ("Pylint and"); a long one goes on into a line in lower case even when that
    # reads as a question ("which don't. One is"). A short one over it is a label or "Run:"
    # over a command or link.
    if _JOINS.search(line):
        return True
    return len(line) >= WRAP_MIN and (nxt[:1].islower() or not is_question(nxt))


def _dedent(lines: list[str]) -> str:
    width = min(len(x) - len(x.lstrip()) for x in lines if x.strip())
    return "\n".join(x[width:].rstrip() for x in lines).strip("\n")
