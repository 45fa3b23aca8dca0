"""The double-exponential (tanh-sinh) rule on ``(0, 1)`` with fixed nodes, for means over a
uniform variable ``U`` of functions with algebraic endpoint singularities.

Takahasi and Mori (1974): with ``u(t) = (1 + tanh(pi/2 sinh t))/2``,

    integral_0^1 f(u) du = integral_R f(u(t)) u'(t) dt ~ h sum_k f(u(kh)) u'(kh),

and the transformed integrand decays double-exponentially, so the trapezoidal sum converges like
``exp(-c/h)`` for ``f`` analytic inside ``(0, 1)`` even when ``f ~ u^alpha`` or
``(1 - u)^beta`` (``alpha, beta > -1``) at the ends: ``u^{-p}`` of a power-law quantile, the
square-root edges of a Marchenko-Pastur density.  Each node comes with its complement
``1 - u``, computed directly (``1/(1 + exp(pi sinh t))``), so a function evaluated near ``u = 1``
through ``1 - u`` keeps its relative precision (``(1 - u)^{-p}`` at ``1 - u = 1e-200``).

The nodes are fixed (one rule, made once), so a mean over a whole grid of parameters is one
array operation: ``f`` gets the nodes as the last axis.  The rule stops where ``u`` underflows
``1e-250``; a function integrable there loses at most ``integral_0^{1e-250} |f|``.

>>> rule = TanhSinh()
>>> round(float(rule.integrate(lambda u, ubar: u ** -0.5)), 12)     # integral of u^-1/2 = 2
2.0
>>> round(float(rule.integrate(lambda u, ubar: np.log(ubar))), 12)  # integral of log(1 - u) = -1
-1.0
"""

from __future__ import annotations

import functools

import numpy as np


class TanhSinh:
    """The tanh-sinh rule on ``(0, 1)`` with step ``h``: :attr:`nodes`, :attr:`complements`
    (``1 - nodes``, each to full relative precision) and :attr:`weights`.

    ``h = 1/32`` (about 380 nodes) integrates ``u^{-0.9}``, ``log u`` and
    ``1/(1 + 100 u)`` to 1e-13 (tests/test_rmt_continuum.py); halve it for functions with a
    pole closer to ``[0, 1]`` than about 0.01."""

    def __init__(self, step=1 / 32, smallest=1e-250):
        # u(t) ~ exp(-pi sinh|t|) at the ends: stop where that reaches `smallest`.
        reach = np.arcsinh(-np.log(smallest) / np.pi)
        t = np.arange(-np.ceil(reach / step), np.ceil(reach / step) + 1) * step
        s = np.pi / 2 * np.sinh(t)
        self.step = step
        self.nodes = 1 / (1 + np.exp(-2 * s))
        self.complements = 1 / (1 + np.exp(2 * s))
        # u'(t) = (pi/4) cosh t sech^2 s, with sech^2 s = 4 e^{-2|s|}/(1 + e^{-2|s|})^2 (no overflow).
        decay = np.exp(-2 * np.abs(s))
        self.weights = step * np.pi / 4 * np.cosh(t) * 4 * decay / (1 + decay) ** 2

    def __len__(self):
        return len(self.nodes)

    def integrate(self, f, lower=0.0, upper=1.0):
        """``integral_lower^upper f`` for ``f(u, 1 - u)`` (``u`` and its complement as arrays of
        the nodes; ``f`` may return any leading shape, the nodes on the last axis).  On
        ``(lower, upper)`` the nodes are ``lower + (upper - lower) u``, and the complements
        ``(1 - upper) + (upper - lower)(1 - u)``: exact near ``1`` when ``upper = 1``."""
        width = upper - lower
        values = f(lower + width * self.nodes, (1 - upper) + width * self.complements)
        return np.sum(values * self.weights, axis=-1) * width


@functools.cache
def default_rule():
    """The rule the continuum laws share (``h = 1/32``)."""
    return TanhSinh()


@functools.cache
def rule_with_step(step):
    """The rule of step ``step``, made once (finer rules for poles near ``[0, 1]``)."""
    return TanhSinh(step)
