"""The on-disk Whoosh index: one folder per content folder, updated entry by entry, healing itself."""

# ruff: noqa: E402 - Whoosh is imported after import_whoosh_lightly()

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.index.whoosh_import import import_whoosh_lightly

import_whoosh_lightly()  # before Whoosh's first import (see there)

from whoosh import index as whoosh_index

from kb.content.load import KnowledgeBase
from kb.index import cache_dir as ownership
from kb.index import compat, update
from kb.index.blocked import IndexInTheWay
from kb.index.build import (  # noqa: F401 - the index's public names live here
    PARALLEL_MIN_ENTRIES,
    _PrivateRamStorage,
    _write,
    check_quantities,
    entry_document,
    make_schema,
)
from kb.index.live import open_searcher
from kb.text.analysis import ANALYSIS_VERSION
from kb.text.glossary import concepts_in, phrase_features

compat.install()  # Whoosh's pickles resolve only Whoosh's own classes (kb/index/compat.py)

# 6: documents in id order, updated incrementally (one folder per content folder, kb.index.update)
INDEX_VERSION = f"6.{ANALYSIS_VERSION}"
__all__ = ["concepts_in", "phrase_features", "make_schema", "entry_document", "open_index", "IndexInfo",
           "cache_key", "check_quantities"]
_READY = "READY"
# Called with a new index generation before it is published, and the storage of the one it
# replaces (None after a full build), to write into it the files that must match it (the
# calibration, the synonym groups): a reader never sees a new index with an old calibration.
# What it returns (the engine it made to calibrate) comes back as ``IndexInfo.prepared``.
Prepare = Callable[[Any, Any | None], Any]
_ROOT_TAG = re.compile(r"-r[0-9a-f]{12}-")


@dataclass
class IndexInfo:
    """What opening the index did, for `faq index` and for warnings."""

    path: Path | None
    built: bool
    seconds: float
    documents: int
    warning: str | None = None
    warning_ja: str | None = None
    updated: int = 0  # entries written again or removed by an incremental update
    prepared: Any = None  # what ``prepare`` returned for the index opened, when it ran

    def warning_in(self, lang: str) -> str | None:
        """The warning in ``lang`` ("ja" or "en") when written in it, else in English; None if none."""
        if lang == "ja" and self.warning_ja:
            return self.warning_ja
        return self.warning


def cache_key(kb: KnowledgeBase) -> str:
    """The index folder's name: the index version, the content folder and the checks' quantities.

    Not the content: an edited entry updates the same folder (kb.index.update)."""
    root = hashlib.sha256(os.fsencode(Path(kb.root).resolve())).hexdigest()[:12]
    return f"{INDEX_VERSION}-r{root}-{check_quantities().signature[:8]}"


def open_index(kb: KnowledgeBase, cache_dir: Path | None, rebuild: bool = False,
               prepare: Prepare | None = None) -> tuple[Any, IndexInfo]:
    """Open the cached index for this content, updating it when entries changed and building
    it when missing, broken, of another version, or when ``rebuild``; ``prepare`` writes the
    files made from an index into each new one before it is published (see ``Prepare``).

    When the cache folder cannot be written, the index is built in memory and the
    returned info carries a warning instead of failing.
    """
    start = time.perf_counter()
    if cache_dir is None:
        return _build_in_memory(kb, start)
    refused = ownership.refusal(cache_dir)
    if refused is not None:
        return _build_in_memory(kb, start, *refused)
    from kb.checks.registry import keep_quantities

    keep_quantities(cache_dir)  # the checks' quantities without importing the checks
    target = cache_dir / f"index-{cache_key(kb)}"
    if not rebuild:
        for folder in (target, _beside(target)):
            ix = _try_open(folder)
            if ix is None:
                continue
            changes = update.plan(kb, folder)
            if changes is not None and update.up_to_date(changes):
                return ix, IndexInfo(folder, False, time.perf_counter() - start, ix.doc_count())
            if changes is not None:
                try:
                    ix, count, prepared = _update_on_disk(kb, cache_dir, folder, changes, prepare)
                    return ix, IndexInfo(folder, False, time.perf_counter() - start, ix.doc_count(),
                                         updated=count, prepared=prepared)
                except Exception:  # noqa: BLE001 - an update that cannot be made, whatever the reason: build afresh
                    pass
            break
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        ix, folder, prepared = _build_on_disk(kb, cache_dir, target, rebuild, prepare)
    except IndexInTheWay as exc:
        return _build_in_memory(kb, start, *exc.messages())
    except OSError as exc:
        reason = exc.strerror or exc
        return _build_in_memory(kb, start, f"index cache {cache_dir} is not writable ({reason}); "
                                           f"using an in-memory index. Fix: make it writable "
                                           f"(chmod u+rwx {cache_dir}) or use another cache folder",
                                f"インデックスのキャッシュ {cache_dir} に書き込めません ({reason})。"
                                f"メモリ上のインデックスを使用します。対処: 書き込めるようにする "
                                f"(chmod u+rwx {cache_dir}) か、別のキャッシュ フォルダーを使ってください")
    _remove_stale(cache_dir, keep=folder)
    info = IndexInfo(folder, True, time.perf_counter() - start, ix.doc_count(), prepared=prepared)
    if folder != target:
        info.warning, info.warning_ja = _in_the_way(target).messages(beside=folder)
    return ix, info


