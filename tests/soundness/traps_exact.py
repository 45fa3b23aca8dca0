"""Traps for the exact rules: elimination, bindings, differentiation, solving, transforms.

Every builder is cheap: it only writes a few steps; the checker does the work.  Relation
premises are stated as facts with no simulation (their own status does not matter here: the
step under test is checked as a consequence of them).
"""

import dataclasses

import sympy as sp

from derive import Asymptotic, Derivation, Holds
from derive.notation import Meaning

from . import trap

x = sp.Symbol("x", positive=True)
a, b, c = sp.symbols("a b c", positive=True)
t = sp.Symbol("t", real=True)
r = sp.Symbol("r", real=True)
z, v = sp.symbols("z v")
M = sp.Function("M")
m = sp.Function("m")
g = sp.Function("g")
f = sp.Function("f")

#: The Stieltjes branch of the semicircle law and the other root of its quadratic.
SC_ROOT = (-z + sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2
SC_OTHER = (-z - sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2
#: The positive and the negative root of x M^2 + M - 1 = 0.
M_POSITIVE = (sp.sqrt(1 + 4 * x) - 1) / (2 * x)
M_NEGATIVE = (-sp.sqrt(1 + 4 * x) - 1) / (2 * x)


def _quadratic(meaning=r"\text{the positive root of } x M^2 + M - 1 = 0"):
    """M(x), x > 0, known only through the relation x M^2 + M - 1 = 0."""
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning(meaning)))
    D.fact("quad", sp.Eq(x * M(x) ** 2 + M(x) - 1, 0), uses=["M-def"])
    return D


def _semicircle():
    """m(z), the semicircle's Stieltjes transform, known through m^2 + z m + 1 = 0."""
    D = Derivation("trap")
    D.parameter(z)
    D.define("m-def", sp.Eq(m(z), Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(W-z)^{-1}")))
    D.fact("quad", sp.Eq(m(z) ** 2 + z * m(z) + 1, 0), uses=["m-def"])
    return D


# ---------------------------------------------------------------------------------------------
# elimination
# ---------------------------------------------------------------------------------------------


@trap("elimination", true=False, sets="sqrt(x) = x 'follows' from an unrelated polynomial relation")
def elim_sqrt_x_is_x():
    D = _quadratic()
    D.step("s", sp.Eq(sp.sqrt(x), x), uses=["quad"])
    return D, "s"


@trap("elimination", true=False, sets="sqrt(M) = M for a root M of x M^2 + M - 1 = 0 (M is not 0 or 1)")
def elim_sqrt_M_is_M():
    D = _quadratic()
    D.step("s", sp.Eq(sp.sqrt(M(x)), M(x)), uses=["quad"])
    return D, "s"


@trap("elimination", true=False, sets="M**(3/2) = M**3: a half-integer power renamed wrongly")
def elim_three_halves_power():
    D = _quadratic()
    D.step("s", sp.Eq(M(x) ** sp.Rational(3, 2), M(x) ** 3), uses=["quad"])
    return D, "s"


@trap("elimination", true=False, sets="1/sqrt(1 + 4x) = 1/(1 + 4x) from the quadratic (a negative half power)")
def elim_inverse_sqrt():
    D = _quadratic()
    D.step("s", sp.Eq(1 / sp.sqrt(1 + 4 * x), 1 / (1 + 4 * x)), uses=["quad"])
    return D, "s"


@trap("elimination", true=False,
      sets="(1/M - xM - 1)/(xM^2 + M - 1) = 0: numerator in the ideal, but so is the denominator (0/0; it is -1/M)")
def elim_zero_over_zero():
    D = _quadratic()
    D.step("s", sp.Eq((1 / M(x) - x * M(x) - 1) / (x * M(x) ** 2 + M(x) - 1), 0), uses=["quad"])
    return D, "s"


@trap("elimination", true=False,
      sets="P/(x P) = 0 with P = xM^2 + M - 1 written expanded in the denominator (the value is 1/x)")
def elim_zero_over_zero_expanded():
    D = _quadratic()
    P = x * M(x) ** 2 + M(x) - 1
    D.step("s", sp.Eq(P / sp.expand(x * P), 0), uses=["quad"])
    return D, "s"


@trap("elimination", true=False,
      sets="xM = 1 and xM^2 = 2, each claimed for all x > 0, 'prove' x = 1/2 (parameters treated as unknowns)")
def elim_premises_fix_parameter():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning("M")))
    D.fact("p1", sp.Eq(x * M(x), 1), uses=["M-def"])
    D.fact("p2", sp.Eq(x * M(x) ** 2, 2), uses=["M-def"])
    D.step("s", sp.Eq(x, sp.Rational(1, 2)), uses=["p1", "p2"])
    return D, "s"


