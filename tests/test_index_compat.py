"""Whoosh's pickle readers are restricted (kb/index/compat.py); fail loudly when Whoosh changes."""

from __future__ import annotations

import importlib
import pickle
import re
from pathlib import Path
from unittest import mock

import pytest
import whoosh
import whoosh.codec.whoosh3

import kb.index.store  # noqa: F401 - installs the restricted readers
from kb.content.load import load_kb
from kb.index import compat
from kb.index.store import open_index

WHOOSH = Path(whoosh.__file__).parent
# Modules that call pickle's load(s) but are never used for our index format: other codecs,
# a module that no longer imports, and the writer's sort runs (files it wrote itself, in the
# private build folder, during one build), and the multi-process writer we never use.
NOT_OURS = {"codec/whoosh2.py", "codec/plaintext.py", "filedb/misc.py", "externalsort.py",
            "util/loading.py", "legacy.py", "compat.py", "filedb/fileindex.py", "multiproc.py"}
_IMPORTS_LOAD = re.compile(r"^\s*(import pickle|from (pickle|whoosh\.compat) import .*\b(loads?|pickle)\b)", re.M)


def test_every_whoosh_module_that_unpickles_is_patched():
    readers = {str(p.relative_to(WHOOSH)) for p in WHOOSH.rglob("*.py")
               if _IMPORTS_LOAD.search(p.read_text(encoding="utf-8"))}
    patched = {m.removeprefix("whoosh.").replace(".", "/") + ".py" for m, _ in compat.PATCHED}
    assert readers - NOT_OURS == patched, "a Whoosh module unpickles that kb/index/compat.py does not patch"
    for module, attribute in compat.PATCHED:
        assert hasattr(importlib.import_module(module), attribute), (module, attribute)


def test_the_real_index_still_opens_and_answers(real_kb, tmp_path):
    from kb.retrieval.healing import open_engine

    for _ in range(2):  # built, then reopened through the restricted readers
        engine, _info = open_engine(real_kb, tmp_path)
        assert engine.ask("CSV は必要ですか").answers[0].id == "csv-required"
        engine.close()


class _Planted:
    def __init__(self, path: str) -> None:
        self.path = path

    def clean(self) -> None:  # what TOC.write asks of a schema
        pass

    def __reduce__(self):
        return (open, (self.path, "w"))


