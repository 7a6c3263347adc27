"""The on-disk Whoosh index: schema, build, and a content-keyed cache that heals itself."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from kb.analysis import (
    ANALYSIS_VERSION,
    EN_STOP,
    BigramTokenizer,
    MorphTokenizer,
    english_terms,
    morph_terms,
    normalize,
)
from kb.entry import Entry, GlossaryTerm
from kb.load import KnowledgeBase

INDEX_VERSION = f"2.{ANALYSIS_VERSION}"
_READY = "READY"


def make_schema() -> Schema:
    """Fields by language and by source; their weights are tuned on tests/data/eval.jsonl."""
    morph = MorphTokenizer()
    bigram = BigramTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        tags=KEYWORD(stored=True, commas=True, scorable=False),
        concepts=KEYWORD(scorable=True),
        q_ja=TEXT(analyzer=morph, field_boost=3.0),
        q_en=TEXT(analyzer=StemmingAnalyzer(stoplist=EN_STOP), field_boost=3.0),
        alt_ja=TEXT(analyzer=morph, field_boost=2.0),
        alt_en=TEXT(analyzer=StemmingAnalyzer(stoplist=EN_STOP), field_boost=2.0),
        body_ja=TEXT(analyzer=morph, field_boost=1.0),
        body_en=TEXT(analyzer=StemmingAnalyzer(stoplist=EN_STOP), field_boost=1.0),
        bigram=TEXT(analyzer=bigram, field_boost=0.5),
        title_ja=STORED(),
        title_en=STORED(),
        phrasings=STORED(),
    )


def concepts_in(text: str, glossary: dict[str, GlossaryTerm]) -> list[str]:
    """Glossary term ids whose spellings occur in the text: one concept, any language or spelling."""
    norm = normalize(text)
    compact = norm.replace(" ", "")
    return [term_id for term_id, keys in _spellings(glossary) if any(_contains(norm, compact, k) for k in keys)]


_SPELLINGS: dict[int, tuple[Any, list[tuple[str, tuple[str, ...]]]]] = {}


def _spellings(glossary: dict[str, GlossaryTerm]) -> list[tuple[str, tuple[str, ...]]]:
    """Each term's normalized spellings, computed once per glossary object."""
    cached = _SPELLINGS.get(id(glossary))
    if cached is None or cached[0] is not glossary:
        table = [(t.id, tuple(normalize(n) for n in t.synonyms)) for t in glossary.values()]
        cached = _SPELLINGS[id(glossary)] = (glossary, table)
    return cached[1]


def phrase_features(text: str, glossary: dict[str, GlossaryTerm]) -> list[str]:
    """What a question or phrasing is about: ``@concept`` keys, then its other content words.

    Words that only spell out a glossary concept are absorbed by it, so "live migration"
    counts once, the same in Japanese and English.
    """
    norm = normalize(text)
    concepts = concepts_in(text, glossary)
    absorbed = {w for c in concepts for name in glossary[c].synonyms for w in content_words(normalize(name))}
    words = [w for w in dict.fromkeys(content_words(norm)) if w not in absorbed]
    return [f"@{c}" for c in concepts] + words


def content_words(norm: str) -> list[str]:
    """Content words of normalized text: Japanese morphemes and English stems."""
    out = morph_terms(norm)
    out.extend(t for t in english_terms(norm) if t.isascii())
    return out


def _contains(norm: str, compact: str, key: str) -> bool:
    if not key:
        return False
    if key.isascii():
        # Latin names match whole words only ("lm" must not hit "film").
        start = norm.find(key)
        while start >= 0:
            end = start + len(key)
            before = norm[start - 1] if start else " "
            after = norm[end] if end < len(norm) else " "
            if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
                return True
            start = norm.find(key, start + 1)
        return False
    return key.replace(" ", "") in compact


