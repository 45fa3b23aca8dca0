"""``limit``: ``Eq(Limit(expr, var, point, direction), value)``.

Decided by approaching the point numerically (:func:`numeric_limit`), whose counterexample is
final, and by sympy's ``limit`` (see ``docs/checking.md``, *Limits*).
"""

from __future__ import annotations

import dataclasses

import mpmath
import numpy as np
import sympy as sp

from .. import bindings as _bindings
from ..binders import substitute
from ..budget import BudgetExceeded, cpu_limit
from ..check import numeric
from ..check import probe as _probe
from ..check.kernel import balls, evidence, taylor
from ..check.result import Refused
from ..check.symbolic import is_zero
from ..errors import DerivationError
from ..sampling import admissible_points, constant_scale, evaluate, statement_seed, substitute_exactly
from ..step import Step
from . import BUILD_SECONDS, Rule, register, verdict

#: sympy's limit and series either succeed within a second or run for minutes.
LIMIT_SECONDS = 8.0
#: How sympy's limit fails to answer (its gruntz raises AttributeError inside hypergeometric
#: functions: 'TupleArg' has no '_eval_is_meromorphic'): no answer, and the numeric approach decides.
#: What sympy's limit and series raise when they cannot answer (PoleError: an essential
#: singularity such as sin(1/x) at 0).
SYMPY_FAILURES = (BudgetExceeded, NotImplementedError, ValueError, TypeError, RecursionError, AttributeError,
                  sp.PoleError)


def closed_limit(limit, table):
    """``(expr, var, point, direction)`` of ``limit`` with the bindings ``table`` put in.

    A ``limit`` step is the limit as the derivation's parameter ``var`` tends to ``point``: a
    name defined in terms of ``var`` (``e_w := f(w)``, then ``lim_{w -> 0} e_w``) varies with
    it, as it does in the paper's prose.  So the bindings go into the expression, where ``var``
    is the parameter itself; binders *inside* the expression (an integral's variable) are never
    captured (:mod:`derive.binders`).  A ``Limit`` written inside another step's statement is a
    binder like any other and renames its variable instead."""
    expr, var, point, direction = limit.args
    closed = _bindings.substitute(expr, table)
    return closed, var, _bindings.substitute(point, table), str(direction)


def limit(self, label, expr, var, point, *, uses=(), value=None, conditions=(), direction="+",
          explanation="", ref=""):
    """State ``Eq(Limit(expr, var, point), value)``, computing ``value`` with sympy if not given."""
    if value is None:
        closed, bound, at, _ = closed_limit(sp.Limit(expr, var, point, direction), self.bindings(uses))
        try:
            with cpu_limit(BUILD_SECONDS):
                value = sp.simplify(sp.limit(closed, bound, at, direction))
        except SYMPY_FAILURES as exc:
            raise DerivationError(f"sympy could not compute the limit ({exc}); give value=", label)
    if sp.sympify(value).has(var):
        raise DerivationError(f"the value of a limit as {var} -> {point} cannot depend on {var} "
                              f"(it is {value})", label)
    statement = sp.Eq(sp.Limit(expr, var, point, direction), value)
    return self._add(Step(label, statement, "limit", tuple(uses), tuple(conditions), explanation,
                          ref, rule={"var": var, "point": point}))


def _limit_parts(step, derivation):
    limit = step.statement.lhs
    if not isinstance(limit, sp.Limit):
        raise Refused("limit: statement", "the statement must read Limit(expr, var, point) = value")
    table = derivation.bindings(step.uses)
    closed, var, point, direction = closed_limit(limit, table)
    value = _bindings.substitute(step.statement.rhs, table)
    if value.has(var):
        raise Refused("limit: value", f"the value {value} depends on the limit variable {var}")
    return closed, value, var, point, direction


