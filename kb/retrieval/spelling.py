"""Spelling slips forgiven: misspelt glossary words mended, English words put right against the
index's own vocabulary, and clipped words ("int", "repo") met with the words they clip."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from kb.text.analysis import english_terms, is_dictionary_word

FUZZY_MIN_LENGTH = 5
GLOSSARY_TYPO_CUTOFF = 0.85  # difflib ratio: "migraton" ~ "migration" 0.94, "explained" ~ nothing
CLIP_MIN = 3  # "int" for "integer", "repo" for "repository"; two letters are too ambiguous
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
ENGLISH_FIELD = "text_en"


class Speller:
    """Mends words the content never uses; ``df(field, text)`` is the engine's cached df."""

    def __init__(self, searcher: Any, glossary_names: Iterable[str], df: Callable[[str, str], int]) -> None:
        self.searcher = searcher
        self._df = df
        self._fix_cache: dict[str, str] = {}
        self._mend_cache: dict[str, str] = {}
        # Latin words of the glossary's spellings, for mending typos before concepts are found.
        self._glossary_words = sorted({w for name in glossary_names for w in _LATIN_WORD.findall(name.lower())
                                       if len(w) >= FUZZY_MIN_LENGTH})

    def mend_glossary_typos(self, text: str, known: Callable[[str], bool]) -> str:
        """Misspelt glossary words put right ("live migraton" -> "live migration").

        Typo correction against the index works word by word, after the glossary concepts
        were looked for; a concept spelt wrong would be lost. Only words the content never
        uses (``known`` is false for their stem) change, and only to a close glossary word.
        """
        if not self._glossary_words or not _LATIN_WORD.search(text):
            return text

        def mend(match: re.Match[str]) -> str:
            word = match.group()
            lower = word.lower()
            if len(lower) < FUZZY_MIN_LENGTH or lower in self._mend_cache:
                return self._mend_cache.get(lower, word)
            fixed = word
            stems = english_terms(lower)
            if stems and not known(stems[0]):
                import difflib  # only for a word the content does not know

                close = difflib.get_close_matches(lower, self._glossary_words, n=1, cutoff=GLOSSARY_TYPO_CUTOFF)
                if close:
                    fixed = close[0]
            self._mend_cache[lower] = fixed
            return fixed

        return _LATIN_WORD.sub(mend, text)

    def correct(self, word: str) -> str:
        """The indexed English word closest to an unknown one, or itself.

        A typo within one or two edits ("migraton" -> "migrat"), else a clipping: the
        unknown word begins a known one ("int" -> "integ", "repo" -> "repositori").
        """
        if word not in self._fix_cache:
            best, best_df = word, 0
            if len(word) >= FUZZY_MIN_LENGTH and not is_dictionary_word(word):
                reader = self.searcher.reader()
                maxdist = 1 if len(word) < 7 else 2
                for candidate in reader.terms_within(ENGLISH_FIELD, word, maxdist, prefix=1):
                    df = self._df(ENGLISH_FIELD, candidate)
                    if df > best_df:
                        best, best_df = candidate, df
            if best_df == 0 and len(word) >= CLIP_MIN and word.isalpha():
                best = self._clipped(word)
            self._fix_cache[word] = best
        return self._fix_cache[word]

    def _clipped(self, word: str) -> str:
        # The closest in length wins ("int" is "integ", not "interfac"), then the commoner.
        best, best_key = word, (0, 0)
        longer = (t.decode() if isinstance(t, bytes) else t
                  for t in self.searcher.reader().expand_prefix(ENGLISH_FIELD, word))
        for known in longer:
            if known == word or not known.isalpha():
                continue
            if min(len(known), len(word)) * 5 < max(len(known), len(word)) * 2:
                continue
            df = self._df(ENGLISH_FIELD, known)
            key = (-abs(len(known) - len(word)), df)
            if df and (best == word or key > best_key):
                best, best_key = known, key
        return best
