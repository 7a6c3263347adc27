"""The cache deletes only what it provably created, and uses only a folder private to the user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.content.load import load_kb
from kb.index.cache_dir import is_ours
from kb.index.store import open_index
from kb.library import open_kb

ROOT = Path(__file__).resolve().parent.parent


def _plant(cache):
    """Files a user keeps in the folder they point FAQ_CACHE_DIR at."""
    cache.mkdir(mode=0o700, exist_ok=True)
    (cache / "index-photos").mkdir()
    (cache / "index-photos" / "holiday.jpg").write_bytes(b"jpeg")
    (cache / ".build-tools").mkdir()
    (cache / ".build-tools" / "Makefile").write_text("all:\n")
    os.utime(cache / ".build-tools", (1_000_000, 1_000_000))
    for n in range(6):
        (cache / f"kb-{n}.pickle").write_bytes(b"mine")
        os.utime(cache / f"kb-{n}.pickle", (1_000_000 + n, 1_000_000 + n))
    return sorted(p.relative_to(cache) for p in cache.rglob("*"))


def test_files_that_are_not_ours_survive_builds_and_snapshots(small_kb, tmp_path):
    cache = tmp_path / "cache"
    planted = _plant(cache)
    for rebuild in (False, True):
        library = open_kb(small_kb, cache, rebuild=rebuild, known_checks=set())
        library.ask("ノード")
        library.close()
    # Another content folder sharing the cache gets its own index; theirs stays.
    other = load_kb(ROOT / "tests" / "data" / "kb", known_checks=set())
    open_index(other, cache)
    left = {p.relative_to(cache) for p in cache.rglob("*")}
    assert set(planted) <= left


def test_our_stale_index_is_removed(small_kb, tmp_path, monkeypatch):
    import kb.index.store as store

    kb = load_kb(small_kb, known_checks=set())
    _ix, first = open_index(kb, tmp_path)
    assert first.path is not None and is_ours(first.path)
    (small_kb / "entries" / "alpha.md").write_text(
        (small_kb / "entries" / "alpha.md").read_text(encoding="utf-8") + "\n追記\n", encoding="utf-8")
    _ix, second = open_index(load_kb(small_kb, known_checks=set()), tmp_path)
    assert second.path == first.path and second.updated == 1  # an edit updates the same folder
    monkeypatch.setattr(store, "INDEX_VERSION", store.INDEX_VERSION + "-next")
    _ix, third = open_index(load_kb(small_kb, known_checks=set()), tmp_path)
    assert third.path != first.path and not first.path.exists()  # another version's folder goes


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_a_cache_folder_others_can_write_is_refused(small_kb, tmp_path, mode):
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(mode)
    kb = load_kb(small_kb, known_checks=set())
    _ix, info = open_index(kb, cache)
    assert info.path is None and info.warning and "writable by other users" in info.warning
    assert info.warning_ja and "他のユーザー" in info.warning_ja
    library = open_kb(small_kb, cache, known_checks=set())
    assert library.cache_dir is None and library.cache_warning is not None
    assert list(cache.iterdir()) == []  # nothing written there, nothing read from it


def test_a_cache_folder_of_another_user_is_refused(small_kb, tmp_path, monkeypatch):
    cache = tmp_path / "theirs"
    cache.mkdir(mode=0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(cache).st_uid + 1)
    _ix, info = open_index(load_kb(small_kb, known_checks=set()), cache)
    assert info.path is None and "another user" in (info.warning or "")


@pytest.mark.parametrize("argv", [["show", "requirements"], ["ask", "CSV は必要ですか"]])
def test_cli_warns_once_and_answers_in_memory(tmp_path, argv):
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(0o777)
    env = {**os.environ, "FAQ_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--lang", "en", *argv], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("warning:") == 1 and "writable by other users" in proc.stderr
    assert list(cache.iterdir()) == []


def test_new_cache_folder_is_private(small_kb, tmp_path):
    cache = tmp_path / "new" / "cache"
    _ix, info = open_index(load_kb(small_kb, known_checks=set()), cache)
    assert info.path is not None
    assert cache.stat().st_mode & 0o777 == 0o700
