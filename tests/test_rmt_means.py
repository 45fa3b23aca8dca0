"""Spectral means as numbers (commutative, extended real) and refuted by finite spectra (issue 23)."""

import numpy as np
import sympy as sp

from derive import Derivation
from derive.check.runner import check_step
from derive.latex import latex
from derive.rmt import SpectralMean
from derive.rmt import refute

r = sp.Symbol("r", positive=True)
x, kappa, lam = sp.symbols("x kappa lambda", positive=True)
z = sp.Symbol("z")


def mean(f, var=r):
    return SpectralMean(f, var, "C")


def _status(statement, premises=()):
    D = Derivation("t")
    D.parameter(*sorted(set(statement.free_symbols).union(*(p.free_symbols for _, p in premises)), key=str))
    for label, p in premises:
        D.step(label, p)
    D.step("s", statement, uses=[label for label, _ in premises])
    return check_step(D, D["s"])


def test_a_mean_is_a_commutative_number_that_prints_as_before():
    m = mean(1 / (r + x))
    assert m.is_commutative is True
    assert m.is_extended_real is True and m.is_finite is None  # <1/r> may be infinite
    assert mean(1 / (r - z)).is_extended_real is None  # complex integrand
    assert sp.cancel((m * x + m * x ** 2) / (1 + x)) == x * m
    assert sp.Poly(m * x + m, m).degree() == 1
    assert str(m) == "<1/(C + x)>"
    assert latex(m) == r"\left\langle \frac{1}{C + x} \right\rangle"
    assert hash(m) == hash(mean(1 / (r + x)))


def test_solving_and_eliminating_through_a_mean():
    """sympy could not solve kappa = lam + kappa <r/(r + x)> for kappa (a non-commutative
    product), and elimination never read a mean as an unknown: both steps failed to build or
    stayed unverified."""
    D = Derivation("t")
    D.parameter(x, kappa, lam)
    D.step("rel", sp.Eq(kappa, lam + kappa * mean(r / (r + x))))
    D.solve("root", "rel", kappa)
    assert D["root"].statement.rhs.has(SpectralMean)
    D.step("closed", sp.Eq(kappa, lam / (1 - mean(r / (r + x)))), uses=["rel"])
    D.step("squared", sp.Eq(kappa ** 2 * (1 - mean(r / (r + x))) ** 2, lam ** 2), uses=["rel"])
    for label in ("closed", "squared"):
        result = check_step(D, D[label])
        assert result.status == "verified" and result.method.startswith("elimination"), result


def test_a_false_identity_between_means_is_failed_with_a_certified_spectrum():
    for statement in (sp.Eq(mean(r ** 2), mean(r) ** 2), sp.Eq(mean(1 / r), 1 / mean(r)),
                      sp.Eq(sp.diff(mean(1 / (r + x)), x), mean(1 / (r + x) ** 2)),
                      sp.Le(mean(r ** 2), mean(r) ** 2)):
        result = _status(statement)
        assert result.status == "failed", (statement, result)
        assert "certified counterexample (Arb)" in result.evidence and "finite spectrum" in result.evidence


def test_finite_spectra_never_verify():
    result = _status(sp.Ge(mean(r ** 2), mean(r) ** 2))  # Jensen: true for every law
    assert result.status == "unverified"
    assert "never verify" in result.evidence


def test_a_moment_premise_is_honoured_exactly():
    rng = np.random.default_rng(0)
    spectrum = refute._spectrum("C", {r}, [(r, sp.Integer(1)), (r ** 2, sp.Integer(3))], rng)
    assert sum(w for _, w in spectrum) == 1 and all(w > 0 and a > 0 for a, w in spectrum)
    assert sum(w * a for a, w in spectrum) == 1 and sum(w * a ** 2 for a, w in spectrum) == 3
    # The step follows from the premise; a spectrum that ignored it would fail it.
    assert _status(sp.Eq(mean(2 * r + 3), 5), [("m1", sp.Eq(mean(r), 1))]).status == "verified"
    assert _status(sp.Eq(mean(r ** 2), 1), [("m1", sp.Eq(mean(r), 1))]).status == "failed"


def test_a_constraint_that_cannot_be_honoured_means_no_refutation():
    """<1/(r + x)> = 1/(1 + x) for all x makes C the atom at 1, where <1/(r+x)>^2 = <1/(r+x)^2>."""
    result = _status(sp.Eq(mean(1 / (r + x)) ** 2, mean(1 / (r + x) ** 2)),
                     [("st", sp.Eq(mean(1 / (r + x)), 1 / (1 + x)))])
    assert result.status == "unverified"
    assert "no refutation by finite spectra" in result.evidence and "through the parameters" in result.evidence


def test_a_spectrum_honours_the_variables_assumptions():
    rng = np.random.default_rng(1)
    negative = sp.Symbol("t", negative=True)
    integer = sp.Symbol("k", positive=True, integer=True)
    assert all(a < 0 for a, _ in refute._spectrum("C", {negative}, [], rng))
    assert all(a.is_Integer and a > 0 for a, _ in refute._spectrum("C", {integer}, [], rng))


def test_a_constant_factor_moves_through_a_mean_without_existence():
    """``<exp(r + x)> = exp(x) <exp(r)>`` needs no mean to exist; a factor that is the bound
    variable's name, a third term, or a second law is not a scaling."""
    from derive.rmt import SpectralMean
    from derive.rmt.rules import proportional_means

    r = sp.Symbol("r", real=True)
    x = sp.Symbol("x", positive=True)

    def c(f, law="C"):
        return SpectralMean(f, r, law)

    assert proportional_means(c(sp.exp(r + x)) - sp.exp(x) * c(sp.exp(r)), [], [], [])[0] == "spectral scaling"
    assert proportional_means(c(r * sp.exp(r)) - r * c(sp.exp(r)), [], [], []) is None
    assert proportional_means(c(1 / r) - c(1 / r - 1) - 1, [], [], []) is None
    assert proportional_means(c(2 * r) - 2 * c(r, "D"), [], [], []) is None
