"""Keyword queries: Whoosh syntax parsed once, each word routed to the fields that can hold it."""

from __future__ import annotations

import re
from collections.abc import Callable

from whoosh import qparser
from whoosh.fields import KEYWORD, Schema
from whoosh.query import And, NullQuery, Or, Phrase, Prefix, Query, Term, Wildcard

from kb.text.analysis import bigrams, english_terms, morph_terms, normalize

JA_FIELDS = ("text_ja",)
EN_FIELDS = ("text_en",)
_TRAILING_QUESTION_MARK = re.compile(r"\?+\s*$")
_PLAIN = "text"  # the parser's default field: a placeholder that words are routed from
_SYNTAX_JUNK = re.compile(r"[\"'():*?~^\[\]{}]")


class KeywordQueryBuilder:
    """Turns what a person typed into a query over the index's fields.

    Whoosh's parser gives the structure (AND/OR/NOT, "phrases", ``tag:``, prefixes); each
    word is then analysed the way the index was: English words go to the stemmed fields,
    Japanese to the morpheme fields, and the bigram net is cast only for a word whose
    morphemes the index does not know (searching common bigrams is what makes naive
    Japanese search slow).
    """

    def __init__(self, doc_frequency: Callable[[str, str], int]) -> None:
        self._df = doc_frequency
        parser = qparser.QueryParser(_PLAIN, Schema(tags=KEYWORD()), group=qparser.AndGroup)
        parser.add_plugin(qparser.FieldAliasPlugin({"tags": ["tag"]}))
        parser.remove_plugin_class(qparser.BoostPlugin)
        self._parser = parser

    def plain(self, text: str) -> Query | None:
        """The words of ``text`` with every piece of syntax removed, all required."""
        plain = " ".join(w for w in _SYNTAX_JUNK.sub(" ", text).split() if w not in ("AND", "OR", "NOT"))
        words = [self._word(w) for w in plain.split()]
        kept = [w for w in words if w is not None]
        return And(kept) if kept else None

    def build(self, text: str) -> Query | None:
        """The query, or None when nothing searchable is left; never raises on bad syntax."""
        if all(w in ("AND", "OR", "NOT") for w in _SYNTAX_JUNK.sub(" ", text).split()):
            return None  # operators with nothing to join ("NOT" alone is not the word "not")
        if " " in text.strip():
            # A question mark ending a sentence is punctuation, not Whoosh's one-character
            # wildcard ("…the virtual machine?" must not become a "machine?" pattern).
            text = _TRAILING_QUESTION_MARK.sub("", text)
        try:
            parsed = self._parser.parse(text)
        except Exception:  # noqa: BLE001 - Whoosh's parser can fail in odd ways; fall back below
            parsed = NullQuery
        query = self._route(parsed) if parsed is not NullQuery else None
        if query is None or query is NullQuery:
            # Malformed syntax or nothing left: search the plain words.
            return self.plain(text)
        return query

    def _route(self, query: Query) -> Query | None:
        if isinstance(query, Term) and query.fieldname == _PLAIN:
            return self._word(str(query.text))
        if isinstance(query, Phrase) and query.fieldname == _PLAIN:
            return self._phrase([str(w) for w in query.words])
        if isinstance(query, Prefix | Wildcard) and query.fieldname == _PLAIN:
            text = normalize(str(query.text))
            fields = EN_FIELDS + JA_FIELDS if text.isascii() else JA_FIELDS
            return Or([type(query)(f, text) for f in fields])
        if query.is_leaf():
            # Anything else aimed at the placeholder field (ranges, "*", fuzzy terms) has
            # no field to run in; field-qualified leaves (tag:...) stay as they are.
            return None if getattr(query, "fieldname", None) == _PLAIN else query
        children = [self._route(c) for c in query.children()]
        kept = [c for c in children if c is not None]
        if not kept:
            return None
        return query.__class__(kept) if not hasattr(query, "query") else query.__class__(kept[0])

    def _word(self, word: str) -> Query | None:
        norm = normalize(word)
        if not norm:
            return None
        if norm.isascii():
            # Every entry has English text, so an English word is searched there; the
            # Japanese fields only when no English text has it (fewer postings to walk).
            tokens = english_terms(norm)
            per_token = [self._fields_or(t, EN_FIELDS) or self._fields_or(t, JA_FIELDS) for t in tokens]
        else:
            tokens = morph_terms(norm)
            per_token = [self._fields_or(t, JA_FIELDS) for t in tokens]
        if not tokens and (norm.isascii() or len(norm) < 2):
            return None  # only stop words or particles ("the", "what", "は"): nothing to require
        known = [q for q in per_token if q is not None]
        if known and len(known) == len(per_token):
            return known[0] if len(known) == 1 else And(known)
        grams = bigrams(norm)
        if grams and all(self._df("bigram", g) for g in grams):
            return And([Term("bigram", g) for g in dict.fromkeys(grams)])
        # Some part of the word is nowhere in the index: nothing can match it.
        return Term(JA_FIELDS[0], norm) if not known else And(known)

    def _phrase(self, words: list[str]) -> Query | None:
        norm = normalize(" ".join(words))
        if not norm:
            return None
        options: list[Query] = []
        if norm.isascii():
            tokens = english_terms(norm)
            fields = EN_FIELDS
        else:
            tokens = morph_terms(norm)
            fields = JA_FIELDS
        if len(tokens) == 1:
            options.extend(Term(f, tokens[0]) for f in fields)
        elif tokens:
            options.extend(Phrase(f, tokens) for f in fields)
        grams = bigrams(norm)
        if len(grams) > 1:
            options.append(Phrase("bigram", grams))
        return Or(options) if options else None

    def _fields_or(self, token: str, fields: tuple[str, ...]) -> Query | None:
        present = [Term(f, token) for f in fields if self._df(f, token)]
        if not present:
            return None
        return present[0] if len(present) == 1 else Or(present)
