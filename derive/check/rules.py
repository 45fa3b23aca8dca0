"""Checks specific to a rule: the evidence that a computed statement is what the rule gives.

Each function returns ``(status, method, evidence, details)`` or ``None`` when the rule-specific
route did not decide, in which case the generic exact checker runs.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .. import bindings as _bindings
from ..branch import select
from ..sampling import admissible_points, evaluate
from ..timeout import TimeLimitExceeded, time_limit
from . import numeric
from .symbolic import is_zero

#: sympy's limit and series either succeed within a second or run for minutes.
LIMIT_SECONDS = 8.0


def check_solve(step, derivation):
    """The stated form is a root of the premise, and it is the branch the conditions name."""
    premise = derivation[step.uses[0]]
    name, form = step.rule["name"], step.statement.rhs
    if step.statement.lhs != name:
        return None  # not of the form name = root: the generic checker decides
    if not premise.residual.has(name):
        # A root of an equation that does not mention the name would be vacuous.
        return "unverified", "solve: no equation", f"'{premise.label}' does not involve {name}", {}
    table = derivation.bindings(step.uses)
    premise_residual = premise.residual.subs(name, form)
    closed = _bindings.substitute(premise_residual, table)
    how = is_zero(closed)
    if how:
        root = f"root by {how}"
    else:
        outcome = numeric.check(closed, 0, conditions=step.conditions)
        if outcome.status != "verified":
            return outcome.status, "solve: root check", f"is {name} = form a root? {outcome.evidence}", \
                outcome.details
        root = "root numerically"
    branch = step.rule.get("branch", ())
    if not branch:
        return "verified", f"solve: {root}", f"{form} solves '{premise.label}' (single root)", {}
    chosen, evidence = select(name, [_bindings.substitute(form, table)], branch, step.conditions,
                              seed=1)
    if not chosen:
        return "failed", f"solve: {root}, branch fails", "; ".join(evidence) or "branch conditions fail", {}
    return ("verified", f"solve: {root} + branch at random points", "; ".join(evidence),
            {"branch": [str(b) for b in branch]})


def check_differentiate(step, derivation):
    premise = derivation[step.uses[0]]
    wrt = step.rule["wrt"]
    how = is_zero(step.residual - sp.diff(premise.residual, wrt))
    if how:
        return "verified", "differentiation (sympy)", f"d/d{wrt} of '{premise.label}'", {}
    return None


def check_limit(step, derivation):
    """``Limit(expr, var, point) = value``: sympy's limit, else a numeric approach to the point."""
    limit = step.statement.lhs
    if not isinstance(limit, sp.Limit):
        return None
    expr, var, point = limit.args[0], limit.args[1], limit.args[2]
    table = derivation.bindings(step.uses)
    closed = _bindings.substitute(expr, table)
    value = _bindings.substitute(step.statement.rhs, table)
    try:
        with time_limit(LIMIT_SECONDS):
            found = sp.limit(closed, var, point, str(limit.args[3]))
        how = is_zero(found - value)
        if how:
            return "verified", "limit (sympy)", f"limit computed by sympy, difference 0 by {how}", {}
    except (TimeLimitExceeded, NotImplementedError, ValueError, TypeError):
        pass
    return _numeric_limit(closed, value, var, point, step.conditions)


def refute_limit(step, derivation):
    """The numeric route of :func:`check_limit` alone: a fast refutation of a wrong limit."""
    limit = step.statement.lhs
    if not isinstance(limit, sp.Limit):
        return None
    table = derivation.bindings(step.uses)
    closed = _bindings.substitute(limit.args[0], table)
    value = _bindings.substitute(step.statement.rhs, table)
    return _numeric_limit(closed, value, limit.args[1], limit.args[2], step.conditions)


