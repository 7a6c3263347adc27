"""Navigation history: back, forward, and what a new visit does to the forward pages."""

from __future__ import annotations

import pytest

from tui.app.history import History


def visited(*places: str, limit: int = 200) -> History[str]:
    history: History[str] = History(limit=limit)
    for place in places:
        history.visit(place)
    return history


def test_empty_history_has_nowhere_to_go() -> None:
    history: History[str] = History()
    assert history.current is None
    assert history.back() is None
    assert history.forward() is None
    assert not history.can_back and not history.can_forward


def test_back_and_forward_walk_the_visits() -> None:
    history = visited("a", "b", "c")
    assert history.current == "c"
    assert history.back() == "b"
    assert history.back() == "a"
    assert history.back() is None and history.current == "a"  # stays at the start
    assert history.forward() == "b"
    assert history.forward() == "c"
    assert history.forward() is None and history.current == "c"


def test_visit_after_back_drops_the_forward_places() -> None:
    history = visited("a", "b", "c")
    history.back()
    history.visit("d")
    assert history.places() == ("a", "b", "d")
    assert not history.can_forward
    assert history.back() == "b"


def test_revisiting_the_current_place_is_not_a_step() -> None:
    history = visited("a", "a", "b", "b")
    assert history.places() == ("a", "b")
    assert history.back() == "a"


def test_the_same_place_may_appear_again_later() -> None:
    history = visited("a", "b", "a")
    assert history.places() == ("a", "b", "a")
    assert history.back() == "b"


@pytest.mark.parametrize(("limit", "expected"), [(1, ("e",)), (3, ("c", "d", "e")), (10, tuple("abcde"))])
def test_limit_forgets_the_oldest(limit: int, expected: tuple[str, ...]) -> None:
    history = visited(*"abcde", limit=limit)
    assert history.places() == expected
    assert history.current == "e"
    assert len(history) == len(expected)


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        History(limit=0)
