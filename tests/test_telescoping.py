"""Induction on a sum's limit (derive/check/telescoping.py): the proof itself, apart from the
numeric screen that refutes most false statements before it runs."""

import sympy as sp

from derive.check.telescoping import prove

n = sp.Symbol("n", integer=True)
k = sp.Symbol("k", integer=True)
x = sp.Symbol("x", real=True)


def test_true_sums_are_proved_exactly():
    assert prove(sp.Sum(k**3, (k, 1, n)) - (n * (n + 1) / 2) ** 2) == ("exact", "exact")
    assert prove(sp.Sum(1, (k, 1, n)) - n) == ("exact", "exact")  # every integer n, Karr's convention
    assert prove(sp.Sum(k**2, (k, 1, n)) - sp.Sum(k, (k, 0, n)) - (n - 1) * n * (n + 1) / 3) == ("exact", "exact")


def test_a_wrong_base_is_not_proved():
    # The increment is right (n), the base is not: R(0) = -1.
    assert prove(sp.Sum(k, (k, 1, n)) - n * (n + 1) / 2 - 1) is None


def test_a_summand_in_the_limit_is_not_of_the_shape():
    # sum_{k=1}^n n = n^2; with f(n) = n as the increment, n(n + 1)/2 would pass.
    assert prove(sp.Sum(n, (k, 1, n)) - n * (n + 1) / 2) is None


def test_a_non_integer_limit_or_a_nonlinear_use_is_not_of_the_shape():
    assert prove(sp.Sum(k, (k, 1, x)) - x * (x + 1) / 2) is None
    assert prove(sp.Sum(k, (k, 1, n)) ** 2 - (n * (n + 1) / 2) ** 2) is None
    assert prove(sp.Sum(k, (k, 1, n)) * n - n**2 * (n + 1) / 2) is None


def test_the_empty_sum_reading_is_not_proved():
    # max(n, 0) is the count only for n >= 0; Karr's convention gives n for every integer.
    assert prove(sp.Sum(1, (k, 1, n)) - sp.Max(n, 0)) is None
