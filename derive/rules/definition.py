"""``define``: notation, ``Eq(name, value)`` (or ``Eq(name, Meaning(...))``); not proved."""

from __future__ import annotations

import sympy as sp

from .. import bindings as _bindings
from ..errors import DerivationError
from ..notation import Meaning
from ..step import DEFINITION, Step
from . import Rule, register


def define(self, label, statement, *, uses=(), explanation="", ref=""):
    """Introduce notation: ``statement`` is ``Eq(name, value)``; later steps may substitute it.

    A definition whose left side is not a name (a symbol, or ``f(x, y)`` with distinct symbol
    arguments) is a build error.  Definitions are not proved; their free symbols become
    declared names.
    """
    opaque = isinstance(statement, sp.Equality) and statement.rhs.atoms(Meaning)
    if _bindings.binding_of(statement) is None and not opaque:
        raise DerivationError(
            "a definition must read Eq(name, value) with a symbol or f(x, ...) on the left, "
            "not occurring on the right", label)
    return self._add(Step(label, statement, DEFINITION, tuple(uses), explanation=explanation,
                          ref=ref, binds=not opaque))


@register
class Definition(Rule):
    kind = DEFINITION
    title = "Definition"
    verb = define
    exact = False
    relation_symbol = ":="
    shape = "note"
