"""An engine that survives its index being replaced or deleted by another process.

Whoosh opens segment files on demand, so an engine opened before another process rebuilt
or deleted the index finds its files gone (or half-replaced) on a later query. On any
failure the engine reopens the index (rebuilding it if needed) and asks once more.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb.content.load import KnowledgeBase
from kb.index.live import open_searcher
from kb.index.store import IndexInfo, open_index
from kb.retrieval.engine import AskResult, Engine, SearchHit
from kb.retrieval.synonyms import save_synonyms, update_synonyms

_ATTEMPTS = 3


class HealingEngine(Engine):
    """``Engine`` that reopens its index once when a query fails, then answers from the new one."""

    def __init__(self, kb: KnowledgeBase, ix: Any, reopen: Callable[[], Any], retry: bool = True) -> None:
        self._reopen = reopen
        self._heal_lock = threading.Lock()
        self.reopened = 0
        if retry:
            self._start(kb, ix)
        else:  # on an index not yet in place (files_for): a failure is the caller's
            Engine.__init__(self, kb, ix)

    def _start(self, kb: KnowledgeBase, ix: Any) -> None:
        # Opening reads the index too (the calibration, stored fields): a rebuild by another
        # process may pull the files away meanwhile, so reopen and start again, a few times.
        for attempt in range(_ATTEMPTS):
            try:
                Engine.__init__(self, kb, ix)
                return
            except Exception:  # noqa: BLE001 - whatever a vanished or half-replaced file raises
                if attempt == _ATTEMPTS - 1:
                    raise
                ix = self._reopen()

    def ask(self, question: str, top: int = 3, lang: str = "ja", run_checks: bool = True,
            partial: bool = False) -> AskResult:
        try:
            return super().ask(question, top=top, lang=lang, run_checks=run_checks, partial=partial)
        except Exception:  # noqa: BLE001 - whatever a vanished or half-replaced file raises
            self._heal()
            return super().ask(question, top=top, lang=lang, run_checks=run_checks, partial=partial)

    def search(self, terms: str, tag: str | None = None, limit: int = 20, lang: str = "ja") -> list[SearchHit]:
        try:
            return super().search(terms, tag=tag, limit=limit, lang=lang)
        except Exception:  # noqa: BLE001 - as in ask
            self._heal()
            return super().search(terms, tag=tag, limit=limit, lang=lang)

    def _heal(self) -> None:
        with self._heal_lock:
            old = self.searcher
            self._start(self.kb, self._reopen())  # fresh searcher and caches
            self.reopened += 1
            with contextlib.suppress(Exception):
                old.close()


def files_for(kb: KnowledgeBase, reopen: Callable[[], Any] | None = None) -> Callable[[Any, Any | None], Engine]:
    """What ``open_index`` runs on each new index before publishing it (kb.index.store.Prepare):
    it stores the index's synonym groups and its calibration in it, so a reader opening it
    finds the ones made from it, and returns the engine that calibrated (every file it reads
    is open already, so it answers from this index once it is in place)."""

    def prepare(ix: Any, previous: Any | None) -> Engine:
        searcher = open_searcher(ix)
        try:
            groups = update_synonyms(searcher, previous)
        finally:
            searcher.close()
        save_synonyms(ix.storage, groups)
        # Calibrates, and stores the calibration in ix.
        return HealingEngine(kb, ix, reopen, retry=False) if reopen is not None else Engine(kb, ix)

    return prepare


def open_engine(kb: KnowledgeBase, cache_dir: Path | None, rebuild: bool = False) -> tuple[Engine, IndexInfo]:
    """Open (building when needed) the index for ``kb`` and an engine over it."""

    def reopen() -> Any:
        ix, info = open_index(kb, cache_dir, prepare=files_for(kb))
        if info.prepared is not None:
            info.prepared.close()  # the healing engine starts its own on the index
        return ix

    ix, info = open_index(kb, cache_dir, rebuild=rebuild, prepare=files_for(kb, reopen))
    if info.path is None:
        return Engine(kb, ix), info  # in memory: nobody else can touch it
    if isinstance(info.prepared, Engine):
        # Made on the new index before it was put in place: the same files, and the
        # calibration's document frequencies already counted.
        engine, info.prepared = info.prepared, None
        engine.ix = ix
        return engine, info
    # On disk another process may replace or delete the files: heal by reopening.
    return HealingEngine(kb, ix, reopen), info
