"""The figures of Takanami et al. (2025), regenerated from the lowered formulas and the model.

Each figure function takes the paper (:class:`derive.registry.Paper`): its derivation gives the
formulas, its model the simulations.  Notation is the paper's, printed by the derivation's symbol
map: rho = r/D is the rank ratio of the tasks (not a noise variance, as in Lu et al.), sigma^2 the
label-noise variance, alpha-tilde the test context length.

Parameters follow the paper's Fig. 1 caption and the authors' notebooks (docs/derivations/takanami2025.md,
"Sources").  The paper's Fig. 1
uses kappa = 1.5, tau = 2.25 (gamma = 1.5), rho = 0.9, sigma = 0.3, alpha_test = alpha; its x axis
and lam are not known, so the decomposition is drawn against alpha, ridgeless.  Theory curves
are dense and computed in one vectorised call each; simulation points are ridge fits with
lam = 1e-6 at D = 24, 32 and 40 with 8 trials each, extrapolated in 1/D (``quick``: D = 8 and 12
with 3 trials, a smoke run).  The paper used D = 60.
"""

from __future__ import annotations

import numpy as np

from derive.figures import Curve, Figure, Notation, Panel, Simulation
from derive.lower import lower_quantity
from derive.montecarlo import Estimate, sweep

#: The sweep's small ridge: the ridgeless theory is its limit, and it keeps the solve well posed.
LAM_SIM = 1e-6

#: The context length at which the phase-transition figure simulates: the IDG error falls by a
#: factor of about 13 from kappa = rho/2 to kappa = 2 rho there (at alpha = 2, by 1.8: no transition
#: to see).
PHASE_ALPHA = 32.0

#: Sizes D and trials of the figures' simulations, and of a quick run.
SIZES, TRIALS = (24, 32, 40), 8
QUICK_SIZES, QUICK_TRIALS = (8, 12), 3


def _point(alpha, kappa, rank_ratio, tau, sigma2, lam=LAM_SIM, alpha_test=None):
    return {"alpha": alpha, "alpha_test": alpha if alpha_test is None else alpha_test, "kappa": kappa,
            "rank_ratio": rank_ratio, "tau": tau, "sigma2": sigma2, "lam": lam, "sigma2_test": 0.0}


def _simulate(paper, points, quick, seed, observable):
    """``(estimates, theory)`` of a :class:`derive.figures.Simulation`: the simulated
    ``observable`` at ``points`` at every size D, and the theory at the same points (at the
    simulations' ridge), for the caption's finite-size gap."""
    sizes, trials = (QUICK_SIZES, QUICK_TRIALS) if quick else (SIZES, TRIALS)
    draws = sweep(paper.model.sample, points, sizes, trials, seed, label="figure simulations")
    estimates = {D: [Estimate.of([run[observable] for run in draws[i, D]]) for i in range(len(points))]
                 for D in sizes}
    theory = [float(_evaluate(paper, observable, **point)) for point in points]
    return estimates, theory


def _fixed(kappa, rank_ratio, tau, sigma2, lam):
    """The parameters held fixed along a curve, as the CSV's numeric columns."""
    return {"kappa": kappa, "rank_ratio": rank_ratio, "tau": tau, "sigma2": sigma2, "lam": lam}


def _evaluate(paper, name, **values):
    """A lowered quantity on broadcast arrays given by parameter name."""
    f = lower_quantity(paper.derivation(), name)
    return f(*[values[str(p)] for p in f.parameters])


def _rank_ratio(n, value):
    """The rank ratio with its definition, so that rho is never read as a noise variance."""
    return f"rank ratio {n.eq('rank_ratio', 'r/D = ' + format(value, 'g'))}"


def decomposition(paper, quick=False, seed=0):
    """Fig. 1: each protocol's error and its algorithmic, task-shaped and isotropic parts."""
    n = Notation(paper.derivation())
    kappa, rank_ratio, tau, sigma2 = 1.5, 0.9, 2.25, 0.09
    alpha = np.geomspace(0.2, 50, 600)
    alpha_sim = [0.5, 1.0, 2.0, 4.0] if quick else [0.5, 1.0, 2.0, 4.0, 8.0]
    points = [_point(a, kappa, rank_ratio, tau, sigma2) for a in alpha_sim]
    common = dict(alpha=alpha, alpha_test=alpha, kappa=kappa, rank_ratio=rank_ratio, tau=tau, sigma2=sigma2,
                  lam=0.0, sigma2_test=0.0)
    panels = []
    for letter, protocol in zip("ABC", ("tm", "idg", "odg")):
        panel = Panel(protocol.upper(), n.eq("alpha", "L/D = " + n.symbol("alpha_test")), n(f"e_{protocol}"),
                      xscale="log", yscale="log", letter=letter, size_name="D")
        panel.curves.append(Curve("total", alpha, _evaluate(paper, f"e_{protocol}", **common)))
        for part, label in (("alg", "algorithmic (signal)"), ("noise_task", "task-shaped noise"),
                            ("noise_iso", "isotropic noise")):
            panel.curves.append(Curve(label, alpha, _evaluate(paper, f"e_{protocol}_{part}", **common)))
        panel.curves.append(Simulation("total", alpha_sim, *_simulate(paper, points, quick, seed, f"e_{protocol}")))
        panels.append(panel)
    title = (f"Error decomposition (Takanami et al. Fig. 1): {n.values(kappa=kappa, tau=tau)}, "
             f"{_rank_ratio(n, rank_ratio)}, {n.eq('sigma2', sigma2)}")
    return Figure("decomposition", title, panels,
                  caption="Ridgeless theory; the lambda of the paper's figure is not known. The two noises "
                          "are named by their structure (task-shaped, isotropic); which the paper calls "
                          "memorisation and which structural is not known.")