@trap("elimination", true=False, sets="inconsistent premises xM = 1 and xM = 2 used to claim M = 7")
def elim_inconsistent_premises():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning("M")))
    D.fact("p1", sp.Eq(x * M(x), 1), uses=["M-def"])
    D.fact("p2", sp.Eq(x * M(x), 2), uses=["M-def"])
    D.step("s", sp.Eq(M(x) ** 2, 49), uses=["p1", "p2"])
    return D, "s"


@trap("elimination", true=False,
      sets="M(u) - sqrt(u) = 1 and M^2 = u have no common solution (sqrt(u) = -1/2); claim u^2 + u + 1 = 0")
def elim_inconsistent_through_radical():
    u = sp.Symbol("u")  # complex: x^2 + x + 1 = 0 must not be evaluated to False as it is built
    D = Derivation("trap")
    D.parameter(u)
    D.define("M-def", sp.Eq(M(u), Meaning("M")))
    D.fact("p1", sp.Eq(M(u) ** 2, u), uses=["M-def"])
    D.fact("p2", sp.Eq(M(u) - sp.sqrt(u), 1), uses=["M-def"])
    D.step("s", sp.Eq(u ** 2 + u + 1, 0), uses=["p1", "p2"])
    return D, "s"


@trap("elimination", true=False, sets="M = the negative root, from the quadratic alone (M is the positive root)")
def elim_wrong_root_as_step():
    D = _quadratic()
    D.step("s", sp.Eq(M(x), M_NEGATIVE), uses=["quad"])
    return D, "s"


@trap("elimination", true=False,
      sets="M(4x) = -2 M(x) from M(y)^2 = y (M = sqrt): only the squares follow, not the sign")
def elim_instantiated_sign():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning(r"\text{the positive square root of } x")))
    D.fact("p", sp.Eq(M(x) ** 2, x), uses=["M-def"])
    D.step("s", sp.Eq(M(4 * x), -2 * M(x)), uses=["p"])
    return D, "s"


@trap("elimination", true=False,
      sets="M(t)^2 = t M(t) claimed for t > 0 (M = |t|) used at -t by instantiation: M(-t)^2 + t M(-t) = 0")
def elim_conditional_premise_instantiated():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t|")))
    D.fact("rel", sp.Eq(M(t) ** 2 - t * M(t), 0), uses=["M-def"], conditions=[t > 0])
    D.step("s", sp.Eq(M(-t) ** 2 + t * M(-t), 0), uses=["rel"], conditions=[t > 0])
    return D, "s"


@trap("elimination", true=True,
      sets="P/(2xM + 1 + sqrt(1 + 4x)) = 0 for the positive root M of P = xM^2 + M - 1: the denominator "
           "vanishes only on the other root, so this says M = the positive root")
def elim_denominator_selects_root_true():
    D = _quadratic()
    P = x * M(x) ** 2 + M(x) - 1
    D.step("s", sp.Eq(P / (2 * x * M(x) + 1 + sp.sqrt(1 + 4 * x)), 0), uses=["quad"])
    return D, "s"


@trap("elimination", true=False,
      sets="P/(2xM + 1 - sqrt(1 + 4x)) = 0 for the positive root M: 0/0 there; cancelled it says M = the negative root")
def elim_denominator_selects_root_false():
    D = _quadratic()
    P = x * M(x) ** 2 + M(x) - 1
    D.step("s", sp.Eq(P / (2 * x * M(x) + 1 - sp.sqrt(1 + 4 * x)), 0), uses=["quad"])
    return D, "s"


@trap("elimination", true=True, sets="M(4x)^2 = 4 M(x)^2 from M(y)^2 = y used at two arguments")
def elim_instantiated_square():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning("M")))
    D.fact("p", sp.Eq(M(x) ** 2, x), uses=["M-def"])
    D.step("s", sp.Eq(M(4 * x) ** 2, 4 * M(x) ** 2), uses=["p"])
    return D, "s"


