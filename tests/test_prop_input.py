"""Bad input, property-based: any query, any calculator value, any cluster file gives an answer or a message.

Never an exception, never a traceback, never a non-finite number in JSON. Time is bounded
by the inputs (queries are cut to 1000 characters by the engine), not asserted.
"""

from __future__ import annotations

import io
import json
import math
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb.checks import (
    checks_for_question,
    extract_parameters,
    max_concurrent_migrations,
    migration_time,
)
from kb.checks.units import ABSURD
from kb.errors import InputError
from kb.retrieval.engine import MAX_QUERY_CHARS, AskResult, SearchHit
from kb.retrieval.engine import THRESHOLD as CONFIDENCE_THRESHOLD
from kb.text.analysis import morph_terms, normalize
from tests.hand_worked import PAIRS
from tui.cli.parser import main
from tui.safe import from_terminal

CLUSTER = Path(__file__).parent / "data" / "clusters" / "good.toml"
FIXTURE_SETTINGS = settings(max_examples=60, deadline=None,
                            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Pieces that exercise Whoosh's syntax, the analysers and the parameter extractor.
PIECES = ["AND", "OR", "NOT", "(", ")", '"', "'", ":", "tag:", "tags:", "field:", "text_ja:", "id:x", "^2",
          "~", "~2", "\\", "-", "+", "?", "a?c", "live*", "ライブ*", "ライブ", "マイグレーション", "migration",
          "CSV", "TCP Chimney", "\x1b[31m", "\x1b]0;t\x07", "\x9b", "\r", "\x00", "\t", "８GB", "4 ノード",
          "十六", "一〇〇〇", "10GbE", "50MB/s", "1e308GB", "nan GB", "-1 nodes", "𠮷", "مرحبا", "Привет",
          "\u202e", "\ufeff", "\u3000", "\u200b", "e\u0301", "ｶﾀｶﾅ", "Windows Server 2008 R2", "TO", "*",
          "[", "]", "{", "}", "[a TO b]", "{a TO}", "/regex/", "&&", "||", "!", "%", "$", "#", "@"]
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

soup = st.lists(st.sampled_from(PIECES), max_size=12)
any_text = st.one_of(
    st.text(max_size=300),
    soup.map(" ".join),
    soup.map("".join),
    st.tuples(st.text(max_size=40), soup.map(" ".join), st.text(max_size=40)).map("".join),
)
# Everything, including lone surrogates: what undecodable bytes on a command line become.
any_text_at_all = st.one_of(any_text, st.text(st.one_of(st.characters(), SURROGATES), max_size=50))


def _finite_json(obj: object) -> str:
    """JSON as strict parsers (jq, browsers) read it: no NaN, no Infinity."""
    return json.dumps(obj, allow_nan=False)


def _strict_loads(text: str) -> object:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def check_ask(engine, question: str) -> AskResult:
    result = engine.ask(question, top=3, lang="en")
    assert result.query == question
    assert isinstance(result.answers, list) and isinstance(result.candidates, list)
    assert len(result.candidates) <= 3
    assert set(a.id for a in result.answers) <= set(a.id for a in result.candidates)
    for answer in result.candidates:
        assert answer.id in engine.kb.entries
        assert 0.0 <= answer.confidence <= 1.0 and math.isfinite(answer.score)
    assert all(a.confidence >= CONFIDENCE_THRESHOLD for a in result.answers)
    confidences = [a.confidence for a in result.candidates]
    assert confidences == sorted(confidences, reverse=True)
    _finite_json(result.to_json("en"))
    return result


# What a snippet marks: each word of the query (split at spaces and syntax, without its
# field prefix, operators aside) and each of that word's morphemes, wherever it occurs.
_QUERY_WORD_SPLIT = re.compile(r"[\s\"'():*?~^\[\]{}]+")


def _markable(terms: str) -> set[str]:
    words = {w.split(":", 1)[-1] for w in _QUERY_WORD_SPLIT.split(terms[:MAX_QUERY_CHARS])
             if w and w.upper() not in ("AND", "OR", "NOT")}
    return {normalize(w) for w in words} | {m for w in words for m in morph_terms(normalize(w))}


def check_search(engine, terms: str) -> list[SearchHit]:
    hits = engine.search(terms, limit=5, lang="ja")
    assert isinstance(hits, list) and len(hits) <= 5
    assert len({h.id for h in hits}) == len(hits)
    markable = _markable(terms) if any(h.snippet.spans for h in hits) else set()
    for hit in hits:
        assert hit.id in engine.kb.entries and math.isfinite(hit.score)
        spans = hit.snippet.spans
        assert all(0 <= s < e <= len(hit.snippet.text) for s, e in spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # ordered, not overlapping
        # Each span covers a word of the query exactly: not the "…" a cut window starts
        # with, not a character to either side.
        marked = [hit.snippet.text[s:e] for s, e in spans]
        assert all(m.lower() in markable for m in marked), (terms, hit.snippet.text, marked)
    return hits


# -- queries ---------------------------------------------------------------------------------


@given(any_text)
@settings(max_examples=200, deadline=None)
@example("")
@example("*")
@example("?" * 50)
@example('"unclosed (paren AND')
def test_ask_any_text_gives_a_result_or_no_answer(engine, question):
    check_ask(engine, question)


@given(any_text)
@settings(max_examples=200, deadline=None)
@example("")
@example("*")
@example("VSS")  # matched only deep in its entry: the snippet starts with "…"
@example("CSV OR *")
@example("[a TO b]")
@example("{ライブ TO}")
@example('"unclosed (paren AND')
@example("tag: field: NOT")
@example("tag:networking -CSV")
def test_search_any_text_gives_hits_or_none(engine, terms):
    check_search(engine, terms)


@given(any_text_at_all)
@settings(max_examples=100, deadline=None)
@example("\udcff")
def test_ask_truly_any_string(engine, question):
    check_ask(engine, question)


@given(any_text_at_all)
@settings(max_examples=100, deadline=None)
@example("\udcff")
@example("ライブ\udcff")
def test_search_truly_any_string(engine, terms):
    hits = check_search(engine, terms)
    # A lone surrogate is an unknown character, U+FFFD, like any other.
    assert [h.id for h in hits] == [h.id for h in engine.search(LONE_SURROGATE.sub("\ufffd", terms), limit=5)]


def test_ask_with_a_lone_surrogate(engine):
    result = engine.ask("ライブ マイグレーション\udcff")
    assert result.query.endswith("\udcff")  # echoed as given
    plain = engine.ask("ライブ マイグレーション")
    assert plain.answers and result.answers == plain.answers  # and otherwise no word at all


def test_search_with_a_lone_surrogate(engine):
    # The undecodable byte is an unknown character: the hits are those of the word beside it.
    hits = check_search(engine, "ライブ\udcff")
    assert hits and [h.id for h in hits] == [h.id for h in engine.search("ライブ", limit=5)]
    assert all(hit.snippet.spans for hit in hits)


def test_a_100_kb_query_is_answered(engine):
    question = ("ライブ マイグレーション CSV (AND \"x\x1b[31m " * 4000)[:100_000]
    assert len(question) == 100_000
    result = check_ask(engine, question)
    assert result.query == question  # echoed whole; only the analysis is cut
    check_search(engine, question)
    check_search(engine, "a" * 100_000)


@pytest.mark.parametrize("question", ["", "   "])
def test_faq_ask_json_refuses_an_empty_question_as_a_usage_error(capsys, question):
    # Issue 15: an empty question is a usage error in every output mode (exit 2, one line).
    code = main(["ask", "--json", "--", question])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1


@pytest.mark.parametrize("question", [
    "?!?!…。、", '"((( AND', "tag:", "\x1b]0;pwned\x07\x9b\r", "ライブ\udcff移行",
    "8 GB の VM を " + "9" * 5000 + " ノードで", "一" * 5000 + "GB", "x" * 100_000,
], ids=lambda q: ascii(q[:20]) + (f"...{len(q)}" if len(q) > 20 else ""))
def test_faq_ask_json_always_answers_in_json(capsys, question):
    code = main(["ask", "--json", "--", question])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "Traceback" not in err and err == ""
    data = _strict_loads(out)
    assert data["query"] == from_terminal(question)
    assert isinstance(data["answers"], list) and (code == 0) == bool(data["answers"])


def test_faq_ask_stdin_answers_every_line_in_order(capsys, monkeypatch):
    lines = ["*", "\udcff\udcfe", "CSV は必要ですか", '"', "\x00\x1b", "4 ノード 〇〇〇〇〇〇〇〇〇〇〇〇 台"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["ask", "--json", "-"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert [_strict_loads(x)["query"] for x in out.splitlines()] == [from_terminal(x) for x in lines]


@pytest.mark.parametrize("terms", ["", "*", "[a TO b]", "ライブ\udcff", "tag:", '"', "NOT"])
def test_faq_search_json_never_a_traceback(capsys, terms):
    code = main(["search", "--json", "--", terms])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in err
    assert isinstance(_strict_loads(out)["hits"], list)


# -- parameters from questions ---------------------------------------------------------------


@given(any_text)
@settings(max_examples=300, deadline=None)
@example("9" * 5000 + " nodes")
@example("ノード数は " + "9" * 5000)
@example("〇" * 5000 + " ノード")
@example("一" * 5000 + "GB のメモリ")
@example("1" + "0" * 400 + " GB, 10GbE")
def test_extracted_parameters_are_finite_and_in_range(question):
    found = extract_parameters(question)
    assert set(found) <= {"nodes", "memory_mb", "link_mbps", "dirty_rate_mbps"}
    for key, value in found.items():
        assert math.isfinite(value) and 0 <= value <= ABSURD, (key, value)
    if "nodes" in found:
        assert isinstance(found["nodes"], int)
    for result in checks_for_question(question, ["max-concurrent-migrations", "migration-time",
                                                 "cluster-validator"]):
        assert result.check in ("max-concurrent-migrations", "migration-time")
        _finite_json(result.to_json("ja"))


@pytest.mark.parametrize("question", ["9" * 5000 + " nodes", "ノード数は " + "9" * 5000, "〇" * 5000 + "ノード"],
                         ids=["digits-nodes", "nodes-digits", "kanji-zeros"])
def test_an_absurdly_long_number_is_no_node_count(question):
    """Python refuses int() over 4300 digits; such a run is simply not a parameter."""
    assert "nodes" not in extract_parameters(question)


# -- calculators -----------------------------------------------------------------------------

MIGRATION_FIELDS = {"memory_mb", "link_mbps", "dirty_rate_mbps", "efficiency"}


@given(memory=st.floats(), link=st.floats(), dirty=st.none() | st.floats(),
       efficiency=st.floats(allow_nan=True, allow_infinity=True))
@settings(max_examples=300, deadline=None)
@example(memory=8000.0, link=1e-320, dirty=None, efficiency=0.7)
@example(memory=8000.0, link=1000.0, dirty=None, efficiency=1e-320)
@example(memory=1e-320, link=1000.0, dirty=1e-320, efficiency=0.7)
@example(memory=1e308, link=1e308, dirty=1e308, efficiency=1.0)
def test_migration_time_refuses_with_the_field_or_gives_finite_figures(memory, link, dirty, efficiency):
    try:
        result = migration_time(memory, link, dirty, efficiency=efficiency)
    except InputError as exc:
        assert exc.field in MIGRATION_FIELDS
        return
    assert all(math.isfinite(x) and x > 0 for x in (memory, link, efficiency))
    _finite_json(result.to_json("en"))
    if result.value is not None:
        assert result.value >= 0 and result.extra["pause_seconds"] <= result.value
        assert 1 <= result.extra["passes"] <= 10


@given(st.one_of(st.integers(min_value=-2, max_value=20), st.integers(min_value=-(10**30), max_value=10**30)))
@settings(max_examples=200, deadline=None)
def test_max_concurrent_for_any_whole_number(nodes):
    result = max_concurrent_migrations(nodes)
    assert result.ok == (1 <= nodes <= 16)
    assert result.value == PAIRS.get(nodes)  # worked by hand; None outside 1..16
    assert str(nodes) in result.explain("en")


EDGES = ["0", "-0", "-1", "nan", "-nan", "inf", "-inf", "1e308", "1e999", "1e-320", "0x10", "1_000", "", " ",
         "٣", "8\x00GB"]
# (option, value) pairs that are fine: no dirtying at all. Any other bare number is refused
# for want of a unit (issue 15: "--memory 8" was 8 MB), so "1e-320" and "٣" are too.
ACCEPTED = {("--dirty-rate", "0"), ("--dirty-rate", "-0")}


def _calc(capsys, option: str, value: str) -> tuple[int, str, str]:
    args = {"--memory": "8GB", "--link": "1Gbps"}
    args[option] = value
    argv = ["calc", "migration-time", "--json", *(f"{k}={v}" for k, v in args.items())]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("option", ["--memory", "--link", "--dirty-rate", "--efficiency"])
@pytest.mark.parametrize("value", EDGES)
def test_calc_edge_numbers_are_refused_naming_the_option(capsys, option, value):
    code, out, err = _calc(capsys, option, value)
    if (option, value) in ACCEPTED or (option == "--efficiency" and value == "٣"):
        # "٣" is an Arabic-Indic 3: NFKC does not fold it, float() reads it; 3 > 1 is refused below.
        if option == "--efficiency":
            assert code == 2 and err.startswith("faq: --efficiency: ")
            return
        assert code in (0, 1) and err == ""
        _strict_loads(out)
        return
    assert (code, out) == (2, "")
    assert err.startswith(f"faq: {option}: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


# The command line takes 2..16 nodes (issue 15); anything else is a usage error.
@pytest.mark.parametrize("value, code", [("0", 2), ("1", 2), ("2", 0), ("16", 0), ("17", 2), ("-1", 2), ("nan", 2),
                                          ("inf", 2), ("1e308", 2), ("1.5", 2), ("", 2), ("〇" * 5000, 2),
                                          ("9" * 5000, 2), ("一" * 5000, 2)],
                         ids=lambda v: ascii(v[:6]) + (f"...{len(v)}" if len(v) > 6 else "") if isinstance(v, str)
                         else str(v))
def test_calc_nodes_edges(capsys, value, code):
    got = main(["calc", "max-concurrent-migrations", "--json", f"--nodes={value}"])
    out, err = capsys.readouterr()
    assert got == code, err
    if code == 2:
        assert out == "" and err.startswith("faq: --nodes: ") and err.count("\n") == 1
    else:
        assert _strict_loads(out)["ok"] is (code == 0)


@given(option=st.sampled_from(["--memory", "--link", "--dirty-rate", "--efficiency"]),
       value=st.one_of(st.text(max_size=30), soup.map("".join),
                       st.tuples(st.floats().map(repr), st.sampled_from(["", "GB", "GiB", "Mbps", "MB/s", "ギガ"]))
                       .map("".join)))
@FIXTURE_SETTINGS
def test_calc_any_value_gives_a_result_or_one_line(capsys, option, value):
    code, out, err = _calc(capsys, option, value)
    assert "Traceback" not in err
    if code == 2:
        assert out == "" and err.startswith(f"faq: {option}: ") and err.count("\n") == 1
    else:
        assert code in (0, 1) and err == ""
        _strict_loads(out)


# -- cluster files ---------------------------------------------------------------------------

GOOD = CLUSTER.read_text(encoding="utf-8")


def _set(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


NUMBER_FIELDS = [  # (field as reported, the line in good.toml to change, key)
    ("vms[0].memory_gb", "memory_gb = 7", "memory_gb"),
    ("networks[1].speed_gbps", "speed_gbps = 10", "speed_gbps"),
    ("vms[0].dirty_rate_mbps", "dirty_rate_mbps = 0", "dirty_rate_mbps"),
]
TOML_EDGES = ["0", "-0.0", "-1", "nan", "-nan", "inf", "-inf", "1e308", "1e400", "1e-320", "99999999999999999999",
              "0x7fffffffffffffff", '"8"', "true", "[]", "{}", "1979-05-27"]
OK_IN_FILE = {("dirty_rate_mbps", "0"), ("dirty_rate_mbps", "-0.0"), ("dirty_rate_mbps", "1e-320"),
              ("memory_gb", "1e-320")}


@pytest.mark.parametrize("field, line, key", NUMBER_FIELDS)
@pytest.mark.parametrize("value", TOML_EDGES)
def test_cluster_edge_numbers_are_refused_naming_file_line_and_field(capsys, tmp_path, field, line, key, value):
    text = _set(GOOD, line, f"{key} = {value}")
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["check", "--json", str(path)])
    out, err = capsys.readouterr()
    if (key, value) in OK_IN_FILE:
        assert code in (0, 1) and err == ""
        _strict_loads(out)
        return
    assert (code, out) == (2, ""), err
    assert err.startswith(f"faq: {path}:{_line_of(text, f'{key} = {value}')}: {field}: "), err
    assert err.count("\n") == 1


TOML_VALUES = st.one_of(
    st.sampled_from(TOML_EDGES + ['""', '" "', '"x"', '"\\u001b[31m"', "[1, 2]", '["a", 1]', "[{}]",
                                  '{ name = "a" }', '"10.0.0.1/33"', '"::1/128"', '"C:"', '"core"', "07:32:00"]),
    st.floats().map(lambda f: repr(f).replace("nan", "nan").replace("inf", "inf")),
    st.integers().map(str),
    st.text(max_size=20).map(json.dumps),
)


@st.composite
def mutated_cluster(draw: st.DrawFn) -> str:
    """good.toml with a few of: a value replaced, a line dropped, duplicated or cut short, junk added."""
    lines = GOOD.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        n = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "value", "value", "drop", "duplicate", "cut", "junk"]))
        line = lines[n]
        if action == "value" and " = " in line:
            lines[n] = line.split(" = ", 1)[0] + " = " + draw(TOML_VALUES)
        elif action == "drop":
            del lines[n]
        elif action == "duplicate":
            lines.insert(n, line)
        elif action == "cut":
            lines[n] = line[: draw(st.integers(0, len(line)))]
        elif action == "junk":
            lines.insert(n, draw(st.sampled_from(["[[vms]]", "[[nodes]]", "[cluster]", "x = 1", "[", "]]", "'''",
                                                  '"""', "= 1", "\x1b[31m", "[[networks]]\nname = \"LM\""])))
        if not lines:
            break
    return "\n".join(lines) + "\n"


@given(mutated_cluster())
@FIXTURE_SETTINGS
@example(GOOD.replace('speed_gbps = 10', 'speed_gbps = 1e-320'))
def test_any_cluster_file_gives_a_report_or_one_line(capsys, tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["check", "--json", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if code == 2:
        assert out == "" and err.startswith(f"faq: {path}") and err.count("\n") == 1, err
    else:
        assert code in (0, 1) and err == ""
        report = _strict_loads(out)
        assert (code == 1) == (report["summary"]["errors"] > 0)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\xff\xfe[\x00c\x00", GOOD.encode("utf-16"),
                                  GOOD.encode("utf-8")[:200], b"\x00" * 64, GOOD.replace("\n", "\r").encode()])
def test_cluster_file_bytes_give_one_line(capsys, tmp_path, data):
    path = tmp_path / "c.toml"
    path.write_bytes(data)
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith(f"faq: {path}") and err.count("\n") == 1 and "Traceback" not in err
