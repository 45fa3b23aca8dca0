"""Infinite sums (and products) in balls: the first terms, and a tail bounded by a ratio test the
kernel proves.

``sum_{k >= a} t(k)`` at an exact point (every parameter an exact number) is enclosed as

    S = t(a) + ... + t(N - 1)  +  [ball of radius |t(N)| / (1 - q) about 0]

where ``|t(k + 1) / t(k)| <= q < 1`` for every ``k >= N``, so that
``|sum_{k >= N} t(k)| <= |t(N)| (1 + q + q^2 + ...) = |t(N)| / (1 - q)`` (the ratio test's
geometric majorant).  Three pieces, each resting on the kernel:

1. **The ratio** ``r(k) = t(k + 1) / t(k) = c R(k)`` is built by :func:`shift_ratio`, not by
   sympy's ``simplify``: factor by factor, by the recurrences that define the factors,

   - a factor free of ``k``: ratio 1;
   - a rational function ``R(k)``: ``R(k + 1) / R(k)``;
   - ``c^(e(k))`` and ``exp(e(k))`` with ``e(k + 1) - e(k)`` free of ``k`` (``e`` linear):
     ``c^(e(k+1) - e(k))`` (principal powers, ``c^u = exp(u log c)``: exact for every ``c``);
   - ``gamma(m k + j)`` (``m`` from 1 to 8): ``z (z + 1) ... (z + m - 1)``, ``z = m k + j``
     (``Gamma(z + 1) = z Gamma(z)``); ``factorial(z) = Gamma(z + 1)``;
   - a product: the product of the ratios; an integer power: the power of the ratio.

   Anything else (a square root of a function of ``k``, ``binomial``, a sum) has no ratio here,
   and the series no enclosure.  ``R`` must be a rational function of ``k`` with rational
   coefficients at the point, ``P(k) / Q(k)`` (sympy's ``cancel`` brings it to that form; exact
   arithmetic on rational functions); the constant ``c`` enters the bound below through a
   rational upper bound of ``|c|`` read off its Arb ball (``exp(-1)``), itself when rational.
2. **The bound** ``|r(k)| <= q`` for *every real* ``k >= N`` (a superset of the integers), with
   ``P`` and ``Q`` free of zeros there (no factor of a term vanishes or blows up past ``N``), is
   decided by the kernel's real-algebraic procedure (:func:`derive.check.kernel.real.implies`,
   Z3): ``P^2 > 0``, ``Q^2 > 0`` and ``C^2 P^2 <= q^2 Q^2`` on ``k >= N``, ``C >= |c|``.  ``N`` and ``q`` are
   only proposals (where ``|r|`` has fallen below ``q = (1 + L)/2``, ``L`` the limit of ``|r|``
   read off the leading coefficients); a ratio whose limit is 1 or more (``1/k^2``, a divergent
   series) gets no bound.
3. **The terms** ``t(a) ... t(N)`` are Arb balls, by the recurrence ``t(k + 1) = r(k) t(k)``
   from a term evaluated directly (again directly wherever a term's ball may be 0, where the
   recurrence says nothing).

An infinite product ``prod_{k >= a} (1 + u(k))`` is the partial product to ``N`` times a ball
``1 + d`` with ``|d| <= exp(s) - 1``, ``s = |u(N)| / (1 - q)`` bounding ``sum_{k >= N} |u(k)|``
by the same ratio test on ``u`` (``|prod (1 + u_k) - 1| <= prod (1 + |u_k|) - 1 <=
exp(sum |u_k|) - 1``).

The number of terms is bounded by :data:`MAX_SERIES_TERMS`: a series that needs more at the
point (``sum x^k/k!`` at ``x = 10^6``) has no enclosure there, like a divergent one, and a step
with such a point stays unverified.
"""

from __future__ import annotations

import functools

import sympy as sp
from flint import acb, arb

from . import real

#: Terms summed at most for one infinite series at one point.
MAX_SERIES_TERMS = 20_000


class NoSeriesBound(ValueError):
    """No certified tail bound: the caller turns this into ``NoEnclosure``."""


