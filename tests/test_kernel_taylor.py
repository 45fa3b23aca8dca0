"""The kernel's certified Laurent and Puiseux coefficients (derive/check/kernel/taylor.py)."""

from fractions import Fraction

import pytest
import sympy as sp
from flint import acb

from derive.check.kernel.balls import NoEnclosure, precision
from derive.check.kernel.taylor import check_order, laurent

t = sp.Symbol("t", real=True)
p = sp.Symbol("p", positive=True)


def _close(ball, value, eps=1e-30):
    value = sp.Rational(value)
    with precision(256):  # the precision laurent() worked at
        return abs(ball - acb(int(value.p)) / int(value.q)) < eps


def test_a_pole_is_a_laurent_series():
    # 1/sin(t) = 1/t + t/6 + 7 t^3/360 + ...
    series = laurent(1 / sp.sin(t), t, {}, order=4)
    assert series.valuation == -1
    assert _close(series.coefficient(-1), 1) and _close(series.coefficient(1), sp.Rational(1, 6))
    assert _close(series.coefficient(3), sp.Rational(7, 360))
    assert series.coefficient(0).is_zero() and series.coefficient(-2).is_zero()


def test_a_parameter_enters_exactly():
    # exp(p t) at p = 3/7: the t^3 coefficient is p^3/6.
    series = laurent(sp.exp(p * t), t, {p: sp.Rational(3, 7)}, order=4)
    assert _close(series.coefficient(3), sp.Rational(27, 343) / 6)


def test_a_fractional_power_of_t_needs_a_positive_variable():
    # sqrt(t^2 + t^4) is |t| sqrt(1 + t^2): a Puiseux series only for t > 0.
    with pytest.raises(NoEnclosure):
        laurent(sp.sqrt(t**2 + t**4), t, {}, order=3)
    series = laurent(sp.sqrt(t**2 + t**4), t, {}, order=4, positive=True)
    assert series.valuation == 1 and _close(series.coefficient(3), sp.Rational(1, 2))
    half = laurent(sp.sqrt(1 / t + 1), t, {}, order=1, positive=True)
    assert half.valuation == Fraction(-1, 2)


def test_log_of_t_has_no_series():
    with pytest.raises(NoEnclosure):
        laurent(sp.log(t) * t, t, {}, order=2)


def test_a_branch_cut_at_the_leading_coefficient_has_no_series():
    # log(-1 + t): the leading coefficient -1 lies on log's cut.
    with pytest.raises(NoEnclosure):
        laurent(sp.log(t - 1), t, {}, order=2)


def test_hypergeometric_of_a_series_argument():
    # 2F1(1, 1; 2; t) = -log(1 - t)/t = 1 + t/2 + t^2/3 + ...
    series = laurent(sp.hyper([1, 1], [2], t), t, {}, order=3)
    assert _close(series.coefficient(2), sp.Rational(1, 3))


def test_check_order_certifies_a_tiny_wrong_coefficient():
    claim = sp.sin(t) - (t - (sp.Rational(1, 6) + sp.Rational(1, 10**120)) * t**3)
    outcome = check_order(claim, t, 5)
    assert outcome.status == "failed" and "t^3" in outcome.evidence


def test_check_order_verifies_with_parameters_and_conditions():
    f = sp.hyper([1, 1 + 1 / p], [2 + 1 / p], t / (1 - p)) / ((1 - p) * (1 + p))
    form = 1 / ((1 - p) * (1 + p)) + t / ((1 - p) ** 2 * (1 + 2 * p))
    assert check_order(f - form, t, 2, [p < 1]).status == "verified"
    assert check_order(f - form, t, 3, [p < 1]).status == "failed"


def test_check_order_leaves_what_it_cannot_expand_to_the_caller():
    assert check_order(t * sp.log(t), t, 1) is None
