"""Random admissible points: values for free symbols that respect assumptions and side conditions.

The numeric checker, the limit and series checks and the branch checks evaluate statements at
such points, so *where* they sample decides what they can see.  The rules:

* **Magnitudes across orders.**  A positive symbol is drawn log-uniformly, most often in
  [1/10, 10], otherwise in [1e-4, 1e4] and now and then in [1e-12, 1e12]; one draw in ten is a
  special value (1, 2, 1/2, 3) where formulas tend to break; a real one the same with a random
  sign.  A statement true only on part of the real line (``|x - 4| = 4 - x``) is then seen to fail.
* **Integers of any size, exactly.**  An integer symbol is an exact ``int`` of 1, 1-2, 2-4, 5-12
  or 13-40 digits (:data:`INTEGER_DIGITS`), made even, odd, prime or composite as assumed, so a
  claim true below some bound (``floor(n/10^7) = 0``) fails.
* **Every assumption.**  A value is kept only when :func:`satisfies` confirms that the exact number
  it stands for has every fact sympy states of its symbol: imaginary is i times a nonzero real,
  extended_positive is drawn as positive, irrational as q sqrt(2) or q pi (an :class:`Exact`), ...
* **Every argument of a complex number.**  A symbol with no realness assumption is drawn as
  ``r e^{i theta}`` with ``r`` as above and ``theta`` uniform in (-pi, pi], so sums of
  arguments leave the principal strip (``log(ab) = log a + log b`` fails); one draw in seven
  lies exactly on the real or the imaginary axis, where the principal branch cuts are
  (``log(1/z) = -log z`` fails on the negative axis).
* **Close to each condition's boundary.**  A quarter of the points are moved, one symbol at a
  time, to relative distances 1e-2 .. 1e-12 inside a side condition's boundary (found by
  bisection between a point where it holds and one where it does not).  A claim made for
  ``gamma < 3/2`` that holds only for ``gamma < 1`` is tested at gamma = 1.4999.
* **A seed per statement** (:func:`statement_seed`), so two statements are not tested at the
  same points.

Whole points are kept only when every side condition holds.  Values are exact binary floats,
so the same point can be evaluated at any working precision.
"""

from __future__ import annotations

import cmath
import functools
import hashlib
import itertools
import math

import mpmath
import sympy as sp

from .binders import substitute

#: Rejection sampling gives up after this many draws per requested point.
MAX_TRIES_PER_POINT = 500
#: Draws per point asked for before the bands are also drawn at random (``_admissible_points``).
STRATIFIED_TRIES_PER_POINT = 100


#: Share of a complex symbol's draws put exactly on the real or the imaginary axis.
AXIS_SHARE = 0.15
#: Values a formula often breaks at (a removable singularity, a boundary of a regime).
SPECIAL = (1.0, 2.0, 0.5, 3.0)
#: Magnitude bands, as ranges of log10; a point's symbols are spread over them (stratified), so
#: that 20 points always include tiny, large and special values of every symbol.
BANDS = ("special", (-1.0, 1.0), (-1.0, 1.0), (1.0, 4.0), (-4.0, -1.0), (4.0, 12.0), (-12.0, -4.0))


def magnitude(rng, band=None, turn=None):
    """A positive number drawn from ``band`` (an entry of :data:`BANDS`; random if None); the
    special band gives the special values in turn (``turn``) or at random."""
    if band is None:
        band = BANDS[int(rng.integers(len(BANDS)))]
    if band == "special":
        return SPECIAL[turn % len(SPECIAL) if turn is not None else int(rng.integers(len(SPECIAL)))]
    return 10.0 ** rng.uniform(*band)


#: Integer sizes, as ranges of the number of decimal digits, matched to :data:`BANDS` by position:
#: a tiny magnitude means nothing for an integer, so the band of the tiniest reals reaches the
#: huge integers (13 to 40 digits, exact), where parity, (-1)^n and big-integer identities are
#: exercised, and a claim true only below some bound (floor(n/10^7) = 0) is seen to fail.
INTEGER_DIGITS = {"special": (0, 1), (-1.0, 1.0): (1, 1), (1.0, 4.0): (2, 4), (-4.0, -1.0): (1, 2),
                  (4.0, 12.0): (5, 12), (-12.0, -4.0): (13, 40)}
#: Tries at a value satisfying every assumption, per drawn value (most kinds succeed at once).
MAX_DRAW_TRIES = 200


class Unsampleable(ValueError):
    """A symbol no finite number satisfies (assumed ``infinite``, or ``polar``, which lives on the
    Riemann surface of log), or whose assumptions no drawn value met (they are inconsistent)."""


def _integer_size(rng, band):
    """A nonnegative integer with the number of digits ``band`` calls for (:data:`INTEGER_DIGITS`),
    exact at any size: built digit block by digit block, never through a float (whose low bits
    are zeros, so that every large one would be even)."""
    if band is None:
        band = BANDS[int(rng.integers(len(BANDS)))]
    low, high = INTEGER_DIGITS[band]
    if high <= 1:
        return int(rng.integers(0, 9 if band == "special" else 10))
    digits = int(rng.integers(low, high + 1))
    value = int(rng.integers(1, 10))
    for _ in range(digits - 1):
        value = 10 * value + int(rng.integers(0, 10))
    return value


def _sign_of(symbol, rng, sign):
    """+1 or -1: the sign ``symbol`` assumes (extended ones as their finite counterparts), else
    ``sign`` when given, else random."""
    if symbol.is_extended_nonnegative:
        return 1
    if symbol.is_extended_nonpositive:
        return -1
    return sign or (1 if rng.random() < 0.5 else -1)


