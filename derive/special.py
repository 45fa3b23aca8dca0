"""Numeric values for the sympy objects numpy has no function for, in the lowering.

A lowered quantity (:mod:`derive.lower`) is evaluated node by node with a bound on its rounding
error (:mod:`derive.roundoff`).  These nodes have no numpy function, and are given one here,
each with a bound on its own error, on numpy grids and at one point in mpmath (a spectral mean
over a given spectrum is one too, through its ``numeric_mean``: :mod:`derive.rmt.given`):

* a special function (:class:`SpecialFunction`: ``gamma``, ``loggamma``, ``beta``, ``zeta``,
  ``polygamma``, ``erf``, ``erfc``, Bessel ``J Y I K``, ``LambertW``; ``erfi``, ``Ei``,
  ``expint``, ``polylog``, ``factorial``): scipy.special where its error is claimed (a region
  and a number of units measured against mpmath, :func:`scipy_table`), Arb's certified ball at
  every other point;

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
  the square of that at ``2h``, so the difference bounds it) or, where larger, the strip bound
  of the trapezoidal rule from the integrand off the real line (:meth:`Integral.strip`: a peak
  of width 1e-4 between the nodes is missed by both steps alike, and only the strip bound sees
  it), and the tail below the innermost node, from the power ``v^gamma`` the two innermost
  nodes show (infinite for ``gamma <= -1``, where the integral may not converge).  In mpmath it
  is mpmath's tanh-sinh rule on the same halves, the step halved until mpmath's estimate and
  the strip bound of that step both meet the working precision.

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

import itertools

import mpmath
import numpy as np
import sympy as sp

from .check.kernel.balls import NoEnclosure, enclose, to_mpmath
from .quadrature import default_rule

#: The precision (bits) of mpmath's hypergeometric functions on the numpy path: far above the
#: 53 of a double, so that rounding the result is the only error that matters.
BITS = 100

#: The highest precision (bits) at which an integral is computed in mpmath.
MAX_BITS = 1024

#: The half-widths ``d`` of the strips ``|Im t| < d`` whose lines bound the discretisation error
#: of an integral (:meth:`Integral.strip`): the narrowest sees features closest to the real line,
#: the widest lets a smooth integrand's bound fall fastest with the step.
STRIP_WIDTHS = (1 / 8, 1 / 4, 1 / 2)

#: Where the tanh-sinh variable ``t`` stops: ``u(t)`` reaches ``1e-250``, as in the numpy rule.
_REACH = float(np.arcsinh(250 * np.log(10) / np.pi))

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
    """The numeric form of ``node`` (a :class:`Hypergeometric`, an :class:`Integral` or a
    :class:`SpecialFunction`), or None when numpy has a function for it.  ``arguments`` are the
    symbols it may depend on, in order.  Its :attr:`inputs` are the expressions it is a function
    of: the free symbols of a hypergeometric function or an integral, the arguments of a special
    function."""
    if isinstance(node, SPECIAL_FUNCTIONS) and node.args:
        return SpecialFunction(node)
    if isinstance(node, sp.hyper):
        return Hypergeometric(node, _ordered(node, arguments))
    if callable(getattr(node, "numeric_mean", None)):  # a spectral mean over a given spectrum
        return node.numeric_mean(_ordered(node, arguments))
    integral = node.numeric_integral() if callable(getattr(node, "numeric_integral", None)) else node
    if isinstance(integral, sp.Integral):
        return Integral(integral, _ordered(integral, arguments))
    return None


def prepare(expr, arguments):
    """``expr`` with its hypergeometric functions and integrals replaced by functions of their
    free symbols that compute them (numpy arrays in, arrays out; mpmath numbers in, an mpmath
    number out), for ``lambdify``."""
    replacements = {}
    traversal = sp.preorder_traversal(expr)
    for node in traversal:
        if node in replacements:
            traversal.skip()
            continue
        special = special_for(node, arguments)
        if special is not None:
            # a name of its own: sympy caches undefined functions by name, and an implementation
            # set on a shared name would be another node's (prepare nests: an integrand's own
            # hypergeometric functions are prepared while the integral is)
            function = sp.Function(f"_special_{next(_NAMES)}")
            function._imp_ = staticmethod(_Evaluate(special))
            # a special function's arguments may hold special nodes of their own: prepared first
            inputs = special.inputs if not isinstance(special, SpecialFunction) else [
                prepare(a, arguments) for a in special.inputs]
            replacements[node] = function(*inputs)
            traversal.skip()
    return expr.xreplace(replacements) if replacements else expr


def lambdify(names, expr, modules="numpy", **options):
    """``sympy.lambdify`` of ``expr`` after :func:`prepare`: the one way the lowering turns an
    expression that may hold hypergeometric functions or integrals into a function."""
    return sp.lambdify(names, prepare(sp.sympify(expr), names), modules=modules, **options)


#: Numbers for the functions :func:`prepare` makes.
_NAMES = itertools.count()


def _ordered(node, arguments):
    free = node.free_symbols
    return tuple(a for a in arguments if a in free)


class _Evaluate:
    """A special node as a plain function (numpy arrays or mpmath numbers in, value out, with no
    error bound)."""

    def __init__(self, special):
        self.special = special

    def __call__(self, *values):
        if any(isinstance(v, (mpmath.mpf, mpmath.mpc)) for v in values):
            return self.special.mpmath(*values)[0]
        # the value alone: a root finder's iterations and the unguarded path need no bound
        # (the guarded path bounds every node through derive.roundoff, which calls numpy())
        return self.special.value(*[np.asarray(v) for v in values])


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
        self.inputs = self.symbols
        self._at = sp.lambdify(self.symbols, node, modules="mpmath")
        self.slope = _Slopes(node, self.symbols)
        euler = euler_form(node)
        self._euler = ErrorBound(euler, self.symbols) if euler is not None else None
        self._euler_value = lambdify(self.symbols, euler) if euler is not None else None
        self._z = sp.lambdify(self.symbols, node.argument, modules="numpy") if euler is not None else None

    def _off_cut(self, arrays, shape):
        """Where Euler's integral converges: ``z`` off ``[1, oo)`` (none without an Euler form)."""
        if self._euler is None:
            return np.zeros(shape, dtype=bool)
        with np.errstate(all="ignore"):
            z = np.broadcast_to(self._z(*arrays), shape)
        return np.isfinite(z) & ((np.imag(z) != 0) | (np.real(z) < 1))

    def value(self, *values):
        """The value alone on arrays: Euler's integral off the cut, mpmath elsewhere."""
        arrays = np.broadcast_arrays(*values) if values else [np.zeros(())]
        shape = arrays[0].shape
        value = np.full(shape, np.nan, dtype=complex)
        euler = self._off_cut(arrays, shape)
        if euler.any():
            with np.errstate(all="ignore"):
                value[euler] = np.broadcast_to(self._euler_value(*[a[euler] for a in arrays]), (int(euler.sum()),))
        if (~euler).any():
            value[~euler] = self._points([a[~euler] for a in arrays])[0]
        return _real_if_real(value, arrays)

    def numpy(self, *values):
        """``(value, error)`` on arrays."""
        arrays = np.broadcast_arrays(*values) if values else [np.zeros(())]
        shape = arrays[0].shape
        value = np.full(shape, np.nan, dtype=complex)
        error = np.full(shape, np.inf)
        todo = np.ones(shape, dtype=bool)
        euler = self._off_cut(arrays, shape)
        if euler.any():
            found, bound = self._euler([a[euler] for a in arrays], [0.0] * len(arrays))
            value[euler], error[euler] = found, bound
            # where the integral's own bound is poor, mpmath's hyper decides
            poor = np.zeros(shape, dtype=bool)
            poor[euler] = ~(bound <= 1e-10 * np.abs(found))
            todo = ~euler | poor
        if todo.any():
            value[todo], error[todo] = self._points([a[todo] for a in arrays])
        return _real_if_real(value, arrays), error

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
        """``(value, error)`` at the working precision, certified: Arb's ball for the function
        (:func:`derive.check.kernel.balls.enclose`; about 3 times faster than mpmath's
        ``hyp2f1`` at 106 bits, whose accuracy is a claim, not a bound), its midpoint and radius.
        Values are remembered: the same function at the same point recurs in a quantity, its
        derivatives and its integrals' integrands."""
        key = (self.node, tuple(values), mpmath.mp.prec)
        found = _REMEMBERED.get(key)
        if found is None:
            try:
                found = to_mpmath(enclose(self.node, dict(zip(self.symbols, values)), mpmath.mp.prec + 10))
            except (NoEnclosure, ValueError, ZeroDivisionError):
                value = self._at(*values)  # no ball (a parameter at a pole): mpmath's value, 8 units
                found = value, 8 * mpmath.mpf(2) ** -mpmath.mp.prec * abs(value)
            if len(_REMEMBERED) > 10_000:
                _REMEMBERED.clear()
            _REMEMBERED[key] = found
        return found


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
        self.inputs = self.symbols
        self.lower, self.upper, self.half = lower, upper, (upper - lower) / 2
        v = sp.Dummy("v", positive=True)
        # Both halves start at an endpoint: x = a + v and x = b - v, v in (0, (b - a)/2).
        self.pieces = tuple(integral.function.xreplace({variable: end}) for end in (lower + v, upper - v))
        self._bounds = tuple(ErrorBound(piece, (v,) + self.symbols) for piece in self.pieces)
        self._values = tuple(lambdify((v,) + self.symbols, piece) for piece in self.pieces)
        # For mpmath the parts free of v are computed once, not at every node (a hypergeometric
        # function inside the integrand costs milliseconds a call).
        self._mp = []
        for piece in self.pieces:
            constants = _constant_parts(piece, v)
            names = sp.symbols(f"c0:{len(constants)}", cls=sp.Dummy)
            reduced = piece.xreplace(dict(zip(constants, names)))
            self._mp.append((tuple(lambdify(self.symbols, c, modules="mpmath") for c in constants),
                             sp.lambdify((v,) + tuple(names), reduced, modules="mpmath")))
        self.slope = _Slopes(integral, self.symbols)
        self._conjugate = not any(piece.has(sp.I) for piece in self.pieces)

    def strip(self, k, arrays, step, logarithm=False):
        """A bound on the discretisation error of the trapezoidal sum of step ``step`` (in ``t``)
        over piece ``k``, at the points ``arrays`` (each of shape ``(count, 1)``), from the
        piece off the real line (Trefethen and Weideman, SIAM Review 56 (2014), theorem 5.1):
        for ``g(t) = f(v(t)) v'(t)`` analytic in the strip ``|Im t| < d``,

            |h sum_k g(kh) - integral g| <= 2 M / (exp(2 pi d / h) - 1),   M = sup_{|y| < d} integral |g(t + iy)| dt,

        and ``integral |g(t + iy)| dt`` is log-convex in ``y`` (Hardy), so its supremum is at
        ``y = 0`` or ``y = +-d``; each is estimated by the same sum on that line.  The smallest
        bound over ``d`` in :data:`STRIP_WIDTHS` is returned (infinite when every line overflows
        or gives nan).  This sees what the difference of two steps cannot: a feature narrower
        than the nodes' spacing (a peak of width 1e-4 between two nodes is missed by both
        sums alike, but makes ``|g|`` on a line at distance ``d`` of order ``exp((d/1e-4)^2)``).
        The supremum is sampled, not proved, and a pole inside the strip is seen only through
        the values near it on the lines."""
        half = float(self.half)
        count = int(np.ceil(_REACH / step))
        t = np.arange(-count, count + 1) * step
        program = self._bounds[k]
        values = [np.asarray(a) for a in arrays]
        conjugate = self._conjugate and not any(np.iscomplexobj(a) for a in values)
        widths = [(0.0,)] + [((d,) if conjugate else (d, -d)) for d in STRIP_WIDTHS]
        masses = []
        with np.errstate(all="ignore"):
            for lines in widths:
                mass = 0.0
                for d in lines:
                    s = np.pi / 2 * np.sinh(t + 1j * d if d else t)
                    # q = exp(-2 |Re s|) e^{...}: u and u' without overflow on either side
                    q = np.exp(-2 * np.where(s.real >= 0, s, -s))
                    u = np.where(s.real >= 0, 1 / (1 + q), q / (1 + q))
                    du = np.pi * np.cosh(t + 1j * d if d else t) * q / (1 + q) ** 2
                    try:
                        g = program([half * u, *values], [0.0] * (1 + len(values)))[0] * half * du
                    except (ArithmeticError, ValueError, TypeError):
                        g = np.full(t.shape, np.nan)
                    # below |u| = 1e-100 the weights are below 1e-90 and an endpoint singularity
                    # overflows in complex arithmetic (inf * 0 is nan there): the tail bound's part
                    g = np.where(np.abs(u) >= 1e-100, g, 0.0)
                    line = step * np.sum(np.abs(g), axis=-1)
                    mass = np.maximum(mass, np.where(np.isnan(line), np.inf, line))
                masses.append(mass)
            bound = np.full(np.shape(masses[0]), np.inf)
            for d, mass in zip(STRIP_WIDTHS, masses[1:]):
                # in logarithms: exp(2 pi d / h) overflows at the steps mpmath takes
                log = np.log(2 * np.maximum(mass, masses[0])) - 2 * np.pi * d / step - np.log1p(-np.exp(-2 * np.pi * d / step))
                bound = np.minimum(bound, np.where(np.isnan(log), np.inf, log))
        # with the logarithm, also integral |g| on the real line: the scale of the sum's rounding
        return (bound, masses[0]) if logarithm else np.exp(bound)

    def value(self, *values):
        """The value alone on arrays (the rule's sum, no bound)."""
        arrays = np.broadcast_arrays(*values) if values else [np.zeros(())]
        shape = arrays[0].shape
        flat = [a.ravel() for a in arrays]
        rule = default_rule()
        total = np.zeros(flat[0].size if flat else 1, dtype=complex)
        with np.errstate(all="ignore"):
            for start in range(0, total.size, BLOCK):
                block = [a[start:start + BLOCK, None] for a in flat]
                count = len(block[0]) if block else 1
                for piece in self._values:
                    total[start:start + BLOCK] += rule.integrate(
                        lambda v, _: np.broadcast_to(piece(v, *block), (count, v.size)), 0.0, float(self.half))
        total = total.real if np.all(total.imag == 0) else total
        return total.reshape(shape)

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
                for k, bound in enumerate(self._bounds):
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
                    # ... when the step resolves the integrand at all: the strip bound says whether
                    discretisation = np.maximum(discretisation, self.strip(k, block, rule.step))
                    value[rows] += total
                    error[rows] += np.sum(e * weights, axis=-1) + summation + discretisation + _tail(nodes, f)
        real = np.all(value.imag == 0)
        value = value.real if real else value
        error = np.where(np.isfinite(value) & ~np.isnan(error), error, np.inf)
        return value.reshape(shape), error.reshape(shape)

    def mpmath(self, *values):
        """``(value, error)`` by mpmath's tanh-sinh rule on the two halves, the step halved
        (degree by degree, as ``mpmath.quad`` does) until both mpmath's own error estimate
        and the strip bound of that step (:meth:`strip`, in double precision at the point) are
        below the working precision; the error is their sum plus 8 units of the working
        precision.  ``mpmath.quad`` alone stops where two steps agree, which a peak narrower
        than both steps' nodes does not disturb (``1 + exp(-((x - 0.3)/1e-4)^2)`` is 1.0 to
        its estimate of 1e-96 at 320 bits).  Above :data:`MAX_BITS` bits,
        :class:`mpmath.libmp.NoConvergence`."""
        if mpmath.mp.prec > MAX_BITS:
            # quad's cost grows fast with the precision: an integral not settled by now is not
            # settled at all (a divergent one, or a singularity too strong for the rule)
            raise mpmath.libmp.NoConvergence(f"{self.integral} is not settled at {MAX_BITS} bits")
        rule, prec = mpmath.mp._tanh_sinh, mpmath.mp.prec
        epsilon = mpmath.mp.eps / 8
        try:
            point = [np.array([[complex(v) if isinstance(v, mpmath.mpc) else float(v)]]) for v in values]
        except (OverflowError, ValueError):
            point = None
        total, error = 0, 0
        for k, (constants, piece) in enumerate(self._mp):
            fixed = [c(*values) for c in constants]
            results, estimate, strip, magnitude = [], mpmath.inf, mpmath.inf, mpmath.inf
            with mpmath.extraprec(20):
                half = mpmath.mpf(self.half)
                for degree in range(1, rule.guess_degree(prec) + 1):
                    nodes = rule.get_nodes(0, half, degree, prec)
                    results.append(rule.sum_next(lambda v: piece(v, *fixed), nodes, degree, prec, results))
                    if degree == 1:
                        continue
                    estimate = rule.estimate_error(results, prec, epsilon)
                    if estimate <= epsilon * max(abs(results[-1]), 1) and point is not None:
                        log, mass = self.strip(k, point, 2.0 ** -degree, logarithm=True)
                        strip = mpmath.exp(mpmath.mpf(float(np.ravel(log)[0])))
                        magnitude = mpmath.mpf(float(np.ravel(mass)[0]))
                        if strip <= epsilon * abs(results[-1]):
                            break
            total += results[-1]
            # rounding: 8 units of the working precision of integral |f|, not of the value (the
            # halves of integral_0^1 sin(2 pi x) cancel to 1e-25 at 80 bits)
            error += estimate + strip + 8 * mpmath.mpf(2) ** -prec * (magnitude + abs(results[-1]))
        if not error <= 2 ** -60 * abs(total):
            return self._certified(values, total, error)
        return total, error

    def _certified(self, values, total, error):
        """Arb's certified integral (:func:`derive.check.kernel.balls.enclose`: adaptive
        Gauss-Legendre with its own bound, an endpoint singularity removed by ``t = a + h v^m``
        with ``m`` chosen from its strength) where the tanh-sinh rule does not settle: a
        singularity ``x^gamma`` with ``gamma`` near -1 (``Integral(u**(a - 1), (u, 0, 1))`` for
        small ``a``: the part below the innermost node, ``x_0^a / a``, is not small for any
        node a double or mpmath reaches).  Its midpoint and radius; ``(total, error)`` as
        they were when Arb gives no finite ball."""
        # a Float means the decimal it prints as (as lambdify writes it for mpmath), not the
        # binary double inside it: 1e-4, not 1e-4 + 5e-21, which moves a narrow peak's integral
        decimal = self.integral.xreplace({f: sp.Rational(str(f)) for f in self.integral.atoms(sp.Float)})
        try:
            ball = enclose(decimal, dict(zip(self.symbols, values)), mpmath.mp.prec + 10)
        except (NoEnclosure, ValueError, ZeroDivisionError, OverflowError):
            return total, error
        if not ball.is_finite():
            return total, error
        middle, radius = to_mpmath(ball)
        # plus 8 units of the working precision, which every later operation rounds to
        return middle, radius + 8 * mpmath.mpf(2) ** -mpmath.mp.prec * abs(middle)


