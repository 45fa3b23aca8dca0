"""Spectral laws that are not algebraic: given by a quantile function, a density or eigenvalues.

Beside the algebraic laws of :mod:`derive.rmt.law` (a curve ``P(m, z) = 0``), a continuum law is
held by what defines it, and everything is a mean over it computed by quadrature
(:mod:`derive.quadrature`, tanh-sinh with fixed nodes, exact in the endpoint
singularities) or in closed form:

* :class:`PowerLaw` ``powerlaw(p)``, ``0 < p < 1``: the law of ``(1 - p) U^{-p}``, ``U`` uniform,
  the limit of the normalised power-law spectrum ``(1 - p)(j/d)^{-p}``, ``j = 1..d`` (mean 1).
  Quantile ``Q(u) = (1 - p)(1 - u)^{-p}``, density ``(1/p)(1 - p)^{1/p} x^{-1/p - 1}`` on
  ``[1 - p, oo)``, moments ``E X^k = (1 - p)^k/(1 - kp)`` (infinite for ``k >= 1/p``), and
  ``m(z) = 2F1(1, 1 + 1/p; 2 + 1/p; z/(1 - p)) / ((1 - p)(1 + p))`` (Euler's integral);
* :class:`QuantileLaw` ``QuantileLaw(Q)``: the law of ``Q(U)`` for an increasing ``Q``;
* :class:`DensityLaw` ``DensityLaw(rho, a, b)``: a density on ``[a, b]``, with any integrable
  algebraic behaviour at the ends (``sqrt`` edges);
* :class:`Eigenvalues` ``Eigenvalues(values, weights)``: a finite spectrum held numerically
  (thousands of eigenvalues; the algebraic ``spectrum`` has a curve of that degree).

Conventions as in :mod:`derive.rmt.law`: ``m(z) = E 1/(X - z)``, ``Im m > 0`` for ``Im z > 0``,
``m ~ -1/z``.  Quantile functions are increasing: "aligned" orderings of two covariances are
``(Q_1(U), Q_2(U))`` (both spectra sorted the same way), anti-aligned ``(Q_1(U), Q_2(1 - U))``.

Every method takes numpy arrays and answers for all points at once; a function handed to
:meth:`ContinuumLaw.mean` or :func:`joint_mean` receives the quadrature nodes on its **last
axis**, so a grid of parameters broadcasts against them with ``[..., None]``.

Usage (the interface the d = oo alignment error calls)::

    import numpy as np
    from derive.rmt.continuum import PowerLaw, joint_mean
    from derive.rmt.silverstein import alignment_means, task_resolvent

    train, test = PowerLaw(0.5), PowerLaw(0.3)
    train.stieltjes(np.array([-0.1, 1 + 1j]))                # m(z)
    train.stieltjes(np.array([-0.1]), derivative=1)           # m'(z) = E 1/(X - z)^2
    train.mean(lambda x: 1 / (x + 0.1))                       # E f(X), = m(-0.1)
    a, nu = np.array([0.5, 0.9]), np.array([0.1, 0.2])        # a grid of (a, nu)
    joint_mean(lambda x, y: y / (a[:, None] * x + nu[:, None]), train, test)            # aligned
    joint_mean(lambda x, y: y / (a[:, None] * x + nu[:, None]), train, test, aligned=False)
    r = task_resolvent(train, kappa=np.array([0.5, 2.0]), nu=np.array([0.1, 0.1]))
    r.M, r.M_prime, r.a, r.a_prime    # M = <(aC + nu)^-1>, a = 1 - 1/kappa + nu M/kappa
    F = alignment_means(train, test, r.a, nu, aligned=False)   # E[T/(aL+nu)], E[T/(aL+nu)^2],
    F.F1, F.F2, F.F2l                                          # E[TL/(aL+nu)^2], L = Q_train(U)

Free sums (``powerlaw(0.5) + semicircle(1)``, by subordination: :mod:`.subordination`), affine
images (``1 - 2*powerlaw(0.5)``) and products with ``mp(c)`` (:mod:`.silverstein`) are laws of
the same kind.

>>> law = PowerLaw(0.5)
>>> law.moments(2)        # E X^2 = (1 - p)^2/(1 - 2p) is infinite at p = 1/2
[1.0, 1.0, inf]
>>> round(float(law.stieltjes(np.array([0.0]))[0].real), 12)    # E 1/X = 1/((1 - p)(1 + p))
1.333333333333
"""

from __future__ import annotations

import math

import numpy as np

from ..quadrature import default_rule, rule_with_step

