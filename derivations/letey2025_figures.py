"""The figure of the d = infinity alignment error for power-law task covariances
(docs/derivations/letey2025.md, "d = infinity for power laws").

The error against kappa for pretraining spectra j^-p, p = 0.3, 0.5, 0.7, tested on the same
covariance (matched) and on the reversed one (anti-aligned): the d = infinity theory
(:func:`derivations.letey2025_powerlaw.alignment_error_infinite`, one vectorised call per
curve), the finite-d theory (``alignment_error`` on the d eigenvalues) at d = 100 and 10000,
which approaches it like d^-(1 - p), and ridge fits of the model at p = 0.5 (d = 32 with 8
trials, ridge 1e-4; ``quick``: d = 12 with 3 trials), against the finite-d theory at their own d.
alpha = alpha_test = 2, tau = 2, sigma^2 = 0.1, ridgeless (xi = 0).
"""

from __future__ import annotations

import numpy as np

from derive.figures import Curve, Figure, Notation, Panel, Simulation
from derive.montecarlo import Estimate, sweep

from .letey2025_alignment import alignment_error
from .letey2025_powerlaw import alignment_error_infinite, power_covariances, sample_power_law_fit

#: alpha = alpha_test, tau and sigma2 of the figure: ridgeless theory with tau > 1 (xi = 0).
SETTING = {"alpha": 2.0, "tau": 2.0, "sigma2": 0.1, "lam_L": 0.0}
#: The ridge of the simulated fits: the ridgeless theory is its limit, and it keeps the fit well posed.
LAM_SIM = 1e-4
POWERS = (0.3, 0.5, 0.7)
COLOURS = {0.3: "C0", 0.5: "C1", 0.7: "C2"}


def _finite(p, d, kappa, aligned):
    train, test = power_covariances(p, p, d, aligned)
    s = SETTING
    return np.array([alignment_error(train, test, s["alpha"], s["alpha"], k, s["tau"], s["sigma2"], s["lam_L"])["e"]
                     for k in kappa])


def error_against_kappa(paper, quick=False, seed=0):
    """The error against kappa at d = infinity, at d = 100 and 10000, and ridge fits (p = 0.5)."""
    n = Notation(paper.derivation())
    s = SETTING
    kappa = np.geomspace(0.1, 30, 400)
    kappa_coarse = np.geomspace(0.1, 30, 24)
    kappa_sim = [0.25, 1.0, 4.0] if quick else [0.25, 0.5, 1.0, 2.0, 4.0, 8.0]
    d_sim, trials = (12, 3) if quick else (32, 8)
    panels = []
    for aligned, name, letter in ((True, "matched test, $C_{\\mathrm{test}} = C_{\\mathrm{train}}$", "A"),
                                  (False, "anti-aligned test (reversed order)", "B")):
        panel = Panel(name, n("kappa"), "$e$", xscale="log", yscale="log", letter=letter, quantity="e",
                      x_name="kappa")
        for p in POWERS:
            theory = alignment_error_infinite(p, p, s["alpha"], s["alpha"], kappa, s["tau"], s["sigma2"], s["lam_L"],
                                              aligned=aligned)["e"]
            fixed = {"p": p, "aligned": int(aligned)}
            panel.curves.append(Curve(f"$p = {p}$", kappa, theory, color=COLOURS[p], kind="$d = \\infty$",
                                      params={**fixed, "d": np.inf}))
            for d, style in ((100, ":"), (10000, "--")):
                panel.curves.append(Curve(f"$p = {p}$", kappa_coarse, _finite(p, d, kappa_coarse, aligned),
                                          color=COLOURS[p], linestyle=style, kind=f"$d = {d}$",
                                          params={**fixed, "d": d}))
        points = [{**s, "lam_L": LAM_SIM, "alpha_test": s["alpha"], "kappa": k, "p": 0.5, "q": 0.5,
                   "aligned": int(aligned)}
                  for k in kappa_sim]
        draws = sweep(sample_power_law_fit, points, (d_sim,), trials, seed + int(aligned), label="figure simulations")
        estimates = [Estimate.of([r["e"] for r in draws[i, d_sim]]) for i in range(len(points))]
        fixed = {"p": 0.5, "aligned": int(aligned)}
        panel.curves.append(Curve("$p = 0.5$", kappa_coarse, _finite(0.5, d_sim, kappa_coarse, aligned),
                                  color=COLOURS[0.5], linestyle="-.", kind=f"$d = {d_sim}$ (the fits' size)",
                                  params={**fixed, "d": d_sim}))
        panel.curves.append(Simulation("$p = 0.5$", kappa_sim, {d_sim: estimates},
                                       theory=_finite(0.5, d_sim, kappa_sim, aligned), params=fixed))
        panels.append(panel)
    return Figure("powerlaw-kappa", "Power-law covariances $j^{-p}$: the error against task diversity; "
                  f"{n.values(alpha=2, tau=2)}, $\\sigma^2 = 0.1$, ridgeless", panels,
                  caption="Pretraining spectra j^-p, tested on the same covariance and on the reversed one. "
                          "Solid: d = infinity; dotted: d = 100; dashed: d = 10000 (the finite-d theory approaches "
                          "d = infinity like d^-(1-p)); points: ridge fits of the model at p = 0.5.")


FIGURES = {"powerlaw-kappa": error_against_kappa}
