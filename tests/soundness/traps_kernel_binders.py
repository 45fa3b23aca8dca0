"""Issue 22, *bound variables are captured*: a binding put into a binder of the same name.

Each binder gets a binding ``a := t`` (or ``a := k``, ``a := r``, a definition applied at the
bound variable's name) put under a binder of ``t``.  The false claim is what the captured
substitution makes of it (``Integral(t^2, (t, 0, 1)) = 1/3`` for ``a t`` under ``dt``), so that
a checker that captures verifies it; the true claim is the capture-free value, which a checker
that captures fails.  Binders: Integral (and its bounds, which are free), Sum, Product, Limit
(the limit rule), Subs, Derivative, a function definition applied to an argument (a Lambda,
beta-reduced), and spectral and uniform means.
"""

import sympy as sp

from derive import Derivation
from derive.rmt import SpectralMean, UniformMean

from . import trap

CLASS = "kernel_binders"

t = sp.Symbol("t", real=True)
a = sp.Symbol("a", real=True)
x = sp.Symbol("x", real=True)
k = sp.Symbol("k", integer=True)
r = sp.Symbol("r", positive=True)
u = sp.Symbol("u", positive=True)
M = sp.Function("M")


def _bound(statement, value=t, name=a, parameters=(t,)):
    """``name := value`` (``a := t``), then ``statement`` citing it."""
    D = Derivation("trap")
    D.parameter(*parameters)
    D.define("A", sp.Eq(name, value))
    D.step("s", statement, uses=["A"])
    return D, "s"


def _applied(definition, statement, parameters=(t,)):
    """``M(x) := definition``, then ``statement`` (about ``M`` at some argument) citing it."""
    D = Derivation("trap")
    D.parameter(*parameters)
    D.define("M", sp.Eq(M(x), definition))
    D.step("s", statement, uses=["M"])
    return D, "s"


# --- Integral ----------------------------------------------------------------------------------


@trap(CLASS, true=False, sets="a := t; int_0^1 a t dt = 1/3 (captured: int t^2; it is t/2)")
def k_binders_integral_captured():
    return _bound(sp.Eq(sp.Integral(a * t, (t, 0, 1)), sp.Rational(1, 3)))


@trap(CLASS, true=True, sets="a := t; int_0^1 a t dt = t/2")
def k_binders_integral_renamed():
    return _bound(sp.Eq(sp.Integral(a * t, (t, 0, 1)), t / 2))


@trap(CLASS, true=False, sets="a := t; int_0^1 a dt = 1/2 (captured: int t dt; it is t)")
def k_binders_integral_constant_captured():
    return _bound(sp.Eq(sp.Integral(a, (t, 0, 1)), sp.Rational(1, 2)))


@trap(CLASS, true=True, sets="a := t; int_0^a t dt = t^2/2 (the upper limit is free: it is the outer t)")
def k_binders_integral_bound_is_free():
    return _bound(sp.Eq(sp.Integral(t, (t, 0, a)), t ** 2 / 2))


# --- Sum and Product ---------------------------------------------------------------------------


@trap(CLASS, true=False, sets="a := k; sum_{k=1}^3 a k = 14 (captured: sum k^2; it is 6 k)")
def k_binders_sum_captured():
    return _bound(sp.Eq(sp.Sum(a * k, (k, 1, 3)), 14), value=k, parameters=(k,))


@trap(CLASS, true=True, sets="a := k; sum_{k=1}^3 a k = 6 k")
def k_binders_sum_renamed():
    return _bound(sp.Eq(sp.Sum(a * k, (k, 1, 3)), 6 * k), value=k, parameters=(k,))


@trap(CLASS, true=False, sets="a := k; prod_{k=1}^2 (a + k) = 8 (captured: prod 2k; it is (k+1)(k+2))")
def k_binders_product_captured():
    return _bound(sp.Eq(sp.Product(a + k, (k, 1, 2)), 8), value=k, parameters=(k,))


@trap(CLASS, true=True, sets="a := k; prod_{k=1}^2 (a + k) = (k + 1)(k + 2)")
def k_binders_product_renamed():
    return _bound(sp.Eq(sp.Product(a + k, (k, 1, 2)), (k + 1) * (k + 2)), value=k, parameters=(k,))


# --- Limit (the limit rule) and Subs -------------------------------------------------------------


def _limit(value):
    D = Derivation("trap")
    D.parameter(t)
    D.define("A", sp.Eq(a, t))
    D.limit("L", (a * t + 1) / (t + 1), t, 1, uses=["A"], value=value)
    return D, "L"


@trap(CLASS, true=True, sets="a := t; the limit step lim_{t->1} (a t + 1)/(t + 1) = 1: a limit step's variable is "
                               "the parameter t itself, and a name defined by it varies with it ((t^2+1)/(t+1) -> 1)")
def k_binders_limit_step_parameter():
    return _limit(sp.Integer(1))


@trap(CLASS, true=False, sets="a := t; the limit step lim_{t->1} (a t + 1)/(t + 1) = (a + 1)/2: the value depends on "
                                "the limit's own variable")
def k_binders_limit_step_value_depends():
    return _limit((a + 1) / 2)


