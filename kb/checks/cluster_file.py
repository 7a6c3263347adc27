"""Reads a cluster description from TOML, strictly, into the typed model of kb.checks.cluster."""

from __future__ import annotations

import ipaddress
import re
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NoReturn

from kb.checks.cluster import ROLES, Adapter, Cluster, Network, Node, Vm
from kb.checks.migration import MAX_LINK_MBPS, MIN_LINK_MBPS
from kb.checks.toml_lines import TomlLines
from kb.checks.units import ABSURD, check_number
from kb.content.files import MAX_TOML_DEPTH, deep_nesting_line, read_limited
from kb.errors import ClusterFileError, InputError

# The calculator's limits, in the file's units (decimal GB, Gbps). A VM over 64 GiB cannot
# exist in Hyper-V 2008 R2, so a file with one describes no real cluster.
MAX_LINK_GBPS = MAX_LINK_MBPS / 1000
MIN_LINK_GBPS = MIN_LINK_MBPS / 1000
MAX_VM_MEMORY_GB = 64 * 2**30 / 10**9

_CHOICES = {
    "installation": {"full": "full", "core": "core", "server core": "core"},
    "architecture": {"x64": "x64", "amd64": "x64", "x86-64": "x64", "x86_64": "x64",
                     "ia64": "ia64", "itanium": "ia64", "x86": "x86"},
    "cpu_vendor": {"intel": "Intel", "genuineintel": "Intel", "amd": "AMD",
                   "authenticamd": "AMD"},
}
_DRIVE = re.compile(r"^([A-Za-z]):?\\?$")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")


def load_cluster(path: Path) -> Cluster:
    """Read and check a cluster file; ClusterFileError if it cannot be used."""
    try:
        data = read_limited(Path(path), error=ClusterFileError)  # a FIFO or /dev/zero is refused
    except OSError as exc:
        reason = exc.strerror or exc
        raise ClusterFileError(f"cannot read the file: {reason}", path=str(path),
                               ja=f"ファイルを読み取れません: {reason}") from None
    try:
        text = data.decode("utf-8-sig")  # Notepad on Windows Server writes a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ClusterFileError("not UTF-8 text", path=str(path), line=line,
                               ja="UTF-8 のテキストではありません") from None
    return parse_cluster(text, str(path))


def parse_cluster(text: str, path: str = "<string>") -> Cluster:
    """Parse and check cluster TOML text; ``path`` is only for messages.

    Any problem with the file itself (bad TOML, an unknown key, a wrong type, a VM on an
    unknown node, a bad address) is a ClusterFileError naming the file, the line and the
    field, written ``nodes[2].ip``: 0-based, counting ``[[nodes]]`` tables from the top.
    Problems with the cluster the file describes are findings of ``validate_cluster``.
    """
    deep = deep_nesting_line(text)
    if deep is not None:
        raise ClusterFileError(f"arrays or tables nested more than {MAX_TOML_DEPTH} levels deep; not read",
                               path=path, line=deep,
                               ja=f"配列やテーブルの入れ子が {MAX_TOML_DEPTH} 段を超えています。読み込みません")
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise ClusterFileError("nested too deeply to read", path=path, ja="入れ子が深すぎて読み込めません") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_AT.search(message)
        line = None
        if at:  # "at end of document" is the last line
            line = int(at.group(1)) if at.group(1) else max(1, len(text.splitlines()))
        message = _TOML_AT.sub("", message)
        raise ClusterFileError(f"not valid TOML: {message}", path=path, line=line,
                               ja=f"有効な TOML ではありません: {message}") from None
    return _Reader(text, path).cluster(data)