#: Points times nodes per block when a mean runs over a grid: bounds the memory of one call.
BLOCK = 2_000_000


def numbers_only(law, arguments, kind):
    """Refuse, in one line, an argument of ``law``'s constructor that is a law or a symbol:
    ``kind`` (``"a finite spectrum"``) has no symbolic parameters."""
    for a in arguments:
        if hasattr(a, "curve") or getattr(a, "continuum", False):
            raise ValueError(f"{law.name}() takes numbers, not a law")
        if not getattr(a, "is_number", True):
            raise ValueError(f"{law.usage}: give {a} a number ({kind} has no symbolic parameters)")


class ContinuumLaw:
    """A spectral law held by its quantile function, density or eigenvalues (not a curve).

    Subclasses give :meth:`quantile` (and :attr:`steps` for a piecewise-constant one),
    :meth:`support`, and may override :meth:`mean`, :meth:`stieltjes`, :meth:`density` and
    :meth:`moments` with closed forms.  :attr:`positive`: supported on ``[0, oo)``."""

    #: Tells the operators of :class:`derive.rmt.law.Law` to hand a combination over to this class.
    continuum = True
    #: The parser's names for these laws (beside :attr:`derive.rmt.law.Law.parsers`): name -> class.
    parsers = {}
    name = usage = None
    arity = (1, 1)
    loose = mixture = False
    positive = True
    #: Its matrix model (:meth:`sample`) is random: a product with mp(c).  A quantile law's is
    #: the fixed diagonal of its quantiles, so Monte Carlo has nothing to average.
    random_model = False
    #: A finite spectrum: the quantile is constant between :attr:`breakpoints`.
    steps = False
    breakpoints = ()
    parameters = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name") is not None:
            ContinuumLaw.parsers[cls.name] = cls

    def __repr__(self):
        return f"{type(self).__name__}({self.text})"

    def __str__(self):
        return self.text

    @property
    def text(self):
        raise NotImplementedError

    def subs(self, values):
        """The law with parameters (symbols or their names) given values.  Only a combination
        with an algebraic law has parameters (``powerlaw(0.5) * mp(c)``): its numeric methods
        wait for their values."""
        by_name = {str(k): v for k, v in values.items()}
        known = {str(p) for p in self.parameters}
        unknown = set(by_name) - known
        if unknown:
            raise ValueError(f"{self} has no parameter {min(unknown)} (its parameters: "
                             f"{', '.join(sorted(known)) or 'none'})")
        return self._substituted(by_name) if by_name else self

    def _substituted(self, values):
        """The same construction with ``values`` (by name) put in; a law with no parameters
        is itself."""
        return self

    def _require_numeric(self):
        if self.parameters:
            names = ", ".join(map(str, self.parameters))
            raise ValueError(f"{self} has symbolic parameters ({names}); give them values first")

    # ---- the law ----------------------------------------------------------------------------

    def quantile(self, u, complement=None):
        """``Q(u)`` (increasing), given ``u`` and, for precision near ``u = 1``, ``1 - u``."""
        raise NotImplementedError

    def support(self):
        """``[(lower, upper)]``, the closed hull of the support (``upper`` may be ``inf``)."""
        raise NotImplementedError

    def mean(self, f):
        """``E f(X)``: ``f`` gets the quadrature points on its last axis (``f(x)[..., k]``)."""
        return default_rule().integrate(lambda u, ubar: f(self.quantile(u, ubar)))

    def moments(self, count):
        """``[E X^0, ..., E X^count]`` as floats by quadrature over ``U``.  A moment whose terms
        have not died out at the outermost nodes (``u`` or ``1 - u`` near ``1e-250``: a tail too
        heavy for the rule, ``E X^k`` infinite or nearly so) is ``inf``, not a finite sum."""
        rule = default_rule()
        x = self.quantile(rule.nodes, rule.complements)
        ends = np.r_[:8, -8:0]
        result = [1.0]
        for k in range(1, count + 1):
            with np.errstate(over="ignore", invalid="ignore"):
                terms = rule.weights * x**k
            total = float(np.sum(terms))
            unresolved = not np.isfinite(total) or np.sum(np.abs(terms[ends])) > 1e-12 * max(abs(total), 1e-300)
            result.append(math.inf if unresolved else total)
        return result

    def stieltjes(self, zs, derivative=0):
        """``m^{(k)}(z) = k! E 1/(X - z)^{k+1}`` on an array of complex ``z``, ``k = derivative``.

        By quadrature over ``U``, with the fixed rule: to 1e-15 at a distance from the support
        of more than about 0.15 of its width, 5e-6 at 0.05, and no better than 1e-2 closer
        (a pole of the integrand nears the nodes; the uniform law on [0, 2]).
        :class:`DensityLaw` refines its rule near the support, and :class:`PowerLaw` has a
        closed form that holds up to it."""
        k = _order(derivative)
        return self.stieltjes_derivatives(zs, k)[k]

    def stieltjes_derivatives(self, zs, order):
        """``[m(z), m'(z), ..., m^{(order)}(z)]`` stacked on a new first axis (one pass over the
        nodes for all orders)."""
        return _resolvent_powers(self.mean, np.asarray(zs, dtype=complex), order, len(default_rule()))

    def density(self, xs):
        raise NotImplementedError(f"{self} has no density")

    def sample(self, rng, size):
        """A diagonal matrix of the quantiles at ``(j - 1/2)/N``: its law tends to this one."""
        u = (np.arange(size) + 0.5) / size
        return np.diag(self.quantile(u, 1 - u))

    def sample_with_operands(self, rng, size):
        return self.sample(rng, size), None, None

    # ---- operations -------------------------------------------------------------------------

    def __mul__(self, other):
        from .law import MarchenkoPastur
        from .silverstein import MarchenkoPasturProduct

        if isinstance(other, MarchenkoPastur):
            return MarchenkoPasturProduct(self, other.operands[0])
        if _is_law(other):
            raise ValueError(f"free product {self} * {other}: with a law that is not algebraic only "
                             "the product with mp(c) is implemented")
        return Affine(self, other)

    __rmul__ = __mul__    # a free product with mp(c) commutes (in law); so does scaling

    def __truediv__(self, other):
        if _is_law(other):
            raise ValueError(f"{self} / {other}: a law divided by a law is not supported")
        return Affine(self, 1 / _finite(other, "the divisor"))

    def __add__(self, other):
        from .subordination import FreeAdditive

        if _is_law(other):
            return FreeAdditive(self, other)
        return Affine(self, 1, other)

    def __radd__(self, other):
        from .subordination import FreeAdditive

        return FreeAdditive(other, self) if _is_law(other) else Affine(self, 1, other)

    def __sub__(self, other):
        return self + (-other if _is_law(other) else -_finite(other, "the shift"))

    def __rsub__(self, other):
        return (-self) + other

    def __neg__(self):
        return Affine(self, -1)

    def inverse(self):
        raise ValueError(f"inv({self}): not implemented for a law that is not algebraic")

    @classmethod
    def parse(cls, arguments):
        numbers_only(cls, arguments, "a law that is not algebraic")
        return cls(*[float(a) for a in arguments])


