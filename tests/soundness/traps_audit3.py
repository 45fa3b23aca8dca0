"""Third adversarial round (an independent audit), written from the documentation only.

Classes aimed at: derivatives claimed where a function is not differentiable (sympy's
conventions ``Heaviside(0) = 1/2``, ``sign(0) = 0`` and piece-by-piece differentiation of a
``Piecewise``); discontinuous functions evaluated exactly on a jump (at a root known only
through a premise, at an exact condition value); the value 0 of a nonnegative or integer
symbol, which is not among the special values; a limit whose claimed value depends on the
limit variable; a closed condition's edge on a limit's parameter; series whose O-term is taken
at another point; facts whose relative scale is inflated by drawn names, or whose simulation is
degenerate (no points, one size, one trial, a constant sampler, an infinite tolerance);
premises inconsistent over the reals; vacuous and single-point side conditions; sympy's
``Mod`` convention; uniqueness of a root where the premise is monotone except on a thin band;
derivatives at a point of an implicit function with two roots; ``solve`` on a premise that is
not an equation, or whose leading coefficient vanishes; real or positive names solved over the
complex numbers; limits and series whose scale lies beyond every probe; sympy's and mpmath's
``binomial`` at negative integers.

Not expressible here (the corpus checks without the cache): the cache key hashes a simulation's
sampler by its source code, so a sampler whose closure or module-level helper changed replays the
old verdict (see the audit report).
"""

import numpy as np
import sympy as sp

from derive import Derivation, Holds, Simulation
from derive.notation import Meaning

from . import trap
from .traps_limits import _limit, _series
from .traps_relations import _step

t = sp.Symbol("t", real=True)
r = sp.Symbol("r", real=True)
a = sp.Symbol("a", real=True)
x = sp.Symbol("x", positive=True)
y = sp.Symbol("y", real=True)
yp = sp.Symbol("y", positive=True)
z = sp.Symbol("z")  # complex
n0 = sp.Symbol("n", integer=True, nonnegative=True)
k = sp.Symbol("k", integer=True)
xn = sp.Symbol("x", nonnegative=True)
M = sp.Function("M")
X, Y, Z = sp.symbols("X Y Z", real=True)
oo = sp.oo


def _d_at(f, var, point):
    """f'(point) as sympy writes a derivative at a point."""
    return sp.Subs(sp.Derivative(f(var), var), var, point)


def _defined(value, var=t):
    D = Derivation("trap")
    D.parameter(var)
    D.define("M-def", sp.Eq(M(var), value))
    return D


# ---------------------------------------------------------------------------------------------
# derivatives where the function is not differentiable
# ---------------------------------------------------------------------------------------------


@trap("differentiate", true=False,
      sets="M(t) := max(t, 0): M'(0) = 1/2 (sympy's Heaviside(0); M has a kink at 0, no derivative)")
def audit3_diff_max_kink_heaviside_half():
    D = _defined(sp.Max(t, 0))
    D.step("s", sp.Eq(_d_at(M, t, 0), sp.Rational(1, 2)), uses=["M-def"])
    return D, "s"


@trap("differentiate", true=False, sets="M(t) := |t|: M'(0) = 0 (sympy's sign(0); |t| has no derivative at 0)")
def audit3_diff_abs_at_kink():
    D = _defined(sp.Abs(t))
    D.step("s", sp.Eq(_d_at(M, t, 0), 0), uses=["M-def"])
    return D, "s"


@trap("differentiate", true=False,
      sets="M(t) := 5 at t = 0, t elsewhere (discontinuous at 0): M'(0) = 0 from piecewise differentiation")
def audit3_diff_piecewise_point_value():
    D = _defined(sp.Piecewise((5, sp.Eq(t, 0)), (t, True)))
    D.step("s", sp.Eq(_d_at(M, t, 0), 0), uses=["M-def"])
    return D, "s"


@trap("differentiate", true=False,
      sets="M(t) := t^2 for t < 1, t^2 + 1 for t >= 1 (a jump at 1): M'(1) = 2 from the right piece")
def audit3_diff_piecewise_jump():
    D = _defined(sp.Piecewise((t ** 2, t < 1), (t ** 2 + 1, True)))
    D.step("s", sp.Eq(_d_at(M, t, 1), 2), uses=["M-def"])
    return D, "s"


@trap("differentiate", true=True,
      sets="M(t) := t^2 for t < 1, 2t - 1 for t >= 1 (C^1 at the break): M'(1) = 2")
def audit3_diff_piecewise_c1_true():
    D = _defined(sp.Piecewise((t ** 2, t < 1), (2 * t - 1, True)))
    D.step("s", sp.Eq(_d_at(M, t, 1), 2), uses=["M-def"])
    return D, "s"


@trap("differentiate", true=False, sets="M(t) := floor(t): M'(2) = 0 (a jump at 2)")
def audit3_diff_floor_at_jump():
    D = _defined(sp.floor(t))
    D.step("s", sp.Eq(_d_at(M, t, 2), 0), uses=["M-def"])
    return D, "s"


@trap("differentiate", true=False,
      sets="M(t) = |t| as a relation premise, differentiated in t (M' = sign t), then M'(0) = 0 (no derivative)")
def audit3_diff_rule_abs_then_point():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t|")))
    D.fact("rel", sp.Eq(M(t), sp.Abs(t)), uses=["M-def"])
    D.differentiate("d", "rel", t)
    D.step("s", sp.Eq(_d_at(M, t, 0), 0), uses=["d"])
    return D, "s"


