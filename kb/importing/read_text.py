"""Plain text (a saved web page, a text export) as blocks: paragraphs, list items, code."""

from __future__ import annotations

import re

from kb.importing.model import Block, Document
from kb.importing.text import ends_sentence, is_question

# Japanese bullets ("・", "●") need no space after them; "-", "*" and "1." do.
_BULLET = re.compile(r"^(\s*)(?:[•・●○◦▪■□◆◇►▶‣⁃]\s*|[\-*+]\s+|(\d{1,3})[.)]\s+|[（(](\d{1,3})[)）]\s*)(?=\S)")
_RULE = re.compile(r"^\s*([-=*_~])(?:\s*\1){2,}\s*$")
_CODE = re.compile(r"^(?: {4,}|\t)\S")
_CJK_END = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]$")
_CJK_START = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff]")
# A line this long that stops mid-sentence was wrapped by the writer's editor.
WRAP_MIN = 40


def read_text(text: str) -> Document:
    """Blocks of a plain-text page: one per paragraph (wrapped lines joined), item or code run."""
    blocks: list[Block] = []
    lines = text.split("\n")
    gap = 0
    i = 0
    while i < len(lines):
        raw = lines[i].rstrip()
        if not raw.strip():
            gap += 1
            i += 1
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
            blocks.append(Block("item", raw[bullet.end():].strip(), i + 1, level=indent // 4,
                                ordered=bool(bullet.group(2) or bullet.group(3)), gap=gap))
            gap = 0
            i += 1
            continue
        start = i
        para = raw.strip()
        while (i + 1 < len(lines) and lines[i + 1].strip() and not _BULLET.match(lines[i + 1])
               and _wrapped(para, lines[i + 1].strip())):
            i += 1
            nxt = lines[i].strip()
            para += nxt if _CJK_END.search(para) and _CJK_START.search(nxt) else " " + nxt
        blocks.append(Block("para", para, start + 1, gap=gap))
        gap = 0
        i += 1
    return Document(blocks=blocks)


def _wrapped(line: str, nxt: str) -> bool:
    """Does ``nxt`` continue ``line`` (an editor's line wrap), rather than start a new piece?"""
    return len(line) >= WRAP_MIN and not ends_sentence(line) and not is_question(nxt) and not is_question(line)


def _dedent(lines: list[str]) -> str:
    width = min(len(x) - len(x.lstrip()) for x in lines if x.strip())
    return "\n".join(x[width:].rstrip() for x in lines).strip("\n")
