"""The `faq` command line: a thin front door over kb."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _remember_compiled() -> None:
    """Compiled patterns from the cache folder (tui.compile_cache), before anything compiles."""
    from tui import paths
    from tui.compile_cache import remember_compiled

    remember_compiled(paths.cache_dir())


if sys.argv[:1] == ["-m"]:  # `python -m tui.cli` or `-m tui.cli.parser`: this package comes first
    from tui.cli.quick_exit import start

    start(sys.argv[1:])
    _remember_compiled()


def main(argv: Sequence[str] | None = None) -> int:
    """The `faq` console script: shell completion answers at once, anything else goes to the parser."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["__complete"]:  # fast: no parser for the other commands
        from tui.cli.completion import complete_main

        return complete_main(args[1:])
    if argv is None:  # the console script (or `python -m tui.cli`): this process ends with the command
        from tui.cli.quick_exit import leave, start

        start(args)  # both idempotent: under -m, already done when this package was imported
        _remember_compiled()
        from tui.cli.parser import main as run

        return leave(run(args), args)
    from tui.cli.parser import main as run

    return run(args)


__all__ = ["main"]
