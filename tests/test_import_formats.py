"""`faq import` on FAQ pages in every format: pairs recovered, junk left out, doubts flagged."""

from __future__ import annotations

import pytest

from kb.importing.flags import cut_off_text
from kb.importing.junk import boilerplate_reason, is_footer_start
from kb.importing.slug import romanise, slug_for
from kb.importing.text import is_question, lang_of
from tests.import_fixtures import (
    DATA,
    build_docx,
    expected_for,
    fixtures,
    import_dry,
    imported,
    score,
    squash,
)

FORMATS = {".txt", ".html", ".md", ".csv", ".tsv", ".json"}


def _source(fixture, tmp_path):
    if fixture.name.endswith(".docx.json"):
        return build_docx(fixture, tmp_path / fixture.name.replace(".docx.json", ".docx"))
    return fixture


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every fixture imported (dry run): fixture name -> (entries, expected)."""
    tmp = tmp_path_factory.mktemp("formats")
    out = {}
    for fixture in fixtures():
        plan = import_dry([_source(fixture, tmp)], tmp / "out")
        out[fixture.name] = (imported(plan), expected_for(fixture), plan)
    return out


def test_there_is_a_fixture_of_every_format_and_layout(results):
    names = set(results)
    assert {n.rsplit(".", 1)[-1] for n in names} >= {"txt", "html", "md", "csv", "tsv", "json"}
    assert any(n.endswith(".docx.json") for n in names)
    layouts = " ".join(e["layout"] for _r, e, _p in results.values())
    for layout in ("definition list", "details/summary", "JSON-LD", "MediaWiki", "Q:/A:", "QnA Maker",
                   "headings", "DOCX", "Japanese and in English"):
        assert layout in layouts, layout
    assert all("https://" in e["facts_from"] for _r, e, _p in results.values())


def test_at_least_98_percent_of_pairs_are_recovered(results):
    total = recovered = 0
    report = []
    for name, (entries, expected, _plan) in sorted(results.items()):
        got, misses = score(entries, expected)
        total += len(expected["pairs"])
        recovered += got
        report.append(f"{name}: {got}/{len(expected['pairs'])} {misses}")
    rate = recovered / total
    print("\n".join(report), f"\nrecovered {recovered}/{total} = {rate:.3f}")
    assert total >= 80
    assert rate >= 0.98, "\n".join(report)


@pytest.mark.parametrize("name", sorted(p.name for p in fixtures()))
def test_no_extra_entries_and_no_junk_in_any_answer(results, name):
    entries, expected, _plan = results[name]
    assert len(entries) == len(expected["pairs"]), [e.question for e in entries]
    for junk in expected["junk"]:
        for entry in entries:
            assert squash(junk) not in squash(entry.answer), (junk, entry.question)


def test_every_cut_off_answer_is_flagged_and_no_other(results):
    for name, (entries, expected, _plan) in results.items():
        want = {squash(p["question"]) for p in expected["pairs"] if "truncated" in p.get("flags", [])}
        got = {squash(e.question) for e in entries if "truncated" in e.flags}
        assert got == want, name
    assert sum(len(w) for w in [[p for p in e["pairs"] if "truncated" in p.get("flags", [])]
                                for _r, e, _p in results.values()]) >= 8


def test_every_dropped_piece_has_a_line_and_a_reason(results):
    from kb.importing.model import REASONS

    for name, (_entries, _expected, plan) in results.items():
        for dropped in plan.extractions[0].dropped:
            assert dropped.line >= 1 and dropped.reason in REASONS, (name, dropped)


def test_json_ld_pairs_are_not_imported_twice(results):
    entries, _expected, plan = results["git-jsonld.html"]
    assert len({e.question for e in entries}) == len(entries) == 5
    reasons = [d.reason for d in plan.extractions[0].dropped]
    assert reasons.count("structured") == 4


def test_qna_maker_rows_sharing_an_id_become_alternates_and_prompts_related(results, tmp_path):
    entries, expected, plan = results["pip-qnamaker.tsv"]
    pairs = {p.question: p for p in plan.extractions[0].pairs}
    for question, alternates in expected["alternates"].items():
        assert pairs[question].alternates == alternates
    install = pairs["How do I install a package?"]
    assert install.tags == ["installing"]
    text = next(f.text for f in plan.files if f.entry_id == plan.entry_of[id(install)])
    related = [plan.entry_of[id(pairs[q])] for q in ("Should I use a virtual environment?",
                                                     "How do I install from requirements.txt?")]
    assert f'related = ["{related[0]}", "{related[1]}"]' in text
    assert "truncated" not in install.flags  # the colon introduces the follow-up prompts


def test_csv_columns_tags_and_alternates(results):
    _entries, _expected, plan = results["letsencrypt-limits.csv"]
    first = plan.extractions[0].pairs[0]
    assert first.tags == ["rate limits"] and first.alternates == ["certificates per domain", "weekly certificate limit"]
    text = next(f.text for f in plan.files if f.relative == "tags.toml")
    assert '[rate-limits]\nja = "rate limits"' in text and "[accounts]" in text
    entry = next(f.text for f in plan.files if f.entry_id == plan.entry_of[id(first)])
    assert "# Source / 出典: https://letsencrypt.org/docs/rate-limits/" in entry


def test_two_sources_with_their_languages_become_bilingual_entries(tmp_path):
    plan = import_dry([f"{DATA / 'python-faq.html'}@en", f"{DATA / 'python-faq-ja.md'}@ja"], tmp_path / "out")
    assert plan.bilingual == 7
    entry = next(f.text for f in plan.files if f.relative.startswith("entries/"))
    assert "[ja]" in entry and "[en]" in entry and "<!-- ja -->" in entry and "<!-- en -->" in entry
    ja = plan.extractions[1].pairs
    en = plan.extractions[0].pairs
    assert [plan.entry_of[id(p)] for p in ja] == [plan.entry_of[id(p)] for p in en]


def test_a_page_holding_two_languages_becomes_bilingual_entries(results):
    entries, expected, plan = results["letsencrypt-bilingual.html"]
    assert plan.bilingual == expected["bilingual"] == 4
    assert len({e.id for e in entries}) == 4


def test_sources_that_do_not_match_stay_single_language(tmp_path):
    plan = import_dry([f"{DATA / 'sqlite-details.html'}@en", f"{DATA / 'python-faq-ja.md'}@ja"], tmp_path / "out")
    assert plan.bilingual == 0
    assert len({plan.entry_of[id(p)] for e in plan.extractions for p in e.pairs}) == 14


@pytest.mark.parametrize("text, expected", [
    ("ライブ マイグレーションは、次のいずれかの方法で開始できます。", True),
    ("完了までの時間は、次の条件によって異なります:", True),
    ("You can renew in one of these ways:", True),
    ("Run the installer again, choose Modify, and on the", True),
    ("Hosting providers that need more can ask for an adjustment by filling in", True),
    ("はい、すべての仮想スイッチの名前をクラスター全体で同じにしてください。", False),
    ("Yes.", False),
    ("See [the docs](https://example.org)", False),
    ("Write it twice: `'It''s'`", False),
    ("詳細については、メンテナンス モードに関するページを参照してください。", False),
])
def test_cut_off_answers(text, expected):
    assert cut_off_text(text) is expected


@pytest.mark.parametrize("line, reason", [
    ("2012年4月29日日曜日", "date"), ("Tuesday, March 8, 2022", "date"), ("Posted by admin at 10:42", "byline"),
    ("0 コメント:", "comments"), ("コメントを投稿", "comments"), ("Leave a comment", "comments"),
    ("Share this:", "share"), ("Labels: ssl, https", "navigation"), ("© 2024 DevNotes.", "copyright"),
    ("Page 2 of 2", "page-number"), ("Ten tips ... read more", "teaser"),
    ("By default, the launcher picks the newest version.", ""), ("Yes, it is free.", ""),
])
def test_boilerplate_lines(line, reason):
    assert boilerplate_reason(line) == reason


def test_footer_starts():
    assert is_footer_start("These are our most popular posts:") and is_footer_start("関連記事")
    assert not is_footer_start("Related questions are answered below in the second part of the page.")


@pytest.mark.parametrize("text, asks", [
    ("ライブ マイグレーションとは何ですか。", True), ("CSV は必須?", True), ("How do I start", True),
    ("Do not unplug the board.", False), ("次のいずれかの方法で開始できます。", False),
    ("Q: Is it free?", True), ("Macintoshコンピュータでは、どのくらいのコストか", True),
])
def test_questions(text, asks):
    assert is_question(text) is asks


def test_languages_and_romanisation():
    assert lang_of("ライブ マイグレーション") == "ja" and lang_of("Live migration") == "en"
    assert [romanise(k) for k in ("キョウユウ", "ボリューム", "ネットワーク", "ヒツヨウ")] == \
        ["kyoyu", "boryumu", "nettowaku", "hitsuyo"]


def test_slugs_are_readable_unique_and_keep_ascii_words():
    taken: set[str] = set()
    assert slug_for("CSV を Hyper-V と共に使用する場合、同じドライブ文字から起動する必要はありますか。", set(), taken) \
        .startswith("csv-hyper-v")
    assert slug_for("How do I run a Python program under Windows?", set(), taken) == "run-python-program-windows"
    assert slug_for("How do I run a Python program under Windows?", set(), taken) == "run-python-program-windows-2"
    assert slug_for("？", set(), taken, fallback="q7") == "q7"


def test_every_fixture_format_is_read_by_its_own_reader():
    from kb.importing.reading import format_of

    seen = {format_of(p, p.read_bytes()[:4096]) for p in DATA.iterdir()
            if p.suffix in FORMATS and not p.name.endswith(".json")}
    assert seen == {"text", "html", "markdown", "csv", "tsv"}


def test_duplicates_and_near_duplicates_are_flagged_with_the_other_entry(tmp_path):
    source = tmp_path / "faq.md"
    source.write_text("## How do I renew a certificate?\n\nRun certbot renew.\n\n"
                      "## How do I renew my certificate?\n\nUse certbot renew from cron.\n\n"
                      "## How do I revoke a certificate?\n\nRun certbot revoke.\n\n"
                      "## What is a wildcard?\n\nA name like *.example.com.\n\n"
                      "## What is a wildcard\n\nA certificate for every subdomain.\n", encoding="utf-8")
    plan = import_dry([source], tmp_path / "out")
    flags = {p.question: p.flags for p in plan.extractions[0].pairs}
    assert flags == {"How do I renew a certificate?": [], "How do I renew my certificate?": ["near-duplicate"],
                     "How do I revoke a certificate?": [], "What is a wildcard?": [],
                     "What is a wildcard": ["duplicate"]}
    text = next(f.text for f in plan.files if f.relative == "entries/renew-certificate-2.md")
    assert "near-duplicate: " in text and "(renew-certificate)" in text
    assert 'flags = ["near-duplicate"]' in text
