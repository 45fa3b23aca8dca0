"""A new rule kind, ``instance``: a premise that holds for every value of a variable, stated at
one value.  Run it with ``derive check docs/examples/instance_rule.py``.

It is the walk-through of docs/extending.md ("A new rule"): one class, one verb, one check.
"""

import sympy as sp

from derive import Derivation
from derive.bindings import implicit_symbols
from derive.check.result import Refused, Verdict
from derive.rules import Rule, register
from derive.step import Step


def instance(self, label, premise, variable, value, *, explanation="", ref=""):
    """State the premise with ``variable`` replaced by ``value`` (its conditions too)."""
    source = self[premise]
    put = {variable: value}
    statement = sp.Eq(source.statement.lhs.xreplace(put), source.statement.rhs.xreplace(put), evaluate=False)
    conditions = tuple(c.xreplace(put) for c in source.conditions)
    return self._add(Step(label, statement, "instance", (premise,), conditions, explanation, ref,
                          rule={"variable": variable, "value": value}))


@register
class Instance(Rule):
    """``instance``: the premise at ``variable = value``."""

    kind = "instance"
    title = "Instance"
    verb = instance
    operand = True  # the premise is the rule's operand: dropping it leaves no instance

    def check(self, step, derivation):
        premise = derivation[step.uses[0]]
        variable, value = step.rule["variable"], step.rule["value"]
        # The premise must hold for every value of the variable: not one a binding fixes, nor an
        # unknown known only through a relation.
        bound = {name for name, _ in derivation.bindings(step.uses)}
        if variable in bound or variable in implicit_symbols(derivation.ancestors(step.label)):
            raise Refused("instance: variable", f"{variable} is fixed above the step, so "
                          f"'{premise.label}' need not hold at {variable} = {value}")
        expected = premise.residual.xreplace({variable: value})
        if sp.simplify(step.residual - expected) == 0:
            return Verdict("verified", "instance: substitution", f"'{premise.label}' at {variable} = {value}")
        return None  # not literally the instance: the generic proof and numeric checks decide


x, c = sp.symbols("x c", positive=True)
D = Derivation("instance-demo", title="A rule of one's own")
D.parameter(x, c)
D.step("square", sp.Eq((x + c) ** 2, x ** 2 + 2 * c * x + c ** 2))
D.instance("at-one", "square", x, 1)
derivation = D
