"""The question log: what is kept, privately, by several processes at once, and never fatally."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kb.gaps.log import MAX_RECORD_BYTES, QuestionLog, log_paths
from tests.conftest import ROOT
from tui.cli.parser import main
from tui.question_log import AskLogger, logging_enabled

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def make_log(tmp_path: Path, kb_root: Path | None = None) -> QuestionLog:
    root = kb_root or tmp_path / "kb"
    root.mkdir(exist_ok=True)
    return QuestionLog(log_paths(tmp_path / "home", root), root)


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_question_is_one_line_with_time_text_language_answer_and_closest(tmp_path):
    log = make_log(tmp_path)
    ask_id = log.record_ask(text="CSV は必須?", lang="ja", answer="csv-required", confidence=0.91234,
                            closest=[("csv-required", 0.91234), ("requirements", 0.4)], now=NOW)
    log.record_open(ask_id, "requirements", 2, NOW + timedelta(seconds=5))
    header, asked, opened = lines_of(log.paths.questions)
    assert header == {"kind": "log", "version": 1, "kb": str((tmp_path / "kb").resolve())}
    assert asked == {"kind": "ask", "id": ask_id, "time": "2026-11-20T09:30:00Z", "text": "CSV は必須?",
                     "lang": "ja", "answer": "csv-required", "confidence": 0.9123,
                     "closest": [["csv-required", 0.9123], ["requirements", 0.4]], "source": "cli"}
    assert opened == {"kind": "open", "ask": ask_id, "time": "2026-11-20T09:30:05Z", "entry": "requirements",
                      "rank": 2}
    contents = log.read(NOW)
    assert [a.text for a in contents.asked] == ["CSV は必須?"] and contents.opened[0].rank == 2
    assert contents.problems == []


def test_one_log_per_knowledge_base_keyed_by_its_resolved_path(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = log_paths(home, tmp_path / "a"), log_paths(home, tmp_path / "b")
    assert a.questions != b.questions and a.folder == b.folder == home / "questions"
    # The same folder named another way is the same log.
    assert log_paths(home, tmp_path / "b" / ".." / "a").questions == a.questions


def test_the_log_is_private_to_its_owner(tmp_path):
    log = make_log(tmp_path)
    log.paths.folder.mkdir(parents=True, mode=0o755)
    log.paths.folder.chmod(0o755)  # a folder someone made readable: it is closed again
    log.record_ask(text="q", lang="en", answer=None, confidence=None, closest=[], now=NOW)
    log.record_accepted("q", "x", "en", NOW)
    log.record_dismissed(["q"], NOW)
    assert stat.S_IMODE(log.paths.folder.stat().st_mode) == 0o700
    for path in (log.paths.questions, log.paths.accepted, log.paths.dismissed):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_long_question_still_fits_one_small_write(tmp_path):
    log = make_log(tmp_path)
    log.record_ask(text="ライブ" * 2000, lang="ja", answer="x" * 500, confidence=0.5,
                   closest=[("y" * 500, 0.1)] * 10, now=NOW)
    record = log.paths.questions.read_bytes().split(b"\n")[1]
    assert len(record) + 1 <= MAX_RECORD_BYTES
    assert log.read(NOW).asked[0].text.startswith("ライブライブ")


_WRITER = textwrap.dedent("""
    import sys, time
    from datetime import datetime, UTC
    from pathlib import Path
    from kb.gaps.log import QuestionLog, log_paths
    home, root, name, count, start = sys.argv[1:6]
    log = QuestionLog(log_paths(Path(home), Path(root)), Path(root))
    while time.time() < float(start):
        pass
    for n in range(int(count)):
        log.record_ask(text=f"{name} {n} " + "移行" * 400, lang="ja", answer=None, confidence=None,
                       closest=[("entry", 0.1)], now=datetime.now(UTC), source=name)
