"""The content's words by the morphological dictionary's synonym groups, made once per index.

A question's word the content never uses may be another word for one it does: the
dictionary puts "スマホ" and "スマートフォン" in one synonym group, "失念" and "忘れる" in
another, "PC" and "パソコン" in a third. `ask` lets such a word be covered by the content's
words of its groups (kb.retrieval.question), while it still counts as a word the content
lacks for confidence. The groups of every word in the index's Japanese text (where Latin
words of Japanese sentences are too) are looked up once, when the index is built or
updated, and stored with it (`SYNONYMS.json`), as the calibration is. After an update only
the words of the segments it wrote are looked up (`update_synonyms`).
"""

from __future__ import annotations

from typing import Any

from kb.retrieval.index_files import read_json, write_json
from kb.text.analysis import synonym_groups

FILE = "SYNONYMS.json"
VERSION = 1
FIELD = "text_ja"


def build_synonyms(searcher: Any) -> dict[int, frozenset[str]]:
    """Synonym group -> the words of the field's lexicon in it. A word only deleted documents
    had (an updated index) may be among them: `ask` takes only words some entry has."""
    groups: dict[int, set[str]] = {}
    for term in searcher.reader().lexicon(FIELD):
        text = term.decode() if isinstance(term, bytes) else term
        for group in synonym_groups(text):
            groups.setdefault(group, set()).add(text)
    return {group: frozenset(words) for group, words in groups.items()}


def update_synonyms(searcher: Any, previous: Any | None) -> dict[int, frozenset[str]]:
    """The groups for an updated index: those of the index it replaces (``previous``, its
    storage) with the words of every segment after the first (the full build's, which an
    update never rewrites) added; made from the whole lexicon when there is no earlier set.

    Every word of a live entry is in the first segment or a later one, so each group holds
    all the words a full rebuild's does, and at most words only deleted documents had (or
    had once), which `ask` leaves out as it does after any update (their count is 0)."""
    old = load_synonyms(previous) if previous is not None else None
    leaves = searcher.reader().leaf_readers()
    if old is None or not leaves:
        return build_synonyms(searcher)
    groups = {group: set(words) for group, words in old.items()}
    for reader, _offset in leaves[1:]:
        for term in reader.lexicon(FIELD):
            text = term.decode() if isinstance(term, bytes) else term
            for group in synonym_groups(text):
                groups.setdefault(group, set()).add(text)
    return {group: frozenset(words) for group, words in groups.items()}


def load_synonyms(storage: Any) -> dict[int, frozenset[str]] | None:
    """The stored groups, or None when missing or unreadable."""
    data = read_json(storage, FILE, VERSION)
    try:
        return {int(group): frozenset(words) for group, words in data["groups"].items()} if data else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def save_synonyms(storage: Any, groups: dict[int, frozenset[str]]) -> None:
    write_json(storage, FILE, VERSION, {"groups": {str(g): sorted(words) for g, words in sorted(groups.items())}})


def open_synonyms(storage: Any, searcher: Any) -> dict[int, frozenset[str]]:
    """The stored groups, made and stored first when there are none (a read-only cache: made
    again next time)."""
    groups = load_synonyms(storage)
    if groups is None:
        groups = build_synonyms(searcher)
        try:
            save_synonyms(storage, groups)
        except Exception:  # noqa: BLE001 - a read-only cache
            pass
    return groups
