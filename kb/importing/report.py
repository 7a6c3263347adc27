"""An import plan as data for a report: per source, its entries and every dropped piece."""

from __future__ import annotations

from typing import Any

from kb.importing.model import REASONS
from kb.importing.plan import ImportPlan


def report_of(plan: ImportPlan, lang: str) -> list[dict[str, Any]]:
    """One object per source: ``{"source", "title", "lang", "entries", "dropped", "gone", "notes"}``.

    ``entries``: ``{"id", "question", "lang", "source_line", "flags", "status"}``;
    ``dropped``: ``{"line", "text", "reason", "why"}`` with ``reason`` a code and ``why`` its
    meaning in ``lang``.
    """
    out = []
    for e in plan.extractions:
        entries = []
        for pair in e.pairs:
            entry_id = plan.entry_of.get(id(pair), "")
            entries.append({"id": entry_id, "question": pair.question, "lang": pair.lang,
                            "source_line": pair.line, "flags": list(pair.flags),
                            "status": plan.status_of.get(entry_id, "")})
        dropped = [{"line": d.line, "text": d.text, "reason": d.reason,
                    "why": REASONS.get(d.reason, (d.reason, d.reason))[0 if lang == "ja" else 1]}
                   for d in e.dropped]
        out.append({"source": e.source, "title": e.title, "lang": e.lang, "entries": entries,
                    "dropped": dropped, "gone": plan.gone.get(e.source, []),
                    "notes": [ja if lang == "ja" else en for ja, en in e.notes]})
    return out
