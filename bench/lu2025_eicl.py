"""Benchmark: the vectorised e_ICL of lu2025 (lam > 0) against per-point root finding.

All three paths evaluate the same sympy expressions (the derivation's own), on the same random
points, and must agree to 1e-10 relative before any time is reported:

* vectorised: ``derive.lower.lower_quantity`` (safeguarded Newton on the whole grid at once);
* baseline A: per point, ``mpmath.findroot`` (Anderson, bracketed) at 15 digits, then the
  formula in mpmath;
* baseline B: per point, bisection in Python floats to 1e-14 relative, then the formula with
  the ``math`` module.

It also times the vectorised evaluation with and without its guard (``evaluate(guard=False)``),
the rounding-error bound that sends points double precision cannot deliver to mpmath.

    python bench/lu2025_eicl.py [--points 10000] [--seed 0]
"""

import argparse
import time

import mpmath
import numpy as np
import sympy as sp

from derive.lower import closed_form, implicit_root, lower_quantity
from derive.registry import load


def random_points(n, seed):
    rng = np.random.default_rng(seed)
    return (np.exp(rng.uniform(np.log(0.2), np.log(50), n)),   # alpha
            np.exp(rng.uniform(np.log(0.1), np.log(10), n)),   # kappa
            np.exp(rng.uniform(np.log(0.1), np.log(5), n)),    # tau
            rng.uniform(0.0, 1.0, n),                          # rho
            np.exp(rng.uniform(np.log(1e-3), np.log(3), n)))   # lam > 0


def best_of(repeats, work):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - start)
    return min(times), value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    D = load("lu2025")
    fast = lower_quantity(D, "e_icl")
    quantity = D.quantities["e_icl"]
    params = quantity.parameters
    eps = next(iter(quantity.implicit))
    # The residual of the step eps is solved from, as the lowered quantity uses it.
    equation = implicit_root(D, quantity, eps).equation
    formula = closed_form(D, "e_icl")
    f_math = sp.lambdify((eps,) + params, equation, modules="math")
    e_math = sp.lambdify(params + (eps,), formula, modules="math")
    f_mp = sp.lambdify((eps,) + params, equation, modules="mpmath")
    e_mp = sp.lambdify(params + (eps,), formula, modules="mpmath")

    points = random_points(args.points, args.seed)
    t_fast, values = best_of(3, lambda: fast(*points))
    # The guard (the rounding-error bound of every point, derive.roundoff, and mpmath for the
    # points it flags) against the same evaluation without it: best of five each, in one run.
    t_guarded, guarded = best_of(5, lambda: fast.evaluate(*points))
    t_raw, raw = best_of(5, lambda: fast.evaluate(*points, guard=False))
    if not np.allclose(guarded, raw, rtol=1e-12, atol=0):
        raise SystemExit("the guard changed an ordinary point: it should only have added its bound")

    def bracket(f, lam):
        lo, hi = lam / 2, 1 + 2 * lam
        while f(hi) > 0:
            hi *= 2
        return lo, hi

    def baseline_mpmath():
        out = np.empty(args.points)
        with mpmath.workdps(15):
            for i, p in enumerate(zip(*points)):
                f = lambda u: f_mp(u, *p)
                root = mpmath.findroot(f, bracket(f, p[4]), solver="anderson")
                out[i] = float(e_mp(*p, root))
        return out

    def baseline_bisection():
        out = np.empty(args.points)
        for i, p in enumerate(zip(*points)):
            f = lambda u: f_math(u, *p)
            lo, hi = bracket(f, p[4])
            while hi - lo > 1e-14 * hi:
                mid = 0.5 * (lo + hi)
                if f(mid) > 0:
                    lo = mid
                else:
                    hi = mid
            out[i] = e_math(*p, 0.5 * (lo + hi))
        return out

    t_mp, reference_mp = best_of(1, baseline_mpmath)
    t_bis, reference_bis = best_of(1, baseline_bisection)
    for name, reference in (("mpmath.findroot", reference_mp), ("bisection", reference_bis)):
        error = np.max(np.abs(values - reference) / np.maximum(1, np.abs(reference)))
        if not error < 1e-10:
            raise SystemExit(f"disagreement with {name}: {error:.2e} relative")
    print(f"points: {args.points}, all three paths agree to 1e-10 relative")
    print(f"{'path':36s} {'seconds':>10s} {'per point':>12s} {'ratio':>8s}")
    print(f"{'vectorised (derive)':36s} {t_fast:10.4f} {t_fast / args.points * 1e6:10.2f}us {1:8.0f}")
    print(f"{'baseline A: mpmath.findroot per point':36s} {t_mp:10.2f} {t_mp / args.points * 1e6:10.1f}us "
          f"{t_mp / t_fast:8.0f}x")
    print(f"{'baseline B: bisection per point':36s} {t_bis:10.2f} {t_bis / args.points * 1e6:10.1f}us "
          f"{t_bis / t_fast:8.0f}x")
    print(f"guard (rounding-error bound, mpmath at flagged points): evaluate {t_guarded:.4f}s with, "
          f"{t_raw:.4f}s without: {t_guarded / t_raw:.2f}x")


if __name__ == "__main__":
    main()
