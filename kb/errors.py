"""One small hierarchy of domain errors, each carrying where the problem is."""

from __future__ import annotations


class KbError(Exception):
    """A problem the user can fix: bad content, a bad input, a bad file.

    ``path``, ``line`` and ``field`` say where, when known. ``str()`` gives one line
    fit for a terminal: ``path:line: field: message``.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field

    def location(self) -> str:
        parts = []
        if self.path:
            parts.append(self.path if self.line is None else f"{self.path}:{self.line}")
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class ContentError(KbError):
    """An entry, glossary or tag file that does not load or validate."""


class InputError(KbError):
    """A calculator input or command-line value that is out of range or unparsable."""


class ClusterFileError(KbError):
    """A cluster description (TOML) that is not valid as a file."""


class StoreError(KbError):
    """The progress store cannot be read or written."""
