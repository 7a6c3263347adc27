"""The glossary: every term by name on the left (filtered by typing), the highlighted term's definition on the right."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from kb.content.entry import GlossaryTerm
from kb.content.load import KnowledgeBase
from tui.app.fuzzy import highlighted, rank
from tui.app.keys import LIST_BINDINGS, send_to_filter, typed_into_filter
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


def filter_terms(terms: list[GlossaryTerm], query: str, lang: str = "ja") -> list[tuple[GlossaryTerm, Text]]:
    """``terms`` whose name or any spelling fuzzily matches ``query``, best first (all, in order, if
    empty), each with its line for the list: the name in ``lang``, the matched characters marked
    (a match on another spelling shows that spelling after the name)."""
    def label(term: GlossaryTerm) -> str:
        return clean_line(term.name(lang))

    if not query.strip():
        return [(term, highlighted(label(term), ())) for term in terms]
    shown = []
    for term, text, found in rank(terms, query, key=lambda g: [label(g), *map(clean_line, g.synonyms)]):
        if text == label(term):
            line = highlighted(text, found.positions)
        else:
            line = highlighted(label(term), ())
            line.append(" · ", style="dim")
            line.append_text(highlighted(text, found.positions, style="dim"))
        shown.append((term, line))
    return shown


class TermList(OptionList):
    """The terms; a letter typed here goes to the filter above, as in a file picker."""

    BINDINGS = LIST_BINDINGS

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return typed_into_filter(key, character)

    def on_key(self, event: events.Key) -> None:
        send_to_filter(event, self.screen.query_one("#glossary-filter", Input))


class GlossaryBrowser(Horizontal):
    """Terms sorted by display name; moving the highlight shows the definition."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._kb: KnowledgeBase | None = None
        self._lang = "ja"

    def compose(self) -> ComposeResult:
        with Vertical(id="glossary-left"):
            yield Input(id="glossary-filter", compact=True, select_on_focus=False)
            yield TermList(id="glossary-terms")
        with VerticalScroll(id="glossary-definition-box"):
            yield Static("", id="glossary-definition")

    def populate(self, kb: KnowledgeBase, lang: str) -> None:
        self._kb, self._lang = kb, lang
        self.query_one("#glossary-filter", Input).placeholder = t("glossary_filter", lang)
        self._list_terms(self.shown_term)

    def _list_terms(self, current: str | None = None) -> None:
        if self._kb is None:
            return
        lang = self._lang
        terms = self.query_one("#glossary-terms", OptionList)
        terms.clear_options()
        ordered = sorted(self._kb.glossary.values(), key=lambda g: g.name(lang).casefold())
        shown = filter_terms(ordered, self.query_one("#glossary-filter", Input).value, lang)
        terms.add_options([Option(line, id=g.id) for g, line in shown])
        ids = [g.id for g, _line in shown]
        if ids:
            self.show_term(current if current in ids else ids[0])

    def show_term(self, term_id: str) -> None:
        """Highlight ``term_id`` and show its definition."""
        if self._kb is None or term_id not in self._kb.glossary:
            return
        terms = self.query_one("#glossary-terms", OptionList)
        try:
            terms.highlighted = terms.get_option_index(term_id)
        except OptionDoesNotExist:  # filtered out: show it all the same
            self.query_one("#glossary-filter", Input).value = ""
            self._list_terms(term_id)
            return
        self.query_one("#glossary-definition", Static).update(term_text(self._kb.glossary[term_id], self._lang))

    @property
    def shown_term(self) -> str | None:
        option = self.query_one("#glossary-terms", OptionList).highlighted_option
        return option.id if option else None

    @property
    def listed_terms(self) -> list[str]:
        """The ids of the terms listed (after the filter), in order."""
        terms = self.query_one("#glossary-terms", OptionList)
        return [o.id for o in terms.options if o.id]

    @on(Input.Changed, "#glossary-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._list_terms()

    @on(Input.Submitted, "#glossary-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#glossary-terms").focus()

    @on(OptionList.OptionHighlighted, "#glossary-terms")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._kb is not None and event.option.id in self._kb.glossary:
            self.query_one("#glossary-definition", Static).update(
                term_text(self._kb.glossary[event.option.id], self._lang))
