"""The synthetic corpus generator: deterministic, valid entry files, a sane query mix."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bench.synth import generate_corpus, generate_queries, main, toml_str

N = 50
JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("+++\n")
    head, sep, body = text[4:].partition("\n+++\n")
    assert sep, f"{path.name}: no closing +++"
    return tomllib.loads(head), body


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate_corpus(out, N, seed=7)
    return out


def test_writes_n_entries_and_the_shared_files(corpus: Path) -> None:
    names = sorted(p.name for p in (corpus / "entries").iterdir())
    assert names == [f"syn-{i:06d}.md" for i in range(N)]
    assert (corpus / "tags.toml").is_file() and (corpus / "glossary.toml").is_file()


def test_same_seed_gives_identical_bytes(corpus: Path, tmp_path: Path) -> None:
    generate_corpus(tmp_path, N, seed=7)
    assert _files(tmp_path) == _files(corpus)


def test_different_seed_gives_different_entries(corpus: Path, tmp_path: Path) -> None:
    generate_corpus(tmp_path, N, seed=8)
    other = _files(tmp_path)
    assert other.keys() == _files(corpus).keys()
    changed = [k for k, v in _files(corpus).items() if other[k] != v]
    assert len(changed) > N // 2


def test_every_entry_has_the_required_fields(corpus: Path) -> None:
    tags = tomllib.loads((corpus / "tags.toml").read_text(encoding="utf-8"))
    ids = {p.stem for p in (corpus / "entries").glob("*.md")}
    for path in sorted((corpus / "entries").glob("*.md")):
        meta, body = _front_matter(path)
        assert meta["id"] == path.stem
        assert 1 <= len(meta["tags"]) <= 3 and set(meta["tags"]) <= tags.keys()
        assert set(meta["related"]) <= ids - {path.stem}
        assert meta["applies_to"] and meta["checks"] == []
        for lang in ("ja", "en"):
            assert meta[lang]["question"].strip()
            assert 0 <= len(meta[lang]["alternates"]) <= 4
        assert len(meta["ja"]["alternates"]) == len(meta["en"]["alternates"])
        assert 40 <= len(meta["ja"]["question"]) <= 200
        assert JA.search(meta["ja"]["question"]) and not JA.search(meta["en"]["question"])
        ja_at, en_at = body.find("<!-- ja -->"), body.find("<!-- en -->")
        assert 0 <= ja_at < en_at
        assert body[ja_at + 11 : en_at].strip() and body[en_at + 11 :].strip()


def test_quiz_items_are_valid_choices(corpus: Path) -> None:
    quizzes = [_front_matter(p)[0].get("quiz", []) for p in (corpus / "entries").glob("*.md")]
    assert all(len(q) <= 1 for q in quizzes)
    items = [item for q in quizzes for item in q]
    assert items, "a 50-entry corpus should carry some quiz items"
    for item in items:
        assert item["kind"] == "choice" and item["id"]
        assert 1 <= item["answer"] <= 3
        for lang in ("ja", "en"):
            assert len(item[lang]["choices"]) == 3 and len(set(item[lang]["choices"])) == 3
            assert item[lang]["prompt"] and item[lang]["explanation"]


def test_related_ids_point_somewhere(corpus: Path) -> None:
    related = [r for p in (corpus / "entries").glob("*.md") for r in _front_matter(p)[0]["related"]]
    assert related, "some entries should link to others"


def test_tags_and_glossary_parse_with_both_languages(corpus: Path) -> None:
    tags = tomllib.loads((corpus / "tags.toml").read_text(encoding="utf-8"))
    assert 25 <= len(tags) <= 35
    assert all(t["ja"] and t["en"] for t in tags.values())
    glossary = tomllib.loads((corpus / "glossary.toml").read_text(encoding="utf-8"))
    assert len(glossary) >= 200
    for term in glossary.values():
        assert term["ja"] and term["en"]
        assert term["definition"]["ja"] and term["definition"]["en"]
    # The vocabulary deliberately holds a backslash and double quotes.
    names = {n for term in glossary.values() for n in term["en"]}
    assert "C:\\ClusterStorage folder" in names and '"Cluster Group" resource group' in names


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        'say "hi"',
        "C:\\ClusterStorage\\Volume1",
        "line\nbreak",
        "tab\there",
        "\x00\x1f\x7f",
        "日本語 ＣＳＶ",
    ],
)
def test_toml_str_round_trips(text: str) -> None:
    assert tomllib.loads(f"v = {toml_str(text)}")["v"] == text


def test_a_smaller_run_removes_stale_entries(tmp_path: Path) -> None:
    generate_corpus(tmp_path, 12, seed=1)
    generate_corpus(tmp_path, 5, seed=1)
    assert len(list((tmp_path / "entries").glob("*.md"))) == 5


def test_negative_n_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_corpus(tmp_path, -1)


def test_queries_are_deterministic_and_mixed() -> None:
    queries = generate_queries(200, seed=3)
    assert queries == generate_queries(200, seed=3)
    assert queries != generate_queries(200, seed=4)
    assert len(queries) == 200 and all(q.strip() for q in queries)
    ja = sum(bool(JA.search(q)) for q in queries)
    assert 0.4 * len(queries) <= ja <= 0.7 * len(queries)
    assert any(re.search("[Ａ-Ｚａ-ｚ０-９]", q) for q in queries), "no full-width variant"
    assert len(set(queries)) > 0.9 * len(queries)


def test_queries_use_the_corpus_vocabulary(corpus: Path) -> None:
    glossary = tomllib.loads((corpus / "glossary.toml").read_text(encoding="utf-8"))
    names = {n.lower() for term in glossary.values() for lang in ("ja", "en") for n in term[lang]}
    queries = generate_queries(100)
    hits = sum(any(n in q.lower() for n in names) for q in queries)
    assert hits >= 80


def test_cli_writes_the_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "3", "--seed", "2"]) == 0
    assert len(list((tmp_path / "entries").glob("*.md"))) == 3
    assert "wrote 3 entries" in capsys.readouterr().out


def test_the_project_loader_accepts_the_corpus(corpus: Path) -> None:
    from kb.content.load import load_kb

    kb = load_kb(corpus, known_checks=())
    assert [str(p) for p in kb.problems] == []
    assert len(kb.entries) == N and len(kb.tags) == 30 and len(kb.glossary) >= 200
