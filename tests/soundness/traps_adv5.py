"""Adversary 5: traps written from the documentation only (README, checking, vocabulary, tutorial).

Aimed at classes the other modules leave out: a sum's induction whose sampled increment vanishes
at every sampled integer (binomial(n, K) with K past the bands), order relations on integer
symbols that are false off the integers (a local search that forgets integrality), extended real
symbols (infinite values sampled as finite ones), nonnegative symbols at exactly 0, a closed
non-polynomial condition's edge, parameter-free limits decided by sympy alone, Dirac deltas
under an integral, means of laws on even or prime integers (refuted by finite spectra whose atoms
ignore parity), infinite sums, thin windows beside irrational points and beyond the bands.
"""

import sympy as sp

from derive import Derivation
from derive.rmt import SpectralMean, UniformMean

from . import trap
from .traps_kernel_limits import _limit
from .traps_limits import _series

x = sp.Symbol("x", real=True)
t = sp.Symbol("t", real=True)
xp = sp.Symbol("x", positive=True)
y = sp.Symbol("y", positive=True)
a = sp.Symbol("a", positive=True)
an = sp.Symbol("a", nonnegative=True)
k = sp.Symbol("k", integer=True)
n = sp.Symbol("n", integer=True, positive=True)
ni = sp.Symbol("n", integer=True)
nn = sp.Symbol("n", integer=True, nonnegative=True)
xe = sp.Symbol("x", extended_real=True)
xep = sp.Symbol("x", extended_positive=True)
SQ2 = sp.sqrt(2)


def _step(statement, conditions=(), parameters=(), premises=()):
    D = Derivation("trap")
    free = set(statement.free_symbols).union(*(c.free_symbols for c in conditions))
    free |= set().union(*(p.free_symbols for _, p in premises))
    D.parameter(*sorted(free | set(parameters), key=str))
    for label, premise in premises:
        D.step(label, premise)
    D.step("s", statement, conditions=conditions, uses=[label for label, _ in premises])
    return D, "s"


def _eq(lhs, rhs, conditions=()):
    return _step(sp.Eq(lhs, rhs, evaluate=False), conditions=conditions)


# ---- sums by induction: an increment that vanishes at every sampled integer --------------------

@trap("adv5-induction", true=False,
      sets="sum_{k=1}^n k = n(n+1)/2 + binomial(n, 10^45): the increment binomial(n-1, 10^45-1) is 0 at "
           "every n the bands reach (up to 40 digits), not for n >= 10^45")
def adv5_sum_binomial_far():
    return _eq(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2 + sp.binomial(n, sp.Integer(10) ** 45))


@trap("adv5-induction", true=True, sets="sum_{k=1}^n binomial(k, 3) = binomial(n + 1, 4) (hockey stick)")
def adv5_sum_hockey_stick_true():
    return _eq(sp.Sum(sp.binomial(k, 3), (k, 1, n)), sp.binomial(n + 1, 4))


@trap("adv5-integers", true=False,
      sets="binomial(n, 10^45) = 0 for positive integers n (false from n = 10^45, past the 40-digit band)")
def adv5_binomial_far_zero():
    return _eq(sp.binomial(n, sp.Integer(10) ** 45), 0)


@trap("adv5-integers", true=True, sets="binomial(n, n^2 - 5) = 0 for integers n >= 3 (n^2 - 5 > n)")
def adv5_binomial_square_true():
    return _eq(sp.binomial(n, n ** 2 - 5), 0, conditions=[n >= 3])


# ---- order relations on integers: false between the integers -----------------------------------

@trap("adv5-integers", true=True,
      sets="cos(pi n/2)^4 + sin(pi n/2)^4 >= 1 for integer n (it is 1 at every integer, 1/2 at n = 1/2)")
def adv5_int_quartic_trig_true():
    return _step(sp.Ge(sp.cos(sp.pi * ni / 2) ** 4 + sp.sin(sp.pi * ni / 2) ** 4, 1))


@trap("adv5-integers", true=True,
      sets="|sin(pi sqrt2 n)| >= 1/(4n) for positive integers n (|2n^2 - m^2| >= 1; false between integers)")
def adv5_int_sqrt2_diophantine_true():
    return _step(sp.Ge(sp.Abs(sp.sin(sp.pi * SQ2 * n)), 1 / (4 * n)))


@trap("adv5-integers", true=False,
      sets="|sin(pi sqrt2 n)| >= 6/(5n) for integers n > 10^6: false exactly at the convergents' denominators "
           "of sqrt2 (|q sqrt2 - p| ~ 0.354/q), a set of density 0")
def adv5_int_sqrt2_convergents_false():
    return _step(sp.Ge(sp.Abs(sp.sin(sp.pi * SQ2 * n)), sp.Rational(6, 5) / n), conditions=[n > 10 ** 6])


@trap("adv5-integers", true=True,
      sets="cos(pi sqrt(4n + 2)) > -1 for nonnegative integers n (4n + 2 is never an odd square)")
def adv5_int_never_odd_square_true():
    return _step(sp.Gt(sp.cos(sp.pi * sp.sqrt(4 * nn + 2)), -1))


# ---- extended real symbols: infinity is admissible ----------------------------------------------

@trap("adv5-extended", true=False,
      sets="1/(x^2 + 1) > 0 for extended real x (0 > 0 at x = oo)")
def adv5_extended_real_positive_false():
    return _step(sp.Gt(1 / (xe ** 2 + 1), 0))


@trap("adv5-extended", true=False,
      sets="1/x > 0 for extended positive x (0 at x = oo)")
def adv5_extended_positive_reciprocal_false():
    return _step(sp.Gt(1 / xep, 0))


@trap("adv5-extended", true=False,
      sets="exp(-x) > 0 for extended real x (0 at x = oo)")
def adv5_extended_real_exp_false():
    return _step(sp.Gt(sp.exp(-xe), 0))


@trap("adv5-extended", true=False,
      sets="atan(x) < pi/2 for extended real x (equal at x = oo)")
def adv5_extended_real_atan_false():
    return _step(sp.Lt(sp.atan(xe), sp.pi / 2))


# ---- nonnegative symbols at exactly 0 ------------------------------------------------------------

@trap("adv5-zero", true=False, sets="0^a = 0 for nonnegative a (0^0 = 1)")
def adv5_zero_power_nonnegative_false():
    return _eq(sp.Pow(0, an, evaluate=False), 0)


@trap("adv5-zero", true=False, sets="0^n = 0 for nonnegative integers n (0^0 = 1)")
def adv5_zero_power_nonnegative_integer_false():
    return _eq(sp.Pow(0, nn, evaluate=False), 0)


@trap("adv5-zero", true=False, sets="lim_{x->0+} x^a = 0 for nonnegative a (it is 1 at a = 0)")
def adv5_limit_power_nonnegative_false():
    return _limit(xp ** an, xp, 0, 0, parameters=[an])


@trap("adv5-zero", true=False, sets="a/(a + x) -> 1 as x -> 0+ for nonnegative a (0/x = 0 at a = 0)")
def adv5_limit_ratio_nonnegative_false():
    return _limit(an / (an + xp), xp, 0, 1, parameters=[an])


# ---- the edge of a non-polynomial closed condition ----------------------------------------------

@trap("adv5-edges", true=False,
      sets="0^sin(a) = 0 where sin(a) >= 0, 3 < a < 4 (false at a = pi exactly, the condition's closed edge)")
