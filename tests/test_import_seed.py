"""`faq import` on our own source page: 13 entries with their own answers, the junk dropped and listed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb.content.lint import lint_kb
from kb.content.load import load_kb
from tests.import_fixtures import DATA, key
from tui.cli.parser import main

SEED = DATA / "seed-hyperv-live-migration.txt"
HAND_WRITTEN = Path(__file__).resolve().parent.parent / "faq_data"
# Facts of each hand-written entry's Japanese answer that the source page states too.
FACTS = {
    "what-is-live-migration": ["Windows Server 2008 R2", "フェールオーバー クラスタリング", "iSCSI", "共有記憶域"],
    "requirements": ["x64", "Itanium", "16", "TCP/IP", "Server Core", "サービス パック"],
    "how-to-start": ["開始"],
    "network-adapters": ["プライベート ネットワーク", "ネットワーク アダプター"],
    "csv-required": ["LUN", "クラスターの共有ボリューム"],
    "migration-duration": ["帯域幅", "負荷", "RAM"],
    "processor-compatibility": ["プロセッサ バージョンが異なる物理コンピューターへ移行する", "再起動"],
    "tcp-chimney": ["TCP", "ソフトウェア", "移行先"],
    "concurrent-migrations": ["2 つ", "メンテナンス モード"],
    "backup-during-migration": ["VSS ライター", "リダイレクト I/O モード", "警告"],
    "config-refresh": ["フェールオーバー クラスター マネージャー", "Hyper-V マネージャー", "手動"],
    "virtual-switch-names": ["仮想スイッチ", "同じ"],
    "csv-drive-letter": ["%SystemDrive%", "ドライブ文字"],
}
SPAM = ["PSPは、PDFを表示することができます", "Macintoshコンピュータでは、どのくらいのコストか", "Dllhost.exeのは何ですか"]
FOOTER = ["These are our most popular posts:", "Related Posts", "0 コメント:", "コメントを投稿", "Hey Scripting Guy!"]


def _grams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _dice(a: str, b: str) -> float:
    return 2 * len(_grams(a) & _grams(b)) / (len(_grams(a)) + len(_grams(b)))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The seed imported by the CLI: its folder and its --json report."""
    out = tmp_path_factory.mktemp("seed") / "kb"
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = main(["import", str(SEED), "--out", str(out), "--json"])
    assert code == 0
    return out, json.loads(buffer.getvalue())


@pytest.fixture(scope="module")
def matched(imported):
    """Imported entry -> the hand-written entry asking the same question."""
    out, _report = imported
    ours, theirs = load_kb(out), load_kb(HAND_WRITTEN)
    pairs = {}
    for entry in ours.entries.values():
        question = key(entry.text["ja"].question)
        best = max(theirs.entries.values(), key=lambda e: _dice(question, key(e.text["ja"].question)))
        pairs[entry.id] = (entry, best)
    return pairs


def test_exactly_13_entries_each_matching_one_hand_written_entry(imported, matched):
    _out, report = imported
    assert len(report["entries"]) == 13
    assert sorted(hand.id for _e, hand in matched.values()) == sorted(FACTS)


@pytest.mark.parametrize("hand_id", sorted(FACTS))
def test_each_answer_holds_the_facts_of_the_matching_entry(matched, hand_id):
    [(entry, hand)] = [(e, h) for e, h in matched.values() if h.id == hand_id]
    for fact in FACTS[hand_id]:
        assert fact in hand.text["ja"].answer, (hand_id, fact)  # the table stays honest
        assert fact in entry.text["ja"].answer, (hand_id, fact)


def test_each_answer_is_closest_to_its_own_hand_written_answer(matched):
    """Answers were not shifted onto the neighbouring question."""
    hands = [h for _e, h in matched.values()]
    for entry, hand in matched.values():
        mine = _grams(key(entry.text["ja"].answer))
        # The share of the imported answer's bigrams that a hand-written answer also has.
        closest = max(hands, key=lambda h: len(mine & _grams(key(h.text["ja"].answer))) / len(mine))
        assert closest.id == hand.id, (entry.id, closest.id, hand.id)


def test_spam_and_footer_are_dropped_listed_and_in_no_answer(imported):
    out, report = imported
    dropped = {d["text"]: d for d in report["dropped"]}
    for line in SPAM:
        assert dropped[line]["reason"] == "spam"
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for d in report["dropped"]:
        assert d["text"][:20] in lines[d["line"] - 1]  # the line number is right
    footer_start = next(n for n, line in enumerate(lines, 1) if "popular posts" in line)
    footer_lines = [n for n, line in enumerate(lines, 1) if n >= footer_start and line.strip()]
    assert {d["line"] for d in report["dropped"]} >= set(footer_lines)
    bodies = "\n".join(p.read_text(encoding="utf-8") for p in (out / "entries").glob("*.md"))
    for junk in [*SPAM, *FOOTER, "2012年4月29日", "スプラッティング"]:
        assert junk not in bodies