class QuantileLaw(ContinuumLaw):
    """The law of ``Q(U)``, ``U`` uniform on ``(0, 1)``, for an increasing vectorised ``Q``.

    ``Q`` takes ``u`` alone, or ``(u, 1 - u)`` when ``two_sided`` (to keep its precision near 1).

    >>> law = QuantileLaw(lambda u: 2 * u, support=(0, 2))       # uniform on [0, 2]
    >>> round(float(law.mean(lambda x: x**2)), 12)
    1.333333333333
    """

    def __init__(self, Q, support=(-np.inf, np.inf), two_sided=False, text="quantile law", positive=None):
        self._Q, self._two_sided, self._text = Q, two_sided, text
        self._support = (float(support[0]), float(support[1]))
        self.positive = self._support[0] >= 0 if positive is None else positive

    @property
    def text(self):
        return self._text

    def quantile(self, u, complement=None):
        u = np.asarray(u, dtype=float)
        if self._two_sided:
            return self._Q(u, 1 - u if complement is None else complement)
        return self._Q(u)

    def support(self):
        return [self._support]


class PowerLaw(ContinuumLaw):
    """``powerlaw(p)``: the law of ``(1 - p) U^{-p}``, ``0 < p < 1``, mean 1: the limit of the
    eigenvalues ``(1 - p)(j/d)^{-p}`` of a normalised power-law covariance ``C ~ diag(j^-p)``.

    ``m(z) = sum_n z^n E X^{-n-1}`` with ``E X^{-k} = (1 - p)^{-k}/(1 + kp)`` for ``|z| <= (1 - p)/2``;
    on the rest of the negative axis scipy's real ``2F1`` (the task resolvent's points); elsewhere
    Euler's integral ``m(z) = (1/(p (1 - p))) int_0^1 s^{1/p} ds/(1 - ws)``,
    ``w = z/(1 - p)``, by tanh-sinh, with the pole at ``s_0 = 1/w`` subtracted when it is near
    ``[0, 1]`` (``z`` near the support ``[1 - p, oo)``): ``s_0^{1/p} int ds/(1 - ws) =
    -s_0^{1/p} log(1 - w)/w``.  Derivatives from the differential equation of ``2F1``:
    ``z m^{(k)} + (k - 1) m^{(k-1)} = ((k - 1)!/(1 - p - z)^k - (1 + p) m^{(k-1)})/p``.
    """

    name, usage = "powerlaw", "powerlaw(p)"

    def __init__(self, p):
        p = _finite(p, "powerlaw(p): the exponent p")
        if not 0 < p < 1:
            raise ValueError(f"powerlaw(p): the exponent p must be in (0, 1), got {p:g}")
        self.p = p

    @property
    def text(self):
        return f"powerlaw({self.p:g})"

    def quantile(self, u, complement=None):
        ubar = 1 - np.asarray(u, dtype=float) if complement is None else np.asarray(complement, dtype=float)
        return (1 - self.p) * ubar ** -self.p

    def support(self):
        return [(1 - self.p, np.inf)]

    def density(self, xs):
        xs = np.asarray(xs, dtype=float)
        p = self.p
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (1 - p) ** (1 / p) / p * xs ** (-1 / p - 1)
        return np.where(xs >= 1 - p, value, 0.0)

    def moments(self, count):
        p = self.p
        return [(1 - p) ** k / (1 - k * p) if k * p < 1 else math.inf for k in range(count + 1)]

    def stieltjes_derivatives(self, zs, order):
        k = _order(order)
        zs = np.asarray(zs, dtype=complex)
        flat = zs.ravel()
        w = flat / (1 - self.p)
        near = np.abs(w) <= 0.5
        values = np.empty((k + 1, flat.size), dtype=complex)
        if near.any():
            values[:, near] = [self._series(w[near], order) for order in range(k + 1)]
        far = ~near
        if far.any():
            z = flat[far]
            negative = (z.imag == 0) & (z.real < 0)
            values[0, far] = np.where(negative, self._hypergeometric(np.where(negative, z.real, -1.0)), 0)
            if not negative.all():
                values[0, np.flatnonzero(far)[~negative]] = _blocked(z[~negative], self._euler)
            for order in range(1, k + 1):
                values[order, far] = ((math.factorial(order - 1) / (1 - self.p - z) ** order
                                       - (1 + self.p) * values[order - 1, far]) / self.p
                                      - (order - 1) * values[order - 1, far]) / z
        # Off the support on the real axis m is real: drop the round-off imaginary part.
        off = ((flat.imag == 0) & (flat.real < 1 - self.p))
        values[:, off] = values[:, off].real
        return values.reshape((k + 1,) + zs.shape)

    def _series(self, w, order):
        """``d^k/dz^k sum_n w^n/((1 - p)(1 + (n + 1)p))`` at ``|w| <= 1/2``, by Horner."""
        p = self.p
        terms = 64 + 8 * order
        total = np.zeros_like(w)
        for n in range(terms + order - 1, order - 1, -1):
            falling = math.perm(n, order)
            total = total * w + falling / (1 + (n + 1) * p)
        return total / (1 - p) ** (order + 1)

    def _hypergeometric(self, z):
        """``m(z)`` at real ``z < 0`` by scipy's real ``2F1`` (1e-14 there, against mpmath)."""
        from scipy.special import hyp2f1

        p = self.p
        return hyp2f1(1.0, 1 + 1 / p, 2 + 1 / p, z / (1 - p)) / ((1 - p) * (1 + p))

    def _euler(self, z):
        """Euler's integral at ``z`` (a 1-d block), the pole subtracted where it nears ``[0, 1]``."""
        p, b = self.p, 1 / self.p
        w = z / (1 - p)
        s0 = 1 / w
        near = (_distance_to_unit_interval(s0) < 0.25) & (np.abs(s0) <= 1.05)
        subtract = np.where(near, s0 ** b, 0)[:, None]
        rule = default_rule()
        s, sbar = rule.nodes, rule.complements
        wc = w[:, None]
        # 1 - w s, written through 1 - s near s = 1, where the pole sits for z near the edge 1 - p.
        gap = (1 - wc) + wc * sbar
        numerator = s**b - subtract
        integrand = numerator / gap
        # At a node within 1e-3 of the pole (relative), the divided difference by its series.
        r = s / s0[:, None]
        close = near[:, None] & (np.abs(r - 1) < 1e-3)
        if close.any():
            delta = (r - 1)[close]
            coefficient, series = 1.0 + 0j, 0j
            for j in range(6):
                coefficient = coefficient * (b - j) / (j + 1)
                series = series + coefficient * delta**j
            integrand[close] = -np.broadcast_to(subtract, r.shape)[close] * series
        total = np.sum(integrand * rule.weights, axis=-1)
        log = np.log(1 - w)
        # On the support (z real, w > 1) the limit from above: 1 - w is approached from below.
        on_cut = (z.imag == 0) & (w.real > 1)
        log = np.where(on_cut, np.log(np.abs(1 - w)) - 1j * np.pi, log)
        total = total - np.where(near, s0**b * log / w, 0)
        return total / (p * (1 - p))


