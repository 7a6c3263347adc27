"""Answer quality on our own labelled questions: the bar the knowledge base must hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.retrieval.evaluate import evaluate, read_cases

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


@pytest.mark.parametrize("name", ["eval_dev.jsonl", "eval_blind.jsonl"])
def test_other_question_sets(engine, name):
    # eval_dev: the first 51 were held out while eval.jsonl was tuned; the rest are the
    # probes of a later tuning round. eval_blind: 130 questions written by someone who saw
    # only the source page, never the entries (0.910 / 0.900 before the round that used it).
    # Each keeps the knowledge base honest on phrasings the others lack.
    report = evaluate(engine, read_cases(DATA / name))
    assert report.accuracy >= 0.9, [(m.case.question, m.got) for m in report.misses if m.case.expect]
    assert report.rejection >= 0.9, [(m.case.question, m.got) for m in report.misses if not m.case.expect]
