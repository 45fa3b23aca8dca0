"""Issue 22, order relations between means: monotonicity, and one mean as an extended-real unknown.

A law known by its name is any probability law on the set its variable's assumptions allow, so
``g >= 0`` there gives ``<g> >= 0`` (:func:`derive.rmt.spectral.follows_by_monotonicity`), and a
polynomial in one mean holds where it holds for every value the mean can take, infinite ones
included (:func:`derive.rmt.spectral.follows_in_one_mean`).  Classes aimed at: integrands
nonnegative at the integers but not between them, supports with a pole of the integrand, sums of
means that may be infinity minus infinity, infinite means where the polynomial changes sign, a
mean with no sign and no existence (it may be undefined), a coefficient that may vanish, and the
true counterparts.
"""

import sympy as sp

from derive import Derivation
from derive.rmt import SpectralMean

from . import trap

r = sp.Symbol("r", positive=True)
ri = sp.Symbol("r", integer=True, positive=True)
rn = sp.Symbol("r", nonnegative=True)
rr = sp.Symbol("r", real=True)
rneg = sp.Symbol("r", negative=True)
a = sp.Symbol("a", real=True)


def _c(f, var=r):
    return SpectralMean(f, var, "C")


def _step(statement, premises=(), conditions=()):
    D = Derivation("trap")
    free = set(statement.free_symbols).union(*(p.free_symbols for _, p in premises))
    if free:
        D.parameter(*sorted(free, key=str))
    for label, premise in premises:
        D.step(label, premise)
    D.step("s", statement, uses=[label for label, _ in premises], conditions=list(conditions))
    return D, "s"


@trap("kernel-mean-order", true=True, sets="<r^2 - 3r + 2>_C >= 0 for a law on the positive integers (0 at 1 and 2)")
def k_mean_order_integer_quadratic_true():
    return _step(sp.Ge(_c(ri ** 2 - 3 * ri + 2, ri), 0))


@trap("kernel-mean-order", true=False,
      sets="<r^2 - 3r + 2>_C >= 0 for a law on the positive reals (negative on (1, 2): a point mass at 3/2)")
def k_mean_order_real_quadratic_false():
    return _step(sp.Ge(_c(r ** 2 - 3 * r + 2), 0))


@trap("kernel-mean-order", true=True, sets="<(r - a)^2>_C >= 0 for every real a")
def k_mean_order_square_parameter_true():
    return _step(sp.Ge(_c((r - a) ** 2), 0))


@trap("kernel-mean-order", true=False, sets="<(r - a)^2>_C > 0 for every real a (0 for a point mass at a > 0)")
def k_mean_order_square_parameter_strict_false():
    return _step(sp.Gt(_c((r - a) ** 2), 0))


@trap("kernel-mean-order", true=True, sets="<r>_C > a for a law on the positive reals, a <= 0")
def k_mean_order_parameter_bound_true():
    return _step(sp.Gt(_c(r), a), conditions=[a <= 0])


@trap("kernel-mean-order", true=False, sets="<r>_C > a for a law on the positive reals, a <= 1 (a point mass at 1/2)")
def k_mean_order_parameter_bound_false():
    return _step(sp.Gt(_c(r), a), conditions=[a <= 1])


@trap("kernel-mean-order", true=False,
      sets="<1/r>_C > 0 for a law on [0, oo) (a law that charges 0 has no such mean: the pole is on the support)")
def k_mean_order_pole_on_support_false():
    return _step(sp.Gt(_c(1 / rn, rn), 0))


@trap("kernel-mean-order", true=True, sets="<1/r>_C > 0 for a law on (0, oo)")
def k_mean_order_pole_off_support_true():
    return _step(sp.Gt(_c(1 / r), 0))


@trap("kernel-mean-order", true=False,
      sets="<r^2>_C - <r>_C >= 0 on the positive integers (r^2 >= r there, but both means may be infinite)")
def k_mean_order_two_means_infinite_false():
    return _step(sp.Ge(_c(ri ** 2, ri) - _c(ri, ri), 0))


@trap("kernel-mean-order", true=True,
      sets="<r>_C = 3 and <r^2>_C = 10 cited: <r^2>_C - 2 <r>_C >= 0 on the positive integers")
def k_mean_order_two_means_cited_true():
    m1, m2 = _c(ri, ri), _c(ri ** 2, ri)
    return _step(sp.Ge(m2 - 2 * m1, 0), premises=[("p1", sp.Eq(m1, 3)), ("p2", sp.Eq(m2, 10))])


@trap("kernel-mean-order", true=False,
      sets="<r>_C^2 - 3<r>_C + 2 >= 0 for a positive law (negative for a mean in (1, 2))")
def k_mean_order_one_mean_dip_false():
    m = _c(r)
    return _step(sp.Ge(m ** 2 - 3 * m + 2, 0))


@trap("kernel-mean-order", true=False,
      sets="<r>_C > 5 cited: 10<r>_C - <r>_C^2 + 1000 > 0 (false for a mean past 100, and an infinite one)")
def k_mean_order_one_mean_infinite_end_false():
    m = _c(r)
    return _step(sp.Gt(10 * m - m ** 2 + 1000, 0), premises=[("p", sp.Gt(m, 5))])


@trap("kernel-mean-order", true=True, sets="<r>_C < 10 cited: <r>_C^2 < 100 for a positive law")
def k_mean_order_one_mean_bounded_true():
    m = _c(r)
    return _step(sp.Lt(m ** 2, 100), premises=[("p", sp.Lt(m, 10))])


@trap("kernel-mean-order", true=False,
      sets="<r>_C^3 + 1 > 0 for a law on the negative reals (a mean below -1)")
def k_mean_order_negative_law_cubic_false():
    m = _c(rneg, rneg)
    return _step(sp.Gt(m ** 3 + 1, 0))


@trap("kernel-mean-order", true=True, sets="<r>_C^3 < 0 for a law on the negative reals (-oo included)")
def k_mean_order_negative_law_cubic_true():
    m = _c(rneg, rneg)
    return _step(sp.Lt(m ** 3, 0))


@trap("kernel-mean-order", true=False,
      sets="<r>_C^2 >= 0 for a law on the real line (a Cauchy law has no mean: the statement has no value)")
def k_mean_order_undefined_mean_false():
    return _step(sp.Ge(_c(rr, rr) ** 2, 0))


@trap("kernel-mean-order", true=False,
      sets="<r>_C > 5 cited: 1/<r>_C^2 > 0 (an infinite mean gives 0; not a polynomial in the mean)")
def k_mean_order_reciprocal_square_false():
    m = _c(r)
    return _step(sp.Gt(1 / m ** 2, 0), premises=[("p", sp.Gt(m, 5))])


@trap("kernel-mean-order", true=False,
      sets="<r>_C^2 >= <r^2>_C for a positive law (Jensen the wrong way round)")
def k_mean_order_jensen_wrong_false():
    return _step(sp.Ge(_c(r) ** 2, _c(r ** 2)))
