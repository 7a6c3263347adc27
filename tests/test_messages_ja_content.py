"""Every content problem can be shown in Japanese, at the same place as in English."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import kb.content.load
from kb.content.lint import lint_kb
from kb.content.load import load_kb
from kb.errors import ContentError, KbError
from kb.index.store import open_index
from kb.retrieval.evaluate import read_cases
from kb.training.items import from_quiz, validate_links
from tests.conftest import FIXTURE_KB, REAL_DATA

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# Each case breaks a fresh copy of the content and returns the problems found, and a piece
# of the English message that must be among them (so no case passes by finding nothing).
Case = Callable[[Path, pytest.MonkeyPatch], tuple[list[KbError], str]]


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _lint(data: Path) -> list[KbError]:
    return list(lint_kb(load_kb(data)))


def _unclosed_front_matter(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    _break(data / "entries" / "csv-required.md", "\n+++\n", "\n")  # the closing fence
    return _lint(data), "front matter is not closed"


def _no_front_matter(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    _break(data / "entries" / "csv-required.md", "+++\n", "")  # the opening fence
    return _lint(data), "must start with a +++ line"


def _invalid_toml(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    _break(data / "entries" / "csv-required.md", 'tags = ["', "tags = [")
    return _lint(data), "front matter is not valid TOML"


def _invalid_tags_file(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    (data / "tags.toml").write_text("[planning\nja = 1\n", encoding="utf-8")
    return _lint(data), "not valid TOML"


def _duplicate_id(data: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    # The id must match the file name, so two files can only share an id if the loader is
    # told so: parse the copy as if it were the original file.
    src = data / "entries" / "tcp-chimney.md"
    copy = data / "entries" / "tcp-chimney-copy.md"
    copy.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    real_parse = kb.content.load.parse_entry

    def parse(text: str, path: str, *args: set[str]):  # type: ignore[no-untyped-def]
        if path == str(copy):
            entry, problems = real_parse(text, str(src), *args)
            return (dataclasses.replace(entry, path=path) if entry else None), problems
        return real_parse(text, path, *args)

    monkeypatch.setattr(kb.content.load, "parse_entry", parse)
    return _lint(data), "duplicate id 'tcp-chimney'"


def _unknown_related(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    _break(data / "entries" / "csv-required.md", 'related = ["', 'related = ["no-such-entry", "')
    return _lint(data), "unknown related id 'no-such-entry'"


def _missing_body(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    path = data / "entries" / "tcp-chimney.md"
    head, _sep, _rest = path.read_text(encoding="utf-8").partition("<!-- en -->")
    path.write_text(head + "<!-- en -->\n\n", encoding="utf-8")
    return _lint(data), "answer in en is empty"


def _missing_language_table(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    _break(data / "entries" / "csv-required.md", "[en]\nquestion", "[english]\nquestion")
    # A body section without its table: one language is enough, but not half of one.
    return _lint(data), "answer in en has no [en] table"


def _unknown_tag(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    _break(data / "entries" / "csv-required.md", 'tags = ["', 'tags = ["no-such-tag", "')
    return _lint(data), "unknown tag 'no-such-tag'"


def _unknown_check(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    _break(data / "entries" / "csv-required.md", "checks = [", 'checks = ["no-such-check", ')
    return _lint(data), "unknown check id 'no-such-check'"


def _bad_quiz_answer_type(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    _break(data / "entries" / "requirements.md", "answer = 16", 'answer = "sixteen"')
    return _lint(data), "quiz answer is missing or not a number"


def _bad_quiz_choice(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    _break(data / "entries" / "backup-during-migration.md", 'kind = "choice"\nanswer = 1',
           'kind = "choice"\nanswer = 9')
    return _lint(data), "answer 9 is not a choice"


def _quiz_link_missing(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    # Without concurrent-migrations, the generated items and an authored one lose their entry.
    (data / "entries" / "concurrent-migrations.md").unlink()
    kb_ = load_kb(data)
    orphan = from_quiz(dataclasses.replace(next(iter(kb_.entries.values())).quiz[0], entry="gone"))
    return [*lint_kb(kb_), *validate_links([orphan], kb_.entries)], "which does not exist"


def _not_utf8(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    (data / "entries" / "bad-utf8.md").write_bytes(b'+++\nid = "bad-utf8"\n\xff\xfe\n+++\n')
    return _lint(data), "not UTF-8 text"


def _no_entries_folder(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    shutil.rmtree(data / "entries")
    return _lint(data), "no entries/ folder"


def _eval_error(data: Path, text: str) -> list[KbError]:
    path = data / "eval.jsonl"
    path.write_text('{"q": "ok", "expect": []}\n' + text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_cases(path)
    return [caught.value]


def _eval_not_json(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    return _eval_error(data, "{not json\n"), "not JSON"


def _eval_wrong_shape(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    return _eval_error(data, '{"question": "x"}\n'), "each line needs"


def _eval_unreadable(data: Path, _mp: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    (data / "eval.jsonl").write_bytes(b"\xff\xfe\n")
    with pytest.raises(ContentError) as caught:
        read_cases(data / "eval.jsonl")
    return [caught.value], "not UTF-8 text"


CASES: dict[str, Case] = {
    "unclosed front matter": _unclosed_front_matter,
    "no front matter": _no_front_matter,
    "invalid TOML": _invalid_toml,
    "invalid tags.toml": _invalid_tags_file,
    "duplicate id": _duplicate_id,
    "unknown related id": _unknown_related,
    "missing language body": _missing_body,
    "missing language table": _missing_language_table,
    "unknown tag": _unknown_tag,
    "unknown check id": _unknown_check,
    "bad quiz answer type": _bad_quiz_answer_type,
    "bad quiz choice": _bad_quiz_choice,
    "quiz link to a missing entry": _quiz_link_missing,
    "not UTF-8": _not_utf8,
    "no entries folder": _no_entries_folder,
    "eval line not JSON": _eval_not_json,
    "eval line wrong shape": _eval_wrong_shape,
    "eval file unreadable": _eval_unreadable,
}


def _run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[KbError], str]:
    data = tmp_path / re.sub(r"\W+", "-", name)
    shutil.copytree(REAL_DATA, data)
    problems, english = CASES[name](data, monkeypatch)
    assert any(english in p.message for p in problems), (name, [str(p) for p in problems])
    return problems, english


@pytest.mark.parametrize("name", list(CASES))
def test_problem_reads_in_japanese_at_the_same_place(name: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    problems, english = _run(name, tmp_path, monkeypatch)
    [problem, *_] = [p for p in problems if english in p.message]
    ja, en = problem.render("ja"), str(problem)
    assert JAPANESE.search(problem.message_in("ja")), ja
    assert not JAPANESE.search(problem.message), en  # the English stays English
    assert problem.render("en") == en
    assert ja != en
    where = problem.location()
    assert where, en
    assert ja.startswith(where + ": ") and en.startswith(where + ": ")
    if problem.path:
        assert problem.path in ja
    if problem.line is not None:
        assert f"{problem.path}:{problem.line}" in ja


def test_no_problem_is_english_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    for name in CASES:
        with monkeypatch.context() as mp:
            problems, _english = _run(name, tmp_path, mp)
        for problem in problems:
            seen.append(str(problem))
            assert problem.message_ja, f"{name}: no Japanese for {problem}"
            assert JAPANESE.search(problem.message_ja), f"{name}: {problem.message_ja}"
    assert len(seen) >= len(CASES)


def test_embedded_library_text_is_kept_as_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problems, english = _run("invalid TOML", tmp_path, monkeypatch)
    [problem] = [p for p in problems if english in p.message]
    detail = problem.message.split(": ", 1)[1]  # tomllib's own words
    assert problem.message_ja is not None and problem.message_ja.endswith(": " + detail)


def test_index_warning_in_both_languages(tmp_path: Path) -> None:
    content = load_kb(FIXTURE_KB, known_checks=set())
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    _ix, info = open_index(content, blocked / "cache")
    assert info.warning and info.warning_ja
    assert info.warning_in("en") == info.warning and "in-memory" in info.warning
    assert info.warning_in("ja") == info.warning_ja and JAPANESE.search(info.warning_ja)
    assert str(blocked / "cache") in info.warning_ja
    _ix, fine = open_index(content, tmp_path / "cache")
    assert fine.warning is None and fine.warning_in("ja") is None
