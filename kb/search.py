"""Answering questions and keyword search over the index, with calibrated confidence."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import qparser
from whoosh.query import Every, Or, Query, Term

from kb.analysis import bigrams, english_terms, morph_terms, normalize
from kb.index import IndexInfo, concepts_in, open_index
from kb.load import KnowledgeBase

# Questions longer than this are cut: nobody types more, and analysis time stays bounded.
MAX_QUERY_CHARS = 1000
# Tuned on tests/data/eval.jsonl (see README, "Answer quality").
CONFIDENCE_THRESHOLD = 0.45
MAX_BIGRAMS = 8
BIGRAM_MAX_DF_RATIO = 0.25
CONCEPT_BOOST = 2.0
UNKNOWN_NUMBER_WEIGHT = 0.5
_TEXT_FIELDS_JA = ("q_ja", "alt_ja", "body_ja")
_TEXT_FIELDS_EN = ("q_en", "alt_en", "body_en")
_SEARCH_FIELDS = ["q_ja", "q_en", "alt_ja", "alt_en", "body_ja", "body_en", "bigram"]
_DIGITS = re.compile(r"^[0-9.]+$")
# Product versions a question may name; an entry that does not apply to the named version
# is not the answer, however well the words match ("install Windows Server 2019").
_VERSION = re.compile(r"(windows(?: server)?|hyper-v(?: server)?|vmm|system center)\s*(\d{1,4}(?:\s*r2)?)")
VERSION_MISMATCH_FACTOR = 0.3
FUZZY_MIN_LENGTH = 5
_ASCII = re.compile(r"^[ -~]+$")


@dataclass(frozen=True)
class Answer:
    """One candidate entry for a question."""

    id: str
    question: str
    score: float
    confidence: float


@dataclass
class AskResult:
    """What `ask` found: answers best first (empty when nothing is a confident match)."""

    query: str
    answers: list[Answer]
    candidates: list[Answer]  # the closest entries even when none is confident
    checks: list[Any] = field(default_factory=list)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "query": self.query,
            "answers": [
                {"id": a.id, "question": a.question, "score": round(a.score, 4), "confidence": round(a.confidence, 4)}
                for a in self.answers
            ],
            "checks": [c.to_json(lang) for c in self.checks],
        }


@dataclass(frozen=True)
class Snippet:
    """A piece of text with the spans that matched the query, for the printer to highlight."""

    text: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchHit:
    id: str
    question: str
    score: float
    snippet: Snippet
    tags: tuple[str, ...]


@dataclass
class _Feature:
    """One thing the question asks about: a content word or a glossary concept."""

    keys: frozenset[tuple[str, bytes]]  # (field, term) pairs that count as matching it
    weight: float


class Engine:
    """A searcher over one knowledge base's index; keep it open and ask many questions."""

    def __init__(self, kb: KnowledgeBase, ix: Any) -> None:
        self.kb = kb
        self.ix = ix
        self.searcher = ix.searcher()
        self.n_docs = max(1, self.searcher.doc_count())
        self._df_cache: dict[tuple[str, str], int] = {}
        self._fix_cache: dict[str, str] = {}
        self._concept_terms = {
            term.id: {t for name in term.synonyms for t in _words(normalize(name))} for term in kb.glossary.values()
        }
        parser = qparser.MultifieldParser(_SEARCH_FIELDS, ix.schema, group=qparser.AndGroup)
        parser.add_plugin(qparser.FieldAliasPlugin({"tags": ["tag"]}))
        self._parser = parser

    def close(self) -> None:
        self.searcher.close()

    # -- ask ---------------------------------------------------------------------------------

    def ask(self, question: str, top: int = 3, lang: str = "ja", run_checks: bool = True) -> AskResult:
        """The best entries for a natural-language question, each with a confidence in 0..1."""
        text = question[:MAX_QUERY_CHARS]
        norm = normalize(text)
        features, query = self._build_query(text, norm)
        result = AskResult(query=question, answers=[], candidates=[])
        if query is None:
            return result
        hits = self.searcher.search(query, limit=max(top, 5), terms=True)
        total = sum(f.weight for f in features)
        if total <= 0:
            return result
        versions = _versions(norm)
        scored = []
        for hit in hits:
            matched = set(hit.matched_terms())
            covered = sum(f.weight for f in features if f.keys & matched)
            coverage = covered / total
            scored.append((hit["id"], hit.score, coverage))
        if not scored:
            return result
        best_score = scored[0][1]
        ranked = []
        for entry_id, score, coverage in scored:
            # The share of the question an entry explains is the confidence; relative
            # BM25 score breaks ties and damps entries that match only by accident.
            relative = score / best_score if best_score > 0 else 0.0
            confidence = coverage * (0.75 + 0.25 * relative)
            if versions and not self._applies(entry_id, versions):
                confidence *= VERSION_MISMATCH_FACTOR
            ranked.append(Answer(entry_id, self.kb.entries[entry_id].question(lang)
                                 if entry_id in self.kb.entries else entry_id, score, min(1.0, confidence)))
        ranked.sort(key=lambda a: (-a.confidence, -a.score))
        result.candidates = ranked[:top]
        result.answers = [a for a in ranked[:top] if a.confidence >= CONFIDENCE_THRESHOLD]
        if result.answers and run_checks:
            result.checks = self._checks_for(text, result.answers[0].id)
        return result

    def _applies(self, entry_id: str, versions: set[str]) -> bool:
        entry = self.kb.entries.get(entry_id)
        if entry is None:
            return True
        products = {v for p in entry.applies_to for v in _versions(normalize(p))}
        return bool(versions & products)

    def _checks_for(self, text: str, entry_id: str) -> list[Any]:
        entry = self.kb.entries.get(entry_id)
        if entry is None or not entry.checks:
            return []
        from kb.checks import checks_for_question

        return list(checks_for_question(text, entry.checks))

    def _build_query(self, text: str, norm: str) -> tuple[list[_Feature], Query | None]:
        concepts = concepts_in(text, self.kb.glossary) if self.kb.glossary else []
        absorbed: set[str] = set()
        for concept in concepts:
            absorbed |= self._concept_terms.get(concept, set())
        words = list(dict.fromkeys(_words(norm)))
        features: list[_Feature] = []
        terms: list[Query] = []
        for concept in concepts:
            df = self._df("concepts", concept)
            features.append(_Feature(_term_keys(("concepts",), concept), self._idf(df)))
            terms.append(Term("concepts", concept, boost=CONCEPT_BOOST))
        for word in words:
            ascii_word = bool(_ASCII.match(word))
            fields = _TEXT_FIELDS_EN + _TEXT_FIELDS_JA if ascii_word else _TEXT_FIELDS_JA
            df = max(self._df(f, word) for f in fields)
            if df == 0 and ascii_word and len(word) >= FUZZY_MIN_LENGTH and not _DIGITS.match(word):
                word = self._correct(word)
                df = max(self._df(f, word) for f in fields)
            if _DIGITS.match(word):
                # Numbers are parameters for checks; only a number the content never
                # mentions says something about the topic, and only a little.
                if df == 0:
                    features.append(_Feature(frozenset(), UNKNOWN_NUMBER_WEIGHT))
                continue
            if word not in absorbed:
                features.append(_Feature(_term_keys(fields, word), self._idf(df)))
            if df:
                terms.extend(Term(f, word) for f in fields)
        grams = [(self._df("bigram", g), g) for g in dict.fromkeys(bigrams(norm))]
        limit = max(1, int(self.n_docs * BIGRAM_MAX_DF_RATIO))
        selective = sorted((df, g) for df, g in grams if 0 < df <= limit)[:MAX_BIGRAMS]
        terms.extend(Term("bigram", g) for _, g in selective)
        if not terms:
            return features, None
        return features, Or(terms)

    def _correct(self, word: str) -> str:
        """The indexed English word closest to a misspelt one ("migraton" -> "migrat"), or itself."""
        if word not in self._fix_cache:
            reader = self.searcher.reader()
            maxdist = 1 if len(word) < 7 else 2
            best, best_df = word, 0
            for fieldname in _TEXT_FIELDS_EN:
                for candidate in reader.terms_within(fieldname, word, maxdist, prefix=1):
                    df = self._df(fieldname, candidate)
                    if df > best_df:
                        best, best_df = candidate, df
            self._fix_cache[word] = best
        return self._fix_cache[word]

    def _df(self, fieldname: str, text: str) -> int:
        key = (fieldname, text)
        if key not in self._df_cache:
            self._df_cache[key] = self.searcher.doc_frequency(fieldname, text)
        return self._df_cache[key]

    def _idf(self, df: int) -> float:
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    # -- keyword search ----------------------------------------------------------------------

    def search(self, terms: str, tag: str | None = None, limit: int = 20, lang: str = "ja") -> list[SearchHit]:
        """Keyword search with Whoosh syntax (AND/OR/NOT, "phrases", tag:); never raises on syntax."""
        text = terms[:MAX_QUERY_CHARS]
        query = self._parse(text)
        tag_filter = Term("tags", tag) if tag else None
        if query is None:
            if tag_filter is None:
                return []
            query = Every()
        hits = self.searcher.search(query, limit=limit, filter=tag_filter)
        out = []
        for hit in hits:
            entry = self.kb.entries.get(hit["id"])
            if entry is None:
                continue
            loc = entry.localized(lang)
            out.append(SearchHit(entry.id, loc.question, float(hit.score),
                                 make_snippet(loc.question + "\n" + loc.answer, text), entry.tags))
        return out

    def _parse(self, text: str) -> Query | None:
        try:
            query = self._parser.parse(text)
        except Exception:  # noqa: BLE001 - Whoosh's parser can fail in odd ways; fall back below
            query = None
        if query is None or _is_null(query):
            # Malformed syntax: search the plain words instead.
            plain = re.sub(r"[\"'():*?~^\[\]{}]", " ", text)
            features, fallback = self._build_query(plain, normalize(plain))
            return fallback
        return query


