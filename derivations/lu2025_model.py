"""The model of Lu et al. (PNAS 2025), simulated at finite d: tokens, tasks, ridge fit, errors.

Data.  Tokens x ~ N(0, I_d/d); tasks w ~ N(0, I_d); labels y = w.x + noise, noise ~ N(0, rho).
Pretraining uses k = kappa d tasks drawn once (kappa = inf: a fresh task per sequence) and
n = tau d^2 sequences of l = alpha d context tokens, each with a task drawn uniformly from the
pool.  Linear attention reads y_hat = x_q^T Gamma v_Z with v_Z = (s; t),
s = (d/l) sum_i y_i x_i, t = (1/l) sum_i y_i^2, so with h = vec(x_q v_Z^T) = x_q (x) v_Z the fit
is ridge regression (:func:`linear_attention.ridge_fit`)

    vec Gamma* = (sum h h^T + (n/d) lam I)^{-1} sum h y_q           (Lu et al.; their code compute_Gamma_star)

over p = d(d + 1) features.

The context statistic is sampled exactly in law (:func:`linear_attention.context_statistics`,
shared with Takanami et al.'s model): a sequence costs O(d) whatever its length l.

Test errors of a fitted Gamma, exactly (no test sampling).  e(Gamma) = rho + (1/d) E|w - Gamma v|^2
with, given w and theta = |w|^2/d (the authors' gen_err_analytical_NEW has theta = 1; re-derived
with Isserlis' theorem, see docs/derivations/lu2025.md):

    E[v]       = (w; theta + rho)
    E[s s^T]   = (theta + rho)/alpha I + (1 + 1/l) w w^T
    E[s t]     = (theta + rho)(1 + 2/l) w
    E[t^2]     = (theta + rho)^2 (1 + 2/l)

ICL averages these over w ~ N(0, I_d) (E theta = 1, E theta^2 = 1 + 2/d, E theta w w^T = (1 + 2/d) I);
IDG averages them over the k pretraining tasks.
"""

from __future__ import annotations

import math

import numpy as np

from .linear_attention import context_statistics, ridge_fit, silverstein_ridge


def sample_tasks(rng, d, kappa):
    """The pretraining task pool, k x d with k = round(kappa d); ``None`` when kappa is infinite."""
    if math.isinf(kappa):
        return None
    k = max(1, int(round(kappa * d)))
    return rng.standard_normal((k, d))


def sample_batch(rng, d, m, alpha, rho, pool):
    """m pretraining examples as the factors of their features h = x_q (x) v_Z: (x_q (m x d),
    v_Z (m x (d + 1)), y_q (m))."""
    if pool is None:
        tasks = rng.standard_normal((m, d))
    else:
        tasks = pool[rng.integers(0, pool.shape[0], m)]
    v = context_statistics(rng, tasks, alpha, rho, d)
    xq = rng.standard_normal((m, d)) / np.sqrt(d)
    yq = np.einsum("ij,ij->i", xq, tasks) + np.sqrt(rho) * rng.standard_normal(m)
    return xq, v, yq


def fit(rng, d, alpha, kappa, tau, rho, lam, pool=None, spectral=False):
    """Ridge fit of Gamma on n = tau d^2 sequences (:func:`linear_attention.ridge_fit`); returns
    (Gamma, t, pool).

    With ``spectral``, t = (1/p) tr (Sigma_hat + lam)^{-1}, Sigma_hat = (d/n) sum h h^T, is
    returned too (nan otherwise, and when lam = 0).
    """
    n = max(1, int(round(tau * d * d)))
    if pool is None and not math.isinf(kappa):
        pool = sample_tasks(rng, d, kappa)
    gamma, spectrum = ridge_fit(rng, n, lambda rng, m: sample_batch(rng, d, m, alpha, rho, pool), n / d * lam,
                                spectral)
    t = float("nan")
    if spectrum is not None and lam > 0:
        t = float(np.mean(1.0 / (d / n * np.clip(spectrum, 0, None) + lam)))
    return gamma, t, pool


