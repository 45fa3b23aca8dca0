"""Issue 22 (adv6-limits, adv6-extended): a limit's leading power with a real exponent decided
from its certified sign; a rule's own verification over a parameter that may be +-oo left
unverified; a value that is no number at +-oo (a nan, a bounded oscillation) is no agreement."""

import mpmath
import sympy as sp

from derive import Derivation, check_derivation
from derive.check import numeric
from derive.rules import limit as limit_rule

t = sp.Symbol("t", positive=True)
xe = sp.Symbol("x", extended_real=True)
xr = sp.Symbol("x", real=True)
u = sp.Symbol("u", real=True)


def _status(D, label):
    return {r.label: r for r in check_derivation(D, use_cache=False, only={label})}[label]


def test_tiny_irrational_power_tends_to_zero():
    verdict = limit_rule.power_limit(t ** sp.exp(-30), sp.Integer(0), t, 0, "+", [])
    assert verdict[0] == "verified" and "Arb" in verdict[1]


def test_tiny_irrational_power_false_value_failed():
    assert limit_rule.power_limit(t ** sp.exp(-30), sp.Integer(1), t, 0, "+", [])[0] == "failed"
    # at oo a positive exponent grows: -2 x^(pi 1e-20) -> -oo, not oo
    assert limit_rule.power_limit(-2 * t ** (sp.pi / 10**20), sp.oo, t, sp.oo, "-", [])[0] == "failed"
    assert limit_rule.power_limit(-2 * t ** (sp.pi / 10**20), -sp.oo, t, sp.oo, "-", [])[0] == "verified"


def test_probes_do_not_fail_an_unresolved_power():
    # not a bare power (the leading-power rule does not apply): the probes read 1 - 5e-11
    verdict = limit_rule.numeric_limit((t + t**2) ** sp.exp(-30), sp.Integer(0), t, 0, "+", [])
    assert verdict[0] == "unverified" and "exponent" in verdict[2]
    # a power the probes do resolve still fails: sqrt(t) -> 1 is false
    assert limit_rule.numeric_limit(sp.sqrt(t), sp.Integer(1), t, 0, "+", [])[0] == "failed"


def test_limit_over_extended_parameter_is_unverified():
    def build(x):
        D = Derivation("ext")
        D.parameter(x)
        D.limit("L", t / (t + 1 / (x**2 + 1)), t, 0, value=0)
        return D

    extended = _status(build(xe), "L")
    assert extended.status == "unverified" and "may be +-oo" in extended.evidence
    assert _status(build(xr), "L").status == "verified"


def test_root_over_extended_parameter_is_unverified():
    D = Derivation("ext-root")
    D.parameter(xe)
    D.root("s", u, sp.Eq((xe**2 + 1) * u - 1, 0), interval=(0, sp.oo))
    result = _status(D, "s")
    assert result.status == "unverified" and "may be +-oo" in result.evidence


def test_bounded_oscillation_at_infinity_is_no_agreement():
    assert numeric._at_infinity(sp.sin(xe), sp.cos(xe), "==", {xe: mpmath.inf})[0] == "undecided"
    assert numeric._at_infinity(sp.sin(xe), sp.cos(xe), "!=", {xe: mpmath.inf})[0] == "undecided"
    # equal infinite values are equal values of the extended reals
    assert numeric._at_infinity(sp.exp(2 * xe), sp.exp(xe) ** 2, "==", {xe: mpmath.inf})[0] == "holds"


def test_sides_at_infinity_shown_by_sympy_not_nan():
    text, values = numeric._sides(sp.exp(-xe**2) * (2 + sp.sin(xe)), sp.Integer(0), {xe: mpmath.inf})
    assert "nan" not in text and values["lhs"] == "0"


def test_power_limit_needs_a_finite_factor():
    a = sp.Symbol("a", real=True)
    # at a = 0 the factor 1/a, and the expression, have no value: not decided here
    assert limit_rule._power_limit_at(1 / a, sp.exp(-30), 0, {a: 0}) is None
    assert limit_rule._power_limit_at(1 / a, sp.exp(-30), 0, {a: 1}) == 0
