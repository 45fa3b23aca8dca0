"""The ISO figure of Bordelon, Letey & Pehlevan (2025), regenerated from the checked formulas
and the model.

The paper's Fig. 1 (as its caption reads: "Deep linear self attention models trained with SGD on
the ICL task with isotropic covariates with D = 32 ... (b) Increasing depth L can improve ICL
predictions, especially for alpha ~ 1. (c) The final loss is well predicted by the theory of L
steps of gradient descent with optimal learning rate for each (alpha, L) pair") compares trained
models with the theory at the optimal step.  Here the theory lines are the checked risks
``risk_L1..3`` (``derive eval bordelon2025``), and the markers are the actual L-layer attention
(:mod:`bordelon2025_model`, Gamma = gamma I set by its weights, not trained) at the same step,
on fresh ISO contexts, at D = 32, 64, 128, each point extrapolated in 1/D.

The optimal step at depth 1 is the checked gamma_1 = alpha/(alpha + 1 + sigma^2) with the checked
risk there; at depth 2 the checked gamma_2 (the root of dR_2/dgamma = 0, a root step, defined where
R_2 is convex in gamma) and risk_L2_optimal; at depth 3 without noise the checked
gamma_3 = 3 alpha/(1 + alpha) and the risk there, which a step proves least.  Where no step states
the optimum (depth 3 with noise; depth 2 where the noise makes R_2 non-convex, alpha below about
0.2 at sigma^2 = 0.5) the figure finds it numerically, as the minimum over a fine grid of the
checked, lowered risk.  That minimum is the figure's choice of where to draw; every value drawn
is the checked quantity at
that step.
"""

from __future__ import annotations

import numpy as np

from derive.figures import Curve, Figure, Notation, Panel, Simulation
from derive.lower import lower_quantity
from derive.montecarlo import Estimate, sweep

from . import bordelon2025_model as model

DEPTHS = (1, 2, 3)

#: (sizes D, trials) of the figures' simulations: ``quick`` is a smoke run of a few seconds.
SIZES = {"quick": ((16, 32), 6), "default": ((32, 64, 128), 64)}


def sample_risk_at(rng, d, point):
    """The measured risk of the attention at depth ``point["L"]`` with Gamma = gamma I on one
    ISO context (exact over x_*); BLAS on one thread (the matrices are small)."""
    from threadpoolctl import threadpool_limits

    depth = int(point["L"])
    with threadpool_limits(limits=1, user_api="blas"):
        risks = model.iso_risks(rng, d, float(point["alpha"]), float(point["sigma2"]), float(point["gamma"]),
                                (depth,))
    return {"risk": risks[depth]}


_LOWERED = {}


def _theory(paper, name):
    """The quantity ``name`` lowered, once per paper and process (lowering and its lineage check
    take seconds; the figure evaluates each quantity dozens of times)."""
    key = (id(paper), name)
    if key not in _LOWERED:
        _LOWERED[key] = lower_quantity(paper.derivation(), name)
    return _LOWERED[key]


def optimal_step(paper, depth, alpha, sigma2):
    """(gamma*, risk at gamma*) of the checked risk at ``depth`` for each alpha: at depth 1 the
    checked quantities gamma_1 and risk_L1_optimal; at depth 2 the checked gamma_2 and
    risk_L2_optimal where the root step defines them (R_2 convex in gamma); at depth 3 without
    noise the checked gamma_3 = 3 alpha/(1 + alpha) and risk_L3_optimal (proved least over every
    step); elsewhere :func:`grid_optimum` (no step states that optimum)."""
    alpha = np.asarray(alpha, dtype=float)
    if depth == 1:
        return (np.asarray(_theory(paper, "gamma_1")(alpha, sigma2), dtype=float),
                np.asarray(_theory(paper, "risk_L1_optimal")(alpha, sigma2), dtype=float))
    if depth == 2:
        step, risk = (np.array(values, dtype=float) for values in grid_optimum(paper, depth, alpha, sigma2))
        defined = convex_depth2(alpha, sigma2)
        if defined.any():
            step[defined] = np.asarray(_theory(paper, "gamma_2")(alpha[defined], sigma2), dtype=float)
            risk[defined] = np.asarray(_theory(paper, "risk_L2_optimal")(alpha[defined], sigma2), dtype=float)
        return step, risk
    if sigma2 == 0:
        return (np.asarray(_theory(paper, f"gamma_{depth}")(alpha), dtype=float),
                np.asarray(_theory(paper, f"risk_L{depth}_optimal")(alpha), dtype=float))
    return grid_optimum(paper, depth, alpha, sigma2)


