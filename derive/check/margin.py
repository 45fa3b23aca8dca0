"""An adversary for sampled inequalities: minimise the margin from the sampled points.

Random points rarely land where an inequality is tight: ``(a + b)/2 > sqrt(a b)`` fails only on
the line ``a = b``, ``log x < 10`` only beyond 22026.  So after the sampled points all pass, a
local search (scipy's Nelder-Mead, in log coordinates for positive symbols) minimises the
relative margin

    m(p) = s (rhs - lhs) / (1 + |lhs| + |rhs|),   s = +1 for < and <=, -1 for > and >=,

from the three points where it was smallest, keeping the side conditions.  A point with a
negative margin is handed back as a candidate counterexample (the caller confirms it at high
precision).  For a strict inequality, a margin that comes within 1e-10 of 0 at an interior point
(finite coordinates, a converged search) means the two sides touch there: the step cannot be
verified by sampling, and the caller leaves it unverified.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from ..sampling import condition_holds, evaluate, satisfies

#: Starts of the local search, and its budget of evaluations per start.
STARTS = 3
EVALUATIONS = 300
#: A relative margin this close to 0 at an interior point: the sides touch.
TOUCH = 1e-10
#: Coordinates beyond this (log10 for positive symbols) are the edge of the domain, not inside.
INTERIOR = 12.0


def search(lhs, rhs, op, conditions, points, placeholders=None, solve=None):
    """``("failed", text, point)`` for a point where the margin is negative, ``("touch", text,
    point)`` where a strict inequality's sides meet inside the domain, or None.

    With unknowns (names known only through premises), ``solve(point)`` gives their admissible
    values at a parameter point, a list of dicts; the margin there is the smallest over them
    (every admissible value must satisfy the relation), and none makes the point inadmissible.
    """
    from scipy.optimize import minimize

    unknowns = set(placeholders.values()) if placeholders and solve is not None else set()
    symbols = sorted(set().union(*(set(p) for p in points)) - unknowns if points else set(), key=str)
    if not symbols or any(isinstance(v, complex) for p in points for v in p.values()):
        return None
    sign = 1 if op in ("<", "<=") else -1
    # A signed symbol (extended ones too) moves in log scale on its own side of 0: the search
    # never leaves what the symbol assumes.  Symbols a float cannot stand for (integers,
    # irrationals) are not searched over.
    sides = [1 if s.is_extended_nonnegative else -1 if s.is_extended_nonpositive else 0 for s in symbols]
    positive = [side != 0 for side in sides]
    if any(not satisfies(s, 0.7 * (side or 1)) for s, side in zip(symbols, sides)):
        return None

    def to_point(x):
        return {s: (side * 10.0 ** v if side else float(v)) for s, v, side in zip(symbols, x, sides)}

    def relative_margin(x):
        if not np.all(np.isfinite(x)) or np.any(np.abs(np.asarray(x)[positive]) > 300):
            return math.inf
        point = to_point(x)
        try:
            if not all(condition_holds(c, point) for c in conditions):
                return math.inf
            values = solve(point) if solve is not None else [{}]
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            return math.inf
        margins = [margin_at({**point, **value}) for value in values]
        return min(margins) if margins else math.inf

    def margin_at(point):
        try:
            with mpmath.workdps(30):
                a, b = evaluate(lhs, point, 30), evaluate(rhs, point, 30)
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            return math.inf
        if isinstance(a, mpmath.mpc) or isinstance(b, mpmath.mpc) or not (mpmath.isfinite(a) and mpmath.isfinite(b)):
            return math.inf
        # Relative to 1 + |lhs| + |rhs|, not |lhs| + |rhs|: with rhs = 0 the latter is +-1
        # everywhere, a flat landscape with nothing to follow.
        return float(sign * (b - a) / (1 + abs(a) + abs(b)))

    def to_x(point):
        return np.array([math.log10(abs(point[s])) if pos else float(point[s]) for s, pos in zip(symbols, positive)])

    # A start must have a logarithm for every name searched in log scale (0 is tried apart).
    points = [{s: p[s] for s in symbols} for p in points
              if all(not pos or (p[s] != 0 and math.isfinite(abs(p[s]))) for s, pos in zip(symbols, positive))]
    starts = sorted(points, key=lambda p: relative_margin(to_x(p)))[:STARTS]
    for start in starts:
        result = minimize(relative_margin, to_x(start), method="Nelder-Mead",
                          options={"maxfev": EVALUATIONS, "xatol": 1e-12, "fatol": 1e-14})
        if not math.isfinite(result.fun):
            continue
        point = to_point(result.x)
        if result.fun < -TOUCH:
            return "failed", f"margin {result.fun:.3g} at {_show(point)}", point
        if op in ("<", ">") and result.fun < TOUCH and _interior(result.x, to_point, conditions):
            return ("touch", f"the two sides come within {result.fun:.1e} (relative) of each other at "
                    f"{_show(point)}, inside the domain: a strict '{op}' cannot be verified by sampling there",
                    point)
    return None


def _interior(x, to_point, conditions):
    """Finite coordinates, and every condition still holding a relative 1e-6 away in each
    direction: the search stopped inside the domain, not at its edge."""
    if not all(abs(v) < INTERIOR for v in x):
        return False
    for i in range(len(x)):
        for step in (1e-6, -1e-6):
            moved = np.array(x, dtype=float)
            moved[i] += step * max(abs(moved[i]), 1.0)
            try:
                if not all(condition_holds(c, to_point(moved)) for c in conditions):
                    return False
            except (ValueError, ZeroDivisionError, TypeError):
                return False
    return True


def _show(point):
    return ", ".join(f"{k}={v:.8g}" for k, v in sorted(point.items(), key=lambda kv: str(kv[0])))