def _integer_candidate(symbol, rng, band, sign):
    """An exact ``int`` of the size ``band`` calls for, made prime, composite, even or odd as
    ``symbol`` assumes (by moving to the next such integer, not by rejection: a 40-digit prime
    is not hit by chance)."""
    size = _integer_size(rng, band)
    if symbol.is_prime:
        return int(sp.nextprime(max(size, 2) - 1))
    if symbol.is_composite:
        size = max(size, 4)
        while sp.isprime(size):
            size += 1
        return size
    value = _sign_of(symbol, rng, sign) * size
    if symbol.is_even:
        value -= value % 2
    elif symbol.is_odd:
        value += 1 - value % 2
    return value


def _candidate(symbol, rng, band, sign, turn, real):
    """One value of the kind ``symbol``'s assumptions call for (module docstring), before
    :func:`satisfies` confirms it.  ``real`` draws a symbol of unknown realness on the real line."""
    if symbol.is_zero:
        return 0
    if symbol.is_integer:
        return _integer_candidate(symbol, rng, band, sign)
    size = magnitude(rng, band, turn)
    if symbol.is_imaginary or (symbol.is_antihermitian and not real):
        # Purely imaginary (sympy's imaginary excludes 0): i times a real of either sign.
        return complex(0.0, _sign_of(symbol, rng, sign) * size)
    if symbol.is_extended_real or symbol.is_hermitian or real:
        value = _sign_of(symbol, rng, sign) * size
        if symbol.is_irrational or symbol.is_transcendental:
            # A binary float is rational: an irrational value is exact, sqrt(2) or pi times it.
            algebraic = symbol.is_algebraic or (symbol.is_transcendental is not True and rng.random() < 0.5)
            return Exact(sp.Rational(value) * (sp.sqrt(2) if algebraic else sp.pi))
        return value
    if rng.random() < AXIS_SHARE:
        # On an axis exactly: the principal branch cuts of log, sqrt and powers lie on the negative
        # real axis, those of atan and asinh on the imaginary one; a statement false only there
        # (log(1/z) = -log z) is false.
        value = complex(*{0: (size, 0.0), 1: (-size, 0.0), 2: (0.0, size), 3: (0.0, -size)}[int(rng.integers(4))])
    else:
        value = complex(size * cmath.exp(1j * rng.uniform(-math.pi, math.pi)))
    if symbol.is_transcendental:
        return ExactComplex(exact_value(value) * sp.pi)
    return value


def unsampleable(symbol):
    """Why no finite number can stand for ``symbol`` (a message), or None."""
    if symbol.is_infinite:
        return f"{symbol} is assumed infinite: sampling draws finite numbers only"
    if symbol.is_polar:
        return f"{symbol} is assumed polar (a point of the Riemann surface of log): sampling draws plain numbers only"
    return None


#: Facts sympy leaves open for most numbers, decided here for a scalar: hermitian means real,
#: antihermitian means purely imaginary or 0.
_SCALAR_FACTS = {"hermitian": lambda v: v.is_extended_real,
                 "antihermitian": lambda v: True if v.is_zero else v.is_imaginary}


def satisfies(symbol, value):
    """Whether the number ``value`` has every property ``symbol`` assumes, as sympy states them
    (``symbol.assumptions0``, all the facts its declared ones imply: positive implies real,
    nonzero and finite; prime implies integer, positive; ...), each decided by sympy on the
    exact number ``value`` stands for (:func:`exact_value`).  A fact sympy cannot decide for
    that number counts as not satisfied.  :func:`draw` keeps only values that satisfy it, and
    points moved near a boundary, a kink or 0 are kept only when they do.

    >>> satisfies(sp.Symbol("y", imaginary=True), 2.0), satisfies(sp.Symbol("y", imaginary=True), 2j)
    (False, True)
    >>> satisfies(sp.Symbol("n", odd=True), 10**40 + 1)
    True
    """
    if isinstance(value, (Exact, ExactComplex, sp.Basic)):
        return _has_facts(_assumptions(symbol), exact_value(value))
    return _has_facts(_assumptions(symbol), _kind(value))


@functools.lru_cache(maxsize=4096)
def _has_facts(facts, number):
    """Whether ``number`` (a sympy number, or a :func:`_kind`) has every fact of ``facts``."""
    if isinstance(number, tuple):
        number = _representative(number)
    for name, wanted in facts:
        fact = _SCALAR_FACTS[name](number) if name in _SCALAR_FACTS else getattr(number, f"is_{name}")
        if fact is not wanted:
            return False
    return True


def _kind(value):
    """What decides the facts of a plain float, complex or int: every non-integer binary float
    of one sign has the facts of +-1/2; an integer those of itself.  (A draw is checked many
    times: its facts are then asked of sympy once per kind.)"""
    if isinstance(value, complex):
        return ("complex", _kind(value.real), _kind(value.imag))
    if isinstance(value, int):
        return ("integer", value)
    value = float(value)
    if value.is_integer():
        return ("integer", int(value))
    return ("half", 1 if value > 0 else -1)


def _representative(kind):
    """The sympy number with the facts of ``kind`` (:func:`_kind`)."""
    if kind[0] == "complex":
        return _representative(kind[1]) + sp.I * _representative(kind[2])
    if kind[0] == "integer":
        return sp.Integer(kind[1])
    return sp.Rational(kind[1], 2)


