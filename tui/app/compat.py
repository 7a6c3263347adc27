"""The private internals of Textual and Rich that the app leans on: one function per use.

Each function falls back to doing nothing (and says so by returning False) when the
internal is gone, so an upgrade costs a nicety, never the app. tests/test_compat.py
fails loudly when an upgrade changes what these rely on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.binding import Binding
from textual.dom import DOMNode


def rewrite_bindings(node: DOMNode, change: Callable[[Binding], Binding]) -> bool:
    """Replace each of ``node``'s own bindings by ``change(binding)``; False if Textual no longer allows it.

    Textual has no public way to relabel a binding. Each node holds its own copy of the
    binding map (``node._bindings.key_to_bindings``), so rewriting it leaves the class's
    BINDINGS and every other node alone. Without it, the keys keep the labels they were
    declared with.
    """
    table = getattr(getattr(node, "_bindings", None), "key_to_bindings", None)
    if not isinstance(table, dict):
        return False
    for key, bindings in table.items():
        table[key] = [change(b) for b in bindings]
    node.refresh_bindings()
    return True


def set_word_pattern(pattern: re.Pattern[str]) -> bool:
    """Make Rich's text wrapping find words with ``pattern``; False if this Rich has no such hook.

    Rich's line divider reads its private word pattern (``rich._wrap.re_word``) at each
    call, so replacing it changes every later wrap in this process. Without it, text
    wraps as Rich wraps it: at spaces only.
    """
    try:
        from rich import _wrap
    except ImportError:
        return False
    if not isinstance(getattr(_wrap, "re_word", None), re.Pattern):
        return False
    _wrap.re_word = pattern
    return True
