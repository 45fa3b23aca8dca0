"""A probe's value at a precision that provably resolves it: ball arithmetic (Arb, through
python-flint) raised in precision until the ball is small against its midpoint.

A limit or series check evaluates its expression at ``x = point + 10^-k`` for k up to 240,
where it cancels: ``1 - cos x`` at ``x = 1e-120`` is ``5e-241``, and at 220 digits it is 0.
Comparing two floating-point evaluations a few digits apart cannot see that (both are 0, and
agree).  A ball does: Arb returns an enclosure ``[m +- r]`` of the exact value, so the probe is
*resolved* when ``r <= 2^-ACCURACY_BITS |m|``, and the working precision is doubled until it is.
The precision thus follows the probe's scale, whatever the cancellation.

This is the small translator the limit and series rules use until the kernel's ball module
(``derive.check.kernel.balls``) replaces it: :func:`ball` maps a sympy expression onto ``acb``
operations, and raises :class:`Unsupported` for a node it does not know (the caller then falls
back to mpmath, see :func:`derive.rules.limit.stable_value`).
"""

from __future__ import annotations

import numbers
import time

import mpmath
import sympy as sp
from flint import acb, arb, ctx, fmpq, fmpz

#: A probe is resolved when its ball's radius is below 2^-ACCURACY_BITS of its midpoint (1e-21).
ACCURACY_BITS = 70
#: CPU seconds the balls of one probe may take before the caller's mpmath route is used.
BALL_SECONDS = 1.0
#: Hypergeometric parameters above this are left to mpmath (see :func:`_node`).
HYPER_PARAMETERS = 10**4


class Unsupported(Exception):
    """The expression has a node the translator does not map onto Arb."""


def _unary(method):
    return lambda z: getattr(z, method)()


#: sympy function -> acb operation (principal branches, as sympy's).
FUNCTIONS = {
    sp.exp: _unary("exp"), sp.log: _unary("log"),
    sp.sin: _unary("sin"), sp.cos: _unary("cos"), sp.tan: _unary("tan"), sp.cot: _unary("cot"),
    sp.sec: _unary("sec"), sp.csc: _unary("csc"),
    sp.sinh: _unary("sinh"), sp.cosh: _unary("cosh"), sp.tanh: _unary("tanh"), sp.coth: _unary("coth"),
    sp.asin: _unary("asin"), sp.acos: _unary("acos"), sp.atan: _unary("atan"),
    sp.asinh: _unary("asinh"), sp.acosh: _unary("acosh"), sp.atanh: _unary("atanh"),
    sp.gamma: _unary("gamma"), sp.loggamma: _unary("lgamma"), sp.digamma: _unary("digamma"),
    sp.erf: _unary("erf"), sp.erfc: _unary("erfc"), sp.erfi: _unary("erfi"),
    sp.Ei: _unary("ei"), sp.Si: _unary("si"), sp.Ci: _unary("ci"),
    sp.zeta: lambda s: s.zeta(),
    sp.Abs: lambda z: acb(abs(z)),
    sp.re: lambda z: acb(z.real), sp.im: lambda z: acb(z.imag),
    sp.conjugate: lambda z: z.conjugate(),
    sp.factorial: lambda z: (z + 1).gamma(),
    sp.polylog: lambda s, z: z.polylog(s),
    sp.besselj: lambda n, z: z.bessel_j(n), sp.bessely: lambda n, z: z.bessel_y(n),
    sp.besseli: lambda n, z: z.bessel_i(n), sp.besselk: lambda n, z: z.bessel_k(n),
}


def _exact_number(value):
    """An mpmath, Python or sympy number as an exact ball (a binary float is exact)."""
    if hasattr(value, "value") and isinstance(getattr(value, "value"), sp.Basic):  # sampling.Exact
        return _node(value.value, {}, {})
    if isinstance(value, sp.Basic):
        return _node(value, {}, {})
    if isinstance(value, numbers.Integral):
        return acb(fmpz(int(value)))
    if isinstance(value, mpmath.mpf):
        return acb(_binary(value))
    if isinstance(value, float):
        with mpmath.workprec(53):  # a double is exact at 53 bits
            return acb(_binary(mpmath.mpf(value)))
    if isinstance(value, mpmath.mpc):
        return acb(_binary(value.real), _binary(value.imag))
    if isinstance(value, complex):
        with mpmath.workprec(53):
            return acb(_binary(mpmath.mpf(value.real)), _binary(mpmath.mpf(value.imag)))
    raise Unsupported(f"a point value of type {type(value).__name__}")


def _binary(value):
    """An mpf (or an mpf tuple, a sympy Float's ``_mpf_``) as the exact arb ``man 2^exp``."""
    raw = value if isinstance(value, tuple) else value._mpf_
    if not mpmath.isfinite(mpmath.mpf(raw)):
        raise Unsupported("a point value that is not finite")
    sign, man, exp, _ = raw  # (mpf.man_exp drops the sign)
    man = -int(man) if sign else int(man)
    with ctx.workprec(max(man.bit_length(), 2) + 64):  # exact: man fits, 2^exp is exact
        return arb(fmpz(man)) * arb(2) ** int(exp)


