"""The `faq` command line: a thin front door over kb."""

from tui.cli.parser import main

__all__ = ["main"]
