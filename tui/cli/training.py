"""`faq quiz` (a plain-terminal training session) and `faq progress` (mastery, due, streak)."""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from kb.content.load import KnowledgeBase
from kb.errors import InputError, StoreError
from kb.training.items import TrainingItem, collect_items
from kb.training.progress import (
    OVERVIEW_FIELDS,
    ProgressReport,
    build_report,
    overview_row,
    report_to_dict,
)
from kb.training.scheduler import Rating
from kb.training.session import DEFAULT_COUNT, Feedback, Session, start_session
from kb.training.store import open_store, validate_profile
from tui import paths
from tui.cli import context
from tui.cli.exit_codes import EXIT_OK
from tui.cli.pager import paged
from tui.cli.render import pad
from tui.cli.text import Help
from tui.i18n import add_messages, format_message, t
from tui.safe import clean, clean_line, dumps_json, read_line

QUIT_WORDS = frozenset({"q", "quit", "exit", "終了"})

_TRAINING_WORDS: dict[str, tuple[str, str]] = {  # key: (ja, en); keys get a quiz_ prefix
    "start": ("{profile} さんのトレーニング: {n} 問 (1 行に 1 つ答えてください。q で終了)",
              "Training for {profile}: {n:#item|items} (one answer per line; q to stop)"),
    "placement": ("実力診断: 各項目から 1 問ずつ", "Placement: one item from every entry"),
    "nothing": ("今は出題する問題がありません。", "Nothing is due now."),
    "next_due": ("次の復習: {when}", "Next review: {when}"),
    "choice_hint": ("番号で答えてください", "Answer with the choice number"),
    "tf_hint": ("○ か × で答えてください (はい/いいえ、t/f も可)", "Answer true or false (t/f, yes/no)"),
    "num_hint": ("数値で答えてください", "Answer with a number"),
    "num_hint_s": ("数値 (秒) で答えてください", "Answer with a number of seconds"),
    "again": ("「{answer}」は答えとして読み取れませんでした。{hint}。", "Could not read that: {why}. {hint}."),
    "right": ("✓ 正解", "✓ Correct"),
    "wrong": ("✗ 不正解。正解: {expected}", "✗ Incorrect. The answer: {expected}"),
    "read_more": ("→ faq show {entry}", "→ faq show {entry}"),
    "rated": ("評価: {rating} (次回 {when})", "Rating: {rating} (next {when})"),
    "override": ("評価を変えるなら 1=もう一度 2=難しい 3=普通 4=簡単 (Enter でそのまま): ",
                 "Change the rating? 1=Again 2=Hard 3=Good 4=Easy (Enter keeps it): "),
    "summary": ("{answered} 問に回答、正解 {correct} 問", "Answered {answered}, correct {correct}"),
    "left": ("未回答 {n} 問 (次回に残ります)", "{n:#item|items} left for next time"),
    "revisit": ("読み直す項目:", "Entries to read again:"),
    "profile": ("プロファイル: {profile} ({when} 時点)", "Profile: {profile} (as of {when})"),
    "overall": ("習熟度 {pct}、既習 {seen}/{items} 問、復習待ち {due}、未学習 {new}、連続 {streak} 日、回答 {answers} 件",
                "Mastery {pct}, seen {seen}/{items}, due {due}, new {new}, streak {streak:#day|days}, {answers:#answer|answers}"),
    "by_tag": ("タグ別", "By tag"),
    "by_entry": ("項目別", "By entry"),
    "missed": ("よく間違える問題", "Most missed"),
    "missed_row": ("{misses}/{answers} 回不正解", "missed {misses} of {answers}"),
    "due": ("復習待ち", "due"),
    "streak": ("連続 {n} 日", "streak {n}"),
    "no_profiles": ("まだ回答はありません。", "No answers recorded yet."),
    "unknown_profile": ("(プロファイル {profile} の回答はまだありません。既存: {known})",
                        "(no answers yet for profile {profile}; known: {known})"),
}
RATING_LABEL = {Rating.Again: ("もう一度", "Again"), Rating.Hard: ("難しい", "Hard"),
                Rating.Good: ("普通", "Good"), Rating.Easy: ("簡単", "Easy")}


add_messages({f"quiz_{key}": pair for key, pair in _TRAINING_WORDS.items()})


