"""What a question log holds, read back: the questions asked, what was opened, what was accepted.

Apart from kb.gaps.log so that a process that only appends a question (every `faq ask`) does
not make these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kb.errors import StoreError


@dataclass(frozen=True)
class Asked:
    """A question as it was asked: its answer (None: no confident one) and the closest entries."""

    id: str
    time: datetime
    text: str
    lang: str  # the question's own language, by its script
    answer: str | None
    confidence: float | None  # of the answer, or None
    closest: tuple[tuple[str, float], ...]  # candidates best first, confident or not
    source: str = "cli"  # "cli" or "app"


@dataclass(frozen=True)
class Opened:
    """What the person opened after asking (the app only): ``rank`` 1 is the top result."""

    ask: str
    time: datetime
    entry: str
    rank: int | None  # None: opened from somewhere else than the results


@dataclass(frozen=True)
class Accepted:
    """A phrasing an author added to an entry's alternates."""

    question: str
    entry: str
    lang: str
    time: datetime


@dataclass
class LogContents:
    """Everything read from a log and its side files, and what was wrong with them."""

    asked: list[Asked] = field(default_factory=list)
    opened: list[Opened] = field(default_factory=list)
    accepted: list[Accepted] = field(default_factory=list)
    dismissed: list[str] = field(default_factory=list)  # questions, as asked
    problems: list[StoreError] = field(default_factory=list)
