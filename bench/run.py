"""Benchmarks: build, size, memory, ask/search latency and whole-process `faq ask`, with FTS5 beside.

`make bench` (or `python -m bench.run [--sizes 1000,10000,100000]`) measures the real content
and generated corpora (bench/synth.py), each in its own process so peak memory is its own,
and prints one table. Figures go into BENCHMARKS.md; tests never assert timings.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REAL_QUERIES = [
    "ライブ マイグレーションとは何ですか", "ライブマイグレーションの要件", "NIC は何枚必要?",
    "CSV は必須ですか", "4 ノードのクラスターでは同時にいくつのライブ マイグレーションを実行できますか",
    "16GB の VM を 1Gbps で移行すると何秒", "Intel と AMD の間でライブ マイグレーションできる?",
    "TCP Chimney はサポートされますか", "移行中にバックアップできますか", "仮想スイッチの名前は同じにする必要がある?",
    "How do I start a live migration?", "How long does a live migration take?",
    "Can I run several live migrations at once?", "Do all nodes need the same drive letter with CSV?",
    "When should I refresh the VM configuration?", "Macintosh の値段", "What is Dllhost.exe?",
    "PowerShell スプラッティング", "how to install windows server 2019", "天気",
]
COLUMNS = [("corpus", 12, "s"), ("entries", 7, "d"), ("build_s", 8, ".2f"), ("peak_mb", 8, ".0f"),
           ("index_mb", 8, ".1f"), ("ask_p50", 8, ".2f"), ("ask_p95", 8, ".2f"), ("search_p50", 10, ".2f"),
           ("search_p95", 10, ".2f"), ("process_s", 9, ".3f"), ("fts_build_s", 11, ".2f"),
           ("fts_mb", 7, ".1f"), ("fts_p50", 8, ".2f"), ("fts_p95", 8, ".2f"), ("ratio_p95", 9, ".2f"),
           ("fts_proc_s", 10, ".3f"), ("ratio_proc", 10, ".1f"),
           ("edit1_s", 8, ".3f"), ("add10_s", 8, ".3f"), ("same", 5, "s")]
# Above this many entries the full rebuild the answers are compared with is left out (it would
# be a second 100,000-entry build); tests/test_incremental.py compares them on smaller ones.
SAME_UP_TO = 20000
EDIT_QUESTIONS = ["virtual machine storage", "クラスター ノードのストレージ", "edited for the benchmark"]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))]


def time_queries(fn: Callable[[str], object], queries: list[str], rounds: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds over ``rounds`` passes of the query set, after a warm-up pass."""
    for q in queries:
        fn(q)
    samples = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            fn(q)
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 95)


def whole_process(data: Path, cache: Path, runs: int = 5) -> float:
    """Median wall time of `faq ask --json` in a fresh process with a warm cache, in seconds."""
    env = {**os.environ, "FAQ_CACHE_DIR": str(cache), "FAQ_DATA": str(data)}
    cmd = [sys.executable, "-m", "tui.cli.parser", "ask", "--json", "CSV は必須ですか"]
    # Bytecode as an installed package has it (pip compiles at install): with
    # PYTHONDONTWRITEBYTECODE set, a checkout's edited modules would compile in every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "kb", "tui"], capture_output=True, cwd=ROOT,
                   check=False)
    subprocess.run(cmd, env=env, capture_output=True, cwd=ROOT, check=False)  # warm: index, compile cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, cwd=ROOT, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fts_whole_process(table: Path, runs: int = 5) -> float:
    """The same for the FTS5 peer: `bench/fts5_ask.py` answering the same question, median seconds."""
    cmd = [sys.executable, str(ROOT / "bench" / "fts5_ask.py"), str(table), "CSV は必須ですか"]
    subprocess.run(cmd, capture_output=True, check=True)  # warm: the table in the page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _ask(data: Path, cache: Path, question: str) -> tuple[float, str]:
    env = {**os.environ, "FAQ_CACHE_DIR": str(cache), "FAQ_DATA": str(data)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tui.cli.parser", "ask", "--json", question], env=env,
                          capture_output=True, text=True, cwd=ROOT, check=False)
    return time.perf_counter() - start, proc.stdout


