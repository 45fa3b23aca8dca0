"""Branch conditions: which root of an equation a solve step means.

A polynomial equation has several roots; a derivation means one of them.  A branch condition
states a property of the solved name that only the intended root has, and is checked at random
admissible points with mpmath.  Two kinds cover what random-matrix derivations need:

* :class:`Asymptotic`: ``expr -> value`` as ``var -> point`` (``m(z) ~ -1/z`` at infinity is
  ``Asymptotic(z*m, z, I*oo, -1)``);
* :class:`Holds`: a relation true wherever the ``where`` conditions hold (``m > 0`` for
  ``z < 0``; ``im(m) > 0`` for ``im(z) > 0``).

Conditions mention the solved name itself (``m(c, z)``); the candidate root is put in its place.

Which root a solve means must be settled wherever the solve is claimed (:func:`pins_down`): at
every point of its domain some :class:`Holds` condition must apply and, with the others that
apply there, admit exactly one root, or the root an :class:`Asymptotic` condition names far out,
followed in to the point, must be the form's.  The following is the certified continuation of
:mod:`derive.continuation` (steps bounded by the distance to the other roots at every step,
collisions passed on both sides or reported), which ``derive law`` uses too; "far" scales with
the parameters (:func:`far_out`).  An :class:`Asymptotic` condition never refutes a point: a path
that crosses a cut of the function itself ends on another root (``y = r`` as the nonnegative
root of ``y^2 = r^2`` is right far out and wrong for every ``r < 0``).  Besides random points the
checks probe far values and the sides of the form's kinks (:func:`probe_points`).
"""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import sympy as sp

from .continuation import Curve, continue_roots, poles_of
from .sampling import admissible_points, condition_holds, evaluate, sign_condition

#: How many random points each condition is tried at: a wrong root that satisfies a condition
#: on three quarters of the plane (a principal square root whose cut crosses it) is still
#: caught with probability 1 - 0.75^40 > 0.9999.
POINTS_PER_CONDITION = 40
#: Extra points far out and beside kinks (:func:`probe_points`) per check.
PROBES = 24
#: The root followed to a point must be nearer one root there than this fraction of the
#: distance to the next (:meth:`Asymptotic.continued_root`).
TRACK_RATIO = 0.5
#: Digits the coefficients are evaluated at while a root is followed.
TRACK_DIGITS = 30
#: The stand-in for an infinite limit point.
FAR = mpmath.mpf(10) ** 20
#: Working digits for the asymptotic test: a closed form such as (-z + sqrt(z^2 - 4))/2 loses
#: 2 x 20 digits to cancellation at |z| = 1e20, so 40 digits would leave nothing.
FAR_DIGITS = 120


class BranchCondition:
    """Base class.

    ``holds(name, root, conditions, rng)`` returns ``(ok, evidence)``: the condition holds for
    the candidate ``root`` where it applies.  ``applies_at(point)`` says whether the condition
    speaks about the roots at a finite ``point``, and ``_satisfied_by`` which of them it admits
    there; :func:`pins_down` uses both over the whole domain of a solve step.
    """

    def free_symbols(self):
        raise NotImplementedError

    def applies_at(self, point):
        raise NotImplementedError

    def _satisfied_by(self, name, u, roots, point):
        raise NotImplementedError


