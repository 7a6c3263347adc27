"""The parsed-content snapshot: reused when nothing changed, never stale, never fatal."""

from __future__ import annotations

import json
import pickle

from kb.content.load import load_kb
from kb.content.snapshot import fingerprint, load_kb_cached


def test_snapshot_is_reused_and_equal(small_kb, tmp_path):
    first = load_kb_cached(small_kb, tmp_path, known_checks=set())
    assert list(tmp_path.glob("kb-*.sqlite3"))
    second = load_kb_cached(small_kb, tmp_path, known_checks=set())
    assert second is not first
    assert second.entries == first.entries == load_kb(small_kb, known_checks=set()).entries
    assert second.digest == first.digest


def test_an_edit_is_seen_at_once(small_kb, tmp_path):
    load_kb_cached(small_kb, tmp_path, known_checks=set())
    path = small_kb / "entries" / "alpha.md"
    path.write_text(path.read_text(encoding="utf-8").replace("別のノード", "他のノードへすぐに"), encoding="utf-8")
    kb = load_kb_cached(small_kb, tmp_path, known_checks=set())
    assert "他のノードへすぐに" in kb.entries["alpha"].text["ja"].answer


def test_new_and_removed_files_change_the_fingerprint(small_kb):
    before = fingerprint(small_kb)
    (small_kb / "entries" / "broken.md").unlink()
    assert fingerprint(small_kb) != before


def test_corrupt_snapshot_is_rebuilt(small_kb, tmp_path):
    load_kb_cached(small_kb, tmp_path, known_checks=set())
    [snap] = tmp_path.glob("kb-*.sqlite3")
    snap.write_bytes(b"garbage")
    kb = load_kb_cached(small_kb, tmp_path, known_checks=set())
    assert set(kb.entries) == {"alpha", "beta"}


