"""What a check declares about itself: the shapes every check module fills in (the plug-in spec).

A calculator is one :class:`Calculator` object: its id, the entry it belongs to, its title,
its parameters (unit, parser, CLI option, form label, help, default, range), the quantities a
question names that feed it, how it computes and states its figures, and the training drills
it can pose. `faq calc`, the app's forms, `ask`'s check runner, lint's known ids and the
generated training items are all read from these objects through ``kb.checks.registry``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kb.bilingual import Bilingual
from kb.checks.result import CheckResult
from kb.checks.units import Unit
from kb.errors import InputError

# A number as questions write it, in text normalized by kb.text.analysis (NFKC, lower case):
# the start of every quantity pattern.
# Bounded, and starting only where a run of digits starts: a 20,000-digit run costs one pass
# (an unbounded \d+ tried from every digit made the index build quadratic: 57 s).
QUESTION_NUMBER = r"(?:(?<![\d.])\d{1,15}(?:\.\d{1,15})?|(?<![一二三四五六七八九十百])[一二三四五六七八九十百]{1,15})\s?"


@dataclass(frozen=True)
class Quantity:
    """A kind of quantity people put in questions ("16 GB", "10GbE", "何秒").

    The glossary matcher turns any match of ``pattern`` (over normalized text) into the one
    feature ``@<kind>``, whatever the number, and the unit words it absorbs stop counting as
    words of their own. An entry that links the check is about its quantities.
    """

    kind: str
    pattern: str
    unit_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionScan:
    """What one question gives the checks: its text and the numbers with units found in it.

    ``values`` holds the shared finds (``nodes``, ``memory_mb``, ``link_mbps``, a written-out
    ``dirty_rate_mbps``); ``load`` the load word, if any. A check with a quantity of its own
    reads ``text`` with its own pattern: NFKC, kanji numerals as digits, "2008 R2" removed,
    case kept.
    """

    text: str
    values: Mapping[str, Any]
    load: str | None = None


@dataclass(frozen=True)
class Choice:
    """One value a choice parameter takes, with its label in the form."""

    value: str
    label: Bilingual


@dataclass(frozen=True)
class Param:
    """One input of a calculator, everything the CLI, the form and the question runner need.

    ``name`` is the compute function's keyword; the CLI option is ``option`` and the form
    field (and argparse's dest) is the option without dashes (``--dirty-rate`` -> ``dirty_rate``).
    ``required`` is for the command line; ``default`` is used wherever the value is not
    given (with ``assumed`` said in the explanation when a question did not give it).
    ``low``/``high`` are the range the check covers, in the unit's own terms, shown in help.
    Parameters sharing a ``group`` exclude each other on the command line. With
    ``refuse_outside`` a value outside ``low``..``high`` typed on the command line is bad
    input (one line, exit 2) rather than a result that explains why it cannot be computed.
    """

    name: str
    unit: Unit
    option: str
    label: Bilingual
    help: Bilingual
    required: bool = False
    default: Any = None
    low: float | None = None
    high: float | None = None
    choices: tuple[Choice, ...] = ()
    group: str | None = None
    in_form: bool = True
    example: str = ""
    placeholder: Bilingual | None = None
    assumed: Bilingual | None = None
    find: Callable[[QuestionScan], Any] | None = None
    refuse_outside: bool = False

    @property
    def field(self) -> str:
        return self.option.removeprefix("--").replace("-", "_")

    def check_range(self, value: float, field: str) -> None:
        """Refuse ``value`` outside ``low``..``high``, naming ``field``."""
        low, high = self.low, self.high
        if (low is None or value >= low) and (high is None or value <= high):
            return
        shown = self.unit.show(value)
        if low is not None and high is not None:
            lo, hi = self.unit.show(low), self.unit.show(high)
            raise InputError(f"must be between {lo} and {hi}, not {shown}", field=field,
                             ja=f"{lo} から {hi} までの値を指定してください (指定値: {shown})")
        raise InputError(f"must be {self.range_text('en')}, not {shown}", field=field,
                         ja=f"{self.range_text('ja')} の値を指定してください (指定値: {shown})")

    def range_text(self, lang: str) -> str:
        """The covered range as help shows it ("1-16", "up to 64GiB"), or "" when unbounded."""
        if self.high is None:
            return ""
        high = self.unit.show(self.high)
        if self.low is None:
            return f"最大 {high}" if lang == "ja" else f"up to {high}"
        low = self.unit.show(self.low)
        return f"{low} から {high}" if lang == "ja" else f"{low}-{high}"

    def help_text(self, lang: str) -> str:
        """The option's help, with its range and its default (``help`` names any choices)."""
        text = self.help.text(lang)
        extras = [self.range_text(lang)] if self.high is not None else []
        if self.default is not None and not self.required:
            shown = self.default if isinstance(self.default, str) else self.unit.show(self.default)
            extras.append(f"既定 {shown}" if lang == "ja" else f"default {shown}")
        return f"{text} ({'; '.join(extras)})" if extras else text


@dataclass(frozen=True)
class Drill:
    """A training question a check can pose with fresh numbers (card id ``gen/<card>``).

    ``make`` draws the numbers from the random generator it is given and answers with the
    check itself. ``entry`` names the entry it teaches when that is not the check's own.
    """

    card: str
    make: Callable[[random.Random], DrillItem]
    entry: str | None = None


@dataclass(frozen=True)
class DrillItem:
    """One drawn drill: what training turns into a quiz item."""

    kind: str  # "numeric", "truefalse" or "choice"
    answer: int | float | bool
    prompt: Bilingual
    explanation: Bilingual
    params: dict[str, float | str] = field(default_factory=dict)
    rel_tolerance: float = 0.0
    unit: str | None = None


@dataclass(frozen=True)
class Calculator:
    """A check computed from a few numbers: `faq calc ID`, a form under its entry, `ask`'s checks.

    ``compute`` takes the parameters by name and returns a CheckResult (its explanation in
    both languages); it raises InputError naming the parameter for a value it refuses.
    ``headline`` states the figures in one line (the app); ``figures`` in the lines `faq calc`
    prints, by default the headline alone.
    """

    id: str
    entry: str
    title: Bilingual
    help: Bilingual
    params: tuple[Param, ...]
    compute: Callable[..., CheckResult]
    headline: Callable[[CheckResult, str], str]
    figures: Callable[[CheckResult, str], list[str]] | None = None
    epilog: Bilingual | None = None
    quantities: tuple[Quantity, ...] = ()
    drills: tuple[Drill, ...] = ()

    def lines(self, result: CheckResult, lang: str) -> list[str]:
        """The figures for the terminal."""
        if self.figures is not None:
            return self.figures(result, lang)
        return [self.headline(result, lang)]

    def parse(self, texts: Mapping[str, str | None], name: Callable[[Param], str],
              strict: bool = False) -> tuple[dict[str, Any], dict[str, InputError]]:
        """Parameter values from text by form field, and the error for each field that is bad.

        ``None`` (not given) takes the default; given text is always parsed. ``name`` says
        how an error names the parameter (the CLI option, the form field). ``strict`` is the
        command line's reading: a quantity needs its unit ("8" is refused, "8GB" is not), and
        a ``refuse_outside`` parameter must lie in its range.
        """
        values: dict[str, Any] = {}
        errors: dict[str, InputError] = {}
        for param in self.params:
            text = texts.get(param.field)
            if text is None:
                values[param.name] = param.default
                continue
            try:
                value = param.unit.read(text, name(param), strict)
                if strict and param.refuse_outside:
                    param.check_range(value, name(param))
                values[param.name] = value
            except InputError as exc:
                errors[param.field] = exc
        return values, errors

    def run(self, values: Mapping[str, Any], name: Callable[[Param], str]) -> CheckResult:
        """``compute`` on parsed values; an InputError it raises names the parameter by ``name``."""
        try:
            return self.compute(**values)
        except InputError as exc:
            param = next((p for p in self.params if p.name == exc.field), None)
            if param is None:
                raise
            raise InputError(exc.message, ja=exc.message_ja, field=name(param)) from None


@dataclass(frozen=True)
class Validator:
    """A check over a whole description rather than a few numbers (`faq check FILE`).

    It has no parameters a question could give, so `ask` never runs it; entries link it
    (lint knows its id) and it may pose training drills.
    """

    id: str
    entry: str
    title: Bilingual
    #: What it checks a description against, as a noun phrase ("the ... requirements"):
    #: `faq check --help` and the app's cluster tab say it, so the front end names no domain.
    against: Bilingual | None = None
    quantities: tuple[Quantity, ...] = ()
    drills: tuple[Drill, ...] = ()


Check = Calculator | Validator
