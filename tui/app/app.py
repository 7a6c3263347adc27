"""The faq-assistant terminal app: the factory, the state every screen shares, app-wide keys."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from kb.content.load import KnowledgeBase, load_kb
from kb.errors import ContentError, KbError
from tui import paths
from tui.app.bookmarks import load_bookmarks, save_bookmarks, set_aside, toggled
from tui.app.history import History
from tui.app.screens import screen_available
from tui.app.screens.cluster_open import ClusterOpenScreen
from tui.app.screens.commands import KnowledgeCommands
from tui.app.screens.help import HelpScreen
from tui.app.screens.main import MainScreen
from tui.app.screens.problems import ProblemsScreen
from tui.app.screens.term import TermScreen
from tui.app.widgets.cluster_report import ClusterReport
from tui.app.widgets.line_breaks import enable_cjk_line_breaks
from tui.i18n import MESSAGES, t
from tui.safe import clean_line

if TYPE_CHECKING:  # Whoosh and the validator load in workers, after the first screen is drawn
    from kb.checks import Report
    from kb.retrieval.engine import Engine

BOOKMARKS_FILE = "bookmarks.json"
DEBOUNCE_SECONDS = 0.15
# A question that loads the morphological analyser and the index's hot paths before anyone types.
_WARM_UP = "ライブ マイグレーション live migration"


@dataclass(frozen=True)
class Settings:
    """Everything the app is started with; tests and the CLI build it through make_app."""

    kb_root: Path
    lang: str
    cache_dir: Path | None
    data_home: Path
    ask: str | None = None
    show: str | None = None
    cluster_file: Path | None = None
    exit_after: str | None = None  # "mount" or "ready": for startup benchmarks
    cursor_blink: bool = True
    debounce: float = DEBOUNCE_SECONDS

    @property
    def bookmarks_path(self) -> Path:
        return self.data_home / BOOKMARKS_FILE


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Give ``node``'s bindings the footer labels of ``lang`` (a binding's id is its message key).

    Textual has no public way to relabel a binding, so this rewrites the node's own
    binding map (each node holds a copy; the class's BINDINGS are untouched).
    """
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_localized(b, lang) for b in bindings]
    node.refresh_bindings()


def _localized(binding: Binding, lang: str) -> Binding:
    if binding.id in MESSAGES:
        binding = replace(binding, description=t(binding.id, lang))
    group = binding.group
    if group is not None:
        # A group is declared with its message key; once localized, found again by its text.
        key = group.description if group.description in MESSAGES else next(
            (k for k, pair in MESSAGES.items() if k.startswith("key_") and group.description in pair), None)
        if key is not None:
            binding = replace(binding, group=Binding.Group(t(key, lang), compact=group.compact))
    return binding


