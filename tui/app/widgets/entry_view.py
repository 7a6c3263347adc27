"""One entry to read: its answer as Markdown, tags, related links, glossary terms and calculators."""

from __future__ import annotations

import re

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from kb.content.entry import Entry
from kb.content.load import KnowledgeBase
from tui.app.keys import LIST_BINDINGS
from tui.app.widgets.messages import EntrySelected, TermSelected
from tui.i18n import t
from tui.safe import clean, clean_line

_FENCED = re.compile(r"^(?:```|~~~)[^\n]*\n(.*?)^(?:```|~~~)", re.MULTILINE | re.DOTALL)
_SPAN = re.compile(r"`([^`\n]+)`")


def first_command(markdown: str) -> str | None:
    """The first code block of an answer, else its first code span: what a reader would paste."""
    block = _FENCED.search(markdown)
    if block is not None and block.group(1).strip():
        return block.group(1).strip("\n")
    span = _SPAN.search(markdown)
    return span.group(1).strip() if span is not None else None


class LinkList(OptionList):
    """Links under an entry (related entries or glossary terms): Enter or a click follows one."""

    BINDINGS = LIST_BINDINGS

    def __init__(self, links: list[tuple[str, str]], message: type[EntrySelected] | type[TermSelected],
                 id: str) -> None:
        super().__init__(*[Option(Text("→ " + clean_line(label)), id=target) for target, label in links],
                         id=id, classes="link-list")
        self._message = message

    @on(OptionList.OptionSelected)
    def _followed(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self._message(event.option.id))


def entry_terms(kb: KnowledgeBase, entry: Entry, lang: str) -> list[str]:
    """Glossary term ids the entry's text uses, in the order they first appear."""
    from kb.text.glossary import concepts_in  # with the analyser; loaded by the index worker by now

    loc = entry.localized(lang)
    return concepts_in(loc.question + "\n" + loc.answer, kb.glossary)


class EntryView(VerticalScroll):
    """The open entry. ``show`` replaces what is shown; calculator values survive a relabel."""

    def __init__(self, lang: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry_id: str | None = None
        self._lang = lang
        self._entry: Entry | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(t("no_entry_open", self._lang)), classes="placeholder")

    def answer_markdown(self) -> str | None:
        """The open entry's answer as written (Markdown), in the language shown."""
        return self._entry.localized(self._lang).answer if self._entry is not None else None

    def first_command(self) -> str | None:
        """The first command (code block, else code span) in the open entry's answer."""
        answer = self.answer_markdown()
        return first_command(answer) if answer else None

    def figure(self) -> str | None:
        """The first calculator's figures in one line, when its fields give a result."""
        from tui.app.widgets.check_panel import CheckPanel, headline

        for panel in self.query(CheckPanel):
            if panel.result is not None:
                return headline(panel.result, self._lang)
        return None

    async def show_nothing(self, lang: str) -> None:
        self.entry_id = None
        self._entry = None
        await self.remove_children()
        await self.mount(Static(Text(t("no_entry_open", lang)), classes="placeholder"))

    async def show(self, kb: KnowledgeBase, entry: Entry, lang: str, *, question: str = "",
                   bookmarked: bool = False, keep_values: bool = False) -> None:
        """Render ``entry`` in ``lang``; ``question`` pre-fills the calculators.

        With ``keep_values`` (same entry, new language) the calculators keep what was typed.
        """
        # Imported here: the calculators and markdown-it are not needed to draw the first screen.
        from textual.widgets import Markdown

        from kb.checks.registry import calculator
        from tui.app.widgets.check_panel import CheckPanel, initial_values

        kept = {p.check: p.values() for p in self.query(CheckPanel)} if keep_values else {}
        self.entry_id = entry.id
        self._entry, self._lang = entry, lang
        loc = entry.localized(lang)
        title = Text(clean_line(loc.question), style="bold")
        title.append(f"  [{entry.id}]", style="dim")
        if bookmarked:
            title.append("  ★", style="bold yellow")
        tags = ", ".join(kb.tags[x].label.get(lang, x) if x in kb.tags else x for x in entry.tags)
        meta = Text.assemble((t("tags", lang) + ": ", "bold"), clean_line(tags), "\n",
                             (t("applies_to", lang) + ": ", "bold"), clean_line(", ".join(entry.applies_to)))
        related = [(r, kb.entries[r].question(lang)) for r in entry.related if r in kb.entries]
        terms = [(term, kb.glossary[term].name(lang)) for term in entry_terms(kb, entry, lang)]
        children: list[Widget] = [
            Static(title, id="entry-title"),
            Markdown(clean(loc.answer), id="entry-body", open_links=False),
            Static(meta, id="entry-meta"),
        ]
        if related:
            children += [Label(Text(t("related", lang)), classes="section"),
                         LinkList(related, EntrySelected, id="entry-related")]
        if terms:
            children += [Label(Text(t("glossary_terms", lang)), classes="section"),
                         LinkList(terms, TermSelected, id="entry-terms")]
        # A form for each calculator the entry links (a validator needs a whole file).
        for check in (c for c in entry.checks if calculator(c) is not None):
            if check in kept:
                children.append(CheckPanel(check, lang, kept[check]))
            else:
                values, used = initial_values(check, question)
                children.append(CheckPanel(check, lang, values, from_question=used))
        with self.app.batch_update():
            await self.remove_children()
            await self.mount_all(children)
        self.scroll_home(animate=False)
