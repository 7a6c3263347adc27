"""Finds a check's parameters in a free-text question: node count, memory, link, dirty rate."""

from __future__ import annotations

import re
from typing import Any

from kb.checks.migration import LOAD_DIRTY_RATE, find_load
from kb.checks.spec import QuestionScan
from kb.checks.units import (
    ABSURD,
    MB_PER_UNIT,
    MBPS_PER_UNIT,
    RATE_MB_PER_UNIT,
    normalize,
)

# The spellings free text may use, by kind; factors come from the unit tables. Narrower
# than the option parsers: a bare "G" or "8" in a sentence is no unit. Case matters only
# where it carries meaning: "Gb" is gigabits (a link), "GB" and "gb" gigabytes.
_RATE_WORDS = ("mb/s", "mb/sec", "mb/秒", "メガバイト/秒", "mib/s",
               "gb/s", "gb/sec", "gb/秒", "ギガバイト/秒", "gib/s")
_BIT_WORDS = ("Mb/s", "Gb/s", "Mb", "Gb")  # case-sensitive
_LINK_WORDS = ("mbps", "mbit/s", "mbit", "megabit", "メガビット",
               "gbps", "gbit/s", "gbit", "gbe", "gige", "gigabit", "ギガビット", "ギガ")
_MEMORY_WORDS = ("mb", "mib", "gb", "gib", "tb", "tib", "メガバイト", "ギガバイト", "テラバイト")
# (spelling, kind, factor, case-sensitive); factors give MB/s, Mbps or MB.
_UNITS: list[tuple[str, str, float, bool]] = [
    *[(u, "rate", RATE_MB_PER_UNIT[u], False) for u in _RATE_WORDS],
    *[(u, "link", MBPS_PER_UNIT[u.lower()], True) for u in _BIT_WORDS],
    *[(u, "link", MBPS_PER_UNIT[u], False) for u in _LINK_WORDS],
    *[(u, "memory", MB_PER_UNIT[u], False) for u in _MEMORY_WORDS],
]
_UNIT_INFO = {(u if cs else u.lower()): (kind, factor) for u, kind, factor, cs in _UNITS}

# A number not glued to a word or another number: "R2" is no 2, "x64" no 64.
_NUM = r"(?<![A-Za-z0-9.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# At most 9 digits: a longer run is no count of anything (and int() refuses over 4300 digits).
_INT = r"(?<![A-Za-z0-9.,])(?P<num>\d{1,9})(?![\d.,])"
_UNIT_ALT = "|".join(
    re.escape(u) if cs else f"(?i:{re.escape(u)})"
    # Longest first, and case-sensitive before the same letters in any case.
    for u, _kind, _f, cs in sorted(_UNITS, key=lambda t: (-len(t[0]), not t[3]))
)
_QUANTITY = re.compile(_NUM + r"\s*(?P<unit>" + _UNIT_ALT + r")(?![A-Za-z])")
# "1 ノードあたり 8 GB" is a rate per node, not a node count.
_PER = r"(?!\s*(?:あたり|当たり|ごと|毎))"
_NODES_AFTER = re.compile(
    _INT + r"\s*-?\s*(?P<word>(?:つの|個の)?\s*(?:ノード|ホスト)|台"
    r"|(?i:nodes?|hosts?|servers?)(?![A-Za-z]))" + _PER
)
_NODES_BEFORE = re.compile(
    r"(?:ノード|ホスト|(?i:\bnodes?|\bhosts?))\s*(?:数|の数|count)?\s*(?:が|は|:|=|を|\s+is)?\s*"
    + _INT + r"(?!\s*(?:[A-Za-z/]|ギガ|メガ|テラ))\s*+(?:つ|台|個)?+" + _PER
)
# "VM を 3 台", "10 台の仮想マシン": machines being moved, not cluster nodes.
_VM_BEFORE = re.compile(r"(?i:vm|仮想マシン|ゲスト)\s*(?:を|が|は|も)?\s*$")
_VM_AFTER = re.compile(r"\s*の?\s*(?i:vm|仮想|ゲスト|virtual)")
_MEMORY_AFTER = re.compile(r"\s*の?\s*(?i:メモリ|ram|memory)")
_VERSION = re.compile(r"(?i)(?:(?:windows|hyper-v)\s*server\s*)?\b(?:2008|2012)\s*r2\b")


def extract_parameters(question: str) -> dict[str, Any]:
    """The parameters found in ``question``: any of nodes, memory_mb, link_mbps, dirty_rate_mbps.

    The first mention of each wins. A load word (light, 高負荷 ...) stands for its default
    dirty rate when no rate is written out.
    """
    return scan_question(question)[0]


def scan_question(question: str) -> tuple[dict[str, Any], str | None]:
    """Like :func:`extract_parameters`, also naming the load word the dirty rate came from."""
    scan = scan_for_checks(question)
    found = dict(scan.values)
    if scan.load is not None:
        found["dirty_rate_mbps"] = LOAD_DIRTY_RATE[scan.load]
    return found, scan.load


def scan_for_checks(question: str) -> QuestionScan:
    """The question as the checks read it: its text, the numbers with units, the load word.

    A written-out dirty rate is in ``values``; a load word only in ``load``.
    """
    text = _VERSION.sub(" ", normalize(question))
    found: dict[str, Any] = {}
    for match in _QUANTITY.finditer(text):
        unit = match.group("unit")
        kind, factor = _UNIT_INFO.get(unit, None) or _UNIT_INFO[unit.lower()]
        if unit == "ギガ" and _MEMORY_AFTER.match(text, match.end()):
            kind = "memory"  # "8ギガのメモリ": gigabytes of RAM, not a gigabit link
        value = float(match.group("num").replace(",", "")) * factor
        key = {"memory": "memory_mb", "link": "link_mbps", "rate": "dirty_rate_mbps"}[kind]
        if key not in found and (0 < value <= ABSURD or (kind == "rate" and value == 0)):
            found[key] = value
    nodes = _find_nodes(text)
    if nodes is not None:
        found["nodes"] = nodes
    load = None if "dirty_rate_mbps" in found else find_load(text)
    return QuestionScan(text, found, load)


def _find_nodes(text: str) -> int | None:
    """The first node count in ``text``, either "4 ノード" or "ノード数は 4"."""
    candidates: list[tuple[int, int]] = []
    for match in _NODES_AFTER.finditer(text):
        if match.group("word") == "台" and (
            _VM_BEFORE.search(text, 0, match.start())
            or _VM_AFTER.match(text, match.end())
        ):
            continue
        candidates.append((match.start(), int(match.group("num"))))
    for match in _NODES_BEFORE.finditer(text):
        candidates.append((match.start("num"), int(match.group("num"))))
    return min(candidates)[1] if candidates else None
