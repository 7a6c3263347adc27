"""The on-disk Whoosh index: schema, build, and a content-keyed cache that heals itself."""

# ruff: noqa: E402 - Whoosh is imported after import_whoosh_lightly()

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.index.whoosh_import import import_whoosh_lightly

import_whoosh_lightly()  # before Whoosh's first import (see there)

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage

from kb.content.entry import Entry, GlossaryTerm
from kb.content.load import KnowledgeBase
from kb.index import cache_dir as ownership
from kb.index import compat
from kb.index.blocked import IndexInTheWay
from kb.index.searcher import open_searcher
from kb.index.tokenizers import BigramTokenizer, EnglishTokenizer, MorphTokenizer
from kb.text.analysis import (
    ANALYSIS_VERSION,
    bigrams,
    english_terms,
    morph_terms,
    normalize,
)
from kb.text.glossary import (
    ConceptMatcher,
    QuantityTable,
    concepts_in,
    matcher_for,
    phrase_features,
)

compat.install()  # Whoosh's pickles resolve only Whoosh's own classes (kb/index/compat.py)

INDEX_VERSION = f"5.{ANALYSIS_VERSION}"  # 5: segments as separate files, read on demand (a compound file is copied into memory when opened)
__all__ = ["concepts_in", "phrase_features", "make_schema", "open_index", "IndexInfo", "cache_key"]
_READY = "READY"
QUESTION_REPEAT = 3
PARALLEL_MIN_ENTRIES = 2000
BATCH = 2000
MAX_WORKERS = 4
# Whoosh's in-memory posting buffer before it flushes a segment; its Python objects take
# several times this, so it is the main lever on peak memory while building.
WRITER_MB = 64


def make_schema() -> Schema:
    """Fields by language and by source; their weights are tuned on tests/data/eval.jsonl."""
    morph, english, bigram = MorphTokenizer(), EnglishTokenizer(), BigramTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        tags=KEYWORD(stored=True, commas=True, scorable=False),
        concepts=KEYWORD(scorable=True),
        text_ja=TEXT(analyzer=morph),
        text_en=TEXT(analyzer=english),
        bigram=TEXT(analyzer=bigram, field_boost=0.5),
        title_ja=STORED(),
        title_en=STORED(),
        phrasings=STORED(),
        vocab=STORED(),
        answer_vocab=STORED(),
    )


def entry_document(entry: Entry, matcher: ConceptMatcher) -> dict[str, Any]:
    """One entry as index fields, each text analysed exactly once."""
    ja, en = entry.text.get("ja"), entry.text.get("en")
    ja_norm = [normalize(t) for t in (ja.question, *ja.alternates, ja.answer)] if ja else [""]
    en_norm = [normalize(t) for t in (en.question, *en.alternates, en.answer)] if en else [""]
    ja_terms = [morph_terms(t) for t in ja_norm]
    en_terms = [english_terms(t) for t in en_norm]
    all_text = "\n".join([*ja_norm, *en_norm])
    concepts = matcher.find(all_text)
    # Quantities the text mentions and those its checks compute with (the checks declare them).
    kinds = matcher.quantities.kinds(all_text)
    kinds += [k for k in matcher.quantities.for_checks(entry.checks) if k not in kinds]
    concepts = [*concepts, *kinds]
    # One field per language: a third of the posting lists to walk per word compared with
    # separate question / alternates / answer fields. The question's words are repeated, so
    # matching the question still weighs more than matching the answer.
    fields = {
        "text_ja": _flat([*[ja_terms[0]] * QUESTION_REPEAT, *ja_terms[1:]]),
        "text_en": _flat([*[en_terms[0]] * QUESTION_REPEAT, *en_terms[1:]]),
    }
    vocab = {f"@{c}" for c in concepts}
    for terms in fields.values():
        vocab.update(terms)
    # What the answers alone say, so calibration can leave one phrasing out (kb.retrieval.calibration).
    answers = "\n".join(t for t in (ja_norm[-1] if ja else "", en_norm[-1] if en else "") if t)
    answer_vocab = {f"@{c}" for c in matcher.find(answers)} | set(ja_terms[-1] if ja else ()) \
        | set(en_terms[-1] if en else ())
    return {
        "id": entry.id,
        "tags": ",".join(entry.tags),
        "concepts": " ".join(concepts),
        **fields,
        "bigram": _flat(bigrams(t) for t in ja_norm),
        "title_ja": entry.question("ja"),
        "title_en": entry.question("en"),
        # Each way of asking, analysed here once, so `ask` compares a question with the
        # closest phrasing, and checks which of its words an entry uses, without
        # re-analysing content per query.
        "phrasings": [matcher.features(p) for loc in (ja, en) if loc for p in (loc.question, *loc.alternates)],
        "vocab": sorted(vocab),
        "answer_vocab": sorted(answer_vocab),
    }


