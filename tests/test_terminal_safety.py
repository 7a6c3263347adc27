"""Terminal safety of the CLI: escape sequences in content, clusters, queries and progress never reach the terminal.

Every text field a command prints is poisoned with an SGR colour (``ESC [31m``), an OSC
title change ending in BEL, a C1 CSI (``\\x9b``), a bare carriage return (which lets a
line overwrite what came before) and, in Markdown, the character reference ``&#13;``.
The output may show them harmlessly (``^[``, ``^M``) or drop them, but must not contain
a raw control character, and the text around them must still be there.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.content.load import load_kb
from tui.cli import knowledge as cmd_kb
from tui.cli import training as cmd_training
from tui.cli.parser import main
from tui.cli.render import Style, render_markdown
from tui.safe import clean, clean_line, dumps_json

# What a terminal acts on: C0 controls except tab and newline, DEL and the C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
OUR_SGR = re.compile(r"\x1b\[[0-9;]*m")
# TOML basic-string escapes: the file holds plain ASCII, the loaded text holds the controls.
TOML_POISON = r"\u001b[31mRED\u001b]0;pwned\u0007\u009b2JCSI\rCR"
BODY_POISON = "\x1b[31mRED \x1b]0;pwned\x07 \x9b2JCSI \rCR &#13;ENT &#12;FF"
CLUSTER = Path(__file__).parent / "data" / "clusters" / "good.toml"


def assert_safe(text: str, *visible: str) -> None:
    """No raw control character in ``text``, and the words around the poison survived."""
    leaked = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(text)})
    assert not leaked, f"control characters reached the terminal: {leaked}\n{text[:2000]!r}"
    for word in visible:
        assert word in text, (word, text[:2000])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def poisoned(data_copy: Path) -> Path:
    """The real content with every printed field of tcp-chimney, a tag and a glossary term poisoned."""
    entry = data_copy / "entries" / "tcp-chimney.md"
    _replace(entry, 'supported with live migration?"', f'supported with live migration? {TOML_POISON}"')
    _replace(entry, 'はライブ マイグレーションでサポートされますか。"', f'はライブ マイグレーションでサポートされますか。{TOML_POISON}"')
    _replace(entry, '"TCP offload and live migration",', f'"TCP offload and live migration {TOML_POISON}",')
    _replace(entry, 'applies_to = ["Windows Server 2008 R2"',
             f'applies_to = ["Windows Server 2008 R2", "Product {TOML_POISON}"')
    _replace(entry, "<!-- en -->\n", f"<!-- en -->\nChimney body {BODY_POISON}\n\n")
    _replace(entry, "<!-- ja -->\n", f"<!-- ja -->\nChimney 本文 {BODY_POISON}\n\n")
    _replace(entry, 'id = "supported"', f'id = "supported{TOML_POISON}"')
    _replace(entry, 'prompt = "A virtual machine that uses', f'prompt = "{TOML_POISON} A virtual machine that uses')
    _replace(entry, 'explanation = "True. Live migration', f'explanation = "{TOML_POISON} True. Live migration')
    _replace(entry, '"They are all dropped and clients reconnect"', f'"They are all dropped {TOML_POISON}"')
    _replace(entry, 'prompt = "TCP Chimney オフロードを', f'prompt = "{TOML_POISON} TCP Chimney オフロードを')
    # A related entry's question is printed under "Related" by ask and show.
    _replace(data_copy / "entries" / "network-adapters.md", '[en]\nquestion = "', f'[en]\nquestion = "{TOML_POISON} ')
    tags = data_copy / "tags.toml"
    text = tags.read_text(encoding="utf-8")
    networking = re.search(r'\[networking\]\nja = "([^"]*)"\nen = "([^"]*)"', text)
    assert networking, "tags.toml layout changed"
    text = text.replace(networking.group(0), f'[networking]\nja = "{networking.group(1)} {TOML_POISON}"\n'
                                             f'en = "{networking.group(2)} {TOML_POISON}"')
    text += f'\n["evil{TOML_POISON}"]\nja = "毒 {TOML_POISON}"\nen = "Poison {TOML_POISON}"\n'
    tags.write_text(text, encoding="utf-8")
    with (data_copy / "glossary.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[poison-term]\nja = ["毒物{TOML_POISON}"]\nen = ["poisonword {TOML_POISON}"]\n'
                f'definition.ja = "定義 {TOML_POISON}"\ndefinition.en = "Definition {TOML_POISON}"\n')
    kb = load_kb(data_copy)
    assert not kb.problems, [str(p) for p in kb.problems]
    assert "\x1b" in kb.entries["tcp-chimney"].question("en")  # the poison really is in the content
    return data_copy


ASK_EN = "Is TCP Chimney offload supported with live migration?"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("argv, visible", [
    (["ask", ASK_EN], ["RED", "CSI", "CR", "Product", "Chimney", "ENT", "FF"]),
    (["show", "tcp-chimney"], ["RED", "CSI", "CR", "Product", "Chimney", "ENT"]),
    (["search", "Chimney"], ["RED", "tcp-chimney"]),
    (["search", "poisonword"], []),
    (["list"], ["tcp-chimney", "RED"]),
    (["tags"], ["evil", "RED", "networking"]),
    (["glossary"], ["RED"]),
    (["glossary", "poisonword"], ["RED", "poisonword"]),
    (["glossary", "毒物"], ["RED"]),
    (["lint"], []),
])
def test_content_commands_print_no_control_characters(capsys, poisoned, lang, argv, visible):
    code, out, err = run(capsys, *argv, "--lang", lang, "--data", str(poisoned))
    assert code in (0, 1), err
    assert out.strip()
    assert_safe(out, *visible)
    assert_safe(err)


def test_ask_related_and_tag_labels_are_cleaned_in_english(capsys, poisoned):
    """The footer of an answer: tag labels, products and related questions come from content."""
    _code, out, _err = run(capsys, "ask", "--lang", "en", "--data", str(poisoned), ASK_EN)
    footer = out.split("Tags:", 1)[1]
    assert "^[" in footer  # made visible, not passed through
    assert_safe(footer, "Product", "RED")


def test_show_with_colours_on_emits_only_our_own_styles(capsys, poisoned, monkeypatch):
    """At a real terminal the printer adds its own SGR codes; nothing else may get through."""
    monkeypatch.setattr(cmd_kb, "_style", lambda args: Style(True))
    _code, out, _err = run(capsys, "show", "--lang", "en", "--data", str(poisoned), "tcp-chimney")
    assert OUR_SGR.search(out)  # styling is on
    assert "^[[31m" in out  # the content's own colour code is shown, not obeyed
    assert_safe(OUR_SGR.sub("", out), "RED", "CSI", "CR")


def test_ask_no_answer_echoes_the_query_harmlessly(capsys, poisoned):
    code, out, _err = run(capsys, "ask", "--lang", "en", "--data", str(poisoned),
                          "\x1b]0;pwned\x07 Macintosh \x9b2J price \rof apples")
    assert code == 1
    assert_safe(out, "Macintosh", "apples")


def test_search_query_with_escapes_is_harmless(capsys, poisoned):
    code, out, err = run(capsys, "search", "--data", str(poisoned), "\x1b[31mChimney\x9b\r")
    assert code in (0, 1)
    assert_safe(out)
    assert_safe(err)


@pytest.mark.parametrize("argv", [
    ["show", "--json", "tcp-chimney"], ["list", "--json"], ["tags", "--json"], ["glossary", "--json"],
    ["search", "--json", "Chimney"], ["ask", "--json", ASK_EN],
])
def test_json_output_escapes_controls_and_keeps_the_data(capsys, poisoned, argv):
    """JSON escapes C0 controls itself; C1 controls (U+0080-U+009F) must be escaped too."""
    _code, out, _err = run(capsys, *argv, "--lang", "en", "--data", str(poisoned))
    assert_safe(out)
    assert "\x9b" in json.dumps(json.loads(out), ensure_ascii=False)  # the data itself is intact


def test_warning_about_a_broken_file_with_a_hostile_name(capsys, poisoned):
    (poisoned / "entries" / "evil\x1b]0;pwned\x07\r.md").write_text(
        f"+++\nid = 1\n+++\n{BODY_POISON}\n", encoding="utf-8")
    code, out, err = run(capsys, "ask", "--json", "--data", str(poisoned), ASK_EN)
    assert code == 0 and json.loads(out)["answers"][0]["id"] == "tcp-chimney"
    assert "warning" in err
    assert_safe(err, "evil")
    code, out, err = run(capsys, "lint", "--data", str(poisoned))
    assert code == 1
    assert_safe(out + err, "evil")


def test_eval_misses_are_printed_harmlessly(capsys, poisoned, tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"q": "CSV \x1b[31m は必要\x9b\r", "expect": ["nope\x1b]0;t\x07"]}) + "\n",
                     encoding="utf-8")
    code, out, err = run(capsys, "eval", "--data", str(poisoned), str(cases))
    assert code == 0, err
    assert_safe(out, "CSV", "nope")


@pytest.mark.parametrize("argv", [
    ["calc", "migration-time", "--memory=8\x1b[31mGB", "--link=1Gbps"],
    ["calc", "migration-time", "--memory=8GB", "--link=\x9b1G", "--dirty-rate=5\r0"],
    ["calc", "max-concurrent-migrations", "--nodes=\x1b]0;t\x074"],
])
def test_calc_errors_echo_input_harmlessly(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert_safe(err)


def _poisoned_cluster(tmp_path: Path) -> Path:
    text = CLUSTER.read_text(encoding="utf-8")
    for old in ('name = "test"', 'name = "LM"', 'name = "hv03"', 'node = "hv01"', 'name = "app01"',
                'cpu_model = "Xeon E5-2670"', 'edition = "Datacenter"'):
        key, value = old.split(" = ")
        text = text.replace(old, f'{key} = "{value.strip(chr(34))}{TOML_POISON}"')
    text = text.replace('network = "LM"', f'network = "LM{TOML_POISON}"')
    text = text.replace('name = "hv01"', f'name = "hv01{TOML_POISON}"')
    text = text.replace('switches = ["External"]\ndirty', f'switches = ["Ext{TOML_POISON}"]\ndirty')
    path = tmp_path / "evil\x1b]0;t\x07.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_check_report_prints_cluster_names_harmlessly(capsys, tmp_path, lang):
    path = _poisoned_cluster(tmp_path)
    code, out, err = run(capsys, "check", "--lang", lang, str(path))
    assert code in (0, 1), err
    assert "[" in out and "RED" in out
    assert_safe(out, "hv01", "app01")
    code, out, _err = run(capsys, "check", "--json", "--lang", lang, str(path))
    assert_safe(out)
    json.loads(out)


def test_check_invalid_cluster_message_is_harmless(capsys, tmp_path):
    path = tmp_path / "bad\x9b.toml"
    path.write_text(f'[cluster]\nname = "x"\n\n[[nodes]]\nname = "n{TOML_POISON}"\nos = 1\n', encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "nodes[0]" in err
    assert_safe(err)


@pytest.fixture
def chimney_only(poisoned, monkeypatch, tmp_path):
    """`faq quiz` and `faq progress` over the poisoned entry alone, so its items are asked."""
    kb = load_kb(poisoned)
    kb.entries = {"tcp-chimney": kb.entries["tcp-chimney"]}
    monkeypatch.setattr(cmd_training, "load_content", lambda args: kb)
    monkeypatch.setenv("FAQ_DATA_HOME", str(tmp_path / "home"))
    return kb


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_quiz_and_progress_print_items_and_labels_harmlessly(capsys, monkeypatch, chimney_only, lang):
    items = len(chimney_only.entries["tcp-chimney"].quiz)
    monkeypatch.setattr(sys, "stdin", io.StringIO("\x1b[31m\n" + "1\n" * items))  # unreadable, then answers
    code, out, err = run(capsys, "quiz", "--lang", lang, "--profile", "kim", "--count", str(items))
    assert code == 0, err
    assert_safe(out, "RED", "^[")
    code, out, err = run(capsys, "progress", "--lang", lang, "--profile", "kim")
    assert code == 0, err
    assert_safe(out, "RED")  # the poisoned tag label and card id
    code, out, _err = run(capsys, "progress", "--json", "--profile", "kim")
    assert_safe(out)


def test_progress_all_with_a_tampered_store_is_harmless(capsys, chimney_only, tmp_path):
    """Profile names are validated on write, but the file may come from elsewhere."""
    from kb.training.store import open_store

    path = tmp_path / "home" / "progress.sqlite3"
    open_store(path, datetime.now(UTC)).close()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO profiles (name, created_at) VALUES (?, ?)",
                ("evil\x1b]0;pwned\x07\x9b\r", "2024-01-01T00:00:00.000000+00:00"))
    raw.commit()
    raw.close()
    code, out, err = run(capsys, "progress", "--all", "--lang", "en")
    assert code == 0, err
    assert_safe(out, "evil")
    code, out, err = run(capsys, "progress", "--lang", "en", "--profile", "kim")
    assert code == 0, err
    assert_safe(out, "evil")  # listed among the known profiles


# -- the helpers, for any text ---------------------------------------------------------------

ANY_CHAR = st.one_of(st.characters(), st.characters(max_codepoint=0x9F),
                     st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
MARKDOWN_PIECES = st.sampled_from(["&#13;", "&#x0d;", "&#12;", "&#27;", "&#x9b;", "&#155;", "&#7;", "&#0;", "&amp;",
                                   "`", "**", "*", "_", "\n", "\n\n", "- ", "1. ", "# ", "    ", "```\n", "<b>", "\\"])
hostile = st.lists(st.one_of(st.text(ANY_CHAR, max_size=8), MARKDOWN_PIECES), max_size=30).map("".join)


@given(hostile)
@settings(max_examples=300, deadline=None)
def test_clean_and_markdown_leave_no_control_character(text):
    for out in (clean(text), clean_line(text), render_markdown(text, Style(False))):
        assert not CONTROL.search(out), repr(out)
        out.encode("utf-8")  # printable on a UTF-8 stream: no lone surrogate left
    assert "\n" not in clean_line(text)
    styled = render_markdown(text, Style(True))
    assert not CONTROL.search(OUR_SGR.sub("", styled)), repr(styled)


def test_character_references_do_not_become_controls():
    out = render_markdown("a &#13; b &#x0c; c `&#13;` **d&#13;e**", Style(False))
    assert out == "a ^M b ^L c &#13; d^Me"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(ANY_CHAR, max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(ANY_CHAR, max_size=5), inner, max_size=4),
    max_leaves=12)


@given(json_values, st.sampled_from([None, 2]))
@settings(max_examples=300, deadline=None)
def test_dumps_json_escapes_every_control_and_round_trips(value, indent):
    text = dumps_json(value, indent=indent)
    assert not CONTROL.search(text)
    text.encode("utf-8")
    assert json.loads(text) == value