def adv5_edge_sin_closed_false():
    return _eq(sp.Pow(0, sp.sin(a), evaluate=False), 0, conditions=[sp.sin(a) >= 0, a > 3, a < 4])


@trap("adv5-edges", true=False,
      sets="0^(a^2 - 2) = 0 where a^2 >= 2 (false at a = sqrt2 exactly, the closed edge)")
def adv5_edge_sqrt2_closed_false():
    return _eq(sp.Pow(0, a ** 2 - 2, evaluate=False), 0, conditions=[a ** 2 >= 2])


@trap("adv5-edges", true=False,
      sets="W(x e^x) = x for x > -1 - 10^-30 (false on (-1 - 10^-30, -1), inside the open condition)")
def adv5_edge_lambertw_false():
    return _eq(sp.LambertW(x * sp.exp(x)), x, conditions=[x > -1 - sp.Rational(1, 10 ** 30)])


@trap("adv5-edges", true=True, sets="W(x e^x) = x for x >= -1")
def adv5_edge_lambertw_true():
    return _eq(sp.LambertW(x * sp.exp(x)), x, conditions=[x >= -1])


# ---- parameter-free limits that sympy gets wrong -------------------------------------------------

H = sp.hyper((1, sp.Rational(1, 2)), (sp.Rational(3, 2),), -xp)


@trap("adv5-limits", true=False,
      sets="log(2F1(1, 1/2; 3/2; -x))/log(x) -> 0 as x -> oo (sympy's answer; it is -1/2, closing like 1/log x)")
def adv5_limit_hyper_log_sympy_false():
    return _limit(sp.log(H) / sp.log(xp), xp, sp.oo, 0)


@trap("adv5-limits", true=True,
      sets="log(2F1(1, 1/2; 3/2; -x))/log(x) -> -1/2 as x -> oo (true; sympy says 0)")
def adv5_limit_hyper_log_true():
    return _limit(sp.log(H) / sp.log(xp), xp, sp.oo, -sp.Rational(1, 2))


@trap("adv5-limits", true=False,
      sets="log(log(x) + 7)/log(log(x)) -> 2 as x -> oo (it is 1; the gap closes like 1/log log x)")
def adv5_limit_loglog_false():
    return _limit(sp.log(sp.log(xp) + 7) / sp.log(sp.log(xp)), xp, sp.oo, 2)


# ---- Dirac deltas and Heaviside under an integral -------------------------------------------------

@trap("adv5-distributions", true=False,
      sets="int_{-1}^{1} DiracDelta(t) dt = 0 (it is 1; the integrand is 0 at every point but one)")
def adv5_int_dirac_zero_false():
    return _eq(sp.Integral(sp.DiracDelta(t), (t, -1, 1)), 0)


@trap("adv5-distributions", true=True, sets="int_{-1}^{1} DiracDelta(t) dt = 1")
def adv5_int_dirac_one_true():
    return _eq(sp.Integral(sp.DiracDelta(t), (t, -1, 1)), 1)


@trap("adv5-distributions", true=True,
      sets="int_{-1}^{1} cos(t) DiracDelta(t - a) dt = cos(a) for 0 < a < 1")
def adv5_int_dirac_shift_true():
    return _eq(sp.Integral(sp.cos(t) * sp.DiracDelta(t - a), (t, -1, 1)), sp.cos(a), conditions=[a < 1])


@trap("adv5-distributions", true=False,
      sets="int_{-1}^{1} cos(t) DiracDelta(t - a) dt = 0 for 0 < a < 1 (it is cos a)")
def adv5_int_dirac_shift_false():
    return _eq(sp.Integral(sp.cos(t) * sp.DiracDelta(t - a), (t, -1, 1)), 0, conditions=[a < 1])


@trap("adv5-distributions", true=True, sets="int_0^2 sign(t - a) dt = 2 - 2a for 0 < a < 2")
def adv5_int_sign_true():
    return _eq(sp.Integral(sp.sign(t - a), (t, 0, 2)), 2 - 2 * a, conditions=[a < 2])


# ---- means of laws on even or prime integers -----------------------------------------------------

r_even = sp.Symbol("r", integer=True, positive=True, even=True)
r_prime = sp.Symbol("r", prime=True)
r_odd = sp.Symbol("r", integer=True, positive=True, odd=True)


@trap("adv5-means", true=True, sets="<r>_C >= 2 for a law on the positive even integers")
def adv5_mean_even_at_least_two_true():
    return _step(sp.Ge(SpectralMean(r_even, r_even, "C"), 2))


@trap("adv5-means", true=True, sets="<r>_C >= 2 for a law on the primes")
def adv5_mean_prime_at_least_two_true():
    return _step(sp.Ge(SpectralMean(r_prime, r_prime, "C"), 2))


@trap("adv5-means", true=True,
      sets="<(r - 1)(r - 3)>_C >= 0 for a law on the odd positive integers (negative only at r = 2)")
def adv5_mean_odd_sine_true():
    return _step(sp.Ge(SpectralMean((r_odd - 1) * (r_odd - 3), r_odd, "C"), 0))


@trap("adv5-means", true=True,
      sets="<r (r - 2)>_C >= 0 for a law on the even positive integers (negative only at r = 1)")
def adv5_mean_even_cosine_true():
    return _step(sp.Ge(SpectralMean(r_even * (r_even - 2), r_even, "C"), 0))


rr = sp.Symbol("r", positive=True)


@trap("adv5-means", true=False,
      sets="<tan(r) + 1>_C - <tan(r)>_C = 1 for a positive law (tan is unbounded on the support)")
def adv5_mean_tan_linearity_false():
    return _step(sp.Eq(SpectralMean(sp.tan(rr) + 1, rr, "C") - SpectralMean(sp.tan(rr), rr, "C"), 1))


@trap("adv5-means", true=False,
      sets="<1/(r + a - 1) + 1>_C - <1/(r + a - 1)>_C = 1 for a positive law and a > 0 (a pole on the "
           "support when a < 1)")
def adv5_mean_pole_parameter_false():
    f = 1 / (rr + a - 1)
    return _step(sp.Eq(SpectralMean(f + 1, rr, "C") - SpectralMean(f, rr, "C"), 1))


@trap("adv5-means", true=False,
      sets="<1/(U - a) + 1> - <1/(U - a)> = 1 for a > 0 (a pole inside (0, 1) when a < 1)")
def adv5_uniform_pole_parameter_false():
    u = sp.Symbol("u", positive=True)
    f = 1 / (u - a)
    return _step(sp.Eq(UniformMean(f + 1, u) - UniformMean(f, u), 1))


# ---- infinite sums and products ------------------------------------------------------------------

kk = sp.Symbol("k", integer=True, positive=True)


@trap("adv5-infinite", true=False, sets="sum_{k>=1} 1/k^2 = pi^2/6 + 10^-30")
def adv5_basel_off_false():
    return _eq(sp.Sum(1 / kk ** 2, (kk, 1, sp.oo)), sp.pi ** 2 / 6 + sp.Rational(1, 10 ** 30))


@trap("adv5-infinite", true=False,
      sets="sum_{k>=1} exp(-k/10^9)/k^2 = pi^2/6 (off by about 2e-8, a tail that bends only past k = 10^9)")
def adv5_slow_tail_false():
    return _eq(sp.Sum(sp.exp(-kk / sp.Integer(10) ** 9) / kk ** 2, (kk, 1, sp.oo)), sp.pi ** 2 / 6)


