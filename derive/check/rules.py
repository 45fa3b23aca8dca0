"""Checks specific to a rule: the evidence that a computed statement is what the rule gives.

Each function returns ``(status, method, evidence, details)`` or ``None`` when the rule-specific
route did not decide, in which case the generic exact checker runs; it raises :class:`Refused`
when the rule's own requirement is not met, which no generic method may make up for.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .. import bindings as _bindings
from ..branch import pins_down, select
from ..sampling import admissible_points, evaluate, exact_value, statement_seed
from ..budget import BudgetExceeded, cpu_limit
from . import numeric
from .symbolic import is_zero

#: sympy's limit and series either succeed within a second or run for minutes.
LIMIT_SECONDS = 8.0


class Refused(Exception):
    """A rule's requirement is not met: the step is unverified, and no generic method may
    establish it in the rule's place (a ``solve`` whose root is not shown to be the one meant)."""

    def __init__(self, method, evidence):
        super().__init__(evidence)
        self.method, self.evidence = method, evidence


def check_solve(step, derivation):
    """The stated form is a root of the premise, and the only one, or the one the branch
    conditions single out.

    Uniqueness is established from the premise's numerator as a polynomial in the name: of
    degree 1 (after removing repeated factors) the root is unique; of higher degree the branch
    conditions must hold for the stated root and, at every point where the solve is claimed,
    those that apply there must admit exactly one root, the stated one
    (:func:`derive.branch.pins_down`).
    """
    premise = derivation[step.uses[0]]
    name, form = step.rule["name"], step.statement.rhs
    if step.statement.lhs != name:
        raise Refused("solve: statement", f"the statement must read {name} = root")
    if not premise.residual.has(name):
        # A root of an equation that does not mention the name would be vacuous.
        raise Refused("solve: no equation", f"'{premise.label}' does not involve {name}")
    # The bindings first (but not the solved name's own definition), then the root: a bound name
    # may itself contain the solved one (w := y^2 in w + y = 3).
    def key(n):
        return n.func if isinstance(n, AppliedUndef) else n.expr.func if isinstance(n, sp.Derivative) else n

    table = [(n, v) for n, v in derivation.bindings(step.uses) if key(n) != key(name)]
    closed = _bindings.substitute(premise.residual, table).subs(name, _bindings.substitute(form, table))
    how = is_zero(closed)
    if how:
        root = f"root by {how}"
    else:
        outcome = numeric.check(closed, 0, conditions=step.conditions)
        if outcome.status == "failed":
            return outcome.status, "solve: root check", f"is {name} = form a root? {outcome.evidence}", \
                outcome.details
        if outcome.status != "verified":
            raise Refused("solve: root check", f"is {name} = form a root? {outcome.evidence}")
        root = "root numerically"
    u = sp.Dummy("u")
    polynomial = _polynomial_in(_bindings.substitute(premise.residual, table).xreplace({name: u}), u)
    degree = polynomial.degree() if polynomial is not None else None
    branch = step.rule.get("branch", ())
    slope = sp.diff(_bindings.substitute(premise.residual, table), name) if isinstance(name, sp.Symbol) else None
    if degree == 1:
        unique = "the premise is linear in the name: the root is unique"
    elif slope is not None and name.is_real and (slope.is_positive or slope.is_negative):
        unique = f"the premise is strictly monotone in the real {name} (its derivative {slope} has one sign)"
        polynomial, degree = None, 1
    elif not branch:
        count = f"{degree} roots" if degree else "roots that cannot be counted (not polynomial in it)"
        raise Refused("solve: which root?", f"'{premise.label}' has {count} in {name}; give branch= "
                      "conditions that single out the one meant")
    elif polynomial is None:
        raise Refused("solve: which root?", f"'{premise.label}' is not polynomial in {name}, so the branch "
                      "conditions cannot be shown to single out one root")
    else:
        unique = None
    if branch:
        rng_seed = statement_seed(step.statement) % 2**32
        chosen, evidence = select(name, [_bindings.substitute(form, table)], branch, step.conditions,
                                  seed=rng_seed)
        if not chosen:
            return "failed", f"solve: {root}, branch fails", "; ".join(evidence) or "branch conditions fail", {}
        if unique is None:
            verdict, unique = pins_down(name, polynomial, _bindings.substitute(form, table), branch,
                                        step.conditions, rng_seed)
            if verdict == "other root":
                return "failed", f"solve: {root}, another root", unique, {}
            if verdict != "pinned":
                raise Refused("solve: which root?", unique)
        return ("verified", f"solve: {root} + branch", "; ".join(evidence) + f"; {unique}",
                {"branch": [str(b) for b in branch]})
    return "verified", f"solve: {root}, unique", f"{form} solves '{premise.label}'; {unique}", {}


