"""Spectral laws as algebraic curves, built from named laws by free operations.

A :class:`Law` is a probability law on the real line held as the curve ``P(m, z) = 0`` of its
Stieltjes transform (:mod:`derive.rmt.algebraic`), together with how it was built, so that it can
also be sampled as a random matrix and printed.  Parameters may stay symbolic (``mp(c)``): the
curve and the moments are then exact in them; numbers are made exact rationals on the way in.

Named laws (``m(z) = integral dmu(x)/(x - z)``):

* ``marchenko_pastur(c)``: ``W = XX^T/k``, ``X`` a ``d x k`` standard Gaussian matrix, ``c = d/k``:
  ``c z m^2 + (z - 1 + c) m + 1 = 0`` (Marchenko and Pastur 1967);
* ``semicircle(v)``: variance ``v``: ``v m^2 + z m + 1 = 0`` (Wigner);
* ``atom(x, weight)``: mass ``weight`` at ``x`` and the rest at 0 (``weight = 1``: ``delta_x``);
* ``spectrum(values, weights)``: a finite spectrum, ``m = sum_i w_i/(x_i - z)``.

Operations, with ``A, B`` free (asymptotically free random matrices):

* ``A + B`` (free additive convolution), ``A * B`` (free multiplicative convolution, one operand
  positive), ``a * A`` (scaling), ``A + b`` (shift), ``A.inverse()`` (the law of ``A^{-1}``:
  ``m_{1/A}(z) = -1/z - m_A(1/z)/z^2``).

>>> law = marchenko_pastur(sp.Rational(1, 2)) * marchenko_pastur(sp.Rational(1, 4))
>>> law.moments(3)
[1, 1, 7/4, 63/16]
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import sympy as sp

from . import algebraic
from .algebraic import m, z
from .series import series_root
from .stieltjes import StieltjesBranch


def exact(value):
    """A number or expression as an exact sympy value: floats by their shortest decimal."""
    if isinstance(value, float):
        return sp.Rational(repr(value))
    return sp.sympify(value)


def _memoised(method):
    """Keep a method's results on the instance (laws are immutable once built)."""
    @functools.wraps(method)
    def memoised(self, *args):
        key = (method.__name__, args)
        if key not in self._cache:
            self._cache[key] = method(self, *args)
        return self._cache[key]
    return memoised


