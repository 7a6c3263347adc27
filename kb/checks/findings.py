"""What the cluster validator reports: findings, their severities and the entries they cite."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kb.checks.cluster import Cluster, Node

ERROR, WARNING, INFO = "error", "warning", "info"

# rule id -> (severity, FAQ entry). The severity is the rule's usual one; processor-version
# drops to info when every VM can cross processor versions anyway.
RULES: dict[str, tuple[str, str]] = {
    "node-count": (ERROR, "requirements"),
    "os-version": (ERROR, "requirements"),
    "architecture": (ERROR, "requirements"),
    "edition": (ERROR, "requirements"),
    "installation-type": (ERROR, "requirements"),
    "updates": (ERROR, "requirements"),
    "same-subnet": (ERROR, "requirements"),
    "shared-storage": (ERROR, "requirements"),
    "live-migration-network": (WARNING, "network-adapters"),
    "private-network": (WARNING, "network-adapters"),
    "processor-vendor": (ERROR, "processor-compatibility"),
    "processor-version": (WARNING, "processor-compatibility"),
    "virtual-switch-names": (ERROR, "virtual-switch-names"),
    "system-drive": (ERROR, "csv-drive-letter"),
    "concurrency": (INFO, "concurrent-migrations"),
    "migration-time": (INFO, "migration-duration"),
}
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Finding:
    """One thing the validator noticed, with the nodes and VMs it concerns."""

    rule: str
    severity: str
    entry: str
    message: dict[str, str]
    nodes: list[str] = field(default_factory=list)
    vms: list[str] = field(default_factory=list)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "entry": self.entry,
                "message": self.message.get(lang) or self.message["en"],
                "nodes": list(self.nodes), "vms": list(self.vms)}


@dataclass(frozen=True)
class Report:
    """Everything the validator found in one cluster, in rule order."""

    cluster: str
    findings: list[Finding]

    def summary(self) -> dict[str, int]:
        count = {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES}
        return {"errors": count[ERROR], "warnings": count[WARNING], "info": count[INFO]}

    def to_json(self, lang: str) -> dict[str, Any]:
        return {"cluster": self.cluster, "findings": [f.to_json(lang) for f in self.findings],
                "summary": self.summary()}


def make_finding(rule: str, ja: str, en: str, nodes: Iterable[str] = (),
                 vms: Iterable[str] = (), severity: str | None = None) -> Finding:
    """A finding of ``rule``, citing the rule's entry, at the rule's severity unless given."""
    default, entry = RULES[rule]
    return Finding(rule, severity or default, entry, {"ja": ja, "en": en}, list(nodes), list(vms))


def node_groups(nodes: Iterable[Node], key: Callable[[Node], str]) -> dict[str, list[str]]:
    """Node names by the value of ``key``, in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for node in nodes:
        groups.setdefault(key(node), []).append(node.name)
    return groups


def outliers(groups: dict[str, list[str]]) -> list[str]:
    """The nodes outside the biggest group: the ones to change to make the cluster agree."""
    biggest = max(groups.values(), key=len)
    return [name for names in groups.values() if names is not biggest for name in names]


def listing(groups: dict[str, list[str]], sep: str) -> str:
    """``value (node, node)`` for each group, joined by ``sep``."""
    return sep.join(f"{value} ({', '.join(names)})" for value, names in groups.items())


def mismatch(rule: str, cluster: Cluster, key: Callable[[Node], str], what: tuple[str, str],
             then: tuple[str, str]) -> Iterator[Finding]:
    """A finding when the nodes disagree on ``key``, listing who has which value.

    ``what`` names the property and ``then`` says what to do, each as (ja, en).
    """
    groups = node_groups(cluster.nodes, key)
    space = " " if what[0][:1].isascii() else ""  # Japanese style spaces off Latin words
    if len(groups) > 1:
        yield make_finding(
            rule,
            f"ノードの{space}{what[0]}が一致していません: {listing(groups, '、')}。{then[0]}",
            f"The nodes' {what[1]} differ: {listing(groups, '; ')}. {then[1]}",
            outliers(groups))
