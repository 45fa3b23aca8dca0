"""Infinite sums and Dirac deltas under integrals (issue 22): the kernel's two new enclosures.

An infinite sum is enclosed as its first terms plus a tail ball ``|t(N)|/(1 - q)``, where
``|t(k+1)/t(k)| <= q < 1`` for every real ``k >= N`` is decided by Z3 (``kernel.sums``).  An
integral of ``f(t) DiracDelta(g(t))`` is the sifting rule at the simple roots of ``g`` that Arb
isolates strictly inside the interval (``kernel.distributions``).

True traps: series with parameters bounded so that the terms needed stay under the budget, and
sifting at roots that move with a parameter.  False ones: a claim off by a hair (1e-40, below
mpmath's default digits), a geometric series claimed beyond its radius, tails that converge too
slowly for the ratio test (``1/(k log^2 k)``), terms that grow before they shrink, a root on the
endpoint, a double root, a root pushed outside the interval for part of the admissible range.
"""

import sympy as sp

from . import trap
from .traps_relations import _step

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", positive=True)
a = sp.Symbol("a", positive=True)
t = sp.Symbol("t", real=True)
k = sp.Symbol("k", integer=True, nonnegative=True)
kp = sp.Symbol("k", integer=True, positive=True)
HAIR = sp.Rational(1, 10 ** 40)
BOX = [sp.Gt(x, -30), sp.Lt(x, 30)]


def _eq(lhs, rhs, conditions=()):
    return _step(sp.Eq(lhs, rhs, evaluate=False), conditions=list(conditions))


# ---- infinite sums ---------------------------------------------------------------------------

@trap("kernel-sums", true=True, sets="sum_{k>=0} x^k/k! = exp(x) for -30 < x < 30")
def k_sums_exp_series_box():
    return _eq(sp.Sum(x ** k / sp.factorial(k), (k, 0, sp.oo)), sp.exp(x), BOX)


@trap("kernel-sums", true=False, sets="sum_{k>=0} x^k/k! = exp(x) + 10^-40 for -30 < x < 30")
def k_sums_exp_series_hair():
    return _eq(sp.Sum(x ** k / sp.factorial(k), (k, 0, sp.oo)), sp.exp(x) + HAIR, BOX)


@trap("kernel-sums", true=False, sets="sum_{k>=1} x^k/k! = exp(x) for -30 < x < 30 (the k = 0 term dropped)")
def k_sums_exp_series_from_one():
    return _eq(sp.Sum(x ** kp / sp.factorial(kp), (kp, 1, sp.oo)), sp.exp(x), BOX)


@trap("kernel-sums", true=True, sets="sum_{k>=0} (-1)^k x^(2k+1)/(2k+1)! = sin(x) for -30 < x < 30 "
      "(terms that grow to 10^11 before they shrink)")
def k_sums_sine_series():
    term = (-1) ** k * x ** (2 * k + 1) / sp.gamma(2 * k + 2)
    return _eq(sp.Sum(term, (k, 0, sp.oo)), sp.sin(x), BOX)


@trap("kernel-sums", true=True, sets="sum_{k>=0} y^k = 1/(1 - y) for 0 < y < 9/10")
def k_sums_geometric_true():
    return _eq(sp.Sum(y ** k, (k, 0, sp.oo)), 1 / (1 - y), [y < sp.Rational(9, 10)])


@trap("kernel-sums", true=False, sets="sum_{k>=0} y^k = 1/(1 - y) for 0 < y < 11/10 (diverges from y = 1)")
def k_sums_geometric_beyond_radius():
    return _eq(sp.Sum(y ** k, (k, 0, sp.oo)), 1 / (1 - y), [y < sp.Rational(11, 10)])


@trap("kernel-sums", true=True, sets="sum_{k>=0} (k + 1) y^k = 1/(1 - y)^2 for 0 < y < 1/2 (a ratio "
      "above its limit y for small k)")
def k_sums_geometric_derivative():
    return _eq(sp.Sum((k + 1) * y ** k, (k, 0, sp.oo)), 1 / (1 - y) ** 2, [y < sp.Rational(1, 2)])


@trap("kernel-sums", true=False, sets="sum_{k>=0} (k + 1) y^k = 1/(1 - y)^2 + y^60 for 0 < y < 1/2 "
      "(a discrepancy below 2^-60 at every point)")
def k_sums_geometric_derivative_tiny():
    return _eq(sp.Sum((k + 1) * y ** k, (k, 0, sp.oo)), 1 / (1 - y) ** 2 + y ** 60, [y < sp.Rational(1, 2)])


@trap("kernel-sums", true=False, sets="sum_{k>=0} 100^k/k! = e^100 (1 + 10^-60): terms grow to 10^42 "
      "before they shrink")
def k_sums_grow_then_shrink():
    return _eq(sp.Sum(sp.Integer(100) ** k / sp.factorial(k), (k, 0, sp.oo)),
               sp.exp(100) * (1 + sp.Rational(1, 10 ** 60)))


