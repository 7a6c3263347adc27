"""The main screen's keys about the open entry: copy its answer, command or figure; edit its file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb.content.load import KnowledgeBase
from tui.app import messages
from tui.i18n import t


def copy_or_say(app: Any, text: str | None, what: str, missing: str, lang: str) -> None:
    """Copy ``text`` to the clipboard and say so; without any, say what is missing."""
    if not text:
        app.notify(t(missing, lang), markup=False)
        return
    app.copy_to_clipboard(text)
    app.notify(t("copied", lang, what=t(what, lang)), markup=False)


def edit_request(kb: KnowledgeBase | None, entry_id: str | None, lang: str) -> messages.EditRequested | None:
    """The request to open the entry's file in the person's editor at its answer (None: no file)."""
    entry = kb.entries.get(entry_id) if kb is not None and entry_id is not None else None
    if kb is None or entry is None or not entry.path:
        return None
    from tui.app.editor import answer_line

    path = Path(entry.path) if Path(entry.path).is_absolute() else kb.root / entry.path
    return messages.EditRequested(str(path), answer_line(path, lang))
