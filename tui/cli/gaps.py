"""`faq gaps`: the questions nobody answered well, and turning them into better entries."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.content.load import KnowledgeBase
from kb.errors import ContentWarning, InputError, KbError
from kb.gaps.group import Gap
from kb.gaps.log import QuestionLog, regression_set
from kb.retrieval.evaluate import Case

if TYPE_CHECKING:
    from kb.gaps.review import Outcome
from tui.cli import context
from tui.cli.exit_codes import EXIT_NO_ANSWER, EXIT_OK
from tui.cli.pager import paged
from tui.cli.render import Style
from tui.cli.text import Help
from tui.i18n import t
from tui.question_log import logging_enabled, question_log_for_reading
from tui.safe import clean_line, dumps_json, from_terminal

_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class _PhrasingLang(argparse.Action):
    """``accept --lang``: the language of the alternates to add to, and of the messages too."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        namespace.lang = values
        namespace.phrasing_lang = values


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help) -> None:
    """Add `faq gaps` and its actions to `faq`."""
    p = sub.add_parser("gaps", parents=[common],
                       help=h("よい答えのなかった質問をまとめて表示し、項目に取り込む",
                              "questions with no good answer, grouped; accept them into entries"))
    p.add_argument("--since", help=h("指定の日付 (2026-11-01) 以降、または期間 (7d、12h) 内の質問だけ",
                                     "only questions asked since a date (2026-11-01) or for a time (7d, 12h)"))
    p.add_argument("--min-count", type=_count, default=1,
                   help=h("この回数以上のまとまりだけ (既定 1)", "only groups asked at least this often (default 1)"))
    p.set_defaults(func=cmd_gaps)
    actions = p.add_subparsers(dest="gaps_action", metavar=h("操作", "ACTION"), parser_class=type(p))

    from tui.cli.parser import common_options

    a = actions.add_parser("accept", parents=[common_options(defaults=False, lang=h.lang, with_lang=False)],
                           help=h("言い回しを項目の alternates に追加", "add a phrasing to an entry's alternates"))
    a.add_argument("question", nargs="+", help=h("質問された言い回し", "the phrasing, as asked"))
    a.add_argument("--to", required=True, metavar="ID", help=h("追加する先の項目の id", "the entry to add it to"))
    a.add_argument("--lang", choices=["ja", "en"], action=_PhrasingLang, default=argparse.SUPPRESS,
                   help=h("追加する alternates の言語 (既定: 言い回しの文字から判定。メッセージの言語にもなります)",
                          "the alternates' language (default: the phrasing's script; also the messages')"))
    a.set_defaults(func=cmd_accept, phrasing_lang=None)

    d = actions.add_parser("dismiss", parents=[common],
                           help=h("質問を含むまとまりを一覧から隠す", "hide the group holding a question"))
    d.add_argument("question", nargs="+", help=h("まとまりの中の質問 1 つ", "one question of the group"))
    d.set_defaults(func=cmd_dismiss)

    n = actions.add_parser("draft", parents=[common],
                           help=h("まとまりから新しい項目の下書きを作る (回答は後で書く)",
                                  "start a new entry from a group (answers left to write)"))
    n.add_argument("question", nargs="+", help=h("まとまりの中の質問 1 つ", "one question of the group"))
    n.add_argument("--id", dest="entry_id", help=h("新しい項目の id (既定: 英語の質問から作る)",
                                                   "the new entry's id (default: from its English question)"))
    n.set_defaults(func=cmd_draft)

    e = actions.add_parser("export", parents=[common],
                           help=h("取り込んだ言い回しを評価用ファイル (JSON Lines) に書き出す",
                                  "write the accepted phrasings as an evaluation file (JSON Lines)"))
    e.add_argument("output", nargs="?", type=Path,
                   help=h("書き出すファイル (既定: 標準出力)", "the file to write (default: standard output)"))
    e.set_defaults(func=cmd_export)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"must be between 1 and 1000000: {value}")
    return value


