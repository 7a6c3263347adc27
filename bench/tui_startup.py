"""How fast the app opens and answers: launch-to-first-screen and keystroke-to-results.

    python -m bench.tui_startup                 # the real content
    python -m bench.tui_startup --corpus 10000  # a synthetic corpus of that many entries

Startup runs `python -m tui.cli.parser` in a pseudo-terminal, as a person would, with
FAQ_EXIT_AFTER_MOUNT set so the app exits by itself: ``mount`` right after the first
screen is drawn, ``ready`` once the index is open and searchable. The first screen is
timed when its text reaches the terminal; exit times include Textual's shutdown. The index cache is
warmed first, so these are warm-start times. Keystroke-to-results types a question into
the running app (headless) and times from the last key to the results being on screen,
with the real 150 ms debounce and without it (the search alone).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = {
    "real": ["CSV は必要", "ライブ マイグレーションは同時にいくつ実行できますか",
             "how long does a live migration take", "TCP chimney を無効にする", "プロセッサの互換性"],
    "synthetic": ["ライブ マイグレーション ネットワーク", "how long does a live migration take",
                  "CSV は必要", "processor compatibility", "仮想スイッチ 名前"],
}


# Drawn in the first frame (the footer's help key), in either language; the Cluster tab is not
# offered on every knowledge base.
FIRST_SCREEN_MARKERS = ("ヘルプ".encode(), b"Help")


def time_launch(data: Path, cache: Path, home: Path, stage: str, runs: int) -> list[tuple[float, float]]:
    """Per run: seconds from starting the process to its first screen, and to its exit after ``stage``."""
    env = {**os.environ, "FAQ_EXIT_AFTER_MOUNT": stage, "FAQ_CACHE_DIR": str(cache),
           "FAQ_DATA_HOME": str(home), "FAQ_DATA": str(data), "TERM": "xterm-256color",
           "COLUMNS": "100", "LINES": "30"}
    times = []
    for _ in range(runs):
        main, sub = pty.openpty()
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "tui.cli.parser"], cwd=ROOT, env=env,
                                stdin=sub, stdout=sub, stderr=sub, close_fds=True)
        os.close(sub)
        first = _drain(main, proc, start)
        times.append((first, time.perf_counter() - start))
        os.close(main)
        if proc.returncode != 0:
            raise SystemExit(f"the app exited with {proc.returncode}")
    return times


def _drain(fd: int, proc: subprocess.Popen[bytes], start: float) -> float:
    """Read the terminal output until the process ends; when the first screen appeared."""
    seen = b""
    first = float("nan")
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        if first != first:  # not seen yet (nan)
            seen += chunk
            if any(marker in seen for marker in FIRST_SCREEN_MARKERS):
                first = time.perf_counter() - start
    proc.wait(timeout=120)
    return first


async def time_keystrokes(data: Path, cache: Path, home: Path, questions: list[str],
                          debounce: float) -> list[float]:
    """Seconds from the last key of each question to its results being drawn.

    The question is typed up to its last character; the last one goes in as the
    Input's new value (what a key press does), and the clock stops when the results
    for the whole question have been put on screen and the screen refreshed.
    """
    from tui.app.app import make_app

    app = make_app(data, lang="ja", cache_dir=cache, data_home=home, cursor_blink=False,
                   debounce=debounce)
    times = []
    async with app.run_test(size=(100, 30)) as pilot:
        while app.state.engine is None:
            await pilot.pause(0.05)
        screen = app.main
        answers = screen.answers  # the Ask tab's view: it searches and shows the results
        shown_at: dict[str, float] = {}
        show = answers._show_results

        def timed_show(generation: int, results: object, lang: str) -> None:
            show(generation, results, lang)  # type: ignore[arg-type]
            query = getattr(results, "query", "")
            screen.call_after_refresh(lambda: shown_at.setdefault(query, time.perf_counter()))

        answers._show_results = timed_show  # type: ignore[method-assign]
        for question in questions:
            screen.question.value = ""
            await pilot.pause(0.05)
            await pilot.press(*["space" if ch == " " else ch for ch in question[:-1]])
            await pilot.pause(debounce + 0.1)
            shown_at.clear()
            start = time.perf_counter()
            screen.question.value = question
            while question not in shown_at:
                await asyncio.sleep(0.0005)
            times.append(shown_at[question] - start)
    return times


def report(label: str, times: list[float]) -> None:  # noqa: D103
    ms = sorted(t * 1000 for t in times)
    print(f"  {label:<44} median {statistics.median(ms):7.0f} ms   "
          f"min {ms[0]:6.0f}   max {ms[-1]:6.0f}   (n={len(ms)})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=int, default=0, help="synthetic entries (0: the real content)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the corpus and index cache in this folder and reuse them next time "
                             "(a 10,000-entry index takes minutes to build)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tui-bench-") as tmp:
        work = args.keep or Path(tmp)
        if args.corpus:
            from bench.synth import generate_corpus

            data = work / "corpus"
            if not (data / "entries").is_dir() or len(list((data / "entries").glob("*.md"))) != args.corpus:
                generate_corpus(data, args.corpus)
            kind = "synthetic"
        else:
            data = ROOT / "faq_data"
            kind = "real"
        cache, home = work / "cache", work / "home"
        print(f"content: {data if not args.corpus else f'{args.corpus} synthetic entries'}")
        start = time.perf_counter()
        time_launch(data, cache, home, "ready", 1)  # builds the index: the cold start
        print(f"  {'cold start (index built), to exit when ready':<44} {time.perf_counter() - start:7.2f} s",
              flush=True)
        mount = time_launch(data, cache, home, "mount", args.runs)
        report("warm: launch to first screen drawn", [first for first, _end in mount])
        report("warm: launch to exit after first screen", [end for _first, end in mount])
        ready = time_launch(data, cache, home, "ready", args.runs)
        report("warm: launch to index open (process exit)", [end for _first, end in ready])
        questions = QUESTIONS[kind]
        report("last key to results (150 ms debounce)",
               asyncio.run(time_keystrokes(data, cache, home, questions, 0.15)))
        report("last key to results (no debounce)",
               asyncio.run(time_keystrokes(data, cache, home, questions, 0.0)))


if __name__ == "__main__":
    main()
