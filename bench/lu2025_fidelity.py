"""Benchmark: lu2025's ``authors`` simulation protocol against the authors' own code (issue 26).

At one point (default: the threshold point (alpha, kappa, tau, rho, lam) = (1, 0.5, 0.5, 0.01,
1e-5) of Fig. 1A) it prints the ICL and IDG errors of

* ``authors``: ``lu2025_model.simulate(..., protocol="authors")``, ``--trials`` trials at each
  ``--d``, mean and standard error, with the wall time;
* with ``--authors PATH`` (the file ``theory_runs/common.py`` of
  Pehlevan-Group/incontext-asymptotics-experiments, fetched by the user; nothing of it is in
  this repository), also their sampler ``construct_H_NEW`` fitted by ``ridge_fit``
  (``--trials`` trials), and with ``--whole N`` their whole ``errors_from_DATA`` for N trials on
  the same seed: the two share every random number (their global ``np.random`` stream, drawn in
  the same order), so trial by trial they must agree to rounding if the solve is the same.

docs/derivations/lu2025.md ("Fidelity at d = 100") gives the numbers this measured.

    PYTHONPATH=. nice -n 10 python bench/lu2025_fidelity.py --d 50,100 --trials 20 [--authors PATH --whole 1]
"""

import argparse
import importlib.util
import time

import numpy as np

from derivations import lu2025_model as model
from derivations.linear_attention import ridge_fit


def summary(name, d, icl, idg, seconds):
    icl, idg = np.asarray(icl), np.asarray(idg)
    se = (lambda a: a.std(ddof=1) / np.sqrt(len(a))) if len(icl) > 1 else (lambda a: float("nan"))
    print(f"{name:>8} d={d:<4} trials={len(icl):<4} ICL {icl.mean():.5f} +- {se(icl):.5f}   "
          f"IDG {idg.mean():.5f} +- {se(idg):.5f}   {seconds:.1f} s", flush=True)


def derive_trials(d, point, trials, seed):
    rng = np.random.default_rng(seed)
    runs = [model.simulate(rng, d, *point, spectral=False, protocol="authors") for _ in range(trials)]
    return [r["e_icl"] for r in runs], [r["e_idg"] for r in runs]


def their_sampler_trials(common, d, point, trials, seed):
    """Their tasks and their sampler (np.random, in their order), fitted by ridge_fit."""
    alpha, kappa, tau, rho, lam = point
    np.random.seed(seed)
    k, n = model.task_count(d, kappa, "authors"), model.sequences(d, kappa, tau, "authors")
    icl, idg = [], []
    for _ in range(trials):
        pool = np.random.randn(k, d)
        pool = pool / np.linalg.norm(pool, axis=1)[:, None] * np.sqrt(d)
        rows = iter(np.tile(pool, (n // k, 1)))

        def sample(rng, m):
            xs, vs, ys = [], [], []
            for _ in range(m):
                h, y = common.construct_H_NEW(next(rows).reshape(d, 1), alpha, np.sqrt(rho))
                # h = x_q v^T is rank one: split it with the direction of its last column.
                x = h[:, -1] / np.linalg.norm(h[:, -1])
                xs.append(x), vs.append(x @ h), ys.append(float(y[0]))
            return np.array(xs), np.array(vs), np.array(ys)

        gamma, _ = ridge_fit(None, n, sample, n / d * lam)
        ell = model.error_length(d, alpha, "authors")
        icl.append(model.icl_error(gamma, d, alpha, rho, sphere=True, ell=ell))
        idg.append(model.idg_error(gamma, pool, alpha, rho, ell=ell))
    return icl, idg


def their_whole_trials(common, d, point, trials, seed):
    np.random.seed(seed)
    runs = [common.errors_from_DATA(d, *point, 1) for _ in range(trials)]
    return [r[0] for r in runs], [r[2] for r in runs]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d", default="50,100")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--point", default="1,0.5,0.5,0.01,1e-5", help="alpha,kappa,tau,rho,lam")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--authors", help="path to their theory_runs/common.py")
    parser.add_argument("--whole", type=int, default=0, help="trials of their errors_from_DATA (slow: ~2 min at d = 100)")
    args = parser.parse_args()
    point = tuple(float(x) for x in args.point.split(","))
    common = None
    if args.authors:
        spec = importlib.util.spec_from_file_location("authors_common", args.authors)
        common = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(common)
    for d in (int(x) for x in args.d.split(",")):
        start = time.time()
        summary("authors", d, *derive_trials(d, point, args.trials, args.seed), time.time() - start)
        if common is None:
            continue
        start = time.time()
        summary("sampler", d, *their_sampler_trials(common, d, point, args.trials, args.seed), time.time() - start)
        if args.whole:
            mine = their_sampler_trials(common, d, point, args.whole, args.seed + 1)
            start = time.time()
            theirs = their_whole_trials(common, d, point, args.whole, args.seed + 1)
            summary("whole", d, *theirs, time.time() - start)
            print(f"{'':>8} same seed, their whole pipeline minus their sampler + ridge_fit, ICL: "
                  + " ".join(f"{a - b:+.1e}" for a, b in zip(theirs[0], mine[0])), flush=True)


if __name__ == "__main__":
    main()
