"""Quiz items with fresh numbers each time, posed by the checks themselves (their drills).

Each drill has a stable card id (``gen/<card>``) so progress accumulates across the
different numbers. With the knowledge base's entries given, a check's drills appear only
when an entry links the check (``checks = [...]``), and link to that entry: the one the
drill cites when it links the check too, else the first that does. Without entries, each
drill links to the entry it cites, as the built-in content has them.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping
from typing import Any

from kb.checks.registry import checks
from kb.checks.spec import Check, Drill
from kb.content.entry import LANGS, Entry, QuizText
from kb.errors import ContentError
from kb.training.item import GENERATED_PREFIX, TrainingItem


def card_id(drill: Drill) -> str:
    """The card id a drill's items are scheduled under."""
    return f"{GENERATED_PREFIX}/{drill.card}"


def cited_entry(check: Check, drill: Drill) -> str:
    """The entry a drill teaches by its own account."""
    return drill.entry or check.entry


def generated_links() -> dict[str, str]:
    """Card id -> the entry each registered drill cites."""
    return {card_id(d): cited_entry(c, d) for c in checks() for d in c.drills}


def generate_items(rng: random.Random, templates: Collection[str] | None = None,
                   entries: Mapping[str, Entry] | None = None) -> list[TrainingItem]:
    """One fresh item per drill, numbers from ``rng``, in registry order.

    ``templates`` limits them to some card ids; ``entries`` to the checks those entries
    link, each item linked to an entry that links its check (see the module doc).
    """
    items: list[TrainingItem] = []
    for check in checks():
        linking = [e.id for e in entries.values() if check.id in e.checks] if entries is not None else None
        if linking == []:
            continue
        for drill in check.drills:
            if templates is not None and card_id(drill) not in templates:
                continue
            cited = cited_entry(check, drill)
            entry = cited if linking is None or cited in linking else linking[0]
            items.append(_item(drill, entry, rng))
    return items


def _item(drill: Drill, entry: str, rng: random.Random) -> TrainingItem:
    drawn = drill.make(rng)
    params: dict[str, Any] = dict(drawn.params)
    return TrainingItem(
        card_id=card_id(drill), entry=entry, kind=drawn.kind, answer=drawn.answer,
        rel_tolerance=drawn.rel_tolerance, unit=drawn.unit, generated=True, params=params,
        text={lang: QuizText(drawn.prompt.text(lang), drawn.explanation.text(lang)) for lang in LANGS},
    )


def validate_generated_links(entry_ids: Collection[str]) -> list[ContentError]:
    """A ContentError for each drill whose cited entry is not among ``entry_ids``.

    That is where ``generate_items`` without entries links its items. `faq lint` does not
    report these: with the knowledge base's entries, items follow the entries that link
    their checks, so a knowledge base without the cited entries simply has no such items.
    """
    return [
        ContentError(f"generated quiz items link to entry {entry!r}, which does not exist",
                     field=card, ja=f"生成されるクイズ項目のリンク先のエントリ {entry!r} は存在しません")
        for card, entry in generated_links().items()
        if entry not in entry_ids
    ]


def __getattr__(name: str) -> Any:
    # GENERATED_LINKS reads the registry when asked for, so a check registered later counts.
    if name == "GENERATED_LINKS":
        return generated_links()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
