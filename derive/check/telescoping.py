"""Finite sums with a symbolic limit, proved by induction on the limit.

A statement ``R(n) = sum_i c_i S_i(n) + G(n) = 0`` in which every ``S_i(n) = Sum(f_i(k), (k, a_i,
n + s_i))`` runs to the integer ``n`` (shifted by an integer ``s_i``), with ``f_i``, ``a_i`` and
the coefficients ``c_i`` free of ``n``, holds for every integer ``n`` when

1. the **increment** vanishes identically: ``R(n) - R(n - 1) = sum_i c_i f_i(n + s_i) + G(n) -
   G(n - 1) = 0``, since ``S_i(n) - S_i(n - 1) = f_i(n + s_i)`` for *every* integer ``n`` under
   sympy's (Karr's) convention for sums over reversed ranges; and
2. the **base** holds: ``R(n0) = 0`` at one integer ``n0``, where the sums have finitely many
   terms (``n0 = a - 1 - s`` makes a sum empty).

Both are decided by the kernel: exact algebra (:func:`derive.check.kernel.exact.is_zero`, a
proof), or else certified evaluation at sampled points
(:func:`derive.check.kernel.evidence.confirm_zero`, sampled evidence, and the verdict says so).
A rational increment that vanishes proves ``R`` constant wherever it is defined (a rational
function of period 1 is constant), so poles do not break the chain.  Nothing here asks sympy to
evaluate a sum (``summation``, ``doit``).

>>> import sympy as sp
>>> k, n = sp.symbols("k n", integer=True)
>>> prove(sp.Sum(k**3, (k, 1, n)) - (n * (n + 1) / 2)**2)
('exact', 'exact')
>>> prove(sp.Sum(k**3, (k, 1, n + 1)) - (n * (n + 1) / 2)**2) is None
True
"""

from __future__ import annotations

import sympy as sp

from ..binders import substitute
from .kernel import evidence, exact

#: A base case with more terms than this is not expanded.
MAX_BASE_TERMS = 64


def _limit_symbol(sums):
    """The one integer symbol ``n`` every sum runs to (``n + s``, ``s`` an integer), or None."""
    found = set()
    for s in sums:
        if len(s.limits) != 1:
            return None
        k, lower, upper = s.limits[0]
        symbols = upper.free_symbols
        if len(symbols) != 1:
            return None
        n = next(iter(symbols))
        if not (n.is_integer and (upper - n).is_Integer) or lower.has(n) or s.function.has(n):
            return None
        found.add(n)
    return found.pop() if len(found) == 1 else None


def prove(residual):
    """``(increment, base)``, each 'exact' or 'sampled', when ``residual = 0`` follows by
    induction on the sums' common limit (module docstring); None when it is not of that shape
    or the kernel does not confirm both."""
    residual = sp.sympify(residual)
    sums = sorted(residual.atoms(sp.Sum), key=sp.default_sort_key)
    if not sums or any(s.has(sp.oo, -sp.oo) for s in sums):
        return None
    n = _limit_symbol(sums)
    if n is None:
        return None
    names = {s: sp.Dummy("S") for s in sums}
    linear = residual.xreplace(names)
    if linear.has(sp.Sum):
        return None  # a sum nested in something else
    coefficients = {s: linear.diff(names[s]) for s in sums}
    if any(c.has(n, *names.values()) for c in coefficients.values()):
        return None  # R must be linear in the sums with coefficients free of n
    rest = linear.subs({d: 0 for d in names.values()})
    increment = rest - substitute(rest, {n: n - 1})
    for s, c in coefficients.items():
        k, _, upper = s.limits[0]
        increment += c * substitute(s.function, {k: upper})
    if any(_pole_in_range(s) for s in sums):
        return None
    step = evidence.how_zero(increment)
    if step is None or (step == "sampled" and increment.has(*_JUMPS)):
        # A function with jumps can vanish at every sampled n and not at n = 10^45
        # (floor(n/10^45)): only exact algebra decides such an increment.
        return None
    # The base: the integer n0 at which the sum with the largest start is empty.
    starts = [s.limits[0][1] - (s.limits[0][2] - n) for s in sums]
    if all(a.is_Integer for a in starts):
        n0 = max(starts) - 1
    elif len(set(starts)) == 1:
        n0 = starts[0] - 1
    else:
        return None
    base = residual.xreplace({s: _expanded(s, n, n0) for s in sums})
    if base is None or base.has(sp.Sum):
        return None
    base = substitute(base, {n: n0})
    decided = evidence.how_zero(base)
    return (step, decided) if decided else None


#: Functions of an integer that are not analytic in it: sampling can miss where they change.
_JUMPS = (sp.floor, sp.ceiling, sp.frac, sp.Mod, sp.Heaviside, sp.sign, sp.Abs, sp.Piecewise, sp.Max,
          sp.Min, sp.KroneckerDelta, sp.DiracDelta)


def _pole_in_range(s):
    """Whether the summand may be infinite at an integer of the range ``k >= a``: there the sum
    is undefined, whatever the increment says.  Decided exactly for a denominator that is a
    polynomial in ``k`` with rational coefficients (its rational roots, from FLINT's
    factorisation, are all its integer roots); any other denominator that depends on ``k``
    (a parameter ``1/(k + x)``, a transcendental one) is taken to have one."""
    k, lower, _ = s.limits[0]
    denominator = sp.fraction(sp.together(s.function))[1]
    if not denominator.has(k):
        return False
    factors = exact.rational_factors(denominator, k)
    if factors is None:
        return True
    for factor in factors:
        if factor.degree() == 1:
            b, a = int(factor[0]), int(factor[1])  # the root -b/a
            if b % a == 0 and (not lower.is_Integer or -b // a >= int(lower)):
                return True
    return False


def _expanded(s, n, n0):
    """``s`` at ``n = n0`` as its finitely many terms (Karr's convention for a reversed range)."""
    k, lower, upper = s.limits[0]
    upper = substitute(upper, {n: n0})
    count = sp.expand(upper - lower + 1)
    if not count.is_Integer or abs(int(count)) > MAX_BASE_TERMS:
        return s
    if count >= 0:
        return sp.Add(*[substitute(s.function, {k: lower + i}) for i in range(int(count))])
    # Sum_{a}^{b} = -Sum_{b+1}^{a-1} when b < a - 1
    return -sp.Add(*[substitute(s.function, {k: upper + 1 + i}) for i in range(-int(count))])


def proof(residual, relations, premises, bindings):
    """A proof method for :data:`derive.check.runner.PROOF_METHODS`: ``(method, evidence)``."""
    found = prove(residual)
    if found is None:
        return None
    step, base = found
    how = "exact algebra" if (step, base) == ("exact", "exact") else \
        "the increment and the base confirmed by " + " and ".join(
            f"{part}: {'exact algebra' if v == 'exact' else 'certified evaluation (Arb) at sampled points'}"
            for part, v in (("increment", step), ("base", base)))
    return ("induction on the sums' limit",
            f"R(n) - R(n - 1) = 0 (each sum's increment its last term, for every integer n by Karr's convention) "
            f"and R = 0 at one n; {how}")
