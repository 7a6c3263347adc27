"""Choosing a cluster file: type a path, or pick a .toml file in a directory tree."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Static

from tui.i18n import t


class ClusterFileTree(DirectoryTree):
    """Folders and TOML files only; hidden ones left out."""

    # Emoji icons have no agreed width across terminals; these do.
    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "
    ICON_FILE = "· "

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")
                and (p.suffix.lower() == ".toml" or _is_dir(p))]


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


class ClusterOpenScreen(ModalScreen[Path | None]):
    """Returns the chosen path, or None when cancelled (Esc)."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, start: Path, lang: str, suggestion: str = "") -> None:
        super().__init__(id="cluster-open")
        self._start = start
        self._lang = lang
        self._suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(id="cluster-open-box"):
            yield Static(Text(t("open_cluster_title", self._lang), style="bold"))
            yield Static(Text(t("open_cluster_prompt", self._lang)), classes="dim")
            yield Input(self._suggestion, id="cluster-path")
            yield ClusterFileTree(self._start, id="cluster-tree")

    @on(Input.Submitted, "#cluster-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(Path(event.value.strip()).expanduser())

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)

    def action_cancel(self) -> None:
        self.dismiss(None)
