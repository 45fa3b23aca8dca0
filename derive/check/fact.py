"""Checking an asymptotic fact against a Monte Carlo simulation of the model.

A fact states that ``lhs - rhs``, computed from the random names the simulation draws at size
d, tends to 0 as d -> infinity, in the mode it names (``fact(..., mode=)``, :data:`MODES`):

* ``"mean"`` (the default): ``E(lhs - rhs) -> 0`` and the spread shrinks: the mean and the
  standard deviation below.
* ``"probability"``: ``P(|lhs - rhs| > eps) -> 0``.  The same tests with the **median** in place
  of the mean (its standard error from the order statistics, the sign-test interval) and the
  :data:`QUANTILE` quantile of ``|residual - median|`` in place of the standard deviation, and
  the median of the scale: a share of draws below ``1 - QUANTILE``, however far out, moves
  none of them.  ``X_d = d^2`` with probability ``1/d`` (else 0) tends to 0 in probability,
  not in mean: verified here, failed in mean.
* ``"almost surely"``: checked as in probability, which it implies; independent draws at each
  d test each d's law, not a sequence's path, so the almost-sure part is not checked (the
  evidence says so).

At every parameter point:

* **Scale.**  The tolerance is relative unless the simulation says ``absolute=True``: the
  threshold is ``T = tolerance x S``, ``S`` the mean over the draws at the largest d of the sum
  of the absolute values of the terms of the expanded residual (once the cited bindings and the
  point's parameters are substituted).  So ``P(m, z) = 0`` is measured against the size of the
  terms of ``P``, and ``X + 100 = 100`` against ``|X|`` alone.  A residual with a single term
  (``g = 0``) has nothing to be relative to and needs ``absolute=True``.
* **Mean.**  The mean residual at each d (real and imaginary parts apart) is fitted as
  ``a + b d^-p`` by weighted least squares (:func:`derive.montecarlo.fit`).  ``a +- s`` is the
  d = infinity residual.  With three sizes or more the fit's chi-square (real and imaginary
  parts summed) is a goodness-of-fit test: a p-value below :data:`REJECT` means the model does
  not describe the means.
* **Model.**  A declared exponent ``p`` is a claim of the derivation (2/3 at a spectral edge),
  trusted as long as its fit is not rejected; rejected, nothing is concluded.  An exponent that
  is not declared is not trusted: each ``q`` of :data:`UNDECLARED_EXPONENTS` (1/2 to 2) whose
  fit is not rejected gives its own ``a_q``, and the verdict must hold for all of them (``a +- s``
  is the fit with ``q = 1``, or the best one if that is rejected).  With three sizes a factor of
  2 apart, a wrong exponent is rarely rejected by the chi-square (a ``d^-2/3`` edge is told from
  ``1/d`` only with thousands of trials), so the fit alone cannot keep a wrong model from a
  verdict; requiring the verdict for every exponent the data allow can.
* **Spread.**  A residual whose mean vanishes but whose spread does not (a random sign) does
  not converge.  The standard deviation of the residual at each d is fitted as
  ``sigma + c d^-1/2``: fluctuations of order ``d^-1/2`` (the central limit rate) or smaller
  extrapolate to ``sigma <= 0``, a spread that does not shrink to itself.  ``sigma +- s_sigma``
  is its d = infinity value.  The spread is within the tolerance when ``sigma <= T`` and
  ``4 s_sigma <= T``, or, without extrapolating, when the standard deviation at the largest d is
  below ``T`` by 4 standard errors and has not grown since the smallest d.  (The standard
  deviation rather than the variance: a variance of ``T^2`` is much harder to resolve than a
  standard deviation of ``T``.)

Verdict at a point (``4 s`` is the smallest deviation the test could detect):

* **verified** when ``|a_q| <= T`` for every exponent allowed, ``4 s <= T`` and the spread is
  within the tolerance;
* **failed** when ``|a_q| - 4 s_q > T`` for every exponent allowed, or (with two sizes or more)
  ``sigma - 4 s_sigma > T``;
* **unverified** otherwise, with the reason.

The fact is failed when some point is, verified when every point is.  A fact whose statement,
after substituting the cited bindings, contains none of the names the simulation draws compares
nothing and is unverified.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .. import binders as _binders
from ..bindings import substitute
from ..montecarlo import chi2_sf, fit, sweep
from ..notation import Opaque

#: How many standard errors separate a decision from noise.
SIGMAS = 4
#: A finite-size fit whose chi-square has a p-value below this does not describe the means.
REJECT = 1e-3
#: The exponents an undeclared finite-size model is tested over (1 is the one reported).
UNDECLARED_EXPONENTS = tuple(float(q) for q in 2.0 ** np.linspace(-1, 1, 7))
#: Exponents scanned to suggest one when the model does not fit.
SCAN_EXPONENTS = tuple(float(q) for q in np.geomspace(0.1, 4, 49))


def check_fact(step, derivation=None):
    simulation = step.check
    mode = fact_mode(step)
    if simulation is None:
        return "unverified", "none", "no simulation attached to this fact", {}
    design = _design_flaw(simulation)
    if design:
        return "unverified", "monte carlo", design, {}
    statement = step.residual
    if derivation is not None:
        # Names bound above the fact (closed forms, notation) are substituted; what is left
        # are parameters and the random names the simulation draws.
        statement = substitute(statement, derivation.bindings(step.uses))
    draws = sweep(simulation.sample, simulation.points, simulation.sizes, simulation.trials,
                  simulation.seed, label=f"monte carlo {step.label}")
    drawn = list(draws[0, simulation.sizes[0]][0])
    # A drawn name the statement does not mention is fine; a statement with none left compares
    # the simulation with nothing.
    random_names = [name for name in drawn if statement.has(name)]
    if not random_names:
        return "unverified", "monte carlo", COMPARES_NOTHING, {"drawn": sorted(map(str, drawn))}
    if derivation is not None:
        undefined = [name for name in random_names if not _introduced(name, derivation, step)]
        if undefined:
            # A drawn name no step introduces is a constant of the sampler's choosing: it can
            # inflate the relative scale, or stand for anything.
            return ("unverified", "monte carlo",
                    f"the simulation draws {undefined[0]}, which no step of the derivation introduces "
                    "(define it, by its Meaning, as the random quantity it is)", {})
    placeholders = {name: sp.Dummy(f"r{i}") for i, name in enumerate(random_names)}
    residual = statement.xreplace(placeholders)
    leftover = residual.atoms(AppliedUndef, Opaque)
    if leftover:
        return ("unverified", "monte carlo",
                f"the simulation gives no value for {sorted(map(str, leftover))[0]}", {})
    variables = list(placeholders.values())
    parameters = sorted(residual.free_symbols - set(variables), key=str)
    # Parameters include those only inside the drawn names (w in R(w)): the points fix them too.
    varied = sorted((statement.free_symbols - set(random_names)) | set(parameters), key=str)
    rows = []
    admissible = [(i, point) for i, point in enumerate(simulation.points)
                  if _admissible(point, step.conditions, varied)]
    if not admissible:
        return ("unverified", "monte carlo",
                "no simulated point lies where the fact is claimed (its conditions and the parameters' "
                "assumed signs): the simulation tests something else", {})
    for index, point in admissible:
        missing = [p for p in parameters if p not in point]
        if missing:
            return "unverified", "monte carlo", f"point {index} gives no value for {missing[0]}", {}
        fixed = _binders.substitute(residual, {p: point[p] for p in parameters})
        terms = _terms(fixed)
        if not any(term.has(*variables) for term in terms):
            return ("unverified", "monte carlo", f"{COMPARES_NOTHING} (at point {index} the drawn names cancel)",
                    {"drawn": sorted(map(str, drawn))})
        value, magnitude = _evaluator([fixed], variables), _evaluator(terms, variables)
        samples, scales = {}, {}
        for d in simulation.sizes:
            columns = [np.asarray([draw[name] for draw in draws[index, d]]) for name in random_names]
            samples[d] = value(columns)[0]
            term_values = magnitude(columns)
            scales[d] = np.abs(term_values[~_cancelling(term_values)]).sum(axis=0)
            if not (np.all(np.isfinite(samples[d])) and np.all(np.isfinite(scales[d]))):
                return ("unverified", "monte carlo",
                        f"the simulation gave a value that is not finite (nan or inf) at point {index}, d = {d}", {})
        row = assess(simulation.sizes, samples, scales, simulation.tolerance,
                     absolute=simulation.absolute, exponent=simulation.exponent, terms=len(terms),
                     exact=getattr(simulation, "exact", False), mode=mode)
        rows.append({"point": {str(k): _plain(v) for k, v in point.items()}, **row})
    distinct = {tuple(str(point.get(p)) for p in varied) for _, point in admissible}
    if varied and len(distinct) < 2:
        return ("unverified", "monte carlo", SINGLE_POINT.format(", ".join(map(str, varied))), {"points": rows})
    return _verdict(rows, simulation, mode)


def _assess_exact(row, sizes, samples, means, ses, parts, threshold):
    """The verdict for a fact exact at every d: the mean residual within the tolerance at every
    size, each resolved to 4 standard errors; failed when some size is beyond it by more."""
    mean = [abs(complex(means[parts[0]][i], means[parts[1]][i] if len(parts) > 1 else 0.0))
            for i in range(len(sizes))]
    se = [_norm([ses[part][i] for part in parts]) for i in range(len(sizes))]
    worst = int(np.argmax([m / threshold for m in mean]))
    sd = [float(np.std(samples[d])) for d in sizes]
    row.update({"mean_residual": mean, "se": se, "extrapolated": mean[worst], "extrapolated_se": se[worst],
                "extrapolated_range": [mean[worst], mean[worst]], "exponent": None,
                "exponent_declared": False, "detectable": SIGMAS * max(se),
                "detectable_relative": SIGMAS * max(se) / row["scale"] if row["scale"] > 0 else float("inf"),
                "sd": sd, "spread": sd[-1], "spread_se": 0.0})
    beyond = [i for i in range(len(sizes)) if mean[i] - SIGMAS * se[i] > threshold]
    if beyond:
        i = beyond[0]
        return {**row, "status": "failed",
                "reason": f"claimed exact at every d, but at d={sizes[i]} the mean residual is {mean[i]:.3g} +- "
                          f"{se[i]:.2g}, beyond the tolerance {threshold:.3g} by more than {SIGMAS} standard errors"}
    if SIGMAS * max(se) > threshold:
        return {**row, "status": "unverified",
                "reason": f"too noisy to decide: {SIGMAS} standard errors are {SIGMAS * max(se):.3g}, above the "
                          f"tolerance {threshold:.3g}; use more trials"}
    if mean[worst] > threshold:
        return {**row, "status": "unverified",
                "reason": f"at d={sizes[worst]} the mean residual {mean[worst]:.3g} is above the tolerance "
                          f"{threshold:.3g} but not by {SIGMAS} standard errors"}
    return {**row, "status": "verified", "reason": ""}


#: Terms summing to less than this, relative to their size, at every draw cancel each other.
CANCEL = 1e-9


def _cancelling(values, largest=3):
    """A mask of the terms (rows of ``values``, one column per draw) that cancel in groups of up
    to ``largest`` at every draw, beside others that do not: the same random quantity under two
    names (Y - Z with Y = Z draw by draw, next to X).  They say nothing, and must not set the
    scale of a relative tolerance.  (Every term cancelling is the statement holding exactly.)"""
    count = len(values)
    mask = np.zeros(count, dtype=bool)
    sizes = np.abs(values)
    for size in range(2, min(largest, count) + 1):
        if size == 3 and count > 14:  # the triples of a long residual: too many to try
            break
        for group in itertools.combinations(range(count), size):
            if size == count or mask[list(group)].any():
                continue  # all the terms cancelling is the statement being true, not inflated
            together = np.abs(values[list(group)].sum(axis=0))
            apart = sizes[list(group)].sum(axis=0)
            if np.all(apart > 0) and np.all(together <= CANCEL * apart):
                mask[list(group)] = True
    return mask


def _design_flaw(simulation):
    """Why ``simulation`` cannot support a verdict whatever it draws, or ''.

    No points test nothing; one size (or repeated sizes) leaves nothing to extrapolate to
    d = infinity; one trial gives no standard error; a tolerance that is not a finite positive
    number accepts anything."""
    try:
        tolerance = float(simulation.tolerance)
    except (TypeError, ValueError):
        return f"tolerance {simulation.tolerance!r} is not a number"
    if not simulation.points:
        return "the simulation has no points: a fact verified at every one of none is not tested"
    if len(set(simulation.sizes)) < 2:
        return (f"the simulation has a single size d = {sorted(set(simulation.sizes))}: nothing to "
                "extrapolate to d = infinity, so a finite-size value cannot be told from the limit")
    if simulation.trials < 2:
        return "one trial per size gives no standard error: the test cannot tell noise from a difference"
    if not (0 < tolerance < np.inf):
        return f"tolerance {tolerance:g} must be a finite positive number"
    return ""


def _introduced(name, derivation, fact=None):
    """Whether the derivation introduces ``name`` (a symbol, or a function of it) as a quantity of
    its own: a step other than ``fact`` states something of it (its definition by a Meaning, a
    curve it solves, a relation), or it is an opaque object (a spectral mean).  A name only the
    fact and its sampler know is a constant of the sampler's choosing."""
    if isinstance(name, Opaque):
        return True
    head = name.func if isinstance(name, AppliedUndef) else None
    for other in derivation:
        if fact is not None and other.label == fact.label:
            continue
        statement = other.statement
        if statement.has(name) or (head is not None and any(a.func == head for a in statement.atoms(AppliedUndef))):
            return True
    return False


