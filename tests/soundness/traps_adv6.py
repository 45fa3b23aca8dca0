"""Adversary 6: traps written from the documentation only (README, checking, vocabulary, tutorial).

Aimed at the mechanisms that closed the fifth round's classes: Z3's counterexamples (are they
real points meeting every condition, through radicals and denominators, and at the integers?),
the real relaxation of integer symbols (a statement false only past the 40-digit band), extended
real symbols reaching the checker through a premise, a definition, a limit or a sum, binders
(Limit, Derivative, Subs, Sum, Product, nested integrals, a defined function applied to a bound
name), branch cuts of functions other than log and powers (atanh, asin, acoth, LambertW, polylog,
elliptic K, 2F1), sums with a symbolic limit, and two-sided limits of functions with a jump.
"""

import sympy as sp

from derive import Derivation

from . import trap
from .traps_kernel_limits import _limit

x = sp.Symbol("x", real=True)
t = sp.Symbol("t", real=True)
u = sp.Symbol("u", real=True)
y = sp.Symbol("y", real=True)
xp = sp.Symbol("x", positive=True)
a = sp.Symbol("a", real=True)
k = sp.Symbol("k", integer=True)
n = sp.Symbol("n", integer=True, positive=True)
ni = sp.Symbol("n", integer=True)
ne = sp.Symbol("n", integer=True, positive=True, even=True)
p = sp.Symbol("p", prime=True)
q = sp.Symbol("q", rational=True)
xe = sp.Symbol("x", extended_real=True)
z = sp.Symbol("z")
SQ2 = sp.sqrt(2)


def _step(statement, conditions=(), parameters=(), premises=(), defs=()):
    D = Derivation("trap")
    free = set(statement.free_symbols).union(*(c.free_symbols for c in conditions))
    free |= set().union(*(pr.free_symbols for _, pr in premises))
    free |= set().union(*(d.rhs.free_symbols for _, d in defs))
    free -= {d.lhs for _, d in defs if isinstance(d.lhs, sp.Symbol)}
    D.parameter(*sorted(free | set(parameters), key=str))
    for label, d in defs:
        D.define(label, d)
    for label, premise in premises:
        D.step(label, premise)
    D.step("s", statement, conditions=conditions,
           uses=[label for label, _ in premises] + [label for label, _ in defs])
    return D, "s"


def _eq(lhs, rhs, conditions=(), **kw):
    return _step(sp.Eq(lhs, rhs, evaluate=False), conditions=conditions, **kw)


# ---- Z3's counterexamples: real points meeting every condition? --------------------------------

@trap("adv6-z3", true=True,
      sets="x >= 4 where sqrt(x) <= x - 2, x > 0 (with sqrt's negative branch, -sqrt x <= x - 2 also "
           "admits 1 <= x < 4)")
def adv6_z3_radical_branch_true():
    return _step(sp.Ge(xp, 4), conditions=[sp.sqrt(xp) <= xp - 2])


@trap("adv6-z3", true=False, sets="x >= 5 where sqrt(x) <= x - 2, x > 0 (false at x = 4)")
def adv6_z3_radical_branch_false():
    return _step(sp.Ge(xp, 5), conditions=[sp.sqrt(xp) <= xp - 2])


@trap("adv6-z3", true=True,
      sets="x > 1 where 1/(x - 1) >= 0 (x = 1 is no point of the condition: 1/0 is not >= 0)")
def adv6_z3_reciprocal_condition_true():
    return _step(sp.Gt(x, 1), conditions=[1 / (x - 1) >= 0])


@trap("adv6-z3", true=True,
      sets="x > 1 where (x^2 - 1)/(x - 1) >= 2 (x + 1 >= 2 off x = 1; x = 1 is 0/0)")
def adv6_z3_removable_condition_true():
    return _step(sp.Gt(x, 1), conditions=[(x ** 2 - 1) / (x - 1) >= 2])


@trap("adv6-z3", true=True, sets="(x^2 - 2)^2 > 0 for rational x (Z3's point sqrt2 is not rational)")
def adv6_z3_rational_gt_true():
    return _step(sp.Gt((q ** 2 - 2) ** 2, 0))


@trap("adv6-z3", true=True,
      sets="x > 1 where x^2 - 2 >= 0 and x >= 0 for rational x (x^2 > 2 strictly off sqrt2; claim x^2 > 2)")
def adv6_z3_rational_strict_true():
    return _step(sp.Gt(q ** 2, 2), conditions=[q ** 2 >= 2])


@trap("adv6-z3", true=True,
      sets="u = n/2 + 1/4 is the root of 2u - n - 1/2 = 0 in (1/2, n) for positive integers n "
           "(empty or rootless only for real n <= 1/2)")
def adv6_root_integer_interval_true():
    D = Derivation("trap")
    D.parameter(n)
    D.root("s", u, sp.Eq(2 * u - n - sp.Rational(1, 2), 0), interval=(sp.Rational(1, 2), n))
    return D, "s"


@trap("adv6-z3", true=True,
      sets="u is the root of 2u - n - 1 = 0 in (1, n) for even positive n (odd n = 1 would empty it)")
def adv6_root_even_interval_true():
    D = Derivation("trap")
    D.parameter(ne)
    D.root("s", u, sp.Eq(2 * u - ne - 1, 0), interval=(1, ne))
    return D, "s"


@trap("adv6-z3", true=True,
      sets="u is the root of (u - 1)(u - p) = 0 in (3/2, oo) for primes p (one root, p >= 2; a real p in (1, 3/2) has "
           "none there)")
def adv6_root_prime_interval_true():
    D = Derivation("trap")
    D.parameter(p)
    D.root("s", u, sp.Eq((u - 1) * (u - p), 0), interval=(sp.Rational(3, 2), sp.oo))
    return D, "s"


@trap("adv6-z3", true=True,
      sets="solve (2n - 1) y = 1 for y: y = 1/(2n - 1), integer n (2n - 1 never vanishes at an integer)")
def adv6_solve_integer_coefficient_true():
    D = Derivation("trap")
    D.parameter(ni, y)
    D.step("p", sp.Eq((2 * ni - 1) * y, 1))
    D.solve("s", "p", y)
    return D, "s"


@trap("adv6-z3", true=True,
      sets="(3n - 1)(3n - 2) >= 0 for integers n (false on (1/3, 2/3) off the integers)")
def adv6_z3_integer_odd_square_true():
    return _step(sp.Ge((3 * ni - 1) * (3 * ni - 2), 0))


@trap("adv6-z3", true=True,
      sets="1/n^2 <= 1 "
           "for nonzero integers n (false for real 0 < |n| < 1)")
def adv6_z3_integer_reciprocal_condition_true():
    nz = sp.Symbol("n", integer=True, nonzero=True)
    return _step(sp.Le(1 / nz ** 2, 1))


# ---- extended real symbols through premises, definitions, limits, sums --------------------------

@trap("adv6-extended", true=False,
      sets="y = 1/(x^2 + 1) cited: y > 0 for extended real x (y = 0 at x = oo)")
def adv6_ext_premise_false():
    return _step(sp.Gt(y, 0), premises=[("p", sp.Eq(y, 1 / (xe ** 2 + 1)))])


@trap("adv6-extended", true=False,
      sets="y := 1/(x^2 + 1) (a definition): y > 0 for extended real x (y = 0 at x = oo)")
def adv6_ext_definition_false():
    return _step(sp.Gt(y, 0), defs=[("d", sp.Eq(y, 1 / (xe ** 2 + 1)))])


@trap("adv6-extended", true=False,
      sets="x/(x^2 + 1) > 0 where x > 1, extended real x (0 at x = oo)")
def adv6_ext_condition_false():
    return _step(sp.Gt(xe / (xe ** 2 + 1), 0), conditions=[xe > 1])


@trap("adv6-extended", true=False,
      sets="sum_{k=1}^{3} exp(-k x^2) > 0 for extended real x (0 at x = oo)")
def adv6_ext_sum_false():
    return _step(sp.Gt(sp.Sum(sp.exp(-k * xe ** 2), (k, 1, 3)), 0))


@trap("adv6-extended", true=False,
      sets="lim_{t->0+} exp(-x^2)/(exp(-x^2) + t) = 1 for extended real x (0/t = 0 at x = oo)")
def adv6_ext_limit_false():
    tp = sp.Symbol("t", positive=True)
    return _limit(sp.exp(-xe ** 2) / (sp.exp(-xe ** 2) + tp), tp, 0, 1, parameters=[xe])


@trap("adv6-extended", true=False,
      sets="exp(-x^2) != 0 for extended real x, by elimination from y = exp(-x^2) cited: y != 0")
def adv6_ext_ne_premise_false():
    return _step(sp.Ne(y, 0), premises=[("p", sp.Eq(y, sp.exp(-xe ** 2)))])


# ---- integers: true at the sampled integers, false past the bands -------------------------------

@trap("adv6-integers", true=False,
      sets="log(n) < 100 for positive integers n (false from e^100 ~ 2.7e43, past the 40-digit band)")
def adv6_int_log_bound_false():
    return _step(sp.Lt(sp.log(n), 100))


@trap("adv6-integers", true=False, sets="log(n) < 100 for even positive integers n (false from 2.7e43)")
def adv6_int_log_bound_even_false():
    return _step(sp.Lt(sp.log(ne), 100))


@trap("adv6-integers", true=False, sets="log(p) < 100 for primes p (false from 2.7e43)")
def adv6_int_log_bound_prime_false():
    return _step(sp.Lt(sp.log(p), 100))


@trap("adv6-integers", true=False,
      sets="floor(n/10^45) = 0 for positive integers n (false from n = 10^45)")
def adv6_int_floor_far_false():
    return _eq(sp.floor(n / sp.Integer(10) ** 45), 0)


@trap("adv6-integers", true=True, sets="p^2 mod 24 = 1 for primes p > 3")
def adv6_int_prime_mod24_true():
    return _eq(sp.Mod(p ** 2, 24), 1, conditions=[p > 3])


@trap("adv6-integers", true=True, sets="sin(pi (n^2 + n)/2) = 0 for integers n (n^2 + n is even)")
def adv6_int_sin_even_true():
    return _eq(sp.sin(sp.pi * (ni ** 2 + ni) / 2), 0)


