"""Issue 22, integers through periodic functions, decided residue class by residue class
(:mod:`derive.check.periodic`).  Classes aimed at: a class whose representative the symbol's
sign excludes (``n > 0`` and ``n = 0 mod T``: the class is ``T, 2T, ...``), parity, a period
set by a coefficient's denominator, the integer also outside the trigonometric functions, and a
symbol (prime) whose set is no union of residue classes.
"""

import sympy as sp

from derive import Derivation

from . import trap

n = sp.Symbol("n", integer=True)
npos = sp.Symbol("n", integer=True, positive=True)
nodd = sp.Symbol("n", integer=True, odd=True)
p = sp.Symbol("p", prime=True)


def _step(statement):
    D = Derivation("trap")
    D.parameter(*sorted(statement.free_symbols, key=str))
    D.step("s", statement)
    return D, "s"


@trap("kernel-periodic", true=True,
      sets="(cos(2 pi n/3) - 1)(2 cos(2 pi n/3) + 1) = 0 for integers n (the cosine is 1 or -1/2)")
def k_periodic_third_roots_true():
    c = sp.cos(2 * sp.pi * n / 3)
    return _step(sp.Eq((c - 1) * (2 * c + 1), 0))


@trap("kernel-periodic", true=False, sets="(cos(2 pi n/5) - 1)(2 cos(2 pi n/5) + 1) = 0 for integers n (n = 1)")
def k_periodic_fifth_roots_false():
    c = sp.cos(2 * sp.pi * n / 5)
    return _step(sp.Eq((c - 1) * (2 * c + 1), 0))


@trap("kernel-periodic", true=False,
      sets="cos(pi n/2) < 1 for positive integers n (1 at n = 4: the class of 0 is 4, 8, ...)")
def k_periodic_positive_class_false():
    return _step(sp.Lt(sp.cos(sp.pi * npos / 2), 1))


@trap("kernel-periodic", true=True, sets="cos(pi n/2) = 0 for odd integers n")
def k_periodic_odd_true():
    return _step(sp.Eq(sp.cos(sp.pi * nodd / 2, evaluate=False), 0, evaluate=False))


@trap("kernel-periodic", true=False, sets="sin(pi n/2) = 1 for odd integers n (-1 at n = 3)")
def k_periodic_odd_false():
    return _step(sp.Eq(sp.sin(sp.pi * nodd / 2, evaluate=False), 1, evaluate=False))


@trap("kernel-periodic", true=True, sets="sin(pi (n^3 - n)/6) = 0 for integers n (6 divides n^3 - n)")
def k_periodic_cubic_true():
    return _step(sp.Eq(sp.sin(sp.pi * (n ** 3 - n) / 6), 0))


@trap("kernel-periodic", true=False, sets="sin(pi (n^3 - n)/12) = 0 for integers n (12 does not divide 2^3 - 2)")
def k_periodic_cubic_false():
    return _step(sp.Eq(sp.sin(sp.pi * (n ** 3 - n) / 12), 0))


@trap("kernel-periodic", true=False,
      sets="cos(pi n/2)^2 >= n/100 for integers n (the integer is outside the cosine too: false at n = 1)")
def k_periodic_outside_false():
    return _step(sp.Ge(sp.cos(sp.pi * n / 2) ** 2, n / 100))


@trap("kernel-periodic", true=False, sets="cos(pi p/2) = 0 for primes p (cos(pi) = -1 at p = 2; primes are no union of residue classes)")
def k_periodic_prime_false():
    return _step(sp.Eq(sp.cos(sp.pi * p / 2), 0))
