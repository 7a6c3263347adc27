"""`faq import` as a command: the report contract, dry runs, re-imports, existing folders, the app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb.content.lint import lint_kb
from kb.content.load import load_kb, parse_entry
from kb.importing.writing import write_atomic
from tests.import_fixtures import DATA
from tui.cli.parser import main

ROOT = Path(__file__).resolve().parent.parent
SAVED = DATA / "letsencrypt-saved.txt"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_contract(tmp_path, capsys):
    code, out, _ = run(capsys, "import", SAVED, "--out", tmp_path / "kb", "--json")
    report = json.loads(out)
    assert code == 0
    assert {"source", "entries", "dropped"} <= set(report) and report["source"] == "letsencrypt-saved.txt"
    for entry in report["entries"]:
        assert {"id", "question", "lang", "source_line", "flags"} <= set(entry)
    for dropped in report["dropped"]:
        assert {"line", "text", "reason"} <= set(dropped)
    code, out, _ = run(capsys, "import", SAVED, DATA / "sqlite-details.html", "--out", tmp_path / "two", "--json")
    both = json.loads(out)
    assert isinstance(both, list) and [r["source"] for r in both] == ["letsencrypt-saved.txt", "sqlite-details.html"]


def test_readable_report_in_each_language(tmp_path, capsys):
    _, out, _ = run(capsys, "import", SAVED, "--out", tmp_path / "a", "--lang", "en", "--dry-run")
    assert "7 entries" in out and "line 27  [off-topic line (spam)]  Cheap replica watches" in out
    assert "flag truncated:" in out and "Dry run" in out
    _, out, _ = run(capsys, "import", SAVED, "--out", tmp_path / "b", "--lang", "ja", "--dry-run")
    assert "エントリ 7 件" in out and "27 行目  [文書の話題と無関係な行 (スパム)]" in out and "試行" in out


def test_dry_run_writes_nothing(tmp_path, capsys):
    out = tmp_path / "kb"
    code, _, _ = run(capsys, "import", SAVED, "--out", out, "--dry-run")
    assert code == 0 and not out.exists()


def test_the_folder_is_ready_for_faq(tmp_path, capsys):
    out = tmp_path / "kb"
    run(capsys, "import", SAVED, "--out", out)
    assert sorted(p.name for p in out.iterdir()) == ["entries", "glossary.draft.toml", "glossary.toml", "imports.json",
                                                      "kb.toml", "tags.draft.toml", "tags.toml"]
    assert not list(out.rglob(".*.tmp"))  # atomic writes leave no temporary files
    assert [type(p).__name__ for p in lint_kb(load_kb(out))] == ["ContentWarning"]
    code, out_text, _ = run(capsys, "--data", out, "ask", "--json", "Is a wildcard certificate possible?")
    assert code == 0 and json.loads(out_text)["answers"][0]["id"] == "wildcard"


def test_reimport_updates_what_it_made_and_keeps_what_a_person_edited(tmp_path, capsys):
    source = tmp_path / "faq.txt"
    shutil.copy(SAVED, source)
    out = tmp_path / "kb"
    run(capsys, "import", source, "--out", out)
    (out / "kb.toml").write_text('[name]\nen = "Our certificates FAQ"\n', encoding="utf-8")
    edited = out / "entries" / "wildcard.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Yes.", "Yes, checked by Ann."), encoding="utf-8")
    (out / "entries" / "really-free.md").unlink()
    source.write_text(source.read_text(encoding="utf-8").replace("small and depends on automation",
                                                                 "small and relies on automation"),
                      encoding="utf-8")
    code, text, _ = run(capsys, "import", source, "--out", out, "--json")
    statuses = {e["id"]: e["status"] for e in json.loads(text)["entries"]}
    assert code == 0
    assert statuses["kind-support"] == "updated"
    assert "relies on automation" in (out / "entries" / "kind-support.md").read_text(encoding="utf-8")
    assert statuses["wildcard"] == "kept-edited" and "checked by Ann" in edited.read_text(encoding="utf-8")
    assert statuses["really-free"] == "kept-removed" and not (out / "entries" / "really-free.md").exists()
    assert statuses["offer"] == "unchanged"
    assert (out / "kb.toml").read_text(encoding="utf-8") == '[name]\nen = "Our certificates FAQ"\n'
    _, text, _ = run(capsys, "import", source, "--out", out, "--lang", "en")
    assert "kept (edited since)" in text and "kept (removed since)" in text


def test_an_unchanged_reimport_touches_nothing(tmp_path, capsys):
    out = tmp_path / "kb"
    run(capsys, "import", SAVED, "--out", out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    code, text, _ = run(capsys, "import", SAVED, "--out", out, "--lang", "en")
    assert code == 0 and "Nothing changed" in text
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_a_question_dropped_from_the_source_is_kept_and_reported(tmp_path, capsys):
    source = tmp_path / "faq.md"
    source.write_text("## What is A?\n\nA is first.\n\n## What is B?\n\nB is second.\n", encoding="utf-8")
    out = tmp_path / "kb"
    run(capsys, "import", source, "--out", out)
    source.write_text("## What is A?\n\nA is first.\n", encoding="utf-8")
    _, text, _ = run(capsys, "import", source, "--out", out, "--json")
    assert json.loads(text)["gone"] == ["b"] and (out / "entries" / "b.md").exists()


def test_new_ids_never_overwrite_existing_entries(tmp_path, capsys, data_copy):
    mine = data_copy / "entries" / "wildcard.md"
    shutil.copy(data_copy / "entries" / "tcp-chimney.md", mine)
    mine.write_text(mine.read_text(encoding="utf-8").replace('id = "tcp-chimney"', 'id = "wildcard"'),
                    encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (data_copy / "entries").glob("*.md")}
    glossary = (data_copy / "glossary.toml").read_bytes()
    code, text, _ = run(capsys, "import", SAVED, "--out", data_copy, "--json")
    ids = [e["id"] for e in json.loads(text)["entries"]]
    assert code == 0 and "wildcard-2" in ids and "wildcard" not in ids
    for name, data in before.items():
        assert (data_copy / "entries" / name).read_bytes() == data
    assert (data_copy / "glossary.toml").read_bytes() == glossary  # a person's glossary: drafts only
    assert "[imported]" in (data_copy / "tags.toml").read_text(encoding="utf-8")
    problems = lint_kb(load_kb(data_copy))
    assert problems and all(type(p).__name__ == "ContentWarning" for p in problems)
    assert run(capsys, "lint", "--data", data_copy)[0] == 0


def test_importing_into_a_knowledge_base_flags_questions_it_already_has(tmp_path, capsys):
    out = tmp_path / "kb"
    run(capsys, "import", SAVED, "--out", out)
    copy = tmp_path / "again.txt"
    shutil.copy(SAVED, copy)
    _, text, _ = run(capsys, "import", copy, "--out", out, "--json")
    entries = json.loads(text)["entries"]
    assert all("duplicate" in e["flags"] for e in entries)
    assert all(e["id"].endswith("-2") for e in entries)


def test_tui_opens_the_app_on_the_imported_folder(tmp_path, capsys, monkeypatch):
    import tui.app.app

    seen = {}
    monkeypatch.setattr(tui.app.app, "run_app", lambda args: seen.setdefault("data", args.data) and 0)
    out = tmp_path / "kb"
    code, _, _ = run(capsys, "import", SAVED, "--out", out, "--tui")
    assert code == 0 and seen["data"] == out
    seen.clear()
    run(capsys, "import", SAVED, "--out", tmp_path / "dry", "--tui", "--dry-run")
    assert seen == {}


def test_out_must_be_a_folder(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "import", SAVED, "--out", target, "--lang", "en")
    assert code == 2 and "not a folder" in err and target.read_text(encoding="utf-8") == "x"


def test_help_in_both_languages(capsys):
    for lang, words in (("en", "turn FAQ documents"), ("ja", "FAQ 文書")):
        with pytest.raises(SystemExit):
            main(["--lang", lang, "--help"])
        assert words in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["import", "--help", "--lang", "ja"])
    assert "--dry-run" in capsys.readouterr().out


def test_atomic_write_refuses_a_name_taken_meanwhile(tmp_path):
    target = tmp_path / "entries" / "a.md"
    assert write_atomic(target, "one", new=True)
    assert not write_atomic(target, "two", new=True)
    assert target.read_text(encoding="utf-8") == "one"
    assert write_atomic(target, "three") and target.read_text(encoding="utf-8") == "three"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]


# -- the loader and lint for imported entries ---------------------------------------------------

ONE_LANGUAGE = """+++
id = "x"
tags = ["t"]
related = []
applies_to = ["General"]
checks = []
flags = ["truncated"]