@trap("adv6-integers", true=True, sets="cos(pi (n^2 + n)/2)^2 >= 1 for integers n")
def adv6_int_cos_even_order_true():
    return _step(sp.Ge(sp.cos(sp.pi * (ni ** 2 + ni) / 2) ** 2, 1))


@trap("adv6-integers", true=False,
      sets="sum_{k=1}^n k = n(n+1)/2 + floor(n/10^45) (the increment is 0 below n = 10^45)")
def adv6_sum_floor_far_false():
    return _eq(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2 + sp.floor(n / sp.Integer(10) ** 45))


@trap("adv6-integers", true=False,
      sets="sum_{k=1}^n k = n(n+1)/2 + KroneckerDelta(n, 10^45) (wrong only at n = 10^45)")
def adv6_sum_kronecker_far_false():
    return _eq(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2 + sp.KroneckerDelta(n, sp.Integer(10) ** 45))


@trap("adv6-integers", true=False,
      sets="sum_{k=1}^n 1/k^2 < pi^2/6 - 10^-45 for positive integers n (false from n ~ 10^45)")
def adv6_sum_basel_partial_false():
    return _step(sp.Lt(sp.Sum(1 / k ** 2, (k, 1, n)), sp.pi ** 2 / 6 - sp.Rational(1, 10 ** 45)))


@trap("adv6-integers", true=True, sets="sum_{k=1}^n 1/k^2 < pi^2/6 for positive integers n")
def adv6_sum_basel_partial_true():
    return _step(sp.Lt(sp.Sum(1 / k ** 2, (k, 1, n)), sp.pi ** 2 / 6))


@trap("adv6-integers", true=False,
      sets="sum_{k=1}^n (1/(k-3) - 1/(k-2)) = -1/2 - 1/(n-2) for positive integers n (the sum meets 1/0 "
           "for n >= 2; the telescoped increment holds formally)")
def adv6_sum_pole_telescoping_false():
    return _eq(sp.Sum(1 / (k - 3) - 1 / (k - 2), (k, 1, n)), -sp.Rational(1, 2) - 1 / (n - 2))


@trap("adv6-integers", true=True, sets="prod_{k=1}^n (1 + 1/k) = n + 1")
def adv6_product_telescoping_true():
    return _eq(sp.Product(1 + 1 / k, (k, 1, n)), n + 1)


@trap("adv6-integers", true=False, sets="prod_{k=1}^n (1 + 1/k) = n + 1 + floor(n/10^45)")
def adv6_product_floor_far_false():
    return _eq(sp.Product(1 + 1 / k, (k, 1, n)), n + 1 + sp.floor(n / sp.Integer(10) ** 45))


# ---- binders ------------------------------------------------------------------------------------

def _bound(statement, name, value):
    D = Derivation("trap")
    free = (statement.free_symbols | value.free_symbols) - {name}
    D.parameter(*sorted(free, key=str))
    D.define("d", sp.Eq(name, value))
    D.step("s", statement, uses=["d"])
    return D, "s"


b = sp.Symbol("b", real=True)


@trap("adv6-binders", true=False, sets="b := 1/x; Limit(b x, x, 0) = 1 (it is lim_{x'->0} x'/x = 0)")
def adv6_bind_limit_false():
    return _bound(sp.Eq(sp.Limit(b * x, x, 0), 1, evaluate=False), b, 1 / x)


@trap("adv6-binders", true=True, sets="b := 1/x; Limit(b x, x, 0) = 0")
def adv6_bind_limit_true():
    return _bound(sp.Eq(sp.Limit(b * x, x, 0), 0, evaluate=False), b, 1 / x)


@trap("adv6-binders", true=False, sets="b := x; Derivative(b x, x) = 2x (the docs' reading: x)")
def adv6_bind_derivative_false():
    return _bound(sp.Eq(sp.Derivative(b * x, x), 2 * x, evaluate=False), b, x)


@trap("adv6-binders", true=True, sets="b := x; Derivative(b x, x) = x")
def adv6_bind_derivative_true():
    return _bound(sp.Eq(sp.Derivative(b * x, x), x, evaluate=False), b, x)


@trap("adv6-binders", true=False, sets="b := k; sum_{k=1}^3 b k = 14 (it is 6k)")
def adv6_bind_sum_false():
    return _bound(sp.Eq(sp.Sum(b * k, (k, 1, 3)), 14, evaluate=False), b, k)


@trap("adv6-binders", true=True, sets="b := k; sum_{k=1}^3 b k = 6k")
def adv6_bind_sum_true():
    return _bound(sp.Eq(sp.Sum(b * k, (k, 1, 3)), 6 * k, evaluate=False), b, k)


@trap("adv6-binders", true=False, sets="b := t; Subs(b t, t, 2) = 4 (it is 2t)")
def adv6_bind_subs_false():
    return _bound(sp.Eq(sp.Subs(b * t, t, 2), 4, evaluate=False), b, t)


@trap("adv6-binders", true=False, sets="b := k; prod_{k=1}^2 (b + k) = 8 (it is (k+1)(k+2))")
def adv6_bind_product_false():
    return _bound(sp.Eq(sp.Product(b + k, (k, 1, 2)), 8, evaluate=False), b, k)


@trap("adv6-binders", true=False,
      sets="b := t; int_0^1 int_0^1 b dt dt = 1/2 (both integrals bind t; b's t is free: the value is t)")
def adv6_bind_nested_false():
    return _bound(sp.Eq(sp.Integral(sp.Integral(b, (t, 0, 1)), (t, 0, 1)), sp.Rational(1, 2),
                        evaluate=False), b, t)


@trap("adv6-binders", true=True, sets="b := t; int_0^1 int_0^1 b dt dt = t")
def adv6_bind_nested_true():
    return _bound(sp.Eq(sp.Integral(sp.Integral(b, (t, 0, 1)), (t, 0, 1)), t, evaluate=False), b, t)


M = sp.Function("M")


@trap("adv6-binders", true=False,
      sets="M(x) := int_0^1 x t dt; M(t) = 1/3 (beta-reduced without renaming; it is t/2)")
def adv6_bind_function_false():
    D = Derivation("trap")
    D.parameter(x, t)
    D.define("d", sp.Eq(M(x), sp.Integral(x * t, (t, 0, 1))))
    D.step("s", sp.Eq(M(t), sp.Rational(1, 3)), uses=["d"])
    return D, "s"


@trap("adv6-binders", true=True, sets="M(x) := int_0^1 x t dt; M(t) = t/2")
def adv6_bind_function_true():
    D = Derivation("trap")
    D.parameter(x, t)
    D.define("d", sp.Eq(M(x), sp.Integral(x * t, (t, 0, 1))))
    D.step("s", sp.Eq(M(t), t / 2), uses=["d"])
    return D, "s"


@trap("adv6-binders", true=False,
      sets="M(x) := sum_{k=1}^3 x^k; M(k) = 39 (M(k) = k + k^2 + k^3)")
def adv6_bind_function_sum_false():
    D = Derivation("trap")
    D.parameter(x, k)
    D.define("d", sp.Eq(M(x), sp.Sum(x ** k, (k, 1, 3))))
    D.step("s", sp.Eq(M(k), 1 + 4 + 27), uses=["d"])
    return D, "s"


# ---- branch cuts of other functions: conjugation symmetry fails exactly on the cut ---------------

def _conj(f, w):
    return _eq(f(sp.conjugate(w)), sp.conjugate(f(w)))


@trap("adv6-cuts", true=False, sets="atanh(conj z) = conj(atanh z) for complex z (false on the real axis, |z| > 1)")
def adv6_cut_atanh_axis_false():
    return _conj(sp.atanh, z)


@trap("adv6-cuts", true=False,
      sets="atanh(conj w) = conj(atanh w), w = (1 + i) z, complex z (false on the diagonal arg z = -pi/4, "
           "|z| > 1/sqrt2; off every axis)")
def adv6_cut_atanh_diagonal_false():
    w = (1 + sp.I) * z
    return _eq(sp.atanh(sp.conjugate(w)), sp.conjugate(sp.atanh(w)))


@trap("adv6-cuts", true=False, sets="asin(conj z) = conj(asin z) for complex z (false on the real axis, |z| > 1)")
def adv6_cut_asin_axis_false():
    return _conj(sp.asin, z)


@trap("adv6-cuts", true=False, sets="acoth(conj z) = conj(acoth z) for complex z (false on (-1, 1))")
def adv6_cut_acoth_axis_false():
    return _conj(sp.acoth, z)


@trap("adv6-cuts", true=False, sets="W(conj z) = conj(W(z)) for complex z (false on (-oo, -1/e))")
def adv6_cut_lambertw_axis_false():
    return _conj(sp.LambertW, z)


@trap("adv6-cuts", true=False, sets="Li2(conj z) = conj(Li2(z)) for complex z (false on (1, oo))")
def adv6_cut_polylog_axis_false():
    return _conj(lambda w: sp.polylog(2, w), z)


@trap("adv6-cuts", true=False, sets="K(conj m) = conj(K(m)) for complex m (false on (1, oo))")
def adv6_cut_elliptic_axis_false():
    return _conj(sp.elliptic_k, z)


@trap("adv6-cuts", true=False, sets="2F1(1, 1; 2; conj z) = conj(2F1(1, 1; 2; z)) for complex z (false on (1, oo))")
def adv6_cut_hyper_axis_false():
    return _conj(lambda w: sp.hyper((1, 1), (2,), w), z)


@trap("adv6-cuts", true=True, sets="atanh(conj z) = conj(atanh z) where im z > 0")
def adv6_cut_atanh_upper_true():
    return _eq(sp.atanh(sp.conjugate(z)), sp.conjugate(sp.atanh(z)), conditions=[sp.im(z) > 0])


@trap("adv6-cuts", true=False,
      sets="im(asin(x/2 + 1)) = 0 for real x (false for x > 0)")
def adv6_cut_asin_real_false():
    return _eq(sp.im(sp.asin(x / 2 + 1)), 0)


@trap("adv6-cuts", true=False,
      sets="acosh(conj z) = conj(acosh z) for complex z (false on (-oo, 1))")