@trap("adv5-infinite", true=False, sets="prod_{k>=2} (1 - 1/k^2) = 1/2 + 10^-30")
def adv5_product_off_false():
    return _eq(sp.Product(1 - 1 / kk ** 2, (kk, 2, sp.oo)), sp.Rational(1, 2) + sp.Rational(1, 10 ** 30))


@trap("adv5-infinite", true=True, sets="sum_{k>=0} x^k/k! = exp(x)")
def adv5_exp_series_true():
    k0 = sp.Symbol("k", integer=True, nonnegative=True)
    return _eq(sp.Sum(x ** k0 / sp.factorial(k0), (k0, 0, sp.oo)), sp.exp(x))


# ---- thin windows beside irrational points ------------------------------------------------------

Y = (x - SQ2) ** 2 - sp.Rational(1, 10 ** 40)


@trap("adv5-thin", true=False,
      sets="sqrt(((x - sqrt2)^2 - 10^-40)^2) = (x - sqrt2)^2 - 10^-40 (false for |x - sqrt2| < 10^-20; a square "
           "root of a square, not an Abs)")
def adv5_thin_sqrt_square_false():
    return _eq(sp.sqrt(Y ** 2), Y)


@trap("adv5-thin", true=False,
      sets="acos(cos(y)) = y for y = (x - sqrt2)^2 - 10^-40 (false where y < 0, a window of width 2e-20)")
def adv5_thin_acos_cos_false():
    return _eq(sp.acos(sp.cos(Y)), Y)


@trap("adv5-thin", true=False,
      sets="x < exp(exp(y) + 40) for real x, y > 0 (false beyond e^41 ~ 6e17, past every band, with no big "
           "constant)")
def adv5_beyond_bands_parametric_false():
    return _step(sp.Lt(x, sp.exp(sp.exp(y) + 40)))


@trap("adv5-thin", true=False,
      sets="log(1 + x) = log x + 1/x - (1/2 + exp(-300))/x^2 + O(x^-3) at oo (a coefficient off by e^-300)")
def adv5_series_log_hidden_coefficient_false():
    return _series(sp.log(1 + xp), xp, sp.oo, 3,
                   sp.log(xp) + 1 / xp - (sp.Rational(1, 2) + sp.exp(-300)) / xp ** 2 + sp.O(xp ** -3, (xp, sp.oo)))


@trap("adv5-thin", true=False,
      sets="x^(2 - exp(-20)) = O(x^2) as x -> 0+ (the ratio x^(-2e-9) creeps from 1 by 1e-7 over the probes)")
def adv5_series_creeping_power_false():
    return _series(xp ** (2 - sp.exp(-20)), xp, 0, 2, sp.O(xp ** 2))


@trap("adv5-thin", true=True, sets="log(1 + x) = log x + 1/x - 1/(2x^2) + O(x^-3) at oo")
def adv5_series_log_true():
    return _series(sp.log(1 + xp), xp, sp.oo, 3, sp.log(xp) + 1 / xp - 1 / (2 * xp ** 2) + sp.O(xp ** -3, (xp, sp.oo)))


# ---- round 2: the classes round 1 found open --------------------------------------------------

z = sp.Symbol("z")
zi = sp.Symbol("z", imaginary=True)
xen = sp.Symbol("x", extended_nonnegative=True)
xeneg = sp.Symbol("x", extended_negative=True)


@trap("adv5-extended", true=False, sets="x^2 + 1 > x for extended real x (oo > oo is false at x = oo)")
def adv5_extended_real_square_gt_false():
    return _step(sp.Gt(xe ** 2 + 1, xe))


@trap("adv5-extended", true=False, sets="1/(x^2 + 1) != 0 for extended real x (0 at x = oo)")
def adv5_extended_real_ne_false():
    return _step(sp.Ne(1 / (xe ** 2 + 1), 0))


@trap("adv5-extended", true=True,
      sets="x^3 - x + 1 > 0 for extended positive x (minimum 1 - 2/(3 sqrt3) > 0; oo > 0 at x = oo)")
def adv5_extended_positive_cubic_true():
    return _step(sp.Gt(xep ** 3 - xep + 1, 0))


@trap("adv5-extended", true=True,
      sets="x^3 - x + 1 > 0 for extended nonnegative x (1 at 0; oo at oo)")
def adv5_extended_nonnegative_cubic_true():
    return _step(sp.Gt(xen ** 3 - xen + 1, 0))


@trap("adv5-extended", true=True, sets="x^3 - x - 1 < 0 for extended negative x")
def adv5_extended_negative_cubic_true():
    return _step(sp.Lt(xeneg ** 3 - xeneg - 1, 0))


@trap("adv5-extended", true=False, sets="x/(x^2 + 1) < 1/2... : x^2/(x^2 + 1) < 1 for extended real x (1 < 1 at oo)")
def adv5_extended_real_ratio_false():
    return _step(sp.Lt(xe ** 2 / (xe ** 2 + 1), 1))


@trap("adv5-complex", true=False, sets="z^2 + 1 > 0 for complex z (z = 2i gives -3)")
def adv5_complex_order_false():
    return _step(sp.Gt(z ** 2 + 1, 0))


@trap("adv5-complex", true=False, sets="z^2 + 1 > 0 for imaginary z (z = 2i gives -3)")
def adv5_imaginary_order_false():
    return _step(sp.Gt(zi ** 2 + 1, 0))


@trap("adv5-integers", true=False,
      sets="cos(2 pi sqrt(n)) < 1 for integers n > 10^6 (false exactly at the perfect squares)")
def adv5_int_perfect_square_false():
    return _step(sp.Lt(sp.cos(2 * sp.pi * sp.sqrt(n)), 1), conditions=[n > 10 ** 6])


@trap("adv5-integers", true=False,
      sets="0^(sin(pi sqrt n)^2) = 0 for integers n > 10^6 (1 at the perfect squares)")
def adv5_int_perfect_square_eq_false():
    return _eq(sp.Pow(0, sp.sin(sp.pi * sp.sqrt(n)) ** 2, evaluate=False), 0, conditions=[n > 10 ** 6])


@trap("adv5-integers", true=True,
      sets="cos(2 pi sqrt(4n + 2)) < 1 for integers n > 10^6 (4n + 2 is never a perfect square)")
def adv5_int_never_square_true():
    return _step(sp.Lt(sp.cos(2 * sp.pi * sp.sqrt(4 * n + 2)), 1), conditions=[n > 10 ** 6])


@trap("adv5-edges", true=False,
      sets="lim_{x->0+} x^(a^2 - 2) = 0 where a^2 >= 2 (it is 1 at a = sqrt2, the closed edge)")
def adv5_edge_limit_power_false():
    return _limit(xp ** (a ** 2 - 2), xp, 0, 0, parameters=[a], conditions=[a ** 2 >= 2])


@trap("adv5-edges", true=False,
      sets="lim_{x->0+} x^(a - 1/3) = 0 where a >= 1/3 (1 at the rational edge a = 1/3)")
def adv5_edge_limit_power_rational_false():
    return _limit(xp ** (a - sp.Rational(1, 3)), xp, 0, 0, parameters=[a], conditions=[a >= sp.Rational(1, 3)])


@trap("adv5-thin", true=False,
      sets="0^((x - sqrt2)^2) = 0 for real x (1 at x = sqrt2 alone)")
def adv5_thin_zero_power_point_false():
    return _eq(sp.Pow(0, (x - SQ2) ** 2, evaluate=False), 0)


