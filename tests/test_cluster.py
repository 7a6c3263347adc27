"""The cluster file reader, every validator rule (passing and failing), and `faq check`."""

from __future__ import annotations

import ipaddress
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.checks import (
    RULES,
    Adapter,
    Cluster,
    Finding,
    Network,
    Node,
    Vm,
    load_cluster,
    parse_cluster,
    validate_cluster,
)
from kb.checks.toml_lines import TomlLines
from kb.errors import ClusterFileError
from tests.cluster_files import HEAD, NET, NODE_KEYS, node_toml, vm_toml
from tui.cli.parser import main

DATA = Path(__file__).parent / "data" / "clusters"
EXAMPLES = Path(__file__).parent.parent / "faq_data" / "examples"


def good() -> Cluster:
    """Three nodes hv01-hv03, networks Mgmt (1 Gbps) and LM (10 Gbps, private), VMs app01, db01."""
    return load_cluster(DATA / "good.toml")


def node(i: int, **changes: Any) -> Callable[[Cluster], Cluster]:
    def change(c: Cluster) -> Cluster:
        nodes = list(c.nodes)
        nodes[i] = replace(nodes[i], **changes)
        return replace(c, nodes=tuple(nodes))
    return change


def all_nodes(**changes: Any) -> Callable[[Cluster], Cluster]:
    return lambda c: replace(c, nodes=tuple(replace(n, **changes) for n in c.nodes))


def network(name: str, **changes: Any) -> Callable[[Cluster], Cluster]:
    return lambda c: replace(c, networks=tuple(
        replace(n, **changes) if n.name == name else n for n in c.networks))


def vm(name: str, **changes: Any) -> Callable[[Cluster], Cluster]:
    return lambda c: replace(c, vms=tuple(
        replace(v, **changes) if v.name == name else v for v in c.vms))


def both(*changes: Callable[[Cluster], Cluster]) -> Callable[[Cluster], Cluster]:
    def change(c: Cluster) -> Cluster:
        for f in changes:
            c = f(c)
        return c
    return change


def many_nodes(count: int) -> Callable[[Cluster], Cluster]:
    def change(c: Cluster) -> Cluster:
        nodes = tuple(replace(c.nodes[0], name=f"n{i:02}",
                              ip=ipaddress.ip_interface(f"10.0.0.{i + 1}/24"))
                      for i in range(count))
        return replace(c, nodes=nodes, vms=())
    return change


def findings(c: Cluster, rule: str) -> list[Finding]:
    return [f for f in validate_cluster(c).findings if f.rule == rule]


# --- every rule, failing -----------------------------------------------------------------

ONE_ADAPTER = (Adapter("NIC2", "LM"),)
NO_PRIVATE = (Adapter("NIC1", "Mgmt"), Adapter("NIC3", "Mgmt"))


