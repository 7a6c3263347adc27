"""Finds the line of a table or key in TOML text, for error messages tomllib cannot place."""

from __future__ import annotations

import re

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


class TomlLines:
    """Where each ``[table]`` / ``[[array]]`` header and each ``key =`` line is, 1-based.

    A line-level scan, not a parser: it serves files tomllib has already accepted, and
    answers ``None`` when the layout is unusual (inline tables, dotted keys).
    """

    def __init__(self, text: str) -> None:
        self._headers: dict[tuple[str, int], int] = {}
        self._keys: dict[tuple[str, int] | None, dict[str, int]] = {None: {}}
        counts: dict[str, int] = {}
        block: tuple[str, int] | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            header = _ARRAY_HEADER.match(line) or _TABLE_HEADER.match(line)
            if header:
                name = header.group(1)
                index = counts.get(name, 0)
                counts[name] = index + 1
                block = (name, index)
                self._headers.setdefault(block, number)
                self._keys.setdefault(block, {})
                continue
            key = _KEY.match(line)
            if key:
                self._keys[block].setdefault(key.group(1), number)

    def line(self, table: str, index: int | None = None, key: str | None = None) -> int | None:
        """The line of ``key`` in the ``index``-th ``table`` (0-based), else of its header.

        ``index`` is None for a plain ``[table]``. Falls back to a top-level ``table = ...``.
        """
        block = (table, index or 0)
        if block in self._headers:
            if key is not None and key in self._keys[block]:
                return self._keys[block][key]
            return self._headers[block]
        return self._keys[None].get(table)