def _polynomial_in(residual, u):
    """The numerator of ``residual`` as a square-free polynomial in ``u``, or None."""
    numerator = sp.together(residual).as_numer_denom()[0]
    try:
        poly = sp.Poly(numerator, u)
    except sp.PolynomialError:
        return None
    if poly.degree() < 1 or any(c.has(u) for c in poly.all_coeffs()):
        return None
    try:
        return sp.Poly(sp.sqf_part(poly.as_expr(), u), u)
    except (sp.PolynomialError, NotImplementedError):
        return poly


def check_differentiate(step, derivation):
    """The statement is d/d(wrt) of the premise, and the premise holds for every ``wrt`` near
    each point: ``wrt`` is a free variable there, not a name fixed by a binding, a relation
    (an implicit unknown) or an equality condition."""
    premise = derivation[step.uses[0]]
    wrt = step.rule["wrt"]
    bound = {name for name, _ in derivation.bindings(step.uses)}
    implicit = _bindings.implicit_symbols(derivation.ancestors(step.label))
    if wrt in bound:
        raise Refused("differentiate: variable", f"{wrt} is given a value above the step, so the premise "
                      f"need not hold for other values of {wrt}")
    # The premise, and every step it rests on, must hold for all wrt near a point: an equality
    # condition on wrt anywhere upstream fixes it.
    upstream = [premise, *derivation.ancestors(premise.label)]
    fixed = [c for s in upstream for c in s.conditions if isinstance(c, sp.Equality) and c.has(wrt)]
    if wrt in implicit or fixed:
        raise Refused("differentiate: variable", f"{wrt} is fixed by "
                      f"{'a relation' if wrt in implicit else fixed[0]}, so '{premise.label}' does not hold "
                      f"for all {wrt} near a point")
    closed_conditions = [c for s in upstream for c in s.conditions if c.has(wrt)]
    if closed_conditions and not admissible_points({wrt} | set().union(*(c.free_symbols for c in closed_conditions)),
                                                   closed_conditions, 3, np.random.default_rng(0), boundary=False):
        raise Refused("differentiate: variable", f"the conditions {', '.join(map(str, closed_conditions))} leave "
                      f"no open set of {wrt} to differentiate on")
    dependent = sorted(map(str, premise.statement.free_symbols & implicit))
    if dependent:
        raise Refused("differentiate: hidden dependence", f"{', '.join(dependent)} is known only through "
                      f"relations and may depend on {wrt}: write it as a function of {wrt}")
    how = is_zero(step.residual - sp.diff(premise.residual, wrt))
    if how:
        return "verified", "differentiation (sympy)", f"d/d{wrt} of '{premise.label}'", {}
    return None


def _limit_parts(step, derivation):
    limit = step.statement.lhs
    if not isinstance(limit, sp.Limit):
        raise Refused("limit: statement", "the statement must read Limit(expr, var, point) = value")
    expr, var, point, direction = limit.args[0], limit.args[1], limit.args[2], str(limit.args[3])
    table = derivation.bindings(step.uses)
    closed = _bindings.substitute(expr, table)
    value = _bindings.substitute(step.statement.rhs, table)
    return closed, value, var, point, direction


