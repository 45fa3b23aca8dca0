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

from .continuum import BLOCK, ContinuumLaw, _finite, _order, joint_mean
from .quadrature import default_rule
from .sampling import positive_square_root


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


class MarchenkoPasturProduct(ContinuumLaw):
    """``law * mp(c)``: the law of ``C^{1/2} W C^{1/2}``, ``W ~ MP(c)`` free of ``C`` (``law``
    positive).  ``m_S(z) = zeta m_C(zeta)/z`` with ``z = zeta (1 - c - c zeta m_C(zeta))``."""

    random_model = True
    #: Continuation: most Newton iterations per step, lowest Im z / scale before the last step.
    newton_iterations, floor = 8, 1e-7

    def __init__(self, law, c):
        c = _finite(c, "mp(c): the ratio c")
        if not c > 0:
            raise ValueError(f"mp(c): the ratio c must be > 0, got {c:g}")
        if not law.positive:
            raise ValueError(f"free product with mp(c): {law} must be supported on [0, oo)")
        self.law, self.c = law, c

    @property
    def text(self):
        return f"{self.law.text} * mp({self.c:g})"

    def support(self):
        top = self.law.support()[0][1]
        return [(0.0, top * (1 + np.sqrt(self.c)) ** 2)]

    def quantile(self, u, complement=None):
        raise ValueError(f"{self}: the quantile of a free product is not implemented")

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

    def stieltjes_derivatives(self, zs, order):
        if _order(order) > 1:
            raise ValueError(f"{self}: derivatives of m up to order 1 only")
        zs = np.asarray(zs, dtype=complex)
        flat = zs.ravel()
        lower = flat.imag < 0
        z = np.where(lower, flat.conj(), flat)
        m, dm = np.empty(z.shape, complex), np.empty(z.shape, complex)
        left = (z.imag == 0) & (z.real < 0)
        if left.any():   # the negative axis: the real fixed point
            r = task_resolvent(self.law, 1 / self.c, -z[left].real)
            m[left], dm[left] = r.M, -r.M_prime
        if (~left).any():
            zeta = self._subordination(z[~left])
            mc, dmc = stieltjes_and_derivative(self.law, zeta)
            c, zz = self.c, z[~left]
            h_prime = 1 - c - 2 * c * zeta * mc - c * zeta**2 * dmc
            m[~left] = zeta * mc / zz
            dm[~left] = (mc + zeta * dmc) / (h_prime * zz) - zeta * mc / zz**2
        m, dm = np.where(lower, m.conj(), m), np.where(lower, dm.conj(), dm)
        return np.stack([m, dm])[:order + 1].reshape((order + 1,) + zs.shape)

    def density(self, xs):
        xs = np.asarray(xs, dtype=float)
        density = np.zeros(xs.shape)
        inside = xs > 0
        density[inside] = self.stieltjes(xs[inside].astype(complex)).imag / np.pi
        return density

    def _subordination(self, z):
        """``zeta(z)`` for ``Im z >= 0``, followed down the vertical path from ``x + iH`` (where
        ``zeta ~ z``, ``a ~ 1``) to ``Im z`` (at least ``floor`` times the scale), then to ``z``.

        For ``Im z > 0`` the root with ``Im zeta > 0`` is unique (``zeta = -1/m``, ``m`` the
        companion transform ``-(1 - c)/z + c m_S``, unique in the upper half plane: Silverstein
        1995), so a step is right when Newton converges into the upper half plane; the path only
        supplies starting points.  Each point steps down in ``log Im z`` with its own step,
        doubled after a taken step (at most 4 decades), halved otherwise."""
        scale = max(1.0, float(np.sqrt(_moments(self.law, 1)[1] * (1 + self.c))))
        x, y = z.real, z.imag
        height = np.maximum(10 * scale, y)
        end = np.log10(np.maximum(y, self.floor * scale))
        level = np.log10(height)
        zeta = self._newton(x + 1j * height, z.real + 1j * height)[0]
        step = np.full(z.shape, 1.0)
        active = np.flatnonzero(level > end)
        while active.size:
            if np.min(step[active]) < 1e-6:
                raise ArithmeticError(f"{self}: the continuation of the subordination point stalled "
                                      f"at z = {z[active[np.argmin(step[active])]]}")
            new_level = np.maximum(level[active] - step[active], end[active])
            old = zeta[active]
            moved, converged = self._newton(old, x[active] + 1j * 10**new_level)
            taken = converged & (moved.imag > 0)
            zeta[active[taken]], level[active[taken]] = moved[taken], new_level[taken]
            step[active] = np.where(taken, np.minimum(2 * step[active], 4.0), step[active] / 2)
            active = active[level[active] > end[active]]
        final, converged = self._newton(zeta, z)
        # At the end (Im z = 0 inside the support) keep the value just above the axis if Newton
        # did not converge or left the upper half plane (Im zeta >= 0 on the branch).
        good = converged & (final.imag >= -1e-14 * np.abs(final))
        return np.where(good, final, zeta)

    def _newton(self, zeta, z):
        """Newton on ``zeta (1 - c - c zeta m_C(zeta)) = z`` from ``zeta``, each point until its
        step is below 1e-13 of ``|zeta|``: ``(zeta, converged)``."""
        c = self.c
        zeta = zeta.copy()
        active = np.arange(zeta.size)
        for _ in range(self.newton_iterations):
            at, target = zeta[active], z[active]
            m, dm = stieltjes_and_derivative(self.law, at)
            with np.errstate(all="ignore"):
                step = (at * (1 - c - c * at * m) - target) / (1 - c - 2 * c * at * m - c * at**2 * dm)
            zeta[active] = at - step
            active = active[~(np.abs(step) <= 1e-13 * np.abs(at))]
            if active.size == 0:
                break
        converged = np.ones(zeta.shape, dtype=bool)
        converged[active] = False
        return zeta, converged & np.isfinite(zeta)


def _resolvent_means(law, a, nu):
    """``<(aC + nu)^{-1}> = m(-nu/a)/a`` and ``<(aC + nu)^{-2}> = m'(-nu/a)/a^2``."""
    m, dm = stieltjes_and_derivative(law, -nu / a + 0j)
    return m.real / a, dm.real / a**2


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


def _moments(law, count):
    return [float(v) for v in law.moments(count)]


def _check_grid(values, name):
    if not np.all(np.isfinite(values)) or not np.all(values > 0):
        bad = values[~(np.isfinite(values) & (values > 0))].ravel()[0]
        raise ValueError(f"{name} must be finite and > 0, got {bad:g}")
