"""Numbers with units as people write them: "8 GiB", "10GbE", "５０MB/s", "十六"."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kb.errors import InputError

# Sizes are decimal: 1 MB = 10**6 bytes, so a link of L megabits/s moves L/8 MB per second
# with no conversion factor. Binary units (GiB, MiB) convert exactly to decimal MB.
MB_PER_UNIT: dict[str, float] = {
    "": 1.0, "m": 1.0, "mb": 1.0, "mbyte": 1.0, "メガ": 1.0, "メガバイト": 1.0,
    "mib": 1.048576,
    "g": 1000.0, "gb": 1000.0, "gbyte": 1000.0, "ギガ": 1000.0, "ギガバイト": 1000.0,
    "gib": 1073.741824,
    "t": 1e6, "tb": 1e6, "テラ": 1e6, "テラバイト": 1e6,
    "tib": 1099511.627776,
}

# Link speeds are quoted in bits; "1GB NIC" in a link field still means a gigabit NIC.
MBPS_PER_UNIT: dict[str, float] = {
    "": 1.0, "m": 1.0, "mb": 1.0, "mbps": 1.0, "mbit": 1.0, "mbit/s": 1.0, "mb/s": 1.0,
    "megabit": 1.0, "メガ": 1.0, "メガビット": 1.0,
    "g": 1000.0, "gb": 1000.0, "gbps": 1000.0, "gbit": 1000.0, "gbit/s": 1000.0, "gb/s": 1000.0,
    "gbe": 1000.0, "gige": 1000.0, "gigabit": 1000.0, "ギガ": 1000.0, "ギガビット": 1000.0,
}
# ...except an explicit byte rate, spelled with a capital B.
_BYTE_RATE_MBPS = {"MB/s": 8.0, "MBps": 8.0, "GB/s": 8000.0, "GBps": 8000.0}

RATE_MB_PER_UNIT: dict[str, float] = {
    "": 1.0, "mb/s": 1.0, "mb/sec": 1.0, "mb/秒": 1.0, "mb": 1.0, "メガバイト/秒": 1.0,
    "mib/s": 1.048576, "mib": 1.048576,
    "gb/s": 1000.0, "gb/sec": 1000.0, "gb/秒": 1000.0, "gb": 1000.0, "ギガバイト/秒": 1000.0,
    "gib/s": 1073.741824, "gib": 1073.741824,
}

# Bigger than any memory, link or rate a person means: "1e99" is a typo, not a request.
ABSURD = 1e9

_NUMBER = re.compile(
    # Commas only as thousands separators: "1,5GB" is refused rather than read as 15 GB.
    r"^(?P<num>[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?"
    r"|[-+]?(?:nan|inf(?:inity)?))"
    r"\s*(?P<unit>.*?)$",
    re.IGNORECASE,
)
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
                 "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_RUN = re.compile(f"[{''.join(_KANJI_DIGITS)}{''.join(_KANJI_UNITS)}]+")
_KANJI_TO_ASCII = str.maketrans({ch: str(d) for ch, d in _KANJI_DIGITS.items()})


def kanji_to_int(run: str) -> int:
    """The value of a kanji numeral: 十六 -> 16, 二十 -> 20, 三百五 -> 305, 二〇〇八 -> 2008."""
    if not any(ch in _KANJI_UNITS for ch in run):
        # Digit by digit, not int(text): Python refuses to convert over 4300 digits.
        value = 0
        for ch in run:
            value = value * 10 + _KANJI_DIGITS[ch]
        return value
    total = current = 0
    for ch in run:
        if ch in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
        else:
            current = _KANJI_DIGITS[ch]
    return total + current


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII) and kanji numerals become digits."""
    text = unicodedata.normalize("NFKC", text)
    return _KANJI_RUN.sub(_kanji_digits, text)


def _kanji_digits(match: re.Match[str]) -> str:
    run = match.group()
    if not any(ch in _KANJI_UNITS for ch in run):
        return run.translate(_KANJI_TO_ASCII)  # 二〇〇八 -> 2008, however long, no int needed
    return str(kanji_to_int(run))