@trap("elimination", true=True, sets="1/M = x M + 1 from x M^2 + M - 1 = 0")
def elim_reciprocal():
    D = _quadratic()
    D.step("s", sp.Eq(1 / M(x), x * M(x) + 1), uses=["quad"])
    return D, "s"


@trap("elimination", true=True, sets="(2xM + 1)^2 = 1 + 4x from the quadratic (completing the square)")
def elim_completed_square():
    D = _quadratic()
    D.step("s", sp.Eq((2 * x * M(x) + 1) ** 2, 1 + 4 * x), uses=["quad"])
    return D, "s"


@trap("elimination", true=True, sets="M^3 = (xM + M - 1)/x^2 from the quadratic (a reduced cubic)")
def elim_reduced_cube():
    D = _quadratic()
    D.step("s", sp.Eq(M(x) ** 3, (x * M(x) + M(x) - 1) / x ** 2), uses=["quad"])
    return D, "s"


@trap("elimination", true=True, sets="(2m + z)^2 = z^2 - 4 from the semicircle quadratic")
def elim_semicircle_discriminant():
    D = _semicircle()
    D.step("s", sp.Eq((2 * m(z) + z) ** 2, z ** 2 - 4), uses=["quad"])
    return D, "s"


@trap("elimination", true=True,
      sets="sqrt(1 + 4x) = 2xM + 1 with M positive: true, but needs the sign of the root (two-root premise)")
def elim_positive_root_radical():
    D = _quadratic()
    D.solve("closed", "quad", M(x), form=M_POSITIVE,
            branch=[Holds(M(x) > 0), Asymptotic(x * M(x), x, sp.oo, 1)])
    D.step("s", sp.Eq(sp.sqrt(1 + 4 * x), 2 * x * M(x) + 1), uses=["closed"])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# binding
# ---------------------------------------------------------------------------------------------


@trap("binding", true=False, sets="a defined as 1 and as 2; a = 1 cited with both definitions (first one wins)")
def bind_twice_first_cited():
    D = Derivation("trap")
    D.define("a1", sp.Eq(a, 1))
    D.define("a2", sp.Eq(a, 2))
    D.step("s", sp.Eq(a, 1), uses=["a1", "a2"])
    return D, "s"


@trap("binding", true=False, sets="a defined as 1 and as 2; a = 2 cited with both (the nearest one wins)")
def bind_twice_nearest():
    D = Derivation("trap")
    D.define("a1", sp.Eq(a, 1))
    D.define("a2", sp.Eq(a, 2))
    D.step("s", sp.Eq(a, 2), uses=["a1", "a2"])
    return D, "s"


@trap("binding", true=False, sets="f(x) := x^2 and f(y) := 2y, both cited: f(3) = 9")
def bind_function_twice():
    y = sp.Symbol("y", positive=True)
    D = Derivation("trap")
    D.define("f1", sp.Eq(f(x), x ** 2))
    D.define("f2", sp.Eq(f(y), 2 * y))
    D.step("s", sp.Eq(f(3), 9), uses=["f1", "f2"])
    return D, "s"


@trap("binding", true=False, sets="a := b + 1 and b := a + 1 (contradictory, circular): a - b = 1")
def bind_circular():
    D = Derivation("trap")
    D.define("a-def", sp.Eq(a, b + 1))
    D.define("b-def", sp.Eq(b, a + 1))
    D.step("s", sp.Eq(a - b, 1), uses=["a-def", "b-def"])
    return D, "s"


@trap("binding", true=False, sets="a := 3 and later a := 5 (redefinition above the step); a^2 = 9 cited with the first")
def bind_redefined_later():
    D = Derivation("trap")
    D.define("a1", sp.Eq(a, 3))
    D.define("a2", sp.Eq(a, 5))
    D.define("b-def", sp.Eq(b, a + 1), uses=["a1", "a2"])
    D.step("s", sp.Eq(b, 4), uses=["b-def", "a1"])
    return D, "s"


@trap("binding", true=True, sets="a chain of definitions a := r + 1, c := a^2: c = r^2 + 2r + 1")
def bind_chain_true():
    cc = sp.Symbol("cc")
    D = Derivation("trap")
    D.parameter(r)
    D.define("a-def", sp.Eq(a, r + 1))
    D.define("c-def", sp.Eq(cc, a ** 2), uses=["a-def"])
    D.step("s", sp.Eq(cc, r ** 2 + 2 * r + 1), uses=["c-def"])
    return D, "s"


