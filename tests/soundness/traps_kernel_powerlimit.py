"""Traps for a power of the limit variable with a real exponent too small for the probes
(issue 22, adv6-limits): ``t^E = exp(E log t)`` tends to 0 or oo for any ``E != 0``, but the
probes, which reach ``1e-240``, read ``t^(e^-30)`` as settled at 1.  The leading-power rule
(:func:`derive.rules.limit.power_limit`) decides from the sign of ``E`` certified by Arb; where
the form does not apply the probes must not fail the step.  True and false."""

import sympy as sp

from . import trap
from .traps_kernel_limits import _limit

t = sp.Symbol("t", positive=True)
x = sp.Symbol("x", positive=True)
b = sp.Symbol("b", real=True)
a = sp.Symbol("a", positive=True)
TINY = sp.sqrt(2) / 10**16


@trap("kernel_powerlimit", true=True, sets="t^(sqrt(2)/10^16) -> 0 as t -> 0+ (1 - 8e-14 at t = 1e-240)")
def k_powerlimit_sqrt2_zero():
    return _limit(t**TINY, t, 0, 0)


@trap("kernel_powerlimit", true=False, sets="t^(sqrt(2)/10^16) -> 1 as t -> 0+ (it is 0)")
def k_powerlimit_sqrt2_one():
    return _limit(t**TINY, t, 0, 1)


@trap("kernel_powerlimit", true=True, sets="3 x^(-log(2)/10^14) -> 0 as x -> oo")
def k_powerlimit_log2_infinity():
    return _limit(3 * x ** (-sp.log(2) / 10**14), x, sp.oo, 0)


@trap("kernel_powerlimit", true=False, sets="x^(e^-30) -> 1 as x -> oo (it grows without bound)")
def k_powerlimit_growth_one():
    return _limit(x ** sp.exp(-30), x, sp.oo, 1)


@trap("kernel_powerlimit", true=True, sets="-t^(-e^-40) -> -oo as t -> 0+")
def k_powerlimit_negative_pole():
    return _limit(-t ** (-sp.exp(-40)), t, 0, -sp.oo)


@trap("kernel_powerlimit", true=False, sets="-t^(-e^-40) -> oo as t -> 0+ (it is -oo)")
def k_powerlimit_negative_pole_sign():
    return _limit(-t ** (-sp.exp(-40)), t, 0, sp.oo)


@trap("kernel_powerlimit", true=True, sets="(b^2 + 1) t^(exp(-b^2)) -> 0 as t -> 0+ for real b (e^-b^2 ~ 1e-14 at b = 5.6)")
def k_powerlimit_parameter_zero():
    return _limit((b**2 + 1) * t ** sp.exp(-b**2), t, 0, 0, parameters=[b])


@trap("kernel_powerlimit", true=False, sets="(b^2 + 1) t^(exp(-b^2)) -> b^2 + 1 as t -> 0+ (it is 0)")
def k_powerlimit_parameter_constant():
    return _limit((b**2 + 1) * t ** sp.exp(-b**2), t, 0, b**2 + 1, parameters=[b])


@trap("kernel_powerlimit", true=False, sets="t^(a^2 - 2) -> 0 as t -> 0+ for a^2 >= 2 (1 at a = sqrt 2, the edge)")
def k_powerlimit_edge_exponent():
    return _limit(t ** (a**2 - 2), t, 0, 0, parameters=[a], conditions=[a**2 >= 2])


@trap("kernel_powerlimit", true=True,
      sets="(t + t^2)^(e^-30) -> 0 as t -> 0+ (not a bare power: the probes read 1 and must not fail it)")
def k_powerlimit_compound_zero():
    return _limit((t + t**2) ** sp.exp(-30), t, 0, 0)


@trap("kernel_powerlimit", true=False, sets="(t + t^2)^(e^-30) -> 1 as t -> 0+ (it is 0)")
def k_powerlimit_compound_one():
    return _limit((t + t**2) ** sp.exp(-30), t, 0, 1)
