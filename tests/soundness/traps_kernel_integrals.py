"""The kernel round: integrals, sums and order relations that sympy's own answers get wrong.

sympy's ``integrate`` is a proposer, not a judge: its antiderivatives of periodic functions
with ``Abs``, ``Max`` or a positive part are wrong past the first period or two, and an
integral through a pole gets the difference of the antiderivative across it.  Each false trap
below states the closed form sympy 1.14 returns; the checker must not verify it (the symbolic
route's ``simplify`` calls ``doit``, which calls ``integrate``).  The true traps state correct
closed forms that certified quadrature (Arb) confirms at sampled parameters.  Order relations
between polynomials under conditions are decided by Z3's real arithmetic.
"""

import sympy as sp

from . import trap
from .traps_relations import _step

t = sp.Symbol("t", real=True)
s = sp.Symbol("s", real=True)
a = sp.Symbol("a", positive=True)
b = sp.Symbol("b", real=True)
k = sp.Symbol("k", integer=True, positive=True)
x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
pi = sp.pi


def _eq(lhs, rhs, conditions=()):
    return _step(sp.Eq(lhs, rhs, evaluate=False), conditions=conditions)


# ---------------------------------------------------------------------------------------------
# periodic integrands with kinks: sympy's antiderivative is right for one period only
# ---------------------------------------------------------------------------------------------


@trap("kernel-integral", true=False, sets="int_0^a |sin t| dt = cos a - 2 cos(min(pi, a)) + 1 (sympy's answer, "
      "wrong for a > 2 pi)")
def k_int_abs_sin_sympy():
    return _eq(sp.Integral(sp.Abs(sp.sin(t)), (t, 0, a)), sp.cos(a) - 2 * sp.cos(sp.Min(pi, a)) + 1)


@trap("kernel-integral", true=False, sets="int_0^a max(0, cos t) dt = sin a + sin(min(pi/2, a)) - sin(min(3pi/2, a)) "
      "(sympy's answer, wrong past 5 pi/2)")
def k_int_positive_part_cos_sympy():
    return _eq(sp.Integral(sp.Max(0, sp.cos(t)), (t, 0, a)),
               sp.sin(a) + sp.sin(sp.Min(pi / 2, a)) - sp.sin(sp.Min(3 * pi / 2, a)))


@trap("kernel-integral", true=False, sets="int_0^a |sin 2t| dt = cos(2a)/2 - cos(2 min(pi/2, a)) + 1/2 (sympy's "
      "answer, wrong past pi)")
def k_int_abs_sin_2t_sympy():
    return _eq(sp.Integral(sp.Abs(sp.sin(2 * t)), (t, 0, a)),
               sp.cos(2 * a) / 2 - sp.cos(2 * sp.Min(pi / 2, a)) + sp.Rational(1, 2))


@trap("kernel-integral", true=False, sets="int_0^a max(0, sin t) dt = 1 - cos a - cos(min(pi, a)) + cos(min(2pi, a)) "
      "(sympy's answer, wrong past 3 pi)")
def k_int_positive_part_sin_sympy():
    return _eq(sp.Integral(sp.Max(0, sp.sin(t)), (t, 0, a)),
               -sp.cos(a) - sp.cos(sp.Min(pi, a)) + sp.cos(sp.Min(2 * pi, a)) + 1)


@trap("kernel-integral", true=False, sets="the same wrong answer only where it is wrong: a > 2 pi")
def k_int_abs_sin_sympy_beyond_two_periods():
    return _eq(sp.Integral(sp.Abs(sp.sin(t)), (t, 0, a)), sp.cos(a) - 2 * sp.cos(sp.Min(pi, a)) + 1,
               conditions=[sp.Gt(a, 2 * pi), sp.Lt(a, 3 * pi)])


@trap("kernel-integral", true=True, sets="int_0^a |sin t| dt = 1 - cos a for 0 < a < pi (sympy's answer, where it "
      "is right)")
def k_int_abs_sin_first_period():
    return _eq(sp.Integral(sp.Abs(sp.sin(t)), (t, 0, a)), 1 - sp.cos(a), conditions=[sp.Lt(a, pi)])


@trap("kernel-integral", true=True, sets="int_0^{k pi} |sin t| dt = 2k for every positive integer k")
def k_int_abs_sin_whole_periods():
    return _eq(sp.Integral(sp.Abs(sp.sin(t)), (t, 0, k * pi)), 2 * k, conditions=[sp.Le(k, 12)])