@trap("differentiate", true=True, sets="M(t) := t |t| (differentiable, M' = 2|t|): M'(0) = 0")
def audit3_diff_t_abs_t_true():
    D = _defined(t * sp.Abs(t))
    D.step("s", sp.Eq(_d_at(M, t, 0), 0), uses=["M-def"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# discontinuous functions exactly on a jump
# ---------------------------------------------------------------------------------------------


def _sqrt2_root():
    """y > 0 known only through y^2 = 2 (and the order premise y > 0)."""
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the positive root of } y^2 = 2")))
    D.fact("quad", sp.Eq(y ** 2, 2), uses=["y-def"])
    D.step("pos", sp.Gt(y, 0, evaluate=False), uses=["y-def"])
    return D


@trap("evaluation", true=False,
      sets="floor(y^2) = 1 for the root y of y^2 = 2 (it is 2): the numeric root sits a hair below sqrt 2")
def audit3_floor_at_implicit_root():
    D = _sqrt2_root()
    D.step("s", sp.Eq(sp.floor(y ** 2), 1), uses=["quad", "pos"])
    return D, "s"


@trap("evaluation", true=False,
      sets="ceiling(y^2) = 3 for the root y of y^2 = 2 (it is 2): the numeric root sits a hair above sqrt 2")
def audit3_ceiling_at_implicit_root():
    D = _sqrt2_root()
    D.step("s", sp.Eq(sp.ceiling(y ** 2), 3), uses=["quad", "pos"])
    return D, "s"


@trap("evaluation", true=False, sets="sign(y^2 - 2)^2 = 1 for the root y of y^2 = 2 (it is 0)")
def audit3_sign_at_implicit_root():
    D = _sqrt2_root()
    D.step("s", sp.Eq(sp.sign(y ** 2 - 2) ** 2, 1), uses=["quad", "pos"])
    return D, "s"


@trap("evaluation", true=True, sets="floor(y^2) = 2 for the root y of y^2 = 2")
def audit3_floor_at_implicit_root_true():
    D = _sqrt2_root()
    D.step("s", sp.Eq(sp.floor(y ** 2), 2), uses=["quad", "pos"])
    return D, "s"


@trap("sampling", true=False,
      sets="ceiling(x^2) = 3 under the condition x = sqrt 2 (it is 2; the nearest binary float of sqrt 2 squares above 2)")
def audit3_ceiling_at_exact_condition():
    D = Derivation("trap")
    D.parameter(x)
    D.step("s", sp.Eq(sp.ceiling(x ** 2), 3), conditions=[sp.Eq(x, sp.sqrt(2))])
    return D, "s"


@trap("sampling", true=False,
      sets="ceiling(3x) = floor(3x) + 1 for x > 2: false exactly where 3x is an integer (x = 7/3, ...)")
def audit3_ceiling_floor_at_rationals():
    return _step(sp.Eq(sp.ceiling(3 * x), sp.floor(3 * x) + 1), conditions=[x > 2])


# ---------------------------------------------------------------------------------------------
# the value 0 of nonnegative and integer symbols
# ---------------------------------------------------------------------------------------------


@trap("sampling", true=False, sets="max(n, 1) = n for nonnegative integers n (false at n = 0)")
def audit3_nonneg_integer_zero_max():
    return _step(sp.Eq(sp.Max(n0, 1), n0))


@trap("sampling", true=False, sets="0^n = 0 for nonnegative integers n (0^0 = 1)")
def audit3_nonneg_integer_zero_power():
    return _step(sp.Eq(sp.Pow(0, n0, evaluate=False), 0))


@trap("sampling", true=False, sets="|sign(k)| = 1 for integers k (false at k = 0)")
def audit3_integer_zero_sign():
    return _step(sp.Eq(sp.Abs(sp.sign(k)), 1))


@trap("sampling", true=False, sets="sign(x) = 1 for nonnegative real x (false at x = 0, the closed edge of x >= 0)")
def audit3_nonneg_real_zero_sign():
    return _step(sp.Eq(sp.sign(xn), 1))


@trap("sampling", true=True, sets="max(n, 1) = n + KroneckerDelta(n, 0) for nonnegative integers n")
def audit3_nonneg_integer_zero_max_true():
    return _step(sp.Eq(sp.Max(n0, 1), n0 + sp.KroneckerDelta(n0, 0)))


# ---------------------------------------------------------------------------------------------
# limits
# ---------------------------------------------------------------------------------------------


@trap("limit", true=False,
      sets="Limit(sin(x)/x, x, 0) = cos(x): the claimed value depends on the limit variable (1 != cos x)")
def audit3_limit_value_depends_on_variable():
    return _limit(sp.sin(x) / x, x, 0, sp.cos(x))


@trap("limit", true=False,
      sets="Limit(x/(x + 1), x, oo) = x/(x + 2): both tend to 1, but the statement says 1 = x/(x + 2)")
def audit3_limit_value_depends_on_variable_oo():
    return _limit(x / (x + 1), x, oo, x / (x + 2))


@trap("limit", true=False,
      sets="a x/(a x + 1) -> 1 as x -> oo claimed for a >= 0: at the closed edge a = 0 it is 0")
def audit3_limit_parameter_closed_edge():
    return _limit(a * x / (a * x + 1), x, oo, 1, conditions=[a >= 0], parameters=[a])


@trap("limit", true=False, sets="x^a -> 0 as x -> 0+ claimed for a >= 0: at a = 0 it is 1")
def audit3_limit_power_closed_edge():
    return _limit(x ** a, x, 0, 0, conditions=[a >= 0], parameters=[a])


@trap("limit", true=False, sets="1/t -> oo as t -> 0 from both sides (+-): it is -oo from the left")
def audit3_limit_two_sided_pole():
    return _limit(1 / t, t, 0, oo, direction="+-")


@trap("limit", true=True, sets="1/t^2 -> oo as t -> 0 from both sides")
def audit3_limit_two_sided_pole_true():
    return _limit(1 / t ** 2, t, 0, oo, direction="+-")


@trap("limit", true=True, sets="sqrt(x^2 + a x) - x -> a/2 as x -> oo for every real a")
def audit3_limit_parameter_any_sign_true():
    return _limit(sp.sqrt(x ** 2 + a * x) - x, x, oo, a / 2, parameters=[a])


@trap("limit", true=False,
      sets="x^((a - 1)/10^8) -> 0 as x -> 0+ claimed for a > 0: true only for a > 1 (slow), oo for a < 1")
def audit3_limit_slow_parameter_regime():
    return _limit(x ** ((a - 1) / 10 ** 8), x, 0, 0, conditions=[a > 0], parameters=[a])


# ---------------------------------------------------------------------------------------------
# series
# ---------------------------------------------------------------------------------------------


@trap("series", true=False,
      sets="exp(x) = 1 + x + x^2/2 + O(x^3) with the O-term taken at oo (O(x^3, (x, oo))): false at infinity")
def audit3_series_order_term_at_infinity():
    return _series(sp.exp(x), x, 0, 3, 1 + x + x ** 2 / 2 + sp.O(x ** 3, (x, oo)))


@trap("series", true=False,
      sets="1/(1 - x) = 1 + x + O(x^2) at 0 with the O-term taken at x -> 1 (O((x - 1)^2, (x, 1)))")
def audit3_series_order_term_at_other_point():
    return _series(1 / (1 - t), t, 0, 2, 1 + t + sp.O((t - 1) ** 2, (t, 1)))


@trap("series", true=True, sets="sin(a t)/a = t - a^2 t^3/6 + O(t^5) at 0, for real a != 0")
def audit3_series_parameter_true():
    return _series(sp.sin(a * t) / a, t, 0, 5, t - a ** 2 * t ** 3 / 6 + sp.O(t ** 5), conditions=[sp.Ne(a, 0)],
                   parameters=[a])


@trap("series", true=False,
      sets="(1 + t)^a = 1 + a t + a(a - 1)/2 t^2 + O(t^4): the t^3 term a(a-1)(a-2)/6 is missing "
           "(it vanishes only at a = 0, 1, 2)")
def audit3_series_binomial_order_too_high():
    return _series((1 + t) ** a, t, 0, 4, 1 + a * t + a * (a - 1) / 2 * t ** 2 + sp.O(t ** 4), parameters=[a])


# ---------------------------------------------------------------------------------------------
# facts: scales and degenerate simulations
# ---------------------------------------------------------------------------------------------


def _drawn_constants(rng, d, point):
    """X = 1 + noise/sqrt(d) (so X -> 1), and two names Y = Z = 10^4 that cancel."""
    return {X: 1 + rng.standard_normal() / np.sqrt(d), Y: 1e4, Z: 1e4}


def _x_named():
    D = Derivation("trap")
    D.define("X-def", sp.Eq(X, Meaning(r"X_d")))
    return D


@trap("fact", true=False,
      sets="X + Y = Z with X -> 1 and drawn names Y = Z = 10^4: the residual is 1, but the scale |X| + |Y| + |Z| "
           "is 2 10^4 (constants smuggled in as drawn names)")
def audit3_fact_scale_inflated_by_drawn_constants():
    D = _x_named()
    D.fact("f", sp.Eq(X + Y, Z), uses=["X-def"],
           check=Simulation(_drawn_constants, points=[{}], sizes=(50, 100, 200), trials=20, seed=1))
    return D, "f"


def _noisy_one(rng, d, point):
    return {X: 1 + rng.standard_normal() / np.sqrt(d)}


@trap("fact", true=False, sets="X -> 0 (X -> 1) with a simulation at no points: 'verified at every point' is vacuous")
def audit3_fact_no_points():
    D = _x_named()
    D.fact("f", sp.Eq(X, 0), uses=["X-def"],
           check=Simulation(_noisy_one, points=[], sizes=(50, 100, 200), trials=20, seed=1, tolerance=1e-2,
                            absolute=True))
    return D, "f"


def _one_over_d(rng, d, point):
    return {X: 1.0 / d}


@trap("fact", true=False,
      sets="X -> 1/200 for X = 1/d (it tends to 0), simulated at the single size d = 200: nothing to extrapolate")
def audit3_fact_single_size():
    D = _x_named()
    D.fact("f", sp.Eq(X, sp.Rational(1, 200)), uses=["X-def"],
           check=Simulation(_one_over_d, points=[{}], sizes=(200,), trials=5, seed=1, tolerance=1e-3, absolute=True))
    return D, "f"


def _constant(rng, d, point):
    return {X: 0.02}


@trap("fact", true=False,
      sets="X -> 0 for the constant X = 0.02 (a sampler with no noise: zero standard errors), tolerance 0.01 absolute")
def audit3_fact_constant_sampler():
    D = _x_named()
    D.fact("f", sp.Eq(X, 0), uses=["X-def"],
           check=Simulation(_constant, points=[{}], sizes=(50, 100, 200), trials=5, seed=1, tolerance=1e-2,
                            absolute=True))
    return D, "f"


def _nan(rng, d, point):
    return {X: float("nan")}


@trap("fact", true=False, sets="X -> 0 for a sampler that returns nan")
def audit3_fact_nan_sampler():
    D = _x_named()
    D.fact("f", sp.Eq(X, 0), uses=["X-def"],
           check=Simulation(_nan, points=[{}], sizes=(50, 100, 200), trials=5, seed=1, tolerance=1e-2, absolute=True))
    return D, "f"


def _slightly_off(rng, d, point):
    return {X: 0.05 + 0.001 * rng.standard_normal()}


@trap("fact", true=False, sets="X -> 0 for X = 0.05 + noise, one trial per size (no standard error)")
def audit3_fact_single_trial():
    D = _x_named()
    D.fact("f", sp.Eq(X, 0), uses=["X-def"],
           check=Simulation(_slightly_off, points=[{}], sizes=(50, 100, 200), trials=1, seed=1, tolerance=1e-2,
                            absolute=True))
    return D, "f"


@trap("fact", true=False, sets="X -> 0 (X -> 1) with an infinite tolerance")
def audit3_fact_infinite_tolerance():
    D = _x_named()
    D.fact("f", sp.Eq(X, 0), uses=["X-def"],
           check=Simulation(_noisy_one, points=[{}], sizes=(50, 100, 200), trials=20, seed=1, tolerance=float("inf"),
                            absolute=True))
    return D, "f"


@trap("fact", true=True, sets="X -> 1 for X = 1 + noise/sqrt(d)")
def audit3_fact_noisy_one_true():
    D = _x_named()
    D.fact("f", sp.Eq(X, 1), uses=["X-def"],
           check=Simulation(_noisy_one, points=[{}], sizes=(50, 100, 200), trials=40, seed=1, tolerance=5e-2))
    return D, "f"


# ---------------------------------------------------------------------------------------------
# premises inconsistent (over the reals), conditions vacuous or a single point
# ---------------------------------------------------------------------------------------------


@trap("elimination", true=False,
      sets="exp(y) = -1 for real y (no real solution; consistent once exp(y) is renamed) cited for y = 5")
def audit3_premise_inconsistent_over_reals():
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("p", sp.Eq(sp.exp(y), -1, evaluate=False), uses=["y-def"])
    D.step("s", sp.Eq(y, 5), uses=["p"])
    return D, "s"


@trap("elimination", true=False, sets="y^2 + 1 = 0 for real y (no real solution) used to claim y = 5")
def audit3_premise_no_real_root():
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("p", sp.Eq(y ** 2 + 1, 0, evaluate=False), uses=["y-def"])
    D.step("s", sp.Eq(y ** 4, 5), uses=["p"])
    return D, "s"


@trap("relation", true=False, sets="order premises x > 2 and x < 1 (contradictory) cited for x = 7")
def audit3_premise_contradictory_orders():
    D = Derivation("trap")
    D.parameter(x)
    D.step("gt", sp.Gt(x, 2, evaluate=False))
    D.step("lt", sp.Lt(x, 1, evaluate=False))
    D.step("s", sp.Eq(x, 7), uses=["gt", "lt"])
    return D, "s"


@trap("sampling", true=True, sets="x = 2x under the conditions x > 2 and x < 1: vacuously true (must not be failed)")
def audit3_condition_vacuous_true():
    return _step(sp.Eq(x, 2 * x, evaluate=False), conditions=[x > 2, x < 1])


@trap("sampling", true=False, sets="x^2 = 5 under x >= 2 and x <= 2 (x = 2 in disguise)")
def audit3_condition_single_point_false():
    return _step(sp.Eq(x ** 2, 5), conditions=[x >= 2, x <= 2])


@trap("sampling", true=True, sets="x^2 = 4 under x >= 2 and x <= 2 (x = 2 in disguise)")
def audit3_condition_single_point_true():
    return _step(sp.Eq(x ** 2, 4), conditions=[x >= 2, x <= 2])


# ---------------------------------------------------------------------------------------------
# evaluation conventions
# ---------------------------------------------------------------------------------------------


@trap("evaluation", true=True, sets="Mod(r, 3) = r - 3 floor(r/3) for real r (sympy's Mod is Python's, not C's fmod)")
def audit3_mod_python_convention_true():
    return _step(sp.Eq(sp.Mod(r, 3), r - 3 * sp.floor(r / 3)))


@trap("evaluation", true=False,
      sets="Mod(r, 3) = r - 3 sign(r) floor(|r|/3) for real r (fmod's truncation convention; false for r < 0)")
def audit3_mod_fmod_convention_false():
    return _step(sp.Eq(sp.Mod(r, 3), r - 3 * sp.sign(r) * sp.floor(sp.Abs(r) / 3)))


# ---------------------------------------------------------------------------------------------
# solve: uniqueness
# ---------------------------------------------------------------------------------------------


@trap("solve", true=False,
      sets="(y - x)^3 + ((x - 1/3)^2 - 10^-12)(y - x) = 0 solved as y = x, no branch: three real roots when "
           "|x - 1/3| < 10^-6 (the premise is monotone in y everywhere else)")
def audit3_solve_monotone_except_thin_band():
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(y, Meaning("a root")))
    D.fact("p", sp.Eq((y - x) ** 3 + ((x - sp.Rational(1, 3)) ** 2 - sp.Rational(1, 10 ** 12)) * (y - x), 0),
           uses=["y-def"])
    D.solve("s", "p", y, form=x)
    return D, "s"


