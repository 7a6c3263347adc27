"""User data and cache are private: folders 0700, files 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kb.content.snapshot import load_kb_cached
from kb.training.store import open_store
from tui.app.bookmarks import save_bookmarks


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_progress_store_and_its_journals_are_private(tmp_path, open_umask):
    path = tmp_path / "home" / "progress.sqlite3"
    with open_store(path, datetime(2026, 1, 1, tzinfo=UTC)):
        journals = [p for p in path.parent.iterdir() if p != path]
        assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
        assert all(_mode(p) == 0o600 for p in journals)


def test_bookmarks_are_private(tmp_path, open_umask):
    path = tmp_path / "home" / "bookmarks.json"
    save_bookmarks(path, ["alpha"])
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700


def test_snapshot_and_index_are_private(small_kb, tmp_path, open_umask):
    from kb.index.store import open_index

    cache = tmp_path / "cache"
    kb = load_kb_cached(small_kb, cache, known_checks=set())
    _ix, info = open_index(kb, cache)
    assert _mode(cache) == 0o700 and info.path is not None and _mode(info.path) == 0o700
    assert all(_mode(p) == 0o600 for p in cache.glob("kb-*.sqlite3"))
