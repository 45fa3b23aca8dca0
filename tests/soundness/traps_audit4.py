"""Fourth adversarial round (an independent audit), written from the documentation only.

Classes aimed at: spectral means (`SpectralMean`, `UniformMean`) and the linearity rule (two
laws that share a name, a bound variable captured by a binding, products of means, Jensen,
identities true for point masses only, non-polynomial integrands, a divergent mean); names
that are 0 only at the value 0 of a real symbol, which no sampled point reaches; `solve` for
a name inside a non-injective function (sqrt, exp, abs, log of a square, sin); `differentiate`
with respect to an integer symbol or on a set with no interior; premises whose conditions the
conclusion drops; series with fractional powers and logarithms; complex branch cuts; special
functions (gamma, loggamma, polylog, zeta, bessel, hyper) off by a tiny amount or outside
their range; Min/Max/Piecewise; integer symbols and `Sum` with symbolic bounds; facts whose
corrections decay more slowly than every exponent the extrapolation tries, or whose sizes
alias an oscillation.
"""

import numpy as np
import sympy as sp

from derive import Derivation, Holds, Simulation
from derive.notation import Meaning
from derive.rmt import SpectralMean, UniformMean

from . import trap
from .traps_limits import _limit, _series
from .traps_relations import _step

t = sp.Symbol("t", real=True)
a = sp.Symbol("a", real=True)
b = sp.Symbol("b", real=True)
x = sp.Symbol("x", positive=True)
y = sp.Symbol("y", real=True)
yc = sp.Symbol("y")  # complex
z = sp.Symbol("z")  # complex
w = sp.Symbol("w")  # complex
r = sp.Symbol("r", positive=True)
rr = sp.Symbol("r", real=True)
u = sp.Symbol("u", positive=True)
k = sp.Symbol("k", integer=True)
kk = sp.Symbol("k", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
n0 = sp.Symbol("n", integer=True, nonnegative=True)
ni = sp.Symbol("n", integer=True)
ne = sp.Symbol("n", integer=True, even=True)
M = sp.Function("M")
N = sp.Function("N")
X = sp.Symbol("X", real=True)
oo = sp.oo


def _d_at(f, var, point):
    return sp.Subs(sp.Derivative(f(var), var), var, point)


def _mean(f, law="C", var=r):
    return SpectralMean(f, var, law)


def _mean_step(statement, premises=(), conditions=(), parameters=()):
    """A step between spectral means, citing premises given as (label, statement) facts."""
    D = Derivation("trap")
    free = set(statement.free_symbols).union(*(c.free_symbols for c in conditions), *(p.free_symbols for _, p in premises))
    if free | set(parameters):
        D.parameter(*sorted(free | set(parameters), key=str))
    for label, premise in premises:
        D.step(label, premise)
    D.step("s", statement, uses=[label for label, _ in premises], conditions=conditions)
    return D, "s"


# ---------------------------------------------------------------------------------------------
# spectral means and the linearity rule
# ---------------------------------------------------------------------------------------------


@trap("spectral-mean", true=False,
      sets="<r> = 5 over a matrix the user named U; then UniformMean(u, u) = 5 (the uniform mean is 1/2): "
           "two laws that share the name U")
def audit4_mean_uniform_law_name_collision():
    D = Derivation("trap")
    D.define("U-mean", sp.Eq(SpectralMean(r, r, "U"), 5))
    D.step("s", sp.Eq(UniformMean(u, u), 5), uses=["U-mean"])
    return D, "s"


@trap("spectral-mean", true=True, sets="<r>_C = 5 gives <3 r + 1>_C = 16 (linearity)")
def audit4_mean_linear_true():
    D = Derivation("trap")
    D.define("C-mean", sp.Eq(_mean(r), 5))
    D.step("s", sp.Eq(_mean(3 * r + 1), 16), uses=["C-mean"])
    return D, "s"


@trap("spectral-mean", true=False, sets="<r>_C = 5 gives <r^2>_C = 25 (a mean of a square is not the square of the mean)")
def audit4_mean_square_of_mean():
    D = Derivation("trap")
    D.define("C-mean", sp.Eq(_mean(r), 5))
    D.step("s", sp.Eq(_mean(r ** 2), 25), uses=["C-mean"])
    return D, "s"


@trap("spectral-mean", true=False, sets="<r^2>_C = <r>_C^2 with no premise (a product of means; true for point masses only)")
def audit4_mean_product_of_means():
    return _mean_step(sp.Eq(_mean(r ** 2), _mean(r) ** 2))


@trap("spectral-mean", true=False, sets="<1/r>_C = 1/<r>_C (Jensen: equality only for a point mass)")
def audit4_mean_jensen():
    return _mean_step(sp.Eq(_mean(1 / r), 1 / _mean(r)))


@trap("spectral-mean", true=False,
      sets="<r^3> = 3 <r^2><r> - 2 <r>^3 (the third cumulant set to 0: true at every point mass)")
def audit4_mean_cumulant_point_masses():
    return _mean_step(sp.Eq(_mean(r ** 3), 3 * _mean(r ** 2) * _mean(r) - 2 * _mean(r) ** 3))


@trap("spectral-mean", true=False, sets="<r>_A + <r>_B = <2 r>_A (two different laws merged)")
def audit4_mean_two_laws_merged():
    return _mean_step(sp.Eq(_mean(r, "A") + _mean(r, "B"), _mean(2 * r, "A")))


@trap("spectral-mean", true=True, sets="<1/(r + x)>_C = M(x) gives <r/(r + x)>_C = 1 - x M(x)")
def audit4_mean_resolvent_linear_true():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), _mean(1 / (r + x))))
    D.step("s", sp.Eq(_mean(r / (r + x)), 1 - x * M(x)), uses=["M-def"])
    return D, "s"