def entry_document(entry: Entry, glossary: dict[str, GlossaryTerm]) -> dict[str, Any]:
    ja, en = entry.localized("ja"), entry.localized("en")
    all_text = "\n".join([ja.question, *ja.alternates, ja.answer, en.question, *en.alternates, en.answer])
    return {
        "id": entry.id,
        "tags": ",".join(entry.tags),
        "concepts": " ".join(concepts_in(all_text, glossary)),
        "q_ja": ja.question,
        "q_en": en.question,
        "alt_ja": "\n".join(ja.alternates),
        "alt_en": "\n".join(en.alternates),
        "body_ja": ja.answer,
        "body_en": en.answer,
        "bigram": "\n".join([ja.question, *ja.alternates, ja.answer]),
        "title_ja": ja.question,
        "title_en": en.question,
        # Each way of asking, analysed once here, so `ask` can compare a question with
        # the closest phrasing without re-analysing content per query.
        "phrasings": [phrase_features(p, glossary)
                      for p in (ja.question, *ja.alternates, en.question, *en.alternates)],
    }


@dataclass
class IndexInfo:
    """What opening the index did, for `faq index` and for warnings."""

    path: Path | None
    built: bool
    seconds: float
    documents: int
    warning: str | None = None


def cache_key(kb: KnowledgeBase) -> str:
    return f"{INDEX_VERSION}-{kb.digest[:16]}"


def open_index(kb: KnowledgeBase, cache_dir: Path | None, rebuild: bool = False) -> tuple[Any, IndexInfo]:
    """Open the cached index for this content, building it when missing, stale or broken.

    When the cache folder cannot be written, the index is built in memory and the
    returned info carries a warning instead of failing.
    """
    start = time.perf_counter()
    if cache_dir is None:
        return _build_in_memory(kb, start, None)
    target = cache_dir / f"index-{cache_key(kb)}"
    if not rebuild:
        ix = _try_open(target)
        if ix is not None:
            return ix, IndexInfo(target, False, time.perf_counter() - start, ix.doc_count())
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        ix = _build_on_disk(kb, cache_dir, target, rebuild)
    except OSError as exc:
        return _build_in_memory(kb, start, f"index cache {cache_dir} is not writable ({exc.strerror or exc}); "
                                           "using an in-memory index")
    _remove_stale(cache_dir, keep=target)
    return ix, IndexInfo(target, True, time.perf_counter() - start, ix.doc_count())


def _try_open(target: Path) -> Any | None:
    if not (target / _READY).exists():
        return None
    try:
        ix = whoosh_index.open_dir(str(target))
        # Touch the segment files now, so a truncated or missing one is caught here.
        with ix.searcher() as searcher:
            searcher.doc_count()
            for _ in searcher.lexicon("id"):
                pass
        return ix
    except Exception:  # noqa: BLE001 - any failure to read a cache means "rebuild it"
        return None


def _build_on_disk(kb: KnowledgeBase, cache_dir: Path, target: Path, rebuild: bool) -> Any:
    # Build beside the target and rename into place: a reader never sees half an index,
    # and two processes building at once each finish; the first rename wins.
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=cache_dir))
    try:
        ix = whoosh_index.create_in(str(tmp), make_schema())
        _write(ix, kb)
        (tmp / _READY).write_text(INDEX_VERSION)
        if rebuild and target.exists():
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.rename(tmp, target)
        except OSError:
            if _try_open(target) is None:
                shutil.rmtree(target, ignore_errors=True)
                os.rename(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    opened = _try_open(target)
    if opened is None:
        raise OSError("index could not be reopened after building")
    return opened


def _build_in_memory(kb: KnowledgeBase, start: float, warning: str | None) -> tuple[Any, IndexInfo]:
    ix = RamStorage().create_index(make_schema())
    _write(ix, kb)
    return ix, IndexInfo(None, True, time.perf_counter() - start, ix.doc_count(), warning)


def _write(ix: Any, kb: KnowledgeBase) -> None:
    writer = ix.writer(limitmb=256)
    try:
        for entry in kb.entries.values():
            writer.add_document(**entry_document(entry, kb.glossary))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _remove_stale(cache_dir: Path, keep: Path) -> None:
    for old in cache_dir.glob("index-*"):
        if old != keep:
            with contextlib.suppress(OSError):
                shutil.rmtree(old)
