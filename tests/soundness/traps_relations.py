"""Traps for inequalities, for where the numeric checker samples, and for its precision.

Inequalities are written with ``evaluate=False`` wherever sympy would decide them as they are
built (the trap is for the checker, not for sympy's constructor).
"""

import sympy as sp

from derive import Asymptotic, Derivation, Holds
from derive.notation import Meaning

from . import trap

p, q, r, s, t = sp.symbols("p q r s t", real=True)
x, y = sp.symbols("x y", positive=True)
u, w = sp.symbols("u w")  # complex
gam = sp.Symbol("gamma", positive=True)
lam = sp.Symbol("lam", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
R = sp.Function("R")
M = sp.Function("M")


def _step(statement, conditions=(), parameters=()):
    D = Derivation("trap")
    free = set(statement.free_symbols).union(*(c.free_symbols for c in conditions))
    D.parameter(*sorted(free | set(parameters), key=str))
    D.step("s", statement, conditions=conditions)
    return D, "s"


# ---------------------------------------------------------------------------------------------
# relation
# ---------------------------------------------------------------------------------------------


@trap("relation", true=False, sets="p < p (lhs - rhs is 0, but the relation is strict)")
def rel_strict_self():
    return _step(sp.Lt(p, p, evaluate=False))


@trap("relation", true=True, sets="p <= p")
def rel_weak_self():
    return _step(sp.Le(p, p, evaluate=False))


@trap("relation", true=True, sets="(p - q)^2 >= 0 for real p, q")
def rel_square_nonnegative():
    return _step(sp.Ge((p - q) ** 2, 0, evaluate=False))


@trap("relation", true=False, sets="t^2 > t for real t (false on [0, 1])")
def rel_partial_domain():
    return _step(sp.Gt(t ** 2, t, evaluate=False))


@trap("relation", true=True, sets="t^2 > t under the condition t > 1")
def rel_with_condition():
    return _step(sp.Gt(t ** 2, t, evaluate=False), conditions=[t > 1])


@trap("relation", true=True, sets="AM-GM: (x + y)/2 >= sqrt(x y) for x, y > 0")
def rel_am_gm():
    return _step(sp.Ge((x + y) / 2, sp.sqrt(x * y), evaluate=False))


@trap("relation", true=False, sets="strict AM-GM (x + y)/2 > sqrt(x y): equality at x = y, a set random points miss")
def rel_am_gm_strict():
    return _step(sp.Gt((x + y) / 2, sp.sqrt(x * y), evaluate=False))


@trap("relation", true=False, sets="sin(t) < 1 for all real t (equality at pi/2 + 2 pi k, measure zero)")
def rel_sin_strict():
    return _step(sp.Lt(sp.sin(t), 1, evaluate=False))


@trap("relation", true=True, sets="sin(t) <= 1 for all real t")
def rel_sin_weak():
    return _step(sp.Le(sp.sin(t), 1, evaluate=False))


@trap("relation", true=True, sets="exp(t) >= 1 + t for all real t")
def rel_exp_tangent():
    return _step(sp.Ge(sp.exp(t), 1 + t, evaluate=False))


@trap("relation", true=True, sets="log(x) <= x - 1 for x > 0")
def rel_log_tangent():
    return _step(sp.Le(sp.log(x), x - 1, evaluate=False))


@trap("relation", true=False, sets="2^x > x^2 for x > 0 (false on [2, 4])")
def rel_two_power():
    return _step(sp.Gt(2 ** x, x ** 2, evaluate=False))


@trap("relation", true=False, sets="log(x) < 10 for x > 0 (false beyond e^10 = 22026, past the sampled magnitudes)")
def rel_log_bounded():
    return _step(sp.Lt(sp.log(x), 10, evaluate=False))


@trap("relation", true=True, sets="x != 0 for x > 0")
def rel_positive_nonzero():
    return _step(sp.Ne(x, 0, evaluate=False))


@trap("relation", true=True, sets="Cauchy-Schwarz (pr + qs)^2 <= (p^2 + q^2)(r^2 + s^2)")
def rel_cauchy_schwarz():
    return _step(sp.Le((p * r + q * s) ** 2, (p ** 2 + q ** 2) * (r ** 2 + s ** 2), evaluate=False))


@trap("relation", true=False, sets="reversed triangle inequality |p + q| >= |p| + |q|")
def rel_reversed_triangle():
    return _step(sp.Ge(sp.Abs(p + q), sp.Abs(p) + sp.Abs(q), evaluate=False))


@trap("relation", true=True, sets="exp(t) != 0")
def rel_unequal_true():
    return _step(sp.Ne(sp.exp(t), 0, evaluate=False))


@trap("relation", true=False, sets="(t - 1)(t + 1) != t^2 - 1 (they are equal)")
def rel_unequal_false():
    return _step(sp.Ne((t - 1) * (t + 1), t ** 2 - 1, evaluate=False))


def _risk():
    """R(lam) = lam + 1/lam, minimised at lam_opt = 1 (value 2)."""
    lam_opt = sp.Symbol("lam_opt", positive=True)
    D = Derivation("trap")
    D.parameter(lam)
    D.define("R-def", sp.Eq(R(lam), lam + 1 / lam))
    D.define("opt-def", sp.Eq(lam_opt, 1))
    return D, lam_opt


@trap("relation", true=True, sets="R(lam_opt) <= R(lam) at the minimiser of R(lam) = lam + 1/lam")
def rel_minimum_true():
    D, lam_opt = _risk()
    D.step("s", sp.Le(R(lam_opt), R(lam), evaluate=False), uses=["R-def", "opt-def"])
    return D, "s"


@trap("relation", true=False, sets="R(lam_opt) >= R(lam): the minimum stated as a maximum")
def rel_minimum_reversed():
    D, lam_opt = _risk()
    D.step("s", sp.Ge(R(lam_opt), R(lam), evaluate=False), uses=["R-def", "opt-def"])
    return D, "s"


@trap("relation", true=False, sets="R(lam_opt) < R(lam): strict, but equality at lam = lam_opt")
def rel_minimum_strict():
    D, lam_opt = _risk()
    D.step("s", sp.Lt(R(lam_opt), R(lam), evaluate=False), uses=["R-def", "opt-def"])
    return D, "s"


@trap("relation", true=True, sets="M > 0 for the positive root of x M^2 + M - 1 = 0, from its closed form")
def rel_positive_root():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning(r"\text{the positive root of } x M^2 + M - 1 = 0")))
    D.fact("quad", sp.Eq(x * M(x) ** 2 + M(x) - 1, 0), uses=["M-def"])
    D.solve("closed", "quad", M(x), form=2 / (1 + sp.sqrt(1 + 4 * x)),
            branch=[Holds(M(x) > 0), Asymptotic(sp.sqrt(x) * M(x), x, sp.oo, 1)])
    D.step("s", sp.Gt(M(x), 0, evaluate=False), uses=["closed"])
    return D, "s"


