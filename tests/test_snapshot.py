"""The parsed-content snapshot: reused when nothing changed, never stale, never fatal."""

from __future__ import annotations

from kb.content.load import load_kb
from kb.content.snapshot import fingerprint, load_kb_cached


def test_snapshot_is_reused_and_equal(small_kb, tmp_path):
    first = load_kb_cached(small_kb, tmp_path, known_checks=set())
    assert list(tmp_path.glob("kb-*.pickle"))
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
    [snap] = tmp_path.glob("kb-*.pickle")
    snap.write_bytes(b"garbage")
    kb = load_kb_cached(small_kb, tmp_path, known_checks=set())
    assert set(kb.entries) == {"alpha", "beta"}


def test_unwritable_cache_still_loads(small_kb, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    kb = load_kb_cached(small_kb, blocker / "cache", known_checks=set())
    assert set(kb.entries) == {"alpha", "beta"}
