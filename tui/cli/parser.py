"""The `faq` command line: parses arguments, calls `kb`, prints, maps errors to exit codes."""

from __future__ import annotations

import argparse
import locale
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, cast

from kb.content.load import read_profile, resolve_data_dir
from kb.content.profile import Profile
from kb.errors import KbError
from tui.cli.exit_codes import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from tui.cli.pipe import guard_stdout
from tui.cli.suggest import suggest_for_argparse
from tui.cli.text import (
    ERROR_WORD,
    Help,
    argv_lang,
    formatter_for,
    localize_parser,
    translate_error,
)

Handler = Callable[[argparse.Namespace], int]


def default_lang(settings: Mapping[str, str] | None = None) -> str:
    """The UI language when no --lang is given: $FAQ_LANG, the settings file, then the locale.

    The locale gives English only when it says so. ``settings`` are the settings file's
    (read here, silently, when not given).
    """
    if os.environ.get("FAQ_LANG"):
        return "en" if os.environ["FAQ_LANG"].lower().startswith("en") else "ja"
    if settings is None:
        from tui.settings import ConfigError, config_path, read_settings

        try:
            settings = read_settings(config_path())
        except ConfigError:
            settings = {}
    if settings.get("language") in ("ja", "en"):
        return settings["language"]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "ja"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "en" if loc.lower().startswith("en") else "ja"


def _parser_class(lang: str) -> type[argparse.ArgumentParser]:
    """An ArgumentParser speaking ``lang``: its help, usage and usage errors."""

    class Parser(argparse.ArgumentParser):
        # The description, made only when help is shown (it reads kb.toml).
        describe: Callable[[], str] | None = None

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", formatter_for(lang))
            super().__init__(*args, **kwargs)

        def format_usage(self) -> str:
            localize_parser(self, lang)
            return super().format_usage()

        def format_help(self) -> str:
            if self.describe is not None:
                self.description, self.describe = self.describe(), None
            localize_parser(self, lang)
            return super().format_help()

        def error(self, message: str) -> NoReturn:
            # argparse's own usage errors: the usage, then one line; exit 2 like grep.
            self.print_usage(sys.stderr)
            hint = suggest_for_argparse(message, lang)
            self.exit(EXIT_USAGE, f"{self.prog}: {ERROR_WORD[lang]}: {translate_error(message, lang)}{hint}\n")

    return Parser


def common_options(defaults: bool = True, lang: str = "en", with_lang: bool = True) -> argparse.ArgumentParser:
    """Options every command takes, before or after the subcommand.

    The copy given to subcommands has no defaults of its own, so ``faq --json ask`` keeps
    the ``--json`` given before the subcommand instead of resetting it. A subcommand whose
    ``--lang`` means more than the messages' language takes them ``with_lang=False``.
    """
    common = _parser_class(lang)(add_help=False)
    h = Help(lang)

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    common.add_argument("--json", action="store_true", default=default(False),
                        help=h("機械可読な出力 (JSON)", "machine-readable output"))
    if with_lang:
        common.add_argument("--lang", choices=["ja", "en"], default=default(None),
                            help=h("言語 (既定: ロケール、なければ ja)", "language (default: locale, else ja)"))
    common.add_argument("--data", type=Path, default=default(None),
                        help=h("内容のフォルダー (既定: $FAQ_DATA、なければ同梱の faq_data)",
                               "content folder (default: $FAQ_DATA or the bundled faq_data)"))
    common.add_argument("--debug", action="store_true", default=default(False),
                        help=h("エラー時にトレースバックを表示", "show a traceback on errors"))
    common.add_argument("--no-pager", action="store_true", default=default(False),
                        help=h("長い出力をページャー ($PAGER) で表示しない", "never page long output ($PAGER)"))
    return common


# Which module defines each subcommand: `faq ask` then imports only what it needs.
_COMMAND_MODULES = {
    **dict.fromkeys(["ask", "search", "show", "list", "tags", "glossary", "lint", "index", "eval"], "knowledge"),
    **dict.fromkeys(["calc", "check"], "checks"),
    **dict.fromkeys(["quiz", "progress"], "training"),
    "examples": "examples",
    "completion": "completion",
    "config": "config",
    "import": "importer",
    "gaps": "gaps",
}
_MODULE_ORDER = ["knowledge", "checks", "training", "importer", "examples", "config", "completion", "gaps"]
_VALUED_OPTIONS = {"--lang", "--data"}


def _command_in(argv: Sequence[str]) -> str | None:
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUED_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def _asks_for_help(argv: Sequence[str]) -> bool:
    """Whether ``argv`` may ask for help (``-h``, ``--help`` or an abbreviation of it): it lists the commands."""
    return any(token == "-h" or (token.startswith("-") and not token.startswith("--") and "h" in token)
               or (len(token) > 2 and "--help".startswith(token)) for token in argv)


def _data_dir(argv: Sequence[str]) -> Path:
    """The knowledge base folder ``argv`` names with ``--data``, else the default folder."""
    explicit = None
    for i, token in enumerate(argv):
        if token == "--data" and i + 1 < len(argv):
            explicit = Path(argv[i + 1])
        elif token.startswith("--data="):
            explicit = Path(token.split("=", 1)[1])
    return resolve_data_dir(explicit, os.environ)


def _profile(argv: Sequence[str]) -> Profile:
    """The knowledge base's kb.toml (name and description), from ``--data`` or the default folder."""
    return read_profile(_data_dir(argv))


