"""Which question the person settled on in the app, and what they opened after it, for the log.

Answers update at every pause in typing; logging each would keep half-typed words. A
question counts once the person acts on its answers: opens one of them, or leaves the
question box with them on screen. The first entry opened after it is recorded with its
place among the results (opening the third instead of the first says the first was wrong).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.question_log import AskLogger

if TYPE_CHECKING:
    from tui.app.widgets.results_list import Results


class QuestionTracker:
    """Fed by the main screen: results shown, the box left, an entry opened, typing resumed."""

    def __init__(self, logger: AskLogger) -> None:
        self.logger = logger
        self._shown: Results | None = None
        self._logged = False
        self._ask_id: str | None = None  # the logged question still waiting for what is opened next

    def shown(self, results: Results) -> None:
        """These answers are on screen for what is in the box now."""
        if self._shown is not None and self._logged and results.query == self._shown.query:
            return  # the same question again (the language switched): logged already
        self._shown, self._logged, self._ask_id = results, False, None

    def typed(self) -> None:
        """The question is being changed: what is opened from now on belongs to the next one."""
        self._ask_id = None
        if not self._logged:
            self._shown = None

    def settle(self) -> None:
        """The person left the box or acted on the answers: log the question shown, once."""
        results = self._shown
        if results is None or self._logged or not results.query.strip():
            return
        self._logged = True
        best = (results.rows[0].id, results.rows[0].confidence) if results.confident and results.rows else None
        self._ask_id = self.logger.asked(results.query, best, [(r.id, r.confidence) for r in results.rows])

    def opened(self, entry_id: str) -> None:
        """An entry was opened: the first one after a settled question is its answer as chosen."""
        self.settle()
        if self._ask_id is None or self._shown is None:
            return
        ranks = [row.id for row in self._shown.rows]
        rank = ranks.index(entry_id) + 1 if entry_id in ranks else None
        self.logger.opened(self._ask_id, entry_id, rank)
        self._ask_id = None
