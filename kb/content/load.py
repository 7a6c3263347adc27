"""Find, read and validate the content folder: entries, glossary and tags."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.content import files
from kb.content.entry import LANGS, Entry, GlossaryTerm, Localized, Tag
from kb.content.files import file_stat
from kb.content.front_matter import line_of, quoted_lines, split_front_matter
from kb.content.profile import PROFILE_FILE, Profile, parse_profile
from kb.content.quiz_parse import parse_quiz
from kb.content.vocabulary import parse_glossary, parse_tags
from kb.errors import ContentError

_SECTION = re.compile(r"^<!--\s*(ja|en)\s*-->\s*$", re.MULTILINE)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ENTRY_KEYS = {"id", "tags", "related", "applies_to", "checks", "ja", "en", "quiz", "flags"}
# A draft (flags = ["draft"], from `faq gaps draft`) may leave a language's question and the
# answers empty: it loads, and lint warns until the author has written it.
DRAFT = "draft"
_LANG_KEYS = {"question", "alternates"}


@dataclass
class KnowledgeBase:
    """Everything loaded from one content folder, and what was wrong with it."""

    root: Path
    # A dict, or entries read on demand from the content store (kb.content.stored).
    entries: Mapping[str, Entry] = field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    problems: list[ContentError] = field(default_factory=list)
    digest: str = ""
    profile: Profile = field(default_factory=Profile)

    def entries_with_tag(self, tag: str | None) -> list[Entry]:
        return [e for e in self.entries.values() if tag is None or tag in e.tags]

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the content is written in: kb.toml's name, else the entries'."""
        named = [lang for lang in LANGS if lang in self.profile.name]
        if named:
            return tuple(named)
        stored = getattr(self.entries, "languages", None)
        used = set(stored) if stored is not None else {lang for e in self.entries.values() for lang in e.text}
        return tuple(lang for lang in LANGS if lang in used) or LANGS

    def applies_values(self) -> set[str]:
        """Every ``applies_to`` value of any entry (kept in the store: no entry is decoded)."""
        stored = getattr(self.entries, "applies", None)
        return set(stored) if stored is not None else {a for e in self.entries.values() for a in e.applies_to}

    def applies_to(self, entry_id: str) -> tuple[str, ...]:
        """One entry's ``applies_to`` (empty for an unknown id), without decoding a stored entry."""
        stored = getattr(self.entries, "applies_to", None)
        if stored is not None:
            return tuple(stored(entry_id))
        entry = self.entries.get(entry_id)
        return entry.applies_to if entry is not None else ()


def resolve_data_dir(explicit: Path | None, env: Mapping[str, str]) -> Path:
    """The content folder: ``--data``, else ``$FAQ_DATA``, else the checkout's, else the bundled copy."""
    if explicit is not None:
        return explicit
    if env.get("FAQ_DATA"):
        return Path(env["FAQ_DATA"])
    package = Path(__file__).resolve().parent.parent  # kb/
    checkout = package.parent / "faq_data"
    if (checkout / "entries").is_dir():
        return checkout
    return package / "_data"


def read_profile(root: Path) -> Profile:
    """Only kb.toml (its name and description, for `--help` and the app's title); defaults
    when missing or broken: `faq lint` is where its problems are reported."""
    try:
        text = files.read_limited(root / PROFILE_FILE, error=ContentError).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ContentError):
        return Profile()
    return parse_profile(text, str(root / PROFILE_FILE), [])


def load_kb(root: Path, known_checks: Iterable[str] | None = None) -> KnowledgeBase:
    """Load every entry, the glossary and the tags; collect problems instead of stopping.

    Entries with problems in their own file are left out; cross-entry problems
    (unknown related id, duplicate id) are reported and the entry is kept.
    """
    return load_files(root, known_checks).kb


