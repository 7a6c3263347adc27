"""Shell completion: `faq completion bash|zsh|fish` prints a script; `faq __complete WORDS...` answers it.

The scripts ask ``faq __complete`` for the words that can follow what has been typed (the
last word is the one being completed, possibly empty). Subcommands and options come from
the real parser, so a new command completes without touching this module; entry ids, tags,
glossary terms, examples and profiles are read straight from the files, without the index.
``__files__`` alone tells the script to complete file names instead.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from kb.content.files import read_limited
from kb.errors import KbError
from tui.cli.exit_codes import EXIT_OK
from tui.cli.text import Help

FILES = "__files__"
SHELLS = ("bash", "zsh", "fish")

BASH = r"""# faq completion for bash. Install: echo 'source <(faq completion bash)' >> ~/.bashrc
_faq() {
    local cur=${COMP_WORDS[COMP_CWORD]} IFS=$'\n' out
    out=$(faq __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
    if [[ $out == __files__ ]]; then
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$out" -- "$cur"))
    fi
}
complete -F _faq faq
"""

ZSH = r"""#compdef faq
# faq completion for zsh. Install: echo 'source <(faq completion zsh)' >> ~/.zshrc (after compinit)
_faq() {
    local out
    local -a candidates subcommands
    subcommands=(
@SUBCOMMANDS@
    )
    if (( CURRENT == 2 )) && [[ $words[CURRENT] != -* ]]; then
        _describe -t commands 'faq command' subcommands
        return
    fi
    out=$(faq __complete "${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
    if [[ $out == __files__ ]]; then
        _files
        return
    fi
    [[ -n $out ]] && candidates=("${(@f)out}")
    compadd -a candidates
}
compdef _faq faq
"""

FISH = r"""# faq completion for fish. Install: faq completion fish > ~/.config/fish/completions/faq.fish
function __faq_complete
    set -l before (commandline -opc)
    set -e before[1]
    set -l current (commandline -ct)
    set -l out (faq __complete $before "$current" 2>/dev/null)
    if test "$out" = __files__
        __fish_complete_path "$current"
    else
        printf '%s\n' $out
    end
end
@SUBCOMMANDS@
complete -c faq -f -n 'not __fish_use_subcommand' -a '(__faq_complete)'
"""


def _quoted(text: str, shell: str) -> str:
    """``text`` as one single-quoted word: fish reads backslash escapes there, zsh none at all."""
    if shell == "fish":
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "'" + text.replace("'", "'\\''") + "'"


def subcommand_help() -> dict[str, str]:
    """Each subcommand `faq --help` lists, with its one-line help (English), from the real parser."""
    from tui.cli.parser import build_parser

    sub = _subcommands(build_parser((), lang="en"))
    assert sub is not None
    return {a.dest: " ".join((a.help or "").split()) for a in sub._choices_actions if a.help != argparse.SUPPRESS}


def script(shell: str) -> str:
    """The completion script for ``shell``; zsh and fish describe each subcommand, named from the parser."""
    if shell == "bash":
        return BASH
    helps = subcommand_help()
    if shell == "zsh":
        # In a _describe item a colon ends the name: one inside a name would need a backslash.
        lines = "\n".join(f"        {_quoted(name.replace(':', chr(92) + ':') + ':' + text, shell)}"
                          for name, text in helps.items())
        return ZSH.replace("@SUBCOMMANDS@", lines)
    lines = "\n".join(f"complete -c faq -f -n __fish_use_subcommand -a {_quoted(name, shell)} -d {_quoted(text, shell)}"
                      for name, text in helps.items())
    return FISH.replace("@SUBCOMMANDS@", lines)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, h: Help) -> None:
    """Add `completion` to `faq` (``__complete`` is dispatched before parsing, and hidden)."""
    p = sub.add_parser("completion", parents=[common],
                       help=h("シェル補完のスクリプトを表示", "print the shell completion script"),
                       description=h("bash: ~/.bashrc に source <(faq completion bash)、zsh: ~/.zshrc の "
                                     "compinit の後に同様、fish: faq completion fish > "
                                     "~/.config/fish/completions/faq.fish",
                                     "bash: source <(faq completion bash) in ~/.bashrc; zsh: the same "
                                     "in ~/.zshrc after compinit; fish: faq completion fish > "
                                     "~/.config/fish/completions/faq.fish"))
    p.add_argument("shell", choices=SHELLS, help=h("bash、zsh、fish のいずれか", "bash, zsh or fish"))
    p.set_defaults(func=cmd_completion)


def cmd_completion(args: argparse.Namespace) -> int:
    sys.stdout.write(script(args.shell))
    return EXIT_OK


# -- answering the scripts ----------------------------------------------------------------


def complete_main(words: Sequence[str]) -> int:
    """Print the candidates for the last of ``words``, one per line; never fails loudly."""
    try:
        candidates = complete(list(words))
    except Exception:  # a completion that breaks must not spill a traceback into the prompt
        return EXIT_OK
    if candidates:
        sys.stdout.write("\n".join(candidates) + "\n")
    return EXIT_OK


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {opt: a for a in parser._actions for opt in a.option_strings}


def complete(words: list[str]) -> list[str]:
    """The words that may replace ``words[-1]``, given the words before it."""
    from tui.cli.parser import build_parser

    current = words[-1] if words else ""
    before = words[:-1]
    parser: argparse.ArgumentParser = build_parser((), lang="en")
    path: list[str] = []
    positionals: list[str] = []
    expecting: argparse.Action | None = None
    data: str | None = None
    for word in before:
        if expecting is not None:
            if expecting.dest == "data":
                data = word
            expecting = None
            continue
        if word.startswith("-"):
            name, _, value = word.partition("=")
            action = _options(parser).get(name)
            if action is not None and action.nargs != 0 and not value:
                expecting = action
            elif name == "--data" and value:
                data = value
            continue
        sub = _subcommands(parser)
        if sub is not None and not positionals and word in sub.choices:
            parser = sub.choices[word]
            path.append(word)
            continue
        positionals.append(word)
    source = _Source(data)
    if expecting is not None:
        found = _option_values(expecting, source)
    elif current.startswith("-"):
        found = sorted(o for o, a in _options(parser).items() if a.help != argparse.SUPPRESS and o.startswith("--"))
    else:
        sub = _subcommands(parser)
        if sub is not None and not positionals:
            found = list(sub.choices)
        else:
            found = _positional_values(path, positionals, parser, source)
    if found == [FILES]:
        return found
    return [f for f in dict.fromkeys(found) if f.startswith(current)]


def _option_values(action: argparse.Action, source: _Source) -> list[str]:
    if action.choices:
        return [str(c) for c in action.choices]
    providers: dict[str, Callable[[], list[str]]] = {
        "data": lambda: [FILES], "tag": source.tags, "profile": source.profiles, "load": _loads,
        "to": source.entries,  # faq gaps accept --to ID
    }
    return providers.get(action.dest, list)()


def _positional_values(path: list[str], positionals: list[str], parser: argparse.ArgumentParser,
                       source: _Source) -> list[str]:
    command = path[0] if path else ""
    index = len(positionals)
    action = [a for a in parser._actions if not a.option_strings and not isinstance(a, argparse._SubParsersAction)]
    if index < len(action) and action[index].choices:
        return [str(c) for c in action[index].choices or ()]
    if command == "show" and index == 0:
        return source.entries()
    if command == "glossary" and index == 0:
        return source.terms()
    if command == "examples" and index == 0:
        return source.examples()
    if command in ("check", "eval") and index == 0:
        return [FILES]
    if path[:2] in (["config", "set"], ["config", "unset"]):
        from tui.settings import COLOR_SETTINGS, KEYS, LOG_LEVELS

        if index == 0:
            return list(KEYS)
        if index == 1 and path[1] == "set":
            values = {"language": ["ja", "en"], "color": list(COLOR_SETTINGS), "logging": list(LOG_LEVELS),
                      "profile": source.profiles()}
            return values.get(positionals[0], [])
    return []


def _loads() -> list[str]:
    from kb.checks import LOAD_DIRTY_RATE

    return list(LOAD_DIRTY_RATE)


class _Source:
    """The knowledge base's names, read from its files directly (no index, no full load)."""

    def __init__(self, data: str | None) -> None:
        from tui import paths

        self.root = paths.data_dir(Path(data).expanduser() if data else None)

    def entries(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "entries").glob("*.md"))

    def tags(self) -> list[str]:
        return list(self._toml("tags.toml"))

    def terms(self) -> list[str]:
        names: list[str] = []
        for term_id, table in self._toml("glossary.toml").items():
            names.append(term_id)
            if isinstance(table, dict):
                for lang in ("en", "ja"):
                    spellings = table.get(lang, [])
                    names += [s for s in spellings if isinstance(s, str) and " " not in s]
        return names

    def examples(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "examples").glob("*.toml"))

    def profiles(self) -> list[str]:
        from tui.cli.training import progress_path

        path = progress_path()
        if not path.exists():
            return []
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [row[0] for row in conn.execute("SELECT name FROM profiles ORDER BY name")]
        finally:
            conn.close()

    def _toml(self, name: str) -> dict:
        try:
            return tomllib.loads(read_limited(self.root / name).decode("utf-8"))
        except (OSError, KbError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
            return {}
