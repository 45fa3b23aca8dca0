"""``D.root``: a name defined as the unique root of an equation on an interval (derive.rules.root).

The renormalised ridge ``kappa = lam + kappa df1(kappa) / N`` with ``df1(k) = sum_i l_i / (l_i + k)``
over a spectrum of three eigenvalues: its existence and uniqueness decided by the kernel, a false
uniqueness claim and an empty interval failed with Z3's point, the lowered root against
``scipy.optimize.brentq``, and ``d kappa / d lam`` by implicit differentiation.
"""

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import brentq

from derive import Derivation, check_derivation
from derive.errors import DerivationError, UsageError
from derive.latex import DocumentWriter
from derive.lower import lower_quantity

lam, N = sp.symbols("lam N", positive=True)
k = sp.Symbol("k", positive=True)
w = sp.Symbol("w", real=True)
a = sp.Symbol("a", real=True)
kappa, df1 = sp.Function("kappa"), sp.Function("df1")
K = kappa(lam, N)
SPECTRUM = (sp.Integer(1), sp.Rational(1, 2), sp.Rational(1, 5))
CONDITIONS = [N > sp.Rational(1, 2)]


def ridge():
    D = Derivation("ridge-root")
    D.parameter(lam, N)
    D.define("df1-def", sp.Eq(df1(k), sum(l / (l + k) for l in SPECTRUM)))
    D.root("kappa-root", K, sp.Eq(K, lam + K * df1(K) / N), interval=(lam, sp.oo), conditions=CONDITIONS,
           uses=["df1-def"], explanation="the renormalised ridge")
    D.differentiate("kappa-d", "kappa-root", lam)
    D.solve("kappa-prime", "kappa-d", sp.Derivative(K, lam), conditions=CONDITIONS)
    D.step("lam-back", sp.Eq(lam, K * (1 - df1(K) / N)), uses=["kappa-root"], conditions=CONDITIONS)
    D.step("lam-wrong", sp.Eq(lam, K * (1 - 2 * df1(K) / N)), uses=["kappa-root"], conditions=CONDITIONS)
    D.quantity("kappa", "kappa-root", (lam, N))
    D.quantity("dkappa", "kappa-prime", (lam, N))
    return D


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    import os

    os.environ["DERIVE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    D = ridge()
    return D, {r.label: r for r in check_derivation(D, use_cache=False)}


def spectrum_root(l, n):
    """kappa at (lam, N) by brentq on (lam, 1e8)."""
    values = [float(x) for x in SPECTRUM]
    f = lambda u: u - l - u * sum(s / (s + u) for s in values) / n
    return brentq(f, l, 1e8, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)


def test_the_renormalised_ridge_is_verified(checked):
    _, results = checked
    root = results["kappa-root"]
    assert root.status == "verified", root.evidence
    assert "strictly increasing" in root.evidence and "changes sign" in root.evidence


def test_implicit_differentiation_and_elimination_use_the_root(checked):
    _, results = checked
    assert results["kappa-d"].status == "verified"
    assert results["kappa-prime"].status == "verified", results["kappa-prime"].evidence
    assert results["lam-back"].status == "verified"
    assert results["lam-back"].method.startswith("elimination")
    assert results["lam-wrong"].status == "failed"


def one_root(name, equation, interval, conditions=(), parameters=()):
    D = Derivation("root-trap")
    if parameters:
        D.parameter(*parameters)
    D.root("r", name, equation, interval=interval, conditions=conditions)
    return check_derivation(D, use_cache=False)[0]


def test_two_roots_in_the_interval_fail_with_a_witness(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    # w^3 - 3w + a has three real roots for |a| < 2, two of them in (-2, 2) at least
    result = one_root(w, sp.Eq(w**3 - 3 * w + a, 0), (-2, 2), [a > -1, a < 1], (a,))
    assert result.status == "failed" and result.method == "root: two roots", result.evidence
    witness = result.details["witness"]
    at = float(sp.Rational(witness["a"]))
    roots = [r.real for r in np.roots([1, 0, -3, at]) if abs(r.imag) < 1e-12 and -2 < r.real < 2]
    assert len(roots) >= 2 and -1 < at < 1


def test_an_interval_with_no_root_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    # u + a = 0 has its root at -a: none in (0, oo) where a > 0 ...
    result = one_root(w, sp.Eq(w + a, 0), (0, sp.oo), [a > -1], (a,))
    assert result.status == "failed" and result.method == "root: no root", result.evidence
    assert float(sp.Rational(result.details["witness"]["a"])) >= 0
    # ... and exactly one where a < 0
    assert one_root(w, sp.Eq(w + a, 0), (0, sp.oo), [a < 0], (a,)).status == "verified"


def test_a_unique_root_of_a_non_monotone_equation_is_verified(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    # u^3 - 3u + a rises, falls on (-1, 1) and rises again; for a > 2 it crosses 0 once
    result = one_root(w, sp.Eq(w**3 - 3 * w + a, 0), (-sp.oo, sp.oo), [a > 2], (a,))
    assert result.status == "verified" and "no two roots" in result.evidence, result.evidence


def test_a_transcendental_equation_stays_unverified(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    result = one_root(w, sp.Eq(sp.exp(w), 2 + a**2), (0, sp.oo), [], (a,))
    assert result.status == "unverified" and "rational" in result.evidence


def test_lowered_root_agrees_with_brentq_on_a_grid(checked):
    D, _ = checked
    f = lower_quantity(D, "kappa")
    L, M = np.meshgrid(np.logspace(-4, 2, 13), np.linspace(0.6, 40, 11))
    values = f(L, M)
    expected = np.vectorize(spectrum_root)(L, M)
    assert values.shape == L.shape
    np.testing.assert_allclose(values, expected, rtol=1e-12, atol=0)


def test_lowered_derivative_is_the_implicit_one(checked):
    D, _ = checked
    g = lower_quantity(D, "dkappa")
    L, M = np.meshgrid(np.array([0.01, 0.3, 2.0]), np.array([0.8, 3.0]))
    values = [float(x) for x in SPECTRUM]

    def implicit(l, n):  # 1 / F_u at the root: d kappa / d lam = 1 / (1 - df1/N - kappa df1'/N)
        u = spectrum_root(l, n)
        d, dd = sum(s / (s + u) for s in values), -sum(s / (s + u) ** 2 for s in values)
        return 1 / (1 - d / n - u * dd / n)

    np.testing.assert_allclose(g(L, M), np.vectorize(implicit)(L, M), rtol=1e-11)


def test_a_grid_point_outside_the_conditions_names_the_parameter(checked):
    D, _ = checked
    f = lower_quantity(D, "kappa")
    with pytest.raises(UsageError, match=r"N=0\.3 is outside N > 1/2"):
        f(np.array([0.1, 0.2]), np.array([1.0, 0.3]))


def test_latex_says_which_root(checked):
    D, _ = checked
    writer = DocumentWriter(D)
    assert r"is the unique root in $(lam, \infty)$" in writer.justification(D["kappa-root"])
    assert r"\text{True}" not in writer.equation(D["kappa-root"])


def test_the_verb_refuses_what_is_no_root_definition():
    D = Derivation("bad")
    D.parameter(lam)
    with pytest.raises(DerivationError, match="does not involve"):
        D.root("r", w, sp.Eq(lam, 1), interval=(0, 1))
    with pytest.raises(DerivationError, match="not only as"):
        D.root("r", kappa(lam, N), sp.Eq(kappa(lam, N), kappa(2 * lam, N) + 1), interval=(0, 1))
    D.define("w-def", sp.Eq(w, lam))
    with pytest.raises(DerivationError, match="already introduced"):
        D.root("r", w, sp.Eq(w**2, lam), interval=(0, sp.oo))


def test_a_root_is_given_no_second_value():
    D = Derivation("twice")
    D.parameter(lam)
    D.root("r", w, sp.Eq(w**2, lam), interval=(0, sp.oo))
    with pytest.raises(DerivationError, match="root defined by 'r'"):
        D.define("w-def", sp.Eq(w, 2))
