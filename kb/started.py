"""When this copy of the code began to be imported (``kb`` imports this first).

A module file written after this may not be what the process runs: caches keyed by module
files check it (kb.checks.quantity_file).
"""

from __future__ import annotations

import time

IMPORTED_NS = time.time_ns()
