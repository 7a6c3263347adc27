"""Ask is lossless and exact: its candidates are scored term at a time, every match and
every BM25 score bit for bit what Whoosh's unlimited search gives, and its bounded walk
returns what scoring every match gives, in a full build and in an updated index alike."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.query import Term

import kb.retrieval.confidence as confidence
import kb.retrieval.whoosh_compat as whoosh_compat
from bench.synth import generate_corpus, generate_queries
from kb.content.load import load_kb
from kb.index.live import pristine
from kb.retrieval.calibration import calibrate
from kb.retrieval.confidence import Exclusion, Ranker, Scored, _masses, _order
from kb.retrieval.engine import Engine
from kb.retrieval.healing import open_engine
from kb.retrieval.whoosh_compat import FixedOr, term_scores, union_scores
from tests.conftest import synth_engine_for


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return synth_engine_for(tmp_path_factory, 300, seed=4)


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """An index updated entry by entry: several segments, deleted documents in them."""
    data = tmp_path_factory.mktemp("synth-300-edited")
    generate_corpus(data, 300, seed=4)
    cache = tmp_path_factory.mktemp("cache-edited")
    open_engine(load_kb(data), cache)[0].close()
    files = sorted((data / "entries").glob("*.md"))
    for path in files[::25]:  # edited: the old document deleted, a new one in a new segment
        path.write_text(path.read_text(encoding="utf-8").replace("<!-- en -->\n", "<!-- en -->\nEdited.\n", 1),
                        encoding="utf-8")
    for n, source in enumerate(files[3:40:9]):
        shutil.copy(source, data / "entries" / f"added-{n}.md")
        added = data / "entries" / f"added-{n}.md"
        added.write_text(added.read_text(encoding="utf-8").replace(f'id = "{source.stem}"', f'id = "added-{n}"'),
                         encoding="utf-8")
    files[7].unlink()
    engine, info = open_engine(load_kb(data), cache)
    assert info is not None and not info.built and info.updated > 0
    assert not pristine(engine.searcher.reader())
    return engine


def _questions() -> list[tuple[str, bool]]:
    """Generated questions, whole and as typed (the last word half written)."""
    out = []
    for text in generate_queries(80, seed=7):
        out.append((text, False))
        out.extend((text[:cut], True) for cut in range(4, len(text), 7))
    return out


def _matches(ranker: Ranker, query: Any) -> list[tuple[float, int]]:
    """(BM25 score, document number) of every match the ranker scores, best first, as Whoosh's
    ``top_n`` orders them."""
    return sorted(((s, d) for d, s in ranker._match_scores(query).items()), key=lambda x: (-x[0], x[1]))


def _held_mass(ranker: Ranker, question: Any, docs: set[int]) -> dict[int, float]:
    """Per matched document, the weight of the question's features it holds, as the walk's
    bound counts it (``_masses`` over the ranker's ``_holders``)."""
    held = ranker._holders(question)
    return _masses(held, {d for _w, places in held for p in places for d in p if d in docs})


def _mismatches(engine: Engine) -> list[str]:
    """The questions whose matches or scores differ from Whoosh's unlimited search."""
    ranker = engine.ranker
    ranker._scores.clear()
    wrong = []
    for text, partial in _questions():
        query = engine.analyzer.analyze(text, partial=partial).query
        if query is None:
            continue
        expected = list(engine.searcher.search(query, limit=None).top_n)
        if _matches(ranker, query) != expected:
            wrong.append(text)
    return wrong


@pytest.mark.parametrize("which", ["full", "updated"])
def test_every_match_scores_as_whoosh_scores_it(which: str, request: pytest.FixtureRequest) -> None:
    engine = request.getfixturevalue(which)
    queries = [engine.analyzer.analyze(t, partial=p).query for t, p in _questions()]
    taken = [q for q in queries if q is not None and union_scores(engine.searcher, q, lambda t: {}) is not None]
    # The path is the one ask takes, over trees of every depth.
    assert len(taken) == len([q for q in queries if q is not None]) > 150
    assert max(len(q.subqueries) for q in taken if isinstance(q, FixedOr)) >= 6
    assert _mismatches(engine) == []


@pytest.mark.parametrize("which", ["full", "updated"])
def test_ask_ranks_exactly_as_with_whoosh_scoring_every_match(which: str, request: pytest.FixtureRequest,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    engine = request.getfixturevalue(which)
    questions = [engine.analyzer.analyze(t, partial=p) for t, p in _questions()]
    fast = [engine.ranker.rank(q, 3) for q in questions]
    monkeypatch.setattr(confidence, "union_scores", lambda *_args: None)  # Whoosh's own search
    slow = confidence.Ranker(engine.searcher, engine.scope, engine.analyzer.weight)
    assert fast == [slow.rank(q, 3) for q in questions]
    assert sum(1 for r in fast if r) > 100


def test_adding_in_another_order_is_caught(full: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above sees the last bit: scores summed left to right instead of up
    Whoosh's tree differ for some question, and so would a lost term."""

    def left_to_right(leaves: list[dict[int, float]]) -> dict[int, float]:
        out: dict[int, float] = {}
        for leaf in leaves:
            for docnum, score in leaf.items():
                out[docnum] = out[docnum] + score if docnum in out else score
        return out

    monkeypatch.setattr(whoosh_compat, "_tree_sum", left_to_right)
    assert _mismatches(full)
    monkeypatch.setattr(whoosh_compat, "_tree_sum", lambda leaves: left_to_right(leaves[:-1] or leaves))
    assert _mismatches(full)


def test_other_queries_are_left_to_whoosh(full: Engine) -> None:
    from whoosh.query import And, Or

    terms = [Term("text_en", "storage"), Term("text_en", "node")]
    assert union_scores(full.searcher, Or(terms), lambda t: {}) is None  # Whoosh's own Or: its own tree
    assert union_scores(full.searcher, And(terms), lambda t: {}) is None
    assert union_scores(full.searcher, FixedOr(terms, scale=0.9), lambda t: {}) is None
    assert union_scores(full.searcher, Term("text_en", "storage"), lambda t: {1: 2.0}) == {1: 2.0}


def _vocabulary(engine: Engine) -> list[tuple[str, str]]:
    reader = engine.searcher.reader()
    out = []
    for field in ("text_en", "text_ja", "concepts", "bigram"):
        if field in engine.searcher.schema:
            out.extend((field, t.decode() if isinstance(t, bytes) else t) for t in reader.lexicon(field))
    return out


@pytest.fixture(scope="module")
def vocabulary(full: Engine) -> list[tuple[str, str]]:
    return _vocabulary(full)


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from([1.0, 0.5, 2.0])), min_size=1,
                      max_size=14), missing=st.booleans())
