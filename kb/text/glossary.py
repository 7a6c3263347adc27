"""Glossary concepts in text: one concept for every spelling, in either language."""

from __future__ import annotations

import re
from collections.abc import Mapping

from kb.content.entry import GlossaryTerm
from kb.text.analysis import english_terms, morph_terms, normalize


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
                    key = fold_small_kana(key.replace(" ", ""))
                    other.append(key)
                self._owner.setdefault(key, term.id)
            self._absorbs[term.id] = words
        self._latin = _union(latin, r"(?<![a-z0-9])(?:{})(?![a-z0-9])")
        self._other = _union(other, "(?:{})")

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
            for match in pattern.finditer(subject):
                found.setdefault(self._owner[match.group()], []).append(match.group())
        return found

    def features(self, text: str) -> list[str]:
        """What a question or phrasing is about: ``@concept`` keys, then its other content words.

        Words that only spell out a concept are absorbed by it, so "live migration" counts
        once, the same in Japanese and English. Quantities ("16 GB", "10GbE", "何秒") become
        ``@qty-*`` keys whatever their number and unit, and absorb their unit words.
        """
        norm = normalize(text)
        matches = self._matches(norm)
        concepts = list(matches)
        kinds = quantities(norm)
        absorbed = {w for c in concepts for w in self._absorbs.get(c, ())}
        if kinds:
            absorbed |= UNIT_WORDS
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
            if word not in absorbed and not (kinds and _NUMBER_WITH_UNIT.match(word)) and not spells_a_concept(word):
                words.append(word)
        words = list(dict.fromkeys(words))
        return [f"@{c}" for c in concepts] + [f"@{k}" for k in kinds] + words


# Quantities people put in questions, by kind. A question giving "16GB" and "1Gbps" asks
# about the entry whose check computes with a memory size and a link speed, whatever the
# numbers; as plain words "gb" and "gbp" would only count against every entry.
_NUMBER = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百]+)\s?"
QUANTITY_PATTERNS: dict[str, re.Pattern[str]] = {
    "qty-memory": re.compile(_NUMBER + r"(?:gib|gb|mib|mb|tib|tb|ギガバイト|メガバイト|テラバイト)(?![a-z/])"),
    "qty-speed": re.compile(_NUMBER + r"(?:gbps|mbps|gbe|gb/s|gbit/s|mbit/s|gigabit|ギガビット|メガビット)"),
    "qty-time": re.compile(r"何秒|何分|何時間|" + _NUMBER + r"(?:秒|分間?|時間|seconds?|secs?|minutes?|mins?|hours?)(?![a-z])"
                           r"|how many (?:seconds|minutes|hours)"),
}
# The unit words a quantity absorbs (as content words: stemmed English, Japanese lemmas).
UNIT_WORDS = frozenset("gb gib mb mib tb tib gbp mbp gbe gbit mbit gigabit 秒 分 second sec minut min hour".split())
# "1gbps" written without a space is one word ("1gbp" once stemmed); its quantity says it all.
_NUMBER_WITH_UNIT = re.compile(r"^\d[\d.]*(?:" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + ")$")
# The quantities each computed check takes: an entry linking the check is about them.
CHECK_QUANTITIES: dict[str, tuple[str, ...]] = {
    "migration-time": ("qty-memory", "qty-speed", "qty-time"),
    "max-concurrent-migrations": (),
    "cluster-validator": (),
}


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
    return text.translate(_SMALL_KANA)


def quantities(norm: str) -> list[str]:
    """The kinds of quantity in normalized text, in a fixed order."""
    return [kind for kind, pattern in QUANTITY_PATTERNS.items() if pattern.search(norm)]


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