def _plant_in_toc(folder: Path, witness: Path, where: str) -> None:
    """What an attacker who can write the cache does: a TOC whose pickle runs code, READY to match."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from kb.index.store import _write_manifest

    storage = FileStorage(str(folder))
    toc = TOC.read(storage, "MAIN")
    if where == "schema":
        toc.schema = _Planted(str(witness))
    else:
        toc.segments = [_Planted(str(witness))]
    for old in folder.glob("*.toc"):
        old.unlink()
    (folder / "READY").unlink()
    with mock.patch("whoosh.index.ensure_schema", lambda schema: schema):
        toc.write(storage, "MAIN")
    _write_manifest(folder)


@pytest.mark.parametrize("where", ["schema", "segments"])
def test_a_pickle_planted_in_the_toc_does_not_run(small_kb, tmp_path, where, monkeypatch):
    kb = load_kb(small_kb, known_checks=set())
    _ix, info = open_index(kb, tmp_path / "cache")
    assert info.path is not None
    witness = tmp_path / "pwned"
    _plant_in_toc(info.path, witness, where)
    _ix, again = open_index(kb, tmp_path / "cache")
    assert not witness.exists() and again.built and again.documents == 2
    # The same plant with Whoosh's own unpickler runs: the test above could fail.
    import whoosh.filedb.structfile
    import whoosh.index

    _plant_in_toc(again.path, witness, where)
    monkeypatch.setattr(whoosh.index, "pickle", pickle)
    monkeypatch.setattr(whoosh.filedb.structfile, "load_pickle", pickle.load)
    open_index(kb, tmp_path / "cache")
    assert witness.exists()


def test_the_restricted_reader_refuses_functions_and_foreign_classes():
    import os

    for payload in (pickle.dumps(os.system), pickle.dumps(Path("/")), pickle.dumps(_Planted("/tmp/x"))):
        with pytest.raises(pickle.UnpicklingError):
            compat.restricted_loads(payload)
    assert compat.restricted_loads(pickle.dumps({"a": [1, 2.0, (3,)], "b": {4}})) == {"a": [1, 2.0, (3,)], "b": {4}}


def test_the_length_table_writes_the_index_whoosh_writes(real_kb):
    """compat.fast_lengths changes how the writer looks lengths up, not what it writes; a
    Whoosh whose writer no longer has per_document_reader is left as it is."""
    from whoosh.filedb.filestore import RamStorage

    from kb.index.build import documents, in_id_order, make_schema

    readers = []
    for fast in (False, True):
        ix = RamStorage().create_index(make_schema())
        writer = ix.writer()
        if fast:
            writer = compat.fast_lengths(writer)
            assert "per_document_reader" in vars(writer)
        for document in documents(real_kb, in_id_order(real_kb)):
            writer.add_document(**document)
        writer.commit()
        readers.append(ix.reader())
    plain, fast = readers
    assert all(fast.doc_field_length(d, "text_ja") == plain.doc_field_length(d, "text_ja") for d in range(13))
    terms = list(plain.all_terms())
    assert terms == list(fast.all_terms()) and len(terms) > 500
    for fieldname, text in terms:
        a, b = plain.term_info(fieldname, text), fast.term_info(fieldname, text)
        assert (a.min_length(), a.max_length(), a.max_weight(), a.doc_frequency()) == \
            (b.min_length(), b.max_length(), b.max_weight(), b.doc_frequency())
        assert list(plain.postings(fieldname, text).all_ids()) == list(fast.postings(fieldname, text).all_ids())


@pytest.mark.parametrize("cutoff", [2**15, 2], ids=["offsets derived", "offsets stored"])
def test_column_offsets_summed_in_c_equal_whooshs_loop(cutoff):
    from whoosh.columns import VarBytesColumn
    from whoosh.filedb.filestore import RamStorage

    storage = RamStorage()
    values = [b"", b"a", b"bcd", b"", b"efgh" * 300, b"", b"ij"]
    column = VarBytesColumn(allow_offsets=True, write_offsets_cutoff=cutoff)
    out = storage.create_file("column")
    writer = column.writer(out)
    for docnum, value in enumerate(values):
        writer.add(docnum, value)
    writer.finish(len(values))
    length = out.tell()
    out.close()
    reader = column.reader(storage.open_file("column"), 0, length, len(values))  # the patched reader
    assert VarBytesColumn.Reader._read_offsets_and_lengths is compat._read_offsets_and_lengths
    assert reader.had_stored_offsets == (cutoff == 2)
    assert [reader[d] for d in range(len(values))] == values
    ours = (reader._offsets, reader._lengths)
    compat.WHOOSH_READ_OFFSETS(reader)  # Whoosh's own, on the same reader
    assert (reader._offsets, reader._lengths) == ours
    assert reader._offsets.typecode == ours[0].typecode


def test_the_real_index_reads_its_stored_fields_through_the_patched_columns(real_kb, tmp_path):
    ix, _info = open_index(real_kb, tmp_path / "cache")
    with ix.searcher() as searcher:
        [reader] = [r for r, _ in searcher.reader().leaf_readers()]
        column = reader._perdoc._cached_reader("_stored", whoosh.codec.whoosh3.STORED_COLUMN)._child
        ours = (column._offsets, column._lengths)
        compat.WHOOSH_READ_OFFSETS(column)
        assert (column._offsets, column._lengths) == ours and len(ours[0]) == reader.doc_count_all()