def check_limit(step, derivation):
    """``Limit(expr, var, point, direction) = value``.

    The numeric approach (:func:`numeric_limit`) runs first and its counterexample is final.
    Then sympy's ``limit``: agreeing with the claim it proves the step, disagreeing it fails it
    (unless the numeric approach confirmed the claim, when the two conflict and nothing is
    decided).  Otherwise the numeric approach decides.
    """
    closed, value, var, point, direction = _limit_parts(step, derivation)
    numeric_verdict = numeric_limit(closed, value, var, point, direction, step.conditions)
    if numeric_verdict is not None and numeric_verdict[0] == "failed":
        return numeric_verdict
    try:
        with cpu_limit(LIMIT_SECONDS):
            found = sp.limit(closed, var, point, direction)
    except (BudgetExceeded, NotImplementedError, ValueError, TypeError, RecursionError):
        found = None
    if found is not None and _definite(found):
        how = is_zero(found - value) if found.is_finite is not False and value.is_finite is not False \
            else ("identical" if found == value else None)
        if how:
            return "verified", "limit (sympy)", f"limit computed by sympy, difference 0 by {how}", {}
        same = (sp.Integer(0) if found == value else
                None if found.is_finite is False or value.is_finite is False else
                numeric.check(found, value, conditions=[c for c in step.conditions if not c.has(var)]).status)
        if same == "verified":
            return ("verified", "limit (sympy)", "limit computed by sympy; equal to the claim at 50 and 100 "
                    "digits at random admissible points", {})
        if same == "failed" or (same is None and found != value):
            if numeric_verdict is None or numeric_verdict[0] != "verified":
                return ("failed", "limit (sympy)", f"sympy's limit is {found}, not {value}", {})
            # sympy's limit with symbolic parameters can answer for another regime (it does not
            # see the side conditions); the numeric approach can be fooled by a scale beyond its
            # probes.  Ask sympy again at admissible parameter values, as exact rationals.
            if _sympy_agrees_at_points(closed, value, var, point, direction, step.conditions):
                return ("verified", "limit (numeric + sympy at sampled parameters)",
                        f"{numeric_verdict[2]}; sympy's limit with the parameters left symbolic is {found}, "
                        "for another regime, and with admissible values put in it agrees", {})
            return ("unverified", "limit: sympy and numerics disagree",
                    f"sympy's limit is {found}; the numeric approach agrees with {value}", {})
    return numeric_verdict or ("unverified", "limit", "no admissible point to approach from", {})


def _sympy_agrees_at_points(closed, value, var, point, direction, conditions, count=3):
    """sympy's limit at ``count`` admissible parameter points (exact rationals) equals the claim."""
    others = (closed.free_symbols | sp.sympify(value).free_symbols) - {var}
    rng = np.random.default_rng(statement_seed(closed, value) % 2**32)
    points = admissible_points(others, [c for c in conditions if var not in c.free_symbols], count, rng,
                               boundary=False)
    if len(points) < count:
        return False
    for p in points:
        exact = {s: exact_value(v) for s, v in p.items()}
        try:
            with cpu_limit(LIMIT_SECONDS):
                found = sp.limit(closed.xreplace(exact), var, point, direction)
        except (BudgetExceeded, NotImplementedError, ValueError, TypeError, RecursionError):
            return False
        target = sp.sympify(value).xreplace(exact)
        if not _definite(found) or sp.N(found - target, 30) != 0 and abs(complex(sp.N(found - target, 30))) > 1e-20:
            return False
    return True


def _definite(value):
    return not value.has(sp.Limit, sp.AccumBounds, sp.nan) and not isinstance(value, sp.Piecewise)


#: Probe distances 10^-k (times a random factor in [1, 10), so that no probe sits on a lattice
#: point where an oscillation happens to vanish); at infinity the probes are 10^k.
LIMIT_DECADES = (15, 30, 60, 120, 240)
LIMIT_POINTS = 6
#: The most digits a probe may need before it is given up as unresolved.
MAX_DIGITS = 3000


