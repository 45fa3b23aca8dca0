"""A numeric proof attempt at high precision, for what sympy cannot decide.

At random admissible points (see :mod:`derive.sampling`: magnitudes across orders, complex
points of every argument, points close to each side condition's boundary, a seed per
statement) the statement's two sides are evaluated with mpmath.  Names still unknown after the
bindings are substituted (a Stieltjes transform known only through its quadratic) are solved for
from the premise relations, every root found is used, and the side conditions select among them.

**A precision ladder tells zero from small.**  At each point the difference ``lhs - rhs`` is
evaluated at 50, 100, 200, ... digits (:data:`LADDER`, names solved for are polished by Newton's
method at each precision).  Round-off shrinks by about as many digits as are added; a true
nonzero value, however small, stays put once the precision resolves it.  So at each point the
difference is

* *zero* when it shrank by nearly the added digits at two successive steps;
* *nonzero* when two successive precisions agree on it (to 1e-3 relative): a counterexample
  for an equality, its sign for an order relation;
* *undecided* while neither happens (cancellation deeper than the precision reached).

For an equality the size is relative, ``|lhs - rhs| / (1 + |lhs| + |rhs|)``.  The step is
**failed** at the first point where it is nonzero, **verified** when it is zero at every point
decided and at least two thirds of the points were decided, and **unverified** otherwise.  A
near-identity off by 1e-40, or by 1e-90, is nonzero at the precision that resolves it; one off
by less than the top of the ladder resolves (1e-1500) is beyond any finite precision's reach.

**Order relations** (``<``, ``<=``, ``>``, ``>=``) are checked as what they are: ``lhs - rhs``
must be real and on the right side of 0 at every point (zero, in the sense above, satisfies
``<=`` and ``>=`` only), and a point where it is not is a counterexample.  A sampled inequality
is evidence at the points tried, not a proof; the method says so.  ``!=`` cannot be established
by sampling (a random point never hits the exceptional set), so it is failed where the two sides
agree and otherwise left unverified for the symbolic route.
"""

from __future__ import annotations

import functools

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..binders import substitute
from ..budget import BudgetExceeded, cpu_limit
from ..notation import Opaque
from ..sampling import (Exact, ExactComplex, admissible_points, condition_holds, constant_scale, evaluate, exact_value,
                        is_placed, satisfies, sign_condition, statement_seed, substitute_exactly)
from . import margin
from .kernel import cuts, evidence
from .kernel.real import RELATIONS

#: What evaluating a statement at a point may raise where it has no value there (mpmath's
#: hypergeometric series that do not converge at a point, and 2^p mod p at p = 10^40 computed
#: exactly, included): no evidence either way.
EVALUATION_ERRORS = (ValueError, ZeroDivisionError, TypeError, OverflowError, MemoryError,
                     mpmath.libmp.NoConvergence)

POINTS = 20
DIGITS = 50
#: The second, higher precision: a residual that does not shrink there is not round-off.
FINE_DIGITS = 100
PASS = mpmath.mpf("1e-30")
FAIL = mpmath.mpf("1e-15")
#: CPU seconds for enclosing the integrals that means stand for (UniformMean), per check.
MEAN_INTEGRAL_SECONDS = 8.0
#: Random starts for solving the premise relations for the unknown names.
STARTS = 12
#: Relation operators and the sign of ``lhs - rhs`` they allow.
ORDER = {"<": (-1,), "<=": (-1, 0), ">": (1,), ">=": (1, 0), "==": (0,), "!=": (-1, 1)}


class Outcome:
    """Result of a numeric attempt: ``status`` is 'verified', 'failed' or 'unverified'."""

    def __init__(self, status, evidence, details=None):
        self.status, self.evidence, self.details = status, evidence, details or {}


def _unknown_atoms(exprs):
    atoms = set()
    for e in exprs:
        atoms |= {a for a in e.atoms(sp.Derivative, AppliedUndef)}
    # Drop applications nested inside derivatives: the derivative is its own unknown.
    return sorted(atoms, key=sp.default_sort_key)


def check(lhs, rhs, relations=(), conditions=(), seed=None, points=POINTS, implicit=(), op="==", screen=False):
    """Try to establish ``lhs op rhs`` numerically (see the module docstring).

    A statement about integer symbols that holds at the sampled integers is verified only when it
    also holds with those symbols real (:func:`_integers_relaxed`): ``cos(2 pi sqrt n) < 1`` for
    integers ``n > 10^6`` holds at every random integer and fails at the perfect squares, a set no
    sample meets; its real relaxation fails at ``n = 2.5``, so the step stays unverified.
    """
    outcome = _check(lhs, rhs, relations, conditions, seed, points, implicit, op, screen)
    if outcome.status == "verified" and not relations and not implicit:
        relaxed = _integers_relaxed(lhs, rhs, conditions, op)
        if relaxed is not None:
            return relaxed
    return outcome


def _integers_relaxed(lhs, rhs, conditions, op):
    """None when the statement's integer symbols enter only polynomially (or it has none), or
    when it also holds with them real; else an 'unverified' :class:`Outcome` naming why: its
    truth rests on the arithmetic of integers, which sampling them cannot establish."""
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    integers = {s for s in (lhs - rhs).free_symbols if s.is_integer}
    if not integers or (lhs - rhs).is_polynomial(*integers) or jump_arguments([lhs - rhs]):
        return None
    # A sum's limit or a factorial's argument is an integer by construction: no real relaxation.
    structural = set()
    for node in sp.preorder_traversal(lhs - rhs):
        if isinstance(node, (sp.Sum, sp.Product)):
            structural |= set().union(*(sp.sympify(end).free_symbols for limit in node.limits for end in limit[1:]))
        elif isinstance(node, (sp.factorial, sp.binomial, sp.factorial2, sp.RisingFactorial, sp.FallingFactorial)):
            structural |= node.free_symbols
    if integers & structural:
        return None
    reals = {n: sp.Dummy(n.name, real=True, **{k: True for k in ("positive", "negative", "nonnegative", "nonpositive")
                                               if getattr(n, f"is_{k}")})
             for n in integers}
    try:
        relaxed = _check(lhs.xreplace(reals), rhs.xreplace(reals), (), [sp.sympify(c).xreplace(reals) for c in conditions],
                         None, POINTS, (), op, False)
    except EVALUATION_ERRORS as exc:
        relaxed = Outcome("unverified", f"{type(exc).__name__} at a real point")
    if relaxed.status == "verified":
        return None
    shown = ", ".join(sorted(map(str, integers)))
    return Outcome("unverified", f"holds at the sampled integer values of {shown}, but with {shown} real it is "
                   f"{'false' if relaxed.status == 'failed' else 'not established'} ({relaxed.evidence[:160]}): a "
                   "statement that rests on the arithmetic of integers (a perfect square, a convergent of sqrt 2) "
                   "fails on sets no sample meets, so sampling the integers cannot verify it")


