"""The term-at-a-time AND path gives exactly what Whoosh gives, only faster."""

from __future__ import annotations

import pytest
from whoosh.query import And, Or, Term

from bench.synth import generate_queries
from kb.retrieval.engine import Engine
from kb.retrieval.postings import ImpactCache, plain_terms
from tests.conftest import synth_engine_for


@pytest.fixture(scope="module")
def synth_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return synth_engine_for(tmp_path_factory, 400, seed=3)


def _queries(engine: Engine) -> list[tuple[str, list[Term]]]:
    """Generated keyword queries that are one term or an AND of terms, with those terms."""
    found = []
    for text in generate_queries(120, seed=5):
        terms = plain_terms(engine._keywords.build(text))
        if terms:
            found.append((text, terms))
    return found


def test_the_generated_queries_exercise_the_path(synth_engine: Engine) -> None:
    queries = _queries(synth_engine)
    assert len(queries) >= 40 and any(len(terms) >= 3 for _text, terms in queries)


@pytest.mark.parametrize("limit", [1, 5, 20])
def test_same_hits_and_scores_as_whoosh(synth_engine: Engine, limit: int) -> None:
    cache = ImpactCache(synth_engine.searcher)
    assert cache.usable
    compared = 0
    for text, terms in _queries(synth_engine):
        fast = cache.search_and(terms, limit, min_postings=0)
        assert fast is not None
        query = terms[0] if len(terms) == 1 else And(terms)
        whoosh = [(hit.docnum, hit.score) for hit in synth_engine.searcher.search(query, limit=limit)]
        assert [d for d, _s in fast] == [d for d, _s in whoosh], text
        assert all(abs(a - b) < 1e-9 for (_d, a), (_e, b) in zip(fast, whoosh, strict=True)), text
        compared += bool(whoosh)
    assert compared >= 20


def test_a_tag_filter_keeps_only_allowed_documents(synth_engine: Engine) -> None:
    searcher = synth_engine.searcher
    cache = ImpactCache(searcher)
    tag = next(iter(synth_engine.kb.tags))
    for text, terms in _queries(synth_engine)[:30]:
        query = terms[0] if len(terms) == 1 else And(terms)
        whoosh = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=10, filter=Term("tags", tag))]
        fast = cache.search_and(terms, 10, Term("tags", tag), min_postings=0)
        assert fast is not None and [d for d, _s in fast] == [d for d, _s in whoosh], text


def test_boosted_terms_and_missing_words(synth_engine: Engine) -> None:
    cache = ImpactCache(synth_engine.searcher)
    _text, terms = max(_queries(synth_engine), key=lambda q: len(q[1]))
    boosted = [Term(t.fieldname, t.text, boost=2.5) for t in terms]
    whoosh = [(h.docnum, h.score) for h in synth_engine.searcher.search(And(boosted), limit=10)]
    fast = cache.search_and(boosted, 10, min_postings=0)
    assert fast is not None and [d for d, _s in fast] == [d for d, _s in whoosh]
    assert all(abs(a - b) < 1e-9 for (_d, a), (_e, b) in zip(fast, whoosh, strict=True))
    assert cache.search_and([*terms, Term(terms[0].fieldname, "nowhere-in-the-index")], 10, min_postings=0) == []


def test_only_plain_and_queries_take_the_path() -> None:
    a, b = Term("text_en", "cluster"), Term("text_en", "node")
    assert plain_terms(a) == [a] and plain_terms(And([a, b])) == [a, b]
    assert plain_terms(Or([a, b])) is None and plain_terms(And([a, Or([a, b])])) is None
    assert plain_terms(None) is None
    # A word the analyser splits ("応答しなくなる") is an AND inside the AND: still plain.
    c = Term("text_ja", "応答")
    assert plain_terms(And([a, And([b, c])])) == [a, b, c]


def test_short_lists_are_left_to_whoosh(synth_engine: Engine) -> None:
    cache = ImpactCache(synth_engine.searcher)
    _text, terms = _queries(synth_engine)[0]
    assert cache.search_and(terms, 10) is None  # 400 entries: far below MIN_POSTINGS


def _postings(engine: Engine, term: Term) -> int:
    """How many postings a term's list has: one per document holding it."""
    return int(engine.searcher.reader().doc_frequency(term.fieldname, term.text))


