"""The SQLite progress store: profiles, one FSRS card per quiz item, and every answer given.

One transaction per answer, so a session killed mid-way loses at most the answer being
given. WAL mode and a busy timeout let two processes (the TUI and `faq progress`) share
the file. An older schema is migrated in place; a file that is not a readable SQLite
database is moved aside to ``<name>.corrupt-<timestamp>`` and reported, never replaced.
Cards are never deleted: a card whose quiz item left the content is kept and ignored.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import stat
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from kb.errors import InputError, StoreError
from kb.training.scheduler import Card, card_from_json, card_to_json, utc

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000
_HEADER = b"SQLite format 3\x00"
_PROFILE = re.compile(r"^\w[\w.-]{0,63}$")

_SCHEMA = [
    "CREATE TABLE profiles (name TEXT PRIMARY KEY, created_at TEXT NOT NULL)",
    "CREATE TABLE cards (profile TEXT NOT NULL REFERENCES profiles(name), card_id TEXT NOT NULL,"
    " card_json TEXT NOT NULL, due TEXT NOT NULL, PRIMARY KEY (profile, card_id))",
    "CREATE TABLE reviews (id INTEGER PRIMARY KEY, profile TEXT NOT NULL REFERENCES profiles(name),"
    " card_id TEXT NOT NULL, reviewed_at TEXT NOT NULL, rating INTEGER NOT NULL,"
    " correct INTEGER NOT NULL, answer TEXT NOT NULL DEFAULT '', duration_ms INTEGER,"
    " overridden INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX reviews_by_card ON reviews (profile, card_id, reviewed_at)",
    "CREATE INDEX cards_by_due ON cards (profile, due)",
]

# MIGRATIONS[v] takes a version-v file to version v + 1. Version 1 had no time taken
# per answer and no record of overridden ratings; its answers keep NULL durations.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "ALTER TABLE reviews ADD COLUMN duration_ms INTEGER",
        "ALTER TABLE reviews ADD COLUMN overridden INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX IF NOT EXISTS reviews_by_card ON reviews (profile, card_id, reviewed_at)",
        "CREATE INDEX IF NOT EXISTS cards_by_due ON cards (profile, due)",
    ],
}


def validate_profile(name: str) -> str:
    """``name`` if it is a usable profile name (letters, digits, ``. _ -``; up to 64), else InputError."""
    if not _PROFILE.fullmatch(name):
        raise InputError(f"{name!r} is not a profile name: use letters, digits, '.', '_' or '-' "
                         f"(up to 64, starting with a letter or digit)", field="profile",
                         ja=f"{name!r} はプロファイル名として使用できません: 文字、数字、'.'、'_'、'-' "
                            f"を使用してください (64 文字以内、先頭は文字または数字)")
    return name


def profile_from_user(user: str | None) -> str:
    """A profile name made from a login name: other characters become ``-``; "trainee" if none left."""
    text = unicodedata.normalize("NFKC", user or "")
    text = re.sub(r"[^\w.-]", "-", text).lstrip(".-")[:64]
    return text if _PROFILE.fullmatch(text) else "trainee"


def timestamp(moment: datetime) -> str:
    """The fixed-width UTC text stored for a moment, so text order is time order."""
    return utc(moment).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ReviewRecord:
    """One answer: which card, when, the rating it got, right or not, time taken, what was typed."""

    card_id: str
    reviewed_at: datetime
    rating: int
    correct: bool
    duration_ms: int | None
    answer: str
    overridden: bool = False
    id: int | None = None
    profile: str = ""


class ProgressStore:
    """An open progress file. Use from one thread at a time; close when done."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    @property
    def schema_version(self) -> int:
        with self._errors():
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"cannot use the progress file: {exc}", path=str(self.path),
                             ja=f"進捗ファイルを使用できません: {exc}") from exc

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                # SQLite rolls some failures back itself (a full disk, an I/O error) and
                # leaves others open (a failed COMMIT): undo what is still open, and never
                # let a failing ROLLBACK hide the error that caused it.
                if self._conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise

    def profiles(self) -> list[str]:
        """Every profile that has answered at least once, by name."""
        with self._errors():
            return [r[0] for r in self._conn.execute("SELECT name FROM profiles ORDER BY name")]

    def load_cards(self, profile: str) -> dict[str, Card]:
        """The profile's cards by card id, including cards of items no longer in the content."""
        with self._errors():
            rows = self._conn.execute(
                "SELECT card_id, card_json FROM cards WHERE profile = ?", (profile,))
            return {card_id: card_from_json(text) for card_id, text in rows}

    def load_reviews(self, profile: str | None = None) -> list[ReviewRecord]:
        """Every answer in time order, of one profile or of all."""
        sql = ("SELECT id, profile, card_id, reviewed_at, rating, correct, duration_ms, answer,"
               " overridden FROM reviews")
        args: tuple[str, ...] = ()
        if profile is not None:
            sql, args = sql + " WHERE profile = ?", (profile,)
        with self._errors():
            rows = self._conn.execute(sql + " ORDER BY reviewed_at, id", args).fetchall()
        return [
            ReviewRecord(card_id=r[2], reviewed_at=datetime.fromisoformat(r[3]), rating=r[4],
                         correct=bool(r[5]), duration_ms=r[6], answer=r[7],
                         overridden=bool(r[8]), id=r[0], profile=r[1])
            for r in rows
        ]

    def record_answer(self, profile: str, card: Card, answer: ReviewRecord) -> int:
        """Save the reviewed card and the answer together, in one transaction; the answer's id."""
        validate_profile(profile)
        with self._transaction():
            self._conn.execute("INSERT OR IGNORE INTO profiles (name, created_at) VALUES (?, ?)",
                               (profile, timestamp(answer.reviewed_at)))
            self._save_card(profile, answer.card_id, card)
            return self._insert_review(profile, answer)

    def amend_rating(self, profile: str, review_id: int, card_id: str, card: Card, rating: int) -> None:
        """Replace an answer's rating (the trainee overrode it) and its card, in one transaction."""
        with self._transaction():
            cursor = self._conn.execute(
                "UPDATE reviews SET rating = ?, overridden = 1 WHERE id = ? AND profile = ? AND card_id = ?",
                (int(rating), review_id, profile, card_id))
            if cursor.rowcount != 1:
                raise StoreError(f"no answer {review_id} for {card_id} in profile {profile!r}",
                                 path=str(self.path),
                                 ja=f"プロファイル {profile!r} に {card_id} の回答 {review_id} がありません")
            self._save_card(profile, card_id, card)

    def _save_card(self, profile: str, card_id: str, card: Card) -> None:
        self._conn.execute(
            "INSERT INTO cards (profile, card_id, card_json, due) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (profile, card_id) DO UPDATE SET card_json = excluded.card_json,"
            " due = excluded.due",
            (profile, card_id, card_to_json(card), timestamp(card.due)))

    def _insert_review(self, profile: str, answer: ReviewRecord) -> int:
        cursor = self._conn.execute(
            "INSERT INTO reviews (profile, card_id, reviewed_at, rating, correct, duration_ms,"
            " answer, overridden) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (profile, answer.card_id, timestamp(answer.reviewed_at), int(answer.rating),
             int(answer.correct), answer.duration_ms, answer.answer, int(answer.overridden)))
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def open_store(path: Path, now: datetime) -> ProgressStore:
    """Open (creating or migrating) the progress file at ``path``.

    A file that is not a SQLite database, or fails SQLite's integrity check, is moved
    to ``<name>.corrupt-<now as YYYYmmddTHHMMSSZ>`` and a StoreError says where; the
    next open starts a fresh file. A file from a newer version is left alone.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            # Private from the start: SQLite would create it (and its journals) world-readable.
            with suppress(FileExistsError):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        head = _read_header(path)
    except OSError as exc:
        raise StoreError(f"cannot open the progress file: {exc.strerror or exc}", path=str(path),
                         ja=f"進捗ファイルを開けません: {exc.strerror or exc}") from exc
    if head and head != _HEADER[: len(head)]:
        _move_aside(path, now, "not a SQLite database", "SQLite データベースではありません")
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the progress file: {exc}", path=str(path),
                         ja=f"進捗ファイルを開けません: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _retry_while_locked(lambda: _set_up(conn, path))
    except sqlite3.OperationalError as exc:
        conn.close()
        if "malformed" in str(exc) or "not a database" in str(exc):
            _move_aside(path, now, str(exc))
        raise StoreError(f"cannot open the progress file: {exc}", path=str(path),
                         ja=f"進捗ファイルを開けません: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        _move_aside(path, now, str(exc))
    except BaseException:
        conn.close()
        raise
    return ProgressStore(conn, path)


def _read_header(path: Path) -> bytes:
    """The first 16 bytes, without reading the rest: only of a regular file (a FIFO would block,
    /dev/zero never ends). A dangling symbolic link is refused rather than followed."""
    if path.is_symlink() and not path.exists():
        raise StoreError("the progress file is a symbolic link to a missing file", path=str(path),
                         ja="進捗ファイルは存在しないファイルへのシンボリック リンクです")
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise StoreError("the progress file is not a regular file (a device, FIFO or folder)", path=str(path),
                         ja="進捗ファイルが通常のファイルではありません (デバイス、FIFO、フォルダー)")
    with path.open("rb") as handle:
        return handle.read(16)


def _set_up(conn: sqlite3.Connection, path: Path) -> None:
    status = conn.execute("PRAGMA quick_check").fetchone()[0]
    if status != "ok":
        raise sqlite3.DatabaseError(status)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    _prepare_schema(conn, path)


def _retry_while_locked(step: Callable[[], None]) -> None:
    """Run ``step``, again while another process holds the file: switching a new file to WAL
    takes an exclusive lock, and SQLite reports "database is locked" for it at once instead
    of waiting out the busy timeout, so two processes opening a new file at the same moment
    would otherwise fail one of them."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02 + random.random() * 0.03)


