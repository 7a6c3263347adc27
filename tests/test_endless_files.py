"""Endless or blocking files (/dev/zero, a FIFO, a huge file): refused with a message naming them.

Run in subprocesses with a generous timeout: a hang guard, not a timing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.content.files import read_limited
from kb.errors import KbError
from tests.conftest import REAL_DATA

ROOT = Path(__file__).resolve().parent.parent
GUARD = 120


def _faq(*argv: str, stdin: str | None = None, data: Path | None = None, home: Path | None = None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if home is not None:
        env["FAQ_DATA_HOME"] = str(home)
    args = [sys.executable, "-m", "tui.cli", "--lang", "en"] + (["--data", str(data)] if data else []) + list(argv)
    with open(stdin or os.devnull, "rb") as handle:
        return subprocess.run(args, stdin=handle, capture_output=True, text=True, env=env, cwd=ROOT, timeout=GUARD)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(REAL_DATA, root)
    return root


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
@pytest.mark.parametrize("command", [["lint"], ["ask", "CSV は必要ですか"]])
def test_an_entry_that_is_a_fifo_or_dev_zero_is_one_problem(content, kind, command):
    path = content / "entries" / "endless.md"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        with path.open("wb") as handle:  # over the 8 MB a content file may have (sparse: no disk used)
            handle.truncate(9 * 1024 * 1024)
    proc = _faq(*command, data=content)
    assert "Traceback" not in proc.stderr
    assert "endless.md" in proc.stderr and ("larger than 8 MB" if kind == "huge" else "not a regular file") in proc.stderr
    if command[0] == "ask":
        assert proc.returncode == 0 and "csv-required" in proc.stdout


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_a_cluster_file_that_is_endless_is_refused(tmp_path, kind):
    path = tmp_path / "cluster.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        with path.open("wb") as handle:
            handle.truncate(64 * 1024 * 1024)
    proc = _faq("check", str(path))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "cluster.toml" in proc.stderr
    assert ("not a regular file" if kind != "huge" else "larger than") in proc.stderr


def test_ask_dash_from_dev_zero_stops_with_a_message():
    proc = _faq("ask", "-", stdin="/dev/zero")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "line 1" in proc.stderr and "longer than" in proc.stderr


def test_ask_dash_still_answers_line_by_line(tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("CSV は必要ですか\nHow many NICs?\n", encoding="utf-8")
    proc = _faq("ask", "--json", "-", stdin=str(questions))
    assert proc.returncode == 0 and proc.stdout.count('"answers"') == 2


def test_quiz_answers_from_dev_zero_stop_with_a_message(tmp_path):
    proc = _faq("quiz", "--count", "1", stdin="/dev/zero", home=tmp_path / "home")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr and "longer than" in proc.stderr


@pytest.mark.parametrize("size", [0, 1, 1000, 4096])
def test_read_limited_reads_whole_small_files_and_refuses_bigger(tmp_path, size):
    path = tmp_path / "f"
    path.write_bytes(b"x" * size)
    assert read_limited(path, limit=1000 if size <= 1000 else 4096) == b"x" * size
    if size > 1:
        with pytest.raises(KbError) as caught:
            read_limited(path, limit=size - 1)
        assert "larger than" in caught.value.message and caught.value.message_ja


def _endless(path: Path, kind: str) -> None:
    """``path`` made a FIFO, a link to /dev/zero, a folder or a sparse file far over any limit."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        with path.open("wb") as handle:
            handle.truncate(2 * 1024 * 1024 * 1024)


_KINDS = ["fifo", "dev-zero", "folder", "huge"]
_SAYS = {"fifo": "not a regular file", "dev-zero": "not a regular file", "folder": "not a regular file",
         "huge": "larger than"}


@pytest.mark.parametrize("kind", _KINDS)
def test_faq_eval_refuses_an_endless_file_naming_it(tmp_path, kind):
    path = tmp_path / "cases.jsonl"
    _endless(path, kind)
    proc = _faq("eval", str(path))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "cases.jsonl" in proc.stderr and _SAYS[kind] in proc.stderr