def _check(lhs, rhs, relations=(), conditions=(), seed=None, points=POINTS, implicit=(), op="==", screen=False):
    """:func:`check` without the integers' real relaxation.

    With ``screen`` it only looks for a counterexample, cheaply: :data:`SCREEN_POINTS` points,
    two precisions each, and the outcome is 'failed' or 'unverified', never 'verified'.  A
    symbolic proof is accepted only after such a screen.

    ``implicit`` symbols are, like undefined functions, solved for from the relations (their
    assumptions, such as positivity, select among the roots).  ``seed`` defaults to one
    derived from the statement itself.
    """
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    relations = [sp.sympify(r) for r in relations]
    if seed is None:
        seed = statement_seed(lhs, rhs, *relations, *conditions) % 2**32
    # A mean that says which integral it is (``numeric_integral``: the mean over a uniform U is
    # the integral over (0, 1)) has a certified value: the kernel integrates it, and an integral
    # that diverges has no enclosure, so the step stays unverified rather than passing.
    valued = {a: a.numeric_integral() for a in (lhs - rhs).atoms(Opaque)
              if callable(getattr(a, "numeric_integral", None)) and not relations and not implicit}
    if valued:
        lhs, rhs = lhs.xreplace(valued), rhs.xreplace(valued)
    opaque = (lhs - rhs).atoms(Opaque)
    if opaque:
        shown = sorted(map(str, opaque))[0]
        return Outcome("unverified", f"{shown} has no numeric value, so evaluation cannot verify the step (a proof "
                       "can: spectral linearity, exact algebra, elimination, or cited steps that evaluate it)")
    if (lhs - rhs).has(sp.Integral, sp.Sum, sp.Product):
        # mpmath's quadrature and series acceleration carry no error bound: the kernel's
        # certified enclosures decide instead (an infinite sum has one only when the kernel proves
        # a ratio-test tail, kernel.sums; otherwise it stays unverified).
        if op != "==" or relations or implicit:
            return Outcome("unverified", "an integral or sum compared by an order relation, or with names "
                           "solved from premises, has no certified value here: evaluate it in closed form first")
        try:
            # A mean's integral (a quantile with a parameter: u^a near a = -1) may converge
            # too slowly to enclose; it gets a budget of its own, not the whole step's.
            with cpu_limit(MEAN_INTEGRAL_SECONDS if valued else None):
                found = evidence.check(lhs, rhs, conditions, points=points, screen=screen, seed=seed)
        except BudgetExceeded:
            return Outcome("unverified", f"the integrals of {', '.join(sorted(map(str, valued)))[:120]} were not "
                           f"enclosed within {MEAN_INTEGRAL_SECONDS:g} CPU seconds")
        return Outcome(found.status, found.evidence, found.details)
    jumps = jump_arguments([lhs - rhs] + relations)
    # The ladder starts above the scale the constants set: x = x + 10^-500 must not be a
    # coincidence of 50-digit rounding.
    ladder = tuple(d + max(0, constant_scale(lhs - rhs, *relations) + 30 - DIGITS) for d in LADDER)
    # A premise that holds identically (an identity between closed forms) constrains nothing:
    # solving an implicit symbol from it would only find wherever the root finder wandered.
    relations = [r for r in relations if not _identity(r, seed)]
    constrained = set().union(*(r.free_symbols for r in relations))
    # An implicit symbol no remaining premise mentions is as free as a parameter.
    implicit = sorted(set(implicit) & constrained, key=str)
    conditions = list(conditions) + [c for c in map(sign_condition, implicit) if c is not None]
    unknowns = _unknown_atoms([lhs, rhs] + relations + [c for c in conditions]) + implicit
    # A placeholder keeps the unknown's sign and realness: roots that violate them are no values.
    # (An extended one as its finite counterpart: roots are finite numbers.)
    placeholders = {atom: sp.Dummy(f"u{i}", positive=True) if atom.is_extended_positive else
                    sp.Dummy(f"u{i}", negative=True) if atom.is_extended_negative else
                    sp.Dummy(f"u{i}", real=True) if atom.is_extended_real else sp.Dummy(f"u{i}")
                    for i, atom in enumerate(unknowns)}
    # An unknown declared positive (a symbol or Function('M', positive=True)) selects its roots.
    conditions = conditions + [sp.Gt(p, 0, evaluate=False) for a, p in placeholders.items()
                               if a.is_extended_positive and not isinstance(a, sp.Symbol)]
    lhs, rhs = lhs.xreplace(placeholders), rhs.xreplace(placeholders)
    relations = [r.xreplace(placeholders) for r in relations]
    jumps = [j.xreplace(placeholders) for j in jumps]
    conditions = [c.xreplace(placeholders) for c in conditions]
    unknown_symbols = list(placeholders.values())

    free = (lhs.free_symbols | rhs.free_symbols).union(*(r.free_symbols for r in relations))
    free -= set(unknown_symbols)
    for c in conditions:
        free |= c.free_symbols - set(unknown_symbols)
    outer = [c for c in conditions if not (c.free_symbols & set(unknown_symbols))]
    inner = [c for c in conditions if c.free_symbols & set(unknown_symbols)]

    countable = True
    if unknown_symbols:
        useful = [r for r in relations if r.free_symbols & set(unknown_symbols)]
        if len(useful) < len(unknown_symbols):
            names = ", ".join(str(a) for a in unknowns)
            return Outcome("unverified", f"{names} not determined by the premises")
        # Roots of relations transcendental in the unknowns (sin(y/1000) = 0) are found by
        # random starts, never all of them: "holds at every root" would mean "at those found".
        countable = not any(_transcendental_in(r, unknown_symbols) for r in useful)

    if screen:
        points = min(points, SCREEN_POINTS)
    rng = np.random.default_rng(seed)
    # With names solved from premises the points stay in the bands: at uniform interior points
    # of a range, Newton's polish left takanami2025's letey-idg undecided (residual 1e-207 at
    # every precision), an open question of the root finder's, not evidence either way.
    sample = admissible_points(free, outer, points * 2, rng, complex_zero=True,
                               scale=constant_scale(lhs - rhs, *relations), ranges=not unknown_symbols)
    if not screen:
        sample = _with_kink_points(sample, lhs - rhs, free, outer)
    # Points at +-oo (a name declared extended real) are for evaluation alone: no ball, margin
    # search or cut point is made at infinity.
    finite = [p for p in sample if not any(_infinite(v) for v in p.values())]
    tried, worst, undecided = 0, mpmath.mpf(0), 0
    uncertified = None  # a point where mpmath saw a counterexample that Arb could not certify
    placed = None  # an exact point (an edge, a kink) where the statement was not decided
    for point in sample:
        if tried == points:
            break
        try:
            roots = _solve_unknowns(relations, unknown_symbols, point, rng) if unknown_symbols else [{}]
        except EVALUATION_ERRORS:
            continue
        roots = [r for r in roots if all(_holds(c, {**point, **r}) for c in inner)]
        if not roots:
            continue
        counted = False
        for root in roots:
            full = {**point, **root}
            # At a point placed exactly, sympy's automatic evaluation may decide (computed once).
            exact = None if unknown_symbols else _exactly(lhs - rhs, full)
            try:
                # The first points climb one precision higher: near-identities down to 1e-380.
                if any(_infinite(v) for v in full.values()):
                    verdict, residual = _at_infinity(lhs, rhs, op, full)
                elif exact is not None:
                    verdict, residual = _exact_verdict(op, exact)
                else:
                    verdict, residual = _decide(lhs, rhs, op, full, relations, unknown_symbols, rng,
                                                shrinks_needed=3 if tried < DEEP_POINTS else 2,
                                                levels=2 if screen else len(LADDER), ladder=ladder)
            except EVALUATION_ERRORS:
                continue
            if verdict is None and placed is None and any(_infinite(v) for v in point.values()):
                # No value at an infinite point of a name that may be infinite (oo/oo): the
                # statement's value there is not known, so neither is whether it holds.
                placed = _show(full, placeholders)
            if verdict is None:
                if unknown_symbols:
                    # A root of the premises where the statement has no value: not established there.
                    counted = True
                    undecided += 1
                continue
            counted = True
            if verdict != "undecided":
                worst = max(worst, residual)
            if verdict == "failed" and _near_jump(jumps, full) and exact is None:
                # Beside a jump the value depends on the last digit of an argument: no evidence.
                undecided += 1
                continue
            if (verdict == "failed" and op == "==" and not unknown_symbols and exact is None
                    and not _certified_nonzero(lhs, rhs, full)):
                # mpmath's counterexample is a proposal: where Arb's ball of lhs - rhs does not
                # exclude 0 (a cancellation deeper than the ladder saw: cosh(e^x)^2 - sinh(e^x)^2
                # at x = 1191), it is no counterexample; nor is the step verified (below).
                undecided += 1
                uncertified = uncertified or _show(full, placeholders)
                continue
            if verdict == "failed":
                shown = _show(full, placeholders)
                what = ("residual" if op == "==" else f"'{op}' fails: lhs - rhs =") + f" {mpmath.nstr(residual, 3)}"
                if op == "==":
                    what += " (relative)"
                sides, values = _sides(lhs, rhs, full)
                if exact is not None:
                    what, sides = f"lhs - rhs = {exact} exactly (sympy's arithmetic at the exact point)", ""
                where = f" at {shown}" if shown else ""
                return Outcome("failed", f"{what}{where}{sides}", {"point": shown, "residual": float(residual), **values})
            undecided += verdict == "undecided"
            if verdict == "undecided" and placed is None and (
                    is_placed(point) or any(_infinite(v) for v in point.values())):
                placed = _show(full, placeholders)
        tried += counted
    if tried == 0:
        return Outcome("unverified", "no admissible point where the statement could be evaluated")
    if not countable and not screen:
        return Outcome("unverified", f"no counterexample at {tried} random points, at the roots found; but the "
                       "premises are not polynomial in the names solved for, so their roots cannot all be "
                       "found, and the statement may fail at another")
    if jumps and not screen:
        exact = (_exact_at_roots(lhs, rhs, op, relations, unknown_symbols, inner, free)
                 or _exact_at_integers(lhs, rhs, op, jumps, unknown_symbols, finite[:points]))
        if exact is not None:
            return exact
        shown = ", ".join(sorted(map(str, jumps))[:2])
        return Outcome("unverified", f"no counterexample at {tried} random points, but the statement holds "
                       f"functions with jumps (where {shown} is an integer or 0): random points never land "
                       "on a jump, where such a statement can fail, so sampling cannot verify it")
    if screen:
        return Outcome("unverified", f"no counterexample at {tried} random points (a screen)")
    if op == "!=":
        return Outcome("unverified", f"the two sides differ at {tried} random points, but sampling cannot "
                       "establish '!=' (a random point never hits where they agree)")
    if op != "==":
        if placed is not None:
            return Outcome("unverified", f"'{op}' holds at random points, but was not decided at the exact point "
                           f"{placed} (placed on an edge, a kink or at infinity), where it can fail")
        if undecided:
            return Outcome("unverified", f"'{op}' holds at {tried - undecided} of {tried} random points; "
                           "at the others lhs - rhs is within round-off of 0")
        def admissible_roots(point):
            return [r for r in _solve_unknowns(relations, unknown_symbols, point, rng)
                    if all(_holds(c, {**point, **r}) for c in inner)]

        solve = admissible_roots if unknown_symbols else None
        found = margin.search(lhs, rhs, op, outer, finite[:points], placeholders, solve=solve)
        if found is not None:
            status, text, point = found
            if status == "failed":
                for root in (admissible_roots(point) if unknown_symbols else [{}]):
                    full = {**point, **root}
                    verdict, residual = _decide(lhs, rhs, op, full, relations, unknown_symbols, rng,
                                                ladder=ladder)
                    if verdict == "failed":
                        shown = _show(full, placeholders)
                        return Outcome("failed", f"'{op}' fails: lhs - rhs = {mpmath.nstr(residual, 3)} at {shown} "
                                       "(found by minimising the margin)", {"point": shown, "residual": float(residual)})
            else:
                return Outcome("unverified", text)
        return Outcome("verified", f"'{op}' holds at {tried} random points ({DIGITS} digits and up), "
                       "boundary points of the conditions included, and where a local search minimised "
                       "the margin; sampled, not proved",
                       {"points": tried})
    decided = tried - undecided
    if decided < MIN_DECIDED:
        return Outcome("unverified", f"decided at only {decided} of {len(sample)} random points (the premises "
                       "have no admissible root, or the precision did not resolve the others)")
    if placed is not None:
        return Outcome("unverified", f"not decided at the exact point {placed} (placed on an edge, a kink or "
                       "at infinity), where a statement true at random points can fail")
    if uncertified is not None:
        return Outcome("unverified", f"mpmath's ladder saw lhs - rhs nonzero at {uncertified}, but Arb's ball "
                       "there does not exclude 0 (a cancellation deeper than the precision reached): neither a "
                       "counterexample nor evidence")
    if undecided * 3 <= tried and not relations:
        # mpmath's ladder proposes; the kernel's balls confirm at the same points (kinks and
        # edges included), or refute with a certified counterexample that round-off cannot
        # explain (a kink's term 10^-60 of the others, beyond the ladder's first steps).
        confirmation = evidence.check(lhs, rhs, outer, sample=finite[:points])
        if confirmation.status == "failed" or confirmation.details.get("cut"):
            return Outcome(confirmation.status, confirmation.evidence, confirmation.details)
        if confirmation.status != "verified":
            # Where a principal branch jumps along a line no random point meets (kernel.cuts).
            on_cut = cuts.verdict(lhs, rhs, finite[:points], outer)
            if on_cut is not None:
                return Outcome(*on_cut)
    if undecided * 3 <= tried:
        return Outcome("verified", f"|residual| <= {mpmath.nstr(worst, 2)} (relative) at {tried} "
                       f"random points{f' ({undecided} not resolved)' if undecided else ''}, shrinking "
                       f"like round-off as the precision rose from {DIGITS} digits",
                       {"points": tried, "worst_residual": float(worst)})
    return Outcome("unverified", f"residual {mpmath.nstr(worst, 3)} is neither round-off nor clearly "
                   "nonzero", {"worst_residual": float(worst)})


