"""HTML as blocks (stdlib html.parser): headings, paragraphs, lists, code, dl, details, tables.

Navigation, headers, footers, sidebars, comment boxes and share bars are left out by tag,
class, id and role, and each is reported; links, emphasis and code stay as Markdown. A
schema.org FAQPage in JSON-LD gives its pairs directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from kb.importing.html_parts import CODE_TAGS, skip_reason
from kb.importing.model import Block, Document, Dropped
from kb.importing.read_jsonld import faq_pairs
from kb.importing.text import is_question

_BLOCK = {"p", "div", "section", "article", "main", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
          "pre", "blockquote", "table", "tr", "ul", "ol", "dl", "details", "summary", "figure", "figcaption",
          "address", "center", "hr", "body", "form", "fieldset", "legend", "caption", "tbody", "thead"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "area", "base", "col", "embed", "source",
         "track", "param"}
_CLOSED_BY = {"li": {"li", "p"}, "dt": {"dt", "dd", "p"}, "dd": {"dt", "dd", "p"}, "p": {"p"}}
_SPACE = re.compile(r"\s+")
# Where a block starts inside a table cell: a paragraph of a long answer, or a line break.
_CELL_BREAKS = {"p", "div", "li", "br", "ul", "ol", "dd", "dt", "blockquote", "pre"}
_CELL_BREAK = "\ue000"
_TITLE_SITE = re.compile(r"\s+[|｜\-–—:]\s+[^|｜\-–—]{2,40}$")
_LANG_CLASS = re.compile(r"(?:language|lang|highlight|brush:?)-?\s*([\w+#-]+)")


@dataclass
class _Open:
    tag: str
    role: str = ""
    group: int = 0
    ordered: bool = False
    href: str = ""
    mark: int = 0  # where this inline element began in the inline buffer


@dataclass
class _Table:
    rows: list[list[str]] = field(default_factory=list)
    cell: list[str] | None = None
    line: int = 0


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = Document()
        self.stack: list[_Open] = []
        self.inline: list[str] = []
        self.inline_line = 0
        self.skip: tuple[int, str, int, list[str]] | None = None  # depth, reason, line, text
        self.pre = 0
        self.lists: list[bool] = []
        self.groups = 0
        self.title: list[str] | None = None
        self.page_title = ""
        self.h1 = ""
        self.json_ld: list[tuple[int, str]] = []
        self.script: list[str] | None = None
        self.table: _Table | None = None

    # -- elements ----------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if self.skip is not None:
            if tag in ("main", "article"):  # an unclosed <nav> must not swallow the content
                self._end_skip()
            else:
                self.skip[3].append(" ")
                if tag not in _VOID:
                    self.stack.append(_Open(tag))
                return
        if tag == "title":
            self.title = []
            return
        if tag == "script" and "ld+json" in a.get("type", ""):
            self.script = []
            self.json_ld.append((self.getpos()[0], ""))
        reason = self._reason(tag, a)
        if reason:
            if tag not in _VOID:
                self._flush()
                self.stack.append(_Open(tag))
                self.skip = (len(self.stack), reason, self.getpos()[0], [])
            return
        if self.table is not None and self.table.cell is not None and tag in _CELL_BREAKS and not self.pre:
            self.table.cell.append(_CELL_BREAK)
        if tag == "br":
            if self.table is not None or self.pre:
                self._data("\n" if self.pre else " ")
            else:
                self._flush()
            return
        if tag == "hr" and self.table is None:
            self._flush()
            self._add(Block("rule", "", self.getpos()[0]))
            return
        if tag in _VOID:
            return
        if self.stack and self.stack[-1].tag in _CLOSED_BY.get(tag, ()):  # <li>a<li>b: a sibling
            self._close(self.stack.pop())
        opened = _Open(tag, mark=len(self.inline))
        if tag in _BLOCK and self.table is None:
            self._flush()
        if tag in ("ul", "ol"):
            self.lists.append(tag == "ol")
        elif tag == "dt":
            self.groups += 1
            opened.role, opened.group = "question", self.groups
        elif tag == "dd":
            opened.role, opened.group = "answer", self.groups
        elif tag == "details":
            self.groups += 1
            opened.role, opened.group = "answer", self.groups
        elif tag == "summary":
            opened.role, opened.group = "question", self._details_group()
        elif tag == "pre":
            self.pre += 1
            match = _LANG_CLASS.search(a.get("class", ""))
            opened.href = match.group(1) if match else ""
        elif tag == "code" and self.pre and self.stack and self.stack[-1].tag == "pre":
            match = _LANG_CLASS.search(a.get("class", ""))
            if match:
                self.stack[-1].href = match.group(1)
        elif tag == "a":
            opened.href = a.get("href", "")
        elif tag == "table":
            self.table = _Table(line=self.getpos()[0])
        elif tag in ("td", "th") and self.table is not None:
            self.table.cell = []
        self.stack.append(opened)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None:
            self.page_title = _SPACE.sub(" ", "".join(self.title)).strip()
            self.title = None
            return
        if tag == "script" and self.script is not None:
            line, _ = self.json_ld[-1]
            self.json_ld[-1] = (line, "".join(self.script))
            self.script = None
        index = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i].tag == tag), None)
        if index is None:
            return
        if self.skip is not None:
            depth = self.skip[0]
            if index >= depth - 1:
                del self.stack[index:]
                if index == depth - 1:
                    self._end_skip()
                return
            del self.stack[depth - 1:]  # broken markup closed an ancestor: the skip ends too
            self._end_skip()
        while len(self.stack) > index:
            self._close(self.stack.pop())

    def _close(self, opened: _Open) -> None:
        tag = opened.tag
        if tag == "a":
            text = "".join(self.inline[opened.mark:]).strip()
            href = opened.href
            if text and href and not href.startswith(("#", "javascript:")) and text != href:
                self.inline[opened.mark:] = [f"[{text}]({href})"]
        elif tag in ("strong", "b", "em", "i", "code") and not self.pre:
            text = "".join(self.inline[opened.mark:])
            mark = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}[tag]
            if text.strip():
                self.inline[opened.mark:] = [f"{mark}{text.strip()}{mark}" + (" " if text.endswith(" ") else "")]
        if tag == "pre":
            code = "".join(self.inline).strip("\n")
            self.inline = []
            if code.strip():
                self._add(Block("code", code, self.inline_line or self.getpos()[0], lang=opened.href))
            self.pre -= 1
            return
        if tag in ("td", "th") and self.table is not None and self.table.cell is not None:
            self.table.rows[-1:] = self.table.rows[-1:] or [[]]
            parts = _SPACE.sub(" ", "".join(self.table.cell)).split(_CELL_BREAK)
            self.table.rows[-1].append(_CELL_BREAK.join(p.strip() for p in parts if p.strip()))
            self.table.cell = None
            return
        if tag == "tr" and self.table is not None:
            self.table.rows.append([])
            return
        if tag == "table" and self.table is not None:
            table, self.table = self.table, None
            self._add_table(table)
            return
        if tag in _BLOCK:
            self._flush(opened)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()

    # -- text --------------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        if self.title is not None:
            self.title.append(data)
            return
        if self.script is not None:
            self.script.append(data)
            return
        if self.skip is not None:
            self.skip[3].append(data)
            return
        if self.stack and self.stack[-1].tag in CODE_TAGS:
            return
        self._data(data)

    def _data(self, data: str) -> None:
        if self.table is not None and self.table.cell is not None:
            self.table.cell.append(data)
            return
        if self.table is not None:
            return
        if not self.pre:
            data = _SPACE.sub(" ", data)
            if not "".join(self.inline).strip():
                data = data.lstrip()
        if data and not self.inline_line and data.strip():
            self.inline_line = self.getpos()[0] + (len(data) - len(data.lstrip("\n")) if self.pre else 0)
        self.inline.append(data)

    def _flush(self, closing: _Open | None = None) -> None:
        if self.pre:
            return
        text = "".join(self.inline).strip()
        line = self.inline_line or self.getpos()[0]
        self.inline, self.inline_line = [], 0
        if not text:
            return
        tag = closing.tag if closing else next((o.tag for o in reversed(self.stack) if o.tag in _BLOCK), "p")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            if tag == "h1" and not self.h1:
                self.h1 = text
            self._add(Block("heading", text, line, level=int(tag[1])), closing)
        elif tag == "li":
            self._add(Block("item", text, line, level=max(0, len(self.lists) - 1),
                            ordered=bool(self.lists and self.lists[-1])), closing)
        elif tag == "blockquote":
            self._add(Block("quote", text, line), closing)
        else:
            self._add(Block("para", text, line), closing)

    def _add(self, block: Block, closing: _Open | None = None) -> None:
        if closing is not None and closing.role:
            block.role, block.group = closing.role, closing.group
        for opened in reversed(self.stack):
            if opened.role:
                block.role = block.role or opened.role
                block.group = block.group or opened.group
                if opened.tag in ("summary", "dt", "dd", "details"):
                    break
        self.doc.blocks.append(block)

    def _add_table(self, table: _Table) -> None:
        rows = [r for r in table.rows if any(c for c in r)]
        if not rows:
            return
        two = all(len(r) == 2 for r in rows)
        asks = [r for r in rows if two and is_question(r[0])]
        if two and len(asks) >= max(2, len(rows) - 1):  # a table of questions and answers
            for row in asks:
                self.groups += 1
                question = row[0].replace(_CELL_BREAK, " ")
                self._add(Block("para", question, table.line, role="question", group=self.groups))
                for part in row[1].split(_CELL_BREAK):
                    self._add(Block("para", part, table.line, role="answer", group=self.groups))
            return
        rows = [[c.replace(_CELL_BREAK, " ") for c in r] for r in rows]
        width = max(len(r) for r in rows)
        lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
        lines.insert(1, "|" + "---|" * width)
        self._add(Block("table", "\n".join(lines), table.line))

    # -- what is not content -----------------------------------------------------------------

    def _reason(self, tag: str, attrs: dict[str, str]) -> str:
        return skip_reason(tag, attrs, inside_content=any(o.tag in ("article", "main") for o in self.stack))

    def _end_skip(self) -> None:
        assert self.skip is not None
        _depth, reason, line, text = self.skip
        self.skip = None
        shown = _SPACE.sub(" ", "".join(text)).strip()
        if reason != "code" and sum(ch.isalnum() for ch in shown) >= 2:
            self.doc.dropped.append(Dropped(line, shown[:160], reason))

    def _details_group(self) -> int:
        for opened in reversed(self.stack):
            if opened.tag == "details":
                return opened.group
        self.groups += 1
        return self.groups


def read_html(text: str) -> Document:
    """Blocks of an HTML page (also a broken one), its title, what was left out, JSON-LD pairs."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    if parser.skip is not None:
        parser._end_skip()
    parser._flush()
    doc = parser.doc
    title = parser.h1 or _TITLE_SITE.sub("", parser.page_title)
    doc.title = _SPACE.sub(" ", title).strip()
    if parser.json_ld:
        for line, data in parser.json_ld:
            doc.pairs.extend(faq_pairs(data, line, text, read_html))
    return doc


def read_json_ld(text: str, path: str) -> Document:
    """A JSON(-LD) file holding a schema.org FAQPage."""
    return Document(pairs=faq_pairs(text, 1, text, read_html))
