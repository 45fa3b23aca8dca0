"""Certified enclosures of sympy expressions in ball arithmetic (Arb, through python-flint).

The kernel's procedure for everything transcendental: an expression at an exact point becomes
a complex ball ``m +- r`` that is *guaranteed* to contain its value.  A ball that excludes 0 is
a proof that the expression is nonzero there (a certified counterexample); one that contains 0
with a tiny radius is evidence, not proof, that it vanishes.

What is evaluated, and how:

- arithmetic, elementary and special functions (gamma, loggamma, the incomplete gammas, polygamma, zeta, erf, Bessel,
  2F1, ...) by Arb's own rigorous routines, on sympy's principal branches;
- ``Abs``, ``Max``, ``Min``, ``sign``, ``Heaviside``, ``floor``, ``ceiling`` and ``Piecewise``
  on real arguments, with the kinks and jumps respected (a ball across a jump is indeterminate);
- definite integrals, nested and with parameters, by Arb's adaptive Gauss-Legendre integrator
  (``acb.integral``), which bounds its own truncation error: through kinks (``|sin t|``), and
  through poles, which give no finite enclosure instead of the difference of an antiderivative
  across them; an endpoint singularity that is integrable is removed first by the change of
  variables ``t = a + h v^m`` (m = 2, 4, ... 64), an infinite interval by ``t = a - 1 + 1/w``;
- finite sums and products term by term (at most :data:`MAX_TERMS` terms); infinite sums as
  their first terms plus a tail bounded by a ratio test the kernel proves (:mod:`.sums`);
- Dirac deltas under an integral by the sifting rule at simple roots (:mod:`.distributions`).

Everything else (an unknown function, a spectral mean, an unevaluated limit or derivative, an
infinite sum with no proved tail, an infinite product) has no enclosure: :class:`NoEnclosure`.  Nothing here depends on sympy's
``integrate``, ``summation`` or ``simplify``: sympy only parses, and its automatic evaluation
when an expression is built (``(1/w)**a`` is ``w**(-a)`` for positive ``w``) is the one piece of
sympy trusted.

>>> import sympy as sp
>>> t = sp.Symbol("t", real=True)
>>> ball = enclose(sp.Integral(sp.Abs(sp.sin(t)), (t, 0, sp.Rational(73, 10))), {}, prec=100)
>>> str(ball.real)[:14]
'[4.47392248261'
"""

from __future__ import annotations

import contextlib
import math

import mpmath
import sympy as sp
from flint import acb, arb, ctx
from sympy.core.relational import Relational

from ...binders import substitute
from ...sampling import exact_value

#: Finite sums and products with more terms than this have no enclosure here.
MAX_TERMS = 10_000
#: Exponents tried for ``t = a + h v^m`` at an integrable endpoint singularity.
ENDPOINT_POWERS = (2, 4, 8, 16, 32, 64)
#: The largest power of 2 proposed for ``t = a + h v^m`` from a singularity's strength (m = 2^24
#: absorbs ``t^(gamma)`` down to ``gamma + 1 = 1.2e-7``).
MAX_ENDPOINT_EXPONENT = 24
#: Work the integrator may do per integral (a count, so that no verdict depends on the clock).
EVAL_LIMIT = 100_000
#: Integrand evaluations one enclosure may make, over all its (nested) integrals.
WORK_LIMIT = 400_000
#: The same for a trial (is the trouble inside the interval? does this substitution help?).
TRIAL_EVAL_LIMIT = 5_000


class NoEnclosure(ValueError):
    """The expression has no certified enclosure here (an unknown function, an infinite sum...)."""


def _nan():
    return acb(arb("nan"), arb("nan"))


def exact_number(value):
    """A sample point's value as the exact sympy number it stands for: an ``Exact`` float's own
    value, any other float (Python's or mpmath's) as the binary number it is."""
    if isinstance(value, (sp.Basic, int)):
        value = sp.sympify(value)
        return sp.Rational(value) if isinstance(value, sp.Float) else value
    if isinstance(value, mpmath.mpf):
        return _mpf_exact(value)
    if isinstance(value, mpmath.mpc):
        return _mpf_exact(value.real) + sp.I * _mpf_exact(value.imag)
    return exact_value(value)


def _mpf_exact(value):
    sign, man, exp, _ = value._mpf_
    if not man:
        return sp.Integer(0)
    number = sp.Integer(int(man)) * sp.Integer(2) ** int(exp)
    return -number if sign else number


def _exact_ball(value):
    """A point's value as a ball of radius 0."""
    value = exact_number(value)
    re, im = value.as_real_imag()
    return acb(_real_ball(re), _real_ball(im))


def point_ball(value, prec):
    """A sample point's value as a ball: radius 0 for a rational (a float is one), and Arb's
    enclosure of an exact irrational (``sqrt 2``, ``pi``, ``e^{i pi/7}``: an edge or a cut
    placed exactly)."""
    value = exact_number(value)
    try:
        return _exact_ball(value)
    except NoEnclosure:
        if not (isinstance(value, sp.Basic) and value.is_number):
            raise
        return BallEvaluator(prec)(value, {})


