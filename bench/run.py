"""Benchmarks: `faq ask` whole-process time and per-query ask/search latency, real and generated.

Run with `make bench` (or `python -m bench.run [--sizes 13,10000]`). Prints a table; the
figures go into BENCHMARKS.md and the closing notes. Nothing here is asserted by tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kb.load import load_kb
from kb.search import open_engine

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


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def time_queries(fn, queries: list[str], rounds: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds over ``rounds`` passes of the query set (after a warm-up)."""
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
    cmd = [sys.executable, "-m", "tui.cli", "ask", "--json", "CSV は必須ですか"]
    subprocess.run(cmd, env=env, capture_output=True, cwd=ROOT)  # warm the cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_corpus(label: str, data: Path, queries: list[str], rounds: int) -> dict[str, float]:
    cache = Path(tempfile.mkdtemp(prefix="faq-bench-cache-"))
    start = time.perf_counter()
    kb = load_kb(data)
    load_s = time.perf_counter() - start
    engine, info = open_engine(kb, cache)
    ask = time_queries(lambda q: engine.ask(q), queries, rounds)
    search = time_queries(lambda q: engine.search(q), queries, rounds)
    proc = whole_process(data, cache)
    size = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file())
    row = {"entries": len(kb.entries), "load_s": load_s, "build_s": info.seconds, "index_mb": size / 1e6,
           "ask_p50": ask[0], "ask_p95": ask[1], "search_p50": search[0], "search_p95": search[1],
           "process_s": proc}
    print(f"{label:>10} {row['entries']:>7} {load_s:7.2f} {info.seconds:8.2f} {row['index_mb']:8.1f} "
          f"{ask[0]:8.2f} {ask[1]:8.2f} {search[0]:8.2f} {search[1]:8.2f} {proc:8.3f}", flush=True)
    engine.close()
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000", help="generated corpus sizes, comma-separated ('' for none)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"{'corpus':>10} {'entries':>7} {'load s':>7} {'build s':>8} {'index MB':>8} "
          f"{'ask p50':>8} {'ask p95':>8} {'srch p50':>8} {'srch p95':>8} {'faq ask s':>8}  (ms unless s)")
    bench_corpus("real", ROOT / "faq_data", REAL_QUERIES, args.rounds)
    from bench.synth import generate_corpus, generate_queries

    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        out = Path(tempfile.mkdtemp(prefix=f"faq-synth-{size}-"))
        generate_corpus(out, size, seed=1)
        queries = generate_queries(50, seed=2)
        bench_corpus(f"synth-{size}", out, queries, max(1, args.rounds // 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
