"""Power-law spectra lambda_k = k^-alpha, k = 1..P (derive.rmt.powerlaw): the discrete law and its
exact sums, the continuum integrals (numeric against mpmath's quadrature, symbolic against Arb's),
and the certified gap between the two.  Small P throughout: every test here is fast."""

import subprocess
import sys
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

from derive.check.kernel.balls import enclose
from derive.rmt.continuum import PowerLaw
from derive.rmt.expression import parse_law
from derive.rmt.powerlaw import (PowerLawSpectrum, certify_gap, df, df_asymptotic_expr, df_expr,
                                 power_integral, power_integral_expr, power_integrand)

# ---- the discrete law ----------------------------------------------------------------------------


def test_moments_are_generalised_harmonic_numbers():
    # alpha = 2, P = 3: eigenvalues 1, 1/4, 1/9; E X^j = (1 + 4^-j + 9^-j)/3, exactly rounded.
    law = PowerLawSpectrum(2, 3)
    exact = [sum(Fraction(1, k ** (2 * j)) for k in (1, 2, 3)) / 3 for j in range(4)]
    assert law.moments(3) == [float(x) for x in exact]
    assert law.support() == [(1 / 9, 1.0)]


@pytest.mark.parametrize("alpha", [0.01, 0.5, 1.0, 1.5, 3.7, 50.0])
def test_every_positive_alpha_gives_the_finite_sums(alpha):
    P = 7
    law = PowerLawSpectrum(alpha, P)
    lam = np.arange(1, P + 1, dtype=float) ** -alpha
    zs = np.array([[-0.3, 2 + 1j, -5.0], [0.5j, 3.0 + 0.1j, -1e-3]])
    expected = np.array([[np.mean(1 / (lam - z)) for z in row] for row in zs])
    m = law.stieltjes(zs)
    assert m.shape == zs.shape and np.allclose(m, expected, rtol=1e-13, atol=0)
    # unnormalised traces: sum_k 1/(lambda_k - z), sum_k 1/(lambda_k - z)^2, sum_k f(lambda_k)
    assert np.allclose(law.resolvent_trace(zs), P * expected, rtol=1e-13, atol=0)
    second = np.array([[np.sum(1 / (lam - z) ** 2) for z in row] for row in zs])
    assert np.allclose(law.resolvent_trace(zs, derivative=1), second, rtol=1e-12, atol=0)
    assert law.trace(lambda x: x**2) == pytest.approx(np.sum(lam**2), rel=1e-14)


def test_df_and_power_sums_are_the_sums_the_theory_writes():
    law = PowerLawSpectrum(1.5, 20)
    lam = np.arange(1, 21, dtype=float) ** -1.5
    kappa = np.array([0.0, 1e-3, 0.7, 40.0])
    df1 = [np.sum(lam / (lam + x)) for x in kappa]
    df2 = [np.sum((lam / (lam + x)) ** 2) for x in kappa]
    assert np.allclose(law.df(kappa), df1, rtol=1e-14) and law.df(np.array([0.0]))[0] == 20
    assert np.allclose(law.df(kappa, n=2), df2, rtol=1e-14)
    k = np.arange(1, 21, dtype=float)
    assert np.allclose(law.power_sum(kappa, s=0.3, n=3), [np.sum(k**-0.3 / (lam + x) ** 3) for x in kappa],
                       rtol=1e-13)


