"""The faq-assistant terminal app: the factory, the app state's keeper, app-wide keys."""

from __future__ import annotations

import argparse
import os
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from tui import paths
from tui.app.bookmarks import save_bookmarks, set_aside, toggled
from tui.app.editor import editor_command
from tui.app.hangup import watch_hangup
from tui.app.keys import APP_BINDINGS, LIST_BINDINGS, MAIN_BINDINGS, TABS, localize_bindings
from tui.app.loading import load_content, open_engine
from tui.app.messages import (
    BookmarksChanged,
    BookmarkToggled,
    ContentEdited,
    ContentLoaded,
    ContentRequested,
    ContentShown,
    EditRequested,
    EngineFailed,
    EngineReady,
    EntryOpened,
    LanguageChanged,
    QuestionSettled,
)
from tui.app.screens import screen_available
from tui.app.screens.commands import KnowledgeCommands
from tui.app.screens.gaps_command import GapsCommands
from tui.app.screens.main import MainScreen
from tui.app.state import DEBOUNCE_SECONDS, AppState, Settings
from tui.app.widgets.line_breaks import enable_cjk_line_breaks
from tui.app.widgets.messages import EntrySelected, TermSelected
from tui.i18n import t
from tui.safe import clean_line
from tui.settings import ConfigError, config_path, save_setting

if TYPE_CHECKING:
    from tui.app.question_tracker import QuestionTracker

__all__ = ["FaqApp", "Settings", "make_app", "run_app"]