@trap("relation", true=False, sets="M < 1/2 for the positive root of x M^2 + M - 1 = 0 (false for x < 2)")
def rel_root_bound_false():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning(r"\text{the positive root of } x M^2 + M - 1 = 0")))
    D.fact("quad", sp.Eq(x * M(x) ** 2 + M(x) - 1, 0), uses=["M-def"])
    D.solve("closed", "quad", M(x), form=2 / (1 + sp.sqrt(1 + 4 * x)),
            branch=[Holds(M(x) > 0), Asymptotic(sp.sqrt(x) * M(x), x, sp.oo, 1)])
    D.step("s", sp.Lt(M(x), sp.Rational(1, 2), evaluate=False), uses=["closed"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# sampling
# ---------------------------------------------------------------------------------------------


@trap("sampling", true=False, sets="|r - 4| = 4 - r for real r (false for r > 4; reals drawn in [-3, 3])")
def samp_abs_outside_range():
    return _step(sp.Eq(sp.Abs(r - 4), 4 - r))


@trap("sampling", true=True, sets="|r - 4| = 4 - r under the condition r < 4")
def samp_abs_with_condition():
    return _step(sp.Eq(sp.Abs(r - 4), 4 - r), conditions=[r < 4])


@trap("sampling", true=False, sets="log(uw) = log(u) + log(w) for complex u, w")
def samp_log_product_complex():
    return _step(sp.Eq(sp.log(u * w), sp.log(u) + sp.log(w)))


@trap("sampling", true=True, sets="log(xy) = log(x) + log(y) for x, y > 0")
def samp_log_product_positive():
    return _step(sp.Eq(sp.log(x * y), sp.log(x) + sp.log(y)))


@trap("sampling", true=False, sets="sqrt(r^2 + 2r + 1) = r + 1 for real r (false for r < -1)")
def samp_sqrt_square_real():
    return _step(sp.Eq(sp.sqrt(r ** 2 + 2 * r + 1), r + 1))


@trap("sampling", true=True, sets="sqrt(x^2 + 2x + 1) = x + 1 for x > 0")
def samp_sqrt_square_positive():
    return _step(sp.Eq(sp.sqrt(x ** 2 + 2 * x + 1), x + 1))


@trap("sampling", true=False, sets="floor(x/10) = 0 for x > 0 (false for x >= 10; positives drawn in [0.1, 10])")
def samp_floor_outside_range():
    return _step(sp.Eq(sp.floor(x / 10), 0))


@trap("sampling", true=False, sets="Piecewise(r for r < 5, 0 otherwise) = r for real r")
def samp_piecewise_outside_range():
    return _step(sp.Eq(sp.Piecewise((r, r < 5), (0, True)), r))


@trap("sampling", true=False, sets="min(r, 7/2) = r for real r")
def samp_min_outside_range():
    return _step(sp.Eq(sp.Min(r, sp.Rational(7, 2)), r))


@trap("sampling", true=False, sets="binomial(n, 9) = 0 for positive integers n (integers drawn in 1..8)")
def samp_integer_range():
    return _step(sp.Eq(sp.binomial(n, 9), 0))


@trap("sampling", true=True, sets="(n + 1)!/n! = n + 1 for positive integers n")
def samp_integer_true():
    return _step(sp.Eq(sp.factorial(n + 1) / sp.factorial(n), n + 1))


@trap("sampling", true=False, sets="a bump max(0, 1 - 1000|r - 1|) = 0 for real r (nonzero on a width-0.002 interval)")
def samp_narrow_bump():
    return _step(sp.Eq(sp.Max(0, 1 - 1000 * sp.Abs(r - 1)), 0))


@trap("sampling", true=False, sets="|r - 10^5| = 10^5 - r for real r (false for r > 10^5)")
def samp_abs_far_outside_range():
    return _step(sp.Eq(sp.Abs(r - 10 ** 5), 10 ** 5 - r))


@trap("sampling", true=False, sets="floor(x/10^5) = 0 for x > 0 (false for x >= 10^5)")
def samp_floor_far_outside_range():
    return _step(sp.Eq(sp.floor(x / 10 ** 5), 0))


@trap("sampling", true=False, sets="binomial(n, 2000) = 0 for positive integers n (false for n >= 2000)")
def samp_integer_far_range():
    return _step(sp.Eq(sp.binomial(n, 2000), 0))


@trap("sampling", true=False,
      sets="|gamma - g0| = g0 - gamma for gamma < 3/2, g0 = 3/2 - 10^-9: false only within 1e-9 of the boundary")
def samp_condition_hairline():
    g0 = sp.Rational(3, 2) - sp.Integer(10) ** -9
    return _step(sp.Eq(sp.Abs(gam - g0), g0 - gam), conditions=[gam < sp.Rational(3, 2)])


@trap("sampling", true=False, sets="|gamma - 1| = 1 - gamma claimed for gamma < 3/2 (true only for gamma <= 1)")
def samp_condition_too_wide():
    return _step(sp.Eq(sp.Abs(gam - 1), 1 - gam), conditions=[gam < sp.Rational(3, 2)])


@trap("sampling", true=True, sets="|gamma - 1| = 1 - gamma for gamma < 1")
def samp_condition_right():
    return _step(sp.Eq(sp.Abs(gam - 1), 1 - gam), conditions=[gam < 1])


@trap("sampling", true=False, sets="|u|^2 = u^2 for complex u")
def samp_abs_square_complex():
    return _step(sp.Eq(sp.Abs(u) ** 2, u ** 2))


@trap("sampling", true=False, sets="atan(p) + atan(q) = atan((p + q)/(1 - pq)) for all real p, q (false for pq > 1)")
def samp_atan_addition():
    return _step(sp.Eq(sp.atan(p) + sp.atan(q), sp.atan((p + q) / (1 - p * q))))


@trap("sampling", true=True, sets="atan(p) + atan(q) = atan((p + q)/(1 - pq)) under pq < 1")
def samp_atan_addition_true():
    return _step(sp.Eq(sp.atan(p) + sp.atan(q), sp.atan((p + q) / (1 - p * q))), conditions=[p * q < 1])


@trap("sampling", true=False, sets="sqrt(u w) = sqrt(u) sqrt(w) for complex u, w")
def samp_sqrt_product_complex():
    return _step(sp.Eq(sp.sqrt(u * w), sp.sqrt(u) * sp.sqrt(w)))


@trap("sampling", true=False, sets="log(exp(u)) = u for complex u (false for |Im u| > pi)")
def samp_log_exp_complex():
    return _step(sp.Eq(sp.log(sp.exp(u)), u))


# ---------------------------------------------------------------------------------------------
# precision
# ---------------------------------------------------------------------------------------------


def _near(relative):
    return _step(sp.Eq(sp.exp(t), sp.exp(t) * (1 + relative), evaluate=False))


@trap("precision", true=False, sets="exp(t) = exp(t)(1 + 10^-12): a relative error of 1e-12")
def prec_off_1e12():
    return _near(sp.Integer(10) ** -12)


@trap("precision", true=False, sets="exp(t) = exp(t)(1 + 10^-20): between the pass and fail thresholds")
def prec_off_1e20():
    return _near(sp.Integer(10) ** -20)


@trap("precision", true=False, sets="exp(t) = exp(t)(1 + 10^-40): below the 1e-30 pass threshold")
def prec_off_1e40():
    return _near(sp.Integer(10) ** -40)


@trap("precision", true=False, sets="exp(t) = exp(t)(1 + 10^-60): below 50-digit resolution")
def prec_off_1e60():
    return _near(sp.Integer(10) ** -60)


@trap("precision", true=False, sets="exp(t) = exp(t)(1 + 10^-90): below the 1e-80 fine threshold")
def prec_off_1e90():
    return _near(sp.Integer(10) ** -90)


@trap("precision", true=False, sets="exp(t) = exp(t)(1 + 10^-200): below 100-digit resolution")
def prec_off_1e200():
    return _near(sp.Integer(10) ** -200)


@trap("precision", true=False, sets="pi = a 120-digit rational approximation of pi")
def prec_pi_rational_120():
    digits = 120
    approx = sp.Rational(int(sp.floor(sp.pi.evalf(digits + 10) * 10 ** digits)), 10 ** digits)
    return _step(sp.Eq(sp.pi, approx, evaluate=False))


@trap("precision", true=False, sets="pi = a 40-digit rational approximation of pi")
def prec_pi_rational():
    return _step(sp.Eq(sp.pi, sp.Rational(31415926535897932384626433832795028841972, 10 ** 40), evaluate=False))


@trap("precision", true=False, sets="sqrt(2) = a 36-digit decimal literal")
def prec_float_literal():
    return _step(sp.Eq(sp.sqrt(2), sp.Float("1.41421356237309504880168872420969808", 40), evaluate=False))


@trap("precision", true=False, sets="tanh(500 x) = 1 for x > 0 (off by about 2 exp(-1000 x), below 1e-43)")
def prec_exponentially_small():
    return _step(sp.Eq(sp.tanh(500 * x), 1))


@trap("precision", true=False, sets="cos^2 + sin^2 = 1 + exp(-1000 x) for x > 0: an exponentially small extra term")
def prec_exponentially_small_term():
    return _step(sp.Eq(sp.cos(x) ** 2 + sp.sin(x) ** 2, 1 + sp.exp(-1000 * x)))


@trap("precision", true=True,
      sets="Li2(y) + Li2(1-y) = pi^2/6 - log y log(1-y), times exp(50x), plus y, equals y: heavy cancellation")
def prec_heavy_cancellation_true():
    identity = sp.polylog(2, y) + sp.polylog(2, 1 - y) - (sp.pi ** 2 / 6 - sp.log(y) * sp.log(1 - y))
    return _step(sp.Eq(sp.exp(50 * x) * identity + y, y), conditions=[y < 1])


@trap("precision", true=False,
      sets="the same cancelling identity with pi^2/6 replaced by pi^2/6 + 10^-250 (visible only above 250 digits)")
def prec_heavy_cancellation_false():
    identity = sp.polylog(2, y) + sp.polylog(2, 1 - y) - (sp.pi ** 2 / 6 + sp.Integer(10) ** -250
                                                          - sp.log(y) * sp.log(1 - y))
    return _step(sp.Eq(sp.exp(50 * x) * identity + y, y), conditions=[y < 1])


@trap("precision", true=True, sets="Euler's reflection Li2(y) + Li2(1 - y) = pi^2/6 - log y log(1 - y) on (0, 1)")
def prec_dilogarithm_reflection():
    return _step(sp.Eq(sp.polylog(2, y) + sp.polylog(2, 1 - y), sp.pi ** 2 / 6 - sp.log(y) * sp.log(1 - y)),
                 conditions=[y < 1])


@trap("precision", true=True, sets="sqrt(5 + 2 sqrt 6) = sqrt 2 + sqrt 3 (a denestable radical)")
def prec_nested_radical():
    return _step(sp.Eq(sp.sqrt(5 + 2 * sp.sqrt(6)), sp.sqrt(2) + sp.sqrt(3), evaluate=False))


@trap("precision", true=True, sets="sqrt(x + 1) - sqrt(x) = 1/(sqrt(x + 1) + sqrt(x)) (cancellation at large x)")
def prec_rationalised_difference():
    return _step(sp.Eq(sp.sqrt(x + 1) - sp.sqrt(x), 1 / (sp.sqrt(x + 1) + sp.sqrt(x))))


@trap("precision", true=True, sets="cosh(40x)^2 - sinh(40x)^2 = 1 for x > 0 (terms up to 1e347 cancel)")
def prec_hyperbolic_cancellation():
    return _step(sp.Eq(sp.cosh(40 * x) ** 2 - sp.sinh(40 * x) ** 2, 1))


# ---------------------------------------------------------------------------------------------
# budget
# ---------------------------------------------------------------------------------------------


@trap("budget", true=True, sets="sin^8 + cos^8 = (35 + 28 cos 4x + cos 8x)/64 (needs trig reduction)")
def budget_trig_power_true():
    return _step(sp.Eq(sp.sin(t) ** 8 + sp.cos(t) ** 8, (35 + 28 * sp.cos(4 * t) + sp.cos(8 * t)) / 64))


@trap("budget", true=False, sets="sin^8 + cos^8 = (35 + 28 cos 4x + cos 8x)/64 + sin(x)^40/10^33 (tiny extra term)")
def budget_trig_power_tiny_error():
    return _step(sp.Eq(sp.sin(t) ** 8 + sp.cos(t) ** 8,
                       (35 + 28 * sp.cos(4 * t) + sp.cos(8 * t)) / 64 + sp.sin(t) ** 40 / sp.Integer(10) ** 33))


@trap("budget", true=True,
      sets="a rational identity of degree 12: sum of partial fractions equals the combined fraction")
def budget_partial_fractions_true():
    terms = [sp.Integer(k) / (x + k) for k in range(1, 7)]
    combined = sp.cancel(sp.together(sum(terms)))
    return _step(sp.Eq(sum(terms), combined))


@trap("budget", true=False, sets="the partial-fraction identity with one numerator 6 changed to 6 + 10^-35")
def budget_partial_fractions_false():
    terms = [sp.Integer(k) / (x + k) for k in range(1, 7)]
    combined = sp.cancel(sp.together(sum(terms)))
    terms[-1] = (6 + sp.Integer(10) ** -35) / (x + 6)
    return _step(sp.Eq(sum(terms), combined))
