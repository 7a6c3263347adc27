"""The cluster validator as the registry knows it: its id, its entry, the drills it poses.

The validator itself (`faq check FILE`) is ``kb.checks.rules.validate_cluster``; this module
stays light, so knowing the check ids does not load the cluster-file reader.
"""

from __future__ import annotations

import random

from kb.checks.spec import Bilingual, Drill, DrillItem, Validator

ID = "cluster-validator"
ENTRY = "requirements"
PROCESSOR_ENTRY = "processor-compatibility"  # what the processor rules cite

# Processor families of the Windows Server 2008 R2 era, by manufacturer.
FAMILIES = {
    "Intel": ("Xeon 5400", "Xeon 5500", "Xeon 5600", "Xeon E5-2600"),
    "AMD": ("Opteron 2300", "Opteron 2400", "Opteron 6100", "Opteron 6200"),
}
_COMPAT_JA = "[プロセッサ バージョンが異なる物理コンピューターへ移行する]"
_COMPAT_EN = "\"Migrate to a physical computer with a different processor version\""


def _cross_vendor(rng: random.Random) -> DrillItem:
    source, target = rng.sample(sorted(FAMILIES), 2)
    compat = rng.random() < 0.5
    ja_compat = f"{_COMPAT_JA} をオンにした" if compat else ""
    en_compat = f" with {_COMPAT_EN} turned on" if compat else ""
    return DrillItem(
        kind="truefalse", answer=False, params={"source": source, "target": target, "compat": str(compat)},
        prompt=Bilingual(f"{ja_compat}仮想マシンは、{source} のノードから {target} の"
                         f"ノードへライブ マイグレーションできる。",
                         # "an Intel", "an AMD": both names take "an".
                         f"A virtual machine{en_compat} can be live-migrated from an {source} "
                         f"node to an {target} node."),
        explanation=Bilingual("誤り。プロセッサの互換性が保たれるのは同じ製造元のプロセッサの間だけです。"
                              "Intel と AMD のノードの間では、設定にかかわらずライブ マイグレーションできません。",
                              "False. Processor compatibility only holds between processors from the "
                              "same manufacturer; whatever the setting, a VM cannot live-migrate "
                              "between Intel and AMD nodes."),
    )


def _same_vendor(rng: random.Random) -> DrillItem:
    vendor = rng.choice(sorted(FAMILIES))
    older, newer = sorted(rng.sample(FAMILIES[vendor], 2), key=FAMILIES[vendor].index)
    return DrillItem(
        kind="truefalse", answer=True, params={"vendor": vendor, "older": older, "newer": newer},
        prompt=Bilingual(f"ノード A は {older}、ノード B は {newer} を搭載しています。"
                         f"{_COMPAT_JA} をオンにした仮想マシンは、A から B へライブ マイグレーションできる。",
                         f"Node A has a {older} processor and node B a {newer}. A virtual "
                         f"machine with {_COMPAT_EN} turned on can be live-migrated from A to B."),
        explanation=Bilingual(f"正しい。どちらも {vendor} のプロセッサなので、互換性の設定により仮想マシンは"
                              f"両方の世代に共通する機能だけを使い、再起動せずに移動できます。",
                              f"True. Both are {vendor} processors, so with the setting on the VM "
                              f"uses only features both generations share and moves without a restart."),
    )


DRILLS = (Drill("cross-vendor", _cross_vendor, entry=PROCESSOR_ENTRY),
          Drill("same-vendor", _same_vendor, entry=PROCESSOR_ENTRY))

CHECK = Validator(
    id=ID,
    entry=ENTRY,
    title=Bilingual("クラスター構成の検証", "Cluster validation"),
    against=Bilingual("ライブ マイグレーションの要件", "the live migration requirements"),
    drills=DRILLS,
)
