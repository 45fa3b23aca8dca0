"""Traps for limits and series: probes that sit on a lattice, one-sided approaches, infinite
values, slow convergence, O-terms that do not match the order checked."""

import sympy as sp

from derive import Asymptotic, Derivation, Holds
from derive.notation import Meaning

from . import trap

x = sp.Symbol("x", positive=True)
X = sp.Symbol("X", positive=True)
t = sp.Symbol("t", real=True)
gam = sp.Symbol("gamma", positive=True)
a = sp.Symbol("a", positive=True)
z = sp.Symbol("z")
m = sp.Function("m")
oo = sp.oo


def _limit(expr, var, point, value, direction="+", conditions=(), parameters=()):
    D = Derivation("trap")
    if parameters:
        D.parameter(*parameters)
    D.limit("L", expr, var, point, value=value, direction=direction, conditions=conditions)
    return D, "L"


def _series(expr, var, point, order, form, conditions=(), parameters=()):
    D = Derivation("trap")
    if parameters:
        D.parameter(*parameters)
    D.series("S", expr, var, point, order, form=form, conditions=conditions)
    return D, "S"


# ---------------------------------------------------------------------------------------------
# limit
# ---------------------------------------------------------------------------------------------


@trap("limit", true=False,
      sets="sin(x)/x -> oo as x -> 0+ (the limit is 1): an infinite value claimed for a finite limit")
def limit_infinite_value_for_finite():
    return _limit(sp.sin(x) / x, x, 0, oo)


@trap("limit", true=False, sets="exp(-1/x) -> oo as x -> 0+ (the limit is 0)")
def limit_infinite_value_for_zero():
    return _limit(sp.exp(-1 / x), x, 0, oo)


@trap("limit", true=True, sets="1/x -> oo as x -> 0+")
def limit_infinite_true():
    return _limit(1 / x, x, 0, oo)


@trap("limit", true=False, sets="1/t -> +oo as t -> 0- (it is -oo): the direction ignored")
def limit_pole_from_left():
    return _limit(1 / t, t, 0, oo, direction="-")


@trap("limit", true=False, sets="|t|/t -> 1 as t -> 0- (it is -1): the direction ignored")
def limit_sign_from_left():
    return _limit(sp.Abs(t) / t, t, 0, 1, direction="-")


@trap("limit", true=True, sets="|t|/t -> -1 as t -> 0-")
def limit_sign_from_left_true():
    return _limit(sp.Abs(t) / t, t, 0, -1, direction="-")


@trap("limit", true=False, sets="floor(t) -> 0 as t -> 0- (it is -1)")
def limit_floor_from_left():
    return _limit(sp.floor(t), t, 0, 0, direction="-")


@trap("limit", true=False, sets="atan(1/t) -> pi/2 as t -> 0- (it is -pi/2)")
def limit_atan_from_left():
    return _limit(sp.atan(1 / t), t, 0, sp.pi / 2, direction="-")


@trap("limit", true=False, sets="sin(pi/x) -> 0 as x -> 0+ (no limit; probes at 10^-k sit on its zeros)")
def limit_sin_pi_over_x():
    return _limit(sp.sin(sp.pi / x), x, 0, 0)


@trap("limit", true=False, sets="cos(pi x) -> 1 as x -> oo (no limit; probes at 10^k are even integers)")
def limit_cos_pi_x_at_infinity():
    return _limit(sp.cos(sp.pi * x), x, oo, 1)


@trap("limit", true=True, sets="x^2 sin(1/x) -> 0 as x -> 0+ (oscillating but damped)")
def limit_damped_oscillation():
    return _limit(x ** 2 * sp.sin(1 / x), x, 0, 0)


@trap("limit", true=True, sets="x sin(1/x) -> 0 as x -> 0+")
def limit_x_sin_inverse():
    return _limit(x * sp.sin(1 / x), x, 0, 0)


@trap("limit", true=False, sets="x/(x + 10^-100) -> 1 as x -> 0+ (it is 0; the scale lies below both probes)")
def limit_scale_below_probes():
    return _limit(x / (x + sp.Integer(10) ** -100), x, 0, 1)


@trap("limit", true=False, sets="1/log(x) -> 1/100 as x -> 0+ (it is 0, slowly)")
def limit_slow_logarithm():
    return _limit(1 / sp.log(x), x, 0, sp.Rational(1, 100))


@trap("limit", true=False, sets="1/log(log(1/x)) -> 1/10 as x -> 0+ (it is 0, very slowly: 0.24 at 1e-60)")
def limit_very_slow_logarithm():
    return _limit(1 / sp.log(sp.log(1 / x)), x, 0, sp.Rational(1, 10))


