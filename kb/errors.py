"""One small hierarchy of domain errors, each carrying where the problem is."""

from __future__ import annotations

from kb.bilingual import Bilingual


class KbError(Exception):
    """A problem the user can fix: bad content, a bad input, a bad file.

    ``path``, ``line`` and ``field`` say where, when known. ``str()`` gives one line
    fit for a terminal: ``path:line: field: message``, in English; ``render("ja")`` gives
    the same line in Japanese when the raiser wrote one (``ja=``), else in English.
    Paths and field names are identifiers and stay as they are in both languages.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
        ja: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_ja = ja
        self.path = path
        self.line = line
        self.field = field

    @property
    def text(self) -> Bilingual:
        """The message in both languages (English where no Japanese was written)."""
        return Bilingual(self.message_ja or self.message, self.message)

    def message_in(self, lang: str) -> str:
        """The message alone, in ``lang`` ("ja" or "en") when written in it, else English."""
        return self.text.text(lang)

    def render(self, lang: str) -> str:
        """``path:line: field: message`` with the message in ``lang``."""
        where = self.location()
        message = self.message_in(lang)
        return f"{where}: {message}" if where else message

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


class ContentWarning(ContentError):
    """A doubt about content that does not make it invalid (an imported entry's flags)."""


class InputError(KbError):
    """A calculator input or command-line value that is out of range or unparsable."""


class SourceError(InputError):
    """A document given to `faq import` that cannot be read: missing, binary, too big, PDF."""


class ClusterFileError(KbError):
    """A cluster description (TOML) that is not valid as a file."""


class StoreError(KbError):
    """The progress store cannot be read or written."""