def parse_since(text: str, now: datetime) -> datetime:
    """``7d``, ``12h``, ``30m``, ``2w`` back from ``now``, or a date / date and time (local time)."""
    try:
        match = _DURATION.match(text)
        if match:
            return now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        moment = datetime.fromisoformat(text.strip())
    except (ValueError, OverflowError):
        raise InputError(f"--since takes a date (2026-11-01) or a time span (7d, 12h, 30m, 2w), not {text!r}",
                         field="--since",
                         ja=f"--since には日付 (2026-11-01) か期間 (7d、12h、30m、2w) を指定してください: {text!r}") from None
    return moment if moment.tzinfo else moment.astimezone()


def _now() -> datetime:
    return datetime.now(UTC)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _warn(lang: str, problem: KbError) -> None:
    print(t("log_problem", lang, problem=clean_line(problem.render(lang))), file=sys.stderr)


def _question(args: argparse.Namespace) -> str:
    return from_terminal(" ".join(args.question)).strip()


def current_gaps(args: argparse.Namespace, kb: KnowledgeBase, log: QuestionLog) -> list[Gap]:
    """The gaps of ``--data``'s log now (problems with the log are warned about on stderr)."""
    from kb.gaps.group import find_gaps

    now = _now()
    since = parse_since(args.since, now) if getattr(args, "since", None) else None
    contents = log.read(now)
    for problem in contents.problems:
        _warn(args.lang, problem)
    return find_gaps(contents, kb, since=since, min_count=getattr(args, "min_count", 1))


# -- faq gaps ----------------------------------------------------------------------------------


@paged
def cmd_gaps(args: argparse.Namespace) -> int:
    kb = context.load(args, quiet=True)
    log = question_log_for_reading(context.data_dir(args))
    gaps = current_gaps(args, kb, log)
    if args.json:
        _out(dumps_json({"gaps": [g.to_json() for g in gaps]}))
        return EXIT_OK if gaps else EXIT_NO_ANSWER
    if not logging_enabled():
        _out(t("gaps_logging_off", args.lang))
    if not gaps:
        _out(t("gaps_none", args.lang, path=str(log.paths.questions)))
        return EXIT_NO_ANSWER
    _out(format_gaps(gaps, kb, args.lang, Style.for_stream(sys.stdout, getattr(args, "color", "auto"))))
    return EXIT_OK


def format_gaps(gaps: list[Gap], kb: KnowledgeBase, lang: str, style: Style) -> str:
    """Each group: how often and when, its questions, why they are gaps, the closest entries."""
    lines = [style.bold(t("gaps_title", lang, n=len(gaps))), ""]
    for number, gap in enumerate(gaps, start=1):
        when = gap.last_seen.astimezone().strftime("%Y-%m-%d %H:%M")
        reasons = ", ".join(t(f"gaps_reason_{r}", lang) for r in gap.reasons)
        lines.append(style.bold(t("gaps_group", lang, i=number, count=gap.count, when=when,
                                  langs=", ".join(gap.languages))) + style.dim(f"  {reasons}"))
        lines += [f"    {clean_line(q)}" for q in gap.questions]
        for entry_id in gap.closest:
            title = kb.entries[entry_id].question(lang) if entry_id in kb.entries else ""
            lines.append(style.dim(f"    → {clean_line(entry_id)}  {clean_line(title)}"))
        lines.append("")
    lines.append(style.dim(t("gaps_hint", lang)))
    return "\n".join(lines)


# -- accept, dismiss, draft, export --------------------------------------------------------------


def cmd_accept(args: argparse.Namespace) -> int:
    from kb.gaps.review import accept_question

    question = _question(args)
    if not question:
        raise InputError("the phrasing is empty", field="QUESTION", ja="言い回しが空です")
    kb = context.load(args, quiet=True)
    # An author's decision is kept even while logging questions is off: it is asked for.
    outcome = accept_question(kb, question, args.to, args.phrasing_lang, _manage(args), _now())
    shown = _display(outcome.path)
    if outcome.changed:
        _refresh_index(args)
        _out(t("gaps_accepted", args.lang, file=shown, line=outcome.line, q=clean_line(question),
               id=outcome.entry_id, language=outcome.lang))
    else:
        _out(t("gaps_already", args.lang, file=shown, line=outcome.line, q=clean_line(question),
               id=outcome.entry_id))
    return _report(args, outcome)


