"""The free product with Marchenko-Pastur of any law, by Silverstein's equation, on whole grids.

For ``S = C^{1/2} (XX^T/k) C^{1/2}``, ``X`` of shape ``d x k``, ``c = d/k``, the resolvent has the
deterministic equivalent ``(S - z)^{-1} ~ (a C - z)^{-1}`` with (Silverstein and Bai 1995; the
task Gram of Letey et al. 2025 with ``c = 1/kappa``, ``z = -nu``)

    m_S(z) = m_C(z/a)/a,        a = 1 - c - c z m_S(z),

so that ``zeta = z/a`` (the subordination point) solves ``z = zeta (1 - c - c zeta m_C(zeta))``.
Only ``m_C`` and ``m_C'`` are needed, so any law with a Stieltjes transform will do: the
continuum laws of :mod:`derive.rmt.continuum` (power laws, densities, eigenvalues), as well as
scaled algebraic ones.

* :func:`task_resolvent`: on the negative axis ``z = -nu`` the equation is real:
  ``M = <(a C + nu)^{-1}> = m_C(-nu/a)/a`` with ``a = 1 - 1/kappa + nu M/kappa``, and
  ``Phi(a) = a - 1 + <a C/(a C + nu)>/kappa`` is increasing and concave in ``a``, negative at
  ``a_0 = max(1 - 1/kappa, nu/(2 (nu + <C>/kappa)))``: Newton from ``a_0`` climbs to the root without
  overshooting, every grid point at once.  ``M' = dM/dnu`` by implicit differentiation:
  ``M' = -(P_0 + M P_1/kappa)/(1 + nu P_1/kappa)`` with ``P_0 = <(aC + nu)^{-2}>``,
  ``P_1 = <C (aC + nu)^{-2}> = (M - nu P_0)/a``; ``a' = (M + nu M')/kappa``.
* :func:`alignment_means`: ``E[T/(aL + nu)]``, ``E[T/(aL + nu)^2]``, ``E[T L/(aL + nu)^2]`` with
  ``L = Q_train(U)`` and ``T = Q_test(U)`` or ``Q_test(1 - U)``, whence the misalignment term
  ``<C_test K(C_train)> = c_e F_1 + (nu^2 - xi c_e)(a' F_2l + F_2)``.
* :class:`MarchenkoPasturProduct` ``law * mp(c)``: the law itself, ``m_S`` anywhere off the
  support by continuation of ``zeta`` down from ``x + iH`` (branch ``Im m_S > 0``,
  ``m_S ~ -1/z``), Newton at each step, and its density on the real axis.

>>> from derive.rmt.continuum import PowerLaw
>>> r = task_resolvent(PowerLaw(0.5), kappa=np.array([0.5, 2.0]), nu=np.array([0.1, 0.1]))
>>> bool(np.all(r.M > 0) and np.all(r.M_prime < 0))
True
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import sympy as sp

from .continuum import BLOCK, _finite, _share, _wrap, joint_mean, stieltjes_and_derivative
from ..quadrature import default_rule
from .stieltjes import density_from_stieltjes
from .sampling import positive_square_root
from .subordination import SubordinatedLaw


class TaskResolvent(NamedTuple):
    """The solution of the task-resolvent fixed point at each grid point."""
    M: np.ndarray          #: <(a C + nu)^{-1}>
    M_prime: np.ndarray    #: dM/dnu
    a: np.ndarray          #: 1 - 1/kappa + nu M/kappa
    a_prime: np.ndarray    #: da/dnu = (M + nu M')/kappa


class AlignmentMeans(NamedTuple):
    """Means over one uniform ``U`` of ``T = Q_test`` and ``L = Q_train`` (aligned or not)."""
    F1: np.ndarray         #: E[T/(a L + nu)]
    F2: np.ndarray         #: E[T/(a L + nu)^2]
    F2l: np.ndarray        #: E[T L/(a L + nu)^2]


def task_resolvent(law, kappa, nu, tolerance=1e-15, max_iterations=100):
    """``M``, ``M'``, ``a``, ``a'`` of ``M = <(a C + nu)^{-1}>``, ``a = 1 - 1/kappa + nu M/kappa``,
    for ``C`` of spectral law ``law`` (positive; of :mod:`.continuum`, or algebraic), on arrays
    ``kappa > 0``, ``nu > 0`` (broadcast together).  ``M = m_S(-nu)`` for ``S = C * mp(1/kappa)``.
    """
    kappa, nu = np.broadcast_arrays(np.asarray(kappa, dtype=float), np.asarray(nu, dtype=float))
    _check_grid(kappa, "kappa")
    _check_grid(nu, "nu")
    if not getattr(law, "positive", False):
        raise ValueError(f"task resolvent: the law of C must be supported on [0, oo); {law} is not known to be")
    shape = kappa.shape
    kappa, nu = kappa.ravel(), nu.ravel()
    c = 1 / kappa
    mean = float(_moments(law, 1)[1])
    a = np.maximum(1 - c, nu / (2 * (nu + c * mean)))
    active = np.arange(a.size)
    for _ in range(max_iterations):
        if active.size == 0:
            break
        at = a[active]
        M, P0 = _resolvent_means(law, at, nu[active])
        phi = at - 1 + c[active] * (1 - nu[active] * M)
        dphi = 1 + c[active] * nu[active] * (M - nu[active] * P0) / at
        step = np.clip(at - phi / dphi, at, 1.0)     # concave and increasing: never past the root
        a[active] = step
        done = np.abs(step - at) <= tolerance * step
        active = active[~done]
    M, P0 = _resolvent_means(law, a, nu)
    P1 = (M - nu * P0) / a
    M_prime = -(P0 + c * M * P1) / (1 + c * nu * P1)
    a_prime = c * (M + nu * M_prime)
    return TaskResolvent(*(v.reshape(shape) for v in (M, M_prime, a, a_prime)))


def alignment_means(train, test, a, nu, aligned=True):
    """:class:`AlignmentMeans` ``F1, F2, F2l`` over the same ``U`` (``aligned``) or ``U, 1 - U``,
    on arrays ``a``, ``nu`` (broadcast together), in blocks of grid points."""
    a, nu = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(nu, dtype=float))
    shape = a.shape
    a, nu = a.ravel(), nu.ravel()
    out = np.empty((3, a.size))
    pieces = 1 + len(train.breakpoints) + len(test.breakpoints)
    size = max(1, BLOCK // (pieces * len(default_rule())))
    for start in range(0, a.size, size):
        part = slice(start, start + size)
        aa, nn = a[part, None], nu[part, None]

        def g(x, y):
            inverse = 1 / (aa * x + nn)
            # Products taken in this order stay finite where x and y are both huge (u near 1).
            first = y * inverse
            return np.stack([first, first * inverse, first * (x * inverse)])

        out[:, part] = joint_mean(g, train, test, aligned)
    return AlignmentMeans(*(v.reshape(shape) for v in out))


class MarchenkoPasturProduct(SubordinatedLaw):
    """``law * mp(c)``: the law of ``C^{1/2} W C^{1/2}``, ``W ~ MP(c)`` free of ``C`` (``law``
    positive).  ``m_S(z) = zeta m_C(zeta)/z`` with ``z = zeta (1 - c - c zeta m_C(zeta))``.

    For ``Im z > 0`` the root with ``Im zeta > 0`` is unique (``zeta = -1/m``, ``m`` the companion
    transform ``-(1 - c)/z + c m_S``, unique in the upper half plane: Silverstein 1995), and
    ``Im zeta >= Im z``; far up ``zeta ~ z`` (``a ~ 1``).  On the negative axis the real fixed
    point of :func:`task_resolvent`."""

    def __init__(self, law, c):
        # c may stay a symbol until subs gives it a value (mp(c) parsed with c a name).
        self.ratio = sp.sympify(c)
        if self.ratio.is_number:
            value = _finite(self.ratio, "mp(c): the ratio c")
            if not value > 0:
                raise ValueError(f"mp(c): the ratio c must be > 0, got {value:g}")
        if not law.positive:
            raise ValueError(f"free product with mp(c): {law} must be supported on [0, oo)")
        self.law = law

    @property
    def c(self):
        self._require_numeric()
        return float(self.ratio)

    @property
    def parameters(self):
        return sorted(set(getattr(self.law, "parameters", ())) | self.ratio.free_symbols, key=str)

    def _substituted(self, values):
        ratio = self.ratio.subs({p: values[str(p)] for p in self.ratio.free_symbols if str(p) in values})
        return MarchenkoPasturProduct(_share(self.law, values), ratio)

    @property
    def text(self):
        ratio = f"{float(self.ratio):g}" if self.ratio.is_number else str(self.ratio)
        return f"{_wrap(self.law)} * mp({ratio})"

    def support(self):
        top = max(float(hi) for _, hi in self.law.support())
        return [(0.0, top * (1 + np.sqrt(self.c)) ** 2)]

    def sample(self, rng, size):
        """``C^{1/2} (XX^T/k) C^{1/2}``, ``C`` the operand's matrix, ``X`` of shape ``N x k``,
        ``k = round(N/c)`` (Gaussian ``X`` is rotation invariant: free of ``C``)."""
        C = self.law.sample(rng, size)
        G = rng.standard_normal((size, max(1, round(size / self.c))))
        diagonal = np.diagonal(C)
        if np.array_equal(C, np.diag(diagonal)):   # a quantile law's sample: no eigendecomposition
            X = np.sqrt(np.clip(diagonal, 0, None))[:, None] * G
        else:
            X = positive_square_root(C) @ G
        return X @ X.T / X.shape[1]

    def moments(self, count):
        """From ``psi_S(u) = psi_C(u (1 + c psi_S(u)))`` (``S_MP(w) = 1/(1 + c w)``), as power
        series truncated at ``u^count``; ``inf`` from the first infinite moment of ``C`` on."""
        inner = _moments(self.law, count)
        finite = [k for k, v in enumerate(inner) if not np.isfinite(v)]
        limit = finite[0] if finite else count + 1
        coefficients = np.array(inner[:limit], dtype=float)
        psi = np.zeros(limit)
        for _ in range(limit):
            argument = np.zeros(limit)
            argument[1:] = (np.eye(limit)[0] + self.c * psi)[:limit - 1]   # u (1 + c psi)
            new, power = np.zeros(limit), np.eye(limit)[0]
            for k in range(1, limit):
                power = np.convolve(power, argument)[:limit]
                new += coefficients[k] * power
            psi = new
        return [1.0] + psi[1:].tolist() + [np.inf] * (count + 1 - limit)

    def density(self, xs):
        xs = np.asarray(xs, dtype=float)
        density = np.zeros(xs.shape)
        inside = xs > 0
        density[inside] = density_from_stieltjes(self.stieltjes(xs[inside].astype(complex)))
        return density

    @property
    def scale(self):
        return max(1.0, float(np.sqrt(_moments(self.law, 1)[1] * (1 + self.c))))

    def _solve(self, z):
        m, dm = np.empty(z.shape, complex), np.empty(z.shape, complex)
        left = (z.imag == 0) & (z.real < 0)
        if left.any():   # the negative axis: the real fixed point
            r = task_resolvent(self.law, 1 / self.c, -z[left].real)
            m[left], dm[left] = r.M, -r.M_prime
        if (~left).any():
            m[~left], dm[~left] = self._values(self._follow(z[~left]), z[~left])
        return m, dm

    def _start(self, z):
        return z[None, :]

    def _newton_step(self, state, z):
        zeta, c = state[0], self.c
        m, dm = stieltjes_and_derivative(self.law, zeta)
        return ((zeta * (1 - c - c * zeta * m) - z) / (1 - c - 2 * c * zeta * m - c * zeta**2 * dm))[None, :]

    def _values(self, state, z):
        """``m_S = zeta m_C(zeta)/z`` and ``m_S' = (m_C + zeta m_C') zeta'/z - zeta m_C/z^2`` with
        ``zeta' = 1/h'(zeta)``, ``h(zeta) = zeta (1 - c - c zeta m_C(zeta))``."""
        zeta, c = state[0], self.c
        mc, dmc = stieltjes_and_derivative(self.law, zeta)
        h_prime = 1 - c - 2 * c * zeta * mc - c * zeta**2 * dmc
        return zeta * mc / z, (mc + zeta * dmc) / (h_prime * z) - zeta * mc / z**2


def _resolvent_means(law, a, nu):
    """``<(aC + nu)^{-1}> = m(-nu/a)/a`` and ``<(aC + nu)^{-2}> = m'(-nu/a)/a^2``."""
    m, dm = stieltjes_and_derivative(law, -nu / a + 0j)
    return m.real / a, dm.real / a**2


def _moments(law, count):
    return [float(v) for v in law.moments(count)]


def _check_grid(values, name):
    if not np.all(np.isfinite(values)) or not np.all(values > 0):
        bad = values[~(np.isfinite(values) & (values > 0))].ravel()[0]
        raise ValueError(f"{name} must be finite and > 0, got {bad:g}")
