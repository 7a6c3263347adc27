"""Katakana typed with a space between words ("ポスグレ バージョン") is read as those words."""

from __future__ import annotations

from kb.retrieval.question import _split_run

KNOWN = {"バージョン": 11, "クラスター": 4}


def df(key: str) -> int:
    return KNOWN.get(key, 0)


def test_an_unknown_run_is_cut_before_the_contents_word_at_its_end() -> None:
    assert _split_run("ポスグレバージョン", df) == ["ポスグレ", "バージョン"]


def test_known_words_short_runs_and_other_scripts_stay_whole() -> None:
    assert _split_run("クラスター", df) == ["クラスター"]  # the content has it
    assert _split_run("ポスグレ", df) == ["ポスグレ"]  # too short to hold two words
    assert _split_run("ナゾノバクダン", df) == ["ナゾノバクダン"]  # nothing known inside
    assert _split_run("統合認証バージョン", df) == ["統合認証バージョン"]  # not all katakana


def test_two_known_words_short_ones_too_and_a_long_vowel_left_off() -> None:
    known = {"サーバー": 3, "ログ": 5}

    def df2(key: str) -> int:
        return known.get(key, 0)

    assert _split_run("サーバログ", df2) == ["サーバー", "ログ"]  # written without its "ー"
    assert _split_run("サーバーログ", df2) == ["サーバー", "ログ"]
    assert _split_run("ナゾログ", df2) == ["ナゾログ"]  # "ナゾ" is no word of the content
    assert _split_run("サーバ", df2) == ["サーバ"]  # one word: nothing to cut
