"""The `faq` command line: contracts for scripts, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli.parser import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def faq(*argv, stdin=None, env=None, cwd=None):
    """Run `faq` in a fresh process, as a user or script would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "tui.cli", *argv], input=stdin, capture_output=True,
                          text=True, env=full_env, cwd=cwd or ROOT, timeout=120)


def test_ask_json_contract(capsys):
    code, out, _ = run(capsys, "ask", "--json", "4 ノードのクラスターでは同時にいくつのライブ マイグレーションを実行できますか")
    data = json.loads(out)
    assert code == 0
    assert data["query"].startswith("4 ノード")
    assert data["answers"][0]["id"] == "concurrent-migrations"
    for answer in data["answers"]:
        assert set(answer) == {"id", "question", "score", "confidence", "lang"}
        assert 0 <= answer["confidence"] <= 1
    [check] = [c for c in data["checks"] if c["check"] == "max-concurrent-migrations"]
    assert check["value"] == 2 and check["inputs"]["nodes"] == 4 and check["ok"] is True


def test_ask_off_topic_exits_1_with_empty_answers(capsys):
    code, out, _ = run(capsys, "ask", "--json", "Macintoshコンピュータでは、どのくらいのコストか")
    assert code == 1
    assert json.loads(out) == {"query": "Macintoshコンピュータでは、どのくらいのコストか", "answers": [], "checks": []}


def test_ask_text_shows_entry_confidence_and_related(capsys):
    code, out, _ = run(capsys, "ask", "--lang", "en", "Do I need CSV for live migration?")
    assert code == 0
    assert "Cluster Shared Volumes" in out
    assert "confidence" in out and "Related" in out


def test_ask_top_limits_answers(capsys):
    # A question with several confident answers: --top 1 keeps exactly the best of them.
    code, out, _ = run(capsys, "ask", "--json", "ライブ マイグレーション")
    every = json.loads(out)["answers"]
    assert code == 0 and len(every) >= 2
    code, out, _ = run(capsys, "ask", "--json", "--top", "1", "ライブ マイグレーション")
    assert code == 0 and json.loads(out)["answers"] == every[:1]


