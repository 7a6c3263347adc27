"""The start form: who trains, how many items, which tag or a placement quiz; what is due now."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Select, Static

from kb.content.load import KnowledgeBase
from kb.errors import InputError, KbError
from kb.training import (
    ProgressStore,
    TrainingItem,
    build_report,
    collect_items,
    open_store,
    start_session,
    validate_profile,
)
from kb.training.session import DEFAULT_COUNT
from tui.app.widgets.training.messages import SessionStarted
from tui.app.widgets.training.view import TrainingView, local_time
from tui.i18n import t
from tui.safe import clean, clean_line


class TickBox(Checkbox):
    """A checkbox whose mark is there only when it is checked.

    Textual draws an X in every checkbox and tells on from off by colour alone; focused, the
    highlighted X reads as checked. Here an unchecked box is empty and a checked one holds ✓
    (``BUTTON_INNER`` is Textual's public knob for the mark).
    """

    BUTTON_INNER = " "

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.BUTTON_INNER = "✓" if event.value else " "
        self.refresh()


class SetupView(TrainingView):
    """Opens the progress file, shows what is due and new, and starts a session (SessionStarted)."""

    ACTIONS = frozenset({"start", "leave"})

    def __init__(self, kb: KnowledgeBase | None, lang: str, path: Path, profile: str) -> None:
        super().__init__(lang, id="tr-start")
        self.kb = kb
        self.path = path
        self.profile = profile
        self.store: ProgressStore | None = None
        self._items: list[TrainingItem] = []  # for the counts; generated numbers do not matter
        self._opening = False
        self._message: tuple[str, dict[str, object]] | None = None  # (key, values) under Start
        self._started = False  # a session was started and the screen has yet to show it

    def compose(self) -> ComposeResult:
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
            yield Select(self._tag_options(), id="tr-tag", compact=True, prompt=t("tr_all_tags", self.lang))
        yield TickBox(id="tr-placement", compact=True)
        yield Static(id="tr-message")
        yield Button(id="tr-start-button", compact=True)

    def on_mount(self) -> None:
        self._opening = True
        self._open_store()

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def set_language(self, lang: str) -> None:
        super().set_language(lang)
        select = self.query_one("#tr-tag", Select)
        value = select.value
        select.set_options(self._tag_options())
        select.prompt = t("tr_all_tags", lang)
        if value is not Select.NULL:
            select.value = value

    def _tag_options(self) -> list[tuple[Text, str]]:
        if self.kb is None:
            return []
        used = {tag for e in self.kb.entries.values() for tag in e.tags}
        known = [tag for tag in self.kb.tags if tag in used] + sorted(used - set(self.kb.tags))
        labels = {tag: self.kb.tags[tag].label.get(self.lang, tag) if tag in self.kb.tags else tag
                  for tag in known}
        return [(Text(clean_line(labels[tag])), tag) for tag in known]

    # -- the progress file --------------------------------------------------------------------

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
        if self.display:
            self.refresh_view()

    def _store_failed(self, exc: Exception) -> None:
        self._opening = False
        error = exc.message_in(self.lang) if isinstance(exc, KbError) else str(exc)
        self._message = ("tr_store_error", {"error": error})
        if self.is_attached and self.display:
            self.refresh_view()

    # -- the form ---------------------------------------------------------------------------

    def show_form(self) -> None:
        """Show the form, ready to start (again)."""
        self._started = False
        self.refresh_view()

    def refresh_view(self) -> None:
        lang = self.lang
        self.show_text("#tr-title", Text(t("tr_title", lang), style="bold"))
        self.show_text("#tr-profile-label", t("tr_profile", lang))
        self.show_text("#tr-count-label", t("tr_count", lang))
        self.show_text("#tr-tag-label", t("tr_tag", lang))
        self.query_one("#tr-placement", Checkbox).label = Text(t("tr_placement", lang))
        self.query_one("#tr-count", Input).disabled = self.query_one("#tr-placement", Checkbox).value
        failed = self._message is not None and self._message[0] == "tr_store_error"
        button = self.query_one("#tr-start-button", Button)
        button.label = Text(t("tr_retry" if failed and self.store is None else "tr_start", lang))
        self.show_text("#tr-counts", self._counts_text())
        message = Text("")
        if self._message is not None:
            key, values = self._message
            message = Text(clean(t(key, lang, **values)), style="bold red" if failed else "")
        self.show_text("#tr-message", message)

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

    def _profile_value(self) -> str | None:
        """The profile typed, or None (with the reason shown at the field) if it is not a name."""
        text = self.query_one("#tr-profile", Input).value.strip()
        try:
            name = validate_profile(text)
        except InputError as exc:
            self.show_text("#tr-profile-error", clean_line(exc.message_in(self.lang)))
            return None
        self.show_text("#tr-profile-error", "")
        return name

    def _tag_value(self) -> str | None:
        value = self.query_one("#tr-tag", Select).value
        return value if isinstance(value, str) else None

    def _count_value(self) -> int | None:
        text = self.query_one("#tr-count", Input).value.strip()
        count = int(text) if text.isdigit() else 0
        if count < 1:
            self.show_text("#tr-count-error", t("tr_count_error", self.lang))
            return None
        self.show_text("#tr-count-error", "")
        return count

    @on(Input.Changed, "#tr-profile")
    @on(Select.Changed, "#tr-tag")
    @on(Checkbox.Changed, "#tr-placement")
    def _form_changed(self) -> None:
        if self._message is not None and self._message[0] != "tr_store_error":
            self._message = None  # "nothing due" was about the form as it was
        if self.display:
            self.refresh_view()

    @on(Input.Submitted, "#tr-profile")
    @on(Input.Submitted, "#tr-count")
    @on(Button.Pressed, "#tr-start-button")
    def _start_pressed(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.start()

    def start(self) -> None:
        """Start a session with what the form says (or try the progress file again)."""
        if self.kb is None or self._started:
            return
        if self.store is None:
            if not self._opening:
                self._message = None
                self._opening = True
                self.refresh_view()
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
            self.refresh_view()
            return
        if not session.queue:
            later = [due for due in dues if due > now]
            self._message = (("tr_nothing_next", {"when": local_time(min(later))}) if later
                             else ("tr_nothing", {}))
            self.refresh_view()
            return
        self.profile = profile
        self._message = None
        self._started = True
        self.post_message(SessionStarted(session))