def check_limit(step, derivation):
    """``Limit(expr, var, point, direction) = value``.

    The numeric approach (:func:`numeric_limit`) runs first and its counterexample is final.
    Then sympy's ``limit``.  With the parameters left symbolic it does not see the side
    conditions and may answer for another regime (``kappa > 1`` where the step says
    ``kappa < 1``), so its answer decides alone only for a limit without parameters, or when
    the numeric approach agrees with it; otherwise it is asked again at admissible parameter
    values, as exact rationals (:func:`_sympy_at_points`).  sympy only proposes: its answer
    never fails a step on its own (it says 0 for ``log h(x)/log x -> -1/alpha`` with ``h`` a
    2F1); a step is failed only by the probes settling elsewhere.  When the numeric approach
    confirmed the claim and sympy's symbolic answer disagrees, the exact points decide between
    them, or nothing is decided.
    """
    closed, value, var, point, direction = _limit_parts(step, derivation)
    decided = power_limit(closed, value, var, point, direction, step.conditions)
    if decided is None:
        decided = laurent_limit(closed, value, var, point, direction, step.conditions)
    if decided is None:
        decided = log_ratio_limit(closed, value, var, point, step.conditions)
    if decided is not None:
        return decided
    numeric_verdict = numeric_limit(closed, value, var, point, direction, step.conditions)
    if numeric_verdict is not None and numeric_verdict[0] == "failed":
        return numeric_verdict
    confirmed = numeric_verdict is not None and numeric_verdict[0] == "verified"
    try:
        with cpu_limit(LIMIT_SECONDS):
            found = sp.limit(closed, var, point, direction)
    except SYMPY_FAILURES:
        found = None
    if found is None or not _definite(found):
        return numeric_verdict or ("unverified", "limit", "no admissible point to approach from", {})
    how = is_zero(found - value) if found.is_finite is not False and value.is_finite is not False \
        else ("identical" if found == value else None)
    same = ("verified" if how else
            None if found.is_finite is False or value.is_finite is False else
            numeric.check(found, value, conditions=[c for c in step.conditions if not c.has(var)]).status)
    parameters = (closed.free_symbols | sp.sympify(value).free_symbols | sp.sympify(point).free_symbols) - {var}
    if same == "verified":
        evidence = (f"limit computed by sympy, difference 0 by {how}" if how else
                    "limit computed by sympy; equal to the claim at 50 and 100 digits at random admissible points")
        if confirmed:
            return "verified", "limit (sympy and numeric)", f"{evidence}; {numeric_verdict[2]}", {}
        if not parameters:
            # sympy only proposes (it says 0 for log h(x)/log x with h ~ x^-1/2, a 2F1): its
            # answer alone verifies nothing.
            return ("unverified", "limit: sympy agrees, the probes do not confirm",
                    f"{evidence}; the numeric approach decides nothing "
                    f"({numeric_verdict[2] if numeric_verdict else 'no admissible point'})", {})
        at, shown = _sympy_at_points(closed, value, var, point, direction, step.conditions)
        if at == "agree":
            return ("unverified", "limit: sympy agrees, the probes do not confirm",
                    f"{evidence}; with admissible parameter values put in, sympy's limit agrees too, but the "
                    f"numeric approach decides nothing ({numeric_verdict[2] if numeric_verdict else 'no point'})",
                    {})
        if at == "disagree":  # sympy against itself: neither answer is a certificate
            return ("unverified", "limit: sympy and the claim disagree",
                    f"sympy's symbolic limit agrees, but {shown}", {})
        return numeric_verdict or ("unverified", "limit", f"sympy's symbolic limit agrees, but {shown}", {})
    if same == "failed" or (same is None and found != value):
        if not parameters:
            if confirmed:  # the two routes conflict: nothing is decided
                return ("unverified", "limit: sympy and numerics disagree",
                        f"sympy's limit is {found}; the numeric approach agrees with {value}", {})
            # sympy's limit only proposes: its answer is no certificate (it says 0 for
            # log h(x)/log x -> -1/alpha with h a 2F1), and the probes did not settle elsewhere.
            return ("unverified", "limit: sympy and the claim disagree",
                    f"sympy's limit is {found}, not {value}; the numeric approach decides nothing "
                    f"({numeric_verdict[2] if numeric_verdict else 'no admissible point'})", {})
        at, shown = _sympy_at_points(closed, value, var, point, direction, step.conditions)
        if at == "agree" and confirmed:
            return ("verified", "limit (numeric + sympy at sampled parameters)",
                    f"{numeric_verdict[2]}; sympy's limit with the parameters left symbolic is {found}, "
                    "for another regime, and with admissible values put in it agrees", {})
        return ("unverified", "limit: sympy and the claim disagree",
                f"sympy's limit with the parameters left symbolic is {found}, not {value} (perhaps for another "
                f"regime); {shown}", {})
    return numeric_verdict or ("unverified", "limit", "no admissible point to approach from", {})


