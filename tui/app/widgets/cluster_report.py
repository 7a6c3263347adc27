"""A cluster file checked by the validator: findings grouped by severity, each opening the entry it cites."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kb.errors import KbError
from tui.app.keys import LIST_BINDINGS
from tui.app.state import state_of
from tui.app.widgets.messages import EntrySelected
from tui.i18n import checked_against, t
from tui.safe import clean, clean_line

if TYPE_CHECKING:  # the validator is imported when a file is checked, not to draw the app
    from kb.checks import Finding, Report

SEVERITIES = ("error", "warning", "info")

_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


class FindingsList(OptionList):
    """Findings under a heading per severity; each option's id is the entry it cites."""

    BINDINGS = LIST_BINDINGS

    def show_findings(self, findings: list[Finding], lang: str, titles: dict[str, str] | None = None) -> None:
        self.clear_options()
        options: list[Option] = []
        for severity in SEVERITIES:
            found = [f for f in findings if f.severity == severity]
            if not found:
                continue
            heading = f"{t('severity_' + severity, lang)} ({len(found)})"
            options.append(Option(Text(heading, style=_SEVERITY_STYLE[severity]), disabled=True))
            for number, finding in enumerate(found):
                # Option ids must be unique; the entry id follows the last "|".
                title = (titles or {}).get(finding.entry, finding.entry)
                options.append(Option(self._prompt(finding, lang, title),
                                      id=f"{severity}{number}|{finding.entry}"))
        self.add_options(options)
        self.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    @staticmethod
    def _prompt(finding: Finding, lang: str, title: str) -> Text:
        text = Text.assemble((f"[{finding.rule}] ", "dim"),
                             clean_line(finding.message.get(lang) or finding.message["en"]))
        involved = []
        if finding.nodes:
            involved.append(f"{t('nodes_label', lang)}: {', '.join(finding.nodes)}")
        if finding.vms:
            involved.append(f"{t('vms_label', lang)}: {', '.join(finding.vms)}")
        if involved:
            text.append("\n  " + clean_line(" / ".join(involved)), style="dim")
        text.append(f"\n  → {clean_line(title)}", style="italic")
        return text

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntrySelected(event.option.id.rsplit("|", 1)[1]))


class ClusterReport(Vertical):
    """A summary line and the findings, or the reason the file could not be used."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        # What is shown, to show it again in another language: (kind, report or message, path).
        self._shown: tuple[str, Any, str] = ("hint", None, "")
        self.titles: dict[str, str] = {}  # entry id -> its question, to name where a finding leads

    def compose(self) -> ComposeResult:
        yield Static("", id="cluster-summary")
        yield FindingsList(id="cluster-findings")

    @property
    def report(self) -> Report | None:
        """The report shown, if any."""
        kind, shown, _path = self._shown
        return shown if kind == "report" else None

    def check_file(self, path: Path, lang: str) -> None:
        """Validate the cluster file at ``path`` in a worker, then show the report (or why not)."""
        self.show_loading(lang)
        self._validate(path)

    @work(thread=True, exclusive=True, group="cluster", exit_on_error=False)
    def _validate(self, path: Path) -> None:
        from kb.checks import load_cluster, validate_cluster

        try:
            report: Report | KbError = validate_cluster(load_cluster(path))
        except KbError as exc:
            report = exc
        self.app.call_from_thread(self._validated, report, path)

    def _validated(self, report: Report | KbError, path: Path) -> None:
        state = state_of(self.app)
        shown = display_path(path)
        if isinstance(report, KbError):
            self.show_error(report.render(state.lang), shown, state.lang)
            return
        kb = state.content
        if kb is not None:
            self.titles = {f.entry: kb.entries[f.entry].question(state.lang)
                           for f in report.findings if f.entry in kb.entries}
        self.show_report(report, shown, state.lang)
        if self.screen is self.app.screen:  # not from under a dialog or the training screen
            self.query_one(FindingsList).focus()

    def relabel(self, lang: str) -> None:
        kb = state_of(self.app).content
        if kb is not None:
            self.titles = {k: kb.entries[k].question(lang) for k in self.titles if k in kb.entries}
        kind, shown, path = self._shown
        if kind == "report":
            self.show_report(shown, path, lang)
        elif kind == "error":
            self.show_error(shown, path, lang)
        elif kind == "loading":
            self.show_loading(lang)
        else:
            self.show_hint(lang)

    def show_hint(self, lang: str) -> None:
        self._shown = ("hint", None, "")
        self._summary(Text(t("cluster_hint", lang, against=checked_against(lang))))
        self.query_one(FindingsList).display = False

    def show_loading(self, lang: str) -> None:
        self._shown = ("loading", None, "")
        self._summary(Text(t("cluster_loading", lang), style="italic"))

    def show_report(self, report: Report, path: str, lang: str) -> None:
        self._shown = ("report", report, path)
        counts = report.summary()
        self._summary(Text.assemble(
            (clean_line(t("cluster_title", lang, name=report.cluster, path=path)), "bold"), "\n",
            t("cluster_summary", lang, **counts) if report.findings else t("no_findings", lang)))
        findings = self.query_one(FindingsList)
        findings.display = bool(report.findings)
        findings.show_findings(report.findings, lang, self.titles)

    def show_error(self, message: str, path: str, lang: str) -> None:
        self._shown = ("error", message, path)
        self._summary(Text.assemble((clean_line(t("cluster_invalid", lang, path=path)), "bold red"),
                                    "\n", clean(message)))
        self.query_one(FindingsList).display = False

    def _summary(self, text: Text) -> None:
        self.query_one("#cluster-summary", Static).update(text)


def display_path(path: Path) -> str:
    """``path`` as short as it can be said: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)
