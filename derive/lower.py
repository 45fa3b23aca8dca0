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

import cmath
import warnings

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.codeprinter import PrintMethodNotImplementedError

from . import bindings as _bindings
from .errors import DerivationError, InternalError, UsageError, did_you_mean
from .roundoff import UNIT, ErrorBound, relative
from .special import lambdify, missing_names

#: A value computed in complex arithmetic is real when its imaginary part is at most this
#: fraction of its modulus (round-off of the complex operations).
REAL_TOLERANCE = 1e-9

#: A point is evaluated again with mpmath when the bound on its relative rounding error
#: (:mod:`derive.roundoff`) exceeds this: typical points of the shipped formulas have bounds
#: below 1e-11.
TOLERANCE = 1e-10

#: The highest precision (bits) mpmath may raise to before a point is given up as unsettled
#: (cancellation of terms of 1e300 against terms of 1 needs about 2000).
MAX_BITS = 12_000

#: Half the smallest double, below which an error bound leaves a value of 0 exactly 0.
_HALF_TINY = mpmath.mpf(2) ** -1075

#: The most distinct values of one parameter handed to a forbidden-combination check as an axis
#: of a grid (a check may pair every value of one parameter with every value of another).
AXIS = 4096


#: Spectral means over given spectra, plugged in by :mod:`derive.rmt.given` when free probability
#: is imported: ``specialise(expr, spectra)`` puts each law's spectrum into its means, and
#: ``laws_of(expr)`` names the laws means are over.  Until then no expression holds a mean.
GIVEN_SPECTRA = {"specialise": lambda expr, spectra: expr, "laws_of": lambda expr: []}