def phase_transition(paper, quick=False, seed=0):
    """The IDG error across kappa = rho as alpha grows: its algorithmic part tends to (1 - kappa/rho)_+.

    Simulated at :data:`PHASE_ALPHA`, where the transition is sharp: the error falls steeply up
    to kappa = rho and is flat beyond (at alpha = 2 it is smooth)."""
    n = Notation(paper.derivation())
    rank_ratio, tau, sigma2 = 0.5, 2.25, 0.09
    kappa = np.linspace(0.05, 2.0, 800)
    alphas = (2.0, 8.0, 32.0, 128.0)
    rho, k = n.symbol("rank_ratio"), n.symbol("kappa")
    alg = Panel(f"algorithmic part {n('e_idg_alg')}", n.eq("kappa", "M_0/D"), n("e_idg_alg"),
                vlines=[rank_ratio], letter="A", quantity="e_idg_alg", x_name="kappa")
    total = Panel("total", n.eq("kappa", "M_0/D"), n("e_idg"), yscale="log", vlines=[rank_ratio], letter="B",
                  quantity="e_idg", x_name="kappa", size_name="D")
    for a in alphas:
        values = dict(alpha=a, alpha_test=a, kappa=kappa, rank_ratio=rank_ratio, tau=tau, sigma2=sigma2,
                      lam=0.0, sigma2_test=0.0)
        fixed = {"alpha": a, "rank_ratio": rank_ratio, "tau": tau, "sigma2": sigma2, "lam": 0.0}
        alg.curves.append(Curve(n.values(alpha=a), kappa, _evaluate(paper, "e_idg_alg", **values), params=fixed))
        total.curves.append(Curve(n.values(alpha=a), kappa, _evaluate(paper, "e_idg", **values), params=fixed))
    alg.curves.append(Curve(f"${n.symbol('alpha')} \\to \\infty$: $(1 - {k}/{rho})_+$", kappa,
                            np.clip(1 - kappa / rank_ratio, 0, None), color="k", linestyle="--",
                            params={"alpha": np.inf, "rank_ratio": rank_ratio}))
    alpha_sim = PHASE_ALPHA
    kappa_sim = [0.25, 0.5, 1.0] if quick else [0.125, 0.25, 0.375, 0.5, 0.75, 1.0, 1.5]
    points = [_point(alpha_sim, k_, rank_ratio, tau, sigma2) for k_ in kappa_sim]
    total.curves.append(Simulation(n.values(alpha=alpha_sim), kappa_sim,
                                   *_simulate(paper, points, quick, seed, "e_idg"),
                                   params={"alpha": alpha_sim, "rank_ratio": rank_ratio, "tau": tau,
                                           "sigma2": sigma2, "lam": LAM_SIM}))
    title = (f"Phase transition at ${k} = {rho}$: {_rank_ratio(n, rank_ratio)}, {n.eq('tau', tau)}, "
             f"{n.eq('sigma2', sigma2)}")
    return Figure("phase-transition", title, [alg, total],
                  caption="In-distribution (IDG) error, ridgeless, test context length equal to the "
                          "pretraining one. The dashed vertical line marks kappa = rho, where the pool of "
                          "M0 = kappa D tasks starts to span the r = rho D dimensional task subspace.")


def implicit_regularisation(paper, quick=False, seed=0):
    """ODG against alpha: finite contexts regularise; without them the null space of S blows up."""
    n = Notation(paper.derivation())
    rank_ratio, tau, sigma2 = 0.5, 2.25, 0.09
    alpha = np.geomspace(0.2, 500, 600)
    panel = Panel("ODG", n.eq("alpha", "L/D = " + n.symbol("alpha_test")), n("e_odg"),
                  xscale="log", yscale="log", quantity="e_odg", x_name="alpha", size_name="D")
    for kappa in (0.25, 1.5):
        for lam in (0.0, 0.1):
            values = dict(alpha=alpha, alpha_test=alpha, kappa=kappa, rank_ratio=rank_ratio, tau=tau,
                          sigma2=sigma2, lam=lam, sigma2_test=0.0)
            panel.curves.append(Curve(n.values(kappa=kappa, lam=lam), alpha, _evaluate(paper, "e_odg", **values),
                                      params=_fixed(kappa, rank_ratio, tau, sigma2, lam)))
    # Up to alpha = 64: the growth like alpha the figure shows sets in near alpha = 20 (a fit at
    # alpha = 64, D = 40 costs 0.7 s, measured: no dearer than one at alpha = 16).
    alpha_sim = [1.0, 4.0] if quick else [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0]
    points = [_point(a, 1.5, rank_ratio, tau, sigma2) for a in alpha_sim]
    label = n.values(kappa=1.5, lam=0.0)
    panel.curves.append(Simulation(label, alpha_sim, *_simulate(paper, points, quick, seed, "e_odg"),
                                   params=_fixed(1.5, rank_ratio, tau, sigma2, LAM_SIM)))
    title = (f"Implicit regularisation by finite pretraining contexts: {_rank_ratio(n, rank_ratio)}, "
             f"{n.eq('tau', tau)}, {n.eq('sigma2', sigma2)}")
    return Figure("implicit-regularisation", title, [panel],
                  caption="Out-of-distribution (ODG) error. With lambda = 0 the isotropic noise grows like "
                          "alpha on the null space of S (mass 1 - min(kappa, rho)); an explicit ridge caps it. "
                          "Simulations: kappa = 1.5, lambda = 1e-6.")


FIGURES = {"decomposition": decomposition, "phase-transition": phase_transition,
           "implicit-regularisation": implicit_regularisation}