def shift_ratio(term, k):
    """``(c, R)`` with ``t(k + 1) / t(k) = c R(k)`` for the summand ``t``, by the factors'
    recurrences (module docstring): ``c`` free of ``k`` (kept apart, so that ``c = 0`` at
    ``x = 0`` does not erase the zeros and poles of ``R``), ``R`` rational in ``k``; None when a
    factor has no recurrence here.

    >>> k, x = sp.Symbol("k", integer=True), sp.Symbol("x")
    >>> shift_ratio(x**k / sp.factorial(k), k)
    (x, 1/(k + 1))
    """
    if not term.has(k):
        return sp.Integer(1), sp.Integer(1)
    if _rational_in(term, k):
        return sp.Integer(1), term.xreplace({k: k + 1}) / term
    if isinstance(term, sp.Mul):
        parts = [shift_ratio(f, k) for f in term.args]
        if any(p is None for p in parts):
            return None
        return sp.Mul(*(c for c, _ in parts)), sp.Mul(*(r for _, r in parts))
    if isinstance(term, sp.Pow):
        base, exponent = term.args
        if not base.has(k):
            step = sp.expand(exponent.xreplace({k: k + 1}) - exponent)
            return (base ** step, sp.Integer(1)) if not step.has(k) else None
        if exponent.is_Integer:
            inner = shift_ratio(base, k)
            return None if inner is None else (inner[0] ** exponent, inner[1] ** exponent)
        return None
    if isinstance(term, sp.exp):
        step = sp.expand(term.args[0].xreplace({k: k + 1}) - term.args[0])
        return (sp.exp(step), sp.Integer(1)) if not step.has(k) else None
    if isinstance(term, (sp.factorial, sp.gamma)):
        (argument,) = term.args
        m = sp.expand(argument.xreplace({k: k + 1}) - argument)
        if not (m.is_Integer and 1 <= m <= 8) or sp.expand(argument - m * k).has(k):
            return None
        # Gamma(z + m) = z (z + 1) ... (z + m - 1) Gamma(z); factorial(z) = Gamma(z + 1)
        z = argument + 1 if isinstance(term, sp.factorial) else argument
        return sp.Integer(1), sp.Mul(*(z + i for i in range(int(m))))
    return None


def _rational_in(expr, k):
    """Whether ``expr`` is built from ``k`` by arithmetic and integer powers only."""
    if expr == k or not expr.has(k):
        return True
    if isinstance(expr, (sp.Add, sp.Mul)):
        return all(_rational_in(a, k) for a in expr.args)
    if isinstance(expr, sp.Pow):
        return expr.exp.is_Integer and _rational_in(expr.base, k)
    return False


def _rational_parts(ratio, k):
    """``(P, Q)``: ``R = P/Q`` as sympy polynomials in ``k`` with rational coefficients, or
    NoSeriesBound."""
    numerator, denominator = sp.fraction(sp.cancel(sp.together(ratio)))
    try:
        P, Q = sp.Poly(numerator, k), sp.Poly(denominator, k)
    except sp.PolynomialError as exc:
        raise NoSeriesBound(f"the ratio of consecutive terms is not rational in {k}") from exc
    if not all(c.is_Rational for c in P.all_coeffs() + Q.all_coeffs()):
        raise NoSeriesBound("the ratio of consecutive terms has coefficients that are not rational at this point")
    return P, Q


def ratio_limit(c, P, Q):
    """``lim |c P(k)/Q(k)|`` as ``k -> oo``: exact, from the degrees and leading coefficients."""
    if c == 0 or P.degree() < Q.degree():
        return sp.Integer(0)
    if P.degree() > Q.degree():
        return sp.oo
    return abs(c * P.LC() / Q.LC())


def proves_ratio_bound(c, P, Q, k, N, q):
    """Whether the kernel (Z3) proves ``P, Q != 0`` and ``|c P(s)/Q(s)| <= q`` for every real
    ``s >= N``."""
    return _proves(c, P.as_expr().xreplace({k: _S}), Q.as_expr().xreplace({k: _S}), sp.Integer(N), q)


_S = sp.Symbol("s_ratio", real=True)


@functools.lru_cache(maxsize=256)
def _proves(c, p, qq, N, q):
    s = _S
    hypotheses = [sp.Ge(s, N)]
    return (real.implies(hypotheses, sp.Gt(p**2, 0)) is True
            and real.implies(hypotheses, sp.Gt(qq**2, 0)) is True
            and real.implies(hypotheses, sp.Le(c**2 * p**2, q**2 * qq**2)) is True)


def _poly_ball(poly, value):
    total = acb(0)
    for c in poly.all_coeffs():
        total = total * value + acb(arb(int(c.p)) / int(c.q))
    return total


