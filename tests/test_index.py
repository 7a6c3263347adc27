"""The index cache: keyed by content, reused when unchanged, healed when broken."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kb.content.load import load_kb
from kb.index.store import cache_key, concepts_in, open_index


@pytest.fixture
def kb(small_kb):
    return load_kb(small_kb, known_checks=set())


def test_first_open_builds_then_reuses(kb, tmp_path):
    _ix, first = open_index(kb, tmp_path)
    _ix, second = open_index(kb, tmp_path)
    assert first.built and not second.built
    assert first.path == second.path and first.documents == 2


def test_content_change_updates_the_same_folder_entry_by_entry(small_kb, tmp_path):
    kb = load_kb(small_kb, known_checks=set())
    _ix, first = open_index(kb, tmp_path)
    path = small_kb / "entries" / "alpha.md"
    path.write_text(path.read_text(encoding="utf-8").replace("別のノード", "他のノード"), encoding="utf-8")
    kb2 = load_kb(small_kb, known_checks=set())
    assert cache_key(kb2) == cache_key(kb)  # one folder per content folder, not per content
    ix, second = open_index(kb2, tmp_path)
    assert not second.built and second.updated == 1 and second.path == first.path
    assert ix.doc_count() == 2 and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    _ix, third = open_index(kb2, tmp_path)
    assert not third.built and third.updated == 0  # up to date now


@pytest.mark.parametrize("damage", ["delete-ready", "truncate-segments", "delete-toc", "garbage-toc"])
def test_broken_index_is_rebuilt_not_a_crash(kb, tmp_path, damage):
    _ix, info = open_index(kb, tmp_path)
    folder = info.path
    if damage == "delete-ready":
        (folder / "READY").unlink()
    elif damage == "truncate-segments":
        segment_files = [f for f in folder.iterdir() if f.suffix in (".pst", ".trm", ".col")]
        assert segment_files
        for f in segment_files:
            f.write_bytes(f.read_bytes()[:10])
    elif damage == "delete-toc":
        for f in folder.glob("*.toc"):
            f.unlink()
    else:
        for f in folder.glob("*.toc"):
            f.write_bytes(b"not a table of contents")
    ix, again = open_index(kb, tmp_path)
    assert again.built
    with ix.searcher() as s:
        assert s.doc_count() == 2


def test_unwritable_cache_falls_back_to_memory(kb, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    ix, info = open_index(kb, blocked / "cache")
    assert info.path is None and info.warning and "in-memory" in info.warning
    with ix.searcher() as s:
        assert s.doc_count() == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_cache_falls_back_to_memory(kb, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        _ix, info = open_index(kb, ro)
        assert info.path is None and info.warning
    finally:
        ro.chmod(0o700)


def test_leftover_build_folder_does_not_block(kb, tmp_path):
    (tmp_path / ".build-leftover").mkdir(parents=True)
    _ix, info = open_index(kb, tmp_path)
    assert info.built and info.documents == 2


def test_concepts_match_any_spelling(kb):
    assert concepts_in("ライブ移行の方法", kb.glossary) == ["live-migration"]
    assert concepts_in("ライブマイグレーション", kb.glossary) == ["live-migration"]
    assert set(concepts_in("Is CSV needed for Live Migration?", kb.glossary)) == {"live-migration", "csv"}
    # Latin names match whole words only.
    assert concepts_in("csvfile", kb.glossary) == []


def test_rebuild_flag_forces_a_build(kb, tmp_path):
    open_index(kb, tmp_path)
    _ix, info = open_index(kb, tmp_path, rebuild=True)
    assert info.built


def test_cache_folder_deleted_between_runs(kb, tmp_path):
    cache = tmp_path / "c"
    open_index(kb, cache)
    shutil.rmtree(cache)
    _ix, info = open_index(kb, cache)
    assert info.built and Path(info.path).exists()


def test_parallel_build_gives_the_same_index(real_kb, tmp_path, monkeypatch):
    import kb.index.build as index_module
    from kb.retrieval.engine import Engine

    _ix, serial_info = open_index(real_kb, tmp_path / "serial")
    monkeypatch.setattr(index_module, "PARALLEL_MIN_ENTRIES", 2)
    monkeypatch.setattr(index_module.os, "cpu_count", lambda: 2)
    parallel_ix, _info = open_index(real_kb, tmp_path / "parallel")
    serial = Engine(real_kb, open_index(real_kb, tmp_path / "serial")[0])
    parallel = Engine(real_kb, parallel_ix)
    for question in ["CSV は必要?", "How many NICs?", "仮想スイッチの名前"]:
        assert [a.id for a in serial.ask(question).candidates] == [a.id for a in parallel.ask(question).candidates]
    assert serial_info.documents == parallel_ix.doc_count() == 13


def test_killed_build_folders_are_cleaned_but_running_and_foreign_ones_kept(kb, tmp_path):
    """A build folder goes once its builder (pid + start time in its marker) is gone, not by age."""
    import json
    import subprocess
    import sys

    from kb.index.cache_dir import MARKER, SIGNATURE, mark_ours, process_start

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    killed, running, reused, foreign = (tmp_path / f".build-{n}" for n in ("killed", "running", "reused", "foreign"))
    for folder in (killed, running, reused, foreign):
        folder.mkdir()
    (killed / MARKER).write_text(json.dumps({"signature": SIGNATURE, "pid": dead.pid, "started": "1"}))
    mark_ours(running)  # this very process: still running
    # Our pid, but another start time: the pid was reused, the builder is gone.
    (reused / MARKER).write_text(json.dumps({"signature": SIGNATURE, "pid": os.getpid(), "started": "-1"}))
    os.utime(foreign, (1_000_000, 1_000_000))  # old, but carries no marker: not ours
    assert process_start(os.getpid()) is not None
    open_index(kb, tmp_path)
    assert not killed.exists() and not reused.exists()
    assert running.exists() and foreign.exists()
