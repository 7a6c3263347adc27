"""The peer a user might pick instead: SQLite FTS5 with the trigram tokenizer, same queries.

Each entry becomes one row (questions, alternates and answers in both languages). A query
becomes an OR of its runs of three or more characters, split at spaces, punctuation and
hiragana (particles), each as a quoted substring phrase, ranked by FTS5's bm25: about what
a person wiring FTS5 into a script would write.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bench.fts5_ask import fts_query
from kb.content.load import KnowledgeBase


def build_fts(kb: KnowledgeBase, path: Path) -> tuple[sqlite3.Connection, float]:
    """An FTS5 trigram table of every entry; returns the connection and the build seconds."""
    start = time.perf_counter()
    path.unlink(missing_ok=True)
    db = sqlite3.connect(str(path))
    db.execute("CREATE VIRTUAL TABLE entries USING fts5(id UNINDEXED, body, tokenize='trigram')")
    rows = []
    for entry in kb.entries.values():
        parts = []
        for loc in entry.text.values():
            parts += [loc.question, *loc.alternates, loc.answer]
        rows.append((entry.id, "\n".join(parts)))
    db.executemany("INSERT INTO entries VALUES (?, ?)", rows)
    db.commit()
    return db, time.perf_counter() - start


def search_fts(db: sqlite3.Connection, text: str, limit: int = 10) -> list[str]:
    query = fts_query(text)
    if query is None:
        return []
    rows = db.execute("SELECT id FROM entries WHERE entries MATCH ? ORDER BY bm25(entries) LIMIT ?",
                      (query, limit)).fetchall()
    return [r[0] for r in rows]