@trap("kernel-integral", true=False, sets="int_0^{k pi} |sin t| dt = 2 (true at k = 1 only)")
def k_int_abs_sin_whole_periods_wrong():
    return _eq(sp.Integral(sp.Abs(sp.sin(t)), (t, 0, k * pi)), 2, conditions=[sp.Le(k, 12)])


@trap("kernel-integral", true=True, sets="int_0^a max(0, t - 1) dt = max(0, a - 1)^2 / 2")
def k_int_positive_part_linear():
    return _eq(sp.Integral(sp.Max(0, t - 1), (t, 0, a)), sp.Max(0, a - 1) ** 2 / 2, conditions=[sp.Lt(a, 50)])


# ---------------------------------------------------------------------------------------------
# poles on the path
# ---------------------------------------------------------------------------------------------


@trap("kernel-integral", true=False, sets="int_0^{2a} dt/(t - a)^2 = -2/a (sympy's answer; the integral diverges)")
def k_int_through_double_pole():
    return _eq(sp.Integral(1 / (t - a) ** 2, (t, 0, 2 * a)), -2 / a)


@trap("kernel-integral", true=False, sets="int_{b-1}^{b+1} dt/(t - b)^2 = -2 (sympy's answer through a pole)")
def k_int_through_pole_shifted():
    return _eq(sp.Integral(1 / (t - b) ** 2, (t, b - 1, b + 1)), -2)


@trap("kernel-integral", true=False, sets="int_0^a tan t dt = -log cos a (sympy's answer, through the pole at pi/2)")
def k_int_tan_through_pole():
    return _eq(sp.Integral(sp.tan(t), (t, 0, a)), -sp.log(sp.cos(a)), conditions=[sp.Gt(a, 2), sp.Lt(a, 3)])


@trap("kernel-integral", true=True, sets="int_0^a tan t dt = -log cos a for a < pi/2 (no pole on the path)")
def k_int_tan_before_pole():
    return _eq(sp.Integral(sp.tan(t), (t, 0, a)), -sp.log(sp.cos(a)), conditions=[sp.Lt(a, pi / 2)])


# ---------------------------------------------------------------------------------------------
# integrals with parameters, and sums
# ---------------------------------------------------------------------------------------------


@trap("kernel-integral", true=True, sets="int_0^1 a t dt = a/2")
def k_int_linear_parameter():
    return _eq(sp.Integral(a * t, (t, 0, 1)), a / 2)


@trap("kernel-integral", true=False, sets="int_0^1 a t dt = a/2 + 10^-30 a")
def k_int_linear_parameter_near():
    return _eq(sp.Integral(a * t, (t, 0, 1)), a / 2 + a / sp.Integer(10) ** 30)


@trap("kernel-integral", true=True, sets="int_0^1 sqrt(t) dt = 2/3 (an endpoint where the integrand is not analytic)")
def k_int_sqrt_endpoint():
    return _eq(sp.Integral(sp.sqrt(t), (t, 0, 1)), sp.Rational(2, 3))


@trap("kernel-integral", true=True, sets="int_0^oo dt/(1 + a t^2) = pi/(2 sqrt a) (an infinite interval)")
def k_int_lorentzian_infinite():
    return _eq(sp.Integral(1 / (1 + a * t ** 2), (t, 0, sp.oo)), pi / (2 * sp.sqrt(a)),
               conditions=[sp.Lt(a, 10**6), sp.Gt(a, sp.Rational(1, 10**6))])


@trap("kernel-integral", true=False, sets="int_0^oo dt/(1 + a t^2) = pi/(2 sqrt a) + exp(-a)")
def k_int_lorentzian_infinite_wrong():
    return _eq(sp.Integral(1 / (1 + a * t ** 2), (t, 0, sp.oo)), pi / (2 * sp.sqrt(a)) + sp.exp(-a),
               conditions=[sp.Lt(a, 10**6), sp.Gt(a, sp.Rational(1, 10**6))])


@trap("kernel-integral", true=True, sets="the continuum df1 of a power-law spectrum: int_1^oo k^-alpha/(k^-alpha + "
      "kappa) dk = 2F1(1, 1 - 1/alpha; 2 - 1/alpha; -1/kappa) / (kappa (alpha - 1)), alpha > 3/2")
