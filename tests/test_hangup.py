"""The app exits when its terminal goes away (tmux kill-session, a closed ssh session).

The app runs under a pseudo-terminal; closing the terminal side must end it within 2 s,
also when it was started through a parent shell (as `make run` does), instead of spinning.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _wait_for_output(fd: int, seconds: float) -> bytes:
    """Read the app's screen until it has drawn something (it is up and reading input)."""
    seen = b""
    stop = time.monotonic() + seconds
    while time.monotonic() < stop and len(seen) < 2000:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


@pytest.mark.parametrize("how", ["direct", "through a shell"])
@pytest.mark.parametrize("hangup", ["close", "sighup"])
def test_the_app_exits_when_its_terminal_closes(tmp_path, how, hangup):
    master, slave = os.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "FAQ_CACHE_DIR": str(tmp_path / "c"),
           "FAQ_DATA_HOME": str(tmp_path / "home"), "COLUMNS": "100", "LINES": "30"}
    argv = [sys.executable, "-m", "tui.cli"]
    if how == "through a shell":
        argv = ["/bin/sh", "-c", " ".join(f"'{a}'" for a in argv) + "; echo done"]
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    try:
        drawn = _wait_for_output(master, 60)
        assert drawn, "the app never drew its screen"
        time.sleep(0.5)
        if hangup == "sighup":
            os.killpg(proc.pid, signal.SIGHUP)  # what the kernel sends the session when the terminal goes
        os.close(master)
        master = -1
        start = time.monotonic()
        while proc.poll() is None and time.monotonic() - start < 2.0:
            time.sleep(0.05)
        assert proc.poll() is not None, "the app still runs 2 s after its terminal closed"
    finally:
        if master >= 0:
            os.close(master)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
