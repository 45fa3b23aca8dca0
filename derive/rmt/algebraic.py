"""The polynomial method: laws as algebraic curves, their transforms, free convolutions.

A probability law mu on the real line is *algebraic* when its Stieltjes transform

    m(z) = integral dmu(x) / (x - z),        m(z) ~ -1/z at infinity, Im m > 0 for Im z > 0,

solves ``P(m, z) = 0`` for a polynomial ``P`` (Rao and Edelman, "The polynomial method for random
matrices", Found. Comput. Math. 8, 2008).  The transforms of free probability are changes of
variables on that curve, so they keep it algebraic:

* R-transform, ``G(R(w) + 1/w) = w`` with ``G = -m``:   ``w = -m``,  ``r = z + 1/m``;
* S-transform, ``S(w) = chi(w)(1 + w)/w`` with ``chi`` the inverse of ``psi(u) = sum_k mu_k u^k``
  (k >= 1), ``psi(1/z) = -1 - z m``:                     ``w = -1 - z m``,  ``s = m / (1 + z m)``;

(the changes themselves are written once, in :mod:`derive.rmt.changes`), and free convolutions
are sums and products there (Voiculescu):

    R_{A boxplus B} = R_A + R_B,        S_{A boxtimes B} = S_A S_B,

so the curve of the convolution is a resultant eliminating one operand's transform.  Substitutions
and resultants bring in spurious factors (powers of ``w``, the parameters, other branches): every
curve is cleaned to the one irreducible factor through the branch of interest, picked by where it
passes (``R(0) = mean``, ``S(0) = 1/mean``, ``m ~ -1/z``) and, when several factors pass there,
by the power series of the branch (:mod:`derive.rmt.series`).

Polynomials are sympy expressions in the module's symbols ``m, z`` (Stieltjes), ``r, w``
(R-transform), ``s, w`` (S-transform), ``eta, gamma`` (eta-transform) and ``psi, u`` (moment
generating function); other symbols are parameters.
"""

from __future__ import annotations

import functools

import sympy as sp

from .changes import FromR, FromS, RTransform, STransform
from .series import NotSimpleRoot, series_root, vanishes_to_order

__all__ = ["NotSimpleRoot"]  # re-exported: callers test whether a curve alone fixes the branch

m, z = sp.symbols("m z")
r, s, w = sp.symbols("r s w")
eta, gamma, psi, u = sp.symbols("eta gamma psi u")
#: The series at infinity: ``f(u) = -m(1/u)/u = sum_k mu_k u^k = 1 + psi(u)``.
_f = sp.Symbol("f")


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
    return _drop_powers(change_variables(P, (m, z), (-u * _f, 1 / u)), u)


def _drop_powers(Q, x):
    poly = sp.Poly(Q, x)
    lowest = min(k for (k,), _ in poly.terms())
    return sp.expand(sp.cancel(Q / x**lowest))


def branch_factor(P, y, x, y0, series=None):
    """The irreducible factor of ``P(y, x)`` through the simple root ``y(0) = y0``.

    When several factors pass there, ``series`` (the first coefficients of the branch) decides.
    Raises ValueError when no factor, or more than one, carries the branch."""
    factors = [_drop_powers(sp.expand(F), x) for F, _ in sp.factor_list(P)[1] if F.has(y)]
    through = _carrying(factors, lambda F: series_root(F, y, x, y0, 0))
    if len(through) > 1 and series is not None:
        through = [F for F in through if vanishes_to_order(F, y, x, series)]
    return primitive(_only(through, f"the branch {y}(0) = {y0}"), y, x)


def stieltjes_factor(P, exceptional=(), mean=None):
    """The irreducible factor of ``P(m, z)`` carrying the branch ``m ~ -1/z`` at infinity.

    ``exceptional`` are curves a change of variables brings in and the branch cannot be on
    (``1 + z m = 0``, where ``w = -1 - z m`` vanishes identically); they are dropped.  When
    another branch also goes like ``-1/z`` (an inverse law), the ``mean`` tells them apart:
    ``m = -1/z - mean/z^2 + ...``."""
    factors = [F for F, _ in sp.factor_list(numerator(P))[1]
               if F.has(m) and not any(not sp.cancel(F / E).has(m, z) for E in exceptional)]
    through = _carrying(factors, lambda F: _infinity_series(F, 0, mean))
    return primitive(_only(through, "the Stieltjes branch m ~ -1/z"), m, z)


