"""Shell completion: the scripts, and `faq __complete` answering them from the parser and the files."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.checks import LOAD_DIRTY_RATE
from tui.cli import main
from tui.cli.completion import FILES, _quoted, complete
from tui.cli.parser import build_parser

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def faq_on_path(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose `faq` is this worktree's, as an installed console script would be."""
    bin_dir = tmp_path_factory.mktemp("bin")
    wrapper = bin_dir / "faq"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m tui.cli "$@"\n')
    wrapper.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def _bash(env: dict[str, str], words: str, cword: int) -> list[str]:
    script = (f'source <(faq completion bash); COMP_WORDS=({words}); COMP_CWORD={cword}; _faq; '
              'printf "%s\\n" "${COMPREPLY[@]}"')
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, cwd="/", timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [line for line in proc.stdout.splitlines() if line]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_subcommands_and_entry_ids(faq_on_path):
    assert _bash(faq_on_path, "faq sh", 1) == ["show"]
    # "con" starts two entry ids (concurrent-migrations, config-refresh); "conc" only one.
    assert "concurrent-migrations" in _bash(faq_on_path, "faq show con", 2)
    assert _bash(faq_on_path, "faq show conc", 2) == ["concurrent-migrations"]
    assert _bash(faq_on_path, "faq calc migration-time --lo", 3) == ["--load"]


@pytest.mark.parametrize(("words", "expected"), [
    (["sh"], ["show"]),
    (["show", "conc"], ["concurrent-migrations"]),
    (["calc", ""], ["max-concurrent-migrations", "migration-time"]),
    (["calc", "migration-time", "--load", ""], list(LOAD_DIRTY_RATE)),  # the calculator's own loads
    (["--lang", ""], ["ja", "en"]),
    (["--lang", "en", "sho"], ["show"]),
    (["completion", ""], ["bash", "zsh", "fish"]),
    (["config", "set", "col"], ["color"]),
    (["config", "set", "color", ""], ["auto", "always", "never"]),
    (["examples", "cluster-"], ["cluster-broken"]),
    (["check", ""], [FILES]),
    (["search", "--tag", "netw"], ["networking"]),
])
def test_complete(words, expected):
    assert complete(words) == expected


def test_complete_glossary_terms_and_options():
    assert "csv" in complete(["glossary", "cs"])
    options = complete(["show", "--"])
    assert {"--json", "--lang", "--tui", "--no-pager"} <= set(options)
    assert "__complete" not in complete([""])


def test_complete_profiles_from_the_progress_file(tmp_path, monkeypatch):
    from datetime import UTC, datetime

    from kb.training.store import open_store

    monkeypatch.setenv("FAQ_DATA_HOME", str(tmp_path))
    with open_store(tmp_path / "progress.sqlite3", datetime.now(UTC)) as store:
        store._conn.execute("INSERT INTO profiles (name, created_at) VALUES ('alice', '2024-01-01T00:00:00Z')")
        store._conn.commit()
    assert complete(["quiz", "--profile", "al"]) == ["alice"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script(capsys, shell):
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "faq __complete" in script and "__files__" in script


def test_complete_never_fails_loudly(capsys):
    assert main(["__complete", "--data", "/no/such/folder", "show", ""]) == 0
    assert capsys.readouterr().err == ""


# -- zsh and fish: neither shell is on this machine, so the scripts' structure is checked ----------


def _parser_subcommands() -> dict[str, str]:
    """What `faq --help` lists: each visible subcommand and its help, read off the parser itself."""
    parser = build_parser((), lang="en")
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return {a.dest: " ".join(a.help.split()) for a in sub._choices_actions if a.help and a.help != "==SUPPRESS=="}


def _script(capsys, shell: str) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def _fish_words(line: str) -> list[str]:
    """A fish command line split into words: single quotes take \\ and \\' escapes, as fish reads them."""
    words, word, quoted, i = [], "", False, 0
    while i < len(line):
        ch = line[i]
        if quoted and ch == "\\" and i + 1 < len(line) and line[i + 1] in "\\'":
            word, i = word + line[i + 1], i + 2
            continue
        if ch == "'":
            quoted = not quoted
        elif ch == " " and not quoted:
            if word:
                words.append(word)
            word = ""
        else:
            word += ch
        i += 1
    assert not quoted, f"unclosed quote: {line}"
    return [*words, word] if word else words


def test_the_zsh_script_describes_every_subcommand_of_the_parser(capsys):
    script = _script(capsys, "zsh")
    lines = script.strip().splitlines()
    assert lines[0] == "#compdef faq" and lines[-1] == "compdef _faq faq"
    block = re.search(r"subcommands=\(\n(.*?)\n\s*\)", script, re.DOTALL)
    assert block is not None
    described = dict(item.split(":", 1) for item in shlex.split(block.group(1)))
    assert described == _parser_subcommands()
    # Shaped as zsh reads it: braces, ifs and quotes balance; the describer and the fallback are there.
    body = re.sub(r"'[^']*'", "", script)
    assert body.count("{") == body.count("}") and len(re.findall(r"\bif\b", body)) == len(re.findall(r"\bfi\b", body))
    assert "_describe -t commands" in script and 'faq __complete "${(@)words[2,CURRENT]}"' in script


def test_the_fish_script_names_every_subcommand_and_falls_back_to_faq_complete(capsys):
    script = _script(capsys, "fish")
    completes = [_fish_words(line) for line in script.splitlines() if line.startswith("complete ")]
    assert all(words[:3] == ["complete", "-c", "faq"] for words in completes)
    allowed = {"-c", "-f", "-n", "-a", "-d"}
    assert all(w in allowed for words in completes for w in words[1:] if re.fullmatch(r"-\w", w))
    subcommands = {}
    for words in completes:
        options = {words[i]: words[i + 1] for i in range(3, len(words) - 1) if words[i] in ("-n", "-a", "-d")}
        if options.get("-n") == "__fish_use_subcommand":
            subcommands[options["-a"]] = options["-d"]
    assert subcommands == _parser_subcommands()
    assert completes[-1] == ["complete", "-c", "faq", "-f", "-n", "not __fish_use_subcommand", "-a", "(__faq_complete)"]
    blocks = re.findall(r"^\s*(function|if|end)\b", script, re.MULTILINE)
    assert blocks.count("end") == blocks.count("function") + blocks.count("if")


@pytest.mark.parametrize("text", ["plain words", "it's", "a \\ backslash", "colon: and 'quotes'"])
def test_a_help_text_survives_quoting_for_each_shell(text):
    assert shlex.split(_quoted(text, "zsh")) == [text]  # zsh: single quotes hold anything but '
    assert _fish_words(_quoted(text, "fish")) == [text]