def power_parts(closed, var, point, direction):
    """``(C, E)`` when ``closed`` reads ``C * var^E`` with ``C`` and ``E`` free of ``var``, ``E``
    not an integer, and the approach is ``var -> 0+`` or ``var -> oo``; else None."""
    if not (point is sp.oo or (point == 0 and direction == "+")):
        return None
    factors = sp.Mul.make_args(closed)
    powers = [f for f in factors if f.has(var)]
    if len(powers) != 1 or not isinstance(powers[0], sp.Pow) or powers[0].base != var:
        return None
    exponent = powers[0].exp
    if exponent.has(var) or exponent.is_Integer:
        return None
    return sp.Mul(*[f for f in factors if f is not powers[0]]), exponent


def _finite_ball(expr, point):
    """Whether Arb encloses ``expr`` at ``point`` in a finite ball."""
    try:
        return balls.enclose(expr, point, 128).is_finite()
    except (balls.NoEnclosure, ArithmeticError, ValueError, TypeError):
        return False


def _sign_of_ball(expr, point):
    """+1 or -1 when Arb's ball of ``expr`` at ``point`` is real and excludes 0, else None."""
    for prec in (128, 512, 2048):
        try:
            ball = balls.enclose(expr, point, prec)
        except (balls.NoEnclosure, ArithmeticError, ValueError, TypeError):
            return None
        if not ball.is_finite() or not (ball.imag == 0):
            return None
        if not ball.real.contains(0):
            return 1 if ball.real > 0 else -1
    return None


def _power_limit_at(coefficient, exponent, point, at):
    """The limit of ``C var^E`` at one parameter point ``at`` (``point`` 0+ or oo): 0, oo or -oo,
    from the signs of ``E`` and ``C`` certified by Arb; None when a sign is not certified.

    ``var^E = exp(E log var)`` and ``E log var -> -oo`` (``E > 0`` at ``0+``, ``E < 0`` at
    ``oo``) whatever the size of ``E``: ``t^(e^-30) -> 0`` although it is ``1 - 5e-11`` at
    ``t = 1e-240``."""
    e_sign = _sign_of_ball(exponent, at)
    if e_sign is None or not _finite_ball(coefficient, at):
        return None  # C with no value there (1/a at a = 0): the expression has none either
    if (e_sign > 0) == (point == 0):
        return sp.Integer(0)
    c_sign = _sign_of_ball(coefficient, at)
    return None if c_sign is None else c_sign * sp.oo


def power_limit(closed, value, var, point, direction, conditions):
    """The kernel's decision for a leading power with a real exponent, ``C var^E`` as ``var ->
    0+`` or ``oo`` (:func:`power_parts`): the limit is 0 or ``sign(C) oo`` by the sign of ``E``
    (and of ``C``), certified by Arb at admissible parameter points, compared with the claim
    (Arb too).  A rational ``E`` has a Puiseux series (:func:`laurent_limit`), but an
    irrational or symbolic one has none, and the probes, which reach ``1e-240``, read
    ``t^(e^-30)`` as settled at 1.  A point where the limit and the claim certainly differ
    fails the step; None when the form does not apply or no sign is certified."""
    parts = power_parts(closed, var, point, direction)
    if parts is None or (var.is_positive is not True and point == 0 and var.is_real is not True):
        return None
    coefficient, exponent = parts
    value = sp.sympify(value)
    others = (closed.free_symbols | value.free_symbols) - {var}
    rng = np.random.default_rng(statement_seed(closed, value, var, point) % 2**32)
    # With the conditions' edges among the points: x^(a^2 - 2) -> 0 for a^2 >= 2 fails at
    # a = sqrt 2 alone, where the exponent's ball holds 0 and nothing is decided here.
    points = admissible_points(others, [c for c in conditions if not c.has(var)], LIMIT_POINTS, rng) \
        if others else [{}]
    if not points:
        return None
    for at in points:
        limit_at = _power_limit_at(coefficient, exponent, point, at)
        if limit_at is None:
            return None
        shown = f"at {_show_point(at)}" if at else "at the only point"
        if value in (sp.oo, -sp.oo) or limit_at != 0:
            if value == limit_at:
                continue
            if value.is_finite is False and value not in (sp.oo, -sp.oo):
                return None
            differs = value in (sp.oo, -sp.oo) or limit_at != 0
        else:
            outcome = "zero" if value == 0 else evidence.decide_at(value, sp.Integer(0), at,
                                                                   evidence.precision_ladder(value))[0]
            if outcome == "undecided":
                return None
            differs = outcome == "nonzero"
        if differs:
            return ("failed", "limit (leading power, real exponent: Arb)",
                    f"({coefficient}) * {var}^({exponent}) -> {limit_at} {shown}, the sign of its exponent (and of {coefficient}) "
                    f"certified by Arb, and the claim {value} differs there", {})
    return ("verified", "limit (leading power, real exponent: Arb)",
            f"({coefficient}) * {var}^({exponent}) -> {value}: var^E = exp(E log var) and the sign of E "
            + (f"(and of the factor) certified by Arb at {len(points)} admissible parameter points; sampled, "
               "not proved" if others else "(and of the factor) certified by Arb"), {})


