"""Bookmarked entry ids, kept between runs in a small JSON file whose path the caller gives."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kb.content.files import read_limited
from kb.errors import StoreError

FORMAT_VERSION = 1


def load_bookmarks(path: Path) -> tuple[list[str], StoreError | None]:
    """The bookmarked ids in the order they were added, and what was wrong with the file.

    A missing file is simply no bookmarks. A file that cannot be read or is not the
    expected JSON gives no bookmarks and a problem to show (``render(lang)`` gives one
    line naming the file), never an exception: losing a bookmark list must not stop
    anyone reading the FAQ.
    """
    where = str(path)
    try:
        raw = read_limited(path, error=StoreError)
    except StoreError as exc:
        return [], exc
    except FileNotFoundError:
        return [], None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return [], StoreError(f"cannot read: {reason}", ja=f"読み取れません: {reason}", path=where)
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return [], StoreError("not UTF-8 text", ja="UTF-8 のテキストではありません", path=where)
    except json.JSONDecodeError as exc:
        return [], StoreError(f"not valid JSON: {exc.msg}", ja=f"JSON として正しくありません: {exc.msg}",
                              path=where, line=exc.lineno)
    if not isinstance(data, dict) or not isinstance(data.get("bookmarks"), list):
        return [], StoreError('not a bookmark file (expected {"bookmarks": [...]})',
                              ja='ブックマークのファイルではありません ({"bookmarks": [...]} の形式が必要です)',
                              path=where)
    ids = [item for item in data["bookmarks"] if isinstance(item, str) and item]
    problem = None
    skipped = len(data["bookmarks"]) - len(ids)
    if skipped:
        problem = StoreError(f"ignored {skipped} item(s) that are not entry ids",
                             ja=f"項目の id ではない {skipped} 件を無視しました", path=where)
    return list(dict.fromkeys(ids)), problem


def save_bookmarks(path: Path, ids: Sequence[str]) -> None:
    """Write the bookmarks atomically: a crash or a full disk leaves the old file whole.

    The new content goes to a temporary file in the same folder, is flushed to disk, and
    then replaces the old file in one step (``os.replace``). Raises OSError on failure.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = json.dumps({"version": FORMAT_VERSION, "bookmarks": list(dict.fromkeys(ids))},
                      ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def set_aside(path: Path) -> Path | None:
    """Rename an unusable bookmark file to ``<name>.corrupt`` so saving anew loses nothing.

    Returns the new path, or None when there was no file to move.
    """
    target = path.with_name(path.name + ".corrupt")
    try:
        os.replace(path, target)
    except FileNotFoundError:
        return None
    return target


def toggled(ids: Sequence[str], entry_id: str) -> list[str]:
    """``ids`` with ``entry_id`` added at the end, or removed if it was there."""
    if entry_id in ids:
        return [i for i in ids if i != entry_id]
    return [*ids, entry_id]