class _Reader:
    """Turns the parsed TOML into typed objects, failing at the first bad field."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = TomlLines(text)

    def fail(self, message: str, ja: str, table: str, index: int | None = None,
             key: str | None = None, sub: str = "") -> NoReturn:
        """Raise the error ``message`` (Japanese: ``ja``) at ``table[index].key`` + ``sub``."""
        field = table + (f"[{index}]" if index is not None else "") + (f".{key}" if key else "")
        raise ClusterFileError(message, path=self.path, field=field + sub,
                               line=self.lines.line(table, index, key), ja=ja)

    def cluster(self, data: dict[str, Any]) -> Cluster:
        for key in data:
            if key not in ("cluster", "networks", "nodes", "vms"):
                self.fail("unknown key (expected cluster, networks, nodes, vms)",
                          "不明なキーです (使えるキー: cluster, networks, nodes, vms)", key)
        if "cluster" not in data:
            self.fail("missing the [cluster] table", "[cluster] テーブルがありません", "cluster")
        head = self.table(data["cluster"], "cluster", None, {"name", "uses_csv"})
        name = self.text(head, "name", "cluster", None)
        uses_csv = self.flag(head, "uses_csv", "cluster", None, False)
        networks = tuple(self.network(t, i) for i, t in enumerate(self.array(data, "networks")))
        self.unique([n.name for n in networks], "networks")
        known_networks = {n.name for n in networks}
        nodes = tuple(self.node(t, i, known_networks)
                      for i, t in enumerate(self.array(data, "nodes")))
        self.unique([n.name for n in nodes], "nodes")
        node_names = {n.name for n in nodes}  # once: per VM it made 10,000 VMs quadratic
        vms = tuple(self.vm(t, i, node_names) for i, t in enumerate(self.array(data, "vms")))
        self.unique([v.name for v in vms], "vms")
        return Cluster(name=name, uses_csv=uses_csv, networks=networks, nodes=nodes, vms=vms,
                       path=self.path)

    def network(self, raw: Any, i: int) -> Network:
        t = self.table(raw, "networks", i, {"name", "subnet", "speed_gbps", "roles", "private"})
        subnet = self.text(t, "subnet", "networks", i)
        try:
            net = ipaddress.ip_network(subnet)
        except ValueError as exc:
            self.fail(f"not a subnet such as 192.168.10.0/24: {exc}",
                      f"192.168.10.0/24 のようなサブネットではありません: {exc}",
                      "networks", i, "subnet")
        roles = self.texts(t, "roles", "networks", i)
        for role in roles:
            if role not in ROLES:
                self.fail(f"unknown role {role!r} (expected any of {', '.join(ROLES)})",
                          f"不明なロールです: {role!r} (使えるロール: {', '.join(ROLES)})",
                          "networks", i, "roles")
        return Network(name=self.text(t, "name", "networks", i), subnet=net,
                       speed_gbps=self.number(t, "speed_gbps", "networks", i, MAX_LINK_GBPS,
                                              least=MIN_LINK_GBPS),
                       roles=roles, private=self.flag(t, "private", "networks", i, False))

    def node(self, raw: Any, i: int, networks: set[str]) -> Node:
        keys = {"name", "os", "edition", "installation", "architecture", "service_pack",
                "updates", "cpu_vendor", "cpu_model", "system_drive", "ip", "shared_storage",
                "virtual_switches", "adapters"}
        t = self.table(raw, "nodes", i, keys)
        ip = self.text(t, "ip", "nodes", i)
        if "/" not in ip:
            self.fail("not an address with its subnet: give the prefix length too, "
                      "e.g. 10.0.0.11/24",
                      "サブネット付きのアドレスではありません: プレフィックス長も指定してください "
                      "(例: 10.0.0.11/24)", "nodes", i, "ip")
        try:
            address = ipaddress.ip_interface(ip)
        except ValueError as exc:
            self.fail(f"not an address with its subnet: {exc}",
                      f"サブネット付きのアドレスではありません: {exc}", "nodes", i, "ip")
        drive = _DRIVE.match(self.text(t, "system_drive", "nodes", i, "C:"))
        if not drive:
            self.fail("not a drive letter such as C:", "C: のようなドライブ文字ではありません",
                      "nodes", i, "system_drive")
        adapters = []
        for j, item in enumerate(self.items(t, "adapters", "nodes", i)):
            where = f"[{j}]"
            if not isinstance(item, dict):
                self.fail(f"expected a table such as {{ name = \"NIC1\", network = \"LM\" }}, "
                          f"got {_kind(item)}",
                          f"{{ name = \"NIC1\", network = \"LM\" }} のようなテーブルを指定して"
                          f"ください ({_kind_ja(item)}が指定されました)",
                          "nodes", i, "adapters", where)
            for key in item:
                if key not in ("name", "network"):
                    self.fail("unknown key (expected name, network)",
                              "不明なキーです (使えるキー: name, network)", "nodes", i,
                              "adapters", f"{where}.{key}")
            for key in ("name", "network"):
                if not isinstance(item.get(key), str) or not item[key].strip():
                    self.fail("expected a non-empty string", "空でない文字列を指定してください",
                              "nodes", i, "adapters", f"{where}.{key}")
            if item["network"] not in networks:
                self.fail(f"unknown network {item['network']!r} (not in [[networks]])",
                          f"不明なネットワークです: {item['network']!r} ([[networks]] にありません)",
                          "nodes", i, "adapters", f"{where}.network")
            adapters.append(Adapter(item["name"].strip(), item["network"]))
        service_pack = self.text(t, "service_pack", "nodes", i, "RTM").strip().upper()
        return Node(
            name=self.text(t, "name", "nodes", i), os=self.text(t, "os", "nodes", i),
            edition=self.text(t, "edition", "nodes", i),
            installation=self.choice(t, "installation", "nodes", i),
            architecture=self.choice(t, "architecture", "nodes", i),
            cpu_vendor=self.choice(t, "cpu_vendor", "nodes", i), ip=address,
            shared_storage=self.flag(t, "shared_storage", "nodes", i),
            service_pack="RTM" if service_pack in ("", "NONE") else service_pack,
            updates=tuple(u.upper() for u in self.texts(t, "updates", "nodes", i)),
            cpu_model=self.text(t, "cpu_model", "nodes", i, ""),
            system_drive=drive.group(1).upper() + ":",
            virtual_switches=self.texts(t, "virtual_switches", "nodes", i),
            adapters=tuple(adapters))

    def vm(self, raw: Any, i: int, nodes: set[str]) -> Vm:
        keys = {"name", "node", "memory_gb", "switches", "processor_compatibility",
                "dirty_rate_mbps"}
        t = self.table(raw, "vms", i, keys)
        node = self.text(t, "node", "vms", i)
        if node not in nodes:
            self.fail(f"unknown node {node!r} (not in [[nodes]])",
                      f"不明なノードです: {node!r} ([[nodes]] にありません)", "vms", i, "node")
        dirty = (self.number(t, "dirty_rate_mbps", "vms", i, ABSURD, zero_ok=True)
                 if "dirty_rate_mbps" in t else None)
        return Vm(name=self.text(t, "name", "vms", i), node=node,
                  memory_gb=self.number(t, "memory_gb", "vms", i, MAX_VM_MEMORY_GB),
                  switches=self.texts(t, "switches", "vms", i),
                  processor_compatibility=self.flag(t, "processor_compatibility", "vms", i,
                                                    False),
                  dirty_rate_mbps=dirty)

    # Typed field readers. Each names the field when the value is missing or wrong.

    def array(self, data: dict[str, Any], table: str) -> list[Any]:
        value = data.get(table, [])
        if not isinstance(value, list):
            self.fail(f"expected [[{table}]] tables, got {_kind(value)}",
                      f"[[{table}]] テーブルを指定してください ({_kind_ja(value)}が指定されました)",
                      table)
        return value

    def table(self, raw: Any, table: str, i: int | None, keys: set[str]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail(f"expected a table, got {_kind(raw)}",
                      f"テーブルを指定してください ({_kind_ja(raw)}が指定されました)", table, i)
        for key in raw:
            if key not in keys:
                self.fail(f"unknown key (expected one of {', '.join(sorted(keys))})",
                          f"不明なキーです (使えるキー: {', '.join(sorted(keys))})", table, i, key)
        return raw

    def get(self, t: dict[str, Any], key: str, table: str, i: int | None, default: Any,
            kind: type | tuple[type, ...], what: tuple[str, str]) -> Any:
        """``t[key]``, or ``default``; ``what`` names the expected kind as (English, Japanese)."""
        what_en, what_ja = what
        space = " " if what_ja[-1:].isascii() else ""  # "true または false を", "文字列を"
        if key not in t:
            if default is None:
                self.fail(f"missing (expected {what_en})",
                          f"キーがありません ({what_ja}{space}を指定してください)", table, i, key)
            return default
        value = t[key]
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
            self.fail(f"expected {what_en}, got {_kind(value)}",
                      f"{what_ja}{space}を指定してください ({_kind_ja(value)}が指定されました)",
                      table, i, key)
        return value

    def text(self, t: dict[str, Any], key: str, table: str, i: int | None,
             default: str | None = None) -> str:
        value = self.get(t, key, table, i, default, str, ("a string", "文字列")).strip()
        if not value and default is None:
            self.fail("must not be empty", "空の値は指定できません", table, i, key)
        return str(value)

    def texts(self, t: dict[str, Any], key: str, table: str, i: int | None) -> tuple[str, ...]:
        values = self.items(t, key, table, i)
        if not all(isinstance(v, str) and v.strip() for v in values):
            self.fail("expected an array of non-empty strings",
                      "空でない文字列の配列を指定してください", table, i, key)
        return tuple(v.strip() for v in values)

    def items(self, t: dict[str, Any], key: str, table: str, i: int | None) -> list[Any]:
        return list(self.get(t, key, table, i, [], list, ("an array", "配列")))

    def flag(self, t: dict[str, Any], key: str, table: str, i: int | None,
             default: bool | None = None) -> bool:
        return bool(self.get(t, key, table, i, default, bool,
                             ("true or false", "true または false")))

    def choice(self, t: dict[str, Any], key: str, table: str, i: int | None) -> str:
        value = self.text(t, key, table, i)
        choices = _CHOICES[key]
        if value.lower() not in choices:
            allowed = " | ".join(dict.fromkeys(choices.values()))
            self.fail(f"{value!r} is not one of {allowed}",
                      f"{value!r} は使用できません (使える値: {allowed})", table, i, key)
        return choices[value.lower()]

    def number(self, t: dict[str, Any], key: str, table: str, i: int | None, high: float,
               zero_ok: bool = False, least: float | None = None) -> float:
        value = self.get(t, key, table, i, None, (int, float), ("a number", "数値"))
        try:  # the calculators' own range check, so both refuse the same values
            return check_number(value, key, low=0, low_open=not zero_ok, high=high, least=least)
        except InputError as exc:
            self.fail(exc.message, exc.message_in("ja"), table, i, key)

    def unique(self, names: list[str], table: str) -> None:
        first: dict[str, int] = {}
        for i, name in enumerate(names):
            if name in first:
                self.fail(f"duplicate name {name!r} (also {table}[{first[name]}])",
                          f"名前 {name!r} が重複しています ({table}[{first[name]}] と同じ)",
                          table, i, "name")
            first[name] = i


# The TOML name of each type, for messages: (type, English, Japanese). datetime before date.
_KINDS: tuple[tuple[type, str, str], ...] = (
    (bool, "a boolean", "ブール値"), (int, "an integer", "整数"), (float, "a float", "浮動小数点数"),
    (str, "a string", "文字列"), (list, "an array", "配列"), (dict, "a table", "テーブル"),
    (datetime, "a date-time", "日時"), (date, "a date", "日付"), (time, "a time", "時刻"),
)


def _kind(value: Any) -> str:
    """The TOML name of a value's type, for messages."""
    for kind, name, _ in _KINDS:
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _kind_ja(value: Any) -> str:
    """The TOML name of a value's type in Japanese, for messages."""
    for kind, _, name in _KINDS:
        if isinstance(value, kind):
            return name
    return type(value).__name__ + " "  # a Latin name: space it off the particle after it
