"""Synthetic bilingual knowledge bases in the entry format, for benchmarks at scale.

``python -m bench.synth OUT N [--seed S]`` writes N entries to OUT/entries/ plus
OUT/tags.toml and OUT/glossary.toml. The same seed always gives the same bytes.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

# Vocabulary. Order is frequency rank: words near the top are drawn far more often
# (Zipf), so a benchmark sees the skewed posting lists a real corpus has.
# Nouns are "ja|en" pairs separated by ";". Two carry a backslash and double quotes
# on purpose, so the TOML escaping is exercised by every large corpus.
_NOUN_TEXT = """
クラスター ノード|cluster node; 仮想マシン|virtual machine; ストレージ|storage; ネットワーク アダプター|network adapter
フェールオーバー クラスター|failover cluster; 共有記憶域|shared storage; ホスト サーバー|host server; イベント ログ|event log
ファームウェア|firmware; ドライバー|driver; サービス|service; ディスク|disk; ボリューム|volume; メモリ|memory
プロセッサ|processor; 仮想スイッチ|virtual switch; 管理ツール|management tool; バックアップ ジョブ|backup job
更新プログラム|software update; サービス パック|service pack; ストレージ コントローラー|storage controller
ホスト バス アダプター|host bus adapter; LUN|LUN; クォーラム ディスク|quorum disk; クラスターの共有ボリューム|Cluster Shared Volume
ハートビート ネットワーク|heartbeat network; 管理ネットワーク|management network; iSCSI イニシエーター|iSCSI initiator
iSCSI ターゲット|iSCSI target; ファイバー チャネル スイッチ|Fibre Channel switch; マルチパス I/O|Multipath I/O
DNS サーバー|DNS server; DHCP サーバー|DHCP server; Active Directory|Active Directory; グループ ポリシー|Group Policy
証明書|certificate; ファイアウォール規則|firewall rule; リモート デスクトップ|Remote Desktop; PowerShell モジュール|PowerShell module
スナップショット|snapshot; 仮想ハード ディスク|virtual hard disk; 差分ディスク|differencing disk; 統合サービス|integration services
ゲスト OS|guest operating system; 管理オペレーティング システム|management operating system; ハイパーバイザー|hypervisor
BIOS 設定|BIOS setting; 仮想化支援機能|hardware virtualization support; 電源プラン|power plan; NIC チーミング|NIC teaming
VLAN ID|VLAN ID; ジャンボ フレーム|jumbo frame; MAC アドレス|MAC address; IP アドレス|IP address; サブネット マスク|subnet mask
既定のゲートウェイ|default gateway; ルーティング テーブル|routing table; 帯域幅|bandwidth; 遅延|latency; スループット|throughput
パフォーマンス カウンター|performance counter; リソース モニター|Resource Monitor; タスク スケジューラ|Task Scheduler
監視エージェント|monitoring agent; アラート|alert; SNMP トラップ|SNMP trap; syslog サーバー|syslog server; ログ ファイル|log file
ダンプ ファイル|dump file; ページ ファイル|page file; システム ドライブ|system drive; ブート構成データ|boot configuration data
回復パーティション|recovery partition; RAID コントローラー|RAID controller; RAID アレイ|RAID array; ホット スペア|hot spare
ディスク クォータ|disk quota; ファイル サーバー|file server; 共有フォルダー|shared folder; アクセス許可|access permission
サービス アカウント|service account; 管理者アカウント|administrator account; ローカル グループ|local group
ドメイン アカウント|domain account; パスワード ポリシー|password policy; Kerberos 認証|Kerberos authentication
委任設定|delegation setting; 時刻同期|time synchronization; NTP サーバー|NTP server; ライセンス キー|license key
ライセンス認証|product activation; ボリューム ライセンス|volume license; 役割|server role; 機能|server feature
クラスター リソース|cluster resource; リソース グループ|resource group; 依存関係|dependency; 優先所有者|preferred owner
フェールバック設定|failback setting; クラスター検証レポート|cluster validation report; クラスター ログ|cluster log
クラスター名オブジェクト|cluster name object; 仮想コンピューター オブジェクト|virtual computer object
ネットワーク名リソース|network name resource; IP アドレス リソース|IP address resource; 保守時間帯|maintenance window
メンテナンス モード|maintenance mode; ローリング アップグレード|rolling upgrade; 移行元ノード|source node
移行先ノード|destination node; ライブ マイグレーション|live migration; クイック マイグレーション|quick migration
記憶域の移行|storage migration; レプリケーション|replication; レプリカ サーバー|replica server; 災害復旧サイト|disaster recovery site
復元ポイント|restore point; VSS ライター|VSS writer; シャドウ コピー|shadow copy; バックアップ サーバー|backup server
テープ ライブラリ|tape library; 重複除去|data deduplication; 圧縮設定|compression setting; 暗号化キー|encryption key
BitLocker|BitLocker; TPM|TPM; ウイルス対策ソフト|antivirus software; 除外設定|exclusion setting; セキュリティ パッチ|security patch
WSUS サーバー|WSUS server; 構成ファイル|configuration file; レジストリ キー|registry key; 環境変数|environment variable
起動スクリプト|startup script; ログオン スクリプト|logon script; バッチ ファイル|batch file; 実行ポリシー|execution policy
WMI プロバイダー|WMI provider; イベント ビューアー|Event Viewer; サーバー マネージャー|Server Manager; Hyper-V マネージャー|Hyper-V Manager
フェールオーバー クラスター マネージャー|Failover Cluster Manager; VMM 管理者コンソール|VMM Administrator Console
Operations Manager|Operations Manager; 管理パック|management pack; ダッシュボード|dashboard; しきい値|threshold
容量計画|capacity plan; ストレージ プール|storage pool; シン プロビジョニング|thin provisioning; ディスク領域|disk space
空き容量|free space; I/O 待ち時間|I/O latency; キューの長さ|queue length; CPU 使用率|CPU usage; メモリ使用量|memory usage
動的メモリ|Dynamic Memory; NUMA ノード|NUMA node; 論理プロセッサ|logical processor; 仮想プロセッサ|virtual processor
プロセッサ互換モード|processor compatibility mode; TCP オフロード|TCP offload; 受信側スケーリング|receive-side scaling
VMQ|VMQ; ロード バランサー|load balancer; プロキシ サーバー|proxy server; VPN 接続|VPN connection; SMB 共有|SMB share
NFS エクスポート|NFS export; ストレージ スナップショット|storage snapshot; SAN スイッチ|SAN switch; ゾーニング設定|zoning configuration
WWN|WWN; ラック サーバー|rack server; ブレード シャーシ|blade chassis; 電源ユニット|power supply unit; UPS|UPS
冷却ファン|cooling fan; ベースボード管理コントローラー|baseboard management controller; リモート管理カード|remote management card
KVM スイッチ|KVM switch; ケーブル配線|cabling; 光トランシーバー|optical transceiver; スイッチ ポート|switch port
ポート チャネル|port channel; スパニング ツリー|spanning tree; ブロードキャスト ストーム|broadcast storm; 名前解決|name resolution
ホスト名|host name; FQDN|FQDN; 逆引き参照ゾーン|reverse lookup zone; C:\\ClusterStorage フォルダー|C:\\ClusterStorage folder
"Cluster Group" リソース グループ|"Cluster Group" resource group; テスト環境|test environment; 本番環境|production environment
変更管理|change management; 運用手順書|runbook; 障害報告書|incident report; SLA|SLA; 監査ログ|audit log
アクセス ログ|access log; Web サーバー|web server; データベース サーバー|database server; SQL Server インスタンス|SQL Server instance
Exchange サーバー|Exchange server; アプリケーション プール|application pool; ファイル システム|file system
NTFS アクセス許可|NTFS permission; パーティション|partition; MBR ディスク|MBR disk; GPT ディスク|GPT disk
ドライブ文字|drive letter; マウント ポイント|mount point; 修正プログラム|hotfix; 仮想ネットワーク|virtual network
"""

# The glossary lists these short forms beside the full names.
_ABBR = {
    "network adapter": "NIC",
    "Cluster Shared Volume": "CSV",
    "Multipath I/O": "MPIO",
    "host bus adapter": "HBA",
    "virtual hard disk": "VHD",
    "live migration": "LM",
    "virtual machine": "VM",
    "baseboard management controller": "BMC",
    "receive-side scaling": "RSS",
    "Group Policy": "GPO",
    "boot configuration data": "BCD",
    "VMM Administrator Console": "SCVMM",
    "cluster name object": "CNO",
    "virtual computer object": "VCO",
    "Failover Cluster Manager": "FCM",
}

# Verbs: Japanese suru-noun | English base | past | -ing.
_VERB_TEXT = """
更新|update|updated|updating; 構成|configure|configured|configuring; 再起動|restart|restarted|restarting
削除|delete|deleted|deleting; 追加|add|added|adding; 移行|migrate|migrated|migrating
有効化|enable|enabled|enabling; 無効化|disable|disabled|disabling; バックアップ|back up|backed up|backing up
復元|restore|restored|restoring; 監視|monitor|monitored|monitoring; 確認|check|checked|checking
交換|replace|replaced|replacing; 拡張|extend|extended|extending; 初期化|initialize|initialized|initializing
同期|synchronize|synchronized|synchronizing; 登録|register|registered|registering; 変更|change|changed|changing
インストール|install|installed|installing; アンインストール|uninstall|uninstalled|uninstalling
アップグレード|upgrade|upgraded|upgrading; ロールバック|roll back|rolled back|rolling back
フォーマット|format|formatted|formatting; マウント|mount|mounted|mounting; 切断|disconnect|disconnected|disconnecting
共有|share|shared|sharing; 暗号化|encrypt|encrypted|encrypting; 圧縮|compress|compressed|compressing
エクスポート|export|exported|exporting; インポート|import|imported|importing; 複製|replicate|replicated|replicating
検証|validate|validated|validating; 最適化|optimize|optimized|optimizing; 分離|isolate|isolated|isolating
再構築|rebuild|rebuilt|rebuilding; リセット|reset|reset|resetting; 停止|stop|stopped|stopping
起動|start|started|starting; 一時停止|pause|paused|pausing
"""

# Symptoms: Japanese predicate | English third person | English base form.
_SYMPTOM_TEXT = """
再起動を繰り返す|keeps restarting|keep restarting; 応答しなくなる|stops responding|stop responding
オフラインになる|goes offline|go offline; 一覧に表示されない|does not appear in the list|not appear in the list
起動しない|fails to start|fail to start; 極端に遅くなる|becomes very slow|become very slow
ネットワークに接続できない|cannot connect to the network|not connect to the network
エラー コード 0x80070005 を返す|returns error code 0x80070005|return error code 0x80070005
イベント ID 1069 を記録する|logs event ID 1069|log event ID 1069; タイムアウトする|times out|time out
認識されない|is not detected|not be detected; フェールオーバーに失敗する|fails to fail over|fail to fail over
警告を出し続ける|keeps raising warnings|keep raising warnings; 予期せずシャットダウンする|shuts down unexpectedly|shut down unexpectedly
同期が完了しない|never finishes synchronizing|never finish synchronizing
リダイレクト モードのままになる|stays in redirected mode|stay in redirected mode; アクセス拒否になる|gets access denied|get access denied
高い CPU 使用率を示す|shows high CPU usage|show high CPU usage; パケットを破棄する|drops packets|drop packets
状態が不明と表示される|shows an unknown state|show an unknown state; 容量不足になる|runs out of space|run out of space
認証に失敗する|fails authentication|fail authentication; ブルー スクリーンで停止する|stops with a blue screen|stop with a blue screen
時刻がずれる|drifts out of time sync|drift out of time sync; 見つからないと報告される|is reported as missing|be reported as missing
"""

# Settings a question can be asked in: Japanese | English.
_CONTEXT_TEXT = """
Windows Server 2008 R2 のフェールオーバー クラスター|a Windows Server 2008 R2 failover cluster
4 ノード構成のクラスター|a four-node cluster; 検証用のテスト環境|a test lab; 本番環境|production
Server Core インストールのホスト|a Server Core installation; ブランチ オフィス|a branch office
二拠点構成のクラスター|a two-site cluster; Hyper-V Server 2008 R2|Hyper-V Server 2008 R2
仮想デスクトップ基盤|a VDI deployment; ファイバー チャネル SAN 構成|a Fibre Channel SAN setup
iSCSI SAN 構成|an iSCSI SAN setup; ワークグループ環境|a workgroup environment
"""

# Tags: id | Japanese label | English label.
_TAG_TEXT = """
troubleshooting|トラブルシューティング|Troubleshooting; configuration|構成|Configuration; storage|ストレージ|Storage
network|ネットワーク|Networking; cluster|クラスター|Clustering; backup|バックアップ|Backup; patching|更新管理|Patching
performance|パフォーマンス|Performance; security|セキュリティ|Security; monitoring|監視|Monitoring
virtualization|仮想化|Virtualization; migration|移行|Migration; hardware|ハードウェア|Hardware; recovery|復旧|Recovery
installation|インストール|Installation; planning|計画|Planning; identity|ID 管理|Identity; dns|名前解決|Name resolution
firmware|ファームウェア|Firmware; scripting|スクリプト|Scripting; logging|ログ|Logging; certificates|証明書|Certificates
replication|レプリケーション|Replication; capacity|容量計画|Capacity planning; scheduling|スケジュール|Scheduling
licensing|ライセンス|Licensing; power|電源|Power; compliance|コンプライアンス|Compliance; database|データベース|Databases
filesharing|ファイル共有|File sharing
"""

_APPLIES_TO = (
    "Windows Server 2008 R2",
    "Windows Server 2008 R2 SP1",
    "Hyper-V Server 2008 R2",
    "System Center VMM 2008 R2",
)

# Queries about things no generated entry covers, so a benchmark also pays for misses.
_OFF_QUERIES = (
    "weather tokyo",
    "Excel マクロ 有効化",
    "how to back up my iPhone",
    "パスワードを忘れた",
    "Docker コンテナ 移行",
    "Azure の料金",
    "printer offline windows 10",
    "年末調整 書き方",
)


def _table(text: str, width: int) -> tuple[tuple[str, ...], ...]:
    rows = []
    for item in text.replace("\n", ";").split(";"):
        if item.strip():
            fields = tuple(f.strip() for f in item.split("|"))
            assert len(fields) == width, item
            rows.append(fields)
    return tuple(rows)


def _zipf(count: int, s: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** s for rank in range(count)))


# Product and feature names read wrong with "the" in front of them.
_NO_ARTICLE = frozenset(
    (
        "Active Directory", "Group Policy", "Remote Desktop", "Resource Monitor", "Task Scheduler",
        "Event Viewer", "Server Manager", "Hyper-V Manager", "Failover Cluster Manager",
        "Operations Manager", "Dynamic Memory", "BitLocker", "Multipath I/O",
    )
)  # fmt: skip


def _the(en: str) -> str:
    return en if en in _NO_ARTICLE else "the " + en


def _slug(en: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", en.lower()).strip("-")


NOUNS = _table(_NOUN_TEXT, 2)
VERBS = _table(_VERB_TEXT, 4)
SYMPTOMS = _table(_SYMPTOM_TEXT, 3)
CONTEXTS = _table(_CONTEXT_TEXT, 2)
TAGS = _table(_TAG_TEXT, 3)
_NOUN_THE = tuple(_the(en) for _, en in NOUNS)
_NOUN_CUM = _zipf(len(NOUNS))
_VERB_CUM = _zipf(len(VERBS))
_SYMPTOM_CUM = _zipf(len(SYMPTOMS))
_TAG_CUM = _zipf(len(TAGS))
_POOL = 6  # distinct nouns per entry: the question and its answer share a topic

# Templates take fields a..f (Japanese nouns), A..F (English, with article when it
# reads right), v/vb/vp/vg (verb: ja stem, en base, past, -ing), s/s3/sb (symptom).
_QUESTIONS = (
    (
        "{a}の{b}を{v}した後に{c}が{s}場合の対処方法を教えてください。",
        "What should I do when {C} {s3} after {vg} {B} of {A}?",
    ),
    ("{a}を{v}するには、どうすればよいですか。", "How do I {vb} {A}?"),
    ("{a}で{b}を{v}することはできますか。", "Can I {vb} {B} on {A}?"),
    ("{a}と{b}の違いは何ですか。", "What is the difference between {A} and {B}?"),
    (
        "{a}を{v}する前に{b}を確認する必要はありますか。",
        "Do I need to check {B} before I {vb} {A}?",
    ),
    ("{a}が{s}のはなぜですか。", "Why does {A} {sb}?"),
    ("{a}の{b}を{v}すると{c}に影響はありますか。", "Does {vg} {B} of {A} affect {C}?"),
    ("{a}を使用するために{b}は必要ですか。", "Is {B} required to use {A}?"),
    (
        "{a}の{b}を{v}するのにどれくらいの時間がかかりますか。",
        "How long does it take to {vb} {B} of {A}?",
    ),
    (
        "{a}ごとにサポートされる{b}の数に上限はありますか。",
        "Is there a limit on how many {b_} instances each {a_} supports?",
    ),
)
_ALTERNATES = (
    ("{a} {b} {v}", "{a_} {b_} {vb}"),
    ("{a}の{b}って{v}できる？", "can i {vb} {b_} on {a_}"),
    ("{a}を{v}する方法", "how to {vb} {A}"),
    ("{a}が{s}", "{a_} {s3}"),
    ("{a_nosp} {v} 手順", "{a_} {vb} steps"),
    ("{b}を{v}したら{a}が{s}", "{a_} {s3} after {vg} {b_}"),
)
_BODY = (
    (
        "{a}を{v}する前に、{b}の{c}が最新であることを確認してください。",
        "Before you {vb} {A}, make sure {C} of {B} is up to date.",
    ),
    (
        "{a}が{s}場合は、{b}のイベント ログを確認し、必要に応じて{c}を{v}してください。",
        "If {A} {s3}, check the event log on {B} and {vb} {C} if needed.",
    ),
    (
        "既定では、{a}は{b}を使用して{c}と通信します。",
        "By default, {A} uses {B} to communicate with {C}.",
    ),
    (
        "{a}の{b}を{v}した場合、{c}を再起動する必要はありません。",
        "If you {vp} {B} of {A}, you do not need to restart {C}.",
    ),
    (
        "詳細については、{a}の{b}に関するドキュメントを参照してください。",
        "For details, see the documentation on {B} of {A}.",
    ),
    (
        "{a}と{b}は、同じ{c}上に構成することをお勧めします。",
        "We recommend configuring {A} and {B} on the same {c_}.",
    ),
    (
        "{a}ごとに最大 {num} 個の{b}がサポートされます。",
        "Up to {num} {b_} instances are supported per {a_}.",
    ),
    (
        "**{a}** を{v}すると、{b}は一時的に{c}を使用できなくなります。",
        "When you {vb} {A}, {B} briefly loses access to {C}.",
    ),
    (
        "{a}の{b}が異なる場合、{c}の{v}は失敗することがあります。",
        "If {B} differs on {A}, {vg} {C} can fail.",
    ),
)
_QUIZ = (
    "{a}を{v}する前に確認すべきものはどれですか。",
    "Which should you check before you {vb} {A}?",
    "{x}を確認しないと、{a}が{s}ことがあります。",
    "If you do not check {X}, {A} may {sb}.",
)

_TOML_ESCAPES = {i: f"\\u{i:04X}" for i in range(0x20)}
_TOML_ESCAPES.update(
    {
        0x7F: "\\u007F",
        0x22: '\\"',
        0x5C: "\\\\",
        0x08: "\\b",
        0x09: "\\t",
        0x0A: "\\n",
        0x0C: "\\f",
        0x0D: "\\r",
    }
)


def toml_str(text: str) -> str:
    """``text`` as a TOML basic string, escaped so any content round-trips."""
    return '"' + text.translate(_TOML_ESCAPES) + '"'


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(toml_str(t) for t in items) + "]"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fields(rng: random.Random) -> dict[str, str]:
    picks: list[int] = []
    while len(picks) < _POOL:
        for i in rng.choices(range(len(NOUNS)), cum_weights=_NOUN_CUM, k=_POOL * 2):
            if i not in picks and len(picks) < _POOL:
                picks.append(i)
    verb = rng.choices(VERBS, cum_weights=_VERB_CUM)[0]
    symptom = rng.choices(SYMPTOMS, cum_weights=_SYMPTOM_CUM)[0]
    f = {
        "v": verb[0],
        "vb": verb[1],
        "vp": verb[2],
        "vg": verb[3],
        "s": symptom[0],
        "s3": symptom[1],
        "sb": symptom[2],
        "num": str(rng.choice((2, 4, 8, 16, 32, 64, 256))),
    }
    for slot, i in zip("abcdef", picks, strict=True):
        f[slot] = NOUNS[i][0]
        f[slot + "_"] = NOUNS[i][1]
        f[slot.upper()] = _NOUN_THE[i]
    f["a_nosp"] = f["a"].replace(" ", "")
    return f


def _rotate(f: dict[str, str], by: int) -> dict[str, str]:
    """The same topic with its nouns in other roles, so body sentences vary."""
    g = dict(f)
    slots = "abcdef"
    for k, slot in enumerate(slots):
        src = slots[(k + by) % len(slots)]
        g[slot], g[slot + "_"], g[slot.upper()] = f[src], f[src + "_"], f[src.upper()]
    return g


def _sentence(
    pair: tuple[str, str], f: dict[str, str], rng: random.Random, used: set[int] | None = None
) -> tuple[str, str]:
    """A sentence pair; a short one gets a setting in front, one not yet in ``used``."""
    ja, en = pair[0].format_map(f), pair[1].format_map(f)
    if len(ja) < 40:  # a real FAQ question says where it happens
        fits = [k for k, c in enumerate(CONTEXTS) if len(c[0]) + len(ja) >= 38]
        fresh = [k for k in fits if used is None or k not in used]
        k = rng.choice(fresh or fits)
        if used is not None:
            used.add(k)
        ctx = CONTEXTS[k]
        ja = f"{ctx[0]}で、{ja}"
        en = f"In {ctx[1]}, {en[:1].lower()}{en[1:]}"
    return ja, _cap(en)


def _entry(i: int, n: int, rng: random.Random) -> str:
    f = _fields(rng)
    used: set[int] = set()
    q_ja, q_en = _sentence(rng.choice(_QUESTIONS), f, rng, used)
    alts = rng.sample(_ALTERNATES, rng.randint(0, 4))
    tags = dict.fromkeys(rng.choices(TAGS, cum_weights=_TAG_CUM, k=rng.randint(1, 3)))
    related: dict[str, None] = {}
    if n > 1:
        for _ in range(rng.randint(0, 3)):
            j = rng.randrange(n - 1)
            related[f"syn-{j + (j >= i):06d}"] = None
    applies = rng.sample(_APPLIES_TO, rng.randint(1, 2))
    out = [
        "+++\n",
        f'id = "syn-{i:06d}"\n',
        f"tags = {_toml_list([t[0] for t in tags])}\n",
        f"related = {_toml_list(list(related))}\n",
        f"applies_to = {_toml_list(applies)}\n",
        "checks = []\n",
    ]
    for lang, k, q in (("ja", 0, q_ja), ("en", 1, q_en)):
        out.append(f"\n[{lang}]\nquestion = {toml_str(q)}\n")
        if alts:
            lines = "".join(f"  {toml_str(a[k].format_map(f))},\n" for a in alts)
            out.append(f"alternates = [\n{lines}]\n")
        else:
            out.append("alternates = []\n")
    if rng.random() < 0.3:
        out.append(_quiz(f, rng))
    out.append("+++\n")
    body_ja, body_en = [], []
    for k in range(rng.randint(2, 4)):
        ja, en = _sentence(rng.choice(_BODY), _rotate(f, k), rng, used)
        body_ja.append(ja)
        body_en.append(en)
    split = rng.randint(1, len(body_ja))  # one or two paragraphs
    out.append("\n<!-- ja -->\n" + "".join(body_ja[:split]) + "\n")
    if split < len(body_ja):
        out.append("\n" + "".join(body_ja[split:]) + "\n")
    steps = rng.randint(2, 4) if rng.random() < 0.3 else 0
    if steps:
        out.append("\n" + "".join(f"- {f[s]}を{f['v']}する\n" for s in "bcdef"[:steps]))
    out.append("\n<!-- en -->\n" + " ".join(body_en[:split]) + "\n")
    if split < len(body_en):
        out.append("\n" + " ".join(body_en[split:]) + "\n")
    if steps:
        out.append("\n" + "".join(f"- {_cap(f['vb'])} {f[s.upper()]}\n" for s in "bcdef"[:steps]))
    return "".join(out)


def _quiz(f: dict[str, str], rng: random.Random) -> str:
    answer = rng.randint(1, 3)
    choices = "bcd"  # three distinct nouns of the topic; the right one is rotated in
    right = choices[answer - 1]
    g = dict(f, x=f[right], X=f[right.upper()])
    ja_choices = [f[c] for c in choices]
    en_choices = [_cap(f[c + "_"]) for c in choices]
    return (
        f'\n[[quiz]]\nid = "q1"\nkind = "choice"\nanswer = {answer}\n'
        f"[quiz.ja]\nprompt = {toml_str(_QUIZ[0].format_map(g))}\n"
        f"choices = {_toml_list(ja_choices)}\n"
        f"explanation = {toml_str(_QUIZ[2].format_map(g))}\n"
        f"[quiz.en]\nprompt = {toml_str(_QUIZ[1].format_map(g))}\n"
        f"choices = {_toml_list(en_choices)}\n"
        f"explanation = {toml_str(_cap(_QUIZ[3].format_map(g)))}\n"
    )


def _tags_toml() -> str:
    return "".join(f"[{t}]\nja = {toml_str(ja)}\nen = {toml_str(en)}\n\n" for t, ja, en in TAGS)


def _glossary_toml(rng: random.Random) -> str:
    out = []
    for ja, en in NOUNS:
        f = _fields(rng)
        x, y = [(f[k], f[k.upper()]) for k in "abc" if f[k] != ja][:2]
        ja_names = [ja] + ([ja.replace(" ", "")] if " " in ja else [])
        en_names = [en] + ([_ABBR[en]] if en in _ABBR else [])
        ctx_ja, ctx_en = rng.choice(CONTEXTS)
        define_ja = f"{ctx_ja}で、{x[0]}と{y[0]}を連携させるために使われる{ja}の構成要素。"
        define_en = f"The {en} component that links {x[1]} and {y[1]} in {ctx_en}."
        out.append(
            f"[{_slug(en)}]\nja = {_toml_list(ja_names)}\nen = {_toml_list(en_names)}\n"
            f"definition.ja = {toml_str(define_ja)}\ndefinition.en = {toml_str(define_en)}\n\n"
        )
    return "".join(out)


def generate_corpus(out_dir: Path, n: int, seed: int = 0) -> None:
    """Write ``n`` synthetic entries plus tags.toml and glossary.toml under ``out_dir``.

    Output depends only on ``n`` and ``seed``. Stale ``syn-*.md`` files from an earlier,
    larger run are removed so the directory always holds exactly this corpus.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    entries = Path(out_dir) / "entries"
    entries.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    (entries.parent / "tags.toml").write_text(_tags_toml(), encoding="utf-8", newline="\n")
    glossary = _glossary_toml(random.Random(f"glossary-{seed}"))
    (entries.parent / "glossary.toml").write_text(glossary, encoding="utf-8", newline="\n")
    wanted = set()
    for i in range(n):
        name = f"syn-{i:06d}.md"
        wanted.add(name)
        (entries / name).write_bytes(_entry(i, n, rng).encode())
    for stale in entries.glob("syn-*.md"):
        if stale.name not in wanted:
            stale.unlink()


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    k = rng.randrange(1, len(word) - 2)
    return word[:k] + word[k + 1] + word[k] + word[k + 2 :]