def adv6_cut_acosh_axis_false():
    return _conj(sp.acosh, z)


# ---- two-sided limits and directions -------------------------------------------------------------

@trap("adv6-limits", true=False, sets="lim_{x->0} Heaviside(x) = 1/2, two-sided (no limit: 0 and 1)")
def adv6_limit_heaviside_twosided_false():
    return _limit(sp.Heaviside(x), x, 0, sp.Rational(1, 2), direction="+-")


@trap("adv6-limits", true=False, sets="lim_{x->0} sign(x) = 0, two-sided (no limit)")
def adv6_limit_sign_twosided_false():
    return _limit(sp.sign(x), x, 0, 0, direction="+-")


@trap("adv6-limits", true=True, sets="lim_{x->0} sign(x)^2 = 1, two-sided (the value 0 at x = 0 is not the limit)")
def adv6_limit_sign_square_true():
    return _limit(sp.sign(x) ** 2, x, 0, 1, direction="+-")


@trap("adv6-limits", true=False, sets="lim_{x->0} floor(x) = 0, two-sided (-1 from the left)")
def adv6_limit_floor_twosided_false():
    return _limit(sp.floor(x), x, 0, 0, direction="+-")


@trap("adv6-limits", true=False, sets="lim_{x->0} x exp(-1/x) = 0, two-sided (oo from the left)")
def adv6_limit_exp_twosided_false():
    return _limit(x * sp.exp(-1 / x), x, 0, 0, direction="+-")


@trap("adv6-limits", true=True, sets="lim_{x->0-} exp(1/x) = 0")
def adv6_limit_exp_left_true():
    return _limit(sp.exp(1 / x), x, 0, 0, direction="-")


@trap("adv6-limits", true=False, sets="lim_{x->0-} Heaviside(x) (x + 1) = 1 (0 from the left)")
def adv6_limit_heaviside_left_false():
    return _limit(sp.Heaviside(x) * (x + 1), x, 0, 1, direction="-")


@trap("adv6-limits", true=False,
      sets="lim_{x->0} x/sqrt(x^2) = 1, two-sided (-1 from the left)")
def adv6_limit_sqrt_square_twosided_false():
    return _limit(x / sp.sqrt(x ** 2), x, 0, 1, direction="+-")


@trap("adv6-limits", true=False,
      sets="lim_{x->0} atan(1/x) = pi/2, two-sided (-pi/2 from the left)")
def adv6_limit_atan_twosided_false():
    return _limit(sp.atan(1 / x), x, 0, sp.pi / 2, direction="+-")


@trap("adv6-limits", true=False,
      sets="lim_{x->a} (x - a)/|x - a| = 1, two-sided, at a parameter point (no limit)")
def adv6_limit_param_abs_twosided_false():
    return _limit((x - a) / sp.Abs(x - a), x, a, 1, direction="+-", parameters=[a])


# ---- batch 2: extended reals in series and roots; more Z3 assumptions; more cuts; placed points ---

@trap("adv6-extended", true=False,
      sets="exp(-x^2)/(exp(-x^2) + t) = 1 + O(t) as t -> 0+ for extended real x (0 at x = oo)")
def adv6_ext_series_false():
    tp = sp.Symbol("t", positive=True)
    D = Derivation("trap")
    D.parameter(xe)
    D.series("S", sp.exp(-xe ** 2) / (sp.exp(-xe ** 2) + tp), tp, 0, 1, form=1 + sp.O(tp))
    return D, "S"


@trap("adv6-extended", true=False,
      sets="u is the root of (x^2 + 1) u - 1 = 0 in (0, oo) for extended real x (the root 0 at x = oo is "
           "outside the open interval)")
def adv6_ext_root_false():
    D = Derivation("trap")
    D.parameter(xe)
    D.root("s", u, sp.Eq((xe ** 2 + 1) * u - 1, 0), interval=(0, sp.oo))
    return D, "s"


@trap("adv6-extended", true=False,
      sets="lim_{t->oo} t/(t + exp(x^2)) = 1 for extended real x (t/(t + oo) = 0 at x = oo)")
def adv6_ext_limit_infinity_false():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp / (tp + sp.exp(xe ** 2)), tp, sp.oo, 1, parameters=[xe])


@trap("adv6-extended", true=True,
      sets="lim_{t->0+} (t^2 + t exp(-x^2))/t = exp(-x^2)")
def adv6_ext_limit_true():
    tp = sp.Symbol("t", positive=True)
    return _limit((tp ** 2 + tp * sp.exp(-xe ** 2)) / tp, tp, 0, sp.exp(-xe ** 2), parameters=[xe])


@trap("adv6-integers", true=False,
      sets="sum_{k=1}^n k = n(n+1)/2 + Max(0, n - 10^45) (the increment is 0 below n = 10^45)")
def adv6_sum_max_far_false():
    return _eq(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2 + sp.Max(0, n - sp.Integer(10) ** 45))


@trap("adv6-integers", true=False,
      sets="sum_{k=1}^n 1/(k(k+1)) = 1 - 1/(n+1) + Heaviside(n - 10^45 - 1/2) (0 below n = 10^45)")
def adv6_sum_heaviside_far_false():
    return _eq(sp.Sum(1 / (k * (k + 1)), (k, 1, n)),
               1 - 1 / (n + 1) + sp.Heaviside(n - sp.Integer(10) ** 45 - sp.Rational(1, 2)))


@trap("adv6-z3", true=True, sets="p^2 - 5p + 6 >= 0 for primes p (negative only on (2, 3))")
def adv6_z3_prime_quadratic_true():
    return _step(sp.Ge(p ** 2 - 5 * p + 6, 0))


@trap("adv6-z3", true=True, sets="(n - 4)(n - 6) >= 0 for composite n (negative only at 5, a prime, among integers)")
def adv6_z3_composite_quadratic_true():
    c = sp.Symbol("n", composite=True)
    return _step(sp.Ge((c - 4) * (c - 6), 0))


@trap("adv6-z3", true=True, sets="x^2 > 0 for real nonzero x")
def adv6_z3_nonzero_square_true():
    xz = sp.Symbol("x", real=True, nonzero=True)
    return _step(sp.Gt(xz ** 2, 0, evaluate=False))


@trap("adv6-z3", true=True,
      sets="x^3 - x^2 <= 0 for real x with positive=False")
def adv6_z3_not_positive_cubic_true():
    xn = sp.Symbol("x", real=True, positive=False)
    return _step(sp.Le(xn ** 3 - xn ** 2, 0, evaluate=False))


@trap("adv6-z3", true=True,
      sets="n (n - 1)/(n^2 + 1) >= 0 for integers n (negative on (0, 1))")
def adv6_z3_integer_rational_function_true():
    return _step(sp.Ge(ni * (ni - 1) / (ni ** 2 + 1), 0))


@trap("adv6-z3", true=True,
      sets="x >= 4 where sqrt(x) >= 2 for real x (sqrt x with x < 0 is imaginary, no point of the condition)")
def adv6_z3_radical_real_true():
    return _step(sp.Ge(x, 4), conditions=[sp.sqrt(x) >= 2])


@trap("adv6-z3", true=True,
      sets="x > 0 where x^(1/3) > 0 for real x (principal cube root: complex for x < 0, no point of the condition)")
def adv6_z3_cube_root_condition_true():
    return _step(sp.Gt(x, 0), conditions=[x ** sp.Rational(1, 3) > 0])


@trap("adv6-cuts", true=False, sets="acot(conj z) = conj(acot z) for complex z (false on the imaginary segment (-i, i))")
def adv6_cut_acot_axis_false():
    return _conj(sp.acot, z)


@trap("adv6-cuts", true=False, sets="asinh(conj z) = conj(asinh z) for complex z (false on the imaginary axis, |z| > 1)")
def adv6_cut_asinh_axis_false():
    return _conj(sp.asinh, z)


# Relabelled true (issue 22, cuts): sympy, mpmath and Arb all define Ei(x) for x < 0 as the
# average of its two sides, -E1(-x), a real number; the reflection then holds on the cut as well
# (Ei(-2) = -0.04890... with no imaginary part in all three).
@trap("adv6-cuts", true=True,
      sets="Ei(conj z) = conj(Ei z) for complex z (on (-oo, 0) too: Ei there is the real mean of its sides)")
def adv6_cut_ei_axis_true():
    return _conj(sp.Ei, z)


@trap("adv6-cuts", true=False, sets="K_{1/3}(conj z) = conj(K_{1/3}(z)) for complex z (false on (-oo, 0))")
def adv6_cut_besselk_axis_false():
    return _conj(lambda w: sp.besselk(sp.Rational(1, 3), w), z)


@trap("adv6-cuts", true=False, sets="acos(conj z) = conj(acos z) for complex z (false on the real axis, |z| > 1)")
def adv6_cut_acos_axis_false():
    return _conj(sp.acos, z)


G6 = sp.sqrt(2) + sp.sqrt(3)
R6 = sp.sqrt(5 + 2 * sp.sqrt(6))          # equal to sqrt2 + sqrt3, which sympy cannot compare
C7 = sp.cos(sp.pi / 7) + sp.cos(3 * sp.pi / 7) + sp.cos(5 * sp.pi / 7)   # exactly 1/2


@trap("adv6-placed", true=True,
      sets="max(x - sqrt(5 + 2 sqrt6), 0) = max(x - sqrt2 - sqrt3, 0) (the same number; at the kink sympy "
           "cannot compare the other max's argument with 0)")
def adv6_placed_max_radical_true():
    return _eq(sp.Max(x - R6, 0), sp.Max(x - G6, 0))


@trap("adv6-placed", true=False,
      sets="max(x - sqrt(5 + 2 sqrt6), 0) = max(x - 10^-30 - sqrt2 - sqrt3, 0) (false for x > sqrt2 + sqrt3)")
def adv6_placed_max_radical_false():
    return _eq(sp.Max(x - R6, 0), sp.Max(x - G6 - sp.Rational(1, 10 ** 30), 0))


@trap("adv6-placed", true=True,
      sets="|x - (cos(pi/7) + cos(3pi/7) + cos(5pi/7))| = |x - 1/2| (the sum is exactly 1/2)")
