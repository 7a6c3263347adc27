"""Corrupted entry files: `faq lint` names the file and line, and every other entry still answers.

Corruptions are what editors, copies and hurried people do to a file: cut it short, save
it as UTF-16 or Shift_JIS, add a BOM or CRLF, lose a fence, paste a key twice, paste a
novel into the body.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.content.load import load_kb
from tui.cli.parser import main


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """These tests read the English wording of warnings; the Japanese is held by test_messages_ja_*."""
    monkeypatch.setenv("FAQ_LANG", "en")

REAL = Path(__file__).resolve().parent.parent / "faq_data"
NAMES = sorted(p.name for p in (REAL / "entries").glob("*.md"))
KINDS = ["truncate", "utf16", "shift_jis", "cp1252", "bad_bytes", "bom_crlf", "cr_only", "no_open_fence",
         "no_close_fence", "dup_key", "dup_table", "huge_body", "nul", "empty", "binary"]


def corrupt(data: bytes, kind: str, n: int) -> bytes:
    """``data`` (a valid entry file) broken in the way ``kind`` names; ``n`` picks where."""
    text = data.decode("utf-8")
    lines = text.split("\n")
    fence_end = text.index("+++", 3)
    if kind == "truncate":
        return data[: n % len(data)]
    if kind == "utf16":
        return text.encode("utf-16")
    if kind == "shift_jis":
        return text.encode("shift_jis", errors="replace")
    if kind == "cp1252":
        return text.encode("cp1252", errors="replace").replace(b"?", b"\x93", 1)
    if kind == "bad_bytes":
        at = n % len(data)
        return data[:at] + b"\xff\xfe\x80" + data[at:]
    if kind == "bom_crlf":
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    if kind == "cr_only":
        return text.replace("\n", "\r").encode("utf-8")
    if kind == "no_open_fence":
        return text.replace("+++\n", "", 1).encode("utf-8")
    if kind == "no_close_fence":
        return (text[:fence_end] + text[fence_end + 3:]).encode("utf-8")
    if kind == "dup_key":
        keys = [i for i, line in enumerate(lines) if " = " in line and i < text[:fence_end].count("\n")]
        i = keys[n % len(keys)]
        return "\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1:]).encode("utf-8")
    if kind == "dup_table":
        return text.replace("[en]\n", "[en]\n[en]\n", 1).encode("utf-8")
    if kind == "huge_body":
        return data + ("とても長い本文が続きます。A very long body. " * 40_000).encode("utf-8")
    if kind == "nul":
        return data.replace(b" = ", b" =\x00 ", 1)
    if kind == "empty":
        return b""
    if kind == "binary":
        return bytes(range(256)) * 4
    raise ValueError(kind)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("corrupt") / "faq_data"
    shutil.copytree(REAL, target)
    return target


@given(name=st.sampled_from(NAMES), kind=st.sampled_from(KINDS), n=st.integers(0, 10**6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_corrupted_entry_is_reported_with_file_and_line_and_the_rest_load(workspace, name, kind, n):
    path = workspace / "entries" / name
    original = (REAL / "entries" / name).read_bytes()
    path.write_bytes(corrupt(original, kind, n))
    try:
        kb = load_kb(workspace)
    finally:
        path.write_bytes(original)
    mine = [p for p in kb.problems if p.path == str(path)]
    elsewhere = [str(p) for p in kb.problems if p.path != str(path)]
    assert elsewhere == []  # one broken file does not break the others
    lines = max(1, corrupt(original, kind, n).count(b"\n") + 1)
    for problem in mine:
        assert problem.line is not None and 1 <= problem.line <= lines, str(problem)
        assert str(problem).startswith(f"{path}:{problem.line}: ")
    entry_id = name.removesuffix(".md")
    # Either the file still makes a good entry, or it is reported: never dropped in silence.
    assert (entry_id in kb.entries) != bool(mine), [str(p) for p in mine]
    assert set(kb.entries) >= {x.removesuffix(".md") for x in NAMES} - {entry_id}


# The file is broken and says so (these never load):
BROKEN = ["utf16", "shift_jis", "cp1252", "bad_bytes", "cr_only", "no_open_fence", "no_close_fence", "dup_key",
          "dup_table", "nul", "empty", "binary"]
# ...or it is not really broken, and must load as it is:
HARMLESS = ["bom_crlf", "huge_body"]
VICTIM = "csv-required.md"
OTHER_QUESTION = "TCP Chimney はサポートされますか"


@pytest.mark.parametrize("kind", BROKEN)
def test_lint_then_ask_and_search_with_one_broken_entry(capsys, data_copy, kind):
    path = data_copy / "entries" / VICTIM
    path.write_bytes(corrupt(path.read_bytes(), kind, 7))

    code = main(["lint", "--data", str(data_copy)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert f"{path}:" in err and "Traceback" not in err
    mine = [line for line in err.splitlines() if line.startswith(f"{path}:")]
    assert mine and all(line.split(":")[1].isdigit() for line in mine), mine  # file:line: ...

    code = main(["lint", "--json", "--data", str(data_copy)])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert problems and all(p["path"] == str(path) and isinstance(p["line"], int) for p in problems)

    code = main(["ask", "--json", "--data", str(data_copy), OTHER_QUESTION])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["answers"][0]["id"] == "tcp-chimney"
    assert "warning" in err and VICTIM in err and err.count("\n") == 1

    code = main(["search", "--json", "--data", str(data_copy), "Chimney"])
    out, err = capsys.readouterr()
    hits = json.loads(out)["hits"]
    assert code == 0 and hits[0]["id"] == "tcp-chimney"
    assert "csv-required" not in {h["id"] for h in hits}
    assert "warning" in err and VICTIM in err


@pytest.mark.parametrize("kind", HARMLESS)
def test_a_bom_crlf_or_huge_entry_loads_and_answers(capsys, data_copy, kind):
    path = data_copy / "entries" / VICTIM
    path.write_bytes(corrupt(path.read_bytes(), kind, 0))
    assert main(["lint", "--data", str(data_copy)]) == 0
    capsys.readouterr()
    code = main(["ask", "--json", "--data", str(data_copy), "CSV は必要ですか"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert json.loads(out)["answers"][0]["id"] == "csv-required"


def test_every_entry_broken_is_one_line_and_exit_2(capsys, data_copy):
    for path in (data_copy / "entries").glob("*.md"):
        path.write_bytes(corrupt(path.read_bytes(), "no_close_fence", 0))
    code = main(["ask", "--data", str(data_copy), "CSV"])
    _out, err = capsys.readouterr()
    assert code == 2 and "no entries could be loaded" in err and "Traceback" not in err
    assert err.count("\n") == 2  # the warning, then the error


@pytest.mark.parametrize("data", [b"[live-migration\nja = 1\n", "[x]\nja = [\"a\"]\n".encode("utf-16"),
                                  b"\xef\xbb\xbf[csv]\r\nja = \"CSV\"\r\n"])
def test_a_broken_glossary_is_reported_and_entries_still_answer(capsys, data_copy, data):
    path = data_copy / "glossary.toml"
    path.write_bytes(data)
    assert main(["lint", "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:" in err and "Traceback" not in err
    code = main(["search", "--json", "--data", str(data_copy), "Chimney"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["hits"][0]["id"] == "tcp-chimney"
    assert "warning" in err and "glossary.toml" in err


def test_a_broken_tag_is_reported_and_untagged_entries_still_answer(capsys, data_copy, real_kb):
    path = data_copy / "tags.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[networking]\nja = ", "[networking]\nja = 1\nx = ", 1), encoding="utf-8")
    assert main(["lint", "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:" in err and "networking" in err
    code = main(["ask", "--json", "--data", str(data_copy), "CSV は必要ですか"])
    out, err = capsys.readouterr()
    assert "networking" not in real_kb.entries["csv-required"].tags
    assert code == 0 and json.loads(out)["answers"][0]["id"] == "csv-required"
    assert "warning" in err and err.count("\n") == 1
