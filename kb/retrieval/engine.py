"""Answering questions and keyword search over the index, with calibrated confidence."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from whoosh.query import Every, Or, Query, Term

from kb.content.load import KnowledgeBase
from kb.index.store import check_quantities
from kb.retrieval.postings import ImpactCache, plain_terms
from kb.retrieval.query import KeywordQueryBuilder
from kb.text.analysis import FRAMING, bigrams, english_terms, morph_terms, normalize
from kb.text.glossary import content_words, matcher_for

# Questions longer than this are cut: nobody types more, and analysis time stays bounded.
MAX_QUERY_CHARS = 1000
# Tuned on tests/data/eval.jsonl (see README, "Answer quality").
CONFIDENCE_THRESHOLD = 0.45
MAX_BIGRAMS = 8
BIGRAM_MAX_DF_RATIO = 0.25
CONCEPT_BOOST = 2.0
CANDIDATES = 20
# A term in more than this share of entries (and more than COMMON_MIN_DF of them) is too
# common to search by; it still counts towards confidence.
COMMON_DF_RATIO = 0.05
COMMON_MIN_DF = 50
MIN_QUERY_TERMS = 2
PHRASE_WEIGHT = 0.5
SCORE_DAMPING = 0.1
UNKNOWN_WORD_WEIGHT = 3.0
FRAMING_WEIGHT = 0.2
CONCEPT_MIN_WEIGHT = 1.0
UNKNOWN_NUMBER_WEIGHT = 0.5
_TEXT_FIELDS_JA = ("text_ja",)
_TEXT_FIELDS_EN = ("text_en",)
# Numbers, alone or with a unit ("16gb", "1gbp" after stemming): parameters, not topic words.
_DIGITS = re.compile(r"^[0-9][0-9.,]*[a-z/]{0,5}$")
# Product versions a question may name; an entry that does not apply to the named version
# is not the answer, however well the words match ("install Windows Server 2019").
_VERSION = re.compile(r"(windows(?: server)?|hyper-v(?: server)?|vmm|system center)\s*(\d{1,4}(?:\s*r2)?)")
VERSION_MISMATCH_FACTOR = 0.3
# Other virtualization products and clouds, and Hyper-V features newer than the content's
# versions: a question naming one is about that, not about our entries, unless an entry
# itself mentions it. Matched as whole words (Latin) or anywhere (Japanese).
OTHER_PRODUCTS = re.compile(
    r"(?<![a-z0-9])(?:vmware|vmotion|vsphere|esxi?|vcenter|xenserver|xen|kvm|proxmox|virtualbox|nutanix"
    r"|azure|aws|ec2|openstack|hyper-v replica|shared[- ]nothing)(?![a-z0-9])"
    r"|hyper-vレプリカ|レプリカ|記憶域の移行|共有なし")
FUZZY_MIN_LENGTH = 5
GLOSSARY_TYPO_CUTOFF = 0.85  # difflib ratio: "migraton" ~ "migration" 0.94, "explained" ~ nothing
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
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


class Engine:
    """A searcher over one knowledge base's index; keep it open and ask many questions."""

    def __init__(self, kb: KnowledgeBase, ix: Any) -> None:
        self.kb = kb
        self.ix = ix
        self.searcher = ix.searcher()
        self.n_docs = max(1, self.searcher.doc_count())
        self._df_cache: dict[str, int] = {}
        self._fix_cache: dict[str, str] = {}
        self._mend_cache: dict[str, str] = {}
        self._weight_cache: dict[str, float] = {}
        self._phrase_mass: dict[tuple[str, ...], float] = {}
        self._matcher = matcher_for(kb.glossary, check_quantities())  # the checks' quantities
        self._impacts = ImpactCache(self.searcher)
        # Latin words of the glossary's spellings, for mending typos before concepts are found.
        self._glossary_words = sorted({w for term in kb.glossary.values() for name in term.synonyms
                                       for w in _LATIN_WORD.findall(name.lower()) if len(w) >= FUZZY_MIN_LENGTH})
        self._keywords = KeywordQueryBuilder(self._df_field)

    def close(self) -> None:
        self.searcher.close()

    # -- ask ---------------------------------------------------------------------------------

    def ask(self, question: str, top: int = 3, lang: str = "ja", run_checks: bool = True) -> AskResult:
        """The best entries for a natural-language question, each with a confidence in 0..1.

        Confidence is the idf-weighted share of the question's content (words and glossary
        concepts) that an entry explains, lifted by how closely one of its phrasings matches
        the question as a whole; words the content never uses weigh the most, which is what
        turns away off-topic questions.
        """
        text = self._mend_glossary_typos(question[:MAX_QUERY_CHARS])
        result = AskResult(query=question, answers=[], candidates=[])
        features, query = self._build_query(text)
        total = sum(features.values())
        if query is None or total <= 0:
            return result
        hits = self.searcher.search(query, limit=max(top, CANDIDATES))
        if not hits:
            return result
        norm = normalize(text)
        versions = _versions(norm)
        other_products = {m.group() for m in OTHER_PRODUCTS.finditer(norm)}
        best_score = hits[0].score or 1.0
        ranked = []
        for hit in hits:
            vocab = set(hit.get("vocab", ()))
            coverage = sum(w for k, w in features.items() if k in vocab) / total
            closeness = max((self._dice(features, total, p) for p in hit.get("phrasings", ())), default=0.0)
            relative = hit.score / best_score
            confidence = coverage * (1 - PHRASE_WEIGHT) + closeness * PHRASE_WEIGHT
            confidence *= 1 - SCORE_DAMPING * (1 - relative)
            if versions and not self._applies(hit["id"], versions):
                confidence *= VERSION_MISMATCH_FACTOR
            if other_products and not self._mentions(hit["id"], other_products):
                confidence *= VERSION_MISMATCH_FACTOR
            entry = self.kb.entries.get(hit["id"])
            title = entry.question(lang) if entry else hit["id"]
            ranked.append(Answer(hit["id"], title, float(hit.score), max(0.0, min(1.0, confidence))))
        ranked.sort(key=lambda a: (-a.confidence, -a.score))
        result.candidates = ranked[:top]
        result.answers = [a for a in ranked[:top] if a.confidence >= CONFIDENCE_THRESHOLD]
        if result.answers and run_checks:
            result.checks = self._checks_for(text, result.answers[0].id)
        return result

    def _mend_glossary_typos(self, text: str) -> str:
        """Misspelt glossary words put right ("live migraton" -> "live migration").

        Typo correction against the index (``_correct``) works word by word, after the
        glossary concepts were looked for; a concept spelt wrong would be lost. Only words the
        content never uses are changed, and only to a glossary word within a small distance.
        """
        if not _LATIN_WORD.search(text):
            return text

        def mend(match: re.Match[str]) -> str:
            word = match.group()
            lower = word.lower()
            if len(lower) < FUZZY_MIN_LENGTH or lower in self._mend_cache:
                return self._mend_cache.get(lower, word)
            fixed = word
            stems = english_terms(lower)
            if stems and self._df(stems[0]) == 0:
                close = difflib.get_close_matches(lower, self._glossary_words, n=1, cutoff=GLOSSARY_TYPO_CUTOFF)
                if close:
                    fixed = close[0]
            self._mend_cache[lower] = fixed
            return fixed

        return _LATIN_WORD.sub(mend, text)

    def _dice(self, features: dict[str, float], total: float, phrasing: list[str]) -> float:
        """Weighted Dice overlap of the question with one phrasing of an entry."""
        both = sum(features.get(k, 0.0) for k in phrasing)
        if not both:
            return 0.0
        key = tuple(phrasing)
        mass = self._phrase_mass.get(key)
        if mass is None:
            mass = self._phrase_mass[key] = sum(self._weight(k) for k in phrasing)
        return 2 * both / (total + mass)

    def _mentions(self, entry_id: str, products: set[str]) -> bool:
        """Whether the entry itself names every one of ``products`` (rare: computed, not cached)."""
        entry = self.kb.entries.get(entry_id)
        if entry is None:
            return True
        text = " ".join(normalize(f"{loc.question} {' '.join(loc.alternates)} {loc.answer}")
                        for loc in (entry.localized("ja"), entry.localized("en")))
        return {m.group() for m in OTHER_PRODUCTS.finditer(text)} >= products

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

    def _build_query(self, text: str) -> tuple[dict[str, float], Query | None]:
        """The question's weighted features and a Whoosh query of its selective terms.

        Terms that most entries contain find nothing in particular and cost the most
        (long posting lists), so they stay features for confidence but leave the query
        whenever rarer terms are there to find candidates.
        """
        norm = normalize(text)
        features: dict[str, float] = {}
        terms: list[tuple[int, Query]] = []
        for key in self._matcher.features(text):
            if key.startswith("@"):
                features[key] = self._weight(key)
                terms.append((self._df(key), Term("concepts", key[1:], boost=CONCEPT_BOOST)))
                continue
            if self._df(key) == 0 and _ASCII.match(key) and len(key) >= FUZZY_MIN_LENGTH and not _DIGITS.match(key):
                key = self._correct(key)
            df = self._df(key)
            if _DIGITS.match(key):
                # Numbers are parameters for checks; only a number the content never
                # mentions says something about the topic, and only a little.
                if df == 0:
                    features[key] = UNKNOWN_NUMBER_WEIGHT
                continue
            features[key] = self._weight(key)
            terms.extend((df, t) for t in self._terms(key, 1.0))
        # Words a concept absorbed still help ranking, so they join the query (not the features).
        for word in dict.fromkeys(content_words(norm)):
            if word not in features and not _DIGITS.match(word):
                terms.extend((self._df(word), t) for t in self._terms(word, 0.5))
        grams = [(self._df_field("bigram", g), g) for g in dict.fromkeys(bigrams(norm))]
        limit = max(1, int(self.n_docs * BIGRAM_MAX_DF_RATIO))
        selective = sorted((df, g) for df, g in grams if 0 < df <= limit)[:MAX_BIGRAMS]
        terms.extend((df, Term("bigram", g)) for df, g in selective)
        if not terms:
            return features, None
        common = max(COMMON_MIN_DF, int(self.n_docs * COMMON_DF_RATIO))
        rare = [t for df, t in terms if df <= common]
        if len(rare) < MIN_QUERY_TERMS:
            rare = [t for _df, t in sorted(terms, key=lambda x: x[0])[:MIN_QUERY_TERMS + 1]]
        return features, Or(rare)

    def _terms(self, word: str, boost: float) -> list[Query]:
        # Only fields that hold the word: a matcher per empty field costs time and finds nothing.
        return [Term(f, word, boost=boost) for f in _fields_for(word) if self._df_field(f, word)]

    def _correct(self, word: str) -> str:
        """The indexed English word closest to a misspelt one ("migraton" -> "migrat"), or itself."""
        if word not in self._fix_cache:
            reader = self.searcher.reader()
            maxdist = 1 if len(word) < 7 else 2
            best, best_df = word, 0
            for fieldname in _TEXT_FIELDS_EN:
                for candidate in reader.terms_within(fieldname, word, maxdist, prefix=1):
                    df = self._df_field(fieldname, candidate)
                    if df > best_df:
                        best, best_df = candidate, df
            self._fix_cache[word] = best
        return self._fix_cache[word]

    def _df(self, key: str) -> int:
        """Entries using a feature key: a concept, or a word in any text field."""
        if key not in self._df_cache:
            if key.startswith("@"):
                self._df_cache[key] = self._df_field("concepts", key[1:])
            else:
                self._df_cache[key] = max(self._df_field(f, key) for f in _fields_for(key))
        return self._df_cache[key]

    def _df_field(self, fieldname: str, text: str) -> int:
        key = f"{fieldname}\0{text}"
        df = self._df_cache.get(key)
        if df is None:
            df = self._df_cache[key] = int(self.searcher.doc_frequency(fieldname, text))
        return df

    def _weight(self, key: str) -> float:
        weight = self._weight_cache.get(key)
        if weight is None:
            weight = self._weight_cache[key] = self._compute_weight(key)
        return weight

    def _compute_weight(self, key: str) -> float:
        if key in FRAMING:
            return FRAMING_WEIGHT
        df = self._df(key)
        if df == 0:
            return UNKNOWN_WORD_WEIGHT
        idf = math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))
        # A glossary concept says "this is about our domain" even when every entry has it.
        return max(idf, CONCEPT_MIN_WEIGHT) if key.startswith("@") else idf

    # -- keyword search ----------------------------------------------------------------------

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
        if words is not None:
            # An AND of plain words over long posting lists: same hits, far fewer Python steps.
            fast = self._impacts.search_and(words, limit, tag_filter)
            if fast is not None:
                found = [(self.searcher.stored_fields(docnum)["id"], score) for docnum, score in fast]
        if found is None:
            try:
                hits = self.searcher.search(query, limit=limit, filter=tag_filter)
            except Exception:  # noqa: BLE001 - a query Whoosh cannot run falls back to plain words
                plain = self._keywords.plain(text)
                if plain is None:
                    return []
                hits = self.searcher.search(plain, limit=limit, filter=tag_filter)
            found = [(hit["id"], float(hit.score)) for hit in hits]
        out = []
        for entry_id, score in found:
            entry = self.kb.entries.get(entry_id)
            if entry is None:
                continue
            loc = entry.localized(lang)
            out.append(SearchHit(entry.id, loc.question, score,
                                 make_snippet(loc.question + "\n" + loc.answer, text), entry.tags))
        return out


def _versions(norm: str) -> set[str]:
    """Normalized product versions named in text: {"windows server 2008 r2", "windows 10"}."""
    return {f"{m.group(1)} {m.group(2).replace(' ', '')}" for m in _VERSION.finditer(norm)}


def _fields_for(word: str) -> tuple[str, ...]:
    return _TEXT_FIELDS_EN + _TEXT_FIELDS_JA if _ASCII.match(word) else _TEXT_FIELDS_JA


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
