"""Everything `faq lint` reports: content problems plus quiz items that would mislead a trainee.

Generated quiz items are not checked here: they follow the entries that link their checks
(kb.training.generate), so they always have an entry to link to.
"""

from __future__ import annotations

from kb.content.load import KnowledgeBase
from kb.errors import ContentError


def lint_kb(kb: KnowledgeBase) -> list[ContentError]:
    """All problems, sorted by file and line: loading, cross-references, quiz items."""
    # Imported here: training pulls in the scheduler, which `faq ask` never needs.
    from kb.training import validate_quiz

    problems = list(kb.problems)
    for entry in kb.entries.values():
        problems.extend(validate_quiz(entry))
    return sorted(problems, key=lambda p: (p.path or "", p.line or 0, p.field or ""))
