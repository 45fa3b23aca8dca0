"""The polynomial method: laws as algebraic curves, their transforms, free convolutions.

A probability law mu on the real line is *algebraic* when its Stieltjes transform

    m(z) = integral dmu(x) / (x - z),        m(z) ~ -1/z at infinity, Im m > 0 for Im z > 0,

solves ``P(m, z) = 0`` for a polynomial ``P`` (Rao and Edelman, "The polynomial method for random
matrices", Found. Comput. Math. 8, 2008).  The transforms of free probability are changes of
variables on that curve, so they keep it algebraic:

* R-transform, ``G(R(w) + 1/w) = w`` with ``G = -m``:   ``w = -m``,  ``r = z + 1/m``;
* S-transform, ``S(w) = chi(w)(1 + w)/w`` with ``chi`` the inverse of ``psi(u) = sum_k mu_k u^k``
  (k >= 1), ``psi(1/z) = -1 - z m``:                     ``w = -1 - z m``,  ``s = m / (1 + z m)``;

and free convolutions are sums and products there (Voiculescu):

    R_{A boxplus B} = R_A + R_B,        S_{A boxtimes B} = S_A S_B,

so the curve of the convolution is a resultant eliminating one operand's transform.  Substitutions
and resultants bring in spurious factors (powers of ``w``, the parameters, other branches): every
curve is cleaned to the one irreducible factor through the branch of interest, picked by where it
passes (``R(0) = mean``, ``S(0) = 1/mean``, ``m ~ -1/z``) and, when several factors pass there,
by the power series of the branch (:mod:`derive.rmt.series`).

Polynomials are sympy expressions in the module's symbols ``m, z`` (Stieltjes), ``r, w``
(R-transform) and ``s, w`` (S-transform); other symbols are parameters.
"""

from __future__ import annotations

import functools

import sympy as sp

from .series import NotSimpleRoot, series_root, vanishes_to_order

m, z = sp.symbols("m z")
r, s, w = sp.symbols("r s w")
#: The variable of the series at infinity: ``f(u) = -m(1/u)/u = sum_k mu_k u^k``.
_f, _u = sp.symbols("f u")


def numerator(expr):
    """The numerator of ``expr`` put over one denominator, expanded."""
    return sp.expand(sp.numer(sp.together(sp.expand(expr))))


def change_variables(P, old, new):
    """``P(old -> new)`` with the denominators cleared: the curve in the new variables."""
    return numerator(P.subs(dict(zip(old, new)), simultaneous=True))


def infinity_polynomial(P):
    """``Q(f, u)`` with ``Q(f, u) = 0`` iff ``P(-u f, 1/u) = 0``, free of powers of ``u``.

    The branch ``m ~ -1/z`` is the root ``f(0) = 1``, and ``f(u) = sum_k mu_k u^k`` holds the
    moments."""
    Q = change_variables(P, (m, z), (-_u * _f, 1 / _u))
    return sp.factor_terms(Q) if Q == 0 else _drop_powers(Q, _u)


def _drop_powers(Q, x):
    poly = sp.Poly(Q, x)
    lowest = min(k for (k,), _ in poly.terms())
    return sp.expand(sp.cancel(Q / x**lowest))


def branch_factor(P, y, x, y0, series=None):
    """The irreducible factor of ``P(y, x)`` through the simple root ``y(0) = y0``.

    When several factors pass there, ``series`` (the first coefficients of the branch) decides.
    Raises ValueError when no factor, or more than one, carries the branch."""
    factors = [F for F, _ in sp.factor_list(P)[1] if F.has(y)]
    through = []
    for F in factors:
        F = _drop_powers(sp.expand(F), x)
        try:
            series_root(F, y, x, y0, 0)
        except NotSimpleRoot:
            continue
        through.append(F)
    if len(through) > 1 and series is not None:
        through = [F for F in through if vanishes_to_order(F, y, x, series)]
    if len(through) != 1:
        raise ValueError(f"{len(through)} factors of the curve carry the branch {y}(0) = {y0}; "
                         "cannot pick one")
    return primitive(through[0], y, x)