@trap("solve", true=False,
      sets="(y - x)^3 + (x - 1)(y - x) = 0 solved as y = x with no branch: three real roots for 0 < x < 1")
def audit3_solve_monotone_only_for_large_x():
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(y, Meaning("a root")))
    D.fact("p", sp.Eq((y - x) ** 3 + (x - 1) * (y - x), 0), uses=["y-def"])
    D.solve("s", "p", y, form=x)
    return D, "s"


@trap("solve", true=True,
      sets="y^2 = r^2 solved as y = r, the root with the sign of r (branch y > 0 for r > 0, y < 0 for r < 0)")
def audit3_solve_sign_following_true():
    D = Derivation("trap")
    D.parameter(r)
    D.define("y-def", sp.Eq(y, Meaning("the root with the sign of r")))
    D.fact("p", sp.Eq(y ** 2, r ** 2), uses=["y-def"])
    D.solve("s", "p", y, form=r, branch=[Holds(y > 0, where=[r > 0]), Holds(y < 0, where=[r < 0])],
            conditions=[sp.Ne(r, 0)])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# derivative at a point of an implicit function with two roots
# ---------------------------------------------------------------------------------------------


def _implicit_derivative():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning(r"\text{the positive root of } x M^2 + M - 1 = 0")))
    D.fact("quad", sp.Eq(x * M(x) ** 2 + M(x) - 1, 0), uses=["M-def"])
    D.step("pos", sp.Gt(M(x), 0, evaluate=False), uses=["M-def"])
    D.differentiate("d", "quad", x)
    return D