def _wide(text: str) -> str:
    # Full-width ASCII letters and digits, as some Japanese IMEs type them.
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


_ASCII_NOUNS = tuple(ja for ja, _ in NOUNS if re.search("[A-Za-z0-9]", ja))

# One slot per query in a repeating cycle of 20, so the mix is the same for any n.
_MIX = (
    "jakw en jaq enkw jakw jaalt en jakw enkw off jaq jakw entypo jawide enkw jakw jaalt en jaq enkw"
).split()


def generate_queries(n: int, seed: int = 0) -> list[str]:
    """``n`` search queries in a fixed mix: Japanese and English keywords and sentences,
    spacing, full-width and typo variants of the corpus vocabulary, and a few misses.
    """
    rng = random.Random(f"queries-{seed}")
    out = []
    for i in range(n):
        kind = _MIX[i % len(_MIX)]
        f = _fields(rng)
        if kind == "off":
            out.append(rng.choice(_OFF_QUERIES))
        elif kind == "jakw":
            out.append(
                rng.choice(("{a} {v}", "{a} {b}", "{a} {s}", "{a_nosp} {b} {v}")).format_map(f)
            )
        elif kind == "jaq":
            out.append(_sentence(rng.choice(_QUESTIONS), f, rng)[0])
        elif kind == "jaalt":
            out.append(rng.choice(_ALTERNATES)[0].format_map(f))
        elif kind == "jawide":
            out.append(_wide(f"{rng.choice(_ASCII_NOUNS)} {f['v']}"))
        elif kind == "enkw":
            out.append(rng.choice(("{a_} {vb}", "{a_} {b_}", "{a_} {s3}")).format_map(f).lower())
        elif kind == "en":
            out.append(_sentence(rng.choice(_QUESTIONS), f, rng)[1])
        else:  # entypo
            words = f"{f['a_']} {f['vb']} {f['b_']}".split()
            k = max(range(len(words)), key=lambda w: len(words[w]))
            words[k] = _typo(words[k], rng)
            out.append(" ".join(words).lower())
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__)
    parser.add_argument(
        "out", type=Path, help="directory to write entries/, tags.toml, glossary.toml"
    )
    parser.add_argument("n", type=int, help="number of entries")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    start = time.perf_counter()
    generate_corpus(args.out, args.n, args.seed)
    print(f"wrote {args.n} entries to {args.out / 'entries'} in {time.perf_counter() - start:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
