"""Checking a step and a whole derivation: one pipeline, the same for ``derive check`` and
``derive mutate``.

For an exact step:

1. **Refutation first.**  The numeric checker (:mod:`derive.check.numeric`) evaluates the
   statement at random admissible points with every binding above it substituted; a
   counterexample makes the step **failed**, whatever a symbolic method would later say.
   (Limits, series and solved roots are refuted by their rule's own numeric route.)
2. **The rule's own requirements and evidence** (:mod:`derive.rules`): a ``solve`` must
   show that its root is the one meant, a ``differentiate`` that its variable is free, a
   ``transform`` that its change of variables is an operation's; a limit, series, transform or
   convolution is decided by its rule alone.
3. **Proof**: *symbolic* (substitute the bindings of the cited premises, reduce ``lhs - rhs``
   to 0), a proof method a package registers (spectral linearity, :data:`PROOF_METHODS`), or
   *elimination* (ideal membership in the cited relations); then
   the same with every binding above the step.  Order relations (``<``, ``<=``, ...) are
   proved by the kernel's real-algebraic decision (Z3) from the conditions, or by an order
   proof a package registers (monotonicity of means, :data:`ORDER_PROOFS`).
4. Otherwise the full numeric check (20 points, the precision ladder) decides: *verified*,
   *failed* or *unverified*.

Premises that are order relations (``x > 1``) restrict where the step is claimed, like its
side conditions.  Facts are checked by their simulation (:mod:`derive.check.fact`).  A check
that a CPU-time budget cut short is never cached.
"""

from __future__ import annotations

import functools
import time

import sympy as sp

from .. import bindings as _bindings
from ..budget import BudgetExceeded, expiries, isolated
from ..notation import Meaning, Opaque
from ..rules import Rule, rule_for
from ..sampling import satisfies, sign_condition
from ..step import DEFINITION, FACT
from . import cache, domains, elimination, number_sets, numeric, periodic, telescoping
from .kernel import balls, real
from .result import DEFINITION as DEFINED, CheckResult, Refused, Verdict
from .symbolic import is_zero

#: Proof methods beyond the symbolic ones: induction on a sum's limit here
#: (:mod:`derive.check.telescoping`), residue classes of integers (:mod:`derive.check.periodic`),
#: and what a package adds (free probability adds spectral
#: linearity, :mod:`derive.rmt.rules`): ``method(residual, relations, premises, bindings)``
#: returns ``(name, evidence)`` when ``residual = 0`` follows, else None.  Register with
#: :func:`proof_method`.
PROOF_METHODS = [telescoping.proof, periodic.proof]


def proof_method(function):
    """Decorator: add a proof method (:data:`PROOF_METHODS`)."""
    PROOF_METHODS.append(function)
    return function


#: Proof methods for order relations (``<``, ``<=``, ``>``, ``>=``, ``!=``) beyond the
#: real-algebraic decision here: residue classes of integers (:mod:`derive.check.periodic`),
#: roots by the kind of number a symbol is (:mod:`derive.check.number_sets`), and what a package
#: adds (free probability: the monotonicity of means, :mod:`derive.rmt.rules`).
#: ``method(residual, op, conditions, premises)`` returns ``(name, evidence)`` when
#: ``residual op 0`` holds wherever the step is claimed (``conditions``), else None.  Register
#: with :func:`order_proof`.
ORDER_PROOFS = [periodic.order_proof, number_sets.order_proof]


def order_proof(function):
    """Decorator: add a proof method for order relations (:data:`ORDER_PROOFS`)."""
    ORDER_PROOFS.append(function)
    return function


#: Refutations a package adds for objects the numeric checker cannot evaluate (free probability
#: specialises a named law to finite spectra, :mod:`derive.rmt.refute`):
#: ``method(premises, op)`` returns ``(status, evidence, details)`` with status 'failed' for a
#: certified counterexample or 'unverified' with a note, or None when it does not apply.  A
#: refutation never verifies.  Register with :func:`refutation`.
REFUTATIONS = []


def refutation(function):
    """Decorator: add a refutation (:data:`REFUTATIONS`)."""
    REFUTATIONS.append(function)
    return function