[ja]
question = "質問ですか。"
alternates = []
+++

<!-- ja -->
答えです。
"""


def test_an_entry_in_one_language_loads_with_its_flags():
    entry, problems = parse_entry(ONE_LANGUAGE, "x.md", {"t"}, set())
    assert problems == [] and entry is not None
    assert set(entry.text) == {"ja"} and entry.flags == ("truncated",)
    assert entry.question("en") == "質問ですか。"  # the other language falls back


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace('[ja]\nquestion = "質問ですか。"\nalternates = []\n', "").replace("<!-- ja -->\n", ""),
     ["missing a [ja] or [en] table"]),
    (lambda t: t + "\n<!-- en -->\nAnswer.\n", ["answer in en has no [en] table"]),
    (lambda t: t.replace("<!-- ja -->\n答えです。\n", ""), ["answer in ja is empty"]),
])
def test_an_entry_with_no_language_or_half_of_one_is_still_rejected(change, message):
    entry, problems = parse_entry(change(ONE_LANGUAGE), "x.md", {"t"}, set())
    assert entry is None
    assert [p.message.split(" with")[0].split(":")[0] for p in problems] == message


def test_lint_warnings_do_not_fail_but_errors_do(tmp_path, capsys):
    out = tmp_path / "kb"
    run(capsys, "import", SAVED, "--out", out)
    code, text, err = run(capsys, "lint", "--data", out, "--json")
    data = json.loads(text)
    assert code == 0 and data["ok"] and [p["severity"] for p in data["problems"]] == ["warning"]
    (out / "entries" / "offer.md").write_text("broken", encoding="utf-8")
    code, text, _ = run(capsys, "lint", "--data", out, "--json")
    assert code == 1 and sorted(p["severity"] for p in json.loads(text)["problems"]) == ["error", "warning"]


def test_an_unknown_flag_is_a_warning_too(tmp_path):
    out = tmp_path / "kb"
    main(["import", str(SAVED), "--out", str(out)])
    path = out / "entries" / "offer.md"
    path.write_text(path.read_text(encoding="utf-8").replace("checks = []", 'checks = []\nflags = ["odd"]'),
                    encoding="utf-8")
    warnings = [p for p in lint_kb(load_kb(out)) if p.path == str(path)]
    assert [type(w).__name__ for w in warnings] == ["ContentWarning"] and "unknown flag 'odd'" in warnings[0].message
