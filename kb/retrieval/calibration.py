"""Confidence calibrated on the knowledge base itself, at index build time, stored with the index.

Probes come from the content. Each phrasing of an entry (its question or an alternate) is
asked with that phrasing left out of the entry: a question nobody wrote down yet, whose
answer is that entry; words only the left-out phrasing used count as unknown, as they
would for a real question. Each entry's question is also asked with the whole entry left
out: a question, in the content's own words, on a topic the knowledge base lacks.
Confidence crosses 0.5 at the higher of the score that 85 % of the first kind answered
right reach and the median best score of the second kind. A knowledge base whose
questions match loosely (few alternates, short answers) gets a lower bar, one whose
questions match closely a higher one, so 0.5 means the same on any of them. Questions
about what the content does not cover are turned away by the words it never uses, which
weigh the most (kb.retrieval.question), not by a list of names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from kb.retrieval.confidence import Calibration, Exclusion, Ranker
from kb.retrieval.question import QuestionAnalyzer

FILE = "CALIBRATION.json"
VERSION = 1
MAX_ABSENT = 60  # entry-left-out probes: enough for their median
MAX_PROBES = 300  # phrasings probed, round-robin over entries: every one of a small knowledge base (150 moved the bar by 0.04)
# A probe costs about what `ask` costs, which grows with the entries, and an incremental update
# calibrates again (the statistics every probe reads have moved). Above FULL_PROBES_UP_TO entries
# the probes shrink in proportion, to no fewer than LARGE_MIN_PROBES: on the 10,000-entry
# synthetic corpus 100 probes (20 left-out entries) put the bar 0.005 from 300 (60), in a fifth
# of the time; 60 (12) moved it by 0.05.
FULL_PROBES_UP_TO = 2000
LARGE_MIN_PROBES = 100
MIN_PROBES = 12
ACCEPTED = 0.85  # the share of probes answered by their own entry that must be confident
STEEPNESS = 12.0  # confidence 0.27 / 0.73 at 0.08 below / above the bar


def load_calibration(storage: Any) -> Calibration | None:
    """The stored calibration, or None when missing or unreadable."""
    try:
        with storage.open_file(FILE) as handle:
            data = json.loads(bytes(handle.read()).decode("utf-8"))
        if data.get("version") != VERSION:
            return None
        return Calibration(float(data["w_raw"]), float(data["w_margin"]), float(data["bias"]), int(data["probes"]))
    except Exception:  # noqa: BLE001 - any unreadable calibration is made again
        return None


def save_calibration(storage: Any, calibration: Calibration) -> None:
    data = json.dumps({"version": VERSION, **calibration.to_json()}).encode("utf-8")
    with storage.create_file(FILE) as handle:
        handle.write(data)


def probe_budget(entries: int) -> tuple[int, int]:
    """(phrasings probed, entries left out) for a knowledge base of ``entries``."""
    if entries <= FULL_PROBES_UP_TO:
        return MAX_PROBES, MAX_ABSENT
    probes = max(LARGE_MIN_PROBES, MAX_PROBES * FULL_PROBES_UP_TO // entries)
    return probes, max(MIN_PROBES, MAX_ABSENT * probes // MAX_PROBES)


def calibrate(analyzer: QuestionAnalyzer, ranker: Ranker) -> Calibration:
    """Fit the calibration on probes made from the content (see the module docstring)."""
    kb = analyzer.kb
    max_probes, max_absent = probe_budget(len(kb.entries))
    searcher = analyzer.searcher
    docnums = {searcher.stored_fields(d)["id"]: d for d in range(searcher.doc_count_all())
               if not searcher.ixreader.is_deleted(d)} if kb.entries else {}
    probes: list[tuple[str, int, str]] = []
    per_entry = []
    first: dict[str, set[int]] = {}  # each entry's question in each language
    for entry in kb.entries.values():
        # Phrasings are stored language by language; probe them alternating languages, so
        # a bilingual knowledge base is calibrated on both.
        texts = [p for loc in entry.text.values() for p in (loc.question, *loc.alternates)]
        starts, index = [], 0
        for loc in entry.text.values():
            starts.append((index, 1 + len(loc.alternates)))
            index += 1 + len(loc.alternates)
        order = [start + depth for depth in range(max(n for _s, n in starts)) for start, n in starts if depth < n]
        per_entry.append([(entry.id, i, texts[i]) for i in order])
        first[entry.id] = {start for start, _n in starts}
    # Round-robin over entries, so every entry is probed before any is probed twice.
    depth = 0
    while len(probes) < max_probes and any(depth < len(p) for p in per_entry):
        probes.extend(p[depth] for p in per_entry if depth < len(p))
        depth += 1
    probes = probes[:max_probes]
    if len(probes) < MIN_PROBES:
        return Calibration()
    right: list[float] = []  # raw scores of probes answered by their own entry
    absent: list[float] = []  # best raw scores when the probe's entry is left out
    for entry_id, index, text in probes:
        docnum = docnums.get(entry_id)
        if docnum is None:
            continue
        fields = searcher.stored_fields(docnum)
        phrasings = fields.get("phrasings", [])
        own = set(phrasings[index]) if index < len(phrasings) else set()
        rest = set(fields.get("answer_vocab", ())).union(*(set(p) for i, p in enumerate(phrasings) if i != index))
        exclusions = [Exclusion(entry_id, index, frozenset(rest), frozenset(own - rest))]
        if index in first.get(entry_id, ()) and len(absent) < max_absent:  # once per entry and language
            exclusions.append(Exclusion(entry_id, None, gone=frozenset(fields.get("vocab", ()))))
        for exclusion in exclusions:
            df = _df_without(analyzer, exclusion.gone)
            ranked = ranker.rank(analyzer.analyze(text, df_override=df), 1, exclusion, df)
            best = ranked[0].raw if ranked else 0.0
            if exclusion.phrasing is None:
                absent.append(best)
            elif ranked and ranked[0].id == entry_id:
                right.append(best)
    if len(right) < MIN_PROBES:
        return Calibration(probes=len(right) + len(absent))
    bar = max(_quantile(right, 1 - ACCEPTED), _quantile(absent, 0.5))
    return Calibration(STEEPNESS, 0.0, -STEEPNESS * bar, len(right) + len(absent))


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def _df_without(analyzer: QuestionAnalyzer, gone: frozenset[str]) -> Callable[[str], int]:
    """Document frequencies with one entry's (or phrasing's) words taken out."""

    def df(key: str) -> int:
        n = analyzer.df(key)
        return n - 1 if key in gone and n > 0 else n

    return df
