"""Faults in the index cache: deleted while open, truncated, left locked or half-built, raced, full, read-only.

Each case must answer exactly as a clean in-memory index does: nothing lost, nothing crashed.
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from whoosh.filedb.structfile import StructFile

import kb.index.store
from kb.retrieval.engine import Engine
from kb.retrieval.healing import open_engine
from tui.cli.parser import main


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """These tests read the English wording of warnings; the Japanese is held by test_messages_ja_*."""
    monkeypatch.setenv("FAQ_LANG", "en")


ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["CSV は必要ですか", "Is TCP Chimney supported?", "4 ノードのクラスターで同時にいくつ移行できますか",
             "Macintosh の値段"]
SEARCHES = ["Chimney", "ライブ マイグレーション", "VSS OR CSV"]


def fingerprint(engine: Engine) -> tuple[Any, ...]:
    """What a user sees from this engine: every answer and confidence, every hit, in order."""
    asks = tuple(tuple((a.id, round(a.confidence, 6)) for a in engine.ask(q).candidates) for q in QUESTIONS)
    hits = tuple(tuple(h.id for h in engine.search(s)) for s in SEARCHES)
    return engine.searcher.doc_count(), asks, hits


@pytest.fixture(scope="module")
def reference(real_kb) -> tuple[Any, ...]:
    engine, _info = open_engine(real_kb, None)
    try:
        print_ = fingerprint(engine)
    finally:
        engine.close()
    assert print_[0] == len(real_kb.entries) and print_[1][0]  # the reference itself answers
    return print_


def _open(kb_, cache: Path, **kwargs: Any) -> tuple[tuple[Any, ...], Any]:
    engine, info = open_engine(kb_, cache, **kwargs)
    try:
        return fingerprint(engine), info
    finally:
        engine.close()


def _leftovers(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.glob(".build-*")) if cache.is_dir() else []


# -- deleted, truncated, left behind ---------------------------------------------------------


def test_cache_deleted_while_an_engine_is_open(real_kb, tmp_path, reference):
    cache = tmp_path / "cache"
    engine, info = open_engine(real_kb, cache)
    assert info.path is not None and fingerprint(engine) == reference
    shutil.rmtree(cache)
    assert fingerprint(engine) == reference  # the open engine keeps answering
    engine.close()
    again, info = _open(real_kb, cache)
    assert again == reference and info.built and info.path and info.path.is_dir()


@pytest.mark.parametrize("how", ["empty", "half", "garbage"])
def test_every_index_file_truncated_in_turn(real_kb, tmp_path, reference, how):
    cache = tmp_path / "cache"
    _print, info = _open(real_kb, cache)
    assert info.path is not None
    names = sorted(p.name for p in info.path.iterdir() if p.is_file())
    # Segments are separate files (postings, terms, columns), each damaged in turn.
    assert {".pst", ".trm", ".col", ".toc"} <= {Path(n).suffix for n in names}
    for position in range(len(names)):
        # A rebuild renames the segment, so pick the file by its place in today's listing.
        file = sorted(p for p in info.path.iterdir() if p.is_file())[position]
        name, data = file.name, file.read_bytes()
        file.write_bytes({"empty": b"", "half": data[: len(data) // 2], "garbage": b"\x00\xff" * 64}[how])
        got, again = _open(real_kb, cache)
        assert got == reference, name
        info = again  # rebuilt, or reopened when the damaged file was not needed (READY's text)
        assert info.path is not None and info.path.is_dir()


def test_a_lock_and_a_half_build_left_by_a_killed_process(real_kb, tmp_path, reference):
    """What a process killed mid-build leaves: Whoosh's lock file in the index, a .build-* folder."""
    cache = tmp_path / "cache"
    _print, info = _open(real_kb, cache)
    assert info.path is not None
    (info.path / "MAIN_WRITELOCK").write_bytes(b"")
    half = cache / ".build-killed"
    half.mkdir()
    (half / "MAIN_WRITELOCK").write_bytes(b"")
    (half / "_MAIN_1.toc").write_bytes(b"partial")
    got, info = _open(real_kb, cache)
    assert got == reference and not info.built
    got, info = _open(real_kb, cache, rebuild=True)
    assert got == reference and info.built


