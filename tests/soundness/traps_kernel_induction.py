"""Traps for finite sums with a symbolic limit, proved by induction on the limit
(:mod:`derive.check.telescoping`, issue 22): the increment ``R(n) - R(n - 1)`` and one base
value decided by the kernel, never by sympy's ``summation``.

The false ones are what an induction gets wrong when it is careless: a base off by one with
a right increment, a summand that depends on the limit (so that the increment is not the last
term), a limit shifted by one, and the empty-sum reading of a reversed range."""

import sympy as sp

from . import trap
from .traps_relations import _step

n = sp.Symbol("n", integer=True)
k = sp.Symbol("k", integer=True)
y = sp.Symbol("y", positive=True)


def _eq(lhs, rhs, conditions=()):
    return _step(sp.Eq(lhs, rhs, evaluate=False), conditions=conditions)


@trap("kernel_induction", true=True, sets="sum_{k=1}^{n+1} k = (n + 1)(n + 2)/2 (a shifted limit)")
def k_induction_shifted_limit_true():
    return _eq(sp.Sum(k, (k, 1, n + 1)), (n + 1) * (n + 2) / 2)


@trap("kernel_induction", true=True, sets="sum_{k=1}^n k^2 - sum_{k=0}^n k = (n - 1) n (n + 1)/3 (two sums, two starts)")
def k_induction_two_sums_true():
    return _eq(sp.Sum(k**2, (k, 1, n)) - sp.Sum(k, (k, 0, n)), (n - 1) * n * (n + 1) / 3)


@trap("kernel_induction", true=True, sets="sum_{k=0}^n y^k = (y^(n+1) - 1)/(y - 1) for y != 1 (a power of n)")
def k_induction_geometric_true():
    return _eq(sp.Sum(y**k, (k, 0, n)), (y**(n + 1) - 1) / (y - 1), conditions=[sp.Ne(y, 1)])


@trap("kernel_induction", true=True, sets="sum_{k=1}^n 1/(k(k + 1)) = n/(n + 1) (a telescoping rational sum)")
def k_induction_rational_true():
    return _eq(sp.Sum(1 / (k * (k + 1)), (k, 1, n)), n / (n + 1), conditions=[n >= 1])


@trap("kernel_induction", true=False, sets="sum_{k=1}^n k = n(n + 1)/2 + 1: the increment is right, the base is not")
def k_induction_base_off():
    return _eq(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2 + 1)


@trap("kernel_induction", true=False,
      sets="sum_{k=1}^n n = n(n + 1)/2: a summand in the limit (it is n^2); taking f(n) = n as the increment "
           "would prove it")
def k_induction_summand_depends_on_limit():
    return _eq(sp.Sum(n, (k, 1, n)), n * (n + 1) / 2)


@trap("kernel_induction", true=False, sets="sum_{k=1}^{n+1} k^3 = (n(n + 1)/2)^2 (the limit one too far)")
def k_induction_limit_one_too_far():
    return _eq(sp.Sum(k**3, (k, 1, n + 1)), (n * (n + 1) / 2) ** 2)


@trap("kernel_induction", true=False,
      sets="sum_{k=1}^n 1/(k(k + 1)) = n/(n + 1) + 1/(n(n + 1)(n + 2)) (right at n = 0 only by a pole's luck)")
def k_induction_rational_off():
    return _eq(sp.Sum(1 / (k * (k + 1)), (k, 1, n)), n / (n + 1) + 1 / (n * (n + 1) * (n + 2)), conditions=[n >= 1])
