"""The CLI colours only a terminal that wants colour: NO_COLOR and TERM=dumb get plain text.

The decision itself (tui.cli.render.color_enabled) is tested in test_cli_daily.py.
"""

from __future__ import annotations

import pytest

from tui.cli import knowledge


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_show_at_a_terminal_with_no_colour_prints_no_escape(capsys, monkeypatch, env):
    from tui.cli.parser import main

    monkeypatch.setattr(knowledge.sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("PAGER", "cat")  # at a terminal `show` pages; this test reads stdout
    monkeypatch.delenv("NO_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["show", "requirements"]) == 0
    assert "\x1b[" not in capsys.readouterr().out
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["show", "requirements"]) == 0
    assert "\x1b[" in capsys.readouterr().out  # the same at a colour terminal is coloured
