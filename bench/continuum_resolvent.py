"""Accuracy and speed of the task resolvent M, M' for laws that are not algebraic.

    python bench/continuum_resolvent.py [--points 10000] [--repeats 3] [--quick]

Accuracy: on a grid of (p, kappa, nu), ``derive.rmt.silverstein.task_resolvent`` for C of law
``powerlaw(p)`` against a 50-digit reference: ``m_C(-t) = int_0^1 du/((1 - p)(1 - u)^{-p} + t)``
and ``m_C'(-t)`` by mpmath quadrature at 50 digits, the fixed point
``a = 1 - 1/kappa + nu m_C(-nu/a)/(a kappa)`` by mpmath's Newton from the float solution, then
M and M' by the same formulas.  Two paths are measured: ``PowerLaw(p)`` (closed forms: Taylor
series, scipy's real 2F1) and the same law given only by its quantile function
(``QuantileLaw``, the generic tanh-sinh quadrature).  The reference itself is checked against
the closed form 2F1 of mpmath (the last column).

Speed: seconds for ``--points`` random grid points (kappa in [0.1, 10], nu in [1e-3, 10],
log-uniform) of M and M' at once, the median of ``--repeats`` runs, for each path, for a finite
spectrum of d = 1000 eigenvalues, and for the three alignment means of two power laws.
"""

from __future__ import annotations

import argparse
import itertools
import time

import mpmath as mp
import numpy as np

from derive.rmt.continuum import Eigenvalues, PowerLaw, QuantileLaw
from derive.rmt.silverstein import alignment_means, task_resolvent


def reference(p, kappa, nu, start):
    """(M, M') at 50 digits, the fixed point solved from the float value ``start`` of a."""
    with mp.workdps(50):
        p, kappa, nu = mp.mpf(p), mp.mpf(kappa), mp.mpf(nu)

        def stieltjes(t, power):
            # u -> 1 - v^8 near u = 1 smooths the (1 - u)^p end for the quadrature.
            f = lambda v: 8 * v**7 / ((1 - p) * v ** (-8 * p) + t) ** power
            g = lambda u: 1 / ((1 - p) * (1 - u) ** (-p) + t) ** power
            return mp.quad(g, [0, mp.mpf(1) / 2]) + mp.quad(f, [0, (mp.mpf(1) / 2) ** (mp.mpf(1) / 8)])

        def phi(a):
            return a - 1 + (1 - nu * stieltjes(nu / a, 1) / a) / kappa

        a = mp.findroot(phi, mp.mpf(start), tol=mp.mpf(10) ** -45)
        t = nu / a
        M, P0 = stieltjes(t, 1) / a, stieltjes(t, 2) / a**2
        P1 = (M - nu * P0) / a
        M_prime = -(P0 + M * P1 / kappa) / (1 + nu * P1 / kappa)
        closed = mp.hyp2f1(1, 1 + 1 / p, 2 + 1 / p, -t / (1 - p)) / ((1 - p) * (1 + p))
        return M, M_prime, abs(closed / stieltjes(t, 1) - 1)


def accuracy(quick):
    ps = (0.2, 0.5, 0.8) if quick else (0.1, 0.3, 0.5, 0.7, 0.9)
    kappas = (0.5, 2.0) if quick else (0.2, 0.5, 1.0, 2.0, 5.0)
    nus = (1e-3, 0.1, 10.0) if quick else (1e-3, 1e-2, 0.1, 1.0, 10.0)
    worst = {"powerlaw": [0.0, 0.0], "quantile": [0.0, 0.0]}
    worst_check = 0.0
    for p, kappa, nu in itertools.product(ps, kappas, nus):
        closed = task_resolvent(PowerLaw(p), kappa, nu)
        generic_law = QuantileLaw(lambda u, ubar, p=p: (1 - p) * ubar**-p, support=(1 - p, np.inf), two_sided=True)
        generic = task_resolvent(generic_law, kappa, nu)
        M, M_prime, check = reference(p, kappa, nu, float(closed.a))
        worst_check = max(worst_check, float(check))
        for name, result in (("powerlaw", closed), ("quantile", generic)):
            errors = (abs(float(result.M) / M - 1), abs(float(result.M_prime) / M_prime - 1))
            worst[name] = [max(w, float(e)) for w, e in zip(worst[name], errors)]
    count = len(ps) * len(kappas) * len(nus)
    print(f"grid: p in {ps}, kappa in {kappas}, nu in {nus} ({count} points)")
    print("| path | worst relative error of M | of M' |")
    print("|---|---|---|")
    for name, (m, mp_) in worst.items():
        print(f"| {name} | {m:.1e} | {mp_:.1e} |")
    print(f"(the 50-digit quadrature against mpmath's 2F1: worst {worst_check:.1e})")


def speed(points, repeats):
    rng = np.random.default_rng(0)
    kappa = 10 ** rng.uniform(-1, 1, points)
    nu = 10 ** rng.uniform(-3, 1, points)
    p = 0.5
    d = 1000
    laws = {"PowerLaw(0.5)": PowerLaw(p),
            "QuantileLaw (tanh-sinh)": QuantileLaw(lambda u, ubar: (1 - p) * ubar**-p, support=(1 - p, np.inf),
                                                   two_sided=True),
            f"Eigenvalues (d = {d})": Eigenvalues((1 - p) * (np.arange(1, d + 1) / d) ** -p)}
    print(f"| {points} points | seconds (median of {repeats}) |")
    print("|---|---|")
    for name, law in laws.items():
        print(f"| M, M' for {name} | {_median_seconds(lambda: task_resolvent(law, kappa, nu), repeats):.2f} |")
    train, test = PowerLaw(0.5), PowerLaw(0.3)
    a = rng.uniform(0.1, 1, points)
    for aligned in (True, False):
        seconds = _median_seconds(lambda: alignment_means(train, test, a, nu, aligned), repeats)
        print(f"| alignment means F1, F2, F2l, powerlaw(0.5) vs powerlaw(0.3), "
              f"{'aligned' if aligned else 'anti-aligned'} | {seconds:.2f} |")


def _median_seconds(run, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a 3 x 2 x 3 accuracy grid instead of 5 x 5 x 5")
    args = parser.parse_args()
    accuracy(args.quick)
    speed(args.points, args.repeats)


if __name__ == "__main__":
    main()
