"""Glossary concepts in text: one concept for every spelling, in either language."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kb.content.entry import GlossaryTerm
from kb.text.analysis import english_terms, morph_terms, normalize


class ConceptMatcher:
    """Finds glossary terms in text in one pass per script.

    Japanese spellings match inside the text with its spaces removed (so "ライブ マイグレーション"
    and "ライブマイグレーション" are one); Latin spellings match whole words only ("lm" must
    not hit "film").
    """

    def __init__(self, glossary: Mapping[str, GlossaryTerm], quantities: QuantityTable | None = None) -> None:
        self.glossary = glossary
        self.quantities = quantities or NO_QUANTITIES
        self._owner: dict[str, str] = {}
        latin: list[str] = []
        other: list[str] = []
        # The words a concept's spellings are made of, analysed the first time the concept
        # is met: analysing 10,000 spellings up front made opening a big glossary slow.
        self._keys: dict[str, list[str]] = {}
        self._absorbs: dict[str, frozenset[str]] = {}
        for term in glossary.values():
            keys = self._keys.setdefault(term.id, [])
            for name in term.synonyms:
                key = normalize(name)
                if not key:
                    continue
                keys.append(key)
                if key.isascii():
                    latin.append(key)
                else:
                    key = fold_small_kana(key.replace(" ", ""))
                    other.append(key)
                self._owner.setdefault(key, term.id)
        # Every (spelling as matched, term id), sorted, for completing a half-typed spelling.
        self.spellings = sorted({(key, term_id) for term_id, keys in self._keys.items()
                                 for key in (k if k.isascii() else fold_small_kana(k.replace(" ", "")) for k in keys)})
        self._latin = Spellings(latin, whole_words=True) if latin else None
        self._other = Spellings(other, whole_words=False) if other else None

    def find(self, text: str) -> list[str]:
        """Term ids in order of first appearance, each once."""
        return list(self._matches(normalize(text)))

    def _matches(self, norm: str) -> dict[str, list[str]]:
        """Term id -> the stretches of text that spelled it (small kana folded)."""
        found: dict[str, list[str]] = {}
        subjects = ((self._other, fold_small_kana(norm.replace(" ", ""))), (self._latin, norm))
        for pattern, subject in subjects:
            if pattern is None:
                continue
            for spelling in pattern.scan(subject):
                found.setdefault(self._owner[spelling], []).append(spelling)
        return found

    def _absorbed_by(self, term_id: str) -> frozenset[str]:
        words = self._absorbs.get(term_id)
        if words is None:
            words = self._absorbs[term_id] = frozenset(
                w for key in self._keys.get(term_id, ()) for w in content_words(key))
        return words

    def features(self, text: str) -> list[str]:
        """What a question or phrasing is about: ``@concept`` keys, then its other content words.

        Words that only spell out a concept are absorbed by it, so "live migration" counts
        once, the same in Japanese and English. Quantities ("16 GB", "10GbE", "何秒") become
        ``@qty-*`` keys whatever their number and unit, and absorb their unit words.
        """
        return self.features_of_normalized(normalize(text))

    def features_of_normalized(self, norm: str) -> list[str]:
        """:meth:`features` of text already normalized (by :func:`normalize`).

        Not kept from one call to the next: the index stores these lists pickled, and a
        pickle writes a string met twice as a reference, so which strings are one object
        shows in the index's bytes."""
        matches = self._matches(norm)
        concepts = list(matches)
        kinds = self.quantities.kinds(norm)
        absorbed = {w for c in concepts for w in self._absorbed_by(c)}
        number_with_unit = self.quantities.number_with_unit if kinds else None
        if kinds:
            absorbed |= self.quantities.unit_words
        spelled = [m for ms in matches.values() for m in ms if not m.isascii()]

        def spells_a_concept(word: str) -> bool:
            # A word inside the text that matched a concept, however it was written
            # ("マイグレーシヨン" for "マイグレーション") is that concept, not a word of its own.
            return not word.isascii() and any(fold_small_kana(word) in m for m in spelled)

        words: list[str] = []
        for word in dict.fromkeys(content_words(norm)):
            rest = _without_spellings(word, spelled)
            if rest is not None:
                # A concept written together with another word ("ポスグレバージョン" once the
                # space is gone): the concept, and the other word on its own.
                words.extend(w for w in morph_terms(rest) if w not in absorbed)
                continue
            if word not in absorbed and not (number_with_unit and number_with_unit.match(word)) \
                    and not spells_a_concept(word):
                words.append(word)
        words = list(dict.fromkeys(words))
        return [f"@{c}" for c in concepts] + [f"@{k}" for k in kinds] + words