def adv6_placed_abs_cos7_true():
    return _eq(sp.Abs(x - C7), sp.Abs(x - sp.Rational(1, 2)))


@trap("adv6-placed", true=True,
      sets="sign(x - sqrt(5 + 2 sqrt6)) = sign(x - sqrt2 - sqrt3)")
def adv6_placed_sign_radical_true():
    return _eq(sp.sign(x - R6), sp.sign(x - G6))


@trap("adv6-placed", true=False,
      sets="Heaviside(x - (cos(pi/7) + cos(3pi/7) + cos(5pi/7))) = Heaviside(x - 1/2) + 0^((x - 1/2)^2)/2 "
           "(the jump's value: 1/2 + 1/2 = 1 at x = 1/2, false there)")
def adv6_placed_heaviside_cos7_false():
    return _eq(sp.Heaviside(x - C7), sp.Heaviside(x - sp.Rational(1, 2))
               + sp.Pow(0, (x - sp.Rational(1, 2)) ** 2, evaluate=False) / 2)


@trap("adv6-placed", true=True,
      sets="Piecewise((x - 1/2, x > 1/2), (0, True)) = max(x - (cos(pi/7) + cos(3pi/7) + cos(5pi/7)), 0)")
def adv6_placed_piecewise_cos7_true():
    return _eq(sp.Piecewise((x - sp.Rational(1, 2), x > sp.Rational(1, 2)), (0, True)), sp.Max(x - C7, 0))


@trap("adv6-placed", true=False,
      sets="0^((x log 2 - log 8)^2) = 0 for real x (1 at x = 3)")
def adv6_placed_zero_power_log_false():
    return _eq(sp.Pow(0, (x * sp.log(2) - sp.log(8)) ** 2, evaluate=False), 0)


# ---- batch 3 ------------------------------------------------------------------------------------

xep = sp.Symbol("x", extended_positive=True)
xenn = sp.Symbol("x", extended_nonnegative=True)


@trap("adv6-extended", true=False,
      sets="lim_{t->0+} t/(t + exp(-x)) = 0 for extended positive x (at x = oo it is t/t = 1)")
def adv6_ext_positive_limit_false():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp / (tp + sp.exp(-xep)), tp, 0, 0, parameters=[xep])


@trap("adv6-extended", true=False,
      sets="lim_{t->0+} x t/(1 + x t) = 0 for extended nonnegative x (1 at x = oo)")
def adv6_ext_nonnegative_limit_false():
    tp = sp.Symbol("t", positive=True)
    return _limit(xenn * tp / (1 + xenn * tp), tp, 0, 0, parameters=[xenn])


@trap("adv6-extended", true=False,
      sets="u is the root of u - 1/x = 0 in (0, oo) for extended positive x (the root 0 at x = oo is outside)")
def adv6_ext_positive_root_false():
    D = Derivation("trap")
    D.parameter(xep)
    D.root("s", u, sp.Eq(u * xep - 1, 0), interval=(0, sp.oo))
    return D, "s"


@trap("adv6-extended", true=False,
      sets="t/(t + exp(-x^2)) = O(t) as t -> 0+ for extended real x (1 at x = oo)")
def adv6_ext_series_order_false():
    tp = sp.Symbol("t", positive=True)
    D = Derivation("trap")
    D.parameter(xe)
    D.series("S", tp / (tp + sp.exp(-xe ** 2)), tp, 0, 1, form=sp.O(tp))
    return D, "S"


@trap("adv6-extended", true=False,
      sets="y = exp(-x^2) cited: y^2 < y for extended real x > 1 (0 < 0 at x = oo)")
def adv6_ext_premise_order_false():
    return _step(sp.Lt(y ** 2, y), premises=[("p", sp.Eq(y, sp.exp(-xe ** 2)))], conditions=[xe > 1])


# cube roots and square roots in order relations: Z3's real root versus sympy's principal one

@trap("adv6-z3", true=False,
      sets="x^(1/3) > -1 for real x > -1/2 (principal cube root: complex for x < 0, no order; a real cube "
           "root would make it true)")
def adv6_z3_cube_root_order_false():
    return _step(sp.Gt(x ** sp.Rational(1, 3), -1), conditions=[x > -sp.Rational(1, 2)])


@trap("adv6-z3", true=False, sets="sqrt(x) + 1 > 0 for real x (sqrt x is imaginary for x < 0)")
def adv6_z3_sqrt_order_false():
    return _step(sp.Gt(sp.sqrt(x) + 1, 0))


@trap("adv6-z3", true=True,
      sets="sqrt(x)^3 + 1 >= x sqrt(x) for real x (both are x^(3/2), -i|x|^(3/2) for x < 0: the difference is 1)")
def adv6_z3_sqrt_cube_order_true():
    return _step(sp.Ge(sp.sqrt(x) ** 3 + 1, x * sp.sqrt(x)))


@trap("adv6-z3", true=True, sets="x^(1/3) > 0 where x > 0 (real)")
def adv6_z3_cube_root_positive_true():
    return _step(sp.Gt(x ** sp.Rational(1, 3), 0), conditions=[x > 0])


# one-sided limits of kink and jump functions: does the Laurent route read sign(t) at t = 0?

@trap("adv6-limits", true=True, sets="lim_{x->0+} sign(x) = 1")
def adv6_limit_sign_right_true():
    return _limit(sp.sign(x), x, 0, 1)


@trap("adv6-limits", true=True, sets="lim_{x->0+} Heaviside(x) = 1")
def adv6_limit_heaviside_right_true():
    return _limit(sp.Heaviside(x), x, 0, 1)


@trap("adv6-limits", true=False, sets="lim_{x->0+} Heaviside(x) = 1/2 (1 from the right; 1/2 is H(0))")
def adv6_limit_heaviside_right_false():
    return _limit(sp.Heaviside(x), x, 0, sp.Rational(1, 2))


@trap("adv6-limits", true=True, sets="lim_{x->1-} floor(x) = 0")
def adv6_limit_floor_left_true():
    return _limit(sp.floor(x), x, 1, 0, direction="-")


@trap("adv6-limits", true=False, sets="lim_{x->1-} floor(x) = 1 (floor(1) = 1 is not the left limit)")
def adv6_limit_floor_left_false():
    return _limit(sp.floor(x), x, 1, 1, direction="-")


@trap("adv6-limits", true=True, sets="lim_{x->0+} x floor(1/x) = 1")
def adv6_limit_x_floor_true():
    return _limit(x * sp.floor(1 / x), x, 0, 1)


@trap("adv6-limits", true=False, sets="lim_{x->0-} sign(x) (1 + x) = 0 (-1 from the left; sign(0) = 0)")
def adv6_limit_sign_left_false():
    return _limit(sp.sign(x) * (1 + x), x, 0, 0, direction="-")


@trap("adv6-limits", true=False, sets="lim_{x->0+} Max(x, 0)/x = 0 (it is 1)")
def adv6_limit_max_ratio_false():
    return _limit(sp.Max(x, 0) / x, x, 0, 0)


@trap("adv6-limits", true=False,
      sets="lim_{x->a+} Heaviside(x - a) = 1/2 for real a (1 from the right)")
def adv6_limit_heaviside_param_false():
    return _limit(sp.Heaviside(x - a), x, a, sp.Rational(1, 2), parameters=[a])


@trap("adv6-integers", true=False,
      sets="Mod(n, 10^45) = n for positive integers n (false from 10^45)")
def adv6_int_mod_far_false():
    return _eq(sp.Mod(n, sp.Integer(10) ** 45), n)


@trap("adv6-integers", true=False,
      sets="log(log(log(n))) < 6 for positive integers n > 20 (false beyond e^(e^403): no band, no search)")
def adv6_int_tower_false():
    return _step(sp.Lt(sp.log(sp.log(sp.log(n))), 6), conditions=[n > 20])


@trap("adv6-radicals", true=False,
      sets="sqrt((x - 1)^2 - 10^-40) >= 0 for real x (imaginary on |x - 1| < 10^-20: no order there)")
def adv6_z3_sqrt_thin_order_false():
    return _step(sp.Ge(sp.sqrt((x - 1) ** 2 - sp.Rational(1, 10 ** 40)), 0))


@trap("adv6-radicals", true=False,
      sets="x + sqrt(x^2 - 10^-40) >= x for real x (imaginary on |x| < 10^-20)")
def adv6_z3_sqrt_thin_sum_false():
    return _step(sp.Ge(x + sp.sqrt(x ** 2 - sp.Rational(1, 10 ** 40)), x))


@trap("adv6-radicals", true=False,
      sets="(x^2 - 10^-40)^(1/4) + x^2 >= 0 for real x (complex on |x| < 10^-20)")
def adv6_z3_fourth_root_thin_false():
    return _step(sp.Ge((x ** 2 - sp.Rational(1, 10 ** 40)) ** sp.Rational(1, 4) + x ** 2, 0))


@trap("adv6-radicals", true=True, sets="sqrt((x - 1)^2 + 10^-40) >= 0 for real x")
def adv6_z3_sqrt_thin_order_true():
    return _step(sp.Ge(sp.sqrt((x - 1) ** 2 + sp.Rational(1, 10 ** 40)), 0, evaluate=False))


@trap("adv6-radicals", true=False,
      sets="sqrt((x - sqrt2)^2 - 10^-40) >= 0 for real x (imaginary on |x - sqrt2| < 10^-20)")
def adv6_z3_sqrt_thin_irrational_false():
    return _step(sp.Ge(sp.sqrt((x - SQ2) ** 2 - sp.Rational(1, 10 ** 40)), 0))


@trap("adv6-radicals", true=False,
      sets="sqrt((7x - 3)^2 - 10^-40) + x^2 >= 0 for real x (imaginary on |x - 3/7| < 10^-20/7)")
def adv6_z3_sqrt_thin_rational_false():
    return _step(sp.Ge(sp.sqrt((7 * x - 3) ** 2 - sp.Rational(1, 10 ** 40)) + x ** 2, 0))


@trap("adv6-radicals", true=False,
      sets="sqrt((x - 3/7)^2 + (y - 2/7)^2 - 10^-40) >= 0 for real x, y (a disc)")
