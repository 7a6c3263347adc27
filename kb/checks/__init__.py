"""Computed checks: calculators over typed inputs, question parsing and the cluster validator."""

from __future__ import annotations

from kb.checks.cluster import Adapter, Cluster, Network, Node, Vm
from kb.checks.cluster_file import load_cluster, parse_cluster
from kb.checks.concurrency import max_concurrent_migrations
from kb.checks.extract import extract_parameters
from kb.checks.migration import (
    DEFAULT_EFFICIENCY,
    DEFAULT_LINK_MBPS,
    LOAD_DIRTY_RATE,
    migration_time,
)
from kb.checks.question import checks_for_question
from kb.checks.result import CheckResult
from kb.checks.rules import RULES, Finding, Report, validate_cluster
from kb.checks.units import parse_link_mbps, parse_rate_mbps, parse_size_mb

CHECK_ENTRY: dict[str, str] = {
    "max-concurrent-migrations": "concurrent-migrations",
    "migration-time": "migration-duration",
    "cluster-validator": "requirements",
}
CHECK_IDS: frozenset[str] = frozenset(CHECK_ENTRY)

__all__ = [
    "CHECK_ENTRY", "CHECK_IDS", "DEFAULT_EFFICIENCY", "DEFAULT_LINK_MBPS", "LOAD_DIRTY_RATE",
    "RULES", "Adapter", "CheckResult", "Cluster", "Finding", "Network", "Node", "Report", "Vm",
    "checks_for_question", "extract_parameters", "load_cluster", "max_concurrent_migrations",
    "migration_time", "parse_cluster", "parse_link_mbps", "parse_rate_mbps", "parse_size_mb",
    "validate_cluster",
]