@trap("differentiate", true=False,
      sets="M'(1) = (3 + sqrt 5)/(2 sqrt 5): the derivative at 1 on the negative root, with M > 0 cited")
def audit3_derivative_at_point_other_root():
    D = _implicit_derivative()
    D.step("s", sp.Eq(_d_at(M, x, 1), (3 + sp.sqrt(5)) / (2 * sp.sqrt(5))), uses=["quad", "pos", "d"])
    return D, "s"


@trap("differentiate", true=True, sets="M'(1) = -(3 - sqrt 5)/(2 sqrt 5) on the positive root, M > 0 cited")
def audit3_derivative_at_point_right_root_true():
    D = _implicit_derivative()
    D.step("s", sp.Eq(_d_at(M, x, 1), -(3 - sp.sqrt(5)) / (2 * sp.sqrt(5))), uses=["quad", "pos", "d"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# precision and complex branches
# ---------------------------------------------------------------------------------------------


@trap("precision", true=False,
      sets="x (10^500 + 1)/10^500 = x for x > 0: an exact rational off by 1e-500, which sympy sees is nonzero")
def audit3_exact_rational_off_1e500():
    return _step(sp.Eq(x * sp.Rational(10 ** 500 + 1, 10 ** 500), x, evaluate=False))


@trap("sampling", true=False,
      sets="conj(log(e^{i pi/5} z^3)) = log(e^{-i pi/5} conj(z)^3) for complex z: false only on three rays "
           "(arg z = 4pi/15, 14pi/15, -2pi/5), none of them an axis")
def audit3_complex_cut_on_oblique_rays():
    w = sp.exp(sp.I * sp.pi / 5)
    return _step(sp.Eq(sp.conjugate(sp.log(w * z ** 3)), sp.log(sp.conjugate(w) * sp.conjugate(z) ** 3)))


@trap("sampling", true=True,
      sets="conj(log(e^{i pi/5} z^3)) = log(e^{-i pi/5} conj(z)^3) for z with Re z > 0 and Im z > 0 and "
           "arg z < pi/4 (no cut ray inside)")
def audit3_complex_cut_wedge_true():
    w = sp.exp(sp.I * sp.pi / 5)
    return _step(sp.Eq(sp.conjugate(sp.log(w * z ** 3)), sp.log(sp.conjugate(w) * sp.conjugate(z) ** 3)),
                 conditions=[sp.re(z) > 0, sp.im(z) > 0, sp.im(z) < sp.re(z)])


# ---------------------------------------------------------------------------------------------
# second batch: real names solved as complex, order relations at exact roots, edges
# ---------------------------------------------------------------------------------------------


@trap("evaluation", true=True,
      sets="y real with y^3 = 8: y = 2 (the only real root; the two complex roots are not values of a real y)")
def audit3_real_name_cubic_true():
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning("the real cube root of 8")))
    D.fact("p", sp.Eq(y ** 3, 8), uses=["y-def"])
    D.step("s", sp.Eq(y, 2), uses=["p"])
    return D, "s"


@trap("evaluation", true=True, sets="y declared positive with y^2 = 4: y = 2 (the assumption picks the root)")
def audit3_positive_name_quadratic_true():
    D = Derivation("trap")
    D.define("y-def", sp.Eq(yp, Meaning("the positive root of y^2 = 4")))
    D.fact("p", sp.Eq(yp ** 2, 4), uses=["y-def"])
    D.step("s", sp.Eq(yp, 2), uses=["p"])
    return D, "s"


@trap("relation", true=True, sets="y^2 >= 2 for the root y of y^2 = 2 (equality, exactly)")
def audit3_rel_weak_at_exact_root_true():
    D = _sqrt2_root()
    D.step("s", sp.Ge(y ** 2, 2, evaluate=False), uses=["quad", "pos"])
    return D, "s"


@trap("relation", true=True, sets="y^2 <= 2 for the root y of y^2 = 2 (equality, exactly)")
def audit3_rel_weak_at_exact_root_le_true():
    D = _sqrt2_root()
    D.step("s", sp.Le(y ** 2, 2, evaluate=False), uses=["quad", "pos"])
    return D, "s"


@trap("relation", true=False, sets="y^2 > 2 for the root y of y^2 = 2 (they are equal)")
def audit3_rel_strict_at_exact_root():
    D = _sqrt2_root()
    D.step("s", sp.Gt(y ** 2, 2, evaluate=False), uses=["quad", "pos"])
    return D, "s"


@trap("sampling", true=False,
      sets="ceiling(x^2) = 3 for sqrt 2 <= x < 3/2: false only at the closed edge x = sqrt 2, an irrational edge")
def audit3_ceiling_at_irrational_closed_edge():
    return _step(sp.Eq(sp.ceiling(x ** 2), 3), conditions=[x >= sp.sqrt(2), x < sp.Rational(3, 2)])


@trap("sampling", true=False, sets="Piecewise(1 if x = 5, else 0) = 0 for x > 0: false at the integer 5 only")
def audit3_piecewise_exact_integer():
    return _step(sp.Eq(sp.Piecewise((1, sp.Eq(x, 5)), (0, True)), 0))


@trap("differentiate", true=False,
      sets="M(t) = t for t > 0 (M = |t|), differentiated, then M'(0) = 1 at the open edge (no derivative at 0)")
def audit3_diff_subs_at_open_edge():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t|")))
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.differentiate("d", "pos", t)
    D.step("s", sp.Eq(_d_at(M, t, 0), 1), uses=["d"])
    return D, "s"


@trap("series", true=True,
      sets="sin(t) + t^3 sin(1/t) = t + O(t^3) at 0: the remainder over t^3 oscillates (bounded), never converges")
def audit3_series_oscillating_remainder_true():
    return _series(sp.sin(t) + t ** 3 * sp.sin(1 / t), t, 0, 3, t + sp.O(t ** 3))


@trap("series", true=False, sets="t^2 sin(1/t) = O(t^3) at 0 (it is O(t^2) only)")
def audit3_series_oscillating_remainder_false():
    return _series(t ** 2 * sp.sin(1 / t), t, 0, 3, sp.O(t ** 3))


c = sp.Symbol("c", positive=True)


def _x_is_c(rng, d, point):
    return {X: float(point[c]) + rng.standard_normal() / d}


def _x_is_abs_c(rng, d, point):
    return {X: abs(float(point[c])) + rng.standard_normal() / d}


@trap("fact", true=False,
      sets="X = 1 claimed for c > 2 where X -> c; simulated only at c = 1, a point outside the condition")
def audit3_fact_point_outside_conditions():
    D = _x_named()
    D.parameter(c)
    D.fact("f", sp.Eq(X, 1), uses=["X-def"], conditions=[c > 2],
           check=Simulation(_x_is_c, points=[{c: 1.0}], sizes=(50, 100, 200), trials=20, seed=1, tolerance=1e-2))
    return D, "f"