def _admissible(point, conditions, parameters):
    """Whether ``point`` lies where a fact is claimed: its conditions hold there, and every
    parameter (those inside a drawn name, ``x`` in ``X(x)``, too) has every property its symbol
    assumes (:func:`derive.sampling.satisfies`: sign, parity, primality...).  A condition that
    cannot be evaluated at the point (it involves a name the point does not fix) does not
    exclude it."""
    from ..sampling import condition_holds, satisfies

    values = {k: v for k, v in point.items()}
    for symbol in parameters:
        if symbol in values:
            try:
                if not satisfies(symbol, values[symbol]):
                    return False
            except (TypeError, ValueError):
                return False
    for condition in conditions:
        if not condition.free_symbols <= set(values):
            continue
        try:
            if not condition_holds(condition, values):
                return False
        except (TypeError, ValueError):
            continue
    return True


SINGLE_POINT = ("tested at a single value of its parameters ({}): a wrong formula can agree with the "
                "right one at one point; simulate at two or more")
COMPARES_NOTHING = ("compares nothing: after substituting the cited bindings, no name the simulation "
                    "draws is left in the statement")


#: An expansion with more terms than this is not used for the scale (the residual's own
#: summands are).
MAX_TERMS = 400


def _terms(residual):
    """The nonzero terms of the expanded residual (numbers combined, identical terms cancelled):
    ``X + 100 = 100`` has the single term ``X``, ``c z m^2 + (z - 1 + c) m + 1 = 0`` three."""
    try:
        expanded = sp.expand(residual)
        terms = sp.Add.make_args(expanded)
        if len(terms) > MAX_TERMS:
            terms = sp.Add.make_args(residual)
    except (TypeError, ValueError, RecursionError):
        terms = sp.Add.make_args(residual)
    return [t for t in terms if t != 0]


