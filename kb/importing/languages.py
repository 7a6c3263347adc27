"""Joining a Japanese and an English pair into one bilingual entry, only where that is certain.

Two sources (``faq.html@ja faq-en.html@en``) or one page holding both languages: pairs are
matched by an id both sources give (a CSV id column), else in order, and each match must be
borne out by what survives translation: numbers, acronyms, product and code names. A pair
whose partner is not certain stays a single-language entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.importing.model import Pair

_ANCHOR = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[.+\-/][A-Za-z0-9]+)*|\d+(?:\.\d+)*")
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
MIN_SCORE = 0.5


@dataclass
class Unit:
    """One future entry: a pair per language (one or two)."""

    texts: dict[str, Pair] = field(default_factory=dict)

    @property
    def pairs(self) -> list[Pair]:
        return [self.texts[lang] for lang in ("ja", "en") if lang in self.texts]


def _tokens(text: str) -> set[str]:
    return {t.lower() for t in _ANCHOR.findall(text)}


def score(ja: Pair, en: Pair) -> float | None:
    """Share of the Japanese pair's ASCII words and the English pair's numbers found in the other.

    None when there is nothing to compare: no evidence either way.
    """
    ja_text, en_text = f"{ja.question}\n{ja.answer}", f"{en.question}\n{en.answer}"
    ja_anchors = _tokens(ja_text)
    en_numbers = set(_NUMBER.findall(en_text))
    if not ja_anchors and not en_numbers:
        return None
    en_tokens = _tokens(en_text)
    hits = len(ja_anchors & en_tokens) + len(en_numbers & ja_anchors)
    return hits / (len(ja_anchors) + len(en_numbers))


def join_languages(groups: list[list[Pair]]) -> tuple[list[Unit], list[tuple[Pair, Pair]]]:
    """Units from pairs grouped by source, and the (ja, en) matches that were made.

    Within a source holding both languages, and between one Japanese and one English source
    (by file name stem when there are several of each), pairs are matched where certain.
    """
    matched: list[tuple[Pair, Pair]] = []
    ja_only: list[list[Pair]] = []
    en_only: list[list[Pair]] = []
    for group in groups:
        ja = [p for p in group if p.lang == "ja"]
        en = [p for p in group if p.lang == "en"]
        if ja and en:
            matched += match(ja, en)
        elif ja:
            ja_only.append(ja)
        elif en:
            en_only.append(en)
    for ja_group, en_group in _source_pairs(ja_only, en_only):
        matched += match(ja_group, en_group)
    partner = {id(j): e for j, e in matched}
    taken = {id(e) for _j, e in matched}
    units: list[Unit] = []
    for group in groups:
        for pair in group:
            if id(pair) in taken:
                continue
            unit = Unit({pair.lang: pair})
            if id(pair) in partner:
                other = partner[id(pair)]
                unit.texts[other.lang] = other
            units.append(unit)
    return units, matched


def _source_pairs(ja_only: list[list[Pair]], en_only: list[list[Pair]]) -> list[tuple[list[Pair], list[Pair]]]:
    if len(ja_only) == 1 and len(en_only) == 1:
        return [(ja_only[0], en_only[0])]
    by_stem = {_stem(g[0].source): g for g in en_only}
    return [(g, by_stem[_stem(g[0].source)]) for g in ja_only if _stem(g[0].source) in by_stem]


def _stem(name: str) -> str:
    stem = name.rsplit(".", 1)[0].lower()
    return re.sub(r"(?:[._-](?:ja|jp|en|english|japanese))+$|^(?:ja|en)[._-]", "", stem)


def match(ja: list[Pair], en: list[Pair]) -> list[tuple[Pair, Pair]]:
    """Certain (ja, en) matches: by shared id keys, else in order, each borne out by its anchors."""
    by_key = {p.key: p for p in en if p.key.startswith("id:")}
    if by_key and all(p.key in by_key for p in ja if p.key.startswith("id:")):
        return [(p, by_key[p.key]) for p in ja if p.key in by_key and _fits(p, by_key[p.key], ja, en)]
    if len(ja) == len(en):  # same position is evidence too: a tie with a rival is no objection
        return [(j, e) for j, e in zip(ja, en, strict=True) if _fits(j, e, ja, en, ties=True)]
    # Different counts: only matches that are each other's best, in order.
    out: list[tuple[Pair, Pair]] = []
    last = -1
    for j in ja:
        scores = [(score(j, e) or 0.0, k) for k, e in enumerate(en)]
        best, k = max(scores, default=(0.0, -1))
        if k > last and best >= MIN_SCORE and _fits(j, en[k], ja, en):
            out.append((j, en[k]))
            last = k
    return out


def _fits(j: Pair, e: Pair, ja: list[Pair], en: list[Pair], ties: bool = False) -> bool:
    """Does ``e`` match ``j`` well, and better than any other pair either could match?"""
    own = score(j, e)
    if own is None or own < MIN_SCORE:
        return False
    rivals = [score(j, other) for other in en if other is not e] + [score(other, e) for other in ja if other is not j]
    return all(r is None or r < own or (ties and r == own) for r in rivals)
