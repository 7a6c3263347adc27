"""Tied candidates pre-ordered by a substring (character run) BM25 over their whole text.

Where FTS5 trigram search answers a question we do not, the right entry is most often our
second, a hair behind the first ("stash untracked files": 0.946 / 0.944): both hold every
word the question has, and word features cannot tell them apart. A substring search can:
it counts how often each of the question's runs of three or more characters (split at
spaces, punctuation and hiragana, as FTS5 trigram queries are written) occurs in each
entry's questions, alternates and answers, as they are written ("untracked files",
"deleted"), against the entry's length. Only the candidates within TIE_WINDOW of the best
are scored, with their idf taken among themselves, so nothing beside the index is needed
and the cost is a few substring counts. The order only pre-sorts the tie: the phrasing
wording comparison (confidence.break_ties) still decides first, and scores and
confidences stay as they are (the calibration never sees this).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from kb.retrieval.confidence import Scored

TIE_WINDOW = 0.02  # as confidence.TIE: wider windows cost shipped questions (BENCHMARKS, issue 17)
MIN_RUN = 3
K1, B = 1.2, 0.75
_SPLIT = re.compile(r"[\s\W\u3041-\u309f]+")


def question_runs(text: str) -> list[str]:
    """The question's runs of MIN_RUN or more characters, case-folded, each once."""
    return list(dict.fromkeys(r.casefold() for r in _SPLIT.split(text) if len(r) >= MIN_RUN))


def run_scores(runs: list[str], bodies: dict[str, str]) -> dict[str, float]:
    """BM25 of each body (case-folded text) for the runs, idf among the bodies themselves."""
    out = dict.fromkeys(bodies, 0.0)
    if not bodies:
        return out
    lengths = {key: max(1, len(body) - 2) for key, body in bodies.items()}  # trigrams, as FTS5 counts
    average = sum(lengths.values()) / len(lengths)
    for run in runs:
        counts = {key: body.count(run) for key, body in bodies.items()}
        holders = sum(1 for c in counts.values() if c)
        if not holders:
            continue
        idf = math.log(1 + (len(bodies) - holders + 0.5) / (holders + 0.5))
        for key, tf in counts.items():
            if tf:
                out[key] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[key] / average))
    return out


def order_ties(ranked: list[Scored], question: str, body: Callable[[str], str | None]) -> list[Scored]:
    """``ranked`` with the candidates within TIE_WINDOW of the best sorted by ``run_scores``
    (stable: equal scores keep their order); ``body(id)`` is an entry's case-folded text."""
    tied = [s for s in ranked if s.raw >= ranked[0].raw - TIE_WINDOW] if ranked else []
    if len(tied) < 2:
        return ranked
    runs = question_runs(question)
    if not runs:
        return ranked
    bodies = {s.id: text for s in tied if (text := body(s.id)) is not None}
    scores = run_scores(runs, bodies)
    return sorted(tied, key=lambda s: -scores.get(s.id, 0.0)) + ranked[len(tied):]


def entry_body(entry: Any) -> str:
    """An entry's questions, alternates and answers in every language, case-folded."""
    parts: list[str] = []
    for loc in entry.text.values():
        parts += [loc.question, *loc.alternates, loc.answer]
    return "\n".join(parts).casefold()