def convex_depth2(alpha, sigma2):
    """Where the depth-2 root step defines the optimal step: the condition CONVEX_L2 of
    bordelon2025_scaling, sigma^2 (alpha^3 + 1) + sigma^4 (alpha^2 + 1) < 3 alpha (alpha^2 + alpha + 1)."""
    alpha = np.asarray(alpha, dtype=float)
    return sigma2 * (alpha**3 + 1) + sigma2**2 * (alpha**2 + 1) < 3 * alpha * (alpha**2 + alpha + 1)


def grid_optimum(paper, depth, alpha, sigma2):
    """(gamma*, risk at gamma*): the minimum of the lowered risk at ``depth`` over a grid of 4001
    steps in (0, 1.25 L], refined by a parabola through the grid's least value and its
    neighbours (the optimum tends to gamma = L as alpha grows, Result 2)."""
    alpha = np.asarray(alpha, dtype=float)
    risk = _theory(paper, f"risk_L{depth}")
    grid = np.linspace(1e-3, 1.25 * depth, 4001)
    # Where the minimum lies is the figure's choice, not a value drawn: the raw double-precision
    # values suffice (guard=False; the guarded call re-evaluates thousands of grid points with
    # mpmath, where the expanded polynomial's 1/alpha^k terms cancel at small alpha).
    values = np.asarray(risk.evaluate(alpha[:, None], grid[None, :], sigma2, guard=False), dtype=float)
    index = np.clip(np.argmin(values, axis=1), 1, len(grid) - 2)
    rows = np.arange(len(alpha))
    left, mid, right = values[rows, index - 1], values[rows, index], values[rows, index + 1]
    curvature = left - 2 * mid + right
    shift = np.where(curvature > 0, 0.5 * (left - right) / np.where(curvature > 0, curvature, 1), 0.0)
    best = grid[index] + shift * (grid[1] - grid[0])
    return best, np.asarray(risk(alpha, best, sigma2), dtype=float)


def _simulate(points, sizes, trials, seed):
    """{d: Estimate} of the risk at each point (dicts alpha, gamma, sigma2, L)."""
    draws = sweep(sample_risk_at, points, sizes, trials, seed, label="figure simulations")
    return [{d: Estimate.of([r["risk"] for r in draws[index, d]]) for d in sizes} for index in range(len(points))]


def _steps_shown(steps, depth):
    """The simulated steps of panel C at ``depth``: one layer's risk passes the axes (1.2) beyond
    gamma = 1 (1.625 at 1.25), so its points stop there."""
    return [g for g in steps if depth > 1 or g <= 1.0]


def _markers(label, x, estimates, theory):
    sizes = sorted(estimates[0])
    return Simulation(label, x, {d: [e[d] for e in estimates] for d in sizes}, theory=theory)


