"""Free convolutions of laws that are not algebraic, by subordination, on whole grids.

A free convolution of ``A`` and ``B`` has ``m(z) = m_A(omega(z))`` (up to a factor) for an
analytic subordination function ``omega`` that solves an equation involving only ``m_A`` and
``m_B`` (Biane 1998; Belinschi and Bercovici 2007).  :class:`SubordinatedLaw` follows the
solution the way :class:`derive.rmt.stieltjes.StieltjesBranch` follows a curve's branch: from
``x + iH`` high above the spectrum, where the subordination functions are close to the identity,
down to ``x + iy``, every grid point at once with its own step, Newton at each step.  In the
upper half plane the subordination functions are unique with ``Im omega >= Im z``, so a step is
taken when Newton converges to such a point; the path only supplies starting points.

* :class:`FreeAdditive` ``A + B``: ``m(z) = m_A(omega_A) = m_B(omega_B)`` with
  ``omega_A + omega_B = z - 1/m(z)`` (``G = -m``, ``F = 1/G``: ``omega_A + omega_B = z + F``),
  solved as ``m_A (omega_A + omega_B - z) + 1 = 0``.
* :class:`derive.rmt.silverstein.MarchenkoPasturProduct` ``A * mp(c)``: Silverstein's equation.

>>> from derive.rmt import marchenko_pastur, semicircle
>>> from derive.rmt.continuum import PowerLaw
>>> law = PowerLaw(0.5) + semicircle(1)
>>> m = law.stieltjes(np.array([1 + 1j]))
>>> bool(m[0].imag > 0)
True
"""

from __future__ import annotations

import functools

import numpy as np

from .continuum import ContinuumLaw, _order, _share, stieltjes_and_derivative
from .stieltjes import density_from_stieltjes
from .sampling import haar_orthogonal


class SubordinatedLaw(ContinuumLaw):
    """A law whose Stieltjes transform comes from subordination points ``state`` (shape
    ``(k, n)`` for ``n`` points), found by Newton along vertical paths.

    Subclasses give :meth:`_start` (the state at ``z`` far up), :meth:`_newton_step` (the Newton
    step of the state at ``z``), :meth:`_values` (``m`` and ``m'`` from a solved state) and
    :attr:`scale` (the spread of the law, which sets how high the paths start)."""

    random_model = True
    #: Most Newton iterations per step; lowest Im z / scale before the last step to the real axis.
    newton_iterations, floor = 8, 1e-7

    def quantile(self, u, complement=None):
        raise ValueError(f"{self}: the quantile of a free convolution is not implemented")

    def stieltjes_derivatives(self, zs, order):
        if _order(order) > 1:
            raise ValueError(f"{self}: derivatives of m up to order 1 only")
        self._require_numeric()
        zs = np.asarray(zs, dtype=complex)
        flat = zs.ravel()
        lower = flat.imag < 0
        z = np.where(lower, flat.conj(), flat)   # m(conj z) = conj m(z)
        m, dm = self._solve(z)
        m, dm = np.where(lower, m.conj(), m), np.where(lower, dm.conj(), dm)
        return np.stack([m, dm])[:order + 1].reshape((order + 1,) + zs.shape)

    def _solve(self, z):
        """``(m, m')`` at ``z`` with ``Im z >= 0`` (a subclass may answer some points directly)."""
        return self._values(self._follow(z), z)

    def density(self, xs):
        xs = np.asarray(xs, dtype=float)
        return density_from_stieltjes(self.stieltjes(xs.astype(complex)))

    @property
    def scale(self):
        raise NotImplementedError

    def _start(self, z):
        raise NotImplementedError

    def _newton_step(self, state, z):
        raise NotImplementedError

    def _values(self, state, z):
        raise NotImplementedError

    def _follow(self, z):
        """The state at ``z`` (``Im z >= 0``): down the vertical path from ``x + iH`` to ``Im z``
        (at least :attr:`floor` times the scale), then to ``z`` itself.  Each point steps in
        ``log Im z`` with its own step, doubled after a taken step (at most 4 decades), halved
        otherwise; a step is taken when Newton converged with ``Im omega >= Im z`` (to
        round-off) for every subordination point."""
        scale = self.scale
        x, y = z.real, z.imag
        height = np.maximum(10 * scale, y)
        end = np.log10(np.maximum(y, self.floor * scale))
        level = np.log10(height)
        state = self._newton(self._start(x + 1j * height), x + 1j * height)[0]
        step = np.full(z.shape, 1.0)
        active = np.flatnonzero(level > end)
        while active.size:
            if np.min(step[active]) < 1e-6:
                raise ArithmeticError(f"{self}: the continuation of the subordination stalled "
                                      f"at z = {z[active[np.argmin(step[active])]]}")
            new_level = np.maximum(level[active] - step[active], end[active])
            target = x[active] + 1j * 10**new_level
            moved, converged = self._newton(state[:, active], target)
            taken = converged & np.all(moved.imag >= target.imag * (1 - 1e-9), axis=0)
            state[:, active[taken]], level[active[taken]] = moved[:, taken], new_level[taken]
            step[active] = np.where(taken, np.minimum(2 * step[active], 4.0), step[active] / 2)
            active = active[level[active] > end[active]]
        final, converged = self._newton(state, z)
        # On the real axis keep the value just above it where Newton did not converge or left
        # the closed upper half plane.
        good = converged & np.all(final.imag >= -1e-14 * np.abs(final), axis=0)
        return np.where(good, final, state)

    def _newton(self, state, z):
        """Newton from ``state`` at ``z``, each point until its step is below 1e-13 of the
        state: ``(state, converged)``."""
        state = np.array(state, dtype=complex, ndmin=2)
        active = np.arange(state.shape[1])
        for _ in range(self.newton_iterations):
            with np.errstate(all="ignore"):
                step = self._newton_step(state[:, active], z[active])
            state[:, active] -= step
            small = np.all(np.abs(step) <= 1e-13 * np.abs(state[:, active]), axis=0)
            active = active[~small]
            if active.size == 0:
                break
        converged = np.ones(state.shape[1], dtype=bool)
        converged[active] = False
        return state, converged & np.all(np.isfinite(state), axis=0)


