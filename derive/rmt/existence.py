"""Whether a spectral mean exists: linearity ``<f> + <g> = <f + g>`` needs both sides finite.

``<1/U> - <1/U - 1> = 1`` merges into ``<1> = 1`` and looks true, yet both means are infinite
(infinity minus infinity).  So the linearity method (:func:`derive.rmt.rules.spectral_linearity`)
merges only means that exist.  A mean ``<f>`` over a law exists when ``|f|`` is integrable; here
that is *established*, soundly and only sufficiently, when ``f`` is

* a mean a cited step gives a value (``<r> = 1``, or a mean equated to such a mean), times a
  constant, or
* such established integrands plus a constant plus a part that is **bounded on the support**:
  a probability law integrates every bounded function.

The support is what the bound variable assumes: ``[0, 1]`` for :class:`UniformMean`, ``[0, oo)``
for a positive or nonnegative variable, the real line for a real one (a variable of unknown
realness: no support is known, and only constants are bounded).  A rational integrand
``P/Q + polynomial`` is bounded when ``Q`` has no zero on the closed support (decided by sympy's
assumptions on ``Q`` at a nonnegative stand-in for the variable, or by counting real roots
exactly when ``Q`` has no parameters) and, on an unbounded support, its polynomial part lies in the
span of the established integrands' polynomial parts and 1.  sin, cos, tanh, atan, erf and sign of
a real argument are bounded, and sums, products, powers, ``exp`` and ``|.|`` of bounded parts are.
Everything else (a power ``u^-p`` with a symbolic exponent, ``log u``) is not established: the
linearity method then leaves the step to other methods.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

#: Functions bounded at every real argument.
BOUNDED_FUNCTIONS = (sp.sin, sp.cos, sp.tanh, sp.atan, sp.erf, sp.sign, sp.Heaviside)


def support(mean):
    """``"unit"`` for a uniform mean, else the sign the bound variable assumes: ``"nonnegative"``,
    ``"nonpositive"``, ``"real"``, or None when its realness is unknown."""
    from .spectral import UniformMean

    if isinstance(mean, UniformMean):
        return "unit"
    r = mean.variable
    if r.is_extended_nonnegative:
        return "nonnegative"
    if r.is_extended_nonpositive:
        return "nonpositive"
    if r.is_extended_real:
        return "real"
    return None


def no_zero(denominator, r, where):
    """Whether the polynomial ``denominator`` (in ``r``) has no zero on the closed support
    ``where``: a definite sign by sympy's assumptions at ``r = rho``, ``1 - rho`` or ``-rho``
    with ``rho >= 0`` (or real), or, without parameters, no real root there (counted exactly)."""
    if not denominator.has(r):
        return True
    if where is None:
        return False
    if denominator.free_symbols == {r}:
        poly = sp.Poly(denominator, r)
        bounds = {"unit": (0, 1), "nonnegative": (0, None), "nonpositive": (None, 0), "real": (None, None)}[where]
        return poly.count_roots(*bounds) == 0
    rho = sp.Dummy("rho", real=True) if where == "real" else sp.Dummy("rho", nonnegative=True)
    stand_ins = {"unit": (rho, 1 - rho), "nonnegative": (rho,), "nonpositive": (-rho,), "real": (rho,)}[where]
    for stand_in in stand_ins:
        value = denominator.xreplace({r: stand_in})
        for form in (value, sp.factor(value), sp.expand(value)):
            if form.is_positive or form.is_negative:
                return True
    return False


def _rational_parts(f, r):
    """``(polynomial part, numerator, denominator)`` of a rational function of ``r``, or None."""
    if not f.is_rational_function(r):
        return None
    numerator, denominator = sp.fraction(sp.cancel(sp.together(f)))
    try:
        quotient, remainder = sp.div(sp.Poly(numerator, r), sp.Poly(denominator, r))
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return None
    return quotient.as_expr(), remainder.as_expr(), denominator


def bounded(f, r, where):
    """Whether ``f`` is bounded for ``r`` on the support ``where`` (module docstring)."""
    if not f.has(r):
        return True
    if where is None:
        return False
    parts = _rational_parts(f, r)
    if parts is not None:
        polynomial, _, denominator = parts
        if not no_zero(denominator, r, where):
            return False
        return where == "unit" or not polynomial.has(r)
    if isinstance(f, (sp.Add, sp.Mul)):
        return all(bounded(a, r, where) for a in f.args)
    if isinstance(f, BOUNDED_FUNCTIONS):
        return all(a.is_extended_real for a in f.args)
    if isinstance(f, (sp.exp, sp.Abs)):
        return bounded(f.args[0], r, where)
    if isinstance(f, sp.Pow) and f.exp.is_positive and not f.exp.has(r):
        return bounded(f.base, r, where)
    return False


def integrable(f, r, where, established):
    """Whether ``<f>`` exists: ``f`` is ``c g`` for an established integrand ``g``, or a
    combination of established integrands plus a constant plus a bounded part (the polynomial
    parts of rational integrands matched coefficient by coefficient)."""
    if bounded(f, r, where):
        return True
    for g in established:
        if not sp.cancel(f / g).has(r):
            return True
    parts = _rational_parts(f, r)
    if parts is None or where in (None, "unit"):
        return False
    polynomial, _, denominator = parts
    if not no_zero(denominator, r, where):
        return False
    basis = []
    for g in established:
        g_parts = _rational_parts(g, r)
        if g_parts is not None and no_zero(g_parts[2], r, where):
            basis.append(g_parts[0])
    weights = sp.symbols(f"w0:{len(basis) + 1}")
    difference = sp.expand(polynomial - weights[-1] - sum(w * b for w, b in zip(weights, basis)))
    equations = sp.Poly(difference, r).coeffs() if difference.has(r) else [difference]
    return bool(sp.solve(equations, weights, dict=True))


def established_means(premises, substitute=lambda e: e):
    """The means a cited step gives a value: one side of an equality is a mean (times a
    constant), the other holds no mean, or a mean already established; a definition gives a
    value only to a mean it defines (``<r> := 5``), not to one that it names (``M := <1/r>``).  ``substitute`` applies the bindings to each statement."""
    from ..step import DEFINITION
    from .spectral import SpectralMean

    pairs = []
    for p in premises:
        statement = p.statement
        if not isinstance(statement, sp.Equality):
            continue
        sides = [sp.sympify(substitute(side)) for side in (statement.lhs, statement.rhs)]
        left, right = (_single_mean(side) for side in sides)
        if getattr(p, "kind", None) == DEFINITION:
            # <r> := 5 gives the mean a value; M := <1/r> only names it (M may be infinite).
            if left is None or isinstance(statement.lhs, AppliedUndef):
                continue
            right = None
        pairs.append((left, right, *sides))
    found = set()
    changed = True
    while changed:
        changed = False
        for left, right, lhs, rhs in pairs:
            for mine, other_mean, other in ((left, right, rhs), (right, left, lhs)):
                if mine is None or mine in found:
                    continue
                if (not other.has(SpectralMean) and not other.has(sp.zoo, sp.oo, -sp.oo, sp.nan)) \
                        or (other_mean is not None and other_mean in found):
                    found.add(mine)
                    changed = True
    return found


def _single_mean(side):
    """The mean ``side`` is a constant multiple of, or None."""
    from .spectral import SpectralMean

    means = side.atoms(SpectralMean)
    if len(means) != 1:
        return None
    (mean,) = means
    factor = sp.cancel(side / mean)
    if factor.has(SpectralMean) or factor == 0 or any(isinstance(a, AppliedUndef) for a in sp.preorder_traversal(factor)):
        return None
    return mean


def mean_exists(mean, established):
    """Whether ``<f>`` exists, given the established means (module docstring)."""
    same_law = [e.integrand.xreplace({e.variable: mean.variable}) for e in established
                if type(e) is type(mean) and e.law == mean.law]
    return integrable(mean.integrand, mean.variable, support(mean), same_law)