def _evaluator(exprs, variables):
    """``columns -> complex array (len(exprs), draws)``: the expressions at every draw (one array
    of draws per variable), vectorised when numpy can, draw by draw otherwise."""
    function = sp.lambdify(variables, list(exprs), modules="numpy")

    def evaluate(columns):
        n = len(columns[0])
        one_by_one = function
        try:
            with np.errstate(all="ignore"):
                out = [np.asarray(v, dtype=complex) for v in function(*columns)]
            if all(v.shape in ((n,), ()) for v in out):
                return np.array([np.broadcast_to(v, (n,)) for v in out])
        except (TypeError, ValueError, ZeroDivisionError):
            pass
        except NameError:
            # A function numpy has no counterpart for (a hypergeometric closed form): mpmath.
            mp_function = sp.lambdify(variables, list(exprs), modules="mpmath")
            one_by_one = lambda *values: mp_function(*[complex(v) for v in values])
        return np.array([[complex(v) for v in one_by_one(*[c[i] for c in columns])] for i in range(n)]).T

    return evaluate


def assess(sizes, samples, scales, tolerance, absolute=False, exponent=None, terms=2, exact=False, mode="mean"):
    """The verdict at one point: a dict of the numbers, ``status`` and ``reason``.

    ``samples[d]`` are the residuals ``lhs - rhs`` of the draws at size ``d`` (complex), and
    ``scales[d]`` the sums of the absolute values of the expanded residual's terms at those draws;
    ``terms`` is how many terms it has.  ``mode`` (:data:`MODES`): with ``"mean"`` the location
    is the mean and the spread the standard deviation; in probability (or almost surely) the
    median and a quantile (:func:`_location`, :func:`_spread_quantile`).
    """
    sizes = sorted(sizes)
    # In probability the scale is a median too: an outlier must not set the tolerance.
    scale = float(np.mean(scales[sizes[-1]]) if mode == "mean" else np.median(scales[sizes[-1]]))
    threshold = float(tolerance) if absolute else float(tolerance) * scale
    row = {"sizes": sizes, "scale": scale, "tolerance": threshold, "relative": not absolute}
    if not absolute and terms < 2:
        return {**row, "status": "unverified",
                "reason": "the statement has a single term once expanded (lhs - rhs = X), so there is no "
                          "scale for a relative tolerance: give the simulation absolute=True and a tolerance "
                          "in the quantity's units"}
    if not threshold > 0:
        return {**row, "status": "unverified",
                "reason": "the statement's terms vanish at every draw: there is no scale for a relative "
                          "tolerance (use absolute=True)"}

    samples = {d: np.asarray(samples[d], dtype=complex) for d in sizes}
    parts = [np.real] + ([np.imag] if any(np.any(samples[d].imag != 0) for d in sizes) else [])
    robust = mode != "mean"
    located = {part: [_location(part(samples[d]), robust) for d in sizes] for part in parts}
    means = {part: [m for m, _ in located[part]] for part in parts}
    ses = {part: [s for _, s in located[part]] for part in parts}
    if exact:
        return _assess_exact(row, sizes, samples, means, ses, parts, threshold)
    # In the goodness of fit, standard errors far below the tolerance (the round-off of an exact
    # fact) are floored: a misfit a thousandth of the tolerance cannot change the verdict.
    resolution = threshold * 1e-3

    def model(q):
        fits = [fit(sizes, means[part], ses[part], q, resolution=resolution) for part in parts]
        chi2, dof = sum(f.chi2 for f in fits), sum(f.dof for f in fits)
        return {"exponent": q, "a": complex(fits[0].a, fits[1].a if len(fits) > 1 else 0.0),
                "se": _norm([f.se for f in fits]),
                "chi2": chi2, "dof": dof, "p_value": chi2_sf(chi2, dof)}

    declared = exponent is not None
    family = [model(float(exponent))] if declared else [model(q) for q in UNDECLARED_EXPONENTS]
    accepted = [f for f in family if f["p_value"] >= REJECT]
    central = (family[0] if declared else
               next((f for f in accepted if f["exponent"] == 1.0), None)
               or min(accepted or family, key=lambda f: f["chi2"]))
    a, s = central["a"], central["se"]
    detectable = SIGMAS * s
    spread = _spread_quantile(sizes, samples) if robust else _spread(sizes, samples)
    (last, last_se), (first, first_se) = spread["largest"], spread["first"]
    # Without extrapolating: the spread at the largest d bounds the limit if it does not grow.
    spread["within"] = (last + SIGMAS * last_se <= threshold
                        and last <= first + SIGMAS * float(np.hypot(first_se, last_se)))
    row.update({
        "mean_residual": [_plain(complex(means[parts[0]][i], means[parts[1]][i] if len(parts) > 1 else 0.0))
                          for i in range(len(sizes))],
        "se": [_norm([ses[part][i] for part in parts]) for i in range(len(sizes))],
        "exponent": central["exponent"], "exponent_declared": declared,
        "extrapolated": abs(a), "extrapolated_residual": _plain(a), "extrapolated_se": s,
        "chi2": central["chi2"], "dof": central["dof"], "p_value": central["p_value"],
        "exponents_accepted": [f["exponent"] for f in accepted],
        "extrapolated_range": [min((abs(f["a"]) for f in accepted), default=abs(a)),
                               max((abs(f["a"]) for f in accepted), default=abs(a))],
        "detectable": detectable, "detectable_relative": detectable / scale if scale > 0 else float("inf"),
        "sd": spread["sd"], "sd_se": spread["sd_se"], "rms": spread["rms"],
        "spread": spread["sigma"], "spread_se": spread["se"],
    })
    if not accepted:
        best = min((model(q) for q in SCAN_EXPONENTS), key=lambda f: f["chi2"])
        hint = (f"; the best single power is d^-{best['exponent']:.2g} (p = {best['p_value']:.2g})"
                if best["p_value"] >= REJECT else "; no single power d^-q fits either")
        what = (f"a + b d^-{central['exponent']:.3g}" if declared else
                "a + b d^-q for any q from 1/2 to 2")
        return {**row, "status": "unverified",
                "reason": f"the finite-size model {what} does not fit the means (chi-square "
                          f"{central['chi2']:.1f} for {central['dof']} degrees of freedom with d^-"
                          f"{central['exponent']:.3g}, p = {central['p_value']:.1g}): the corrections are of "
                          f"another order; declare it with Simulation(exponent=...){hint}"}

    sigma, s_sigma = spread["sigma"], spread["se"]
    located = "residual" if mode == "mean" else "median residual"
    worst = max(accepted, key=lambda f: abs(f["a"]))
    if all(abs(f["a"]) - SIGMAS * f["se"] > threshold for f in accepted):
        status, reason = "failed", (f"the {located} at d=inf is {abs(a):.3g} +- {s:.2g}, beyond the tolerance "
                                    f"{threshold:.3g} by more than {SIGMAS} standard errors")
    elif len(sizes) > 1 and sigma - SIGMAS * s_sigma > threshold:  # (one size: it may still shrink)
        status, reason = "failed", (f"the residual does not concentrate: its {_spread_name(mode)} at d=inf is "
                                    f"{sigma:.3g} +- {s_sigma:.2g}, beyond the tolerance {threshold:.3g} by "
                                    f"more than {SIGMAS} standard errors")
    elif detectable > threshold:
        status, reason = "unverified", (f"too noisy to decide: {SIGMAS} standard errors of the residual at "
                                        f"d=inf are {detectable:.3g}, above the tolerance {threshold:.3g}; use "
                                        f"more trials or larger d")
    elif abs(a) > threshold:
        status, reason = "unverified", (f"the {located} at d=inf is {abs(a):.3g} +- {s:.2g}, above the "
                                        f"tolerance {threshold:.3g} but not by {SIGMAS} standard errors, or not "
                                        f"with every finite-size exponent the data allow")
    elif abs(worst["a"]) > threshold:
        status, reason = "unverified", (f"the {located} at d=inf depends on the finite-size model: "
                                        f"{abs(a):.3g} with corrections d^-{central['exponent']:.2g} but "
                                        f"{abs(worst['a']):.3g} with d^-{worst['exponent']:.2g}, which the data "
                                        f"do not reject, against the tolerance {threshold:.3g}; declare the "
                                        f"exponent (Simulation(exponent=...)) or add sizes and trials")
    elif not (spread["within"] or (sigma <= threshold and SIGMAS * s_sigma <= threshold)):
        status, reason = "unverified", (f"cannot tell whether the residual concentrates: its {_spread_name(mode)} "
                                        f"is {spread['sd'][-1]:.3g} +- {spread['sd_se'][-1]:.2g} at d={sizes[-1]} and "
                                        f"{sigma:.3g} +- {s_sigma:.2g} extrapolated to d=inf, against the "
                                        f"tolerance {threshold:.3g}; use more trials or larger d")
    else:
        status, reason = "verified", ""
    return {**row, "status": status, "reason": reason}


