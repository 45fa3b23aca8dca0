"""The changes of variables between a law's curves, one per operation, and their recognition.

A ``transform`` step carries a curve ``P(f(u), u) = 0`` into ``Q(g(v), v) = 0`` by a change
``g(v) = phi`` at ``v = chi`` (``phi``, ``chi`` functions of ``f(u)`` and ``u``).  Whether ``Q``
follows is decided exactly (:func:`derive.rmt.algebraic.carried_curve`); whether the *change*
is right is a separate question: it is what the operation means.  These are the changes that
hold by definition or by a one-line theorem, for ``m`` a Stieltjes transform
``m(z) = E 1/(X - z)``:

========================  ==========================  ===============  =====================
operation                 ``g``                       ``phi``          ``chi``
========================  ==========================  ===============  =====================
scale by ``a``            ``m_{aX}``                  ``m(z)/a``       ``a z``
shift by ``b``            ``m_{X+b}``                 ``m(z)``         ``z + b``
inverse                   ``m_{X^{-1}}``              ``-z - z^2 m``   ``1/z``
R-transform               ``R`` (Voiculescu)          ``z + 1/m``      ``-m``
S-transform               ``S``                       ``m/(1 + z m)``  ``-1 - z m``
back from R               ``m``                       ``-w``           ``R(w) + 1/w``
back from S               ``m``                       ``-S(w) w``      ``(1 + w)/(S(w) w)``
========================  ==========================  ===============  =====================

(``m_{aX}(a z) = E 1/(aX - az) = m(z)/a``; ``m_{X+b}(z + b) = m(z)``;
``m_{X^{-1}}(1/z) = E z X/(z - X) = -z - z^2 m(z)``; ``R(-m(z)) = z + 1/m(z)`` is the definition
``R(w) = m^{-1}(-w) - 1/w``; ``S(-1 - z m) = m/(1 + z m)`` is ``S(w) = (1 + w)/w psi^{-1}(w)``
with ``psi(z) = -1 - m(1/z)/z``.)  The builder :func:`derive.rmt.steps.add_law` takes its
changes from here, and the checker recognises a stated change as one of them or refuses it.
"""

from __future__ import annotations

import sympy as sp


def scale(m, z, a):
    return m / a, a * z


def shift(m, z, b):
    return m, z + b


def inverse(m, z):
    return -z - z**2 * m, 1 / z


def r_transform(m, z):
    return z + 1 / m, -m


def s_transform(m, z):
    return m / (1 + z * m), -1 - z * m


def from_r(r, w):
    return -w, r + 1 / w


def from_s(s, w):
    return -s * w, (1 + w) / (s * w)


def _same(a, b):
    return sp.simplify(sp.together(a - b)) == 0


def recognise(value, variable, f, u):
    """The operation whose change is ``g = value`` at ``variable`` (in ``f = f(u)`` and ``u``),
    as a string (``"scale by 2"``), or None when it is none of the table's."""
    F = sp.Dummy("F")
    phi, chi = sp.sympify(value).xreplace({f: F}), sp.sympify(variable).xreplace({f: F})
    if phi.has(f.func) or chi.has(f.func):
        return None  # f appears at another argument: not a change of variables of this curve
    a = sp.simplify(chi / u)
    if not a.has(u, F) and a != 0 and all(map(_same, (phi, chi), scale(F, u, a))):
        return f"scale by {a}"
    b = sp.simplify(chi - u)
    if not b.has(u, F) and all(map(_same, (phi, chi), shift(F, u, b))):
        return f"shift by {b}"
    for name, change in (("inverse", inverse), ("R-transform", r_transform), ("S-transform", s_transform),
                         ("back from the R-transform", from_r), ("back from the S-transform", from_s)):
        if all(map(_same, (phi, chi), change(F, u))):
            return name
    return None
