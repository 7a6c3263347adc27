"""Keyword search (`faq search`): Whoosh syntax, term-at-a-time for long ANDs, snippets."""

from __future__ import annotations

from typing import Any

from whoosh.query import Every, Term

from kb.content.load import KnowledgeBase
from kb.index.live import pristine
from kb.retrieval.postings import ImpactCache, plain_terms
from kb.retrieval.query import KeywordQueryBuilder
from kb.retrieval.results import SearchHit
from kb.retrieval.snippets import make_snippet
from kb.retrieval.whoosh_compat import fixed_order

MAX_QUERY_CHARS = 1000


class KeywordSearch:
    """Keyword search over one index; ``doc_frequency(field, text)`` is the engine's cached df."""

    def __init__(self, kb: KnowledgeBase, searcher: Any, doc_frequency: Any) -> None:
        self.kb = kb
        self.searcher = searcher
        self._impacts = ImpactCache(searcher)
        self._keywords = KeywordQueryBuilder(doc_frequency)

    def search(self, terms: str, tag: str | None = None, limit: int = 20, lang: str = "ja") -> list[SearchHit]:
        """Keyword search with Whoosh syntax (AND/OR/NOT, "phrases", tag:); never raises on syntax."""
        text = terms[:MAX_QUERY_CHARS]
        query = self._keywords.build(text)
        tag_filter = Term("tags", tag) if tag else None
        if query is None:
            if tag_filter is None:
                return []
            query = Every()
        found: list[tuple[str, float]] | None = None
        words = plain_terms(query)
        query = fixed_order(query)  # scores that do not depend on the index's segments
        if words is not None:
            # An AND of plain words over long posting lists: same hits, far fewer Python steps.
            fast = self._impacts.search_and(words, limit, tag_filter, tree=query)
            if fast is not None:
                found = [(self.searcher.stored_fields(docnum)["id"], score) for docnum, score in fast]
        if found is None:
            # Whoosh breaks ties by document number, the id order in a full build but not in
            # an updated index: there every match is ranked and ties go by id (kb.index.live).
            in_id_order = pristine(self.searcher.reader())
            wanted = limit if in_id_order else None
            try:
                hits = self.searcher.search(query, limit=wanted, filter=tag_filter)
            except Exception:  # noqa: BLE001 - a query Whoosh cannot run falls back to plain words
                plain = self._keywords.plain(text)
                if plain is None:
                    return []
                hits = self.searcher.search(fixed_order(plain), limit=wanted, filter=tag_filter)
            found = [(hit["id"], float(hit.score)) for hit in hits] if in_id_order else self._by_id(hits, limit)
        out = []
        for entry_id, score in found:
            entry = self.kb.entries.get(entry_id)
            if entry is None:
                continue
            loc = entry.localized(lang)
            out.append(SearchHit(entry.id, loc.question, score,
                                 make_snippet(loc.question + "\n" + loc.answer, text), entry.tags))
        return out

    def _by_id(self, hits: Any, limit: int) -> list[tuple[str, float]]:
        """The best ``limit`` of every ranked match, ties by id."""
        top = hits.top_n
        if not top:
            return []
        cutoff = top[min(limit, len(top)) - 1][0]
        kept = [(-score, self.searcher.stored_fields(docnum)["id"]) for score, docnum in top if score >= cutoff]
        return [(entry_id, -negated) for negated, entry_id in sorted(kept)[:limit]]
