"""Opening a content file in the person's own editor ($VISUAL, else $EDITOR) at a line."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from pathlib import Path

from kb.content.files import read_limited
from kb.errors import KbError

# Editors that take "+LINE" before the file to open it at that line.
PLUS_LINE_EDITORS = frozenset({"vi", "vim", "nvim", "gvim", "view", "nano", "pico", "emacs", "emacsclient",
                               "mg", "jed", "joe", "jmacs", "ne", "micro", "kak", "ed", "ex", "elvis", "vis"})


def editor_command(path: Path, line: int | None, env: Mapping[str, str] | None = None) -> list[str] | None:
    """The command that opens ``path`` (at ``line`` where the editor understands ``+LINE``), or None.

    ``$VISUAL`` comes before ``$EDITOR``; either may carry options ("code --wait").
    """
    env = os.environ if env is None else env
    spec = (env.get("VISUAL") or env.get("EDITOR") or "").strip()
    if not spec:
        return None
    command = shlex.split(spec)
    name = Path(command[0]).name.removesuffix(".exe")
    if line is not None and line > 0 and name in PLUS_LINE_EDITORS:
        command.append(f"+{line}")
    return [*command, str(path)]


def answer_line(path: Path, lang: str) -> int | None:
    """The line where ``lang``'s answer starts in an entry file (after its ``<!-- lang -->`` marker)."""
    try:
        lines = read_limited(path).decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError, KbError):
        return None
    marker = f"<!-- {lang} -->"
    for number, text in enumerate(lines, start=1):
        if text.strip() == marker:
            return number + 1
    return 1