def _real_ball(value):
    if isinstance(value, sp.Integer):
        return arb(int(value))
    if isinstance(value, sp.Rational):
        return arb(int(value.p)) / int(value.q)
    if isinstance(value, sp.Float):
        return _real_ball(sp.Rational(value))
    raise NoEnclosure(f"{value} is not an exact number")


def _is_real(expr):
    return bool(expr.is_extended_real)




def _touches_negative_axis(z):
    return z.imag.contains(0) and not (z.real > 0)


def _touches_ray_from_one(z):
    return z.imag.contains(0) and not (z.real < 1)




def _at_zero(b):
    """Whether the real ball ``b`` reaches 0 (or, by its rounding, a little below)."""
    return b.imag.is_zero() and not (b.real > 0)


def _positive_real(e):
    return e.imag.is_zero() and bool(e.real > 0)


def _power_at_zero(b, e):
    """A ball containing ``x^y`` for every ``x`` of the real ball ``b`` with ``x >= 0`` and every
    ``y`` of ``e`` (real, > 0): ``[0, max(h^lo, h^hi)]``, ``h`` the ball's upper end and
    ``[lo, hi]`` the exponent's range (``x^y`` rises with ``x``; in ``y`` it rises for ``x > 1``
    and falls for ``x < 1``, so its largest value is at one end).  Only for a base that is a
    symbol declared nonnegative (the variable of an endpoint substitution, ``t = a + h v^m``),
    whose values are never below 0 whatever the ball's rounding shows; never where analyticity
    is asked (``x^y`` is not analytic at 0).  With it a bounded singular power at an endpoint
    (``v^0.92``) gets the trivial bound ``width * sup |f|`` on the boxes next to 0, and Arb's
    integrator converges instead of bisecting towards 0 for ever."""
    high = b.real.upper()
    if not high > 0:
        return acb(0)
    top = (high ** e.real.lower()).union(high ** e.real.upper()).upper()
    return acb(arb(0).union(top))


def _normalized(expr):
    """``expr`` as one fraction, when exact algebra confirms the two equal (sympy's ``cancel``
    proposes; :func:`derive.check.kernel.exact.is_zero` decides).  After a change of variables
    ``1/(1 + (1/w - 1)^2) / w^2`` is ``1/(2 w^2 - 2 w + 1)``, which balls bound near ``w = 0``
    and the first form is not."""
    from .exact import is_zero

    if not _small_powers(expr):
        return expr
    try:
        candidate = sp.cancel(sp.together(expr))
    except (sp.PolynomialError, TypeError, ValueError):
        return expr
    return candidate if candidate != expr and is_zero(expr - candidate) else expr


#: The largest denominator of a rational power that :func:`_normalized` hands to sympy's
#: ``cancel`` (integer powers always go).
NORMALIZE_DENOMINATOR = 12


def _small_powers(expr):
    """Whether every power in ``expr`` is one ``cancel`` can afford.  At a sampled point a
    symbolic exponent is an exact rational (``u^(2 nu)`` at ``nu = 1371/1000`` is
    ``u^(1371/500)``); ``cancel`` takes ``u^(1/500)`` as its generator, a polynomial of degree
    thousands, and the heuristic gcd of python-flint then stops the whole process with SIGFPE
    (``Integral(u^c/(1 + u^b), (u, 0, oo))`` at sampled ``b, c``).  Skipping the cancellation
    only keeps the integrand as written: Arb still bounds it."""
    for power in expr.atoms(sp.Pow):
        e = power.exp
        if e.is_Rational and e.q > NORMALIZE_DENOMINATOR:
            return False
    return True


def leading_power(expr, w):
    """``(e, rest)`` with ``expr = w^e * rest`` for ``w > 0``, ``e`` rational, every sum in
    ``rest`` divided by its smallest power of ``w``: ``1/w - 1 = w^-1 (1 - w)``, and
    ``1 + w^(-b) = w^(-b) (w^b + 1)``, so that ``rest`` is bounded near ``w = 0`` where the
    terms of a sum were not.  Exact for ``w > 0`` by three rules: ``w^a w^b = w^(a+b)``, a sum
    ``sum w^(e_i) r_i = w^m sum w^(e_i - m) r_i``, and ``(w^e r)^p = w^(ep) r^p`` (``w^e`` is
    positive, so it leaves the argument of ``r``, and the principal branch, unchanged).  Any
    other node (a function of ``w``, a power with ``w`` in the exponent or with an exponent
    that is not rational) is kept whole, with ``e = 0``."""
    if expr == w:
        return sp.Integer(1), sp.Integer(1)
    if not expr.has(w):
        return sp.Integer(0), expr
    if isinstance(expr, sp.Mul):
        parts = [leading_power(factor, w) for factor in expr.args]
        return sum((e for e, _ in parts), sp.Integer(0)), sp.Mul(*(r for _, r in parts))
    if isinstance(expr, sp.Pow) and expr.exp.is_Rational:
        e, rest = leading_power(expr.base, w)
        return e * expr.exp, rest ** expr.exp
    if isinstance(expr, sp.Add):
        parts = [leading_power(term, w) for term in expr.args]
        least = min(e for e, _ in parts)
        return least, sp.Add(*(w ** (e - least) * r for e, r in parts))
    return sp.Integer(0), expr


