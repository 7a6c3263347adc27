"""Faults in the progress store beyond tests/test_training_store.py: a full disk, a kill inside a
transaction, and two real processes training the same profile at once.

(Already covered there: an error between the card and the review writes, a session killed
between answers, corrupt and foreign files, two connections in one process.)
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kb.errors import StoreError
from kb.training.scheduler import Rating, new_card, review
from kb.training.store import ProgressStore, ReviewRecord, open_store
from tui.cli import training as cmd_training
from tui.cli.parser import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIR = Path(__file__).parent / "data" / "training"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
sys.path.insert(0, str(FIXTURE_DIR))
import training_fixture_kb as fx  # noqa: E402


def _answer(store: ProgressStore, card_id: str, text: str = "2", profile: str = "kim",
            at: datetime = T0) -> int:
    card, _ = review(new_card(card_id, at), Rating.Good, at)
    return store.record_answer(profile, card, ReviewRecord(card_id, at, int(Rating.Good), True, None, text))


def _consistent(path: Path) -> list[tuple[str, str]]:
    """(profile, card id) of every answer, after checking the file: intact, no card without an answer."""
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        cards = set(raw.execute("SELECT profile, card_id FROM cards"))
        answers = list(raw.execute("SELECT profile, card_id FROM reviews ORDER BY id"))
        assert cards == set(answers)  # each answer saved with its card, never one without the other
        return answers
    finally:
        raw.close()


class _FailingCommit:
    """A connection whose COMMITs fail as on a full disk, while ``full`` is set."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.full = True

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.full and sql.strip().upper() == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


# -- a full disk -----------------------------------------------------------------------------


def test_a_full_database_reports_the_real_cause_and_keeps_earlier_answers(tmp_path):
    """SQLITE_FULL (here: the page limit reached) rolls the transaction back by itself."""
    path = tmp_path / "progress.sqlite3"
    store = open_store(path, T0)
    _answer(store, "alpha/a1")
    _answer(store, "alpha/a2")
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as caught:
        for n in range(50):  # the first answer that needs a new page fails
            _answer(store, f"beta/b{n}", text="x" * 2000)
    assert "database or disk is full" in caught.value.message and caught.value.path == str(path)
    stored = [r.card_id for r in store.load_reviews("kim")]
    assert stored[:2] == ["alpha/a1", "alpha/a2"] and f"beta/b{n}" not in stored
    store._conn.execute("PRAGMA max_page_count = 1000000")  # space again
    _answer(store, "gamma/g1")  # the store is still usable
    store.close()
    answers = _consistent(path)
    assert [c for _p, c in answers] == [*stored, "gamma/g1"]


def test_a_failed_commit_is_rolled_back_not_left_open(tmp_path):
    """A failed COMMIT leaves SQLite's transaction open: the answer must not linger in it,
    visible as saved until the store is closed and then silently gone."""
    path = tmp_path / "progress.sqlite3"
    store = open_store(path, T0)
    _answer(store, "alpha/a1")
    failing = _FailingCommit(store._conn)
    store._conn = failing  # type: ignore[assignment]
    with pytest.raises(StoreError) as caught:
        _answer(store, "alpha/a2")
    assert "database or disk is full" in caught.value.message
    assert [r.card_id for r in store.load_reviews("kim")] == ["alpha/a1"]  # not shown as saved
    assert set(store.load_cards("kim")) == {"alpha/a1"}
    failing.full = False
    _answer(store, "beta/b1")  # the next answer saves normally
    store.close()
    assert _consistent(path) == [("kim", "alpha/a1"), ("kim", "beta/b1")]