def _flat(lists: Any) -> list[str]:
    return [term for terms in lists for term in terms]


@dataclass
class IndexInfo:
    """What opening the index did, for `faq index` and for warnings."""

    path: Path | None
    built: bool
    seconds: float
    documents: int
    warning: str | None = None
    warning_ja: str | None = None

    def warning_in(self, lang: str) -> str | None:
        """The warning in ``lang`` ("ja" or "en") when written in it, else in English; None if none."""
        if lang == "ja" and self.warning_ja:
            return self.warning_ja
        return self.warning


def check_quantities() -> QuantityTable:
    """The registered checks' quantities: what the index and the matcher count as one."""
    from kb.checks.registry import quantity_table

    return quantity_table()


def cache_key(kb: KnowledgeBase) -> str:
    """The index folder's name: the index version, the content and the checks' quantities."""
    return f"{INDEX_VERSION}-{kb.digest[:16]}-{check_quantities().signature[:8]}"


def open_index(kb: KnowledgeBase, cache_dir: Path | None, rebuild: bool = False) -> tuple[Any, IndexInfo]:
    """Open the cached index for this content, building it when missing, stale or broken.

    When the cache folder cannot be written, the index is built in memory and the
    returned info carries a warning instead of failing.
    """
    start = time.perf_counter()
    if cache_dir is None:
        return _build_in_memory(kb, start)
    refused = ownership.refusal(cache_dir)
    if refused is not None:
        return _build_in_memory(kb, start, *refused)
    target = cache_dir / f"index-{cache_key(kb)}"
    if not rebuild:
        for folder in (target, _beside(target)):
            ix = _try_open(folder)
            if ix is not None:
                return ix, IndexInfo(folder, False, time.perf_counter() - start, ix.doc_count())
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        ix, folder = _build_on_disk(kb, cache_dir, target, rebuild)
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
    info = IndexInfo(folder, True, time.perf_counter() - start, ix.doc_count())
    if folder != target:
        info.warning, info.warning_ja = _in_the_way(target).messages(beside=folder)
    return ix, info


def _in_the_way(folder: Path) -> IndexInTheWay:
    return IndexInTheWay(folder, ours=ownership.is_ours(folder) or _manifest_shaped(folder))


def _beside(target: Path) -> Path:
    """Where the index goes when a folder of its name is in the way and cannot be removed."""
    return target.with_name(target.name + ".beside")


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


