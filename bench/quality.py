"""Answer quality on every knowledge base and question set, beside the FTS5 trigram peer.

`python -m bench.quality` runs each knowledge base of tests/data/kbs (with alternates and
glossary, and its -bare copy without), the shipped content with its three sets, and the
shipped content grown with the Windows Server 2012 entries; for each set and language it
prints top-1 accuracy, MRR (top 3) and off-topic rejection for `faq ask` and for FTS5.
FTS5 has no notion of a confident answer, so any hit counts as an answer for it.

`--kb NAME` runs one knowledge base, `--misses` lists our misses (with FTS5's first hit, marked
where FTS5 was right), `--json` prints rows. `--alternates` adds a proxy for questions written
by someone else: every alternate of a foreign knowledge base asked of its -bare copy, which
does not hold them (no question file is read; the held-out sets stay closed).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.fts5 import build_fts, search_fts
from kb import open_kb
from kb.retrieval.evaluate import Case, read_cases

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
KBS = DATA / "kbs"
QUESTIONS = DATA / "questions"
SHIPPED_SETS = ("eval.jsonl", "eval_dev.jsonl", "eval_blind.jsonl")
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
TOP = 3


def suites() -> list[tuple[str, str, list[Path]]]:
    """(label, folder or "grown", question files) for every measured knowledge base."""
    out: list[tuple[str, str, list[Path]]] = [("shipped", str(ROOT / "faq_data"), [DATA / s for s in SHIPPED_SETS])]
    for name in ("postgres", "git", "helpdesk"):
        for variant in (name, f"{name}-bare"):
            out.append((variant, str(KBS / variant), [QUESTIONS / f"{name}.dev.jsonl"]))
    out.append(("growth", "grown", [QUESTIONS / "growth.dev.jsonl", *[DATA / s for s in SHIPPED_SETS]]))
    return out


def grow_shipped(target: Path) -> Path:
    """A copy of faq_data/ with the growth entries, tags and glossary terms added."""
    shutil.copytree(ROOT / "faq_data", target)
    growth = KBS / "growth"
    for path in (growth / "entries").glob("*.md"):
        shutil.copy(path, target / "entries" / path.name)
    for name in ("tags", "glossary"):
        added = (growth / f"{name}-add.toml").read_text(encoding="utf-8")
        with (target / f"{name}.toml").open("a", encoding="utf-8") as handle:
            handle.write("\n" + added)
    return target


def language_of(text: str) -> str:
    return "ja" if _JAPANESE.search(text) else "en"


@dataclass
class Tally:
    """Figures of one engine on one slice of a question set."""

    on: int = 0
    off: int = 0
    top1: int = 0
    rr: float = 0.0
    rejected: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, case: Case, got: list[str], extra: dict[str, Any] | None = None) -> None:
        if not case.expect:
            self.off += 1
            if got:
                self.misses.append({"q": case.question, "expect": [], "got": got, **(extra or {})})
            else:
                self.rejected += 1
            return
        self.on += 1
        rank = next((i for i, g in enumerate(got[:TOP], start=1) if g in case.expect), None)
        self.rr += 1.0 / rank if rank else 0.0
        if got and got[0] in case.expect:
            self.top1 += 1
        else:
            self.misses.append({"q": case.question, "expect": list(case.expect), "got": got, **(extra or {})})

    def figures(self) -> dict[str, float | int | None]:
        return {"on": self.on, "off": self.off,
                "top1": round(self.top1 / self.on, 3) if self.on else None,
                "mrr": round(self.rr / self.on, 3) if self.on else None,
                "reject": round(self.rejected / self.off, 3) if self.off else None}


def measure(label: str, folder: Path, files: list[Path], cache: Path) -> list[dict[str, Any]]:
    """One row per question file and language (and "all"), ours and FTS5 side by side."""
    library = open_kb(folder, cache / label, snapshot=False)
    engine = library.engine
    db, _secs = build_fts(library.content, cache / f"{label}-fts.sqlite3")
    rows = []
    try:
        for path in files:
            ours: dict[str, Tally] = {"all": Tally(), "ja": Tally(), "en": Tally()}
            peer: dict[str, Tally] = {"all": Tally(), "ja": Tally(), "en": Tally()}
            for case in read_cases(path):
                result = engine.ask(case.question, top=TOP, run_checks=False)
                got = [a.id for a in result.answers]
                best = result.candidates[0] if result.candidates else None
                extra = {"closest": best.id if best else None, "confidence": round(best.confidence, 3) if best else 0}
                fts = search_fts(db, case.question, TOP)
                extra["fts5"] = fts[0] if fts else None
                for key in ("all", language_of(case.question)):
                    ours[key].add(case, got, extra)
                    peer[key].add(case, fts)
            for lang in ("all", "ja", "en"):
                if ours[lang].on + ours[lang].off == 0:
                    continue
                rows.append({"kb": label, "set": path.name, "lang": lang, "ours": ours[lang].figures(),
                             "fts5": peer[lang].figures(), "misses": ours[lang].misses if lang == "all" else []})
    finally:
        db.close()
        library.close()
    return rows


def measure_alternates(name: str, cache: Path) -> list[dict[str, Any]]:
    """Each alternate of ``name``'s entries asked of ``name``-bare, beside FTS5 on the same copy."""
    from kb.content.load import load_kb

    full = load_kb(KBS / name)
    cases = [Case(alt, (entry_id,), 0) for entry_id, entry in sorted(full.entries.items())
             for loc in entry.text.values() for alt in loc.alternates]
    label = f"{name}-bare"
    library = open_kb(KBS / label, cache / f"{label}-alternates", snapshot=False)
    db, _secs = build_fts(library.content, cache / f"{label}-alternates-fts.sqlite3")
    ours = {"ja": Tally(), "en": Tally()}
    peer = {"ja": Tally(), "en": Tally()}
    try:
        for case in cases:
            result = library.engine.ask(case.question, top=TOP, run_checks=False)
            best = result.candidates[0] if result.candidates else None
            fts = search_fts(db, case.question, TOP)
            extra = {"closest": best.id if best else None, "confidence": round(best.confidence, 3) if best else 0,
                     "fts5": fts[0] if fts else None}
            lang = language_of(case.question)
            ours[lang].add(case, [a.id for a in result.answers], extra)
            peer[lang].add(case, fts)
    finally:
        db.close()
        library.close()
    return [{"kb": label, "set": "alternates", "lang": lang, "ours": ours[lang].figures(),
             "fts5": peer[lang].figures(), "misses": ours[lang].misses} for lang in ("ja", "en") if ours[lang].on]


