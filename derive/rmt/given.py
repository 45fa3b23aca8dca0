"""Spectral means over a given spectrum: ``SpectralMean(f(r), r, "R")`` with ``R`` given.

A quantity with a general spectral mean ``<f(R)>`` (:class:`derive.rmt.SpectralMean`) has no
value until the law of ``R`` is given.  :func:`specialise` makes each mean over a given law a
:class:`GivenMean`, which :mod:`derive.special` lowers as it lowers an integral: a
:class:`MeanOverSpectrum` computes it on the whole parameter grid at once, with an error bound
or estimate that :mod:`derive.roundoff` carries through the formula, in a quantity and in the
residual of an implicit root alike (:class:`derive.lower.Lowered` and
:func:`derive.lower.lower_quantity` take ``spectra=``).  A spectrum (:func:`as_spectrum`) is
one of

* an array of eigenvalues (or ``derive.rmt.Eigenvalues(values, weights)``, or a finite law
  ``spectrum(...)``, ``atom(...)``): the mean is the weighted average of ``f`` over them,
  ``sum_k w_k f(x_k)``; its error is a bound, the integrand's rounding carried through
  :mod:`derive.roundoff` at every eigenvalue plus the sum's rounding (Higham, 2nd ed., 4.2);
* an algebraic law (``mp(0.5)``, ``semicircle(1)``, their free sums and products): for
  ``f = q(r) + c/(r - z)`` (``q`` a polynomial, ``c`` and ``z`` free of ``r``, as
  ``1/(r + x)``) the mean is ``sum_k q_k E R^k + c m(z)``, the law's exact moments and its
  Stieltjes transform ``m(z) = E 1/(R - z)`` (as ``derive law --stieltjes`` computes it), with
  the error estimated from the curve's residual, ``|P(m, z)| / |dP/dm|`` (a Newton step);
  any other ``f`` by tanh-sinh quadrature of ``f`` times the density over each interval of the
  support, plus the atoms;
* a law that is not algebraic (``powerlaw(0.5)``, :mod:`derive.rmt.continuum`): tanh-sinh
  quadrature over its quantile, ``E f(R) = integral_0^1 f(Q(u)) du`` (exact in the endpoint
  singularities of a power law); a free convolution, which has no quantile, by its Stieltjes
  transform for ``f = q(r) + c/(r - z)`` only.

A quadrature's error is an estimate, not a bound: the difference to the rule of twice the step,
plus the terms at the outermost nodes (a tail the rule has not resolved), plus rounding.  A point
whose bound or estimate is above :data:`derive.lower.TOLERANCE` relative is evaluated again in
mpmath where the spectrum allows it (eigenvalues, an algebraic law's Stieltjes value), and is
otherwise ``nan`` with a warning naming it: a value is printed only when its digits are known.

>>> import sympy as sp
>>> from derive.rmt import SpectralMean
>>> from derive.lower import Lowered
>>> r, x = sp.symbols("r x", positive=True)
>>> f = Lowered(x * SpectralMean(1 / (r + x), r, "R"), (x,), spectra={"R": [1.0, 3.0]})
>>> f(np.array([1.0])).tolist()                       # (1/2 + 1/4)/2
[0.375]
>>> g = Lowered(SpectralMean(1 / (r + x), r, "R"), (x,), spectra={"R": "mp(0.5)"})
>>> round(float(g(0.5)), 12)                          # m(-1/2) of Marchenko-Pastur(1/2)
0.828427124746
"""

from __future__ import annotations

import math
import os

import mpmath
import numpy as np
import sympy as sp

from .. import lower
from ..errors import DerivationError, UsageError
from ..quadrature import default_rule
from ..roundoff import UNIT, ErrorBound
from .spectral import SpectralMean

#: Grid points times nodes evaluated at once (the error bound keeps every intermediate array).
BLOCK = 200_000

#: The relative accuracy claimed for the Stieltjes transform of a free convolution (solved by
#: Newton's method along a path, :mod:`derive.rmt.subordination`): an estimate, not a bound.
SUBORDINATION_ACCURACY = 1e-12


