"""`faq import` on FAQ shapes a new team brings: underlined headings, wrapped lines, question lists."""

from __future__ import annotations

import pytest

from kb.content.edit import insert_alternate
from kb.errors import ContentError
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


def _one_entry(root, lang, question, answer):
    """A knowledge base of one entry, "battery", written in ``lang`` only."""
    (root / "entries").mkdir(parents=True)
    (root / "entries" / "battery.md").write_text(
        f'+++\nid = "battery"\ntags = []\nrelated = []\napplies_to = ["Widget"]\nchecks = []\n\n[{lang}]\n'
        f'question = "{question}"\nalternates = []\n+++\n\n<!-- {lang} -->\n{answer}\n', encoding="utf-8")


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


WRAPPED = """\
How do I clean the widget?

Wipe it with a dry cloth. Solvents harm the coating, and there are other cleaners
which don't. One of them is sold by the maker at

    example.com/cleaner

`Gentle Foam <https://example.com/foam>`_ and
`Soft Gel <https://example.com/gel>`_ are both safe on the coating.

Can the widget get wet?

Only a few drops: it is not sealed.
"""


def test_wrapped_lines_stay_in_their_paragraph(tmp_path):
    _plan, entries = _entries(tmp_path, "wrapped.txt", WRAPPED)
    assert set(entries) == {"How do I clean the widget?", "Can the widget get wet?"}
    answer = entries["How do I clean the widget?"].answer
    assert "other cleaners which don't." in answer
    assert "Gentle Foam" in answer and "Soft Gel" in answer


NUMBERED = """\
The Widget Handbook

Contents

1. Basics
    1.1. What is a widget?
    1.2. So a widget is a gadget... what is a gadget?!
2. Care
    2.1. How often should I oil it?

Chapter 1. Basics

1.1. What is a widget?

A small tool that holds shelves together.

1.2. So a widget is a gadget... what is a gadget?!

Any tool small enough to carry in one hand.

Chapter 2. Care

2.1. How often should I oil it?

Once a year, with two drops.
"""


def test_a_numbered_contents_list_with_chapter_lines_is_not_imported(tmp_path):
    _plan, entries = _entries(tmp_path, "numbered.txt", NUMBERED)
    assert sorted(entries) == ["How often should I oil it?", "So a widget is a gadget... what is a gadget?!",
                               "What is a widget?"]
    assert [e.flags for e in entries.values()] == [[], [], []]
    assert entries["What is a widget?"].answer == "A small tool that holds shelves together."
    assert entries["So a widget is a gadget... what is a gadget?!"].answer.startswith("Any tool")


CRUMBS = """\
ホーム ＞ よくある質問
ログイン | 会員登録 | お問い合わせ

ウィジェットのよくある質問

ウィジェットは水に濡れても大丈夫ですか？

少しの水滴なら問題ありません。

電池はどれくらい持ちますか？

一年ほど持ちます。
"""


def test_breadcrumb_and_menu_lines_are_navigation_not_the_title(tmp_path):
    plan, entries = _entries(tmp_path, "crumbs.txt", CRUMBS.replace("\n", "\r\n"), encoding="cp932")
    assert len(entries) == 2
    extraction = plan.extractions[0]
    assert extraction.title == "ウィジェットのよくある質問"
    reasons = {d.line: d.reason for d in extraction.dropped}
    assert reasons[1] == "navigation" and reasons[2] == "navigation"


ITEMS = """\
What does the widget come with?

The box holds:

  * two hooks, one spare screw and a sheet of stickers for
    the front panel.
  * a cloth bag.
"""


def test_a_list_item_wrapped_onto_an_indented_line_stays_one_item(tmp_path):
    _plan, entries = _entries(tmp_path, "items.txt", ITEMS)
    answer = entries["What does the widget come with?"].answer
    assert "- two hooks, one spare screw and a sheet of stickers for the front panel." in answer.splitlines()
    assert "- a cloth bag." in answer


PAYMENT = """\
How do I reset the widget?

Hold the button for five seconds until the widget blinks.

Can I pay by card?

Yes, Visa and Mastercard are accepted.

Where is the widget made?

In a small workshop near the widget museum.
"""