@trap("kernel-sums", true=False, sets="sum_{k>=2} 1/(k log^2 k) = 2.1097428012 (about its value; a tail "
      "like 1/log N, which no ratio test bounds)")
def k_sums_slow_log_tail():
    k2 = sp.Symbol("k", integer=True, positive=True)
    return _eq(sp.Sum(1 / (k2 * sp.log(k2) ** 2), (k2, 2, sp.oo)), sp.Rational(21097428012, 10 ** 10))


@trap("kernel-sums", true=False, sets="sum_{k>=1} 1/k^2 = pi^2/6 - 1/10^4 (the partial sum to 10^4: a "
      "ratio tending to 1 gives no tail bound)")
def k_sums_basel_partial():
    return _eq(sp.Sum(1 / kp ** 2, (kp, 1, sp.oo)), sp.pi ** 2 / 6 - sp.Rational(1, 10 ** 4))


# ---- Dirac deltas under an integral ------------------------------------------------------------

@trap("kernel-sums", true=True, sets="int_{-2}^{2} t^2 DiracDelta(t^2 - a) dt = sqrt(a) for 0 < a < 4 "
      "(two simple roots, |g'| = 2 sqrt a)")
def k_sums_dirac_quadratic_true():
    return _eq(sp.Integral(t ** 2 * sp.DiracDelta(t ** 2 - a), (t, -2, 2)), sp.sqrt(a), [a < 4])


@trap("kernel-sums", true=False, sets="int_{-2}^{2} t^2 DiracDelta(t^2 - a) dt = a for 0 < a < 4 "
      "(the factor 1/|g'(t0)| dropped)")
def k_sums_dirac_quadratic_no_jacobian():
    return _eq(sp.Integral(t ** 2 * sp.DiracDelta(t ** 2 - a), (t, -2, 2)), a, [a < 4])


@trap("kernel-sums", true=False, sets="int_{-1}^{1} cos(t) DiracDelta(t - a) dt = cos(a) for 0 < a < 2 "
      "(0 once the root leaves the interval, a > 1)")
def k_sums_dirac_root_leaves():
    return _eq(sp.Integral(sp.cos(t) * sp.DiracDelta(t - a), (t, -1, 1)), sp.cos(a), [a < 2])


@trap("kernel-sums", true=False, sets="int_0^1 DiracDelta(t) dt = 1 (the root on the endpoint: 1/2 by "
      "sympy's convention, no value by the sifting rule)")
def k_sums_dirac_endpoint():
    return _eq(sp.Integral(sp.DiracDelta(t), (t, 0, 1)), 1)


@trap("kernel-sums", true=False, sets="int_{-1}^{1} DiracDelta(t^2) dt = 1 (a double root: delta(t^2) is "
      "no measure)")
def k_sums_dirac_double_root():
    return _eq(sp.Integral(sp.DiracDelta(t ** 2), (t, -1, 1)), 1)


@trap("kernel-sums", true=True, sets="int_{-oo}^{oo} exp(-t^2) DiracDelta(2t - a) dt + int_0^a dt = "
      "exp(-a^2/4)/2 + a (a delta with a slope and an infinite interval)")
def k_sums_dirac_slope_infinite():
    return _eq(sp.Integral(sp.exp(-t ** 2) * sp.DiracDelta(2 * t - a), (t, -sp.oo, sp.oo)) + sp.Integral(1, (t, 0, a)),
               sp.exp(-a ** 2 / 4) / 2 + a)


# ---- infinite products -------------------------------------------------------------------------

k1 = sp.Symbol("k", integer=True, positive=True)
EULER = sp.Product(1 + y ** k1, (k1, 1, sp.oo)) * sp.Product(1 - y ** (2 * k1 - 1), (k1, 1, sp.oo))


@trap("kernel-sums", true=True, sets="prod_{k>=1} (1 + y^k) prod_{k>=1} (1 - y^(2k-1)) = 1 for 0 < y < 1/2 "
      "(Euler: distinct parts and odd parts)")
def k_sums_euler_product():
    return _eq(EULER, 1, [y < sp.Rational(1, 2)])


@trap("kernel-sums", true=False, sets="the same product = 1 + y^80 for 0 < y < 1/2 (below 2^-80 everywhere)")
def k_sums_euler_product_tiny():
    return _eq(EULER, 1 + y ** 80, [y < sp.Rational(1, 2)])


@trap("kernel-sums", true=False, sets="prod_{k>=1} (1 + y^k) = 1/(1 - y) for 0 < y < 1/2 (that is "
      "prod (1 + y^(2^k)); the two agree to first order in y)")
def k_sums_product_wrong_closed_form():
    return _eq(sp.Product(1 + y ** k1, (k1, 1, sp.oo)), 1 / (1 - y), [y < sp.Rational(1, 2)])
