"""``fact``: an asymptotic statement, checked by the Monte Carlo simulation it carries
(:mod:`derive.check.fact`)."""

from __future__ import annotations

from ..step import FACT, Step
from . import Rule, register


def fact(self, label, statement, *, check=None, uses=(), conditions=(), explanation="", ref="",
         mode="mean"):
    """State an asymptotic fact; ``check`` is the simulation that tests it.

    ``mode`` is how ``lhs - rhs`` tends to 0 as d -> infinity: ``"mean"`` (its expectation, and
    its spread; the default), ``"probability"`` (the share of draws farther than any eps shrinks:
    median and quantile tests, blind to a vanishing heavy tail) or ``"almost surely"`` (checked
    as in probability, which it implies).  See :mod:`derive.check.fact`.  Without a ``check`` the
    fact is reported as unverified.
    """
    from ..check.fact import MODES
    from ..errors import DerivationError

    if mode not in MODES:
        raise DerivationError(f"a fact's mode of convergence is one of {', '.join(map(repr, MODES))}, "
                              f"not {mode!r}", label)
    # The default is stored as nothing, so that a fact in mean keeps its cache key and graph.
    rule = {} if mode == "mean" else {"mode": mode}
    return self._add(Step(label, statement, FACT, tuple(uses), tuple(conditions), explanation,
                          ref, rule=rule, check=check))


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
        from ..check.fact import fact_mode
        from ..latex import text_with_math

        found = []
        if step.check is not None and step.check.description:
            found.append(text_with_math(step.check.description))
        if fact_mode(step) != "mean":  # a fact in mean reads as it always has
            found.append("Convergence in probability." if fact_mode(step) == "probability"
                         else "Convergence almost surely (checked in probability).")
        return found
