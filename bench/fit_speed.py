"""Seconds per ridge fit of linear attention (the lu2025 model): matrix-free CG against the dense path.

    python bench/fit_speed.py [--d 32,64,100] [--tau 0.5,2,4] [--lam 0.1] [--threads N] [--naive]
    python bench/fit_speed.py --big 200 | --population 64 | --takanami 64

For each (d, tau), every path fits the same n = tau d^2 sequences (drawn from one seed) with the
ridge (n/d) lam over p = d(d + 1) features, each fit in a fresh subprocess, so that its peak
memory (``resource.getrusage`` maxrss) is its own:

* cg: :func:`derivations.linear_attention.ridge_fit` with ``method="cg"``
  (:mod:`derivations.kronecker_ridge`: the primal form preconditioned by n S_x (x) S_v + r I
  when n >= p, the dual with diag(H H^T) + r otherwise);
* dense: ``method="dense"``: the Gram accumulated in chunks and solved when n >= p, the dual
  kernel (X X^T) * (V V^T) when n < p;
* naive (``--naive``): the full n x p design, then numpy.linalg.solve(H^T H + r I, H^T y).

The exact ICL and IDG errors of the fits must agree to 1e-8 relative, or no time is printed
for that row.  Seconds are the fit's alone (the sampling, the same for every path, is the
``sample`` column); ``auto`` is the path ``ridge_fit`` would take by default.  For CG the row
shows its iterations (``its``) against sqrt(kappa)/2 ln(2/rtol) (``MP its``), and the
condition it measured (``kappa``: the ratio of the extreme Ritz values of its Lanczos
tridiagonal) against two predictions: ``MP kappa``, the one the path rule uses
(:func:`kronecker_ridge.predicted_condition`; in the dual, the Marchenko-Pastur law with
S_x (x) S_v as population), and ``iso``, the isotropic Marchenko-Pastur formula
((1 + sqrt g)^2 + r')/((1 - sqrt g)^2 + r'), g = p/n (the same in the primal).

``--big D``: one CG fit at d = D, tau = 2 (the dense Gram would take p^2 doubles, 13 GB at
D = 200), its seconds and peak memory.  ``--population D``: at d = D, tau = 2, CG's iterations
with the empirical Kronecker preconditioner against the same preconditioner built from the
pool's population moments (estimated on 20 n fresh sequences).  ``--takanami D``: Takanami et
al.'s fit (same ridge_fit, features x_q (x) h, p = D^2) at their figure's point, each path.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from derivations import kronecker_ridge, linear_attention  # noqa: E402
from derivations import lu2025_model as model  # noqa: E402
from derivations import takanami2025_model as takanami_model  # noqa: E402

ALPHA, KAPPA, RHO = 1.0, 0.5, 0.01


def draws(d, tau, seed=0):
    """The pool and the n sequences' factors (chunks as ridge_fit draws them)."""
    rng = np.random.default_rng(seed)
    n = int(round(tau * d * d))
    pool = model.sample_tasks(rng, d, KAPPA)
    chunks = [model.sample_batch(rng, d, min(linear_attention.CHUNK, n - s), ALPHA, RHO, pool)
              for s in range(0, n, linear_attention.CHUNK)]
    return n, pool, chunks


def naive_fit(chunks, ridge):
    H = np.vstack([linear_attention.features(x, v) for x, v, _ in chunks])
    y = np.concatenate([c[2] for c in chunks])
    return np.linalg.solve(H.T @ H + ridge * np.eye(H.shape[1]), H.T @ y)


#: Takanami et al.'s figure point (takanami2025_figures.decomposition; its sweep's small ridge).
TAKANAMI = {"alpha": 1.5, "kappa": 1.5, "rank_ratio": 0.9, "sigma2": 0.09, "lam": 1e-6}


def takanami_draws(D, tau, seed=0):
    """Takanami et al.'s instance and n = tau D^2 sequences; the ridge lam M0 of their code."""
    rng = np.random.default_rng(seed)
    instance = takanami_model.Instance(rng, D, TAKANAMI["kappa"], TAKANAMI["rank_ratio"])
    n = int(round(tau * D * D))
    chunks = [takanami_model.sample_batch(rng, instance, min(linear_attention.CHUNK, n - s), TAKANAMI["alpha"],
                                          TAKANAMI["sigma2"]) for s in range(0, n, linear_attention.CHUNK)]
    return n, instance, chunks