def _carrying(factors, series):
    """The factors on which ``series(F)`` finds the branch (a simple root at its start)."""
    through = []
    for F in factors:
        try:
            series(F)
        except NotSimpleRoot:
            continue
        through.append(F)
    return through


def _only(factors, branch):
    if len(factors) != 1:
        raise ValueError(f"{len(factors)} factors of the curve carry {branch}; cannot pick one")
    return factors[0]


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


def moments(P, count, mean=None):
    """The exact moments ``[mu_0, ..., mu_count]`` of the law whose Stieltjes transform is the
    branch ``m ~ -1/z`` of ``P(m, z) = 0``: the series ``-m(1/u)/u = sum_k mu_k u^k``.

    Give the ``mean`` when two branches go like ``-1/z`` (see :func:`stieltjes_factor`)."""
    return [sp.factor(c) for c in _infinity_series(P, count, mean)]


def _infinity_series(P, count, mean):
    Q = infinity_polynomial(P)
    try:
        return series_root(Q, _f, u, 1, count)
    except NotSimpleRoot:
        if mean is None:
            raise
        return series_root(Q, _f, u, mean, count, prefix=(1,))


# ---- transforms ---------------------------------------------------------------------------------


def r_curve(P, mean):
    """The curve ``P_R(r, w) = 0`` of the R-transform, the factor through ``r(0) = mean``."""
    return branch_factor(numerator(RTransform.carry(P, (m, z), (r, w))), r, w, mean)


def s_curve(P, mean):
    """The curve ``P_S(s, w) = 0`` of the S-transform, the factor through ``s(0) = 1/mean``.

    Defined for a law of nonzero mean."""
    return branch_factor(numerator(STransform.carry(P, (m, z), (s, w))), s, w, 1 / mean)


def eta_curve(P):
    """The curve ``P_eta(eta, gamma) = 0`` of the eta-transform ``eta(gamma) = E 1/(1 + gamma x)
    = m(-1/gamma)/gamma`` (``m = gamma eta``, ``z = -1/gamma``), the factor through ``eta(0) = 1``."""
    return branch_factor(change_variables(P, (m, z), (gamma * eta, -1 / gamma)), eta, gamma, 1)


def psi_curve(P):
    """The curve ``P_psi(psi, u) = 0`` of the moment generating function ``psi(u) = sum_{k>=1}
    mu_k u^k = -1 - m(1/u)/u`` (``m = -u(1 + psi)``, ``z = 1/u``), the factor through ``psi(0) = 0``."""
    return branch_factor(change_variables(P, (m, z), (-u * (1 + psi), 1 / u)), psi, u, 0)


def from_r_curve(P_R, mean=None):
    """The Stieltjes curve ``P(m, z)`` of the law with R-transform curve ``P_R(r, w)``."""
    return stieltjes_factor(numerator(FromR.carry(P_R, (r, w), (m, z))), mean=mean)


def from_s_curve(P_S, mean=None):
    """The Stieltjes curve ``P(m, z)`` of the law with S-transform curve ``P_S(s, w)``."""
    return stieltjes_factor(numerator(FromS.carry(P_S, (s, w), (m, z))), exceptional=(1 + z * m,), mean=mean)


# ---- convolutions -------------------------------------------------------------------------------


def eliminate(P_a, P_b, y, operation):
    """The resultant curve of ``y = y_a + y_b`` (``operation="sum"``) or ``y = y_a y_b``
    (``"product"``) where ``P_a(y_a, w) = 0`` and ``P_b(y_b, w) = 0`` are given in ``y``:
    eliminate ``y_a`` between ``P_a(y_a, w)`` and ``P_b(y - y_a, w)`` (or the numerator of
    ``P_b(y / y_a, w)``)."""
    ya = sp.Dummy("y_a")
    other = y - ya if operation == "sum" else y / ya
    return sp.expand(sp.resultant(P_a.subs(y, ya), change_variables(P_b, (y,), (other,)), ya))