#: CPU seconds an exact step's whole check may take: past them it is unverified (a numeric
#: check at 1600 digits of a slow special function, a root finder that wanders), never a hang.
STEP_SECONDS = 90.0


def check_step(derivation, step):
    """A :class:`CheckResult` for one step (no cache)."""
    start = time.perf_counter()
    budgets = expiries()
    try:
        if step.kind == DEFINITION:
            status, method, evidence, details = DEFINED, "definition", step.explanation or "notation", {}
        elif not step.is_exact:
            status, method, evidence, details = rule_for(step.kind).check(step, derivation)
        else:
            # In a child process the kernel stops at the budget, even inside compiled code.
            (status, method, evidence, details), cut_short = isolated(
                functools.partial(_exact_verdict, derivation, step), STEP_SECONDS)
            if cut_short:
                details = {**details, "budget_expired": True}
    except BudgetExceeded:
        status, method = "unverified", "budget"
        evidence, details = f"stopped after {STEP_SECONDS:g} CPU seconds without a decision", {"budget_expired": True}
    except Refused as refusal:
        status, method, evidence, details = "unverified", refusal.method, refusal.evidence, {}
    except _bindings.CircularBindings as exc:
        status, method, evidence, details = "unverified", "bindings", str(exc), {}
    except Exception as exc:  # sympy, mpmath or a user's simulator failing: the step is not established
        status, method = "unverified", "checker error"
        evidence, details = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}", {}
        details = {"error": True}
    if expiries() != budgets:
        details = {**details, "budget_expired": True}
    return CheckResult(step.label, step.kind, status, method, evidence,
                       time.perf_counter() - start, False, details)


def _exact_verdict(derivation, step):
    """The verdict of :func:`_check_exact`, and whether a budget ran out on the way."""
    before = expiries()
    verdict = _check_exact(derivation, step)
    return tuple(verdict), expiries() != before


def operator(statement):
    """The relation a statement claims: '==', '<', '<=', '>', '>=' or '!='."""
    if isinstance(statement, sp.Equality):
        return "=="
    return statement.rel_op


def _check_exact(derivation, step):
    """The pipeline of the module docstring.  A rule that is ``final`` (a solve, a limit, a
    series, a transform, a convolution) refutes by its own route, since the generic checker,
    which tries every root of the premises, would call the other roots counterexamples; and its
    verdict stands alone."""
    op = operator(step.statement)
    domains.check(derivation, step)
    rule = rule_for(step.kind)
    premises = Premises(derivation, step)
    if not rule.final:
        screen = _numeric(premises, op, screen=True)
        if screen.status == "failed":
            return Verdict(screen.status, "numeric: mpmath, counterexample", screen.evidence, screen.details)
        notes = []
        for method in REFUTATIONS:
            found = method(premises, op)
            if found and found[0] == "failed":
                return Verdict("failed", f"{method.__name__}: certified counterexample", found[1], found[2])
            if found:
                notes.append(found[1])
        premises.notes = notes
    has_check = type(rule).check is not Rule.check
    if has_check:
        if op != "==":
            raise Refused(f"{step.kind}: statement", f"a {step.kind} step states an equality, not '{op}'")
        decided = rule.check(step, derivation)
        if decided is not None and decided.status == "verified" and not rule.handles_infinite:
            decided = _finite_only(premises, decided) or decided
        if decided is not None and (decided.status in ("verified", "failed") or rule.final):
            return decided
    proof = _prove(premises, op)
    if proof is not None:
        return proof
    refutation = _numeric(premises, op)
    method = f"numeric: mpmath, {numeric.DIGITS} digits and up"
    if refutation.status == "unverified" and has_check:
        method = f"{step.kind}: no method decided"
    evidence = refutation.evidence
    if refutation.status == "unverified" and premises.notes:
        evidence = "; ".join([evidence, *premises.notes])
    return Verdict(refutation.status, method, evidence, refutation.details)


def may_be_infinite(symbol):
    """Whether ``symbol``'s assumptions admit +-oo: declared extended real (``extended_real``,
    ``extended_positive``, ...) without ``finite``, or ``infinite``.  A plain ``Symbol`` is a
    complex number, finite."""
    return symbol.is_finite is not True and bool(symbol.is_extended_real or symbol.is_infinite)


