"""Which language a piece of text is written in, judged by its script alone."""

from __future__ import annotations

import re

# Kana, kanji, the prolonged sound mark and the iteration mark: what only Japanese uses here.
_JAPANESE = re.compile("[\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u3005]")


def script_lang(text: str) -> str:
    """``"ja"`` when ``text`` has any kana or kanji (half-width kana too), else ``"en"``."""
    return "ja" if _JAPANESE.search(text) else "en"
