"""The Stieltjes branch of an algebraic curve, numerically, on whole grids at once.

``P(m, z) = 0`` has ``deg_m P`` roots at each ``z``; the Stieltjes transform is the one with
``m ~ -1/z`` at infinity and ``Im m > 0`` for ``Im z > 0``, analytic in the upper half plane.  It is
found the way it is defined: at ``z = x + iH`` with ``H`` far above the spectrum the root nearest
``-1/z`` is the branch; it is then followed down the vertical path to ``x + iy`` in geometric
steps, at each step taking the root nearest the last one.  The path stays in the upper half
plane, where the branch is analytic, so no branch point is crossed.  All points of a grid move
together: each step is one batched eigenvalue call on the companion matrices.

On the real axis (``y = 0``) the path stops just above it and the root of ``P(m, x) = 0`` nearest
the continued value is taken, so densities ``Im m(x + i0)/pi`` carry no smoothing.  "Just above"
is relative to the nearest ``critical`` point (an atom or an edge): a thousandth of the distance
to it, so that next to an atom the continued value is still nearest its own root.  For
``Im z < 0``, ``m(conj z) = conj m(z)``.

This supersedes the root rule of RMTool (degree <= 3 only): any degree, and no guess.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .algebraic import m, z

#: Continuation steps after which a path that has not arrived is an error, not a silent value.
MAX_STEPS = 20_000


class StieltjesBranch:
    """Evaluate the Stieltjes branch of ``P(m, z) = 0`` (numeric coefficients) on arrays of ``z``.

    ``scale`` bounds the spectrum (``|x| <= scale`` on the support): it sets how high the paths
    start; ``moments`` (the first few, at least ``mu_0 = 1``) pick the branch there.

    Each point moves down its path with its own step, ``1/steps`` of a decade of ``Im z`` to
    start with: an Euler predictor (``dm/dz = -P_z/P_m``), then Newton.  A step is taken only
    when Newton moved the prediction by less than a tenth of the distance to the nearest other
    root (measured at the snaps), so that Newton stayed in the basin of the root it followed;
    otherwise the step is halved, and after a taken step it grows by half (to at most 16 times
    the first).  The steps shrink where roots crowd, next to an atom at a phase transition
    where two roots agree to ``O(sqrt|x|)``.  Every ``snap``-th step, and at the end, the value
    is snapped to the nearest root of the companion matrix.

    Checked against nearest-root tracking with 300 fixed steps per decade on 13 laws (near
    atoms, edges, the real axis): they agree to 1e-8 except at one point next to a critical atom,
    where the fixed steps take the wrong root (it violates ``m(x) > weight/|x|`` for ``x < 0``).

    >>> import sympy as sp
    >>> branch = StieltjesBranch(z * m + m**2 + 1, scale=2.0)   # semicircle, variance 1
    >>> bool(abs(branch(np.array([0.0]))[0] - 1j) < 1e-12)          # m(0 + i0) = i
    True
    """

    def __init__(self, P, scale, moments=(1,), steps=6, snap=8, critical=()):
        coefficients = sp.Poly(P, m).all_coeffs()
        rows = [[complex(c) for c in sp.Poly(a, z).all_coeffs()] for a in coefficients]
        width = max(len(row) for row in rows)
        # row k: the coefficient of m^(d-k) as a polynomial in z, highest power first
        self.table = np.array([[0j] * (width - len(row)) + row for row in rows])
        self.table_dz = np.array([np.polyder(row) if len(row) > 1 else np.zeros(1) for row in self.table])
        self.degree = len(coefficients) - 1
        self.scale = float(scale)
        self.steps, self.snap = steps, snap
        self.moments = tuple(moments)
        self.critical = np.array(sorted(float(c) for c in critical))

    def newton(self, start, zs, iterations=3):
        """A few Newton steps on ``P(., z)`` from ``start``, elementwise."""
        coefficients = [np.polyval(row, zs) for row in self.table]
        current = start.copy()
        for _ in range(iterations):
            value, slope = _horner(coefficients, current)
            ok = slope != 0
            current[ok] -= value[ok] / slope[ok]
        return current

    def tangent(self, values, zs):
        """``dm/dz = -P_z / P_m`` on the curve, elementwise: the predictor of the continuation."""
        _, p_m = _horner([np.polyval(row, zs) for row in self.table], values)
        p_z, _ = _horner([np.polyval(row, zs) for row in self.table_dz], values)
        return np.where(p_m != 0, -p_z / np.where(p_m != 0, p_m, 1), 0)

    def roots(self, zs):
        """All roots in ``m`` at each ``z``: shape ``zs.shape + (degree,)``."""
        zs = np.asarray(zs, dtype=complex)
        flat = zs.reshape(-1)
        values = np.stack([np.polyval(row, flat) for row in self.table], axis=-1)
        lead = values[:, :1]
        lead = np.where(np.abs(lead) == 0, 1e-300, lead)
        if self.degree == 1:
            return (-values[:, 1:] / lead).reshape(zs.shape + (1,))
        companion = np.zeros((len(flat), self.degree, self.degree), dtype=complex)
        companion[:, 0, :] = -values[:, 1:] / lead
        companion[:, np.arange(1, self.degree), np.arange(self.degree - 1)] = 1
        return np.linalg.eigvals(companion).reshape(zs.shape + (self.degree,))

    def __call__(self, zs):
        zs = np.asarray(zs, dtype=complex)
        flat = zs.reshape(-1)
        below = flat.imag < 0
        targets = np.where(below, flat.conj(), flat)
        x, y = targets.real, targets.imag
        top = 1e3 * (self.scale + np.abs(x) + 1)
        floor = np.full_like(x, 1e-9 * (self.scale + 1))
        if self.critical.size:
            # The path must end much nearer the axis than the nearest atom or edge is: at
            # x = 1e-8 next to an atom at 0, stopping at height 1e-9 lands between two roots
            # (-1/(2x) and -1) and the nearest to it is the wrong one.
            distance = np.min(np.abs(x[:, None] - self.critical[None, :]), axis=1)
            floor = np.where(distance > 0, np.clip(1e-3 * distance, 1e-300, floor), floor)
        bottom = np.maximum(y, floor)

        def path(t, where=slice(None)):
            """The point at ``t`` in [0, 1] on the vertical path from ``x + i top`` to ``x + i bottom``."""
            return x[where] + 1j * top[where] * (bottom[where] / top[where]) ** t

        here = path(0.0)
        # -sum_k mu_k / z^(k+1): the branch at infinity, told apart from another that also goes
        # like -1/z (inverse laws)
        current, separation = _nearest(self.roots(here), -sum(mu / here ** (k + 1) for k, mu in enumerate(self.moments)),
                                       separation=True)
        t = np.zeros_like(x)
        first = 1 / (self.steps * np.maximum(np.log10(top / bottom), 1))
        h = first.copy()
        for iteration in range(MAX_STEPS):
            active = np.flatnonzero(t < 1)
            if not active.size:
                break
            ahead = np.minimum(t[active] + h[active], 1)
            old, new = path(t[active], active), path(ahead, active)
            # Euler predictor, Newton corrector; a step is taken only when the corrector moved
            # the prediction by less than a tenth of the distance to the next root.
            predicted = current[active] + self.tangent(current[active], old) * (new - old)
            corrected = self.newton(predicted, new)
            moved = np.abs(corrected - predicted)
            accept = moved <= 0.1 * separation[active]
            if iteration % self.snap == 0 and accept.any():
                corrected[accept], separation[active[accept]] = _nearest(self.roots(new[accept]), corrected[accept],
                                                                         separation=True)
            taken = active[accept]
            current[taken], t[taken] = corrected[accept], ahead[accept]
            h[taken] = np.minimum(h[taken] * 1.5, 16 * first[taken])
            h[active[~accept]] /= 2
            # Where two roots nearly coincide (at an atom on the edge of a support) Newton may
            # not settle even for tiny steps: restart those points from the nearest root.
            stuck = np.flatnonzero((t < 1) & (h < 1e-6 * first))
            if stuck.size:
                current[stuck], separation[stuck] = _nearest(self.roots(path(t[stuck], stuck)), current[stuck],
                                                             separation=True)
                h[stuck] = first[stuck] / 16
                t[stuck] = np.minimum(t[stuck] + first[stuck] / 16, 1)
        else:
            left = np.flatnonzero(t < 1)
            raise RuntimeError(f"the continuation of the Stieltjes branch did not reach {len(left)} point(s), "
                               f"e.g. z = {targets[left[0]]:.6g} (at t = {t[left[0]]:.3g}, step {h[left[0]]:.3g})")
        current = _nearest(self.roots(path(1.0)), current)
        below_floor = y < floor
        if np.any(below_floor):  # the root at the point itself nearest the continued value
            current[below_floor] = _nearest(self.roots(targets[below_floor]), current[below_floor])
        on_axis = y == 0
        if np.any(on_axis):
            # On the axis a real root has no sign of Im; the branch is the limit from above.
            current[on_axis] = current[on_axis].real + 1j * np.abs(current[on_axis].imag)
        current = np.where(below, current.conj(), current)
        return current.reshape(zs.shape)


def _horner(coefficients, values):
    """``(P, dP/dm)`` at ``values`` for ``P = sum_k coefficients[k] m^(d-k)``."""
    value, slope = coefficients[0] * np.ones_like(values), np.zeros_like(values)
    for a in coefficients[1:]:
        slope = slope * values + value
        value = value * values + a
    return value, slope


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