@pytest.mark.parametrize(
    ("rule", "change", "severity", "nodes", "vms"),
    [
        ("node-count", lambda c: replace(c, nodes=c.nodes[:1], vms=()), "error", ["hv01"], []),
        ("node-count", many_nodes(17), "error", [f"n{i:02}" for i in range(17)], []),
        ("os-version", node(2, os="Windows Server 2008"), "error", ["hv03"], []),
        ("os-version", all_nodes(os="Windows Server 2012"), "error", ["hv01", "hv02", "hv03"],
         []),
        ("architecture", node(1, architecture="x86"), "error", ["hv02"], []),
        ("architecture", node(2, architecture="ia64"), "error", ["hv03"], []),  # mixed
        ("edition", node(0, edition="Standard"), "error", ["hv01"], []),
        ("edition", node(1, edition="Web"), "error", ["hv02"], []),
        ("installation-type", node(1, installation="core"), "error", ["hv02"], []),
        ("updates", node(2, updates=("KB2263829",)), "error", ["hv03"], []),
        ("updates", node(1, service_pack="RTM"), "error", ["hv02"], []),
        ("same-subnet", node(2, ip=ipaddress.ip_interface("10.0.1.13/24")), "error", ["hv03"],
         []),
        ("same-subnet", node(0, ip=ipaddress.ip_interface("10.0.0.11/16")), "error", ["hv01"],
         []),
        ("shared-storage", node(1, shared_storage=False), "error", ["hv02"], []),
        ("live-migration-network", network("LM", roles=("cluster",)), "warning", [], []),
        ("live-migration-network", network("LM", speed_gbps=0.1), "warning", [], []),
        ("live-migration-network", network("LM", roles=("live-migration", "management")),
         "warning", [], []),
        ("live-migration-network", node(2, adapters=(Adapter("NIC1", "Mgmt"),)), "warning",
         ["hv03"], []),
        ("private-network", node(1, adapters=ONE_ADAPTER), "warning", ["hv02"], []),
        ("private-network", node(0, adapters=NO_PRIVATE), "warning", ["hv01"], []),
        ("processor-vendor", node(2, cpu_vendor="AMD"), "error", ["hv03"], []),
        # app01 has processor compatibility off (the default); db01 has it on
        ("processor-version", node(2, cpu_model="Xeon X5690"), "warning", ["hv03"], ["app01"]),
        ("processor-version", both(node(2, cpu_model="Xeon X5690"),
                                   vm("app01", processor_compatibility=True)),
         "info", ["hv03"], []),
        ("virtual-switch-names", node(1, virtual_switches=("External 1",)), "error", ["hv02"],
         ["app01", "db01"]),
        ("virtual-switch-names", vm("db01", switches=("External", "Backup")), "error",
         ["hv01", "hv02", "hv03"], ["db01"]),
        ("system-drive", node(2, system_drive="D:"), "error", ["hv03"], []),
    ],
)
def test_rule_fires(rule: str, change: Callable[[Cluster], Cluster], severity: str,
                    nodes: list[str], vms: list[str]) -> None:
    found = findings(change(good()), rule)
    assert found, f"{rule} did not fire"
    first = found[0]
    assert (first.severity, first.nodes, first.vms) == (severity, nodes, vms)
    assert first.entry == RULES[rule][1]
    assert first.message["ja"] and first.message["en"]


def test_updates_names_the_missing_update() -> None:
    [finding] = findings(node(2, updates=("KB2263829",))(good()), "updates")
    assert "KB2494016" in finding.message["ja"] and "KB2494016" in finding.message["en"]
    assert "hv03" in finding.message["en"]


# --- every rule, passing ----------------------------------------------------------------

CHECKED_RULES = [r for r, (severity, _) in RULES.items() if severity != "info"]


@pytest.mark.parametrize("rule", CHECKED_RULES)
def test_rule_passes_on_good_cluster(rule: str) -> None:
    assert findings(good(), rule) == []


@pytest.mark.parametrize(
    ("rule", "change"),
    [
        ("node-count", many_nodes(16)),
        ("node-count", lambda c: replace(c, nodes=c.nodes[:2], vms=())),
        ("os-version", all_nodes(os="Microsoft Hyper-V Server 2008 R2")),
        ("edition", all_nodes(edition="Hyper-V Server")),
        ("edition", node(0, edition="enterprise")),
        ("architecture", all_nodes(architecture="ia64")),
        ("installation-type", all_nodes(installation="core")),
        ("updates", all_nodes(service_pack="RTM", updates=())),
        ("same-subnet", node(2, ip=ipaddress.ip_interface("10.0.0.200/24"))),
        ("live-migration-network", network("LM", roles=("live-migration", "storage"))),
        ("private-network", all_nodes(adapters=(Adapter("a", "Mgmt"), Adapter("b", "LM")))),
        ("processor-vendor", all_nodes(cpu_vendor="AMD")),
        ("processor-version", node(2, cpu_model="")),  # unknown model: nothing to compare
        ("virtual-switch-names", all_nodes(virtual_switches=("External", "Internal"))),
        ("system-drive", both(node(2, system_drive="D:"), lambda c: replace(c, uses_csv=False))),
        ("system-drive", all_nodes(system_drive="E:")),
    ],
)
def test_rule_passes(rule: str, change: Callable[[Cluster], Cluster]) -> None:
    assert findings(change(good()), rule) == []


# --- the two info rules -----------------------------------------------------------------


def test_concurrency_info() -> None:
    [finding] = findings(good(), "concurrency")
    assert finding.severity == "info"
    assert "3-node cluster runs at most 1 live migration" in finding.message["en"]  # 3 // 2
    assert findings(replace(good(), nodes=good().nodes[:1], vms=()), "concurrency") == []


