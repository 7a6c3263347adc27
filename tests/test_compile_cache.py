"""Compiled regular expressions kept in the cache folder (tui/compile_cache.py): a pattern made
from the file is the pattern Python compiles; fails loudly when an upgrade changes ``re``."""

from __future__ import annotations

import _sre
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
    rows = compile_cache._read(path)
    assert len(rows) > 50  # ours, Whoosh's and the standard library's
    assert path.stat().st_mode & 0o077 == 0  # private, as the cache's other files
    for (_, pattern, flags), args in rows.items():
        assert _sre.compile(pattern, *args) == _fresh(pattern, flags), pattern
    assert path.read_bytes()[8:9] == b"["  # JSON data: nothing in it can run


def test_answers_are_the_same_with_a_damaged_file_and_it_is_written_again(warm):
    cache, env, answers = warm
    path = cache / compile_cache.file_name()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    again = _ask(env, "CSV は必須ですか")
    assert again.returncode == 0 and again.stdout == answers[0] and "Traceback" not in again.stderr
    assert json.loads(again.stdout)["answers"]
    assert len(compile_cache._read(path)) > 50  # read back whole again
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


def test_planted_code_is_refused_by_the_regex_engine_and_compiled_afresh(tmp_path):
    path = tmp_path / compile_cache.file_name()
    pattern = r"(?P<word>[a-z]+)-(\d+)"
    first = compile_cache.CompileCache(path)
    first.compile(pattern, 0)
    first.save()
    rows = json.loads(path.read_bytes()[8:])
    rows[0][2][1] = [1, 2, 3, 999_999]  # code the engine never wrote: not to be run
    body = json.dumps(rows).encode()
    path.write_bytes(b"%08x" % compile_cache.zlib.crc32(body) + body)
    again = compile_cache.CompileCache(path)
    got = again.compile(pattern, 0)
    assert got == _fresh(pattern, 0) and again.added == 1
    assert got.match("abc-12").group("word") == "abc"
