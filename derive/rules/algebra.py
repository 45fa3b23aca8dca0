"""``step``: an exact consequence of the cited premises, by any means the checker has (proof by
substitution or elimination, else the numeric checker)."""

from __future__ import annotations

from ..step import Step
from . import Rule, register


def step(self, label, statement, *, uses=(), conditions=(), explanation="", ref=""):
    """State an exact consequence of the premises ``uses`` (checked symbolically or numerically)."""
    return self._add(Step(label, statement, "algebra", tuple(uses), tuple(conditions),
                          explanation, ref))


@register
class Algebra(Rule):
    kind = "algebra"
    title = "Algebra"
    verb = step
