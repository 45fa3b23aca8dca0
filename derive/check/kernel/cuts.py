"""Branch cuts reached exactly: where sampling cannot see a complex statement fail.

The principal branches of ``log g`` and ``g^a`` (``a`` not an integer) jump across the negative
real axis of ``g``.  A statement about a complex symbol ``z`` can hold everywhere except where
``g(z)`` lies on that axis, a set of measure zero in the plane that no random point meets:

    conj(log(w z^3)) = log(conj(w) conj(z)^3),   w = e^{i pi/5},

fails exactly on the three rays ``arg z = 4pi/15 + 2pi k/3`` (there ``w z^3 < 0``, and the two
sides are ``log|w z^3| -+ i pi``).  The sampler's points on the real and imaginary axes catch the
cuts that lie there; these rays are elsewhere, and a float computed onto one lands a rounding
error to one side, where the statement holds.

Every other function with a branch cut has it where some ``g(w)`` of its argument crosses the
negative axis (:data:`CUTS`: ``1 - w^2`` for ``asin``, ``1 - w`` for ``polylog(s, w)``, ...).
So for every such ``g`` and complex symbol ``z`` in it, sympy's ``solve`` *proposes*
exact points with ``g(z) = -c`` (``c`` in :data:`CUT_VALUES`, the other symbols at a sampled
point's exact values), and the kernel's balls evaluate ``lhs - rhs`` there:

* Arb's rigorous enclosure excluding 0 is a certified counterexample (the point is the exact
  number sympy wrote, whether or not it is exactly on the cut);
* otherwise the enclosure straddles the cut, and the statement is evaluated once more with
  every cut-function argument whose ball meets the negative axis *taken on it* (its imaginary
  part set to 0, so the principal value ``log|g| + i pi`` is used).  A nonzero value there is no
  certificate (that the argument is exactly on the cut is sympy's word), but it is a reason not
  to verify: the step is left unverified, with the point named.

Where sympy proposes no exact point (a transcendental crossing, a root it writes only as
``CRootOf``), or the balls enclose none, the cut may be crossed unseen: the step is left
unverified, never verified.

A true statement meets neither (``exp(log g) = g`` has the same value on the cut), and a
statement whose conditions exclude the cuts (``0 < arg z < pi/4``) has no admissible cut point.

>>> import sympy as sp
>>> z = sp.Symbol("z")
>>> cut_arguments(sp.log(1/z) + sp.sqrt(z + 1) + z**2)
[1/z, z + 1]
>>> cut_arguments(sp.asin(z) + sp.polylog(2, z))
[1 - z, 1 - z**2]
"""

from __future__ import annotations

import sympy as sp
from flint import acb

from ...budget import BudgetExceeded, cpu_limit
from ...sampling import ExactComplex, satisfies, substitute_exactly
from .balls import BallEvaluator, NoEnclosure, _touches_negative_axis, precision

#: ``g = -c`` for these ``c``: one simple and one generic point of the negative axis.
CUT_VALUES = (sp.Integer(1), sp.Rational(7, 3))
#: Cut points tried per statement, and solutions kept per equation ``g = -c``.
CUT_POINTS = 12
ROOTS_PER_EQUATION = 3
#: CPU seconds sympy's ``solve`` may take per proposal, and proposals per statement.
SOLVE_SECONDS = 1.0
MAX_SOLVES = 8
#: Working precision of the enclosures at a cut point, in bits.
PREC = 256


def _not_integer(node):
    return not node.args[0].is_integer


