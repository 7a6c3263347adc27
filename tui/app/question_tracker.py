"""Which question the person settled on in the app, and what they opened after it, for the log.

Answers update at every pause in typing; logging each would keep half-typed words. A
question counts once the person acts on its answers: opens an entry while they are on
screen, or leaves the question box. The first entry opened after it is recorded with its
place among the results (opening the third instead of the first says the first was wrong).
The app feeds it from the main screen's messages (QuestionSettled, EntryOpened).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.question_log import AskLogger

if TYPE_CHECKING:
    from tui.app.widgets.results_list import Results


class QuestionTracker:
    """Logs each settled question once, then the first entry opened after it."""

    def __init__(self, logger: AskLogger) -> None:
        self.logger = logger
        self._logged: Results | None = None  # the answers last logged
        self._ask_id: str | None = None  # that question's id while what is opened next is not known

    def settle(self, results: Results) -> None:
        """The person acted on ``results``: log their question, unless it is the one just logged."""
        if not results.query.strip() or self._logged is not None and results.query == self._logged.query:
            return  # the same question again (answered anew after a language switch): logged already
        self._logged = results
        best = (results.rows[0].id, results.rows[0].confidence) if results.confident and results.rows else None
        self._ask_id = self.logger.asked(results.query, best, [(r.id, r.confidence) for r in results.rows])

    def opened(self, entry_id: str, results: Results | None) -> None:
        """``entry_id`` was opened with ``results`` on screen: the answer as the person chose it."""
        if results is not None:
            self.settle(results)
        if self._ask_id is None or self._logged is None:
            return
        ranks = [row.id for row in self._logged.rows]
        self.logger.opened(self._ask_id, entry_id, ranks.index(entry_id) + 1 if entry_id in ranks else None)
        self._ask_id = None
