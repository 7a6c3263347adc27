"""Whoosh internals we rely on are still there: fails loudly when an upgrade changes them."""

from __future__ import annotations

from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from kb.retrieval.whoosh_compat import read_postings, reads_blocks, score_function


def _index(docs: int):
    ix = RamStorage().create_index(Schema(id=ID(stored=True), body=TEXT))
    with ix.writer() as w:
        for i in range(docs):
            w.add_document(id=str(i), body="common " + ("rare " if i % 7 == 0 else "") + f"w{i}")
    return ix


def _public_walk(matcher):
    out = []
    while matcher.is_active():
        out.append((matcher.id(), matcher.weight()))
        matcher.next()
    return out


def test_a_long_posting_list_is_read_by_blocks_and_matches_the_public_walk():
    ix = _index(300)
    with ix.searcher() as s:
        matcher = s.reader().postings("body", "common")
        assert reads_blocks(matcher), "Whoosh's W3 block matcher changed: see kb/retrieval/whoosh_compat.py"
        ids, weights = read_postings(matcher)
        expected = _public_walk(s.reader().postings("body", "common"))
    assert list(ids) == [d for d, _w in expected] and len(ids) == 300
    assert weights == [w for _d, w in expected]


def test_bm25f_still_scores_one_posting_from_weight_and_length():
    ix = _index(50)
    with ix.searcher() as s:
        scorer = s.weighting.scorer(s, "body", "rare")
        score = score_function(scorer)
        assert score is not None, "BM25F's per-posting _score is gone: see kb/retrieval/whoosh_compat.py"
        matcher = s.reader().postings("body", "rare")
        docnum = matcher.id()
        length = s.reader().doc_field_length(docnum, "body")
        public = s.reader().postings("body", "rare", scorer=scorer).score()
        assert abs(score(matcher.weight(), length) - public) < 1e-9
