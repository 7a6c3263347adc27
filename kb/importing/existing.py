"""What an output folder already holds: its entries, their questions, and the import manifest.

The manifest (``imports.json``) records, per source file name, which entry each imported
pair became and a hash of each file as it was written, so importing the same source again
updates what it made and leaves alone what a person has edited since.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.content.files import read_limited, read_text_file
from kb.content.load import split_front_matter
from kb.errors import ContentError, KbError

MANIFEST = "imports.json"
MANIFEST_VERSION = 1


@dataclass
class Existing:
    """The output folder before the import."""

    root: Path
    ids: set[str] = field(default_factory=set)
    questions: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> [(lang, question)]
    sources: dict[str, dict[str, str]] = field(default_factory=dict)  # source -> {pair key: id}
    hashes: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 as written
    tags: set[str] = field(default_factory=set)
    glossary: set[str] = field(default_factory=set)

    def owner_of(self, entry_id: str) -> str | None:
        """The source an entry was imported from, if this tool made it."""
        return next((s for s, keys in self.sources.items() if entry_id in keys.values()), None)

    def state_of(self, relative: str) -> str:
        """"missing", "ours" (as written by an import) or "edited" (changed, or not ours)."""
        path = self.root / relative
        if not path.exists():
            return "missing"
        return "ours" if self.hashes.get(relative) == sha256_of(path) else "edited"


def sha256_of(path: Path) -> str:
    try:
        return hashlib.sha256(read_limited(path)).hexdigest()
    except (OSError, KbError):
        return ""


def read_existing(root: Path) -> Existing:
    """The folder's entries and manifest; a folder that does not exist yet is empty."""
    found = Existing(root)
    entries = root / "entries"
    if entries.is_dir():
        for path in sorted(entries.glob("*.md")):
            found.ids.add(path.stem)
            found.questions[path.stem] = _questions(path)
    manifest = _load(root / MANIFEST)
    for source, data in (manifest.get("sources") or {}).items():
        if isinstance(data, dict) and isinstance(data.get("entries"), dict):
            found.sources[str(source)] = {str(k): str(v) for k, v in data["entries"].items()}
    files = manifest.get("files") or {}
    if isinstance(files, dict):
        found.hashes = {str(k): str(v) for k, v in files.items()}
    found.tags = _tag_ids(root / "tags.toml")
    found.glossary = _tag_ids(root / "glossary.toml")
    return found


def _questions(path: Path) -> list[tuple[str, str]]:
    try:
        meta, _body, _line = split_front_matter(read_text_file(path, ContentError), str(path))
    except ContentError:
        return []
    out = []
    for lang in ("ja", "en"):
        table = meta.get(lang)
        if isinstance(table, dict) and isinstance(table.get("question"), str):
            out.append((lang, table["question"]))
    return out


def _tag_ids(path: Path) -> set[str]:
    """The table names of a TOML file (tags.toml, glossary.toml); none when it is unreadable."""
    import tomllib

    try:
        return set(tomllib.loads(read_text_file(path)))
    except (KbError, tomllib.TOMLDecodeError, RecursionError):
        return set()


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_text_file(path, encoding="utf-8"))
    except (KbError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def manifest_text(sources: dict[str, dict[str, str]], hashes: dict[str, str]) -> str:
    """The manifest as written: sorted, so an unchanged import writes the same bytes."""
    data = {"version": MANIFEST_VERSION, "written_by": "faq import",
            "sources": {s: {"entries": dict(sorted(keys.items()))} for s, keys in sorted(sources.items())},
            "files": dict(sorted(hashes.items()))}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
