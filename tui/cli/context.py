"""Where the CLI and the app find content, cache and user data; opening the KB once."""

from __future__ import annotations

import os
import sys
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING

from kb.content.load import KnowledgeBase, resolve_data_dir
from kb.content.snapshot import load_kb_cached
from kb.errors import ContentError
from tui.i18n import t
from tui.safe import clean_line

if TYPE_CHECKING:
    from kb.index.store import IndexInfo
    from kb.retrieval.engine import Engine

APP_NAME = "faq-assistant"


def data_dir(args: Namespace) -> Path:
    return resolve_data_dir(getattr(args, "data", None), os.environ)


def cache_dir() -> Path:
    """The index cache: ``$FAQ_CACHE_DIR``, else the user's cache folder."""
    if os.environ.get("FAQ_CACHE_DIR"):
        return Path(os.environ["FAQ_CACHE_DIR"])
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME))


def user_data_dir() -> Path:
    """Bookmarks and training progress: ``$FAQ_DATA_HOME``, else the user's data folder."""
    if os.environ.get("FAQ_DATA_HOME"):
        return Path(os.environ["FAQ_DATA_HOME"])
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))


def load(args: Namespace, quiet: bool = False) -> KnowledgeBase:
    """Load the content; warn (stderr) about broken files, fail only when nothing loaded."""
    kb = load_kb_cached(data_dir(args), cache_dir())
    lang = _lang(args)
    if kb.problems and not quiet:
        first = clean_line(kb.problems[0].render(lang))
        more = t("and_more", lang, n=len(kb.problems) - 1) if len(kb.problems) > 1 else ""
        print(t("content_warning", lang, first=first, more=more), file=sys.stderr)
    if not kb.entries:
        first_problem = kb.problems[0] if kb.problems else None
        raise ContentError(
            "no entries could be loaded" + (f": {first_problem}" if first_problem else ""),
            ja="項目を 1 つも読み込めませんでした" + (f": {first_problem.render('ja')}" if first_problem else ""),
            path=str(kb.root))
    return kb


def engine(args: Namespace, rebuild: bool = False) -> Engine:
    from kb.retrieval.engine import open_engine  # Whoosh loads only for the commands that search

    kb = load(args)
    eng, info = open_engine(kb, cache_dir(), rebuild=rebuild)
    warn_about_index(args, info)
    return eng


def warn_about_index(args: Namespace, info: IndexInfo) -> None:
    """One stderr line when the index could not be cached (it was built in memory)."""
    warning = info.warning_in(_lang(args))
    if warning:
        print(t("cli_index_warning", _lang(args), warning=clean_line(warning)), file=sys.stderr)


def _lang(args: Namespace) -> str:
    return getattr(args, "lang", None) or "en"
