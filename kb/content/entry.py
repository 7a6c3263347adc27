"""The content model: entries, their quiz items, glossary terms and tags."""

from __future__ import annotations

from dataclasses import dataclass, field

LANGS: tuple[str, ...] = ("ja", "en")


@dataclass(frozen=True, slots=True)
class Localized:
    """One entry's text in one language."""

    question: str
    answer: str  # Markdown
    alternates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QuizText:
    """A quiz item's wording in one language."""

    prompt: str
    explanation: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QuizItem:
    """A question for training, written for learning, tied to one entry.

    ``kind`` is ``choice`` (``answer`` is the 1-based number of the right choice),
    ``truefalse`` (``answer`` is a bool) or ``numeric`` (``answer`` is a number,
    right within ``tolerance``).
    """

    id: str  # unique within its entry; the card id is "<entry>/<id>"
    entry: str
    kind: str
    answer: int | float | bool
    text: dict[str, QuizText]
    tolerance: float = 0.0
    line: int | None = None

    @property
    def card_id(self) -> str:
        return f"{self.entry}/{self.id}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One FAQ entry in every language, with its metadata."""

    id: str
    text: dict[str, Localized]
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    quiz: tuple[QuizItem, ...] = ()
    path: str = ""
    flags: tuple[str, ...] = ()  # doubts an importer left for a person to check (lint warns)

    def localized(self, lang: str) -> Localized:
        """The text in ``lang``, falling back to the other language."""
        if lang in self.text:
            return self.text[lang]
        return next(iter(self.text.values()))

    def question(self, lang: str) -> str:
        return self.localized(lang).question


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A domain term: its spellings in each language (first is the display name)."""

    id: str
    names: dict[str, tuple[str, ...]]
    definition: dict[str, str]

    def name(self, lang: str) -> str:
        names = self.names.get(lang) or next(iter(self.names.values()))
        return names[0]

    @property
    def synonyms(self) -> tuple[str, ...]:
        return tuple(s for lang in LANGS for s in self.names.get(lang, ()))


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag an entry may carry, with its label in each language."""

    id: str
    label: dict[str, str] = field(default_factory=dict)
