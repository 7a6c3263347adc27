"""One quiz item asked: its prompt, and choices, true/false buttons or a box for a number."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from kb.errors import InputError, KbError
from kb.training import Session
from tui.app.widgets.training.messages import AnswerChecked
from tui.app.widgets.training.view import TrainingView
from tui.i18n import t
from tui.safe import clean, clean_line


class QuestionView(TrainingView):
    """Checks and saves the answer given (AnswerChecked); an unreadable one is explained here."""

    ACTIONS = frozenset({"choose", "answer_bool", "stop"})

    def __init__(self, lang: str) -> None:
        super().__init__(lang, id="tr-question")
        self.session: Session | None = None
        self._error: str | None = None  # why the answer could not be read
        self._asked_at = 0.0

    def compose(self) -> ComposeResult:
        yield Static(id="tr-progress", classes="tr-heading")
        yield Static(id="tr-prompt")
        yield OptionList(id="tr-choices")
        with Horizontal(id="tr-tf"):
            yield Button(id="tr-true", compact=True)
            yield Button(id="tr-false", compact=True)
        yield Input(id="tr-answer", compact=True)
        yield Static(id="tr-answer-error", classes="tr-error")
        yield Static(id="tr-hint", classes="tr-dim")

    def ask(self, session: Session) -> None:
        """Ask the session's next item (the screen shows this view first, so focus can move)."""
        self.session = session
        item = session.next_item()
        assert item is not None
        self._error = None
        answer = self.query_one("#tr-answer", Input)
        answer.value = ""
        choices = self.query_one("#tr-choices", OptionList)
        choices.highlighted = None
        self.refresh_view()
        self._asked_at = time.monotonic()
        if item.kind == "choice":
            choices.highlighted = 0
            choices.focus()
        elif item.kind == "numeric":
            answer.focus()
        else:  # true/false: no answer is pre-selected, so Enter cannot answer by accident
            self.screen.set_focus(None)

    def allows(self, action: str) -> bool:
        item = self.session.next_item() if self.session is not None else None
        if action == "choose":
            return item is not None and item.kind == "choice"
        if action == "answer_bool":
            return item is not None and item.kind == "truefalse"
        return super().allows(action)

    def refresh_view(self) -> None:
        lang, session = self.lang, self.session
        item = session.next_item() if session is not None else None
        if session is None or item is None:
            return
        self.show_text("#tr-progress", Text(f"[{session.position + 1}/{len(session.queue)}]", style="bold"))
        self.show_text("#tr-prompt", Text(clean(item.prompt(lang))))
        choices = self.query_one("#tr-choices", OptionList)
        choices.display = item.kind == "choice"
        if item.kind == "choice":
            highlighted = choices.highlighted
            choices.set_options(Option(Text(f"{n}. {clean_line(c)}")) for n, c in
                                enumerate(item.choices(lang), start=1))
            choices.highlighted = highlighted
        self.query_one("#tr-tf").display = item.kind == "truefalse"
        self.query_one("#tr-true", Button).label = Text(t("tr_true", lang))
        self.query_one("#tr-false", Button).label = Text(t("tr_false", lang))
        answer = self.query_one("#tr-answer", Input)
        answer.display = item.kind == "numeric"
        answer.placeholder = t("tr_answer_placeholder", lang)
        hint = {"choice": "tr_choice_hint", "truefalse": "tr_tf_hint"}.get(
            item.kind, "tr_num_hint_s" if item.unit == "s" else "tr_num_hint")
        self.show_text("#tr-hint", t(hint, lang))
        error = self._error
        self.show_text("#tr-answer-error", clean_line(t("tr_unreadable", lang, why=error)) if error else "")

    # -- answers ----------------------------------------------------------------------------

    def choose(self, number: int) -> None:
        """Highlight choice ``number`` (Enter then answers with it)."""
        choices = self.query_one("#tr-choices", OptionList)
        if number <= choices.option_count:
            choices.highlighted = number - 1
            choices.focus()

    def answer_bool(self, value: bool) -> None:
        self._submit("true" if value else "false")

    @on(OptionList.OptionSelected, "#tr-choices")
    def _choice_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submit(str(event.option_index + 1))

    @on(Button.Pressed, "#tr-true")
    @on(Button.Pressed, "#tr-false")
    def _bool_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.answer_bool(event.button.id == "tr-true")

    @on(Input.Changed, "#tr-answer")
    def _answer_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._error is not None:  # the reason stays until the answer is edited
            self._error = None
            self.show_text("#tr-answer-error", "")

    @on(Input.Submitted, "#tr-answer")
    def _answer_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self._submit(event.value)

    def _submit(self, answer: str) -> None:
        """Check and save ``answer``; an unreadable one is explained at the field and not saved."""
        if self.session is None or not self.display:
            return
        try:
            feedback = self.session.submit(answer, datetime.now(UTC), time.monotonic() - self._asked_at)
        except InputError as exc:
            self._error = exc.message_in(self.lang)
            self.refresh_view()
            return
        except KbError as exc:
            self._error = None
            self.show_text("#tr-answer-error",
                           clean_line(t("tr_save_failed", self.lang, error=exc.message_in(self.lang))))
            return
        self.session = None  # answered: keys pressed before the feedback shows answer nothing
        self.post_message(AnswerChecked(feedback))
