"""What is wrong with the content, as `faq lint` would say it; the whole app when nothing loaded."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from kb.content.load import KnowledgeBase
from tui.app.messages import LanguageChanged
from tui.i18n import t
from tui.safe import clean_line


def problems_text(kb: KnowledgeBase, lang: str) -> Text:
    """A heading and one line per problem (file:line: field: message), cleaned for the terminal."""
    heading = (t("problems_fatal", lang, path=str(kb.root)) if not kb.entries
               else t("problems_title", lang, n=len(kb.problems)))
    text = Text(clean_line(heading), style="bold red" if not kb.entries else "bold yellow")
    text.append("\n" + t("problems_hint", lang) + "\n", style="dim")
    for problem in kb.problems:
        text.append("\n• " + clean_line(problem.render(lang)))
    return text


class ProblemsScreen(Screen[None]):
    """The list of problems. With no entries at all it is the only useful screen: q quits."""

    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(self, kb: KnowledgeBase, lang: str) -> None:
        super().__init__(id="problems")
        self._kb = kb
        self._lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems-box"):
            yield Static(problems_text(self._kb, self._lang), id="problems-text")
        yield Footer(compact=True, show_command_palette=False)

    def action_close(self) -> None:
        if self._kb.entries:  # with nothing loaded there is nothing to go back to
            self.dismiss()

    def on_language_changed(self, message: LanguageChanged) -> None:
        lang = self._lang = message.lang
        self.query_one("#problems-text", Static).update(problems_text(self._kb, lang))
