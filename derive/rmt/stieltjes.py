"""The Stieltjes branch of an algebraic curve, numerically, on whole grids at once.

``P(m, z) = 0`` has ``deg_m P`` roots at each ``z``; the Stieltjes transform is the one with
``m ~ -1/z`` at infinity and ``Im m > 0`` for ``Im z > 0``, analytic in the upper half plane.  It is
found the way it is defined: at ``z = x + iH`` with ``H`` far above the spectrum the root nearest
``-1/z`` is the branch; it is then followed down the vertical path to ``x + iy`` in geometric
steps, at each step taking the root nearest the last one.  The path stays in the upper half
plane, where the branch is analytic, so no branch point is crossed.  All points of a grid move
together: each step is one batched eigenvalue call on the companion matrices.

On the real axis (``y = 0``) the path stops just above it and the root of ``P(m, x) = 0`` nearest
the continued value is taken, so densities ``Im m(x + i0)/pi`` carry no smoothing.  For
``Im z < 0``, ``m(conj z) = conj m(z)``.

This supersedes the root rule of RMTool (degree <= 3 only): any degree, and no guess.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .algebraic import m, z


class StieltjesBranch:
    """Evaluate the Stieltjes branch of ``P(m, z) = 0`` (numeric coefficients) on arrays of ``z``.

    ``scale`` bounds the spectrum (``|x| <= scale`` on the support): it sets how high the paths
    start; ``moments`` (the first few, at least ``mu_0 = 1``) pick the branch there.  ``steps``
    is the number of continuation steps per decade of ``Im z``; Newton carries the root from
    step to step, and every ``snap``-th step (and the last) it is snapped to the nearest root
    of the companion matrix.  (On the laws of the tests, snapping at every step gives the same
    values to the last bit, and takes 2 to 3 times longer.)

    >>> import sympy as sp
    >>> branch = StieltjesBranch(z * m + m**2 + 1, scale=2.0)   # semicircle, variance 1
    >>> bool(abs(branch(np.array([0.0]))[0] - 1j) < 1e-12)          # m(0 + i0) = i
    True
    """

    def __init__(self, P, scale, moments=(1,), steps=6, snap=8):
        coefficients = sp.Poly(P, m).all_coeffs()
        rows = [[complex(c) for c in sp.Poly(a, z).all_coeffs()] for a in coefficients]
        width = max(len(row) for row in rows)
        # row k: the coefficient of m^(d-k) as a polynomial in z, highest power first
        self.table = np.array([[0j] * (width - len(row)) + row for row in rows])
        self.degree = len(coefficients) - 1
        self.scale = float(scale)
        self.steps, self.snap = steps, snap
        self.moments = tuple(moments)

    def newton(self, start, zs, iterations=3):
        """A few Newton steps on ``P(., z)`` from ``start``, elementwise."""
        coefficients = [np.polyval(row, zs) for row in self.table]
        current = start.copy()
        for _ in range(iterations):
            value, slope = coefficients[0], np.zeros_like(current)
            for a in coefficients[1:]:
                slope = slope * current + value
                value = value * current + a
            ok = slope != 0
            current[ok] -= value[ok] / slope[ok]
        return current

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
        floor = 1e-9 * (self.scale + 1)
        bottom = np.maximum(y, floor)
        count = int(np.ceil(self.steps * np.log10(np.max(top / bottom)))) + 1
        current = None
        for step, fraction in enumerate(np.linspace(0, 1, count + 1)):
            at = x + 1j * top * (bottom / top) ** fraction
            if current is None:
                # -sum_k mu_k / z^(k+1): the branch at infinity, told apart from another that
                # also goes like -1/z (inverse laws)
                start = -sum(mu / at ** (k + 1) for k, mu in enumerate(self.moments))
                current = _nearest(self.roots(at), start)
                continue
            current = self.newton(current, at)
            if step % self.snap == 0 or step == count:
                # Newton follows the nearest root; the eigenvalues make sure it is a root.
                current = _nearest(self.roots(at), current)
        on_axis = y < floor
        if np.any(on_axis):
            current[on_axis] = _nearest(self.roots(x[on_axis] + 0j), current[on_axis])
            # On the axis a real root has no sign of Im; the branch is the limit from above.
            current[on_axis] = current[on_axis].real + 1j * np.abs(current[on_axis].imag)
        current = np.where(below, current.conj(), current)
        return current.reshape(zs.shape)


def _nearest(roots, reference):
    index = np.argmin(np.abs(roots - reference[:, None]), axis=1)
    return roots[np.arange(len(reference)), index]
