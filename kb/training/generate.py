"""Quiz items with fresh numbers each time, answered by the same calculators `faq calc` uses.

Each template has a stable card id (``gen/<template>``) so progress accumulates across
the different numbers, and a link to the entry that teaches it. The calculators are
imported when an item is made, so loading this module costs nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection

from kb.content.entry import QuizText
from kb.errors import ContentError
from kb.training.item import GENERATED_PREFIX, TrainingItem

# A migration-time answer within ±25 % of the calculator's estimate counts as right:
# the point is the order of magnitude (seconds, not minutes), not the model's decimals.
MIGRATION_TIME_TOLERANCE = 0.25

MAX_CONCURRENT = f"{GENERATED_PREFIX}/max-concurrent"
MIGRATION_TIME = f"{GENERATED_PREFIX}/migration-time"
CROSS_VENDOR = f"{GENERATED_PREFIX}/cross-vendor"
SAME_VENDOR = f"{GENERATED_PREFIX}/same-vendor"

# Card id -> the entry each generated item teaches (and `faq show` points to).
GENERATED_LINKS: dict[str, str] = {
    MAX_CONCURRENT: "concurrent-migrations",
    MIGRATION_TIME: "migration-duration",
    CROSS_VENDOR: "processor-compatibility",
    SAME_VENDOR: "processor-compatibility",
}

MEMORY_GB = (2, 4, 6, 8, 12, 16, 24, 32)
LINK_GBPS = (1, 10)
# Processor families of the Windows Server 2008 R2 era, by manufacturer.
FAMILIES = {
    "Intel": ("Xeon 5400", "Xeon 5500", "Xeon 5600", "Xeon E5-2600"),
    "AMD": ("Opteron 2300", "Opteron 2400", "Opteron 6100", "Opteron 6200"),
}


def _max_concurrent(rng: random.Random) -> TrainingItem:
    from kb.checks import max_concurrent_migrations

    nodes = rng.randint(2, 16)
    result = max_concurrent_migrations(nodes)
    return TrainingItem(
        card_id=MAX_CONCURRENT, entry=GENERATED_LINKS[MAX_CONCURRENT], kind="numeric",
        answer=int(result.value), generated=True, params={"nodes": nodes},
        text={
            "ja": QuizText(f"{nodes} ノードのフェールオーバー クラスターでは、同時にいくつの"
                           f"ライブ マイグレーションを実行できますか。", result.explanation["ja"]),
            "en": QuizText(f"A failover cluster has {nodes} nodes. How many live migrations "
                           f"can it run at the same time?", result.explanation["en"]),
        },
    )


def _migration_time(rng: random.Random) -> TrainingItem:
    from kb.checks import migration_time

    memory_gb, link_gbps = rng.choice(MEMORY_GB), rng.choice(LINK_GBPS)
    # The calculators count decimal units: 1 GB = 1000 MB, 1 Gbps = 1000 Mbps.
    result = migration_time(memory_mb=memory_gb * 1000.0, link_mbps=link_gbps * 1000.0, load="light")
    pct = round(MIGRATION_TIME_TOLERANCE * 100)
    return TrainingItem(
        card_id=MIGRATION_TIME, entry=GENERATED_LINKS[MIGRATION_TIME], kind="numeric",
        answer=float(result.value), rel_tolerance=MIGRATION_TIME_TOLERANCE, unit="s",
        generated=True, params={"memory_gb": memory_gb, "link_gbps": link_gbps, "load": "light"},
        text={
            "ja": QuizText(f"メモリ {memory_gb} GB の仮想マシンを、負荷の軽いノード間で "
                           f"{link_gbps} Gbps のネットワーク経由でライブ マイグレーションします。"
                           f"完了までおよそ何秒かかりますか。",
                           f"{result.explanation['ja']} (±{pct}% 以内を正解とします)"),
            "en": QuizText(f"A VM with {memory_gb} GB of memory is live-migrated over a "
                           f"{link_gbps} Gbps network between lightly loaded nodes. "
                           f"About how many seconds does it take?",
                           f"{result.explanation['en']} (within ±{pct}% counts as right)"),
        },
    )


def _cross_vendor(rng: random.Random) -> TrainingItem:
    source, target = rng.sample(sorted(FAMILIES), 2)
    compat = rng.random() < 0.5
    ja_compat = "[プロセッサ バージョンが異なる物理コンピューターへ移行する] をオンにした" if compat else ""
    en_compat = (" with \"Migrate to a physical computer with a different processor version\" "
                 "turned on") if compat else ""
    return TrainingItem(
        card_id=CROSS_VENDOR, entry=GENERATED_LINKS[CROSS_VENDOR], kind="truefalse",
        answer=False, generated=True, params={"source": source, "target": target, "compat": str(compat)},
        text={
            "ja": QuizText(f"{ja_compat}仮想マシンは、{source} のノードから {target} の"
                           f"ノードへライブ マイグレーションできる。",
                           "誤り。プロセッサの互換性が保たれるのは同じ製造元のプロセッサの間だけです。"
                           "Intel と AMD のノードの間では、設定にかかわらずライブ マイグレーションできません。"),
            # "an Intel", "an AMD": both names take "an".
            "en": QuizText(f"A virtual machine{en_compat} can be live-migrated from an {source} "
                           f"node to an {target} node.",
                           "False. Processor compatibility only holds between processors from the "
                           "same manufacturer; whatever the setting, a VM cannot live-migrate "
                           "between Intel and AMD nodes."),
        },
    )


def _same_vendor(rng: random.Random) -> TrainingItem:
    vendor = rng.choice(sorted(FAMILIES))
    older, newer = sorted(rng.sample(FAMILIES[vendor], 2), key=FAMILIES[vendor].index)
    return TrainingItem(
        card_id=SAME_VENDOR, entry=GENERATED_LINKS[SAME_VENDOR], kind="truefalse",
        answer=True, generated=True, params={"vendor": vendor, "older": older, "newer": newer},
        text={
            "ja": QuizText(f"ノード A は {older}、ノード B は {newer} を搭載しています。"
                           f"[プロセッサ バージョンが異なる物理コンピューターへ移行する] をオンにした"
                           f"仮想マシンは、A から B へライブ マイグレーションできる。",
                           f"正しい。どちらも {vendor} のプロセッサなので、互換性の設定により仮想マシンは"
                           f"両方の世代に共通する機能だけを使い、再起動せずに移動できます。"),
            "en": QuizText(f"Node A has a {older} processor and node B a {newer}. A virtual "
                           f"machine with \"Migrate to a physical computer with a different "
                           f"processor version\" turned on can be live-migrated from A to B.",
                           f"True. Both are {vendor} processors, so with the setting on the VM "
                           f"uses only features both generations share and moves without a restart."),
        },
    )


TEMPLATES: dict[str, Callable[[random.Random], TrainingItem]] = {
    MAX_CONCURRENT: _max_concurrent,
    MIGRATION_TIME: _migration_time,
    CROSS_VENDOR: _cross_vendor,
    SAME_VENDOR: _same_vendor,
}


def generate_items(rng: random.Random, templates: Collection[str] | None = None) -> list[TrainingItem]:
    """One fresh item per template (all of them unless ``templates`` names some), numbers from ``rng``."""
    chosen = TEMPLATES if templates is None else {k: TEMPLATES[k] for k in templates}
    return [make(rng) for make in chosen.values()]


def validate_generated_links(entry_ids: Collection[str]) -> list[ContentError]:
    """For `faq lint`: a ContentError for each generated template whose entry is missing."""
    return [
        ContentError(f"generated quiz items link to entry {entry!r}, which does not exist",
                     field=card_id, ja=f"生成されるクイズ項目のリンク先のエントリ {entry!r} は存在しません")
        for card_id, entry in GENERATED_LINKS.items()
        if entry not in entry_ids
    ]
