"""Start-up that does not grow with the knowledge base: a process answering one question reads
only what it shows, and derived structures come from the cache, equal to fresh ones."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kb import open_kb
from kb.content.load import load_kb
from kb.content.snapshot import load_kb_cached
from kb.content.stored import StoredEntries
from kb.retrieval.scope import Scope
from tests.conftest import REAL_DATA, ROOT

QUESTIONS = ["ライブ マイグレーションの要件", "CSV は必須ですか", "How long does a live migration take?",
             "WS2012R2 でライブマイグレーション", "vMotion との違い", "16GB の VM を 1Gbps で移行すると何秒"]


def _warm(data: Path, cache: Path) -> None:
    """Write the store and build the index, as a first run does."""
    library = open_kb(data, cache)
    assert library.engine is not None
    library.close()


def _store(cache: Path) -> Path:
    [path] = cache.glob("kb-*.sqlite3")
    return path


def test_asking_decodes_only_the_entries_it_shows(data_copy, tmp_path):
    cache = tmp_path / "cache"
    _warm(data_copy, cache)
    library = open_kb(data_copy, cache)
    entries = library.content.entries
    assert isinstance(entries, StoredEntries) and len(entries) == len(load_kb(data_copy).entries)
    result = library.ask("CSV は必須ですか", top=3)
    assert result.answers
    assert 0 < entries.decoded <= 3 < len(entries)
    library.close()


def test_a_damaged_entry_that_is_not_a_hit_does_not_matter(data_copy, tmp_path):
    cache = tmp_path / "cache"
    fresh = open_kb(data_copy, cache)
    expected = fresh.ask("CSV は必須ですか", top=3)
    shown = {a.id for a in expected.candidates}
    victim = next(i for i in fresh.content.entries if i not in shown)
    fresh.close()
    with sqlite3.connect(_store(cache)) as db:
        db.execute("UPDATE entries SET json = '{not json' WHERE id = ?", (victim,))
    library = open_kb(data_copy, cache)
    got = library.ask("CSV は必須ですか", top=3)
    assert [(a.id, a.confidence) for a in got.candidates] == [(a.id, a.confidence) for a in expected.candidates]
    # Looked up, the damaged row is not trusted: the entry comes from its file, as do the rest.
    assert library.entry(victim) == load_kb(data_copy).entries[victim]
    assert dict(library.content.entries.items()) == load_kb(data_copy).entries
    library.close()


def test_the_store_keeps_what_the_files_say(data_copy, tmp_path):
    parsed = load_kb(data_copy)
    load_kb_cached(data_copy, tmp_path)
    stored = load_kb_cached(data_copy, tmp_path)
    assert isinstance(stored.entries, StoredEntries)
    # kb.toml's products, scope and abbreviations were once lost by every start after the first.
    assert stored.profile == parsed.profile and stored.profile.products
    assert stored.glossary == parsed.glossary and stored.tags == parsed.tags and stored.digest == parsed.digest
    assert stored.languages == parsed.languages and stored.applies_values() == parsed.applies_values()
    assert list(stored.entries) == list(parsed.entries)
    assert all(stored.applies_to(i) == e.applies_to for i, e in parsed.entries.items())
    assert stored.entries == parsed.entries


def test_an_edited_entry_is_answered_from_its_new_text(data_copy, tmp_path):
    cache = tmp_path / "cache"
    _warm(data_copy, cache)
    path = data_copy / "entries" / "csv-required.md"
    path.write_text(path.read_text(encoding="utf-8").replace("question = \"", "question = \"ペンギン温度計の", 1),
                    encoding="utf-8")
    library = open_kb(data_copy, cache)
    assert library.entry("csv-required").question("ja").startswith("ペンギン温度計の")
    result = library.ask("ペンギン温度計", top=3)
    assert result.candidates and result.candidates[0].id == "csv-required"
    library.close()


def test_scope_from_the_store_judges_as_from_the_files(data_copy, tmp_path):
    parsed = load_kb(data_copy)
    load_kb_cached(data_copy, tmp_path)
    stored = load_kb_cached(data_copy, tmp_path)
    fresh, lazy = Scope(parsed), Scope(stored)
    for question in ["ws2012r2 でライブマイグレーション", "windows server 2008 r2", "2012 r2 の要件", "vmotion"]:
        mentions = fresh.mentions(question)
        assert lazy.mentions(question) == mentions and lazy.outside(question) == fresh.outside(question)
        for entry_id in parsed.entries:
            assert lazy.accepts(entry_id, mentions) == fresh.accepts(entry_id, mentions)
    assert isinstance(stored.entries, StoredEntries) and stored.entries.decoded == 0


def test_ask_json_loads_nothing_it_does_not_use(tmp_path):
    probe = ("import sys, json\n"
             "from tui.cli import main\n"
             "code = main(['ask', '--json', 'CSV は必須ですか'])\n"
             "names = ['markdown_it', 'textual', 'rich', 'urllib.request', 'asyncio', 'importlib.metadata',\n"
             "         'whoosh.lang.morph_en', 'http.client', 'whoosh.qparser', 'multiprocessing', 'uuid',\n"
             "         'kb.checks.spec', 'kb.checks.migration', 'subprocess', 'ctypes', 'html', 'queue', 'difflib',\n"
             "         'platformdirs']\n"
             "loaded = [n for n in names if n in sys.modules]\n"
             "import urllib.request, asyncio, html, whoosh.compat\n"  # what was left out still works afterwards
             "real = hasattr(urllib.request, 'urlopen') and hasattr(asyncio, 'run') and html.escape('<') == '&lt;' \\\n"
             "    and whoosh.compat.queue.Queue().empty() and whoosh.compat.htmlescape('&') == '&amp;'\n"
             "print(json.dumps({'code': code, 'loaded': loaded, 'real': real}), file=sys.stderr)\n")
    env = {**os.environ, "FAQ_CACHE_DIR": str(tmp_path / "cache"), "FAQ_DATA": str(REAL_DATA)}
    for _ in range(2):  # the first run builds the index; the second is the warm start measured
        proc = subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=300, check=False)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "loaded": [], "real": True}
    answer = json.loads(proc.stdout)
    assert answer["answers"][0]["id"] == "csv-required"


def test_with_a_second_thread_whoosh_imports_whole_and_html_stays_a_package():
    # The app imports Whoosh in a worker while its screen may import markdown_it, which
    # imports html.entities: a stand-in for html (no package) would break that import.
    probe = ("import sys, threading, json\n"
             "stop = threading.Event()\n"
             "other = threading.Thread(target=stop.wait); other.start()\n"
             "from kb.index.whoosh_import import import_whoosh_lightly, _StandIn\n"
             "seen = []\n"
             "class Watch:  # asked about every import while Whoosh imports: what would another thread meet?\n"
             "    def find_spec(self, name, path=None, target=None):\n"
             "        seen.extend(n for n, m in list(sys.modules.items()) if isinstance(m, _StandIn))\n"
             "        return None\n"
             "sys.meta_path.insert(0, Watch())\n"
             "import_whoosh_lightly()\n"
             "import html.entities, queue\n"
             "stop.set(); other.join()\n"
             "print(json.dumps({'html': hasattr(html, '__path__') and 'amp' in html.entities.name2codepoint,\n"
             "                  'queue': type(queue).__name__ == 'module' and hasattr(queue, 'Empty'),\n"
             "                  'stand_ins': sorted(set(seen))}))\n")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert json.loads(proc.stdout) == {"html": True, "queue": True, "stand_ins": []}, proc.stderr


@pytest.fixture(scope="module")
def synth_engine(tmp_path_factory):
    """A generated knowledge base big enough for words too common to search by."""
    from bench.synth import generate_corpus

    folder = tmp_path_factory.mktemp("synth")
    generate_corpus(folder, 800, seed=3)
    library = open_kb(folder, tmp_path_factory.mktemp("synth-cache"))
    yield library.engine
    library.close()


def test_the_walk_that_stops_early_ranks_as_scoring_every_candidate(engine, synth_engine):
    # The bound that lets a cold process skip most weak candidates must never skip one that
    # belongs in the top: compare with every candidate scored, on the real content and on a
    # generated one whose common words are left out of the query.
    from bench.synth import generate_queries

    questions = [json.loads(line)["q"] for line in (ROOT / "tests" / "data" / "eval.jsonl").open(encoding="utf-8")]
    questions += [*QUESTIONS, "必須", "CSV", "ノード 必須 要件 ペンギン"]
    _compare_walk(engine, questions)
    # A half-typed last word whose completions are partly too common to search by.
    prefixes = ("netw", "clus", "stor", "serv", "virt", "fail", "mig", "ノー", "クラ", "仮想")
    _compare_walk(synth_engine, [f"{q} {p}" for q in generate_queries(25, seed=5) for p in prefixes])


def _compare_walk(engine, questions):
    ranker = engine.ranker
    compared = 0
    for text, partial in [(q, p) for q in questions for p in (False, True)]:
        question = engine.analyzer.analyze(text, partial=partial)
        if question.query is None or question.total <= 0:
            continue
        hits = engine.searcher.search(question.query, limit=None)
        if not len(hits):
            continue
        best = hits.top_n[0][0] or 1.0
        every = sorted(((ranker.raw(question, ranker._fields(d), float(s) / best), float(s)) for s, d in hits.top_n),
                       key=lambda x: (-x[0], -x[1]))
        walked = ranker.rank(question, 3)
        assert [(s.raw, s.score) for s in walked] == every[:3], (text, partial)
        compared += 1
    assert compared > len(questions)