def _norm(values):
    """The standard error of a complex estimate from those of its parts."""
    return float(np.sqrt(sum(v * v for v in values)))


def _se(values):
    values = np.asarray(values, dtype=float)
    return float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else float("inf")


#: The modes of convergence a fact may claim, with what each checks (the verdict's evidence).
MODES = {
    "mean": "convergence in mean: E(lhs - rhs) -> 0, tested by the mean and the standard deviation of the "
            "residual, extrapolated in d",
    "probability": "convergence in probability: P(|lhs - rhs| > eps) -> 0, tested by the median and the "
                   "{level:.0%} quantile of |residual - median|, extrapolated in d (draws farther out, fewer "
                   "than {share:.0%} of them, are allowed: a heavy tail whose weight shrinks)",
    "almost surely": "almost sure convergence, of which only its consequence, convergence in probability, is "
                     "tested: the median and the {level:.0%} quantile of |residual - median|, extrapolated in d; "
                     "independent draws at each d say nothing about one sequence's path",
}
#: In probability the spread is this quantile of |residual - median|: up to 1 - QUANTILE of the
#: draws may lie anywhere (X_d = d^2 with probability 1/d tends to 0 in probability).
QUANTILE = 0.9


def _spread_name(mode):
    return "standard deviation" if mode == "mean" else f"{QUANTILE:.0%} quantile of |residual - median|"


