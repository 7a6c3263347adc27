"""Ending the app when its terminal goes away (tmux kill-session, a dropped ssh connection).

Textual's input thread treats end of input as "nothing yet" and polls again at once, so a
terminal that hung up left the app spinning a CPU core forever. A watcher thread waits for
the terminal's hang-up (POLLHUP, as the kernel reports it once the other side is closed);
then, as on SIGHUP, the app exits the normal way (screens unmount, the progress store is
closed). If that cannot finish, writing to a terminal that is gone, the process ends after
a grace period: every answer and bookmark is already on disk when it is made.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import sys
import threading
from typing import Any

GRACE_SECONDS = 1.0
EXIT_HANGUP = 128 + signal.SIGHUP


def watch_hangup(app: Any) -> None:
    """Exit ``app`` on SIGHUP or when the terminal on stdin hangs up; call once the app runs."""
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGHUP, _hang_up, app)
    try:
        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
    except (ValueError, OSError):
        return
    if fd < 0 or not hasattr(select, "poll") or not os.isatty(fd):
        return  # tests and pipes: nothing to watch
    watcher = threading.Thread(target=_watch, args=(fd, loop, app), name="faq-hangup", daemon=True)
    watcher.start()


def _watch(fd: int, loop: asyncio.AbstractEventLoop, app: Any) -> None:
    poller = select.poll()
    poller.register(fd, select.POLLHUP | select.POLLERR)  # not POLLIN: the input is Textual's
    while True:
        try:
            events = poller.poll(500)
        except OSError:
            break
        if any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _fd, mask in events):
            break
        if loop.is_closed():
            return
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(_hang_up, app)
    _end_after_grace()


def _hang_up(app: Any) -> None:
    app.exit(return_code=EXIT_HANGUP)
    threading.Thread(target=_end_after_grace, name="faq-hangup-grace", daemon=True).start()


def _end_after_grace() -> None:
    threading.Event().wait(GRACE_SECONDS)
    os._exit(EXIT_HANGUP)  # the normal exit did not finish in time: the terminal is gone