class FaqApp(App[int]):
    """Keeps the app state, loads the knowledge base, and tells the screens what changed."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {KnowledgeCommands, GapsCommands}
    BINDINGS = APP_BINDINGS

    lang: reactive[str] = reactive("ja", init=False)

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        from kb.content.load import read_profile

        self.profile = read_profile(settings.kb_root)
        self.state = AppState(settings=settings, lang=settings.lang, profile=self.profile)
        self._questions: QuestionTracker | None = None
        self.set_reactive(FaqApp.lang, settings.lang)
        self.main = MainScreen()
        self.title = clean_line(self.profile.title(settings.lang, t("app_title", settings.lang)))

    @property
    def questions(self) -> QuestionTracker:
        """The questions people settle on, for `faq gaps` (logging nothing when it is off).

        Made when the first question settles: the log's modules load after the first screen.
        """
        if self._questions is None:
            from tui.app.question_tracker import QuestionTracker
            from tui.question_log import AskLogger, open_question_log

            settings = self.settings
            self._questions = QuestionTracker(AskLogger(
                open_question_log(settings.kb_root, settings.data_home, enabled=settings.log_questions), source="app"))
        return self._questions

    def get_default_screen(self) -> Screen[Any]:
        return self.main

    def on_mount(self) -> None:
        localize_bindings(self, self.lang)
        localize_bindings(self.main, self.lang)
        watch_hangup(self)  # a terminal that goes away ends the app, instead of a spinning core
        theme = self.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, lambda theme: self._save_setting("theme", theme.name))

    def _save_setting(self, key: str, value: str) -> None:
        """Remember ``key`` in the settings file (when the app was given one); a failure is a notice."""
        path = self.settings.config_file
        if path is None:
            return
        try:
            save_setting(path, key, value)
        except ConfigError as exc:
            self.notify(clean_line(t("settings_not_saved", self.lang, error=exc.render(self.lang))),
                        severity="warning", markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, in the app's language (its titles are English only)."""
        lang = self.lang
        yield SystemCommand(t("sys_theme", lang), t("sys_theme_help", lang), self.action_change_theme)
        yield SystemCommand(t("sys_lang", lang), t("sys_lang_help", lang), self.action_toggle_language)
        yield SystemCommand(t("sys_help", lang), t("sys_help_help", lang), self.action_help)
        yield SystemCommand(t("sys_screenshot", lang), t("sys_screenshot_help", lang),
                            lambda: self.set_timer(0.1, self.deliver_screenshot))
        yield SystemCommand(t("sys_quit", lang), t("sys_quit_help", lang), self.action_quit)

    # -- loading ------------------------------------------------------------------------------

    def on_content_requested(self, message: ContentRequested) -> None:
        """Read the content in a worker; the main screen asks once it is mounted."""
        if self.settings.exit_after == "mount":  # startup benchmark: the first screen is enough
            self.main.call_after_refresh(self.exit, 0)
            return
        self._load(load_content, self.settings, self.post_message)

    def on_content_shown(self, message: ContentShown) -> None:
        """Open (or build) the index in a worker, once the main screen shows the content."""
        if self.state.library is not None:
            self._load(open_engine, self.state.library, self.state.engine_lock, self.post_message)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, job: Callable[..., None], *args: object) -> None:
        """Run ``job(*args)`` (a step of tui.app.loading) off the UI thread, in a daemon thread.

        This worker only waits for that thread. Building a big index takes half a minute, and
        Python waits for a worker thread before it exits: a person who quits meanwhile would
        be left staring at a dead terminal. When the app quits the worker is cancelled and
        stops waiting; the daemon thread dies with the process, and a half-built index is only
        ever in a temporary folder (kb.index.store).
        """
        loader = threading.Thread(target=job, args=args, name="faq-load", daemon=True)
        loader.start()
        worker = get_current_worker()
        while loader.is_alive() and not worker.is_cancelled:
            loader.join(0.1)

    async def on_content_loaded(self, message: ContentLoaded) -> None:
        state = self.state
        if state.library is not None:  # a reload: the old engine answers for the old content
            state.engine, state.engine_error = None, None
        state.library = message.library
        state.bookmarks = message.bookmarks
        state.bookmarks_unreadable = message.problem is not None and not message.bookmarks
        if message.problem:
            self.notify(clean_line(t("bookmark_problem", self.lang, problem=message.problem.render(self.lang))),
                        severity="warning", markup=False)
        content = message.library.content
        if not content.entries:
            from tui.app.screens.problems import ProblemsScreen

            await self.push_screen(ProblemsScreen(content, self.lang))
            if self.settings.exit_after == "ready":
                self.call_after_refresh(self.exit, 1)
            return
        if content.problems:
            self.notify(t("problems_notice", self.lang, n=len(content.problems)), severity="warning", timeout=8, markup=False)
        self.main.post_message(ContentLoaded(message.library))

    def on_engine_ready(self, message: EngineReady) -> None:
        self.state.engine = message.engine
        warning = message.info.warning_in(self.lang) if message.info is not None else None
        if warning:
            self.notify(clean_line(t("index_warning", self.lang, warning=warning)), severity="warning", markup=False)
        self.main.post_message(EngineReady(message.engine, message.info))
        if self.settings.exit_after == "ready":
            self.main.call_after_refresh(self.exit, 0)

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.state.engine_error = message.error
        self.main.post_message(EngineFailed(message.error))
        if self.settings.exit_after == "ready":
            self.main.call_after_refresh(self.exit, 1)

    # -- what screens and the palette tell the app --------------------------------------------

    @on(EntrySelected)
    def _entry_selected(self, event: EntrySelected) -> None:
        """An entry chosen away from the main screen (the palette, training): show it there."""
        while len(self.screen_stack) > 1 and self.screen is not self.main:
            self.pop_screen()
        self.main.post_message(EntrySelected(event.entry_id))

    @on(TermSelected)
    def _term_selected(self, event: TermSelected) -> None:
        content = self.state.content
        if content is not None and event.term_id in content.glossary:
            from tui.app.screens.term import TermScreen

            self.push_screen(TermScreen(content.glossary[event.term_id], self.lang))

    def on_bookmark_toggled(self, message: BookmarkToggled) -> None:
        """Add or remove the bookmark and save at once; the main screen hears when it is saved."""
        state = self.state
        new = toggled(state.bookmarks, message.entry_id)
        path = self.settings.bookmarks_path
        try:
            if state.bookmarks_unreadable:
                moved = set_aside(path)  # keep the unreadable file for a person to look at
                if moved is not None:
                    self.notify(clean_line(t("bookmark_set_aside", self.lang, path=str(moved))), markup=False)
                state.bookmarks_unreadable = False
            save_bookmarks(path, new)
        except OSError as exc:
            self.notify(clean_line(t("bookmark_save_failed", self.lang, error=exc.strerror or str(exc))),
                        severity="error", markup=False)
            return
        state.bookmarks = new
        added = message.entry_id in new
        entry = state.content.entries.get(message.entry_id) if state.content is not None else None
        title = clean_line(entry.question(self.lang) if entry is not None else message.entry_id)
        self.notify(t("bookmark_added" if added else "bookmark_removed", self.lang, title=title), markup=False)
        self.main.post_message(BookmarksChanged(message.entry_id))

    def on_question_settled(self, message: QuestionSettled) -> None:
        self.questions.settle(message.results)

    def on_entry_opened(self, message: EntryOpened) -> None:
        self.questions.opened(message.entry_id, message.results)

    def on_content_edited(self, message: ContentEdited) -> None:
        """An author's edit was saved and re-opened: answer from it from now on, no restart."""
        state = self.state
        with state.engine_lock:  # a search in flight finishes on the old engine first
            old, state.library = state.library, message.library
            state.engine, state.engine_error = message.library.engine, None
            if old is not None and old is not message.library:
                old.close()
        for screen in self.screen_stack:
            screen.post_message(ContentEdited(message.library))
    def on_edit_requested(self, message: EditRequested) -> None:
        """Suspend the app, run the person's editor on the file, then read the content again."""
        path = Path(message.path)
        if not path.is_absolute():
            path = self.settings.kb_root / path
        command = editor_command(path, message.line)
        if command is None:
            self.notify(t("no_editor", self.lang), severity="warning", markup=False)
            return
        try:
            with self.suspend():
                subprocess.run(command, check=False)
        except (OSError, SuspendNotSupported) as exc:
            self.notify(clean_line(t("editor_failed", self.lang, error=exc)), severity="error", markup=False)
            return
        self.notify(clean_line(t("reloaded", self.lang, path=str(path))), markup=False)
        self._load(load_content, self.settings, self.post_message)

    # -- app-wide actions ---------------------------------------------------------------------

    def action_copy_or_quit(self) -> None:
        """Ctrl+C: copy the text selected (in a field or on the screen); with nothing selected, quit."""
        focused = self.focused
        selected = getattr(focused, "selected_text", "") if focused is not None else ""
        if not selected:
            selected = self.screen.get_selected_text() or ""
        if not selected:
            self.exit(0)
            return
        self.copy_to_clipboard(selected)
        self.notify(t("copied", self.lang, what=t("copied_selection", self.lang)), markup=False)

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        bindings = [*APP_BINDINGS, *MAIN_BINDINGS, LIST_BINDINGS[0]]
        if not screen_available("training"):
            bindings = [b for b in bindings if not (isinstance(b, Binding) and b.id == "key_training")]
        if not self.main.cluster_offered:  # no Cluster tab: no o, no 5, four tabs named
            bindings = [replace(b, id="key_tabs_four") if isinstance(b, Binding) and b.id == "key_tabs" else b
                        for b in bindings if not (isinstance(b, Binding) and (
                            b.id == "key_cluster" or (b.id == "key_tabs" and b.key == str(len(TABS)))))]
        self.push_screen(HelpScreen(bindings, self.lang))

    def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "ja" else "ja"

    def watch_lang(self, lang: str) -> None:
        self.state.lang = lang
        self.title = clean_line(self.profile.title(lang, t("app_title", lang)))
        localize_bindings(self, lang)
        screens = list(self.screen_stack)
        if self.is_screen_installed("training") and self.get_screen("training") not in screens:
            screens.append(self.get_screen("training"))  # kept for its session while not shown
        for screen in screens:
            localize_bindings(screen, lang)
            screen.post_message(LanguageChanged(lang))
        self._save_setting("language", lang)


