"""Building the index: the schema, each entry as analysed fields, and the writer (both cores).

Documents are written in entry-id order, so a full build's document numbers follow the ids and
Whoosh's own tie-break (lower document number first) is the id order that an updated index
reproduces explicitly (kb.index.live, kb.retrieval.keyword).
"""

# ruff: noqa: E402 - Whoosh is imported after import_whoosh_lightly()

from __future__ import annotations

import contextlib
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from kb.index.whoosh_import import import_whoosh_lightly

import_whoosh_lightly()  # before Whoosh's first import (see there)

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage

from kb.content.entry import Entry, GlossaryTerm
from kb.content.load import KnowledgeBase
from kb.index import bulk, compat
from kb.index.tokenizers import BigramTokenizer, EnglishTokenizer, MorphTokenizer
from kb.text.analysis import bigrams, english_terms, morph_terms, normalize
from kb.text.glossary import ConceptMatcher, QuantityTable, matcher_for

T = TypeVar("T")
QUESTION_REPEAT = 3
PARALLEL_MIN_ENTRIES = 2000
BATCH = 1000  # entries per batch at most (a run of postings each, read back at the end)
MIN_BATCH = 200
MAX_WORKERS = 4
# Whoosh's in-memory posting buffer before it spills a sorted run (an update's writer; a full
# build's postings go through kb.index.bulk, a batch's run at a time).
WRITER_MB = 64
# The scorable fields whose exact length totals an updated index keeps (kb.index.live).
LENGTH_FIELDS = ("text_ja", "text_en", "bigram", "concepts")


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
        "phrasings": [matcher.features_of_normalized(p) for norm in (ja_norm if ja else (), en_norm if en else ())
                      for p in norm[:-1]],
        "vocab": sorted(vocab),
        "answer_vocab": sorted(answer_vocab),
    }


def _flat(lists: Any) -> list[str]:
    return [term for terms in lists for term in terms]


def check_quantities() -> QuantityTable:
    """The registered checks' quantities: what the index and the matcher count as one."""
    from kb.checks.registry import quantity_table

    return quantity_table()


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


def _write(ix: Any, kb: KnowledgeBase) -> dict[str, list[int]]:
    """Write every entry, in id order; returns each entry's field lengths (LENGTH_FIELDS)."""
    writer = compat.fast_lengths(ix.writer(limitmb=WRITER_MB, compound=False))
    lengths: dict[str, list[int]] = {}
    try:
        if not bulk.plain_schema(writer.schema):  # a field kind the bulk writer does not know
            for document in documents(kb, in_id_order(kb)):
                lengths[document["id"]] = document_lengths(document)
                writer.add_document(**document)
            writer.commit()
            return lengths
        target = bulk.BulkWriter(writer)
        for batch_lengths, rows, chunks in indexed_batches(kb, in_id_order(kb)):
            lengths.update(batch_lengths)
            target.add_batch(rows, chunks)
        target.commit()
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    return lengths


def in_id_order(kb: KnowledgeBase) -> list[Entry]:
    return [kb.entries[i] for i in sorted(kb.entries)]


def document_lengths(document: dict[str, Any]) -> list[int]:
    """The document's length in each of LENGTH_FIELDS, as Whoosh counts it (its tokens)."""
    return [len(document["text_ja"]), len(document["text_en"]), len(document["bigram"]),
            len(document["concepts"].split())]


def documents(kb: KnowledgeBase, entries: Sequence[Entry]) -> Iterator[dict[str, Any]]:
    """Analysed documents of ``entries`` in their order (by worker processes when many)."""
    if not _parallel(entries):
        matcher = matcher_for(kb.glossary, check_quantities())
        for entry in entries:
            yield entry_document(entry, matcher)
        return
    for docs in _in_workers(kb, entries, _analyse_only):
        yield from docs


# What one batch becomes: each entry's field lengths by id, then kb.index.bulk.index_batch's rows and postings.
Indexed = tuple[dict[str, list[int]], list[bulk.Row], list[bytes]]


def indexed_batches(kb: KnowledgeBase, entries: Sequence[Entry]) -> Iterator[Indexed]:
    """``entries`` analysed and indexed in batches, in their order; with many, by worker
    processes (one per core) while this one writes what they return."""
    if not _parallel(entries):
        matcher, schema = matcher_for(kb.glossary, check_quantities()), make_schema()
        for base in range(0, len(entries), BATCH):
            yield _index(matcher, schema, entries[base : base + BATCH], base)
        return
    yield from _in_workers(kb, entries, _analyse)


def _workers() -> int:
    return min(os.cpu_count() or 1, MAX_WORKERS)


def _parallel(entries: Sequence[Entry]) -> bool:
    return len(entries) >= PARALLEL_MIN_ENTRIES and _workers() >= 2


def _in_workers(kb: KnowledgeBase, entries: Sequence[Entry], task: Callable[[Sequence[Entry], int], T]) -> Iterator[T]:
    """``task(batch, first position)`` for consecutive batches of ``entries``, run by worker
    processes (one per core); the results in batch order."""
    # forkserver/spawn, not fork: the app builds the index from a worker thread, and
    # forking a threaded process can deadlock.
    import multiprocessing  # here: only a big build uses it, and it costs every start to import

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    workers = _workers()
    # Small enough batches that the cores finish together, big enough that the final merge
    # reads few runs.
    size = max(MIN_BATCH, min(BATCH, len(entries) // (workers * 8)))
    table = check_quantities()  # given to the workers: a fresh process knows only the built-ins
    with context.Pool(workers, initializer=_init_worker, initargs=(kb.glossary, table)) as pool:
        # A few batches in flight per worker, taken in order: memory holds only those.
        pending: deque[Any] = deque()
        for base in range(0, len(entries), size):
            pending.append(pool.apply_async(task, (entries[base : base + size], base)))
            if len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _index(matcher: ConceptMatcher, schema: Schema, entries: Sequence[Entry], base: int) -> Indexed:
    docs = [entry_document(entry, matcher) for entry in entries]
    rows, chunks = bulk.index_batch(schema, docs, base)
    return {d["id"]: document_lengths(d) for d in docs}, rows, chunks


_worker: tuple[ConceptMatcher, Schema] | None = None


def _init_worker(glossary: dict[str, GlossaryTerm], table: QuantityTable) -> None:
    global _worker
    _worker = ConceptMatcher(glossary, table), make_schema()


def _analyse(entries: Sequence[Entry], base: int) -> Indexed:
    assert _worker is not None
    return _index(*_worker, entries, base)


def _analyse_only(entries: Sequence[Entry], _base: int) -> list[dict[str, Any]]:
    assert _worker is not None
    return [entry_document(entry, _worker[0]) for entry in entries]