class DensityLaw(ContinuumLaw):
    """A law with density ``rho`` on ``[lower, upper]`` (finite), ``rho`` vectorised; any
    integrable algebraic behaviour at the ends (the tanh-sinh nodes cluster there).  The density
    must integrate to 1 (checked to 1e-9).  The quantile is the inverse of the distribution
    function, by safeguarded Newton on the quadrature of ``rho``.

    >>> c = 0.25; a, b = (1 - c**0.5)**2, (1 + c**0.5)**2       # Marchenko-Pastur, ratio 1/4
    >>> law = DensityLaw(lambda x: np.sqrt((b - x) * (x - a)) / (2 * np.pi * c * x), a, b)
    >>> round(float(law.mean(lambda x: x**2)), 12)                   # 1 + c
    1.25
    """

    def __init__(self, density, lower, upper, text="density law"):
        lower, upper = _finite(lower, "the lower end"), _finite(upper, "the upper end")
        if not lower < upper:
            raise ValueError(f"density law: need lower < upper, got [{lower:g}, {upper:g}]")
        self._rho, self.lower, self.upper, self._text = density, lower, upper, text
        self._quantiles = {}
        self.positive = lower >= 0
        mass = float(self.mean(lambda x: np.ones_like(x)))
        if not abs(mass - 1) < 1e-9:
            raise ValueError(f"density law: the density integrates to {mass:.12g} over "
                             f"[{lower:g}, {upper:g}], not 1")

    @property
    def text(self):
        return self._text

    def support(self):
        return [(self.lower, self.upper)]

    def density(self, xs):
        xs = np.asarray(xs, dtype=float)
        inside = (xs > self.lower) & (xs < self.upper)
        with np.errstate(all="ignore"):
            return np.where(inside, self._rho(np.clip(xs, self.lower, self.upper)), 0.0)

    def mean(self, f, rule=None):
        return self._integrate(lambda t: f(t) * self._rho(t), rule)

    def _integrate(self, g, rule=None):
        """``integral_lower^upper g(t) dt`` by the tanh-sinh rule (default: the shared one)."""
        a, b = self.lower, self.upper
        rule = default_rule() if rule is None else rule
        return rule.integrate(lambda u, ubar: g(a + (b - a) * u)) * (b - a)

    def stieltjes_derivatives(self, zs, order):
        """By quadrature, with a finer rule the nearer ``z`` is to ``[lower, upper]``: a pole at
        relative distance ``delta`` costs the rule ``exp(-8 delta/h)``, so ``h`` is the largest
        of ``1/32, 1/64, ..., 1/4096`` below ``delta/3`` (1e-10 down to ``delta ~ 0.01``; about
        1e-4 at ``delta = 0.001``).  On the support itself, ``z = x`` real, the limit from above
        by the principal value: ``int (rho(t) - rho(x))/(t - x) dt + rho(x) log((b - x)/(x - a))
        + i pi rho(x)`` (order 0 only; within 1e-6 of an edge the divided difference of a
        square-root density cancels, about 1e-3 at 1e-16 from it).  Between the two, at ``0 < delta < 0.003``, the finest
        rule is not fine enough: about 1e-7 at ``delta = 0.001`` and 0.2 at ``1e-4`` for a
        square-root density; a law with a closed form near its support (``powerlaw``) or the
        algebraic engine is the tool there."""
        zs = np.asarray(zs, dtype=complex)
        a, b = self.lower, self.upper
        width = b - a
        distance = np.abs(zs - np.clip(zs.real, a, b)) / width
        out = np.empty((order + 1,) + zs.shape, dtype=complex)
        on = distance == 0
        if on.any():
            if order > 0:
                raise ValueError(f"{self}: m' on the support itself is not implemented")
            out[0][on] = self._on_support(zs.real[on])
        steps = np.clip(2.0 ** np.floor(np.log2(np.maximum(distance, 1e-300) / 3)), 1 / 4096, 1 / 32)
        for step in np.unique(steps[~on]):
            chosen = ~on & (steps == step)
            rule = rule_with_step(float(step))
            out[:, chosen] = _resolvent_powers(lambda f: self.mean(f, rule), zs[chosen], order, len(rule))
        return out

    def _on_support(self, x):
        a, b = self.lower, self.upper
        at = self._rho(x)
        column, rho_x = x[:, None], at[:, None]

        # At a node within 1e-8 of x the divided difference would cancel: rho'(x) instead, by a
        # central difference (each error ~1e-8 of the node's term, whose weight is ~h).
        step = 1e-6 * (b - a)
        right, left = np.minimum(x + step, b), np.maximum(x - step, a)
        slope = ((self._rho(right) - self._rho(left)) / (right - left))[:, None]

        def divided(t):
            with np.errstate(divide="ignore", invalid="ignore"):
                value = (self._rho(t) - rho_x) / (t - column)
            # At an edge (rho(x) = 0) a node that rounds onto x has a negligible weight: 0.
            value = np.where(np.isfinite(value) | (rho_x != 0), value, 0.0)
            return np.where((np.abs(t - column) < 1e-8 * (b - a)) & (rho_x != 0), slope, value)

        with np.errstate(divide="ignore", invalid="ignore"):
            # At an edge itself rho(x) = 0 and the integral converges as it stands.
            ends = np.where(at == 0, 0.0, at * np.log((b - x) / (x - a)))
        return self._integrate(divided) + ends + 1j * np.pi * at

    def cdf(self, xs):
        """``P(X <= x)`` on an array, by quadrature of the density on ``[lower, x]``."""
        xs = np.clip(np.asarray(xs, dtype=float), self.lower, self.upper)
        a = self.lower
        width = (xs - a).ravel()
        values = _blocked(width, lambda wd: default_rule().integrate(
            lambda u, ubar: self._rho(a + wd[:, None] * u)) * wd, complex_=False)
        return values.reshape(xs.shape)

    def quantile(self, u, complement=None):
        u = np.asarray(u, dtype=float)
        # Joint means ask again and again at the same nodes: keep the last few inversions.
        key = u.tobytes()
        if key not in self._quantiles:
            if len(self._quantiles) > 16:
                self._quantiles.clear()
            self._quantiles[key] = self._invert(u)
        return self._quantiles[key]

    def _invert(self, u):
        lo, hi = np.full(u.shape, self.lower), np.full(u.shape, self.upper)
        x = self.lower + (self.upper - self.lower) * u
        for _ in range(100):
            excess = self.cdf(x) - u
            lo, hi = np.where(excess < 0, x, lo), np.where(excess < 0, hi, x)
            with np.errstate(all="ignore"):
                newton = x - excess / self._rho(x)
            inside = np.isfinite(newton) & (newton > lo) & (newton < hi)
            step = np.where(inside, newton, (lo + hi) / 2)
            if np.all(np.abs(step - x) <= 1e-15 * np.maximum(1, np.abs(x))):
                return step
            x = step
        return x


