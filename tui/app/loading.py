"""Opening the knowledge base for the app, off the UI thread: the content first, then the index."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from textual.message import Message

from kb.content.load import KnowledgeBase
from kb.errors import ContentError
from kb.library import Library, open_kb
from tui.app.bookmarks import load_bookmarks
from tui.app.messages import ContentLoaded, EngineFailed, EngineReady
from tui.app.state import Settings

# Words that load the Japanese and English analysers and the index's hot paths before anyone
# types; a small knowledge base's own first question is added (the engine knows no domain).
WARM_UP = "質問 question"
# Past this many entries the first question's words alone are not added: their postings are
# long (at 10,000 entries that warm-up took 0.43 s of CPU before the app was searchable, the
# two words alone 0.07 s), and the questions asked after it were only 10-20 ms faster for it.
WARM_UP_QUESTION_MAX_ENTRIES = 2000


def load_content(settings: Settings, post: Callable[[Message], object]) -> None:
    """Read the content through the front door, and the bookmarks; post ContentLoaded.

    ``post`` must be safe to call from this thread (Textual's ``post_message`` is).
    Nothing raises: broken content becomes the library's problems.
    """
    try:
        library = open_kb(settings.kb_root, settings.cache_dir)
    except Exception as exc:  # noqa: BLE001 - shown on the problems screen, not as a traceback
        library = Library(KnowledgeBase(root=settings.kb_root, problems=[ContentError(
            f"cannot load: {type(exc).__name__}: {exc}", ja=f"読み込めません: {type(exc).__name__}: {exc}",
            path=str(settings.kb_root))]), settings.cache_dir)
    bookmarks, problem = load_bookmarks(settings.bookmarks_path)
    post(ContentLoaded(library, bookmarks, problem))


def open_engine(library: Library, engine_lock: threading.Lock, post: Callable[[Message], object]) -> None:
    """Open (or build) the library's index and warm it up; post EngineReady or EngineFailed.

    A broken index becomes a message, never an exception: reading needs no index.
    """
    try:
        from kb.index.store import PARALLEL_MIN_ENTRIES

        entries = len(library.content.entries)
        if entries >= PARALLEL_MIN_ENTRIES:
            start_resource_tracker()
        engine = library.engine
        with engine_lock:
            # The first id, then its entry: .values() would decode every stored entry.
            first_id = next(iter(library.content.entries), None) if entries <= WARM_UP_QUESTION_MAX_ENTRIES else None
            first = library.content.entries.get(first_id) if first_id is not None else None
            engine.ask(f"{WARM_UP} {first.question('ja')} {first.question('en')}" if first else WARM_UP,
                       top=1, run_checks=False)
    except Exception as exc:  # noqa: BLE001 - a broken index must not take the app down
        post(EngineFailed(f"{type(exc).__name__}: {exc}"))
    else:
        post(EngineReady(engine, library.index_info))
    # What the first entry opened needs (markdown-it), loaded here rather than when the person
    # waits for it; only now, so that it takes no time from opening the index.
    import textual.widgets._markdown  # noqa: F401


def start_resource_tracker() -> None:
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
