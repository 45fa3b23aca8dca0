"""Exact algebra: is an expression the zero rational function of its generators?

The kernel's proof procedure for identities that hold by algebra alone.  The expression is read
as a rational function over the rationals in *generators*: its symbols, and every subexpression
that is not a sum, product or integer power (``sin(x)``, ``M(x)``, ``x**(1/2)``, an unevaluated
integral), each distinct subexpression one indeterminate; ``x**(p/q)`` is ``(x**(1/q))**p``,
``x**(-2 a)`` is ``(x**a)**(-2)``, and ``I`` an indeterminate reduced by ``I**2 = -1``.  Numerator and denominator are FLINT
polynomials (``fmpq_mpoly``).  If the numerator is the zero polynomial, the expression is 0
for *every* value of the generators, so for every value of the symbols where its denominators
do not vanish: a proof, which needs no sampling and no trust in sympy's ``simplify``.  A
nonzero numerator proves nothing (the generators may be related: ``sin(x)**2 + cos(x)**2``),
and the step goes on to the other procedures.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> is_zero((x + y)**2 / (x + y) - x - y)
True
>>> is_zero(sp.sin(x)**2 + sp.cos(x)**2 - 1)
False
>>> is_zero(sp.I**2 + 1 + sp.sqrt(x)**3 - x*sp.sqrt(x))
True
"""

from __future__ import annotations

import sympy as sp
from flint import fmpq, fmpq_mpoly_ctx, fmpq_poly

#: Expressions with more generators or a larger tree than this are not tried (a huge rational
#: function of nested radicals can take longer than sampling settles it in).
MAX_GENERATORS = 60
MAX_NODES = 20_000
#: Integer powers above this are not expanded.
MAX_EXPONENT = 64


class _TooLarge(Exception):
    pass


def _split_power(expr):
    """``(base, n)`` with ``expr = base**n``, n an integer and ``base`` a generator or a sub-tree.

    ``x**(p/q)`` is ``(x**(1/q))**p``, and ``x**(-2 a)`` is ``(x**a)**(-2)``: on the principal
    branch ``x**(c e) = exp(c e log x) = (x**(e/q))**p`` for a rational ``c = p/q``.
    """
    base, exponent = expr.args
    if exponent.is_Integer:
        return base, int(exponent)
    coefficient, rest = exponent.as_coeff_Mul()
    if coefficient.is_Rational and coefficient.p != 1:
        return sp.Pow(base, rest / coefficient.q, evaluate=False), int(coefficient.p)
    return expr, 1


def _generators(expr, found, count=None):
    count = count if count is not None else [0]
    count[0] += 1
    if count[0] > MAX_NODES:
        raise _TooLarge
    if expr.is_Rational:
        return
    if expr is sp.I:
        found.setdefault(sp.I, len(found))
        return
    if expr.is_Add or expr.is_Mul:
        for arg in expr.args:
            _generators(arg, found, count)
        return
    if expr.is_Pow:
        base, n = _split_power(expr)
        if base is not expr:
            if abs(n) > MAX_EXPONENT:
                raise _TooLarge
            _generators(base, found, count)
            return
    found.setdefault(expr, len(found))
    if len(found) > MAX_GENERATORS:
        raise _TooLarge


