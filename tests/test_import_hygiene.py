"""`kb` is a pure library: importing all of it never pulls in Textual or Rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Run from the checkout: `python -c` and `-m` import from the current folder first, and from
# anywhere else they would import whatever copy of kb is installed instead of this one.
ROOT = Path(__file__).resolve().parent.parent


def test_kb_does_not_import_the_ui():
    code = (
        "import sys, pkgutil, importlib, kb\n"
        "for m in pkgutil.walk_packages(kb.__path__, 'kb.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'rich', 'tui'))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert proc.stdout.strip() == ""


def test_faq_ask_does_not_import_textual():
    code = "import sys; from tui.cli import parser, knowledge; print('textual' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert proc.stdout.strip() == "False"


def test_faq_ask_imports_neither_checks_cli_nor_training():
    code = ("import sys; from tui.cli.parser import build_parser; build_parser(['ask', 'x'])\n"
            "print(sorted(m for m in ('tui.cli.checks', 'tui.cli.training', 'fsrs') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert proc.stdout.strip() == "[]"


def test_opening_the_app_builds_no_subcommand_and_help_still_lists_them():
    # Plain `faq` opens the app: the subcommands' modules (checks, training, gaps) are not
    # imported for a parser that parses none of them; `faq -h` and `faq --he` list them all.
    code = ("import sys; from tui.cli.parser import build_parser, _asks_for_help\n"
            "for argv in ([], ['--lang', 'en'], ['-h'], ['--he'], ['--lang', 'ja', '--help']):\n"
            "    p = build_parser(argv, commands=_asks_for_help(argv))\n"
            "    print(sorted(p._subparsers._group_actions[0].choices))\n"
            "print(sorted(m for m in ('tui.cli.checks', 'tui.cli.training', 'tui.cli.gaps', 'fsrs') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    plain, english, short, abbreviated, long_help, *_ = proc.stdout.splitlines()
    assert plain == english == "[]"
    assert short == abbreviated == long_help and "'ask'" in short and "'quiz'" in short


def test_the_app_opens_without_the_subcommands_modules():
    code = ("import sys; from tui.cli.parser import build_parser, _asks_for_help\n"
            "build_parser(['--lang', 'en'], commands=_asks_for_help(['--lang', 'en']))\n"
            "print(sorted(m for m in ('tui.cli.checks', 'tui.cli.training', 'tui.cli.gaps', 'fsrs') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert proc.stdout.strip() == "[]"


def test_help_lists_every_command():
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--help"], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    for command in ("ask", "search", "calc", "check", "quiz", "progress", "lint", "eval"):
        assert command in proc.stdout


def test_commands_that_do_not_search_never_load_whoosh():
    # `faq show`, `list`, `tags`, `glossary` read the parsed content only: Whoosh's analysis and
    # query packages were half their start-up time, so they load with the first command that
    # needs the index (only its small Porter stemmer module is shared with kb.text.analysis).
    code = ("import sys\nfrom tui.cli.parser import main\n"
            "for argv in (['show', 'requirements'], ['list'], ['tags'], ['glossary', 'CSV']):\n"
            "    assert main(argv) == 0, argv\n"
            "print(sorted(m for m in ('whoosh.analysis', 'whoosh.query', 'whoosh.index', 'kb.retrieval.engine')\n"
            "             if m in sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def _kb_import_graph() -> dict[str, set[str]]:
    """Module -> the kb modules it imports anywhere in its text, lazy imports included."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = {}
    for path in (root / "kb").rglob("*.py"):
        name = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        files[name] = path
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    graph[name].add(submodule if submodule in files else node.module)
            elif isinstance(node, ast.Import):
                graph[name].update(alias.name for alias in node.names)
    return {name: {t for t in targets if t in files and t != name} for name, targets in graph.items()}


def test_nothing_in_kb_imports_in_a_circle():
    # A lazy import inside a function still makes a circle (training's items <-> generate was one).
    graph = _kb_import_graph()
    circles = []

    def walk(start: str, node: str, path: list[str]) -> None:
        for target in graph[node]:
            if target == start:
                circles.append(" -> ".join([*path, start]))
            elif target > start and target not in path:
                walk(start, target, [*path, target])

    for module in sorted(graph):
        walk(module, module, [module])
    assert circles == []