@dataclass
class FileResult:
    """One entry file as parsed on its own: its problems, its entry, what it was on disk."""

    folder: Path
    name: str  # in ``folder``: the path is made only when asked for (10,000 files after an edit)
    stat: str | None = None  # its stat line before it was read (kb.content.refresh)
    sha: str | None = None  # the digest of its bytes; None when not read
    entry_id: str | None = None
    related: tuple[str, ...] = ()
    problems: list[ContentError] = field(default_factory=list)
    entry: Entry | None = None  # None for an entry kept in the content store
    kept: bool = False  # taken from the content store as it was, not parsed (kb.content.refresh)

    @property
    def path(self) -> Path:
        return self.folder / self.name

    @property
    def stem(self) -> str:
        """``path.stem`` (pathlib's rule: a leading dot starts no suffix)."""
        dot = self.name.rfind(".")
        return self.name[:dot] if 0 < dot < len(self.name) - 1 else self.name


@dataclass
class Loaded:
    """A knowledge base with how each file was parsed, for the content store."""

    kb: KnowledgeBase
    results: list[FileResult] | None = None  # None: no entries/ folder
    accepted: list[FileResult] = field(default_factory=list)  # the entries', in content order
    top: list[tuple[str, str]] = field(default_factory=list)  # kb.toml, tags, glossary: name, sha
    top_problems: int = 0
    known_tags: set[str] | None = None  # what entries' tags are checked against (None: not checked)


def load_files(root: Path, known_checks: Iterable[str] | None = None) -> Loaded:
    """``load_kb`` with each file's own result kept."""
    if known_checks is None:
        from kb.checks.registry import known_ids

        known_checks = known_ids()
    kb = KnowledgeBase(root=root)
    if not (root / "entries").is_dir():
        kb.problems.append(files.not_a_knowledge_base(root))
        return Loaded(kb)
    loaded = Loaded(kb)
    known_tags = load_top(loaded)
    paths = entry_paths(root)
    checks = set(known_checks)
    results = [parse_file(path, known_tags, checks) for path in paths]
    finish(loaded, results)
    loaded.kb.entries = {r.entry_id: r.entry for r in loaded.accepted if r.entry_id and r.entry}
    return loaded


def entry_paths(root: Path) -> list[Path]:
    """Every ``entries/*.md`` in name order (what ``sorted(glob("*.md"))`` gives, without
    comparing 10,000 Path objects)."""
    folder = root / "entries"
    try:
        with os.scandir(folder) as listing:
            names = sorted(e.name for e in listing if e.name.endswith(".md"))
    except OSError:
        return []
    return [folder / name for name in names]


def load_top(loaded: Loaded) -> set[str] | None:
    """kb.toml, the tags and the glossary into ``loaded.kb``; returns the known tags (None:
    entries are not checked against tags.toml)."""
    kb, root = loaded.kb, loaded.kb.root
    if (root / PROFILE_FILE).is_file():
        profile_text = _read(root / PROFILE_FILE, kb.problems, loaded.top)
        if profile_text is not None:
            kb.profile = parse_profile(profile_text, str(root / PROFILE_FILE), kb.problems)
    tags_text = _read(root / "tags.toml", kb.problems, loaded.top)
    glossary_text = _read(root / "glossary.toml", kb.problems, loaded.top)
    before = len(kb.problems)
    if tags_text is not None:
        kb.tags = parse_tags(tags_text, str(root / "tags.toml"), kb.problems)
    # A missing or broken tags.toml is its own one problem: entries are not checked against
    # it (else every tagged entry would be dropped as using an unknown tag).
    known_tags = set(kb.tags) if tags_text is not None and (len(kb.problems) == before or kb.tags) else None
    if glossary_text is not None:
        kb.glossary = parse_glossary(glossary_text, str(root / "glossary.toml"), kb.problems)
    loaded.top_problems = len(kb.problems)
    loaded.known_tags = known_tags
    return known_tags


def parse_file(path: Path, known_tags: set[str] | None, known_checks: set[str]) -> FileResult:
    """One entry file, read and parsed on its own (its stat taken before it is read)."""
    result = FileResult(path.parent, path.name, stat=file_stat(path))
    if not files.name_is_text(path):
        result.problems.append(ContentError("file name is not UTF-8; rename the file",
                                            path=files.display_path(path),
                                            ja="ファイル名が UTF-8 ではありません。ファイル名を変更してください"))
        return result
    shas: list[tuple[str, str]] = []
    text = _read(path, result.problems, shas)
    if shas:
        result.sha = shas[0][1]
    if text is None:
        return result
    entry, problems = parse_entry(text, str(path), known_tags, known_checks)
    result.problems.extend(problems)
    if entry is not None:
        result.entry, result.entry_id, result.related = entry, entry.id, entry.related
    return result


