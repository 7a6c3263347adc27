"""Loading and linting: the shipped content is clean, and every kind of problem is named."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import kb.content.load
from kb.content.load import load_kb, resolve_data_dir
from tests.conftest import REAL_DATA

EXPECTED_IDS = {
    "what-is-live-migration", "requirements", "how-to-start", "network-adapters", "csv-required",
    "migration-duration", "processor-compatibility", "tcp-chimney", "concurrent-migrations",
    "backup-during-migration", "config-refresh", "virtual-switch-names", "csv-drive-letter",
}


def test_shipped_content_loads_clean(real_kb):
    assert [str(p) for p in real_kb.problems] == []
    assert set(real_kb.entries) == EXPECTED_IDS


def test_every_entry_is_complete_in_both_languages(real_kb):
    for entry in real_kb.entries.values():
        for lang in ("ja", "en"):
            loc = entry.text[lang]
            assert loc.question and loc.answer, (entry.id, lang)
            assert len(loc.alternates) >= 3, (entry.id, lang)
        assert "Windows Server 2008 R2" in entry.applies_to
        assert entry.tags and entry.related
        assert len(entry.quiz) >= 2, entry.id


def test_source_junk_is_not_in_the_knowledge_base(real_kb):
    # The content folder found from this file, not the current one: from another folder a
    # relative "faq_data" matched no file and the test passed with junk in an entry.
    junk = re.compile(r"PSP|PDF|Macintosh|Dllhost|スプラッティング|Scripting Guy|popular posts|コメントを投稿", re.I)
    paths = [p for p in REAL_DATA.rglob("*") if p.is_file() and p.suffix in (".md", ".toml")]
    assert {Path(e.path) for e in real_kb.entries.values()} <= set(paths)  # every entry is read
    assert REAL_DATA / "glossary.toml" in paths and REAL_DATA / "tags.toml" in paths
    for path in paths:
        assert not junk.search(path.read_text(encoding="utf-8")), path


def test_how_to_start_is_complete(real_kb):
    entry = real_kb.entries["how-to-start"]
    for lang in ("ja", "en"):
        answer = entry.text[lang].answer
        assert "Move-ClusterVirtualMachineRole" in answer
        assert "Virtual Machine Manager" in answer or "VMM" in answer
    assert "フェールオーバー クラスター マネージャー" in entry.text["ja"].answer


def test_checks_are_linked_to_their_entries(real_kb):
    assert "max-concurrent-migrations" in real_kb.entries["concurrent-migrations"].checks
    assert "migration-time" in real_kb.entries["migration-duration"].checks


def test_glossary_covers_the_domain_terms(real_kb):
    spellings = {s for term in real_kb.glossary.values() for s in term.synonyms}
    for needed in ["ライブ マイグレーション", "ライブマイグレーション", "ライブ移行", "live migration", "CSV",
                   "クラスターの共有ボリューム", "Cluster Shared Volumes", "NIC", "仮想スイッチ", "SAN", "iSCSI",
                   "VSS", "VMM"]:
        assert needed in spellings, needed


def test_fixture_kb_reports_the_malformed_entry_and_keeps_the_rest(small_kb):
    kb = load_kb(small_kb, known_checks=set())
    assert set(kb.entries) == {"alpha", "beta"}
    [problem] = kb.problems
    assert problem.path.endswith("broken.md")
    assert problem.line == 4  # the unterminated array's next line, counted in the file


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line)


@pytest.mark.parametrize(
    "name, old, new, needle, message",
    [
        ("malformed front matter", 'tags = ["', 'tags = [', "tags = [", "not valid TOML"),
        ("unknown related id", 'related = ["', 'related = ["no-such-entry", "', "no-such-entry", "unknown related id"),
        ("unknown tag", 'tags = ["', 'tags = ["no-such-tag", "', "no-such-tag", "unknown tag"),
        ("unknown check id", "checks = [", 'checks = ["no-such-check", ', "no-such-check", "unknown check id"),
        ("missing language", "[en]\nquestion", "[english]\nquestion", "[english]", "unknown key 'english'"),
        ("empty question", "[ja]\nquestion = \"", "[ja]\nquestion = \"  \" #", 'question = "  "',
         "question is missing or empty"),
        ("unknown key", "applies_to =", "colour = \"red\"\napplies_to =", "colour", "unknown key 'colour'"),
    ],
)
def test_lint_names_file_and_line_for_each_problem(data_copy, name, old, new, needle, message):
    path = data_copy / "entries" / "csv-required.md"
    _break(path, old, new)
    kb = load_kb(data_copy)
    mine = [p for p in kb.problems if p.path == str(path)]
    assert mine, name
    assert any(message in p.message for p in mine), [str(p) for p in mine]
    # The line the break is on (for bad TOML: the line of the value the parser choked on).
    assert any(message in p.message and p.line == _line(path, needle) for p in mine), [str(p) for p in mine]
    # The other entries still load.
    assert len(kb.entries) >= len(EXPECTED_IDS) - 1


def test_empty_answer_is_reported_with_the_body_line(data_copy):
    path = data_copy / "entries" / "tcp-chimney.md"
    text = path.read_text(encoding="utf-8")
    head, _sep, _rest = text.partition("<!-- en -->")
    path.write_text(head + "<!-- en -->\n\n", encoding="utf-8")
    kb = load_kb(data_copy)
    [problem] = [p for p in kb.problems if p.path == str(path)]
    assert "answer in en is empty" in problem.message
    assert problem.line is not None and problem.line > 1


def test_an_id_that_differs_from_the_file_name_is_reported(data_copy):
    src = data_copy / "entries" / "tcp-chimney.md"
    dup = data_copy / "entries" / "tcp-chimney-copy.md"
    dup.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    kb = load_kb(data_copy)
    [problem] = [p for p in kb.problems if p.path == str(dup)]
    assert "id 'tcp-chimney' differs from the file name 'tcp-chimney-copy'" in problem.message
    assert (problem.field, problem.line) == ("id", _line(dup, "id = "))
    assert kb.entries["tcp-chimney"].path == str(src)


def test_duplicate_id_is_reported(data_copy, monkeypatch):
    # An id must match its file name, so two files in one folder share an id only when the
    # loader is told so: the copy is parsed as if it were the original file. (A plain copy
    # fails on its file name first and never reaches the duplicate check; see above.)
    src = data_copy / "entries" / "tcp-chimney.md"
    dup = data_copy / "entries" / "tcp-chimney-copy.md"
    dup.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    real_parse = kb.content.load.parse_entry

    def parse(text, path, *args):
        if path == str(dup):
            entry, problems = real_parse(text, str(src), *args)
            return (dataclasses.replace(entry, path=path) if entry else None), problems
        return real_parse(text, path, *args)

    monkeypatch.setattr(kb.content.load, "parse_entry", parse)
    loaded = load_kb(data_copy)
    first, second = sorted([src, dup])  # files are read in name order
    [problem] = loaded.problems
    assert problem.path == str(second)
    assert problem.message == f"duplicate id 'tcp-chimney' (first in {first})"
    assert (problem.field, problem.line) == ("id", _line(second, "id = "))
    # The first file keeps the id; the second is left out.
    assert loaded.entries["tcp-chimney"].path == str(first)
    assert len(loaded.entries) == len(EXPECTED_IDS)


def test_all_problems_are_listed_at_once(data_copy):
    _break(data_copy / "entries" / "csv-required.md", 'tags = ["', 'tags = ["bogus", "')
    _break(data_copy / "entries" / "tcp-chimney.md", 'related = ["', 'related = ["nowhere", "')
    (data_copy / "entries" / "bad-utf8.md").write_bytes(b"+++\nid = \"x\"\n\xff\xfe\n+++\n")
    kb = load_kb(data_copy)
    paths = {Path(p.path).name for p in kb.problems}
    assert {"csv-required.md", "tcp-chimney.md", "bad-utf8.md"} <= paths


def test_crlf_and_bom_files_load(data_copy):
    path = data_copy / "entries" / "tcp-chimney.md"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    kb = load_kb(data_copy)
    assert kb.problems == []
    assert "tcp-chimney" in kb.entries


def test_digest_changes_with_content(data_copy):
    before = load_kb(data_copy).digest
    _break(data_copy / "entries" / "tcp-chimney.md", "<!-- en -->", "<!-- en -->\nExtra line.\n")
    assert load_kb(data_copy).digest != before


def test_resolve_data_dir_order(tmp_path):
    assert resolve_data_dir(tmp_path, {"FAQ_DATA": "/elsewhere"}) == tmp_path
    assert resolve_data_dir(None, {"FAQ_DATA": str(tmp_path)}) == tmp_path
    assert resolve_data_dir(None, {}).name in ("faq_data", "_data")
