"""Compiled regular expressions kept in the cache folder (tui/compile_cache.py): a pattern made
from the file is the pattern Python compiles; fails loudly when an upgrade changes ``re``."""

from __future__ import annotations

import _sre
import dataclasses
import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REAL_DATA, ROOT
from tui import compile_cache

SAMPLES = [
    (r"[\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u30fc\u3005]+", 0),
    (r"(?<![A-Za-z0-9.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?)\s*(?P<unit>gb|mb)?", re.IGNORECASE),
    (r"(?i:\bnodes?|\bhosts?)\s*(?:数|の数|count)", 0),
    ("\n    (?P<key>\\w+) \\s* = \\s* (?P<value>.*)  # a comment\n", re.VERBOSE | re.MULTILINE),
    (rb"^\x00+(?=abc)|[\x80-\xff]{2,}", 0),
    (r"(a)|(b)(?P<c>c)?$", re.DOTALL),
]
TEXTS = ["ライブ マイグレーション 1,024 GB", "3 nodes ノード数", "  key = value ", "ab", "abc"]


def _fresh(pattern: str | bytes, flags: int) -> re.Pattern:
    return compile_cache._ORIGINAL(pattern, flags)


def test_patterns_read_back_equal_fresh_ones(tmp_path):
    path = tmp_path / compile_cache.file_name()
    first = compile_cache.CompileCache(path)
    made = [first.compile(p, f) for p, f in SAMPLES]
    assert made == [_fresh(p, f) for p, f in SAMPLES] and first.added == len(SAMPLES)
    first.save()
    again = compile_cache.CompileCache(path)
    read = [again.compile(p, f) for p, f in SAMPLES]
    assert again.added == 0  # every one came from the file
    for got, (p, f) in zip(read, SAMPLES, strict=True):
        want = _fresh(p, f)
        # Pattern equality compares the pattern, its flags and the compiled code.
        assert got == want and got.groupindex == want.groupindex and got.groups == want.groups
        for text in TEXTS:
            subject = text.encode() if isinstance(p, bytes) else text
            assert [m.group(0) for m in got.finditer(subject)] == [m.group(0) for m in want.finditer(subject)]


def _ask(env: dict[str, str], question: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui.cli", "ask", "--json", question], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A cache folder after two `faq ask` runs: the index built, the patterns file written."""
    cache = tmp_path_factory.mktemp("re-cache")
    env = {**os.environ, "FAQ_CACHE_DIR": str(cache), "FAQ_DATA": str(REAL_DATA)}
    runs = [_ask(env, q) for q in ("CSV は必須ですか", "How long does a live migration take?")]
    assert all(r.returncode == 0 for r in runs)
    return cache, env, [r.stdout for r in runs]


def test_every_pattern_a_process_compiles_is_kept_as_python_compiles_it(warm):
    cache, _, _ = warm
    path = cache / compile_cache.file_name()
    rows, codes = compile_cache._read(path)
    assert len(rows) > 50  # ours, Whoosh's and the standard library's
    assert path.stat().st_mode & 0o077 == 0  # private, as the cache's other files
    for (_, pattern, flags), args in rows.items():
        assert _sre.compile(pattern, *args) == _fresh(pattern, flags), pattern
    assert len(codes) > 30 and any("__init__" in source for source in codes)  # dataclass methods
    for source, code in codes.items():
        assert code == compile(source, "<string>", "exec", dont_inherit=True)


def test_answers_are_the_same_with_a_damaged_file_and_it_is_written_again(warm):
    cache, env, answers = warm
    path = cache / compile_cache.file_name()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    again = _ask(env, "CSV は必須ですか")
    assert again.returncode == 0 and again.stdout == answers[0] and "Traceback" not in again.stderr
    assert json.loads(again.stdout)["answers"]
    assert len(compile_cache._read(path)[0]) > 50  # read back whole again
    path.write_bytes(b"not a patterns file")
    assert _ask(env, "How long does a live migration take?").stdout == answers[1]


def test_a_folder_others_can_write_to_is_not_read(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert not compile_cache._private(shared) and not compile_cache._private(tmp_path / "missing")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    assert compile_cache._private(private)


def _make_class() -> type:
    @dataclasses.dataclass(frozen=True, order=True)
    class Point:
        x: int
        y: int = 2
        tags: list[str] = dataclasses.field(default_factory=list, compare=False)

    return Point


def test_dataclass_methods_from_the_file_are_the_ones_python_makes(tmp_path, monkeypatch):
    plain = _make_class()
    path = tmp_path / compile_cache.file_name()
    first = compile_cache.CompileCache(path)
    monkeypatch.setattr(dataclasses, "exec", first.exec, raising=False)
    made = _make_class()
    assert first.added > 3
    first.save()
    again = compile_cache.CompileCache(path)
    monkeypatch.setattr(dataclasses, "exec", again.exec, raising=False)
    read = _make_class()
    assert again.added == 0  # every method's code came from the file
    for cls in (made, read):
        for name in ("__init__", "__repr__", "__eq__", "__lt__", "__setattr__", "__hash__"):
            assert getattr(cls, name).__code__ == getattr(plain, name).__code__, name
        point = cls(1)
        assert (point.x, point.y, point.tags) == (1, 2, [])
        assert repr(point) == repr(plain(1)) == "_make_class.<locals>.Point(x=1, y=2, tags=[])"
        assert cls(1, 3) > cls(1) and cls(1, tags=["a"]) == cls(1) and hash(cls(1)) == hash(cls(1, 2))
        with pytest.raises(dataclasses.FrozenInstanceError):
            point.x = 5  # type: ignore[misc]