class Lowered:
    """``expr`` as a function of ``parameters``: numpy (broadcasting arrays) and mpmath.

    ``implicit`` lists :class:`~derive.solvers.MonotoneRoot` solvers for symbols of ``expr``
    that are not parameters (a self-consistent effective ridge): each is solved on the grid
    first, and its root passed on to the formula.

    ``domain`` (a :class:`~derive.registry.Domain`, or None) is the paper's parameter domain:
    its defaults, the parameters that may be infinite, its bounds and forbidden combinations.
    Without one, a call checks the symbols' assumptions only and lets ``inf`` through.

    ``range`` is ``(low, high)`` (either None for unbounded), the values the quantity can take
    (an error is ``>= 0``): a value outside it is a bug, never printed (see :meth:`evaluate`).
    """

    domain = None  # also for an instance pickled before quantities carried a domain
    range = None
    #: Where :attr:`lineage` comes from: a Derivation, or a function returning one (a quantity
    #: from the prebuilt cache builds its derivation only when asked); None: no lineage.
    source = None
    _lineage = None
    #: ``((label, verdict cache key), ...)`` of the steps it rests on (see :func:`_lineage_keys`).
    lineage_keys = ()

    def __init__(self, expr, parameters, name="", implicit=(), domain=None, range=None, spectra=None):
        self.expr = sp.sympify(expr)
        self.parameters = tuple(parameters)
        self.implicit = tuple(implicit)
        self.name = name or str(expr)
        self.domain = domain
        unknowns = tuple(solver.unknown for solver in self.implicit)
        if spectra:
            specialise = GIVEN_SPECTRA["specialise"]

            # a mean over a given spectrum is a node derive.special computes (derive.rmt.given)
            self.expr = specialise(self.expr, spectra)
        self._require_spectra()
        extra = self.expr.free_symbols - set(self.parameters) - set(unknowns)
        if extra:
            names = ", ".join(sorted(map(str, extra)))
            raise DerivationError(f"quantity '{self.name}' still depends on {names}, which is not a parameter")
        unresolved = self.expr.atoms(AppliedUndef, sp.Derivative)
        if unresolved:
            raise DerivationError(f"quantity '{self.name}' has no closed form for "
                                  f"{sorted(map(str, unresolved))[0]}: cite the step that solves it")
        arguments = self.parameters + unknowns
        # hypergeometric functions and integrals have no numpy function: derive.special gives one
        try:
            self._numpy = lambdify(arguments, self.expr, cse=True)
        except PrintMethodNotImplementedError as exc:
            raise UsageError(f"quantity '{self.name}' has a function derive cannot evaluate numerically: "
                             f"{str(exc).splitlines()[0]}") from None
        missing = missing_names(self._numpy)
        if missing:
            raise UsageError(f"quantity '{self.name}' has {missing[0]}, a function derive cannot evaluate "
                             "numerically (docs/cli.md, Special functions, lists those it can)")
        self._mpmath = lambdify(arguments, self.expr, modules="mpmath")
        self._bound = ErrorBound(self.expr, arguments)
        self.range = range

    def _require_spectra(self):
        """A spectral mean over a law whose spectrum is not given has no value: one line naming it."""
        laws_of = GIVEN_SPECTRA["laws_of"]

        missing = laws_of(self.expr)
        for solver in self.implicit:
            missing += laws_of(getattr(solver, "equation", sp.S.Zero))
        if missing:
            raise UsageError(f"quantity '{self.name}' has a spectral mean over {missing[0]}: give its spectrum "
                             f"(spectra={{'{missing[0]}': ...}} in Python, --spectrum {missing[0]}=... for derive "
                             "eval: eigenvalues, a file of them, or a law such as mp(0.5))")

    def __getstate__(self):
        """Pickled (the prebuilt cache) without its derivation or lineage: a verdict is read
        from the check cache when asked, never kept beside the numbers."""
        state = dict(self.__dict__)
        state.pop("source", None)
        state.pop("_lineage", None)
        return state

    @property
    def lineage(self):
        """The :class:`~derive.lineage.Lineage` of the quantity: the steps its value rests on and
        their statuses, checked on first use (:func:`derive.lineage.quantity_lineage`); None for
        an expression lowered without a derivation."""
        if self._lineage is None and self.lineage_keys:
            self._lineage = _cached_lineage(self.name, self.lineage_keys)
        if self._lineage is None and self.source is not None:
            from .derivation import Derivation
            from .lineage import quantity_lineage

            derivation = self.source if isinstance(self.source, Derivation) else self.source()
            self._lineage = quantity_lineage(derivation, self.name)
        return self._lineage

    def __call__(self, *arrays, strict=False, **named):
        """Evaluate on numpy arrays (broadcast together), in one vectorised call.

        Values are given in the order of :attr:`parameters`, or by name (``f(kappa=0.5,
        x=xs)``); a parameter the domain gives a default may be left out by name.  They are
        checked first: a value outside a parameter's domain raises a one-line
        :class:`~derive.errors.UsageError`, as ``derive eval`` does.  A combination the domain
        forbids (``tau = 1`` with ``lam = 0``) is a singular point: its value is nan (or the
        infinity the formula gives there) with a :class:`RuntimeWarning` naming it, or a
        :class:`~derive.errors.UsageError` with ``strict=True``.

        A quantity resting on a step that is not verified (:attr:`lineage`) gives a
        :class:`~derive.errors.LineageWarning` naming the steps, or with ``strict=True`` raises
        :class:`~derive.errors.UnverifiedLineage` before anything is computed.

        A parameter not declared real is passed as complex, so that principal square roots of
        negative numbers (``sqrt(z - 2)`` at ``z = -4``) take their complex value, not nan.  A
        point where real arithmetic gives nan is evaluated again in complex arithmetic, and its
        value kept when it is real (imaginary part within round-off): a closed form whose
        square roots are of negative numbers at real inputs.
        """
        given = [np.asarray(a) for a in self.arguments(arrays, named)]
        from .grid import check_bounds
        from .lineage import settle

        check_bounds(dict(zip(self.parameters, given)), self.domain)
        settle(self.lineage, strict=strict)
        arrays = np.broadcast_arrays(*given)
        columns = dict(zip(self.parameters, arrays))
        singular, reason = self.forbidden(columns, strict=strict, given=given)
        notes = []
        value = self.evaluate(*arrays, skip=singular, notes=notes)
        for note in notes:
            if strict:
                raise UsageError(note)
            warnings.warn(note, RuntimeWarning, stacklevel=2)
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
                raise UsageError(f"unknown parameter '{name}'{did_you_mean(name, by_name)} "
                                 f"(parameters: {', '.join(by_name)})")
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

    def evaluate(self, *arrays, skip=None, guard=True, notes=None):
        """The values at ``arrays`` (in the order of :attr:`parameters`), without the domain's
        checks; the implicit unknowns are solved first.

        Every point carries a bound on its rounding error (:mod:`derive.roundoff`, the root's
        own error included); a point whose relative bound exceeds :data:`TOLERANCE`, or whose
        value is nan, is evaluated again with mpmath at a precision raised until two
        precisions agree (:meth:`_precise`; principal branches, as the checker takes them).
        A complex result is kept for a real quantity only when its imaginary part is round-off.
        A point mpmath cannot settle, or whose value lies outside double precision's range,
        is nan, and a line in ``notes`` (a list) says why.  ``skip`` (a mask) marks points not
        to evaluate again (forbidden combinations).  ``guard=False`` skips the bound and
        mpmath: the raw double-precision values, for measuring what the guard costs.

        A finite value outside the quantity's declared :attr:`range` (a negative error) is a
        bug, raised as :class:`~derive.errors.InternalError` naming the quantity and the point.
        """
        arrays = [np.asarray(a, dtype=complex) if not p.is_real else np.asarray(a)
                  for p, a in zip(self.parameters, arrays)]
        arrays = np.broadcast_arrays(*arrays)
        shape = arrays[0].shape if arrays else ()
        solved = [solver.solve(*arrays, bound=guard) for solver in self.implicit]
        roots = [root for root, _ in solved]
        if not guard:
            with np.errstate(all="ignore"):
                value = self._numpy(*arrays, *roots)
            return np.broadcast_to(value, shape) if np.ndim(value) == 0 else value
        # The value is the one the bound is of (the same operations in the same order: numpy's
        # signed zeros put a square root on one side of its cut or the other, and the bound
        # must see the side the value took).
        value, error = self._bound([*arrays, *roots], [0.0] * len(arrays) + [e for _, e in solved])
        value = np.broadcast_to(value, shape)
        bound = np.broadcast_to(relative(value, error), shape)
        todo = bound > TOLERANCE
        for a in arrays:
            todo &= ~np.isnan(a)
        if skip is not None:
            todo &= ~np.broadcast_to(skip, shape)
        if todo.any():
            value = self._again(arrays, value, bound, todo, notes if notes is not None else [])
        self._check_range(arrays, value)
        return value

    def _again(self, arrays, value, bound, todo, notes):
        """``value`` with the points ``todo`` evaluated with mpmath (see :meth:`evaluate`)."""
        positions = np.flatnonzero(todo)
        inputs = [np.broadcast_to(a, todo.shape).ravel()[positions] for a in arrays]
        real = not np.iscomplexobj(value)
        value = np.array(value, dtype=float if real else complex)
        flat = value.reshape(-1)
        unsettled, overflow = [], []
        # digits the double-precision bound says are lost: mpmath starts where they are not
        lost = np.log2(np.maximum(bound.reshape(-1)[positions], 1.0) / UNIT)
        start = np.where(np.isfinite(lost), 80 + np.ceil(lost), 80).astype(int)
        for k, i in enumerate(positions):
            point = [_mp(a[k]) for a in inputs]
            try:
                precise = self._precise(point, bits=int(start[k]))
            except (ArithmeticError, ValueError, TypeError, mpmath.libmp.NoConvergence):
                precise = mpmath.nan
            if mpmath.isfinite(precise) and abs(precise) > np.finfo(float).max:
                overflow.append(i)  # before complex(), which would make it inf
                flat[i] = np.nan
                continue
            found = complex(precise) if mpmath.isfinite(precise) else complex(np.nan, np.nan)
            if not cmath.isfinite(found):
                if np.isfinite(flat[i]):  # a number double precision gave, which mpmath cannot confirm
                    unsettled.append(i)
                    flat[i] = np.nan
                continue  # a singular point stays as the formula gives it (nan, or its infinity)
            if real:
                flat[i] = found.real if abs(found.imag) <= REAL_TOLERANCE * abs(found) else np.nan
            else:
                flat[i] = found
        for positions_, why in ((unsettled, "mpmath could not settle its value"),
                                (overflow, "its magnitude is beyond double precision (1.8e308)")):
            if positions_:
                notes.append(Note(f"{self.name} is nan at {len(positions_)} point(s) where {why}, first at "
                                  f"{self._where(arrays, positions_[0])}", positions_))
        return value

    def _precise(self, point, bits=80):
        """The quantity at one point (mpmath numbers) with mpmath, from ``bits`` of precision,
        doubled until its rounding-error bound at that precision (:mod:`derive.roundoff`, with
        ``u = 2^-prec``, the roots' certified errors included) is below ``2^-60`` of the value,
        or below the smallest double when the value is 0 to double precision.  A failure at one
        precision (a division by a difference that cancelled to 0, a root not yet certified)
        only raises the precision.  Past :data:`MAX_BITS`: :class:`mpmath.libmp.NoConvergence`."""
        exact = [0] * len(point)
        while True:
            with mpmath.workprec(bits):
                try:
                    solved = [solver.certified(*point) for solver in self.implicit]
                    value, error = self._bound.at_working_precision(
                        [*point, *(r for r, _ in solved)], exact + [e for _, e in solved])
                except (ArithmeticError, ValueError, TypeError, mpmath.libmp.NoConvergence):
                    value, error = mpmath.nan, mpmath.inf
                # (2^-1075 as an mpf: the Python float 2.0 ** -1075 underflows to 0, and a value
                # that is 0 exactly could never settle)
                if mpmath.isfinite(value) and (error <= 2.0 ** -60 * abs(value) or error < _HALF_TINY):
                    return value
            if bits >= MAX_BITS:
                raise mpmath.libmp.NoConvergence(f"{self.name} is not settled at {MAX_BITS} bits")
            bits = min(2 * bits, MAX_BITS)

    def _where(self, arrays, position):
        return ", ".join(f"{p}={_show(np.ravel(np.broadcast_to(a, arrays[0].shape))[position])}"
                         for p, a in zip(self.parameters, arrays))

    def _check_range(self, arrays, value):
        """Raise :class:`~derive.errors.InternalError` at the first finite value outside
        :attr:`range`."""
        if self.range is None or np.iscomplexobj(value):
            return
        low, high = self.range
        finite = np.isfinite(value)
        bad = finite & (((value < low) if low is not None else False) | ((value > high) if high is not None else False))
        if np.any(bad):
            i = int(np.flatnonzero(np.ravel(bad))[0])
            shown = f"[{_bound_text(low, '-inf')}, {_bound_text(high, 'inf')}]"
            raise InternalError(f"{self.name} = {float(np.ravel(value)[i])!r} at {self._where(arrays, i)} is outside "
                                f"its range {shown}: the evaluation is wrong there")

    def reference(self, *values, dps=50):
        """The same expression at one point with mpmath at ``dps`` digits (no error control:
        :meth:`evaluate` raises the precision where it must)."""
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


