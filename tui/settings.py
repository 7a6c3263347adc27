"""The settings file (TOML in the user's config folder), read and written by `faq config` and the app.

Precedence everywhere: a command-line flag, then the environment, then this file, then the
default. The file holds a few ``key = "value"`` lines; a value is validated before it is
written and the file is replaced atomically, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from kb.content.files import read_limited
from kb.errors import InputError, KbError
from tui.paths import user_dir

CONFIG_FILE = "config.toml"
LOG_LEVELS = ("off", "error", "warning", "info", "debug")
COLOR_SETTINGS = ("auto", "always", "never")
_THEME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

M: dict[str, tuple[str, str]] = {  # key: (ja, en)
    "unknown_key": ("不明な設定項目 {key!r} です (使えるのは {keys}){hint}",
                    "unknown setting {key!r} (known: {keys}){hint}"),
    "did_you_mean": ("; もしかして: {names}", "; did you mean {names}?"),
    "bad_value": ("{key} に {value!r} は使えません: {allowed}", "{value!r} is not valid for {key}: {allowed}"),
    "bad_file": ("設定ファイルを読み取れません: {error}", "cannot read the settings file: {error}"),
    "not_table": ("{key} には文字列を指定してください", "{key} must be a string"),
    "cannot_write": ("設定ファイルを書き込めません: {error}", "cannot write the settings file: {error}"),
}


def _t(message: str, lang: str, **values: object) -> str:
    ja, en = M[message]
    return (en if lang == "en" else ja).format(**values)


def _choice(allowed: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda value: value in allowed


def _profile_ok(value: str) -> bool:
    from kb.training.store import validate_profile

    try:
        validate_profile(value)
    except InputError:
        return False
    return True


# key: (is the value valid, what is allowed (ja, en), what it does (ja, en))
KEYS: dict[str, tuple[Callable[[str], bool], tuple[str, str], tuple[str, str]]] = {
    "language": (_choice(("ja", "en")), ("ja または en", "ja or en"), ("表示言語", "the language")),
    "color": (_choice(COLOR_SETTINGS), ("auto、always、never のいずれか", "auto, always or never"),
              ("色付きの出力 (auto は端末のときだけ)", "coloured output (auto: only on a terminal)")),
    "profile": (_profile_ok, ("文字、数字、'.'、'_'、'-' (64 文字以内)", "letters, digits, '.', '_', '-' (up to 64)"),
                ("練習の既定のプロファイル", "the default training profile")),
    "theme": (lambda v: bool(_THEME.match(v)), ("小文字の名前 (例: textual-dark)", "a lower-case name (e.g. textual-dark)"),
              ("アプリのテーマ", "the app's theme")),
    "logging": (_choice(LOG_LEVELS), ("off、error、warning、info、debug のいずれか",
                                      "off, error, warning, info or debug"),
                ("標準エラーに書くログの詳しさ", "how much to log on stderr")),
    "question_log": (_choice(("on", "off")), ("on または off", "on or off"),
                     ("質問を記録して faq gaps に使う (off なら何も書かない)",
                      "keep the questions asked, for faq gaps (off: nothing is written)")),
}


class ConfigError(KbError):
    """The settings file cannot be read, or a key or value is not valid."""


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """``$FAQ_CONFIG``, else ``config.toml`` in the platform's user config folder."""
    env = os.environ if env is None else env
    if env.get("FAQ_CONFIG"):
        return Path(env["FAQ_CONFIG"])
    return user_dir("config") / CONFIG_FILE


def _hint(key: str, lang: str) -> str:
    by_lower = {k.lower(): k for k in KEYS}
    import difflib  # only for a mistyped key

    close = difflib.get_close_matches(key.lower(), list(by_lower), n=3, cutoff=0.6)
    if not close:  # a prefix is a strong hint too: "lang" -> language
        close = [k for k in by_lower if key and k.startswith(key.lower())][:3]
    return _t("did_you_mean", lang, names=", ".join(by_lower[c] for c in close)) if close else ""


def validate_setting(key: str, value: str, path: Path | None = None) -> str:
    """``value`` if it is valid for ``key``; a ConfigError naming the key otherwise."""
    where = str(path) if path else None
    if key not in KEYS:
        keys = ", ".join(KEYS)
        raise ConfigError(_t("unknown_key", "en", key=key, keys=keys, hint=_hint(key, "en")),
                          ja=_t("unknown_key", "ja", key=key, keys=keys, hint=_hint(key, "ja")), path=where)
    valid, allowed, _what = KEYS[key]
    if not valid(value):
        raise ConfigError(_t("bad_value", "en", key=key, value=value, allowed=allowed[1]),
                          ja=_t("bad_value", "ja", key=key, value=value, allowed=allowed[0]), path=where)
    return value


def read_settings(path: Path) -> dict[str, str]:
    """The settings in the file at ``path`` ({} when there is none), every key and value checked."""
    try:
        # A regular file of bounded size: a FIFO would block and /dev/zero fill memory.
        text = read_limited(path, error=ConfigError).decode("utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_t("bad_file", "en", error=exc), ja=_t("bad_file", "ja", error=exc),
                          path=str(path)) from None
    import tomllib  # only when a file is parsed: a start from the content store parses none
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_t("bad_file", "en", error=exc), ja=_t("bad_file", "ja", error=exc),
                          path=str(path)) from None
    settings = {}
    for key, value in data.items():
        if not isinstance(value, str):
            if key not in KEYS:
                validate_setting(key, "", path)
            raise ConfigError(_t("not_table", "en", key=key), ja=_t("not_table", "ja", key=key), path=str(path))
        settings[key] = validate_setting(key, value, path)
    return settings


def write_settings(path: Path, settings: Mapping[str, str]) -> None:
    """Write ``settings`` to ``path`` atomically: a temporary file beside it, then a rename."""
    # A TOML basic string is a JSON string for everything json.dumps writes.
    body = "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in settings.items())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("# faq-assistant settings (faq config set KEY VALUE)\n" + body)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(_t("cannot_write", "en", error=exc.strerror or exc),
                          ja=_t("cannot_write", "ja", error=exc.strerror or exc), path=str(path)) from None


def save_setting(path: Path, key: str, value: str) -> None:
    """Set ``key`` to ``value`` in the file at ``path``, keeping the other settings (ConfigError if it cannot)."""
    settings = read_settings(path)
    if settings.get(key) == value:
        return
    settings[key] = validate_setting(key, value, path)
    write_settings(path, settings)
