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
import multiprocessing
import os
import time
from dataclasses import dataclass

import networkx as nx
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
    """The terms of a sum, without an O(...) remainder: loosening a remainder leaves a true
    statement, so it is no test of the checker."""
    if not isinstance(expr, sp.Add):
        return []
    return [t for t in sp.Add.make_args(expr) if not isinstance(t, sp.Order)]


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
        claim = expr.removeO() if expr.has(sp.Order) else expr
        powers = sorted((p for p in claim.atoms(sp.Pow) if p.exp.is_number and p.exp != -1),
                        key=sp.default_sort_key)[:PER_KIND]
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
        above = nx.ancestors(derivation.graph, step.label) | {step.label}
        below = nx.descendants(derivation.graph, step.label)
        others = [s.label for s in derivation.ordered() if s.label not in above and s.label not in below]
        for premise in step.uses[:1]:
            for other in others[:PER_KIND]:
                uses = tuple(other if u == premise else u for u in step.uses)
                found.append(("premise", f"cites {other} instead of {premise}",
                              dataclasses.replace(step, uses=uses)))
    return [Mutant(step.label, kind, text, mutated) for kind, text, mutated in found
            if mutated.statement not in (sp.true, sp.false)]


def equivalent(derivation, original, mutant):
    """Is the mutated statement the same relation as the original (residual = +- original)?

    For a limit or series the claim is its value: the mutant is equivalent when the value is the
    same and the expression under the limit is the same or differs from the original only by
    terms that vanish at the limit point (so its limit is the original's).
    """
    if mutant.statement == original.statement:
        return True
    if mutant.uses != original.uses:
        return False
    table = derivation.bindings(original.uses)

    def same(a, b, signs=(1,)):
        a, b = _bindings.substitute(a, table), _bindings.substitute(b, table)
        try:
            return any(numeric.check(b, s * a, conditions=original.conditions).status == "verified"
                       for s in signs)
        except Exception:
            return False

    lhs, new_lhs = original.statement.lhs, mutant.statement.lhs
    if isinstance(lhs, sp.Limit) or original.kind == "series":
        if isinstance(lhs, sp.Limit) and isinstance(new_lhs, sp.Limit):
            if lhs.args[1:] != new_lhs.args[1:]:
                return False
            if not (same(lhs.args[0], new_lhs.args[0]) or _same_limit(lhs, new_lhs, table, original)):
                return False
        elif lhs != new_lhs:
            return False
        rhs, new_rhs = original.statement.rhs, mutant.statement.rhs
        if original.kind == "series":
            rhs, new_rhs = rhs.removeO(), new_rhs.removeO() if hasattr(new_rhs, "removeO") else new_rhs
        return rhs == new_rhs or same(rhs, new_rhs)
    return same(original.residual, mutant.residual, signs=(1, -1))


def _same_limit(limit, mutated, table, step):
    """Does the mutation change only terms that vanish at the limit point?  Decided on its own,
    not by the step's value: (mutated - original expression) must tend to 0 there."""
    from .check.rules import _numeric_limit

    expr, var, point = limit.args[0], limit.args[1], limit.args[2]
    difference = _bindings.substitute(mutated.args[0] - expr, table)
    try:
        decided = _numeric_limit(difference, sp.Integer(0), var, point, step.conditions)
    except Exception:
        return False
    return decided is not None and decided[0] == "verified"


def _evaluate(derivation, step, mutant):
    """Check one mutant in place of ``step``; returns (outcome, status, seconds)."""
    start = time.perf_counter()
    clone = derivation.replaced(mutant.step)
    try:
        clone.validate()
    except Exception:
        # A mutant the builder itself refuses (an undeclared symbol) never gets in.
        return "killed", "refused at build", time.perf_counter() - start
    result = check_step(clone, mutant.step)
    if result.status != "verified":
        outcome = "killed"
    elif mutant.kind == "premise" or equivalent(derivation, step, mutant.step):
        outcome = "equivalent"
    else:
        outcome = "survived"
    return outcome, result.status, time.perf_counter() - start


#: The work of a forked pool: set before the fork, read by the workers.
_JOBS = None


def _evaluate_job(index):
    derivation, step, mutant = _JOBS[index]
    return index, _evaluate(derivation, step, mutant)


def run(derivation, labels=None, log=None, workers=None):
    """Check every mutant of every exact step (or of ``labels``); returns the list of mutants.

    Mutants are independent, so they are checked in ``workers`` forked processes (default: one
    per core) where the platform can fork.
    """
    global _JOBS
    jobs = [(derivation, step, mutant) for step in derivation.ordered()
            if step.is_exact and not (labels and step.label not in labels)
            for mutant in mutants(derivation, step)]
    workers = workers or os.cpu_count() or 1
    results = [None] * len(jobs)
    if workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        _JOBS = jobs
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for index, outcome in pool.imap_unordered(_evaluate_job, range(len(jobs))):
                    results[index] = outcome
        finally:
            _JOBS = None
    else:
        results = [_evaluate(*job) for job in jobs]
    mutants_checked = []
    for (_, _, mutant), (outcome, status, seconds) in zip(jobs, results):
        mutant.outcome, mutant.status, mutant.seconds = outcome, status, seconds
        mutants_checked.append(mutant)
        if log:
            log(mutant)
    return mutants_checked


def summary(results):
    """Kill rate over the mutants that change the mathematics, and the survivors."""
    changing = [m for m in results if m.outcome != "equivalent"]
    killed = sum(m.outcome == "killed" for m in changing)
    survivors = [m for m in changing if m.outcome == "survived"]
    rate = killed / len(changing) if changing else 1.0
    return rate, killed, len(changing), survivors
