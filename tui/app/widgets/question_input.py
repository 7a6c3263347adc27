"""The question box: an Input that keeps pasted text to one clean, bounded line."""

from __future__ import annotations

import re

from textual import events
from textual.widgets import Input

from tui.safe import from_terminal

# Longer than any question anyone types; the engine cuts at 1000 characters anyway.
MAX_QUESTION_CHARS = 300
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def tidy_question(text: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """``text`` as one line: control characters (escape sequences too) become a space, cut to ``limit``."""
    # Only the head can survive the cut, so huge pastes cost no more than short ones.
    head = from_terminal(text[: limit * 4])
    return _CONTROLS.sub(" ", head)[:limit]


class QuestionInput(Input):
    """Where the question is typed; pastes of any size or content arrive tidied and capped.

    ``?`` in the empty box opens the help, as it does everywhere else; once something is
    typed it is a character like any other ("CSV は必要?").
    """

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, max_length=MAX_QUESTION_CHARS, id=id)

    async def on_key(self, event: events.Key) -> None:
        if event.character == "?" and not self.value:
            event.stop()
            event.prevent_default()
            await self.run_action("app.help")

    def _on_paste(self, event: events.Paste) -> None:
        # Input would take the first line only, and reject the paste entirely past max_length.
        event.prevent_default()
        event.stop()
        start, end = sorted(self.selection)
        room = MAX_QUESTION_CHARS - (len(self.value) - (end - start))
        text = tidy_question(event.text, limit=max(0, room))
        if text:
            self.replace(text, start, end)

    def set_question(self, text: str) -> None:
        """Put ``text`` in the box (tidied), cursor at the end."""
        self.value = tidy_question(text)
        self.cursor_position = len(self.value)