def adv6_z3_sqrt_thin_disc_false():
    return _step(sp.Ge(sp.sqrt((x - sp.Rational(3, 7)) ** 2 + (y - sp.Rational(2, 7)) ** 2
                               - sp.Rational(1, 10 ** 40)), 0))


# ---- batch 4 ------------------------------------------------------------------------------------

xen = sp.Symbol("x", extended_negative=True)
zi = sp.Symbol("z", imaginary=True)


@trap("adv6-extended", true=False, sets="exp(x) > 0 for extended negative x (0 at x = -oo)")
def adv6_ext_negative_exp_false():
    return _step(sp.Gt(sp.exp(xen), 0))


@trap("adv6-extended", true=False,
      sets="lim_{t->0+} t/(t + exp(x)) = 0 for extended negative x (1 at x = -oo)")
def adv6_ext_negative_limit_false():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp / (tp + sp.exp(xen)), tp, 0, 0, parameters=[xen])


@trap("adv6-extended", true=True,
      sets="lim_{t->0+} t/(t + x^2 + 1) = 0 for extended real x (0 at x = +-oo too)")
def adv6_ext_limit_rational_true():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp / (tp + xe ** 2 + 1), tp, 0, 0, parameters=[xe])


@trap("adv6-placed", true=True, sets="Heaviside(x) + Heaviside(-x) = 1 for real x (sympy's H(0) = 1/2)")
def adv6_placed_heaviside_sum_true():
    return _eq(sp.Heaviside(x) + sp.Heaviside(-x), 1)


@trap("adv6-placed", true=False,
      sets="Heaviside(x, 1) + Heaviside(-x, 1) = 1 for real x (H(0) = 1 given: 2 at x = 0)")
def adv6_placed_heaviside_h0_false():
    return _eq(sp.Heaviside(x, 1) + sp.Heaviside(-x, 1), 1)


@trap("adv6-placed", true=False,
      sets="Heaviside(x - sqrt2, 1) + Heaviside(sqrt2 - x, 1) = 1 for real x (2 at x = sqrt2)")
def adv6_placed_heaviside_h0_irrational_false():
    return _eq(sp.Heaviside(x - SQ2, 1) + sp.Heaviside(SQ2 - x, 1), 1)


@trap("adv6-assumptions", true=True, sets="|exp(z)| = 1 for imaginary z")
def adv6_imaginary_abs_exp_true():
    return _eq(sp.Abs(sp.exp(zi)), 1)


@trap("adv6-assumptions", true=True, sets="z^2 + z conj(z) = 0 for imaginary z")
def adv6_imaginary_square_true():
    return _eq(zi ** 2 + zi * sp.conjugate(zi), 0)


@trap("adv6-assumptions", true=True, sets="1 - z^2 >= 1 for imaginary z (z^2 = -r^2)")
def adv6_imaginary_order_true():
    return _step(sp.Ge(1 - zi ** 2, 1, evaluate=False))


@trap("adv6-integers", true=True,
      sets="sum_{k=1}^n (-1)^k = ((-1)^n - 1)/2 + 1 - (-1)^(n^2 - n) for positive integers n (the last part is 0)")
def adv6_sum_parity_true():
    return _eq(sp.Sum((-1) ** k, (k, 1, n)), ((-1) ** n - 1) / 2 + 1 - (-1) ** (n ** 2 - n))


@trap("adv6-integers", true=False,
      sets="sum_{k=1}^n (-1)^k = ((-1)^n - 1)/2 + 1 - (-1)^(n^2) for positive integers n (2 at odd n)")
def adv6_sum_parity_false():
    return _eq(sp.Sum((-1) ** k, (k, 1, n)), ((-1) ** n - 1) / 2 + 1 - (-1) ** (n ** 2))


# ---- batch 5: same-named symbols, premises' domains, huge integers -----------------------------

@trap("adv6-extended", true=False, sets="exp(x) > 0 for extended negative x (0 at x = -oo; unevaluated)")
def adv6_ext_negative_exp_unevaluated_false():
    return _step(sp.Gt(sp.exp(xen), 0, evaluate=False))


xr2 = sp.Symbol("x", real=True, nonzero=True)


@trap("adv6-names", true=False,
      sets="x = x' for a positive x and a real nonzero x' printed alike (two symbols: x' = -1 refutes)")
def adv6_names_same_name_false():
    return _eq(xp, xr2)


@trap("adv6-names", true=False,
      sets="x^2 = x x' for a positive x and a real x' printed alike (x' = -x refutes)")
def adv6_names_same_name_product_false():
    return _eq(xp ** 2, xp * x)


@trap("adv6-names", true=False,
      sets="x - x' >= 0 for a positive x and a real x' printed alike")
def adv6_names_same_name_order_false():
    return _step(sp.Ge(xp - x, 0))


@trap("adv6-names", true=True,
      sets="a := 2 (positive a), a' := 3 (real a' printed alike): a + a' = 5")
def adv6_names_two_definitions_true():
    ap, ar = sp.Symbol("a", positive=True), sp.Symbol("a", real=True)
    D = Derivation("trap")
    D.define("d1", sp.Eq(ap, 2))
    D.define("d2", sp.Eq(ar, 3))
    D.step("s", sp.Eq(ap + ar, 5), uses=["d1", "d2"])
    return D, "s"


@trap("adv6-names", true=False,
      sets="a := 2 (positive a), a' := 3 (real a' printed alike): a' = 2")
def adv6_names_two_definitions_false():
    ap, ar = sp.Symbol("a", positive=True), sp.Symbol("a", real=True)
    D = Derivation("trap")
    D.define("d1", sp.Eq(ap, 2))
    D.define("d2", sp.Eq(ar, 3))
    D.step("s", sp.Eq(ar, 2), uses=["d1", "d2"])
    return D, "s"


@trap("adv6-names", true=False,
      sets="c := 2 (a symbol) and c(x) := x^2 (a function of the same name): c(3) = 6")
def adv6_names_symbol_and_function_false():
    c, C = sp.Symbol("c", real=True), sp.Function("c")
    D = Derivation("trap")
    D.parameter(x)
    D.define("d1", sp.Eq(c, 2))
    D.define("d2", sp.Eq(C(x), x ** 2))
    D.step("s", sp.Eq(C(3), 6), uses=["d1", "d2"])
    return D, "s"


@trap("adv6-names", true=True,
      sets="c := 2 (a symbol) and c(x) := x^2 (a function of the same name): c(3) + c = 11")
def adv6_names_symbol_and_function_true():
    c, C = sp.Symbol("c", real=True), sp.Function("c")
    D = Derivation("trap")
    D.parameter(x)
    D.define("d1", sp.Eq(c, 2))
    D.define("d2", sp.Eq(C(x), x ** 2))
    D.step("s", sp.Eq(C(3) + c, 11), uses=["d1", "d2"])
    return D, "s"


def _premise_domain(premise_condition, step_condition):
    D = Derivation("trap")
    D.parameter(M, xp)
    D.step("p", sp.Eq(M(xp), xp), conditions=[premise_condition])
    D.step("s", sp.Eq(M(xp) ** 2, xp ** 2), uses=["p"], conditions=[step_condition])
    return D, "s"


@trap("adv6-domains", true=False,
      sets="M(x) = x for x^x > 4 cited where x > 2 - 10^-30 (the premise's edge x = 2 is a root of x^x = 4 "
           "sympy writes with LambertW)")
def adv6_domain_power_tower_false():
    return _premise_domain(xp ** xp > 4, xp > 2 - sp.Rational(1, 10 ** 30))


@trap("adv6-domains", true=False,
      sets="M(x) = x for x + log(x) > 1 cited where x > 1 - 10^-30 (edge x = 1, a root sympy finds by LambertW)")
def adv6_domain_log_false():
    return _premise_domain(xp + sp.log(xp) > 1, xp > 1 - sp.Rational(1, 10 ** 30))


@trap("adv6-domains", true=False,
      sets="M(x) = x where gamma(x + 1) > 1 cited, claimed for x > 1 - 10^-30 (edge x = 1: gamma(2) = 1; no "
           "closed-form solve)")
def adv6_domain_gamma_false():
    return _premise_domain(sp.gamma(xp + 1) > 1, xp > 1 - sp.Rational(1, 10 ** 30))


@trap("adv6-domains", true=True, sets="M(x) = x for x^x > 4 cited where x > 3")
def adv6_domain_power_tower_true():
    return _premise_domain(xp ** xp > 4, xp > 3)


@trap("adv6-integers", true=False, sets="Mod(2^n, 3) = (3 + (-1)^n)/2 for positive integers n (swapped parity)")
def adv6_int_mod_power_false():
    return _eq(sp.Mod(2 ** n, 3), (3 + (-1) ** n) / 2)


@trap("adv6-integers", true=True, sets="Mod(2^n, 3) = (3 - (-1)^n)/2 for positive integers n (2^n huge at 40 digits)")
def adv6_int_mod_power_true():
    return _eq(sp.Mod(2 ** n, 3), (3 - (-1) ** n) / 2)


@trap("adv6-integers", true=True, sets="3 floor(2^n/3) = 2^n - (3 - (-1)^n)/2 for positive integers n")
def adv6_int_floor_power_true():
    return _eq(3 * sp.floor(2 ** n / 3), 2 ** n - (3 - (-1) ** n) / 2)


@trap("adv6-integers", true=False, sets="3 floor(2^n/3) = 2^n - 1 for positive integers n (false at even n)")
def adv6_int_floor_power_false():
    return _eq(3 * sp.floor(2 ** n / 3), 2 ** n - 1)


@trap("adv6-integers", true=False,
      sets="cos(2 pi 2^n/3) = -1/2 + 10^-60 for positive integers n (huge phase)")
def adv6_int_cos_power_false():
    return _eq(sp.cos(2 * sp.pi * 2 ** n / 3), -sp.Rational(1, 2) + sp.Rational(1, 10 ** 60))


@trap("adv6-integers", true=True,
      sets="cos(2 pi 2^n/3) = -1/2 for integers 0 < n < 300 (2^n mod 3 is 1 or 2; bounded to stay cheap)")
