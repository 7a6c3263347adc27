"""Small text tests shared by the import stages: language, questions, keys, sentence ends."""

from __future__ import annotations

import re
import unicodedata

_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")

# "Q:", "Q1.", "Ｑ．", "質問:", "問 3)", "(Q)", "【Q】", "問1　"; "A:", "回答：", "答え:", "(A)", "答　".
# Full-width forms too ("Ｑ１．", "Ａ："), as Japanese pages write them.
_OPEN, _CLOSE = r"[(（\[【［]", r"[)）\]】］]"


def _mark(words: str, bracketed: str) -> re.Pattern[str]:
    """A leading marker: "Q:", "Q1.", "(Q)", "【Q】", "問1　" (a full-width space after a
    Japanese marker or a number; never an ASCII one: "A4 paper" is not an answer). In
    brackets a letter is a capital: "(a)" is a list item."""
    return re.compile(
        rf"^\s*(?:\*\*)?(?:{_OPEN}\s*(?:{bracketed})\s*[0-9０-９]{{0,3}}\s*{_CLOSE}\s*[:：.．、]?"
        rf"|(?:{words})\s*[0-9０-９]{{0,3}}\s*[:：.．)）、]|(?:{words})[0-9０-９]{{0,3}}　)(?:\*\*)?\s*", re.I)


Q_MARK = _mark("[qｑＱ]|question|質問|問", "(?-i:[QＱ])|question|質問|問")
A_MARK = _mark("[aａＡ]|answer|回答|答え?", "(?-i:[AＡ])|answer|回答|答え?")
_EN_ASK = re.compile(
    r"^(?:how|what|why|when|where|which|who|whom|whose|can|could|do|does|did|is|are|was|were|"
    r"should|will|would|may|might|must|has|have|am|isn't|aren't|don't|doesn't|can't)\b", re.I)
_JA_ASK = re.compile(r"(?:ですか|ますか|ませんか|でしょうか|のですか|んですか|でしょう|ますでしょうか|か)[。．.]?$")
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)]|[（(]\d{1,3}[）)])\s+")
_SENTENCE_END = re.compile(r"[。．.!！?？」』）)\]】\"'`*]$")
MAX_QUESTION_CHARS = 300


def lang_of(text: str) -> str:
    """"ja" when the text has kana, or more CJK ideographs than Latin letters; else "en"."""
    if _KANA.search(text):
        return "ja"
    cjk = len(_CJK.findall(text))
    return "ja" if cjk and cjk >= len(_LATIN.findall(text)) / 4 else "en"


def strip_question_mark(text: str) -> tuple[str, bool]:
    """The text without a leading "Q:" style marker, and whether it had one."""
    match = Q_MARK.match(text)
    if match and text[match.end():].strip():
        return _unbold(text[match.end():].strip()), True
    return text, False


def strip_answer_mark(text: str) -> tuple[str, bool]:
    """The text without a leading "A:" style marker, and whether it had one."""
    match = A_MARK.match(text)
    if match:
        return text[match.end():].strip(), True
    return text, False


def _unbold(text: str) -> str:
    if text.startswith("**") and text.endswith("**") and len(text) > 4:
        return text[2:-2].strip()
    return text.strip("*").strip() if text.count("**") == 1 else text


def clean_question(text: str) -> str:
    """A question as it should be shown: markers, numbering, bold and anchors removed."""
    text, _ = strip_question_mark(text)
    text = _unbold(text.strip())
    text = _NUMBERING.sub("", text)
    text = re.sub(r"\s*[¶#]+\s*$", "", text)
    return re.sub(r"\s+", " ", text).strip()


def is_question(text: str) -> bool:
    """Does this one line read as a question (a "?" or "か。" ending, or "How ..." and no period)?"""
    text = clean_question(text)
    if not text or len(text) > MAX_QUESTION_CHARS or "\n" in text:
        return False
    if text.rstrip("!！")[-1:] in ("?", "？"):  # "...what is it?!" asks too
        return True
    if lang_of(text) == "ja":
        return bool(_JA_ASK.search(text)) and len(text) >= 6
    return bool(_EN_ASK.match(text)) and text[-1] not in ".!:;,"


def ends_sentence(text: str) -> bool:
    """Does the text end like a finished sentence (or a closing bracket or quote)?"""
    return bool(_SENTENCE_END.search(text.rstrip()))


def key_of(text: str) -> str:
    """A comparison key: NFKC, lower case, no markers, spaces or punctuation."""
    text = unicodedata.normalize("NFKC", clean_question(text)).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two keys (1.0: the same)."""
    if a == b:
        return 1.0
    if len(a) < 2 or len(b) < 2:
        return 0.0
    grams_a = {a[i:i + 2] for i in range(len(a) - 1)}
    grams_b = {b[i:i + 2] for i in range(len(b) - 1)}
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))


def plain(text: str) -> str:
    """Markdown inline text without its markup: link targets, emphasis and code ticks."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]+", "", text)
