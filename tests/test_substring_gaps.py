"""Questions a plain substring search (FTS5 trigram) answered and word analysis did not."""

from __future__ import annotations

import pytest

from kb.retrieval.question import _joined
from kb.text.analysis import normalize


def test_two_morphemes_are_the_word_the_content_writes_joined() -> None:
    # Alone, "一時アカウント" is cut "一" "時" "アカウント" ("一" read as the number 1, "時" a
    # stop word); inside a sentence the analyser makes "一時" of it, as the content has it.
    known = {"一時": 2, "アカウント": 11, "1": 3}
    keys = _joined(normalize("一時アカウント"), ["1", "アカウント"], lambda k: known.get(k, 0))
    assert "一時" in keys and "アカウント" in keys
    assert "1" not in keys


def test_known_words_are_not_joined_into_another() -> None:
    # Both parts are words the content uses: the question counts them, not a third word.
    known = {"サイン": 6, "イン": 6, "サインイン": 1}
    keys = _joined(normalize("サインイン"), ["サイン", "イン"], lambda k: known.get(k, 0))
    assert keys == ["サイン", "イン"]
    assert _joined("undo a commit", ["undo", "commit"], lambda k: 1) == ["undo", "commit"]


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    from bench.quality import KBS
    from kb import open_kb

    def open_one(name: str):
        return open_kb(KBS / name, tmp_path_factory.mktemp(name), snapshot=False)

    opened = {}
    yield lambda name: opened.setdefault(name, open_one(name))
    for library in opened.values():
        library.close()


def test_two_morphemes_the_content_writes_as_one_word_are_one_feature(bare) -> None:
    features = bare("helpdesk-bare").engine.analyzer.analyze("一時アカウント").features
    assert "一時" in features


def test_a_dictionary_word_the_content_lacks_is_not_corrected_into_another(bare) -> None:
    # "clear" is one edit from "clean", which one entry uses; it was read as "clean" and
    # pointed at that entry. A typo ("reposotory") is still put right.
    analyzer = bare("git-bare").engine.analyzer
    features = analyzer.analyze("clear cached git credentials").features
    assert "clear" in features and "clean" not in features
    assert "repositori" in analyzer.analyze("reposotory is huge").features


def test_the_alternates_proxy_asks_every_alternate_of_the_bare_copy(tmp_path) -> None:
    from bench.quality import KBS, measure_alternates
    from kb.content.load import load_kb

    rows = measure_alternates("git", tmp_path)
    alternates = sum(len(loc.alternates) for e in load_kb(KBS / "git").entries.values() for loc in e.text.values())
    assert [(r["kb"], r["lang"], r["ours"]["on"], r["fts5"]["on"]) for r in rows] == [
        ("git-bare", "en", alternates, alternates)]
    assert alternates > 100
    # Not figures to hold: a miss names the entry whose alternate it was.
    assert all(len(m["expect"]) == 1 for m in rows[0]["misses"])
