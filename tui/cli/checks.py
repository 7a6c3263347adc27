"""`faq calc` (the calculators) and `faq check` (the offline cluster validator)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kb.checks import (
    DEFAULT_EFFICIENCY,
    LOAD_DIRTY_RATE,
    CheckResult,
    Report,
    load_cluster,
    max_concurrent_migrations,
    migration_time,
    validate_cluster,
)
from kb.checks.concurrency import MAX_NODES
from kb.checks.units import (
    format_number,
    format_seconds,
    parse_count,
    parse_link_mbps,
    parse_number,
    parse_rate_mbps,
    parse_size_mb,
)
from kb.errors import InputError
from tui.cli.exit_codes import EXIT_OK, EXIT_PROBLEM
from tui.cli.render import output_width, wrap_text
from tui.cli.text import Help
from tui.i18n import format_message
from tui.safe import clean, clean_line, dumps_json

# migration_time names its own parameters; on the command line the user typed options.
_OPTION_OF = {"memory_mb": "--memory", "link_mbps": "--link", "dirty_rate_mbps": "--dirty-rate",
              "efficiency": "--efficiency", "load": "--load"}
MIN_NODES = 2  # live migration moves a VM to another node
_SEVERITY_TITLE = {
    "error": ("エラー", "Errors"), "warning": ("警告", "Warnings"), "info": ("情報", "Info"),
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help) -> None:
    """Add `calc` and `check` to `faq`."""
    calc = sub.add_parser("calc", parents=[common], help=h("compute a check", "計算する"),
                          description=h("Run one calculator.", "計算を 1 つ実行します。"))
    calcs = calc.add_subparsers(dest="calc", metavar=h("CHECK", "計算"), required=True)
    nodes = calcs.add_parser(
        "max-concurrent-migrations", parents=[common],
        help=h("live migrations a cluster runs at once", "同時に実行できるライブ マイグレーションの数"))
    nodes.add_argument("--nodes", required=True, help=h(f"cluster nodes, {MIN_NODES}-{MAX_NODES}",
                                                        f"クラスターのノード数 ({MIN_NODES} から {MAX_NODES})"))
    nodes.set_defaults(func=_calc_concurrent)

    loads = ", ".join(f"{k} {v:g}" for k, v in LOAD_DIRTY_RATE.items())
    mig = calcs.add_parser(
        "migration-time", parents=[common],
        help=h("time and pause of one live migration", "ライブ マイグレーション 1 回の所要時間と一時停止"),
        epilog=h("Memory sizes are decimal (1 GB = 1000 MB; GiB converts exactly). Every value "
                 "needs its unit (8GB, 1Gbps, 50MB/s): a bare number is refused. Exit status 1 "
                 "when the copy does not converge.",
                 "メモリ サイズは 10 進 (1 GB = 1000 MB、GiB は正確に換算) です。値には必ず単位を"
                 "付けてください (8GB、1Gbps、50MB/s)。単位のない数値は受け付けません。コピーが収束しない"
                 "ときの終了コードは 1 です。"))
    mig.add_argument("--memory", required=True, help=h("VM memory: 8GB, 8GiB, 512MB", "仮想マシンのメモリ: 8GB、8GiB、512MB"))
    mig.add_argument("--link", required=True, help=h("link speed: 1Gbps, 10GbE", "リンク速度: 1Gbps、10GbE"))
    rate = mig.add_mutually_exclusive_group()
    rate.add_argument("--dirty-rate", help=h("memory dirtied per second: 50MB/s", "1 秒あたりに書き換わるメモリ: 50MB/s"))
    rate.add_argument("--load", help=h(f"instead of --dirty-rate, in MB/s: {loads} (default medium)",
                                       f"--dirty-rate の代わりに負荷で指定 (MB/s): {loads} (既定 medium)"))
    mig.add_argument("--efficiency", default=None,
                     help=h(f"share of the link migration uses (default {DEFAULT_EFFICIENCY})",
                            f"移行が使えるリンク帯域の割合 (既定 {DEFAULT_EFFICIENCY})"))
    mig.set_defaults(func=_calc_migration)

    check = sub.add_parser(
        "check", parents=[common], help=h("validate a cluster file", "クラスター構成ファイルを検証"),
        description=h("Check a cluster description (TOML) against the live migration "
                      "requirements. Exit status: 0 no errors, 1 errors, 2 invalid file.",
                      "クラスターの構成 (TOML) をライブ マイグレーションの要件に照らして検査します。"
                      "終了コード: 0 エラーなし、1 エラーあり、2 ファイルが不正。"))
    check.add_argument("cluster", type=Path, metavar="CLUSTER.toml",
                       help=h("the cluster file (an example: faq examples cluster > cluster.toml)",
                              "クラスター構成ファイル (例の保存: faq examples cluster > cluster.toml)"))
    check.add_argument("--tui", action="store_true", help=h("show the report in the app", "結果をアプリで表示"))
    check.set_defaults(func=_check)


def _calc_concurrent(args: argparse.Namespace) -> int:
    nodes = parse_count(args.nodes, "--nodes")
    # A bad count is a bad input (one line, exit 2), as for every other option: live
    # migration needs two nodes, and a 2008 R2 failover cluster has at most 16.
    if not MIN_NODES <= nodes <= MAX_NODES:
        raise InputError(f"must be between {MIN_NODES} and {MAX_NODES}, not {nodes}: live migration needs a "
                         f"cluster of two or more nodes, and a 2008 R2 failover cluster has at most {MAX_NODES}",
                         ja=f"{MIN_NODES} から {MAX_NODES} までの値を指定してください (指定値: {nodes})。"
                            f"ライブ マイグレーションには 2 ノード以上のクラスターが必要で、2008 R2 の"
                            f"フェールオーバー クラスターは最大 {MAX_NODES} ノードです",
                         field="--nodes")
    result = max_concurrent_migrations(nodes)
    return _print_result(args, result)


def _calc_migration(args: argparse.Namespace) -> int:
    memory = parse_size_mb(args.memory, "--memory", require_unit=True)
    link = parse_link_mbps(args.link, "--link", require_unit=True)
    dirty = None if args.dirty_rate is None else parse_rate_mbps(args.dirty_rate, "--dirty-rate",
                                                                 require_unit=True)
    eff = DEFAULT_EFFICIENCY if args.efficiency is None else parse_number(args.efficiency,
                                                                          "--efficiency")
    try:
        result = migration_time(memory, link, dirty, load=args.load or "medium", efficiency=eff)
    except InputError as exc:
        raise InputError(exc.message, ja=exc.message_ja,
                         field=_OPTION_OF.get(exc.field or "", exc.field)) from None
    return _print_result(args, result)


def _print_result(args: argparse.Namespace, result: CheckResult) -> int:
    if args.json:
        print(dumps_json(result.to_json(args.lang), indent=2))
    else:
        print(wrap_text(format_result(result, args.lang), output_width(sys.stdout)))
    return EXIT_OK if result.ok else EXIT_PROBLEM


def format_result(result: CheckResult, lang: str) -> str:
    """A calculator's result for the terminal: the figures, the why, and where to read more."""
    ja = lang == "ja"
    lines: list[str] = []
    if result.value is None:
        lines.append("計算できません。" if ja else "Not computed.")
    elif result.check == "max-concurrent-migrations":
        lines.append(f"同時に実行できるライブ マイグレーション: 最大 {result.value} 個" if ja
                     else f"Live migrations at once: at most {result.value}")
    else:
        lines.extend(_migration_lines(result.value, result.extra, lang))
    lines += ["", result.explain(lang), "", f"→ faq show {result.entry}"]
    return "\n".join(lines)