def adv6_int_cos_power_true():
    return _eq(sp.cos(2 * sp.pi * 2 ** n / 3), -sp.Rational(1, 2), conditions=[n < 300])


# ---- batch 6: limits and series at -oo ----------------------------------------------------------

@trap("adv6-limits", true=False, sets="lim_{x->-oo} x/sqrt(x^2 + 1) = 1 (it is -1)")
def adv6_limit_minus_inf_sqrt_false():
    return _limit(x / sp.sqrt(x ** 2 + 1), x, -sp.oo, 1)


@trap("adv6-limits", true=True, sets="lim_{x->-oo} x/sqrt(x^2 + 1) = -1")
def adv6_limit_minus_inf_sqrt_true():
    return _limit(x / sp.sqrt(x ** 2 + 1), x, -sp.oo, -1)


@trap("adv6-limits", true=False, sets="lim_{x->-oo} atan(x) = pi/2 (it is -pi/2)")
def adv6_limit_minus_inf_atan_false():
    return _limit(sp.atan(x), x, -sp.oo, sp.pi / 2)


@trap("adv6-limits", true=False, sets="lim_{x->-oo} x (sqrt(x^2 + 1) - x) = 1/2 (it is -oo)")
def adv6_limit_minus_inf_difference_false():
    return _limit(x * (sp.sqrt(x ** 2 + 1) - x), x, -sp.oo, sp.Rational(1, 2))


@trap("adv6-limits", true=False,
      sets="lim_{x->-oo} (x^2+x)^(1/2) - |x| = 1/2 (it is -1/2)")
def adv6_limit_minus_inf_root_false():
    return _limit(sp.sqrt(x ** 2 + x) - sp.Abs(x), x, -sp.oo, sp.Rational(1, 2))


@trap("adv6-limits", true=True, sets="lim_{x->-oo} sqrt(x^2 + x) - |x| = -1/2")
def adv6_limit_minus_inf_root_true():
    return _limit(sp.sqrt(x ** 2 + x) - sp.Abs(x), x, -sp.oo, -sp.Rational(1, 2))


@trap("adv6-limits", true=False,
      sets="x/sqrt(x^2 + 1) = 1 - 1/(2x^2) + O(x^-3) at x -> -oo (it is -1 + 1/(2x^2) + ...)")
def adv6_series_minus_inf_false():
    D = Derivation("trap")
    D.parameter(x)
    D.series("S", x / sp.sqrt(x ** 2 + 1), x, -sp.oo, 3, form=1 - 1 / (2 * x ** 2) + sp.O(x ** -3, (x, -sp.oo)))
    return D, "S"


@trap("adv6-limits", true=True,
      sets="x/sqrt(x^2 + 1) = -1 + 1/(2x^2) + O(x^-3) at x -> -oo")
def adv6_series_minus_inf_true():
    D = Derivation("trap")
    D.parameter(x)
    D.series("S", x / sp.sqrt(x ** 2 + 1), x, -sp.oo, 3, form=-1 + 1 / (2 * x ** 2) + sp.O(x ** -3, (x, -sp.oo)))
    return D, "S"


@trap("adv6-limits", true=False,
      sets="lim_{x->-oo} (x^2)^(1/2)/x = 1 (it is -1)")
def adv6_limit_minus_inf_power_false():
    return _limit((x ** 2) ** sp.Rational(1, 2) / x, x, -sp.oo, 1)


# ---- batch 7: a definition of the bound name itself ----------------------------------------------

def _defined_bound(statement, name, value):
    D = Derivation("trap")
    free = (statement.free_symbols | value.free_symbols) - {name}
    if free:
        D.parameter(*sorted(free, key=str))
    D.define("d", sp.Eq(name, value))
    D.step("s", statement, uses=["d"])
    return D, "s"


@trap("adv6-binders", true=True, sets="t := 5; int_0^1 t dt = 1/2 (the bound t is not the defined one)")
def adv6_bind_defined_integral_true():
    return _defined_bound(sp.Eq(sp.Integral(t, (t, 0, 1)), sp.Rational(1, 2), evaluate=False), t, sp.Integer(5))


@trap("adv6-binders", true=False, sets="t := 5; int_0^1 t dt = 5")
def adv6_bind_defined_integral_false():
    return _defined_bound(sp.Eq(sp.Integral(t, (t, 0, 1)), 5, evaluate=False), t, sp.Integer(5))


@trap("adv6-binders", true=True, sets="k := 10; sum_{k=1}^3 k + k = 16 (one k bound, one free)")
def adv6_bind_defined_sum_true():
    return _defined_bound(sp.Eq(sp.Sum(k, (k, 1, 3)) + k, 16, evaluate=False), k, sp.Integer(10))


@trap("adv6-binders", true=False, sets="k := 10; sum_{k=1}^3 k + k = 40 (capture: 3 * 10 + 10)")
def adv6_bind_defined_sum_false():
    return _defined_bound(sp.Eq(sp.Sum(k, (k, 1, 3)) + k, 40, evaluate=False), k, sp.Integer(10))


@trap("adv6-binders", true=True, sets="t := 5; d/dt t^2 = 10 (the derivative's variable evaluated at 5)")
def adv6_bind_defined_derivative_true():
    return _defined_bound(sp.Eq(sp.Derivative(t ** 2, t), 10, evaluate=False), t, sp.Integer(5))


@trap("adv6-binders", true=False, sets="t := 5; d/dt t^2 = 0 (d/dt of 25)")
def adv6_bind_defined_derivative_false():
    return _defined_bound(sp.Eq(sp.Derivative(t ** 2, t), 0, evaluate=False), t, sp.Integer(5))


@trap("adv6-binders", true=True, sets="int_0^t t dt = t^2/2 = 25/2")
def adv6_bind_defined_limit_true():
    return _defined_bound(sp.Eq(sp.Integral(t, (t, 0, t)), sp.Rational(25, 2), evaluate=False), t, sp.Integer(5))


@trap("adv6-binders", true=False, sets="t := 5; int_0^t t dt = 25 (the bound t taken as 5 too)")
def adv6_bind_defined_limit_false():
    return _defined_bound(sp.Eq(sp.Integral(t, (t, 0, t)), 25, evaluate=False), t, sp.Integer(5))


@trap("adv6-binders", true=True, sets="x := 2; Limit(x^2, x, 3) = 9 (the limit's x is bound)")
def adv6_bind_defined_limitop_true():
    return _defined_bound(sp.Eq(sp.Limit(x ** 2, x, 3), 9, evaluate=False), x, sp.Integer(2))


@trap("adv6-binders", true=False, sets="x := 2; Limit(x^2, x, 3) = 4")
def adv6_bind_defined_limitop_false():
    return _defined_bound(sp.Eq(sp.Limit(x ** 2, x, 3), 4, evaluate=False), x, sp.Integer(2))


@trap("adv6-binders", true=True, sets="t := 5; Subs(t^2, t, 3) + t = 14")
def adv6_bind_defined_subs_true():
    return _defined_bound(sp.Eq(sp.Subs(t ** 2, t, 3) + t, 14, evaluate=False), t, sp.Integer(5))


@trap("adv6-binders", true=False, sets="t := 5; Subs(t^2, t, 3) + t = 30 (25 + 5)")
def adv6_bind_defined_subs_false():
    return _defined_bound(sp.Eq(sp.Subs(t ** 2, t, 3) + t, 30, evaluate=False), t, sp.Integer(5))


# ---- batch 8: root intervals empty only off the declared set -------------------------------------

def _root_zero(high, sym):
    D = Derivation("trap")
    D.parameter(sym)
    D.root("s", u, sp.Eq(u, 0), interval=(-1, high))
    return D, "s"


@trap("adv6-z3", true=True,
      sets="u = 0 is the root of u = 0 in (-1, (q^2 - 2)^2) for rational q (empty-ended only at q = sqrt2)")
def adv6_root_rational_interval_true():
    return _root_zero((q ** 2 - 2) ** 2, q)


@trap("adv6-z3", true=False,
      sets="u = 0 is the root of u = 0 in (-1, (x^2 - 2)^2) for irrational x (the root is the end at x = sqrt2)")
def adv6_root_irrational_interval_false():
    xi = sp.Symbol("x", irrational=True)
    return _root_zero((xi ** 2 - 2) ** 2, xi)


@trap("adv6-z3", true=True,
      sets="u = 0 is the root of u = 0 in (-1, x^2) for real nonzero x")
def adv6_root_nonzero_interval_true():
    xz = sp.Symbol("x", real=True, nonzero=True)
    return _root_zero(xz ** 2, xz)


@trap("adv6-z3", true=True,
      sets="u = 0 is the root of u = 0 in (-1, (2n - 1)^2 - 1/2) for integers n ((2n-1)^2 >= 1)")
def adv6_root_integer_square_interval_true():
    return _root_zero((2 * ni - 1) ** 2 - sp.Rational(1, 2), ni)


@trap("adv6-z3", true=True,
      sets="u = 0 is the root of u = 0 in (-1, (x^2 - 2)^2) for transcendental x")
def adv6_root_transcendental_interval_true():
    xt = sp.Symbol("x", transcendental=True, real=True)
    return _root_zero((xt ** 2 - 2) ** 2, xt)


@trap("adv6-z3", true=True,
      sets="(q^2 - 2) (q^2 - 3) != 0 for rational q")
def adv6_z3_rational_ne_product_true():
    return _step(sp.Ne((q ** 2 - 2) * (q ** 2 - 3), 0))


# ---- batch 9: extended reals where sympy's value at oo is a bound or nan -------------------------

@trap("adv6-extended", true=True,
      sets="sin(x)^2 + cos(x)^2 = 1 for extended real x (sympy: AccumBounds at oo; the identity is about "
           "the finite values, oo has no sine)")
def adv6_ext_pythagoras_true():
    return _eq(sp.sin(xe) ** 2 + sp.cos(xe) ** 2, 1)


@trap("adv6-extended", true=True,
      sets="x - floor(x) >= 0 for extended real x (oo - oo at x = oo: no value to order)")
def adv6_ext_frac_order_true():
    return _step(sp.Ge(xe - sp.floor(xe), 0))


