"""Refuting a step between spectral means by finite spectra, certified.

A law known only by its name (``SpectralMean(f, r, "C")``) is any probability law, on the set
its variable's assumptions allow (``r`` positive: a law on ``(0, oo)``), that the premises leave
possible.  A statement between its means that the premises do not constrain claims an identity
for *every* such law, so in particular for every finite spectrum

    mu = sum_j w_j delta_{a_j},   w_j > 0,  sum_j w_j = 1,   <f> = sum_j w_j f(a_j).

Each law of the statement is specialised to a few random finite spectra (:data:`ATOMS` exact
rational atoms of the allowed sign, exact rational weights), every mean becomes its weighted
sum, and the kernel's certified evidence (:func:`derive.check.kernel.evidence.check`: Arb balls
at admissible points of the parameters) looks for a point where ``lhs - rhs`` excludes 0.  Such a
point and spectrum are a **certified counterexample**: the step is **failed**
(``<r^2> = <r>^2`` fails at ``mu = (delta_1 + delta_3)/2``).  An order relation fails where the
ball of ``lhs - rhs`` lies certainly on the wrong side.

Finitely many spectra prove nothing for all laws, so this only ever *refutes*; verification
stays with the proofs (spectral linearity, exact algebra, elimination).

**Premises that constrain the law.**  The spectrum must satisfy everything the step rests on,
or the counterexample is none:

* a definition that *names* a mean (``M(x) := <1/(r + x)>``, ``s := <r>``) is substituted
  before, consistently, and constrains nothing;
* a binding *of* a mean (``<r> = 1``, cited or above), a cited relation between means, or a
  name bound twice (its definition and its closed form) is a constraint.  One that is linear in
  the law with numbers for values, ``<g(r)> = c`` with ``g`` free of the parameters (a moment,
  ``<r> = 1``, ``<r^2> - <r> = 2``), is honoured exactly: the weights of ``k + 1`` atoms are
  solved from the ``k`` constraints and ``sum w = 1`` (exact rationals), and a spectrum whose
  weights come out non-positive is drawn again;
* any other constraint (a mean equal to an unknown function, a relation nonlinear in the law or
  in the parameters, a named law tied to the uniform one) cannot be honoured: no refutation,
  and the step stays unverified with that reason; a premise about means over ``U(0, 1)`` alone
  constrains no named law (its value is that premise's own claim, checked in its step);
* conditions (side conditions, order premises, a bound name's sign) are specialised with the
  rest and honoured by the admissible points.

A :class:`~derive.rmt.spectral.UniformMean` has a law already (``U(0, 1)``): it is replaced by its
integral, which the balls enclose.  A mean of any other subclass is left alone (no refutation).
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .. import bindings as _bindings
from ..budget import BudgetExceeded, cpu_limit
from ..check.kernel import evidence
from ..check.kernel.balls import NoEnclosure, enclose, precision
from ..notation import Opaque
from ..sampling import admissible_points, constant_scale, statement_seed
from .spectral import SpectralMean, _split

#: Random finite spectra tried per step, atoms per spectrum beyond those the constraints take,
#: and spectra drawn to honour the constraints before giving up.
SPECTRA = 3
ATOMS = 4
DRAWS = 60
#: Points per spectrum (the kernel's screen) and the precision of an order relation's balls.
POINTS = evidence.SCREEN_POINTS
ORDER_PREC = 256
#: CPU seconds the whole search may take: it must not eat the budget of the step's proof.
SECONDS = 15.0


class Abstain(Exception):
    """No refutation is sound here; the message says why."""


def refute(context, op):
    """``("failed", evidence, details)`` for a certified counterexample over finite spectra,
    ``("unverified", note, {})`` when none was found or none may be sought, ``None`` when the
    statement has no spectral mean.  ``context`` is the runner's
    :class:`~derive.check.runner.Premises`."""
    lhs, rhs, relations, conditions, implicit = context.numeric_problem
    difference = lhs - rhs
    if not difference.has(SpectralMean):
        return None
    try:
        with cpu_limit(SECONDS):
            problem = _Problem(context, lhs, rhs, relations, conditions, implicit)
            return problem.search(op)
    except Abstain as why:
        return "unverified", f"no refutation by finite spectra: {why}", {}
    except BudgetExceeded:
        return "unverified", f"no refutation by finite spectra within {SECONDS:g} CPU seconds", {}
    except Exception as exc:  # sympy or the bindings failing here must not cost the step its proof
        return "unverified", f"no refutation by finite spectra ({type(exc).__name__})", {}


class _Problem:
    """The statement, its conditions and the constraints on each law, ready to specialise."""

    def __init__(self, context, lhs, rhs, relations, conditions, implicit):
        self.lhs, self.rhs = _uniform_to_integrals(lhs), _uniform_to_integrals(rhs)
        self.conditions = [_uniform_to_integrals(c) for c in conditions]
        difference = self.lhs - self.rhs
        _refuse_unknowns([difference, *self.conditions])
        if set().union(difference.free_symbols, *(c.free_symbols for c in self.conditions)) & set(implicit):
            raise Abstain("a name in it is known only through a relation")
        self.constraints = _constraints(context, relations, difference)
        self.laws = {}  # law -> set of integration variables used with it
        for expr in [difference, *self.conditions]:
            for mean in expr.atoms(SpectralMean):
                self.laws.setdefault(mean.law, set()).add(mean.variable)
        for law, (variables, _) in self.constraints.items():
            self.laws.setdefault(law, set()).update(variables)
        self.seed = statement_seed(lhs, rhs, *relations, *conditions) % 2**32

    def search(self, op):
        rng = np.random.default_rng(self.seed)
        tried = 0
        for _ in range(SPECTRA):
            spectra = {law: _spectrum(law, variables, self.constraints.get(law, (set(), []))[1], rng)
                       for law, variables in self.laws.items()}
            tried += 1
            specialise = _specialiser(spectra)
            lhs, rhs = specialise(self.lhs), specialise(self.rhs)
            conditions = [specialise(c) for c in self.conditions]
            found = _decide(lhs, rhs, conditions, op, rng)
            if found is not None:
                shown = "; ".join(f"{law} = {_show(spectrum)}" for law, spectrum in spectra.items())
                return "failed", f"{found[0]}, over the finite spectrum {shown}", {**found[1], "spectrum": shown}
        laws = ", ".join(sorted(map(str, self.laws)))
        return "unverified", (f"no certified counterexample at {tried} random finite spectra of {laws} "
                              f"({POINTS} points each); finite spectra can refute a statement between "
                              "means, never verify it"), {}


def _uniform_to_integrals(expr):
    """Means over a law that is already known (``UniformMean``: ``U(0, 1)``) by their integral;
    a mean of another subclass of unknown meaning makes the question none of ours."""
    expr = sp.sympify(expr)
    means = expr.atoms(SpectralMean)
    known = {m: m.numeric_integral() for m in means if hasattr(m, "numeric_integral")}
    if any(type(m) is not SpectralMean and m not in known for m in means):
        raise Abstain("a mean of a kind that is not a named law")
    return expr.xreplace(known) if known else expr


def _refuse_unknowns(exprs):
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, (AppliedUndef, sp.Derivative, sp.Subs)):
                raise Abstain(f"{node} is unknown")
            if isinstance(node, Opaque) and not isinstance(node, SpectralMean):
                raise Abstain(f"{node} has no value")
            if isinstance(node, SpectralMean) and node.integrand.has(SpectralMean):
                raise Abstain("a mean inside a mean")


def _constraints(context, relations, difference):
    """``{law: (variables, [(g, c), ...])}``: the premises as ``<g(r)> = c`` per law (module
    docstring), or :class:`Abstain`."""
    table = context.everything
    kept = [(n, v) for n, v in table if not isinstance(n, SpectralMean)]
    expressions = []
    for name, value in table:
        residual = _bindings.applied_derivatives(_bindings.substitute(name - value, kept))
        if residual.has(SpectralMean):
            expressions.append(residual)
    for relation in relations:
        if relation.has(SpectralMean):
            expressions.append(relation)
        elif relation.free_symbols & difference.free_symbols:
            raise Abstain(f"a cited relation, {relation} = 0, constrains its parameters")
    found = {}
    for expr in expressions:
        law, variable, g, c = _moment(expr)
        if law is None:
            continue
        variables, moments = found.setdefault(law, (set(), []))
        variables.add(variable)
        moments.append((g, c))
    return found


def _moment(expr):
    """``(law, variable, g, c)`` for a constraint ``<g(r)> = c`` with a number ``c``, ``(None,) * 4``
    for one that holds for every law, else :class:`Abstain`."""
    means = expr.atoms(SpectralMean)
    if all(type(m) is not SpectralMean for m in means):
        # Only means over known laws (U(0, 1)), which are not specialised: a value the premise
        # gives one is its own step's claim, and the statement has it substituted already.
        return None, None, None, None
    if any(type(m) is not SpectralMean for m in means):
        raise Abstain(f"a premise, {expr} = 0, ties a named law to a known one")
    split = _split(expr)
    if split is None:
        raise Abstain(f"a premise, {expr} = 0, is not linear in the law")
    parts, constant, common = split
    parts = {law: sp.cancel(g) for law, g in parts.items()}
    parts = {law: g for law, g in parts.items() if g != 0}
    if not parts:
        if sp.cancel(constant) == 0:
            return None, None, None, None
        raise Abstain(f"a premise, {expr} = 0, constrains the parameters")
    if len(parts) != 1:
        raise Abstain(f"a premise, {expr} = 0, ties two laws")
    (law, g), = parts.items()
    variable = common[law]
    if g.free_symbols - {variable} or not constant.is_number:
        raise Abstain(f"a premise, {expr} = 0, constrains the law through the parameters or unknowns")
    # The variable of the merged integrand is a real Dummy; the law's own variables carry the
    # support, taken from every mean of the law in the premise.
    variables = {m.variable for m in expr.atoms(SpectralMean) if m.law == law}
    r = next(iter(sorted(variables, key=str)))
    return law, r, g.xreplace({variable: r}), -constant


def _spectrum(law, variables, moments, rng):
    """``[(atom, weight), ...]``: a finite spectrum allowed by every variable's assumptions that
    satisfies ``<g> = c`` for every moment, exactly; or :class:`Abstain`."""
    variables = sorted(variables, key=str)
    r = variables[0] if variables else sp.Symbol("r", real=True)
    moments = [(g.xreplace({v: r for v in variables}), c) for g, c in moments]
    for _ in range(DRAWS):
        atoms = _atoms(variables, len(moments) + ATOMS, rng)
        if atoms is None:
            continue
        weights = _weights([[g.xreplace({r: a}) for a in atoms] for g, _ in moments],
                           [c for _, c in moments], rng)
        if weights is not None:
            return list(zip(atoms, weights))
    raise Abstain(f"no finite spectrum of {law} found that satisfies what the premises say of it")


def _atoms(variables, count, rng):
    """``count`` distinct exact rationals that every variable's assumptions allow, or None."""
    integer = any(v.is_integer for v in variables)
    signed = not any(v.is_nonnegative or v.is_positive for v in variables)
    atoms = set()
    for _ in range(8 * count):
        # Magnitudes from 1/12 to 24, so that a moment such as <r> = 1 has atoms on both sides.
        numerator = int(rng.integers(1, 25))
        value = sp.Integer(numerator) if integer else sp.Rational(numerator, int(rng.integers(1, 13)))
        if signed and rng.random() < 0.5:
            value = -value
        if all(_allowed(v, value) for v in variables):
            atoms.add(value)
        if len(atoms) == count:
            # In random order: the last k + 1 get the solved weights, and must not all be large.
            return [sorted(atoms)[i] for i in rng.permutation(count)]
    return None


