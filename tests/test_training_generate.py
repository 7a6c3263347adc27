"""Generated quiz items: fresh numbers each time, answers that agree with the calculators."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.checks import concurrency, max_concurrent_migrations, migration, migration_time, validator
from kb.checks.migration import MIGRATION_TIME_TOLERANCE
from kb.checks.validator import FAMILIES
from kb.training.generate import GENERATED_LINKS, card_id, generate_items, validate_generated_links
from kb.training.items import TrainingItem

# The drills' card ids live with the checks that pose them.
MAX_CONCURRENT, MIGRATION_TIME = card_id(concurrency.DRILL), card_id(migration.DRILL)
CROSS_VENDOR, SAME_VENDOR = (card_id(drill) for drill in validator.DRILLS)

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def _one(card_id: str, seed: int) -> TrainingItem:
    return generate_items(random.Random(seed), [card_id])[0]


@given(seeds)
def test_max_concurrent_answer_is_the_calculators_and_the_prompt_states_its_input(seed: int) -> None:
    item = _one(MAX_CONCURRENT, seed)
    nodes = int(item.params["nodes"])
    assert item.answer == max_concurrent_migrations(nodes).value == nodes // 2
    assert f"{nodes} nodes" in item.prompt("en") and f"{nodes} ノード" in item.prompt("ja")
    assert item.is_correct(str(nodes // 2)) and not item.is_correct(str(nodes // 2 + 1))


@settings(max_examples=50)
@given(seeds)
def test_migration_time_answer_is_the_calculators_within_the_documented_tolerance(seed: int) -> None:
    item = _one(MIGRATION_TIME, seed)
    gb, gbps = int(item.params["memory_gb"]), int(item.params["link_gbps"])
    expected = migration_time(memory_mb=gb * 1000.0, link_mbps=gbps * 1000.0, load="light").value
    assert item.answer == pytest.approx(expected)
    assert f"{gb} GB" in item.prompt("en") and f"{gbps} Gbps" in item.prompt("en")
    assert f"{gb} GB" in item.prompt("ja") and f"{gbps} Gbps" in item.prompt("ja")
    inside, outside = 1 + MIGRATION_TIME_TOLERANCE - 0.01, 1 + MIGRATION_TIME_TOLERANCE + 0.01
    assert item.is_correct(f"{expected * inside:.3f}")
    assert item.is_correct(f"{expected * (2 - inside):.3f} s")
    assert not item.is_correct(f"{expected * outside:.3f}")
    assert not item.is_correct(f"{expected * (2 - outside):.3f}")
    assert item.is_correct(f"{expected / 60:.4f} min")  # the same time in minutes


def test_the_migration_tolerance_is_25_percent_as_documented() -> None:
    assert MIGRATION_TIME_TOLERANCE == 0.25
    assert "25%" in _one(MIGRATION_TIME, 3).explanation("en")


@given(seeds)
def test_intel_and_amd_never_live_migrate(seed: int) -> None:
    item = _one(CROSS_VENDOR, seed)
    assert item.answer is False and item.kind == "truefalse"
    assert {item.params["source"], item.params["target"]} == {"Intel", "AMD"}
    assert item.is_correct("×") and not item.is_correct("yes")


@given(seeds)
def test_same_vendor_generations_migrate_with_compatibility_on(seed: int) -> None:
    item = _one(SAME_VENDOR, seed)
    vendor, older, newer = (str(item.params[k]) for k in ("vendor", "older", "newer"))
    assert older != newer and {older, newer} <= set(FAMILIES[vendor])
    assert FAMILIES[vendor].index(older) < FAMILIES[vendor].index(newer)
    assert item.answer is True and older in item.prompt("ja") and newer in item.prompt("en")


def test_numbers_are_fresh_but_card_ids_are_stable() -> None:
    runs = [generate_items(random.Random(seed)) for seed in range(40)]
    assert {tuple(i.card_id for i in run) for run in runs} == {tuple(GENERATED_LINKS)}
    assert len({run[0].params["nodes"] for run in runs}) >= 8
    assert len({run[1].answer for run in runs}) >= 5


def test_the_same_random_state_gives_the_same_items() -> None:
    assert generate_items(random.Random(7)) == generate_items(random.Random(7))


def test_every_generated_item_is_well_formed_and_linked() -> None:
    for item in generate_items(random.Random(5)):
        assert item.generated and item.card_id.startswith("gen/")
        assert item.entry == GENERATED_LINKS[item.card_id]
        for lang in ("ja", "en"):
            assert item.prompt(lang).strip() and item.explanation(lang).strip()


def test_lint_reports_generated_links_to_missing_entries() -> None:
    assert validate_generated_links(set(GENERATED_LINKS.values())) == []
    problems = validate_generated_links({"concurrent-migrations", "migration-duration"})
    assert {p.field for p in problems} == {CROSS_VENDOR, SAME_VENDOR}