def test_any_union_of_terms_scores_as_whoosh(full: Engine, vocabulary: list[tuple[str, str]],
                                             picks: list[tuple[int, float]], missing: bool) -> None:
    terms: list[Any] = [Term(*vocabulary[i % len(vocabulary)], boost=b) for i, b in picks]
    if missing:
        terms.insert(len(terms) // 2, Term("text_en", "zzzznowhere"))  # a matcher that matches nothing
    query = FixedOr(terms)
    scores = union_scores(full.searcher, query, lambda t: term_scores(full.searcher, t))
    assert scores is not None
    expected = full.searcher.search(query, limit=None).top_n
    assert sorted(((s, d) for d, s in scores.items()), key=lambda x: (-x[0], x[1])) == list(expected)


def test_hypothesis_strategy_has_a_vocabulary(vocabulary: list[tuple[str, str]]) -> None:
    assert len(vocabulary) > 500 and {f for f, _t in vocabulary} >= {"text_en", "text_ja", "bigram"}


def _exhaustive(ranker: Ranker, question: Any, keep: int, exclusion: Exclusion | None = None,
                df: Any = None) -> list[Scored]:
    """Every match scored, the best ``keep`` in the ranker's order: a walk with no bound at all."""
    if question.query is None or question.total <= 0:
        return []
    top_n = _matches(ranker, question.query)  # Whoosh's own scores (the tests above)
    if not top_n:
        return []
    best = max(score for score, _d in top_n) or 1.0
    scored = []
    for score, docnum in top_n:
        fields = ranker._fields(docnum)
        if exclusion is not None and fields["id"] == exclusion.entry:
            continue
        scored.append(Scored(fields["id"], ranker.raw(question, fields, float(score) / best, exclusion, df),
                             float(score)))
    return sorted(scored, key=_order)[:keep]


def _walk_differs(engine: Engine, keeps: tuple[int, ...] = (1, 3)) -> list[str]:
    wrong = []
    for text, partial in _questions():
        question = engine.analyzer.analyze(text, partial=partial)
        for keep in keeps:
            if engine.ranker.rank(question, keep) != _exhaustive(engine.ranker, question, keep):
                wrong.append(text)
    return wrong


@pytest.mark.parametrize("which", ["full", "updated"])
def test_the_bounded_walk_returns_what_scoring_every_match_returns(which: str,
                                                                   request: pytest.FixtureRequest) -> None:
    engine = request.getfixturevalue(which)
    assert _walk_differs(engine, keeps=(1, 2, 3, 5)) == []


@pytest.mark.parametrize("which", ["full", "updated"])
def test_the_bound_counts_exactly_the_features_each_match_covers(which: str,
                                                                 request: pytest.FixtureRequest) -> None:
    """What makes the walk short: a match's bound counts the question's features it holds,
    which is what ``raw`` finds it covering, not every too-common feature for every match."""
    engine = request.getfixturevalue(which)
    ranker = engine.ranker
    checked = 0
    for text, partial in _questions():
        question = engine.analyzer.analyze(text, partial=partial)
        if question.query is None:
            continue
        docs = {d for _s, d in _matches(ranker, question.query)}
        mass = _held_mass(ranker, question, docs)
        for docnum in docs:
            vocab = ranker._fields(docnum)["vocab"]
            covered = sum(w for k, w in question.features.items() if confidence._covers(question, k, vocab))
            assert mass.get(docnum, 0.0) == pytest.approx(covered, rel=1e-12, abs=1e-12), text
            checked += 1
    assert checked > 5000


def test_calibration_probes_walk_losslessly(full: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave-one-out probes (an entry excluded, frequencies without it) too."""
    real_rank = Ranker.rank
    probes = []

    def checked(self: Ranker, question: Any, keep: int, exclusion: Any = None, df: Any = None) -> Any:
        got = real_rank(self, question, keep, exclusion, df)
        probes.append(got == _exhaustive(self, question, keep, exclusion, df))
        return got

    monkeypatch.setattr(Ranker, "rank", checked)
    calibrate(full.analyzer, full.ranker)
    assert len(probes) >= 20 and all(probes)


def test_a_bound_broken_on_purpose_is_caught(full: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above fails when the bound is a little too low, or when the walk
    forgets one feature's holders: the walk then stops before the right entry."""
    real_bound = confidence._bound
    monkeypatch.setattr(confidence, "_bound", lambda mass, total: 0.8 * real_bound(mass, total))
    assert _walk_differs(full)
    monkeypatch.setattr(confidence, "_bound", real_bound)
    real_holders = Ranker._holders

    def forgetful(self: Ranker, question: Any) -> list[tuple[float, list[frozenset[int]]]]:
        held = real_holders(self, question)
        return [(w, []) for w, _places in held[:1]] + held[1:]  # the first feature's holders lost

    monkeypatch.setattr(Ranker, "_holders", forgetful)
    assert _walk_differs(full)


def test_a_walk_that_stops_one_feature_early_is_caught(full: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk goes feature by feature, heaviest first, and stops when what the matches not
    yet seen can hold (``_tails``) cannot win: a tail that leaves out the feature about to be
    walked, or one a little too low, stops before the right entry for some question."""
    real_tails = confidence._tails
    monkeypatch.setattr(confidence, "_tails", lambda weights: real_tails(weights)[1:] + [0.0])
    assert _walk_differs(full)
    monkeypatch.setattr(confidence, "_tails", lambda weights: [0.8 * t for t in real_tails(weights)])
    assert _walk_differs(full)
    monkeypatch.setattr(confidence, "_tails", real_tails)
    assert _walk_differs(full) == []