@trap("spectral-mean", true=False, sets="<1/(r + x)>_C = M(x) gives <r/(r + x)>_C = 1 + x M(x) (a sign)")
def audit4_mean_resolvent_linear_sign():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), _mean(1 / (r + x))))
    D.step("s", sp.Eq(_mean(r / (r + x)), 1 + x * M(x)), uses=["M-def"])
    return D, "s"


@trap("spectral-mean", true=False, sets="<1/(r + x)>_C = M(x) gives <1/(r + x)^2>_C = M(x)^2 (a mean of a square)")
def audit4_mean_resolvent_squared():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), _mean(1 / (r + x))))
    D.step("s", sp.Eq(_mean(1 / (r + x) ** 2), M(x) ** 2), uses=["M-def"])
    return D, "s"


@trap("spectral-mean", true=True, sets="<1/(r + x)>_C = M(x), differentiated in x: <-1/(r + x)^2>_C = M'(x)")
def audit4_mean_resolvent_derivative_true():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), _mean(1 / (r + x))))
    D.step("rel", sp.Eq(M(x), _mean(1 / (r + x))), uses=["M-def"])
    D.differentiate("s", "rel", x)
    return D, "s"


@trap("spectral-mean", true=True, sets="<sin(r)^2 + cos(r)^2>_C = 1 (a non-polynomial integrand that is 1)")
def audit4_mean_pythagoras_true():
    return _mean_step(sp.Eq(_mean(sp.sin(r) ** 2 + sp.cos(r) ** 2), 1))


@trap("spectral-mean", true=True, sets="<exp(r + x)>_C = exp(x) <exp(r)>_C (a factor that does not depend on r)")
def audit4_mean_exp_factor_true():
    return _mean_step(sp.Eq(_mean(sp.exp(r + x)), sp.exp(x) * _mean(sp.exp(r))))


@trap("spectral-mean", true=False, sets="<log(r + x)>_C = log(x) + <log r>_C (log of a sum taken as a sum of logs)")
def audit4_mean_log_of_sum():
    return _mean_step(sp.Eq(_mean(sp.log(r + x)), sp.log(x) + _mean(sp.log(r))))


@trap("spectral-mean", true=False,
      sets="x := r (the parameter r, also the mean's bound variable): <r x>_C = <r^2>_C (it is r <r>_C): the "
           "binding captured by the integral")
def audit4_mean_bound_variable_captured():
    D = Derivation("trap")
    D.parameter(r)
    D.define("x-def", sp.Eq(x, r))
    D.step("s", sp.Eq(_mean(r * x), _mean(r ** 2)), uses=["x-def"])
    return D, "s"


@trap("spectral-mean", true=True,
      sets="x := r (the parameter r, also the mean's bound variable): <r x>_C = r <r>_C (linearity, once the "
           "binding does not capture the bound r)")
def audit4_mean_bound_variable_not_captured_true():
    D = Derivation("trap")
    D.parameter(r)
    D.define("x-def", sp.Eq(x, r))
    D.step("s", sp.Eq(_mean(r * x), r * _mean(r)), uses=["x-def"])
    return D, "s"


@trap("spectral-mean", true=False,
      sets="M(x) := <1/(r + x)>_C, then M(r) = <1/(2 r)>_C for the parameter r (it is <1/(r' + r)>_C): the "
           "function's body captures its argument")
def audit4_mean_function_argument_captured():
    D = Derivation("trap")
    D.parameter(r)
    D.define("M-def", sp.Eq(M(x), _mean(1 / (r + x))))
    D.step("s", sp.Eq(M(r), _mean(1 / (2 * r))), uses=["M-def"])
    return D, "s"


@trap("spectral-mean", true=False, sets="r <r>_C = <r^2>_C, the free parameter r outside the mean is not the bound r")
def audit4_mean_free_and_bound_same_name():
    return _mean_step(sp.Eq(r * _mean(r), _mean(r ** 2)), parameters=[r])


