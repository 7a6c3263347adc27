"""Inputs that used to take quadratic time: asserted by behaviour (operation counts, bounds),
with a generous timeout only as a hang guard, never by timing."""

from __future__ import annotations

import threading

from kb.content.load import load_kb
from tests.cluster_files import HEAD, NET, node_toml, vm_toml


def _within(seconds: float, work, *args):
    """Run ``work``; fail (instead of hanging the suite) if it has not finished in ``seconds``."""
    box: list = []
    thread = threading.Thread(target=lambda: box.append(work(*args)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{work.__name__} still running after {seconds} s (quadratic?)"
    return box[0]


def test_quantities_in_a_digit_run_of_a_million_is_one_pass():
    from kb.checks.registry import quantity_table

    quantities = quantity_table().kinds  # the built-in checks' quantity patterns

    # Quadratic, this is 10**12 steps: hours, not the guard's 60 s.
    assert _within(60, quantities, "1" * 1_000_000 + "gb") == []
    assert _within(60, quantities, "十" * 1_000_000) == []
    assert quantities("16gb と 1gbps で 40 秒") == ["qty-memory", "qty-speed", "qty-time"]
    assert quantities("1.5 gb") == ["qty-memory"] and quantities("十六ギガバイト") == ["qty-memory"]


def test_a_20000_digit_run_in_an_entry_builds(small_kb, tmp_path):
    from kb.index.store import open_index

    path = small_kb / "entries" / "alpha.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "7" * 20_000 + "\n", encoding="utf-8")
    kb = load_kb(small_kb, known_checks=set())
    _ix, info = _within(120, open_index, kb, tmp_path / "cache")
    assert info.documents == 2


def test_20000_unknown_tags_read_the_entry_once_for_line_numbers(small_kb, monkeypatch):
    import kb.content.load as load_module

    path = small_kb / "entries" / "alpha.md"
    tags = ", ".join(f'"t{n}"' for n in range(20_000))
    path.write_text(path.read_text(encoding="utf-8").replace("tags = [", f"tags = [{tags}, ", 1), encoding="utf-8")
    scans = []
    real = load_module.quoted_lines
    monkeypatch.setattr(load_module, "quoted_lines", lambda text: scans.append(1) or real(text))
    kb = _within(120, load_kb, small_kb, set())
    unknown = [p for p in kb.problems if p.field == "tags" and p.path == str(path)]
    assert len(unknown) == 20_000 and "alpha" not in kb.entries
    assert {p.line for p in unknown} == {unknown[0].line} and unknown[0].line > 1
    assert len(scans) == 1  # one scan of the file, not one per tag


def test_unknown_related_ids_read_the_file_once(small_kb, monkeypatch):
    import kb.content.load as load_module

    path = small_kb / "entries" / "alpha.md"
    related = ", ".join(f'"nope-{n}"' for n in range(2_000))
    text = path.read_text(encoding="utf-8")
    assert "related = [" in text
    path.write_text(text.replace("related = [", f"related = [{related}, ", 1), encoding="utf-8")
    reads = []
    real = load_module._read
    monkeypatch.setattr(load_module, "_read", lambda p, *a: reads.append(p) or real(p, *a))
    kb = load_kb(small_kb, known_checks=set())
    assert sum(1 for p in kb.problems if p.field == "related" and p.path == str(path)) == 2_000
    assert reads.count(path) == 2  # once to load, once for all the line numbers


def test_a_cluster_of_10000_nodes_and_vms_builds_the_node_set_once(monkeypatch):
    from kb.checks import cluster_file

    seen = set()
    real_vm = cluster_file._Reader.vm

    def spy(self, table, index, nodes):
        seen.add(id(nodes))
        return real_vm(self, table, index, nodes)

    monkeypatch.setattr(cluster_file._Reader, "vm", spy)
    nodes = "".join(node_toml(name=f'"hv{n:05}"', ip=f'"10.{n // 250}.{n % 250}.1/8"') for n in range(10_000))
    vms = "".join(vm_toml(name=f'"vm{n:05}"', node=f'"hv{n:05}"') for n in range(10_000))
    cluster = _within(120, cluster_file.parse_cluster, HEAD + NET + nodes + vms)
    assert len(cluster.nodes) == len(cluster.vms) == 10_000
    assert len(seen) == 1


def test_a_glossary_of_10000_terms_finds_header_lines_in_one_pass(small_kb, monkeypatch):

    path = small_kb / "glossary.toml"
    extra = "".join(f'\n[t{n}]\nja = ["語{n}"]\nen = ["word{n}"]\ndefinition.ja = "x"\ndefinition.en = "x"\n'
                    for n in range(10_000))
    path.write_text(path.read_text(encoding="utf-8") + extra + '\n[broken]\nja = "x"\n', encoding="utf-8")
    scans = []
    import kb.content.vocabulary as vocabulary

    real = vocabulary.table_lines
    monkeypatch.setattr(vocabulary, "table_lines", lambda text: scans.append(1) or real(text))
    kb = _within(120, load_kb, small_kb, set())
    assert len([t for t in kb.glossary if t.startswith("t")]) == 10_000
    [bad] = [p for p in kb.problems if p.field == "broken"]
    assert bad.line == len(path.read_text(encoding="utf-8").split("\n")) - 2
    assert len(scans) == 2  # tags.toml once, glossary.toml once
