"""The Stieltjes branch of an algebraic curve, numerically, on whole grids at once.

``P(m, z) = 0`` has ``deg_m P`` roots at each ``z``; the Stieltjes transform is the one with
``m ~ -1/z`` at infinity and ``Im m > 0`` for ``Im z > 0``, analytic in the upper half plane.  It is
found the way it is defined: at ``z = x + iH`` with ``H`` far above the spectrum the root nearest
``-sum mu_k / z^(k+1)`` is the branch; it is then followed down the vertical path to ``x + iy``
(``y >= 0``) by the certified continuation of :mod:`derive.continuation`, the same code the
checker's branch conditions use: every step is sized by the distance to the other roots at that
step, so the followed root cannot jump to another (a compressed shifted semicircle's root jumped
between y = 0.2 and y = 0.1 under the old speed-sized steps, and ``m(0.2)`` came out as the other
root).  The path stays in the upper half plane, where the branch is analytic, so the followed
root is the branch; on the real axis it ends at the limit from above.

Next to an atom ``x0`` the roots with a pole there run off like ``w/(x0 - z)``, a bounded distance
apart; they are followed as ``u = m (z - x0)`` (:meth:`derive.continuation.Curve.around_poles`).
A path that ends on an edge or an atom (a collision) stops where double precision no longer
separates the roots; within :data:`SNAP` (relative) of its end, the root there nearest the
followed one is taken, and farther out the point is an error, never a guess.  For ``Im z < 0``,
``m(conj z) = conj m(z)``.

This supersedes the root rule of RMTool (degree <= 3 only): any degree, and no guess.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..continuation import MAX_STEPS, Curve, continue_roots
from .algebraic import m, z

#: A path stopped by a collision this close to its end (relative to the spread of the law) is
#: finished by taking the nearest root at the end: an edge's double root, or a root next to an
#: atom beyond double precision.
SNAP = 1e-6
#: Paths ending this close to an atom (relative to the spread of the law) are followed about it.
NEAR_POLE = 1e-2


class StieltjesBranch:
    """Evaluate the Stieltjes branch of ``P(m, z) = 0`` (numeric coefficients) on arrays of ``z``.

    ``scale`` bounds the spectrum (``|x| <= scale`` on the support): it sets how high the paths
    start; ``moments`` (the first few, at least ``mu_0 = 1``) pick the branch there.

    >>> import sympy as sp
    >>> branch = StieltjesBranch(z * m + m**2 + 1, scale=2.0)   # semicircle, variance 1
    >>> bool(abs(branch(np.array([0.0]))[0] - 1j) < 1e-12)          # m(0 + i0) = i
    True
    """

    def __init__(self, P, scale, moments=(1,), critical=()):
        self.curve = Curve.from_polynomial(P, m, z)
        self.degree = self.curve.degree
        self.scale = float(scale)
        self.moments = tuple(moments)
        self.critical = np.array(sorted(float(c) for c in critical))
        lead = sp.Poly(sp.Poly(P, m).LC(), z)
        self.poles = np.array([float(r) for r in lead.real_roots()]) if lead.degree() > 0 else np.zeros(0)

    def roots(self, zs):
        """All roots in ``m`` at each ``z``: shape ``zs.shape + (degree,)``."""
        zs = np.asarray(zs, dtype=complex)
        return self.curve.roots(zs.reshape(-1)).reshape(zs.shape + (self.degree,))

    def __call__(self, zs):
        zs = np.asarray(zs, dtype=complex)
        flat = zs.reshape(-1)
        below = flat.imag < 0
        targets = np.where(below, flat.conj(), flat)
        top = targets.real + 1j * 1e3 * (self.scale + np.abs(targets.real) + 1)
        # -sum_k mu_k / z^(k+1): the branch at infinity, told apart from another that also goes
        # like -1/z (inverse laws); in powers of w = 1/z, which underflow to 0 where z**k would
        # overflow (|z| ~ 1e300) and leave nan to pick a branch
        w = 1 / top
        start = -sum(mu * w ** (k + 1) for k, mu in enumerate(self.moments))
        # Paths ending next to an atom are followed as u = m (z - x0) about it (in m the steps
        # would shrink like |z - x0|^2 there).
        current, reached, where = continue_roots(self.curve, top, targets,
                                                 _nearest(self.curve.roots(top), start), self.poles,
                                                 NEAR_POLE, self.scale + 1)
        if not reached.all():
            left = np.flatnonzero(~reached)
            short = np.abs(targets[left] - where[left]) <= SNAP * (self.scale + 1)
            if not short.all():
                bad = left[~short][0]
                raise RuntimeError(f"the continuation of the Stieltjes branch did not reach {int((~short).sum())} "
                                   f"point(s), e.g. z = {targets[bad]:.6g} (stopped at {where[bad]:.6g}: two roots "
                                   f"meet there, or {MAX_STEPS} steps were not enough)")
            current[left] = _nearest(self.curve.roots(targets[left]), current[left])
        on_axis = targets.imag == 0
        if np.any(on_axis):
            # On the axis a real root has no sign of Im; the branch is the limit from above.
            current[on_axis] = current[on_axis].real + 1j * np.abs(current[on_axis].imag)
        current = np.where(below, current.conj(), current)
        return current.reshape(zs.shape)


def _nearest(roots, reference, separation=False):
    """The root nearest ``reference`` in each row; with ``separation``, also its distance to the
    nearest other root (infinite for a single root)."""
    distance = np.abs(roots - reference[:, None])
    index = np.argmin(distance, axis=1)
    rows = np.arange(len(reference))
    chosen = roots[rows, index]
    if not separation:
        return chosen
    gaps = np.abs(roots - chosen[:, None])
    gaps[rows, index] = np.inf
    return chosen, gaps.min(axis=1) if roots.shape[1] > 1 else np.full(len(reference), np.inf)


#: Relative size below which a negative Im m(x + i0) is rounding, not a wrong branch.
ROUNDING = 1e-10


def density_from_stieltjes(values):
    """The density ``rho(x) = Im m(x + i0) / pi`` from Stieltjes values on the real axis, never
    negative.

    ``m`` maps the upper half-plane into itself (a Herglotz function), so ``Im m(x + i0) >= 0``
    exactly.  A computed value that is slightly negative (outside the support, or at an edge,
    where ``Im m`` is 0 and a continuation leaves a rounding residue such as -6.5e-38) is
    clipped to 0: it is rounding when ``|Im m| <= ROUNDING * (1 + |m|)``.  A more negative one is
    not rounding but a wrong branch, and raises :class:`ArithmeticError` rather than being
    clipped into a plausible number.

    >>> density_from_stieltjes(np.array([1j, -1e-38j, 2 + 0.5j])) * np.pi
    array([1. , 0. , 0.5])
    """
    values = np.asarray(values, dtype=complex)
    imag = values.imag
    wrong = imag < -ROUNDING * (1 + np.abs(values))
    if np.any(wrong):
        raise ArithmeticError(f"Im m(x + i0) = {imag[wrong].flat[0]:.3g} < 0: the computed branch is not "
                              "the Stieltjes transform there")
    return np.maximum(imag, 0.0) / np.pi