@trap("adv6-extended", true=False,
      sets="x - floor(x) > 0 for extended real x (0 at every integer)")
def adv6_ext_frac_order_false():
    return _step(sp.Gt(xe - sp.floor(xe), 0))


@trap("adv6-extended", true=False,
      sets="|sin(x)|/(x^2 + 1) > 0 for extended real x (0 at x = oo; false at x = 0 too: sin 0 = 0)")
def adv6_ext_sin_ratio_false():
    return _step(sp.Gt(sp.Abs(sp.sin(xe)) / (xe ** 2 + 1), 0))


@trap("adv6-extended", true=False,
      sets="exp(-x^2) (2 + sin x) > 0 for extended real x (0 at x = oo; sin oo is only bounded)")
def adv6_ext_bounded_oscillation_false():
    return _step(sp.Gt(sp.exp(-xe ** 2) * (2 + sp.sin(xe)), 0))


@trap("adv6-extended", true=False,
      sets="exp(-x^2) (2 + sin x) != 0 for extended real x (0 at x = oo)")
def adv6_ext_bounded_oscillation_ne_false():
    return _step(sp.Ne(sp.exp(-xe ** 2) * (2 + sp.sin(xe)), 0))


@trap("adv6-extended", true=True,
      sets="exp(-x^2) (2 + sin x) >= 0 for extended real x (0 >= 0 at x = oo)")
def adv6_ext_bounded_oscillation_true():
    return _step(sp.Ge(sp.exp(-xe ** 2) * (2 + sp.sin(xe)), 0))


@trap("adv6-extended", true=True,
      sets="exp(-x^2) sin(x) <= exp(-x^2) for extended real x (0 <= 0 at x = oo)")
def adv6_ext_damped_sine_true():
    return _step(sp.Le(sp.exp(-xe ** 2) * sp.sin(xe), sp.exp(-xe ** 2)))


@trap("adv6-extended", true=True,
      sets="sin(x)/(x^2 + 1) <= 1 for extended real x (0 at x = oo)")
def adv6_ext_sine_ratio_true():
    return _step(sp.Le(sp.sin(xe) / (xe ** 2 + 1), 1))


@trap("adv6-extended", true=False,
      sets="x sin(1/x) < 1 for extended real x > 1 (1 - 1/(6x^2) < 1; = 1 at x = oo)")
def adv6_ext_sinc_false():
    return _step(sp.Lt(xe * sp.sin(1 / xe), 1), conditions=[xe > 1])


@trap("adv6-extended", true=True, sets="x sin(1/x) <= 1 for extended real x > 1")
def adv6_ext_sinc_true():
    return _step(sp.Le(xe * sp.sin(1 / xe), 1), conditions=[xe > 1])


# ---- batch 10: cuts with no closed-form points; limits at a parameter that can be 0 --------------

@trap("adv6-cuts", true=False,
      sets="sqrt(conj w) = conj(sqrt w), w = i z + sin z, complex z (false on the cut w <= 0, a curve near "
           "arg z = 3pi/4 with no closed-form points)")
def adv6_cut_sqrt_transcendental_false():
    w = sp.I * z + sp.sin(z)
    return _eq(sp.sqrt(sp.conjugate(w)), sp.conjugate(sp.sqrt(w)))


@trap("adv6-cuts", true=False,
      sets="sqrt(conj w) = conj(sqrt w), w = (1 + i) z + 3i, complex z (false on the line Re z + Im z = -3, "
           "Re z <= Im z: exact points w = -s solve linearly)")
def adv6_cut_sqrt_linear_false():
    w = (1 + sp.I) * z + 3 * sp.I
    return _eq(sp.sqrt(sp.conjugate(w)), sp.conjugate(sp.sqrt(w)))


@trap("adv6-cuts", true=False,
      sets="log(conj w) = conj(log w), w = z^5 + i z + 3, complex z (false on the cut, points of a quintic)")
def adv6_cut_log_quintic_false():
    w = z ** 5 + sp.I * z + 3
    return _eq(sp.log(sp.conjugate(w)), sp.conjugate(sp.log(w)))


@trap("adv6-limits", true=True,
      sets="lim_{x->a+} (x - a) log(x - a) = 0 for real a (a = 0 included: probes relative to |a| = 0?)")
def adv6_limit_param_zero_log_true():
    return _limit((x - a) * sp.log(x - a), x, a, 0, parameters=[a])


@trap("adv6-limits", true=True,
      sets="lim_{x->a+} |x - a|/(x - a) = 1 for real a (a = 0 included)")
def adv6_limit_param_zero_abs_true():
    return _limit(sp.Abs(x - a) / (x - a), x, a, 1, parameters=[a])


@trap("adv6-limits", true=True,
      sets="lim_{x->a+} (x - a)^(x - a) = 1 for real a (a = 0 included)")
def adv6_limit_param_zero_power_true():
    return _limit((x - a) ** (x - a), x, a, 1, parameters=[a])


@trap("adv6-limits", true=False,
      sets="lim_{x->a+} (x - a) log(x - a) = 10^-30 for real a")
def adv6_limit_param_zero_log_false():
    return _limit((x - a) * sp.log(x - a), x, a, sp.Rational(1, 10 ** 30), parameters=[a])


@trap("adv6-limits", true=True,
      sets="lim_{x->a^2+} sqrt(x - a^2) log(x - a^2) = 0 for real a (the point is 0 at a = 0)")
def adv6_limit_param_square_point_true():
    return _limit(sp.sqrt(x - a ** 2) * sp.log(x - a ** 2), x, a ** 2, 0, parameters=[a])


# ---- batch 11: negated integer assumptions; jumps at points with no closed form ------------------

@trap("adv6-z3", true=True,
      sets="(n - 2)(n - 3) > 0 for positive non-prime n (0 only at the primes 2, 3)")
def adv6_z3_not_prime_true():
    nnp = sp.Symbol("n", integer=True, positive=True, prime=False)
    return _step(sp.Gt((nnp - 2) * (nnp - 3), 0))


@trap("adv6-z3", true=True,
      sets="(n - 8)(n - 10) >= 0 for positive integers n that are not composite (negative only at 9)")
def adv6_z3_not_composite_true():
    nnc = sp.Symbol("n", integer=True, positive=True, composite=False)
    return _step(sp.Ge((nnc - 8) * (nnc - 10), 0))


@trap("adv6-z3", true=False,
      sets="(n - 8)(n - 10) >= 0 for positive integers n that are not prime (false at 9 = 3^2)")
def adv6_z3_not_prime_nine_false():
    nnp = sp.Symbol("n", integer=True, positive=True, prime=False)
    return _step(sp.Ge((nnp - 8) * (nnp - 10), 0))


@trap("adv6-z3", true=False,
      sets="(n - 1)(n - 3) > 0 for even integers n given as odd=False (false at n = 2)")
def adv6_z3_not_odd_false():
    nno = sp.Symbol("n", integer=True, odd=False)
    return _step(sp.Gt((nno - 1) * (nno - 3), 0))


@trap("adv6-z3", true=False,
      sets="(n - 2)(n - 4) > 0 for integers n with even=False (false at n = 3)")
def adv6_z3_not_even_false():
    nne = sp.Symbol("n", integer=True, even=False)
    return _step(sp.Gt((nne - 2) * (nne - 4), 0))


@trap("adv6-placed", true=False,
      sets="0^((x - cos x)^2) = 0 for real x (1 at the Dottie number 0.739..., which has no closed form)")
def adv6_placed_dottie_zero_power_false():
    return _eq(sp.Pow(0, (x - sp.cos(x)) ** 2, evaluate=False), 0)


@trap("adv6-placed", true=True,
      sets="max(x - cos x, 0) = (x - cos x + |x - cos x|)/2 for real x")
def adv6_placed_dottie_max_true():
    return _eq(sp.Max(x - sp.cos(x), 0), (x - sp.cos(x) + sp.Abs(x - sp.cos(x))) / 2)


@trap("adv6-placed", true=False,
      sets="max(x - cos x, 10^-40) = max(x - cos x, 0) for real x (false within 10^-40 beside the Dottie number)")
def adv6_placed_dottie_max_false():
    return _eq(sp.Max(x - sp.cos(x), sp.Rational(1, 10 ** 40)), sp.Max(x - sp.cos(x), 0))


@trap("adv6-z3", true=True,
      sets="(n - 2)(n - 4) >= 0 for integers n given as odd=False (negative only at 3, odd)")
def adv6_z3_not_odd_true():
    nno = sp.Symbol("n", integer=True, odd=False)
    return _step(sp.Ge((nno - 2) * (nno - 4), 0))


@trap("adv6-z3", true=True,
      sets="(n - 1)(n - 3) >= 0 for integers n given as even=False (negative only at 2, even)")
def adv6_z3_not_even_true():
    nne = sp.Symbol("n", integer=True, even=False)
    return _step(sp.Ge((nne - 1) * (nne - 3), 0))


# ---- batch 12: Z3 points where the claim's denominator vanishes; extended reals via probes -------

@trap("adv6-z3", true=True,
      sets="x/(x - 1) >= 1/(x - 1) + 1 for real x (equal wherever defined; x = 1 is no point)")
def adv6_z3_claim_denominator_true():
    return _step(sp.Ge(x / (x - 1), 1 / (x - 1) + 1))


@trap("adv6-z3", true=True,
      sets="(x^2 - 1)/(x - 1) > x for real x (x + 1 > x wherever defined; 0/0 at x = 1)")
def adv6_z3_claim_removable_true():
    return _step(sp.Gt((x ** 2 - 1) / (x - 1), x))


@trap("adv6-z3", true=True,
      sets="(x^2 - y^2)/(x - y) - y >= x for real x, y (0/0 on the line x = y)")
def adv6_z3_claim_removable_line_true():
    return _step(sp.Ge((x ** 2 - y ** 2) / (x - y) - y, x))


@trap("adv6-extended", true=False,
      sets="lim_{t->0+} e/(e + t) = 1, e = |exp(-x^2) - 10^-60 sin x|, extended real x (0 wherever e = 0: at the "
           "real roots of exp(-x^2) = 10^-60 sin x near x = 11.7, and at x = oo)")
