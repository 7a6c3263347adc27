"""The [[quiz]] tables of an entry file."""

from __future__ import annotations

from typing import Any

from kb.content.entry import LANGS, QuizItem, QuizText


def parse_quiz(raw: Any, entry_id: str, text: str, problem: Any) -> list[QuizItem]:
    if not isinstance(raw, list):
        problem("quiz must be [[quiz]] tables", "quiz は [[quiz]] テーブルとして書いてください", "quiz")
        return []
    items: list[QuizItem] = []
    quiz_lines = [i + 1 for i, line in enumerate(text.split("\n")) if line.strip() == "[[quiz]]"]
    for n, item in enumerate(raw):
        line = quiz_lines[n] if n < len(quiz_lines) else None
        if not isinstance(item, dict):
            problem("each quiz item must be a table", "クイズ項目はそれぞれテーブルでなければなりません",
                    f"quiz[{n}]", line=line)
            continue
        texts = {}
        written = [lang for lang in LANGS if lang in item]
        if not written:
            tables = " or ".join(f"[quiz.{lang}]" for lang in LANGS)
            problem(f"quiz item needs a {tables} table", f"クイズ項目には {tables} テーブルが必要です",
                    f"quiz[{n}]", line=line)
        for lang in written:
            t = item.get(lang)
            if not isinstance(t, dict):
                problem(f"[quiz.{lang}] must be a table", f"[quiz.{lang}] はテーブルでなければなりません",
                        f"quiz[{n}].{lang}", line=line)
                continue
            choices = t.get("choices", [])
            texts[lang] = QuizText(prompt=str(t.get("prompt", "")).strip(),
                                   explanation=str(t.get("explanation", "")).strip(),
                                   choices=tuple(str(c) for c in choices) if isinstance(choices, list) else ())
        answer = item.get("answer")
        tolerance = item.get("tolerance", 0)
        if not isinstance(tolerance, int | float) or isinstance(tolerance, bool):
            problem("tolerance must be a number", "tolerance は数値でなければなりません",
                    f"quiz[{n}].tolerance", line=line)
            tolerance = 0
        complete = bool(texts) and len(texts) == len(written)
        if complete and isinstance(answer, int | float | bool):
            items.append(QuizItem(id=str(item.get("id", "")), entry=entry_id, kind=str(item.get("kind", "")),
                                  answer=answer, text=texts, tolerance=float(tolerance), line=line))
        elif complete:
            problem("quiz answer is missing or not a number/true/false",
                    "クイズの answer がないか、数値、true、false のいずれでもありません", f"quiz[{n}].answer", line=line)
    return items
