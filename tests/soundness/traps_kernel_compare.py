"""Traps for ``derive compare`` (derive/pasted.py): the step it builds from a paste, ``step side =
pasted side`` with every unknown function application a number of its own, must be verified only
when the paste says what the step says, as written."""

import sympy as sp

from derive import Derivation

from . import trap

CLASS = "compare"


def _toy():
    x = sp.Symbol("x", positive=True)
    kappa = sp.Symbol("kappa", positive=True)
    t = sp.Symbol("t", real=True)
    y = sp.Symbol("y", positive=True)
    M = sp.Function("M")
    D = Derivation("compare-toy", latex_subscripts={"M": 1})
    D.parameter(x, kappa, t, M)
    D.define("y-def", sp.Eq(y, x - 1))
    D.define("t-def", sp.Eq(sp.Symbol("s", real=True), t))
    D.step("M-square", sp.Eq(M(kappa, x) ** 2, M(kappa, x) ** 2 + 0 * x, evaluate=False))
    D.step("M-prime", sp.Eq(sp.Derivative(M(kappa, x), x), -M(kappa, x) ** 2 / kappa))
    return D


def _claim(label, latex, which=0):
    from derive.pasted import claims, read

    D = _toy()
    scratch = claims(D, D[label], read(D, latex))[which][2]
    return scratch, "pasted"


@trap(CLASS, true=True, sets="x - 1 pasted as sqrt(x^2) - 1 with x > 0: true as written")
def k_compare_sqrt_of_square_positive():
    return _claim("y-def", r"\sqrt{x^2} - 1")


@trap(CLASS, true=False, sets="x - 1 pasted as sqrt((x - 1)^2): false for 0 < x < 1")
def k_compare_sqrt_of_square_sign():
    return _claim("y-def", r"\sqrt{(x - 1)^2}")


@trap(CLASS, true=False, sets="t pasted as sqrt(t^2), t real: false for t < 0 only")
def k_compare_abs_of_real():
    return _claim("t-def", r"\sqrt{t^2}")


@trap(CLASS, true=False, sets="M_kappa(x)^2 pasted as M_x(kappa)^2: arguments swapped, another number")
def k_compare_arguments_swapped():
    return _claim("M-square", r"M_x(\kappa)^2")


@trap(CLASS, true=False, sets="M_kappa(x)^2 pasted as M_kappa(x) |M_kappa(x)|: false where the value is negative")
def k_compare_unknown_value_sign():
    return _claim("M-square", r"M_\kappa(x) \left|M_\kappa(x)\right|")


@trap(CLASS, true=True, sets="M' = -M^2/kappa pasted with the derivative as a prime and the power split")
def k_compare_prime_notation():
    return _claim("M-prime", r"-\frac{M_\kappa(x) M_\kappa(x)}{\kappa}")


@trap(CLASS, true=False, sets="M' pasted as M (the derivative dropped): a number of its own, not M")
def k_compare_derivative_is_not_the_value():
    return _claim("M-prime", r"M_\kappa'(x) = -\frac{M_\kappa(x)^2}{\kappa} + M_\kappa'(x) - M_\kappa(x)")
