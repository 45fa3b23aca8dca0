"""A single step of a derivation: what it states, how it follows, and from what.

A step's *statement* is a sympy relation (``Eq`` for identities, ``Eq(expr, series + O(...))``
for expansions, ``Eq(Limit(...), value)`` for limits).  Its *rule* says how it follows from
its *premises*; the checker in :mod:`derive.check` decides whether it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

#: The two kinds that are not exact consequences: ``definition`` introduces notation and is not
#: proved; ``fact`` is an asymptotic statement checked by simulation.  Every kind, these two
#: included, is a rule of :mod:`derive.rules`.
DEFINITION = "definition"
FACT = "fact"


@dataclass(frozen=True)
class Step:
    """One node of the derivation graph.

    Attributes
    ----------
    label : str
        Unique name, used in ``uses=``, in LaTeX ``\\label`` and on the command line.
    statement : sympy.Eq
        What the step asserts.
    kind : str
        The kind of rule that gives it (a key of :data:`derive.rules.RULES`).
    uses : tuple of str
        Labels of the premises.
    conditions : tuple of sympy relations
        Side conditions under which the statement is claimed (``tau > 1``, ``im(z) > 0``).
        The numeric checker samples only points where they hold.
    explanation : str
        One line of justification, printed in tables and LaTeX.
    ref : str
        Where the result stands in a paper ("Lu et al. 2025, Result 1"); empty when none.
    binds : bool
        True when ``statement.lhs`` is a name (symbol or ``f(x, y)``) the step gives a value to;
        later steps may substitute it.  Set for definitions and for solved closed forms.
    rule : dict
        Rule-specific data the checker needs (the solved-for atom, the branch conditions,
        the variable of a limit or series).
    check : object or None
        For facts: the simulation that checks them (see :class:`derive.montecarlo.Simulation`).
    """

    label: str
    statement: Any
    kind: str
    uses: tuple = ()
    conditions: tuple = ()
    explanation: str = ""
    ref: str = ""
    binds: bool = False
    rule: dict = field(default_factory=dict)
    check: Any = None

    def __repr__(self):
        return f"Step {self.label!r} ({self.kind})"

    def _repr_latex_(self):
        """The statement as display math (Jupyter shows it), in the notation of the derivation
        it was added to (its symbol map and function subscripts: ``M_\\kappa(x)``,
        ``e^{ICL}``), printed by the printer of ``derive latex`` and ``derive show --latex``."""
        from types import SimpleNamespace

        from .latex import DocumentWriter

        names, subscripts = getattr(self, "_notation", ({}, {}))

        class Alone:  # the notation only, and premises whose right sides match no limit's body
            latex_names, latex_subscripts = names, subscripts

            def __getitem__(self, label):
                return SimpleNamespace(statement=SimpleNamespace(rhs=None))

        return f"$\\displaystyle {DocumentWriter(Alone()).statement(self)}$"

    def with_side(self, side, new):
        """The same step stating ``new`` as its ``side`` ("lhs" or "rhs"), unevaluated (a mutant)."""
        lhs, rhs = (new, self.statement.rhs) if side == "lhs" else (self.statement.lhs, new)
        return replace(self, statement=sp.Eq(lhs, rhs, evaluate=False))

    @property
    def residual(self):
        """``lhs - rhs`` of the statement: the step holds where this vanishes."""
        return self.statement.lhs - self.statement.rhs

    @property
    def is_exact(self):
        from .rules import rule_for

        return rule_for(self.kind).exact

    def symbols(self):
        """Free symbols and undefined-function heads the statement mentions."""
        stmt = self.statement
        names = set(stmt.free_symbols)
        names |= {f.func for f in stmt.atoms(sp.core.function.AppliedUndef)}
        for cond in self.conditions:
            names |= cond.free_symbols
        return names
