"""Glossary and tag suggestions from imported pairs: acronyms with their expansions, frequent terms.

An acronym's expansion is *evidenced* when the source writes it out beside the acronym
("Cluster Shared Volumes (CSV)"), or when an answer restates its question with the acronym
spelt out ("CSV を Hyper-V と共に…" answered "Hyper-V をクラスターの共有ボリュームと共に…"),
and the expansion's word initials fit the acronym (katakana words by their sound, kanji words
as wildcards). Evidenced terms may go into a new glossary; everything else is a draft.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kb.importing.model import Pair
from kb.importing.terms import terms
from kb.importing.text import lang_of

_ACRONYM = re.compile(r"(?<![A-Za-z0-9])((?=(?:[A-Z0-9]*[A-Z]){2})[A-Z][A-Z0-9]{1,6})s?(?![A-Za-z0-9])")
_DRAFT_TERM = re.compile(r"(?:[一-龯々]+|[ァ-ヺ][ァ-ヺー]+)(?: ?(?:[一-龯々]+|[ァ-ヺ][ァ-ヺー]+))*"
                         r"|[A-Z][A-Za-z0-9-]+(?: [A-Z][A-Za-z0-9-]+)*")
_WORD = re.compile(r"[ァ-ヺー]+|[一-龯々]+|[A-Za-z][A-Za-z-]*")
_JOIN = re.compile(r"^(?:\s*|の|・|\s*-\s*|\s+(?:of|and|for|the|to|in|on)\s+)$")
_EN_SKIP = {"of", "and", "for", "the", "to", "in", "on", "a", "an"}
_EXPLICIT = re.compile(r"[(（]\s*([A-Z][A-Z0-9]{1,6})s?\s*[)）]")
_KANA_INITIALS = {}
for _chars, _letters in (
    ("ア", "aueio"), ("イ", "iey"), ("ウ", "uwo"), ("エ", "eai"), ("オ", "oa"), ("カキクケコ", "kcq"),
    ("ガギグゲゴ", "g"), ("サシセ", "sc"), ("スソ", "s"), ("ザズゼゾ", "zs"), ("ジ", "jgz"), ("タテト", "t"),
    ("チ", "ct"), ("ツ", "t"), ("ダヂヅデド", "d"), ("ナニヌネノ", "n"), ("ハヒヘ", "h"), ("フ", "fhp"),
    ("ホ", "hw"), ("バビブベボ", "bv"), ("パピプペポ", "p"), ("マミムメモ", "m"), ("ヤユヨ", "y"),
    ("ラリルレロ", "rl"), ("ワ", "w"), ("ヴ", "v"),
):
    for _ch in _chars:
        _KANA_INITIALS[_ch] = set(_letters)


@dataclass
class Term:
    """A glossary suggestion: names per language, and why it is believed (the lines)."""

    id: str
    names: dict[str, list[str]]
    evidence: str = ""
    certain: bool = False
    count: int = 0
    entries: list[str] = field(default_factory=list)


def initials_fit(acronym: str, words: list[str]) -> bool:
    """Do the words spell the acronym: Latin and katakana initials by sound, kanji as wildcards?"""
    if len(words) != len(acronym):
        return False
    wild = 0
    for letter, word in zip(acronym.lower(), words, strict=True):
        first = word[0]
        if first.isascii():
            if first.lower() != letter:
                return False
        elif first in _KANA_INITIALS:
            if letter not in _KANA_INITIALS[first]:
                return False
        else:
            wild += 1
    return wild * 2 <= len(acronym) and wild < len(acronym)


def _phrases(text: str) -> list[list[tuple[str, int, int]]]:
    """Runs of words joined only by "の", "・", spaces or "of/and": candidate noun phrases."""
    runs: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word.lower() in _EN_SKIP:
            continue
        if current and not _JOIN.match(text[current[-1][2]:match.start()]):
            runs.append(current)
            current = []
        current.append((word, match.start(), match.end()))
    if current:
        runs.append(current)
    return runs


def _spelled_out(acronym: str, text: str, exclude: str = "") -> list[str]:
    found = []
    for run in _phrases(text):
        for i in range(len(run) - len(acronym) + 1):
            window = run[i:i + len(acronym)]
            if initials_fit(acronym, [w for w, _s, _e in window]):
                phrase = text[window[0][1]:window[-1][2]]
                if phrase not in exclude and phrase not in found:
                    found.append(phrase)
    return found


def find_acronyms(pairs: list[Pair]) -> list[Term]:
    """Acronyms of the pairs with expansions: evidenced ones marked ``certain``."""
    found: dict[str, Term] = {}

    def note(acronym: str, expansion: str, lang: str, evidence: str, certain: bool) -> None:
        term = found.setdefault(acronym.lower(), Term(acronym.lower(), {}))
        if expansion and expansion not in term.names.get(lang, []):
            term.names.setdefault(lang, []).append(expansion)
        if certain and not term.certain:
            term.certain, term.evidence = True, evidence
        term.evidence = term.evidence or evidence

    for pair in pairs:
        text = f"{pair.question}\n{pair.answer}"
        for match in _EXPLICIT.finditer(text):
            acronym = match.group(1)
            before = text[max(0, match.start() - 80):match.start()].rstrip()
            runs = _phrases(before)
            tail = runs[-1] if runs and runs[-1][-1][2] == len(before) else []
            window = tail[-len(acronym):] if len(tail) >= len(acronym) else []
            fits = bool(window) and initials_fit(acronym, [w for w, _s, _e in window])
            expansion = before[window[0][1]:] if fits else (before[tail[0][1]:] if tail else "")
            note(acronym, expansion.strip(), lang_of(expansion or pair.answer), f"line {pair.line}", fits)
        for match in _ACRONYM.finditer(pair.question):
            acronym = match.group(1)
            if acronym in pair.answer:
                continue
            spelled = _spelled_out(acronym, pair.answer[:600], exclude=pair.question)
            if len(spelled) == 1:
                note(acronym, spelled[0], lang_of(spelled[0]), f"line {pair.line}: question and answer", True)
        for match in _ACRONYM.finditer(text):
            note(match.group(1), "", pair.lang, f"line {pair.line}", False)
    for term in found.values():
        term.count = sum(len(re.findall(rf"(?<![A-Za-z0-9]){re.escape(term.id.upper())}(?![A-Za-z0-9])",
                                        f"{p.question}\n{p.answer}")) for p in pairs)
    return sorted(found.values(), key=lambda t: (not t.certain, -t.count, t.id))


def frequent_terms(pairs: list[Pair], limit: int = 20) -> list[tuple[str, int]]:
    """Terms used by several entries (but not by all), most widely used first: draft glossary material."""
    per_entry: Counter[str] = Counter()
    for pair in pairs:
        text = f"{pair.question}\n{pair.answer}"
        per_entry.update({m.group() for m in _DRAFT_TERM.finditer(text)
                          if len(m.group()) >= 3 and not m.group().isupper() and terms(m.group())})
    common = [(t, n) for t, n in per_entry.items() if 2 <= n < max(3, len(pairs))]
    return sorted(common, key=lambda x: (-x[1], x[0]))[:limit]
