"""A probe's value at a precision that provably resolves it: ball arithmetic (Arb, through
python-flint) raised in precision until the ball is small against its midpoint.

A limit or series check evaluates its expression at ``x = point + 10^-k`` for k up to 240,
where it cancels: ``1 - cos x`` at ``x = 1e-120`` is ``5e-241``, and at 220 digits it is 0.
Comparing two floating-point evaluations a few digits apart cannot see that (both are 0, and
agree).  A ball does: Arb returns an enclosure ``[m +- r]`` of the exact value, so the probe is
*resolved* when ``r <= 2^-ACCURACY_BITS |m|``, and the working precision is raised until it is.
The precision thus follows the probe's scale, whatever the cancellation.

The balls are the kernel's (:func:`derive.check.kernel.balls.enclose`); this module only raises
their precision until a probe is resolved, and raises :class:`Unsupported` where they give no
enclosure or would be too slow (the caller then falls back to mpmath, see
:func:`derive.rules.limit.stable_value`).
"""

from __future__ import annotations

import time

import mpmath
import sympy as sp

from .kernel import balls

#: A probe is resolved when its ball's radius is below 2^-ACCURACY_BITS of its midpoint (1e-21).
ACCURACY_BITS = 70
#: CPU seconds the balls of one probe may take before the caller's mpmath route is used.
BALL_SECONDS = 1.0
#: Hypergeometric parameters above this are left to mpmath (see :func:`_hyper_too_slow`).
HYPER_PARAMETERS = 10**4


class Unsupported(Exception):
    """The expression has no enclosure here (a node the kernel's balls do not evaluate), or its
    balls are too slow: the caller's mpmath route decides the probe."""


def _hyper_too_slow(expr, point):
    """Whether a hypergeometric function in ``expr`` has a parameter beyond
    :data:`HYPER_PARAMETERS` at ``point`` (judged on a 53-bit ball): Arb sums such a series term
    by term, seconds per probe at 1000 bits (``1/p`` with ``p = 3e-11``)."""
    for node in expr.atoms(sp.hyper):
        for parameter in (*node.ap, *node.bq):
            try:
                size = balls.enclose(parameter, point, prec=53)
            except balls.NoEnclosure:
                return True
            if not (abs(size) < HYPER_PARAMETERS):
                return True
    return False


def ball(expr, point, bits):
    """An ``acb`` enclosing ``expr`` at ``point`` (symbol -> number), computed at ``bits`` bits
    by the kernel (:func:`derive.check.kernel.balls.enclose`).

    Raises :class:`Unsupported` where the kernel gives no enclosure, or a 2F1 would be too slow,
    and ValueError for a symbol without a value."""
    expr = sp.sympify(expr)
    missing = expr.free_symbols - set(point)
    if missing:
        raise ValueError(f"no value for {', '.join(sorted(map(str, missing)))}")
    if _hyper_too_slow(expr, point):
        raise Unsupported("a hypergeometric function with a parameter beyond 1e4")
    try:
        return balls.enclose(expr, point, prec=int(bits))
    except balls.NoEnclosure as exc:
        raise Unsupported(str(exc)) from None


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
