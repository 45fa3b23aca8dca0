"""Traps for series decided by the kernel (issue 22): certified Laurent and Puiseux coefficients
in Arb (:mod:`derive.check.kernel.taylor`) instead of sympy's ``series``.

sympy's ``series`` of a real variable expands as if it were positive: ``|sin x| = x + O(x^3)``,
``atan(1/x) = pi/2 - x + O(x^3)`` and ``sqrt(x^2 + x^4) = x + O(x^3)`` are its answers for a
real ``x``, all false for ``x < 0``.  None of them may be verified; the same expansions for a
positive ``x`` are true and are.  Hypergeometric functions of a series argument, Puiseux
expansions at infinity and a coefficient off by 10^-150 (far below the numeric probes'
resolution) are decided by the certified coefficients."""

import sympy as sp

from . import trap
from .traps_kernel_limits import _limit
from .traps_limits import _series

x = sp.Symbol("x", real=True)
xp = sp.Symbol("x", positive=True)
z = sp.Symbol("z", positive=True)
a = sp.Symbol("a", positive=True)
p = sp.Symbol("p", positive=True)
HAIR = sp.Rational(1, 10**150)


@trap("kernel_series", true=False, sets="|sin x| = x + O(x^3) for real x (sympy's expansion; false for x < 0)")
def k_series_sympy_abs_sin_two_sided():
    return _series(sp.Abs(sp.sin(x)), x, 0, 3, x + sp.O(x**3))


@trap("kernel_series", true=False, sets="atan(1/x) = pi/2 - x + O(x^3) for real x (sympy's; -pi/2 - x for x < 0)")
def k_series_sympy_atan_reciprocal_two_sided():
    return _series(sp.atan(1 / x), x, 0, 3, sp.pi / 2 - x + sp.O(x**3))


@trap("kernel_series", true=False, sets="sqrt(x^2 + x^4) = x + O(x^3) for real x (sympy's; it is |x| + ...)")
def k_series_sympy_sqrt_quartic_two_sided():
    return _series(sp.sqrt(x**2 + x**4), x, 0, 3, x + sp.O(x**3))


@trap("kernel_series", true=True, sets="sqrt(x^2 + x^4) = x + x^3/2 + O(x^5) for positive x (a Puiseux branch)")
def k_series_sqrt_quartic_positive():
    return _series(sp.sqrt(xp**2 + xp**4), xp, 0, 5, xp + xp**3 / 2 + sp.O(xp**5))


@trap("kernel_series", true=True,
      sets="2F1(1, 1 + 1/p; 2 + 1/p; x/(1 - p))/(1 - p^2) = 1/(1 - p^2) + x/((1 - p)^2 (1 + 2p)) + O(x^2), "
           "0 < p < 1 (the inverse moments of (1 - p) U^-p)")
def k_series_hyper_small_argument():
    f = sp.hyper([1, 1 + 1 / p], [2 + 1 / p], x / (1 - p)) / ((1 - p) * (1 + p))
    form = 1 / ((1 - p) * (1 + p)) + x / ((1 - p)**2 * (1 + 2 * p)) + sp.O(x**2)
    return _series(f, x, 0, 2, form, conditions=[p < 1], parameters=[p])


@trap("kernel_series", true=False,
      sets="the same 2F1 with (1 + p) for (1 + 2p) in the second coefficient")
def k_series_hyper_small_argument_wrong():
    f = sp.hyper([1, 1 + 1 / p], [2 + 1 / p], x / (1 - p)) / ((1 - p) * (1 + p))
    form = 1 / ((1 - p) * (1 + p)) + x / ((1 - p)**2 * (1 + p)) + sp.O(x**2)
    return _series(f, x, 0, 2, form, conditions=[p < 1], parameters=[p])


@trap("kernel_series", true=True, sets="sqrt(z^2 + a z) = z + a/2 - a^2/(8z) + O(z^-2) at z -> oo")
def k_series_puiseux_at_infinity():
    return _series(sp.sqrt(z**2 + a * z), z, sp.oo, 2, z + a / 2 - a**2 / (8 * z) + sp.O(z**-2, (z, sp.oo)),
                   parameters=[a])


@trap("kernel_series", true=False,
      sets="sqrt(z^2 + a z) at oo with the 1/z coefficient off by 10^-150: below every numeric probe's "
           "resolution (remainder/t^2 at t = 1e-32 is 1e-118), not below the certified coefficients'")
def k_series_puiseux_at_infinity_hair():
    return _series(sp.sqrt(z**2 + a * z), z, sp.oo, 2,
                   z + a / 2 - (a**2 / 8 + HAIR) / z + sp.O(z**-2, (z, sp.oo)), parameters=[a])



# ---- limits through the same coefficients: no term through t^0 of (expression - value) ---------

@trap("kernel_series", true=True, sets="sqrt(z^2 + a z) - z -> a/2 as z -> oo (a Puiseux series in 1/z)")
def k_series_limit_puiseux_at_infinity():
    return _limit(sp.sqrt(z**2 + a * z) - z, z, sp.oo, a / 2, parameters=[a])


@trap("kernel_series", true=False,
      sets="(1 - cos x)/x^2 -> 1/2 + 10^-150 as x -> 0: off by less than any probe resolves")
def k_series_limit_hair():
    return _limit((1 - sp.cos(xp)) / xp**2, xp, 0, sp.Rational(1, 2) + HAIR)


@trap("kernel_series", true=False, sets="sin(x)/x^2 -> 1 as x -> 0+ (a pole: the t^-1 term survives)")
def k_series_limit_pole():
    return _limit(sp.sin(xp) / xp**2, xp, 0, 1)


@trap("kernel_series", true=True, sets="x^(1/1000) log-free power: (x^(1/1000) + x)/(1 + x) -> 0 as x -> 0+")
def k_series_limit_tiny_power():
    return _limit((xp ** sp.Rational(1, 1000) + xp) / (1 + xp), xp, 0, 0)


@trap("kernel_series", true=False,
      sets="x^(a - 2) -> 0 as x -> 0+ for a > 1.999 (it is 1 at a = 2 and diverges on (1.999, 2), which only the points near "
           "the condition's edge reach)")
def k_series_limit_exponent_window():
    b = sp.Symbol("b", positive=True)
    return _limit(xp ** (b - 2), xp, 0, 0, parameters=[b], conditions=[b > 2 - sp.Rational(1, 1000)])
