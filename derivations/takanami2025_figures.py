"""The figures of Takanami et al. (2025), regenerated from the lowered formulas and the model.

Each figure function takes the paper (:class:`derive.registry.Paper`): its derivation gives the
formulas, its model the simulations.

Parameters follow the paper's Fig. 1 caption and the authors' notebooks (docs/derivations/takanami2025.md,
"Sources").  The paper's Fig. 1
uses kappa = 1.5, tau = 2.25 (gamma = 1.5), rho = 0.9, sigma = 0.3, alpha_test = alpha; its x axis
and lam are not known, so the decomposition is drawn against alpha, ridgeless.  Theory curves
are dense and computed in one vectorised call each; simulation points are ridge fits at D = 40
with 8 trials and lam = 1e-6 (``quick``: D = 12 with 3 trials, a smoke run).  The paper used
D = 60: expect a finite-size bias of a few percent at D = 40.
"""

from __future__ import annotations

import numpy as np

from derive.figures import Curve, Figure, Panel
from derive.lower import lower_quantity
from derive.montecarlo import Estimate, sweep

#: The sweep's small ridge: the ridgeless theory is its limit, and it keeps the solve well posed.
LAM_SIM = 1e-6


def _point(alpha, kappa, rank_ratio, tau, sigma2, lam=LAM_SIM, alpha_test=None):
    return {"alpha": alpha, "alpha_test": alpha if alpha_test is None else alpha_test, "kappa": kappa,
            "rank_ratio": rank_ratio, "tau": tau, "sigma2": sigma2, "lam": lam, "sigma2_test": 0.0}


def _simulate(paper, points, quick, seed, observables):
    """Mean and standard error of each observable at each point."""
    D, trials = (12, 3) if quick else (40, 8)
    draws = sweep(paper.model.sample, points, (D,), trials, seed, label="figure simulations")
    return [{k: Estimate.of([run[k] for run in draws[i, D]]) for k in observables}
            for i in range(len(points))], D


def _evaluate(paper, name, **values):
    """A lowered quantity on broadcast arrays given by parameter name."""
    f = lower_quantity(paper.derivation(), name)
    return f(*[values[str(p)] for p in f.parameters])


def _points_curve(label, x, estimates):
    return Curve(label, np.asarray(x, dtype=float), np.array([e.mean for e in estimates]),
                 np.array([e.se for e in estimates]), style="points")


def decomposition(paper, quick=False, seed=0):
    """Fig. 1: each protocol's error and its algorithmic, task-shaped and isotropic parts."""
    kappa, rank_ratio, tau, sigma2 = 1.5, 0.9, 2.25, 0.09
    alpha = np.geomspace(0.2, 50, 600)
    alpha_sim = [0.5, 1.0, 2.0, 4.0] if quick else [0.5, 1.0, 2.0, 4.0, 8.0]
    points = [_point(a, kappa, rank_ratio, tau, sigma2) for a in alpha_sim]
    results, D = _simulate(paper, points, quick, seed, ("e_tm", "e_idg", "e_odg"))
    common = dict(alpha=alpha, alpha_test=alpha, kappa=kappa, rank_ratio=rank_ratio, tau=tau, sigma2=sigma2,
                  lam=0.0, sigma2_test=0.0)
    panels = []
    for protocol in ("tm", "idg", "odg"):
        panel = Panel(f"{protocol.upper()}: kappa = 1.5, tau = 2.25, rho = 0.9, sigma^2 = 0.09",
                      "alpha = L/D (= alpha_test)", f"e_{protocol.upper()}", xscale="log", yscale="log")
        panel.curves.append(Curve("total", alpha, _evaluate(paper, f"e_{protocol}", **common)))
        for part, label in (("alg", "algorithmic (signal)"), ("noise_task", "task-shaped noise"),
                            ("noise_iso", "isotropic noise")):
            panel.curves.append(Curve(label, alpha, _evaluate(paper, f"e_{protocol}_{part}", **common)))
        panel.curves.append(_points_curve(f"total (sim, D = {D})", alpha_sim,
                                          [r[f"e_{protocol}"] for r in results]))
        panels.append(panel)
    return Figure("decomposition", "Error decomposition: algorithmic signal and two noises (Takanami et al. "
                  "Fig. 1)", panels, caption="Ridgeless theory; lam of the paper's figure unknown.")


