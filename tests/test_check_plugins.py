"""A check is one module: a toy check registered at run time shows up everywhere checks do.

``tests/toy_check.py`` declares ``toy-double``; nothing else in the project names it. Each
test registers it for its own duration (and the registry forgets it after), on a small
knowledge base with no Hyper-V entries whose one entry links it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.checks.registry import calculators, known_ids, registered
from kb.content.load import load_kb
from kb.training.items import collect_items
from tests import toy_check
from tests.test_tui import plain, settle
from tests.tui_support import run_async
from tui.app.app import make_app
from tui.app.widgets.check_panel import CheckPanel
from tui.cli.parser import main

QUIZ = '''
[[quiz]]
id = "one"
kind = "truefalse"
answer = true
[quiz.ja]
prompt = "{id} の項目は内容を説明している。"
explanation = "正しい。"
[quiz.en]
prompt = "The {id} entry explains its topic."
explanation = "True."

[[quiz]]
id = "two"
kind = "numeric"
answer = 4
[quiz.ja]
prompt = "2 + 2 はいくつですか。"
explanation = "4 です。"
[quiz.en]
prompt = "What is 2 + 2?"
explanation = "Four."
'''


def write_entry(root: Path, entry_id: str, question_en: str, question_ja: str, checks: list[str]) -> None:
    front = (f'id = "{entry_id}"\ntags = ["parts"]\nrelated = []\napplies_to = ["Widget Works 1.0"]\n'
             f"checks = {json.dumps(checks)}\n\n[ja]\nquestion = \"{question_ja}\"\nalternates = []\n\n"
             f"[en]\nquestion = \"{question_en}\"\nalternates = []\n{QUIZ.format(id=entry_id)}")
    body = f"<!-- ja -->\n{question_ja} の答えです。\n\n<!-- en -->\nThe answer to: {question_en}\n"
    (root / "entries" / f"{entry_id}.md").write_text(f"+++\n{front}+++\n\n{body}", encoding="utf-8")


def write_kb(root: Path, toy_entry: bool = True) -> Path:
    """A knowledge base about widgets: no Hyper-V entry, one entry linking toy-double if asked."""
    (root / "entries").mkdir(parents=True)
    (root / "tags.toml").write_text('[parts]\nja = "部品"\nen = "Parts"\n', encoding="utf-8")
    (root / "glossary.toml").write_text(
        '[widget]\nja = ["ウィジェット"]\nen = ["widget", "widgets"]\n'
        'definition.ja = "部品の一種。"\ndefinition.en = "A kind of part."\n', encoding="utf-8")
    write_entry(root, "gadgets", "What is a gadget made of?", "ガジェットは何でできていますか。", [])
    if toy_entry:
        write_entry(root, "toy-widgets", "How many widgets is double my widgets?",
                    "ウィジェットを 2 倍にすると何個ですか。", [toy_check.ID])
    return root


@pytest.fixture
def toy() -> Iterator[None]:
    with registered(toy_check.CHECK):
        yield
    assert toy_check.ID not in known_ids()  # gone again: nothing outside the test keeps it


@pytest.fixture
def widgets_kb(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "widgets")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # --help
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# -- faq calc ----------------------------------------------------------------------------------


def test_faq_calc_lists_the_toy_check_and_its_option(capsys, toy) -> None:
    code, out, _ = run(capsys, "calc", "--help", "--lang", "en")
    assert code == 0 and "toy-double" in out and "twice a number of widgets" in out
    code, out, _ = run(capsys, "calc", "toy-double", "--help", "--lang", "en")
    assert code == 0 and "--widgets" in out and "how many widgets (0-1000)" in out
    code, out, _ = run(capsys, "calc", "toy-double", "--help", "--lang", "ja")
    assert code == 0 and "ウィジェットの数 (0 から 1000)" in out


def test_faq_calc_runs_the_toy_check(capsys, toy, widgets_kb) -> None:
    code, out, _ = run(capsys, "calc", "toy-double", "--widgets", "２１", "--json")
    data = json.loads(out)
    assert code == 0 and (data["check"], data["entry"], data["value"]) == ("toy-double", "toy-widgets", 42)
    code, out, _ = run(capsys, "--data", str(widgets_kb), "calc", "toy-double", "--widgets", "21", "--lang", "en")
    assert "Doubled: 42 widgets" in out and "→ faq show toy-widgets" in out
    code, out, _ = run(capsys, "calc", "toy-double", "--widgets", "21", "--lang", "en")
    assert "Doubled: 42 widgets" in out and "faq show" not in out  # the shipped FAQ has no toy-widgets
    code, out, err = run(capsys, "calc", "toy-double", "--widgets", "lots")
    assert code == 2 and out == "" and "--widgets" in err
    code, out, _ = run(capsys, "calc", "toy-double", "--widgets", "2000", "--json")
    assert code == 1 and json.loads(out)["ok"] is False


def test_without_registration_there_is_no_toy_calculator(capsys) -> None:
    assert toy_check.ID not in {c.id for c in calculators()}
    code, out, _ = run(capsys, "calc", "--help", "--lang", "en")
    assert code == 0 and "toy-double" not in out


# -- faq ask -------------------------------------------------------------------------------------


def test_faq_ask_runs_the_toy_check_on_the_questions_number(capsys, toy, widgets_kb) -> None:
    code, out, _ = run(capsys, "ask", "--json", "--lang", "en", "--data", str(widgets_kb),
                       "How many widgets is double my 21 widgets?")
    data = json.loads(out)
    assert code == 0 and data["answers"][0]["id"] == "toy-widgets"
    [check] = data["checks"]
    assert (check["check"], check["inputs"], check["value"], check["ok"]) == ("toy-double", {"widgets": 21}, 42, True)
    # No number of widgets in the question: the check does not run, the answer stands.
    code, out, _ = run(capsys, "ask", "--json", "--lang", "en", "--data", str(widgets_kb),
                       "How many widgets is double my widgets?")
    data = json.loads(out)
    assert data["answers"][0]["id"] == "toy-widgets" and data["checks"] == []


# -- lint ----------------------------------------------------------------------------------------


def test_lint_knows_the_toy_id_and_still_reports_unknown_ones(capsys, toy, widgets_kb) -> None:
    code, out, err = run(capsys, "lint", "--lang", "en", "--data", str(widgets_kb))
    assert (code, err) == (0, "") and "No problems: 2 entries" in out
    write_entry(widgets_kb, "triples", "What is triple?", "3 倍とは。", ["toy-triple"])
    code, _, err = run(capsys, "lint", "--lang", "en", "--data", str(widgets_kb))
    assert code == 1 and "unknown check id 'toy-triple'" in err and "toy-double" not in err.split("known:")[0]


def test_an_entry_linking_an_unregistered_check_is_reported(capsys, widgets_kb) -> None:
    code, _, err = run(capsys, "lint", "--lang", "en", "--data", str(widgets_kb))
    assert code == 1 and "unknown check id 'toy-double'" in err


def test_lint_is_clean_on_a_knowledge_base_without_hyper_v_entries(capsys, tmp_path) -> None:
    # Generated quiz items follow the checks an entry links: none here, so none to report.
    plain_kb = write_kb(tmp_path / "plain", toy_entry=False)
    code, out, err = run(capsys, "lint", "--lang", "en", "--data", str(plain_kb))
    assert (code, err) == (0, "") and "No problems: 1 entries" in out
    code, out, _ = run(capsys, "lint", "--json", "--data", str(plain_kb))
    assert code == 0 and json.loads(out)["problems"] == []


# -- training ------------------------------------------------------------------------------------


def test_training_poses_the_toy_drill_under_the_entry_that_links_it(toy, widgets_kb) -> None:
    items = collect_items(load_kb(widgets_kb).entries, random.Random(3))
    generated = [i for i in items if i.generated]
    assert [(i.card_id, i.entry) for i in generated] == [("gen/toy-double", "toy-widgets")]
    [drill] = generated
    assert drill.is_correct(str(2 * int(drill.params["widgets"])))


# -- the app -------------------------------------------------------------------------------------


@run_async
async def test_the_app_shows_a_form_for_the_toy_check(toy, widgets_kb, tmp_path) -> None:
    app = make_app(kb_root=widgets_kb, lang="en", cache_dir=tmp_path / "cache", data_home=tmp_path / "home",
                   show="toy-widgets", ask="double my 21 widgets", cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        panel = app.main.query_one("#check-toy-double", CheckPanel)
        assert "Compute: double the widgets" in plain(panel.query_one(".check-title"))
        box = panel.query_one("#toy-double-widgets")
        assert panel.values() == {"widgets": "21"}
        assert panel.result is not None and panel.result.value == 42
        box.value = "5"  # type: ignore[attr-defined]
        await pilot.pause()
        assert panel.result is not None and panel.result.value == 10
        assert "Doubled: 10 widgets" in plain(panel.query_one("#toy-double-result"))
        box.value = "many"  # type: ignore[attr-defined]
        await pilot.pause()
        assert panel.result is None and box.has_class("-invalid")


def test_faq_check_and_the_app_name_what_each_validator_checks_against(capsys, monkeypatch) -> None:
    """`faq check --help` and the cluster tab's hint say what the registered validators check
    against in the validators' own words: a toy validator's phrase appears beside the shipped
    one's, and without any validator a generic phrase stands in."""
    from kb.bilingual import Bilingual
    from kb.checks import registry
    from kb.checks.spec import Validator
    from tui.i18n import checked_against

    toy = Validator(id="toy-plan", entry="widgets", title=Bilingual("おもちゃ", "Toy"),
                    against=Bilingual("おもちゃの規則", "the toy rules"))
    shipped = checked_against("en")
    with registered(toy):
        assert checked_against("en") == f"{shipped}, the toy rules"
        assert checked_against("ja").endswith("、おもちゃの規則")
        with pytest.raises(SystemExit):
            main(["--lang", "en", "check", "--help"])
        assert "the toy rules" in " ".join(capsys.readouterr().out.split())
    monkeypatch.setattr(registry, "validators", registry.Registry({}).validators)
    assert checked_against("ja") == "検証の規則"
