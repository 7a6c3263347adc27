"""The content store after edits: only the changed files are parsed again, and what it gives
(entries, problems with their lines, glossary, tags, digest) is what a full parse gives."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kb.content import refresh
from kb.content.load import KnowledgeBase, load_kb
from kb.content.snapshot import load_kb_cached


def _problems(kb: KnowledgeBase) -> list[tuple[object, ...]]:
    return [(type(p).__name__, p.message, p.message_ja, p.path, p.line, p.field) for p in kb.problems]


def _same_as_fresh(root: Path, cache: Path) -> KnowledgeBase:
    stored = load_kb_cached(root, cache)
    fresh = load_kb(root)
    assert _problems(stored) == _problems(fresh)
    assert list(stored.entries) == list(fresh.entries)
    assert dict(stored.entries.items()) == fresh.entries
    assert stored.digest == fresh.digest
    assert stored.glossary == fresh.glossary and stored.tags == fresh.tags and stored.profile == fresh.profile
    assert stored.languages == fresh.languages and stored.applies_values() == fresh.applies_values()
    return stored


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the store parses again."""
    names: list[str] = []
    real = refresh.parse_file

    def counting(path: Path, *args: object) -> object:
        names.append(path.name)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(refresh, "parse_file", counting)
    return names


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_each_change_parses_only_its_files_and_matches_a_full_parse(data_copy: Path, tmp_path: Path,
                                                                  parsed: list[str]) -> None:
    cache = tmp_path / "cache"
    entries = data_copy / "entries"
    names = sorted(p.name for p in entries.glob("*.md"))
    _same_as_fresh(data_copy, cache)
    assert parsed == []  # the first store is a full parse (load_kb's own)

    first = entries / names[0]
    _edit(first, "<!-- en -->\n", "<!-- en -->\nEdited for the test.\n")
    stored = _same_as_fresh(data_copy, cache)
    assert parsed == [names[0]]
    assert "Edited for the test." in stored.entries[first.stem].text["en"].answer

    parsed.clear()
    for n in range(10):  # ten entries added
        text = first.read_text(encoding="utf-8").replace(f'id = "{first.stem}"', f'id = "added-{n}"')
        (entries / f"added-{n}.md").write_text(text, encoding="utf-8")
    stored = _same_as_fresh(data_copy, cache)
    assert sorted(parsed) == [f"added-{n}.md" for n in range(10)]
    assert "added-3" in stored.entries

    parsed.clear()
    (entries / names[1]).unlink()  # removed; an entry linking to it now links to an unknown id
    os.rename(entries / "added-0.md", entries / "renamed-0.md")  # renamed: id differs from the name
    stored = _same_as_fresh(data_copy, cache)
    assert parsed == ["renamed-0.md"]
    assert Path(names[1]).stem not in stored.entries and "added-0" not in stored.entries
    assert any(p.field == "id" and p.path.endswith("renamed-0.md") for p in stored.problems)

    parsed.clear()
    # An entry given the id of another (a duplicate), a broken file and one not UTF-8.
    _edit(entries / "added-1.md", 'id = "added-1"', 'id = "added-2"')
    (entries / "added-4.md").write_text("+++\nid = \"added-4\n+++\n", encoding="utf-8")
    (entries / "added-5.md").write_bytes(b"+++\nid = \"added-5\"\n\xff\xfe\n+++\n")
    odd = os.fsdecode(b"odd-\xff.md")  # a file name that is not UTF-8
    (entries / odd).write_text((entries / "added-6.md").read_text(encoding="utf-8"), encoding="utf-8")
    stored = _same_as_fresh(data_copy, cache)
    assert sorted(parsed) == ["added-1.md", "added-4.md", "added-5.md", odd]
    assert {"added-1", "added-4", "added-5"}.isdisjoint(stored.entries) and "added-2" in stored.entries

    parsed.clear()
    _edit(entries / "added-1.md", 'id = "added-2"', 'id = "added-1"')  # fixed again
    (entries / "added-4.md").unlink()
    stored = _same_as_fresh(data_copy, cache)
    assert parsed == ["added-1.md"] and "added-1" in stored.entries
    assert any("UTF-8" in p.message for p in stored.problems)  # the odd name, kept from the store


def test_a_change_to_the_tags_or_the_check_ids_parses_everything(data_copy: Path, tmp_path: Path,
                                                               parsed: list[str]) -> None:
    cache = tmp_path / "cache"
    _same_as_fresh(data_copy, cache)
    tags = data_copy / "tags.toml"
    tags.write_text(tags.read_text(encoding="utf-8") + '\n[zz-new]\nja = "新"\nen = "New"\n', encoding="utf-8")
    _same_as_fresh(data_copy, cache)
    assert parsed == []  # a full parse, not the store's files
    first = sorted((data_copy / "entries").glob("*.md"))[0]
    _edit(first, "<!-- en -->\n", "<!-- en -->\nEdited.\n")
    stored = load_kb_cached(data_copy, cache, known_checks=[])  # other check ids: full parse
    assert parsed == [] and _problems(stored) == _problems(load_kb(data_copy, []))


def test_an_index_update_after_an_edit_decodes_only_the_edited_entry(data_copy: Path, tmp_path: Path) -> None:
    from kb.content.stored import StoredEntries, entry_digest
    from kb.index import store, update

    cache = tmp_path / "cache"
    kb = load_kb_cached(data_copy, cache)
    store.open_index(kb, cache)[0].close()
    edited = sorted((data_copy / "entries").glob("*.md"))[2]
    _edit(edited, "<!-- en -->\n", "<!-- en -->\nEdited for the test.\n")
    kb = load_kb_cached(data_copy, cache)
    assert isinstance(kb.entries, StoredEntries)
    changes = update.plan(kb, cache / f"index-{store.cache_key(kb)}")
    assert changes is not None and [e.id for e in changes.added] == [edited.stem] == changes.removed
    assert kb.entries.decoded == 1  # the other entries' digests come from the store
    ix, info = store.open_index(kb, cache)
    ix.close()
    assert info.updated == 1 and not info.built
    # The record written from the stored digests is the one a fresh parse gives.
    assert info.path is not None
    record = json.loads((info.path / update.RECORD).read_text(encoding="utf-8"))["entries"]
    assert {i: row[0] for i, row in record.items()} == {i: entry_digest(e) for i, e in load_kb(data_copy).entries.items()}
