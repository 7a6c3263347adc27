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


def test_fixed_order_trees_add_in_query_order_whatever_the_segments():
    """FixedOr / FixedAnd rest on CompoundQuery._tree_matcher; Whoosh's own Or pairs matchers by
    posting-list size, which differs per segment (the reason they exist)."""
    from whoosh.query import And, Or, Term

    from kb.retrieval.whoosh_compat import FixedAnd, FixedOr, fixed_order

    one = _index(60)
    split = RamStorage().create_index(Schema(id=ID(stored=True), body=TEXT))
    for start in (0, 30):  # the same documents in two segments
        with split.writer(merge=False) as w:
            for i in range(start, start + 30):
                w.add_document(id=str(i), body="common " + ("rare " if i % 7 == 0 else "") + f"w{i}")
    query = fixed_order(Or([Term("body", "w7"), And([Term("body", "common"), Term("body", "rare")]),
                            Term("body", "w35")]))
    assert isinstance(query, FixedOr) and isinstance(query.subqueries[1], FixedAnd)
    with one.searcher() as a, split.searcher() as b:
        assert not b.reader().is_atomic()
        hits_a = {a.stored_fields(d)["id"]: s for s, d in a.search(query, limit=None).top_n}
        hits_b = {b.stored_fields(d)["id"]: s for s, d in b.search(query, limit=None).top_n}
    assert hits_a and hits_a == hits_b  # the same documents and the same scores, to the last bit


def test_live_frequencies_read_the_segment_matcher_before_deletions():
    """kb.index.compat.live_doc_frequency reads a segment's unfiltered matcher (private)."""
    from kb.index import compat

    ix = _index(50)
    with ix.writer() as w:
        w.delete_by_term("id", "7")
        w.delete_by_term("id", "8")
    reader = ix.reader()
    assert reader.has_deletions() and hasattr(reader, "_terms") and hasattr(reader, "_text_to_bytes")
    assert reader.doc_frequency("body", "rare") == 8  # Whoosh still counts the deleted one
    assert compat.live_doc_frequency(reader, "body", "rare") == 7
    assert compat.live_doc_frequency(reader, "body", "common") == 48
    assert compat.live_doc_frequency(reader, "body", "w8") == 0


def test_live_frequencies_over_many_blocks_count_each_deleted_holder_once():
    """Deleted documents in the first, a middle and the last block of a long posting list, and
    beside a rare term's span: counted as Whoosh's filtered postings count the live ones."""
    from kb.index import compat

    ix = _index(1000)
    gone = [0, 1, 7, 300, 301, 343, 640, 998, 999]
    with ix.writer() as w:
        for i in gone:
            w.delete_by_term("id", str(i))
    reader = ix.reader()
    assert reader.has_deletions()
    leaf = reader.postings("body", "common").child  # under Whoosh's filter of the deleted ones
    assert callable(leaf._next_block) and leaf.block_max_id() < 300  # several blocks: headers are skipped
    for term in ("common", "rare", "w300", "w5", "w999"):
        live = sum(1 for _ in reader.postings("body", term).all_ids())
        assert compat.live_doc_frequency(reader, "body", term) == live, term
    assert compat.live_doc_frequency(reader, "body", "common") == 1000 - len(gone)
    assert compat.live_doc_frequency(reader, "body", "rare") == 143 - 4  # 0, 7, 301 and 343 held it


def _varied_index():
    """Documents whose term frequencies vary (weights other than 1.0, some blocks all alike),
    three segments, deleted documents in the first: every path of the block reader."""
    ix = RamStorage().create_index(Schema(id=ID(stored=True), body=TEXT))
    for start in (0, 400, 700):
        with ix.writer(merge=False) as w:
            for i in range(start, start + (400 if start == 0 else 300)):
                words = ["common"] * (1 + i % 5) + ["twice", "twice"] * (i < 200) + ["rare"] * (i % 9 == 0)
                w.add_document(id=str(i), body=" ".join(words + [f"w{i}"] + ["pad"] * (i % 40)))
    with ix.writer(merge=False) as w:
        for i in (0, 5, 129, 130, 399, 401):
            w.delete_by_term("id", str(i))
    return ix


def _whoosh_walk(searcher, term):
    out = {}
    context = searcher.context()
    for sub, offset in searcher.leaf_searchers():
        matcher = term.matcher(sub, context)
        while matcher.is_active():
            out[matcher.id() + offset] = matcher.score()
            matcher.next()
    return out


