"""Training input at the edges: huge numbers and trailing newlines are messages, not crashes or accepts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.errors import InputError
from kb.training.answer import parse_choice
from kb.training.store import validate_profile


@pytest.mark.parametrize("digits", [4301, 5000, 100_000])
def test_a_choice_of_thousands_of_digits_is_out_of_range(digits):
    with pytest.raises(InputError) as caught:
        parse_choice("9" * digits, 4)
    assert "1 to 4" in caught.value.message and len(caught.value.message) < 200
    assert caught.value.message_ja


def test_leading_zeros_still_choose():
    assert parse_choice("0" * 5000 + "3", 4) == 3


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet="0123456789０１２３()._ \n", max_size=6000), count=st.integers(1, 10))
def test_any_choice_text_is_a_number_in_range_or_a_message(text, count):
    try:
        number = parse_choice(text, count)
    except InputError:
        return
    assert 1 <= number <= count


@pytest.mark.parametrize("name", ["alice\n", "alice\r\n", "\nalice", "alice\x00", "a" * 65, ".alice", ""])
def test_bad_profile_names_are_refused(name):
    with pytest.raises(InputError):
        validate_profile(name)


@pytest.mark.parametrize("name", ["alice", "bob.smith", "a" * 64, "山田", "x_1-2"])
def test_good_profile_names_are_kept(name):
    assert validate_profile(name) == name
