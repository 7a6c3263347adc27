"""Issue 15, the command line as a daily driver: each test failed before its fix."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kb.checks.units import parse_link_mbps, parse_rate_mbps, parse_size_mb
from kb.errors import InputError
from tui.cli import training as cmd_training
from tui.cli.pager import pager_command, should_page
from tui.cli.parser import main
from tui.cli.pipe import PipeGuard
from tui.cli.render import cell_width, color_enabled, wrap_text

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[")

sys.path.insert(0, str(Path(__file__).parent / "data" / "training"))
import training_fixture_kb as fx  # noqa: E402


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def faq(*argv, env=None, **kwargs):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "tui.cli", *argv], capture_output=True, text=True,
                          env=full_env, cwd=ROOT, timeout=120, **kwargs)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


# -- 6. common options after `calc` ------------------------------------------------------------


def test_common_options_after_calc(capsys):
    code, out, err = run(capsys, "calc", "--json", "migration-time", "--memory", "8GB", "--link", "1Gbps")
    assert code == 0, err
    assert json.loads(out)["check"] == "migration-time"
    code, out, err = run(capsys, "calc", "--lang", "en", "max-concurrent-migrations", "--nodes", "6")
    assert code == 0, err
    assert "Live migrations at once: at most 3" in out


# -- 7. quiz --json ----------------------------------------------------------------------------


def test_quiz_json_prints_the_items_and_records_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FAQ_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(cmd_training, "load_content", lambda args: fx.knowledge_base())
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, _ = run(capsys, "--json", "quiz", "--count", "1", "--profile", "kim", "--lang", "en")
    data = json.loads(out)
    assert code == 0
    assert data["profile"] == "kim" and len(data["items"]) == 1
    assert set(data["items"][0]) == {"card_id", "entry", "kind", "prompt", "choices", "unit"}
    assert data["items"][0]["prompt"].startswith("Question ")
    assert "answer" not in data["items"][0]


# -- 8. colour ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("env", "setting", "tty", "expected"), [
    ({}, "auto", True, True),
    ({}, "auto", False, False),
    ({"NO_COLOR": "1"}, "auto", True, False),
    ({"NO_COLOR": "1"}, "always", True, False),  # the environment beats the settings file
    ({"NO_COLOR": ""}, "auto", True, True),  # no-color.org: set *and not empty*
    ({"TERM": "dumb"}, "auto", True, False),
    ({"TERM": "xterm-256color"}, "never", True, False),
    ({}, "always", False, True),
])
def test_color_decision(env, setting, tty, expected):
    stream = _Tty() if tty else io.StringIO()
    assert color_enabled(stream, env, setting) is expected


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_ansi_codes_with_no_color_or_a_dumb_terminal(monkeypatch, env):
    def show() -> str:
        out = _Tty()
        monkeypatch.setattr(sys, "stdout", out)
        assert main(["--lang", "en", "--no-pager", "show", "requirements"]) == 0
        return out.getvalue()

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert ANSI.search(show())  # a terminal gets colour...
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert not ANSI.search(show())  # ...unless it says it does not want any


# -- 9. wrapping -------------------------------------------------------------------------------


def test_show_wraps_at_the_terminal_width_without_splitting_words(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "--lang", "en", "show", "requirements")
    assert code == 0
    lines = out.splitlines()
    assert max(cell_width(line) for line in lines) <= 80
    words = re.findall(r"\S+", out)
    assert "Hyper-V" in words and "Hyp" not in words and "er-V" not in words
    monkeypatch.setenv("COLUMNS", "60")
    _, out, _ = run(capsys, "--lang", "ja", "show", "requirements")
    lines = [line for line in out.splitlines() if line.strip()]
    assert max(cell_width(line) for line in lines) <= 60
    assert not any(line.lstrip(" •")[:1] in "、。」）)" for line in lines)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_glossary_definitions_wrap_beside_the_names(monkeypatch, capsys, lang):
    monkeypatch.setenv("COLUMNS", "50")
    _, whole, _ = run(capsys, "--lang", lang, "--no-pager", "--data", "faq_data", "glossary", "--json")
    code, out, _ = run(capsys, "--lang", lang, "--no-pager", "glossary")
    assert code == 0
    lines = out.splitlines()
    assert max(cell_width(line) for line in lines) <= 50
    starts = [i for i, line in enumerate(lines) if not line.startswith(" ")]
    assert len(starts) == len(json.loads(whole))  # one name per term, continuation lines indented
    hang = {len(line) - len(line.lstrip(" ")) for line in lines if line.startswith(" ")}
    assert len(hang) == 1  # some definition wraps, and every continuation starts in its column
    column = hang.pop()
    terms = json.loads(whole)
    for term, begin, end in zip(terms, starts, [*starts[1:], len(lines)], strict=True):
        text = " ".join(line[column:] if i > begin else line for i, line in enumerate(lines[begin:end], begin))
        if lang == "en":  # nothing lost or split: the words are the definition's words
            words = term["definition"]["en"].split()
            assert text.split()[-len(words):] == words


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("one two three", 7, ["one two", "three"]),
    ("Hyper-V runs here", 4, ["Hyper-V", "runs", "here"]),  # a long word stays whole
    ("あいうえお", 6, ["あいう", "えお"]),  # wide: 2 columns each, break anywhere
    ("あい。うえ", 6, ["あい。", "うえ"]),  # 。 never starts a line...
    ("あいう。え", 6, ["あい", "う。え"]),  # ...so the character before it moves down with it
    ("ab「かき」", 4, ["ab", "「か", "き」"]),  # 「 never ends a line, 」 never starts one
    ("\x1b[1mbold\x1b[0m text", 4, ["\x1b[1mbold\x1b[0m", "text"]),  # codes take no room
])
def test_wrap_text(text, width, expected):
    assert wrap_text(text, width).split("\n") == expected


def test_no_wrapping_in_a_pipe(capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    _, out, _ = run(capsys, "--lang", "en", "show", "requirements")
    assert any(cell_width(line) > 100 for line in out.splitlines())  # whole paragraphs for grep


# -- 10. a closed pipe -------------------------------------------------------------------------


def _closed_pipe_run(*argv, env=None):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first write: every write fails with EPIPE
    try:
        return subprocess.run([sys.executable, "-m", "tui.cli", *argv], stdout=write, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    finally:
        os.close(write)


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_closed_pipe_keeps_the_exit_status_quietly(unbuffered):
    argv = ("--lang", "en", "calc", "migration-time", "--memory", "8GB", "--link", "1Gbps", "--dirty-rate", "200MB/s")
    alone = faq(*argv)
    assert alone.returncode == 1  # does not converge
    piped = _closed_pipe_run(*argv, env={"PYTHONUNBUFFERED": unbuffered})
    assert piped.returncode == 1
    assert piped.stderr == ""


def test_pipe_guard_diverts_to_devnull_after_epipe():
    read, write = os.pipe()
    stream = open(write, "w", encoding="utf-8")  # noqa: SIM115
    os.close(read)
    guard = PipeGuard(stream)
    guard.write("x" * 100_000)  # more than a pipe holds: the write itself fails
    guard.flush()
    assert guard.closed_pipe
    guard.write("more\n")
    guard.flush()  # to /dev/null now: no error
    stream.close()


# -- 11. units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "option", "hint"), [
    (["--memory", "8", "--link", "1Gbps"], "--memory", "8GB?"),
    (["--memory", "8GB", "--link", "1"], "--link", "1Gbps?"),
    (["--memory", "8GB", "--link", "1Gbps", "--dirty-rate", "50"], "--dirty-rate", "50MB/s?"),
    (["--memory", "1e-320", "--link", "1Gbps"], "--memory", "1e-320GB?"),
])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_bare_number_is_refused_with_a_hint(capsys, argv, option, hint, lang):
    code, out, err = run(capsys, "--lang", lang, "calc", "migration-time", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and option in err and hint.rstrip("?") in err
    assert ("単位がありません" in err) == (lang == "ja") and ("no unit" in err) == (lang == "en")


def test_require_unit_is_off_by_default():
    assert parse_size_mb("512") == 512 and parse_link_mbps("100") == 100 and parse_rate_mbps("50") == 50
    for parse in (parse_size_mb, parse_link_mbps, parse_rate_mbps):
        with pytest.raises(InputError):
            parse("8", "--x", require_unit=True)
    assert parse_size_mb("8GB", require_unit=True) == 8000


# -- 12. empty question, node counts -----------------------------------------------------------


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_is_one_line_exit_2(capsys, question):
    code, out, err = run(capsys, "--lang", "en", "ask", question)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "empty" in err and "faq search" not in err


@pytest.mark.parametrize("nodes", ["0", "1", "17", "-2"])
def test_node_counts_outside_2_to_16_are_one_line_exit_2(capsys, nodes):
    code, out, err = run(capsys, "--lang", "en", "calc", "max-concurrent-migrations", "--nodes", nodes)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--nodes" in err
    assert "between 2 and 16" in err or nodes.startswith("-")  # -2: not a count at all


def test_two_and_sixteen_nodes_are_computed(capsys):
    assert run(capsys, "calc", "max-concurrent-migrations", "--nodes", "2")[0] == 0
    assert run(capsys, "calc", "max-concurrent-migrations", "--nodes", "16")[0] == 0


# -- 13. small wording defects -----------------------------------------------------------------


def test_glossary_term_lists_each_spelling_once(capsys):
    code, out, _ = run(capsys, "--lang", "en", "glossary", "CSV")
    assert code == 0
    head = out.splitlines()[0]
    spellings = [s.strip() for s in head.split("(", 1)[1].rstrip(")").split(",")]
    assert len(spellings) == len(set(spellings)) and "CSV" in spellings
    assert head.split("  (")[0] not in spellings  # the name shown is not repeated


def test_progress_most_missed_shows_the_question(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FAQ_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(cmd_training, "load_content", lambda args: fx.knowledge_base())
    from datetime import UTC, datetime

    from kb.training.items import collect_items
    from kb.training.session import build_queue

    # Every item right but alpha/a2, in whatever order the session asks them.
    asked = build_queue(collect_items(fx.entries()), {}, datetime.now(UTC), entries=fx.entries())
    typed = [fx.answer(item, item.card_id != "alpha/a2") for item in asked]
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{t}\n" for t in typed)))
    assert main(["quiz", "--lang", "en", "--profile", "kim"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "progress", "--lang", "en", "--profile", "kim")
    missed = out.split("Most missed", 1)[1]
    assert "Question alpha/a2?" in missed and "alpha/a2 " not in missed
    assert "4 answers" in out and "streak 1 day," in out  # proper singular and plural


def test_english_plurals(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FAQ_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(cmd_training, "load_content", lambda args: fx.knowledge_base())
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    _, out, _ = run(capsys, "quiz", "--lang", "en", "--profile", "kim", "--count", "1")
    assert "1 item (" in out and "item(s)" not in out
    _, out, _ = run(capsys, "check", "--lang", "en", str(ROOT / "faq_data" / "examples" / "cluster-broken.toml"))
    assert "(s)" not in out and re.search(r"\d+ errors?, \d+ warnings?, \d+ info", out)


def test_eval_misses_in_japanese_have_no_english(capsys, tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"q": "Macintosh の値段はいくらですか", "expect": ["requirements"]}) + "\n",
                     encoding="utf-8")
    code, out, _ = run(capsys, "--lang", "ja", "eval", str(cases))
    assert code == 0
    assert "答えなし" in out and "none" not in out and "closest" not in out
    _, out, _ = run(capsys, "--lang", "ja", "--json", "eval", str(cases))
    [miss] = json.loads(out)["misses"]
    assert miss["got"] == [] and isinstance(miss["closest"], list)


# -- 16. the bundled examples ------------------------------------------------------------------


def test_examples_lists_and_prints_the_bundled_files(capsys):
    code, out, _ = run(capsys, "--lang", "en", "examples")
    assert code == 0 and "cluster-broken" in out and "faq check" in out
    code, out, _ = run(capsys, "examples", "cluster")
    assert code == 0 and out == (ROOT / "faq_data" / "examples" / "cluster.toml").read_text(encoding="utf-8")
    code, _, err = run(capsys, "--lang", "en", "examples", "clustr")
    assert code == 2 and "did you mean cluster" in err


def test_examples_are_found_in_the_wheel_layout(tmp_path):
    # What `pip install .` lays out: the packages, and faq_data force-included as kb/_data.
    site = tmp_path / "site"
    for package in ("kb", "tui"):
        shutil.copytree(ROOT / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "faq_data", site / "kb" / "_data")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("FAQ_DATA", "PYTHONPATH")}
    env["PYTHONPATH"] = str(site)
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--lang", "en", "--json", "examples"], cwd=elsewhere,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    paths = {e["name"]: e["path"] for e in json.loads(proc.stdout)}
    assert Path(paths["cluster"]) == site / "kb" / "_data" / "examples" / "cluster.toml"
    saved = elsewhere / "mine.toml"
    with saved.open("w") as handle:
        subprocess.run([sys.executable, "-m", "tui.cli", "examples", "cluster"], cwd=elsewhere, env=env,
                       stdout=handle, check=True, timeout=120)
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "check", str(saved)], cwd=elsewhere, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- --version, did you mean -------------------------------------------------------------------


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert re.fullmatch(r"faq \S+\n", capsys.readouterr().out)


@pytest.mark.parametrize(("argv", "suggestion"), [
    (["shw", "x"], "show"),
    (["show", "concurent-migrations"], "concurrent-migrations"),
    (["glossary", "migraton"], "live migration"),
    (["calc", "max-concurent", "--nodes", "3"], "max-concurrent-migrations"),
])
@pytest.mark.parametrize(("lang", "words"), [("en", "did you mean"), ("ja", "もしかして")])
def test_did_you_mean(capsys, argv, suggestion, lang, words):
    code, _, err = run(capsys, "--lang", lang, *argv)
    assert code == 2
    last = err.strip().splitlines()[-1]
    assert words in last and suggestion in last.split(words, 1)[1]


def test_nothing_close_suggests_nothing(capsys):
    code, _, err = run(capsys, "--lang", "en", "show", "zzzzqqqq")
    assert code == 2 and "did you mean" not in err


# -- $PAGER ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "less"), ({"PAGER": "more"}, "more"), ({"PAGER": "cat"}, None), ({"PAGER": ""}, None),
    ({"PAGER": "more", "FAQ_PAGER": "cat"}, None),
])
def test_pager_command(env, expected):
    assert pager_command(env) == expected


def test_should_page_only_a_tall_text_on_a_terminal():
    tall, short = "\n".join(["line"] * 30), "one\ntwo"
    assert should_page(tall, _Tty(), rows=24)
    assert not should_page(short, _Tty(), rows=24)
    assert not should_page(tall, io.StringIO(), rows=24)


def _show_on_a_pty(tmp_path, *extra, pager_env=None):
    paged = tmp_path / "paged"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LINES": "10", "COLUMNS": "80",
           "PAGER": f"cat > {paged}; echo \"$LESS\" > {paged}.less", **(pager_env or {})}
    env.pop("LESS", None)
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "tui.cli", "--lang", "en", "show", "requirements", *extra],
                              stdout=follower, stderr=subprocess.PIPE, env=env, cwd=ROOT, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 0, proc.stderr
    return paged


def test_show_pages_a_long_entry_on_a_terminal(tmp_path):
    paged = _show_on_a_pty(tmp_path)
    assert "What are the requirements" in paged.read_text(encoding="utf-8")
    assert (tmp_path / "paged.less").read_text().strip() == "FRX"


def test_no_pager_and_pager_cat_print_directly(tmp_path):
    assert not _show_on_a_pty(tmp_path, "--no-pager").exists()
    assert not _show_on_a_pty(tmp_path, pager_env={"PAGER": "cat"}).exists()


def _on_a_pty(tmp_path, *argv, piped=False, extra_env=None):
    """Run `faq ARGV` with stdout on a terminal 10 lines tall (or a pipe); what the pager got, and stdout."""
    paged = tmp_path / "paged"
    paged.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LINES": "10", "COLUMNS": "80", "FAQ_DATA_HOME": str(tmp_path),
           "PAGER": f"cat > {paged}", **(extra_env or {})}
    if piped:
        proc = subprocess.run([sys.executable, "-m", "tui.cli", "--lang", "en", *argv], capture_output=True,
                              env=env, cwd=ROOT, timeout=120)
        return (paged.read_text(encoding="utf-8") if paged.exists() else None), proc.stdout.decode()
    leader, follower = pty.openpty()
    shown: list[bytes] = []

    def drain() -> None:  # a terminal's buffer is small: read it, or a long output blocks
        with contextlib.suppress(OSError):
            while chunk := os.read(leader, 65536):
                shown.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run([sys.executable, "-m", "tui.cli", "--lang", "en", *argv],
                              stdout=follower, stderr=subprocess.PIPE, env=env, cwd=ROOT, timeout=120)
    finally:
        os.close(follower)
        reader.join(timeout=10)
        os.close(leader)
    assert b"Traceback" not in proc.stderr, proc.stderr
    return (paged.read_text(encoding="utf-8") if paged.exists() else None), b"".join(shown).decode(errors="replace")


@pytest.mark.parametrize(("argv", "expected"), [
    (["list"], "what-is-live-migration"),
    (["glossary"], "Cluster Shared Volumes"),
    (["search", "--limit", "20", "migration"], "[what-is-live-migration]"),
])
def test_long_lists_page_on_a_terminal_as_show_does(tmp_path, argv, expected):
    paged, _ = _on_a_pty(tmp_path, *argv)
    assert paged is not None and expected in paged and paged.count("\n") > 10
    assert _on_a_pty(tmp_path, *argv, "--no-pager")[0] is None
    assert _on_a_pty(tmp_path, *argv, extra_env={"PAGER": "cat"})[0] is None


@pytest.mark.parametrize("argv", [["list", "--json"], ["glossary", "--json"], ["search", "--json", "migration"]])
def test_json_is_never_paged(tmp_path, argv):
    paged, shown = _on_a_pty(tmp_path, *argv)
    assert paged is None and shown.lstrip().startswith(("[", "{"))


def test_a_pipe_is_never_paged(tmp_path):
    paged, out = _on_a_pty(tmp_path, "list", piped=True)
    assert paged is None and "what-is-live-migration" in out


def test_a_short_output_is_printed_not_paged(tmp_path):
    assert _on_a_pty(tmp_path, "glossary", "CSV")[0] is None  # one term: a few lines


def test_progress_and_gaps_page_too(tmp_path):
    data_home = {"FAQ_DATA_HOME": str(tmp_path)}
    log = {**data_home, "FAQ_NO_LOG": ""}
    for n in range(12):  # twelve unanswered questions of different shapes: a long gaps report
        subprocess.run([sys.executable, "-m", "tui.cli", "ask", f"Macintosh price number {n} zebra{n}"],
                       capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT), **log}, cwd=ROOT,
                       timeout=120)
    paged, _ = _on_a_pty(tmp_path, "gaps", extra_env=log)
    assert paged is not None and "Macintosh" in paged
    assert _on_a_pty(tmp_path, "gaps", "--json", extra_env=log)[0] is None
    paged, _ = _on_a_pty(tmp_path, "progress", "--profile", "kim")
    assert paged is not None and "kim" in paged
    assert _on_a_pty(tmp_path, "progress", "--profile", "kim", "--csv")[0] is None


def test_zero_needs_no_unit(capsys):
    code, _, err = run(capsys, "calc", "migration-time", "--memory", "8GB", "--link", "1Gbps", "--dirty-rate", "0")
    assert code == 0, err
