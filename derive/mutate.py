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
import time
from dataclasses import dataclass

import networkx as nx
import sympy as sp

from . import bindings as _bindings
from .budget import BudgetExceeded, cpu_limit
from .check import numeric
from .check.rules import numeric_limit, numeric_order
from .check.runner import _numeric, check_step

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
        for premise in step.uses[:PER_KIND]:
            if step.kind in ("solve", "differentiate", "transform", "convolution") and premise == step.uses[0]:
                continue  # the rule names this premise: dropping it leaves no step of that kind
            uses = tuple(u for u in step.uses if u != premise)
            found.append(("dropped", f"without premise {premise}", dataclasses.replace(step, uses=uses)))
    found += _relation_mutants(step) + _condition_mutants(step) + _rule_mutants(derivation, step)
    return [Mutant(step.label, kind, text, mutated) for kind, text, mutated in found
            if not isinstance(mutated.statement, sp.logic.boolalg.BooleanAtom)]


#: The negation of each relation, as the operators a mutant states instead.
NEGATIONS = {"==": ("<", ">"), "<": (">=",), "<=": (">",), ">": ("<=",), ">=": ("<",)}


def _relation_mutants(step):
    """The statement's relation replaced by one that contradicts it wherever it holds."""
    if step.kind in ("solve", "limit", "series", "transform", "convolution"):
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


def _rule_mutants(derivation, step):
    """Mutations of what a limit, series or solve step claims beyond its formula."""
    found = []
    lhs, rhs = step.statement.lhs, step.statement.rhs
    if step.kind == "limit" and isinstance(lhs, sp.Limit):
        expr, var, point, direction = lhs.args
        if rhs.is_finite is not False:
            found.append(("limit-value", f"{rhs} -> oo", _replace_side(step, "rhs", sp.oo)))
        if point not in (sp.oo, -sp.oo) and str(direction) in "+-":
            flipped = "-" if str(direction) == "+" else "+"
            moved = sp.Eq(sp.Limit(expr, var, point, flipped), rhs, evaluate=False)
            found.append(("direction", f"from {direction} -> from {flipped}", dataclasses.replace(step, statement=moved)))
            other = _other_side_value(derivation, step, flipped)
            if other is not None:
                found.append(("limit-value", f"{rhs} -> {other} (the value from {flipped})",
                              _replace_side(step, "rhs", other)))
    if step.kind == "series" and rhs.has(sp.Order):
        order = step.rule["order"]
        var, point = step.rule["var"], step.rule["point"]
        more = sp.O(var ** (order + 1), (var, point)) if point not in (sp.oo, -sp.oo) else \
            sp.O(var ** -(order + 1), (var, point))
        claim = rhs.removeO()
        mutated = dataclasses.replace(step, statement=sp.Eq(lhs, claim + more, evaluate=False),
                                      rule={**step.rule, "order": order + 1})
        found.append(("series-order", f"O(.^{order}) -> O(.^{order + 1})", mutated))
        terms = _terms(claim)
        if terms:
            last = max(terms, key=lambda t: _order_key(t, var, point))
            rest = [t for t in terms if t is not last]
            found.append(("high-coefficient", f"(8/7)({last})",
                          _replace_side(step, "rhs", sp.Add(*rest, PERTURBATION * last) + rhs.getO())))
    if step.kind == "solve":
        for root in _other_roots(derivation, step)[:1]:
            found.append(("other-root", f"{rhs} -> {root}", _replace_side(step, "rhs", root)))
    return found


def _order_key(term, var, point):
    """How high a series term's order is, for picking the last one kept."""
    t = sp.Dummy("t", positive=True)
    local = term.subs(var, 1 / t) if point in (sp.oo, -sp.oo) else term.subs(var, point + t)
    try:
        return float(sp.Poly(sp.expand(local), t).monoms()[-1][0]) if local.is_polynomial(t) else \
            float(sp.limit(sp.log(abs(local)) / sp.log(t), t, 0))
    except Exception:
        return 0.0


def _other_side_value(derivation, step, direction):
    """The limit from the other side when sympy finds it and it differs from the claim."""
    expr, var, point, _ = step.statement.lhs.args
    closed = _bindings.substitute(expr, derivation.bindings(step.uses))
    try:
        with cpu_limit(4):
            other = sp.limit(closed, var, point, direction)
    except (BudgetExceeded, Exception):
        return None
    if other.has(sp.Limit, sp.AccumBounds, sp.nan) or other == step.statement.rhs:
        return None
    return other


