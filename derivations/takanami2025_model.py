"""The model of Takanami, Takahashi, Kabashima (2025) at finite D: low-rank tasks, ridge fit, errors.

Data (as in the authors' code; docs/derivations/takanami2025.md).  Tokens x ~ N(0, I_D/D).  Tasks lie
in a fixed r-dimensional subspace: w = sqrt(D/r) A v, v ~ N(0, I_r), A^T A = I_r (A from the QR
of a Gaussian matrix), so E w w^T = C = P_A / rho with rho = r/D.  A pool of M0 = kappa D tasks
is drawn once; each of the M = tau D^2 pretraining sequences of L = alpha D tokens uses a pool
task chosen uniformly.  Labels y = w.x + sigma eps, eps ~ N(0, 1).  Linear attention reads
y_hat = x_q^T Gamma h with h = (D/L) sum_l y_l x_l (no extra sum y^2 column: Gamma is D x D),
so the fit is ridge regression on the features x_q (x) h:

    Gamma* = argmin sum_mu (y_mu - x_mu^T Gamma h_mu)^2 + lam M0 |Gamma|_F^2     (the code's lam M0)

The context statistic h is sampled exactly in law (:func:`linear_attention.context_statistics`,
shared with Lu et al.'s model; O(D) a sequence).

Test errors of a fitted Gamma, exactly (no test sampling).  For a test task w and a test context
of L~ tokens with noise variance s2, h~ = (D/L~)(X^T X w + s X^T eps) has E h~ = w and

    E h~ h~^T = (1 + 1/L~) w w^T + (|w|^2/D + s2)(D/L~) I          (Wishart: E W A W = L(L+1)A + L tr(A) I)

so for test tasks of second moment C (averaged over the tasks, the error is linear in C)

    e(Gamma; C) = s2 + (1/D)[ tr (I - Gamma) C (I - Gamma)^T + (1/L~) tr Gamma C Gamma^T
                              + (tr C / D + s2)(D/L~) |Gamma|_F^2 ].

The test protocols (which tasks the error is measured on; not the *simulation* protocols of
``derive mc --protocol``, which say how the training data are drawn: this model offers only the
default, ``derive``, since it already follows Takanami et al.'s code): TM, C = S (the pool's second
moment, exactly); IDG, C = P_A/rho (a fresh task of
the subspace); ODG, C = I, which is the exact mean over a fresh uniformly random subspace A'
(E A'A'^T = (r/D) I) and also the isotropic task of the softmax experiment.
"""

from __future__ import annotations

import numpy as np

from .linear_attention import context_statistics, ridge_fit

#: Test protocols (not simulation protocols: ``Simulator.protocols``) and the name of their
#: test-task second moment.
PROTOCOLS = ("tm", "idg", "odg")


class Instance:
    """One draw of the fixed structure: the subspace A (D x r) and the task pool (M0 x D)."""

    def __init__(self, rng, D, kappa, rank_ratio):
        self.D = D
        self.r = max(1, int(round(rank_ratio * D)))
        self.k = max(1, int(round(kappa * D)))
        self.A = np.linalg.qr(rng.standard_normal((D, self.r)))[0]
        self.pool = np.sqrt(D / self.r) * rng.standard_normal((self.k, self.r)) @ self.A.T
        #: S = (1/M0) sum_i w_i w_i^T, the pool's second moment.
        self.S = self.pool.T @ self.pool / self.k

    def second_moment(self, protocol):
        """The test-task second moment C of a protocol (module docstring)."""
        if protocol == "tm":
            return self.S
        if protocol == "idg":
            return self.A @ self.A.T * (self.D / self.r)
        if protocol == "odg":
            return np.eye(self.D)
        raise ValueError(f"unknown protocol {protocol!r}; known: {', '.join(PROTOCOLS)}")


def sample_batch(rng, instance, m, alpha, sigma2):
    """m pretraining examples as the factors of their features x_q (x) h: (x_q, h, y_q)."""
    D = instance.D
    tasks = instance.pool[rng.integers(0, instance.k, m)]
    h = context_statistics(rng, tasks, alpha, sigma2, D)[:, :D]
    xq = rng.standard_normal((m, D)) / np.sqrt(D)
    yq = np.einsum("ij,ij->i", xq, tasks) + np.sqrt(sigma2) * rng.standard_normal(m)
    return xq, h, yq


def fit(rng, instance, alpha, tau, sigma2, lam, spectral=False):
    """Gamma* on M = tau D^2 sequences with the penalty lam M0 |Gamma|^2; returns (Gamma, t).

    With ``spectral``, t = (1/p) tr (Sigma_hat + lam_L)^{-1} for Sigma_hat = (D/M) sum h h^T,
    p = D^2 and lam_L = kappa lam / tau the ridge in the convention of Lu et al. (nan otherwise).
    """
    D = instance.D
    n = max(1, int(round(tau * D * D)))
    gamma, spectrum = ridge_fit(rng, n, lambda rng, m: sample_batch(rng, instance, m, alpha, sigma2),
                                lam * instance.k, spectral)
    t = float("nan")
    if spectrum is not None and lam > 0:
        lam_lu = lam * instance.k / n * D
        t = float(np.mean(1.0 / (D / n * np.clip(spectrum, 0, None) + lam_lu)))
    return gamma, t


def test_error(gamma, C, alpha_test, sigma2_test=0.0):
    """The exact error of Gamma for test tasks of second moment C (module docstring)."""
    D = gamma.shape[0]
    L = max(1, int(round(alpha_test * D)))
    residual = np.eye(D) - gamma
    bias = np.sum((residual @ C) * residual)
    spread = np.sum((gamma @ C) * gamma) / L
    isotropic = (np.trace(C) / D + sigma2_test) * (D / L) * np.sum(gamma * gamma)
    return float(sigma2_test + (bias + spread + isotropic) / D)


def order_parameters(gamma, instance):
    """The overlaps of Gamma with the task directions (the order parameters of the authors' code)."""
    D, r, S, A = instance.D, instance.r, instance.S, instance.A
    GA = gamma @ A
    return {"m_bar": np.trace(gamma) / D, "q_bar": np.sum(gamma * gamma) / D,
            "m": np.sum(gamma * S) / D, "q": np.sum((gamma @ S) * gamma) / D,
            "m_0": np.sum(A * GA) / r, "q_0": np.sum(GA * GA) / r}
