"""The CLI colours only a terminal that wants colour: NO_COLOR and TERM=dumb get plain text."""

from __future__ import annotations

import pytest

from tui.cli import knowledge
from tui.cli.render import colour_wanted


@pytest.mark.parametrize(("isatty", "env", "wanted"), [
    (True, {"TERM": "xterm-256color"}, True),
    (True, {}, True),
    (True, {"NO_COLOR": "1", "TERM": "xterm"}, False),
    (True, {"NO_COLOR": "", "TERM": "xterm"}, False),  # no-color.org: present, whatever its value
    (True, {"TERM": "dumb"}, False),
    (False, {"TERM": "xterm"}, False),
])
def test_colour_wanted(isatty, env, wanted):
    assert colour_wanted(isatty, env) is wanted


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_show_at_a_terminal_with_no_colour_prints_no_escape(capsys, monkeypatch, env):
    from tui.cli.parser import main

    monkeypatch.setattr(knowledge.sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["show", "requirements"]) == 0
    assert "\x1b[" not in capsys.readouterr().out
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["show", "requirements"]) == 0
    assert "\x1b[" in capsys.readouterr().out  # the same at a colour terminal is coloured