def _allowed(variable, value):
    """Whether ``value`` is a value ``variable`` may take: every assumption it carries holds."""
    for key, wanted in variable.assumptions0.items():
        if getattr(value, f"is_{key}", None) is not wanted:
            return False
    return True


def _weights(values, targets, rng):
    """Positive exact weights with ``sum w = 1`` and ``sum_j w_j values[i][j] = targets[i]``: the
    first atoms get random weights, the last ``k + 1`` are solved for; None if not positive."""
    count = len(values[0]) if values else ATOMS
    if any(not v.is_Rational for row in values for v in row) or any(not sp.sympify(t).is_Rational for t in targets):
        if values:
            raise Abstain("a constraint's values at rational atoms are not rational")
    free = count - len(values) - 1
    chosen = [sp.Rational(int(rng.integers(1, 10)), 10 * count) for _ in range(free)]
    if not values:
        raw = [sp.Integer(int(rng.integers(1, 10))) for _ in range(count)]
        return [w / sum(raw) for w in raw]
    rows = [[sp.Integer(1)] * count] + [list(row) for row in values]
    rhs = [sp.Integer(1)] + [sp.sympify(t) for t in targets]
    known = [b - sum(row[j] * chosen[j] for j in range(free)) for row, b in zip(rows, rhs)]
    square = sp.Matrix([row[free:] for row in rows])
    if square.det() == 0:
        return None
    solved = list(square.LUsolve(sp.Matrix(known)))
    weights = chosen + solved
    return weights if all(w > 0 for w in weights) else None


