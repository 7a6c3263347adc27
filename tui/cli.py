"""The `faq` command line: parses arguments, calls `kb`, prints, maps errors to exit codes."""

from __future__ import annotations

import argparse
import locale
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kb.errors import KbError

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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own usage errors: one line plus the usage, exit 2 like grep.
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def common_options(defaults: bool = True) -> argparse.ArgumentParser:
    """Options every command takes, before or after the subcommand.

    The copy given to subcommands has no defaults of its own, so ``faq --json ask`` keeps
    the ``--json`` given before the subcommand instead of resetting it.
    """
    common = _Parser(add_help=False)

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    common.add_argument("--json", action="store_true", default=default(False), help="machine-readable output")
    common.add_argument("--lang", choices=["ja", "en"], default=default(None),
                        help="language (default: locale, else ja)")
    common.add_argument("--data", type=Path, default=default(None),
                        help="content folder (default: $FAQ_DATA or the bundled faq_data)")
    common.add_argument("--debug", action="store_true", default=default(False), help="show a traceback on errors")
    return common


# Which module defines each subcommand: `faq ask` then imports only what it needs.
_COMMAND_MODULES = {
    **dict.fromkeys(["ask", "search", "show", "list", "tags", "glossary", "lint", "index", "eval"], "cmd_kb"),
    **dict.fromkeys(["calc", "check"], "cmd_checks"),
    **dict.fromkeys(["quiz", "progress"], "cmd_training"),
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


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="faq",
        description="Hyper-V live migration FAQ: ask, search, compute, train. / Hyper-V ライブ マイグレーション FAQ",
        parents=[common_options()],
    )
    common = common_options(defaults=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    import importlib

    needed = _COMMAND_MODULES.get(_command_in(argv) or "")
    names = [needed] if needed else sorted(set(_COMMAND_MODULES.values()), key=["cmd_kb", "cmd_checks",
                                                                                   "cmd_training"].index)
    for name in names:
        importlib.import_module(f"tui.{name}").register(sub, common)
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

        print(f"faq: {clean_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (faq ... | head); not an error worth a message.
        sys.stderr.close()
        return EXIT_OK


def _open_app(args: argparse.Namespace) -> int:
    try:
        from tui.app import run_app
    except ImportError:
        build_parser().print_help()
        return EXIT_OK
    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