def _other_roots(derivation, step):
    """Roots of the solved premise other than the stated one."""
    premise = derivation[step.uses[0]]
    name, form = step.rule["name"], step.statement.rhs
    u = sp.Dummy("u")
    try:
        with cpu_limit(4):
            roots = sp.solve(premise.residual.xreplace({name: u}), u)
    except (BudgetExceeded, Exception):
        return []
    others = []
    for root in roots:
        # Unknown functions (M in M' = f(M)) are free values here: compare the expressions.
        opaque = {a: sp.Dummy() for a in (root - form).atoms(sp.core.function.AppliedUndef, sp.Derivative)}
        try:
            same = sp.simplify(root - form) == 0 or numeric.check(
                root.xreplace(opaque), form.xreplace(opaque), conditions=step.conditions).status == "verified"
        except Exception:
            same = False
        if not same:
            others.append(root)
    return others


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
    expr, var, point, direction = limit.args
    difference = _bindings.substitute(mutated.args[0] - expr, table)
    try:
        decided = numeric_limit(difference, sp.Integer(0), var, point, str(direction), step.conditions)
    except Exception:
        return False
    return decided is not None and decided[0] == "verified"


#: Mutant kinds true whenever the original is: verifying them is right, failing them a bug.
TRUE_BY_CONSTRUCTION = ("tightened",)
#: Mutant kinds that contradict a true original: never equivalent.
FALSE_BY_CONSTRUCTION = ("relation", "limit-value", "other-root", "high-coefficient")
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
    if mutant.kind == "limit-value" and mutant.step.statement.rhs is not sp.oo:
        # The other side's value may coincide with this side's under the step's conditions.
        table = derivation.bindings(step.uses)
        try:
            return numeric.check(_bindings.substitute(mutant.step.statement.rhs, table),
                                 _bindings.substitute(step.statement.rhs, table),
                                 conditions=[c for c in step.conditions
                                             if not c.has(step.statement.lhs.args[1])]).status == "verified"
        except Exception:
            return False
    if mutant.kind in FALSE_BY_CONSTRUCTION:
        return False
    if mutant.kind in ("premise", "dropped", "loosened"):
        return _oracle(clone, mutant.step)
    if mutant.kind == "direction":
        closed, value, var, point, direction = _limit_of(clone, mutant.step)
        verdict = numeric_limit(closed, value, var, point, direction, mutant.step.conditions)
        return verdict is not None and verdict[0] == "verified"
    if mutant.kind == "series-order":
        return _series_oracle(clone, mutant.step)
    return equivalent(derivation, step, mutant.step)


def _oracle(derivation, step):
    """The statement holds, with the step's premises as cited, at twice the points."""
    try:
        if step.kind == "limit":
            closed, value, var, point, direction = _limit_of(derivation, step)
            verdict = numeric_limit(closed, value, var, point, direction, step.conditions)
            return verdict is not None and verdict[0] == "verified"
        if step.kind in ("series", "solve", "transform", "convolution"):
            return False
        op = "==" if isinstance(step.statement, sp.Equality) else step.statement.rel_op
        return _numeric(derivation, step, op, points=ORACLE_POINTS).status == "verified"
    except Exception:
        return False


def _limit_of(derivation, step):
    expr, var, point, direction = step.statement.lhs.args
    table = derivation.bindings(step.uses)
    return (_bindings.substitute(expr, table), _bindings.substitute(step.statement.rhs, table),
            var, point, str(direction))


def _series_oracle(derivation, step):
    """One more order is still right: sympy's expansion of the difference to that order, else
    the remainder's convergence at 200 digits."""
    from .check.rules import _series_parts

    try:
        local, t, order = _series_parts(step, derivation)
        verdict = numeric_order(local, t, order, step.conditions)
        return verdict is not None and verdict[0] == "verified"
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
    """Kill rate over the mutants that change the mathematics, and the survivors (mutants
    verified although false, and true mutants failed)."""
    changing = [m for m in results if m.outcome not in ("equivalent", "wrongly failed")]
    killed = sum(m.outcome == "killed" for m in changing)
    survivors = [m for m in results if m.outcome in ("survived", "wrongly failed")]
    rate = killed / len(changing) if changing else 1.0
    return rate, killed, len(changing), survivors