@trap("spectral-mean", true=False,
      sets="UniformMean(u^a, u) = 1/(a + 1) for every real a (the mean diverges for a <= -1)")
def audit4_uniform_mean_divergent():
    return _mean_step(sp.Eq(UniformMean(u ** a, u), 1 / (a + 1)))


@trap("spectral-mean", true=True, sets="UniformMean(u^a, u) = 1/(a + 1) for a > -1")
def audit4_uniform_mean_power_true():
    return _mean_step(sp.Eq(UniformMean(u ** a, u), 1 / (a + 1)), conditions=[a > -1])


@trap("spectral-mean", true=True, sets="UniformMean(u, u) = 1/2")
def audit4_uniform_mean_half_true():
    return _mean_step(sp.Eq(UniformMean(u, u), sp.Rational(1, 2)))


@trap("spectral-mean", true=False, sets="UniformMean(u^2, u) = 1/2 (it is 1/3)")
def audit4_uniform_mean_square_false():
    return _mean_step(sp.Eq(UniformMean(u ** 2, u), sp.Rational(1, 2)))


@trap("spectral-mean", true=False,
      sets="<|r - x|>_C = N(x) differentiated in x: <-sign(r - x)>_C = N'(x) (a law with an atom at x "
           "gives N a kink there)")
def audit4_mean_abs_integrand_derivative():
    D = Derivation("trap")
    D.parameter(x)
    D.define("N-def", sp.Eq(N(x), SpectralMean(sp.Abs(rr - x), rr, "C")))
    D.step("rel", sp.Eq(N(x), SpectralMean(sp.Abs(rr - x), rr, "C")), uses=["N-def"])
    D.differentiate("s", "rel", x)
    return D, "s"


@trap("spectral-mean", true=False,
      sets="<Heaviside(r) r>_C = <r>_C for a law on the real line (the law may put mass on r < 0)")
def audit4_mean_heaviside_support():
    return _mean_step(sp.Eq(SpectralMean(sp.Heaviside(rr) * rr, rr, "C"), SpectralMean(rr, rr, "C")))


@trap("spectral-mean", true=False,
      sets="<r>_C = 1 and <r^2>_C = 2 give <(r - 1)^2>_C = 0 (it is 1)")
def audit4_mean_variance_from_moments():
    D = Derivation("trap")
    D.define("m1", sp.Eq(_mean(r), 1))
    D.define("m2", sp.Eq(_mean(r ** 2), 2))
    D.step("s", sp.Eq(_mean((r - 1) ** 2), 0), uses=["m1", "m2"])
    return D, "s"


