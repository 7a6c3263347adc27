"""Generated quiz items: fresh numbers each time, answers that are right.

Right as worked out apart from the calculators (tests/hand_worked.py): comparing an item
with the calculator that made it would only show the two agree.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.checks import migration as model
from kb.training.generate import (
    CROSS_VENDOR,
    FAMILIES,
    GENERATED_LINKS,
    LINK_GBPS,
    MAX_CONCURRENT,
    MEMORY_GB,
    MIGRATION_TIME,
    MIGRATION_TIME_TOLERANCE,
    SAME_VENDOR,
    generate_items,
    validate_generated_links,
)
from kb.training.items import TrainingItem
from tests.hand_worked import PAIRS, pre_copy_seconds

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def _one(card_id: str, seed: int) -> TrainingItem:
    return generate_items(random.Random(seed), [card_id])[0]


@given(seeds)
def test_max_concurrent_answer_is_the_calculators_and_the_prompt_states_its_input(seed: int) -> None:
    item = _one(MAX_CONCURRENT, seed)
    nodes = int(item.params["nodes"])
    right = PAIRS[nodes]  # worked by hand, not by the calculator
    assert item.answer == right
    assert f"{nodes} nodes" in item.prompt("en") and f"{nodes} ノード" in item.prompt("ja")
    assert item.is_correct(str(right)) and not item.is_correct(str(right + 1))
    assert not item.is_correct(str(nodes))  # the node count itself is the classic slip


def test_max_concurrent_items_cover_every_supported_cluster_size() -> None:
    drawn = {int(_one(MAX_CONCURRENT, seed).params["nodes"]) for seed in range(300)}
    assert drawn == set(range(2, 17))


def _expected_seconds(item: TrainingItem) -> float:
    """The item's answer by the documented model: decimal units, a lightly loaded VM."""
    gb, gbps = int(item.params["memory_gb"]), int(item.params["link_gbps"])
    assert item.params["load"] == "light"
    return pre_copy_seconds(gb * 1000.0, gbps * 1000.0, model.LOAD_DIRTY_RATE["light"])


def test_migration_time_items_are_right_for_every_size_and_link() -> None:
    seen = {}
    for seed in range(500):
        item = _one(MIGRATION_TIME, seed)
        seen.setdefault((item.params["memory_gb"], item.params["link_gbps"]), item)
    assert set(seen) == {(gb, gbps) for gb in MEMORY_GB for gbps in LINK_GBPS}
    for item in seen.values():
        assert item.answer == pytest.approx(_expected_seconds(item), rel=1e-9)


@settings(max_examples=50)
@given(seeds)
def test_migration_time_answer_is_the_calculators_within_the_documented_tolerance(seed: int) -> None:
    item = _one(MIGRATION_TIME, seed)
    gb, gbps = int(item.params["memory_gb"]), int(item.params["link_gbps"])
    expected = _expected_seconds(item)
    assert item.answer == pytest.approx(expected, rel=1e-9)
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
