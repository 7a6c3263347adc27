"""Keyword search and `ask` on the real content: ranking, syntax, fallbacks, snippets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.retrieval.engine import THRESHOLD as CONFIDENCE_THRESHOLD
from kb.retrieval.engine import make_snippet
from kb.retrieval.evaluate import read_cases

DATA = Path(__file__).resolve().parent / "data"
LABELLED_SETS = ("eval.jsonl", "eval_dev.jsonl", "eval_blind.jsonl")


@pytest.mark.parametrize(
    "question, expected",
    [
        ("ライブ マイグレーションとは何ですか", "what-is-live-migration"),
        ("ライブマイグレーションとは何ですか", "what-is-live-migration"),
        ("ﾗｲﾌﾞﾏｲｸﾞﾚｰｼｮﾝの要件", "requirements"),
        ("ＣＳＶは必要ですか", "csv-required"),
        ("How many network adapters do I need?", "network-adapters"),
        ("Can I back up a VM while it is being migrated?", "backup-during-migration"),
        ("4 ノードのクラスターでは同時にいくつのライブ マイグレーションを実行できますか", "concurrent-migrations"),
    ],
)
def test_ask_ranks_the_answering_entry_first(engine, question, expected):
    result = engine.ask(question)
    assert result.answers, question
    assert result.answers[0].id == expected
    assert 0.0 <= result.answers[0].confidence <= 1.0


@pytest.mark.parametrize("question", ["Macintoshコンピュータでは、どのくらいのコストか",
                                      "Dllhost.exeのは何ですか", "PSPは、PDFを表示することができます",
                                      "", "   ", "？！。", "what is the weather in Tokyo"])
def test_off_topic_questions_get_no_answer(engine, question):
    result = engine.ask(question)
    assert result.answers == []


def test_spacing_variants_give_the_same_ranking(engine):
    a = engine.ask("ライブ マイグレーション ネットワーク アダプター")
    b = engine.ask("ライブマイグレーション ネットワークアダプター")
    assert [x.id for x in a.candidates] == [x.id for x in b.candidates]


def test_ask_json_shape(engine, real_kb):
    question = "Is CSV required for live migration?"
    result = engine.ask(question, lang="en")
    data = result.to_json("en")
    assert set(data) == {"query", "answers", "checks"}
    assert data["query"] == question and data["checks"] == []  # csv-required links no check
    assert [a["id"] for a in data["answers"]] == [a.id for a in result.answers]
    first = data["answers"][0]
    assert set(first) == {"id", "question", "score", "confidence", "lang"}
    # The entry's own question in the language asked, not an echo of the query.
    assert first["id"] == "csv-required"
    assert first["question"] == real_kb.entries["csv-required"].question("en")
    for answer, shown in zip(result.answers, data["answers"], strict=True):
        assert isinstance(shown["score"], float) and shown["score"] == round(answer.score, 4)
        assert shown["confidence"] == round(answer.confidence, 4)
        assert CONFIDENCE_THRESHOLD <= answer.confidence <= 1.0


@pytest.fixture(scope="module")
def labelled(engine):
    """Every labelled question of tests/data with what `ask` made of it."""
    return [(case, engine.ask(case.question, top=3, run_checks=False))
            for name in LABELLED_SETS for case in read_cases(DATA / name)]


def test_answers_are_the_candidates_that_clear_the_threshold(labelled):
    # Each candidate is judged on its own confidence, not on the best one's: an answered
    # question does not bring its weaker candidates along.
    left_out = 0
    for case, result in labelled:
        assert all(a.confidence >= CONFIDENCE_THRESHOLD for a in result.answers), case.question
        assert result.answers == [a for a in result.candidates if a.confidence >= CONFIDENCE_THRESHOLD]
        left_out += bool(result.answers) and len(result.answers) < len(result.candidates)
    assert left_out >= 20  # many answered questions have a weaker candidate that is not shown


def test_the_threshold_separates_on_topic_from_off_topic_questions(labelled):
    # Judged from the labels, not from the constant: an on-topic question whose best candidate
    # is the right entry should be answered, an off-topic one should not. Count what the
    # engine gets wrong that way, and what the best possible cut-off on the same confidences
    # would get wrong; the threshold must be within one question of the best. (When this
    # was written: the best cut-offs, 0.447 to 0.453, misjudge 2 of 374 questions, 0.45
    # too; 0.44 misjudges 3, 0.42 and 0.46 4, 0.40 5, 0.55 13.)
    right = [r.candidates[0].confidence for c, r in labelled
             if c.expect and r.candidates and r.candidates[0].id in c.expect]
    off = [r.candidates[0].confidence if r.candidates else 0.0 for c, r in labelled if not c.expect]
    assert len(right) >= 250 and len(off) >= 70

    def misjudged(cut: float) -> int:
        return sum(x < cut for x in right) + sum(x >= cut for x in off)

    best = min(misjudged(cut) for cut in [*right, *off, 1.01])
    turned_away = [c.question for c, r in labelled
                   if c.expect and r.candidates and r.candidates[0].id in c.expect and not r.answers]
    answered_off = [c.question for c, r in labelled if not c.expect and r.answers]
    assert len(turned_away) + len(answered_off) <= best + 1, (best, turned_away, answered_off)


def test_search_and_or_not(engine):
    both = {h.id for h in engine.search("CSV AND バックアップ")}
    either = {h.id for h in engine.search("CSV OR バックアップ")}
    without = {h.id for h in engine.search("CSV NOT バックアップ")}
    assert both and both <= either
    assert "backup-during-migration" in both
    assert "backup-during-migration" not in without
    assert without <= either


def test_search_phrase_and_tag(engine, real_kb):
    tag = real_kb.entries["csv-required"].tags[0]
    hits = engine.search("CSV", tag=tag)
    assert hits and all(tag in h.tags for h in hits)
    in_query = engine.search(f"tag:{tag} CSV")
    assert {h.id for h in in_query} == {h.id for h in hits}


def _words(text: str) -> list[str]:
    """The words in a query, Whoosh's operators and punctuation aside."""
    return [w for w in re.findall(r"[^\W_]+", text) if w not in ("AND", "OR", "NOT")]