KILLED_BUILDER = """
import sys, time
from pathlib import Path
import kb.index.store
from kb.content.load import load_kb

real_write = kb.index.store._write

def slow_write(ix, kb_):
    writer = ix.writer()  # takes Whoosh's write lock in the .build-* folder
    print("building", flush=True)
    time.sleep(60)

kb.index.store._write = slow_write
kb.index.store.open_index(load_kb(Path(sys.argv[1])), Path(sys.argv[2]))
"""


def test_a_build_killed_mid_way_leaves_nothing_that_blocks(real_kb, tmp_path, reference):
    cache = tmp_path / "cache"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILDER, str(ROOT / "faq_data"), str(cache)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "building", proc.stderr.read() if proc.stderr else ""
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        proc.kill()
        proc.wait(timeout=30)
        for pipe in (proc.stdout, proc.stderr):
            if pipe:
                pipe.close()
    [left] = list(cache.glob(".build-*"))
    assert (left / "MAIN_WRITELOCK").exists()  # the lock really was left behind
    got, info = _open(real_kb, cache)
    assert got == reference and info.built and info.warning is None
    assert not left.exists()  # its builder is gone: the folder is ours to remove, and was


# -- two processes at once -------------------------------------------------------------------

RACER = """
import os, sys, time
from pathlib import Path
go = Path(sys.argv[1])
from tui.cli.parser import main  # import everything first, so both processes build at the same moment

print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
sys.exit(main(sys.argv[2:]))
"""


def test_two_faq_processes_on_an_empty_cache(tmp_path):
    cache = tmp_path / "cache"
    go = tmp_path / "go"
    env = {**os.environ, "FAQ_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT), "FAQ_LANG": "ja"}
    argv = [sys.executable, "-c", RACER, str(go), "ask", "--json", "CSV は必要ですか"]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
             for _ in range(2)]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        go.touch()
        results = [(proc.wait(timeout=60), proc.stdout.read(), proc.stderr.read()) for proc in procs]  # type: ignore[union-attr]
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(timeout=30)
            for pipe in (proc.stdout, proc.stderr):
                if pipe:
                    pipe.close()
    (code_a, out_a, err_a), (code_b, out_b, err_b) = results
    assert (code_a, err_a) == (0, "") and (code_b, err_b) == (0, "")
    assert out_a == out_b and json.loads(out_a)["answers"][0]["id"] == "csv-required"
    assert len(list(cache.glob("index-*"))) == 1 and _leftovers(cache) == []


# -- read-only, full, not a folder -----------------------------------------------------------