def _t(key: str, lang: str, /, **values: object) -> str:
    return format_message(t(f"quiz_{key}", lang), **values)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help) -> None:
    """Add `quiz` and `progress` to `faq`."""
    profile_help = h("受講者のプロファイル (既定: ユーザー名から)", "trainee profile (default: from your user name)")
    p = sub.add_parser("quiz", parents=[common],
                       help=h("練習: 問題に 1 行ずつ答える", "training: answer quiz items, one per line"))
    p.add_argument("--profile", help=profile_help)
    p.add_argument("--tag", help=h("このタグの項目の問題だけ", "only items of entries with this tag"))
    p.add_argument("--count", type=int, default=DEFAULT_COUNT,
                   help=h(f"問題数 (既定 {DEFAULT_COUNT})", f"how many items (default {DEFAULT_COUNT})"))
    p.add_argument("--placement", action="store_true",
                   help=h("実力確認: すべての項目から 1 問ずつ", "placement quiz: one item from every entry"))
    p.set_defaults(func=cmd_quiz)

    p = sub.add_parser("progress", parents=[common],
                       help=h("練習の進み具合: 習熟度、復習予定、連続日数", "training progress: mastery, due, streak"))
    p.add_argument("--profile", help=profile_help)
    p.add_argument("--all", action="store_true", help=h("プロファイルごとに 1 行", "one row per profile"))
    p.add_argument("--csv", action="store_true",
                   help=h("CSV で出力 (--all と併用ですべてのプロファイル)", "CSV rows (with --all: every profile)"))
    p.set_defaults(func=cmd_progress)


def progress_path() -> Path:
    """The progress file: ``$FAQ_DATA_HOME/progress.sqlite3``, else in the user's data folder."""
    return paths.progress_path()


def load_content(args: argparse.Namespace) -> KnowledgeBase:
    """The content the session draws on (tests replace this with hand-built entries)."""
    return context.load(args)


def _profile(args: argparse.Namespace) -> str:
    """--profile, else $FAQ_PROFILE, else the settings file's profile, else the login name's."""
    chosen = args.profile or os.environ.get("FAQ_PROFILE") or getattr(args, "settings", {}).get("profile")
    return validate_profile(chosen) if chosen else paths.default_profile()


def _now() -> datetime:
    return datetime.now(UTC)


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


