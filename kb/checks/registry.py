"""The checks faq knows: the built-in plug-ins, and any registered at run time.

Everything that knows a check by id asks here: `faq calc` builds a subcommand per
calculator, the app a form, `ask` runs the calculators an answer links, lint accepts the
known ids in an entry's ``checks = [...]``, the glossary matcher gets the quantities, and
training poses each check's drills under the entry that links it. A new check is one module
exposing ``CHECK`` (a :class:`~kb.checks.spec.Calculator` or
:class:`~kb.checks.spec.Validator`) and one line in ``BUILTIN``, or a ``register(check)``
call from outside.

Built-in checks are named by id, like entry points, and their modules load on first use:
knowing the ids (lint, the content snapshot's key) costs no import.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from kb.checks.spec import Calculator, Check, Validator
    from kb.text.glossary import QuantityTable

# The built-in checks, in the order `faq calc --help` lists them: id -> module exposing CHECK.
BUILTIN: dict[str, str] = {
    "max-concurrent-migrations": "kb.checks.concurrency",
    "migration-time": "kb.checks.migration",
    "cluster-validator": "kb.checks.validator",
}

C = TypeVar("C", bound="Check")


class Registry:
    """An ordered set of checks by id; registering an id that is taken is an error."""

    def __init__(self, builtin: Mapping[str, str] | None = None) -> None:
        self._pending = dict(builtin or {})  # id -> module, not imported yet
        self._checks: dict[str, Check] = {}
        self._table: QuantityTable | None = None  # made once, until a check is (un)registered

    def _loaded(self) -> dict[str, Check]:
        # Registering loads these first, so the built-in checks keep their place in front.
        if self._pending:
            pending, self._pending = self._pending, {}
            for check_id, module in pending.items():
                check = importlib.import_module(module).CHECK
                if check.id != check_id:
                    raise ValueError(f"{module}.CHECK has id {check.id!r}, not {check_id!r}")
                self._add(check)
        return self._checks

    def _add(self, check: Check) -> None:
        from kb.checks.spec import Calculator

        if check.id in self._checks or check.id in self._pending:
            raise ValueError(f"a check with id {check.id!r} is already registered")
        fields = [p.field for p in check.params] if isinstance(check, Calculator) else []
        if len(set(fields)) != len(fields):
            raise ValueError(f"check {check.id!r} has two parameters with one option")
        known = {q.kind: q for c in self._checks.values() for q in c.quantities}
        for quantity in check.quantities:
            if quantity.kind in known and known[quantity.kind] != quantity:
                raise ValueError(f"quantity {quantity.kind!r} of {check.id!r} differs from the one "
                                 f"already declared")
        self._checks[check.id] = check

    def register(self, check: C) -> C:
        """Add ``check`` after the others; returns it."""
        self._loaded()
        self._add(check)
        self._table = None
        return check

    def unregister(self, check_id: str) -> None:
        """Remove the check ``check_id`` (a KeyError when there is none)."""
        del self._loaded()[check_id]
        self._table = None

    @contextmanager
    def registered(self, check: C) -> Iterator[C]:
        """``check`` registered for the duration of a ``with`` block (tests, embedding)."""
        self.register(check)
        try:
            yield check
        finally:
            self.unregister(check.id)

    def get(self, check_id: str) -> Check | None:
        return self._loaded().get(check_id)

    def calculator(self, check_id: str) -> Calculator | None:
        """The calculator ``check_id``, or None for a validator or an unknown id."""
        from kb.checks.spec import Calculator

        check = self.get(check_id)
        return check if isinstance(check, Calculator) else None

    def checks(self) -> tuple[Check, ...]:
        return tuple(self._loaded().values())

    def calculators(self) -> tuple[Calculator, ...]:
        from kb.checks.spec import Calculator

        return tuple(c for c in self._loaded().values() if isinstance(c, Calculator))

    def validators(self) -> tuple[Validator, ...]:
        from kb.checks.spec import Validator

        return tuple(c for c in self._loaded().values() if isinstance(c, Validator))

    def known_ids(self) -> frozenset[str]:
        """Every id an entry may link in ``checks = [...]`` (loads no check module)."""
        return frozenset(self._pending) | frozenset(self._checks)

    def entries(self) -> dict[str, str]:
        """Each check's own entry, by check id."""
        return {c.id: c.entry for c in self._loaded().values()}

    def check_quantities(self) -> dict[str, tuple[str, ...]]:
        """The quantity kinds each check computes with, by check id (empty for most)."""
        return {c.id: tuple(q.kind for q in c.quantities) for c in self._loaded().values()}

    def quantity_table(self) -> QuantityTable:
        """The quantities of every check, for the glossary matcher and the index."""
        if self._table is None:
            self._table = self._make_table()[0]
        return self._table

    def _make_table(self) -> tuple[QuantityTable, dict[str, str], set[str], dict[str, tuple[str, ...]]]:
        from kb.text.glossary import QuantityTable

        patterns: dict[str, str] = {}
        words: set[str] = set()
        for check in self._loaded().values():
            for quantity in check.quantities:
                patterns.setdefault(quantity.kind, quantity.pattern)
                words.update(quantity.unit_words)
        by_check = self.check_quantities()
        return QuantityTable.build(patterns, words, by_check), patterns, words, by_check

    def keep_quantities(self, cache_dir: Path) -> QuantityTable:
        """:meth:`quantity_table`, read from ``cache_dir`` while the check modules are unchanged
        (kb.checks.quantity_file): a process that only answers questions imports no check.

        ``cache_dir`` must be private to the user (the index cache). Checks registered at run
        time, or already loaded, are not kept: the table is made from them as usual.
        """
        if self._table is not None or self._checks or not self._pending:
            return self.quantity_table()
        from kb.checks import quantity_file
        from kb.text.glossary import QuantityTable

        path = quantity_file.file_for(cache_dir, self._pending)
        kept = quantity_file.read_table(path)
        if kept is not None:
            self._table = QuantityTable.build(*kept)
            return self._table
        before, modules = set(sys.modules), set(self._pending.values())
        self._table, patterns, words, by_check = self._make_table()
        quantity_file.write_table(path, patterns, words, by_check, loaded=modules | (set(sys.modules) - before))
        return self._table


REGISTRY = Registry(BUILTIN)

# The default registry's methods, as functions: ``from kb.checks.registry import register``.
register = REGISTRY.register
unregister = REGISTRY.unregister
registered = REGISTRY.registered
get = REGISTRY.get
calculator = REGISTRY.calculator
checks = REGISTRY.checks
calculators = REGISTRY.calculators
validators = REGISTRY.validators
known_ids = REGISTRY.known_ids
entries = REGISTRY.entries
check_quantities = REGISTRY.check_quantities
quantity_table = REGISTRY.quantity_table
keep_quantities = REGISTRY.keep_quantities