@trap("binding", true=False, sets="a chain of definitions a := r + 1, c := a^2: c = r^2 + 1 (cross term lost)")
def bind_chain_false():
    cc = sp.Symbol("cc")
    D = Derivation("trap")
    D.parameter(r)
    D.define("a-def", sp.Eq(a, r + 1))
    D.define("c-def", sp.Eq(cc, a ** 2), uses=["a-def"])
    D.step("s", sp.Eq(cc, r ** 2 + 1), uses=["c-def"])
    return D, "s"


@trap("binding", true=True, sets="substitute s := a + b into s^2 = a^2 + 2ab + b^2 (the substitute verb)")
def bind_substitute_true():
    s = sp.Symbol("s", positive=True)
    D = Derivation("trap")
    D.define("s-def", sp.Eq(s, a + b))
    D.step("sq", sp.Eq(s ** 2, a ** 2 + 2 * a * b + b ** 2), uses=["s-def"])
    D.substitute("sub", "sq", "s-def")
    return D, "sub"


@trap("binding", true=False, sets="f(p, q) := p - q used with its arguments swapped: f(q, p) = p - q")
def bind_arguments_swapped():
    p, q = sp.symbols("p q", real=True)
    D = Derivation("trap")
    D.define("f-def", sp.Eq(f(p, q), p - q))
    D.step("s", sp.Eq(f(q, p), p - q), uses=["f-def"])
    return D, "s"


@trap("binding", true=True, sets="f(p, q) := p - q used with its arguments swapped: f(q, p) = q - p")
def bind_arguments_swapped_true():
    p, q = sp.symbols("p q", real=True)
    D = Derivation("trap")
    D.define("f-def", sp.Eq(f(p, q), p - q))
    D.step("s", sp.Eq(f(q, p), q - p), uses=["f-def"])
    return D, "s"


@trap("binding", true=False, sets="f(x) := x^3: f'(2) = 8 (the value f(2), not the derivative 12)")
def bind_derivative_at_point_false():
    D = Derivation("trap")
    D.define("f-def", sp.Eq(f(x), x ** 3))
    D.step("s", sp.Eq(sp.Subs(sp.Derivative(f(x), x), x, 2), 8), uses=["f-def"])
    return D, "s"


@trap("binding", true=True, sets="f(x) := x^3: f'(2) = 12")
def bind_derivative_at_point_true():
    D = Derivation("trap")
    D.define("f-def", sp.Eq(f(x), x ** 3))
    D.step("s", sp.Eq(sp.Subs(sp.Derivative(f(x), x), x, 2), 12), uses=["f-def"])
    return D, "s"


@trap("binding", true=True, sets="F(y) := exp(y) used at a shifted argument: F(x + 1) = e F(x)")
def bind_shifted_argument_true():
    D = Derivation("trap")
    D.define("f-def", sp.Eq(f(x), sp.exp(x)))
    D.step("s", sp.Eq(f(x + 1), sp.E * f(x)), uses=["f-def"])
    return D, "s"


@trap("binding", true=True,
      sets="a solved closed form overrides the Meaning of m: m(z)^2 + z m(z) + 1 = 0 after 'closed'")
def bind_solved_form_true():
    D = _semicircle()
    D.solve("closed", "quad", m(z), form=SC_ROOT,
            branch=[Asymptotic(z * m(z), z, sp.I * sp.oo, -1), Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0])])
    D.step("s", sp.Eq(1 / m(z), -z - m(z)), uses=["closed"])
    return D, "s"


@trap("binding", true=False,
      sets="M(t) = 1 + t, a binding valid only at t = 0 (M = exp), substituted at every t: M(t) - t = 1")
def bind_conditional_binding():
    D = _exp_tangent()
    D.step("s", sp.Eq(M(t) - t, 1), uses=["tangent"])
    return D, "s"


@trap("binding", true=False,
      sets="M(t) = t solved under t > 0 (M(t) = |t|), then used at -t: M(-t) = -t")
def bind_conditional_solve():
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"|t|")))
    D.fact("sq", sp.Eq(M(t) ** 2, t ** 2), uses=["M-def"])
    D.solve("pos", "sq", M(t), form=t, branch=[Holds(M(t) >= 0)], conditions=[t > 0])
    D.step("s", sp.Eq(M(-t), -t), uses=["pos"], conditions=[t > 0])
    return D, "s"