def child(d, tau, lam, path, paper="lu2025"):
    """One fit in this process: its seconds, peak memory and exact errors, as JSON on stdout."""
    start = time.perf_counter()
    if paper == "lu2025":
        n, pool, chunks = draws(d, tau)
        ridge = n / d * lam
        errors = lambda gamma: {"e_icl": model.icl_error(gamma, d, ALPHA, RHO),  # noqa: E731
                                "e_idg": model.idg_error(gamma, pool, ALPHA, RHO)}
    else:
        n, instance, chunks = takanami_draws(d, tau)
        ridge = TAKANAMI["lam"] * instance.k
        errors = lambda gamma: {f"e_{X}": takanami_model.test_error(gamma, instance.second_moment(X),  # noqa: E731
                                                                    TAKANAMI["alpha"])
                                for X in takanami_model.PROTOCOLS}
    sampled = time.perf_counter() - start
    report = {}
    start = time.perf_counter()
    if path == "naive":
        gamma = naive_fit(chunks, ridge).reshape(d, -1)
    else:
        replay = iter(chunks)
        gamma, _ = linear_attention.ridge_fit(None, n, lambda rng, m: next(replay), ridge, method=path, report=report)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # kB on Linux
    result = {"seconds": seconds, "sampled": sampled, "peak_mb": peak, "errors": errors(gamma)}
    result.update({k: v for k, v in report.items() if k in ("method", "form", "iterations", "kappa_predicted", "ritz")})
    print(json.dumps(result))


def run(d, tau, lam, path, threads, paper="lu2025"):
    env = dict(os.environ)
    if threads:
        env.update(OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, __file__, "--child", f"{d},{tau},{lam},{path},{paper}"], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def auto_method(d, tau, lam):
    """The path ridge_fit takes by default, from the same numbers it uses, and the isotropic
    Marchenko-Pastur condition ((1 + sqrt g)^2 + r')/((1 - sqrt g)^2 + r')."""
    n, _, chunks = draws(d, tau)
    a = np.linalg.eigvalsh(sum(x.T @ x for x, _, _ in chunks) / n)
    c = np.linalg.eigvalsh(sum(v.T @ v for _, v, _ in chunks) / n)
    ridge, p = n / d * lam, d * (d + 1)
    kappa = kronecker_ridge.predicted_condition(n, a, c, ridge)
    isotropic = kronecker_ridge.condition_number(p / n, kronecker_ridge.scaled_ridge(ridge, n, a.sum(), c.sum(), p))
    return kronecker_ridge.choose_method(n, d, d + 1, False, kappa), isotropic


def agree(a, b):
    return max(abs(a["errors"][k] - b["errors"][k]) / abs(b["errors"][k]) for k in b["errors"])


def table(args):
    paths = ["cg", "dense"] + (["naive"] if args.naive else [])
    print(f"threads: {args.threads or 'BLAS default'}; lam = {args.lam}; kappa = {KAPPA}, alpha = {ALPHA}, "
          f"rho = {RHO}; seconds per fit (sampling apart), peak MB of the fit's process")
    print(f"{'d':>4} {'tau':>4} {'n':>6} {'p':>6} {'form':>6} {'auto':>5} {'sample':>7} {'cg s':>7} {'dense s':>8}"
          + (f" {'naive s':>8}" if args.naive else "")
          + f" {'dense/cg':>8} {'cg MB':>6} {'dense MB':>8} {'its':>4} {'MP its':>6} {'kappa':>6} {'MP kappa':>8}"
          f" {'iso':>6} {'|de|/e':>7}")
    for d in [int(v) for v in args.d.split(",")]:
        for tau in [float(v) for v in args.tau.split(",")]:
            results = {path: run(d, tau, args.lam, path, args.threads) for path in paths}
            cg, dense = results["cg"], results["dense"]
            error = max(agree(results[path], dense) for path in paths)
            if error > 1e-8:
                print(f"{d:4d} {tau:4g}: the fits' test errors differ by {error:.1e} relative; no timing")
                continue
            n, p = int(round(tau * d * d)), d * (d + 1)
            low, high = cg["ritz"]
            predicted = kronecker_ridge.predicted_iterations(cg["kappa_predicted"])
            naive = f" {results['naive']['seconds']:8.2f}" if args.naive else ""
            auto, isotropic = auto_method(d, tau, args.lam)
            print(f"{d:4d} {tau:4g} {n:6d} {p:6d} {cg['form']:>6} {auto:>5} "
                  f"{cg['sampled']:7.2f} {cg['seconds']:7.2f} {dense['seconds']:8.2f}{naive} "
                  f"{dense['seconds'] / cg['seconds']:7.1f}x {cg['peak_mb']:6.0f} {dense['peak_mb']:8.0f} "
                  f"{cg['iterations']:4d} {predicted:6.0f} {high / low:6.1f} {cg['kappa_predicted']:8.1f} "
                  f"{isotropic:6.1f} {error:7.0e}", flush=True)