class FaqApp(App[int]):
    """Holds the knowledge base, the search engine, history and bookmarks for the screens."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {KnowledgeCommands}
    BINDINGS = [
        Binding("ctrl+c", "quit", show=False, priority=True, id="key_quit"),
        Binding("q", "quit", "Quit", id="key_quit"),
        Binding("question_mark,f1", "help", "Help", id="key_help"),
        Binding("f2,ctrl+t", "toggle_language", "English", id="key_lang"),
        Binding("ctrl+p", "command_palette", "Find", show=False, priority=True, id="key_palette"),
    ]

    lang: reactive[str] = reactive("ja", init=False)

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.set_reactive(FaqApp.lang, settings.lang)
        self.kb: KnowledgeBase | None = None
        self.engine: Engine | None = None
        self.engine_error: str | None = None  # why the index could not be opened
        self.engine_lock = threading.Lock()  # one Whoosh searcher, used from worker threads
        self.history: History[str] = History()
        self.bookmarks: list[str] = []
        self._bookmarks_unreadable = False
        self.main = MainScreen()
        from kb.content.load import read_profile

        self.profile = read_profile(settings.kb_root)
        self.title = self.profile.title(settings.lang, t("app_title", settings.lang))

    def get_default_screen(self) -> Screen[Any]:
        return self.main

    def on_mount(self) -> None:
        localize_bindings(self, self.lang)
        localize_bindings(self.main, self.lang)

    def start_loading(self) -> None:
        """Load the content and open the index in a worker (the main screen calls this once mounted)."""
        if self.settings.exit_after == "mount":  # startup benchmark: the first screen is enough
            self.main.call_after_refresh(self.exit, 0)
            return
        self.load_content()

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_content(self) -> None:
        """Read the content, the bookmarks, then open (or build) the index, off the UI thread.

        The work itself runs in a daemon thread that this worker waits for. Building a big
        index takes half a minute, and Python waits for a worker thread before it exits: a
        person who quits meanwhile would be left staring at a dead terminal. When the app
        quits the worker is cancelled and stops waiting; the daemon thread dies with the
        process, and a half-built index is only ever in a temporary folder (kb.index.store).
        """
        loader = threading.Thread(target=self._load, name="faq-load", daemon=True)
        loader.start()
        worker = get_current_worker()
        while loader.is_alive() and not worker.is_cancelled:
            loader.join(0.1)

    def _load(self) -> None:
        try:
            kb = load_kb(self.settings.kb_root)
        except Exception as exc:  # noqa: BLE001 - shown on the problems screen, not as a traceback
            kb = KnowledgeBase(root=self.settings.kb_root,
                               problems=[ContentError(f"cannot load: {type(exc).__name__}: {exc}",
                                                      ja=f"読み込めません: {type(exc).__name__}: {exc}",
                                                      path=str(self.settings.kb_root))])
        bookmarks, problem = load_bookmarks(self.settings.bookmarks_path)
        # mypy cannot match an async callback against call_from_thread's overloads.
        self.call_from_thread(self._content_loaded, kb, bookmarks, problem)  # type: ignore[arg-type]
        if not kb.entries:
            return
        try:
            from kb.index.store import PARALLEL_MIN_ENTRIES
            from kb.retrieval.engine import open_engine

            if len(kb.entries) >= PARALLEL_MIN_ENTRIES:
                _start_resource_tracker()
            engine, info = open_engine(kb, self.settings.cache_dir)
            with self.engine_lock:
                engine.ask(_WARM_UP, top=1, run_checks=False)
        except Exception as exc:  # noqa: BLE001 - a broken index must not take the app down
            self.call_from_thread(self._engine_failed, f"{type(exc).__name__}: {exc}")
            return
        self.call_from_thread(self._engine_ready, engine, info.warning_in(self.lang))

    async def _content_loaded(self, kb: KnowledgeBase, bookmarks: list[str], problem: KbError | None) -> None:
        self.kb = kb
        self.bookmarks = bookmarks
        self._bookmarks_unreadable = problem is not None and not bookmarks
        if problem:
            self.notify(clean_line(t("bookmark_problem", self.lang, problem=problem.render(self.lang))),
                        severity="warning")
        if not kb.entries:
            await self.push_screen(ProblemsScreen(kb, self.lang))
            if self.settings.exit_after == "ready":
                self.call_after_refresh(self.exit, 1)
            return
        self.main.content_loaded()
        if kb.problems:
            self.notify(t("problems_notice", self.lang, n=len(kb.problems)), severity="warning", timeout=8)
        if self.settings.ask:
            self.main.question.set_question(self.settings.ask)
        if self.settings.show:
            await self.main.open_entry(self.settings.show)
        if self.settings.cluster_file is not None:
            self.open_cluster(self.settings.cluster_file)

    def _engine_ready(self, engine: Engine, warning: str | None) -> None:
        self.engine = engine
        if warning:
            self.notify(clean_line(t("index_warning", self.lang, warning=warning)), severity="warning")
        self.main.engine_ready()
        if self.settings.exit_after == "ready":
            self.main.call_after_refresh(self.exit, 0)

    def _engine_failed(self, message: str) -> None:
        self.engine_error = message
        self.main.engine_failed(message)
        if self.settings.exit_after == "ready":
            self.main.call_after_refresh(self.exit, 1)

    # -- what screens ask of the app ----------------------------------------------------------

    def open_entry(self, entry_id: str) -> None:
        """Show an entry on the main screen (from the command palette, for one)."""
        while len(self.screen_stack) > 1 and self.screen is not self.main:
            self.pop_screen()
        self.call_later(self.main.open_entry, entry_id)

    def show_term(self, term_id: str) -> None:
        if self.kb is not None and term_id in self.kb.glossary:
            self.push_screen(TermScreen(self.kb.glossary[term_id], self.lang))

    def show_problems(self) -> None:
        if self.kb is not None and self.kb.problems:
            self.push_screen(ProblemsScreen(self.kb, self.lang))

    def toggle_bookmark(self, entry_id: str) -> bool | None:
        """Add or remove a bookmark and save at once; True if added, None if it could not be saved."""
        new = toggled(self.bookmarks, entry_id)
        path = self.settings.bookmarks_path
        try:
            if self._bookmarks_unreadable:
                moved = set_aside(path)  # keep the unreadable file for a person to look at
                if moved is not None:
                    self.notify(clean_line(t("bookmark_set_aside", self.lang, path=str(moved))))
                self._bookmarks_unreadable = False
            save_bookmarks(path, new)
        except OSError as exc:
            self.notify(clean_line(t("bookmark_save_failed", self.lang, error=exc.strerror or str(exc))),
                        severity="error")
            return None
        self.bookmarks = new
        self.main.bookmarks_changed()
        return entry_id in new

    def choose_cluster_file(self) -> None:
        # The tree starts where faq was run, which is where a person keeps their own files.
        start = Path.cwd()
        suggestion = str(self.settings.cluster_file or "")

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.open_cluster(path)

        self.push_screen(ClusterOpenScreen(start, self.lang, suggestion), chosen)

    def open_cluster(self, path: Path) -> None:
        """Validate the cluster file at ``path`` (in a worker) and show the report."""
        report = self.main.query_one(ClusterReport)
        report.show_loading(self.lang)
        self.main.tabs.active = "cluster"
        self._validate(path)

    @work(thread=True, exclusive=True, group="cluster", exit_on_error=False)
    def _validate(self, path: Path) -> None:
        from kb.checks import load_cluster, validate_cluster

        try:
            report: Report | KbError = validate_cluster(load_cluster(path))
        except KbError as exc:
            report = exc
        self.call_from_thread(self._show_cluster, report, path)

    def _show_cluster(self, report: Report | KbError, path: Path) -> None:
        view = self.main.query_one(ClusterReport)
        shown = _display_path(path)
        if isinstance(report, KbError):
            view.show_error(report.render(self.lang), shown, self.lang)
        else:
            if self.kb is not None:
                view.titles = {f.entry: self.kb.entries[f.entry].question(self.lang)
                               for f in report.findings if f.entry in self.kb.entries}
            view.show_report(report, shown, self.lang)
            findings = view.query_one("#cluster-findings")
            if self.screen is self.main:
                findings.focus()

    # -- app-wide actions ---------------------------------------------------------------------

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        bindings = [*FaqApp.BINDINGS, *MainScreen.BINDINGS]
        if not screen_available("training"):
            bindings = [b for b in bindings if not (isinstance(b, Binding) and b.id == "key_training")]
        self.push_screen(HelpScreen(bindings, self.lang))

    def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "ja" else "ja"

    async def watch_lang(self, lang: str) -> None:
        self.title = self.profile.title(lang, t("app_title", lang))
        localize_bindings(self, lang)
        for screen in self.screen_stack:
            localize_bindings(screen, lang)
            relabel = getattr(screen, "apply_language", None)
            if relabel is not None:
                result = relabel(lang)
                if result is not None:
                    await result


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker on the real stderr, before a parallel index build.

    The tracker hands ``sys.stderr.fileno()`` to its process; inside a Textual app that is
    Textual's print capture, whose descriptor is -1, and the index build's worker pool then
    fails with "bad value(s) in fds_to_keep". Textual itself draws through
    ``sys.__stderr__``, so pointing ``sys.stderr`` there for this moment changes nothing on screen.
    """
    from multiprocessing import resource_tracker

    if sys.__stderr__ is None:
        return
    captured = sys.stderr
    sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


