"""Command palette (Ctrl+P): any entry or glossary term by name, in Japanese or English."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from kb.content.entry import LANGS
from tui.i18n import t
from tui.safe import clean_line

if TYPE_CHECKING:
    from tui.app.app import FaqApp

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

    @property
    def faq(self) -> FaqApp:
        return cast("FaqApp", self.app)

    async def discover(self) -> Hits:
        app = self.faq
        if app.kb is None:
            return
        for entry_id in app.bookmarks:
            entry = app.kb.entries.get(entry_id)
            if entry is not None:
                yield DiscoveryHit(Content(f"★ {clean_line(entry.question(app.lang))}"),
                                   partial(app.open_entry, entry_id),
                                   help=t("palette_entry", app.lang, id=entry_id))

    async def search(self, query: str) -> Hits:
        app = self.faq
        kb = app.kb
        if kb is None:
            return
        matcher = self.matcher(query)
        scored: list[tuple[float, str, str]] = []
        for entry in kb.entries.values():
            best, shown = 0.0, ""
            for lang in LANGS:
                if lang in entry.text:
                    name = clean_line(entry.text[lang].question)
                    score = matcher.match(name)
                    if score > best:
                        best, shown = score, name
            if best > 0:
                scored.append((best, shown, entry.id))
        scored.sort(key=lambda s: -s[0])
        for score, shown, entry_id in scored[:MAX_HITS]:
            yield Hit(score, highlight(matcher, shown), partial(app.open_entry, entry_id),
                      text=shown, help=t("palette_entry", app.lang, id=entry_id))
        for term in kb.glossary.values():
            names = [clean_line(n) for n in term.synonyms]
            score, name = max(((matcher.match(n), n) for n in names), default=(0.0, ""))
            if score > 0:
                display = clean_line(term.name(app.lang))
                where = t("palette_term", app.lang)
                yield Hit(score, highlight(matcher, name), partial(app.show_term, term.id), text=name,
                          help=escape(where if display == name else f"{where}: {display}"))  # help is markup