def finish(loaded: Loaded, results: list[FileResult]) -> None:
    """What the files say together: duplicate ids, unknown related ids, the content digest.

    Each file's own result is all it needs (a file is read again only for a line number),
    so results kept in the content store give the problems a full parse gives.
    """
    kb = loaded.kb
    loaded.results = results
    # An entry that fails to load is still a known id: its own problem is reported once,
    # not again as an "unknown related id" in every entry that links to it.
    named = {r.stem for r in results}
    digest = hashlib.sha256()
    for name, sha in loaded.top:
        digest.update(os.fsencode(name) + b"\0" + sha.encode() + b"\n")
    first: dict[str, FileResult] = {}
    for result in results:
        kb.problems.extend(result.problems)
        if result.sha is not None:
            digest.update(os.fsencode(result.name) + b"\0" + result.sha.encode() + b"\n")
        if result.entry_id is None:
            continue
        if result.entry_id in first:
            where = first[result.entry_id].path
            text = _read(result.path, [], []) or ""
            kb.problems.append(ContentError(f"duplicate id {result.entry_id!r} (first in {where})",
                                            path=str(result.path), line=line_of(text, "id"), field="id",
                                            ja=f"id {result.entry_id!r} が重複しています (最初の定義: {where})"))
            continue
        first[result.entry_id] = result
    loaded.accepted = list(first.values())
    for result in loaded.accepted:
        unknown = [rel for rel in result.related if rel not in first and rel not in named]
        if unknown:
            # The file is read again only here, once: keeping every file's text until the end
            # would double the memory of a big knowledge base.
            lines = quoted_lines(_read(result.path, [], []) or "")
            for rel in unknown:
                kb.problems.append(ContentError(f"unknown related id {rel!r}", path=str(result.path),
                                                line=lines.get(rel), field="related",
                                                ja=f"関連項目の id {rel!r} は存在しません"))
    kb.digest = digest.hexdigest()


def _read(path: Path, problems: list[ContentError], shas: list[tuple[str, str]]) -> str | None:
    try:
        data = files.read_limited(path, error=ContentError)
    except ContentError as exc:
        problems.append(exc)
        return None
    except FileNotFoundError:
        problems.append(ContentError("file is missing", path=str(path), ja="ファイルがありません"))
        return None
    except OSError as exc:
        problems.append(ContentError(f"cannot read: {exc.strerror}", path=str(path),
                                     ja=f"読み取れません: {exc.strerror}"))
        return None
    shas.append((path.name, hashlib.sha256(data).hexdigest()))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(ContentError("not UTF-8 text", path=str(path), line=line,
                                     ja="UTF-8 のテキストではありません"))
        return None
    return text.replace("\r\n", "\n")