@contextmanager
def store_errors() -> Iterator[None]:
    """SQLite failing mid-way (a read-only folder, a full disk, a file swapped away) as a message."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"the progress file cannot be used: {exc}", path=str(progress_path()),
                         ja=f"進捗ファイルを使用できません: {exc}") from exc


def cmd_quiz(args: argparse.Namespace) -> int:
    lang, profile = args.lang, _profile(args)
    kb = load_content(args)
    now = _now()
    with store_errors(), open_store(progress_path(), now) as store:
        session = start_session(store, profile, kb.entries, now, random.Random(), count=args.count,
                                tag=args.tag, placement=args.placement)
        if args.json:
            # No conversation in JSON: the items a session would ask, for a script or another
            # front end; nothing is recorded (answers are given in text mode or in the app).
            _out(dumps_json(_queue_json(session, profile, lang, store.load_cards(profile)), indent=2))
            return EXIT_OK
        if not session.queue:
            _out(_t("nothing", lang))
            dues = [c.due for c in store.load_cards(profile).values()]
            if dues:
                _out(_t("next_due", lang, when=_local(min(dues))))
            return EXIT_OK
        if args.placement:
            _out(_t("placement", lang))
        _out(_t("start", lang, profile=profile, n=len(session.queue)))
        _run(session, lang, interactive=sys.stdin.isatty())
        _print_summary(session, lang)
    return EXIT_OK


def _queue_json(session: Session, profile: str, lang: str, cards: dict) -> dict[str, object]:
    dues = [c.due for c in cards.values()]
    return {
        "profile": profile,
        "items": [{"card_id": i.card_id, "entry": i.entry, "kind": i.kind, "prompt": i.prompt(lang),
                   "choices": list(i.choices(lang)), "unit": i.unit} for i in session.queue],
        "next_due": min(dues).isoformat() if dues and not session.queue else None,
    }


def _run(session: Session, lang: str, interactive: bool) -> None:
    """Ask until the queue is done, the input ends, or the trainee types q."""
    while (item := session.next_item()) is not None:
        _out()
        _out(f"[{session.position + 1}/{len(session.queue)}] {clean(item.prompt(lang))}")
        for n, choice in enumerate(item.choices(lang), start=1):
            _out(f"  {n}. {clean_line(choice)}")
        _out(_hint(item, lang))
        feedback = _answer(session, lang, interactive)
        if feedback is None:
            return
        _print_feedback(feedback, lang)
        if interactive:
            _offer_override(session, lang)


def _hint(item: TrainingItem, lang: str) -> str:
    if item.kind == "choice":
        return _t("choice_hint", lang)
    if item.kind == "truefalse":
        return _t("tf_hint", lang)
    return _t("num_hint_s" if item.unit == "s" else "num_hint", lang)


def _read(prompt: str, interactive: bool) -> str | None:
    """One line from stdin, or None at end of input. The prompt is shown only to a person."""
    if interactive:
        sys.stdout.write(prompt)
        sys.stdout.flush()
    line = read_line(sys.stdin, 1)
    return None if line is None else line.strip()


def _answer(session: Session, lang: str, interactive: bool) -> Feedback | None:
    """Read until an answer is readable; None when the trainee stops."""
    started = time.monotonic()
    while True:
        line = _read("> ", interactive)
        if line is None or line.lower() in QUIT_WORDS:
            return None
        if not line:
            continue
        # Piped answers take no human time: never rate them Easy for speed.
        duration = time.monotonic() - started if interactive else None
        try:
            return session.submit(line, _now(), duration)
        except InputError as exc:
            item = session.next_item()
            hint = _hint(item, lang) if item else ""
            _out(_t("again", lang, answer=clean_line(line), why=clean_line(exc.message_in(lang)), hint=hint))


def _print_feedback(feedback: Feedback, lang: str) -> None:
    if feedback.correct:
        _out(_t("right", lang))
    else:
        _out(_t("wrong", lang, expected=clean_line(feedback.expected(lang))))
    _out(clean(feedback.explanation(lang)))
    _out(_t("read_more", lang, entry=clean_line(feedback.entry)))
    label = RATING_LABEL[feedback.rating][lang == "en"]
    _out(_t("rated", lang, rating=label, when=_local(feedback.due)))


def _offer_override(session: Session, lang: str) -> None:
    line = _read(_t("override", lang), interactive=True)
    if line and line in {"1", "2", "3", "4"}:
        feedback = session.override(Rating(int(line)))
        label = RATING_LABEL[feedback.rating][lang == "en"]
        _out(_t("rated", lang, rating=label, when=_local(feedback.due)))


def _print_summary(session: Session, lang: str) -> None:
    summary = session.summary()
    _out()
    _out(_t("summary", lang, answered=summary.answered, correct=summary.correct))
    if summary.ratings:
        _out(", ".join(f"{RATING_LABEL[Rating[name]][lang == 'en']} {n}" for name, n in summary.ratings.items()))
    if summary.remaining:
        _out(_t("left", lang, n=summary.remaining))
    if summary.missed:
        _out(_t("revisit", lang))
        for entry in dict.fromkeys(i.entry for i in summary.missed):
            _out("  " + _t("read_more", lang, entry=clean_line(entry)))
    if summary.next_due:
        _out(_t("next_due", lang, when=_local(summary.next_due)))


@paged
def cmd_progress(args: argparse.Namespace) -> int:
    kb = load_content(args)
    now = _now()
    # Generated items' numbers do not matter here, only their (stable) card ids.
    items = collect_items(kb.entries, random.Random(0))
    tz = datetime.now().astimezone().tzinfo or UTC
    with store_errors(), open_store(progress_path(), now) as store:
        known = store.profiles()
        profiles = known if args.all else [_profile(args)]
        reports = [build_report(p, items, kb.entries, store.load_cards(p), store.load_reviews(p),
                                now, tz, tag_order=list(kb.tags)) for p in profiles]
    if args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=OVERVIEW_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(overview_row(r) for r in reports)
    elif args.json:
        data = [overview_row(r) for r in reports] if args.all else report_to_dict(reports[0])
        _out(dumps_json(data, indent=2))
    elif args.all:
        _print_overview(reports, args.lang)
    else:
        _print_report(reports[0], kb, args.lang, known, {i.card_id: i for i in items})
    return EXIT_OK


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _print_overview(reports: list[ProgressReport], lang: str) -> None:
    if not reports:
        _out(_t("no_profiles", lang))
    for r in reports:
        _out(f"{pad(clean_line(r.profile), 20)} {_pct(r.overall.mastery):>5}  "
             f"{r.overall.seen}/{r.overall.items}  {_t('due', lang)} {r.overall.due}  "
             f"{_t('streak', lang, n=r.streak_days)}")


def _print_report(report: ProgressReport, kb: KnowledgeBase, lang: str, known: list[str],
                  items: dict[str, TrainingItem]) -> None:
    o = report.overall
    _out(_t("profile", lang, profile=clean_line(report.profile), when=_local(report.now)))
    if report.profile not in known:
        _out(_t("unknown_profile", lang, profile=clean_line(report.profile),
                known=clean_line(", ".join(known)) or "-"))
    _out(_t("overall", lang, pct=_pct(o.mastery), seen=o.seen, items=o.items, due=o.due,
            new=report.new, streak=report.streak_days, answers=report.answers))
    for title, groups in (("by_tag", report.by_tag), ("by_entry", report.by_entry)):
        _out()
        _out(_t(title, lang))
        for g in groups:
            tag = kb.tags.get(g.key) if title == "by_tag" else None
            name = tag.label.get(lang, g.key) if tag else g.key
            _out(f"  {pad(clean_line(name), 28)} {_pct(g.mastery):>5}  {g.seen}/{g.items}  "
                 f"{_t('due', lang)} {g.due}")
    if report.most_missed:
        _out()
        _out(_t("missed", lang))
        for m in report.most_missed:
            # The question as the trainee saw it (a generated one: its wording with the last numbers).
            item = items.get(m.card_id)
            question = clean_line(item.prompt(lang)) if item else clean_line(m.card_id)
            _out(f"  • {question}")
            _out(f"    {_t('missed_row', lang, misses=m.misses, answers=m.answers)}"
                 f"  {_t('read_more', lang, entry=clean_line(m.entry))}")
