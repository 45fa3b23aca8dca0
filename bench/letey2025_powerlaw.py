"""Benchmark: the d = infinity alignment error of letey2025 for power-law covariances, against
the finite-d formula by bisection at d = 200 and against the authors' Monte Carlo of the traces.

Three paths, the same grid of points (p = 0.5, test = train, alpha = alpha_test, random kappa,
tau, sigma2, lam_L = 0 with tau > 1 and tau < 1 mixed), one run:

* d = infinity: ``alignment_error_infinite`` (task resolvent by Newton on the whole grid,
  means over U by the fixed tanh-sinh rule, kernel and scalar part lambdified from the steps);
* d = infinity as ``derive eval letey2025 e_powerlaw`` (the checked steps lowered, on the points
  with tau > 1, which it covers): with its rounding-error guard (points whose bound exceeds 1e-10
  are recomputed in mpmath), and in double precision only (``guard=False``);
* finite d = 200: ``alignment_error`` point by point (bisection on M over the 200
  eigenvalues, bisection on xi), on ``--finite-points`` of the points and extrapolated per point;
* the authors' way at d = 200 (their ``theory.py``): M and the trace of the squared resolvent
  estimated from sampled task Grams (10 Grams per M, as their ``M_M2_empirical``), xi by
  ``scipy.optimize.brentq`` on the noisy objective ``xi M(xi) + tau - 1`` when tau < 1 (each
  evaluation a fresh Monte Carlo estimate), then the formula.  Run on ``--mc-points`` points and
  extrapolated per point (it is too slow for the grid).

The first two must agree to the finite-d gap (about d^-(1-p)); the Monte Carlo path's spread is
reported as the relative deviation from the finite-d formula.

    python bench/letey2025_powerlaw.py [--points 10000] [--finite-points 500] [--mc-points 20] [--seed 0]
"""

import argparse
import time

import numpy as np
from scipy import optimize

from derivations.letey2025_alignment import alignment_error
from derivations.letey2025_powerlaw import alignment_error_infinite, power_spectrum

P = 0.5


def random_points(n, seed):
    rng = np.random.default_rng(seed)
    tau = np.where(rng.random(n) < 0.5, rng.uniform(0.3, 0.8, n), rng.uniform(1.5, 4.0, n))
    return {"alpha": np.exp(rng.uniform(np.log(0.5), np.log(20), n)),
            "kappa": np.exp(rng.uniform(np.log(0.3), np.log(10), n)),
            "tau": tau, "sigma2": rng.uniform(0.0, 0.5, n)}