def fact_mode(step):
    """The mode of convergence ``step`` claims (``"mean"`` unless the fact says otherwise)."""
    return step.rule.get("mode", "mean") if isinstance(step.rule, dict) else "mean"


def describe_mode(mode):
    """One line saying what ``mode`` claims and how it is checked."""
    return MODES[mode].format(level=QUANTILE, share=1 - QUANTILE)


def _order_statistic(values, level):
    """The ``level`` quantile of ``values`` and its standard error, distribution-free: half the
    width of the order statistics one binomial standard deviation either side of ``n level``
    (the sign-test interval), so a heavy tail beyond the quantile does not widen it."""
    ordered = np.sort(np.asarray(values, dtype=float))
    n = len(ordered)
    if n < 2:
        return (float(ordered[0]) if n else 0.0), float("inf")
    centre = level * (n - 1)
    width = np.sqrt(n * level * (1 - level))
    low, high = int(np.floor(max(centre - width, 0))), int(np.ceil(min(centre + width, n - 1)))
    return float(np.quantile(ordered, level)), float(ordered[high] - ordered[low]) / 2


def _location(values, robust):
    """``(location, standard error)`` of one part of the residual: the mean, or the median."""
    if robust:
        return _order_statistic(values, 0.5)
    return float(np.mean(values)), _se(values)