@trap("adv5-thin", true=False,
      sets="(x - sqrt2)^2 > 0 for real x (0 at x = sqrt2; a strict inequality that only touches)")
def adv5_thin_touch_irrational_false():
    return _step(sp.Gt((x - SQ2) ** 2, 0))


@trap("adv5-thin", true=False,
      sets="(x - sqrt2)^2 + (y - sqrt3)^2 > 10^-40 for real x, y... positive y (false on a disc of radius 1e-20)")
def adv5_thin_disc_false():
    return _step(sp.Gt((x - SQ2) ** 2 + (y - sp.sqrt(3)) ** 2, sp.Rational(1, 10 ** 40)))


# ---- round 3: which assumptions the real-algebra kernel reads -----------------------------------

xnz = sp.Symbol("x", real=True, nonzero=True)
xnp = sp.Symbol("x", real=True, positive=False)
ne = sp.Symbol("n", integer=True, even=True)
r = sp.Symbol("r", positive=True)


@trap("adv5-assumptions", true=True, sets="x^2 + x^3 + x^4 > 0 for real nonzero x (x^2 (1 + x + x^2))")
def adv5_nonzero_quartic_true():
    return _step(sp.Gt(xnz ** 2 + xnz ** 3 + xnz ** 4, 0))


@trap("adv5-assumptions", true=True, sets="x^3 - x - 1 < 0 for real x with positive=False (x <= 0)")
def adv5_not_positive_cubic_true():
    return _step(sp.Lt(xnp ** 3 - xnp - 1, 0))


@trap("adv5-assumptions", true=True, sets="n^2 - n >= 0 for integers n (false only between 0 and 1)")
def adv5_integer_square_true():
    return _step(sp.Ge(ni ** 2 - ni, 0))


@trap("adv5-assumptions", true=True, sets="n^2 - 2n >= 0 for even integers n (false only strictly between 0 and 2)")
def adv5_even_square_true():
    return _step(sp.Ge(ne ** 2 - 2 * ne, 0))


@trap("adv5-assumptions", true=False,
      sets="<r>_C > 5 cited: 1/<r>_C > 0 (a mean is extended real: 1/oo = 0)")
def adv5_mean_infinite_reciprocal_false():
    m = SpectralMean(r, r, "C")
    return _step(sp.Gt(1 / m, 0), premises=[("p", sp.Gt(m, 5))])


@trap("adv5-assumptions", true=True,
      sets="<r>_C > 5 cited: <r>_C^2 > 25 (true with an infinite mean too)")
def adv5_mean_square_true():
    m = SpectralMean(r, r, "C")
    return _step(sp.Gt(m ** 2, 25), premises=[("p", sp.Gt(m, 5))])


@trap("adv5-thin", true=False,
      sets="x^(2 - 10^-9) = O(x^2) as x -> 0+ (a rational exponent with a huge denominator)")
def adv5_series_creeping_rational_false():
    return _series(xp ** (2 - sp.Rational(1, 10 ** 9)), xp, 0, 2, sp.O(xp ** 2))


@trap("adv5-thin", true=False,
      sets="x^(exp(-20)) = O(1) as x -> oo (x^2e-9 grows without bound)")
def adv5_series_creeping_infinity_false():
    return _series(xp ** sp.exp(-20), xp, sp.oo, 0, sp.O(sp.Integer(1), (xp, sp.oo)))


@trap("adv5-thin", true=False,
      sets="x^2 log(x)^(1/10^6)... : x^2 (1 + exp(-20) log x) = x^2 + O(x^3) as x -> 0+ (a log term of size 2e-9)")
def adv5_series_tiny_log_false():
    return _series(xp ** 2 * (1 + sp.exp(-20) * sp.log(xp)), xp, 0, 3, xp ** 2 + sp.O(xp ** 3))


@trap("adv5-thin", true=True, sets="x^(2 + exp(-20)) = O(x^2) as x -> 0+")
def adv5_series_creeping_power_true():
    return _series(xp ** (2 + sp.exp(-20)), xp, 0, 2, sp.O(xp ** 2))


# ---- round 4: more assumptions the real-algebra kernel may not read -----------------------------

no = sp.Symbol("n", integer=True, odd=True)
npr = sp.Symbol("n", prime=True)
nco = sp.Symbol("n", composite=True)
nnz = sp.Symbol("n", integer=True, nonzero=True)
xq = sp.Symbol("x", rational=True)
xirr = sp.Symbol("x", irrational=True)
xtr = sp.Symbol("x", transcendental=True, real=True)
xenz = sp.Symbol("x", extended_real=True, nonzero=True)


@trap("adv5-assumptions", true=True, sets="(n - 1)(n - 3) >= 0 for odd integers n (false only strictly inside (1, 3))")
def adv5_odd_square_true():
    return _step(sp.Ge(no ** 2 - 4 * no + 3, 0))


@trap("adv5-assumptions", true=True, sets="n^2 - 3n >= -2... : n^2 - 2n >= 0 for primes n (n >= 2)")
def adv5_prime_square_true():
    return _step(sp.Ge(npr ** 2 - 2 * npr, 0))


@trap("adv5-assumptions", true=True, sets="n^2 - 4n >= 0 for composite n (n >= 4)")
def adv5_composite_square_true():
    return _step(sp.Ge(nco ** 2 - 4 * nco, 0))


@trap("adv5-assumptions", true=True, sets="(n - 1)(n + 1/2) >= 0 for nonzero integers n (false only at n = 0 among the integers)")
def adv5_integer_nonzero_square_true():
    return _step(sp.Ge(nnz ** 2 - nnz / 2 - sp.Rational(1, 2), 0))


@trap("adv5-assumptions", true=True, sets="x^2 != 2 for rational x")
def adv5_rational_ne_true():
    return _step(sp.Ne(xq ** 2, 2))


@trap("adv5-assumptions", true=True, sets="x^2 + x != 2 for irrational x (the roots 1 and -2 are rational)")
def adv5_irrational_ne_true():
    return _step(sp.Ne(xirr ** 2 + xirr, 2))


@trap("adv5-assumptions", true=True, sets="x^2 + x != 1 for transcendental real x (the roots are algebraic)")
def adv5_transcendental_ne_true():
    return _step(sp.Ne(xtr ** 2 + xtr, 1))


@trap("adv5-assumptions", true=True, sets="(x^2 + x - 2)^2 > 0 for irrational x")
def adv5_irrational_gt_true():
    return _step(sp.Gt((xirr ** 2 + xirr - 2) ** 2, 0))


@trap("adv5-extended", true=True,
      sets="1/(x^2 + x^3 + x^4) > 0 for extended real nonzero x: in sympy nonzero implies finite (x.is_finite is "
           "True), so oo is not a value of x, and x^2 (1 + x + x^2) > 0 (labelled false by the adversary, who read "
           "it as admitting oo)")
def adv5_extended_real_nonzero_reciprocal_true():
    return _step(sp.Gt(1 / (xenz ** 2 + xenz ** 3 + xenz ** 4), 0))


# ---- round 5: what the real-algebra kernel takes to be real -------------------------------------

f = sp.Function("f")
rreal = sp.Symbol("r", real=True)


@trap("adv5-assumptions", true=False, sets="f(x)^2 >= 0 for an unknown function f (f = i gives -1)")
def adv5_unknown_function_square_false():
    return _step(sp.Ge(f(x) ** 2, 0), parameters=[f])


