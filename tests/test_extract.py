"""Parameters found in questions, and the checks a question runs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.checks import checks_for_question, extract_parameters


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # node counts, in every way of writing the number
        ("4 ノードのクラスターでは同時にいくつのライブ マイグレーションを実行できますか",
         {"nodes": 4}),
        ("４ノードのクラスター", {"nodes": 4}),  # full width
        ("十六ノードで", {"nodes": 16}),  # kanji
        ("二十台のホスト", {"nodes": 20}),
        ("三ノード", {"nodes": 3}),
        ("フェールオーバー クラスターに 4 つのノードがある場合", {"nodes": 4}),
        ("ノード数は 6", {"nodes": 6}),
        ("ノードが 8 つ", {"nodes": 8}),
        ("How many in a 4-node cluster?", {"nodes": 4}),
        ("a cluster of 6 nodes", {"nodes": 6}),
        ("with 8 hosts", {"nodes": 8}),
        ("4台のサーバー", {"nodes": 4}),
        # things that look like node counts and are not
        ("Windows Server 2008 R2 の Hyper-V", {}),
        ("R2 ノード", {}),
        ("1 つの VM を移行する", {}),
        ("VM を 3 台移行したい", {}),
        ("10 台の仮想マシン", {}),
        ("ホスト 1 台あたり 8 GB", {"memory_mb": 8000}),
        ("x64 の 2.5 ノード", {}),
        # memory
        ("16 GB の VM", {"memory_mb": 16000}),
        ("8 GiB VM", {"memory_mb": 8 * 1073.741824}),  # 8 * 2**30 / 10**6
        ("５１２ＭＢ", {"memory_mb": 512}),
        ("1TB", {"memory_mb": 1_000_000}),
        ("八ギガバイト", {"memory_mb": 8000}),
        ("8ギガのメモリ", {"memory_mb": 8000}),
        ("1,024 MB", {"memory_mb": 1024}),
        # links
        ("8GB の VM を 1Gbps で", {"memory_mb": 8000, "link_mbps": 1000}),
        ("8 GB over 10 GbE", {"memory_mb": 8000, "link_mbps": 10000}),
        ("10ギガのネットワーク", {"link_mbps": 10000}),
        ("100Mbps", {"link_mbps": 100}),
        ("1 Gb link", {"link_mbps": 1000}),  # lower-case b: bits
        ("ギガビット イーサネット 1 本", {}),  # no number before the unit
        # dirty rate, written out or as a load word
        ("50MB/s のダーティ率", {"dirty_rate_mbps": 50}),
        ("高負荷の VM", {"dirty_rate_mbps": 200}),
        ("負荷が高い", {"dirty_rate_mbps": 200}),
        ("中程度の負荷", {"dirty_rate_mbps": 50}),
        ("light load", {"dirty_rate_mbps": 10}),
        ("16GB, 10Gbps, heavy load, 4 nodes",
         {"memory_mb": 16000, "link_mbps": 10000, "dirty_rate_mbps": 200, "nodes": 4}),
        ("heavy load but 30MB/s", {"dirty_rate_mbps": 30}),  # a written rate wins
        # no number at all
        ("ライブ マイグレーションとは何ですか。", {}),
        ("", {}),
    ],
)
def test_extract_parameters(question: str, expected: dict[str, Any]) -> None:
    found = extract_parameters(question)
    assert found.keys() == expected.keys()
    for key, value in expected.items():
        assert found[key] == pytest.approx(value)


def test_four_nodes_gives_two() -> None:
    [result] = checks_for_question("4 ノードのクラスターでは同時にいくつのライブ マイグレーションを"
                                   "実行できますか", ["max-concurrent-migrations"])
    assert (result.entry, result.value) == ("concurrent-migrations", 2)
    assert result.to_json("ja")["inputs"] == {"nodes": 4}


# Light load (the default) on 1 Gbps: B = 1000 / 8 * 0.95 = 118.75 MB/s, r = 10 / 118.75 = 8/95,
# converged after 2 passes: total = 3 s fixed + 8000 * (1 + 8/95 + (8/95)**2) / 118.75.
EIGHT_GB_LIGHT = 3 + 8000 * (1 + 8 / 95 + (8 / 95) ** 2) / 118.75


@pytest.mark.parametrize(
    ("question", "check_ids", "expected"),
    [
        ("8GB の VM を 1Gbps で移行すると何秒かかりますか", ["migration-time"],
         [("migration-time", EIGHT_GB_LIGHT)]),
        ("4 ノードで 8GB の VM を 1Gbps で移行", ["max-concurrent-migrations", "migration-time"],
         [("max-concurrent-migrations", 2), ("migration-time", EIGHT_GB_LIGHT)]),
        ("4 ノードで 8GB の VM", ["migration-time", "max-concurrent-migrations"],
         [("migration-time", EIGHT_GB_LIGHT), ("max-concurrent-migrations", 2)]),
        ("20 ノードでは", ["max-concurrent-migrations"], [("max-concurrent-migrations", None)]),
        ("ライブ マイグレーションにかかる時間は", ["migration-time"], []),  # no memory given
        ("8GB の VM", ["max-concurrent-migrations"], []),  # no node count given
        ("4 ノード", ["cluster-validator"], []),  # never from a question
        ("4 ノード", ["max-concurrent-migrations", "max-concurrent-migrations"],
         [("max-concurrent-migrations", 2)]),  # each check once
        ("8GB over 200Gbps", ["migration-time"], []),  # beyond 100 Gbps: skipped
    ],
)
def test_checks_for_question(question: str, check_ids: list[str],
                             expected: list[tuple[str, Any]]) -> None:
    results = checks_for_question(question, check_ids)
    assert [r.check for r in results] == [check for check, _ in expected]
    for result, (_, value) in zip(results, expected, strict=True):
        assert result.value == (None if value is None else pytest.approx(value))


def test_missing_link_assumes_one_gigabit_and_says_so() -> None:
    [result] = checks_for_question("8GB の VM の移行時間", ["migration-time"])
    assert result.value == pytest.approx(EIGHT_GB_LIGHT)
    assert result.inputs["link_mbps"] == 1000
    assert result.extra["assumed"] == ["link_mbps"]
    assert "1 Gbps と仮定" in result.explanation["ja"]
    assert "1 Gbps is assumed" in result.explanation["en"]
    [given] = checks_for_question("8GB の VM を 1Gbps で", ["migration-time"])
    assert "assumed" not in given.extra


def test_load_word_is_named_in_the_explanation() -> None:
    [result] = checks_for_question("高負荷の 8GB VM を 10GbE で", ["migration-time"])
    assert (result.inputs["load"], result.inputs["dirty_rate_mbps"]) == ("heavy", 200)
    assert "高負荷" in result.explanation["ja"] and "heavy load" in result.explanation["en"]
    [given] = checks_for_question("8GB VM, 30MB/s, 10GbE", ["migration-time"])
    assert (given.inputs["load"], given.inputs["dirty_rate_mbps"]) == (None, 30)


@given(st.text(max_size=200))
@settings(max_examples=500, deadline=None)
def test_extract_never_fails_on_any_text(question: str) -> None:
    found = extract_parameters(question)
    assert set(found) <= {"nodes", "memory_mb", "link_mbps", "dirty_rate_mbps"}
    checks_for_question(question, ["max-concurrent-migrations", "migration-time"])
