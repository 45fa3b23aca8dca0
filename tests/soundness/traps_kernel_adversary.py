"""An adversary's round against the kernel, written from the documentation only.

Each trap aims at a place where "exact algebra", "real algebra" (Z3), "certified evaluation"
(Arb) or "sampled evidence certified point by point" could be wrong: a closed form off by less
than the integral tolerance (2^-64 of the sides), a statement false only beyond the sampled
magnitude bands, sums at bounds below their lower limit (sympy's Karr convention), special
function conventions (Bernoulli numbers, log-gamma), order relations whose truth needs an
assumption that Z3 does not see (integer, nonzero), and integrals whose pole is inside the
interval only for some parameters.
"""

import sympy as sp

from . import trap
from .traps_relations import _step

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
z = sp.Symbol("z")
a = sp.Symbol("a", positive=True)
b = sp.Symbol("b", real=True)
t = sp.Symbol("t", real=True)
s = sp.Symbol("s", real=True)
n = sp.Symbol("n", integer=True)
m = sp.Symbol("m", integer=True, nonnegative=True)
k = sp.Symbol("k", integer=True)
p = sp.Symbol("p", integer=True, positive=True)
w = sp.Symbol("w", real=True, nonzero=True)
pi = sp.pi
BIG = sp.Integer(10) ** 13


def _eq(lhs, rhs, conditions=()):
    return _step(sp.Eq(lhs, rhs, evaluate=False), conditions=conditions)


# ---------------------------------------------------------------------------------------------
# beyond the magnitude bands: a square root of a square whose kink sits at 10^13
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=False, sets="sqrt((x - 10^13)^2) = 10^13 - x for real x (false for x > 10^13, "
      "a half-line beyond every band; the kink is a sqrt's, not an Abs's)")
def k_adv_sqrt_square_beyond_bands():
    return _eq(sp.sqrt((x - BIG) ** 2), BIG - x)


@trap("kernel-adversary", true=False, sets="sqrt(x^2 - 2 10^13 x + 10^26) = 10^13 - x (the same, expanded)")
def k_adv_sqrt_square_expanded_beyond_bands():
    return _eq(sp.sqrt(sp.expand((x - BIG) ** 2)), BIG - x)


@trap("kernel-adversary", true=False, sets="sqrt((a - 10^-13)^2) = a - 10^-13 for positive a (false on (0, 10^-13), "
      "below every band)")
def k_adv_sqrt_square_below_bands():
    return _eq(sp.sqrt((a - BIG ** -1) ** 2), a - BIG ** -1)


@trap("kernel-adversary", true=True, sets="sqrt((x - 10^13)^2) = |x - 10^13|")
def k_adv_sqrt_square_abs_true():
    return _eq(sp.sqrt((x - BIG) ** 2), sp.Abs(x - BIG))


# ---------------------------------------------------------------------------------------------
# integrals off by less than the integral tolerance (2^-64 of the sides)
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=False, sets="int_0^1 exp(-t^2) dt = sqrt(pi) erf(1)/2 + 10^-25")
def k_adv_int_gauss_off_1e25():
    return _eq(sp.Integral(sp.exp(-t ** 2), (t, 0, 1)), sp.sqrt(pi) * sp.erf(1) / 2 + sp.Integer(10) ** -25)


@trap("kernel-adversary", true=True, sets="int_0^1 exp(-t^2) dt = sqrt(pi) erf(1)/2")
def k_adv_int_gauss_true():
    return _eq(sp.Integral(sp.exp(-t ** 2), (t, 0, 1)), sp.sqrt(pi) * sp.erf(1) / 2)


@trap("kernel-adversary", true=False, sets="int_0^1 exp(-a t^4) cos t dt = int_0^1 exp(-a s^4) cos s ds + 10^-25 "
      "exp(-a) (no closed form; off by 10^-25)")
def k_adv_int_no_closed_form_off():
    return _eq(sp.Integral(sp.exp(-a * t ** 4) * sp.cos(t), (t, 0, 1)),
               sp.Integral(sp.exp(-a * s ** 4) * sp.cos(s), (s, 0, 1)) + sp.exp(-a) / sp.Integer(10) ** 25)


@trap("kernel-adversary", true=False, sets="int_0^1 exp(-a t^4) cos t dt = int_0^1 exp(-a s^4) cos(s + 10^-22) ds "
      "(the integrand moved by 10^-22)")
def k_adv_int_integrand_shifted():
    return _eq(sp.Integral(sp.exp(-a * t ** 4) * sp.cos(t), (t, 0, 1)),
               sp.Integral(sp.exp(-a * s ** 4) * sp.cos(s + sp.Integer(10) ** -22), (s, 0, 1)))



# ---------------------------------------------------------------------------------------------
# integrals whose pole is on the path for some parameters only
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=False, sets="int_0^1 dt/(t - b)^2 = 1/(b (b - 1)) for every real b (the integral "
      "diverges for 0 <= b <= 1; the formula is negative there)")
def k_adv_int_pole_for_some_b():
    return _eq(sp.Integral(1 / (t - b) ** 2, (t, 0, 1)), 1 / (b * (b - 1)))


@trap("kernel-adversary", true=True, sets="int_0^1 dt/(t - b)^2 = 1/(b (b - 1)) for b > 1")
def k_adv_int_pole_outside_true():
    return _eq(sp.Integral(1 / (t - b) ** 2, (t, 0, 1)), 1 / (b * (b - 1)), conditions=[sp.Gt(b, 1)])


