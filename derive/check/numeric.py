"""A numeric proof attempt at high precision, for what sympy cannot decide.

At several random admissible points (see :mod:`derive.sampling`) the statement's residual
``lhs - rhs`` is evaluated with mpmath at 50 significant digits.  Names still unknown after the
bindings are substituted (a Stieltjes transform known only through its quadratic) are solved for
from the premise relations, every root found is used, and the side conditions select among them.

Decision, with ``scale = 1 + |lhs| + |rhs|``:

* every point has ``|residual| <= 1e-30 scale``: **verified**;
* a point has ``|residual| > 1e-15 scale`` and the residual does not shrink at 100 digits:
  **failed**, with the point and the residual;
* anything else: **unverified**.

A false identity off by 1e-12 relative is far above the 1e-15 threshold; a true one sits at
the 1e-50 level of round-off.  The gap between the two thresholds is what rounding in a
cancelling expression may eat.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..notation import Meaning
from ..rmt.spectral import SpectralMean
from ..sampling import admissible_points, condition_holds, evaluate

POINTS = 5
DIGITS = 50
PASS = mpmath.mpf("1e-30")
FAIL = mpmath.mpf("1e-15")
#: Random starts for solving the premise relations for the unknown names.
STARTS = 12


class Outcome:
    """Result of a numeric attempt: ``status`` is 'verified', 'failed' or 'unverified'."""

    def __init__(self, status, evidence, details=None):
        self.status, self.evidence, self.details = status, evidence, details or {}


def _unknown_atoms(exprs):
    atoms = set()
    for e in exprs:
        atoms |= {a for a in e.atoms(sp.Derivative, AppliedUndef)}
    # Drop applications nested inside derivatives: the derivative is its own unknown.
    return sorted(atoms, key=sp.default_sort_key)


def check(lhs, rhs, relations=(), conditions=(), seed=0, points=POINTS, implicit=()):
    """Try to establish ``lhs == rhs`` numerically (see the module docstring).

    ``implicit`` symbols are, like undefined functions, solved for from the relations (their
    assumptions, such as positivity, select among the roots).
    """
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    relations = [sp.sympify(r) for r in relations]
    opaque = (lhs - rhs).atoms(SpectralMean, Meaning)
    if opaque:
        shown = sorted(map(str, opaque))[0]
        return Outcome("unverified", f"{shown} has no numeric value: cite the steps that evaluate it")
    # A premise that holds identically (an identity between closed forms) constrains nothing:
    # solving an implicit symbol from it would only find wherever the root finder wandered.
    relations = [r for r in relations if not _identity(r, seed)]
    constrained = set().union(*(r.free_symbols for r in relations))
    # An implicit symbol no remaining premise mentions is as free as a parameter.
    implicit = sorted(set(implicit) & constrained, key=str)
    conditions = list(conditions) + [_assumption(s) for s in implicit if _assumption(s) is not None]
    unknowns = _unknown_atoms([lhs, rhs] + relations + [c for c in conditions]) + implicit
    placeholders = {atom: sp.Dummy(f"u{i}", positive=atom.is_positive) if isinstance(atom, sp.Symbol)
                    else sp.Dummy(f"u{i}") for i, atom in enumerate(unknowns)}
    lhs, rhs = lhs.xreplace(placeholders), rhs.xreplace(placeholders)
    relations = [r.xreplace(placeholders) for r in relations]
    conditions = [c.xreplace(placeholders) for c in conditions]
    unknown_symbols = list(placeholders.values())

    free = (lhs.free_symbols | rhs.free_symbols).union(*(r.free_symbols for r in relations))
    free -= set(unknown_symbols)
    for c in conditions:
        free |= c.free_symbols - set(unknown_symbols)
    outer = [c for c in conditions if not (c.free_symbols & set(unknown_symbols))]
    inner = [c for c in conditions if c.free_symbols & set(unknown_symbols)]

    if unknown_symbols:
        useful = [r for r in relations if r.free_symbols & set(unknown_symbols)]
        if len(useful) < len(unknown_symbols):
            names = ", ".join(str(a) for a in unknowns)
            return Outcome("unverified", f"{names} not determined by the premises")

    rng = np.random.default_rng(seed)
    sample = admissible_points(free, outer, points * 4, rng)
    tried, worst = 0, mpmath.mpf(0)
    for point in sample:
        if tried == points:
            break
        try:
            roots = _solve_unknowns(relations, unknown_symbols, point, rng) if unknown_symbols else [{}]
        except (ValueError, ZeroDivisionError, TypeError):
            continue
        roots = [r for r in roots if all(_holds(c, {**point, **r}) for c in inner)]
        if not roots:
            continue
        counted = False
        for root in roots:
            full = {**point, **root}
            try:
                residual, scale = _relative_residual(lhs, rhs, full, DIGITS)
            except (ValueError, ZeroDivisionError, TypeError):
                continue
            if not mpmath.isfinite(residual):
                continue
            counted = True
            worst = max(worst, residual)
            if residual > FAIL and not unknown_symbols:
                fine, _ = _relative_residual(lhs, rhs, full, 2 * DIGITS)
                if fine > FAIL:
                    return Outcome("failed", f"residual {mpmath.nstr(fine, 3)} (relative) at "
                                   f"{_show(full, placeholders)}",
                                   {"point": _show(full, placeholders), "residual": float(fine)})
            elif residual > FAIL:
                return Outcome("failed", f"residual {mpmath.nstr(residual, 3)} (relative) at "
                               f"{_show(full, placeholders)}",
                               {"point": _show(full, placeholders), "residual": float(residual)})
        tried += counted
    if tried == 0:
        return Outcome("unverified", "no admissible point where the statement could be evaluated")
    if worst <= PASS:
        return Outcome("verified", f"|residual| <= {mpmath.nstr(worst, 2)} (relative) at {tried} "
                       f"random points, {DIGITS} digits",
                       {"points": tried, "worst_residual": float(worst)})
    return Outcome("unverified", f"residual {mpmath.nstr(worst, 3)} is neither round-off nor clearly "
                   "nonzero", {"worst_residual": float(worst)})


def _identity(relation, seed, tries=2):
    """True when ``relation`` vanishes (to round-off) at random values of all its symbols."""
    if relation.atoms(AppliedUndef, sp.Derivative, SpectralMean, Meaning):
        return False
    symbols = relation.free_symbols
    if not symbols:
        return False
    rng = np.random.default_rng(seed + 7919)
    points = admissible_points(symbols, [], tries, rng)
    if len(points) < tries:
        return False
    try:
        values = [evaluate(relation, point, DIGITS) for point in points]
    except (ValueError, ZeroDivisionError, TypeError):
        return False
    return all(mpmath.isfinite(v) and abs(v) <= PASS for v in values)


def _assumption(symbol):
    """The sign assumption of an implicit symbol as a condition on its roots."""
    if symbol.is_positive:
        return symbol > 0
    if symbol.is_negative:
        return symbol < 0
    if symbol.is_nonnegative:
        return symbol >= 0
    return None


def _holds(condition, point):
    try:
        return condition_holds(condition, point)
    except (ValueError, ZeroDivisionError, TypeError):
        return False


def _relative_residual(lhs, rhs, point, dps):
    with mpmath.workdps(dps + 10):
        a = evaluate(lhs, point, dps + 10)
        b = evaluate(rhs, point, dps + 10)
        return abs(a - b) / (1 + abs(a) + abs(b)), 1 + abs(a) + abs(b)


def _show(point, placeholders):
    names = {v: k for k, v in placeholders.items()}
    parts = []
    for symbol, value in sorted(point.items(), key=lambda kv: str(kv[0])):
        if symbol in names:
            continue
        parts.append(f"{symbol}={mpmath.nstr(mpmath.mpmathify(value), 8)}")
    return ", ".join(parts)


def _solve_unknowns(relations, unknowns, point, rng):
    """All roots found for ``unknowns`` of the relations at ``point`` (parameters fixed)."""
    values = {s: _exact_float(v) for s, v in point.items()}
    system = [r.xreplace(values) for r in relations]
    system = [sp.together(r).as_numer_denom()[0] for r in system if r.free_symbols & set(unknowns)]
    if len(unknowns) == 1 and len(system) >= 1:
        try:
            poly = sp.Poly(system[0], unknowns[0])
            with mpmath.workdps(DIGITS):
                roots = mpmath.polyroots([mpmath.mpmathify(c) for c in poly.all_coeffs()],
                                         maxsteps=200, extraprec=200)
            candidates = [{unknowns[0]: _clean(r)} for r in roots]
            return [c for c in candidates
                    if all(_small(evaluate(s, {**point, **c}, DIGITS)) for s in system[1:])]
        except (sp.PolynomialError, mpmath.libmp.NoConvergence):
            pass
    functions = [sp.lambdify(unknowns, s, modules="mpmath") for s in system[:len(unknowns)]]
    found = []
    with mpmath.workdps(DIGITS):
        for _ in range(STARTS):
            # A positive unknown starts on the positive axis, log-uniformly over six decades:
            # complex starts would meet the cuts of principal square roots.
            start = [mpmath.mpf(10) ** rng.uniform(-3, 3) if u.is_positive
                     else mpmath.mpc(rng.normal(), rng.normal()) for u in unknowns]
            try:
                if len(unknowns) == 1:  # a scalar problem: findroot returns a number, not a matrix
                    root = mpmath.findroot(functions[0], start[0],
                                           tol=mpmath.mpf(10) ** (-DIGITS + 5), maxsteps=100)
                else:
                    root = mpmath.findroot(functions, start, tol=mpmath.mpf(10) ** (-DIGITS + 5),
                                           maxsteps=100)
            except (ValueError, ZeroDivisionError, mpmath.libmp.NoConvergence, TypeError):
                continue
            values = [root] if len(unknowns) == 1 else list(root)
            values = [_clean(v) for v in values]
            if any(all(abs(a - b) < mpmath.mpf(10) ** (-DIGITS // 2) for a, b in zip(values, other))
                   for other in found):
                continue
            found.append(values)
    return [dict(zip(unknowns, values)) for values in found]


def _exact_float(value):
    """The same binary value as a sympy Float carrying DIGITS digits of working precision."""
    value = mpmath.mpmathify(value)
    if isinstance(value, mpmath.mpc):
        return sp.Float(value.real, DIGITS) + sp.I * sp.Float(value.imag, DIGITS)
    return sp.Float(value, DIGITS)


def _clean(value):
    """Drop an imaginary part that is only round-off."""
    value = mpmath.mpmathify(value)
    if isinstance(value, mpmath.mpc) and abs(value.imag) <= mpmath.mpf(10) ** (-DIGITS + 10) * (1 + abs(value)):
        return value.real
    return value


def _small(value):
    return abs(value) <= mpmath.mpf(10) ** (-DIGITS // 2)