def parse_entry(text: str, path: str, known_tags: set[str] | None,
                known_checks: set[str]) -> tuple[Entry | None, list[ContentError]]:
    """Parse and validate one entry file; problems name the file, line and field."""
    try:
        meta, body, body_line = split_front_matter(text, path)
    except ContentError as exc:
        return None, [exc]
    problems: list[ContentError] = []

    quoted: dict[str, int] = {}

    def problem(message: str, ja: str, key: str, value: str | None = None, line: int | None = None) -> None:
        if line is None and value is not None:
            # One pass over the file for all values: a look-up per value made 20,000 unknown
            # tags in one entry quadratic (lint took 94 s).
            if not quoted:
                quoted.update(quoted_lines(text))
            line = quoted.get(value)
        where = line or line_of(text, key.split(".")[-1]) or 1
        problems.append(ContentError(message, path=path, line=where, field=key, ja=ja))

    for key in sorted(set(meta) - _ENTRY_KEYS):
        allowed = ", ".join(sorted(_ENTRY_KEYS))
        problem(f"unknown key {key!r} (allowed: {allowed})",
                f"不明なキー {key!r} です (使用できるキー: {allowed})", key)
    entry_id = meta.get("id")
    if not isinstance(entry_id, str) or not _ID.fullmatch(entry_id):
        problem("id must be lower-case letters, digits and hyphens",
                "id には英小文字、数字、ハイフンだけを使用してください", "id")
        entry_id = Path(path).stem
    elif entry_id != Path(path).stem:
        problem(f"id {entry_id!r} differs from the file name {Path(path).stem!r}",
                f"id {entry_id!r} がファイル名 {Path(path).stem!r} と一致しません", "id")
    lists = {key: _str_list(meta, key, problem) for key in ("tags", "related", "applies_to", "checks", "flags")}
    draft = DRAFT in lists["flags"]
    for tag in lists["tags"]:
        if known_tags is not None and tag not in known_tags:
            problem(f"unknown tag {tag!r} (see tags.toml)",
                    f"不明なタグ {tag!r} です (tags.toml を参照してください)", "tags", tag)
    for check in lists["checks"]:
        if check not in known_checks:
            known = ", ".join(sorted(known_checks))
            problem(f"unknown check id {check!r} (known: {known})",
                    f"不明なチェック id {check!r} です (既知の id: {known})", "checks", check)
    if not lists["applies_to"]:
        problem("applies_to must name at least one product",
                "applies_to には製品を 1 つ以上指定してください", "applies_to")

    bodies = _split_body(body)
    texts: dict[str, Localized] = {}
    present = [lang for lang in LANGS if lang in meta]
    if not present:
        tables = " or ".join(f"[{lang}]" for lang in LANGS)
        problem(f"missing a {tables} table with question and alternates",
                f"question と alternates を含む {tables} テーブルがありません", LANGS[0], line=1)
    for lang in present:
        section = meta[lang]
        if not isinstance(section, dict):
            problem(f"[{lang}] must be a table with question and alternates",
                    f"[{lang}] は question と alternates を含むテーブルでなければなりません", lang, line=1)
            continue
        for key in sorted(set(section) - _LANG_KEYS):
            problem(f"unknown key {key!r} in [{lang}]", f"[{lang}] に不明なキー {key!r} があります",
                    f"{lang}.{key}")
        question = section.get("question")
        if draft and question in (None, ""):
            continue
        if not isinstance(question, str) or not question.strip():
            problem(f"[{lang}] question is missing or empty", f"[{lang}] の question がないか、空です",
                    f"{lang}.question")
            continue
        alternates = _str_list(section, "alternates", problem, prefix=f"{lang}.")
        answer = bodies.get(lang, "").strip()
        if not answer and not draft:
            problems.append(ContentError(f"answer in {lang} is empty: write it after a '<!-- {lang} -->' line",
                                         path=path, line=body_line, field=f"body.{lang}",
                                         ja=f"{lang} の回答が空です: '<!-- {lang} -->' の行の後に書いてください"))
            continue
        texts[lang] = Localized(question=question.strip(), answer=answer, alternates=tuple(alternates))
    for lang in LANGS:
        if lang not in meta and bodies.get(lang, "").strip():
            problems.append(ContentError(f"answer in {lang} has no [{lang}] table with its question",
                                         path=path, line=body_line, field=f"body.{lang}",
                                         ja=f"{lang} の回答に対応する [{lang}] テーブル (question) がありません"))
    quiz = parse_quiz(meta.get("quiz", []), entry_id, text, problem)
    if draft and not texts and not problems:
        problem("a draft needs a question in at least one language",
                "下書きにも、少なくとも 1 つの言語の question が必要です", "flags")
    if problems:
        return None, problems
    return Entry(id=entry_id, text=texts, tags=tuple(lists["tags"]), related=tuple(lists["related"]),
                 applies_to=tuple(lists["applies_to"]), checks=tuple(lists["checks"]),
                 quiz=tuple(quiz), path=path, flags=tuple(lists["flags"])), problems


def _str_list(table: dict[str, Any], key: str, problem: Any, prefix: str = "") -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem(f"{key} must be a list of strings", f"{key} は文字列のリストでなければなりません", prefix + key)
        return []
    return [v.strip() for v in value if v.strip()]


def _split_body(body: str) -> dict[str, str]:
    parts = _SECTION.split(body)
    # parts: [before, lang, text, lang, text, ...]
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}