class Eigenvalues(ContinuumLaw):
    """A finite spectrum held numerically: mass ``weights[i]`` (default ``1/d``) at ``values[i]``;
    ``m(z) = sum_i w_i/(x_i - z)``.  Means are exact sums; the quantile is a step function.

    >>> law = Eigenvalues([1.0, 3.0])
    >>> law.stieltjes(np.array([0.0])).real.round(12).tolist()    # (1/1 + 1/3)/2
    [0.666666666667]
    """

    steps = True

    def __init__(self, values, weights=None, text=None):
        values = np.asarray(values, dtype=float).ravel()
        weights = np.full(values.size, 1 / max(values.size, 1)) if weights is None else np.asarray(weights, float).ravel()
        if values.size == 0 or weights.size != values.size:
            raise ValueError("eigenvalues: give as many weights as values, at least one")
        if not (np.all(np.isfinite(values)) and np.all(weights >= 0) and abs(weights.sum() - 1) < 1e-12):
            raise ValueError("eigenvalues: values must be finite, weights >= 0 summing to 1")
        order = np.argsort(values, kind="stable")
        self.values, self.weights = values[order], weights[order]
        self._cumulative = np.cumsum(self.weights)
        self.breakpoints = tuple(self._cumulative[:-1][self.weights[:-1] > 0])
        self.positive = bool(self.values[0] >= 0)
        self._text = text or f"eigenvalues({values.size})"

    @property
    def text(self):
        return self._text

    def support(self):
        return [(float(self.values[0]), float(self.values[-1]))]

    def quantile(self, u, complement=None):
        index = np.searchsorted(self._cumulative, np.asarray(u, dtype=float), side="left")
        return self.values[np.clip(index, 0, self.values.size - 1)]

    def mean(self, f):
        return np.sum(f(self.values) * self.weights, axis=-1)

    def stieltjes_derivatives(self, zs, order):
        return _resolvent_powers(self.mean, np.asarray(zs, dtype=complex), order, self.values.size)

    def moments(self, count):
        return [float(np.sum(self.weights * self.values**k)) for k in range(count + 1)]