def _constant_parts(expr, variable):
    """The largest subexpressions of ``expr`` free of ``variable`` that are not numbers (the
    integrand's arguments, once these are given)."""
    if variable not in expr.free_symbols and isinstance(expr, sp.Expr):
        return [] if expr.is_number else [expr]
    # (a container, such as hyper's parameter tuples, is never a value of its own: look inside)
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



# ---- special functions: scipy where its accuracy is stated, Arb elsewhere ------------------------

#: Functions computed in Arb balls at every point (Arb has them, scipy's accuracy is not measured
#: here): slower (tens of microseconds a point), certified.
ARB_ONLY = (sp.erfi, sp.Ei, sp.expint, sp.polylog, sp.factorial)

def _real(*values):
    """Where every value is real (a complex array with zero imaginary parts counts)."""
    mask = np.ones(np.broadcast_shapes(*[np.shape(v) for v in values]), dtype=bool)
    for v in values:
        if np.iscomplexobj(v):
            mask &= np.imag(v) == 0
    return mask


def _re(v):
    return np.real(v) if np.iscomplexobj(v) else v


def _positive(*values):
    mask = _real(*values)
    with np.errstate(invalid="ignore"):
        for v in values:
            mask &= _re(v) > 0
    return mask


def _integer_order(n, top=20):
    n = _re(n)
    return _real(n) & (n == np.round(n)) & (n >= 0) & (n <= top)


