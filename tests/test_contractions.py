"""English contractions are read written out: "doesn't" is "does not", not a word "doesn"."""

from __future__ import annotations

import pytest

from kb.text.analysis import english_terms, morph_terms, normalize


@pytest.mark.parametrize(("text", "terms"), [
    ("git doesn't notice", ["git", "not", "notic"]),
    ("it won't start", ["not", "start"]),  # not the verb "won"
    ("I can't push", ["not", "push"]),
    ("i've tried, you're right, we'll see, i'd say, i'm stuck", ["tri", "right", "see", "say", "stuck"]),
    ("it isn\u2019t there", ["is", "not"]),  # the typographic apostrophe too
    ("the VM's disk", ["vm", "disk"]),  # a possessive stays a word
    ("quote 'abc' twice", ["quot", "abc", "twice"]),  # quotes are no contraction
])
def test_contractions_are_written_out(text: str, terms: list[str]) -> None:
    assert english_terms(text) == terms
    # Japanese text's Latin words go through the same reading.
    assert morph_terms(normalize(text)) == terms


@pytest.mark.parametrize(("text", "terms"), [
    ("cant connect", ["not", "connect"]),  # typed without the apostrophe
    ("it doesnt work, wont start", ["not", "work", "not", "start"]),
    ("want a font count", ["font", "count"]),  # words ending in "nt" stay ("want" is a stop word)
])
def test_negations_typed_without_the_apostrophe(text: str, terms: list[str]) -> None:
    assert english_terms(text) == terms


def test_a_clipped_word_meets_the_words_it_stands_for() -> None:
    # "regex" in a question and "regular expression" in an entry (or the other way) meet.
    assert english_terms("regex") == english_terms("regular expression") == ["regular", "express"]
    assert english_terms("db size") == english_terms("database size")
    assert morph_terms(normalize("regex の速さ"))[:2] == ["regular", "express"]