def _in_the_way(folder: Path) -> IndexInTheWay:
    return IndexInTheWay(folder, ours=ownership.is_ours(folder) or _manifest_shaped(folder))


def _beside(target: Path) -> Path:
    """Where the index goes when a folder of its name is in the way and cannot be removed."""
    return target.with_name(target.name + ".beside")


def _update_on_disk(kb: KnowledgeBase, cache_dir: Path, target: Path, changes: update.Changes,
                    prepare: Prepare | None = None) -> tuple[Any, int, Any]:
    # Changed in a hard-linked clone, then swapped in: readers never see half an update.
    tmp = update.clone(target, cache_dir)
    prepared = None
    try:
        count = update.apply(kb, tmp, changes)
        prepared = _prepare(prepare, tmp, target)
        _write_manifest(tmp)
        update.swap(tmp, target)
    except BaseException:
        _close(prepared)
        raise
    finally:
        if tmp.exists():
            ownership.remove_ours(tmp)
    opened = _try_open(target)
    if opened is None:
        _close(prepared)
        raise OSError("index could not be reopened after updating")
    _remove_stale(cache_dir, keep=target)
    return opened, count, prepared


def _prepare(prepare: Prepare | None, folder: Path, previous: Path | None) -> Any:
    """Run ``prepare`` on the unpublished index in ``folder`` and return what it returns; a
    failure (None) leaves the files to the engine, which makes what is missing once the
    index is open, as for an older cache."""
    if prepare is None:
        return None
    from whoosh.filedb.filestore import FileStorage

    ix = whoosh_index.open_dir(str(folder))
    try:
        return prepare(ix, FileStorage(str(previous)) if previous is not None else None)
    except Exception:  # noqa: BLE001 - whatever it is, the engine makes the files itself
        for name in update.MADE_FROM_INDEX:
            with contextlib.suppress(OSError):
                (folder / name).unlink()
        return None


def _close(prepared: Any) -> None:
    with contextlib.suppress(Exception):
        if prepared is not None:
            prepared.close()


def _write_manifest(folder: Path) -> None:
    """READY: the index version and every file's size. Segment files are read on demand, so a
    damaged one would otherwise surface only in the middle of a search."""
    files = {p.name: p.stat().st_size for p in folder.iterdir()
             if p.is_file() and not p.name.endswith("LOCK") and p.name != ownership.MARKER}
    (folder / _READY).write_text(json.dumps({"version": INDEX_VERSION, "files": files}), encoding="utf-8")


def _manifest_holds(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / _READY).read_text(encoding="utf-8"))
        files = manifest["files"]
        return manifest["version"] == INDEX_VERSION and isinstance(files, dict) and all(
            (folder / name).stat().st_size == size for name, size in files.items())
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _manifest_shaped(folder: Path) -> bool:
    """Our READY file, whatever the state of the rest: a second proof an index folder is ours,
    for when its marker is the file that got damaged."""
    try:
        manifest = json.loads((folder / _READY).read_bytes()[:1_000_000])
        return isinstance(manifest, dict) and set(manifest) == {"version", "files"}
    except (OSError, ValueError):
        return False


