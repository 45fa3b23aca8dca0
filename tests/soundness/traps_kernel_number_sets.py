"""Issue 22, ``!=`` and strict orders for symbols declared rational, irrational or transcendental
(:mod:`derive.check.number_sets`).  Classes aimed at: a rational root hidden in a product, an
irrational root of a quadratic factor, a nonlinear factor with no real root, an integer symbol
(rational too), and polynomials whose coefficients are not rational.
"""

import sympy as sp

from derive import Derivation

from . import trap

q = sp.Symbol("q", rational=True)
z = sp.Symbol("z", irrational=True)
t = sp.Symbol("t", transcendental=True, real=True)
k = sp.Symbol("k", integer=True)


def _step(statement):
    D = Derivation("trap")
    D.parameter(*sorted(statement.free_symbols, key=str))
    D.step("s", statement)
    return D, "s"


@trap("kernel-number-sets", true=False, sets="(q^2 - 2)(2q - 3) != 0 for rational q (q = 3/2)")
def k_numsets_rational_root_false():
    return _step(sp.Ne((q ** 2 - 2) * (2 * q - 3), 0))


@trap("kernel-number-sets", true=True, sets="(q^2 - 2)(q^2 + 1) != 0 for rational q")
def k_numsets_rational_true():
    return _step(sp.Ne((q ** 2 - 2) * (q ** 2 + 1), 0))


@trap("kernel-number-sets", true=False, sets="(z - 1)(z^2 - 3) != 0 for irrational z (z = sqrt 3)")
def k_numsets_irrational_root_false():
    return _step(sp.Ne((z - 1) * (z ** 2 - 3), 0, evaluate=False))  # sympy's assumptions call it True


@trap("kernel-number-sets", true=True, sets="(z - 1)(z^2 + z + 1) != 0 for irrational z (no real root of the quadratic)")
def k_numsets_irrational_true():
    return _step(sp.Ne((z - 1) * (z ** 2 + z + 1), 0))


@trap("kernel-number-sets", true=False, sets="(z^2 - 2)^2 > 0 for irrational z (z = sqrt 2)")
def k_numsets_irrational_square_false():
    return _step(sp.Gt((z ** 2 - 2) ** 2, 0, evaluate=False))  # sympy's assumptions call it True


@trap("kernel-number-sets", true=True, sets="t^3 - 2 != 0 for transcendental t")
def k_numsets_transcendental_true():
    return _step(sp.Ne(t ** 3 - 2, 0, evaluate=False))


@trap("kernel-number-sets", true=False, sets="k^2 - 3k + 2 > 0 for integers k (0 at 1 and 2)")
def k_numsets_integer_false():
    return _step(sp.Gt(k ** 2 - 3 * k + 2, 0))


@trap("kernel-number-sets", true=True, sets="k^2 - 2 != 0 for integers k")
def k_numsets_integer_true():
    return _step(sp.Ne(k ** 2 - 2, 0))


@trap("kernel-number-sets", true=False, sets="q^2 - sqrt(2) q != 0 for rational q (q = 0)")
def k_numsets_irrational_coefficient_false():
    return _step(sp.Ne(q ** 2 - sp.sqrt(2) * q, 0))