def pins_down(name, polynomial, form, branch, conditions, seed, count=POINTS_PER_CONDITION):
    """Whether ``branch`` names one root of ``polynomial`` everywhere the solve is claimed, and
    that root is ``form``.

    At ``count`` random points where ``conditions`` hold (magnitudes across orders, points near
    the conditions' edges, complex points on the axes too), the roots of ``polynomial`` (whose
    generator stands for ``name``) are found, and the conditions that apply at the point
    (:meth:`BranchCondition.applies_at`: a :class:`Holds` where its ``where`` conditions hold;
    an :class:`Asymptotic` at no finite point, since it names a root only far out) must together
    admit exactly one of them.  Returns ``(verdict, evidence)`` with verdict ``'pinned'``,
    ``'open'`` (some point where no condition applies, or where they admit several roots or
    none) or ``'other root'`` (the conditions admit one root and ``form`` is another: a
    counterexample).
    """
    u = polynomial.gen
    symbols = {s for s in polynomial.free_symbols | sp.sympify(form).free_symbols if s != u}
    for condition in branch:
        symbols |= condition.free_symbols()
    symbols = {s for s in symbols if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)} - {u, name}
    rng = np.random.default_rng(seed)
    points = admissible_points(symbols, list(conditions), count, rng)
    points += probe_points(symbols, [form, *(c.relation for c in branch if isinstance(c, Holds))], conditions, rng)
    if not points:
        return "open", "no admissible point where the solve is claimed"
    for point in points:
        shown = ", ".join(f"{k}={_short(v)}" for k, v in sorted(point.items(), key=str))
        applying = [c for c in branch if c.applies_at(point)]
        digits = max(FAR_DIGITS, digits_for(point))
        try:
            with mpmath.workdps(digits):
                coefficients = [evaluate(c, point, digits) for c in polynomial.all_coeffs()]
                if coefficients[0] == 0:
                    return "open", f"the leading coefficient vanishes at {shown}"
                roots = mpmath.polyroots(coefficients, maxsteps=400, extraprec=2 * digits)
                value = evaluate(form, point, digits)
        except (ValueError, ZeroDivisionError, TypeError, mpmath.libmp.NoConvergence):
            return "open", f"the roots cannot be evaluated at {shown}"
        roots = _distinct(roots)
        admitted = list(roots)
        for condition in applying:
            admitted = condition._satisfied_by(name, u, admitted, point)
        if len(admitted) == 1:
            if not _close(value, admitted[0]):
                return "other root", (f"at {shown} the branch conditions name the root "
                                      f"{mpmath.nstr(admitted[0], 8)}, and the form is {mpmath.nstr(value, 8)}")
            continue
        # An asymptotic condition settles the point when its root, followed in from infinity,
        # is admitted and is the form's value (a path crossing the function's own cut may end
        # on another root: that leaves the point open, not refuted).
        continued = [c.continued_root(name, polynomial, point) for c in branch if isinstance(c, Asymptotic)]
        if not any(r is not None and _close(value, r) and any(_close(r, a) for a in admitted) for r in continued):
            said = " and ".join(map(str, applying)) or "no branch condition"
            admits = f"admit {len(admitted)} of the {len(roots)} roots" if applying else "applies"
            return "open", f"{said} {admits} at {shown}, and no asymptotic condition followed in from " \
                           "infinity reaches the form's value"
    return "pinned", f"the branch conditions name one root, the form's, at {len(points)} points of the domain"


