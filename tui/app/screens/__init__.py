"""The app's screens, and a registry where later screens (Training) plug in.

A screen that is not part of the core app registers a factory here, called with the app
state, for example in ``tui/app/screens/training.py``::

    from tui.app.screens import register_screen
    register_screen("training", lambda state: TrainingScreen(state.content, state.lang, ...))

The main screen's ``t`` key then opens it: the module is imported on first use, so the
app starts without it, and the key stays hidden while no such module exists.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.app.state import AppState

ScreenFactory = Callable[["AppState"], Screen[Any]]
_FACTORIES: dict[str, ScreenFactory] = {}


def register_screen(name: str, factory: ScreenFactory) -> None:
    """Make ``factory(state)`` the screen opened for ``name``."""
    _FACTORIES[name] = factory


def screen_available(name: str) -> bool:
    """Whether a screen for ``name`` is registered or its module ``tui.app.screens.<name>`` exists."""
    return name in _FACTORIES or importlib.util.find_spec(f"tui.app.screens.{name}") is not None


def screen_factory(name: str) -> ScreenFactory | None:
    """The factory registered for ``name``, importing ``tui.app.screens.<name>`` to let it register."""
    if name not in _FACTORIES and importlib.util.find_spec(f"tui.app.screens.{name}") is not None:
        importlib.import_module(f"tui.app.screens.{name}")
    return _FACTORIES.get(name)
