"""Rules about networks and virtual switches: the live-migration network, private networks."""

from __future__ import annotations

from collections.abc import Iterator

from kb.checks.cluster import Cluster
from kb.checks.findings import Finding, make_finding

_ROLE_LABEL = {"management": ("管理", "management"), "vm": ("仮想マシン", "virtual machine")}


def live_migration_network(c: Cluster) -> Iterator[Finding]:
    lm = [n for n in c.networks if "live-migration" in n.roles]
    if not lm:
        yield make_finding(
            "live-migration-network",
            "ライブ マイグレーション専用のネットワークがありません。ライブ マイグレーションの"
            "トラフィック用に、ギガビット以上の独立した専用ネットワークを構成することを"
            "お勧めします (networks の roles に \"live-migration\" を指定)。",
            "No network is dedicated to live migration. A separate network of a gigabit or "
            "more is recommended for live-migration traffic (roles = [\"live-migration\"]).")
        return
    for net in lm:
        if net.speed_gbps < 1:
            yield make_finding(
                "live-migration-network",
                f"ライブ マイグレーション用のネットワーク {net.name} は {net.speed_gbps:g} Gbps "
                f"で、推奨されるギガビット以上の速度に達していません。移行に時間がかかります。",
                f"The live-migration network {net.name} runs at {net.speed_gbps:g} Gbps, "
                f"below the recommended gigabit; migrations will be slow.")
        shared = [_ROLE_LABEL[r] for r in ("management", "vm") if r in net.roles]
        if shared:
            yield make_finding(
                "live-migration-network",
                f"ライブ マイグレーション用のネットワーク {net.name} を"
                f"{'・'.join(ja for ja, _ in shared)}のトラフィックと共有しています。管理"
                f"オペレーティング システムや仮想マシンが使うネットワークとは分けてください。",
                f"The live-migration network {net.name} also carries "
                f"{' and '.join(en for _, en in shared)} traffic; keep it apart from the "
                f"networks the management OS and the virtual machines use.")
    names = {n.name for n in lm}
    cut_off = [node.name for node in c.nodes
               if not any(a.network in names for a in node.adapters)]
    if cut_off:
        yield make_finding(
            "live-migration-network",
            f"ライブ マイグレーション用のネットワークにアダプターがないノードがあります: "
            f"{', '.join(cut_off)}。",
            f"Some nodes have no adapter on the live-migration network: {', '.join(cut_off)}.",
            cut_off)


def private_network(c: Cluster) -> Iterator[Finding]:
    few = [n for n in c.nodes if len(n.adapters) < 2]
    if few:
        names = ", ".join(f"{n.name} ({len(n.adapters)})" for n in few)
        yield make_finding(
            "private-network",
            f"ネットワーク アダプターが 2 つ未満のノードがあります: {names}。各ノードで複数の"
            f"ネットワーク アダプターを使用してください。",
            f"Some nodes have fewer than two network adapters: {names}. Give each node "
            f"several.", [n.name for n in few])
    private = {n.name for n in c.networks if n.private}
    alone = [n.name for n in c.nodes if not any(a.network in private for a in n.adapters)]
    if alone:
        yield make_finding(
            "private-network",
            f"プライベート ネットワークにアダプターがないノードがあります: {', '.join(alone)}。"
            f"各ノードで、プライベート ネットワークのアダプターを少なくとも 1 つ構成して"
            f"ください。",
            f"Some nodes have no adapter on a private network: {', '.join(alone)}. Give each "
            f"node at least one.", alone)


def virtual_switch_names(c: Cluster) -> Iterator[Finding]:
    switches: dict[str, None] = {}  # every switch name a node or VM mentions, in order seen
    for node in c.nodes:
        switches.update(dict.fromkeys(node.virtual_switches))
    for vm in c.vms:
        switches.update(dict.fromkeys(vm.switches))
    for switch in switches:
        lacking = [n.name for n in c.nodes if switch not in n.virtual_switches]
        if not lacking:
            continue
        users = [vm.name for vm in c.vms if switch in vm.switches]
        if len(lacking) == len(c.nodes):
            ja = f"仮想スイッチ {switch} はどのノードにもありません。"
            en = f"No node has the virtual switch {switch}."
        else:
            ja = (f"仮想スイッチ {switch} が次のノードにありません: {', '.join(lacking)}。"
                  f"仮想スイッチの名前はクラスター全体で同じにしてください。")
            en = (f"The virtual switch {switch} is missing on {', '.join(lacking)}. Virtual "
                  f"switch names must be the same across the cluster.")
        if users:
            ja += (f"この仮想スイッチを使う仮想マシン ({', '.join(users)}) は、スイッチのない"
                   f"ノードへ正しく移行できません。")
            en += (f" The VMs using it ({', '.join(users)}) cannot move correctly to a node "
                   f"without it.")
        yield make_finding("virtual-switch-names", ja, en, lacking, users)