def as_spectrum(value, name="R"):
    """A spectrum from what a user gives: an array (or list) of eigenvalues, a law object
    (:mod:`derive.rmt`), or text: numbers ``"1,2,3.5"``, the path of a ``.npy`` file or of a
    text file of numbers, or a law ``"mp(0.5)"``, ``"powerlaw(0.5)"`` (the grammar of
    ``derive law``).  A :class:`~derive.errors.UsageError` names ``name`` otherwise."""
    from .continuum import ContinuumLaw, Eigenvalues
    from .law import Law

    if isinstance(value, (Law, ContinuumLaw)):
        parameters = getattr(value, "parameters", ())
        if parameters:
            raise UsageError(f"spectrum {name}: the law {value} has symbolic parameters "
                             f"({', '.join(map(str, parameters))}); give them values")
        return value
    if isinstance(value, (str, os.PathLike)):
        return _from_text(os.fspath(value), name)
    try:
        values = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise UsageError(f"spectrum {name}: give eigenvalues (an array), a law or its text, not {value!r}") from None
    try:
        return Eigenvalues(values)
    except ValueError as exc:
        raise UsageError(f"spectrum {name}: {exc}") from None


def _from_text(text, name):
    from .expression import parse_law

    numbers = _numbers(text)
    if numbers is not None:
        return as_spectrum(numbers, name)
    if os.path.isfile(text):
        try:
            values = np.load(text) if text.endswith(".npy") else np.loadtxt(text, delimiter=None, ndmin=1)
        except (OSError, ValueError) as exc:
            raise UsageError(f"spectrum {name}: cannot read eigenvalues from {text}: {exc}") from None
        return as_spectrum(values, name)
    try:
        law = parse_law(text)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError) as exc:
        raise UsageError(f"spectrum {name}={text}: not numbers, a file or a law ({exc})") from None
    return as_spectrum(law, name)


def _numbers(text):
    """``"1,2,3.5"`` as floats, or None when the text is not a list of numbers."""
    try:
        return [float(item) for item in text.replace(" ", "").split(",") if item != ""] or None
    except ValueError:
        return None


def specialise(expr, spectra):
    """``expr`` with every :class:`~derive.rmt.SpectralMean` over a law in ``spectra``
    (``{law name: spectrum}``, :func:`as_spectrum`) made a :class:`GivenMean`, a mean that
    :mod:`derive.special` computes (:class:`MeanOverSpectrum`) wherever the expression is
    lowered: in a quantity, its error bound, and the residual of an implicit root.  Means over
    other laws are left as they are (:func:`laws_of` names them)."""
    from .spectral import UniformMean

    given = {str(name): as_spectrum(value, str(name)) for name, value in (spectra or {}).items()}
    if not given:
        return sp.sympify(expr)

    def replace(node):
        if not node.args:
            return node
        args = tuple(replace(a) for a in node.args)
        if isinstance(node, SpectralMean) and not isinstance(node, (UniformMean, GivenMean)) \
                and str(node.law) in given:
            return GivenMean(args[0], node.variable, _register(str(node.law), given[str(node.law)]))
        return node.func(*args) if args != node.args else node

    return replace(sp.sympify(expr))


#: The nodes of a spectrum, by ``(id, method)`` (with the spectrum, so that an id reused by
#: another object is not mistaken for it): an algebraic law's density takes milliseconds.
_NODES = {}

#: Spectra of :class:`GivenMean` nodes, by the key their law carries (``"R#3"``).
_GIVEN = {}


def _register(name, spectrum):
    """The key of ``spectrum`` for a mean over the law ``name`` (the same spectrum object, the
    same key, so that equal means stay equal nodes)."""
    for key, known in _GIVEN.items():
        if known is spectrum and key.split("#")[0] == name:
            return key
    key = f"{name}#{len(_GIVEN) + 1}"
    _GIVEN[key] = spectrum
    return key


class GivenMean(SpectralMean):
    """``SpectralMean(f, r, "R#k")``: a mean over the law ``R`` whose spectrum is given
    (registered under ``R#k``, :func:`specialise`).  To sympy a spectral mean like any other (a
    derivative passes under it); to the lowering a number, through :meth:`numeric_mean`."""

    def numeric_mean(self, symbols):
        """The :class:`MeanOverSpectrum` of this mean, a function of ``symbols``."""
        return MeanOverSpectrum(self, _GIVEN[str(self.law)], symbols)

    def _sympystr(self, printer):
        shown = self.integrand.xreplace({self.variable: sp.Symbol(str(self.law).split("#")[0])})
        return f"<{printer._print(shown)}>"