class _RationalFunctions:
    """Numerator/denominator pairs of FLINT polynomials in a fixed set of generators."""

    def __init__(self, generators):
        self.index = generators
        names = tuple(f"g{i}" for i in range(max(1, len(generators))))
        self.ctx = fmpq_mpoly_ctx.get(names, "lex")
        self.gens = self.ctx.gens()
        self.one = self.ctx.from_dict({(0,) * len(names): 1})

    def constant(self, value):
        return self.ctx.from_dict({(0,) * len(self.gens): fmpq(int(value.p), int(value.q))})

    def read(self, expr):
        if expr.is_Rational:
            return self.constant(expr), self.one
        if expr.is_Add:
            num, den = self.read(expr.args[0])
            for arg in expr.args[1:]:
                n, d = self.read(arg)
                if d == den:
                    num = num + n
                else:
                    num, den = num * d + n * den, den * d
            return self._reduced(num, den)
        if expr.is_Mul:
            num, den = self.one, self.one
            for arg in expr.args:
                n, d = self.read(arg)
                num, den = num * n, den * d
            return self._reduced(num, den)
        if expr.is_Pow:
            base, n = _split_power(expr)
            if base is not expr:
                num, den = self.read(base)
                if n < 0:
                    if num.is_zero():
                        raise ZeroDivisionError
                    num, den, n = den, num, -n
                return num ** n, den ** n
        return self.gens[self.index[expr]], self.one

    @staticmethod
    def _reduced(num, den):
        if num.is_zero():
            return num, den.context().from_dict({(0,) * den.context().nvars(): 1})
        common = num.gcd(den)
        if not common.is_one():
            num, den = num / common, den / common
        return num, den

    def reduce_imaginary_unit(self, poly):
        """``poly`` with ``I**2 = -1`` applied, if ``I`` is a generator."""
        if sp.I not in self.index:
            return poly
        k = self.index[sp.I]
        reduced = {}
        for monomial, coefficient in poly.to_dict().items():
            e = monomial[k]
            sign = -1 if (e // 2) % 2 else 1
            key = monomial[:k] + (e % 2,) + monomial[k + 1:]
            reduced[key] = reduced.get(key, 0) + sign * coefficient
        return self.ctx.from_dict({m: c for m, c in reduced.items() if c != 0})


#: A prime ``p = 1 (mod 4)`` (the largest below 2^64) and a square root of -1 modulo it, for
#: :func:`_nonzero_image`.
PRIME = 2**64 - 59
_I_MOD_PRIME = next(c for c in (pow(g, (PRIME - 1) // 4, PRIME) for g in range(2, 100)) if c * c % PRIME == PRIME - 1)


def _residue(expr, values):
    """``expr`` modulo :data:`PRIME` with each generator at ``values[generator]`` and ``I`` at a
    square root of -1: the image of the rational function :class:`_RationalFunctions` reads,
    under a ring homomorphism.  ValueError where a denominator vanishes modulo the prime."""
    if expr.is_Rational:
        return int(expr.p) * pow(int(expr.q), -1, PRIME) % PRIME
    if expr.is_Add:
        return sum(_residue(arg, values) for arg in expr.args) % PRIME
    if expr.is_Mul:
        product = 1
        for arg in expr.args:
            product = product * _residue(arg, values) % PRIME
        return product
    if expr.is_Pow:
        base, n = _split_power(expr)
        if base is not expr:
            value = _residue(base, values)
            return pow(value, n, PRIME) if n >= 0 else pow(pow(value, -1, PRIME), -n, PRIME)
    return values[expr]


def _nonzero_image(expr, generators):
    """Whether ``expr`` is certainly *not* the zero rational function: its image modulo a prime,
    at a random point of the generators (``I`` at a square root of -1, so ``I**2 = -1`` holds
    there too), is not 0.  The zero function's image is 0 at every point, so a nonzero image is
    a proof; a 0 (a point on the zero set, probability about degree/2^64) proves nothing.  Cheap
    where the normal form is not: a numerator GCD of a large expression takes minutes."""
    import random

    draw = random.Random(len(generators))   # any point will do: a fixed one keeps runs repeatable
    values = {g: (_I_MOD_PRIME if g is sp.I else draw.randrange(1, PRIME)) for g in generators}
    try:
        return _residue(expr, values) != 0
    except (ValueError, KeyError, RecursionError):   # a denominator 0 modulo the prime: no image here
        return False


def is_zero(expr):
    """True when ``expr`` is the zero rational function of its generators (a proof that it
    vanishes wherever it is defined); False when that is not shown."""
    expr = sp.sympify(expr)
    if expr.is_zero is True and expr.is_number and expr == 0:
        return True
    generators = {}
    try:
        _generators(expr, generators)
        if _nonzero_image(expr, generators):
            return False
        functions = _RationalFunctions(generators)
        num, _ = functions.read(expr)
        return functions.reduce_imaginary_unit(num).is_zero()
    except (_TooLarge, ZeroDivisionError, RecursionError):
        return False


def rational_factors(expr, x):
    """The irreducible factors over the integers (FLINT's ``fmpz_poly``, without multiplicities)
    of ``expr``, a nonzero polynomial in ``x`` with rational coefficients; None when it is not
    one.  Its rational roots are those of the linear factors ``a x + b``: ``-b/a``.

    >>> x = sp.Symbol("x")
    >>> [str(f) for f in rational_factors(x**3 - 2*x**2 - 2*x + 4, x)]
    ['x + (-2)', 'x^2 + (-2)']
    """
    try:
        poly = sp.Poly(expr, x)
    except sp.PolynomialError:
        return None
    if not all(c.is_Rational for c in poly.all_coeffs()):
        return None
    flint_poly = fmpq_poly([fmpq(int(c.p), int(c.q)) for c in reversed(poly.all_coeffs())])
    if flint_poly.is_zero():
        return None
    return [factor for factor, _ in flint_poly.numer().factor()[1]]