@trap("binding", true=False, sets="M(x) := x^2 and M'(x) := 3x defined side by side (inconsistent): M'(x) = 3x")
def bind_derivative_inconsistent():
    D = Derivation("trap")
    D.define("M-def", sp.Eq(M(x), x ** 2))
    D.define("Mp-def", sp.Eq(sp.Derivative(M(x), x), 3 * x))
    D.step("s", sp.Eq(sp.Derivative(M(x), x), 3 * x), uses=["Mp-def", "M-def"])
    return D, "s"


@trap("binding", true=True, sets="M(x) := x^2: M'(x) = 2x, the derivative of the bound closed form")
def bind_derivative_true():
    D = Derivation("trap")
    D.define("M-def", sp.Eq(M(x), x ** 2))
    D.step("s", sp.Eq(sp.Derivative(M(x), x), 2 * x), uses=["M-def"])
    return D, "s"


def _exp_tangent():
    """M(t) = exp(t) (by its meaning), and the tangent value M(t) = 1 + t stated only at t = 0."""
    D = Derivation("trap")
    D.parameter(t)
    D.define("M-def", sp.Eq(M(t), Meaning(r"e^t")))
    D.fact("tangent", sp.Eq(M(t), 1 + t), uses=["M-def"], conditions=[sp.Eq(t, 0)])
    return D


# ---------------------------------------------------------------------------------------------
# differentiate
# ---------------------------------------------------------------------------------------------


@trap("differentiate", true=False,
      sets="y is a number (the root of y^2 = 4): differentiating y^2 = 4 in y gives 2y = 0")
def diff_implicit_constant():
    y = sp.Symbol("y")  # no assumption: Eq(2y, 0) must not be evaluated to False as it is built
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the positive root of } y^2 = 4")))
    D.fact("y-sq", sp.Eq(y ** 2, 4), uses=["y-def"])
    D.differentiate("dy", "y-sq", y)
    return D, "dy"


@trap("differentiate", true=False, sets="a := 3, a^2 = 9 proved, then differentiated in a: 2a = 0")
def diff_defined_constant():
    k = sp.Symbol("k")  # no assumption: Eq(2k, 0) must not be evaluated to False as it is built
    D = Derivation("trap")
    D.define("k-def", sp.Eq(k, 3))
    D.step("k-sq", sp.Eq(k ** 2, 9), uses=["k-def"])
    D.differentiate("dk", "k-sq", k)
    return D, "dk"


@trap("differentiate", true=False,
      sets="exp(t) = 1 + 2t holds only at t = 0 (an equality condition); its t-derivative exp(t) = 2 does not")
def diff_equality_condition():
    D = Derivation("trap")
    D.parameter(t)
    D.step("at-0", sp.Eq(sp.exp(t), 1 + 2 * t), conditions=[sp.Eq(t, 0)])
    D.differentiate("d", "at-0", t)
    return D, "d"


@trap("differentiate", true=False,
      sets="y(x) defined by x y^2 = 1 is treated as constant in x: the derivative claims y^2 = 0")
def diff_hidden_dependence():
    y = sp.Symbol("y")  # no assumption: Eq(y**2, 0) must not be evaluated to False as it is built
    D = Derivation("trap")
    D.parameter(x)
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the positive root of } x y^2 = 1")))
    D.fact("rel", sp.Eq(x * y ** 2, 1), uses=["y-def"])
    D.differentiate("d", "rel", x)
    return D, "d"


@trap("differentiate", true=False,
      sets="M(c) defined by x M(c)^2 = 1 (it depends on x, not only c), differentiated in x: M(c)^2 = 0")
def diff_hidden_dependence_function():
    cc = sp.Symbol("c", positive=True)
    D = Derivation("trap")
    D.parameter(x, cc)
    D.define("M-def", sp.Eq(M(cc), Meaning(r"\text{the positive root of } x M^2 = 1")))
    D.fact("rel", sp.Eq(x * M(cc) ** 2, 1), uses=["M-def"])
    D.differentiate("d", "rel", x)
    return D, "d"


@trap("differentiate", true=False, sets="a hand-written derivative of the semicircle curve with one sign flipped")
def diff_wrong_sign():
    D = _semicircle()
    D.differentiate("d", "quad", z)
    step = D["d"]
    mp = sp.Derivative(m(z), z)
    wrong = sp.Eq(2 * m(z) * mp - m(z) + z * mp, 0)
    return D.replaced(dataclasses.replace(step, statement=wrong)), "d"