def test_migration_time_info() -> None:
    app01, db01 = findings(good(), "migration-time")
    assert (app01.nodes, app01.vms, db01.vms) == (["hv01"], ["app01"], ["db01"])
    # app01: 7 GB, nothing dirtied, over LM at 10 Gbps: 10000 / 8 * 0.95 = 1187.5 MB/s is over
    # the 600 MB/s cap, so B = 600; one pass of 7000 MB = 11.67 s, no pause, plus 3 s fixed.
    assert "about 14.7 s in all over network LM (10 Gbps), pausing about 0 s" in app01.message["en"]
    assert "ネットワーク LM (10 Gbps) 経由で約 14.7 秒" in app01.message["ja"]
    no_lm = network("LM", roles=("cluster",))(good())
    assert "network LM (10 Gbps)" in findings(no_lm, "migration-time")[0].message["en"]
    bare = replace(good(), networks=())
    assert "1 Gbps (default)" in findings(bare, "migration-time")[0].message["en"]


def test_report_json_and_summary() -> None:
    report = validate_cluster(good())
    data = report.to_json("en")
    # concurrency + one migration-time per VM (app01, db01)
    assert data["summary"] == {"errors": 0, "warnings": 0, "info": 3}
    assert data["cluster"] == "test"
    assert set(data["findings"][0]) == {"rule", "severity", "entry", "message", "nodes", "vms"}
    assert isinstance(data["findings"][0]["message"], str)


# --- files that are not valid ----------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (HEAD + "uses_csv = yes\n", 3, None, "not valid TOML"),
        ('colour = "red"\n' + HEAD, 1, "colour", "unknown key"),
        (HEAD + 'colour = "red"\n', 3, "cluster.colour", "unknown key"),
        (NET, None, "cluster", "missing"),
        (HEAD + '[nodes]\nname = "x"\n', 3, "nodes", "expected [[nodes]]"),
        # 2 + 4 + 9 lines of node, the extra key on line 16
        (HEAD + NET + node_toml(memory="4"), 16, "nodes[0].memory", "unknown key"),
        (HEAD + NET + node_toml(shared_storage='"yes"'), 15, "nodes[0].shared_storage",
         "got a string"),
        (HEAD + NET + node_toml(ip='"10.0.0.300/24"'), 14, "nodes[0].ip", "address"),
        (HEAD + NET + node_toml(ip='"10.0.0.11"'), 14, "nodes[0].ip", "prefix length"),
        (HEAD + NET + node_toml(installation='"partial"'), 11, "nodes[0].installation",
         "full | core"),
        (HEAD + NET + node_toml(name='""'), 8, "nodes[0].name", "empty"),
        # a missing key: the line of its table's header, 2 + 4 + 1
        (HEAD + NET + node_toml(os=None), 7, "nodes[0].os", "missing"),
        # the second node's ip: 2 + 4 + 9 + 8
        (HEAD + NET + node_toml() + node_toml(name='"hv02"', ip='"x"'), 23, "nodes[1].ip",
         "address"),
        (HEAD + NET + node_toml() + node_toml(), 17, "nodes[1].name", "duplicate"),
        (HEAD + NET + node_toml(adapters='[{ name = "NIC1", network = "SAN" }]'), 16,
         "nodes[0].adapters[0].network", "unknown network"),
        (HEAD + NET + node_toml(adapters='[{ name = "NIC1" }]'), 16,
         "nodes[0].adapters[0].network", "non-empty string"),
        (HEAD + NET.replace("0/24", "1/24"), 5, "networks[0].subnet", "host bits"),
        (HEAD + NET + 'roles = ["backup"]\n', 7, "networks[0].roles", "unknown role"),
        (HEAD + NET.replace("= 10", "= nan"), 6, "networks[0].speed_gbps", "finite"),
        (HEAD + NET.replace("= 10", "= inf"), 6, "networks[0].speed_gbps", "finite"),
        (HEAD + NET.replace("= 10", "= -1"), 6, "networks[0].speed_gbps", "greater than 0"),
        (HEAD + NET.replace("= 10", "= 0"), 6, "networks[0].speed_gbps", "greater than 0"),
        (HEAD + NET.replace("= 10", "= 1e99"), 6, "networks[0].speed_gbps", "too large"),
        (HEAD + NET.replace("= 10", "= true"), 6, "networks[0].speed_gbps", "boolean"),
        (HEAD + NET.replace("= 10", "= 1" + "0" * 400), 6, "networks[0].speed_gbps", "too large"),
        (HEAD + 'name = "c2"\n', 3, None, "not valid TOML"),  # a key given twice
        (HEAD + "[[nodes]]\nname = [", 4, None, "not valid TOML"),  # cut off at the end
        # 2 + 4 + 9 + 3: the node key of the VM
        (HEAD + NET + node_toml() + vm_toml(node='"hv09"'), 18, "vms[0].node", "unknown node"),
        (HEAD + NET + node_toml() + vm_toml(memory_gb="70"), 19, "vms[0].memory_gb",
         "too large"),  # over 64 GiB = 68.72 GB
        (HEAD + NET + node_toml() + vm_toml(memory_gb="-4"), 19, "vms[0].memory_gb", "greater"),
        (HEAD + NET + node_toml() + vm_toml(dirty_rate_mbps="nan"), 20, "vms[0].dirty_rate_mbps",
         "finite"),
        (HEAD + NET + node_toml() + vm_toml() + vm_toml(), 21, "vms[1].name", "duplicate"),
    ],
)
def test_invalid_file(text: str, line: int | None, field: str | None, words: str) -> None:
    with pytest.raises(ClusterFileError) as info:
        parse_cluster(text, "c.toml")
    error = info.value
    assert (error.path, error.line, error.field) == ("c.toml", line, field)
    assert words in error.message
    where = "c.toml" if line is None else f"c.toml:{line}"
    assert str(error).startswith(where + (f": {field}: " if field else ": "))