def big(args):
    d, tau = args.big, 2.0
    result = run(d, tau, args.lam, "cg", args.threads)
    n, p = int(round(tau * d * d)), d * (d + 1)
    low, high = result["ritz"]
    print(f"d = {d}, tau = {tau}: n = {n}, p = {p} (a dense Gram: {p * p * 8 / 1e9:.1f} GB); CG "
          f"{result['seconds']:.1f} s for the fit ({result['sampled']:.1f} s sampling), peak "
          f"{result['peak_mb']:.0f} MB, {result['iterations']} iterations "
          f"(predicted {kronecker_ridge.predicted_iterations(result['kappa_predicted']):.0f}), kappa {high / low:.1f} "
          f"(Marchenko-Pastur {result['kappa_predicted']:.1f}); "
          + ", ".join(f"{k} = {v:.6f}" for k, v in result["errors"].items()))


def population(args):
    """Iterations with the empirical factors against the pool's population moments."""
    d, tau = args.population, 2.0
    n, pool, chunks = draws(d, tau)
    X = np.vstack([c[0] for c in chunks])
    V = np.vstack([c[1] for c in chunks])
    y = np.concatenate([c[2] for c in chunks])
    rng = np.random.default_rng(1)
    fresh = [model.sample_batch(rng, d, 8192, ALPHA, RHO, pool) for _ in range(20 * n // 8192 + 1)]
    S_v = sum(v.T @ v for _, v, _ in fresh) / sum(len(v) for _, v, _ in fresh)
    moments = (np.eye(d) / d, S_v)                     # E x x^T = I/d exactly
    design = kronecker_ridge.KroneckerDesign(X, V)
    ridge = n / d * args.lam
    for name, given in (("empirical S_x (x) S_v", None), ("population E xx^T (x) E vv^T", moments)):
        fit = kronecker_ridge.solve(design, y, ridge, moments=given)
        low, high = fit.result.extreme_eigenvalues()
        print(f"d = {d}, tau = {tau}, {name:30s}: {fit.result.iterations} iterations, kappa {high / low:.1f}")


def takanami(args):
    """Takanami et al.'s fit (the same ridge_fit) at D, tau = 2.25: each path, and the default."""
    D, tau = args.takanami, 2.25
    results = {path: run(D, tau, 0.0, path, args.threads, "takanami2025") for path in ("cg", "dense", "auto")}
    error = max(agree(results[path], results["dense"]) for path in results)
    cg = results["cg"]
    print(f"takanami2025, D = {D}, tau = {tau}, {TAKANAMI}: n = {int(round(tau * D * D))}, p = {D * D}; "
          f"cg {cg['seconds']:.2f} s ({cg['iterations']} iterations), dense {results['dense']['seconds']:.2f} s, "
          f"default ({results['auto']['method']}) {results['auto']['seconds']:.2f} s; "
          f"test errors agree to {error:.0e}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d", default="32,64,100")
    parser.add_argument("--tau", default="0.5,2,4")
    parser.add_argument("--lam", type=float, default=0.1)
    parser.add_argument("--big", type=int, default=0, help="one CG fit at this d, tau = 2 (0: none)")
    parser.add_argument("--population", type=int, default=0, help="compare preconditioners at this d (0: none)")
    parser.add_argument("--takanami", type=int, default=0, help="Takanami et al.'s fit at this D (0: none)")
    parser.add_argument("--threads", type=int, default=0, help="BLAS threads of the fits (0: BLAS's default)")
    parser.add_argument("--naive", action="store_true", help="also the full design and numpy.linalg.solve")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        d, tau, lam, path, *paper = args.child.split(",")
        return child(int(d), float(tau), float(lam), path, *paper)
    if args.takanami:
        return takanami(args)
    if args.population:
        return population(args)
    if args.big:
        return big(args)
    table(args)


if __name__ == "__main__":
    main()
