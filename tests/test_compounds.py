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


def test_the_last_part_may_be_cut_shorter_by_the_whole_words_stem() -> None:
    # "filename" stems to "filenam", but "name" is indexed as "name".
    known = {"file": 7, "name": 3}

    def longer(tail: str) -> str | None:
        return next((k for k in known if k.startswith(tail) and len(k) - len(tail) <= 2), None)

    assert split_compound("filenam", lambda k: known.get(k, 0)) is None  # "nam" alone is no word
    assert split_compound("filenam", lambda k: known.get(k, 0), longer) == ["file", "name"]


def test_a_run_together_option_name_finds_its_entry(tmp_path) -> None:
    from bench.quality import KBS
    from kb import open_kb

    library = open_kb(KBS / "git", tmp_path / "cache", snapshot=False)
    try:
        analysed = library.engine.analyzer.analyze("core.sshCommand")
    finally:
        library.close()
    assert {"ssh", "command"} <= set(analysed.features)
    assert "sshcommand" not in analysed.features


def test_a_word_of_the_dictionary_is_not_cut() -> None:
    # "payload" is a word in its own right, though the content may have "pay" and "load".
    known = {"pay": 1, "load": 4, "work": 3, "around": 2, "ssh": 3, "command": 1}.get
    assert split_compound("payload", lambda k: known(k, 0)) is None
    assert split_compound("workaround", lambda k: known(k, 0)) is None
    assert split_compound("sshcommand", lambda k: known(k, 0)) == ["ssh", "command"]
