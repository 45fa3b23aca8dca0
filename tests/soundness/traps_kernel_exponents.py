"""Traps for scaling exponents (issue 23, bordelon2025): an exponent stated as
``log F(x)/log x -> p`` at ``x -> oo``, decided from ``F``'s certified leading power in
``t = 1/x`` (:func:`derive.check.kernel.taylor.check_log_ratio`), and the incomplete gamma
functions in balls (``lowergamma``, ``uppergamma``), true and false."""

import sympy as sp

from derive import Derivation

from . import trap

x = sp.Symbol("x", positive=True)
nu, beta, s, z = sp.symbols("nu beta s z", positive=True)
BOX = [nu > sp.Rational(1, 2), nu < 3, beta > sp.Rational(1, 2), beta < 3]
#: The FS flow at infinite depth under source/capacity: L(t) = C (4t)^(-nu beta/(nu beta + 2 nu + 1)).
B = nu * beta + 2 * nu + 1
P = (2 * nu + 1) / B
C = sp.pi / (B * sp.sin(sp.pi * P))


def _limit(expr, value, parameters=(), conditions=()):
    D = Derivation("trap")
    if parameters:
        D.parameter(*parameters)
    D.limit("L", expr, x, sp.oo, value=value, conditions=conditions)
    return D, "L"


def _step(statement, parameters, conditions=()):
    D = Derivation("trap")
    D.parameter(*parameters)
    D.step("S", statement, conditions=conditions)
    return D, "S"


@trap("kernel_exponents", true=True, sets="log(C (4x)^(-nu beta/b))/log x -> -nu beta/b: closes like 1/log x, "
      "which no probe decides")
def k_exponents_time_law():
    return _limit(sp.log(C * (4 * x) ** (-nu * beta / B)) / sp.log(x), -nu * beta / B, (nu, beta), BOX)


@trap("kernel_exponents", true=False, sets="the same law against the summary's exponent -beta/(nu + nu beta + 1)")
def k_exponents_time_law_summary():
    return _limit(sp.log(C * (4 * x) ** (-nu * beta / B)) / sp.log(x), -beta / (nu + nu * beta + 1), (nu, beta), BOX)


@trap("kernel_exponents", true=True, sets="log((x^2 + 1)/(3x^5 + x))/log x -> -3")
def k_exponents_rational():
    return _limit(sp.log((x**2 + 1) / (3 * x**5 + x)) / sp.log(x), -3)


@trap("kernel_exponents", true=False, sets="log((x^2 + 1)/(3x^5 + x))/log x -> -3 + 1e-40: off by a hair")
def k_exponents_rational_hair():
    return _limit(sp.log((x**2 + 1) / (3 * x**5 + x)) / sp.log(x), -3 + sp.Rational(1, 10**40))


@trap("kernel_exponents", true=True, sets="2 log(sqrt(x^2 + 1) - x)/log x -> -2: the leading terms cancel")
def k_exponents_cancelled_leading():
    return _limit(2 * sp.log(sp.sqrt(x**2 + 1) - x) / sp.log(x), -2)


@trap("kernel_exponents", true=False, sets="log(sqrt(x^2 + 1) - x)/log x -> 1, the power before the cancellation")
def k_exponents_cancelled_leading_wrong():
    return _limit(sp.log(sp.sqrt(x**2 + 1) - x) / sp.log(x), 1)


@trap("kernel_exponents", true=False, sets="log(x - x^3)/log x -> 2: F < 0, so log F has imaginary part pi "
      "(bounded); the limit is 3")
def k_exponents_negative_f_wrong():
    return _limit(sp.log(x - x**3) / sp.log(x), 2)


@trap("kernel_exponents", true=True, sets="lowergamma(s, z) + uppergamma(s, z) = Gamma(s), in balls")
def k_exponents_incomplete_gamma_sum():
    return _step(sp.Eq(sp.lowergamma(s, z) + sp.uppergamma(s, z), sp.gamma(s)), (s, z), [s < 5, z < 20])


@trap("kernel_exponents", true=False, sets="lowergamma(s, z) = Gamma(s) (its limit, not its value)")
def k_exponents_lowergamma_is_not_gamma():
    return _step(sp.Eq(sp.lowergamma(s, z), sp.gamma(s)), (s, z), [s < 5, z < 20])


@trap("kernel_exponents", true=False, sets="int_0^z k^(s-1) e^-k dk = uppergamma(s, z)")
def k_exponents_lowergamma_integral_wrong():
    k = sp.Symbol("k", positive=True)
    return _step(sp.Eq(sp.Integral(k ** (s - 1) * sp.exp(-k), (k, 0, z)), sp.uppergamma(s, z)), (s, z),
                 [s > sp.Rational(1, 2), s < 3, z < 20])
