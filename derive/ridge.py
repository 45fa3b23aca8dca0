"""Ridge regression on Kronecker-product features: the fit behind linear-attention simulations.

A linear-attention readout is y = x^T B v = <x (x) v, vec B>, so fitting B by ridge over n
examples is ridge regression on the p = d_x d_v features h = x (x) v:

    vec B* = argmin_b  sum_mu (y_mu - h_mu . b)^2 + ridge |b|^2.

Two forms give the same solution (the push-through identity
(H^T H + r I)^{-1} H^T = H^T (H H^T + r I)^{-1}):

* **primal**, when n >= p: the Gram H^T H is accumulated over chunks of rows (only one chunk
  of features in memory: 165 MB at d = 100 instead of the 1.6 GB design), then
  (H^T H + r I) b = H^T y is solved.  This is one large BLAS-3 product either way; BLAS
  ``syrk`` (half the flops) and a Cholesky solve were measured slower than numpy's ``matmul``
  and ``solve`` with the OpenBLAS builds here (docs/performance.md), so they are not used;
* **dual**, when n < p: b = H^T c with (H H^T + r I) c = y, and the kernel needs no features at
  all, since (x_mu (x) v_mu) . (x_nu (x) v_nu) = (x_mu . x_nu)(v_mu . v_nu):
  H H^T = (X X^T) * (V V^T) elementwise, O(n^2 (d_x + d_v)) instead of O(n^2 d_x d_v).

``ridge = 0`` gives the minimum-norm least-squares solution, by an eigendecomposition with a
relative cut-off.  With ``spectral`` the
eigenvalues of H^T H are returned too (those of H H^T padded with p - n zeros in the dual).
"""

from __future__ import annotations

import numpy as np

#: Examples drawn at once: bounds the features in memory at CHUNK x p doubles.
CHUNK = 2048


def fit(rng, n, sample, ridge, spectral=False, chunk=CHUNK):
    """Fit B (d_x x d_v) on n examples drawn by ``sample(rng, m) -> (x (m x d_x), v (m x d_v), y (m))``.

    Returns ``(B, eigenvalues or None)``.  Examples are drawn in chunks of ``chunk`` in the same
    order in both forms, so the same generator gives the same data whichever form is used.
    """
    if n < 1:
        raise ValueError(f"ridge.fit needs at least one example, got n = {n}")
    chunks = [sample(rng, min(chunk, n - start)) for start in range(0, n, chunk)]
    d_x, d_v = chunks[0][0].shape[1], chunks[0][1].shape[1]
    p = d_x * d_v
    if n >= p:
        gram = np.zeros((p, p))
        rhs = np.zeros(p)
        for x, v, y in chunks:
            h = features(x, v)
            gram += h.T @ h
            rhs += h.T @ y
        coefficients, eigenvalues = _solve_symmetric(gram, rhs, ridge, spectral)
        return coefficients.reshape(d_x, d_v), eigenvalues
    X = np.vstack([c[0] for c in chunks])
    V = np.vstack([c[1] for c in chunks])
    y = np.concatenate([c[2] for c in chunks])
    kernel = (X @ X.T) * (V @ V.T)
    weights, eigenvalues = _solve_symmetric(kernel, y, ridge, spectral)
    if eigenvalues is not None:
        eigenvalues = np.concatenate([eigenvalues, np.zeros(p - n)])
    return X.T @ (weights[:, None] * V), eigenvalues


def features(x, v):
    """The rows h = x (x) v, m x (d_x d_v)."""
    return (x[:, :, None] * v[:, None, :]).reshape(len(x), -1)


def _solve_symmetric(matrix, rhs, ridge, spectral):
    """(matrix + ridge I)^{-1} rhs for a symmetric PSD matrix."""
    if spectral:
        eigenvalues, vectors = np.linalg.eigh(matrix)
        keep = np.ones_like(eigenvalues, dtype=bool) if ridge > 0 else _nonzero(eigenvalues)
        projected = (vectors[:, keep].T @ rhs) / (eigenvalues[keep] + ridge)
        return vectors[:, keep] @ projected, eigenvalues
    if ridge == 0:
        # Ridgeless: the minimum-norm solution needs the spectrum's cut-off, not a factorisation.
        return _solve_symmetric(matrix, rhs, ridge, True)[0], None
    matrix[np.diag_indices_from(matrix)] += ridge  # in place: the Gram is ours, and p^2 doubles
    return np.linalg.solve(matrix, rhs), None


def _nonzero(eigenvalues):
    """Eigenvalues above round-off, for the minimum-norm solution."""
    return eigenvalues > eigenvalues.max() * len(eigenvalues) * np.finfo(float).eps