def _named_gap(args: argparse.Namespace) -> tuple[KnowledgeBase, QuestionLog, Gap]:
    """The knowledge base, the log and the gap the QUESTION argument names (bad input if none)."""
    from kb.gaps.review import find_gap

    question = _question(args)
    kb = context.load(args, quiet=True)
    log = _manage(args)
    gap = find_gap(current_gaps(args, kb, log), question)
    if gap is None:
        raise InputError(t("gaps_not_found", "en", q=question), field="QUESTION", ja=t("gaps_not_found", "ja", q=question))
    return kb, log, gap


def cmd_dismiss(args: argparse.Namespace) -> int:
    from kb.gaps.review import dismiss_gap

    _kb, log, gap = _named_gap(args)
    dismiss_gap(gap, log, _now())
    _out(t("gaps_dismissed", args.lang, n=len(gap.questions)))
    return EXIT_OK


def cmd_draft(args: argparse.Namespace) -> int:
    from kb.gaps.review import draft_entry

    kb, log, gap = _named_gap(args)
    outcome = draft_entry(kb, gap, args.entry_id, log, _now())
    _refresh_index(args)
    _out(t("gaps_drafted", args.lang, file=_display(outcome.path), id=outcome.entry_id))
    return _report(args, outcome)


def cmd_export(args: argparse.Namespace) -> int:
    log = _manage(args)
    contents = log.read(_now())
    for problem in contents.problems:
        _warn(args.lang, problem)
    lines = [dumps_json({"q": q, "expect": [entry]}) for q, entry in regression_set(contents.accepted)]
    text = "".join(line + "\n" for line in lines)
    if args.output is None or str(args.output) == "-":
        sys.stdout.write(text)
        return EXIT_OK if lines else EXIT_NO_ANSWER
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot write: {reason}", path=str(args.output), ja=f"書き込めません: {reason}") from None
    _out(t("gaps_exported", args.lang, n=len(lines), path=str(args.output)))
    return EXIT_OK if lines else EXIT_NO_ANSWER


def accepted_cases(args: argparse.Namespace) -> list[Case]:
    """The phrasings accepted with `faq gaps accept`, each expecting its entry (args.file: where kept)."""
    log = _manage(args)
    args.file = log.paths.accepted
    pairs = regression_set(log.read(_now()).accepted)
    if not pairs:
        raise InputError(t("eval_no_accepted", "en", path=args.file), field="--accepted",
                         ja=t("eval_no_accepted", "ja", path=args.file))
    return [Case(question, (entry,), line) for line, (question, entry) in enumerate(pairs, start=1)]


def _manage(args: argparse.Namespace) -> QuestionLog:
    """The log to read and to write decisions beside, even while logging new questions is off."""
    return question_log_for_reading(context.data_dir(args), context.user_data_dir())


def _refresh_index(args: argparse.Namespace) -> None:
    """Open the changed content's index now (it is keyed by the content's hash: this builds it)."""
    library = context.open_library(args, quiet=True)
    try:
        library.engine  # noqa: B018 - opening is the point
        if library.index_info is not None:
            context.warn_about_index(args, library.index_info)
    finally:
        library.close()


def _report(args: argparse.Namespace, outcome: Outcome) -> int:
    for warning in outcome.warnings:
        _warn(args.lang, warning)
    if outcome.problems:
        errors = [p for p in outcome.problems if not isinstance(p, ContentWarning)]
        sys.stderr.write(t("gaps_lint", args.lang, n=len(outcome.problems)) + "\n")
        for problem in outcome.problems:
            sys.stderr.write("  " + clean_line(problem.render(args.lang)) + "\n")
        return EXIT_NO_ANSWER if errors else EXIT_OK
    return EXIT_OK


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)