@trap("adv5-assumptions", true=False,
      sets="1/(1 + <r^2>_C^2) > 0 for a real law (0 when the second moment is infinite, a Cauchy law)")
def adv5_mean_infinite_no_premise_false():
    m = SpectralMean(rreal ** 2, rreal, "C")
    return _step(sp.Gt(1 / (1 + m ** 2), 0))


@trap("adv5-means", true=True,
      sets="<r^2>_C <= <r>_C^2 cited (a point mass): <r^3>_C = <r>_C^3 for a positive law")
def adv5_mean_point_mass_order_premise_true():
    m1, m2, m3 = (SpectralMean(r ** j, r, "C") for j in (1, 2, 3))
    return _step(sp.Eq(m3, m1 ** 3), premises=[("p", sp.Le(m2, m1 ** 2))])


@trap("adv5-means", true=True,
      sets="<(r - 1)^2>_C = 0 cited (the law is a point mass at 1): <r^3>_C = 1 for a positive law")
def adv5_mean_point_mass_moment_premise_true():
    return _step(sp.Eq(SpectralMean(r ** 3, r, "C"), 1), premises=[("p", sp.Eq(SpectralMean((r - 1) ** 2, r, "C"), 0))])


# ---- round 6: parity and infinity through other rules -------------------------------------------

nep = sp.Symbol("n", integer=True, positive=True, even=True)
u_ = sp.Symbol("u", real=True)


@trap("adv5-assumptions", true=True,
      sets="sum_{k=1}^n (-1)^k = 0 for even positive n (it is -1 for odd n)")
def adv5_sum_alternating_even_true():
    return _eq(sp.Sum((-1) ** k, (k, 1, nep)), 0)


@trap("adv5-assumptions", true=True,
      sets="u = n^2 - 2n is the root of u - n^2 + 2n = 0 in (-1/2, oo) for even n (for n = 1 it is -1, outside)")
def adv5_root_even_parameter_true():
    D = Derivation("trap")
    D.parameter(ne)
    D.root("R", u_, sp.Eq(u_, ne ** 2 - 2 * ne), interval=(-sp.Rational(1, 2), sp.oo))
    return D, "R"


@trap("adv5-assumptions", true=True,
      sets="the root of u (1 + u^2)... : u = x is the root of u^3 + u = x^3 + x in (0, oo) for extended positive x "
           "... (finite x only matter); counterexamples at negative x are not admissible")
def adv5_root_extended_positive_true():
    D = Derivation("trap")
    D.parameter(xep)
    D.root("R", u_, sp.Eq(u_ ** 3 + u_, xep ** 3 + xep), interval=(0, sp.oo))
    return D, "R"


al = sp.Symbol("alpha", positive=True)


@trap("adv5-limits", true=True,
      sets="log(2F1(1, 1/alpha; 1 + 1/alpha; -x))/log(x) -> -1/alpha as x -> oo, 3/2 < alpha < 4 (sympy says 0)")
def adv5_limit_hyper_log_param_true():
    h = sp.hyper((1, 1 / al), (1 + 1 / al,), -xp)
    return _limit(sp.log(h) / sp.log(xp), xp, sp.oo, -1 / al, parameters=[al],
                  conditions=[al > sp.Rational(3, 2), al < 4])


@trap("adv5-limits", true=False,
      sets="log(2F1(1, 1/alpha; 1 + 1/alpha; -x))/log(x) -> 0 as x -> oo (sympy's answer at every rational alpha)")
def adv5_limit_hyper_log_param_false():
    h = sp.hyper((1, 1 / al), (1 + 1 / al,), -xp)
    return _limit(sp.log(h) / sp.log(xp), xp, sp.oo, 0, parameters=[al], conditions=[al > sp.Rational(3, 2), al < 4])


# ---- round 7: exact algebra where the numeric screen has nothing to evaluate --------------------

g = sp.Function("g")


@trap("adv5-exact", true=False, sets="sqrt(f(x)^2) = f(x) for an unknown f (f = -1 refutes)")
def adv5_exact_sqrt_square_unknown_false():
    return _step(sp.Eq(sp.sqrt(f(x) ** 2), f(x), evaluate=False), parameters=[f])


@trap("adv5-exact", true=False, sets="(f(x)^3)^(1/3) = f(x) for an unknown f (f = -1 refutes)")
def adv5_exact_cbrt_cube_unknown_false():
    return _step(sp.Eq((f(x) ** 3) ** sp.Rational(1, 3), f(x), evaluate=False), parameters=[f])


@trap("adv5-exact", true=False, sets="sqrt(f(x)) sqrt(g(x)) = sqrt(f(x) g(x)) for unknowns (f = g = -1 refutes)")
def adv5_exact_sqrt_product_unknown_false():
    return _step(sp.Eq(sp.sqrt(f(x)) * sp.sqrt(g(x)), sp.sqrt(f(x) * g(x)), evaluate=False), parameters=[f, g])


@trap("adv5-exact", true=False, sets="(f(x)^2)^(3/2) = f(x)^3 for an unknown f (f = -1 refutes)")
def adv5_exact_three_halves_unknown_false():
    return _step(sp.Eq((f(x) ** 2) ** sp.Rational(3, 2), f(x) ** 3, evaluate=False), parameters=[f])


@trap("adv5-exact", true=False, sets="log(exp(f(x))) = f(x) for an unknown f (f = 2 pi i refutes)")
def adv5_exact_log_exp_unknown_false():
    return _step(sp.Eq(sp.log(sp.exp(f(x))), f(x), evaluate=False), parameters=[f])


@trap("adv5-exact", true=True, sets="(f(x)^(1/2))^4 = f(x)^2 for an unknown f")
def adv5_exact_sqrt_fourth_unknown_true():
    return _step(sp.Eq(sp.Pow(sp.sqrt(f(x)), 4, evaluate=False), f(x) ** 2, evaluate=False), parameters=[f])


@trap("adv5-exact", true=False, sets="sqrt(<r>_C^2) ... : (<r>_C^2)^(1/2) = <r>_C for a real law (a negative mean refutes)")
def adv5_exact_sqrt_square_mean_false():
    m = SpectralMean(rreal, rreal, "C")
    return _eq(sp.Pow(m ** 2, sp.Rational(1, 2), evaluate=False), m)


@trap("adv5-exact", true=False, sets="sqrt(<r>_C <r^3>_C) = sqrt(<r>_C) sqrt(<r^3>_C) for a real law")
def adv5_exact_sqrt_product_mean_false():
    m1, m3 = SpectralMean(rreal, rreal, "C"), SpectralMean(rreal ** 3, rreal, "C")
    return _eq(sp.sqrt(m1 * m3), sp.sqrt(m1) * sp.sqrt(m3))


# ---- round 8: conditions the real-algebra kernel cannot read ------------------------------------

@trap("adv5-conditions", true=True, sets="x > 1/2 where exp(x) > 2 (x > log 2)")
def adv5_cond_exp_true():
    return _step(sp.Gt(x, sp.Rational(1, 2)), conditions=[sp.exp(x) > 2])


@trap("adv5-conditions", true=True, sets="x^2 > 1 where |x| > 1")
def adv5_cond_abs_true():
    return _step(sp.Gt(x ** 2, 1), conditions=[sp.Abs(x) > 1])


@trap("adv5-conditions", true=True, sets="x^2 > 1 where x < -1 or x > 1")
def adv5_cond_or_true():
    return _step(sp.Gt(x ** 2, 1), conditions=[sp.Or(x < -1, x > 1)])


