"""DOCX (a zip of WordprocessingML) as blocks, with the stdlib: paragraphs, heading styles, lists.

Headings come from the paragraph style (its name in styles.xml: "heading 1", "Title") or an
outline level; list paragraphs from numbering properties; links from the relationships.
The "line" of a block is its paragraph number in the document.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from kb.errors import SourceError
from kb.importing.model import Block, Document

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HEADING = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.I)
# Decompressed size allowed for document.xml: a zip bomb must not fill memory.
MAX_XML_BYTES = 64 * 1024 * 1024


def read_docx(data: bytes, path: str) -> Document:
    """Blocks of a Word document; the Title style (or first heading) becomes the title."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        if any(n.startswith("xl/") for n in names):
            raise SourceError("spreadsheets are not supported: export the sheet as CSV", path=path,
                              ja="スプレッドシートは読み込めません。CSV で書き出してください")
        raise SourceError("a zip archive that is not a DOCX document", path=path,
                          ja="DOCX 文書ではない zip アーカイブです")
    styles = _style_levels(_xml(archive, "word/styles.xml", path)) if "word/styles.xml" in names else {}
    links = _links(_xml(archive, "word/_rels/document.xml.rels", path)) \
        if "word/_rels/document.xml.rels" in names else {}
    root = _xml(archive, "word/document.xml", path)
    doc = Document()
    body = root.find(f"{_W}body")
    number = 0
    for element in list(body) if body is not None else []:
        if element.tag == f"{_W}p":
            number += 1
            block = _paragraph(element, number, styles, links)
            if block is None:
                continue
            if block.kind == "heading" and (block.level == 0 or not doc.title):
                doc.title = doc.title or block.text
                block.level = max(block.level, 1)
            doc.blocks.append(block)
        elif element.tag == f"{_W}tbl":
            number += 1
            rows = [[_text(cell, links) for cell in row.iter(f"{_W}tc")] for row in element.iter(f"{_W}tr")]
            rows = [r for r in rows if any(r)]
            if rows:
                width = max(len(r) for r in rows)
                lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
                lines.insert(1, "|" + "---|" * width)
                doc.blocks.append(Block("table", "\n".join(lines), number))
    return doc


def _xml(archive: zipfile.ZipFile, name: str, path: str) -> ET.Element:
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise SourceError(f"{name} is too big to be a FAQ", path=path, ja=f"{name} が FAQ としては大きすぎます")
    try:
        return ET.fromstring(archive.read(name))
    except ET.ParseError as exc:
        raise SourceError(f"damaged DOCX: {name} is not valid XML ({exc})", path=path,
                          ja=f"DOCX が壊れています: {name} が有効な XML ではありません ({exc})") from None


def _style_levels(styles: ET.Element) -> dict[str, int]:
    """Style id -> heading level (0 for the Title style)."""
    levels = {}
    for style in styles.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId", "")
        name_el = style.find(f"{_W}name")
        name = name_el.get(f"{_W}val", "") if name_el is not None else ""
        match = _HEADING.match(name.strip()) or _HEADING.match(style_id)
        if match:
            levels[style_id] = int(match.group(1))
        elif name.strip().lower() in ("title", "表題") or style_id == "Title":
            levels[style_id] = 0
    return levels


def _links(rels: ET.Element) -> dict[str, str]:
    return {r.get("Id", ""): r.get("Target", "") for r in rels.iter(f"{_REL}Relationship")
            if r.get("Type", "").endswith("/hyperlink")}


def _paragraph(p: ET.Element, number: int, styles: dict[str, int], links: dict[str, str]) -> Block | None:
    text = _text(p, links).strip()
    if not text:
        return None
    props = p.find(f"{_W}pPr")
    style = ""
    outline = None
    listed = level = 0
    if props is not None:
        style_el = props.find(f"{_W}pStyle")
        style = style_el.get(f"{_W}val", "") if style_el is not None else ""
        outline_el = props.find(f"{_W}outlineLvl")
        if outline_el is not None and outline_el.get(f"{_W}val", "").isdigit():
            outline = int(outline_el.get(f"{_W}val", "0")) + 1
        numbering = props.find(f"{_W}numPr")
        if numbering is not None:
            listed = 1
            ilvl = numbering.find(f"{_W}ilvl")
            level = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None and ilvl.get(f"{_W}val", "0").isdigit() else 0
    if style in styles:
        return Block("heading", text, number, level=styles[style])
    if outline is not None and outline <= 6:
        return Block("heading", text, number, level=outline)
    if listed or "List" in style:
        return Block("item", text, number, level=level, ordered="Number" in style)
    return Block("para", text, number)


def _text(element: ET.Element, links: dict[str, str]) -> str:
    """The runs of a paragraph (or table cell) as Markdown inline text."""
    out: list[str] = []
    for child in element.iter():
        if child.tag == f"{_W}hyperlink":
            target = links.get(child.get(f"{_R}id", ""), "")
            label = "".join(t.text or "" for t in child.iter(f"{_W}t"))
            out.append(f"[{label}]({target})" if target and label else label)
            for t in child.iter(f"{_W}t"):
                t.text = ""  # written once, as the link
        elif child.tag == f"{_W}t":
            out.append(child.text or "")
        elif child.tag == f"{_W}tab":
            out.append("\t")
        elif child.tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif child.tag == f"{_W}p" and child is not element and out and not out[-1].endswith("\n"):
            out.append("\n")
    return "".join(out)