class BallEvaluator:
    """Evaluate a sympy expression in balls: one ``_ball_<Class>`` method per node type, as
    sympy's printers do, with a fallback by function name (:data:`FUNCTIONS`).

    ``env`` maps symbols to balls; ``analytic`` is the integrator's flag: when it is set, the
    value must be analytic on the ball, so a kink, a jump or a branch cut that the ball touches
    gives an indeterminate ball (the integrator then subdivides).
    """

    def __init__(self, prec, exact=None):
        self.prec = prec
        #: The point's values as exact sympy numbers: a change of variables in an integral is
        #: built with them, so that sympy's automatic evaluation can combine the powers.
        self.exact = exact or {}
        self.outer_analytic = False
        #: How many integrals enclose the one being computed: an inner one gets less work each,
        #: since the outer one calls it at every node.
        self.depth = 0
        #: Integrand evaluations so far, over all integrals of one enclosure.
        self.work = 0

    def __call__(self, expr, env, analytic=False):
        for cls in type(expr).__mro__:
            method = getattr(self, f"_ball_{cls.__name__}", None)
            if method is not None:
                return method(expr, env, analytic)
        if isinstance(expr, sp.Function) and type(expr).__name__ in FUNCTIONS:
            return self._function(expr, env, analytic)
        raise NoEnclosure(f"no certified value for {type(expr).__name__}: {sp.sstr(expr)[:80]}")

    # -- atoms ---------------------------------------------------------------------------------
    def _ball_Symbol(self, expr, env, analytic):
        if expr not in env:
            raise NoEnclosure(f"no value for {expr}")
        return env[expr]

    def _ball_Rational(self, expr, env, analytic):
        return acb(_real_ball(expr))

    def _ball_Float(self, expr, env, analytic):
        return acb(_real_ball(expr))

    def _ball_ImaginaryUnit(self, expr, env, analytic):
        return acb(0, 1)

    def _ball_Pi(self, expr, env, analytic):
        return acb(arb.pi())

    def _ball_Exp1(self, expr, env, analytic):
        return acb(arb(1).exp())

    def _ball_EulerGamma(self, expr, env, analytic):
        return acb(arb.const_euler())

    def _ball_Catalan(self, expr, env, analytic):
        return acb(arb.const_catalan())

    def _ball_NumberSymbol(self, expr, env, analytic):
        # Another constant (GoldenRatio, TribonacciConstant): sympy's own rigorous evalf at twice
        # the working precision, with a radius that covers its last digits.
        digits = int(self.prec * 0.30103) * 2 + 20
        value = sp.Rational(sp.Float(expr.evalf(digits), digits))
        return acb(arb(_real_ball(value).mid(), arb(2) ** (-2 * self.prec)))

    def _ball_Infinity(self, expr, env, analytic):
        raise NoEnclosure("infinity has no ball")

    _ball_NegativeInfinity = _ball_ComplexInfinity = _ball_NaN = _ball_Infinity

    def _ball_BooleanAtom(self, expr, env, analytic):
        raise NoEnclosure("a truth value is not a number")

    # -- arithmetic ----------------------------------------------------------------------------
    def _ball_Add(self, expr, env, analytic):
        total = acb(0)
        for term in expr.args:
            total += self(term, env, analytic)
        return total

    def _ball_Mul(self, expr, env, analytic):
        product = acb(1)
        for factor in expr.args:
            product *= self(factor, env, analytic)
        return product

    def _ball_Pow(self, expr, env, analytic):
        base, exponent = expr.args
        b = self(base, env, analytic)
        if exponent.is_Integer:
            n = int(exponent)
            if n >= 0:
                return b ** n
            return 1 / (b ** (-n))
        if exponent == sp.S.Half:
            return b.sqrt(analytic=analytic)
        if exponent == -sp.S.Half:
            return b.rsqrt(analytic=analytic)
        if base == sp.E:
            return self(exponent, env, analytic).exp()
        e = self(exponent, env, analytic)
        if not analytic and base.is_Symbol and base.is_nonnegative and _at_zero(b) and _positive_real(e):
            return _power_at_zero(b, e)
        return b.pow(e, analytic=analytic)

    def _ball_exp(self, expr, env, analytic):
        return self(expr.args[0], env, analytic).exp()

    def _ball_log(self, expr, env, analytic):
        if len(expr.args) != 1:
            raise NoEnclosure("log with a base")
        return self(expr.args[0], env, analytic).log(analytic=analytic)

    # -- functions with kinks and jumps (real arguments) -----------------------------------------
    def _real_argument(self, expr, env, analytic):
        (arg,) = expr.args
        z = self(arg, env, analytic)
        if not _is_real(arg) and not (z.imag == 0):
            raise NoEnclosure(f"{type(expr).__name__} of a complex argument")
        return z

    def _ball_Abs(self, expr, env, analytic):
        (arg,) = expr.args
        if _is_real(arg):
            return self(arg, env, analytic).real_abs(analytic=analytic)
        if analytic:
            return _nan()  # |z| is nowhere analytic
        return acb(abs(self(arg, env, analytic)))

    def _ball_sign(self, expr, env, analytic):
        return self._real_argument(expr, env, analytic).real_sgn(analytic=analytic)

    def _ball_Heaviside(self, expr, env, analytic):
        if len(expr.args) != 1 and expr.args[1] != sp.S.Half:
            raise NoEnclosure("Heaviside with another value at 0")
        z = self(expr.args[0], env, analytic)
        return z.real_heaviside(analytic=analytic)

    def _ball_floor(self, expr, env, analytic):
        return self._real_argument(expr, env, analytic).real_floor(analytic=analytic)

    def _ball_ceiling(self, expr, env, analytic):
        return self._real_argument(expr, env, analytic).real_ceil(analytic=analytic)

    def _ball_frac(self, expr, env, analytic):
        z = self._real_argument(expr, env, analytic)
        return z - z.real_floor(analytic=analytic)

    def _ball_Max(self, expr, env, analytic):
        return self._fold(expr, env, analytic, "real_max")

    def _ball_Min(self, expr, env, analytic):
        return self._fold(expr, env, analytic, "real_min")

    def _fold(self, expr, env, analytic, name):
        if not all(_is_real(a) for a in expr.args):
            raise NoEnclosure(f"{type(expr).__name__} of complex arguments")
        balls = [self(a, env, analytic) for a in expr.args]
        result = balls[0]
        for ball in balls[1:]:
            result = getattr(result, name)(ball, analytic=analytic)
        return result

    def _ball_Piecewise(self, expr, env, analytic):
        for value, condition in expr.args:
            truth = self.truth(condition, env)
            if truth is None:
                return _nan()  # the ball straddles a piece's edge: no single piece holds
            if truth:
                return self(value, env, analytic)
        raise NoEnclosure("Piecewise undefined here")

    def truth(self, condition, env):
        """True, False, or None when the balls do not decide the condition."""
        if condition is sp.true:
            return True
        if condition is sp.false:
            return False
        if isinstance(condition, sp.And):
            values = [self.truth(c, env) for c in condition.args]
            return False if False in values else None if None in values else True
        if isinstance(condition, sp.Or):
            values = [self.truth(c, env) for c in condition.args]
            return True if True in values else None if None in values else False
        if isinstance(condition, sp.Not):
            value = self.truth(condition.args[0], env)
            return None if value is None else not value
        if isinstance(condition, Relational):
            difference = self(condition.lhs - condition.rhs, env)
            if isinstance(condition, (sp.Eq, sp.Ne)):
                if not difference.contains(0):
                    return isinstance(condition, sp.Ne)
                if difference.is_exact() and difference.is_zero():
                    return isinstance(condition, sp.Eq)
                return None
            if not (difference.imag == 0):
                return None
            d = difference.real
            op = condition.rel_op
            above = {">": d > 0, ">=": d >= 0, "<": d < 0, "<=": d <= 0}[op]
            below = {">": d <= 0, ">=": d < 0, "<": d >= 0, "<=": d > 0}[op]
            return True if above else False if below else None
        raise NoEnclosure(f"condition {condition} not decidable in balls")

    # -- operators that bind a variable --------------------------------------------------------
    def _ball_Integral(self, expr, env, analytic):
        function, limits = expr.function, expr.limits
        inner = sp.Integral(function, *limits[:-1]) if len(limits) > 1 else function
        limit = limits[-1]
        if len(limit) != 3:
            raise NoEnclosure("an indefinite integral has no value")
        variable, lower, upper = limit
        # As a function of an outer integral's variable (``analytic``), the integral is analytic
        # where its integrand is in every variable: evaluate the integrand as if analytic were
        # asked of it everywhere, so that a kink in the outer variable gives no finite ball.
        saved, self.outer_analytic = self.outer_analytic, self.outer_analytic or analytic
        self.depth += 1
        try:
            return self.integrate(inner, variable, lower, upper, env)
        except NoEnclosure:
            if analytic:
                return _nan()  # not analytic there: the outer integrator bounds it directly
            raise
        finally:
            self.outer_analytic = saved
            self.depth -= 1

    def integrate(self, integrand, variable, lower, upper, env):
        """``int_lower^upper integrand d variable``, certified, or :class:`NoEnclosure`."""
        if lower == upper:
            return acb(0)
        # The point's exact values go into the integrand (never into its own variable, which
        # may share a parameter's name: Integral(t, (t, 0, t))) and into the limits.
        integrand = substitute(integrand, {s: v for s, v in self.exact.items() if s != variable})
        lower, upper = lower.xreplace(self.exact), upper.xreplace(self.exact)
        if integrand.has(sp.DiracDelta):
            return self._integrate_deltas(integrand, variable, lower, upper, env)
        if lower.is_infinite or upper.is_infinite:
            return self._integrate_infinite(integrand, variable, lower, upper, env)
        return self._integrate_finite(integrand, variable, lower, upper, env)

    def _integrate_deltas(self, integrand, variable, lower, upper, env):
        """The delta terms by the sifting rule at roots Arb isolates (:mod:`.distributions`),
        the rest by quadrature."""
        from .distributions import NoSifting, sift, split

        try:
            rest, deltas = split(integrand)
            if lower.free_symbols or upper.free_symbols or any(
                    (f.free_symbols | g.free_symbols) - {variable} for f, g in deltas):
                raise NoSifting("a delta under an integral whose terms depend on an outer variable")
            sign = 1
            ends = [acb(arb("-inf")) if e is -sp.oo else acb(arb("inf")) if e is sp.oo else self(e, env)
                    for e in (lower, upper)]
            if not all(e.imag.is_zero() for e in ends):
                raise NoSifting("an integral with complex limits")
            low, high = ends[0].real, ends[1].real
            if high < low:
                sign, low, high = -1, high, low
            elif not high > low:
                raise NoSifting("an interval whose ends Arb cannot order")

            def evaluate(f, t):
                return self(f, {**env, variable: t})

            sifted = sign * sift(deltas, variable, low, high, evaluate)
        except NoSifting as exc:
            raise NoEnclosure(f"a Dirac delta under an integral: {exc}") from None
        if rest == 0:
            return sifted
        return sifted + self.integrate(rest, variable, lower, upper, env)

    def _integrate_finite(self, integrand, variable, lower, upper, env):
        a, b = self(lower, env), self(upper, env)

        def f(t, analytic):
            return self(integrand, {**env, variable: t}, analytic or self.outer_analytic)

        result = self._acb_integral(f, a, b)
        if result.is_finite():
            return result
        if lower.free_symbols or upper.free_symbols:
            raise NoEnclosure("an integrable singularity at an endpoint that depends on an outer variable")
        # An integrable singularity at an endpoint: t = a + h v^m on each half, the power of v
        # absorbing it (v^m(s-1) m v^(m-1) = m v^(ms - 1), bounded once ms >= 1).
        middle = (lower + upper) / 2
        left = self._integrate_singular_end(integrand, variable, lower, middle - lower, env)
        right = self._integrate_singular_end(integrand, variable, upper, middle - upper, env)
        return left - right

    def _integrate_singular_end(self, integrand, variable, end, width, env):
        """``int`` from ``end`` to ``end + width`` (exact numbers; ``width`` may be negative)."""
        def direct(t, analytic):
            return self(integrand, {**env, variable: t}, analytic or self.outer_analytic)

        result = self._acb_integral(direct, self(end, env), self(end + width, env), TRIAL_EVAL_LIMIT)
        if result.is_finite():
            return result
        v = sp.Dummy("v", positive=True)
        for m in self._endpoint_powers(direct, end, width, env):
            # Built in sympy, with exact numbers, so that its automatic evaluation combines the
            # powers of v: the change of variables is exact, its bound is Arb's.
            moved = _normalized(integrand.xreplace({variable: end + width * v ** m}) * width * m * v ** (m - 1))

            def g(s, analytic, moved=moved):
                return self(moved, {**env, v: s}, analytic or self.outer_analytic)

            result = self._acb_integral(g, acb(0), acb(1), TRIAL_EVAL_LIMIT)
            if result.is_finite():
                return result
        raise NoEnclosure("an integrand with no finite bound on the path: a pole, or a singularity at an "
                          f"endpoint that no power substitution v^m, m <= {ENDPOINT_POWERS[-1]}, removes")

    def _endpoint_powers(self, direct, end, width, env):
        """The powers ``m`` to try in ``t = end + width v^m``: first one proposed by the
        singularity's strength, then :data:`ENDPOINT_POWERS`.

        ``|f| ~ C s^gamma`` at distance ``s`` from the end, with ``gamma`` read off two points
        ``2^-64`` and ``2^-128`` of the width away; ``m (gamma + 1) >= 2`` makes the new
        integrand ``m v^(m (gamma + 1) - 1)`` bounded (``Integral(u**(a - 1), (u, 0, 1))``
        needs ``m >= 1/a``: 128 for ``a = 0.01``, beyond the list).  Only a proposal: any ``m``
        is an exact change of variables, and what is returned is Arb's bound of the result."""
        proposed = []
        try:
            near, far = (abs(direct(self(end + width * sp.Integer(2) ** -k, env), False)) for k in (128, 64))
            gamma = float((near / far).log().mid()) / (-64 * float(mpmath.log(2)))
            if -1 < gamma < 0 and not ENDPOINT_POWERS[-1] * (gamma + 1) >= 2:
                proposed = [2 ** min(int(math.ceil(math.log2(2 / (gamma + 1)))), MAX_ENDPOINT_EXPONENT)]
        except (NoEnclosure, ValueError, ZeroDivisionError, OverflowError, TypeError):
            pass
        return proposed + list(ENDPOINT_POWERS)

    def _integrate_infinite(self, integrand, variable, lower, upper, env):
        if lower.is_infinite and upper.is_infinite:
            sign = 1 if upper is sp.oo else -1
            split = sp.Integer(0)
            return sign * (self._integrate_infinite(integrand, variable, split, sp.oo, env)
                           + self._integrate_infinite(integrand, variable, -sp.oo, split, env))
        if lower.is_infinite:
            return -self._integrate_infinite(integrand, variable, upper, lower, env)
        if lower.free_symbols:
            raise NoEnclosure("an infinite interval whose finite end depends on an outer variable")
        # int_a^{+-oo} f(t) dt = +-int_0^1 f(a +- (1/w - 1)) / w^2 dw
        sign = 1 if upper is sp.oo else -1
        w = sp.Dummy("w", positive=True)
        moved = integrand.xreplace({variable: lower + sign * (1 / w - 1)}) / w ** 2
        normalized = _normalized(moved)
        if normalized is moved:
            # cancel declined (large powers): pull the powers of w out of every sum instead,
            # so that u^c/(1 + u^b) at u = 1/w - 1 becomes w^(b-c-2) (1-w)^c/(w^b + (1-w)^b).
            power, rest = leading_power(moved, w)
            normalized = w ** power * rest
        return sign * self._integrate_finite(normalized, w, sp.Integer(0), sp.Integer(1), env)

    def _acb_integral(self, f, a, b, eval_limit=None):
        """Arb's integral of ``f``; an exception inside ``f`` (an integrand with no enclosure)
        cannot cross Arb's C code, so it is carried around it and raised again."""
        raised = []

        def guarded(t, analytic):
            if raised:
                return _nan()
            self.work += 1
            if self.work > WORK_LIMIT:
                raised.append(NoEnclosure(f"more than {WORK_LIMIT} integrand evaluations (nested integrals "
                                          "through kinks)"))
                return _nan()
            try:
                return f(t, analytic)
            except (NoEnclosure, ZeroDivisionError, ValueError, OverflowError) as exc:
                raised.append(exc)
                return _nan()

        try:
            limit = eval_limit or (EVAL_LIMIT if self.depth <= 1 else TRIAL_EVAL_LIMIT)
            result = acb.integral(guarded, a, b, eval_limit=limit)
        except (ValueError, ZeroDivisionError, OverflowError, SystemError):
            result = _nan()
        if raised and isinstance(raised[0], NoEnclosure):
            raise raised[0]
        return result if not raised else _nan()

    def _ball_Sum(self, expr, env, analytic):
        return self._terms(expr, env, analytic, acb(0), lambda s, x: s + x)

    def _ball_Product(self, expr, env, analytic):
        return self._terms(expr, env, analytic, acb(1), lambda s, x: s * x)

    def _terms(self, expr, env, analytic, start, combine):
        function, limits = expr.function, expr.limits
        inner = type(expr)(function, *limits[:-1]) if len(limits) > 1 else function
        variable, lower, upper = limits[-1]
        if upper is sp.oo and not lower.is_infinite:
            return self._series(inner, variable, lower, env, product=isinstance(expr, sp.Product))
        bounds = []
        for bound in (lower, upper):
            ball = self(bound, env) if not bound.is_infinite else None
            if ball is None or not ball.imag.is_zero() or ball.real.unique_fmpz() is None:
                raise NoEnclosure(f"{type(expr).__name__} with a bound that is not a finite integer: "
                                  "an infinite series has no certified value here")
            bounds.append(int(ball.real.unique_fmpz()))
        first, last = bounds
        if last - first + 1 > MAX_TERMS:
            raise NoEnclosure(f"{type(expr).__name__} of more than {MAX_TERMS} terms")
        total = start
        for k in range(first, last + 1):
            total = combine(total, self(inner, {**env, variable: acb(k)}, analytic))
        # sympy's convention for an empty range (upper < lower) reverses it; keep to ranges it agrees on
        if last < first:
            raise NoEnclosure("a sum or product over an empty or reversed range")
        return total

    def _series(self, summand, variable, lower, env, product=False):
        """``sum_{variable >= lower} summand`` (with ``product``, ``prod summand``, as ``prod (1 +
        u)`` with ``u = summand - 1`` by sympy's automatic evaluation): the first terms in balls,
        the tail bounded by a ratio test the kernel proves (:mod:`.sums`)."""
        from .sums import NoSeriesBound, enclose_series

        summand = substitute(summand, {s: v for s, v in self.exact.items() if s != variable})
        if product:
            summand = summand - 1
        start = self(lower.xreplace(self.exact), env)
        if not start.imag.is_zero() or start.real.unique_fmpz() is None:
            raise NoEnclosure("an infinite series whose first index is not an integer")
        if summand.free_symbols - {variable}:
            raise NoEnclosure("an infinite series whose terms depend on an outer variable")

        def term(expr, k):
            return self(expr, {**env, variable: k})

        try:
            return enclose_series(summand, variable, int(start.real.unique_fmpz()), term, self.prec, product)
        except NoSeriesBound as exc:
            raise NoEnclosure(f"an infinite series with no certified tail bound: {exc}") from None

    def _ball_LambertW(self, expr, env, analytic):
        """``W_k(z)``: Arb's branch ``k`` (sympy's numbering); the principal branch's cut is
        ``(-oo, -1/e]``, every other branch's also runs along the negative axis."""
        z = self(expr.args[0], env, analytic)
        k = 0
        if len(expr.args) > 1:
            branch = expr.args[1]
            if not branch.is_Integer:
                raise NoEnclosure("LambertW with a branch that is not an integer")
            k = int(branch)
        if analytic and _touches_negative_axis(z):
            return _nan()
        return z.lambertw(branch=k)

    def _ball_Subs(self, expr, env, analytic):
        inner, variables, points = expr.args
        values = {v: self(p, env, analytic) for v, p in zip(variables, points)}
        return self(inner, {**env, **values}, analytic)

    # -- functions by name ---------------------------------------------------------------------
    def _ball_binomial(self, expr, env, analytic):
        """``binomial(n, k)``: at integers exactly, by sympy's own convention (0 for ``k < 0``,
        ``binomial(-1, -1) = 0``); elsewhere ``Gamma(n + 1) / (Gamma(k + 1) Gamma(n - k + 1))``
        with reciprocal gammas (entire), in balls."""
        n, k = (self(a, env, analytic) for a in expr.args)
        integral = [b.is_exact() and b.imag == 0 and b.real.is_integer() for b in (n, k)]
        if all(integral):
            top, bottom = (int(b.real.unique_fmpz()) for b in (n, k))
            if abs(top) > 10**6 and min(abs(bottom), abs(top - bottom)) > 1000:
                raise NoEnclosure("binomial(n, k) with n beyond 10^6 and k far from 0 and n")
            value = sp.binomial(top, bottom)
            return acb(int(value))
        return (n + 1).gamma() * (k + 1).rgamma() * (n - k + 1).rgamma()

    def _function(self, expr, env, analytic):
        name = type(expr).__name__
        on_cut, method = FUNCTIONS[name]
        balls = [self(a, env, analytic) for a in expr.args]
        if on_cut is not None and analytic and on_cut(balls[-1]):
            return _nan()
        return method(*balls)


