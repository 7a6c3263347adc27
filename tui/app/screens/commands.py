"""Command palette (Ctrl+P): any entry or glossary term by name, typed in Japanese or English.

A name typed in either language finds it; what is shown is in the app's language (with the
name that matched beside it when that was the other language's).
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from kb.content.entry import LANGS
from kb.content.load import KnowledgeBase
from tui.app.state import AppState, state_of
from tui.app.widgets.messages import EntrySelected, TermSelected
from tui.i18n import t
from tui.safe import clean_line

# Enough to find anything by a word of its name; the palette shows only the best anyway.
MAX_HITS = 50


def highlight(matcher: Matcher, text: str) -> Content:
    """``matcher.highlight`` for text that is not markup (it parses its argument as markup)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class KnowledgeCommands(Provider):
    """Entries by their question and glossary terms by any spelling, both languages."""

    _made: tuple[KnowledgeBase, dict[str, dict[str, str]]] | None = None  # the questions, for this content

    @property
    def state(self) -> AppState:
        return state_of(self.app)

    def _questions(self, kb: KnowledgeBase) -> dict[str, dict[str, str]]:
        """Every entry's question by language, read once per palette from the store's text
        (kb.content.stored): a big knowledge base's entries are not all decoded to be named."""
        made = self._made
        if made is None or made[0] is not kb:
            from kb.content.stored import questions

            made = self._made = (kb, questions(kb.entries))
        return made[1]

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
        state = self.state
        kb = state.content
        if kb is None:
            return
        matcher = self.matcher(query)
        scored: list[tuple[float, str, str]] = []
        lang = state.lang
        for entry_id, by_lang in self._questions(kb).items():
            best, matched = 0.0, ""
            for other in LANGS:
                if other in by_lang:
                    name = clean_line(by_lang[other])
                    score = matcher.match(name)
                    if score > best:
                        best, matched = score, name
            if best > 0:
                scored.append((best, matched, entry_id))
        scored.sort(key=lambda s: -s[0])
        for score, matched, entry_id in scored[:MAX_HITS]:
            shown = clean_line(kb.entries[entry_id].question(lang))
            where = t("palette_entry", lang, id=entry_id)
            yield Hit(score, highlight(matcher, shown), partial(self._open_entry, entry_id), text=shown,
                      help=escape(where if matched == shown else f"{where}: {matched}"))  # help is markup
        for term in kb.glossary.values():
            names = [clean_line(n) for n in term.synonyms]
            score, name = max(((matcher.match(n), n) for n in names), default=(0.0, ""))
            if score > 0:
                display = clean_line(term.name(lang))
                where = t("palette_term", lang)
                yield Hit(score, highlight(matcher, display), partial(self._show_term, term.id), text=display,
                          help=escape(where if display == name else f"{where}: {name}"))  # help is markup