def _spread_quantile(sizes, samples):
    """As :func:`_spread`, with the :data:`QUANTILE` quantile of ``|residual - median|`` (the
    median of the real and imaginary parts) in place of the standard deviation: a spread blind to
    a share of outliers below ``1 - QUANTILE``, whatever their size."""
    sds, ses, rms = [], [], []
    for d in sizes:
        values = np.asarray(samples[d], dtype=complex)
        centre = complex(np.median(values.real), np.median(values.imag))
        quantile, se = _order_statistic(np.abs(values - centre), QUANTILE)
        sds.append(quantile)
        ses.append(se)
        rms.append(float(np.sqrt(np.mean(np.abs(values) ** 2))))  # reported as in mean mode
    result = fit(sizes, sds, ses, SPREAD_EXPONENT)
    return {"sd": sds, "sd_se": ses, "rms": rms, "sigma": result.a, "se": result.se,
            "largest": (sds[-1], ses[-1]), "first": (sds[0], ses[0])}


#: The order of the fluctuations the spread is extrapolated with: d^-1/2, the central limit rate.
SPREAD_EXPONENT = 0.5


def _spread(sizes, samples):
    """The standard deviation of the residual at each d, its standard error (delta method from
    the variance's, which comes from the fourth moment), and its fit ``sigma + c d^-1/2``."""
    sds, ses, rms = [], [], []
    for d in sizes:
        values = samples[d]
        n = len(values)
        squares = np.abs(values - values.mean()) ** 2
        sd = float(np.sqrt(squares.sum() / (n - 1))) if n > 1 else 0.0
        se = _se(squares) / (2 * sd) if n > 1 and sd > 0 else (0.0 if n > 1 else float("inf"))
        sds.append(sd)
        ses.append(se)
        rms.append(float(np.sqrt(np.mean(np.abs(values) ** 2))))
    result = fit(sizes, sds, ses, SPREAD_EXPONENT)
    return {"sd": sds, "sd_se": ses, "rms": rms, "sigma": result.a, "se": result.se,
            "largest": (sds[-1], ses[-1]), "first": (sds[0], ses[0])}


