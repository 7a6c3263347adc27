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
