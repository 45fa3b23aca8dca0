"""Building derivations: structure errors are caught at build time and name the step."""

import pytest
import sympy as sp

from derive import Derivation, DerivationError
from derive.notation import Meaning

a, b, s, t = sp.symbols("a b s t", positive=True)


def test_steps_come_in_dependency_order():
    D = Derivation("order")
    D.step("late", sp.Eq(s**2, (a + b)**2), uses=["early"])
    D.define("early", sp.Eq(s, a + b))
    assert [step.label for step in D] == ["early", "late"]


def test_missing_premise_names_the_step_and_the_premise():
    D = Derivation("missing")
    D.define("s-def", sp.Eq(s, a + b))
    D.step("s-square", sp.Eq(s**2, (a + b)**2), uses=["s-defn"])
    with pytest.raises(DerivationError, match=r"step 's-square': uses 's-defn', which is not a step"):
        D.validate()


def test_cycle_is_reported_with_its_path():
    D = Derivation("cycle")
    D.parameter(a, b, s)
    D.step("one", sp.Eq(s, a), uses=["two"])
    D.step("two", sp.Eq(s, b), uses=["one"])
    with pytest.raises(DerivationError, match=r"cycle: (one -> two -> one|two -> one -> two)"):
        D.validate()


def test_undeclared_symbol_is_named():
    D = Derivation("undeclared")
    D.define("s-def", sp.Eq(s, a + b))
    D.step("uses-t", sp.Eq(s + t, a + b + t), uses=["s-def"])
    with pytest.raises(DerivationError, match=r"step 'uses-t': undeclared symbol t"):
        D.validate()


def test_declared_parameter_is_accepted():
    D = Derivation("declared")
    D.parameter(t)
    D.define("s-def", sp.Eq(s, a + b))
    D.step("uses-t", sp.Eq(s + t, a + b + t), uses=["s-def"])
    D.validate()


def test_duplicate_label_is_refused():
    D = Derivation("dup")
    D.define("s-def", sp.Eq(s, a + b))
    with pytest.raises(DerivationError, match="already exists"):
        D.define("s-def", sp.Eq(s, a - b))


def test_definition_must_have_a_name_on_the_left():
    D = Derivation("bad-def")
    with pytest.raises(DerivationError, match="Eq\\(name, value\\)"):
        D.define("not-a-name", sp.Eq(s + a, b))


def test_statement_that_sympy_evaluates_away_is_refused_with_advice():
    D = Derivation("evaluated")
    with pytest.raises(DerivationError, match="evaluate=False"):
        D.step("trivial", sp.Eq(sp.Integer(2), sp.Integer(2)))


def test_meaning_defines_a_name_without_binding_it():
    D = Derivation("meaning")
    m = sp.Function("m")
    D.define("m-def", sp.Eq(m(a), Meaning(r"\lim_{d\to\infty} f_d(a)")))
    D.step("uses-m", sp.Eq(m(a) + 1, 1 + m(a), evaluate=False), uses=["m-def"])
    assert D.bindings(["uses-m"]) == []


def test_nearest_binding_wins():
    D = Derivation("nearest")
    f = sp.Function("f")
    D.define("f-def", sp.Eq(f(a), a + b))
    D.step("f-other", sp.Eq(f(a), b + a), uses=["f-def"])
    names = [name for name, _ in D.bindings(["f-other"])]
    assert names[0] == f(a)
    assert len(D.bindings(["f-other"])) == 2


def test_replaced_swaps_one_step_and_leaves_the_original_alone():
    import dataclasses

    D = Derivation("replace")
    D.define("s-def", sp.Eq(s, a + b))
    D.define("t-def", sp.Eq(t, a * b))
    D.step("claim", sp.Eq(s**2, a**2 + 2 * a * b + b**2), uses=["s-def", "s-def"])
    swapped = dataclasses.replace(D["claim"], statement=sp.Eq(s * t, t * (a + b)), uses=("s-def", "t-def"))
    E = D.replaced(swapped)
    assert E["claim"].statement == swapped.statement
    assert set(E.graph.predecessors("claim")) == {"s-def", "t-def"}
    assert set(D.graph.predecessors("claim")) == {"s-def"}
    assert D["claim"].uses == ("s-def", "s-def")
    assert [step.label for step in E] == [step.label for step in D]
    with pytest.raises(DerivationError):
        D.replaced(dataclasses.replace(swapped, label="nope"))


def test_included_steps_keep_their_origin():
    inner = Derivation("inner")
    inner.define("s-def", sp.Eq(s, a + b))
    outer = Derivation("outer")
    outer.include(inner)
    outer.step("claim", sp.Eq(s - b, a), uses=["s-def"])
    assert outer.origin == {"s-def": "inner", "claim": "outer"}
    assert outer.own_labels() == ["claim"]


def test_a_meaning_outside_a_definition_is_a_build_error():
    """A Meaning has no value: a step stating something of it directly could only ever crash
    the checker; it must name the thing first (Eq(t(x), Meaning(...)))."""
    x = sp.Symbol("x", positive=True)
    D = Derivation("meaning-misused")
    with pytest.raises(DerivationError, match="Meaning"):
        D.fact("f", sp.Eq(Meaning("T"), 1 / (1 - x)))
