"""Rules about the nodes themselves: count, OS, edition, updates, subnet, storage, processors."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kb.checks.cluster import Cluster, Node
from kb.checks.findings import (
    INFO,
    Finding,
    listing,
    make_finding,
    mismatch,
    node_groups,
    outliers,
)

_CLUSTER_EDITIONS = ("enterprise", "datacenter", "hyper-v server")
_VERSION = re.compile(r"(?i)(?:windows|hyper-v)\s+server\s*(?:®\s*)?(\d{4}(?:\s*r2)?)")
_COMPAT_JA = "[プロセッサ バージョンが異なる物理コンピューターへ移行する]"
_COMPAT_EN = '"Migrate to a physical computer with a different processor version"'


def node_count(c: Cluster) -> Iterator[Finding]:
    n = len(c.nodes)
    names = [x.name for x in c.nodes]
    if n < 2:
        yield make_finding(
            "node-count",
            f"ライブ マイグレーションには 2 ノード以上のフェールオーバー クラスターが必要ですが、"
            f"このクラスターのノードは {n} 個です。",
            f"Live migration needs a failover cluster of at least 2 nodes; this one has {n}.",
            names)
    elif n > 16:
        yield make_finding(
            "node-count",
            f"Windows Server 2008 R2 のフェールオーバー クラスターでサポートされるのは最大 "
            f"16 ノードですが、このクラスターには {n} ノードあります。",
            f"A Windows Server 2008 R2 failover cluster supports at most 16 nodes; "
            f"this one has {n}.", names)


def _version(node: Node) -> str:
    """"2008 R2" for any spelling of Windows Server / Hyper-V Server 2008 R2."""
    match = _VERSION.search(node.os)
    return re.sub(r"\s+", " ", match.group(1)).upper() if match else node.os


def os_version(c: Cluster) -> Iterator[Finding]:
    off = [n.name for n in c.nodes if _version(n) != "2008 R2"]
    groups = node_groups(c.nodes, lambda n: n.os)
    if len({_version(n) for n in c.nodes}) > 1:
        yield make_finding(
            "os-version",
            f"ノードによって OS のバージョンが異なります: {listing(groups, '、')}。クラスター内の"
            f"すべてのノードで同じ Windows Server 2008 R2 を実行する必要があります。",
            f"The nodes run different OS versions: {listing(groups, '; ')}. Every node of "
            f"the cluster must run the same Windows Server 2008 R2.",
            off or outliers(groups))
    elif off:
        yield make_finding(
            "os-version",
            f"ノードの OS が Windows Server 2008 R2 ではありません: {listing(groups, '、')}。"
            f"この FAQ のライブ マイグレーションは Windows Server 2008 R2 の Hyper-V の機能です。",
            f"The nodes do not run Windows Server 2008 R2: {listing(groups, '; ')}. The live "
            f"migration this FAQ covers is a Windows Server 2008 R2 Hyper-V feature.", off)


def architecture(c: Cluster) -> Iterator[Finding]:
    bad = [n.name for n in c.nodes if n.architecture not in ("x64", "ia64")]
    if bad:
        yield make_finding(
            "architecture",
            f"x64 版でも Itanium 版でもない Windows Server 2008 R2 を実行しているノードが"
            f"あります: {', '.join(bad)}。",
            f"Some nodes run neither the x64 nor the Itanium edition of Windows Server "
            f"2008 R2: {', '.join(bad)}.", bad)
    yield from mismatch("architecture", c, lambda n: n.architecture,
                        ("アーキテクチャ", "architectures"),
                        ("すべてのノードを同じアーキテクチャにしてください。",
                         "All nodes must share one architecture."))


def edition(c: Cluster) -> Iterator[Finding]:
    bad = [n for n in c.nodes if not any(e in n.edition.lower() for e in _CLUSTER_EDITIONS)]
    if bad:
        names = ", ".join(f"{n.name} ({n.edition})" for n in bad)
        yield make_finding(
            "edition",
            f"フェールオーバー クラスタリング機能を含まないエディションのノードがあります: "
            f"{names}。Enterprise、Datacenter、または Hyper-V Server 2008 R2 を使用してください。",
            f"Some nodes run an edition without failover clustering: {names}. Use Enterprise, "
            f"Datacenter or Hyper-V Server 2008 R2.", [n.name for n in bad])


def installation_type(c: Cluster) -> Iterator[Finding]:
    yield from mismatch("installation-type", c, lambda n: n.installation,
                        ("インストールの種類", "installation types"),
                        ("すべてのノードを完全インストールか Server Core インストールのどちらかに"
                         "そろえてください。",
                         "Use either full or Server Core installations on every node."))


def updates(c: Cluster) -> Iterator[Finding]:
    yield from mismatch("updates", c, lambda n: n.service_pack,
                        ("サービス パック", "service packs"),
                        ("すべてのノードに同じサービス パックを適用してください。",
                         "Install the same service pack on every node."))
    everywhere: dict[str, None] = {}  # every update any node has, in order seen
    for node in c.nodes:
        everywhere.update(dict.fromkeys(node.updates))
    for node in c.nodes:
        missing = [u for u in everywhere if u not in node.updates]
        if missing:
            kbs = ", ".join(missing)
            yield make_finding(
                "updates",
                f"{node.name} には、他のノードにある更新プログラム {kbs} がインストールされて"
                f"いません。すべてのノードに同じ更新プログラムを適用してください。",
                f"{node.name} lacks {kbs}, installed on other nodes. Every node needs the "
                f"same updates.", [node.name])


def same_subnet(c: Cluster) -> Iterator[Finding]:
    yield from mismatch("same-subnet", c, lambda n: str(n.ip.network),
                        ("IP サブネット", "subnets"),
                        ("物理ホストは同じ TCP/IP サブネットに構成してください。",
                         "Put the hosts in one TCP/IP subnet."))


def shared_storage(c: Cluster) -> Iterator[Finding]:
    bad = [n.name for n in c.nodes if not n.shared_storage]
    if bad:
        yield make_finding(
            "shared-storage",
            f"共有記憶域にアクセスできないノードがあります: {', '.join(bad)}。すべてのノードから"
            f"共有記憶域 (iSCSI またはファイバー チャネルの SAN) にアクセスできる必要があります。",
            f"Some nodes cannot reach the shared storage: {', '.join(bad)}. Every node needs "
            f"access to it (an iSCSI or Fibre Channel SAN).", bad)


def processor_vendor(c: Cluster) -> Iterator[Finding]:
    yield from mismatch("processor-vendor", c, lambda n: n.cpu_vendor,
                        ("プロセッサの製造元", "processor vendors"),
                        ("Intel と AMD の間ではプロセッサの互換性は確保されないため、"
                         "ライブ マイグレーションできません。",
                         "Processor compatibility does not span Intel and AMD, so VMs cannot "
                         "live-migrate between them."))


def processor_version(c: Cluster) -> Iterator[Finding]:
    groups = node_groups([n for n in c.nodes if n.cpu_model], lambda n: n.cpu_model)
    if len(groups) < 2:
        return
    off = [vm.name for vm in c.vms if not vm.processor_compatibility]
    ja = f"ノードのプロセッサのモデルが異なります: {listing(groups, '、')}。"
    en = f"The nodes' processor models differ: {listing(groups, '; ')}. "
    if off:
        yield make_finding(
            "processor-version",
            ja + f"次の仮想マシンは {_COMPAT_JA} が無効なため、ライブ マイグレーションが失敗する"
            f"ことがあります: {', '.join(off)}。",
            en + f"These VMs have {_COMPAT_EN} off, so their live migration may fail: "
            f"{', '.join(off)}.", outliers(groups), off)
    else:
        yield make_finding(
            "processor-version",
            ja + f"すべての仮想マシンで {_COMPAT_JA} が有効なので、共通のプロセッサ機能だけを"
            f"使って移行できます。",
            en + f"Every VM has {_COMPAT_EN} on, so they migrate using the common processor "
            f"features only.", outliers(groups), severity=INFO)


def system_drive(c: Cluster) -> Iterator[Finding]:
    if c.uses_csv:
        yield from mismatch("system-drive", c, lambda n: n.system_drive,
                            ("システム ドライブ (%SystemDrive%) の文字", "system drive letters"),
                            ("CSV を使う場合、すべてのノードを同じドライブ文字から起動する必要が"
                             "あります。",
                             "With CSV, every node must boot from the same drive letter."))
