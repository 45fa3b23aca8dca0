"""Seconds per ridge fit of linear attention (the lu2025 model), derive against a naive baseline.

    python bench/fit_speed.py [--d 32,64,100] [--tau 0.5,2] [--repeats 1]

For each (d, tau), both paths fit the same n = tau d^2 sequences (replayed from one seed) with
the ridge (n/d) lam, lam = 0.1, over p = d(d + 1) features:

* derive: :func:`derivations.linear_attention.ridge_fit` through ``lu2025_model.fit``: the dual kernel
  (X X^T) * (V V^T) when n < p, else the Gram accumulated in chunks by BLAS syrk and a Cholesky
  solve;
* naive: the full n x p design H, then numpy.linalg.solve(H^T H + r I, H^T y).

The two solutions must agree to 1e-8 relative, or nothing is printed for that row.  Sampling
the sequences is timed separately (it is the same for both paths) and included in both totals.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from derivations import linear_attention as ridge  # noqa: E402
from derivations import lu2025_model as model  # noqa: E402

ALPHA, KAPPA, RHO, LAM = 1.0, 0.5, 0.01, 0.1


def draws(d, tau, seed):
    """The pool and the n sequences' factors, drawn once and replayed by both paths."""
    rng = np.random.default_rng(seed)
    n = int(round(tau * d * d))
    pool = model.sample_tasks(rng, d, KAPPA)
    chunks = [model.sample_batch(rng, d, min(ridge.CHUNK, n - s), ALPHA, RHO, pool)
              for s in range(0, n, ridge.CHUNK)]
    return n, chunks


def derive_fit(d, n, chunks):
    replay = iter(chunks)
    gamma, _ = ridge.ridge_fit(None, n, lambda rng, m: next(replay), n / d * LAM)
    return gamma.ravel()


def naive_fit(d, n, chunks):
    H = np.vstack([ridge.features(x, v) for x, v, _ in chunks])
    y = np.concatenate([c[2] for c in chunks])
    return np.linalg.solve(H.T @ H + n / d * LAM * np.eye(H.shape[1]), H.T @ y)


def timed(function, *args, repeats=1):
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function(*args)
        best = min(best, time.perf_counter() - start)
    return best, value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d", default="32,64,100")
    parser.add_argument("--tau", default="0.5,2")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{'d':>4} {'tau':>4} {'n':>6} {'p':>6} {'form':>6} {'sample s':>9} {'derive s':>9} "
          f"{'naive s':>9} {'ratio':>7}")
    for d in [int(v) for v in args.d.split(",")]:
        for tau in [float(v) for v in args.tau.split(",")]:
            sampled, (n, chunks) = timed(draws, d, tau, 0)
            p = d * (d + 1)
            t_derive, ours = timed(derive_fit, d, n, chunks, repeats=args.repeats)
            t_naive, theirs = timed(naive_fit, d, n, chunks, repeats=args.repeats)
            error = np.max(np.abs(ours - theirs)) / np.max(np.abs(theirs))
            if error > 1e-8:
                print(f"{d:4d} {tau:4g}: the two solutions differ by {error:.1e} relative; no timing")
                continue
            total_derive, total_naive = sampled + t_derive, sampled + t_naive
            print(f"{d:4d} {tau:4g} {n:6d} {p:6d} {'dual' if n < p else 'primal':>6} {sampled:9.2f} "
                  f"{total_derive:9.2f} {total_naive:9.2f} {total_naive / total_derive:6.1f}x", flush=True)


if __name__ == "__main__":
    main()
