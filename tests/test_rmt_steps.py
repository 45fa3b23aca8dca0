"""Free-probability steps in a derivation: the transform and convolution rules accept what
follows and refuse what does not, and add_law writes a chain that checks."""

import dataclasses

import sympy as sp

from derive import Derivation, check_derivation
from derive.check.runner import check_step
from derive.rmt import marchenko_pastur, spectrum
from derive.rmt.algebraic import m as m_engine
from derive.rmt.algebraic import r
from derive.rmt.algebraic import w as w_engine
from derive.rmt.algebraic import z as z_engine
from derive.rmt.steps import add_law

z, w = sp.Symbol("z"), sp.Symbol("w")
m_a, m_b = sp.Function("m_a"), sp.Function("m_b")
R_a, R_b, R_c = sp.Function("R_a"), sp.Function("R_b"), sp.Function("R_c")
BERNOULLI = spectrum([-1, 1])          # mass 1/2 at -1 and at 1: R(w) = (sqrt(1 + 4w^2) - 1)/(2w)


def curve(law, f):
    return sp.Eq(law.curve.subs({m_engine: f(z), z_engine: z}, simultaneous=True), 0)


def r_curve(P, f):
    return sp.Eq(P.subs({r: f(w), w_engine: w}, simultaneous=True), 0)


def bernoulli_sum(statement, starts=(0, 0), a_curve=None):
    """Bernoulli boxplus Bernoulli, by hand: the resultant has two factors, r w + 1 and
    r^2 w + 2r - 4w; the second carries the branch (the arcsine law on [-2, 2])."""
    D = Derivation("free-sum-by-hand")
    D.parameter(z, w)
    D.fact("a", curve(BERNOULLI, m_a))
    D.fact("b", curve(BERNOULLI, m_b))
    D.transform("a-R", "a", r_curve(BERNOULLI.r_curve(), R_a) if a_curve is None else a_curve, change=(R_a(w), z + 1 / m_a(z), -m_a(z)))
    D.transform("b-R", "b", r_curve(BERNOULLI.r_curve(), R_b), change=(R_b(w), z + 1 / m_b(z), -m_b(z)))
    D.fact("theorem", sp.Eq(R_c(w), R_a(w) + R_b(w)))
    D.convolution("c-R", ["a-R", "b-R"], "theorem", sp.Eq(statement, 0), starts=starts, means_from=("a", "b"))
    return D


ARCSINE = R_c(w)**2 * w + 2 * R_c(w) - 4 * w


def status(D, label):
    return check_step(D, D[label]).status


def test_the_r_transform_of_a_curve_is_verified_exactly():
    D = bernoulli_sum(ARCSINE)
    result = check_step(D, D["a-R"])
    assert (result.status, result.method) == ("verified", "transform: R-transform, pseudo-remainder")


def test_a_wrong_transform_curve_fails():
    wrong = sp.Eq(R_a(w)**2 * w + R_a(w) - 2 * w, 0)      # the true curve is w R^2 + R - w
    assert status(bernoulli_sum(ARCSINE, a_curve=wrong), "a-R") == "failed"


def test_the_factor_carrying_the_branch_is_verified():
    result = check_step(bernoulli_sum(ARCSINE), bernoulli_sum(ARCSINE)["c-R"])
    assert result.status == "verified" and result.method == "convolution: resultant + branch series"


def test_the_other_factor_of_the_resultant_fails():
    # r w + 1 divides the resultant but is not the branch through R(0) = 0
    assert status(bernoulli_sum(R_c(w) * w + 1), "c-R") == "failed"


def test_a_curve_that_does_not_divide_the_resultant_fails():
    assert status(bernoulli_sum(R_c(w)**2 * w + 2 * R_c(w) - 3 * w), "c-R") == "failed"


def test_a_branch_start_other_than_the_mean_fails():
    result = check_step(bernoulli_sum(ARCSINE, starts=(1, 0)), bernoulli_sum(ARCSINE, starts=(1, 0))["c-R"])
    assert result.status == "failed" and "mean 0" in result.evidence


def test_a_convolution_that_does_not_cite_its_curves_is_unverified():
    D = bernoulli_sum(ARCSINE)
    D = D.replaced(dataclasses.replace(D["c-R"], uses=("a", "b-R", "theorem", "a", "b")))
    assert status(D, "c-R") == "unverified"


def test_add_law_writes_a_chain_that_checks():
    # 2 * inv(MP(c)) + 1: the MP law's resolvent trace introduced by its Meaning, a fact (its
    # curve, not simulated here), then three transforms
    c = sp.Symbol("c", positive=True)
    g = sp.Function("g")
    D = Derivation("chain")
    D.parameter(c, z)
    last = add_law(D, "law", 2 * marchenko_pastur(c).subs({"c": sp.Rational(1, 4)}).inverse() + 1, g(z),
                   points=[{}], tag="L")
    kinds = {D[label].kind for label in D.own_labels()}
    assert last == "law" and kinds == {"definition", "fact", "transform"}
    results = {res.label: res for res in check_derivation(D, use_cache=False, only=[
        label for label in D.own_labels() if D[label].kind == "transform"])}
    assert all(res.status == "verified" for res in results.values()) and len(results) == 3