def laurent_limit(closed, value, var, point, direction, conditions):
    """The kernel's decision, where the approach is a Laurent or Puiseux series: ``closed -
    value`` at ``var = point + t`` (``point - t`` from the left, ``1/t`` at infinity) must have
    no term through ``t^0`` (:func:`derive.check.kernel.taylor.check_order`).  A nonzero one is
    certified: a pole, or another limit.  None when Arb has no series there (``log``, ``|x|``,
    ``exp(1/t)``: the probes decide) or the claim is not a finite number."""
    if not sp.sympify(value).is_finite or (var.is_real is not True and point not in (sp.oo, -sp.oo)):
        return None
    t = sp.Dummy("t", positive=True)
    two_sided = direction == "+-" and point not in (sp.oo, -sp.oo)
    if two_sided:
        t = sp.Dummy("t", real=True)
    at = {sp.oo: 1 / t, -sp.oo: -1 / t}.get(point, point - t if direction == "-" else point + t)
    local = substitute(closed, {var: at}) - value
    rest = [c for c in conditions if not c.has(var)]
    decided = taylor.check_order(local, t, 0, rest, positive=not two_sided, inclusive=True)
    if decided is None or decided.status == "unverified":
        return None
    return decided.status, "limit (Arb Laurent coefficients)", decided.evidence, decided.details


def log_ratio_parts(closed, var):
    """``(F, factor)`` when ``closed`` reads ``factor * log(F) / log(var)``, ``factor`` free of
    ``var`` and ``F`` depending on it; else None."""
    factors = sp.Mul.make_args(closed)
    ratio = [f for f in factors if f == 1 / sp.log(var)]
    logs = [f for f in factors if isinstance(f, sp.log) and f.has(var) and f != sp.log(var)]
    rest = [f for f in factors if f not in ratio and f not in logs]
    if len(ratio) != 1 or len(logs) != 1 or any(f.has(var) for f in rest):
        return None
    return logs[0].args[0], sp.Mul(*rest)


def log_ratio_limit(closed, value, var, point, conditions):
    """The kernel's decision for an exponent stated as ``log F(x)/log x -> p`` at ``x -> oo``
    (which the probes never decide: it closes like ``1/log x``): ``F``'s leading power in
    ``t = 1/x``, certified by Arb (:func:`derive.check.kernel.taylor.check_log_ratio`).  None
    when the statement is not of that form or Arb has no Puiseux series for ``F``."""
    if point is not sp.oo or not sp.sympify(value).is_finite:
        return None
    parts = log_ratio_parts(closed, var)
    if parts is None:
        return None
    inner, factor = parts
    t = sp.Dummy("t", positive=True)
    rest = [c for c in conditions if not c.has(var)]
    decided = taylor.check_log_ratio(substitute(inner, {var: 1 / t}), factor, t, value, rest)
    if decided is None or decided.status == "unverified":
        return None
    return decided.status, "limit (Arb leading power)", decided.evidence, decided.details


