"""A closed pipe (``faq list | head``): drop the rest of the output quietly, keep the exit status.

Python ignores SIGPIPE, so writing to a pipe whose reader has gone raises BrokenPipeError,
at a ``print`` in the middle of a command or at the final flush. grep and git die of
SIGPIPE (status 141); faq instead lets the command finish against /dev/null and keeps the
status the command itself returns, so ``faq calc ... | head -4`` under ``set -o pipefail``
reports what the calculation found. Never a traceback, never "Exception ignored".
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO


class PipeGuard:
    """``sys.stdout`` that, once the reader is gone, sends everything to /dev/null instead."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        if not self.closed_pipe:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._divert()
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.closed_pipe:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._divert()

    def _divert(self) -> None:
        """Point the file descriptor at /dev/null: what is still buffered goes nowhere."""
        self.closed_pipe = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def reader_gone() -> bool:
    """Whether stdout's reader has gone: a loop over stdin can stop early."""
    return bool(getattr(sys.stdout, "closed_pipe", False))


@contextlib.contextmanager
def guard_stdout() -> Iterator[PipeGuard]:
    """Run a command with a guarded stdout, flushed (inside the guard) before it is put back."""
    original = sys.stdout
    guard = PipeGuard(original)
    sys.stdout = guard  # type: ignore[assignment]
    try:
        yield guard
    finally:
        guard.flush()
        sys.stdout = original