@pytest.mark.parametrize("text, message", [
    ("powerlaw_spectrum(0, 10)", "the exponent alpha must be > 0 (any real alpha > 0), got 0"),
    ("powerlaw_spectrum(-1.5, 10)", "the exponent alpha must be > 0 (any real alpha > 0), got -1.5"),
    ("powerlaw_spectrum(1.5, 0)", "the number of eigenvalues P must be an integer >= 1, got 0"),
    ("powerlaw_spectrum(1.5, 2.5)", "the number of eigenvalues P must be an integer >= 1, got 2.5"),
    ("powerlaw_spectrum(alpha=1.5, Q=3)", "has no parameter 'Q' (its parameters: alpha, P)"),
    ("powerlaw_spectrum(1.5, alpha=2)", "got alpha twice"),
    ("powerlaw_spectrum(P=3)", "is missing alpha"),
    ("powerlaw_spectrum(a, 3)", "give a a number"),
    ("mp(c=0.5)", "mp() takes no keyword arguments"),
])
def test_bad_parameters_are_one_clear_line(text, message):
    with pytest.raises(ValueError) as caught:
        parse_law(text)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_the_parser_reads_positions_and_keywords_and_combines_the_law():
    a, b = parse_law("powerlaw_spectrum(1.5, 30)"), parse_law("powerlaw_spectrum(P=30, alpha=1.5)")
    assert isinstance(a, PowerLawSpectrum) and a.text == b.text == "powerlaw_spectrum(1.5, 30)"
    assert np.array_equal(a.values, b.values)
    # scaled and shifted: the same finite sums moved
    shifted = parse_law("2*powerlaw_spectrum(1.5, 30) + 1")
    assert shifted.moments(1)[1] == pytest.approx(2 * a.moments(1)[1] + 1, rel=1e-14)


def test_powerlaw_p_is_unchanged():
    # powerlaw(p) stays the normalised limit law (1 - p)U^-p, 0 < p < 1
    assert parse_law("powerlaw(0.5)").moments(1) == [1.0, 1.0]
    with pytest.raises(ValueError, match=r"p must be in \(0, 1\), got 1.5"):
        PowerLaw(1.5)


def derive(*argv):
    return subprocess.run([sys.executable, "-m", "derive", *argv], capture_output=True, text=True, timeout=120)


def test_derive_law_prints_moments_and_stieltjes_values():
    run = derive("law", "powerlaw_spectrum(alpha=2, P=3)", "--moments", "2", "--stieltjes=-0.1,2+1j", "--support")
    assert run.returncode == 0, run.stderr
    lam = np.array([1, 1 / 4, 1 / 9])
    m = [np.mean(1 / (lam - z)) for z in (-0.1, 2 + 1j)]
    assert f"mu_2 = {1393 / 3888:.15g}" in run.stdout
    assert f"m(-0.1) = {m[0].real:.15g} + 0i" in run.stdout
    assert f"m(2+1i) = {m[1].real:.15g} + {m[1].imag:.15g}i" in run.stdout
    assert "support: [0.1111111111111111, 1.0]" in run.stdout
    refused = derive("law", "powerlaw_spectrum(2, 3)", "--density", "0:1:5")
    assert refused.returncode == 2 and "finite spectrum" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


# ---- the continuum integrals ---------------------------------------------------------------------


def _quad(alpha, kappa, P, s, n):
    """int_1^P k^-s (k^-alpha + kappa)^-n dk by mpmath, in u = log k (slow tails decay like e^-u)."""
    with mp.workdps(30):
        g = lambda u: mp.e ** ((1 - s) * u) * (mp.e ** (-alpha * u) + kappa) ** -n
        top = mp.log(P) if np.isfinite(P) else mp.inf
        cuts = [c for c in (0, 1, 10, 30, 100, 300, 1000) if c < top] + [top]
        return float(mp.quad(g, cuts))


@pytest.mark.parametrize("alpha, s, n, P", [
    (1.5, None, 1, np.inf), (1.5, None, 2, np.inf), (3.0, None, 1, np.inf), (1.0, None, 2, np.inf),
    (0.5, None, 1, 40.0), (0.3, None, 1, 1e4), (1.0, None, 1, 1e3), (2.0, 0.5, 1, 300.0),
    (0.5, 1.5, 1, np.inf), (0.3, 1.1, 2, np.inf), (2.0, 5.5, 2, np.inf), (1.5, None, 1, 1.0),
])
def test_power_integral_is_the_quadrature(alpha, s, n, P):
    kappa = np.array([1e-4, 0.01, 0.5, 1.0, 3.0, 100.0])
    got = power_integral(alpha, kappa, P, s, n)
    ss = n * alpha if s is None else s
    want = np.array([_quad(alpha, x, P, ss, n) for x in kappa])
    assert np.allclose(got, want, rtol=1e-12, atol=1e-15)