@pytest.mark.parametrize("junk", ["AND (", "field:", "NOT", "((((", '"unclosed', "tag:", "*", "~~~", ")))OR(((",
                                  "\x1b[31m", "a" * 5000])
def test_malformed_syntax_never_raises(engine, real_kb, junk):
    # Broken syntax is neither an error nor a wildcard: the hits are those of the words the
    # query holds. Alone, the junk holds no word of the content, so nothing matches; beside
    # "Chimney" its own words (field, tag, unclosed, 31m, aaa...) are required too, and as no
    # entry has them nothing matches either; without words it leaves Chimney's own hits.
    assert engine.search(junk) == []
    texts = [" ".join(e.text[lang].question + " " + e.text[lang].answer for lang in ("ja", "en")).lower()
             for e in real_kb.entries.values()]
    words = _words(junk)
    assert not any(re.search(rf"\b{re.escape(w.lower())}", text) for w in words for text in texts)
    hits = [h.id for h in engine.search("Chimney " + junk)]
    assert hits == ([] if words else ["tcp-chimney"])


def test_malformed_syntax_falls_back_to_plain_terms(engine):
    hits = engine.search('("TCP Chimney')
    assert hits and hits[0].id == "tcp-chimney"


SNIPPET_TEXT = "クラスターの共有ボリュームは必要ありません。CSV を使うと便利です。"


