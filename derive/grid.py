"""Parameter values from the command line: numbers, ranges, and their admissible domains.

``name=value`` gives one value; ``name=a,b,c`` the values listed; ``name=start:stop:num`` gives
``num`` linearly spaced values and
``name=start:stop:numlog`` (e.g. ``1e-2:1e2:50log``) ``num`` log-spaced ones; ``inf`` is allowed
where the parameter admits it.  A parameter not declared real also takes complex values
(``z=1+0.5j``, or ``1+0.5i``).  Several ranges span their Cartesian product.

>>> parse_value("tau", "0.5:2:4")
array([0.5, 1. , 1.5, 2. ])
>>> parse_value("alpha", "1:100:3log")
array([  1.,  10., 100.])
>>> parse_value("kappa", "0.5,2,inf")
array([0.5, 2. , inf])
>>> parse_value("z", "1+0.5j,-2")
array([ 1.+0.5j, -2.+0.j ])
"""

from __future__ import annotations

import cmath
import math

import numpy as np
import sympy as sp

from .errors import UsageError, did_you_mean

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
    if isinstance(start, complex) or isinstance(stop, complex):
        start, stop = complex(start), complex(stop)
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
    if not (cmath.isfinite(start) and cmath.isfinite(stop)):
        raise UsageError(f"{name}={text}: range ends must be finite")
    if logarithmic and isinstance(start, complex):
        raise UsageError(f"{name}={text}: a log-spaced range needs real ends")
    if logarithmic:
        if start <= 0 or stop <= 0:
            raise UsageError(f"{name}={text}: a log-spaced range needs start > 0 and stop > 0")
        return np.geomspace(start, stop, count)
    return np.linspace(start, stop, count)


def _number(name, text):
    """A float, or a complex number (``1+0.5j``, ``-2j``, ``1+0.5i``) when ``text`` is one."""
    try:
        value = float(text)
    except ValueError:
        value = _complex(text)
        if value is None:
            raise UsageError(f"{name}={text}: '{text}' is not a number")
        if not cmath.isfinite(value):
            raise UsageError(f"{name}={text.strip()}: a complex {name} must be finite")
        return value
    if math.isnan(value):
        raise UsageError(f"{name}=nan: {name} must be a number")
    return value


def _complex(text):
    """``text`` as a complex number whose imaginary unit is written ``j`` (or ``i``), else None
    (``inf``, ``nan`` and words stay what ``float`` makes of them)."""
    text = text.strip().replace(" ", "")
    if not text or text[-1] not in "jJiI":
        return None
    try:
        return complex(text[:-1] + "j")
    except ValueError:
        return None


def check_domain(symbol, values, allow_infinite=False, lower=None, lower_open=None):
    """Raise a one-line :class:`UsageError` when ``values`` leave the parameter's domain.

    The domain comes from the symbol's assumptions (positive: > 0, nonnegative: >= 0), or from
    an explicit ``lower`` bound (open when ``lower_open``).  A complex value is refused for a
    parameter declared real; one with a zero imaginary part is its real part.
    """
    name = str(symbol)
    values = np.asarray(values)
    if np.iscomplexobj(values):
        nonreal = values.imag != 0
        if symbol.is_real and nonreal.any():
            raise UsageError(f"{name}={show_complex(values[nonreal].ravel()[0])}: {name} must be real")
        if nonreal.any():
            if not allow_infinite and not np.isfinite(values).all():
                raise UsageError(f"{name}=inf: {name} must be finite")
            return
        values = values.real
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
    return shown(value)


def shown(value):
    """A real value as the user wrote it, faithfully: the shortest text that reads back as the
    same double (``repr``), so that ``1.0000001`` is never shown as ``1`` (``:g`` keeps 6
    digits); a whole number without its ``.0``.

    >>> shown(1.0000001), shown(2.0), shown(1e300), shown(float("inf"))
    ('1.0000001', '2', '1e+300', 'inf')
    """
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def show_complex(value):
    """``1+0.5j`` for a complex value, ``2`` for a real one, each part as :func:`shown` writes
    it (faithful to the double)."""
    value = complex(value)
    if value.imag == 0:
        return shown(value.real)
    real = shown(value.real) if value.real != 0 else ""
    imag = shown(value.imag)
    if real and not imag.startswith("-"):
        imag = "+" + imag
    return f"{real}{imag}j"


