"""A read-only content folder (an installed package): no command ever writes into it.

Tests run as root, where file permissions are not enforced, so besides chmod-ing the copy
read-only every write aimed inside it is refused and recorded; the folder is also compared
file by file (names, sizes, modification times, bytes) before and after.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tui.cli.parser import main


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """These tests read the English wording of warnings; the Japanese is held by test_messages_ja_*."""
    monkeypatch.setenv("FAQ_LANG", "en")

REAL = Path(__file__).resolve().parent.parent / "faq_data"


def snapshot(root: Path) -> dict[str, tuple[int, int, int, str]]:
    """Every file and folder under ``root``: mode, size, mtime and a hash of the bytes."""
    out = {}
    for path in sorted([root, *root.rglob("*")]):
        st = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        out[str(path.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A read-only copy of the content; every write under it is refused and recorded."""
    root = tmp_path / "site-packages" / "kb" / "_data"
    shutil.copytree(REAL, root)
    for path in sorted(root.rglob("*"), reverse=True):
        path.chmod(stat.S_IREAD | (stat.S_IEXEC if path.is_dir() else 0))
    root.chmod(stat.S_IREAD | stat.S_IEXEC)
    attempts: list[str] = []

    def inside(target: Any) -> bool:
        try:
            return Path(os.fsdecode(target)).resolve().is_relative_to(root)
        except (TypeError, ValueError):
            return False  # a file descriptor, not a path

    def refuse(what: str, target: Any) -> None:
        attempts.append(f"{what} {target}")
        raise PermissionError(errno.EROFS, "read-only file system", str(target))

    real_open, real_os_open, real_connect = builtins.open, os.open, sqlite3.connect

    def guarded_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if inside(file) and any(c in mode for c in "wax+"):
            refuse("open", file)
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if inside(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND):
            refuse("os.open", path)
        return real_os_open(path, flags, *args, **kwargs)

    def guarded_connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if inside(database):
            refuse("sqlite3.connect", database)
        return real_connect(database, *args, **kwargs)

    def guard(owner: Any, name: str, arg: int = 0) -> None:
        real = getattr(owner, name)

        def guarded(*args: Any, **kwargs: Any) -> Any:
            target = args[arg] if len(args) > arg else kwargs.get("dir")
            if target is not None and inside(target):
                refuse(name, target)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, guarded)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(sqlite3, "connect", guarded_connect)
    for name in ("write_text", "write_bytes", "mkdir", "touch", "unlink", "rename", "replace", "chmod"):
        guard(Path, name)
    for name in ("rename", "replace", "remove", "unlink", "mkdir", "makedirs", "rmdir"):
        guard(os, name)
    guard(shutil, "rmtree")
    guard(shutil, "copytree", arg=1)
    monkeypatch.setattr(tempfile, "mkdtemp", _guard_dir(tempfile.mkdtemp, inside, refuse))
    monkeypatch.setenv("FAQ_DATA", str(root))
    before = snapshot(root)
    yield root, attempts
    monkeypatch.undo()
    assert snapshot(root) == before
    for path in [root, *root.rglob("*")]:
        path.chmod(stat.S_IRWXU)


def _guard_dir(real: Any, inside: Any, refuse: Any) -> Any:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        where = kwargs.get("dir") or (args[2] if len(args) > 2 else None)
        if where is not None and inside(where):
            refuse("mkdtemp", where)
        return real(*args, **kwargs)

    return guarded


def test_the_guard_really_refuses_writes_inside(installed):
    root, attempts = installed
    with pytest.raises(PermissionError):
        (root / "entries" / "new.md").write_text("x")
    with pytest.raises(PermissionError):
        sqlite3.connect(root / "x.sqlite3")
    assert len(attempts) == 2
    attempts.clear()


COMMANDS = [
    ["ask", "--json", "CSV は必要ですか"],
    ["ask", "Is TCP Chimney supported?", "--lang", "en"],
    ["search", "Chimney"],
    ["search", "--json", "--tag", "networking", "TCP"],
    ["show", "requirements"],
    ["list"],
    ["tags"],
    ["glossary", "CSV"],
    ["lint"],
    ["index"],
    ["index", "--rebuild", "--json"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_content_commands_never_write_into_the_content(capsys, installed, argv):
    _root, attempts = installed
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out and "Traceback" not in err and "warning" not in err
    assert attempts == []


def test_check_and_eval_on_files_inside_the_content(capsys, installed, tmp_path):
    root, attempts = installed
    assert main(["check", "--json", str(root / "examples" / "cluster.toml")]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["errors"] == 0
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"q": "CSV は必要ですか", "expect": ["csv-required"]}\n', encoding="utf-8")
    assert main(["eval", "--json", str(cases)]) == 0
    assert json.loads(capsys.readouterr().out)["top1_accuracy"] == 1.0
    assert attempts == []


def test_quiz_and_progress_write_only_to_the_user_data_folder(capsys, installed, tmp_path, monkeypatch):
    _root, attempts = installed
    home = tmp_path / "home"
    monkeypatch.setenv("FAQ_DATA_HOME", str(home))
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\ntrue\n" * 10))  # one of them reads for any kind
    assert main(["quiz", "--lang", "en", "--profile", "kim", "--count", "3"]) == 0
    out = capsys.readouterr().out
    assert "Answered 3" in out
    assert main(["progress", "--json", "--profile", "kim"]) == 0
    assert json.loads(capsys.readouterr().out)["answers"] == 3
    assert (home / "progress.sqlite3").is_file()
    assert attempts == []


def test_ask_with_the_cache_inside_the_content_falls_back_to_memory(capsys, installed, monkeypatch):
    """A cache folder pointed into the read-only package: warned about, answered from memory."""
    root, attempts = installed
    monkeypatch.setenv("FAQ_CACHE_DIR", str(root / "cache"))
    code = main(["ask", "--json", "CSV は必要ですか"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["answers"][0]["id"] == "csv-required"
    assert "warning" in err and "in-memory" in err
    assert attempts  # it did try (the cache is meant to be written) and was refused cleanly
    attempts.clear()