def test_load_cluster_reads_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + NET + node_toml()).replace("\n", "\r\n").encode())
    assert load_cluster(path).nodes[0].name == "hv01"


def test_load_cluster_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ClusterFileError) as missing:
        load_cluster(tmp_path / "none.toml")
    assert missing.value.path == str(tmp_path / "none.toml") and missing.value.line is None
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'[cluster]\nname = "caf\xe9"\n')
    with pytest.raises(ClusterFileError) as bad:
        load_cluster(latin1)
    assert bad.value.line == 2 and "UTF-8" in bad.value.message


TOML_LINES_TEXT = ('title = "x"\n[cluster]\nname = "c"\n[[nodes]]\nip = "a"\n'
                   '# comment\n[[nodes]]\nip = "b"\n')
# lines: 1 title, 2 [cluster], 3 name, 4 [[nodes]], 5 ip, 6 comment, 7 [[nodes]], 8 ip


@pytest.mark.parametrize(
    ("table", "index", "key", "line"),
    [
        ("cluster", None, "name", 3),
        ("cluster", None, None, 2),
        ("nodes", 0, "ip", 5),
        ("nodes", 1, "ip", 8),
        ("nodes", 1, "os", 7),  # no such key: the table's header
        ("vms", 0, None, None),  # no such table
        ("title", None, None, 1),  # a top-level key
    ],
)
def test_toml_lines(table: str, index: int | None, key: str | None, line: int | None) -> None:
    assert TomlLines(TOML_LINES_TEXT).line(table, index, key) == line


# --- faq check --------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_shipped_example_has_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLES / "cluster.toml"), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["cluster"] == "hvc01" and len(load_cluster(EXAMPLES / "cluster.toml").nodes) == 4
    assert (data["summary"]["errors"], data["summary"]["warnings"]) == (0, 0)


def test_broken_example_fires_eight_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLES / "cluster-broken.toml"), "--json",
                       "--lang", "en")
    data = json.loads(out)
    assert code == 1
    fired = {f["rule"] for f in data["findings"] if f["severity"] != "info"}
    assert len(fired) >= 8
    assert data["summary"]["errors"] == sum(f["severity"] == "error" for f in data["findings"])


def test_check_text_groups_by_severity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLES / "cluster-broken.toml"), "--lang", "ja")
    assert code == 1
    assert out.index("エラー (") < out.index("警告 (") < out.index("情報 (")
    assert "[system-drive]" in out and "→ faq show csv-drive-letter" in out
    assert "ノード: hv03" in out
    assert out.rstrip().splitlines()[-1].startswith("エラー ")


