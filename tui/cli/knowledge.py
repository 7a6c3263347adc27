"""`faq ask`, `search`, `show`, `list`, `tags`, `glossary`, `lint`, `index` and `eval`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.content.entry import Entry
from kb.errors import ContentError, InputError
from tui.cli import context
from tui.cli.text import Help

if TYPE_CHECKING:
    from kb.retrieval.engine import AskResult, Engine
from tui.cli.exit_codes import EXIT_NO_ANSWER, EXIT_OK
from tui.cli.pager import paged, show_text
from tui.cli.pipe import reader_gone
from tui.cli.render import Style, cell_width, pad, render_markdown, render_snippet, wrap_text
from tui.cli.suggest import did_you_mean
from tui.i18n import t, with_example
from tui.safe import clean_line, dumps_json, from_terminal, read_line


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help) -> None:
    """Add the knowledge-base subcommands to `faq`."""
    p = sub.add_parser("ask", parents=[common],
                       help=h("質問に答える (- なら標準入力から 1 行に 1 問)",
                              "answer a question (- reads one per line from stdin)"))
    p.add_argument("question", nargs="+", help=h("質問、または標準入力を表す -", "the question, or - for stdin"))
    p.add_argument("--top", type=_positive, default=3, help=h("答えの最大件数 (既定 3)", "how many answers (default 3)"))
    p.add_argument("--tui", action="store_true", help=h("この質問でアプリを開く", "open the app on this question"))
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("search", parents=[common],
                       help=h("キーワード検索 (AND/OR/NOT、\"フレーズ\"、tag:)",
                              "keyword search (AND/OR/NOT, \"phrases\", tag:)"))
    p.add_argument("terms", nargs="*", help=h("検索語", "search terms"))
    p.add_argument("--tag", help=h("このタグの項目だけ", "only entries with this tag"))
    p.add_argument("--limit", type=_positive, default=20, help=h("結果の最大件数 (既定 20)", "how many results (default 20)"))
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", parents=[common], help=h("項目を 1 つ表示", "show one entry"))
    p.add_argument("id", help=h("項目の id (faq list で一覧)", "entry id (faq list)"))
    p.add_argument("--tui", action="store_true", help=h("この項目でアプリを開く", "open the app on this entry"))
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("list", parents=[common], help=h("項目の一覧", "list entries"))
    p.add_argument("--tag", help=h("このタグの項目だけ", "only entries with this tag"))
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("tags", parents=[common], help=h("タグの一覧", "list tags"))
    p.set_defaults(func=cmd_tags)

    p = sub.add_parser("glossary", parents=[common], help=h("用語集、または 1 つの用語", "glossary, or one term"))
    p.add_argument("term", nargs="?", help=h("用語またはその同義語", "a term or one of its synonyms"))
    p.set_defaults(func=cmd_glossary)

    p = sub.add_parser("lint", parents=[common],
                       help=h("すべての内容を検査し、問題をすべて表示", "check all content, list every problem"))
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("index", parents=[common], help=h("検索索引の作成・確認", "build or check the search index"))
    p.add_argument("--rebuild", action="store_true", help=h("最新でも作り直す", "rebuild even when up to date"))
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("eval", parents=[common],
                       help=h("JSON Lines の質問集で答えの質を測る", "measure answer quality on a JSON Lines file"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("file", type=Path, nargs="?", help=h('1 行に 1 つの {"q": ..., "expect": [ids]}',
                                                            'one {"q": ..., "expect": [ids]} per line'))
    which.add_argument("--accepted", action="store_true",
                       help=h("faq gaps accept で取り込んだ言い回し (回帰テスト用)",
                              "the phrasings accepted with faq gaps accept (a regression set)"))
    p.add_argument("--top", type=_positive, default=3, help=h("質問ごとに見る答えの数 (既定 3)",
                                                              "answers considered per question (default 3)"))
    p.set_defaults(func=cmd_eval)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"must be between 1 and 1000: {value}")
    return value


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _style(args: argparse.Namespace) -> Style:
    return Style.for_stream(sys.stdout, getattr(args, "color", "auto"))


def _json(obj: Any) -> None:
    _out(dumps_json(obj))


# -- ask -----------------------------------------------------------------------------------


def cmd_ask(args: argparse.Namespace) -> int:
    if args.tui:
        from tui.app.app import run_app

        args.ask = " ".join(args.question)
        return run_app(args)
    if args.question != ["-"] and not " ".join(args.question).strip():
        from kb.content.load import read_profile

        profile = read_profile(context.data_dir(args))
        raise InputError(with_example("empty_question", "en", profile.sample("en")),
                         ja=with_example("empty_question", "ja", profile.sample("ja")), field="QUESTION")
    engine = context.engine(args)
    asked = context.ask_logger(args)
    if args.question == ["-"]:
        number = 0
        while (line := read_line(sys.stdin, number := number + 1)) is not None:
            question = from_terminal(line)
            result = engine.ask(question, top=args.top, lang=args.lang)
            asked.asked_result(result)
            if args.json:
                _json(result.to_json(args.lang))
            else:
                _out(format_answer(engine, result, args.lang, _style(args)))
                _out("")
            sys.stdout.flush()
            if reader_gone():  # faq ask - | head: no one reads the rest
                break
        context.warn_about_log(args, asked)
        return EXIT_OK
    result = engine.ask(from_terminal(" ".join(args.question)), top=args.top, lang=args.lang)
    asked.asked_result(result)
    context.warn_about_log(args, asked)
    if args.json:
        _json(result.to_json(args.lang))
    else:
        _out(format_answer(engine, result, args.lang, _style(args)))
    return EXIT_OK if result.answers else EXIT_NO_ANSWER


def format_answer(engine: Engine, result: AskResult, lang: str, style: Style) -> str:
    """The best entry rendered, its confidence, checks, related entries and runner-up answers."""
    if not result.answers:
        lines = [t("no_answer", lang)]
        if result.candidates:
            lines.append(t("closest", lang) + ":")
            lines += [f"  {clean_line(c.id)}  {clean_line(c.question)}  ({c.confidence:.2f})" for c in result.candidates]
        lines.append(t("try_search", lang, q=clean_line(result.query)[:60]))
        return "\n".join(lines)
    best = result.answers[0]
    entry = engine.kb.entries[best.id]
    lines = [format_entry(engine.kb, entry, lang, style, confidence=best.confidence)]
    if result.checks:
        lines += ["", style.bold(t("checks", lang))]
        for check in result.checks:
            lines.append(wrap_text(f"{check.check}: {clean_line(check.explanation[lang])}", style.width,
                                   "  • ", "    "))
    others = result.answers[1:]
    if others:
        lines += ["", style.bold(t("closest", lang))]
        lines += [f"  {o.id}  {clean_line(o.question)}  ({o.confidence:.2f})" for o in others]
    return "\n".join(lines)


def format_entry(kb: Any, entry: Entry, lang: str, style: Style, confidence: float | None = None) -> str:
    loc = entry.localized(lang)
    head = style.bold(clean_line(loc.question))
    if confidence is not None:
        head += style.dim(f"  [{entry.id} · {t('confidence', lang)} {confidence:.2f}]")
    else:
        head += style.dim(f"  [{entry.id}]")
    lines = [wrap_text(head, style.width), "", render_markdown(loc.answer, style, style.width), ""]
    tag_labels = [_label(kb.tags[x].label, lang, x) if x in kb.tags else x for x in entry.tags]
    tags = f"{t('tags', lang)}: {clean_line(', '.join(tag_labels))}"
    applies = f"{t('applies_to', lang)}: {clean_line(', '.join(entry.applies_to))}"
    if style.width is None or cell_width(tags) + 3 + cell_width(applies) <= style.width:
        lines.append(style.dim(f"{tags}   {applies}"))
    else:
        lines += [style.dim(wrap_text(tags, style.width, "", "  ")), style.dim(wrap_text(applies, style.width, "", "  "))]
    if entry.related:
        lines.append(style.bold(t("related", lang)) + ":")
        for rel in entry.related:
            if rel in kb.entries:
                lines.append(wrap_text(f"{rel}  {clean_line(kb.entries[rel].question(lang))}", style.width,
                                       "  → ", "    "))
    return "\n".join(lines)


# -- search, show, list, tags, glossary ------------------------------------------------------


@paged
def cmd_search(args: argparse.Namespace) -> int:
    engine = context.engine(args)
    if args.tag and args.tag not in engine.kb.tags:
        raise InputError(t("unknown_tag", args.lang, tag=args.tag), field="--tag")
    query = from_terminal(" ".join(args.terms))
    hits = engine.search(query, tag=args.tag, limit=args.limit, lang=args.lang)
    if args.json:
        _json({"query": query, "tag": args.tag, "hits": [
            {"id": h.id, "question": h.question, "score": round(h.score, 4), "tags": list(h.tags),
             "snippet": h.snippet.text, "highlights": [list(s) for s in h.snippet.spans]} for h in hits]})
        return EXIT_OK if hits else EXIT_NO_ANSWER
    style = _style(args)
    if not hits:
        _out(t("no_results", args.lang))
        return EXIT_NO_ANSWER
    for hit in hits:
        _out(style.bold(clean_line(hit.question)) + style.dim(f"  [{hit.id}]"))
        _out("  " + render_snippet(hit.snippet, style))
    return EXIT_OK


def _entry(kb: Any, entry_id: str, lang: str) -> Entry:
    if entry_id not in kb.entries:
        raise InputError(t("unknown_entry", "en", id=entry_id) + did_you_mean(entry_id, kb.entries, "en"),
                         ja=t("unknown_entry", "ja", id=entry_id) + did_you_mean(entry_id, kb.entries, "ja"),
                         field="ID")
    return kb.entries[entry_id]


def entry_json(entry: Entry, lang: str | None = None) -> dict[str, Any]:
    # An entry written in one language is shown in it, whatever language was asked for.
    langs = [lang if lang in entry.text else next(iter(entry.text))] if lang else list(entry.text)
    return {
        "id": entry.id, "tags": list(entry.tags), "related": list(entry.related),
        "applies_to": list(entry.applies_to), "checks": list(entry.checks),
        **{code: {"question": entry.text[code].question, "answer": entry.text[code].answer,
                  "alternates": list(entry.text[code].alternates)} for code in langs if code in entry.text},
    }


def cmd_show(args: argparse.Namespace) -> int:
    if args.tui:
        from tui.app.app import run_app

        args.show = args.id
        return run_app(args)
    kb = context.load(args)
    entry = _entry(kb, args.id, args.lang)
    if args.json:
        _json(entry_json(entry))
    else:
        show_text(format_entry(kb, entry, args.lang, _style(args)), no_pager=getattr(args, "no_pager", False))
    return EXIT_OK


@paged
def cmd_list(args: argparse.Namespace) -> int:
    kb = context.load(args)
    if args.tag and args.tag not in kb.tags:
        raise InputError(t("unknown_tag", args.lang, tag=args.tag), field="--tag")
    entries = kb.entries_with_tag(args.tag)
    if args.json:
        _json([{"id": e.id, "question": e.question(args.lang), "tags": list(e.tags)} for e in entries])
        return EXIT_OK
    width = max((len(e.id) for e in entries), default=0)
    for e in entries:
        _out(f"{e.id.ljust(width)}  {clean_line(e.question(args.lang))}")
    return EXIT_OK


def cmd_tags(args: argparse.Namespace) -> int:
    kb = context.load(args)
    counts = {tag: len(kb.entries_with_tag(tag)) for tag in kb.tags}
    if args.json:
        _json([{"id": tag.id, "label": tag.label, "entries": counts[tag.id]} for tag in kb.tags.values()])
        return EXIT_OK
    ids = {tag: clean_line(tag) for tag in kb.tags}  # a quoted TOML key may hold anything
    width = max((cell_width(x) for x in ids.values()), default=0)
    for tag in kb.tags.values():
        _out(f"{pad(ids[tag.id], width)}  {counts[tag.id]:3d}  {clean_line(_label(tag.label, args.lang, tag.id))}")
    return EXIT_OK


@paged
def cmd_glossary(args: argparse.Namespace) -> int:
    kb = context.load(args)
    terms = list(kb.glossary.values())
    if args.term:
        from kb.text.analysis import normalize

        wanted = normalize(args.term)
        terms = [g for g in terms if wanted == g.id or any(normalize(s) == wanted for s in g.synonyms)] or [
            g for g in terms if any(wanted in normalize(s) for s in g.synonyms)]
        if not terms:
            names = [name for g in kb.glossary.values() for name in g.synonyms]
            raise InputError(t("unknown_term", "en", term=args.term) + did_you_mean(args.term, names, "en"),
                             ja=t("unknown_term", "ja", term=args.term) + did_you_mean(args.term, names, "ja"),
                             field="TERM")
    if args.json:
        _json([{"id": g.id, "ja": list(g.names.get("ja", ())), "en": list(g.names.get("en", ())), "definition": g.definition}
               for g in terms])
        return EXIT_OK
    style = _style(args)
    names = [clean_line(g.name(args.lang)) for g in terms]
    width = min(28, max((cell_width(n) for n in names), default=0))
    for g, name in zip(terms, names, strict=True):
        if args.term:
            # Each spelling once (CSV is Japanese and English alike), the shown name left out.
            others = [clean_line(x) for x in dict.fromkeys(g.synonyms) if clean_line(x) != name]
            others = list(dict.fromkeys(others))
            _out(style.bold(name) + (style.dim("  (" + ", ".join(others) + ")") if others else ""))
            _out(wrap_text(clean_line(_label(g.definition, args.lang, "")), style.width, "  "))
        else:
            # The definition wraps under itself, beside the column of names.
            hang = " " * (width + 2)
            _out(wrap_text(clean_line(_label(g.definition, args.lang, "")), style.width,
                           f"{pad(name, width)}  ", hang))
    return EXIT_OK


# -- lint, index, eval ------------------------------------------------------------------------


def cmd_lint(args: argparse.Namespace) -> int:
    from kb.errors import ContentWarning

    root = context.data_dir(args)
    from kb.content.lint import lint_kb
    from kb.content.load import load_kb

    kb = load_kb(root)
    problems = lint_kb(kb)
    errors = [p for p in problems if not isinstance(p, ContentWarning)]
    if args.json:
        _json({"ok": not errors, "entries": len(kb.entries), "problems": [
            {"path": p.path, "line": p.line, "field": p.field, "message": p.message,
             "message_ja": p.message_in("ja"),
             "severity": "warning" if isinstance(p, ContentWarning) else "error"} for p in problems]})
    elif problems:
        for p in problems:
            prefix = t("lint_warning", args.lang) if isinstance(p, ContentWarning) else ""
            sys.stderr.write(prefix + clean_line(p.render(args.lang)) + "\n")
        warnings = len(problems) - len(errors)
        if errors:
            sys.stderr.write(t("lint_bad", args.lang, n=len(errors)) + "\n")
        if warnings:
            sys.stderr.write(t("lint_warnings", args.lang, n=warnings) + "\n")
        if not errors:
            _out(t("lint_ok", args.lang, entries=len(kb.entries), terms=len(kb.glossary), tags=len(kb.tags)))
    else:
        _out(t("lint_ok", args.lang, entries=len(kb.entries), terms=len(kb.glossary), tags=len(kb.tags)))
    return EXIT_NO_ANSWER if errors else EXIT_OK


def cmd_index(args: argparse.Namespace) -> int:
    from kb.index.store import open_index
    from kb.retrieval.healing import files_for

    library = context.open_library(args)
    kb = library.content
    _ix, info = open_index(kb, library.cache_dir, rebuild=args.rebuild, prepare=files_for(kb))  # as ask makes it
    if info.prepared is not None:
        info.prepared.close()
    path = str(info.path) if info.path else t("in_memory", args.lang)
    context.warn_about_index(args, info)
    if args.json:
        _json({"entries": info.documents, "built": info.built, "seconds": round(info.seconds, 4),
               "path": str(info.path) if info.path else None, "digest": kb.digest})
    elif info.built:
        _out(t("indexed", args.lang, n=info.documents, secs=info.seconds, path=path))
    else:
        _out(t("index_ok", args.lang, n=info.documents, secs=info.seconds, path=path))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from kb.retrieval.evaluate import evaluate, read_cases

    if args.accepted:
        from tui.cli.gaps import accepted_cases

        cases = accepted_cases(args)
    else:
        cases = read_cases(args.file)
    if not cases:
        raise ContentError("no questions in the file", path=str(args.file), ja="ファイルに質問がありません")
    engine = context.engine(args)
    report = evaluate(engine, cases, top=args.top)
    if args.json:
        _json(report.to_json())
        return EXIT_OK
    for miss in report.misses:
        got = ", ".join(miss.got) or t("eval_none", args.lang, closest=",".join(miss.closest) or "-")
        _out(f"{t('eval_miss', args.lang)} {args.file}:{miss.case.line}: {clean_line(miss.case.question)}")
        _out(f"    {t('expected', args.lang)}: {clean_line(', '.join(miss.case.expect)) or '-'}   "
             f"{t('got', args.lang)}: {got}  ({miss.confidence:.2f})")
    _out(t("eval_summary", args.lang, n=len(cases), acc=report.accuracy, mrr=report.mrr, rej=report.rejection))
    return EXIT_OK


def _label(texts: dict[str, str], lang: str, default: str) -> str:
    """Text in ``lang``, else in the language it is written in (one-language knowledge bases)."""
    return texts.get(lang) or next(iter(texts.values()), default)
