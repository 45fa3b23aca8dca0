"""Power-law spectra (issue 23): the closed forms of ``derive.rmt.powerlaw`` a derivation cites.

``df_expr`` and ``power_integral_expr`` write ``int_1^P k^-s (k^-alpha + kappa)^-n dk`` with
``2F1`` and ``Gamma`` in symbolic ``alpha``, ``kappa``, ``P``.  The true traps state them as the
module builds them; the checker must confirm them by Arb's certified quadrature of the integral
at sampled parameters.  The false traps change them slightly (``H(1)`` with its ``2F1`` argument
at ``-kappa/2``, the lower limit's term dropped, a factor 1 + 1/1000); a ball must exclude 0.
"""

import sympy as sp

from derive.rmt.powerlaw import df_expr, head_expr, power_integral_expr, power_integrand

from . import trap
from .traps_relations import _step

k = sp.Symbol("k", positive=True)
alpha, kappa, P = sp.symbols("alpha kappa P", positive=True)
#: A box the sampled parameters stay in (alpha from 1/2: every alpha > 0 is allowed, the box
#: keeps Arb's quadrature short).
BOX = [sp.Gt(alpha, sp.Rational(1, 2)), sp.Lt(alpha, 8), sp.Gt(kappa, sp.Rational(1, 1000)),
       sp.Lt(kappa, 1000), sp.Gt(P, 2), sp.Lt(P, 1000)]


def _integral(s=None, n=1):
    return sp.Integral(power_integrand(k, alpha, kappa, s, n), (k, 1, P))


def _eq(lhs, rhs):
    return _step(sp.Eq(lhs, rhs, evaluate=False), conditions=BOX)


@trap("kernel-powerlaw", true=True, sets="df1: int_1^P k^-a/(k^-a + kappa) dk = P 2F1(1, 1/a; 1 + 1/a; "
      "-kappa P^a) - 2F1(1, 1/a; 1 + 1/a; -kappa), symbolic a, kappa, P")
def k_powerlaw_df1_finite():
    return _eq(_integral(), df_expr(alpha, kappa, 1, P))


@trap("kernel-powerlaw", true=True, sets="int_1^P k^-(1/2) (k^-a + kappa)^-2 dk in 2F1(2, b/a; 1 + b/a; .), "
      "b = 2a + 1/2")
def k_powerlaw_general_finite():
    s = sp.Rational(1, 2)
    return _eq(_integral(s, 2), power_integral_expr(alpha, kappa, P, s, 2))


@trap("kernel-powerlaw", true=False, sets="df1 with the lower limit's 2F1 at -kappa/2 instead of -kappa")
def k_powerlaw_df1_wrong_argument():
    wrong = head_expr(P, alpha, kappa, alpha, 1) - head_expr(sp.Integer(1), alpha, kappa / 2, alpha, 1)
    return _eq(_integral(), wrong)


@trap("kernel-powerlaw", true=False, sets="df1 as H(P) alone (the integral from 0, not from 1)")
def k_powerlaw_df1_from_zero():
    return _eq(_integral(), head_expr(P, alpha, kappa, alpha, 1))


@trap("kernel-powerlaw", true=False, sets="df2 times 1001/1000")
def k_powerlaw_df2_scaled():
    return _eq(_integral(n=2), df_expr(alpha, kappa, 2, P) * sp.Rational(1001, 1000))