#: sympy function name -> (the position of the argument ``w`` that carries the cut, when the
#: function has one there, ``w -> [g]``: the expressions whose negative real axis is the cut,
#: the line of ``w`` on which the cut lies).  One idea: every cut is where some ``g(w)`` crosses
#: ``(-oo, 0)``, so the points placed with ``g = -c`` are on it.  The principal branches are
#: mpmath's and Arb's (DLMF 4.23, 4.37, 25.12, 19.2, 6.2, 10.25, 15.2, 4.13):
#:
#: * ``asin``, ``acos``: ``w`` real, ``|w| > 1``, where ``1 - w^2 < 0``; ``acosh``: ``w < 1``;
#:   ``atanh``: ``w > 1`` (``1 - w < 0``) and ``w < -1`` (``1 + w < 0``); ``acoth = atanh(1/w)``:
#:   ``-1 < w < 1``, where ``(w - 1)/(w + 1) < 0``;
#: * ``atan``, ``asinh``: ``w`` imaginary, ``|w| > 1`` (``1 -+ i w < 0``, ``1 + w^2 < 0``);
#:   ``acot = atan(1/w)``: the segment ``(-i, i)`` (``1 -+ i/w < 0``);
#: * ``polylog(s, w)``, ``elliptic_k(w)``, ``elliptic_e(w)``, ``2F1(.; w)``: ``w > 1`` (``1 - w``);
#: * ``Ei``, ``expint``, ``li``, ``loggamma``, the Bessel functions, ``lowergamma``,
#:   ``uppergamma``: ``w < 0``; ``LambertW`` (principal): ``w < -1/e`` (``1 + e w``);
#: * ``log``: ``w < 0``; ``w^a`` for ``a`` not an integer: ``w < 0``.
CUTS = {
    "log": (0, lambda w: [w], "real", lambda node: len(node.args) == 1),
    "Pow": (0, lambda w: [w], "real", lambda node: not node.exp.is_integer and node.base != sp.E),
    "asin": (0, lambda w: [1 - w**2], "real", None),
    "acos": (0, lambda w: [1 - w**2], "real", None),
    "acosh": (0, lambda w: [w - 1], "real", None),
    "atanh": (0, lambda w: [1 + w, 1 - w], "real", None),
    "acoth": (0, lambda w: [(w - 1) / (w + 1)], "real", None),
    "atan": (0, lambda w: [1 + sp.I * w, 1 - sp.I * w], "imag", None),
    "asinh": (0, lambda w: [1 + w**2], "imag", None),
    "acot": (0, lambda w: [1 + sp.I / w, 1 - sp.I / w], "imag", None),
    "polylog": (1, lambda w: [1 - w], "real", None),
    "elliptic_k": (0, lambda w: [1 - w], "real", None),
    "elliptic_e": (0, lambda w: [1 - w], "real", lambda node: len(node.args) == 1),
    "hyper": (2, lambda w: [1 - w], "real", lambda node: len(node.args[0]) == len(node.args[1]) + 1),
    "Ei": (0, lambda w: [w], "real", None),
    "li": (0, lambda w: [w], "real", None),
    "expint": (1, lambda w: [w], "real", None),
    "loggamma": (0, lambda w: [w], "real", None),
    "besselj": (1, lambda w: [w], "real", _not_integer),
    "besseli": (1, lambda w: [w], "real", _not_integer),
    "bessely": (1, lambda w: [w], "real", None),
    "besselk": (1, lambda w: [w], "real", None),
    "hankel1": (1, lambda w: [w], "real", None),
    "hankel2": (1, lambda w: [w], "real", None),
    "lowergamma": (1, lambda w: [w], "real", None),
    "uppergamma": (1, lambda w: [w], "real", None),
    "LambertW": (0, lambda w: [1 + sp.E * w], "real", lambda node: len(node.args) == 1 or node.args[1] == 0),
}


def _cut_entry(node):
    """The :data:`CUTS` entry of ``node``, or None where it has no cut."""
    entry = CUTS.get(type(node).__name__)
    if entry is None or not isinstance(node, (sp.Function, sp.Pow, sp.log, sp.hyper)):
        return None
    applies = entry[3]
    return entry if applies is None or applies(node) else None