def test_term_scores_read_by_blocks_equal_whooshs_matcher_bit_for_bit():
    """term_scores reads the blocks' heads itself and each segment's field lengths at once; a
    mistake in either (a weight, a length, a deleted document kept, a boost) changes a score."""
    from whoosh.query import Term

    from kb.index import compat
    from kb.retrieval.whoosh_compat import live_documents, term_scores

    ix = _varied_index()
    with ix.searcher() as s:
        assert len(s.leaf_searchers()) == 3 and s.reader().has_deletions()
        fast_blocks = 0
        real = compat.block_postings

        def counting(matcher):
            nonlocal fast_blocks
            fast_blocks += matcher._data is None
            return real(matcher)

        compat.block_postings = counting
        try:
            for text in ("common", "twice", "rare", "pad", "w3", "w450", "absent"):
                for boost in (1.0, 0.5, 2.0):
                    term = Term("body", text, boost=boost)
                    expected = _whoosh_walk(s, term)
                    found = term_scores(s, term)
                    assert found == expected and list(found) == list(expected), (text, boost)
                assert live_documents(s, "body", text) == frozenset(expected), text
        finally:
            compat.block_postings = real
        assert fast_blocks > 10  # the blocks were read by the shortcut, not only by Whoosh


def test_a_block_head_that_is_not_ints_and_floats_is_left_to_whoosh():
    """The block head reader takes a tuple of ints and one of floats (or None, or one float);
    anything else, such as a float then an int, must not be mistaken for one float."""
    import pickle

    from kb.index.compat import BLOCK_HEAD as _BLOCK_HEAD

    def head(ids, weights, values=(b"v", b"w")):
        return pickle.dumps((ids, weights, values), 2)

    found = _BLOCK_HEAD.match(head(tuple(range(1, 200)), tuple(float(i) for i in range(199))))
    assert found and pickle.loads(b"\x80\x02" + found.group(1) + b".") == tuple(range(1, 200))
    assert pickle.loads(b"\x80\x02" + found.group(2) + b".") == tuple(float(i) for i in range(199))
    assert pickle.loads(b"\x80\x02" + _BLOCK_HEAD.match(head((3, 70000), None)).group(2) + b".") is None
    assert pickle.loads(b"\x80\x02" + _BLOCK_HEAD.match(head((3, 4), 2.0)).group(2) + b".") == 2.0
    assert _BLOCK_HEAD.match(head((3, 4), (2.0, 3))) is None
    assert _BLOCK_HEAD.match(head((3, 4), (2.0, 3.0, 4))) is None
    assert _BLOCK_HEAD.match(head((3, 2**40), None)) is None  # a long id
    # Read without the restricted unpickler: a head naming anything (a global, a reduce) is
    # never taken, so Whoosh's restricted reader sees it and refuses it.
    assert _BLOCK_HEAD.match(head((3, 4), print)) is None
    assert _BLOCK_HEAD.match(head((3, print), None)) is None


def test_term_scores_read_by_blocks_are_whooshs_scores_bit_for_bit(monkeypatch):
    """kb.retrieval.whoosh_compat.TermScores scores a posting list a block at a time from the
    segment's length bytes (W3 column internals): the floats Whoosh's matcher gives, with a
    boost, with deleted documents in several segments, and for a word in one document; the
    block path is the one taken."""
    from whoosh.query import Term

    from kb.retrieval import whoosh_compat
    from kb.retrieval.whoosh_compat import TermScores, field_length_bytes, walk_term_scores

    ix = RamStorage().create_index(Schema(id=ID(stored=True), body=TEXT))
    for start in (0, 400):
        with ix.writer(merge=False) as w:
            for i in range(start, start + 400):
                words = ["common"] * (1 + i % 3) + (["rare"] if i % 7 == 0 else []) + [f"w{i}"] * (i % 5)
                w.add_document(id=str(i), body=" ".join(words + ["pad"] * (i % 11)))
    with ix.writer(merge=False) as w:
        for i in (0, 7, 150, 401, 799):
            w.delete_by_term("id", str(i))
    terms = [Term("body", "common"), Term("body", "rare", boost=0.5), Term("body", "common", boost=2.0),
             Term("body", "w3"), Term("body", "nowhere")]
    with ix.searcher() as s:
        assert not s.reader().is_atomic() and s.reader().has_deletions()
        leaf = s.leaf_searchers()[0][0].reader()
        assert field_length_bytes(leaf, "body") is not None, "W3's length column changed: see whoosh_compat"
        expected = {t: walk_term_scores(s, t) for t in terms}
        walked: list[int] = []
        real_walk = whoosh_compat._walk
        monkeypatch.setattr(whoosh_compat, "_walk",
                            lambda m, o, out: (walked.append(m.is_active()), real_walk(m, o, out)))
        scores = TermScores(s)
        for t in terms:
            got = scores(t)
            assert got == expected[t] and [v.hex() for v in got.values()] == [expected[t][d].hex() for d in got]
        assert len(expected[terms[0]]) == 795 and not set(expected[terms[0]]) & {0, 7, 150, 401, 799}
        assert walked and not any(walked)  # only empty matchers ("nowhere") walked: the rest by blocks
        hits = {d: sc for sc, d in s.search(terms[1], limit=None).top_n}
        assert scores(terms[1]) == hits
