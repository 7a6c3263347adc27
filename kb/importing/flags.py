"""Doubts an import leaves in an entry (``flags = [...]``) and the lint warnings they become.

An answer that looks cut off, a question without an answer, a duplicate or near duplicate:
never dropped silently, never mended by guessing; the entry keeps a flag with a short note,
and `faq lint` shows it as a warning until a person removes it.
"""

from __future__ import annotations

import re
from pathlib import Path

from kb.content.entry import Entry
from kb.content.files import read_text_file
from kb.errors import ContentWarning, KbError
from kb.importing.model import Block
from kb.importing.text import plain

# flag -> (ja, en): the note written beside the flag and shown by lint.
FLAGS: dict[str, tuple[str, str]] = {
    "truncated": ("回答が途中で切れているようです (予告された一覧や文の続きがありません)。元の文書を確認してください",
                  "the answer looks cut off (a list it announces, or the rest of a sentence, is missing); "
                  "check the source"),
    "no-answer": ("元の文書にこの質問の回答がありません", "the source gives no answer to this question"),
    "duplicate": ("同じ質問が別のエントリにもあります", "another entry asks the same question"),
    "near-duplicate": ("よく似た質問が別のエントリにあります", "another entry asks almost the same question"),
    "draft": ("faq gaps draft で作った下書きです。各言語の回答を書いてください",
              "a draft from faq gaps draft; write the answer in each language"),
}
# The body written for a question the source does not answer (an entry needs a body).
NO_ANSWER_BODY = {"ja": "(元の文書には、この質問の回答がありませんでした。)",
                  "en": "(The source gives no answer to this question.)"}

# An answer announcing a list: "次のいずれかの方法で", "以下の手順", "the following ways".
_ANNOUNCES_JA = re.compile(r"(?:次|以下|下記)の(?:いずれか|とおり|通り|ような|[^。、]{0,12}?"
                           r"(?:方法|手順|条件|項目|もの|点|設定|要件|種類|コマンド|理由|場合|ステップ))")
_ANNOUNCES_EN = re.compile(r"\b(?:the following|as follows|one of these|these (?:steps|ways|options)|"
                           r"following (?:ways|steps|options|conditions|reasons))\b", re.I)
# A sentence stopped in the middle: a comma, a particle or a function word at the end.
_OPEN_JA = re.compile(r"(?:[、,]|(?<=[\u3040-\u30ff\u3400-\u9fff])(?:を|に|が|は|と|の|で|て|や|から|より|など|および|または|ため))$")
_OPEN_EN = re.compile(r"(?:[,;\-–—]|\b(?:the|a|an|and|or|of|to|in|for|with|by|on|that|which|is|are|"
                      r"can|if|from|as|at|but|such|than|be))$", re.I)
_ELLIPSIS = re.compile(r"(?:\.\.\.|…|‥)$")


def cut_off(blocks: list[Block], followed_up: bool = False) -> bool:
    """Does an answer (its blocks) end where something was clearly still to come?

    A final colon, an announced list that never comes, or a sentence that stops mid-way.
    ``followed_up``: the source lists follow-up questions after it (QnA Maker prompts).
    """
    if not blocks or followed_up:
        return False
    last = blocks[-1]
    if last.kind in ("code", "table", "item", "quote"):
        return False
    if last.text.rstrip().endswith(("`", "**", ")")):  # inline code, emphasis or a link closes it
        return False
    text = plain(last.text).strip()
    return bool(text) and cut_off_text(text)


def cut_off_text(text: str) -> bool:
    """The same test on the last paragraph of an answer given as text."""
    text = text.rstrip()
    if text.endswith(("`", "**")):
        return False
    if text.endswith((":", "：")) or _ELLIPSIS.search(text):
        return True
    sentence = re.split(r"(?<=[。．.!?！？])\s*", text.rstrip("。．. "))[-1]
    if _ANNOUNCES_JA.search(sentence) or _ANNOUNCES_EN.search(sentence):
        return True
    if text[-1] in "。．.!！?？」』)）]】\"'`*>":
        return False
    if _OPEN_JA.search(text) or _OPEN_EN.search(text):
        return True
    # A long sentence without its full stop: Japanese 20 characters, English 8 words.
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", text):
        return len(text) >= 20
    return len(text.split()) >= 8


def flag_notes(flags: list[str], lang: str) -> list[str]:
    """One line per flag, in ``lang``: what the flag means."""
    return [f"{flag}: {FLAGS[flag][0 if lang == 'ja' else 1]}" if flag in FLAGS else flag for flag in flags]


def flag_warnings(entry: Entry) -> list[ContentWarning]:
    """For `faq lint`: one warning per flag an entry still carries."""
    if not entry.flags:
        return []
    line = None
    try:
        for number, text in enumerate(read_text_file(Path(entry.path)).split("\n"), 1):
            if text.strip().startswith("flags"):
                line = number
                break
    except KbError:
        pass
    warnings = []
    for flag in entry.flags:
        ja, en = FLAGS.get(flag, (f"不明なフラグ {flag!r}", f"unknown flag {flag!r}"))
        warnings.append(ContentWarning(f"flagged {flag!r}: {en} (remove the flag once checked)",
                                       path=entry.path or None, line=line, field="flags",
                                       ja=f"フラグ {flag!r}: {ja} (確認したらフラグを削除してください)"))
    return warnings
