"""How many live migrations a failover cluster can run at the same time."""

from __future__ import annotations

import random

from kb.checks.result import CheckResult
from kb.checks.spec import Bilingual, Calculator, Drill, DrillItem, Param
from kb.checks.units import COUNT
from kb.errors import InputError

ID = "max-concurrent-migrations"
ENTRY = "concurrent-migrations"
MIN_NODES = 2  # live migration moves a VM to another node
MAX_NODES = 16  # a Windows Server 2008 R2 failover cluster supports up to 16 nodes


def max_concurrent_migrations(nodes: int) -> CheckResult:
    """floor(N/2): each node is in one live migration at a time, as source or destination."""
    if isinstance(nodes, bool) or not isinstance(nodes, int):
        raise InputError(f"must be a whole number of nodes, not {nodes!r}", field="nodes",
                         ja=f"ノード数は整数で指定してください (指定値: {nodes!r})")
    inputs = {"nodes": nodes}
    if nodes < 1 or nodes > MAX_NODES:
        return CheckResult(ID, ENTRY, inputs, False, None, None, _out_of_range(nodes))
    value = nodes // 2
    if nodes == 1:
        text = {
            "ja": "ノードが 1 つだけのクラスターには移行先がないため、ライブ マイグレーションは"
                  "実行できません (0)。ライブ マイグレーションには 2 ノード以上の"
                  "フェールオーバー クラスターが必要です。",
            "en": "A 1-node cluster has nowhere to move a virtual machine to, so it runs no "
                  "live migrations (0). Live migration needs a failover cluster of two or more nodes.",
        }
    else:
        text = {
            "ja": f"各ノードは移行元または移行先として一度に 1 つのライブ マイグレーションにしか"
                  f"参加できないため、{nodes} ノードのクラスターで同時に実行できるライブ "
                  f"マイグレーションは最大 {value} 個です ({nodes} ÷ 2、端数切り捨て)。",
            "en": f"Each node takes part in one live migration at a time, as source or "
                  f"destination, so a {nodes}-node cluster runs at most {value} live "
                  f"migration{'s' if value != 1 else ''} at once ({nodes} ÷ 2, rounded down).",
        }
    return CheckResult(ID, ENTRY, inputs, True, value, None, text)


def _out_of_range(nodes: int) -> dict[str, str]:
    if nodes > MAX_NODES:
        return {
            "ja": f"Windows Server 2008 R2 のフェールオーバー クラスターでサポートされるのは "
                  f"最大 {MAX_NODES} ノードです。{nodes} ノードの構成はサポートされません。"
                  f"要件は faq show requirements を参照してください。",
            "en": f"A Windows Server 2008 R2 failover cluster supports at most {MAX_NODES} nodes; "
                  f"{nodes} nodes is not a supported configuration. See the requirements: "
                  f"faq show requirements.",
        }
    return {
        "ja": f"ノード数は 1 以上である必要があります ({nodes} が指定されました)。"
              f"ライブ マイグレーションには 2 ノード以上のクラスターが必要です。"
              f"要件は faq show requirements を参照してください。",
        "en": f"A cluster has at least one node ({nodes} was given), and live migration needs "
              f"two or more. See the requirements: faq show requirements.",
    }


def _headline(result: CheckResult, lang: str) -> str:
    if lang == "ja":
        return f"同時に実行できるライブ マイグレーション: 最大 {result.value} 個"
    return f"Live migrations at once: at most {result.value}"


def _drill(rng: random.Random) -> DrillItem:
    nodes = rng.randint(2, 16)
    result = max_concurrent_migrations(nodes)
    return DrillItem(
        kind="numeric", answer=int(result.value), params={"nodes": nodes},
        prompt=Bilingual(f"{nodes} ノードのフェールオーバー クラスターでは、同時にいくつの"
                         f"ライブ マイグレーションを実行できますか。",
                         f"A failover cluster has {nodes} nodes. How many live migrations "
                         f"can it run at the same time?"),
        explanation=Bilingual(result.explanation["ja"], result.explanation["en"]),
    )


DRILL = Drill("max-concurrent", _drill)

CHECK = Calculator(
    id=ID,
    entry=ENTRY,
    title=Bilingual("計算: 同時ライブ マイグレーション数", "Compute: live migrations at once"),
    help=Bilingual("同時に実行できるライブ マイグレーションの数", "live migrations a cluster runs at once"),
    params=(
        Param("nodes", COUNT, "--nodes", Bilingual("ノード数", "Nodes"),
              Bilingual("クラスターのノード数", "cluster nodes"), required=True, low=MIN_NODES, high=MAX_NODES,
              refuse_outside=True,
              example="4", find=lambda scan: scan.values.get("nodes")),
    ),
    compute=max_concurrent_migrations,
    headline=_headline,
    drills=(DRILL,),
)
