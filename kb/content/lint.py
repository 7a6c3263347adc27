"""Everything `faq lint` reports: content problems plus quiz items that would mislead a trainee."""

from __future__ import annotations

from pathlib import Path

from kb.content.load import DRAFT, KnowledgeBase
from kb.errors import ContentError, ContentWarning


def lint_kb(kb: KnowledgeBase) -> list[ContentError]:
    """All problems, sorted by file and line: loading, cross-references, quiz items.

    A draft entry is one warning (ContentWarning) instead of the errors of what it still lacks.
    """
    # Imported here: training pulls in the scheduler, which `faq ask` never needs.
    from kb.training import validate_generated_links, validate_quiz

    problems = list(kb.problems)
    for entry in kb.entries.values():
        if DRAFT in entry.flags:
            problems.append(ContentWarning(
                'draft: write the answer in each language and the quiz items, then remove flags = ["draft"]',
                path=entry.path or None, line=_flags_line(entry.path), field="flags",
                ja='下書きです: 各言語の回答とクイズ項目を書いてから flags = ["draft"] を削除してください'))
            continue
        problems.extend(validate_quiz(entry))
    problems.extend(validate_generated_links(kb.entries))
    return sorted(problems, key=lambda p: (p.path or "", p.line or 0, p.field or ""))


def _flags_line(path: str) -> int | None:
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, start=1) if line.lstrip().startswith("flags")), None)
