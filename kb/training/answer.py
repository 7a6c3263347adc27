"""Reading a trainee's typed answer: a choice number, true/false in ja or en, or a number."""

from __future__ import annotations

import math
import re
import unicodedata

from kb.errors import InputError

# Compared after NFKC and lower-casing, so "ＹＥＳ" and "Yes" both count.
TRUE_WORDS = frozenset(
    {"true", "t", "yes", "y", "はい", "正", "正しい", "○", "◯", "〇", "o"}
)
FALSE_WORDS = frozenset(
    {"false", "f", "no", "n", "いいえ", "誤", "誤り", "×", "✕", "✗", "x"}
)

# Seconds per time unit, for numeric items asked in seconds ("2 min" means 120).
SECONDS_PER_UNIT: dict[str, float] = {
    "": 1.0, "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0, "秒": 1.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0, "分": 60.0,
    "h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0, "時間": 3600.0,
}

# Words around a number that mean nothing for its value: "about 40 s", "約 40 秒".
_HEDGES = ("about", "approx.", "approx", "approximately", "around", "roughly",
           "ca.", "~", "≈", "約", "およそ", "だいたい", "大体")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_CHOICE = re.compile(r"^\(?(\d+)[.)]?$")


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII), trimmed and lower-cased."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_choice(text: str, count: int) -> int:
    """The 1-based choice number in ``text`` ("2", "２", "(2)", "2."), checked against ``count``."""
    match = _CHOICE.match(normalize(text))
    if not match:
        raise InputError(f"{text.strip()!r} is not a choice number", field="answer",
                         ja=f"{text.strip()!r} は選択肢の番号ではありません")
    # Python refuses to convert more than 4,300 digits; no choice number has more than a few.
    digits = match.group(1).lstrip("0") or "0"
    shown = digits if len(digits) <= 12 else f"{digits[:6]}…({len(digits)} digits)"
    number = int(digits) if len(digits) <= 12 else 0
    if not 1 <= number <= count:
        raise InputError(f"choose a number from 1 to {count}, not {shown}", field="answer",
                         ja=f"1 から {count} までの番号を選んでください (指定値: {shown})")
    return number


def parse_bool(text: str) -> bool:
    """True or false written as true/false, t/f, yes/no, y/n, はい/いいえ, 正/誤 or ○/×."""
    word = normalize(text).rstrip(".。!！")
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InputError(f"{text.strip()!r} is not true or false", field="answer",
                     ja=f"{text.strip()!r} を正誤 (はい / いいえ) の答えとして解釈できません")


def parse_numeric(text: str, unit: str | None = None) -> float:
    """The one number in ``text``, units stripped; with ``unit="s"``, minutes and hours convert.

    Full-width digits, thousands commas and hedges ("about", "約") are accepted; two
    numbers ("3 or 4") or none are refused rather than guessed.
    """
    clean = _THOUSANDS.sub("", normalize(text))
    for hedge in _HEDGES:
        if clean.startswith(hedge):
            clean = clean[len(hedge):].strip()
    numbers = _NUMBER.findall(clean)
    if len(numbers) != 1:
        raise _not_one_number(text)
    match = _NUMBER.search(clean)
    assert match is not None
    if clean[: match.start()].strip():
        raise _not_one_number(text)
    value = float(match.group())
    if not math.isfinite(value):
        raise InputError(f"{text.strip()!r} is not a finite number", field="answer",
                         ja=f"{text.strip()!r} は有限の数値ではありません")
    suffix = clean[match.end():].strip().rstrip(".。")
    if unit == "s":
        factor = SECONDS_PER_UNIT.get(suffix.replace(" ", ""))
        if factor is None:
            raise InputError(f"unknown time unit {suffix!r} in {text.strip()!r}", field="answer",
                             ja=f"{text.strip()!r} の時間単位 {suffix!r} を認識できません")
        value *= factor
    return value


def _not_one_number(text: str) -> InputError:
    return InputError(f"{text.strip()!r} is not one number", field="answer",
                      ja=f"{text.strip()!r} を 1 つの数値として解釈できません")


def within(value: float, expected: float, tolerance: float = 0.0, rel_tolerance: float = 0.0) -> bool:
    """Whether ``value`` is ``expected`` give or take the larger of the two tolerances."""
    allowed = max(tolerance, abs(expected) * rel_tolerance)
    # A little slack for float noise, so 0.1 + 0.2 counts as 0.3.
    return abs(value - expected) <= allowed + 1e-9 * max(1.0, abs(expected))
