"""The Training screen: what is due today, a session of quiz items with feedback, a summary.

Each step is one view (tui/app/widgets/training/); the screen holds the session, switches
between the views as they report a step done, and gives the keys to the view shown. The app
keeps the screen (installed) when the trainee leaves it to read an entry, so ``t`` returns
to the session where it was left.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher

from kb.content.load import KnowledgeBase
from kb.training import Feedback, ProgressStore, Rating, Session
from tui.app.keys import localize_bindings
from tui.app.messages import LanguageChanged
from tui.app.screens import register_screen
from tui.app.state import AppState
from tui.app.widgets.key_footer import KeyFooter
from tui.app.widgets.messages import EntrySelected
from tui.app.widgets.training.feedback import FeedbackView
from tui.app.widgets.training.messages import AnswerChecked, AnswerRated, SessionStarted
from tui.app.widgets.training.question import QuestionView
from tui.app.widgets.training.setup import SetupView
from tui.app.widgets.training.summary import SummaryView
from tui.app.widgets.training.view import TrainingView
from tui.paths import default_profile, progress_path

# The letters, and 1-4 as `faq quiz` reads them (the feedback shows both).
RATING_KEYS = {"a": Rating.Again, "h": Rating.Hard, "g": Rating.Good, "e": Rating.Easy,
               **{str(int(rating)): rating for rating in Rating}}
VIEWS: tuple[type[TrainingView], ...] = (SetupView, QuestionView, FeedbackView, SummaryView)
# Actions that some view allows; any other action is the app's and always allowed.
_VIEW_ACTIONS = frozenset().union(*(view.ACTIONS for view in VIEWS))


class TrainingScreen(Screen[None]):
    """Start a session, answer item by item, see each answer's feedback, then the summary."""

    CSS_PATH = "training.tcss"
    BINDINGS = [
        Binding("enter", "start", "Start", id="key_tr_start"),
        Binding("n", "next", "Next", id="key_tr_next"),
        Binding("enter", "next", show=False),
        Binding("o", "open_entry", "Entry", id="key_tr_open"),
        Binding("t", "answer_bool(True)", "True", id="key_tr_true"),
        Binding("f", "answer_bool(False)", "False", id="key_tr_false"),
        # 1-4 choose while a question is asked and rate on its feedback: each view allows one.
        *[Binding(str(n), f"choose({n})", show=False) for n in range(1, 10)],
        *[Binding(key, f"rate({int(rating)})", show=False) for key, rating in RATING_KEYS.items()],
        Binding("r", "again", "Again", id="key_tr_again"),
        Binding("escape", "leave", "Back", id="key_tr_leave"),
        Binding("escape", "stop", "Stop", id="key_tr_stop"),
    ]

    def __init__(self, kb: KnowledgeBase | None, lang: str, data_home: Path, *,
                 profile: str | None = None) -> None:
        super().__init__(id="training")
        self.kb = kb
        self.lang = lang
        self.path = progress_path(data_home)
        self.profile = profile or default_profile()
        self.session: Session | None = None
        self.feedback: Feedback | None = None

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="tr-start", id="tr-views"):
            yield SetupView(self.kb, self.lang, self.path, self.profile)
            yield QuestionView(self.lang)
            yield FeedbackView(self.kb, self.lang)
            yield SummaryView(self.kb, self.lang)
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        localize_bindings(self, self.lang)
        self.query_one(SetupView).show_form()
        self.query_one("#tr-start-button").focus()

    # -- the views --------------------------------------------------------------------------

    @property
    def view(self) -> str:
        """Which step is shown: "start", "question", "feedback" or "summary"."""
        return self._shown.id.removeprefix("tr-") if self._shown.id else ""

    @property
    def _shown(self) -> TrainingView:
        shown = self.query_one(ContentSwitcher).visible_content
        assert isinstance(shown, TrainingView)
        return shown

    @property
    def store(self) -> ProgressStore | None:
        """The progress file, once the start form has opened it."""
        return self.query_one(SetupView).store

    def _switch(self, view: TrainingView) -> None:
        self.query_one(ContentSwitcher).current = view.id
        self.refresh_bindings()

    def on_language_changed(self, message: LanguageChanged) -> None:
        """Relabel everything and show the item being asked in the new language."""
        self.lang = message.lang
        for view in self.query(TrainingView):
            view.set_language(message.lang)
        self._shown.refresh_view()

    # -- what the views tell the screen -----------------------------------------------------

    @on(SessionStarted)
    def _session_started(self, event: SessionStarted) -> None:
        event.stop()
        self.session = event.session
        self._ask()

    @on(AnswerChecked)
    def _answer_checked(self, event: AnswerChecked) -> None:
        event.stop()
        if self.session is None:
            return
        self.feedback = event.feedback
        view = self.query_one(FeedbackView)
        self._switch(view)
        view.show_feedback(self.session, event.feedback)

    @on(AnswerRated)
    def _answer_rated(self, event: AnswerRated) -> None:
        event.stop()
        self.feedback = event.feedback

    @on(Button.Pressed, "#tr-next-button")
    def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_next()

    @on(Button.Pressed, "#tr-again-button")
    def _again_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_again()

    def _ask(self) -> None:
        assert self.session is not None
        if self.session.next_item() is None:
            self._show_summary()
            return
        self.feedback = None
        view = self.query_one(QuestionView)
        self._switch(view)
        view.ask(self.session)

    def _show_summary(self) -> None:
        assert self.session is not None
        view = self.query_one(SummaryView)
        self._switch(view)
        view.show_summary(self.session)

    # -- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in _VIEW_ACTIONS:
            return True
        return self._shown.allows(action)

    def action_start(self) -> None:
        self.query_one(SetupView).start()

    def action_choose(self, number: int) -> None:
        self.query_one(QuestionView).choose(number)

    def action_answer_bool(self, value: bool) -> None:
        self.query_one(QuestionView).answer_bool(value)

    def action_rate(self, rating: int) -> None:
        self.query_one(FeedbackView).rate(Rating(rating))

    def action_next(self) -> None:
        if self.session is not None:
            self._ask()

    def action_open_entry(self) -> None:
        if self.feedback is not None:  # the app shows it on the main screen
            self.post_message(EntrySelected(self.feedback.entry))

    def action_stop(self) -> None:
        """End the session early: the summary of what was answered (nothing answered: the start)."""
        if self.session is not None and self.session.position > 0:
            self._show_summary()
        else:
            self.action_again()

    def action_again(self) -> None:
        self.session = None
        self.feedback = None
        view = self.query_one(SetupView)
        self._switch(view)
        view.show_form()
        self.query_one("#tr-start-button").focus()

    def action_leave(self) -> None:
        self.dismiss()


def _make(state: AppState) -> TrainingScreen:
    return TrainingScreen(state.content, state.lang, state.settings.data_home)


register_screen("training", _make)
