"""The bar moves with the share of a question's weight in words the content never uses."""

from __future__ import annotations

import pytest

from kb import open_kb
from kb.retrieval.calibration import UNKNOWN_PIVOT, load_calibration, save_calibration
from kb.retrieval.confidence import Calibration, Scored, confidences

TOPICS = [("kettle", "descale"), ("bicycle", "chain"), ("garden", "hose"), ("printer", "toner"),
          ("window", "draught"), ("oven", "thermostat"), ("fridge", "defrost"), ("roof", "gutter"),
          ("boiler", "pressure"), ("sink", "drain"), ("lawn", "mower"), ("fence", "paint"),
          ("shower", "grout"), ("carpet", "stain")]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("unknown")
    entries = root / "kb" / "entries"
    entries.mkdir(parents=True)
    for name in ("tags.toml", "glossary.toml"):
        (root / "kb" / name).write_text("", encoding="utf-8")
    for i, (thing, part) in enumerate(TOPICS):
        other = TOPICS[(i + 1) % len(TOPICS)][0]
        (entries / f"e{i}.md").write_text(
            f'+++\nid = "e{i}"\ntags = []\napplies_to = ["Home"]\n\n[en]\n'
            f'question = "How do I fix the {part} of my {thing}?"\n+++\n\n<!-- en -->\n'
            f'Check the {part} of the {thing} first, then compare it with the {other}.\n', encoding="utf-8")
    library = open_kb(root / "kb", root / "cache", snapshot=False)
    yield library.engine
    library.close()


def _best(engine, text: str):
    question = engine.analyzer.analyze(text)
    ranked = engine.ranker.rank(question, 2)
    return question, ranked, engine.ask(text, run_checks=False).candidates[0]


def test_the_same_score_is_more_confident_with_fewer_unknown_words() -> None:
    calibration = Calibration(12.0, 0.0, -12.0 * 0.4, 30, 0.3, UNKNOWN_PIVOT)
    ranked = [Scored("a", 0.39, 1.0), Scored("b", 0.1, 0.5)]
    known = confidences(ranked, calibration, unknown_share=0.0)[0]
    pivot = confidences(ranked, calibration, unknown_share=UNKNOWN_PIVOT)[0]
    unknown = confidences(ranked, calibration, unknown_share=0.9)[0]
    assert known > 0.5 > pivot > unknown  # just under the bar: answered only when every word is known


def test_the_share_counts_the_weight_of_words_no_entry_has(engine) -> None:
    question = engine.analyzer.analyze("kettle descale zanzibar")
    assert question.unknown == {"zanzibar"}
    weight = question.features["zanzibar"]
    assert question.unknown_share == pytest.approx(weight / question.total)
    assert engine.analyzer.analyze("kettle descale").unknown_share == 0.0


def test_ask_lowers_the_bar_for_a_question_in_the_contents_words(engine) -> None:
    calibration = engine.calibration
    assert calibration.w_unknown > 0
    question, ranked, best = _best(engine, "kettle chain")
    assert question.unknown_share == 0.0
    margin = ranked[0].raw - ranked[1].raw
    assert best.confidence > calibration.probability(ranked[0].raw, margin, UNKNOWN_PIVOT)
    question, ranked, best = _best(engine, "kettle quorble zintaxic flumph")
    assert question.unknown_share > UNKNOWN_PIVOT
    margin = ranked[0].raw - ranked[1].raw
    assert best.confidence < calibration.probability(ranked[0].raw, margin, UNKNOWN_PIVOT)


def test_a_stored_calibration_keeps_how_the_bar_moves(engine) -> None:
    save_calibration(engine.ix.storage, engine.calibration)
    assert load_calibration(engine.ix.storage) == engine.calibration
