"""`faq calc` (the calculators) and `faq check` (the offline cluster validator).

`faq calc` has one subcommand per registered calculator, its options from the calculator's
parameters (kb.checks.registry): a new check needs nothing here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection
from functools import partial
from pathlib import Path

from kb.checks import CheckResult, Report, load_cluster, validate_cluster
from kb.checks.registry import calculator, calculators
from kb.checks.spec import Calculator, Param
from tui.cli.context import data_dir
from tui.cli.exit_codes import EXIT_OK, EXIT_PROBLEM
from tui.cli.render import output_width, wrap_text
from tui.cli.text import Help
from tui.i18n import checked_against, format_message, t
from tui.safe import clean, clean_line, dumps_json

_SEVERITY_TITLE = {
    "error": ("エラー", "Errors"), "warning": ("警告", "Warnings"), "info": ("情報", "Info"),
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help) -> None:
    """Add `calc` and `check` to `faq`."""
    calc = sub.add_parser("calc", parents=[common], help=h("計算する", "compute a check"),
                          description=h("計算を 1 つ実行します。", "Run one calculator."))
    calcs = calc.add_subparsers(dest="calc", metavar=h("計算", "CHECK"), required=True)
    for check in calculators():
        _add_calculator(calcs, common, h, check)

    check = sub.add_parser(
        "check", parents=[common], help=h("クラスター構成ファイルを検証", "validate a cluster file"),
        description=h(t("cluster_purpose", "ja", against=checked_against("ja"))
                      + "終了コード: 0 エラーなし、1 エラーあり、2 ファイルが不正。",
                      t("cluster_purpose", "en", against=checked_against("en"))
                      + " Exit status: 0 no errors, 1 errors, 2 invalid file."))
    check.add_argument("cluster", type=Path, metavar="CLUSTER.toml",
                       help=h("クラスター構成ファイル (例の保存: faq examples cluster > cluster.toml)",
                              "the cluster file (an example: faq examples cluster > cluster.toml)"))
    check.add_argument("--tui", action="store_true", help=h("結果をアプリで表示", "show the report in the app"))
    check.set_defaults(func=_check)


def _add_calculator(calcs: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help,
                    check: Calculator) -> None:
    """`faq calc ID` with an option per parameter, as the calculator declares them."""
    lang = h.lang
    parser = calcs.add_parser(check.id, parents=[common], help=check.help.text(lang),
                              epilog=check.epilog.text(lang) if check.epilog else None)
    groups: dict[str, argparse._MutuallyExclusiveGroup] = {}
    for param in check.params:
        target: argparse._ActionsContainer = parser
        if param.group is not None:
            if param.group not in groups:
                groups[param.group] = parser.add_mutually_exclusive_group()
            target = groups[param.group]
        # No argparse type or choices: the check's own parser refuses bad text in one line
        # naming the option, in the user's language.
        target.add_argument(param.option, dest=param.field, required=param.required, default=None,
                            help=param.help_text(lang))
    parser.set_defaults(func=partial(_calc, check.id))


def _option(param: Param) -> str:
    return param.option


def _calc(check_id: str, args: argparse.Namespace) -> int:
    check = calculator(check_id)
    assert check is not None  # the subcommand exists only for a registered calculator
    texts = {p.field: getattr(args, p.field, None) for p in check.params}
    values, errors = check.parse(texts, _option, strict=True)
    if errors:
        raise next(iter(errors.values()))
    return _print_result(args, check.run(values, _option))


def _print_result(args: argparse.Namespace, result: CheckResult) -> int:
    if args.json:
        print(dumps_json(result.to_json(args.lang), indent=2))
    else:
        print(wrap_text(format_result(result, args.lang, _entry_ids(args)), output_width(sys.stdout)))
    return EXIT_OK if result.ok else EXIT_PROBLEM


def _entry_ids(args: argparse.Namespace) -> set[str] | None:
    """The ids of the knowledge base's entry files, so that "→ faq show ID" names only one it has."""
    from kb.content.load import entry_paths

    root = data_dir(args)
    return {p.stem for p in entry_paths(root)} if (root / "entries").is_dir() else None


def format_result(result: CheckResult, lang: str, entries: Collection[str] | None = None) -> str:
    """A calculator's result for the terminal: the figures, the why, and where to read more."""
    check = calculator(result.check)
    if result.value is None or check is None:
        lines = ["計算できません。" if lang == "ja" else "Not computed."]
    else:
        lines = check.lines(result, lang)
    lines += ["", result.explain(lang)]
    if entries is None or result.entry in entries:
        lines += ["", f"→ faq show {result.entry}"]
    return "\n".join(lines)


def _check(args: argparse.Namespace) -> int:
    if getattr(args, "tui", False):
        try:
            from tui.app.app import run_app
        except ImportError:
            pass  # no app in this build: the text report below serves
        else:
            return run_app(args)
    report = validate_cluster(load_cluster(args.cluster))
    if args.json:
        print(dumps_json(report.to_json(args.lang), indent=2))
    else:
        print(format_report(report, args.lang, str(args.cluster), _entry_ids(args)))
    return EXIT_PROBLEM if report.summary()["errors"] else EXIT_OK


def format_report(report: Report, lang: str, path: str = "", entries: Collection[str] | None = None) -> str:
    """The validator's report for the terminal, grouped errors, warnings, then info; a finding
    points at its entry ("→ faq show ID") when the knowledge base has it (``entries``: its ids)."""
    ja = lang == "ja"
    name = clean_line(report.cluster)
    where = f" ({clean_line(path)})" if path else ""
    lines = [f"クラスター {name} の検証結果{where}" if ja else f"Cluster {name}{where}"]
    for severity, (title_ja, title_en) in _SEVERITY_TITLE.items():
        found = [f for f in report.findings if f.severity == severity]
        if not found:
            continue
        lines += ["", f"{title_ja if ja else title_en} ({len(found)})"]
        for f in found:
            lines.append(f"  - [{f.rule}] {clean_line(f.message.get(lang) or f.message['en'])}")
            involved = []
            if f.nodes:
                involved.append(("ノード: " if ja else "nodes: ") + ", ".join(f.nodes))
            if f.vms:
                involved.append(("仮想マシン: " if ja else "VMs: ") + ", ".join(f.vms))
            if involved:
                lines.append("    " + clean_line(" / ".join(involved)))
            if entries is None or f.entry in entries:
                lines.append(f"    → faq show {f.entry}")
    s = report.summary()
    lines.append("")
    if ja:
        lines.append(f"エラー {s['errors']} 件、警告 {s['warnings']} 件、情報 {s['info']} 件")
    else:
        lines.append(format_message("{e:#error|errors}, {w:#warning|warnings}, {i} info", e=s["errors"],
                                    w=s["warnings"], i=s["info"]))
    return clean("\n".join(lines))