def stable_value(expr, point, digits):
    """``expr`` at ``point``, at a precision where two evaluations 40 digits apart agree to
    1e-20 relative (doubling from ``digits``); None if none does up to :data:`MAX_DIGITS`.

    Near a limit point the expression often cancels (``-z^2 (m(z) + 1/z)`` at ``z = 1e60``
    loses 120 digits): a fixed precision would report garbage as a gap."""
    while digits <= MAX_DIGITS:
        with mpmath.workdps(digits + 40):
            a = evaluate(expr, point, digits)
            b = evaluate(expr, point, digits + 40)
        if mpmath.isfinite(a) and mpmath.isfinite(b) and abs(a - b) <= mpmath.mpf("1e-20") * abs(b):
            return b
        if not (mpmath.isfinite(a) and mpmath.isfinite(b)) and digits > 400:
            return None
        digits *= 2
    return None


def numeric_limit(closed, value, var, point, direction, conditions):
    """Approach the point numerically, from the stated side, at several random parameter points.

    At each parameter point the expression is evaluated at distances ``u 10^-k`` from the point
    (``k`` = 15 .. 240, ``u`` random in [1, 10)), each at a precision that resolves it.  With
    ``gap`` the relative distance to the claimed value:

    * **failed** when the gap settles to a nonzero value (the last two agree to 1e-3) or
      blows up (grows a thousandfold between probes): the expression tends elsewhere;
    * **verified** when the gap at the nearest probe is below 1e-25 and never grew on the way
      in, at every parameter point;
    * **unverified** otherwise: a limit approached too slowly to see (``x^0.0001 -> 0``).

    An infinite claimed value is **failed** when the expression settles to a finite value,
    **verified** when it keeps the claimed sign and grows past 1e25.  Returns None when no
    parameter point is admissible.
    """
    others = (closed.free_symbols | sp.sympify(value).free_symbols) - {var}
    rng = np.random.default_rng(statement_seed(closed, value, var, point) % 2**32)
    points = admissible_points(others, [c for c in conditions if var not in c.free_symbols],
                               LIMIT_POINTS, rng)
    if not points:
        return None
    infinite = value in (sp.oo, -sp.oo, sp.zoo)
    if not infinite and value.has(sp.oo, sp.zoo, sp.nan):
        return "unverified", "limit (numeric)", f"cannot compare with {value}", {}
    sides = {"+": (1,), "-": (-1,), "+-": (1, -1)}[direction] if point not in (sp.oo, -sp.oo) else (1,)
    factors = rng.uniform(1, 10, size=len(LIMIT_DECADES))
    worst, slow = mpmath.mpf(0), False
    for p in points:
        for side in sides:
            values = []
            for k, factor in zip(LIMIT_DECADES, factors):
                digits = k + 60
                with mpmath.workdps(digits):
                    h = mpmath.mpf(factor) * mpmath.mpf(10) ** (-k)
                    at = int(sp.sign(point)) / h if point in (sp.oo, -sp.oo) else \
                        evaluate(point, {}, digits) + side * h
                try:
                    values.append(stable_value(closed, {**p, var: at}, digits))
                except (ValueError, ZeroDivisionError, TypeError):
                    values.append(None)
            if any(v is None for v in values):
                slow = True
                continue
            shown = f"at {_show_point(p)} from {'+-'[side < 0]}" if p else f"from {'+-'[side < 0]}"
            if infinite:
                verdict = _approach_infinity(values, value)
                if verdict == "failed":
                    return ("failed", "limit (numeric)",
                            f"the expression settles to {mpmath.nstr(values[-1], 8)}, not {value}, {shown}", {})
                if verdict != "verified":
                    slow = True
                continue
            target = stable_value(value, p, 60) if value.free_symbols else evaluate(value, {}, 60)
            if target is None:
                slow = True
                continue
            gaps = [abs(v - target) / (1 + abs(target)) for v in values]
            # Settled: the last two probes agree to 1e-10 (a power-law approach to another value
            # does; a logarithmically slow one to the right value, x^1e-6 -> 0, does not).
            settled = gaps[-1] > mpmath.mpf("1e-10") and abs(gaps[-1] - gaps[-2]) <= mpmath.mpf("1e-10") * gaps[-1]
            blows_up = gaps[-1] > 1 and gaps[-1] >= 1000 * gaps[-2]
            if settled or blows_up:
                return ("failed", "limit (numeric)",
                        f"the gap {'settles' if settled else 'blows up'} {shown}: " + ", ".join(
                            f"{mpmath.nstr(g, 3)} at 1e-{k}" for g, k in zip(gaps, LIMIT_DECADES)), {})
            if gaps[-1] > mpmath.mpf("1e-25") or any(b > 10 * a for a, b in zip(gaps, gaps[1:])):
                slow = True
            worst = max(worst, gaps[-1])
    if slow:
        return ("unverified", "limit (numeric)", f"approached too slowly to decide (gap {mpmath.nstr(worst, 3)} "
                f"at distance 1e-{LIMIT_DECADES[-1]})", {})
    if infinite:
        return "verified", "limit (numeric)", f"|expression| grows past 1e25 with the sign of {value}", {}
    return ("verified", "limit (numeric)",
            f"relative gap at most {mpmath.nstr(worst, 2)} at distance 1e-{LIMIT_DECADES[-1]}, "
            f"closing on the way in, at {len(points)} parameter points", {})