@trap("adv5-conditions", true=True, sets="x >= 1 where floor(x) >= 1")
def adv5_cond_floor_true():
    return _step(sp.Ge(x, 1), conditions=[sp.floor(x) >= 1])


@trap("adv5-conditions", true=True, sets="x < 4 where sin(x) > 0 and 0 < x < 7 ... : x < 4 where sin(x) > 0, 0 < x < 5")
def adv5_cond_sin_true():
    return _step(sp.Lt(x, 4), conditions=[sp.sin(x) > 0, x > 0, x < 5])


@trap("adv5-conditions", true=True, sets="x^2 > 1/4 where x != 0 and x is... : x^4 + x^2 > 0 where x != 0")
def adv5_cond_ne_true():
    return _step(sp.Gt(x ** 4 + x ** 3 + x ** 2, 0), conditions=[sp.Ne(x, 0)])


@trap("adv5-conditions", true=False, sets="x > 1/2 where exp(x) > 3/2 (false on (log 3/2, 1/2])")
def adv5_cond_exp_false():
    return _step(sp.Gt(x, sp.Rational(1, 2)), conditions=[sp.exp(x) > sp.Rational(3, 2)])


# ---- round 9: floor and ceiling inside the real-algebra kernel ----------------------------------

@trap("adv5-floor", true=False, sets="x < 1 where ceiling(x) <= 1 (false at x = 1)")
def adv5_floor_ceiling_edge_false():
    return _step(sp.Lt(x, 1), conditions=[sp.ceiling(x) <= 1])


@trap("adv5-floor", true=True, sets="x >= 2 where floor(x) > 1 (floor is an integer)")
def adv5_floor_integer_gap_true():
    return _step(sp.Ge(x, 2), conditions=[sp.floor(x) > 1])


@trap("adv5-floor", true=False, sets="floor(x) >= x - 1/2 for real x (false at x = 0.7)")
def adv5_floor_half_false():
    return _step(sp.Ge(sp.floor(x), x - sp.Rational(1, 2)))


@trap("adv5-floor", true=False, sets="floor(x)^2 <= x^2 for real x (false at x = -1/2)")
def adv5_floor_square_false():
    return _step(sp.Le(sp.floor(x) ** 2, x ** 2))


@trap("adv5-floor", true=True, sets="2 floor(n/2) >= n - 1 for integers n")
def adv5_floor_half_integer_true():
    return _step(sp.Ge(2 * sp.floor(ni / 2), ni - 1))


@trap("adv5-floor", true=False, sets="2 floor(n/2) >= n for integers n (false for odd n)")
def adv5_floor_half_integer_false():
    return _step(sp.Ge(2 * sp.floor(ni / 2), ni))


@trap("adv5-floor", true=False,
      sets="floor(x) + floor(-x) >= 0 for real x... : floor(x) + floor(-x) = -1 off the integers: >= -1/2 is false")
def adv5_floor_reflection_false():
    return _step(sp.Ge(sp.floor(x) + sp.floor(-x), -sp.Rational(1, 2)))


@trap("adv5-floor", true=False, sets="ceiling(x) - floor(x) < 1 for real x (it is 1 off the integers)")
def adv5_ceiling_minus_floor_false():
    return _step(sp.Lt(sp.ceiling(x) - sp.floor(x), 1))


@trap("adv5-floor", true=False, sets="floor(x y) >= floor(x) floor(y) for positive x, y... : floor(x^2) >= floor(x)^2 + 1 ... false")
def adv5_floor_square_plus_false():
    return _step(sp.Ge(sp.floor(xp ** 2), sp.floor(xp) ** 2 + 1))


# ---- round 10: linearity beside a parameter-dependent pole; a narrow dip --------------------------

@trap("adv5-means", true=True,
      sets="<1/(r + a) + 1>_C - <1/(r + a)>_C = 1 for a positive law and a > 0 (bounded on [0, oo))")
def adv5_mean_pole_parameter_true():
    f_ = 1 / (rr + a)
    return _step(sp.Eq(SpectralMean(f_ + 1, rr, "C") - SpectralMean(f_, rr, "C"), 1))


@trap("adv5-means", true=False,
      sets="<1/(r^2 - 2 a r + 1) + 1>_C - <1/(r^2 - 2 a r + 1)>_C = 1 for a positive law and a > 0 "
           "(a real root r = a - sqrt(a^2 - 1) on the support when a >= 1)")
def adv5_mean_quadratic_pole_parameter_false():
    f_ = 1 / (rr ** 2 - 2 * a * rr + 1)
    return _step(sp.Eq(SpectralMean(f_ + 1, rr, "C") - SpectralMean(f_, rr, "C"), 1))


@trap("adv5-thin", true=False,
      sets="1 - 2/(1 + 10^40 (x - sqrt2)^2) > -1/2 for real x (false on |x - sqrt2| < 5.8e-21; 1 - 2e-8 at the "
           "nearest double)")
def adv5_thin_spike_false():
    return _step(sp.Gt(1 - 2 / (1 + sp.Integer(10) ** 40 * (x - SQ2) ** 2), -sp.Rational(1, 2)))


def _lin(f_, var=rr):
    """<f + 1> - <f> = 1 over one law: linearity, true only where <f> exists."""
    return _step(sp.Eq(SpectralMean(f_ + 1, var, "C") - SpectralMean(f_, var, "C"), 1))


@trap("adv5-means", true=False, sets="<exp(r) + 1> - <exp(r)> = 1 for a positive law (<exp r> may be infinite)")
def adv5_mean_exp_linearity_false():
    return _lin(sp.exp(rr))


@trap("adv5-means", true=False, sets="<r sin(r) + 1> - <r sin(r)> = 1 for a positive law (unbounded, may not exist)")
def adv5_mean_r_sin_linearity_false():
    return _lin(rr * sp.sin(rr))


@trap("adv5-means", true=False, sets="<sin(r)/cos(r) + 1> - <sin(r)/cos(r)> = 1 (tan in disguise)")
def adv5_mean_sin_over_cos_linearity_false():
    return _lin(sp.sin(rr) / sp.cos(rr))


@trap("adv5-means", true=False, sets="<1/sin(r) + 1> - <1/sin(r)> = 1 for a positive law (poles at k pi)")
def adv5_mean_csc_linearity_false():
    return _lin(1 / sp.sin(rr))


@trap("adv5-means", true=False, sets="<log(r) + 1> - <log(r)> = 1 for a positive law (may be -oo or undefined)")
def adv5_mean_log_linearity_false():
    return _lin(sp.log(rr))


@trap("adv5-means", true=False, sets="<sin(1/r)/r + 1> - <sin(1/r)/r> = 1 for a positive law (unbounded at 0)")
def adv5_mean_sin_recip_linearity_false():
    return _lin(sp.sin(1 / rr) / rr)


@trap("adv5-means", true=True, sets="<atan(r) + 1> - <atan(r)> = 1 for a positive law (bounded)")
def adv5_mean_atan_linearity_true():
    return _lin(sp.atan(rr))


@trap("adv5-means", true=False, sets="<exp(sin(r)) r + 1> - <exp(sin(r)) r> = 1 (a bounded factor times r)")
def adv5_mean_bounded_times_r_false():
    return _lin(sp.exp(sp.sin(rr)) * rr)


# ---- round 11: a bound variable and a free symbol of the same name, other assumptions ---------------

t_pos = sp.Symbol("t", positive=True)


