"""The engine over one knowledge base's index: ask (calibrated confidence) and keyword search."""

from __future__ import annotations

from typing import Any

from kb.content.load import KnowledgeBase
from kb.index.live import open_searcher
from kb.retrieval.calibration import calibrate, load_calibration, save_calibration
from kb.retrieval.confidence import THRESHOLD, Calibration, Ranker, confidences
from kb.retrieval.keyword import KeywordSearch
from kb.retrieval.question import MAX_QUERY_CHARS, QuestionAnalyzer
from kb.retrieval.results import Answer, AskResult, SearchHit, Snippet
from kb.retrieval.scope import Scope
from kb.retrieval.snippets import make_snippet

__all__ = ["Answer", "AskResult", "Engine", "SearchHit", "Snippet", "make_snippet",
           "MAX_QUERY_CHARS", "THRESHOLD"]


class Engine:
    """A searcher over one knowledge base's index; keep it open and ask many questions."""

    def __init__(self, kb: KnowledgeBase, ix: Any, calibration: Calibration | None = None) -> None:
        self.kb = kb
        self.ix = ix
        self.searcher = open_searcher(ix)  # live statistics after an incremental update
        self.n_docs = max(1, self.searcher.doc_count())
        self.scope = Scope(kb)
        self.analyzer = QuestionAnalyzer(kb, self.searcher, self.scope)
        self.ranker = Ranker(self.searcher, self.scope, self.analyzer.weight)
        self._keyword = KeywordSearch(kb, self.searcher, self.analyzer.df_field)
        self._keywords = self._keyword._keywords  # the keyword query builder, for tests and bench
        self._impacts = self._keyword._impacts
        if calibration is None:
            calibration = load_calibration(ix.storage)
            if calibration is None:
                calibration = calibrate(self.analyzer, self.ranker)
                try:
                    save_calibration(ix.storage, calibration)
                except Exception:  # noqa: BLE001 - a read-only cache: calibrate again next time
                    pass
        self.calibration = calibration

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
        shown = []
        for scored, confidence in zip(ranked, confidences(ranked, self.calibration), strict=True):
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
