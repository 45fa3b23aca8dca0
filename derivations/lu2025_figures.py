"""The figures of Lu et al. (PNAS 2025), regenerated from the lowered formulas and the model.

Each figure function takes the paper (:class:`derive.registry.Paper`): its derivation gives the
formulas, its model the simulations.

Parameters follow the paper's figures (PNAS numbering) as the authors' sweep specifications give
them (``run_from_scratch/FigureN/figureN.md`` in their code release; see "Sources" in
docs/derivations/lu2025.md).  Theory curves are dense and computed in one vectorised call each;
simulation points sit where the paper has them, at the sizes of :data:`SIZES`: Figs. 1 and 4 at
d = 20 and 40 with 8 trials, each point extrapolated in 1/d; Fig. 2 too (d = 16 and 24 for the
tau = 20 panel); ``quick``: d = 12 with 3 trials, a smoke run in seconds; ``paper_size``: Figs. 1
and 4 at the paper's d = 100 (and 50, for the extrapolation) with its 10 trials.

Near the interpolation threshold tau = 1 the finite-d bias is not a few percent: the error
grows like 1/|tau - 1|, and at finite d the threshold of the fit sits at n = p = d(d + 1), that
is tau = 1 + 1/d, so the bias is of order 1/(d |tau - 1|): +28 to +45% at tau = 1.15 and d = 40,
about +13% at d = 100.  That is why these figures simulate two sizes: the 1/d extrapolation is
what is compared with the theory (docs/derivations/lu2025.md, "Finite-d bias near tau = 1").
``protocol`` names the model's simulation protocol (:data:`lu2025_model.PROTOCOLS`).
"""

from __future__ import annotations

import math

import numpy as np

from derive.figures import Curve, Figure, HeatMap, Notation, Panel, Simulation
from derive.lower import lower_quantity
from derive.montecarlo import Estimate, sweep


def _theory(paper, name):
    return lower_quantity(paper.derivation(), name)


#: (sizes d, trials) of the figures' simulations.  ``extrapolated``: Figs. 1 and 4, whose points
#: near tau = 1 need the 1/d extrapolation; ``paper``: the same figures at the paper's own size
#: (``derive reproduce lu2025 --paper-size``), d = 100 with 10 trials, and d = 50 to extrapolate.
SIZES = {"quick": ((12,), 3), "default": ((40,), 8), "extrapolated": ((20, 40), 8), "paper": ((50, 100), 10)}


def _sizes(quick, paper_size, extrapolated=True, default=40):
    """(sizes, trials) of one figure's simulations (:data:`SIZES`)."""
    if quick:
        return SIZES["quick"]
    if paper_size and extrapolated:
        return SIZES["paper"]
    if extrapolated:
        return SIZES["extrapolated"]
    return (default,), SIZES["default"][1]


def _simulate(paper, points, sizes, trials, seed, protocol=None):
    """Mean and standard error of e_icl and e_idg at each point (dicts of parameter values):
    ``out[i][observable][d]``, an :class:`Estimate` for each size d."""
    sample = paper.model.sampler(protocol)
    draws = sweep(sample, points, sizes, trials, seed, label="figure simulations")
    return [{k: {d: Estimate.of([r[k] for r in draws[index, d]]) for d in sizes} for k in ("e_icl", "e_idg")}
            for index in range(len(points))]


def _point(alpha, kappa, tau, rho, lam):
    return {"alpha": alpha, "kappa": kappa, "tau": tau, "rho": rho, "lam": lam}


def _markers(label, x, estimates, theory=None, notes=None, params=None):
    """The simulated points of one curve (``estimates[i][d]``, an :class:`Estimate` per size d) as
    a :class:`derive.figures.Simulation`, with the theory at the same points for the gap, and
    ``params`` (the parameters held fixed, as numbers) for the CSV."""
    sizes = sorted(estimates[0]) if estimates else []
    return Simulation(label, x, {d: [e[d] for e in estimates] for d in sizes}, theory=theory, notes=notes or {},
                      params=params or {})


def _threshold_note(paper, name, d, args, tau):
    """Why a point at tau = 1 is far from the theory: the finite fit's own threshold."""
    n, p = round(tau * d * d), d * (d + 1)
    at = float(_theory(paper, name)(*args(n / p)))
    return (f"at tau = 1 the fit at d = {d} has n/p = {n / p:.3f} < 1: it sits below its own interpolation "
            f"threshold (n = p), where the error has not reached the peak; the theory at tau = n/p is {at:.3g}")


def _notation(paper):
    return Notation(paper.derivation())


