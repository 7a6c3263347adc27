"""Filtering a list as one types, the way fzf does: the typed characters in order, best match first.

A match is the typed characters found in order in a line (a subsequence), compared
without case or width (``ｃｓｖ`` finds "CSV") and with katakana read as hiragana
(``らいぶ`` finds "ライブ"). Lines where the characters sit together, at the start or at
the start of words score higher. The matched positions are returned so the list can
mark them; a wide (Japanese) character is one position, as it is one character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rich.cells import cell_len
from rich.text import Text

T = TypeVar("T")

_KATAKANA = range(0x30A1, 0x30F7)  # ァ..ヶ; ヷ-ヺ have no hiragana twin
_MATCH, _BOUNDARY, _CONSECUTIVE, _FIRST, _GAP_START = 16, 8, 5, 8, 3  # a gap of g costs g + 2


def fold(text: str) -> str:
    """``text`` compared without case, width or kana kind, one character for one character."""
    if text.isascii():
        return text.lower()
    whole = unicodedata.normalize("NFKC", text).casefold()
    if len(whole) != len(text):  # a character became several ("㎏", "ß"): fold it alone
        whole = "".join(_fold_char(char) for char in text)
    return whole.translate(_HIRAGANA)


def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).casefold()
    return folded if len(folded) == 1 else char


_HIRAGANA = {code: code - 0x60 for code in _KATAKANA}


@dataclass(frozen=True)
class Match:
    """How well a line matched (higher is better) and which of its characters did."""

    score: int
    positions: tuple[int, ...]


class FuzzyQuery:
    """One typed filter, compiled once and tried against many lines."""

    def __init__(self, typed: str) -> None:
        self.chars = fold("".join(typed.split()))
        # The regex rejects most lines at C speed; only lines that match are scored.
        self._pattern = re.compile(".*?".join(re.escape(c) for c in self.chars), re.DOTALL)

    def __bool__(self) -> bool:
        return bool(self.chars)

    def match(self, line: str, folded: str | None = None) -> Match | None:
        """The best placement of the query in ``line`` (``folded`` is ``fold(line)`` if known), or None."""
        folded = fold(line) if folded is None else folded
        if not self.chars:
            return Match(0, ())
        if self._pattern.search(folded) is None:
            return None
        score, positions = _best_alignment(self.chars, folded)
        return Match(score - len(folded) // 16, positions)  # of two equal matches, the shorter first


def _best_alignment(chars: str, folded: str) -> tuple[int, tuple[int, ...]]:
    """The highest-scoring placement of ``chars`` in ``folded``, as fzf's v2 algorithm: each
    character scores, more at a word's start and right after the one before; a gap of g
    characters costs g + 2. Only the places where each typed character occurs are tried."""
    rows: list[dict[int, tuple[int, int]]] = []  # per typed character: position -> (score, previous position)
    previous: dict[int, tuple[int, int]] | None = None
    for char in chars:
        row: dict[int, tuple[int, int]] = {}
        before = sorted(previous) if previous is not None else []
        k, carry, carry_at = 0, -(10**9), -1  # the best previous score + position, over positions <= j - 2
        j = folded.find(char)
        while j != -1:
            bonus = _MATCH + (_BOUNDARY if j == 0 or _boundary(folded[j - 1], folded[j]) else 0)
            if previous is None:
                row[j] = (bonus + (_FIRST if j == 0 else 0), -1)
            else:
                while k < len(before) and before[k] <= j - 2:
                    if previous[before[k]][0] + before[k] > carry:
                        carry, carry_at = previous[before[k]][0] + before[k], before[k]
                    k += 1
                best = (carry - j + 2 - _GAP_START, carry_at) if carry_at >= 0 else None
                joined = previous.get(j - 1)
                if joined is not None and (best is None or joined[0] + _CONSECUTIVE > best[0]):
                    best = (joined[0] + _CONSECUTIVE, j - 1)
                if best is not None:
                    row[j] = (best[0] + bonus, best[1])
            j = folded.find(char, j + 1)
        rows.append(row)
        previous = row
    last = rows[-1]
    end = max(last, key=lambda pos: last[pos][0])
    positions = [end]
    for row in reversed(rows[1:]):
        positions.append(row[positions[-1]][1])
    return last[end][0], tuple(reversed(positions))


def _boundary(before: str, char: str) -> bool:
    return not before.isalnum() or _is_wide(before) != _is_wide(char)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def rank(items: Iterable[T], typed: str, key: Callable[[T], Iterable[str]],
         folded: Callable[[T], Iterable[str]] | None = None) -> list[tuple[T, str, Match]]:
    """The ``items`` whose text (any of ``key(item)``) matches ``typed``, best first; ties keep order.

    Each comes with the text that matched best and where. ``folded`` gives the same texts
    already folded, when the caller keeps them (a list filtered on every key).
    """
    query = FuzzyQuery(typed)
    search = query._pattern.search
    scored: list[tuple[int, int, T, str, Match]] = []
    for n, item in enumerate(items):
        texts = key(item)
        folds = folded(item) if folded is not None else [fold(s) for s in texts]
        best: tuple[str, Match] | None = None
        for text, text_folded in zip(texts, folds, strict=True):
            if search(text_folded) is None:  # most lines, at C speed
                continue
            found = query.match(text, text_folded)
            if found is not None and (best is None or found.score > best[1].score):
                best = (text, found)
        if best is not None:
            scored.append((-best[1].score, n, item, best[0], best[1]))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [(item, text, found) for _s, _n, item, text, found in scored]


def highlighted(text: str, positions: Iterable[int], style: str = "", mark: str = "bold underline") -> Text:
    """``text`` as Rich text (never markup) with the characters at ``positions`` marked, cut with "…"."""
    out = Text(text, style=style, no_wrap=True, overflow="ellipsis")
    for pos in positions:
        out.stylize(mark, pos, pos + 1)
    return out


def fitted(text: str, positions: Sequence[int], width: int, mark: str = "bold underline") -> Text:
    """``text`` marked as :func:`highlighted`, cut to ``width`` cells with "…" so that the last
    matched character stays in view: a line is cut at its start too when the match is far on
    (as fzf does). Widths are in cells: a Japanese character takes two."""
    if width <= 2 or cell_len(text) <= width:
        return highlighted(text, positions, mark=mark)
    last = positions[-1] if positions else 0
    start = 0
    if cell_len(text[: last + 1]) > width - 1:  # the match would fall in the cut-off part
        start = last + 1
        while start > 0 and cell_len(text[start - 1: last + 1]) <= width - 2:
            start -= 1
    shown = highlighted(("…" if start else "") + text[start:], [p - start + (1 if start else 0)
                                                                for p in positions if p >= start], mark=mark)
    shown.truncate(width, overflow="ellipsis")
    return shown