def _display_path(path: Path) -> str:
    """``path`` as short as it can be said: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def make_app(kb_root: Path | None = None, lang: str = "ja", cache_dir: Path | None = None,
             data_home: Path | None = None, ask: str | None = None, show: str | None = None,
             cluster_file: Path | None = None, *, exit_after: str | None = None,
             cursor_blink: bool = True, debounce: float = DEBOUNCE_SECONDS) -> FaqApp:
    """The app, for the CLI and the tests alike.

    Unset folders come from the environment as the CLI resolves them: content from
    ``$FAQ_DATA`` or the bundled copy, the index cache and bookmarks from the user's folders.
    """
    enable_cjk_line_breaks()
    return FaqApp(Settings(
        kb_root=kb_root if kb_root is not None else paths.data_dir(),
        lang=lang if lang in ("ja", "en") else "ja",
        cache_dir=cache_dir if cache_dir is not None else paths.cache_dir(),
        data_home=data_home if data_home is not None else paths.user_data_dir(),
        ask=ask, show=show, cluster_file=Path(cluster_file) if cluster_file is not None else None,
        exit_after=exit_after, cursor_blink=cursor_blink, debounce=debounce,
    ))


def run_app(args: argparse.Namespace) -> int:
    """Open the app for ``faq`` (no subcommand), ``faq ask --tui``, ``faq show --tui``, ``faq check --tui``."""
    cluster = getattr(args, "cluster", None) or getattr(args, "cluster_file", None)
    exit_after = os.environ.get("FAQ_EXIT_AFTER_MOUNT") or None
    app = make_app(
        kb_root=paths.data_dir(getattr(args, "data", None)), lang=getattr(args, "lang", None) or "ja",
        cache_dir=paths.cache_dir(), data_home=paths.user_data_dir(),
        ask=getattr(args, "ask", None), show=getattr(args, "show", None),
        cluster_file=Path(cluster) if cluster else None,
        exit_after={"1": "mount", "mount": "mount", "ready": "ready"}.get(exit_after or ""),
    )
    code = app.run()
    return code if isinstance(code, int) else 0
