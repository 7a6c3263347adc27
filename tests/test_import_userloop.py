"""`faq import` on FAQ shapes a new team brings: underlined headings, wrapped lines, question lists."""

from __future__ import annotations

from tests.import_fixtures import import_dry, imported

UNDERLINED = """\
==========
Widget FAQ
==========

Setup
=====

How do I attach the widget to a shelf?
--------------------------------------

Slide the two hooks into the rail and press until they click.

Keep the label facing out.


Why does the widget hum at night?
---------------------------------

The fan runs when the room cools below ten degrees.
"""


def _entries(tmp_path, name, text, encoding="utf-8"):
    source = tmp_path / name
    source.write_bytes(text.encode(encoding))
    plan = import_dry([source], tmp_path / "out")
    return plan, {e.question: e for e in imported(plan)}


def test_underlined_headings_of_a_text_export_are_questions_with_their_answers(tmp_path):
    plan, entries = _entries(tmp_path, "widget.txt", UNDERLINED)
    assert set(entries) == {"How do I attach the widget to a shelf?", "Why does the widget hum at night?"}
    attach = entries["How do I attach the widget to a shelf?"]
    assert "press until they click" in attach.answer and "label facing out" in attach.answer
    assert "no-answer" not in attach.flags
    assert "fan runs" in entries["Why does the widget hum at night?"].answer
    assert "-----" not in attach.answer
    assert plan.extractions[0].title == "Widget FAQ"