def _verdict(rows, simulation, mode="mean"):
    statuses = [row["status"] for row in rows]
    verdict = ("failed" if "failed" in statuses else "unverified" if "unverified" in statuses else "verified")
    sizes = ",".join(str(d) for d in simulation.sizes)
    method = f"monte carlo: d={sizes}, {simulation.trials} trials"
    if getattr(simulation, "exact", False):
        method += ", exact at every d (no extrapolation)"
    elif len(simulation.sizes) > 1:
        if simulation.exponent is None:
            method += ", d^-1 extrapolation (exponents 1/2 to 2 tried)"
        else:
            method += f", d^-{simulation.exponent:.3g} extrapolation (declared)"
    kind = "absolute" if simulation.absolute else "relative"
    decided = [row for row in rows if "extrapolated" in row]
    parts = [f"{len(rows)} points"]
    if decided:
        worst = max(decided, key=lambda r: r["extrapolated"] / r["tolerance"])
        weakest = max(decided, key=lambda r: r["detectable"] / r["tolerance"])
        spread = max(decided, key=lambda r: r["sd"][-1] / r["tolerance"])
        model = max(decided, key=lambda r: r["extrapolated_range"][1] / r["tolerance"])
        where = "over the sizes" if getattr(simulation, "exact", False) else "at d=inf"
        residual = "|residual|" if mode == "mean" else "|median residual|"
        parts.append(f"largest {residual} {where} {worst['extrapolated']:.2e} +- {worst['extrapolated_se']:.1e} "
                     f"against the tolerance {worst['tolerance']:.2e} ({simulation.tolerance:g} {kind})")
        if simulation.exponent is None and not getattr(simulation, "exact", False):
            parts.append(f"at most {model['extrapolated_range'][1] / model['tolerance']:.2f} tolerances "
                         f"with any exponent the data allow")
        parts.append(f"smallest detectable deviation {weakest['detectable']:.1e} "
                     f"({weakest['detectable_relative']:.1e} relative)")
        parts.append(f"{_spread_name(mode)} {spread['sd'][-1]:.1e} at d={spread['sizes'][-1]}, "
                     f"{max(spread['spread'], 0.0):.1e} +- {spread['spread_se']:.1e} at d=inf")
    parts.append(describe_mode(mode))
    evidence = "; ".join(parts)
    if verdict != "verified":
        index, row = next((i, r) for i, r in enumerate(rows) if r["status"] == verdict)
        evidence = f"point {index}: {row['reason']}. " + evidence
    return verdict, method, evidence, {"points": rows}


def _plain(value):
    value = complex(value)
    return value.real if value.imag == 0 else [value.real, value.imag]
