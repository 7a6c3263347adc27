"""The progress file in odd places: a message naming it, never a traceback, never a hang."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime

import pytest

from kb.errors import StoreError
from kb.training import store as store_module
from kb.training.store import open_store
from tui.cli.parser import main

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_dangling_symlink_is_a_message(tmp_path):
    path = tmp_path / "progress.sqlite3"
    path.symlink_to(tmp_path / "gone" / "x")
    with pytest.raises(StoreError) as caught:
        open_store(path, NOW)
    assert caught.value.path == str(path) and "symbolic link" in caught.value.message and caught.value.message_ja


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_progress_file_that_is_not_a_regular_file_is_refused_at_once(tmp_path, kind):
    path = tmp_path / "progress.sqlite3"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    with pytest.raises(StoreError) as caught:
        open_store(path, NOW)
    assert "regular file" in caught.value.message


def test_a_big_database_is_not_read_to_check_its_header(tmp_path, monkeypatch):
    path = tmp_path / "progress.sqlite3"
    open_store(path, NOW).close()
    with path.open("ab") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper
    reads = []
    real_open = type(path).open

    def spy(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        if self == path:
            real_read = handle.read
            handle.read = lambda n=-1: reads.append(n) or real_read(n)  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr(type(path), "open", spy)
    assert store_module._read_header(path) == b"SQLite format 3\x00"
    assert reads == [16]


@pytest.mark.parametrize("argv", [["progress"], ["quiz", "--count", "1"]])
@pytest.mark.parametrize("damage", ["dangling", "sqlite-fails"])
def test_progress_and_quiz_say_what_is_wrong(capsys, monkeypatch, tmp_path, argv, damage):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FAQ_DATA_HOME", str(home))
    if damage == "dangling":
        (home / "progress.sqlite3").symlink_to(tmp_path / "nowhere")
    else:  # what a read-only folder does to SQLite (root, running these tests, ignores the mode)
        def refuse(*_args, **_kwargs):
            raise sqlite3.OperationalError("attempt to write a readonly database")

        monkeypatch.setattr(store_module.sqlite3, "connect", refuse)
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115
    code = main(["--lang", "en", *argv])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert "progress.sqlite3" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_folder_is_a_message(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    open_store(folder / "progress.sqlite3", NOW).close()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError):
            with open_store(folder / "progress.sqlite3", NOW) as store:
                store.profiles()
    finally:
        folder.chmod(0o700)