@trap("limit", true=False,
      sets="x^(1 - gamma) -> 0 as x -> 0+ claimed for gamma < 3/2: false for 1 <= gamma < 3/2")
def limit_condition_too_wide():
    return _limit(x ** (1 - gam), x, 0, 0, conditions=[gam < sp.Rational(3, 2)], parameters=[gam])


@trap("limit", true=False,
      sets="exp(-c^2 10^-100/x) -> 1 as x -> 0+ for real c (it is 0 unless c = 0; sympy cannot sign c^2)")
def limit_scale_below_probes_parametric():
    c = sp.Symbol("c", real=True)
    return _limit(sp.exp(-c ** 2 * sp.Integer(10) ** -100 / x), x, 0, 1, parameters=[c])


@trap("limit", true=False,
      sets="x exp(-c^2 x/10^70) -> oo as x -> oo for real c (it is 0 unless c = 0; the decay starts beyond the probes)")
def limit_infinite_scale_beyond_probes():
    c = sp.Symbol("c", real=True)
    return _limit(x * sp.exp(-c ** 2 * x / sp.Integer(10) ** 70), x, oo, oo, parameters=[c])


@trap("limit", true=True, sets="log(1/x) -> oo as x -> 0+ (slowly: 138 at 1e-60)")
def limit_slow_divergence_true():
    return _limit(sp.log(1 / x), x, 0, oo)


@trap("limit", true=True, sets="x^(1 - gamma) -> 0 as x -> 0+ for gamma < 1 (slow near gamma = 1)")
def limit_condition_right():
    return _limit(x ** (1 - gam), x, 0, 0, conditions=[gam < 1], parameters=[gam])


@trap("limit", true=True, sets="(1 + a/x)^x -> exp(a) as x -> oo, with a parameter")
def limit_compound_interest():
    return _limit((1 + a / x) ** x, x, oo, sp.exp(a), parameters=[a])


@trap("limit", true=False, sets="(1 + a/x)^x -> exp(2a) as x -> oo")
def limit_compound_interest_false():
    return _limit((1 + a / x) ** x, x, oo, sp.exp(2 * a), parameters=[a])


@trap("limit", true=True, sets="x^a log(x) -> 0 as x -> 0+ for every a > 0")
def limit_power_beats_log():
    return _limit(x ** a * sp.log(x), x, 0, 0, parameters=[a])


