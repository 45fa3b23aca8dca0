"""The model of Bordelon, Letey & Pehlevan (2025) at finite size: deep linear self-attention
on in-context regression, and the L steps of preconditioned gradient descent it reduces to.

Data (the ISO setting).  A context holds P = alpha D labelled examples and K test points,
x ~ N(0, I_D), a task beta ~ N(0, I_D) drawn afresh for each context, labels
y = beta.x / sqrt(D) + sigma eps with eps ~ N(0, 1).

Model (the paper's Section 2, as its Appendix B states it).  Tokens enter the residual stream of
width N as h_mu = W_x x_mu + w_y y_mu (training tokens) and h_* = W_x x_* (test tokens, no
label).  Each of the L layers adds

    h_mu <- h_mu + (1/(L P)) sum_{nu <= P} M_{mu nu} (k_nu . q_mu) v_nu,
    k = W_k h, q = W_q h, v = W_v h,

with the mask M = -1 on training rows and +1 on test rows (training tokens carry residuals,
test tokens accumulate predictions), and the prediction is f_* = w_o . h_* after L layers.

Reduction (the paper's reduced-Gamma model).  Under the alignment W_x^T w_y = 0,
W_x^T w_o = 0, W_v = a w_y w_y^T (so values write only along w_y), the x part of every token
stays W_x x, and the readout is

    f_* = (1/(L P)) x_*^T Gamma sum_{l < L} (I - Sigma_hat Gamma / L)^l X^T y,
    Gamma = a (w_o . w_y) (W_x^T W_k^T W_q W_x)^T,   Sigma_hat = X^T X / P,

which is L steps of preconditioned gradient descent w <- w + (Gamma/L) X^T (y - X w)/P from
w = 0 (:func:`gd_predict`).  :func:`attention_predict` runs the layers themselves;
:func:`aligned_weights` draws random weights with that alignment and returns their Gamma.

Risk.  ``iso_risk`` measures E (f_* - beta.x_*/sqrt(D))^2, the ICL error without the
irreducible label noise sigma^2 of the test label (the paper's loss; the noisy test error is
this plus sigma^2), by the actual forward pass on K test tokens per context.
"""

from __future__ import annotations

import numpy as np


def context(rng, d, alpha, sigma2):
    """One ISO context: X (P x D), its labels y, and the task scaled as the labels see it,
    beta/sqrt(D) (the test target is x_*^T beta/sqrt(D))."""
    p = max(1, int(round(alpha * d)))
    beta = rng.standard_normal(d) / np.sqrt(d)
    x = rng.standard_normal((p, d))
    y = x @ beta + np.sqrt(sigma2) * rng.standard_normal(p)
    return x, y, beta


def aligned_weights(rng, d, width, gamma=None, rotate=True):
    """Random weights (W_x, w_y, w_o, W_k, W_q, W_v) of a residual stream of ``width`` >= d + 1
    with the alignment of the reduced-Gamma model, and the Gamma they implement.

    W_x and w_y are orthonormal columns of a random rotation (W_x^T w_y = 0); w_o = w_y;
    W_v = a w_y w_y^T.  Keys and queries read the x part only (W_k and W_q vanish on w_y, so
    the labels carried along w_y never enter k . q).  W_k is random on the x part; W_q solves
    W_x^T W_k^T W_q W_x = Gamma^T / a for the ``gamma`` given (a D x D matrix, or a number for
    gamma I), or is random when None.

    The readout w_o = w_y is the normalisation under which the reduced-Gamma form holds as
    written: with w_o . w_y = c the residual recursion runs with a W_x^T W_k^T W_q W_x while the
    output is c times the test-token sum, f = c f_GD.

    ``rotate=False`` takes the canonical basis and W_k the identity on the x part (no QR and no
    pseudo-inverse: the risk simulations' weights, where the rotation changes nothing)."""
    if not rotate:
        return _canonical_weights(rng, d, width, gamma)
    basis, _ = np.linalg.qr(rng.standard_normal((width, width)))
    w_x, w_y = basis[:, :d], basis[:, d]
    a = rng.uniform(0.5, 2.0)
    w_o = w_y
    w_v = a * np.outer(w_y, w_y)
    on_x = w_x @ w_x.T                           # the projection on the x part of the stream
    w_k = rng.standard_normal((width, width)) / np.sqrt(width) @ on_x
    if gamma is None:
        w_q = rng.standard_normal((width, width)) / np.sqrt(width) @ on_x
    else:
        target = np.eye(d) * gamma if np.isscalar(gamma) else np.asarray(gamma)
        # W_q = (W_k W_x)^{+T} (Gamma^T / a) W_x^T: then W_x^T W_k^T W_q W_x = Gamma^T / a, since
        # W_k W_x has full column rank and W_x^T W_x = I; W_q w_y = 0.
        w_q = np.linalg.pinv(w_k @ w_x).T @ (target.T / a) @ w_x.T
    # k_nu . q_mu = x_nu^T W_x^T W_k^T W_q W_x x_mu: as a gradient step on the context's least
    # squares this is the preconditioner's transpose (equal for a symmetric Gamma, the ISO one).
    gamma_matrix = a * (w_o @ w_y) * (w_x.T @ w_k.T @ w_q @ w_x).T
    return (w_x, w_y, w_o, w_k, w_q, w_v), gamma_matrix