def _try_open(target: Path) -> Any | None:
    if not _manifest_holds(target):
        return None
    try:
        ix = whoosh_index.open_dir(str(target))
        # Touch each segment's files (READY checked their sizes): its first id, not every id.
        with open_searcher(ix) as searcher:
            searcher.doc_count()
            for reader, _offset in searcher.reader().leaf_readers():
                next(iter(reader.lexicon("id")), None)
        return ix
    except Exception:  # noqa: BLE001 - any failure to read a cache means "rebuild it"
        return None


def _build_on_disk(kb: KnowledgeBase, cache_dir: Path, target: Path, rebuild: bool,
                   prepare: Prepare | None = None) -> tuple[Any, Path, Any]:
    """Build the index and put it at ``target``, or beside it when a folder there cannot be
    replaced (unreadable, or not ours); returns the index and the folder it is in."""
    # Build beside the target and swap it into place: a reader never sees half an index,
    # and two processes building at once each finish; the last one's index stays.
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=cache_dir))
    try:
        ownership.mark_ours(tmp)  # first, so a build killed at any point is provably ours
        ix = whoosh_index.create_in(str(tmp), make_schema())
        lengths = _write(ix, kb)
        update.write_record(tmp, kb, lengths)
        prepared = _prepare(prepare, tmp, None)
        _write_manifest(tmp)
        for folder in (target, _beside(target)):
            if not rebuild and _current(kb, folder):
                _close(prepared)  # another process put this very content there while we built: keep theirs
                prepared = None
                break
            if _put_in_place(tmp, folder):
                break
        else:
            _close(prepared)
            raise _in_the_way(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    for _attempt in range(3):  # another process may be exchanging its equal index in just now
        opened = _try_open(folder)
        if opened is not None:
            return opened, folder, prepared
        time.sleep(0.05)
    _close(prepared)
    raise OSError("index could not be reopened after building")


def _current(kb: KnowledgeBase, folder: Path) -> bool:
    """Whether ``folder`` holds a readable index of exactly this content."""
    ix = _try_open(folder)
    if ix is None:
        return False
    changes = update.plan(kb, folder)
    return changes is not None and update.up_to_date(changes)


def _put_in_place(tmp: Path, folder: Path) -> bool:
    """Put the built ``tmp`` at ``folder``; True when it is there now. A folder of ours already
    there (another version of the content, or rebuilt on purpose) is exchanged for it in one
    step, never deleted in place; one not ours, or that cannot be moved, stays, and False."""
    if folder.exists() and (ownership.is_ours(folder) or _manifest_shaped(folder)):
        with contextlib.suppress(OSError):
            update.swap(tmp, folder, _manifest_shaped)
            return True
    try:
        os.rename(tmp, folder)
        return True
    except OSError:
        pass
    ownership.remove_ours(folder, _manifest_shaped)  # a folder not ours stays, and the rename fails
    try:
        os.rename(tmp, folder)
        return True
    except OSError:
        return False


def _build_in_memory(kb: KnowledgeBase, start: float, warning: str | None = None,
                     warning_ja: str | None = None) -> tuple[Any, IndexInfo]:
    storage = _PrivateRamStorage()
    ix = storage.create_index(make_schema())
    try:
        _write(ix, kb)
    finally:
        storage.remove_spill_folders()
    return ix, IndexInfo(None, True, time.perf_counter() - start, ix.doc_count(), warning, warning_ja)


def _remove_stale(cache_dir: Path, keep: Path) -> None:
    # Only folders carrying our marker: the cache folder may hold other people's files. Another
    # content folder's index stays; this one's of another version goes, as do content-keyed
    # folders of earlier versions.
    root = _ROOT_TAG.search(keep.name)
    for old in cache_dir.glob("index-*"):
        tag = _ROOT_TAG.search(old.name)
        if old != keep and (tag is None or (root is not None and tag.group() == root.group())):
            ownership.remove_ours(old)
    # A build killed part-way leaves its folder; it is removed once its builder is gone.
    for leftover in [*cache_dir.glob(".build-*"), *cache_dir.glob(".old-*")]:
        if ownership.builder_gone(leftover):
            ownership.remove_ours(leftover)