@dataclass(frozen=True)
class QuantityTable:
    """Quantities people put in questions, by kind, and the kinds each check computes with.

    A question giving "16GB" and "1Gbps" asks about the entry whose check computes with a
    memory size and a link speed, whatever the numbers. The kinds come from the checks
    (``kb.checks.registry.quantity_table()``); the matcher knows none of its own.
    """

    patterns: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    # The unit words a quantity absorbs (as content words: stemmed English, Japanese lemmas).
    unit_words: frozenset[str] = frozenset()
    by_check: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, patterns: Mapping[str, str], unit_words: Iterable[str],
              by_check: Mapping[str, tuple[str, ...]]) -> QuantityTable:
        # As the analyser stems them, whatever stemmer it uses ("gbps" -> "gbps" or "gbp").
        words = {w for word in unit_words for w in (word, *english_terms(word))}
        return cls({kind: re.compile(p) for kind, p in patterns.items()}, frozenset(words), dict(by_check))

    def kinds(self, norm: str) -> list[str]:
        """The kinds of quantity in normalized text, in the table's order."""
        return [kind for kind, pattern in self.patterns.items() if pattern.search(norm)]

    def for_checks(self, checks: Iterable[str]) -> list[str]:
        """The kinds the given checks compute with, each once: an entry linking them is about these."""
        return list(dict.fromkeys(k for check in checks for k in self.by_check.get(check, ())))

    @functools.cached_property
    def number_with_unit(self) -> re.Pattern[str] | None:
        # "1gbps" written without a space is one word ("1gbp" once stemmed); its quantity says it all.
        if not self.unit_words:
            return None
        return re.compile(r"^\d[\d.]*(?:" + "|".join(sorted(self.unit_words, key=len, reverse=True)) + ")$")

    @functools.cached_property
    def signature(self) -> str:
        """A short digest of the table, for cache keys: other quantities, another index."""
        text = repr(([(k, p.pattern) for k, p in self.patterns.items()], sorted(self.unit_words),
                     sorted(self.by_check.items())))
        return hashlib.sha256(text.encode()).hexdigest()[:12]


NO_QUANTITIES = QuantityTable()


def _without_spellings(word: str, spelled: list[str]) -> str | None:
    """``word`` with the concept spellings inside it taken out, when it is more than one."""
    if word.isascii():
        return None
    folded = fold_small_kana(word)
    found = [m for m in spelled if m in folded and m != folded]
    if not found:
        return None
    # Folding keeps every character's place, so the cuts found in the folded word apply to it.
    chars = list(word)
    for spelling in found:
        start = folded.find(spelling)
        while start >= 0:
            chars[start : start + len(spelling)] = [" "] * len(spelling)
            start = folded.find(spelling, start + len(spelling))
    rest = "".join(chars).strip()
    return rest if rest else None


_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ", "あいうえおつやゆよわアイウエオツヤユヨワカケ")


def fold_small_kana(text: str) -> str:
    """Small kana as full-size ones: "シヨン" and "ション" are one spelling to the matcher.

    Only concept matching folds; the morphological analyser needs the real spelling.
    """
    # Replacing the few small kana found is several times quicker than str.translate, which
    # looks every character of the text up.
    return _SMALL_KANA_CHAR.sub(_full_size, text)


_FULL_SIZE = {chr(small): chr(full) for small, full in _SMALL_KANA.items()}
_SMALL_KANA_CHAR = re.compile("[" + "".join(_FULL_SIZE) + "]")


