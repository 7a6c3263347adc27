"""What a question says about scope: product versions it names, and topics the content is not about.

Everything here comes from the knowledge base: products and versions from the entries'
``applies_to`` (the version is what follows the product's name, from its first word with
a digit: "Windows Server 2012 R2" is version "2012 R2" of "Windows Server"), the ways
people write them from kb.toml's ``[[products]]``, and ``not_about`` from kb.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kb.content.load import KnowledgeBase
from kb.text.analysis import normalize

# A version as people write one after a product name, when it is not one we know:
# "10", "2019", "2.40", "3.0 sp1".
_ANY_VERSION = r"\d+(?:\.\d+)*(?:\s?[a-z]{1,3}\d{1,2})?"
_YEAR = re.compile(r"^(19|20)(\d\d)$")
# The number right before a version suffix ("2012 " before "r2"), at the end of the text searched.
_NUMBER_BEFORE = re.compile(r"(?<![\d.])(\d{1,4})\s?$")


@dataclass(frozen=True)
class Mention:
    """A product version named in a question; ``product`` is None for a bare version ("2008 R2")."""

    product: str | None
    version: str
    span: tuple[int, int]


def parse_applies(text: str) -> tuple[str, str | None]:
    """("Windows Server", "2008 r2") from "Windows Server 2008 R2"; ("Git", None) from "Git"."""
    words = normalize(text).split(" ")
    for i, word in enumerate(words):
        if i and any(ch.isdigit() for ch in word):
            return " ".join(words[:i]), " ".join(words[i:])
    return " ".join(words), None


def version_spellings(version: str) -> list[str]:
    """How a version is typed: "2008 r2" -> "2008 r2", "2008r2", "2k8 r2", "2k8r2", "2k08r2"...

    A year-like number is also written with "k" for thousand ("W2K8R2", "2k12"): a
    convention of version numbers in general, not of one product.
    """
    words = version.split(" ")
    heads = [words[0]]
    year = _YEAR.match(words[0])
    if year:
        short = str(int(year.group(2)))
        heads += [f"{int(year.group(1)) // 10}k{short}", f"{int(year.group(1)) // 10}k{year.group(2)}"]
    rest = words[1:]
    out = []
    for head in dict.fromkeys(heads):
        out.append(" ".join([head, *rest]))
        if rest:
            out.append(head + "".join(rest))
    return list(dict.fromkeys(out))


class Scope:
    """Finds version mentions and out-of-scope topics in questions, and judges entries by them."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        # product -> versions entries apply to ("" for an entry applying to every version),
        # per entry when first judged: a start reads only the distinct values, not every entry.
        self._applies: dict[str, dict[str, set[str]]] = {}
        known: dict[str, set[str]] = {}
        for item in sorted(kb.applies_values()):
            product, version = parse_applies(item)
            known.setdefault(product, set()).add(version or "")
        aliases: dict[str, set[str]] = {p: {p} for p in known}
        spellings: dict[str, str] = {}  # spelling -> canonical version
        for declared in kb.profile.products:
            name = normalize(declared.name)
            aliases.setdefault(name, {name}).update(normalize(a) for a in declared.aliases)
            for version, others in declared.versions.items():
                canonical = normalize(version)
                known.setdefault(name, set()).add(canonical)
                for other in others:
                    spellings[normalize(other)] = canonical
        self._known = known
        self._owners: dict[str, set[str]] = {}  # canonical version -> products
        for product, versions in known.items():
            for version in versions - {""}:
                self._owners.setdefault(version, set()).add(product)
                for spelling in version_spellings(version):
                    spellings.setdefault(spelling, version)
        self._spellings = spellings
        # A version's letters-and-digits word ("r2") alone names every version that has it.
        self._suffixes: dict[str, set[str]] = {}
        for owned in self._owners:
            for word in owned.split(" ")[1:]:
                if re.search(r"[a-z]", word) and re.search(r"\d", word):
                    self._suffixes.setdefault(word, set()).add(owned)
        self._alias_owner = {alias: product for product, names in aliases.items() for alias in names if alias}
        version_pattern = _alternation(spellings)
        alias_pattern = _alternation(self._alias_owner)
        self._named = re.compile(rf"(?<![a-z0-9])({alias_pattern})[\s-]?({version_pattern}|{_ANY_VERSION})(?![a-z0-9])") \
            if alias_pattern else None
        bare = [*spellings, *self._suffixes]
        self._bare = re.compile(rf"(?<![a-z0-9.])({_alternation(bare)})(?![a-z0-9])") if bare else None
        self._outside = _term_pattern(kb.profile.not_about)
        # What a question naming no version is about (kb.toml's ``default``).
        self.defaults = [Mention(normalize(p.name), normalize(p.default), (0, 0))
                         for p in kb.profile.products if p.default]
        self._mentions_cache: dict[str, bool] = {}

    def mentions(self, norm: str) -> list[Mention]:
        """Product versions named in normalized text, longest spelling first, without overlaps."""
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        if self._named is not None:
            for m in self._named.finditer(norm):
                version = self._spellings.get(m.group(2), m.group(2).replace(" ", ""))
                found.append(Mention(self._alias_owner[m.group(1)], version, m.span()))
                taken.append(m.span())
        if self._bare is not None:
            for m in self._bare.finditer(norm):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                word = m.group(1)
                number = _NUMBER_BEFORE.search(norm, 0, m.start()) if word in self._suffixes else None
                if number is not None:
                    # "2012 R2" where only "2008 R2" is known: a version of its own that no
                    # entry covers, not the suffix that names every "R2".
                    found.append(Mention(None, f"{number.group(1)} {word}", (number.start(1), m.end())))
                    continue
                for version in sorted(self._suffixes.get(word, {self._spellings.get(word, word)})):
                    found.append(Mention(None, version, m.span()))
        return found

    def accepts(self, entry_id: str, mentions: Iterable[Mention]) -> bool:
        """Whether the entry applies to some version the question names (or it names none)."""
        mentions = list(mentions)
        if not mentions:
            return True
        applies = self._applies_of(entry_id)
        for mention in mentions:
            products = [mention.product] if mention.product else sorted(self._owners.get(mention.version, ()))
            named = [p for p in products if p in applies]
            if named:
                if any("" in applies[p] or mention.version in applies[p] for p in named):
                    return True
                continue
            # An entry about something else is not ruled out by a version of these
            # products, unless no entry at all covers that version.
            for product in products:
                known = self._known.get(product, set())
                if mention.version in known or "" in known or not known:
                    return True
        return False

    def _applies_of(self, entry_id: str) -> dict[str, set[str]]:
        per = self._applies.get(entry_id)
        if per is None:
            per = {}
            for item in self.kb.applies_to(entry_id):
                product, version = parse_applies(item)
                per.setdefault(product, set()).add(version or "")
            self._applies[entry_id] = per
        return per

    def outside(self, norm: str) -> set[str]:
        """The kb.toml ``not_about`` topics named in normalized text."""
        if self._outside is None:
            return set()
        return {m.group() for m in self._outside.finditer(norm)}

    def entry_mentions(self, entry_id: str, topics: set[str]) -> bool:
        """Whether the entry itself names every one of ``topics`` (computed for few entries: cached)."""
        key = entry_id + "\0" + "\0".join(sorted(topics))
        if key not in self._mentions_cache:
            entry = self.kb.entries.get(entry_id)
            if entry is None:
                return True
            text = " ".join(normalize(f"{loc.question} {' '.join(loc.alternates)} {loc.answer}")
                            for loc in entry.text.values())
            self._mentions_cache[key] = self.outside(text) >= topics
        return self._mentions_cache[key]


def _alternation(keys: Iterable[str]) -> str:
    # Longest first; ties (which never match at the same place) in a fixed order, so the
    # pattern is the same in every process and its compiled form can be reused (tui.compile_cache).
    return "|".join(re.escape(k) for k in sorted(set(keys), key=lambda k: (-len(k), k)) if k)


def _term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Latin terms as whole words, others anywhere (Japanese has no spaces)."""
    latin = [normalize(t) for t in terms if normalize(t).isascii()]
    other = [normalize(t).replace(" ", "") for t in terms if not normalize(t).isascii()]
    parts = []
    if latin:
        parts.append(rf"(?<![a-z0-9])(?:{_alternation(latin)})(?![a-z0-9])")
    if other:
        parts.append(f"(?:{_alternation(other)})")
    return re.compile("|".join(parts)) if parts else None
