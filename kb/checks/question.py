"""Runs the checks an entry links to, on the parameters a question gives."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from kb.checks.extract import scan_for_checks
from kb.checks.registry import calculator
from kb.checks.result import CheckResult
from kb.checks.spec import Calculator, QuestionScan
from kb.errors import InputError


def checks_for_question(question: str, check_ids: Iterable[str]) -> list[CheckResult]:
    """The results of the linked calculators whose inputs the question gives, in ``check_ids`` order.

    A calculator runs when the question gives every parameter it requires and has no
    default for (a node count, a memory size); a parameter with a default takes it, and
    one that says so when assumed (the link speed) says so in the explanation. A value the
    calculator refuses (a 200 Gbps link) skips that check: a question is not a form, and
    the answer is still worth showing. A validator needs a whole file, so a question never
    runs it; an id no check has is skipped too.
    """
    scan: QuestionScan | None = None
    results: list[CheckResult] = []
    for check_id in dict.fromkeys(check_ids):  # each once, in order
        check = calculator(check_id)
        if check is None:
            continue
        scan = scan or scan_for_checks(question)
        result = answer_from_question(check, scan)
        if result is not None:
            results.append(result)
    return results


def answer_from_question(check: Calculator, scan: QuestionScan) -> CheckResult | None:
    """``check`` on what the question gives, or None when it lacks an input or one is refused."""
    values = {}
    assumed = []
    for param in check.params:
        value = param.find(scan) if param.find else None
        if value is None:
            if param.required and param.default is None:
                return None
            value = param.default
            if param.assumed is not None:
                assumed.append(param)
        values[param.name] = value
    try:
        result = check.compute(**values)
    except InputError:
        return None
    if not assumed:
        return result
    text = {lang: "".join(p.assumed.text(lang) for p in assumed if p.assumed) + result.explain(lang)
            for lang in result.explanation}
    return replace(result, explanation=text,
                   extra={**result.extra, "assumed": [p.name for p in assumed]})