@functools.lru_cache(maxsize=4096)
def _assumptions(symbol):
    """``symbol``'s facts as ``(name, bool)`` pairs, those a number can have (not commutativity)."""
    return tuple(sorted((k, v) for k, v in symbol.assumptions0.items() if k != "commutative" and v is not None))


def draw(symbol, rng, band=None, sign=None, turn=None, real=False):
    """One random value for ``symbol`` according to its assumptions (module docstring), checked
    by :func:`satisfies`; a real symbol of either sign takes ``sign`` when given (random
    otherwise); ``real`` puts a symbol of unknown realness on the real line.  An integer comes
    back as an exact ``int`` of any size, an irrational or transcendental value as an
    :class:`Exact` (or :class:`ExactComplex`).  Raises :class:`Unsampleable` for a symbol no
    finite number satisfies."""
    reason = unsampleable(symbol)
    if reason:
        raise Unsampleable(reason)
    for _ in range(MAX_DRAW_TRIES):
        value = _candidate(symbol, rng, band, sign, turn, real)
        if satisfies(symbol, value):
            return value
        band, turn = None, None  # the band asked for has no such value (3 is not even): any band
    facts = ", ".join(name for name, wanted in _assumptions(symbol) if wanted)
    raise Unsampleable(f"no value drawn for {symbol} satisfies all of {facts} (are they consistent?)")


def sign_condition(name, value=None, evaluate=True):
    """The sign ``name`` is assumed to have, as a relation on ``value`` (``name`` itself by
    default): ``value > 0`` for a positive name, ``value >= 0`` for a nonnegative one, and so on;
    None when no sign is assumed."""
    value = name if value is None else value
    relation = (sp.StrictGreaterThan if name.is_extended_positive else sp.StrictLessThan if name.is_extended_negative
                else sp.GreaterThan if name.is_extended_nonnegative else sp.LessThan if name.is_extended_nonpositive
                else None)
    return None if relation is None else relation(value, 0, evaluate=evaluate)


def constant_scale(*exprs):
    """The largest |log10| of the magnitudes the constants in ``exprs`` set: 500 for a term
    10^-500, 300 for x/(x + 10^300), 434 for exp(-1000).  Checks that sample or probe at fixed
    precisions and distances must reach beyond it, or cannot see what happens there.

    >>> x = sp.Symbol("x")
    >>> constant_scale(x / (x + sp.Rational(1, 10**300)), sp.exp(-1000) + 2)
    434
    """
    scale = 0.0
    for expr in exprs:
        expr = sp.sympify(expr)
        for number in expr.atoms(sp.Number):
            if number != 0 and number.is_finite:
                if isinstance(number, sp.Rational):
                    value = max(abs(sp.log(abs(number.p), 10).evalf(5)) if number.p else 0,
                                abs(sp.log(number.q, 10).evalf(5)))
                else:
                    value = abs(sp.log(abs(number), 10).evalf(5))
                scale = max(scale, float(value))
        for power in expr.atoms(sp.exp):
            if power.args[0].is_number and power.args[0].is_real:
                scale = max(scale, abs(float(power.args[0])) / 2.302585092994046)
    return int(scale)


