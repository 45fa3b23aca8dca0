"""The shipped Marchenko-Pastur derivation: every step established, and its numbers right."""

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from derive import check_derivation
from derive.lower import closed_form, lower_quantity
from derive.registry import load

D = load("marchenko-pastur")


@pytest.mark.slow  # a whole paper checked
def test_every_step_is_established_with_a_method():
    # The session cache (fresh for each test session, conftest.py): steps included from other
    # derivations, checked by their own tests, are not proved twice.
    results = check_derivation(D)
    assert [r.label for r in results] == [s.label for s in D]
    for r in results:
        assert r.status in ("verified", "definition"), (r.label, r.status, r.evidence)
        assert r.method
    methods = {r.label: r.method for r in results}
    assert methods["mp-quadratic"].startswith("monte carlo")
    assert methods["M-prime-compact"].startswith("elimination")
    assert "branch" in methods["mp-closed"]


def density_stieltjes(kappa, x):
    """M_kappa(x) by integrating the MP density: an independent route to the same number."""
    c = 1 / mpmath.mpf(kappa)
    lo, hi = (1 - mpmath.sqrt(c)) ** 2, (1 + mpmath.sqrt(c)) ** 2
    density = lambda t: mpmath.sqrt((hi - t) * (t - lo)) / (2 * mpmath.pi * c * t)
    atom = max(0, 1 - 1 / c)
    return mpmath.quad(lambda t: density(t) / (t + x), [lo, hi]) + atom / x


def test_closed_form_equals_the_integral_of_the_density():
    M = lower_quantity(D, "M")
    for kappa, x in [(0.5, 0.1), (0.5, 1.0), (2.0, 0.3), (5.0, 2.0)]:
        assert abs(M(kappa, x) - float(density_stieltjes(kappa, x))) < 1e-10


def test_derivative_quantity_matches_finite_difference():
    M, dM = lower_quantity(D, "M"), lower_quantity(D, "M_prime")
    kappa, x, h = 0.7, 0.4, 1e-6
    assert abs(dM(kappa, x) - (M(kappa, x + h) - M(kappa, x - h)) / (2 * h)) < 1e-7


def test_stieltjes_transform_on_the_upper_half_plane():
    m = lower_quantity(D, "m")
    z = np.array([1.0 + 0.5j, -2.0 + 0.01j, 3.0 + 2.0j])
    values = m(0.5, z)
    assert np.all(values.imag > 0)
    c, far = 0.5, 1e8j
    assert abs(far * m(c, far) + 1) < 1e-6


@settings(max_examples=40, deadline=None)
@given(kappa=st.floats(0.05, 20.0), x=st.floats(1e-3, 50.0))
def test_numpy_path_equals_mpmath_path(kappa, x):
    for name in ("M", "M_prime"):
        f = lower_quantity(D, name)
        fast, reference = f(kappa, x), f.reference(kappa, x)
        assert abs(fast - float(reference)) <= 1e-12 * max(1.0, abs(float(reference)))


def test_vectorised_and_scalar_calls_agree():
    M = lower_quantity(D, "M")
    kappa = np.geomspace(0.1, 10, 7)[:, None]
    x = np.geomspace(0.01, 10, 5)[None, :]
    grid = M(kappa, x)
    assert grid.shape == (7, 5)
    assert grid[3, 2] == M(kappa[3, 0], x[0, 2])


def test_kappa_infinity_limit_value():
    assert D["M-kappa-infinity"].statement.rhs == 1 / (1 + sp.Symbol("x", positive=True))
    assert closed_form(D, "M") is not None
