"""Endless or blocking files (/dev/zero, a FIFO, a huge file): refused with a message naming them.

Run in subprocesses with a generous timeout: a hang guard, not a timing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.content.files import read_limited
from kb.errors import KbError
from tests.conftest import REAL_DATA

ROOT = Path(__file__).resolve().parent.parent
GUARD = 120


def _faq(*argv: str, stdin: str | None = None, data: Path | None = None, home: Path | None = None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if home is not None:
        env["FAQ_DATA_HOME"] = str(home)
    args = [sys.executable, "-m", "tui.cli", "--lang", "en"] + (["--data", str(data)] if data else []) + list(argv)
    with open(stdin or os.devnull, "rb") as handle:
        return subprocess.run(args, stdin=handle, capture_output=True, text=True, env=env, cwd=ROOT, timeout=GUARD)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(REAL_DATA, root)
    return root


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@pytest.mark.parametrize("command", [["lint"], ["ask", "CSV は必要ですか"]])
def test_an_entry_that_is_a_fifo_or_dev_zero_is_one_problem(content, kind, command):
    path = content / "entries" / "endless.md"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    proc = _faq(*command, data=content)
    assert "Traceback" not in proc.stderr
    assert "endless.md" in proc.stderr and "not a regular file" in proc.stderr
    if command[0] == "ask":
        assert proc.returncode == 0 and "csv-required" in proc.stdout


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_a_cluster_file_that_is_endless_is_refused(tmp_path, kind):
    path = tmp_path / "cluster.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        with path.open("wb") as handle:
            handle.truncate(64 * 1024 * 1024)
    proc = _faq("check", str(path))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "cluster.toml" in proc.stderr
    assert ("not a regular file" if kind != "huge" else "larger than") in proc.stderr


def test_ask_dash_from_dev_zero_stops_with_a_message():
    proc = _faq("ask", "-", stdin="/dev/zero")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "line 1" in proc.stderr and "longer than" in proc.stderr


def test_ask_dash_still_answers_line_by_line(tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("CSV は必要ですか\nHow many NICs?\n", encoding="utf-8")
    proc = _faq("ask", "--json", "-", stdin=str(questions))
    assert proc.returncode == 0 and proc.stdout.count('"answers"') == 2


def test_quiz_answers_from_dev_zero_stop_with_a_message(tmp_path):
    proc = _faq("quiz", "--count", "1", stdin="/dev/zero", home=tmp_path / "home")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr and "longer than" in proc.stderr


@pytest.mark.parametrize("size", [0, 1, 1000, 4096])
def test_read_limited_reads_whole_small_files_and_refuses_bigger(tmp_path, size):
    path = tmp_path / "f"
    path.write_bytes(b"x" * size)
    assert read_limited(path, limit=1000 if size <= 1000 else 4096) == b"x" * size
    if size > 1:
        with pytest.raises(KbError) as caught:
            read_limited(path, limit=size - 1)
        assert "larger than" in caught.value.message and caught.value.message_ja
