"""Answer reading and checking, quiz lint, and which items reach a trainee."""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.content.entry import QuizItem, QuizText
from kb.errors import InputError
from kb.training.answer import parse_bool, parse_choice, parse_numeric, within
from kb.training.items import TrainingItem, collect_items, from_quiz, validate_links, validate_quiz

sys.path.insert(0, str(Path(__file__).parent / "data" / "training"))
import training_fixture_kb as fx  # noqa: E402


@pytest.mark.parametrize("text,expected", [
    ("2", 2), (" 3 ", 3), ("２", 2), ("(1)", 1), ("2.", 2), ("3)", 3), ("（２）", 2),
])
def test_choice_numbers_in_every_usual_form(text: str, expected: int) -> None:
    assert parse_choice(text, 3) == expected


@pytest.mark.parametrize("text", ["0", "4", "two", "", "1 2", "-1", "1.5"])
def test_choice_outside_the_list_or_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_choice(text, 3)


@pytest.mark.parametrize("text,expected", [
    ("true", True), ("T", True), ("Yes", True), ("y", True), ("はい", True), ("正", True),
    ("○", True), ("〇", True), ("ＴＲＵＥ", True), ("正しい", True),
    ("false", False), ("F", False), ("no", False), ("N", False), ("いいえ", False), ("誤", False),
    ("×", False), ("ｎｏ", False), ("x", False), ("誤り。", False),
])
def test_true_false_in_japanese_and_english(text: str, expected: bool) -> None:
    assert parse_bool(text) is expected


@pytest.mark.parametrize("text", ["maybe", "1", "", "true false", "はいいいえ"])
def test_neither_true_nor_false_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_bool(text)


@pytest.mark.parametrize("text,unit,expected", [
    ("3", None, 3.0), ("３", None, 3.0), ("3 件", None, 3.0), ("約 3", None, 3.0),
    ("1,200", None, 1200.0), ("１，２００", None, 1200.0), ("2.5", None, 2.5), ("about 40", None, 40.0),
    ("40 s", "s", 40.0), ("40秒", "s", 40.0), ("2 min", "s", 120.0), ("2分", "s", 120.0),
    ("1.5 minutes", "s", 90.0), ("~ 45 seconds", "s", 45.0), ("４５ 秒", "s", 45.0),
])
def test_numbers_with_full_width_digits_hedges_and_units(text: str, unit: str | None, expected: float) -> None:
    assert parse_numeric(text, unit) == pytest.approx(expected)


@pytest.mark.parametrize("text,unit", [
    ("", None), ("many", None), ("3 or 4", None), ("1分30秒", "s"), ("40 parsecs", "s"), ("nan", None),
])
def test_numbers_that_are_not_one_number_are_refused(text: str, unit: str | None) -> None:
    with pytest.raises(InputError):
        parse_numeric(text, unit)


@pytest.mark.parametrize("value,expected,tol,rel,ok", [
    (3, 3, 0, 0, True), (4, 3, 0, 0, False), (42, 41, 1, 0, True), (43, 41, 1, 0, False),
    (125, 100, 0, 0.25, True), (75, 100, 0, 0.25, True), (126, 100, 0, 0.25, False),
    (74, 100, 0, 0.25, False), (0.30000000000000004, 0.3, 0, 0, True),
])
def test_tolerance_absolute_or_relative(value: float, expected: float, tol: float, rel: float, ok: bool) -> None:
    assert within(value, expected, tol, rel) is ok


def _tf(answer: bool) -> TrainingItem:
    return from_quiz(fx.item("alpha", "t", "truefalse", answer))


def test_is_correct_per_kind() -> None:
    choice = from_quiz(fx.item("alpha", "c", "choice", 2))
    assert choice.is_correct("２") and not choice.is_correct("1")
    assert _tf(False).is_correct("いいえ") and not _tf(False).is_correct("yes")
    numeric = from_quiz(fx.item("beta", "n", "numeric", 41, tolerance=1))
    assert numeric.is_correct("約 42") and not numeric.is_correct("39")
    with pytest.raises(InputError):
        choice.is_correct("4")  # not a choice at all: asked again, not counted wrong


def test_expected_answer_reads_well_in_both_languages() -> None:
    choice = from_quiz(fx.item("alpha", "c", "choice", 2))
    assert choice.expected("en") == "2. two"
    assert choice.expected("ja") == "2. two (ja)"
    assert _tf(False).expected("en") == "false"
    assert "×" in _tf(False).expected("ja")
    timed = TrainingItem("gen/x", "e", "numeric", 40.0, {}, rel_tolerance=0.25, unit="s")
    assert timed.expected("en") == "about 40 s (30–50 s counts as right)"


def test_card_id_of_an_authored_item_is_entry_slash_id() -> None:
    assert from_quiz(fx.item("alpha", "a1", "choice", 2)).card_id == "alpha/a1"


def _entry_with(*items: QuizItem):  # type: ignore[no-untyped-def]
    return fx.entry("alpha", ("planning",), tuple(items))


def _fields(entry) -> list[str]:  # type: ignore[no-untyped-def]
    # The shipped content's kb.toml asks for two items per entry.
    return sorted(p.field or "" for p in validate_quiz(entry, 2))


def test_a_good_entry_has_no_quiz_problems() -> None:
    assert validate_quiz(fx.entries()["alpha"]) == []


