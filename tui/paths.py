"""Where the CLI and the app find content, the index cache and user data (from the environment)."""

from __future__ import annotations

import os
from pathlib import Path

from kb.content.load import resolve_data_dir

APP_NAME = "faq-assistant"


def data_dir(explicit: Path | str | None = None) -> Path:
    """The content folder: ``--data``, else ``$FAQ_DATA``, else the checkout's or the bundled copy."""
    return resolve_data_dir(Path(explicit) if explicit is not None else None, os.environ)


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