def authors_error(rng, train, alpha, kappa, tau, sigma2, numavg=10):
    """The authors' ICL_error (theory.py) with C_test = C_train: traces by sampled task Grams."""
    d = len(train)
    k = max(1, int(d * kappa))
    rho_tr = 1 + sigma2

    def traces(nu):
        M = M2 = 0.0
        for _ in range(numavg):
            W = rng.standard_normal((k, d)) * np.sqrt(train)
            R = np.linalg.inv(W.T @ W / k + nu * np.eye(d))
            M += np.trace(R) / d
            M2 += np.sum(R * R) / d
        return M / numavg, M2 / numavg

    if tau > 1:
        xi = 0.0
    else:
        objective = lambda x: x * traces(x + rho_tr / alpha)[0] + tau - 1
        upper = 2 * rho_tr / alpha * tau
        while objective(upper) < 0:
            upper += 1
        xi = optimize.brentq(objective, 0, upper)
    nu = rho_tr / alpha + xi
    M, M2 = traces(nu)
    Mp = -M2
    a = 1 - 1 / kappa + nu / kappa * M
    ap = (M + nu * Mp) / kappa
    F = 1 / (a * train + nu)
    F2 = F * (ap * train + 1) * F
    ce = (sigma2 + nu - nu**2 * M - xi * (1 - 2 * nu * M - nu**2 * Mp)) / (tau - (1 - 2 * xi * M - xi**2 * Mp))
    scalar = sigma2 + (1 + sigma2) / alpha * (1 + (ce - 2 * nu) * M + (xi * ce - nu**2) * Mp)
    return scalar + ce * np.mean(train * F) - (ce * xi - nu**2) * np.mean(train * F2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--finite-points", type=int, default=500)
    parser.add_argument("--mc-points", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    x = random_points(args.points, args.seed)
    d = 200
    train = power_spectrum(P, d)

    alignment_error_infinite(P, P, 2.0, 2.0, 1.5, 2.0, 0.1)   # build the derivation, lambdify once
    start = time.perf_counter()
    infinite = alignment_error_infinite(P, P, x["alpha"], x["alpha"], x["kappa"], x["tau"], x["sigma2"])["e"]
    t_inf = time.perf_counter() - start

    from derive.lower import lowered
    from derivations.letey2025_alignment import paper

    quantity = lowered(paper, "e_powerlaw")
    above = x["tau"] > 1
    grid = [x["alpha"][above], x["alpha"][above], x["kappa"][above], x["tau"][above], x["sigma2"][above], P, P]
    quantity(2.0, 2.0, 1.5, 2.0, 0.1, P, P)   # lambdify and build the error bounds' derivatives once
    start = time.perf_counter()
    guarded = quantity(*grid)
    t_guarded = time.perf_counter() - start
    start = time.perf_counter()
    raw = quantity.evaluate(*np.broadcast_arrays(*grid), guard=False)
    t_raw = time.perf_counter() - start
    agree = np.max(np.abs(guarded / infinite[above] - 1))
    agree_raw = np.max(np.abs(raw / infinite[above] - 1))

    nf = min(args.finite_points, args.points)
    start = time.perf_counter()
    finite = np.array([alignment_error(train, train, x["alpha"][i], x["alpha"][i], x["kappa"][i], x["tau"][i],
                                       x["sigma2"][i])["e"] for i in range(nf)])
    t_fin = time.perf_counter() - start

    rng = np.random.default_rng(args.seed)
    n = max(1, min(args.mc_points, args.points))
    start = time.perf_counter()
    mc = np.array([authors_error(rng, train, x["alpha"][i], x["kappa"][i], x["tau"][i], x["sigma2"][i])
                   for i in range(n)])
    t_mc = time.perf_counter() - start

    gap = np.abs(finite - infinite[:nf]) / np.abs(infinite[:nf])
    spread = np.abs(mc - finite[:n]) / np.abs(finite[:n])
    print(f"{args.points} points, p = {P}, test = train, tau < 1 and > 1 mixed, lam_L = 0")
    print("| path | points | seconds | per point | vs d = 200 formula |")
    print("|---|---|---|---|---|")
    print(f"| d = infinity, vectorised | {args.points} | {t_inf:.2f} | {t_inf / args.points * 1e6:.0f} us | "
          f"median {np.median(gap):.3f}, max {gap.max():.3f} (the d^-(1-p) gap) |")
    na = int(above.sum())
    print(f"| d = infinity, `derive eval` quantity, guarded | {na} (tau > 1) | {t_guarded:.1f} | "
          f"{t_guarded / na * 1e3:.1f} ms | (agrees with the row above to {agree:.1e}) |")
    print(f"| d = infinity, `derive eval` quantity, double only | {na} (tau > 1) | {t_raw:.1f} | "
          f"{t_raw / na * 1e3:.2f} ms | (agrees with the row above to {agree_raw:.1e}) |")
    print(f"| finite d = 200, bisection per point | {nf} (of {args.points}) | {t_fin:.1f} | "
          f"{t_fin / nf * 1e3:.0f} ms (grid: about {t_fin / nf * args.points / 60:.0f} min) | 0 |")
    print(f"| authors' Monte Carlo at d = 200 | {n} (of {args.points}) | {t_mc:.1f} | "
          f"{t_mc / n:.2f} s (grid: about {t_mc / n * args.points / 3600:.1f} h) | "
          f"median {np.median(spread):.3f}, max {spread.max():.3f} |")


if __name__ == "__main__":
    main()
