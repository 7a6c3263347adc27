"""The FTS5 peer as a whole process: what a 20-line script answering one question does.

    python bench/fts5_ask.py TABLE.sqlite3 "question"

Opens the trigram table `bench/fts5.py` built, builds the query (`fts_query`, which bench/fts5.py uses too), and
prints the first ids as JSON. It imports nothing of ours, as a user's own script would not,
so its start-up is the peer's start-up.
"""

import json
import re
import sqlite3
import sys
from pathlib import Path

_SPLIT = re.compile(r"[\s\W\u3041-\u309f]+")  # split at spaces, punctuation and hiragana


def fts_query(text: str) -> str | None:
    """An OR of the question's runs of three or more characters, each a quoted phrase."""
    runs = [r for r in _SPLIT.split(text) if len(r) >= 3]
    if not runs:
        return None
    return " OR ".join('"' + r.replace('"', '""') + '"' for r in dict.fromkeys(runs))


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    table, question = sys.argv[1], sys.argv[2]
    query = fts_query(question)
    ids: list[str] = []
    if query is not None:
        db = sqlite3.connect(Path(table).resolve().as_uri() + "?mode=ro", uri=True)
        ids = [row[0] for row in db.execute(
            "SELECT id FROM entries WHERE entries MATCH ? ORDER BY bm25(entries) LIMIT 10", (query,))]
    print(json.dumps(ids))
    return 0


if __name__ == "__main__":
    sys.exit(main())