def k_int_powerlaw_df1():
    kk = sp.Symbol("k", positive=True)
    alpha, kappa = sp.symbols("alpha kappa", positive=True)
    df1 = sp.Integral(kk ** -alpha / (kk ** -alpha + kappa), (kk, 1, sp.oo))
    closed = sp.hyper([1, 1 - 1 / alpha], [2 - 1 / alpha], -1 / kappa) / (kappa * (alpha - 1))
    return _eq(df1, closed, conditions=[sp.Gt(alpha, sp.Rational(3, 2)), sp.Lt(alpha, 20),
                                         sp.Gt(kappa, sp.Rational(1, 1000)), sp.Lt(kappa, 1000)])


@trap("kernel-integral", true=False, sets="the same df1 with the 2F1's last parameter off by 1/1000")
def k_int_powerlaw_df1_wrong():
    kk = sp.Symbol("k", positive=True)
    alpha, kappa = sp.symbols("alpha kappa", positive=True)
    df1 = sp.Integral(kk ** -alpha / (kk ** -alpha + kappa), (kk, 1, sp.oo))
    closed = sp.hyper([1, 1 - 1 / alpha], [2 - 1 / alpha + sp.Rational(1, 1000)], -1 / kappa) / (kappa * (alpha - 1))
    return _eq(df1, closed, conditions=[sp.Gt(alpha, sp.Rational(3, 2)), sp.Lt(alpha, 20),
                                         sp.Gt(kappa, sp.Rational(1, 1000)), sp.Lt(kappa, 1000)])


@trap("kernel-integral", true=True, sets="int_0^1 int_0^1 (t + s)^2 ds dt = 7/6 (nested)")
def k_int_nested():
    return _eq(sp.Integral((t + s) ** 2, (s, 0, 1), (t, 0, 1)), sp.Rational(7, 6))


@trap("kernel-integral", true=False, sets="int_0^1 int_0^t s ds dt = 1/3 (it is 1/6)")
def k_int_nested_dependent_wrong():
    return _eq(sp.Integral(s, (s, 0, t), (t, 0, 1)), sp.Rational(1, 3))


@trap("kernel-sum", true=True, sets="sum_{j=1}^{k} j^3 = (k(k+1)/2)^2")
def k_sum_cubes():
    j = sp.Symbol("j", integer=True)
    return _eq(sp.Sum(j ** 3, (j, 1, k)), (k * (k + 1) / 2) ** 2, conditions=[sp.Le(k, 200)])


@trap("kernel-sum", true=False, sets="sum_{j=1}^{k} |sin j| = k sin 1 (true at k = 1 only)")
def k_sum_abs_sin_wrong():
    j = sp.Symbol("j", integer=True)
    return _eq(sp.Sum(sp.Abs(sp.sin(j)), (j, 1, k)), k * sp.sin(1), conditions=[sp.Le(k, 200)])


# ---------------------------------------------------------------------------------------------
# order relations decided by real algebra
# ---------------------------------------------------------------------------------------------


@trap("kernel-order", true=True, sets="x^2 + y^2 >= 2xy for real x, y")
def k_order_am_gm_squares():
    return _step(sp.Ge(x ** 2 + y ** 2, 2 * x * y, evaluate=False))


@trap("kernel-order", true=True, sets="x^3 > x for x > 1")
def k_order_cubic_condition():
    return _step(sp.Gt(x ** 3, x, evaluate=False), conditions=[sp.Gt(x, 1)])


@trap("kernel-order", true=False, sets="x^3 > x for x > 1 - 10^-12 (fails on (1 - 1e-12, 1])")
def k_order_cubic_condition_widened():
    return _step(sp.Gt(x ** 3, x, evaluate=False), conditions=[sp.Gt(x, 1 - sp.Rational(1, 10**12))])


@trap("kernel-order", true=False, sets="x^4 - 2x^2 + 1 > 0 (zero at x = +-1 exactly)")
def k_order_touching_quartic():
    return _step(sp.Gt(x ** 4 - 2 * x ** 2 + 1, 0, evaluate=False))


@trap("kernel-order", true=True, sets="1/(x^2 + 1) <= 1")
def k_order_rational_bound():
    return _step(sp.Le(1 / (x ** 2 + 1), 1, evaluate=False))