def _certified_nonzero(lhs, rhs, point):
    """Whether Arb's ball of ``lhs - rhs`` at ``point`` excludes 0 (the kernel's certificate
    of a counterexample), on a ladder above the constants' scale; a statement Arb cannot
    enclose keeps mpmath's verdict only where the ladder resolved it (True)."""
    try:
        verdict, _ = evidence.decide_at(lhs, rhs, point, evidence.precision_ladder(lhs - rhs))
    except evidence.NoEnclosure:
        return True
    if verdict == "undecided":
        return not _ball_route(lhs - rhs, point)
    return verdict == "nonzero"


def _ball_route(expr, point):
    """Whether Arb encloses ``expr`` at ``point`` at all (else mpmath's word stands)."""
    try:
        evidence.enclose(expr, point, 64)
        return True
    except (evidence.NoEnclosure, *EVALUATION_ERRORS):
        return False


#: Functions with jumps, and the argument whose integer values (or zero) are the jumps.
_JUMP_AT_INTEGERS = (sp.floor, sp.ceiling, sp.frac)
_JUMP_AT_ZERO = (sp.sign, sp.Heaviside, sp.DiracDelta)


def jump_arguments(exprs):
    """The arguments at whose integer values (floor, ceiling, frac, Mod) or zeros (sign,
    Heaviside, KroneckerDelta's difference, a Piecewise condition's two sides) a function in
    ``exprs`` jumps: where a statement true at every random point can still be false.

    >>> t = sp.Symbol("t")
    >>> jump_arguments([sp.floor(t**2) + sp.sign(t - 1)])
    [t**2, t - 1]
    """
    found = []
    for expr in exprs:
        expr = sp.sympify(expr)
        for atom in sp.preorder_traversal(expr):
            if isinstance(atom, _JUMP_AT_INTEGERS + _JUMP_AT_ZERO):
                found.append(atom.args[0])
            elif isinstance(atom, sp.Mod):
                found.append(atom.args[0] / atom.args[1])
            elif isinstance(atom, sp.Pow) and atom.base == 0:
                found.append(atom.exp)  # 0^g: 0 for g > 0, 1 at g = 0
            elif isinstance(atom, sp.KroneckerDelta):
                found.append(atom.args[0] - atom.args[1])
            elif isinstance(atom, sp.Piecewise):
                for _, condition in atom.args:
                    for relation in sp.preorder_traversal(condition):
                        if isinstance(relation, sp.core.relational.Relational):
                            found.append(relation.lhs - relation.rhs)
    unique = []
    for argument in found:
        if argument not in unique and argument.free_symbols:
            unique.append(argument)
    return unique


