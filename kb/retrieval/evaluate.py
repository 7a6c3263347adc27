"""Answer-quality measurement: run labelled questions through `ask` and score the results."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.content.files import display_path, read_text_file
from kb.errors import ContentError


@dataclass(frozen=True)
class Case:
    question: str
    expect: tuple[str, ...]  # empty: off-topic, no answer is right
    line: int


@dataclass
class Miss:
    case: Case
    got: list[str]  # the answers given, best first; empty when none was confident
    confidence: float
    closest: list[str] = field(default_factory=list)  # the candidates, when no answer was given


@dataclass
class EvalReport:
    """Top-1 accuracy and MRR on on-topic questions; rejection rate on off-topic ones."""

    on_topic: int = 0
    off_topic: int = 0
    top1: int = 0
    reciprocal_rank: float = 0.0
    rejected: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.top1 / self.on_topic if self.on_topic else 1.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_rank / self.on_topic if self.on_topic else 1.0

    @property
    def rejection(self) -> float:
        return self.rejected / self.off_topic if self.off_topic else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "questions": self.on_topic + self.off_topic,
            "on_topic": self.on_topic,
            "off_topic": self.off_topic,
            "top1_accuracy": round(self.accuracy, 4),
            "mrr": round(self.mrr, 4),
            "off_topic_rejection": round(self.rejection, 4),
            "misses": [
                {"line": m.case.line, "q": m.case.question, "expect": list(m.case.expect), "got": m.got,
                 "closest": m.closest, "confidence": round(m.confidence, 4)}
                for m in self.misses
            ],
        }


def read_cases(path: Path) -> list[Case]:
    """Read a JSON Lines file of ``{"q": ..., "expect": [ids]}``; errors name the line."""
    where = display_path(path)
    # A regular file of bounded size (a FIFO would block and /dev/zero fill memory), UTF-8;
    # every failure names the file (and the line, for bad UTF-8).
    lines = read_text_file(path, error=ContentError, encoding="utf-8").splitlines()
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ContentError(f"not JSON: {exc.msg}", path=where, line=number,
                               ja=f"JSON ではありません: {exc.msg}") from None
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or not isinstance(item.get("expect"), list):
            raise ContentError('each line needs {"q": str, "expect": [ids]}', path=where, line=number,
                               ja='各行は {"q": str, "expect": [ids]} の形式でなければなりません')
        cases.append(Case(item["q"], tuple(str(x) for x in item["expect"]), number))
    return cases


def evaluate(engine: Any, cases: list[Case], top: int = 3) -> EvalReport:
    """Ask every case; a miss is a wrong or missing top answer, or an answered off-topic one."""
    report = EvalReport()
    for case in cases:
        result = engine.ask(case.question, top=top, run_checks=False)
        got = [a.id for a in result.answers]
        confidence = result.candidates[0].confidence if result.candidates else 0.0
        if not case.expect:
            report.off_topic += 1
            if got:
                report.misses.append(Miss(case, got, confidence))
            else:
                report.rejected += 1
            continue
        report.on_topic += 1
        rank = next((i for i, g in enumerate(got, start=1) if g in case.expect), None)
        if rank is not None:
            report.reciprocal_rank += 1.0 / rank
        if got and got[0] in case.expect:
            report.top1 += 1
        else:
            cand = [a.id for a in result.candidates]
            # The words around the ids are the printer's: the report keeps data only.
            report.misses.append(Miss(case, got, confidence, closest=[] if got else cand))
    return report
