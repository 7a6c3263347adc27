"""Ties between entries that explain a question equally well go to the one worded like it."""

from __future__ import annotations

from kb.retrieval.confidence import TIE, Scored, break_ties
from kb.text.analysis import normalize, wording


def _wordings(table: dict[str, list[str]]):
    return lambda entry_id: [wording(normalize(p)) for p in table.get(entry_id, [])]


def test_a_tie_goes_to_the_phrasing_worded_like_the_question() -> None:
    def asked() -> frozenset[str]:
        return wording(normalize("What is a detached HEAD?"))

    ranked = [Scored("checkout-tag", 0.80, 9.0), Scored("detached-head", 0.80 - TIE / 2, 8.0)]
    table = {"checkout-tag": ["How do I check out a tag?"], "detached-head": ["What is a detached HEAD?"]}
    out = break_ties(ranked, asked, _wordings(table))
    assert [s.id for s in out] == ["detached-head", "checkout-tag"]
    assert [s.raw for s in out] == [0.80 - TIE / 2, 0.80]  # scores are left as they were


def test_a_clear_lead_is_not_reordered() -> None:
    def asked() -> frozenset[str]:
        raise AssertionError("no tie, so the question's wording is not needed")

    ranked = [Scored("a", 0.80, 9.0), Scored("b", 0.80 - 2 * TIE, 8.0)]
    table = {"a": ["ID の発行方法"], "b": ["eduroam って何"]}
    assert [s.id for s in break_ties(ranked, asked, _wordings(table))] == ["a", "b"]


def test_japanese_wording_keeps_the_words_search_drops() -> None:
    # "何" and "って" are not topic words, but they say the question asks what something is.
    assert {"何"} <= wording(normalize("eduroamって何"))
    assert "何" not in wording(normalize("eduroam の ID を発行する"))


def test_each_sentence_of_a_phrasing_is_worded_on_its_own() -> None:
    from kb.retrieval.engine import sentence_wordings

    two = "eduroam とは何ですか。本学の学生も使えますか。"
    assert sentence_wordings([two]) == [wording(normalize("eduroam とは何ですか。")),
                                        wording(normalize("本学の学生も使えますか。"))]
    assert len(sentence_wordings(["How do I stop? Why does it fail!", "git fetch vs. pull"])) == 3

    def asked() -> frozenset[str]:
        return wording(normalize("eduroamって何"))

    # Whole, the two-sentence question is less alike than a short alternate of another entry.
    table = {"what": [two], "id": ["eduroam の接続設定"]}
    ranked = [Scored("id", 0.80, 9.0), Scored("what", 0.80 - TIE / 2, 8.0)]
    assert [s.id for s in break_ties(ranked, asked, _wordings(table))] == ["id", "what"]
    assert [s.id for s in break_ties(ranked, asked, lambda i: sentence_wordings(table[i]))] == ["what", "id"]