#: Relative distance from a kink at which the points beside it sit: exact, below any float's
#: resolution and any window a random point could reach.
KINK_DISTANCE = sp.Rational(1, 10**30)
#: Points tried beside kinks, at most (each one replaces a random point).
KINK_POINTS = 4


def kink_arguments(expr):
    """The expressions whose zeros are the kinks of the ``Abs``, ``Max`` and ``Min`` in ``expr``
    (where ``|g|`` or ``max(a, b)`` changes branch).

    >>> a, b = sp.symbols("a b", real=True)
    >>> kink_arguments(sp.Max(a, b) + sp.Abs(a - 1))
    [a - 1, a - b]
    """
    found = set()
    for atom in sp.sympify(expr).atoms(sp.Abs, sp.Max, sp.Min):
        if isinstance(atom, sp.Abs):
            found.add(atom.args[0])
        else:
            found.update(p - q for i, p in enumerate(atom.args) for q in atom.args[i + 1:])
    return sorted((g for g in found if g.free_symbols), key=sp.default_sort_key)


def zero_jump_arguments(expr):
    """The expressions at whose zeros a function in ``expr`` jumps to a value of its own: the
    exponent ``g`` of ``0^g`` (0 for ``g > 0``, 1 at ``g = 0``), and the arguments of ``sign`` and
    ``Heaviside``.  A statement false only there (``0^((x - sqrt 2)^2) = 0``) is tried on them.

    >>> x = sp.Symbol("x", real=True)
    >>> zero_jump_arguments(sp.Pow(0, (x - 2)**2, evaluate=False) + sp.sign(x))
    [x, (x - 2)**2]
    """
    found = set()
    for node in sp.preorder_traversal(sp.sympify(expr)):
        if isinstance(node, sp.Pow) and node.base == 0 and node.exp.free_symbols:
            found.add(node.exp)
        elif isinstance(node, (sp.sign, sp.Heaviside)) and node.args[0].free_symbols:
            found.add(node.args[0])
    return sorted(found, key=sp.default_sort_key)


def _with_kink_points(sample, expr, free, conditions):
    """``sample`` with points just beside the kinks of ``expr`` put among the first ones.

    A statement with ``max(a, b)`` or ``|g|`` may hold on one side of a kink and fail on a
    window beside it that no random point reaches (``max(a, b) = a`` where ``a > b - 10^-20``):
    at a random point, one symbol is moved onto the kink exactly (the others' floats taken as
    the exact numbers they are) and then :data:`KINK_DISTANCE` to each side.
    """
    kinks = [g for g in kink_arguments(expr) if g.free_symbols <= free]
    jumps = [g for g in zero_jump_arguments(expr) if g.free_symbols <= free]
    if not (kinks or jumps) or not sample:
        return sample
    extra = []
    for g in kinks + jumps:
        for s in sorted(g.free_symbols, key=str):
            if not s.is_extended_real or len(extra) >= KINK_POINTS:
                continue
            point = sample[len(extra) % len(sample)]
            try:
                others = substitute_exactly(g, {o: v for o, v in point.items() if o != s})
                with cpu_limit(1.0):
                    roots = [r for r in sp.solve(others, s) if r.is_real and not r.free_symbols]
            except (BudgetExceeded, NotImplementedError, TypeError, ValueError):
                continue
            for root in roots[:1]:
                # On a jump itself (where the function takes a value of its own), beside a kink.
                for side in ((0,) if g in jumps and g not in kinks else (-1, 1)):
                    moved = {**point, s: Exact(root + side * KINK_DISTANCE * max(1, abs(root)))}
                    try:
                        if satisfies(s, moved[s]) and all(condition_holds(c, moved) for c in conditions):
                            extra.append(moved)
                    except EVALUATION_ERRORS:
                        continue
    extra = extra[:KINK_POINTS]
    # Among the first points, so that the first points a caller uses meet them.
    mixed = list(sample)
    for i, point in enumerate(extra):
        mixed.insert(2 + 3 * i, point)
    return mixed