def test_extreme_parameters_keep_their_digits():
    # kappa = 1e300: int_1^oo dk/(1 + kappa k^1.5) = 2/kappa (1 + O(1/kappa)); H(oo) - H(1) would
    # cancel to noise (it gave -3.8e-214).  alpha = 50, P = 1e7: P^alpha overflows a float.
    assert df(1.5, np.array([1e300]))[0] == pytest.approx(2e-300, rel=1e-12)
    assert df(3.0, 1e300, P=10) == pytest.approx(1e-300 * (1 - 10.0**-2) / 2, rel=1e-12)
    assert df(50.0, 1e-3, P=1e7) == pytest.approx(_quad(50.0, 1e-3, np.inf, 50.0, 1), rel=1e-12)


def test_df_is_pi_over_alpha_sin_at_small_kappa():
    # df1 = pi kappa^(-1/alpha)/(alpha sin(pi/alpha)) - 1 + O(kappa): the error over kappa stays bounded
    alpha = 1.5
    a, kappa = sp.symbols("alpha kappa", positive=True)
    leading = sp.lambdify(kappa, df_asymptotic_expr(sp.Rational(3, 2), kappa))
    ks = np.array([1e-2, 1e-3, 1e-4, 1e-5])
    errors = np.abs(df(alpha, ks) - leading(ks))
    assert np.all(errors / ks < 2) and errors[-1] < 1e-4
    assert float(df_asymptotic_expr(sp.Integer(2), 1).evalf()) == pytest.approx(np.pi / 2 - 1, rel=1e-15)


@pytest.mark.parametrize("alpha, kappa, P, n", [("3/2", "1/3", "7", 1), ("5/2", "2", "oo", 1),
                                                 ("3/2", "1/10", "oo", 2), ("1/2", "3/4", "20", 1)])
def test_the_closed_forms_are_the_integrals_in_arb(alpha, kappa, P, n):
    # The sympy expressions a derivation cites, symbolic in alpha, kappa, P, enclosed by the
    # kernel's Arb evaluator against its certified quadrature of the integral itself.
    a, x, p = sp.symbols("alpha kappa P", positive=True)
    k = sp.Symbol("k", positive=True)
    top = sp.oo if P == "oo" else p
    closed = df_expr(a, x, n, top)
    integral = sp.Integral(power_integrand(k, a, x, n=n), (k, 1, top))
    point = {a: sp.Rational(alpha), x: sp.Rational(kappa), p: sp.Integer(7 if P == "oo" else int(P))}
    difference = enclose(closed - integral, point, prec=128)
    assert abs(difference.real) < 1e-25 and difference.imag.contains(0)
    # and the numeric function agrees with the expression
    numeric = df(float(sp.Rational(alpha)), float(sp.Rational(kappa)), n, np.inf if P == "oo" else float(P))
    assert float(closed.subs(point).evalf(20)) == pytest.approx(float(numeric), rel=1e-13)


def test_a_wrong_closed_form_is_excluded_by_a_ball():
    # the closed form off by a factor 1.001: Arb's balls separate it from the integral
    a, x = sp.symbols("alpha kappa", positive=True)
    k = sp.Symbol("k", positive=True)
    wrong = df_expr(a, x, 1, 7) * sp.Rational(1001, 1000)
    difference = enclose(wrong - sp.Integral(power_integrand(k, a, x), (k, 1, 7)),
                         {a: sp.Rational(3, 2), x: sp.Rational(1, 2)}, prec=128)
    assert not difference.real.contains(0)


def test_bad_continuum_arguments_are_one_clear_line():
    with pytest.raises(ValueError, match=r"int_1\^oo needs s > 1"):
        df(0.8, 1.0)       # df1 over [1, oo) diverges for alpha <= 1
    with pytest.raises(ValueError, match="the exponent alpha must be > 0"):
        power_integral(-1, 1.0, 10)
    with pytest.raises(ValueError, match="the upper limit P must be >= 1"):
        power_integral(1.5, 1.0, 0.5)
    with pytest.raises(ValueError, match="kappa must be > 0"):
        power_integral(1.5, np.array([1.0, 0.0]), 10)