BAD_ITEMS = [
    (dataclasses.replace(fx.item("alpha", "x", "choice", 2), answer=4), "quiz[x].answer"),
    (dataclasses.replace(fx.item("alpha", "x", "choice", 2), answer=0), "quiz[x].answer"),
    (dataclasses.replace(fx.item("alpha", "x", "choice", 2), answer=True), "quiz[x].answer"),
    (dataclasses.replace(fx.item("alpha", "x", "truefalse", True), answer=1), "quiz[x].answer"),
    (dataclasses.replace(fx.item("alpha", "x", "numeric", 3), answer=float("nan")), "quiz[x].answer"),
    (dataclasses.replace(fx.item("alpha", "x", "numeric", 3), answer=True), "quiz[x].answer"),
    (dataclasses.replace(fx.item("alpha", "x", "numeric", 3), kind="essay"), "quiz[x].kind"),
    (dataclasses.replace(fx.item("alpha", "x", "numeric", 3), tolerance=-1), "quiz[x].tolerance"),
    (dataclasses.replace(fx.item("alpha", "x", "numeric", 3), entry="elsewhere"), "quiz[x].entry"),
    (dataclasses.replace(fx.item("alpha", "x", "numeric", 3), id=""), "quiz[].id"),
]


@pytest.mark.parametrize("bad,field", BAD_ITEMS)
def test_each_quiz_problem_is_reported_on_its_field(bad: QuizItem, field: str) -> None:
    entry = _entry_with(fx.item("alpha", "ok", "truefalse", True), bad)
    assert field in _fields(entry)


def test_choice_counts_must_agree_and_wording_must_be_there() -> None:
    good = fx.item("alpha", "x", "choice", 2)
    uneven = dataclasses.replace(good, text={**good.text, "ja": QuizText("問", "説明", ("一", "二"))})
    assert "quiz[x].choices" in _fields(_entry_with(uneven, fx.item("alpha", "y", "truefalse", True)))
    blank = dataclasses.replace(good, text={**good.text, "en": QuizText("Q?", "  ", good.text["en"].choices)})
    assert "quiz[x].en.explanation" in _fields(_entry_with(blank, fx.item("alpha", "y", "truefalse", True)))
    missing = dataclasses.replace(good, text={"ja": good.text["ja"]})
    assert "quiz[x].en" in _fields(_entry_with(missing, fx.item("alpha", "y", "truefalse", True)))


def test_duplicate_ids_too_few_items_and_reserved_id() -> None:
    dup = _entry_with(fx.item("alpha", "x", "truefalse", True), fx.item("alpha", "x", "truefalse", False))
    assert "quiz[x].id" in _fields(dup)
    assert "quiz" in _fields(_entry_with(fx.item("alpha", "x", "truefalse", True)))
    # Without a minimum (no kb.toml asking for one) a single item, or none, is fine.
    assert validate_quiz(_entry_with(fx.item("alpha", "x", "truefalse", True))) == []
    gen = fx.entry("gen", (), (fx.item("gen", "a", "truefalse", True), fx.item("gen", "b", "truefalse", True)))
    assert "id" in _fields(gen)


def test_problems_name_the_file_and_line() -> None:
    bad = dataclasses.replace(fx.item("alpha", "x", "choice", 2), answer=9, line=42)
    problem = validate_quiz(_entry_with(bad, fx.item("alpha", "y", "truefalse", True)))[0]
    assert (problem.path, problem.line) == ("entries/alpha.md", 42)


def test_a_broken_item_never_reaches_a_trainee_but_its_neighbours_do() -> None:
    bad = dataclasses.replace(fx.item("alpha", "x", "choice", 2), answer=9)
    entries = {"alpha": _entry_with(bad, fx.item("alpha", "y", "truefalse", True),
                                    fx.item("alpha", "z", "truefalse", False))}
    assert [i.card_id for i in collect_items(entries)] == ["alpha/y", "alpha/z"]


def test_generated_items_join_only_when_their_entry_exists() -> None:
    without = collect_items(fx.entries(), random.Random(1))
    assert all(not i.generated for i in without)
    with_gen = collect_items(fx.entries(with_generated=True), random.Random(1))
    assert [i.card_id for i in with_gen if i.generated] == ["gen/max-concurrent"]


def test_validate_links_names_items_whose_entry_is_missing() -> None:
    items = [from_quiz(fx.item("alpha", "a", "truefalse", True)), from_quiz(fx.item("gone", "b", "truefalse", True))]
    assert [p.field for p in validate_links(items, {"alpha"})] == ["gone/b"]


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_any_integer_typed_in_full_width_reads_the_same(n: int) -> None:
    full = str(n).translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert parse_numeric(full) == n


@pytest.mark.parametrize("answer", [13.9, 2.3, 41.0, 157.25])
def test_the_range_shown_for_a_relative_tolerance_holds_only_right_answers(answer: float) -> None:
    item = TrainingItem("gen/x", "e", "numeric", answer, {}, rel_tolerance=0.25, unit="s")
    span = item.expected("en").split("(")[1].split(" s")[0]
    low, high = span.split("–")
    assert item.is_correct(low) and item.is_correct(high)
    step = 1 if answer >= 10 else 0.1
    assert not item.is_correct(str(float(low) - step)) and not item.is_correct(str(float(high) + step))