BUDGET = 400  # postings; each generated query's lists fit in it one by one, not all together


def test_the_cache_stays_within_its_budget(synth_engine: Engine) -> None:
    queries = _queries(synth_engine)
    sizes = {(t.fieldname, t.text): _postings(synth_engine, t) for _text, terms in queries for t in terms}
    assert max(sizes.values()) <= BUDGET < sum(sizes.values()) / 10  # the budget is put to the test
    cache = ImpactCache(synth_engine.searcher, budget=BUDGET)
    kept_earlier = 0
    for _text, terms in queries:
        found = cache.search_and(terms, 5, min_postings=0)
        assert cache.held <= BUDGET
        own = [sizes[(t.fieldname, t.text)] for t in terms]
        if found:  # every list was decoded; the largest, decoded last, is kept
            assert cache.held >= max(own)
        kept_earlier += cache.held > sum(own)
    # Still a cache that fills up to its budget: often a query ends with lists of earlier
    # queries kept beside its own (46 of 120 when written; a cache evicting all but the
    # newest list never does).
    assert kept_earlier >= len(queries) / 4, (kept_earlier, len(queries))


def test_a_list_bigger_than_the_budget_is_the_only_one_kept(synth_engine: Engine) -> None:
    queries = _queries(synth_engine)
    single = sorted({t for _text, terms in queries for t in terms if _postings(synth_engine, t) > 50},
                    key=lambda t: -_postings(synth_engine, t))[:3]
    assert len(single) == 3
    cache = ImpactCache(synth_engine.searcher, budget=50)
    for term in single:
        cache.search_and([term], 5, min_postings=0)
        assert cache.held == _postings(synth_engine, term)  # the one in use, nothing else


def test_engine_search_gives_the_same_hits_either_way(synth_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.retrieval.postings

    texts = [text for text, _terms in _queries(synth_engine)][:25]
    slow = [[(h.id, round(h.score, 9)) for h in synth_engine.search(t)] for t in texts]
    taken = []
    search_and = kb.retrieval.postings.ImpactCache.search_and

    def spy(self: ImpactCache, *args: object, **kwargs: object) -> object:
        result = search_and(self, *args, **kwargs)  # type: ignore[arg-type]
        taken.append(result is not None)
        return result

    monkeypatch.setattr(kb.retrieval.postings, "MIN_POSTINGS", 0)
    monkeypatch.setattr(kb.retrieval.postings, "MIN_SMALL_POSTINGS", 0)
    monkeypatch.setattr(kb.retrieval.postings.ImpactCache, "search_and", spy)
    fast = [[(h.id, round(h.score, 9)) for h in synth_engine.search(t)] for t in texts]
    assert fast == slow
    assert taken and all(taken)  # every one of them went the fast way


@pytest.mark.parametrize("limit", [1, 5, 20])
def test_with_the_query_tree_the_scores_are_whooshs_to_the_last_bit(synth_engine: Engine, limit: int) -> None:
    """Given the query as Whoosh runs it (fixed_order), each score is added up the same tree."""
    from kb.retrieval.whoosh_compat import fixed_order

    cache = ImpactCache(synth_engine.searcher)
    compared = nested = 0
    for text, terms in _queries(synth_engine):
        tree = fixed_order(synth_engine._keywords.build(text))
        fast = cache.search_and(terms, limit, min_postings=0, tree=tree)
        whoosh = [(hit.docnum, hit.score) for hit in synth_engine.searcher.search(tree, limit=limit)]
        assert fast == whoosh, text
        compared += bool(whoosh)
        nested += any(isinstance(q, And) for q in getattr(tree, "subqueries", ()))
    assert compared >= 20 and nested >= 1


def test_small_indexes_take_the_path_sooner() -> None:
    class Reader:
        def __init__(self, n: int) -> None:
            self.n = n

        def doc_count_all(self) -> int:
            return self.n

    cache = ImpactCache.__new__(ImpactCache)
    sizes = {}
    for n in (400, 9_000, 10_000, 100_000):
        cache.reader = Reader(n)
        sizes[n] = cache.min_postings()
    assert sizes[400] == sizes[9_000] == 3_000 < sizes[10_000] < sizes[100_000] == 20_000