def adv6_ext_limit_probes_false():
    tp = sp.Symbol("t", positive=True)
    e = sp.Abs(sp.exp(-xe ** 2) - sp.Rational(1, 10 ** 60) * sp.sin(xe))
    return _limit(e / (e + tp), tp, 0, 1, parameters=[xe])


@trap("adv6-extended", true=False,
      sets="lim_{t->0+} t^(exp(-x^2)) = 0 for extended real x (t^0 = 1 at x = oo)")
def adv6_ext_limit_power_false():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp ** sp.exp(-xe ** 2), tp, 0, 0, parameters=[xe])


@trap("adv6-limits", true=True,
      sets="lim_{t->0+} t^(exp(-x^2)) = 0 for real x (a positive power of t; at x = 4000 the exponent is "
           "e^-1.6e7 and the probes settle near 1)")
def adv6_limit_tiny_power_param_true():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp ** sp.exp(-x ** 2), tp, 0, 0, parameters=[x])


@trap("adv6-limits", true=True,
      sets="lim_{t->0+} t^(10^-20) = 0 (the probes to 1e-240 move it by 1e-17)")
def adv6_limit_tiny_power_true():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp ** sp.Rational(1, 10 ** 20), tp, 0, 0)


@trap("adv6-limits", true=True,
      sets="lim_{t->0+} t^a = 0 for a > 0 (a sampled down to 1e-12)")
def adv6_limit_small_power_param_true():
    tp = sp.Symbol("t", positive=True)
    ap = sp.Symbol("a", positive=True)
    return _limit(tp ** ap, tp, 0, 0, parameters=[ap])


@trap("adv6-limits", true=True,
      sets="lim_{x->oo} x^(-a) = 0 for a > 0")
def adv6_limit_small_power_infinity_true():
    ap = sp.Symbol("a", positive=True)
    return _limit(xp ** (-ap), xp, sp.oo, 0, parameters=[ap])


@trap("adv6-limits", true=True,
      sets="lim_{x->oo} 1/log(log(x)) = 0 (at 1e240 it is 0.16)")
def adv6_limit_loglog_true():
    return _limit(1 / sp.log(sp.log(xp)), xp, sp.oo, 0)


@trap("adv6-limits", true=True,
      sets="lim_{t->0+} 1/(1 - log t / 10^9) = 0")
def adv6_limit_slow_log_true():
    tp = sp.Symbol("t", positive=True)
    return _limit(1 / (1 - sp.log(tp) / 10 ** 9), tp, 0, 0)


@trap("adv6-limits", true=True,
      sets="lim_{t->0+} t^(e^-30) = 0 (an irrational exponent 9.4e-14: no Puiseux series, and the probes "
           "move by 5e-11)")
def adv6_limit_tiny_irrational_power_true():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp ** sp.exp(-30), tp, 0, 0)


@trap("adv6-limits", true=True, sets="lim_{x->oo} x^(-e^-30) = 0")
def adv6_limit_tiny_irrational_power_infinity_true():
    return _limit(xp ** (-sp.exp(-30)), xp, sp.oo, 0)


@trap("adv6-limits", true=True,
      sets="lim_{t->0+} t^(pi/10^15) = 0 (an irrational exponent 3e-15)")
def adv6_limit_tiny_pi_power_true():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp ** (sp.pi / 10 ** 15), tp, 0, 0)


@trap("adv6-limits", true=False,
      sets="lim_{t->0+} t^(e^-30) = 1 (it is 0; the probes at 1e-240 read 1 - 5e-11)")
def adv6_limit_tiny_irrational_power_false():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp ** sp.exp(-30), tp, 0, 1)


@trap("adv6-limits", true=True,
      sets="lim_{t->0+} t^(-e^-30) = oo (it grows without bound, but is 1 + 5e-11 at 1e-240)")
def adv6_limit_tiny_irrational_power_oo_true():
    tp = sp.Symbol("t", positive=True)
    return _limit(tp ** (-sp.exp(-30)), tp, 0, sp.oo)


@trap("adv6-limits", true=True,
      sets="lim_{x->oo} x^(e^-30) = oo")
def adv6_limit_tiny_irrational_growth_true():
    return _limit(xp ** sp.exp(-30), xp, sp.oo, sp.oo)


@trap("adv6-limits", true=True,
      sets="lim_{x->oo} x^1000 exp(-x^(1/10)) = 0 (it grows by 10^14000 between the probes at 1e15 and 1e30, "
           "then collapses)")
def adv6_limit_late_decay_true():
    return _limit(xp ** 1000 * sp.exp(-xp ** sp.Rational(1, 10)), xp, sp.oo, 0)


@trap("adv6-limits", true=True,
      sets="lim_{t->0+} exp(-t^(-1/10))/t^1000 = 0 (the same at 0)")
def adv6_limit_late_decay_zero_true():
    tp = sp.Symbol("t", positive=True)
    return _limit(sp.exp(-tp ** (-sp.Rational(1, 10))) / tp ** 1000, tp, 0, 0)


@trap("adv6-limits", true=True,
      sets="lim_{x->oo} exp(x^(1/10))/x^1000 = oo (it falls by 10^14000 between the first probes)")
def adv6_limit_late_growth_true():
    return _limit(sp.exp(xp ** sp.Rational(1, 10)) / xp ** 1000, xp, sp.oo, sp.oo)


# ---- batch 13: series whose bounded remainder ratio drifts ---------------------------------------

def _series_at0(expr, order, form):
    tp = sp.Symbol("t", positive=True)
    D = Derivation("trap")
    D.series("S", expr(tp), tp, 0, order, form=form(tp))
    return D, "S"


@trap("adv6-limits", true=True,
      sets="t (2 - 1/log(1/t)) = O(t) as t -> 0+ (the ratio creeps up to 2, bounded: a steady growth that "
           "is no logarithm)")
def adv6_series_creeping_bounded_true():
    return _series_at0(lambda s: s * (2 - 1 / sp.log(1 / s)), 1, lambda s: sp.O(s))


@trap("adv6-limits", true=True,
      sets="t (2 + sin(log t)) = O(t) as t -> 0+ (the ratio oscillates slowly between 1 and 3)")
def adv6_series_slow_oscillation_true():
    return _series_at0(lambda s: s * (2 + sp.sin(sp.log(s))), 1, lambda s: sp.O(s))


@trap("adv6-limits", true=False,
      sets="t log(log(1/t)) = O(t) as t -> 0+ (the ratio log log(1/t) grows without bound, from 2.9 to 4.3 over "
           "the probes)")
def adv6_series_loglog_false():
    return _series_at0(lambda s: s * sp.log(sp.log(1 / s)), 1, lambda s: sp.O(s))


@trap("adv6-limits", true=True,
      sets="t (3 + sin(sqrt(log(1/t)))) = O(t) as t -> 0+ (bounded, drifting one way over the probes)")
def adv6_series_slow_drift_true():
    return _series_at0(lambda s: s * (3 + sp.sin(sp.sqrt(sp.log(1 / s)))), 1, lambda s: sp.O(s))


# ---- batch 14: derivatives of premises claimed on dense sets that are not open -------------------

def _diff_on(sym):
    D = Derivation("trap")
    D.parameter(M, sym)
    D.step("p", sp.Eq(M(sym), sym ** 2))
    D.differentiate("s", "p", sym)
    return D, "s"


@trap("adv6-domains", true=False,
      sets="M(q) = q^2 for rational q, differentiated: M'(q) = 2q (M is unknown off the rationals: the premise "
           "fixes no derivative, as at the integers)")
def adv6_diff_rational_false():
    return _diff_on(q)


@trap("adv6-domains", true=False,
      sets="M(x) = x^2 for irrational x, differentiated: M'(x) = 2x (M(x) = x^2 + [x rational] is a model with no "
           "derivative anywhere)")
def adv6_diff_irrational_false():
    return _diff_on(sp.Symbol("x", irrational=True))


@trap("adv6-domains", true=False,
      sets="M(x) = x^2 for algebraic x, differentiated: M'(x) = 2x (the algebraic numbers are countable)")
def adv6_diff_algebraic_false():
    return _diff_on(sp.Symbol("x", algebraic=True))


@trap("adv6-domains", true=True, sets="M(x) = x^2 for real nonzero x, differentiated: M'(x) = 2x (an open set)")
def adv6_diff_nonzero_true():
    return _diff_on(sp.Symbol("x", real=True, nonzero=True))


def _diff_where(condition, value=x ** 2):
    D = Derivation("trap")
    D.parameter(M, x)
    D.step("p", sp.Eq(M(x), value), conditions=[condition])
    D.differentiate("s", "p", x)
    return D, "s"


@trap("adv6-domains", true=False,
      sets="M(x) = x^2 where (x - 1)^2 <= 0 (the point x = 1 alone), differentiated: M'(x) = 2x")
def adv6_diff_point_condition_false():
    return _diff_where((x - 1) ** 2 <= 0)


@trap("adv6-domains", true=False,
      sets="M(x) = x^2 where |sin(pi x)| <= 0 (the integers, by a condition), differentiated: M'(x) = 2x")
def adv6_diff_integer_condition_false():
    return _diff_where(sp.Abs(sp.sin(sp.pi * x)) <= 0)


@trap("adv6-domains", true=False,
      sets="M(x) = x^2 where x^2 >= 4 and x^2 <= 4 (two points), differentiated: M'(x) = 2x")
def adv6_diff_two_points_condition_false():
    D = Derivation("trap")
    D.parameter(M, x)
    D.step("p", sp.Eq(M(x), x ** 2), conditions=[x ** 2 >= 4, x ** 2 <= 4])
    D.differentiate("s", "p", x)
    return D, "s"


@trap("adv6-domains", true=True,
      sets="M(x) = x where x >= 0, differentiated: M'(x) = 1, which the verb claims on the interior x > 0 only "
           "(at x = 0 only the right derivative is fixed: M(x) = max(x, 0) has none there)")
def adv6_diff_closed_edge_false():
    return _diff_where(x >= 0, value=x)


@trap("adv6-domains", true=True,
      sets="M(x) = x^2 where x > 0 (open), differentiated: M'(x) = 2x")
def adv6_diff_open_true():
    return _diff_where(x > 0)
