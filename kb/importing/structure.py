"""Pairing questions with answers in a document's blocks, and recognising its question list.

Questions come from the markup when it says so (dt, summary, Q:/A: lines, a table of
questions), else from headings that read as questions, else from stand-alone lines that do.
An answer is everything up to the next question or section heading. A question that
reappears later with an answer (the list at the top of a FAQ page) is that list, not a pair.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kb.importing.flags import cut_off
from kb.importing.model import Block, Document, Dropped, Pair
from kb.importing.render import render_blocks
from kb.importing.text import (
    clean_question,
    ends_sentence,
    is_question,
    key_of,
    lang_of,
    similarity,
    strip_answer_mark,
    strip_question_mark,
)

SAME_QUESTION = 0.85  # bigram similarity at which two questions are the same question
TITLE_MAX = 100


@dataclass
class _Raw:
    question: Block
    answer: list[Block] = field(default_factory=list)
    section: str = ""
    key: str = ""


def pair_document(doc: Document, lang: str = "") -> tuple[list[Pair], list[Dropped], str]:
    """Pairs from a document's blocks (and its ready pairs), the pieces dropped, its title."""
    # A marker with nothing after it ("<dd>A.<p>answer</p>") marks the answer, and is not in it.
    blocks = [b for b in map(mark_block, doc.blocks) if not _bare_answer_mark(b)]
    questions = _question_blocks(blocks)
    dropped: list[Dropped] = []
    raws, preamble, orphans = _walk(blocks, questions)
    for raw in raws:
        raw.key = key_of(raw.question.text)
    raws = _drop_question_list(raws, preamble, dropped)
    title = doc.title or _title(preamble)
    for block in preamble:
        reason = "title" if title and key_of(block.text) == key_of(title) else (
            "toc" if any(similarity(key_of(block.text), r.key) >= SAME_QUESTION for r in raws) else
            "section" if block.kind == "heading" else "no-question")
        dropped.append(Dropped(block.line, _shown(block.text), reason))
    for block in orphans:
        dropped.append(Dropped(block.line, _shown(block.text), "section" if block.kind == "heading" else "no-question"))
    pairs: list[Pair] = []
    seen: dict[str, Pair] = {}
    for raw in raws:
        question = clean_question(raw.question.text)
        answer = render_blocks(raw.answer)
        if not question.strip():  # an empty <summary>, a <dt> of markup alone: no entry can ask ""
            if (answer or raw.question.text).strip():
                dropped.append(Dropped(raw.question.line, _shown(answer or raw.question.text), "no-question"))
            continue
        if raw.key in seen and seen[raw.key].answer == answer:
            dropped.append(Dropped(raw.question.line, _shown(question), "duplicate"))
            continue
        pair = Pair(question=question, answer=answer, lang=lang or lang_of(question + " " + answer[:400]),
                    line=raw.question.line, section=raw.section)
        if not answer.strip():
            pair.flags.append("no-answer")
        elif cut_off(raw.answer):
            pair.flags.append("truncated")
        seen.setdefault(raw.key, pair)
        pairs.append(pair)
    pairs = _merge_structured(doc.pairs, pairs, dropped, lang)
    return pairs, dropped, title


def mark_block(block: Block) -> Block:
    """A "Q:" line is a question and an "A:" line an answer, whatever the format."""
    if block.kind not in ("para", "heading"):
        return block
    text, asked = strip_question_mark(block.text)
    if asked and not block.role:
        return Block(block.kind, text, block.line, block.level, role="question", group=block.group)
    text, answered = strip_answer_mark(block.text)
    if answered and text and not block.role:
        return Block(block.kind, text, block.line, block.level, role="answer", group=block.group)
    return block


def _bare_answer_mark(block: Block) -> bool:
    if block.kind not in ("para", "heading") or not block.text.strip():
        return False
    text, answered = strip_answer_mark(block.text)
    return answered and not text.strip()