def depth_and_context(paper, quick=False, seed=0):
    """Risk at the optimal step against the context ratio alpha for L = 1, 2, 3 (sigma^2 = 0 and
    0.5), and the risk against the step at alpha = 1, sigma^2 = 0: depth helps at alpha ~ 1."""
    n = Notation(paper.derivation())
    sizes, trials = SIZES["quick" if quick else "default"]
    alpha = np.geomspace(0.1, 20, 400)
    alpha_sim = [0.25, 0.5, 1.0, 2.0, 4.0] if not quick else [0.5, 1.0, 2.0]
    gamma = np.linspace(0.02, 2.0, 400)
    # Steps up to 1.5: beyond, the risk at alpha = 1 is carried by the top of the spectrum
    # (q = 1 - gamma lambda/L at the edge lambda = 4), whose finite-D shift is of order D^(-2/3)
    # and whose spread is large, so 1/D extrapolations at modest D are not meaningful there.
    gamma_sim = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5] if not quick else [0.5, 1.0, 1.5]

    # The points of every panel in one sweep: the optimal step at each simulated alpha first.
    points, where = [], []
    for letter, sigma2 in (("A", 0.0), ("B", 0.5)):
        for depth in DEPTHS:
            steps, _ = optimal_step(paper, depth, alpha_sim, sigma2)
            for a, g in zip(alpha_sim, steps):
                points.append({"alpha": a, "gamma": float(g), "sigma2": sigma2, "L": depth})
                where.append((letter, depth))
    for depth in DEPTHS:
        for g in _steps_shown(gamma_sim, depth):
            points.append({"alpha": 1.0, "gamma": g, "sigma2": 0.0, "L": depth})
            where.append(("C", depth))
    results = _simulate(points, sizes, trials, seed)

    panels = []
    for letter, sigma2 in (("A", 0.0), ("B", 0.5)):
        panel = Panel(f"optimal step, {n.eq('sigma2', sigma2)}", n.eq("alpha", "P/D"),
                      "risk at the optimal $\\gamma$", xscale="log", yscale="log", letter=letter)
        for depth in DEPTHS:
            label = f"$L = {depth}$"
            _, curve = optimal_step(paper, depth, alpha, sigma2)
            panel.curves.append(Curve(label, alpha, curve))
            chosen = [i for i, w in enumerate(where) if w == (letter, depth)]
            theory = [float(_theory(paper, f"risk_L{depth}")(points[i]["alpha"], points[i]["gamma"], sigma2))
                      for i in chosen]
            panel.curves.append(_markers(label, alpha_sim, [results[i] for i in chosen], theory))
        panels.append(panel)
    panel = Panel(f"{n.eq('alpha', 1)}, {n.eq('sigma2', 0)}", n("gamma"), "risk", ylim=(0, 1.2), letter="C")
    for depth in DEPTHS:
        label = f"$L = {depth}$"
        risk = _theory(paper, f"risk_L{depth}")
        panel.curves.append(Curve(label, gamma, np.asarray(risk(1.0, gamma, 0.0), dtype=float)))
        chosen = [i for i, w in enumerate(where) if w == ("C", depth)]
        shown = _steps_shown(gamma_sim, depth)
        panel.curves.append(_markers(label, shown, [results[i] for i in chosen],
                                     np.asarray(risk(1.0, np.array(shown), 0.0), dtype=float)))
    panels.append(panel)
    return Figure("depth-and-context", "Depth helps when the context is short (Bordelon et al. Fig. 1c)", panels,
                  caption="Lines: the checked ISO risks R_1, R_2, R_3 (risk_L1..3), in A and B at the step "
                          "that minimises each (depth 1: the checked gamma_1 and risk_L1_optimal; depth 2: the "
                          "checked root gamma_2 and risk_L2_optimal where R_2 is convex in gamma; depth 3 in A: "
                          "the checked gamma_3 = 3 alpha/(1 + alpha) and risk_L3_optimal; elsewhere (depth 3 in "
                          "B, depth 2 in B at alpha below about 0.2) the minimum over a grid of the checked "
                          "polynomial, no step states it). "
                          "Markers: the L-layer masked linear attention with weights set to Gamma = gamma I "
                          "(not trained, unlike the paper's SGD runs), one fresh context per trial. In C the "
                          "minima are the checked 1/2, 3/8 (gamma = 1) and 5/16 (gamma = 3/2).")


FIGURES = {"depth-and-context": depth_and_context}
