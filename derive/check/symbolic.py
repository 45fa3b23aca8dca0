"""Deciding ``expr == 0`` with sympy, cheapest transformations first.

Each transformation runs under a time limit; none of them is allowed to guess.  A ``None``
answer means *undecided*, which sends the step on to elimination or to the numeric checker.
"""

from __future__ import annotations

import sympy as sp

from ..timeout import TimeLimitExceeded, time_limit

#: (name, transformation) pairs, tried in order.
TRANSFORMS = (
    ("expand", sp.expand),
    ("cancel", lambda e: sp.cancel(sp.together(e))),
    ("radsimp", lambda e: sp.cancel(sp.radsimp(sp.together(e)))),
    ("simplify", sp.simplify),
)


def is_zero(expr, seconds=10.0):
    """Name of the first transformation that reduces ``expr`` to 0, or ``None`` if none does."""
    expr = sp.sympify(expr)
    if expr == 0:
        return "identical"
    for name, transform in TRANSFORMS:
        try:
            with time_limit(seconds):
                if transform(expr) == 0:
                    return name
        except TimeLimitExceeded:
            continue
        except (TypeError, ValueError, NotImplementedError, sp.PolynomialError, RecursionError):
            continue
    return None