def icl_error(gamma, d, alpha, rho):
    """Exact ICL error of Gamma for a fresh Gaussian task w ~ N(0, I_d)."""
    l = max(1, int(round(alpha * d)))
    gs, gt = gamma[:, :d], gamma[:, d]
    second_s = (1 + rho) / alpha + 1 + 1 / l
    second_t = (1 + 2 / l) * (1 + 2 / d + 2 * rho + rho ** 2)
    quad = second_s * np.sum(gs * gs) + second_t * np.sum(gt * gt)
    return float(rho + 1 - 2 * np.trace(gs) / d + quad / d)


def idg_error(gamma, pool, alpha, rho):
    """Exact IDG error of Gamma for a task drawn uniformly from the pretraining pool."""
    k, d = pool.shape
    l = max(1, int(round(alpha * d)))
    gs, gt = gamma[:, :d], gamma[:, d]
    theta = np.einsum("ij,ij->i", pool, pool) / d
    R = pool.T @ pool / k
    mean_tw = (theta + rho) @ pool / k                    # E[(theta + rho) w]
    cross = np.trace(gs @ R) + gt @ mean_tw               # tr(Gamma E[v w^T])
    ss = np.mean(theta + rho) / alpha * np.sum(gs * gs) + (1 + 1 / l) * np.sum((gs @ R) * gs)
    st = 2 * (1 + 2 / l) * (gs @ mean_tw) @ gt
    tt = (1 + 2 / l) * np.mean((theta + rho) ** 2) * (gt @ gt)
    mean_norm2 = d * np.mean(theta)                       # E|w|^2
    return float(rho + (mean_norm2 - 2 * cross + ss + st + tt) / d)


def simulate(rng, d, alpha, kappa, tau, rho, lam, spectral=True, pool=None):
    """One trial: fit Gamma at size d and return its errors (and, with ``spectral``, the
    resolvent trace t and the renormalised ridge it implies).  ``pool`` gives the pretraining
    tasks (default: kappa d tasks drawn N(0, I))."""
    gamma, t, pool = fit(rng, d, alpha, kappa, tau, rho, lam, pool=pool, spectral=spectral)
    e_icl = icl_error(gamma, d, alpha, rho)
    if pool is None:
        e_idg = e_icl  # kappa = inf: every test task is as fresh as in pretraining
    else:
        e_idg = idg_error(gamma, pool, alpha, rho)
    # The renormalised ridge from Silverstein's relation for this Gram: n sequences, p = d(d + 1)
    # features (n/p -> tau as d -> infinity).
    eps = silverstein_ridge(lam, round(tau * d * d), d * (d + 1), t)
    return {"e_icl": e_icl, "e_idg": e_idg, "t": t, "eps": eps}


def attention_readout(W, v22, Z):
    """y_hat of one-layer linear attention, read at entry (d+1, l+1), computed from the tokens.

    Z is (d+1) x (l+1) with columns z_i = (x_i; y_i) and the query column (x_q; 0); W is the
    (d+1) x d block of K^T Q acting on x_q and v22 the value weight of the label:
    y_hat = (1/l) sum_{i<=l} (v22 y_i) (z_i^T W x_q)   (Lu et al., the reduction to a linear model).
    """
    d = W.shape[1]
    l = Z.shape[1] - 1
    xq = Z[:d, l]
    return float(sum(v22 * Z[d, i] * (Z[:, i] @ W @ xq) for i in range(l)) / l)


def features_from_tokens(x, y, xq):
    """H_Z = x_q [ (d/l) sum y_i x_i^T, (1/l) sum y_i^2 ] from raw context tokens (l x d)."""
    l, d = x.shape
    v = np.concatenate([(d / l) * (y @ x), [np.mean(y * y)]])
    return np.outer(xq, v)


def token_dataset(rng, d, alpha, rho, n, pool):
    """n pretraining sequences sampled token by token: (H (n x d x (d+1)), y_q (n))."""
    l = max(1, int(round(alpha * d)))
    H = np.empty((n, d, d + 1))
    yq = np.empty(n)
    for m in range(n):
        w = pool[rng.integers(0, pool.shape[0])] if pool is not None else rng.standard_normal(d)
        x = rng.standard_normal((l, d)) / np.sqrt(d)
        y = x @ w + np.sqrt(rho) * rng.standard_normal(l)
        xq = rng.standard_normal(d) / np.sqrt(d)
        H[m] = features_from_tokens(x, y, xq)
        yq[m] = xq @ w + np.sqrt(rho) * rng.standard_normal()
    return H, yq
