"""faq-assistant knowledge base: entries, loading, index, search, checks and training.

The front door is :func:`open_kb`; the CLI, the app, bench and the tests all go through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb import started as _started  # noqa: F401  (the time the import began, taken first)

if TYPE_CHECKING:
    from kb.library import Library, open_kb

__all__ = ["Library", "open_kb"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import kb.errors` stays as cheap as it was.
    if name in __all__:
        from kb import library

        return getattr(library, name)
    raise AttributeError(name)