def implicit_root(derivation, quantity, unknown, spectra=None):
    """The :class:`~derive.solvers.MonotoneRoot` of ``unknown`` for ``quantity``: the residual
    ``lhs - rhs`` of the step it names (``value - equals`` with ``equals=``), and the closed
    forms of the steps it cites with their conditions, in the bindings of the quantity's steps
    and of those steps' premises.  ``spectra`` gives the spectra of the spectral means the
    residual holds (``kappa = lam + kappa <R/(R + kappa)>/N``; :mod:`derive.rmt.given`)."""
    from .derivation import closed_root
    from .solvers import MonotoneRoot
    specialise = GIVEN_SPECTRA["specialise"]

    spec = quantity.implicit[unknown]
    step = derivation[spec["step"]]
    table = _table(derivation, quantity, quantity.uses + step.uses)
    closed = lambda expr: specialise(_bindings.substitute(sp.sympify(expr), table), spectra)
    pieces = []
    for label in spec.get("closed", ()):
        source = derivation[label]
        value, when = closed_root(source, unknown, quantity.parameters)
        own = _table(derivation, quantity, quantity.uses + source.uses)
        pieces.append((specialise(_bindings.substitute(sp.sympify(value), own), spectra),
                       specialise(_bindings.substitute(when, own), spectra)))
    if not pieces:
        value = when = None
    elif len(pieces) == 1:
        value, when = pieces[0]
    else:
        value = sp.Piecewise(*pieces, (sp.nan, True))
        when = sp.Or(*(w for _, w in pieces))
    if "equals" in spec:  # the member of a family whose bound name takes the value asked for
        residual = closed(_bindings.binding_of(step.statement)[1]) - sp.sympify(spec["equals"])
    else:
        residual = closed(step.residual)
    if unknown not in residual.free_symbols:
        raise DerivationError(f"quantity '{quantity.name}': the closed form of step '{spec['step']}' does not "
                              f"involve {unknown}")
    return MonotoneRoot(residual, unknown, quantity.parameters,
                        lower=closed(spec.get("lower", 0)), upper=closed(spec.get("upper", 1)),
                        closed=value, closed_when=when)