def cut_arguments(expr):
    """The expressions ``g`` whose negative real axis is the branch cut of a function in
    ``expr`` (:data:`CUTS`: ``log g``, ``g^a`` with ``a`` not an integer, ``asin w`` with
    ``g = 1 - w^2``, ...) that involve a symbol not declared real: where a principal branch can
    jump in the plane."""
    found = set()
    for node in sp.preorder_traversal(sp.sympify(expr)):
        entry = _cut_entry(node)
        if entry is None:
            continue
        for g in entry[1](node.args[entry[0]]):
            g = sp.sympify(g)
            if not g.is_extended_nonnegative and any(not s.is_extended_real for s in g.free_symbols):
                found.add(g)
    return sorted(found, key=sp.default_sort_key)


def cut_points(expr, sample, conditions):
    """``(points, unplaced)``: ``(g, point)`` pairs, exact points (as :class:`~derive.sampling.ExactComplex` values)
    where an argument of :func:`cut_arguments` is ``-c`` for ``c`` in :data:`CUT_VALUES` (one
    complex symbol moved there from a sampled point, the others kept; only those the symbol's
    assumptions and the conditions admit), and the arguments for which sympy proposed no exact
    point at all (a transcendental equation, a root sympy writes only as ``CRootOf``, a budget
    spent): cuts the sampling may cross unseen."""
    found, unplaced, solves = [], [], 0
    if not sample:
        return found, unplaced
    for i, g in enumerate(cut_arguments(expr)):
        placed = False
        for s in sorted((s for s in g.free_symbols if not s.is_extended_real), key=str):
            point = sample[i % len(sample)]
            try:
                others = substitute_exactly(g, {o: v for o, v in point.items() if o != s})
            except ValueError:
                continue
            for c in CUT_VALUES:
                solves += 1
                # the first value is tried on every argument, so that none is left unseen
                if c != CUT_VALUES[0] and (solves > MAX_SOLVES or len(found) >= CUT_POINTS):
                    break
                roots = _exact_roots(others + c, s)
                placed = placed or bool(roots)
                for root in roots[:ROOTS_PER_EQUATION]:
                    moved = {**point, s: ExactComplex(root)}
                    try:
                        if satisfies(s, moved[s]) and all(_certainly(k, moved) for k in conditions):
                            found.append((g, moved))
                    except (ArithmeticError, NoEnclosure, TypeError, ValueError):
                        continue
        if not placed:
            unplaced.append(g)
    return found[:CUT_POINTS], unplaced


def _exact_roots(expr, s):
    """sympy's exact solutions of ``expr = 0`` for ``s``, those the kernel's balls can enclose
    (no ``CRootOf``, no free symbol): a proposal, each checked where it is used."""
    try:
        with cpu_limit(SOLVE_SECONDS):
            roots = sp.solve(expr, s)
    except (BudgetExceeded, NotImplementedError, TypeError, ValueError):
        return []
    return [r for r in roots if not r.free_symbols and not r.has(sp.CRootOf)]


def _certainly(condition, point):
    """Whether Arb's enclosures prove ``condition`` at ``point``.  A cut point sits where a
    condition such as ``Im(w z^3) > 0`` is exactly on its boundary; a float evaluation rounds it
    to either side, the enclosure contains 0 and does not admit the point."""
    if isinstance(condition, sp.And):
        return all(_certainly(c, point) for c in condition.args)
    if isinstance(condition, sp.Or):
        return any(_certainly(c, point) for c in condition.args)
    if condition in (sp.true, True):
        return True
    if condition in (sp.false, False):
        return False
    ball = _enclose(BallEvaluator(PREC), condition.lhs - condition.rhs, point)
    if not ball.is_finite() or not bool(ball.imag == 0) and ball.imag.contains(0):
        return False
    if not ball.imag.contains(0):
        return False  # an order relation between numbers that are not real is false
    real = ball.real
    return {">": real > 0, ">=": real > 0, "<": real < 0, "<=": real < 0,
            "!=": not real.contains(0)}.get(condition.rel_op, False)


