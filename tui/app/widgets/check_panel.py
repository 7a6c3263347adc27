"""A calculator under an entry: its inputs as fields, recomputed as they change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from kb.checks import CheckResult, max_concurrent_migrations, migration_time
from kb.checks.extract import scan_question
from kb.checks.migration import DEFAULT_LINK_MBPS, DEFAULT_LOAD, LOAD_DIRTY_RATE
from kb.checks.units import (
    format_number,
    format_seconds,
    parse_count,
    parse_link_mbps,
    parse_rate_mbps,
    parse_size_mb,
)
from kb.errors import InputError
from tui.i18n import t
from tui.safe import clean, clean_line

# The calculators' own field names, mapped to the form field that holds each value.
_FIELD_OF = {"nodes": "nodes", "memory_mb": "memory", "link_mbps": "link", "dirty_rate_mbps": "dirty_rate"}


@dataclass(frozen=True)
class Field:
    name: str
    parse: Callable[[str], Any]
    optional: bool = False


_FIELDS: dict[str, tuple[Field, ...]] = {
    "max-concurrent-migrations": (Field("nodes", lambda s: parse_count(s, "nodes")),),
    "migration-time": (
        Field("memory", lambda s: parse_size_mb(s, "memory")),
        Field("link", lambda s: parse_link_mbps(s, "link")),
        Field("dirty_rate", lambda s: parse_rate_mbps(s, "dirty_rate"), optional=True),
    ),
}


def _size_text(mb: float) -> str:
    return f"{mb / 1000:g}GB" if mb >= 1000 and mb % 100 == 0 else f"{mb:g}MB"


def _link_text(mbps: float) -> str:
    return f"{mbps / 1000:g}Gbps" if mbps >= 1000 and mbps % 100 == 0 else f"{mbps:g}Mbps"


# What an empty form starts with when the question gave no number.
_DEFAULTS = {"nodes": "4", "memory": "4GB", "link": _link_text(DEFAULT_LINK_MBPS), "dirty_rate": ""}


def initial_values(check: str, question: str) -> tuple[dict[str, str], str, bool]:
    """The form's first values, its load, and whether the question gave any of them.

    Numbers come from the question (as ``extract_parameters`` finds them); a load word
    ("高負荷", "idle") picks the load rather than filling in the dirty rate.
    """
    params, load_word = scan_question(question) if question else ({}, None)
    values = {f.name: _DEFAULTS[f.name] for f in _FIELDS[check]}
    found = {"nodes": str(params["nodes"]) if "nodes" in params else None,
             "memory": _size_text(params["memory_mb"]) if "memory_mb" in params else None,
             "link": _link_text(params["link_mbps"]) if "link_mbps" in params else None,
             "dirty_rate": (f"{params['dirty_rate_mbps']:g}MB/s"
                            if "dirty_rate_mbps" in params and not load_word else None)}
    used = False
    for name in values:
        if found[name] is not None:
            values[name] = found[name] or ""
            used = True
    load = load_word if load_word and check == "migration-time" else DEFAULT_LOAD
    return values, load, used or load != DEFAULT_LOAD


def compute(check: str, values: dict[str, str], load: str,
            lang: str = "en") -> tuple[CheckResult | None, dict[str, str]]:
    """Run ``check`` on the form's text values: the result, or the reason (in ``lang``) per bad field."""
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in _FIELDS[check]:
        text = values.get(field.name, "").strip()
        if not text and field.optional:
            parsed[field.name] = None
            continue
        try:
            parsed[field.name] = field.parse(text)
        except InputError as exc:
            errors[field.name] = exc.message_in(lang)
    if errors:
        return None, errors
    try:
        if check == "max-concurrent-migrations":
            return max_concurrent_migrations(parsed["nodes"]), {}
        return migration_time(parsed["memory"], parsed["link"], parsed["dirty_rate"], load=load), {}
    except InputError as exc:  # a value the parser accepts but the calculator does not cover
        return None, {_FIELD_OF.get(exc.field or "", exc.field or ""): exc.message_in(lang)}


def headline(result: CheckResult, lang: str) -> str:
    """The result's figures in one line."""
    if result.value is None:
        return t("result_none", lang)
    if result.check == "max-concurrent-migrations":
        return t("result_concurrent", lang, value=result.value)
    return t("result_migration", lang, total=format_seconds(result.value, lang),
             pause=format_number(result.extra["pause_seconds"]), passes=result.extra["passes"])


class CheckPanel(Vertical):
    """One calculator's form: a field per input, the reason beside a bad value, the result below."""

    def __init__(self, check: str, lang: str, values: dict[str, str], load: str = DEFAULT_LOAD,
                 from_question: bool = False) -> None:
        super().__init__(classes="check-panel", id=f"check-{check}")
        self.check = check
        self.lang = lang
        self._values = values
        self._load = load
        self._from_question = from_question
        self.result: CheckResult | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        title = Text(t(f"check_title_{self.check}", lang), style="bold")
        if self._from_question:
            title.append("\n" + t("params_from_question", lang), style="italic dim")
        yield Static(title, classes="check-title")
        for field in _FIELDS[self.check]:
            with Horizontal(classes="check-row"):
                yield Label(Text(t(f"field_{field.name}", lang)), classes="check-label")
                placeholder = t("dirty_rate_placeholder", lang) if field.optional else ""
                yield Input(self._values.get(field.name, ""), placeholder=placeholder,
                            id=f"{self.check}-{field.name}", classes="check-input", compact=True)
                yield Label("", id=f"{self.check}-{field.name}-error", classes="check-error")
        if self.check == "migration-time":
            with Horizontal(classes="check-row"):
                yield Label(Text(t("field_load", lang)), classes="check-label")
                yield Select([(t(f"load_{name}", lang), name) for name in LOAD_DIRTY_RATE],
                             value=self._load, allow_blank=False, id=f"{self.check}-load",
                             classes="check-select", compact=True)
        yield Static("", id=f"{self.check}-result", classes="check-result")

    def on_mount(self) -> None:
        self.recompute()

    def values(self) -> dict[str, str]:
        """The fields' current text, by field name."""
        return {f.name: self.query_one(f"#{self.check}-{f.name}", Input).value for f in _FIELDS[self.check]}

    @property
    def load(self) -> str:
        if self.check != "migration-time":
            return DEFAULT_LOAD
        value = self.query_one(f"#{self.check}-load", Select).value
        return value if isinstance(value, str) else DEFAULT_LOAD

    def recompute(self) -> None:
        """Run the calculator on the fields; mark each bad field with its reason."""
        result, errors = compute(self.check, self.values(), self.load, self.lang)
        for field in _FIELDS[self.check]:
            box = self.query_one(f"#{self.check}-{field.name}", Input)
            reason = errors.get(field.name)
            box.set_class(reason is not None, "-invalid")
            note = self.query_one(f"#{self.check}-{field.name}-error", Label)
            note.update(Text(clean_line(t("invalid_value", self.lang, reason=reason))) if reason else "")
        self.result = result
        out = self.query_one(f"#{self.check}-result", Static)
        if result is None:
            out.update(Text(t("result_waiting", self.lang), style="italic"))
            out.set_class(True, "-stale")
            return
        out.set_class(False, "-stale")
        out.set_class(not result.ok, "-bad")
        out.update(Text.assemble((headline(result, self.lang), "bold"), "\n",
                                 clean(result.explain(self.lang))))

    @on(Input.Changed, ".check-input")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.recompute()

    @on(Select.Changed)
    def _load_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.recompute()
