"""A calculator under an entry: its inputs as fields, recomputed as they change.

The fields, their labels and the figures come from the calculator's own declaration
(kb.checks.registry); a new check gets a form with no change here.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from kb.checks import CheckResult
from kb.checks.extract import scan_for_checks
from kb.checks.registry import calculator
from kb.checks.spec import Calculator, Param
from kb.errors import InputError
from tui.i18n import t
from tui.safe import clean, clean_line


def _form_params(check: Calculator) -> list[Param]:
    return [p for p in check.params if p.in_form]


def _field(param: Param) -> str:
    return param.field


def _starting_text(param: Param) -> str:
    if param.choices:
        return str(param.default or param.choices[0].value)
    return param.example


def initial_values(check_id: str, question: str) -> tuple[dict[str, str], bool]:
    """The form's first values by field, and whether the question gave any of them.

    Numbers come from the question as `ask` reads them; a load word ("高負荷", "idle")
    picks the load rather than filling in the dirty rate.
    """
    check = calculator(check_id)
    assert check is not None
    scan = scan_for_checks(question) if question else None
    values: dict[str, str] = {}
    used = False
    for param in _form_params(check):
        found = param.find(scan) if scan is not None and param.find else None
        if found is None:
            values[param.field] = _starting_text(param)
            continue
        values[param.field] = str(found) if param.choices else param.unit.show(found)
        used = True
    return values, used


def compute(check_id: str, values: dict[str, str], lang: str = "en") -> tuple[CheckResult | None, dict[str, str]]:
    """Run the check on the form's text values: the result, or the reason (in ``lang``) per bad field."""
    check = calculator(check_id)
    assert check is not None
    texts: dict[str, str | None] = {}
    for param in _form_params(check):
        text = values.get(param.field, "").strip()
        # An empty optional field means "not given" (the dirty rate: by load).
        texts[param.field] = None if not text and not param.required else text
    parsed, errors = check.parse(texts, _field)
    if errors:
        return None, {name: exc.message_in(lang) for name, exc in errors.items()}
    try:
        return check.run(parsed, _field), {}
    except InputError as exc:  # a value the parser accepts but the calculator does not cover
        return None, {exc.field or "": exc.message_in(lang)}


def headline(result: CheckResult, lang: str) -> str:
    """The result's figures in one line."""
    check = calculator(result.check)
    if result.value is None or check is None:
        return t("result_none", lang)
    return check.headline(result, lang)


class FieldLabel(Label):
    """A field's label: a click on it puts the cursor in its field, as an HTML label does.

    Without it a click on "Dirty rate" focused the entry around the form, and what was then
    typed went to the screen's keys (``t`` opened Training) instead of the field.
    """

    def __init__(self, text: Text, field_id: str) -> None:
        super().__init__(text, classes="check-label")
        self.field_id = field_id

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if self.parent is not None:
            self.parent.query_one(f"#{self.field_id}").focus()


class CheckPanel(Vertical):
    """One calculator's form: a field per input, the reason beside a bad value, the result below."""

    def __init__(self, check: str, lang: str, values: dict[str, str], from_question: bool = False) -> None:
        super().__init__(classes="check-panel", id=f"check-{check}")
        self.check = check
        self.lang = lang
        self._values = values
        self._from_question = from_question
        self.result: CheckResult | None = None
        found = calculator(check)
        assert found is not None
        self._calculator = found

    def compose(self) -> ComposeResult:
        lang = self.lang
        title = Text(self._calculator.title.text(lang), style="bold")
        if self._from_question:
            title.append("\n" + t("params_from_question", lang), style="italic dim")
        yield Static(title, classes="check-title")
        for param in _form_params(self._calculator):
            with Horizontal(classes="check-row"):
                widget_id = f"{self.check}-{param.field}"
                yield FieldLabel(Text(param.label.text(lang)), widget_id)
                if param.choices:
                    yield Select([(c.label.text(lang), c.value) for c in param.choices],
                                 value=self._values.get(param.field, _starting_text(param)),
                                 allow_blank=False, id=widget_id, classes="check-select", compact=True)
                    continue
                placeholder = param.placeholder.text(lang) if param.placeholder else ""
                yield Input(self._values.get(param.field, ""), placeholder=placeholder,
                            id=widget_id, classes="check-input", compact=True)
                yield Label("", id=f"{widget_id}-error", classes="check-error")
        yield Static("", id=f"{self.check}-result", classes="check-result")

    def on_mount(self) -> None:
        self.recompute()

    def values(self) -> dict[str, str]:
        """The fields' current text (a choice's value), by field name."""
        out: dict[str, str] = {}
        for param in _form_params(self._calculator):
            if param.choices:
                value = self.query_one(f"#{self.check}-{param.field}", Select).value
                out[param.field] = value if isinstance(value, str) else _starting_text(param)
            else:
                out[param.field] = self.query_one(f"#{self.check}-{param.field}", Input).value
        return out

    def recompute(self) -> None:
        """Run the calculator on the fields; mark each bad field with its reason.

        It only reads the fields: what the person is typing is never written back.
        """
        result, errors = compute(self.check, self.values(), self.lang)
        for param in _form_params(self._calculator):
            if param.choices:
                continue
            box = self.query_one(f"#{self.check}-{param.field}", Input)
            reason = errors.get(param.field)
            box.set_class(reason is not None, "-invalid")
            note = self.query_one(f"#{self.check}-{param.field}-error", Label)
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
