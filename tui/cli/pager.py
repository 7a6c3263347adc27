"""Long text through ``$PAGER`` the way git does it: only on a terminal, only when it does not fit.

``faq show``, ``list``, ``glossary``, ``search``, ``gaps`` and ``progress`` on a terminal pipe
output taller than the window to ``$FAQ_PAGER``, else ``$PAGER``, else ``less``; ``LESS`` defaults to ``FRX`` (quit if one screen, keep colours,
leave the text on the screen). ``PAGER=cat`` (or empty) and ``--no-pager`` print directly.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO


def pager_command(env: Mapping[str, str]) -> str | None:
    """The pager to run, or None for none (``cat`` or an empty setting)."""
    for var in ("FAQ_PAGER", "PAGER"):
        if var in env:
            command = env[var].strip()
            return None if command in ("", "cat") else command
    return "less"


def should_page(text: str, stream: TextIO, rows: int) -> bool:
    """Page only a terminal's output, and only text taller than the terminal."""
    try:
        if not stream.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    return text.count("\n") + 1 > rows


def show_text(text: str, no_pager: bool = False, env: Mapping[str, str] | None = None) -> None:
    """Write ``text`` (and a newline) to stdout, through the pager when it is worth it."""
    env = os.environ if env is None else env
    command = None if no_pager else pager_command(env)
    rows = shutil.get_terminal_size().lines
    if command is None or not should_page(text, sys.stdout, rows):
        sys.stdout.write(text + "\n")
        return
    sys.stdout.flush()
    pager_env = {**env, "LESS": env.get("LESS", "FRX"), "LV": env.get("LV", "-c")}
    try:
        # Through the shell, as git runs it: PAGER may be "less -S" or a pipeline.
        import subprocess  # only to page: `faq ask --json` never starts a pager

        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=pager_env)  # noqa: S602
    except OSError:
        sys.stdout.write(text + "\n")
        return
    assert proc.stdin is not None
    try:
        proc.stdin.write((text + "\n").encode(sys.stdout.encoding or "utf-8", "replace"))
        proc.stdin.close()
    except BrokenPipeError:  # the reader quit the pager before the end: fine
        pass
    proc.wait()


class _Captured(io.StringIO):
    """stdout while a command's output is gathered for the pager: still a terminal to whoever asks
    (colour and width are chosen as for the terminal the pager will show them on)."""

    def __init__(self, real: TextIO) -> None:
        super().__init__()
        self._real = real

    def isatty(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._real, "encoding", None) or "utf-8"


@contextmanager
def paging(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Iterator[None]:
    """Gather what a command prints and page it as `faq show` does, if it is long and on a terminal.

    Never for ``--json`` or ``--csv`` (data for a program), ``--no-pager``, a pipe or a file:
    then the output goes straight out as it is written.
    """
    env = os.environ if env is None else env
    data = getattr(args, "json", False) or getattr(args, "csv", False)
    try:
        terminal = sys.stdout.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if data or getattr(args, "no_pager", False) or not terminal or pager_command(env) is None:
        yield
        return
    real = sys.stdout
    captured = _Captured(real)
    sys.stdout = captured
    try:
        yield
    finally:
        sys.stdout = real
        text = captured.getvalue()
        if text:
            show_text(text.removesuffix("\n"), env=env)


def paged(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``command`` with its output paged as :func:`paging` says (a `faq` subcommand's function)."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        with paging(args):
            return command(args)

    return run
