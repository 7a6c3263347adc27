"""The calculators, the unit parsers, and `faq calc`: expected values worked out by hand."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kb.checks import (
    CHECK_ENTRY,
    CHECK_IDS,
    max_concurrent_migrations,
    migration_time,
    parse_link_mbps,
    parse_rate_mbps,
    parse_size_mb,
)
from kb.checks.units import kanji_to_int, parse_count
from kb.errors import InputError
from tui.cli.parser import main

# --- max-concurrent-migrations -------------------------------------------------------


@pytest.mark.parametrize(
    ("nodes", "expected"),
    [
        (1, 0),  # nowhere to migrate to
        (2, 1),  # 2 // 2
        (3, 1),  # 3 // 2: the odd node waits
        (4, 2),  # the FAQ's own example
        (5, 2),
        (6, 3),  # the quiz item: 6 nodes, 3 pairs
        (15, 7),
        (16, 8),  # the largest supported cluster
    ],
)
def test_max_concurrent_in_range(nodes: int, expected: int) -> None:
    result = max_concurrent_migrations(nodes)
    assert (result.ok, result.value, result.inputs) == (True, expected, {"nodes": nodes})
    assert result.entry == "concurrent-migrations"
    assert str(expected) in result.explanation["ja"] and str(expected) in result.explanation["en"]


@pytest.mark.parametrize("nodes", [0, -1, 17, 64])
def test_max_concurrent_out_of_range_names_requirements(nodes: int) -> None:
    result = max_concurrent_migrations(nodes)
    assert (result.ok, result.value) == (False, None)
    for lang in ("ja", "en"):
        assert "requirements" in result.explanation[lang]
        assert str(nodes) in result.explanation[lang]


@pytest.mark.parametrize("nodes", [4.5, True, "4", None])
def test_max_concurrent_refuses_non_integers(nodes: object) -> None:
    with pytest.raises(InputError) as info:
        max_concurrent_migrations(nodes)  # type: ignore[arg-type]
    assert info.value.field == "nodes"


def test_check_ids_and_entries() -> None:
    assert CHECK_IDS == {"max-concurrent-migrations", "migration-time", "cluster-validator"}
    assert CHECK_ENTRY["migration-time"] == "migration-duration"
    assert max_concurrent_migrations(4).to_json("ja") == {
        "check": "max-concurrent-migrations", "entry": "concurrent-migrations",
        "inputs": {"nodes": 4}, "ok": True, "value": 2, "unit": None,
        "explanation": max_concurrent_migrations(4).explanation["ja"],
    }


# --- migration-time --------------------------------------------------------------------
# 1 Gbps at efficiency 0.95: B = 1000 / 8 * 0.95 = 118.75 MB/s (under the 600 MB/s cap);
# converged when the dirty set is at most B * 0.5 s = 59.375 MB. With r = D / B < 1 the dirty
# set after n passes is M * r**n, and total = 3 s fixed + M * (1 - r**(n+1)) / (1 - r) / B.
# 10 Gbps: 10000 / 8 * 0.95 = 1187.5 MB/s is over the cap, so B = 600 MB/s, target 300 MB.

R_MEDIUM = 50 / 118.75  # 8/19: 8000 * (8/19)**5 = 106.1 > 59.375, 8000 * (8/19)**6 = 44.68 <= 59.375
R_SLOW = 110 / 118.75  # 88/95: 8000 * (88/95)**10 = 3723 MB left after 10 passes


@pytest.mark.parametrize(
    ("args", "total", "pause", "passes", "sent", "converges"),
    [
        # light, r = 10/118.75 = 8/95: 8000*8/95 = 673.7 > 59.375, 8000*64/9025 = 56.73 <= 59.375
        # after 2 passes. sent = 8000*(1 + 8/95 + 64/9025) = 8000 * 9849 / 9025.
        ((8000, 1000, None, "light"), 3 + 8000 * 9849 / 9025 / 118.75, 8000 * 64 / 9025 / 118.75,
         2, 8000 * 9849 / 9025, True),
        # medium, r = 8/19: converges after the 6th pass.
        ((8000, 1000, None, "medium"), 3 + 8000 * (1 - R_MEDIUM**7) / (1 - R_MEDIUM) / 118.75,
         8000 * R_MEDIUM**6 / 118.75, 6, 8000 * (1 - R_MEDIUM**7) / (1 - R_MEDIUM), True),
        # heavy, 200 >= 118.75: each of 10 passes re-sends all 8000 MB, then 8000 MB paused.
        ((8000, 1000, None, "heavy"), 3 + 11 * 8000 / 118.75, 8000 / 118.75, 10, 11 * 8000, False),
        # below the bandwidth but too close to it: 3723 MB still dirty after 10 passes.
        ((8000, 1000, 110, "medium"), 3 + 8000 * (1 - R_SLOW**11) / (1 - R_SLOW) / 118.75,
         8000 * R_SLOW**10 / 118.75, 10, 8000 * (1 - R_SLOW**11) / (1 - R_SLOW), False),
        # nothing dirtied: one pass of 8000 MB at 118.75 MB/s, no pause.
        ((8000, 1000, 0, "medium"), 3 + 8000 / 118.75, 0.0, 1, 8000, True),
        # 10 Gbps: B = 600 (the cap), target 300 MB, r = 50/600 = 1/12. 16000/12 = 1333 > 300,
        # 16000/144 = 111.1 <= 300 after 2 passes. sent = 16000 * (144+12+1) / 144.
        ((16000, 10000, 50, "medium"), 3 + 16000 * 157 / 144 / 600, 16000 / 144 / 600,
         2, 16000 * 157 / 144, True),
    ],
)
def test_migration_time_by_hand(args: tuple, total: float, pause: float, passes: int,
                                sent: float, converges: bool) -> None:
    memory, link, dirty, load = args
    result = migration_time(memory, link, dirty, load=load)
    assert result.value == pytest.approx(total, rel=1e-9)
    assert result.extra["pause_seconds"] == pytest.approx(pause, rel=1e-9, abs=1e-12)
    assert result.extra["passes"] == passes
    assert result.extra["data_sent_mb"] == pytest.approx(sent, rel=1e-9)
    assert result.extra["converges"] is converges is result.ok
    assert result.unit == "s" and result.entry == "migration-duration"


def test_migration_time_efficiency_and_explanations() -> None:
    # 800 Mbps at efficiency 1: B = 800 / 8 = 100 MB/s; 1000 MB with nothing dirty = 10 s,
    # plus the fixed 3 s.
    result = migration_time(1000, 800, 0, efficiency=1.0)
    assert result.value == pytest.approx(13.0)
    assert result.extra["bandwidth_mb_s"] == pytest.approx(100.0)
    heavy = migration_time(8000, 1000, load="heavy")
    assert "収束しません" in heavy.explanation["ja"]
    assert "never converges" in heavy.explanation["en"]
    assert heavy.to_json("en")["explanation"] == heavy.explanation["en"]
    assert heavy.to_json("ja")["passes"] == 10  # extra outputs are flattened into the JSON


def test_migration_time_over_64_gib_is_not_ok() -> None:
    # 64 GiB = 64 * 2**30 bytes = 68719.476736 MB is the limit; 68720 MB is over it.
    assert migration_time(68719.476736, 10000, 0).ok
    result = migration_time(68720, 10000, 0)
    assert (result.ok, result.value, result.extra["passes"]) == (False, None, None)
    assert "64 GB" in result.explanation["ja"] and "64 GB" in result.explanation["en"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"memory_mb": 0}, "memory_mb"),
        ({"memory_mb": -1}, "memory_mb"),
        ({"memory_mb": math.nan}, "memory_mb"),
        ({"memory_mb": math.inf}, "memory_mb"),
        ({"memory_mb": 1e99}, "memory_mb"),
        ({"link_mbps": 0}, "link_mbps"),
        ({"link_mbps": 100_001}, "link_mbps"),  # over 100 Gbps
        ({"link_mbps": math.nan}, "link_mbps"),
        ({"dirty_rate_mbps": -1}, "dirty_rate_mbps"),
        ({"dirty_rate_mbps": math.inf}, "dirty_rate_mbps"),
        ({"efficiency": 0}, "efficiency"),
        ({"efficiency": 1.5}, "efficiency"),
        ({"load": "extreme"}, "load"),
        ({"memory_mb": True}, "memory_mb"),
        ({"memory_mb": 10**400}, "memory_mb"),  # past float range
    ],
)
def test_migration_time_refuses_bad_inputs(kwargs: dict, field: str) -> None:
    args = {"memory_mb": 8000, "link_mbps": 1000, **kwargs}
    with pytest.raises(InputError) as info:
        migration_time(**args)
    assert info.value.field == field


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mb"),
    [
        ("8GB", 8000),
        ("8 GiB", 8 * 1073.741824),  # 8 * 2**30 bytes / 10**6
        ("512MB", 512),
        ("512", 512),  # a bare number is MB
        ("1TB", 1_000_000),
        ("1 TiB", 2**40 / 10**6),
        ("８ＧＢ", 8000),  # full width
        ("八GB", 8000),  # kanji numeral
        ("1.5 GB", 1500),
        ("2,048 MB", 2048),
        ("4 gb", 4000),
        ("16ギガバイト", 16000),
    ],
)
def test_parse_size_mb(text: str, mb: float) -> None:
    assert parse_size_mb(text) == pytest.approx(mb)


@pytest.mark.parametrize(
    ("text", "mbps"),
    [
        ("1Gbps", 1000),
        ("10 GbE", 10000),
        ("100Mbps", 100),
        ("1g", 1000),
        ("10ギガ", 10000),
        ("１０Ｇｂｐｓ", 10000),
        ("2.5 Gb/s", 2500),
        ("1 GB/s", 8000),  # capital B: bytes, 8 bits each
        ("1000", 1000),  # a bare number is Mbps
    ],
)
def test_parse_link_mbps(text: str, mbps: float) -> None:
    assert parse_link_mbps(text) == pytest.approx(mbps)


@pytest.mark.parametrize(
    ("text", "rate"),
    [("50MB/s", 50), ("50", 50), ("0", 0), ("1 GB/s", 1000), ("50 MiB/s", 50 * 1.048576)],
)
def test_parse_rate_mbps(text: str, rate: float) -> None:
    assert parse_rate_mbps(text) == pytest.approx(rate)


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_size_mb, "abc"), (parse_size_mb, ""), (parse_size_mb, "-1GB"),
        (parse_size_mb, "0GB"), (parse_size_mb, "nan"), (parse_size_mb, "inf GB"),
        (parse_size_mb, "1e99"), (parse_size_mb, "8 XB"), (parse_size_mb, "1,5GB"),
        (parse_link_mbps, "0"), (parse_link_mbps, "-1Gbps"), (parse_link_mbps, "fast"),
        (parse_link_mbps, "NaN"), (parse_link_mbps, "1e99 Gbps"),
        (parse_rate_mbps, "-5MB/s"), (parse_rate_mbps, "nan"), (parse_rate_mbps, "50 Mbps"),
    ],
)
def test_parsers_refuse_bad_text_naming_the_field(parse: Callable[..., float], text: str) -> None:
    with pytest.raises(InputError) as info:
        parse(text, field="--x")
    assert info.value.field == "--x"
    assert str(info.value).startswith("--x: ")


@pytest.mark.parametrize(
    ("kanji", "value"),
    [("一", 1), ("十", 10), ("十六", 16), ("二十", 20), ("三十二", 32), ("百", 100),
     ("三百五", 305), ("二〇〇八", 2008)],
)
def test_kanji_to_int(kanji: str, value: int) -> None:
    assert kanji_to_int(kanji) == value


@pytest.mark.parametrize(("text", "value"), [("6", 6), ("６", 6), ("六", 6), ("0", 0)])
def test_parse_count(text: str, value: int) -> None:
    assert parse_count(text, "--nodes") == value


@pytest.mark.parametrize("text", ["abc", "-1", "2.5", "nan", "1e99"])
def test_parse_count_refuses(text: str) -> None:
    with pytest.raises(InputError):
        parse_count(text, "--nodes")


# --- faq calc ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_calc_concurrent_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calc", "max-concurrent-migrations", "--nodes", "6", "--json",
                       "--lang", "en")
    data = json.loads(out)
    assert code == 0
    assert (data["check"], data["entry"], data["value"], data["ok"]) == (
        "max-concurrent-migrations", "concurrent-migrations", 3, True)
    assert data["inputs"] == {"nodes": 6} and isinstance(data["explanation"], str)


def test_calc_concurrent_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calc", "max-concurrent-migrations", "--nodes", "４", "--lang", "ja")
    assert code == 0
    assert "最大 2 個" in out and "→ faq show concurrent-migrations" in out


def test_calc_concurrent_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    # The command line takes 2..16 nodes (README); a question about 17 nodes still gets the
    # explanation through `ask`, where the calculator itself says why.
    code, out, err = run(capsys, "calc", "max-concurrent-migrations", "--nodes", "17", "--json")
    assert code == 2 and out == ""
    assert "--nodes" in err and err.count("\n") == 1


def test_calc_migration_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calc", "migration-time", "--memory", "8GB", "--link", "1Gbps",
                       "--load", "light", "--json")
    data = json.loads(out)
    assert code == 0
    # The light-load case above: 3 + 8000 * 9849 / 9025 / 118.75 s over 2 passes.
    assert data["value"] == pytest.approx(3 + 8000 * 9849 / 9025 / 118.75)
    assert (data["passes"], data["converges"], data["unit"]) == (2, True, "s")
    assert data["inputs"]["memory_mb"] == 8000 and data["inputs"]["load"] == "light"


def test_calc_migration_text_and_non_convergence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calc", "migration-time", "--memory", "8GB", "--link", "1Gbps",
                       "--dirty-rate", "200MB/s", "--lang", "en")
    assert code == 1  # never converges
    assert "converges: no" in out and "→ faq show migration-duration" in out
    # 3 + 11 * 8000 / 118.75 = 744.05 s
    assert "744 s" in out


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--memory", "abc", "--link", "1Gbps"], "--memory"),
        (["--memory", "-1", "--link", "1Gbps"], "--memory"),
        (["--memory", "1e99", "--link", "1Gbps"], "--memory"),
        (["--memory", "nan", "--link", "1Gbps"], "--memory"),
        (["--memory", "8GB", "--link", "0"], "--link"),
        (["--memory", "8GB", "--link", "200Gbps"], "--link"),
        (["--memory", "8GB", "--link", "1Gbps", "--efficiency", "1.5"], "--efficiency"),
        (["--memory", "8GB", "--link", "1Gbps", "--dirty-rate", "-3"], "--dirty-rate"),
        (["--memory", "8GB", "--link", "1Gbps", "--load", "extreme"], "--load"),
    ],
)
def test_calc_bad_values_exit_2_naming_the_option(capsys: pytest.CaptureFixture[str],
                                                  argv: list[str], option: str) -> None:
    code, out, err = run(capsys, "calc", "migration-time", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and option in err and "Traceback" not in err


def test_calc_bad_node_count_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "calc", "max-concurrent-migrations", "--nodes", "abc")
    assert code == 2 and "--nodes" in err


def test_kb_checks_imports_no_ui() -> None:
    code = ("import sys, kb.checks; "
            "print(any(m.split('.')[0] in ('textual', 'rich', 'tui') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)  # this checkout's kb, from anywhere
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("nodes", [1, 2, 16, 17, 0, -3])
def test_every_concurrency_explanation_names_the_node_count(nodes):
    # A property test once drew 1 and found "one-node": the explanation must echo the input.
    result = max_concurrent_migrations(nodes)
    assert str(nodes) in result.explain("en") and str(nodes) in result.explain("ja")