@trap("kernel-adversary", true=False, sets="int_{-1}^1 dt/(t - b) = log((b - 1)/(b + 1)) for every real b "
      "(diverges for |b| <= 1)")
def k_adv_int_log_pole_for_some_b():
    return _eq(sp.Integral(1 / (t - b), (t, -1, 1)), sp.log((b - 1) / (b + 1)))


# ---------------------------------------------------------------------------------------------
# finite sums with symbolic bounds: below the lower limit (sympy's Karr convention)
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=True, sets="Sum_{k=1}^n 1 = n for every integer n (sympy's Karr convention: "
      "Sum_{1}^{-3} = -Sum_{-2}^{0})")
def k_adv_sum_karr_count():
    return _eq(sp.Sum(1, (k, 1, n)), n)


@trap("kernel-adversary", true=False, sets="Sum_{k=1}^n 1 = max(n, 0) (the empty-sum reading; false under sympy's "
      "Karr convention for n < 0)")
def k_adv_sum_empty_reading():
    return _eq(sp.Sum(1, (k, 1, n)), sp.Max(n, 0))


@trap("kernel-adversary", true=True, sets="Sum_{k=1}^p k = p (p + 1)/2 for positive integer p")
def k_adv_sum_gauss_true():
    return _eq(sp.Sum(k, (k, 1, p)), p * (p + 1) / 2)


@trap("kernel-adversary", true=False, sets="Sum_{k=1}^p (sqrt((k - 10^20)^2) + k - 10^20) = 0 (false once p > 10^20, "
      "beyond the sums one can add up)")
def k_adv_sum_zero_until_far():
    c = sp.Integer(10) ** 20
    return _eq(sp.Sum(sp.sqrt((k - c) ** 2) + k - c, (k, 1, p)), 0)


# ---------------------------------------------------------------------------------------------
# special-function conventions
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=True, sets="bernoulli(m) = bernoulli(m, 1) (sympy >= 1.12: B_1 = +1/2; mpmath and "
      "Arb say -1/2)")
def k_adv_bernoulli_plus_convention():
    return _eq(sp.bernoulli(m), sp.bernoulli(m, 1))


@trap("kernel-adversary", true=False, sets="bernoulli(m) = bernoulli(m, 0) (the old convention B_1 = -1/2; false at "
      "m = 1 in sympy's)")
def k_adv_bernoulli_minus_convention():
    return _eq(sp.bernoulli(m), sp.bernoulli(m, 0))


@trap("kernel-adversary", true=False, sets="loggamma(x) = log(gamma(x)) for real x (false for x < 0: a multiple of "
      "2 pi i apart, or the sign of gamma)")
def k_adv_loggamma_is_log_gamma():
    return _eq(sp.loggamma(x), sp.log(sp.gamma(x)))


@trap("kernel-adversary", true=True, sets="exp(loggamma(x)) = gamma(x) for real x")
def k_adv_exp_loggamma():
    return _eq(sp.exp(sp.loggamma(x)), sp.gamma(x))


@trap("kernel-adversary", true=False, sets="loggamma(a) = log(gamma(a)) + 2 pi i floor(...)... : loggamma(-a) = "
      "log(gamma(-a)) for positive a")
def k_adv_loggamma_negative():
    return _eq(sp.loggamma(-a), sp.log(sp.gamma(-a)))


# ---------------------------------------------------------------------------------------------
# order relations that need an assumption Z3 may not see
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=True, sets="(2n - 1)^2 >= 1 for integer n (false for real n = 1/2)")
def k_adv_z3_integer_square():
    return _step(sp.Ge((2 * n - 1) ** 2, 1, evaluate=False))


@trap("kernel-adversary", true=True, sets="n^2 >= n for integer n (false on (0, 1) for reals)")
def k_adv_z3_integer_square_ge():
    return _step(sp.Ge(n ** 2 - n, 0, evaluate=False))


@trap("kernel-adversary", true=True, sets="(w - y)^2 + w^2 y^2 > 0 for nonzero real w")
def k_adv_z3_nonzero():
    return _step(sp.Gt((w - y) ** 2 + w ** 2 * y ** 2, 0, evaluate=False))


@trap("kernel-adversary", true=False, sets="(x - y)^2 + x^2 y^2 > 0 for real x (0 at x = y = 0)")
def k_adv_z3_zero_touch():
    return _step(sp.Gt((x - y) ** 2 + x ** 2 * y ** 2, 0, evaluate=False))


@trap("kernel-adversary", true=False, sets="(3x - 1)^2 (x - 10^13)^2 > 0 ... : (3x - 1)^2 > 0 for real x (0 at 1/3)")
def k_adv_z3_thin_touch():
    return _step(sp.Gt((3 * x - 1) ** 2, 0, evaluate=False))


@trap("kernel-adversary", true=False, sets="x^2 != 3 for real x (false at sqrt 3)")
def k_adv_z3_ne_irrational():
    return _step(sp.Ne(x ** 2, 3))


@trap("kernel-adversary", true=True, sets="n^2 != 3 for integer n")
def k_adv_z3_ne_integer():
    return _step(sp.Ne(n ** 2, 3))


# ---------------------------------------------------------------------------------------------
# more beyond-band and skipped-point attacks
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=False, sets="atan(tan(x/10^13)) = x/10^13 for real x (false for |x| > 1.57 10^13, "
      "half the line, beyond every band)")
def k_adv_atan_tan_beyond_bands():
    return _eq(sp.atan(sp.tan(x / BIG)), x / BIG)


