"""Branch cuts reached exactly: where sampling cannot see a complex statement fail.

The principal branches of ``log g`` and ``g^a`` (``a`` not an integer) jump across the negative
real axis of ``g``.  A statement about a complex symbol ``z`` can hold everywhere except where
``g(z)`` lies on that axis, a set of measure zero in the plane that no random point meets:

    conj(log(w z^3)) = log(conj(w) conj(z)^3),   w = e^{i pi/5},

fails exactly on the three rays ``arg z = 4pi/15 + 2pi k/3`` (there ``w z^3 < 0``, and the two
sides are ``log|w z^3| -+ i pi``).  The sampler's points on the real and imaginary axes catch the
cuts that lie there; these rays are elsewhere, and a float computed onto one lands a rounding
error to one side, where the statement holds.

So for every such argument ``g`` and complex symbol ``z`` in it, sympy's ``solve`` *proposes*
exact points with ``g(z) = -c`` (``c`` in :data:`CUT_VALUES`, the other symbols at a sampled
point's exact values), and the kernel's balls evaluate ``lhs - rhs`` there:

* Arb's rigorous enclosure excluding 0 is a certified counterexample (the point is the exact
  number sympy wrote, whether or not it is exactly on the cut);
* otherwise the enclosure straddles the cut, and the statement is evaluated once more with
  every cut-function argument whose ball meets the negative axis *taken on it* (its imaginary
  part set to 0, so the principal value ``log|g| + i pi`` is used).  A nonzero value there is no
  certificate (that the argument is exactly on the cut is sympy's word), but it is a reason not
  to verify: the step is left unverified, with the point named.

A true statement meets neither (``exp(log g) = g`` has the same value on the cut), and a
statement whose conditions exclude the cuts (``0 < arg z < pi/4``) has no admissible cut point.

>>> import sympy as sp
>>> z = sp.Symbol("z")
>>> cut_arguments(sp.log(1/z) + sp.sqrt(z + 1) + z**2)
[1/z, z + 1]
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


def _has_cut(node):
    if isinstance(node, sp.log):
        return len(node.args) == 1
    return isinstance(node, sp.Pow) and not node.exp.is_integer


def cut_arguments(expr):
    """The arguments ``g`` of ``log g`` and ``g^a`` (``a`` not an integer) in ``expr`` that
    involve a symbol not declared real: where a principal branch can jump in the plane."""
    found = set()
    for node in sp.preorder_traversal(sp.sympify(expr)):
        if _has_cut(node) and not node.args[0].is_extended_nonnegative:
            g = node.args[0]
            if any(not s.is_extended_real for s in g.free_symbols):
                found.add(g)
    return sorted(found, key=sp.default_sort_key)


def cut_points(expr, sample, conditions):
    """Exact points (as :class:`~derive.sampling.ExactComplex` values) where an argument of
    :func:`cut_arguments` is ``-c`` for ``c`` in :data:`CUT_VALUES`: one complex symbol moved
    there from a sampled point, the others kept; only those the symbol's assumptions and the
    conditions admit."""
    found, solves = [], 0
    for i, g in enumerate(cut_arguments(expr)):
        for s in sorted((s for s in g.free_symbols if not s.is_extended_real), key=str):
            if not sample or len(found) >= CUT_POINTS:
                return found[:CUT_POINTS]
            point = sample[i % len(sample)]
            try:
                others = substitute_exactly(g, {o: v for o, v in point.items() if o != s})
            except ValueError:
                continue
            for c in CUT_VALUES:
                solves += 1
                if solves > MAX_SOLVES:
                    return found[:CUT_POINTS]
                try:
                    with cpu_limit(SOLVE_SECONDS):
                        roots = [r for r in sp.solve(sp.Eq(others, -c), s) if not r.free_symbols]
                except (BudgetExceeded, NotImplementedError, TypeError, ValueError):
                    continue
                for root in roots[:ROOTS_PER_EQUATION]:
                    moved = {**point, s: ExactComplex(root)}
                    try:
                        if satisfies(s, moved[s]) and all(_certainly(k, moved) for k in conditions):
                            found.append(moved)
                    except (ArithmeticError, NoEnclosure, TypeError, ValueError):
                        continue
    return found[:CUT_POINTS]


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
    """Balls with every cut-function argument that meets the negative axis taken on it: the
    value a statement has *if* that argument is exactly there (a proposal, never a proof)."""

    @staticmethod
    def _onto_axis(b):
        return acb(b.real) if _touches_negative_axis(b) and bool(b.real < 0) else b

    def _ball_log(self, expr, env, analytic):
        if len(expr.args) != 1:
            raise NoEnclosure("log with a base")
        return self._onto_axis(self(expr.args[0], env, analytic)).log()

    def _ball_Pow(self, expr, env, analytic):
        base, exponent = expr.args
        if exponent.is_integer or base == sp.E:
            return super()._ball_Pow(expr, env, analytic)
        return self._onto_axis(self(base, env, analytic)).pow(self(exponent, env, analytic))


def _enclose(evaluator, expr, point):
    exact = {s: getattr(v, "value", sp.sympify(v)) for s, v in point.items()}
    with precision(PREC):
        # A cut point's values are exact expressions (roots, exponentials): enclosed themselves.
        env = {s: BallEvaluator(PREC)(v, {}) for s, v in exact.items()}
        return evaluator(sp.sympify(expr), env)


def verdict(lhs, rhs, sample, conditions):
    """``(status, evidence)`` from the cut points of ``lhs - rhs``: ``('failed', ...)`` for a
    certified counterexample, ``('unverified', ...)`` when the statement fails on a cut taken
    exactly, None when the cuts show nothing (or there are none)."""
    difference = sp.sympify(lhs) - sp.sympify(rhs)
    for point in cut_points(difference, sample, conditions):
        shown = ", ".join(f"{s} = {sp.sstr(getattr(v, 'value', v))}" for s, v in sorted(point.items(), key=str))
        try:
            ball = _enclose(BallEvaluator(PREC), difference, point)
            if ball.is_finite() and not ball.contains(0):
                return "failed", f"lhs - rhs = {ball.mid().str(5)} (Arb, certified) at {shown}, on a branch cut"
            on_cut = _enclose(_OnTheCut(PREC), difference, point)
        except (NoEnclosure, ArithmeticError, TypeError, ValueError):
            continue
        if on_cut.is_finite() and not on_cut.contains(0):
            return "unverified", (f"at {shown}, where an argument of log or of a fractional power lies on its "
                                  f"branch cut, lhs - rhs = {on_cut.mid().str(5)} when that argument is taken on "
                                  "the cut exactly (Arb's enclosure there straddles the cut): sampling off the "
                                  "cut cannot verify the statement")
    return None
