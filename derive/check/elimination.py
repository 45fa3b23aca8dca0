"""Ideal membership: does a relation follow algebraically from the premise relations?

Every relation ``lhs = rhs`` is read as the numerator of ``lhs - rhs`` (a polynomial once
function applications and square roots are renamed), and the statement is established when its
numerator reduces to 0 modulo a Groebner basis of the premises' numerators:

    p_stmt = sum_i c_i p_i   =>   p_stmt = 0 wherever every p_i = 0.

A square root ``sqrt(u)`` becomes a new variable ``r`` with the extra relation ``r**2 = u``;
membership then proves the statement for *either* sign of every root, which is stronger than
needed and so sound.  The conclusion holds where the denominators do not vanish.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from ..timeout import TimeLimitExceeded, time_limit


def _polynomial_form(exprs):
    """Rename non-polynomial atoms; return numerators, extra relations and generators."""
    rename = {}
    extra = []
    counter = iter(range(10**6))

    def fresh():
        return sp.Dummy(f"g{next(counter)}")

    def visit(expr):
        # Innermost first, so sqrt(1 + sqrt(x)) renames sqrt(x) before the outer root.
        for atom in sorted(expr.atoms(sp.Derivative, AppliedUndef), key=sp.count_ops):
            if atom not in rename:
                rename[atom] = fresh()
        expr = expr.xreplace(rename)
        while True:
            roots = [p for p in expr.atoms(sp.Pow)
                     if p.exp.is_Rational and not p.exp.is_Integer and p.exp.q == 2]
            if not roots:
                return expr
            root = min(roots, key=sp.count_ops)
            base = root.base
            name = rename.get(sp.sqrt(base))
            if name is None:
                name = fresh()
                rename[sp.sqrt(base)] = name
                extra.append(name**2 - base)
            expr = expr.xreplace({root: name**(2 * root.exp.p)})

    forms = [visit(sp.sympify(e)) for e in exprs]
    # Roots introduced inside the relations' own bases may need renaming too.
    extra = [visit(e) for e in extra]
    return forms, extra


#: Above this many operations in the statement a Groebner basis does not finish in the time
#: budget (the largest residual proved by elimination in the shipped derivations has 28).
MAX_OPS = 500


def follows(statement_residual, premise_residuals, seconds=8.0):
    """True when the statement's numerator lies in the ideal of the premises' numerators.

    Returns ``None`` when the question is not polynomial, too large (``MAX_OPS``), or the
    Groebner basis takes too long.
    """
    if not premise_residuals or sp.count_ops(statement_residual) > MAX_OPS:
        return None
    try:
        with time_limit(seconds):
            forms, extra = _polynomial_form([statement_residual] + list(premise_residuals))
            numerators = [sp.together(f).as_numer_denom()[0] for f in forms + extra]
            numerators = [sp.expand(n) for n in numerators]
            generators = sorted(set().union(*(n.free_symbols for n in numerators)), key=str)
            if not generators:
                return None
            target, premises = numerators[0], [n for n in numerators[1:] if n != 0]
            if not premises:
                return None
            if not all(n.is_polynomial(*generators) for n in numerators):
                return None
            basis = sp.groebner(premises, *generators, order="grevlex", domain="QQ")
            if list(basis) == [1]:
                # Inconsistent premises prove anything; refuse rather than pass.
                return None
            _, remainder = basis.reduce(target)
            return remainder == 0 or None
    except TimeLimitExceeded:
        return None
    except (sp.PolynomialError, sp.polys.polyerrors.CoercionFailed, NotImplementedError, ValueError,
            TypeError, RecursionError):
        return None
