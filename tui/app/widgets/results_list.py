"""The answers to the question being typed: best first, with confidence and matches marked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.keys import LIST_BINDINGS
from tui.app.widgets.messages import EntrySelected, GlossaryRequested
from tui.i18n import t
from tui.safe import clean_line

if TYPE_CHECKING:  # kb.retrieval.engine (Whoosh) loads in the worker, not before the first screen
    from kb.content.load import KnowledgeBase
    from kb.retrieval.engine import AskResult, Snippet

GLOSSARY_OPTION = "@glossary"
SNIPPET_CHARS = 120
_MARKUP = re.compile(r"\*\*|__|`|^\s*(?:[-*+]|\d+\.)\s+|^#+\s*", re.MULTILINE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ResultRow:
    """One entry in the list: its title and a piece of its answer, matches marked."""

    id: str
    confidence: float
    title: Snippet
    snippet: Snippet


@dataclass(frozen=True)
class Results:
    """What the list shows for one question; ``confident`` is False when only candidates were found."""

    query: str
    confident: bool
    rows: tuple[ResultRow, ...]
    computed: tuple[str, ...] = ()  # the best answer's checks, run on the question's numbers


def build_results(kb: KnowledgeBase, result: AskResult, lang: str) -> Results:
    """The rows for an ask result: the answers, or the closest candidates when none is confident.

    Pure and thread-safe (no widgets), so it runs in the search worker with the ask.
    """
    from kb.retrieval.engine import make_snippet

    chosen = result.answers or result.candidates
    rows = []
    for answer in chosen:
        entry = kb.entries.get(answer.id)
        if entry is None:
            continue
        loc = entry.localized(lang)
        # Wide enough that the window starts at the first character: the whole title, marked.
        title = make_snippet(loc.question, result.query, width=4 * len(loc.question) + 4)
        body = _SPACE.sub(" ", _MARKUP.sub("", loc.answer)).strip()
        rows.append(ResultRow(entry.id, answer.confidence, title,
                              make_snippet(body, result.query, width=SNIPPET_CHARS)))
    computed: tuple[str, ...] = ()
    if result.answers and result.checks:
        from tui.app.widgets.check_panel import headline

        computed = tuple(headline(check, lang) for check in result.checks)
    return Results(result.query, bool(result.answers), tuple(rows), computed)


def marked(snippet: Snippet, style: str = "", mark: str = "bold reverse") -> Text:
    """A snippet as Rich text (never markup), its matched spans styled with ``mark``."""
    text = Text(no_wrap=True, overflow="ellipsis", style=style)
    last = 0
    for start, end in snippet.spans:
        text.append(clean_line(snippet.text[last:start]))
        text.append(clean_line(snippet.text[start:end]), style=mark)
        last = end
    text.append(clean_line(snippet.text[last:]))
    return text


class ResultsList(OptionList):
    """Answers best first; selecting one posts EntrySelected (or GlossaryRequested)."""

    BINDINGS = LIST_BINDINGS

    def show_message(self, message: str) -> None:
        """Replace the list with a line of text (welcome, searching, no results)."""
        self.clear_options()
        self.add_option(Option(Text(message), disabled=True))

    def show_results(self, results: Results, lang: str) -> None:
        """Show ``results``: each entry with its confidence, title and a marked snippet."""
        self.clear_options()
        options: list[Option] = []
        if not results.confident:
            options.append(Option(Text(t("no_answer", lang), style="bold"), disabled=True))
            if results.rows:
                options.append(Option(Text(t("closest", lang) + ":", style="italic"), disabled=True))
        for n, row in enumerate(results.rows):
            computed = results.computed if n == 0 and results.confident else ()
            options.append(Option(self._prompt(row, results.confident, computed), id=row.id))
        if not results.confident:
            options.append(Option(Text("→ " + t("open_glossary", lang), style="underline"),
                                  id=GLOSSARY_OPTION))
        self.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        self.highlighted = first

    @staticmethod
    def _prompt(row: ResultRow, confident: bool, computed: tuple[str, ...] = ()) -> Text:
        confidence = Text(f"{row.confidence:.2f} ", style="bold green" if confident else "dim")
        title = marked(row.title, style="bold")
        snippet = marked(row.snippet, style="dim")
        prompt = Text.assemble(confidence, title, "\n     ", snippet)
        for line in computed:  # the figure the question asked for, before the entry is opened
            prompt.append("\n     = ")
            prompt.append(clean_line(line), style="bold cyan")
        prompt.no_wrap = True
        prompt.overflow = "ellipsis"
        return prompt

    @property
    def entry_ids(self) -> list[str]:
        """The entry ids listed, in order (what a test or a bench looks at)."""
        return [o.id for o in self.options if o.id and o.id != GLOSSARY_OPTION]

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == GLOSSARY_OPTION:
            self.post_message(GlossaryRequested())
        elif event.option.id:
            self.post_message(EntrySelected(event.option.id))
