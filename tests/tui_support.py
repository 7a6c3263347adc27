"""Helpers shared by the app's pilot tests."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable


def run_async(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (the project has no pytest async plugin)."""

    @functools.wraps(test)
    def wrapper(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


async def wait_for_workers(app) -> None:
    """Wait for the app's workers; one cancelled on purpose (a stale exclusive search that a
    newer question replaced, as the app is meant to) is not a failure."""
    from textual.worker import WorkerCancelled

    for _ in range(20):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue
