"""The `faq` command line: parses arguments, calls `kb`, prints, maps errors to exit codes."""

from __future__ import annotations

import argparse
import locale
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from kb.content.load import read_profile, resolve_data_dir
from kb.content.profile import Profile
from kb.errors import KbError
from tui.cli.text import (
    ERROR_WORD,
    Help,
    argv_lang,
    formatter_for,
    localize_parser,
    translate_error,
)

EXIT_OK = 0
EXIT_NO_ANSWER = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


def default_lang() -> str:
    """The UI language from the environment's locale: English only when it says so."""
    for var in ("FAQ_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
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
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", formatter_for(lang))
            super().__init__(*args, **kwargs)

        def format_usage(self) -> str:
            localize_parser(self, lang)
            return super().format_usage()

        def format_help(self) -> str:
            localize_parser(self, lang)
            return super().format_help()

        def error(self, message: str) -> NoReturn:
            # argparse's own usage errors: the usage, then one line; exit 2 like grep.
            self.print_usage(sys.stderr)
            self.exit(EXIT_USAGE, f"{self.prog}: {ERROR_WORD[lang]}: {translate_error(message, lang)}\n")

    return Parser


def common_options(defaults: bool = True, lang: str = "en") -> argparse.ArgumentParser:
    """Options every command takes, before or after the subcommand.

    The copy given to subcommands has no defaults of its own, so ``faq --json ask`` keeps
    the ``--json`` given before the subcommand instead of resetting it.
    """
    common = _parser_class(lang)(add_help=False)
    h = Help(lang)

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    common.add_argument("--json", action="store_true", default=default(False),
                        help=h("machine-readable output", "機械可読な出力 (JSON)"))
    common.add_argument("--lang", choices=["ja", "en"], default=default(None),
                        help=h("language (default: locale, else ja)", "言語 (既定: ロケール、なければ ja)"))
    common.add_argument("--data", type=Path, default=default(None),
                        help=h("content folder (default: $FAQ_DATA or the bundled faq_data)",
                               "内容のフォルダー (既定: $FAQ_DATA、なければ同梱の faq_data)"))
    common.add_argument("--debug", action="store_true", default=default(False),
                        help=h("show a traceback on errors", "エラー時にトレースバックを表示"))
    return common


# Which module defines each subcommand: `faq ask` then imports only what it needs.
_COMMAND_MODULES = {
    **dict.fromkeys(["ask", "search", "show", "list", "tags", "glossary", "lint", "index", "eval"], "knowledge"),
    **dict.fromkeys(["calc", "check"], "checks"),
    **dict.fromkeys(["quiz", "progress"], "training"),
}
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


def _profile(argv: Sequence[str]) -> Profile:
    """The knowledge base's kb.toml (name and description), from ``--data`` or the default folder."""
    explicit = None
    for i, token in enumerate(argv):
        if token == "--data" and i + 1 < len(argv):
            explicit = Path(argv[i + 1])
        elif token.startswith("--data="):
            explicit = Path(token.split("=", 1)[1])
    return read_profile(resolve_data_dir(explicit, os.environ))


def build_parser(argv: Sequence[str] = (), lang: str | None = None) -> argparse.ArgumentParser:
    """The `faq` parser in ``lang`` (default: ``--lang`` in argv, else the locale)."""
    lang = lang or argv_lang(argv, default_lang())
    parser_class = _parser_class(lang)
    h = Help(lang)
    profile = _profile(argv)
    name = profile.title(lang)
    about = profile.about(lang)
    parser = parser_class(
        prog="faq",
        description=h(f"{name}: ask, search, compute, train.", f"{name}: 質問、検索、計算、練習。")
        + (f" {about}" if about else ""),
        parents=[common_options(lang=lang)],
    )
    common = common_options(defaults=False, lang=lang)
    sub = parser.add_subparsers(dest="command", metavar=h("COMMAND", "コマンド"), parser_class=parser_class)
    import importlib

    needed = _COMMAND_MODULES.get(_command_in(argv) or "")
    names = [needed] if needed else sorted(set(_COMMAND_MODULES.values()), key=["knowledge", "checks",
                                                                                   "training"].index)
    for name in names:
        importlib.import_module(f"tui.cli.{name}").register(sub, common, h)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `faq` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.lang is None:
        args.lang = default_lang()
    handler: Handler | None = getattr(args, "func", None)
    if handler is None:
        handler = _open_app
    try:
        return handler(args)
    except KbError as exc:
        if args.debug:
            raise
        from tui.safe import clean_line

        print(f"faq: {clean_line(exc.render(args.lang))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (faq ... | head); not an error worth a message.
        sys.stderr.close()
        return EXIT_OK


def _open_app(args: argparse.Namespace) -> int:
    try:
        from tui.app.app import run_app
    except ImportError:
        build_parser(lang=args.lang).print_help()
        return EXIT_OK
    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