def _numeric_limit(closed, value, var, point, conditions):
    """Evaluate at distances 1e-30 and 1e-60 from the point (or 1e30, 1e60 for infinity)."""
    rng = np.random.default_rng(0)
    others = (closed.free_symbols | sp.sympify(value).free_symbols) - {var}
    points = admissible_points(others, [c for c in conditions if var not in c.free_symbols], 4, rng)
    if not points:
        return None
    worst_far, worst_near = mpmath.mpf(0), mpmath.mpf(0)
    for p in points:
        gaps = []
        for k in (30, 60):
            if point in (sp.oo, -sp.oo):
                at = sp.sign(point) * sp.Integer(10) ** k
            else:
                at = point + sp.Integer(10) ** (-k)
            with mpmath.workdps(150):
                a = evaluate(closed, {**p, var: evaluate(at, {}, 150)}, 150)
                b = evaluate(value, p, 150)
                gaps.append(abs(a - b) / (1 + abs(b)))
        worst_near, worst_far = max(worst_near, gaps[0]), max(worst_far, gaps[1])
    if worst_far <= mpmath.mpf("1e-25"):
        return ("verified", "limit (numeric, 150 digits)",
                f"relative gap {mpmath.nstr(worst_near, 2)} at 1e30, {mpmath.nstr(worst_far, 2)} at 1e60", {})
    if worst_far > mpmath.mpf("1e-10") and worst_far >= worst_near / 2:
        return ("failed", "limit (numeric, 150 digits)",
                f"the gap does not close: {mpmath.nstr(worst_near, 3)} at 1e30, {mpmath.nstr(worst_far, 3)} at 1e60", {})
    return ("unverified", "limit (numeric)",
            f"gap {mpmath.nstr(worst_far, 3)} too slow to decide", {})


def check_series(step, derivation):
    """``expr = polynomial + O(var**n)``: the difference has no term below the order."""
    rhs = step.statement.rhs
    var, point, order = step.rule["var"], step.rule["point"], step.rule["order"]
    table = derivation.bindings(step.uses)
    closed = _bindings.substitute(step.statement.lhs, table)
    polynomial = _bindings.substitute(rhs.removeO() if hasattr(rhs, "removeO") else rhs, table)
    polynomial = polynomial.doit()
    difference = closed - polynomial
    t = sp.Dummy("t", positive=True)
    if point in (sp.oo, -sp.oo):
        local = difference.subs(var, sp.sign(point) / t)
    else:
        local = difference.subs(var, point + t)
    try:
        with time_limit(LIMIT_SECONDS):
            expansion = sp.series(local, t, 0, order).removeO()
        how = is_zero(expansion)
        if how:
            return "verified", "series (sympy)", f"difference is O({var}^{order}) by {how}", {}
    except (TimeLimitExceeded, NotImplementedError, ValueError, TypeError):
        pass
    return _numeric_order(local, t, order, step.conditions)


def _numeric_order(local, t, order, conditions):
    """``local(t) / t**order`` must stay bounded as t goes from 1e-20 to 1e-40."""
    rng = np.random.default_rng(0)
    points = admissible_points(local.free_symbols - {t}, [c for c in conditions], 4, rng)
    growth = mpmath.mpf(0)
    for p in points:
        ratios = []
        for k in (20, 40):
            with mpmath.workdps(200):
                h = mpmath.mpf(10) ** (-k)
                ratios.append(abs(evaluate(local, {**p, t: h}, 200)) / h ** order)
        growth = max(growth, ratios[1] / (ratios[0] + mpmath.mpf(10) ** -100))
    if not points:
        return None
    if growth <= 10:
        return "verified", "series (numeric, 200 digits)", f"remainder/t^{order} bounded (growth {mpmath.nstr(growth, 2)})", {}
    if growth >= mpmath.mpf(10) ** 10:
        return "failed", "series (numeric, 200 digits)", f"a term below order {order} survives (growth {mpmath.nstr(growth, 2)})", {}
    return "unverified", "series (numeric)", f"growth {mpmath.nstr(growth, 2)} undecided", {}


