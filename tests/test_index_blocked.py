"""A folder in the index's place that cannot be replaced (unreadable, or not ours): the index is
built beside it and used from then on, the folder is left as it is, and the message names it
and says what to do. Mode 000 is simulated where root would ignore it, so these run as root too."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from kb.content.load import load_kb
from kb.index import blocked as blocked_module
from kb.index import cache_dir as ownership
from kb.index.store import cache_key, open_index
from tui.cli.parser import main


@pytest.fixture
def kb(small_kb):
    return load_kb(small_kb, known_checks=set())


def _target(kb, cache: Path) -> Path:
    return cache / f"index-{cache_key(kb)}"


def _plant(folder: Path) -> dict[str, bytes]:
    """A folder that is not ours, in the index's place (as a user or another tool left it)."""
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_bytes(b"mine")
    return {"notes.txt": b"mine"}


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _unreadable(monkeypatch, folder: Path) -> None:
    """What mode 000 does to the message's look at the folder, whoever runs the test."""
    real = os.listdir

    def listdir(path="."):
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(blocked_module.os, "listdir", listdir)


def test_a_folder_not_ours_in_the_way_gets_the_index_built_beside_it(kb, tmp_path):
    cache = tmp_path / "cache"
    target = _target(kb, cache)
    planted = _plant(target)
    ix, info = open_index(kb, cache)
    assert info.built and info.path is not None and info.path != target and info.path.parent == cache
    assert info.path.name.startswith(target.name) and ownership.is_ours(info.path)
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 2
    assert _contents(target) == planted  # left exactly as it was
    assert str(target) in info.warning and str(info.path) in info.warning and "delete it" in info.warning
    assert str(target) in info.warning_ja and str(info.path) in info.warning_ja and "削除" in info.warning_ja
    assert "not empty" not in info.warning.lower()
    # From then on the index beside it is opened, not rebuilt, not fallen back to memory.
    _ix, again = open_index(kb, cache)
    assert (again.built, again.path, again.warning) == (False, info.path, None)
    # A forced rebuild replaces ours beside it, still leaving theirs alone.
    _ix, rebuilt = open_index(kb, cache, rebuild=True)
    assert (rebuilt.built, rebuilt.path) == (True, info.path)
    assert _contents(target) == planted


def test_an_unreadable_folder_is_named_with_the_fix(kb, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    target = _target(kb, cache)
    _plant(target)
    _unreadable(monkeypatch, target)
    _ix, info = open_index(kb, cache)
    assert info.path is not None and info.path != target
    assert "cannot be read (Permission denied)" in info.warning and f"chmod -R u+rwX {target}" in info.warning
    assert "読み取れません" in info.warning_ja and f"chmod -R u+rwX {target}" in info.warning_ja


def test_our_broken_index_that_cannot_be_removed_is_exchanged_for_a_new_one(kb, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _ix, first = open_index(kb, cache)
    target = first.path
    assert target == _target(kb, cache) and ownership.is_ours(target)
    ready = json.loads((target / "READY").read_text(encoding="utf-8"))
    ready["files"] = {name: size + 1 for name, size in ready["files"].items()}  # damaged: sizes differ
    (target / "READY").write_text(json.dumps(ready), encoding="utf-8")
    damaged = (target / "READY").read_bytes()
    # Its files cannot be deleted (what a mode 000 subfolder or a read-only folder does).
    real_rmtree = shutil.rmtree
    refused: list[Path] = []

    def rmtree(path, *args, **kwargs):
        if (Path(path) / "READY").is_file() and (Path(path) / "READY").read_bytes() == damaged:
            refused.append(Path(path))
            if kwargs.get("ignore_errors"):
                return None
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(ownership.shutil, "rmtree", rmtree)
    ix, info = open_index(kb, cache)
    # The new index is exchanged into the index's own place in one step; the damaged one,
    # which could not be deleted, was moved aside (ours, removed once it can be), not in the way.
    assert info.built and info.path == target and info.warning is None
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 2
    assert refused and all(p != target and p.parent == cache and p.exists() for p in refused)
    assert (target / "READY").read_bytes() != damaged


def test_with_both_places_taken_it_answers_from_memory_and_says_why(kb, tmp_path):
    cache = tmp_path / "cache"
    target = _target(kb, cache)
    _plant(target)
    _plant(target.with_name(target.name + ".beside"))
    ix, info = open_index(kb, cache)
    assert info.path is None and ix.doc_count() == 2
    assert str(target) in info.warning and "in-memory" in info.warning and "delete it" in info.warning
    assert str(target) in info.warning_ja and "メモリ上" in info.warning_ja
    assert "not empty" not in info.warning.lower()
    assert sorted(p.name for p in cache.iterdir()) == sorted([target.name, target.name + ".beside"])


@pytest.mark.parametrize(("lang", "expected"), [("en", "faq: warning: index folder"),
                                                 ("ja", "faq: 警告: インデックス フォルダー")])
def test_the_cli_answers_and_names_the_folder_once(small_kb, tmp_path, monkeypatch, capsys, lang, expected):
    cache = tmp_path / "cache"
    monkeypatch.setenv("FAQ_CACHE_DIR", str(cache))
    target = _target(load_kb(small_kb, known_checks=set()), cache)
    _plant(target)
    code = main(["ask", "--data", str(small_kb), "--lang", lang, "--json", "ノード"])
    out, err = capsys.readouterr()
    assert code in (0, 1) and json.loads(out)["query"] == "ノード"
    [line] = [line for line in err.splitlines() if str(target) in line]  # (the fixture's broken entry is warned of too)
    assert line.startswith(expected) and "Traceback" not in err
    main(["ask", "--data", str(small_kb), "--lang", lang, "--json", "ノード"])
    _out, err = capsys.readouterr()
    assert str(target) not in err  # the index beside it is used quietly from then on


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions (simulated above)")
def test_a_mode_000_index_folder_is_built_beside(kb, tmp_path):
    cache = tmp_path / "cache"
    _ix, first = open_index(kb, cache)
    (first.path / "READY").write_text("{}", encoding="utf-8")  # stale, to be replaced
    first.path.chmod(0o000)
    try:
        _ix, info = open_index(kb, cache)
        assert info.path is not None and info.path != first.path
        assert "Permission denied" in info.warning and str(first.path) in info.warning
    finally:
        first.path.chmod(0o700)