@trap("spectral-mean", true=True, sets="<r>_C = 1 and <r^2>_C = 2 give <(r - 1)^2>_C = 1")
def audit4_mean_variance_from_moments_true():
    D = Derivation("trap")
    D.define("m1", sp.Eq(_mean(r), 1))
    D.define("m2", sp.Eq(_mean(r ** 2), 2))
    D.step("s", sp.Eq(_mean((r - 1) ** 2), 1), uses=["m1", "m2"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# the value 0 of a real symbol
# ---------------------------------------------------------------------------------------------


@trap("limit", true=False, sets="x^(b^2) -> 0 as x -> 0+ for every real b (at b = 0 it is 1)")
def audit4_limit_real_param_zero():
    return _limit(x ** (b ** 2), x, 0, 0, parameters=[b])


@trap("limit", true=True, sets="x^(b^2) -> 0 as x -> 0+ for real b != 0")
def audit4_limit_real_param_zero_true():
    return _limit(x ** (b ** 2), x, 0, 0, conditions=[sp.Ne(b, 0)], parameters=[b])


@trap("limit", true=False, sets="t exp(-b^2 t) -> 0 as t -> oo for every real b (at b = 0 it grows)")
def audit4_limit_real_param_zero_oo():
    return _limit(t * sp.exp(-b ** 2 * t), t, oo, 0, parameters=[b])


@trap("sampling", true=False, sets="0^(b^2) = 0 for real b (0^0 = 1 at b = 0)")
def audit4_zero_power_real_square():
    return _step(sp.Eq(sp.Pow(0, b ** 2, evaluate=False), 0))


@trap("sampling", true=False, sets="0^(z conj(z)) = 0 for complex z (0^0 = 1 at z = 0, which no draw reaches)")
def audit4_zero_power_complex_modulus():
    return _step(sp.Eq(sp.Pow(0, z * sp.conjugate(z), evaluate=False), 0))


@trap("sampling", true=True, sets="|z|^2 + 1 = z conj(z) + 1 for complex z (0 included)")
def audit4_modulus_square_complex_true():
    return _step(sp.Eq(sp.Abs(z) ** 2 + 1, z * sp.conjugate(z) + 1, evaluate=False))


@trap("sampling", true=False, sets="(1 - cos b)/b^2 <= 1/2 - 10^-6 for real b (false for |b| < 0.005, where it approaches its "
           "supremum 1/2)")
def audit4_inequality_sup_at_zero():
    return _step(sp.Le((1 - sp.cos(b)) / b ** 2, sp.Rational(1, 2) - sp.Rational(1, 10 ** 6)))


# ---------------------------------------------------------------------------------------------
# solve for a name inside a non-injective function
# ---------------------------------------------------------------------------------------------


def _solve(premise, name, form, branch=(), conditions=(), parameters=()):
    D = Derivation("trap")
    if parameters:
        D.parameter(*parameters)
    D.define("y-def", sp.Eq(name, Meaning("a root")))
    D.fact("p", premise, uses=["y-def"])
    D.solve("s", "p", name, form=form, branch=list(branch), conditions=list(conditions))
    return D, "s"


@trap("solve", true=False, sets="exp(y) = a for complex y solved as y = log(a), no branch (y + 2 pi i k too)")
def audit4_solve_exp_complex():
    return _solve(sp.Eq(sp.exp(yc), x), yc, sp.log(x), parameters=[x])


@trap("solve", true=True, sets="exp(y) = x for real y solved as y = log(x) (exp is injective on the reals)")
def audit4_solve_exp_real_true():
    return _solve(sp.Eq(sp.exp(y), x), y, sp.log(x), parameters=[x])


@trap("solve", true=False, sets="|y| = x solved as y = x, no branch (y = -x too)")
def audit4_solve_abs_no_branch():
    return _solve(sp.Eq(sp.Abs(y), x), y, x, parameters=[x])


@trap("solve", true=True, sets="|y| = x solved as y = x with the branch y > 0")
def audit4_solve_abs_branch_true():
    return _solve(sp.Eq(sp.Abs(y), x), y, x, branch=[Holds(y > 0)], parameters=[x])


@trap("solve", true=False, sets="log(y^2) = a solved as y = exp(a/2), no branch (-exp(a/2) too)")
def audit4_solve_log_square_no_branch():
    return _solve(sp.Eq(sp.log(y ** 2), a), y, sp.exp(a / 2), parameters=[a])


@trap("solve", true=True, sets="log(y^2) = a solved as y = exp(a/2) with the branch y > 0")
def audit4_solve_log_square_branch_true():
    return _solve(sp.Eq(sp.log(y ** 2), a), y, sp.exp(a / 2), branch=[Holds(y > 0)], parameters=[a])


@trap("solve", true=False, sets="sqrt(y) = a for real a solved as y = a^2 (no root at all when a < 0)")
def audit4_solve_sqrt_negative_rhs():
    return _solve(sp.Eq(sp.sqrt(y), a), y, a ** 2, parameters=[a])


@trap("solve", true=True, sets="sqrt(y) = a solved as y = a^2 where a > 0")
def audit4_solve_sqrt_positive_rhs_true():
    return _solve(sp.Eq(sp.sqrt(y), a), y, a ** 2, conditions=[a > 0], parameters=[a])


@trap("solve", true=False,
      sets="sin(y) = a solved as y = asin(a) with the branch y > -pi/2 (pi - asin(a) also meets it)")
def audit4_solve_sin_loose_branch():
    return _solve(sp.Eq(sp.sin(y), a), y, sp.asin(a), branch=[Holds(y > -sp.pi / 2)],
                  conditions=[a > -1, a < 1], parameters=[a])


@trap("solve", true=True, sets="sin(y) = a solved as y = asin(a) with the branch |y| < pi/2, -1 < a < 1")
def audit4_solve_sin_branch_true():
    return _solve(sp.Eq(sp.sin(y), a), y, sp.asin(a), branch=[Holds(sp.Abs(y) < sp.pi / 2)],
                  conditions=[a > -1, a < 1], parameters=[a])


@trap("solve", true=False, sets="y^2 = a^2 solved as y = a with the branch y >= 0 (wrong root for a < 0)")
def audit4_solve_square_branch_wrong_sign():
    return _solve(sp.Eq(y ** 2, a ** 2), y, a, branch=[Holds(y >= 0)], parameters=[a])


@trap("solve", true=False,
      sets="y^2 = w (complex) solved as y = sqrt(w) with the branch re(y) > 0: on w < 0 both roots have re 0, "
           "the branch names none")
def audit4_solve_complex_sqrt_branch_fails_on_cut():
    return _solve(sp.Eq(yc ** 2, w), yc, sp.sqrt(w), branch=[Holds(sp.re(yc) > 0)], parameters=[w])


@trap("solve", true=True,
      sets="y^4 = x for complex y solved as y = x^(1/4) with the branch re y > |im y| (of the four roots "
           "x^(1/4) i^j only j = 0 meets it)")
def audit4_solve_quartic_complex_branch_true():
    return _solve(sp.Eq(yc ** 4, x), yc, x ** sp.Rational(1, 4), branch=[Holds(sp.re(yc) > sp.Abs(sp.im(yc)))],
                  parameters=[x])


# ---------------------------------------------------------------------------------------------
# differentiate: an integer variable, a set with no interior, conditions dropped
# ---------------------------------------------------------------------------------------------


@trap("differentiate", true=False,
      sets="M(k) = 1 at every integer k (M known only there), differentiated in the integer k: M'(k) = 0")
def audit4_diff_integer_variable():
    D = Derivation("trap")
    D.parameter(k)
    D.define("M-def", sp.Eq(M(k), Meaning(r"\cos(2\pi k) + g(k)\sin(\pi k)")))
    D.fact("rel", sp.Eq(M(k), 1), uses=["M-def"])
    D.differentiate("s", "rel", k)
    return D, "s"


@trap("differentiate", true=False,
      sets="M(t) = t^2 claimed for (t - 1)^2 <= 0 (only t = 1), differentiated, then M'(1) = 2 (M is unknown "
           "beside 1)")
def audit4_diff_single_point_set():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"M(t)")))
    D.fact("rel", sp.Eq(M(t), t ** 2), uses=["M-def"], conditions=[(t - 1) ** 2 <= 0])
    D.differentiate("d", "rel", t)
    D.step("s", sp.Eq(_d_at(M, t, 1), 2), uses=["d"])
    return D, "s"