def _constant(expr):
    if expr is sp.pi:
        return acb.pi()
    if expr is sp.E:
        return acb(1).exp()
    if expr is sp.EulerGamma:
        return acb(arb.const_euler())
    if expr is sp.Catalan:
        return acb(arb.const_catalan())
    if expr is sp.GoldenRatio:
        return (1 + acb(5).sqrt()) / 2
    if expr is sp.I:
        return acb(0, 1)
    raise Unsupported(f"the constant {expr}")


def _node(expr, point, memo):
    if expr in memo:
        return memo[expr]
    if expr.is_Symbol:
        if expr not in point:
            raise ValueError(f"no value for {expr}")
        found = _exact_number(point[expr])
    elif expr.is_Integer:
        found = acb(fmpz(int(expr)))
    elif expr.is_Rational:
        found = acb(arb(fmpq(int(expr.p), int(expr.q))))
    elif expr.is_Float:
        found = acb(_binary(expr._mpf_))  # the float's exact binary value, unrounded
    elif isinstance(expr, sp.NumberSymbol) or expr is sp.I:
        found = _constant(expr)
    elif expr.is_Add:
        found = acb(0)
        for term in expr.args:
            found += _node(term, point, memo)
    elif expr.is_Mul:
        found = acb(1)
        for factor in expr.args:
            found *= _node(factor, point, memo)
    elif expr.is_Pow:
        found = _power(expr, point, memo)
    elif isinstance(expr, sp.hyper):
        ap = [_node(a, point, memo) for a in expr.ap]
        bq = [_node(b, point, memo) for b in expr.bq]
        if any(not (abs(c) < HYPER_PARAMETERS) for c in ap + bq):
            # Arb sums such a series term by term: seconds per probe at 1000 bits (1/p, p = 3e-11).
            raise Unsupported("a hypergeometric function with a parameter beyond 1e4")
        found = _node(expr.argument, point, memo).hypgeom(ap, bq)
    elif type(expr) in FUNCTIONS:
        arguments = [_node(a, point, memo) for a in expr.args]
        try:
            found = FUNCTIONS[type(expr)](*arguments)
        except TypeError:  # another arity than the one mapped (Hurwitz's zeta(s, a))
            raise Unsupported(f"{type(expr).__name__} with {len(arguments)} arguments") from None
    else:
        raise Unsupported(f"{type(expr).__name__}")
    memo[expr] = found
    return found


def _power(expr, point, memo):
    """``base ** exp`` on the principal branch; integer powers exactly, halves by sqrt."""
    base, exponent = expr.args
    z = _node(base, point, memo)
    if exponent.is_Integer:
        return z ** int(exponent)
    if exponent.is_Rational and exponent.q == 2:
        return z.sqrt() ** int(exponent.p)
    return z ** _node(exponent, point, memo)


def ball(expr, point, bits):
    """An ``acb`` enclosing ``expr`` at ``point`` (symbol -> number), computed at ``bits`` bits.

    Raises :class:`Unsupported` for a node not in the translator, ValueError for a symbol
    without a value."""
    with ctx.workprec(int(bits)):
        return _node(sp.sympify(expr), point, {})


def _to_mpmath(value):
    real = value.real.mid().man_exp()
    number = mpmath.mpf((int(real[0]), int(real[1])))
    if value.imag.is_exact() and value.imag.is_zero():
        return number
    imag = value.imag.mid().man_exp()
    return mpmath.mpc(number, mpmath.mpf((int(imag[0]), int(imag[1]))))


def resolved(expr, point, digits, max_digits, accuracy_bits=ACCURACY_BITS, seconds=None):
    """``expr`` at ``point`` as an mpmath number correct to ``accuracy_bits`` bits, from balls
    at ``digits`` digits raised up to ``max_digits``; None when none resolves it (a value that
    is 0, infinite, or on a branch cut within the ball).

    A finite ball short of the accuracy is retried with the bits it lacks and 32 more (the
    digits a cancellation loses do not depend on the precision); a ball that is not finite
    (a denominator that contains 0) with twice the bits.  Raises :class:`Unsupported` when the
    expression has a node Arb is not given here, or when the balls have taken more than
    ``seconds`` (:data:`BALL_SECONDS`) of CPU time: a 2F1 with a parameter of 1e10 is slow in
    Arb at hundreds of digits, and the caller's mpmath route is then the cheaper one."""
    seconds = BALL_SECONDS if seconds is None else seconds
    start = time.process_time()
    bits = int(digits * 3.33) + 16
    while bits <= max_digits * 3.33 + 16:
        value = ball(expr, point, bits)
        accuracy = value.rel_accuracy_bits() if value.is_finite() else None
        if accuracy is not None and accuracy >= accuracy_bits:
            with mpmath.workprec(bits):
                return _to_mpmath(value)
        if time.process_time() - start > seconds:
            raise Unsupported(f"balls not resolved within {seconds:g} s")
        bits = bits + accuracy_bits - accuracy + 32 if accuracy is not None and accuracy > 0 else 2 * bits
    return None
