"""What free probability adds to the checker: the rules ``transform`` (a change of variables
between algebraic curves) and ``convolution`` (a free sum or product eliminated from its
operands' curves), and the proof method *spectral linearity*.

They register like any rule (:mod:`derive.rules`) and proof method
(:func:`derive.check.runner.proof_method`); the core and the checker import nothing from
``derive.rmt``.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from .. import bindings as _bindings
from ..budget import BudgetExceeded, cpu_limit
from ..check.kernel import evidence
from ..check.result import Refused
from ..check.runner import order_proof, proof_method, refutation
from ..rules import Rule, register, verdict
from ..step import Step
from .existence import established_means, mean_exists
from .refute import refute
from .spectral import SpectralMean, follows_by_linearity, follows_by_monotonicity, follows_in_one_mean


def transform(self, label, premise, statement, *, change, explanation="", ref=""):
    """State the curve that a change of variables carries the premise's curve to.

    ``premise`` states ``P(f(u), u) = 0`` for one function ``f``; ``change`` is
    ``(g(v), phi, chi)``: the new function's value ``g(v) = phi`` at ``v = chi``, both in
    terms of ``f(u)`` and ``u``; ``statement`` is ``Eq(Q(g(v), v), 0)``.  It follows when
    ``Q(phi, chi)`` vanishes on the premise's curve, which the checker decides exactly
    (pseudo-remainder by ``P``).  This is how Stieltjes, R- and S-transforms, scalings,
    shifts and inverses move between curves (:mod:`derive.rmt.algebraic`).
    """
    new, value, variable = change
    _introduce_once(self, label, premise, new)
    return self._add(Step(label, statement, "transform", (premise,), (), explanation, ref,
                          rule={"new": new, "value": value, "variable": variable}))


def _introduce_once(derivation, label, premise, new):
    """A transform introduces ``new``'s function: refuse one that is the premise's own (a
    scaling from ``m`` into ``m`` would state ``m``'s curve in another variable), one already
    given a value (``g := -1/z``, then ``g`` carried from the semicircle: both would be used) or
    one that already has a curve or was introduced by another step (:func:`introduced_by`)."""
    from ..errors import DerivationError

    if not isinstance(new, AppliedUndef):
        raise DerivationError(f"transform: the new function must be written g(v), got {new}", label)
    source = derivation[premise]
    if new.func in {f.func for f in source.residual.atoms(AppliedUndef)}:
        raise DerivationError(f"transform: {new.func} is the function of the premise '{premise}'; a change of "
                              "variables introduces a new name (call it something else)", label)
    other = introduced_by(derivation, new.func)
    if other is not None:
        raise DerivationError(f"transform: {new.func} is already given by '{other}'; a name is introduced once "
                              "(use a new name for the transformed function)", label)


#: Kinds of step that state a function's curve on their own authority (a simulated fact, a
#: convolution's eliminated curve), as opposed to one derived from premises that mention it.
CURVE_KINDS = ("fact", "convolution")


def introduced_by(derivation, head):
    """The label of a step that already says what the function ``head`` is, or None: a
    definition with a value or a solve for it, a step that introduces it (a transform), or a
    curve for it (a fact or a convolution whose equation involves no other unknown function).
    A definition by a ``Meaning`` only names the function, and a step derived from premises
    (``g-closed`` of takanami2025, before its ``add_law`` onto ``g``) follows from what they say:
    neither is counted."""
    for step in derivation:
        statement = step.statement
        if not isinstance(statement, sp.Equality):
            continue
        lhs = statement.lhs
        if step.binds and isinstance(lhs, AppliedUndef) and lhs.func == head:
            return step.label
        new = step.rule.get("new") if isinstance(step.rule, dict) else None
        if isinstance(new, AppliedUndef) and new.func == head:
            return step.label
        if (step.kind in CURVE_KINDS and {f.func for f in step.residual.atoms(AppliedUndef)} == {head}
                and not step.residual.has(sp.Limit, sp.Derivative, sp.Integral, sp.Sum, sp.Subs)):
            return step.label
    return None


def convolution(self, label, curves, theorem, statement, *, starts, means_from=(), explanation="", ref=""):
    """State the curve of a free convolution, eliminated from its operands' transform curves.

    ``curves`` are the labels of ``P_a(t_a(w), w) = 0`` and ``P_b(t_b(w), w) = 0`` for the
    operands' R-transforms (a free sum) or S-transforms (a free product); ``theorem`` is the
    label of ``t(w) = t_a(w) + t_b(w)`` or ``t(w) = t_a(w) t_b(w)``; ``statement`` is
    ``Eq(F(t(w), w), 0)``.  ``starts`` are ``t_a(0), t_b(0)`` (the mean, or one over it),
    which ``means_from`` (the operands' Stieltjes curves) let the checker confirm.  The
    checker verifies that ``F`` divides the resultant and vanishes on the power series of
    the combined branch to an order that no other factor can reach (Bezout).
    """
    return self._add(Step(label, statement, "convolution", (*curves, theorem, *means_from), (),
                          explanation, ref, rule={"starts": tuple(starts), "curves": tuple(curves),
                                                  "theorem": theorem, "means_from": tuple(means_from)}))


def check_transform(step, derivation):
    """The change of variables is one an operation defines (:mod:`derive.rmt.changes`), and it
    carries the premise's curve into the statement's (exactly)."""
    from .algebraic import carried_curve
    from .changes import CHANGES, recognise

    premise = derivation[step.uses[0]]
    functions = premise.residual.atoms(AppliedUndef)
    if len(functions) != 1:
        raise Refused("transform: premise", "the premise must be a curve in one function")
    (f,) = functions
    rule = step.rule
    operation = recognise(rule["value"], rule["variable"], f, f.args[0])
    if operation is None:
        raise Refused("transform: change of variables",
                      f"{rule['new']} = {rule['value']} at {rule['new'].args[0]} = {rule['variable']} is none "
                      f"of the changes an operation defines ({', '.join(c.description for c in CHANGES)}), so "
                      "it is an unproved claim")
    holds, irreducible = carried_curve(premise.residual, f, step.residual, rule["new"], rule["value"],
                                       rule["variable"])
    evidence = (f"{rule['new']} = {rule['value']} at {rule['new'].args[0]} = {rule['variable']}: "
                f"the statement's numerator has pseudo-remainder 0 by the curve of '{premise.label}'")
    if holds:
        return "verified", f"transform: {operation}, pseudo-remainder", evidence, {}
    if irreducible:
        evidence = (f"a nonzero remainder by the irreducible curve of '{premise.label}': the statement "
                    "fails at all but finitely many of its points")
        return "failed", "transform: pseudo-remainder", evidence, {}
    return None


def check_convolution(step, derivation):
    """The statement's curve divides the resultant of the operands' transform curves and carries
    the combined branch (power series to beyond the Bezout bound)."""
    from .algebraic import convolution_evidence

    rule = step.rule
    named = [*rule["curves"], rule["theorem"], *rule["means_from"]]
    uncited = [label for label in named if label not in step.uses]
    if uncited:
        return ("unverified", "convolution: premises",
                f"the rule rests on {', '.join(uncited)}, which the step does not cite", {})
    curves = [derivation[label] for label in rule["curves"]]
    theorem = derivation[rule["theorem"]].statement
    t_a, t_b = (next(iter(c.residual.atoms(AppliedUndef))) for c in curves)
    t = theorem.lhs
    if sp.expand(theorem.rhs - (t_a + t_b)) == 0:
        operation = "sum"
    elif sp.expand(theorem.rhs - t_a * t_b) == 0:
        operation = "product"
    else:
        return "unverified", "convolution: theorem", f"'{rule['theorem']}' is not t = t_a + t_b or t_a t_b", {}
    starts = rule["starts"]
    if len(rule["means_from"]) != 2:
        return "unverified", "convolution: branch start", "the starts are not tied to the operands' means", {}
    for label, start in zip(rule["means_from"], starts):
        mean = _operand_mean(derivation, derivation[label])
        expected = mean if operation == "sum" else 1 / mean
        if sp.simplify(start - expected) != 0:
            return ("failed", "convolution: branch start",
                    f"the branch starts at {start}, but '{label}' gives the mean {mean}", {})
    divides, on_branch, order = convolution_evidence(curves[0].residual, t_a, curves[1].residual, t_b,
                                                     step.residual, t, operation, starts)
    if not divides:
        return "failed", "convolution: resultant", "the statement's curve does not divide the resultant", {}
    if not on_branch:
        return ("failed", "convolution: branch", f"the combined power series leaves the curve before order {order}",
                {})
    return ("verified", "convolution: resultant + branch series",
            f"divides the resultant; vanishes on the {operation} of the branch series to order {order}", {})


def _operand_mean(derivation, step):
    """The mean of an operand: from its curve's series at infinity, or, when two branches go
    like -1/z there, from a step stating it (``Eq(Limit(-z^2 (f + 1/z), z, oo), mean)``),
    which must then be a branch of the curve it cites."""
    from .algebraic import m as m_
    from .algebraic import moments
    from .algebraic import z as z_

    if isinstance(step.statement.lhs, sp.Limit):
        mean = step.statement.rhs
        step = derivation[step.uses[0]]
    else:
        mean = None
    (f,) = step.residual.atoms(AppliedUndef)
    curve = step.residual.subs(f, m_).subs(f.args[0], z_)
    return moments(curve, 1, mean)[1]


@register
class Transform(Rule):
    kind = "transform"
    title = "Change of variables"
    verb = transform
    final = True
    operand = True

    def check(self, step, derivation):
        return verdict(check_transform(step, derivation))

    def introduces(self, step):
        new = step.rule["new"]
        return new.free_symbols | {new.func}


@register
class Convolution(Rule):
    kind = "convolution"
    title = "Free convolution (elimination)"
    verb = convolution
    final = True
    operand = True

    def check(self, step, derivation):
        return verdict(check_convolution(step, derivation))


@proof_method
def spectral_linearity(residual, relations, premises, bindings):
    """``residual = 0`` by linearity of spectral means (:func:`derive.rmt.spectral.follows_by_linearity`):
    one integrand over the spectral law, a combination of the premises' integrands.  A cited
    mean ``<f> = value`` is a known integral here, not only a substitution.

    Linearity holds between means that exist (``<1/U> - <1/U - 1>`` is infinity minus infinity,
    not ``<1> = 1``): every mean of the residual must be established to exist
    (:mod:`derive.rmt.existence`), or the method leaves the step alone; a premise with a mean
    not established is not used."""
    if not residual.has(SpectralMean):
        return None

    def substituted(expr, p):
        return _bindings.substitute(expr, [b for b in bindings if b[0] != p.statement.lhs])

    known = [substituted(p.residual, p) for p in premises if isinstance(p.statement.lhs, SpectralMean)]
    established = established_means(premises, lambda side: side)
    for p in premises:
        established |= established_means([p], lambda side, p=p: substituted(side, p))

    def exist(expr):
        return all(mean_exists(m, established) for m in sp.sympify(expr).atoms(SpectralMean))

    try:
        with cpu_limit(EXISTENCE_SECONDS):
            if not exist(residual):
                return None
            usable = [e for e in [*relations, *known] if exist(e)]
    except BudgetExceeded:
        return None
    found = follows_by_linearity(*_laws_by_family([residual, *usable]))
    if found:
        how = ("; the integrands' identity is sampled evidence (certified evaluation, Arb), not proved"
               if found == "sampled" else "")
        return ("spectral linearity",
                "one integrand over the spectral law, a combination of the premises' integrands; every mean "
                f"merged is established to exist (a cited value, or bounded on the law's support){how}")
    return None


@proof_method
def proportional_means(residual, relations, premises, bindings):
    """``c1 <f1> + c2 <f2> = 0`` over one law when ``c1 f1 + c2 f2`` vanishes identically in the
    spectral variable (``<exp(r + x)> = exp(x) <exp(r)>``), with ``c1``, ``c2`` outside the
    means.  No mean need exist: a constant factor moves through a mean wherever either side is
    defined (``<c f> = c <f>``, finite or infinite, for ``c != 0``), unlike a sum of means
    (``<1/U> - <1/U - 1>`` is infinity minus infinity).  The integrands' identity is the
    kernel's (exact algebra, else certified sampled evidence, and the evidence says which)."""
    residual, _ = _laws_by_family([residual])
    pairs = []
    for term in sp.Add.make_args(residual):
        means = term.atoms(SpectralMean)
        if len(means) != 1:
            return None
        mean = means.pop()
        coefficient, rest = term.as_independent(mean, as_Add=False)
        if rest != mean:
            return None
        pairs.append((coefficient, mean))
    if len(pairs) != 2 or pairs[0][1].law != pairs[1][1].law:
        return None
    variable = sp.Dummy("r", real=True)
    combined = sum(c * m.integrand.xreplace({m.variable: variable}) for c, m in pairs)
    how = evidence.how_zero(combined)
    if not how:
        return None
    return ("spectral scaling",
            "c1 <f1> + c2 <f2> with c1 f1 + c2 f2 = 0 identically in the spectral variable "
            f"({'exact algebra' if how == 'exact' else 'certified evaluation (Arb) at sampled points, not proved'}); "
            "a constant factor moves through a mean wherever either side is defined")


@order_proof
def monotone_means(residual, op, conditions, premises):
    """``<g> >= 0`` (or ``>``, ``<``, ``<=``) from ``g >= 0`` on the law's support, decided by
    the kernel (:func:`derive.rmt.spectral.follows_by_monotonicity`); several means are merged
    only when the cited steps establish that each exists."""
    return _order_between_means(
        follows_by_monotonicity, residual, op, conditions, premises, "kernel: monotonicity of means",
        f"the integrand satisfies '{op} 0' at every point of the law's support (its variable's assumptions) "
        "and every admissible parameter, by the real-algebraic decision (Z3); a probability law keeps the "
        "relation under the mean, and no denominator vanishes on the support")


@order_proof
def one_mean(residual, op, conditions, premises):
    """A polynomial in one mean, with the mean an extended-real unknown of the sign its
    integrand has on the law's support (:func:`derive.rmt.spectral.follows_in_one_mean`)."""
    return _order_between_means(
        follows_in_one_mean, residual, op, conditions, premises, "kernel: one mean, an extended-real unknown",
        f"lhs - rhs is a polynomial in one mean; '{op} 0' holds for every real value the mean can take under "
        "the conditions and the sign its integrand has on the law's support (Z3), and at every infinite value "
        "the mean is not excluded from, by the sign of the leading coefficient (Z3)")


def _order_between_means(decide, residual, op, conditions, premises, method, evidence_text):
    """``(method, evidence)`` when ``decide`` shows ``residual op 0`` within the existence
    budget, a mean existing when the cited steps establish it; else None."""
    if not sp.sympify(residual).has(SpectralMean):
        return None
    try:
        with cpu_limit(EXISTENCE_SECONDS):
            found = decide(residual, op, conditions, lambda m: m.exists_given(premises))
    except BudgetExceeded:
        return None
    return (method, evidence_text) if found else None


@refutation
def finite_spectra(premises, op):
    """A step between means of named laws refuted by finite spectra, certified
    (:mod:`derive.rmt.refute`); never a proof."""
    return refute(premises, op)


#: CPU seconds for deciding that the means of one step exist.
EXISTENCE_SECONDS = 8.0


def _laws_by_family(expressions):
    """``(residual, premise residuals)`` with each mean's law keyed by its class as well as its name.

    Linearity merges the means of one law; a ``UniformMean`` is over ``U(0, 1)`` whatever a
    ``SpectralMean`` over a law the user also named ``U`` is (``<R>_U = 5`` says nothing of
    ``UniformMean(u, u)``), so the two never share a key.
    """
    def keyed(expr):
        means = expr.atoms(SpectralMean)
        return expr.xreplace({m: SpectralMean(m.integrand, m.variable, f"{type(m).__name__}:{m.law}")
                              for m in means})

    first, *rest = [keyed(sp.sympify(e)) for e in expressions]
    return first, rest