def _threshold(c, P, Q, k, start, q):
    """The first ``N >= start`` (doubling) at which the kernel proves the ratio bound, proposed
    where ``|r|`` has fallen below ``q`` in floating point."""
    N = max(int(start), 1)
    while N <= start + MAX_SERIES_TERMS:
        value = c * P.eval(N) / Q.eval(N) if Q.eval(N) != 0 else sp.oo
        if value is not sp.oo and abs(value) < q and proves_ratio_bound(c, P, Q, k, N, q):
            return N
        N *= 2
    raise NoSeriesBound(f"no ratio bound within {MAX_SERIES_TERMS} terms")


def _upper_rational(ball):
    """The exact rational that an exact arb (an upper bound) is."""
    man, exp = ball.mid().man_exp()
    return sp.Integer(int(man)) * sp.Integer(2) ** int(exp)


def _terms_needed(tail, target, q):
    """How many more terms a geometric decay by ``q`` needs to bring ``tail`` under ``target``."""
    import math

    try:
        return math.log2(float(tail / target)) / -math.log2(float(q))
    except (ValueError, OverflowError, ZeroDivisionError):
        return 0


def enclose_series(term, k, start, evaluate, prec, product=False):
    """A ball containing ``sum_{k >= start} term`` (``term`` a function of ``k`` alone, ``start``
    an integer), or NoSeriesBound.  ``evaluate(expr, k_ball)`` encloses a term directly.

    With ``product``, a ball containing ``prod_{k >= start} (1 + term)``: the partial product
    times ``1 + d`` with ``|d| <= exp(s) - 1``, ``s`` the ratio-test bound of ``sum_{k >= N}
    |term|`` (``|prod (1 + u_k) - 1| <= prod (1 + |u_k|) - 1 <= exp(sum |u_k|) - 1``)."""
    if term == 0:  # sympy's own evaluation at the point (0^(2k+1) = 0)
        return acb(1) if product else acb(0)
    parts = shift_ratio(term, k)
    if parts is None:
        raise NoSeriesBound("no ratio of consecutive terms by the factors' recurrences "
                            "(rational functions, powers, exp, factorial, gamma)")
    constant, ratio = parts
    P, Q = _rational_parts(ratio, k)
    # |c| <= c_high, a rational from c's ball (c itself when it is rational): the bound proved
    # with c_high holds for c.
    c_ball = evaluate(constant, acb(start))
    if not c_ball.is_finite():
        raise NoSeriesBound(f"the constant factor {constant} of the ratio has no finite enclosure")
    c = abs(constant) if constant.is_Rational else _upper_rational(abs(c_ball).upper())
    L = ratio_limit(c, P, Q)
    if not L < 1:
        raise NoSeriesBound(f"the ratio test does not show convergence (|t(k+1)/t(k)| -> {L})")
    q = max(sp.Rational(1, 2), (1 + L) / 2)
    N0 = _threshold(c, P, Q, k, start, q)
    tolerance = arb(2) ** (-prec - 8)
    one_minus_q = 1 - arb(int(q.p)) / int(q.q)
    total, current = acb(1) if product else acb(0), evaluate(term, acb(start))
    index = start
    while True:
        if not current.is_finite():
            raise NoSeriesBound(f"the term at k = {index} has no finite enclosure")
        if index >= N0:
            tail = abs(current).upper() / one_minus_q
            if product:
                tail = tail.exp() - 1  # |prod_{k >= N} (1 + u_k) - 1| <= exp(sum |u_k|) - 1
            size = arb(1) if product else abs(total).upper()
            target = tolerance * (size if size > 0 else arb(1))
            if tail <= target:
                if product:
                    return total * (1 + acb(arb(0, tail), arb(0, tail)))
                return total + acb(arb(0, tail), arb(0, tail))
            if index == N0 and _terms_needed(tail, target, L if L > 0 else q) > MAX_SERIES_TERMS - (index - start):
                # |t| falls about like L^k (q^k when L = 0) from here: give up now rather than
                # after the budget (only a proposal: giving up is always safe).
                raise NoSeriesBound(f"more than {MAX_SERIES_TERMS} terms before the tail is below 2^-{prec}")
        if index - start >= MAX_SERIES_TERMS:
            raise NoSeriesBound(f"more than {MAX_SERIES_TERMS} terms before the tail is below 2^-{prec}")
        total = total * (1 + current) if product else total + current
        step = c_ball * _poly_ball(P, acb(index)) / _poly_ball(Q, acb(index))
        index += 1
        # The recurrence holds where t(k) != 0; elsewhere evaluate the next term directly.
        current = step * current if step.is_finite() and not current.contains(0) else evaluate(term, acb(index))
