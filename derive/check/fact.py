"""Checking an asymptotic fact against a Monte Carlo simulation of the model.

For each parameter point and size d the simulation draws the statement's random names; the
residual ``lhs - rhs`` is computed per trial, averaged with its standard error, and
extrapolated to d = infinity in 1/d (:func:`derive.montecarlo.extrapolate`).  With ``tol`` the
simulation's tolerance and ``a +- s`` the extrapolated residual (real and imaginary parts
combined), at every point:

* verified when ``|a| <= tol`` and ``4 s <= tol`` (the test could have seen an error of tol);
* failed when ``|a| - 4 s > tol`` at some point;
* unverified otherwise (too noisy to decide).
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..bindings import substitute
from ..notation import Meaning
from ..rmt.spectral import SpectralMean
from ..montecarlo import summarise, sweep


def check_fact(step, derivation=None):
    simulation = step.check
    if simulation is None:
        return "unverified", "none", "no simulation attached to this fact", {}
    statement = step.residual
    if derivation is not None:
        # Names bound above the fact (closed forms, notation) are substituted; what is left
        # are parameters and the random names the simulation draws.
        statement = substitute(statement, derivation.bindings(step.uses))
    draws = sweep(simulation.sample, simulation.points, simulation.sizes, simulation.trials,
                  simulation.seed, label=f"monte carlo {step.label}")
    random_names = list(draws[0, simulation.sizes[0]][0])
    placeholders = {name: sp.Dummy(f"r{i}") for i, name in enumerate(random_names)}
    residual = statement.xreplace(placeholders)
    leftover = residual.atoms(AppliedUndef, SpectralMean, Meaning)
    if leftover:
        return ("unverified", "monte carlo",
                f"the simulation gives no value for {sorted(map(str, leftover))[0]}", {})
    rows = []
    verdict = "verified"
    tol = simulation.tolerance
    for index, point in enumerate(simulation.points):
        parameters = sorted(residual.free_symbols - set(placeholders.values()), key=str)
        missing = [p for p in parameters if p not in point]
        if missing:
            return "unverified", "monte carlo", f"point {index} gives no value for {missing[0]}", {}
        fixed = residual.subs({p: point[p] for p in parameters})
        function = sp.lambdify(list(placeholders.values()), fixed, modules="numpy")
        value = lambda draw: complex(function(*[draw[name] for name in random_names]))
        real, (a_re, s_re, _) = summarise(draws, index, simulation.sizes, lambda w: value(w).real)
        imag, (a_im, s_im, _) = summarise(draws, index, simulation.sizes, lambda w: value(w).imag)
        if all(e.mean == 0 and e.se == 0 for e in imag.values()):
            a_im, s_im = 0.0, 0.0
        a, s = float(np.hypot(a_re, a_im)), float(np.hypot(s_re, s_im))
        if abs(a) - 4 * s > tol:
            status = "failed"
        elif abs(a) <= tol and 4 * s <= tol:
            status = "verified"
        else:
            status = "unverified"
        rows.append({"point": {str(k): _plain(v) for k, v in point.items()},
                     "sizes": list(simulation.sizes),
                     "mean_residual": [_plain(complex(real[d].mean, imag[d].mean)) for d in simulation.sizes],
                     "se": [float(np.hypot(real[d].se, imag[d].se)) for d in simulation.sizes],
                     "extrapolated": a, "extrapolated_se": s, "status": status})
        if status == "failed":
            verdict = "failed"
        elif status == "unverified" and verdict == "verified":
            verdict = "unverified"
    worst = max(rows, key=lambda r: abs(r["extrapolated"]))
    sizes = ",".join(str(d) for d in simulation.sizes)
    method = f"monte carlo: d={sizes}, {simulation.trials} trials"
    if len(simulation.sizes) > 1:
        method += ", 1/d extrapolation"
    evidence = (f"{len(rows)} points; largest |residual| at d=inf {worst['extrapolated']:.2e} "
                f"+- {worst['extrapolated_se']:.1e} (tolerance {simulation.tolerance:g})")
    return verdict, method, evidence, {"points": rows}


def _plain(value):
    value = complex(value)
    return value.real if value.imag == 0 else [value.real, value.imag]
