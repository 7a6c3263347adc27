"""Highlighting: a window of an entry's text around what the query matched."""

from __future__ import annotations

import re

from kb.retrieval.results import Snippet
from kb.text.analysis import morph_terms, normalize

_ASCII = re.compile(r"^[ -~]+$")


def make_snippet(text: str, query: str, width: int = 160) -> Snippet:
    """A window of ``text`` around the first match of any query word, with all matches marked."""
    words = {w for w in re.split(r"[\s\"'():*?~^\[\]{}]+", query) if w and w.upper() not in ("AND", "OR", "NOT")}
    words = {w.split(":", 1)[1] if ":" in w else w for w in words}
    words |= {m for w in list(words) for m in morph_terms(normalize(w)) if not _ASCII.match(m)}
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for word in sorted(words, key=len, reverse=True):
        needle = normalize(word)
        if not needle:
            continue
        start = lowered.find(needle)
        while start >= 0:
            end = start + len(needle)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = lowered.find(needle, end)
    spans.sort()
    flat = text.replace("\n", " ")
    if not spans:
        return Snippet(flat[:width], ())
    begin = max(0, spans[0][0] - width // 4)
    end = min(len(flat), begin + width)
    window = tuple((s - begin, e - begin) for s, e in spans if s >= begin and e <= end)
    prefix = "…" if begin else ""
    shift = len(prefix)
    return Snippet(prefix + flat[begin:end] + ("…" if end < len(flat) else ""),
                   tuple((s + shift, e + shift) for s, e in window))