def double_descent(paper, quick=False, seed=0, protocol=None, paper_size=False):
    """Fig 1 A-B: ridgeless ICL and IDG against tau; alpha in {1, 10, 100}, kappa = 0.5, rho = 0.01."""
    n = _notation(paper)
    tau = np.geomspace(0.1, 10, 4000)
    tau = tau[np.abs(tau - 1) > 2e-3]
    tau_sim = [0.2, 0.5, 0.85, 1.15, 1.5, 2.0]
    panels = []
    sims = {}
    points = [_point(a, 0.5, t, 0.01, 1e-5) for a in (1, 10, 100) for t in tau_sim]
    results = _simulate(paper, points, *_sizes(quick, paper_size), seed, protocol)
    for point, result in zip(points, results):
        sims[point["alpha"], point["tau"]] = result
    for name, letter in (("e_icl", "A"), ("e_idg", "B")):
        f = _theory(paper, name)
        panel = Panel(n.values(kappa=0.5, rho=0.01), n.eq("tau", "n/d^2"), n(name), xscale="log", yscale="log",
                      vlines=[1.0], ylim=(1e-2, 1e2), letter=letter, quantity=name, x_name="tau")
        for alpha in (1, 10, 100):
            label = n.values(alpha=alpha)
            fixed = {"alpha": alpha, "kappa": 0.5, "rho": 0.01}
            panel.curves.append(Curve(label, tau, f(alpha, 0.5, tau, 0.01, 0.0), params={**fixed, "lam": 0.0}))
            panel.curves.append(_markers(label, tau_sim, [sims[alpha, t][name] for t in tau_sim],
                                         f(alpha, 0.5, np.array(tau_sim), 0.01, 1e-5), params={**fixed, "lam": 1e-5}))
        panels.append(panel)
    return Figure("double-descent", "Sample-wise double descent at $\\tau = 1$ (Lu et al. Fig. 1A-B)", panels,
                  caption="Ridgeless theory (lines); simulations fitted with a ridge of 1e-5. The dashed line "
                          "marks the interpolation threshold tau = 1.")


def ridge(paper, quick=False, seed=0, protocol=None, paper_size=False):
    """Fig 1 C: ICL against tau for lam in {1e-5, 0.1, 1}; kappa = inf, alpha = 10, rho = 0.01."""
    n = _notation(paper)
    tau = np.geomspace(0.1, 10, 4000)
    tau_sim = [0.2, 0.5, 0.85, 1.0, 1.15, 1.5, 2.0]
    f = _theory(paper, "e_icl")
    panel = Panel(n.values(alpha=10, kappa=math.inf, rho=0.01), n.eq("tau", "n/d^2"), n("e_icl"), xscale="log",
                  yscale="log", vlines=[1.0], letter="C", quantity="e_icl", x_name="tau")
    points = [_point(10.0, math.inf, t, 0.01, lam) for lam in (1e-5, 0.1, 1.0) for t in tau_sim]
    sizes, trials = _sizes(quick, paper_size)
    results = _simulate(paper, points, sizes, trials, seed, protocol)
    for i, lam in enumerate((1e-5, 0.1, 1.0)):
        label = n.values(lam=lam)
        fixed = {"alpha": 10.0, "kappa": math.inf, "rho": 0.01, "lam": lam}
        panel.curves.append(Curve(label, tau, f(10.0, np.inf, tau, 0.01, lam), params=fixed))
        est = [r["e_icl"] for r in results[i * len(tau_sim):(i + 1) * len(tau_sim)]]
        # With lam = 1e-5 the peak at tau = 1 is tall (about 17) and the finite fits cannot reach it.
        notes = {1.0: _threshold_note(paper, "e_icl", max(sizes), lambda t: (10.0, np.inf, t, 0.01, lam), 1.0)} \
            if lam < 1e-3 else {}
        panel.curves.append(_markers(label, tau_sim, est, f(10.0, np.inf, np.array(tau_sim), 0.01, lam), notes,
                                     fixed))
    return Figure("ridge", "A ridge removes the peak (Lu et al. Fig. 1C)", [panel],
                  caption="kappa = inf: a fresh task for every sequence.")


CONTEXT_PANELS = [
    # (letter, quantity, tau, rho, kappas, alpha of the simulation points).  alpha = 1000 as the
    # paper's panels A and B: 80 fits at d = 40 take 8 s of wall time (measured), and there the
    # finite-d gap is largest (k = kappa d tasks only: +8 standard errors at kappa = 0.7 in A).
    ("A", "e_idg", 0.5, 0.5, (0.1, 0.3, 0.5, 0.7, 2.0), (1, 5.6, 6.15, 7.4, 100, 1000)),
    ("B", "e_icl", 0.5, 0.1, (0.2, 0.4, 0.5, 0.6, 1.5), (2.35, 5.5, 9.62, 22.7, 100, 1000)),
    ("C", "e_icl", 20.0, 0.5, (0.25, 0.75, 1.0, 1.1, 2.0), (1, 8.4, 31.3, 143.3)),
]


