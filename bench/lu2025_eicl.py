"""Benchmark: the vectorised e_ICL of lu2025 (lam > 0) against per-point root finding.

All three paths evaluate the same sympy expressions (the derivation's own), on the same random
points, and must agree to 1e-10 relative before any time is reported:

* vectorised: ``derive.lower.lower_quantity`` (safeguarded Newton on the whole grid at once);
* baseline A: per point, ``mpmath.findroot`` (Anderson, bracketed) at 15 digits, then the
  formula in mpmath;
* baseline B: per point, bisection in Python floats to 1e-14 relative, then the formula with
  the ``math`` module;
* baseline C: per point, ``scipy.optimize.brentq`` (rtol 1e-14) on the residual in the ``math``
  module, then the formula.

Then what ``derive eval`` does on a grid of ``--points`` points, timed in-process (no start-up):
the guarded evaluation and the CSV text (``derive.output.csv_text``, the one formatter of
``derive eval``) written to a file, against the same with the per-value formatting loop
``derive eval`` had before (one ``repr`` and one ``iscomplexobj`` per value). Its marginal cost
a point is compared with each baseline's. The per-point baselines run on the first
``--baseline-points`` points (their cost a point does not depend on how many).

It also times the vectorised evaluation with and without its guard (``evaluate(guard=False)``),
the rounding-error bound that sends points double precision cannot deliver to mpmath.

    python bench/lu2025_eicl.py [--points 10000] [--baseline-points 10000] [--seed 0]
"""

import argparse
import os
import tempfile
import time

import mpmath
import numpy as np
import sympy as sp

from scipy.optimize import brentq

from derive.lower import closed_form, implicit_root, lower_quantity
from derive.output import csv_text
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
    parser.add_argument("--baseline-points", type=int, default=10_000)
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

    m = min(args.baseline_points, args.points)
    head = [column[:m] for column in points]

    def baseline_mpmath():
        out = np.empty(m)
        with mpmath.workdps(15):
            for i, p in enumerate(zip(*head)):
                f = lambda u: f_mp(u, *p)
                root = mpmath.findroot(f, bracket(f, p[4]), solver="anderson")
                out[i] = float(e_mp(*p, root))
        return out

    def baseline_bisection():
        out = np.empty(m)
        for i, p in enumerate(zip(*head)):
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

    def baseline_brentq():
        out = np.empty(m)
        for i, p in enumerate(zip(*head)):
            f = lambda u: f_math(u, *p)
            out[i] = e_math(*p, brentq(f, *bracket(f, p[4]), xtol=1e-300, rtol=1e-14))
        return out

    t_mp, reference_mp = best_of(1, baseline_mpmath)
    t_bis, reference_bis = best_of(1, baseline_bisection)
    t_brent, reference_brent = best_of(1, baseline_brentq)
    for name, reference in (("mpmath.findroot", reference_mp), ("bisection", reference_bis),
                            ("brentq", reference_brent)):
        error = np.max(np.abs(values[:m] - reference) / np.maximum(1, np.abs(reference)))
        if not error < 1e-10:
            raise SystemExit(f"disagreement with {name}: {error:.2e} relative")
    print(f"points: {args.points} (baselines on the first {m}), all four paths agree to 1e-10 relative")
    print(f"{'path':44s} {'seconds':>10s} {'per point':>12s} {'ratio':>8s}")
    print(f"{'vectorised (derive)':44s} {t_fast:10.4f} {t_fast / args.points * 1e6:10.2f}us {1:8.0f}")
    baselines = (("baseline A: mpmath.findroot per point", t_mp), ("baseline B: bisection per point", t_bis),
                 ("baseline C: scipy brentq per point", t_brent))
    for label, seconds in baselines:
        print(f"{label:44s} {seconds:10.2f} {seconds / m * 1e6:10.1f}us "
              f"{seconds / m / (t_fast / args.points):8.0f}x")
    print(f"guard (rounding-error bound, mpmath at flagged points): evaluate {t_guarded:.4f}s with, "
          f"{t_raw:.4f}s without: {t_guarded / t_raw:.2f}x")
    eval_with_csv(fast, points, "random points", baselines, m)
    eval_with_csv(fast, product_grid(args.points), "product grid", baselines, m)


def product_grid(n):
    """About ``n`` points of a product of equal ranges, as ``derive eval a=lo:hi:k ...`` makes."""
    k = max(2, round(n ** 0.2))
    axes = (np.linspace(0.2, 50, k), np.linspace(0.1, 10, k), np.linspace(0.1, 5, k),
            np.linspace(0, 1, k), np.linspace(1e-3, 3, k))
    return tuple(column.ravel() for column in np.meshgrid(*axes, indexing="ij"))


def old_csv_text(names, columns):
    """The formatting loop of ``derive eval`` before ``csv_text``: one ``repr`` and one
    ``iscomplexobj`` a value (commit 3002708)."""
    *parameters, result = columns
    header = [str(p) for p in names]
    lines = [",".join(header) + "\n"]
    for i in range(len(result)):
        row = []
        for c in parameters:
            row += [repr(float(c[i].real)), repr(float(c[i].imag))] if np.iscomplexobj(c) else [repr(float(c[i]))]
        row.append(repr(float(result[i])))
        lines.append(",".join(row) + "\n")
    return "".join(lines)


def eval_with_csv(fast, points, label, baselines, m):
    """``derive eval``'s work after start-up: the guarded evaluation, the CSV text, the file."""
    names = [*map(str, fast.parameters), "e_icl"]
    n = len(points[0])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "e_icl.csv")

        def run(formatter):
            result = fast.evaluate(*points)
            text = formatter(names, [*points, result])
            with open(path, "w") as handle:
                handle.write(text)
            return text

        t_new, new = best_of(3, lambda: run(csv_text))
        t_old, old = best_of(1, lambda: run(old_csv_text))
    if new != old:
        raise SystemExit("csv_text does not write what the old loop wrote")
    per_point = t_new / n
    print(f"eval + CSV file, {label} ({n} points): {t_new:.3f}s ({per_point * 1e6:.2f}us a point); "
          f"with the old formatting loop {t_old:.3f}s ({t_old / t_new:.1f}x); the same bytes")
    print("  per-point baselines / eval + CSV: " + ", ".join(
        f"{label.split(':')[0].replace('baseline ', '')} {seconds / m / per_point:.0f}x" for label, seconds in baselines))


if __name__ == "__main__":
    main()
