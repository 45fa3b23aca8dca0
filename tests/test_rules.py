"""The rule registry: every kind has one rule, and a rule of one's own plugs in by one class."""

import sympy as sp
import pytest

from derive import Derivation, check_derivation
from derive.registry import load_file
from derive.rules import RULES, Rule, register, rule_for


def test_every_kind_a_derivation_builds_has_a_rule():
    assert set(RULES) >= {"definition", "fact", "algebra", "substitute", "solve", "differentiate", "limit",
                          "series", "transform", "convolution"}
    for kind, rule in RULES.items():
        assert rule.kind == kind and rule.title
        assert rule.verb is None or hasattr(Derivation, rule.verb.__name__)


def test_a_second_rule_for_a_kind_is_refused():
    with pytest.raises(ValueError, match="two rules for the kind 'solve'"):
        @register
        class AnotherSolve(Rule):
            kind = "solve"


def test_the_extending_example_rule_checks_and_refuses():
    # docs/extending.md walks through this file; run it twice (a second run re-registers itself).
    for _ in range(2):
        D = load_file("docs/examples/instance_rule.py")
    results = {r.label: r for r in check_derivation(D, use_cache=False)}
    assert results["at-one"].status == "verified" and results["at-one"].method == "instance: substitution"
    assert rule_for("instance").title == "Instance"
    # An instance at a variable a binding fixes: refuted by the numeric screen when false (the
    # pipeline runs it before any rule), refused by the rule when it happens to hold.
    x, c = sp.symbols("x c", positive=True)
    E = Derivation("fixed")
    E.parameter(c)
    E.define("x-def", sp.Eq(x, c + 1))
    E.step("rel", sp.Eq(x - c, 1), uses=["x-def"])
    E.instance("at-two", "rel", x, 2)
    E.instance("at-itself", "rel", x, c + 1)
    results = {r.label: r for r in check_derivation(E, use_cache=False)}
    assert results["at-two"].status == "failed"
    assert results["at-itself"].status == "unverified" and results["at-itself"].method == "instance: variable"


# ---- limits: the precision follows the probe; points may depend on parameters ----------------


def test_limit_probe_is_resolved_however_deep_it_cancels():
    import mpmath

    from derive.rules.limit import stable_value

    x = sp.Symbol("x", positive=True)
    # 1 - cos(3e-120) = 4.5e-240: at the 180 digits the probe starts with, it cancels to 0.
    with mpmath.workdps(200):
        h = 3 * mpmath.mpf(10) ** -120
    value = stable_value((1 - sp.cos(x)) / x**2, {x: h}, 180)
    assert value is not None and abs(value - mpmath.mpf(1) / 2) < mpmath.mpf(10) ** -20
    # The same through the mpmath fallback (an expression Arb is not given here): never a 0.
    from derive.rules.limit import _stable_mpmath

    fallback = _stable_mpmath((1 - sp.cos(x)) / x**2, {x: h}, 180)
    assert fallback is not None and abs(fallback - mpmath.mpf(1) / 2) < mpmath.mpf(10) ** -20


def test_limit_at_a_point_depending_on_a_parameter_is_decided():
    from derive.rules.limit import numeric_limit

    x, a = sp.Symbol("x", positive=True), sp.Symbol("a", positive=True)
    edge = (x - a) / (sp.sqrt(x) - sp.sqrt(a))
    assert numeric_limit(edge, 2 * sp.sqrt(a), x, a, "+", ())[0] == "verified"
    assert numeric_limit(edge, sp.sqrt(a), x, a, "+", ())[0] == "failed"
    root = (x**2 - a) / (x - sp.sqrt(a))
    assert numeric_limit(root, 2 * sp.sqrt(a), x, sp.sqrt(a), "+-", ())[0] == "verified"
    assert numeric_limit(root, 2 * a, x, sp.sqrt(a), "+-", ())[0] == "failed"


def test_limit_off_by_a_hair_is_failed_not_verified():
    from derive.rules.limit import numeric_limit

    x = sp.Symbol("x", positive=True)
    # The probes resolve 2^-200: a gap of 5e-31 that settles is a counterexample, not round-off.
    decided = numeric_limit(sp.sin(x) / x, 1 + sp.Rational(1, 10**30), x, 0, "+", ())
    assert decided[0] == "failed", decided
    assert numeric_limit(sp.sin(x) / x, sp.Integer(1), x, 0, "+", ())[0] == "verified"