def test_cache_path_that_is_a_file_falls_back_to_memory_via_the_cli(capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("I am a file")
    monkeypatch.setenv("FAQ_CACHE_DIR", str(blocker))
    code = main(["ask", "--json", "CSV は必要ですか"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["answers"][0]["id"] == "csv-required"
    assert err.startswith("faq: warning: ") and "in-memory" in err and err.count("\n") == 1
    assert blocker.read_text() == "I am a file"
    code = main(["index", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["path"] is None and "warning" in err


def _full_disk(cache: Path, after: int = 0):  # type: ignore[no-untyped-def]
    """StructFile.write that fails with ENOSPC for files under ``cache`` after ``after`` writes."""
    real = StructFile.write
    count = {"n": 0}

    def write(self: StructFile, data: Any) -> Any:
        name = getattr(self.file, "name", None)
        if isinstance(name, str) and name.startswith(str(cache)):
            count["n"] += 1
            if count["n"] > after:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
        return real(self, data)

    return write


def _enospc(*_args: Any, **_kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["mkdir", "mkdtemp", "first-write", "later-write", "ready-file", "rename"])
def test_a_full_disk_falls_back_to_memory_and_leaves_no_debris(real_kb, tmp_path, reference, monkeypatch, where):
    cache = tmp_path / "cache"
    if where == "mkdir":
        monkeypatch.setattr(Path, "mkdir", _enospc)
    elif where == "mkdtemp":
        real_mkdtemp = kb.index.store.tempfile.mkdtemp

        def mkdtemp(*args: Any, **kwargs: Any) -> str:
            if str(kwargs.get("dir", "")).startswith(str(cache)):
                _enospc()
            return real_mkdtemp(*args, **kwargs)

        monkeypatch.setattr(kb.index.store.tempfile, "mkdtemp", mkdtemp)
        cache.mkdir()
    elif where in ("first-write", "later-write"):
        monkeypatch.setattr(StructFile, "write", _full_disk(cache, after=0 if where == "first-write" else 20))
    elif where == "ready-file":
        real_write_text = Path.write_text

        def write_text(self: Path, *args: Any, **kwargs: Any) -> int:
            if self.name == "READY":
                _enospc()
            return real_write_text(self, *args, **kwargs)

        monkeypatch.setattr(Path, "write_text", write_text)
    else:
        monkeypatch.setattr(kb.index.store.os, "rename", _enospc)
    got, info = _open(real_kb, cache)
    assert got == reference
    assert info.path is None and info.warning and "in-memory" in info.warning and "space" in info.warning.lower()
    assert _leftovers(cache) == [] and not list(cache.glob("index-*"))
    monkeypatch.undo()
    got, info = _open(real_kb, cache)  # space again: the next run builds on disk
    assert got == reference and info.path is not None and info.built


def test_a_full_disk_everywhere_still_answers_from_memory(real_kb, tmp_path, reference, monkeypatch):
    monkeypatch.setattr(kb.index.store.tempfile, "mkdtemp", _enospc)  # cache and system temp folder alike
    got, info = _open(real_kb, tmp_path / "cache")
    assert got == reference and info.path is None and info.warning


def test_full_disk_through_the_cli_warns_once_and_answers(capsys, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("FAQ_CACHE_DIR", str(cache))
    monkeypatch.setattr(StructFile, "write", _full_disk(cache))
    code = main(["search", "--json", "Chimney"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["hits"][0]["id"] == "tcp-chimney"
    assert err.count("\n") == 1 and "warning" in err and "No space left" in err


def test_a_read_only_cache_with_a_good_index_opens_without_writing(real_kb, tmp_path, reference, monkeypatch):
    """Root ignores permissions, so a read-only folder is simulated: any write under it fails."""
    cache = tmp_path / "cache"
    _open(real_kb, cache)
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*")}
    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if str(file).startswith(str(cache)) and any(c in mode for c in "wax+"):
            raise PermissionError(errno.EACCES, "read-only", str(file))
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(cache)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(errno.EACCES, "read-only", str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(Path, "mkdir", lambda *a, **k: _raise_eacces())
    got, info = _open(real_kb, cache)
    assert got == reference and not info.built and info.warning is None
    # A stale index in a read-only cache: rebuilding is impossible, memory serves.
    got, info = _open(real_kb, cache, rebuild=True)
    assert got == reference and info.path is None and info.warning and "in-memory" in info.warning
    monkeypatch.undo()
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*")} == before


def _raise_eacces() -> None:
    raise PermissionError(errno.EACCES, "read-only")


def test_the_cli_with_a_read_only_cache_never_fails(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("FAQ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FAQ_NO_LOG", "1")  # no folder can be made: the question log would warn too
    monkeypatch.setattr(Path, "mkdir", lambda *a, **k: _raise_eacces())
    code = main(["ask", "--json", "VSS でバックアップできますか"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["answers"][0]["id"] == "backup-during-migration"
    assert err.count("\n") == 1 and "warning" in err and "read-only" in err


def test_an_in_memory_build_leaves_no_folders_behind(real_kb, tmp_path, monkeypatch):
    # Each fallback build used to leave an empty faq-index-spill-* folder in the temp folder.
    import tempfile
    import time

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ix, info = kb.index.store._build_in_memory(real_kb, time.perf_counter())
    assert ix.doc_count() == len(real_kb.entries) and info.path is None
    assert list(tmp_path.iterdir()) == []