def _bessel_trust(nu, x):
    nu, x = _re(nu), _re(x)
    return _real(nu, x) & (nu >= 0) & (nu <= 50) & (x > 0) & (x <= 1e3)


def _bessel_scale(own, other):
    """``|J| + |Y|`` where ``x >= nu`` (the envelope: scipy's error there is absolute, and a
    zero of ``J`` or ``Y`` has no relative accuracy), ``|value|`` below (no zeros there)."""
    def scale(nu, x, value):
        with np.errstate(all="ignore"):
            envelope = np.abs(own(_re(nu), _re(x))) + np.abs(other(_re(nu), _re(x)))
        return np.where(_re(x) >= _re(nu), envelope, np.abs(value))
    return scale


def _plus_one(*values):
    return np.abs(values[-1]) + 1


def _scipy_table():
    """sympy function -> (scipy function on real arrays, where scipy is trusted, claimed error
    in units of 2^-53, the scale the claim is relative to (None: ``|value|``)).

    The claims are four times (and at least 16 times) the worst error of scipy 1.17 measured
    against mpmath at 30 digits on 1,500 to 3,000 random points (log-uniform and uniform) of each
    region (tests/test_special_lowering.py samples them again)."""
    import scipy.special as sc

    def loggamma(x):
        return sc.gammaln(x)

    def lambertw(x, k=0):
        return np.real(sc.lambertw(x, 0))

    bessel = {sp.besselj: (sc.jv, sc.yv), sp.bessely: (sc.yv, sc.jv)}
    table = {
        sp.gamma: (sc.gamma, lambda x: _positive(x) & (_re(x) < 171.6), 32, None),
        sp.loggamma: (loggamma, _positive, 16, _plus_one),
        sp.polygamma: (lambda n, x: sc.polygamma(np.real(n).astype(int), x),
                       lambda n, x: _integer_order(n) & _positive(x), 32,
                       lambda n, x, v: np.where(_re(n) == 0, np.abs(v) + 1, np.abs(v))),
        sp.digamma: (sc.psi, _positive, 16, _plus_one),
        sp.zeta: (sc.zeta, lambda s, a=None: (_real(s) & (_re(s) > 1) if a is None else
                                              _real(s) & (_re(s) > 1) & _positive(a) & (_re(a) <= 10)), 32, None),
        sp.erf: (sc.erf, _real, 16, None),
        sp.erfc: (sc.erfc, lambda x: _real(x) & (_re(x) <= 10), 256, None),
        sp.besseli: (sc.iv, lambda nu, x: _bessel_trust(nu, x) & (_re(x) <= 700), 128, None),
        sp.besselk: (sc.kv, lambda nu, x: _bessel_trust(nu, x) & (_re(x) <= 700), 1024, None),
        sp.beta: (sc.beta, lambda a, b: _positive(a, b) & (_re(a) + _re(b) <= 171), 2048, None),
        sp.LambertW: (lambertw, lambda x, k=0: _real(x) & (_re(x) >= -0.36) & (np.asarray(k) == 0), 16, None),
    }
    for node, (own, other) in bessel.items():
        table[node] = (own, _bessel_trust, 16384, _bessel_scale(own, other))
    for node in ARB_ONLY:  # no scipy claim measured: Arb at every point
        table[node] = (None, _never, 0, None)
    return table


