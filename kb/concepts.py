"""Glossary concepts in text: one concept for every spelling, in either language."""

from __future__ import annotations

import re
from collections.abc import Mapping

from kb.analysis import english_terms, morph_terms, normalize
from kb.entry import GlossaryTerm


class ConceptMatcher:
    """Finds glossary terms in text in one regex pass per script.

    Japanese spellings match inside the text with its spaces removed (so "ライブ マイグレーション"
    and "ライブマイグレーション" are one); Latin spellings match whole words only ("lm" must
    not hit "film").
    """

    def __init__(self, glossary: Mapping[str, GlossaryTerm]) -> None:
        self.glossary = glossary
        self._owner: dict[str, str] = {}
        latin: list[str] = []
        other: list[str] = []
        self._absorbs: dict[str, set[str]] = {}
        for term in glossary.values():
            words: set[str] = set()
            for name in term.synonyms:
                key = normalize(name)
                if not key:
                    continue
                words.update(content_words(key))
                if key.isascii():
                    latin.append(key)
                else:
                    key = key.replace(" ", "")
                    other.append(key)
                self._owner.setdefault(key, term.id)
            self._absorbs[term.id] = words
        self._latin = _union(latin, r"(?<![a-z0-9])(?:{})(?![a-z0-9])")
        self._other = _union(other, "(?:{})")

    def find(self, text: str) -> list[str]:
        """Term ids in order of first appearance, each once."""
        norm = normalize(text)
        found: dict[str, None] = {}
        for pattern, subject in ((self._other, norm.replace(" ", "")), (self._latin, norm)):
            if pattern is None:
                continue
            for match in pattern.finditer(subject):
                found.setdefault(self._owner[match.group()], None)
        return list(found)

    def features(self, text: str) -> list[str]:
        """What a question or phrasing is about: ``@concept`` keys, then its other content words.

        Words that only spell out a concept are absorbed by it, so "live migration" counts
        once, the same in Japanese and English.
        """
        concepts = self.find(text)
        absorbed = {w for c in concepts for w in self._absorbs.get(c, ())}
        words = [w for w in dict.fromkeys(content_words(normalize(text))) if w not in absorbed]
        return [f"@{c}" for c in concepts] + words


def _union(keys: list[str], template: str) -> re.Pattern[str] | None:
    if not keys:
        return None
    # Longest first, so "ライブ マイグレーション" wins over a shorter spelling inside it.
    alternation = "|".join(re.escape(k) for k in sorted(set(keys), key=len, reverse=True))
    return re.compile(template.format(alternation))


def content_words(norm: str) -> list[str]:
    """Content words of normalized text: Japanese morphemes and English stems."""
    out = morph_terms(norm)
    out.extend(t for t in english_terms(norm) if t.isascii())
    return out


_MATCHERS: dict[int, ConceptMatcher] = {}


def matcher_for(glossary: Mapping[str, GlossaryTerm]) -> ConceptMatcher:
    """The matcher for a glossary, built once per glossary object."""
    matcher = _MATCHERS.get(id(glossary))
    if matcher is None or matcher.glossary is not glossary:
        matcher = _MATCHERS[id(glossary)] = ConceptMatcher(glossary)
    return matcher


def concepts_in(text: str, glossary: Mapping[str, GlossaryTerm]) -> list[str]:
    """Glossary term ids whose spellings occur in ``text``."""
    return matcher_for(glossary).find(text)


def phrase_features(text: str, glossary: Mapping[str, GlossaryTerm]) -> list[str]:
    """See :meth:`ConceptMatcher.features`."""
    return matcher_for(glossary).features(text)
