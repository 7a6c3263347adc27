"""The command palette's names (every entry's question, every glossary spelling) and the
best of them for what is typed: cheap enough to run on each key at any size, off the UI loop.

Textual's own matcher tries every placement of the typed letters in every name: at 10,000
entries that was 0.8–1.9 s per key. Here each name is folded once (case, width, kana kind:
tui.app.fuzzy), a regular expression rejects the names that cannot match at C speed, and only
the rest are placed (once, the best placement) and scored on Textual's scale, so that entries
and Textual's own commands sort together as before. Only the best ``limit`` are kept.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kb.content.load import KnowledgeBase
from tui.app.fuzzy import FuzzyQuery, fold
from tui.safe import clean_line

_CHECK_EVERY = 512  # names between two looks at whether the search is still wanted


@dataclass(frozen=True)
class Named:
    """An entry or a glossary term by all its names (cleaned for one line), folded alike."""

    kind: str  # "entry" or "term"
    id: str
    names: tuple[str, ...]
    folded: tuple[str, ...]
    shown: dict[str, str]  # what is shown in each language (an entry's question, a term's first name)


@dataclass(frozen=True)
class Found:
    """A name that matched: its score (Textual's scale), the name and the matched positions in it."""

    score: float
    named: Named
    name: str
    positions: tuple[int, ...]


def collect_names(kb: KnowledgeBase) -> list[Named]:
    """Every entry by its questions and every glossary term by its spellings, in content order.

    The questions come from the content store's text (kb.content.stored): no entry is decoded.
    """
    from kb.content.stored import questions

    named = []
    for entry_id, by_lang in questions(kb.entries).items():
        names = tuple(dict.fromkeys(_line(q) for q in by_lang.values()))
        first = next(iter(by_lang.values()))  # Entry.question's fallback: the first language written
        shown = {lang: _line(by_lang.get(lang, first)) for lang in ("ja", "en")}
        named.append(Named("entry", entry_id, names, tuple(fold(n) for n in names), shown))
    for term in kb.glossary.values():
        names = tuple(dict.fromkeys(_line(n) for n in term.synonyms))
        shown = {lang: _line(term.name(lang)) for lang in ("ja", "en")}
        named.append(Named("term", term.id, names, tuple(fold(n) for n in names), shown))
    return named


def _line(text: str) -> str:
    """``text`` safe on one line (tui.safe.clean_line); most text already is, and is kept as it is."""
    return text if text.isprintable() else clean_line(text)


class PaletteNames:
    """The names of one knowledge base, collected once (on first use, in whichever thread asks)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._named: list[Named] | None = None
        self._lock = threading.Lock()

    def collect(self) -> None:
        """Collect the names now (the palette asks in a thread as it opens, before the first key)."""
        self.named  # noqa: B018

    @property
    def named(self) -> list[Named]:
        with self._lock:
            if self._named is None:
                self._named = collect_names(self.kb)
            return self._named

    def best(self, typed: str, limit: int, wanted: Callable[[], bool] = lambda: True) -> list[Found]:
        """The ``limit`` best names for ``typed``, best first (ties in content order); each item
        by its best-matching name. Empty as soon as ``wanted()`` turns False (a newer key).

        Every name that holds the letters is scored by their first placement (the leftmost, as a
        regular expression finds it, at C speed) or by the typed text found whole; only the best
        few are then placed as well as they can be (tui.app.fuzzy), which can only raise them.
        """
        query = FuzzyQuery(typed)
        if not query:
            return []
        whole = fold(" ".join(typed.split()))  # as typed, spaces kept: a name that holds it as it is
        # Each letter after the one before, never backtracking: one pass over a name, failing or not.
        first = re.compile("^" + "".join(f"[^{re.escape(c)}]*+({re.escape(c)})" for c in query.chars)).match
        groups = range(1, len(query.chars) + 1)
        scored: list[tuple[float, int, Found, bool]] = []  # (-score, content order, found, placed at best)
        for n, named in enumerate(self.named):
            if n % _CHECK_EVERY == 0 and not wanted():
                return []
            best: Found | None = None
            exact = False
            for name, folded in zip(named.names, named.folded, strict=True):
                at = folded.find(whole)
                if at >= 0:  # the text as typed: Textual's quick path, and its bonus for it
                    positions = _spanned(folded, at, len(whole))
                    score, whole_found = _whole_score(folded, whole, positions), True
                else:
                    m = first(folded)
                    if m is None:  # most names, at C speed
                        continue
                    positions = tuple(m.start(g) for g in groups)
                    score, whole_found = textual_score(folded, positions), False
                if best is None or score > best.score:
                    best, exact = Found(score, named, name, positions), whole_found
            if best is not None:
                scored.append((-best.score, n, best, exact))
        scored.sort(key=lambda s: (s[0], s[1]))
        refined = [(s, n, _better(query, f) if not exact else f) for s, n, f, exact in scored[: 4 * limit]]
        refined.sort(key=lambda s: (-s[2].score, s[1]))
        return [f for _s, _n, f in refined[:limit]]


def _spanned(folded: str, at: int, length: int) -> tuple[int, ...]:
    # Spaces included, as Textual scores it (they are not marked when shown).
    return tuple(range(at, at + length))


def _whole_score(folded: str, whole: str, positions: tuple[int, ...]) -> float:
    return textual_score(folded, positions) * (2.0 if folded == whole else 1.5)


def _better(query: FuzzyQuery, found: Found) -> Found:
    """``found`` placed at its best in each of its names (fzf's way), when that scores higher."""
    best = found
    for name, folded in zip(found.named.names, found.named.folded, strict=True):
        match = query.match(name, folded)
        if match is not None:
            score = textual_score(folded, match.positions)
            if score > best.score:
                best = Found(score, found.named, name, match.positions)
    return best


def placed(query: FuzzyQuery, whole: str, name: str, folded: str) -> tuple[float, tuple[int, ...]] | None:
    """The score and positions of the query's best placement in ``name``, or None."""
    at = folded.find(whole)
    if at >= 0:
        positions = _spanned(folded, at, len(whole))
        return _whole_score(folded, whole, positions), positions
    match = query.match(name, folded)
    if match is None:
        return None
    return textual_score(folded, match.positions), match.positions


def textual_score(folded: str, positions: tuple[int, ...]) -> float:
    """Textual's fuzzy score (textual.fuzzy.FuzzySearch.score) of one placement: a point per
    letter and per word (a run of ``\\w``) it starts, raised when the letters sit together."""
    if not positions:
        return 0.0
    count = len(positions)
    starts = sum(1 for p in positions if _word(folded[p]) and (p == 0 or not _word(folded[p - 1])))
    groups = 1 + sum(1 for a, b in zip(positions, positions[1:], strict=False) if b != a + 1)
    together = (count - (groups - 1)) / count
    return (count + starts) * (1 + together * together)


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"
