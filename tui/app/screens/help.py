"""The key bindings, listed from the bindings themselves so the list cannot drift."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app.messages import LanguageChanged
from tui.i18n import MESSAGES, t

# Keys the widgets handle themselves, shown with the bindings.
EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "key_open_best"),
    ("↓", "key_results"),
    ("Esc", "key_escape_help"),
)


def key_names(binding: Binding) -> str:
    """Every key of a binding as a person writes it: "/ Ctrl+L"."""
    names = {"slash": "/", "question_mark": "?", "left_square_bracket": "[",
             "right_square_bracket": "]"}
    keys = []
    for key in binding.key.split(","):
        key = key.strip()
        key = names.get(key, key)
        parts = key.split("+")
        if len(parts) > 1 or len(key) > 1:  # Ctrl+T, F2; a lone character stays as typed (q, ?)
            parts = [p.upper() if len(p) == 1 or p[1:].isdigit() else p.capitalize() for p in parts]
        keys.append("+".join(parts))
    return " ".join(keys)


def help_rows(bindings: Iterable[BindingType], lang: str) -> list[tuple[str, str]]:
    """(keys, what they do) for each binding that has a described id, grouped by id."""
    rows: dict[str, list[str]] = {}
    for binding in bindings:
        if isinstance(binding, Binding) and binding.id in MESSAGES:
            rows.setdefault(binding.id, []).append(key_names(binding))
    # A footer label may be terse ("English"); the help says what the key does.
    listed = [(" ".join(keys), t(f"{ident}_help" if f"{ident}_help" in MESSAGES else ident, lang))
              for ident, keys in rows.items()]
    return listed + [(k, t(ident, lang)) for k, ident in EXTRA_KEYS]


class HelpScreen(ModalScreen[None]):
    """A table of keys over the app; Esc, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,f1", "dismiss", show=False)]

    def __init__(self, bindings: list[BindingType], lang: str) -> None:
        super().__init__(id="help")
        self._bindings_listed = bindings
        self._lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-table")

    @property
    def rows(self) -> list[tuple[str, str]]:
        """(keys, what they do), as the table shows them."""
        return help_rows(self._bindings_listed, self._lang)

    def _table(self) -> Table:
        lang = self._lang
        table = Table(title=t("help_title", lang), caption=t("help_mouse", lang) + "\n" + t("help_close", lang),
                      show_header=False, box=None, padding=(0, 1), expand=True)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for keys, what in self.rows:
            table.add_row(Text(keys), Text(what))
        return table

    def on_language_changed(self, message: LanguageChanged) -> None:
        self._lang = message.lang
        self.query_one("#help-table", Static).update(self._table())