def _never(*values):
    return np.zeros(np.broadcast_shapes(*[np.shape(v) for v in values]), dtype=bool)





_SCIPY = {}


def scipy_table():
    """:func:`_scipy_table`, made once (scipy is imported on first use)."""
    if not _SCIPY:
        _SCIPY.update(_scipy_table())
    return _SCIPY


#: The functions :class:`SpecialFunction` lowers (the keys of :func:`scipy_table`).
SPECIAL_FUNCTIONS = (sp.gamma, sp.loggamma, sp.polygamma, sp.digamma, sp.zeta, sp.erf, sp.erfc, sp.besselj,
                     sp.bessely, sp.besseli, sp.besselk, sp.beta, sp.LambertW) + ARB_ONLY

#: Bits at which Arb evaluates a point scipy is not trusted with (a double's 53, and margin
#: for the ball's radius).
ARB_BITS = 96


class SpecialFunction:
    """``f(a_1, ..., a_n)`` for a special function ``f`` of :data:`SPECIAL_FUNCTIONS`, as a
    function of its arguments (:attr:`inputs`, the node's own argument expressions, whose
    rounding errors :mod:`derive.roundoff` carries through :attr:`slope`).

    On arrays: scipy.special, vectorised, where its accuracy is stated (:func:`scipy_table`: a
    region and a claimed error in units of ``2^-53``, measured against mpmath, of the value or
    of a scale such as the envelope ``|J| + |Y|`` of an oscillating Bessel function); at every
    other point (a complex argument, a negative one for gamma, a large order) Arb's certified
    ball (:func:`derive.check.kernel.balls.enclose`) at :data:`ARB_BITS` bits, its radius plus
    the rounding to double as the error.  Where Arb has no ball (a pole: ``gamma(-1)``) the
    value is nan with an infinite error.  At one point in mpmath: Arb's ball at the working
    precision, as for :class:`Hypergeometric`.

    >>> x = sp.Symbol("x")
    >>> g = special_for(sp.gamma(x), (x,))
    >>> value, error = g.numpy(np.array([0.5, -0.5, 1 + 1j]))
    >>> value.round(12).tolist()                   # sqrt(pi), -2 sqrt(pi), Gamma(1 + i)
    [(1.772453850906+0j), (-3.544907701811+0j), (0.498015668118-0.154949828302j)]
    >>> bool(np.all(error < 1e-14 * np.abs(value)))
    True
    """

    def __init__(self, node):
        self.node = node
        self.inputs = tuple(node.args)
        self.symbols = tuple(sp.Dummy(f"a{k}") for k in range(len(self.inputs)))
        self.call = node.func(*self.symbols)
        self.slope = _SpecialSlopes(self)
        self.function, self.trusted, self.claim, self.scale = scipy_table()[node.func]

    def __reduce__(self):  # the lowered quantity pickles (the prebuilt cache): rebuild from the node
        return SpecialFunction, (self.node,)

    def value(self, *values):
        return self.numpy(*values)[0]

    def numpy(self, *values):
        """``(value, error)`` on arrays (broadcast together)."""
        arrays = [np.asarray(v) for v in np.broadcast_arrays(*values)]
        shape = arrays[0].shape
        flat = [a.ravel() for a in arrays]
        trusted = np.broadcast_to(self.trusted(*flat), flat[0].shape) if flat[0].size else np.zeros(0, bool)
        value = np.full(flat[0].shape, np.nan, dtype=complex)
        error = np.full(flat[0].shape, np.inf)
        if trusted.any():
            inputs = [_re(a[trusted]).astype(float) for a in flat]  # (a function with no claim is never trusted)
            with np.errstate(all="ignore"):
                found = np.asarray(self.function(*inputs), dtype=float)
                scale = np.abs(found) if self.scale is None else self.scale(*inputs, found)
            value[trusted] = found
            # an underflow (0 or subnormal) has lost its relative accuracy: TINY keeps it unsettled
            error[trusted] = self.claim * 2.0 ** -53 * scale + np.where(np.abs(found) < 2.0 ** -1022, 2.0 ** -1074, 0)
            error[trusted] = np.where(np.isfinite(found), error[trusted], np.inf)
        for k in np.flatnonzero(~trusted):
            value[k], error[k] = self._ball([a[k] for a in flat])
        # a point with no value (a pole: nan) is no reason to make the function complex
        real = not any(np.iscomplexobj(a) and np.any(np.imag(a) != 0) for a in arrays) and np.all(
            (value.imag == 0) | np.isnan(value))
        value = value.real if real else value
        return value.reshape(shape), error.reshape(shape)

    def _ball(self, point):
        """Arb's ball at one point as ``(double, error)``; ``(nan, inf)`` where it has none."""
        try:
            ball = enclose(self.call, dict(zip(self.symbols, point)), ARB_BITS)
        except (NoEnclosure, ValueError, ZeroDivisionError, OverflowError):
            return complex(np.nan, np.nan), np.inf
        if not ball.is_finite():
            return complex(np.nan, np.nan), np.inf
        middle, radius = to_mpmath(ball)
        try:
            value = complex(middle)
        except OverflowError:
            return complex(np.nan, np.nan), np.inf
        if not np.isfinite(value):  # beyond double precision
            return value, np.inf
        rounding = 2.0 ** -53 * abs(value) + (2.0 ** -1074 if abs(value) < 2.0 ** -1022 else 0)
        return value, float(radius) * (1 + 2.0 ** -50) + rounding

    def mpmath(self, *values):
        """``(value, error)`` at the working precision: Arb's ball, its midpoint and radius."""
        key = (self.node.func, tuple(values), mpmath.mp.prec)
        found = _REMEMBERED.get(key)
        if found is None:
            try:
                found = to_mpmath(enclose(self.call, dict(zip(self.symbols, values)), mpmath.mp.prec + 10))
            except (NoEnclosure, ValueError, ZeroDivisionError, OverflowError):
                found = mpmath.nan, mpmath.inf
            if len(_REMEMBERED) > 10_000:
                _REMEMBERED.clear()
            _REMEMBERED[key] = found
        return found