def test_quiz_on_a_full_disk_says_so_and_keeps_what_was_saved(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FAQ_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(cmd_training, "load_content", lambda args: fx.knowledge_base())
    real_open = cmd_training.open_store

    def open_filling_up(path: Path, now: datetime) -> ProgressStore:
        store = real_open(path, now)
        conn = _FailingCommit(store._conn)
        commits = {"n": 0}
        real_execute = conn.execute

        def execute(sql: str, *args: Any) -> sqlite3.Cursor:
            if sql.strip().upper() == "COMMIT":
                commits["n"] += 1
                conn.full = commits["n"] >= 2  # the second answer finds the disk full
            return real_execute(sql, *args)

        conn.execute = execute  # type: ignore[method-assign]
        conn.full = False
        store._conn = conn  # type: ignore[assignment]
        return store

    monkeypatch.setattr(cmd_training, "open_store", open_filling_up)
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\nno\n16\nfalse\n"))
    code = main(["quiz", "--lang", "en", "--profile", "kim"])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and "database or disk is full" in err and "progress.sqlite3" in err
    assert out.count("✓ Correct") == 1  # the first answer was confirmed; the second never was
    assert _consistent(tmp_path / "progress.sqlite3") == [("kim", "alpha/a1")]


# -- killed inside a transaction -------------------------------------------------------------

WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from kb.training.scheduler import Rating, new_card, review
from kb.training.store import ReviewRecord, open_store

t0 = datetime(2024, 5, 1, tzinfo=UTC)
store = open_store(Path(sys.argv[1]), t0)
profile, n = sys.argv[2], 0
while True:
    at = t0 + timedelta(seconds=n)
    card_id = f"{profile}/{n}"
    card, _ = review(new_card(card_id, at), Rating.Good, at)
    store.record_answer(profile, card, ReviewRecord(card_id, at, 3, True, None, "x" * 500))
    print(n, flush=True)  # committed
    n += 1
    if len(sys.argv) > 3 and n == int(sys.argv[3]):
        break
"""


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _close(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait(timeout=30)
    for pipe in (proc.stdout, proc.stderr):
        if pipe:
            pipe.close()


@pytest.mark.parametrize("after", [1, 37])
def test_a_writer_killed_mid_transaction_loses_only_the_answer_in_flight(tmp_path, after):
    path = tmp_path / "progress.sqlite3"
    proc = _spawn(str(path), "kim")
    try:
        assert proc.stdout is not None
        for _ in range(after):
            committed = int(proc.stdout.readline())
        proc.send_signal(signal.SIGKILL)  # most of the loop is inside a transaction
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        _close(proc)
    answers = _consistent(path)
    ids = [int(card.split("/")[1]) for _p, card in answers]
    assert ids == list(range(len(ids)))  # no gaps, nothing half-written
    assert len(ids) >= committed + 1  # every answer reported committed is there
    with open_store(path, T0) as store:  # and the file opens as usual
        assert store.profiles() == ["kim"]
        _answer(store, "after/kill")


# -- two processes, one profile --------------------------------------------------------------

QUIZ = """
import sys, time
from pathlib import Path
sys.path.insert(0, {fixtures!r})
import training_fixture_kb as fx
from tui.cli import parser as cli
from tui.cli import training as cmd_training
cmd_training.load_content = lambda args: fx.knowledge_base()
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.005)
sys.exit(cli.main(["quiz", "--profile", "kim", "--lang", "en", "--tag", sys.argv[2]]))
"""


def test_two_quiz_processes_on_one_profile_store_every_answer(tmp_path):
    """Two sessions of one profile at once (a terminal and the app, say), each on its own tag."""
    go = tmp_path / "go"
    env = {**os.environ, "FAQ_DATA_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    script = QUIZ.format(fixtures=str(FIXTURE_DIR))
    sessions = {"planning": "2\nno\n", "network": "16\nfalse\n"}  # alpha/a1, a2 and beta/b1, b2
    procs = {tag: subprocess.Popen([sys.executable, "-c", script, str(go), tag], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
             for tag in sessions}
    try:
        for tag, proc in procs.items():  # both have all their answers before either starts
            assert proc.stdin is not None
            proc.stdin.write(sessions[tag])
            proc.stdin.close()
        go.touch()
        results = {tag: (proc.stdout.read(), proc.stderr.read()) for tag, proc in procs.items()}  # type: ignore[union-attr]
        for proc in procs.values():
            proc.wait(timeout=60)
    finally:
        for proc in procs.values():
            _close(proc)
    for tag, (out, err) in results.items():
        assert procs[tag].returncode == 0 and err == "", (tag, err)
        assert "Answered 2," in out
    with open_store(tmp_path / "progress.sqlite3", T0) as store:
        stored = sorted((r.card_id, r.answer) for r in store.load_reviews("kim"))
        assert store.profiles() == ["kim"]
    assert stored == [("alpha/a1", "2"), ("alpha/a2", "no"), ("beta/b1", "16"), ("beta/b2", "false")]
    _consistent(tmp_path / "progress.sqlite3")


def test_two_writers_hammering_one_profile_lose_nothing(tmp_path):
    path = tmp_path / "progress.sqlite3"
    open_store(path, T0).close()  # created first, so neither writer races the schema
    procs = [_spawn(str(path), "kim", "200"), _spawn(str(path), "kim", "200")]
    try:
        results = [proc.communicate(timeout=60) for proc in procs]
    finally:
        for proc in procs:
            _close(proc)
    assert [p.returncode for p in procs] == [0, 0], [err for _out, err in results]
    answers = _consistent(path)
    # Both wrote the same 200 card ids: every answer of both is kept, the card holds the last.
    assert len(answers) == 400
    assert sorted({card for _p, card in answers}) == sorted(f"kim/{n}" for n in range(200))
    with open_store(path, T0 + timedelta(days=1)) as store:
        assert len(store.load_cards("kim")) == 200


OPENER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from kb.training.store import open_store
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
open_store(Path(sys.argv[1]), datetime.now(UTC)).close()
"""


def test_processes_opening_a_new_progress_file_at_the_same_moment_all_succeed(tmp_path):
    # Switching a new file to WAL takes an exclusive lock that SQLite does not wait for, and
    # a process reading the schema while another created it took the file for someone else's.
    # Both raced as the TUI and `faq quiz` started together; several rounds make the race likely.
    for round_ in range(4):
        path, go = tmp_path / f"p{round_}.sqlite3", tmp_path / f"go{round_}"
        procs = [subprocess.Popen([sys.executable, "-c", OPENER, str(path), str(go)], cwd=ROOT,
                                  stderr=subprocess.PIPE, text=True) for _ in range(6)]
        time.sleep(0.8)  # let every process reach the starting line
        go.touch()
        errors = [p.communicate(timeout=60)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 6, errors
        store = open_store(path, datetime.now(UTC))
        store.close()