def _cell(value: float | int | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def print_rows(rows: list[dict[str, Any]], misses: bool) -> None:
    print(f"{'kb':14} {'set':18} {'lang':4} {'n':>4}  {'top-1':>6} {'MRR':>6} {'reject':>6}   "
          f"{'FTS5 top-1':>10} {'MRR':>6} {'reject':>6}")
    for row in rows:
        o, f = row["ours"], row["fts5"]
        print(f"{row['kb']:14} {row['set']:18} {row['lang']:4} {o['on'] + o['off']:4d}  {_cell(o['top1'])} "
              f"{_cell(o['mrr'])} {_cell(o['reject'])}   {_cell(f['top1']):>10} {_cell(f['mrr'])} {_cell(f['reject'])}")
        if misses:
            for miss in row["misses"]:
                print(f"      miss: {miss['q']!r} expect={miss['expect']} got={miss['got']} "
                      f"closest={miss.get('closest')} conf={miss.get('confidence')} fts5={miss.get('fts5')}"
                      + (" [FTS5 right]" if miss.get("fts5") in miss["expect"] or (not miss["expect"]
                                                                                   and not miss.get("fts5")) else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", action="append", help="only these knowledge bases (repeatable)")
    parser.add_argument("--misses", action="store_true", help="list every miss of ours")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--alternates", action="store_true",
                        help="also ask each foreign knowledge base's alternates of its -bare copy")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        for label, folder, files in suites():
            if args.kb and label not in args.kb:
                continue
            path = grow_shipped(cache / "grown") if folder == "grown" else Path(folder)
            rows.extend(measure(label, path, files, cache))
        if args.alternates:
            for name in ("postgres", "git", "helpdesk"):
                if not args.kb or f"{name}-bare" in args.kb:
                    rows.extend(measure_alternates(name, cache))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print_rows(rows, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