@trap("kernel-adversary", true=False, sets="sqrt(n^2 - 2 10^41 n + 10^82) = 10^41 - n for integer n (beyond the "
      "40-digit band)")
def k_adv_sqrt_square_integer_beyond_bands():
    c = sp.Integer(10) ** 41
    return _eq(sp.sqrt(n ** 2 - 2 * c * n + c ** 2), c - n)


@trap("kernel-adversary", true=False, sets="log(1 + x^2) < 100 for real x (false for |x| > 5 10^21)")
def k_adv_log_bound_beyond_bands():
    return _step(sp.Lt(sp.log(1 + x ** 2), 100, evaluate=False))


@trap("kernel-adversary", true=False, sets="int_0^a dt/(t - 1)^2 = a/(1 - a) for positive a (diverges for a >= 1; "
      "sympy's answer through the pole)")
def k_adv_int_pole_positive_parameter():
    return _eq(sp.Integral(1 / (t - 1) ** 2, (t, 0, a)), a / (1 - a))


@trap("kernel-adversary", true=False, sets="Sum_{k=1}^p (sqrt((k - 9999)^2) + k - 9999) = 0 for p <= 10^5 (false "
      "for every p >= 10000, 90% of the domain, beyond the 10000 terms the checker adds up)")
def k_adv_sum_zero_below_10000():
    c = 9999
    return _eq(sp.Sum(sp.sqrt(k ** 2 - 2 * c * k + c ** 2) + k - c, (k, 1, p)), 0, conditions=[sp.Le(p, 10**5)])


@trap("kernel-adversary", true=False, sets="Sum_{k=1}^p max(0, k - 9999) = 0 (false for p >= 10000)")
def k_adv_sum_max_below_10000():
    return _eq(sp.Sum(sp.Max(0, k - 9999), (k, 1, p)), 0)


# ---------------------------------------------------------------------------------------------
# Z3 and symbols that are not real
# ---------------------------------------------------------------------------------------------

u = sp.Symbol("u", imaginary=True)


@trap("kernel-adversary", true=False, sets="z^2 != -2 for complex z (false at z = i sqrt 2; unsat over the reals)")
def k_adv_z3_ne_complex():
    return _step(sp.Ne(z ** 2, -2))


@trap("kernel-adversary", true=False, sets="u^2 != -4 for imaginary u (false at u = 2i; unsat over the reals)")
def k_adv_z3_ne_imaginary():
    return _step(sp.Ne(u ** 2, -4))


@trap("kernel-adversary", true=True, sets="u^2 < 0 for imaginary u (false for every real u)")
def k_adv_z3_imaginary_square_negative():
    return _step(sp.Lt(u ** 2 + 0 * u, 0, evaluate=False))



# ---------------------------------------------------------------------------------------------
# exact algebra: floats, and jumps on the boundary
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=False, sets="0.333333333333333 x = x/3 (a float that is not 1/3)")
def k_adv_exact_float_third():
    return _eq(sp.Float("0.333333333333333") * x, x / 3)


@trap("kernel-adversary", true=False, sets="x^0.333333333333333 = x^(1/3) for positive x... with a float exponent")
def k_adv_exact_float_exponent():
    return _eq(a ** sp.Float("0.333333333333333"), a ** sp.Rational(1, 3))


@trap("kernel-adversary", true=False, sets="Piecewise(1 if x < 1/7 else 2) = Piecewise(1 if x <= 1/7 else 2) "
      "(differ at x = 1/7 only)")
def k_adv_piecewise_boundary():
    c = sp.Rational(1, 7)
    return _eq(sp.Piecewise((1, x < c), (2, True)), sp.Piecewise((1, x <= c), (2, True)))


@trap("kernel-adversary", true=False, sets="Heaviside(x - 1/7) = Piecewise(0 if x < 1/7 else 1) (sympy's "
      "Heaviside(0) = 1/2)")
def k_adv_heaviside_boundary():
    c = sp.Rational(1, 7)
    return _eq(sp.Heaviside(x - c), sp.Piecewise((0, x < c), (1, True)))


@trap("kernel-adversary", true=True, sets="Heaviside(x - 1/7) = Piecewise(0 if x < 1/7, 1/2 if x = 1/7, else 1)")
def k_adv_heaviside_boundary_true():
    c = sp.Rational(1, 7)
    return _eq(sp.Heaviside(x - c), sp.Piecewise((0, x < c), (sp.S.Half, sp.Eq(x, c)), (1, True)))


# ---------------------------------------------------------------------------------------------
# sympy's summation proposing a closed form that is wrong at one bound
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=False, sets="Sum_{k=0}^m (-1)^k binomial(m, k) = 0 for integer m >= 0 (sympy's "
      "summation; false at m = 0, where the sum is 1)")
def k_adv_sum_alternating_binomial_sympy():
    return _eq(sp.Sum((-1) ** k * sp.binomial(m, k), (k, 0, m)), 0)


@trap("kernel-adversary", true=False, sets="Sum_{k=0}^{n-17} (-1)^k binomial(n-17, k) = 0 for integer n >= 17 "
      "(false at n = 17 only)")
def k_adv_sum_alternating_binomial_shifted():
    return _eq(sp.Sum((-1) ** k * sp.binomial(n - 17, k), (k, 0, n - 17)), 0, conditions=[sp.Ge(n, 17)])


# ---------------------------------------------------------------------------------------------
# sympy's conventions against the evaluator's: true statements by sympy's definitions
# ---------------------------------------------------------------------------------------------

