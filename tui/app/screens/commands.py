"""Command palette (Ctrl+P): any entry or glossary term by name, typed in Japanese or English.

A name typed in either language finds it; what is shown is in the app's language (with the
name that matched beside it when that was the other language's).
"""

from __future__ import annotations

import asyncio
import threading
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen
from textual.style import Style

from kb.content.load import KnowledgeBase
from tui.app.fuzzy import FuzzyQuery, fold
from tui.app.palette_names import Found, PaletteNames, placed
from tui.app.state import AppState, state_of
from tui.app.widgets.messages import EntrySelected, TermSelected
from tui.i18n import t
from tui.safe import clean_line

# Enough to find anything by a word of its name; the palette shows only the best anyway.
MAX_HITS = 50
_MATCH_STYLE = Style(reverse=True)  # Textual's Matcher's, when the palette gives none


def highlighted(text: str, positions: tuple[int, ...], style: Style) -> Content:
    """``text`` (never markup) with the characters at ``positions`` in ``style``."""
    content = Content(text)
    for offset in positions:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


class KnowledgeCommands(Provider):
    """Entries by their question and glossary terms by any spelling, both languages."""

    # One knowledge base's names, kept across palettes (each opening makes a new provider)
    # until the app's content changes.
    _names: PaletteNames | None = None

    def __init__(self, screen: Screen[Any], match_style: Style | None = None) -> None:
        super().__init__(screen, match_style)
        self._stop = threading.Event()  # set when a newer key makes the search in flight stale

    @property
    def state(self) -> AppState:
        return state_of(self.app)

    def _names_of(self, kb: KnowledgeBase) -> PaletteNames:
        names = KnowledgeCommands._names
        if names is None or names.kb is not kb:
            names = KnowledgeCommands._names = PaletteNames(kb)
        return names

    async def startup(self) -> None:
        """Start collecting the names in a thread as the palette opens; the first search waits for them."""
        kb = self.state.content
        if kb is not None:
            threading.Thread(target=self._names_of(kb).collect, name="faq-palette", daemon=True).start()

    def _open_entry(self, entry_id: str) -> None:
        self.app.post_message(EntrySelected(entry_id))

    def _show_term(self, term_id: str) -> None:
        self.app.post_message(TermSelected(term_id))

    async def discover(self) -> Hits:
        state = self.state
        kb = state.content
        if kb is None:
            return
        for entry_id in state.bookmarks:
            entry = kb.entries.get(entry_id)
            if entry is not None:
                yield DiscoveryHit(Content(f"★ {clean_line(entry.question(state.lang))}"),
                                   partial(self._open_entry, entry_id),
                                   help=escape(t("palette_entry", state.lang, id=entry_id)))

    async def search(self, query: str) -> Hits:
        """The best entries and terms for ``query``, found in a thread: the UI loop never waits on it."""
        state = self.state
        kb = state.content
        if kb is None:
            return
        self._stop.set()  # the palette asks again on every key: the previous search is stale
        stop = self._stop = threading.Event()
        names, lang, style = self._names_of(kb), state.lang, self.match_style or _MATCH_STYLE
        try:
            hits = await asyncio.to_thread(self._hits, names, query, lang, style, stop)
        except asyncio.CancelledError:
            stop.set()
            raise
        for hit in hits:
            yield hit

    def _hits(self, names: PaletteNames, query: str, lang: str, style: Style, stop: threading.Event) -> list[Hit]:
        """The hits for ``query`` (in the search thread): the shown name marked where it matched."""
        found = names.best(query, MAX_HITS, wanted=lambda: not stop.is_set())
        fuzzy, whole = FuzzyQuery(query), fold(" ".join(query.split()))
        return [self._hit(f, lang, style, fuzzy, whole) for f in found]

    def _hit(self, found: Found, lang: str, style: Style, fuzzy: FuzzyQuery, whole: str) -> Hit:
        named = found.named
        shown = named.shown[lang]
        positions = found.positions if shown == found.name else (placed(fuzzy, whole, shown, fold(shown)) or (0, ()))[1]
        if named.kind == "entry":
            where = t("palette_entry", lang, id=named.id)
            command = partial(self._open_entry, named.id)
        else:
            where = t("palette_term", lang)
            command = partial(self._show_term, named.id)
        return Hit(found.score, highlighted(shown, positions, style), command, text=shown,
                   help=escape(where if found.name == shown else f"{where}: {found.name}"))  # help is markup