@trap("differentiate", true=False,
      sets="M(t) = t^2 claimed where t <= 1 and t >= 1 (two closed conditions, the point 1), differentiated: "
           "M'(t) = 2 t")
def audit4_diff_two_closed_conditions():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"M(t)")))
    D.fact("rel", sp.Eq(M(t), t ** 2), uses=["M-def"], conditions=[t <= 1, t >= 1])
    D.differentiate("d", "rel", t)
    D.step("s", sp.Eq(_d_at(M, t, 1), 2), uses=["d"])
    return D, "s"


@trap("differentiate", true=True, sets="M(t) := t^3, then M'(2) = 12")
def audit4_diff_cubic_true():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), t ** 3))
    D.step("s", sp.Eq(_d_at(M, t, 2), 12), uses=["M-def"])
    return D, "s"


@trap("differentiate", true=True,
      sets="UniformMean(u^x, u) = 1/(x + 1), differentiated in x: UniformMean(u^x log u, u) = -1/(x + 1)^2")
def audit4_diff_uniform_mean_true():
    D = Derivation("trap")
    D.parameter(x)
    D.step("rel", sp.Eq(UniformMean(u ** x, u), 1 / (x + 1)))
    D.differentiate("s", "rel", x)
    return D, "s"


@trap("binding", true=False,
      sets="M(a) = a for a > 0 (a premise with its condition); N(a) := M(a)^2 substituted, N(a) = a^2 claimed for "
           "every real a")
def audit4_substitute_drops_condition():
    D = Derivation("trap")
    D.parameter(a)
    D.define("M-def", sp.Eq(M(a), Meaning(r"M(a)")))
    D.fact("p", sp.Eq(M(a), a), uses=["M-def"], conditions=[a > 0])
    D.define("N-def", sp.Eq(N(a), M(a) ** 2))
    D.substitute("s", "N-def", ["p"])
    return D, "s"


@trap("binding", true=False,
      sets="y = sqrt(a^2) and y = a for a > 0; then y - a = 0 claimed everywhere (false for a < 0)")
