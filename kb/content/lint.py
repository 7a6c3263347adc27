"""Everything `faq lint` reports: content problems plus quiz items that would mislead a trainee.

Generated quiz items are not checked here: they follow the entries that link their checks
(kb.training.generate), so they always have an entry to link to.
"""

from __future__ import annotations

from kb.content.load import KnowledgeBase
from kb.errors import ContentError, ContentWarning


def lint_kb(kb: KnowledgeBase) -> list[ContentError]:
    """All problems, sorted by file and line: loading, cross-references, quiz items.

    ``ContentWarning`` items are doubts (an imported entry's flags, an entry with no quiz
    items yet): `faq lint` shows them but does not fail on them.
    """
    # Imported here: training pulls in the scheduler, which `faq ask` never needs.
    from kb.importing.flags import flag_warnings
    from kb.training import validate_quiz

    problems = list(kb.problems)
    # Training rules hold for a knowledge base that trains: one without any quiz item (an
    # imported FAQ) lacks none, and links no generated item; an entry with none is a warning.
    trains = any(entry.quiz for entry in kb.entries.values())
    for entry in kb.entries.values():
        for problem in validate_quiz(entry, kb.profile.quiz_per_entry):
            if problem.field == "quiz" and not entry.quiz and trains:
                # An entry with no quiz items yet (imported, a draft) in a knowledge base that
                # trains: a doubt for the author, not an error.
                problems.append(ContentWarning(problem.message, path=problem.path, line=problem.line,
                                               field=problem.field, ja=problem.message_ja))
            else:
                problems.append(problem)
        problems.extend(flag_warnings(entry))
    return sorted(problems, key=lambda p: (p.path or "", p.line or 0, p.field or ""))