@trap("differentiate", true=False,
      sets="M(t) - t = 1 obtained from a value valid only at t = 0, then differentiated: M'(t) = 1 (M = exp)")
def diff_condition_dropped_upstream():
    D = _exp_tangent()
    D.step("s", sp.Eq(M(t) - t, 1), uses=["tangent"])
    D.differentiate("d", "s", t)
    return D, "d"


@trap("differentiate", true=True, sets="implicit differentiation of the semicircle curve m^2 + z m + 1 = 0 in z")
def diff_implicit_curve():
    D = _semicircle()
    D.differentiate("d", "quad", z)
    return D, "d"


@trap("differentiate", true=True, sets="implicit differentiation of x M^2 + M - 1 = 0 in x, then M' solved and reduced")
def diff_solved_derivative():
    D = _quadratic()
    D.differentiate("d", "quad", x)
    D.solve("Mp", "d", sp.Derivative(M(x), x))
    D.step("s", sp.Eq(sp.Derivative(M(x), x), -M(x) ** 3 / (x * M(x) ** 2 + 1)), uses=["Mp", "quad"])
    return D, "s"


@trap("differentiate", true=True, sets="|t| = t under the open condition t > 0, differentiated: sign(t) = 1 there")
def diff_open_condition():
    D = Derivation("trap")
    D.parameter(t)
    D.step("abs", sp.Eq(sp.Abs(t), t), conditions=[t > 0])
    D.differentiate("d", "abs", t)
    return D, "d"


@trap("differentiate", true=True, sets="M(y)^2 = y for all y > 0, differentiated: 2 M M' = 1")
def diff_function_relation():
    D = Derivation("trap")
    D.parameter(x)
    D.define("M-def", sp.Eq(M(x), Meaning("M")))
    D.fact("p", sp.Eq(M(x) ** 2, x), uses=["M-def"])
    D.differentiate("d", "p", x)
    return D, "d"


# ---------------------------------------------------------------------------------------------
# solve
# ---------------------------------------------------------------------------------------------


@trap("solve", true=False, sets="the negative root of x M^2 + M - 1 = 0 stated with no branch condition (M > 0)")
def solve_wrong_root_no_branch():
    D = _quadratic()
    D.solve("closed", "quad", M(x), form=M_NEGATIVE)
    return D, "closed"


@trap("solve", true=False,
      sets="a root of a two-root quadratic stated with no branch: not entailed (M is only 'a root')")
def solve_some_root_no_branch():
    D = _quadratic(meaning=r"\text{a root of } x M^2 + M - 1 = 0")
    D.solve("closed", "quad", M(x), form=M_POSITIVE)
    return D, "closed"


@trap("solve", true=True, sets="the unique root of a linear equation a y + b = 0")
def solve_linear_unique():
    y = sp.Symbol("y")
    D = Derivation("trap")
    D.parameter(a, b)
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("lin", sp.Eq(a * y + b, 0), uses=["y-def"])
    D.solve("closed", "lin", y)
    return D, "closed"


@trap("solve", true=True, sets="(y - b)^2 = 0: a double root, unique although the premise has degree 2")
def solve_double_root_true():
    y = sp.Symbol("y")
    D = Derivation("trap")
    D.parameter(b)
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("sq", sp.Eq((y - b) ** 2, 0), uses=["y-def"])
    D.solve("closed", "sq", y, form=b)
    return D, "closed"


@trap("solve", true=False,
      sets="(y^2 - 1)/(y - 1) = 0 solved as y = 1 with y > 0: y = 1 is no root (0/0); -1 is the root")
def solve_spurious_root():
    y = sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.define("y-def", sp.Eq(y, Meaning("y")))
    D.fact("eq", sp.Eq((y ** 2 - 1) / (y - 1), 0), uses=["y-def"])
    D.solve("closed", "eq", y, form=sp.Integer(1), branch=[Holds(y > 0)])
    return D, "closed"


@trap("solve", true=False, sets="the semicircle's other root with the right branch conditions")
def solve_wrong_root_right_branch():
    D = _semicircle()
    D.solve("closed", "quad", m(z), form=SC_OTHER,
            branch=[Asymptotic(z * m(z), z, sp.I * sp.oo, -1), Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0])])
    return D, "closed"


