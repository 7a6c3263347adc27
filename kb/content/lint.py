"""Everything `faq lint` reports: content problems plus quiz items that would mislead a trainee."""

from __future__ import annotations

from kb.content.load import KnowledgeBase
from kb.errors import ContentError


def lint_kb(kb: KnowledgeBase) -> list[ContentError]:
    """All problems, sorted by file and line: loading, cross-references, quiz items."""
    # Imported here: training pulls in the scheduler, which `faq ask` never needs.
    from kb.training import validate_generated_links, validate_quiz

    problems = list(kb.problems)
    for entry in kb.entries.values():
        problems.extend(validate_quiz(entry, kb.profile.quiz_per_entry))
    # Generated items come with the computed checks; a knowledge base that links none has none.
    if any(entry.checks for entry in kb.entries.values()):
        problems.extend(validate_generated_links(kb.entries))
    return sorted(problems, key=lambda p: (p.path or "", p.line or 0, p.field or ""))
