"""Issue 22, ``differentiate`` decided by the kernel, not by sympy's derivative.

The verb writes sympy's derivative of the premise; the checker confirms it by Arb's certified
Taylor coefficients (:func:`derive.rules.differentiate.derivative_by_kernel`), with unknown
functions as random polynomials and means as finite spectra.  The false traps hand-edit the
statement the verb wrote (what a wrong differentiation would produce): a factor lost in the
chain rule through a mean, a wrong derivative of a power with a symbolic exponent, a kink's
sign, a term dropped from the product rule of an unknown function.  The true ones are what the
shipped papers differentiate, in miniature.
"""

import dataclasses

import sympy as sp

from sympy.core.function import AppliedUndef

from derive import Derivation
from derive.notation import Meaning
from derive.rmt import SpectralMean, UniformMean

from . import trap

x = sp.Symbol("x", positive=True)
t = sp.Symbol("t", real=True)
r = sp.Symbol("r", positive=True)
u = sp.Symbol("u", positive=True)
L = sp.Symbol("L", integer=True, positive=True)


def _differentiated(statement, wrt, conditions=(), wrong=None):
    """``statement`` (``M(wrt) = formula``, a definition when unconditional; else a fact about an ``M`` defined by
    its meaning) differentiated in ``wrt``, the verb's statement replaced by ``wrong(...)``."""
    D = Derivation("trap")
    D.parameter(*sorted(statement.free_symbols - {wrt}, key=str))
    D.parameter(wrt)
    if isinstance(statement.lhs, AppliedUndef) and not conditions:
        D.define("p", statement)
    else:
        D.define("m-def", sp.Eq(M(wrt), Meaning(r"M")))
        D.fact("p", statement, uses=["m-def"], conditions=list(conditions))
    D.differentiate("d", "p", wrt)
    if wrong is not None:
        D = D.replaced(dataclasses.replace(D["d"], statement=wrong(D["d"].statement)))
    return D, "d"


def _mean(f):
    return SpectralMean(f, r, "C")


M = sp.Function("M")


@trap("kernel-differentiate", true=True, sets="M(x) = <1/(r + x)>_C, differentiated: M'(x) = -<1/(r + x)^2>_C")
def k_diff_mean_true():
    return _differentiated(sp.Eq(M(x), _mean(1 / (r + x))), x)


@trap("kernel-differentiate", true=False,
      sets="M(x) = <1/(r + x)>_C, differentiated, the square lost: M'(x) = -<1/(r + x)>_C")
def k_diff_mean_false():
    return _differentiated(sp.Eq(M(x), _mean(1 / (r + x))), x,
                           wrong=lambda s: sp.Eq(s.lhs, -_mean(1 / (r + x))))


@trap("kernel-differentiate", true=False,
      sets="M(x) = <U^x>, differentiated with the log lost: M'(x) = <x U^(x - 1)>")
def k_diff_uniform_power_false():
    return _differentiated(sp.Eq(M(x), UniformMean(u ** x, u)), x,
                           wrong=lambda s: sp.Eq(s.lhs, UniformMean(x * u ** (x - 1), u)))


@trap("kernel-differentiate", true=True, sets="g(x) = (1 - x/L)^(2L), differentiated: g' = -2 (1 - x/L)^(2L - 1)")
def k_diff_symbolic_exponent_true():
    return _differentiated(sp.Eq(M(x), (1 - x / L) ** (2 * L)), x)


@trap("kernel-differentiate", true=False,
      sets="g(x) = (1 - x/L)^(2L), differentiated as if L were 1 in the exponent's factor: g' = -2/L (1 - x/L)^(2L - 1)")
def k_diff_symbolic_exponent_false():
    return _differentiated(sp.Eq(M(x), (1 - x / L) ** (2 * L)), x,
                           wrong=lambda s: sp.Eq(s.lhs, -2 / L * (1 - x / L) ** (2 * L - 1)))


@trap("kernel-differentiate", true=True, sets="M(t) = t |t| for t > 0 ... differentiated: F' = 2|t| (a kink outside the conditions)")
def k_diff_abs_true():
    return _differentiated(sp.Eq(M(t), t * sp.Abs(t)), t, conditions=[t > 0])


@trap("kernel-differentiate", true=False, sets="M(t) = t |t| for t < 0, differentiated: F' = 2t (the sign of |t| lost)")
def k_diff_abs_false():
    return _differentiated(sp.Eq(M(t), t * sp.Abs(t)), t, conditions=[t < 0],
                           wrong=lambda s: sp.Eq(s.lhs, 2 * t))


@trap("kernel-differentiate", true=False,
      sets="M(x)^2 x = 1 differentiated, the product rule's second term dropped: 2 M M' x = 0")
def k_diff_product_rule_false():
    return _differentiated(sp.Eq(M(x) ** 2 * x, 1), x,
                           wrong=lambda s: sp.Eq(2 * M(x) * sp.Derivative(M(x), x) * x, 0))


@trap("kernel-differentiate", true=True, sets="M(x)^2 x = 1 differentiated: 2 M M' x + M^2 = 0")
def k_diff_product_rule_true():
    return _differentiated(sp.Eq(M(x) ** 2 * x, 1), x)


G = sp.Function("G")


@trap("kernel-differentiate", true=True,
      sets="M(x) = x + G(M(x)) differentiated: M' = 1 + G'(M) M' (the chain rule through an unknown function of M)")
def k_diff_chain_inner_true():
    return _differentiated(sp.Eq(M(x) - G(M(x)), x), x)


@trap("kernel-differentiate", true=False,
      sets="M(x) = x + G(M(x)) differentiated with the inner factor lost: M' = 1 + G'(M)")
def k_diff_chain_inner_false():
    def wrong(s):
        inner = sp.Subs(sp.Derivative(G(x), x), x, M(x))
        return sp.Eq(sp.Derivative(M(x), x) - inner, 1)
    return _differentiated(sp.Eq(M(x) - G(M(x)), x), x, wrong=wrong)
