"""Lowering: a derivation's sympy expressions -> vectorised numpy, with an mpmath reference.

One source of truth: the numeric function is generated from the same expression the checker
verified (bindings substituted, then ``lambdify`` with common-subexpression elimination), never
copied by hand.  The mpmath path of the same expression is the arbitrary-precision reference
that tests compare the numpy path against.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> f = Lowered(sp.sqrt(1 + x**2), (x,))
>>> f(np.array([0.0, 1.0])).round(6).tolist()
[1.0, 1.414214]
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from . import bindings as _bindings
from .errors import DerivationError


class Lowered:
    """``expr`` as a function of ``parameters``: numpy (broadcasting arrays) and mpmath.

    ``implicit`` lists :class:`~derive.solvers.MonotoneRoot` solvers for symbols of ``expr``
    that are not parameters (a self-consistent effective ridge): each is solved on the grid
    first, and its root passed on to the formula.
    """

    def __init__(self, expr, parameters, name="", implicit=()):
        self.expr = sp.sympify(expr)
        self.parameters = tuple(parameters)
        self.implicit = tuple(implicit)
        self.name = name or str(expr)
        unknowns = tuple(solver.unknown for solver in self.implicit)
        extra = self.expr.free_symbols - set(self.parameters) - set(unknowns)
        if extra:
            names = ", ".join(sorted(map(str, extra)))
            raise DerivationError(f"quantity '{self.name}' still depends on {names}, which is not a parameter")
        unresolved = self.expr.atoms(AppliedUndef, sp.Derivative)
        if unresolved:
            raise DerivationError(f"quantity '{self.name}' has no closed form for "
                                  f"{sorted(map(str, unresolved))[0]}: cite the step that solves it")
        arguments = self.parameters + unknowns
        self._numpy = sp.lambdify(arguments, self.expr, modules="numpy", cse=True)
        self._mpmath = sp.lambdify(arguments, self.expr, modules="mpmath")

    def __call__(self, *arrays):
        """Evaluate on numpy arrays (broadcast together), in one vectorised call.

        A parameter not declared real is passed as complex, so that principal square roots of
        negative numbers (``sqrt(z - 2)`` at ``z = -4``) take their complex value, not nan.
        """
        arrays = [np.asarray(a, dtype=complex) if not p.is_real else np.asarray(a)
                  for p, a in zip(self.parameters, arrays)]
        arrays = np.broadcast_arrays(*arrays)
        roots = [solver(*arrays) for solver in self.implicit]
        with np.errstate(all="ignore"):
            value = self._numpy(*arrays, *roots)
        shape = arrays[0].shape if arrays else ()
        return np.broadcast_to(value, shape) if np.ndim(value) == 0 else value

    def reference(self, *values, dps=50):
        """The same expression at one point with mpmath at ``dps`` digits."""
        with mpmath.workdps(dps):
            roots = [solver.reference(*values, dps=dps) for solver in self.implicit]
            return self._mpmath(*[mpmath.mpmathify(v) for v in values], *roots)


def _quantity(derivation, name):
    quantity = derivation.quantities.get(name)
    if quantity is None:
        known = ", ".join(sorted(derivation.quantities)) or "none"
        raise DerivationError(f"no quantity '{name}' in '{derivation.name}' (known: {known})")
    return quantity


def _table(derivation, quantity, uses):
    """The bindings of the steps ``uses`` that a quantity may substitute: never one of its
    parameters or implicit unknowns (a step solved for ``lam`` does not fix ``lam``)."""
    fixed = set(quantity.parameters) | set(quantity.implicit)
    return [(name, value) for name, value in derivation.bindings(uses) if name not in fixed]


def closed_form(derivation, name):
    """The quantity ``name`` of ``derivation`` with every binding of its steps substituted."""
    quantity = _quantity(derivation, name)
    return _bindings.substitute(quantity.expr, _table(derivation, quantity, quantity.uses))


def implicit_root(derivation, quantity, unknown):
    """The :class:`~derive.solvers.MonotoneRoot` of ``unknown`` for ``quantity``: the residual
    ``lhs - rhs`` of the step it names, and the closed forms of the steps it cites with their
    conditions, in the bindings of the quantity's steps and of those steps' premises."""
    from .derivation import closed_root
    from .solvers import MonotoneRoot

    spec = quantity.implicit[unknown]
    step = derivation[spec["step"]]
    table = _table(derivation, quantity, quantity.uses + step.uses)
    closed = lambda expr: _bindings.substitute(sp.sympify(expr), table)
    pieces = []
    for label in spec.get("closed", ()):
        source = derivation[label]
        value, when = closed_root(source, unknown, quantity.parameters)
        own = _table(derivation, quantity, quantity.uses + source.uses)
        pieces.append((_bindings.substitute(sp.sympify(value), own), _bindings.substitute(when, own)))
    if not pieces:
        value = when = None
    elif len(pieces) == 1:
        value, when = pieces[0]
    else:
        value = sp.Piecewise(*pieces, (sp.nan, True))
        when = sp.Or(*(w for _, w in pieces))
    return MonotoneRoot(closed(step.residual), unknown, quantity.parameters,
                        lower=closed(spec.get("lower", 0)), upper=closed(spec.get("upper", 1)),
                        closed=value, closed_when=when)


def lower_quantity(derivation, name):
    """A :class:`Lowered` function for the quantity ``name`` (implicit symbols solved first)."""
    quantity = _quantity(derivation, name)
    solvers = [implicit_root(derivation, quantity, symbol) for symbol in quantity.implicit]
    return Lowered(closed_form(derivation, name), quantity.parameters, name=name, implicit=solvers)

