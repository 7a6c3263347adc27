"""Joining a Japanese and an English pair into one bilingual entry, only where that is certain.

Two sources (``faq.html@ja faq-en.html@en``) or one page holding both languages: pairs are
matched by an id both sources give (a CSV id column), else in order, and each match must be
borne out by what survives translation: numbers, acronyms, product and code names. A pair
whose partner is not certain stays a single-language entry.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from kb.importing.model import Pair

_ANCHOR = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[.+\-][A-Za-z0-9]+)*|\d+(?:\.\d+)*")
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
MIN_SCORE = 0.5
MIN_EVIDENCE = 0.5  # summed anchor weight below which a pair has nothing to match by


@dataclass
class Unit:
    """One future entry: a pair per language (one or two)."""

    texts: dict[str, Pair] = field(default_factory=dict)

    @property
    def pairs(self) -> list[Pair]:
        return [self.texts[lang] for lang in ("ja", "en") if lang in self.texts]


_LANGUAGE_CODES = {"ja", "jp", "en", "ja-jp", "en-us", "en-gb"}  # differ between translations' links


def _tokens(text: str) -> set[str]:
    return {t.lower() for t in _ANCHOR.findall(text)} - _LANGUAGE_CODES


def score(ja: Pair, en: Pair, weight: dict[str, float] | None = None) -> float | None:
    """Weighted share of the Japanese pair's ASCII words and the English pair's numbers found in the other.

    ``weight`` (token -> weight) makes a word every pair has ("Python" in a Python FAQ) count
    for little. None when there is nothing to compare: no evidence either way.
    """
    ja_text, en_text = f"{ja.question}\n{ja.answer}", f"{en.question}\n{en.answer}"
    ja_anchors = _tokens(ja_text)
    en_numbers = set(_NUMBER.findall(en_text))
    w = (lambda t: weight.get(t, 1.0)) if weight else (lambda t: 1.0)
    total = sum(w(t) for t in ja_anchors) + sum(w(t) for t in en_numbers)
    if total < MIN_EVIDENCE:
        return None
    en_tokens = _tokens(en_text)
    hits = sum(w(t) for t in ja_anchors & en_tokens) + sum(w(t) for t in en_numbers & ja_anchors)
    return hits / total


def _weights(pairs: list[Pair]) -> dict[str, float]:
    """Rarer anchors weigh more: log((N + 1) / document frequency) over the pairs being matched."""
    counts: dict[str, int] = {}
    for pair in pairs:
        for token in _tokens(f"{pair.question}\n{pair.answer}"):
            counts[token] = counts.get(token, 0) + 1
    return {t: math.log((len(pairs) + 1) / n) for t, n in counts.items()}


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
    weight = _weights(ja + en)
    by_key = {p.key: p for p in en if p.key.startswith("id:")}
    if by_key and all(p.key in by_key for p in ja if p.key.startswith("id:")):
        return [(p, by_key[p.key]) for p in ja if p.key in by_key and _fits(p, by_key[p.key], ja, en, weight)]
    if len(ja) == len(en):
        # Same position is evidence too: a tie with a rival is no objection, and a pair with
        # nothing to compare is matched when its neighbours on both sides are.
        fits = [_fits(j, e, ja, en, weight, ties=True) for j, e in zip(ja, en, strict=True)]
        silent = [score(j, e, weight) is None for j, e in zip(ja, en, strict=True)]
        out = []
        for i, (j, e) in enumerate(zip(ja, en, strict=True)):
            sandwiched = silent[i] and all(fits[k] for k in (i - 1, i + 1) if 0 <= k < len(ja)) and len(ja) > 1
            if fits[i] or sandwiched:
                out.append((j, e))
        return out
    # Different counts: only matches that are each other's best, in order.
    out = []
    last = -1
    for j in ja:
        scores = [(score(j, e, weight) or 0.0, k) for k, e in enumerate(en)]
        best, k = max(scores, default=(0.0, -1))
        if k > last and best >= MIN_SCORE and _fits(j, en[k], ja, en, weight):
            out.append((j, en[k]))
            last = k
    return out


def _fits(j: Pair, e: Pair, ja: list[Pair], en: list[Pair], weight: dict[str, float], ties: bool = False) -> bool:
    """Does ``e`` match ``j`` well, and better than any other pair either could match?"""
    own = score(j, e, weight)
    if own is None or own < MIN_SCORE:
        return False
    rivals = [score(j, other, weight) for other in en if other is not e] + \
        [score(other, e, weight) for other in ja if other is not j]
    return all(r is None or r < own or (ties and r == own) for r in rivals)
