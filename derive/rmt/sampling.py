"""Random matrices with a given limiting spectral law, and the Monte Carlo check of a law.

Each operation of :mod:`derive.rmt.law` has a matrix model whose spectral law tends to the law
as the size ``N`` grows; it is the operation's :meth:`~derive.rmt.law.Law.sample`:

* ``mp(c)``: ``XX^T/k`` with ``X`` an ``N x k`` standard Gaussian matrix, ``k = round(N/c)``;
* ``semicircle(v)``: ``sqrt(v/(2N)) (G + G^T)`` (GOE);
* ``atom``, ``spectrum``: a diagonal matrix with ``round(w_i N)`` entries ``x_i``;
* ``A + B``: ``A + O B O^T`` with ``O`` Haar-orthogonal (asymptotically free of ``A``);
* ``A * B``: ``A^{1/2} O B O^T A^{1/2}`` with ``A`` the positive operand;
* ``a A``, ``A + b``, ``A^{-1}``: the same on the matrix.

This module holds what they share (:func:`haar_orthogonal`, ...), the empirical transforms, and
:func:`check_by_simulation`, which compares the resolvent trace ``(1/N) tr (X - z)^{-1}`` of such
matrices with the law's Stieltjes transform, at several ``N``, extrapolated in ``1/N``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..montecarlo import seeds, summarise
from ..solvers import bisect


def sample_matrix(law, rng, size):
    """A ``size x size`` symmetric matrix whose spectral law tends to ``law``
    (:meth:`~derive.rmt.law.Law.sample`)."""
    return law.sample(rng, size)


def sample_with_operands(law, rng, size):
    """``(X, A, B)``: a matrix of ``law`` built by a free sum or product from ``A`` and ``B``
    (``None`` for the other operations; :meth:`~derive.rmt.law.Law.sample_with_operands`)."""
    return law.sample_with_operands(rng, size)


def empirical_s_transform(eigenvalues, w):
    """The S-transform of the empirical law of nonnegative ``eigenvalues`` at ``w != 0``:
    ``S = chi (1 + w)/w`` with ``psi(chi) = w``, where ``psi(u) = mean(u x / (1 - u x))``
    increases on ``u < 1/max x``: on ``u < 0`` from ``-(1 - mass at 0)`` to 0, on
    ``0 < u < 1/max x`` from 0 to +oo.

    The empirical transform tends to the limit law's for ``-(1 - mass at 0) < w < 0`` and for
    ``0 < w < psi(1/right edge)`` of the limit (beyond it ``chi`` is pinned to ``1/max x``).
    """
    eigenvalues = np.clip(eigenvalues, 0, None)
    if w == 0:
        raise ValueError("the empirical S-transform is taken at w != 0")

    if w > 0:
        top = float(np.max(eigenvalues))
        if top == 0:
            raise ValueError(f"w = {w} is outside the range of psi for this spectrum")

        def excess(u):
            return np.mean(u * eigenvalues / (1 - u * eigenvalues)) - w if u < 1 / top else np.inf

        chi = bisect(excess, 0.0, 1 / top)
        return chi * (1 + w) / w

    def excess(u):
        return np.mean(u * eigenvalues / (1 - u * eigenvalues)) - w

    low = -1.0
    while excess(low) > 0:
        low *= 2
        if low < -1e12:
            raise ValueError(f"w = {w} is outside the range of psi for this spectrum")
    chi = bisect(excess, low, 0.0)
    return chi * (1 + w) / w


def empirical_r_transform(eigenvalues, w):
    """The R-transform of the empirical law at ``w != 0``: ``R = x - 1/w`` with
    ``G(x) = mean(1/(x - eigenvalues)) = w``, for ``x`` above the spectrum when ``w > 0`` (``G``
    decreases there from +oo to 0, and ``G <= w`` at ``x = top + 1/w``) and below it when ``w < 0``.

    The empirical transform exists at every ``w != 0``; it tends to the limit law's only for
    ``w`` inside the range of ``G`` off the limit's support, ``0 < w < G(right edge)`` (or
    ``G(left edge) < w < 0``): beyond it ``x`` is pinned to the extreme eigenvalue.
    """
    if w == 0:
        raise ValueError("the empirical R-transform is taken at w != 0")
    if w < 0:
        return -empirical_r_transform(-np.asarray(eigenvalues, dtype=float), -w)
    top = float(np.max(eigenvalues))

    def excess(x):
        return np.mean(1 / (x - eigenvalues)) - w if x > top else np.inf

    return bisect(excess, top, top + 1 / w + 1) - 1 / w


def classical_combination(a, b, additive, pairs=200_000, rng=None):
    """The spectrum of the *classical* sum or product of two laws given by samples ``a``, ``b``:
    ``a_i + b_j`` (or ``a_i b_j``) over all pairs, the law of independent commuting variables
    (``A + P B P^T`` with ``A``, ``B`` diagonal and ``P`` a random permutation, in the limit).
    More than ``pairs`` pairs are subsampled (with ``rng``)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) * len(b) > pairs:
        rng = rng or np.random.default_rng(0)
        left, right = a[rng.integers(len(a), size=pairs)], b[rng.integers(len(b), size=pairs)]
    else:
        left, right = np.repeat(a, len(b)), np.tile(b, len(a))
    return left + right if additive else left * right


