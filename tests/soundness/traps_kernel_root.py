"""Issue 23, *a name defined as the root of an equation* (``D.root``, derive.rules.root): a root
step is verified only when the kernel (Z3) shows a root exists in the interval and is the only
one; a root claimed unique where there are two, in an interval that holds none, or on the
strength of a monotonicity that fails somewhere where the conditions hold, must not be verified.
And the steps that use a root: the equation as a premise, and its implicit derivative.
"""

import sympy as sp

from derive import Derivation

from . import trap

CLASS = "kernel_root"

u = sp.Symbol("u", real=True)
a = sp.Symbol("a", real=True)
lam, N = sp.symbols("lam N", positive=True)
k = sp.Symbol("k", positive=True)
kappa, df1 = sp.Function("kappa"), sp.Function("df1")
K = kappa(lam, N)
SPECTRUM = (sp.Integer(1), sp.Rational(1, 3), sp.Rational(1, 9))
HALF = sp.Rational(1, 2)


def _root(equation, interval, conditions=(), name=u, parameters=(a,)):
    D = Derivation("trap")
    D.parameter(*parameters)
    D.root("R", name, equation, interval=interval, conditions=conditions)
    return D, "R"


def _ridge(statement=None, derivative=None, uses=("d",)):
    """The renormalised ridge kappa = lam + kappa df1(kappa)/N, then ``statement`` citing it, or
    the implicit derivative ``derivative`` of it citing ``uses``."""
    D = Derivation("trap")
    D.parameter(lam, N)
    D.define("df1", sp.Eq(df1(k), sum(l / (l + k) for l in SPECTRUM)))
    D.root("R", K, sp.Eq(K, lam + K * df1(K) / N), interval=(0, sp.oo), conditions=[N > HALF], uses=["df1"])
    if statement is not None:
        D.step("s", statement, uses=["R"], conditions=[N > HALF])
        return D, "s"
    if derivative is not None:
        D.differentiate("d", "R", lam)
        D.step("s", sp.Eq(sp.Derivative(K, lam), derivative), uses=list(uses), conditions=[N > HALF])
        return D, "s"
    return D, "R"


@trap(CLASS, true=True, sets="the renormalised ridge root over three eigenvalues: F/u strictly increasing on (0, oo)")
def k_root_ridge():
    return _ridge()


@trap(CLASS, true=True, sets="sqrt(a) as the positive root of u^2 = a, a > 0")
def k_root_square():
    return _root(sp.Eq(u**2, a), (0, sp.oo), [a > 0])


@trap(CLASS, true=True, sets="u^3 - 3u + a, a > 2: not monotone, one real root (the two-roots sentence decides)")
def k_root_not_monotone_but_unique():
    return _root(sp.Eq(u**3 - 3 * u + a, 0), (-sp.oo, sp.oo), [a > 2])


@trap(CLASS, true=True, sets="1 - a/u - 1/(1 + u) = 0 on (0, oo): a pole at the lower end, F/u monotone")
def k_root_pole_at_end():
    return _root(sp.Eq(1 - a / u - 1 / (1 + u), 0), (0, sp.oo), [a > 0])


@trap(CLASS, true=False, sets="u^3 - 3u + a on (-2, 2), |a| < 1: three roots there, claimed unique")
def k_root_non_unique():
    return _root(sp.Eq(u**3 - 3 * u + a, 0), (-2, 2), [a > -1, a < 1])


@trap(CLASS, true=False, sets="u^2 = a on (-oo, oo), a > 0: +-sqrt(a), claimed unique")
def k_root_both_signs():
    return _root(sp.Eq(u**2, a), (-sp.oo, sp.oo), [a > 0])


@trap(CLASS, true=False, sets="u + a = 0 on (0, oo) with a > -1: no root where a >= 0")
def k_root_interval_without_root():
    return _root(sp.Eq(u + a, 0), (0, sp.oo), [a > -1])


@trap(CLASS, true=False, sets="u^2 = a on (a, a + 1), a > 2: sqrt(a) < a, so none in the interval")
def k_root_interval_misses():
    return _root(sp.Eq(u**2, a), (a, a + 1), [a > 2])


@trap(CLASS, true=False, sets="u^3 - a u + 1/4 on (0, 2): increasing for a < 0, but a < 3 allows two roots")
def k_root_wrong_monotonicity():
    return _root(sp.Eq(u**3 - a * u + sp.Rational(1, 4), 0), (0, 2), [a < 3])


@trap(CLASS, true=False, sets="1 - a/u - 1/(1 + u) = 0 claimed in (0, a/2): its root lies beyond a")
def k_root_pole_interval_short():
    return _root(sp.Eq(1 - a / u - 1 / (1 + u), 0), (0, a / 2), [a > 0])


@trap(CLASS, true=True, sets="lam = kappa (1 - df1(kappa)/N), from the ridge root by elimination")
def k_root_used_as_premise():
    return _ridge(sp.Eq(lam, K * (1 - df1(K) / N)))


@trap(CLASS, true=False, sets="lam = kappa (1 - df1(kappa)/(2N)): not what the ridge root says")
def k_root_used_wrongly():
    return _ridge(sp.Eq(lam, K * (1 - df1(K) / (2 * N))))


@trap(CLASS, true=True, sets="d kappa/d lam = 1 / (1 - df1/N - kappa df1'/N), implicit differentiation")
def k_root_implicit_derivative():
    d = sum(l / (l + K) for l in SPECTRUM)
    dd = sp.diff(d, K)
    return _ridge(derivative=1 / (1 - d / N - K * dd / N))


@trap(CLASS, true=False, sets="d kappa/d lam = 1 / (1 + df1/N - kappa df1'/N): a sign dropped")
def k_root_implicit_derivative_wrong():
    d = sum(l / (l + K) for l in SPECTRUM)
    dd = sp.diff(d, K)
    # citing the root too, so that kappa is determined and a counterexample can be found
    return _ridge(derivative=1 / (1 + d / N - K * dd / N), uses=("d", "R"))
