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
