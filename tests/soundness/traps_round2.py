"""Second round of traps: the mechanisms added after the first round.

They aim at the premise-domain check (conditions, order premises, symbol assumptions, bindings
that hide the arguments they are applied at), order premises that select a branch of an
implicit unknown, the solve rule's uniqueness test, the differentiate rule's "free variable"
test, the margin search, the precision of side conditions, the numeric evaluator's agreement
with sympy's own meaning of a function, slow limits, complex series and integer functions.

Relation premises are facts with no simulation (their own status does not matter: the step
under test is checked as a consequence of them); an order premise is a step stating ``x > 1``.
"""

import sympy as sp

from derive import Asymptotic, Derivation, Holds
from derive.notation import Meaning

from . import trap
from .traps_limits import _limit, _series
from .traps_relations import _step

x = sp.Symbol("x", positive=True)
t = sp.Symbol("t", real=True)
p, q, r = sp.symbols("p q r", real=True)
z = sp.Symbol("z")  # complex
n = sp.Symbol("n", integer=True, positive=True)
M = sp.Function("M")
oo = sp.oo




def _abs_function(variable=t):
    """M(t) = |t| by its meaning."""
    D = Derivation("trap")
    D.parameter(variable)
    D.define("M-def", sp.Eq(M(variable), Meaning(r"|t|")))
    return D


def _positive_root(order_premise=True):
    """M(x), x > 0, the positive root of x M^2 + M - 1 = 0, known only through the quadratic
    and (optionally) through the order premise M(x) > 0."""
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning(r"\text{the positive root of } x M^2 + M - 1 = 0")))
    D.fact("quad", sp.Eq(x * M(x) ** 2 + M(x) - 1, 0), uses=["M-def"])
    if order_premise:
        D.step("pos", sp.Gt(M(x), 0, evaluate=False), uses=["M-def"])
    return D


# ---------------------------------------------------------------------------------------------
# premise domains: symbol assumptions, order premises, bindings that hide their arguments
# ---------------------------------------------------------------------------------------------


@trap("binding", true=False,
      sets="M(x) = x stated for x > 0 by the symbol's assumption (M = |.|), used at -x: M(-x) = -x")
def r2_assumption_domain_binding():
    D = _abs_function(x)
    D.fact("pos", sp.Eq(M(x), x), uses=["M-def"])
    D.step("s", sp.Eq(M(-x), -x), uses=["pos"])
    return D, "s"


@trap("elimination", true=False,
      sets="M(x)^2 = x M(x) for positive x (M = |.|) instantiated at -x: M(-x)^2 + x M(-x) = 0")
def r2_assumption_domain_instantiated():
    D = _abs_function(x)
    D.fact("rel", sp.Eq(M(x) ** 2 - x * M(x), 0), uses=["M-def"])
    D.step("s", sp.Eq(M(-x) ** 2 + x * M(-x), 0), uses=["rel"])
    return D, "s"


@trap("binding", true=False,
      sets="M(t) = t - 1 claimed under the order premise t > 1 (M = |t - 1|), then used at 0: M(0) = -1")
def r2_order_premise_domain_binding():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t - 1|")))
    D.step("gt1", sp.Gt(t, 1, evaluate=False))
    D.step("closed", sp.Eq(M(t), t - 1), uses=["M-def", "gt1"])
    D.step("s", sp.Eq(M(0), -1), uses=["closed"])
    return D, "s"


@trap("binding", true=False,
      sets="substitute M(t) = t - 1 (valid under the order premise t > 1; M = |t - 1|) into w := M(t) + M(-t): "
           "w = -2 (it is 2t)")
def r2_order_premise_domain_substitute():
    w = sp.Symbol("w", real=True)
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t - 1|")))
    D.step("gt1", sp.Gt(t, 1, evaluate=False))
    D.step("closed", sp.Eq(M(t), t - 1), uses=["M-def", "gt1"])
    D.define("w-def", sp.Eq(w, M(t) + M(-t)))
    D.substitute("sub", "w-def", "closed")
    return D, "sub"


