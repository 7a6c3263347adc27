"""Blocks of an answer as Markdown: paragraphs, lists, code fences, quotes, tables."""

from __future__ import annotations

from kb.importing.model import Block


def render_blocks(blocks: list[Block]) -> str:
    """The blocks as one Markdown text; list items of one list stay together."""
    parts: list[str] = []
    items: list[str] = []
    counters: dict[int, int] = {}

    def end_list() -> None:
        if items:
            parts.append("\n".join(items))
            items.clear()
            counters.clear()

    for block in blocks:
        if block.kind == "rule":
            continue
        if block.kind == "item":
            counters[block.level] = counters.get(block.level, 0) + 1
            for deeper in [k for k in counters if k > block.level]:
                del counters[deeper]
            marker = f"{counters[block.level]}." if block.ordered else "-"
            items.append("   " * block.level + f"{marker} {_escape_line(block.text)}")
            continue
        end_list()
        if block.kind == "code":
            fence = "````" if "```" in block.text else "```"
            parts.append(f"{fence}{block.lang}\n{block.text}\n{fence}")
        elif block.kind == "heading":
            parts.append(f"**{block.text.strip('*')}**")
        elif block.kind == "quote":
            parts.append("> " + block.text.replace("\n", "\n> "))
        else:
            parts.append(_escape_line(block.text))
    end_list()
    return "\n\n".join(p for p in parts if p.strip())


def _escape_line(text: str) -> str:
    """Text that must not be read as an entry's section marker or front-matter fence."""
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("<!--") or stripped == "+++":
            line = "\\" + line.lstrip()
        lines.append(line)
    return "\n".join(lines)