class Asymptotic(BranchCondition):
    """``expr -> value`` as ``var -> point``, where ``point`` is ``oo``, ``-oo``, ``I*oo``.

    Checked numerically: at ``|var| = 1e20 s^2`` (``s`` the largest magnitude among the other
    symbols' values, :func:`far_out`) the difference must be below ``1e-8 (1 + |value|)`` at
    several random values of the other symbols.
    """

    def __init__(self, expr, var, point, value):
        self.expr, self.var, self.point, self.value = map(sp.sympify, (expr, var, point, value))

    def __repr__(self):
        return f"Asymptotic({self.expr} -> {self.value} as {self.var} -> {self.point})"

    def latex_text(self, printer):
        return (f"${printer.doprint(self.expr)} \\to {printer.doprint(self.value)}$ as "
                f"${printer.doprint(self.var)} \\to {printer.doprint(self.point)}$")

    def _far_value(self, far=FAR):
        if not (self.point.is_infinite or self.point.has(sp.oo, -sp.oo, sp.zoo)):
            raise ValueError(f"Asymptotic needs an infinite point (oo, -oo, I*oo), got {self.point}")
        # sign(I*oo) is I: the direction along which the variable goes out.
        return far * evaluate(sp.sign(self.point), {}, 30)

    def holds(self, name, root, conditions, rng):
        expr = self.expr.subs(name, root) - self.value
        others = expr.free_symbols - {self.var}
        own = [c for c in conditions if self.var in c.free_symbols]
        rest = [c for c in conditions if self.var not in c.free_symbols]
        # A domain reached by sampling only beyond 1e12 (v > 1e20) is reached by the far probes.
        points = admissible_points(others, rest, POINTS_PER_CONDITION, rng) or probe_points(others, [], rest, rng)
        if not points:
            return False, "no admissible point"
        # Out along the limit's direction from a point of the step's own domain (re z > 1 goes to
        # i oo along re z = x0 > 1): the form need only be the branch where the step claims it.
        bases = admissible_points(others | {self.var}, conditions, POINTS_PER_CONDITION, rng) if own else []
        worst, farthest, seen = mpmath.mpf(0), FAR, 0
        for point in (bases or points):
            point = dict(point)
            start = point.pop(self.var, 0)
            far = far_out(point)[0]
            digits = far_digits(far)
            farthest = max(farthest, far)
            with mpmath.workdps(digits):
                point[self.var] = start + self._far_value(far)
                if not all(_holds_at(c, point, digits) for c in own):
                    continue
                seen += 1
                diff = abs(evaluate(expr, point, digits))
                worst = max(worst, diff / (1 + abs(evaluate(self.value, point, digits))))
        if not seen:
            return False, f"{self}: no far point inside the step's domain"
        ok = worst < mpmath.mpf("1e-8")
        return ok, f"{self}: worst difference {mpmath.nstr(worst, 3)} at |{self.var}| up to {mpmath.nstr(farthest, 3)}"

    def free_symbols(self):
        return (self.expr.free_symbols | self.value.free_symbols) - {self.var}

    def applies_at(self, point):
        return False

    def continued_root(self, name, polynomial, point):
        """The root this condition names far out, followed to ``point`` along the straight path
        ``point + t d`` (``d`` the direction of the limit point, ``t`` from far out down to 0);
        None when it cannot be followed (two roots meet on the way, so which one continues is
        not determined, or the start is ambiguous).

        The far point is scaled with the parameters (:func:`far_out`): where the condition names
        exactly one root.  The following is the certified continuation of
        :mod:`derive.continuation` (steps bounded by the distance to the other roots at every
        step, collisions reported), the code ``derive law`` uses too.

        This is analytic continuation along one path: the root it reaches is the branch named by
        the condition *continued along that path*, which is the meant one unless the path
        crosses a cut of the function itself (then the caller must not count it as settled).
        """
        u = polynomial.gen
        others = {k: v for k, v in point.items() if k != self.var}
        start = complex(point.get(self.var, 0))
        direction = complex(evaluate(sp.sign(self.point), {}, 30))
        try:
            table = _numeric_table(polynomial, self.var, others)
            if table is None:
                return None
            # Far for the other symbols' scale (the asymptotic error a/z, sigma^2/z^2), and beyond
            # the point itself.
            for far in (max(f, 1e8 * (1 + abs(start))) for f in far_out(others)):
                digits = far_digits(far)
                at_far = {**others, self.var: start + direction * far}
                with mpmath.workdps(digits):
                    values = [evaluate(c, at_far, digits) for c in polynomial.all_coeffs()]
                    if values[0] == 0:
                        return None
                    roots = mpmath.polyroots(values, maxsteps=400, extraprec=2 * digits)
                named = self._satisfied_by(name, u, roots, at_far)
                if len(named) == 1:
                    break
                if len(named) > 1:
                    return None
            else:
                return None
            value = _continued(Curve(table), complex(start + direction * far), start, complex(named[0]), direction,
                               detour=self.var.is_real is not True)
            if value is None:
                return None          # a collision of roots that cannot be passed: which one goes on is open
            value = np.array([value])
            with mpmath.workdps(FAR_DIGITS):
                values = [evaluate(c, point, FAR_DIGITS) for c in polynomial.all_coeffs()]
                if values[0] == 0:
                    return None
                final = _distinct(mpmath.polyroots(values, maxsteps=400, extraprec=2 * FAR_DIGITS))
            if not _clearly_nearest([complex(r) for r in final], complex(value[0])):
                return None
            return min(final, key=lambda r: abs(complex(r) - complex(value[0])))
        except (ValueError, ZeroDivisionError, TypeError, OverflowError, np.linalg.LinAlgError,
                mpmath.libmp.NoConvergence):
            return None

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
        if any(w is sp.false or w is False for w in (relation, *self.where)):
            from .errors import DerivationError

            raise DerivationError("a condition of Holds was decided False by sympy as it was built, from the "
                                  "symbols' assumptions (im(z) > 0 for a z declared real, say): the branch "
                                  "would say nothing; check the assumptions")

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
        points += probe_points(symbols, [relation], list(self.where) + relevant, rng)
        if not points:
            return False, f"{self}: no admissible point"
        for point in points:
            if not condition_holds(relation, point, dps=digits_for(point)):
                shown = ", ".join(f"{k}={_short(v)}" for k, v in sorted(point.items(), key=str))
                return False, f"{self} fails at {shown}"
        return True, f"{self} at {len(points)} random points"

    def free_symbols(self):
        return self.relation.free_symbols.union(*(w.free_symbols for w in self.where))

    def applies_at(self, point):
        try:
            return all(condition_holds(w, point, dps=digits_for(point)) for w in self.where)
        except (ValueError, TypeError, ZeroDivisionError):
            return False

    def _satisfied_by(self, name, u, roots, point):
        relation = self.relation.subs(name, u)
        found = []
        for root in roots:
            try:
                if condition_holds(relation, {**point, u: root}, dps=digits_for(point)):
                    found.append(root)
            except (ValueError, TypeError, ZeroDivisionError):
                continue
        return found


