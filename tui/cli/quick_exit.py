"""A one-shot `faq ask` that neither collects garbage nor tears the interpreter down.

A process answering one question builds its modules, its index readers and the Sudachi
dictionary once, keeps all of them until it exits, and then exits. Python's cyclic collector
still walks the growing heap over and over while the modules import (nothing it finds is
garbage: ~10 ms of such a process's CPU), and a normal exit then frees every module, object
and the dictionary one by one (~30 ms) only for the kernel to take the memory back anyway.
So the command line's front door turns the collector off for `faq ask QUESTION` (not for
``ask -``, which may read questions for hours, nor for the app), and leaves with
``os._exit`` once stdout and stderr are flushed and the exit handlers have run (the compile
cache is saved by one). Nothing is written through a Python file object still open at that
point: the question log writes with ``os.write`` and closes its descriptor. With a second
thread alive the exit is the normal one.

``atexit._run_exitfuncs`` is CPython's own (what a normal exit calls);
tests/test_cli_quick_exit.py fails loudly if it goes.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from collections.abc import Sequence

_VALUED = {"--lang", "--data", "--top"}


def _ask_words(argv: Sequence[str]) -> list[str] | None:
    """The positional words after ``ask`` (None when the command is not a plain ``faq ask``)."""
    words: list[str] = []
    skip = False
    command = None
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUED:
            skip = True
        elif token == "--tui":
            return None
        elif token == "-" or not token.startswith("-"):
            if command is None:
                command = token
            else:
                words.append(token)
    return words if command == "ask" else None


def one_question(argv: Sequence[str]) -> bool:
    """Whether ``argv`` asks one question on the command line (``faq ask QUESTION``)."""
    words = _ask_words(argv)
    return bool(words) and words != ["-"]


def start(argv: Sequence[str]) -> None:
    """At the front door: no cyclic garbage collection in a process that answers one question."""
    if one_question(argv):
        gc.disable()


def leave(code: int, argv: Sequence[str]) -> int:
    """After the command: exit at once from `faq ask` (flushed, exit handlers run); else ``code``."""
    if _ask_words(argv) is None or threading.active_count() > 1:
        return code
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return code  # the normal exit deals with a stream that cannot be flushed
    run_exit_handlers = getattr(atexit, "_run_exitfuncs")  # noqa: B009 - CPython's own, see above
    run_exit_handlers()
    os._exit(code)
