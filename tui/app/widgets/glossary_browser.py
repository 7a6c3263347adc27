"""The glossary: every term by name on the left, the highlighted term's definition on the right."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kb.content.entry import GlossaryTerm
from kb.content.load import KnowledgeBase
from tui.i18n import t
from tui.safe import clean, clean_line


def term_text(term: GlossaryTerm, lang: str) -> Text:
    """A term's name, its other spellings and its definition, as plain (never markup) text."""
    other = list(dict.fromkeys(s for s in term.synonyms if s != term.name(lang)))  # "CSV" is in both languages
    text = Text(clean_line(term.name(lang)), style="bold")
    if other:
        text.append(f"\n{t('term_synonyms', lang)}: {clean_line(', '.join(other))}", style="dim")
    definition = term.definition.get(lang) or next(iter(term.definition.values()), "")
    text.append("\n\n" + clean(definition))
    return text


class GlossaryBrowser(Horizontal):
    """Terms sorted by display name; moving the highlight shows the definition."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._kb: KnowledgeBase | None = None
        self._lang = "ja"

    def compose(self) -> ComposeResult:
        yield OptionList(id="glossary-terms")
        with VerticalScroll(id="glossary-definition-box"):
            yield Static("", id="glossary-definition")

    def populate(self, kb: KnowledgeBase, lang: str) -> None:
        self._kb, self._lang = kb, lang
        terms = self.query_one("#glossary-terms", OptionList)
        current = terms.highlighted_option.id if terms.highlighted_option else None
        terms.clear_options()
        ordered = sorted(kb.glossary.values(), key=lambda g: g.name(lang).casefold())
        terms.add_options([Option(Text(clean_line(g.name(lang))), id=g.id) for g in ordered])
        if ordered:
            self.show_term(current or ordered[0].id)

    def show_term(self, term_id: str) -> None:
        """Highlight ``term_id`` and show its definition."""
        if self._kb is None or term_id not in self._kb.glossary:
            return
        terms = self.query_one("#glossary-terms", OptionList)
        terms.highlighted = terms.get_option_index(term_id)
        self.query_one("#glossary-definition", Static).update(term_text(self._kb.glossary[term_id], self._lang))

    @property
    def shown_term(self) -> str | None:
        option = self.query_one("#glossary-terms", OptionList).highlighted_option
        return option.id if option else None

    @on(OptionList.OptionHighlighted, "#glossary-terms")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._kb is not None and event.option.id in self._kb.glossary:
            self.query_one("#glossary-definition", Static).update(
                term_text(self._kb.glossary[event.option.id], self._lang))
