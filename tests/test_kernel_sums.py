"""The kernel's infinite sums (ratio-test tails proved by Z3) and Dirac deltas under integrals."""

import pytest
import sympy as sp
from flint import arb

from derive.check.kernel import sums
from derive.check.kernel.balls import NoEnclosure, enclose

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", positive=True)
t = sp.Symbol("t", real=True)
k = sp.Symbol("k", integer=True, nonnegative=True)
EXP = sp.Sum(x ** k / sp.factorial(k), (k, 0, sp.oo))


def test_shift_ratio_by_the_factors_recurrences():
    assert sums.shift_ratio(x ** k / sp.factorial(k), k) == (x, 1 / (k + 1))
    c, r = sums.shift_ratio((-1) ** k * x ** (2 * k + 1) / sp.gamma(2 * k + 2), k)
    assert c == -x ** 2 and sp.cancel(r - 1 / ((2 * k + 2) * (2 * k + 3))) == 0
    assert sums.shift_ratio(sp.sqrt(k) * y ** k, k) is None  # no recurrence for sqrt(k) here


@pytest.mark.parametrize("value", [sp.Rational(1, 3), sp.Integer(-30), sp.Integer(25), sp.Integer(0)])
def test_exp_series_encloses_exp(value):
    ball = enclose(EXP - sp.exp(x), {x: value}, 256)
    assert ball.contains(0) and abs(ball).upper() < arb(2) ** -200


def test_a_hair_off_is_a_certified_counterexample():
    ball = enclose(EXP - sp.exp(x) - sp.Rational(1, 10 ** 40), {x: sp.Rational(1, 3)}, 256)
    assert not ball.contains(0)


@pytest.mark.parametrize("series, point", [
    (sp.Sum(y ** k, (k, 0, sp.oo)), {y: sp.Rational(11, 10)}),  # divergent: |ratio| -> 11/10
    (sp.Sum(1 / (k + 1) ** 2, (k, 0, sp.oo)), {}),  # ratio -> 1: no ratio-test tail
    (EXP, {x: sp.Integer(10) ** 6}),  # needs more than MAX_SERIES_TERMS terms
    (sp.Sum(sp.exp(-k / sp.Integer(10) ** 9) / (k + 1) ** 2, (k, 0, sp.oo)), {}),  # ratio within 1e-9 of 1: beyond the budget
])
def test_no_enclosure_without_a_proved_tail(series, point):
    with pytest.raises(NoEnclosure):
        enclose(series, point, 256)


def test_the_ratio_bound_is_decided_for_every_k_past_N():
    P, Q = sp.Poly(100, k), sp.Poly(k + 1, k)  # 100/(k + 1): above 1/2 until k = 199
    assert not sums.proves_ratio_bound(sp.Integer(1), P, Q, k, 10, sp.Rational(1, 2))
    assert sums.proves_ratio_bound(sp.Integer(1), P, Q, k, 199, sp.Rational(1, 2))
    # a pole of the ratio past N (a term t(k) = 0 followed by a nonzero one) is no bound
    assert not sums.proves_ratio_bound(sp.Integer(1), sp.Poly(1, k), sp.Poly(k - 50, k), k, 10, sp.Rational(1, 2))


@pytest.mark.parametrize("integral, value", [
    (sp.Integral(sp.DiracDelta(t), (t, -1, 1)), 1),
    (sp.Integral(sp.DiracDelta(t), (t, 1, -1)), -1),
    (sp.Integral(sp.DiracDelta(t - 2), (t, -1, 1)), 0),
    (sp.Integral(t ** 2 * sp.DiracDelta(t ** 2 - 2) + t, (t, -3, 2)), sp.sqrt(2) - sp.Rational(5, 2)),
    (sp.Integral(sp.exp(-t ** 2) * sp.DiracDelta(2 * t - 2), (t, -sp.oo, sp.oo)), sp.exp(-1) / 2),
])
def test_dirac_delta_by_sifting(integral, value):
    ball = enclose(integral - value, {}, 128)
    assert ball.contains(0) and abs(ball).upper() < arb(2) ** -60


@pytest.mark.parametrize("integral", [
    sp.Integral(sp.DiracDelta(t), (t, 0, 1)),  # a root on the endpoint
    sp.Integral(sp.DiracDelta(t ** 2), (t, -1, 1)),  # a double root
    sp.Integral(sp.DiracDelta(sp.sin(t)), (t, -1, 1)),  # not a polynomial
    sp.Integral(sp.DiracDelta(t) ** 2, (t, -1, 1)),  # not a measure
    sp.Integral(sp.DiracDelta(t, 1), (t, -1, 1)),  # a derivative of the delta
])
def test_dirac_delta_without_the_sifting_rule_has_no_enclosure(integral):
    with pytest.raises(NoEnclosure):
        enclose(integral, {}, 128)


def test_an_infinite_product_with_a_proved_tail():
    kk = sp.Symbol("k", integer=True, positive=True)
    euler = sp.Product(1 + y ** kk, (kk, 1, sp.oo)) * sp.Product(1 - y ** (2 * kk - 1), (kk, 1, sp.oo))
    ball = enclose(euler - 1, {y: sp.Rational(49, 100)}, 256)
    assert ball.contains(0) and abs(ball).upper() < arb(2) ** -200
    assert not enclose(euler - 1 - y ** 80, {y: sp.Rational(49, 100)}, 256).contains(0)
    with pytest.raises(NoEnclosure):  # 1 - 1/k^2: the ratio of the u_k tends to 1
        enclose(sp.Product(1 - 1 / (kk + 1) ** 2, (kk, 1, sp.oo)), {}, 256)


def test_the_verdict_names_the_procedures():
    from derive.check.kernel import evidence

    outcome = evidence.check(EXP, sp.exp(x), [x > -5, x < 5])
    assert outcome.status == "verified" and "ratio test proved by Z3" in outcome.evidence
    outcome = evidence.check(sp.Integral(sp.cos(t) * sp.DiracDelta(t - y), (t, -1, 1)), sp.cos(y), [y < 1])
    assert outcome.status == "verified" and "sifting rule" in outcome.evidence
