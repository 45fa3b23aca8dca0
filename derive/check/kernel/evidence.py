"""Sampled evidence from certified enclosures: the kernel's decision for transcendental steps.

At admissible points (:func:`derive.sampling.admissible_points`: every magnitude band, both
signs, the conditions' edges and kinks exactly), ``lhs - rhs`` is enclosed in a ball
(:mod:`.balls`) at two precisions of a ladder that starts above the scale the statement's
constants set.  At each point the difference is

* **certified nonzero** when a ball excludes 0: a counterexample that no round-off can explain,
  so the step is **failed**;
* **zero-compatible** when at two successive precisions the ball contains 0 and its radius is
  below ``2^(-prec/2)`` of the sides' size, so that a difference larger than that would have
  been seen (at the top precision, about 10^-300 relative; 10^-75 for integrals, whose
  quadrature costs grow with the precision);
* **undecided** otherwise (no finite enclosure: a pole on an integral's path, a value where the
  statement is not defined).

The step is **verified** when at least :data:`MIN_DECIDED` points, and two thirds of those
tried, are zero-compatible and none is nonzero: sampled evidence, certified point by point, not
a proof, and the verdict says so.  A statement false only on a set no point reaches, or by less
than the resolution above, can pass; the soundness corpus measures both.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from flint import acb, arb

from ...sampling import admissible_points, constant_scale, statement_seed
from . import cuts, exact
from .balls import NoEnclosure, enclose, precision  # noqa: F401 (enclose, NoEnclosure re-exported)

POINTS = 20
MIN_DECIDED = 5
#: Precisions in bits; integrals climb a shorter ladder (Gauss-Legendre's cost grows with it).
LADDER = (256, 512, 1024, 2048)
INTEGRAL_LADDER = (128, 256)
SCREEN_POINTS = 6
#: Points for a statement with an integral (each costs up to a second at a kink).
INTEGRAL_POINTS = 12
#: Stop after this many points in a row with no enclosure and none decided.
GIVE_UP_AFTER = 3


class Outcome:
    """What the evidence says: 'verified', 'failed' or 'unverified', with a one-line account."""

    def __init__(self, status, evidence, details=None):
        self.status, self.evidence, self.details = status, evidence, details or {}

    def __repr__(self):
        return f"Outcome({self.status!r}, {self.evidence!r})"


def precision_ladder(expr):
    """The precisions (bits) at which ``expr`` is enclosed: :data:`LADDER` (:data:`INTEGRAL_LADDER`
    with an integral), raised so that it starts above the scale its constants set."""
    base = INTEGRAL_LADDER if expr.has(sp.Integral) else LADDER
    # Start above what the constants set: x + 10^-500 = x must not vanish in 256-bit rounding.
    floor = int(3.33 * (constant_scale(expr) + 40))
    return tuple(p + max(0, floor - base[0]) for p in base)


def _size(ball):
    return abs(ball).upper() if ball.is_finite() else arb("inf")


def decide_at(lhs, rhs, point, ladder):
    """('nonzero' | 'zero' | 'undecided', residual ball) for ``lhs - rhs`` at ``point``.

    The residual is compared with the size of the terms of both sides (``sin^2 + cos^2 - 1``
    is judged against 2, not against itself)."""
    terms = [(1, t) for t in sp.Add.make_args(lhs)] + [(-1, t) for t in sp.Add.make_args(rhs)]
    zero_streak, last = 0, None
    for prec in ladder:
        with precision(prec):
            try:
                balls = [(sign, enclose(term, point, prec)) for sign, term in terms]
            except (NoEnclosure, ZeroDivisionError, ValueError, OverflowError):
                return "undecided", None
            residual = acb(0)
            size = arb(0)
            for sign, ball in balls:
                residual += sign * ball
                size += _size(ball)
            small = abs(residual).upper() <= (size if size.is_finite() and size > 0 else arb(1)) * arb(2) ** (-(prec // 2))
        last = residual
        if not residual.is_finite():
            zero_streak = 0
            continue
        if not residual.contains(0):
            return "nonzero", residual
        if small:
            zero_streak += 1
            if zero_streak == 2:
                return "zero", residual
        else:
            zero_streak = 0
    return "undecided", last


def confirm_zero(expr, points=POINTS):
    """Whether certified evaluation confirms that ``expr`` (a proposal, say sympy's
    ``simplify(expr) == 0``) vanishes, and the :class:`Outcome`: at ``points`` admissible points
    of its symbols, with every unknown function application, derivative of one, or opaque object
    (a spectral mean) taken as a free number of its own: an identity in them must hold whatever
    their values.  Under an integral or a sum such an atom may contain the bound variable, and
    no constant stands for it: not confirmed."""
    # Differentiation is sympy's core (the chain and product rules, no search): trusted, so that
    # d(M^2)/dx and 2 M M' meet; what is left unevaluated is an atom.
    expr = sp.sympify(expr).replace(lambda n: isinstance(n, sp.Derivative), lambda n: n.doit(deep=False))
    atoms = _opaque_atoms(expr)
    if any(_opaque_atoms(node.function) for node in expr.atoms(sp.Integral, sp.Sum, sp.Product)):
        return False, Outcome("unverified", "an unknown function under an integral or a sum has no value")
    generic = {a: sp.Dummy("g", real=True) if a.is_extended_real else sp.Dummy("g") for a in atoms}
    outcome = check(expr.xreplace(generic), sp.Integer(0), points=points)
    return outcome.status == "verified", outcome


def how_zero(expr):
    """How the kernel shows ``expr = 0`` identically: ``"exact"`` (exact algebra,
    :func:`derive.check.kernel.exact.is_zero`, a proof), else ``"sampled"`` (:func:`confirm_zero`,
    certified evaluation at sampled points); None when neither does."""
    if exact.is_zero(expr):
        return "exact"
    return "sampled" if confirm_zero(expr)[0] else None


def _opaque_atoms(expr):
    from sympy.core.function import AppliedUndef

    from ...notation import Opaque

    kinds = (AppliedUndef, Opaque, sp.Derivative, sp.Subs)
    # xreplace works top-down: M'(x) is replaced whole, before the M(x) inside it.
    return {node for node in sp.preorder_traversal(expr) if isinstance(node, kinds)}


def check(lhs, rhs, conditions=(), points=POINTS, screen=False, seed=None, sample=None):
    """Decide ``lhs = rhs`` from certified enclosures at admissible points (module docstring).

    With ``screen``, only look for a certified counterexample at :data:`SCREEN_POINTS` points:
    the outcome is 'failed' or 'unverified'.  A statement with no enclosure at some admissible
    point (an integral through a pole there, an unknown function, an infinite sum with no proved
    tail) is
    'unverified' with the reason: a claim about a value that is not there is not established.
    ``sample`` gives the points instead (another checker's, kinks and edges included).
    """
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    difference = lhs - rhs
    free = sorted(difference.free_symbols | set().union(*(c.free_symbols for c in conditions)), key=str)
    if seed is None:
        seed = statement_seed(lhs, rhs, *conditions) % 2**32
    rng = np.random.default_rng(seed)
    wanted = SCREEN_POINTS if screen else min(points, INTEGRAL_POINTS) if difference.has(sp.Integral) else points
    if sample is None:
        sample = admissible_points(free, list(conditions), wanted * 2, rng, complex_zero=True,
                                   scale=constant_scale(difference))
    ladder = precision_ladder(difference)
    tried = zero = 0
    reason = None
    for point in sample:
        if tried == wanted:
            break
        verdict, ball = decide_at(lhs, rhs, point, ladder)
        tried += 1
        if verdict == "nonzero":
            shown = ", ".join(f"{s} = {show_number(v)}" for s, v in sorted(point.items(), key=lambda kv: str(kv[0])))
            return Outcome("failed", f"certified counterexample (Arb): lhs - rhs in {show_ball(ball)}, which "
                           f"excludes 0, at {shown or 'the only point'}",
                           {"point": shown, "residual": float(abs(ball).lower())})
        zero += verdict == "zero"
        if verdict == "undecided" and reason is None:
            reason = _why_no_enclosure(difference, point, ladder[0])
        if zero == 0 and tried >= GIVE_UP_AFTER and reason is not None:
            break
    if screen:
        return Outcome("unverified", f"no certified counterexample at {tried} points (a screen)")
    if tried and zero >= MIN_DECIDED and zero * 3 >= 2 * tried and reason is None:
        on_cut = cuts.verdict(lhs, rhs, sample[:wanted], conditions)
        if on_cut is not None:
            return Outcome(*on_cut, {"cut": True})
        return Outcome("verified", f"certified evaluation (Arb): lhs - rhs encloses 0 within 2^-{ladder[0] // 2} "
                       f"of the sides at {zero} of {tried} admissible points, at two precisions each"
                       f"{_how_enclosed(difference)}; sampled, not proved", {"points": zero})
    why = f" ({reason})" if reason else ""
    return Outcome("unverified", f"certified evaluation decided {zero} of {tried} points{why}")


def _how_enclosed(expr):
    """What besides Arb's own routines the enclosures rested on, for the verdict's account."""
    notes = []
    if any(node.limits[-1][2] is sp.oo for node in expr.atoms(sp.Sum, sp.Product)):
        notes.append("infinite sums' tails by a ratio test proved by Z3 (kernel.sums)")
    if any(node.function.has(sp.DiracDelta) for node in expr.atoms(sp.Integral)):
        notes.append("Dirac deltas by the sifting rule at roots Arb isolates (kernel.distributions)")
    return "".join(f", {note}" for note in notes)


def _why_no_enclosure(expr, point, prec):
    try:
        enclose(expr, point, prec)
    except NoEnclosure as exc:
        return str(exc)
    except (ZeroDivisionError, ValueError, OverflowError):
        pass
    return None


def show_number(value):
    """A sample point's value in six digits, for a verdict's account."""
    try:
        return sp.sstr(sp.Float(value, 6)) if not isinstance(value, complex) else f"{value:.6g}"
    except (TypeError, ValueError):
        return str(value)


def show_ball(ball):
    """A ball in five digits with its radius, for a verdict's account."""
    return ball.str(5, radius=True) if ball is not None else "?"
