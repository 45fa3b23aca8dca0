"""Property-based tests: solvers return the documented branch, vectorised equals scalar, and the
checker separates true identities from perturbed ones on random inputs."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings, strategies as st

from derive.check import numeric
from derive.lower import lower_quantity
from derive.registry import load
from derive.solvers import MonotoneRoot

u, a, b = sp.symbols("u a b", positive=True)
# F(u) = a - u^3 - b u is strictly decreasing on (0, inf) with one root.
ROOT = MonotoneRoot(a - u**3 - b * u, u, (a, b), lower=0, upper=1)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(1e-3, 1e3), st.floats(1e-3, 1e2)), min_size=1, max_size=20))
def test_monotone_root_is_bracketed_root_and_vectorised_equals_scalar(pairs):
    A, B = (np.array(v) for v in zip(*pairs))
    roots = ROOT(A, B)
    assert np.all(roots > 0)
    assert np.allclose(A - roots**3 - B * roots, 0, atol=1e-9 * np.maximum(1, A))
    for i in range(len(A)):
        assert ROOT(A[i], B[i]) == roots[i]


@settings(max_examples=30, deadline=None)
@given(st.floats(1e-3, 1e3), st.floats(1e-3, 1e2))
def test_monotone_root_equals_its_mpmath_reference(av, bv):
    assert abs(ROOT(av, bv) - float(ROOT.reference(av, bv))) <= 1e-12 * max(1.0, abs(ROOT(av, bv)))


MP = load("marchenko-pastur")
M = lower_quantity(MP, "M")
m = lower_quantity(MP, "m")


@settings(max_examples=60, deadline=None)
@given(kappa=st.floats(0.01, 100), x=st.floats(1e-4, 1e4))
def test_M_is_the_positive_root(kappa, x):
    value = M(kappa, x)
    assert value > 0
    assert abs(x / kappa * value**2 + (x + 1 - 1 / kappa) * value - 1) <= 1e-9 * max(1, value, x * value**2 / kappa)


@settings(max_examples=60, deadline=None)
@given(c=st.floats(0.05, 20), re=st.floats(-10, 10), im=st.floats(1e-3, 10))
def test_m_is_the_stieltjes_branch(c, re, im):
    z = complex(re, im)
    value = m(c, z)
    assert value.imag > 0  # maps the upper half plane into itself
    assert abs(c * z * value**2 + (z - 1 + c) * value + 1) <= 1e-9 * max(1, abs(z * value**2))


x = sp.Symbol("x", positive=True)
coefficients = st.lists(st.integers(-5, 5), min_size=1, max_size=4)


@settings(max_examples=25, deadline=None)
@given(p=coefficients, q=coefficients)
def test_numeric_checker_on_random_polynomial_identities(p, q):
    P = sum(c * x**i for i, c in enumerate(p))
    Q = sum(c * x**i for i, c in enumerate(q))
    assume(sp.expand(P * Q) != 0)
    product = sp.expand(P * Q)
    assert numeric.check(P * Q, product).status == "verified"
    # The same identity off by 1e-12 relative in one coefficient is refuted.
    assert numeric.check(P * Q, product * (1 + sp.Rational(1, 10**12))).status == "failed"


# --- sampling honours every assumption (issue 22) ----------------------------------------------

from derive.rmt import SpectralMean, UniformMean  # noqa: E402
from derive.rmt.existence import mean_exists  # noqa: E402
from derive.sampling import BANDS, Unsampleable, admissible_points, draw, exact_value, satisfies  # noqa: E402

ASSUMPTIONS = ("imaginary", "real", "extended_real", "positive", "negative", "nonnegative", "nonpositive",
               "extended_positive", "extended_negative", "extended_nonnegative", "extended_nonpositive",
               "nonzero", "extended_nonzero", "zero", "integer", "noninteger", "even", "odd", "prime",
               "composite", "rational", "irrational", "algebraic", "transcendental", "finite", "hermitian",
               "antihermitian", "complex")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(ASSUMPTIONS), st.booleans(), max_size=4), st.integers(0, 2**32 - 1))
def test_a_drawn_value_has_every_fact_sympy_states_of_its_symbol(assumptions, seed):
    """Random assumption sets: either sympy or the sampler refuses them as inconsistent, or each
    drawn value, as the exact number it stands for, has every fact sympy derives for the symbol."""
    try:
        symbol = sp.Symbol("s", **assumptions)
    except sp.core.facts.InconsistentAssumptions:
        return
    rng = np.random.default_rng(seed)
    for band in BANDS:
        try:
            value = draw(symbol, rng, band=band)
        except Unsampleable as exc:
            assert str(symbol) in str(exc)  # a clear message naming the symbol
            return
        exact = exact_value(value)
        for name, wanted in symbol.assumptions0.items():
            fact = getattr(exact, f"is_{name}")
            if name == "hermitian":
                fact = exact.is_extended_real
            if name == "antihermitian":
                fact = exact.is_zero or exact.is_imaginary
            assert fact is wanted, (assumptions, value, name)


def test_imaginary_and_extended_symbols_are_drawn_on_their_sets():
    rng = np.random.default_rng(1)
    y, e = sp.Symbol("y", imaginary=True), sp.Symbol("e", extended_positive=True)
    for _ in range(50):
        value = draw(y, rng)
        assert value.real == 0 and value.imag != 0
        assert draw(e, rng) > 0
    assert not satisfies(y, 1j + 1) and not satisfies(e, -1.0)


def test_integers_reach_forty_digits_exactly_with_parity_and_primality():
    rng = np.random.default_rng(2)
    odd, prime = sp.Symbol("n", integer=True, odd=True), sp.Symbol("p", prime=True)
    values = [draw(odd, rng) for _ in range(70)]
    assert all(isinstance(v, int) and v % 2 == 1 for v in values)
    assert max(abs(v) for v in values) > 10**30
    big = draw(prime, rng, band=(-12.0, -4.0))
    assert big > 10**12 and sp.isprime(big)


def test_infinite_symbols_are_refused_with_a_reason():
    with pytest.raises(Unsampleable, match="infinite"):
        draw(sp.Symbol("w", infinite=True), np.random.default_rng(0))
    # A check asks for points: it gets none (and says unverified), for an infinite symbol or one
    # whose assumptions contradict the realness a condition forces (antihermitian h in h > 0).
    h, w = sp.Symbol("h", antihermitian=True), sp.Symbol("w", infinite=True)
    assert admissible_points([h], [h > 0], 5, np.random.default_rng(0)) == []
    assert admissible_points([w], [], 5, np.random.default_rng(0)) == []


def test_means_exist_only_where_established():
    u, r, x = sp.Symbol("u", positive=True), sp.Symbol("r", positive=True), sp.Symbol("x", positive=True)
    half = sp.Rational(1, 2)
    assert not mean_exists(UniformMean(1 / u, u), set())
    assert not mean_exists(UniformMean(1 / (u - half), u), set())
    assert mean_exists(UniformMean(1 / (u + x), u), set())
    assert not mean_exists(SpectralMean(r ** 2, r, "C"), set())
    assert mean_exists(SpectralMean(r / (r + x), r, "C"), set())
    # <r> given a value: r^2/(r + x) = r - x + x^2/(r + x) exists, r^3/(r + x) does not follow.
    cited = {SpectralMean(r, r, "C")}
    assert mean_exists(SpectralMean(r ** 2 / (r + x), r, "C"), cited)
    assert not mean_exists(SpectralMean(r ** 3 / (r + x), r, "C"), cited)