class Law:
    """A spectral law: the curve ``P(m, z) = 0``, how it was built, whether it is supported on
    ``[0, oo)``.  Make laws with the named constructors and the operators, not directly."""

    def __init__(self, curve, operation, operands, text, positive, mean=None):
        self.curve = algebraic.primitive(algebraic.numerator(curve), m, z)
        # The mean, when the construction knows it: it tells the branch apart from another
        # that also goes like -1/z at infinity (inverse laws).
        self._known_mean = mean
        self.operation, self.operands = operation, tuple(operands)
        self.text, self.positive = text, positive
        self._branch = None
        self._cache = {}

    # ---- what it is ----------------------------------------------------------------------

    def __repr__(self):
        return f"Law({self.text}: {sp.sstr(self.curve)} = 0)"

    def __str__(self):
        return self.text

    @property
    def parameters(self):
        """The symbols of the curve other than ``m`` and ``z``, sorted by name."""
        return sorted(self.curve.free_symbols - {m, z}, key=str)

    @property
    def degree(self):
        """The degree of the curve in ``m``: how many branches it has."""
        return sp.degree(self.curve, m)

    def latex(self):
        """``\\mathrm{MP}_{c} \\boxtimes ...: \\quad P(m, z) = 0``."""
        return f"{self.latex_name()}:\\quad {sp.latex(self.curve)} = 0"

    def latex_name(self, show=sp.latex):
        """How the law was built, in LaTeX (``\\mathrm{MP}_{c} \\boxtimes \\delta_2``); ``show``
        prints the parameters (a derivation's printer, with its symbol names)."""
        op, operands = self.operation, self.operands
        if op in ("mp", "semicircle"):
            return f"\\mathrm{{{'MP' if op == 'mp' else 'SC'}}}_{{{show(operands[0])}}}"
        if op == "atom" and operands[1] == 1:
            return f"\\delta_{{{show(operands[0])}}}"
        if op in ("atom", "spectrum"):
            values, weights = ((operands[0], 0), (operands[1], 1 - operands[1])) if op == "atom" else operands
            shown = [f"\\left({show(w)}\\right)" if sp.sympify(w).is_Add else show(w) for w in weights]
            return " + ".join(f"{w}\\,\\delta_{{{show(x)}}}" for x, w in zip(values, shown))

        def inner(law, low):
            text = law.latex_name(show)
            mixture = law.operation == "spectrum" or (law.operation == "atom" and law.operands[1] != 1)
            return f"\\left({text}\\right)" if law.operation in low or mixture else text

        if op == "sum":
            return f"{inner(operands[0], ())} \\boxplus {inner(operands[1], ())}"
        if op == "product":
            return f"{inner(operands[0], ('sum', 'shift'))} \\boxtimes {inner(operands[1], ('sum', 'shift'))}"
        if op == "scale":
            return f"{show(operands[1])}\\,{inner(operands[0], ('sum', 'shift'))}"
        if op == "shift":
            sign = "-" if operands[1].could_extract_minus_sign() else "+"
            return f"{inner(operands[0], ())} {sign} {show(abs(operands[1]))}"
        return f"\\left({operands[0].latex_name(show)}\\right)^{{-1}}"

    def subs(self, values):
        """The law with parameters (symbols or their names) replaced by values (made exact)."""
        by_name = {str(k): exact(v) for k, v in values.items()}
        unknown = set(by_name) - {str(p) for p in self.parameters}
        if unknown:
            raise ValueError(f"{self} has no parameter {min(unknown)} (its parameters: "
                             f"{', '.join(map(str, self.parameters)) or 'none'})")
        return _rebuild(self, {p: by_name[str(p)] for p in self.parameters if str(p) in by_name})

    # ---- exact ---------------------------------------------------------------------------

    @_memoised
    def moments(self, count):
        """The exact moments ``[mu_0, ..., mu_count]`` (series of ``m`` at infinity)."""
        return algebraic.moments(self.curve, count, self._known_mean)

    @property
    def mean(self):
        return self.moments(1)[1]

    def r_curve(self):
        """The curve ``P_R(r, w) = 0`` of the R-transform (``w, r`` of :mod:`.algebraic`)."""
        return algebraic.r_curve(self.curve, self.mean)

    def s_curve(self):
        """The curve ``P_S(s, w) = 0`` of the S-transform; the law must have nonzero mean."""
        return algebraic.s_curve(self.curve, _nonzero_mean(self, "the S-transform"))

    def eta_curve(self):
        """The curve ``P_eta(eta, gamma) = 0`` of ``eta(gamma) = E 1/(1 + gamma x)``."""
        return algebraic.eta_curve(self.curve)

    def psi_curve(self):
        """The curve ``P_psi(psi, u) = 0`` of ``psi(u) = sum_{k>=1} mu_k u^k``."""
        return algebraic.psi_curve(self.curve)

    def free_cumulants(self, count):
        """The free cumulants ``[k_1, ..., k_count]``: ``R(w) = sum_n k_{n+1} w^n``."""
        series = series_root(self.r_curve(), algebraic.r, algebraic.w, self.mean, count - 1)
        return [sp.factor(c) for c in series]

    # ---- numeric -------------------------------------------------------------------------

    def _numeric_branch(self):
        if self._branch is None:
            _require_numeric(self)
            second = float(self.moments(2)[2])
            # Where the continuation paths start: above every edge and atom (the critical
            # points), and well above the spread sqrt(E x^2).
            scale = max(1.0, 10 * np.sqrt(second), *(abs(float(x)) for x in self._critical_points()))
            self._branch = StieltjesBranch(self.curve, scale, [float(c) for c in self.moments(3)])
        return self._branch

    def stieltjes(self, zs):
        """``m(z)`` on an array of complex ``z`` (on the real axis: the limit from above, which
        is ``i oo`` at an atom)."""
        zs = np.asarray(zs, dtype=complex)
        values = self._numeric_branch()(zs)
        return np.where(self._at_atom(zs), complex(0, np.inf), values)

    def density(self, xs):
        """The density ``Im m(x + i0) / pi`` of the absolutely continuous part on real ``xs``
        (at an atom itself: the mean of the two sides)."""
        xs = np.asarray(xs, dtype=float)
        density = self._numeric_branch()(xs.astype(complex)).imag / np.pi
        at = self._at_atom(xs)
        if np.any(at):
            step = 1e-9 * (1 + np.abs(xs[at]))
            sides = self._numeric_branch()(np.concatenate([xs[at] - step, xs[at] + step]).astype(complex))
            density[at] = sides.imag.reshape(2, -1).mean(axis=0) / np.pi
        return density

    def _at_atom(self, zs):
        locations = [float(x) for x, _ in self.atoms()]
        return (np.imag(zs) == 0) & np.isin(np.real(zs), locations)

    @_memoised
    def _critical_points(self):
        """Real points where the branch can be singular: roots of the discriminant in ``m``
        (edges) and of the leading coefficient (atoms), exact."""
        _require_numeric(self)
        poly = sp.Poly(self.curve, m)
        points = set()
        for expr in (sp.discriminant(poly.as_expr(), m), poly.LC()):
            if expr.has(z):
                points.update(sp.Poly(expr, z).real_roots())
        return sorted(points, key=float)

    @_memoised
    def atoms(self):
        """The point masses ``[(x, weight), ...]``, exact.

        Candidates ``x`` are the real zeros of the leading coefficient of ``P`` in ``m``; near an
        atom ``m ~ weight/(x - z)``, and the possible weights are the roots of the lowest-order
        part of ``P(mu/t, x - t) t^d`` in ``t``.  The branch decides between them: its
        ``y Im m(x + iy)`` at small ``y`` is the weight."""
        _require_numeric(self)
        lead = sp.Poly(self.curve, m).LC()
        if not lead.has(z):
            return []
        found = []
        for x0 in sorted(set(sp.Poly(lead, z).real_roots()), key=float):
            candidates = _atom_weights(self.curve, x0)
            if not candidates:
                continue
            y = 1e-7 * (1 + abs(float(x0)))
            seen = float(self._numeric_branch()(np.array([float(x0) + 1j * y]))[0].imag * y)
            weight = min(candidates, key=lambda c: abs(float(c) - seen))
            if abs(float(weight) - seen) < 1e-3 and float(weight) > 1e-3:
                found.append((x0, weight))
        return found

    @_memoised
    def support(self):
        """The support of the continuous part as exact intervals ``[(a, b), ...]``.

        Its edges are among the real roots of the discriminant; an interval between two
        consecutive critical points belongs to the support when the density is positive inside."""
        points = self._critical_points()
        pieces = []
        for a, b in itertools.pairwise(points):
            middle = (float(a) + float(b)) / 2
            if self.density(np.array([middle]))[0] > 1e-10:
                pieces.append([a, b])
        merged = []
        for a, b in pieces:
            if merged and merged[-1][1] == a and not any(x == a for x, _ in self.atoms()):
                merged[-1][1] = b
            else:
                merged.append([a, b])
        return [tuple(piece) for piece in merged]

    # ---- operators -----------------------------------------------------------------------

    def __add__(self, other):
        if isinstance(other, Law):
            return free_sum(self, other)
        return shifted(self, other)

    __radd__ = __add__

    def __sub__(self, other):
        return shifted(self, -exact(other))

    def __mul__(self, other):
        if isinstance(other, Law):
            return free_product(self, other)
        return scaled(self, other)

    def __rmul__(self, other):
        return scaled(self, other)

    def __truediv__(self, other):
        return scaled(self, 1 / exact(other))

    def __neg__(self):
        return scaled(self, -1)

    def inverse(self):
        return inverse(self)


