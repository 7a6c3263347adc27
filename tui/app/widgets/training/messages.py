"""What a training view tells the Training screen: a step of the session is done."""

from __future__ import annotations

from textual.message import Message

from kb.training import Feedback, Session


class SessionStarted(Message):
    """The start form started ``session`` (its queue is not empty)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session


class AnswerChecked(Message):
    """An answer was checked and saved: ``feedback`` says whether it was right."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__()
        self.feedback = feedback


class AnswerRated(Message):
    """The trainee replaced the suggested rating: ``feedback`` has the new one (saved)."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__()
        self.feedback = feedback
