"""faq-assistant knowledge base: entries, loading, index, search, checks and training.

The front door is :func:`open_kb`; the CLI, the app, bench and the tests all go through it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

# When this copy of the code began to be imported: a module file changed after this may not be
# what this process runs (caches keyed by module files check it; kb.checks.quantity_file).
IMPORTED_NS = time.time_ns()

if TYPE_CHECKING:
    from kb.library import Library, open_kb

__all__ = ["Library", "open_kb"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import kb.errors` stays as cheap as it was.
    if name in __all__:
        from kb import library

        return getattr(library, name)
    raise AttributeError(name)
