"""Shared by the import tests: the fixtures, their expected pairs, and scoring an import against them.

Each fixture ``tests/data/import/NAME.EXT`` has ``NAME.expected.json`` beside it:
``{"facts_from", "layout", "pairs": [{"question", "answer_has": [...], "flags": [...]}],
"junk": [...]}``. A pair is recovered when an imported entry asks the same question (compared
without spaces and punctuation), its answer holds every ``answer_has`` piece, and it carries
exactly the expected doubt flags ("truncated", "no-answer").
"""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from kb.importing.plan import ImportPlan, plan_import
from kb.importing.reading import parse_source

DATA = Path(__file__).parent / "data" / "import"
DOUBTS = {"truncated", "no-answer"}


@dataclass
class Imported:
    id: str
    question: str
    answer: str
    lang: str
    flags: list[str]


def expected_for(fixture: Path) -> dict:
    name = fixture.name.split(".")[0]
    return json.loads((fixture.parent / f"{name}.expected.json").read_text(encoding="utf-8"))


def fixtures() -> list[Path]:
    """Every fixture with an expected-pairs file (DOCX ones are built from their spec first)."""
    found = []
    for expected in sorted(DATA.glob("*.expected.json")):
        name = expected.name.split(".")[0]
        sources = [p for p in DATA.glob(f"{name}.*") if not p.name.endswith(".json")]
        spec = DATA / f"{name}.docx.json"
        if spec.exists():
            sources = [spec]
        found.extend(sources)
    return found


def imported(plan: ImportPlan) -> list[Imported]:
    return [Imported(plan.entry_of[id(p)], p.question, p.answer, p.lang, list(p.flags))
            for e in plan.extractions for p in e.pairs]


def import_dry(paths: list[str | Path], out: Path) -> ImportPlan:
    return plan_import([parse_source(str(p)) for p in paths], out)


def key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def score(entries: list[Imported], expected: dict) -> tuple[int, list[str]]:
    """How many expected pairs were recovered, and what went wrong with the others."""
    by_question = {key(e.question): e for e in entries}
    recovered, misses = 0, []
    for want in expected["pairs"]:
        got = by_question.get(key(want["question"]))
        if got is None:
            misses.append(f"missing: {want['question']}")
            continue
        answer = squash(got.answer)
        absent = [piece for piece in want.get("answer_has", []) if squash(piece) not in answer]
        flags = set(got.flags) & DOUBTS
        if absent:
            misses.append(f"{want['question']}: answer lacks {absent}")
        elif flags != set(want.get("flags", [])) & DOUBTS:
            misses.append(f"{want['question']}: flags {sorted(flags)}, expected {want.get('flags', [])}")
        else:
            recovered += 1
    return recovered, misses


def build_docx(spec_path: Path, target: Path) -> Path:
    """A DOCX from a JSON spec ``{"title", "paragraphs": [[style, text], ...]}`` (zipfile + XML)."""
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    body = []
    for style, text in spec["paragraphs"]:
        props = ""
        if style.startswith("Heading") or style == "Title":
            props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        elif style == "List":
            props = '<w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        runs = "".join(f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>' if i % 2 == 0 else
                       f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(part)}</w:t></w:r>'
                       for i, part in enumerate(text.split("**")))
        body.append(f"<w:p>{props}{runs}</w:p>")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>{"".join(body)}</w:body></w:document>'
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles {ns}>'
              '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
              + "".join(f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/></w:style>'
                        for n in range(1, 4))
              + '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>'
              "</w:styles>")
    content_types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                     "</Types>")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/styles.xml", styles)
    return target
