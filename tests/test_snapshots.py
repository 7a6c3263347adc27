"""Layout snapshots of the main screens, Japanese and English, at 80x24 and 120x40.

The content is written here, not read from faq_data/, so that editing an FAQ entry does
not break a layout test. Regenerate after an intended change to the app with
``pytest tests/test_snapshots.py --snapshot-update`` and look at the SVGs in
tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui_support import wait_for_workers
from tui.app.app import FaqApp, make_app

SMALL, LARGE = (80, 24), (120, 40)

ENTRY = """+++
id = "{id}"
tags = {tags}
related = {related}
applies_to = ["Windows Server 2008 R2"]
checks = {checks}

[ja]
question = "{ja_q}"
alternates = []

[en]
question = "{en_q}"
alternates = []
+++

<!-- ja -->
{ja}

<!-- en -->
{en}
"""
ENTRIES = [
    dict(id="csv-required", tags='["storage"]', related='["migration-duration", "concurrent-migrations"]',
         # It links the cluster validator, as the shipped content's entries do: the app then
         # offers the Cluster tab.
         checks='["cluster-validator"]', ja_q="ライブ マイグレーションにはクラスターの共有ボリューム (CSV) が必要ですか。",
         en_q="Do I need Cluster Shared Volumes to use live migration?",
         ja="いいえ。ライブ マイグレーションは、クラスターの共有ボリューム (CSV) がなくても実行できます。\n\n"
            "ただし CSV を使うと、クラスター化した仮想マシンの構成と管理がずっと簡単になります。CSV 上では"
            "複数の仮想マシンが同じ LUN を共有しながら、互いに影響されずに個別にフェールオーバーしたり、"
            "ノード間を移動したりできます。各ノードからは `C:\\ClusterStorage\\Volume1` のようなパスで"
            "アクセスします。",
         en="No. Live migration works without Cluster Shared Volumes (CSV).\n\n"
            "CSV does, however, make clustered virtual machines much easier to manage: several virtual "
            "machines can share one LUN and still fail over, or move between nodes, independently. "
            "Each node reaches the volumes through a path such as `C:\\ClusterStorage\\Volume1`."),
    dict(id="migration-duration", tags='["planning"]', related='["csv-required"]',
         checks='["migration-time"]', ja_q="ライブ マイグレーションにはどのくらい時間がかかりますか。",
         en_q="How long does a live migration take?",
         ja="所要時間は主に次の条件で変わります。\n\n- ノード間のネットワークの速度\n"
            "- 移行元と移行先の負荷\n- 仮想マシンのメモリの量",
         en="It depends mainly on:\n\n- the network speed between the nodes;\n"
            "- how busy the nodes are;\n- how much memory the virtual machine has."),
    dict(id="concurrent-migrations", tags='["planning"]', related='["migration-duration"]',
         checks='["max-concurrent-migrations"]',
         ja_q="複数のライブ マイグレーションを同時に実行できますか。",
         en_q="Can I run more than one live migration at a time?",
         ja="はい。各ノードが一度に参加できるライブ マイグレーションは **1 つだけ** なので、"
            "同時に実行できる数はノード数の半分です。",
         en="Yes. Each node takes part in **one** live migration at a time, so a cluster runs at "
            "most half as many as it has nodes."),
]
GLOSSARY = """[live-migration]
ja = ["ライブ マイグレーション", "ライブ移行"]
en = ["live migration"]
definition.ja = "実行中の仮想マシンを、停止させずに同じクラスター内の別のノードへ移す機能。"
definition.en = "Moving a running virtual machine to another node of the same cluster without stopping it."

[csv]
ja = ["クラスターの共有ボリューム", "CSV"]
en = ["Cluster Shared Volumes", "CSV"]
definition.ja = "クラスターのすべてのノードから同時に使える共有ディスク。"
definition.en = "Shared disks that every node of the cluster can use at once."

[node]
ja = ["ノード"]
en = ["node"]
definition.ja = "クラスターを構成する 1 台のサーバー。"
definition.en = "One server of a cluster."
"""
CLUSTER = """[cluster]
name = "hvc-lab"
uses_csv = true

[[networks]]
name = "Mgmt"
subnet = "10.0.0.0/24"
speed_gbps = 1
roles = ["management", "live-migration"]
private = false

[[nodes]]
name = "hv01"
os = "Windows Server 2008 R2"
edition = "Datacenter"
installation = "full"
architecture = "x64"
service_pack = "SP1"
updates = []
cpu_vendor = "Intel"
cpu_model = "Xeon E5-2670"
system_drive = "C:"
ip = "10.0.0.11/24"
shared_storage = true
virtual_switches = ["External"]
adapters = [{ name = "NIC1", network = "Mgmt" }]

[[nodes]]
name = "hv02"
os = "Windows Server 2008"
edition = "Standard"
installation = "full"
architecture = "x64"
service_pack = "SP1"
updates = []
cpu_vendor = "Intel"
cpu_model = "Xeon E5-2670"
system_drive = "C:"
ip = "10.0.0.12/24"
shared_storage = true
virtual_switches = ["External 1"]
adapters = [{ name = "NIC1", network = "Mgmt" }]