def statement_seed(*exprs):
    """A seed determined by the expressions alone (stable across runs and machines).

    A ``Dummy`` is printed with a counter of how many were made before it in the process, so
    each is replaced by a plain symbol of its name first: otherwise the points a check samples
    would depend on what ran before it."""
    def canonical(expr):
        expr = sp.sympify(expr)
        dummies = expr.atoms(sp.Dummy) if isinstance(expr, sp.Basic) else set()
        return expr.xreplace({d: sp.Symbol(f"_dummy_{d.name}", **d.assumptions0) for d in dummies})

    text = "\x1f".join(sp.srepr(canonical(e)) for e in exprs)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def condition_holds(condition, point, dps=80):
    """Evaluate a relational side condition at ``point`` (a dict symbol -> number).

    A condition whose two sides differ by a non-real number is false: ``a > b`` only means
    something for real values.
    """
    if isinstance(condition, sp.And):
        return all(condition_holds(c, point, dps) for c in condition.args)
    if isinstance(condition, sp.Or):
        return any(condition_holds(c, point, dps) for c in condition.args)
    if condition is sp.true or condition is True:
        return True
    if condition is sp.false or condition is False:
        return False
    if is_placed(point):
        # At an exact point (an edge: a = sqrt 2 for a^2 >= 2) sympy's automatic evaluation
        # decides what 80 digits round to either side.
        try:
            decided = substitute_exactly(condition, point)
        except (ValueError, TypeError, ArithmeticError):
            decided = None
        if decided is sp.true or decided is sp.false:
            return bool(decided)
    difference = evaluate(condition.lhs - condition.rhs, point, dps)
    if isinstance(difference, mpmath.mpc):
        if abs(difference.imag) > mpmath.mpf(10) ** (-dps // 2) * (1 + abs(difference)):
            return False
        difference = difference.real
    op = condition.rel_op
    if op == ">":
        return difference > 0
    if op == ">=":
        return difference >= 0
    if op == "<":
        return difference < 0
    if op == "<=":
        return difference <= 0
    if op == "!=":
        return difference != 0
    if op == "==":
        return abs(difference) <= mpmath.mpf(10) ** (-dps // 2)
    raise ValueError(f"unsupported side condition {condition}")


def evaluate(expr, point, dps=50):
    """Value of ``expr`` at ``point`` with mpmath at ``dps`` significant digits.

    Returns an ``mpf`` or ``mpc``; raises ``ValueError`` when a symbol has no value.
    """
    expr = sp.sympify(expr)
    missing = expr.free_symbols - set(point)
    if missing:
        names = ", ".join(sorted(str(s) for s in missing))
        raise ValueError(f"no value for {names}")
    symbols = tuple(sorted(expr.free_symbols, key=str))
    function = _compiled(expr, symbols)
    with mpmath.workdps(dps):
        try:
            return function(*[_mp(point[s]) for s in symbols])
        except NameError as exc:  # an opaque object (a spectral mean, a Meaning) has no number
            raise ValueError(f"cannot evaluate: {exc}") from None


#: Where mpmath's function of the same name follows another convention than sympy's.
SYMPY_CONVENTIONS = {
    # sympy (1.12 and later) has B_1 = +1/2; mpmath.bernoulli(1) is -1/2.
    "bernoulli": lambda n: mpmath.mpf(1) / 2 if n == 1 else mpmath.bernoulli(n),
    # At integer arguments sympy's binomial is 0 for k < 0 (binomial(-1, -1) = 0), mpmath's the
    # gamma-function limit (1): the checker evaluates what sympy means.
    "binomial": lambda n, k: (_exact_binomial(int(n), int(k)) if _integral(n) and _integral(k)
                              else mpmath.binomial(n, k)),
}


def _exact_binomial(n, k):
    """sympy's binomial at integers, exactly where that is cheap (one side of the row is near);
    far out (n = 10^40, k = n/2) the two conventions agree and mpmath's gamma form is used."""
    if k < 0:
        return mpmath.mpf(0)
    if abs(n) <= EXACT_LIMIT or min(k, abs(n - k)) <= 1000:
        return _mp(int(sp.binomial(n, k)))
    return mpmath.binomial(_mp(n), _mp(k))


def _integral(value):
    try:
        return mpmath.isint(value)
    except TypeError:
        return False
#: Constants lambdify would print as a 53-bit float; they are given at this many digits.
CONSTANT_DIGITS = 1700


@functools.lru_cache(maxsize=512)
def _compiled(expr, symbols):
    """``expr`` lambdified for mpmath, once per expression (a check evaluates it at many points).

    Numeric constants other than pi and e (the tribonacci constant, Catalan's) are put in at
    :data:`CONSTANT_DIGITS` digits, and functions whose mpmath namesake follows another
    convention are given sympy's."""
    constants = {c: sp.Float(c.evalf(CONSTANT_DIGITS), CONSTANT_DIGITS) for c in expr.atoms(sp.NumberSymbol)
                 if c not in (sp.pi, sp.E)}
    expr = expr.xreplace(constants) if constants else expr
    try:
        return sp.lambdify(symbols, expr, modules=[SYMPY_CONVENTIONS, "mpmath"])
    except Exception as exc:  # an unevaluated Limit, Sum or unknown function has no number
        raise ValueError(f"cannot evaluate {type(exc).__name__}: {exc}") from None


class Exact(float):
    """A float that remembers the exact number it stands for (an edge ``a = 1/7`` of a condition).

    Arithmetic on it is a float's; evaluation (:func:`evaluate`, and the exact rational routes)
    takes :attr:`value` at the working precision, so that a condition closed at ``1/7`` is tested
    at 1/7 itself and not at the nearest binary number, which lies on one side of it.
    """

    def __new__(cls, value):
        self = super().__new__(cls, float(value))
        self.value = sp.sympify(value)
        return self

    def __reduce__(self):
        return Exact, (self.value,)


class ExactComplex(complex):
    """A complex number that remembers the exact number it stands for (``pi (a + b i)`` for a
    transcendental symbol), as :class:`Exact` does for a real one."""

    def __new__(cls, value):
        value = sp.sympify(value)
        self = super().__new__(cls, complex(value))
        self.value = value
        return self

    def __reduce__(self):
        return ExactComplex, (self.value,)


def is_placed(point):
    """Whether a sample point holds a value placed exactly (an :class:`Exact` or
    :class:`ExactComplex`: a condition's edge, a kink, a cut), not drawn as a float."""
    return any(isinstance(v, (Exact, ExactComplex)) for v in point.values())


def exact_value(value):
    """``value`` as an exact sympy number: an :class:`Exact`'s own value, a float's binary value,
    an integer of any size as itself."""
    if isinstance(value, (Exact, ExactComplex)):
        return value.value
    if isinstance(value, sp.Basic) and value.is_number:
        return value
    if isinstance(value, (complex, mpmath.mpc)):
        value = complex(value)
        return sp.Rational(value.real) + sp.I * sp.Rational(value.imag)
    if isinstance(value, int):
        return sp.Integer(value)
    return sp.Rational(float(value))


#: Integers beyond this are "huge": an exact power or factorial of one may not fit in memory.
EXACT_LIMIT = 10**6
#: Nodes through which a huge integer can pass exactly without growing beyond its own size
#: (times a bounded power): sums, products, jumps, absolute values, elementary functions that
#: sympy leaves unevaluated or reduces (sin(pi n) = 0).
_EXACT_SAFE = (sp.Add, sp.Mul, sp.Abs, sp.floor, sp.ceiling, sp.frac, sp.Mod, sp.sign, sp.Heaviside, sp.re, sp.im,
               sp.conjugate, sp.Max, sp.Min, sp.KroneckerDelta, sp.Piecewise, sp.exp, sp.log, sp.sin, sp.cos, sp.tan,
               sp.core.relational.Relational, sp.logic.boolalg.BooleanFunction, sp.Atom, sp.Tuple)


def substitute_exactly(expr, point):
    """``expr`` with every symbol of ``point`` replaced by the exact number its value stands for
    (:func:`exact_value`).  Raises ``ValueError`` instead when a huge integer value (beyond
    :data:`EXACT_LIMIT`) reaches a node that could grow it past memory: sympy evaluates
    ``2^n``, ``n!``, ``binomial(n, k)`` or ``Sum(2^k, (k, 1, n))`` at n = 10^40 eagerly, in C
    code no budget can interrupt.  Powers of 1, -1 and +-i, and powers by a number up to 1000,
    are safe."""
    exact = {s: exact_value(v) for s, v in point.items()}
    expr = sp.sympify(expr)
    huge = {s for s, v in exact.items() if v.is_Integer and abs(v) > EXACT_LIMIT}
    if huge:
        for node in sp.preorder_traversal(expr):
            if not (node.free_symbols & huge) or isinstance(node, _EXACT_SAFE):
                continue
            if isinstance(node, sp.Pow) and (node.base in (1, -1, sp.I, -sp.I)
                                             or (node.exp.is_Number and abs(node.exp) <= 1000)):
                continue
            raise ValueError(f"{node} at {', '.join(f'{s} = {exact[s]}' for s in sorted(huge, key=str))} "
                             "is too large to compute exactly")
    # Never into a bound variable that shares a parameter's name (binders.substitute).
    return substitute(expr, exact)


def _mp(value):
    if isinstance(value, (Exact, ExactComplex)):
        return value.value._to_mpmath(mpmath.mp.prec)
    if isinstance(value, sp.Integer):
        value = int(value)
    if isinstance(value, int):
        # Exactly, however large (mpf keeps every bit it was made with; the working precision
        # rounds only what is computed from it): 10^40 + 1 stays odd.
        with mpmath.workprec(max(mpmath.mp.prec, abs(value).bit_length() + 1)):
            return mpmath.mpf(value)
    if isinstance(value, complex):
        return mpmath.mpc(value.real, value.imag)
    if isinstance(value, float):
        return mpmath.mpf(value)
    return value


#: Share of the points moved close to a side condition's boundary.
BOUNDARY_SHARE = 0.25
#: Relative distances from a boundary at which such points sit.
BOUNDARY_DISTANCES = (1e-2, 1e-4, 1e-6, 1e-9, 1e-12)


def admissible_points(symbols, conditions, count, rng, boundary=True, complex_zero=False, scale=0, ranges=True):
    """:func:`_admissible_points`, or no point when a symbol has no admissible value at all (its
    assumptions and the realness a condition forces on it contradict: an antihermitian ``h`` in
    ``h > 0``): the caller then says unverified."""
    try:
        return _admissible_points(symbols, conditions, count, rng, boundary, complex_zero, scale, ranges)
    except Unsampleable:
        return []


def _admissible_points(symbols, conditions, count, rng, boundary=True, complex_zero=False, scale=0,
                       ranges=True):
    """``count`` random points for ``symbols`` at which every condition holds.

    With ``boundary`` about a quarter of them lie close inside a condition's boundary (module
    docstring), and a real symbol of either sign is also tried at 0; with ``complex_zero`` a
    complex one too.  (An identity's check skips a point where the statement has no value; a
    rule that follows roots through every point, such as a solve's branch, would take the
    degenerate point z = 0 of a Stieltjes curve for a claim, so it does not ask for it.)  Returns fewer points than asked when the conditions are too restrictive to hit
    by chance (the caller reports that as *unverified*, never as passed).
    """
    symbols = sorted(symbols, key=str)
    # A condition Eq(symbol, value) fixes the symbol: rejection would never hit it.
    fixed = {c.lhs: (int(c.rhs) if c.rhs.is_Integer else float(c.rhs) if c.rhs.is_real else complex(c.rhs))
             for c in conditions
             if isinstance(c, sp.Equality) and isinstance(c.lhs, sp.Symbol) and not c.rhs.free_symbols}
    conditions = [c for c in conditions if not (isinstance(c, sp.Equality) and c.lhs in fixed)]
    # An inequality only holds for real values (condition_holds): a symbol of unknown realness
    # compared in one (z < 0) is drawn real, or rejection would never hit the real line.
    real = set().union(*(_compared_directly(c) for c in conditions))

    # Stratified: symbol s at the k-th draw takes band (k + offset[s]) mod len(BANDS).
    offsets = {s: int(rng.integers(len(BANDS))) for s in symbols}
    counter = [0]

    for s in symbols:
        if s not in fixed and unsampleable(s):
            return []  # no finite value stands for it: nothing can be tested (the caller says unverified)

    def fresh(s, band=None, sign=None, turn=None):
        if s in fixed:
            return fixed[s]
        return draw(s, rng, band, sign, turn, real=s in real)

    def admissible(point, moved=()):
        """Every condition holds, and the symbols ``moved`` off their drawn values (to a
        boundary, to 0) still satisfy their assumptions."""
        try:
            return (all(satisfies(s, point[s]) for s in moved)
                    and all(condition_holds(c, point) for c in conditions))
        except (ValueError, ZeroDivisionError, TypeError):
            return False

    near = int(count * BOUNDARY_SHARE) if boundary and conditions else 0
    points = []
    for _ in range(count * MAX_TRIES_PER_POINT):
        if len(points) == count - near:
            break
        k = counter[0]
        counter[0] += 1
        # Each band is met with both signs: the sign flips with every pass through the bands.
        # The bands advance in step for every symbol, so the stratified draws meet only
        # len(BANDS) combinations of bands; a box none of them fits (1 < alpha < 4 beside
        # 2 < P < 1000 and 1/1000 < kappa < 1000, for some offsets) gave no point at all. Once
        # they have had their chance, every other draw takes each symbol's band at random.
        if k < count * STRATIFIED_TRIES_PER_POINT or k % 2 == 0:
            point = {s: fresh(s, *_stratum(k, offsets[s], _signed(s))) for s in symbols}
        else:
            point = {s: fresh(s) for s in symbols}
        if admissible(point):
            points.append(point)
    confined = {s: b for s, b in (_finite_ranges(conditions, symbols) if ranges else {}).items()
                if s not in fixed and not s.is_integer}
    if confined and len(points) < count - near:
        # A window the magnitude bands rarely hit (10^6 < x < 10^6 + 1): the names conditions
        # confine to a finite interval are drawn across it, the others as before.
        for _ in range(count * MAX_TRIES_PER_POINT):
            if len(points) == count - near:
                break
            point = {s: fresh(s) for s in symbols}
            for s, (low, high) in confined.items():
                point[s] = float(low + (high - low) * rng.uniform(0.02, 0.98))
            if admissible(point, tuple(confined)):
                points.append(point)
    n_regular = len(points)
    groups = [n_regular]  # where each kind of extra point starts in ``points``
    if points and near:
        movable = [(c, s) for c in conditions for s in sorted(_real_symbols(c, real), key=str)
                   if s in symbols and s not in fixed]
        # A complex name compared through its real or imaginary part (re z > c, the domain of a
        # Stieltjes branch) is moved along that part, the other held.
        movable += [(c, (s, part)) for c in conditions for s, part in _complex_parts(c)
                    if s in symbols and s not in fixed]
        # The conditions' constants may set a finer scale than the distances reach.
        conditions_scale = constant_scale(*conditions)
        fine = sp.Rational(1, 10 ** (conditions_scale + 10)) if conditions_scale > 10 else None
        for attempt in range(near * 8):
            if len(points) == count or not movable:
                break
            inside = points[attempt % n_regular]
            condition, symbol = movable[int(rng.integers(len(movable)))]
            # The distances in turn, so that every one of them is tried.
            distances = ((0.0,) if isinstance(condition, (sp.GreaterThan, sp.LessThan)) else ()) + BOUNDARY_DISTANCES
            if fine:
                distances = (fine,) + distances  # first: the window no other point reaches
            distance = distances[(len(points) - n_regular) % len(distances)]
            if isinstance(symbol, tuple):
                moved = _near_boundary_part(inside, condition, *symbol, fresh,
                                            lambda p, s=symbol[0]: admissible(p, (s,)), distance)
            else:
                moved = _near_boundary(inside, condition, symbol, fresh,
                                       lambda p, s=symbol: admissible(p, (s,)), rng, distance)
            if moved is not None:
                points.append(moved)
    groups.append(len(points))
    if points and boundary:
        # 0 is no magnitude band's value, yet a real name of either sign crosses it (a complex
        # one surrounds it), and a statement can fail there alone (0^(b^2) = 0, t exp(-b^2 t)
        # -> 0): like a condition's edge, it is tried exactly, at one point per such name.
        for s in symbols:
            unsigned = not (s.is_extended_nonnegative or s.is_extended_nonpositive or s.is_integer)
            # A name whose assumptions admit 0 at their edge (nonnegative, an integer) is tried
            # there too: 0^n = 0 for n >= 0 and |sign(k)| = 1 fail at 0 alone.
            edge = s.is_extended_real and s.is_zero is not False and (s.is_extended_nonnegative
                                                                      or s.is_extended_nonpositive or s.is_integer)
            if (s in real or edge or (unsigned and (s.is_extended_real or complex_zero))) and s not in fixed:
                at_zero = {**points[len(points) % n_regular], s: 0.0}
                if admissible(at_zero, (s,)):
                    points.append(at_zero)
        # A name declared extended real may be infinite, and a statement can fail there alone
        # (1/(x^2 + 1) > 0 and atan x < pi/2 at x = oo): it is tried at +-oo too, where mpmath
        # takes the limit values sympy's own arithmetic gives (1/oo = 0, atan(oo) = pi/2).
        for s in symbols:
            if s in fixed or not s.is_extended_real or s.is_finite is not False and s.is_finite is not None:
                continue
            for infinity in (mpmath.inf, -mpmath.inf):
                if (infinity > 0 and s.is_extended_nonpositive) or (infinity < 0 and s.is_extended_nonnegative):
                    continue
                at_infinity = {**points[len(points) % n_regular], s: infinity}
                if admissible(at_infinity):
                    points.append(at_infinity)
    groups.append(len(points))
    if points and boundary:
        # The bands give every symbol every magnitude and sign, but not every *combination*:
        # sqrt((t + 2)(s + 2)) = sqrt(t + 2) sqrt(s + 2) fails only where both are below -2,
        # a quadrant the strata never visit together.  So each sign orthant of up to three
        # real signed names is also tried once, every name of moderate size (2 to 100).
        signed = [s for s in symbols if s not in fixed and (s in real or s.is_extended_real)
                  and not (s.is_extended_nonnegative or s.is_extended_nonpositive or s.is_integer)]
        for signs in itertools.islice(itertools.product((-1, 1), repeat=min(len(signed), 3)), 8):
            corner = dict(points[len(points) % n_regular])
            for s, sign in zip(signed, signs):
                corner[s] = sign * 10.0 ** rng.uniform(0.3, 2.0)
            if admissible(corner, tuple(signed[:3])):
                points.append(corner)
    groups.append(len(points))
    if points and boundary:
        # Magnitude bands are logarithmic: on 0 < a < 2 they put most draws below 1, and a
        # statement false only on (1, 2) (an integral of max(0, t - a) past its kink at a = 1)
        # is never tried there.  A name the conditions confine to a finite interval is also
        # drawn uniformly across it, at four points.
        for s, (low, high) in (_finite_ranges(conditions, symbols) if ranges else {}).items():
            if s in fixed:
                continue
            for _ in range(4):
                inside = dict(points[len(points) % n_regular])
                inside[s] = float(low + (high - low) * rng.uniform(0.02, 0.98))
                if admissible(inside, (s,)):
                    points.append(inside)
    # Interleave the boundary points with the others: a caller that uses only the first few
    # points still meets them.
    groups.append(len(points))
    if points and boundary and scale > 10:
        # The statement's own constants set a scale the bands may not reach: sqrt(x^2 - 2 10^13 x
        # + 10^26) = 10^13 - x is false for every x > 10^13, beyond the largest band (10^12).
        # Each name is also tried at about 10^(scale/2), 10^scale and 10^(scale + 3), both signs.
        movable = [s for s in symbols if s not in fixed]
        for k in (scale, scale + 3, scale // 2):
            for sign in (1, -1):
                far = dict(points[len(points) % n_regular])
                for s in movable:
                    if s.is_integer:
                        far[s] = sign * (10 ** k + int(rng.integers(1, 10 ** 6)))
                    elif k < 300:
                        far[s] = sign * 10.0 ** (k + rng.uniform(0, 1))
                    else:
                        # Beyond a float's range (10^308) the point is an exact number.
                        far[s] = sign * sp.Rational(10 ** k * int(rng.integers(10 ** 6, 10 ** 7)), 10 ** 6)
                if admissible(far, tuple(movable)):
                    points.append(far)
    groups.append(len(points))
    regular = points[:n_regular]
    # The kinds of extra points (edges, 0, orthants, uniform in a range) take turns, so that a
    # caller that tries only a dozen points meets every kind.
    kinds = [points[start:end] for start, end in zip(groups, groups[1:])]
    boundary_points = [p for row in itertools.zip_longest(*kinds) for p in row if p is not None]
    mixed = []
    for i, point in enumerate(regular):
        mixed.append(point)
        if boundary_points and i % 3 == 2:
            mixed.append(boundary_points.pop(0))
    return mixed + boundary_points


def _signed(symbol):
    """Whether ``symbol`` is real (or extended real) of either sign."""
    return bool(symbol.is_extended_real and not (symbol.is_extended_nonnegative or symbol.is_extended_nonpositive))


def _finite_ranges(conditions, symbols):
    """``{symbol: (low, high)}`` for the names that conditions of the form ``s < c``, ``s > c``
    (or ``<=``, ``>=``, with ``c`` a real number) confine to a finite interval."""
    bounds = {}
    for condition in conditions:
        if not isinstance(condition, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
            continue
        lhs, rhs = condition.lhs, condition.rhs
        if lhs in symbols and rhs.is_number and rhs.is_real:
            s, c, upper = lhs, float(rhs), isinstance(condition, (sp.StrictLessThan, sp.LessThan))
        elif rhs in symbols and lhs.is_number and lhs.is_real:
            s, c, upper = rhs, float(lhs), isinstance(condition, (sp.StrictGreaterThan, sp.GreaterThan))
        else:
            continue
        low, high = bounds.get(s, (0.0 if s.is_extended_nonnegative else -math.inf, math.inf))
        bounds[s] = (low, min(high, c)) if upper else (max(low, c), high)
    return {s: b for s, b in bounds.items() if math.isfinite(b[0]) and math.isfinite(b[1]) and b[0] < b[1]}


def _stratum(k, offset, signed):
    """``(band, sign, turn)`` of a symbol's k-th draw: bands in turn from ``offset``; each pass
    through them flips the sign; the special values come in turn, for a signed symbol each
    with both signs (+1, -1, +2, -2, ...)."""
    j = k + offset
    band, passes = BANDS[j % len(BANDS)], j // len(BANDS)
    if band != "special":
        return band, (1 if passes % 2 == 0 else -1), None
    occurrence = passes - (1 if offset else 0)
    return band, (1 if occurrence % 2 == 0 else -1), (occurrence // 2 if signed else occurrence)


def exact_edges(condition, symbol, point, near):
    """Where ``condition`` becomes an equality in ``symbol`` (others fixed at ``point``), the one
    nearest ``near`` first; [] when sympy cannot say.  An edge that depends on no other symbol is
    kept exact (:class:`Exact`), others as floats."""
    others = {s: v for s, v in point.items() if s != symbol}
    try:
        roots = sp.solve(sp.Eq(condition.lhs, condition.rhs).subs(others), symbol)
        values = [Exact(r) if not others and r.is_number else float(r) for r in roots if r.is_real]
    except Exception:  # sympy cannot solve it: the bisection's edge will do
        return []
    return sorted(values, key=lambda v: abs(v - near))


def beside_edge(edge, side, distance=sp.Rational(1, 10**30)):
    """A value just beside an exact ``edge`` (``side`` +1 or -1), exact too when the edge is."""
    if isinstance(edge, Exact):
        return Exact(edge.value + side * distance * max(1, abs(edge.value)))
    return edge + side * float(distance) * max(1.0, abs(edge))


def _real_symbols(condition, real):
    """Symbols of ``condition`` taking real values (by assumption or by being compared)."""
    return {s for s in condition.free_symbols if s.is_extended_real or s in real}


def _near_boundary(inside, condition, symbol, fresh, admissible, rng, distance, steps=60):
    """``inside`` with ``symbol`` moved close to where ``condition`` stops holding, or None."""
    outside = None
    for _ in range(40):
        candidate = {**inside, symbol: fresh(symbol)}
        try:
            if not condition_holds(condition, candidate):
                outside = candidate
                break
        except (ValueError, ZeroDivisionError, TypeError):
            continue
    if outside is None:
        return None
    a, b = float(inside[symbol]), float(outside[symbol])
    positive = symbol.is_extended_positive and a > 0 and b > 0
    if positive:  # bisect in log scale, so that magnitudes far apart converge
        a, b = math.log(a), math.log(b)
    for _ in range(steps):
        middle = (a + b) / 2
        value = math.exp(middle) if positive else middle
        try:
            holds = condition_holds(condition, {**inside, symbol: value})
        except (ValueError, ZeroDivisionError, TypeError):
            return None
        if holds:
            a = middle
        else:
            b = middle
    edge = math.exp(b) if positive else b
    start = math.exp(a) if positive else a
    if isinstance(distance, sp.Rational) and distance != 0:
        # Below the condition's own constants (x > -1 - 10^-30), where no float reaches: beside
        # the exact edge, by an exact distance.
        for candidate in exact_edges(condition, symbol, inside, edge):
            if isinstance(candidate, Exact):
                moved = {**inside, symbol: beside_edge(candidate, 1 if start > edge else -1, distance)}
                if admissible(moved):
                    return moved
        return None
    if distance == 0:
        # A closed condition (t >= 0, a <= 1/7) includes its endpoint: the endpoint itself when
        # sympy solves for it, else the nearest float inside.
        for candidate in exact_edges(condition, symbol, inside, edge) + [start]:
            moved = {**inside, symbol: candidate}
            if admissible(moved):
                return moved
        return None
    step = (start - edge) * distance / max(abs(start - edge), 1e-300) * max(abs(edge), 1.0)
    moved = {**inside, symbol: edge + step}
    if positive and moved[symbol] <= 0:
        return None
    return moved if admissible(moved) else None


def _complex_parts(condition):
    """``(symbol, 're' | 'im')`` for each complex symbol the condition reads through ``re`` or
    ``im`` alone."""
    found = []
    for node in sp.preorder_traversal(condition):
        if isinstance(node, (sp.re, sp.im)) and isinstance(node.args[0], sp.Symbol) \
                and not node.args[0].is_extended_real:
            pair = (node.args[0], "re" if isinstance(node, sp.re) else "im")
            if pair not in found:
                found.append(pair)
    return found


def _near_boundary_part(inside, condition, symbol, part, fresh, admissible, distance, steps=60):
    """``inside`` with the real or imaginary ``part`` of a complex ``symbol`` moved close to where
    ``condition`` stops holding (bisection along that part), or None."""
    value = complex(inside[symbol])

    def at(x):
        return {**inside, symbol: complex(x, value.imag) if part == "re" else complex(value.real, x)}

    own = value.real if part == "re" else value.imag
    outside = None
    for _ in range(40):
        drawn = complex(fresh(symbol))
        x = drawn.real if part == "re" else drawn.imag
        try:
            if not condition_holds(condition, at(x)):
                outside = x
                break
        except (ValueError, ZeroDivisionError, TypeError):
            continue
    if outside is None:
        return None
    a, b = own, outside
    for _ in range(steps):
        middle = (a + b) / 2
        try:
            holds = condition_holds(condition, at(middle))
        except (ValueError, ZeroDivisionError, TypeError):
            return None
        a, b = (middle, b) if holds else (a, middle)
    step = (a - b) * distance / max(abs(a - b), 1e-300) * max(abs(b), 1.0)
    moved = at(b + step) if distance else at(a)
    return moved if admissible(moved) else None


def _compared_directly(condition):
    """Symbols of unknown realness an inequality compares as they are, not through re, im or
    abs (``z < 0`` compares z; ``im(z) > 0`` does not)."""
    if isinstance(condition, (sp.And, sp.Or)):
        return set().union(*(_compared_directly(c) for c in condition.args))
    if (not isinstance(condition, sp.core.relational.Relational)
            or isinstance(condition, (sp.Equality, sp.Unequality))):
        return set()
    difference = condition.lhs - condition.rhs
    wrapped = difference.atoms(sp.re, sp.im, sp.Abs, sp.arg, sp.conjugate)
    bare = difference.xreplace({w: sp.Dummy() for w in wrapped})
    return {sym for sym in bare.free_symbols if sym.is_real is None and not _real_for_complex(difference, sym)}


def _real_for_complex(expr, symbol):
    """Whether ``expr`` stays real when ``symbol`` is complex (``z conj(z)``): then a condition
    on it does not force ``symbol`` onto the real line."""
    others = {s: 0.7 for s in expr.free_symbols if s != symbol}
    try:
        for value in (complex(0.6, 1.3), complex(-1.7, 0.4)):
            result = complex(evaluate(expr, {**others, symbol: value}, 30))
            if abs(result.imag) > 1e-20 * (1 + abs(result)):
                return False
    except (ValueError, ZeroDivisionError, TypeError):
        return False
    return True
