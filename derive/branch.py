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
apply there, admit exactly one root.  An :class:`Asymptotic` condition is checked for the stated
root far out, but names no root at a finite point (continuing a branch inward from infinity
depends on where the roots collide), so it never settles a point on its own: ``y = r`` as the
nonnegative root of ``y^2 = r^2`` is right far out and wrong for every ``r < 0``.
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
#: Root tracking (:meth:`Asymptotic.continued_root`): a step is accepted when the nearest root
#: is nearer than this fraction of the distance to the next; halvings of a step before two roots
#: are taken to meet.
TRACK_RATIO = 0.5
TRACK_REFINEMENTS = 40
#: Steps along the path before the root is taken to run into another.
TRACK_STEPS = 600
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
    points = admissible_points(symbols, list(conditions), count, np.random.default_rng(seed))
    if not points:
        return "open", "no admissible point where the solve is claimed"
    for point in points:
        shown = ", ".join(f"{k}={_short(v)}" for k, v in sorted(point.items(), key=str))
        applying = [c for c in branch if c.applies_at(point)]
        try:
            with mpmath.workdps(FAR_DIGITS):
                coefficients = [evaluate(c, point, FAR_DIGITS) for c in polynomial.all_coeffs()]
                if coefficients[0] == 0:
                    return "open", f"the leading coefficient vanishes at {shown}"
                roots = mpmath.polyroots(coefficients, maxsteps=400, extraprec=2 * FAR_DIGITS)
                value = evaluate(form, point, FAR_DIGITS)
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
        if not (self.point.is_infinite or self.point.has(sp.oo, -sp.oo, sp.zoo)):
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

    def free_symbols(self):
        return (self.expr.free_symbols | self.value.free_symbols) - {self.var}

    def applies_at(self, point):
        return False

    def continued_root(self, name, polynomial, point):
        """The root this condition names far out, followed to ``point`` along the straight path
        ``point + t d`` (``d`` the direction of the limit point, ``t`` from 1e20 down to 0); None
        when it cannot be followed (two roots meet on the way, so which one continues is not
        determined, or the start is ambiguous).

        This is analytic continuation along one path: the root it reaches is the branch named by
        the condition *continued along that path*, which is the meant one unless the path
        crosses a cut of the function itself (then the caller must not count it as settled).
        """
        u = polynomial.gen
        others = {k: v for k, v in point.items() if k != self.var}
        start = complex(point.get(self.var, 0))
        direction = complex(evaluate(sp.sign(self.point), {}, 30))
        coefficients = polynomial.all_coeffs()

        def at(t):
            return {**others, self.var: start + direction * t}

        def roots_at(t, digits=TRACK_DIGITS):
            with mpmath.workdps(digits):
                values = [evaluate(c, at(t), digits) for c in coefficients]
                if values[0] == 0:
                    return None
                if digits > TRACK_DIGITS:
                    return mpmath.polyroots(values, maxsteps=400, extraprec=2 * digits)
            # Following a root needs only to tell it from the others: double precision will do.
            return np.roots(np.array([complex(v) for v in values], dtype=complex))

        try:
            far = mpmath.mpf(FAR)
            roots = roots_at(far, FAR_DIGITS)
            named = self._satisfied_by(name, u, roots, at(far)) if roots is not None else []
            if len(named) != 1:
                return None
            tracked, t = complex(named[0]), float(FAR)
            # The roots at the point itself, at full precision; roots that meet there (a double
            # root at an edge of the support) count once.
            final = roots_at(mpmath.mpf(0), FAR_DIGITS)
            if final is None:
                return None
            final = _distinct(final)
            speed, current = None, roots_at(t)
            for _ in range(TRACK_STEPS):
                if t == 0 or len(final) == 1 and t < 1e-9 * (1 + abs(start)):
                    break
                here = _separation(current, tracked)
                # A step moves the root by at most a quarter of its distance to the others, so no
                # two roots can meet unnoticed between samples: near a collision the steps shrink
                # with the distance to it and the budget of steps runs out.
                step = t / 2 if speed is None else min(t, 0.25 * here / speed)
                for _ in range(TRACK_REFINEMENTS):
                    roots = roots_at(t - step)
                    if roots is not None and _clearly_nearest(roots, tracked):
                        nearest = complex(min(roots, key=lambda r: abs(r - tracked)))
                        if abs(nearest - tracked) <= 0.25 * min(here, _separation(roots, nearest)):
                            break
                    step /= 2
                else:
                    return None
                speed = max(abs(nearest - tracked) / step, 1e-300)
                tracked, t, current = nearest, t - step, roots
            else:
                return None
            if not _clearly_nearest([complex(r) for r in final], tracked):
                return None
            return min(final, key=lambda r: abs(complex(r) - tracked))
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
        if not points:
            return False, f"{self}: no admissible point"
        for point in points:
            if not condition_holds(relation, point, dps=40):
                shown = ", ".join(f"{k}={_short(v)}" for k, v in sorted(point.items(), key=str))
                return False, f"{self} fails at {shown}"
        return True, f"{self} at {len(points)} random points"

    def free_symbols(self):
        return self.relation.free_symbols.union(*(w.free_symbols for w in self.where))

    def applies_at(self, point):
        try:
            return all(condition_holds(w, point, dps=40) for w in self.where)
        except (ValueError, TypeError, ZeroDivisionError):
            return False

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


def _separation(roots, root):
    """Distance from ``root`` to the nearest other of ``roots`` (inf when it is alone)."""
    others = sorted(abs(complex(r) - root) for r in roots)[1:]
    return others[0] if others else float("inf")


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
