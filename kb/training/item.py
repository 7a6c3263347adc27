"""One quiz item as a trainee sees it (authored or generated), and how its answer is checked."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from kb.content.entry import QuizItem, QuizText
from kb.training.answer import parse_bool, parse_choice, parse_numeric, within

GENERATED_PREFIX = "gen"  # card ids "gen/<template>"; no entry may take this id


@dataclass(frozen=True)
class TrainingItem:
    """One question as the trainee sees it, with its card id and the entry it teaches.

    Authored items come from an entry's ``[[quiz]]`` tables (card id ``<entry>/<id>``);
    generated items have fresh numbers each time but a card id stable per template
    (``gen/<template>``), so progress on "the max-concurrent question" accumulates.
    A numeric answer is right within ``tolerance`` (absolute) or ``rel_tolerance``
    (fraction of the answer), whichever is larger; ``unit="s"`` lets "2 min" mean 120.
    """

    card_id: str
    entry: str
    kind: str
    answer: int | float | bool
    text: dict[str, QuizText]
    tolerance: float = 0.0
    rel_tolerance: float = 0.0
    unit: str | None = None
    generated: bool = False
    params: dict[str, float | str] = field(default_factory=dict, compare=False)

    def localized(self, lang: str) -> QuizText:
        """The wording in ``lang``, falling back to the other language."""
        return self.text.get(lang) or next(iter(self.text.values()))

    def prompt(self, lang: str) -> str:
        return self.localized(lang).prompt

    def choices(self, lang: str) -> tuple[str, ...]:
        return self.localized(lang).choices

    def explanation(self, lang: str) -> str:
        return self.localized(lang).explanation

    def is_correct(self, text: str) -> bool:
        """Whether the typed ``text`` is right; an InputError if it is not an answer at all.

        An unreadable answer ("abc" to a choice item) is not counted wrong: the caller
        asks again, so a typo does not cost the trainee a review.
        """
        if self.kind == "choice":
            return parse_choice(text, len(self.choices("en") or self.choices("ja"))) == self.answer
        if self.kind == "truefalse":
            return parse_bool(text) is bool(self.answer)
        value = parse_numeric(text, self.unit)
        return within(value, float(self.answer), self.tolerance, self.rel_tolerance)

    def expected(self, lang: str) -> str:
        """The right answer as a person reads it: "2. Only one…", "false / 誤", "about 42 s"."""
        if self.kind == "choice":
            index = int(self.answer)
            choices = self.choices(lang)
            label = choices[index - 1] if 0 < index <= len(choices) else ""
            return f"{index}. {label}".rstrip()
        if self.kind == "truefalse":
            if lang == "ja":
                return "正しい (○)" if self.answer else "誤り (×)"
            return "true" if self.answer else "false"
        return _format_number(float(self.answer), self.unit, self.rel_tolerance, lang)


def _format_number(value: float, unit: str | None, rel: float, lang: str) -> str:
    shown = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    suffix = ("秒" if lang == "ja" else " s") if unit == "s" else ""
    if rel <= 0:
        return f"{shown}{suffix}"
    # The shown range holds only answers that count: bounds rounded inwards.
    digits = 0 if value >= 10 else 1
    scale = 10**digits
    low = math.ceil(value * (1 - rel) * scale) / scale
    high = math.floor(value * (1 + rel) * scale) / scale
    span = f"{low:.{digits}f}–{high:.{digits}f}{suffix}"
    if lang == "ja":
        return f"約 {shown}{suffix} ({span} を正解とします)"
    return f"about {shown}{suffix} ({span} counts as right)"


def from_quiz(item: QuizItem) -> TrainingItem:
    """The training view of an authored quiz item; its card id is the item's own."""
    return TrainingItem(
        card_id=item.card_id, entry=item.entry, kind=item.kind, answer=item.answer,
        text=dict(item.text), tolerance=float(item.tolerance),
    )
