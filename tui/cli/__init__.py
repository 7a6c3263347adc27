"""The `faq` command line: a thin front door over kb."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """The `faq` console script: shell completion answers at once, anything else goes to the parser."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["__complete"]:  # fast: no parser for the other commands
        from tui.cli.completion import complete_main

        return complete_main(args[1:])
    from tui.cli.parser import main as run

    return run(args)


__all__ = ["main"]
