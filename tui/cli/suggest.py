"""Did you mean: the closest known names to a mistyped one (subcommands, entry ids, terms, checks)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_CHOICE = re.compile(r"^argument (?P<a>\S+): invalid choice: '(?P<v>.*?)' \(choose from (?P<c>.+)\)$")
_QUOTED = re.compile(r"'([^']*)'")
_DID_YOU_MEAN = {"ja": "もしかして: {names}", "en": "did you mean {names}?"}


def close_names(word: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Known names that look like ``word``, closest first (case is ignored)."""
    known = list(known)
    by_lower = {k.lower(): k for k in known}
    import difflib  # only on a mistake: not loaded by commands that go right

    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=n, cutoff=0.6)
    if not matches:  # a prefix is a strong hint too: "con" -> concurrent-migrations
        matches = [k for k in by_lower if word and k.startswith(word.lower())][:n]
    return [by_lower[m] for m in matches]


def did_you_mean(word: str, known: Iterable[str], lang: str) -> str:
    """`` (did you mean "show"?)``-style tail for an error message, or "" when nothing is close."""
    names = close_names(word, known)
    if not names:
        return ""
    return "; " + _DID_YOU_MEAN[lang].format(names=", ".join(names))


def suggest_for_argparse(message: str, lang: str) -> str:
    """The did-you-mean tail for argparse's "invalid choice" error, else ""."""
    match = _CHOICE.match(message)
    if not match:
        return ""
    return did_you_mean(match.group("v"), _QUOTED.findall(match.group("c")), lang)