pos = sp.Symbol("q", positive=True)
xnz = sp.Symbol("v", real=True, nonzero=True)


@trap("kernel-adversary", true=True, sets="sinc(x) = sin(x)/x (sympy's sinc is unnormalised)")
def k_adv_conv_sinc():
    return _eq(sp.sinc(xnz), sp.sin(xnz) / xnz)


@trap("kernel-adversary", true=True, sets="acot(v) = atan(1/v) for real v != 0 (sympy's acot jumps at 0: "
      "acot(-1) = -pi/4)")
def k_adv_conv_acot():
    return _eq(sp.acot(xnz), sp.atan(1 / xnz))


@trap("kernel-adversary", true=False, sets="acot(v) = pi/2 - atan(v) for real v != 0 (the continuous convention; "
      "false for v < 0 in sympy's)")
def k_adv_conv_acot_continuous():
    return _eq(sp.acot(xnz), pi / 2 - sp.atan(xnz))


@trap("kernel-adversary", true=True, sets="Heaviside(x - 1) + Heaviside(1 - x) = 1 (Heaviside(0) = 1/2, at x = 1)")
def k_adv_conv_heaviside_half():
    return _eq(sp.Heaviside(x - 1) + sp.Heaviside(1 - x), 1)


@trap("kernel-adversary", true=True, sets="Heaviside(x) = (1 + sign(x))/2 for real x")
def k_adv_conv_heaviside_sign():
    return _eq(sp.Heaviside(x), (1 + sp.sign(x)) / 2)


@trap("kernel-adversary", true=True, sets="sign(z) = z/|z| for complex z != 0")
def k_adv_conv_sign_complex():
    zz = sp.Symbol("zz", nonzero=True)
    return _eq(sp.sign(zz), zz / sp.Abs(zz))


@trap("kernel-adversary", true=True, sets="real_root(x, 3)^3 = x for real x")
def k_adv_conv_real_root():
    return _eq(sp.real_root(x, 3) ** 3, x)


@trap("kernel-adversary", true=False, sets="real_root(x, 3) = x^(1/3) for real x (false for x < 0)")
def k_adv_conv_real_root_principal():
    return _eq(sp.real_root(x, 3), x ** sp.Rational(1, 3))


@trap("kernel-adversary", true=True, sets="factorial2(2m - 1) = (2m)!/(2^m m!) for integer m >= 0 "
      "(factorial2(-1) = 1)")
def k_adv_conv_factorial2():
    return _eq(sp.factorial2(2 * m - 1), sp.factorial(2 * m) / (2 ** m * sp.factorial(m)))


@trap("kernel-adversary", true=True, sets="assoc_legendre(1, 1, x) = -sqrt(1 - x^2) for real x (complex for |x| > 1)")
def k_adv_conv_assoc_legendre():
    return _eq(sp.assoc_legendre(1, 1, x), -sp.sqrt(1 - x ** 2))


@trap("kernel-adversary", true=True, sets="lowergamma(1/2, x) = sqrt(pi) erf(sqrt x) for real x (x < 0 on the cut)")
def k_adv_conv_lowergamma():
    return _eq(sp.lowergamma(sp.S.Half, x), sp.sqrt(pi) * sp.erf(sp.sqrt(x)))


@trap("kernel-adversary", true=True, sets="Chi(x) = (Ei(x) - E1(x))/2... : Chi(x) + Shi(x) = Ei(x) for positive x")
def k_adv_conv_chi_shi():
    return _eq(sp.Chi(pos) + sp.Shi(pos), sp.Ei(pos))


@trap("kernel-adversary", true=True, sets="LambertW(x, -1) exp(LambertW(x, -1)) = x for real x")
def k_adv_conv_lambertw_branch():
    W = sp.LambertW(x, -1)
    return _eq(W * sp.exp(W), x)


@trap("kernel-adversary", true=True, sets="harmonic(x) = digamma(x + 1) + EulerGamma for positive real x")
def k_adv_conv_harmonic_real():
    return _eq(sp.harmonic(pos), sp.digamma(pos + 1) + sp.EulerGamma)


@trap("kernel-adversary", true=True, sets="catalan(q) = 4^q gamma(q + 1/2)/(sqrt(pi) gamma(q + 2)) for positive "
      "real q")
def k_adv_conv_catalan_real():
    return _eq(sp.catalan(pos), 4 ** pos * sp.gamma(pos + sp.S.Half) / (sp.sqrt(pi) * sp.gamma(pos + 2)))


@trap("kernel-adversary", true=True, sets="frac(x) = x - floor(x) for real x (in [0, 1) for negative x too)")
def k_adv_conv_frac():
    return _eq(sp.frac(x), x - sp.floor(x))


# ---------------------------------------------------------------------------------------------
# jumps decided by "sympy's floor and piecewise forms proposing": false only on the jump
# ---------------------------------------------------------------------------------------------

C7 = sp.Rational(1, 7)


@trap("kernel-adversary", true=False, sets="Heaviside(x - 1/7)^2 = Heaviside(x - 1/7) (1/4 against 1/2 at x = 1/7)")
def k_adv_jump_heaviside_square():
    return _eq(sp.Heaviside(x - C7) ** 2, sp.Heaviside(x - C7))


@trap("kernel-adversary", true=False, sets="Heaviside(x - 1/7) sign(x - 1/7) = Heaviside(x - 1/7) (0 against 1/2 "
      "at x = 1/7)")
def k_adv_jump_heaviside_sign():
    return _eq(sp.Heaviside(x - C7) * sp.sign(x - C7), sp.Heaviside(x - C7))


