"""Property-based tests: solvers return the documented branch, vectorised equals scalar, and the
checker separates true identities from perturbed ones on random inputs."""

import numpy as np
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