class Affine(ContinuumLaw):
    """The law of ``factor * A + shift``, ``factor != 0``: ``m(z) = m_A((z - shift)/factor)/factor``;
    for ``factor < 0`` the quantile reverses, ``factor Q_A(1 - u) + shift``."""

    def __init__(self, law, factor, shift=0.0):
        factor, shift = _finite(factor, "the scaling factor"), _finite(shift, "the shift")
        if factor == 0:
            raise ValueError(f"scaling {law}: the factor must be nonzero (a law times 0 is atom(0))")
        self.law, self.factor, self.shift = law, factor, shift
        self.positive = bool(getattr(law, "positive", False) and factor > 0 and shift >= 0)
        self.steps = getattr(law, "steps", False)
        self.breakpoints = tuple(law.breakpoints) if factor > 0 else tuple(1 - b for b in reversed(law.breakpoints))
        self.random_model = getattr(law, "random_model", False)

    @property
    def text(self):
        scaled = (self.law.text if self.factor == 1 else f"-{_wrap(self.law)}" if self.factor == -1
                  else f"{self.factor:g}*{_wrap(self.law)}")
        if self.shift == 0:
            return scaled
        return f"{scaled} {'-' if self.shift < 0 else '+'} {abs(self.shift):g}"

    def quantile(self, u, complement=None):
        u = np.asarray(u, dtype=float)
        ubar = 1 - u if complement is None else complement
        inner = self.law.quantile(u, ubar) if self.factor > 0 else self.law.quantile(ubar, u)
        return self.factor * inner + self.shift

    def support(self):
        return [tuple(sorted((self.factor * a + self.shift, self.factor * b + self.shift)))
                for a, b in self.law.support()]

    def mean(self, f):
        return self.law.mean(lambda x: f(self.factor * x + self.shift))

    def moments(self, count):
        """``E (aX + b)^k = sum_j C(k, j) a^j b^(k-j) E X^j`` (infinite from the first infinite
        ``E X^j`` on)."""
        inner = [float(v) for v in self.law.moments(count)]
        result = []
        for k in range(count + 1):
            if not all(np.isfinite(inner[:k + 1])):
                result.append(math.inf)
                continue
            result.append(sum(math.comb(k, j) * self.factor**j * self.shift ** (k - j) * inner[j]
                              for j in range(k + 1)))
        return result

    def stieltjes_derivatives(self, zs, order):
        zs = np.asarray(zs, dtype=complex)
        values = self.law.stieltjes_derivatives((zs - self.shift) / self.factor, order)
        scales = self.factor ** -np.arange(1.0, order + 2)
        return values * scales.reshape((-1,) + (1,) * (values.ndim - 1))

    def density(self, xs):
        xs = np.asarray(xs, dtype=float)
        return self.law.density((xs - self.shift) / self.factor) / abs(self.factor)

    def sample(self, rng, size):
        return self.factor * self.law.sample(rng, size) + self.shift * np.eye(size)