def _canonical_weights(rng, d, width, gamma):
    """Aligned weights in the canonical basis: x in the first D coordinates, y in the next."""
    a = rng.uniform(0.5, 2.0)
    target = np.eye(d) * gamma if np.isscalar(gamma) else np.asarray(gamma)
    w_x = np.eye(width)[:, :d]
    w_y = np.eye(width)[:, d]
    w_k = np.zeros((width, width))
    w_k[:d, :d] = np.eye(d)
    w_q = np.zeros((width, width))
    w_q[:d, :d] = target.T / a
    weights = (w_x, w_y, w_y, w_k, w_q, a * np.outer(w_y, w_y))
    return weights, a * (w_x.T @ w_k.T @ w_q @ w_x).T


def attention_predict(weights, x, y, x_test, layers):
    """The L-layer masked linear self-attention forward pass: predictions at the test tokens."""
    w_x, w_y, w_o, w_k, w_q, w_v = weights
    p = x.shape[0]
    train = x @ w_x.T + np.outer(y, w_y)       # P x N
    test = x_test @ w_x.T                       # K x N
    for _ in range(layers):
        keys, values = train @ w_k.T, train @ w_v.T
        # Both updates read the layer's input (the training tokens before this layer's update).
        train_update = -(train @ w_q.T) @ keys.T @ values / (layers * p)
        test_update = (test @ w_q.T) @ keys.T @ values / (layers * p)
        train, test = train + train_update, test + test_update
    return test @ w_o


def gd_predict(gamma, x, y, x_test, layers):
    """L steps of preconditioned gradient descent on (1/2P)|y - X w|^2 from w = 0, step Gamma/L."""
    p, d = x.shape
    gamma = np.eye(d) * gamma if np.isscalar(gamma) else gamma
    w = np.zeros(d)
    for _ in range(layers):
        w = w + gamma @ (x.T @ (y - x @ w)) / (layers * p)
    return x_test @ w


def iso_risk(rng, d, alpha, sigma2, gamma, layers, width=None):
    """One context's ICL risk E_x* (f_* - beta.x_*/sqrt(D))^2 of the L-layer attention with
    Gamma = gamma I, exact over the test input x_* ~ N(0, I_D): the forward pass is linear in
    the test token, f_* = x_*^T w, so running it on the D basis queries reads w, and the risk
    is |w - beta/sqrt(D)|^2.  Returns the risk and the context's X (for its spectrum)."""
    weights, _ = aligned_weights(rng, d, width or d + 2, gamma=gamma, rotate=False)
    x, y, beta = context(rng, d, alpha, sigma2)
    w = attention_predict(weights, x, y, np.eye(d), layers)
    return float(np.sum((w - beta) ** 2)), x


def iso_risk_formula(eigenvalues, alpha, sigma2, gamma, layers):
    """The ISO risk at finite D given the spectrum of Sigma_hat, averaged over beta, eps and x_*:
    (1/D) sum q^(2L) + (sigma^2/alpha)(1/D) sum (1 - q^L)^2/lambda, q = 1 - gamma lambda/L
    ((1 - q^L)^2/lambda is a polynomial in lambda, finite at lambda = 0)."""
    lam = np.asarray(eigenvalues)
    q = 1 - gamma * lam / layers
    bias = q ** (2 * layers)
    filtered = 1 - q**layers
    # (1 - q^L)/lambda = (gamma/L) sum_{l<L} q^l, exact at lambda = 0 too.
    quotient = gamma / layers * sum(q**j for j in range(layers))
    return float(np.mean(bias) + sigma2 / alpha * np.mean(filtered * quotient))


def narrow_weights(rng, d, n, gamma):
    """Aligned weights of a residual stream narrower than the data: width n + 1 with n < d.

    The x part is W_x x with W_x an n x d matrix of orthonormal rows (a random rank-n
    projection of the inputs: W_x^T W_x = P, tr P = n); the label rides on the last coordinate;
    keys read the x part, queries scale it by gamma / a, so Gamma = gamma P."""
    rows, _ = np.linalg.qr(rng.standard_normal((d, n)))   # d x n, orthonormal columns
    a = rng.uniform(0.5, 2.0)
    w_x = np.zeros((n + 1, d))
    w_x[:n] = rows.T
    w_y = np.eye(n + 1)[:, n]
    w_k = np.zeros((n + 1, n + 1))
    w_k[:n, :n] = np.eye(n)
    w_q = np.zeros((n + 1, n + 1))
    w_q[:n, :n] = np.eye(n) * gamma / a
    weights = (w_x, w_y, w_y, w_k, w_q, a * np.outer(w_y, w_y))
    return weights, a * (w_x.T @ w_k.T @ w_q @ w_x).T


def narrow_risk(rng, d, alpha, sigma2, gamma, layers, width_ratio):
    """One context's ICL risk (exact over x_*) of the attention with a stream of width
    N = round(width_ratio D) < D for the inputs (plus the label coordinate)."""
    n = max(1, int(round(width_ratio * d)))
    weights, _ = narrow_weights(rng, d, n, gamma)
    x, y, beta = context(rng, d, alpha, sigma2)
    w = attention_predict(weights, x, y, np.eye(d), layers)
    return float(np.sum((w - beta) ** 2))


def iso_risks(rng, d, alpha, sigma2, gamma, depths):
    """The ICL risks (exact over x_*) of the attention at each depth in ``depths`` with
    Gamma = gamma I, all on the same context: {depth: risk}.  One context for all depths
    makes their differences less noisy than independent contexts would."""
    x, y, beta = context(rng, d, alpha, sigma2)
    risks = {}
    for depth in depths:
        weights, _ = aligned_weights(rng, d, d + 2, gamma=gamma, rotate=False)
        w = attention_predict(weights, x, y, np.eye(d), depth)
        risks[depth] = float(np.sum((w - beta) ** 2))
    return risks