@trap("kernel-adversary", true=False, sets="|sign(x - 1/7)| = 1 (0 at x = 1/7)")
def k_adv_jump_abs_sign():
    return _eq(sp.Abs(sp.sign(x - C7)), 1)


@trap("kernel-adversary", true=False, sets="frac(x) + frac(-x) = 1 (0 at the integers)")
def k_adv_jump_frac_pair():
    return _eq(sp.frac(x) + sp.frac(-x), 1)


@trap("kernel-adversary", true=False, sets="floor(x) + floor(-x) = -1 (0 at the integers)")
def k_adv_jump_floor_pair():
    return _eq(sp.floor(x) + sp.floor(-x), -1)


@trap("kernel-adversary", true=False, sets="Heaviside((x - 1/7)^2) = 1 (1/2 at x = 1/7)")
def k_adv_jump_heaviside_square_argument():
    return _eq(sp.Heaviside((x - C7) ** 2), 1)


@trap("kernel-adversary", true=False, sets="Piecewise((x - 1/7)/|x - 1/7| if x != 1/7 else 1) = sign(x - 1/7) "
      "(1 against 0 at x = 1/7)")
def k_adv_jump_piecewise_sign():
    d = x - C7
    return _eq(sp.Piecewise((d / sp.Abs(d), sp.Ne(x, C7)), (1, True)), sp.sign(d))


@trap("kernel-adversary", true=False, sets="ceiling(x) - floor(x) = 1 (0 at the integers)")
def k_adv_jump_ceiling_floor():
    return _eq(sp.ceiling(x) - sp.floor(x), 1)


@trap("kernel-adversary", true=False, sets="floor(x/2) + floor((x + 1)/2) = floor(x) for real x (Hermite for "
      "integers; false at x = 1/2)")
def k_adv_jump_hermite_real():
    return _eq(sp.floor(x / 2) + sp.floor((x + 1) / 2), sp.floor(x))


# ---------------------------------------------------------------------------------------------
# order relations false only beyond the bands: does Z3's model refute them?
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=False, sets="sqrt(x^2 - 2 10^13 x + 10^26) + x <= 10^13 (= |x - 10^13| + x <= 10^13; "
      "false for x > 10^13)")
def k_adv_rel_sqrt_beyond_bands():
    return _step(sp.Le(sp.sqrt(sp.expand((x - BIG) ** 2)) + x, BIG, evaluate=False))


@trap("kernel-adversary", true=False, sets="sqrt(x^2 - 2 10^13 x + 10^26) + x < 10^13 + 1 (false for "
      "x > 10^13 + 1/2)")
def k_adv_rel_sqrt_beyond_bands_strict():
    return _step(sp.Lt(sp.sqrt(sp.expand((x - BIG) ** 2)) + x, BIG + 1, evaluate=False))


@trap("kernel-adversary", true=True, sets="sqrt(x^2 - 2 10^13 x + 10^26) + x >= 10^13")
def k_adv_rel_sqrt_true():
    return _step(sp.Ge(sp.sqrt(sp.expand((x - BIG) ** 2)) + x, BIG, evaluate=False))


@trap("kernel-adversary", true=False, sets="x^2 < 10^27 for real x (a polynomial: Z3's to refute)")
def k_adv_rel_poly_beyond_bands():
    return _step(sp.Lt(x ** 2, sp.Integer(10) ** 27, evaluate=False))


@trap("kernel-adversary", true=True, sets="max(x, y) >= (x + y)/2")
def k_adv_rel_max_mean():
    return _step(sp.Ge(sp.Max(x, y), (x + y) / 2, evaluate=False))


@trap("kernel-adversary", true=False, sets="max(x, y + 10^-30) <= max(x, y) (false on x < y + 10^-30, x... for x < y "
      "by 10^-30)")
def k_adv_rel_max_thin():
    return _step(sp.Le(sp.Max(x, y + sp.Integer(10) ** -30), sp.Max(x, y) + 0 * x, evaluate=False))


# ---------------------------------------------------------------------------------------------
# functions with more than one argument: is every argument evaluated?
# ---------------------------------------------------------------------------------------------

q = sp.Symbol("q", positive=True)
q2 = sp.Symbol("q2", positive=True)
mm = sp.Symbol("mm", positive=True)


def _mm_small():
    return [sp.Lt(mm, 1)]


@trap("kernel-adversary", true=False, sets="Heaviside(x - 1, 1) = Heaviside(x - 1) (1 against 1/2 at x = 1)")
def k_adv_multi_heaviside_h0_false():
    return _eq(sp.Heaviside(x - 1, 1), sp.Heaviside(x - 1))


@trap("kernel-adversary", true=True, sets="E(x + pi | m) = E(x | m) + 2 E(m) (incomplete elliptic integral)")
def k_adv_multi_elliptic_e():
    return _eq(sp.elliptic_e(x + pi, mm), sp.elliptic_e(x, mm) + 2 * sp.elliptic_e(mm), conditions=_mm_small())


@trap("kernel-adversary", true=False, sets="E(x | m) = E(m) (the incomplete read as the complete)")
def k_adv_multi_elliptic_e_false():
    return _eq(sp.elliptic_e(x, mm), sp.elliptic_e(mm), conditions=_mm_small())


@trap("kernel-adversary", true=True, sets="F(x + pi | m) = F(x | m) + 2 K(m)")
def k_adv_multi_elliptic_f():
    return _eq(sp.elliptic_f(x + pi, mm), sp.elliptic_f(x, mm) + 2 * sp.elliptic_k(mm), conditions=_mm_small())


