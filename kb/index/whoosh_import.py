"""Whoosh's first import without the modules it loads and we never use.

``whoosh.compat`` imports urllib.request (and with it http.client, ssl and email) for a
download helper; the ``cached_property`` package Whoosh uses imports asyncio to test
whether a method is a coroutine; ``whoosh.query`` imports an English morphology module that
compiles dozens of patterns, for a query type we never build; ``whoosh.compat`` takes
``html.escape`` (and with it a table of every HTML entity) for highlighting we never ask
Whoosh for, and ``queue`` for its multiprocessing writer, which we do not use. Together
about a sixth of `faq ask`'s start-up. While Whoosh is imported, each of these is a
stand-in whose names load the real module when first used; afterwards the real module
imports as usual. Only a process with one thread gets them: no other thread can meet one.
tests/test_index_compat.py checks that Whoosh still works, and what stays unloaded.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from collections.abc import Callable
from typing import Any


class _StandIn(types.ModuleType):
    """A module's place while Whoosh imports: any name not given loads the real module."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)  # the import system asking about ``__path__``: no package
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _forward(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return call


def _iscoroutinefunction(func: Any) -> bool:
    real = sys.modules.get("asyncio")
    if real is not None and not isinstance(real, _StandIn):
        return bool(real.iscoroutinefunction(func))
    return inspect.iscoroutinefunction(func)


def _stand_ins() -> dict[str, _StandIn]:
    given = {
        "urllib.request": {"urlretrieve": _forward("urllib.request", "urlretrieve")},
        "asyncio": {"iscoroutinefunction": _iscoroutinefunction},
        "whoosh.lang.morph_en": {"variations": _forward("whoosh.lang.morph_en", "variations")},
        "html": {"escape": _forward("html", "escape")},
        "queue": {},  # whoosh.compat keeps the module itself: its names load the real one when used
    }
    stand_ins = {}
    for module, names in given.items():
        if module not in sys.modules:
            stand_in = _StandIn(module)
            stand_in.__dict__.update(names)
            stand_ins[module] = stand_in
    return stand_ins


def import_whoosh_lightly() -> None:
    """Import the Whoosh modules the index uses, leaving out what they load for nothing."""
    if "whoosh.query" in sys.modules:
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        # Another thread may import one of these modules meanwhile (the app opens the index in
        # a worker while its screen imports markdown_it, which imports html.entities): it would
        # get a stand-in that is no package. With company, import everything as it is.
        importlib.import_module("whoosh.query")
        return
    stand_ins = _stand_ins()
    sys.modules.update(stand_ins)
    try:
        importlib.import_module("whoosh.compat")
        importlib.import_module("cached_property")
        importlib.import_module("whoosh.query")
    finally:
        for module, stand_in in stand_ins.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
