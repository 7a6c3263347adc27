"""The glossary matcher finds exactly what the one-regex-per-script matcher found, in time that
grows with the text and not with the glossary, and analyses a spelling only when it is met."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.content.entry import GlossaryTerm
from kb.content.load import load_kb
from kb.text import glossary as glossary_module
from kb.text.analysis import normalize
from kb.text.glossary import ConceptMatcher, Spellings, fold_small_kana
from tests.conftest import ROOT


def _old_union(keys: list[str], template: str) -> re.Pattern[str] | None:
    """The matcher this one replaced: one alternation, longest spelling first."""
    if not keys:
        return None
    alternation = "|".join(re.escape(k) for k in sorted(set(keys), key=len, reverse=True))
    return re.compile(template.format(alternation))


_OLD_LATIN = r"(?<![a-z0-9])(?:{})(?![a-z0-9])"


class OldMatcher:
    """The replaced matcher's spelling search, kept as the reference."""

    def __init__(self, glossary: dict[str, GlossaryTerm]) -> None:
        self.owner: dict[str, str] = {}
        latin, other = [], []
        for term in glossary.values():
            for name in term.synonyms:
                key = normalize(name)
                if not key:
                    continue
                if key.isascii():
                    latin.append(key)
                else:
                    key = fold_small_kana(key.replace(" ", ""))
                    other.append(key)
                self.owner.setdefault(key, term.id)
        self.latin = _old_union(latin, _OLD_LATIN)
        self.other = _old_union(other, "(?:{})")

    def matches(self, text: str) -> dict[str, list[str]]:
        norm = normalize(text)
        found: dict[str, list[str]] = {}
        for pattern, subject in ((self.other, fold_small_kana(norm.replace(" ", ""))), (self.latin, norm)):
            if pattern is not None:
                for match in pattern.finditer(subject):
                    found.setdefault(self.owner[match.group()], []).append(match.group())
        return found


def _texts(kb) -> list[str]:
    out = []
    for entry in kb.entries.values():
        texts = [t for loc in entry.text.values() for t in (loc.question, loc.answer, *loc.alternates)]
        out.extend([*texts, "\n".join(texts)])  # and all at once, as the index build asks
    for term in kb.glossary.values():
        out.extend(term.synonyms)
        out.extend(term.definition.values())
    return out


@pytest.mark.parametrize("root", [ROOT / "faq_data", *sorted((ROOT / "tests" / "data" / "kbs").iterdir())],
                         ids=lambda p: p.name)
def test_the_shipped_glossaries_match_as_before(root):
    kb = load_kb(root)
    if not kb.glossary:
        pytest.skip("no glossary")
    new, old = ConceptMatcher(kb.glossary), OldMatcher(kb.glossary)
    texts = _texts(kb)
    assert texts
    found_any = 0
    for text in texts:
        expected = old.matches(text)
        assert new._matches(normalize(text)) == expected, text
        assert new.find(text) == list(expected)
        found_any += bool(expected)
    assert found_any > len(texts) // 4  # the comparison saw concepts, not only empty results
    # The spellings a half-typed word completes to, as the question analyser listed them.
    assert new.spellings == sorted({(fold_small_kana(normalize(n).replace(" ", "")) if not normalize(n).isascii()
                                     else normalize(n), term.id)
                                    for term in kb.glossary.values() for n in term.synonyms if normalize(n)})


# Few characters, so that spellings overlap, nest and share beginnings all the time.
_LATIN = st.text(alphabet="ab1 -.", min_size=1, max_size=6)
_JAPANESE = st.text(alphabet="アイッィ語 b", min_size=1, max_size=6)
_SPELLING = st.one_of(_LATIN, _JAPANESE)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_SPELLING, min_size=1, max_size=4), min_size=1, max_size=8),
       st.lists(st.one_of(_SPELLING, st.text(alphabet="ab1 -.アイッィ語bcx", max_size=12)), max_size=6))
def test_a_generated_glossary_matches_as_before(spellings, pieces):
    glossary = {f"t{n}": GlossaryTerm(f"t{n}", {"en": tuple(names)}, {}) for n, names in enumerate(spellings)}
    text = " ".join(pieces) + "".join(pieces)  # spellings apart and run together
    new, old = ConceptMatcher(glossary), OldMatcher(glossary)
    assert new._matches(normalize(text)) == old.matches(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="ab1 -.]^\\[", min_size=1, max_size=5), min_size=1, max_size=10),
       st.text(alphabet="ab1 -.]^\\[c", max_size=30), st.booleans())
def test_spellings_scan_as_the_alternation_did(keys, subject, whole_words):
    # Raw keys (not normalized), with the characters a character class must escape.
    old = _old_union(keys, _OLD_LATIN if whole_words else "(?:{})")
    assert old is not None
    assert list(Spellings(keys, whole_words).scan(subject)) == [m.group() for m in old.finditer(subject)]


@pytest.mark.parametrize(("text", "expected"), [
    ("live migration over 10gbe", ["lm-term"]),        # the longest spelling, not "live" + "migration"
    ("live migrations", ["live", "migration"]),        # "migration" alone is not a whole word there
    ("film", []),                                      # "lm" only as a whole word
    ("lm-ready", ["lm-term"]),
    ("ライブ マイグレーションの設定", ["ja-lm"]),        # Japanese ignores the space
    ("ライブマイグレーシヨン", ["ja-lm"]),              # and small kana
    ("マイグレーションとライブ", ["migration"]),
])
def test_overlapping_spellings_take_the_longest(text, expected):
    terms = {
        "lm-term": GlossaryTerm("lm-term", {"en": ("live migration", "LM")}, {}),
        "live": GlossaryTerm("live", {"en": ("live",)}, {}),
        "migration": GlossaryTerm("migration", {"en": ("migrations",), "ja": ("マイグレーション",)}, {}),
        "ja-lm": GlossaryTerm("ja-lm", {"ja": ("ライブ マイグレーション",)}, {}),
    }
    matcher = ConceptMatcher(terms)
    assert matcher.find(text) == expected
    assert matcher._matches(normalize(text)) == OldMatcher(terms).matches(text)


def test_opening_a_big_glossary_analyses_only_the_concepts_met(monkeypatch):
    calls: list[str] = []
    real = glossary_module.content_words
    monkeypatch.setattr(glossary_module, "content_words", lambda text: calls.append(text) or real(text))
    glossary = {f"t{n}": GlossaryTerm(f"t{n}", {"en": (f"word{n} thing",), "ja": (f"語{n}",)}, {})
                for n in range(10_000)}
    matcher = ConceptMatcher(glossary)
    assert calls == []
    assert matcher.features("word42 thing cluster 語7") == ["@t7", "@t42", "cluster"]
    # The two concepts' spellings were analysed, once each, plus the text itself.
    assert sorted(calls) == sorted(["word42 thing", "語42", "word7 thing", "語7", "word42 thing cluster 語7"])
    matcher.features("word42 thing")
    assert calls.count("word42 thing") == 2  # the text this time; the concept's words were kept
