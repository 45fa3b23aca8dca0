"""``differentiate``: both sides of a premise differentiated in one variable.

The variable must be free where the premise holds: not an integer symbol, not given a value
above the step, not an unknown known only through a relation, not fixed by an equality condition
upstream.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .. import bindings as _bindings
from ..check.result import Refused
from ..errors import DerivationError
from ..sampling import admissible_points
from ..step import Step
from . import Rule, register, verdict


def differentiate(self, label, premise, wrt, *, explanation="", ref=""):
    """Differentiate both sides of the premise with respect to ``wrt``."""
    source = self[premise].statement
    # A kink outside the premise's conditions is no kink of the identity (|t| under t > 0).
    conditions = [c for c in self[premise].conditions if c.has(wrt)]
    residual = source.lhs - source.rhs
    if conditions:
        try:
            residual = sp.refine(residual, sp.And(*conditions))
        except (TypeError, ValueError, NotImplementedError):
            pass
    kinks = _bindings.non_smooth(residual, [wrt])
    if kinks:
        raise DerivationError(
            f"{kinks[0]} is not differentiable in {wrt} everywhere: at its kinks or jumps sympy's "
            "derivative (sign(0) = 0, Heaviside(0) = 1/2, one piece's slope) is no derivative; state the "
            "derivative where it exists, as a step with conditions", label)
    statement = sp.Eq(sp.diff(source.lhs, wrt), sp.diff(source.rhs, wrt))
    # An identity on a closed set says nothing of the derivative at its edge: the derivative is
    # claimed on the interior.
    conditions = tuple(_interior(c, wrt) for c in self[premise].conditions)
    return self._add(Step(label, statement, "differentiate", (premise,), conditions,
                          explanation, ref, rule={"wrt": wrt}))


#: A closed inequality and its strict form: the interior of the set it defines.
_STRICT = {sp.GreaterThan: sp.StrictGreaterThan, sp.LessThan: sp.StrictLessThan}

#: Assumptions beyond integer (refused above) that put a variable in a set with no interior.
_THIN_SETS = ("rational", "irrational", "algebraic", "transcendental", "prime", "composite")


def _no_interior(conditions):
    """Whether polynomial conditions hold on no open set: their strict forms (``<=`` read as
    ``<``), which define an open set inside theirs, have no common real point, by the kernel's
    real-algebraic decision.  ``(x - 1)^2 <= 0`` is the point 1; ``x^2 >= 4, x^2 <= 4`` two
    points.  False when Z3 cannot tell (a condition that is not polynomial: the sampling test
    that follows decides)."""
    from ..check.kernel import real

    opened = [_STRICT[type(c)](c.lhs, c.rhs) if type(c) in _STRICT else c for c in conditions]
    return real.implies(opened, sp.false) is True


def _interior(condition, wrt):
    """``condition`` with a closed inequality in ``wrt`` made strict (``t >= 0`` -> ``t > 0``)."""
    if type(condition) in _STRICT and condition.has(wrt):
        return _STRICT[type(condition)](condition.lhs, condition.rhs)
    return condition


def check_differentiate(step, derivation):
    """The statement is d/d(wrt) of the premise, and the premise holds for every ``wrt`` near
    each point: ``wrt`` is a free variable there, not a name fixed by a binding, a relation
    (an implicit unknown) or an equality condition."""
    premise = derivation[step.uses[0]]
    wrt = step.rule["wrt"]
    bound = {name for name, _ in derivation.bindings(step.uses)}
    implicit = _bindings.implicit_symbols(derivation.ancestors(step.label))
    if wrt.is_integer:
        # The premise is claimed at the integers only, where it says nothing of a derivative
        # (M(k) = 1 at every integer k for M(t) = cos(2 pi t) + sin(pi t)).
        raise Refused("differentiate: variable", f"{wrt} is an integer, so '{premise.label}' holds only at "
                      f"integers and fixes no derivative in {wrt}")
    thin = [a for a in _THIN_SETS if getattr(wrt, f"is_{a}", None)]
    if thin:
        # Dense sets with no interior: M(q) = q^2 at the rationals fixes no derivative either.
        raise Refused("differentiate: variable", f"{wrt} is declared {thin[0]}, a set with no interior, so "
                      f"'{premise.label}' fixes no derivative in {wrt}")
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
    if closed_conditions and _no_interior(closed_conditions):
        raise Refused("differentiate: variable", f"the conditions {', '.join(map(str, closed_conditions))} hold "
                      f"on no open set of {wrt} (their strict forms have no common point: the real-algebraic "
                      "decision, Z3)")
    if closed_conditions and not admissible_points({wrt} | set().union(*(c.free_symbols for c in closed_conditions)),
                                                   closed_conditions, 3, np.random.default_rng(0), boundary=False):
        raise Refused("differentiate: variable", f"the conditions {', '.join(map(str, closed_conditions))} leave "
                      f"no open set of {wrt} to differentiate on")
    dependent = sorted(map(str, premise.statement.free_symbols & implicit))
    if dependent:
        raise Refused("differentiate: hidden dependence", f"{', '.join(dependent)} is known only through "
                      f"relations and may depend on {wrt}: write it as a function of {wrt}")
    outcome = derivative_by_kernel(premise.residual, step.residual, wrt, step.conditions)
    if outcome is not None and outcome.status in ("verified", "failed"):
        return outcome.status, "kernel: certified Taylor coefficients", \
            f"d/d{wrt} of '{premise.label}': {outcome.evidence}", outcome.details
    why = outcome.evidence if outcome is not None else "Arb has no series for the premise"
    return "unverified", "differentiation: not decided by the kernel", \
        f"sympy's derivative of '{premise.label}' is not confirmed ({why})", {}


class _RootOfSquare(sp.Function):
    """``sqrt(u^2)`` kept apart until the shift ``x -> x + t``: sympy would turn it straight
    back into ``|u|`` for a real ``u``, and Arb has no series for ``|u(x + t)|``."""


#: ``|u|``, ``sign u`` and ``H(u)`` of a real ``u`` through ``sqrt(u^2)``: equal for every real
#: ``u != 0``, and analytic there, so that Arb expands them; ``u^2 > 0`` joins the conditions,
#: which keeps the points off the kink.
_ANALYTIC_AWAY_FROM_0 = {
    sp.Abs: _RootOfSquare,
    sp.sign: lambda u: u / _RootOfSquare(u),
    sp.Heaviside: lambda u: (1 + u / _RootOfSquare(u)) / 2,
}


def _chain_rule_points(expr):
    """``Derivative(f(g), g)`` with ``g`` not a symbol (the chain rule's inner function,
    ``df1'(kappa(lam))``) as ``Subs(Derivative(f(u), u), u, g)``: the same derivative, by a
    variable that survives ``g`` becoming a polynomial."""
    def rewrite(d):
        u = sp.Dummy("u")
        return sp.Subs(sp.Derivative(d.expr.xreplace({d.variables[0]: u}), u), u, d.variables[0])

    return expr.replace(lambda e: isinstance(e, sp.Derivative) and len(e.variables) == 1
                        and not e.variables[0].is_Symbol, rewrite)


def _powers_bases(expr):
    """Bases of the powers in ``expr`` whose exponent is not an integer literal (Arb reads a
    symbolic exponent, even an integer one, as a real power)."""
    return sorted({e.base for e in expr.atoms(sp.Pow) if not e.exp.is_Integer}, key=sp.default_sort_key)


#: Degree of the random polynomials that stand for unknown functions.
SPECIMEN_DEGREE = 3


def derivative_by_kernel(premise, statement, wrt, conditions=(), seed=0):
    """Decide ``statement = d premise / d wrt`` (both residuals, ``lhs - rhs``) without sympy's
    differentiation: at admissible points, the Taylor expansion in ``t`` of

        premise(wrt + t) - premise(wrt) - t * statement(wrt)

    must have no term below ``t^2`` (Arb's certified power series,
    :func:`derive.check.kernel.taylor.check_order`).  The rule holds for every function, so
    unknown functions stand for random polynomials with exact rational coefficients, and an
    opaque object (a spectral mean) for a member of its family (one finite spectrum,
    :meth:`derive.notation.Opaque.specimen`); their derivatives in the statement are then
    derivatives of polynomials.  An :class:`~derive.check.kernel.evidence.Outcome`, or None
    when Arb has no series (a function it cannot expand, an integral) or an object has no
    specimen."""
    from ..check.kernel import taylor
    from ..notation import Opaque

    rng = np.random.default_rng(seed)
    chosen, functions = {}, {}

    def polynomial(f, args):
        if f not in functions:
            dummies = sp.symbols(f"s0:{len(args)}")
            monomials = sorted(sp.itermonomials(dummies, SPECIMEN_DEGREE), key=sp.default_sort_key)
            coefficients = [sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 7))) for _ in monomials]
            functions[f] = sp.Lambda(dummies, sp.Add(*[c * m for c, m in zip(coefficients, monomials)]))
        return functions[f](*args)

    def specimen(expr):
        expr = _chain_rule_points(sp.sympify(expr))
        for obj in sorted(expr.atoms(Opaque), key=sp.default_sort_key):
            value = obj.specimen(chosen, rng)
            if value is None:
                return None
            expr = expr.xreplace({obj: value})
        expr = expr.replace(lambda e: isinstance(e, AppliedUndef), lambda e: polynomial(e.func, e.args))
        # derivatives of the polynomials just put in: exact algebra on polynomials
        expr = expr.replace(lambda e: isinstance(e, (sp.Derivative, sp.Subs)), lambda e: e.doit(deep=False))
        return expr.replace(lambda e: type(e) in _ANALYTIC_AWAY_FROM_0 and e.args[0].is_extended_real,
                            lambda e: _ANALYTIC_AWAY_FROM_0[type(e)](e.args[0]))

    try:
        p, s = specimen(premise), specimen(statement)
    except (ValueError, TypeError):
        return None
    if p is None or s is None:
        return None
    kinks = p.atoms(_RootOfSquare) | s.atoms(_RootOfSquare)
    if (p.atoms(AppliedUndef, sp.Derivative, Opaque) | s.atoms(AppliedUndef, sp.Derivative)) - kinks:
        return None
    t = sp.Dummy("t")  # no assumptions: sqrt((x + t)^2) stays a square root
    local = p.xreplace({wrt: wrt + t}) - p - t * s
    local = local.replace(lambda e: isinstance(e, _RootOfSquare), lambda e: sp.sqrt(e.args[0] ** 2))
    conditions = [c for c in conditions if not c.atoms(AppliedUndef, Opaque)]
    # A real power of a base that may be negative sits on its branch cut, where Arb has no
    # series; both sides are analytic, so agreeing where every such base is positive (an open
    # set) is the same evidence.
    conditions += [b > 0 for b in _powers_bases(p) if b.free_symbols]
    conditions += [k.args[0] ** 2 > 0 for k in sorted(kinks, key=sp.default_sort_key)]
    try:
        return taylor.check_order(local, t, 2, conditions)
    except taylor.NoEnclosure:
        return None


@register
class Differentiate(Rule):
    kind = "differentiate"
    title = "Differentiating"
    verb = differentiate
    operand = True

    def check(self, step, derivation):
        return verdict(check_differentiate(step, derivation))

    def introduces(self, step):
        return sp.sympify(step.rule["wrt"]).free_symbols
