"""Certified Laurent coefficients: the kernel's decision for a series step.

A claim ``f(x) = P(x) + O((x - x0)^n)`` says that the difference ``D(t) = f - P`` at
``x = x0 + t`` (or ``x = 1/t`` at infinity) has no term below ``t^n``.  Where ``D`` is a Laurent
series in ``t`` (a pole is allowed, a branch point or ``log t`` is not), Arb's power series
arithmetic (``acb_series``, through python-flint) encloses each coefficient in a ball, with
rigorous bounds for every operation: ``exp``, ``log``, powers, the trigonometric functions and
the hypergeometric ``pFq`` of a series.  At an admissible point of the parameters, a coefficient
below ``t^n`` whose ball excludes 0 is a **certified counterexample**; the statement is
**verified** when, at enough points, every such coefficient encloses 0 within ``2^(-prec/2)``
of the coefficients of the terms (sampled evidence, the same standard as
:func:`derive.check.kernel.evidence.check` for an identity).

Nothing here uses sympy's ``series``: sympy only parses.  A node Arb cannot expand (``Abs`` of
something that depends on ``t``, an unknown function, ``log t``) raises :class:`NoEnclosure`,
and the rule falls back on its numeric probes.

>>> import sympy as sp
>>> t = sp.Symbol("t")
>>> c = laurent(sp.sin(t) / t**2 - 1 / t, t, {}, order=4).normalized()
>>> c.valuation, [round(float(x.real.mid()), 6) for x in c.coefficients()[:3]]
(Fraction(1, 1), [-0.166667, 0.0, 0.008333])
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import sympy as sp
from flint import acb, acb_series, arb

from ...sampling import admissible_points, constant_scale, is_placed, statement_seed
from .balls import FUNCTIONS, BallEvaluator, NoEnclosure, _touches_negative_axis, point_ball, \
    _touches_ray_from_one, exact_number, precision
from .evidence import GIVE_UP_AFTER, MIN_DECIDED, Outcome, precision_ladder, show_number, show_ball

#: Extra terms carried at the leaves, and how far the length may grow when poles eat into it.
SLACK = 4
MAX_LENGTH = 64
#: Admissible points drawn (twice as many are tried: the regular ones, then those near the
#: conditions' edges, at 0, in every orthant; each costs one series expansion per precision).
POINTS = 8


@dataclasses.dataclass(frozen=True)
class Laurent:
    """``t^valuation * S(t) + O(t^(valuation + len(S)))``, ``S`` an ``acb_series`` whose
    ``prec`` is the number of coefficients known.  The valuation is a fraction: for ``t > 0``,
    ``sqrt(1/t - a) = t^(-1/2) sqrt(1 - a t)`` is a Puiseux series, and the product of two such
    is a Laurent series again."""

    valuation: Fraction
    series: acb_series

    @property
    def length(self):
        return self.series.prec

    @property
    def order(self):
        """Every coefficient below ``t^order`` is known."""
        return self.valuation + self.length

    def coefficients(self):
        """The known coefficients, of ``t^valuation`` up."""
        known = list(self.series.coeffs())
        return known + [acb(0)] * (self.length - len(known))

    def coefficient(self, power):
        """The ball of ``t^power`` (exactly 0 below the valuation, and at a power that is not
        the valuation plus an integer)."""
        if power < self.valuation or (power - self.valuation).denominator != 1:
            return acb(0)
        if power >= self.order:
            raise NoEnclosure(f"t^{power} is beyond the known order {self.order}")
        return self.coefficients()[int(power - self.valuation)]

    def powers(self, below, inclusive=False):
        """The powers of ``t`` this series has below ``t^below`` (or up to it, ``inclusive``)."""
        power = self.valuation
        while power < below or (inclusive and power == below):
            yield power
            power += 1

    def normalized(self):
        """Leading coefficients that are exactly zero moved into the valuation."""
        known = self.coefficients()
        shift = 0
        while shift < len(known) and known[shift].is_zero():
            shift += 1
        if shift == 0:
            return self
        return Laurent(self.valuation + shift, _series(known[shift:], self.length - shift))


def _series(coefficients, length):
    length = max(0, length)
    return acb_series(list(coefficients)[:length], prec=length)


def _constant(ball, length):
    return Laurent(Fraction(0), _series([ball], length))


def _aligned(a, b):
    """Both at the smaller valuation, truncated to the smaller known order."""
    v, order = min(a.valuation, b.valuation), min(a.order, b.order)
    if (a.valuation - b.valuation).denominator != 1:
        raise NoEnclosure("a sum of powers of t that differ by a fraction")
    return v, [_series([acb(0)] * int(x.valuation - v) + x.coefficients(), int(order - v))
               for x in (a, b)]


def _add(a, b):
    v, (sa, sb) = _aligned(a, b)
    return Laurent(v, sa + sb)


def _mul(a, b):
    length = min(a.length, b.length)
    return Laurent(a.valuation + b.valuation, _series(a.coefficients(), length) * _series(b.coefficients(), length))


def _unit(a, what):
    """``a`` normalized, with a leading coefficient that certainly is not 0."""
    a = a.normalized()
    if a.length == 0 or a.coefficients()[0].contains(0):
        raise NoEnclosure(f"{what}: the leading coefficient is not certainly nonzero")
    return a


def _analytic(a, what):
    """``a`` as a power series (valuation 0): a pole inside an analytic function is an essential
    singularity, not a Laurent series."""
    if a.valuation < 0:
        a = a.normalized()
        if a.valuation < 0:
            raise NoEnclosure(f"{what} of a pole")
    if a.valuation.denominator != 1:
        raise NoEnclosure(f"{what} of a fractional power of t")
    return Laurent(Fraction(0), _series([acb(0)] * int(a.valuation) + a.coefficients(), int(a.order)))


def _power(a, n):
    if n < 0:
        a = _unit(a, "a negative power")
        a, n = Laurent(-a.valuation, a.series.inv()), -n
    result, base = None, a
    while n:
        if n & 1:
            result = base if result is None else _mul(result, base)
        n >>= 1
        if n:
            base = _mul(base, base)
    return result if result is not None else _constant(acb(1), a.length)


class TaylorEvaluator:
    """A sympy expression as a :class:`Laurent` series in ``t``: one ``_series_<Class>`` method
    per node, as :class:`~derive.check.kernel.balls.BallEvaluator` has (which evaluates every
    subexpression free of ``t``)."""

    def __init__(self, t, env, exact, prec, length, positive=False):
        #: Whether t > 0: then ``(t^v S)^e = t^(v e) S^e`` on the principal branch.
        self.positive = positive
        self.t, self.env, self.length = t, env, length
        self.balls = BallEvaluator(prec, exact)

    def __call__(self, expr):
        if not expr.has(self.t):
            return _constant(self.balls(expr, self.env), self.length)
        for cls in type(expr).__mro__:
            method = getattr(self, f"_series_{cls.__name__}", None)
            if method is not None:
                return method(expr)
        if isinstance(expr, sp.Function) and type(expr).__name__ in SERIES_FUNCTIONS:
            return self._function(expr)
        raise NoEnclosure(f"no Laurent series for {type(expr).__name__}: {sp.sstr(expr)[:80]}")

    def _series_Symbol(self, expr):
        return Laurent(Fraction(1), _series([acb(1)], self.length))

    def _series_Add(self, expr):
        total = None
        for term in expr.args:
            total = self(term) if total is None else _add(total, self(term))
        return total

    def _series_Mul(self, expr):
        product = None
        for factor in expr.args:
            product = self(factor) if product is None else _mul(product, self(factor))
        return product

    def _series_Pow(self, expr):
        base, exponent = expr.args
        if exponent.is_Integer:
            return _power(self(base), int(exponent))
        if base == sp.E:
            return self._exp(self(exponent))
        if exponent.has(self.t):
            return self._exp(_mul(self(exponent), self._log(self(base))))
        # A constant non-integer power, on the principal branch: the leading coefficient must
        # keep off the negative axis; a power of t comes out only when t > 0 (t^v is then a
        # positive number) and the exponent is rational (a Puiseux series).
        b = _unit(self(base), "a fractional power")
        shift = Fraction(0)
        if b.valuation != 0:
            # At the sampled point the exponent is an exact number (x^(b^2) at b = 3/10 is
            # x^(9/100)): a rational one gives a Puiseux term.
            exact = exponent if exponent.is_Rational else sp.sympify(exponent).xreplace(self.balls.exact)
            if not (self.positive and exact.is_Rational):
                raise NoEnclosure("a fractional power of t (a branch point, not a Laurent series)")
            shift = b.valuation * Fraction(int(exact.p), int(exact.q))
        lead = b.coefficients()[0]
        if _touches_negative_axis(lead):
            raise NoEnclosure("a fractional power whose base is near the negative axis (its cut)")
        e = self.balls(exponent, self.env)
        unit = b.series / lead  # 1 + O(t): (lead (1 + u))^e = lead^e (1 + u)^e
        powered = _mul(_constant(lead ** e, b.length), Laurent(Fraction(0), (unit.log() * e).exp()))
        return Laurent(shift, powered.series)

    def _series_exp(self, expr):
        return self._exp(self(expr.args[0]))

    def _exp(self, a):
        a = _analytic(a, "exp")
        return Laurent(Fraction(0), a.series.exp())

    def _series_log(self, expr):
        if len(expr.args) != 1:
            raise NoEnclosure("log with a base")
        return self._log(self(expr.args[0]))

    def _log(self, a):
        a = _unit(a, "log")
        if a.valuation != 0:
            raise NoEnclosure("log of a zero or a pole at t = 0 (a log t term)")
        if _touches_negative_axis(a.coefficients()[0]):
            raise NoEnclosure("log near its cut")
        return Laurent(Fraction(0), a.series.log())

    def _function(self, expr):
        name = type(expr).__name__
        method, cut = SERIES_FUNCTIONS[name]
        *constants, argument = expr.args
        if any(c.has(self.t) for c in constants):
            raise NoEnclosure(f"{name} with a parameter that depends on t")
        a = _analytic(self(argument), name)
        if cut is not None and cut(a.coefficients()[0] if a.length else acb(0)):
            raise NoEnclosure(f"{name} near its branch cut")
        return Laurent(Fraction(0), method(a.series, *[self.balls(c, self.env) for c in constants]))

    def _series_hyper(self, expr):
        ap, bq, z = expr.args
        if any(x.has(self.t) for x in (*ap, *bq)):
            raise NoEnclosure("a hypergeometric parameter that depends on t")
        a = _analytic(self(z), "hyper")
        lead = a.coefficients()[0] if a.length else acb(0)
        if len(ap) > len(bq) and _touches_ray_from_one(lead):
            raise NoEnclosure("hyper near its branch cut [1, oo)")
        length = a.length
        params = [[acb_series([self.balls(x, self.env)], prec=length) for x in xs] for xs in (ap, bq)]
        return Laurent(Fraction(0), acb_series.hypgeom(params[0], params[1], a.series))


def _cut(name):
    entry = FUNCTIONS.get(name)
    return entry[0] if entry else None


#: sympy function name -> (the acb_series routine, its argument's cut).  The cuts are
#: :data:`~derive.check.kernel.balls.FUNCTIONS`'s: Arb's branches are sympy's principal ones.
SERIES_FUNCTIONS = {
    "sin": (lambda s: s.sin(), None),
    "cos": (lambda s: s.cos(), None),
    "tan": (lambda s: s.tan(), None),
    "sinh": (lambda s: (s.exp() - (-s).exp()) / 2, None),
    "cosh": (lambda s: (s.exp() + (-s).exp()) / 2, None),
    "tanh": (lambda s: 1 - 2 / ((2 * s).exp() + 1), None),
    "atan": (lambda s: s.atan(), _cut("atan")),
    "gamma": (lambda s: s.gamma(), None),
    "loggamma": (lambda s: s.lgamma(), _cut("loggamma")),
    "erf": (lambda s: s.erf(), None),
    "erfc": (lambda s: s.erfc(), None),
    "erfi": (lambda s: s.erfi(), None),
    "zeta": (lambda s: s.zeta(), None),
}


def laurent(expr, t, point, order, prec=256, positive=False):
    """The Laurent (or, for ``positive`` t, Puiseux) series of ``expr`` in ``t`` at 0, known to
    below ``t^order``, at ``point`` ({symbol: exact number}) of the other symbols.  Raises
    :class:`NoEnclosure` where Arb has no series (a branch point at ``t = 0`` of a ``t`` that
    may be negative, ``log t``, an unknown function, a node it cannot expand)."""
    expr = sp.sympify(expr)
    order = Fraction(int(sp.Rational(order).p), int(sp.Rational(order).q))
    exact = {s: exact_number(v) for s, v in point.items()}
    length = int(sp.ceiling(order)) + SLACK
    with precision(prec):
        env = {s: point_ball(v, prec) for s, v in exact.items()}
        while True:
            try:
                result = TaylorEvaluator(t, env, exact, prec, length, positive)(expr)
            except (ZeroDivisionError, ValueError, OverflowError) as exc:
                raise NoEnclosure(f"no series ({exc})") from exc
            if result.order >= order:
                return result
            if length >= MAX_LENGTH:
                raise NoEnclosure(f"poles use up more than {MAX_LENGTH} terms")
            length = min(MAX_LENGTH, length + int(sp.ceiling(order - result.order)) + SLACK)


def decide_at(local, t, order, point, ladder, positive=False, inclusive=False):
    """('nonzero' | 'zero' | 'undecided', power, ball) for the coefficients of ``local`` below
    ``t^order`` (through it, ``inclusive``) at ``point``, each judged against the same
    coefficient of its terms."""
    terms = sp.Add.make_args(local)
    streak = 0
    known = sp.Rational(order) + (1 if inclusive else 0)
    for prec in ladder:
        try:
            series = [laurent(term, t, point, known, prec, positive) for term in terms]
        except NoEnclosure:
            return "undecided", None, None
        with precision(prec):
            all_small = True
            below = Fraction(int(sp.Rational(order).p), int(sp.Rational(order).q))
            # A coefficient is judged against the largest of the terms' coefficients so far: a
            # power at which every term is 0 has only round-off to compare with.
            size = arb(0)
            for power in sorted(set().union(*(s.powers(below, inclusive) for s in series))):
                balls = [s.coefficient(power) for s in series]
                residual = sum(balls, acb(0))
                if not residual.is_finite():
                    return "undecided", power, residual
                if not residual.contains(0):
                    return "nonzero", power, residual
                size = max(size, sum((abs(b).upper() for b in balls), arb(0)))
                bound = (size if size > 0 else arb(1)) * arb(2) ** (-(prec // 2))
                all_small &= bool(abs(residual).upper() <= bound)
        streak = streak + 1 if all_small else 0
        if streak == 2:
            return "zero", None, None
    return "undecided", None, None


def check_order(local, t, order, conditions=(), points=POINTS, positive=False, inclusive=False):
    """Decide ``local(t) = O(t^order)`` from certified Laurent coefficients at admissible points
    of its other symbols (the module docstring): an :class:`~.evidence.Outcome`, or None when
    Arb has no series for it at all (the caller's numeric route then decides).  With
    ``inclusive`` the term ``t^order`` must vanish too: ``inclusive`` at order 0 is
    ``local -> 0`` as ``t -> 0`` (for a Laurent or Puiseux series)."""
    local = sp.sympify(local)
    free = sorted((local.free_symbols - {t}) | set().union(*(c.free_symbols for c in conditions)), key=str)
    rng = np.random.default_rng(statement_seed(local, order, *conditions) % 2**32)
    sample = admissible_points(free, list(conditions), points * 2, rng, scale=constant_scale(local))
    ladder = precision_ladder(local)
    tried = zero = 0
    placed = None
    # Every point drawn is tried, not the first ``points``: the points close inside a
    # condition's edge come after the regular ones (x^a = O(x^2) for a > 1.999 is false only
    # on (1.999, 2)), and an expansion costs milliseconds.
    for point in sample:
        verdict, power, ball = decide_at(local, t, order, point, ladder, positive, inclusive)
        tried += 1
        if verdict == "nonzero":
            shown = ", ".join(f"{s} = {show_number(v)}" for s, v in sorted(point.items(), key=lambda kv: str(kv[0])))
            return Outcome("failed", f"certified Laurent coefficient (Arb): the term t^{power} of the difference "
                           f"is {show_ball(ball)}, which excludes 0, at {shown or 'the only point'}",
                           {"point": shown, "power": power})
        zero += verdict == "zero"
        if verdict == "undecided" and is_placed(point) and placed is None:
            # A point placed on purpose (a condition's edge, exactly) is where a statement true
            # elsewhere fails (x^(a^2 - 2) -> 0 for a^2 >= 2, but 1 at a = sqrt 2).
            placed = ", ".join(f"{s} = {show_number(v)}" for s, v in sorted(point.items(), key=lambda kv: str(kv[0])))
        if zero == 0 and tried >= GIVE_UP_AFTER:
            break
    if zero == 0:
        return None
    if placed is not None:
        return Outcome("unverified", f"certified Laurent coefficients decided {zero} of {tried} points, but not the "
                       f"exact point {placed} (an edge of the conditions), where such a statement can fail")
    if zero >= MIN_DECIDED and zero * 3 >= 2 * tried:
        return Outcome("verified", f"certified Laurent coefficients (Arb): every term {'through' if inclusive else 'below'} t^{order} of the "
                       f"difference encloses 0 within 2^-{ladder[0] // 2} at {zero} of {tried} admissible points, "
                       "at two precisions each; sampled, not proved", {"points": zero})
    return Outcome("unverified", f"certified Laurent coefficients decided {zero} of {tried} points")


def leading_power(expr, t, point, prec=256):
    """The exact valuation ``v`` (a Fraction) of ``expr``'s Puiseux series in ``t > 0`` at 0,
    at ``point``, and its leading coefficient's ball, certified nonzero: ``expr = c t^v (1 +
    o(1))``.  Coefficients that are exactly 0 are skipped (:meth:`Laurent.normalized`); one
    whose ball contains 0 without being 0 leaves the valuation unknown, and so does a series
    Arb has not: :class:`NoEnclosure` either way."""
    known = Fraction(1)
    for _ in range(4):
        series = laurent(expr, t, point, known, prec, positive=True).normalized()
        coefficients = series.coefficients()
        if coefficients:
            if coefficients[0].contains(0):
                raise NoEnclosure("the leading coefficient is not certainly nonzero")
            return series.valuation, coefficients[0]
        known = series.order + SLACK  # every known coefficient is exactly 0: look further
    raise NoEnclosure("no nonzero coefficient among the terms known")


def check_log_ratio(inner, factor, t, value, conditions=(), points=POINTS):
    """Decide ``factor * log F(x) / log x -> value`` as ``x -> oo``, with ``inner = F(1/t)``.

    Where ``F = c t^v (1 + o(1))`` with ``c != 0`` (:func:`leading_power`), ``log F = v log t +
    log c + o(1)`` on the principal branch (``t^v > 0`` leaves the argument of ``c(1 + o(1))``,
    which stays bounded by pi), and ``log t = -log x``: the limit is ``-v * factor``, exactly,
    at each admissible point of the parameters.  There the claim is compared with it by the
    kernel's ball comparison (:func:`.evidence.decide_at`): a difference whose ball excludes 0
    is a certified counterexample (**failed**); the step is **verified** when, as for
    :func:`check_order`, enough points agree (sampled, not proved).  None when no point has a
    certified valuation (the caller's other routes decide)."""
    from . import evidence as _evidence

    free = sorted((inner.free_symbols | sp.sympify(factor).free_symbols | sp.sympify(value).free_symbols
                   | set().union(*(c.free_symbols for c in conditions))) - {t}, key=str)
    rng = np.random.default_rng(statement_seed(inner, factor, value, *conditions) % 2**32)
    sample = admissible_points(free, list(conditions), points * 2, rng, scale=constant_scale(inner))
    tried = zero = 0
    for point in sample:
        tried += 1
        try:
            v, _ = leading_power(inner, t, point)
        except NoEnclosure:
            if zero == 0 and tried >= GIVE_UP_AFTER:
                break
            continue
        exact = {s: exact_number(x) for s, x in point.items()}
        limit = -sp.Rational(v.numerator, v.denominator) * sp.sympify(factor).xreplace(exact)
        claim = sp.sympify(value).xreplace(exact)
        verdict, ball = _evidence.decide_at(claim, limit, {}, precision_ladder(claim - limit))
        shown = ", ".join(f"{s} = {show_number(x)}" for s, x in sorted(point.items(), key=lambda kv: str(kv[0])))
        if verdict == "nonzero":
            return Outcome("failed", f"certified leading power (Arb): the expression tends to {show_number(limit)} "
                           f"(F ~ c t^v, v = {show_number(sp.Rational(v.numerator, v.denominator))}, c != 0, t = 1/x), the claim is {show_number(claim)}; their "
                           f"difference {show_ball(ball)} excludes 0, at {shown or 'the only point'}",
                           {"point": shown})
        zero += verdict == "zero"
    if zero == 0:
        return None
    if zero >= MIN_DECIDED and zero * 3 >= 2 * tried:
        return Outcome("verified", f"certified leading power (Arb): F ~ c x^(-v), c certainly nonzero, and the claim "
                       f"equals -v times the factor at {zero} of {tried} admissible points; sampled, not proved",
                       {"points": zero})
    return Outcome("unverified", f"certified leading powers decided {zero} of {tried} points")
