"""A word the content never uses meets the content's words of its synonym groups."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import open_kb
from kb.retrieval.synonyms import FILE, build_synonyms, load_synonyms
from kb.text.analysis import synonym_groups

TOPICS = ["プリンター", "図書館", "駐車場", "食堂", "体育館", "掲示板", "奨学金", "スマートフォン",
          "時間割", "成績", "健康診断", "留学", "研究室", "売店"]
PHONE = "e7"


def _write(root: Path, topics: list[str]) -> Path:
    entries = root / "entries"
    entries.mkdir(parents=True, exist_ok=True)
    for name in ("tags.toml", "glossary.toml"):
        (root / name).write_text("", encoding="utf-8")
    for i, topic in enumerate(topics):
        (entries / f"e{i}.md").write_text(
            f'+++\nid = "e{i}"\ntags = []\napplies_to = ["学内"]\n\n[ja]\n'
            f'question = "{topic}の手続きはどうしますか。"\n+++\n\n<!-- ja -->\n'
            f'{topic}については窓口で手続きしてください。\n', encoding="utf-8")
    return root


@pytest.fixture
def library(tmp_path: Path):
    opened = open_kb(_write(tmp_path / "kb", TOPICS), tmp_path / "cache", snapshot=False)
    yield opened
    opened.close()


def test_the_dictionary_groups_a_clipped_word_with_its_full_form() -> None:
    assert set(synonym_groups("スマホ")) & set(synonym_groups("スマートフォン"))
    assert synonym_groups("スマホとプリンター") == ()  # two words: no group


def test_a_word_the_content_lacks_is_covered_by_its_synonym(library) -> None:
    engine = library.engine
    question = engine.analyzer.analyze("スマホの手続き")
    assert question.alternatives["スマホ"] == frozenset({"スマートフォン"})
    assert "スマホ" in question.unknown  # still a word the content lacks, for confidence
    best = library.ask("スマホの手続き", run_checks=False).candidates[0]
    assert best.id == PHONE


def test_without_the_groups_the_word_meets_nothing(library) -> None:
    from kb.retrieval.question import QuestionAnalyzer

    engine = library.engine
    bare = QuestionAnalyzer(engine.kb, engine.searcher, engine.scope)  # no synonym groups
    question = bare.analyze("スマホの手続き")
    assert "スマホ" not in question.alternatives
    bare_best = max((s.raw for s in engine.ranker.rank(question, 3) if s.id == PHONE), default=0.0)
    best = engine.ranker.rank(engine.analyzer.analyze("スマホの手続き"), 1)[0]
    assert best.id == PHONE
    assert bare_best < 0.1 < 0.5 < best.raw  # only a shared character pair, against the word itself


def test_the_groups_are_stored_with_the_index_and_follow_an_edit(tmp_path: Path) -> None:
    root = _write(tmp_path / "kb", TOPICS)
    first = open_kb(root, tmp_path / "cache", snapshot=False)
    try:
        stored = load_synonyms(first.engine.ix.storage)
        assert stored == build_synonyms(first.engine.searcher)
        assert any("スマートフォン" in words for words in stored.values())
    finally:
        first.close()
    # The entry about smartphones now speaks of a personal computer: the groups follow it.
    _write(root, [topic if topic != "スマートフォン" else "パソコン" for topic in TOPICS])
    again = open_kb(root, tmp_path / "cache", snapshot=False)
    try:
        assert again.engine.analyzer.analyze("PCの手続き").alternatives.get("pc") == frozenset({"パソコン"})
        assert "スマホ" not in again.engine.analyzer.analyze("スマホの手続き").alternatives
        assert (Path(again.engine.ix.storage.folder) / FILE).exists()
    finally:
        again.close()
