"""Branch conditions: which root of an equation a solve step means.

A polynomial equation has several roots; a derivation means one of them.  A branch condition
states a property of the solved name that only the intended root has, and is checked at random
admissible points with mpmath.  Two kinds cover what random-matrix derivations need:

* :class:`Asymptotic`: ``expr -> value`` as ``var -> point`` (``m(z) ~ -1/z`` at infinity is
  ``Asymptotic(z*m, z, I*oo, -1)``);
* :class:`Holds`: a relation true wherever the ``where`` conditions hold (``m > 0`` for
  ``z < 0``; ``im(m) > 0`` for ``im(z) > 0``).

Conditions mention the solved name itself (``m(c, z)``); the candidate root is put in its place.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from .sampling import admissible_points, condition_holds, evaluate

#: How many random points each condition is tried at: a wrong root that satisfies a condition
#: on three quarters of the plane (a principal square root whose cut crosses it) is still
#: caught with probability 1 - 0.75^40 > 0.9999.
POINTS_PER_CONDITION = 40
#: The stand-in for an infinite limit point.
FAR = mpmath.mpf(10) ** 20
#: Working digits for the asymptotic test: a closed form such as (-z + sqrt(z^2 - 4))/2 loses
#: 2 x 20 digits to cancellation at |z| = 1e20, so 40 digits would leave nothing.
FAR_DIGITS = 120


class BranchCondition:
    """Base class.

    ``holds(name, root, conditions, rng)`` returns ``(ok, evidence)``: the condition holds for
    the candidate ``root``.  ``selects(name, polynomial, conditions, seed)`` returns
    ``(ok, evidence)``: at every point where it is tried, exactly one root of ``polynomial``
    (a ``sympy.Poly`` whose generator stands for ``name``) satisfies the condition, so the
    condition names one root and not several.
    """

    def free_symbols(self):
        raise NotImplementedError

    def _satisfied_by(self, name, u, roots, point):
        raise NotImplementedError

    def selects(self, name, polynomial, conditions, seed):
        points = self._selection_points(polynomial, conditions, np.random.default_rng(seed))
        if not points:
            return False, f"{self}: no admissible point"
        u = polynomial.gen
        for point in points:
            with mpmath.workdps(FAR_DIGITS):
                coefficients = [evaluate(c, point, FAR_DIGITS) for c in polynomial.all_coeffs()]
                if coefficients[0] == 0:
                    return False, f"{self}: the leading coefficient vanishes at a point"
                roots = mpmath.polyroots(coefficients, maxsteps=400, extraprec=2 * FAR_DIGITS)
            satisfied = self._satisfied_by(name, u, roots, point)
            if len(satisfied) != 1:
                shown = ", ".join(f"{k}={_short(complex(v))}" for k, v in sorted(point.items(), key=str))
                return False, f"{self} holds for {len(satisfied)} of the {len(roots)} roots at {shown}"
        return True, f"{self} singles out one root at {len(points)} points"


class Asymptotic(BranchCondition):
    """``expr -> value`` as ``var -> point``, where ``point`` is ``oo``, ``-oo``, ``I*oo``.

    Checked numerically: at ``|var| = 1e20`` the difference must be below ``1e-8 (1 + |value|)``
    at several random values of the other symbols.
    """

    def __init__(self, expr, var, point, value):
        self.expr, self.var, self.point, self.value = map(sp.sympify, (expr, var, point, value))

    def __repr__(self):
        return f"Asymptotic({self.expr} -> {self.value} as {self.var} -> {self.point})"

    def latex_text(self, printer):
        return (f"${printer.doprint(self.expr)} \\to {printer.doprint(self.value)}$ as "
                f"${printer.doprint(self.var)} \\to {printer.doprint(self.point)}$")

    def _far_value(self):
        if not self.point.has(sp.oo, sp.zoo):
            raise ValueError(f"Asymptotic needs an infinite point (oo, -oo, I*oo), got {self.point}")
        # sign(I*oo) is I: the direction along which the variable goes out.
        return FAR * evaluate(sp.sign(self.point), {}, 30)

    def holds(self, name, root, conditions, rng):
        expr = self.expr.subs(name, root) - self.value
        others = expr.free_symbols - {self.var}
        points = admissible_points(others, [c for c in conditions if self.var not in c.free_symbols],
                                   POINTS_PER_CONDITION, rng)
        if not points:
            return False, "no admissible point"
        with mpmath.workdps(FAR_DIGITS):
            far = self._far_value()
        worst = mpmath.mpf(0)
        for point in points:
            point = dict(point)
            point[self.var] = far
            diff = abs(evaluate(expr, point, FAR_DIGITS))
            worst = max(worst, diff / (1 + abs(evaluate(self.value, point, FAR_DIGITS))))
        ok = worst < mpmath.mpf("1e-8")
        return ok, f"{self}: worst difference {mpmath.nstr(worst, 3)} at |{self.var}| = 1e20"

    def _selection_points(self, polynomial, conditions, rng):
        others = (polynomial.free_symbols | self.expr.free_symbols | self.value.free_symbols) - {self.var}
        others -= {polynomial.gen}
        points = admissible_points(others, [c for c in conditions if self.var not in c.free_symbols],
                                   POINTS_PER_CONDITION, rng)
        with mpmath.workdps(FAR_DIGITS):
            far = self._far_value()
        return [{**p, self.var: far} for p in points]

    def _satisfied_by(self, name, u, roots, point):
        found = []
        for root in roots:
            at = {**point, u: root}
            with mpmath.workdps(FAR_DIGITS):
                target = evaluate(self.value, at, FAR_DIGITS)
                gap = abs(evaluate(self.expr.subs(name, u), at, FAR_DIGITS) - target) / (1 + abs(target))
            if gap < mpmath.mpf("1e-8"):
                found.append(root)
        return found


class Holds(BranchCondition):
    """``relation`` holds at random points where every ``where`` condition holds."""

    def __init__(self, relation, where=()):
        self.relation = relation
        self.where = tuple(where)

    def __repr__(self):
        where = f" where {', '.join(map(str, self.where))}" if self.where else ""
        return f"Holds({self.relation}{where})"

    def latex_text(self, printer):
        where = ", ".join(f"${printer.doprint(w)}$" for w in self.where)
        return f"${printer.doprint(self.relation)}$" + (f" for {where}" if where else "")

    def holds(self, name, root, conditions, rng):
        relation = self.relation.subs(name, root)
        symbols = set(relation.free_symbols)
        for w in self.where:
            symbols |= w.free_symbols
        relevant = [c for c in conditions if c.free_symbols <= symbols]
        points = admissible_points(symbols, list(self.where) + relevant, POINTS_PER_CONDITION, rng)
        if not points:
            return False, f"{self}: no admissible point"
        for point in points:
            if not condition_holds(relation, point, dps=40):
                shown = ", ".join(f"{k}={_short(v)}" for k, v in sorted(point.items(), key=str))
                return False, f"{self} fails at {shown}"
        return True, f"{self} at {len(points)} random points"

    def _selection_points(self, polynomial, conditions, rng):
        symbols = (polynomial.free_symbols | self.relation.free_symbols) - {polynomial.gen}
        for w in self.where:
            symbols |= w.free_symbols
        symbols = {s for s in symbols if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)} | \
            {s for s in polynomial.free_symbols if s != polynomial.gen}
        relevant = [c for c in conditions if c.free_symbols <= symbols]
        return admissible_points(symbols, list(self.where) + relevant, POINTS_PER_CONDITION, rng)

    def _satisfied_by(self, name, u, roots, point):
        relation = self.relation.subs(name, u)
        found = []
        for root in roots:
            try:
                if condition_holds(relation, {**point, u: root}, dps=40):
                    found.append(root)
            except (ValueError, TypeError, ZeroDivisionError):
                continue
        return found


def _short(value):
    if isinstance(value, complex):
        return f"{value.real:.4g}{value.imag:+.4g}j"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def select(name, candidates, branch, conditions=(), seed=0):
    """The candidates for ``name`` that satisfy every branch condition, with the evidence.

    Returns ``(chosen, evidence)``: the surviving roots, and the text of each condition as seen
    for the first survivor or, when none survives, the condition that failed for each candidate.
    """
    chosen, passed, failed = [], [], []
    for root in candidates:
        rng = np.random.default_rng(seed)
        seen = []
        for condition in branch:
            try:
                ok, text = condition.holds(name, root, conditions, rng)
            except (ValueError, TypeError, ZeroDivisionError) as exc:
                ok, text = False, f"{condition}: could not evaluate ({exc})"
            seen.append(text)
            if not ok:
                failed.append(text)
                break
        else:
            chosen.append(root)
            passed = passed or seen
    return chosen, (passed if chosen else failed)
