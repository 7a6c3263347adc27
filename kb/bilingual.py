"""Text in two languages has one shape: ``Bilingual(ja, en)``."""

from __future__ import annotations

from typing import NamedTuple


class Bilingual(NamedTuple):
    """One piece of text in Japanese and English (the UI catalog, help, errors, checks)."""

    ja: str
    en: str

    def text(self, lang: str) -> str:
        """The text in ``lang``: English for "en", Japanese otherwise (Japanese first)."""
        return self.en if lang == "en" else self.ja