# ---- the gap between the sum and the integral -----------------------------------------------------

GRID = [(sp.Rational(1, 2), sp.Rational(1, 10), 1), (1, sp.Rational(1, 1000), 2), (sp.Rational(3, 2), 1, 30),
        (2, sp.Rational(1, 100), 50), (4, 10, 7), (sp.Rational(3, 2), sp.Rational(1, 10**6), 50)]


@pytest.mark.parametrize("alpha, kappa, P", GRID)
@pytest.mark.parametrize("n", [1, 2])
def test_the_gap_of_df_is_certified_and_within_a_factor_2(alpha, kappa, P, n):
    # f(k) = (lambda_k/(lambda_k + kappa))^n decreases: f(P) <= sum - integral <= f(1), in Arb
    # balls.  Tightness, measured: the gap is at least half the upper bound f(1) (bench of 7
    # alpha x 7 kappa x 5 P: largest bound/gap 1.99999).
    gap = certify_gap(alpha, kappa, P, n=n)
    assert gap.holds
    f = lambda k: float(k ** -alpha / (k ** -alpha + kappa)) ** n
    lower, upper = gap.interval()
    assert lower == pytest.approx(f(P), rel=1e-12) and upper == pytest.approx(f(1), rel=1e-12)
    value = float(gap.gap.mid())
    assert P == 1 or upper / value <= 2.0
    # the same gap between the law's exact sum and the numeric continuum integral
    law = PowerLawSpectrum(float(alpha), P)
    numeric = law.df(float(kappa), n) - df(float(alpha), float(kappa), n, P)
    assert numeric == pytest.approx(value, rel=1e-9, abs=1e-13)
    assert law.continuum(float(kappa), n=n) == pytest.approx(df(float(alpha), float(kappa), n, P), rel=1e-15)


def test_the_gap_of_a_rising_and_falling_summand_uses_its_variation():
    # s < alpha n: f rises to kappa k^alpha = alpha n/s - 1, then falls; V = 2 max f - f(1) - f(P)
    gap = certify_gap(2, sp.Rational(1, 100), 40, s=sp.Rational(1, 2), n=1)
    assert gap.holds
    kstar = ((2 / 0.5 - 1) / 0.01) ** 0.5
    f = lambda k: k**-0.5 / (k**-2 + 0.01)
    assert float(gap.half_width.mid()) * 2 == pytest.approx(2 * f(kstar) - f(1) - f(40), rel=1e-12)


def test_the_gap_bound_is_not_vacuous():
    # the sum against the integral from 0 (a continuum off by int_0^1 dk/(1 + kappa k^2) =
    # atan(sqrt kappa)/sqrt kappa) falls outside [f(P), f(1)]
    gap = certify_gap(2, sp.Rational(1, 10), 20)
    lower, upper = gap.interval()
    assert lower <= float(gap.gap.mid()) <= upper
    wrong = float(gap.gap.mid()) - np.arctan(np.sqrt(0.1)) / np.sqrt(0.1)
    assert not lower <= wrong <= upper


def test_certify_gap_refuses_bad_input():
    with pytest.raises(ValueError, match="alpha must be > 0"):
        certify_gap(0, 1, 10)
    with pytest.raises(ValueError, match="P must be an integer >= 1"):
        certify_gap(1, 1, 0)
    with pytest.raises(ValueError, match="kappa must be > 0"):
        certify_gap(1, 0, 10)


def test_the_documented_example_runs_and_says_what_it_prints():
    import pathlib
    import re

    text = (pathlib.Path(__file__).parents[1] / "docs" / "free-probability.md").read_text()
    section = text[text.index("### Power-law spectra"):text.index("## Limits")]
    scope = {}
    exec(compile(re.findall(r"```python\n(.*?)```", section, re.S)[0], "docs/free-probability.md", "exec"), scope)
    assert scope["law"].df(np.array([1e-3]))[0] == pytest.approx(178.60087, rel=1e-7)
    assert scope["gap"].holds and float(scope["gap"].gap.mid()) == pytest.approx(0.49785627, rel=1e-7)
