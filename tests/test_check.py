"""The checker passes true steps, fails false ones with a counterexample, and says how."""

import pytest
import sympy as sp

from derive import Asymptotic, Derivation, Holds, check_derivation
from derive.check import check_step
from derive.check import numeric

a, b, s, x = sp.symbols("a b s x", positive=True)
z = sp.Symbol("z")


def result(D, label):
    return check_step(D, D[label])


def demo(statement):
    D = Derivation("demo")
    D.define("s-def", sp.Eq(s, a + b))
    D.step("s-square", statement, uses=["s-def"])
    return D


def test_demo_is_verified_symbolically():
    r = result(demo(sp.Eq(s**2, a**2 + 2*a*b + b**2)), "s-square")
    assert r.status == "verified"
    assert r.method.startswith("symbolic")


def test_wrong_coefficient_fails_with_a_counterexample():
    r = result(demo(sp.Eq(s**2, a**2 + 3*a*b + b**2)), "s-square")
    assert r.status == "failed"
    assert "residual" in r.evidence and "a=" in r.evidence


def test_nested_radical_simplify_cannot_reduce_is_established_numerically():
    statement = sp.Eq(sp.sqrt(a + 1 + 2*sp.sqrt(a)), 1 + sp.sqrt(a))
    # The premise of the test: sympy's simplify really does not decide this one.
    assert sp.simplify(statement.lhs - statement.rhs) != 0
    D = Derivation("radicals")
    D.parameter(a)
    D.step("denest", statement)
    r = result(D, "denest")
    assert (r.status, r.method) == ("verified", "numeric: mpmath, 50 digits and up")
    assert r.details["worst_residual"] < 1e-30


def test_identity_off_by_1e_minus_12_relative_is_caught():
    wrong = sp.Eq(sp.sqrt(a + 1 + 2*sp.sqrt(a)), (1 + sp.sqrt(a)) * (1 + sp.Rational(1, 10**12)))
    D = Derivation("radicals")
    D.parameter(a)
    D.step("denest", wrong)
    r = result(D, "denest")
    assert r.status == "failed"
    assert 1e-13 < r.details["residual"] < 1e-11


def test_numeric_checker_thresholds_directly():
    assert numeric.check(sp.sin(a)**2 + sp.cos(a)**2, 1).status == "verified"
    assert numeric.check(sp.sin(a)**2 + sp.cos(a)**2, 1 + sp.Rational(1, 10**14)).status == "failed"


def test_side_conditions_restrict_the_sampled_points():
    D = Derivation("conditions")
    D.parameter(x)
    D.step("abs", sp.Eq(sp.Abs(x - 1), x - 1), conditions=[x > 1])
    assert result(D, "abs").status == "verified"
    D2 = Derivation("conditions")
    D2.parameter(x)
    D2.step("abs", sp.Eq(sp.Abs(x - 1), x - 1))
    assert result(D2, "abs").status == "failed"


def test_relation_consequence_by_ideal_membership():
    M = sp.Function("M")
    D = Derivation("elim")
    D.parameter(x)
    D.fact("quad", sp.Eq(x * M(x)**2 + M(x) - 1, 0))  # unproved here: only a premise
    D.step("inverse", sp.Eq(1 / M(x), x * M(x) + 1), uses=["quad"])
    r = result(D, "inverse")
    assert (r.status, r.method.split(":")[0]) == ("verified", "elimination")
    D.step("wrong", sp.Eq(1 / M(x), x * M(x) + 2), uses=["quad"])
    assert result(D, "wrong").status == "failed"


def test_unknown_not_determined_by_premises_is_unverified_not_passed():
    f = sp.Function("f")
    D = Derivation("free")
    D.parameter(x, f)
    D.step("claim", sp.Eq(f(x), x))
    r = result(D, "claim")
    assert r.status == "unverified"