def test_ask_stdin_lines_in_order():
    questions = ["ライブ マイグレーションとは何ですか", "What is the price of a Macintosh?", "Is TCP Chimney supported?"]
    proc = faq("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["query"] for x in lines] == questions
    assert lines[0]["answers"][0]["id"] == "what-is-live-migration"
    assert lines[1]["answers"] == []
    assert lines[2]["answers"][0]["id"] == "tcp-chimney"


def test_usage_error_exits_2():
    proc = faq("ask", "--top", "zero", "x")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_unknown_entry_is_one_line_error(capsys):
    code, out, err = run(capsys, "show", "no-such-entry")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no-such-entry" in err


def test_bad_data_dir_is_one_line_error_and_debug_shows_traceback(tmp_path):
    proc = faq("ask", "--data", str(tmp_path / "missing"), "x")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "missing" in proc.stderr
    debug = faq("ask", "--debug", "--data", str(tmp_path / "missing"), "x")
    assert "Traceback" in debug.stderr


def test_lint_ok_on_shipped_content(capsys):
    code, out, _ = run(capsys, "lint")
    assert code == 0 and "13" in out


def test_lint_lists_every_problem_and_exits_1(capsys, data_copy):
    for name, old, new in [("csv-required.md", 'tags = ["', 'tags = ["bogus", "'),
                           ("tcp-chimney.md", 'related = ["', 'related = ["nowhere", "')]:
        path = data_copy / "entries" / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    code, _out, err = run(capsys, "lint", "--data", str(data_copy))
    assert code == 1
    assert "csv-required.md:" in err and "bogus" in err
    assert "tcp-chimney.md:" in err and "nowhere" in err
    code, out, _ = run(capsys, "lint", "--json", "--data", str(data_copy))
    assert code == 1 and len(json.loads(out)["problems"]) == 2


def test_broken_entry_still_answers_with_a_warning(capsys, data_copy):
    path = data_copy / "entries" / "csv-required.md"
    path.write_text("+++\nthis is not toml\n", encoding="utf-8")
    code, out, err = run(capsys, "ask", "--json", "--data", str(data_copy), "TCP Chimney はサポートされますか")
    assert code == 0 and json.loads(out)["answers"][0]["id"] == "tcp-chimney"
    assert "警告" in err and "csv-required.md" in err  # FAQ_LANG=ja (conftest)


def test_list_tags_glossary_show_json(capsys):
    _, out, _ = run(capsys, "list", "--json")
    assert len(json.loads(out)) == 13
    _, out, _ = run(capsys, "tags", "--json")
    tags = json.loads(out)
    assert tags and all(t["entries"] >= 1 for t in tags)
    code, out, _ = run(capsys, "list", "--json", "--tag", tags[0]["id"])
    assert code == 0 and len(json.loads(out)) == tags[0]["entries"]
    _, out, _ = run(capsys, "glossary", "--json", "ライブ移行")
    assert [t["id"] for t in json.loads(out)] == ["live-migration"]
    _, out, _ = run(capsys, "show", "--json", "tcp-chimney")
    assert json.loads(out)["id"] == "tcp-chimney"


def test_unknown_tag_is_an_error(capsys):
    code, _, err = run(capsys, "list", "--tag", "nope")
    assert code == 2 and "nope" in err


def test_search_json_has_highlights(capsys):
    code, out, _ = run(capsys, "search", "--json", "VSS")
    data = json.loads(out)
    assert code == 0 and data["hits"][0]["id"] == "backup-during-migration"
    hit = data["hits"][0]
    assert any(hit["snippet"][s:e].upper() == "VSS" for s, e in hit["highlights"])


def test_index_reports_what_it_did(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("FAQ_CACHE_DIR", str(tmp_path))
    _, out, _ = run(capsys, "index", "--json")
    first = json.loads(out)
    _, out, _ = run(capsys, "index", "--json")
    second = json.loads(out)
    assert first["built"] and not second["built"] and first["entries"] == 13
    _, out, _ = run(capsys, "index", "--rebuild", "--json")
    rebuilt = json.loads(out)
    assert rebuilt["built"]
    # Published with its synonyms and calibration in it, as `faq ask` would have made it: a
    # reader never calibrates again, nor races the files being written beside it.
    from kb.index.update import MADE_FROM_INDEX

    listed = json.loads((Path(rebuilt["path"]) / "READY").read_text(encoding="utf-8"))["files"]
    assert set(MADE_FROM_INDEX) <= set(listed)


def test_eval_prints_metrics_and_misses(capsys, tmp_path):
    cases = tmp_path / "e.jsonl"
    cases.write_text('{"q": "CSV は必要ですか", "expect": ["csv-required"]}\n'
                     '{"q": "CSV は必要ですか", "expect": ["tcp-chimney"]}\n'
                     '{"q": "Macintosh の値段", "expect": []}\n', encoding="utf-8")
    code, out, _ = run(capsys, "eval", "--json", str(cases))
    data = json.loads(out)
    assert code == 0
    assert data["top1_accuracy"] == 0.5 and data["off_topic_rejection"] == 1.0
    assert [m["line"] for m in data["misses"]] == [2]


def test_eval_bad_line_names_the_line(capsys, tmp_path):
    cases = tmp_path / "e.jsonl"
    cases.write_text('{"q": "x", "expect": []}\nnot json\n', encoding="utf-8")
    code, _, err = run(capsys, "eval", str(cases))
    assert code == 2 and "e.jsonl:2" in err


def test_escape_sequences_in_content_are_not_printed(capsys, data_copy):
    path = data_copy / "entries" / "tcp-chimney.md"
    text = path.read_text(encoding="utf-8").replace("<!-- en -->", "<!-- en -->\nEvil \x1b]0;pwned\x07 text\n", 1)
    path.write_text(text, encoding="utf-8")
    _, out, _ = run(capsys, "show", "--lang", "en", "--data", str(data_copy), "tcp-chimney")
    assert "\x1b" not in out and "\x07" not in out and "^[" in out


@pytest.mark.parametrize("lang, word", [("ja", "関連項目"), ("en", "Related")])
def test_language_follows_flag(capsys, lang, word):
    _, out, _ = run(capsys, "show", "--lang", lang, "requirements")
    assert word in out


def test_language_follows_locale(monkeypatch):
    from tui.cli.parser import default_lang

    monkeypatch.delenv("FAQ_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert default_lang() == "en"
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert default_lang() == "ja"


def test_common_options_work_before_the_subcommand(capsys):
    code, out, _ = run(capsys, "--json", "--lang", "en", "ask", "Is TCP Chimney supported?")
    data = json.loads(out)
    assert code == 0 and data["answers"][0]["id"] == "tcp-chimney"
    assert data["answers"][0]["question"].isascii()


def test_lint_checks_quiz_items(capsys, data_copy):
    path = data_copy / "entries" / "tcp-chimney.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("answer = ", "answer = 9 #", 1), encoding="utf-8")
    code, _out, err = run(capsys, "lint", "--data", str(data_copy))
    assert code == 1
    [line] = [x for x in err.splitlines() if "tcp-chimney.md" in x]
    number = next(i for i, t in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if t == "[[quiz]]")
    assert f"tcp-chimney.md:{number}:" in line and "answer" in line


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_data_folder_that_is_missing_or_a_file_is_named_in_one_message(capsys, tmp_path, lang) -> None:
    """`--data` naming nothing, or a file, fails with exit 2 and one line that says which,
    not a warning to run lint followed by the same problem again."""
    a_file = tmp_path / "faq.md"
    a_file.write_text("# FAQ\n", encoding="utf-8")
    said = {"ja": ("フォルダーがありません", "フォルダーではありません"),
            "en": ("no such folder", "not a folder")}[lang]
    for path, words in ((tmp_path / "missing", said[0]), (a_file, said[1])):
        code, out, err = run(capsys, "--data", str(path), "--lang", lang, "ask", "--json", "anything")
        assert code == 2 and out == ""
        lines = err.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and words in lines[0], err
    assert a_file.read_text(encoding="utf-8") == "# FAQ\n"
