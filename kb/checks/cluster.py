"""A failover cluster as the validator sees it: networks, nodes with adapters, and VMs."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

ROLES = ("live-migration", "cluster", "management", "vm", "storage")

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface


@dataclass(frozen=True)
class Network:
    """A cluster network: its subnet, speed and what traffic it carries."""

    name: str
    subnet: IpNetwork
    speed_gbps: float
    roles: tuple[str, ...] = ()
    private: bool = False


@dataclass(frozen=True)
class Adapter:
    """A node's network adapter, attached to one of the cluster networks."""

    name: str
    network: str


@dataclass(frozen=True)
class Node:
    """One cluster node (a physical Hyper-V host) as its administrator describes it."""

    name: str
    os: str
    edition: str
    installation: str  # full | core
    architecture: str  # x64 | ia64 | x86
    cpu_vendor: str  # Intel | AMD
    ip: IpInterface
    shared_storage: bool
    service_pack: str = "RTM"
    updates: tuple[str, ...] = ()
    cpu_model: str = ""
    system_drive: str = "C:"
    virtual_switches: tuple[str, ...] = ()
    adapters: tuple[Adapter, ...] = ()


@dataclass(frozen=True)
class Vm:
    """A clustered virtual machine and the node that owns it."""

    name: str
    node: str
    memory_gb: float
    switches: tuple[str, ...] = ()
    processor_compatibility: bool = False
    dirty_rate_mbps: float | None = None


@dataclass(frozen=True)
class Cluster:
    """The whole description: read by :func:`parse_cluster`, judged by ``validate_cluster``."""

    name: str
    uses_csv: bool = False
    networks: tuple[Network, ...] = ()
    nodes: tuple[Node, ...] = ()
    vms: tuple[Vm, ...] = ()
    path: str = "<string>"