def test_a_question_in_words_used_nowhere_else_keeps_its_own_answer(tmp_path):
    _plan, entries = _entries(tmp_path, "pay.txt", PAYMENT)
    assert entries["Can I pay by card?"].answer == "Yes, Visa and Mastercard are accepted."
    assert "Visa" not in entries["How do I reset the widget?"].answer


RST = """\
:tocdepth: 2

==========
Widget FAQ
==========

.. contents::

How do I read the widget's log?
-------------------------------

Call :func:`widget.read_log` or see the `maker's notes <https://example.com/notes>`_;
the :term:`log level <level>` is set in ``widget.ini``, for example::

   level = debug
   keep = 7

.. note:: The log is cleared at midnight.

.. _why-hum:

Why does the widget hum?
------------------------

The fan runs below ten degrees:

   >>> widget.fan()
   'on'
"""


def test_restructuredtext_markup_becomes_markdown_and_directives_are_listed(tmp_path):
    plan, entries = _entries(tmp_path, "widget.rst", RST)
    assert set(entries) == {"How do I read the widget's log?", "Why does the widget hum?"}
    log = entries["How do I read the widget's log?"].answer
    assert "`widget.read_log`" in log and "[maker's notes](https://example.com/notes)" in log
    assert "the log level is set in `widget.ini`, for example:" in log
    assert "```\nlevel = debug\nkeep = 7\n```" in log
    assert "The log is cleared at midnight." in log
    assert ":func:" not in log and "::" not in log and ".. " not in log
    assert "```\n>>> widget.fan()\n'on'\n```" in entries["Why does the widget hum?"].answer
    extraction = plan.extractions[0]
    assert extraction.title == "Widget FAQ"
    metadata = sorted(d.line for d in extraction.dropped if d.reason == "metadata")
    assert metadata == [1, 7, 20]


DEFINITIONS = """\
<html><head><meta charset="shift_jis"><title>ウィジェット</title></head><body>
<h1>ウィジェットのよくある質問</h1>
<dl>
<dt>Ｑ．ウィジェットは水に濡れても大丈夫ですか？</dt>
<dd>Ａ．<p>少しの水滴なら問題ありません。</p><p>水没させないでください。</p></dd>
<dt>Ｑ．電池はどれくらい持ちますか？</dt>
<dd><p>Ａ．</p><p>一年ほど持ちます。</p></dd>
</dl></body></html>
"""


def test_an_answer_mark_standing_alone_before_the_answer_is_not_part_of_it(tmp_path):
    _plan, entries = _entries(tmp_path, "dl.html", DEFINITIONS, encoding="cp932")
    wet = entries["ウィジェットは水に濡れても大丈夫ですか？"].answer
    assert wet == "少しの水滴なら問題ありません。\n\n水没させないでください。"
    assert entries["電池はどれくらい持ちますか？"].answer == "一年ほど持ちます。"


BRACKETED = """\
Widget help

(Q) I lost the spare screw.
(A) Any 3 mm screw fits the rail.
(Q) Can I paint the widget.
(A) Yes, with acrylic paint only.
"""

SPACED = """\
ウィジェットのよくある質問

問1　電池はどれくらい持ちますか
答　一年ほど持ちます。

【Q】ウィジェットは水に濡れても大丈夫ですか
【A】少しの水滴なら問題ありません。

Ｑ２　色は選べますか
Ａ２　白と黒の二色です。
"""


def test_bracketed_and_space_separated_question_marks(tmp_path):
    _plan, entries = _entries(tmp_path, "bracketed.txt", BRACKETED)
    assert {q: e.answer for q, e in entries.items()} == {
        "I lost the spare screw.": "Any 3 mm screw fits the rail.",
        "Can I paint the widget.": "Yes, with acrylic paint only."}
    _plan, entries = _entries(tmp_path, "spaced.txt", SPACED)
    assert {q: e.answer for q, e in entries.items()} == {
        "電池はどれくらい持ちますか": "一年ほど持ちます。",
        "ウィジェットは水に濡れても大丈夫ですか": "少しの水滴なら問題ありません。",
        "色は選べますか": "白と黒の二色です。"}


