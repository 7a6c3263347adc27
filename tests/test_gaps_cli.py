"""`faq gaps`: from questions nobody answered to an entry that answers them, on the command line."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from tui.cli.parser import main

UNANSWERED = ["Macintosh の値段", "price of a Macintosh", "Macintosh はいくら", "Macintosh の値段",
              "VMware から仮想マシンを持ってきたい", "How do I migrate from VMware?"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def content(data_copy, monkeypatch):
    monkeypatch.setenv("FAQ_DATA", str(data_copy))
    return data_copy


def ask_all(capsys, questions):
    for q in questions:
        code, out, _ = run(capsys, "ask", "--json", q)
        assert code == 1 and json.loads(out)["answers"] == [], q


def test_unanswered_questions_become_an_answer_that_changes_only_one_line(capsys, content):
    ask_all(capsys, UNANSWERED)
    code, out, _ = run(capsys, "gaps", "--json")
    assert code == 0
    gaps = json.loads(out)["gaps"]
    assert [(g["count"], g["languages"]) for g in gaps] == [(4, ["ja", "en"]), (2, ["ja", "en"])]
    assert gaps[0]["questions"] == ["Macintosh の値段", "price of a Macintosh", "Macintosh はいくら"]
    vmware = gaps[1]
    assert sorted(vmware["questions"]) == sorted(UNANSWERED[4:])
    assert set(gaps[0]) == {"questions", "count", "closest", "last_seen", "languages", "reasons"}
    target = "what-is-live-migration"
    path = content / "entries" / f"{target}.md"
    before = path.read_bytes()

    code, out, err = run(capsys, "--lang", "en", "gaps", "accept", "VMware から仮想マシンを持ってきたい", "--to", target)
    assert code == 0, err
    assert f"{target}.md:" in out and "ja alternates" in out and "index is updated" in out
    after = path.read_bytes()
    added = '  "VMware から仮想マシンを持ってきたい",\n'.encode()
    at = after.index(added)
    assert after[:at] + after[at + len(added):] == before  # exactly the phrasing's line, nothing else

    code, out, _ = run(capsys, "ask", "--json", "VMware から仮想マシンを持ってきたい")
    assert code == 0 and json.loads(out)["answers"][0]["id"] == target
    code, out, _ = run(capsys, "gaps", "--json")
    remaining = json.loads(out)["gaps"]
    assert "VMware から仮想マシンを持ってきたい" not in [q for g in remaining for q in g["questions"]]
    code, out, _ = run(capsys, "eval", "--json", "--accepted")
    assert code == 0 and json.loads(out)["top1_accuracy"] == 1.0 and json.loads(out)["questions"] == 1
    code, out, _ = run(capsys, "gaps", "export")
    assert [json.loads(line) for line in out.splitlines()] == [
        {"q": "VMware から仮想マシンを持ってきたい", "expect": [target]}]


def test_accept_takes_the_language_from_the_script_or_from_lang(capsys, content):
    path = content / "entries" / "requirements.md"
    code, out, _ = run(capsys, "gaps", "accept", "what must be in place first", "--to", "requirements")
    assert code == 0 and "en の言い換え" in out
    code, out, _ = run(capsys, "gaps", "accept", "CSV", "--to", "requirements", "--lang", "ja")
    assert code == 0 and "ja の言い換え" in out  # --lang after accept: the alternates' and the messages'
    code, out, _ = run(capsys, "gaps", "accept", "ライブ移行の前提", "--to", "requirements", "--lang", "en")
    assert code == 0 and "en alternates" in out
    from kb.content.load import load_kb

    entry = load_kb(content).entries["requirements"]
    assert entry.text["en"].alternates[-2:] == ("what must be in place first", "ライブ移行の前提")
    assert entry.text["ja"].alternates[-1] == "CSV"
    code, out, _ = run(capsys, "gaps", "accept", "CSV", "--to", "requirements", "--lang", "ja")
    assert code == 0 and "変更していません" in out and path.read_bytes().count(b"\"CSV\"") == 1


@pytest.mark.parametrize("argv, en, ja", [
    (["gaps", "accept", "x", "--to", "no-such-entry"], "no entry 'no-such-entry'", "項目 'no-such-entry' はありません"),
    (["gaps", "dismiss", "never asked"], "is not among the gaps", "よい答えのなかった質問の中にありません"),
    (["gaps", "--since", "last tuesday"], "--since takes a date", "--since には日付"),
    (["gaps", "--since", "99999999999d"], "--since takes a date", "--since には日付"),
    (["gaps", "draft", "Macintosh の値段", "--id", "Bad Id"], "lower-case letters", "英小文字"),
])
def test_errors_are_one_line_in_either_language(capsys, content, argv, en, ja):
    ask_all(capsys, UNANSWERED[:1])
    code, _, err = run(capsys, "--lang", "en", *argv)
    assert code == 2 and en in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--lang", "ja", *argv)
    assert code == 2 and ja in err


def test_a_read_only_content_folder_is_refused_naming_the_file(capsys, content, monkeypatch):
    path = content / "entries" / "csv-required.md"
    before = path.read_bytes()
    for target in (path, path.parent):
        target.chmod(stat.S_IMODE(target.stat().st_mode) & ~0o222)
    try:
        code, out, err = run(capsys, "--lang", "en", "gaps", "accept", "CSV なしで動く?", "--to", "csv-required")
        assert code == 2 and out == ""
        assert str(path) in err and "read-only" in err
        code, _, err = run(capsys, "--lang", "ja", "gaps", "accept", "CSV なしで動く?", "--to", "csv-required")
        assert code == 2 and str(path) in err and "読み取り専用" in err
    finally:
        for target in (path.parent, path):
            target.chmod(stat.S_IMODE(target.stat().st_mode) | 0o200)
    assert path.read_bytes() == before


def test_a_write_the_file_system_refuses_is_the_same_clear_error(capsys, content, monkeypatch):
    path = content / "entries" / "csv-required.md"
    before = path.read_bytes()

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = run(capsys, "--lang", "en", "gaps", "accept", "CSV なしで動く?", "--to", "csv-required")
    assert code == 2 and str(path) in err and "Read-only file system" in err
    assert path.read_bytes() == before and not list(path.parent.glob(".*.tmp"))


def test_dismiss_hides_the_whole_group(capsys, content):
    ask_all(capsys, UNANSWERED)
    code, out, _ = run(capsys, "--lang", "en", "gaps", "dismiss", "price of a macintosh")
    assert code == 0 and "Hid 3 questions" in out
    code, out, _ = run(capsys, "gaps", "--json")
    assert [g["count"] for g in json.loads(out)["gaps"]] == [2]


def test_a_new_topic_becomes_a_draft_that_loads_and_only_warns(capsys, content):
    ask_all(capsys, UNANSWERED)
    code, out, err = run(capsys, "--lang", "en", "gaps", "draft", "Macintosh はいくら")
    assert code == 0, err
    path = content / "entries" / "price-macintosh.md"
    assert f"{path}" in out or "price-macintosh.md" in out
    text = path.read_text(encoding="utf-8")
    assert 'flags = ["draft"]' in text and 'question = "Macintosh の値段"' in text
    assert '"Macintosh はいくら",' in text and 'question = "price of a Macintosh"' in text
    assert "flags" in err and "draft" in err  # lint's warning on the new file
    code, out, err = run(capsys, "--lang", "en", "lint", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True
    assert {p["severity"] for p in report["problems"]} == {"warning"}
    assert [p["path"].endswith("price-macintosh.md") for p in report["problems"]] == [True] * len(report["problems"])
    assert "flags" in [p["field"] for p in report["problems"]]
    code, out, _ = run(capsys, "ask", "--json", "Macintosh の値段")
    assert json.loads(out)["answers"][0]["id"] == "price-macintosh"  # the index already knows it
    code, out, _ = run(capsys, "gaps", "--json")
    assert [g["count"] for g in json.loads(out)["gaps"]] == [2]
    code, _, err = run(capsys, "--lang", "en", "gaps", "draft", "How do I migrate from VMware?", "--id",
                       "price-macintosh")
    assert code == 2 and "already exists" in err


def test_text_output_in_both_languages(capsys, content):
    ask_all(capsys, UNANSWERED)
    code, out, _ = run(capsys, "--lang", "ja", "gaps")
    assert code == 0 and "2 まとまり" in out and "4 回" in out and "回答なし" in out and "faq gaps accept" in out
    code, out, _ = run(capsys, "--lang", "en", "gaps", "--min-count", "3")
    assert code == 0 and "1 group," in out and "asked 4 times" in out and "VMware" not in out
    code, out, _ = run(capsys, "--lang", "en", "gaps", "--since", "1h")
    assert code == 0 and "2 groups," in out


def test_no_gaps_says_so_and_exits_one(capsys, content, monkeypatch):
    code, out, _ = run(capsys, "--lang", "en", "gaps")
    assert code == 1 and "No gaps" in out
    monkeypatch.setenv("FAQ_NO_LOG", "1")
    code, out, _ = run(capsys, "--lang", "en", "gaps")
    assert code == 1 and "logging is off" in out


def test_a_damaged_log_is_reported_and_set_aside_never_fatal(capsys, content):
    ask_all(capsys, UNANSWERED[:2])
    home = Path(os.environ["FAQ_DATA_HOME"]) / "questions"
    (log,) = home.glob("*.jsonl")
    with log.open("ab") as handle:
        handle.write(b"garbage\n")
    code, out, err = run(capsys, "--lang", "en", "gaps", "--json")
    assert code == 0 and json.loads(out)["gaps"][0]["count"] == 2
    assert "warning" in err and str(log) in err and ".corrupt-" in err
    assert list(home.glob("*.jsonl.corrupt-*")) and not log.exists()
    ask_all(capsys, UNANSWERED[:1])
    code, out, err = run(capsys, "gaps", "--json")
    assert err == "" and json.loads(out)["gaps"][0]["count"] == 1