def check_bounds(values, domain=None):
    """:func:`check_domain` for every ``{symbol: array}`` of ``values``, with the bounds and the
    parameters allowed to be infinite of ``domain`` (a :class:`derive.registry.Domain`).
    Without a domain only the symbols' assumptions are known, and ``inf`` is let through."""
    for symbol, array in values.items():
        if domain is None:
            check_domain(symbol, array, allow_infinite=True)
            continue
        lower, lower_open = domain.bounds.get(symbol, (None, None))
        check_domain(symbol, array, allow_infinite=symbol in domain.infinite, lower=lower,
                     lower_open=lower_open)


#: Points of a grid handed to a forbidden-combination check at once while its points are searched.
CHUNK = 256


def forbidden_points(validate, columns):
    """Where the points ``columns`` (``{symbol: 1-D array}``, one entry per point) are a
    combination of values ``validate`` forbids (a function of the :class:`~derive.registry.Domain`'s
    ``forbidden``): a boolean array over the points, and the first refusal (or None).

    ``validate`` is asked about chunks of the distinct points, and a chunk it refuses is halved
    until the refused points are found one by one; the parameters it does not need to refuse (it
    still refuses without them) are left out first, so that their values do not multiply the
    points to search.  A point that is refused on one parameter's value alone (a bound, as
    ``rank_ratio <= 1``) is not a combination: that refusal is raised, as on the command line.
    """
    names = list(columns)
    flat = {p: np.asarray(columns[p]).ravel() for p in names}
    size = len(flat[names[0]]) if names else 0
    if not size:
        return np.zeros(size, dtype=bool), None

    def refused(rows, among):
        try:
            validate({p: rows[:, i] for i, p in enumerate(among)})
        except UsageError as error:
            return error
        return None

    def chunks(rows):
        return (rows[start:start + CHUNK] for start in range(0, len(rows), CHUNK))

    everything = np.unique(np.column_stack([flat[p] for p in names]), axis=0)
    first = next((chunk for chunk in chunks(everything) if refused(chunk, names) is not None), None)
    if first is None:
        return np.zeros(size, dtype=bool), None
    needed = list(names)
    for p in names:
        fewer = [q for q in needed if q != p]
        try:
            if fewer and refused(first[:, [names.index(q) for q in fewer]], fewer) is not None:
                needed = fewer
        except Exception:  # a check that cannot do without p
            pass
    unique, inverse = np.unique(np.column_stack([flat[p] for p in needed]), axis=0, return_inverse=True)
    bad = np.zeros(len(unique), dtype=bool)
    found = []

    def search(low, high):
        error = refused(unique[low:high], needed)
        if error is None:
            return
        if high - low > 1:
            middle = (low + high) // 2
            search(low, middle)
            search(middle, high)
            return
        for i, p in enumerate(needed):
            try:
                validate({p: unique[low:high, i]})
            except UsageError:
                raise error from None
            except Exception:  # a check that needs its other parameters: not a bound
                pass
        bad[low] = True
        found.append(error)

    for start in range(0, len(unique), CHUNK):
        search(start, min(start + CHUNK, len(unique)))
    return bad[np.asarray(inverse).ravel()], (found[0] if found else None)


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
            raise UsageError(f"unknown parameter '{name}'{did_you_mean(name, by_name)} (parameters: {known})")
        if by_name[name] in values:
            raise UsageError(f"{name} is given twice ({name}={_given(words, name)} and {word}); give it once")
        values[by_name[name]] = parse_value(name, text)
    tied = {}
    for parameter in parameters:
        if parameter not in values and parameter in defaults:
            default = defaults[parameter]
            if default in values:
                tied[parameter] = default
                values[parameter] = values[default]
            elif isinstance(default, sp.Basic) and default.free_symbols:
                continue  # tied to a parameter not given: missing, and named as such below
            else:
                values[parameter] = np.atleast_1d(np.asarray(default, dtype=float))
    missing = [str(p) for p in parameters if p not in values and p not in defaults]
    if missing:
        raise UsageError(f"missing parameter {missing[0]} (give {', '.join(f'{m}=...' for m in missing)})")
    return values, tied


def _given(words, name):
    """The first value ``name=`` was given in ``words`` (for the message of a repeated one)."""
    for word in words:
        if word.split("=", 1)[0].strip() == name:
            return word.split("=", 1)[1]
    return "?"


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


__all__ = ["shown", "show_complex", "parse_value", "parse_assignments", "check_domain", "check_bounds", "forbidden_points",
           "product"]
