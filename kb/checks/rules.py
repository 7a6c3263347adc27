"""The cluster validator: runs every rule, in a fixed order, into one report."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kb.checks import rules_network as net
from kb.checks import rules_nodes as nodes
from kb.checks.cluster import Cluster
from kb.checks.concurrency import max_concurrent_migrations
from kb.checks.findings import RULES, Finding, Report, make_finding
from kb.checks.migration import DEFAULT_LINK_MBPS, migration_time
from kb.checks.units import format_number, format_seconds

__all__ = ["RULES", "Finding", "Report", "validate_cluster"]


def validate_cluster(cluster: Cluster) -> Report:
    """Every rule's findings for ``cluster``: an offline Failover Cluster validation wizard."""
    return Report(cluster.name, [f for rule in _RULE_ORDER for f in rule(cluster)])


def concurrency(c: Cluster) -> Iterator[Finding]:
    result = max_concurrent_migrations(len(c.nodes))
    if result.value:  # fewer than 2 or more than 16 nodes is node-count's error already
        yield make_finding("concurrency", result.explanation["ja"], result.explanation["en"])


def estimated_migration_time(c: Cluster) -> Iterator[Finding]:
    """Each VM's time and pause over the fastest live-migration network (else any network)."""
    lm = [n for n in c.networks if "live-migration" in n.roles] or list(c.networks)
    best = max(lm, key=lambda n: n.speed_gbps, default=None)
    link = best.speed_gbps * 1000 if best else DEFAULT_LINK_MBPS
    via_ja = f"ネットワーク {best.name} ({best.speed_gbps:g} Gbps)" if best else "1 Gbps (既定値)"
    via_en = f"network {best.name} ({best.speed_gbps:g} Gbps)" if best else "1 Gbps (default)"
    for vm in c.vms:
        r = migration_time(vm.memory_gb * 1000, link, vm.dirty_rate_mbps)
        if r.value is None:  # beyond what the calculator covers: its reason says why
            yield make_finding("migration-time", r.explanation["ja"], r.explanation["en"],
                               [vm.node], [vm.name])
            continue
        pause = format_number(r.extra["pause_seconds"])
        ja = (f"{vm.name} ({vm.memory_gb:g} GB): {via_ja} 経由で約 "
              f"{format_seconds(r.value, 'ja')}、一時停止は約 {pause} 秒。")
        en = (f"{vm.name} ({vm.memory_gb:g} GB): about {format_seconds(r.value, 'en')} in all "
              f"over {via_en}, pausing about {pause} s.")
        if not r.ok:
            ja += "プリコピーが収束しないため一時停止が長くなり、移行が失敗するおそれがあります。"
            en += " The pre-copy does not converge, so the pause is long and may fail the move."
        yield make_finding("migration-time", ja, en, [vm.node], [vm.name])


_RULE_ORDER: tuple[Callable[[Cluster], Iterator[Finding]], ...] = (
    nodes.node_count, nodes.os_version, nodes.architecture, nodes.edition,
    nodes.installation_type, nodes.updates, nodes.same_subnet, nodes.shared_storage,
    net.live_migration_network, net.private_network, nodes.processor_vendor,
    nodes.processor_version, net.virtual_switch_names, nodes.system_drive, concurrency,
    estimated_migration_time,
)