@trap("solve", true=False,
      sets="the semicircle's right root, but the step also asserts z m -> +1 at infinity, false for that root")
def solve_right_root_wrong_branch():
    D = _semicircle()
    D.solve("closed", "quad", m(z), form=SC_ROOT, branch=[Asymptotic(z * m(z), z, sp.I * sp.oo, 1)])
    return D, "closed"


@trap("solve", true=False, sets="the semicircle's other root; branch Im m != 0 above the axis, which both roots meet")
def solve_branch_both_roots_holds():
    D = _semicircle()
    D.solve("closed", "quad", m(z), form=SC_OTHER,
            branch=[Holds(sp.Ne(sp.im(m(z)), 0), where=[sp.im(z) > 0])])
    return D, "closed"


@trap("solve", true=False,
      sets="the semicircle's other root; branch m^2 + z m -> -1 at infinity, which both roots meet")
def solve_branch_both_roots_asymptotic():
    D = _semicircle()
    D.solve("closed", "quad", m(z), form=SC_OTHER,
            branch=[Asymptotic(m(z) ** 2 + z * m(z), z, sp.I * sp.oo, -1)])
    return D, "closed"


@trap("solve", true=True, sets="the semicircle's Stieltjes branch with its correct branch conditions: the sign of "
                               "im m in each half-plane, the real axis reached from i oo")
def solve_semicircle_true():
    D = _semicircle()
    D.solve("closed", "quad", m(z), form=SC_ROOT,
            branch=[Asymptotic(z * m(z), z, sp.I * sp.oo, -1), Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0]),
                    Holds(sp.im(m(z)) < 0, where=[sp.im(z) < 0])])
    return D, "closed"


@trap("solve", true=True, sets="the positive root of x M^2 + M - 1 = 0, written without cancellation, with M > 0")
def solve_positive_root_true():
    D = _quadratic()
    D.solve("closed", "quad", M(x), form=2 / (1 + sp.sqrt(1 + 4 * x)),
            branch=[Holds(M(x) > 0), Asymptotic(sp.sqrt(x) * M(x), x, sp.oo, 1)])
    return D, "closed"


@trap("solve", true=True, sets="y^2 = r^2 (r real) solved as y = |r| with y >= 0")
def solve_abs_root_true():
    y = sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.parameter(r)
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the nonnegative root of } y^2 = r^2")))
    D.fact("sq", sp.Eq(y ** 2, r ** 2), uses=["y-def"])
    D.solve("closed", "sq", y, form=sp.Abs(r), branch=[Holds(y >= 0)])
    return D, "closed"


@trap("solve", true=False, sets="y^2 = r^2 (r real) solved as y = r with the branch y >= 0 (fails for r < 0)")
def solve_abs_root_false():
    y = sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.parameter(r)
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the nonnegative root of } y^2 = r^2")))
    D.fact("sq", sp.Eq(y ** 2, r ** 2), uses=["y-def"])
    D.solve("closed", "sq", y, form=r, branch=[Holds(y >= 0)])
    return D, "closed"


@trap("solve", true=False,
      sets="y = r for r < -10^5, |r| otherwise, as the nonnegative root: wrong only beyond the sampled magnitudes")
def solve_branch_outside_sampled_range():
    y = sp.Symbol("y", real=True)
    D = Derivation("trap")
    D.parameter(r)
    D.define("y-def", sp.Eq(y, Meaning(r"\text{the nonnegative root of } y^2 = r^2")))
    D.fact("sq", sp.Eq(y ** 2, r ** 2), uses=["y-def"])
    D.solve("closed", "sq", y, form=sp.Piecewise((r, r < -10 ** 5), (sp.Abs(r), True)), branch=[Holds(y >= 0)])
    return D, "closed"


# ---------------------------------------------------------------------------------------------
# transform (premise: the semicircle curve m^2 + z m + 1 = 0 of X; g is the new law's transform)
# ---------------------------------------------------------------------------------------------


@trap("transform", true=True, sets="the law of aX: g(v) = m(v/a)/a, curve a^2 g^2 + v g + 1 = 0")
def transform_scale_true():
    D = _semicircle()
    D.parameter(a)
    D.transform("aX", "quad", sp.Eq(a ** 2 * g(v) ** 2 + v * g(v) + 1, 0), change=(g(v), m(z) / a, a * z))
    return D, "aX"


