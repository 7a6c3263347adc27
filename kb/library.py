"""The one front door: an opened knowledge base that shows entries and answers questions."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kb.content.load import KnowledgeBase, load_kb

if TYPE_CHECKING:
    from kb.content.entry import Entry
    from kb.index.store import IndexInfo
    from kb.retrieval.engine import AskResult, Engine, SearchHit


class Library:
    """A knowledge base's content, with its search engine opened on first use.

    Reading entries never loads Whoosh or Sudachi: `faq show` stays fast. The first
    ``ask``/``search`` opens (or builds) the index; the engine is then reused.
    """

    def __init__(self, content: KnowledgeBase, cache_dir: Path | None, rebuild: bool = False,
                 cache_warning: tuple[str, str] | None = None) -> None:
        self.content = content
        self.cache_dir = cache_dir
        # (English, Japanese) when the cache folder was refused and everything runs in memory.
        self.cache_warning = cache_warning
        self._rebuild = rebuild
        self._engine: Engine | None = None
        self._info: IndexInfo | None = None
        self._lock = threading.Lock()

    @property
    def root(self) -> Path:
        return self.content.root

    def entry(self, entry_id: str) -> Entry | None:
        return self.content.entries.get(entry_id)

    @property
    def engine(self) -> Engine:
        """The search engine, opened (building the index when needed) the first time."""
        with self._lock:
            if self._engine is None:
                from kb.retrieval.healing import open_engine  # Whoosh loads only for what searches

                self._engine, self._info = open_engine(self.content, self.cache_dir, rebuild=self._rebuild)
            return self._engine

    @property
    def index_info(self) -> IndexInfo | None:
        """How the index was opened (None before the first search)."""
        return self._info

    def ask(self, question: str, top: int = 3, lang: str = "ja", run_checks: bool = True,
            partial: bool = False) -> AskResult:
        return self.engine.ask(question, top=top, lang=lang, run_checks=run_checks, partial=partial)

    def search(self, terms: str, tag: str | None = None, limit: int = 20, lang: str = "ja") -> list[SearchHit]:
        return self.engine.search(terms, tag=tag, limit=limit, lang=lang)

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None


def open_kb(root: Path, cache_dir: Path | None = None, *, snapshot: bool = True, rebuild: bool = False,
            known_checks: Iterable[str] | None = None) -> Library:
    """Load the knowledge base in ``root``; ``cache_dir`` keeps its index (None: in memory).

    With ``snapshot`` the parsed content is reused from the cache while the files are
    unchanged. Broken files are listed in ``library.content.problems``; nothing raises for them.
    A cache folder that is not private to the user is not used (``library.cache_warning``).
    """
    refused = None
    if cache_dir is not None:
        from kb.index.cache_dir import refusal

        refused = refusal(cache_dir)
        if refused is not None:
            cache_dir = None
    if snapshot and cache_dir is not None:
        from kb.content.snapshot import load_kb_cached

        content = load_kb_cached(root, cache_dir, known_checks)
    else:
        content = load_kb(root, known_checks)
    return Library(content, cache_dir, rebuild=rebuild, cache_warning=refused)
