"""The Gaps screen, for authors: grouped questions without a good answer, turned into entries.

Reading the log and grouping run in a worker (the analyser is warm by then). Accepting a
phrasing, dismissing a group or starting a draft change files, so they run in a worker
too; the knowledge base is then re-opened through ``kb.open_kb`` (a changed file changes
the content's hash, which rebuilds the index) and handed to the app (ContentEdited): the
next question is answered from the edited entry without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kb.content.load import KnowledgeBase
from kb.errors import KbError
from kb.gaps.group import Gap
from kb.gaps.log import QuestionLog
from kb.library import Library
from tui.app.keys import localize_bindings
from tui.app.messages import ContentEdited, LanguageChanged
from tui.app.screens import register_screen
from tui.app.state import AppState, state_of
from tui.app.widgets.key_footer import KeyFooter
from tui.i18n import t
from tui.question_log import logging_enabled, question_log_for_reading
from tui.safe import clean_line


@dataclass(frozen=True)
class _Pick:
    """The highlighted question: which group, which of its questions."""

    gap: Gap
    question: str


def gaps_options(gaps: list[Gap], kb: KnowledgeBase, lang: str) -> list[Option]:
    """Each group as a heading, its questions (selectable) and its closest entries."""
    options: list[Option] = []
    for number, gap in enumerate(gaps, start=1):
        when = gap.last_seen.astimezone().strftime("%Y-%m-%d %H:%M")
        heading = Text(t("gaps_group", lang, i=number, count=gap.count, when=when, langs=", ".join(gap.languages)),
                       style="bold")
        heading.append("  " + ", ".join(t(f"gaps_reason_{r}", lang) for r in gap.reasons), style="dim")
        options.append(Option(heading, disabled=True))
        for q_number, question in enumerate(gap.questions):
            options.append(Option(Text("   " + clean_line(question)), id=f"{number - 1}:{q_number}"))
        for entry_id in gap.closest:
            title = kb.entries[entry_id].question(lang) if entry_id in kb.entries else ""
            options.append(Option(Text(f"   → {clean_line(entry_id)}  {clean_line(title)}", style="dim"),
                                  disabled=True))
    return options


class EntryPickScreen(ModalScreen[str | None]):
    """Which of the closest entries a phrasing goes to: Enter picks, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, question: str, entry_ids: list[str], kb: KnowledgeBase, lang: str) -> None:
        super().__init__(id="gaps-pick")
        self.question = question
        self.entry_ids = entry_ids
        self.kb = kb
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="gaps-pick-box"):
            yield Static(clean_line(t("gaps_pick_title", self.lang, q=self.question)), id="gaps-pick-title")
            yield OptionList(*[Option(Text.assemble((clean_line(i), "bold"), "  ",
                                                    clean_line(self.kb.entries[i].question(self.lang))), id=i)
                               for i in self.entry_ids if i in self.kb.entries], id="gaps-pick-list")

    def on_mount(self) -> None:
        picker = self.query_one("#gaps-pick-list", OptionList)
        picker.highlighted = 0
        picker.focus()

    @on(OptionList.OptionSelected, "#gaps-pick-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class GapsScreen(Screen[None]):
    """The gaps of the open knowledge base; a accept, d dismiss, n draft, Esc back."""

    CSS_PATH = "gaps.tcss"
    BINDINGS = [
        Binding("a", "accept", "Accept", id="key_gaps_accept"),
        Binding("d", "dismiss_gap", "Dismiss", id="key_gaps_dismiss"),
        Binding("n", "draft", "Draft", id="key_gaps_draft"),
        Binding("escape", "leave", "Back", id="key_gaps_back"),
    ]

    def __init__(self) -> None:
        super().__init__(id="gaps")
        self.gaps: list[Gap] = []
        self.loaded = False
        self.busy = False
        self._keep: int | None = None  # where the cursor was before a reload

    @property
    def state(self) -> AppState:
        return state_of(self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="gaps-title")
        yield OptionList(id="gaps-list")
        yield Static(id="gaps-hint")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        localize_bindings(self, self.state.lang)
        self._relabel(self.state.lang)
        self.reload()

    @property
    def listing(self) -> OptionList:
        return self.query_one("#gaps-list", OptionList)

    # -- reading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the log again and regroup (after an edit, or on opening)."""
        if self.loaded:
            self._keep = self.listing.highlighted
        self.loaded = False
        self.listing.clear_options()
        self.listing.add_option(Option(Text(t("gaps_loading", self.state.lang), style="italic"), disabled=True))
        self._read()

    @work(thread=True, exclusive=True, group="gaps-read", exit_on_error=False)
    def _read(self) -> None:
        from kb.gaps.group import find_gaps

        kb = self.state.content
        if kb is None:
            return
        contents = self._log().read(datetime.now(UTC))
        gaps = find_gaps(contents, kb)
        self.app.call_from_thread(self._show, gaps, contents.problems)

    def _log(self) -> QuestionLog:
        settings = self.state.settings
        return question_log_for_reading(settings.kb_root, settings.data_home)

    def _show(self, gaps: list[Gap], problems: list[KbError]) -> None:
        for problem in problems:
            self.notify(clean_line(problem.render(self.state.lang)), severity="warning", timeout=10, markup=False)
        self.gaps = gaps
        self.loaded = True
        self._fill()

    def _fill(self) -> None:
        state = self.state
        lang = state.lang
        listing = self.listing
        keep = listing.highlighted if self._keep is None else self._keep
        self._keep = None
        listing.clear_options()
        if state.content is not None and self.gaps:
            listing.add_options(gaps_options(self.gaps, state.content, lang))
            first = next((i for i, o in enumerate(listing.options) if not o.disabled), None)
            listing.highlighted = keep if keep is not None and keep < listing.option_count and \
                not listing.get_option_at_index(keep).disabled else first
        else:
            off = not (state.settings.log_questions and logging_enabled())
            listing.add_option(Option(Text(t("gaps_logging_off" if off else "gaps_empty", lang)), disabled=True))
        self.query_one("#gaps-title", Static).update(Text(t("gaps_screen_title", lang, n=len(self.gaps)),
                                                          style="bold"))
        listing.focus()
        self.refresh_bindings()

    def _relabel(self, lang: str) -> None:
        self.query_one("#gaps-hint", Static).update(Text(t("gaps_screen_hint", lang), style="dim"))

    def on_language_changed(self, message: LanguageChanged) -> None:
        self._relabel(message.lang)
        if self.loaded:
            self._fill()

    def on_content_edited(self, message: ContentEdited) -> None:
        """The app uses the edited content now: read the gaps again against it."""
        self.busy = False
        self.reload()

    # -- what the person does ------------------------------------------------------------------

    @property
    def picked(self) -> _Pick | None:
        """The group and question under the cursor, if a question is highlighted."""
        listing = self.listing
        if listing.highlighted is None or not self.loaded:
            return None
        ident = listing.get_option_at_index(listing.highlighted).id
        if not ident or ":" not in ident:
            return None
        g, q = (int(x) for x in ident.split(":"))
        gap = self.gaps[g]
        return _Pick(gap, gap.questions[q])

    @on(OptionList.OptionHighlighted, "#gaps-list")
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#gaps-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_accept()  # Enter on a question: the common case

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "dismiss_gap", "draft"):
            return self.picked is not None and not self.busy
        return True

    def action_accept(self) -> None:
        pick = self.picked
        state = self.state
        kb = state.content
        if pick is None or kb is None or self.busy:
            return
        closest = [i for i in pick.gap.closest if i in kb.entries]
        if not closest:
            self.notify(t("gaps_no_closest", state.lang), markup=False)
            return

        def chosen(entry_id: str | None) -> None:
            if entry_id is not None:
                self._change("accept", pick, entry_id)

        self.app.push_screen(EntryPickScreen(pick.question, closest, kb, state.lang), chosen)

    def action_dismiss_gap(self) -> None:
        pick = self.picked
        if pick is not None and not self.busy:
            self._change("dismiss", pick, None)

    def action_draft(self) -> None:
        pick = self.picked
        if pick is not None and not self.busy:
            self._change("draft", pick, None)

    def action_leave(self) -> None:
        self.dismiss()

    # -- changing files ------------------------------------------------------------------------

    def _change(self, kind: str, pick: _Pick, entry_id: str | None) -> None:
        self.busy = True
        self.refresh_bindings()
        self.notify(t("gaps_working", self.state.lang), timeout=2, markup=False)
        self._apply(kind, pick, entry_id, self.state.lang)

    @work(thread=True, exclusive=True, group="gaps-edit", exit_on_error=False)
    def _apply(self, kind: str, pick: _Pick, entry_id: str | None, lang: str) -> None:
        from kb import open_kb
        from kb.gaps.review import accept_question, dismiss_gap, draft_entry

        state = self.state
        kb, log, now = state.content, self._log(), datetime.now(UTC)
        assert kb is not None
        try:
            if kind == "dismiss":
                dismiss_gap(pick.gap, log, now)
                self.app.call_from_thread(self._done, t("gaps_dismissed", lang, n=len(pick.gap.questions)), None, [])
                return
            if kind == "accept":
                assert entry_id is not None
                outcome = accept_question(kb, pick.question, entry_id, None, log, now)
                key = "gaps_accepted" if outcome.changed else "gaps_already"
                message = t(key, lang, file=outcome.path.name, line=outcome.line, q=pick.question,
                            id=outcome.entry_id, language=outcome.lang)
            else:
                outcome = draft_entry(kb, pick.gap, None, log, now)
                message = t("gaps_drafted", lang, file=outcome.path.name, id=outcome.entry_id)
            library = open_kb(state.settings.kb_root, state.settings.cache_dir)
            library.engine  # noqa: B018 - builds the changed content's index here, off the screen
        except KbError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._done, message, library, [*outcome.problems, *outcome.warnings])

    def _done(self, message: str, library: Library | None, problems: list[KbError]) -> None:
        self.notify(clean_line(message), timeout=6, markup=False)
        for problem in problems:
            self.notify(clean_line(problem.render(self.state.lang)), severity="warning", timeout=10, markup=False)
        if library is not None:
            self.app.post_message(ContentEdited(library))  # the app swaps it in, then tells us
        else:
            self.busy = False
            self.reload()

    def _failed(self, error: KbError) -> None:
        self.busy = False
        self.refresh_bindings()
        self.notify(clean_line(error.render(self.state.lang)), severity="error", timeout=12, markup=False)


def _make(state: AppState) -> GapsScreen:
    return GapsScreen()


register_screen("gaps", _make)
