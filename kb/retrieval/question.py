"""A question as `ask` sees it: weighted features, the Whoosh query of its selective terms, scope."""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from whoosh.query import Query, Term

from kb.content.load import KnowledgeBase
from kb.index.store import check_quantities
from kb.retrieval.scope import Mention, Scope
from kb.retrieval.spelling import Speller
from kb.retrieval.whoosh_compat import FixedOr
from kb.text.analysis import (
    FRAMING,
    adjacent_pairs,
    bigrams,
    english_terms,
    is_dictionary_word,
    is_predicate,
    morph_terms,
    normalize,
    stem_word,
    synonym_groups,
)
from kb.text.glossary import content_words, fold_small_kana, matcher_for

MAX_QUERY_CHARS = 1000
MAX_BIGRAMS = 8
BIGRAM_MAX_DF_RATIO = 0.25
CONCEPT_BOOST = 2.0
# A term in more than this share of entries (and more than COMMON_MIN_DF of them) is too
# common to search by; it still counts towards confidence.
COMMON_DF_RATIO = 0.05
COMMON_MIN_DF = 50
MIN_QUERY_TERMS = 2
UNKNOWN_WORD_WEIGHT = 3.0
UNKNOWN_PREDICATE_WEIGHT = 1.0  # an unknown verb or adjective ("聞かれる"): how, not what
FRAMING_WEIGHT = 0.2
CONCEPT_MIN_WEIGHT = 1.0
UNKNOWN_NUMBER_WEIGHT = 0.5
MAX_COMPLETIONS = 12
TEXT_JA, TEXT_EN = "text_ja", "text_en"
_ASCII = re.compile(r"^[ -~]+$")
# A number, alone or with a unit ("16gb"): a word of its own only where the content has it.
_DIGITS = re.compile(r"^[0-9][0-9.,]*[a-z/]{0,5}$")
_WORDLIKE_NUMBER = re.compile(r"^\d[\d.,]+$")
_LAST_LATIN = re.compile(r"([a-z0-9][a-z0-9_.-]*)$")
_KATAKANA_RUN = re.compile("^[\u30a0-\u30ff]+$")
MIN_COMPOUND_PART = 3  # Latin: each word of a run-together name has three letters at least
TAIL_SLACK = 2  # letters a compound's stem may have cut off its last word ("filenam": "name")
MIN_KNOWN_PART = 2  # katakana: a part of an unknown run the content has as a word
MIN_RUN_PART = 3  # katakana: a part of an unknown run is a word of three characters at least
_LAST_CJK = re.compile("([\u30a0-\u30ff\u3400-\u9fff\u30fc]+)$")


@dataclass
class Question:
    """What ask scores entries against."""

    text: str  # as typed, mended: what checks read their numbers from
    features: dict[str, float]
    query: Query | None
    # A partially typed last word: its key -> the completions, any of which covers it.
    alternatives: dict[str, frozenset[str]] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    outside: set[str] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)  # feature keys no entry has
    _lookup: dict[str, str] | None = field(default=None, repr=False)

    @property
    def total(self) -> float:
        return sum(self.features.values())

    @property
    def unknown_share(self) -> float:
        """The share of the question's weight in words the content never uses."""
        total = self.total
        return sum(w for k, w in self.features.items() if k in self.unknown) / total if total > 0 else 0.0

    @property
    def lookup(self) -> dict[str, str]:
        """An entry's key -> the question feature it covers (completions cover their word)."""
        if self._lookup is None:
            self._lookup = {k: k for k in self.features}
            for key, alternatives in self.alternatives.items():
                for alt in alternatives:
                    self._lookup.setdefault(alt, key)
        return self._lookup


def fields_for(word: str) -> tuple[str, ...]:
    return (TEXT_EN, TEXT_JA) if _ASCII.match(word) else (TEXT_JA,)


