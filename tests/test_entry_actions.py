"""The open entry's keys: the edit request names the entry's own file at its answer, and copying
copies what there is or says what is missing."""

from __future__ import annotations

from pathlib import Path

from kb.content.load import load_kb
from tests.conftest import REAL_DATA
from tui.app.screens.entry_actions import copy_or_say, edit_request
from tui.i18n import t


def test_the_edit_request_opens_the_entrys_file_at_its_answer_in_the_language_shown() -> None:
    kb = load_kb(REAL_DATA)
    entry_id, entry = next(iter(kb.entries.items()))
    lines = (kb.root / entry.path).read_text(encoding="utf-8").splitlines()
    for lang in ("ja", "en"):
        request = edit_request(kb, entry_id, lang)
        assert request is not None and Path(request.path) == kb.root / entry.path
        assert request.line is not None and lines[request.line - 2].strip() == f"<!-- {lang} -->"
    assert edit_request(kb, "no-such-entry", "ja") is None
    assert edit_request(kb, None, "ja") is None and edit_request(None, entry_id, "ja") is None


class _App:
    def __init__(self) -> None:
        self.clipboard: list[str] = []
        self.said: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        self.clipboard.append(text)

    def notify(self, message: str, markup: bool = True) -> None:
        assert markup is False  # content text is never read as markup
        self.said.append(message)


def test_copying_copies_what_there_is_or_says_what_is_missing() -> None:
    app = _App()
    copy_or_say(app, "Get-VM | Stop-VM", "copied_command", "no_command", "en")
    copy_or_say(app, None, "copied_command", "no_command", "en")
    assert app.clipboard == ["Get-VM | Stop-VM"]
    assert app.said == [t("copied", "en", what=t("copied_command", "en")), t("no_command", "en")]