def make_app(kb_root: Path | None = None, lang: str = "ja", cache_dir: Path | None = None,
             data_home: Path | None = None, ask: str | None = None, show: str | None = None,
             cluster_file: Path | None = None, *, exit_after: str | None = None,
             cursor_blink: bool = True, debounce: float = DEBOUNCE_SECONDS,
             log_questions: bool = True, config_file: Path | None = None,
             theme: str | None = None) -> FaqApp:
    """The app, for the CLI and the tests alike.

    Unset folders come from the environment as the CLI resolves them: content from
    ``$FAQ_DATA`` or the bundled copy, the index cache and bookmarks from the user's folders.
    The language and theme chosen in the app are saved to ``config_file`` (None: not saved).
    """
    enable_cjk_line_breaks()
    return FaqApp(Settings(
        kb_root=kb_root if kb_root is not None else paths.data_dir(),
        lang=lang if lang in ("ja", "en") else "ja",
        cache_dir=cache_dir if cache_dir is not None else paths.cache_dir(),
        data_home=data_home if data_home is not None else paths.user_data_dir(),
        ask=ask, show=show, cluster_file=Path(cluster_file) if cluster_file is not None else None,
        exit_after=exit_after, cursor_blink=cursor_blink, debounce=debounce, log_questions=log_questions,
        config_file=config_file, theme=theme,
    ))


def run_app(args: argparse.Namespace) -> int:
    """Open the app for ``faq`` (no subcommand), ``faq ask --tui``, ``faq show --tui``, ``faq check --tui``."""
    cluster = getattr(args, "cluster", None) or getattr(args, "cluster_file", None)
    exit_after = os.environ.get("FAQ_EXIT_AFTER_MOUNT") or None
    settings = getattr(args, "settings", None) or {}
    app = make_app(
        kb_root=paths.data_dir(getattr(args, "data", None)), lang=getattr(args, "lang", None) or "ja",
        cache_dir=paths.cache_dir(), data_home=paths.user_data_dir(),
        ask=getattr(args, "ask", None), show=getattr(args, "show", None),
        cluster_file=Path(cluster) if cluster else None,
        exit_after={"1": "mount", "mount": "mount", "ready": "ready"}.get(exit_after or ""),
        # The language is resolved like every command's (flag, $FAQ_LANG, settings, locale); the theme alike.
        config_file=config_path(), theme=os.environ.get("FAQ_THEME") or settings.get("theme"),
    )
    code = app.run()
    # A crash inside the app returns None: say so in the exit status.
    return code if isinstance(code, int) else (app.return_code or 0)