def _sympy_at_points(closed, value, var, point, direction, conditions, count=3):
    """sympy's limit at ``count`` admissible parameter points (exact rationals), against the claim.

    Returns ``("agree", text)`` when it equals the claim at every point, ``("disagree", text)``
    naming a point where it is a different definite value, and ``(None, text)`` when sympy
    cannot say somewhere."""
    others = (closed.free_symbols | sp.sympify(value).free_symbols | sp.sympify(point).free_symbols) - {var}
    rng = np.random.default_rng(statement_seed(closed, value) % 2**32)
    points = admissible_points(others, [c for c in conditions if var not in c.free_symbols], count, rng,
                               boundary=False)
    if len(points) < count:
        return None, "too few admissible parameter points to ask sympy at"
    for p in points:
        try:
            at, target = substitute_exactly(closed, p), substitute_exactly(value, p)
            with cpu_limit(LIMIT_SECONDS):
                found = sp.limit(at, var, substitute_exactly(sp.sympify(point), p), direction)
        except SYMPY_FAILURES:
            return None, "sympy cannot compute the limit at an admissible parameter point"
        if not _definite(found):
            return None, "sympy's limit at an admissible parameter point is not definite"
        if found == target:
            continue
        if found.is_finite is False or target.is_finite is False:
            differs = True
        else:
            # The kernel compares: a certified ball of sympy's value minus the claim that
            # excludes 0 is a disagreement, however small (1e-60 is not round-off).
            verdict, _ = evidence.decide_at(found, target, {}, evidence.precision_ladder(found - target))
            if verdict == "undecided":
                return None, "sympy's limit at an admissible parameter point cannot be compared with the claim"
            differs = verdict == "nonzero"
        if differs:
            return "disagree", f"at {_show_point(p)} sympy's limit is {sp.N(found, 10)}, not {sp.N(target, 10)}"
    return "agree", f"sympy's limit equals the claim at {count} admissible parameter points"


def _definite(value):
    return not value.has(sp.Limit, sp.AccumBounds, sp.nan) and not isinstance(value, sp.Piecewise)


#: Probe distances 10^-k (times a random factor in [1, 10), so that no probe sits on a lattice
#: point where an oscillation happens to vanish); at infinity the probes are 10^k.
LIMIT_DECADES = (15, 30, 60, 120, 240)
LIMIT_POINTS = 6
#: The most digits a probe may need before it is given up as unresolved.
MAX_DIGITS = 3000
#: A limit's probes (and its target) are resolved to 2^-200 = 6e-61 relative; gaps below
#: GAP_RESOLUTION are read as it, and a gap that settles above SETTLED_ABOVE is a counterexample.
LIMIT_ACCURACY_BITS = 200
GAP_RESOLUTION = mpmath.mpf("1e-50")
SETTLED_ABOVE = mpmath.mpf("1e-45")


def stable_value(expr, point, digits, accuracy_bits=_probe.ACCURACY_BITS):
    """``expr`` at ``point``, at a precision that provably resolves it; None if none does up to
    :data:`MAX_DIGITS`.

    Near a limit point the expression cancels (``1 - cos x`` at ``x = 1e-120`` is ``5e-241``, 0
    at 220 digits; ``-z^2 (m(z) + 1/z)`` at ``z = 1e60`` loses 120 digits), by as many digits as
    the probe is close: the precision must follow the probe.  A ball (Arb,
    :func:`derive.check.probe.resolved`) is resolved when its radius is small against its
    midpoint, and its precision is raised until it is.  An expression with a node Arb is not
    given falls back to mpmath (:func:`_stable_mpmath`).  ``accuracy_bits``: the relative
    accuracy asked of a ball (2^-70 = 1e-21 by default)."""
    return resolve_probe(expr, point, digits, accuracy_bits)[0]


def resolve_probe(expr, point, digits, accuracy_bits=_probe.ACCURACY_BITS):
    """``(value, route)``: :func:`stable_value`'s value, and ``"ball"`` or ``"mpmath"`` for how
    it was resolved (the verdict says which)."""
    try:
        return _probe.resolved(expr, point, digits, MAX_DIGITS, accuracy_bits), "ball"
    except _probe.Unsupported:
        return _stable_mpmath(expr, point, digits), "mpmath"


