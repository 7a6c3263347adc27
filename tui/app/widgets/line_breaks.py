"""Japanese line breaking for the app's text wrapping, which otherwise breaks only at spaces.

Textual wraps text with Rich's line divider, which breaks at whitespace and folds a word
longer than the line. Japanese
has no spaces between words, so a sentence is one long "word": the line before it is
left short and the sentence is then cut at any character, even inside "CSV". Here every
CJK character becomes a place to break, with the basic kinsoku rules: closing
punctuation and the long-vowel mark never start a line, opening brackets never end one.
"""

from __future__ import annotations

import re

from tui.app.compat import set_word_pattern

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\u3000-\u303f"
_NO_START = "、。，．・：；？！ー～…‥）〕］｝〉》」』】〙〗ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
_NO_END = "（〔［｛〈《「『【〘〖"
# A "word" is what may not be split: one CJK character with the brackets before it and
# the closing marks after it, or a run of other non-space characters (a Latin word), with
# the spaces around it, as Rich's own pattern (\s*\S+\s*) has them.
WORD = re.compile(
    rf"\s*(?:[{_NO_END}]*[{_CJK}][{_NO_START}]*|[^\s{_CJK}]+[{_NO_START}]*)\s*"
)


def enable_cjk_line_breaks() -> bool:
    """Make the wrapper break between CJK characters; False if this Rich has no such hook.

    It changes every later wrap in this process, and nothing else: Latin text still
    breaks only at spaces.
    """
    return set_word_pattern(WORD)
