"""Answer quality on our own labelled questions: the bar the knowledge base must hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.evaluate import evaluate, read_cases

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def report(engine):
    return evaluate(engine, read_cases(DATA / "eval.jsonl"))


def test_eval_set_is_big_and_mixed():
    cases = read_cases(DATA / "eval.jsonl")
    assert len(cases) >= 80
    assert sum(1 for c in cases if not c.expect) >= 15


def test_top1_accuracy(report):
    assert report.accuracy >= 0.9, [(m.case.question, m.got) for m in report.misses if m.case.expect]


def test_off_topic_rejection(report):
    assert report.rejection >= 0.9, [(m.case.question, m.got) for m in report.misses if not m.case.expect]


def test_held_out_dev_set(engine):
    dev = evaluate(engine, read_cases(DATA / "eval_dev.jsonl"))
    # The dev set is never tuned on; it guards against overfitting eval.jsonl.
    assert dev.accuracy >= 0.8 and dev.rejection >= 0.8
