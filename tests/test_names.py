"""Dotted and underscored names ("core.autocrlf", "pg_hba.conf") in questions, as the content writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import open_kb

ENTRIES = {
    "line-endings": ("How do I stop line endings from changing on checkout?",
                     "Set `core.autocrlf` to `input` on Linux and macOS, and to `true` on Windows."),
    "commit-editor": ("Which program opens for a commit message?",
                      "The one named by `core.editor`, or else by the EDITOR variable."),
    "author-name": ("What name is written on my commits?", "The value of `user.name` in your configuration."),
    "web-proxy": ("How do I go through a web proxy?", "Set `http.proxy` to the proxy's address and port."),
    "server-auth": ("Which clients may connect to the server?",
                    "The rules in `pg_hba.conf`, read from top to bottom; the first match decides."),
}


def write_kb(root: Path) -> Path:
    (root / "entries").mkdir(parents=True)
    (root / "tags.toml").write_text("", encoding="utf-8")
    (root / "glossary.toml").write_text("", encoding="utf-8")
    for entry_id, (question, answer) in ENTRIES.items():
        (root / "entries" / f"{entry_id}.md").write_text(
            f'+++\nid = "{entry_id}"\ntags = []\nrelated = []\napplies_to = [\"Tool\"]\nchecks = []\n\n'
            f'[en]\nquestion = "{question}"\nalternates = []\n+++\n\n<!-- en -->\n{answer}\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("names")
    library = open_kb(write_kb(root / "kb"), root / "cache", snapshot=False)
    yield library
    library.close()


@pytest.mark.parametrize(("question", "expected"), [
    ("core.autocrlf", "line-endings"),
    ("core.editor", "commit-editor"),
    ("user.name", "author-name"),
    ("pg_hba.conf", "server-auth"),
])
def test_a_name_the_content_writes_is_answered_as_that_name(library, question: str, expected: str) -> None:
    # The question is cut at the dot as well ("core", "autocrlf"); the content never writes
    # those parts alone, and they must not count as unknown words against every entry.
    result = library.ask(question, run_checks=False)
    assert [a.id for a in result.answers][:1] == [expected]


def test_the_parts_of_a_known_name_are_not_features(library) -> None:
    features = library.engine.analyzer.analyze("core.autocrlf").features
    assert "core.autocrlf" in features
    assert "core" not in features and "autocrlf" not in features


def test_a_part_also_written_on_its_own_stays(library) -> None:
    # "proxy" is a word of the content, and the question writes it outside the name too.
    features = library.engine.analyzer.analyze("http.proxy or another proxy").features
    assert {"http.proxi", "proxi"} <= set(features)
    # "autocrlf" is no word of the content on its own: it stays because the question writes
    # it alone beside the name (and is left out when only the name holds it, above).
    features = library.engine.analyzer.analyze("core.autocrlf or autocrlf").features
    assert "core.autocrlf" in features and "autocrlf" in features


def test_a_name_the_content_lacks_keeps_its_parts(library) -> None:
    features = library.engine.analyzer.analyze("core.pager").features
    assert {"core.pag", "core", "pager"} <= set(features)