@trap("adv5-names", true=False,
      sets="<r y>_C = r <y>_C with the free r real and the bound r positive (two symbols named r)")
def adv5_names_scaling_bound_free_false():
    return _step(sp.Eq(SpectralMean(rr * y, rr, "C"), rreal * SpectralMean(y, rr, "C")))


@trap("adv5-names", true=True,
      sets="int_0^1 t' t dt' = t/2 with the bound t' positive and the free t real, both named t")
def adv5_names_integral_bound_free_true():
    return _eq(sp.Integral(t_pos * t, (t_pos, 0, 1)), t / 2)


@trap("adv5-names", true=False,
      sets="int_0^1 t' t dt' = 1/3 ... : = t^2/2 with the bound t' positive and the free t real, both named t")
def adv5_names_integral_bound_free_false():
    return _eq(sp.Integral(t_pos * t, (t_pos, 0, 1)), t ** 2 / 2 + sp.Rational(1, 3) - t ** 2 / 2 + (t - t_pos) * 0 +
               0 * t)


@trap("adv5-names", true=True,
      sets="sum_{k=1}^{3} k n = 6 n with the bound k positive and a free integer n named k... : bound k, free k")
def adv5_names_sum_bound_free_true():
    kp = sp.Symbol("k", positive=True, integer=True)
    return _eq(sp.Sum(kp * k, (kp, 1, 3)), 6 * k)


# ---- round 12: more assumption kinds in the real-algebra kernel -----------------------------------

xz = sp.Symbol("x", zero=True)


@trap("adv5-assumptions", true=True, sets="1/(x + 1) > 1/2 for a symbol assumed zero")
def adv5_zero_symbol_true():
    return _step(sp.Gt(1 / (xz + 1), sp.Rational(1, 2)))


@trap("adv5-assumptions", true=True, sets="(x^2 - 2)^2 > 0 for rational x (sqrt2 is irrational)")
def adv5_rational_gt_true():
    return _step(sp.Gt((xq ** 2 - 2) ** 2, 0))


@trap("adv5-assumptions", true=True,
      sets="(x - 1)(x - 2) >= 0 for an integer-valued ... : for x with integer=True, positive=True: (x - 1)(x - 2) >= 0")
def adv5_positive_integer_gap_true():
    return _step(sp.Ge((n - 1) * (n - 2), 0))


@trap("adv5-assumptions", true=True, sets="n^2 - 5n + 6 >= 0 for odd primes... : for primes n: (n - 2)(n - 3) >= 0")
def adv5_prime_gap_true():
    return _step(sp.Ge((npr - 2) * (npr - 3), 0))


# ---- round 13: signs of means the real-algebra kernel does not know ------------------------------

@trap("adv5-means", true=True, sets="<r>_C^2 + <r>_C >= 0 for a positive law (the mean is positive)")
def adv5_mean_positive_sign_true():
    m = SpectralMean(r, r, "C")
    return _step(sp.Ge(m ** 2 + m, 0))


@trap("adv5-means", true=True, sets="<r>_C^3 - <r>_C + 1 > 0 for a positive law")
def adv5_mean_positive_cubic_true():
    m = SpectralMean(r, r, "C")
    return _step(sp.Gt(m ** 3 - m + 1, 0))


@trap("adv5-means", true=True, sets="<r^2>_C >= <r>_C^2 for a real law (Jensen, the right way round)... as "
      "<r^2>_C - <r>_C^2 + 1 > 0")
def adv5_mean_jensen_plus_one_true():
    m1, m2 = SpectralMean(rreal, rreal, "C"), SpectralMean(rreal ** 2, rreal, "C")
    return _step(sp.Gt(m2 - m1 ** 2 + 1, 0))


# ---- round 14: a limit point that is 0 at one admissible parameter --------------------------------

@trap("adv5-limits", true=True,
      sets="lim_{x -> a - 1} 0^((x - a + 1)^2) = 0 for a > 0 (1 only at the point itself; at a = 1 the point is 0)")
def adv5_limit_point_zero_scale_true():
    return _limit(sp.Pow(0, (x - a + 1) ** 2, evaluate=False), x, a - 1, 0, direction="+-", parameters=[a])


@trap("adv5-limits", true=True,
      sets="lim_{x -> a - 1} (exp(x - a + 1) - 1)/(x - a + 1) = 1 for a > 0 (the point is 0 at a = 1)")
def adv5_limit_point_zero_scale_smooth_true():
    return _limit((sp.exp(x - a + 1) - 1) / (x - a + 1), x, a - 1, 1, direction="+-", parameters=[a])


# ---- round 15: jump functions in order relations, at an irrational jump ---------------------------

@trap("adv5-jumps", true=False, sets="sign(x - sqrt2)^2 > 1/2 for real x (0 at x = sqrt2)")
def adv5_jump_sign_irrational_false():
    return _step(sp.Gt(sp.sign(x - SQ2) ** 2, sp.Rational(1, 2)))


@trap("adv5-jumps", true=False,
      sets="H(x - sqrt2) H(sqrt2 - x) < 1/5 for real x (H(0)^2 = 1/4 at x = sqrt2)")
def adv5_jump_heaviside_product_false():
    return _step(sp.Lt(sp.Heaviside(x - SQ2) * sp.Heaviside(SQ2 - x), sp.Rational(1, 5)))


@trap("adv5-jumps", true=False,
      sets="0^((x - sqrt2)^2) < 1/2 for real x (1 at x = sqrt2)")
def adv5_jump_zero_power_order_false():
    return _step(sp.Lt(sp.Pow(0, (x - SQ2) ** 2, evaluate=False), sp.Rational(1, 2)))


@trap("adv5-jumps", true=False,
      sets="rf(0, (x - sqrt2)^2) = 0 for real x (the rising factorial (0)_0 = 1 at x = sqrt2)")
def adv5_jump_rising_factorial_false():
    return _eq(sp.RisingFactorial(0, (x - SQ2) ** 2), 0)


@trap("adv5-jumps", true=True, sets="H(x - sqrt2) + H(sqrt2 - x) >= 1 for real x (H(0) = 1/2)")
def adv5_jump_heaviside_sum_true():
    return _step(sp.Ge(sp.Heaviside(x - SQ2) + sp.Heaviside(SQ2 - x), 1))


# ---- round 16: facts simulated at points the parameters' assumptions exclude ----------------------

import numpy as np  # noqa: E402

from derive import Simulation  # noqa: E402
from derive.notation import Meaning  # noqa: E402

Xf = sp.Function("X")


def _parity_model(rng, d, point):
    """X_d(n) = cos(pi n/2)^2 + noise/d: 1 at even n, 0 at odd n."""
    m = int(point[ne_pos])
    return {Xf(ne_pos): float(np.cos(np.pi * m / 2) ** 2) + rng.standard_normal() / d}


def _sign_model(rng, d, point):
    """X_d(x) = [x <= 0] + noise/d: 0 for positive x, 1 for x <= 0."""
    v = float(point[xep])
    return {Xf(xep): (1.0 if v <= 0 else 0.0) + rng.standard_normal() / d}


ne_pos = sp.Symbol("n", integer=True, positive=True, even=True)


def _fact(var, sample, value, points):
    D = Derivation("trap")
    D.parameter(var)
    D.define("X-def", sp.Eq(Xf(var), Meaning("X_d")))
    D.fact("F", sp.Eq(Xf(var), value), uses=["X-def"],
           check=Simulation(sample, points=points, sizes=(50, 100, 200), trials=20, seed=1, tolerance=0.05,
                            absolute=True))
    return D, "F"


