"""Mutation testing of the checker: does it refuse steps that are subtly wrong?

For every exact step, :func:`mutants` makes small wrong versions of it:

* ``sign``: flip the sign of one term;
* ``coefficient``: multiply one term by 8/7;
* ``swap``: exchange two symbols;
* ``drop``: remove one term;
* ``exponent``: raise one power's exponent by 1;
* ``premise``: cite a different step (one that is not already above it) instead of a premise;
* ``dropped``: cite one premise fewer;
* ``relation``: state the negation of the relation (``=`` becomes ``<`` or ``>``, ``<=`` becomes
  ``>``, ...);
* ``loosened`` / ``tightened``: drop a side condition, or move its bound inwards by 1;
* ``limit-value``: claim ``oo``, or the value from the other side; ``direction``: approach
  from the other side;
* ``series-order``: claim one more order; ``high-coefficient``: change the last term kept;
* ``other-root``: state another root of a solved equation.

Each mutant replaces its step in the derivation and is checked by the same pipeline as
``derive check`` (:func:`derive.check.check_step`).  It is **killed** when the checker does not
verify it, and **survives** when it does, unless it is **equivalent**: its statement is the
same relation as the original (its residual equals plus or minus the original's, numerically),
or an oracle independent of the checker's verdict shows it true (a tightened condition keeps a
true statement true; a re-cited or dropped premise, a loosened condition, the other direction or
one more order are tried at twice the points).  A mutant that is true and yet *failed*
is a checker bug too: it is reported as **wrongly failed**.  The target is that no mutant
survives and none is wrongly failed.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass

import networkx as nx
import sympy as sp

from . import bindings as _bindings
from .binders import substitute
from .budget import BudgetExceeded, cpu_limit
from .check import numeric
from .check.runner import Premises, _numeric, check_step
from .rules import PERTURBATION, rule_for
from .rules.limit import numeric_limit

#: At most this many mutants of each kind per step (the first terms, powers, symbol pairs).
PER_KIND = 2


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


def mutants(derivation, step):
    """The mutants of one exact step (see the module docstring)."""
    found = []
    for side in ("lhs", "rhs"):
        expr = getattr(step.statement, side)
        terms = _terms(expr)
        for i, term in enumerate(terms[:PER_KIND]):
            rest = terms[:i] + terms[i + 1:]
            found.append(("sign", f"{side}: -({term})", step.with_side(side, sp.Add(*rest, -term))))
            found.append(("coefficient", f"{side}: (8/7)({term})",
                          step.with_side(side, sp.Add(*rest, PERTURBATION * term))))
            if len(terms) > 1:
                found.append(("drop", f"{side}: without {term}", step.with_side(side, sp.Add(*rest))))
        if not terms and expr != 0:
            found.append(("coefficient", f"{side}: (8/7)({side})", step.with_side(side, PERTURBATION * expr)))
        claim = expr.removeO() if expr.has(sp.Order) else expr
        powers = sorted((p for p in claim.atoms(sp.Pow) if p.exp.is_number and p.exp != -1),
                        key=sp.default_sort_key)[:PER_KIND]
        for power in powers:
            bumped = power.base ** (power.exp + 1)
            found.append(("exponent", f"{side}: {power} -> {bumped}",
                          step.with_side(side, expr.xreplace({power: bumped}))))
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
            new = whole.xreplace({target: substitute(target, {a: b, b: a})})
            found.append(("swap", f"{side}: {a} <-> {b} in {target}", step.with_side(side, new)))
    if step.uses:
        above = nx.ancestors(derivation.graph, step.label) | {step.label}
        below = nx.descendants(derivation.graph, step.label)
        others = [s.label for s in derivation.ordered() if s.label not in above and s.label not in below]
        for premise in step.uses[:1]:
            for other in others[:PER_KIND]:
                uses = tuple(other if u == premise else u for u in step.uses)
                found.append(("premise", f"cites {other} instead of {premise}",
                              dataclasses.replace(step, uses=uses)))
        for premise in step.uses[:PER_KIND]:
            if rule_for(step.kind).operand and premise == step.uses[0]:
                continue  # the rule names this premise: dropping it leaves no step of that kind
            uses = tuple(u for u in step.uses if u != premise)
            found.append(("dropped", f"without premise {premise}", dataclasses.replace(step, uses=uses)))
    found += _relation_mutants(step) + _condition_mutants(step) + rule_for(step.kind).mutants(derivation, step)
    return [Mutant(step.label, kind, text, mutated) for kind, text, mutated in found
            if not isinstance(mutated.statement, sp.logic.boolalg.BooleanAtom)]


#: The negation of each relation, as the operators a mutant states instead.
NEGATIONS = {"==": ("<", ">"), "<": (">=",), "<=": (">",), ">": ("<=",), ">=": ("<",)}


def _relation_mutants(step):
    """The statement's relation replaced by one that contradicts it wherever it holds (not for a
    rule whose statement has its own form, a root, a limit, a series)."""
    if rule_for(step.kind).final:
        return []
    op = "==" if isinstance(step.statement, sp.Equality) else step.statement.rel_op
    lhs, rhs = step.statement.lhs, step.statement.rhs
    return [("relation", f"{op} -> {new}", dataclasses.replace(step, statement=sp.Rel(lhs, rhs, new, evaluate=False)))
            for new in NEGATIONS.get(op, ())]


def _condition_mutants(step):
    """Each side condition dropped (loosened), or its bound moved inwards by 1 (tightened)."""
    found = []
    for i, condition in enumerate(step.conditions[:PER_KIND]):
        rest = step.conditions[:i] + step.conditions[i + 1:]
        found.append(("loosened", f"without {condition}", dataclasses.replace(step, conditions=rest)))
        if isinstance(condition, (sp.StrictLessThan, sp.LessThan)):
            tighter = condition.func(condition.lhs, condition.rhs - 1)
        elif isinstance(condition, (sp.StrictGreaterThan, sp.GreaterThan)):
            tighter = condition.func(condition.lhs, condition.rhs + 1)
        else:
            continue
        conditions = step.conditions[:i] + (tighter,) + step.conditions[i + 1:]
        found.append(("tightened", f"{condition} -> {tighter}", dataclasses.replace(step, conditions=conditions)))
    return found


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

    def same(a, b, signs=(1,), closed=False):
        if not closed:
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
            # The two expressions under the limit, with the bindings put in around the limit's
            # variable (bound there: a binding's value may not be captured by it).
            _, (body, new_body) = _bindings.substitute_bound(lhs.args[1:2], (lhs.args[0], new_lhs.args[0]), table)
            if not (same(body, new_body, closed=True) or _same_limit(lhs, new_lhs, table, original)):
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
    expr, var, point, direction = limit.args
    (var,), (difference,) = _bindings.substitute_bound((var,), (mutated.args[0] - expr,), table)
    try:
        decided = numeric_limit(difference, sp.Integer(0), var, point, str(direction), step.conditions)
    except Exception:
        return False
    return decided is not None and decided[0] == "verified"


#: Mutant kinds true whenever the original is: verifying them is right, failing them a bug.
TRUE_BY_CONSTRUCTION = ("tightened",)
#: Mutant kinds that contradict a true original: never equivalent.
FALSE_BY_CONSTRUCTION = ("relation",)
#: Methods that prove rather than sample.
PROOFS = ("symbolic", "elimination", "spectral linearity", "differentiation")
#: CPU seconds the oracle may take on one mutant.
ORACLE_SECONDS = 60.0
#: How many times the checker's points the oracle tries.
ORACLE_POINTS = 2 * numeric.POINTS


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
    if mutant.kind in ("premise", "dropped") and result.status == "verified" and result.method.startswith(PROOFS):
        # The statement is the original's; a proof from the premises left is its own certificate
        # that they suffice (the numeric oracle cannot evaluate a spectral mean).
        return "equivalent", result.status, time.perf_counter() - start
    try:
        with cpu_limit(ORACLE_SECONDS):
            true = _true(derivation, clone, step, mutant)
    except BudgetExceeded:
        true = False  # undecided: a verified mutant then counts against the checker
    if result.status == "failed" and true:
        outcome = "wrongly failed"
    elif result.status != "verified":
        outcome = "killed"
    elif true:
        outcome = "equivalent"
    else:
        outcome = "survived"
    return outcome, result.status, time.perf_counter() - start


def _true(derivation, clone, step, mutant):
    """Whether the mutant states something true, decided apart from the checker's verdict."""
    if mutant.kind in TRUE_BY_CONSTRUCTION:
        return True
    owned = rule_for(step.kind).mutant_is_true(derivation, clone, step, mutant)
    if owned is not None:
        return owned
    if mutant.kind in FALSE_BY_CONSTRUCTION:
        return False
    if mutant.kind in ("premise", "dropped", "loosened"):
        return _oracle(clone, mutant.step)
    return equivalent(derivation, step, mutant.step)


def _oracle(derivation, step):
    """The statement holds, with the step's premises as cited: by the rule's own oracle, else at
    twice the checker's points."""
    try:
        decided = rule_for(step.kind).holds(derivation, step)
        if decided is not None:
            return decided
        op = "==" if isinstance(step.statement, sp.Equality) else step.statement.rel_op
        return _numeric(Premises(derivation, step), op, points=ORACLE_POINTS).status == "verified"
    except Exception:
        return False


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
            # The workers ignore SIGINT: a Ctrl-C (sent to the whole process group) interrupts
            # this process alone, whose leaving the block terminates them, without tracebacks.
            with multiprocessing.get_context("fork").Pool(workers, initializer=signal.signal,
                                                          initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
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
    """Kill rate over the mutants that change the mathematics, and the survivors (mutants
    verified although false, and true mutants failed)."""
    changing = [m for m in results if m.outcome not in ("equivalent", "wrongly failed")]
    killed = sum(m.outcome == "killed" for m in changing)
    survivors = [m for m in results if m.outcome in ("survived", "wrongly failed")]
    rate = killed / len(changing) if changing else 1.0
    return rate, killed, len(changing), survivors
