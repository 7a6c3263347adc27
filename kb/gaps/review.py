"""What an author does with a gap: accept a phrasing into an entry, dismiss it, or start a draft.

The CLI and the app both call these; each changes the content files and the log, then
says what lint thinks of the result. Re-opening the index is the caller's (through
``kb.open_kb``: the index is keyed by the content's hash, so a changed file rebuilds it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kb.content.edit import Edit, add_alternate, refuse_read_only, write_atomically
from kb.content.entry import LANGS
from kb.content.lint import lint_kb
from kb.content.load import KnowledgeBase, load_kb
from kb.errors import ContentError, InputError, KbError, StoreError
from kb.gaps.draft import ENTRY_ID, draft_text, suggest_id
from kb.gaps.group import Gap
from kb.gaps.log import QuestionLog
from kb.text.analysis import normalize
from kb.text.script import script_lang


@dataclass
class Outcome:
    """What a review step changed, and the problems lint (or the log) reported after it."""

    path: Path
    entry_id: str
    lang: str = ""
    line: int = 0
    changed: bool = True
    edit: Edit | None = None
    problems: list[ContentError] = field(default_factory=list)  # lint's, for the changed file only
    warnings: list[KbError] = field(default_factory=list)  # the log could not be written


def accept_question(kb: KnowledgeBase, question: str, entry_id: str, lang: str | None,
                    log: QuestionLog | None, now: datetime) -> Outcome:
    """Add ``question`` to ``entry_id``'s alternates in ``lang`` (default: by its script)."""
    question = question.strip()
    entry = kb.entries.get(entry_id)
    if entry is None:
        raise InputError(f"no entry {entry_id!r}", field="--to", ja=f"項目 {entry_id!r} はありません")
    lang = lang or script_lang(question)
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r} (ja or en)", field="--lang",
                         ja=f"言語 {lang!r} は使えません (ja または en)")
    edit = add_alternate(Path(entry.path), lang, question)
    outcome = Outcome(path=Path(entry.path), entry_id=entry_id, lang=lang, line=edit.line, changed=edit.changed,
                      edit=edit)
    _remember(outcome, log, lambda lg: lg.record_accepted(question, entry_id, lang, now))
    outcome.problems = lint_file(kb.root, outcome.path)
    return outcome


def dismiss_gap(gap: Gap, log: QuestionLog, now: datetime) -> None:
    """Hide the gap's questions from now on (written beside the log). Raises StoreError."""
    try:
        log.record_dismissed(gap.questions, now)
    except OSError as exc:
        raise _store_error(log, exc) from None


def draft_entry(kb: KnowledgeBase, gap: Gap, entry_id: str | None, log: QuestionLog | None,
                now: datetime) -> Outcome:
    """Write ``entries/<id>.md`` for a new topic: the gap's questions, no answers, flagged draft."""
    taken = set(kb.entries) | {p.stem for p in (kb.root / "entries").glob("*.md")}
    if entry_id is None:
        entry_id = suggest_id(gap.questions, taken)
    elif not ENTRY_ID.match(entry_id):
        raise InputError("id must be lower-case letters, digits and hyphens", field="--id",
                         ja="id には英小文字、数字、ハイフンだけを使用してください")
    path = kb.root / "entries" / f"{entry_id}.md"
    if entry_id in taken or path.exists():
        raise InputError(f"an entry {entry_id!r} already exists: choose another --id", field="--id",
                         ja=f"項目 {entry_id!r} はすでにあります。別の --id を指定してください")
    refuse_read_only(path)
    closest = [kb.entries[i] for i in gap.closest if i in kb.entries]
    write_atomically(path, draft_text(entry_id, gap.questions, closest, kb).encode("utf-8"), new=True)
    outcome = Outcome(path=path, entry_id=entry_id, line=1)

    def record(lg: QuestionLog) -> None:
        for question in gap.questions:
            lg.record_accepted(question, entry_id, script_lang(question), now)

    _remember(outcome, log, record)
    outcome.problems = lint_file(kb.root, path)
    return outcome


def find_gap(gaps: list[Gap], question: str) -> Gap | None:
    """The gap holding ``question`` (compared as the analyser normalizes it)."""
    wanted = normalize(question)
    return next((g for g in gaps if any(normalize(q) == wanted for q in g.questions)), None)


def lint_file(root: Path, path: Path) -> list[ContentError]:
    """What `faq lint` reports about one file of the knowledge base in ``root``."""
    mine = str(path)
    return [p for p in lint_kb(load_kb(root)) if p.path == mine]


def _remember(outcome: Outcome, log: QuestionLog | None, write: Callable[[QuestionLog], None]) -> None:
    if log is None:
        return
    try:
        write(log)
    except OSError as exc:
        outcome.warnings.append(_store_error(log, exc))


def _store_error(log: QuestionLog, exc: OSError) -> StoreError:
    reason = exc.strerror or str(exc)
    return StoreError(f"cannot write beside the question log: {reason}", path=str(log.paths.folder),
                      ja=f"質問ログのフォルダーに書き込めません: {reason}")
