"""The checks faq knows: the built-in plug-ins, and any registered at run time.

Everything that knows a check by id asks here: `faq calc` builds a subcommand per
calculator, the app a form, `ask` runs the calculators an answer links, lint accepts the
known ids in an entry's ``checks = [...]``, the glossary matcher gets the quantities, and
training poses each check's drills under the entry that links it. A new check is one module
exposing a :class:`~kb.checks.spec.Calculator` (or :class:`~kb.checks.spec.Validator`) and
one line in ``BUILTIN``, or a ``register(check)`` call from outside.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from kb.checks.spec import Calculator, Check

if TYPE_CHECKING:
    from kb.text.glossary import QuantityTable

# The built-in checks, in the order `faq calc --help` lists them: modules exposing ``CHECK``.
BUILTIN = ("kb.checks.concurrency", "kb.checks.migration", "kb.checks.validator")

C = TypeVar("C", bound=Check)


class Registry:
    """An ordered set of checks by id; registering twice the same id is an error."""

    def __init__(self, checks: Iterable[Check] = ()) -> None:
        self._checks: dict[str, Check] = {}
        for check in checks:
            self.register(check)

    def register(self, check: C) -> C:
        """Add ``check``; returns it, so a module can write ``CHECK = register(Calculator(...))``."""
        if check.id in self._checks:
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
        return check

    def unregister(self, check_id: str) -> None:
        """Remove the check ``check_id`` (a KeyError when there is none)."""
        del self._checks[check_id]

    @contextmanager
    def registered(self, check: C) -> Iterator[C]:
        """``check`` registered for the duration of a ``with`` block (tests, embedding)."""
        self.register(check)
        try:
            yield check
        finally:
            self.unregister(check.id)

    def get(self, check_id: str) -> Check | None:
        return self._checks.get(check_id)

    def calculator(self, check_id: str) -> Calculator | None:
        """The calculator ``check_id``, or None for a validator or an unknown id."""
        check = self._checks.get(check_id)
        return check if isinstance(check, Calculator) else None

    def checks(self) -> tuple[Check, ...]:
        return tuple(self._checks.values())

    def calculators(self) -> tuple[Calculator, ...]:
        return tuple(c for c in self._checks.values() if isinstance(c, Calculator))

    def known_ids(self) -> frozenset[str]:
        """Every id an entry may link in ``checks = [...]``."""
        return frozenset(self._checks)

    def entries(self) -> dict[str, str]:
        """Each check's own entry, by check id."""
        return {c.id: c.entry for c in self._checks.values()}

    def check_quantities(self) -> dict[str, tuple[str, ...]]:
        """The quantity kinds each check computes with, by check id (empty for most)."""
        return {c.id: tuple(q.kind for q in c.quantities) for c in self._checks.values()}

    def quantity_table(self) -> QuantityTable:
        """The quantities of every check, for the glossary matcher and the index."""
        from kb.text.glossary import QuantityTable

        patterns: dict[str, str] = {}
        words: set[str] = set()
        for check in self._checks.values():
            for quantity in check.quantities:
                patterns.setdefault(quantity.kind, quantity.pattern)
                words.update(quantity.unit_words)
        return QuantityTable.build(patterns, words, self.check_quantities())


def _builtin() -> list[Check]:
    return [importlib.import_module(name).CHECK for name in BUILTIN]


REGISTRY = Registry(_builtin())

# The default registry's methods, as functions: ``from kb.checks.registry import register``.
register = REGISTRY.register
unregister = REGISTRY.unregister
registered = REGISTRY.registered
get = REGISTRY.get
calculator = REGISTRY.calculator
checks = REGISTRY.checks
calculators = REGISTRY.calculators
known_ids = REGISTRY.known_ids
entries = REGISTRY.entries
check_quantities = REGISTRY.check_quantities
quantity_table = REGISTRY.quantity_table