def test_solve_picks_the_branch_and_checks_it():
    m = sp.Function("m")
    D = Derivation("solve")
    D.parameter(z)
    D.fact("quad", sp.Eq(m(z)**2 + z * m(z) + 1, 0))  # m of the semicircle law
    D.solve("root", "quad", m(z),
            form=(-z + sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2,
            branch=[Asymptotic(z * m(z), z, sp.I * sp.oo, -1), Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0]),
                    Holds(sp.im(m(z)) < 0, where=[sp.im(z) < 0])])
    r = result(D, "root")
    assert r.status == "verified" and "branch" in r.method
    # Without the lower half-plane's condition nothing names the root below the support: the
    # root followed up from i oo crosses the support onto the other sheet.
    D.solve("upper-only", "quad", m(z), form=(-z + sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2,
            branch=[Asymptotic(z * m(z), z, sp.I * sp.oo, -1), Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0])])
    r = result(D, "upper-only")
    assert r.status == "unverified" and "no branch condition applies" in r.evidence
    # The other root solves the same equation but is not the Stieltjes branch.
    D.solve("other", "quad", m(z), form=(-z - sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2,
            branch=[Asymptotic(z * m(z), z, sp.I * sp.oo, -1)])
    r = result(D, "other")
    assert r.status == "failed" and "Asymptotic" in r.evidence


def test_solve_without_form_chooses_the_root_by_branch():
    M = sp.Function("M")
    D = Derivation("solve")
    D.parameter(x)
    D.fact("quad", sp.Eq(x * M(x)**2 + M(x) - 1, 0))
    step = D.solve("root", "quad", M(x), branch=[Holds(M(x) > 0)])
    assert sp.simplify(step.statement.rhs - (-1 + sp.sqrt(1 + 4*x)) / (2*x)) == 0
    assert result(D, "root").status == "verified"


def test_ambiguous_solve_is_a_build_error():
    M = sp.Function("M")
    D = Derivation("solve")
    D.parameter(x)
    D.fact("quad", sp.Eq(x * M(x)**2 + M(x) - 1, 0))
    with pytest.raises(Exception, match="2 roots"):
        D.solve("root", "quad", M(x))


def test_differentiate_limit_and_series_rules():
    f = sp.Function("f")
    D = Derivation("rules")
    D.parameter(x)
    D.define("f-def", sp.Eq(f(x), sp.sqrt(1 + x) - 1))
    D.step("f-rel", sp.Eq(f(x)**2 + 2*f(x), x), uses=["f-def"])
    D.differentiate("f-diff", "f-rel", x)
    D.limit("f-zero", f(x) / x, x, 0, uses=["f-def"])
    D.series("f-series", f(x), x, 0, 3, uses=["f-def"])
    for label in ("f-rel", "f-diff", "f-zero", "f-series"):
        assert result(D, label).status == "verified", label
    assert D["f-zero"].statement.rhs == sp.Rational(1, 2)


def test_wrong_limit_and_wrong_series_fail():
    f = sp.Function("f")
    D = Derivation("rules")
    D.parameter(x)
    D.define("f-def", sp.Eq(f(x), sp.sqrt(1 + x) - 1))
    D.limit("bad-limit", f(x) / x, x, 0, uses=["f-def"], value=sp.Rational(1, 3))
    D.series("bad-series", f(x), x, 0, 3, uses=["f-def"], form=x/2 - x**2/7 + sp.O(x**3))
    assert result(D, "bad-limit").status == "failed"
    assert result(D, "bad-series").status == "failed"


def test_results_are_cached_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))  # a cache of its own: no other test's results
    D = demo(sp.Eq(s**2, a**2 + 2*a*b + b**2))
    first = check_derivation(D)
    second = check_derivation(D)
    assert [r.cached for r in first] == [False, False]
    assert [r.cached for r in second] == [True, True]
    assert [r.status for r in second] == [r.status for r in first]
    # Changing a premise invalidates what depends on it.
    E = Derivation("demo")
    E.define("s-def", sp.Eq(s, a - b))
    E.step("s-square", sp.Eq(s**2, a**2 + 2*a*b + b**2), uses=["s-def"])
    changed = check_derivation(E)
    assert not changed[1].cached and changed[1].status == "failed"


