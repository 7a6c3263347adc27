"""The command line's own words in Japanese: help texts, section titles and argparse's errors.

argparse writes its usage errors and section titles in English. The language is known before
the arguments are parsed (``--lang`` in argv, else the locale), so the parser is built in that
language: help texts come in pairs, section titles and the usage prefix come from a formatter,
and argparse's error sentences are translated in ``_Parser.error`` by pattern. Anything not
recognised stays in English rather than being lost.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from typing import Any

from kb.bilingual import Bilingual

# argparse's error sentences (Python 3.11-3.13) and their Japanese.
_ERRORS_JA: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), ja) for pattern, ja in (
        (r"^the following arguments are required: (?P<a>.+)$", r"次の引数が必要です: \g<a>"),
        (r"^argument (?P<a>\S+): invalid (?P<t>\w+) value: (?P<v>.+)$",
         r"引数 \g<a>: \g<v> は正しい値ではありません (\g<t>)"),
        (r"^argument (?P<a>\S+): invalid choice: (?P<v>.+?) \(choose from (?P<c>.+)\)$",
         r"引数 \g<a>: \g<v> は選べません (選択肢: \g<c>)"),
        (r"^unrecognized arguments: (?P<a>.+)$", r"認識できない引数です: \g<a>"),
        (r"^argument (?P<a>\S+): expected one argument$", r"引数 \g<a>: 値を 1 つ指定してください"),
        (r"^argument (?P<a>\S+): expected at least one argument$",
         r"引数 \g<a>: 値を 1 つ以上指定してください"),
        (r"^argument (?P<a>\S+): not allowed with argument (?P<b>\S+)$",
         r"引数 \g<a> は \g<b> と同時に指定できません"),
        (r"^argument (?P<a>\S+): ignored explicit argument (?P<v>.+)$",
         r"引数 \g<a>: 値 \g<v> は指定できません"),
        # Messages of our own argument types (tui/cmd_kb.py _positive).
        (r"^argument (?P<a>\S+): not a whole number: (?P<v>.+)$", r"引数 \g<a>: \g<v> は整数ではありません"),
        (r"^argument (?P<a>\S+): must be between (?P<lo>\d+) and (?P<hi>\d+): (?P<v>.+)$",
         r"引数 \g<a>: \g<lo> から \g<hi> までの値を指定してください (指定値: \g<v>)"),
        (r"^one of the arguments (?P<a>.+) is required$", r"次の引数のいずれかが必要です: \g<a>"),
        (r"^ambiguous option: (?P<a>\S+) could match (?P<m>.+)$",
         r"オプション \g<a> があいまいです (候補: \g<m>)"),
    )
)

_TITLES_JA = {"positional arguments": "引数", "options": "オプション", "optional arguments": "オプション"}
_USAGE_LAYOUT, _USAGE_JA = "usage:  ", "使い方: "  # both 8 columns wide
HELP_OPTION = ("show this help message and exit", "このヘルプを表示して終了します")
ERROR_WORD = {"ja": "エラー", "en": "error"}


class Help:
    """Picks the help text of a pair, Japanese first as everywhere: ``h("日本語", "english")``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, ja: str, en: str) -> str:
        return Bilingual(ja, en).text(self.lang)


def argv_lang(argv: Sequence[str], default: str) -> str:
    """The language asked for in argv (``--lang ja``, ``--lang=en``), else ``default``."""
    for i, token in enumerate(argv):
        value = None
        if token == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif token.startswith("--lang="):
            value = token.split("=", 1)[1]
        if value in ("ja", "en"):
            return value
    return default


def translate_error(message: str, lang: str) -> str:
    """argparse's error sentence in ``lang``; unknown sentences stay as they are."""
    if lang != "ja":
        return message
    for pattern, ja in _ERRORS_JA:
        if pattern.match(message):
            return pattern.sub(ja, message)
    return message


def formatter_for(lang: str) -> type[argparse.HelpFormatter]:
    """A help formatter whose usage prefix is in ``lang``."""
    if lang != "ja":
        return argparse.HelpFormatter

    class JapaneseHelpFormatter(argparse.HelpFormatter):
        # argparse indents wrapped usage lines by len(prefix), but "使い方" is 6 columns wide
        # for 3 characters: lay out with an 8-character ASCII prefix, then swap in the
        # Japanese one of the same display width, so continuation lines stay aligned.
        def _format_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                          groups: Iterable[Any], prefix: str | None) -> str:
            text = super()._format_usage(usage, actions, groups, _USAGE_LAYOUT if prefix is None else prefix)
            return text.replace(_USAGE_LAYOUT, _USAGE_JA, 1) if prefix is None else text

    return JapaneseHelpFormatter


def localize_parser(parser: argparse.ArgumentParser, lang: str) -> None:
    """Section titles and the -h help line of ``parser`` in ``lang``."""
    if lang != "ja":
        return
    for group in parser._action_groups:
        group.title = _TITLES_JA.get(group.title or "", group.title)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = HELP_OPTION[1]
