"""derivations.linear_attention.ridge_fit: the primal and dual forms equal the ridge solution on the full design."""

import numpy as np
import pytest

from derivations.linear_attention import features, ridge_fit


def gaussian(rng, m, dx=4, dv=5):
    return rng.standard_normal((m, dx)), rng.standard_normal((m, dv)), rng.standard_normal(m)


def full_design(n, chunk, seed=1):
    rng = np.random.default_rng(seed)
    parts = [gaussian(rng, min(chunk, n - s)) for s in range(0, n, chunk)]
    return np.vstack([features(x, v) for x, v, _ in parts]), np.concatenate([y for *_, y in parts])


@pytest.mark.parametrize("n", [7, 19, 20, 60])          # dual below p = 20 features, primal from 20
@pytest.mark.parametrize("r", [0.0, 0.5])
@pytest.mark.parametrize("spectral", [False, True])
def test_fit_is_the_ridge_solution(n, r, spectral):
    H, y = full_design(n, chunk=6)
    B, eigenvalues = ridge_fit(np.random.default_rng(1), n, gaussian, r, spectral=spectral, chunk=6)
    expected = (np.linalg.lstsq(H, y, rcond=None)[0] if r == 0
                else np.linalg.solve(H.T @ H + r * np.eye(20), H.T @ y))
    np.testing.assert_allclose(B.ravel(), expected, rtol=1e-9, atol=1e-11)
    assert B.shape == (4, 5)
    if spectral:
        np.testing.assert_allclose(np.sort(eigenvalues), np.linalg.eigvalsh(H.T @ H), atol=1e-9)
    else:
        assert eigenvalues is None


def test_kernel_of_kronecker_features_is_a_hadamard_product():
    x, v, _ = gaussian(np.random.default_rng(0), 9)
    h = features(x, v)
    np.testing.assert_allclose(h @ h.T, (x @ x.T) * (v @ v.T), rtol=1e-12)
    np.testing.assert_allclose(h[2].reshape(4, 5), np.outer(x[2], v[2]))