@trap(CLASS, true=False, sets="a := t; (a t)|_{t=2} = 4 (captured: t^2 at 2; it is 2 t)")
def k_binders_subs_captured():
    return _bound(sp.Eq(sp.Subs(a * t, t, 2), 4))


@trap(CLASS, true=True, sets="a := t; (a t)|_{t=2} = 2 a")
def k_binders_subs_renamed():
    return _bound(sp.Eq(sp.Subs(a * t, t, 2), 2 * a))


# --- Derivative ----------------------------------------------------------------------------------


@trap(CLASS, true=False, sets="a := x; d/dx (a x) = 2 a (captured: d/dx x^2 = 2x; it is a)")
def k_binders_derivative_captured():
    return _bound(sp.Eq(sp.Derivative(a * x, x), 2 * a), value=x, parameters=(x,))


@trap(CLASS, true=True, sets="a := x; d/dx (a x) = a (a is held fixed: d/dy (x y) at y = x)")
def k_binders_derivative_renamed():
    return _bound(sp.Eq(sp.Derivative(a * x, x), a), value=x, parameters=(x,))


# --- a definition applied to an argument (a Lambda, beta-reduced) --------------------------------


@trap(CLASS, true=False, sets="M(x) := int_0^1 x t dt; M(t) = 1/3 (captured: int t^2; it is t/2)")
def k_binders_definition_integral_captured():
    return _applied(sp.Integral(x * t, (t, 0, 1)), sp.Eq(M(t), sp.Rational(1, 3)))


@trap(CLASS, true=True, sets="M(x) := int_0^1 x t dt; M(t) = t/2")
def k_binders_definition_integral_renamed():
    return _applied(sp.Integral(x * t, (t, 0, 1)), sp.Eq(M(t), t / 2))


@trap(CLASS, true=False, sets="M(x) := sum_{k=1}^3 x^k; M(k) = 32 (captured: sum k^k = 1 + 4 + 27; it is k + k^2 + k^3)")
def k_binders_definition_sum_captured():
    return _applied(sp.Sum(x ** k, (k, 1, 3)), sp.Eq(M(k), 32), parameters=(k,))


@trap(CLASS, true=True, sets="M(x) := sum_{k=1}^3 x^k; M(k) = k + k^2 + k^3")
def k_binders_definition_sum_renamed():
    return _applied(sp.Sum(x ** k, (k, 1, 3)), sp.Eq(M(k), k + k ** 2 + k ** 3), parameters=(k,))


@trap(CLASS, true=False, sets="M(x) := lim_{t->1} (x t + 1)/(t + 1); M(t) = 1 (captured: it is (t + 1)/2)")
def k_binders_definition_limit_captured():
    return _applied(sp.Limit((x * t + 1) / (t + 1), t, 1), sp.Eq(M(t), 1))


@trap(CLASS, true=True, sets="M(x) := d/dt (x t^2) at t = 1; M(t) = 2 t")
def k_binders_definition_derivative_renamed():
    return _applied(sp.Subs(sp.Derivative(x * t ** 2, t), t, 1), sp.Eq(M(t), 2 * t))


# --- spectral and uniform means ------------------------------------------------------------------


@trap(CLASS, true=False, sets="a := r; <a r>_C = <r^2>_C (captured; it is r <r>_C)")
def k_binders_mean_captured():
    return _bound(sp.Eq(SpectralMean(a * r, r, "C"), SpectralMean(r ** 2, r, "C")), value=r, parameters=(r,))


@trap(CLASS, true=True, sets="a := r; <a r>_C = a <r>_C (linearity, after renaming)")
def k_binders_mean_renamed():
    return _bound(sp.Eq(SpectralMean(a * r, r, "C"), a * SpectralMean(r, r, "C")), value=r, parameters=(r,))


@trap(CLASS, true=False, sets="a := u; <a U> = 1/3 over U(0, 1) (captured: <U^2>; it is u/2)")
def k_binders_uniform_mean_captured():
    return _bound(sp.Eq(UniformMean(a * u, u), sp.Rational(1, 3)), value=u, parameters=(u,))


@trap(CLASS, true=True, sets="a := u; <a U> = a <U> over U(0, 1) (linearity, after renaming)")
def k_binders_uniform_mean_renamed():
    return _bound(sp.Eq(UniformMean(a * u, u), a * UniformMean(u, u)), value=u, parameters=(u,))


# --- a derivative binding applied under a binder -------------------------------------------------


def _derivative_binding(statement):
    D = Derivation("trap")
    D.parameter(t)
    D.define("D", sp.Eq(sp.Derivative(M(x), x), x * t))
    D.step("s", statement, uses=["D"])
    return D, "s"


@trap(CLASS, true=False, sets="M'(x) := x t; int_0^1 M'(t) dt = 1/3 (captured: int t^2; it is t/2)")
def k_binders_derivative_binding_captured():
    return _derivative_binding(sp.Eq(sp.Integral(sp.Derivative(M(t), t), (t, 0, 1)), sp.Rational(1, 3)))


@trap(CLASS, true=True, sets="M'(x) := x t; int_0^1 M'(t) dt = t/2")
def k_binders_derivative_binding_renamed():
    return _derivative_binding(sp.Eq(sp.Integral(sp.Derivative(M(t), t), (t, 0, 1)), t / 2))
