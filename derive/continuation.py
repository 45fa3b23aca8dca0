"""Certified root continuation: one root of ``P(m, z) = 0`` followed along a segment in ``z``.

Which root of an algebraic equation a function means is decided by continuation: the root named
somewhere (far out, where ``m ~ -1/z`` singles it out) is followed along a path to the point
asked.  Both the checker (:meth:`derive.branch.Asymptotic.continued_root`, which a ``solve``'s
branch check uses) and ``derive law`` (:class:`derive.rmt.stieltjes.StieltjesBranch`) do it
with this module, so they cannot disagree.

A step from ``z0`` to ``z1`` is taken only when it is *certified* by Rouché's theorem.  With
``r`` the followed root at ``z0`` and ``delta_j = |r_j - r|`` the distances to the other roots,
take the circle ``|m - r| = rho``, ``rho = min delta_j / 4``.  On it

    ``|P(m, z0)| = |a_0(z0)| prod_j |m - r_j| >= L = |a_0(z0)| rho prod_j (delta_j - rho)``,

and for ``|z - z0| <= h`` the Taylor expansion of the coefficients ``a_k(z)`` in ``z`` gives

    ``|P(m, z) - P(m, z0)| <= sum_{j >= 1} C_j h^j``,  ``C_j = sum_k |a_k^(j)(z0) / j!| (|r| + rho)^(d - k)``.

When that bound is below ``L`` (a factor 2 is kept for the round-off in the computed roots),
``P(., z)`` has exactly one root in the disc for every ``z`` of the step, so the root at ``z1``
in the disc *is* the continuation of ``r``: no jump to another root is possible, however slowly
the root moved before (the old rule sized steps by the root's past speed, which far out, where
``m ~ -1/z`` barely moves, let a step land on the target at once).  The steps shrink with the
distance to the other roots, measured at every step; where two roots meet on the segment (a zero
of the discriminant: an edge of a support) they shrink to nothing, and the follower reports a
*collision* there instead of guessing.

The roots are the eigenvalues of the companion matrices (batched, balanced by LAPACK), polished
by Newton steps so that a root near ``-1/z`` keeps its relative accuracy at ``|z| = 1e40``.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

#: Steps after which a point that has not arrived is reported (a collision on its path, or one
#: so near that the steps are too small to pass it).
MAX_STEPS = 4000
#: Radius of the Rouché circle as a fraction of the distance to the nearest other root.
DISC_FRACTION = 0.25
#: Share of the lower bound ``L`` the perturbation may take (the rest absorbs round-off).
SAFETY = 0.5
#: A step shorter than this fraction of ``|z| + 1`` cannot be taken in double precision: the
#: point has run into a collision.
SMALLEST_STEP = 1e-14


class Curve:
    """``P(m, z) = sum_k a_k(z) m^(d - k)`` with numeric coefficients, for batches of ``z``.

    ``table`` has shape ``(d + 1, w)`` (one curve) or ``(n, d + 1, w)`` (one curve per point):
    row ``k`` holds the coefficients of ``a_k`` as a polynomial in ``z``, highest power first.
    """

    def __init__(self, table):
        table = np.asarray(table, dtype=complex)
        self.table = table if table.ndim == 3 else table[None]
        self.degree = self.table.shape[1] - 1

    @classmethod
    def from_polynomial(cls, P, m, z):
        """The curve of a sympy polynomial in ``m`` and ``z`` with numeric coefficients."""
        rows = [[complex(c) for c in sp.Poly(a, z).all_coeffs()] for a in sp.Poly(P, m).all_coeffs()]
        width = max(len(row) for row in rows)
        return cls([[0j] * (width - len(row)) + row for row in rows])

    def around_poles(self, poles):
        """Per-point tables for ``u = m (z - x0)`` as polynomials in ``zeta = z - x0``
        (``x0 = poles[i]``): the curve ``sum_k a_k(x0 + zeta) zeta^k u^(d - k) = 0``, divided by
        the power of ``zeta`` common to all its coefficients.  Next to an atom at ``x0`` every root
        with a pole there is ``O(1)`` in ``u`` and moves at bounded speed, so the certified steps
        stay a fixed share of ``|zeta|`` (in ``m`` they shrink like ``|zeta|^2``: two roots
        ``1/(2(x0 - z))`` apart by ``O(1)``).  Returns ``rows`` for :func:`follow`, whose points
        are then ``z - x0``; divide the roots by ``z - x0`` after."""
        poles = np.asarray(poles, dtype=complex)
        d, width = self.degree, self.table.shape[2]
        taylor = self.taylor(poles)                         # [..., j]: zeta^j, lowest first
        low = np.zeros((len(poles), d + 1, width + d), dtype=complex)
        for k in range(d + 1):
            low[:, k, k:k + width] = taylor[:, k, :]
        # The power of zeta common to every coefficient (a factor of the whole curve) moves no root
        # but would make every coefficient vary fast relative to itself: divide it out.
        size = np.max(np.abs(low), axis=(1, 2), keepdims=True)
        zero = np.abs(low) <= 1e-12 * size
        common = np.min(np.argmin(zero, axis=2), axis=1)   # first nonzero power per row, min over rows
        rows = np.zeros_like(low)
        for i, p in enumerate(common):
            rows[i, :, :width + d - p] = low[i, :, p:]
        return rows[:, :, ::-1]

    def _rows(self, count):
        return np.broadcast_to(self.table, (count,) + self.table.shape[1:])

    def taylor(self, zs, rows=None):
        """Taylor coefficients in ``z`` at ``zs``: shape ``(n, d + 1, w)``, ``[..., j]`` the
        coefficient of ``(z - z0)^j`` of ``a_k`` (repeated synthetic division)."""
        zs = np.asarray(zs, dtype=complex)
        a = np.array(self._rows(len(zs)) if rows is None else rows, dtype=complex)
        width = a.shape[2]
        for i in range(width - 1):
            for j in range(1, width - i):
                a[:, :, j] += a[:, :, j - 1] * zs[:, None]
        return a[:, :, ::-1]

    def values(self, zs, rows=None):
        """``a_k(z)`` at each of ``zs``: shape ``(n, d + 1)`` (Horner in ``z``)."""
        zs = np.asarray(zs, dtype=complex)
        a = self._rows(len(zs)) if rows is None else rows
        out = a[:, :, 0].copy()
        for j in range(1, a.shape[2]):
            out = out * zs[:, None] + a[:, :, j]
        return out

    def roots(self, zs, rows=None, polish=2):
        """All roots in ``m`` at each of ``zs``: shape ``(n, d)``."""
        zs = np.asarray(zs, dtype=complex)
        values = self.values(zs, rows)
        lead = values[:, :1]
        lead = np.where(lead == 0, 1e-300, lead)
        if self.degree == 1:
            return -values[:, 1:] / lead
        companion = np.zeros((len(zs), self.degree, self.degree), dtype=complex)
        companion[:, 0, :] = -values[:, 1:] / lead
        companion[:, np.arange(1, self.degree), np.arange(self.degree - 1)] = 1
        if not np.all(np.isfinite(companion)):
            # numpy's eigvals would raise LinAlgError: the curve's numbers are past double
            # precision here (a law scaled by 1e300, a point at 1e300), an arithmetic limit
            raise ArithmeticError("the curve's coefficients leave double precision on the way (|a| > 1.8e308, "
                                  "or a ratio of two that overflows): a scale or a point too far from 1")
        with np.errstate(all="ignore"):
            roots = np.linalg.eigvals(companion)
            for _ in range(polish):
                roots = _newton(values, roots)
        return roots

    def step_bound(self, zs, roots, index, rows=None):
        """``(h, rho, slope)``: a step length ``h`` certified for the root ``r = roots[i, index[i]]``
        at ``zs[i]`` in every direction, the radius ``rho`` of its Rouché disc and the slope
        ``dr/dz``: for ``|s| <= h`` the root at ``z0 + s`` is the only one within ``rho`` of
        ``r + slope s`` (module docstring).  ``h`` is 0 where the root is (numerically) double."""
        n = len(zs)
        rows_ = np.arange(n)
        r = roots[rows_, index]
        d = self.degree
        with np.errstate(all="ignore"):
            distances = np.abs(roots - r[:, None])
            distances[rows_, index] = np.inf
            nearest = distances.min(axis=1) if d > 1 else np.full(n, np.inf)
            rho = np.where(np.isfinite(nearest), DISC_FRACTION * nearest, 1 + np.abs(r))
            gaps = np.where(np.isfinite(distances), distances - rho[:, None], 1.0)
            lead = self.values(zs, rows)[:, 0]
            # log L: the lower bound of |P| on the circle, in logarithms (the coefficients of a
            # curve at |z| = 1e40 overflow their products).
            log_low = np.log(np.abs(lead)) + np.log(rho) + np.sum(np.log(gaps), axis=1) + np.log(SAFETY)
            p = _shift_m(self.taylor(zs, rows), r)             # p[:, i, j]: (m - r)^i (z - z0)^j
            slope = np.where(p[:, 1, 0] != 0, -p[:, 0, 1] / np.where(p[:, 1, 0] != 0, p[:, 1, 0], 1), 0)
            q = _moving_frame(p, slope)                         # q[:, a, b]: mu^a s^b
            powers = np.arange(d + 1)[None, :, None]
            log_terms = np.log(np.abs(q[:, :, 1:])) + powers * np.log(rho)[:, None, None]
            log_c = _logsumexp(log_terms, axis=1)               # (n, w - 1): log D_b, b = 1..
            present = np.isfinite(log_c)
            count = np.maximum(present.sum(axis=1), 1)
            orders = np.arange(1, log_c.shape[1] + 1)[None, :]
            log_h = np.where(present, (log_low[:, None] - np.log(count)[:, None] - log_c) / orders, np.inf)
            h = np.exp(log_h.min(axis=1)) if log_h.shape[1] else np.full(n, np.inf)
            h = _largest_step(h, count, log_c, log_low)
        bad = np.isnan(h) | (nearest == 0) | ~np.isfinite(slope) | ~np.isfinite(log_low)
        return np.where(bad, 0.0, h), rho, np.where(np.isfinite(slope), slope, 0)


def follow(curve, starts, ends, values, max_steps=MAX_STEPS, rows=None):
    """Follow the roots ``values`` of ``curve`` at ``starts`` along the segments to ``ends``.

    Returns ``(values, reached, where)``: the continued roots (at ``ends`` where ``reached``,
    else at the last point reached, ``where``).  A point not reached has run into a collision of
    its root with another on the segment (or within :data:`SMALLEST_STEP` of one), or out of
    steps; the caller decides what that means (an edge at the end of a path is expected).
    ``rows`` gives each point its own curve (``curve.table`` of shape ``(n, d + 1, w)``).
    """
    starts = np.asarray(starts, dtype=complex).copy()
    ends = np.asarray(ends, dtype=complex)
    n = len(starts)
    rows = curve._rows(n) if rows is None else rows
    roots = curve.roots(starts, rows)
    index = np.argmin(np.abs(roots - np.asarray(values, dtype=complex)[:, None]), axis=1)
    current = roots[np.arange(n), index]
    here = starts
    active = np.flatnonzero(here != ends)
    stuck = np.zeros(n, dtype=bool)
    # Every root at ``here``, kept from the step that arrived there: computing them again at the
    # same point gave the same numbers (each point's companion matrix is its own) at the cost of
    # half the eigenvalue calls of the loop.
    known = roots.copy()
    for _ in range(max_steps):
        if not active.size:
            break
        roots_here = known[active]
        index = np.argmin(np.abs(roots_here - current[active][:, None]), axis=1)
        h, rho, slope = curve.step_bound(here[active], roots_here, index, rows[active])
        remaining = ends[active] - here[active]
        length = np.abs(remaining)
        too_small = h < SMALLEST_STEP * (np.abs(here[active]) + 1)
        stuck[active[too_small]] = True
        go = ~too_small
        fraction = np.minimum(h[go] / length[go], 1.0)
        moving = active[go]
        target = np.where(fraction >= 1, ends[moving], here[moving] + fraction * remaining[go])
        new_roots = curve.roots(target, rows[moving])
        # The disc moves with the root: its centre is the root's first-order prediction.
        centre = roots_here[np.flatnonzero(go), index[go]] + slope[go] * (target - here[moving])
        pick = np.argmin(np.abs(new_roots - centre[:, None]), axis=1)
        chosen = new_roots[np.arange(len(moving)), pick]
        # Rouché puts exactly one root in the disc; one found outside it means the computed roots
        # are not accurate enough to certify the step: stop there rather than guess.
        inside = np.abs(chosen - centre) <= rho[go]
        stuck[moving[~inside]] = True
        ok = moving[inside]
        current[ok], here[ok] = chosen[inside], target[inside]
        known[ok] = new_roots[inside]
        active = np.flatnonzero((here != ends) & ~stuck)
    else:
        stuck[active] = True
    return current, ~stuck & (here == ends), here


def continue_roots(curve, starts, ends, values, poles=(), near=1e-2, scale=1.0):
    """:func:`follow`, with paths that end next to a pole (a real or complex zero ``x0`` of the
    leading coefficient: an atom) followed as ``u = m (z - x0)`` (:meth:`Curve.around_poles`),
    and so are those the first try in ``m`` did not bring home.  ``near`` is relative to
    ``scale + |x0|``.  Returns ``(values, reached, where)`` as :func:`follow` does, in ``m``."""
    starts, ends = np.asarray(starts, dtype=complex), np.asarray(ends, dtype=complex)
    values = np.asarray(values, dtype=complex)
    poles = np.asarray(poles, dtype=complex)
    n = len(starts)
    close = np.zeros(n, dtype=bool)
    if poles.size:
        distance = np.abs(ends[:, None] - poles[None, :])
        # A path ending on a pole itself is followed in m: u = m (z - x0) is 0/0 there (a pole of
        # the coefficients that is no atom, as z = 0 for mp(1/2)), and an atom's own value is the
        # caller's (i oo).
        close = np.any((distance < near * (scale + np.abs(poles[None, :]))) & (distance > 0), axis=1)
    current, reached, where = values.copy(), np.zeros(n, dtype=bool), starts.copy()
    first = np.flatnonzero(~close)
    if first.size:
        current[first], reached[first], where[first] = follow(curve, starts[first], ends[first], values[first])
    left = np.flatnonzero(~reached & (np.min(np.abs(ends[:, None] - poles[None, :]), axis=1) > 0)) \
        if poles.size else np.zeros(0, dtype=int)
    if left.size:
        pole = poles[np.argmin(np.abs(ends[left, None] - poles[None, :]), axis=1)]
        rows = curve.around_poles(pole)
        shifted = Curve(rows)
        u, done, at = follow(shifted, starts[left] - pole, ends[left] - pole, values[left] * (starts[left] - pole),
                             rows=rows)
        # Where double precision ran out next to the pole, the rest of the way at 60 digits.
        for i in np.flatnonzero(~done):
            if abs(ends[left[i]] - pole[i]) < near * (scale + abs(pole[i])):
                try:
                    precise = follow_precisely(rows[i], at[i], ends[left[i]] - pole[i], u[i])
                except (mpmath.libmp.NoConvergence, ZeroDivisionError, ValueError):
                    precise = None   # the roots at a collision itself: the point stays unreached
                if precise is not None:
                    u[i], done[i], at[i] = precise, True, ends[left[i]] - pole[i]
        current[left], reached[left], where[left] = u / at, done, at + pole
    return current, reached, where


def poles_of(curve):
    """The zeros of the leading coefficient ``a_0(z)`` (one curve): where roots run to infinity."""
    lead = np.trim_zeros(curve.table[0, 0], "f")
    return np.roots(lead) if len(lead) > 1 else np.zeros(0, dtype=complex)


def follow_precisely(table, start, end, value, digits=60, max_steps=600):
    """:func:`follow` for one point at ``digits`` with mpmath: the same certified steps
    (:meth:`Curve.step_bound`, the disc moving with the root), for the stretch next to an atom
    or an edge where double precision no longer tells two roots apart (their relative distance
    is ``|z - x0|``).  ``table`` is a :class:`Curve` table (one curve).  Returns the root at
    ``end``, or None when a collision stops it."""
    rows = [[mpmath.mpmathify(complex(c)) for c in row] for row in np.asarray(table)]
    d, width = len(rows) - 1, len(rows[0])
    with mpmath.workdps(digits):
        here, target, current = mpmath.mpc(start), mpmath.mpc(end), mpmath.mpc(value)
        tiny = mpmath.mpf(10) ** (-digits // 2)
        for _ in range(max_steps):
            if here == target:
                return complex(current)
            values = [mpmath.polyval(row, here) for row in rows]
            if values[0] == 0:
                return None
            roots = mpmath.polyroots(values, maxsteps=200, extraprec=digits)
            r = min(roots, key=lambda x: abs(x - current))
            distances = [abs(x - r) for x in roots if x is not r]
            if any(x <= tiny * (1 + abs(r)) for x in distances):
                return None
            rho = DISC_FRACTION * min(distances) if distances else 1 + abs(r)
            low = SAFETY * abs(values[0]) * rho * mpmath.fprod(x - rho for x in distances)
            # Taylor coefficients in z of every a_k, then in m about r: p[i][j] for (m - r)^i (z - z0)^j.
            taylor = []
            for row in rows:
                a = list(row)
                for i in range(width - 1):
                    for j in range(1, width - i):
                        a[j] += a[j - 1] * here
                taylor.append(a[::-1])
            for i in range(d):
                for k in range(1, d + 1 - i):
                    taylor[k] = [x + y * r for x, y in zip(taylor[k], taylor[k - 1])]
            p = taylor[::-1]
            slope = -p[0][1] / p[1][0] if width > 1 and p[1][0] != 0 else mpmath.mpc(0)
            # The moving frame (:func:`_moving_frame`), then the bound sum_b D_b h^b <= L.
            q = [[mpmath.mpc(0)] * (d + width) for _ in range(d + 1)]
            for i in range(d + 1):
                for a in range(i + 1):
                    factor = math.comb(i, a) * slope ** (i - a)
                    for j in range(width):
                        q[a][i - a + j] += factor * p[i][j]
            terms = [sum(abs(q[a][b]) * rho ** a for a in range(d + 1)) for b in range(1, d + width)]
            present = [(b + 1, c) for b, c in enumerate(terms) if c > 0]
            h = min(((low / (len(present) * c)) ** (mpmath.mpf(1) / b) for b, c in present), default=mpmath.inf)
            remaining = target - here
            if h < tiny * (1 + abs(here)):
                return None
            step_to = target if h >= abs(remaining) else here + remaining * (h / abs(remaining))
            new = mpmath.polyroots([mpmath.polyval(row, step_to) for row in rows], maxsteps=200, extraprec=digits)
            centre = r + slope * (step_to - here)
            chosen = min(new, key=lambda x: abs(x - centre))
            if abs(chosen - centre) > rho:
                return None
            here, current = step_to, chosen
    return None


def _largest_step(low, count, log_c, log_low, iterations=24):
    """The largest ``h`` with ``sum_b D_b h^b <= L`` (logarithms ``log_c``, ``log_low``), found
    by bisection in ``log h`` between ``low`` (each term at most ``L / count``, so the sum is at
    most ``L``) and ``count * low`` (past it the term that set ``low`` alone exceeds ``L``)."""
    finite = np.isfinite(low) & (low > 0)
    if not finite.any():
        return low
    a = np.log(np.where(finite, low, 1.0))
    b = a + np.log(count)
    orders = np.arange(1, log_c.shape[1] + 1)[None, :]
    for _ in range(iterations):
        middle = (a + b) / 2
        total = _logsumexp(np.where(np.isfinite(log_c), log_c + orders * middle[:, None], -np.inf), axis=1)
        fits = total <= log_low
        a, b = np.where(fits, middle, a), np.where(fits, b, middle)
    return np.where(finite, np.exp(a), low)


def _shift_m(taylor, r):
    """``p[:, i, j]``, the coefficient of ``(m - r)^i (z - z0)^j``, from the Taylor table in
    ``z`` (row ``k``: ``m^(d - k)``), by synthetic division in ``m``."""
    a = np.array(taylor, dtype=complex)
    d = a.shape[1] - 1
    for i in range(d):
        for k in range(1, d + 1 - i):
            a[:, k, :] += a[:, k - 1, :] * r[:, None]
    return a[:, ::-1, :]


def _moving_frame(p, slope):
    """``q[:, a, b]``: the coefficients of ``Q(mu, s) = P(r + slope s + mu, z0 + s)`` in
    ``mu^a s^b``, from ``p`` (:func:`_shift_m`).  ``q[:, 0, 1]`` vanishes (the slope is the
    root's own), so the bound on ``Q(mu, s) - Q(mu, 0)`` no longer carries the root's first-order
    motion: a root running off like ``1/(2z)`` next to an atom is followed in steps that are a
    fixed share of ``|z|``, where a disc fixed at ``r`` would allow steps of order ``|z|^3``."""
    n, rows, width = p.shape
    q = np.zeros((n, rows, rows + width - 1), dtype=complex)
    power = np.ones(n, dtype=complex)
    powers = [power]
    for _ in range(rows):
        power = power * slope
        powers.append(power)
    for i in range(rows):
        for a in range(i + 1):
            factor = math.comb(i, a) * powers[i - a]
            q[:, a, i - a:i - a + width] += factor[:, None] * p[:, i, :]
    return q


def _newton(values, roots):
    """Newton steps on ``P(., z)`` from each root, kept only where they stay near it (a root
    next to another is left as the eigenvalue solver gave it)."""
    p, dp = np.zeros_like(roots), np.zeros_like(roots)
    for k in range(values.shape[1]):
        dp = dp * roots + p
        p = p * roots + values[:, k:k + 1]
    step = np.where(dp != 0, p / np.where(dp != 0, dp, 1), 0)
    separation = np.abs(roots[:, :, None] - roots[:, None, :])
    separation[:, np.arange(roots.shape[1]), np.arange(roots.shape[1])] = np.inf
    near = separation.min(axis=2) if roots.shape[1] > 1 else np.full(roots.shape, np.inf)
    keep = np.isfinite(step) & (np.abs(step) < 0.1 * near)
    return np.where(keep, roots - step, roots)


def _logsumexp(logs, axis):
    top = np.max(logs, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0)
    with np.errstate(divide="ignore"):
        return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(logs - top), axis=axis))
