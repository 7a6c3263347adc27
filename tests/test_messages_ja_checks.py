"""Every error the calculators and the cluster-file reader raise reads in Japanese too.

The Japanese line names the same path, line and field as the English one, keeps the
user's value and any library text (tomllib, ipaddress) verbatim, and English is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kb.checks import load_cluster, max_concurrent_migrations, migration_time, parse_cluster
from kb.checks.units import (
    check_number,
    parse_count,
    parse_link_mbps,
    parse_number,
    parse_rate_mbps,
    parse_size_mb,
)
from kb.errors import ClusterFileError, InputError, KbError
from tests.cluster_files import HEAD, NET, node_toml, vm_toml

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def check_ja(exc: KbError) -> str:
    """Japanese text, the same place as in English, English unchanged; the ja line."""
    ja = exc.render("ja")
    assert exc.render("en") == str(exc)
    assert exc.message_in("en") == exc.message
    assert exc.message_ja and JAPANESE.search(exc.message_ja), exc.message_ja
    assert ja != str(exc)
    where = exc.location()
    assert where, "an error here always names a field or a file"
    assert ja.startswith(where + ": ") and str(exc).startswith(where + ": ")
    assert ja == f"{where}: {exc.message_ja}"
    return ja


# --- the calculators --------------------------------------------------------------------

@pytest.mark.parametrize("call,field,kept", [
    (lambda: parse_size_mb("abc"), "memory", "'abc'"),
    (lambda: parse_size_mb("-3"), "memory", "-3"),
    (lambda: parse_size_mb("0"), "memory", "0"),
    (lambda: parse_size_mb("nan"), "memory", "nan"),
    (lambda: parse_size_mb("inf GB"), "memory", "inf"),
    (lambda: parse_size_mb("1e308"), "memory", "1e+308"),
    (lambda: parse_size_mb("8 XB"), "memory", "'XB'"),
    (lambda: parse_size_mb("1,5GB"), "memory", "'1,5GB'"),
    (lambda: parse_size_mb(8), "memory", "8GB"),  # type: ignore[arg-type]
    (lambda: parse_size_mb("", field="memory_mb"), "memory_mb", "8GB"),
    (lambda: parse_link_mbps("fast"), "link", "1Gbps"),
    (lambda: parse_link_mbps("10 furlongs"), "link", "'furlongs'"),
    (lambda: parse_link_mbps("0Gbps"), "link", "0"),
    (lambda: parse_rate_mbps("-5MB/s"), "dirty_rate", "-5"),
    (lambda: parse_rate_mbps("50 MB/min"), "dirty_rate", "'MB/min'"),
    (lambda: parse_number("7 GB", "efficiency"), "efficiency", "'7 GB'"),
    (lambda: parse_number("x", "efficiency"), "efficiency", "'x'"),
    (lambda: parse_count("2.5", "nodes"), "nodes", "'2.5'"),
    (lambda: parse_count("-1", "nodes"), "nodes", "'-1'"),
    (lambda: max_concurrent_migrations(2.5), "nodes", "2.5"),  # type: ignore[arg-type]
    (lambda: max_concurrent_migrations(True), "nodes", "True"),
    (lambda: migration_time(0, 1000), "memory_mb", "0"),
    (lambda: migration_time(float("nan"), 1000), "memory_mb", "nan"),
    (lambda: migration_time("8GB", 1000), "memory_mb", "str"),  # type: ignore[arg-type]
    (lambda: migration_time(4000, 200_000), "link_mbps", "100 Gbps"),
    (lambda: migration_time(4000, 0.5), "link_mbps", "0.5"),
    (lambda: migration_time(4000, 1000, efficiency=2), "efficiency", "2"),
    (lambda: migration_time(4000, 1000, efficiency=0.001), "efficiency", "0.01"),
    (lambda: migration_time(4000, 1000, dirty_rate_mbps=-1), "dirty_rate_mbps", "-1"),
    (lambda: migration_time(4000, 1000, load="extreme"), "load", "'extreme'"),
    (lambda: check_number(10**400, "memory_gb", low=0, high=10), "memory_gb", "10"),
])
def test_calculator_inputs(call: Callable[[], object], field: str, kept: str) -> None:
    with pytest.raises(InputError) as caught:
        call()
    ja = check_ja(caught.value)
    assert caught.value.field == field and ja.startswith(f"{field}: ")
    assert kept in ja


@pytest.mark.parametrize("call,ja", [
    (lambda: parse_size_mb("abc"), "memory: 'abc' は 8GB のようなサイズではありません"),
    (lambda: parse_number("x", "n"), "n: 'x' は数値ではありません"),
    (lambda: parse_size_mb("0"), "memory: 0 より大きい値を指定してください (指定値: 0)"),
    (lambda: parse_rate_mbps("-1"), "dirty_rate: 0 以上の値を指定してください (指定値: -1)"),
    (lambda: parse_count("2.5", "nodes"), "nodes: '2.5' は 0 以上の整数ではありません"),
    (lambda: migration_time(4000, 200_000),
     "link_mbps: 値が大きすぎます (指定値: 200000)。100 Gbps 以下の値を指定してください"),
    (lambda: migration_time(4000, 1000, load="x"),
     "load: idle, light, medium, heavy のいずれかを指定してください (指定値: 'x')"),
])
def test_calculator_wording(call: Callable[[], object], ja: str) -> None:
    """A few lines in full, so the style (spacing, particles) is pinned down."""
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.render("ja") == ja


PARSERS: list[Callable[[str], object]] = [
    parse_size_mb, parse_link_mbps, parse_rate_mbps,
    lambda text: parse_number(text, "n"), lambda text: parse_count(text, "n"),
]
BAD_PIECES = ["abc", "-3", "0", "nan", "-inf", "inf", "1e308", "1e999", "2.5", "XB", "GB", "MB/s",
              "Gbps", "十六", "８", ",", "1,5", ".", "e5", " ", "\u3000", "'", "𠮷", "\x00", "/"]


@given(st.sampled_from(range(len(PARSERS))),
       st.one_of(st.text(max_size=20),
                 st.lists(st.sampled_from(BAD_PIECES), max_size=4).map("".join)))
@example(0, "abc")
@example(0, "1e308")
@example(1, "-3 Gbps")
@example(3, "nan")
@example(4, "2.5")
def test_any_unit_parser_error_has_japanese(which: int, text: str) -> None:
    try:
        PARSERS[which](text)
    except InputError as exc:
        assert exc.message_ja and JAPANESE.search(exc.message_ja)
        check_ja(exc)


# --- cluster files ----------------------------------------------------------------------

@pytest.mark.parametrize("text,line,field,kept", [
    # invalid TOML: tomllib's own words stay as they are
    (HEAD + "uses_csv = yes\n", 3, None, "TOML"),
    (HEAD + "[[nodes]]\nname = [", 4, None, "TOML"),
    # unknown keys
    ('colour = "red"\n' + HEAD, 1, "colour", "cluster, networks, nodes, vms"),
    (HEAD + 'colour = "red"\n', 3, "cluster.colour", "uses_csv"),
    (HEAD + NET + node_toml(adapters='[{ name = "NIC1", network = "LM", x = 1 }]'), 16,
     "nodes[0].adapters[0].x", "name, network"),
    # missing
    (NET, None, "cluster", "[cluster]"),
    (HEAD + NET + node_toml(os=None), 7, "nodes[0].os", "を指定してください"),
    (HEAD + NET + node_toml() + '[[vms]]\nname = "v1"\nnode = "hv01"\n', 16,
     "vms[0].memory_gb", "数値"),
    # wrong type
    (HEAD + '[nodes]\nname = "x"\n', 3, "nodes", "[[nodes]]"),
    ("cluster = 1\n", 1, "cluster", "テーブルを指定してください (整数が指定されました)"),
    ("networks = [1]\n" + HEAD, 1, "networks[0]", "整数"),
    (HEAD + NET + node_toml(shared_storage='"yes"'), 15, "nodes[0].shared_storage",
     "true または false を指定してください (文字列が指定されました)"),
    (HEAD + NET.replace("= 10", "= true"), 6, "networks[0].speed_gbps", "ブール値"),
    (HEAD + NET.replace("= 10", "= 1979-05-27"), 6, "networks[0].speed_gbps", "日付"),
    (HEAD + NET + 'roles = "vm"\n', 7, "networks[0].roles", "配列"),
    (HEAD + NET + "roles = [1]\n", 7, "networks[0].roles", "文字列の配列"),
    (HEAD + NET + node_toml(adapters='["NIC1"]'), 16, "nodes[0].adapters[0]", 'name = "NIC1"'),
    (HEAD + NET + node_toml(adapters='[{ name = "NIC1" }]'), 16,
     "nodes[0].adapters[0].network", "空でない文字列"),
    (HEAD + NET + node_toml(name='""'), 8, "nodes[0].name", "空"),
    # values not allowed
    (HEAD + NET + node_toml(installation='"partial"'), 11, "nodes[0].installation",
     "'partial' は使用できません (使える値: full | core)"),
    (HEAD + NET + 'roles = ["backup"]\n', 7, "networks[0].roles", "'backup'"),
    (HEAD + NET + node_toml(system_drive='"CSV"'), 16, "nodes[0].system_drive", "C:"),
    (HEAD + NET.replace("= 10", "= 0"), 6, "networks[0].speed_gbps", "0 より大きい値"),
    (HEAD + NET.replace("= 10", "= nan"), 6, "networks[0].speed_gbps", "有限"),
    (HEAD + NET.replace("= 10", "= 1e99"), 6, "networks[0].speed_gbps", "大きすぎます"),
    (HEAD + NET.replace("= 10", "= 1" + "0" * 400), 6, "networks[0].speed_gbps", "大きすぎます"),
    (HEAD + NET + node_toml() + vm_toml(memory_gb="70"), 19, "vms[0].memory_gb", "68.7"),
    # unknown references
    (HEAD + NET + node_toml(adapters='[{ name = "NIC1", network = "SAN" }]'), 16,
     "nodes[0].adapters[0].network", "'SAN'"),
    (HEAD + NET + node_toml() + vm_toml(node='"hv09"'), 18, "vms[0].node", "'hv09'"),
    # duplicate names
    (HEAD + NET + NET, 8, "networks[1].name", "'LM'"),
    (HEAD + NET + node_toml() + node_toml(), 17, "nodes[1].name", "nodes[0]"),
    # bad subnet / ip: ipaddress's own words stay as they are
    (HEAD + NET.replace("0/24", "1/24"), 5, "networks[0].subnet", "has host bits set"),
    (HEAD + NET.replace("192.168.10.0/24", "nope"), 5, "networks[0].subnet", "192.168.10.0/24"),
    (HEAD + NET + node_toml(ip='"10.0.0.300/24"'), 14, "nodes[0].ip", "10.0.0.300"),
    (HEAD + NET + node_toml(ip='"10.0.0.11"'), 14, "nodes[0].ip", "10.0.0.11/24"),
])
def test_invalid_cluster_files(text: str, line: int | None, field: str | None,
                               kept: str) -> None:
    with pytest.raises(ClusterFileError) as caught:
        parse_cluster(text, "c.toml")
    exc = caught.value
    assert (exc.path, exc.line, exc.field) == ("c.toml", line, field)
    ja = check_ja(exc)
    where = "c.toml" if line is None else f"c.toml:{line}"
    assert ja.startswith(where + (f": {field}: " if field else ": "))
    assert kept in ja


def test_library_text_is_kept_verbatim() -> None:
    """The frame is translated; what tomllib or ipaddress said is passed on as it is."""
    cases = [(HEAD + "uses_csv = yes\n", "not valid TOML: ", "有効な TOML ではありません: "),
             (HEAD + NET.replace("0/24", "1/24"), "not a subnet such as 192.168.10.0/24: ",
              "192.168.10.0/24 のようなサブネットではありません: "),
             (HEAD + NET + node_toml(ip='"10.0.0.300/24"'), "not an address with its subnet: ",
              "サブネット付きのアドレスではありません: ")]
    for text, frame_en, frame_ja in cases:
        with pytest.raises(ClusterFileError) as caught:
            parse_cluster(text, "c.toml")
        exc = caught.value
        assert exc.message.startswith(frame_en) and exc.message_ja
        assert exc.message_ja == frame_ja + exc.message.removeprefix(frame_en)


def test_wording_of_cluster_errors() -> None:
    with pytest.raises(ClusterFileError) as caught:
        parse_cluster(HEAD + 'colour = "red"\n', "c.toml")
    assert caught.value.render("ja") == \
        "c.toml:3: cluster.colour: 不明なキーです (使えるキー: name, uses_csv)"
    with pytest.raises(ClusterFileError) as caught:
        parse_cluster(HEAD + NET + node_toml() + node_toml(), "c.toml")
    assert caught.value.render("ja") == \
        "c.toml:17: nodes[1].name: 名前 'hv01' が重複しています (nodes[0] と同じ)"


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ClusterFileError) as missing:
        load_cluster(tmp_path / "none.toml")
    assert check_ja(missing.value).startswith(f"{tmp_path / 'none.toml'}: ファイルを読み取れません: ")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'[cluster]\nname = "caf\xe9"\n')
    with pytest.raises(ClusterFileError) as bad:
        load_cluster(latin1)
    assert check_ja(bad.value) == f"{latin1}:2: UTF-8 のテキストではありません"
