"""Where the CLI and the app find content, the index cache and user data (from the environment)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "faq-assistant"
PROGRESS_FILE = "progress.sqlite3"


def data_dir(explicit: Path | str | None = None) -> Path:
    """The content folder: ``--data``, else ``$FAQ_DATA``, else the checkout's or the bundled copy."""
    from kb.content.load import resolve_data_dir

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


def progress_path(data_home: Path | None = None) -> Path:
    """The training progress file in ``data_home`` (by default the user data folder above)."""
    return (data_home if data_home is not None else user_data_dir()) / PROGRESS_FILE


def default_profile() -> str:
    """The training profile named after the login user, made safe; "trainee" if there is no user name."""
    import getpass

    from kb.training.store import profile_from_user  # the store loads FSRS: only for training

    try:
        return profile_from_user(getpass.getuser())
    except (OSError, KeyError, ImportError):
        return "trainee"
