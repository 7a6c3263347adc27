"""The settings file (TOML in the user's config folder) and `faq config` to show and change it.

Precedence everywhere: a command-line flag, then the environment, then this file, then the
default. The file holds a few ``key = "value"`` lines; ``faq config set`` validates a value
before writing and replaces the file atomically, so a crash never leaves half a file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from tui.cli.exit_codes import EXIT_OK
from tui.cli.text import Help
from tui.safe import clean_line, dumps_json
from tui.settings import (
    CONFIG_FILE,
    KEYS,
    LOG_LEVELS,
    ConfigError,
    config_path,
    read_settings,
    validate_setting,
    write_settings,
)

__all__ = ["CONFIG_FILE", "KEYS", "LOG_LEVELS", "ConfigError", "cmd_config", "config_path", "load_settings",
           "read_settings", "register", "validate_setting", "write_settings"]

M: dict[str, tuple[str, str]] = {  # key: (ja, en)
    "file": ("設定ファイル: {path}", "Settings file: {path}"),
    "missing": ("(まだありません。faq config set KEY VALUE で作成します)",
                "(not there yet; faq config set KEY VALUE creates it)"),
    "none_set": ("設定されている項目はありません。", "Nothing is set."),
    "saved": ("{key} = {value} を保存しました: {path}", "Saved {key} = {value} to {path}"),
    "removed": ("{key} を削除しました: {path}", "Removed {key} from {path}"),
    "not_set": ("{key} は設定されていません", "{key} is not set"),
    "keys": ("設定できる項目:", "Keys:"),
    "warning": ("faq: 警告: {problem} (設定ファイルは使わずに続けます)",
                "faq: warning: {problem} (going on without the settings file)"),
}


def _t(message: str, lang: str, **values: object) -> str:
    ja, en = M[message]
    return (en if lang == "en" else ja).format(**values)


def load_settings(lang: str = "en", env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The settings for a command: a broken file is one warning on stderr, then ignored."""
    try:
        return read_settings(config_path(env))
    except ConfigError as exc:
        print(_t("warning", lang, problem=clean_line(exc.render(lang))), file=sys.stderr)
        return {}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help) -> None:
    """Add `config` to `faq`."""
    p = sub.add_parser("config", parents=[common],
                       help=h("設定ファイルの表示・変更", "show or change the settings file"),
                       description=h("設定項目: " + "、".join(KEYS) + "。コマンドのオプションが環境変数より、"
                                     "環境変数がこのファイルより優先します。$FAQ_CONFIG で別のファイルを指定できます。",
                                     "Settings: " + ", ".join(KEYS) + ". A flag overrides the environment, "
                                     "which overrides this file. $FAQ_CONFIG names another file."))
    actions = p.add_subparsers(dest="config_action", metavar=h("操作", "ACTION"))
    s = actions.add_parser("set", parents=[common], help=h("KEY に VALUE を設定", "set KEY to VALUE"))
    s.add_argument("key", metavar="KEY", help=h("次のいずれか: " + "、".join(KEYS), "one of: " + ", ".join(KEYS)))
    s.add_argument("value", metavar="VALUE", help=h("値", "the value"))
    u = actions.add_parser("unset", parents=[common], help=h("KEY を削除", "remove KEY"))
    u.add_argument("key", metavar="KEY", help=h("次のいずれか: " + "、".join(KEYS), "one of: " + ", ".join(KEYS)))
    p.set_defaults(func=cmd_config)


def cmd_config(args: argparse.Namespace) -> int:
    path, lang = config_path(), args.lang
    action = getattr(args, "config_action", None)
    if action == "set":
        settings = read_settings(path)
        settings[args.key] = validate_setting(args.key, args.value, path)
        write_settings(path, settings)
        print(_t("saved", lang, key=args.key, value=clean_line(args.value), path=path))
        return EXIT_OK
    if action == "unset":
        settings = read_settings(path)
        if args.key not in KEYS:
            validate_setting(args.key, "", path)
        if args.key not in settings:
            print(_t("not_set", lang, key=args.key))
            return EXIT_OK
        del settings[args.key]
        write_settings(path, settings)
        print(_t("removed", lang, key=args.key, path=path))
        return EXIT_OK
    settings = read_settings(path)
    if args.json:
        print(dumps_json({"path": str(path), "exists": path.exists(), "settings": settings}, indent=2))
        return EXIT_OK
    print(_t("file", lang, path=path) + ("" if path.exists() else " " + _t("missing", lang)))
    for key, value in settings.items():
        print(f"  {key} = {clean_line(value)}")
    if not settings:
        print(_t("none_set", lang))
    print(_t("keys", lang))
    for key, (_valid, allowed, what) in KEYS.items():
        i = 0 if lang == "ja" else 1
        print(f"  {key:<9} {what[i]} ({allowed[i]})")
    return EXIT_OK