class FreeAdditive(SubordinatedLaw):
    """``A + B`` for free ``A``, ``B`` (either or both not algebraic): ``m(z) = m_A(omega_A)``,
    where ``m_A(omega_A) = m_B(omega_B)`` and ``omega_A + omega_B = z - 1/m_A(omega_A)``, both
    ``omega`` in the upper half plane (``Im omega >= Im z``), where they are unique (Belinschi
    and Bercovici 2007).  Far up, ``omega_A ~ z - E B`` and ``omega_B ~ z - E A``.  Where ``m``
    vanishes inside a gap one ``omega`` runs off to ``i oo``: the continuation stalls there and
    says so.  Its matrix model is ``A + O B O^T``."""

    loose = True

    def __init__(self, a, b):
        self.operands = (a, b)
        self.positive = bool(getattr(a, "positive", False) and getattr(b, "positive", False))

    @property
    def parameters(self):
        return sorted({p for law in self.operands for p in getattr(law, "parameters", ())}, key=str)

    def _substituted(self, values):
        return FreeAdditive(*(_share(law, values) for law in self.operands))

    @functools.cached_property
    def _means(self):
        self._require_numeric()
        return [float(law.moments(1)[1]) for law in self.operands]

    @functools.cached_property
    def _seconds(self):
        self._require_numeric()
        return [float(law.moments(2)[2]) for law in self.operands]

    @property
    def text(self):
        a, b = self.operands
        return f"{a.text} + {b.text}"

    def support(self):
        self._require_numeric()
        (a_lo, a_hi), (b_lo, b_hi) = (_hull(law) for law in self.operands)
        return [(a_lo + b_lo, a_hi + b_hi)]

    def moments(self, count):
        """Free cumulants add: ``R_{A+B} = R_A + R_B``; moments from ``M(u) = C(u M(u))``,
        ``C(w) = 1 + sum_n kappa_n w^n`` (power series truncated at ``u^count``)."""
        self._require_numeric()
        cumulants = [_free_cumulants(_float_moments(law, count)) for law in self.operands]
        return _moments_from_cumulants(cumulants[0] + cumulants[1])

    @property
    def scale(self):
        spread = sum(s for s in self._seconds if np.isfinite(s))
        return max(1.0, float(np.sqrt(spread)), *(abs(m) for m in self._means))

    def _start(self, z):
        return np.stack([z - self._means[1], z - self._means[0]])

    def _newton_step(self, state, z):
        # The second equation times m_A: m_A (omega_A + omega_B - z) + 1 = 0, regular where m_A
        # is small.
        a, b = self.operands
        wa, wb = state
        ma, dma = stieltjes_and_derivative(a, wa)
        mb, dmb = stieltjes_and_derivative(b, wb)
        excess = wa + wb - z
        first, second = ma - mb, ma * excess + 1
        j21 = dma * excess + ma            # the Jacobian is [[dma, -dmb], [j21, ma]]
        det = dma * ma + dmb * j21
        return np.stack([(ma * first + dmb * second) / det, (dma * second - j21 * first) / det])

    def _values(self, state, z):
        """``m = m_A(omega_A)`` and ``m' = m_A'(omega_A) omega_A'``, ``omega_A'`` from the
        derivative of the two equations in ``z``."""
        a, b = self.operands
        ma, dma = stieltjes_and_derivative(a, state[0])
        _, dmb = stieltjes_and_derivative(b, state[1])
        j21 = dma * (state[0] + state[1] - z) + ma
        return ma, dma * ma * dmb / (dma * ma + dmb * j21)

    def sample(self, rng, size):
        a, b = self.operands
        O = haar_orthogonal(rng, size)
        return a.sample(rng, size) + O @ b.sample(rng, size) @ O.T


