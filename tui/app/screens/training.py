"""The Training screen: what is due today, a session of quiz items with feedback, a summary."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    Footer,
    Input,
    OptionList,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from kb.content.load import KnowledgeBase
from kb.errors import InputError, KbError
from kb.training import (
    Feedback,
    ProgressStore,
    Rating,
    Session,
    TrainingItem,
    build_report,
    collect_items,
    open_store,
    parse_bool,
    parse_choice,
    start_session,
    validate_profile,
)
from kb.training.session import DEFAULT_COUNT
from tui.app.keys import localize_bindings
from tui.app.messages import LanguageChanged
from tui.app.screens import register_screen
from tui.app.state import AppState, state_of
from tui.app.widgets.messages import EntrySelected
from tui.i18n import t
from tui.paths import default_profile, progress_path
from tui.safe import clean, clean_line

RATING_KEYS = {"a": Rating.Again, "h": Rating.Hard, "g": Rating.Good, "e": Rating.Easy}
# What each view allows; every other screen action is hidden from the footer and does nothing.
_ACTIONS = {
    "start": {"start", "leave"},
    "question": {"choose", "answer_bool", "stop"},
    "feedback": {"next", "open_entry", "rate", "stop"},
    "summary": {"again", "leave"},
}


def local_time(moment: datetime) -> str:
    """A due date as the trainee reads it: local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class TrainingScreen(Screen[None]):
    """Start a session, answer item by item, see each answer's feedback, then the summary."""

    CSS_PATH = "training.tcss"
    BINDINGS = [
        Binding("enter", "start", "Start", id="key_tr_start"),
        Binding("n", "next", "Next", id="key_tr_next"),
        Binding("enter", "next", show=False),
        Binding("o", "open_entry", "Entry", id="key_tr_open"),
        *[Binding(key, f"rate({int(rating)})", show=False) for key, rating in RATING_KEYS.items()],
        Binding("t", "answer_bool(True)", "True", id="key_tr_true"),
        Binding("f", "answer_bool(False)", "False", id="key_tr_false"),
        *[Binding(str(n), f"choose({n})", show=False) for n in range(1, 10)],
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
        self.view = "start"
        self.store: ProgressStore | None = None
        self.session: Session | None = None
        self.feedback: Feedback | None = None
        self._items: list[TrainingItem] = []  # for the counts; generated numbers do not matter
        self._opening = False
        self._message: tuple[str, dict[str, object]] | None = None  # (key, values) under Start
        self._answer_error: str | None = None
        self._asked_at = 0.0

    @property
    def state(self) -> AppState:
        return state_of(self.app)

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="tr-start", id="tr-views"):
            with VerticalScroll(id="tr-start"):
                yield Static(id="tr-title", classes="tr-heading")
                with Horizontal(classes="tr-row"):
                    yield Static(id="tr-profile-label", classes="tr-label")
                    yield Input(self.profile, id="tr-profile", max_length=64, compact=True)
                yield Static(id="tr-profile-error", classes="tr-error")
                yield Static(id="tr-counts")
                with Horizontal(classes="tr-row"):
                    yield Static(id="tr-count-label", classes="tr-label")
                    yield Input(str(DEFAULT_COUNT), id="tr-count", type="integer", max_length=3, compact=True)
                yield Static(id="tr-count-error", classes="tr-error")
                with Horizontal(classes="tr-row"):
                    yield Static(id="tr-tag-label", classes="tr-label")
                    yield Select(self._tag_options(), id="tr-tag", compact=True,
                                 prompt=t("tr_all_tags", self.lang))
                yield Checkbox(id="tr-placement", compact=True)
                yield Static(id="tr-message")
                yield Button(id="tr-start-button", compact=True)
            with VerticalScroll(id="tr-question"):
                yield Static(id="tr-progress", classes="tr-heading")
                yield Static(id="tr-prompt")
                yield OptionList(id="tr-choices")
                with Horizontal(id="tr-tf"):
                    yield Button(id="tr-true", compact=True)
                    yield Button(id="tr-false", compact=True)
                yield Input(id="tr-answer", compact=True)
                yield Static(id="tr-answer-error", classes="tr-error")
                yield Static(id="tr-hint", classes="tr-dim")
            with VerticalScroll(id="tr-feedback"):
                yield Static(id="tr-verdict")
                yield Static(id="tr-expected")
                yield Static(id="tr-explanation")
                yield Static(id="tr-rating")
                yield Static(id="tr-rating-keys", classes="tr-dim")
                yield OptionList(id="tr-entry-link", classes="tr-links")
                yield Static(id="tr-feedback-error", classes="tr-error")
                yield Button(id="tr-next-button", compact=True)
            with VerticalScroll(id="tr-summary"):
                yield Static(id="tr-summary-text")
                yield Static(id="tr-missed-title", classes="tr-section")
                yield OptionList(id="tr-missed", classes="tr-links")
                yield Button(id="tr-again-button", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        localize_bindings(self, self.lang)
        cursor_blink = self.state.settings.cursor_blink
        for box in self.query(Input):
            box.cursor_blink = cursor_blink
        for error in self.query(".tr-error"):
            error.display = False
        self._show("start")
        self.query_one("#tr-start-button").focus()
        self._opening = True
        self._open_store()

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def _tag_options(self) -> list[tuple[Text, str]]:
        if self.kb is None:
            return []
        used = {tag for e in self.kb.entries.values() for tag in e.tags}
        known = [tag for tag in self.kb.tags if tag in used] + sorted(used - set(self.kb.tags))
        labels = {tag: self.kb.tags[tag].label.get(self.lang, tag) if tag in self.kb.tags else tag
                  for tag in known}
        return [(Text(clean_line(labels[tag])), tag) for tag in known]

    def _static(self, selector: str, text: Text | str) -> None:
        """Show ``text`` (never read as markup) in a Static, hiding it while empty."""
        static = self.query_one(selector, Static)
        static.update(text if isinstance(text, Text) else Text(text))
        static.display = bool(str(text))

    def _show(self, view: str) -> None:
        self.view = view
        self.query_one(ContentSwitcher).current = f"tr-{view}"
        self._refresh_view()
        self.refresh_bindings()

    def _refresh_view(self) -> None:
        {"start": self._render_start, "question": self._render_question,
         "feedback": self._render_feedback, "summary": self._render_summary}[self.view]()

    # -- the language -----------------------------------------------------------------------

    def on_language_changed(self, message: LanguageChanged) -> None:
        """Relabel everything and show the item being asked in the new language."""
        lang = self.lang = message.lang
        select = self.query_one("#tr-tag", Select)
        value = select.value
        select.set_options(self._tag_options())
        select.prompt = t("tr_all_tags", lang)
        if value is not Select.NULL:
            select.value = value
        self._refresh_view()

    # -- start ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="training-store", exit_on_error=False)
    def _open_store(self) -> None:
        """Open (or create) the progress file off the UI thread; a bad file becomes a message."""
        try:
            store = open_store(self.path, datetime.now(UTC))
        except (KbError, OSError) as exc:
            self.app.call_from_thread(self._store_failed, exc)
            return
        items = collect_items(self.kb.entries, random.Random(0)) if self.kb is not None else []
        self.app.call_from_thread(self._store_opened, store, items)

    def _store_opened(self, store: ProgressStore, items: list[TrainingItem]) -> None:
        self._opening = False
        if not self.is_attached:  # the screen was closed while the file opened
            store.close()
            return
        self.store, self._items = store, items
        self._message = None
        if self.view == "start":
            self._render_start()

    def _store_failed(self, exc: Exception) -> None:
        self._opening = False
        error = exc.message_in(self.lang) if isinstance(exc, KbError) else str(exc)
        self._message = ("tr_store_error", {"error": error})
        if self.is_attached and self.view == "start":
            self._render_start()

    def _profile_value(self) -> str | None:
        """The profile typed, or None (with the reason shown at the field) if it is not a name."""
        text = self.query_one("#tr-profile", Input).value.strip()
        try:
            name = validate_profile(text)
        except InputError as exc:
            self._static("#tr-profile-error", clean_line(exc.message_in(self.lang)))
            return None
        self._static("#tr-profile-error", "")
        return name

    def _tag_value(self) -> str | None:
        value = self.query_one("#tr-tag", Select).value
        return value if isinstance(value, str) else None

    def _render_start(self) -> None:
        lang = self.lang
        self._static("#tr-title", Text(t("tr_title", lang), style="bold"))
        self._static("#tr-profile-label", t("tr_profile", lang))
        self._static("#tr-count-label", t("tr_count", lang))
        self._static("#tr-tag-label", t("tr_tag", lang))
        self.query_one("#tr-placement", Checkbox).label = Text(t("tr_placement", lang))
        self.query_one("#tr-count", Input).disabled = self.query_one("#tr-placement", Checkbox).value
        failed = self._message is not None and self._message[0] == "tr_store_error"
        button = self.query_one("#tr-start-button", Button)
        button.label = Text(t("tr_retry" if failed and self.store is None else "tr_start", lang))
        self._static("#tr-counts", self._counts_text())
        message = Text("")
        if self._message is not None:
            key, values = self._message
            message = Text(clean(t(key, lang, **values)), style="bold red" if failed else "")
        self._static("#tr-message", message)

    def _counts_text(self) -> Text:
        lang = self.lang
        if self.store is None or self.kb is None:
            return Text(t("tr_loading", lang) if self._opening or self._message is None else "",
                        style="italic")
        profile = self._profile_value()
        if profile is None:
            return Text("")
        tag = self._tag_value()
        now = datetime.now(UTC)
        try:
            cards = self.store.load_cards(profile)
        except KbError as exc:
            return Text(clean_line(t("tr_store_error", lang, error=exc.message_in(lang))), style="bold red")
        # Answers do not change what is due or new; only the cards do.
        report = build_report(profile, self._items, self.kb.entries, cards, (), now)
        group = report.overall if tag is None else next((g for g in report.by_tag if g.key == tag), None)
        due, new = (group.due, group.items - group.seen) if group is not None else (0, 0)
        return Text.assemble((t("tr_counts", lang, due=due, new=new), "bold"))

    @on(Input.Changed, "#tr-profile")
    @on(Select.Changed, "#tr-tag")
    @on(Checkbox.Changed, "#tr-placement")
    def _start_form_changed(self) -> None:
        if self._message is not None and self._message[0] != "tr_store_error":
            self._message = None  # "nothing due" was about the form as it was
        if self.view == "start":
            self._render_start()

    @on(Input.Submitted, "#tr-profile")
    @on(Input.Submitted, "#tr-count")
    @on(Button.Pressed, "#tr-start-button")
    def _start_pressed(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.action_start()

    def _count_value(self) -> int | None:
        text = self.query_one("#tr-count", Input).value.strip()
        count = int(text) if text.isdigit() else 0
        if count < 1:
            self._static("#tr-count-error", t("tr_count_error", self.lang))
            return None
        self._static("#tr-count-error", "")
        return count

    def action_start(self) -> None:
        """Start a session with what the form says (or try the progress file again)."""
        if self.kb is None:
            return
        if self.store is None:
            if not self._opening:
                self._message = None
                self._opening = True
                self._render_start()
                self._open_store()
            return
        placement = self.query_one("#tr-placement", Checkbox).value
        profile = self._profile_value()
        count = None if placement else self._count_value()  # a placement quiz asks every entry
        if profile is None or (count is None and not placement):
            return
        now = datetime.now(UTC)
        try:
            session = start_session(self.store, profile, self.kb.entries, now, random.Random(),
                                    count=count, tag=self._tag_value(), placement=placement)
            dues = [] if session.queue else [c.due for c in self.store.load_cards(profile).values()]
        except KbError as exc:
            self._message = ("tr_cannot_start", {"error": exc.message_in(self.lang)})
            self._render_start()
            return
        if not session.queue:
            later = [due for due in dues if due > now]
            self._message = (("tr_nothing_next", {"when": local_time(min(later))}) if later
                             else ("tr_nothing", {}))
            self._render_start()
            return
        self.profile = profile
        self.session = session
        self._message = None
        self._ask()

    # -- question ---------------------------------------------------------------------------

    def _ask(self) -> None:
        assert self.session is not None
        item = self.session.next_item()
        if item is None:
            self._show_summary()
            return
        self._answer_error = None
        self.feedback = None
        answer = self.query_one("#tr-answer", Input)
        answer.value = ""
        self.query_one("#tr-choices", OptionList).highlighted = None
        self._show("question")
        self._asked_at = time.monotonic()
        if item.kind == "choice":
            self.query_one("#tr-choices", OptionList).highlighted = 0
            self.query_one("#tr-choices").focus()
        elif item.kind == "numeric":
            answer.focus()
        else:  # true/false: no answer is pre-selected, so Enter cannot answer by accident
            self.set_focus(None)

    def _render_question(self) -> None:
        lang, session = self.lang, self.session
        item = session.next_item() if session is not None else None
        if session is None or item is None:
            return
        total = len(session.queue)
        self._static("#tr-progress", Text(f"[{session.position + 1}/{total}]", style="bold"))
        self._static("#tr-prompt", Text(clean(item.prompt(lang))))
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
        self._static("#tr-hint", t(hint, lang))
        error = self._answer_error
        self._static("#tr-answer-error", clean_line(t("tr_unreadable", lang, why=error)) if error else "")

    def action_choose(self, number: int) -> None:
        choices = self.query_one("#tr-choices", OptionList)
        if number <= choices.option_count:
            choices.highlighted = number - 1
            choices.focus()

    @on(OptionList.OptionSelected, "#tr-choices")
    def _choice_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submit(str(event.option_index + 1))

    def action_answer_bool(self, value: bool) -> None:
        self._submit("true" if value else "false")

    @on(Button.Pressed, "#tr-true")
    @on(Button.Pressed, "#tr-false")
    def _bool_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer_bool(event.button.id == "tr-true")

    @on(Input.Changed, "#tr-answer")
    def _answer_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._answer_error is not None:  # the reason stays until the answer is edited
            self._answer_error = None
            self._static("#tr-answer-error", "")

    @on(Input.Submitted, "#tr-answer")
    def _answer_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self._submit(event.value)

    def _submit(self, answer: str) -> None:
        """Check and save ``answer``; an unreadable one is explained at the field and not saved."""
        if self.session is None or self.view != "question":
            return
        try:
            feedback = self.session.submit(answer, datetime.now(UTC), time.monotonic() - self._asked_at)
        except InputError as exc:
            self._answer_error = exc.message_in(self.lang)
            self._render_question()
            return
        except KbError as exc:
            self._answer_error = None
            self._static("#tr-answer-error", clean_line(t("tr_save_failed", self.lang, error=exc.message_in(self.lang))))
            return
        self.feedback = feedback
        self._static("#tr-feedback-error", "")
        self._show("feedback")
        self.query_one("#tr-next-button").focus()

    # -- feedback ---------------------------------------------------------------------------

    def _entry_title(self, entry_id: str) -> str:
        entry = self.kb.entries.get(entry_id) if self.kb is not None else None
        return clean_line(entry.question(self.lang) if entry is not None else entry_id)

    def _render_feedback(self) -> None:
        lang, feedback, session = self.lang, self.feedback, self.session
        if feedback is None or session is None:
            return
        if feedback.correct:
            verdict = Text(t("tr_correct", lang), style="bold green")
        else:
            verdict = Text(t("tr_incorrect", lang), style="bold red")
        self._static("#tr-verdict", verdict)
        self._static("#tr-expected", Text.assemble(
            (t("tr_expected", lang) + " ", "bold"), clean_line(feedback.expected(lang)), "\n",
            (t("tr_your_answer", lang) + " ", "dim"), (clean_line(self._answer_shown(feedback)), "dim")))
        self._static("#tr-explanation", Text(clean(feedback.explanation(lang))))
        rating = Text(t("tr_rating", lang, rating=t(f"tr_rating_{feedback.rating.name}", lang),
                        when=local_time(feedback.due)))
        if feedback.rating != feedback.suggested:
            rating.append(" " + t("tr_overridden", lang), style="italic")
        self._static("#tr-rating", rating)
        self._static("#tr-rating-keys", t("tr_rating_keys", lang))
        link = self.query_one("#tr-entry-link", OptionList)
        title = self._entry_title(feedback.entry)
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

    def action_rate(self, rating: int) -> None:
        """Replace the suggested rating with the trainee's own."""
        if self.session is None or self.feedback is None:
            return
        try:
            self.feedback = self.session.override(Rating(rating))
        except KbError as exc:
            self._static("#tr-feedback-error", clean_line(t("tr_save_failed", self.lang, error=exc.message_in(self.lang))))
            return
        self._render_feedback()

    def action_next(self) -> None:
        if self.session is not None:
            self._ask()

    @on(Button.Pressed, "#tr-next-button")
    def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_next()

    def action_open_entry(self) -> None:
        if self.feedback is not None:
            self.post_message(EntrySelected(self.feedback.entry))

    @on(OptionList.OptionSelected, ".tr-links")
    def _link_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntrySelected(event.option.id))

    # -- summary ----------------------------------------------------------------------------

    def _render_summary(self) -> None:
        lang, session = self.lang, self.session
        if session is None:
            return
        summary = session.summary()
        text = Text(t("tr_summary_title", lang, profile=clean_line(summary.profile)), style="bold")
        text.append("\n\n")
        text.append(t("tr_summary", lang, answered=summary.answered, correct=summary.correct))
        if summary.ratings:
            counts = [f"{t(f'tr_rating_{name}', lang)} {n}" for name, n in summary.ratings.items()]
            ratings = ("、" if lang == "ja" else ", ").join(counts)
            text.append("\n" + t("tr_ratings", lang, ratings=ratings))
        if summary.remaining:
            text.append("\n" + t("tr_left", lang, n=summary.remaining))
        if summary.next_due is not None:
            text.append("\n" + t("tr_next_due", lang, when=local_time(summary.next_due)))
        self._static("#tr-summary-text", text)
        missed = list(dict.fromkeys(item.entry for item in summary.missed))
        self._static("#tr-missed-title", t("tr_missed" if missed else "tr_no_missed", lang))
        links = self.query_one("#tr-missed", OptionList)
        links.display = bool(missed)
        links.set_options([Option(Text("→ " + self._entry_title(e)), id=e) for e in missed])
        self.query_one("#tr-again-button", Button).label = Text(t("tr_again", lang))

    def _show_summary(self) -> None:
        self._show("summary")
        missed = self.query_one("#tr-missed", OptionList)
        if missed.display:  # Enter opens the first entry to read again
            missed.highlighted = 0
            missed.focus()
        else:
            self.query_one("#tr-again-button").focus()

    def action_stop(self) -> None:
        """End the session early: the summary of what was answered (nothing answered: the start)."""
        if self.session is not None and self.session.position > 0:
            self._show_summary()
        else:
            self.action_again()

    def action_again(self) -> None:
        self.session = None
        self.feedback = None
        self._show("start")
        self.query_one("#tr-start-button").focus()

    @on(Button.Pressed, "#tr-again-button")
    def _again_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_again()

    def action_leave(self) -> None:
        self.dismiss()

    # -- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in {a for actions in _ACTIONS.values() for a in actions}:
            return True
        if action not in _ACTIONS[self.view]:
            return False
        item = self.session.next_item() if self.session is not None else None
        if action == "choose":
            return item is not None and item.kind == "choice"
        if action == "answer_bool":
            return item is not None and item.kind == "truefalse"
        return True


def _make(state: AppState) -> TrainingScreen:
    return TrainingScreen(state.content, state.lang, state.settings.data_home)


register_screen("training", _make)