class _SpecialSlopes(_Slopes):
    """The derivatives of a :class:`SpecialFunction` in each argument: sympy's where it has one
    (``gamma' = gamma psi``), else a central difference (:class:`_NumericSlope`: the derivative
    of ``zeta(s)`` in ``s``, of a Bessel function in its order)."""

    def __init__(self, special):
        super().__init__(special.call, special.symbols)
        self.special = special

    def __call__(self, k):
        found = super().__call__(k)
        if found is None:
            found = self._made[k] = _NumericSlope(self.special, k)
        return found


class _NumericSlope:
    """``|f(.., a_k + h, ..) - f(.., a_k - h, ..)| / (2 h)`` with ``h = 2^-20 (1 + |a_k|)`` (in
    mpmath, ``2^(-prec/3)``), doubled: an estimate, not a bound, of the derivative in an argument
    sympy cannot differentiate in, used only to carry that argument's rounding error (of order
    ``2^-53`` of it), so that a point whose value hangs on it is recognised as ill-conditioned."""

    def __init__(self, special, k):
        self.special, self.k = special, k

    def _moved(self, arguments, h):
        up, down = list(arguments), list(arguments)
        up[self.k] = up[self.k] + h
        down[self.k] = down[self.k] - h
        return up, down

    def __call__(self, arguments, exact):
        a = np.asarray(arguments[self.k])
        h = 2.0 ** -20 * (1 + np.abs(a))
        up, down = self._moved(arguments, h)
        with np.errstate(all="ignore"):
            slope = 2 * np.abs(self.special.value(*up) - self.special.value(*down)) / (2 * h)
        return np.where(np.isfinite(slope), slope, np.inf), None

    def at_working_precision(self, arguments, exact):
        h = mpmath.mpf(2) ** (-mpmath.mp.prec // 3) * (1 + abs(arguments[self.k]))
        up, down = self._moved(arguments, h)
        high, low = self.special.mpmath(*up)[0], self.special.mpmath(*down)[0]
        slope = 2 * abs(high - low) / (2 * h)
        return (slope if mpmath.isfinite(slope) else mpmath.inf), None


def missing_names(function):
    """The global names a function made by ``lambdify`` calls but does not have: a sympy function
    the printer wrote by its name, with no numeric implementation (``airyai``)."""
    import builtins
    import dis

    names = set()
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        codes += [c for c in code.co_consts if hasattr(c, "co_code")]
        names |= {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    return sorted(n for n in names if n not in function.__globals__ and not hasattr(builtins, n))
