"""The incremental index: after edits, additions, removals and renames it answers exactly as a
full rebuild of the same content does (ids, order, confidences, keyword hits and scores)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.synth import generate_corpus, generate_queries
from kb.index import compat, store
from kb.index.live import VOCAB_FIELDS
from kb.library import Library, open_kb

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_TERM = ('\n[zzterm]\nja = ["ずずターム"]\nen = ["zzterm"]\ndefinition.ja = "試験用の用語。"\n'
                 'definition.en = "A term for the test."\n')
KEYWORDS = ["index", "query", "table slow", "postgres OR vacuum", "インデックス", "cluster node",
            "storage", "virtual machine", "ストレージ", "update", "backup job", "certificate", "\"live migration\""]


def _questions(root: Path) -> list[str]:
    path = DATA / "questions" / "postgres.dev.jsonl"
    asked = [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines()[:40]]
    asked += generate_queries(40, seed=3)
    # The content's own questions, shortened: near-duplicates and ties among runners-up.
    for entry in sorted((root / "entries").glob("*.md"))[:25]:
        found = re.search(r'^question = "(.*)"$', entry.read_text(encoding="utf-8"), re.M)
        if found:
            asked.append(found.group(1)[:30])
    return asked


def _answers(library: Library, questions: list[str]) -> list[object]:
    out: list[object] = []
    for question in questions:
        result = library.ask(question, top=5)
        out.append([(a.id, a.confidence, a.score) for a in result.candidates])
    for terms in KEYWORDS:
        out.append([(h.id, h.score) for h in library.search(terms, limit=5)])
        out.append([(h.id, h.score) for h in library.search(terms, limit=20)])
    return out


def _ids(answers: list[object]) -> list[list[str]]:
    return [[hit[0] for hit in result][:1] for result in answers]  # type: ignore[attr-defined, index]


def _full(root: Path, cache: Path) -> Library:
    if cache.exists():
        shutil.rmtree(cache)
    library = open_kb(root, cache, snapshot=False)
    library.engine  # noqa: B018 - builds
    return library


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "entries" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _copy_entry(root: Path, source: str, new_id: str, marker: str) -> None:
    text = (root / "entries" / source).read_text(encoding="utf-8")
    old_id = source.removesuffix(".md")
    text = text.replace(f'id = "{old_id}"', f'id = "{new_id}"', 1).replace("<!-- ja -->\n", f"<!-- ja -->\n{marker} ", 1)
    (root / "entries" / f"{new_id}.md").write_text(text, encoding="utf-8")


@pytest.fixture(params=["postgres", "synth"])
def content(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    if request.param == "postgres":
        shutil.copytree(DATA / "kbs" / "postgres", root)
    else:
        generate_corpus(root, 120, seed=5)
    return root


def _mutations(root: Path) -> list[tuple[str, object]]:
    names = sorted(p.name for p in (root / "entries").glob("*.md"))
    first, second, third, fourth = names[0], names[3], names[7], names[11]

    def edit() -> None:
        text = (root / "entries" / first).read_text(encoding="utf-8")
        answer = text.split("+++", 2)[2]
        word = re.search(r"[A-Za-z]{5,}", answer)
        assert word is not None
        _edit(root, first, answer, answer.replace(word.group(), "replication", 1) + "\n追加の説明: ストレージ。\n")

    def add() -> None:
        for i, source in enumerate(names[:4]):
            _copy_entry(root, source, f"zz-added-{i}", f"追加 {i} backup vacuum")
        _copy_entry(root, names[5], "aa-added", "first in id order")

    def remove() -> None:
        (root / "entries" / second).unlink()

    def rename() -> None:
        old_id = third.removesuffix(".md")
        text = (root / "entries" / third).read_text(encoding="utf-8")
        (root / "entries" / third).unlink()
        (root / "entries" / f"{old_id}-renamed.md").write_text(
            text.replace(f'id = "{old_id}"', f'id = "{old_id}-renamed"', 1), encoding="utf-8")

    def edit_again() -> None:  # an entry written by an update edited again: the second segment
        _edit(root, "zz-added-1.md", "追加 1", "追加 1 修正")
        _edit(root, fourth, "<!-- ja -->\n", "<!-- ja -->\nquorum disk node ")

    return [("edit", edit), ("add", add), ("remove", remove), ("rename", rename), ("edit-again", edit_again)]


def test_updates_answer_exactly_as_a_full_rebuild(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    questions = _questions(content)
    library = open_kb(content, cache, snapshot=False)
    assert library.engine is not None and library.index_info is not None and library.index_info.built
    for name, mutate in _mutations(content):
        mutate()  # type: ignore[operator]
        library.close()
        library = open_kb(content, cache, snapshot=False)
        incremental = _answers(library, questions)
        info = library.index_info
        assert info is not None and not info.built and info.updated > 0, name
        reader = library.engine.searcher.reader()
        assert not (reader.is_atomic() and not reader.has_deletions()), name  # the live-statistics path
        fresh = _full(content, tmp_path / "full")
        assert fresh.index_info is not None and fresh.index_info.built
        assert library.engine.calibration == fresh.engine.calibration, name
        assert incremental == _answers(fresh, questions), name
        fresh.close()
    library.close()


def test_live_statistics_equal_a_full_builds(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corrected statistics themselves: document frequencies, idf and average lengths."""
    library = open_kb(content, tmp_path / "cache", snapshot=False)
    library.engine  # noqa: B018 - builds
    for _name, mutate in _mutations(content)[:3]:
        mutate()  # type: ignore[operator]
    library.close()
    updated = open_kb(content, tmp_path / "cache", snapshot=False).engine.searcher
    fresh = _full(content, tmp_path / "full").engine.searcher
    assert updated.doc_count() == fresh.doc_count()
    # Most frequencies are taken without reading postings: no deleted document's vocabulary has the term.
    slow: list[tuple[str, str]] = []
    counted = compat.live_doc_frequency
    monkeypatch.setattr(compat, "live_doc_frequency", lambda r, f, t: slow.append((f, t)) or counted(r, f, t))
    for field in ("text_ja", "text_en", "bigram", "concepts"):
        assert updated.avg_field_length(field) == fresh.avg_field_length(field)
        terms = list(fresh.reader().field_terms(field))
        assert terms, field
        for text in terms:
            assert updated.doc_frequency(field, text) == fresh.doc_frequency(field, text), (field, text)
            assert updated.idf(field, text) == fresh.idf(field, text), (field, text)
        # Terms only the deleted documents had count for nothing.
        gone = set(updated.reader().field_terms(field)) - set(terms)
        assert all(updated.doc_frequency(field, t) == 0 for t in gone)
    assert updated._deleted_vocab  # the deleted documents' vocabularies were read
    assert {f for f, _t in slow} >= {"text_ja", "bigram"}  # both ways of counting were taken
    asked = sum(1 for field in VOCAB_FIELDS for _t in updated.reader().field_terms(field))
    assert len({x for x in slow if x[0] in VOCAB_FIELDS}) < asked / 2


