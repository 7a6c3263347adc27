"""From sources to the files of a knowledge base: what to write, what to keep, and why.

``plan_import`` decides everything and writes nothing (``--dry-run`` stops there);
``apply_plan`` writes the new and changed files. Ids come from the manifest when a pair was
imported before, else from a fresh slug that no existing file has.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kb.content.files import read_text_file
from kb.errors import ContentError
from kb.importing.existing import MANIFEST, Existing, manifest_text, read_existing, sha256_of
from kb.importing.extract import extract, flag_duplicates, product_of
from kb.importing.flags import FLAGS
from kb.importing.languages import Unit, join_languages
from kb.importing.model import Extraction, Pair
from kb.importing.reading import Source
from kb.importing.slug import common_words, slug_for, words_of
from kb.importing.vocabulary import Term, find_acronyms, frequent_terms
from kb.importing.writing import (
    IMPORTED_TAG,
    render_entry,
    render_glossary,
    render_glossary_draft,
    render_kb_toml,
    render_tags,
    render_tags_draft,
    write_atomic,
)

WRITES = ("new", "updated")


@dataclass
class PlannedFile:
    """One file of the output folder and what the import does with it."""

    relative: str
    text: str
    status: str  # new | updated | unchanged | kept-edited | kept-removed
    entry_id: str = ""


@dataclass
class ImportPlan:
    out: Path
    extractions: list[Extraction]
    files: list[PlannedFile] = field(default_factory=list)
    entry_of: dict[int, str] = field(default_factory=dict)  # id(pair) -> entry id
    status_of: dict[str, str] = field(default_factory=dict)  # entry id -> status
    gone: dict[str, list[str]] = field(default_factory=dict)  # source -> ids no longer in it
    bilingual: int = 0
    glossary: list[Term] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return any(e.pairs for e in self.extractions)

    @property
    def writes(self) -> list[PlannedFile]:
        return [f for f in self.files if f.status in WRITES]


def plan_import(sources: list[Source], out: Path) -> ImportPlan:
    """Read every source (a SourceError stops it all) and plan the output folder."""
    extractions = [extract(source) for source in sources]
    plan = ImportPlan(out=out, extractions=extractions)
    if not plan.found:
        return plan
    existing = read_existing(out)
    names = {e.source for e in extractions}
    foreign = [(entry_id, lang, q) for entry_id, qs in existing.questions.items()
               if existing.owner_of(entry_id) not in names for lang, q in qs]
    pairs = [p for e in extractions for p in e.pairs]
    flag_duplicates(pairs, foreign)
    units, matched = join_languages([e.pairs for e in extractions])
    plan.bilingual = len(matched)
    ids = _assign_ids(units, extractions, existing)
    by_key = {(p.source, p.key): ids[i] for i, unit in enumerate(units) for p in unit.pairs}
    entry_by_pair = {id(p): ids[i] for i, unit in enumerate(units) for p in unit.pairs}
    texts: dict[str, list[str]] = {}
    for unit in units:
        for pair in unit.pairs:
            texts.setdefault(pair.source, []).append(f"{pair.question}\n{pair.answer}")
    products = {e.source: product_of(e.title, texts.get(e.source, ())) for e in extractions}
    tags_used: dict[str, tuple[str, str]] = {}
    for i, unit in enumerate(units):
        entry_id = ids[i]
        tags = _tags(unit, tags_used)
        related = [by_key[(p.source, k)] for p in unit.pairs for k in p.related_keys if (p.source, k) in by_key]
        primary = unit.texts.get("en") or unit.pairs[0]
        product = products.get(primary.source, "") or "General"
        flags = [f for f in FLAGS if any(f in p.flags for p in unit.pairs)]
        others = [p.duplicate_of if isinstance(p.duplicate_of, str) else entry_by_pair.get(id(p.duplicate_of), "")
                  for p in unit.pairs if p.duplicate_of is not None]
        text = render_entry(entry_id, unit.pairs, tags, list(dict.fromkeys(r for r in related if r != entry_id)),
                            [product], flags, [o for o in others if o and o != entry_id])
        for pair in unit.pairs:
            plan.entry_of[id(pair)] = entry_id
        owned = any(existing.sources.get(p.source, {}).get(p.key) == entry_id for p in unit.pairs)
        status = _status(existing, f"entries/{entry_id}.md", text) if owned else "new"
        plan.status_of[entry_id] = status
        plan.files.append(PlannedFile(f"entries/{entry_id}.md", text, status, entry_id))
    _plan_support_files(plan, existing, units, ids, tags_used)
    _plan_manifest(plan, existing, units, ids)
    return plan


def _assign_ids(units: list[Unit], extractions: list[Extraction], existing: Existing) -> list[str]:
    common = {e.source: common_words(p.question for p in e.pairs) for e in extractions}
    taken = set(existing.ids) | {i for keys in existing.sources.values() for i in keys.values()}
    used: set[str] = set()
    ids = []
    for n, unit in enumerate(units, 1):
        known = [existing.sources.get(p.source, {}).get(p.key) for p in unit.pairs]
        entry_id = next((k for k in known if k and k not in used), None)
        if entry_id is None:
            primary = unit.texts.get("en") or unit.pairs[0]
            entry_id = slug_for(primary.question, common.get(primary.source, set()), taken, fallback=f"q{n}")
        used.add(entry_id)
        ids.append(entry_id)
    return ids


def _tags(unit: Unit, used: dict[str, tuple[str, str]]) -> list[str]:
    """The unit's own tags from the source (a CSV column), else "imported"."""
    out = []
    for pair in unit.pairs:
        for label in pair.tags:
            tag_id = "-".join(words_of(label)) or f"tag-{len(used) + 1}"
            tag_id = "".join(c if c.isalnum() and c.isascii() else "-" for c in tag_id.lower()).strip("-")
            used.setdefault(tag_id, (label, label))
            if tag_id not in out:
                out.append(tag_id)
    if not out:
        used.setdefault(IMPORTED_TAG[0], IMPORTED_TAG[1:])
        out.append(IMPORTED_TAG[0])
    return out