def joint_mean(g, first, second, aligned=True):
    """``E g(Q_1(U), Q_2(U))`` (``aligned``) or ``E g(Q_1(U), Q_2(1 - U))`` over one uniform ``U``:
    the mean over the spectrum of ``first`` of ``g`` at the eigenvalue of ``second`` that has the
    same rank (aligned) or the opposite rank.

    ``g(x, y)`` gets the points on its last axis.  ``(0, 1)`` is cut at the jumps of either
    quantile (finite spectra); on a piece where both are constant the mean is exact, elsewhere
    it is the tanh-sinh rule on the piece, with the complements kept exact near ``u = 1``.

    >>> a, b = Eigenvalues([1.0, 2.0]), Eigenvalues([10.0, 20.0])
    >>> float(joint_mean(lambda x, y: x * y, a, b)), float(joint_mean(lambda x, y: x * y, a, b, aligned=False))
    (25.0, 20.0)
    """
    cuts = set(first.breakpoints) | {float(1 - c) if not aligned else float(c) for c in second.breakpoints}
    edges = np.array(sorted({0.0, 1.0} | {c for c in cuts if 0 < c < 1}))
    rule = default_rule()
    xs, ys, weights = [], [], []
    for lower, upper in zip(edges[:-1], edges[1:]):
        width = upper - lower
        if first.steps and second.steps:
            u, ubar, w = np.array([(lower + upper) / 2]), np.array([1 - (lower + upper) / 2]), np.array([width])
        else:
            u = lower + width * rule.nodes
            ubar = (1 - upper) + width * rule.complements
            w = width * rule.weights
        middle, middle_bar = np.full(1, (lower + upper) / 2), np.full(1, 1 - (lower + upper) / 2)
        xs.append(np.broadcast_to(first.quantile(middle, middle_bar), u.shape) if first.steps
                  else first.quantile(u, ubar))
        if aligned:
            y = second.quantile(middle, middle_bar) if second.steps else second.quantile(u, ubar)
        else:
            y = second.quantile(middle_bar, middle) if second.steps else second.quantile(ubar, u)
        ys.append(np.broadcast_to(y, u.shape))
        weights.append(w)
    return np.sum(g(np.concatenate(xs), np.concatenate(ys)) * np.concatenate(weights), axis=-1)