def test_a_documents_vocabulary_lists_every_term_of_its_text_and_concepts(content: Path, tmp_path: Path) -> None:
    """What the live statistics rely on (kb.index.live.VOCAB_FIELDS): a term a deleted document's
    vocabulary lacks is not in that document."""
    reader = _full(content, tmp_path / "full").engine.searcher.reader()
    vocab = {d: set(reader.stored_fields(d)["vocab"]) for d in range(reader.doc_count_all())}
    held = 0
    for field, prefix in VOCAB_FIELDS.items():
        for text in reader.field_terms(field):
            for docnum in reader.postings(field, text).all_ids():
                assert prefix + text in vocab[docnum], (field, text, docnum)
                held += 1
    assert held > 1000


def test_a_glossary_or_version_change_builds_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "kb"
    shutil.copytree(DATA / "kbs" / "postgres", root)
    cache = tmp_path / "cache"
    _ix, first = store.open_index(open_kb(root, None).content, cache)
    glossary = root / "glossary.toml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the same terms
    _ix, same_terms = store.open_index(open_kb(root, None).content, cache)
    assert not same_terms.built and same_terms.updated == 0
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text + GLOSSARY_TERM, encoding="utf-8")
    _ix, other_terms = store.open_index(open_kb(root, None).content, cache)
    assert other_terms.built and other_terms.path == first.path
    monkeypatch.setattr(store, "INDEX_VERSION", store.INDEX_VERSION + "-next")
    _ix, next_version = store.open_index(open_kb(root, None).content, cache)
    assert next_version.built and next_version.path != first.path
    assert first.path is not None and not first.path.exists()  # the old version's folder is gone
    _ix, rebuilt = store.open_index(open_kb(root, None).content, cache, rebuild=True)
    assert rebuilt.built