class _OnTheCut(BallEvaluator):
    """Balls with every cut-function argument that meets its cut taken on it: the value a
    statement has *if* that argument is exactly there (a proposal, never a proof).  ``w`` is
    projected on the line of its cut (:data:`CUTS`: its real part for a cut on the real axis,
    its imaginary part for one on the imaginary axis) when some ``g(w)`` of the table has a
    ball that meets the negative axis and lies left of 0."""

    def __call__(self, expr, env, analytic=False):
        entry = _cut_entry(expr) if isinstance(expr, sp.Basic) else None
        if entry is None:
            return super().__call__(expr, env, analytic)
        position, cuts_of, line, _ = entry
        w = BallEvaluator.__call__(self, expr.args[position], env, analytic)
        stand_in = sp.Dummy("w")
        if any(self._meets_cut(sp.sympify(g), stand_in, w) for g in cuts_of(stand_in)):
            w = acb(w.real) if line == "real" else acb(0, w.imag)
        args = list(expr.args)
        args[position] = stand_in
        return super().__call__(expr.func(*args, evaluate=False), {**env, stand_in: w}, analytic)

    def _meets_cut(self, g, stand_in, w):
        try:
            ball = BallEvaluator(self.prec)(g, {stand_in: w})
        except (NoEnclosure, ArithmeticError, TypeError, ValueError):
            return False
        return _touches_negative_axis(ball) and bool(ball.real < 0)


def _enclose(evaluator, expr, point):
    exact = {s: getattr(v, "value", sp.sympify(v)) for s, v in point.items()}
    with precision(PREC):
        # A cut point's values are exact expressions (roots, exponentials): enclosed themselves.
        env = {s: BallEvaluator(PREC)(v, {}) for s, v in exact.items()}
        return evaluator(sp.sympify(expr), env)


def verdict(lhs, rhs, sample, conditions):
    """``(status, evidence)`` from the cut points of ``lhs - rhs``: ``('failed', ...)`` for a
    certified counterexample, ``('unverified', ...)`` when the statement fails on a cut taken
    exactly, or when a cut argument had no exact point placed on it or enclosed there (sampling
    off the cut is no evidence about it), None when the cuts show nothing (or there are none)."""
    difference = sp.sympify(lhs) - sp.sympify(rhs)
    points, unplaced = cut_points(difference, sample, conditions)
    reached = set()
    for g, point in points:
        shown = ", ".join(f"{s} = {sp.sstr(getattr(v, 'value', v))}" for s, v in sorted(point.items(), key=str))
        try:
            ball = _enclose(BallEvaluator(PREC), difference, point)
            if ball.is_finite() and not ball.contains(0):
                return "failed", f"lhs - rhs = {ball.mid().str(5)} (Arb, certified) at {shown}, on a branch cut"
            on_cut = _enclose(_OnTheCut(PREC), difference, point)
        except (NoEnclosure, ArithmeticError, TypeError, ValueError):
            continue
        if on_cut.is_finite() and not on_cut.contains(0):
            return "unverified", (f"at {shown}, where an argument of a function with a branch cut lies on the "
                                  f"cut, lhs - rhs = {on_cut.mid().str(5)} when that argument is taken on "
                                  "the cut exactly (Arb's enclosure there straddles the cut): sampling off the "
                                  "cut cannot verify the statement")
        if ball.is_finite() and on_cut.is_finite():
            reached.add(g)
    unreached = unplaced + sorted({g for g, _ in points} - reached, key=sp.default_sort_key)
    if unreached:
        return "unverified", (f"no exact point placed on the branch cut where {sp.sstr(unreached[0])} < 0, "
                              "or none enclosed there (a transcendental crossing, a root sympy writes only "
                              "as CRootOf): sampling off a cut cannot verify a statement that may jump on it")
    return None
