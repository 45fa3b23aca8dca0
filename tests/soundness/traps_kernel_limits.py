"""Traps for limits and series whose probes need a precision that follows their distance
(issue 22): cancellations that empty a fixed-precision evaluation at probes 1e-60 .. 1e-240,
claims off by a hair (1e-40), and points that depend on a parameter (a support edge x -> a,
x -> sqrt(a)), true and false."""

import sympy as sp

from derive import Derivation

from . import trap

x = sp.Symbol("x", positive=True)
t = sp.Symbol("t", real=True)
a = sp.Symbol("a", positive=True)
y = sp.Symbol("y", positive=True)
HAIR = sp.Rational(1, 10**40)


def _limit(expr, var, point, value, direction="+", parameters=(), conditions=()):
    D = Derivation("trap")
    if parameters:
        D.parameter(*parameters)
    D.limit("L", expr, var, point, value=value, direction=direction, conditions=conditions)
    return D, "L"


def _series(expr, var, point, order, form, parameters=()):
    D = Derivation("trap")
    if parameters:
        D.parameter(*parameters)
    D.series("S", expr, var, point, order, form=form)
    return D, "S"


# ---- precision-hungry limits: the probe cancels by as many digits as it is close ------------


@trap("kernel_limits", true=True, sets="(1 - cos x)/x^2 -> 1/2: 1 - cos x at x = 1e-120 is 5e-241, 0 at 220 digits")
def k_limits_one_minus_cos():
    return _limit((1 - sp.cos(x)) / x**2, x, 0, sp.Rational(1, 2))


@trap("kernel_limits", true=False, sets="(1 - cos x)/x^2 -> 1/2 + 1e-40: off by a hair the probes resolve")
def k_limits_one_minus_cos_hair():
    return _limit((1 - sp.cos(x)) / x**2, x, 0, sp.Rational(1, 2) + HAIR)


@trap("kernel_limits", true=True, sets="(t - sin t)/t^3 -> 1/6 from both sides: a cancellation of 3k digits")
def k_limits_sin_cubic_two_sided():
    return _limit((t - sp.sin(t)) / t**3, t, 0, sp.Rational(1, 6), direction="+-")


@trap("kernel_limits", true=False, sets="(t - sin t)/t^3 -> 1/5 from both sides")
def k_limits_sin_cubic_wrong():
    return _limit((t - sp.sin(t)) / t**3, t, 0, sp.Rational(1, 5), direction="+-")


@trap("kernel_limits", true=True, sets="(e^x - 1 - x - x^2/2 - x^3/6)/x^4 -> 1/24: 4k digits cancel")
def k_limits_exp_quartic():
    return _limit((sp.exp(x) - 1 - x - x**2 / 2 - x**3 / 6) / x**4, x, 0, sp.Rational(1, 24))


@trap("kernel_limits", true=False, sets="(e^x - 1 - x - x^2/2 - x^3/6)/x^4 -> 1/24 + 1e-40")
def k_limits_exp_quartic_hair():
    return _limit((sp.exp(x) - 1 - x - x**2 / 2 - x**3 / 6) / x**4, x, 0, sp.Rational(1, 24) + HAIR)


@trap("kernel_limits", true=True, sets="y^2 (1 - cos(1/y)) -> 1/2 as y -> oo: the cancellation at 1/y = 1e-240")
def k_limits_cos_at_infinity():
    return _limit(y**2 * (1 - sp.cos(1 / y)), y, sp.oo, sp.Rational(1, 2))


@trap("kernel_limits", true=False, sets="y^2 (1 - cos(1/y)) -> 1/2 - 1e-40 as y -> oo")
def k_limits_cos_at_infinity_hair():
    return _limit(y**2 * (1 - sp.cos(1 / y)), y, sp.oo, sp.Rational(1, 2) - HAIR)


# ---- a point that depends on a parameter ------------------------------------------------------


@trap("kernel_limits", true=True, sets="(x - a)/(sqrt x - sqrt a) -> 2 sqrt(a) as x -> a+ (a support edge)")
def k_limits_edge_sqrt():
    return _limit((x - a) / (sp.sqrt(x) - sp.sqrt(a)), x, a, 2 * sp.sqrt(a), parameters=(a,))


@trap("kernel_limits", true=False, sets="(x - a)/(sqrt x - sqrt a) -> sqrt(a) as x -> a+")
def k_limits_edge_sqrt_wrong():
    return _limit((x - a) / (sp.sqrt(x) - sp.sqrt(a)), x, a, sp.sqrt(a), parameters=(a,))


@trap("kernel_limits", true=True, sets="sqrt(x - a)/sqrt(x^2 - a^2) -> 1/sqrt(2a) as x -> a+ (a square-root edge)")
def k_limits_edge_root():
    return _limit(sp.sqrt(x - a) / sp.sqrt(x**2 - a**2), x, a, 1 / sp.sqrt(2 * a), parameters=(a,))