[[vms]]
name = "sql01"
node = "hv01"
memory_gb = 16
switches = ["External"]
processor_compatibility = false
"""
TAGS = """[storage]
ja = "記憶域"
en = "Storage"

[planning]
ja = "計画"
en = "Planning"
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("snapshot-kb")
    (root / "entries").mkdir()
    for entry in ENTRIES:
        (root / "entries" / f"{entry['id']}.md").write_text(ENTRY.format(**entry), encoding="utf-8")
    (root / "glossary.toml").write_text(GLOSSARY, encoding="utf-8")
    (root / "tags.toml").write_text(TAGS, encoding="utf-8")
    (root / "cluster.toml").write_text(CLUSTER, encoding="utf-8")
    # The app's title is the knowledge base's own name, the question box's example its own.
    (root / "kb.toml").write_text('[name]\nja = "Hyper-V ライブ マイグレーション FAQ"\nen = "Hyper-V live migration FAQ"\n'
                                  '[example]\nja = "CSV は必要?"\nen = "Do I need CSV?"\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("snapshot-index")


def test_the_snapshot_content_loads_cleanly(content: Path) -> None:
    from kb.checks import load_cluster, validate_cluster
    from kb.content.load import load_kb

    kb = load_kb(content)
    assert not kb.problems and len(kb.entries) == len(ENTRIES)
    assert validate_cluster(load_cluster(content / "cluster.toml")).summary()["errors"] > 0


@pytest.fixture
def build(content: Path, index_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(content)  # paths on screen are shown relative to the current folder

    def make(**kwargs: object) -> FaqApp:
        options: dict = {"kb_root": content, "cache_dir": index_cache, "data_home": tmp_path / "home",
                         "cursor_blink": False}
        options.update(kwargs)
        return make_app(**options)

    return make


async def settled(pilot: Pilot) -> None:
    """Everything loaded and answered, nothing left moving."""
    app = pilot.app
    assert isinstance(app, FaqApp)
    for _ in range(300):
        await pilot.pause(0.02)
        await wait_for_workers(app)
        if app.state.engine is not None and not app.main.searching:
            break
    await pilot.pause(0.1)
    await wait_for_workers(app)
    await pilot.pause()


def test_welcome_ja_large(snap_compare, build) -> None:
    assert snap_compare(build(lang="ja"), terminal_size=LARGE, run_before=settled)


def test_answers_ja_small(snap_compare, build) -> None:
    assert snap_compare(build(lang="ja", ask="CSV は必要"), terminal_size=SMALL, run_before=settled)


def test_answers_en_large(snap_compare, build) -> None:
    app = build(lang="en", ask="how many live migrations can I run at a time")
    assert snap_compare(app, terminal_size=LARGE, run_before=settled)


def test_entry_ja_small(snap_compare, build) -> None:
    assert snap_compare(build(lang="ja", show="csv-required"), terminal_size=SMALL, run_before=settled)


def test_entry_with_calculator_en_large(snap_compare, build) -> None:
    async def scrolled(pilot: Pilot) -> None:
        await settled(pilot)
        pilot.app.main.entry_view.scroll_end(animate=False)
        await pilot.pause()

    app = build(lang="en", show="migration-duration", ask="how long for a 16GB VM over 10Gbps under heavy load")
    assert snap_compare(app, terminal_size=LARGE, run_before=scrolled)


def test_calculator_ja_small_with_bad_value(snap_compare, build) -> None:
    async def bad_value(pilot: Pilot) -> None:
        await settled(pilot)
        view = pilot.app.main.entry_view
        box = view.query_one("#max-concurrent-migrations-nodes")
        box.value = "abc"
        view.scroll_to_widget(box, animate=False, top=True)
        await pilot.pause()

    assert snap_compare(build(lang="ja", show="concurrent-migrations"), terminal_size=SMALL,
                        run_before=bad_value)


def test_cluster_report_en_small(snap_compare, build) -> None:
    app = build(lang="en", cluster_file=Path("cluster.toml"))
    assert snap_compare(app, terminal_size=SMALL, run_before=settled)


def test_cluster_report_ja_large(snap_compare, build) -> None:
    app = build(lang="ja", cluster_file=Path("cluster.toml"))
    assert snap_compare(app, terminal_size=LARGE, run_before=settled)


def test_help_en_small(snap_compare, build) -> None:
    async def help_open(pilot: Pilot) -> None:
        await settled(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(build(lang="en"), terminal_size=SMALL, run_before=help_open)


def test_glossary_ja_small(snap_compare, build) -> None:
    async def glossary(pilot: Pilot) -> None:
        await settled(pilot)
        await pilot.press("escape", "4")
        await pilot.pause()

    assert snap_compare(build(lang="ja"), terminal_size=SMALL, run_before=glossary)
