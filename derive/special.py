"""Numeric values for the sympy objects numpy has no function for, in the lowering.

A lowered quantity (:mod:`derive.lower`) is evaluated node by node with a bound on its rounding
error (:mod:`derive.roundoff`).  Two kinds of node have no numpy function, and are given one here,
each with a bound on its own error, on numpy grids and at one point in mpmath:

* ``hyper(a, b, z)``, sympy's generalised hypergeometric function (Gauss's ``2F1`` is the
  Stieltjes transform of a power-law spectrum).  A ``2F1(a, b; c; z)`` with ``c > b > 0`` for
  every value of its symbols (or ``c > a > 0``), and whose gamma prefactor simplifies away
  (``c - b`` an integer), is rewritten as Euler's integral

      2F1(a, b; c; z) = Gamma(c)/(Gamma(b) Gamma(c - b)) integral_0^1 t^{b-1} (1 - t)^{c-b-1} (1 - z t)^{-a} dt

  and computed as an integral (below), on whole grids at once.  Any other is evaluated by mpmath
  at :data:`BITS` bits, point by point, and rounded to double: correctly rounded up to a unit in
  the last place, at 0.5 to 10 milliseconds a point.  scipy's ``hyp2f1`` is not used, although
  it is fast: off the region where it was validated it is wrong without saying so (measured
  against mpmath: 0.8 relative at ``2F1(11.95, 12.95; 4.09; -150)``, ``inf`` at
  ``2F1(1, 1; 2; -1.1e13)``).
* a definite integral over a finite interval: ``sympy.Integral(f, (x, a, b))``, or an object that
  says it is one through a ``numeric_integral()`` method (``derive.rmt.UniformMean``, the mean over
  a uniform variable).  It is computed by the tanh-sinh rule (:mod:`derive.quadrature`) on each
  half of ``(a, b)``, the upper half reflected symbolically (``x = b - v``), so that both endpoint
  singularities (``x^{-q}``, ``(b - x)^{-q}``) sit at ``v = 0``, where the nodes reach ``1e-250``
  in double precision.  Its error bound is the sum of the integrand's rounding bounds times the
  weights, the difference to the rule of twice the step (tanh-sinh's error at step ``h`` is about
  the square of that at ``2h``, so the difference bounds it), and the tail below the innermost
  node, from the power ``v^gamma`` the two innermost nodes show (infinite for ``gamma <= -1``,
  where the integral may not converge).  In mpmath it is ``mpmath.quad`` on the same halves, with
  its own error estimate.

>>> import sympy as sp
>>> p, x = sp.symbols("p x", positive=True)
>>> f = special_for(sp.hyper([1, 1 + 1 / p], [2 + 1 / p], -x), (p, x))
>>> value, error = f.numpy(np.array([0.5]), np.array([2.0]))
>>> round(float(value[0]), 12), bool(error[0] < 1e-13 * value[0])    # by Euler's integral
(0.411979608251, True)
>>> q = special_for(sp.Integral(x**-sp.Rational(1, 2) * (1 - x)**-sp.Rational(1, 2), (x, 0, 1)), ())
>>> round(float(q.numpy()[0]), 13)                                   # pi
3.1415926535898
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from .quadrature import default_rule

#: The precision (bits) of mpmath's hypergeometric functions on the numpy path: far above the
#: 53 of a double, so that rounding the result is the only error that matters.
BITS = 100

#: The highest precision (bits) at which an integral is computed in mpmath.
MAX_BITS = 1024

#: Points of a grid whose integrand is evaluated at once (with the rule's nodes on the last axis,
#: and every intermediate of the integrand kept by the error bound: about 100 arrays).
BLOCK = 64


def euler_form(node):
    """``2F1(a, b; c; z)`` as ``prefactor * Integral(...)`` (Euler's integral, valid for ``z``
    off ``[1, oo)``), or None when ``node`` is not a ``2F1`` with ``c > b > 0`` (or
    ``c > a > 0``) for all values of its symbols and a prefactor free of gamma functions.

    >>> p, w = sp.symbols("p w", positive=True)
    >>> euler_form(sp.hyper([1, 1 + 1 / p], [2 + 1 / p], -w))
    (p + 1)*Integral(_t**(1/p)/(_t*w + 1), (_t, 0, 1))/p
    """
    if not isinstance(node, sp.hyper) or len(node.ap) != 2 or len(node.bq) != 1:
        return None
    (a, b), (c,), z = node.ap, node.bq, node.argument
    for first, second in ((a, b), (b, a)):
        if (c - second).is_positive and second.is_positive:
            prefactor = sp.gammasimp(sp.gamma(c) / (sp.gamma(second) * sp.gamma(c - second)))
            if prefactor.has(sp.gamma):
                continue
            t = sp.Dummy("t", positive=True)
            integrand = t ** (second - 1) * (1 - t) ** (c - second - 1) * (1 - z * t) ** -first
            return prefactor * sp.Integral(sp.powsimp(integrand), (t, 0, 1))
    return None


def special_for(node, arguments):
    """The numeric form of ``node`` (a :class:`Hypergeometric` or an :class:`Integral`), or None
    when numpy has a function for it.  ``arguments`` are the symbols it may depend on, in order."""
    if isinstance(node, sp.hyper):
        return Hypergeometric(node, _ordered(node, arguments))
    integral = node.numeric_integral() if callable(getattr(node, "numeric_integral", None)) else node
    if isinstance(integral, sp.Integral):
        return Integral(integral, _ordered(integral, arguments))
    return None


def prepare(expr, arguments):
    """``(expr, namespace)`` for ``lambdify``: the hypergeometric functions and integrals of
    ``expr`` replaced by functions of their free symbols that compute them (numpy arrays in,
    arrays out; mpmath numbers in, an mpmath number out).  ``namespace`` is for numpy: it
    stands for what the replaced nodes leave to name."""
    replacements = {}
    for node in sp.preorder_traversal(expr):
        if node in replacements:
            continue
        special = special_for(node, arguments)
        if special is not None:
            function = sp.Function(f"_special_{len(replacements)}")
            function._imp_ = staticmethod(_Evaluate(special))
            replacements[node] = function(*special.symbols)
    prepared = expr.xreplace(replacements) if replacements else expr
    return prepared, {}


def _ordered(node, arguments):
    free = node.free_symbols
    return tuple(a for a in arguments if a in free)


class _Evaluate:
    """A special node as a plain function (numpy arrays or mpmath numbers in, value out)."""

    def __init__(self, special):
        self.special = special

    def __call__(self, *values):
        if any(isinstance(v, (mpmath.mpf, mpmath.mpc)) for v in values):
            return self.special.mpmath(*values)[0]
        return self.special.numpy(*[np.asarray(v) for v in values])[0]


def _real_if_real(out, inputs):
    """``out`` as real numbers when every input is real and every imaginary part is below the
    precision mpmath computed at (a real function of real arguments)."""
    real = not any(np.iscomplexobj(a) for a in inputs) and np.all(np.abs(out.imag) <= 2.0 ** -BITS * np.abs(out))
    return out.real if real else out


def _mp(x):
    return mpmath.mpc(complex(x)) if np.iscomplexobj(x) else mpmath.mpf(float(x))


class _Slopes:
    """The derivatives of a node in each of its symbols, as :class:`~derive.roundoff.ErrorBound`
    programs made on first use (a derivative of ``hyper`` is another ``hyper``: made eagerly,
    they would never end); None for a symbol sympy cannot differentiate in (a parameter of
    ``hyper``)."""

    def __init__(self, node, symbols):
        self.node, self.symbols = node, symbols
        self._made = {}

    def __call__(self, k):
        if k not in self._made:
            from .roundoff import ErrorBound

            derivative = sp.diff(self.node, self.symbols[k])
            self._made[k] = (None if derivative.has(sp.Derivative, sp.Subs)
                             else ErrorBound(derivative, self.symbols))
        return self._made[k]


class Hypergeometric:
    """``hyper(a, b, z)`` as a function of its free symbols (:data:`symbols`): by Euler's
    integral where it has one and ``z`` is off ``[1, oo)``, else by mpmath point by point."""

    def __init__(self, node, symbols):
        from .roundoff import ErrorBound

        self.node, self.symbols = node, tuple(symbols)
        self._at = sp.lambdify(self.symbols, node, modules="mpmath")
        self.slope = _Slopes(node, self.symbols)
        euler = euler_form(node)
        self._euler = ErrorBound(euler, self.symbols) if euler is not None else None
        self._z = sp.lambdify(self.symbols, node.argument, modules="numpy") if euler is not None else None

    def numpy(self, *values):
        """``(value, error)`` on arrays."""
        arrays = np.broadcast_arrays(*values) if values else [np.zeros(())]
        shape = arrays[0].shape
        value = np.full(shape, np.nan, dtype=complex)
        error = np.full(shape, np.inf)
        todo = np.ones(shape, dtype=bool)
        if self._euler is not None:
            with np.errstate(all="ignore"):
                z = np.broadcast_to(self._z(*arrays), shape)
            # off the cut [1, oo): Euler's integral converges there
            euler = np.isfinite(z) & ((np.imag(z) != 0) | (np.real(z) < 1))
            if euler.any():
                found, bound = self._euler([a[euler] for a in arrays], [0.0] * len(arrays))
                value[euler], error[euler] = found, bound
                # where the integral's own bound is poor, mpmath's hyper decides
                poor = np.zeros(shape, dtype=bool)
                poor[euler] = ~(bound <= 1e-10 * np.abs(found))
                todo = ~euler | poor
        if todo.any():
            value[todo], error[todo] = self._points([a[todo] for a in arrays])
        real = not any(np.iscomplexobj(a) for a in arrays) and np.all(np.abs(value.imag) <= 2.0 ** -BITS * np.abs(value))
        return (value.real if real else value), error

    def _points(self, arrays):
        """mpmath at :data:`BITS` bits, one point at a time: the error is that of rounding."""
        out = np.empty(arrays[0].size if arrays else 1, dtype=complex)
        with mpmath.workprec(BITS):
            for k in range(out.size):
                try:
                    out[k] = complex(self._at(*[_mp(x[k]) for x in arrays]))
                except (ArithmeticError, ValueError, TypeError, mpmath.libmp.NoConvergence):
                    out[k] = complex(np.nan, np.nan)
        return out, np.where(np.isfinite(out), 2.0 ** -52 * np.abs(out), np.inf)

    def mpmath(self, *values):
        """``(value, error)`` at the working precision (mpmath's functions are accurate to it;
        the bound allows 8 units).  Values are remembered: the same function at the same point
        recurs in a quantity, its derivatives and its integrals' integrands, and at integer
        parameters one call costs about 10 milliseconds."""
        key = (self.node, tuple(values), mpmath.mp.prec)
        value = _REMEMBERED.get(key)
        if value is None:
            value = self._at(*values)
            if len(_REMEMBERED) > 10_000:
                _REMEMBERED.clear()
            _REMEMBERED[key] = value
        return value, 8 * mpmath.mpf(2) ** -mpmath.mp.prec * abs(value)


#: Hypergeometric values computed in mpmath, by (node, point, precision).
_REMEMBERED = {}


class Integral:
    """``Integral(f, (x, a, b))``, finite numbers ``a < b``, as a function of its free symbols."""

    def __init__(self, integral, symbols):
        from .roundoff import ErrorBound

        (variable, lower, upper), = integral.limits
        lower, upper = sp.sympify(lower), sp.sympify(upper)
        if not (lower.is_number and upper.is_number and lower.is_finite and upper.is_finite and lower < upper):
            raise ValueError(f"{integral}: only integrals over a finite interval (a, b), a < b, are lowered")
        self.integral, self.symbols = integral, tuple(symbols)
        self.lower, self.upper, self.half = lower, upper, (upper - lower) / 2
        v = sp.Dummy("v", positive=True)
        # Both halves start at an endpoint: x = a + v and x = b - v, v in (0, (b - a)/2).
        self.pieces = tuple(integral.function.xreplace({variable: end}) for end in (lower + v, upper - v))
        self._bounds = tuple(ErrorBound(piece, (v,) + self.symbols) for piece in self.pieces)
        # For mpmath the parts free of v are computed once, not at every node (a hypergeometric
        # function inside the integrand costs milliseconds a call).
        self._mp = []
        for piece in self.pieces:
            constants = _constant_parts(piece, v)
            names = sp.symbols(f"c0:{len(constants)}", cls=sp.Dummy)
            reduced = piece.xreplace(dict(zip(constants, names)))
            self._mp.append((tuple(sp.lambdify(self.symbols, prepare(c, self.symbols)[0], modules="mpmath")
                                   for c in constants),
                             sp.lambdify((v,) + tuple(names), reduced, modules="mpmath")))
        self.slope = _Slopes(integral, self.symbols)

    def numpy(self, *values):
        """``(value, error)`` on arrays, in blocks of :data:`BLOCK` points."""
        arrays = np.broadcast_arrays(*values) if values else [np.zeros(())]
        shape = arrays[0].shape
        flat = [a.ravel() for a in arrays]
        size = flat[0].size
        value = np.zeros(size, dtype=complex)
        error = np.zeros(size)
        rule = default_rule()
        half = float(self.half)
        nodes, weights = half * rule.nodes, half * rule.weights
        middle = _even(nodes.size)
        with np.errstate(all="ignore"):
            for start in range(0, size, BLOCK):
                block = [a[start:start + BLOCK, None] for a in flat]
                rows = slice(start, start + BLOCK)
                count = len(block[0]) if block else 1
                for bound in self._bounds:
                    f, e = bound([nodes, *block], [0.0] * (1 + len(block)))
                    f, e = np.broadcast_to(f, (count, nodes.size)), np.broadcast_to(e, (count, nodes.size))
                    total = np.sum(f * weights, axis=-1)
                    coarse = 2 * np.sum(f[:, middle] * weights[middle], axis=-1)
                    # numpy sums a contiguous last axis pairwise: the sum's rounding error is at
                    # most (8 + log2 n) u sum |terms| (Higham, 2nd ed., section 4.2)
                    summation = (8 + np.log2(nodes.size)) * 2.0 ** -53 * np.sum(np.abs(f) * weights, axis=-1)
                    # the step's error is below |I_h - I_2h| (the coarser rule's, which it dominates),
                    # known to within the two sums' rounding
                    discretisation = np.abs(total - coarse) + 2 * summation
                    value[rows] += total
                    error[rows] += np.sum(e * weights, axis=-1) + summation + discretisation + _tail(nodes, f)
        real = np.all(value.imag == 0)
        value = value.real if real else value
        error = np.where(np.isfinite(value) & ~np.isnan(error), error, np.inf)
        return value.reshape(shape), error.reshape(shape)

    def mpmath(self, *values):
        """``(value, error)`` by ``mpmath.quad`` on the two halves (its error estimate, plus 8
        units of the working precision); above :data:`MAX_BITS` bits,
        :class:`mpmath.libmp.NoConvergence`."""
        if mpmath.mp.prec > MAX_BITS:
            # quad's cost grows fast with the precision: an integral not settled by now is not
            # settled at all (a divergent one, or a singularity too strong for the rule)
            raise mpmath.libmp.NoConvergence(f"{self.integral} is not settled at {MAX_BITS} bits")
        total, error = 0, 0
        for constants, piece in self._mp:
            fixed = [c(*values) for c in constants]
            part, estimate = mpmath.quad(lambda v: piece(v, *fixed), [0, mpmath.mpf(self.half)], error=True)
            total += part
            error += estimate
        return total, error + 8 * mpmath.mpf(2) ** -mpmath.mp.prec * abs(total)


def _constant_parts(expr, variable):
    """The largest subexpressions of ``expr`` free of ``variable`` that are not numbers (the
    integrand's arguments, once these are given)."""
    if variable not in expr.free_symbols:
        return [] if expr.is_number else [expr]
    parts = []
    for arg in expr.args:
        parts += [p for p in _constant_parts(arg, variable) if p not in parts]
    return parts


def _even(count):
    """The nodes of the rule of twice the step: every other node, the middle one included."""
    middle = count // 2
    return np.arange(middle % 2, count, 2)


def _tail(nodes, f):
    """``integral_0^{v_0} |f|`` below the innermost node ``v_0``, for ``|f| ~ C v^gamma`` with
    gamma read off the two innermost nodes: ``v_0 |f(v_0)| / (1 + gamma)``, infinite when
    ``gamma <= -1``."""
    f0, f1 = np.abs(f[:, 0]), np.abs(f[:, 1])
    with np.errstate(all="ignore"):
        gamma = np.log(f1 / f0) / np.log(nodes[1] / nodes[0])
        tail = nodes[0] * f0 / (1 + gamma)
    return np.where(f0 == 0, 0.0, np.where((gamma > -1) & np.isfinite(tail), tail, np.inf))

