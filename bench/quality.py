"""Answer quality beside the FTS5 peer: top-1 accuracy and off-topic rejection on the eval set.

`python -m bench.quality [FILE]` (default tests/data/eval.jsonl). FTS5 has no notion of a
confident answer, so any hit counts as an answer for it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.fts5 import build_fts, search_fts
from kb.content.load import load_kb
from kb.retrieval.evaluate import evaluate, read_cases
from kb.retrieval.healing import open_engine

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else ROOT / "tests" / "data" / "eval.jsonl"
    cases = read_cases(path)
    kb = load_kb(ROOT / "faq_data")
    with tempfile.TemporaryDirectory() as tmp:
        engine, _info = open_engine(kb, Path(tmp))
        ours = evaluate(engine, cases)
        db, _secs = build_fts(kb, Path(tmp) / "fts.sqlite3")
        on = [c for c in cases if c.expect]
        off = [c for c in cases if not c.expect]
        fts_top1 = sum(1 for c in on if (hits := search_fts(db, c.question, 1)) and hits[0] in c.expect)
        fts_rejected = sum(1 for c in off if not search_fts(db, c.question, 1))
        db.close()
        engine.close()
    print(f"{'':10} {'top-1':>7} {'off-topic rejected':>19}   ({len(on)} on-topic, {len(off)} off-topic)")
    print(f"{'faq ask':10} {ours.accuracy:7.3f} {ours.rejection:19.3f}")
    print(f"{'FTS5':10} {fts_top1 / len(on):7.3f} {fts_rejected / len(off):19.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