def audit4_chain_premise_condition_dropped():
    D = Derivation("trap")
    D.parameter(a)
    D.define("y-def", sp.Eq(y, sp.sqrt(a ** 2)))
    D.step("p", sp.Eq(y, a), uses=["y-def"], conditions=[a > 0])
    D.step("s", sp.Eq(y - a, 0), uses=["p"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# series with fractional powers and logarithms
# ---------------------------------------------------------------------------------------------


@trap("series", true=True, sets="sqrt(x + x^2) = sqrt x + x^(3/2)/2 + O(x^(5/2)) at 0")
def audit4_series_half_powers_true():
    return _series(sp.sqrt(x + x ** 2), x, 0, sp.Rational(5, 2),
                   sp.sqrt(x) + x ** sp.Rational(3, 2) / 2 + sp.O(x ** sp.Rational(5, 2)))


@trap("series", true=False, sets="sqrt(x + x^2) = sqrt x + x^(3/2)/3 + O(x^(5/2)) (the coefficient is 1/2)")
def audit4_series_half_powers_false():
    return _series(sp.sqrt(x + x ** 2), x, 0, sp.Rational(5, 2),
                   sp.sqrt(x) + x ** sp.Rational(3, 2) / 3 + sp.O(x ** sp.Rational(5, 2)))


@trap("series", true=False, sets="sqrt x + x log x = sqrt x + O(x) (x log x is not O(x))")
def audit4_series_log_not_order():
    return _series(sp.sqrt(x) + x * sp.log(x), x, 0, 1, sp.sqrt(x) + sp.O(x))


@trap("series", true=True, sets="log(1 + sqrt x) = sqrt x - x/2 + x^(3/2)/3 + O(x^2)")
def audit4_series_log_sqrt_true():
    return _series(sp.log(1 + sp.sqrt(x)), x, 0, 2,
                   sp.sqrt(x) - x / 2 + x ** sp.Rational(3, 2) / 3 + sp.O(x ** 2))


@trap("series", true=False, sets="log(1 + sqrt x) = sqrt x - x/2 + x^(3/2)/2 + O(x^2) (the cube term is 1/3)")
def audit4_series_log_sqrt_false():
    return _series(sp.log(1 + sp.sqrt(x)), x, 0, 2,
                   sp.sqrt(x) - x / 2 + x ** sp.Rational(3, 2) / 2 + sp.O(x ** 2))


@trap("series", true=False,
      sets="x^x = 1 + x log x + x^2 log(x)^2/3 + O(x^2) (the log^2 term is 1/2: the remainder x^2 log^2 x/6 is "
           "not O(x^2))")
def audit4_series_x_to_x_log_square():
    return _series(x ** x, x, 0, 2, 1 + x * sp.log(x) + x ** 2 * sp.log(x) ** 2 / 3 + sp.O(x ** 2))


# ---------------------------------------------------------------------------------------------
# complex branch cuts and special functions
# ---------------------------------------------------------------------------------------------


@trap("sampling", true=False, sets="sqrt(z) sqrt(1/z) = 1 for complex z (-1 on the negative real axis)")
def audit4_cut_sqrt_reciprocal():
    return _step(sp.Eq(sp.sqrt(z) * sp.sqrt(1 / z), 1))


@trap("sampling", true=False, sets="atan(z) + atan(1/z) = pi/2 for complex z (-pi/2 when re z < 0)")
def audit4_cut_atan_reciprocal():
    return _step(sp.Eq(sp.atan(z) + sp.atan(1 / z), sp.pi / 2))


@trap("sampling", true=True, sets="asin(z) + acos(z) = pi/2 for every complex z")
def audit4_cut_asin_acos_true():
    return _step(sp.Eq(sp.asin(z) + sp.acos(z), sp.pi / 2))


@trap("sampling", true=False, sets="loggamma(z) = log(gamma(z)) for complex z (they differ by 2 pi i k off the right half-plane)")
def audit4_loggamma_log_gamma():
    return _step(sp.Eq(sp.loggamma(z), sp.log(sp.gamma(z))))


@trap("special-function", true=True, sets="gamma(a) gamma(1 - a) = pi/sin(pi a) (reflection; poles at integers)")
def audit4_gamma_reflection_true():
    return _step(sp.Eq(sp.gamma(a) * sp.gamma(1 - a), sp.pi / sp.sin(sp.pi * a)))


@trap("special-function", true=True, sets="polylog(2, 1/2) = pi^2/12 - log(2)^2/2")
def audit4_polylog_half_true():
    return _step(sp.Eq(sp.polylog(2, sp.Rational(1, 2)), sp.pi ** 2 / 12 - sp.log(2) ** 2 / 2, evaluate=False))


@trap("precision", true=False, sets="polylog(2, 1/2) = pi^2/12 - log(2)^2/2 + 10^-60")
def audit4_polylog_half_off():
    return _step(sp.Eq(sp.polylog(2, sp.Rational(1, 2)),
                       sp.pi ** 2 / 12 - sp.log(2) ** 2 / 2 + sp.Rational(1, 10 ** 60), evaluate=False))


@trap("precision", true=False, sets="zeta(3) = a rational 10^-70 off Apery's constant")
def audit4_zeta3_rational():
    value = sp.Rational(int(sp.floor(sp.zeta(3).evalf(80) * 10 ** 70)) + 1, 10 ** 70)
    return _step(sp.Eq(sp.zeta(3), value, evaluate=False))


@trap("special-function", true=True, sets="besselj(1/2, x) = sqrt(2/(pi x)) sin x for x > 0")
def audit4_bessel_half_true():
    return _step(sp.Eq(sp.besselj(sp.Rational(1, 2), x), sp.sqrt(2 / (sp.pi * x)) * sp.sin(x)))


@trap("special-function", true=False, sets="besselj(-1/2, x) = sqrt(2/(pi x)) sin x (it is cos)")
def audit4_bessel_minus_half():
    return _step(sp.Eq(sp.besselj(-sp.Rational(1, 2), x), sp.sqrt(2 / (sp.pi * x)) * sp.sin(x)))


@trap("special-function", true=True, sets="2F1(1, 1; 2; -x) = log(1 + x)/x for x > 0")
def audit4_hyper_log_true():
    return _step(sp.Eq(sp.hyper([1, 1], [2], -x), sp.log(1 + x) / x))


@trap("special-function", true=False, sets="2F1(1, 1; 2; -x) = log(1 + x)/x + x^40/10^30 for x > 0 (off far out only)")
def audit4_hyper_log_far():
    return _step(sp.Eq(sp.hyper([1, 1], [2], -x), sp.log(1 + x) / x + x ** 40 / 10 ** 30))


@trap("special-function", true=False,
      sets="erf(x) + erfc(x) = 1 + exp(-1/x^2)/10^6 for x > 0 (the excess is below 1e-40 until x ~ 0.1)")
def audit4_erf_excess_small():
    return _step(sp.Eq(sp.erf(x) + sp.erfc(x), 1 + sp.exp(-1 / x ** 2) / 10 ** 6))


@trap("relation", true=False, sets="gamma(x) > 0.8856032 for x > 0 (the minimum is 0.88560319441 at x = 1.4616)")
def audit4_gamma_minimum():
    return _step(sp.Gt(sp.gamma(x), sp.Rational(8856032, 10 ** 7)))


@trap("relation", true=True, sets="gamma(x) > 0.8856 for x > 0")
def audit4_gamma_minimum_true():
    return _step(sp.Gt(sp.gamma(x), sp.Rational(8856, 10 ** 4)))


# ---------------------------------------------------------------------------------------------
# Min, Max, Piecewise
# ---------------------------------------------------------------------------------------------


@trap("evaluation", true=True, sets="max(a, b) + min(a, b) = a + b")
def audit4_max_plus_min_true():
    return _step(sp.Eq(sp.Max(a, b) + sp.Min(a, b), a + b))


@trap("evaluation", true=True, sets="max(a, b) min(a, b) = a b")
def audit4_max_times_min_true():
    return _step(sp.Eq(sp.Max(a, b) * sp.Min(a, b), a * b))


@trap("evaluation", true=False, sets="max(a, b) - min(a, b) = a - b (it is |a - b|)")
def audit4_max_minus_min():
    return _step(sp.Eq(sp.Max(a, b) - sp.Min(a, b), a - b))


@trap("evaluation", true=False,
      sets="max(a, b) = a where a > b - 10^-20 (false on the window b - 10^-20 < a < b, beside the condition's "
           "edge)")
def audit4_max_thin_window():
    return _step(sp.Eq(sp.Max(a, b), a), conditions=[a > b - sp.Rational(1, 10 ** 20)])


@trap("evaluation", true=True, sets="max(a, b) = a where a > b (the kink's other side is outside the condition)")
def audit4_max_beside_kink_true():
    return _step(sp.Eq(sp.Max(a, b), a), conditions=[a > b])


@trap("evaluation", true=False, sets="|a| = a where a > -10^-25 (false on the window -10^-25 < a < 0)")
def audit4_abs_thin_window():
    return _step(sp.Eq(sp.Abs(a), a), conditions=[a > -sp.Rational(1, 10 ** 25)])


@trap("evaluation", true=True, sets="|a - b| + |b - a| = 2 max(a, b) - 2 min(a, b) (kinks on both sides, true on both)")
def audit4_abs_max_kinks_true():
    return _step(sp.Eq(sp.Abs(a - b) + sp.Abs(b - a), 2 * sp.Max(a, b) - 2 * sp.Min(a, b)))


@trap("evaluation", true=False, sets="Piecewise((1, a > 0), (0, True)) = Heaviside(a) (Heaviside(0) = 1/2)")
def audit4_piecewise_heaviside_at_zero():
    return _step(sp.Eq(sp.Piecewise((1, a > 0), (0, True)), sp.Heaviside(a)))


# ---------------------------------------------------------------------------------------------
# integer symbols and sums
# ---------------------------------------------------------------------------------------------


@trap("sum", true=True, sets="sum_{k=1}^n k^3 = (n(n + 1)/2)^2")
def audit4_sum_cubes_true():
    return _step(sp.Eq(sp.Sum(kk ** 3, (kk, 1, n)), (n * (n + 1) / 2) ** 2))


@trap("sum", true=False, sets="sum_{k=0}^n (-1)^k binomial(n, k) = 0 for nonnegative integers n (1 at n = 0)")
def audit4_sum_alternating_binomial_zero():
    j = sp.Symbol("j", integer=True, nonnegative=True)
    return _step(sp.Eq(sp.Sum((-1) ** j * sp.binomial(n0, j), (j, 0, n0)), 0))


@trap("sum", true=True, sets="sum_{k=0}^n binomial(n, k) = 2^n")
def audit4_sum_binomial_true():
    j = sp.Symbol("j", integer=True, nonnegative=True)
    return _step(sp.Eq(sp.Sum(sp.binomial(n0, j), (j, 0, n0)), 2 ** n0))


@trap("sum", true=False, sets="sum_{k=1}^n 1/k^2 = pi^2/6 - 1/n (only asymptotically; n <= 30)")
def audit4_sum_basel_tail():
    return _step(sp.Eq(sp.Sum(1 / kk ** 2, (kk, 1, n)), sp.pi ** 2 / 6 - 1 / n), conditions=[n <= 30])


@trap("sum", true=False, sets="sum_{k=0}^n (-1)^k = 1 for nonnegative integers n (0 for odd n)")
def audit4_sum_alternating_ones():
    j = sp.Symbol("j", integer=True, nonnegative=True)
    return _step(sp.Eq(sp.Sum((-1) ** j, (j, 0, n0)), 1))


@trap("sum", true=False, sets="Mod(n^2, 8) = 0 for even n (4 at n = 2)")
def audit4_mod_even_square():
    return _step(sp.Eq(sp.Mod(ne ** 2, 8), 0))


@trap("sum", true=False, sets="cos(pi n)^2 = 1 for a real n (true only at integers; the integer assumption left out)")
def audit4_integer_undeclared():
    return _step(sp.Eq(sp.cos(sp.pi * x) ** 2, 1))


@trap("sum", true=False, sets="2^n > n^2 for integers n >= 1 (false at n = 2, 3, 4)")
def audit4_integer_inequality_small_n():
    return _step(sp.Gt(2 ** n, n ** 2))


# ---------------------------------------------------------------------------------------------
# facts: corrections slower than every exponent tried, aliasing
# ---------------------------------------------------------------------------------------------


def _x_named():
    D = Derivation("trap")
    D.define("X-def", sp.Eq(X, Meaning(r"X_d")))
    return D


def _slow_quarter(rng, d, point):
    """1 + 0.5 d^(-1/4) + noise: tends to 1, slower than any exponent in [1/2, 2]."""
    return {X: 1 + 0.5 * d ** -0.25 + 0.05 * rng.standard_normal()}


@trap("fact", true=False,
      sets="X -> 1.1 for X = 1 + 0.5 d^(-1/4) + noise (it tends to 1): a correction slower than every exponent "
           "from 1/2 to 2 extrapolates to about 1.1")
def audit4_fact_slow_correction():
    D = _x_named()
    D.fact("f", sp.Eq(X, sp.Rational(11, 10)), uses=["X-def"],
           check=Simulation(_slow_quarter, points=[{}], sizes=(50, 100, 200), trials=40, seed=3, tolerance=0.04))
    return D, "f"


def _aliased(rng, d, point):
    """1 + 0.05 cos(2 pi d/50) + noise/sqrt(d): at d = 50, 100, 200 the cosine is 1; X never converges."""
    return {X: 1 + 0.05 * np.cos(2 * np.pi * d / 50) + rng.standard_normal() / np.sqrt(d)}


@trap("fact", true=False,
      sets="X -> 1.05 for X = 1 + 0.05 cos(2 pi d/50) + noise (no limit): the sizes 50, 100, 200 all sit on "
           "the crest")
def audit4_fact_aliased_sizes():
    D = _x_named()
    D.fact("f", sp.Eq(X, sp.Rational(105, 100)), uses=["X-def"],
           check=Simulation(_aliased, points=[{}], sizes=(50, 100, 200), trials=40, seed=3, tolerance=0.02))
    return D, "f"


def _biased_by_point(rng, d, point):
    """The sampler ignores the parameter: X = 2 at every point, whatever c."""
    return {X: 2 + rng.standard_normal() / d}


@trap("fact", true=False,
      sets="X -> 2 c claimed, simulated at the single parameter point c = 1 (the sampler ignores c): a "
           "parametric claim checked at one point")
def audit4_fact_one_point_parametric():
    c = sp.Symbol("c", positive=True)
    D = _x_named()
    D.parameter(c)
    D.fact("f", sp.Eq(X, 2 * c), uses=["X-def"],
           check=Simulation(_biased_by_point, points=[{c: 1}], sizes=(50, 100, 200), trials=20, seed=3,
                            tolerance=0.01))
    return D, "f"


def _shrinking_true(rng, d, point):
    return {X: 1 + 1.0 / d + 0.2 * rng.standard_normal() / np.sqrt(d)}


@trap("fact", true=True, sets="X -> 1 for X = 1 + 1/d + noise/sqrt(d)")
def audit4_fact_plain_true():
    D = _x_named()
    D.fact("f", sp.Eq(X, 1), uses=["X-def"],
           check=Simulation(_shrinking_true, points=[{}], sizes=(50, 100, 200), trials=40, seed=3, tolerance=0.02))
    return D, "f"
