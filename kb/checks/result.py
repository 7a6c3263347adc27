"""The outcome of one calculator, explained in both languages and tied to its FAQ entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CheckResult:
    """What a check computed, whether it is fine (``ok``), and why, in ja and en.

    ``value`` is the headline number (``None`` when the inputs are outside what the
    check covers); ``extra`` holds the other outputs, flattened into the JSON form.
    """

    check: str
    entry: str
    inputs: dict[str, Any]
    ok: bool
    value: Any
    unit: str | None
    explanation: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def explain(self, lang: str) -> str:
        """The explanation in ``lang``, falling back to English."""
        return self.explanation.get(lang) or self.explanation["en"]

    def to_json(self, lang: str) -> dict[str, Any]:
        """The object `faq ask --json` and `faq calc --json` print for this check."""
        return {
            "check": self.check,
            "entry": self.entry,
            "inputs": dict(self.inputs),
            "ok": self.ok,
            "value": self.value,
            "unit": self.unit,
            "explanation": self.explain(lang),
            **self.extra,
        }