def _stable_mpmath(expr, point, digits):
    """``expr`` at ``point`` with mpmath: the first precision (doubling from ``digits``) at which
    it agrees with itself 40 digits higher to 1e-20 relative, and is not 0.

    A cancellation that loses ``L > D`` digits leaves 0 at ``D`` and ``D + 40`` alike (``1 - cos x``
    at ``x = 1e-120`` below 240 digits): a 0 is never taken for resolved (it is what a cancellation
    leaves) unless it is still 0 at :data:`MAX_DIGITS`; a partial cancellation leaves two values
    that agree only once ``D - L`` is 20 digits or more."""
    b = None
    while digits <= MAX_DIGITS:
        with mpmath.workdps(digits + 40):
            a = evaluate(expr, point, digits)
            b = evaluate(expr, point, digits + 40)
        if mpmath.isfinite(a) and mpmath.isfinite(b) and b != 0 and abs(a - b) <= mpmath.mpf("1e-20") * abs(b):
            return b
        if not (mpmath.isfinite(a) and mpmath.isfinite(b)) and digits > 400:
            return None
        digits *= 2
    return b if b == 0 else None


def numeric_limit(closed, value, var, point, direction, conditions):
    """Approach the point numerically, from the stated side, at several random parameter points.

    At each parameter point the expression is evaluated at distances ``u 10^-k`` from the point
    (``k`` = 15 .. 240, ``u`` random in [1, 10)), each at a precision that resolves it.  With
    ``gap`` the relative distance to the claimed value:

    * **failed** when the gap settles to a nonzero value (the last two agree to 1e-10, above
      1e-45) or blows up (grows a thousandfold between probes): the expression tends elsewhere;
    * **verified** when the gap at the nearest probe is below 1e-25 and never grew on the way
      in, at every parameter point;
    * **unverified** otherwise: a limit approached too slowly to see (``x^0.0001 -> 0``).

    An infinite claimed value is **failed** when the expression settles to a finite value,
    **verified** when it keeps the claimed sign and grows past 1e25.  Returns None when no
    parameter point is admissible.
    """
    scale = constant_scale(closed, value)
    if scale >= LIMIT_DECADES[-1] - 20:
        return ("unverified", "limit (numeric)", f"the constants set a scale of 10^{scale}, beyond the probes "
                f"(1e-{LIMIT_DECADES[0]} .. 1e-{LIMIT_DECADES[-1]}): what they see is not the limit", {})
    others = (closed.free_symbols | sp.sympify(value).free_symbols | sp.sympify(point).free_symbols) - {var}
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
    worst, slow, routes, undefined, unresolved = mpmath.mpf(0), False, [], None, None
    for p in points:
        for side in sides:
            values = []
            for k, factor in zip(LIMIT_DECADES, factors):
                try:
                    # Starting at k + 60 digits; the ball raises them until the probe is resolved.
                    at = _probe_at(point, p, side, factor, k)
                    value_, route = (None, None) if at is None else \
                        resolve_probe(closed, {**p, var: at}, k + 60, LIMIT_ACCURACY_BITS)
                    values.append(value_)
                    routes.append(route)
                except (ValueError, ZeroDivisionError, TypeError):
                    values.append(None)
            if any(v is None for v in values):
                slow = True
                continue
            shown = f"at {_show_point(p)} from {'+-'[side < 0]}" if p else f"from {'+-'[side < 0]}"
            if infinite:
                verdict = _approach_infinity(values, value)
                if verdict == "failed" and _unresolved_power(closed, var, point, p) is not None:
                    slow, unresolved = True, unresolved or _unresolved_power(closed, var, point, p)
                    continue
                if verdict == "failed":
                    return ("failed", "limit (numeric)",
                            f"the expression settles to {mpmath.nstr(values[-1], 8)}, not {value}, {shown}", {})
                if verdict != "verified":
                    slow = True
                continue
            target = (stable_value(value, p, 80, LIMIT_ACCURACY_BITS) if value.free_symbols
                      else evaluate(value, {}, 80))
            if target is None:
                undefined = undefined or _show_point(p)
                continue
            # Gaps below the probes' resolution are read as that resolution: round-off is no trend.
            gaps = [max(abs(v - target) / (1 + abs(target)), GAP_RESOLUTION) for v in values]
            # Settled: the last two probes agree to 1e-10, above the resolution (a power-law
            # approach to another value does, however close the value: 1/2 + 1e-30 for 1/2; a
            # logarithmically slow one to the right value, x^1e-6 -> 0, does not).
            settled = (gaps[-1] > SETTLED_ABOVE
                       and abs(gaps[-1] - gaps[-2]) <= mpmath.mpf("1e-10") * gaps[-1])
            blows_up = gaps[-1] > 1 and gaps[-1] >= 1000 * gaps[-2]
            if (settled or blows_up) and _unresolved_power(closed, var, point, p) is not None:
                slow = True
                unresolved = unresolved or _unresolved_power(closed, var, point, p)
                continue
            if settled or blows_up:
                return ("failed", "limit (numeric)",
                        f"the gap {'settles' if settled else 'blows up'} {shown}: " + ", ".join(
                            f"{mpmath.nstr(g, 3)} at 1e-{k}" for g, k in zip(gaps, LIMIT_DECADES)), {})
            if gaps[-1] > mpmath.mpf("1e-25") or any(b > 10 * a for a, b in zip(gaps, gaps[1:])):
                slow = True
            worst = max(worst, gaps[-1])
    if undefined:
        return ("unverified", "limit (numeric)", f"the claimed value has no finite value at {undefined}, "
                "an admissible point: a condition that excludes it is missing", {})
    if unresolved:
        return ("unverified", "limit (numeric)", f"the probes settle, but {unresolved}: they cannot tell "
                "where it tends", {})
    if slow:
        return ("unverified", "limit (numeric)", f"approached too slowly to decide (gap {mpmath.nstr(worst, 3)} "
                f"at distance 1e-{LIMIT_DECADES[-1]})", {})
    if infinite:
        return "verified", "limit (numeric)", f"|expression| grows past 1e25 with the sign of {value}", {}
    gap = (f"below the probes' resolution {mpmath.nstr(GAP_RESOLUTION, 2)}" if worst <= GAP_RESOLUTION
           else f"at most {mpmath.nstr(worst, 2)}")
    by_mpmath = routes.count("mpmath")
    how = (f"each probe an Arb ball resolved to 2^-{LIMIT_ACCURACY_BITS}" if not by_mpmath else
           f"{len(routes) - by_mpmath} probes Arb balls resolved to 2^-{LIMIT_ACCURACY_BITS}, {by_mpmath} by mpmath "
           "(a function not given to Arb here, or too slow in it) agreeing with itself 40 digits higher")
    return ("verified", "limit (numeric)",
            f"relative gap {gap} at distance 1e-{LIMIT_DECADES[-1]} ({how}), closing on the way in, "
            f"at {len(points)} parameter points", {})