def _finite_only(context, decided):
    """An unverified :class:`Verdict` in place of a rule's ``decided`` verification when the
    statement (its bindings put in) has a parameter that may be infinite (:func:`may_be_infinite`)
    and the rule does not handle +-oo (:attr:`derive.rules.Rule.handles_infinite`); else None.

    A rule's own check samples finite parameter values (a limit's probes, Arb's Laurent
    coefficients) or decides over the reals (a root's sign change by Z3, which sympy's
    extended arithmetic can short-cut: ``-(x^2 + 1) < 0`` evaluates to True for extended real
    ``x``); but ``lim_{t->0+} e/(e + t) = 1`` with ``e = exp(-x^2)`` is 0 at ``x = oo``.  The
    generic numeric check tries such names at +-oo; a rule's verdict is not about them."""
    step = context.step
    exprs = [context.closed(step.statement.lhs), context.closed(step.statement.rhs),
             *(context.closed(sp.sympify(c)) for c in step.conditions)]
    names = sorted({s for e in exprs for s in sp.sympify(e).free_symbols if may_be_infinite(s)}, key=str)
    if not names:
        return None
    shown = ", ".join(map(str, names))
    return Verdict("unverified", f"{step.kind}: a parameter may be infinite",
                   f"{shown} may be +-oo (declared extended real), and the {step.kind} rule decides for finite "
                   f"values only; for those: {decided.method}: {decided.evidence}", decided.details)


def _prove(context, op):
    """A symbolic or elimination proof, as a :class:`Verdict`, or None."""
    step, premises, relations = context.step, context.cited, context.relations
    tried = []
    for label, table in context.tables.items():
        residual = context.closed(step.residual, label)
        # the same statement under other premises (the relations closed by more definitions)
        # is another question
        key = (residual, tuple(context.closed(r, label) for r in relations))
        if key in tried:
            continue
        tried.append(key)
        if op != "==":
            sign = _sign_by_assumptions(context, residual, op)
            if sign:
                return Verdict("verified", f"kernel: real-algebraic decision ({label})", sign, {})
            for method in ORDER_PROOFS:
                found = method(residual, op, list(context.numeric_problem[3]), premises)
                if found:
                    return Verdict("verified", f"{found[0]} ({label})", found[1], {})
            continue
        if residual.has(*real.PINNED):
            # floor, |u|, sign, ...: the real-algebraic decision pins each exactly (kernel.real)
            sign = _sign_by_assumptions(context, residual, "==")
            if sign:
                return Verdict("verified", f"kernel: real-algebraic decision ({label})", sign, {})
        how = is_zero(residual)
        if how:
            return Verdict("verified", f"symbolic: substitution ({label}) + {how}", f"lhs - rhs reduces to 0 by {how}", {})
        premises_closed = [context.closed(r, label) for r in relations]
        premises_closed += _bindings.instances(premises_closed, residual)
        for method in PROOF_METHODS:
            found = method(residual, premises_closed, premises, table)
            if found:
                return Verdict("verified", f"{found[0]} ({label})", found[1], {})
        if elimination.follows(residual, premises_closed, implicit=context.implicit):
            cited = ", ".join(p.label for p in premises if p.residual in relations)
            return Verdict("verified", f"elimination: ideal membership ({label})",
                    f"numerator lies in the ideal of {cited} (Groebner basis), denominator not in its radical", {})
    if op != "==" or context.closed(step.residual).has(*real.PINNED):
        return _order_counterexample(context, context.closed(step.residual), op)
    return None