@trap("binding", true=False,
      sets="M(t) = t for t > 0 (M = |t|); y := M(-t) hides the argument -t from the domain check: y = -t for t > 0")
def r2_hidden_argument_binding():
    y = sp.Symbol("y", real=True)
    D = _abs_function()
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.define("y-def", sp.Eq(y, M(-t)))
    D.step("s", sp.Eq(y, -t), uses=["y-def", "pos"], conditions=[t > 0])
    return D, "s"


@trap("differentiate", true=False,
      sets="M(t) = t for t > 0 (M = |t|), differentiated: M'(t) = 1 there; then M'(-t) = 1 for t > 0 through Subs")
def r2_derivative_binding_outside_domain():
    D = _abs_function()
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.differentiate("d", "pos", t)
    D.step("s", sp.Eq(sp.Subs(sp.Derivative(M(t), t), t, -t), 1), uses=["d"], conditions=[t > 0])
    return D, "s"


@trap("binding", true=True, sets="M(t) = t for t > 0 (M = |t|) used at t^2 + 1, which is always positive")
def r2_domain_always_inside_true():
    D = _abs_function()
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.step("s", sp.Eq(M(t ** 2 + 1), t ** 2 + 1), uses=["pos"])
    return D, "s"


@trap("binding", true=True,
      sets="M(t) = t for t > 0 (M = |t|) used under the order premise t > 0 instead of a condition: M(t) + t = 2t")
def r2_order_premise_as_domain_true():
    D = _abs_function()
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.step("gt0", sp.Gt(t, 0, evaluate=False))
    D.step("s", sp.Eq(M(t) + t, 2 * t), uses=["pos", "gt0"])
    return D, "s"


@trap("binding", true=False,
      sets="M(t) = t for t > 0 (M = |t|) claimed for t > -10^-20: false on (-1e-20, 0), then 'proved' symbolically")
def r2_domain_hairline_then_proof():
    D = _abs_function()
    D.fact("pos", sp.Eq(M(t), t), uses=["M-def"], conditions=[t > 0])
    D.step("s", sp.Eq(M(t), t), uses=["pos"], conditions=[t > -sp.Integer(10) ** -20])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# implicit unknowns: a branch selected by an order premise or an assumption
# ---------------------------------------------------------------------------------------------


@trap("elimination", true=True,
      sets="sqrt(1 + 4x) = 2xM + 1, true on the positive root only, with the order premise M(x) > 0 cited")
def r2_order_premise_selects_branch_true():
    D = _positive_root()
    D.step("s", sp.Eq(sp.sqrt(1 + 4 * x), 2 * x * M(x) + 1), uses=["quad", "pos"])
    return D, "s"


@trap("elimination", true=True,
      sets="sqrt(1 + 8x) = 4x M(2x) + 1: the order premise M(x) > 0 (for all x > 0) covers M(2x) too")
def r2_order_premise_instantiated_true():
    D = _positive_root()
    D.step("s", sp.Eq(sp.sqrt(1 + 8 * x), 4 * x * M(2 * x) + 1), uses=["quad", "pos"])
    return D, "s"


@trap("elimination", true=False,
      sets="sqrt(1 + 8x) = -(4x M(2x) + 1) with M(x) > 0 cited: the other branch at the instantiated argument")
def r2_order_premise_instantiated_false():
    D = _positive_root()
    D.step("s", sp.Eq(sp.sqrt(1 + 8 * x), -(4 * x * M(2 * x) + 1)), uses=["quad", "pos"])
    return D, "s"


@trap("elimination", true=True,
      sets="M declared a positive function (Function('M', positive=True)): sqrt(1 + 4x) = 2xM + 1 from the quadratic")
