"""An answer's feedback: right or not, the right answer, why, the rating and when it comes back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from kb.content.load import KnowledgeBase
from kb.errors import InputError, KbError
from kb.training import Feedback, Rating, Session, parse_bool, parse_choice
from tui.app.widgets.training.messages import AnswerRated
from tui.app.widgets.training.view import TrainingView, entry_title, local_time
from tui.i18n import t
from tui.safe import clean, clean_line


class FeedbackView(TrainingView):
    """Shows the feedback; a rating key replaces the suggested rating (AnswerRated)."""

    ACTIONS = frozenset({"next", "open_entry", "rate", "stop"})

    def __init__(self, kb: KnowledgeBase | None, lang: str) -> None:
        super().__init__(lang, id="tr-feedback")
        self.kb = kb
        self.session: Session | None = None
        self.feedback: Feedback | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="tr-verdict")
        yield Static(id="tr-expected")
        yield Static(id="tr-explanation")
        yield Static(id="tr-rating")
        yield Static(id="tr-rating-keys", classes="tr-dim")
        yield OptionList(id="tr-entry-link", classes="tr-links")
        yield Static(id="tr-feedback-error", classes="tr-error")
        yield Button(id="tr-next-button", compact=True)

    def show_feedback(self, session: Session, feedback: Feedback) -> None:
        """Show ``feedback`` on the answer just given (the screen shows this view first)."""
        self.session, self.feedback = session, feedback
        self.show_text("#tr-feedback-error", "")
        self.refresh_view()
        self.query_one("#tr-next-button").focus()

    def refresh_view(self) -> None:
        lang, feedback, session = self.lang, self.feedback, self.session
        if feedback is None or session is None:
            return
        if feedback.correct:
            verdict = Text(t("tr_correct", lang), style="bold green")
        else:
            verdict = Text(t("tr_incorrect", lang), style="bold red")
        self.show_text("#tr-verdict", verdict)
        self.show_text("#tr-expected", Text.assemble(
            (t("tr_expected", lang) + " ", "bold"), clean_line(feedback.expected(lang)), "\n",
            (t("tr_your_answer", lang) + " ", "dim"), (clean_line(self._answer_shown(feedback)), "dim")))
        self.show_text("#tr-explanation", Text(clean(feedback.explanation(lang))))
        rating = Text(t("tr_rating", lang, rating=t(f"tr_rating_{feedback.rating.name}", lang),
                        when=local_time(feedback.due)))
        if feedback.rating != feedback.suggested:
            rating.append(" " + t("tr_overridden", lang), style="italic")
        self.show_text("#tr-rating", rating)
        self.show_text("#tr-rating-keys", t("tr_rating_keys", lang))
        link = self.query_one("#tr-entry-link", OptionList)
        title = entry_title(self.kb, feedback.entry, lang)
        link.set_options([Option(Text("→ " + t("tr_open_entry", lang, title=title)), id=feedback.entry)])
        last = session.next_item() is None
        self.query_one("#tr-next-button", Button).label = Text(t("tr_finish" if last else "tr_next", lang))

    def _answer_shown(self, feedback: Feedback) -> str:
        """What the trainee answered, worded like the right answer ("2. …", "誤り (×)")."""
        item = feedback.item
        try:
            if item.kind == "choice":
                number = parse_choice(feedback.answer, len(item.choices(self.lang)))
                return f"{number}. {item.choices(self.lang)[number - 1]}"
            if item.kind == "truefalse":
                return t("tr_true_shown" if parse_bool(feedback.answer) else "tr_false_shown", self.lang)
        except InputError:
            pass
        return feedback.answer

    def rate(self, rating: Rating) -> None:
        """Replace the suggested rating with the trainee's own, and save it."""
        if self.session is None or self.feedback is None:
            return
        try:
            self.feedback = self.session.override(rating)
        except KbError as exc:
            self.show_text("#tr-feedback-error",
                           clean_line(t("tr_save_failed", self.lang, error=exc.message_in(self.lang))))
            return
        self.refresh_view()
        self.post_message(AnswerRated(self.feedback))
