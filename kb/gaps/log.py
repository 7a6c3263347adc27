"""The question log: what was asked of one knowledge base, kept privately in the user data folder.

Format: JSON Lines, one record per line, appended. Several processes (the app and a few
`faq ask` in scripts) may log to one file at once, so every record is written by a single
``os.write`` on a descriptor opened with ``O_APPEND``: the kernel moves to the end and writes
in one step, so records never overwrite or interleave each other, and a record is kept under
4 KiB so it is one small write that a local file system never splits. No lock is taken and
nothing is rewritten: a question costs one system call, the file stays readable with any
text tool, and deleting it is ``rm``. (SQLite with WAL would do as well; it brings a schema,
locks and a binary file for what is only ever appended and read whole.)

The file is created with a first line naming the knowledge base (written to a private
temporary file, then linked into place, so no process ever sees a log without it). The
folder is 0700 and every file 0600. A reader ignores a last line without its newline (a
record being written at that moment); any complete line that is not a record means the file
is damaged: it is renamed ``<name>.corrupt-<time>`` and a new log starts, never an error
that stops anyone asking.

Beside each log: ``<key>.accepted.jsonl``, the phrasings accepted into entries, one
``{"q": ..., "expect": [id]}`` per line (the format `faq eval` reads), and
``<key>.dismissed.jsonl``, the questions an author chose to hide.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.content.files import read_limited
from kb.errors import StoreError

if TYPE_CHECKING:
    from kb.gaps.records import Accepted, LogContents

LOG_VERSION = 1
FOLDER = "questions"
MAX_LOG_BYTES = 256 * 1024 * 1024  # about a million questions; a FIFO or device is refused too
MAX_RECORD_BYTES = 4000  # under one 4 KiB page: one write, never split
MAX_TEXT_CHARS = 500
MAX_CLOSEST = 3
MAX_ID_CHARS = 200


@dataclass(frozen=True)
class LogPaths:
    """The files of one knowledge base's log, all in ``folder``."""

    folder: Path
    questions: Path
    accepted: Path
    dismissed: Path


def log_paths(data_home: Path, kb_root: Path) -> LogPaths:
    """Where the log of the knowledge base in ``kb_root`` lives: keyed by its resolved path."""
    key = hashlib.sha256(os.fsencode(str(kb_root.resolve()))).hexdigest()[:16]
    folder = data_home / FOLDER
    return LogPaths(folder, folder / f"{key}.jsonl", folder / f"{key}.accepted.jsonl",
                    folder / f"{key}.dismissed.jsonl")


