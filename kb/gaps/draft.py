"""A new entry started from a group of questions: its questions as alternates, its answers empty."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence

from kb.content.edit import toml_string
from kb.content.entry import LANGS, Entry
from kb.content.load import DRAFT, KnowledgeBase
from kb.text.analysis import EN_STOP
from kb.text.script import script_lang

ID_WORDS = 5
_WORD = re.compile(r"[a-z0-9]+")
ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def suggest_id(questions: Sequence[str], taken: set[str]) -> str:
    """An entry id from the first English question's words ("migrate-vmware"), else ``draft-<hash>``."""
    base = ""
    for question in questions:
        if script_lang(question) == "en":
            words = [w for w in _WORD.findall(question.lower()) if w not in EN_STOP]
            base = "-".join(words[:ID_WORDS])
            if base:
                break
    if not base:
        base = "draft-" + hashlib.sha256("\n".join(questions).encode()).hexdigest()[:6]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def draft_text(entry_id: str, questions: Sequence[str], closest: Sequence[Entry], kb: KnowledgeBase,
               newline: str = "\n") -> str:
    """The file of a draft entry: flagged, related to the closest entries, answers left to the author.

    Each language's first question is its ``question``, the rest its alternates; a language
    none of them is written in gets an empty question (a draft may; lint says so).
    """
    by_lang: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for question in questions:
        by_lang.setdefault(script_lang(question), []).append(question.strip())
    applies_to = list(closest[0].applies_to) if closest else _most_common_applies_to(kb)
    lines = [
        "+++",
        f"id = {toml_string(entry_id)}",
        f"flags = [{toml_string(DRAFT)}]  # faq gaps draft: write the answers, then remove this line",
        "tags = []",
        f"related = [{', '.join(toml_string(e.id) for e in closest)}]",
        f"applies_to = [{', '.join(toml_string(p) for p in applies_to)}]",
        "checks = []",
    ]
    for lang in LANGS:
        found = by_lang.get(lang, [])
        lines += ["", f"[{lang}]", f"question = {toml_string(found[0] if found else '')}", "alternates = ["]
        lines += [f"  {toml_string(q)}," for q in found[1:]]
        lines.append("]")
    lines += ["+++", ""]
    for lang in LANGS:
        lines += [f"<!-- {lang} -->", "", ""]
    return newline.join(lines[:-1])


def _most_common_applies_to(kb: KnowledgeBase) -> list[str]:
    counts: Counter[tuple[str, ...]] = Counter(e.applies_to for e in kb.entries.values() if e.applies_to)
    return list(counts.most_common(1)[0][0]) if counts else ["TODO"]
