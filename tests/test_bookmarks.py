"""Bookmarks file: round trip, atomic replace, and broken files reported instead of raised."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.app.bookmarks import load_bookmarks, save_bookmarks, set_aside, toggled


def test_missing_file_is_no_bookmarks_and_no_problem(tmp_path: Path) -> None:
    assert load_bookmarks(tmp_path / "bookmarks.json") == ([], None)


def test_round_trip_keeps_order_and_drops_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "bookmarks.json"
    save_bookmarks(path, ["csv-required", "tcp-chimney", "csv-required", "日本語-id"])
    assert load_bookmarks(path) == (["csv-required", "tcp-chimney", "日本語-id"], None)


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.json"
    save_bookmarks(path, ["a"])
    save_bookmarks(path, ["a", "b"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bookmarks.json"]


def test_save_replaces_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bookmarks.json"
    save_bookmarks(path, ["old"])

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_bookmarks(path, ["new"])
    monkeypatch.undo()
    # The old file is whole and the temporary file is gone.
    assert load_bookmarks(path) == (["old"], None)
    assert [p.name for p in tmp_path.iterdir()] == ["bookmarks.json"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"{not json", "json:1: not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'["a", "b"]', "not a bookmark file"),
        (b'{"bookmarks": "a"}', "not a bookmark file"),
        (b"", "not valid JSON"),
    ],
)
def test_corrupt_file_is_reported_not_raised(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bookmarks.json"
    path.write_bytes(content)
    ids, problem = load_bookmarks(path)
    assert ids == []
    assert problem is not None and fragment in str(problem) and str(path) in str(problem)
    assert str(path) in problem.render("ja") and problem.message_ja


def test_items_that_are_not_ids_are_skipped_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.json"
    path.write_text(json.dumps({"version": 1, "bookmarks": ["a", 3, None, "", "b"]}))
    ids, problem = load_bookmarks(path)
    assert ids == ["a", "b"]
    assert problem is not None and "ignored 3" in str(problem) and "3 件を無視" in problem.render("ja")


def test_unreadable_path_is_a_problem(tmp_path: Path) -> None:
    ids, problem = load_bookmarks(tmp_path)  # a folder, not a file
    assert ids == [] and problem is not None and "not a regular file" in str(problem) and problem.message_ja


def test_set_aside_keeps_the_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.json"
    assert set_aside(path) is None
    path.write_text("{broken")
    moved = set_aside(path)
    assert moved == tmp_path / "bookmarks.json.corrupt"
    assert moved.read_text() == "{broken" and not path.exists()


@pytest.mark.parametrize(
    ("ids", "entry", "expected"),
    [([], "a", ["a"]), (["a", "b"], "c", ["a", "b", "c"]), (["a", "b", "c"], "b", ["a", "c"])],
)
def test_toggled(ids: list[str], entry: str, expected: list[str]) -> None:
    before = list(ids)
    assert toggled(ids, entry) == expected
    assert ids == before  # the input list is not changed
