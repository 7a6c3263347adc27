"""Markdown as blocks: headings, paragraphs, list items, fenced code, quotes and tables."""

from __future__ import annotations

import re

from kb.importing.model import Block, Document, Dropped
from kb.importing.text import A_MARK, Q_MARK

_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)")
_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,3}[.)])\s+(?=\S)")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_CJK_END = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]$")
_SUMMARY = re.compile(r"<summary[^>]*>(.*?)</summary>", re.I | re.S)
_DETAILS_OPEN = re.compile(r"<details(?:\s[^>]*)?>", re.I)
_DETAILS_TAG = re.compile(r"</?details[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def read_markdown(text: str) -> Document:
    """Blocks of a Markdown document; a YAML front matter's ``title`` becomes the title."""
    doc = Document()
    lines = text.split("\n")
    i = _front_matter(lines, doc)
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        fence = _FENCE.match(line)
        if not stripped:
            i += 1
            continue
        if _RULE.match(line):
            doc.blocks.append(Block("rule", "", i + 1))
            i += 1
            continue
        if stripped.startswith("<!--"):
            while i < len(lines) and "-->" not in lines[i]:
                i += 1
            i += 1
            continue
        if _DETAILS_OPEN.match(stripped):
            i = _details(lines, i, doc)
            continue
        if fence:
            start, mark = i, fence.group(1)
            i += 1
            code = []
            while i < len(lines) and not lines[i].strip().startswith(mark[0] * len(mark)):
                code.append(lines[i])
                i += 1
            doc.blocks.append(Block("code", "\n".join(code), start + 1, lang=fence.group(2)))
            i += 1
            continue
        atx = _ATX.match(line)
        if atx:
            doc.blocks.append(Block("heading", atx.group(2), i + 1, level=len(atx.group(1))))
            i += 1
            continue
        if i + 1 < len(lines) and _SETEXT.match(lines[i + 1]) and not _ITEM.match(line):
            level = 1 if lines[i + 1].strip().startswith("=") else 2
            doc.blocks.append(Block("heading", stripped, i + 1, level=level))
            i += 2
            continue
        item = _ITEM.match(line)
        if item:
            start = i
            body = line[item.end():].strip()
            i += 1
            while i < len(lines) and lines[i].strip() and lines[i].startswith("  ") and not _ITEM.match(lines[i]):
                body += " " + lines[i].strip()
                i += 1
            doc.blocks.append(Block("item", body, start + 1, level=len(item.group(1).expandtabs(4)) // 2,
                                    ordered=item.group(2)[0].isdigit()))
            continue
        if stripped.startswith(">"):
            start, quote = i, []
            while i < len(lines) and lines[i].strip().startswith(">"):
                quote.append(lines[i].strip()[1:].strip())
                i += 1
            doc.blocks.append(Block("quote", " ".join(q for q in quote if q), start + 1))
            continue
        if stripped.startswith("|"):
            start, rows = i, []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            doc.blocks.append(Block("table", "\n".join(rows), start + 1))
            continue
        i = _paragraph(lines, i, doc)
    return doc


def _paragraph(lines: list[str], i: int, doc: Document) -> int:
    """One paragraph from line ``i``; a "Q:" or "A:" line always starts a new one."""
    start, text = i, lines[i].strip()
    i += 1
    while i < len(lines):
        nxt = lines[i]
        if (not nxt.strip() or _ATX.match(nxt) or _FENCE.match(nxt) or _ITEM.match(nxt)
                or nxt.strip().startswith((">", "|")) or Q_MARK.match(nxt) or A_MARK.match(nxt)
                or _DETAILS_OPEN.match(nxt.strip())):
            break
        if i + 1 < len(lines) and _SETEXT.match(lines[i + 1]):
            break
        joined = nxt.strip()
        if text.endswith("  ") or text.endswith("\\"):
            text = text.rstrip("\\ ") + "\n" + joined
        else:
            text += joined if _CJK_END.search(text) and joined[:1] > "\u3000" else " " + joined
        i += 1
    doc.blocks.append(Block("para", text.strip(), start + 1))
    return i


def _details(lines: list[str], i: int, doc: Document) -> int:
    """A ``<details>`` block, as GitHub READMEs write FAQs: its summary asks, its Markdown answers.
    One holding more ``<details>`` is a topic: its summary heads them, each its own question."""
    end = _details_end(lines, i)
    chunk = "\n".join(lines[i:end + 1])
    opening = _DETAILS_OPEN.search(chunk)
    inner = _DETAILS_OPEN.search(chunk, opening.end()) if opening else None
    summary = _SUMMARY.search(chunk)
    if summary and inner and summary.start() > inner.start():
        summary = None  # the first summary is an inner block's
    group = 1 + max((b.group for b in doc.blocks), default=0)
    if summary:
        question = _TAG.sub("", summary.group(1)).strip()
        line = i + 1 + chunk[:summary.start()].count("\n")
        doc.blocks.append(Block("heading", question, line, level=6) if inner
                          else Block("para", question, line, role="question", group=group))
        # Blank out the markup, keeping the lines where they are for the line numbers.
        chunk = chunk[:summary.start()] + "\n" * summary.group(0).count("\n") + chunk[summary.end():]
    if not inner:
        chunk = _DETAILS_TAG.sub("", chunk)
    elif opening:  # the block's own tags only: those of the blocks inside are read as blocks
        chunk = chunk[:opening.start()] + chunk[opening.end():]
        closing = chunk.lower().rfind("</details>")
        if closing >= 0:
            chunk = chunk[:closing] + chunk[closing + len("</details>"):]
    for block in read_markdown(chunk).blocks:
        block.line += i
        if block.group:  # a question of an inner block: a group of its own
            block.group += group
        elif not inner:
            block.group = group
            block.role = block.role or "answer"
        doc.blocks.append(block)
    return end + 1


def _details_end(lines: list[str], i: int) -> int:
    """The line of the ``</details>`` that closes the block opened at ``i`` (the last line if none)."""
    depth = 0
    for j in range(i, len(lines)):
        low = lines[j].lower()
        depth += len(_DETAILS_OPEN.findall(low)) - low.count("</details>")
        if depth <= 0:
            return j
    return len(lines) - 1


def _front_matter(lines: list[str], doc: Document) -> int:
    """Skip a YAML front matter block, keeping its title; the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            for line in lines[1:end]:
                key, _, value = line.partition(":")
                if key.strip().lower() == "title" and value.strip():
                    doc.title = value.strip().strip("\"'")
            doc.dropped.append(Dropped(1, " ".join(x.strip() for x in lines[1:end])[:120], "metadata"))
            return end + 1
    return 0
