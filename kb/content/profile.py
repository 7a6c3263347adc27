"""What a knowledge base says about itself in ``kb.toml``: name, products, scope, abbreviations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kb.content.entry import LANGS
from kb.errors import ContentError

PROFILE_FILE = "kb.toml"
_KEYS = {"name", "description", "example", "products", "not_about", "abbreviations", "training"}
_PRODUCT_KEYS = {"name", "aliases", "versions", "default"}
_TRAINING_KEYS = {"quiz_per_entry"}


@dataclass(frozen=True, slots=True)
class Product:
    """A product the content applies to, and how people write its name before a version.

    ``versions`` maps a version as ``applies_to`` writes it ("2008 R2") to other
    spellings of it ("R2 SP1" would be a different version; "2k8r2" is the same).
    """

    name: str
    aliases: tuple[str, ...] = ()
    versions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    default: str | None = None  # the version a question means when it names none


@dataclass(frozen=True, slots=True)
class Profile:
    """A knowledge base's description of itself; every field has a default without kb.toml."""

    name: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    # A short question people ask of it, shown as the example in the question box and in
    # the empty-question message ("Do I need CSV?"); none when it gives none.
    example: dict[str, str] = field(default_factory=dict)
    products: tuple[Product, ...] = ()
    # Topics a question may name that the content is not about ("vMotion"): an entry that
    # does not mention one is not the answer to a question that does.
    not_about: tuple[str, ...] = ()
    # Short forms people type, as the content spells them ("LM" -> "live migration").
    abbreviations: dict[str, str] = field(default_factory=dict)
    quiz_per_entry: int = 0

    def title(self, lang: str, default: str = "FAQ") -> str:
        """The knowledge base's name in ``lang``, else in its other language, else ``default``."""
        return self.name.get(lang) or next(iter(self.name.values()), default)

    def about(self, lang: str) -> str:
        return self.description.get(lang) or next(iter(self.description.values()), "")

    def sample(self, lang: str) -> str:
        """The example question in ``lang``, else in its other language, else ""."""
        return self.example.get(lang) or next(iter(self.example.values()), "")


def parse_profile(text: str, path: str, problems: list[ContentError]) -> Profile:
    """Parse kb.toml; problems name the line and key, and what is valid is kept."""
    import tomllib  # only when a file is parsed: a start from the content store parses none
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        problems.append(ContentError(f"not valid TOML: {exc}", path=path,
                                     line=int(match.group(1)) if match else None,
                                     ja=f"有効な TOML ではありません: {exc}"))
        return Profile()

    def problem(message: str, ja: str, key: str) -> None:
        problems.append(ContentError(message, path=path, line=_key_line(text, key.split(".")[0]), field=key, ja=ja))

    for key in sorted(set(data) - _KEYS):
        allowed = ", ".join(sorted(_KEYS))
        problem(f"unknown key {key!r} (allowed: {allowed})", f"不明なキー {key!r} です (使用できるキー: {allowed})", key)
    texts = {}
    for key in ("name", "description", "example"):
        value = data.get(key, {})
        if not isinstance(value, dict) or not all(k in LANGS and isinstance(v, str) for k, v in value.items()):
            problem(f"[{key}] must hold ja and/or en strings", f"[{key}] には ja または en の文字列を書いてください", key)
            value = {}
        texts[key] = {k: v.strip() for k, v in value.items() if v.strip()}
    products = []
    raw_products = data.get("products", [])
    if not isinstance(raw_products, list):
        problem("products must be [[products]] tables", "products は [[products]] テーブルとして書いてください", "products")
        raw_products = []
    for n, item in enumerate(raw_products):
        product = _parse_product(item)
        if product is None:
            problem(f"[[products]] #{n + 1} needs name = \"...\" and optional aliases = [...] and [versions] lists",
                    f"[[products]] の {n + 1} 番目には name と、必要なら aliases と versions のリストを書いてください",
                    "products")
            continue
        products.append(product)
    not_about = data.get("not_about", [])
    if not isinstance(not_about, list) or not all(isinstance(x, str) for x in not_about):
        problem("not_about must be a list of strings", "not_about は文字列のリストでなければなりません", "not_about")
        not_about = []
    abbreviations = data.get("abbreviations", {})
    if not isinstance(abbreviations, dict) or not all(isinstance(v, str) for v in abbreviations.values()):
        problem('abbreviations must map short forms to spellings ("DB" = "database")',
                'abbreviations には 略語 = "正式な表記" を書いてください', "abbreviations")
        abbreviations = {}
    training = data.get("training", {})
    quiz_per_entry = training.get("quiz_per_entry", 0) if isinstance(training, dict) else None
    if not isinstance(training, dict) or set(training) - _TRAINING_KEYS or not isinstance(quiz_per_entry, int) \
            or isinstance(quiz_per_entry, bool) or quiz_per_entry < 0:
        problem("[training] takes quiz_per_entry = a whole number >= 0",
                "[training] には quiz_per_entry = 0 以上の整数 を書いてください", "training")
        quiz_per_entry = 0
    return Profile(name=texts["name"], description=texts["description"], example=texts["example"],
                   products=tuple(products),
                   not_about=tuple(x.strip() for x in not_about if x.strip()),
                   abbreviations={k.strip(): v.strip() for k, v in abbreviations.items() if k.strip() and v.strip()},
                   quiz_per_entry=quiz_per_entry)


def _parse_product(item: Any) -> Product | None:
    if not isinstance(item, dict) or set(item) - _PRODUCT_KEYS or not isinstance(item.get("name"), str):
        return None
    aliases = item.get("aliases", [])
    versions = item.get("versions", {})
    default = item.get("default")
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases) \
            or not (default is None or isinstance(default, str)):
        return None
    if not isinstance(versions, dict) or not all(
            isinstance(v, list) and all(isinstance(s, str) for s in v) for v in versions.values()):
        return None
    return Product(name=item["name"].strip(), aliases=tuple(a.strip() for a in aliases if a.strip()),
                   versions={k.strip(): tuple(s.strip() for s in v if s.strip()) for k, v in versions.items()},
                   default=default.strip() if default else None)


def _key_line(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\[\[?{re.escape(key)}[\].]|{re.escape(key)}\s*=)")
    for number, line in enumerate(text.split("\n"), start=1):
        if pattern.match(line):
            return number
    return None
