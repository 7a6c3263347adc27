"""Shell completion: the scripts, and `faq __complete` answering them from the parser and the files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.checks import LOAD_DIRTY_RATE
from tui.cli import main
from tui.cli.completion import FILES, complete

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