def haar_orthogonal(rng, size):
    """A Haar-distributed orthogonal matrix: QR of a Gaussian matrix, signs fixed by diag(R)."""
    Q, R = np.linalg.qr(rng.standard_normal((size, size)))
    return Q * np.sign(np.diag(R))


def diagonal_entries(values, weights, size, rng):
    """The diagonal of ``size`` entries, ``values[i]`` about ``weights[i] size`` times."""
    counts = np.floor(np.asarray(weights) * size).astype(int)
    # the rounding remainder goes to the largest fractional parts, so the counts sum to size
    remainder = size - counts.sum()
    order = np.argsort(-(np.asarray(weights) * size - counts))
    counts[order[:remainder]] += 1
    return np.repeat(values, counts)


def positive_square_root(A):
    """The square root of a symmetric matrix, its negative eigenvalues (rounding) taken as 0."""
    eigenvalues, vectors = np.linalg.eigh(A)
    return (vectors * np.sqrt(np.clip(eigenvalues, 0, None))) @ vectors.T


@dataclass
class Comparison:
    """The law's ``m(z)`` against the simulated resolvent trace at one ``z``."""

    z: complex
    theory: complex
    estimates: dict  # size -> (Estimate of the real part, Estimate of the imaginary part)
    extrapolated: complex
    se: float

    @property
    def deviation(self):
        """``|simulation - theory|`` in standard errors of the extrapolation."""
        return abs(self.extrapolated - self.theory) / self.se if self.se > 0 else float("inf")


def check_by_simulation(law, zs, sizes=(100, 200, 400), trials=20, seed=0):
    """Compare ``m(z)`` with ``(1/N) tr (X - z)^{-1}`` of sampled matrices ``X``.

    For each ``z`` the trial means at each size are extrapolated to ``N = oo`` as ``a + b/N``
    (:func:`derive.montecarlo.summarise`, real and imaginary parts apart); returns one
    :class:`Comparison` per ``z``.  Matrices are shared between the ``z``: one draw per
    (size, trial), seeded by ``(seed, size, trial)``.
    """
    zs = np.asarray(zs, dtype=complex)
    sample = ResolventTraces(law, zs)
    draws = {(0, size): [sample(seeds(seed, size, trial), size, {}) for trial in range(trials)] for size in sizes}
    theory = law.stieltjes(zs)
    comparisons = []
    for i, at in enumerate(zs):
        (re_estimates, (re, re_se, _)), (im_estimates, (im, im_se, _)) = (
            summarise(draws, 0, sizes, lambda traces, part=part, i=i: part(traces[i])) for part in (np.real, np.imag))
        estimates = {n: (re_estimates[n], im_estimates[n]) for n in sizes}
        comparisons.append(Comparison(complex(at), complex(theory[i]), estimates, complex(re, im),
                                      float(np.hypot(re_se, im_se))))
    return comparisons


class ResolventTraces:
    """``(1/N) tr (X - z)^{-1}`` at every ``z`` for one sampled matrix ``X`` of the law."""

    def __init__(self, law, zs):
        self.law, self.zs = law, zs

    def __call__(self, rng, size, point):
        eigenvalues = np.linalg.eigvalsh(sample_matrix(self.law, rng, size))
        return np.mean(1 / (eigenvalues[:, None] - self.zs[None, :]), axis=0)
