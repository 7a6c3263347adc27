"""The main screen: the question box over tabs for answers, the open entry, browsing and clusters."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Markdown, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from tui.app.screens import screen_available, screen_factory
from tui.app.widgets.cluster_report import ClusterReport
from tui.app.widgets.entry_view import EntryView
from tui.app.widgets.glossary_browser import GlossaryBrowser
from tui.app.widgets.messages import EntrySelected, GlossaryRequested, TermSelected
from tui.app.widgets.question_input import QuestionInput
from tui.app.widgets.results_list import Results, ResultsList, build_results
from tui.app.widgets.tag_browser import TagBrowser
from tui.i18n import t
from tui.safe import clean_line

if TYPE_CHECKING:
    from tui.app.app import FaqApp

TABS = ("ask", "entry", "browse", "glossary", "cluster")
# Back and forward share one footer label when both can act: the footer is short at 80 columns.
_HISTORY = Binding.Group("key_history", compact=True)
# What takes the focus when a tab is opened from the keyboard.
_PANE_FOCUS = {"ask": "#results", "entry": "#entry-view", "browse": "#browse-tree",
               "glossary": "#glossary-terms", "cluster": "#cluster-findings"}
TOP = 6


class MainScreen(Screen[None]):
    """Asking, reading, browsing and cluster checks; the app's state lives on the app."""

    BINDINGS = [
        Binding("slash,ctrl+l", "focus_question", "Ask", id="key_focus"),
        Binding("left_square_bracket,alt+left", "back", "Back", id="key_back", group=_HISTORY),
        Binding("right_square_bracket,alt+right", "forward", "Forward", id="key_forward", group=_HISTORY),
        Binding("b", "bookmark", "Bookmark", id="key_bookmark"),
        Binding("o", "open_cluster", "Cluster", id="key_cluster"),
        Binding("f8", "problems", "Problems", id="key_problems"),
        Binding("t", "training", "Training", id="key_training"),
        *[Binding(str(n), f"show_tab('{tab}')", show=False, id="key_tabs")
          for n, tab in enumerate(TABS, start=1)],
        Binding("escape", "leave_or_return", show=False),
        Binding("down", "focus_results", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="main")
        self._debounce: Timer | None = None
        self._generation = 0
        self._results: Results | None = None
        self._open_when_ready = False
        self._search_pending = False

    @property
    def faq(self) -> FaqApp:
        return cast("FaqApp", self.app)

    def compose(self) -> ComposeResult:
        lang = self.faq.lang
        yield QuestionInput(placeholder=t("question_placeholder", lang), id="question")
        with TabbedContent(id="tabs", initial="ask"):
            with TabPane(t("tab_ask", lang), id="ask"):
                yield Static("", id="ask-status")
                yield ResultsList(id="results")
            with TabPane(t("tab_entry", lang), id="entry"):
                yield EntryView(lang, id="entry-view")
            with TabPane(t("tab_browse", lang), id="browse"):
                yield TagBrowser(id="browse-tree")
            with TabPane(t("tab_glossary", lang), id="glossary"):
                yield GlossaryBrowser(id="glossary")
            with TabPane(t("tab_cluster", lang), id="cluster"):
                yield ClusterReport(id="cluster-report")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        lang = self.faq.lang
        self.question.cursor_blink = self.faq.settings.cursor_blink
        self._status(Text(t("status_loading", lang), style="italic"))
        self.results.display = False
        self.query_one(ClusterReport).show_hint(lang)
        self.question.focus()
        self.faq.start_loading()  # only now: what loads is shown on this screen

    # -- parts ------------------------------------------------------------------------------

    @property
    def question(self) -> QuestionInput:
        return self.query_one("#question", QuestionInput)

    @property
    def results(self) -> ResultsList:
        return self.query_one("#results", ResultsList)

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#tabs", TabbedContent)

    @property
    def entry_view(self) -> EntryView:
        return self.query_one(EntryView)

    def _status(self, text: Text) -> None:
        self.query_one("#ask-status", Static).update(text)

    def _welcome(self) -> None:
        lang = self.faq.lang
        self._status(Text.assemble(t("welcome", lang), "\n", (t("welcome_keys", lang), "dim")))
        self.results.display = False

    # -- what the app tells the screen --------------------------------------------------------

    def content_loaded(self) -> None:
        """The knowledge base is in (the index may still be opening)."""
        app = self.faq
        assert app.kb is not None
        self._status(Text(t("status_indexing", app.lang), style="italic"))
        self.query_one(TagBrowser).populate(app.kb, app.lang, app.bookmarks)
        self.query_one(GlossaryBrowser).populate(app.kb, app.lang)
        self.refresh_bindings()

    def engine_ready(self) -> None:
        """The index is open: answer what has been typed meanwhile."""
        if self.question.value.strip():
            self._start_search()
        else:
            self._welcome()

    def engine_failed(self, message: str) -> None:
        self._status(Text(clean_line(t("index_failed", self.faq.lang, error=message)), style="bold red"))

    def bookmarks_changed(self) -> None:
        app = self.faq
        if app.kb is not None:
            self.query_one(TagBrowser).populate(app.kb, app.lang, app.bookmarks)

    async def apply_language(self, lang: str) -> None:
        """Relabel everything and re-render content in ``lang``, keeping what was typed."""
        app = self.faq
        for tab in TABS:
            self.tabs.get_tab(tab).label = t(f"tab_{tab}", lang)
        self.question.placeholder = t("question_placeholder", lang)
        report = self.query_one(ClusterReport)
        if app.kb is not None:
            report.titles = {k: app.kb.entries[k].question(lang) for k in report.titles if k in app.kb.entries}
        report.relabel(lang)
        if app.kb is None:
            self._status(Text(t("status_loading", lang), style="italic"))
            return
        self.content_loaded()
        if app.engine is not None:
            self.engine_ready()
        elif app.engine_error is not None:
            self.engine_failed(app.engine_error)
        view = self.entry_view
        if view.entry_id is not None and view.entry_id in app.kb.entries:
            await view.show(app.kb, app.kb.entries[view.entry_id], lang, question=self.question.value,
                            bookmarked=view.entry_id in app.bookmarks, keep_values=True)
        elif view.entry_id is None:
            await view.show_nothing(lang)

    # -- asking ------------------------------------------------------------------------------

    @on(Input.Changed, "#question")
    def _question_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._search_pending = False
        self._generation += 1  # whatever is in flight is now stale
        self._open_when_ready = False
        if not event.value.strip():
            if self.faq.engine is not None:
                self._welcome()
            return
        if self.question.has_focus:  # typing shows the answers; a deep link keeps its tab
            self.tabs.active = "ask"
        if self.faq.settings.debounce <= 0:
            self._start_search()
            return
        self._search_pending = True
        self._debounce = self.set_timer(self.faq.settings.debounce, self._start_search)

    @on(Input.Submitted, "#question")
    def _question_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        results = self._results
        if results is not None and results.query == event.value and not self._search_pending:
            self._open_best(results)
            return
        self._open_when_ready = True
        if self._search_pending:
            self._start_search()  # no need to wait for more typing

    def _start_search(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()  # called early (Enter, index ready): the timer's turn is taken
            self._debounce = None
        self._search_pending = False
        app = self.faq
        query = self.question.value
        if app.engine is None:
            return  # engine_ready will search
        self._generation += 1
        self._search(query, self._generation, app.lang)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, generation: int, lang: str) -> None:
        app = self.faq
        engine, kb = app.engine, app.kb
        if engine is None or kb is None:
            return
        with app.engine_lock:
            if get_current_worker().is_cancelled or generation != self._generation:
                return  # a newer question was typed while this one waited
            # While typing, the last word may be half a word ("netw", "ライブマ").
            result = engine.ask(query, top=TOP, lang=lang, partial=True)
        results = build_results(kb, result, lang)
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self._show_results, generation, results, lang)

    @property
    def searching(self) -> bool:
        """Whether a search is waiting for typing to pause or running (tests and benches poll it)."""
        return self._search_pending or any(w.group == "search" and w.node is self and not w.is_finished
                                            for w in self.workers)

    def _show_results(self, generation: int, results: Results, lang: str) -> None:
        if generation != self._generation or lang != self.faq.lang:
            return  # stale: the question or the language changed meanwhile
        previous = self._results
        if not results.confident and not self._open_when_ready and previous is not None \
                and previous.confident and _extends_word(previous.query, results.query):
            return  # a word is being typed on: keep the last answer rather than flicker
        self._results = results
        self.results.display = True
        # Without a confident answer the list itself says so, above the closest entries.
        self._status(Text(t("status_results", lang, n=len(results.rows)), style="dim")
                     if results.confident else Text(""))
        self.results.show_results(results, lang)
        if self._open_when_ready:
            self._open_when_ready = False
            self._open_best(results)

    def _open_best(self, results: Results) -> None:
        if results.confident and results.rows:
            self.call_later(self.open_entry, results.rows[0].id)
        else:
            self.tabs.active = "ask"
            self.results.display = True
            self.results.focus()

    # -- reading -----------------------------------------------------------------------------

    async def open_entry(self, entry_id: str, record: bool = True) -> None:
        """Show ``entry_id`` on the Entry tab (a step in the history unless ``record`` is False)."""
        app = self.faq
        if app.kb is None:
            return
        entry = app.kb.entries.get(entry_id)
        if entry is None:
            self.notify(clean_line(t("unknown_entry", app.lang, id=entry_id)), severity="error")
            return
        if record:
            app.history.visit(entry_id)
        self.tabs.active = "entry"
        await self.entry_view.show(app.kb, entry, app.lang, question=self.question.value,
                                   bookmarked=entry_id in app.bookmarks)
        self.entry_view.focus()
        self.refresh_bindings()

    @on(EntrySelected)
    async def _entry_selected(self, event: EntrySelected) -> None:
        event.stop()
        await self.open_entry(event.entry_id)

    @on(TermSelected)
    def _term_selected(self, event: TermSelected) -> None:
        event.stop()
        self.faq.show_term(event.term_id)

    @on(GlossaryRequested)
    def _glossary_requested(self, event: GlossaryRequested) -> None:
        event.stop()
        self.tabs.active = "glossary"
        self.query_one("#glossary-terms").focus()

    @on(Markdown.LinkClicked)
    async def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        app = self.faq
        target = event.href.removeprefix("faq:").strip("/")
        if app.kb is not None and target in app.kb.entries:
            await self.open_entry(target)
        else:  # never opened by itself: a link in content is only shown
            self.notify(clean_line(t("link_not_opened", app.lang, href=event.href)))

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app = self.faq
        # Keys that cannot act now are hidden, not greyed: the footer is short at 80 columns.
        if action == "back":
            return app.history.can_back
        if action == "forward":
            return app.history.can_forward
        if action == "bookmark":
            return bool(self.entry_view.entry_id) and self.tabs.active == "entry"
        if action == "problems":
            return app.kb is not None and bool(app.kb.problems)
        if action == "training":
            return app.kb is not None and screen_available("training")
        return True

    def action_focus_question(self) -> None:
        self.question.focus()

    def action_leave_or_return(self) -> None:
        """Esc in the question box goes to what the open tab shows; anywhere else, back to the box."""
        if self.focused is not self.question:
            self.question.focus()
            return
        self._focus_pane()

    def _focus_pane(self) -> None:
        """Focus what the open tab shows (its list, tree or text), else the tab bar."""
        target = self.query_one(_PANE_FOCUS.get(self.tabs.active or "ask", "#results"))
        if target.display and target.focusable:
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
        place = self.faq.history.back()
        if place is None:
            self.notify(t("history_start", self.faq.lang))
            return
        await self.open_entry(place, record=False)

    async def action_forward(self) -> None:
        place = self.faq.history.forward()
        if place is None:
            self.notify(t("history_end", self.faq.lang))
            return
        await self.open_entry(place, record=False)

    async def action_bookmark(self) -> None:
        app = self.faq
        entry_id = self.entry_view.entry_id
        if entry_id is None or app.kb is None:
            return
        added = app.toggle_bookmark(entry_id)
        if added is None:
            return
        title = clean_line(app.kb.entries[entry_id].question(app.lang))
        self.notify(t("bookmark_added" if added else "bookmark_removed", app.lang, title=title))
        await self.entry_view.show(app.kb, app.kb.entries[entry_id], app.lang, question=self.question.value,
                                   bookmarked=added, keep_values=True)

    def action_open_cluster(self) -> None:
        self.faq.choose_cluster_file()

    def action_problems(self) -> None:
        self.faq.show_problems()

    def action_training(self) -> None:
        factory = screen_factory("training")
        if factory is None:
            self.notify(t("training_unavailable", self.faq.lang))
            return
        self.app.push_screen(factory(self.app))

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()


def _extends_word(before: str, now: str) -> bool:
    """Whether ``now`` is ``before`` with more letters of the same (last) word typed."""
    return len(now) > len(before) and now.startswith(before) and not any(c.isspace() for c in now[len(before):])
