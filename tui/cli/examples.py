"""`faq examples`: the example files the content ships (inputs for `faq check`), wherever it is installed.

After ``pip install .`` the content lives in the package (``kb/_data``), so a path such as
``faq_data/examples/`` does not exist for the user after `pip install`; this command finds the
examples wherever the content is and prints one, to read or to save and edit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.content.files import read_text_file
from kb.errors import InputError, KbError
from tui.cli import context
from tui.cli.exit_codes import EXIT_OK
from tui.cli.suggest import did_you_mean
from tui.cli.text import Help
from tui.safe import clean, clean_line, dumps_json

M: dict[str, tuple[str, str]] = {  # key: (ja, en)
    "none": ("例はありません: {path}", "No examples in {path}"),
    "unknown": ("例 {name!r} はありません (faq examples で一覧){hint}",
                "no example {name!r} (see faq examples){hint}"),
    "usage": ("保存して検証: faq examples {name} > {name}.toml && faq check {name}.toml",
              "Save and check: faq examples {name} > {name}.toml && faq check {name}.toml"),
}


def _t(key: str, lang: str, **values: object) -> str:
    ja, en = M[key]
    return (en if lang == "en" else ja).format(**values)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help) -> None:
    """Add `examples` to `faq`."""
    p = sub.add_parser("examples", parents=[common],
                       help=h("内容に同梱の例ファイルの一覧、または 1 つを表示", "list the example files the content ships, or print one"),
                       description=h("内容に同梱の例ファイルです。"
                                     "faq examples NAME > my.toml で保存し、編集して faq check で検証できます。",
                                     "The example files bundled with the content. "
                                     "faq examples NAME > my.toml saves one to edit for faq check."))
    p.add_argument("name", nargs="?", help=h("表示する例の名前 (.toml なし)", "example to print (without .toml)"))
    p.set_defaults(func=cmd_examples)


def examples_dir(args: argparse.Namespace) -> Path:
    """The examples folder of the content in use (checkout, $FAQ_DATA, --data or bundled)."""
    return context.data_dir(args) / "examples"


def list_examples(folder: Path) -> dict[str, Path]:
    """Example name -> file, sorted by name."""
    return {p.stem: p for p in sorted(folder.glob("*.toml"))} if folder.is_dir() else {}


def _summary(path: Path) -> str:
    """The first comment line of an example: what it describes."""
    try:
        text = read_text_file(path, encoding="utf-8")
    except KbError:
        return ""
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""


def cmd_examples(args: argparse.Namespace) -> int:
    folder = examples_dir(args)
    found = list_examples(folder)
    if args.name:
        name = args.name.removesuffix(".toml")
        if name not in found:
            raise InputError(_t("unknown", "en", name=name, hint=did_you_mean(name, found, "en")),
                             ja=_t("unknown", "ja", name=name, hint=did_you_mean(name, found, "ja")), field="NAME")
        text = read_text_file(found[name], InputError, encoding="utf-8")
        if args.json:
            print(dumps_json({"name": name, "path": str(found[name]), "text": text}))
        else:
            sys.stdout.write(clean(text))
        return EXIT_OK
    if args.json:
        print(dumps_json([{"name": n, "path": str(p), "summary": _summary(p)} for n, p in found.items()], indent=2))
        return EXIT_OK
    if not found:
        print(_t("none", args.lang, path=folder))
        return EXIT_OK
    width = max(len(n) for n in found)
    for name, path in found.items():
        print(f"{name.ljust(width)}  {clean_line(_summary(path))}")
        print(f"{' ' * width}  {clean_line(str(path))}")
    print(_t("usage", args.lang, name=next(iter(found))))
    return EXIT_OK