def stieltjes_and_derivative(law, zs):
    """``(m(z), m'(z))`` for a law of :mod:`.continuum` or an algebraic one: for a curve
    ``P(m, z) = 0``, ``m' = -P_z/P_m`` at the branch's value (implicit differentiation)."""
    if hasattr(law, "stieltjes_derivatives"):
        return law.stieltjes_derivatives(zs, 1)
    if not hasattr(law, "_slope"):
        import sympy as sp

        from .algebraic import m, z

        law._slope = sp.lambdify((m, z), -sp.diff(law.curve, z) / sp.diff(law.curve, m), modules="numpy")
    values = law.stieltjes(zs)
    return values, law._slope(values, zs) * np.ones_like(values)


def _resolvent_powers(mean, zs, order, nodes):
    """``[k! mean(1/(x - z)^{k+1}) for k = 0..order]`` stacked on a new first axis, in blocks of
    :data:`BLOCK` points times ``nodes``; one division per block, the powers by products (they
    underflow to 0 where ``x`` is huge, which is their limit)."""
    # On the real axis (off the support: the task resolvent's points) real arithmetic will do.
    real = not np.any(zs.imag)
    out = np.empty((order + 1,) + zs.shape, dtype=float if real else complex)
    flat = zs.real.ravel() if real else zs.ravel()
    size = max(1, BLOCK // nodes)
    factorials = np.array([math.factorial(k) for k in range(order + 1)], dtype=float)[:, None]

    for start in range(0, flat.size, size):
        z = flat[start:start + size][:, None]

        def powers(x):
            with np.errstate(over="ignore", under="ignore"):
                inverse = 1 / (x - z)
                stacked = [inverse]
                for _ in range(order):
                    stacked.append(stacked[-1] * inverse)
            return np.stack(stacked)

        out.reshape(order + 1, -1)[:, start:start + size] = factorials * mean(powers)
    return out.astype(complex)


def _share(law, values):
    """The values (by name) that belong to ``law``'s parameters, put into it."""
    own = {str(p) for p in getattr(law, "parameters", ())}
    return law.subs({k: v for k, v in values.items() if k in own})


def _is_law(value):
    return getattr(value, "continuum", False) or hasattr(value, "curve")


def _wrap(law):
    return f"({law.text})" if getattr(law, "loose", False) else law.text


def _order(derivative):
    if not (isinstance(derivative, (int, np.integer)) and derivative >= 0):
        raise ValueError(f"derivative: the order must be an integer >= 0, got {derivative!r}")
    return int(derivative)


def _finite(value, name):
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def _distance_to_unit_interval(s):
    """The distance from complex ``s`` to ``[0, 1]``."""
    return np.abs(s - np.clip(s.real, 0, 1))


def _blocked(points, evaluate, complex_=True):
    """``evaluate`` on a flat array of points in blocks (each a points x nodes array of at most
    :data:`BLOCK` entries), reshaped back."""
    flat = np.asarray(points).ravel()
    out = np.empty(flat.shape, dtype=complex if complex_ else float)
    size = max(1, BLOCK // len(default_rule()))
    for start in range(0, flat.size, size):
        out[start:start + size] = evaluate(flat[start:start + size])
    return out.reshape(np.shape(points))



# The discrete power-law spectrum registers its parser name (powerlaw_spectrum) on import.
from . import powerlaw as _powerlaw  # noqa: E402,F401