def stieltjes_factor(P):
    """The irreducible factor of ``P(m, z)`` carrying the branch ``m ~ -1/z`` at infinity."""
    factors = [F for F, _ in sp.factor_list(numerator(P))[1] if F.has(m)]
    through = []
    for F in factors:
        try:
            series_root(infinity_polynomial(F), _f, _u, 1, 0)
        except NotSimpleRoot:
            continue
        through.append(F)
    if len(through) != 1:
        raise ValueError(f"{len(through)} factors of the curve carry the Stieltjes branch m ~ -1/z")
    return primitive(through[0], m, z)


def primitive(P, *variables):
    """``P`` divided by its content (the gcd of its coefficients in ``variables``, which may
    involve the parameters), with a leading coefficient of positive sign: equal curves print
    equally."""
    common = functools.reduce(sp.gcd, sp.Poly(P, *variables).coeffs())
    expr = sp.expand(sp.cancel(P / common))
    if sp.Poly(expr, *variables).coeffs()[0].could_extract_minus_sign():
        expr = -expr
    return expr


# ---- moments ------------------------------------------------------------------------------------


def moments(P, count):
    """The exact moments ``[mu_0, ..., mu_count]`` of the law whose Stieltjes transform is the
    branch ``m ~ -1/z`` of ``P(m, z) = 0``: the series ``-m(1/u)/u = sum_k mu_k u^k``."""
    return [sp.factor(c) for c in series_root(infinity_polynomial(P), _f, _u, 1, count)]


# ---- transforms ---------------------------------------------------------------------------------


def r_curve(P, mean):
    """The curve ``P_R(r, w) = 0`` of the R-transform, the factor through ``r(0) = mean``."""
    return branch_factor(change_variables(P, (m, z), (-w, r + 1 / w)), r, w, mean)


def s_curve(P, mean):
    """The curve ``P_S(s, w) = 0`` of the S-transform, the factor through ``s(0) = 1/mean``.

    Defined for a law of nonzero mean."""
    return branch_factor(change_variables(P, (m, z), (-s * w, (1 + w) / (s * w))), s, w, 1 / mean)


def from_r_curve(P_R):
    """The Stieltjes curve ``P(m, z)`` of the law with R-transform curve ``P_R(r, w)``."""
    return stieltjes_factor(change_variables(P_R, (r, w), (z + 1 / m, -m)))


def from_s_curve(P_S):
    """The Stieltjes curve ``P(m, z)`` of the law with S-transform curve ``P_S(s, w)``."""
    return stieltjes_factor(change_variables(P_S, (s, w), (m / (1 + z * m), -1 - z * m)))


def transform_series(P_T, y, y0, order):
    """The first coefficients of the transform (``r`` or ``s``) as a power series in ``w``."""
    return series_root(P_T, y, w, y0, order)


# ---- convolutions -------------------------------------------------------------------------------


def free_sum_curve(P_a, mean_a, P_b, mean_b, order=8):
    """The Stieltjes curve of ``A boxplus B``: eliminate ``r_a`` from ``P_Ra(r_a, w) = 0`` and
    ``P_Rb(r - r_a, w) = 0`` (``R = R_a + R_b``)."""
    Ra, Rb = r_curve(P_a, mean_a), r_curve(P_b, mean_b)
    ra = sp.Symbol("r_a")
    eliminated = sp.resultant(Ra.subs(r, ra), Rb.subs(r, r - ra), ra)
    series = [p + q for p, q in zip(transform_series(Ra, r, mean_a, order), transform_series(Rb, r, mean_b, order))]
    return from_r_curve(branch_factor(sp.expand(eliminated), r, w, mean_a + mean_b, series))


def free_product_curve(P_a, mean_a, P_b, mean_b, order=8):
    """The Stieltjes curve of ``A boxtimes B``: eliminate ``s_a`` from ``P_Sa(s_a, w) = 0`` and
    ``s_a^deg P_Sb(s / s_a, w) = 0`` (``S = S_a S_b``)."""
    Sa, Sb = s_curve(P_a, mean_a), s_curve(P_b, mean_b)
    sa = sp.Symbol("s_a")
    eliminated = sp.resultant(Sa.subs(s, sa), change_variables(Sb, (s,), (s / sa,)), sa)
    sa_series = transform_series(Sa, s, 1 / mean_a, order)
    sb_series = transform_series(Sb, s, 1 / mean_b, order)
    series = [sp.expand(sum(sa_series[i] * sb_series[k - i] for i in range(k + 1))) for k in range(order + 1)]
    return from_s_curve(branch_factor(sp.expand(eliminated), s, w, 1 / (mean_a * mean_b), series))
