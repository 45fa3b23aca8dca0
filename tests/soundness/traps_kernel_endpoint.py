"""Endpoint singularities of strength near -1 (issue 26): ``int_0^1 u^(a-1) du = 1/a`` for small
``a``, which Arb's integrator reaches through ``u = h v^m`` with ``m`` chosen from the strength
(up to 2^24) and a bound of ``v^y`` on balls that touch 0 (``derive.check.kernel.balls``).

The true traps state the closed forms at small ``a`` (a box from 1/1000 to 1/20); the false
ones change them by a part in a thousand, or state a power bound that is off at the endpoint;
a ball must exclude 0 for those.
"""

import sympy as sp

from . import trap
from .traps_relations import _step

u = sp.Symbol("u", positive=True)
a = sp.Symbol("a", positive=True)
#: Small a only: the singularity u^(a-1) is within 1/20 of non-integrable.
BOX = [sp.Gt(a, sp.Rational(1, 1000)), sp.Lt(a, sp.Rational(1, 20))]


def _eq(lhs, rhs):
    return _step(sp.Eq(lhs, rhs, evaluate=False), conditions=BOX)


@trap("kernel-endpoint", true=True, sets="int_0^1 u^(a-1) du = 1/a for 1/1000 < a < 1/20")
def k_endpoint_power_near_minus_one():
    return _eq(sp.Integral(u ** (a - 1), (u, 0, 1)), 1 / a)


@trap("kernel-endpoint", true=False, sets="int_0^1 u^(a-1) du = (1 + 1/1000)/a (a part in a thousand off)")
def k_endpoint_power_slightly_off():
    return _eq(sp.Integral(u ** (a - 1), (u, 0, 1)), (1 + sp.Rational(1, 1000)) / a)


@trap("kernel-endpoint", true=False, sets="int_0^1 u^(a-1) du = 1/a - 1 (the integral from 1 to e dropped "
      "twice: off by 1, small next to 1/a)")
def k_endpoint_power_off_by_one():
    return _eq(sp.Integral(u ** (a - 1), (u, 0, 1)), 1 / a - 1)


@trap("kernel-endpoint", true=False, sets="int_0^1 u^(a-1) e^u du = 1/a (the factor e^u, 1 at the endpoint, "
      "ignored)")
def k_endpoint_power_times_exp():
    return _eq(sp.Integral(u ** (a - 1) * sp.exp(u), (u, 0, 1)), 1 / a)
