"""The engine over one knowledge base's index: ask (calibrated confidence) and keyword search."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kb.content.load import KnowledgeBase
from kb.index.live import open_searcher
from kb.retrieval.calibration import calibrate, load_calibration, save_calibration
from kb.retrieval.confidence import THRESHOLD, Calibration, Ranker, break_ties, confidences
from kb.retrieval.fusion import entry_body, order_ties
from kb.retrieval.question import MAX_QUERY_CHARS, QuestionAnalyzer
from kb.retrieval.results import Answer, AskResult, SearchHit, Snippet
from kb.retrieval.scope import Scope
from kb.retrieval.snippets import make_snippet
from kb.retrieval.synonyms import open_synonyms
from kb.text.analysis import normalize, wording

if TYPE_CHECKING:
    from kb.retrieval.keyword import KeywordSearch

_SENTENCE_END = re.compile(r"(?<=[。？！?!])\s*|(?<=\.)\s+(?=[A-Z])")  # "vs. pull" goes on

__all__ = ["Answer", "AskResult", "Engine", "SearchHit", "Snippet", "make_snippet",
           "MAX_QUERY_CHARS", "THRESHOLD"]


def sentence_wordings(phrasings: Iterable[str]) -> list[frozenset[str]]:
    """The wording of each sentence of each phrasing, for breaking ties.

    A phrasing of two sentences asks two things ("eduroam とは何ですか。本学の学生も使えますか。"):
    a question worded like one of them ("eduroamって何") is worded like that phrasing.
    """
    return [wording(normalize(s)) for p in phrasings for s in _SENTENCE_END.split(p) if s.strip()]


class Engine:
    """A searcher over one knowledge base's index; keep it open and ask many questions."""

    def __init__(self, kb: KnowledgeBase, ix: Any, calibration: Calibration | None = None) -> None:
        self.kb = kb
        self.ix = ix
        self.searcher = open_searcher(ix)  # live statistics; every file open now, so a rebuild elsewhere cannot swap half
        self.n_docs = max(1, self.searcher.doc_count())
        self.scope = Scope(kb)
        self.analyzer = QuestionAnalyzer(kb, self.searcher, self.scope, open_synonyms(ix.storage, self.searcher))
        self.ranker = Ranker(self.searcher, self.scope, self.analyzer.weight)
        self._keyword_search: KeywordSearch | None = None
        self._keyword_lock = threading.Lock()
        # Tied entries' phrasings, analysed once each (Sudachi is most of a tied ask's cost).
        self._wording_cache: dict[str, tuple[Any, list[frozenset[str]]]] = {}
        self._body_cache: dict[str, tuple[Any, str]] = {}  # tied entries' text, for order_ties
        if calibration is None:
            calibration = load_calibration(ix.storage)
            if calibration is None:
                calibration = calibrate(self.analyzer, self.ranker)
                try:
                    save_calibration(ix.storage, calibration)
                except Exception:  # noqa: BLE001 - a read-only cache: calibrate again next time
                    pass
        self.calibration = calibration

    @property
    def _keyword(self) -> KeywordSearch:
        """Keyword search, made on the first search: `faq ask` loads no query parser."""
        with self._keyword_lock:
            if self._keyword_search is None:
                from kb.retrieval.keyword import KeywordSearch

                self._keyword_search = KeywordSearch(self.kb, self.searcher, self.analyzer.df_field)
            return self._keyword_search

    @property
    def _keywords(self) -> Any:
        """The keyword query builder, for tests and bench."""
        return self._keyword._keywords

    @property
    def _impacts(self) -> Any:
        return self._keyword._impacts

    def _wordings(self, entry_id: str) -> list[frozenset[str]]:
        entry = self.kb.entries.get(entry_id)
        if entry is None:
            return []
        cached = self._wording_cache.get(entry_id)
        if cached is None or cached[0] is not entry:
            words = sentence_wordings(p for loc in entry.text.values() for p in (loc.question, *loc.alternates))
            cached = self._wording_cache[entry_id] = (entry, words)
        return cached[1]

    def _body(self, entry_id: str) -> str | None:
        entry = self.kb.entries.get(entry_id)
        if entry is None:
            return None
        cached = self._body_cache.get(entry_id)
        if cached is None or cached[0] is not entry:
            cached = self._body_cache[entry_id] = (entry, entry_body(entry))
        return cached[1]

    def close(self) -> None:
        self.searcher.close()

    def ask(self, question: str, top: int = 3, lang: str = "ja", run_checks: bool = True,
            partial: bool = False) -> AskResult:
        """The best entries for a natural-language question, each with a confidence in 0..1.

        Confidence is the probability, calibrated on this knowledge base, that the entry is
        the answer; below 0.5 nothing is answered (``candidates`` still lists the closest).
        ``partial``: the last word may be half typed ("netw", "ライブマ"), as while typing.
        """
        result = AskResult(query=question, answers=[], candidates=[])
        analysed = self.analyzer.analyze(question, partial=partial)
        ranked = self.ranker.rank(analysed, max(top, 2))
        if not ranked:
            return result
        # Substring BM25 first, wording decides; a half-typed last word is no run to count.
        ranked = order_ties(ranked, re.sub(r"\S+\s*$", "", question) if partial else question, self._body)
        ranked = break_ties(ranked, lambda: wording(normalize(analysed.text)), self._wordings)
        shown = []
        # A tie's first place has the tie's best confidence: candidates keep the order of
        # their confidences, which only tied ones (break_ties) could break.
        calibrated = sorted(confidences(ranked, self.calibration, analysed.unknown_share), reverse=True)
        for scored, confidence in zip(ranked, calibrated, strict=True):
            entry = self.kb.entries.get(scored.id)
            shown_lang = lang if entry is None or lang in entry.text else next(iter(entry.text))
            title = entry.question(shown_lang) if entry else scored.id
            shown.append(Answer(scored.id, title, scored.score, confidence, shown_lang))
        result.candidates = shown[:top]
        result.answers = [a for a in result.candidates if a.confidence >= THRESHOLD]
        if result.answers and run_checks:
            result.checks = self._checks_for(analysed.text, result.answers[0].id)
        return result

    def search(self, terms: str, tag: str | None = None, limit: int = 20, lang: str = "ja") -> list[SearchHit]:
        """Keyword search with Whoosh syntax (AND/OR/NOT, "phrases", tag:); never raises on syntax."""
        return self._keyword.search(terms, tag=tag, limit=limit, lang=lang)

    def _checks_for(self, text: str, entry_id: str) -> list[Any]:
        entry = self.kb.entries.get(entry_id)
        if entry is None or not entry.checks:
            return []
        from kb.checks import checks_for_question

        return list(checks_for_question(text, entry.checks))
