"""The Ask tab: a status line over the answers to the question typed, searched once typing pauses."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from tui.app.state import state_of
from tui.app.widgets.results_list import Results, ResultsList, build_results
from tui.i18n import t
from tui.safe import clean_line

TOP = 6


class AnswersView(Vertical):
    """Asks the knowledge base off the UI thread and shows only the latest question's answers."""

    class Chosen(Message):
        """Enter asked for the best answer to ``results.query`` (it may have arrived only now)."""

        def __init__(self, results: Results) -> None:
            super().__init__()
            self.results = results

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._generation = 0
        self._debounce: Timer | None = None
        self._pending = False  # a search waits for typing to pause
        self._open_when_ready = False
        self.shown: Results | None = None  # the answers on screen
        self._status: Text | None = None  # the status line shown

    def compose(self) -> ComposeResult:
        yield Static("", id="ask-status")
        yield ResultsList(id="results")

    def on_mount(self) -> None:
        self.query_one(ResultsList).display = False
        self.show_progress("")

    def show_progress(self, question: str) -> None:
        """Say how far loading is, from the state; once the index is open, answer ``question``."""
        state = state_of(self.app)
        lang = state.lang
        if state.content is None:
            self.show_status(Text(t("status_loading", lang), style="italic"))
        elif state.engine_error is not None:
            self.show_status(Text(clean_line(t("index_failed", lang, error=state.engine_error)), style="bold red"))
        elif state.engine is None:
            self.show_status(Text(t("status_indexing", lang), style="italic"))
        elif question.strip():
            self.search(question)
        else:
            self.show_welcome(lang)

    def show_status(self, text: Text) -> None:
        if text == self._status:
            return  # the same line again (each answer to a word typed on): no layout to redo
        self._status = text
        self.query_one("#ask-status", Static).update(text)

    def show_welcome(self, lang: str) -> None:
        self.show_status(Text.assemble(t("welcome", lang), "\n", (t("welcome_keys", lang), "dim")))
        self.query_one(ResultsList).display = False

    # -- the question ---------------------------------------------------------------------------

    def question_changed(self, query: str) -> None:
        """The question is now ``query``: search once typing pauses; what is in flight is stale."""
        self._stop_waiting()
        self._generation += 1
        self._open_when_ready = False
        state = state_of(self.app)
        if not query.strip():
            if state.engine is not None:
                self.show_welcome(state.lang)
            return
        if state.settings.debounce <= 0:
            self.search(query)
            return
        self._pending = True
        self._debounce = self.set_timer(state.settings.debounce, lambda: self.search(query))

    def question_submitted(self, query: str) -> None:
        """Enter: the best answer is Chosen now if it is shown, else as soon as it arrives."""
        if not query.strip():
            return
        if self.shown is not None and self.shown.query == query and not self._pending:
            self.post_message(self.Chosen(self.shown))
            return
        self._open_when_ready = True
        if self._pending:
            self.search(query)  # no need to wait for more typing

    def search(self, query: str) -> None:
        """Search for ``query`` now (once the index is open); what an earlier search finds is dropped."""
        self._stop_waiting()
        state = state_of(self.app)
        if state.engine is None:
            return  # the screen searches again when the engine is ready
        self._generation += 1
        self._search(query, self._generation, state.lang)

    def _stop_waiting(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()  # called early (Enter, index ready): the timer's turn is taken
            self._debounce = None
        self._pending = False

    @property
    def searching(self) -> bool:
        """Whether a search is waiting for typing to pause or running."""
        return self._pending or any(w.group == "search" and w.node is self and not w.is_finished
                                    for w in self.workers)

    # -- the search -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, generation: int, lang: str) -> None:
        state = state_of(self.app)
        library, kb = state.library, state.content
        if state.engine is None or library is None or kb is None:
            return
        with state.engine_lock:
            if get_current_worker().is_cancelled or generation != self._generation:
                return  # a newer question was typed while this one waited
            # While typing, the last word may be half a word ("netw", "ライブマ").
            result = library.ask(query, top=TOP, lang=lang, partial=True)
        results = build_results(kb, result, lang)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_results, generation, results, lang)

    def _show_results(self, generation: int, results: Results, lang: str) -> None:
        if generation != self._generation or lang != state_of(self.app).lang:
            return  # stale: the question or the language changed meanwhile
        previous = self.shown
        if not results.confident and not self._open_when_ready and previous is not None \
                and previous.confident and _extends_word(previous.query, results.query):
            return  # a word is being typed on: keep the last answer rather than flicker
        self.shown = results
        listed = self.query_one(ResultsList)
        if not listed.display:
            listed.display = True
        # Without a confident answer the list itself says so, above the closest entries.
        self.show_status(Text(t("status_results", lang, n=len(results.rows)), style="dim")
                         if results.confident else Text(""))
        listed.show_results(results, lang)
        if self._open_when_ready:
            self._open_when_ready = False
            self.post_message(self.Chosen(results))


def _extends_word(before: str, now: str) -> bool:
    """Whether ``now`` is ``before`` with more letters of the same (last) word typed."""
    return len(now) > len(before) and now.startswith(before) and not any(c.isspace() for c in now[len(before):])