def test_how_to_start_is_flagged_as_cut_off_and_nothing_else_is_flagged(imported, matched):
    _out, report = imported
    flagged = {e["id"]: e["flags"] for e in report["entries"] if e["flags"]}
    [(start, _hand)] = [(e, h) for e, h in matched.values() if h.id == "how-to-start"]
    assert flagged == {start.id: ["truncated"]}
    assert start.flags == ("truncated",)
    assert start.text["ja"].answer.endswith("次のいずれかの方法で開始できます。")


def test_the_question_list_at_the_top_is_not_imported_twice(imported):
    _out, report = imported
    toc = [d for d in report["dropped"] if d["reason"] == "toc"]
    assert [d["line"] for d in toc] == list(range(6, 31, 2))
    questions = [e["question"] for e in report["entries"]]
    assert len(set(questions)) == 13
    assert [e["source_line"] for e in report["entries"]][0] == 32


def test_the_answer_inside_which_spam_sat_keeps_its_list(matched):
    [(entry, _h)] = [(e, h) for e, h in matched.values() if h.id == "migration-duration"]
    answer = entry.text["ja"].answer
    assert answer.startswith("完了までの時間は、次の条件によって異なります。")
    assert answer.count("\n- ") == 3 and "Dllhost" not in answer


def test_lint_is_clean_apart_from_the_flag_warning(imported, capsys):
    out, _report = imported
    problems = lint_kb(load_kb(out))
    assert [(Path(p.path).name, p.field, type(p).__name__) for p in problems] == \
        [(f"{_start_id(out)}.md", "flags", "ContentWarning")]
    assert main(["lint", "--data", str(out), "--lang", "en"]) == 0
    _stdout, err = capsys.readouterr()
    assert "warning:" in err and "truncated" in err


def _start_id(out: Path) -> str:
    return next(p.stem for p in (out / "entries").glob("*.md") if 'flags = ["truncated"]' in p.read_text("utf-8"))


def test_ask_answers_with_the_imported_csv_entry(imported, matched, capsys):
    out, _report = imported
    [(csv_entry, _h)] = [(e, h) for e, h in matched.values() if h.id == "csv-required"]
    code = main(["--data", str(out), "ask", "--json", "ライブ マイグレーションに CSV は必要ですか"])
    answers = json.loads(capsys.readouterr().out)["answers"]
    assert code == 0
    assert answers[0]["id"] == csv_entry.id
    assert answers[0]["confidence"] >= 0.45


def test_the_knowledge_base_files(imported):
    out, _report = imported
    import tomllib

    kb_toml = tomllib.loads((out / "kb.toml").read_text(encoding="utf-8"))
    assert kb_toml == {"name": {"ja": "Hyper-V ライブ マイグレーションの FAQ"},
                       "description": {"ja": "seed-hyperv-live-migration.txt から取り込んだ FAQ (13 件)"},
                       "example": {"ja": "ライブ マイグレーションとは何ですか。"}}  # its shortest question
    glossary = tomllib.loads((out / "glossary.toml").read_text(encoding="utf-8"))
    assert glossary["csv"]["ja"] == ["クラスターの共有ボリューム", "CSV"]
    assert "[imported]" in (out / "tags.toml").read_text(encoding="utf-8")
    draft = (out / "glossary.draft.toml").read_text(encoding="utf-8")
    assert re.search(r"^# \[vss\]", draft, re.M) and "ライブ マイグレーション" in draft
    kb = load_kb(out)
    assert all(e.applies_to == ("Hyper-V",) and set(e.text) == {"ja"} for e in kb.entries.values())


def test_show_works_for_a_single_language_entry(imported, capsys):
    out, _report = imported
    entry_id = _start_id(out)
    for lang in ("ja", "en"):
        assert main(["--data", str(out), "show", entry_id, "--lang", lang]) == 0
        shown = capsys.readouterr().out
        assert "ライブ マイグレーションを開始するにはどうすればよいですか。" in shown


def test_ids_are_readable_and_the_same_on_every_import(imported, tmp_path):
    out, report = imported
    ids = [e["id"] for e in report["entries"]]
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) and len(i) <= 48 for i in ids)
    assert any(i.startswith("csv-") for i in ids) and any(i.startswith("tcp-") for i in ids)
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        main(["import", str(SEED), "--out", str(tmp_path / "again"), "--json", "--dry-run"])
    assert [e["id"] for e in json.loads(buffer.getvalue())["entries"]] == ids
