"""Real-algebraic decisions: do polynomial sign conditions imply another?

The kernel's procedure for order relations and branch conditions between algebraic quantities.
Hypotheses and claim are relations between rational functions of real symbols; the question
"every real point satisfying the hypotheses satisfies the claim" is asked of Z3's nonlinear real
arithmetic (nlsat, a complete decision procedure for the first-order theory of the reals) as
the unsatisfiability of *hypotheses and not claim*.  A rational function ``p/q`` compared with
0 is ``p q`` compared with 0 with ``q != 0``, so that no division reaches the solver.  The
solver's effort is bounded by a resource count (``rlimit``), never by the clock: the same
question gets the same answer on a busy machine.

>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> implies([x > 0, y > 0], (x + y)**2 >= 4*x*y)
True
>>> implies([x > 0], x**2 > 1)
False
>>> implies([], sp.Gt(1/(x**2 + 1), 0))
True
"""

from __future__ import annotations

import sympy as sp
import z3
from sympy.core.relational import Relational

#: ``lhs - rhs op 0`` as sympy's relation, for every operator a step can state.
RELATIONS = {"==": sp.Eq, "!=": sp.Ne, "<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge}

#: Z3's resource limit per question: deterministic, unlike a timeout.
RLIMIT = 2_000_000


def _positive(constant):
    """Whether Arb certifies the real constant positive."""
    from .balls import NoEnclosure, enclose

    try:
        ball = enclose(constant, {}, 256)
    except (NoEnclosure, ArithmeticError, ValueError):
        return False
    return bool(ball.imag == 0 and ball.real > 0)


def _heaviside(v, u, at_zero=sp.S.Half):
    at_zero = z3.RealVal(f"{sp.Rational(at_zero).p}/{sp.Rational(at_zero).q}")
    return [z3.Implies(u > 0, v == 1), z3.Implies(u < 0, v == 0), z3.Implies(u == 0, v == at_zero)]


#: The side facts that pin each function's value ``v`` (sympy's conventions: ``sign(0) = 0``,
#: ``Heaviside(0) = 1/2`` unless given).  ``sign`` and ``Heaviside`` see a term with the sign
#: of their argument (:meth:`_Translator.sign_of`).
_DEFINED = {
    sp.floor: lambda v, u: [v <= u, u < v + 1],
    sp.ceiling: lambda v, u: [v - 1 < u, u <= v],
    sp.Abs: lambda v, u: [v >= 0, v * v == u * u],
    sp.Max: lambda v, *us: [z3.And([v >= u for u in us]), z3.Or([v == u for u in us])],
    sp.Min: lambda v, *us: [z3.And([v <= u for u in us]), z3.Or([v == u for u in us])],
    sp.sign: lambda v, u: [z3.Implies(u > 0, v == 1), z3.Implies(u < 0, v == -1), z3.Implies(u == 0, v == 0)],
    sp.Heaviside: lambda v, u, *at_zero: _heaviside(v, u, *[sp.Rational(str(a)) for a in at_zero]),
}


#: The functions the translator pins by side facts (:meth:`_Translator.defined`).
PINNED = tuple(_DEFINED)


class NotPolynomial(ValueError):
    """A relation that is not between rational functions of real symbols."""


class _Translator:
    def __init__(self):
        self.variables = {}
        self.radicals = {}
        self.nonzero = []

    def symbol(self, s):
        if not s.is_extended_real:
            raise NotPolynomial(f"{s} is not declared real")
        if s.is_finite is not True:
            # extended_real admits +-oo, where 1/(x^2 + 1) > 0 fails: not a question of the reals.
            raise NotPolynomial(f"{s} may be infinite (declared extended real)")
        if s not in self.variables:
            # An integer as an Int seen as a real: Z3 then reasons over the integers (a Real
            # with IsInt alone often leaves it at 'unknown').
            self.variables[s] = (z3.ToReal(z3.Int(f"v{len(self.variables)}")) if s.is_integer
                                 else z3.Real(f"v{len(self.variables)}"))
        return self.variables[s]

    def radical(self, expr):
        """A positive real root of a positive rational, ``c^(p/q)`` (``sqrt 2``), as a Z3 variable
        ``v > 0`` with ``v^q = c^p``: its one positive solution, so the term is exact."""
        if expr not in self.radicals:
            v = z3.Real(f"r{len(self.radicals)}")
            base, exponent = expr.base, expr.exp
            power = base ** exponent.p
            self.radicals[expr] = v
            self.nonzero.append(v > 0)
            self.nonzero.append(z3.Product([v] * int(exponent.q)) == z3.RealVal(f"{power.p}/{power.q}"))
        return self.radicals[expr]

    def defined(self, expr):
        """A function with jumps or kinks of a rational function (``floor``, ``ceiling``,
        ``|u|``, ``max``, ``min``, ``sign``, ``Heaviside``) as a fresh Z3 variable pinned to its
        one value by side facts: ``f = floor(u)`` is the integer with ``f <= u < f + 1``,
        ``v = |u|`` has ``v >= 0`` and ``v^2 = u^2``, and so on; each set of facts has exactly
        one solution at every point where ``u`` is defined, so nothing is assumed.  None for
        any other node."""
        kind = type(expr)
        if kind not in _DEFINED:
            return None
        if expr not in self.radicals:
            arguments = [self.sign_of(a) if kind in (sp.sign, sp.Heaviside) and i == 0 else self.polynomial(a)
                         for i, a in enumerate(expr.args)]
            if kind in (sp.floor, sp.ceiling):
                v = z3.ToReal(z3.Int(f"f{len(self.radicals)}"))
            else:
                v = z3.Real(f"d{len(self.radicals)}")
            self.radicals[expr] = v
            self.nonzero.extend(_DEFINED[kind](v, *arguments))
        return self.radicals[expr]

    def constant_root(self, expr):
        """``c^(p/q)`` for a constant ``c > 0`` (certified by Arb) that the translator writes
        itself: ``v > 0`` with ``v^q = c^p``, its one positive solution."""
        if expr not in self.radicals:
            v = z3.Real(f"c{len(self.radicals)}")
            base, exponent = self.polynomial(expr.base), expr.exp
            self.radicals[expr] = v
            power = z3.Product([base] * abs(int(exponent.p))) if exponent.p != 0 else z3.RealVal(1)
            self.nonzero.append(v > 0)
            if exponent.p > 0:
                self.nonzero.append(z3.Product([v] * int(exponent.q)) == power)
            else:
                self.nonzero.append(z3.Product([v] * int(exponent.q)) * power == 1)
        return self.radicals[expr]

    def polynomial(self, expr):
        """``expr`` (a polynomial in the symbols, real radicals of rationals and the functions
        :meth:`defined` pins) as a Z3 term."""
        if expr.is_Symbol:
            return self.symbol(expr)
        found = self.defined(expr)
        if found is not None:
            return found
        if expr.is_Rational:
            return z3.RealVal(f"{expr.p}/{expr.q}")
        if (expr.is_Pow and expr.base.is_Rational and expr.base > 0 and expr.exp.is_Rational
                and not expr.exp.is_Integer and abs(expr.exp.p) <= 8 and expr.exp.q <= 8):
            if expr.exp < 0:
                return 1 / self.radical(sp.Pow(expr.base, -expr.exp, evaluate=False))
            return self.radical(expr)
        if (expr.is_Pow and not expr.base.is_Rational and not expr.base.free_symbols and expr.exp.is_Rational
                and not expr.exp.is_Integer and abs(expr.exp.p) <= 8 and expr.exp.q <= 8 and _positive(expr.base)):
            # a root of an algebraic constant (sqrt(5 + 2 sqrt 6)): its one positive solution
            return self.constant_root(expr)
        if expr.is_Add:
            return z3.Sum([self.polynomial(a) for a in expr.args])
        if expr.is_Mul:
            return z3.Product([self.polynomial(a) for a in expr.args])
        if expr.is_Pow and expr.exp.is_Integer and expr.exp >= 0:
            base = self.polynomial(expr.base)
            return z3.Product([base] * int(expr.exp)) if expr.exp > 0 else z3.RealVal(1)
        raise NotPolynomial(f"{expr} is not polynomial")

    def sign_of(self, expr):
        """A Z3 term with the sign of the rational function ``expr``, and its denominator's
        nonvanishing recorded among the side facts."""
        numerator, denominator = sp.fraction(sp.together(expr))
        p = self.polynomial(sp.expand(numerator))
        if denominator == 1:
            return p
        q = self.polynomial(sp.expand(denominator))
        self.nonzero.append(q != 0)
        return p * q

    def relation(self, relation):
        if relation is sp.true:
            return z3.BoolVal(True)
        if relation is sp.false:
            return z3.BoolVal(False)
        if isinstance(relation, sp.And):
            return z3.And([self.relation(r) for r in relation.args])
        if isinstance(relation, sp.Or):
            return z3.Or([self.relation(r) for r in relation.args])
        if isinstance(relation, sp.Not):
            return z3.Not(self.relation(relation.args[0]))
        if not isinstance(relation, Relational):
            raise NotPolynomial(f"{relation} is not a relation")
        term = self.sign_of(relation.lhs - relation.rhs)
        ops = {"==": term == 0, "!=": term != 0, ">": term > 0, ">=": term >= 0, "<": term < 0, "<=": term <= 0}
        return ops[relation.rel_op]


def _assumptions(symbols, translator):
    facts = []
    for s in symbols:
        v = translator.symbol(s)
        if s.is_positive:
            facts.append(v > 0)
        elif s.is_nonnegative:
            facts.append(v >= 0)
        elif s.is_negative:
            facts.append(v < 0)
        elif s.is_nonpositive:
            facts.append(v <= 0)
        if s.is_zero is False and not (s.is_positive or s.is_negative):
            facts.append(v != 0)
        if s.is_integer:
            facts.append(z3.IsInt(v))
        if s.is_even or s.is_odd:
            half = z3.Int(f"h{len(translator.variables)}_{len(facts)}")
            facts.append(v == 2 * z3.ToReal(half) + (1 if s.is_odd else 0))
    return facts


def implies(hypotheses, claim, rlimit=RLIMIT):
    """True when every real point satisfying ``hypotheses`` (and the symbols' sign and integer
    assumptions) satisfies ``claim``, where the rational functions are defined; False when Z3
    finds a point that does not; None when it cannot tell (a relation that is not polynomial in
    real symbols, or the resource limit).
    """
    return _decide(hypotheses, claim, rlimit)[0]


def counterexample(hypotheses, claim, rlimit=RLIMIT, digits=20):
    """``(answer, point)``: :func:`implies`'s answer, and when it is False the point Z3 found
    (symbol -> exact value: a sympy rational, or a float approximating an algebraic number Z3
    holds exactly, to ``digits`` digits), where the hypotheses hold and the claim does not; ``point`` is None
    otherwise.  The point is Z3's model of *hypotheses and not claim*: nlsat decides the
    sentence exactly, so the point is a certified witness (its printed digits may round it).

    >>> x = sp.Symbol("x", real=True)
    >>> counterexample([x > 1], x**2 > 4)[0]
    False
    """
    answer, model, variables = _decide(hypotheses, claim, rlimit, keep_model=True)
    if answer is not False or model is None:
        return answer, None
    # Z3 knows realness, sign, integrality and parity; a point must have every other fact the
    # symbols assume too (prime, irrational, ...), or it is no witness.
    from ...sampling import satisfies
    point = {}
    for symbol, variable in variables.items():
        value = model.eval(variable, model_completion=True)
        if z3.is_rational_value(value):
            point[symbol] = sp.Rational(value.numerator_as_long(), value.denominator_as_long())
        else:  # an algebraic number: ``digits`` correct digits of it
            point[symbol] = sp.Float(value.approx(digits).as_decimal(digits).rstrip("?"), digits)
    if not all(satisfies(s, v) for s, v in point.items() if v.is_Rational):
        return None, None
    return answer, point


def _decide(hypotheses, claim, rlimit, keep_model=False):
    """``(answer, model or None, symbol -> Z3 variable)`` for :func:`implies`."""
    hypotheses = [sp.sympify(h) for h in hypotheses]
    claim = sp.sympify(claim)
    translator = _Translator()
    try:
        facts = [translator.relation(h) for h in hypotheses]
        goal = translator.relation(claim)
        symbols = set(claim.free_symbols).union(*(h.free_symbols for h in hypotheses))
        facts += _assumptions(sorted(symbols, key=str), translator)
    except NotPolynomial:
        return None, None, {}
    solver = z3.Solver()
    solver.set("rlimit", rlimit)
    solver.add(*facts, *translator.nonzero, z3.Not(goal))
    answer = solver.check()
    if answer == z3.unsat:
        return True, None, translator.variables
    if answer == z3.sat:
        return False, (solver.model() if keep_model else None), translator.variables
    return None, None, translator.variables