class QuestionAnalyzer:
    """Turns question text into a :class:`Question` against one index."""

    def __init__(self, kb: KnowledgeBase, searcher: Any, scope: Scope,
                 synonyms: dict[int, frozenset[str]] | None = None) -> None:
        self.kb = kb
        self.searcher = searcher
        self.scope = scope
        self.n_docs = max(1, searcher.doc_count())
        self._df_cache: dict[str, int] = {}
        self._weight_cache: dict[str, float] = {}
        self.matcher = matcher_for(kb.glossary, check_quantities())  # the checks' quantities
        self.speller = Speller(searcher, [n for t in kb.glossary.values() for n in t.synonyms], self.df_field)
        self._abbreviations = _abbreviation_pattern(kb.profile.abbreviations)
        self._spellings = self.matcher.spellings  # sorted: a prefix's spellings are one run
        self._groups = synonyms or {}  # synonym group -> the content's words in it

    def analyze(self, text: str, partial: bool = False,
                df_override: Callable[[str], int] | None = None) -> Question:
        """The question's features and query; ``partial``: its last word may be half typed.

        ``df_override`` gives document frequencies as if some entry or phrasing were not in
        the index (calibration's leave-one-out probes).
        """
        text = text[:MAX_QUERY_CHARS]
        if self._abbreviations is not None:
            abbreviations = self.kb.profile.abbreviations
            lowered = {k.lower(): v for k, v in abbreviations.items()}
            text = self._abbreviations.sub(lambda m: lowered.get(m.group().lower(), m.group()), text)
        text = self.speller.mend_glossary_typos(text, lambda stem: self.df(stem) > 0)
        norm = normalize(text)
        mentions = self.scope.mentions(norm)
        # A version named ("WS2012R2", "2008 R2") is scope, not words to match.
        for mention in sorted(mentions, key=lambda m: -m.span[0]):
            start, end = mention.span
            norm = norm[:start] + " " + norm[end:]
        df = df_override or self.df
        question = Question(text=text, features={}, query=None, mentions=mentions, outside=self.scope.outside(norm))
        tail = None
        if partial and norm and not norm[-1].isspace():
            tail = self._complete(norm, question, df)
            if tail is not None:
                norm = norm[: -len(tail)]
        terms: list[tuple[int, Query]] = []
        features = question.features
        keys = [p for k in self.matcher.features(norm) for p in _split_run(k, df)]
        keys = _whole_names(norm, keys, df)
        keys = _joined(norm, keys, df)
        quantity = any(k.startswith("@qty-") for k in keys)
        for key in keys:
            if key.startswith("@qty-") and df(key) == 0:
                continue  # a quantity is a check's input; content with no such check has none
            if key.startswith("@"):
                features[key] = self.weight(key, df)
                terms.append((df(key), Term("concepts", key[1:], boost=CONCEPT_BOOST)))
                continue
            if df(key) == 0 and _ASCII.match(key) and not _DIGITS.match(key):
                key = self.speller.correct(key)
                parts = split_compound(key, df, self._stem_of_tail) if df(key) == 0 else None
                if parts:
                    for part in parts:
                        features[part] = self.weight(part, df)
                        terms.extend((df(part), t) for t in self._terms(part, 1.0))
                    continue
            if _DIGITS.match(key) and (df(key) == 0 or not _WORDLIKE_NUMBER.match(key) or quantity):
                # A number the content never mentions, a lone digit, or one beside a
                # quantity ("16GB") is a parameter (for a check) and says little about the
                # topic; "0.1", "5432" or "2.51" where the content has them are words.
                if df(key) == 0:
                    features[key] = UNKNOWN_NUMBER_WEIGHT
                continue
            features[key] = self.weight(key, df)
            terms.extend((df(key), t) for t in self._terms(key, 1.0))
        question.unknown.update(k for k in features if df(k) <= 0)
        # An unknown word (not a framing word, a predicate or a number) is covered by the
        # content's words of its synonym groups; it still counts as unknown for confidence
        # (kb.retrieval.synonyms).
        for key in sorted(question.unknown):
            words = self._synonyms(key, df) if features[key] == UNKNOWN_WORD_WEIGHT else None
            if words:
                question.alternatives[key] = words
        for key, alternatives in question.alternatives.items():
            features[key] = min((self.weight(a, df) for a in alternatives), default=0.0)
            for alt in alternatives:
                if alt.startswith("@"):
                    terms.append((df(alt), Term("concepts", alt[1:], boost=CONCEPT_BOOST)))
                else:
                    terms.extend((df(alt), t) for t in self._terms(alt, 1.0))
        # Words a concept absorbed still help ranking, so they join the query (not the features).
        for word in dict.fromkeys(content_words(norm)):
            if word not in features and not _DIGITS.match(word):
                terms.extend((self.df(word), t) for t in self._terms(word, 0.5))
        grams = [(self.df_field("bigram", g), g) for g in dict.fromkeys(bigrams(norm))]
        limit = max(1, int(self.n_docs * BIGRAM_MAX_DF_RATIO))
        selective = sorted((n, g) for n, g in grams if 0 < n <= limit)[:MAX_BIGRAMS]
        terms.extend((n, Term("bigram", g)) for n, g in selective)
        if not terms:
            return question
        common = max(COMMON_MIN_DF, int(self.n_docs * COMMON_DF_RATIO))
        rare = [t for n, t in terms if n <= common]
        if len(rare) < MIN_QUERY_TERMS:
            rare = [t for _n, t in sorted(terms, key=lambda x: x[0])[:MIN_QUERY_TERMS + 1]]
        # A plain union of term matchers (Whoosh's automatic choice for small indexes preloads
        # arrays of 2,048 slots per part, several ms for a handful of hits), in query order.
        question.query = FixedOr(rare)
        return question

    def _complete(self, norm: str, question: Question, df: Callable[[str], int]) -> str | None:
        """The half-typed last word's completions, as an alternative feature; returns that word."""
        match = _LAST_LATIN.search(norm) or _LAST_CJK.search(norm)
        if match is None:
            return None
        word = match.group(1)
        if len(word) < (2 if word.isascii() else 2) or (word.isascii() and word.isdigit()):
            return None
        reader = self.searcher.reader()
        found: dict[str, int] = {}
        for fieldname in fields_for(word):
            for term in reader.expand_prefix(fieldname, word):
                text = term.decode() if isinstance(term, bytes) else term
                if not self.df_field(fieldname, text):
                    continue  # only deleted documents had it (an updated index): not a word now
                found[text] = max(found.get(text, 0), df(text))
        folded = word if word.isascii() else fold_small_kana(word)
        for spelling, term_id in itertools.islice(self._spellings, bisect.bisect_left(self._spellings, (folded,)),
                                                  None):
            if not spelling.startswith(folded):
                break
            if len(spelling) > len(folded):
                found[f"@{term_id}"] = df(f"@{term_id}")
        if word in found and len(found) == 1:
            return None  # a whole word already: nothing to complete
        best = sorted((k for k in found if found[k]), key=lambda k: -found[k])[:MAX_COMPLETIONS]
        if not best:
            return None
        question.alternatives[f"~{word}"] = frozenset(best)
        return word

    def _synonyms(self, key: str, df: Callable[[str], int]) -> frozenset[str]:
        """The content's words that share a synonym group with ``key`` (and ``df`` counts)."""
        if not self._groups or key.startswith("@"):
            return frozenset()
        return frozenset(w for g in synonym_groups(key) for w in self._groups.get(g, ()) if w != key and df(w) > 0)

    def _stem_of_tail(self, tail: str) -> str | None:
        """The commonest indexed English stem that is ``tail`` and a letter or two more."""
        longer = (t.decode() if isinstance(t, bytes) else t
                  for t in self.searcher.reader().expand_prefix(TEXT_EN, tail))
        fits = [t for t in longer if len(t) - len(tail) <= TAIL_SLACK and self.df_field(TEXT_EN, t)]
        return max(fits, key=lambda t: (self.df_field(TEXT_EN, t), t), default=None)

    def _terms(self, word: str, boost: float) -> list[Query]:
        # Only fields that hold the word: a matcher per empty field costs time and finds nothing.
        return [Term(f, word, boost=boost) for f in fields_for(word) if self.df_field(f, word)]

    def df(self, key: str) -> int:
        """Entries using a feature key: a concept, or a word in any text field."""
        if key not in self._df_cache:
            if key.startswith("@"):
                self._df_cache[key] = self.df_field("concepts", key[1:])
            else:
                self._df_cache[key] = max(self.df_field(f, key) for f in fields_for(key))
        return self._df_cache[key]

    def df_field(self, fieldname: str, text: str) -> int:
        key = f"{fieldname}\0{text}"
        found = self._df_cache.get(key)
        if found is None:
            found = self._df_cache[key] = int(self.searcher.doc_frequency(fieldname, text))
        return found

    def weight(self, key: str, df: Callable[[str], int] | None = None) -> float:
        """How much a feature says: idf; words the content never uses weigh the most."""
        if df is not None and df is not self.df:
            return self._compute_weight(key, df)
        found = self._weight_cache.get(key)
        if found is None:
            found = self._weight_cache[key] = self._compute_weight(key, self.df)
        return found

    def _compute_weight(self, key: str, df: Callable[[str], int]) -> float:
        if key in FRAMING:
            return FRAMING_WEIGHT
        n = df(key)
        if n <= 0:
            return UNKNOWN_PREDICATE_WEIGHT if is_predicate(key) else UNKNOWN_WORD_WEIGHT
        idf = math.log(1 + (self.n_docs - n + 0.5) / (n + 0.5))
        # A glossary concept says "this is about our domain" even when every entry has it.
        return max(idf, CONCEPT_MIN_WEIGHT) if key.startswith("@") else idf