def context_length(paper, quick=False, seed=0, protocol=None, paper_size=False):
    """Fig 2: errors against alpha, with the non-monotone kappa < min(tau, 1) curves."""
    n = _notation(paper)
    alpha = np.geomspace(0.1, 1000, 3000)
    panels = []
    for letter, quantity, tau, rho, kappas, alpha_sim in CONTEXT_PANELS:
        f = _theory(paper, quantity)
        panel = Panel(n.values(tau=tau, rho=rho), n.eq("alpha", "\\ell/d"), n(quantity), xscale="log",
                      yscale="log", letter=letter, quantity=quantity, x_name="alpha")
        sim_kappas = kappas[:2] if quick else kappas
        points = [_point(a, k, tau, rho, 1e-6) for k in sim_kappas for a in alpha_sim]
        # At tau = 20 a fit accumulates 20 d^2 rows: d = 16 and 24 keep the panel to about a minute;
        # elsewhere d = 20 and 40, as Figs. 1 and 4.  Two sizes, so that each point's gap is
        # extrapolated in 1/d (at one size, most points of the panels were more than 3 standard
        # errors off with no way to tell a finite-d bias).  The paper's d = 100 is out of reach
        # (20 d^2 = 2e5 rows at tau = 20): ``paper_size`` leaves this figure as it is.
        sizes, trials = SIZES["quick"] if quick else ((16, 24) if tau > 5 else SIZES["extrapolated"][0],
                                                      SIZES["extrapolated"][1])
        results = _simulate(paper, points, sizes, trials, seed, protocol) if not (quick and tau > 5) else []
        for i, kappa in enumerate(kappas):
            label = n.values(kappa=kappa)
            fixed = {"kappa": kappa, "tau": tau, "rho": rho}
            panel.curves.append(Curve(label, alpha, f(alpha, kappa, tau, rho, 0.0), params={**fixed, "lam": 0.0}))
            if kappa in sim_kappas and results:
                est = [r[quantity] for r in results[i * len(alpha_sim):(i + 1) * len(alpha_sim)]]
                panel.curves.append(_markers(label, alpha_sim, est,
                                             f(np.array(alpha_sim, dtype=float), kappa, tau, rho, 1e-6),
                                             params={**fixed, "lam": 1e-6}))
        panels.append(panel)
    return Figure("context-length", "Dependence on context length (Lu et al. Fig. 2)", panels,
                  caption="Ridgeless theory (lines); simulations fitted with a ridge of 1e-6.")


def first_minimum(values, grid, tolerance=1e-5):
    """grid value at the first local minimum along the last axis (nan where monotone).

    The first minimum is where the curve first rises, by more than ``tolerance`` relative,
    after having fallen by more than that (how Fig. 3's heatmaps are reproduced here); a flat bottom
    between the fall and the rise does not hide it.

    >>> float(first_minimum(np.array([3.0, 2.0, 2.0, 2.5, 1.0]), np.arange(5.0)))
    2.0
    """
    step = np.diff(values, axis=-1)
    scale = np.abs(values[..., :-1]) * tolerance
    falling, rising = step < -scale, step > scale
    fallen = np.maximum.accumulate(falling, axis=-1)
    turn = rising[..., 1:] & fallen[..., :-1]
    first = np.argmax(turn, axis=-1) + 1
    return np.where(turn.any(axis=-1), grid[:-1][first], np.nan)


def nonmonotonicity(paper, quick=False, seed=0, protocol=None, paper_size=False):
    """Fig 3: where the error is non-monotone in alpha, over (kappa, rho); theory only (so the
    simulation ``protocol`` and ``paper_size`` change nothing)."""
    n = _notation(paper)
    shape = (81, 60, 250) if quick else (201, 150, 500)
    kappa = np.linspace(0.1, 2.1, shape[0])
    rho = np.linspace(0.01, 1.0, shape[1])
    alpha = np.geomspace(1e-2, 1e3, shape[2])
    panels = []
    for letter, quantity, tau in (("A", "e_icl", 0.5), ("B", "e_idg", 0.5), ("C", "e_icl", 20.0)):
        f = _theory(paper, quantity)
        minima = np.empty((len(rho), len(kappa)))
        for j, k in enumerate(kappa):
            values = f(alpha[None, :], k, tau, rho[:, None], 0.0)
            minima[:, j] = first_minimum(values, alpha)
        panels.append(Panel(f"{n(quantity)}, {n.eq('tau', tau)}", n("kappa"), n("rho"),
                            heatmap=HeatMap(kappa, rho, np.log10(minima),
                                            f"$\\log_{{10}}\\,{n.symbol('alpha')}$ at the first minimum",
                                            quantity=f"log10_alpha_first_min_{quantity}", x_name="kappa",
                                            y_name="rho"),
                            vlines=[min(tau, 1.0)], letter=letter))
    return Figure("nonmonotonicity", "Non-monotonicity in context length (Lu et al. Fig. 3)", panels,
                  caption="Colour: the context length alpha at the first local minimum of the error in alpha "
                          "(ridgeless theory); grey: monotone. Dashed: kappa = min(tau, 1).")