def test_solve_rule_checks_the_left_side_and_the_premise():
    """Both found by mutation testing: a scaled left side, and a premise without the name."""
    M = sp.Function("M")
    D = Derivation("solve")
    D.parameter(x)
    D.fact("quad", sp.Eq(x * M(x)**2 + M(x) - 1, 0))
    D.define("other", sp.Eq(a, x + 1))
    root = (-1 + sp.sqrt(1 + 4*x)) / (2*x)
    D.solve("root", "quad", M(x), form=root, branch=[Holds(M(x) > 0)])
    assert result(D, "root").status == "verified"
    import dataclasses
    scaled = dataclasses.replace(D["root"], statement=sp.Eq(sp.Rational(8, 7) * M(x), root, evaluate=False))
    assert result(D.replaced(scaled), "root").status != "verified"
    rewired = dataclasses.replace(D["root"], statement=sp.Eq(M(x), root), uses=("other",))
    assert result(D.replaced(rewired), "root").status != "verified"


def test_budgets_count_cpu_time_not_wall_time():
    """A verdict must not depend on how busy the machine is: sleeping (time another process would
    take) does not use up a budget; computing does."""
    import time

    from derive.budget import BudgetExceeded, cpu_limit

    with cpu_limit(0.3):
        time.sleep(0.6)  # wall time passes, this process's CPU time does not
    with pytest.raises(BudgetExceeded):
        with cpu_limit(0.3):
            while True:
                sum(range(1000))


def test_a_check_cut_short_by_a_budget_is_not_cached(monkeypatch):
    from derive.check import runner
    from derive.check.result import CheckResult

    cut = CheckResult("s", "algebra", "unverified", "numeric", "", details={"budget_expired": True})
    errored = CheckResult("s", "algebra", "unverified", "checker error", "", details={"error": True})
    decided = CheckResult("s", "algebra", "verified", "symbolic", "")
    # Decided although an attempt on the way ran out (CPU budgets: the same on any load).
    decided_anyway = CheckResult("s", "algebra", "verified", "numeric", "", details={"budget_expired": True})
    assert not runner.cacheable(cut) and not runner.cacheable(errored)
    assert runner.cacheable(decided) and runner.cacheable(decided_anyway)


def test_order_relations_are_checked_as_relations():
    D = Derivation("relations")
    D.parameter(a, b)
    D.step("am-gm", sp.Ge((a + b) / 2, sp.sqrt(a * b), evaluate=False))
    D.step("strict", sp.Gt((a + b) / 2, sp.sqrt(a * b), evaluate=False))
    D.step("self", sp.Lt(a, a, evaluate=False))
    assert result(D, "am-gm").status == "verified"
    # Equality on the line a = b: the special values (a = b = 1) or the margin search find it.
    assert result(D, "strict").status in ("failed", "unverified")
    assert result(D, "self").status == "failed"


def test_a_solve_must_show_its_root_is_the_one_meant():
    M = sp.Function("M")
    D = Derivation("roots")
    D.parameter(x)
    D.fact("quad", sp.Eq(x * M(x)**2 + M(x) - 1, 0))
    positive = (-1 + sp.sqrt(1 + 4 * x)) / (2 * x)
    D.solve("no-branch", "quad", M(x), form=positive)
    D.solve("branch", "quad", M(x), form=positive, branch=[Holds(M(x) > 0)])
    D.solve("wrong", "quad", M(x), form=(-1 - sp.sqrt(1 + 4 * x)) / (2 * x), branch=[Holds(M(x) > 0)])
    assert result(D, "no-branch").status == "unverified"  # two roots, nothing says which
    assert result(D, "branch").status == "verified"
    assert result(D, "wrong").status == "failed"


def test_a_near_identity_is_told_from_an_identity_by_raising_the_precision():
    for offset, status in ((sp.Integer(10) ** -40, "failed"), (sp.Integer(10) ** -90, "failed"), (0, "verified")):
        assert numeric.check(sp.exp(a), sp.exp(a) * (1 + offset)).status == status
    # Terms of 1e347 cancel: a fixed 50 or 100 digits would see garbage, the ladder does not.
    assert numeric.check(sp.cosh(40 * a)**2 - sp.sinh(40 * a)**2, 1).status != "failed"
