"""Latin names that run words together ("core.sshCommand") are read as those words."""

from __future__ import annotations

from kb.retrieval.question import split_compound

KNOWN = {"ssh": 3, "command": 1, "use": 9, "http": 4, "path": 2, "rebas": 5, "branch": 12, "tag": 2}


def df(key: str) -> int:
    return KNOWN.get(key, 0)


def test_an_unknown_word_is_cut_into_the_contents_words() -> None:
    assert split_compound("sshcommand", df) == ["ssh", "command"]
    assert split_compound("usehttppath", df) == ["use", "http", "path"]


def test_the_parts_are_stemmed_as_the_index_stems_them() -> None:
    # "rebasing" is indexed as "rebas": the head of a compound must meet it so.
    assert split_compound("rebasingbranch", df) == ["rebas", "branch"]


def test_nothing_is_cut_unless_every_part_is_a_known_word() -> None:
    assert split_compound("sshkeygen", df) is None  # "keygen" is no word of the content
    assert split_compound("tagit", df) is None  # "it": parts have three letters at least
    assert split_compound("ssh-command", df) is None  # not one run of letters
    assert split_compound("ssh", df) is None  # too short to hold two words