def check_number(value: float, field: str, *, low: float, high: float,
                 low_open: bool = False, why: str = "", why_ja: str = "",
                 least: float | None = None) -> float:
    """``value`` if it is a finite number in range, else an InputError naming ``field``.

    ``least`` is a smallest meaningful value above ``low`` (a 1e-320 Mbps link is
    positive, but every time computed over it is infinite). ``why`` and ``why_ja`` say,
    in English and Japanese, what the upper limit is when ``high`` alone would not.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        name = type(value).__name__
        raise InputError(f"expected a number, got {name}", field=field,
                         ja=f"数値を指定してください (指定された型: {name})")
    high_ja = why_ja or f"{high:g} 以下の値を指定してください"
    try:
        number = float(value)
    except OverflowError:  # an integer past float range, e.g. from TOML
        raise InputError(f"too large: {why or f'at most {high:g}'}", field=field,
                         ja=f"値が大きすぎます。{high_ja}") from None
    if not math.isfinite(number):
        raise InputError(f"must be a finite number, not {number}", field=field,
                         ja=f"有限の数値を指定してください (指定値: {number})")
    too_low = number <= low if low_open else number < low
    if too_low:
        bound = f"greater than {low:g}" if low_open else f"at least {low:g}"
        bound_ja = f"{low:g} より大きい" if low_open else f"{low:g} 以上の"
        raise InputError(f"must be {bound}, not {number:g}", field=field,
                         ja=f"{bound_ja}値を指定してください (指定値: {number:g})")
    if least is not None and number < least:
        raise InputError(f"must be at least {least:g}, not {number:g}", field=field,
                         ja=f"{least:g} 以上の値を指定してください (指定値: {number:g})")
    if number > high:
        raise InputError(f"{number:g} is too large: {why or f'at most {high:g}'}", field=field,
                         ja=f"値が大きすぎます (指定値: {number:g})。{high_ja}")
    return number


def _split(text: str, field: str, what: tuple[str, str]) -> tuple[float, str]:
    """The number and the unit of ``text``; an InputError if there is no number first.

    ``what`` describes the expected text as (English, Japanese), e.g. ("a size such as
    8GB", "8GB のようなサイズ").
    """
    what_en, what_ja = what
    if not isinstance(text, str):
        raise InputError(f"expected text like {what_en}", field=field,
                         ja=f"{what_ja}を文字列で指定してください")
    clean = normalize(text).strip()
    match = _NUMBER.match(clean)
    if not match:
        raise _not_what(text, field, what)
    try:
        number = float(match.group("num").replace(",", ""))
    except ValueError:
        raise _not_what(text, field, what) from None
    return number, match.group("unit").strip()


def _not_what(text: str, field: str, what: tuple[str, str]) -> InputError:
    space = " " if what[1][:1].isascii() else ""  # Japanese style spaces off Latin words
    return InputError(f"{text!r} is not {what[0]}", field=field,
                      ja=f"{text!r} は{space}{what[1]}ではありません")


def _require_unit(number: float, unit: str, text: str, field: str, example: str) -> None:
    """Refuse a bare number where a unit changes the meaning a thousandfold ("8" MB or GB?)."""
    if not unit and number != 0:  # nothing is nothing in any unit
        guess = f"{text.strip()}{example}"
        raise InputError(f"{text!r} has no unit: did you mean {guess}?", field=field,
                         ja=f"{text!r} に単位がありません: {guess} のことですか?")


def _unit_factor(table: dict[str, float], unit: str, text: str, field: str) -> float:
    factor = table.get(unit.lower().replace(" ", ""))
    if factor is None:
        raise InputError(f"unknown unit {unit!r} in {text!r}", field=field,
                         ja=f"{text!r} の単位 {unit!r} は不明です")
    return factor


def parse_size_mb(text: str, field: str = "memory", require_unit: bool = False) -> float:
    """A memory size in decimal MB: "8GB" -> 8000, "8 GiB" -> 8589.934592, bare "512" -> 512.

    ``require_unit`` refuses the bare number (the command line, where "8" is more likely 8 GB).
    """
    number, unit = _split(text, field, ("a size such as 8GB", "8GB のようなサイズ"))
    if require_unit:
        _require_unit(number, unit, text, field, "GB")
    value = number * _unit_factor(MB_PER_UNIT, unit, text, field)
    return check_number(value, field, low=0, low_open=True, high=ABSURD)


def parse_link_mbps(text: str, field: str = "link", require_unit: bool = False) -> float:
    """A link speed in megabits/s: "1Gbps" -> 1000, "10 GbE" -> 10000, bare "100" -> 100 (unless ``require_unit``)."""
    number, unit = _split(text, field, ("a link speed such as 1Gbps", "1Gbps のようなリンク速度"))
    if require_unit:
        _require_unit(number, unit, text, field, "Gbps")
    factor = _BYTE_RATE_MBPS.get(unit.replace(" ", ""))
    if factor is None:
        factor = _unit_factor(MBPS_PER_UNIT, unit, text, field)
    return check_number(number * factor, field, low=0, low_open=True, high=ABSURD)


def parse_rate_mbps(text: str, field: str = "dirty_rate", require_unit: bool = False) -> float:
    """A memory dirty rate in MB/s: "50MB/s" -> 50, bare "50" -> 50 (unless ``require_unit``)."""
    number, unit = _split(text, field, ("a rate such as 50MB/s", "50MB/s のようなレート"))
    if require_unit:
        _require_unit(number, unit, text, field, "MB/s")
    value = number * _unit_factor(RATE_MB_PER_UNIT, unit, text, field)
    return check_number(value, field, low=0, high=ABSURD)


def parse_number(text: str, field: str) -> float:
    """A plain number with no unit: "0.7", "７"."""
    number, unit = _split(text, field, ("a number", "数値"))
    if unit:
        raise InputError(f"{text!r} is not a plain number", field=field,
                         ja=f"{text!r} は数値ではありません (単位は付けずに指定してください)")
    return check_number(number, field, low=-ABSURD, high=ABSURD)


def parse_count(text: str, field: str) -> int:
    """A whole number of things, zero or more: "6", "６", "六"."""
    number = parse_number(text, field)
    if number != int(number) or number < 0:
        raise InputError(f"{text!r} is not a whole number of 0 or more", field=field,
                         ja=f"{text!r} は 0 以上の整数ではありません")
    return int(number)


def format_number(x: float) -> str:
    """About three significant figures, as a person would write the number in a sentence."""
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}".removesuffix(".0")
    return f"{x:.3g}"


def format_seconds(seconds: float, lang: str) -> str:
    """A duration in seconds, with minutes too once it is long enough to think in minutes."""
    unit = "秒" if lang == "ja" else "s"
    text = f"{format_number(seconds)} {unit}"
    if seconds >= 90:
        text += f" ({seconds / 60:.1f} {'分' if lang == 'ja' else 'min'})"
    return text


def show_size(mb: float) -> str:
    """A memory size as a person would type it back: "16GB", "8GiB", "512MB"."""
    if mb >= 1000 and mb % 100 == 0:
        return f"{mb / 1000:g}GB"
    gib = mb / MB_PER_UNIT["gib"]
    if gib >= 1 and abs(gib - round(gib)) < 1e-9:
        return f"{round(gib)}GiB"
    return f"{mb:g}MB"


def show_link(mbps: float) -> str:
    """A link speed as a person would type it back: "10Gbps", "100Mbps"."""
    return f"{mbps / 1000:g}Gbps" if mbps >= 1000 and mbps % 100 == 0 else f"{mbps:g}Mbps"


def parse_word(text: str, field: str) -> str:
    """A word naming one of a few choices ("light"); the calculator says which are valid."""
    if not isinstance(text, str):
        raise InputError("expected a word", field=field, ja="文字列で指定してください")
    return text.strip()


@dataclass(frozen=True)
class Unit:
    """A kind of value a check takes: how text is read into it and how it is shown again."""

    name: str
    parse: Callable[[str, str], Any]  # (text, field named in errors) -> value
    show: Callable[[Any], str]
    takes_unit: bool = False  # a quantity with a unit word: strict reading refuses a bare number

    def read(self, text: str, field: str, strict: bool = False) -> Any:
        """``parse``; ``strict`` (the command line) refuses a quantity typed without its unit."""
        if strict and self.takes_unit:
            return self.parse(text, field, require_unit=True)  # type: ignore[call-arg]
        return self.parse(text, field)


SIZE = Unit("size", parse_size_mb, show_size, takes_unit=True)
LINK = Unit("link", parse_link_mbps, show_link, takes_unit=True)
RATE = Unit("rate", parse_rate_mbps, lambda x: f"{x:g}MB/s", takes_unit=True)
COUNT = Unit("count", parse_count, lambda x: str(int(x)))
NUMBER = Unit("number", parse_number, lambda x: f"{x:g}")
WORD = Unit("word", parse_word, str)
