"""Answer quality on our own labelled questions: regression floors the knowledge base must hold.

All three sets have been tuned on: each was first measured on questions nobody had fixed
anything against, then used to improve the content and the analysis. Their figures are
floors against regressions now, not estimates of how well answers generalise; the honest
estimate for unseen questions is each set's first measurement (eval_blind: 0.910 / 0.900).

Each set is held at its measured level less two questions (a floor of 0.9 left 6-10 misses
of slack, enough to lose a whole entry's phrasings unnoticed). When a change moves a
figure, re-measure with `faq eval FILE` and move the floor with it, in the same commit.

A new held-out set (for instance for another knowledge base under tests/data/) is kept out
of this loop: measure it, report the figure, never fix anything against it. Once it has
been used to fix something, it is no longer held out: retire it into the floors here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.retrieval.evaluate import evaluate, read_cases

DATA = Path(__file__).resolve().parent / "data"

# Measured with the engine (`faq eval`) when the floors were set:
# set -> (right top-1 answers, on-topic questions), (off-topic questions rejected, off-topic).
MEASURED = {
    # 111/112 = 0.991 top-1, 32/33 = 0.970 rejected
    "eval.jsonl": ((111, 112), (32, 33)),
    # 78/79 = 0.987, 23/23 = 1.000
    "eval_dev.jsonl": ((78, 79), (23, 23)),
    # 98/100 = 0.980, 30/30 = 1.000
    "eval_blind.jsonl": ((98, 100), (30, 30)),
}
SLACK = 2  # questions each figure may lose before the test fails


def _floor(hits: int, n: int) -> float:
    return (hits - SLACK) / n


@pytest.fixture(scope="module")
def report(engine):
    return evaluate(engine, read_cases(DATA / "eval.jsonl"))


def test_eval_set_is_big_and_mixed():
    cases = read_cases(DATA / "eval.jsonl")
    assert len(cases) >= 80
    assert sum(1 for c in cases if not c.expect) >= 15


def test_top1_accuracy(report):
    (hits, n), _off = MEASURED["eval.jsonl"]
    assert report.accuracy >= _floor(hits, n), [(m.case.question, m.got) for m in report.misses if m.case.expect]


def test_off_topic_rejection(report):
    _on, (rejected, n) = MEASURED["eval.jsonl"]
    assert report.rejection >= _floor(rejected, n), [
        (m.case.question, m.got) for m in report.misses if not m.case.expect]


@pytest.mark.parametrize("name", ["eval_dev.jsonl", "eval_blind.jsonl"])
def test_other_question_sets(engine, name):
    # eval_dev: the first 51 were held out while eval.jsonl was tuned; the rest are the
    # probes of a later tuning round. eval_blind: 130 questions written by someone who saw
    # only the source page, never the entries (0.910 / 0.900 before the round that used it).
    # Each keeps the knowledge base honest on phrasings the others lack; both have been
    # tuned on since, so they are floors like eval.jsonl, not held-out estimates.
    report = evaluate(engine, read_cases(DATA / name))
    (hits, on_topic), (rejected, off_topic) = MEASURED[name]
    on_misses = [(m.case.question, m.got) for m in report.misses if m.case.expect]
    off_misses = [(m.case.question, m.got) for m in report.misses if not m.case.expect]
    assert report.accuracy >= _floor(hits, on_topic), on_misses
    assert report.rejection >= _floor(rejected, off_topic), off_misses


def test_the_floors_are_for_the_sets_as_measured():
    # A floor is a count out of a set's size: a set that grows or shrinks is re-measured.
    for name, ((_hits, on_topic), (_rejected, off_topic)) in MEASURED.items():
        cases = read_cases(DATA / name)
        assert (sum(1 for c in cases if c.expect), sum(1 for c in cases if not c.expect)) == (on_topic, off_topic), name
