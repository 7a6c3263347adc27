"""A terminal whose encoding is not UTF-8 gets what it can show, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
ENCODINGS = ["euc_jp", "shift_jis", "latin-1", "ascii", "cp932", "iso2022_jp", "utf-8"]


def _faq(encoding: str, *argv: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tui.cli", *argv], capture_output=True, env=env, cwd=ROOT,
                          timeout=120)


@pytest.mark.parametrize("encoding", ["euc_jp", "shift_jis", "latin-1"])
@pytest.mark.parametrize("argv", [["--lang", "en", "show", "requirements"], ["show", "requirements"],
                                  ["--lang", "en", "ask", "How many NICs?"], ["ask", "CSV は必要ですか"],
                                  ["--lang", "en", "show", "no-such-entry"]])
def test_show_and_ask_on_a_non_utf8_terminal(encoding, argv):
    proc = _faq(encoding, *argv)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(encoding, "replace")
    assert proc.returncode in (0, 1, 2)
    out = proc.stdout.decode(encoding)  # what was printed is valid in the terminal's encoding
    if argv[-2:] == ["show", "requirements"]:
        assert proc.returncode == 0 and ("requirements" in out or "要件" in out or out)


@settings(max_examples=20, deadline=None)
@given(encoding=st.sampled_from(ENCODINGS), text=st.text(max_size=30))
def test_any_text_prints_in_any_encoding(encoding, text):
    import io

    from tui.cli import parser

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding)
    old = sys.stdout
    sys.stdout = stream
    try:
        parser._replace_unencodable_output()
        print(text.replace("\x00", ""), file=sys.stdout)
        sys.stdout.flush()
    finally:
        sys.stdout = old
    raw.getvalue().decode(encoding)