@trap("adv5-facts", true=False,
      sets="X(n) -> 0 for even n (it is 1), simulated at the odd points n = 3, 5, where the model gives 0")
def adv5_fact_odd_points_even_parameter_false():
    return _fact(ne_pos, _parity_model, 0, [{ne_pos: 3}, {ne_pos: 5}])


@trap("adv5-facts", true=True,
      sets="X(n) -> 1 for even n (true), simulated at the odd points n = 3, 5, where the model gives 0")
def adv5_fact_odd_points_even_parameter_true():
    return _fact(ne_pos, _parity_model, 1, [{ne_pos: 3}, {ne_pos: 5}])


@trap("adv5-facts", true=False,
      sets="X(x) -> 1 for extended positive x (it is 0), simulated at x = -1, -2, where the model gives 1")
def adv5_fact_negative_points_extended_positive_false():
    return _fact(xep, _sign_model, 1, [{xep: -1}, {xep: -2}])


def _sign_model_positive(rng, d, point):
    v = float(point[xp])
    return {Xf(xp): (1.0 if v <= 0 else 0.0) + rng.standard_normal() / d}


@trap("adv5-facts", true=False,
      sets="X(x) -> 1 for positive x (it is 0), simulated at x = -1, -2 (control: plain positive)")
def adv5_fact_negative_points_positive_false():
    return _fact(xp, _sign_model_positive, 1, [{xp: -1}, {xp: -2}])


def _prime_model(rng, d, point):
    """X_d(n) = [n > 1] + noise/d."""
    return {Xf(npr): (1.0 if int(point[npr]) > 1 else 0.0) + rng.standard_normal() / d}


@trap("adv5-facts", true=False,
      sets="X(n) -> 0 for prime n (it is 1), simulated at n = 1 (not a prime) and n = 1 again... at n = 1, 0")
def adv5_fact_nonprime_points_false():
    return _fact(npr, _prime_model, 0, [{npr: 1}, {npr: 0}])


def _fact_scaled(var, sample, value, points):
    """The fact X(var) (var^2 + 1) = value (var^2 + 1): the parameter in the statement outside X."""
    D = Derivation("trap")
    D.parameter(var)
    D.define("X-def", sp.Eq(Xf(var), Meaning("X_d")))
    D.fact("F", sp.Eq(Xf(var) * (var ** 2 + 1), value * (var ** 2 + 1)), uses=["X-def"],
           check=Simulation(sample, points=points, sizes=(50, 100, 200), trials=20, seed=1, tolerance=0.5,
                            absolute=True))
    return D, "F"


@trap("adv5-facts", true=False,
      sets="X(x)(x^2 + 1) = x^2 + 1 for positive x (X -> 0), at x = -1, -2 (the parameter outside X too)")
def adv5_fact_scaled_negative_points_positive_false():
    return _fact_scaled(xp, _sign_model_positive, 1, [{xp: -1}, {xp: -2}])


@trap("adv5-facts", true=False,
      sets="X(x)(x^2 + 1) = x^2 + 1 for extended positive x (X -> 0), at x = -1, -2")
def adv5_fact_scaled_negative_points_extended_false():
    return _fact_scaled(xep, _sign_model, 1, [{xep: -1}, {xep: -2}])


@trap("adv5-facts", true=False,
      sets="X(n)(n^2 + 1) = 0 for even n (X -> 1), at the odd points n = 3, 5")
def adv5_fact_scaled_odd_points_false():
    return _fact_scaled(ne_pos, _parity_model, 0, [{ne_pos: 3}, {ne_pos: 5}])


@trap("adv5-assumptions", true=False,
      sets="1/<1/U> > 0 (the mean <1/U> = int_0^1 du/u is infinite, so the left side is 0)")
def adv5_uniform_infinite_mean_reciprocal_false():
    u = sp.Symbol("u", positive=True)
    return _step(sp.Gt(1 / UniformMean(1 / u, u), 0))


@trap("adv5-assumptions", true=False,
      sets="<1/U>/(1 + <1/U>^2) ... : 1/(1 + <1/U>^2) > 0 (0 for the infinite mean)")
def adv5_uniform_infinite_mean_square_false():
    u = sp.Symbol("u", positive=True)
    m = UniformMean(1 / u, u)
    return _step(sp.Gt(1 / (1 + m ** 2), 0))


# ---- round 17: a premise claimed on one region, used on another -----------------------------------

@trap("adv5-conditions", true=False,
      sets="premise x y = 1 where x > 0; step y^2 x^2 = 1 where x < 0 (the premise says nothing there)")
def adv5_premise_region_elimination_false():
    xr, yr = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.parameter(xr, yr)
    D.step("p", sp.Eq(xr * yr, 1), conditions=[xr > 0])
    D.step("s", sp.Eq(yr ** 2 * xr ** 2, 1), uses=["p"], conditions=[xr < 0])
    return D, "s"


@trap("adv5-conditions", true=False,
      sets="premise y > 1 where x > 0; step y^2 > 1 where x < 0 (the premise says nothing there)")
def adv5_premise_region_order_false():
    xr, yr = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.parameter(xr, yr)
    D.step("p", sp.Gt(yr, 1), conditions=[xr > 0])
    D.step("s", sp.Gt(yr ** 2, 1), uses=["p"], conditions=[xr < 0])
    return D, "s"


M_ = sp.Function("M")


@trap("adv5-conditions", true=False,
      sets="premise M(x) = x^2 where x > 2; step M(1) = 1 (an instance outside the premise's domain)")
def adv5_premise_instance_outside_false():
    D = Derivation("trap")
    D.parameter(M_, x)
    D.step("p", sp.Eq(M_(x), x ** 2), conditions=[x > 2])
    D.step("s", sp.Eq(M_(1), 1), uses=["p"])
    return D, "s"


@trap("adv5-conditions", true=False,
      sets="premise M(x) = x^2 where x > 2, differentiated; step M'(1) = 2 (the derivative's instance at 1, outside)")
def adv5_premise_derivative_instance_outside_false():
    D = Derivation("trap")
    D.parameter(M_, x)
    D.step("p", sp.Eq(M_(x), x ** 2), conditions=[x > 2])
    D.differentiate("dp", "p", x)
    D.step("s", sp.Eq(sp.Subs(sp.Derivative(M_(x), x), x, 1), 2), uses=["dp"])
    return D, "s"


# ---- round 18: closed edges at a transcendental constant -----------------------------------------

@trap("adv5-edges", true=False, sets="lim_{x->0+} x^(a - pi) = 0 where a >= pi (it is 1 at a = pi)")
def adv5_edge_limit_pi_false():
    return _limit(xp ** (a - sp.pi), xp, 0, 0, parameters=[a], conditions=[a >= sp.pi])


@trap("adv5-edges", true=False, sets="0^(a - pi) = 0 where a >= pi (1 at a = pi)")
def adv5_edge_zero_power_pi_false():
    return _eq(sp.Pow(0, a - sp.pi, evaluate=False), 0, conditions=[a >= sp.pi])


@trap("adv5-edges", true=False, sets="x^(a^3 - 2) = O(1) as x -> 0+ where a^3 >= 2... : lim x^(a^3-2) = 0 (1 at a = 2^(1/3))")
def adv5_edge_limit_cbrt_false():
    return _limit(xp ** (a ** 3 - 2), xp, 0, 0, parameters=[a], conditions=[a ** 3 >= 2])
