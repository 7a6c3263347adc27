"""The engine on content it was not written for: one-language knowledge bases, numbers as
words, English word forms, partial words, cross-language concepts, and no candidate cap."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kb import open_kb
from kb.content.lint import lint_kb
from kb.content.load import load_kb
from kb.text.analysis import english_terms
from tests.conftest import ROOT
from tests.tui_support import run_async, wait_for_workers

KBS = ROOT / "tests" / "data" / "kbs"


def _entry(root: Path, entry_id: str, sections: dict[str, tuple[str, str]], tags: str = "general",
           alternates: tuple[str, ...] = ()) -> None:
    """Write one entry with a question and answer per language."""
    lines = ["+++", f'id = "{entry_id}"', f'tags = ["{tags}"]', 'applies_to = ["Widget"]', ""]
    for lang, (question, _answer) in sections.items():
        alts = ", ".join(json.dumps(a, ensure_ascii=False) for a in alternates)
        lines += [f"[{lang}]", f"question = {json.dumps(question, ensure_ascii=False)}", f"alternates = [{alts}]", ""]
    lines.append("+++")
    for lang, (_question, answer) in sections.items():
        lines += [f"<!-- {lang} -->", answer, ""]
    (root / "entries" / f"{entry_id}.md").write_text("\n".join(lines), encoding="utf-8")


def _kb(tmp_path: Path, glossary: str = "", langs: tuple[str, ...] = ("en",)) -> Path:
    root = tmp_path / "kb"
    (root / "entries").mkdir(parents=True)
    (root / "tags.toml").write_text("[general]\n" + "".join(f'{lang} = "General"\n' for lang in langs),
                                    encoding="utf-8")
    (root / "glossary.toml").write_text(glossary, encoding="utf-8")
    return root


FILLER = [
    ("install", "How do I install the widget?", "Download the installer and run it."),
    ("license", "What licence does the widget have?", "It is free software under a permissive licence."),
    ("logs", "Where are the log files kept?", "Logs are written to the logs folder of your profile."),
    ("update", "How do I update to a new release?", "Run the installer of the new release over the old one."),
]


def test_numbers_the_content_has_are_words(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    _entry(root, "float-sum", {"en": ("Why is the sum of two decimals slightly off?",
                                      "Binary floating point cannot hold 0.1 or 0.2 exactly, so 0.1 + 0.2 "
                                      "gives 0.30000000000000004. Use a decimal type for money.")})
    for entry_id, question, answer in FILLER:
        _entry(root, entry_id, {"en": (question, answer)})
    library = open_kb(root, None)
    assert [a.id for a in library.ask("0.1 + 0.2").answers][:1] == ["float-sum"]
    # A lone digit stays a parameter: "2+2" is not a question about this content.
    assert library.ask("what's 2+2").answers == []


def test_slowly_meets_slow_and_a_clipped_word_its_whole(tmp_path: Path) -> None:
    assert english_terms("slowly") == english_terms("slow")
    assert english_terms("quickly") == english_terms("quick")
    assert english_terms("apply") != english_terms("app")  # "-ply" is not an adverb's "-ly"
    root = _kb(tmp_path)
    _entry(root, "slow-start", {"en": ("Why is the first start slow?",
                                       "The first start builds the cache; integer ids are indexed once.")})
    for entry_id, question, answer in FILLER:
        _entry(root, entry_id, {"en": (question, answer)})
    library = open_kb(root, None)
    assert library.ask("it starts slowly").answers[0].id == "slow-start"
    question = library.engine.analyzer.analyze("int ids")
    assert "integ" in question.features  # "int" met "integer" in the content


def test_if_in_is_not_for_with_are_words() -> None:
    assert english_terms("is not in the list for the query with if") == ["is", "not", "in", "list", "for", "queri",
                                                                          "with", "if"]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory):
    library = open_kb(ROOT / "faq_data", tmp_path_factory.mktemp("cache"), snapshot=False)
    yield library
    library.close()


@pytest.mark.parametrize(("typed", "expected"), [("tcp ch", "tcp-chimney"), ("netw", "network-adapters"),
                                                 ("ライブマ", None)])
def test_the_last_word_may_be_half_typed(shipped, typed: str, expected: str | None) -> None:
    result = shipped.ask(typed, partial=True)
    assert result.answers, typed
    if expected:
        assert result.answers[0].id == expected
    # "ライブマ" is the start of a glossary spelling: a concept, not an unknown word.
    question = shipped.engine.analyzer.analyze(typed, partial=True)
    assert question.alternatives


def test_a_half_word_is_not_completed_unless_asked(shipped) -> None:
    assert not shipped.ask("tcp ch").answers
    assert shipped.ask("tcp ch", partial=True).answers


def test_a_version_no_entry_covers_gets_no_answer(shipped) -> None:
    assert shipped.ask("Windows Server 2019 のライブ マイグレーション").answers == []
    assert shipped.ask("ws2008r2 のライブ マイグレーション").answers  # a spelling of 2008 R2


def test_a_question_can_match_the_other_languages_entry(tmp_path: Path) -> None:
    glossary = ('[backup]\nja = ["バックアップ"]\nen = ["backup", "back up"]\n'
                'definition.ja = "データの写し。"\ndefinition.en = "A copy of the data."\n')
    root = _kb(tmp_path, glossary, langs=("ja", "en"))
    _entry(root, "backup-schedule", {"en": ("How often should I back up the database?",
                                            "Take a full backup nightly and keep a week of them.")})
    _entry(root, "printer", {"ja": ("プリンターが動かない。", "電源とケーブルを確かめてください。")})
    for entry_id, question, answer in FILLER:
        _entry(root, entry_id, {"en": (question, answer)})
    library = open_kb(root, None)
    result = library.ask("バックアップはどのくらいの頻度で取るべき？", lang="ja")
    assert result.candidates[0].id == "backup-schedule"
    assert result.candidates[0].lang == "en"  # answered in the language the entry has


def test_no_candidate_cap_loses_an_answer_far_down_bm25(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    filler = " ".join(f"Paragraph {i} of the reference explains the option names." for i in range(60))
    _entry(root, "answer", {"en": ("Reference of the options",
                                   f"{filler} The alpha option, with beta and gamma, sets the widget mode.")})
    for i in range(30):
        word = "beta" if i % 2 else "gamma"
        _entry(root, f"decoy-{i:02d}", {"en": (f"{word} {word} {word} {i}", f"About {word} {i}.")})
    library = open_kb(root, None)
    engine = library.engine
    question = engine.analyzer.analyze("alpha beta gamma")
    hits = engine.searcher.search(question.query, limit=None)
    ranks = [engine.searcher.stored_fields(d)["id"] for _s, d in hits.top_n]
    assert ranks.index("answer") >= 20  # the old cap of 20 candidates would never have scored it
    assert library.ask("alpha beta gamma").candidates[0].id == "answer"


@pytest.mark.parametrize("name", ["git", "helpdesk"])
def test_one_language_knowledge_bases_lint_ask_and_show(name: str, tmp_path: Path) -> None:
    content = load_kb(KBS / name)
    assert lint_kb(content) == []
    assert len(content.languages) == 1
    only = content.languages[0]
    other = "ja" if only == "en" else "en"
    library = open_kb(KBS / name, tmp_path / "cache", snapshot=False)
    entry_id = next(iter(content.entries))
    question = content.entries[entry_id].question(only)
    result = library.ask(question, lang=other)
    assert result.answers and result.answers[0].id == entry_id
    assert result.answers[0].lang == only and result.answers[0].question == question
    env = {"FAQ_CACHE_DIR": str(tmp_path / "cli-cache"), "PATH": "/usr/bin:/bin"}
    shown = subprocess.run([sys.executable, "-m", "tui.cli", "--data", str(KBS / name), "--lang", other, "show",
                            entry_id], capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert shown.returncode == 0, shown.stderr
    assert question in shown.stdout
    helped = subprocess.run([sys.executable, "-m", "tui.cli", "--data", str(KBS / name), "--help"],
                            capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert content.profile.title(only) in helped.stdout


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_help_offers_calc_and_check_only_where_an_entry_links_one(lang: str, tmp_path: Path) -> None:
    # A help desk's FAQ links no calculator and no validator: its `faq --help` does not offer
    # to validate cluster files, nor say it computes; the shipped content's does. Typed, the
    # commands still run.
    env = {"FAQ_CACHE_DIR": str(tmp_path / "cli-cache"), "PATH": "/usr/bin:/bin"}

    def helped(root: Path) -> tuple[set[str], str]:
        out = subprocess.run([sys.executable, "-m", "tui.cli", "--data", str(root), "--lang", lang, "--help"],
                             capture_output=True, text=True, cwd=ROOT, env=env, check=True).stdout
        listed = {line.split()[0] for line in out.splitlines() if line.startswith("    ") and line.split()}
        return listed, out

    desk, desk_text = helped(KBS / "helpdesk")
    shipped, shipped_text = helped(ROOT / "faq_data")
    assert {"ask", "quiz", "gaps"} <= desk and not {"calc", "check"} & desk
    assert {"ask", "quiz", "gaps", "calc", "check"} <= shipped
    compute = "計算" if lang == "ja" else "compute"
    assert compute not in desk_text.split("\n\n")[1] and compute in shipped_text.split("\n\n")[1]
    typed = subprocess.run([sys.executable, "-m", "tui.cli", "--data", str(KBS / "helpdesk"), "--lang", lang,
                            "check", str(tmp_path / "missing.toml")], capture_output=True, text=True, cwd=ROOT,
                           env=env, check=False)
    assert typed.returncode == 2 and "missing.toml" in typed.stderr and "Traceback" not in typed.stderr


async def _ready(app, pilot) -> None:
    """Until the content is in and the index open (at most 4 s)."""
    for _ in range(200):
        await pilot.pause(0.02)
        if app.state.content is not None and app.state.engine is not None:
            break


@run_async
async def test_the_app_names_the_knowledge_base_and_shows_an_english_entry_in_japanese(tmp_path: Path) -> None:
    from tui.app.app import make_app

    app = make_app(kb_root=KBS / "git", cache_dir=tmp_path / "cache", data_home=tmp_path / "home", lang="ja",
                   cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _ready(app, pilot)
        assert app.title == "Git FAQ"
        # git's kb.toml gives no example: the question box suggests nothing of another FAQ
        assert app.main.question.placeholder == "質問を入力"
        await app.main.open_entry("amend-last-commit")
        await pilot.pause()
        assert app.main.entry_view.entry_id == "amend-last-commit"


@run_async
async def test_typing_on_keeps_the_last_confident_answer(tmp_path: Path) -> None:
    from tui.app.app import make_app

    app = make_app(kb_root=ROOT / "faq_data", cache_dir=tmp_path / "cache", data_home=tmp_path / "home",
                   lang="en", cursor_blink=False, debounce=0.01)

    async def settle() -> None:
        for _ in range(300):
            await pilot.pause(0.02)
            await wait_for_workers(app)
            if app.state.engine is not None and not app.main.searching:
                break

    async with app.run_test(size=(100, 30)) as pilot:
        await settle()
        app.main.question.value = "tcp chimney"
        await settle()
        assert app.main.answers.shown is not None and app.main.answers.shown.confident
        app.main.question.value = "tcp chimneyzzq"  # the word typed on, answering nothing yet
        await settle()
        assert app.main.answers.shown.query == "tcp chimney" and app.main.answers.shown.confident
        app.main.question.value = "tcp chimneyzzq qqzv"  # a new word: the new result is shown
        await settle()
        assert app.main.answers.shown.query == "tcp chimneyzzq qqzv"


@pytest.mark.parametrize(("question", "answered"), [
    ("2008 R2 で同時に何台ライブマイグレーションできる", True),
    ("2012 R2 で同時に何台ライブマイグレーションできる", False),  # "R2" of another year
    ("how many live migrations at once on 2012 R2", False),
])
def test_a_version_suffix_after_an_unknown_number_is_another_version(engine, question, answered):
    # The shipped content covers 2008 R2 only; "R2" alone names it, "2012 R2" does not.
    result = engine.ask(question)
    assert bool(result.answers) is answered, result.candidates


def test_the_example_question_is_the_knowledge_bases_own(tmp_path: Path) -> None:
    """kb.toml's [example] is what the question box and the empty-question message suggest;
    a knowledge base without one gets no example (not the shipped content's), and its other
    language stands in for a language it lacks."""
    from kb.content.profile import parse_profile
    from tui.i18n import with_example

    problems: list = []
    profile = parse_profile('[example]\nen = "How do I undo a commit?"\n', "kb.toml", problems)
    assert problems == [] and profile.sample("ja") == profile.sample("en") == "How do I undo a commit?"
    assert with_example("question_placeholder", "ja", profile.sample("ja")) == "質問を入力 (例: How do I undo a commit?)"
    bad = parse_profile('[example]\nfr = "x"\n', "kb.toml", problems)
    assert bad.sample("en") == "" and problems and problems[0].field == "example"
    env = {"FAQ_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    for data, expected in ((ROOT / "faq_data", '(例: faq ask "CSV は必要?")'),
                           (KBS / "git", '(例: faq ask "…するにはどうすればよいですか")')):
        done = subprocess.run([sys.executable, "-m", "tui.cli", "--data", str(data), "--lang", "ja", "ask", " "],
                              capture_output=True, text=True, cwd=ROOT, env=env, check=False)
        assert done.returncode == 2 and "質問が空です" in done.stderr and "Traceback" not in done.stderr
        assert expected in done.stderr


@run_async
async def test_the_cluster_tab_is_offered_only_where_an_entry_links_a_validator(tmp_path: Path) -> None:
    """A help desk's FAQ links no validator: no Cluster tab, and neither o nor 5 opens one;
    the shipped content links the cluster validator and has it."""
    from tui.app.app import make_app

    for root, offered in ((KBS / "helpdesk", False), (ROOT / "faq_data", True)):
        app = make_app(kb_root=root, cache_dir=tmp_path / "cache", data_home=tmp_path / "home", lang="ja",
                       cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await _ready(app, pilot)
            assert app.main.tabs.get_tab("cluster").display is offered
            assert app.main.cluster_offered is offered
            await pilot.press("f1")
            await pilot.pause()
            helped = " ".join(f"{keys} {text}" for keys, text in app.screen.rows)
            assert ("クラスター" in helped) is offered and ("1 2 3 4 5" in helped) is offered
            assert "1 2 3 4" in helped
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("escape", "5")
            await pilot.pause()
            assert (app.main.tabs.active == "cluster") is offered
            await pilot.press("1", "o")
            await pilot.pause()
            assert (app.screen.id != "main") is offered  # the cluster file dialog
            if offered:
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("ctrl+q")


@run_async
async def test_the_example_and_name_reach_the_screen_without_control_codes(tmp_path: Path) -> None:
    """kb.toml is content: an escape sequence in its [example] was drawn into the question box
    as it is, and the terminal obeyed it (a green background in the capture)."""
    import shutil

    from tui.app.app import make_app

    root = tmp_path / "kb"
    shutil.copytree(KBS / "git", root)
    (root / "kb.toml").write_text('[name]\nen = "Git\\u001b[41m FAQ"\n[example]\nen = "How\\u001b[42m do I?"\n',
                                  encoding="utf-8")
    app = make_app(kb_root=root, cache_dir=tmp_path / "cache", data_home=tmp_path / "home", lang="en",
                   cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for shown in (app.main.question.placeholder, app.title):
            assert "\x1b" not in shown and "[4" in shown, shown  # shown, as the CLI shows it: ^[
        await pilot.press("f2")
        await pilot.pause()
        assert "\x1b" not in app.main.question.placeholder and "\x1b" not in app.title
        await pilot.press("ctrl+q")