def r2_positive_function_assumption_true():
    Mp = sp.Function("M", positive=True)
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(Mp(x), Meaning(r"\text{the positive root of } x M^2 + M - 1 = 0")))
    D.fact("quad", sp.Eq(x * Mp(x) ** 2 + Mp(x) - 1, 0), uses=["M-def"])
    D.step("s", sp.Eq(sp.sqrt(1 + 4 * x), 2 * x * Mp(x) + 1), uses=["quad"])
    return D, "s"


@trap("relation", true=False,
      sets="strict AM-GM on an implicit unknown: M + 1/(9M) > 2/3, equality where M = 1/3 (x = 6); "
           "no margin search with unknowns")
def r2_implicit_strict_touch():
    D = _positive_root()
    D.step("s", sp.Gt(M(x) + 1 / (9 * M(x)), sp.Rational(2, 3), evaluate=False), uses=["quad", "pos"])
    return D, "s"


@trap("relation", true=True, sets="non-strict AM-GM on an implicit unknown: M + 1/(9M) >= 2/3 with M > 0")
def r2_implicit_weak_touch_true():
    D = _positive_root()
    D.step("s", sp.Ge(M(x) + 1 / (9 * M(x)), sp.Rational(2, 3), evaluate=False), uses=["quad", "pos"])
    return D, "s"


@trap("elimination", true=False,
      sets="x y = 1 and x y^2 = 2 for an implicit symbol y (not a function) 'prove' the parameter x = 1/2")
def r2_implicit_symbol_fixes_parameter():
    y = sp.Symbol("y")
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("p1", sp.Eq(x * y, 1), uses=["y-def"])
    D.fact("p2", sp.Eq(x * y ** 2, 2), uses=["y-def"])
    D.step("s", sp.Eq(x, sp.Rational(1, 2)), uses=["p1", "p2"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# solve: which root, and is it one
# ---------------------------------------------------------------------------------------------


def _nonnegative_root():
    y = sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.parameter(r)
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the nonnegative root of } y^2 = r^2")))
    D.fact("sq", sp.Eq(y ** 2, r ** 2), uses=["y-def"])
    return D, y


@trap("solve", true=False,
      sets="y^2 = r^2, y the nonnegative root, solved as y = r with branch y > 0 only where r > 0 "
           "(the branch says nothing for r < 0)")
def r2_solve_branch_on_subregion():
    D, y = _nonnegative_root()
    D.solve("closed", "sq", y, form=r, branch=[Holds(y > 0, where=[r > 0])])
    return D, "closed"


@trap("solve", true=False,
      sets="y^2 = r^2, y the nonnegative root, solved as y = r with branch y/r -> 1 as r -> +oo only")
def r2_solve_branch_asymptotic_only():
    D, y = _nonnegative_root()
    D.solve("closed", "sq", y, form=r, branch=[Asymptotic(y / r, r, oo, 1)])
    return D, "closed"


@trap("solve", true=True,
      sets="y^2 = r^2 for r > 0, y the root with y/r -> 1 as r -> oo: named far out and followed in, "
           "the roots never meeting on r > 0")
def r2_solve_asymptotic_continued_true():
    rp = sp.Symbol("r", positive=True)
    y = sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.parameter(rp)
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the root with } y/r \to 1")))
    D.fact("sq", sp.Eq(y ** 2, rp ** 2), uses=["y-def"])
    D.solve("closed", "sq", y, form=rp, branch=[Asymptotic(y / rp, rp, oo, 1)])
    return D, "closed"


@trap("solve", true=False,
      sets="the semicircle's root in the upper half-plane, the other root in the lower, with only the upper "
           "half-plane's condition and i oo: nothing names the root below")
def r2_solve_lower_half_plane_unnamed():
    from .traps_exact import SC_OTHER, SC_ROOT, _semicircle, m, z
    D = _semicircle()
    D.solve("closed", "quad", m(z), form=sp.Piecewise((SC_ROOT, sp.im(z) >= 0), (SC_OTHER, True)),
            branch=[Asymptotic(z * m(z), z, sp.I * oo, -1), Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0])])
    return D, "closed"