def test_the_empty_question_message_gives_no_example_from_another_knowledge_base(tmp_path, capsys):
    from tui.cli import main

    for lang in ("ja", "en"):
        assert main(["--lang", lang, "--data", str(tmp_path / "kb"), "ask", "  "]) == 2
        err = capsys.readouterr().err
        assert "faq ask" in err and err.count("\n") == 1
        assert "CSV" not in err  # the shipped FAQ's topic, not this one's


def test_utf16_without_a_byte_order_mark_is_read_as_text(tmp_path):
    table = "質問\t回答\n電池はどれくらい持ちますか\t一年ほど持ちます。\nIs it waterproof?\tNo, only splash-proof.\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        _plan, entries = _entries(tmp_path, f"{encoding}.tsv", table, encoding=encoding)
        assert {q: e.answer for q, e in entries.items()} == {
            "電池はどれくらい持ちますか": "一年ほど持ちます。", "Is it waterproof?": "No, only splash-proof."}


TABLE = """\
<html><body><h1>Widget FAQ</h1>
<table><tr><th>Question</th><th>Answer</th></tr>
<tr><td>How do I mount it?</td><td>Use the two hooks.</td></tr>
<tr><td>Can it get wet?</td><td><p>Only a few drops.</p><ul><li>It is not sealed.</li></ul></td></tr>
<tr><td>Where is it made?</td><td>In a workshop.<br>Near the river.</td></tr>
</table>
<table><tr><th>Model</th><th>Battery</th></tr><tr><td><p>S</p><p>small</p></td><td>1 year</td></tr></table>
</body></html>
"""


def test_paragraphs_inside_a_table_cell_stay_apart(tmp_path):
    _plan, entries = _entries(tmp_path, "table.html", TABLE)
    assert entries["Can it get wet?"].answer == "Only a few drops.\n\nIt is not sealed."
    assert entries["Where is it made?"].answer == "In a workshop.\n\nNear the river."


SECTIONS = """\
1 Basics

1.1 How do I mount it?
Use the two hooks on the rail, and press until they click into place.

1.2 Can it get wet?
Only a few drops, since it is not sealed against water at all.

2 Care

2.1 How often should I oil it
Once a year with two drops.
"""


def test_numbered_section_lines_close_the_answer_before_them(tmp_path):
    plan, entries = _entries(tmp_path, "sections.txt", SECTIONS)
    assert entries["Can it get wet?"].answer == "Only a few drops, since it is not sealed against water at all."
    assert entries["How often should I oil it"].answer == "Once a year with two drops."
    reasons = {d.line: d.reason for d in plan.extractions[0].dropped}
    assert reasons[9] == "section"


def test_accepting_a_phrasing_in_the_language_a_one_language_entry_lacks_says_how(tmp_path, capsys):
    from tui.cli import main

    _one_entry(tmp_path / "kb", "ja", "電池はどれくらい持ちますか", "一年ほど持ちます。")
    entries = tmp_path / "kb" / "entries"
    code = main(["--data", str(tmp_path / "kb"), "--lang", "en", "gaps", "accept", "battery life", "--to", "battery"])
    err = capsys.readouterr().err
    assert code == 2 and "add --lang ja" in err and "battery.md" in err
    with pytest.raises(ContentError) as caught:
        insert_alternate((entries / "battery.md").read_text(encoding="utf-8"), "en", "battery life")
    assert "--lang ja を付けると" in caught.value.render("ja")
    assert insert_alternate((entries / "battery.md").read_text(encoding="utf-8"), "ja", "battery life")[2]


