"""Small JSON files kept beside the index (its calibration, its synonym groups).

Each carries a format version; a file that is missing, unreadable, of another version or
not a JSON object reads as None, and its owner makes it again.
"""

from __future__ import annotations

import json
from typing import Any


def read_json(storage: Any, name: str, version: int) -> dict[str, Any] | None:
    """The object stored as ``name`` in the index's ``storage``, if it is of ``version``."""
    try:
        with storage.open_file(name) as handle:
            data = json.loads(bytes(handle.read()).decode("utf-8"))
    except Exception:  # noqa: BLE001 - any unreadable file is made again
        return None
    return data if isinstance(data, dict) and data.get("version") == version else None


def write_json(storage: Any, name: str, version: int, data: dict[str, Any]) -> None:
    """Store ``data`` (with its ``version``) as ``name`` in the index's ``storage``."""
    text = json.dumps({"version": version, **data}, ensure_ascii=False, separators=(",", ":"))
    with storage.create_file(name) as handle:
        handle.write(text.encode("utf-8"))
