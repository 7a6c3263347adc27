"""schema.org FAQPage (and QAPage) in JSON-LD: pairs straight from a page's structured data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from kb.importing.model import Document, Pair
from kb.importing.render import render_blocks
from kb.importing.text import lang_of

_SPACE = re.compile(r"\s+")


def faq_pairs(data: str, line: int, page: str, parse_html: Callable[[str], Document]) -> list[Pair]:
    """The question/answer pairs of the JSON-LD ``data`` found at ``line`` of ``page``.

    Answers hold HTML; ``parse_html`` (the HTML reader, passed in so that it may call this
    in turn) makes Markdown of it.
    """
    try:
        value = json.loads(data)
    except ValueError:
        return []
    pairs = []
    lines = page.split("\n")
    for question in _questions(value):
        name = _html_text(parse_html, str(question.get("name") or question.get("text") or ""))
        answer = question.get("acceptedAnswer") or question.get("suggestedAnswer") or {}
        if isinstance(answer, list):
            answer = answer[0] if answer else {}
        body = str(answer.get("text", "")) if isinstance(answer, dict) else str(answer)
        if not name:
            continue
        where = next((n for n, text in enumerate(lines, 1) if name[:40] in text), line)
        markdown = render_blocks(parse_html(body).blocks) if "<" in body else _SPACE.sub(" ", body).strip()
        pairs.append(Pair(question=name, answer=markdown, lang=lang_of(name + markdown), line=where))
    return pairs


def _questions(value: Any) -> list[dict[str, Any]]:
    """Every schema.org Question inside FAQPage objects, wherever the JSON-LD nests them."""
    found: list[dict[str, Any]] = []
    if isinstance(value, list):
        for item in value:
            found.extend(_questions(item))
    elif isinstance(value, dict):
        kind = value.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "FAQPage" in kinds or "QAPage" in kinds:
            entities = value.get("mainEntity", [])
            for item in entities if isinstance(entities, list) else [entities]:
                if isinstance(item, dict):
                    found.append(item)
        for key in ("@graph", "hasPart"):
            if key in value:
                found.extend(_questions(value[key]))
    return found


def _html_text(parse_html: Callable[[str], Document], text: str) -> str:
    if "<" not in text and "&" not in text:
        return _SPACE.sub(" ", text).strip()
    blocks = parse_html(text).blocks
    return _SPACE.sub(" ", " ".join(b.text for b in blocks)).strip()
