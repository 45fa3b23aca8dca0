"""Dirac deltas under an integral: the sifting rule, with the roots located by Arb.

``int_a^b f(t) DiracDelta(g(t)) dt = sum_i f(t_i) / |g'(t_i)|`` over the roots ``t_i`` of ``g``
in ``(a, b)``, when every such root is simple (the composition rule for the delta, e.g.
Gel'fand & Shilov, *Generalized Functions* I, ch. I.3.5; Hörmander, *The Analysis of Linear
Partial Differential Operators* I, thm. 6.1.5).  At a sampled point (every parameter an exact
number) the kernel applies it only when it can decide everything it rests on:

- ``g`` is a polynomial in ``t`` with rational coefficients there; its complex roots are
  isolated by Arb (``fmpz_poly.complex_roots``: each ball holds exactly one root, a real root
  has an imaginary part exactly 0), and ``g`` and ``g'`` have no common root (FLINT's exact
  gcd): a multiple root, where the rule does not apply, leaves no enclosure;
- each real root's ball lies strictly inside ``(a, b)`` or strictly outside ``[a, b]`` (Arb's
  comparisons): a root on an endpoint (``int_0^1 delta(t) dt``, 1/2 by one convention and 1 by
  another) leaves no enclosure;
- each term of the integrand is either free of deltas (integrated by the usual quadrature) or
  ``f(t) DiracDelta(g(t))`` with a single delta of a single argument and ``f`` free of deltas.

Anything else (``DiracDelta(sin t)``, a derivative of the delta, ``delta^2``, a delta outside
an integral) has no enclosure, and a step that needs one stays unverified.
"""

from __future__ import annotations

import sympy as sp
from flint import acb, fmpq, fmpq_poly, fmpz_poly


class NoSifting(ValueError):
    """The sifting rule does not apply here: the caller turns this into ``NoEnclosure``."""


def split(integrand):
    """``(rest, [(f, g), ...])``: the integrand as ``rest + sum f DiracDelta(g)``, read off its
    terms as written (no expansion), or NoSifting."""
    rest, deltas = [], []
    for term in sp.Add.make_args(integrand):
        if not term.has(sp.DiracDelta):
            rest.append(term)
            continue
        factors = sp.Mul.make_args(term)
        found = [f for f in factors if isinstance(f, sp.DiracDelta)]
        others = [f for f in factors if not isinstance(f, sp.DiracDelta)]
        if len(found) != 1 or len(found[0].args) != 1 or any(f.has(sp.DiracDelta) for f in others):
            raise NoSifting("a delta that is not a single factor DiracDelta(g(t)) of a term")
        deltas.append((sp.Mul(*others), found[0].args[0]))
    return sp.Add(*rest), deltas


def _rational_poly(g, t):
    try:
        poly = sp.Poly(g, t)
    except sp.PolynomialError as exc:
        raise NoSifting(f"the delta's argument {g} is not a polynomial in {t}") from exc
    coefficients = poly.all_coeffs()
    if poly.degree() < 1 or not all(c.is_Rational for c in coefficients):
        raise NoSifting(f"the delta's argument {g} is not a polynomial of degree >= 1 with rational coefficients here")
    exact = fmpq_poly([fmpq(int(c.p), int(c.q)) for c in reversed(coefficients)])
    return exact


def real_roots(g, t):
    """The balls of the real roots of ``g`` (simple, decided exactly), or NoSifting."""
    exact = _rational_poly(g, t)
    if exact.gcd(exact.derivative()).degree() > 0:
        raise NoSifting(f"the delta's argument {g} has a multiple root")
    numerator = fmpz_poly(exact.numer())
    return [root for root, _ in numerator.complex_roots() if root.imag.is_zero()], exact.derivative()


def _poly_ball(poly, x):
    total = acb(0)
    for i in reversed(range(poly.degree() + 1)):
        c = poly[i]
        total = total * x + acb(int(c.p)) / int(c.q)
    return total


def sift(deltas, t, a, b, evaluate):
    """``sum`` over ``(f, g)`` in ``deltas`` (from :func:`split`) of ``f(t_i) / |g'(t_i)|`` for
    the roots ``t_i`` of ``g`` in ``(a, b)`` (real balls, ``a < b``); ``evaluate(f, t_ball)``
    encloses ``f``.  NoSifting when a root is not separated from an endpoint."""
    total = acb(0)
    for f, g in deltas:
        roots, derivative = real_roots(g, t)
        for root in roots:
            x = root.real
            if x > a and x < b:
                slope = abs(_poly_ball(derivative, acb(x)).real)
                total += evaluate(f, acb(x)) / slope
            elif not (x < a or x > b):
                raise NoSifting("a root of the delta's argument on an endpoint of the interval (or not "
                                "separated from it)")
    return total