# A name with a dot or underscore beside a letter ("core.autocrlf", "pg_hba.conf"; "0.1" is a number).
_NAME = re.compile(r"(?<![0-9a-z_])[0-9a-z]+(?:[._]+[0-9a-z]+)+")
_NAME_JOINT = re.compile(r"(?<=[a-z])[._]|[._](?=[a-z])")


def _whole_names(norm: str, keys: list[str], df: Callable[[str], int]) -> list[str]:
    """The question's words without the parts of the names the content writes whole.

    A question is analysed both ways, so "core.autocrlf" is the name and also "core" and
    "autocrlf", as the morphological analyser cuts it; English text in the index holds
    only the name. A part that the content then never uses on its own is no unknown word
    the question adds (it weighed the most of all and held every entry down): it is the
    name, which is already a feature. A name the content lacks keeps its parts.
    """
    if "." not in norm and "_" not in norm:
        return keys
    names = [m.group() for m in _NAME.finditer(norm) if _NAME_JOINT.search(m.group())]
    known = [(name, whole) for name in names for whole in english_terms(name)[:1] if df(whole)]
    if not known:
        return keys
    rest = norm
    for name, _whole in known:
        rest = rest.replace(name, " ")
    alone = set(content_words(rest))  # a part the question also writes on its own stays
    drop = {p for name, whole in known for p in morph_terms(name)
            if p != whole and p not in alone and not df(p)}
    return [k for k in keys if k not in drop]


