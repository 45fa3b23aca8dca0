"""``substitute``: a premise with the names bound by other steps replaced by their values."""

from __future__ import annotations

import sympy as sp

from .. import bindings as _bindings
from ..errors import DerivationError
from ..step import Step
from . import Rule, register


def substitute(self, label, into, using, *, simplify=None, explanation="", ref=""):
    """Replace in premise ``into`` every name bound by the steps ``using``.

    ``simplify`` (a function such as ``sympy.factor``) is applied to both sides afterwards.
    """
    using = (using,) if isinstance(using, str) else tuple(using)
    table = []
    for u in using:
        pair = _bindings.binding_of(self[u].statement)
        if pair is None:
            raise DerivationError(f"'{u}' is not of the form name = value, so it cannot be substituted",
                                  label)
        table.append(pair)
    source = self[into]
    lhs = _bindings.substitute(source.statement.lhs, table)
    rhs = _bindings.substitute(source.statement.rhs, table)
    if simplify is not None:
        lhs, rhs = simplify(lhs), simplify(rhs)
    return self._add(Step(label, sp.Eq(lhs, rhs), "substitute", (into,) + using, source.conditions,
                          explanation, ref))


@register
class Substitute(Rule):
    kind = "substitute"
    title = "Substitution"
    verb = substitute