@trap("limit", true=True, sets="the mean of the semicircle law from its Stieltjes transform: -z^2 (m + 1/z) -> 0")
def limit_semicircle_mean():
    D = Derivation("trap")
    D.parameter(z)
    D.define("m-def", sp.Eq(m(z), (-z + sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2))
    D.limit("L", -z ** 2 * (m(z) + 1 / z), z, oo, uses=["m-def"], value=0)
    return D, "L"


# ---------------------------------------------------------------------------------------------
# series
# ---------------------------------------------------------------------------------------------


def _geometric(count, coefficient7=1):
    return sum((coefficient7 if k == 7 else 1) * X ** -k for k in range(count))


@trap("series", true=False, sets="1/(1 - 1/X) at oo to O(X^-9) with the X^-7 coefficient 2 instead of 1")
def series_geometric_seventh_wrong():
    return _series(1 / (1 - 1 / X), X, oo, 9, _geometric(9, 2) + sp.O(X ** -9, (X, oo)))


@trap("series", true=True, sets="1/(1 - 1/X) at oo to O(X^-9)")
def series_geometric_true():
    return _series(1 / (1 - 1 / X), X, oo, 9, _geometric(9) + sp.O(X ** -9, (X, oo)))


@trap("series", true=False, sets="sqrt(1 + 1/X) at oo to O(X^-9) with the X^-7 coefficient 34/2048 instead of 33/2048")
def series_sqrt_seventh_wrong():
    coefficients = [sp.binomial(sp.Rational(1, 2), k) for k in range(9)]
    coefficients[7] = sp.Rational(34, 2048)
    form = sum(cf * X ** -k for k, cf in enumerate(coefficients)) + sp.O(X ** -9, (X, oo))
    return _series(sp.sqrt(1 + 1 / X), X, oo, 9, form)


@trap("series", true=True,
      sets="1/(1 - 1/X) = 1 + ... + X^-5 + O(X^-6) at oo, stated with order=9: the statement (O(X^-6)) is true")
def series_printed_order_lower():
    return _series(1 / (1 - 1 / X), X, oo, 9, _geometric(6) + sp.O(X ** -6, (X, oo)))


@trap("series", true=False,
      sets="1/(1 - 1/X) = 1 + ... + X^-8 + O(X^-12) at oo with order=9: the remainder is X^-9, not O(X^-12)")
def series_printed_order_higher():
    return _series(1 / (1 - 1 / X), X, oo, 9, _geometric(9) + sp.O(X ** -12, (X, oo)))


@trap("series", true=False, sets="x log(x) = O(x) as x -> 0 (it is not: log x is unbounded)")
def series_xlogx_is_O_x():
    return _series(x * sp.log(x), x, 0, 1, sp.O(x))


@trap("series", true=False, sets="log(x) = O(1) as x -> 0 (unbounded)")
def series_log_is_O_1():
    return _series(sp.log(x), x, 0, 0, sp.O(sp.Integer(1), (x, 0)))


@trap("series", true=False, sets="|t| = t + O(t^2) as t -> 0, t real (false from the left: only t > 0 examined)")
def series_abs_right_side_only():
    return _series(sp.Abs(t), t, 0, 2, t + sp.O(t ** 2))


@trap("series", true=False, sets="sqrt(x^2 + 1) = x + 1/(2x) + O(x^-3) at -oo (at -oo it is -x - 1/(2x))")
def series_minus_infinity_sign():
    y = sp.Symbol("y", real=True)
    return _series(sp.sqrt(y ** 2 + 1), y, -oo, 3, y + 1 / (2 * y) + sp.O(y ** -3, (y, -oo)))


@trap("series", true=True, sets="exp(x) at 0 to O(x^6)")
def series_exp_true():
    return _series(sp.exp(x), x, 0, 6, sum(x ** k / sp.factorial(k) for k in range(6)) + sp.O(x ** 6))


@trap("series", true=True, sets="log(x) at 1 to O((x-1)^4)")
def series_log_at_one_true():
    form = (x - 1) - (x - 1) ** 2 / 2 + (x - 1) ** 3 / 3 + sp.O((x - 1) ** 4, (x, 1))
    return _series(sp.log(x), x, 1, 4, form)


@trap("series", true=True, sets="exp(-X) = O(X^-9) at oo: every power coefficient vanishes")
def series_flat_at_infinity_true():
    return _series(sp.exp(-X), X, oo, 9, sp.O(X ** -9, (X, oo)))


def _semicircle_closed():
    D = Derivation("trap")
    D.parameter(z)
    D.define("m-def", sp.Eq(m(z), Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(W-z)^{-1}")))
    D.fact("quad", sp.Eq(m(z) ** 2 + z * m(z) + 1, 0), uses=["m-def"])
    D.solve("closed", "quad", m(z), form=(-z + sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2,
            branch=[Asymptotic(z * m(z), z, sp.I * oo, -1), Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0])])
    return D


@trap("series", true=True, sets="the semicircle's m(z) at oo: -1/z - 1/z^3 - 2/z^5 + O(z^-7) (Catalan moments)")
def series_semicircle_true():
    D = _semicircle_closed()
    D.series("S", m(z), z, oo, 7, uses=["closed"],
             form=-1 / z - 1 / z ** 3 - 2 / z ** 5 + sp.O(z ** -7, (z, oo)))
    return D, "S"


@trap("series", true=False, sets="the semicircle's m(z) at oo with the third Catalan number 3 instead of 2")
def series_semicircle_catalan_wrong():
    D = _semicircle_closed()
    D.series("S", m(z), z, oo, 7, uses=["closed"],
             form=-1 / z - 1 / z ** 3 - 3 / z ** 5 + sp.O(z ** -7, (z, oo)))
    return D, "S"


@trap("series", true=True, sets="(1 + x)^a at 0 to O(x^3) with a symbolic exponent")
def series_binomial_true():
    form = 1 + a * x + a * (a - 1) / 2 * x ** 2 + sp.O(x ** 3)
    return _series((1 + x) ** a, x, 0, 3, form, parameters=[a])


@trap("series", true=False, sets="(1 + x)^a at 0 to O(x^3) with a(a+1)/2 for a(a-1)/2")
def series_binomial_false():
    form = 1 + a * x + a * (a + 1) / 2 * x ** 2 + sp.O(x ** 3)
    return _series((1 + x) ** a, x, 0, 3, form, parameters=[a])


@trap("series", true=False,
      sets="exp(x) = 1 + (1 + 10^-200) x + x^2/2 + O(x^3): a wrong first-order coefficient, off by 1e-200")
def series_tiny_wrong_coefficient():
    form = 1 + (1 + sp.Integer(10) ** -200) * x + x ** 2 / 2 + sp.O(x ** 3)
    return _series(sp.exp(x), x, 0, 3, form)


@trap("series", true=True, sets="|t| = t + O(t^2) as t -> 0 under the condition t > 0")
def series_abs_with_condition_true():
    return _series(sp.Abs(t), t, 0, 2, t + sp.O(t ** 2), conditions=[t > 0])