def _specialiser(spectra):
    def specialise(expr):
        means = expr.atoms(SpectralMean)
        return expr.xreplace({m: sp.Add(*[w * m.integrand.xreplace({m.variable: a}) for a, w in spectra[m.law]])
                              for m in means})
    return specialise


def _decide(lhs, rhs, conditions, op, rng):
    """``(evidence, details)`` of a certified counterexample, or None."""
    if op == "==":
        found = evidence.check(lhs, rhs, conditions, screen=True, seed=int(rng.integers(2**32)))
        return (found.evidence, found.details) if found.status == "failed" else None
    if op not in ("<", "<=", ">", ">="):
        return None
    difference = lhs - rhs
    free = sorted(difference.free_symbols | set().union(*(c.free_symbols for c in conditions)), key=str)
    points = admissible_points(free, conditions, 2 * POINTS, rng, scale=constant_scale(difference))
    for point in points[:POINTS]:
        with precision(ORDER_PREC):
            try:
                ball = enclose(difference, point, ORDER_PREC)
            except (NoEnclosure, ZeroDivisionError, ValueError, OverflowError):
                continue
        if not ball.is_finite() or not ball.imag.is_zero():
            continue
        value = ball.real
        wrong = {"<": value >= 0, "<=": value > 0, ">": value <= 0, ">=": value < 0}[op]
        if wrong:
            shown = ", ".join(f"{s} = {evidence.show_number(v)}" for s, v in sorted(point.items(), key=lambda kv: str(kv[0])))
            return (f"certified counterexample (Arb): lhs - rhs in {value.str(5, radius=True)}, certainly not {op} 0, "
                    f"at {shown or 'the only point'}",
                    {"point": shown})
    return None


def _show(spectrum):
    return " + ".join(f"({w}) delta({a})" for a, w in spectrum)