def _hull(law):
    pieces = [(float(lo), float(hi)) for lo, hi in law.support()]
    atoms = [float(x) for x, _ in law.atoms()] if hasattr(law, "atoms") else []
    return min([lo for lo, _ in pieces] + atoms), max([hi for _, hi in pieces] + atoms)


def _float_moments(law, count):
    return np.array([float(v) for v in law.moments(count)])


def _free_cumulants(moments):
    """``[kappa_1, ...]`` from ``[mu_0 = 1, mu_1, ...]``, order by order from ``M(u) = C(u M(u))``
    (``inf`` from the first infinite moment on)."""
    count = len(moments) - 1
    limit = _finite_prefix(moments)
    cumulants = np.full(count, np.inf)
    for n in range(1, limit):
        cumulants[n - 1] = 0.0
        cumulants[n - 1] = moments[n] - _compose(cumulants[:n], moments[:n + 1], n)[n]
    return cumulants


def _moments_from_cumulants(cumulants):
    """``[1, mu_1, ...]`` from ``[kappa_1, ...]`` by iterating ``M <- C(u M)``."""
    count = len(cumulants)
    limit = _finite_prefix(np.concatenate([[1.0], cumulants]))
    moments = np.zeros(limit)
    moments[0] = 1.0
    for _ in range(limit):
        moments = _compose(cumulants[:limit - 1], moments, limit - 1)
    return moments.tolist() + [np.inf] * (count + 1 - limit)


def _compose(cumulants, moments, order):
    """The coefficients up to ``u^order`` of ``1 + sum_n kappa_n (u M(u))^n``."""
    argument = np.zeros(order + 1)   # u M(u)
    known = min(order, len(moments))
    argument[1:known + 1] = moments[:known]
    result, power = np.zeros(order + 1), np.eye(order + 1)[0]
    result[0] = 1.0
    for kappa in cumulants:
        power = np.convolve(power, argument)[:order + 1]
        result += kappa * power
    return result


def _finite_prefix(values):
    """The number of leading finite values."""
    finite = np.isfinite(values)
    return int(np.argmin(finite)) if not finite.all() else len(values)