@pytest.mark.parametrize("where, en, ja", [
    ("missing", "no such folder", "フォルダーがありません"),
    ("file.txt", "not a folder", "フォルダーではありません"),
    ("empty", "no entries/ folder here", "entries/ フォルダーがありません"),
])
def test_data_that_is_no_knowledge_base_is_one_line_saying_why(tmp_path, capsys, where, en, ja):
    from tui.cli import main

    (tmp_path / "file.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    for lang, reason in (("en", en), ("ja", ja)):
        assert main(["--lang", lang, "--data", str(tmp_path / where), "ask", "hello"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and reason in err and where in err


def test_a_line_of_punctuation_is_never_the_title(tmp_path):
    plan, _entries_ = _entries(tmp_path, "widget.md", UNDERLINED)
    assert plan.extractions[0].title == "Widget FAQ"


def test_a_column_no_role_is_known_for_is_reported_not_lost_silently(tmp_path):
    table = ("質問,回答,別の言い方,メモ\n電池はどれくらい持ちますか,一年ほど持ちます。,電池の寿命|バッテリーの持ち,社内用\n"
             "色は選べますか,白と黒の二色です。,,\n")
    plan, entries = _entries(tmp_path, "table.csv", table)
    assert entries["電池はどれくらい持ちますか"].answer == "一年ほど持ちます。"
    [pair] = [p for p in plan.extractions[0].pairs if p.question == "電池はどれくらい持ちますか"]
    assert pair.alternates == ["電池の寿命", "バッテリーの持ち"]
    [(ja, en)] = plan.extractions[0].notes
    assert "メモ" in ja and "4" in ja and "メモ" in en and "column 4" in en


DETAILS_MD = """\
# Widget FAQ

## Can it get wet?
Only a few drops.

<details>
<summary><b>Where is it made?</b></summary>

In a workshop **near the river**.

- open on weekdays
</details>

<details><summary>Does it come in blue?</summary>
Only white and black.
</details>
"""


def test_details_blocks_in_markdown_are_questions_with_their_answers(tmp_path):
    plan, entries = _entries(tmp_path, "details.md", DETAILS_MD)
    assert {q: e.answer for q, e in entries.items()} == {
        "Can it get wet?": "Only a few drops.",
        "Where is it made?": "In a workshop **near the river**.\n\n- open on weekdays",
        "Does it come in blue?": "Only white and black."}
    lines = {p.question: p.line for p in plan.extractions[0].pairs}
    assert lines == {"Can it get wet?": 3, "Where is it made?": 7, "Does it come in blue?": 14}


def test_check_and_calc_point_only_at_entries_the_knowledge_base_has(tmp_path, capsys):
    from tui.cli import main

    assert main(["examples", "cluster-broken"]) == 0
    cluster = tmp_path / "broken.toml"
    cluster.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["--lang", "en", "check", str(cluster)]) == 1  # the shipped FAQ has the cited entries
    assert "→ faq show requirements" in capsys.readouterr().out
    _one_entry(tmp_path / "kb", "en", "How long does the battery last?", "A year.")
    data = ["--lang", "en", "--data", str(tmp_path / "kb")]
    assert main([*data, "check", str(cluster)]) == 1
    out = capsys.readouterr().out
    assert "[os-version]" in out and "faq show" not in out
    assert main([*data, "calc", "max-concurrent-migrations", "--nodes", "4"]) == 0
    out = capsys.readouterr().out
    assert "2" in out and "faq show" not in out


def test_an_import_gives_the_knowledge_base_its_own_example_question(tmp_path, capsys):
    """kb.toml gets the shortest plain question of each language as the example the question
    box and the empty-question hint show; a question too long for the box is not used."""
    from tui.cli import main

    source = tmp_path / "widgets.md"
    source.write_text("# Widget FAQ\n\n## How do I charge the widget overnight without the dock?\n\n"
                      "Use any USB-C cable.\n\n## Can I paint it?\n\nOnly with water-based paint.\n\n"
                      "## Is there a warranty?\n\nOne year from purchase.\n", encoding="utf-8")
    out = tmp_path / "kb"
    assert main(["import", str(source), "--out", str(out)]) == 0
    assert '[example]\nen = "Can I paint it?"' in (out / "kb.toml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["--lang", "en", "--data", str(out), "ask", " "]) == 2
    assert 'faq ask "Can I paint it?"' in capsys.readouterr().err


PIPES = """\
Shell FAQ

How do I find a running process?

Run ps aux | grep ssh | less to list them.

What does `a | b | c` mean?

It pipes a into b and then into c.
"""


def test_a_line_with_pipes_that_is_a_question_or_a_command_is_not_a_menu(tmp_path):
    plan, entries = _entries(tmp_path, "pipes.txt", PIPES)
    assert entries["How do I find a running process?"].answer == "Run ps aux | grep ssh | less to list them."
    assert entries["What does `a | b | c` mean?"].answer == "It pipes a into b and then into c."
    assert not [d for d in plan.extractions[0].dropped if d.reason == "navigation"]


BLANK_SUMMARY = """\
## How do I start it?

Press the button.

<details><summary> </summary>

Hold it for three seconds.

</details>
"""


@pytest.mark.parametrize("name,text", [("blank.md", BLANK_SUMMARY),
                                       ("blank.html", "<dl><dt>#</dt><dd>Some answer.</dd>"
                                                      "<dt>What is it?</dt><dd>A thing.</dd></dl>")])
def test_a_question_that_is_empty_makes_no_entry(tmp_path, name, text):
    """An empty <summary> (or a <dt> of markup alone) gave an entry whose question was "",
    which `faq lint` then refused; its answer is listed as text of no question instead."""
    plan, entries = _entries(tmp_path, name, text)
    assert entries and all(question.strip() for question in entries)
    assert any(d.reason == "no-question" for d in plan.extractions[0].dropped)


SHORT_LINES = """\
How do I install the tool?

Run:
pip install tool

Where do I get the manual?

The manual
https://example.org/manual
"""


def test_a_short_line_over_a_lower_case_one_is_not_joined_to_it(tmp_path):
    """Only a long line stops where an editor wraps: "Run:" over a command, or a label over
    its link, are two lines (before, "Run: pip install tool" was one sentence)."""
    _plan, entries = _entries(tmp_path, "short.txt", SHORT_LINES)
    assert entries["How do I install the tool?"].answer.splitlines() == ["Run:", "", "pip install tool"]
    assert "The manual https" not in entries["Where do I get the manual?"].answer


DOCTEST_RST = """\
Can the widget count?
---------------------

Yes, for example:

>>> for i in range(2):
...     widget.count(i)
0
1

It counts from zero.
"""


def test_a_doctest_block_at_the_margin_is_code(tmp_path):
    """reStructuredText's doctest block is a paragraph starting ">>>", not indented (Python's
    FAQ writes them so); before, each line became a paragraph, which Markdown reads as quotes."""
    _plan, entries = _entries(tmp_path, "count.rst", DOCTEST_RST)
    answer = entries["Can the widget count?"].answer
    assert "```\n>>> for i in range(2):\n...     widget.count(i)\n0\n1\n```" in answer
    assert answer.endswith("It counts from zero.")


NESTED_DETAILS = """\
# Widget FAQ

<details>
<summary>Setup</summary>

<details>
<summary>How do I start it?</summary>

Press the button.
</details>

<details>
<summary>What if the button sticks?</summary>

Press harder.
</details>

</details>

<details><summary>How do I stop it?</summary>
Press it again.
</details>
"""


def test_details_inside_details_are_questions_of_their_own(tmp_path):
    """A README groups its <details> questions in an outer <details> per topic; before, the
    inner <summary> markup ended up in the topic's answer and the rest was dropped."""
    plan, entries = _entries(tmp_path, "nested.md", NESTED_DETAILS)
    assert {q: e.answer for q, e in entries.items()} == {
        "How do I start it?": "Press the button.", "What if the button sticks?": "Press harder.",
        "How do I stop it?": "Press it again."}
    assert not [d for d in plan.extractions[0].dropped if "details>" in d.text]


@pytest.mark.parametrize(("title", "body_name", "expected"), [
    ("Team shell FAQ", "the shell", "General"),          # "Team" is no product: no answer names it
    ("Debian GNU/Linux FAQ", "Debian", "Debian"),        # the longest leading words the answers use
    ("Debian GNU/Linux FAQ", "Debian GNU/Linux", "Debian GNU/Linux"),
    ("Widget FAQ", "the Widget", "Widget"),
])
def test_applies_to_is_a_name_from_the_title_that_the_answers_use(tmp_path, title, body_name, expected):
    source = tmp_path / "faq.txt"
    source.write_text(f"{title}\n\nHow do I restart it?\n\nRestart {body_name} from the menu.\n\n"
                      f"How do I update it?\n\nUpdate {body_name} with the installer.\n", encoding="utf-8")
    plan = import_dry([source], tmp_path / "kb")
    entries = [f.text for f in plan.writes if f.relative.startswith("entries/")]
    assert len(entries) == 2
    assert all(f'applies_to = ["{expected}"]' in text for text in entries)