KILLED_UPDATER = """
import sys, time
from pathlib import Path
import kb.index.update
from kb.content.load import load_kb
from kb.index.store import open_index

real_swap = kb.index.update.swap

def slow_swap(tmp, target, proof=None):
    print("updated", flush=True)
    time.sleep(60)

kb.index.update.swap = slow_swap
open_index(load_kb(Path(sys.argv[1])), Path(sys.argv[2]))
"""


def test_a_killed_update_leaves_the_old_index_usable(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(DATA / "kbs" / "postgres", root)
    cache = tmp_path / "cache"
    questions = _questions(root)[:20]
    before = open_kb(root, cache, snapshot=False)
    before.engine  # noqa: B018 - builds
    path = before.index_info.path if before.index_info else None
    before.close()
    _edit(root, "index-not-used.md", "<!-- ja -->\n", "<!-- ja -->\nautovacuum replication ")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_UPDATER, str(root), str(cache)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "updated"
    finally:
        proc.kill()
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()
    assert path is not None and store._try_open(path) is not None
    # The folder as it was: the old content's answers (it no longer matches, so it is updated).
    old = store._try_open(path)
    from kb.content.load import load_kb
    assert old is not None and old.doc_count() == len(load_kb(root).entries)
    after = open_kb(root, cache, snapshot=False)
    after.engine  # noqa: B018 - updates
    assert after.index_info is not None and after.index_info.updated == 1
    assert _answers(after, questions) == _answers(_full(root, tmp_path / "full"), questions)
    assert [p for p in cache.iterdir() if p.name.startswith(".")] == []  # the killed clone is cleaned


@pytest.mark.parametrize(("entries", "budget"), [(13, 60), (2000, 60), (4000, 30), (6000, 20), (10_000, 20),
                                                 (100_000, 20)])
def test_large_knowledge_bases_calibrate_on_fewer_probes(entries: int, budget: int) -> None:
    from kb.retrieval.calibration import probe_budget

    assert probe_budget(entries) == budget


@pytest.mark.parametrize("damage", ["record", "stats"])
def test_an_unreadable_record_builds_afresh(tmp_path: Path, damage: str) -> None:
    from kb.index.update import RECORD, STATS

    root = tmp_path / "kb"
    shutil.copytree(DATA / "kbs" / "postgres", root)
    cache = tmp_path / "cache"
    _ix, first = store.open_index(open_kb(root, None).content, cache)
    assert first.path is not None
    path = first.path / (RECORD if damage == "record" else STATS)
    size = path.stat().st_size  # the same size: READY still holds, the record is what is read
    path.write_bytes(b"{" + b"x" * (size - 1))
    _edit(root, "index-not-used.md", "<!-- ja -->\n", "<!-- ja -->\nautovacuum ")
    _ix, second = store.open_index(open_kb(root, None).content, cache)
    assert second.built and second.documents == 30
    _ix, third = store.open_index(open_kb(root, None).content, cache)
    assert not third.built and third.updated == 0


UPDATER = """
import sys
from pathlib import Path
from kb.content.load import load_kb
from kb.index.store import open_index

_ix, info = open_index(load_kb(Path(sys.argv[1])), Path(sys.argv[2]))
print(info.updated, info.built)
"""


def test_an_open_engine_survives_updates_by_another_process(tmp_path: Path) -> None:
    """A reader keeps its engine while another process updates the index twice under it."""
    root = tmp_path / "kb"
    shutil.copytree(DATA / "kbs" / "postgres", root)
    cache = tmp_path / "cache"
    questions = _questions(root)[:15]
    reader = open_kb(root, cache, snapshot=False)
    before = _answers(reader, questions)
    for marker in ("autovacuum ", "replication "):
        _edit(root, "index-not-used.md", "<!-- ja -->\n", f"<!-- ja -->\n{marker}")
        done = subprocess.run([sys.executable, "-c", UPDATER, str(root), str(cache)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=True)
        assert done.stdout.split() == ["1", "False"]
        # The old engine answers on, from the files it holds or healed onto the new index: each
        # question's best entry is the one it was, or the one a fresh open gives now.
        fresh = _full(root, tmp_path / "full")
        now, then = (_ids(_answers(lib, questions)) for lib in (reader, fresh))
        assert all(got in (old, new) for got, old, new in zip(now, _ids(before), then, strict=True))
        fresh.close()
    reader.close()
    assert [p for p in cache.iterdir() if p.name.startswith(".")] == []


def _groups(library: Library) -> dict[int, frozenset[str]]:
    """The stored synonym groups as `ask` sees them: only words some live entry has."""
    from kb.retrieval.synonyms import FIELD, load_synonyms

    searcher = library.engine.searcher
    groups = load_synonyms(library.engine.ix.storage) or {}
    live = {g: frozenset(w for w in words if searcher.doc_frequency(FIELD, w) > 0) for g, words in groups.items()}
    return {g: words for g, words in live.items() if words}


def test_an_update_publishes_its_calibration_and_synonyms_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both are written into the new index before it is swapped in (READY lists them): a reader
    never finds an updated index with the calibration or the synonyms of the one before."""
    from kb.index.update import MADE_FROM_INDEX
    from kb.retrieval import calibration, engine, healing

    root = tmp_path / "kb"
    shutil.copytree(DATA / "kbs" / "postgres", root)
    cache = tmp_path / "cache"
    open_kb(root, cache, snapshot=False).engine.close()
    _edit(root, "index-not-used.md", "<!-- ja -->\n", "<!-- ja -->\nautovacuum replication ")
    content = open_kb(root, None).content
    _ix, info = store.open_index(content, cache, prepare=healing.files_for(content))
    assert info.path is not None and not info.built and info.updated == 1
    listed = json.loads((info.path / "READY").read_text(encoding="utf-8"))["files"]
    assert set(MADE_FROM_INDEX) <= set(listed)
    stored = calibration.load_calibration(_ix.storage)
    fresh = _full(root, tmp_path / "full")
    assert stored == fresh.engine.calibration
    # An engine opened on it takes them as they are.
    monkeypatch.setattr(engine, "calibrate", lambda *a: pytest.fail("calibrated again"))
    opened = open_kb(root, cache, snapshot=False)
    assert opened.engine.calibration == fresh.engine.calibration
    opened.close()
    fresh.close()


def test_updated_synonym_groups_are_a_full_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An update looks up only the words of the segments it wrote (synonyms.update_synonyms):
    the groups `ask` then uses equal a full rebuild's, new words and all."""
    from kb.retrieval import synonyms

    root = tmp_path / "kb"
    shutil.copytree(DATA / "kbs" / "postgres", root)
    cache = tmp_path / "cache"
    open_kb(root, cache, snapshot=False).engine.close()
    names = sorted(p.name for p in (root / "entries").glob("*.md"))
    steps = [("add", lambda: _copy_entry(root, names[2], "zz-phone", "スマートフォンとパソコンから接続")),
             ("edit", lambda: _edit(root, "zz-phone.md", "スマートフォンと", "携帯電話と")),
             ("remove", lambda: (root / "entries" / names[4]).unlink())]
    questions = ["スマホから接続", "PCから接続", "ケータイ"]
    for name, step in steps:
        step()
        with monkeypatch.context() as patched:
            patched.setattr(synonyms, "build_synonyms", lambda *a: pytest.fail("the whole lexicon looked up"))
            updated = open_kb(root, cache, snapshot=False)
            updated.engine  # noqa: B018 - updates
            assert updated.index_info is not None and updated.index_info.updated, name
            got = _groups(updated)
            asked = [[(a.id, a.confidence, a.score) for a in updated.ask(q, top=5).candidates] for q in questions]
            updated.close()
        fresh = _full(root, tmp_path / "full")
        assert got == _groups(fresh), name
        assert asked == [[(a.id, a.confidence, a.score) for a in fresh.ask(q, top=5).candidates]
                         for q in questions], name
        fresh.close()
        if name == "add":
            assert any("パソコン" in words for words in got.values())