def edit_then_ask(data: Path, cache: Path) -> dict[str, float | str]:
    """One entry edited, then the next whole-process `faq ask --json`; ten entries added, the
    same; then whether the answers (ids, scores, confidences) equal a full rebuild's."""
    files = sorted((data / "entries").glob("*.md"))
    edited = files[len(files) // 2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("<!-- en -->\n", "<!-- en -->\nEdited for the benchmark.\n", 1), encoding="utf-8")
    edit_s, _ = _ask(data, cache, EDIT_QUESTIONS[0])
    for n in range(10):
        source = files[n * 7 % len(files)]
        (data / "entries" / f"bench-added-{n}.md").write_text(
            source.read_text(encoding="utf-8").replace(f'id = "{source.stem}"', f'id = "bench-added-{n}"'),
            encoding="utf-8")
    add_s, _ = _ask(data, cache, EDIT_QUESTIONS[0])
    if len(files) > SAME_UP_TO:
        return {"edit1_s": edit_s, "add10_s": add_s, "same": "-"}
    incremental = [_ask(data, cache, q)[1] for q in EDIT_QUESTIONS]
    fresh_cache = Path(tempfile.mkdtemp(prefix="faq-bench-fresh-"))
    try:
        rebuilt = [_ask(data, fresh_cache, q)[1] for q in EDIT_QUESTIONS]
    finally:
        shutil.rmtree(fresh_cache, ignore_errors=True)
    same = all(a == b and a.strip() for a, b in zip(incremental, rebuilt, strict=True))
    return {"edit1_s": edit_s, "add10_s": add_s, "same": "yes" if same else "no"}


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def measure(label: str, data: Path, queries: list[str], rounds: int) -> dict[str, float | str]:
    """Every figure for one content folder (run in a process of its own)."""
    from bench.fts5 import build_fts, search_fts
    from kb import open_kb

    cache = Path(tempfile.mkdtemp(prefix="faq-bench-cache-"))
    try:
        library = open_kb(data, cache, snapshot=False)
        kb, engine = library.content, library.engine
        info = library.index_info
        assert info is not None
        ask = time_queries(lambda q: engine.ask(q), queries, rounds)
        search = time_queries(lambda q: engine.search(q), queries, rounds)
        # Our peak: loading, building and answering; taken before FTS5 holds every entry's
        # text once more in this same process. (The build's worker processes are children of
        # multiprocessing's fork server, not of this process: sampled apart, ~160 MB each.)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        index_mb = folder_mb(cache)
        db, fts_build = build_fts(kb, cache / "fts.sqlite3")
        fts = time_queries(lambda q: search_fts(db, q), queries, rounds)
        engine.close()
        process_s = whole_process(data, cache)
        db.close()
        fts_process_s = fts_whole_process(cache / "fts.sqlite3")
        # A generated corpus is ours to edit (a temporary copy); the real content is not.
        edits: dict[str, float | str] = edit_then_ask(data, cache) if label != "real" else {"edit1_s": 0.0, "add10_s": 0.0, "same": "-"}
        return {**edits, "corpus": label, "entries": len(kb.entries), "build_s": info.seconds, "peak_mb": peak,
                "index_mb": index_mb,
                "ask_p50": ask[0], "ask_p95": ask[1], "search_p50": search[0], "search_p95": search[1],
                "process_s": process_s, "fts_build_s": fts_build,
                "fts_mb": (cache / "fts.sqlite3").stat().st_size / 1e6, "fts_p50": fts[0], "fts_p95": fts[1],
                "ratio_p95": search[1] / fts[1] if fts[1] else 0.0,
                "fts_proc_s": fts_process_s, "ratio_proc": process_s / fts_process_s if fts_process_s else 0.0}
    finally:
        shutil.rmtree(cache, ignore_errors=True)  # up to a gigabyte at 100,000 entries


def print_row(row: dict[str, float | str]) -> None:
    print(" ".join(format(row[name], f">{width}{spec}") for name, width, spec in COLUMNS), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="generated corpus sizes, comma-separated")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--one", nargs=2, metavar=("LABEL", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        label, folder = args.one
        real = label == "real"
        if real:
            queries = REAL_QUERIES
        else:
            from bench.synth import generate_queries

            queries = generate_queries(50, seed=2)
        print(json.dumps(measure(label, Path(folder), queries, args.rounds if real else max(1, args.rounds // 2))))
        return 0
    print(" ".join(format(name, f">{width}") for name, width, _ in COLUMNS) + "   (ms unless _s / _mb)")
    corpora = [("real", ROOT / "faq_data")]
    from bench.synth import generate_corpus

    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        out = Path(tempfile.mkdtemp(prefix=f"faq-synth-{size}-"))
        generate_corpus(out, size, seed=1)
        corpora.append((f"synth-{size}", out))
    try:
        for label, folder in corpora:
            proc = subprocess.run([sys.executable, "-m", "bench.run", "--rounds", str(args.rounds), "--one", label,
                                   str(folder)], capture_output=True, text=True, cwd=ROOT, check=False)
            if proc.returncode != 0:
                print(f"{label}: failed\n{proc.stderr}", file=sys.stderr)
                continue
            print_row(json.loads(proc.stdout.strip().splitlines()[-1]))
    finally:
        for _label, folder in corpora[1:]:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
