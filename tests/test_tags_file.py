"""A missing or broken tags.toml is one problem; the tagged entries still load."""

from __future__ import annotations

import pytest

from kb.content.load import load_kb
from tests.conftest import REAL_DATA


@pytest.mark.parametrize("damage", ["missing", "not TOML", "not UTF-8"])
def test_a_broken_tags_file_is_one_problem(data_copy, damage):
    tags = data_copy / "tags.toml"
    if damage == "missing":
        tags.unlink()
    elif damage == "not TOML":
        tags.write_text("[csv\nja = \n", encoding="utf-8")
    else:
        tags.write_bytes(b"\xff\xfe")
    kb = load_kb(data_copy)
    assert set(kb.entries) == set(load_kb(REAL_DATA).entries)
    assert [p.path for p in kb.problems] == [str(tags)]


def test_an_unknown_tag_is_still_reported_when_the_tags_file_loads(data_copy):
    path = data_copy / "entries" / "csv-required.md"
    path.write_text(path.read_text(encoding="utf-8").replace('tags = ["csv"', 'tags = ["nope", "csv"', 1),
                    encoding="utf-8")
    kb = load_kb(data_copy)
    assert "csv-required" not in kb.entries
    assert any("nope" in p.message for p in kb.problems)
