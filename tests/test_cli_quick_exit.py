"""A one-shot `faq ask` skips the garbage collector and the interpreter's teardown
(tui/cli/quick_exit.py), yet its output, exit status and exit handlers are those of a normal exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REAL_DATA, ROOT
from tui.cli.quick_exit import one_question


@pytest.mark.parametrize(("argv", "expected"), [
    (["ask", "CSV は必須ですか"], True),
    (["ask", "--json", "--top", "3", "how", "long"], True),
    (["--lang", "en", "ask", "--json", "q"], True),
    (["--data", "ask", "ask", "q"], True),  # a folder named "ask" is not the command
    (["ask", "-"], False),  # questions from stdin, maybe for hours: the collector stays on
    (["ask", "--tui", "q"], False),
    (["ask"], False),
    (["search", "ask"], False),
    ([], False),
])
def test_which_commands_are_one_question(argv, expected):
    assert one_question(argv) is expected


_PROBE = """
import atexit, gc, sys, threading, time
from pathlib import Path
from tui.cli.quick_exit import leave, start
start(sys.argv[2:])
print(json.dumps({"gc": gc.isenabled()}), file=sys.stderr)
atexit.register(lambda: Path(sys.argv[1]).write_text("handlers ran"))
class Teardown:
    def __del__(self):
        sys.stderr.write("torn down\\n")
kept = Teardown()
if "--thread" in sys.argv:
    threading.Thread(target=time.sleep, args=(0.5,)).start()
sys.stdout.write("answer, still in the buffer")
code = leave(3, sys.argv[2:])
sys.stderr.write("returned\\n")
sys.exit(code)
"""


def _probe(tmp_path, *argv):
    marker = tmp_path / "marker"
    proc = subprocess.run([sys.executable, "-c", "import json\n" + _PROBE, str(marker), *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    return proc, marker


def test_faq_ask_leaves_at_once_with_its_output_status_and_exit_handlers(tmp_path):
    proc, marker = _probe(tmp_path, "ask", "--json", "q")
    assert proc.returncode == 3 and proc.stdout == "answer, still in the buffer"
    assert marker.read_text() == "handlers ran"
    assert json.loads(proc.stderr.splitlines()[0]) == {"gc": False}
    assert "returned" not in proc.stderr and "torn down" not in proc.stderr  # no teardown: os._exit


@pytest.mark.parametrize("argv", [("search", "q"), ("ask", "--thread", "q")], ids=["other command", "second thread"])
def test_other_commands_and_a_second_thread_exit_as_usual(tmp_path, argv):
    proc, marker = _probe(tmp_path, *argv)
    assert proc.returncode == 3 and proc.stdout == "answer, still in the buffer"
    assert marker.read_text() == "handlers ran" and "returned" in proc.stderr and "torn down" in proc.stderr


def test_python_m_faq_ask_answers_in_full_with_the_quick_exit(tmp_path):
    env = {**os.environ, "FAQ_CACHE_DIR": str(tmp_path / "cache"), "FAQ_DATA": str(REAL_DATA),
           "FAQ_DATA_HOME": str(tmp_path / "home")}
    for question, status in (("CSV は必須ですか", 0), ("今日の天気は", 1)):
        proc = subprocess.run([sys.executable, "-m", "tui.cli.parser", "ask", "--json", question], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == status, proc.stderr
        answer = json.loads(proc.stdout)
        assert answer["query"] == question and bool(answer["answers"]) == (status == 0)
    logged = list((tmp_path / "home").rglob("*.jsonl"))
    assert logged and len(logged[0].read_text(encoding="utf-8").splitlines()) >= 2  # the question log was written