def combine_series(a, b, operation):
    """The power series of ``y_a + y_b`` or ``y_a y_b`` from theirs (equal lengths)."""
    if operation == "sum":
        return [p + q for p, q in zip(a, b)]
    return [sp.expand(sum(a[i] * b[k - i] for i in range(k + 1))) for k in range(len(a))]


def free_sum_curve(P_a, mean_a, P_b, mean_b, order=8):
    """The Stieltjes curve of ``A boxplus B``: ``R = R_a + R_b`` on the R-transform curves."""
    Ra, Rb = r_curve(P_a, mean_a), r_curve(P_b, mean_b)
    series = combine_series(series_root(Ra, r, w, mean_a, order), series_root(Rb, r, w, mean_b, order), "sum")
    return from_r_curve(branch_factor(eliminate(Ra, Rb, r, "sum"), r, w, mean_a + mean_b, series),
                        mean_a + mean_b)


def free_product_curve(P_a, mean_a, P_b, mean_b, order=8):
    """The Stieltjes curve of ``A boxtimes B``: ``S = S_a S_b`` on the S-transform curves."""
    Sa, Sb = s_curve(P_a, mean_a), s_curve(P_b, mean_b)
    series = combine_series(series_root(Sa, s, w, 1 / mean_a, order),
                            series_root(Sb, s, w, 1 / mean_b, order), "product")
    return from_s_curve(branch_factor(eliminate(Sa, Sb, s, "product"), s, w, 1 / (mean_a * mean_b), series),
                        mean_a * mean_b)


# ---- checking steps between curves --------------------------------------------------------------


def carried_curve(P, f, Q, g, value, variable):
    """Whether the change of variables ``g(v) = value``, ``v = variable`` (functions of ``f(u)``
    and ``u``) carries the curve ``P(f(u), u) = 0`` into ``Q(g(v), v) = 0``.

    Returns ``(holds, irreducible)``: ``holds`` when the pseudo-remainder of the numerator of
    ``Q(value, variable)`` by ``P`` (in ``f``) is 0, so ``Q`` vanishes wherever ``P`` does (but
    at the finitely many zeros of ``P``'s leading coefficient); ``irreducible`` when ``P`` is,
    so that a nonzero remainder means the statement fails on all but finitely many points.
    """
    y, Y = sp.Dummy("y"), sp.Dummy("Y")
    curve = numerator(P.subs(f, y))
    (v,) = g.args
    carried = Q.subs(g, Y).subs({Y: value.subs(f, y), v: variable.subs(f, y)}, simultaneous=True)
    holds = sp.expand(sp.prem(numerator(carried), curve, y)) == 0
    factors = [(F, power) for F, power in sp.factor_list(curve)[1] if F.has(y)]
    return holds, len(factors) == 1 and factors[0][1] == 1


def convolution_evidence(P_a, t_a, P_b, t_b, F, t, operation, starts):
    """Whether ``F(t(w), w) = 0`` is the curve of ``t = t_a + t_b`` (``operation="sum"``) or
    ``t = t_a t_b`` (``"product"``) on the branches through ``starts`` at ``w = 0``.

    Returns ``(divides, on_branch, order)``: ``F`` divides the resultant that eliminates ``t_a``,
    and ``F`` vanishes on the combined power series to ``order``, one more than the Bezout bound
    ``deg F * deg(resultant / F)`` on how far another factor could follow the branch.
    """
    (w_,) = t.args
    y = sp.Dummy("y")
    curve_a, curve_b = numerator(P_a.subs(t_a, y)), numerator(P_b.subs(t_b, y))
    eliminated = eliminate(curve_a, curve_b, y, operation)
    statement = numerator(F.subs(t, y))
    divides = sp.expand(sp.prem(eliminated, statement, y)) == 0
    if not divides:
        return False, False, 0
    degree = sp.Poly(statement, y, w_).total_degree()
    order = degree * max(sp.Poly(eliminated, y, w_).total_degree() - degree, 0) + 1
    combined = combine_series(series_root(curve_a, y, w_, starts[0], order),
                              series_root(curve_b, y, w_, starts[1], order), operation)
    return True, vanishes_to_order(statement, y, w_, combined), order