def _unlinked_check_commands(argv: Sequence[str]) -> set[str]:
    """Of `calc` and `check`, those no entry of the knowledge base links a check for.

    `faq --help` on a help desk's FAQ then does not offer to validate cluster files; the
    commands still work when typed. When the content cannot be read, both are listed.
    """
    try:
        from kb.checks.registry import calculators, validators
        from kb.content.stored import linked_checks
        from kb.library import open_kb
        from tui import paths

        linked = linked_checks(open_kb(_data_dir(argv), paths.cache_dir()).content.entries)
        hidden = set()
        if not any(c.id in linked for c in calculators()):
            hidden.add("calc")
        if not any(v.id in linked for v in validators()):
            hidden.add("check")
        return hidden
    except Exception:  # noqa: BLE001 - help must print whatever the content is
        return set()


def build_parser(argv: Sequence[str] = (), lang: str | None = None, *,
                 commands: bool = True) -> argparse.ArgumentParser:
    """The `faq` parser in ``lang`` (default: ``--lang`` in argv, else the locale).

    ``commands=False`` when ``argv`` names no subcommand and asks for no help: the app opens,
    and none of the subcommands is built (their modules import the checks, training and gaps).
    """
    lang = lang or argv_lang(argv, default_lang())
    parser_class = _parser_class(lang)
    h = Help(lang)

    hidden: set[str] = set()

    def describe() -> str:
        profile = _profile(argv)
        name = profile.title(lang)
        about = profile.about(lang)
        if "calc" in hidden:
            summary = h(f"{name}: 質問、検索、練習。", f"{name}: ask, search, train.")
        else:
            summary = h(f"{name}: 質問、検索、計算、練習。", f"{name}: ask, search, compute, train.")
        return summary + (f" {about}" if about else "")

    parser = parser_class(prog="faq", parents=[common_options(lang=lang)])
    parser.describe = describe  # type: ignore[attr-defined]
    parser.add_argument("--version", action=_VersionAction,
                        help=h("バージョンを表示して終了します", "show the version and exit"))
    common = common_options(defaults=False, lang=lang)
    sub = parser.add_subparsers(dest="command", metavar=h("コマンド", "COMMAND"), parser_class=parser_class)
    import importlib

    command = _command_in(argv) or ""
    needed = _COMMAND_MODULES.get(command)
    if not commands and not command:
        pass  # plain `faq`: the app opens without building the subcommands it never parses
    elif needed:
        # Only the subcommand asked for: its module's other subcommands cost time to build
        # and are never used by this process (`faq ask` builds one subparser, not nine).
        importlib.import_module(f"tui.cli.{needed}").register(cast(argparse._SubParsersAction, _OnlyOne(sub, command)),
                                                              common, h)
    else:
        for name in _MODULE_ORDER:
            importlib.import_module(f"tui.cli.{name}").register(sub, common, h)
        if not command and _asks_for_help(argv):
            hidden.update(_unlinked_check_commands(argv))
            sub._choices_actions = [a for a in sub._choices_actions if a.dest not in hidden]
    return parser


class _OnlyOne:
    """The subparsers action as a module's ``register`` sees it, keeping one subcommand.

    The others are built on a throwaway parser that nobody parses with.
    """

    def __init__(self, sub: argparse._SubParsersAction, name: str) -> None:
        self._sub = sub
        self._name = name

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name == self._name:
            return self._sub.add_parser(name, **kwargs)
        return _Discarded()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sub, name)


class _Discarded:
    """A subparser that is never used: every call on it (and on what it returns) does nothing."""

    def __getattr__(self, name: str) -> Any:
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self


class _VersionAction(argparse.Action):
    """``--version``: the installed version is looked up only when asked for (importlib.metadata is slow to load)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: Any = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        sys.stdout.write(f"faq {version()}\n")
        parser.exit()


def version() -> str:
    """The installed version of faq-assistant ("unknown" when run from an uninstalled tree)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("faq-assistant")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `faq` console script.

    A reader that goes away (``faq list | head``) is not an error: the rest of the output is
    dropped and the command's own exit status is kept, so ``set -o pipefail`` scripts see what
    the command found, not how much of it was read (see tui/cli/pipe.py).
    """
    _replace_unencodable_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    from tui.cli.config import load_settings

    settings = load_settings(argv_lang(argv, default_lang({})))
    parser = build_parser(argv, lang=argv_lang(argv, default_lang(settings)), commands=_asks_for_help(argv))
    args = parser.parse_args(argv)
    if args.lang is None:
        args.lang = default_lang(settings)
    args.color = settings.get("color", "auto")
    args.settings = settings
    _start_logging(settings.get("logging", "off"), args.debug)
    handler: Handler | None = getattr(args, "func", None)
    if handler is None:
        handler = _open_app
    with guard_stdout():
        try:
            return handler(args)
        except KbError as exc:
            if args.debug:
                raise
            from tui.safe import clean_line

            print(f"faq: {clean_line(exc.render(args.lang))}", file=sys.stderr)
            return EXIT_USAGE
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED


def _start_logging(level: str, debug: bool) -> None:
    """Log records to stderr at the settings file's level (--debug: everything)."""
    if debug:
        level = "debug"
    if level == "off":
        return
    import logging

    logging.basicConfig(level=level.upper(), format="faq: %(levelname)s: %(name)s: %(message)s")


def _replace_unencodable_output() -> None:
    """On a terminal whose encoding is not UTF-8 (EUC-JP, Shift_JIS, Latin-1), print what it can
    carry and a replacement for the rest (•, ·, →, any kanji on Latin-1) instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # closed, or not a text stream we may touch
                pass


def _open_app(args: argparse.Namespace) -> int:
    try:
        from tui.app.app import run_app
    except ImportError:
        build_parser(lang=args.lang).print_help()
        return EXIT_OK
    return run_app(args)


if __name__ == "__main__":
    from tui.cli.quick_exit import leave

    sys.exit(leave(main(), sys.argv[1:]))