@pytest.mark.parametrize(("before", "after", "cut"), [
    ("", "", False),
    # A match far into the text: the window starts mid-text behind a "…", and the spans
    # must still cover the matched words, not the character before each.
    ("前置きの文。" * 30, "後の文。" * 60, True),
], ids=["at-the-start", "after-an-ellipsis"])
def test_snippet_marks_matches(before, after, cut):
    snip = make_snippet(before + SNIPPET_TEXT + after, "csv 必要")
    assert snip.text.startswith("…") is cut and snip.text.endswith("…") is cut
    assert [snip.text[s:e] for s, e in snip.spans] == ["必要", "CSV"]  # every match, in order


def test_snippet_without_match_is_the_start():
    snip = make_snippet("abc def", "zzz")
    assert snip.text == "abc def" and snip.spans == ()


@pytest.mark.parametrize(("text", "kinds"), [
    ("16GBのVMを1Gbpsで移行すると何秒", ["qty-memory", "qty-speed", "qty-time"]),
    ("１６ＧＢ の仮想マシン", ["qty-memory"]),  # full-width, NFKC first
    ("8 GiB over 10GbE", ["qty-memory", "qty-speed"]),
    ("十六ギガバイトのメモリ", ["qty-memory"]),
    ("dirty rate 50MB/s", []),  # a rate is neither a size nor a link speed
    ("how many minutes", ["qty-time"]),
    ("4 ノードのクラスター", []),
])
def test_quantities_are_recognized_whatever_the_number(text, kinds):
    from kb.checks.registry import quantity_table
    from kb.text.analysis import normalize

    quantities = quantity_table().kinds  # the checks declare their quantities

    assert quantities(normalize(text)) == kinds


def test_every_check_says_which_quantities_it_takes():
    from kb.checks import CHECK_IDS
    from kb.checks.registry import check_quantities

    CHECK_QUANTITIES = check_quantities()

    assert set(CHECK_QUANTITIES) == set(CHECK_IDS)


@pytest.mark.parametrize(("question", "memory_mb", "link_mbps"), [
    ("16GBのVMを1Gbpsで移行すると何秒", 16_000, 1_000),
    ("32GBメモリのVMを10GbEで動かしたら何分?", 32_000, 10_000),
    ("How long will a 64 GB VM take to live migrate on 10 Gbps?", 64_000, 10_000),
])
def test_numbers_with_units_point_to_the_entry_that_computes_with_them(engine, question, memory_mb, link_mbps):
    result = engine.ask(question)
    assert result.answers and result.answers[0].id == "migration-duration"
    [check] = [c for c in result.checks if c.check == "migration-time"]
    assert (check.inputs["memory_mb"], check.inputs["link_mbps"]) == (memory_mb, link_mbps)


@pytest.mark.parametrize("question", ["Macintosh 8GB の価格", "iPhone 128GB の値段", "カップラーメンは何分待つ",
                                      "How many minutes to boil an egg"])
def test_quantities_alone_do_not_make_a_question_on_topic(engine, question):
    assert engine.ask(question).answers == []


def test_stop_words_in_a_keyword_search_are_not_required(engine):
    # "What should I do when …" once required "what" in the Japanese field: nothing matched.
    with_stop_words = [h.id for h in engine.search("what is TCP Chimney")]
    assert with_stop_words and with_stop_words == [h.id for h in engine.search("TCP Chimney")]
    assert engine.search("the") == [] and engine.search("は") == []


def test_a_question_mark_ending_a_sentence_is_not_a_wildcard(engine):
    sentence = [h.id for h in engine.search("Is TCP Chimney supported?")]
    assert sentence and sentence == [h.id for h in engine.search("Is TCP Chimney supported")]
    from whoosh.query import Wildcard

    assert not any(isinstance(q, Wildcard) for q in engine._keywords.build("TCP Chimney supported?").leaves())
    # A single word keeps Whoosh's syntax: "chimn?y" is still a one-character wildcard.
    assert any(isinstance(q, Wildcard) for q in engine._keywords.build("chimn?y").leaves())
