"""Power-series roots of a bivariate polynomial, exactly.

A simple root ``y0`` of ``Q(y, 0)`` continues to a unique power series ``y(x) = sum_k c_k x^k``
with ``Q(y(x), x) = 0`` (implicit function theorem).  Its coefficients follow one at a time:
with ``y_{k-1}`` the series up to ``x^{k-1}``,

    c_k = -[x^k] Q(y_{k-1}(x), x) / Q_y(y0, 0),

since ``Q(y_{k-1} + c_k x^k, x) = Q(y_{k-1}, x) + c_k x^k Q_y(y0, 0) + O(x^{k+1})``.  Arithmetic is
exact, in the field of fractions of the polynomial's coefficient domain (rationals, or rational
functions of the parameters), so moments come out as exact rationals.

>>> import sympy as sp
>>> y, x = sp.symbols("y x")
>>> series_root(y - 1 - x * y**2, y, x, 1, 5)   # the Catalan numbers
[1, 1, 2, 5, 14, 42]
"""

from __future__ import annotations

import sympy as sp
from sympy.polys.constructor import construct_domain


class NotSimpleRoot(ValueError):
    """``y0`` is not a simple root of ``Q(y, 0)``: the series is not determined this way."""


def series_root(Q, y, x, y0, order, prefix=()):
    """The coefficients ``[c_0, ..., c_order]`` of the series root of ``Q(y, x) = 0`` through
    ``(y0, 0)``, as sympy expressions.  Raises :class:`NotSimpleRoot` when ``y0`` is not a
    simple root of ``Q(y, 0)``.

    Several branches may pass through one point and part only at a higher order.  Given the
    common ``prefix`` ``[c_0, ..., c_{j-1}]``, the branch is ``y = prefix + x^j t(x)`` with
    ``t(0) = y0`` a simple root of ``Q(prefix + x^j t, x) / x^k`` at ``x = 0``.
    """
    if prefix:
        t = sp.Dummy("t")
        j = len(prefix)
        shifted = sp.expand(Q.subs(y, sum(c * x**i for i, c in enumerate(prefix)) + x**j * t))
        lowest = min(k for (_, k), _ in sp.Poly(shifted, t, x).terms())
        rest = series_root(sp.expand(sp.cancel(shifted / x**lowest)), t, x, y0, max(order - j, 0))
        return [sp.sympify(c) for c in prefix][:order + 1] + rest[:order + 1 - j]
    y0 = sp.sympify(y0)
    field, terms = _terms(Q, y, x, [y0])
    start = field.from_sympy(y0)
    powers = [field.one]  # start^0, start^1, ...: the ring refuses 0**0
    for _ in range(max(i for i, _, _ in terms)):
        powers.append(powers[-1] * start)
    value = sum((c * powers[i] for i, j, c in terms if j == 0), field.zero)
    slope = sum((i * c * powers[i - 1] for i, j, c in terms if j == 0 and i > 0), field.zero)
    if value != field.zero:
        raise NotSimpleRoot(f"{y0} is not a root of the polynomial at {x} = 0")
    if slope == field.zero:
        raise NotSimpleRoot(f"{y0} is a multiple root of the polynomial at {x} = 0")
    coefficients = [start]
    for k in range(1, order + 1):
        coefficients.append(field.zero)
        residual = _evaluate(terms, coefficients, k, field)
        coefficients[k] = -residual[k] / slope
    return [field.to_sympy(c) for c in coefficients]


def vanishes_to_order(Q, y, x, coefficients):
    """Whether ``Q(y(x), x) = O(x^(n+1))`` for the series ``y`` with the given ``n + 1`` coefficients."""
    coefficients = [sp.sympify(c) for c in coefficients]
    field, terms = _terms(Q, y, x, coefficients)
    series = [field.from_sympy(c) for c in coefficients]
    return all(c == field.zero for c in _evaluate(terms, series, len(series) - 1, field))


def _terms(Q, y, x, values):
    """The field holding ``Q``'s coefficients and ``values`` (which may be algebraic numbers:
    ``E[1/A] = -1 + sqrt(2)``), and ``Q``'s terms ``(i, j, q_ij)`` in it."""
    coefficients = sp.Poly(Q, y, x).terms()
    domain, _ = construct_domain([c for _, c in coefficients] + list(values), extension=True)
    field = domain.get_field()
    return field, [(i, j, field.from_sympy(c)) for (i, j), c in coefficients]


def _evaluate(terms, series, order, field):
    """``Q(series(x), x)`` truncated after ``x^order``, with ``Q`` given by its ``terms``."""
    powers = [[field.one] + [field.zero] * order]
    top = max(i for i, _, _ in terms)
    for _ in range(top):
        powers.append(_multiply(powers[-1], series, order, field))
    result = [field.zero] * (order + 1)
    for i, j, c in terms:
        for k in range(j, order + 1):
            result[k] += c * powers[i][k - j]
    return result


def _multiply(a, b, order, field):
    out = [field.zero] * (order + 1)
    for i, ai in enumerate(a[:order + 1]):
        if ai == field.zero:
            continue
        for j in range(min(len(b), order + 1 - i)):
            out[i + j] += ai * b[j]
    return out