def _status(existing: Existing, relative: str, text: str) -> str:
    state = existing.state_of(relative)
    if state == "missing":
        return "kept-removed" if relative in existing.hashes else "new"
    if state == "edited":
        return "kept-edited"
    current = read_text_file(existing.root / relative, ContentError, encoding="utf-8")
    return "unchanged" if current == text else "updated"


def _plan_support_files(plan: ImportPlan, existing: Existing, units: list[Unit], ids: list[str],
                        tags_used: dict[str, tuple[str, str]]) -> None:
    out = existing.root
    tags = sorted((t, ja, en) for t, (ja, en) in tags_used.items())
    if not (out / "tags.toml").exists():
        plan.files.append(PlannedFile("tags.toml", render_tags(tags, header=True), "new"))
    else:
        missing = [t for t in tags if t[0] not in existing.tags]
        if missing:
            current = read_text_file(out / "tags.toml", ContentError)
            plan.files.append(PlannedFile("tags.toml", current.rstrip("\n") + "\n" + render_tags(missing, False),
                                          "updated"))
    pairs = [p for unit in units for p in unit.pairs]
    acronyms = find_acronyms(pairs)
    certain = [t for t in acronyms if t.certain and t.names and t.id not in existing.glossary]
    state = existing.state_of("glossary.toml")
    if state == "missing":
        plan.glossary = certain
        plan.files.append(PlannedFile("glossary.toml", render_glossary(certain), "new"))
    elif state == "ours" and certain:  # a glossary an import wrote: add what this one evidences
        plan.glossary = certain
        current = read_text_file(out / "glossary.toml", ContentError)
        plan.files.append(PlannedFile("glossary.toml", current + render_glossary(certain).split("\n\n", 1)[1],
                                      "updated"))
    drafts = [t for t in acronyms if t not in plan.glossary and t.id not in existing.glossary]
    draft = render_glossary_draft(drafts, frequent_terms(pairs))
    plan.files.append(PlannedFile("glossary.draft.toml", draft, _status(existing, "glossary.draft.toml", draft)))
    tags_draft = render_tags_draft(_tag_suggestions(units, ids))
    plan.files.append(PlannedFile("tags.draft.toml", tags_draft, _status(existing, "tags.draft.toml", tags_draft)))
    if not (out / "kb.toml").exists():
        names: dict[str, str] = {}
        descriptions: dict[str, str] = {}
        for e in plan.extractions:
            for lang in sorted({p.lang for p in e.pairs}):
                names.setdefault(lang, e.title or Path(e.source).stem)
                count = sum(1 for p in pairs if p.lang == lang)
                descriptions.setdefault(lang, f"{e.source} から取り込んだ FAQ ({count} 件)" if lang == "ja"
                                        else f"FAQ imported from {e.source} ({count} entries)")
        plan.files.append(PlannedFile("kb.toml", render_kb_toml(names, descriptions, _examples(pairs)), "new"))