def _sign_by_assumptions(context, residual, op):
    """Evidence that ``lhs - rhs`` has the sign ``op`` needs wherever the step is claimed, from
    the kernel's real-algebraic decision (:func:`derive.check.kernel.real.implies`): the
    step's conditions, its order premises and the symbols' sign assumptions imply it, by Z3's
    nonlinear real arithmetic.  Only for relations between rational functions of real symbols;
    sympy's assumptions (``is_positive``) only propose and never decide.
    """
    conditions = list(context.numeric_problem[3])
    # A spectral mean of a real integrand is a real number wherever it is finite: in an order
    # relation it is a real unknown, the same one wherever it appears (<r> > 5 implies <r> > 4).
    # Only a mean established to exist: an infinite <r> satisfies <r> > 5 and not 1/<r> > 0.
    means = {a for e in [residual, *conditions] for a in sp.sympify(e).atoms(Opaque)
             if getattr(a, "is_extended_real", None)}
    if not all(m.exists_given(context.cited) for m in means):
        return None
    unknowns = {a: sp.Dummy("mean", real=True) for a in means}
    residual = residual.xreplace(unknowns)
    conditions = [sp.sympify(c).xreplace(unknowns) for c in conditions]
    if residual.atoms(sp.core.function.AppliedUndef, Opaque):
        return None
    claim = real.RELATIONS[op](residual, 0, evaluate=False)
    if real.implies(conditions, claim):
        return "real-algebraic decision (Z3, nonlinear real arithmetic): the conditions imply lhs - rhs " + op + " 0"
    return None


def _order_counterexample(context, residual, op):
    """A failed :class:`Verdict` when Z3 finds a real point where the step's conditions and the
    symbols' assumptions hold and ``lhs - rhs op 0`` does not, confirmed by exact rational
    arithmetic at that point; else None.

    Sampling cannot see an order relation that fails only on a set of width 1e-15
    (``(x - 3/7)^2 >= 10^-30``); nlsat decides the sentence exactly.  Only a self-contained
    claim is refuted this way: one with no relations among the premises, no implicitly defined
    symbol and no spectral mean (a point Z3 picks for those need not be one they can take).  An
    equality is refuted this way too when it holds a function the translator pins (``floor``,
    ``|u|``, ``sign``, ...: ``ceiling(x) - floor(x) = 1`` fails at an integer Z3 picks).
    """
    conditions = [sp.sympify(c) for c in context.numeric_problem[3]]
    if context.numeric_problem[2] or any(sp.sympify(e).atoms(sp.core.function.AppliedUndef, Opaque)
                                         for e in [residual, *conditions]):
        return None
    if sp.sympify(residual).free_symbols & set(context.implicit):
        return None
    radicand = _negative_radicand(residual, conditions)
    if radicand is not None:
        return radicand
    claim = real.RELATIONS[op](residual, 0, evaluate=False)
    answer, point = real.counterexample(conditions, claim)
    if answer is not False or not point or not all(v.is_Rational for v in point.values()):
        return None
    at = {s: point.get(s, sp.Integer(0)) for s in sp.sympify(residual).free_symbols}
    value = sp.sympify(residual).xreplace(at)
    holds = [sp.sympify(c).xreplace(at) for c in conditions]
    if any(h is not sp.true for h in holds) or not all(map(satisfies, at, at.values())):
        return None
    if value.is_Rational:
        if sp.sympify(real.RELATIONS[op](value, 0)) is not sp.false:
            return None
        shown_value = str(value)
    elif op == "==":
        return None
    else:
        # An algebraic value (sqrt 2 among the constants): Arb's ball must place it on the
        # wrong side of 0, excluding 0.
        try:
            ball = balls.enclose(value, {}, 512)
        except (balls.NoEnclosure, ArithmeticError, ValueError):
            return None
        sign = 1 if ball.real > 0 else -1 if ball.real < 0 else 0
        if not (ball.imag == 0) or sign == 0 or sign in numeric.ORDER[op]:
            return None
        shown_value = f"{ball.real.mid().str(6)} (Arb ball, certified)"
    shown = ", ".join(f"{s} = {v}" for s, v in sorted(at.items(), key=lambda kv: str(kv[0])))
    return Verdict("failed", "kernel: real-algebraic decision (Z3), certified counterexample",
                   f"at {shown} (exact) the conditions hold and lhs - rhs = {shown_value}, so '{op} 0' fails",
                   {"counterexample": {str(s): str(v) for s, v in at.items()}})