def _complete_only(args):
    """The parameter of a complete elliptic integral (sympy's one-argument form)."""
    if len(args) != 1:
        raise NoEnclosure("an incomplete elliptic integral")
    return args[0]


#: sympy function name -> (the cut its last argument must avoid inside an integral, or None;
#: the Arb routine).  Arb's branches are the principal ones sympy and mpmath use.
FUNCTIONS = {
    "sin": (None, lambda z: z.sin()),
    "cos": (None, lambda z: z.cos()),
    "tan": (None, lambda z: z.tan()),
    "cot": (None, lambda z: z.cot()),
    "sec": (None, lambda z: z.sec()),
    "csc": (None, lambda z: z.csc()),
    "sinh": (None, lambda z: z.sinh()),
    "cosh": (None, lambda z: z.cosh()),
    "tanh": (None, lambda z: z.tanh()),
    "coth": (None, lambda z: z.coth()),
    "asin": (lambda z: z.imag.contains(0) and not (abs(z.real) < 1), lambda z: z.asin()),
    "acos": (lambda z: z.imag.contains(0) and not (abs(z.real) < 1), lambda z: z.acos()),
    "atan": (lambda z: z.real.contains(0) and not (abs(z.imag) < 1), lambda z: z.atan()),
    "asinh": (lambda z: z.real.contains(0) and not (abs(z.imag) < 1), lambda z: z.asinh()),
    "acosh": (lambda z: z.imag.contains(0) and not (z.real > 1), lambda z: z.acosh()),
    "atanh": (lambda z: z.imag.contains(0) and not (abs(z.real) < 1), lambda z: z.atanh()),
    # acot(z) = atan(1/z) and acoth(z) = atanh(1/z): mpmath's (and sympy's) definitions; cuts
    # on the segment (-i, i) and on [-1, 1].
    "acot": (lambda z: z.real.contains(0) and not (abs(z.imag) > 1), lambda z: (1 / z).atan()),
    "acoth": (lambda z: z.imag.contains(0) and not (abs(z.real) > 1), lambda z: (1 / z).atanh()),
    # complete elliptic integrals K(m), E(m) (parameter m, as mpmath's ellipk, ellipe): cut [1, oo)
    "elliptic_k": (_touches_ray_from_one, lambda m: m.elliptic_k()),
    "elliptic_e": (_touches_ray_from_one, lambda *a: _complete_only(a).elliptic_e()),
    "li": (_touches_negative_axis, lambda z: z.li()),
    "gamma": (None, lambda z: z.gamma()),
    "loggamma": (_touches_negative_axis, lambda z: z.lgamma()),
    "digamma": (None, lambda z: z.digamma()),
    "polygamma": (None, lambda n, z: z.polygamma(n)),
    "zeta": (None, lambda *a: a[0].zeta() if len(a) == 1 else a[0].zeta(a[1])),
    "erf": (None, lambda z: z.erf()),
    "erfc": (None, lambda z: z.erfc()),
    "erfi": (None, lambda z: z.erfi()),
    "besselj": (_touches_negative_axis, lambda n, z: z.bessel_j(n)),
    "bessely": (_touches_negative_axis, lambda n, z: z.bessel_y(n)),
    "besseli": (_touches_negative_axis, lambda n, z: z.bessel_i(n)),
    "besselk": (_touches_negative_axis, lambda n, z: z.bessel_k(n)),
    "Ei": (_touches_negative_axis, lambda z: z.ei()),
    "expint": (_touches_negative_axis, lambda n, z: z.expint(n)),
    # sympy's lowergamma(s, z) and uppergamma(s, z): Arb's gamma_lower and gamma_upper of z,
    # z^s times an entire function, so the cut is z's (the negative axis) for s not an integer.
    "lowergamma": (_touches_negative_axis, lambda s, z: z.gamma_lower(s)),
    "uppergamma": (_touches_negative_axis, lambda s, z: z.gamma_upper(s)),
    "polylog": (_touches_ray_from_one, lambda s, z: z.polylog(s)),
    "beta": (None, lambda a, b: a.gamma() * b.gamma() / (a + b).gamma()),
    "factorial": (None, lambda n: (n + 1).gamma()),
    "re": (None, lambda z: acb(z.real)),
    "im": (None, lambda z: acb(z.imag)),
    "conjugate": (None, lambda z: z.conjugate()),
    "arg": (_touches_negative_axis, lambda z: acb(z.arg())),
}


