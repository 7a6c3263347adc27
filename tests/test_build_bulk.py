"""The bulk build (kb.index.bulk) writes the very segment Whoosh's own writer writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import kb.index.store  # noqa: F401 - installs the restricted readers
from bench.synth import generate_corpus
from kb.content.load import KnowledgeBase, load_kb
from kb.index import build, bulk


def _whooshs_own(kb: KnowledgeBase, folder: Path) -> dict[str, list[int]]:
    """The index as Whoosh's SegmentWriter writes it, one add_document per entry."""
    ix = whoosh_index.create_in(str(folder), build.make_schema())
    writer = ix.writer(limitmb=build.WRITER_MB, compound=False)
    lengths = {}
    for document in build.documents(kb, build.in_id_order(kb)):
        lengths[document["id"]] = build.document_lengths(document)
        writer.add_document(**document)
    writer.commit()
    return lengths


def _ours(kb: KnowledgeBase, folder: Path) -> dict[str, list[int]]:
    return build._write(whoosh_index.create_in(str(folder), build.make_schema()), kb)


def _segment_files(folder: Path) -> dict[str, bytes]:
    """Every file of the one segment, named without the segment's random id."""
    ix = whoosh_index.open_dir(str(folder))
    (segment,) = ix._segments()
    prefix = segment.segment_id()  # the index's name, "_" and the segment's random id
    files = {p.name.replace(prefix, "SEGMENT"): p.read_bytes() for p in folder.iterdir()
             if p.name.startswith(prefix)}
    # Postings, terms, stored fields and a length column at least: an empty dict would
    # make every comparison below pass.
    assert {"SEGMENT.pst", "SEGMENT.trm", "SEGMENT._stored.col"} <= set(files)
    return files


def _assert_same_index(kb: KnowledgeBase, tmp_path: Path) -> None:
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "ours").mkdir()
    expected_lengths = _whooshs_own(kb, tmp_path / "whoosh")
    assert _ours(kb, tmp_path / "ours") == expected_lengths
    expected, found = _segment_files(tmp_path / "whoosh"), _segment_files(tmp_path / "ours")
    assert sorted(found) == sorted(expected)
    for name, data in expected.items():
        assert found[name] == data, name
    ours, theirs = (whoosh_index.open_dir(str(tmp_path / d))._segments()[0] for d in ("ours", "whoosh"))
    assert ours.doc_count_all() == theirs.doc_count_all() == len(kb.entries)
    assert dict(ours._fieldlengths) == dict(theirs._fieldlengths)
    assert not any(re.search(r"\.tmp$|\.run$", p.name) for p in (tmp_path / "ours").rglob("*"))


def test_many_small_batches_and_chunks_write_whooshs_segment(real_kb, tmp_path, monkeypatch):
    # Batches of 4 entries and chunks of 7 postings: every term's postings come from several
    # runs and chunks, and the merge must put them back in document order.
    monkeypatch.setattr(build, "BATCH", 4)
    monkeypatch.setattr(bulk, "CHUNK_POSTINGS", 7)
    _assert_same_index(real_kb, tmp_path)


def test_worker_processes_write_whooshs_segment(tmp_path, monkeypatch):
    root = tmp_path / "content"
    generate_corpus(root, 90, seed=7)
    kb = load_kb(root)
    assert not kb.problems
    monkeypatch.setattr(build, "PARALLEL_MIN_ENTRIES", 10)
    monkeypatch.setattr(build, "MIN_BATCH", 8)  # a dozen batches shared by the workers
    _assert_same_index(kb, tmp_path)


def test_a_document_with_fields_the_schema_lacks_is_refused():
    with pytest.raises(Exception, match="no field named"):
        bulk.index_batch(build.make_schema(), [{"id": "a", "colour": "red"}], 0)
    with pytest.raises(Exception, match="no field named"):
        bulk.index_batch(build.make_schema(), [{"id": "a", "_boost": 2.0}], 0)


def test_the_schema_is_one_the_bulk_writer_writes():
    # Otherwise every build would go through Whoosh's slower writer.
    assert bulk.plain_schema(build.make_schema())


def _segment_of(folder: Path, write) -> dict[str, bytes]:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build.make_schema())
    write(ix.writer(limitmb=build.WRITER_MB, compound=False))
    return _segment_files(folder)


def test_postings_with_equal_positions_write_whooshs_blocks(tmp_path):
    # Many documents hold "same" once, at one position, so a block holds equal encodings;
    # one with 1.0 weights only, one with equal weights, one with weights that differ.
    docs = [{"id": f"e{n:03}", "text_ja": ["same", *["other"] * (n % 3)], "text_en": ["w"] * (1 + n % 5),
             "bigram": ["あい"], "phrasings": [["@x", "same"], ["@x", "same"]], "vocab": ["@x", "same"]}
            for n in range(300)]

    def whooshs(writer):
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()

    def ours(writer):
        target = bulk.BulkWriter(writer)
        target.add_batch(*bulk.index_batch(writer.schema, docs[:170], 0))
        target.add_batch(*bulk.index_batch(writer.schema, docs[170:], 170))
        target.commit()

    expected, found = _segment_of(tmp_path / "whoosh", whooshs), _segment_of(tmp_path / "ours", ours)
    assert sorted(found) == sorted(expected)
    for name, data in expected.items():
        assert found[name] == data, name
