"""Spectral laws as algebraic curves, built from named laws by free operations: one class per
operation.

A :class:`Law` is a probability law on the real line held as the curve ``P(m, z) = 0`` of its
Stieltjes transform (:mod:`derive.rmt.algebraic`), together with how it was built, so that it can
also be sampled as a random matrix and printed.  Parameters may stay symbolic (``mp(c)``): the
curve and the moments are then exact in them; numbers are made exact rationals on the way in.

Each operation is a subclass of :class:`Law` (in the manner of mpmath's one class per solver),
and the class is everything about it: its checks and its curve (``__init__``), its text and
LaTeX, its matrix model (:meth:`Law.sample`), its name for the parser of
:mod:`derive.rmt.expression` (:attr:`Law.name`), the steps that derive its curve in a derivation
(:meth:`Law.write_steps`, through :mod:`derive.rmt.steps`), and, for a change of variables, the
change itself (:class:`derive.rmt.changes.Change`), from which both its curve and its
``transform`` step come.  Named laws (``m(z) = integral dmu(x)/(x - z)``):

* :class:`MarchenkoPastur` ``mp(c)``: ``W = XX^T/k``, ``X`` a ``d x k`` standard Gaussian matrix,
  ``c = d/k``: ``c z m^2 + (z - 1 + c) m + 1 = 0`` (Marchenko and Pastur 1967);
* :class:`Semicircle` ``semicircle(v)``: variance ``v``: ``v m^2 + z m + 1 = 0`` (Wigner);
* :class:`Atom` ``atom(x, weight)``: mass ``weight`` at ``x`` and the rest at 0 (``weight = 1``:
  ``delta_x``);
* :class:`Spectrum` ``spectrum(values, weights)``: a finite spectrum, ``m = sum_i w_i/(x_i - z)``.

Operations, with ``A, B`` free (asymptotically free random matrices):

* :class:`FreeSum` ``A + B`` (free additive convolution), :class:`FreeProduct` ``A * B`` (free
  multiplicative convolution, one operand positive), :class:`Scale` ``a * A``, :class:`Shift`
  ``A + b``, :class:`Inverse` ``A.inverse()`` (the law of ``A^{-1}``:
  ``m_{1/A}(z) = -1/z - m_A(1/z)/z^2``).

The lower-case names (``marchenko_pastur``, ``free_sum``, ``scaled``, ...) are the same classes.

>>> law = marchenko_pastur(sp.Rational(1, 2)) * marchenko_pastur(sp.Rational(1, 4))
>>> law.moments(3)
[1, 1, 7/4, 63/16]
>>> type(law).__name__
'FreeProduct'
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import sympy as sp

from . import algebraic
from .algebraic import m, z
from .changes import Change, FromR, FromS, RTransform, STransform
from .sampling import diagonal_entries, haar_orthogonal, positive_square_root
from .series import series_root
from .stieltjes import StieltjesBranch, density_from_stieltjes


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
    """A spectral law: the curve ``P(m, z) = 0``, how it was built (its class, one per operation,
    and its ``operands``), whether it is supported on ``[0, oo)``.  Make laws with the
    operations' classes (or their lower-case names) and the operators.

    A subclass is one operation.  Its ``__init__`` takes the operation's arguments, checks them
    and hands :meth:`Law.__init__` the curve; it gives :attr:`text` and :meth:`latex_name`,
    :meth:`sample` (its matrix model) and :meth:`write_steps`; with a :attr:`name` the parser
    knows it.  Usually it subclasses one of the kinds below, which give the steps:
    :class:`NamedLaw` (a curve checked by simulation), :class:`FiniteLaw` (a finite spectrum,
    by definition), :class:`ChangeOfVariables` (a ``transform`` step) and
    :class:`FreeConvolution` (Voiculescu's theorem and a ``convolution`` step)."""

    #: The name the parser of :mod:`derive.rmt.expression` calls it by (``mp``); None for an
    #: operation written with an operator (``+``, ``*``).
    name = None
    #: How the parser's error message shows a call (``mp(c)``).
    usage = None
    #: How many positional arguments the parser's call takes, ``(least, most)``; None: the
    #: class's :meth:`parse` checks them.
    arity = (1, 1)
    #: Written with a ``+`` (a free sum, a shift): parenthesised inside a product or a scaling.
    loose = False
    #: A weighted mixture of point masses (printed as a sum): parenthesised inside any operation.
    mixture = False
    #: The parser's names, in the order the classes were defined: name -> class.
    parsers = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name") is not None:
            Law.parsers[cls.name] = cls

    def __init__(self, operands, curve, positive, mean=None):
        self.curve = algebraic.primitive(algebraic.numerator(curve), m, z)
        # The mean, when the construction knows it: it tells the branch apart from another
        # that also goes like -1/z at infinity (inverse laws).
        self._known_mean = mean
        self.operands, self.positive = tuple(operands), positive
        self._branch = None
        self._cache = {}

    # ---- what it is ----------------------------------------------------------------------

    def __repr__(self):
        return f"Law({self.text}: {sp.sstr(self.curve)} = 0)"

    def __str__(self):
        return self.text

    @property
    def text(self):
        """The law as the parser reads it (``mp(1/2) * mp(1/4)``)."""
        raise NotImplementedError

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
        raise NotImplementedError

    def subs(self, values):
        """The law with parameters (symbols or their names) replaced by values (made exact)."""
        by_name = {str(k): exact(v) for k, v in values.items()}
        unknown = set(by_name) - {str(p) for p in self.parameters}
        if unknown:
            raise ValueError(f"{self} has no parameter {min(unknown)} (its parameters: "
                             f"{', '.join(map(str, self.parameters)) or 'none'})")
        return _rebuild(self, {p: by_name[str(p)] for p in self.parameters if str(p) in by_name})

    # ---- its matrix model, its steps, its parsing ------------------------------------------

    def sample(self, rng, size):
        """A ``size x size`` symmetric matrix whose spectral law tends to this law."""
        raise NotImplementedError(f"no matrix model for {type(self).__name__}")

    def sample_with_operands(self, rng, size):
        """``(X, A, B)``: a matrix of the law, and for a free sum or product the operands' matrices
        ``A`` and ``B`` it was built from (``None`` otherwise)."""
        return self.sample(rng, size), None, None

    def write_steps(self, builder, function, label, statement, explanation, ref):
        """Write into a derivation the steps from the construction to ``statement``, the curve
        for ``function``: the kind's method of ``builder`` (:mod:`derive.rmt.steps`)."""
        raise NotImplementedError(f"no derivation steps for {type(self).__name__}")

    @classmethod
    def parse(cls, arguments):
        """The law of a parsed call ``name(arguments...)`` (numbers, parameters or laws)."""
        return cls(*[_number(a, cls.name) for a in arguments])

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
            self._branch = StieltjesBranch(self.curve, scale, [float(c) for c in self.moments(3)],
                                           critical=self._critical_points())
        return self._branch

    def stieltjes(self, zs):
        """``m(z)`` on an array of complex ``z`` (on the real axis: the limit from above, which
        is ``i oo`` at an atom)."""
        zs = np.asarray(zs, dtype=complex)
        self._refuse_next_to_atoms(zs)
        values = self._numeric_branch()(zs)
        return np.where(self._at_atom(zs), complex(0, np.inf), values)

    def density(self, xs):
        """The density ``Im m(x + i0) / pi`` of the absolutely continuous part on real ``xs``
        (at an atom itself: the mean of the two sides)."""
        xs = np.asarray(xs, dtype=float)
        self._refuse_next_to_atoms(xs)
        density = density_from_stieltjes(self._numeric_branch()(xs.astype(complex)))
        at = self._at_atom(xs)
        if np.any(at):
            step = 1e-9 * (1 + np.abs(xs[at]))
            sides = self._numeric_branch()(np.concatenate([xs[at] - step, xs[at] + step]).astype(complex))
            density[at] = density_from_stieltjes(sides).reshape(2, -1).mean(axis=0)
        return density

    def _refuse_next_to_atoms(self, zs):
        """A one-line :class:`~derive.errors.UsageError` for a point nearer an atom ``x0`` (but
        not at it) than ``(1 + |x0|) 10^(-290/d)``, ``d`` the degree in ``m``: there
        ``|m| ~ w/|x0 - z|`` and its ``d``-th power in the curve are past double precision."""
        from ..errors import UsageError

        limit_power = -290 / max(self.degree, 1)
        for x0, weight in self.atoms():
            limit = (1 + abs(float(x0))) * 10.0 ** limit_power
            distance = np.abs(np.asarray(zs) - float(x0))
            close = (distance < limit) & (distance > 0)
            if np.any(close):
                z0 = np.asarray(zs).ravel()[np.flatnonzero(np.ravel(close))[0]]
                raise UsageError(f"z={_show_point(z0)}: within {float(np.abs(z0 - float(x0))):.3g} of the atom at "
                                 f"{float(x0):g}, where m(z) ~ {float(weight):g}/({float(x0):g} - z) is beyond double "
                                 f"precision; take |z - {float(x0):g}| >= {limit:.3g} (or z = {float(x0):g} itself)")

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

    # A law that is not algebraic (derive.rmt.continuum) has no curve: its own class combines.
    def __add__(self, other):
        if getattr(other, "continuum", False):
            return NotImplemented
        if isinstance(other, Law):
            return FreeSum(self, other)
        return Shift(self, other)

    __radd__ = __add__

    def __sub__(self, other):
        if getattr(other, "continuum", False):
            return NotImplemented
        return Shift(self, -exact(other))

    def __mul__(self, other):
        if getattr(other, "continuum", False):
            return NotImplemented
        if isinstance(other, Law):
            return FreeProduct(self, other)
        return Scale(self, other)

    def __rmul__(self, other):
        if getattr(other, "continuum", False):
            return NotImplemented
        return Scale(self, other)

    def __truediv__(self, other):
        return Scale(self, 1 / exact(other))

    def __neg__(self):
        return Scale(self, -1)

    def inverse(self):
        return Inverse(self)



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


def _show_point(z):
    z = complex(z)
    return f"{z.real:g}" if z.imag == 0 else f"{z.real:g}{z.imag:+g}j"


def _show(value):
    return str(value).replace(" ", "")


def _number(value, where):
    """A parsed argument that must not be a law."""
    if isinstance(value, Law):
        raise ValueError(f"{where}() takes numbers or parameters, not a law")
    return value


def _wrap(law):
    """A law's text, parenthesised where it is written with a ``+``."""
    return f"({law.text})" if law.loose else law.text


def _inner(law, show, loose):
    """An operand's LaTeX, parenthesised when it is a mixture, or written with a ``+`` and
    ``loose`` ones must be (inside a product or a scaling)."""
    text = law.latex_name(show)
    return f"\\left({text}\\right)" if (loose and law.loose) or law.mixture else text


def _rebuild(law, values):
    """The same construction with parameter values substituted throughout."""
    def value(arg):
        if isinstance(arg, Law):
            return _rebuild(arg, values)
        if isinstance(arg, tuple):
            return tuple(value(a) for a in arg)
        return exact(arg).subs(values)
    return type(law)(*(value(arg) for arg in law.operands))


# ---- the kinds of operation: how each becomes derivation steps ----------------------------------


class NamedLaw(Law):
    """A law given by its curve, with one parameter: in a derivation a **fact** checked against
    the resolvent trace of its matrix model.  Subclasses give :attr:`symbol` (its LaTeX name)."""

    symbol = None

    @property
    def text(self):
        return f"{self.name}({_show(self.operands[0])})"

    def latex_name(self, show=sp.latex):
        return f"\\mathrm{{{self.symbol}}}_{{{show(self.operands[0])}}}"

    def write_steps(self, builder, function, label, statement, explanation, ref):
        builder.named(self, function, label, statement, explanation, ref)


class FiniteLaw(Law):
    """Finitely many point masses, :attr:`masses` ``(values, weights)``: in a derivation a
    **definition** ``m = sum_i w_i/(x_i - z)`` and its curve by algebra."""

    mixture = True

    @property
    def masses(self):
        raise NotImplementedError

    def stieltjes_sum(self, at):
        """``sum_i w_i/(x_i - at)``, the Stieltjes transform (the terms of weight 0 left out)."""
        values, weights = self.masses
        return sum(w / (x - at) for x, w in zip(values, weights) if w != 0)

    def _finish(self, operands):
        self.operands = tuple(operands)  # the masses come from them
        values, _ = self.masses
        positive = all(v.is_number and v >= 0 for v in values)
        super().__init__(operands, algebraic.stieltjes_factor(m - self.stieltjes_sum(z)), positive)

    def latex_name(self, show=sp.latex):
        values, weights = self.masses
        shown = [f"\\left({show(w)}\\right)" if sp.sympify(w).is_Add else show(w) for w in weights]
        return " + ".join(f"{w}\\,\\delta_{{{show(x)}}}" for x, w in zip(values, shown))

    def sample(self, rng, size):
        """A diagonal matrix with ``round(w_i N)`` entries ``x_i``."""
        values, weights = self.masses
        return np.diag(diagonal_entries([float(v) for v in values], [float(v) for v in weights], size, rng))

    def write_steps(self, builder, function, label, statement, explanation, ref):
        builder.finite(self, function, label, statement, explanation, ref)


class ChangeOfVariables(Law, Change):
    """The law of a function of one operand (``aA``, ``A + b``, ``A^{-1}``): its Stieltjes
    transform is the operand's under a change of variables (:class:`~derive.rmt.changes.Change`),
    which gives both its curve (:meth:`_carried`) and, in a derivation, its **transform** step.
    ``operands`` are the operand and the change's parameters; :attr:`step_text` explains the
    step."""

    step_text = ""

    @classmethod
    def _carried(cls, law, mean, *parameters):
        """The operand's curve carried by the change (:meth:`~derive.rmt.changes.Change.carry`):
        the curve of the new law, given its ``mean``."""
        return algebraic.stieltjes_factor(cls.carry(law.curve, (m, z), (m, z), *parameters), mean=mean)

    def sample(self, rng, size):
        law, *parameters = self.operands
        return self.transform_matrix(law.sample(rng, size), *parameters)

    @staticmethod
    def transform_matrix(X, *parameters):
        """The matrix model: the same function applied to the operand's matrix."""
        raise NotImplementedError

    def write_steps(self, builder, function, label, statement, explanation, ref):
        builder.changed(self, function, label, statement, explanation, ref)


class FreeConvolution(Law):
    """The law of two free operands combined: in a derivation each operand's transform curve
    (**transform** by :attr:`transform`), Voiculescu's theorem (a **fact**, checked on the
    matrix model), the **convolution** and the Stieltjes curve back (**transform** by :attr:`back`).

    Subclasses give :attr:`letter` and :attr:`symbol` (``R`` and :data:`algebraic.r`), the
    changes :attr:`transform` and :attr:`back`, :meth:`combine`, :meth:`start` (where the
    operand's transform starts at ``w = 0``), :meth:`transform_curve`, :attr:`additive` (which
    empirical transform the Monte Carlo checks use) and the words of the steps."""

    letter = symbol = transform = back = None
    additive = None
    word = ""              # "sum", "product"
    theorem_text = ""

    def __init__(self, a, b):
        self.validate(a, b)
        super().__init__((a, b), self.convolve(a, b), a.positive and b.positive, self.combine(a.mean, b.mean))

    @staticmethod
    def validate(a, b):
        """Refuse operands the operation is not defined for (ValueError)."""

    @staticmethod
    def combine(a, b):
        raise NotImplementedError

    @staticmethod
    def convolve(a, b):
        """The Stieltjes curve of the result."""
        raise NotImplementedError

    @staticmethod
    def start(law):
        raise NotImplementedError

    @staticmethod
    def transform_curve(law):
        raise NotImplementedError

    def sample(self, rng, size):
        return self.sample_with_operands(rng, size)[0]

    def write_steps(self, builder, function, label, statement, explanation, ref):
        builder.convolution(self, function, label, statement, explanation, ref)


# ---- named laws ---------------------------------------------------------------------------------


class MarchenkoPastur(NamedLaw):
    """MP(c): ``W = XX^T/k``, ``X`` of shape ``d x k``, ratio ``c = d/k > 0``, mean 1."""

    name, usage, symbol = "mp", "mp(c)", "MP"

    def __init__(self, c):
        c = _positive_number(c, "mp(c): the ratio c")
        super().__init__((c,), c * z * m**2 + (z - 1 + c) * m + 1, True)

    def sample(self, rng, size):
        """``XX^T/k`` with ``X`` an ``N x k`` standard Gaussian matrix, ``k = round(N/c)``."""
        k = max(1, round(size / float(self.operands[0])))
        X = rng.standard_normal((size, k))
        return X @ X.T / k


class Semicircle(NamedLaw):
    """The semicircle law of variance ``v > 0`` on ``[-2 sqrt v, 2 sqrt v]``: ``v m^2 + z m + 1 = 0``."""

    name, usage, symbol, arity = "semicircle", "semicircle(v)", "SC", (0, 1)

    def __init__(self, variance=1):
        v = _positive_number(variance, "semicircle(v): the variance v")
        super().__init__((v,), v * m**2 + z * m + 1, False)

    def sample(self, rng, size):
        """``sqrt(v/(2N)) (G + G^T)`` (GOE)."""
        G = rng.standard_normal((size, size))
        return np.sqrt(float(self.operands[0]) / (2 * size)) * (G + G.T)


class Atom(FiniteLaw):
    """Mass ``weight`` (in (0, 1]) at ``x``, the rest at 0: the law of ``x`` times a projection
    of relative rank ``weight``."""

    name, usage, arity = "atom", "atom(x[, w])", (1, 2)

    def __init__(self, x, weight=1):
        x, weight = exact(x), exact(weight)
        if weight.is_number and not 0 < weight <= 1:
            raise ValueError(f"atom(x, w): the weight w must be in (0, 1], got {weight}")
        self._finish((x, weight))

    @property
    def masses(self):
        x, weight = self.operands
        return (x, sp.Integer(0)), (weight, 1 - weight)

    @property
    def mixture(self):
        return self.operands[1] != 1

    @property
    def text(self):
        x, weight = self.operands
        return f"atom({_show(x)})" if weight == 1 else f"atom({_show(x)},{_show(weight)})"

    def latex_name(self, show=sp.latex):
        x, weight = self.operands
        return f"\\delta_{{{show(x)}}}" if weight == 1 else super().latex_name(show)


class Spectrum(FiniteLaw):
    """A finite spectrum: mass ``weights[i]`` at ``values[i]`` (default uniform)."""

    name, usage, arity = "spectrum", "spectrum(x1, w1, ...)", None

    def __init__(self, values, weights=None):
        values = [exact(v) for v in values]
        weights = ([sp.Rational(1, len(values))] * len(values) if weights is None else
                   [exact(v) for v in weights])
        if len(weights) != len(values) or not values:
            raise ValueError("spectrum: give as many weights as values, at least one")
        if all(v.is_number for v in weights) and (sum(weights) != 1 or any(v < 0 for v in weights)):
            raise ValueError(f"spectrum: the weights must be >= 0 and sum to 1, got {weights}")
        self._finish((tuple(values), tuple(weights)))

    @property
    def masses(self):
        return self.operands

    @property
    def text(self):
        return "spectrum(" + ",".join(f"{_show(x)}:{_show(w)}" for x, w in zip(*self.operands)) + ")"

    @classmethod
    def parse(cls, arguments):
        values = [_number(a, cls.name) for a in arguments]
        if not values or len(values) % 2:
            raise ValueError("spectrum(x1, w1, x2, w2, ...) takes value, weight pairs")
        return cls(values[::2], values[1::2])


# ---- free convolutions --------------------------------------------------------------------------


class FreeSum(FreeConvolution):
    """The free additive convolution ``a boxplus b``: ``R = R_a + R_b``.  Its matrix model is
    ``A + O B O^T`` with ``O`` Haar-orthogonal (asymptotically free of ``A``)."""

    letter, symbol, transform, back = "R", algebraic.r, RTransform, FromR
    additive, loose, word = True, True, "sum"
    theorem_text = "Voiculescu: R-transforms of free variables add."

    @staticmethod
    def combine(a, b):
        return a + b

    @staticmethod
    def convolve(a, b):
        return algebraic.free_sum_curve(a.curve, a.mean, b.curve, b.mean)

    @staticmethod
    def start(law):
        return law.mean

    @staticmethod
    def transform_curve(law):
        return law.r_curve()

    @property
    def text(self):
        a, b = self.operands
        return f"{a.text} - {b.text[1:]}" if b.text.startswith("-") else f"{a.text} + {b.text}"

    def latex_name(self, show=sp.latex):
        a, b = self.operands
        return f"{_inner(a, show, False)} \\boxplus {_inner(b, show, False)}"

    def sample_with_operands(self, rng, size):
        A, B = (operand.sample(rng, size) for operand in self.operands)
        O = haar_orthogonal(rng, size)
        B = O @ B @ O.T
        return A + B, A, B


class FreeProduct(FreeConvolution):
    """The free multiplicative convolution ``a boxtimes b``: ``S = S_a S_b``.  One operand must be
    supported on ``[0, oo)`` (the product ``A^{1/2} B A^{1/2}`` is then symmetric), and both
    must have nonzero mean.  Its matrix model is ``A^{1/2} O B O^T A^{1/2}`` with ``A`` the
    positive operand."""

    letter, symbol, transform, back = "S", algebraic.s, STransform, FromS
    additive, word = False, "product"
    theorem_text = "Voiculescu: S-transforms of free variables multiply."

    @staticmethod
    def validate(a, b):
        if not (a.positive or b.positive):
            raise ValueError(f"free product: one operand must be supported on [0, oo); neither {a} nor {b} is")

    @staticmethod
    def combine(a, b):
        return a * b

    @staticmethod
    def convolve(a, b):
        return algebraic.free_product_curve(a.curve, _nonzero_mean(a, "a free product"),
                                            b.curve, _nonzero_mean(b, "a free product"))

    @staticmethod
    def start(law):
        return 1 / law.mean

    @staticmethod
    def transform_curve(law):
        return law.s_curve()

    @property
    def text(self):
        a, b = self.operands
        return f"{_wrap(a)} * {_wrap(b)}"

    def latex_name(self, show=sp.latex):
        a, b = self.operands
        return f"{_inner(a, show, True)} \\boxtimes {_inner(b, show, True)}"

    def sample_with_operands(self, rng, size):
        first_positive = self.operands[0].positive
        a, b = self.operands if first_positive else self.operands[::-1]
        A, B = a.sample(rng, size), b.sample(rng, size)
        O = haar_orthogonal(rng, size)
        B = O @ B @ O.T
        root = positive_square_root(A)
        product = root @ B @ root
        return (product + product.T) / 2, *((A, B) if first_positive else (B, A))


# ---- changes of variables -----------------------------------------------------------------------


class Scale(ChangeOfVariables):
    """The law of ``factor * A``: ``m_{aA}(a z) = m_A(z)/a``."""

    description = "scale"
    step_text = "The law of $aA$: $m(z) = m_A(z/a)/a$."

    def __init__(self, law, factor):
        factor = exact(factor)
        if factor == 0:
            raise ValueError("scaling: the factor must be nonzero (a law times 0 is atom(0))")
        super().__init__((law, factor), self._carried(law, factor * law.mean, factor),
                         law.positive and factor.is_number and factor > 0, factor * law.mean)

    @staticmethod
    def change(m, z, a):
        return m / a, a * z

    @staticmethod
    def back(m, z, a):
        return Scale.change(m, z, 1 / a)

    @classmethod
    def parameters_of(cls, phi, chi, F, u):
        a = sp.simplify(chi / u)
        return None if a.has(u, F) or a == 0 else (a,)

    @classmethod
    def describe(cls, a):
        return f"scale by {a}"

    @staticmethod
    def transform_matrix(X, factor):
        return float(factor) * X

    @property
    def text(self):
        law, factor = self.operands
        return f"{'-' if factor == -1 else f'{_show(factor)}*'}{_wrap(law)}"

    def latex_name(self, show=sp.latex):
        law, factor = self.operands
        return f"{show(factor)}\\,{_inner(law, show, True)}"


class Shift(ChangeOfVariables):
    """The law of ``A + shift``: ``m_{A+b}(z + b) = m_A(z)``."""

    description = "shift"
    step_text = "The law of $A + b$: $m(z) = m_A(z - b)$."
    loose = True

    def __init__(self, law, shift):
        shift = exact(shift)
        super().__init__((law, shift), self._carried(law, law.mean + shift, shift),
                         law.positive and shift.is_number and shift >= 0, law.mean + shift)

    @staticmethod
    def change(m, z, b):
        return m, z + b

    @staticmethod
    def back(m, z, b):
        return Shift.change(m, z, -b)

    @classmethod
    def parameters_of(cls, phi, chi, F, u):
        b = sp.simplify(chi - u)
        return None if b.has(u, F) else (b,)

    @classmethod
    def describe(cls, b):
        return f"shift by {b}"

    @staticmethod
    def transform_matrix(X, shift):
        return X + float(shift) * np.eye(len(X))

    @property
    def text(self):
        law, shift = self.operands
        return f"{law.text} {'-' if shift.could_extract_minus_sign() else '+'} {_show(abs(shift))}"

    def latex_name(self, show=sp.latex):
        law, shift = self.operands
        sign = "-" if shift.could_extract_minus_sign() else "+"
        return f"{_inner(law, show, False)} {sign} {show(abs(shift))}"


class Inverse(ChangeOfVariables):
    """The law of ``A^{-1}``, for ``A`` supported on ``(0, oo)``: ``m_{1/A}(1/z) = -z - z^2 m_A(z)``,
    i.e. ``m(z) = -1/z - m_A(1/z)/z^2``."""

    name, usage, description = "inv", "inv(LAW)", "inverse"
    step_text = "The law of $A^{-1}$: $m(z) = -1/z - m_A(1/z)/z^2$."

    def __init__(self, law):
        if not law.positive:
            raise ValueError(f"inverse: the law must be supported on (0, oo); {law} is not known to be")
        if not law.parameters:
            near_zero = ([a for a, _ in law.support() if float(a) <= 0] +
                         [x for x, _ in law.atoms() if float(x) <= 0])
            if near_zero:
                raise ValueError(f"inverse: {law} has mass at or arbitrarily near 0")
        mean = self._value_at_zero(law)
        super().__init__((law,), self._carried(law, mean), True, mean)

    @staticmethod
    def change(m, z):
        return -z - z**2 * m, 1 / z

    @staticmethod
    def back(m, z):
        return Inverse.change(m, z)   # an involution

    @staticmethod
    def transform_matrix(X):
        return np.linalg.inv(X)

    @property
    def text(self):
        return f"inv({self.operands[0].text})"

    def latex_name(self, show=sp.latex):
        return f"\\left({self.operands[0].latex_name(show)}\\right)^{{-1}}"

    @classmethod
    def parse(cls, arguments):
        if not isinstance(arguments[0], Law):
            if hasattr(arguments[0], "stieltjes"):  # a law with no algebraic curve (powerlaw)
                raise ValueError("inv() of a law that is not algebraic is not implemented (its inverse "
                                 "has no curve to carry)")
            raise ValueError("inv() takes a law")
        return cls(arguments[0])

    @staticmethod
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


# The constructors by their former names: the same classes.
marchenko_pastur, semicircle, atom, spectrum = MarchenkoPastur, Semicircle, Atom, Spectrum
free_sum, free_product, scaled, shifted, inverse = FreeSum, FreeProduct, Scale, Shift, Inverse
