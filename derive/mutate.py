"""Mutation testing of the checker: does it refuse steps that are subtly wrong?

For every exact step, :func:`mutants` makes small wrong versions of it:

* ``sign``: flip the sign of one term;
* ``coefficient``: multiply one term by 8/7;
* ``swap``: exchange two symbols;
* ``drop``: remove one term;
* ``exponent``: raise one power's exponent by 1;
* ``premise``: cite a different step (one that is not already above it) instead of a premise.

Each mutant replaces its step in the derivation and is checked like the original.  It is
**killed** when the checker does not verify it, and **survives** when it does, unless it is
**equivalent**: its statement is the same relation as the original (its residual equals plus or
minus the original's at 50 digits), or, for a re-cited premise, the statement still follows
(it is true, so verifying it is right).  The target is that no mutant survives.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import sympy as sp

from . import bindings as _bindings
from .check import numeric
from .check.runner import check_step

#: At most this many mutants of each kind per step (the first terms, powers, symbol pairs).
PER_KIND = 2
PERTURBATION = sp.Rational(8, 7)


@dataclass
class Mutant:
    label: str
    kind: str
    description: str
    step: object
    outcome: str = ""  # killed, survived, equivalent
    status: str = ""
    seconds: float = 0.0


def _terms(expr):
    return list(sp.Add.make_args(expr)) if isinstance(expr, sp.Add) else []


def _replace_side(step, side, new):
    lhs, rhs = step.statement.lhs, step.statement.rhs
    statement = sp.Eq(new, rhs, evaluate=False) if side == "lhs" else sp.Eq(lhs, new, evaluate=False)
    return dataclasses.replace(step, statement=statement)


def mutants(derivation, step):
    """The mutants of one exact step (see the module docstring)."""
    found = []
    for side in ("lhs", "rhs"):
        expr = getattr(step.statement, side)
        terms = _terms(expr)
        for i, term in enumerate(terms[:PER_KIND]):
            rest = terms[:i] + terms[i + 1:]
            found.append(("sign", f"{side}: -({term})", _replace_side(step, side, sp.Add(*rest, -term))))
            found.append(("coefficient", f"{side}: (8/7)({term})",
                          _replace_side(step, side, sp.Add(*rest, PERTURBATION * term))))
            if len(terms) > 1:
                found.append(("drop", f"{side}: without {term}", _replace_side(step, side, sp.Add(*rest))))
        if not terms and expr != 0:
            found.append(("coefficient", f"{side}: (8/7)({side})", _replace_side(step, side, PERTURBATION * expr)))
        powers = [p for p in expr.atoms(sp.Pow) if p.exp.is_number and p.exp != -1][:PER_KIND]
        for power in powers:
            bumped = power.base ** (power.exp + 1)
            found.append(("exponent", f"{side}: {power} -> {bumped}",
                          _replace_side(step, side, expr.xreplace({power: bumped}))))
    # Swapping two symbols everywhere only renames the parameters of a universally quantified
    # statement; a swap that changes the mathematics happens on one side, or in one term.
    side = "rhs" if len(step.statement.rhs.free_symbols) >= 2 else "lhs"
    target = getattr(step.statement, side)
    if side == "lhs" and step.statement.rhs.free_symbols == set():
        terms = _terms(target) or [target]
        target = next((t for t in terms if len(t.free_symbols) >= 2), None)
    if target is not None:
        symbols = sorted(target.free_symbols, key=str)
        pairs = [(a, b) for i, a in enumerate(symbols) for b in symbols[i + 1:]][:PER_KIND]
        whole = getattr(step.statement, side)
        for a, b in pairs:
            new = whole.xreplace({target: target.xreplace({a: b, b: a})})
            found.append(("swap", f"{side}: {a} <-> {b} in {target}", _replace_side(step, side, new)))
    if step.uses:
        above = set(_ancestors(derivation, step.label)) | {step.label}
        below = _descendants(derivation, step.label)
        others = [s.label for s in derivation.ordered() if s.label not in above and s.label not in below]
        for premise in step.uses[:1]:
            for other in others[:PER_KIND]:
                uses = tuple(other if u == premise else u for u in step.uses)
                found.append(("premise", f"cites {other} instead of {premise}",
                              dataclasses.replace(step, uses=uses)))
    return [Mutant(step.label, kind, text, mutated) for kind, text, mutated in found
            if mutated.statement not in (sp.true, sp.false)]


def _ancestors(derivation, label):
    import networkx as nx

    return nx.ancestors(derivation.graph, label)


def _descendants(derivation, label):
    import networkx as nx

    return nx.descendants(derivation.graph, label)


def _with_step(derivation, step):
    """A shallow copy of the derivation with ``step`` in place of its namesake."""
    import copy

    clone = copy.copy(derivation)
    clone._steps = dict(derivation._steps)
    clone._steps[step.label] = step
    clone.graph = derivation.graph.copy()
    original = derivation[step.label]
    for premise in original.uses:
        clone.graph.remove_edge(premise, step.label)
    for premise in step.uses:
        clone.graph.add_edge(premise, step.label)
    return clone


def equivalent(derivation, original, mutant):
    """Is the mutated statement the same relation as the original (residual = +- original)?"""
    if mutant.statement == original.statement:
        return True
    if mutant.uses != original.uses:
        return False
    table = derivation.bindings(original.uses)
    a = _bindings.substitute(original.residual, table)
    b = _bindings.substitute(mutant.residual, table)
    for sign in (1, -1):
        if numeric.check(b, sign * a, conditions=original.conditions).status == "verified":
            return True
    return False


def run(derivation, labels=None, log=None):
    """Check every mutant of every exact step (or of ``labels``); returns the list of mutants."""
    results = []
    for step in derivation.ordered():
        if not step.is_exact or (labels and step.label not in labels):
            continue
        for mutant in mutants(derivation, step):
            start = time.perf_counter()
            clone = _with_step(derivation, mutant.step)
            try:
                clone.validate()
            except Exception:
                # A mutant the builder itself refuses (an undeclared symbol) never gets in.
                mutant.outcome, mutant.status = "killed", "refused at build"
            else:
                result = check_step(clone, mutant.step, refute_first=True)
                mutant.status = result.status
                if result.status != "verified":
                    mutant.outcome = "killed"
                elif mutant.kind == "premise" or equivalent(derivation, step, mutant.step):
                    mutant.outcome = "equivalent"
                else:
                    mutant.outcome = "survived"
            mutant.seconds = time.perf_counter() - start
            results.append(mutant)
            if log:
                log(mutant)
    return results


def summary(results):
    """Kill rate over the mutants that change the mathematics, and the survivors."""
    changing = [m for m in results if m.outcome != "equivalent"]
    killed = sum(m.outcome == "killed" for m in changing)
    survivors = [m for m in changing if m.outcome == "survived"]
    rate = killed / len(changing) if changing else 1.0
    return rate, killed, len(changing), survivors
