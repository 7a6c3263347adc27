"""The quiz items a trainee answers (authored and generated), collected per entry, and quiz lint."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection, Iterable, Mapping

from kb.content.entry import LANGS, Entry, QuizItem
from kb.errors import ContentError
from kb.training.generate import generate_items
from kb.training.item import GENERATED_PREFIX, TrainingItem, from_quiz

__all__ = ["GENERATED_PREFIX", "KINDS", "MIN_ITEMS_PER_ENTRY", "TrainingItem", "collect_items", "from_quiz",
           "validate_links", "validate_quiz"]

KINDS = ("choice", "truefalse", "numeric")
MIN_ITEMS_PER_ENTRY = 2

_Problem = Callable[[str, str, "QuizItem | None", str], None]  # English, Japanese, item, field


def collect_items(entries: Mapping[str, Entry], rng: random.Random | None = None) -> list[TrainingItem]:
    """Every item in entry order: each entry's authored items, then generated ones linked to it.

    ``rng`` draws the generated items' numbers; without it only authored items are
    returned. Generated items come from the checks the entries link, each under the entry
    that links its check. Items that fail :func:`validate_quiz` are left out, so a broken
    item in the content never reaches a trainee (lint reports it).
    """
    generated = generate_items(rng, entries=entries) if rng is not None else []
    items: list[TrainingItem] = []
    for entry in entries.values():
        bad = {e.field for e in validate_quiz(entry) if e.field}
        items.extend(from_quiz(q) for q in entry.quiz
                     if not any(f.startswith(f"quiz[{q.id}].") for f in bad))
        items.extend(i for i in generated if i.entry == entry.id)
    return items


def validate_quiz(entry: Entry, minimum: int = 0) -> list[ContentError]:
    """Problems with ``entry``'s quiz items, for `faq lint`: one ContentError each.

    Checks: at least ``minimum`` items (kb.toml's ``[training] quiz_per_entry``; quizzes
    are optional by default), unique ids, a known kind, prompt and explanation in every
    language the item is written in, for choice items exactly one right choice
    (1 <= answer <= number of choices) and equal choice counts in ja and en, a
    true/false answer that is a boolean, a numeric answer that is a finite number,
    and each item linked to its own entry.
    """
    problems: list[ContentError] = []

    def problem(message: str, ja: str, item: QuizItem | None, what: str) -> None:
        where = f"quiz[{item.id}].{what}" if item else what
        problems.append(ContentError(message, path=entry.path or None,
                                     line=item.line if item else None, field=where, ja=ja))

    if entry.id == GENERATED_PREFIX:
        problem(f"the entry id {GENERATED_PREFIX!r} is reserved for generated quiz items",
                f"エントリの id {GENERATED_PREFIX!r} は生成されるクイズ項目用に予約されています", None, "id")
    if len(entry.quiz) < minimum:
        problem(f"has {len(entry.quiz)} quiz item(s); each entry needs at least {minimum} (kb.toml)",
                f"クイズ項目が {len(entry.quiz)} 個です。各エントリには {minimum} 個以上必要です (kb.toml)",
                None, "quiz")
    seen: set[str] = set()
    for item in entry.quiz:
        if not item.id:
            problem("quiz item needs an id", "クイズ項目には id が必要です", item, "id")
        elif item.id in seen:
            problem(f"duplicate quiz id {item.id!r} in this entry",
                    f"このエントリ内でクイズの id {item.id!r} が重複しています", item, "id")
        seen.add(item.id)
        if item.entry != entry.id:
            problem(f"links to entry {item.entry!r}, not to its own entry {entry.id!r}",
                    f"自身のエントリ {entry.id!r} ではなく、エントリ {item.entry!r} にリンクしています", item, "entry")
        for lang in LANGS:
            text = item.text.get(lang)
            if text is None:
                if lang in entry.text:
                    problem(f"missing [quiz.{lang}] wording", f"[quiz.{lang}] の文面がありません", item, lang)
                continue
            if not text.prompt.strip():
                problem("prompt is empty", "prompt が空です", item, f"{lang}.prompt")
            if not text.explanation.strip():
                problem("explanation is empty", "explanation が空です", item, f"{lang}.explanation")
        _validate_answer(item, problem)
    return problems


def _validate_answer(item: QuizItem, problem: _Problem) -> None:
    answer = item.answer
    if item.kind not in KINDS:
        kinds = ", ".join(KINDS)
        problem(f"kind must be one of {kinds}, not {item.kind!r}",
                f"kind は {kinds} のいずれかでなければなりません ({item.kind!r} は使用できません)", item, "kind")
    elif item.kind == "choice":
        counts = {lang: len(t.choices) for lang, t in item.text.items()}
        if len(set(counts.values())) > 1:
            detail = ", ".join(f"{lang} {n}" for lang, n in counts.items())
            problem(f"ja and en have different numbers of choices ({detail})",
                    f"ja と en で選択肢の数が異なります ({detail})", item, "choices")
        count = min(counts.values(), default=0)
        if count < 2:
            problem("a choice item needs at least 2 choices", "choice の項目には選択肢が 2 つ以上必要です",
                    item, "choices")
        if isinstance(answer, bool) or not isinstance(answer, int):
            problem(f"answer must be the number of the right choice, not {answer!r}",
                    f"answer には正しい選択肢の番号を指定してください ({answer!r} は使用できません)", item, "answer")
        elif not 1 <= answer <= count:
            problem(f"answer {answer} is not a choice (1 to {count}): no choice would be right",
                    f"answer {answer} は選択肢の番号 (1 ～ {count}) ではありません: 正解になる選択肢がありません",
                    item, "answer")
        if any(not c.strip() for t in item.text.values() for c in t.choices):
            problem("a choice is empty", "空の選択肢があります", item, "choices")
    elif item.kind == "truefalse":
        if not isinstance(answer, bool):
            problem(f"a true/false answer must be true or false, not {answer!r}",
                    f"truefalse の answer は true か false でなければなりません ({answer!r} は使用できません)",
                    item, "answer")
    elif isinstance(answer, bool) or not isinstance(answer, int | float) or not math.isfinite(answer):
        problem(f"a numeric answer must be a finite number, not {answer!r}",
                f"numeric の answer は有限の数値でなければなりません ({answer!r} は使用できません)", item, "answer")
    if item.tolerance < 0 or not math.isfinite(item.tolerance):
        problem(f"tolerance must be 0 or more, not {item.tolerance!r}",
                f"tolerance は 0 以上でなければなりません ({item.tolerance!r} は使用できません)", item, "tolerance")
    if item.kind != "choice" and any(t.choices for t in item.text.values()):
        problem(f"a {item.kind} item has no choices", f"{item.kind} の項目には選択肢を指定できません",
                item, "choices")


def validate_links(items: Iterable[TrainingItem], entry_ids: Collection[str]) -> list[ContentError]:
    """A ContentError for each item whose entry link names no entry (generated items too)."""
    return [
        ContentError(f"quiz item links to entry {item.entry!r}, which does not exist",
                     field=item.card_id, ja=f"クイズ項目のリンク先のエントリ {item.entry!r} は存在しません")
        for item in items
        if item.entry not in entry_ids
    ]
