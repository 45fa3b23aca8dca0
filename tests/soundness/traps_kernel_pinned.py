"""Issue 22, functions with jumps and kinks decided exactly by the real-algebraic decision.

``kernel.real`` pins ``floor``, ``ceiling``, ``|u|``, ``max``, ``min``, ``sign`` and ``Heaviside``
of a rational function by side facts with one solution (``f <= u < f + 1`` for an integer
``f``), integers are Z3 integers, and roots of positive algebraic constants are exact unknowns.
Classes aimed at: sympy's values at the jump (``sign(0) = 0``, ``Heaviside(0) = 1/2``), floors of
negative numbers, strict forms that fail only at the kink, statements true at the integers and
false between them, nested radicals equal or off by 10^-30.
"""

import sympy as sp

from derive import Derivation

from . import trap

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
n = sp.Symbol("n", integer=True)
R6 = sp.sqrt(5 + 2 * sp.sqrt(6))


def _step(statement, conditions=()):
    D = Derivation("trap")
    free = sorted(statement.free_symbols | set().union(*(c.free_symbols for c in conditions)), key=str)
    if free:
        D.parameter(*free)
    D.step("s", statement, conditions=list(conditions))
    return D, "s"


@trap("kernel-pinned", true=True, sets="H(x) + H(-x) = 1 for real x (H(0) = 1/2)")
def k_pinned_heaviside_pair_true():
    return _step(sp.Eq(sp.Heaviside(x) + sp.Heaviside(-x), 1))


@trap("kernel-pinned", true=False, sets="H(x) + H(-x) >= 1 ... as H(x) + H(x) = 1 (false except at 0)")
def k_pinned_heaviside_double_false():
    return _step(sp.Eq(sp.Heaviside(x) + sp.Heaviside(x), 1))


@trap("kernel-pinned", true=False, sets="sign(x)^2 = 1 for real x (sign(0) = 0)")
def k_pinned_sign_square_false():
    return _step(sp.Eq(sp.sign(x) ** 2, 1))


@trap("kernel-pinned", true=True, sets="x sign(x) = |x| for real x")
def k_pinned_sign_abs_true():
    return _step(sp.Eq(x * sp.sign(x), sp.Abs(x)))


@trap("kernel-pinned", true=True, sets="floor(x) > x - 1 for real x (floor(-1/2) = -1)")
def k_pinned_floor_strict_true():
    return _step(sp.Gt(sp.floor(x), x - 1))


@trap("kernel-pinned", true=False, sets="floor(x) >= x - 1/2 for real x (false at x = 3/4)")
def k_pinned_floor_half_false():
    return _step(sp.Ge(sp.floor(x), x - sp.Rational(1, 2)))


@trap("kernel-pinned", true=False, sets="ceiling(x) - floor(x) = 1 for real x (0 at the integers)")
def k_pinned_ceiling_floor_false():
    return _step(sp.Eq(sp.ceiling(x) - sp.floor(x), 1))


@trap("kernel-pinned", true=True, sets="floor(n/2) + ceiling(n/2) = n for integers n")
def k_pinned_floor_ceiling_integer_true():
    return _step(sp.Eq(sp.floor(n / 2) + sp.ceiling(n / 2), n))


@trap("kernel-pinned", true=False, sets="floor(x/2) + ceiling(x/2) = x for real x (false at x = 1/2)")
def k_pinned_floor_ceiling_real_false():
    return _step(sp.Eq(sp.floor(x / 2) + sp.ceiling(x / 2), x))


@trap("kernel-pinned", true=True, sets="|x - 1| + |x + 1| >= 2 for real x")
def k_pinned_abs_sum_true():
    return _step(sp.Ge(sp.Abs(x - 1) + sp.Abs(x + 1), 2))


@trap("kernel-pinned", true=False, sets="|x - 1| + |x + 1| > 2 for real x (2 on [-1, 1])")
def k_pinned_abs_sum_strict_false():
    return _step(sp.Gt(sp.Abs(x - 1) + sp.Abs(x + 1), 2))


@trap("kernel-pinned", true=True, sets="max(x, y) + min(x, y) = x + y for real x, y")
def k_pinned_max_min_true():
    return _step(sp.Eq(sp.Max(x, y) + sp.Min(x, y), x + y))


@trap("kernel-pinned", true=False, sets="max(x, y, 0) = max(x, y) for real x, y (false when both are negative)")
def k_pinned_max_three_false():
    return _step(sp.Eq(sp.Max(x, y, 0), sp.Max(x, y)))


@trap("kernel-pinned", true=True, sets="sqrt(5 + 2 sqrt 6) < sqrt 2 + sqrt 3 + 10^-30 (a nested radical, exactly)")
def k_pinned_nested_radical_true():
    return _step(sp.Lt(R6, sp.sqrt(2) + sp.sqrt(3) + sp.Rational(1, 10 ** 30), evaluate=False))


@trap("kernel-pinned", true=False, sets="sqrt(5 + 2 sqrt 6) > sqrt 2 + sqrt 3 (they are equal)")
def k_pinned_nested_radical_false():
    return _step(sp.Gt(R6, sp.sqrt(2) + sp.sqrt(3), evaluate=False))


@trap("kernel-pinned", true=False,
      sets="sign(x - sqrt(5 + 2 sqrt 6)) = sign(x - sqrt 2 - sqrt 3 - 10^-30) (differ on a window 10^-30 wide)")
def k_pinned_sign_radical_window_false():
    return _step(sp.Eq(sp.sign(x - R6), sp.sign(x - sp.sqrt(2) - sp.sqrt(3) - sp.Rational(1, 10 ** 30))))
