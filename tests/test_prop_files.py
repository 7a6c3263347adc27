"""Content folders, property-based: any file name, any nesting depth, any size gives entries or a message.

Never an exception: a bad file is one problem naming it, and every other file still loads.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.content.load import load_kb
from kb.content.snapshot import fingerprint, load_kb_cached

FIXTURE = Path(__file__).parent / "data" / "kb"
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
GOOD = {"alpha", "beta"}

# Any bytes a POSIX file name may hold (no "/" and no NUL), UTF-8 or not.
names = st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")).filter(
    lambda b: b not in (b".", b".."))


def _fresh(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(FIXTURE, root)
    return root


def _printable(kb) -> None:
    for problem in kb.problems:
        for lang in ("ja", "en"):
            problem.render(lang).encode("utf-8")  # raises on a lone surrogate


@SETTINGS
@given(name=names, suffix=st.sampled_from([b"", b".md", b".txt", b".toml"]), where=st.sampled_from(["entries", "."]))
def test_any_file_name_anywhere_loads_the_rest(tmp_path, name, suffix, where):
    root = _fresh(tmp_path)
    target = os.path.join(os.fsencode(root / where), name + suffix)
    try:
        with open(target, "wb") as handle:
            handle.write(b"+++\nid = 1\n+++\n")
    except OSError:
        return  # a name the file system refuses (too long on some)
    kb = load_kb(root, known_checks=set())
    assert GOOD <= set(kb.entries)
    _printable(kb)
    fingerprint(root)
    assert GOOD <= set(load_kb_cached(root, tmp_path / "cache", known_checks=set()).entries)


def test_a_non_utf8_entry_name_is_one_problem(tmp_path):
    root = _fresh(tmp_path)
    (Path(os.fsdecode(os.fsencode(root / "entries") + b"/caf\xe9.md"))).write_text("+++\n", encoding="utf-8")
    kb = load_kb(root, known_checks=set())
    assert set(kb.entries) == GOOD
    [problem] = [p for p in kb.problems if "caf" in (p.path or "")]
    assert problem.path.endswith("caf\\xe9.md") and "not UTF-8" in problem.message
    assert problem.message_ja and "UTF-8" in problem.message_ja


@pytest.mark.parametrize("argv", [["show", "alpha"], ["lint"], ["list"]])
def test_cli_with_a_non_utf8_file_name_in_the_content(tmp_path, capsys, argv):
    from tui.cli.parser import main

    root = _fresh(tmp_path)
    for name in (b"stray\xff.txt", b"bad\xff.md"):
        with open(os.fsencode(root / "entries") + b"/" + name, "wb") as handle:
            handle.write(b"x")
    code = main(["--data", str(root), *argv])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in err
    if argv == ["lint"]:
        assert "bad\\xffmd" not in err and "bad\\xff.md" in err


def _nested(depth: int, open_: str = "[", close: str = "]") -> str:
    return open_ * depth + "1" + close * depth


@SETTINGS
@given(depth=st.integers(min_value=1, max_value=3000), kind=st.sampled_from(["[]", "{}", "mixed"]),
       where=st.sampled_from(["entry", "glossary", "tags"]))
def test_any_nesting_depth_is_a_problem_or_loads(tmp_path, depth, kind, where):
    root = _fresh(tmp_path)
    if kind == "[]":
        value = _nested(depth)
    elif kind == "{}":
        value = "{a = " * depth + "1" + "}" * depth
    else:
        value = "[{a = " * (depth // 2) + "1" + "}]" * (depth // 2)
    if where == "entry":
        path = root / "entries" / "alpha.md"
        text = path.read_text(encoding="utf-8").replace("+++\n", f"+++\ndeep = {value}\n", 1)
    else:
        path = root / f"{where}.toml"
        text = f"deep = {value}\n" + path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    kb = load_kb(root, known_checks=set())
    if where == "entry":
        assert "beta" in kb.entries  # the rest loads
        assert any(p.path == str(path) and p.line == 2 for p in kb.problems) or depth <= 100
    else:
        assert any(p.path == str(path) for p in kb.problems)
    _printable(kb)


@pytest.mark.parametrize("where", ["entry", "glossary", "tags"])
def test_500_levels_is_one_problem_naming_the_file(tmp_path, where):
    root = _fresh(tmp_path)
    path = root / "entries" / "alpha.md" if where == "entry" else root / f"{where}.toml"
    text = path.read_text(encoding="utf-8")
    deep = f"deep = {_nested(500)}\n"
    path.write_text(text.replace("+++\n", "+++\n" + deep, 1) if where == "entry" else deep + text, encoding="utf-8")
    kb = load_kb(root, known_checks=set())
    [problem] = [p for p in kb.problems if p.path == str(path) and "nested" in p.message]
    assert problem.line == (2 if where == "entry" else 1) and problem.message_ja
    assert "beta" in kb.entries and ("alpha" in kb.entries) == (where != "entry")


def test_a_deeply_nested_cluster_file_is_a_message(tmp_path):
    from kb.checks.cluster_file import load_cluster
    from kb.errors import ClusterFileError

    path = tmp_path / "c.toml"
    path.write_text(f"[cluster]\nname = \"x\"\ndeep = {_nested(500)}\n", encoding="utf-8")
    with pytest.raises(ClusterFileError) as caught:
        load_cluster(path)
    assert caught.value.line == 3 and caught.value.path == str(path) and caught.value.message_ja
