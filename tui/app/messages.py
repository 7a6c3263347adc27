"""What happened, told to the app and by the app to its screens: past-tense Textual messages.

The loader and the screens post these to the app; the app keeps what they carry in the
AppState and then posts the news to the screens that show it. Loading goes
ContentRequested -> ContentLoaded -> ContentShown -> EngineReady (or EngineFailed). None of them bubble, so a
message the app posts to a screen never comes back to the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from kb.errors import KbError
    from kb.index.store import IndexInfo
    from kb.library import Library
    from kb.retrieval.engine import Engine
    from tui.app.widgets.results_list import Results


class ContentRequested(Message, bubble=False):
    """The main screen is up and shows that loading is under way: load now (to the app)."""


class ContentLoaded(Message, bubble=False):
    """The content is in (the index may still be opening).

    From the loader to the app with what was read; from the app to the main screen once
    it is in the state.
    """

    def __init__(self, library: Library, bookmarks: list[str] | None = None,
                 problem: KbError | None = None) -> None:
        super().__init__()
        self.library = library
        self.bookmarks = bookmarks or []
        self.problem = problem  # what was wrong with the bookmarks file


class ContentShown(Message, bubble=False):
    """The main screen shows the content (and the deep links): open the index now (to the app).

    Only now: the index build and the first rendering both use the morphological analyser,
    which must not run in two threads at once.
    """


class EngineReady(Message, bubble=False):
    """The index is open and warmed up: questions can be answered."""

    def __init__(self, engine: Engine, info: IndexInfo | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.info = info  # how the index was opened (its warning, if any)


class EngineFailed(Message, bubble=False):
    """The index could not be opened; reading still works."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class LanguageChanged(Message, bubble=False):
    """The app's language changed: relabel and re-render in ``lang``."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang


class QuestionSettled(Message, bubble=False):
    """The person left the question box with ``results`` on screen: log the question (to the app)."""

    def __init__(self, results: Results) -> None:
        super().__init__()
        self.results = results


class EntryOpened(Message, bubble=False):
    """An entry was opened while ``results`` were the answers on screen (to the app, for the log)."""

    def __init__(self, entry_id: str, results: Results | None) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.results = results


class ContentEdited(Message, bubble=False):
    """An entry file was changed here (the Gaps screen) and the knowledge base re-opened.

    From the screen that edited to the app with the new library; from the app to every
    screen once it is in the state.
    """

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library


class BookmarkToggled(Message, bubble=False):
    """The person asked to bookmark ``entry_id``, or to remove its bookmark (to the app)."""

    def __init__(self, entry_id: str) -> None:
        super().__init__()
        self.entry_id = entry_id


class BookmarksChanged(Message, bubble=False):
    """The bookmarks were saved with ``entry_id`` added or removed (to the main screen)."""

    def __init__(self, entry_id: str) -> None:
        super().__init__()
        self.entry_id = entry_id


class EditRequested(Message, bubble=False):
    """Open ``path`` at ``line`` in the person's editor, then reload the content (to the app)."""

    def __init__(self, path: str, line: int | None = None) -> None:
        super().__init__()
        self.path = path
        self.line = line