def _within(seconds: float, work, *args):
    """Run ``work``; fail (instead of hanging the suite) if it blocks on the file."""
    import threading

    box: list = []
    thread = threading.Thread(target=lambda: box.append(work(*args)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{work.__name__} blocked on the file"
    return box[0]


def _refused(work, *args) -> KbError | None:
    """The KbError ``work`` raised (None when it returned)."""
    try:
        work(*args)
    except KbError as exc:
        return exc
    return None


@pytest.mark.parametrize("kind", _KINDS)
def test_every_reader_of_a_user_given_file_refuses_an_endless_one(tmp_path, kind, monkeypatch):
    """What every reader does with a FIFO, /dev/zero, a folder or a huge file in its file's
    place: a message naming the file, or (where a file is only a nicety) nothing, never a hang."""
    from kb.content.edit import add_alternate
    from kb.content.load import read_profile
    from kb.content.snapshot import fingerprint, load_kb_cached
    from kb.gaps.log import QuestionLog, log_paths
    from kb.importing.existing import read_existing
    from kb.retrieval.evaluate import read_cases
    from tui.app.bookmarks import load_bookmarks
    from tui.app.editor import answer_line
    from tui.cli import completion
    from tui.settings import read_settings

    def spoil(path: Path) -> Path:
        if path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        _endless(path, kind)
        return path

    def named(exc: KbError | None, name: str) -> bool:
        return exc is not None and name in str(exc) and _SAYS[kind] in exc.message and bool(exc.message_ja)

    assert named(_within(30, _refused, read_cases, spoil(tmp_path / "cases.jsonl")), "cases.jsonl")
    assert named(_within(30, _refused, read_settings, spoil(tmp_path / "config.toml")), "config.toml")
    bookmarks, problem = _within(30, load_bookmarks, spoil(tmp_path / "bookmarks.json"))
    assert bookmarks == [] and named(problem, "bookmarks.json")
    entry = spoil(tmp_path / "entry.md")
    assert _within(30, answer_line, entry, "ja") is None
    assert named(_within(30, _refused, add_alternate, entry, "ja", "別の言い方"), "entry.md")

    # Content files read apart from loading: the profile, shell completion, an import's target.
    root = tmp_path / "kb"
    shutil.copytree(REAL_DATA, root)
    for name in ("kb.toml", "tags.toml", "glossary.toml", ".faq-import.json"):
        spoil(root / name)
    spoil(root / "entries" / "zz-endless.md")
    assert _within(30, read_profile, root).name == read_profile(tmp_path / "nowhere").name  # the default
    source = completion._Source(str(root))
    assert _within(30, source.tags) == [] and _within(30, source.terms) == []
    existing = _within(30, read_existing, root)
    assert existing.tags == set() and existing.glossary == set() and existing.questions["zz-endless"] == []
    assert _within(30, existing.state_of, "tags.toml") == "edited"

    # Our own files, where something else was put in their place: read as nothing, said once.
    log = QuestionLog(log_paths(tmp_path / "home", root), root)
    spoil(log.paths.questions)
    from datetime import UTC, datetime

    contents = _within(30, log.read, datetime(2026, 1, 1, tzinfo=UTC))
    assert [p for p in contents.problems if named(p, log.paths.questions.name)]
    good = tmp_path / "good"
    shutil.copytree(REAL_DATA, good)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    spoil(cache / f"kb-{fingerprint(good)}.sqlite3")
    assert len(_within(60, load_kb_cached, good, cache).entries) == len(list((good / "entries").glob("*.md")))


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_faq_examples_refuses_an_endless_example(tmp_path, kind):
    root = tmp_path / "kb"
    shutil.copytree(REAL_DATA, root)
    _endless(root / "examples" / "endless.toml", kind)
    proc = _faq("examples", "endless", data=root)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "endless.toml" in proc.stderr and "not a regular file" in proc.stderr
    listing = _faq("examples", data=root)  # the list still shows every example
    assert listing.returncode == 0 and "endless" in listing.stdout
