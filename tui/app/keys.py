"""The app's keys: the bindings of the app and the main screen, and their labels in the app's language.

A binding's id is its message key in the catalog: the footer shows ``t(id, lang)`` and the
help screen lists the same tables, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import replace

from textual import events
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.widgets import Input

from tui.app.compat import rewrite_bindings
from tui.i18n import MESSAGES, t

TABS = ("ask", "entry", "browse", "glossary", "cluster")
# What takes the focus when a tab is opened from the keyboard (1 to 5).
PANE_FOCUS = {"ask": "#results", "entry": "#entry-view", "browse": "#browse-tree",
              "glossary": "#glossary-terms", "cluster": "#cluster-findings"}
# j/k and g/G in every list of the main screen, as in less and vi (shown once, in the help).
LIST_BINDINGS: list[BindingType] = [
    Binding("j", "cursor_down", show=False, id="key_lists"),
    Binding("k", "cursor_up", show=False, id="key_lists"),
    Binding("g", "first", show=False, id="key_lists"),
    Binding("G", "last", show=False, id="key_lists"),
]
# Back and forward share one footer label when both can act: the footer is short at 80 columns.
_HISTORY = Binding.Group("key_history", compact=True)

_COPY = Binding.Group("key_copy", compact=True)

APP_BINDINGS: list[BindingType] = [
    # Ctrl+C copies a selection, as in posting and harlequin; with nothing selected it still quits.
    Binding("ctrl+c", "copy_or_quit", show=False, priority=True, id="key_copy_selection"),
    Binding("ctrl+q", "quit", show=False, priority=True, id="key_quit"),
    Binding("q", "quit", "Quit", id="key_quit"),
    Binding("question_mark,f1", "help", "Help", id="key_help"),
    Binding("f2,ctrl+t", "toggle_language", "English", id="key_lang"),
    Binding("ctrl+p", "command_palette", "Find", show=False, priority=True, id="key_palette"),
]

MAIN_BINDINGS: list[BindingType] = [
    Binding("slash,ctrl+l", "focus_question", "Ask", id="key_focus"),
    Binding("left_square_bracket,alt+left", "back", "Back", id="key_back", group=_HISTORY),
    Binding("right_square_bracket,alt+right", "forward", "Forward", id="key_forward", group=_HISTORY),
    Binding("b", "bookmark", "Bookmark", id="key_bookmark"),
    Binding("c", "copy_answer", "Copy", id="key_copy", group=_COPY),
    Binding("y", "copy_command", "Command", id="key_copy_command", group=_COPY),
    Binding("f", "copy_figure", "Figure", id="key_copy_figure", group=_COPY),
    Binding("e", "edit", "Edit", id="key_edit"),
    Binding("o", "open_cluster", "Cluster", id="key_cluster"),
    Binding("f8", "problems", "Problems", id="key_problems"),
    Binding("t", "training", "Training", id="key_training"),
    Binding("G", "gaps", "Gaps", show=False, id="key_gaps"),
    # The same keys unlabelled: where the footer leaves them out (the Entry tab, to make room
    # for the keys about the entry) they still work.
    Binding("o", "open_cluster_quietly", show=False),
    Binding("t", "training_quietly", show=False),
    *[Binding(str(n), f"show_tab('{tab}')", show=False, id="key_tabs")
      for n, tab in enumerate(TABS, start=1)],
    Binding("escape", "leave", show=False),
    Binding("down", "focus_results", show=False),
]


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Give ``node``'s bindings the footer labels of ``lang`` (a binding's id is its message key)."""
    rewrite_bindings(node, lambda binding: _localized(binding, lang))


def _localized(binding: Binding, lang: str) -> Binding:
    if binding.id in MESSAGES:
        binding = replace(binding, description=t(binding.id, lang))
    group = binding.group
    if group is not None:
        # A group is declared with its message key; once localized, found again by its text.
        key = group.description if group.description in MESSAGES else next(
            (k for k, pair in MESSAGES.items() if k.startswith("key_") and group.description in pair), None)
        if key is not None:
            binding = replace(binding, group=Binding.Group(t(key, lang), compact=group.compact))
    return binding


# Keys a filtered list keeps for itself (moving, opening) or leaves to the screen (tabs, help,
# history); any other character typed on the list goes to its filter box, as in a file picker.
_LIST_KEEPS = frozenset({"j", "k", "g", "G", "space", "slash", "question_mark",
                         "left_square_bracket", "right_square_bracket", "1", "2", "3", "4", "5"})


def typed_into_filter(key: str, character: str | None) -> bool:
    """Whether a filtered list sends this key to its filter box (its ``check_consume_key``:
    Textual then leaves the screen's and app's bindings of that key out of the footer, so
    "q 終了" is not offered where q types a q)."""
    return character is not None and character != "" and character.isprintable() and key not in _LIST_KEEPS


def send_to_filter(event: events.Key, box: Input) -> bool:
    """Type the key ``event`` into the filter ``box`` (focusing it) unless the list keeps that key."""
    if not (event.is_printable and event.character) or event.key in _LIST_KEEPS:
        return False
    event.stop()
    event.prevent_default()
    box.focus()
    box.insert_text_at_cursor(event.character)
    return True
