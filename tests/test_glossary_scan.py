"""Long texts are searched for spellings with one regular expression: it finds exactly what the
per-place search finds (the longest spelling at each place, whole words for Latin ones)."""

from __future__ import annotations

import random

import pytest

from kb.text import glossary
from kb.text.glossary import Spellings


def _both_ways(spellings: Spellings, subject: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    monkeypatch.setattr(glossary, "LONG_TEXT", 10**9)
    per_place = list(spellings.scan(subject))
    monkeypatch.setattr(glossary, "LONG_TEXT", 0)
    return per_place, list(spellings.scan(subject))


@pytest.mark.parametrize("whole_words", [True, False])
def test_the_expression_finds_what_the_per_place_search_finds(whole_words, monkeypatch):
    rng = random.Random(11)
    alphabet = "ab1.-アイー"  # letters, a digit, punctuation, kana: word edges everywhere
    for _ in range(60):
        keys = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 12))}
        spellings = Spellings(keys, whole_words=whole_words)
        for _ in range(5):
            subject = "".join(rng.choice(alphabet + " ") for _ in range(rng.randint(0, 300)))
            per_place, expression = _both_ways(spellings, subject, monkeypatch)
            assert expression == per_place, (sorted(keys), subject)


def test_longest_spelling_and_whole_words(monkeypatch):
    spellings = Spellings(["lm", "live migration", "live", "vm"], whole_words=True)
    subject = "film live migration, a live vm; lm lmx " * 20
    per_place, expression = _both_ways(spellings, subject, monkeypatch)
    assert expression == per_place == ["live migration", "live", "vm", "lm"] * 20
    japanese = Spellings(["ライブ", "ライブマイグレーション", "マイグレーション"], whole_words=False)
    per_place, expression = _both_ways(japanese, "ライブマイグレーションとマイグレーションのライブ" * 20, monkeypatch)
    assert expression == per_place == ["ライブマイグレーション", "マイグレーション", "ライブ"] * 20