def _nonzero_mean(law, what):
    mean = law.mean
    if mean == 0:
        raise ValueError(f"{what} needs a law of nonzero mean; {law} has mean 0")
    return mean


def _require_numeric(law):
    if law.parameters:
        names = ", ".join(map(str, law.parameters))
        raise ValueError(f"{law} has symbolic parameters ({names}); give them values first")


def _atom_weights(curve, x0):
    """The nonzero roots ``mu`` of the lowest-order part in ``t`` of ``P(mu/t, x0 - t) t^d``."""
    mu, t = sp.symbols("mu t")
    degree = sp.degree(curve, m)
    local = sp.expand(curve.subs({m: mu / t, z: x0 - t}, simultaneous=True) * t**degree)
    poly = sp.Poly(local, t)
    lowest = poly.coeff_monomial(t**min(k for (k,), _ in poly.terms()))
    return [root for root in sp.Poly(lowest, mu).real_roots() if root != 0] if lowest.has(mu) else []


def _positive_number(value, name):
    value = exact(value)
    if value.is_number and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def _show(value):
    return str(value).replace(" ", "")


# ---- named laws -------------------------------------------------------------------------------


def marchenko_pastur(c):
    """MP(c): ``W = XX^T/k``, ``X`` of shape ``d x k``, ratio ``c = d/k > 0``, mean 1."""
    c = _positive_number(c, "mp(c): the ratio c")
    return Law(c * z * m**2 + (z - 1 + c) * m + 1, "mp", (c,), f"mp({_show(c)})", True)


