"""The settings file: `faq config` shows and sets it; language, colour and profile follow it."""

from __future__ import annotations

import io
import json
import sys
import tomllib
from pathlib import Path

import pytest

from tui.cli import training as cmd_training
from tui.cli.config import config_path
from tui.cli.parser import main

sys.path.insert(0, str(Path(__file__).parent / "data" / "training"))
import training_fixture_kb as fx  # noqa: E402


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("FAQ_CONFIG", str(path))
    return path


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_config_path_default_is_the_platform_config_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv("FAQ_CONFIG", raising=False)
    assert config_path() == Path(platformdirs.user_config_dir("faq-assistant")) / "config.toml"


def test_set_writes_a_valid_toml_file_and_config_shows_it(config, capsys):
    code, out, _ = run(capsys, "--lang", "en", "config", "set", "color", "never")
    assert code == 0 and "color = never" in out
    assert run(capsys, "config", "set", "profile", "alice")[0] == 0
    assert tomllib.loads(config.read_text(encoding="utf-8")) == {"color": "never", "profile": "alice"}
    assert not list(config.parent.glob(".config.toml.*"))  # the temporary file was renamed
    code, out, _ = run(capsys, "--lang", "en", "config")
    assert code == 0 and str(config) in out and "color = never" in out and "profile = alice" in out
    code, out, _ = run(capsys, "--json", "config")
    assert json.loads(out) == {"path": str(config), "exists": True, "settings": {"color": "never", "profile": "alice"}}
    assert run(capsys, "config", "unset", "color")[0] == 0
    assert tomllib.loads(config.read_text(encoding="utf-8")) == {"profile": "alice"}


@pytest.mark.parametrize(("key", "value", "words"), [
    ("colour", "never", ["colour", "color"]),  # the unknown key is named, the known one suggested
    ("language", "fr", ["language", "fr"]),
    ("color", "sometimes", ["sometimes", "auto"]),
    ("profile", "no spaces", ["profile"]),
    ("logging", "loud", ["logging"]),
])
def test_set_refuses_unknown_keys_and_bad_values(config, capsys, key, value, words):
    code, out, err = run(capsys, "--lang", "en", "config", "set", key, value)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert all(w in err for w in words)
    assert not config.exists()


def test_messages_in_japanese(config, capsys):
    code, _, err = run(capsys, "--lang", "ja", "config", "set", "colour", "never")
    assert code == 2 and "不明な設定項目" in err
    code, out, _ = run(capsys, "--lang", "ja", "config")
    assert "設定ファイル" in out


def test_language_precedence_flag_env_config_default(config, capsys, monkeypatch):
    config.parent.mkdir(parents=True)
    config.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.delenv("FAQ_LANG", raising=False)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert "No entry" in run(capsys, "show", "zzzz")[2] or "no entry" in run(capsys, "show", "zzzz")[2]
    monkeypatch.setenv("FAQ_LANG", "ja")  # the environment beats the file
    assert "はありません" in run(capsys, "show", "zzzz")[2]
    assert "no entry" in run(capsys, "--lang", "en", "show", "zzzz")[2]  # the flag beats both


def test_color_from_the_settings_file_and_no_color_beats_it(config, capsys, monkeypatch):
    config.parent.mkdir(parents=True)
    config.write_text('color = "always"\n', encoding="utf-8")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert "\x1b[" in run(capsys, "--lang", "en", "show", "requirements")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, "--lang", "en", "show", "requirements")[1]


def test_profile_from_the_settings_file(config, capsys, monkeypatch, tmp_path):
    config.parent.mkdir(parents=True)
    config.write_text('profile = "carol"\n', encoding="utf-8")
    monkeypatch.setattr(cmd_training, "load_content", lambda args: fx.knowledge_base())
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.delenv("FAQ_PROFILE", raising=False)
    assert json.loads(run(capsys, "--json", "quiz")[1])["profile"] == "carol"
    monkeypatch.setenv("FAQ_PROFILE", "dave")
    assert json.loads(run(capsys, "--json", "quiz")[1])["profile"] == "dave"
    assert json.loads(run(capsys, "--json", "quiz", "--profile", "erin")[1])["profile"] == "erin"


def test_a_broken_settings_file_is_one_warning_not_a_failure(config, capsys):
    config.parent.mkdir(parents=True)
    config.write_text('colour = "never"\n', encoding="utf-8")
    code, out, err = run(capsys, "--lang", "en", "list")
    assert code == 0 and out
    assert err.count("\n") == 1 and "colour" in err and "warning" in err