def _approach_infinity(values, value):
    """'failed' when ``values`` settle to a finite number, 'verified' when they grow past 1e25
    steadily with the claimed sign, else None."""
    settle = [abs(b - a) / (1 + abs(b)) for a, b in zip(values, values[1:])]
    if settle[-1] < mpmath.mpf("1e-10") and abs(values[-1]) < mpmath.mpf(10) ** 12:
        return "failed"
    sizes = [abs(v) for v in values]
    growing = all(b > a for a, b in zip(sizes, sizes[1:])) and sizes[-1] > mpmath.mpf(10) ** 25
    if value == sp.zoo:
        return "verified" if growing else None
    sign = 1 if value == sp.oo else -1
    real = all(not isinstance(v, mpmath.mpc) or abs(v.imag) <= 1e-20 * abs(v) for v in values)
    right_sign = real and all((v.real if isinstance(v, mpmath.mpc) else v) * sign > 0 for v in values)
    if real and not right_sign and sizes[-1] > 1:
        return "failed"
    return "verified" if growing and right_sign else None


def _show_point(point):
    return ", ".join(f"{k}={mpmath.nstr(mpmath.mpmathify(v), 6)}" for k, v in sorted(point.items(), key=str))


def _series_parts(step, derivation):
    """``(local, t, claimed)``: the difference as a function of ``t -> 0``, and the order the
    statement's O-term claims (None when it has no O-term)."""
    rhs = step.statement.rhs
    var, point = step.rule["var"], step.rule["point"]
    if step.statement.lhs.has(sp.Order):
        raise Refused("series: statement", "the O-term belongs on the right-hand side")
    terms = [t for t in sp.Add.make_args(rhs) if isinstance(t, sp.Order)]
    if len(terms) != 1:
        return None  # no O-term: an exact equality, for the generic methods
    claimed = _order_of(terms[0], var, point)
    if claimed is None:
        raise Refused("series: O-term", f"{terms[0]} is not O({var}^n) about {var} = {point}")
    # The claim checked is the statement's own O-term (what a reader sees), whatever order the
    # step was built with.
    table = derivation.bindings(step.uses)
    closed = _bindings.substitute(step.statement.lhs, table)
    polynomial = _bindings.substitute(rhs.removeO(), table).doit()
    # t is real, not positive: a two-sided expansion is probed on both sides, and sympy must not
    # simplify |t| to t on the way.
    t = sp.Dummy("t", real=True)
    difference = closed - polynomial
    local = difference.subs(var, sp.sign(point) / t) if point in (sp.oo, -sp.oo) else difference.subs(var, point + t)
    return local, t, claimed


