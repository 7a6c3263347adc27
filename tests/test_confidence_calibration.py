"""Confidence calibrated per knowledge base from probes made of its own content."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import open_kb
from kb.retrieval.calibration import MAX_ABSENT, MIN_PROBES, STEEPNESS, calibrate
from kb.retrieval.confidence import Calibration

KBS = Path(__file__).resolve().parent / "data" / "kbs"


def _bar(calibration: Calibration) -> float:
    return -calibration.bias / STEEPNESS  # the raw score where confidence crosses 0.5


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory):
    opened = {name: open_kb(KBS / name, tmp_path_factory.mktemp(name), snapshot=False) for name in ("git", "git-bare")}
    yield {name: library.engine for name, library in opened.items()}
    for library in opened.values():
        library.close()


def test_one_probe_per_entry_and_language(engines) -> None:
    engine = engines["git"]
    pairs = sum(len(e.text) for e in engine.kb.entries.values())
    assert engine.calibration.probes == min(pairs, MAX_ABSENT)
    assert 0.0 < _bar(engine.calibration) < 1.0


def test_content_that_matches_closely_gets_a_higher_bar(engines) -> None:
    # Alternates make a knowledge base's own questions match closely, so scores that
    # would be confident on its bare copy are not on it.
    assert _bar(engines["git"].calibration) > _bar(engines["git-bare"].calibration)


def test_the_bar_splits_an_entrys_own_question_from_one_the_content_never_words(engines) -> None:
    engine = engines["git"]
    entry = next(iter(engine.kb.entries.values()))
    own = engine.ask(entry.question("en"), run_checks=False)
    assert own.answers and own.answers[0].id == entry.id
    stranger = engine.ask("sourdough starter feeding schedule for a cold kitchen", run_checks=False)
    assert not stranger.answers


def test_stored_calibration_is_what_the_probes_give(engines) -> None:
    engine = engines["git-bare"]
    again = calibrate(engine.analyzer, engine.ranker)
    assert again == engine.calibration  # the one saved with the index is read back unchanged


def test_too_small_to_probe_gets_the_default(tmp_path: Path) -> None:
    entries = tmp_path / "kb" / "entries"
    entries.mkdir(parents=True)
    for name in ("tags.toml", "glossary.toml"):
        (tmp_path / "kb" / name).write_text("", encoding="utf-8")
    for i in range(2):
        (entries / f"e{i}.md").write_text(
            f'+++\nid = "e{i}"\ntags = []\napplies_to = ["Thing"]\n\n[en]\nquestion = "How do I do thing {i}?"\n'
            f'+++\n\n<!-- en -->\nLike this {i}.\n', encoding="utf-8")
    library = open_kb(tmp_path / "kb", tmp_path / "cache", snapshot=False)
    try:
        assert len(library.content.entries) == 2
        calibration = library.engine.calibration
    finally:
        library.close()
    assert calibration.probes < MIN_PROBES
    assert (calibration.w_raw, calibration.bias) == (Calibration().w_raw, Calibration().bias)


def _fake_kb(ids: list[str], languages: tuple[str, ...] = ("ja", "en")):
    from types import SimpleNamespace

    return SimpleNamespace(entries={i: SimpleNamespace(text={lang: SimpleNamespace(question=f"{i} {lang}?")
                                                            for lang in languages}) for i in ids})


def test_entries_added_at_the_front_of_the_id_order_do_not_take_the_probes() -> None:
    from kb.retrieval.calibration import probe_questions

    old = [f"topic-{n:03d}" for n in range(200)]
    before = probe_questions(_fake_kb(old), MAX_ABSENT)
    copies = [f"aaa-copy-{n}" for n in range(10)]  # near-copies whose ids sort before every other
    after = probe_questions(_fake_kb(copies + old), MAX_ABSENT)
    assert len(before) == len(after) == MAX_ABSENT
    new = {i for i, _q in after if i in copies}
    assert len(new) < len(copies)  # in id order all ten would be probed, and 10 of 30 entries
    # The old entries still probed are the first of those probed before, in the same order:
    # an addition only ever displaces the last probes, never reshuffles the rest.
    kept = [p for p in after if p[0] not in new]
    assert kept == before[: len(kept)]
    # Both languages of each probed entry, together.
    assert all(after[k][0] == after[k + 1][0] for k in range(0, MAX_ABSENT, 2))


def test_probes_find_what_the_plain_ranker_finds(tmp_path: Path) -> None:
    """The probes' ranker (a probe's weights kept, posting lists read by blocks) finds
    each probe's best entry and score exactly as the ranker `ask` uses, on an updated index
    (deleted documents in its first segment) as on a full build."""
    from bench.synth import generate_corpus
    from kb.retrieval.calibration import ProbeRanker, _df_without, probe_questions
    from kb.retrieval.confidence import Exclusion, Ranker

    root = tmp_path / "kb"
    generate_corpus(root, 160, seed=4)
    for updated in (False, True):
        if updated:
            for name in sorted(p.name for p in (root / "entries").glob("*.md"))[:3]:
                path = root / "entries" / name
                path.write_text(path.read_text(encoding="utf-8").replace("<!-- en -->\n", "<!-- en -->\nquorum. ", 1),
                                encoding="utf-8")
        library = open_kb(root, tmp_path / "cache", snapshot=False)
        engine = library.engine
        assert library.index_info is not None and library.index_info.updated == (3 if updated else 0)
        reader = engine.searcher.reader()
        leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
        assert updated == any(leaf.has_deletions() for leaf, _offset in leaves)
        analyzer, searcher = engine.analyzer, engine.searcher
        plain, probe = Ranker(searcher, engine.scope, analyzer.weight), ProbeRanker(analyzer, engine.ranker)
        probed = 0
        for entry_id, text in probe_questions(library.content, 10_000):
            docnum = searcher.document_number(id=entry_id)
            exclusion = Exclusion(entry_id, gone=frozenset(searcher.stored_fields(docnum).get("vocab", ())))
            df = _df_without(analyzer, exclusion.gone)
            question = analyzer.analyze(text, df_override=df)
            best, best3 = plain.rank(question, 1, exclusion, df), plain.rank(question, 3, exclusion, df)
            assert probe.rank(question, 1, exclusion, df) == best, entry_id
            assert probe.rank(question, 3, exclusion, df) == best3, entry_id
            probed += bool(best)
        assert probed > 20  # most probes find some entry: the comparison says something
        library.close()
