"""Content terms of a line without a dictionary: Latin words, katakana and kanji runs.

Used to compare a line's vocabulary with its document's (spam is off-topic) and to draft
glossary terms. Fast and dependency-free: a regular expression per script.
"""

from __future__ import annotations

import re
import unicodedata

_TERM = re.compile(
    r"[A-Za-z][A-Za-z0-9]*(?:[.+\-/][A-Za-z0-9]+)*"  # Latin words: Hyper-V, Dllhost.exe, TCP/IP
    r"|[\u30a1-\u30fa\u30fc]{2,}"  # katakana runs (long vowel mark included)
    r"|[\u3400-\u4dbf\u4e00-\u9fff\u3005]{2,}"  # kanji runs
)
# Function words and the words every FAQ sentence has: never evidence of a topic.
EN_STOP = frozenset(
    "a an and are as at be been being but by can could did do does doing done for from had has have "
    "having he her here hers him his how i if in into is it its just me more most my no nor not now of "
    "off on once only or other our ours out over own same she should so some such than that the their "
    "them then there these they this those through to too under until up very was we were what when "
    "where which while who whom why will with would you your yours also any all each few both yes may "
    "might must shall use used using get got make made see like one two way ways".split()
)


def terms(text: str) -> list[str]:
    """The content terms of ``text``, normalised (NFKC, lower case, no final long vowel)."""
    text = unicodedata.normalize("NFKC", text)
    out = []
    for match in _TERM.finditer(text):
        word = match.group()
        if word[0].isascii():
            lower = word.lower()
            if lower in EN_STOP or (len(lower) < 3 and not word.isupper()):
                continue
            out.append(lower)
        else:
            # コンピューター and コンピュータ are one word.
            out.append(word.rstrip("ー") if len(word.rstrip("ー")) >= 2 else word)
    return out
