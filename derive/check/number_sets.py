"""Order relations and ``!=`` for a symbol declared rational, irrational or transcendental,
decided by the roots a polynomial can have there.

Sampling cannot show ``x^2 != 2`` for rational ``x``: the real relaxation is false at ``sqrt 2``,
and no sample of the rationals comes near enough to tell.  For ``R(x)`` a polynomial with
rational coefficients in the one such symbol, factored over the rationals by FLINT:

* its **rational** roots are those of its linear factors;
* every other real root is a root of an irreducible factor of degree 2 or more, so it is
  **irrational** and algebraic; whether such a factor has a real root is the kernel's
  real-algebraic decision (Z3);
* a **transcendental** ``x`` is a root of no nonzero such polynomial.

So ``R(x) != 0`` holds for every value ``x`` may take when no root is of ``x``'s kind, and
``R(x) > 0`` when moreover ``R >= 0`` for every real ``x`` under the conditions (Z3): the only
points where ``R`` could vanish are excluded.

>>> import sympy as sp
>>> q = sp.Symbol("q", rational=True)
>>> decide((q**2 - 2)**2, ">", [])
True
>>> decide(q**2 - 4, "!=", []) is None
True
"""

from __future__ import annotations

import sympy as sp

from .kernel import exact, real

#: The assumption that names the set, in the order they are tried.
_KINDS = ("transcendental", "irrational", "rational")


def _kind(symbol):
    for kind in _KINDS:
        if getattr(symbol, f"is_{kind}", None):
            return kind
    return None


def _no_root_of_kind(factors, kind):
    """Whether the polynomial with these irreducible factors (FLINT) has no real root of ``kind``."""
    if kind == "transcendental":
        return True
    for factor in factors:
        degree = factor.degree()
        if degree == 1 and kind == "rational":
            return False
        if degree >= 2 and kind == "irrational":
            u = sp.Dummy("u", real=True)
            as_expr = sum(int(c) * u ** i for i, c in enumerate(factor.coeffs()))
            if real.implies([], sp.Ne(as_expr, 0)) is not True:
                return False  # a real (irrational) root, or Z3 cannot tell
    return True


def decide(residual, op, conditions):
    """True when ``residual op 0`` holds for every value of its one rational, irrational or
    transcendental symbol under ``conditions`` (module docstring); None otherwise."""
    if op not in ("!=", ">", "<"):
        return None
    residual = sp.sympify(residual)
    symbols = residual.free_symbols
    if len(symbols) != 1:
        return None
    (x,) = symbols
    kind = _kind(x)
    if kind is None:
        return None
    factors = exact.rational_factors(residual, x)
    if factors is None or not _no_root_of_kind(factors, kind):
        return None
    if op == "!=":
        return True
    u = sp.Dummy("u", real=True)
    relaxed = {">": sp.Ge, "<": sp.Le}[op](residual.xreplace({x: u}), 0)
    mean_free = [c.xreplace({x: u}) for c in map(sp.sympify, conditions) if c.free_symbols <= {x}]
    return True if real.implies(mean_free, relaxed) is True else None


def order_proof(residual, op, conditions, premises):
    """A proof method for order relations (:data:`derive.check.runner.ORDER_PROOFS`)."""
    if decide(residual, op, conditions):
        return ("kernel: roots by kind (FLINT factorisation, Z3)",
                "lhs - rhs is a rational polynomial in one symbol declared rational, irrational or transcendental, "
                "with no root of that kind (its factors over the rationals, FLINT; real roots of the nonlinear "
                "ones by Z3), and of the claimed sign elsewhere on the real line (Z3)")
    return None