class QuestionLog:
    """The log of one knowledge base. Appending never reads; reading never blocks a writer."""

    def __init__(self, paths: LogPaths, kb_root: Path) -> None:
        self.paths = paths
        self.kb_root = kb_root

    # -- writing ------------------------------------------------------------------------------

    def record_ask(self, *, text: str, lang: str, answer: str | None, confidence: float | None,
                   closest: Iterable[tuple[str, float]], now: datetime, source: str = "cli") -> str:
        """Append one asked question; its id (for :meth:`record_open`). Raises OSError."""
        # The first half of a random (version 4) UUID, without importing uuid (and platform).
        random_hex = os.urandom(8).hex()
        ask_id = random_hex[:12] + "4" + random_hex[13:]
        record: dict[str, Any] = {
            "kind": "ask", "id": ask_id, "time": _time(now), "text": text[:MAX_TEXT_CHARS], "lang": lang,
            "answer": answer[:MAX_ID_CHARS] if answer else None,
            "confidence": None if confidence is None else round(confidence, 4),
            "closest": [[i[:MAX_ID_CHARS], round(c, 4)] for i, c in list(closest)[:MAX_CLOSEST]],
            "source": source,
        }
        data = _encode(record)
        while len(data) > MAX_RECORD_BYTES and record["text"]:
            record["text"] = record["text"][: len(record["text"]) // 2]
            data = _encode(record)
        self._append(self.paths.questions, data, header=True)
        return ask_id

    def record_open(self, ask_id: str, entry: str, rank: int | None, now: datetime) -> None:
        """Append what was opened after the question ``ask_id``. Raises OSError."""
        self._append(self.paths.questions, _encode({
            "kind": "open", "ask": ask_id, "time": _time(now), "entry": entry[:MAX_ID_CHARS], "rank": rank,
        }), header=True)

    def record_accepted(self, question: str, entry: str, lang: str, now: datetime) -> None:
        """Remember a phrasing accepted into ``entry``: a regression question for `faq eval`."""
        self._append(self.paths.accepted, _encode({
            "q": question[:MAX_TEXT_CHARS], "expect": [entry[:MAX_ID_CHARS]], "lang": lang, "time": _time(now),
        }))

    def record_dismissed(self, questions: Iterable[str], now: datetime) -> None:
        """Hide ``questions`` from the gaps from now on."""
        texts = [q[:MAX_TEXT_CHARS] for q in questions]
        # A big group is written as several records, each one small write.
        for start in range(0, len(texts), 5):
            self._append(self.paths.dismissed, _encode({
                "kind": "dismiss", "questions": texts[start : start + 5], "time": _time(now)}))

    def _append(self, path: Path, data: bytes, header: bool = False) -> None:
        _private_folder(path.parent)
        flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            self._create(path, header)
            fd = os.open(path, flags)
        try:
            written = os.write(fd, data)
        finally:
            os.close(fd)
        if written != len(data):
            raise OSError(f"short write to {path} ({written} of {len(data)} bytes)")

    def _create(self, path: Path, header: bool) -> None:
        """Put a new file in place with its first line already in it, or leave the one that won."""
        first = _encode({"kind": "log", "version": LOG_VERSION, "kb": str(self.kb_root.resolve())}) if header else b""
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(first)
            with contextlib.suppress(FileExistsError):  # another process created it first
                os.link(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    # -- reading ------------------------------------------------------------------------------

    def read(self, now: datetime) -> LogContents:
        """The log and its side files; a damaged file is set aside (see the module's docstring)."""
        # Reading only: a process that appends a question (every `faq ask`) never makes these.
        from kb.gaps.records import Accepted, Asked, LogContents, Opened

        contents = LogContents()
        for record in self._records(self.paths.questions, now, contents.problems):
            kind = record.get("kind")
            if kind == "ask":
                contents.asked.append(Asked(
                    id=record["id"], time=_parse_time(record["time"]), text=record["text"], lang=record["lang"],
                    answer=record["answer"], confidence=record["confidence"],
                    closest=tuple((str(i), float(c)) for i, c in record["closest"]),
                    source=record.get("source", "cli")))
            elif kind == "open":
                contents.opened.append(Opened(ask=record["ask"], time=_parse_time(record["time"]),
                                              entry=record["entry"], rank=record["rank"]))
        for record in self._records(self.paths.accepted, now, contents.problems):
            contents.accepted.append(Accepted(question=record["q"], entry=record["expect"][0],
                                              lang=record.get("lang", ""), time=_parse_time(record["time"])))
        for record in self._records(self.paths.dismissed, now, contents.problems):
            contents.dismissed.extend(record["questions"])
        return contents

    def _records(self, path: Path, now: datetime, problems: list[StoreError]) -> list[dict[str, Any]]:
        try:
            data = read_limited(path, limit=MAX_LOG_BYTES, error=StoreError)
        except StoreError as exc:
            problems.append(exc)
            return []
        except FileNotFoundError:
            return []
        except OSError as exc:
            reason = exc.strerror or str(exc)
            problems.append(StoreError(f"cannot read the question log: {reason}", path=str(path),
                                       ja=f"質問ログを読み取れません: {reason}"))
            return []
        lines = data.split(b"\n")
        lines.pop()  # after the last newline: nothing, or a record being written right now
        records: list[dict[str, Any]] = []
        damaged: int | None = None
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            record = _decode(raw, path)
            if record is None:
                damaged = damaged or number
                continue
            records.append(record)
        if damaged is not None:
            problems.append(_set_aside(path, now, damaged))
        return records


def regression_set(accepted: Iterable[Accepted]) -> list[tuple[str, str]]:
    """(question, entry) for every accepted phrasing once, the latest decision for each question."""
    latest: dict[str, str] = {}
    for item in sorted(accepted, key=lambda a: a.time):
        latest.pop(item.question, None)  # re-accepted: it moves to the end, with its new entry
        latest[item.question] = item.entry
    return list(latest.items())


def _encode(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _decode(raw: bytes, path: Path) -> dict[str, Any] | None:
    """A record of a known shape, else None (damage). Unknown kinds pass (a newer version)."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(record, dict):
        return None
    shape = _SHAPES.get(_kind_of(record, path))
    if shape is None:
        return record
    if not all(key in record and _fits(record[key], types) for key, types in shape.items()):
        return None
    try:
        if "time" in shape:
            _parse_time(record["time"])
        for entry_id, confidence in record.get("closest", []) if "closest" in shape else []:
            if not isinstance(entry_id, str) or not _fits(confidence, _NUMBER):
                return None
    except (ValueError, TypeError):
        return None
    if "expect" in shape and not (record["expect"] and isinstance(record["expect"][0], str)):
        return None
    if "questions" in shape and not all(isinstance(q, str) for q in record["questions"]):
        return None
    return record


def _fits(value: Any, types: tuple[type, ...]) -> bool:
    # JSON's true and false are ints to Python; a flag is never a number here.
    return isinstance(value, types) and (not isinstance(value, bool) or bool in types)


def _kind_of(record: dict[str, Any], path: Path) -> str:
    if path.name.endswith(".accepted.jsonl"):
        return "accepted"
    return str(record.get("kind"))


_NUMBER = (int, float)
_SHAPES: dict[str, dict[str, tuple[type, ...]]] = {
    "ask": {"id": (str,), "time": (str,), "text": (str,), "lang": (str,), "answer": (str, type(None)),
            "confidence": (*_NUMBER, type(None)), "closest": (list,)},
    "open": {"ask": (str,), "time": (str,), "entry": (str,), "rank": (int, type(None))},
    "accepted": {"q": (str,), "expect": (list,), "time": (str,)},
    "dismiss": {"questions": (list,), "time": (str,)},
    "log": {"version": (int,), "kb": (str,)},
}


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _private_folder(folder: Path) -> None:
    """Create the log folder readable by its owner only (and make it so if it was not)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o077:
        folder.chmod(0o700)


def _set_aside(path: Path, now: datetime, line: int) -> StoreError:
    """Rename a damaged file out of the way; the problem to report (never raised)."""
    stem = f"{path.name}.corrupt-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    target = path.with_name(stem)
    n = 1
    while target.exists():
        target, n = path.with_name(f"{stem}-{n}"), n + 1
    try:
        os.rename(path, target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return StoreError(f"the question log is damaged and could not be moved aside: {reason}",
                          path=str(path), line=line, ja=f"質問ログが壊れていて、別の名前に移動できませんでした: {reason}")
    return StoreError(f"the question log was damaged; it was moved to {target} and a new one is started",
                      path=str(path), line=line,
                      ja=f"質問ログが壊れていたため {target} に移動しました。新しいログを開始します")