def _full_size(match: re.Match[str]) -> str:
    return _FULL_SIZE[match.group()]


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class Spellings:
    """Normalized spellings found left to right, the longest at each place, in linear time.

    At each place where a spelling can begin, only the spelling lengths known for that
    first character are tried, each one a set look-up: the cost grows with the text, not
    with the glossary (a regex alternation of 10,000 spellings tried them one by one).
    ``whole_words``: a spelling neither follows nor is followed by a letter or digit.
    """

    def __init__(self, keys: Iterable[str], whole_words: bool) -> None:
        self.keys = frozenset(k for k in keys if k)
        lengths: dict[str, set[int]] = {}
        for key in self.keys:
            lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {c: sorted(found, reverse=True) for c, found in lengths.items()}
        self.whole_words = whole_words
        starts = "[" + "".join(re.escape(c) for c in sorted(self.lengths)) + "]"
        self._starts = re.compile(("(?<![a-z0-9])" if whole_words else "") + starts) if self.lengths else None
        self._compiled: re.Pattern[str] | None = None

    def scan(self, subject: str) -> Iterator[str]:
        """The spellings in ``subject``, in order, none overlapping."""
        if self._starts is None:
            return
        if len(subject) >= LONG_TEXT:
            yield from self._pattern().findall(subject)
            return
        search, keys, lengths, n = self._starts.search, self.keys, self.lengths, len(subject)
        pos = 0
        while (start := search(subject, pos)) is not None:
            at = start.start()
            pos = at + 1
            for length in lengths[subject[at]]:
                end = at + length
                if end > n or subject[at:end] not in keys:
                    continue
                if self.whole_words and end < n and subject[end] in _WORD_CHARS:
                    continue
                yield subject[at:end]
                pos = end
                break


    def _pattern(self) -> re.Pattern[str]:
        """The same search as one regular expression, for long texts (an entry's answers):
        a trie of the spellings, longer continuations tried first, so the first match at a
        place is the longest spelling there (that is a whole word, when ``whole_words``)."""
        if self._compiled is None:
            end = "(?![a-z0-9])" if self.whole_words else ""
            trie: dict[str, Any] = {}
            for key in self.keys:
                node = trie
                for char in key:
                    node = node.setdefault(char, {})
                node[""] = {}

            def alternatives(node: dict[str, Any]) -> str:
                options = [re.escape(char) + alternatives(child) for char, child in sorted(node.items()) if char]
                if "" in node:
                    options.append(end)  # the spelling ends here: after every longer one
                if len(options) == 1 and "" not in node:
                    return options[0]
                return "(?:" + "|".join(options) + ")"

            start = "(?<![a-z0-9])" if self.whole_words else ""
            self._compiled = re.compile(start + alternatives(trie))
        return self._compiled


# Texts this long are searched with one regular expression (compiled the first time): the
# per-place loop is quicker to start, the expression quicker over an answer's length.
LONG_TEXT = 200


def content_words(norm: str) -> list[str]:
    """Content words of normalized text: Japanese morphemes and English stems."""
    out = morph_terms(norm)
    out.extend(t for t in english_terms(norm) if t.isascii())
    return out


_MATCHERS: dict[tuple[int, str], ConceptMatcher] = {}


def matcher_for(glossary: Mapping[str, GlossaryTerm], quantities: QuantityTable | None = None) -> ConceptMatcher:
    """The matcher for a glossary and quantity table, built once per glossary object and table."""
    quantities = quantities or NO_QUANTITIES
    key = (id(glossary), quantities.signature)
    matcher = _MATCHERS.get(key)
    if matcher is None or matcher.glossary is not glossary:
        matcher = _MATCHERS[key] = ConceptMatcher(glossary, quantities)
    return matcher


def concepts_in(text: str, glossary: Mapping[str, GlossaryTerm]) -> list[str]:
    """Glossary term ids whose spellings occur in ``text``."""
    return matcher_for(glossary).find(text)


def phrase_features(text: str, glossary: Mapping[str, GlossaryTerm],
                    quantities: QuantityTable | None = None) -> list[str]:
    """See :meth:`ConceptMatcher.features`."""
    return matcher_for(glossary, quantities).features(text)
