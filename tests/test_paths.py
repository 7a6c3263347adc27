"""The app's user folders worked out without platformdirs on Linux equal platformdirs' own."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from tui.paths import APP_NAME, user_dir

ENVIRONMENTS = [
    {"HOME": "/home/ana"},
    {"HOME": "/home/ana/"},
    {"HOME": "/home/ana", "XDG_CACHE_HOME": "/var/tmp/c", "XDG_DATA_HOME": "/srv/d/", "XDG_CONFIG_HOME": "/etc/u"},
    {"HOME": "/home/ana", "XDG_CACHE_HOME": "relative/c", "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "~/cfg"},
    {"HOME": "relative", "XDG_CACHE_HOME": "/c", "XDG_DATA_HOME": "/d", "XDG_CONFIG_HOME": "/e"},
    {"HOME": "relative"},  # platformdirs looks the user up: so does user_dir, through it
    {},
]


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("kind", ["cache", "data", "config"])
def test_user_folders_equal_platformdirs(monkeypatch, env, kind):
    for name in ("HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        expected = platformdirs.__dict__[f"user_{kind}_dir"](APP_NAME)
    except RuntimeError:  # no home to be found at all: user_dir fails the same way
        with pytest.raises(RuntimeError):
            user_dir(kind)
        return
    assert user_dir(kind) == type(user_dir(kind))(expected)


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders are worked out here on Linux only")
def test_on_linux_platformdirs_is_not_imported(monkeypatch):
    monkeypatch.setenv("HOME", "/home/ana")
    monkeypatch.delitem(sys.modules, "platformdirs", raising=False)
    assert str(user_dir("data", {"HOME": "/home/ana"})) == f"/home/ana/.local/share/{APP_NAME}"
    assert "platformdirs" not in sys.modules