def _build_on_disk(kb: KnowledgeBase, cache_dir: Path, target: Path, rebuild: bool) -> tuple[Any, Path]:
    """Build the index and put it at ``target``, or beside it when a folder there cannot be
    removed (unreadable, or not ours); returns the index and the folder it is in."""
    # Build beside the target and rename into place: a reader never sees half an index,
    # and two processes building at once each finish; the first rename wins.
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=cache_dir))
    try:
        ownership.mark_ours(tmp)  # first, so a build killed at any point is provably ours
        ix = whoosh_index.create_in(str(tmp), make_schema())
        _write(ix, kb)
        _write_manifest(tmp)
        for folder in (target, _beside(target)):
            if _put_in_place(tmp, folder, cache_dir, rebuild):
                break
        else:
            raise _in_the_way(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    opened = _try_open(folder)
    if opened is None:
        raise OSError("index could not be reopened after building")
    return opened, folder


def _put_in_place(tmp: Path, folder: Path, cache_dir: Path, rebuild: bool) -> bool:
    """Rename the built ``tmp`` to ``folder``; True when an index is there now (ours, or an
    equal one another process put there first)."""
    aside: Path | None = None
    try:
        if rebuild and folder.exists() and (ownership.is_ours(folder) or _manifest_shaped(folder)):
            # Renamed away, not deleted in place: a reader never sees a half-deleted index.
            aside = cache_dir / f".old-{tmp.name}"
            with contextlib.suppress(OSError):
                os.rename(folder, aside)
        try:
            os.rename(tmp, folder)
            return True
        except OSError:
            if _try_open(folder) is not None:
                return True
        ownership.remove_ours(folder, _manifest_shaped)  # a folder not ours stays, and the rename fails
        try:
            os.rename(tmp, folder)
            return True
        except OSError:
            return False
    finally:
        if aside is not None and aside.exists():
            ownership.remove_ours(aside, _manifest_shaped)


class _PrivateRamStorage(RamStorage):  # type: ignore[misc]
    """Whoosh's RAM storage spills big builds to a fixed /tmp/MAIN.tmp that every process
    shares (one process's cleanup deletes another's files); spill to a private folder."""

    def __init__(self) -> None:
        super().__init__()
        self.spill_folders: list[str] = []

    def temp_storage(self, name: str | None = None) -> Any:
        # With no disk to spill to (full, read-only), spill to memory: the point is to answer.
        try:
            folder = tempfile.mkdtemp(prefix="faq-index-spill-")
        except OSError:
            return RamStorage()
        self.spill_folders.append(folder)
        return FileStorage(folder).create()

    def remove_spill_folders(self) -> None:
        """Remove the spill folders left empty. Whoosh destroys the writer's own, but not the
        one its per-document writer asks for, which left an empty folder in /tmp per build."""
        for folder in self.spill_folders:
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # only when empty: a folder still holding files is in use
        self.spill_folders.clear()


def _build_in_memory(kb: KnowledgeBase, start: float, warning: str | None = None,
                     warning_ja: str | None = None) -> tuple[Any, IndexInfo]:
    storage = _PrivateRamStorage()
    ix = storage.create_index(make_schema())
    try:
        _write(ix, kb)
    finally:
        storage.remove_spill_folders()
    return ix, IndexInfo(None, True, time.perf_counter() - start, ix.doc_count(), warning, warning_ja)


def _write(ix: Any, kb: KnowledgeBase) -> None:
    writer = ix.writer(limitmb=WRITER_MB, compound=False)
    try:
        for document in _documents(kb):
            writer.add_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _documents(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    """Analysed documents in content order; big knowledge bases are analysed by worker
    processes while this one writes, which is most of the build time on two cores."""
    entries = list(kb.entries.values())
    table = check_quantities()  # given to the workers: a fresh process knows only the built-ins
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(entries) < PARALLEL_MIN_ENTRIES or workers < 2:
        matcher = matcher_for(kb.glossary, table)
        for entry in entries:
            yield entry_document(entry, matcher)
        return
    # forkserver/spawn, not fork: the app builds the index from a worker thread, and
    # forking a threaded process can deadlock.
    import multiprocessing  # here: only a big build uses it, and it costs every start to import

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(kb.glossary, table)) as pool:
        # Batches with one in flight: the workers analyse the next batch while this
        # process writes the current one, and memory holds at most two batches.
        batches = [entries[i : i + BATCH] for i in range(0, len(entries), BATCH)]
        pending = pool.map_async(_analyse, batches[0], chunksize=50)
        for following in [*batches[1:], None]:
            done = pending.get()
            if following is not None:
                pending = pool.map_async(_analyse, following, chunksize=50)
            yield from done
            del done


_worker_matcher: ConceptMatcher | None = None


def _init_worker(glossary: dict[str, GlossaryTerm], table: QuantityTable) -> None:
    global _worker_matcher
    _worker_matcher = ConceptMatcher(glossary, table)


def _analyse(entry: Entry) -> dict[str, Any]:
    assert _worker_matcher is not None
    return entry_document(entry, _worker_matcher)


def _remove_stale(cache_dir: Path, keep: Path) -> None:
    # Only folders carrying our marker: the cache folder may hold other people's files.
    for old in cache_dir.glob("index-*"):
        if old != keep:
            ownership.remove_ours(old)
    # A build killed part-way leaves its folder; it is removed once its builder is gone.
    for leftover in [*cache_dir.glob(".build-*"), *cache_dir.glob(".old-*")]:
        if ownership.builder_gone(leftover):
            ownership.remove_ours(leftover)