def _negative_radicand(residual, conditions):
    """A failed :class:`Verdict` when a fractional power in an order relation has a radicand
    that is negative at a point where the conditions hold: the side is not real there, and an
    order between numbers that are not real is false.  Z3 finds the point
    (``(x - sqrt 2)^2 - 10^-40 < 0`` on a window 2·10^-20 wide that no sampling meets); an
    algebraic point is rounded to a rational one at 60 digits, and exact arithmetic confirms the
    conditions there, and the radicand's sign (an Arb ball where it holds an algebraic
    constant).  None otherwise."""
    bases = sorted({e.base for e in sp.sympify(residual).atoms(sp.Pow)
                    if e.exp.is_Rational and not e.exp.is_Integer and e.base.free_symbols}, key=sp.default_sort_key)
    for base in bases:
        answer, point = real.counterexample(conditions, sp.Ge(base, 0, evaluate=False), digits=60)
        if answer is not False or not point:
            continue
        at = {s: sp.Rational(str(v)) if v.is_Float else v for s, v in point.items()}
        at.update({s: sp.Integer(0) for s in base.free_symbols if s not in at})
        if not all(map(satisfies, at, at.values())):
            continue
        if any(sp.sympify(c).xreplace(at) is not sp.true for c in conditions):
            continue
        value = base.xreplace(at)
        if not value.is_Rational:
            # an algebraic radicand (sqrt 2 among its constants): Arb's ball must lie below 0
            try:
                ball = balls.enclose(value, {}, 512)
            except (balls.NoEnclosure, ArithmeticError, ValueError):
                continue
            if not (ball.imag == 0 and ball.real < 0):
                continue
            value = f"{ball.real.mid().str(6)} (Arb ball, certified)"
        elif value >= 0:
            continue
        shown = ", ".join(f"{s} = {v}" for s, v in sorted(at.items(), key=lambda kv: str(kv[0])))
        return Verdict("failed", "kernel: real-algebraic decision (Z3), certified counterexample",
                       f"at {shown} (exact) the conditions hold and the radicand {base} = {value}, below 0: the "
                       "fractional power is not real there, so no order relation holds",
                       {"counterexample": {str(s): str(v) for s, v in at.items()}})
    return None


def _relations(premises):
    """The cited premises that constrain rather than name: residuals that must vanish."""
    return [p.residual for p in premises if isinstance(p.statement, sp.Equality)
            and _bindings.binding_of(p.statement) is None and not p.statement.rhs.atoms(Meaning)]


def _orders(premises):
    """The cited premises that are order relations (``x > 1``): where the step is claimed."""
    return [p.statement for p in premises if not isinstance(p.statement, sp.Equality)]


class Premises:
    """What a step rests on, worked out once per check and shared by the methods that need it:
    the cited steps, the bindings they state and every binding above, the relations and order
    relations among them, the implicit symbols above, expressions with those bindings
    substituted (:meth:`closed`), and the statement as the numeric checker needs it
    (:attr:`numeric_problem`)."""

    def __init__(self, derivation, step):
        self.derivation, self.step = derivation, step
        self.cited = [derivation[label] for label in step.uses]
        self.relations = _relations(self.cited)
        self.orders = _orders(self.cited)
        self.tables = {"cited premises": [pair for pair in (_bindings.binding_of(p.statement) for p in self.cited)
                                          if pair],
                       "all definitions above": derivation.bindings(step.uses)}
        self._closed = {}
        #: What the refutations (:data:`REFUTATIONS`) found short of a counterexample.
        self.notes = []

    @property
    def everything(self):
        return self.tables["all definitions above"]

    @functools.cached_property
    def implicit(self):
        return _bindings.implicit_symbols(self.derivation.ancestors(self.step.label))

    def closed(self, expr, table="all definitions above"):
        """``expr`` with the bindings of ``table`` substituted, a derivative at a point (``M'(1)``,
        a ``Subs``) written as an application of its own; each computed once."""
        key = (expr, table)
        if key not in self._closed:
            self._closed[key] = _bindings.applied_derivatives(_bindings.substitute(expr, self.tables[table]))
        return self._closed[key]

    @functools.cached_property
    def numeric_problem(self):
        """``(lhs, rhs, relations, conditions, implicit)`` with every binding above substituted;
        the relations instantiated wherever the statement applies their functions (``M'(1)`` is
        tied to ``M'(x)`` by the differentiated premise's instance at 1)."""
        step = self.step
        lhs, rhs = self.closed(step.statement.lhs), self.closed(step.statement.rhs)
        relations = [self.closed(r) for r in self.relations]
        relations += _bindings.instances(relations, lhs - rhs)
        orders = [_bindings.applied_derivatives(o) for o in self.orders]
        orders += _bindings.instances(orders, sp.Add(lhs - rhs, *relations))
        conditions = [self.closed(c) for c in (*step.conditions, *orders)]
        conditions += _assumed_signs(self.everything, [step.statement.lhs, step.statement.rhs, *self.relations])
        conditions += _root_intervals(self.derivation, step, [lhs, rhs, *relations])
        return lhs, rhs, relations, conditions, self.implicit


