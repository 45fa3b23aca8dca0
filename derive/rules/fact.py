"""``fact``: an asymptotic statement, checked by the Monte Carlo simulation it carries
(:mod:`derive.check.fact`)."""

from __future__ import annotations

from ..step import FACT, Step
from . import Rule, register


def fact(self, label, statement, *, check=None, uses=(), conditions=(), explanation="", ref=""):
    """State an asymptotic fact; ``check`` is the simulation that tests it.

    Without a ``check`` the fact is reported as unverified.
    """
    return self._add(Step(label, statement, FACT, tuple(uses), tuple(conditions), explanation,
                          ref, check=check))


@register
class Fact(Rule):
    kind = FACT
    title = "Asymptotic fact"
    verb = fact
    exact = False
    relation_symbol = r"\simeq"
    shape = "box3d"

    def check(self, step, derivation):
        from ..check.fact import check_fact
        from ..check.result import Verdict

        return Verdict(*check_fact(step, derivation))

    def justification(self, step, printer):
        from ..latex import text_with_math

        if step.check is not None and step.check.description:
            return [text_with_math(step.check.description)]
        return []
