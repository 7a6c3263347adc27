"""The glossary: every term by name on the left (filtered by typing), the highlighted term's definition on the right."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.fuzzy import Matcher
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from kb.content.entry import GlossaryTerm
from kb.content.load import KnowledgeBase
from tui.app.keys import LIST_BINDINGS
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


def filter_terms(terms: list[GlossaryTerm], query: str) -> list[GlossaryTerm]:
    """``terms`` whose name or any spelling fuzzily matches ``query``, best first (all, in order, if empty)."""
    if not query.strip():
        return terms
    matcher = Matcher(query.strip())
    scored = [(max(matcher.match(name) for name in term.synonyms), n, term) for n, term in enumerate(terms)]
    return [term for score, _n, term in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]


class TermList(OptionList):
    """The terms; a letter typed here goes to the filter above, as in a file picker."""

    BINDINGS = LIST_BINDINGS

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.key not in ("j", "k", "g", "G", "space"):
            event.stop()
            event.prevent_default()
            box = self.screen.query_one("#glossary-filter", Input)
            box.focus()
            box.insert_text_at_cursor(event.character)


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
        shown = filter_terms(ordered, self.query_one("#glossary-filter", Input).value)
        terms.add_options([Option(Text(clean_line(g.name(lang)), no_wrap=True, overflow="ellipsis"), id=g.id)
                           for g in shown])
        ids = [g.id for g in shown]
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
