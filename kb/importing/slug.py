"""Readable, stable entry ids from questions, Japanese ones too (romanised with Sudachi's readings).

An id keeps the question's ASCII words (CSV, TCP, Hyper-V) and its most distinctive content
words, dropping the words most of the document's questions share ("live migration" in a
live-migration FAQ). The same source always gives the same ids.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

from kb.importing.terms import EN_STOP
from kb.importing.text import clean_question, lang_of

MAX_WORDS = 4
MAX_CHARS = 48
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:[-+.][A-Za-z0-9]+)*")
_ID_CHARS = re.compile(r"[^a-z0-9]+")
_CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞"}
_JA_STOP = {"こと", "もの", "ため", "よう", "場合", "方", "何", "時", "とき", "所", "中", "上", "等", "点",
            "感じ", "どれ", "どこ", "どの", "いくつ", "以下", "次", "いつ", "良い", "よい", "いい", "対する",
            "関する", "行う", "為る"}
_EN_EXTRA_STOP = {"able", "possible", "need", "needs", "there", "any", "way", "much", "many", "else"}

# Katakana -> romaji (Hepburn without macrons: 共有 キョウユウ -> kyoyu).
_DIGRAPHS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho", "チャ": "cha",
    "チュ": "chu", "チョ": "cho", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo", "ヒャ": "hya", "ヒュ": "hyu",
    "ヒョ": "hyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo", "リャ": "rya", "リュ": "ryu", "リョ": "ryo",
    "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo", "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ビャ": "bya",
    "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo", "ティ": "ti", "ディ": "di",
    "トゥ": "tu", "ドゥ": "du", "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "ウィ": "wi",
    "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo", "シェ": "she",
    "ジェ": "je", "チェ": "che", "デュ": "dyu", "テュ": "tyu", "フュ": "fyu",
}
_KANA = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョ",
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu "
    "me mo ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de do ba bi bu be bo "
    "pa pi pu pe po vu a i u e o ya yu yo".split(), strict=True))


def romanise(katakana: str) -> str:
    """Katakana (a Sudachi reading) in plain ASCII romaji; long vowels are not doubled."""
    out: list[str] = []
    i = 0
    double = False
    text = unicodedata.normalize("NFKC", katakana)
    while i < len(text):
        pair, ch = text[i:i + 2], text[i]
        if ch == "ッ":
            double = True
            i += 1
            continue
        syllable = _DIGRAPHS.get(pair)
        step = 2 if syllable else 1
        syllable = syllable or _KANA.get(ch, "")
        if double and syllable:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double = False
        out.append(syllable)
        i += step
    word = "".join(out)
    for long, short in (("ou", "o"), ("uu", "u"), ("oo", "o"), ("aa", "a"), ("ii", "i")):
        word = word.replace(long, short)
    return word


@functools.cache
def _tokenizer() -> Any:
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(SplitMode.C)


def words_of(question: str) -> list[str]:
    """A question's id words in order: ASCII words as they are, Japanese ones romanised."""
    question = clean_question(question)
    if lang_of(question) == "en":
        return [w for w in (m.group().lower() for m in _ASCII_WORD.finditer(unicodedata.normalize("NFKC", question)))
                if w not in EN_STOP and w not in _EN_EXTRA_STOP]
    words: list[str] = []
    text = unicodedata.normalize("NFKC", question)
    try:
        morphemes = list(_tokenizer().tokenize(text[:2000]))
    except Exception:  # noqa: BLE001 - no dictionary: the ASCII words (and a number) must do
        morphemes = []
    for m in morphemes:
        surface = m.surface()
        if surface.isascii():
            continue
        pos = m.part_of_speech()
        if pos[0] not in _CONTENT_POS or pos[1] in ("非自立可能", "数詞", "固有名詞") and pos[0] == "動詞" \
                or surface in _JA_STOP or m.normalized_form() in _JA_STOP:
            continue
        word = romanise(m.reading_form())
        if len(word) >= 2:
            words.append(word)
    ascii_words = [m.group().lower() for m in _ASCII_WORD.finditer(text) if not m.group().isdigit()]
    # ASCII words first: "csv-hyper-v-..." reads better than romaji around them.
    return [*dict.fromkeys(ascii_words), *[w for w in words if w not in ascii_words]]


def common_words(questions: Iterable[str]) -> set[str]:
    """Words shared by many of a document's questions: they tell its questions apart poorly."""
    counts: Counter[str] = Counter()
    total = 0
    for question in questions:
        total += 1
        counts.update(set(words_of(question)))
    limit = max(2, round(total * 0.3))
    return {w for w, n in counts.items() if n >= limit} if total >= 3 else set()


def slug_for(question: str, common: set[str], taken: set[str], fallback: str = "q") -> str:
    """A free id for ``question``: its distinctive words, else ``fallback``; "-2" on a clash."""
    words = [w for w in words_of(question) if w not in common] or words_of(question)
    base = ""
    for word in words[:MAX_WORDS]:
        candidate = f"{base}-{word}" if base else word
        if len(_clean(candidate)) > MAX_CHARS:
            break
        base = candidate
    base = _clean(base) or _clean(fallback) or "q"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _clean(text: str) -> str:
    return _ID_CHARS.sub("-", text.lower()).strip("-")