def semicircle(variance=1):
    """The semicircle law of variance ``v > 0`` on ``[-2 sqrt v, 2 sqrt v]``: ``v m^2 + z m + 1 = 0``."""
    v = _positive_number(variance, "semicircle(v): the variance v")
    return Law(v * m**2 + z * m + 1, "semicircle", (v,), f"semicircle({_show(v)})", False)


def atom(x, weight=1):
    """Mass ``weight`` (in (0, 1]) at ``x``, the rest at 0: the law of ``x`` times a projection
    of relative rank ``weight``."""
    x, weight = exact(x), exact(weight)
    if weight.is_number and not 0 < weight <= 1:
        raise ValueError(f"atom(x, w): the weight w must be in (0, 1], got {weight}")
    if weight == 1:
        law = spectrum([x], [1])
        law.text = f"atom({_show(x)})"
    else:
        law = spectrum([x, 0], [weight, 1 - weight])
        law.text = f"atom({_show(x)},{_show(weight)})"
    law.operation, law.operands = "atom", (x, weight)
    return law


def spectrum(values, weights=None):
    """A finite spectrum: mass ``weights[i]`` at ``values[i]`` (default uniform)."""
    values = [exact(v) for v in values]
    weights = [sp.Rational(1, len(values))] * len(values) if weights is None else [exact(v) for v in weights]
    if len(weights) != len(values) or not values:
        raise ValueError("spectrum: give as many weights as values, at least one")
    if all(v.is_number for v in weights) and (sum(weights) != 1 or any(v < 0 for v in weights)):
        raise ValueError(f"spectrum: the weights must be >= 0 and sum to 1, got {weights}")
    curve = algebraic.stieltjes_factor(m - sum(wt / (x - z) for x, wt in zip(values, weights) if wt != 0))
    positive = all(v.is_number and v >= 0 for v in values)
    text = "spectrum(" + ",".join(f"{_show(x)}:{_show(wt)}" for x, wt in zip(values, weights)) + ")"
    return Law(curve, "spectrum", (tuple(values), tuple(weights)), text, positive)


# ---- operations -------------------------------------------------------------------------------


def _wrap(law, low):
    """A law's text, parenthesised where an operation of lower precedence built it."""
    return f"({law.text})" if law.operation in low else law.text


def free_sum(a, b):
    """The free additive convolution ``a boxplus b``: ``R = R_a + R_b``."""
    mean = a.mean + b.mean
    curve = algebraic.free_sum_curve(a.curve, a.mean, b.curve, b.mean)
    text = f"{a.text} - {b.text[1:]}" if b.text.startswith("-") else f"{a.text} + {b.text}"
    return Law(curve, "sum", (a, b), text, a.positive and b.positive, mean)


