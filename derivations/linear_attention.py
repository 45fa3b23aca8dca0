"""The linear-attention model code that Lu et al. (``lu2025``) and Takanami et al.
(``takanami2025``) share: written once, here, and used by both papers' model modules.

* **Ridge on Kronecker features** (:func:`ridge_fit`).  A linear-attention readout is
  y = x^T B v = <x (x) v, vec B>, so fitting B by ridge over n examples is ridge regression on
  the p = d_x d_v features h = x (x) v:

      vec B* = argmin_b  sum_mu (y_mu - h_mu . b)^2 + ridge |b|^2.

  Two forms give the same solution (the push-through identity
  (H^T H + r I)^{-1} H^T = H^T (H H^T + r I)^{-1}):

  - *primal*, when n >= p: the Gram H^T H is accumulated over chunks of rows (only one chunk
    of features in memory: 165 MB at d = 100 instead of the 1.6 GB design), then
    (H^T H + r I) b = H^T y is solved.  This is one large BLAS-3 product either way; BLAS
    ``syrk`` (half the flops) and a Cholesky solve were measured slower than numpy's ``matmul``
    and ``solve`` with the OpenBLAS builds here (docs/performance.md), so they are not used;
  - *dual*, when n < p: b = H^T c with (H H^T + r I) c = y, and the kernel needs no features
    at all, since (x_mu (x) v_mu) . (x_nu (x) v_nu) = (x_mu . x_nu)(v_mu . v_nu):
    H H^T = (X X^T) * (V V^T) elementwise, O(n^2 (d_x + d_v)) instead of O(n^2 d_x d_v).

  ``ridge = 0`` gives the minimum-norm least-squares solution, by an eigendecomposition with a
  relative cut-off.  With ``spectral`` the eigenvalues of H^T H are returned too (those of
  H H^T padded with p - n zeros in the dual).

  Both forms also run *matrix-free* (:mod:`derivations.kronecker_ridge`): conjugate gradients
  with products by H in O(n d_x d_v), preconditioned by the Kronecker second moment
  n S_x (x) S_v + r I in the primal and by diag(H H^T) + r in the dual, never forming the
  p x p Gram (13 GB at d = 200) or the n x n kernel.  ``ridge_fit`` takes the cheaper path by
  a flop count with the Marchenko-Pastur prediction of the iterations
  (:func:`kronecker_ridge.choose_method`); the dense path stays for ``spectral`` and for the
  ridgeless fit at n = p, and as the reference the tests compare against.
* **The context statistic, sampled exactly in law** (:func:`context_statistics`): O(d) a
  sequence whatever its length.
* **Silverstein's renormalised ridge** (:func:`silverstein_ridge`) measured from a fit's
  resolvent trace.
* **The direct test error** (:func:`direct_test_error`): a fitted readout against prompts
  sampled token by token, the brute-force check of each paper's exact error formulas.
* **The fit memo** (:class:`FitMemo`): the fits a paper's facts share, kept by the paper's
  model object, bounded.
* **The interpolation threshold** (:class:`InterpolationThreshold`): the forbidden parameter
  combination tau = 1 with lam = 0 of both papers, for the symbols each paper names.

The exact test-error formulas stay with each model (``lu2025_model``, ``takanami2025_model``):
they are different formulas (Lu et al.'s features carry the extra column sum y^2 and their
isotropic term uses alpha, Takanami et al.'s use L = round(alpha D)).
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections import OrderedDict

import numpy as np

from derive.errors import UsageError

from . import kronecker_ridge

#: Examples drawn at once: bounds the features in memory at CHUNK x p doubles.
CHUNK = 2048


def ridge_fit(rng, n, sample, ridge, spectral=False, chunk=CHUNK, *, method="auto", rtol=kronecker_ridge.RTOL,
              xp=None, report=None):
    """Fit B (d_x x d_v) on n examples drawn by ``sample(rng, m) -> (x (m x d_x), v (m x d_v), y (m))``.

    Returns ``(B, eigenvalues or None)``.  Examples are drawn in chunks of ``chunk`` in the same
    order whatever the path, so the same generator gives the same data whichever is used.

    ``method``: ``"dense"`` forms the Gram (or the dual kernel) and solves it; ``"cg"`` solves by
    preconditioned conjugate gradients without it (:mod:`derivations.kronecker_ridge`), to a
    relative residual ``rtol``; ``"auto"`` (default) is dense when ``spectral``, else the
    cheaper of the two by a flop count with CG's iterations predicted from the Marchenko-Pastur
    law (:func:`kronecker_ridge.choose_method`, which gives the measurements behind it; at
    d = 100, tau = 2 it takes CG, 40 to 50 times faster).
    ``xp``: the array module of the CG path (default numpy).  ``report``: a dict, filled with
    how the fit was made (``method``, ``form``, and for CG ``iterations``, ``residual``,
    ``kappa_predicted``, ``ritz``: the extreme eigenvalues of the preconditioned system).
    """
    if n < 1:
        raise ValueError(f"ridge_fit needs at least one example, got n = {n}")
    if method not in ("auto", "dense", "cg"):
        raise ValueError(f"method must be 'auto', 'dense' or 'cg', got {method!r}")
    chunks = [sample(rng, min(chunk, n - start)) for start in range(0, n, chunk)]
    d_x, d_v = chunks[0][0].shape[1], chunks[0][1].shape[1]
    p = d_x * d_v
    report = {} if report is None else report
    moments = None
    if method == "auto" and not spectral:
        moments = (sum(x.T @ x for x, _, _ in chunks) / n, sum(v.T @ v for _, v, _ in chunks) / n)
        kappa = kronecker_ridge.predicted_condition(n, np.linalg.eigvalsh(moments[0]), np.linalg.eigvalsh(moments[1]),
                                                    ridge)
        method = kronecker_ridge.choose_method(n, d_x, d_v, spectral, kappa, rtol)
    if method == "cg":
        if spectral:
            raise ValueError("spectral=True needs the eigenvalues of the Gram: method='dense'")
        B = _cg_fit(chunks, ridge, rtol, np if xp is None else xp, report, moments)
        if B is not None:
            return B, None
        warnings.warn(f"ridge_fit: conjugate gradients did not reach rtol = {rtol:g} in "
                      f"{report['iterations']} iterations (n = {n}, p = {p}, ridge = {ridge:g}); "
                      "solving densely instead", RuntimeWarning, stacklevel=2)
    report["method"] = "dense"
    report["form"] = "primal" if n >= p else "dual"
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


def _cg_fit(chunks, ridge, rtol, xp, report, moments=None):
    """B by :func:`kronecker_ridge.solve` on the drawn chunks (numpy), or None if CG did not
    converge; fills ``report``.  ``moments``: (S_x, S_v) if already computed."""
    X = xp.asarray(np.vstack([c[0] for c in chunks]))
    V = xp.asarray(np.vstack([c[1] for c in chunks]))
    y = xp.asarray(np.concatenate([c[2] for c in chunks]))
    # On numpy, the row blocks go to threads with one BLAS thread each; another module runs its own.
    with kronecker_ridge.blocks_on_threads() if xp is np else contextlib.nullcontext(map) as block_map:
        design = kronecker_ridge.KroneckerDesign(X, V, xp, map=block_map)
        fit = kronecker_ridge.solve(design, y, ridge, rtol=rtol, moments=moments)
    result = fit.result
    report.update(method="cg", form=fit.form, iterations=result.iterations, residual=result.residual,
                  kappa_predicted=fit.kappa, ritz=result.extreme_eigenvalues())
    if not result.converged:
        return None
    return np.asarray(getattr(xp, "asnumpy", np.asarray)(fit.B))


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


def context_statistics(rng, tasks, alpha, noise, d):
    """v_Z = (s; t) for one context per row of ``tasks`` (m x d), sampled exactly in law.

    Given w, write u_i = w.x_i with x_i ~ N(0, I_d/d) and y_i = u_i + noise^{1/2} eps_i.  Then
    (u_i, y_i) are i.i.d. Gaussian with Var u = theta = |w|^2/d, Cov(u, y) = theta,
    Var y = theta + noise, and the parts of x_i orthogonal to w are independent of them.  So

        s = (d/l) [ (sum_i y_i u_i) w / |w|^2 + sqrt(sum_i y_i^2 / d) P_perp g ],   g ~ N(0, I_d),

    t = (1/l) sum_i y_i^2, and (sum u^2, sum u y, sum y^2) is a 2 x 2 Wishart matrix with
    l = round(alpha d) degrees of freedom, drawn by Bartlett's decomposition.
    """
    m = tasks.shape[0]
    l = max(1, int(round(alpha * d)))
    norm2 = np.einsum("ij,ij->i", tasks, tasks)
    theta = norm2 / d
    # Bartlett: W = L A A^T L^T ~ Wishart_l(C), C = [[theta, theta], [theta, theta + noise]].
    l11 = np.sqrt(theta)
    l21 = np.sqrt(theta)
    l22 = np.sqrt(noise) * np.ones(m)
    a11 = np.sqrt(rng.chisquare(l, m))
    a22 = np.sqrt(rng.chisquare(l - 1, m)) if l > 1 else np.zeros(m)
    a21 = rng.standard_normal(m)
    # Rows of L A: (l11 a11, 0) and (l21 a11 + l22 a21, l22 a22).
    r1 = (l11 * a11, np.zeros(m))
    r2 = (l21 * a11 + l22 * a21, l22 * a22)
    sum_uy = r1[0] * r2[0] + r1[1] * r2[1]
    sum_yy = r2[0] ** 2 + r2[1] ** 2
    g = rng.standard_normal((m, d))
    g -= (np.einsum("ij,ij->i", g, tasks) / norm2)[:, None] * tasks
    s = (d / l) * ((sum_uy / norm2)[:, None] * tasks + np.sqrt(sum_yy / d)[:, None] * g)
    t = sum_yy / l
    return np.column_stack([s, t])


def silverstein_ridge(lam, n, p, t):
    """The renormalised ridge of a fit from Silverstein's relation for its Gram.

    With n examples, p features and t = (1/p) tr (Sigma_hat + lam)^{-1} the resolvent trace
    the fit measured, eps = lam + (eps/n) tr Sigma (Sigma + eps)^{-1} gives
    eps = lam r / (r - 1 + lam t), r = n/p; nan when ridgeless (lam = 0: no trace to read).
    """
    ratio = n / p
    return lam * ratio / (ratio - 1 + lam * t) if lam > 0 else float("nan")


def direct_test_error(rng, gamma, alpha, noise, tasks, prompts):
    """Squared errors of the readout ``gamma`` on ``prompts`` test prompts sampled token by token.

    ``gamma`` is d x d (the readout of h = s, Takanami et al.) or d x (d + 1) (of v = (s; t),
    Lu et al.); each prompt has l = round(alpha d) tokens x ~ N(0, I_d/d), labels
    y = w.x + noise^{1/2} eps, and its task w drawn uniformly from the rows of ``tasks`` (None:
    a fresh w ~ N(0, I_d)).  The brute-force check of the exact error formulas.
    """
    d = gamma.shape[0]
    l = max(1, int(round(alpha * d)))
    if tasks is None:
        w = rng.standard_normal((prompts, d))
    else:
        w = tasks[rng.integers(0, tasks.shape[0], prompts)]
    x = rng.standard_normal((prompts, l, d)) / np.sqrt(d)
    y = np.einsum("pld,pd->pl", x, w) + np.sqrt(noise) * rng.standard_normal((prompts, l))
    v = (d / l) * np.einsum("pl,pld->pd", y, x)
    if gamma.shape[1] == d + 1:
        v = np.column_stack([v, np.mean(y * y, axis=1)])
    xq = rng.standard_normal((prompts, d)) / np.sqrt(d)
    yq = np.einsum("pd,pd->p", xq, w) + np.sqrt(noise) * rng.standard_normal(prompts)
    return (yq - np.einsum("pd,de,pe->p", xq, gamma, v)) ** 2


class FitMemo:
    """Fits already made, keyed by (generator state, size, point): the facts that share a seed
    share the fits instead of redoing them.

    Owned by a paper's model object; bounded (the least recently used fit is dropped beyond
    ``size``), safe for the threads of a sweep, and pickled empty.
    """

    def __init__(self, size=4096):
        self.size = size
        self._fits = OrderedDict()
        self._lock = threading.Lock()

    def get(self, rng, d, point, fit):
        """The fit at ``(rng's state, d, point)``: ``fit()`` the first time, else the one kept.
        ``point`` must be hashable."""
        key = (repr(rng.bit_generator.state), d, point)
        with self._lock:
            if key in self._fits:
                self._fits.move_to_end(key)
                return self._fits[key]
        result = fit()
        with self._lock:
            self._fits[key] = result
            while len(self._fits) > self.size:
                self._fits.popitem(last=False)
        return result

    def __len__(self):
        return len(self._fits)

    def clear(self):
        with self._lock:
            self._fits.clear()

    def __getstate__(self):
        return {"size": self.size}

    def __setstate__(self, state):
        self.__init__(state["size"])


class InterpolationThreshold:
    """The forbidden combination tau = 1 with lam = 0, for a paper's own symbols ``tau`` and
    ``lam``: the ridgeless error diverges at the interpolation threshold (both papers)."""

    def __init__(self, tau, lam):
        self.tau, self.lam = tau, lam

    def __call__(self, values):
        tau_v, lam_v = values.get(self.tau), values.get(self.lam)
        if tau_v is not None and lam_v is not None:
            bad = np.isclose(np.asarray(tau_v)[..., None], 1.0) & (np.asarray(lam_v)[None, ...] == 0)
            if np.any(bad):
                raise UsageError(f"{self.tau}=1 with {self.lam}=0: the ridgeless error diverges at the "
                                 f"interpolation threshold {self.tau} = 1; take {self.lam} > 0 or {self.tau} != 1")

    def __repr__(self):
        return f"InterpolationThreshold({self.tau}, {self.lam})"
