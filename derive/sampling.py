"""Random admissible points: values for free symbols that respect assumptions and side conditions.

The numeric checker and the branch checks evaluate statements at such points.  Each symbol is
drawn according to its sympy assumptions (a positive symbol log-uniformly in [1/10, 10], a real
one uniformly in [-3, 3], an integer one in 1..8 or -8..8, anything else as a complex number in
the square [-3, 3]^2, or uniformly in [-3, 3] when an inequality compares it), then whole points
are kept only when every side condition holds.  Values
are exact binary floats, so the same point can be evaluated at any working precision.
"""

from __future__ import annotations

import functools
import math

import mpmath
import sympy as sp

#: Rejection sampling gives up after this many draws per requested point.
MAX_TRIES_PER_POINT = 500


def draw(symbol, rng):
    """One random value for ``symbol`` according to its assumptions."""
    if symbol.is_integer:
        if symbol.is_positive:
            return int(rng.integers(1, 9))
        if symbol.is_nonnegative:
            return int(rng.integers(0, 9))
        return int(rng.integers(-8, 9))
    magnitude = math.exp(rng.uniform(math.log(0.1), math.log(10.0)))
    if symbol.is_positive or symbol.is_nonnegative:
        return magnitude
    if symbol.is_negative or symbol.is_nonpositive:
        return -magnitude
    if symbol.is_real:
        return float(rng.uniform(-3.0, 3.0))
    return complex(rng.uniform(-3.0, 3.0), rng.uniform(-3.0, 3.0))


def condition_holds(condition, point, dps=30):
    """Evaluate a relational side condition at ``point`` (a dict symbol -> number).

    A condition whose two sides differ by a non-real number is false: ``a > b`` only means
    something for real values.
    """
    if isinstance(condition, sp.And):
        return all(condition_holds(c, point, dps) for c in condition.args)
    if isinstance(condition, sp.Or):
        return any(condition_holds(c, point, dps) for c in condition.args)
    if condition is sp.true or condition is True:
        return True
    if condition is sp.false or condition is False:
        return False
    difference = evaluate(condition.lhs - condition.rhs, point, dps)
    if isinstance(difference, mpmath.mpc):
        if abs(difference.imag) > mpmath.mpf(10) ** (-dps // 2) * (1 + abs(difference)):
            return False
        difference = difference.real
    op = condition.rel_op
    if op == ">":
        return difference > 0
    if op == ">=":
        return difference >= 0
    if op == "<":
        return difference < 0
    if op == "<=":
        return difference <= 0
    if op == "!=":
        return difference != 0
    if op == "==":
        return abs(difference) <= mpmath.mpf(10) ** (-dps // 2)
    raise ValueError(f"unsupported side condition {condition}")


def evaluate(expr, point, dps=50):
    """Value of ``expr`` at ``point`` with mpmath at ``dps`` significant digits.

    Returns an ``mpf`` or ``mpc``; raises ``ValueError`` when a symbol has no value.
    """
    expr = sp.sympify(expr)
    missing = expr.free_symbols - set(point)
    if missing:
        names = ", ".join(sorted(str(s) for s in missing))
        raise ValueError(f"no value for {names}")
    symbols = tuple(sorted(expr.free_symbols, key=str))
    function = _compiled(expr, symbols)
    with mpmath.workdps(dps):
        return function(*[_mp(point[s]) for s in symbols])


@functools.lru_cache(maxsize=512)
def _compiled(expr, symbols):
    """``expr`` lambdified for mpmath, once per expression (a check evaluates it at many points)."""
    try:
        return sp.lambdify(symbols, expr, modules="mpmath")
    except Exception as exc:  # an unevaluated Limit, Sum or unknown function has no number
        raise ValueError(f"cannot evaluate {type(exc).__name__}: {exc}") from None


def _mp(value):
    if isinstance(value, complex):
        return mpmath.mpc(value.real, value.imag)
    if isinstance(value, (int, float)):
        return mpmath.mpf(value)
    return value


def admissible_points(symbols, conditions, count, rng):
    """``count`` random points for ``symbols`` at which every condition holds.

    Returns fewer points than asked when the conditions are too restrictive to hit by chance
    (the caller reports that as *unverified*, never as passed).
    """
    symbols = sorted(symbols, key=str)
    # A condition Eq(symbol, value) fixes the symbol: rejection would never hit it.
    fixed = {c.lhs: (float(c.rhs) if c.rhs.is_real else complex(c.rhs)) for c in conditions
             if isinstance(c, sp.Equality) and isinstance(c.lhs, sp.Symbol) and not c.rhs.free_symbols}
    conditions = [c for c in conditions if not (isinstance(c, sp.Equality) and c.lhs in fixed)]
    # An inequality only holds for real values (condition_holds): a symbol of unknown realness
    # compared in one (z < 0) is drawn real, or rejection would never hit the real line.
    real = set().union(*(_compared_directly(c) for c in conditions))
    points = []
    for _ in range(count * MAX_TRIES_PER_POINT):
        if len(points) == count:
            break
        point = {s: (fixed[s] if s in fixed else float(rng.uniform(-3.0, 3.0)) if s in real else draw(s, rng))
                 for s in symbols}
        try:
            if all(condition_holds(c, point) for c in conditions):
                points.append(point)
        except (ValueError, ZeroDivisionError, TypeError):
            continue
    return points


def _compared_directly(condition):
    """Symbols of unknown realness an inequality compares as they are, not through re, im or
    abs (``z < 0`` compares z; ``im(z) > 0`` does not)."""
    if isinstance(condition, (sp.And, sp.Or)):
        return set().union(*(_compared_directly(c) for c in condition.args))
    if (not isinstance(condition, sp.core.relational.Relational)
            or isinstance(condition, (sp.Equality, sp.Unequality))):
        return set()
    difference = condition.lhs - condition.rhs
    wrapped = difference.atoms(sp.re, sp.im, sp.Abs, sp.arg)
    bare = difference.xreplace({w: sp.Dummy() for w in wrapped})
    return {sym for sym in bare.free_symbols if sym.is_real is None}