def digits_for(point, base=40):
    """Working digits at ``point``: ``base`` plus four times the decimal digits of its largest
    value, so that a form cancelling ``a^2 - a^2`` to leave ``1/a^2`` at ``a = 1e30`` keeps
    ``base`` digits."""
    largest = max((abs(complex(v)) for v in point.values()), default=0.0)
    return base + 4 * max(0, int(math.log10(1 + largest)) + 1)


def probe_points(symbols, exprs, conditions, rng, count=PROBES):
    """Points the random ones miss: each real symbol far out (1e20, 1e30, with the sign its
    assumptions allow) and beside each *kink* of ``exprs`` (the zeros, in that symbol, of the
    arguments of Abs, Max, Min, sign, Heaviside and of Piecewise conditions), 1e-9 (relative)
    and 1e-30 to either side; the other symbols at random admissible values.  Only points where
    ``conditions`` and the symbols' assumptions hold are kept.  A form that takes the wrong root
    only beyond 1e12, or only on (-1e-13, 0), is seen there."""
    symbols = sorted(symbols, key=str)
    # Bases where the conditions hold, or, when sampling reaches none (v > 1e20), anywhere: the far
    # values put in below may satisfy them.
    bases = admissible_points(symbols, list(conditions), 4, rng) or admissible_points(symbols, [], 4, rng) or []
    kinks = _kinks(exprs)
    found = []
    for base in bases:
        for symbol in symbols:
            if symbol.is_real is not True or symbol.is_integer:
                continue
            values = [sign * v for v in (1e20, 1e30) for sign in (1, -1)]
            for kink in kinks:
                if symbol in kink.free_symbols:
                    values += _beside_zeros(kink, symbol, base)
            for value in values:
                point = {**base, symbol: value}
                if _admissible(point, symbol, conditions):
                    found.append(point)
    if len(found) > count:
        keep = rng.choice(len(found), size=count, replace=False)
        found = [found[i] for i in sorted(keep)]
    return found


def _kinks(exprs):
    """The expressions whose sign changes make ``exprs`` kink or jump."""
    kinks = []
    for expr in exprs:
        expr = sp.sympify(expr)
        for node in expr.atoms(sp.Abs, sp.sign, sp.Heaviside):
            kinks.append(node.args[0])
        for node in expr.atoms(sp.Max, sp.Min):
            kinks += [a - b for a, b in itertools.combinations(node.args, 2)]
        for node in expr.atoms(sp.Piecewise):
            for _, condition in node.args:
                for relation in getattr(condition, "atoms", lambda *_: ())(sp.core.relational.Relational):
                    kinks.append(relation.lhs - relation.rhs)
    return [k for k in kinks if k.free_symbols]


def _beside_zeros(kink, symbol, base):
    """Values of ``symbol`` just beside the real zeros of ``kink`` (others at ``base``)."""
    from .budget import BudgetExceeded, cpu_limit

    others = {k: v for k, v in base.items() if k != symbol}
    try:
        with cpu_limit(2):
            zeros = sp.solve(kink, symbol)
    except (BudgetExceeded, NotImplementedError, ValueError, TypeError):
        return []
    values = []
    for zero in zeros:
        try:
            at = complex(evaluate(zero, others, 40)) if zero.free_symbols else complex(zero)
        except (ValueError, TypeError, ZeroDivisionError):
            continue
        if abs(at.imag) > 1e-12 * (1 + abs(at.real)):
            continue
        x = at.real
        values += [x * (1 + d) for d in (1e-9, -1e-9)] + [x + d for d in (1e-30, -1e-30)]
    return values


