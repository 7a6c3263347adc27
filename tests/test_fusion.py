"""kb.retrieval.fusion: tied candidates pre-ordered by how often the question's runs occur."""

from __future__ import annotations

import pytest

from kb.retrieval.confidence import Scored
from kb.retrieval.fusion import TIE_WINDOW, order_ties, question_runs, run_scores

BODIES = {
    "sync": "keep the working tree in sync with the remote. files you changed stay.",
    "stash": "git stash saves your work. git stash -u also stashes untracked files; git stash pop restores.",
    "far": "stash stash stash untracked files untracked files",
}


@pytest.mark.parametrize(("text", "runs"), [
    ("stash untracked files", ["stash", "untracked", "files"]),
    ("Git STASH? git stash", ["git", "stash"]),  # case-folded, each once
    ("ログを見たい", []),  # hiragana splits: no run of three characters
    ("添付ファイルのサイズ", ["添付ファイル", "サイズ"]),
])
def test_question_runs(text: str, runs: list[str]) -> None:
    assert question_runs(text) == runs


def test_the_body_that_repeats_the_runs_scores_higher() -> None:
    scores = run_scores(["stash", "untracked"], {k: BODIES[k] for k in ("sync", "stash")})
    assert scores["stash"] > scores["sync"] == 0.0


def test_a_tie_goes_to_the_entry_written_like_the_question() -> None:
    ranked = [Scored("sync", 0.80, 1.0), Scored("stash", 0.80 - TIE_WINDOW / 2, 1.0),
              Scored("far", 0.80 - 2 * TIE_WINDOW, 1.0)]
    ordered = order_ties(ranked, "stash untracked files", BODIES.get)
    # Within the window the substring order decides; below it nothing moves, scores unchanged.
    assert [s.id for s in ordered] == ["stash", "sync", "far"]
    assert {s.id: s.raw for s in ordered} == {s.id: s.raw for s in ranked}


def test_equal_substring_scores_keep_the_order() -> None:
    ranked = [Scored("sync", 0.8, 1.0), Scored("stash", 0.8, 1.0)]
    assert order_ties(ranked, "nothing here matches", BODIES.get) == ranked
    assert order_ties(ranked, "ab", BODIES.get) == ranked  # no run to count