def laws_of(expr):
    """The law names of the spectral means in ``expr`` (not :class:`~derive.rmt.UniformMean`)."""
    from .spectral import UniformMean

    return sorted({str(m.law) for m in sp.sympify(expr).atoms(SpectralMean)
                   if not isinstance(m, UniformMean) and not callable(getattr(m, "numeric_mean", None))})


class MeanOverSpectrum:
    """``<f(r)>`` over a given spectrum, as a function of the symbols of ``f`` (a subset of
    ``inputs``), in the form of the nodes of :mod:`derive.special`: :meth:`numpy` (value and
    error on grids), :meth:`value`, :meth:`mpmath` (at one point, at the working precision),
    :attr:`slope` (its derivatives, means again) and :attr:`inputs`."""

    def __init__(self, mean, spectrum, inputs):
        from ..special import _Slopes

        self.mean, self.spectrum = mean, spectrum
        r = sp.Dummy("r")
        self.integrand = mean.integrand.xreplace({mean.variable: r})
        self.variable = r
        self.inputs = tuple(inputs)
        extra = self.integrand.free_symbols - {r} - set(self.inputs)
        if extra:
            raise DerivationError(f"the spectral mean {mean} depends on {', '.join(sorted(map(str, extra)))}, "
                                  "which is not a parameter")
        self.symbols = tuple(s for s in self.inputs if s in self.integrand.free_symbols)
        self._index = [self.inputs.index(s) for s in self.symbols]
        self.slope = _Slopes(mean, self.inputs)
        self.resolvent = _resolvent_form(self.integrand, r)
        self.method = _method(spectrum, self.resolvent)
        if self.method == "sum" or self.method == "quadrature" or self.method == "density":
            self._bound = ErrorBound(self.integrand, (r,) + self.symbols)
            key = (id(spectrum), self.method)
            if _NODES.get(key, (None,))[0] is not spectrum:
                _NODES[key] = (spectrum, _nodes(spectrum, self.method))
            self._nodes = _NODES[key][1]
        else:
            polynomial, c, z = self.resolvent
            self._pieces = [ErrorBound(e, self.symbols) for e in (*polynomial, c, z)]
            moments = spectrum.moments(len(polynomial) - 1) if polynomial else []
            self._moments = [complex(sp.sympify(k)) if not isinstance(k, float) else k for k in moments]

    def __repr__(self):
        return f"MeanOverSpectrum({self.mean}, {self.spectrum}, {self.method})"

    def _own(self, arrays):
        return [arrays[i] for i in self._index]

    def numpy(self, *values):
        """``(value, error)`` on arrays (the values of :attr:`inputs`)."""
        return self.solve(*values)

    def value(self, *values):
        return self.solve(*values, bound=False)[0]

    def mpmath(self, *values):
        """``(value, error)`` at one point: :meth:`certified` where the spectrum has a form in
        mpmath, else the double-precision value and its estimated error (which no precision
        makes smaller: the guard then leaves the point unsettled, nan)."""
        try:
            return self.certified(*values)
        except mpmath.libmp.NoConvergence:
            value, error = self.solve(*[np.asarray(complex(v) if isinstance(v, mpmath.mpc) else float(v))
                                        for v in values])
            value, error = complex(value), float(error)
            return (mpmath.mpf(value.real) if value.imag == 0 else mpmath.mpc(value)), mpmath.mpf(error)

    # ---- numpy ---------------------------------------------------------------------------------

    def solve(self, *arrays, bound=True):
        """``(mean, error)`` on the grid ``arrays`` (the values of :attr:`inputs`, broadcast
        together); ``error`` is None without ``bound``."""
        arrays = np.broadcast_arrays(*arrays) if arrays else [np.zeros(())]
        shape = arrays[0].shape
        own = [np.asarray(a).ravel() for a in self._own(arrays)]
        size = int(np.prod(shape))
        if self.method in ("sum", "quadrature", "density"):
            value, error = self._weighted(own, size)
        else:
            value, error = self._stieltjes(own, size)
        if np.all(np.imag(value) == 0):
            value = np.real(value)
        return value.reshape(shape), (error.reshape(shape) if bound else None)

    def _weighted(self, own, size):
        """``sum_k w_k f(x_k)`` over the nodes, in blocks, with its error (module docstring)."""
        x, w, node_error, coarse, ends = self._nodes
        value = np.zeros(size, dtype=complex)
        error = np.zeros(size)
        rows = max(1, BLOCK // max(x.size, 1))
        with np.errstate(all="ignore"):
            for start in range(0, size, rows):
                block = [a[start:start + rows, None] for a in own]
                count = min(rows, size - start)
                f, e = self._bound([x[None, :], *block], [node_error[None, :], *([0.0] * len(block))])
                f = np.broadcast_to(f, (count, x.size))
                e = np.broadcast_to(e, (count, x.size))
                terms = f * w
                total = np.sum(terms, axis=-1)
                magnitude = np.sum(np.abs(terms), axis=-1)
                bound = np.sum(e * w, axis=-1) + (10 + np.log2(max(x.size, 2))) * UNIT * magnitude
                if coarse is not None:
                    bound = bound + np.abs(total - np.sum(f * coarse, axis=-1))
                    if ends is not None:
                        bound = bound + np.sum(np.abs(terms[:, ends]), axis=-1)
                value[start:start + count] = total
                error[start:start + count] = np.where(np.isfinite(total) & ~np.isnan(bound), bound, np.inf)
        return value, error

    def _stieltjes(self, own, size):
        """``sum_k q_k E R^k + c m(z)`` (the law's moments and Stieltjes transform)."""
        pieces = [bound(own, [0.0] * len(own)) for bound in self._pieces]
        pieces = [(np.broadcast_to(v, (size,)), np.broadcast_to(e, (size,))) for v, e in pieces]
        *polynomial, (c, c_error), (z, z_error) = pieces
        with np.errstate(all="ignore"):
            m, m_error, slope = _transform(self.spectrum, np.asarray(z, dtype=complex))
            value = c * m
            error = np.abs(c) * (m_error + np.abs(slope) * z_error) + c_error * np.abs(m) + 2 * UNIT * np.abs(value)
            for (q, q_error), moment in zip(polynomial, self._moments):
                value = value + q * moment
                error = error + q_error * abs(moment) + 2 * UNIT * np.abs(q * moment)
        error = np.where(np.isfinite(value) & ~np.isnan(error), error, np.inf)
        return value, error

    # ---- mpmath --------------------------------------------------------------------------------

    def certified(self, *point):
        """``(mean, error)`` at one point (mpmath numbers) at the working precision: the sum over
        eigenvalues, or an algebraic law's Stieltjes value polished by Newton's method on its
        curve.  A quadrature has no such form: :class:`mpmath.libmp.NoConvergence`."""
        own = self._own(point)
        if self.method == "sum":
            return self._certified_sum(own)
        if self.method == "curve":
            return self._certified_curve(own)
        raise mpmath.libmp.NoConvergence(f"the mean {self.mean} over {self.spectrum} is a quadrature in double "
                                         "precision, known only to its estimated error")

    def _certified_sum(self, own):
        x, w, node_error, _, _ = self._nodes
        total, error, magnitude = 0, 0, 0
        for xk, wk, ek in zip(x, w, node_error):
            value, e = self._bound.at_working_precision([mpmath.mpf(float(xk)), *own], [mpmath.mpf(float(ek)), *[0] * len(own)])
            term = value * mpmath.mpf(float(wk))
            total += term
            error += e * float(wk)
            magnitude += abs(term)
        # the weights are doubles (exact), the sum has x.size roundings of at most u sum |terms|
        return total, error + (x.size + 1) * mpmath.mpf(2) ** -mpmath.mp.prec * magnitude

    def _certified_curve(self, own):
        pieces = [bound.at_working_precision(own, [0] * len(own)) for bound in self._pieces]
        *polynomial, (c, c_error), (z, z_error) = pieces
        m, m_error, slope = _polished(self.spectrum, z)
        value = c * m
        error = abs(c) * (m_error + abs(slope) * z_error) + c_error * abs(m)
        for (q, q_error), moment in zip(polynomial, self._moments):
            exact = mpmath.mpmathify(moment)
            value += q * exact
            error += q_error * abs(exact)
        return value, error + 4 * mpmath.mpf(2) ** -mpmath.mp.prec * abs(value)



def _resolvent_form(integrand, r):
    """``([q_0, q_1, ...], c, z)`` with ``integrand = sum_k q_k r^k + c/(r - z)``, every piece free
    of ``r``, or None when it is not of that form (the denominator is not of degree 1 in ``r``)."""
    try:
        numerator, denominator = sp.fraction(sp.cancel(sp.together(integrand)))
        den = sp.Poly(denominator, r)
        num = sp.Poly(numerator, r)
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return None
    if den.degree() != 1:
        return None
    quotient, remainder = sp.div(num, den)
    d1, d0 = den.all_coeffs()
    c = remainder.as_expr() / d1
    z = -d0 / d1
    polynomial = list(reversed(quotient.all_coeffs())) if not quotient.is_zero else []
    if c.has(r) or z.has(r) or any(q.has(r) for q in polynomial):
        return None
    return polynomial, sp.cancel(c), sp.cancel(z)


def _method(spectrum, resolvent):
    """How a mean over ``spectrum`` is computed: ``sum`` (finitely many eigenvalues), ``curve``
    (an algebraic law's Stieltjes value), ``transform`` (another law's Stieltjes transform),
    ``quadrature`` (over the quantile) or ``density`` (over the support)."""
    from .continuum import ContinuumLaw
    from .law import FiniteLaw, Law

    if _finite_masses(spectrum) is not None:
        return "sum"
    if isinstance(spectrum, Law):
        return "curve" if resolvent is not None else "density"
    if isinstance(spectrum, ContinuumLaw):
        try:
            spectrum.quantile(np.array([0.5]), np.array([0.5]))
            return "quadrature"
        except (ValueError, NotImplementedError):
            if resolvent is not None:
                return "transform"
            raise UsageError(f"the mean over {spectrum} is known only for f(r) = polynomial + c/(r - z) "
                             "(its Stieltjes transform): the law has no quantile to integrate over") from None
    raise UsageError(f"{spectrum} is not a spectrum")


def _finite_masses(spectrum):
    """``(values, weights, node errors)`` of a finite spectrum, as doubles, or None."""
    from .continuum import Eigenvalues
    from .law import FiniteLaw

    if isinstance(spectrum, Eigenvalues):
        return spectrum.values, spectrum.weights, np.zeros(spectrum.values.size)
    if isinstance(spectrum, FiniteLaw):
        values, weights = spectrum.masses
        x = np.array([float(v) for v in values])
        # an exact mass rounded to a double is off by at most half a unit of it
        return x, np.array([float(w) for w in weights]), UNIT * np.abs(x)
    values, weights = getattr(spectrum, "values", None), getattr(spectrum, "weights", None)
    if getattr(spectrum, "steps", False) and values is not None and weights is not None:
        values = np.asarray(values, dtype=float)
        return values, np.asarray(weights, dtype=float), np.zeros(values.size)
    return None


def _nodes(spectrum, method):
    """``(x, w, node error, coarse weights or None, outermost nodes or None)``: the points and
    weights of the sum, and for a quadrature the weights of the rule of twice the step and the
    indices of the 8 outermost nodes at each end of each interval (their terms estimate a tail
    the rule has not resolved)."""
    if method == "sum":
        x, w, error = _finite_masses(spectrum)
        return x, w, error, None, None
    rule = default_rule()
    coarse = np.zeros(len(rule))
    middle = len(rule) // 2
    every_other = np.arange(middle % 2, len(rule), 2)
    if method == "quadrature":
        with np.errstate(all="ignore"):
            x = np.asarray(spectrum.quantile(rule.nodes, rule.complements), dtype=float)
        coarse[every_other] = 2 * rule.weights[every_other]
        keep = np.isfinite(x)  # a quantile that overflows at the outermost nodes: their weight is below 1e-200
        ends = np.r_[:8, -8:0] if keep.sum() > 16 else None
        # the quantile's own rounding: a few units of each node (a claim about the law's formula)
        return x[keep], rule.weights[keep], 4 * UNIT * np.abs(x[keep]), coarse[keep], ends
    return _density_nodes(spectrum, rule, every_other)


def _density_nodes(spectrum, rule, every_other):
    """Tanh-sinh nodes on each interval of an algebraic law's support, weighted by its density,
    and its atoms."""
    xs, ws, cs, ends = [], [], [], []
    for lower, upper in spectrum.support():
        offset = sum(len(piece) for piece in xs)
        ends.append(offset + np.r_[:8, len(rule) - 8:len(rule)])
        a, b = float(lower), float(upper)
        x = a + (b - a) * rule.nodes
        density = _density(spectrum, x)
        weight = (b - a) * rule.weights * density
        coarse = np.zeros(len(rule))
        coarse[every_other] = 2 * weight[every_other]
        xs.append(x), ws.append(weight), cs.append(coarse)
    for x0, mass in spectrum.atoms():
        xs.append(np.array([float(x0)])), ws.append(np.array([float(mass)])), cs.append(np.array([float(mass)]))
    x = np.concatenate(xs)
    return x, np.concatenate(ws), 4 * UNIT * np.abs(x), np.concatenate(cs), (np.concatenate(ends) if ends else None)


def _transform(spectrum, z):
    """``(m(z), error, m'(z))`` on an array: an algebraic law's branch with its Newton residual,
    or a continuum law's transform with its claimed accuracy."""
    from .law import Law

    if isinstance(spectrum, Law):
        m = spectrum.stieltjes(z)
        P, dP_dm, dP_dz = _curve(spectrum)
        residual, slope_m, slope_z = P(m, z), dP_dm(m, z), dP_dz(m, z)
        # Newton's step |P/P_m|, doubled, and the rounding of P itself in the residual
        error = 2 * np.abs(residual / slope_m) + 16 * UNIT * np.abs(m)
        return m, np.where(np.isfinite(error), error, np.inf), -slope_z / slope_m
    values = spectrum.stieltjes_derivatives(z, 1)
    return values[0], SUBORDINATION_ACCURACY * np.abs(values[0]), values[1]


_CURVES = {}


def _curve(law):
    """``P``, ``dP/dm`` and ``dP/dz`` of the law's curve, lambdified (numpy and mpmath)."""
    from .algebraic import m, z

    key = id(law)
    if key not in _CURVES:
        curve = sp.sympify(law.curve)
        pieces = (curve, sp.diff(curve, m), sp.diff(curve, z))
        _CURVES[key] = (tuple(sp.lambdify((m, z), p, modules="numpy") for p in pieces),
                        tuple(sp.lambdify((m, z), p, modules="mpmath") for p in pieces), law)
    return _CURVES[key][0]


def _polished(law, z):
    """``(m(z), error, m'(z))`` at the working precision: the double branch value polished by
    Newton's method on the curve until the step is below the precision; the error is twice the
    last step (quadratic convergence), the root being simple where the branch is smooth."""
    _curve(law)
    P, dP_dm, dP_dz = _CURVES[id(law)][1]
    start = complex(law.stieltjes(np.array([complex(z)]))[0])
    m = mpmath.mpc(start) if start.imag else mpmath.mpf(start.real)
    step = mpmath.inf
    for _ in range(2 * int(math.log2(mpmath.mp.prec)) + 8):
        step = P(m, z) / dP_dm(m, z)
        m -= step
        if abs(step) <= mpmath.mpf(2) ** -(mpmath.mp.prec + 4) * max(abs(m), 1):
            break
    else:
        raise mpmath.libmp.NoConvergence(f"Newton's method on the curve of {law} did not settle at z={z}")
    return m, 2 * abs(step) + mpmath.mpf(2) ** -mpmath.mp.prec * abs(m), -dP_dz(m, z) / dP_dm(m, z)


def _density(law, xs):
    """An algebraic law's density ``Im m(x + i0) / pi`` at the points ``xs`` inside its support:
    the root of the curve ``P(m, x) = 0`` in ``m`` with positive imaginary part, where there is
    exactly one (a curve of degree 2 in ``m``, as Marchenko-Pastur's and the semicircle's); the
    law's own continuation of the branch (slow: seconds a point) where there are several."""
    from .algebraic import m, z

    poly = sp.Poly(sp.sympify(law.curve), m)
    coefficients = [sp.lambdify(z, c, modules="numpy") for c in poly.all_coeffs()]
    density = np.full(xs.shape, np.nan)
    ambiguous = []
    for k, x in enumerate(xs):
        roots = np.roots([complex(c(x)) for c in coefficients])
        upper = roots[roots.imag > 1e-12 * np.maximum(np.abs(roots), 1)]
        if len(upper) == 1:
            density[k] = upper[0].imag / np.pi
        elif len(upper) == 0 and np.all(np.isfinite(roots)):
            density[k] = 0.0
        else:
            ambiguous.append(k)
    if ambiguous:
        density[ambiguous] = law.density(xs[ambiguous])
    return density


# Lowering (derive.lower) knows spectral means only through this plug-in: the core imports
# nothing from free probability, and an expression can hold a mean only once it is imported.
lower.GIVEN_SPECTRA.update(specialise=specialise, laws_of=laws_of)
