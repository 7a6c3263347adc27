"""The command line speaks the user's language: help, usage errors, and errors from kb."""

from __future__ import annotations

import argparse
import re
import unicodedata

import pytest

from tui.cli.parser import build_parser, main
from tui.cli.text import argv_lang, translate_error

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's own usage errors and -h
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def parsers(parser: argparse.ArgumentParser):
    """The parser and every subcommand's parser, recursively."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from parsers(sub)


@pytest.mark.parametrize("argv, ja, en", [
    (["quiz", "--count", "x"], "'x' は正しい値ではありません", "invalid int value: 'x'"),
    (["ask"], "次の引数が必要です: question", "the following arguments are required: question"),
    (["bogus"], "'bogus' は選べません", "invalid choice: 'bogus'"),
    (["search", "--frob"], "認識できない引数です: --frob", "unrecognized arguments: --frob"),
    (["ask", "--top", "0", "x"], "1 から 1000 までの値", "must be between 1 and 1000"),
    (["calc", "migration-time", "--memory", "8GB", "--link", "1Gbps", "--load", "light",
      "--dirty-rate", "5MB/s"], "同時に指定できません", "not allowed with argument"),
])
def test_usage_errors_in_both_languages(capsys, argv, ja, en):
    code, _, err = run(capsys, "--lang", "ja", *argv)
    assert code == 2
    assert ja in err and "エラー" in err and "使い方" in err
    code, _, err = run(capsys, "--lang", "en", *argv)
    assert code == 2
    assert en in err and "error:" in err and "usage:" in err


def test_every_help_text_is_japanese_in_japanese():
    parser = build_parser(lang="ja")
    english_left = []
    for p in parsers(parser):
        p.format_help()  # localizes section titles and -h
        for action in p._actions:
            if action.help and action.help is not argparse.SUPPRESS and not JAPANESE.search(action.help):
                english_left.append(f"{p.prog} {'/'.join(action.option_strings) or action.dest}: {action.help}")
    assert english_left == []


def test_english_help_has_no_japanese():
    for p in parsers(build_parser(lang="en")):
        assert not JAPANESE.search(p.format_help()), p.prog


def test_wrapped_usage_lines_up_under_the_japanese_prefix(capsys):
    code, out, _ = run(capsys, "--lang", "ja", "quiz", "--help")
    assert code == 0
    lines = out.splitlines()
    first, second = lines[0], lines[1]
    assert first.startswith("使い方: faq quiz ")
    # The continuation starts in the column where the first line's options start.
    assert width(second) - width(second.lstrip(" ")) == width("使い方: faq quiz ")
    assert "オプション:" in out and "このヘルプを表示して終了します" in out


def test_kb_errors_follow_the_language(capsys):
    code, _, err = run(capsys, "--lang", "ja", "calc", "migration-time", "--memory", "abc", "--link", "1Gbps")
    assert code == 2 and "--memory" in err and JAPANESE.search(err)
    code, _, err = run(capsys, "--lang", "en", "calc", "migration-time", "--memory", "abc", "--link", "1Gbps")
    assert code == 2 and "--memory" in err and not JAPANESE.search(err)


def test_lint_lists_problems_in_the_language(capsys, data_copy):
    (data_copy / "entries" / "zz-broken.md").write_text('+++\nid = "zz-broken"\n', encoding="utf-8")
    code, _, err = run(capsys, "lint", "--lang", "ja", "--data", str(data_copy))
    assert code == 1 and "zz-broken.md" in err and JAPANESE.search(err.splitlines()[0])
    code, _, err = run(capsys, "lint", "--lang", "en", "--data", str(data_copy))
    assert code == 1 and "zz-broken.md" in err and not JAPANESE.search(err)


def test_language_is_read_from_argv_before_parsing():
    assert argv_lang(["ask", "--lang", "en", "x"], "ja") == "en"
    assert argv_lang(["--lang=ja", "ask"], "en") == "ja"
    assert argv_lang(["ask", "--lang"], "ja") == "ja"  # no value: the default
    assert argv_lang(["ask", "--lang", "fr"], "en") == "en"  # not a language we speak


def test_unknown_argparse_sentences_stay_as_they_are():
    assert translate_error("something argparse may say one day", "ja") == "something argparse may say one day"
    assert translate_error("unrecognized arguments: -x", "en") == "unrecognized arguments: -x"