@trap("solve", true=True,
      sets="y > 0 with w := y^2 and w + y = 3: y = (sqrt 13 - 1)/2; the name hides inside the binding of w")
def r2_solve_name_inside_binding_true():
    y = sp.Symbol("y", real=True)
    w = sp.Symbol("w", real=True)
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the positive root of } y^2 + y = 3")))
    D.define("w-def", sp.Eq(w, y ** 2))
    D.fact("eq", sp.Eq(w + y, 3), uses=["w-def", "y-def"])
    D.solve("closed", "eq", y, form=(sp.sqrt(13) - 1) / 2, branch=[Holds(y > 0)])
    return D, "closed"


@trap("solve", true=True, sets="y real with exp(y) = x: y = log(x), unique although the premise is not polynomial")
def r2_solve_exp_unique_true():
    y = sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the real solution of } e^y = x")))
    D.fact("eq", sp.Eq(sp.exp(y), x), uses=["y-def"])
    D.solve("closed", "eq", y, form=sp.log(x))
    return D, "closed"


@trap("solve", true=True,
      sets="a y^2 + y - 1 = 0 with a := 0 defined above: linear after the binding, y = 1 is the unique root")
def r2_solve_linear_after_binding_true():
    a = sp.Symbol("a", real=True)
    y = sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.define("a-def", sp.Eq(a, 0))
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("eq", sp.Eq(a * y ** 2 + y - 1, 0), uses=["a-def", "y-def"])
    D.solve("closed", "eq", y, form=sp.Integer(1))
    return D, "closed"


# ---------------------------------------------------------------------------------------------
# differentiate, Derivative and Subs
# ---------------------------------------------------------------------------------------------


@trap("differentiate", true=False,
      sets="exp(t) = 1 + 2t under t >= 0 and t <= 0 (t = 0 in disguise: no equality condition), "
           "differentiated: exp(t) = 2")
def r2_diff_closed_conditions_pin_point():
    D = Derivation("trap")
    D.parameter(t)
    D.step("at-0", sp.Eq(sp.exp(t), 1 + 2 * t), conditions=[t >= 0, t <= 0])
    D.differentiate("d", "at-0", t)
    return D, "d"


@trap("differentiate", true=True,
      sets="|t| = t for t >= 0 (closed), differentiated: the verb claims sign(t) = 1 on the interior t > 0 only "
           "(claiming it at the endpoint t = 0, where it is false, was the bug)")
def r2_diff_closed_endpoint():
    D = Derivation("trap")
    D.parameter(t)
    D.step("abs", sp.Eq(sp.Abs(t), t), conditions=[t >= 0])
    D.differentiate("d", "abs", t)
    assert D["d"].conditions == (t > 0,), D["d"].conditions
    return D, "d"


@trap("differentiate", true=True, sets="M'(x) := x^2 defined: M''(x) = 2x (a second derivative from the first's binding)")
def r2_second_derivative_from_first_true():
    D = Derivation("trap")
    D.parameter(x)
    D.define("Mp-def", sp.Eq(sp.Derivative(M(x), x), x ** 2))
    D.step("s", sp.Eq(sp.Derivative(M(x), (x, 2)), 2 * x), uses=["Mp-def"])
    return D, "s"


@trap("binding", true=False,
      sets="M'(x) := x^2 and M''(x) := 3x defined side by side (inconsistent: M'' = 2x): M''(x) = 3x")
def r2_first_and_second_derivative_inconsistent():
    D = Derivation("trap")
    D.parameter(x)
    D.define("Mp-def", sp.Eq(sp.Derivative(M(x), x), x ** 2))
    D.define("Mpp-def", sp.Eq(sp.Derivative(M(x), (x, 2)), 3 * x))
    D.step("s", sp.Eq(sp.Derivative(M(x), (x, 2)), 3 * x), uses=["Mpp-def", "Mp-def"])
    return D, "s"