def test_check_invalid_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(HEAD + NET + node_toml(ip='"10.0.0.11"'), encoding="utf-8")
    code, out, err = run(capsys, "check", "--lang", "en", str(path))
    assert (code, out) == (2, "")
    # 2 + 4 + 8: the ip line of the first node
    assert err == f"faq: {path}:14: nodes[0].ip: not an address with its subnet: give the " \
                  f"prefix length too, e.g. 10.0.0.11/24\n"
    code, out, err = run(capsys, "check", "--lang", "ja", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"faq: {path}:14: nodes[0].ip: ") and "プレフィックス長" in err


def test_check_tui_falls_back_to_text(capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tui.app.app", None)  # importing it raises ImportError
    code, out, _ = run(capsys, "check", str(DATA / "good.toml"), "--tui", "--lang", "en")
    assert code == 0 and out.startswith("Cluster test")


def test_check_text_shows_control_characters_harmlessly(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    path = tmp_path / "evil.toml"
    text = (DATA / "good.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('name = "test"', 'name = "t\\u001b[2J"'), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--lang", "en")
    assert code == 0
    assert "\x1b" not in out and "t^[[2J" in out


# --- generated cluster files -------------------------------------------------------------
# Structurally valid cluster TOML, drawn with the Cluster it must read as, and at times one
# planted fault whose field and line the error must name.

_CHARS = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/#=[]{}'\"\\")
_CHARS += list("ノード仮想外部スイッチ")
_NAME = st.text(st.sampled_from(_CHARS), min_size=1, max_size=10).filter(lambda s: bool(s.strip()))
# Written with spaces around at times: read back stripped.
_PADDED = st.tuples(st.sampled_from(["", " "]), _NAME, st.sampled_from(["", "  "])).map("".join)
_CHOICE = {  # (as written, as read)
    "installation": [("full", "full"), ("Full", "full"), ("core", "core"), ("Server Core", "core")],
    "architecture": [("x64", "x64"), ("AMD64", "x64"), ("x86_64", "x64"), ("ia64", "ia64"),
                     ("Itanium", "ia64"), ("x86", "x86")],
    "cpu_vendor": [("Intel", "Intel"), ("GenuineIntel", "Intel"), ("amd", "AMD"), ("AuthenticAMD", "AMD")],
}
_SERVICE_PACK = [("SP1", "SP1"), ("sp1", "SP1"), (" Sp2 ", "SP2"), ("", "RTM"), ("none", "RTM")]
_DRIVE = [("C:", "C:"), ("d", "D:"), ("E:\\", "E:"), ("f:", "F:")]
_ROLES = ["live-migration", "cluster", "management", "vm", "storage"]  # as the README lists them
_SUBNETS = ["10.0.0.0/24", "192.168.10.0/24", "172.16.0.0/12", "10.1.0.0/16", "fd00::/64"]
_SPEED = st.one_of(st.integers(1, 100), st.floats(min_value=0.01, max_value=100))
_MEMORY = st.one_of(st.integers(1, 64), st.floats(min_value=0.1, max_value=64))
_DIRTY = st.one_of(st.integers(0, 500), st.floats(min_value=0, max_value=500))
# A value of the wrong kind, planted in place of a key's value of each kind.
_WRONG_KIND = {"str": "1", "bool": '"yes"', "num": '"8"', "list": '"x"'}
# The keys each table must have: what a "missing" fault may drop.
_REQUIRED = {"cluster": {"name"}, "networks": {"name", "subnet", "speed_gbps"},
             "nodes": {"name", "os", "edition", "installation", "architecture", "cpu_vendor", "ip",
                       "shared_storage"},
             "vms": {"name", "node", "memory_gb"}}


def _s(value: str) -> str:
    """A TOML basic string: JSON's escapes for these characters are TOML's."""
    return json.dumps(value, ensure_ascii=False)


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


@dataclass
class _Table:
    table: str
    index: int | None
    keys: list[tuple[str, str, str]]  # (key, TOML value, kind)

    @property
    def where(self) -> str:
        return self.table + ("" if self.index is None else f"[{self.index}]")


@dataclass
class _ClusterFile:
    text: str
    cluster: Cluster | None  # what it reads as, or None when a fault is planted
    field: str | None = None  # the fault's field and line
    line: int | None = None


def _unique_names(draw: st.DrawFn, count: int) -> list[str]:
    return draw(st.lists(_PADDED, min_size=count, max_size=count, unique_by=str.strip))


@st.composite
def cluster_files(draw: st.DrawFn) -> _ClusterFile:
    tables: list[_Table] = []
    name, uses_csv = draw(_PADDED), draw(st.none() | st.booleans())
    keys = [("name", _s(name), "str")] + ([] if uses_csv is None else [("uses_csv", str(uses_csv).lower(), "bool")])
    tables.append(_Table("cluster", None, keys))

    networks = []
    for i, net_name in enumerate(_unique_names(draw, draw(st.integers(0, 3)))):
        subnet, speed = draw(st.sampled_from(_SUBNETS)), draw(_SPEED)
        roles, private = draw(st.lists(st.sampled_from(_ROLES), unique=True)), draw(st.none() | st.booleans())
        keys = [("name", _s(net_name), "str"), ("subnet", _s(subnet), "str"), ("speed_gbps", repr(speed), "num"),
                ("roles", _list(roles), "list")]
        keys += [] if private is None else [("private", str(private).lower(), "bool")]
        tables.append(_Table("networks", i, keys))
        networks.append(Network(net_name.strip(), ipaddress.ip_network(subnet), speed, tuple(roles), bool(private)))

    nodes = []
    for i, node_name in enumerate(_unique_names(draw, draw(st.integers(0, 3)))):
        os_name, edition = draw(_PADDED), draw(_PADDED)
        choice = {key: draw(st.sampled_from(options)) for key, options in _CHOICE.items()}
        ip = draw(st.sampled_from([f"10.0.0.{i + 11}/24", f"fd00::{i + 11:x}/64"]))
        storage = draw(st.booleans())
        keys = [("name", _s(node_name), "str"), ("os", _s(os_name), "str"), ("edition", _s(edition), "str")]
        keys += [(key, _s(written), "str") for key, (written, _read) in choice.items()]
        keys += [("ip", _s(ip), "str"), ("shared_storage", str(storage).lower(), "bool")]
        sp = draw(st.none() | st.sampled_from(_SERVICE_PACK))
        updates = draw(st.lists(st.sampled_from(["kb2263829", "KB2494016", " kb975530 "]), unique=True))
        drive = draw(st.none() | st.sampled_from(_DRIVE))
        model_name = draw(st.none() | _PADDED)
        switches = draw(st.lists(_PADDED, max_size=3))
        adapters = [(draw(_PADDED), draw(st.sampled_from(networks)).name)
                    for _ in range(draw(st.integers(0, 2)) if networks else 0)]
        keys += [] if sp is None else [("service_pack", _s(sp[0]), "str")]
        keys += [("updates", _list(updates), "list"), ("virtual_switches", _list(switches), "list")]
        keys += [] if drive is None else [("system_drive", _s(drive[0]), "str")]
        keys += [] if model_name is None else [("cpu_model", _s(model_name), "str")]
        if adapters:
            inline = ", ".join(f"{{ name = {_s(a)}, network = {_s(n)} }}" for a, n in adapters)
            keys.append(("adapters", f"[{inline}]", "list"))
        tables.append(_Table("nodes", i, keys))
        nodes.append(Node(
            name=node_name.strip(), os=os_name.strip(), edition=edition.strip(),
            installation=choice["installation"][1], architecture=choice["architecture"][1],
            cpu_vendor=choice["cpu_vendor"][1], ip=ipaddress.ip_interface(ip), shared_storage=storage,
            service_pack="RTM" if sp is None else sp[1], updates=tuple(u.strip().upper() for u in updates),
            cpu_model="" if model_name is None else model_name.strip(),
            system_drive="C:" if drive is None else drive[1],
            virtual_switches=tuple(s.strip() for s in switches),
            adapters=tuple(Adapter(a.strip(), n) for a, n in adapters)))

    vms = []
    for i, vm_name in enumerate(_unique_names(draw, draw(st.integers(0, 3)) if nodes else 0)):
        host, memory = draw(st.sampled_from(nodes)).name, draw(_MEMORY)
        switches = draw(st.lists(_PADDED, max_size=2))
        compat, dirty = draw(st.none() | st.booleans()), draw(st.none() | _DIRTY)
        keys = [("name", _s(vm_name), "str"), ("node", _s(" " + host), "str"), ("memory_gb", repr(memory), "num"),
                ("switches", _list(switches), "list")]
        keys += [] if compat is None else [("processor_compatibility", str(compat).lower(), "bool")]
        keys += [] if dirty is None else [("dirty_rate_mbps", repr(dirty), "num")]
        tables.append(_Table("vms", i, keys))
        vms.append(Vm(vm_name.strip(), host, memory, tuple(s.strip() for s in switches), bool(compat),
                      None if dirty is None else dirty))

    fault = draw(st.sampled_from([None, "kind", "missing", "unknown", "duplicate"]))
    field = None
    if fault == "duplicate":
        named = [(a, b) for a, b in zip(tables, tables[1:], strict=False) if a.table == b.table]
        fault = None if not named else fault
        if named:
            first, second = draw(st.sampled_from(named))
            second.keys[0] = ("name", first.keys[0][1], "str")
            field = f"{second.where}.name"
    elif fault is not None:
        table = draw(st.sampled_from(tables))
        if fault == "unknown":
            table.keys.append(("colour", '"red"', "str"))
            field = f"{table.where}.colour"
        else:
            n = draw(st.sampled_from([n for n, (key, _v, _k) in enumerate(table.keys)
                                      if key in _REQUIRED[table.table] or fault == "kind"]))
            key, _value, kind = table.keys[n]
            if fault == "kind":
                table.keys[n] = (key, _WRONG_KIND[kind], kind)
            else:
                del table.keys[n]
            field = f"{table.where}.{key}"

    lines: list[str] = []
    at: dict[str, int] = {}  # field -> its line, or a table's header line for a missing key
    for table in tables:
        lines.append(f"[{table.table}]" if table.index is None else f"[[{table.table}]]")
        header = len(lines)
        for key, value, _kind in table.keys:
            lines.append(f"{key} = {value}")
            at[f"{table.where}.{key}"] = len(lines)
        if fault == "missing" and field and field.startswith(table.where + "."):
            at[field] = header
        lines.append("")
    text = "\n".join(lines)
    if fault is None:
        return _ClusterFile(text, Cluster(name.strip(), bool(uses_csv), tuple(networks), tuple(nodes), tuple(vms),
                                          path="c.toml"))
    assert field is not None
    return _ClusterFile(text, None, field, at[field])


@given(cluster_files())
@settings(max_examples=100, deadline=None)
def test_a_generated_cluster_file_reads_as_written_or_names_the_planted_fault(file: _ClusterFile) -> None:
    if file.cluster is not None:
        assert parse_cluster(file.text, "c.toml") == file.cluster
        return
    with pytest.raises(ClusterFileError) as info:
        parse_cluster(file.text, "c.toml")
    assert (info.value.field, info.value.line) == (file.field, file.line), (str(info.value), file.text)


def _cut(file_and_at: tuple[_ClusterFile, int]) -> str:
    file, at = file_and_at
    return file.text[: at % (len(file.text) + 1)]


@given(st.one_of(st.text(max_size=300), st.tuples(cluster_files(), st.integers(0, 10**6)).map(_cut)))
@settings(max_examples=200, deadline=None)
def test_any_text_is_a_cluster_or_a_cluster_file_error(text: str) -> None:
    # Random text is seldom TOML, so cluster files cut short anywhere are drawn too.
    try:
        cluster = parse_cluster(text, "c.toml")
    except ClusterFileError as exc:
        assert exc.path == "c.toml" and exc.message
        assert exc.field or exc.line, str(exc)  # it says where
        if exc.line is not None:
            assert 1 <= exc.line <= text.count("\n") + 1, (exc.line, text)
        where = "c.toml" + ("" if exc.line is None else f":{exc.line}")
        assert str(exc).startswith(where + (f": {exc.field}: " if exc.field else ": "))
    else:
        assert isinstance(cluster, Cluster) and cluster.path == "c.toml"


@given(st.dictionaries(st.sampled_from(sorted(NODE_KEYS) + ["adapters", "updates"]),
                       st.sampled_from(['""', "1", "-1", "nan", "1e999", "true", "[]", "[1]",
                                        "[{}]", '"10.0.0.1/33"', "{ a = 1 }"])))
@settings(max_examples=300, deadline=None)
def test_any_node_values_give_a_cluster_or_a_field_error(values: dict[str, str]) -> None:
    try:
        parse_cluster(HEAD + NET + node_toml(**values))
    except ClusterFileError as exc:
        assert exc.field and exc.line
