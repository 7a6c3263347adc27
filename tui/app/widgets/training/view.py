"""What the training views share: the language, the actions each allows, text shown safely."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Static

from kb.content.load import KnowledgeBase
from tui.app.state import state_of
from tui.app.widgets.messages import EntrySelected
from tui.safe import clean_line


def local_time(moment: datetime) -> str:
    """A due date as the trainee reads it: local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def entry_title(kb: KnowledgeBase | None, entry_id: str, lang: str) -> str:
    """The question of the entry an item teaches, or its id if it is not in the content."""
    entry = kb.entries.get(entry_id) if kb is not None else None
    return clean_line(entry.question(lang) if entry is not None else entry_id)


class TrainingView(VerticalScroll):
    """One step of a training session, shown by the Training screen's switcher."""

    # The screen actions this view allows; the others are hidden from the footer and do nothing.
    ACTIONS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, lang: str, id: str) -> None:
        super().__init__(id=id)
        self.lang = lang

    def on_mount(self) -> None:
        cursor_blink = state_of(self.app).settings.cursor_blink
        for box in self.query(Input):
            box.cursor_blink = cursor_blink
        for error in self.query(".tr-error"):
            error.display = False

    def allows(self, action: str) -> bool:
        """Whether the screen action ``action`` can act while this view is shown."""
        return action in self.ACTIONS

    def set_language(self, lang: str) -> None:
        """Use ``lang`` from now on (the screen re-renders the view that is shown)."""
        self.lang = lang

    def refresh_view(self) -> None:
        """Render what the view shows in its language."""

    def show_text(self, selector: str, text: Text | str) -> None:
        """Show ``text`` (never read as markup) in a Static, hiding it while empty."""
        static = self.query_one(selector, Static)
        static.update(text if isinstance(text, Text) else Text(text))
        static.display = bool(str(text))

    @on(OptionList.OptionSelected, ".tr-links")
    def _link_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:  # the app shows the entry on the main screen
            self.post_message(EntrySelected(event.option.id))
