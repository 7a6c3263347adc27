"""`faq import`: FAQ documents into a knowledge-base folder, with a report of what was taken and left."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.errors import InputError
from tui.cli import import_text as _messages  # noqa: F401 - adds the import messages to the catalog
from tui.cli.text import Help
from tui.i18n import t
from tui.safe import clean_line, dumps_json

if TYPE_CHECKING:  # the importer loads only when `faq import` runs, not with every command
    from kb.importing.plan import ImportPlan

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2
_SHOWN = 100  # a dropped piece longer than this is cut in the readable report


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help) -> None:
    """Add `faq import` to `faq`."""
    p = sub.add_parser(
        "import", parents=[common],
        help=h("FAQ 文書 (txt、html、md、rst、csv、tsv、docx) を知識ベースのフォルダーに取り込む",
               "turn FAQ documents (txt, html, md, rst, csv, tsv, docx) into a knowledge base folder"))
    p.add_argument("sources", nargs="+", metavar=h("文書", "SOURCE"),
                   help=h("ファイル。FILE@ja や FILE@en で言語を指定", "a file; FILE@ja or FILE@en gives its language"))
    p.add_argument("--out", type=Path, required=True,
                   help=h("作成する、または追加する知識ベースのフォルダー", "the knowledge base folder to create or add to"))
    p.add_argument("--source-lang", choices=["ja", "en"], default="",
                   help=h("@ja/@en のない文書の言語 (既定: 自動判定)",
                          "language of sources given without @ja/@en (default: detected)"))
    p.add_argument("--dry-run", action="store_true", help=h("報告だけで、何も書き込まない", "report only; write nothing"))
    p.add_argument("--tui", action="store_true", help=h("取り込んだ知識ベースでアプリを開く",
                                                         "open the app on the imported knowledge base"))
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from kb.importing.plan import apply_plan, plan_import
    from kb.importing.reading import parse_source
    from kb.importing.report import report_of

    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise InputError(t("imp_not_folder", "en"), path=str(out), field="--out", ja=t("imp_not_folder", "ja"))
    sources = [parse_source(s, args.source_lang) for s in args.sources]
    plan = plan_import(sources, out)
    report = report_of(plan, args.lang)
    refused: list[str] = []
    if plan.found and not args.dry_run:
        try:
            refused = apply_plan(plan)
        except OSError as exc:
            raise InputError(t("imp_cannot_write", "en", error=exc.strerror or exc),
                             path=str(exc.filename or out), ja=t("imp_cannot_write", "ja", error=exc.strerror or exc)
                             ) from None
    if args.json:
        sys.stdout.write(dumps_json(report[0] if len(report) == 1 else report) + "\n")
    else:
        sys.stdout.write(format_report(plan, report, args.lang, args.dry_run, refused))
    if not plan.found:
        if not args.json:
            sys.stderr.write(f"faq: {t('imp_none_found', args.lang)}\n")
        return EXIT_NOTHING
    if args.tui and not args.dry_run:
        from tui.app.app import run_app

        args.data = out
        return run_app(args)
    return EXIT_OK


def format_report(plan: ImportPlan, report: list[dict[str, Any]], lang: str, dry_run: bool,
                  refused: list[str]) -> str:
    """The readable report: per source its entries, flags and dropped pieces; then the files."""
    from kb.importing.flags import FLAGS

    lines: list[str] = []
    for source in report:
        lines.append(t("imp_head_dry" if dry_run else "imp_head", lang, source=clean_line(source["source"]),
                       out=clean_line(str(plan.out))))
        lines += [t("imp_note", lang, note=clean_line(n)) for n in source["notes"]]
        entries = source["entries"]
        if not entries:
            lines.append(t("imp_nothing", lang))
        statuses = [e["status"] for e in entries]
        lines.append(t("imp_summary", lang, n=len(entries), new=statuses.count("new"),
                       updated=statuses.count("updated"), unchanged=statuses.count("unchanged"),
                       kept=sum(s.startswith("kept") for s in statuses),
                       flagged=sum(1 for e in entries if e["flags"]),
                       bilingual=len({e["id"] for e in entries if _bilingual(plan, e["id"])}),
                       dropped=len(source["dropped"])))
        if entries:
            lines.append(t("imp_entries", lang))
        for e in entries:
            status = t(f"imp_st_{e['status']}", lang) if e["status"] else ""
            lines.append(t("imp_entry", lang, status=status, id=e["id"], language=e["lang"], line=e["source_line"],
                           question=clean_line(e["question"])))
            for flag in e["flags"]:
                note = FLAGS.get(flag, (flag, flag))[0 if lang == "ja" else 1]
                lines.append(t("imp_flag", lang, flag=flag, note=note))
        if source["dropped"]:
            lines.append(t("imp_dropped", lang))
        for d in source["dropped"]:
            text = clean_line(d["text"])
            lines.append(t("imp_dropped_line", lang, line=d["line"], why=d["why"],
                           text=text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"))
        if source["gone"]:
            lines.append(t("imp_gone", lang, ids=", ".join(source["gone"])))
        lines.append("")
    if plan.found:
        if plan.glossary:
            terms = ", ".join(f"{g.id.upper()} = {(g.names.get('ja', []) + g.names.get('en', []))[0]}"
                              for g in plan.glossary)
            lines.append(t("imp_glossary", lang, n=len(plan.glossary), terms=clean_line(terms)))
        lines.append(t("imp_drafts", lang))
        writes = [f for f in plan.writes if f.relative not in refused]
        if dry_run:
            lines.append(t("imp_would", lang, n=len(plan.writes)))
        elif writes:
            lines.append(t("imp_written", lang, n=len(writes), out=clean_line(str(plan.out))))
        else:
            lines.append(t("imp_unchanged", lang, out=clean_line(str(plan.out))))
        lines += [t("imp_refused", lang, path=clean_line(r)) for r in refused]
        lines.append(t("imp_next", lang, out=clean_line(str(plan.out))))
    return "\n".join(lines) + "\n"


def _bilingual(plan: ImportPlan, entry_id: str) -> bool:
    return sum(1 for v in plan.entry_of.values() if v == entry_id) > 1
