"""Where the CLI and the app find content, the index cache and user data (from the environment)."""

from __future__ import annotations

import os
import sys
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
    return user_dir("cache")


def user_data_dir() -> Path:
    """Bookmarks and training progress: ``$FAQ_DATA_HOME``, else the user's data folder."""
    if os.environ.get("FAQ_DATA_HOME"):
        return Path(os.environ["FAQ_DATA_HOME"])
    return user_dir("data")


# The XDG base directories platformdirs gives on Linux: (variable, default under $HOME).
_XDG = {"cache": ("XDG_CACHE_HOME", ".cache"), "data": ("XDG_DATA_HOME", ".local/share"),
        "config": ("XDG_CONFIG_HOME", ".config")}


def user_dir(kind: str, env: dict[str, str] | None = None) -> Path:
    """This app's user folder of ``kind`` ("cache", "data" or "config"), as platformdirs says.

    On Linux with an absolute ``$HOME`` (or the XDG variable) it is worked out here, as
    platformdirs does it: importing platformdirs (and tempfile, shutil, random with it) was
    ~10 ms of every `faq ask`. Anywhere else, platformdirs itself. tests/test_paths.py
    compares the two.
    """
    env = dict(os.environ) if env is None else env
    variable, default = _XDG[kind]
    android = env.get("ANDROID_DATA") or env.get("ANDROID_ROOT") or hasattr(sys, "getandroidapilevel")
    if sys.platform == "linux" and not android:
        xdg, home = env.get(variable, ""), env.get("HOME", "")
        if os.path.isabs(xdg):
            return Path(xdg) / APP_NAME
        if os.path.isabs(home):
            return Path(home) / default / APP_NAME
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME))


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
