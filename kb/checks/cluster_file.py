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
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ClusterFileError(f"cannot read the file: {exc.strerror or exc}",
                               path=str(path)) from None
    try:
        text = data.decode("utf-8-sig")  # Notepad on Windows Server writes a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ClusterFileError("not UTF-8 text", path=str(path), line=line) from None
    return parse_cluster(text, str(path))


def parse_cluster(text: str, path: str = "<string>") -> Cluster:
    """Parse and check cluster TOML text; ``path`` is only for messages.

    Any problem with the file itself (bad TOML, an unknown key, a wrong type, a VM on an
    unknown node, a bad address) is a ClusterFileError naming the file, the line and the
    field, written ``nodes[2].ip``: 0-based, counting ``[[nodes]]`` tables from the top.
    Problems with the cluster the file describes are findings of ``validate_cluster``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_AT.search(message)
        line = None
        if at:  # "at end of document" is the last line
            line = int(at.group(1)) if at.group(1) else max(1, len(text.splitlines()))
        message = _TOML_AT.sub("", message)
        raise ClusterFileError(f"not valid TOML: {message}", path=path, line=line) from None
    return _Reader(text, path).cluster(data)


class _Reader:
    """Turns the parsed TOML into typed objects, failing at the first bad field."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = TomlLines(text)

    def fail(self, message: str, table: str, index: int | None = None,
             key: str | None = None, sub: str = "") -> NoReturn:
        field = table + (f"[{index}]" if index is not None else "") + (f".{key}" if key else "")
        raise ClusterFileError(message, path=self.path, field=field + sub,
                               line=self.lines.line(table, index, key))

    def cluster(self, data: dict[str, Any]) -> Cluster:
        for key in data:
            if key not in ("cluster", "networks", "nodes", "vms"):
                self.fail("unknown key (expected cluster, networks, nodes, vms)", key)
        if "cluster" not in data:
            self.fail("missing the [cluster] table", "cluster")
        head = self.table(data["cluster"], "cluster", None, {"name", "uses_csv"})
        name = self.text(head, "name", "cluster", None)
        uses_csv = self.flag(head, "uses_csv", "cluster", None, False)
        networks = tuple(self.network(t, i) for i, t in enumerate(self.array(data, "networks")))
        self.unique([n.name for n in networks], "networks")
        known_networks = {n.name for n in networks}
        nodes = tuple(self.node(t, i, known_networks)
                      for i, t in enumerate(self.array(data, "nodes")))
        self.unique([n.name for n in nodes], "nodes")
        vms = tuple(self.vm(t, i, {n.name for n in nodes})
                    for i, t in enumerate(self.array(data, "vms")))
        self.unique([v.name for v in vms], "vms")
        return Cluster(name=name, uses_csv=uses_csv, networks=networks, nodes=nodes, vms=vms,
                       path=self.path)

    def network(self, raw: Any, i: int) -> Network:
        t = self.table(raw, "networks", i, {"name", "subnet", "speed_gbps", "roles", "private"})
        subnet = self.text(t, "subnet", "networks", i)
        try:
            net = ipaddress.ip_network(subnet)
        except ValueError as exc:
            self.fail(f"not a subnet such as 192.168.10.0/24: {exc}", "networks", i, "subnet")
        roles = self.texts(t, "roles", "networks", i)
        for role in roles:
            if role not in ROLES:
                self.fail(f"unknown role {role!r} (expected any of {', '.join(ROLES)})",
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
        try:
            if "/" not in ip:
                raise ValueError("give the prefix length too, e.g. 10.0.0.11/24")
            address = ipaddress.ip_interface(ip)
        except ValueError as exc:
            self.fail(f"not an address with its subnet: {exc}", "nodes", i, "ip")
        drive = _DRIVE.match(self.text(t, "system_drive", "nodes", i, "C:"))
        if not drive:
            self.fail("not a drive letter such as C:", "nodes", i, "system_drive")
        adapters = []
        for j, item in enumerate(self.items(t, "adapters", "nodes", i)):
            where = f"[{j}]"
            if not isinstance(item, dict):
                self.fail(f"expected a table such as {{ name = \"NIC1\", network = \"LM\" }}, "
                          f"got {_kind(item)}", "nodes", i, "adapters", where)
            for key in item:
                if key not in ("name", "network"):
                    self.fail("unknown key (expected name, network)", "nodes", i, "adapters",
                              f"{where}.{key}")
            for key in ("name", "network"):
                if not isinstance(item.get(key), str) or not item[key].strip():
                    self.fail("expected a non-empty string", "nodes", i, "adapters",
                              f"{where}.{key}")
            if item["network"] not in networks:
                self.fail(f"unknown network {item['network']!r} (not in [[networks]])",
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
            self.fail(f"unknown node {node!r} (not in [[nodes]])", "vms", i, "node")
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
            self.fail(f"expected [[{table}]] tables, got {_kind(value)}", table)
        return value

    def table(self, raw: Any, table: str, i: int | None, keys: set[str]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail(f"expected a table, got {_kind(raw)}", table, i)
        for key in raw:
            if key not in keys:
                self.fail(f"unknown key (expected one of {', '.join(sorted(keys))})",
                          table, i, key)
        return raw

    def get(self, t: dict[str, Any], key: str, table: str, i: int | None, default: Any,
            kind: type | tuple[type, ...], what: str) -> Any:
        if key not in t:
            if default is None:
                self.fail(f"missing (expected {what})", table, i, key)
            return default
        value = t[key]
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
            self.fail(f"expected {what}, got {_kind(value)}", table, i, key)
        return value

    def text(self, t: dict[str, Any], key: str, table: str, i: int | None,
             default: str | None = None) -> str:
        value = self.get(t, key, table, i, default, str, "a string").strip()
        if not value and default is None:
            self.fail("must not be empty", table, i, key)
        return str(value)

    def texts(self, t: dict[str, Any], key: str, table: str, i: int | None) -> tuple[str, ...]:
        values = self.items(t, key, table, i)
        if not all(isinstance(v, str) and v.strip() for v in values):
            self.fail("expected an array of non-empty strings", table, i, key)
        return tuple(v.strip() for v in values)

    def items(self, t: dict[str, Any], key: str, table: str, i: int | None) -> list[Any]:
        return list(self.get(t, key, table, i, [], list, "an array"))

    def flag(self, t: dict[str, Any], key: str, table: str, i: int | None,
             default: bool | None = None) -> bool:
        return bool(self.get(t, key, table, i, default, bool, "true or false"))

    def choice(self, t: dict[str, Any], key: str, table: str, i: int | None) -> str:
        value = self.text(t, key, table, i)
        choices = _CHOICES[key]
        if value.lower() not in choices:
            allowed = " | ".join(dict.fromkeys(choices.values()))
            self.fail(f"{value!r} is not one of {allowed}", table, i, key)
        return choices[value.lower()]

    def number(self, t: dict[str, Any], key: str, table: str, i: int | None, high: float,
               zero_ok: bool = False, least: float | None = None) -> float:
        value = self.get(t, key, table, i, None, (int, float), "a number")
        try:  # the calculators' own range check, so both refuse the same values
            return check_number(value, key, low=0, low_open=not zero_ok, high=high, least=least)
        except InputError as exc:
            self.fail(exc.message, table, i, key)

    def unique(self, names: list[str], table: str) -> None:
        first: dict[str, int] = {}
        for i, name in enumerate(names):
            if name in first:
                self.fail(f"duplicate name {name!r} (also {table}[{first[name]}])",
                          table, i, "name")
            first[name] = i


def _kind(value: Any) -> str:
    """The TOML name of a value's type, for messages."""
    for kind, name in ((bool, "a boolean"), (int, "an integer"), (float, "a float"),
                       (str, "a string"), (list, "an array"), (dict, "a table"),
                       (datetime, "a date-time"), (date, "a date"), (time, "a time")):
        if isinstance(value, kind):
            return name
    return type(value).__name__