def _joined(norm: str, keys: list[str], df: Callable[[str], int]) -> list[str]:
    """Two neighbouring Japanese morphemes as the one word the content writes ("一時"), where
    neither is a word (other than a number) the question counts on its own that the content uses."""
    if norm.isascii():
        return keys
    out = list(keys)
    for joined, parts in adjacent_pairs(norm):
        if joined in out or not df(joined) or any(p in out and df(p) and not _DIGITS.match(p) for p in parts):
            continue
        out = [k for k in out if k not in parts]
        out.append(joined)
    return out


def _split_run(key: str, df: Callable[[str], int]) -> list[str]:
    """An unknown katakana run cut where a word the content uses ends it ("ポスグレバージョン").

    The analyser keeps a run of katakana it does not know as one word, and Japanese runs
    lose the spaces between them, so "ポスグレ バージョン" is one word no entry has; the
    content's longest word at its end, and the rest, are what was typed.
    """
    if len(key) < 2 * MIN_KNOWN_PART or not _KATAKANA_RUN.match(key) or df(key):
        return [key]
    for cut in range(MIN_RUN_PART, len(key) - MIN_RUN_PART + 1):
        if df(key[cut:]):
            return [key[:cut], key[cut:]]
    # Two words the content uses, short ones too, a long vowel left off the first as people
    # often write it ("サーバログ": "サーバー", "ログ").
    for cut in range(MIN_KNOWN_PART, len(key) - MIN_KNOWN_PART + 1):
        head, tail = key[:cut], key[cut:]
        head = head if df(head) else head + "ー" if df(head + "ー") else ""
        if head and df(tail):
            return [head, tail]
    return [key]


def split_compound(key: str, df: Callable[[str], int],
                   tail_stem: Callable[[str], str | None] | None = None) -> list[str] | None:
    """An unknown Latin word cut into words the content uses ("sshcommand": "ssh", "command").

    Option names and identifiers run words together ("core.sshCommand", "useHttpPath");
    a plain substring search finds their parts, word analysis does not. Every part is a
    known word of MIN_COMPOUND_PART letters at least; the leftmost cut that works wins.
    The compound was stemmed whole, so its last part may be cut shorter than that word's
    own stem ("filename" -> "filenam", "name" -> "name"): ``tail_stem`` gives the known
    stem such a part begins.
    """
    if len(key) < 2 * MIN_COMPOUND_PART or not key.isalpha() or not key.isascii() or is_dictionary_word(key):
        return None  # a word of the dictionary is one word ("payload" is no "pay" + "load")
    for cut in range(MIN_COMPOUND_PART, len(key) - MIN_COMPOUND_PART + 1):
        head = stem_word(key[:cut])
        if not df(head):
            continue
        tail = key[cut:]
        known = tail if df(tail) else tail_stem(tail) if tail_stem else None
        if known:
            return [head, known]
        rest = split_compound(tail, df, tail_stem)
        if rest:
            return [head, *rest]
    return None


def _abbreviation_pattern(abbreviations: dict[str, str]) -> re.Pattern[str] | None:
    if not abbreviations:
        return None
    keys = sorted(abbreviations, key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![A-Za-z0-9])",
                      re.IGNORECASE)
