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
