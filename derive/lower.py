"""Lowering: a derivation's sympy expressions -> vectorised numpy, with an mpmath reference.

One source of truth: the numeric function is generated from the same expression the checker
verified (bindings substituted, then ``lambdify`` with common-subexpression elimination), never
copied by hand.  The mpmath path of the same expression is the arbitrary-precision reference
that tests compare the numpy path against.

>>> import sympy as sp
>>> x = sp.Symbol("x", nonnegative=True)
>>> f = Lowered(sp.sqrt(1 + x**2), (x,))
>>> f(np.array([0.0, 1.0])).round(6).tolist()
[1.0, 1.414214]
>>> f(x=2.0).round(6)
np.float64(2.236068)

Calls check the values against the parameters' domain: the symbols' assumptions (``x`` above is
nonnegative), and the bounds, defaults and forbidden combinations of the paper's
:class:`~derive.registry.Domain` when the quantity carries one (:func:`lowered`).

>>> f(-1.0)
Traceback (most recent call last):
...
derive.errors.UsageError: x=-1: x must be >= 0
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from . import bindings as _bindings
from .errors import DerivationError, UsageError

#: A value computed in complex arithmetic is real when its imaginary part is at most this
#: fraction of its modulus (round-off of the complex operations).
REAL_TOLERANCE = 1e-9

#: The most distinct values of one parameter handed to a forbidden-combination check as an axis
#: of a grid (a check may pair every value of one parameter with every value of another).
AXIS = 4096


class Lowered:
    """``expr`` as a function of ``parameters``: numpy (broadcasting arrays) and mpmath.

    ``implicit`` lists :class:`~derive.solvers.MonotoneRoot` solvers for symbols of ``expr``
    that are not parameters (a self-consistent effective ridge): each is solved on the grid
    first, and its root passed on to the formula.

    ``domain`` (a :class:`~derive.registry.Domain`, or None) is the paper's parameter domain:
    its defaults, the parameters that may be infinite, its bounds and forbidden combinations.
    Without one, a call checks the symbols' assumptions only and lets ``inf`` through.
    """

    domain = None  # also for an instance pickled before quantities carried a domain

    def __init__(self, expr, parameters, name="", implicit=(), domain=None):
        self.expr = sp.sympify(expr)
        self.parameters = tuple(parameters)
        self.implicit = tuple(implicit)
        self.name = name or str(expr)
        self.domain = domain
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

    def __call__(self, *arrays, strict=False, **named):
        """Evaluate on numpy arrays (broadcast together), in one vectorised call.

        Values are given in the order of :attr:`parameters`, or by name (``f(kappa=0.5,
        x=xs)``); a parameter the domain gives a default may be left out by name.  They are
        checked first: a value outside a parameter's domain raises a one-line
        :class:`~derive.errors.UsageError`, as ``derive eval`` does.  A combination the domain
        forbids (``tau = 1`` with ``lam = 0``) is a singular point: its value is nan (or the
        infinity the formula gives there) with a :class:`RuntimeWarning` naming it, or a
        :class:`~derive.errors.UsageError` with ``strict=True``.

        A parameter not declared real is passed as complex, so that principal square roots of
        negative numbers (``sqrt(z - 2)`` at ``z = -4``) take their complex value, not nan.  A
        point where real arithmetic gives nan is evaluated again in complex arithmetic, and its
        value kept when it is real (imaginary part within round-off): a closed form whose
        square roots are of negative numbers at real inputs.
        """
        given = [np.asarray(a) for a in self.arguments(arrays, named)]
        from .grid import check_bounds

        check_bounds(dict(zip(self.parameters, given)), self.domain)
        arrays = np.broadcast_arrays(*given)
        columns = dict(zip(self.parameters, arrays))
        singular, reason = self.forbidden(columns, strict=strict, given=given)
        value = self.evaluate(*arrays)
        if singular is not None and singular.any():
            value = mark_singular(value, singular)
            point = np.flatnonzero(singular.ravel())[0]
            where = ", ".join(f"{p}={_show(np.ravel(a)[point])}" for p, a in columns.items())
            warnings.warn(f"{self.name}: {int(singular.sum())} point(s) are a forbidden combination, given "
                          f"as nan (or the formula's infinity), first at {where}: {reason}", RuntimeWarning,
                          stacklevel=2)
        return value

    def arguments(self, arrays, named):
        """The values of :attr:`parameters`, in order, from positional and named arguments
        (the domain's defaults filling in those left out by name)."""
        if len(arrays) > len(self.parameters):
            raise UsageError(f"{self.name} takes {len(self.parameters)} parameters "
                             f"({', '.join(map(str, self.parameters))}), got {len(arrays)}")
        if not named:
            if len(arrays) < len(self.parameters):
                missing = [str(p) for p in self.parameters[len(arrays):]]
                raise UsageError(f"missing parameter {missing[0]} of {self.name} "
                                 f"(parameters: {', '.join(map(str, self.parameters))})")
            return list(arrays)
        by_name = {str(p): p for p in self.parameters}
        values = dict(zip(self.parameters, arrays))
        for name, array in named.items():
            if name not in by_name:
                raise UsageError(f"unknown parameter '{name}' (parameters: {', '.join(by_name)})")
            if by_name[name] in values:
                raise UsageError(f"{name} is given twice")
            values[by_name[name]] = array
        defaults = getattr(self.domain, "defaults", {}) if self.domain is not None else {}
        for parameter in self.parameters:
            if parameter not in values and parameter in defaults:
                default = defaults[parameter]
                values[parameter] = values[default] if default in values else default
        missing = [str(p) for p in self.parameters if p not in values]
        if missing:
            raise UsageError(f"missing parameter {missing[0]} (give {', '.join(f'{m}=...' for m in missing)})")
        return [values[p] for p in self.parameters]

    def forbidden(self, columns, strict=False, given=None):
        """``(mask, reason)``: the points of ``columns`` (``{parameter: array}``, broadcast
        together) that are a combination the domain forbids, and the first refusal; ``(None,
        None)`` when there is none.  With ``strict`` the refusal is raised instead.

        ``given`` are the arrays before broadcasting: a check that passes on every combination
        of their values (as the command line asks it) passes on the points, without a search."""
        validators = getattr(self.domain, "forbidden", ()) if self.domain is not None else ()
        if not validators:
            return None, None
        from .grid import forbidden_points

        given = list(columns.values()) if given is None else given
        axes = {p: np.unique(a) for p, a in zip(self.parameters, given)}
        shape = np.shape(next(iter(columns.values()))) if columns else ()
        flat = None
        mask, reason = np.zeros(int(np.prod(shape)), dtype=bool), None
        for validate in validators:
            if max((len(a) for a in axes.values()), default=0) <= AXIS:
                try:
                    validate(axes)
                    continue
                except Exception:  # refused, or a check that wants paired points: search them
                    pass
            flat = flat if flat is not None else {p: np.ravel(a) for p, a in columns.items()}
            found, error = forbidden_points(validate, flat)
            if error is not None:
                if strict:
                    raise error
                mask |= found
                reason = reason or error
        return mask.reshape(shape), reason

    def evaluate(self, *arrays):
        """The values at ``arrays`` (in the order of :attr:`parameters`), without the domain's
        checks; the implicit unknowns are solved first, and a point where real arithmetic
        gives nan is evaluated again in complex arithmetic (see :meth:`__call__`)."""
        arrays = [np.asarray(a, dtype=complex) if not p.is_real else np.asarray(a)
                  for p, a in zip(self.parameters, arrays)]
        arrays = np.broadcast_arrays(*arrays)
        roots = [solver(*arrays) for solver in self.implicit]
        with np.errstate(all="ignore"):
            value = self._numpy(*arrays, *roots)
        shape = arrays[0].shape if arrays else ()
        value = np.broadcast_to(value, shape) if np.ndim(value) == 0 else value
        return self._complex_where_nan(arrays, roots, value, shape)

    def _complex_where_nan(self, arrays, roots, value, shape):
        """``value`` with its nan points (at inputs that are not nan) evaluated again in complex
        arithmetic, where that gives a real number."""
        if np.iscomplexobj(value) or not np.issubdtype(np.asarray(value).dtype, np.floating):
            return value
        if np.shape(value) != shape or not np.isnan(value).any():
            return value
        todo = np.isnan(value)
        for a in [*arrays, *roots]:
            todo &= ~np.isnan(np.broadcast_to(np.asarray(a), shape))
        if not todo.any():
            return value
        inputs = [np.broadcast_to(np.asarray(a), shape)[todo] for a in arrays]
        known = [np.broadcast_to(np.asarray(r), shape)[todo] for r in roots]
        # With mpmath, point by point, not numpy in complex: numpy's complex arithmetic carries
        # signed zeros (-2 - 0j), which put a square root on the wrong side of its cut; mpmath,
        # like sympy and the checker, takes the principal branch.
        again = np.full(int(todo.sum()), np.nan, dtype=complex)
        with mpmath.workdps(30):
            for i in range(again.size):
                try:
                    again[i] = complex(self._mpmath(*[mpmath.mpmathify(float(a[i])) for a in inputs],
                                                    *[mpmath.mpmathify(float(r[i])) for r in known]))
                except (TypeError, ValueError, ArithmeticError):  # no complex form: stays nan
                    continue
        real = np.isfinite(again) & (np.abs(again.imag) <= REAL_TOLERANCE * np.abs(again))
        if not real.any():
            return value
        value = np.array(value, dtype=float)
        positions = np.flatnonzero(todo)[real]
        value.flat[positions] = again.real[real]
        return value

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


def lower_quantity(derivation, name, domain=None):
    """A :class:`Lowered` function for the quantity ``name`` (implicit symbols solved first),
    checking its parameters against ``domain`` (a :class:`~derive.registry.Domain`; without one,
    against the symbols' assumptions only)."""
    quantity = _quantity(derivation, name)
    solvers = [implicit_root(derivation, quantity, symbol) for symbol in quantity.implicit]
    return Lowered(closed_form(derivation, name), quantity.parameters, name=name, implicit=solvers,
                   domain=domain)


def lowered(target, name):
    """The quantity ``name`` of ``target``, lowered, with the parameter domain ``derive eval``
    uses: ``target`` is a shipped derivation's name (``"lu2025"``), the path of a file that
    defines ``derivation`` or ``paper``, a :class:`~derive.registry.Paper`, or a
    :class:`~derive.derivation.Derivation` (which has no domain beyond its symbols').

    A shipped paper's quantity comes from the prebuilt cache when the code is unchanged, without
    building the derivation.
    """
    import os

    from .derivation import Derivation
    from .registry import Paper

    if isinstance(target, Derivation):
        return lower_quantity(target, name)
    if isinstance(target, Paper):
        return lower_quantity(target.derivation(), name, domain=target.domain)
    from .prebuilt import lowered_quantity
    from .registry import load_paper

    def load(path):
        paper = load_paper(path)
        paper.derivation().validate()
        return paper

    found, _ = lowered_quantity(os.fspath(target), name, load)
    return found


def mark_singular(value, singular):
    """``value`` with nan at the ``singular`` points, unless the formula gave an infinity there
    (a divergence that the value already states)."""
    value = np.array(np.broadcast_to(value, np.shape(singular)))
    keep = np.isinf(value) & singular
    value[singular & ~keep] = np.nan
    return value


def _show(value):
    from .grid import show_complex

    return show_complex(value) if np.iscomplexobj(value) else f"{float(value):g}"