def _admissible(point, symbol, conditions):
    sign = sign_condition(symbol, sp.Float(point[symbol], 40))
    if sign is sp.false or sign is False:
        return False
    try:
        return all(condition_holds(c, point) for c in conditions)
    except (ValueError, TypeError, ZeroDivisionError):
        return False


def _continued(curve, far, end, value, direction, detour=True):
    """The root ``value`` at ``far`` followed to ``end``: along the straight path, or, when two
    roots meet on it (at ``c``) and ``detour`` allows, along the two bent paths through
    ``c +- i d rho`` that pass it on either side; they must arrive at the same root (a collision
    that is no branch point, such as a pole of both roots at an atom), or the root at ``end``
    depends on the side and is None.  A function of a *real* variable is not continued through
    the complex plane (``detour=False``): where two real roots cross (``y^2 = r^2`` at ``r = 0``)
    it may switch from one to the other (``|r|``), so the collision leaves the point open."""
    poles = poles_of(curve)

    def along(points):
        current = value
        for a, b in itertools.pairwise(points):
            found, reached, where = continue_roots(curve, np.array([a]), np.array([b]), np.array([current]), poles)
            if not reached[0]:
                return None, where[0]
            current = complex(found[0])
        return current, None

    straight, stuck = along([far, end])
    if straight is not None or not detour:
        return straight
    rho = max(abs(stuck - end) / 2, 1e-3 * (1 + abs(stuck)))
    sides = [along([far, stuck + 1j * direction * rho * sign, end])[0] for sign in (1, -1)]
    if sides[0] is None or sides[1] is None or abs(sides[0] - sides[1]) > 1e-8 * (1 + abs(sides[0])):
        return None
    return sides[0]


def _holds_at(condition, point, digits):
    try:
        return condition_holds(condition, point, dps=digits)
    except (ValueError, TypeError, ZeroDivisionError):
        return False


def far_out(point):
    """Where "far out" is for the values ``point``: ``1e20 s^2`` and two farther fallbacks,
    ``s = 1 + max |value|``.  A fixed 1e20 is not far when a parameter is 1e12: ``z m + 1`` of a
    law with mean ``a`` is ``a/z``, 1e-8 there, and a true form failed the 1e-8 test."""
    scale = 1 + max((abs(complex(v)) for v in point.values()), default=0)
    base = FAR * mpmath.mpf(scale) ** 2
    return [base, base * mpmath.mpf(10) ** 10, base * mpmath.mpf(10) ** 20]


def far_digits(far):
    """Working digits at ``|z| = far``: a closed form such as ``(-z + sqrt(z^2 - 4))/2`` cancels
    twice the digits of ``far``, and 40 are left."""
    return max(FAR_DIGITS, 40 + 2 * int(mpmath.log10(far) + 1))


def _numeric_table(polynomial, var, values):
    """The coefficients of ``polynomial`` (in its generator) as polynomials in ``var`` with the
    other symbols at ``values``: the table of :class:`derive.continuation.Curve`, or None when a
    coefficient is not polynomial in ``var``."""
    rows = []
    for coefficient in polynomial.all_coeffs():
        try:
            in_var = sp.Poly(coefficient, var)
        except sp.PolynomialError:
            return None
        row = [complex(evaluate(c, values, TRACK_DIGITS)) for c in in_var.all_coeffs()]
        rows.append(row)
    width = max(len(r) for r in rows)
    return np.array([[0j] * (width - len(r)) + r for r in rows])


def _distinct(roots):
    """``roots`` with those equal to working precision (a double root, split by round-off into
    two about 10^-(digits/2) apart) counted once."""
    tolerance = mpmath.mpf(10) ** (-FAR_DIGITS // 4)
    found = []
    for root in roots:
        if not any(abs(root - other) <= tolerance * (1 + abs(other)) for other in found):
            found.append(root)
    return found


def _clearly_nearest(roots, target):
    """Whether one of ``roots`` is nearer ``target`` than :data:`TRACK_RATIO` times any other."""
    distances = sorted(abs(complex(r) - target) for r in roots)
    return len(distances) == 1 or distances[0] < TRACK_RATIO * distances[1]


def _close(a, b):
    return abs(a - b) <= mpmath.mpf(10) ** (-20) * (1 + abs(b))


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
