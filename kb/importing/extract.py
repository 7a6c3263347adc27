"""One source, read and taken apart: its pairs (with doubts flagged) and every dropped piece."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.importing.flags import cut_off_text
from kb.importing.junk import drop_junk
from kb.importing.model import Extraction, Pair
from kb.importing.reading import Source, read_document
from kb.importing.structure import mark_block, pair_document
from kb.importing.text import key_of, similarity

# Bigram similarity of two questions' keys: 0.89 for "renew a/my certificate", while different
# questions worded alike ("make scripts executable" / "make an executable from a script") stay below.
NEAR_DUPLICATE = 0.88


def extract(source: Source) -> Extraction:
    """Read ``source`` (SourceError when it cannot be read) and find its Q/A pairs."""
    doc = read_document(source)
    result = Extraction(source=source.name, notes=list(doc.notes), lang=source.lang)
    dropped = list(doc.dropped)
    for pair in doc.pairs:  # made by the source's own structure (CSV rows, JSON-LD)
        pair.lang = source.lang or pair.lang
        if not pair.answer.strip():
            pair.flags.append("no-answer")
        elif not pair.related_keys and cut_off_text(pair.answer.strip().split("\n\n")[-1]):
            pair.flags.append("truncated")
    if doc.blocks:
        doc.blocks, junk = drop_junk([mark_block(b) for b in doc.blocks])
        dropped += junk
        pairs, more, title = pair_document(doc, source.lang)
        dropped += more
    else:
        pairs, title = doc.pairs, doc.title
    result.title = title
    seen: dict[str, int] = {}
    for pair in pairs:
        pair.source = source.name
        key = pair.key or "q:" + key_of(pair.question)
        seen[key] = seen.get(key, 0) + 1
        pair.key = key if seen[key] == 1 else f"{key}#{seen[key]}"
    result.pairs = pairs
    result.dropped = sorted(dropped, key=lambda d: d.line)
    if not result.lang and pairs and len({p.lang for p in pairs}) == 1:
        result.lang = pairs[0].lang
    return result


def flag_duplicates(pairs: list[Pair], existing: list[tuple[str, str, str]]) -> None:
    """Flag pairs asking what an earlier pair, or an existing entry (id, lang, question), asks.

    The same question without spaces and punctuation is a duplicate; one differing by a word
    or two ("renew a certificate" / "renew my certificate") is a near duplicate.
    """
    earlier: list[tuple[object, str, str]] = [(entry_id, lang, key_of(q)) for entry_id, lang, q in existing]
    for pair in pairs:
        key = key_of(pair.question)
        for other_pair, lang, other in earlier:
            if lang != pair.lang:
                continue
            if other == key or similarity(key, other) >= NEAR_DUPLICATE:
                _add(pair, "duplicate" if other == key else "near-duplicate")
                pair.duplicate_of = other_pair
                break
        earlier.append((pair, pair.lang, key))


def _add(pair: Pair, flag: str) -> None:
    if flag not in pair.flags:
        pair.flags.append(flag)


_PRODUCT = re.compile(r"^[A-Z0-9][\w'’.+/-]*(?:\s+[A-Z0-9][\w'’.+/-]*)*")
_FAQ_WORDS = re.compile(r"\b(?:faqs?|q\s*&\s*a|frequently asked questions|questions|general|help|support|"
                        r"documentation|docs|wiki|about|using|the|guide)\b|よくある(?:ご)?質問|質問集|ＦＡＱ|一般",
                        re.I)


def product_of(title: str, texts: Sequence[str] = ()) -> str:
    """A product name from a page title ("Hyper-V ライブ マイグレーションの FAQ" -> "Hyper-V"), or "".

    Given the source's ``texts`` (its questions and answers), the name must be one they use:
    "Team shell FAQ" names no product ("Team" is in no answer), "Debian GNU/Linux FAQ" does
    when its answers say "Debian" (the longest leading words the texts use are kept).
    """
    stripped = re.sub(r"\s+", " ", _FAQ_WORDS.sub(" ", title)).strip(" -–—:|")
    match = _PRODUCT.match(stripped)
    name = match.group().strip() if match else ""
    if not texts or not name:
        return name
    words = name.split()
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        used = re.compile(rf"(?<![\w-]){re.escape(candidate)}(?![\w-])")
        if sum(1 for text in texts if used.search(text)) >= min(2, len(texts)):
            return candidate
    return ""
