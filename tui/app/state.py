"""What every screen and widget of the app reads: the settings it started with and the one app state."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from kb.content.profile import Profile
from tui.app.history import History

if TYPE_CHECKING:  # Whoosh loads in a worker, after the first screen is drawn
    from kb.content.load import KnowledgeBase
    from kb.library import Library
    from kb.retrieval.engine import Engine

BOOKMARKS_FILE = "bookmarks.json"
DEBOUNCE_SECONDS = 0.15


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
    log_questions: bool = True  # and neither FAQ_NO_LOG nor the settings file says no
    config_file: Path | None = None  # the settings file the language and theme are saved to (None: not saved)
    theme: str | None = None  # the theme to start with (None: Textual's default)

    @property
    def bookmarks_path(self) -> Path:
        return self.data_home / BOOKMARKS_FILE


@dataclass
class AppState:
    """The knowledge base, its engine once warm, the language, bookmarks and history.

    The app changes it (on the UI thread) and then tells the screens by a message;
    screens and widgets only read it.
    """

    settings: Settings
    lang: str
    library: Library | None = None  # None until the content is loaded
    engine: Engine | None = None  # set once the index is open and warmed up
    engine_error: str | None = None  # why the index could not be opened
    engine_lock: threading.Lock = field(default_factory=threading.Lock)  # one Whoosh searcher
    bookmarks: list[str] = field(default_factory=list)
    bookmarks_unreadable: bool = False  # the file is kept aside before the first save
    history: History[str] = field(default_factory=History)
    profile: Profile = field(default_factory=Profile)  # what kb.toml says: title, example question

    @property
    def content(self) -> KnowledgeBase | None:
        """The loaded entries, glossary and tags (None while loading)."""
        return self.library.content if self.library is not None else None


class HasState(Protocol):
    """An app that holds an AppState (the app class itself is never imported by what it shows)."""

    state: AppState


def state_of(app: object) -> AppState:
    """The state of ``app`` (a node's or a command provider's ``self.app``)."""
    return cast(HasState, app).state