def _examples(pairs: list[Pair]) -> dict[str, str]:
    """A short question per language, for the app's question box and the empty-question hint:
    the shortest unflagged one of 8 characters or more (long ones overflow the box)."""
    found: dict[str, str] = {}
    for pair in sorted((p for p in pairs if not p.flags and len(p.question) >= 8), key=lambda p: len(p.question)):
        found.setdefault(pair.lang, pair.question)
    return {lang: text for lang, text in found.items() if len(text) <= 40}


def _tag_suggestions(units: list[Unit], ids: list[str]) -> list[tuple[str, str, list[str]]]:
    sections: dict[str, list[str]] = defaultdict(list)
    for unit, entry_id in zip(units, ids, strict=True):
        for pair in unit.pairs:
            if pair.section and entry_id not in sections[pair.section]:
                sections[pair.section].append(entry_id)
    suggestions = [("-".join(words_of(s)[:3]) or f"section-{n}", s, e) for n, (s, e) in enumerate(sections.items(), 1)]
    questions = [Pair(p.question, "", p.lang, p.line) for unit in units for p in unit.pairs]
    for term, _count in frequent_terms(questions, limit=8):
        entries = [i for unit, i in zip(units, ids, strict=True) if any(term in p.question for p in unit.pairs)]
        if len(entries) >= 2 and term not in sections:
            suggestions.append(("-".join(words_of(term)[:3]) or term.lower(), term, entries))
    return suggestions


def _plan_manifest(plan: ImportPlan, existing: Existing, units: list[Unit], ids: list[str]) -> None:
    sources = {s: dict(keys) for s, keys in existing.sources.items()}
    for e in plan.extractions:
        now = {p.key: plan.entry_of[id(p)] for p in e.pairs}
        before = sources.get(e.source, {})
        plan.gone[e.source] = sorted({i for k, i in before.items() if k not in now and i not in now.values()})
        sources[e.source] = {**{k: i for k, i in before.items() if k not in now}, **now}
    hashes = dict(existing.hashes)
    for f in plan.files:
        if f.status in WRITES:
            hashes[f.relative] = _sha_text(f.text)
    if not plan.writes:
        return  # nothing changes: the folder, manifest included, is left as it is
    text = manifest_text(sources, hashes)
    current = existing.root / MANIFEST
    status = "new" if not current.exists() else (
        "unchanged" if read_text_file(current, ContentError, encoding="utf-8") == text else "updated")
    plan.files.append(PlannedFile(MANIFEST, text, status))


def _sha_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def apply_plan(plan: ImportPlan) -> list[str]:
    """Write the plan's new and changed files (entries first, the manifest last).

    Returns the relative paths that could not be written because a file appeared meanwhile.
    """
    refused = []
    ordered = sorted(plan.writes, key=lambda f: (f.relative == MANIFEST, f.relative))
    for f in ordered:
        if not write_atomic(plan.out / f.relative, f.text, new=f.status == "new" and f.relative != MANIFEST):
            refused.append(f.relative)
    return refused


__all__ = ["ImportPlan", "PlannedFile", "apply_plan", "plan_import", "sha256_of"]
