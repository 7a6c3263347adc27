"""Confidence calibrated on the knowledge base itself, at index build time, stored with the index.

Probes come from the content: each entry's question, in each of its languages, is asked
with the whole entry left out, a question in the content's own words on a topic the
knowledge base lacks (words only that entry used count as unknown, as they would for a
real question). Confidence crosses 0.5 at the median of their best scores: a question
scoring there is as likely to be about a topic the knowledge base lacks as not. A
knowledge base whose questions match loosely (few alternates, short answers) gets a lower
bar, one whose questions match closely a higher one, so 0.5 means the same on any of them.

Until version 2 each phrasing was also asked with only itself left out, and the bar was
at least the score 85 % of those answered right reached; on the foreign knowledge bases
that floor sat 0.15 above the off-topic scores and turned away right answers phrased
loosely, and those probes were four fifths of the cost. Questions about what the content
does not cover are turned away by the words it never uses, which weigh the most
(kb.retrieval.question), not by a list of names.

The probes set the bar for a question with about a third of its weight in such words
(UNKNOWN_PIVOT); one whose every word the content uses needs up to a tenth less, one made
only of them up to a fifth more. Half of the right answers FTS5 found and we turned away
were the right entry first just under the bar, asked in the content's own words
("VPNがつながらない 自宅", "git clone behind a corporate proxy"), while off-topic questions
that score near the bar carry the words the content lacks ("Outlook", "splatting").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from kb.retrieval.confidence import Calibration, Exclusion, Ranker
from kb.retrieval.index_files import read_json, write_json
from kb.retrieval.question import QuestionAnalyzer

FILE = "CALIBRATION.json"
# 2: the bar is the off-topic probes' median alone; 3: only those probes are made; 4: entries in
# hash order; 5: the bar moves with the share of the question's weight the content has no word for
VERSION = 5
MAX_ABSENT = 60  # entry-left-out probes: enough for their median
FULL_PROBES_UP_TO = 2000  # above this many entries the probes shrink (probe_budget)
LARGE_MIN_ABSENT = 20
MIN_PROBES = 12
STEEPNESS = 12.0
# The bar holds for a question with UNKNOWN_PIVOT of its weight in words the content never
# uses, and moves by UNKNOWN_SLOPE of itself per unit of that share above or below.
UNKNOWN_SLOPE = 0.3
UNKNOWN_PIVOT = 0.35


def load_calibration(storage: Any) -> Calibration | None:
    """The stored calibration, or None when missing or unreadable."""
    data = read_json(storage, FILE, VERSION)
    if data is None:
        return None
    try:
        return Calibration(float(data["w_raw"]), float(data["w_margin"]), float(data["bias"]), int(data["probes"]),
                           float(data["w_unknown"]), float(data["unknown_pivot"]))
    except (KeyError, TypeError, ValueError):  # a file of another shape is made again
        return None


def save_calibration(storage: Any, calibration: Calibration) -> None:
    write_json(storage, FILE, VERSION, calibration.to_json())


def probe_budget(entries: int) -> int:
    """How many entries' questions are probed (left out) for a knowledge base of ``entries``.

    A probe costs about what `ask` costs, which grows with the entries, and an incremental
    update calibrates again (the statistics every probe reads have moved). Above
    FULL_PROBES_UP_TO entries the probes shrink in proportion, to no fewer than
    LARGE_MIN_ABSENT: on the 10,000-entry synthetic corpus 20 left-out entries put the bar
    0.005 from 60, in a third of the time; 12 moved it by 0.05.
    """
    if entries <= FULL_PROBES_UP_TO:
        return MAX_ABSENT
    return max(LARGE_MIN_ABSENT, MAX_ABSENT * FULL_PROBES_UP_TO // entries)


def calibrate(analyzer: QuestionAnalyzer, ranker: Ranker) -> Calibration:
    """Fit the calibration on probes made from the content (see the module docstring)."""
    kb = analyzer.kb
    budget = probe_budget(len(kb.entries))
    searcher = analyzer.searcher
    ranker = ProbeRanker(analyzer, ranker)
    probes = probe_questions(kb, budget)
    docnums = {entry_id: searcher.document_number(id=entry_id) for entry_id, _text in probes}
    absent: list[float] = []  # best raw scores when the probe's entry is left out
    for entry_id, text in probes:
        docnum = docnums.get(entry_id)
        if docnum is None:
            continue
        exclusion = Exclusion(entry_id, gone=frozenset(searcher.stored_fields(docnum).get("vocab", ())))
        df = _df_without(analyzer, exclusion.gone)
        question = analyzer.analyze(text, df_override=df)
        ranked = ranker.rank(question, 1, exclusion, df)
        absent.append(ranked[0].raw if ranked else 0.0)
    if len(absent) < MIN_PROBES:
        return Calibration(probes=len(absent))
    bar = _quantile(absent, 0.5)
    return Calibration(STEEPNESS, 0.0, -STEEPNESS * bar, len(absent), UNKNOWN_SLOPE, UNKNOWN_PIVOT)


def probe_questions(kb: Any, budget: int) -> list[tuple[str, str]]:
    """(entry id, question) probed: each entry's question in each of its languages, entry by
    entry, so a bilingual knowledge base cut at the budget is still probed in both; only the
    entries probed are decoded. Entries go in the order of a hash of their id, not of the
    ids: entries added or edited elsewhere do not change which are probed, and ten near-copies
    added at the front of the id order cannot take every probe (they moved the bar from 0.744
    to 0.949 on the 10,000-entry corpus)."""
    probes: list[tuple[str, str]] = []
    for entry_id in sorted(kb.entries, key=_probe_order):
        if len(probes) >= budget:
            break
        probes.extend((entry_id, loc.question) for loc in kb.entries[entry_id].text.values())
    return probes[:budget]


def _probe_order(entry_id: str) -> bytes:
    return hashlib.blake2b(entry_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def _df_without(analyzer: QuestionAnalyzer, gone: frozenset[str]) -> Callable[[str], int]:
    """Document frequencies with one entry's (or phrasing's) words taken out."""

    def df(key: str) -> int:
        n = analyzer.df(key)
        return n - 1 if key in gone and n > 0 else n

    return df


class ProbeRanker(Ranker):
    """``Ranker`` as probes use it: the same scores, found sooner.

    A probe leaves its entry out, so every candidate's phrasings weigh that entry's words
    with the probe's own document frequencies: computed once per probe and word here, not
    once per phrasing.
    """

    def __init__(self, analyzer: QuestionAnalyzer, ranker: Ranker) -> None:
        super().__init__(ranker.searcher, ranker.scope, self._probe_weight)
        self._analyzer = analyzer
        self._probe_df: Callable[[str], int] | None = None
        self._probe_weights: dict[str, float] = {}

    def _probe_weight(self, key: str, df: Callable[[str], int] | None = None) -> float:
        if df is None:
            return self._analyzer.weight(key)
        if df is not self._probe_df:  # another probe
            self._probe_df, self._probe_weights = df, {}
        found = self._probe_weights.get(key)
        if found is None:
            found = self._probe_weights[key] = self._analyzer.weight(key, df)
        return found

