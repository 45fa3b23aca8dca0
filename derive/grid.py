"""Parameter values from the command line: numbers, ranges, and their admissible domains.

``name=value`` gives one value; ``name=a,b,c`` the values listed; ``name=start:stop:num`` gives
``num`` linearly spaced values and
``name=start:stop:numlog`` (e.g. ``1e-2:1e2:50log``) ``num`` log-spaced ones; ``inf`` is allowed
where the parameter admits it.  Several ranges span their Cartesian product.

>>> parse_value("tau", "0.5:2:4")
array([0.5, 1. , 1.5, 2. ])
>>> parse_value("alpha", "1:100:3log")
array([  1.,  10., 100.])
>>> parse_value("kappa", "0.5,2,inf")
array([0.5, 2. , inf])
"""

from __future__ import annotations

import math

import numpy as np

from .errors import UsageError

#: The most points a range, or the product of all ranges, may hold: a grid is refused, naming
#: its parameters, before anything is allocated.
MAX_POINTS = 1_000_000


def parse_value(name, text):
    """An array of the values ``text`` stands for (see the module docstring)."""
    text = text.strip()
    if "," in text:
        items = [item for item in text.split(",")]
        if any(not item.strip() for item in items):
            raise UsageError(f"{name}={text}: an empty item in the list")
        return np.concatenate([parse_value(name, item) for item in items])
    parts = text.split(":")
    if len(parts) == 1:
        return np.array([_number(name, text)])
    if len(parts) != 3:
        raise UsageError(f"{name}={text}: expected a number or start:stop:num (or start:stop:numlog)")
    start, stop = _number(name, parts[0]), _number(name, parts[1])
    count_text = parts[2].strip().lower()
    logarithmic = count_text.endswith("log")
    count_text = count_text[:-3] if logarithmic else count_text
    try:
        count = int(count_text)
    except ValueError:
        raise UsageError(f"{name}={text}: the number of points '{parts[2]}' is not a whole number")
    if count < 1:
        raise UsageError(f"{name}={text}: a range needs at least 1 point, got {count}")
    if count > MAX_POINTS:
        raise UsageError(f"{name}={text}: {count} points; a range has at most {MAX_POINTS}")
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise UsageError(f"{name}={text}: range ends must be finite")
    if logarithmic:
        if start <= 0 or stop <= 0:
            raise UsageError(f"{name}={text}: a log-spaced range needs start > 0 and stop > 0")
        return np.geomspace(start, stop, count)
    return np.linspace(start, stop, count)


def _number(name, text):
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{name}={text}: '{text}' is not a number")
    if math.isnan(value):
        raise UsageError(f"{name}=nan: {name} must be a number")
    return value


def check_domain(symbol, values, allow_infinite=False, lower=None, lower_open=None):
    """Raise a one-line :class:`UsageError` when ``values`` leave the parameter's domain.

    The domain comes from the symbol's assumptions (positive: > 0, nonnegative: >= 0), or from
    an explicit ``lower`` bound (open when ``lower_open``).
    """
    name = str(symbol)
    values = np.asarray(values, dtype=float)
    if np.isinf(values).any() and not allow_infinite:
        raise UsageError(f"{name}=inf: {name} must be finite")
    if lower is None:
        if symbol.is_positive:
            lower, lower_open = 0.0, True
        elif symbol.is_nonnegative:
            lower, lower_open = 0.0, False
    if lower is not None:
        bad = values <= lower if lower_open else values < lower
        if bad.any():
            relation = ">" if lower_open else ">="
            shown = _short(values[bad][0])
            raise UsageError(f"{name}={shown}: {name} must be {relation} {_short(lower)}")


def _short(value):
    return f"{value:g}"


def parse_assignments(words, parameters, defaults=None):
    """``["kappa=0.5", "x=0:1:11"]`` -> ``({symbol: array}, {symbol: source})``.

    Each name must be a known parameter.  ``defaults`` maps a parameter that may be left out
    to its value: a number, or another parameter it is then tied to (``alpha_test`` is
    ``alpha`` at every point).  The second dict lists the ties used; the first holds the tied
    parameter's values too, for the domain checks.
    """
    defaults = defaults or {}
    by_name = {str(p): p for p in parameters}
    values = {}
    for word in words:
        if "=" not in word:
            raise UsageError(f"'{word}': parameters are given as name=value")
        name, text = word.split("=", 1)
        name = name.strip()
        if name not in by_name:
            known = ", ".join(by_name)
            raise UsageError(f"unknown parameter '{name}' (parameters: {known})")
        if by_name[name] in values:
            raise UsageError(f"{name} is given twice")
        values[by_name[name]] = parse_value(name, text)
    tied = {}
    for parameter in parameters:
        if parameter not in values and parameter in defaults:
            default = defaults[parameter]
            if default in values:
                tied[parameter] = default
                values[parameter] = values[default]
            else:
                values[parameter] = np.atleast_1d(np.asarray(default, dtype=float))
    missing = [str(p) for p in parameters if p not in values]
    if missing:
        raise UsageError(f"missing parameter {missing[0]} (give {', '.join(f'{m}=...' for m in missing)})")
    return values, tied


def product(values, order, tied=None):
    """Flattened Cartesian product of the value arrays, in the order of ``order``; a parameter
    in ``tied`` takes the column of the parameter it is tied to instead of a grid axis."""
    tied = tied or {}
    free = [p for p in order if p not in tied]
    total = math.prod(len(values[p]) for p in free)
    if total > MAX_POINTS:
        sizes = " x ".join(f"{len(values[p])} ({p})" for p in free if len(values[p]) > 1)
        raise UsageError(f"the grid has {sizes} = {total} points; at most {MAX_POINTS}")
    grids = dict(zip(free, (g.ravel() for g in np.meshgrid(*[values[p] for p in free], indexing="ij"))))
    return [grids[tied.get(p, p)] for p in order]


__all__ = ["parse_value", "parse_assignments", "check_domain", "product"]