@trap("kernel-adversary", true=True, sets="Pi(n, pi/2 | m) = Pi(n | m)... : Pi(n, x + pi | m) = Pi(n, x | m) + "
      "2 Pi(n | m)")
def k_adv_multi_elliptic_pi():
    nn = sp.Rational(1, 3)
    return _eq(sp.elliptic_pi(nn, x + pi, mm), sp.elliptic_pi(nn, x, mm) + 2 * sp.elliptic_pi(nn, mm),
               conditions=_mm_small())


@trap("kernel-adversary", true=True, sets="zeta(2, q) - zeta(2, q + 1) = 1/q^2 (Hurwitz)")
def k_adv_multi_hurwitz():
    return _eq(sp.zeta(2, q) - sp.zeta(2, q + 1), 1 / q ** 2)


@trap("kernel-adversary", true=False, sets="zeta(2, q) = zeta(2) (the Hurwitz parameter ignored)")
def k_adv_multi_hurwitz_false():
    return _eq(sp.zeta(2, q), sp.zeta(2))


@trap("kernel-adversary", true=True, sets="polygamma(1, q) = zeta(2, q)")
def k_adv_multi_polygamma_zeta():
    return _eq(sp.polygamma(1, q), sp.zeta(2, q))


@trap("kernel-adversary", true=True, sets="J_{nu-1}(q) + J_{nu+1}(q) = 2 nu J_nu(q)/q, nu symbolic")
def k_adv_multi_bessel_recurrence():
    return _eq(sp.besselj(q2 - 1, q) + sp.besselj(q2 + 1, q), 2 * q2 * sp.besselj(q2, q) / q)


@trap("kernel-adversary", true=True, sets="nu E_{nu+1}(q) = exp(-q) - q E_nu(q)")
def k_adv_multi_expint_recurrence():
    return _eq(q2 * sp.expint(q2 + 1, q), sp.exp(-q) - q * sp.expint(q2, q))


@trap("kernel-adversary", true=True, sets="Gamma(s, q) + gamma(s, q) = Gamma(s)")
def k_adv_multi_incomplete_gamma():
    return _eq(sp.uppergamma(q2, q) + sp.lowergamma(q2, q), sp.gamma(q2))


@trap("kernel-adversary", true=True, sets="B(q, q2) = Gamma(q) Gamma(q2)/Gamma(q + q2)")
def k_adv_multi_beta():
    return _eq(sp.beta(q, q2), sp.gamma(q) * sp.gamma(q2) / sp.gamma(q + q2))


@trap("kernel-adversary", true=True, sets="2F1(a, b; c; x) = (1 - x)^-a 2F1(a, c - b; c; x/(x - 1)) for x < 1 "
      "(Pfaff)")
def k_adv_multi_pfaff():
    A, B, Cc = sp.Rational(1, 3), sp.Rational(2, 5), sp.Rational(7, 4)
    return _eq(sp.hyper([A, B], [Cc], x), (1 - x) ** -A * sp.hyper([A, Cc - B], [Cc], x / (x - 1)),
               conditions=[sp.Lt(x, 1)])


@trap("kernel-adversary", true=True, sets="erf2(x, y) = erf(y) - erf(x)")
def k_adv_multi_erf2():
    return _eq(sp.erf2(x, y), sp.erf(y) - sp.erf(x))


@trap("kernel-adversary", true=True, sets="eta(2, q)... dirichlet_eta(s) = (1 - 2^(1-s)) zeta(s)")
def k_adv_multi_eta():
    return _eq(sp.dirichlet_eta(q2 + 1), (1 - 2 ** (-q2)) * sp.zeta(q2 + 1))


@trap("kernel-adversary", true=True, sets="bernoulli(3, x) = x^3 - 3x^2/2 + x/2 (at real x)")
def k_adv_multi_bernoulli_poly():
    return _eq(sp.bernoulli(3, x + 0 * y), x ** 3 - 3 * x ** 2 / 2 + x / 2)


@trap("kernel-adversary", true=True, sets="hankel1(nu, q) = J_nu(q) + i Y_nu(q)")
def k_adv_multi_hankel():
    return _eq(sp.hankel1(q2, q), sp.besselj(q2, q) + sp.I * sp.bessely(q2, q))


@trap("kernel-adversary", true=True, sets="LambertW(x exp x, 0) = x for x > -1")
def k_adv_multi_lambertw_k0():
    return _eq(sp.LambertW(x * sp.exp(x), 0), x, conditions=[sp.Gt(x, -1)])


@trap("kernel-adversary", true=False, sets="LambertW(x, -1) = LambertW(x) for x in (-1/e, 0) (two real branches)")
def k_adv_multi_lambertw_branch_false():
    return _eq(sp.LambertW(x, -1), sp.LambertW(x), conditions=[sp.Gt(x, -sp.exp(-1)), sp.Lt(x, 0)])


# ---------------------------------------------------------------------------------------------
# more integrals that exist for some parameters only; names that print alike
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=False, sets="int_0^1 dt/(t - b)^2 = 1/(b (b - 1)) for -2 < b < 3 (false on [0, 1], "
      "a fifth of the domain)")
def k_adv_int_pole_for_some_b_bounded():
    return _eq(sp.Integral(1 / (t - b) ** 2, (t, 0, 1)), 1 / (b * (b - 1)), conditions=[sp.Gt(b, -2), sp.Lt(b, 3)])


F = sp.Function("F")