def root_solvers(derivation, quantity, expr, spectra=None):
    """``(expr', solvers)``: ``expr`` with every name defined as a root (a ``root`` step among
    the quantity's steps and their premises, :mod:`derive.rules.root`) replaced by an unknown,
    and an :class:`~derive.solvers.IntervalRoot` for each, solving the root step's equation (in
    the bindings of its premises) on its interval, under its conditions.  ``spectra`` gives the
    spectra of the spectral means the equation holds, as for :func:`implicit_root`."""
    from .rules.root import root_names
    from .solvers import IntervalRoot
    specialise = GIVEN_SPECTRA["specialise"]

    steps = []
    for label in quantity.steps():
        steps += [derivation[label], *derivation.ancestors(label)]
    solvers = []
    for name, step in root_names(steps).items():
        if not expr.has(name):
            continue
        unknown = name if isinstance(name, sp.Symbol) else sp.Dummy(str(name.func), real=True)
        table = _table(derivation, quantity, step.uses)
        close = lambda e: specialise(_bindings.substitute(sp.sympify(e), table).xreplace({name: unknown}), spectra)
        residual = close(step.residual)
        opaque = residual.atoms(AppliedUndef)
        if opaque:  # another root, or a function no premise of the root step gives a value
            raise DerivationError(f"quantity '{quantity.name}': the equation of root step '{step.label}' still "
                                  f"contains {sorted(map(str, opaque))[0]}: a root whose equation involves another "
                                  "unknown is not lowered")
        moving = [d for d in expr.atoms(sp.Derivative) if d.expr.has(name) and name not in d.variables]
        if moving:  # replacing the name by a number would make its derivative 0
            raise DerivationError(f"quantity '{quantity.name}' contains {moving[0]}: cite the step that solves for it")
        ends = tuple(close(end) for end in step.rule["interval"])
        conditions = [close(c) for c in step.conditions]
        stray = residual.free_symbols.union(*(e.free_symbols for e in (*ends, *conditions))) \
            - set(quantity.parameters) - {unknown}
        if stray:
            raise DerivationError(f"quantity '{quantity.name}': the equation of root step '{step.label}' "
                                  f"depends on {', '.join(sorted(map(str, stray)))}, which is not a parameter")
        solvers.append(IntervalRoot(residual, unknown, quantity.parameters, ends, conditions=conditions,
                                    name=f"{quantity.name} (root '{step.label}')"))
        # a derivative in the root's name (df1'(kappa), from implicit differentiation) is one
        # in the unknown now, which the bindings can evaluate
        expr = _bindings.substitute(expr.xreplace({name: unknown}),
                                    _table(derivation, quantity, quantity.uses))
    return expr, solvers