def _is_null(query: Query) -> bool:
    return type(query).__name__ == "_NullQuery"


def _versions(norm: str) -> set[str]:
    """Normalized product versions named in text: {"windows server 2008 r2", "windows 10"}."""
    return {f"{m.group(1)} {m.group(2).replace(' ', '')}" for m in _VERSION.finditer(norm)}


def _term_keys(fields: tuple[str, ...], text: str) -> frozenset[tuple[str, bytes]]:
    # Whoosh reports matched terms as (field, utf-8 bytes).
    return frozenset((f, text.encode("utf-8")) for f in fields)


def _words(norm: str) -> list[str]:
    """Content words of normalized text: Japanese morphemes and English stems."""
    out = morph_terms(norm)
    out.extend(t for t in english_terms(norm) if _ASCII.match(t))
    return out


def make_snippet(text: str, query: str, width: int = 160) -> Snippet:
    """A window of ``text`` around the first match of any query word, with all matches marked."""
    words = {w for w in re.split(r"[\s\"'():*?~^\[\]{}]+", query) if w and w.upper() not in ("AND", "OR", "NOT")}
    words = {w.split(":", 1)[1] if ":" in w else w for w in words}
    words |= {m for w in list(words) for m in morph_terms(normalize(w)) if not _ASCII.match(m)}
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for word in sorted(words, key=len, reverse=True):
        needle = normalize(word)
        if not needle:
            continue
        start = lowered.find(needle)
        while start >= 0:
            end = start + len(needle)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = lowered.find(needle, end)
    spans.sort()
    flat = text.replace("\n", " ")
    if not spans:
        return Snippet(flat[:width], ())
    begin = max(0, spans[0][0] - width // 4)
    end = min(len(flat), begin + width)
    window = tuple((s - begin, e - begin) for s, e in spans if s >= begin and e <= end)
    prefix = "…" if begin else ""
    shift = len(prefix)
    return Snippet(prefix + flat[begin:end] + ("…" if end < len(flat) else ""),
                   tuple((s + shift, e + shift) for s, e in window))


def open_engine(kb: KnowledgeBase, cache_dir: Path | None, rebuild: bool = False) -> tuple[Engine, IndexInfo]:
    """Open (building when needed) the index for ``kb`` and an engine over it."""
    ix, info = open_index(kb, cache_dir, rebuild=rebuild)
    return Engine(kb, ix), info
