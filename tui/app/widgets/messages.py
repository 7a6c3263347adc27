"""Messages the widgets post upward: what the person chose, in the past tense."""

from __future__ import annotations

from textual.message import Message


class EntrySelected(Message):
    """An entry was chosen (a result, a related link, a finding, a browse leaf)."""

    def __init__(self, entry_id: str) -> None:
        super().__init__()
        self.entry_id = entry_id


class TermSelected(Message):
    """A glossary term was chosen, to read its definition."""

    def __init__(self, term_id: str) -> None:
        super().__init__()
        self.term_id = term_id


class GlossaryRequested(Message):
    """The person asked to browse the glossary (no confident answer was found)."""
