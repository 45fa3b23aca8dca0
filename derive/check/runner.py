"""Checking a step and a whole derivation: which method is tried, in what order.

For an exact step the methods are tried cheapest first, and the first that decides wins:

1. the rule's own evidence (a solved root and its branch, a derivative, a limit, a series);
2. *symbolic*: substitute the bindings of the cited premises, reduce ``lhs - rhs`` to 0;
3. *elimination*: ideal membership of the statement in the cited relations (Groebner basis),
   or, for spectral means, linearity (:mod:`derive.rmt.spectral`);
4. the same two with every binding above the step substituted (definitions, solved forms);
5. *numeric*: 50-digit evaluation at random admissible points (:mod:`derive.check.numeric`).

A counterexample from the numeric checker makes the step **failed**; no method deciding makes
it **unverified**.  Facts are checked by their simulation (:mod:`derive.check.fact`).
"""

from __future__ import annotations

import time

from .. import bindings as _bindings
from ..notation import Meaning
from ..rmt.spectral import SpectralMean, follows_by_linearity
from ..step import DEFINITION, FACT
from ..timeout import TimeLimitExceeded
from . import cache, elimination, numeric
from .fact import check_fact
from .result import DEFINITION as DEFINED, CheckResult
from .rules import RULE_CHECKS, refute_limit
from .symbolic import is_zero


def check_step(derivation, step, refute_first=False):
    """A :class:`CheckResult` for one step (no cache).

    With ``refute_first`` the numeric checker runs before the symbolic methods, so that a false
    statement is refuted at its first random point instead of after simplify's whole budget
    (what mutation testing needs).
    """
    start = time.perf_counter()
    try:
        if step.kind == DEFINITION:
            status, method, evidence, details = DEFINED, "definition", step.explanation or "notation", {}
        elif step.kind == FACT:
            status, method, evidence, details = check_fact(step, derivation)
        else:
            status, method, evidence, details = _check_exact(derivation, step, refute_first)
    except TimeLimitExceeded:
        raise
    except Exception as exc:  # sympy, mpmath or a user's simulator failing: the step is not established
        status, method = "unverified", "checker error"
        evidence, details = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}", {}
    return CheckResult(step.label, step.kind, status, method, evidence,
                       time.perf_counter() - start, False, details)


def _check_exact(derivation, step, refute_first=False):
    if refute_first:
        if step.kind == "limit":
            decided = refute_limit(step, derivation)
            if decided is not None and decided[0] == "failed":
                return decided
        else:
            outcome = _numeric(derivation, step)
            if outcome.status == "failed":
                return outcome.status, "numeric: mpmath 50 digits", outcome.evidence, outcome.details
    rule_check = RULE_CHECKS.get(step.kind)
    if rule_check is not None:
        decided = rule_check(step, derivation)
        if decided is not None and decided[0] in ("verified", "failed"):
            return decided
    premises = [derivation[label] for label in step.uses]
    direct = [pair for pair in (_bindings.binding_of(p.statement) for p in premises) if pair]
    relations = _relations(premises)
    everything = derivation.bindings(step.uses)

    tried = []
    for label, table in (("cited premises", direct), ("all definitions above", everything)):
        residual = _bindings.substitute(step.residual, table)
        if residual in tried:
            continue
        tried.append(residual)
        how = is_zero(residual)
        if how:
            return "verified", f"symbolic: substitution ({label}) + {how}", f"lhs - rhs reduces to 0 by {how}", {}
        premises_closed = [_bindings.substitute(r, table) for r in relations]
        premises_closed += [copy for r in premises_closed for copy in _bindings.instantiate(r, residual)]
        # A cited mean <f> = value is a known integral for linearity, not only a substitution.
        known_means = [_bindings.substitute(p.residual, [b for b in table if b[0] != p.statement.lhs])
                       for p in premises if isinstance(p.statement.lhs, SpectralMean)]
        if residual.has(SpectralMean) and follows_by_linearity(residual, premises_closed + known_means):
            return ("verified", f"spectral linearity ({label})",
                    "one integrand over the spectral law, a combination of the premises' integrands", {})
        if elimination.follows(residual, premises_closed):
            cited = ", ".join(p.label for p in premises if p.residual in relations)
            return ("verified", f"elimination: ideal membership ({label})",
                    f"numerator lies in the ideal of {cited} (Groebner basis)", {})

    outcome = _numeric(derivation, step)
    method = "numeric: mpmath 50 digits"
    if outcome.status == "unverified" and rule_check is not None:
        method = f"{step.kind}: no method decided"
    return outcome.status, method, outcome.evidence, outcome.details


def _relations(premises):
    """The cited premises that constrain rather than name: residuals that must vanish."""
    return [p.residual for p in premises if _bindings.binding_of(p.statement) is None
            and not p.statement.rhs.atoms(Meaning)]


def _numeric(derivation, step):
    """The numeric proof attempt with every binding above the step substituted."""
    if step.kind in ("limit", "series"):
        return numeric.Outcome("unverified", "limits and series are checked by their rule")
    relations = _relations([derivation[label] for label in step.uses])
    everything = derivation.bindings(step.uses)
    lhs = _bindings.substitute(step.statement.lhs, everything)
    rhs = _bindings.substitute(step.statement.rhs, everything)
    closed_relations = [_bindings.substitute(r, everything) for r in relations]
    closed_relations += [copy for r in closed_relations
                         for copy in _bindings.instantiate(r, lhs - rhs)]
    conditions = [_bindings.substitute(c, everything) for c in step.conditions]
    implicit = _bindings.implicit_symbols(derivation.ancestors(step.label))
    return numeric.check(lhs, rhs, closed_relations, conditions, implicit=implicit)


def check_derivation(derivation, use_cache=True, only=None):
    """Check every step (or the labels in ``only``), in derivation order.

    Returns a list of :class:`CheckResult`; unchanged steps come from the cache.
    """
    keys = cache.step_keys(derivation)
    results = []
    for step in derivation.ordered():
        if only is not None and step.label not in only:
            continue
        key = keys[step.label]
        result = cache.load(key) if use_cache else None
        if result is None:
            result = check_step(derivation, step)
            if result.status != "failed" or step.kind != FACT:
                cache.store(key, result)
        results.append(result)
    return results