def _eq_f(lhs, rhs):
    """A step about an unknown function F, declared as a parameter."""
    return _step(sp.Eq(lhs, rhs, evaluate=False), parameters=(F,))


@trap("kernel-adversary", true=False, sets="F(y) x_positive = F(y) x_real: two symbols named x, one positive, one real")
def k_adv_same_name_symbols():
    xp = sp.Symbol("x", positive=True)
    return _eq_f(F(y) * xp, F(y) * x)


@trap("kernel-adversary", true=False, sets="F(y) X = F(y) x y: a symbol named 'x*y' against the product")
def k_adv_symbol_named_like_product():
    xy = sp.Symbol("x*y", real=True)
    return _eq_f(F(y) * xy, F(y) * x * y)


@trap("kernel-adversary", true=False, sets="F(x_positive) = F(x_real): the same function at two symbols named x")
def k_adv_same_name_in_function():
    xp = sp.Symbol("x", positive=True)
    return _eq_f(F(xp), F(x))


# ---------------------------------------------------------------------------------------------
# exact algebra's generators, with the numeric refutation blinded by an unknown factor F(y)
# ---------------------------------------------------------------------------------------------

zw = sp.Symbol("zw")


@trap("kernel-adversary", true=False, sets="F(y) sqrt(z^2) = F(y) z (complex z)")
def k_adv_gen_sqrt_square():
    return _eq_f(F(y) * sp.sqrt(z ** 2), F(y) * z)


@trap("kernel-adversary", true=False, sets="F(y) (z^3)^(1/3) = F(y) z")
def k_adv_gen_cube_root_cube():
    return _eq_f(F(y) * (z ** 3) ** sp.Rational(1, 3), F(y) * z)


@trap("kernel-adversary", true=False, sets="F(y) sqrt(z) sqrt(zw) = F(y) sqrt(z zw)")
def k_adv_gen_sqrt_product():
    return _eq_f(F(y) * sp.sqrt(z) * sp.sqrt(zw), F(y) * sp.sqrt(z * zw))


@trap("kernel-adversary", true=False, sets="F(y) sqrt(1/z) = F(y)/sqrt(z) (false on the negative axis)")
def k_adv_gen_sqrt_reciprocal():
    return _eq_f(F(y) * sp.sqrt(1 / z), F(y) / sp.sqrt(z))


@trap("kernel-adversary", true=False, sets="F(y) sqrt(-x) = F(y) i sqrt(x) for real x (false for x < 0)")
def k_adv_gen_sqrt_minus():
    return _eq_f(F(y) * sp.sqrt(-x), F(y) * sp.I * sp.sqrt(x))


@trap("kernel-adversary", true=False, sets="F(y) log(z^2) = 2 F(y) log(z)")
def k_adv_gen_log_square():
    return _eq_f(F(y) * sp.log(z ** 2), 2 * F(y) * sp.log(z))


@trap("kernel-adversary", true=False, sets="F(y) (z^2)^(1/4) = F(y) sqrt(z)")
def k_adv_gen_quartic_root():
    return _eq_f(F(y) * (z ** 2) ** sp.Rational(1, 4), F(y) * sp.sqrt(z))


@trap("kernel-adversary", true=False, sets="F(y) exp(z)^(1/2) = F(y) exp(z/2) (false for |im z| > pi)")
def k_adv_gen_sqrt_exp():
    return _eq_f(F(y) * sp.sqrt(sp.exp(z)), F(y) * sp.exp(z / 2))


@trap("kernel-adversary", true=True, sets="F(y) z^(1/2) z^(1/3) = F(y) z^(5/6) (one base: principal powers add)")
def k_adv_gen_same_base_true():
    return _eq_f(F(y) * sp.Pow(z, sp.Rational(1, 2)) * sp.Pow(z, sp.Rational(1, 3), evaluate=False),
                 F(y) * z ** sp.Rational(5, 6))


@trap("kernel-adversary", true=True, sets="F(y) (i + z)(i - z) = -F(y)(1 + z^2) (I^2 = -1)")
def k_adv_gen_i_square_true():
    return _eq_f(F(y) * (sp.I + z) * (sp.I - z), -F(y) * (1 + z ** 2))


@trap("kernel-adversary", true=False, sets="F(y) (-1)^(1/3) (-1)^(1/3) (-1)^(1/3) ... : F(y) ((-1)^(1/3))^2 = "
      "-F(y) (-1)^(1/3)... false: (-1)^(2/3) = e^(2 pi i/3), -(-1)^(1/3) = -e^(i pi/3)")
def k_adv_gen_minus_one_cube_root():
    g = sp.Pow(-1, sp.Rational(1, 3))
    return _eq_f(F(y) * g ** 2, -F(y) * g)



# ---------------------------------------------------------------------------------------------
# false exactly where the evaluation cannot decide (a cancellation beyond the precision ladder)
# ---------------------------------------------------------------------------------------------


@trap("kernel-adversary", true=False, sets="cosh(e^x)^2 - sinh(e^x)^2 + sqrt(x^2 - 16x + 64) + x - 8 = 1 for real x "
      "(false for x > 8, where the first two terms cancel more digits than 1600)")
def k_adv_undecided_where_false():
    E = sp.exp(x)
    return _eq(sp.cosh(E) ** 2 - sp.sinh(E) ** 2 + sp.sqrt(x ** 2 - 16 * x + 64) + x - 8, 1)


