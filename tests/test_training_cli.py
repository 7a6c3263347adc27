"""`faq quiz` and `faq progress` end to end: answers piped in, progress written and reported."""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kb.training.item import TrainingItem
from kb.training.items import collect_items
from kb.training.session import build_queue
from kb.training.store import open_store
from tui.cli import training as cmd_training
from tui.cli.parser import main

sys.path.insert(0, str(Path(__file__).parent / "data" / "training"))
import training_fixture_kb as fx  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIR = Path(__file__).parent / "data" / "training"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FAQ_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(cmd_training, "load_content", lambda args: fx.knowledge_base())
    return tmp_path


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _quiz(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], answers: str,
          *args: str, stdin: io.StringIO | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", stdin or io.StringIO(answers))
    code = main(["quiz", "--lang", "en", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _stored(home: Path, profile: str = "kim") -> list[tuple[str, int, bool, str]]:
    with open_store(home / "progress.sqlite3", _now()) as store:
        return [(r.card_id, r.rating, r.correct, r.answer) for r in store.load_reviews(profile)]


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _asked(tag: str | None = None) -> list[TrainingItem]:
    """The items `faq quiz` asks a new profile, in the session's own order (not a fixed list)."""
    entries = fx.entries()
    return build_queue(collect_items(entries), {}, _now(), entries=entries, tag=tag)


def _typed(items: list[TrainingItem], *right: bool) -> list[str]:
    return [fx.answer(item, ok) for item, ok in zip(items, right, strict=True)]


def test_a_scripted_session_is_saved_and_progress_json_shows_it(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    asked = _asked()
    typed = _typed(asked, *(i.card_id != "alpha/a2" for i in asked))  # all right but alpha/a2
    code, out, _ = _quiz(monkeypatch, capsys, "".join(f"{t}\n" for t in typed), "--profile", "kim")
    assert code == 0
    assert out.count("✓ Correct") == 3 and out.count("✗ Incorrect. The answer: true") == 1
    assert "  2. two" in out and "→ faq show alpha" in out and "→ faq show beta" in out
    assert "Answered 4, correct 3" in out
    assert (home / "progress.sqlite3").exists()
    assert _stored(home) == [(i.card_id, 1 if i.card_id == "alpha/a2" else 3, i.card_id != "alpha/a2", t)
                             for i, t in zip(asked, typed, strict=True)]
    assert main(["progress", "--profile", "kim", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["profile"], data["answers"], data["streak_days"], data["new"]) == ("kim", 4, 1, 0)
    assert data["overall"]["seen"] == 4 and data["overall"]["mastery"] > 0.9
    assert [m["card_id"] for m in data["most_missed"]] == ["alpha/a2"]
    assert {t["key"] for t in data["by_tag"]} == {"planning", "network"}


def test_end_of_input_ends_the_session_cleanly_keeping_what_was_answered(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _quiz(monkeypatch, capsys, "2\n", "--profile", "kim")
    assert (code, err) == (0, "")
    assert "Answered 1, correct 1" in out and "3 items left for next time" in out
    assert _stored(home) == [("alpha/a1", 3, True, "2")]


def test_unreadable_answers_are_asked_again_and_q_stops(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _quiz(monkeypatch, capsys, "7\n\nthree\n1\nq\n2\n", "--profile", "kim")
    assert code == 0
    assert out.count("Could not read that") == 2
    assert _stored(home) == [("alpha/a1", 1, False, "1")]
    assert "→ faq show alpha" in out.split("Entries to read again:")[1]


def test_japanese_messages(home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Only alpha is tagged planning, so its two items come in its own order: a1, then a2 (true).
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\n×\n"))
    assert main(["quiz", "--lang", "ja", "--profile", "kim", "--count", "2", "--tag", "planning"]) == 0
    out = capsys.readouterr().out
    assert "✓ 正解" in out and "✗ 不正解。正解: 正しい (○)" in out and "Question alpha/a1? (ja)" in out


def test_at_a_terminal_the_trainee_may_override_the_rating(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _quiz(monkeypatch, capsys, "", "--profile", "kim", "--count", "2",
                         stdin=_Tty("{}\n1\n{}\n\n".format(*_typed(_asked()[:2], True, True))))
    assert code == 0 and "Change the rating?" in out
    with open_store(home / "progress.sqlite3", _now()) as store:
        reviews = store.load_reviews("kim")
    assert [(r.rating, r.overridden) for r in reviews] == [(1, True), (reviews[1].rating, False)]
    assert reviews[0].duration_ms is not None  # timed, since a person typed it


def test_piped_answers_never_ask_for_a_rating(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = _quiz(monkeypatch, capsys, "{}\n{}\n".format(*_typed(_asked()[:2], True, True)),
                          "--profile", "kim")
    assert "Change the rating?" not in out
    with open_store(home / "progress.sqlite3", _now()) as store:
        assert [r.duration_ms for r in store.load_reviews("kim")] == [None, None]


def test_tag_and_count_and_nothing_due(home: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = _quiz(monkeypatch, capsys, "16\nno\n", "--profile", "kim", "--tag", "network")
    assert "2 items" in out and "Question beta/b1?" in out and "alpha" not in out
    code, out, _ = _quiz(monkeypatch, capsys, "", "--profile", "kim", "--tag", "network")
    assert code == 0 and "Nothing is due now." in out and "Next review:" in out


def test_placement_covers_every_entry(home: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = _quiz(monkeypatch, capsys, "", "--profile", "kim", "--placement")
    assert "Placement" in out and "[1/2]" in out and "Question alpha/" in out


@pytest.mark.parametrize("args,message", [
    (["--profile", "../x"], "profile"), (["--tag", "nope"], "nope"),
])
def test_bad_values_exit_2_with_one_line(home: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, _out, err = _quiz(monkeypatch, capsys, "", *args)
    assert code == 2 and message in err and err.count("\n") == 1


def test_a_corrupt_progress_file_is_reported_with_where_it_went(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "progress.sqlite3").write_text("not a database" * 10)
    code, _out, err = _quiz(monkeypatch, capsys, "", "--profile", "kim")
    assert code == 2 and "moved to" in err and ".corrupt-" in err
    assert len(list(home.glob("progress.sqlite3.corrupt-*"))) == 1


def test_default_profile_comes_from_the_user_name(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "Taro Yamada")  # imported by paths when used
    _quiz(monkeypatch, capsys, "2\n")
    assert _stored(home, "Taro-Yamada") == [("alpha/a1", 3, True, "2")]


def test_progress_all_csv_has_a_row_per_profile(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _quiz(monkeypatch, capsys, "{}\n{}\n".format(*_typed(_asked()[:2], True, True)), "--profile", "kim")
    _quiz(monkeypatch, capsys, "1\n", "--profile", "lee")  # alpha/a1 first, wrong
    assert main(["progress", "--all", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["profile"], r["answers"], r["seen"], r["items"]) for r in rows] == [
        ("kim", "2", "2", "4"), ("lee", "1", "1", "4")]
    assert main(["progress", "--lang", "en", "--profile", "lee"]) == 0
    out = capsys.readouterr().out
    assert "Profile: lee" in out and "Planning" in out and "missed 1 of 1" in out


def test_a_session_killed_mid_way_keeps_every_committed_answer(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        f"sys.path[:0] = [{str(ROOT)!r}, {str(FIXTURE_DIR)!r}]\n"
        "import training_fixture_kb as fx\n"
        "from tui.cli import training as cmd_training, parser as cli\n"
        "cmd_training.load_content = lambda args: fx.knowledge_base()\n"
        "sys.exit(cli.main(['quiz', '--profile', 'kim', '--lang', 'en']))\n"
    )
    env = {**os.environ, "FAQ_DATA_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()

    def wait_for(text: str) -> None:
        while True:
            line = lines.get(timeout=30)
            if text in line:
                return

    assert proc.stdin is not None
    asked = _asked()
    typed = _typed(asked[:2], True, False)
    try:
        for answer, item in zip(typed, asked, strict=False):
            proc.stdin.write(answer + "\n")
            proc.stdin.flush()
            wait_for(f"→ faq show {item.entry}")
        wait_for(f"Question {asked[2].card_id}?")  # asked, waiting for the third answer
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        proc.kill()
        proc.wait(timeout=10)
        reader.join(timeout=10)
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe:
                pipe.close()
    assert _stored(tmp_path) == [(asked[0].card_id, 3, True, typed[0]), (asked[1].card_id, 1, False, typed[1])]


def test_the_real_content_trains(real_kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Integration: every shipped quiz item passes lint, can be answered right, and links resolve."""
    import random

    from kb.training.generate import validate_generated_links
    from kb.training.items import collect_items, validate_quiz
    from kb.training.session import start_session

    problems = [str(p) for e in real_kb.entries.values() for p in validate_quiz(e)]
    assert problems == []
    assert validate_generated_links(real_kb.entries) == []
    items = collect_items(real_kb.entries, random.Random(1))
    assert len(items) == sum(len(e.quiz) for e in real_kb.entries.values()) + 4
    for item in items:
        right = {"choice": str(item.answer), "truefalse": "true" if item.answer else "false"}
        assert item.is_correct(right.get(item.kind, str(item.answer))), item.card_id
    with open_store(tmp_path / "p.sqlite3", _now()) as store:
        session = start_session(store, "kim", real_kb.entries, _now(), random.Random(1), placement=True)
        assert [i.entry for i in session.queue] == [e.id for e in real_kb.entries.values() if e.quiz]


def test_a_count_below_one_is_refused(home: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _quiz(monkeypatch, capsys, "", "--count", "0")
    assert code == 2 and "count" in err