#: A power ``(..var..)^E`` whose exponent moves it by less than this, ``|E| log(1/t)``, between
#: the farthest and the nearest probe (``t = 10^-240``) is not seen to move at all.
UNRESOLVED_POWER = mpmath.mpf("0.5")


def _unresolved_power(closed, var, point, parameters):
    """A description of a power of an expression in ``var`` whose non-integer exponent ``E``
    (free of ``var``: symbolic, irrational or rational) is too small for the probes to resolve,
    ``|E| log(10^240) < 0.5`` at ``parameters``; else None.

    ``t^E = exp(E log t)`` tends to 0 or oo for any ``E != 0``, but at ``t = 1e-240`` it is
    ``1 - 5e-11`` for ``E = e^-30``: the probes see a value settled at 1.  Such an approach is
    not decided, so it fails nothing.  An exponent with no value at the point counts as
    unresolved too."""
    reach = mpmath.log(10) * LIMIT_DECADES[-1]
    for power in sp.sympify(closed).atoms(sp.Pow):
        exponent = power.exp
        if not power.base.has(var) or exponent.has(var) or exponent.is_Integer:
            continue
        try:
            size = abs(evaluate(exponent, parameters, 30))
        except (ValueError, TypeError, ZeroDivisionError, ArithmeticError):
            size = None
        if size is None or not mpmath.isfinite(size) or size * reach < UNRESOLVED_POWER:
            return (f"{power} has the exponent {exponent}" +
                    (f" = {mpmath.nstr(size, 3)}" if size is not None and exponent.free_symbols | exponent.atoms(
                        sp.NumberSymbol, sp.exp) else "") +
                    f", which moves it by less than {mpmath.nstr(UNRESOLVED_POWER, 2)} in log over the probes")
    return None


