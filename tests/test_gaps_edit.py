"""Adding a phrasing to an entry file: the new file is the old one plus that phrasing, nothing else."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.content.edit import add_alternate, insert_alternate, toml_string
from kb.content.load import load_kb, split_front_matter
from kb.errors import ContentError
from tests.conftest import REAL_DATA


def front(text: str) -> dict:
    return split_front_matter(text.replace("\r\n", "\n").removeprefix("\ufeff"), "x.md")[0]


@pytest.mark.parametrize("name", sorted(p.name for p in (REAL_DATA / "entries").glob("*.md")))
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_real_entry_gains_exactly_one_line(tmp_path, name, lang):
    path = tmp_path / name
    path.write_bytes((REAL_DATA / "entries" / name).read_bytes())
    phrasing = 'ライブ移行 "できない" \\ ときは?' if lang == "ja" else 'live migration "fails" \\ why?'
    edit = add_alternate(path, lang, phrasing)
    old, new = edit.before.split(b"\n"), path.read_bytes().split(b"\n")
    assert edit.changed and edit.after == path.read_bytes()
    assert len(new) == len(old) + 1
    inserted = new[edit.line - 1]
    assert new[: edit.line - 1] + new[edit.line :] == old  # the rest, byte for byte
    assert inserted == b"  " + toml_string(phrasing).encode() + b","
    meta, old_meta = front(path.read_text(encoding="utf-8")), front(edit.before.decode())
    assert meta[lang]["alternates"] == [*old_meta[lang]["alternates"], phrasing]
    assert {k: v for k, v in meta.items() if k != lang} == {k: v for k, v in old_meta.items() if k != lang}


LAYOUTS = {
    "one line": ('alternates = ["a", "b"]', 'alternates = ["a", "b", "new"]'),
    "one line, trailing comma": ('alternates = ["a",]', 'alternates = ["a", "new",]'),
    "empty": ("alternates = []", 'alternates = ["new"]'),
    "last without comma": ('alternates = [\n    "a",\n    "b"\n]', 'alternates = [\n    "a",\n    "b",\n    "new"\n]'),
    "empty, two lines": ("alternates = [\n]", 'alternates = [\n  "new",\n]'),
    "first on the opening line": ('alternates = ["a",\n]', 'alternates = ["a",\n  "new",\n]'),
    "brackets and comments inside": ('alternates = [\n  "x ] y", # a ], comment\n  \'z ]\',\n]  # end ]',
                                     'alternates = [\n  "x ] y", # a ], comment\n  \'z ]\',\n  "new",\n]  # end ]'),
    "quoted key": ('"alternates" = ["a"]', '"alternates" = ["a", "new"]'),
}


@pytest.mark.parametrize("name", LAYOUTS)
def test_the_arrays_own_layout_is_followed(name):
    before, after = LAYOUTS[name]
    head = '+++\nid = "x"\n[[quiz]]\nid = "q"\n[quiz.ja]\nalternates = ["not this one"]\n[ja]\nquestion = "q"\n'
    tail = '\n\n[en]\nquestion = "e"\nalternates = ["c"]\n+++\n\n<!-- ja -->\nA\n'
    text, _line, changed = insert_alternate(head + before + tail, "ja", "new")
    assert changed and text == head + after + tail


def test_a_missing_alternates_key_is_added_under_the_header():
    text = '+++\n[ja] # 日本語\nquestion = "q"\n[en]\nquestion = "e"\n+++\n'
    new, line, _ = insert_alternate(text, "en", "new")
    assert new == '+++\n[ja] # 日本語\nquestion = "q"\n[en]\nalternates = ["new"]\nquestion = "e"\n+++\n'
    assert line == 5


def test_crlf_line_ends_and_a_byte_order_mark_are_kept(tmp_path):
    path = tmp_path / "x.md"
    original = '\ufeff+++\r\nid = "x"\r\n[ja]\r\nquestion = "q"\r\nalternates = [\r\n  "a",\r\n]\r\n+++\r\n\r\nbody\r\n'
    path.write_bytes(original.encode("utf-8"))
    add_alternate(path, "ja", "新しい")
    assert path.read_bytes() == original.replace('  "a",\r\n', '  "a",\r\n  "新しい",\r\n').encode("utf-8")


def test_a_phrasing_already_there_changes_nothing(tmp_path):
    path = tmp_path / "csv-required.md"
    path.write_bytes((REAL_DATA / "entries" / "csv-required.md").read_bytes())
    before = path.read_bytes()
    edit = add_alternate(path, "ja", "CSV を使うメリット")
    assert not edit.changed and path.read_bytes() == before and edit.line > 1


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40))
def test_any_phrasing_is_escaped_as_a_toml_basic_string(phrasing):
    assert tomllib.loads(f"x = {toml_string(phrasing)}")["x"] == phrasing
    if phrasing.strip():
        text = '+++\n[ja]\nquestion = "q"\nalternates = [\n  "a",\n]\n+++\n'
        new, _line, changed = insert_alternate(text, "ja", phrasing.strip())
        assert front(new)["ja"]["alternates"][-1] == phrasing.strip() or not changed


def test_no_table_for_the_language_is_refused_with_the_file(tmp_path):
    with pytest.raises(ContentError) as caught:
        insert_alternate('+++\n[ja]\nquestion = "q"\n+++\n', "en", "new", "entries/x.md")
    assert caught.value.path == "entries/x.md" and "[en]" in str(caught.value)
    assert "[en]" in caught.value.render("ja") and "テーブル" in caught.value.render("ja")


def test_a_layout_it_cannot_extend_is_refused_not_guessed():
    text = '+++\nja = { question = "q", alternates = ["a"] }\n+++\n'
    with pytest.raises(ContentError) as caught:
        insert_alternate(text, "ja", "new", "entries/x.md")
    assert caught.value.path == "entries/x.md"


def test_the_edited_knowledge_base_still_loads_clean(data_copy):
    entry = load_kb(data_copy).entries["requirements"]
    add_alternate(Path(entry.path), "en", "what do I need before I start")
    kb = load_kb(data_copy)
    assert kb.problems == []
    assert kb.entries["requirements"].text["en"].alternates[-1] == "what do I need before I start"
