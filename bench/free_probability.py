"""derive.rmt against RMTool (Python port, `pip install rmtool`), side by side on the same laws.

For each law: the time to build the curve, whether the two curves agree (their ratio is a
constant), the time for the density on 10^4 points, how far the densities are apart, the mass
each density carries, whether the exact moments agree, and the L1 distance of each density to a
histogram of sampled matrices.  RMTool picks the root of largest imaginary part up to degree 3,
and above returns every root for the user to isolate; its heuristic `PdfInfo.best_density` is
used there.

    python bench/free_probability.py            # N = 2000, 4 trials for the histogram
"""

from __future__ import annotations

import functools
import sys
import time
import warnings

import numpy as np
import sympy as sp

try:
    import rmtool
except ImportError:  # the benchmark's only extra
    sys.exit("bench/free_probability.py needs RMTool: pip install rmtool")

from derive.rmt import marchenko_pastur, semicircle, spectrum
from derive.rmt.algebraic import m, z
from derive.rmt.sampling import sample_matrix

HALF, QUARTER = sp.Rational(1, 2), sp.Rational(1, 4)
VALUES, WEIGHTS = [0, 1, 3, 7], [sp.Rational(1, 8), sp.Rational(3, 8), QUARTER, QUARTER]

LAWS = [
    ("MP(1/2)", lambda: marchenko_pastur(HALF), lambda: rmtool.wishartpol(HALF), (-0.5, 3.5)),
    ("MP(1/2) * MP(1/4)", lambda: marchenko_pastur(HALF) * marchenko_pastur(QUARTER),
     lambda: rmtool.AtimesB(rmtool.wishartpol(HALF), rmtool.wishartpol(QUARTER)), (-0.5, 4.5)),
    ("SC(1) + MP(1/2)", lambda: semicircle(1) + marchenko_pastur(HALF),
     lambda: rmtool.AplusB(rmtool.wignerpol(), rmtool.wishartpol(HALF)), (-2.5, 4.5)),
    ("MP(1/2) * MP(1/4) * MP(1/2)", lambda: marchenko_pastur(HALF) * marchenko_pastur(QUARTER) * marchenko_pastur(HALF),
     lambda: rmtool.AtimesB(rmtool.AtimesB(rmtool.wishartpol(HALF), rmtool.wishartpol(QUARTER)),
                            rmtool.wishartpol(HALF)), (-0.5, 7.5)),
    ("4 atoms + SC(1/16)", lambda: spectrum(VALUES, WEIGHTS) + semicircle(sp.Rational(1, 16)),
     lambda: rmtool.AplusB(rmtool.atomLmz(VALUES, WEIGHTS), rmtool.scaleA(rmtool.wignerpol(), QUARTER)),
     (-1.0, 8.0)),
]


def timed(f):
    start = time.perf_counter()
    value = f()
    return value, time.perf_counter() - start


def same_curve(P, Q):
    return not sp.cancel(sp.expand(P) / sp.expand(Q)).has(m, z)


def histogram_distance(law, xs, density, size=2000, trials=4, seed=0):
    """L1 distance between ``density`` on ``xs`` and a histogram of sampled eigenvalues."""
    rng = np.random.default_rng(seed)
    eigenvalues = np.concatenate([np.linalg.eigvalsh(sample_matrix(law, rng, size)) for _ in range(trials)])
    edges = np.linspace(xs[0], xs[-1], 91)
    counts, _ = np.histogram(eigenvalues, bins=edges)
    empirical = counts / (len(eigenvalues) * np.diff(edges))
    centres = (edges[:-1] + edges[1:]) / 2
    return float(np.sum(np.abs(np.interp(centres, xs, np.nan_to_num(density)) - empirical) * np.diff(edges)))


def main():
    warnings.simplefilter("ignore")
    print(f"{'law':30s} {'deg':>3s} {'curve s d/r':>13s} {'same':>5s} {'density 1e4 s d/r':>18s} "
          f"{'r/d':>5s} {'max|diff|':>9s} {'mass d/r':>15s} {'moments':>7s} {'L1 to MC d/r':>13s}")
    for name, ours, theirs, (a, b) in LAWS:
        law, build_ours = timed(ours)
        curve, build_theirs = timed(theirs)
        xs = np.linspace(a, b, 10_000)
        density, time_ours = timed(functools.partial(law.density, xs))
        info, time_theirs = timed(functools.partial(rmtool.Lmz2pdf, curve, xs))
        degree = int(sp.degree(curve, m))
        theirs_density = info.best_density() if degree > 3 else info.density
        theirs_density = np.nan_to_num(np.asarray(theirs_density, dtype=float))
        moments_ours = [sp.nsimplify(v) for v in law.moments(6)]
        moments_theirs = [sp.nsimplify(v) for v in rmtool.Lmz2MomS(curve, 6)]
        agree = moments_ours[:len(moments_theirs)] == moments_theirs[:len(moments_ours)]
        print(f"{name:30s} {degree:3d} {build_ours:6.2f}/{build_theirs:<6.2f} {same_curve(law.curve, curve)!s:>5s} "
              f"{time_ours:8.2f}/{time_theirs:<9.2f} {time_theirs / time_ours:5.2f} "
              f"{np.max(np.abs(density - theirs_density)):9.1e} "
              f"{np.trapezoid(density, xs):7.4f}/{np.trapezoid(theirs_density, xs):<7.4f} {agree!s:>7s} "
              f"{histogram_distance(law, xs, density):6.3f}/{histogram_distance(law, xs, theirs_density):<6.3f}")
    print("d = derive, r = rmtool (its density: the root of largest Im for degree <= 3, PdfInfo.best_density "
          "above);\nL1 to MC: distance to a histogram of sampled matrices, N = 2000, 4 trials")

if __name__ == "__main__":
    main()
