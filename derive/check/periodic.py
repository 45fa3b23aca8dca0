"""Statements about integers through periodic functions, decided residue class by residue class.

For an integer ``n``, ``sin(pi Q(n))`` and ``cos(pi Q(n))`` with ``Q = P/d`` (``P`` a polynomial
with integer coefficients) are periodic in ``n``: ``(n + 2d)^k = n^k (mod 2d)``, so
``Q(n + 2d) - Q(n)`` is an even integer and the value repeats with period ``T = 2d``.  A
statement in which ``n`` appears only inside such arguments therefore holds for every integer
``n`` exactly when it holds at ``n = 0, 1, ..., T - 1``: finitely many exact statements, whose
sides sympy evaluates at the exact points (``cos(3 pi/2) = 0``) and the kernel decides
(:func:`derive.check.kernel.exact.is_zero`, else the sign of an Arb ball that excludes 0).
Conditions are not used: the statement is decided for every integer, which is stronger.
Sampling cannot do this: ``cos(pi n/2)^4 + sin(pi n/2)^4 >= 1`` is 1 at every integer and 1/2
at ``n = 1/2``, so its relaxation to real ``n`` is false.

>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True)
>>> decide(sp.cos(sp.pi * n / 2)**4 + sp.sin(sp.pi * n / 2)**4 - 1, ">=")
True
>>> decide(sp.cos(sp.pi * n / 2) - 1, ">=") is None
True
"""

from __future__ import annotations

import math

import sympy as sp

from ..sampling import satisfies
from .kernel import exact
from .kernel.balls import NoEnclosure, enclose

#: Periods above this, or more residue combinations than this, are not tried.
MAX_CASES = 64
_TRIGONOMETRIC = (sp.sin, sp.cos)


def _period(expr, n):
    """The period ``2d`` of ``n`` in ``expr``, or None when ``n`` is not only inside
    ``sin``/``cos`` of ``pi`` times a polynomial with rational coefficients."""
    periods = []
    for f in expr.atoms(*_TRIGONOMETRIC):
        if not f.has(n):
            continue
        q = sp.expand(f.args[0] / sp.pi)
        try:
            poly = sp.Poly(q, n)
        except sp.PolynomialError:
            return None
        if not all(c.is_Rational for c in poly.all_coeffs()):
            return None
        periods.append(2 * math.lcm(*(int(c.q) for c in poly.all_coeffs())))
    outside = expr.xreplace({f: sp.Dummy() for f in expr.atoms(*_TRIGONOMETRIC) if f.has(n)})
    if not periods or outside.has(n):
        return None
    return math.lcm(*periods)


def _holds(value, op):
    """True when the exact number ``value`` satisfies ``value op 0``, False when it certainly
    does not, None when the kernel cannot tell."""
    if exact.is_zero(value):
        return op in ("==", ">=", "<=")
    try:
        ball = enclose(value, {}, 256)
    except (NoEnclosure, ArithmeticError, ValueError):
        return None
    if not ball.imag == 0 or ball.real.contains(0):
        return None
    sign = 1 if ball.real > 0 else -1
    return {"==": False, "!=": True, ">": sign > 0, ">=": sign > 0, "<": sign < 0, "<=": sign < 0}[op]


def decide(residual, op):
    """True when ``residual op 0`` holds for every integer value of its integer symbols, decided
    at one representative of each residue class (module docstring); None otherwise."""
    residual = sp.sympify(residual)
    integers = sorted((s for s in residual.free_symbols if s.is_integer), key=str)
    if not integers or residual.free_symbols - set(integers):
        return None
    periods = [_period(residual, n) for n in integers]
    if None in periods or math.prod(periods) > MAX_CASES:
        return None
    if any(key not in _RESIDUE_FREE for n in integers for key, wanted in n.assumptions0.items() if wanted):
        return None  # prime, composite, ...: not a union of residue classes
    cases = [{}]
    for n, period in zip(integers, periods):
        cases = [{**case, n: r} for case in cases for r in range(period)]
    for case in cases:
        # A representative the symbols' assumptions allow (n > 0 and r = 0: take T); sign and
        # parity are all they may say, and parity is fixed modulo an even period.
        chosen = {}
        for n, r in case.items():
            period = periods[integers.index(n)]
            allowed = [sp.Integer(r + j * period) for j in (0, 1, -1, 2, -2) if satisfies(n, sp.Integer(r + j * period))]
            if not allowed:
                break  # a residue the symbol cannot take (n even, r odd)
            chosen[n] = allowed[0]
        else:
            if _holds(residual.xreplace(chosen), op) is not True:
                return None
    return True


#: Assumptions an integer symbol may carry here: each is a union of residue classes modulo an
#: even period, once the sign is met by shifting the representative.
_RESIDUE_FREE = {"integer", "rational", "real", "extended_real", "complex", "finite", "algebraic", "commutative",
                 "hermitian", "even", "odd", "positive", "negative", "nonnegative", "nonpositive", "nonzero",
                 "extended_positive", "extended_negative", "extended_nonnegative", "extended_nonpositive",
                 "extended_nonzero"}


def _applies(residual):
    return any(f.has(*[s for s in f.free_symbols if s.is_integer]) for f in sp.sympify(residual).atoms(*_TRIGONOMETRIC))


def proof(residual, relations, premises, bindings):
    """A proof method for equalities (:data:`derive.check.runner.PROOF_METHODS`)."""
    if _applies(residual) and decide(residual, "=="):
        return ("kernel: residue classes", _EVIDENCE)
    return None


def order_proof(residual, op, conditions, premises):
    """A proof method for order relations (:data:`derive.check.runner.ORDER_PROOFS`)."""
    if _applies(residual) and decide(residual, op):
        return ("kernel: residue classes", _EVIDENCE)
    return None


_EVIDENCE = ("the integer symbols enter only through sin and cos of pi times polynomials, periodic in them; "
             "the statement holds exactly at one representative of every residue class (exact algebra, "
             "else a certified Arb ball)")
