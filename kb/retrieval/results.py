"""What asking and searching return: answers with a confidence, hits with a snippet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Answer:
    """One candidate entry for a question, in the language the answer is shown in."""

    id: str
    question: str
    score: float
    confidence: float
    lang: str = "ja"  # the language of ``question``: the asked one, else the one the entry has


@dataclass
class AskResult:
    """What `ask` found: answers best first (empty when nothing is a confident match)."""

    query: str
    answers: list[Answer]
    candidates: list[Answer]  # the closest entries even when none is confident
    checks: list[Any] = field(default_factory=list)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "query": self.query,
            "answers": [
                {"id": a.id, "question": a.question, "score": round(a.score, 4), "confidence": round(a.confidence, 4),
                 "lang": a.lang}
                for a in self.answers
            ],
            "checks": [c.to_json(lang) for c in self.checks],
        }


@dataclass(frozen=True)
class Snippet:
    """A piece of text with the spans that matched the query, for the printer to highlight."""

    text: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchHit:
    id: str
    question: str
    score: float
    snippet: Snippet
    tags: tuple[str, ...]
