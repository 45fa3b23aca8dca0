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

Simulation protocols (:data:`PROTOCOLS`, ``derive mc lu2025 --protocol NAME``): how the
pretraining tasks are drawn and shared out among the n sequences.  ``derive``, the default, is
the model above.  ``authors`` is the convention of the authors' archived simulations
(``errors_from_DATA`` in ``theory_runs/common.py`` of their code release, see
docs/derivations/lu2025.md): every task is rescaled to |w| = sqrt(d) (theta = 1), each of the
k = floor(kappa d) tasks is given n/k sequences, n = k round(tau d^2/k) (kappa = inf: n =
floor(tau d^2) fresh rescaled tasks), contexts have floor(alpha d) tokens while the error
formula reads l = alpha d, and the ICL error is that of a test task with |w| = sqrt(d) too
(E theta^2 = 1, their ``gen_err_analytical_NEW`` with R = I).  The integer conventions are the
code's (``np.int64`` truncates, ``np.round``): :func:`task_count`, :func:`sequences`,
:func:`context_length`.  The two protocols agree as d -> infinity; at finite d they differ by
O(1/d) (tests/test_lu2025.py).
"""

from __future__ import annotations

import math

import numpy as np

from .linear_attention import context_statistics, ridge_fit, silverstein_ridge


#: The simulation protocols of this model: name -> what it does; the first is the default.
#: (Not test protocols: both test the same ICL and IDG errors.)
PROTOCOLS = {
    "derive": "Gaussian tasks w ~ N(0, I_d); n = round(tau d^2) sequences, each with a pool task "
              "drawn uniformly at random (default)",
    "authors": "tasks rescaled to |w| = sqrt(d); each of the k = floor(kappa d) tasks given n/k sequences, "
               "n = k round(tau d^2/k); floor(alpha d) context tokens (Lu et al.'s archived simulations)",
}


def _protocol(protocol):
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown simulation protocol {protocol!r}; known: {', '.join(PROTOCOLS)}")
    return protocol


def on_sphere(tasks):
    """The rows of ``tasks`` rescaled to norm sqrt(d) (the authors' tasks, theta = |w|^2/d = 1)."""
    d = tasks.shape[1]
    return tasks * (np.sqrt(d) / np.linalg.norm(tasks, axis=1))[:, None]


def task_count(d, kappa, protocol="derive"):
    """k, the size of the task pool: round(kappa d); under ``authors`` floor(kappa d), the
    code's ``K = np.int64(kappa * d)`` (``errors_from_DATA``), the same float product truncated.
    At least 1 (the authors' code would divide by K = 0)."""
    k = int(kappa * d) if _protocol(protocol) == "authors" else int(round(kappa * d))
    return max(1, k)


def context_length(d, alpha, protocol="derive"):
    """l, the tokens of a sampled context: round(alpha d); under ``authors`` floor(alpha d), the
    code's ``N = np.int64(alpha * d)`` (``construct_H_NEW``).  (Their error formula reads
    ``ell = d * alpha`` unrounded: :func:`error_length`.)"""
    l = int(alpha * d) if _protocol(protocol) == "authors" else int(round(alpha * d))
    return max(1, l)


def error_length(d, alpha, protocol="derive"):
    """The context length the exact errors use: the sampled one, or under ``authors`` the
    unrounded alpha d of their ``gen_err_analytical_NEW`` (``ell = d*alpha``)."""
    return alpha * d if _protocol(protocol) == "authors" else context_length(d, alpha)


def sample_tasks(rng, d, kappa, protocol="derive"):
    """The pretraining task pool, k x d with k = :func:`task_count`; ``None`` when kappa is infinite."""
    if math.isinf(kappa):
        return None
    tasks = rng.standard_normal((task_count(d, kappa, protocol), d))
    return on_sphere(tasks) if _protocol(protocol) == "authors" else tasks


def sequences(d, kappa, tau, protocol="derive"):
    """n, the number of pretraining sequences: round(tau d^2), or under ``authors`` the code's
    n = rp k with rp = round(tau d^2/k) and k = floor(kappa d), so that every task is given the
    same number rp (``errors_from_DATA``: ``np.round``, half to even as Python's ``round``);
    kappa = inf: n = floor(tau d^2), their ``K = np.int64(tau * d**2)``, ``rp = 1``."""
    if _protocol(protocol) == "derive":
        return max(1, int(round(tau * d * d)))
    if math.isinf(kappa):
        return max(1, int(tau * d ** 2))
    k = task_count(d, kappa, protocol)
    return k * max(1, int(round(tau * d ** 2 / k)))


def task_draw(d, pool, protocol="derive"):
    """``draw(rng, m)``: the tasks of the next m pretraining sequences (m x d).

    ``derive``: each a pool task chosen uniformly at random (kappa = inf, ``pool`` None: a fresh
    Gaussian task).  ``authors``: the pool's tasks in turn, so that n sequences drawn in
    consecutive calls use each task n/k times when k divides n (kappa = inf: a fresh task
    rescaled to |w| = sqrt(d)); the ridge fit does not depend on the order of its sequences.

    Both draw the same random numbers (``authors`` draws the uniform choices too, and discards
    them): with one generator and the same n the two protocols share every context, query and
    noise draw, and the difference of their results is the protocol's alone (common random
    numbers: tests/test_lu2025.py measures it at a few d).
    """
    if _protocol(protocol) == "derive":
        if pool is None:
            return lambda rng, m: rng.standard_normal((m, d))
        return lambda rng, m: pool[rng.integers(0, pool.shape[0], m)]
    if pool is None:
        return lambda rng, m: on_sphere(rng.standard_normal((m, d)))
    used = 0

    def in_turn(rng, m):
        nonlocal used
        rng.integers(0, pool.shape[0], m)  # the draws of ``derive``, unused (docstring)
        index = np.arange(used, used + m) % pool.shape[0]
        used += m
        return pool[index]

    return in_turn


def sample_batch(rng, d, m, alpha, rho, pool, draw=None):
    """m pretraining examples as the factors of their features h = x_q (x) v_Z: (x_q (m x d),
    v_Z (m x (d + 1)), y_q (m)); their tasks come from ``draw`` (default: :func:`task_draw` of
    the ``derive`` protocol on ``pool``)."""
    tasks = (draw or task_draw(d, pool))(rng, m)
    v = context_statistics(rng, tasks, alpha, rho, d)
    xq = rng.standard_normal((m, d)) / np.sqrt(d)
    yq = np.einsum("ij,ij->i", xq, tasks) + np.sqrt(rho) * rng.standard_normal(m)
    return xq, v, yq


def fit(rng, d, alpha, kappa, tau, rho, lam, pool=None, spectral=False, protocol="derive"):
    """Ridge fit of Gamma on n = tau d^2 sequences (:func:`linear_attention.ridge_fit`; n as
    :func:`sequences` rounds it under the simulation ``protocol``); returns (Gamma, t, pool).

    With ``spectral``, t = (1/p) tr (Sigma_hat + lam)^{-1}, Sigma_hat = (d/n) sum h h^T, is
    returned too (nan otherwise, and when lam = 0).
    """
    n = sequences(d, kappa, tau, protocol)
    if pool is None and not math.isinf(kappa):
        pool = sample_tasks(rng, d, kappa, protocol)
    draw = task_draw(d, pool, protocol)
    # The context length enters the sampler through alpha: l = round(alpha_s d) = context_length.
    alpha_s = context_length(d, alpha, protocol) / d
    gamma, spectrum = ridge_fit(rng, n, lambda rng, m: sample_batch(rng, d, m, alpha_s, rho, pool, draw), n / d * lam,
                                spectral)
    t = float("nan")
    if spectrum is not None and lam > 0:
        t = float(np.mean(1.0 / (d / n * np.clip(spectrum, 0, None) + lam)))
    return gamma, t, pool


def icl_error(gamma, d, alpha, rho, sphere=False, ell=None):
    """Exact ICL error of Gamma for a fresh Gaussian task w ~ N(0, I_d) (E theta^2 = 1 + 2/d), or
    with ``sphere`` for a task uniform on |w| = sqrt(d) (theta = 1: the authors' ICL error).
    ``ell``: the context length of the 1/l terms (default round(alpha d); :func:`error_length`)."""
    l = max(1, int(round(alpha * d))) if ell is None else ell
    gs, gt = gamma[:, :d], gamma[:, d]
    theta2 = 1.0 if sphere else 1 + 2 / d
    second_s = (1 + rho) / alpha + 1 + 1 / l
    second_t = (1 + 2 / l) * (theta2 + 2 * rho + rho ** 2)
    quad = second_s * np.sum(gs * gs) + second_t * np.sum(gt * gt)
    return float(rho + 1 - 2 * np.trace(gs) / d + quad / d)


def idg_error(gamma, pool, alpha, rho, ell=None):
    """Exact IDG error of Gamma for a task drawn uniformly from the pretraining pool (``ell`` as
    in :func:`icl_error`)."""
    k, d = pool.shape
    l = max(1, int(round(alpha * d))) if ell is None else ell
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


def simulate(rng, d, alpha, kappa, tau, rho, lam, spectral=True, pool=None, protocol="derive"):
    """One trial: fit Gamma at size d and return its errors (and, with ``spectral``, the
    resolvent trace t and the renormalised ridge it implies).  ``pool`` gives the pretraining
    tasks (default: kappa d tasks drawn as the simulation ``protocol`` says)."""
    gamma, t, pool = fit(rng, d, alpha, kappa, tau, rho, lam, pool=pool, spectral=spectral, protocol=protocol)
    ell = error_length(d, alpha, protocol)
    e_icl = icl_error(gamma, d, alpha, rho, sphere=protocol == "authors", ell=ell)
    if pool is None:
        e_idg = e_icl  # kappa = inf: every test task is as fresh as in pretraining
    else:
        e_idg = idg_error(gamma, pool, alpha, rho, ell=ell)
    # The renormalised ridge from Silverstein's relation for this Gram: n sequences, p = d(d + 1)
    # features (n/p -> tau as d -> infinity).
    eps = silverstein_ridge(lam, sequences(d, kappa, tau, protocol), d * (d + 1), t)
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