def check_transform(step, derivation):
    """The change of variables carries the premise's curve into the statement's (exactly)."""
    from ..rmt.algebraic import carried_curve

    premise = derivation[step.uses[0]]
    functions = premise.residual.atoms(AppliedUndef)
    if len(functions) != 1:
        return "unverified", "transform: premise", "the premise must be a curve in one function", {}
    (f,) = functions
    rule = step.rule
    holds, irreducible = carried_curve(premise.residual, f, step.residual, rule["new"], rule["value"],
                                       rule["variable"])
    evidence = (f"{rule['new']} = {rule['value']} at {rule['new'].args[0]} = {rule['variable']}: "
                f"the statement's numerator has pseudo-remainder 0 by the curve of '{premise.label}'")
    if holds:
        return "verified", "transform: pseudo-remainder", evidence, {}
    if irreducible:
        evidence = (f"a nonzero remainder by the irreducible curve of '{premise.label}': the statement "
                    "fails at all but finitely many of its points")
        return "failed", "transform: pseudo-remainder", evidence, {}
    return None


def check_convolution(step, derivation):
    """The statement's curve divides the resultant of the operands' transform curves and carries
    the combined branch (power series to beyond the Bezout bound)."""
    from ..rmt.algebraic import convolution_evidence

    rule = step.rule
    named = [*rule["curves"], rule["theorem"], *rule["means_from"]]
    uncited = [label for label in named if label not in step.uses]
    if uncited:
        return ("unverified", "convolution: premises",
                f"the rule rests on {', '.join(uncited)}, which the step does not cite", {})
    curves = [derivation[label] for label in rule["curves"]]
    theorem = derivation[rule["theorem"]].statement
    t_a, t_b = (next(iter(c.residual.atoms(AppliedUndef))) for c in curves)
    t = theorem.lhs
    if sp.expand(theorem.rhs - (t_a + t_b)) == 0:
        operation = "sum"
    elif sp.expand(theorem.rhs - t_a * t_b) == 0:
        operation = "product"
    else:
        return "unverified", "convolution: theorem", f"'{rule['theorem']}' is not t = t_a + t_b or t_a t_b", {}
    starts = rule["starts"]
    if len(rule["means_from"]) != 2:
        return "unverified", "convolution: branch start", "the starts are not tied to the operands' means", {}
    for label, start in zip(rule["means_from"], starts):
        mean = _operand_mean(derivation, derivation[label])
        expected = mean if operation == "sum" else 1 / mean
        if sp.simplify(start - expected) != 0:
            return ("failed", "convolution: branch start",
                    f"the branch starts at {start}, but '{label}' gives the mean {mean}", {})
    divides, on_branch, order = convolution_evidence(curves[0].residual, t_a, curves[1].residual, t_b,
                                                     step.residual, t, operation, starts)
    if not divides:
        return "failed", "convolution: resultant", "the statement's curve does not divide the resultant", {}
    if not on_branch:
        return ("failed", "convolution: branch", f"the combined power series leaves the curve before order {order}",
                {})
    return ("verified", "convolution: resultant + branch series",
            f"divides the resultant; vanishes on the {operation} of the branch series to order {order}", {})


def _operand_mean(derivation, step):
    """The mean of an operand: from its curve's series at infinity, or, when two branches go
    like -1/z there, from a step stating it (``Eq(Limit(-z^2 (f + 1/z), z, oo), mean)``),
    which must then be a branch of the curve it cites."""
    from ..rmt.algebraic import m as m_
    from ..rmt.algebraic import moments
    from ..rmt.algebraic import z as z_

    if isinstance(step.statement.lhs, sp.Limit):
        mean = step.statement.rhs
        step = derivation[step.uses[0]]
    else:
        mean = None
    (f,) = step.residual.atoms(AppliedUndef)
    curve = step.residual.subs(f, m_).subs(f.args[0], z_)
    return moments(curve, 1, mean)[1]


RULE_CHECKS = {
    "solve": check_solve,
    "differentiate": check_differentiate,
    "limit": check_limit,
    "series": check_series,
    "transform": check_transform,
    "convolution": check_convolution,
}