def _transcendental_in(relation, unknowns):
    """Whether ``relation`` involves the unknowns through a function other than powers and roots
    (sin, exp, log, ...), or in an exponent: then it may have infinitely many roots."""
    unknowns = set(unknowns)
    for node in sp.preorder_traversal(relation):
        if isinstance(node, sp.Pow) and node.exp.free_symbols & unknowns:
            return True
        if (isinstance(node, sp.Function) and not isinstance(node, AppliedUndef)
                and node.free_symbols & unknowns):
            return True
    return False


def _exact_at_roots(lhs, rhs, op, relations, unknowns, conditions, free):
    """The verdict of exact arithmetic, for a statement with no free parameter whose unknowns
    are fixed by one polynomial relation with exact coefficients: sympy's exact roots (those
    with the unknown's realness and sign, meeting the conditions) put in, and the difference
    decided exactly, jumps included (floor(2) is 2, sign(0) is 0).  None when that does not
    apply or sympy cannot decide."""
    if free or op != "==" or len(unknowns) > 1:
        return None
    if not unknowns:
        roots = [{}]
    else:
        useful = [r for r in relations if r.free_symbols & set(unknowns)]
        unknown = unknowns[0]
        try:
            with cpu_limit(EXACT_SECONDS):
                numerator = sp.together(useful[0]).as_numer_denom()[0]
                polynomial = sp.Poly(numerator, unknown)
                if not all(c.is_Rational for c in polynomial.all_coeffs()):
                    return None
                roots = [{unknown: root} for root in set(polynomial.all_roots())]
        except (BudgetExceeded, sp.PolynomialError, NotImplementedError, ValueError, TypeError):
            return None
    verdicts = []
    for root in roots:
        try:
            with cpu_limit(EXACT_SECONDS):
                if any(sp.simplify(substitute(r, root)) != 0 for r in relations):
                    continue
                if not all(_assumed_exactly(u, v) for u, v in root.items()):
                    continue
                if not all(bool(substitute(c, root)) for c in conditions):
                    continue
                difference = sp.simplify(substitute(lhs - rhs, root))
        except (BudgetExceeded, TypeError, ValueError, NotImplementedError):
            return None
        if difference == 0:
            verdicts.append(True)
        elif difference.is_number and difference.is_zero is False:
            shown = ", ".join(f"{k} = {v}" for k, v in root.items())
            return Outcome("failed", f"exactly at the root {shown}: lhs - rhs = {difference}")
        else:
            return None
    if not verdicts:
        return None
    return Outcome("verified", f"exactly, in sympy's arithmetic, at every one of the {len(verdicts)} admissible "
                   "exact roots of the premises (the statement has no free parameter)")


def _exact_at_integers(lhs, rhs, op, jumps, unknowns, sample):
    """For jumps whose arguments depend on integer symbols only, and no unknowns: the statement
    decided exactly at the sampled integer points (a jump is then where the points are, and
    exact arithmetic lands on it: n^2 mod 8 at n = 5 is 1, whatever the precision).  The
    evidence is sampling, as for any statement about integers.  None when that does not apply."""
    if unknowns or op != "==" or not all(s.is_integer for j in jumps for s in j.free_symbols):
        return None
    points = [p for p in sample if all(s.is_integer for s in p)]
    if len(points) < MIN_DECIDED:
        return None
    decided = 0
    for point in points:
        exact = {s: sp.Integer(int(exact_value(v))) if s.is_integer else exact_value(v) for s, v in point.items()}
        try:
            substituted = substitute_exactly(lhs - rhs, exact)
        except ValueError:
            continue  # a huge integer this statement cannot take exactly (2^n at n = 10^40)
        try:
            with cpu_limit(EXACT_SECONDS):
                difference = sp.simplify(substituted)
        except (BudgetExceeded, TypeError, ValueError, NotImplementedError):
            return None
        if difference != 0:
            if difference.is_number and difference.is_zero is False:
                shown = ", ".join(f"{k}={v}" for k, v in exact.items())
                return Outcome("failed", f"exactly at {shown}: lhs - rhs = {difference}")
            return None
        decided += 1
    if decided < MIN_DECIDED:
        return None
    return Outcome("verified", f"exactly, in sympy's arithmetic, at {decided} random integer points (the jumps "
                   "depend on integer symbols only, and sit where the points are)")


def _assumed_exactly(unknown, value):
    """Whether the exact ``value`` has the realness and sign ``unknown`` assumes."""
    if unknown.is_real and value.is_real is not True:
        return False
    if unknown.is_positive and value.is_positive is not True:
        return False
    if unknown.is_negative and value.is_negative is not True:
        return False
    return True


#: CPU seconds for one exact root-finding or simplification of :func:`_exact_at_roots`.
EXACT_SECONDS = 10