def _ball_hyper(self, expr, env, analytic):
    """sympy's ``hyper([a, b], [c], z)``: Gauss's 2F1 (other orders: Arb's generic pFq)."""
    ap, bq, z = expr.args
    a = [self(x, env, analytic) for x in ap]
    b = [self(x, env, analytic) for x in bq]
    zb = self(z, env, analytic)
    if len(a) == 2 and len(b) == 1:
        if analytic and _touches_ray_from_one(zb):
            return _nan()
        return zb.hypgeom_2f1(a[0], a[1], b[0])
    if analytic and len(a) > len(b) and _touches_ray_from_one(zb):
        return _nan()
    return zb.hypgeom(a, b)


BallEvaluator._ball_hyper = _ball_hyper


def enclose(expr, point, prec=200):
    """A ball containing the value of ``expr`` at ``point`` ({symbol: exact number}).

    Raises :class:`NoEnclosure` where Arb cannot give one.
    """
    expr = sp.sympify(expr)
    exact = {s: exact_number(v) for s, v in point.items()}
    with precision(prec):
        env = {s: point_ball(v, prec) for s, v in exact.items()}
        return BallEvaluator(prec, exact)(expr, env)


@contextlib.contextmanager
def precision(prec):
    """Arb's working precision, in bits, inside the block (arithmetic on balls outside
    :func:`enclose` must run under it too, or it rounds to 53 bits)."""
    old = ctx.prec
    ctx.prec = prec
    try:
        yield
    finally:
        ctx.prec = old


def to_mpmath(ball):
    """``(value, error)`` for mpmath: the ball's midpoint (an ``mpf``, or an ``mpc`` when the
    ball is not on the real line) and an upper bound on its distance to the value."""
    def exact(x):
        man, exp = x.mid().man_exp()
        return mpmath.mpf((int(man), int(exp)))

    def upper(x):
        man, exp = x.rad().upper().man_exp() if x.rad() != 0 else (0, 0)
        return mpmath.mpf((int(man), int(exp)))

    if not ball.is_finite():
        return mpmath.nan, mpmath.inf
    error = upper(ball.real) + upper(ball.imag)
    if ball.imag.is_zero():
        return exact(ball.real), error
    return mpmath.mpc(exact(ball.real), exact(ball.imag)), error
