"""The main screen's Cluster tab: offered only where the content links a validator.

A help desk's FAQ links none, so it gets no Cluster tab, no ``o`` and no fifth tab key; the
shipped content's entries link the cluster validator. A cluster file given at start (``faq
check FILE --tui``) opens the tab whatever the content links.
"""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen
from textual.widgets import TabbedContent

from tui.app.state import AppState, state_of
from tui.app.widgets.cluster_report import ClusterReport


class ClusterTabScreen(Screen[None]):
    """The part of the main screen that offers, opens and fills the Cluster tab."""

    _linked_checks: tuple[object, set[str]] | None = None  # (content, the check ids its entries link)

    @property
    def state(self) -> AppState:
        return state_of(self.app)

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#tabs", TabbedContent)

    @property
    def cluster_offered(self) -> bool:
        """Whether the Cluster tab (and o, 5) is offered: a validator is what some entry links,
        or a cluster file was given. A help desk's FAQ links none, and is not offered one."""
        from kb.checks.registry import validators
        from kb.content.stored import linked_checks

        state = self.state
        if state.settings.cluster_file is not None:
            return True
        if state.content is None:
            return False
        if self._linked_checks is None or self._linked_checks[0] is not state.content:
            self._linked_checks = (state.content, linked_checks(state.content.entries))
        return any(v.id in self._linked_checks[1] for v in validators())

    def _offer_cluster_tab(self) -> None:
        if self.cluster_offered:
            self.tabs.show_tab("cluster")
        else:
            if self.tabs.active == "cluster":
                self.tabs.active = "ask"
            self.tabs.hide_tab("cluster")

    def _check_cluster(self, path: Path | None) -> None:
        """Validate the cluster file at ``path`` on the Cluster tab (None: the dialog was cancelled)."""
        if path is None:
            return
        self.tabs.show_tab("cluster")
        self.tabs.active = "cluster"
        self.query_one(ClusterReport).check_file(path, self.state.lang)

    def action_open_cluster(self) -> None:
        # The tree starts where faq was run, which is where a person keeps their own files.
        suggestion = str(self.state.settings.cluster_file or "")
        from tui.app.screens.cluster_open import ClusterOpenScreen

        self.app.push_screen(ClusterOpenScreen(Path.cwd(), self.state.lang, suggestion), self._check_cluster)

    def action_open_cluster_quietly(self) -> None:
        self.action_open_cluster()
