"""The files of an imported knowledge base as text, and writing them safely.

Every file is written atomically (a temporary file in the same folder, then a rename), a
new entry never replaces a file that appeared meanwhile, and nothing is ever deleted.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kb.importing.flags import FLAGS, NO_ANSWER_BODY
from kb.importing.model import Pair
from kb.importing.vocabulary import Term

IMPORTED_TAG = ("imported", "取り込み", "Imported")


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(toml_string(i) for i in items) + "]"


def toml_key(key: str) -> str:
    return key if key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key) else toml_string(key)


def render_entry(entry_id: str, pairs: list[Pair], tags: list[str], related: list[str],
                 applies_to: list[str], flags: list[str], same_as: list[str] | None = None) -> str:
    """One entry file: front matter (with flags and their notes as comments) and the body."""
    where = "; ".join(f"{p.source} line {p.line}" for p in pairs)
    where_ja = "、".join(f"{p.source} の {p.line} 行目" for p in pairs)
    lines = ["+++", f"# Imported by `faq import` from {where}.", f"# `faq import` で {where_ja}から取り込みました。"]
    lines += [f"# Source / 出典: {url}" for url in dict.fromkeys(p.url for p in pairs if p.url)
              if "\n" not in url]
    if flags:
        lines.append("# Check these, then delete the flags line / 確認したら flags の行を削除してください:")
        for flag in flags:
            ja, en = FLAGS.get(flag, (flag, flag))
            other = f" ({', '.join(same_as)})" if same_as and flag in ("duplicate", "near-duplicate") else ""
            lines.append(f"#   {flag}: {ja} / {en}{other}")
    lines += [f"id = {toml_string(entry_id)}", f"tags = {toml_list(tags)}", f"related = {toml_list(related)}",
              f"applies_to = {toml_list(applies_to)}", "checks = []"]
    if flags:
        lines.append(f"flags = {toml_list(flags)}")
    for pair in pairs:
        lines += ["", f"[{pair.lang}]", f"question = {toml_string(pair.question)}",
                  f"alternates = {toml_list(pair.alternates)}"]
    lines += ["+++", ""]
    for pair in pairs:
        answer = pair.answer.strip() or NO_ANSWER_BODY[pair.lang]
        lines += [f"<!-- {pair.lang} -->", answer, ""]
    return "\n".join(lines)


def render_tags(tags: list[tuple[str, str, str]], header: bool) -> str:
    """Tag tables (id, ja label, en label); with ``header`` the file's opening comment too."""
    lines = ["# Tags entries may carry: one table per tag. Written by `faq import`.",
             "# エントリに付けられるタグ (タグごとに 1 つの表)。`faq import` が作成しました。", ""] if header else [""]
    for tag_id, ja, en in tags:
        lines += [f"[{toml_key(tag_id)}]", f"ja = {toml_string(ja)}", f"en = {toml_string(en)}", ""]
    return "\n".join(lines)


def render_glossary(terms: list[Term]) -> str:
    """A new glossary.toml: only terms whose meaning the sources themselves show."""
    lines = ["# Glossary: one table per term (see faq_data/README.md). Written by `faq import` with the",
             "# acronyms whose expansion the sources spell out; glossary.draft.toml has more suggestions.",
             "# 用語集。取り込み元の文書で略語と正式名が対応していた用語だけを `faq import` が書きました。", ""]
    for term in terms:
        acronym = term.id.upper()
        ja = term.names.get("ja", [])
        en = term.names.get("en", [])
        expansion = (ja + en)[0]
        lines += [f"# evidence / 根拠: {term.evidence}", f"[{toml_key(term.id)}]",
                  f"ja = {toml_list([*ja, acronym])}", f"en = {toml_list([*en, acronym])}",
                  f"definition.ja = {toml_string(f'{expansion} の略語 (取り込み元の文書で同じものを指しています)。')}",
                  f"definition.en = {toml_string(f'Short for {expansion} (the source uses both for the same thing).')}",
                  ""]
    return "\n".join(lines)


def render_glossary_draft(terms: list[Term], frequent: list[tuple[str, int]]) -> str:
    """Suggested glossary terms, commented out: uncomment and complete a table to accept it."""
    lines = ["# Suggested glossary terms from `faq import`. Lint ignores this file. To accept one, copy",
             "# its table into glossary.toml, remove the '# ', and fill in the missing names and definitions.",
             "# `faq import` が提案する用語集の候補です (lint はこのファイルを読みません)。採用するには表を",
             "# glossary.toml にコピーして先頭の '# ' を外し、足りない名前と定義を書いてください。", "",
             "# -- acronyms / 略語 --"]
    for term in terms:
        acronym = term.id.upper()
        lines += ["", f"# [{toml_key(term.id)}]   # {term.count}x; {term.evidence}",
                  f"# ja = {toml_list([*term.names.get('ja', []), acronym])}",
                  f"# en = {toml_list([*term.names.get('en', []), acronym])}",
                  '# definition.ja = ""', '# definition.en = ""']
    lines += ["", "# -- frequent terms / よく使われる語 --"]
    for text, count in frequent:
        lines += [f"#   {text}   ({count} entries / {count} 件)"]
    return "\n".join(lines) + "\n"


def render_tags_draft(suggestions: list[tuple[str, str, list[str]]]) -> str:
    """Suggested tags (id, label, entry ids), commented out, for the author to accept."""
    lines = ["# Suggested tags from `faq import` (section headings and frequent terms). Lint ignores this",
             "# file. To accept one: copy its table into tags.toml, remove the '# ', give it both labels,",
             "# and add its id to the `tags` of the entries listed.",
             "# `faq import` が提案するタグの候補です。採用するには表を tags.toml にコピーして '# ' を外し、",
             "# ja と en のラベルを書いて、一覧のエントリの tags に id を加えてください。"]
    for tag_id, label, entries in suggestions:
        lines += ["", f"# [{toml_key(tag_id)}]", f"# ja = {toml_string(label)}", f"# en = {toml_string(label)}",
                  f"#   entries: {', '.join(entries)}"]
    return "\n".join(lines) + "\n"


def render_kb_toml(names: dict[str, str], descriptions: dict[str, str], examples: dict[str, str] | None = None) -> str:
    lines = ["# The knowledge base's name, description and example question (written by `faq import`).",
             "# 知識ベースの名前、説明、質問の例 (`faq import` が作成)。", "", "[name]"]
    lines += [f"{lang} = {toml_string(text)}" for lang, text in names.items()]
    lines += ["", "[description]"]
    lines += [f"{lang} = {toml_string(text)}" for lang, text in descriptions.items()]
    if examples:
        lines += ["", "[example]"]
        lines += [f"{lang} = {toml_string(text)}" for lang, text in examples.items()]
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str, new: bool = False) -> bool:
    """Write ``text`` to ``path`` via a temporary file and a rename.

    With ``new``, a file that already exists is left as it is and False returned.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if new:
            try:
                os.link(temp, path)  # fails if the name was taken meanwhile
            except FileExistsError:
                return False
            except OSError:
                if path.exists():
                    return False
                os.replace(temp, path)
                return True
            return True
        os.replace(temp, path)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