def _probe_at(point, parameters, side, factor, k):
    """The probe ``u 10^-k`` from ``point`` on ``side``, relative to the point's scale:
    ``P + side u 10^-k |P|`` (``u 10^-k`` at ``P = 0``), ``P`` the point at the parameter
    values (a support edge ``a``, or ``sqrt(a)``); ``sign(P) 10^k / u`` at infinity.  None when
    the point has no value.

    ``P`` is computed to ``k + 40`` digits beyond the distance (a ball resolved to that many
    bits), so that the probe's distance from the true point is the one intended."""
    with mpmath.workdps(k + 60):
        h = mpmath.mpf(factor) * mpmath.mpf(10) ** (-k)
        if point in (sp.oo, -sp.oo):
            return int(sp.sign(point)) / h
    exact = sp.sympify(point)
    if exact.is_Rational:
        with mpmath.workdps(2 * k + 60):  # 1/3 to 2k + 60 digits, not to a double's 16
            at = mpmath.mpf(int(exact.p)) / int(exact.q)
    else:
        try:
            at = _probe.resolved(exact, parameters, k + 60, MAX_DIGITS, accuracy_bits=int((k + 40) * 3.33))
        except _probe.Unsupported:
            at = _stable_mpmath(exact, parameters, 2 * k + 60)
        if at is None:
            return None
    with mpmath.workdps(2 * k + 60 + max(0, int(mpmath.log10(abs(at) + 1)))):
        return at + side * h * (abs(at) if at != 0 else 1)


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


def _other_side_value(derivation, step, direction):
    """The limit from the other side when sympy finds it and it differs from the claim."""
    closed, var, point, _ = closed_limit(step.statement.lhs, derivation.bindings(step.uses))
    try:
        with cpu_limit(4):
            other = sp.limit(closed, var, point, direction)
    except (BudgetExceeded, Exception):
        return None
    if other.has(sp.Limit, sp.AccumBounds, sp.nan) or other == step.statement.rhs:
        return None
    return other


def _limit_of(derivation, step):
    table = derivation.bindings(step.uses)
    closed, var, point, direction = closed_limit(step.statement.lhs, table)
    return closed, _bindings.substitute(step.statement.rhs, table), var, point, direction


@register
class Limit(Rule):
    kind = "limit"
    title = "Limit"
    verb = limit
    final = True

    def check(self, step, derivation):
        return verdict(check_limit(step, derivation))

    def introduces(self, step):
        return sp.sympify(step.rule["var"]).free_symbols

    def mutants(self, derivation, step):
        """The value moved to oo; the direction flipped, and the value from the other side."""
        lhs, rhs = step.statement.lhs, step.statement.rhs
        if not isinstance(lhs, sp.Limit):
            return []
        found = []
        expr, var, point, direction = lhs.args
        if rhs.is_finite is not False:
            found.append(("limit-value", f"{rhs} -> oo", step.with_side("rhs", sp.oo)))
        if point not in (sp.oo, -sp.oo) and str(direction) in "+-":
            flipped = "-" if str(direction) == "+" else "+"
            moved = sp.Eq(sp.Limit(expr, var, point, flipped), rhs, evaluate=False)
            found.append(("direction", f"from {direction} -> from {flipped}", dataclasses.replace(step, statement=moved)))
            other = _other_side_value(derivation, step, flipped)
            if other is not None:
                found.append(("limit-value", f"{rhs} -> {other} (the value from {flipped})", step.with_side("rhs", other)))
        return found

    def mutant_is_true(self, derivation, clone, step, mutant):
        if mutant.kind == "limit-value":
            if mutant.step.statement.rhs is sp.oo:
                return False
            # The other side's value may coincide with this side's under the step's conditions.
            table = derivation.bindings(step.uses)
            try:
                return numeric.check(_bindings.substitute(mutant.step.statement.rhs, table),
                                     _bindings.substitute(step.statement.rhs, table),
                                     conditions=[c for c in step.conditions
                                                 if not c.has(step.statement.lhs.args[1])]).status == "verified"
            except Exception:
                return False
        if mutant.kind == "direction":
            return self.holds(clone, mutant.step)
        return None

    def holds(self, derivation, step):
        """The numeric approach confirms the value; or, where it is too slow to decide but finds
        no counterexample, sympy's exact limit at admissible rational parameter values agrees."""
        closed, value, var, point, direction = _limit_of(derivation, step)
        decided = (power_limit(closed, value, var, point, direction, step.conditions)
                   or numeric_limit(closed, value, var, point, direction, step.conditions))
        if decided is not None and decided[0] in ("verified", "failed"):
            return decided[0] == "verified"
        return _sympy_at_points(closed, value, var, point, direction, step.conditions)[0] == "agree"