def _root_intervals(derivation, step, exprs):
    """``low < name < high`` for every name above the step defined as a root on an interval
    (:mod:`derive.rules.root`) that ``exprs`` mention: where the root the name denotes lies, so
    that the numeric checker, solving the equation for the name, keeps that root and not
    another."""
    from ..rules.root import interval_conditions, root_names

    found = []
    for name, source in root_names(derivation.ancestors(step.label)).items():
        if any(sp.sympify(e).has(name) for e in exprs):
            found += interval_conditions(source)
    return found


def _numeric(context, op="==", points=numeric.POINTS, screen=False):
    """The numeric proof attempt with every binding above the step substituted."""
    lhs, rhs, relations, conditions, implicit = context.numeric_problem
    return numeric.check(lhs, rhs, relations, conditions, implicit=implicit, op=op, points=points, screen=screen)


def _assumed_signs(bindings, exprs):
    """A bound name's sign assumption, as a condition on its value.

    ``eps = lam tau / (tau - 1 + lam sigma)`` with ``eps`` declared positive claims that value
    positive; substituting the value must not drop the claim, or the numeric checker would try
    roots of ``sigma`` where ``eps < 0``.
    """
    names = set().union(*(sp.sympify(e).free_symbols for e in exprs))
    conditions = []
    seen = set()
    for name, value in bindings:
        if not isinstance(name, sp.Symbol) or name in seen:
            continue
        seen.add(name)
        if name not in names and not any(name in sp.sympify(v).free_symbols for _, v in bindings):
            continue
        condition = sign_condition(name, _bindings.substitute(value, bindings))
        if condition is not None and condition is not sp.true:
            conditions.append(condition)
    return conditions


def check_derivation(derivation, use_cache=True, only=None):
    """Check every step (or the labels in ``only``), in derivation order.

    Returns a list of :class:`CheckResult`; unchanged steps come from the cache.  A result a
    budget cut short or a checker error produced is not cached, and neither is a failed fact.
    """
    keys = cache.step_keys(derivation)
    results = []
    for step in derivation.ordered():
        if only is not None and step.label not in only:
            continue
        key = keys[step.label]
        result = cache.load(key) if use_cache else None
        if result is not None and result.kind != step.kind:
            result = None  # an entry that is not this step's (a damaged or hand-edited cache)
        elif result is not None:
            # The key is the step's content, not its label: a renamed step keeps its verdict.
            result.label = step.label
        if result is None:
            result = check_step(derivation, step)
            if cacheable(result):
                cache.store(key, result)
        results.append(result)
    return results


def cacheable(result):
    """Whether a result may be reused: not left undecided by a budget, not a checker error, not a
    failed fact (a new seed or more trials may settle it).

    A step *decided* although some attempt on the way ran out of its budget (sympy's simplify
    gave up, the numeric checker then verified) is kept: budgets are CPU time, so the same
    attempt runs out the same way on any machine and load, and the verdict is the one a rerun
    would reach.  An undecided one is not: more budget might decide it."""
    if result.details.get("error"):
        return False
    if result.details.get("budget_expired") and result.status not in ("verified", "failed"):
        return False
    return not (result.status == "failed" and result.kind == FACT)
