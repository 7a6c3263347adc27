"""The knowledge base's vocabulary files: tags.toml and glossary.toml, read and validated."""

from __future__ import annotations

import re
from typing import Any

from kb.content import files
from kb.content.entry import LANGS, GlossaryTerm, Tag
from kb.errors import ContentError

TOML_LINE = re.compile(r"at line (\d+)")
TOO_DEEP = f"arrays or tables nested more than {files.MAX_TOML_DEPTH} levels deep; not read"
TOO_DEEP_JA = f"配列やテーブルの入れ子が {files.MAX_TOML_DEPTH} 段を超えています。読み込みません"


def parse_tags(text: str, path: str, problems: list[ContentError]) -> dict[str, Tag]:
    data = load_toml(text, path, problems)
    headers = table_lines(text)
    tags: dict[str, Tag] = {}
    for tag_id, value in data.items():
        labels = {lang: value[lang].strip() for lang in LANGS
                  if isinstance(value, dict) and isinstance(value.get(lang), str) and value[lang].strip()}
        if not labels or not isinstance(value, dict) or set(value) - set(LANGS) \
                or len(labels) != len([k for k in value if k in LANGS]):
            problems.append(ContentError("a tag needs a ja and/or en label", path=path,
                                         line=headers.get(tag_id), field=tag_id,
                                         ja="タグには ja または en のラベルが必要です"))
            continue
        tags[tag_id] = Tag(id=tag_id, label=labels)
    return tags


def parse_glossary(text: str, path: str, problems: list[ContentError]) -> dict[str, GlossaryTerm]:
    data = load_toml(text, path, problems)
    headers = table_lines(text)  # once: a scan per term made 10,000 terms quadratic
    terms: dict[str, GlossaryTerm] = {}
    for term_id, value in data.items():
        line = headers.get(term_id)
        names: dict[str, tuple[str, ...]] = {}
        ok = isinstance(value, dict)
        definition = value.get("definition") if ok else None
        written = [lang for lang in LANGS if ok and lang in value]
        ok = ok and bool(written) and isinstance(definition, dict)
        for lang in written:
            spellings = value.get(lang)
            if not isinstance(spellings, list) or not spellings or not all(isinstance(s, str) and s.strip() for s in spellings):
                ok = False
                break
            names[lang] = tuple(s.strip() for s in spellings)
        if not ok or not isinstance(definition, dict) or not all(
            isinstance(definition.get(lang), str) and definition[lang].strip() for lang in written
        ):
            problems.append(ContentError("a glossary term needs a ja and/or en name list, and a definition "
                                         "(definition.ja / definition.en) in each language it is named in",
                                         path=path, line=line, field=term_id,
                                         ja="用語集の用語には ja または en の名前のリストと、その言語の定義 "
                                            "(definition.ja / definition.en) が必要です"))
            continue
        terms[term_id] = GlossaryTerm(id=term_id, names=names,
                                      definition={lang: definition[lang].strip() for lang in written})
    return terms


def load_toml(text: str, path: str, problems: list[ContentError]) -> dict[str, Any]:
    deep = files.deep_nesting_line(text)
    if deep is not None:
        problems.append(ContentError(TOO_DEEP, path=path, line=deep, ja=TOO_DEEP_JA))
        return {}
    import tomllib  # only when a file is parsed: a start from the content store parses none
    try:
        return tomllib.loads(text)
    except RecursionError:
        problems.append(ContentError(TOO_DEEP, path=path, ja=TOO_DEEP_JA))
        return {}
    except tomllib.TOMLDecodeError as exc:
        match = TOML_LINE.search(str(exc))
        problems.append(ContentError(f"not valid TOML: {exc}", path=path,
                                     line=int(match.group(1)) if match else None,
                                     ja=f"有効な TOML ではありません: {exc}"))
        return {}


def table_lines(text: str) -> dict[str, int]:
    """The line of each ``[table]`` / ``["table"]`` header, in one pass."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        head = line.strip()
        if head.startswith("[") and head.endswith("]") and not head.startswith("[["):
            name = head[1:-1].strip()
            if len(name) >= 2 and name[0] == name[-1] == '"':
                name = name[1:-1]
            lines.setdefault(name, number)
    return lines