@trap("differentiate", true=True,
      sets="M'(1) = -M(1)^2/(2M(1) + 1) from the differentiated quadratic: a Subs at a point, not at x")
def r2_subs_derivative_at_point_true():
    D = _positive_root(order_premise=False)
    D.differentiate("d", "quad", x)
    D.step("s", sp.Eq(sp.Subs(sp.Derivative(M(x), x), x, 1), -M(1) ** 2 / (2 * M(1) + 1)), uses=["d", "quad"])
    return D, "s"


@trap("differentiate", true=False,
      sets="M'(1) = -M(x)^2/(2xM(x) + 1): the value at 1 equated with the value at x")
def r2_subs_derivative_at_point_false():
    D = _positive_root(order_premise=False)
    D.differentiate("d", "quad", x)
    D.step("s", sp.Eq(sp.Subs(sp.Derivative(M(x), x), x, 1), -M(x) ** 2 / (2 * x * M(x) + 1)), uses=["d", "quad"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# limits and series
# ---------------------------------------------------------------------------------------------




@trap("limit", true=True,
      sets="log(x)/(log(x) + 10^6) -> 1 as x -> oo: at 1e120..1e240 it still sits near 0, and looks settled")
def r2_limit_log_large_constant_true():
    return _limit(sp.log(x) / (sp.log(x) + 10 ** 6), x, oo, 1)


@trap("limit", true=True,
      sets="x^(10^-6) -> 0 as x -> 0+: 0.9997 at 1e-120 and 0.9994 at 1e-240, a gap that looks settled")
def r2_limit_tiny_power_true():
    return _limit(x ** sp.Rational(1, 10 ** 6), x, 0, 0)


@trap("limit", true=False,
      sets="(7a)^k/(1 + (7a)^k) -> 0 as k -> oo, claimed for 0 < a <= 1/7: at the endpoint a = 1/7 it is 1/2")
def r2_limit_closed_condition_endpoint():
    a = sp.Symbol("a", positive=True)
    k = sp.Symbol("k", positive=True)
    return _limit((7 * a) ** k / (1 + (7 * a) ** k), k, oo, 0, conditions=[a <= sp.Rational(1, 7)], parameters=[a])


@trap("limit", true=True, sets="sqrt(y^2 + y) + y -> -1/2 as y -> -oo")
def r2_limit_minus_infinity_true():
    y = sp.Symbol("y", real=True)
    return _limit(sp.sqrt(y ** 2 + y) + y, y, -oo, -sp.Rational(1, 2))


@trap("limit", true=True, sets="Piecewise(1 + t for t < 0, t^2 otherwise) -> 1 as t -> 0- (the left piece)")
def r2_limit_piecewise_left_true():
    return _limit(sp.Piecewise((1 + t, t < 0), (t ** 2, True)), t, 0, 1, direction="-")


@trap("series", true=False,
      sets="log(z) = i pi - (z + 1) - (z + 1)^2/2 + O((z + 1)^3) at z = -1 for complex z: wrong by 2 pi i below the cut "
           "(sympy's own expansion)")
def r2_series_complex_log_cut():
    form = sp.I * sp.pi - (z + 1) - (z + 1) ** 2 / 2 + sp.O((z + 1) ** 3, (z, -1))
    return _series(sp.log(z), z, -1, 3, form)


@trap("series", true=False,
      sets="sqrt(z) = i (1 - (z + 1)/2 - (z + 1)^2/8) + O((z + 1)^3) at z = -1, complex z: the sign flips below the cut")
def r2_series_complex_sqrt_cut():
    form = sp.I * (1 - (z + 1) / 2 - (z + 1) ** 2 / 8) + sp.O((z + 1) ** 3, (z, -1))
    return _series(sp.sqrt(z), z, -1, 3, form)


@trap("series", true=False,
      sets="exp(x) + x^2 log x = 1 + x + (1/2 + 10^-40) x^2 + x^2 log(2x) - x^2 log 2 + O(x^3): the log switches "
           "sympy's check off, and 1e-40 x^2 hides below x^3/6 at every probe")
def r2_series_log_hides_coefficient():
    form = (1 + x + (sp.Rational(1, 2) + sp.Integer(10) ** -40) * x ** 2 + x ** 2 * sp.log(2 * x)
            - x ** 2 * sp.log(2) + sp.O(x ** 3))
    return _series(sp.exp(x) + x ** 2 * sp.log(x), x, 0, 3, form)


@trap("series", true=False,
      sets="x^a = O(x^2) as x -> 0+ claimed for a > 2 - 10^-3 (false on (1.999, 2)); sympy's series(x^a) says O(x^2)")
def r2_series_symbolic_exponent():
    a = sp.Symbol("a", positive=True)
    return _series(x ** a, x, 0, 2, sp.O(x ** 2), conditions=[a > 2 - sp.Rational(1, 1000)], parameters=[a])


@trap("series", true=True, sets="atan(y) = -pi/2 - 1/y + 1/(3y^3) + O(y^-5) as y -> -oo (sympy writes the O-term O(-1/y^5))")
def r2_series_atan_minus_infinity_true():
    y = sp.Symbol("y", real=True)
    form = -sp.pi / 2 - 1 / y + 1 / (3 * y ** 3) + sp.O(y ** -5, (y, -oo))
    return _series(sp.atan(y), y, -oo, 5, form)


# ---------------------------------------------------------------------------------------------
# relation: the margin search and strictness
# ---------------------------------------------------------------------------------------------


@trap("relation", true=False,
      sets="(p - q^2)^2 > 0 for real p, q: 0 on the parabola p = q^2; with rhs 0 the relative margin is 1 everywhere else")
def r2_rel_flat_margin_parabola():
    return _step(sp.Gt((p - q ** 2) ** 2, 0, evaluate=False))


@trap("relation", true=True, sets="(p - q^2)^2 >= 0 for real p, q")
def r2_rel_flat_margin_parabola_weak_true():
    return _step(sp.Ge((p - q ** 2) ** 2, 0, evaluate=False))


@trap("relation", true=False,
      sets="(x - 3/7)^2 >= 10^-30 for x > 0: false on |x - 3/7| < 1e-15, a dip too narrow for points and search")
def r2_rel_narrow_dip():
    return _step(sp.Ge((x - sp.Rational(3, 7)) ** 2, sp.Integer(10) ** -30, evaluate=False))


@trap("relation", true=True, sets="floor(sqrt(n))^2 <= n for positive integers n")
def r2_rel_integer_floor_sqrt_true():
    return _step(sp.Le(sp.floor(sp.sqrt(n)) ** 2, n, evaluate=False))


# ---------------------------------------------------------------------------------------------
# sampling: where the points go, and how precisely a condition is evaluated
# ---------------------------------------------------------------------------------------------


@trap("sampling", true=True,
      sets="sign(x - 1) = 1 for x >= 1 + 10^-40: the special point x = 1 must not pass the condition "
           "(evaluated at 30 digits, 1 + 10^-40 rounds to 1)")
def r2_condition_precision_admits_point_true():
    return _step(sp.Eq(sp.sign(x - 1), 1), conditions=[x >= 1 + sp.Integer(10) ** -40])


@trap("sampling", true=False,
      sets="sign(x - 1)^2 = 1 for x > 1 - 10^-40: false at x = 1 (a special value), which the 30-digit condition "
           "wrongly excludes")
def r2_condition_precision_excludes_point():
    return _step(sp.Eq(sp.sign(x - 1) ** 2, 1), conditions=[x > 1 - sp.Integer(10) ** -40])


@trap("sampling", true=False,
      sets="log(1/z) = -log(z) for complex z: false exactly on the branch cut (the negative real axis)")
def r2_log_reciprocal_on_cut():
    return _step(sp.Eq(sp.log(1 / z), -sp.log(z)))


@trap("sampling", true=False, sets="|r - 10^13| = 10^13 - r for real r (false beyond 1e13, past the largest band)")
def r2_abs_beyond_largest_band():
    return _step(sp.Eq(sp.Abs(r - 10 ** 13), 10 ** 13 - r))


@trap("sampling", true=True, sets="Hermite: floor(3r) = floor(r) + floor(r + 1/3) + floor(r + 2/3) for real r")
def r2_hermite_floor_true():
    third = sp.Rational(1, 3)
    return _step(sp.Eq(sp.floor(3 * r), sp.floor(r) + sp.floor(r + third) + sp.floor(r + 2 * third)))


@trap("sampling", true=True,
      sets="floor(x) = 10^6 for 10^6 < x < 10^6 + 1: true, on a window rejection sampling rarely hits")
def r2_narrow_window_true():
    return _step(sp.Eq(sp.floor(x), 10 ** 6), conditions=[x > 10 ** 6, x < 10 ** 6 + 1])


# ---------------------------------------------------------------------------------------------
# precision and evaluation: constants, cancellation, and what mpmath computes for a sympy function
# ---------------------------------------------------------------------------------------------


@trap("precision", true=True,
      sets="cosh(200)^2 - sinh(200)^2 = 1 (no symbol: the 173-digit cancellation is in a constant sum, "
           "which the cancellation test skips)")
def r2_constant_cancellation_true():
    return _step(sp.Eq(sp.cosh(200) ** 2 - sp.sinh(200) ** 2, 1, evaluate=False))


@trap("precision", true=False,
      sets="cosh(500)^2 - sinh(500)^2 = 0 (it is 1): both squares round to the same number below 433 digits")
def r2_constant_cancellation_false():
    return _step(sp.Eq(sp.cosh(500) ** 2 - sp.sinh(500) ** 2, 0, evaluate=False))


@trap("precision", true=True, sets="Machin: 16 atan(1/5) - 4 atan(1/239) = pi")
def r2_machin_true():
    return _step(sp.Eq(16 * sp.atan(sp.Rational(1, 5)) - 4 * sp.atan(sp.Rational(1, 239)), sp.pi, evaluate=False))


def _truncated(constant, digits):
    return sp.Rational(int(sp.floor(constant.evalf(digits + 20) * 10 ** digits)), 10 ** digits)


@trap("precision", true=False,
      sets="x EulerGamma = x (its 350-digit truncation), x > 0: off by ~1e-350 relative, beyond the 200-digit rung")
def r2_euler_gamma_truncation():
    return _step(sp.Eq(x * sp.EulerGamma, x * _truncated(sp.EulerGamma, 350)))


@trap("evaluation", true=True,
      sets="x T^3 = x (T^2 + T + 1) for the tribonacci constant T (mpmath gets T as a 59-bit float)")
def r2_tribonacci_true():
    T = sp.TribonacciConstant
    return _step(sp.Eq(x * T ** 3, x * (T ** 2 + T + 1)))


@trap("evaluation", true=True,
      sets="bernoulli(2n - 1) = KroneckerDelta(n, 1)/2: sympy's B_1 is +1/2, mpmath's bernoulli(1) is -1/2")
def r2_bernoulli_convention_true():
    return _step(sp.Eq(sp.bernoulli(2 * n - 1), sp.KroneckerDelta(n, 1) / 2))


@trap("evaluation", true=False,
      sets="bernoulli(2n - 1) = -KroneckerDelta(n, 1)/2 (false in sympy, where B_1 = +1/2; true in mpmath's convention)")
def r2_bernoulli_convention_false():
    return _step(sp.Eq(sp.bernoulli(2 * n - 1), -sp.KroneckerDelta(n, 1) / 2))


@trap("evaluation", true=True,
      sets="integral over (0, 1) of exp(-10^8 (y - 1/3)^2) = sqrt(pi)/(2 10^4) (erf(2 10^4/3) + erf(10^4/3)): "
           "exact, but quadrature misses the spike")
def r2_integral_spike_true():
    y = sp.Symbol("y", positive=True)
    k = 10 ** 4
    value = sp.sqrt(sp.pi) / (2 * k) * (sp.erf(sp.Rational(2 * k, 3)) + sp.erf(sp.Rational(k, 3)))
    return _step(sp.Eq(sp.Integral(sp.exp(-k ** 2 * (y - sp.Rational(1, 3)) ** 2), (y, 0, 1)), value, evaluate=False))


@trap("evaluation", true=False,
      sets="integral over (0, 1) of exp(-10^8 (y - 1/3)^2) = 0 (it is sqrt(pi)/10^4): a spike quadrature can miss")
def r2_integral_spike_false():
    y = sp.Symbol("y", positive=True)
    return _step(sp.Eq(sp.Integral(sp.exp(-10 ** 8 * (y - sp.Rational(1, 3)) ** 2), (y, 0, 1)), 0, evaluate=False))


# ---------------------------------------------------------------------------------------------
# more: hidden dependence, identity filter, conflicting limits, complex symbols sampled real
# ---------------------------------------------------------------------------------------------


@trap("differentiate", true=True,
      sets="M(x) = x N(c), N declared a function of c alone (its Meaning's text says c x, which is "
           "not read): d/dx gives M' = N(c), which follows from what is cited; the text is the user's")
def r2_diff_hidden_dependence_through_binding():
    c = sp.Symbol("c", positive=True)
    N = sp.Function("N")
    D = Derivation("trap")
    D.parameter(x, c)
    D.define("N-def", sp.Eq(N(c), Meaning(r"c\,x")))
    D.define("M-def", sp.Eq(M(x), Meaning(r"c\,x^2")))
    D.fact("p", sp.Eq(M(x), x * N(c)), uses=["N-def", "M-def"])
    D.differentiate("d", "p", x)
    return D, "d"


@trap("elimination", true=True,
      sets="exp(-10^6 x) (y - 1) = 0 for all x > 0 forces y = 1; the premise is tiny at random points and may be "
           "dropped as an identity")
def r2_tiny_premise_not_identity_true():
    y = sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("rel", sp.Eq(sp.exp(-10 ** 6 * x) * (y - 1), 0), uses=["y-def"])
    D.step("s", sp.Eq(y, 1), uses=["rel"])
    return D, "s"


@trap("limit", true=False,
      sets="x + 1/(1 + (10^300 x)^2) -> 0 as x -> 0+ (it is 1): the gap shrinks down to 1e-240 and the "
           "numeric verdict overrides sympy's correct limit")
def r2_limit_numeric_overrides_sympy():
    return _limit(x + 1 / (1 + (10 ** 300 * x) ** 2), x, 0, 0)


@trap("sampling", true=False,
      sets="|z|^2 = z^2 for complex z with z conj(z) > 1: the condition compares z 'directly', so z is drawn real")
def r2_complex_drawn_real_by_condition():
    return _step(sp.Eq(sp.Abs(z) ** 2, z ** 2), conditions=[z * sp.conjugate(z) > 1])


@trap("binding", true=True,
      sets="a premise that holds only for t > 1, used inside the limit t -> 1+: the limit never looks at t = 1, "
           "so the premise's edge there is no gap")
def r2_limit_premise_open_at_its_point_true():
    tr = sp.Symbol("t", real=True)
    F = sp.Function("F")
    D = Derivation("trap")
    D.parameter(tr)
    D.define("F-def", sp.Eq(F(tr), Meaning(r"\frac{t^2 - 1}{t - 1}")))
    D.fact("p", sp.Eq(F(tr), tr + 1), uses=["F-def"], conditions=[tr > 1])
    D.limit("l", F(tr), tr, 1, uses=["p"], value=2, direction="+")
    return D, "l"