def _prepare_schema(conn: sqlite3.Connection, path: Path) -> None:
    # Version and tables from one snapshot: read apart, another process creating the file
    # between the two reads would make it look like someone else's database.
    conn.execute("BEGIN")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.execute("COMMIT")
    if version > SCHEMA_VERSION:
        raise StoreError(f"this progress file has schema version {version}, newer than this "
                         f"program's ({SCHEMA_VERSION}): update faq-assistant", path=str(path),
                         ja=f"この進捗ファイルのスキーマ バージョン ({version}) は、このプログラムの"
                            f"バージョン ({SCHEMA_VERSION}) より新しいため使用できません。"
                            f"faq-assistant を更新してください")
    if version == 0 and tables:
        raise StoreError("this SQLite file is not a faq-assistant progress file", path=str(path),
                         ja="この SQLite ファイルは faq-assistant の進捗ファイルではありません")
    steps = _SCHEMA if version == 0 else [s for v in range(version, SCHEMA_VERSION) for s in MIGRATIONS[v]]
    if not steps:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: another process may have just done this.
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) == version:
            for statement in steps:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _move_aside(path: Path, now: datetime, reason: str, reason_ja: str | None = None) -> NoReturn:
    """Rename the unreadable file (and its -wal/-shm) out of the way, then raise StoreError.

    ``reason`` is SQLite's own text (kept as is in both languages) unless ``reason_ja``
    gives a Japanese one.
    """
    why_ja = reason_ja or reason
    stem = f"{path.name}.corrupt-{utc(now).strftime('%Y%m%dT%H%M%SZ')}"
    target = path.with_name(stem)
    n = 1
    while target.exists():
        target, n = path.with_name(f"{stem}-{n}"), n + 1
    try:
        path.rename(target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
    except OSError as exc:
        raise StoreError(f"the progress file is unreadable ({reason}) and could not be moved "
                         f"aside: {exc.strerror or exc}", path=str(path),
                         ja=f"進捗ファイルを読み取れません ({why_ja})。別の名前に移動することも"
                            f"できませんでした: {exc.strerror or exc}") from exc
    raise StoreError(f"the progress file was unreadable ({reason}); it was moved to {target} "
                     f"and a new one will be started next time", path=str(path),
                     ja=f"進捗ファイルを読み取れないため ({why_ja})、{target} に移動しました。"
                        f"次回は新しい進捗ファイルで開始します")
