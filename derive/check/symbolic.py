"""Deciding ``expr == 0``: the kernel's exact algebra first, then sympy's transformations as
proposals that the kernel must confirm.

1. :func:`derive.check.kernel.exact.is_zero`: ``expr`` is the zero rational function of its
   generators (FLINT), a proof.
2. sympy's ``expand``, ``cancel``, ``radsimp``, ``simplify`` (cheapest first, each under a
   CPU-time budget, :mod:`derive.budget`) *propose* that ``expr`` is 0.  sympy is not trusted:
   its ``simplify`` calls ``doit``, and so its ``integrate`` and ``summation``, whose
   antiderivatives of ``|sin t|`` or through a pole are wrong.  A proposal counts only when
   certified evaluation confirms it (:func:`derive.check.kernel.evidence.confirm_zero`: Arb
   balls at sampled points, integrals by Arb's own quadrature); an expression Arb cannot
   evaluate (an unevaluated limit, an infinite sum) is not confirmed.

A ``None`` answer means *undecided*, which sends the step on to elimination or to the numeric
checker.
"""

from __future__ import annotations

import time

import sympy as sp

from ..bindings import NON_SMOOTH
from ..budget import BudgetExceeded, cpu_limit
from .kernel import evidence, exact

#: (name, transformation) pairs, tried in order.
TRANSFORMS = (
    ("expand", sp.expand),
    ("cancel", lambda e: sp.cancel(sp.together(e))),
    ("radsimp", lambda e: sp.cancel(sp.radsimp(sp.together(e)))),
    ("simplify", sp.simplify),
    # Functions with jumps, written through floor and Piecewise, which simplify can combine
    # (Mod(r, 3) is r - 3 floor(r/3)); sampling cannot verify such statements (numeric.py).
    ("floor and piecewise forms", lambda e: _piecewise_form(e)),
)



def _piecewise_form(expr):
    if not expr.has(*NON_SMOOTH):
        return expr
    rewritten = expr.rewrite(sp.floor).rewrite(sp.Piecewise)
    return sp.simplify(sp.piecewise_fold(rewritten))


def is_zero(expr, seconds=4.0):
    """Name of the kernel procedure that established ``expr == 0`` (with the sympy
    transformation that proposed it), or ``None`` if none did (module docstring).

    ``seconds`` is the CPU-time budget for all transformations together; a transformation that
    would run past it is abandoned (expressions with nested radicals can keep ``simplify`` busy
    for minutes, and the numeric checker settles them in well under a second).  CPU time, not
    wall time, so that the answer does not depend on how busy the machine is.
    """
    expr = sp.sympify(expr)
    if expr == 0:
        return "identical"
    if exact.is_zero(expr):
        return "exact: rational normal form (FLINT)"
    proposal = _proposed_zero(expr, seconds)
    if proposal is None:
        return None
    confirmed, outcome = evidence.confirm_zero(expr)
    if confirmed:
        return f"sympy's {proposal} proposing, certified evaluation (Arb) confirming at {outcome.details['points']} points"
    return None


def _proposed_zero(expr, seconds):
    """The first sympy transformation that reduces ``expr`` to 0, or None."""
    deadline = time.process_time() + seconds
    for name, transform in TRANSFORMS:
        remaining = deadline - time.process_time()
        if remaining <= 0:
            return None
        try:
            with cpu_limit(remaining):
                if transform(expr) == 0:
                    return name
        except BudgetExceeded:
            return None
        except (TypeError, ValueError, NotImplementedError, sp.PolynomialError, RecursionError):
            continue
    return None