def _one_sided(var, point):
    """Whether the expansion is claimed from one side only: at infinity, or in a variable that
    cannot go below the point (a positive variable at 0)."""
    if point in (sp.oo, -sp.oo):
        return True
    return bool(var.is_nonnegative and point == 0) or bool(var.is_nonpositive and point == 0)


def _order_of(term, var, point):
    """``n`` for ``O((var - point)^n)`` (or ``O(var^-n)`` at infinity), else None."""
    if tuple(term.variables) != (var,) or term.point[0] != point:
        return None
    expr = term.expr
    if expr == 1:
        return 0
    base, exponent = expr.as_coeff_Mul()[1].as_base_exp()  # sympy writes O(-1/y^5) at -oo
    if point in (sp.oo, -sp.oo):
        return -exponent if base == var and exponent.is_number else None
    return exponent if base == var - point and exponent.is_number else None


def check_series(step, derivation):
    """``expr = polynomial + O(var**n)``: the remainder divided by ``t**n`` stays bounded.

    The numeric route runs first (:func:`numeric_order`) and its counterexample is final.
    sympy's own expansion then proves the step, unless the expression has logarithms (sympy's
    ``O(x)`` absorbs ``x log x``); otherwise the numeric route decides.
    """
    parts = _series_parts(step, derivation)
    if parts is None:
        return None
    local, t, order = parts
    var, point = step.rule["var"], step.rule["point"]
    verdict = numeric_order(local, t, order, step.conditions, both_sides=not _one_sided(var, point),
                            complex_variable=var.is_real is not True and point not in (sp.oo, -sp.oo))
    if verdict is not None and verdict[0] == "failed":
        return verdict
    # sympy's exact expansion, where it has one: a nonzero term below the order is a
    # counterexample too small for any probe (a coefficient off by 1e-200).  Not with
    # logarithms: sympy's O(x) absorbs x log x.
    symbolic_powers = any(not p.exp.is_number for p in local.atoms(sp.Pow)) or local.has(sp.exp) and any(
        not e.args[0].is_polynomial(t) for e in local.atoms(sp.exp))
    if not local.has(sp.log, sp.LambertW, sp.polylog) and not symbolic_powers:
        positive = t if _one_sided(var, point) else None
        try:
            with cpu_limit(LIMIT_SECONDS):
                u = sp.Dummy("u", positive=True)
                expansion = sp.series(local.xreplace({t: u}) if positive is not None else local, 
                                      u if positive is not None else t, 0, order).removeO()
            how = is_zero(expansion)
            if how and (verdict is None or verdict[0] != "failed"):
                return "verified", "series (sympy)", f"difference is O(t^{order}) by {how}", {}
            opaque = {a: sp.Dummy() for a in expansion.atoms(AppliedUndef)}
            if not how and numeric.check(expansion.xreplace(opaque), 0, conditions=step.conditions).status == "failed":
                return ("failed", "series (sympy)", f"a term below order {order} survives in the difference: "
                        f"{sp.sstr(expansion)[:120]}", {})
        except (BudgetExceeded, NotImplementedError, ValueError, TypeError, RecursionError):
            pass
    return verdict or ("unverified", "series", "no admissible point", {})


#: Probe values of t (times a random factor in [1, 10)) for the remainder's order.
SERIES_DECADES = (8, 16, 24, 32)


