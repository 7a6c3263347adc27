"""CSV and TSV: one pair per row, columns found by their header (English or Japanese).

Also reads the QnA Maker / Azure question answering export (Question, Answer, Source,
Metadata, SuggestedQuestions, IsContextOnly, Prompts, QnaId), where alternate questions are
extra rows sharing a QnaId and follow-up prompts point at other QnaIds.
"""

from __future__ import annotations

import csv
import io
import json
import re

from kb.errors import SourceError
from kb.importing.model import Document, Dropped, Pair
from kb.importing.text import lang_of

# Column role -> header names (compared lower-cased, without spaces, hyphens or underscores).
_COLUMNS = {
    "question": {"question", "questions", "q", "query", "質問", "問い", "質問文", "問"},
    "answer": {"answer", "answers", "a", "response", "回答", "答え", "回答文", "答"},
    "tags": {"tags", "tag", "category", "categories", "metadata", "label", "labels", "タグ", "カテゴリ",
             "カテゴリー", "分類"},
    "alternates": {"alternates", "alternatequestions", "alternativequestions", "alternatives", "synonyms",
                   "suggestedquestions", "variants", "paraphrases", "otherquestions", "言い換え", "別の質問",
                   "類似質問", "別名", "別の言い方", "言い回し", "同義語", "類義語"},
    "source": {"source", "url", "link", "reference", "出典", "ソース", "参照"},
    "id": {"id", "qnaid", "qid", "number", "no", "番号"},
    "prompts": {"prompts", "followup", "followups"},
    "section": {"section", "group", "heading", "セクション", "章"},
}
# Columns of the QnA Maker export that carry nothing an entry holds: not reported as left out.
_IGNORED = {"iscontextonly"}
_SPLIT_LIST = re.compile(r"\s*(?:\||;|\n|；)\s*")


def read_table(text: str, path: str, delimiter: str | None) -> Document:
    """Pairs from a CSV (delimiter sniffed) or TSV; SourceError for a row of the wrong width."""
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max([",", ";", "\t"], key=first.count) if any(d in first for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(f"not valid CSV: {exc}", path=path, line=reader.line_num,
                          ja=f"有効な CSV ではありません: {exc}") from None
    rows = [(n, r) for n, r in rows if any(cell.strip() for cell in r)]
    doc = Document()
    if not rows:
        return doc
    header = _roles(rows[0][1])
    titled = "question" in header.values() and "answer" in header.values()
    if titled:
        body = rows[1:]
    elif len(rows[0][1]) == 2:
        header, body = {0: "question", 1: "answer"}, rows
    else:
        raise SourceError("no question and answer columns: give a header row such as 'question,answer'",
                          path=path, line=rows[0][0],
                          ja="質問と回答の列がありません。'question,answer' のような見出し行を付けてください")
    width = len(rows[0][1])
    if titled:  # say which columns no role was found for
        for i, name in enumerate(rows[0][1]):
            if i not in header and name.strip() and _key(name) not in _IGNORED:
                doc.notes.append((f"{i + 1} 列目「{name.strip()}」は取り込んでいません (見出しが質問・回答・タグ・言い換え・"
                                  "出典・id・セクションのどれでもありません)",
                                  f"column {i + 1} '{name.strip()}' is not imported (its header is none of question, "
                                  "answer, tags, alternates, source, id, section)"))
    by_id: dict[str, Pair] = {}
    for number, row in body:
        if len(row) != width:
            raise SourceError(f"this row has {len(row)} fields, the header has {width}", path=path,
                              line=number, ja=f"この行の列数は {len(row)} で、見出し行の列数 {width} と違います")
        cell = {role: row[i].strip() for i, role in header.items()}
        question, answer = cell.get("question", ""), _unescape(cell.get("answer", ""))
        if not question:
            if answer:
                doc.dropped.append(Dropped(number, answer[:160], "no-question-cell"))
            continue
        row_id = cell.get("id", "")
        if row_id and row_id in by_id:  # QnA Maker: another way to ask the same entry
            pair = by_id[row_id]
            if question not in (pair.question, *pair.alternates):
                pair.alternates.append(question)
            continue
        pair = Pair(question=question, answer=answer, lang=lang_of(question + answer), line=number,
                    key=f"id:{row_id}" if row_id else "", section=cell.get("section", ""),
                    url=cell.get("source", ""))
        pair.tags = _tags(cell.get("tags", ""))
        pair.alternates = [a for a in _alternates(cell.get("alternates", "")) if a != question]
        pair.related_keys = _prompts(cell.get("prompts", ""))
        if pair.related_keys:
            pair.answer = (pair.answer + "\n\n" + "\n".join(f"- {text}" for _key, text in
                                                           _prompt_texts(cell.get("prompts", "")))).strip()
        if row_id:
            by_id[row_id] = pair
        doc.pairs.append(pair)
    return doc


def _roles(header: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for i, name in enumerate(header):
        key = _key(name)
        for role, names in _COLUMNS.items():
            if key in names and role not in roles.values():
                roles[i] = role
                break
    return roles


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower().lstrip("\ufeff"))


def _unescape(answer: str) -> str:
    # QnA Maker writes line breaks inside an answer as a literal backslash-n.
    return answer.replace("\\n", "\n").replace("\\t", "\t").strip() if "\\n" in answer else answer


def _tags(value: str) -> list[str]:
    tags = []
    for part in _SPLIT_LIST.split(value.strip()):
        # QnA Maker metadata is "name:value|name:value": the value is the tag.
        part = part.split(":", 1)[-1].strip() if ":" in part else part.strip()
        if part and part not in tags:
            tags.append(part)
    return tags


def _alternates(value: str) -> list[str]:
    value = value.strip()
    if value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            items = []
        return [str(i.get("question", i) if isinstance(i, dict) else i).strip() for i in items if i]
    return [a for a in _SPLIT_LIST.split(value) if a]


def _prompt_texts(value: str) -> list[tuple[str, str]]:
    value = value.strip()
    if not value.startswith("["):
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    prompts = [i for i in items if isinstance(i, dict) and i.get("displayText")]
    prompts.sort(key=lambda i: i.get("displayOrder", 0) if isinstance(i.get("displayOrder"), int) else 0)
    return [(f"id:{i.get('qnaId', '')}", str(i["displayText"]).strip()) for i in prompts]


def _prompts(value: str) -> list[str]:
    return [key for key, _text in _prompt_texts(value) if key != "id:"]
