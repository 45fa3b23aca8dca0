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


class NotSimpleRoot(ValueError):
    """``y0`` is not a simple root of ``Q(y, 0)``: the series is not determined this way."""


def series_root(Q, y, x, y0, order):
    """The coefficients ``[c_0, ..., c_order]`` of the series root of ``Q(y, x) = 0`` through
    ``(y0, 0)``, as sympy expressions.  Raises :class:`NotSimpleRoot` when ``y0`` is not a
    simple root of ``Q(y, 0)``."""
    poly = sp.Poly(Q, y, x)
    field = poly.domain.get_field()
    terms = [(i, j, field.convert(c)) for (i, j), c in poly.terms()]
    start = field.from_sympy(sp.sympify(y0))
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
    poly = sp.Poly(Q, y, x)
    field = poly.domain.get_field()
    terms = [(i, j, field.convert(c)) for (i, j), c in poly.terms()]
    series = [field.from_sympy(sp.sympify(c)) for c in coefficients]
    return all(c == field.zero for c in _evaluate(terms, series, len(series) - 1, field))


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
