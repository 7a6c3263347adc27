"""Whether and where questions are logged, for the CLI and the app alike.

Logging is on unless ``FAQ_NO_LOG`` is set (to anything but ``0`` or nothing) or the
settings file says ``question_log = "off"`` (``faq config set question_log off``). A settings
file that cannot be read turns logging off: a person who wrote one may have meant exactly
that, and keeping their questions is the side to err away from.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from kb.gaps.log import QuestionLog, log_paths
from kb.text.script import script_lang
from tui import paths

SETTING = "question_log"


def logging_enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether questions may be logged: neither ``FAQ_NO_LOG`` nor the settings file says no."""
    from tui.settings import ConfigError, config_path, read_settings

    env = os.environ if env is None else env
    if env.get("FAQ_NO_LOG", "") not in ("", "0"):
        return False
    try:
        settings = read_settings(config_path(env))
    except ConfigError:
        return False
    return settings.get(SETTING, "on") != "off"


def open_question_log(kb_root: Path, data_home: Path | None = None, *, enabled: bool = True) -> QuestionLog | None:
    """The log of the knowledge base in ``kb_root``, or None when logging is off."""
    home = data_home if data_home is not None else paths.user_data_dir()
    if not enabled or not logging_enabled():
        return None
    return QuestionLog(log_paths(home, kb_root), kb_root)


def question_log_for_reading(kb_root: Path, data_home: Path | None = None) -> QuestionLog:
    """The log of ``kb_root`` whether or not logging is on now (to read or manage what is kept)."""
    home = data_home if data_home is not None else paths.user_data_dir()
    return QuestionLog(log_paths(home, kb_root), kb_root)


class AskLogger:
    """Records questions and what was opened after them; a failing disk never stops an answer.

    The first failure is kept in ``error`` (for one warning) and nothing more is tried.
    """

    def __init__(self, log: QuestionLog | None, source: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.log = log
        self.source = source
        self.clock = clock
        self.error: OSError | None = None

    @property
    def active(self) -> bool:
        return self.log is not None and self.error is None

    def asked(self, text: str, answer: tuple[str, float] | None, closest: Iterable[tuple[str, float]]) -> str | None:
        """Log one question; its id, or None when nothing was logged."""
        if self.log is None or self.error is not None or not text.strip():
            return None
        try:
            return self.log.record_ask(text=text.strip(), lang=script_lang(text),
                                       answer=answer[0] if answer else None,
                                       confidence=answer[1] if answer else None,
                                       closest=closest, now=self.clock(), source=self.source)
        except OSError as exc:
            self.error = exc
            return None

    def asked_result(self, result: object) -> str | None:
        """Log an ``AskResult`` (kb.retrieval.engine) as it was answered."""
        answers = getattr(result, "answers", [])
        candidates = getattr(result, "candidates", [])
        best = (answers[0].id, answers[0].confidence) if answers else None
        return self.asked(getattr(result, "query", ""), best, [(c.id, c.confidence) for c in candidates])

    def opened(self, ask_id: str, entry_id: str, rank: int | None) -> None:
        if self.log is None or self.error is not None:
            return
        try:
            self.log.record_open(ask_id, entry_id, rank, self.clock())
        except OSError as exc:
            self.error = exc
