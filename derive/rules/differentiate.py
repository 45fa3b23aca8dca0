"""``differentiate``: both sides of a premise differentiated in one variable.

The variable must be free where the premise holds: not an integer symbol, not given a value
above the step, not an unknown known only through a relation, not fixed by an equality condition
upstream.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .. import bindings as _bindings
from ..check.result import Refused
from ..errors import DerivationError
from ..check.symbolic import is_zero
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


def _interior(condition, wrt):
    """``condition`` with a closed inequality in ``wrt`` made strict (``t >= 0`` -> ``t > 0``)."""
    strict = {sp.GreaterThan: sp.StrictGreaterThan, sp.LessThan: sp.StrictLessThan}
    if type(condition) in strict and condition.has(wrt):
        return strict[type(condition)](condition.lhs, condition.rhs)
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