def free_product(a, b):
    """The free multiplicative convolution ``a boxtimes b``: ``S = S_a S_b``.  One operand must be
    supported on ``[0, oo)`` (the product ``A^{1/2} B A^{1/2}`` is then symmetric), and both
    must have nonzero mean."""
    if not (a.positive or b.positive):
        raise ValueError(f"free product: one operand must be supported on [0, oo); neither {a} nor {b} is")
    curve = algebraic.free_product_curve(a.curve, _nonzero_mean(a, "a free product"),
                                         b.curve, _nonzero_mean(b, "a free product"))
    text = f"{_wrap(a, ('sum', 'shift'))} * {_wrap(b, ('sum', 'shift'))}"
    return Law(curve, "product", (a, b), text, a.positive and b.positive, a.mean * b.mean)


def scaled(law, factor):
    """The law of ``factor * A``: ``m(z) = m_A(z / factor) / factor``."""
    factor = exact(factor)
    if factor == 0:
        raise ValueError("scaling: the factor must be nonzero (a law times 0 is atom(0))")
    curve = algebraic.stieltjes_factor(law.curve.subs({m: factor * m, z: z / factor}, simultaneous=True),
                                       mean=factor * law.mean)
    positive = law.positive and factor.is_number and factor > 0
    shown = "-" if factor == -1 else f"{_show(factor)}*"
    return Law(curve, "scale", (law, factor), f"{shown}{_wrap(law, ('sum', 'shift'))}", positive, factor * law.mean)


def shifted(law, shift):
    """The law of ``A + shift``: ``m(z) = m_A(z - shift)``."""
    shift = exact(shift)
    curve = algebraic.stieltjes_factor(law.curve.subs(z, z - shift), mean=law.mean + shift)
    positive = law.positive and shift.is_number and shift >= 0
    sign = "-" if shift.could_extract_minus_sign() else "+"
    return Law(curve, "shift", (law, shift), f"{law.text} {sign} {_show(abs(shift))}", positive, law.mean + shift)


def inverse(law):
    """The law of ``A^{-1}``, for ``A`` supported on ``(0, oo)``:
    ``m(z) = -1/z - m_A(1/z)/z^2``, i.e. ``m_A(1/z) = -z - z^2 m``."""
    if not law.positive:
        raise ValueError(f"inverse: the law must be supported on (0, oo); {law} is not known to be")
    if not law.parameters:
        near_zero = [a for a, _ in law.support() if float(a) <= 0] + [x for x, _ in law.atoms() if float(x) <= 0]
        if near_zero:
            raise ValueError(f"inverse: {law} has mass at or arbitrarily near 0")
    mean = _value_at_zero(law)
    curve = algebraic.stieltjes_factor(law.curve.subs({m: -z - z**2 * m, z: 1 / z}, simultaneous=True), mean=mean)
    return Law(curve, "inverse", (law,), f"inv({law.text})", True, mean)


def _value_at_zero(law):
    """``m_A(0) = E[1/A]``: the root of ``P(m, 0)`` the branch takes at 0 (left of the support)."""
    at_zero = sp.Poly(law.curve.subs(z, 0), m)
    if not law.parameters:
        seen = float(law.stieltjes(np.array([0.0]))[0].real)
        return min(set(at_zero.real_roots()), key=lambda root: abs(float(root) - seen))
    roots = sp.solve(at_zero.as_expr(), m)
    if len(roots) != 1:
        raise ValueError(f"inverse: {law} has {len(roots)} candidates for E[1/A] with symbolic parameters; "
                         "give the parameters values")
    return roots[0]


_BUILDERS = {
    "mp": marchenko_pastur, "semicircle": semicircle,
    "atom": atom, "spectrum": spectrum,
    "sum": free_sum, "product": free_product, "scale": scaled, "shift": shifted, "inverse": inverse,
}


def _rebuild(law, values):
    """The same construction with parameter values substituted throughout."""
    def value(arg):
        if isinstance(arg, Law):
            return _rebuild(arg, values)
        if isinstance(arg, tuple):
            return tuple(value(a) for a in arg)
        return exact(arg).subs(values)
    return _BUILDERS[law.operation](*(value(arg) for arg in law.operands))
