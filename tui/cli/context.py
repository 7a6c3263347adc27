"""The CLI's way into the knowledge base: open it once, warn on stderr about what is broken."""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING

from kb.content.load import KnowledgeBase
from kb.errors import ContentError
from kb.library import Library, open_kb
from tui import paths
from tui.i18n import t
from tui.safe import clean_line

if TYPE_CHECKING:
    from kb.index.store import IndexInfo
    from kb.retrieval.engine import Engine
    from tui.question_log import AskLogger


def data_dir(args: Namespace) -> Path:
    return paths.data_dir(getattr(args, "data", None))


cache_dir = paths.cache_dir
user_data_dir = paths.user_data_dir


def open_library(args: Namespace, rebuild: bool = False, quiet: bool = False) -> Library:
    """The knowledge base of ``--data``; warn (stderr) about broken files, fail only when nothing loaded."""
    library = open_kb(data_dir(args), cache_dir(), rebuild=rebuild)
    kb = library.content
    lang = _lang(args)
    if library.cache_warning is not None:
        en, ja = library.cache_warning
        print(t("cli_index_warning", lang, warning=clean_line(ja if lang == "ja" else en)), file=sys.stderr)
    if kb.problems and kb.entries and not quiet:  # with no entries, the error below says it once
        first = clean_line(kb.problems[0].render(lang))
        more = t("and_more", lang, n=len(kb.problems) - 1) if len(kb.problems) > 1 else ""
        print(t("content_warning", lang, first=first, more=more), file=sys.stderr)
    if not kb.entries:
        first_problem = kb.problems[0] if kb.problems else None
        raise ContentError(
            "no entries could be loaded" + (f": {first_problem}" if first_problem else ""),
            ja="項目を 1 つも読み込めませんでした" + (f": {first_problem.render('ja')}" if first_problem else ""),
            path=str(kb.root))
    return library


def load(args: Namespace, quiet: bool = False) -> KnowledgeBase:
    """The content alone (no index): for show, list, tags, glossary and training."""
    return open_library(args, quiet=quiet).content


def engine(args: Namespace, rebuild: bool = False) -> Engine:
    library = open_library(args, rebuild=rebuild)
    eng = library.engine
    if library.index_info is not None:
        warn_about_index(args, library.index_info)
    return eng


def warn_about_index(args: Namespace, info: IndexInfo) -> None:
    """One stderr line when the index could not be cached (it was built in memory)."""
    warning = info.warning_in(_lang(args))
    if warning:
        print(t("cli_index_warning", _lang(args), warning=clean_line(warning)), file=sys.stderr)


def ask_logger(args: Namespace) -> AskLogger:
    """What `faq ask` logs its questions with (logging nothing when it is off)."""
    from tui.question_log import AskLogger, open_question_log

    return AskLogger(open_question_log(data_dir(args)), source="cli")


def warn_about_log(args: Namespace, logger: AskLogger) -> None:
    """One stderr line when the question log could not be written (the answers were given)."""
    if logger.error is not None and logger.log is not None:
        reason = logger.error.strerror or str(logger.error)
        print(t("log_write_failed", _lang(args), path=str(logger.log.paths.questions), error=clean_line(reason)),
              file=sys.stderr)


def _lang(args: Namespace) -> str:
    return getattr(args, "lang", None) or "en"
