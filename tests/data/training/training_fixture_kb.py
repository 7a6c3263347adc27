"""Hand-built entries for the training tests (and the subprocess killed mid-session).

Three entries, two of them without generated items: alpha/a1 (choice, answer 2), alpha/a2
(true), beta/b1 (numeric 16), beta/b2 (false). A session asks them one entry at a time, so
tests type :func:`answer` for whatever item the session asks rather than a fixed list.
The third, ``concurrent-migrations``, only appears where a test asks for ``with_generated``;
it links the max-concurrent-migrations check, so that check's generated item joins it.
"""

from __future__ import annotations

from pathlib import Path

from kb.content.entry import Entry, Localized, QuizItem, QuizText, Tag
from kb.content.load import KnowledgeBase
from kb.training.item import TrainingItem


def text(prompt: str, explanation: str = "Because.", choices: tuple[str, ...] = ()) -> dict[str, QuizText]:
    return {
        "ja": QuizText(f"{prompt} (ja)", f"{explanation} (ja)", tuple(f"{c} (ja)" for c in choices)),
        "en": QuizText(prompt, explanation, choices),
    }


def item(entry: str, id: str, kind: str, answer: int | float | bool, tolerance: float = 0.0) -> QuizItem:
    choices = ("one", "two", "three") if kind == "choice" else ()
    return QuizItem(id=id, entry=entry, kind=kind, answer=answer, tolerance=tolerance,
                    text=text(f"Question {entry}/{id}?", choices=choices))


def entry(id: str, tags: tuple[str, ...], quiz: tuple[QuizItem, ...], checks: tuple[str, ...] = ()) -> Entry:
    return Entry(id=id, text={"ja": Localized(f"{id} (ja)?", "答え"), "en": Localized(f"{id}?", "Answer")},
                 tags=tags, quiz=quiz, checks=checks, path=f"entries/{id}.md")


def entries(with_generated: bool = False) -> dict[str, Entry]:
    result = {
        "alpha": entry("alpha", ("planning",), (item("alpha", "a1", "choice", 2),
                                                item("alpha", "a2", "truefalse", True))),
        "beta": entry("beta", ("network",), (item("beta", "b1", "numeric", 16),
                                             item("beta", "b2", "truefalse", False))),
    }
    if with_generated:
        result["concurrent-migrations"] = entry(
            "concurrent-migrations", ("planning",),
            (item("concurrent-migrations", "c1", "numeric", 3), item("concurrent-migrations", "c2", "truefalse", True)),
            checks=("max-concurrent-migrations",))
    return result


def knowledge_base(with_generated: bool = False) -> KnowledgeBase:
    return KnowledgeBase(root=Path("fixture"), entries=entries(with_generated),
                         tags={"planning": Tag("planning", {"ja": "計画", "en": "Planning"}),
                               "network": Tag("network", {"ja": "ネットワーク", "en": "Networking"})})


def answer(item: TrainingItem, right: bool = True) -> str:
    """What a trainee types to answer ``item`` right (or wrong), whatever order the queue asks in."""
    if item.kind == "choice":
        count = len(item.choices("en"))
        return str(item.answer if right else int(item.answer) % count + 1)
    if item.kind == "truefalse":
        return "yes" if bool(item.answer) == right else "no"
    return str(item.answer if right else float(item.answer) + 1 + 2 * item.tolerance)
