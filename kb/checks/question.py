"""Runs the checks an entry links to, on the parameters a question gives."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from kb.checks.concurrency import max_concurrent_migrations
from kb.checks.extract import scan_question
from kb.checks.migration import DEFAULT_LINK_MBPS, DEFAULT_LOAD, migration_time
from kb.checks.result import CheckResult
from kb.errors import InputError

_LINK_NOTE = {
    "ja": "質問にリンク速度がないため 1 Gbps と仮定しました。",
    "en": "The question gives no link speed, so 1 Gbps is assumed. ",
}


def checks_for_question(question: str, check_ids: Iterable[str]) -> list[CheckResult]:
    """The results of the linked checks whose inputs the question gives, in ``check_ids`` order.

    max-concurrent-migrations needs a node count; migration-time needs a memory size and
    assumes a 1 Gbps link and medium load when the question names none. A value the
    calculator refuses (a 200 Gbps link) skips that check: a question is not a form, and
    the answer is still worth showing. The cluster validator needs a whole cluster file,
    so a question never runs it.
    """
    params, load = scan_question(question)
    results: list[CheckResult] = []
    for check in dict.fromkeys(check_ids):  # each once, in order
        if check == "max-concurrent-migrations" and "nodes" in params:
            results.append(max_concurrent_migrations(params["nodes"]))
        elif check == "migration-time" and "memory_mb" in params:
            try:
                results.append(_migration_time(params, load))
            except InputError:
                continue
    return results


def _migration_time(params: dict[str, float], load: str | None) -> CheckResult:
    link = params.get("link_mbps")
    # A load word goes in as a load, so the explanation says "heavy load", not "as given".
    dirty = None if load else params.get("dirty_rate_mbps")
    result = migration_time(params["memory_mb"], link or DEFAULT_LINK_MBPS, dirty,
                            load=load or DEFAULT_LOAD)
    if link is not None:
        return result
    text = {lang: _LINK_NOTE[lang] + result.explanation[lang] for lang in result.explanation}
    return replace(result, explanation=text, extra={**result.extra, "assumed": ["link_mbps"]})