@trap("fact", true=False,
      sets="X = -c for c declared positive, where X -> |c| (so X = c): simulated only at c = -1 and c = -2, "
           "outside the symbol's assumption, where X = -c does hold")
def audit3_fact_point_outside_assumption():
    D = _x_named()
    D.parameter(c)
    D.fact("f", sp.Eq(X, -c), uses=["X-def"],
           check=Simulation(_x_is_abs_c, points=[{c: -1.0}, {c: -2.0}], sizes=(50, 100, 200), trials=20, seed=1,
                            tolerance=1e-2))
    return D, "f"


# ---------------------------------------------------------------------------------------------
# transforms: changes of variables with a sign wrong (Cauchy vs Stieltjes conventions)
# ---------------------------------------------------------------------------------------------

m = sp.Function("m")
g = sp.Function("g")
v = sp.Symbol("v")


def _semicircle_curve():
    D = Derivation("trap")
    D.parameter(z)
    D.define("m-def", sp.Eq(m(z), Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(W-z)^{-1}")))
    D.fact("quad", sp.Eq(m(z) ** 2 + z * m(z) + 1, 0), uses=["m-def"])
    return D


@trap("transform", true=False,
      sets="the law of W^-1 with the inverse's change sign-flipped (g = -z + z^2 m at v = 1/z, the Cauchy "
           "convention's formula used for m): the curve that change carries, v^4 g^2 + 2v^3 g + v g + v^2 + 2 = 0")
def audit3_transform_inverse_sign_flipped():
    D = _semicircle_curve()
    D.define("g-def", sp.Eq(g(v), Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(W^{-1}-v)^{-1}")))
    D.transform("inv", "quad", sp.Eq(v ** 4 * g(v) ** 2 + 2 * v ** 3 * g(v) + v * g(v) + v ** 2 + 2, 0),
                change=(g(v), -z + z ** 2 * m(z), 1 / z))
    return D, "inv"


@trap("transform", true=False,
      sets="the semicircle's R-transform with w = +m instead of -m (Cauchy sign): R = z - 1/m at w = m, giving "
           "the curve w R + w^2 + 2 = 0 (the true R-curve is R = w)")
def audit3_transform_r_sign_flipped():
    D = _semicircle_curve()
    D.define("g-def", sp.Eq(g(v), Meaning(r"R(v)")))
    D.transform("R", "quad", sp.Eq(v * g(v) + v ** 2 + 2, 0), change=(g(v), z - 1 / m(z), m(z)))
    return D, "R"


@trap("transform", true=True, sets="the law of -W for the semicircle: g(v) = -m(-v), the same curve")
def audit3_transform_negate_true():
    D = _semicircle_curve()
    D.define("g-def", sp.Eq(g(v), Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(-W-v)^{-1}")))
    D.transform("neg", "quad", sp.Eq(g(v) ** 2 + v * g(v) + 1, 0), change=(g(v), -m(z), -z))
    return D, "neg"


# ---------------------------------------------------------------------------------------------
# solve: "linear in the name" when the leading coefficient vanishes
# ---------------------------------------------------------------------------------------------


@trap("solve", true=False,
      sets="(sin^2 t + cos^2 t - 1) y = 0 solved as y = 7: the premise is 0 = 0 (every y solves it), but it "
           "reads as linear in y")
def audit3_solve_vacuous_premise_linear():
    D = Derivation("trap")
    D.parameter(t)
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("p", sp.Eq((sp.sin(t) ** 2 + sp.cos(t) ** 2 - 1) * y, 0, evaluate=False), uses=["y-def"])
    D.solve("s", "p", y, form=7)
    return D, "s"


@trap("solve", true=False,
      sets="(x - 1)(y - 2) = 0 solved as y = 7 under the condition x = 1, where the premise says nothing about y")
def audit3_solve_linear_leading_zero_on_condition():
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("p", sp.Eq((x - 1) * (y - 2), 0), uses=["y-def"])
    D.solve("s", "p", y, form=7, conditions=[sp.Eq(x, 1)])
    return D, "s"


@trap("solve", true=False,
      sets="(x - 1) y = 2 (x - 1) solved as y = 2 for all x > 0: at x = 1 (a special value) every y solves it")
def audit3_solve_linear_leading_zero_at_point():
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("p", sp.Eq((x - 1) * y, 2 * (x - 1)), uses=["y-def"])
    D.solve("s", "p", y, form=2)
    return D, "s"


@trap("solve", true=True, sets="(x - 1) y = 2 (x - 1) solved as y = 2 under the condition x != 1")
def audit3_solve_linear_leading_nonzero_true():
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("p", sp.Eq((x - 1) * y, 2 * (x - 1)), uses=["y-def"])
    D.solve("s", "p", y, form=2, conditions=[sp.Ne(x, 1)])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# a step citing itself, or a step below it
# ---------------------------------------------------------------------------------------------


@trap("binding", true=False, sets="a = 5 citing itself (its own binding would make it 5 = 5)")
def audit3_step_cites_itself():
    D = Derivation("trap")
    D.parameter(a)
    D.step("s", sp.Eq(a, 5), uses=["s"])
    return D, "s"


@trap("binding", true=False, sets="a = 5 and b = a cite each other (circular): a = 5 'follows' from b = a = 5?")
def audit3_steps_cite_each_other():
    b = sp.Symbol("b", real=True)
    D = Derivation("trap")
    D.parameter(a, b)
    D.step("s", sp.Eq(a, b), uses=["u"])
    D.step("u", sp.Eq(b, a), uses=["s"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# differentiate: a premise that holds at one point only, through order premises or a relation
# ---------------------------------------------------------------------------------------------


@trap("differentiate", true=False,
      sets="exp(t) = 1 + 2t claimed under the order premises t >= 0 and t <= 0 (so at t = 0 only), then "
           "differentiated: exp(t) = 2 (false at t = 0)")
def audit3_diff_order_premises_single_point():
    D = Derivation("trap")
    D.parameter(t)
    D.step("ge", sp.Ge(t, 0, evaluate=False))
    D.step("le", sp.Le(t, 0, evaluate=False))
    D.step("P", sp.Eq(sp.exp(t), 1 + 2 * t), uses=["ge", "le"])
    D.differentiate("d", "P", t)
    return D, "d"


@trap("differentiate", true=False,
      sets="exp(t) = 1 + 2t under the order premise t^2 <= 0 (t = 0 in disguise), differentiated: exp(t) = 2")
def audit3_diff_order_premise_square():
    D = Derivation("trap")
    D.parameter(t)
    D.step("sq", sp.Le(t ** 2, 0, evaluate=False))
    D.step("P", sp.Eq(sp.exp(t), 1 + 2 * t), uses=["sq"])
    D.differentiate("d", "P", t)
    return D, "d"


@trap("differentiate", true=False,
      sets="exp(t) = 1 + 2t citing the relation 2t = 0 (a relation fixing t, not a binding), differentiated: "
           "exp(t) = 2")
def audit3_diff_relation_fixes_variable():
    D = Derivation("trap")
    D.parameter(t)
    D.fact("zero", sp.Eq(2 * t, 0))
    D.step("P", sp.Eq(sp.exp(t), 1 + 2 * t), uses=["zero"])
    D.differentiate("d", "P", t)
    return D, "d"


@trap("differentiate", true=False,
      sets="M(t) := t^2 for t <= 1, 3t - 2 beyond (continuous, a kink: one-sided slopes 2 and 3): M'(1) = 2")
def audit3_diff_piecewise_kink():
    D = _defined(sp.Piecewise((t ** 2, t <= 1), (3 * t - 2, True)))
    D.step("s", sp.Eq(_d_at(M, t, 1), 2), uses=["M-def"])
    return D, "s"


def _x_over_d(rng, d, point):
    return {X: 1.0 / d + 0.001 * rng.standard_normal()}


@trap("fact", true=False, sets="X -> 0.01 for X = 1/d + noise, with the sizes (100, 100): no extrapolation possible")
def audit3_fact_duplicate_sizes():
    D = _x_named()
    D.fact("f", sp.Eq(X, sp.Rational(1, 100)), uses=["X-def"],
           check=Simulation(_x_over_d, points=[{}], sizes=(100, 100), trials=20, seed=1, tolerance=2e-3, absolute=True))
    return D, "f"


@trap("fact", true=False,
      sets="X -> 1/200 for X = 1/d + noise, simulated at d = 190 and 200 only (two close sizes, 20 trials): the "
           "extrapolation is too uncertain to pass")
def audit3_fact_two_close_sizes():
    D = _x_named()
    D.fact("f", sp.Eq(X, sp.Rational(1, 200)), uses=["X-def"],
           check=Simulation(_x_over_d, points=[{}], sizes=(190, 200), trials=20, seed=1, tolerance=2e-3, absolute=True))
    return D, "f"


def _abs_closed_half_line():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t|")))
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t >= 0])
    D.differentiate("d", "pos", t)
    return D


@trap("differentiate", true=True,
      sets="M(t) = t for t >= 0 (M = |t|, a closed half-line), differentiated: the verb claims M'(t) = 1 on the "
           "interior t > 0 only (at the endpoint t = 0 there is no derivative; claiming t >= 0 was the bug)")
def audit3_diff_closed_condition_statement():
    D = _abs_closed_half_line()
    assert D["d"].conditions == (t > 0,), D["d"].conditions
    return D, "d"


@trap("differentiate", true=False,
      sets="M(t) = t for t >= 0 (M = |t|), differentiated, then M'(0) = 1 at the closed endpoint")
def audit3_diff_closed_condition_subs_at_edge():
    D = _abs_closed_half_line()
    D.step("s", sp.Eq(_d_at(M, t, 0), 1), uses=["d"])
    return D, "s"


@trap("sampling", true=False, sets="sign(t) = 1 under the closed condition t >= 0 (false at the edge t = 0)")
def audit3_closed_condition_zero_sign():
    return _step(sp.Eq(sp.sign(t), 1), conditions=[t >= 0])


# ---------------------------------------------------------------------------------------------
# limits whose scale lies beyond every probe; nested bindings
# ---------------------------------------------------------------------------------------------


@trap("limit", true=True,
      sets="x/(x + 10^-300) -> 0 as x -> 0+: true, but every probe (1e-15 .. 1e-240) sees about 1")
def audit3_limit_scale_below_probes_true():
    return _limit(x / (x + sp.Rational(1, 10 ** 300)), x, 0, 0)


@trap("limit", true=False,
      sets="x/(x + 10^-300) -> 1 as x -> 0+ (it is 0): every probe agrees with the false claim")
def audit3_limit_scale_below_probes_false():
    return _limit(x / (x + sp.Rational(1, 10 ** 300)), x, 0, 1)


@trap("limit", true=True, sets="x/(x + 10^300) -> 1 as x -> oo: every probe (1e15 .. 1e240) sees about 0")
def audit3_limit_scale_beyond_probes_oo_true():
    return _limit(x / (x + 10 ** 300), x, oo, 1)


@trap("limit", true=True,
      sets="x/(x + c 10^300) -> 1 as x -> oo for every c > 0: a parameter, and a scale beyond every probe")
def audit3_limit_scale_beyond_probes_param_true():
    return _limit(x / (x + c * 10 ** 300), x, oo, 1, parameters=[c])


@trap("binding", true=True, sets="f(x) := x + 1: f(f(x)) = x + 2 (a nested application)")
def audit3_nested_binding_true():
    f = sp.Function("f")
    D = Derivation("trap")
    D.parameter(x)
    D.define("f-def", sp.Eq(f(x), x + 1))
    D.step("s", sp.Eq(f(f(x)), x + 2), uses=["f-def"])
    return D, "s"


@trap("binding", true=False, sets="f(x) := x + 1: f(f(x)) = x + 1 (the inner application dropped)")
def audit3_nested_binding_false():
    f = sp.Function("f")
    D = Derivation("trap")
    D.parameter(x)
    D.define("f-def", sp.Eq(f(x), x + 1))
    D.step("s", sp.Eq(f(f(x)), x + 1), uses=["f-def"])
    return D, "s"


@trap("series", true=True,
      sets="t^4/(t^2 + 10^-100) = O(t^4) at 0 (the ratio tends to 10^100): true, but at every probe (1e-8 .. 1e-32) "
           "it looks like t^2")
def audit3_series_scale_below_probes_true():
    return _series(t ** 4 / (t ** 2 + sp.Rational(1, 10 ** 100)), t, 0, 4, sp.O(t ** 4))


@trap("series", true=True,
      sets="t^4/(t^2 + 10^-100) = 10^100 t^4 + O(t^6) at 0: the exact expansion, invisible at the probes")
def audit3_series_scale_below_probes_exact_true():
    return _series(t ** 4 / (t ** 2 + sp.Rational(1, 10 ** 100)), t, 0, 6, 10 ** 100 * t ** 4 + sp.O(t ** 6))


# ---------------------------------------------------------------------------------------------
# the premise-domain check at arguments that leave the domain on a thin set
# ---------------------------------------------------------------------------------------------


def _abs_positive():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning(r"|x|")))
    D.fact("pos", sp.Eq(M(x), x), uses=["M-def"])   # for x > 0, by the symbol's assumption
    return D


@trap("binding", true=False,
      sets="M(x) = x for x > 0 (M = |x|) used at x - 10^-20: M(x - 10^-20) = x - 10^-20, false for x < 10^-20")
def audit3_domain_shifted_argument_thin():
    D = _abs_positive()
    D.step("s", sp.Eq(M(x - sp.Rational(1, 10 ** 20)), x - sp.Rational(1, 10 ** 20)), uses=["pos"])
    return D, "s"


@trap("binding", true=False,
      sets="M(x) = x for x > 0 (M = |x|) used at u = (x - 1/7)^2 - 10^-40, negative for |x - 1/7| < 10^-20: M(u) = u")
def audit3_domain_quadratic_argument_thin():
    D = _abs_positive()
    u = (x - sp.Rational(1, 7)) ** 2 - sp.Rational(1, 10 ** 40)
    D.step("s", sp.Eq(M(u), u), uses=["pos"])
    return D, "s"


@trap("binding", true=True, sets="M(x) = x for x > 0 (M = |x|) used at (x - 1/7)^2 + 10^-40, always positive")
def audit3_domain_quadratic_argument_true():
    D = _abs_positive()
    u = (x - sp.Rational(1, 7)) ** 2 + sp.Rational(1, 10 ** 40)
    D.step("s", sp.Eq(M(u), u), uses=["pos"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# sympy's binomial at negative integers (0 below the diagonal) against mpmath's (the gamma limit)
# ---------------------------------------------------------------------------------------------


@trap("evaluation", true=False,
      sets="binomial(k, k) = 1 for every integer k: in sympy binomial(k, k) = 0 for k < 0 (binomial(-1, -1) = 0); "
           "mpmath's gamma-limit convention gives 1")
def audit3_binomial_negative_diagonal_false():
    return _step(sp.Eq(sp.binomial(k, k), 1))


@trap("evaluation", true=True,
      sets="binomial(k, k) = [k >= 0] for every integer k (sympy's convention: 0 for negative k)")
def audit3_binomial_negative_diagonal_true():
    return _step(sp.Eq(sp.binomial(k, k), sp.Piecewise((1, k >= 0), (0, True))))


@trap("evaluation", true=True, sets="floor(y) = 2 for the positive root y of y^2 = 4 (an integer root)")
def audit3_floor_at_integer_root_true():
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the positive root of } y^2 = 4")))
    D.fact("quad", sp.Eq(y ** 2, 4), uses=["y-def"])
    D.step("pos", sp.Gt(y, 0, evaluate=False), uses=["y-def"])
    D.step("s", sp.Eq(sp.floor(y), 2), uses=["quad", "pos"])
    return D, "s"


@trap("series", true=True,
      sets="sin t + cos t = sin t + 1 - t^2/2 + O(t^4) at 0: the stated expansion keeps a closed-form term (sin t)")
def audit3_series_form_with_closed_term_true():
    return _series(sp.sin(t) + sp.cos(t), t, 0, 4, sp.sin(t) + 1 - t ** 2 / 2 + sp.O(t ** 4))


@trap("series", true=False,
      sets="sin t + cos t = sin t + 1 + t^2/2 + O(t^4) at 0 (sign of t^2/2 wrong), with a closed-form term kept")
def audit3_series_form_with_closed_term_false():
    return _series(sp.sin(t) + sp.cos(t), t, 0, 4, sp.sin(t) + 1 + t ** 2 / 2 + sp.O(t ** 4))


@trap("limit", true=True, sets="t exp(t) -> 0 as t -> -oo (a real variable, the point -oo)")
def audit3_limit_minus_infinity_exp_true():
    return _limit(t * sp.exp(t), t, -oo, 0)


@trap("limit", true=False, sets="t exp(t) -> 0 as t -> +oo (it is oo)")
def audit3_limit_plus_infinity_exp_false():
    return _limit(t * sp.exp(t), t, oo, 0)


@trap("solve", true=False,
      sets="'solve' applied to the order premise y > 2: y = 2 (the residual y - 2 vanishes there, but y > 2 "
           "excludes it)")
def audit3_solve_from_inequality_premise():
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.step("gt", sp.Gt(y, 2, evaluate=False), uses=["y-def"])
    D.solve("s", "gt", y, form=2)
    return D, "s"


@trap("solve", true=False,
      sets="'solve' applied to a fact stating y^2 != 4 ... as y = 2 (a '!=' premise has no roots to solve for)")
def audit3_solve_from_unequal_premise():
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("ne", sp.Ne(y ** 2, 4), uses=["y-def"])
    D.solve("s", "ne", y, form=2, branch=[Holds(y > 0)])
    return D, "s"


@trap("differentiate", true=False,
      sets="'differentiate' applied to the inequality exp(t) > t: exp(t) > 1 (false for t < 0; inequalities do "
           "not differentiate)")
def audit3_differentiate_inequality():
    D = Derivation("trap")
    D.parameter(t)
    D.step("ineq", sp.Gt(sp.exp(t), t, evaluate=False))
    D.differentiate("d", "ineq", t)
    return D, "d"


# ---------------------------------------------------------------------------------------------
# uniqueness by monotonicity on a disconnected domain; implicit names with far roots
# ---------------------------------------------------------------------------------------------


@trap("solve", true=False,
      sets="tan(y) = r solved as y = atan(r) for real y, no branch: d/dy tan y = 1 + tan^2 y > 0 everywhere, "
           "but tan is monotone only between its poles (y = atan r + pi solves it too)")
def audit3_solve_monotone_between_poles():
    D = Derivation("trap")
    D.parameter(r)
    D.define("y-def", sp.Eq(y, Meaning("a solution of tan y = r")))
    D.fact("p", sp.Eq(sp.tan(y), r), uses=["y-def"])
    D.solve("s", "p", y, form=sp.atan(r))
    return D, "s"


@trap("solve", true=True,
      sets="tan(y) = r solved as y = atan(r) with the branch |y| < pi/2 (the principal solution)")
def audit3_solve_monotone_between_poles_branch_true():
    D = Derivation("trap")
    D.parameter(r)
    D.define("y-def", sp.Eq(y, Meaning("the solution of tan y = r in (-pi/2, pi/2)")))
    D.fact("p", sp.Eq(sp.tan(y), r), uses=["y-def"])
    D.solve("s", "p", y, form=sp.atan(r), branch=[Holds(sp.Abs(y) < sp.pi / 2)])
    return D, "s"


@trap("evaluation", true=False,
      sets="y real with sin(y/1000) = 0: cos(y/1000) = 1 (false at the root y = 1000 pi, far from the "
           "root finder's starts)")
def audit3_implicit_far_root_missed():
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning("a zero of sin(y/1000)")))
    D.fact("p", sp.Eq(sp.sin(y / 1000), 0), uses=["y-def"])
    D.step("s", sp.Eq(sp.cos(y / 1000), 1), uses=["p"])
    return D, "s"


@trap("evaluation", true=False,
      sets="y > 0 with y exp(-y) = x/10 (two positive roots for x < 10/e, the Lambert W branches): "
           "y = -W0(-x/10) (false on the other root)")
def audit3_implicit_two_positive_roots():
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(yp, Meaning("a positive root of y exp(-y) = x/10")))
    D.fact("p", sp.Eq(yp * sp.exp(-yp), x / 10), uses=["y-def"])
    D.step("s", sp.Eq(yp, -sp.LambertW(-x / 10)), uses=["p"], conditions=[x < 10 / sp.E])
    return D, "s"


@trap("binding", true=False,
      sets="f an unknown function to the derivation, but carrying a numeric implementation "
           "(sympy's implemented_function, f = x^2 in Python): f(x) = x^2 'follows' from no premise")
def audit3_implemented_function_hidden_definition():
    from sympy.utilities.lambdify import implemented_function
    f = implemented_function(sp.Function("f"), lambda value: value ** 2)
    D = Derivation("trap")
    D.parameter(x, f)
    D.step("s", sp.Eq(f(x), x ** 2))
    return D, "s"


@trap("limit", true=False,
      sets="M(t) = t for t > 0 (M = |t|) used inside a two-sided limit: M(t)/t -> 1 as t -> 0 (+-), false "
           "from the left (-1), where the premise does not hold")
def audit3_limit_two_sided_premise_one_side():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t|")))
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.limit("L", M(t) / t, t, 0, uses=["pos"], value=1, direction="+-")
    return D, "L"


@trap("limit", true=False,
      sets="M(t) = t for t > 0 (M = |t|) used inside the left limit M(t)/t -> 1 as t -> 0- (it is -1)")
def audit3_limit_left_premise_right_only():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t|")))
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.limit("L", M(t) / t, t, 0, uses=["pos"], value=1, direction="-")
    return D, "L"


@trap("series", true=False,
      sets="M(t) = t for t > 0 (M = |t|) used in a series at 0 for real t: M(t) = t + O(t^2), false from the left "
           "(the series is two-sided for a real t), where the premise does not hold")
def audit3_series_premise_one_side():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t|")))
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.series("S", M(t), t, 0, 2, uses=["pos"], form=t + sp.O(t ** 2))
    return D, "S"


@trap("limit", true=False,
      sets="M(t) = t for t > 0 (M = |t|) and a two-sided limit of the difference quotient at 0: "
           "(M(h) - M(0))/h -> 1 as h -> 0 (+-), with M(0) = 0 known; false from the left")
def audit3_limit_difference_quotient_two_sided():
    h = sp.Symbol("h", real=True)
    D = Derivation("trap")
    D.parameter(t, h)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t|")))
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.limit("L", M(h) / h, h, 0, uses=["pos"], value=1, direction="+-")
    return D, "L"


# ---------------------------------------------------------------------------------------------
# a binding that contradicts its name's sign assumption
# ---------------------------------------------------------------------------------------------

ap = sp.Symbol("a", positive=True)


@trap("binding", true=False,
      sets="a declared positive but defined as a := -x (x > 0): a > 0 'follows' from the assumption, while the "
           "definition makes it negative")
def audit3_positive_name_defined_negative_order():
    D = Derivation("trap")
    D.parameter(x)
    D.define("a-def", sp.Eq(ap, -x))
    D.step("s", sp.Gt(ap, 0, evaluate=False), uses=["a-def"])
    return D, "s"


@trap("binding", true=False,
      sets="a declared positive but defined as a := -x: sqrt(a^2) = -x (sympy reads sqrt(a^2) as a, then "
           "substitutes the binding; with the value, sqrt(x^2) = x)")
def audit3_positive_name_defined_negative_sqrt():
    D = Derivation("trap")
    D.parameter(x)
    D.define("a-def", sp.Eq(ap, -x))
    D.step("s", sp.Eq(sp.sqrt(ap ** 2), -x), uses=["a-def"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# two symbols with one name and different assumptions
# ---------------------------------------------------------------------------------------------


@trap("sampling", true=False,
      sets="sqrt(x^2) = x written with two symbols named x, one positive (inside the root, so sympy reads "
           "sqrt(x^2) = x) and one merely real: for the real x it says |x| = x")
def audit3_same_name_two_assumptions():
    xr = sp.Symbol("x", real=True)
    D = Derivation("trap")
    D.parameter(xr)
    D.define("x-pos", sp.Eq(x, Meaning("x, positive")))
    D.step("s", sp.Eq(sp.sqrt(x ** 2), xr), uses=["x-pos"])
    return D, "s"


@trap("transform", true=False,
      sets="a 'shift' by b = 1/m(z), which depends on the point (no law is shifted by it): g(v) = m(z) at "
           "v = z + 1/m(z) carries the semicircle to g + v = 0, which is no Stieltjes curve")
def audit3_transform_shift_by_function():
    D = _semicircle_curve()
    D.define("g-def", sp.Eq(g(v), Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(W+b-v)^{-1}")))
    D.transform("shift", "quad", sp.Eq(g(v) + v, 0), change=(g(v), m(z), z + 1 / m(z)))
    return D, "shift"


@trap("transform", true=False,
      sets="a 'scale' by a = z (depends on the point): g(v) = m(z)/z at v = z^2; the carried curve "
           "v g^2 + v g + 1 = 0 is no law's")
def audit3_transform_scale_by_variable():
    D = _semicircle_curve()
    D.define("g-def", sp.Eq(g(v), Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(aW-v)^{-1}")))
    D.transform("scale", "quad", sp.Eq(v * g(v) ** 2 + v * g(v) + 1, 0), change=(g(v), m(z) / z, z * z))
    return D, "scale"


# ---------------------------------------------------------------------------------------------
# integer symbols with further assumptions (odd, even, prime)
# ---------------------------------------------------------------------------------------------

n_odd = sp.Symbol("n", integer=True, odd=True)
n_even = sp.Symbol("n", integer=True, even=True)
p_prime = sp.Symbol("p", prime=True)


@trap("sampling", true=True, sets="n^2 mod 8 = 1 for odd integers n (the symbol is declared odd)")
def audit3_odd_symbol_square_mod_8_true():
    return _step(sp.Eq(sp.Mod(n_odd ** 2, 8), 1))


@trap("sampling", true=True, sets="cos(pi n/2)^2 = 1 for even integers n (the symbol is declared even)")
def audit3_even_symbol_cos_true():
    return _step(sp.Eq(sp.cos(sp.pi * n_even / 2) ** 2, 1, evaluate=False))


@trap("sampling", true=True, sets="(2^p - 2) mod p = 0 for primes p (Fermat; the symbol is declared prime)")
def audit3_prime_symbol_fermat_true():
    return _step(sp.Eq(sp.Mod(2 ** p_prime - 2, p_prime), 0, evaluate=False))


@trap("sampling", true=False, sets="n^2 mod 8 = 1 for every integer n (false for even n)")
def audit3_integer_square_mod_8_false():
    return _step(sp.Eq(sp.Mod(k ** 2, 8), 1))


@trap("fact", true=False,
      sets="X + Y = Z with X -> 1 and Y = Z = 10^4 drawn, all three declared by their Meaning: the residual is 1, "
           "but the scale |X| + |Y| + |Z| is 2 10^4 (the relative tolerance 0.01 allows 200)")
def audit3_fact_scale_inflated_declared_names():
    D = _x_named()
    D.define("Y-def", sp.Eq(Y, Meaning(r"Y_d")))
    D.define("Z-def", sp.Eq(Z, Meaning(r"Z_d")))
    D.fact("f", sp.Eq(X + Y, Z), uses=["X-def", "Y-def", "Z-def"],
           check=Simulation(_drawn_constants, points=[{}], sizes=(50, 100, 200), trials=20, seed=1))
    return D, "f"


def _drawn_noisy_large(rng, d, point):
    """X = 1 + noise/sqrt(d); Y = Z = the same large random draw (they cancel draw by draw)."""
    big = 1e4 * (1 + rng.standard_normal())
    return {X: 1 + rng.standard_normal() / np.sqrt(d), Y: big, Z: big}


@trap("fact", true=False,
      sets="X + Y = Z with X -> 1 and Y = Z a large random draw (equal draw by draw), declared by their Meaning: "
           "the scale is inflated by names that cancel numerically but not symbolically")
def audit3_fact_scale_inflated_random_names():
    D = _x_named()
    D.define("Y-def", sp.Eq(Y, Meaning(r"Y_d")))
    D.define("Z-def", sp.Eq(Z, Meaning(r"Z_d")))
    D.fact("f", sp.Eq(X + Y, Z), uses=["X-def", "Y-def", "Z-def"],
           check=Simulation(_drawn_noisy_large, points=[{}], sizes=(50, 100, 200), trials=20, seed=1))
    return D, "f"


@trap("evaluation", true=False,
      sets="Piecewise(1 if y^2 >= 2, else 0) = 0 for the root y of y^2 = 2 (it is 1): a jump hidden in a "
           "Piecewise condition, evaluated at a numeric root a hair below sqrt 2")
def audit3_piecewise_at_implicit_root():
    D = _sqrt2_root()
    D.step("s", sp.Eq(sp.Piecewise((1, y ** 2 >= 2), (0, True)), 0), uses=["quad", "pos"])
    return D, "s"


@trap("evaluation", true=False,
      sets="Heaviside(y^2 - 2) = 1 for the root y of y^2 = 2 (sympy: Heaviside(0) = 1/2)")
def audit3_heaviside_at_implicit_root():
    D = _sqrt2_root()
    D.step("s", sp.Eq(sp.Heaviside(y ** 2 - 2), 1), uses=["quad", "pos"])
    return D, "s"


@trap("evaluation", true=False,
      sets="(y^2 - 2)/|y^2 - 2| = 1 for the root y of y^2 = 2 (0/0 there: no value; a numeric root a hair "
           "above sqrt 2 gives 1)")
def audit3_abs_ratio_at_implicit_root():
    D = _sqrt2_root()
    D.step("s", sp.Eq((y ** 2 - 2) / sp.Abs(y ** 2 - 2), 1), uses=["quad", "pos"])
    return D, "s"
