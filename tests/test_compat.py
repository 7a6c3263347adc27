"""The private internals tui/app/compat.py leans on are still there and still work as it assumes.

When one of these fails after upgrading Textual or Rich, the app still runs (each compat
function falls back), but footer labels stay in English or Japanese wraps badly: read the
new version's source and mend compat.py before raising the bound in pyproject.toml.
"""

from __future__ import annotations

import re

import pytest
from rich import _wrap
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.widget import Widget
from textual.widgets import Static

from tests.tui_support import run_async
from tui.app.compat import rewrite_bindings, set_word_pattern
from tui.app.widgets.line_breaks import WORD


class Keyed(Widget, can_focus=True):
    BINDINGS = [Binding("x", "noop", "Old", id="key_x")]


def relabelled(binding: Binding) -> Binding:
    return Binding(binding.key, binding.action, "New", id=binding.id)


# -- Textual: each node's own binding map -----------------------------------------------------


def test_every_node_holds_its_own_copy_of_the_binding_map() -> None:
    one, other = Keyed(), Keyed()
    bindings = one._bindings
    assert isinstance(bindings, BindingsMap)
    table = bindings.key_to_bindings
    assert isinstance(table, dict) and list(table) == ["x"]
    assert all(isinstance(b, Binding) for b in table["x"])
    # A copy per node, though a shallow one (the lists are shared): compat replaces a key's
    # list, never changes it in place, so the other nodes and the class keep theirs.
    assert table is not other._bindings.key_to_bindings


@run_async
async def test_rewrite_bindings_relabels_the_footer_of_one_node_only() -> None:
    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Keyed(id="one")
            yield Keyed(id="other")
            yield Static("")

    app = Host()
    async with app.run_test() as pilot:
        one = app.query_one("#one", Keyed)
        one.focus()
        await pilot.pause()
        assert app.screen.active_bindings["x"].binding.description == "Old"
        assert rewrite_bindings(one, relabelled) is True
        await pilot.pause()
        assert app.screen.active_bindings["x"].binding.description == "New"
        app.query_one("#other", Keyed).focus()
        await pilot.pause()
        assert app.screen.active_bindings["x"].binding.description == "Old"
    assert Keyed.BINDINGS[0].description == "Old"  # type: ignore[union-attr]


def test_rewrite_bindings_does_nothing_when_the_map_is_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    node = Keyed()
    monkeypatch.setattr(node, "_bindings", object())
    assert rewrite_bindings(node, relabelled) is False


# -- Rich: the word pattern of its line divider ----------------------------------------------------


@pytest.fixture
def rich_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test sets as Rich's word pattern is undone after it."""
    monkeypatch.setattr(_wrap, "re_word", _wrap.re_word)


def test_rich_reads_a_module_word_pattern_shaped_as_line_breaks_assumes(rich_words: None) -> None:
    assert isinstance(_wrap.re_word, re.Pattern)
    _wrap.re_word = re.compile(r"\s*\S+\s*")
    # Rich's own pattern: one "word" is a run of non-spaces with the spaces after it, which
    # line_breaks.WORD extends (CJK characters one by one) and must stay compatible with.
    assert [w for _s, _e, w in _wrap.words("ab  cd ")] == ["ab  ", "cd "]
    assert _wrap.divide_line("ab あいうえお", 8) == [3, 7]  # the Japanese run folded as one word


def test_set_word_pattern_changes_how_rich_breaks_lines(rich_words: None) -> None:
    assert set_word_pattern(WORD) is True
    assert _wrap.re_word is WORD
    assert _wrap.divide_line("ab あいうえお", 8) == [5]  # now between characters, after い
    assert _wrap.divide_line("live migration", 10) == [5]  # Latin text still breaks at spaces


def test_set_word_pattern_does_nothing_without_the_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(_wrap, "re_word")
    assert set_word_pattern(WORD) is False
