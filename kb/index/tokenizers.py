"""Whoosh tokenizers around kb.text.analysis's term functions (kept apart so that reading and
showing content never loads Whoosh's analysis package)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer

from kb.text.analysis import bigrams, english_terms, morph_terms, normalize


class _ListTokenizer(Tokenizer):  # type: ignore[misc]
    """A Whoosh tokenizer around one of the term functions above."""

    kind = ""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def terms(self, text: str) -> list[str]:
        raise NotImplementedError

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        # The index builder passes terms it has already analysed; queries pass text.
        if isinstance(value, list):
            terms = value
        else:
            terms = self.terms(normalize(value)) if tokenize else [value]
        for pos, term in enumerate(terms):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(term)
            yield token


class MorphTokenizer(_ListTokenizer):
    """Japanese morphemes plus stemmed ASCII words (SudachiPy, split mode A)."""

    def terms(self, text: str) -> list[str]:
        return morph_terms(text)


class EnglishTokenizer(_ListTokenizer):
    """Stemmed English words, stop words removed."""

    def terms(self, text: str) -> list[str]:
        return english_terms(text)


class BigramTokenizer(_ListTokenizer):
    """Japanese character bigrams: the recall net when morphology splits differently."""

    def terms(self, text: str) -> list[str]:
        return bigrams(text)
