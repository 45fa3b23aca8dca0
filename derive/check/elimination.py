"""Ideal membership: does a relation follow algebraically from the premise relations?

Every relation ``lhs = rhs`` is read as the numerator of ``lhs - rhs`` (a polynomial once
function applications and square roots are renamed), and the statement is established when its
numerator reduces to 0 modulo a Groebner basis of the premises' numerators:

    p_stmt = sum_i c_i p_i   =>   p_stmt = 0 wherever every p_i = 0.

A square root ``sqrt(u)`` becomes a new variable ``r`` with the extra relation ``r**2 = u``
(and ``u**(p/2)`` becomes ``r**p``); membership then proves the statement for *either* sign of
every root, which is stronger than needed and so sound.

The conclusion holds where the statement's denominator does not vanish, so the denominator
must vanish *nowhere* on the premises' solutions (every root, either sign of every renamed
square root): ``1`` must lie in the ideal with the denominator added (Hilbert's
Nullstellensatz), for generic values of the parameters (the ideal is taken over the field of
rational functions of them).  Otherwise a statement that is 0/0 on the solution meant would be
"proved".
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from ..budget import BudgetExceeded, cpu_limit
from ..notation import Opaque


def _polynomial_form(exprs):
    """Rename non-polynomial atoms; return numerators, extra relations and generators."""
    rename = {}
    extra = []
    counter = iter(range(10**6))

    def fresh():
        return sp.Dummy(f"g{next(counter)}")

    def visit(expr):
        # Innermost first, so sqrt(1 + sqrt(x)) renames sqrt(x) before the outer root.  An opaque
        # number (a spectral mean <f>) is an unknown like M(x): what the premises say of it is
        # all that is known.
        for atom in sorted(expr.atoms(sp.Derivative, AppliedUndef, Opaque), key=sp.count_ops):
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
            # base**(p/2) = sqrt(base)**p
            expr = expr.xreplace({root: name**root.exp.p})

    forms = [visit(sp.sympify(e)) for e in exprs]
    # Roots introduced inside the relations' own bases may need renaming too.
    extra = [visit(e) for e in extra]
    return forms, extra


#: Above this many operations in the statement a Groebner basis does not finish in the time
#: budget (the largest residual proved by elimination in the shipped derivations has 28).
MAX_OPS = 500


def _constrains_parameters(premises, generators, implicit=()):
    """Whether the premises, each claimed for all values of the parameters, hold together only
    for some: their ideal meets the polynomials in the parameters alone (a lex basis with the
    unknowns first has an element free of them).  ``x M = 1`` and ``x M^2 = 2`` force
    ``x = 1/2``; used as premises for all ``x`` they would prove anything about ``x``."""
    unknowns = [g for g in generators if isinstance(g, sp.Dummy) or g in implicit]
    parameters = [g for g in generators if g not in unknowns]
    if not unknowns or not parameters:
        return False
    lex = sp.groebner(premises, *unknowns, *parameters, order="lex", domain="QQ")
    return any(not (p.free_symbols & set(unknowns)) for p in lex.exprs)


def follows(statement_residual, premise_residuals, seconds=5.0, implicit=()):
    """True when the statement's numerator lies in the ideal of the premises' numerators.

    Returns ``None`` when the question is not polynomial, too large (``MAX_OPS``), or the
    Groebner basis takes too long.
    """
    if not premise_residuals or sp.count_ops(statement_residual) > MAX_OPS:
        return None
    try:
        with cpu_limit(seconds):
            forms, extra = _polynomial_form([statement_residual] + list(premise_residuals))
            fractions = [sp.together(f).as_numer_denom() for f in forms + extra]
            numerators = [sp.expand(n) for n, _ in fractions]
            denominator = sp.expand(fractions[0][1])
            generators = sorted(set().union(*(n.free_symbols for n in numerators), denominator.free_symbols),
                                key=str)
            if not generators:
                return None
            target, premises = numerators[0], [n for n in numerators[1:] if n != 0]
            if not premises:
                return None
            if not all(n.is_polynomial(*generators) for n in numerators + [denominator]):
                return None
            basis = sp.groebner(premises, *generators, order="grevlex", domain="QQ")
            if list(basis) == [1]:
                # Inconsistent premises prove anything; refuse rather than pass.
                return None
            if _constrains_parameters(premises, generators, set(implicit)):
                return None
            _, remainder = basis.reduce(target)
            if remainder != 0:
                return None
            # Factors of the denominator in the parameters alone vanish only on a thin set of
            # parameters, as 1/kappa does; the factors in the unknowns must vanish nowhere the
            # premises hold (every root, both signs of every renamed square root): 1 in the
            # ideal with them added.
            unknowns = {g for g in generators if isinstance(g, sp.Dummy) or g in set(implicit)}
            denominator = sp.Mul(*[f ** k for f, k in sp.factor_list(denominator)[1] if f.free_symbols & unknowns])
            if denominator.free_symbols:
                # Over the field of rational functions of the parameters: for generic values of
                # them (a double root at a discriminant's zero is no counterexample).
                parameters = [g for g in generators if g not in unknowns]
                domain = sp.QQ.frac_field(*parameters) if parameters else sp.QQ
                nowhere = sp.groebner(premises + [denominator], *sorted(unknowns, key=str), order="grevlex",
                                      domain=domain)
                if list(nowhere) != [1]:
                    return None  # 0/0 somewhere on the premises' solutions
            return True
    except BudgetExceeded:
        return None
    except (sp.PolynomialError, sp.polys.polyerrors.CoercionFailed, NotImplementedError, ValueError,
            TypeError, RecursionError):
        return None