@trap("transform", true=False,
      sets="the law of aX with the correct change but the curve one gets by forgetting 1/a: a g^2 + v g + a = 0")
def transform_scale_wrong_curve():
    D = _semicircle()
    D.parameter(a)
    D.transform("aX", "quad", sp.Eq(a * g(v) ** 2 + v * g(v) + a, 0), change=(g(v), m(z) / a, a * z))
    return D, "aX"


@trap("transform", true=False,
      sets="g defined as the Stieltjes transform of aX, but the change forgets 1/a (g ~ -a/v is no Stieltjes "
           "transform)")
def transform_scale_forgot_inverse():
    D = _semicircle()
    D.parameter(a)
    D.define("g-def", sp.Eq(g(v), Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(aW-v)^{-1}")))
    D.transform("aX", "quad", sp.Eq(a * g(v) ** 2 + v * g(v) + a, 0), change=(g(v), m(z), a * z))
    return D, "aX"


@trap("transform", true=True, sets="the law of X + b: g(v) = m(v - b), curve g^2 + (v - b) g + 1 = 0")
def transform_shift_true():
    D = _semicircle()
    D.parameter(b)
    D.transform("X+b", "quad", sp.Eq(g(v) ** 2 + (v - b) * g(v) + 1, 0), change=(g(v), m(z), z + b))
    return D, "X+b"


@trap("transform", true=True,
      sets="the law of -X (scale by -1) for the symmetric semicircle: the same curve g^2 + v g + 1 = 0")
def transform_reflection_true():
    D = _semicircle()
    D.transform("-X", "quad", sp.Eq(g(v) ** 2 + v * g(v) + 1, 0), change=(g(v), -m(z), -z))
    return D, "-X"


@trap("transform", true=False,
      sets="the law of X + b with the shift's sign wrong in the curve: g^2 + (v + b) g + 1 = 0")
def transform_shift_wrong_sign():
    D = _semicircle()
    D.parameter(b)
    D.transform("X+b", "quad", sp.Eq(g(v) ** 2 + (v + b) * g(v) + 1, 0), change=(g(v), m(z), z + b))
    return D, "X+b"


def _mp():
    D = Derivation("trap")
    D.parameter(c, z)
    D.define("m-def", sp.Eq(m(z), Meaning(r"\text{Stieltjes transform of } \mathrm{MP}_c")))
    D.fact("mp", sp.Eq(c * z * m(z) ** 2 + (z - 1 + c) * m(z) + 1, 0), uses=["m-def"])
    return D


@trap("transform", true=True,
      sets="the law of W^-1, W ~ MP(c): g(v) = -z - z^2 m(z) at v = 1/z; curve c v^2 g^2 + (cv + v - 1) g + 1 = 0")
def transform_inverse_true():
    D = _mp()
    D.transform("inv", "mp", sp.Eq(c * v ** 2 * g(v) ** 2 + (c * v + v - 1) * g(v) + 1, 0),
                change=(g(v), -z - z ** 2 * m(z), 1 / z))
    return D, "inv"


@trap("transform", true=False, sets="the law of W^-1 with one sign wrong: c v^2 g^2 + (cv - v - 1) g + 1 = 0")
def transform_inverse_wrong():
    D = _mp()
    D.transform("inv", "mp", sp.Eq(c * v ** 2 * g(v) ** 2 + (c * v - v - 1) * g(v) + 1, 0),
                change=(g(v), -z - z ** 2 * m(z), 1 / z))
    return D, "inv"


@trap("transform", true=False,
      sets="Q/(aQ) = 0 with Q the carried curve: numerator has remainder 0, but the value is 1/a (0/0 on the curve)")
def transform_zero_over_zero():
    D = _semicircle()
    D.parameter(a)
    Q = g(v) ** 2 + v * g(v) + 1
    D.transform("same", "quad", sp.Eq(Q / sp.expand(a * Q), 0), change=(g(v), m(z), z))
    return D, "same"


@trap("transform", true=True, sets="the R-transform curve of the semicircle: w = -m, R = z + 1/m gives R = w")
def transform_r_curve_true():
    w = sp.Symbol("w")
    R = sp.Function("R")
    D = _semicircle()
    D.transform("R", "quad", sp.Eq(R(w), w), change=(R(w), z + 1 / m(z), -m(z)))
    return D, "R"