def _migration_lines(total: float, extra: dict[str, Any], lang: str) -> list[str]:
    pause, sent = format_number(extra["pause_seconds"]), format_number(extra["data_sent_mb"])
    passes = extra["passes"]
    if lang == "ja":
        return [f"移行時間: 約 {format_seconds(total, 'ja')}", f"一時停止: 約 {pause} 秒",
                f"コピー パス: {passes} 回、送信データ: {sent} MB、"
                f"収束: {'する' if extra['converges'] else 'しない'}"]
    return [f"Migration time: about {format_seconds(total, 'en')}", f"Pause: about {pause} s",
            f"Copy passes: {passes}, data sent: {sent} MB, "
            f"converges: {'yes' if extra['converges'] else 'no'}"]


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
        print(format_report(report, args.lang, str(args.cluster)))
    return EXIT_PROBLEM if report.summary()["errors"] else EXIT_OK


def format_report(report: Report, lang: str, path: str = "") -> str:
    """The validator's report for the terminal, grouped errors, warnings, then info."""
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
            lines.append(f"    → faq show {f.entry}")
    s = report.summary()
    lines.append("")
    if ja:
        lines.append(f"エラー {s['errors']} 件、警告 {s['warnings']} 件、情報 {s['info']} 件")
    else:
        lines.append(format_message("{e:#error|errors}, {w:#warning|warnings}, {i} info", e=s["errors"],
                                    w=s["warnings"], i=s["info"]))
    return clean("\n".join(lines))