@trap("kernel_limits", true=False, sets="sqrt(x - a)/sqrt(x^2 - a^2) -> 1/sqrt(a) as x -> a+ (off by sqrt 2)")
def k_limits_edge_root_wrong():
    return _limit(sp.sqrt(x - a) / sp.sqrt(x**2 - a**2), x, a, 1 / sp.sqrt(a), parameters=(a,))


@trap("kernel_limits", true=True, sets="(x^2 - a)/(x - sqrt a) -> 2 sqrt(a) as x -> sqrt(a), both sides")
def k_limits_at_sqrt_a():
    return _limit((x**2 - a) / (x - sp.sqrt(a)), x, sp.sqrt(a), 2 * sp.sqrt(a), direction="+-", parameters=(a,))


@trap("kernel_limits", true=False, sets="(x^2 - a)/(x - sqrt a) -> 2a as x -> sqrt(a)")
def k_limits_at_sqrt_a_wrong():
    return _limit((x**2 - a) / (x - sp.sqrt(a)), x, sp.sqrt(a), 2 * a, direction="+-", parameters=(a,))


@trap("kernel_limits", true=True, sets="(cos t - cos a)/(t - a) -> -sin a as t -> a, both sides")
def k_limits_difference_quotient():
    return _limit((sp.cos(t) - sp.cos(a)) / (t - a), t, a, -sp.sin(a), direction="+-", parameters=(a,))


@trap("kernel_limits", true=False, sets="(cos t - cos a)/(t - a) -> sin a as t -> a")
def k_limits_difference_quotient_wrong():
    return _limit((sp.cos(t) - sp.cos(a)) / (t - a), t, a, sp.sin(a), direction="+-", parameters=(a,))


# ---- series whose remainder cancels deep ------------------------------------------------------


@trap("kernel_limits", true=True, sets="(1 - cos x)/x^2 = 1/2 - x^2/24 + x^4/720 + O(x^6)")
def k_limits_series_cos_ratio():
    return _series((1 - sp.cos(x)) / x**2, x, 0, 6,
                   sp.Rational(1, 2) - x**2 / 24 + x**4 / 720 + sp.O(x**6))


@trap("kernel_limits", true=False, sets="(1 - cos x)/x^2 = 1/2 - x^2/24 + O(x^6): the x^4/720 term dropped")
def k_limits_series_cos_ratio_missing():
    return _series((1 - sp.cos(x)) / x**2, x, 0, 6, sp.Rational(1, 2) - x**2 / 24 + sp.O(x**6))


@trap("kernel_limits", true=True, sets="sqrt(x) = sqrt(a) + (x - a)/(2 sqrt a) + O((x - a)^2) about x = a")
def k_limits_series_about_parameter():
    return _series(sp.sqrt(x), x, a, 2, sp.sqrt(a) + (x - a) / (2 * sp.sqrt(a)) + sp.O((x - a)**2, (x, a)),
                   parameters=(a,))


@trap("kernel_limits", true=False, sets="sqrt(x) = sqrt(a) + (x - a)/sqrt(a) + O((x - a)^2) about x = a")
def k_limits_series_about_parameter_wrong():
    return _series(sp.sqrt(x), x, a, 2, sp.sqrt(a) + (x - a) / sp.sqrt(a) + sp.O((x - a)**2, (x, a)),
                   parameters=(a,))


# ---- a point that is not a binary number -------------------------------------------------------


@trap("kernel_limits", true=True, sets="(cos t - cos(1/3))/(t - 1/3) -> -sin(1/3): 1/3 to 2k + 60 digits, not 16")
def k_limits_rational_point():
    third = sp.Rational(1, 3)
    return _limit((sp.cos(t) - sp.cos(third)) / (t - third), t, third, -sp.sin(third), direction="+-")


@trap("kernel_limits", true=False, sets="(cos t - cos(1/3))/(t - 1/3) -> -sin(1/3) + 1e-40")
def k_limits_rational_point_hair():
    third = sp.Rational(1, 3)
    return _limit((sp.cos(t) - sp.cos(third)) / (t - third), t, third, -sp.sin(third) + HAIR, direction="+-")


# ---- sympy's limit only proposes: a wrong answer of its own must not fail a true step -------

_H = sp.hyper((1, sp.Rational(1, 2)), (sp.Rational(3, 2),), -x)   # h(x) = 2F1(1, 1/2; 3/2; -x) = atan(sqrt x)/sqrt x


@trap("kernel_limits", true=True,
      sets="log h(x)/log x -> -1/2 at infinity, h = 2F1(1, 1/2; 3/2; -x) ~ (pi/2) x^-1/2: sympy's limit says 0, "
           "and the log-slow approach leaves the probes undecided (found writing the tutorial's part 2)")
def k_limits_sympy_wrong_log_ratio():
    return _limit(sp.log(_H) / sp.log(x), x, sp.oo, -sp.Rational(1, 2), direction="-")


@trap("kernel_limits", true=False, sets="log h(x)/log x -> 0 at infinity: sympy's answer, which is wrong")
def k_limits_sympy_answer_log_ratio():
    return _limit(sp.log(_H) / sp.log(x), x, sp.oo, 0, direction="-")