def _cached_lineage(name, keys):
    """The :class:`~derive.lineage.Lineage` from cached verdicts alone, or None when one is
    missing (the steps are then checked, which needs the derivation)."""
    from .check import cache
    from .lineage import Lineage, status

    statuses = {}
    for label, key in keys:
        result = cache.load(key)
        if result is None:
            return None
        statuses[label] = status(result)
    return Lineage(name, statuses)


def lower_quantity(derivation, name, domain=None, spectra=None):
    """A :class:`Lowered` function for the quantity ``name`` (implicit symbols solved first),
    checking its parameters against ``domain`` (a :class:`~derive.registry.Domain`; without one,
    against the symbols' assumptions only).  Its :attr:`Lowered.lineage` comes from
    ``derivation``, checked when first asked (a call asks).  ``spectra`` gives the spectrum of
    each law its spectral means are over (:mod:`derive.rmt.given`)."""
    quantity = _quantity(derivation, name)
    solvers = [implicit_root(derivation, quantity, symbol, spectra) for symbol in quantity.implicit]
    expr, roots = root_solvers(derivation, quantity, closed_form(derivation, name), spectra)
    found = Lowered(expr, quantity.parameters, name=name, implicit=solvers + roots,
                    domain=domain, range=quantity.range, spectra=spectra)
    found.source = derivation
    found.lineage_keys = _lineage_keys(derivation, quantity)
    return found


