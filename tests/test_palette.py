"""The command palette's names: found as Textual's matcher finds them (and by kana or width too),
scored on its scale, the best first, off the UI loop, and only for the latest key."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.fuzzy import FuzzySearch

from kb.content.load import load_kb
from tests.conftest import REAL_DATA
from tests.tui_support import run_async, wait_for_workers
from tui.app.app import make_app
from tui.app.palette_names import PaletteNames, textual_score

QUERIES = ["csv", "live migration", "chimney", "mig", "tcp", "ライブ", "仮想", "quorum", "cl", "e"]


@pytest.fixture(scope="module")
def names() -> PaletteNames:
    return PaletteNames(load_kb(REAL_DATA))


@pytest.mark.parametrize("name, positions", [
    ("TCP Chimney offload", (0, 1, 2)),
    ("TCP Chimney offload", (4, 6, 12)),
    ("live migration", (0, 1, 2, 3, 5, 6, 7)),
    ("cluster_shared volume", (0, 8, 15)),
    ("a", (0,)),
])
def test_a_placement_scores_as_textual_scores_it(name: str, positions: tuple[int, ...]) -> None:
    assert textual_score(name.lower(), positions) == pytest.approx(FuzzySearch().score(name, positions))


@pytest.mark.parametrize("query", QUERIES)
def test_every_name_textual_finds_is_found_and_scored_at_least_as_textual_scores_it(names, query) -> None:
    found = {(f.named.kind, f.named.id): f for f in names.best(query, 10**6)}
    search = FuzzySearch()
    for named in names.named:
        textual = max(search.match(query, name)[0] for name in named.names)
        if textual > 0:
            assert (named.kind, named.id) in found, (query, named.names)
            mine = found[(named.kind, named.id)]
            # The typed text found whole scores exactly as Textual's quick path does.
            if any(query.lower() in name.lower() for name in named.names if name.isascii()):
                assert mine.score >= textual - 1e-9


@pytest.mark.parametrize("query", QUERIES)
def test_the_best_come_first_and_only_as_many_as_asked(names, query) -> None:
    every = names.best(query, 10**6)
    top = names.best(query, 5)
    assert len(top) == min(5, len(every))
    scores = [f.score for f in every]
    assert scores == sorted(scores, reverse=True)
    # What is kept is the best of everything (the last kept scores no lower than the first left out).
    if len(every) > 5:
        assert top[-1].score >= every[5].score
    # The positions mark the typed letters (and the spaces between them, when found whole) in the name that matched.
    letters = "".join(query.split()).lower()
    for f in top:
        assert "".join(f.name[p].lower() for p in f.positions if not f.name[p].isspace()) == letters


def test_kana_and_width_do_not_matter(names) -> None:
    katakana = {(f.named.kind, f.named.id) for f in names.best("ライブ", 1000)}
    assert katakana and {(f.named.kind, f.named.id) for f in names.best("らいぶ", 1000)} == katakana
    assert {(f.named.kind, f.named.id) for f in names.best("ＣＳＶ", 1000)} == \
        {(f.named.kind, f.named.id) for f in names.best("csv", 1000)}


def test_a_search_no_longer_wanted_stops(names) -> None:
    asked = []

    def wanted() -> bool:
        asked.append(1)
        return False

    assert names.best("e", 1000, wanted=wanted) == [] and asked
    assert names.best("e", 1000)  # and the same search, wanted, finds plenty


@run_async
async def test_the_palette_matches_in_a_thread_and_only_for_the_latest_key(tmp_path: Path) -> None:
    from tui.app.screens.commands import KnowledgeCommands

    app = make_app(REAL_DATA, lang="en", cache_dir=tmp_path / "cache", data_home=tmp_path / "home",
                   cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        while app.state.engine is None:
            await pilot.pause(0.05)
        await wait_for_workers(app)
        provider = KnowledgeCommands(app.main)
        await provider.startup()
        threads: list[threading.Thread] = []
        stops: list[threading.Event] = []
        best = PaletteNames.best

        def recorded(self: PaletteNames, typed: str, limit: int, wanted=lambda: True):  # type: ignore[no-untyped-def]
            threads.append(threading.current_thread())
            stops.append(provider._stop)
            return best(self, typed, limit, wanted)

        PaletteNames.best = recorded  # type: ignore[method-assign]
        try:
            first = [hit async for hit in provider.search("tcp chim")]
            second = [hit async for hit in provider.search("tcp chimney")]
        finally:
            PaletteNames.best = best  # type: ignore[method-assign]
        assert threads and all(thread is not threading.main_thread() for thread in threads)
        assert stops[0].is_set() and not stops[1].is_set()  # the second key made the first search stale
        expected = load_kb(REAL_DATA).entries["tcp-chimney"].question("en")
        assert [h.text for h in first][:1] == [h.text for h in second][:1] == [expected]
