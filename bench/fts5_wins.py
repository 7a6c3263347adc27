"""The questions FTS5 trigram gets right and `faq ask` does not, per suite, with why.

`python -m bench.fts5_wins` (add `--alternates` for the proxy of bench.quality, `--kb NAME`
for one knowledge base) prints, for every dev question (and alternate) whose right entry is
FTS5's first hit but not our confident first answer: our top three (raw score, confidence),
FTS5's top three, the kind of miss (confidence: the right entry first but under the bar;
ranking: another entry first; absent: the right entry not among ours), the question's
features with their weights (unknown ones starred) and which of them the right entry holds,
and the question's words of three letters or more that the right entry holds only as a
substring (what a trigram match finds and our words do not). Held-out sets are not read.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench.fts5 import build_fts, search_fts
from bench.quality import KBS, grow_shipped, suites
from kb import open_kb
from kb.content.load import load_kb
from kb.retrieval.confidence import THRESHOLD
from kb.retrieval.evaluate import Case, read_cases
from kb.text.analysis import normalize

TOP = 3
_WORD = re.compile(r"[\s\W\u3041-\u309f]+")


def entry_text(entry: Any) -> str:
    parts = []
    for loc in entry.text.values():
        parts += [loc.question, *loc.alternates, loc.answer]
    return normalize("\n".join(parts))


def explain(library: Any, db: Any, case: Case) -> dict[str, Any] | None:
    """The FTS5 win of ``case`` with its diagnosis, or None when it is not one."""
    engine = library.engine
    fts = search_fts(db, case.question, TOP)
    if not case.expect or not fts or fts[0] not in case.expect:
        return None
    result = engine.ask(case.question, top=TOP, run_checks=False)
    if result.answers and result.answers[0].id in case.expect:
        return None
    cands = result.candidates
    if cands and cands[0].id in case.expect:
        kind = "confidence"
    elif any(c.id in case.expect for c in cands):
        kind = "ranking"
    else:
        kind = "absent"
    question = engine.analyzer.analyze(case.question)
    right = case.expect[0]
    docnum = engine.searcher.document_number(id=right)
    vocab = engine.ranker._fields(docnum)["vocab"] if docnum is not None else frozenset()
    held = {k for k in question.features
            if k in vocab or any(a in vocab for a in question.alternatives.get(k, ()))}
    text = entry_text(library.content.entries[right])
    words = [w for w in _WORD.split(normalize(case.question)) if len(w) >= 3]
    substrings = [w for w in dict.fromkeys(words) if w in text and w not in vocab]
    return {"q": case.question, "expect": right, "kind": kind,
            "ours": [(c.id, round(c.score, 2), round(c.confidence, 3)) for c in cands],
            "fts5": fts, "features": {k: (round(w, 2), k in question.unknown, k in held)
                                      for k, w in question.features.items()},
            "unknown_share": round(question.unknown_share, 3), "substrings": substrings}


def print_win(win: dict[str, Any]) -> None:
    print(f"  [{win['kind']}] {win['q']!r} -> {win['expect']}")
    print("     ours: " + ", ".join(f"{i} conf={c}" for i, _s, c in win["ours"]) + f"  (bar {THRESHOLD})")
    print(f"     fts5: {win['fts5']}")
    feats = " ".join(f"{k}{'*' if unk else ''}{'+' if has else ''}={w}" for k, (w, unk, has) in win["features"].items())
    print(f"     features (*unknown, +held by right): {feats}  unknown share {win['unknown_share']}")
    if win["substrings"]:
        print(f"     substrings only: {win['substrings']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", action="append")
    parser.add_argument("--alternates", action="store_true")
    args = parser.parse_args(argv)
    kinds: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        jobs: list[tuple[str, Path, list[Case]]] = []
        for label, folder, files in suites():
            if args.kb and label not in args.kb:
                continue
            path = grow_shipped(cache / "grown") if folder == "grown" else Path(folder)
            jobs.append((label, path, [c for f in files for c in read_cases(f)]))
        if args.alternates:
            for name in ("postgres", "git", "helpdesk"):
                if args.kb and f"{name}-bare" not in args.kb:
                    continue
                full = load_kb(KBS / name)
                cases = [Case(alt, (eid,), 0) for eid, e in sorted(full.entries.items())
                         for loc in e.text.values() for alt in loc.alternates]
                jobs.append((f"{name}-bare/alternates", KBS / f"{name}-bare", cases))
        for label, path, cases in jobs:
            library = open_kb(path, cache / label.replace("/", "-"), snapshot=False)
            db, _ = build_fts(library.content, cache / f"{label.replace('/', '-')}-fts.sqlite3")
            try:
                wins = [w for c in cases if (w := explain(library, db, c))]
            finally:
                db.close()
                library.close()
            print(f"== {label}: {len(wins)} questions FTS5 gets right and we do not")
            for win in wins:
                kinds[win["kind"]] += 1
                print_win(win)
    print("kinds:", dict(kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