""")


def test_several_processes_logging_at_once_lose_nothing(tmp_path):
    import time

    root = tmp_path / "kb"
    root.mkdir()
    home = tmp_path / "home"
    writers, count = 4, 150
    start = time.time() + 1.5  # all begin together, on a log that does not exist yet
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(home), str(root), f"w{i}", str(count), str(start)],
                              env=env, cwd=ROOT) for i in range(writers)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    path = log_paths(home, root).questions
    raw = path.read_bytes()
    assert raw.endswith(b"\n")
    records = [json.loads(line) for line in raw.decode("utf-8").splitlines()]  # every line whole
    assert [r["kind"] for r in records].count("log") == 1 and records[0]["kind"] == "log"
    asked = [r for r in records if r["kind"] == "ask"]
    assert len(asked) == writers * count and len({r["id"] for r in asked}) == writers * count
    for i in range(writers):
        numbers = [int(r["text"].split()[1]) for r in asked if r["source"] == f"w{i}"]
        assert numbers == list(range(count))  # each writer's records, all there, in its order


def test_a_damaged_log_is_set_aside_and_a_new_one_started(tmp_path):
    log = make_log(tmp_path)
    log.record_ask(text="first", lang="en", answer=None, confidence=None, closest=[], now=NOW)
    with log.paths.questions.open("ab") as handle:
        handle.write(b"\x00\x01 not a record\n")
    log.record_ask(text="after the damage", lang="en", answer=None, confidence=None, closest=[], now=NOW)
    contents = log.read(NOW)
    assert [a.text for a in contents.asked] == ["first", "after the damage"]  # what was readable, this once
    (problem,) = contents.problems
    moved = log.paths.questions.with_name(log.paths.questions.name + ".corrupt-20261120T093000Z")
    assert moved.is_file() and not log.paths.questions.exists()
    assert problem.path == str(log.paths.questions) and problem.line == 3
    assert str(moved) in problem.message and str(moved) in problem.message_in("ja")
    log.record_ask(text="fresh", lang="en", answer=None, confidence=None, closest=[], now=NOW)
    assert [r["kind"] for r in lines_of(log.paths.questions)] == ["log", "ask"]
    assert log.read(NOW).problems == []


@pytest.mark.parametrize("line", [
    b'{"kind": "ask", "id": "x"}',  # a record without its fields
    b'{"kind": "ask", "id": "x", "time": "yesterday", "text": "q", "lang": "en", "answer": null,'
    b' "confidence": null, "closest": []}',
    b'{"kind": "open", "ask": "x", "time": "2026-11-20T09:30:00Z", "entry": "e", "rank": true}',
    b"[1, 2, 3]",
    b'{"kind": "ask", ',
])
def test_a_malformed_record_counts_as_damage(tmp_path, line):
    log = make_log(tmp_path)
    log.record_ask(text="ok", lang="en", answer=None, confidence=None, closest=[], now=NOW)
    with log.paths.questions.open("ab") as handle:
        handle.write(line + b"\n")
    contents = log.read(NOW)
    assert len(contents.problems) == 1 and not log.paths.questions.exists()


def test_a_record_being_written_is_not_damage(tmp_path):
    log = make_log(tmp_path)
    log.record_ask(text="ok", lang="en", answer=None, confidence=None, closest=[], now=NOW)
    with log.paths.questions.open("ab") as handle:
        handle.write(b'{"kind": "ask", "id": "half')  # no newline yet: another process mid-write
    contents = log.read(NOW)
    assert contents.problems == [] and log.paths.questions.exists() and len(contents.asked) == 1


def test_a_record_from_a_newer_version_is_skipped_not_damage(tmp_path):
    log = make_log(tmp_path)
    log.record_ask(text="ok", lang="en", answer=None, confidence=None, closest=[], now=NOW)
    with log.paths.questions.open("ab") as handle:
        handle.write(b'{"kind": "rating", "stars": 5}\n')
    contents = log.read(NOW)
    assert contents.problems == [] and len(contents.asked) == 1


def test_an_unwritable_log_never_stops_an_answer(tmp_path):
    blocker = tmp_path / "home"
    blocker.write_text("a file where the folder should be")
    log = QuestionLog(log_paths(blocker, tmp_path), tmp_path)
    logger = AskLogger(log, source="cli", clock=lambda: NOW)
    assert logger.asked("q", None, []) is None
    assert isinstance(logger.error, OSError) and not logger.active
    assert logger.asked("again", None, []) is None  # tried once, not on every question


@pytest.mark.parametrize("env, settings, enabled", [
    ({}, None, True),
    ({"FAQ_NO_LOG": "1"}, None, False),
    ({"FAQ_NO_LOG": "yes"}, None, False),
    ({"FAQ_NO_LOG": "0"}, None, True),
    ({}, 'question_log = "off"\n', False),
    ({}, 'question_log = "on"\n', True),
    ({}, 'language = "en"\n', True),
    ({}, 'question_log = "of"\n', False),  # a settings file that cannot be used errs on the private side
    ({}, "question_log = [not toml\n", False),
])
def test_logging_is_on_unless_the_environment_or_the_setting_says_no(tmp_path, env, settings, enabled):
    config = tmp_path / "config.toml"
    if settings is not None:
        config.write_text(settings, encoding="utf-8")
    assert logging_enabled({**env, "FAQ_CONFIG": str(config)}) is enabled


def _written(home: Path) -> list[Path]:
    return sorted(p for p in home.rglob("*")) if home.exists() else []


@pytest.mark.parametrize("how", ["env", "setting"])
def test_with_logging_off_faq_ask_writes_nothing(tmp_path, monkeypatch, capsys, how):
    home = tmp_path / "home"
    monkeypatch.setenv("FAQ_DATA_HOME", str(home))
    if how == "env":
        monkeypatch.setenv("FAQ_NO_LOG", "1")
    else:
        monkeypatch.setenv("FAQ_CONFIG", str(tmp_path / "config.toml"))
        assert main(["config", "set", "question_log", "off"]) == 0
    before = _written(home)
    assert main(["ask", "--json", "CSV は必要ですか"]) == 0
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("Macintosh の値段\nNIC は何枚?\n"))
    assert main(["ask", "--json", "-"]) == 0
    capsys.readouterr()
    assert _written(home) == before


def test_faq_ask_logs_each_question_it_answers(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("FAQ_DATA_HOME", str(home))
    assert main(["ask", "--json", "CSV は必要ですか"]) == 0
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("Macintosh の値段\nIs TCP Chimney supported?\n"))
    assert main(["ask", "--json", "-"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    (path,) = (home / "questions").glob("*.jsonl")
    asked = [r for r in lines_of(path) if r["kind"] == "ask"]
    assert [(r["text"], r["lang"], r["answer"]) for r in asked] == [
        ("CSV は必要ですか", "ja", "csv-required"), ("Macintosh の値段", "ja", None),
        ("Is TCP Chimney supported?", "en", "tcp-chimney")]
    assert asked[0]["confidence"] > 0.45 and asked[1]["confidence"] is None
    assert asked[0]["closest"][0][0] == "csv-required"


def test_an_unwritable_log_is_one_warning_naming_it_and_the_answer_still_comes(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    home.write_text("a file where the data folder should be")
    monkeypatch.setenv("FAQ_DATA_HOME", str(home))
    for lang, word in (("en", "warning: cannot write the question log"), ("ja", "質問ログに書き込めません")):
        code = main(["ask", "--json", "--lang", lang, "CSV は必要ですか"])
        out, err = capsys.readouterr()
        assert code == 0 and json.loads(out)["answers"][0]["id"] == "csv-required"
        assert err.count("\n") == 1 and word in err and str(home / "questions") in err
