"""``solve``: the premise equation solved for a name, ``Eq(name, root)``.

The root must be *the* root meant: unique (the premise linear, or strictly monotone, in the
name), or named by the ``branch=`` conditions at every point where the solve is claimed
(:func:`derive.branch.pins_down`).
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .. import bindings as _bindings
from ..binders import substitute
from ..branch import pins_down, select
from ..budget import BudgetExceeded, cpu_limit
from ..check import numeric
from ..check.kernel.real import implies
from ..check.result import Refused
from ..check.symbolic import is_zero
from ..errors import DerivationError
from ..sampling import (admissible_points, condition_holds, sign_condition, statement_seed,
                        substitute_exactly)
from ..step import Step
from . import BUILD_SECONDS, Rule, register, verdict

def solve(self, label, premise, name, *, branch=(), form=None, conditions=(), explanation="",
          ref=""):
    """Solve the premise equation for ``name`` and state ``Eq(name, root)``.

    The roots come from ``sympy.solve``; ``branch`` conditions (see :mod:`derive.branch`)
    pick the one meant.  Give ``form`` to state the root in a form of your choosing (for
    instance with ``sqrt(z - a)*sqrt(z - b)``, whose branch cut is the spectrum); the checker
    then verifies that ``form`` is a root and satisfies the branch conditions.
    """
    source = self[premise]
    if not isinstance(source.statement, sp.Equality):
        raise DerivationError(f"solve needs an equation, and '{premise}' states "
                              f"'{getattr(source.statement, 'rel_op', '?')}': it has no roots to solve for", label)
    if form is None:
        form = _choose_root(self, label, source, name, branch, conditions)
    statement = sp.Eq(name, form)
    return self._add(Step(label, statement, "solve", (premise,), tuple(conditions), explanation,
                          ref, binds=True, rule={"name": name, "branch": tuple(branch)}))


def _choose_root(derivation, label, source, name, branch, conditions):
    try:
        with cpu_limit(BUILD_SECONDS):
            roots = sp.solve(source.residual, name, dict=False)
    except (BudgetExceeded, NotImplementedError) as exc:
        raise DerivationError(f"sympy could not solve for {name} ({exc}); give form=", label)
    if not roots:
        raise DerivationError(f"'{source.label}' has no root in {name}", label)
    if len(roots) == 1 and not branch:
        return roots[0]
    if not branch:
        raise DerivationError(f"{len(roots)} roots for {name}; give branch= conditions or form=",
                              label)
    chosen, _ = select(name, roots, branch, conditions)
    if len(chosen) != 1:
        raise DerivationError(
            f"the branch conditions leave {len(chosen)} of {len(roots)} roots for {name}; "
            "give form= with the branch written out", label)
    return chosen[0]


def check_solve(step, derivation):
    """The stated form is a root of the premise, and the only one, or the one the branch
    conditions single out.

    Uniqueness is established from the premise's numerator as a polynomial in the name: of
    degree 1 (after removing repeated factors) the root is unique; of higher degree the branch
    conditions must hold for the stated root and, at every point where the solve is claimed,
    those that apply there must admit exactly one root, the stated one
    (:func:`derive.branch.pins_down`).
    """
    premise = derivation[step.uses[0]]
    name, form = step.rule["name"], step.statement.rhs
    if not isinstance(premise.statement, sp.Equality):
        raise Refused("solve: no equation", f"'{premise.label}' is not an equation: it has no roots")
    if step.statement.lhs != name:
        raise Refused("solve: statement", f"the statement must read {name} = root")
    if not premise.residual.has(name):
        # A root of an equation that does not mention the name would be vacuous.
        raise Refused("solve: no equation", f"'{premise.label}' does not involve {name}")
    # The bindings first (but not the solved name's own definition), then the root: a bound name
    # may itself contain the solved one (w := y^2 in w + y = 3).
    def key(n):
        return n.func if isinstance(n, AppliedUndef) else n.expr.func if isinstance(n, sp.Derivative) else n

    table = [(n, v) for n, v in derivation.bindings(step.uses) if key(n) != key(name)]
    closed = substitute(_bindings.substitute(premise.residual, table), {name: _bindings.substitute(form, table)})
    how = is_zero(closed)
    if how:
        root = f"root by {how}"
    else:
        outcome = numeric.check(closed, 0, conditions=step.conditions)
        if outcome.status == "failed":
            return outcome.status, "solve: root check", f"is {name} = form a root? {outcome.evidence}", \
                outcome.details
        if outcome.status != "verified":
            raise Refused("solve: root check", f"is {name} = form a root? {outcome.evidence}")
        root = "root numerically"
    u = sp.Dummy("u")
    polynomial = _polynomial_in(_bindings.substitute(premise.residual, table).xreplace({name: u}), u)
    degree = polynomial.degree() if polynomial is not None else None
    branch = step.rule.get("branch", ())
    slope = sp.diff(_bindings.substitute(premise.residual, table), name) if isinstance(name, sp.Symbol) else None
    if degree == 1:
        # The leading coefficient before common factors are divided out: where it vanishes the
        # premise is no longer linear in the name (0 = 0, or no root at all).
        leading = sp.Poly(sp.together(_bindings.substitute(premise.residual, table).xreplace({name: u}))
                          .as_numer_denom()[0], u).LC()
        vanishing = _coefficient_vanishes(leading, step.conditions, statement_seed(step.statement))
        if vanishing:
            raise Refused("solve: which root?", f"the premise is linear in {name}, but its leading coefficient "
                          f"{leading} vanishes {vanishing}, where every {name} solves it (or none): "
                          "add a condition that excludes it")
        unique = "the premise is linear in the name (no zero of its leading coefficient found where the solve " \
                 "is claimed): the root is unique"
    elif slope is not None and name.is_real and (slope.is_positive or slope.is_negative):
        unique = f"the premise is strictly monotone in the real {name} (its derivative {slope} has one sign)"
        polynomial, degree = None, 1
    elif not branch:
        count = f"{degree} roots" if degree else "roots that cannot be counted (not polynomial in it)"
        raise Refused("solve: which root?", f"'{premise.label}' has {count} in {name}; give branch= "
                      "conditions that single out the one meant")
    elif polynomial is None:
        raise Refused("solve: which root?", f"'{premise.label}' is not polynomial in {name}, so the branch "
                      "conditions cannot be shown to single out one root")
    else:
        unique = None
    if branch:
        rng_seed = statement_seed(step.statement) % 2**32
        chosen, evidence = select(name, [_bindings.substitute(form, table)], branch, step.conditions,
                                  seed=rng_seed)
        if not chosen:
            return "failed", f"solve: {root}, branch fails", "; ".join(evidence) or "branch conditions fail", {}
        if unique is None:
            verdict, unique = pins_down(name, polynomial, _bindings.substitute(form, table), branch,
                                        step.conditions, rng_seed)
            if verdict == "other root":
                return "failed", f"solve: {root}, another root", unique, {}
            if verdict != "pinned":
                raise Refused("solve: which root?", unique)
        return ("verified", f"solve: {root} + branch", "; ".join(evidence) + f"; {unique}",
                {"branch": [str(b) for b in branch]})
    return "verified", f"solve: {root}, unique", f"{form} solves '{premise.label}'; {unique}", {}


def _coefficient_vanishes(coefficient, conditions, seed):
    """Where ``coefficient`` (of a premise linear in the solved name) is 0 inside the domain the
    solve is claimed on, as a phrase ("identically", "at x = 1"), or '' when it is not.

    The zeros are sympy's roots in each of its symbols, tried at admissible values of the
    others against the conditions and the symbols' assumed signs; a coefficient whose zeros
    sympy cannot find is taken to vanish somewhere (nothing shows it does not)."""
    if is_zero(coefficient):
        return "identically"
    if coefficient.atoms(AppliedUndef):
        # Its zeros depend on an unknown function's values, which only the premises fix: they are
        # not sought here (a zero found by sampling would still show up as a failed root check).
        return ""
    symbols = sorted(coefficient.free_symbols, key=str)
    if not symbols:
        return ""
    # Over real symbols, "the conditions exclude every zero of the coefficient" is a sentence of
    # real algebra, decided exactly (the kernel's real-algebraic procedure, Z3's nlsat).
    decided = implies(list(conditions), sp.Ne(coefficient, 0))
    if decided is True:
        return ""
    if decided is False:
        return f"where the conditions allow {coefficient} = 0 (a real-algebraic decision)"
    rng = np.random.default_rng(seed % 2**32)
    for symbol in symbols:
        try:
            with cpu_limit(BUILD_SECONDS):
                zeros = sp.solve(coefficient, symbol)
        except (BudgetExceeded, NotImplementedError, ValueError, TypeError):
            return f"perhaps (sympy cannot find its zeros in {symbol}, so none is excluded)"
        others = set(symbols) - {symbol}
        for zero in zeros:
            for point in admissible_points(others, [c for c in conditions if not c.has(symbol)], 6, rng) or [{}]:
                try:
                    at = {**point, symbol: substitute_exactly(zero, point)}
                except ValueError:  # a huge integer parameter the zero cannot take exactly
                    continue
                if not at[symbol].is_number or at[symbol].is_real is False and symbol.is_real:
                    continue
                sign = sign_condition(symbol, at[symbol])
                if sign is not None and sign is sp.false:
                    continue
                try:
                    if all(_holds_exactly(c, at) for c in conditions):
                        return f"at {symbol} = {zero}"
                except (TypeError, ValueError):
                    return f"perhaps at {symbol} = {zero}"
    return ""


def _holds_exactly(condition, point):
    """``condition`` at the exact ``point``: decided by exact arithmetic when the values are exact
    (the zero ``w = -1/q`` of a coefficient makes ``q w + 1 > 0`` read ``0 > 0``, false, where 80
    digits left a rounding error of either sign and the zero was taken to lie in the domain), by
    :func:`condition_holds` otherwise."""
    try:
        decided = substitute_exactly(condition, point)
        decided = sp.simplify(decided) if decided not in (sp.true, sp.false) else decided
    except (TypeError, ValueError, AttributeError):
        decided = None
    if decided is sp.true or decided is sp.false:
        return bool(decided)
    return condition_holds(condition, point)


def _polynomial_in(residual, u):
    """The numerator of ``residual`` as a square-free polynomial in ``u``, or None."""
    numerator = sp.together(residual).as_numer_denom()[0]
    try:
        poly = sp.Poly(numerator, u)
    except sp.PolynomialError:
        return None
    if poly.degree() < 1 or any(c.has(u) for c in poly.all_coeffs()):
        return None
    try:
        return sp.Poly(sp.sqf_part(poly.as_expr(), u), u)
    except (sp.PolynomialError, NotImplementedError):
        return poly


def _other_roots(derivation, step):
    """Roots of the solved premise other than the stated one."""
    premise = derivation[step.uses[0]]
    name, form = step.rule["name"], step.statement.rhs
    if not isinstance(premise.statement, sp.Equality):
        raise Refused("solve: no equation", f"'{premise.label}' is not an equation: it has no roots")
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


@register
class Solve(Rule):
    kind = "solve"
    title = "Solving"
    verb = solve
    final = True
    operand = True

    def check(self, step, derivation):
        return verdict(check_solve(step, derivation))

    def justification(self, step, printer):
        if step.rule.get("branch"):
            return ["Branch: " + "; ".join(b.latex_text(printer) for b in step.rule["branch"]) + "."]
        return []

    def mutants(self, derivation, step):
        return [("other-root", f"{step.statement.rhs} -> {root}", step.with_side("rhs", root))
                for root in _other_roots(derivation, step)[:1]]

    def mutant_is_true(self, derivation, clone, step, mutant):
        return False if mutant.kind == "other-root" else None
