"""`faq import` on bad input: a clear message or "nothing found", the right exit code, no traceback,
and an output folder left exactly as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.errors import SourceError
from kb.importing.extract import extract
from kb.importing.read_html import read_html
from kb.importing.read_markdown import read_markdown
from kb.importing.read_rst import read_rst
from kb.importing.read_text import read_text
from kb.importing.reading import MAX_SOURCE_BYTES, Source
from kb.importing.structure import pair_document
from tests.import_fixtures import DATA
from tui.cli.parser import main

ROOT = Path(__file__).resolve().parent.parent


def _make(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if name == "empty.txt":
        path.write_bytes(b"")
    elif name == "binary.dat":
        path.write_bytes(bytes(range(256)) * 8)
    elif name == "huge.txt":
        with open(path, "wb") as handle:  # sparse: 100 MB on paper, nothing written
            handle.truncate(100 * 1024 * 1024)
    elif name == "nofaq.html":
        path.write_text("<html><body><h1>About us</h1><p>We are a small shop in Osaka.</p>"
                        "<p>Open Monday to Friday.</p></body></html>", encoding="utf-8")
    elif name == "broken.html":
        path.write_text("<html><body><h2>What is X?</h2><p>X is a <b>thing <i>that <h2>Why Y?", encoding="utf-8")
    elif name == "columns.csv":
        path.write_text("question,answer\nWhat is A?,A is a letter.\nWhat is B?,B,is,extra\n", encoding="utf-8")
    elif name == "scan.pdf":
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    elif name == "broken.docx":
        path.write_bytes(b"PK\x03\x04 this is no zip")
    elif name == "corrupt.docx":  # a real zip whose compressed document is damaged
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", "<w:document>" + "text " * 2000 + "</w:document>")
        data = bytearray(path.read_bytes())
        data[60:80] = bytes(20)
        path.write_bytes(bytes(data))
    elif name == "sheet.docx":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    elif name == "latin1.txt":
        path.write_bytes("Qu'est-ce que c'est ? Caf\xe9\n".encode("latin-1") + bytes([0x81, 0xff]) * 20)
    return path


# name -> (exit code, what the message says, the line it names)
CASES = {
    "empty.txt": (1, "the file is empty", None),
    "binary.dat": (2, "binary file", None),
    "huge.txt": (2, "too big", None),
    "nofaq.html": (1, "No question and answer pairs", None),
    "columns.csv": (2, "4 fields, the header has 2", 3),
    "scan.pdf": (2, "PDF is not supported", None),
    "broken.docx": (2, "not a DOCX file", None),
    "corrupt.docx": (2, "not a DOCX file", None),
    "sheet.docx": (2, "export the sheet as CSV", None),
    "missing.txt": (2, "no such file", None),
    "latin1.txt": (2, "not text", 1),
}


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_a_clear_message_and_exit_code(tmp_path, capsys, name):
    code, message, line = CASES[name]
    source = _make(tmp_path, name)
    out = tmp_path / "out"
    assert main(["import", str(source), "--out", str(out), "--lang", "en"]) == code
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert message in said
    assert "Traceback" not in said
    if code == 2:
        assert f"faq: {source}" in captured.err  # names the file
        if line:
            assert f"{source}:{line}:" in captured.err
    assert not out.exists()  # nothing imported: not even the folder was made


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_leaves_an_existing_folder_untouched(tmp_path, capsys, name):
    out = tmp_path / "kb"
    assert main(["import", str(DATA / "letsencrypt-saved.txt"), "--out", str(out)]) == 0
    before = _snapshot(out)
    main(["import", str(_make(tmp_path, name)), "--out", str(out)])
    capsys.readouterr()
    assert _snapshot(out) == before


def test_one_bad_source_among_good_ones_stops_the_whole_import(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["import", str(DATA / "python-faq.html"), str(_make(tmp_path, "columns.csv")), "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "columns.csv:3" in capsys.readouterr().err


def test_the_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    big = _make(tmp_path, "huge.txt")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file above the limit"))
    with pytest.raises(SourceError, match="too big"):
        extract(Source(big))
    assert big.stat().st_size > MAX_SOURCE_BYTES


def test_broken_html_still_gives_its_pairs_with_their_doubts(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["import", str(_make(tmp_path, "broken.html")), "--out", str(out), "--json"]) == 0
    import json

    report = json.loads(capsys.readouterr().out)
    assert [(e["question"], e["flags"]) for e in report["entries"]] == [
        ("What is X?", ["truncated"]), ("Why Y?", ["no-answer"])]


def test_messages_in_japanese(tmp_path, capsys):
    code = main(["import", str(_make(tmp_path, "scan.pdf")), "--out", str(tmp_path / "out"), "--lang", "ja"])
    assert code == 2
    assert "PDF は読み込めません" in capsys.readouterr().err


def test_no_traceback_from_a_fresh_process(tmp_path):
    for name in ("binary.dat", "columns.csv", "nofaq.html"):
        done = subprocess.run([sys.executable, "-m", "tui.cli", "import", str(_make(tmp_path, name)),
                               "--out", str(tmp_path / "out"), "--lang", "en"],
                              capture_output=True, text=True, cwd=ROOT, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == CASES[name][0]
        assert "Traceback" not in done.stderr and done.stderr.startswith("faq: ")


_PIECES = ["<", ">", "/", "=", '"', "'", " ", "a", "Q: ", "A: ", "?", "？", "。", ":", "*", "#", "|", "`", "\t",
           "\n", "\n\n", "- ", "1. ", "<dt>", "<dd>", "<dl>", "<details>", "<summary>", "</summary>", "<h2>",
           "</h2>", "<p>", "</p>", "<li>", "<ul>", "<pre>", "<nav>", "<table><tr><td>", "</td>", "```", "---",
           "What is it?", "はい。", "次の方法で:", "<script type=\"application/ld+json\">{",
           # reStructuredText's markup (read_rst)
           "====", ".. ", "::", "   ", ">>> ", ".. note::", ".. code-block:: py", ":func:`x`", "`a <http://b>`_", "``x``"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_readers_never_crash_on_garbage(text):
    for reader in (read_html, read_markdown, read_text, read_rst):
        pairs, _dropped, _title = pair_document(reader(text))
        assert all(pair.question.strip() for pair in pairs)  # lint refuses an entry asking ""


def test_every_fixture_cut_short_anywhere_still_reads(tmp_path):
    for fixture in sorted(DATA.glob("*.*")):
        if fixture.name.endswith(".json") or fixture.suffix == ".docx":
            continue
        data = fixture.read_bytes()
        for cut in range(0, len(data), max(1, len(data) // 23)):
            part = tmp_path / f"cut{fixture.suffix}"
            part.write_bytes(data[:cut])
            try:
                extract(Source(part))
            except SourceError:
                pass  # a clear message: a CSV row cut in half, or half a UTF-8 character