def phase_transition(paper, quick=False, seed=0):
    """The IDG error across kappa = rho as alpha grows: its algorithmic part tends to (1 - kappa/rho)_+."""
    rank_ratio, tau, sigma2 = 0.5, 2.25, 0.09
    kappa = np.linspace(0.05, 2.0, 800)
    alphas = (2.0, 8.0, 32.0, 128.0)
    alg = Panel("IDG algorithmic part, rho = 0.5, tau = 2.25", "kappa = M0/D", "e_IDG (algorithmic)",
                vlines=[rank_ratio])
    total = Panel("IDG error, rho = 0.5, tau = 2.25", "kappa = M0/D", "e_IDG", yscale="log", vlines=[rank_ratio])
    for a in alphas:
        values = dict(alpha=a, alpha_test=a, kappa=kappa, rank_ratio=rank_ratio, tau=tau, sigma2=sigma2,
                      lam=0.0, sigma2_test=0.0)
        alg.curves.append(Curve(f"alpha = {a:g}", kappa, _evaluate(paper, "e_idg_alg", **values)))
        total.curves.append(Curve(f"alpha = {a:g}", kappa, _evaluate(paper, "e_idg", **values)))
    alg.curves.append(Curve("alpha -> inf: (1 - kappa/rho)_+", kappa, np.clip(1 - kappa / rank_ratio, 0, None)))
    kappa_sim = [0.25, 0.5, 1.0] if quick else [0.25, 0.375, 0.5, 0.75, 1.0, 1.5]
    points = [_point(2.0, k, rank_ratio, tau, sigma2) for k in kappa_sim]
    results, D = _simulate(paper, points, quick, seed, ("e_idg",))
    total.curves.append(_points_curve(f"alpha = 2 (sim, D = {D})", kappa_sim, [r["e_idg"] for r in results]))
    return Figure("phase-transition", "Phase transition at kappa = rho", [alg, total],
                  caption="Ridgeless, alpha_test = alpha, sigma^2 = 0.09.")


def implicit_regularisation(paper, quick=False, seed=0):
    """ODG against alpha: finite contexts regularise; without them the null space of S blows up."""
    rank_ratio, tau, sigma2 = 0.5, 2.25, 0.09
    alpha = np.geomspace(0.2, 500, 600)
    panel = Panel("ODG error, rho = 0.5, tau = 2.25, sigma^2 = 0.09", "alpha = L/D (= alpha_test)", "e_ODG",
                  xscale="log", yscale="log")
    for kappa in (0.25, 1.5):
        for lam in (0.0, 0.1):
            values = dict(alpha=alpha, alpha_test=alpha, kappa=kappa, rank_ratio=rank_ratio, tau=tau,
                          sigma2=sigma2, lam=lam, sigma2_test=0.0)
            panel.curves.append(Curve(f"kappa = {kappa:g}, lam = {lam:g}", alpha,
                                      _evaluate(paper, "e_odg", **values)))
    alpha_sim = [1.0, 4.0] if quick else [1.0, 2.0, 4.0, 8.0, 16.0]
    points = [_point(a, 1.5, rank_ratio, tau, sigma2) for a in alpha_sim]
    results, D = _simulate(paper, points, quick, seed, ("e_odg",))
    panel.curves.append(_points_curve(f"kappa = 1.5, lam = 0 (sim, D = {D})", alpha_sim,
                                      [r["e_odg"] for r in results]))
    return Figure("implicit-regularisation", "Implicit regularisation by finite pretraining contexts",
                  [panel], caption="With lam = 0 the isotropic noise grows like alpha on the null "
                                   "space of S (mass 1 - min(kappa, rho)); an explicit ridge caps it.")


FIGURES = {"decomposition": decomposition, "phase-transition": phase_transition,
           "implicit-regularisation": implicit_regularisation}
