"""One glossary term's definition, over the entry that uses it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kb.content.entry import GlossaryTerm
from tui.app.messages import LanguageChanged
from tui.app.widgets.glossary_browser import term_text
from tui.i18n import t


class TermScreen(ModalScreen[None]):
    """A term's names and definition; Esc (or Enter) closes it."""

    BINDINGS = [Binding("escape,enter", "dismiss", show=False)]

    def __init__(self, term: GlossaryTerm, lang: str) -> None:
        super().__init__(id="term")
        self.term = term
        self._lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="term-box"):
            yield Static(self._text(), id="term-text")

    def _text(self):  # type: ignore[no-untyped-def]
        text = term_text(self.term, self._lang)
        text.append("\n\n" + t("term_close", self._lang), style="dim")
        return text

    def on_language_changed(self, message: LanguageChanged) -> None:
        self._lang = message.lang
        self.query_one("#term-text", Static).update(self._text())
