"""What is wrong with the content, as `faq lint` would say it; the whole app when nothing loaded."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kb.content.load import KnowledgeBase
from tui.app.keys import LIST_BINDINGS, localize_bindings
from tui.app.messages import EditRequested, LanguageChanged
from tui.app.widgets.key_footer import KeyFooter
from tui.i18n import t
from tui.safe import clean_line


def problems_text(kb: KnowledgeBase, lang: str) -> Text:
    """A heading and how to use the list below it."""
    heading = (t("problems_fatal", lang, path=str(kb.root)) if not kb.entries
               else t("problems_title", lang, n=len(kb.problems)))
    text = Text(clean_line(heading), style="bold red" if not kb.entries else "bold yellow")
    text.append("\n" + t("problems_hint", lang), style="dim")
    return text


def problem_options(kb: KnowledgeBase, lang: str) -> list[Option]:
    """One line per problem (file:line: field: message), cleaned for the terminal."""
    return [Option(Text("• " + clean_line(problem.render(lang)))) for problem in kb.problems]


class ProblemsScreen(Screen[None]):
    """The list of problems. With no entries at all it is the only useful screen: q quits."""

    BINDINGS = [Binding("escape", "close", show=False), Binding("e", "edit", "Edit", id="key_edit")]

    def __init__(self, kb: KnowledgeBase, lang: str) -> None:
        super().__init__(id="problems")
        self._kb = kb
        self._lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems-box"):
            yield Static(problems_text(self._kb, self._lang), id="problems-text")
            yield ProblemList(*problem_options(self._kb, self._lang), id="problems-list")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        localize_bindings(self, self._lang)  # "e 編集", not the English label it is declared with
        self.query_one(ProblemList).focus()

    def action_edit(self) -> None:
        """Open the highlighted problem's file at its line in the person's editor (the app reloads after)."""
        index = self.query_one(ProblemList).highlighted
        if index is None or not 0 <= index < len(self._kb.problems):
            return
        problem = self._kb.problems[index]
        if problem.path:
            self.app.post_message(EditRequested(problem.path, problem.line))

    def action_close(self) -> None:
        if self._kb.entries:  # with nothing loaded there is nothing to go back to
            self.dismiss()

    def on_language_changed(self, message: LanguageChanged) -> None:
        lang = self._lang = message.lang
        self.query_one("#problems-text", Static).update(problems_text(self._kb, lang))
        problems = self.query_one(ProblemList)
        highlighted = problems.highlighted
        problems.set_options(problem_options(self._kb, lang))
        problems.highlighted = highlighted


class ProblemList(OptionList):
    """The problems, one a line; ``e`` opens the highlighted one where it is."""

    BINDINGS = LIST_BINDINGS
