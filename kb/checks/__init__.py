"""Computed checks: the plug-in registry, the calculators, question parsing and the cluster validator.

Names load on first use, so knowing the check ids (``kb.checks.registry``) does not load
the cluster-file reader, and `faq show` none of it. ``CHECK_IDS`` and ``CHECK_ENTRY`` are
read from the registry when asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

    CHECK_ENTRY: dict[str, str]
    CHECK_IDS: frozenset[str]

_HOME = {
    **dict.fromkeys(["Adapter", "Cluster", "Network", "Node", "Vm"], "cluster"),
    **dict.fromkeys(["load_cluster", "parse_cluster"], "cluster_file"),
    "max_concurrent_migrations": "concurrency",
    "extract_parameters": "extract",
    **dict.fromkeys(["DEFAULT_EFFICIENCY", "DEFAULT_LINK_MBPS", "LOAD_DIRTY_RATE", "migration_time"],
                    "migration"),
    "checks_for_question": "question",
    "CheckResult": "result",
    **dict.fromkeys(["RULES", "Finding", "Report", "validate_cluster"], "rules"),
    **dict.fromkeys(["parse_link_mbps", "parse_rate_mbps", "parse_size_mb"], "units"),
}

__all__ = [
    "CHECK_ENTRY", "CHECK_IDS", "DEFAULT_EFFICIENCY", "DEFAULT_LINK_MBPS", "LOAD_DIRTY_RATE",
    "RULES", "Adapter", "CheckResult", "Cluster", "Finding", "Network", "Node", "Report", "Vm",
    "checks_for_question", "extract_parameters", "load_cluster", "max_concurrent_migrations",
    "migration_time", "parse_cluster", "parse_link_mbps", "parse_rate_mbps", "parse_size_mb",
    "validate_cluster",
]


def __getattr__(name: str) -> Any:
    if name == "CHECK_IDS":
        from kb.checks.registry import known_ids

        return known_ids()
    if name == "CHECK_ENTRY":
        from kb.checks.registry import entries

        return entries()
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'kb.checks' has no attribute {name!r}")
    return getattr(importlib.import_module(f"kb.checks.{module}"), name)