#: The paper's kappa grid for Fig 4 (31 log-spaced values).
KAPPA_GRID = [0.08, 0.10, 0.12, 0.16, 0.20, 0.26, 0.33, 0.41, 0.53, 0.67, 0.85, 1.07, 1.36, 1.72, 2.18,
              2.77, 3.50, 4.44, 5.62, 7.12, 9.02, 11.42, 14.47, 18.32, 23.20, 29.39, 37.21, 47.13,
              59.68, 75.58, 95.72]


def task_diversity(paper, quick=False, seed=0, protocol=None, paper_size=False):
    """Fig 4: g_task = e_ICL - e_IDG against kappa with tau = 0.2 alpha, rho = 0.01; panel A draws
    alpha in {6, 10, 20}, panel B alpha in {10, 20, 40}, as the paper's, each simulated.

    alpha = 6 and 10 are simulated at every other kappa of the paper's grid (every fourth with
    ``quick`` or ``paper_size``), alpha = 20 and 40 at every fourth (eighth): their curves are
    flatter, and a fit at alpha = 40 costs about as much as one at alpha = 10 (the matrix-free fit
    of lu2025_model; 0.6 s against 0.4 s at d = 40, measured)."""
    n = _notation(paper)
    kappa = np.geomspace(0.05, 100, 3000)
    f = _theory(paper, "g_task")
    sizes, trials = _sizes(quick, paper_size)
    # A pool of fewer than 4 tasks is too small for a meaningful simulation at the smallest d.
    usable = [k for k in KAPPA_GRID if k * min(sizes) >= 4]
    # Every fourth kappa of the paper's grid at its own size d = 100, to keep that run near 20 minutes.
    sim_kappa = usable[::4] if quick or paper_size else usable[::2]
    grids = {6: sim_kappa, 10: sim_kappa, 20: sim_kappa[::2], 40: sim_kappa[::2]}
    points = [_point(a, k, 0.2 * a, 0.01, 1e-6) for a, grid in grids.items() for k in grid]
    results = iter(_simulate(paper, points, sizes, trials, seed, protocol))
    simulated = {a: [next(results) for _ in grid] for a, grid in grids.items()}
    panels = []
    for letter, shown in (("A", (6, 10, 20)), ("B", (10, 20, 40))):
        panel = Panel(f"{n.eq('tau', '0.2' + n.symbol('alpha'))}, {n.eq('rho', 0.01)}", n.eq("kappa", "k/d"),
                      n("g_task"), xscale="log", vlines=[1.0], letter=letter, quantity="g_task", x_name="kappa")
        for a in shown:
            label = n.values(alpha=a)
            fixed = {"alpha": a, "tau": 0.2 * a, "rho": 0.01}
            panel.curves.append(Curve(label, kappa, f(a, kappa, 0.2 * a, 0.01, 0.0), params={**fixed, "lam": 0.0}))
            # e_ICL and e_IDG of one fit are positively correlated: adding their standard errors in
            # quadrature overstates the gap's.
            gaps = [{d: Estimate(r["e_icl"][d].mean - r["e_idg"][d].mean,
                                 math.hypot(r["e_icl"][d].se, r["e_idg"][d].se), r["e_icl"][d].trials)
                     for d in sizes} for r in simulated[a]]
            panel.curves.append(_markers(label, grids[a], gaps, f(a, np.array(grids[a]), 0.2 * a, 0.01, 1e-6),
                                         params={**fixed, "lam": 1e-6}))
        panels.append(panel)
    return Figure("task-diversity", "Memorisation to in-context learning (Lu et al. Fig. 4)", panels,
                  caption="Ridgeless theory (lines); simulations fitted with a ridge of 1e-6. Dashed: the "
                          "transition at kappa = 1.")


FIGURES = {"double-descent": double_descent, "ridge": ridge, "context-length": context_length,
           "nonmonotonicity": nonmonotonicity, "task-diversity": task_diversity}
