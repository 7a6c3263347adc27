"""The engine holds no domain knowledge: no product, version or topic word in its code.

What is specific to a knowledge base comes from its files (kb.toml, applies_to, the
glossary). Code is scanned, not prose: identifiers and string literals, without comments
and docstrings (their examples may name anything). Domain code belongs in kb/checks/ (one
plug-in per check) and the checks' own front ends.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The engine: loading, analysis, index, retrieval, the front door, and the CLI's non-check commands.
ENGINE = [*(ROOT / "kb").glob("*.py"), *(ROOT / "kb" / "content").glob("*.py"), *(ROOT / "kb" / "text").glob("*.py"),
          *(ROOT / "kb" / "index").glob("*.py"), *(ROOT / "kb" / "retrieval").glob("*.py"),
          *(ROOT / "kb" / "importing").glob("*.py"), ROOT / "kb" / "training" / "store.py",
          *(ROOT / "tui" / "cli").glob("*.py"), ROOT / "tui" / "i18n.py", ROOT / "tui" / "paths.py",
          ROOT / "tui" / "settings.py", ROOT / "tui" / "question_log.py", ROOT / "tui" / "safe.py",
          ROOT / "tui" / "app" / "loading.py", ROOT / "tui" / "app" / "state.py"]
# The checks' front ends and the checks' quiz templates are the checks' own (moving into
# their plug-ins); the quantity table is the hook the check registry will fill.
# The catalog's check messages and the cluster check's error class go with the check plug-ins.
NOT_ENGINE = {"tui/cli/checks.py", "tui/cli/training.py", "tui/i18n.py"}
# "CSV" the file format (import), schema migrations of the progress store, and the app
# setting that names the cluster file `faq check --tui` opens, are not the shipped domain's words.
_FORMAT = ("spreadsheets are not supported: export the sheet as CSV", "スプレッドシートは読み込めません。CSV で書き出してください")
ALLOWED = {
    *(("kb/importing/reading.py", s) for s in (".csv", "csv", *_FORMAT)), *(("kb/importing/read_docx.py", s) for s in _FORMAT),
    ("kb/importing/read_table.py", "csv"), ("kb/importing/read_table.py", "not valid CSV: "),
    ("tui/cli/pager.py", "csv"),  # the --csv output option, never paged
    ("kb/importing/read_table.py", "有効な CSV ではありません: "), ("kb/training/store.py", "MIGRATIONS"),
    ("tui/app/state.py", "cluster_file"),
    ("tui/cli/importer.py", "FAQ 文書 (txt、html、md、rst、csv、tsv、docx) を知識ベースのフォルダーに取り込む"),
    ("tui/cli/importer.py", "turn FAQ documents (txt, html, md, rst, csv, tsv, docx) into a knowledge base folder"),
    ("kb/errors.py", "ClusterFileError"),
    ("kb/text/glossary.py", "migration-time"), ("kb/text/glossary.py", "max-concurrent-migrations"),
    ("kb/text/glossary.py", "cluster-validator"),
}
DOMAIN = re.compile(r"hyper-?v|windows|vmware|vmotion|vsphere|azure|\baws\b|migrat|cluster|\bcsv\b|postgres|\bgit\b"
                    r"|scvmm|\b20(?:08|12)\b|\br2\b|ライブ|マイグレーション|クラスター", re.IGNORECASE)


def _code_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant) and isinstance(node.body[0].value.value, str)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            out.append(node.value)
        elif isinstance(node, ast.Name):
            out.append(node.id)
        elif isinstance(node, ast.Attribute):
            out.append(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            out.append(node.name)
    return out


def _files() -> list[Path]:
    return sorted(p for p in ENGINE if p.relative_to(ROOT).as_posix() not in NOT_ENGINE)


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_domain_word_in_engine_code(path: Path) -> None:
    rel = path.relative_to(ROOT).as_posix()
    found = [s for s in _code_strings(path) if DOMAIN.search(s) and (rel, s) not in ALLOWED]
    assert not found, f"{rel}: domain words in code: {found[:5]}"


def test_the_scan_catches_code_but_not_prose(tmp_path: Path) -> None:
    path = tmp_path / "engine.py"
    path.write_text('"""Examples may name vMotion."""\n# a comment about Azure\nOTHER = ["aws", "ok"]\n',
                    encoding="utf-8")
    found = [s for s in _code_strings(path) if DOMAIN.search(s)]
    assert found == ["aws"]


# The front end's own words: the cluster file is the validator's input format (its keys and
# messages say "cluster"), but which requirements it is checked against comes from the check
# plug-in (Validator.against), and no product, version or topic word is the front end's.
TOPIC = re.compile(r"hyper-?v|windows|vmware|vmotion|vsphere|azure|\baws\b|migrat|postgres|\bgit\b"
                   r"|scvmm|\b20(?:08|12)\b|\br2\b|ライブ|マイグレーション", re.IGNORECASE)
FRONT_END = sorted((ROOT / "tui").rglob("*.py"))
# None is expected; an exception would be listed here with its reason.
FRONT_END_ALLOWED: set[tuple[str, str]] = set()


@pytest.mark.parametrize("path", FRONT_END, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_topic_word_in_front_end_code(path: Path) -> None:
    rel = path.relative_to(ROOT).as_posix()
    found = [s for s in _code_strings(path) if TOPIC.search(s) and (rel, s) not in FRONT_END_ALLOWED]
    assert not found, f"{rel}: topic words in code: {found[:5]}"