def _near_jump(jumps, point, digits=DIGITS // 2):
    """Whether some jump argument is, at ``point``, within 10^-digits of an integer, or too large
    for its distance to one to be resolved: there the statement's value rests on digits the
    evaluation does not hold."""
    gap = mpmath.mpf(10) ** -digits
    for argument in jumps:
        try:
            value = mpmath.mpmathify(evaluate(argument, point, dps=2 * DIGITS))
        except (TypeError, ValueError, ZeroDivisionError):
            return True
        if not mpmath.isfinite(value) or abs(mpmath.im(value)) > gap:
            continue
        real = mpmath.re(value)
        # An argument with more integer digits than the precision holds has no fractional part
        # to speak of; otherwise its distance to the nearest integer must be resolved.
        if abs(real) * mpmath.mpf(10) ** (-2 * DIGITS) > gap or abs(real - mpmath.nint(real)) <= gap:
            return True
    return False


#: Working precisions, climbed until the residual's behaviour decides (module docstring).
LADDER = (50, 100, 200, 400, 800, 1600)
#: Points of the screen that runs before a symbolic proof is accepted.
SCREEN_POINTS = 8
#: Fewer decided points than this settle nothing.
MIN_DECIDED = 5
#: Points that climb one precision further before an equality counts as holding there.
DEEP_POINTS = 3
#: Two evaluations "agree" when they differ by less than this, relatively: a stable value.
AGREE = mpmath.mpf("1e-3")


def _decide(lhs, rhs, op, point, relations, unknowns, rng, shrinks_needed=2, levels=len(LADDER), ladder=LADDER):
    """``(verdict, size)`` at one point: verdict 'holds', 'failed', 'undecided' or None (no
    value there); size the relative residual (equality) or ``lhs - rhs`` (order relations).

    The difference is evaluated at rising precision (:data:`LADDER`).  Round-off shrinks by
    about as many digits as are added; a true nonzero value, however small, does not move once
    the precision resolves it.  So the residual is

    * *zero* when it shrank by (nearly) the added digits at two successive steps;
    * *nonzero* when two successive precisions agree on it;
    * undecided while neither happens (cancellation deeper than the precision), up to the
      top of the ladder.
    """
    previous = None
    shrinks = 0
    for level, dps in enumerate(ladder[:levels]):
        at = point
        if level and unknowns:
            polished = _polish(relations, unknowns, point, dps)
            if polished is None:
                break
            at = {**point, **polished}
        try:
            value = _difference(lhs, rhs, at, dps)
        except EVALUATION_ERRORS:
            value = None
        if value is None:
            return (None, None) if level == 0 else ("undecided", previous[0])
        difference, sides = value
        # Equalities: relative to 1 + |lhs| + |rhs|; relations: to the sides alone, so that a
        # difference of exp(-3622) from 0 is not taken for round-off.
        size = abs(difference) / (1 + sides if op == "==" else sides if sides else 1)
        if previous is not None:
            before, added = previous[0], dps - previous[1]
            # Stable means the difference itself agrees, not its size relative to the sides:
            # garbage from cancellation divided by itself would look stable.
            if size > mpmath.mpf(10) ** (-dps + 5) and abs(difference - previous[2]) <= AGREE * abs(difference):
                if unknowns and _denominator_vanishes(lhs - rhs, at, dps):
                    # A root of the premises where the statement is 0/0: no value, no evidence.
                    return "undecided", size
                if _cancellation_digits((lhs, rhs, lhs - rhs), at, dps) < dps - 15:
                    return _nonzero(op, difference, size)
                if not unknowns:
                    # Deep cancellation somewhere: let sympy's adaptive evalf settle the sign.
                    exact = _evalf(lhs - rhs, at)
                    if exact is not None and exact != 0:
                        return _nonzero(op, exact, size)
            if size == 0 and _cancellation_digits((lhs, rhs), at, dps) >= dps - 15:
                # Exactly 0 from sums whose terms the precision cannot resolve: not evidence.
                shrinks = 0
            elif size <= max(before * mpmath.mpf(10) ** (-(added - 15)), mpmath.mpf(10) ** (-(dps - 10))):
                shrinks += 1
                if shrinks == shrinks_needed:
                    return ("holds" if op != "!=" and 0 in ORDER[op] else "failed"), size
            else:
                shrinks = 0
            if level == 1 and not shrinks and _cancellation_digits((lhs, rhs), at, dps) > LADDER[-1]:
                break  # cancels more digits than the ladder reaches: undecided, without the climb
        previous = (size, dps, difference)
    return "undecided", previous[0] if previous else None


def _infinite(value):
    return isinstance(value, (float, mpmath.mpf)) and mpmath.isinf(value)


def _at_infinity(lhs, rhs, op, point):
    """``(verdict, size)`` at a point where a name declared extended real is +-oo: the two sides
    as sympy's own arithmetic gives them there (``1/(oo^2 + 1) = 0``, ``atan(oo) = pi/2``,
    ``log(oo) = oo``), compared by sympy; 'undecided' where a side has no value (``oo/oo``)
    or the comparison is not settled.  The statement's value at oo is what its symbols' extended
    values give, not a limit the checker would have to prove."""
    exact = {s: (sp.oo if v > 0 else -sp.oo) if _infinite(v) else exact_value(v) for s, v in point.items()}
    try:
        with cpu_limit(EXACT_SECONDS):
            left, right = substitute(lhs, exact), substitute(rhs, exact)
            if sp.nan in (left, right) or left.has(sp.nan, sp.zoo) or right.has(sp.nan, sp.zoo):
                return _order_at_infinity(lhs - rhs, op, point) if op not in ("==", "!=") else ("undecided", 0)
            if op in ("==", "!=") and not _definite_at_infinity(left, right):
                return "undecided", mpmath.mpf(0)
            relation = RELATIONS[op](left, right)
    except (BudgetExceeded, TypeError, ValueError, ArithmeticError):
        return "undecided", mpmath.mpf(0)
    if relation is sp.true:
        return "holds", mpmath.mpf(0)
    if relation is sp.false:
        difference = left - right
        return "failed", mpmath.mpf(difference) if difference.is_finite else mpmath.nan
    if op in ("==", "!="):
        return "undecided", mpmath.mpf(0)
    return _order_at_infinity(lhs - rhs, op, point)


def _definite_at_infinity(left, right):
    """Whether the two sides' values at an infinite point can be compared for (in)equality:
    each a number of the extended reals (``+-oo`` included: ``e^(2x) = e^x e^x`` is ``oo = oo``
    at ``x = oo``, equal values).  A bounded oscillation (``sin(oo)``, an ``AccumBounds``) is no
    value: sympy calls ``Eq(sin(oo), cos(oo))`` True, the two bounds being the same; nor is a
    nan or a complex infinity: neither is agreement, nor disagreement."""
    return not any(side.has(sp.AccumBounds, sp.zoo, sp.nan) for side in (left, right))


def _order_at_infinity(expr, op, point):
    """An order relation at a point with one name at +-oo that sympy's arithmetic leaves
    undecided (``x^3 - x + 1`` is ``oo - oo``): the sign of ``lhs - rhs`` there is that of its
    leading term in ``t = 1/x`` (Arb's certified Laurent coefficients), when that term's ball
    excludes 0 and is real: ``+-oo`` for a negative power, the value itself for ``t^0``."""
    from .kernel import taylor

    infinite = [s for s, v in point.items() if _infinite(v)]
    if len(infinite) != 1:
        return "undecided", mpmath.mpf(0)
    x = infinite[0]
    t = sp.Dummy("t", positive=True)
    sign = 1 if point[x] > 0 else -1
    local = sp.sympify(expr).xreplace({x: sign / t})
    others = {s: v for s, v in point.items() if s != x}
    try:
        series = taylor.laurent(local, t, others, 1, positive=True).normalized()
        power = series.valuation
        ball = series.coefficient(power) if power < 1 else None
    except (taylor.NoEnclosure, *EVALUATION_ERRORS):
        return "undecided", mpmath.mpf(0)
    if ball is None or not (ball.imag == 0) or ball.real.contains(0):
        return "undecided", mpmath.mpf(0)
    value = 1 if ball.real > 0 else -1
    size = mpmath.inf * value if power < 0 else mpmath.mpf(float(ball.real.mid()))
    return ("holds" if value in ORDER[op] else "failed"), size


def _exact_verdict(op, exact):
    """``(verdict, size)`` for a difference known exactly (:func:`_exactly`), as :func:`_decide`
    gives them."""
    if exact == 0:
        return ("holds" if 0 in ORDER[op] else "failed"), mpmath.mpf(0)
    value = mpmath.mpf(exact)
    return _nonzero(op, value, abs(value) / (1 + abs(value)) if op == "==" else value)


def _exactly(expr, point):
    """``expr`` at a point placed exactly (an edge, a kink or a cut: some value an
    :class:`~derive.sampling.Exact`), as the rational number sympy's automatic evaluation
    reduces it to when the point is put in (``0^(a^2 - 2)`` at ``a = sqrt 2`` is ``0^0 = 1``,
    where 50 digits of ``sqrt 2`` give ``0^(10^-50) = 0``); None elsewhere, or when it does not
    reduce to a rational."""
    if not is_placed(point):
        return None
    try:
        value = substitute_exactly(expr, point)
    except (ValueError, TypeError, ArithmeticError):
        return None
    return value if isinstance(value, sp.Rational) else None


@functools.lru_cache(maxsize=256)
def _denominator(expr):
    return sp.together(expr).as_numer_denom()[1]


def _denominator_vanishes(expr, point, dps):
    """Whether the common denominator of ``expr`` is 0 at ``point`` to half the precision,
    relative to its terms."""
    denominator = sp.expand(_denominator(expr))
    if not denominator.free_symbols:
        return False
    try:
        value = abs(evaluate(denominator, point, dps))
        terms = sum(abs(evaluate(t, point, dps)) for t in sp.Add.make_args(denominator))
    except EVALUATION_ERRORS:
        return False
    return value <= mpmath.mpf(10) ** (-dps // 2) * terms


def _cancellation_digits(exprs, point, dps):
    """How many digits the sums in ``exprs`` cancel at ``point``: the largest
    ``log10(max |term| / |sum|)`` over every sum in the expression trees (infinite for a sum
    that comes out exactly 0).

    Two precisions can agree on garbage: ``cosh(304)^2 - sinh(304)^2`` is exactly 0 at any
    precision below 264 digits.  A difference is trusted as nonzero only when the precision
    exceeds the cancellation by a margin.
    """
    worst = 0.0
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            if not isinstance(node, sp.Add):
                continue
            try:
                total = abs(evaluate(node, point, dps))
                biggest = max(abs(evaluate(arg, point, dps)) for arg in node.args)
            except EVALUATION_ERRORS:
                return float("inf")
            if biggest == 0:
                continue
            if total == 0:
                # Exactly 0: trustworthy only if the precision resolves an O(1) result next to
                # terms this large.
                worst = max(worst, float(mpmath.log10(biggest)) + 20 if biggest > 1 else 0.0)
                continue
            worst = max(worst, float(mpmath.log10(biggest / total)))
    return worst


def _evalf(expr, point):
    """``expr`` at ``point`` (values taken as exact rationals) by sympy's adaptive evalf, which
    raises the precision until 15 digits are right; an mpmath number, 0, or None if it cannot."""
    try:
        value = substitute_exactly(expr, point).evalf(15, maxn=4000, strict=True)
    except Exception:  # PrecisionExhausted, or a function evalf cannot evaluate
        return None
    if value == 0:
        return 0
    if not value.is_number or value.has(sp.nan, sp.zoo, sp.oo):
        return None
    re, im = value.as_real_imag()
    return mpmath.mpc(float(re), float(im)) if im != 0 else mpmath.mpf(float(re))


def _nonzero(op, difference, size):
    """The verdict for a difference established to be nonzero."""
    if op == "==":
        return "failed", size
    if isinstance(difference, mpmath.mpc) and abs(difference.imag) > AGREE * abs(difference):
        return "failed", abs(difference)  # not real: the two sides cannot be ordered
    value = difference.real if isinstance(difference, mpmath.mpc) else difference
    return ("holds" if (1 if value > 0 else -1) in ORDER[op] else "failed"), value


def _difference(lhs, rhs, point, dps):
    """``(lhs - rhs, |lhs| + |rhs|)`` at ``dps`` digits, or None where it is not finite."""
    with mpmath.workdps(dps + 10):
        a = evaluate(lhs, point, dps + 10)
        b = evaluate(rhs, point, dps + 10)
        difference, sides = a - b, abs(a) + abs(b)
    if not (mpmath.isfinite(difference) and mpmath.isfinite(sides)):
        return None
    return difference, sides


def _polish(relations, unknowns, point, digits=None):
    """Newton's method at ``digits`` (default :data:`FINE_DIGITS`) from the roots in ``point``;
    None if it fails.

    The relations are evaluated with the parameters as they are (exact binary values), never
    substituted into sympy first: sympy would round their products to the coarse precision.
    """
    parameters = {s: v for s, v in point.items() if s not in unknowns}
    system = [sp.together(r).as_numer_denom()[0] for r in relations if r.free_symbols & set(unknowns)]
    system = system[:len(unknowns)]

    digits = digits or FINE_DIGITS

    def residuals(*values):
        at = {**parameters, **dict(zip(unknowns, values))}
        return [evaluate(r, at, digits) for r in system]

    try:
        with mpmath.workdps(digits):
            start = [mpmath.mpmathify(point[u]) for u in unknowns]
            # No absolute tolerance on |f| (its scale is the coefficients'): the iteration runs to
            # convergence, and the ladder judges the residual it leaves.
            tol = mpmath.mpf(10) ** (-2 * digits + 10)
            if len(unknowns) == 1:
                # The secant method from two starts a hair apart: from one start findroot takes its
                # second point a quarter away, and may land on another root.
                nearby = start[0] + mpmath.mpf(10) ** -40 * (1 + abs(start[0]))
                root = [mpmath.findroot(lambda v: residuals(v)[0], (start[0], nearby), tol=tol, maxsteps=50,
                                        verify=False)]
            else:
                root = list(mpmath.findroot(residuals, start, tol=tol, maxsteps=50, verify=False))
    except (ValueError, ZeroDivisionError, TypeError, mpmath.libmp.NoConvergence):
        return None
    if any(abs(a - b) > mpmath.mpf(10) ** -10 * (1 + abs(b)) for a, b in zip(root, start)):
        return None  # wandered to another root
    return {u: _clean(v, digits) for u, v in zip(unknowns, root)}


def _identity(relation, seed, tries=2):
    """True when ``relation`` vanishes identically: at random values of all its symbols, a sum
    is zero relative to its terms, a product has a factor that is, anything else is exactly 0.
    (An absolute threshold would take ``exp(-10^6 x)(y - 1)`` for an identity and drop it.)"""
    if relation.atoms(AppliedUndef, sp.Derivative, Opaque):
        return False
    symbols = relation.free_symbols
    if not symbols:
        return False
    rng = np.random.default_rng(seed + 7919)
    points = admissible_points(symbols, [], tries, rng)
    if len(points) < tries:
        return False
    try:
        return all(_vanishes(relation, point) for point in points)
    except EVALUATION_ERRORS:
        return False


def _vanishes(expr, point):
    if isinstance(expr, sp.Mul):
        return any(_vanishes(factor, point) for factor in expr.args)
    value = evaluate(expr, point, DIGITS)
    if not mpmath.isfinite(value):
        return False
    if isinstance(expr, sp.Add):
        terms = sum(abs(evaluate(term, point, DIGITS)) for term in expr.args)
        return abs(value) <= PASS * terms
    return value == 0


def _holds(condition, point):
    try:
        return condition_holds(condition, point)
    except EVALUATION_ERRORS:
        return False


def _show(point, placeholders):
    names = {v: k for k, v in placeholders.items()}
    parts = []
    for symbol, value in sorted(point.items(), key=lambda kv: str(kv[0])):
        if symbol in names:
            continue
        parts.append(f"{symbol}={mpmath.nstr(mpmath.mpmathify(value), 8)}")
    return ", ".join(parts)


def _sides(lhs, rhs, point):
    """``(text, details)``: the two sides' values at a counterexample, for the message
    (``; lhs = 4, rhs = 5``) and the JSON details; nothing when they cannot be evaluated."""
    if any(_infinite(v) for v in point.values()):
        # mpmath has no value at +-oo (0 * sin(inf) is nan); sympy's extended arithmetic, which
        # decided there (:func:`_at_infinity`), gives the sides.
        exact = {s: (sp.oo if v > 0 else -sp.oo) if _infinite(v) else exact_value(v) for s, v in point.items()}
        try:
            with cpu_limit(EXACT_SECONDS):
                a, b = substitute(lhs, exact), substitute(rhs, exact)
        except (BudgetExceeded, TypeError, ValueError, ArithmeticError):
            return "", {}
        return f"; lhs = {a}, rhs = {b} (sympy's extended arithmetic)", {"lhs": str(a), "rhs": str(b)}
    try:
        with mpmath.workdps(30):
            a, b = evaluate(lhs, point, 30), evaluate(rhs, point, 30)
        # (a value of 10^78000, binomial(10^40, 2000), has more digits than Python prints)
        return (f"; lhs = {mpmath.nstr(a, 6)}, rhs = {mpmath.nstr(b, 6)}",
                {"lhs": mpmath.nstr(a, 15), "rhs": mpmath.nstr(b, 15)})
    except (ValueError, ZeroDivisionError, TypeError, OverflowError):
        return "", {}


def _solve_unknowns(relations, unknowns, point, rng):
    """All roots found for ``unknowns`` of the relations at ``point`` (parameters fixed)."""
    values = {s: _exact_float(v) for s, v in point.items()}
    system = [substitute(r, values) for r in relations]
    system = [sp.together(r).as_numer_denom()[0] for r in system if r.free_symbols & set(unknowns)]
    if len(system) < len(unknowns):
        # At this point the premises lose the unknowns (z g(z) at z = 0): they fix nothing here,
        # and the point is no evidence either way.
        raise ValueError("the premises do not determine the unknowns at this point")
    if len(unknowns) == 1 and len(system) >= 1:
        try:
            poly = sp.Poly(system[0], unknowns[0])
            with mpmath.workdps(DIGITS):
                roots = mpmath.polyroots([mpmath.mpmathify(c) for c in poly.all_coeffs()],
                                         maxsteps=200, extraprec=200)
            candidates = [{unknowns[0]: _clean(r)} for r in roots]
            return [c for c in candidates if _assumed(c)
                    and all(_small(evaluate(s, {**point, **c}, DIGITS)) for s in system[1:])]
        except (sp.PolynomialError, mpmath.libmp.NoConvergence):
            pass
    functions = [_bounded(sp.lambdify(unknowns, s, modules="mpmath")) for s in system[:len(unknowns)]]
    found = []
    with mpmath.workdps(DIGITS):
        for _ in range(STARTS):
            # A positive unknown starts on the positive axis, log-uniformly over six decades:
            # complex starts would meet the cuts of principal square roots.
            start = [mpmath.mpf(10) ** rng.uniform(-3, 3) if u.is_positive
                     else mpmath.mpc(rng.normal(), rng.normal()) for u in unknowns]
            try:
                if len(unknowns) == 1:  # a scalar problem: findroot returns a number, not a matrix
                    root = mpmath.findroot(functions[0], start[0],
                                           tol=mpmath.mpf(10) ** (-2 * DIGITS + 10), maxsteps=100)
                else:
                    root = mpmath.findroot(functions, start, tol=mpmath.mpf(10) ** (-2 * DIGITS + 10),
                                           maxsteps=100)
            except (ValueError, ZeroDivisionError, mpmath.libmp.NoConvergence, TypeError):
                continue
            values = [root] if len(unknowns) == 1 else list(root)
            values = [_clean(v) for v in values]
            if any(all(abs(a - b) < mpmath.mpf(10) ** (-DIGITS // 2) for a, b in zip(values, other))
                   for other in found):
                continue
            found.append(values)
    return [root for root in (dict(zip(unknowns, values)) for values in found) if _assumed(root)]


#: A Newton iterate beyond this magnitude has diverged (exp(y) = -1 for real y sends it to
#: -10^k, and exp of such a number at 50 digits takes seconds): the start is abandoned.
DIVERGED = mpmath.mpf(10) ** 30


def _bounded(function):
    """``function`` refusing (ValueError) arguments beyond :data:`DIVERGED`."""
    def bounded(*args):
        if any(abs(a) > DIVERGED for a in args):
            raise ValueError("the iteration diverged")
        return function(*args)
    return bounded


def _assumed(root):
    """Whether each value of ``root`` has the realness and sign its unknown assumes (to round-off)."""
    small = mpmath.mpf(10) ** (-DIGITS // 2)
    for unknown, value in root.items():
        value = mpmath.mpmathify(value)
        if unknown.is_real and abs(mpmath.im(value)) > small * (1 + abs(value)):
            return False
        real = mpmath.re(value)
        if (unknown.is_positive and real <= 0) or (unknown.is_negative and real >= 0):
            return False
    return True


def _exact_float(value):
    """The same binary value as a sympy Float carrying DIGITS digits of working precision (an
    exact edge's own value)."""
    if isinstance(value, (Exact, ExactComplex)):
        return value.value
    if isinstance(value, int):
        return sp.Integer(value)
    value = mpmath.mpmathify(value)
    if isinstance(value, mpmath.mpc):
        return sp.Float(value.real, DIGITS) + sp.I * sp.Float(value.imag, DIGITS)
    return sp.Float(value, DIGITS)


def _clean(value, digits=DIGITS):
    """Drop an imaginary part that is only round-off."""
    value = mpmath.mpmathify(value)
    if isinstance(value, mpmath.mpc) and abs(value.imag) <= mpmath.mpf(10) ** (-digits + 10) * (1 + abs(value)):
        return value.real
    return value


def _small(value):
    return abs(value) <= mpmath.mpf(10) ** (-DIGITS // 2)

