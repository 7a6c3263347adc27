"""The main screen: the question box over tabs for answers, the open entry, browsing and clusters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Input, TabbedContent, TabPane

from tui.app import messages
from tui.app.keys import MAIN_BINDINGS, PANE_FOCUS, TABS
from tui.app.screens import screen_available, screen_factory
from tui.app.screens.cluster_tab import ClusterTabScreen
from tui.app.screens.entry_actions import copy_or_say, edit_request
from tui.app.widgets.answers_view import AnswersView
from tui.app.widgets.cluster_report import ClusterReport
from tui.app.widgets.entry_view import EntryView
from tui.app.widgets.glossary_browser import GlossaryBrowser
from tui.app.widgets.key_footer import KeyFooter
from tui.app.widgets.messages import EntrySelected, GlossaryRequested
from tui.app.widgets.question_input import QuestionInput
from tui.app.widgets.results_list import ResultsList
from tui.app.widgets.tag_browser import BrowsePane, TagBrowser
from tui.i18n import t, with_example
from tui.safe import clean_line

if TYPE_CHECKING:
    from textual.widgets import Markdown


class MainScreen(ClusterTabScreen):
    """Asking, reading, browsing and cluster checks; what they show comes from the app state."""

    BINDINGS = MAIN_BINDINGS

    def __init__(self) -> None:
        super().__init__(id="main")
        self._linked = False  # the deep links (--ask, --show, a cluster file) were followed
        self._panes_mounted = False  # the tabs not shown first are filled after the first frame

    def _placeholder(self, lang: str) -> str:
        return with_example("question_placeholder", lang, clean_line(self.state.profile.sample(lang)))

    def compose(self) -> ComposeResult:
        lang = self.state.lang
        yield QuestionInput(placeholder=self._placeholder(lang), id="question")
        with TabbedContent(id="tabs", initial="ask"):
            with TabPane(t("tab_ask", lang), id="ask"):
                yield AnswersView(id="answers")
            for tab in TABS[1:]:  # filled after the first frame (_mount_panes): only Ask is seen first
                yield TabPane(t(f"tab_{tab}", lang), id=tab)
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.question.cursor_blink = self.state.settings.cursor_blink
        if self.state.settings.cluster_file is None:
            self.tabs.hide_tab("cluster")  # until the content is known to link a validator
        self.question.focus()
        # Two frames on: the footer fills its keys in a callback after the first refresh too, and
        # filling the tabs in that same round kept the footer off the screen until they were in.
        self.call_after_refresh(self.call_after_refresh, self._mount_panes)

    async def _mount_panes(self) -> None:
        """Fill the tabs not shown first, once the first frame is drawn, then ask for the content
        (reading it in a thread would take turns with drawing the first screen)."""
        lang = self.state.lang
        await self.query_one("#entry", TabPane).mount(EntryView(lang, id="entry-view"))
        await self.query_one("#browse", TabPane).mount(BrowsePane(lang))
        await self.query_one("#glossary", TabPane).mount(GlossaryBrowser(id="glossary"))
        await self.query_one("#cluster", TabPane).mount(ClusterReport(id="cluster-report"))
        self.query_one(ClusterReport).show_hint(lang)
        self._panes_mounted = True
        self.app.post_message(messages.ContentRequested())

    # -- parts ------------------------------------------------------------------------------

    @property
    def question(self) -> QuestionInput:
        return self.query_one("#question", QuestionInput)

    @property
    def answers(self) -> AnswersView:
        return self.query_one(AnswersView)

    @property
    def results(self) -> ResultsList:
        return self.query_one("#results", ResultsList)

    @property
    def entry_view(self) -> EntryView:
        return self.query_one(EntryView)

    @property
    def _entry_shown(self) -> str | None:  # the entry on the Entry tab (None before it is filled)
        return self.entry_view.entry_id if self._panes_mounted else None

    # -- what the app tells the screen --------------------------------------------------------

    async def on_content_loaded(self, message: messages.ContentLoaded) -> None:
        """The knowledge base is in (the index may still be opening): show it, then the deep links.

        Again after an edit: the open entry is shown as it now reads.
        """
        self._show_content()
        self.answers.show_progress(self.question.value)
        kb = self.state.content
        if self._linked:
            shown = self.entry_view.entry_id
            if kb is not None and shown is not None and shown in kb.entries:
                await self._show_entry(shown, keep_values=True)
            self.app.post_message(messages.ContentShown())
            return
        self._linked = True
        settings = self.state.settings
        if settings.ask:
            self.question.set_question(settings.ask)
        if settings.show:
            await self.open_entry(settings.show)
        if settings.cluster_file is not None:
            self._check_cluster(settings.cluster_file)
        self.app.post_message(messages.ContentShown())

    @on(messages.EngineReady)
    @on(messages.EngineFailed)
    def _engine_settled(self) -> None:
        """The index is open (answer what has been typed meanwhile), or it could not be."""
        self.answers.show_progress(self.question.value)

    async def on_bookmarks_changed(self, message: messages.BookmarksChanged) -> None:
        state = self.state
        assert state.content is not None  # bookmarks change only once the content is in
        self.query_one(TagBrowser).populate(state.content, state.lang, state.bookmarks)
        if self.entry_view.entry_id == message.entry_id:
            await self._show_entry(message.entry_id, keep_values=True)

    async def on_language_changed(self, message: messages.LanguageChanged) -> None:
        """Relabel everything and re-render content in the new language, keeping what was typed."""
        state, lang = self.state, message.lang
        for tab in TABS:
            self.tabs.get_tab(tab).label = t(f"tab_{tab}", lang)
        self.question.placeholder = self._placeholder(lang)
        self.answers.show_progress(self.question.value)
        if not self._panes_mounted:
            return  # they are made in the language of the moment
        self.query_one(BrowsePane).relabel(lang)
        self.query_one(ClusterReport).relabel(lang)
        kb = state.content
        if kb is None:
            return
        self._show_content()
        shown = self.entry_view.entry_id
        if shown is not None and shown in kb.entries:
            await self._show_entry(shown, keep_values=True)
        elif shown is None:
            await self.entry_view.show_nothing(lang)

    def _show_content(self) -> None:
        state = self.state
        assert state.content is not None
        self.query_one(TagBrowser).populate(state.content, state.lang, state.bookmarks)
        self.query_one(GlossaryBrowser).populate(state.content, state.lang)
        self._offer_cluster_tab()
        self.refresh_bindings()

    # -- asking ------------------------------------------------------------------------------

    @on(Input.Changed, "#question")
    def _question_changed(self, event: Input.Changed) -> None:
        # Typing shows the answers; a deep link keeps its tab.
        if event.value.strip() and self.question.has_focus:
            self.tabs.active = "ask"
        self.answers.question_changed(event.value)

    @on(Input.Submitted, "#question")
    def _question_submitted(self, event: Input.Submitted) -> None:
        self.answers.question_submitted(event.value)

    @property
    def searching(self) -> bool:
        """Whether a search is waiting for typing to pause or running (tests and benches poll it)."""
        return self.answers.searching

    @on(AnswersView.Chosen)
    def _answer_chosen(self, event: AnswersView.Chosen) -> None:
        event.stop()
        results = event.results
        if results.confident and results.rows:
            self.call_later(self.open_entry, results.rows[0].id)
        else:
            self.tabs.active = "ask"
            self.results.display = True
            self.results.focus()

    # -- reading -----------------------------------------------------------------------------

    async def open_entry(self, entry_id: str, record: bool = True) -> None:
        """Show ``entry_id`` on the Entry tab (a step in the history unless ``record`` is False)."""
        state = self.state
        if state.content is None:
            return
        entry = state.content.entries.get(entry_id)
        if entry is None:
            self.notify(clean_line(t("unknown_entry", state.lang, id=entry_id)), severity="error", markup=False)
            return
        if record:
            state.history.visit(entry_id)
            self.app.post_message(messages.EntryOpened(entry_id, self.answers.shown))
        self.tabs.active = "entry"
        # The same entry again (a late answer, the palette): what was typed in its calculators stays.
        await self._show_entry(entry_id, keep_values=entry_id == self.entry_view.entry_id)
        self.entry_view.focus()
        self.refresh_bindings()

    async def _show_entry(self, entry_id: str, keep_values: bool = False) -> None:
        state = self.state
        assert state.content is not None
        await self.entry_view.show(state.content, state.content.entries[entry_id], state.lang,
                                   question=self.question.value, bookmarked=entry_id in state.bookmarks,
                                   keep_values=keep_values)

    @on(events.DescendantBlur)
    def _left_box(self, event: events.DescendantBlur) -> None:
        shown = self.answers.shown
        if event.widget is self.question and shown is not None and shown.query == self.question.value:
            self.app.post_message(messages.QuestionSettled(shown))  # its answers were looked at

    async def on_content_edited(self, message: messages.ContentEdited) -> None:
        """An entry was edited (Gaps screen): show the new content, answer the question again."""
        kb = self.state.content
        assert kb is not None
        self._show_content()
        self.answers.show_progress(self.question.value)
        shown = self.entry_view.entry_id
        if shown is not None and shown in kb.entries:
            await self._show_entry(shown, keep_values=True)

    @on(EntrySelected)
    async def _entry_selected(self, event: EntrySelected) -> None:
        event.stop()
        await self.open_entry(event.entry_id)

    @on(GlossaryRequested)
    def _glossary_requested(self, event: GlossaryRequested) -> None:
        event.stop()
        self.tabs.active = "glossary"
        self.query_one("#glossary-terms").focus()

    # By its handler's name, so that the Markdown widget (markdown-it) loads with the first entry
    # shown, not before the first screen.
    async def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        kb = self.state.content
        target = event.href.removeprefix("faq:").strip("/")
        if kb is not None and target in kb.entries:
            await self.open_entry(target)
        else:  # never opened by itself: a link in content is only shown
            self.notify(clean_line(t("link_not_opened", self.state.lang, href=event.href)), markup=False)

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.state
        # Keys that cannot act now are hidden, not greyed: the footer is short at 80 columns.
        if action == "back":
            return state.history.can_back
        if action == "forward":
            return state.history.can_forward
        if action in ("bookmark", "copy_answer", "copy_command", "edit"):
            return bool(self._entry_shown) and self.tabs.active == "entry"
        if action == "copy_figure":
            return self.tabs.active == "entry" and bool(self._entry_shown) and self.entry_view.figure() is not None
        if action == "problems":
            return state.content is not None and bool(state.content.problems)
        if action in ("open_cluster", "open_cluster_quietly") or (action == "show_tab" and parameters == ("cluster",)):
            if not self.cluster_offered:
                return False
        if action in ("open_cluster", "training") and self.tabs.active == "entry" and self._entry_shown:
            return False  # the entry's own keys take the footer; o and t still work (below)
        if action in ("training", "training_quietly"):
            return state.content is not None and screen_available("training")
        if action == "gaps":
            return state.content is not None
        return True

    def action_focus_question(self) -> None:
        self.question.focus()

    def action_leave(self) -> None:
        """Esc only backs out: from the question box or a calculator's field to what the tab shows.

        It never goes back to the question box (``/`` does): pressed twice it would toggle,
        and the next key would be typed into the box.
        """
        focused = self.focused
        if focused is self.question:
            self._focus_pane()
        elif isinstance(focused, Input) and self._panes_mounted and focused in self.entry_view.query(Input):
            self.entry_view.focus()
        elif isinstance(focused, Input) and focused.id in ("browse-filter", "glossary-filter"):
            self._focus_pane()  # from a list's filter to the list, the filter kept

    def _focus_pane(self) -> None:
        """Focus what the open tab shows (its list, tree or text), else the tab bar."""
        found = self.query(PANE_FOCUS.get(self.tabs.active or "ask", "#results"))
        target = found.first() if found else None
        if target is not None and target.display and target.focusable:
            target.focus()
        else:
            self.tabs.query_one("Tabs").focus()

    def action_focus_results(self) -> None:
        if self.focused is self.question and self.tabs.active == "ask" and self.results.display:
            self.results.focus()

    def action_show_tab(self, tab: str) -> None:
        self.tabs.active = tab
        self._focus_pane()

    async def action_back(self) -> None:
        await self._revisit(self.state.history.back(), "history_start")

    async def action_forward(self) -> None:
        await self._revisit(self.state.history.forward(), "history_end")

    async def _revisit(self, place: str | None, nowhere: str) -> None:
        if place is None:
            self.notify(t(nowhere, self.state.lang), markup=False)
        else:
            await self.open_entry(place, record=False)

    def action_bookmark(self) -> None:
        entry_id = self._entry_shown
        if entry_id is not None and self.state.content is not None:
            self.app.post_message(messages.BookmarkToggled(entry_id))

    def action_training_quietly(self) -> None:
        self.action_training()

    def action_problems(self) -> None:
        kb = self.state.content
        if kb is not None and kb.problems:
            from tui.app.screens.problems import ProblemsScreen

            self.app.push_screen(ProblemsScreen(kb, self.state.lang))

    def action_training(self) -> None:
        """Open the Training screen; one left with a session under way is shown again as it was."""
        app = self.app
        if not app.is_screen_installed("training"):
            factory = screen_factory("training")
            if factory is None:
                self.notify(t("training_unavailable", self.state.lang), markup=False)
                return
            app.install_screen(factory(self.state), "training")
        app.push_screen("training")

    # -- copy and edit ----------------------------------------------------------------------

    def _copy(self, text: str | None, what: str, missing: str) -> None:
        copy_or_say(self.app, text, what, missing, self.state.lang)

    def action_copy_answer(self) -> None:
        self._copy(self.entry_view.answer_markdown(), "copied_answer", "nothing_to_copy")

    def action_copy_command(self) -> None:
        self._copy(self.entry_view.first_command(), "copied_command", "no_command")

    def action_copy_figure(self) -> None:
        self._copy(self.entry_view.figure(), "copied_figure", "no_figure")

    def action_edit(self) -> None:
        """Open the entry's file in the person's editor at its answer; the app reloads it after."""
        request = edit_request(self.state.content, self._entry_shown, self.state.lang)
        if request is not None:
            self.app.post_message(request)

    def action_gaps(self) -> None:
        factory = screen_factory("gaps")
        if factory is not None and self.state.content is not None:
            self.app.push_screen(factory(self.state))

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
