"""Power-law spectra ``lambda_k = k^-alpha``, ``k = 1..P``: the discrete law, its continuum
integrals, and the certified gap between the two.

Scaling-law papers (source/capacity conditions; e.g. Bordelon, Letey & Pehlevan 2025, arXiv
2510.01098) use a trace-class spectrum ``lambda_k = k^-alpha`` (``alpha > 1``; any ``alpha > 0``
is accepted here), its finite-``P`` sums and their continuum limits.  Three pieces:

* :class:`PowerLawSpectrum`, ``powerlaw_spectrum(alpha, P)`` in a law expression (``derive law``):
  mass ``1/P`` at each ``k^-alpha``, ``k = 1..P``.  Not the same law as ``powerlaw(p)``
  (:class:`~derive.rmt.continuum.PowerLaw`, ``0 < p < 1``): that one is the *normalised* limit
  ``(1 - p)U^{-p}`` of ``(1 - p)(j/d)^{-p}`` as ``d -> oo`` (mean 1, unbounded support, not trace
  class); this one is the finite list of eigenvalues itself, support ``[P^-alpha, 1]``.
  Means are exact finite sums: ``m(z) = (1/P) sum_k 1/(k^-alpha - z)``; unnormalised traces
  ``sum_k f(lambda_k)`` (:meth:`~PowerLawSpectrum.trace`, :meth:`~PowerLawSpectrum.resolvent_trace`),
  moments ``E X^j = H_P^{(j alpha)}/P`` (generalised harmonic numbers) and the sums
  ``S(kappa) = sum_k k^-s (k^-alpha + kappa)^-n`` (:meth:`~PowerLawSpectrum.power_sum`; ``df1 =
  sum_k lambda_k/(lambda_k + kappa)`` is ``s = alpha, n = 1``, ``df2`` is ``s = 2 alpha, n = 2``).
* the continuum integrals the theory uses, ``I(kappa) = int_1^P k^-s (k^-alpha + kappa)^-n dk``
  (``P = oo`` when ``s > 1``), as sympy expressions (:func:`power_integral_expr`, :func:`df_expr`:
  closed forms in ``2F1`` and ``Gamma`` a derivation can cite, with symbolic ``alpha``, ``kappa``,
  ``P``; the checker verifies such an identity by Arb quadrature) and as numbers vectorised over
  ``kappa`` (:func:`power_integral`, :func:`df`).  Writing ``f(k) = k^(beta - 1) (1 + kappa
  k^alpha)^-n``, ``beta = alpha n - s + 1 > 0``::

      H(x) = int_0^x f = (x^beta / beta) 2F1(n, beta/alpha; 1 + beta/alpha; -kappa x^alpha)
      H(oo) = kappa^(-beta/alpha) Gamma(beta/alpha) Gamma(n - beta/alpha) / (alpha Gamma(n))
      I = H(P) - H(1)        (Euler's integral for 2F1, DLMF 15.6.1, after t = kappa k^alpha)

  so ``df1(kappa) = int_1^oo dk/(1 + kappa k^alpha) = pi kappa^(-1/alpha)/(alpha sin(pi/alpha))
  - 2F1(1, 1/alpha; 1 + 1/alpha; -kappa)`` for ``alpha > 1``, and ``df1 = pi
  kappa^(-1/alpha)/(alpha sin(pi/alpha)) - 1 + O(kappa)`` as ``kappa -> 0``
  (:func:`df_asymptotic_expr`).
* the gap ``G = sum_{k=1}^P f(k) - int_1^P f(k) dk`` (:func:`certify_gap`): on each ``[k, k+1]``
  the trapezoid ``(f(k) + f(k+1))/2`` differs from the integral by at most half the variation of
  ``f`` there, so ``|G - (f(1) + f(P))/2| <= V/2``, ``V`` the total variation of ``f`` on
  ``[1, P]``; for a decreasing ``f`` (``df1``, ``df2``) that is ``f(P) <= G <= f(1)``.  ``f`` is
  unimodal (``d log f/d log k = alpha n/(1 + kappa k^alpha) - s`` decreases), so ``V = 2 max f -
  f(1) - f(P)`` with the maximum at ``kappa k^alpha = alpha n/s - 1``.  The sum (term by term),
  the integral (``acb.integral``) and the bound are Arb balls (:mod:`derive.check.kernel.balls`),
  and the inequality is decided on the balls.

>>> law = PowerLawSpectrum(2, 3)          # 1, 1/4, 1/9
>>> [round(x, 12) for x in law.moments(2)]
[1.0, 0.453703703704, 0.358281893004]
>>> round(float(law.power_sum(0.0, s=2, n=1)), 12)      # df1 at kappa = 0 is P
3.0
>>> round(float(df(2.0, 1.0)), 12)                       # int_1^oo dk/(1 + k^2) = pi/4
0.785398163397
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .continuum import Eigenvalues, _blocked, _finite, _resolvent_powers, numbers_only

#: The largest P held as an array of eigenvalues (8 bytes each).  Beyond it use the continuum
#: integrals with the certified gap.
MAX_P = 10_000_000
#: The largest P whose sum :func:`certify_gap` adds term by term in Arb.
MAX_CERTIFIED_P = 200_000


def check_alpha(alpha, who="powerlaw_spectrum(alpha, P)"):
    """``alpha`` as a float, or one ValueError line naming it and the range ``alpha > 0``."""
    alpha = _finite(alpha, f"{who}: the exponent alpha")
    if not alpha > 0:
        raise ValueError(f"{who}: the exponent alpha must be > 0 (any real alpha > 0), got {alpha:g}")
    return alpha


def check_size(P, who="powerlaw_spectrum(alpha, P)"):
    """``P`` as an int, or one ValueError line naming it and the range (an integer ``>= 1``)."""
    value = _finite(P, f"{who}: the number of eigenvalues P")
    if value != int(value) or value < 1:
        raise ValueError(f"{who}: the number of eigenvalues P must be an integer >= 1, got {value:g}")
    if value > MAX_P:
        raise ValueError(f"{who}: P = {value:g} is more than {MAX_P:g} eigenvalues held as an array; "
                         "use the continuum integrals (derive.rmt.powerlaw.power_integral) and the gap bound")
    return int(value)


class PowerLawSpectrum(Eigenvalues):
    """``powerlaw_spectrum(alpha, P)``: mass ``1/P`` at ``lambda_k = k^-alpha``, ``k = 1..P``,
    ``alpha > 0``, ``P >= 1``.  Every mean is an exact finite sum (vectorised over ``z`` or
    ``kappa``, in blocks); :meth:`trace` and :meth:`resolvent_trace` are the unnormalised sums
    ``sum_k f(lambda_k)`` the theory writes."""

    name, usage = "powerlaw_spectrum", "powerlaw_spectrum(alpha, P)"
    arity = (2, 2)
    #: The parser accepts these as keywords too: ``powerlaw_spectrum(alpha=1.5, P=1000)``.
    keywords = ("alpha", "P")

    def __init__(self, alpha, P):
        alpha, P = check_alpha(alpha), check_size(P)
        self.alpha, self.P = alpha, P
        self.k = np.arange(1, P + 1, dtype=float)
        super().__init__(self.k ** -alpha, text=f"powerlaw_spectrum({alpha:g}, {P})")

    def support(self):
        return [(float(self.P) ** -self.alpha, 1.0)]

    def moments(self, count):
        """``E X^j = (1/P) sum_k k^(-j alpha)``, summed smallest first (``math.fsum``: correctly rounded)."""
        return [math.fsum(self.values ** j) / self.P for j in range(count + 1)]

    def density(self, xs):
        raise ValueError(f"{self} is a finite spectrum ({self.P} atoms): it has no density; "
                         "ask for moments or Stieltjes values")

    def trace(self, f):
        """``sum_k f(lambda_k)`` (not divided by P): ``f`` gets the eigenvalues on its last axis."""
        return np.sum(f(self.values), axis=-1)

    def resolvent_trace(self, zs, derivative=0):
        """``sum_k j!/(lambda_k - z)^(j+1)``, ``j = derivative``: ``P m^(j)(z)``, on an array of ``z``."""
        from .continuum import _order

        j = _order(derivative)
        return _resolvent_powers(self.trace, np.asarray(zs, dtype=complex), j, self.P)[j]

    def power_sum(self, kappa, s=None, n=1):
        """``S(kappa) = sum_{k=1}^P k^-s (k^-alpha + kappa)^-n`` on an array of ``kappa >= 0``
        (default ``s = n alpha``: ``sum_k (lambda_k/(lambda_k + kappa))^n``, df1 and df2)."""
        s = n * self.alpha if s is None else float(s)
        kappa = np.asarray(kappa, dtype=float)
        weight = self.k ** -s
        return _blocked(kappa, lambda kap: np.sum(weight * (self.k ** -self.alpha + kap[:, None]) ** -n,
                                                  axis=-1), complex_=False)

    def df(self, kappa, n=1):
        """``df_n(kappa) = sum_k (lambda_k/(lambda_k + kappa))^n`` on an array of ``kappa``."""
        return self.power_sum(kappa, n * self.alpha, n)

    def continuum(self, kappa, s=None, n=1):
        """The integral over ``[1, P]`` that :meth:`power_sum` approximates (:func:`power_integral`);
        the difference lies in the interval of :func:`certify_gap`."""
        return power_integral(self.alpha, kappa, self.P, s, n)

    @classmethod
    def parse(cls, arguments):
        numbers_only(cls, arguments, "a finite spectrum")
        return cls(*arguments)


# ---- the continuum integrals, symbolic ---------------------------------------------------------


def _beta(alpha, s, n):
    return alpha * n - s + 1


def head_expr(x, alpha, kappa, s, n):
    """``H(x) = int_0^x k^-s (k^-alpha + kappa)^-n dk = (x^beta/beta) 2F1(n, beta/alpha; 1 +
    beta/alpha; -kappa x^alpha)``, ``beta = alpha n - s + 1`` (needs ``beta > 0``)."""
    beta = _beta(alpha, s, n)
    return x**beta / beta * sp.hyper([n, beta / alpha], [1 + beta / alpha], -kappa * x**alpha)


def head_at_infinity_expr(alpha, kappa, s, n):
    """``H(oo) = kappa^(-beta/alpha) Gamma(beta/alpha) Gamma(n - beta/alpha)/(alpha Gamma(n))``
    (needs ``0 < beta < alpha n``, i.e. ``s > 1``)."""
    b = _beta(alpha, s, n) / alpha
    return kappa ** (-b) * sp.gamma(b) * sp.gamma(n - b) / (alpha * sp.gamma(n))


def power_integral_expr(alpha, kappa, P=sp.oo, s=None, n=1):
    """``int_1^P k^-s (k^-alpha + kappa)^-n dk`` in closed form: ``H(P) - H(1)``, ``H(oo) - H(1)``
    for ``P = oo`` (default ``s = n alpha``).  Valid for ``alpha, kappa > 0``, ``beta = alpha n -
    s + 1 > 0`` and, for ``P = oo``, ``s > 1``; sympy symbols or numbers."""
    alpha, kappa, n = sp.sympify(alpha), sp.sympify(kappa), sp.sympify(n)
    s = n * alpha if s is None else sp.sympify(s)
    if P in (sp.oo, math.inf):
        top = head_at_infinity_expr(alpha, kappa, s, n)
    else:
        top = head_expr(sp.sympify(P), alpha, kappa, s, n)
    return top - head_expr(sp.Integer(1), alpha, kappa, s, n)


def power_integrand(k, alpha, kappa, s=None, n=1):
    """The summand and integrand ``k^-s (k^-alpha + kappa)^-n`` as a sympy expression in ``k``."""
    s = n * alpha if s is None else s
    return k ** (-s) * (k ** (-alpha) + kappa) ** (-n)


def df_expr(alpha, kappa, n=1, P=sp.oo):
    """``df_n(kappa) = int_1^P (k^-alpha/(k^-alpha + kappa))^n dk`` in closed form (``n = 1``:
    df1, ``n = 2``: df2; ``P = oo`` needs ``alpha > 1``)."""
    return power_integral_expr(alpha, kappa, P, n * sp.sympify(alpha), n)


def df_asymptotic_expr(alpha, kappa, n=1):
    """The small-kappa form of ``df_n`` over ``[1, oo)``, ``alpha > 1``: ``H(oo) - H(1)|_{kappa=0}``
    ``= kappa^(-1/alpha) Gamma(1/alpha) Gamma(n - 1/alpha)/(alpha Gamma(n)) - 1``, with error
    ``O(kappa)`` (``H(1)`` is analytic in ``kappa`` at 0 and equals ``1/beta = 1`` there)."""
    alpha = sp.sympify(alpha)
    return head_at_infinity_expr(alpha, kappa, n * alpha, n) - 1


# ---- the continuum integrals, numeric -----------------------------------------------------------


def _hyp2f1(a, b, c, z):
    """Real ``2F1(a, b; c; z)`` on an array of ``-1 <= z <= 0`` by scipy (the series region: to
    1e-15), elsewhere by mpmath (scipy's 1/z connection loses up to 1e-6 where ``b - a`` is an
    integer, e.g. df1 at alpha = 1)."""
    from scipy.special import hyp2f1

    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    small = z >= -1
    out[small] = hyp2f1(a, b, c, z[small])
    if (~small).any():
        import mpmath

        out[~small] = [float(mpmath.hyp2f1(a, b, c, v)) for v in z[~small]]
    return out


def _head(x, alpha, kappa, s, n):
    beta = _beta(alpha, s, n)
    return x**beta / beta * _hyp2f1(n, beta / alpha, 1 + beta / alpha, -_power(kappa, x, alpha))


def _power(kappa, x, alpha):
    """``kappa x^alpha`` through logarithms (``x^alpha`` alone may overflow: ``P = 1e7, alpha = 50``)."""
    with np.errstate(over="ignore"):
        return np.exp(np.log(kappa) + alpha * math.log(x))


def _tail(x, alpha, kappa, s, n):
    """``int_x^oo k^-s (k^-alpha + kappa)^-n dk = x^(1-s) kappa^-n/(s - 1) 2F1(n, c; c + 1;
    -1/(kappa x^alpha))``, ``c = (s - 1)/alpha`` (``s > 1``): the form for ``kappa x^alpha > 1``."""
    c = (s - 1) / alpha
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        return x ** (1 - s) * kappa ** (-n) / (s - 1) * _hyp2f1(n, c, c + 1, -1 / _power(kappa, x, alpha))


def _head_at_infinity(alpha, kappa, s, n):
    b = _beta(alpha, s, n) / alpha
    return kappa ** (-b) * math.gamma(b) * math.gamma(n - b) / (alpha * math.gamma(n))


def power_integral(alpha, kappa, P=math.inf, s=None, n=1):
    """``int_1^P k^-s (k^-alpha + kappa)^-n dk`` on an array of ``kappa > 0`` (default ``s = n
    alpha``; real ``P >= 1``, ``P = inf`` needs ``s > 1``).  ``2F1`` is evaluated in ``[-1, 0]``
    wherever a form allows: below ``kappa P^alpha = 1`` the head form ``H(P) - H(1)``, above it
    (``s > 1``) ``int_1^oo - tail(P)``, with ``int_1^oo = tail(1)`` for ``kappa >= 1`` and ``H(oo) -
    H(1)`` below; otherwise mpmath.  About 1e-14 relative (the tests
    compare with mpmath's quadrature)."""
    alpha = check_alpha(alpha, "power_integral")
    if n != int(n) or n < 0:
        raise ValueError(f"power_integral: the power n must be an integer >= 0, got {n}")
    n = int(n)
    s = n * alpha if s is None else _finite(s, "power_integral: the exponent s")
    P = _finite(P, "power_integral: the upper limit P") if not (isinstance(P, float) and math.isinf(P)) else P
    infinite = math.isinf(P)
    if not P >= 1:
        raise ValueError(f"power_integral: the upper limit P must be >= 1, got {P:g}")
    if infinite and not s > 1:
        raise ValueError(f"power_integral: int_1^oo needs s > 1 (the integrand decays like k^-s), got s = {s:g}")
    beta = _beta(alpha, s, n)
    if not (beta > 0 or s > 1):
        raise ValueError(f"power_integral: needs alpha n - s + 1 > 0 or s > 1, got alpha = {alpha:g}, "
                         f"s = {s:g}, n = {n}")
    kappa = np.asarray(kappa, dtype=float)
    if not np.all(kappa > 0):
        raise ValueError("power_integral: kappa must be > 0")
    if P == 1:
        return np.zeros(kappa.shape)
    if n == 0:    # k^-s alone
        value = math.log(P) if s == 1 else (P ** (1 - s) - 1) / (1 - s)
        return np.full(kappa.shape, value)
    big = np.ones(kappa.shape, dtype=bool) if infinite else _power(kappa, P, alpha) > 1
    out = np.empty(kappa.shape)
    if s > 1 and big.any():
        kb = kappa[big]
        # int_1^oo: the tail from 1 where kappa >= 1 (its 2F1 at -1/kappa), else H(oo) - H(1)
        # (2F1 at -kappa); the difference of the two H's would cancel at large kappa.
        whole = _tail(1.0, alpha, kb, s, n)
        if beta > 0 and (kb < 1).any():
            small = kb < 1
            whole[small] = (np.array([_head_at_infinity(alpha, x, s, n) for x in kb[small]])
                            - _head(1.0, alpha, kb[small], s, n))
        out[big] = whole - (0.0 if infinite else _tail(P, alpha, kb, s, n))
        rest = ~big
    else:
        rest = np.ones(kappa.shape, dtype=bool)
    if rest.any():
        kr = kappa[rest]
        out[rest] = (_head(P, alpha, kr, s, n) - _head(1.0, alpha, kr, s, n) if beta > 0
                     else _tail(1.0, alpha, kr, s, n) - _tail(P, alpha, kr, s, n))
    return out


def df(alpha, kappa, n=1, P=math.inf):
    """``df_n(kappa) = int_1^P (k^-alpha/(k^-alpha + kappa))^n dk`` on an array of ``kappa``."""
    alpha = check_alpha(alpha, "df")
    return power_integral(alpha, kappa, P, n * alpha, n)


# ---- the gap, certified ----------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """The certified comparison of ``S = sum_{k=1}^P f(k)`` with ``I = int_1^P f(k) dk``, Arb
    balls: ``gap = S - I``, ``centre = (f(1) + f(P))/2``, ``half_width = V/2`` (``V`` the total
    variation of ``f`` on ``[1, P]``).  :attr:`holds`: ``|gap - centre| <= half_width`` decided on
    the balls (True only when certain).  :attr:`bound` ``= centre + half_width`` bounds ``|gap|``
    (``f(1)`` for a decreasing ``f``)."""

    sum: object
    integral: object
    gap: object
    centre: object
    half_width: object
    holds: bool

    @property
    def bound(self):
        return self.centre + self.half_width

    def interval(self):
        """``(lower, upper)`` as floats: where the bound puts the gap."""
        return float((self.centre - self.half_width).mid()), float(self.bound.mid())


def certify_gap(alpha, kappa, P, s=None, n=1, prec=128):
    """The gap between ``sum_{k=1}^P f(k)`` and ``int_1^P f(k) dk`` for ``f(k) = k^-s (k^-alpha +
    kappa)^-n`` (default ``s = n alpha``), certified in Arb: the sum term by term, the integral
    by the kernel's ``acb.integral`` (:func:`derive.check.kernel.balls.enclose`, not the closed
    form), and ``|S - I - (f(1) + f(P))/2| <= V/2`` decided on the balls.  ``alpha, kappa, s``
    are exact: a float is the binary number it is; pass sympy Rationals for decimals."""
    from flint import arb

    from ..check.kernel.balls import enclose, exact_number, precision

    check_alpha(float(alpha), "certify_gap")
    P = check_size(P, "certify_gap")
    if P > MAX_CERTIFIED_P:
        raise ValueError(f"certify_gap: P = {P} is more than {MAX_CERTIFIED_P} terms to add in Arb")
    if not float(kappa) > 0:
        raise ValueError("certify_gap: kappa must be > 0")
    alpha, kappa, n = exact_number(alpha), exact_number(kappa), int(n)
    s = n * alpha if s is None else exact_number(s)
    k = sp.Symbol("k", positive=True)
    integral = enclose(sp.Integral(power_integrand(k, alpha, kappa, s, n), (k, 1, P)), {}, prec).real
    with precision(prec):
        a, kap, ss = (_arb(v) for v in (alpha, kappa, s))

        def f(x):
            return x ** (-ss) / (x ** (-a) + kap) ** n

        total = arb(0)
        for j in range(1, P + 1):
            total += f(arb(j))
        ends = f(arb(1)), f(arb(P))
        variation = _variation(f, a, kap, ss, n, P, ends)
        gap = total - integral
        centre, half = (ends[0] + ends[1]) / 2, variation / 2
        # P = 1: S = f(1), I = 0, V = 0, an identity (no ball is certainly <= an exact 0).
        holds = P == 1 or bool(abs(gap - centre) <= half)
    return Gap(total, integral, gap, centre, half, holds)


def _arb(value):
    from flint import arb

    value = sp.Rational(value)
    return arb(int(value.p)) / int(value.q)


def _variation(f, alpha, kappa, s, n, P, ends):
    """The total variation of the unimodal ``f`` on ``[1, P]``, a ball: ``|f(1) - f(P)|`` when
    the mode ``k* = ((alpha n/s - 1)/kappa)^(1/alpha)`` is outside ``(1, P)``, else ``2 f(k*) -
    f(1) - f(P)`` (``f`` rises to ``k*``, then falls)."""
    mode = None
    if s > 0 and kappa > 0 and alpha * n > s:
        mode = ((alpha * n / s - 1) / kappa) ** (1 / alpha)
    if mode is not None and mode > 1 and mode < P:
        return 2 * f(mode) - ends[0] - ends[1]
    if mode is not None and not (mode <= 1 or mode >= P):   # the ball straddles an end: be safe
        peak = f(mode)
        return 2 * abs(peak) + abs(ends[0]) + abs(ends[1])
    return abs(ends[0] - ends[1])