def _lineage_keys(derivation, quantity):
    """``((label, verdict cache key), ...)`` of the steps the quantity rests on: kept with the
    lowered function (and in the prebuilt cache), so that its lineage is read from the verdict
    cache without building the derivation again.  The keys cover each step and all the code it
    was stated by, so a verdict found under one is the verdict of exactly that step."""
    from .check.cache import step_keys
    from .lineage import lineage_labels

    keys = step_keys(derivation)
    return tuple((label, keys[label]) for label in lineage_labels(derivation, quantity))


def lowered(target, name, spectra=None):
    """The quantity ``name`` of ``target``, lowered, with the parameter domain ``derive eval``
    uses: ``target`` is a shipped derivation's name (``"lu2025"``), the path of a file that
    defines ``derivation`` or ``paper``, a :class:`~derive.registry.Paper`, or a
    :class:`~derive.derivation.Derivation` (which has no domain beyond its symbols').

    ``spectra`` (``{law name: spectrum}``) specialises the quantity's spectral means
    ``SpectralMean(f, r, "R")`` to given spectra: an array of eigenvalues, a law of
    :mod:`derive.rmt` or its text (``"mp(0.5)"``, ``"powerlaw(0.5)"``); see :mod:`derive.rmt.given`.
    Such a quantity is built from its derivation, never from the prebuilt cache.

    A shipped paper's quantity comes from the prebuilt cache when the code is unchanged, without
    building the derivation; the derivation is built (or unpickled) when its :attr:`~Lowered.lineage`
    is first asked for, which a call does: a quantity resting on a step that is not verified
    warns (:class:`~derive.errors.LineageWarning`), or with ``strict=True`` raises.
    """
    import os

    from .derivation import Derivation
    from .registry import Paper

    if isinstance(target, Derivation):
        return lower_quantity(target, name, spectra=spectra)
    if isinstance(target, Paper):
        return lower_quantity(target.derivation(), name, domain=target.domain, spectra=spectra)
    from .prebuilt import lowered_quantity
    from .registry import load_paper

    if spectra:
        paper = load_paper(os.fspath(target))
        paper.derivation().validate()
        return lowered(paper, name, spectra=spectra)

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


class Note(str):
    """A line :meth:`Lowered.evaluate` adds to its ``notes``: the text, and the flat
    ``positions`` of the points it is about (so that a caller names them once)."""

    def __new__(cls, text, positions=()):
        note = super().__new__(cls, text)
        note.positions = list(positions)
        return note


def _mp(value):
    """A parameter's value as an mpmath number (complex only when it has an imaginary part)."""
    value = complex(value) if np.iscomplexobj(value) else float(value)
    return mpmath.mpmathify(value)


def _bound_text(bound, none):
    return none if bound is None else f"{float(bound):g}"


def _show(value):
    from .grid import show_complex

    return show_complex(value)

