"""The end of a session: how many were right, the ratings, what is left, the entries to read again."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from kb.content.load import KnowledgeBase
from kb.training import Session
from tui.app.widgets.training.view import TrainingView, entry_title, local_time
from tui.i18n import t
from tui.safe import clean_line


class SummaryView(TrainingView):
    """The session's summary; each missed entry is a link (EntrySelected) to read it again."""

    ACTIONS = frozenset({"again", "leave"})

    def __init__(self, kb: KnowledgeBase | None, lang: str) -> None:
        super().__init__(lang, id="tr-summary")
        self.kb = kb
        self.session: Session | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="tr-summary-text")
        yield Static(id="tr-missed-title", classes="tr-section")
        yield OptionList(id="tr-missed", classes="tr-links")
        yield Button(id="tr-again-button", compact=True)

    def show_summary(self, session: Session) -> None:
        """Sum ``session`` up (the screen shows this view first, so focus can move)."""
        self.session = session
        self.refresh_view()
        missed = self.query_one("#tr-missed", OptionList)
        if missed.display:  # Enter opens the first entry to read again
            missed.highlighted = 0
            missed.focus()
        else:
            self.query_one("#tr-again-button").focus()

    def refresh_view(self) -> None:
        lang, session = self.lang, self.session
        if session is None:
            return
        summary = session.summary()
        text = Text(t("tr_summary_title", lang, profile=clean_line(summary.profile)), style="bold")
        text.append("\n\n")
        text.append(t("tr_summary", lang, answered=summary.answered, correct=summary.correct))
        if summary.ratings:
            counts = [f"{t(f'tr_rating_{name}', lang)} {n}" for name, n in summary.ratings.items()]
            ratings = ("、" if lang == "ja" else ", ").join(counts)
            text.append("\n" + t("tr_ratings", lang, ratings=ratings))
        if summary.remaining:
            text.append("\n" + t("tr_left", lang, n=summary.remaining))
        if summary.next_due is not None:
            text.append("\n" + t("tr_next_due", lang, when=local_time(summary.next_due)))
        self.show_text("#tr-summary-text", text)
        missed = list(dict.fromkeys(item.entry for item in summary.missed))
        self.show_text("#tr-missed-title", t("tr_missed" if missed else "tr_no_missed", lang))
        links = self.query_one("#tr-missed", OptionList)
        links.display = bool(missed)
        links.set_options([Option(Text("→ " + entry_title(self.kb, e, lang)), id=e) for e in missed])
        self.query_one("#tr-again-button", Button).label = Text(t("tr_again", lang))