def numeric_order(local, t, order, conditions, both_sides=False, complex_variable=False):
    """``local(t) / |t|**order`` must converge as t -> 0 (|t| = 1e-8 .. 1e-32, random mantissas;
    from both sides unless ``both_sides`` is false).

    The working precision grows with the order, so that ``t**order`` stays far above the
    round-off of the expression and a term beyond the fifth order is still seen.  **Failed**
    when the ratio grows by 1e6 or more between probes (a lower-order term survives) or grows
    steadily (a logarithm: ``x log x`` is not ``O(x)``); **verified** when it converges to 1e-6
    relative; otherwise unverified.
    """
    rng = np.random.default_rng(statement_seed(local, order) % 2**32)
    points = admissible_points(local.free_symbols - {t}, list(conditions), 6, rng)
    # A complex variable is approached from four directions: a branch cut through the point
    # (log z at z = -1) is then crossed.
    directions = (1, -1, 1j, -1j) if complex_variable else (1, -1) if both_sides else (1,)
    if not points:
        return None
    factors = rng.uniform(1, 10, size=len(SERIES_DECADES))
    digits = int(SERIES_DECADES[-1] * (abs(float(order)) + 2)) + 80
    converged, probed = True, 0
    for p, side in [(p, side) for p in points for side in directions]:
        ratios = []
        for k, factor in zip(SERIES_DECADES, factors):
            with mpmath.workdps(digits):
                h = mpmath.mpf(factor) * mpmath.mpf(10) ** (-k)
            try:
                value = stable_value(local, {**p, t: side * h}, digits)
            except (ValueError, ZeroDivisionError, TypeError):
                value = None
            with mpmath.workdps(digits):
                ratios.append(abs(value) / h ** order if value is not None else mpmath.nan)
        if not all(mpmath.isfinite(r) for r in ratios):
            continue
        probed += 1
        growth = [b / (a + mpmath.mpf(10) ** (-digits // 2)) for a, b in zip(ratios, ratios[1:])]
        if max(growth) >= mpmath.mpf(10) ** 6:
            return ("failed", "series (numeric)", f"a term below order {order} survives: remainder/t^{order} "
                    f"grows {mpmath.nstr(max(growth), 2)}-fold between probes at {_show_point(p)}", {})
        if ratios[-1] > 1e-12 and all(g > 1.2 for g in growth):
            return ("failed", "series (numeric)", f"remainder/t^{order} grows without bound "
                    f"({', '.join(mpmath.nstr(r, 3) for r in ratios)}): not O(t^{order})", {})
        if abs(ratios[-1] - ratios[-2]) > mpmath.mpf("1e-6") * (1 + ratios[-1]):
            converged = False
    if converged and probed:
        return ("verified", "series (numeric)", f"remainder/t^{order} converges at {probed} probes "
                f"(t down to 1e-{SERIES_DECADES[-1]}, {digits} digits)", {})
    return "unverified", "series (numeric)", f"remainder/t^{order} does not settle", {}


def check_transform(step, derivation):
    """The change of variables is one an operation defines (:mod:`derive.rmt.changes`), and it
    carries the premise's curve into the statement's (exactly)."""
    from ..rmt.algebraic import carried_curve
    from ..rmt.changes import recognise

    premise = derivation[step.uses[0]]
    functions = premise.residual.atoms(AppliedUndef)
    if len(functions) != 1:
        raise Refused("transform: premise", "the premise must be a curve in one function")
    (f,) = functions
    rule = step.rule
    operation = recognise(rule["value"], rule["variable"], f, f.args[0])
    if operation is None:
        raise Refused("transform: change of variables",
                      f"{rule['new']} = {rule['value']} at {rule['new'].args[0]} = {rule['variable']} is none "
                      "of the changes an operation defines (scale, shift, inverse, R- or S-transform and "
                      "back), so it is an unproved claim")
    holds, irreducible = carried_curve(premise.residual, f, step.residual, rule["new"], rule["value"],
                                       rule["variable"])
    evidence = (f"{rule['new']} = {rule['value']} at {rule['new'].args[0]} = {rule['variable']}: "
                f"the statement's numerator has pseudo-remainder 0 by the curve of '{premise.label}'")
    if holds:
        return "verified", f"transform: {operation}, pseudo-remainder", evidence, {}
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