@trap("kernel-adversary", true=False, sets="cosh(e^x)^2 - sinh(e^x)^2 + 10^-10 Heaviside... : cosh(e^x)^2 - "
      "sinh(e^x)^2 + (x + |x|)/x... = 1 + 2 max(0, x - 8)/(1 + x^2) with the max written as a sqrt")
def k_adv_undecided_where_false_small():
    E = sp.exp(x)
    return _eq(sp.cosh(E) ** 2 - sp.sinh(E) ** 2, 1 + (sp.sqrt(x ** 2 - 16 * x + 64) + x - 8) / (1 + x ** 2))


@trap("kernel-adversary", true=True, sets="cosh(x^3)^2 - sinh(x^3)^2 = 1 for real x")
def k_adv_cancel_cosh_cube_true():
    return _eq(sp.cosh(x ** 3) ** 2 - sp.sinh(x ** 3) ** 2, 1)


@trap("kernel-adversary", true=True, sets="cosh(e^x)^2 - sinh(e^x)^2 + x (x + 1) = 1 + x^2 + x for real x")
def k_adv_cancel_cosh_exp_poly_true():
    E = sp.exp(x)
    return _eq(sp.cosh(E) ** 2 - sp.sinh(E) ** 2 + x * (x + 1), 1 + x ** 2 + x)


@trap("kernel-adversary", true=True, sets="cosh(x^2)^2 - sinh(x^2)^2 + x (x + 1) = 1 + x^2 + x for real x")
def k_adv_cancel_cosh_square_poly_true():
    return _eq(sp.cosh(x ** 2) ** 2 - sp.sinh(x ** 2) ** 2 + x * (x + 1), 1 + x ** 2 + x)


@trap("kernel-adversary", true=True, sets="(1 + exp(x^2)) exp(-x^2) - exp(-x^2) + x (x + 1) = 1 + x^2 + x")
def k_adv_cancel_exp_square_poly_true():
    E = sp.exp(x ** 2)
    return _eq((1 + E) / E - 1 / E + x * (x + 1), 1 + x ** 2 + x)


# ---------------------------------------------------------------------------------------------
# every function through certified evaluation: G (sin^2 + cos^2) = G makes sympy's simplify
# propose 0 and Arb confirm, evaluating G
# ---------------------------------------------------------------------------------------------

_h = sp.Rational(1, 3)
_CONFIRM = {
    "lambertw_branch": sp.LambertW(-q / (1 + 3 * q), -1),
    "besseli": sp.besseli(q2, q),
    "legendre_real": sp.legendre(q2, _h),
    "gegenbauer": sp.gegenbauer(q2, _h, _h),
    "hermite_real": sp.hermite(q2, q),
    "betainc": sp.betainc(q, q2, 0, _h),
    "elliptic_pi2": sp.elliptic_pi(_h, mm),
    "meijerg": sp.meijerg([[], []], [[q2], []], q),
    "fresnels": sp.fresnels(x),
    "erfinv": sp.erfinv(_h * sp.tanh(x)),
    "fibonacci_real": sp.fibonacci(q),
    "subfactorial": sp.subfactorial(m),
    "rf_real": sp.RisingFactorial(q, q2),
    "ff_real": sp.FallingFactorial(q + 5, q2),
    "sinc": sp.sinc(x),
    "atan2": sp.atan2(y, x),
    "max3": sp.Max(x, y, 1),
    "cbrt_root_k": sp.root(q, 3, 1),
}


def _confirm_builder(name, G):
    def build():
        return _eq(G * (sp.sin(x) ** 2 + sp.cos(x) ** 2), G + 0 * x, conditions=[sp.Lt(mm, 1)] if mm in G.free_symbols else [])
    build.__name__ = f"k_adv_arb_{name}"
    return build


for _name, _G in _CONFIRM.items():
    trap("kernel-adversary", true=True, sets=f"G (sin^2 x + cos^2 x) = G for G = {_G}")(_confirm_builder(_name, _G))


@trap("kernel-adversary", true=True, sets="cosh(40x)^2 - sinh(40x)^2 + x (x + 1) = 1 + x^2 + x for real x (the docs' "
      "cancellation example, with a polynomial beside it)")
def k_adv_cancel_cosh_40x_poly_true():
    return _eq(sp.cosh(40 * x) ** 2 - sp.sinh(40 * x) ** 2 + x * (x + 1), 1 + x ** 2 + x)


@trap("kernel-adversary", true=True, sets="cosh(40x)^2 - sinh(40x)^2 = 1 for real x (the docs' example)")
def k_adv_cancel_cosh_40x_true():
    return _eq(sp.cosh(40 * x) ** 2 - sp.sinh(40 * x) ** 2, 1)


@trap("kernel-adversary", true=False, sets="cosh(40x)^2 - sinh(40x)^2 + sqrt(x^2 - 100x + 2500) + x = 1 + 50 "
      "(false for x > 50, where the cancellation passes 1600 digits)")
def k_adv_cancel_false_where_undecided():
    return _eq(sp.cosh(40 * x) ** 2 - sp.sinh(40 * x) ** 2 + sp.sqrt(x ** 2 - 100 * x + 2500) + x, 51)


@trap("kernel-adversary", true=True, sets="cosh(40x)^2 - sinh(40x)^2 + sqrt(x^2 - 100x + 2500) = 1 + |x - 50| for real x")
def k_adv_cancel_cosh_40x_sqrt_true():
    return _eq(sp.cosh(40 * x) ** 2 - sp.sinh(40 * x) ** 2 + sp.sqrt(x ** 2 - 100 * x + 2500), 1 + sp.Abs(x - 50))