def _question_blocks(blocks: list[Block]) -> set[int]:
    """Indexes of the question blocks, by the most explicit structure the document has."""
    explicit = {i for i, b in enumerate(blocks) if b.role == "question"}
    headings = {i for i, b in enumerate(blocks) if b.kind == "heading" and is_question(b.text)}
    if explicit:
        return explicit | {i for i in headings if not blocks[i].group}
    if headings:
        return headings
    lines = {i for i, b in enumerate(blocks) if b.kind == "para" and "\n" not in b.text and is_question(b.text)}
    bold = {i for i in lines if blocks[i].text.startswith("**") and blocks[i].text.rstrip().endswith("**")}
    # Some questions in bold and others not: the plain ones are rhetorical, inside answers.
    return bold if len(bold) >= 2 else lines


def _walk(blocks: list[Block], questions: set[int]) -> tuple[list[_Raw], list[Block], list[Block]]:
    """Each question with the blocks after it; text before the first; text outside any answer."""
    q_levels = Counter(blocks[i].level for i in questions if blocks[i].kind == "heading")
    q_level = min(q_levels) if q_levels else 7
    raws: list[_Raw] = []
    preamble: list[Block] = []
    orphans: list[Block] = []
    current: _Raw | None = None
    section = ""
    for i, block in enumerate(blocks):
        if i in questions:
            current = _Raw(block, section=section)
            raws.append(current)
            continue
        if block.kind == "rule":  # a horizontal rule closes an answer: what follows is apart
            if not block.group:
                current = None
            continue
        if block.kind == "heading" and not block.group and (block.level <= q_level or current is None
                                                             or current.question.kind != "heading"):
            section = block.text
            current = None
            (preamble if not raws else orphans).append(block)
            continue
        if current is None:
            (preamble if not raws else orphans).append(block)
        elif current.question.group and block.group != current.question.group and block.role != "answer":
            orphans.append(block)  # after a <details> or a dt/dd group: outside its answer
        else:
            current.answer.append(block)
    return raws, preamble, orphans


def _drop_question_list(raws: list[_Raw], preamble: list[Block], dropped: list[Dropped]) -> list[_Raw]:
    """Questions without an answer that are asked again later, with one: the list at the top."""
    kept = []
    for i, raw in enumerate(raws):
        if _listed(raw) and any(similarity(raw.key, later.key) >= SAME_QUESTION and later.answer
                                for later in raws[i + 1:]):
            dropped.append(Dropped(raw.question.line, _shown(clean_question(raw.question.text)), "toc"))
            dropped.extend(Dropped(b.line, _shown(b.text), "toc") for b in raw.answer)
            continue
        kept.append(raw)
    return kept


def _listed(raw: _Raw) -> bool:
    """No answer, or only the list's own lines after it: chapter titles ("2. Care"), not sentences."""
    return all(b.kind in ("para", "item", "heading") and "\n" not in b.text and len(b.text) <= TITLE_MAX
               and not ends_sentence(b.text) for b in raw.answer)


def _title(preamble: list[Block]) -> str:
    for block in preamble:
        text = block.text.strip()
        if not key_of(text):  # "==========" over a title: punctuation only
            continue
        if block.kind == "heading" or (block.kind == "para" and len(text) <= TITLE_MAX
                                       and not ends_sentence(text) and not is_question(text)):
            return text
    return ""


def _merge_structured(structured: list[Pair], pairs: list[Pair], dropped: list[Dropped], lang: str) -> list[Pair]:
    """JSON-LD pairs first; a visible copy of one of them is reported, not imported twice."""
    if not structured:
        return pairs
    keys = [key_of(p.question) for p in structured]
    out = []
    for pair in structured:
        pair.lang = lang or pair.lang
        if not pair.answer.strip():
            pair.flags.append("no-answer")
    for pair in pairs:
        key = key_of(pair.question)
        match = next((i for i, k in enumerate(keys) if similarity(k, key) >= SAME_QUESTION), None)
        if match is None:
            out.append(pair)
            continue
        structured[match].line = pair.line  # where a reader finds it on the page
        dropped.append(Dropped(pair.line, _shown(pair.question), "structured"))
    return structured + out


def _shown(text: str) -> str:
    text = text.replace("\n", " ").strip()
    return text if len(text) <= 160 else text[:157] + "..."
