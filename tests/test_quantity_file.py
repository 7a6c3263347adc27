"""The checks' quantity table kept in the cache folder equals the one made from the checks, and
is made again from them whenever the file is damaged, stale, or a check was registered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.checks import quantity_file
from kb.checks.registry import BUILTIN, Registry
from tests import toy_check
from tests.conftest import REAL_DATA, ROOT


def _fresh() -> Registry:
    return Registry(BUILTIN)


def _same(a, b) -> bool:
    return (a.signature == b.signature and {k: p.pattern for k, p in a.patterns.items()}
            == {k: p.pattern for k, p in b.patterns.items()} and a.unit_words == b.unit_words
            and dict(a.by_check) == dict(b.by_check))


def _kept(cache: Path) -> Path:
    [path] = cache.glob(f"{quantity_file.PREFIX}*.json")
    return path


def test_a_kept_table_equals_the_checks_own_and_loads_no_check(tmp_path):
    made = _fresh().quantity_table()
    first = _fresh()
    assert _same(first.keep_quantities(tmp_path), made)
    assert first.known_ids() == frozenset(BUILTIN)
    second = _fresh()
    kept = second.keep_quantities(tmp_path)
    assert _same(kept, made) and kept.patterns  # the built-in checks have quantities
    assert not second._checks and second._pending == BUILTIN  # no check module was asked for
    assert second.quantity_table() is kept  # made once per registry
    assert kept.kinds("16gb の vm を 1gbps で") == made.kinds("16gb の vm を 1gbps で") == ["qty-memory", "qty-speed"]


@pytest.mark.parametrize("damage", [
    lambda data: "{not json",
    lambda data: json.dumps({**data, "version": 0}),
    lambda data: json.dumps({**data, "patterns": {"qty-memory": "(unclosed"}}),
    lambda data: json.dumps({**data, "patterns": {"qty-memory": 5}}),
    lambda data: json.dumps({**data, "by_check": {"migration-time": "qty-memory"}}),
    lambda data: json.dumps({**data, "files": {}}),
    # A module file changed since the table was made (its stat line differs): made again.
    lambda data: json.dumps({**data, "files": {**data["files"], next(iter(data["files"])): "1:2:3:4"}}),
    lambda data: json.dumps({**data, "files": {**data["files"], "/nonexistent/kb/checks/gone.py": "1:2:3:4"}}),
])
def test_a_damaged_or_stale_file_means_the_checks_make_it_again(tmp_path, damage):
    made = _fresh().quantity_table()
    _fresh().keep_quantities(tmp_path)
    path = _kept(tmp_path)
    path.write_text(damage(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
    assert quantity_file.read_table(path) is None
    again = _fresh()
    assert _same(again.keep_quantities(tmp_path), made)
    assert again._checks  # the checks were loaded to make it
    assert quantity_file.read_table(_kept(tmp_path)) is not None  # and it was written again


def test_the_file_names_the_files_it_was_made_from(tmp_path):
    _fresh().keep_quantities(tmp_path)
    files = json.loads(_kept(tmp_path).read_text(encoding="utf-8"))["files"]
    for module in BUILTIN.values():
        assert str(ROOT / Path(*module.split("."))) + ".py" in files
    assert oct(_kept(tmp_path).stat().st_mode & 0o777) == "0o600"


def test_a_registered_check_counts_whatever_is_kept(tmp_path):
    registry = _fresh()
    before = registry.keep_quantities(tmp_path)
    registry.register(toy_check.CHECK)
    with_toy = registry.keep_quantities(tmp_path)
    assert "qty-widgets" in with_toy.patterns and "qty-widgets" not in before.patterns
    assert with_toy.signature != before.signature
    registry.unregister(toy_check.ID)
    assert _same(registry.quantity_table(), before)
    assert _same(_fresh().keep_quantities(tmp_path), before)  # the kept file has only the built-ins


def test_an_unwritable_cache_still_gives_the_table(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        assert _same(_fresh().keep_quantities(folder), _fresh().quantity_table())
        assert not list(folder.iterdir())
    finally:
        folder.chmod(0o700)


def test_answers_with_a_kept_table_equal_answers_made_from_the_checks(tmp_path):
    """Two processes on one cache: the first makes the table, the second reads it; both answer alike."""
    probe = ("import sys, json\n"
             "from tui.cli import main\n"
             "main(['ask', '--json', sys.argv[1]])\n"
             "print(json.dumps('kb.checks.spec' in sys.modules), file=sys.stderr)\n")
    env = {**os.environ, "FAQ_CACHE_DIR": str(tmp_path / "cache"), "FAQ_DATA": str(REAL_DATA), "FAQ_NO_LOG": "1"}
    for question in ["16GB の VM を 1Gbps で移行すると何秒", "CSV は必須ですか"]:
        outputs = []
        for _ in range(2):
            proc = subprocess.run([sys.executable, "-c", probe, question], env=env, cwd=ROOT, capture_output=True,
                                  text=True, timeout=300, check=True)
            outputs.append(json.loads(proc.stdout))
        assert outputs[0] == outputs[1] and outputs[0]["answers"]
    # The second process for a question without checks loaded none (its answer links none).
    assert json.loads(proc.stderr.strip().splitlines()[-1]) is False


def test_a_file_edited_while_the_process_imported_it_is_not_kept(tmp_path, monkeypatch):
    from kb import started

    monkeypatch.setattr(started, "IMPORTED_NS", 0)  # every module file looks changed after the import began
    assert _same(_fresh().keep_quantities(tmp_path), _fresh().quantity_table())
    assert not list(tmp_path.glob(f"{quantity_file.PREFIX}*.json"))


def test_a_cache_that_is_not_a_folder_still_gives_the_table(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")  # writing into it fails for root too
    assert _same(_fresh().keep_quantities(blocker), _fresh().quantity_table())
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_check_outside_kb_is_made_again_when_its_file_changes(tmp_path):
    """A check module of the user's own (not under kb): editing it must not leave the old table."""
    source = (ROOT / "tests" / "toy_check.py").read_text(encoding="utf-8")
    module = tmp_path / "own_check.py"
    probe = ("import sys, json\n"
             "from kb.checks.registry import Registry\n"
             "table = Registry({'toy-double': 'own_check'}).keep_quantities(__import__('pathlib').Path(sys.argv[1]))\n"
             "print(json.dumps([table.kinds('12 widgets'), table.kinds('12 gadgets'),\n"
             "                  'own_check' in sys.modules]))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}

    def run() -> list:
        proc = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "cache")], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120, check=True)
        return json.loads(proc.stdout)

    def write(text: str, age: int) -> None:
        module.write_text(text, encoding="utf-8")
        stamp = module.stat().st_mtime - age  # older than the next process: it may be kept
        os.utime(module, (stamp, stamp))

    (tmp_path / "cache").mkdir()
    write(source, 20)
    assert run() == [["qty-widgets"], [], True]  # made from the module
    assert run() == [["qty-widgets"], [], False]  # kept: the module was not imported
    edited = source.replace('r"widgets?\\b", ("widget",)', 'r"gadgets?\\b", ("gadget",)')
    assert edited != source
    write(edited, 10)
    assert run() == [[], ["qty-widgets"], True]  # the edit is seen, not the old table
    assert run() == [[], ["qty-widgets"], False]