def test_unwritable_cache_still_loads(small_kb, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    kb = load_kb_cached(small_kb, blocker / "cache", known_checks=set())
    assert set(kb.entries) == {"alpha", "beta"}


def test_snapshot_round_trips_the_real_content(tmp_path):
    from kb.content.snapshot import decode, encode
    from tests.conftest import REAL_DATA

    kb = load_kb(REAL_DATA)
    back = decode(json.loads(json.dumps(encode(kb))), REAL_DATA)
    assert back.entries == kb.entries and back.glossary == kb.glossary and back.tags == kb.tags
    assert [p.render("ja") for p in back.problems] == [p.render("ja") for p in kb.problems]
    assert back.digest == kb.digest
    assert any(e.quiz for e in kb.entries.values())  # quiz items are part of what round-trips


def test_a_pickle_planted_as_the_snapshot_does_not_run(small_kb, tmp_path):
    load_kb_cached(small_kb, tmp_path, known_checks=set())
    [snap] = tmp_path.glob("kb-*.sqlite3")
    witness = tmp_path / "pwned"
    snap.write_bytes(pickle.dumps(_Planted(str(witness))))
    kb = load_kb_cached(small_kb, tmp_path, known_checks=set())
    assert set(kb.entries) == {"alpha", "beta"} and not witness.exists()


class _Planted:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_a_same_size_edit_with_the_old_mtime_restored_is_seen(small_kb, tmp_path):
    """touch -r, rsync -t and cp -p keep size and mtime; show and ask must still see the edit."""
    import os
    import shutil

    path = small_kb / "entries" / "alpha.md"
    before = load_kb_cached(small_kb, tmp_path, known_checks=set()).entries["alpha"].text["ja"].answer
    original = path.read_text(encoding="utf-8")
    assert "別のノード" in original
    edited = original.replace("別のノード", "他のノード")  # same length in UTF-8
    assert len(edited.encode()) == len(original.encode())
    stat = path.stat()
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # touch -r
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_size == stat.st_size
    kb = load_kb_cached(small_kb, tmp_path, known_checks=set())
    assert kb.entries["alpha"].text["ja"].answer != before and "他のノード" in kb.entries["alpha"].text["ja"].answer
    # rsync -t: a new file renamed into place, with the old time.
    copy = tmp_path / "alpha.tmp"
    copy.write_text(original, encoding="utf-8")
    shutil.copystat(path, copy)
    os.replace(copy, path)
    kb = load_kb_cached(small_kb, tmp_path, known_checks=set())
    assert kb.entries["alpha"].text["ja"].answer == before


def test_the_snapshot_keeps_every_field_of_an_entry(real_kb):
    # A field added to Entry but not to the snapshot's encoder would be silently lost on the
    # next start that reads the snapshot (flags were, once).
    import dataclasses

    from kb.content.entry import Entry
    from kb.content.snapshot import decode, encode

    first = encode(real_kb)["entries"][0]
    assert {f.name for f in dataclasses.fields(Entry)} <= set(first)
    flagged = dataclasses.replace(next(iter(real_kb.entries.values())), flags=("truncated",))
    kb = dataclasses.replace(real_kb, entries={flagged.id: flagged})
    assert decode(encode(kb), kb.root).entries[flagged.id] == flagged


def _kbs():
    from tests.conftest import REAL_DATA, ROOT

    return [REAL_DATA, *sorted((ROOT / "tests" / "data" / "kbs").iterdir())]


def test_the_snapshot_keeps_every_field_of_the_knowledge_base(tmp_path):
    """kb.toml's profile was once left out: a warm start answered as if there were no kb.toml."""
    import dataclasses

    from kb.content.load import KnowledgeBase
    from kb.content.profile import Profile

    profiles = 0
    for n, root in enumerate(_kbs()):
        cold = load_kb(root)
        load_kb_cached(root, tmp_path / str(n))
        warm = load_kb_cached(root, tmp_path / str(n))
        assert list((tmp_path / str(n)).glob("kb-*.sqlite3"))
        for f in dataclasses.fields(KnowledgeBase):
            if f.name == "problems":  # exceptions compare by identity: compare what they say
                assert [p.render("ja") for p in warm.problems] == [p.render("ja") for p in cold.problems]
            else:
                assert getattr(warm, f.name) == getattr(cold, f.name), (root.name, f.name)
        profiles += cold.profile != Profile()
    assert profiles >= 2  # the comparison saw real profiles, not only defaults


def test_a_warm_start_answers_as_a_cold_one(tmp_path):
    """The same candidates and confidences from content parsed now and from its snapshot, on
    questions that kb.toml decides: a version the content does not cover, a topic it is not about."""
    from kb.content.profile import Profile
    from kb.library import Library
    from tests.conftest import REAL_DATA

    load_kb_cached(REAL_DATA, tmp_path)
    cold, warm = load_kb(REAL_DATA), load_kb_cached(REAL_DATA, tmp_path)
    questions = ["how do I rename a network adapter in Windows 10", "vMotion requirements",
                 "Hyper-V レプリカの設定方法", "How many NICs?", "CSV は必要ですか"]
    import dataclasses

    def answers(kb):
        library = Library(kb, None)
        try:
            return [[(c.id, c.confidence) for c in library.ask(q).candidates] for q in questions]
        finally:
            library.close()

    expected = answers(cold)
    assert answers(warm) == expected
    assert answers(dataclasses.replace(cold, profile=Profile())) != expected  # kb.toml does decide these


def test_the_scan_through_the_folder_descriptor_sees_what_scandir_sees(small_kb):
    from kb.content.files import stat_line
    from kb.content.snapshot import _scan, _scan_entries

    entries = small_kb / "entries"
    (entries / "sub").mkdir()
    (entries / "dangling.md").symlink_to(entries / "nowhere.md")
    (entries / "linked.md").symlink_to(entries / "alpha.md")
    fast, portable = _scan(entries), _scan_entries(entries)
    lines = fast.lines()
    assert lines == portable.lines() and sorted(lines) == sorted(p.name for p in entries.iterdir())
    assert all(lines[p.name] == stat_line(p.stat()) for p in entries.iterdir() if p.is_file())
    assert lines["sub"] is None and lines["dangling.md"] is None  # not files, and no spoiled scan
    assert lines["linked.md"] is not None and lines["linked.md"].split(":")[4] == lines["alpha.md"].split(":")[4]


def test_every_kind_of_change_to_an_entry_file_changes_the_fingerprint(small_kb):
    import os

    path = small_kb / "entries" / "alpha.md"
    seen = [fingerprint(small_kb, known_checks=set())]

    def changed() -> bool:
        seen.append(fingerprint(small_kb, known_checks=set()))
        return seen[-1] != seen[-2]

    st = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ノード", "ノーデ", 1), encoding="utf-8")  # same size, in place
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and changed()
    path.chmod(0o600)
    assert changed()
    path.write_text(text + "\n", encoding="utf-8")
    assert changed()
    renamed = path.with_name("alpha2.md")
    path.rename(renamed)
    assert changed()
    renamed.rename(path)  # the same name, size and times back: the change time still differs
    assert changed()
    (small_kb / "entries" / "gamma.md").write_text(text, encoding="utf-8")
    assert changed()
    (small_kb / "entries" / "gamma.md").unlink()
    assert changed() and seen[-1] == seen[-3]  # back to the folder as it was
    (small_kb / "kb.toml").write_text('name = "x"\n', encoding="utf-8")
    assert changed()
    (small_kb / "entries" / "sub").mkdir()  # a folder is no file of the content
    assert not changed()
