"""Capture-avoiding substitution (derive/binders.py), through every caller that puts a binding in.

Property tests over random expression trees with binders (Integral, Sum, Product, Derivative,
Subs, Limit) whose integrands are polynomials, so that ``doit`` evaluates them exactly: the
substitution evaluated at a point must equal the original evaluated at that point with the key
given its value there; no free symbol of a value is ever captured; replacing a bound variable
changes nothing.  Then the binders one by one (Lambda, a definition applied to an argument, a
spectral mean) and the rules that substitute (limit, substitute).
"""

import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from derive import Derivation
from derive.bindings import substitute as put_bindings
from derive.check import check_step

a, b, t, s = sp.symbols("a b t s", real=True)
F = sp.Function("F")  # a marker: where a substituted value landed
M = sp.Function("M")
ENV = {a: sp.Rational(2, 3), b: sp.Rational(-1, 2), t: sp.Rational(3, 5), s: sp.Rational(7, 4)}
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

LEAVES = st.sampled_from([a, b, t, s, sp.Integer(1), sp.Integer(2), sp.Integer(-1)])
VARIABLES = st.sampled_from([t, s])
POINTS = st.sampled_from([a, b, sp.Integer(1), sp.Integer(-1)])  # sympy's Limit refuses t -> t


def _built(make):
    """``make``, or its first argument where sympy cannot build the node (it refuses or fails on
    a few shapes, such as a Subs of a Subs in the same variable)."""
    def build(*args):
        try:
            node = make(*args)
            sp.default_sort_key(node)  # sympy fails to order a few shapes it builds
            return node
        except Exception:
            return args[0]
    return build


def _binder(children):
    """One node over ``children``: arithmetic, or a binder of t or s."""
    return st.one_of(
        st.builds(_built(lambda x, y: x + y), children, children),
        st.builds(_built(lambda x, y: x * y), children, children),
        st.builds(_built(lambda f, v, lo, hi: sp.Integral(f, (v, lo, hi))), children, VARIABLES, LEAVES, LEAVES),
        # Two limits: the first innermost, its bounds in the scope of the second's variable.
        st.builds(_built(lambda f, v, lo, w, hi: sp.Integral(f, (v, lo, w), (w, 0, hi))), children, VARIABLES,
                  LEAVES, VARIABLES, LEAVES),
        st.builds(_built(lambda f, v, n: sp.Sum(f, (v, 0, n))), children, VARIABLES, st.integers(1, 2)),
        st.builds(_built(lambda f, v: sp.Product(f, (v, 1, 2))), children, VARIABLES),
        st.builds(_built(lambda f, v: sp.Derivative(f, v)), children, VARIABLES),
        st.builds(_built(lambda f, v, p: f if isinstance(f, sp.Subs) else sp.Subs(f, v, p)), children, VARIABLES,
                  LEAVES),
        st.builds(_built(lambda f, v, p: sp.Limit(f, v, p)), children, VARIABLES, POINTS),
    )


EXPRS = st.recursive(LEAVES, _binder, max_leaves=5)


def _substitute(expr, mapping):
    from derive.binders import substitute
    return substitute(expr, mapping)


def _evaluated(expr):
    """``expr`` with its binders evaluated innermost first by sympy's ``doit`` (exact on
    polynomials; sympy refuses an integral over a sum in the same variable from the outside in)."""
    if not expr.args:
        return expr
    if isinstance(expr, sp.Subs):  # its body evaluated has no binder left: put the point in
        return _evaluated(expr.expr).xreplace(dict(zip(expr.variables, map(_evaluated, expr.point))))
    args = [_evaluated(arg) for arg in expr.args]
    node = expr.func(*args) if args != list(expr.args) else expr
    return node.doit(deep=False) if isinstance(node, (sp.Integral, sp.Sum, sp.Product, sp.Derivative,
                                                      sp.Limit)) else node


def _value(expr, env=ENV):
    """The exact value at ``env``: binders evaluated, then the free symbols put in."""
    return sp.expand(_evaluated(sp.sympify(expr)).xreplace(env))


@SETTINGS
@given(EXPRS, EXPRS)
def test_substitution_commutes_with_evaluation(expr, value):
    """``expr[a := value]`` at the point is ``expr`` at the point with ``a`` = value there."""
    assert _value(_substitute(expr, {a: value})) == _value(expr, {**ENV, a: _value(value)})


@SETTINGS
@given(EXPRS, EXPRS)
def test_bindings_substitute_commutes_with_evaluation(expr, value):
    """The same through the bindings (``a := value``), as every rule puts them in."""
    assume(not value.has(a))  # a binding's value never mentions its name (binding_of)
    assert _value(put_bindings(expr, [(a, value)], doit=False)) == _value(expr, {**ENV, a: _value(value)})


@SETTINGS
@given(EXPRS, EXPRS, EXPRS)
def test_simultaneous_substitution(expr, first, second):
    """``{a: first, t: second}`` at once: each key gets its value at the point, and ``t`` is
    replaced only where it is free."""
    want = _value(expr, {**ENV, a: _value(first), t: _value(second)})
    assert _value(_substitute(expr, {a: first, t: second})) == want


def _captured(node, bound=frozenset()):
    """Whether a marker ``F(t, s)`` sits under a binder of a symbol it mentions."""
    if isinstance(node, sp.Function) and node.func == F:
        return bool(node.free_symbols & bound)
    if isinstance(node, (sp.Integral, sp.Sum, sp.Product)):
        scope = set(bound)
        found = False
        for variable, *ends in reversed(node.limits):
            found |= any(_captured(e, frozenset(scope)) for e in ends)
            scope.add(variable)
        return found or _captured(node.function, frozenset(scope))
    if isinstance(node, (sp.Derivative, sp.Lambda)):
        inner = bound | set(node.variables)
        return _captured(node.expr, frozenset(inner))
    if isinstance(node, sp.Subs):
        return _captured(node.expr, bound | set(node.variables)) or any(_captured(p, bound) for p in node.point)
    if isinstance(node, sp.Limit):
        return _captured(node.args[0], bound | {node.args[1]}) or _captured(node.args[2], bound)
    return any(_captured(arg, bound) for arg in node.args)


@SETTINGS
@given(EXPRS)
def test_no_free_symbol_of_a_value_is_captured(expr):
    result = _substitute(expr, {a: F(t, s)})
    assert not _captured(result)
    if a in expr.free_symbols:
        assert {t, s} <= result.free_symbols or not result.has(F)


@SETTINGS
@given(EXPRS, EXPRS)
def test_a_bound_variable_is_never_replaced(expr, value):
    """``t`` bound everywhere: replacing it changes nothing."""
    closed = sp.Integral(expr, (t, 0, 1))
    assert _substitute(closed, {t: value}) == closed
    assert put_bindings(closed, [(t, value)], doit=False) == closed


# --- the binders one by one --------------------------------------------------------------------


def test_integral_renames_its_variable_keeping_assumptions():
    result = _substitute(sp.Integral(a * t, (t, 0, 1)), {a: t})
    (variable,) = result.variables
    assert variable != t and variable.is_real and result.doit() == t / 2


def test_bounds_are_free():
    """The upper limit of an integral is outside its scope: ``(t, 0, t)`` integrates to the outer t."""
    assert _substitute(sp.Integral(t, (t, 0, t)), {t: 3}).doit() == sp.Rational(9, 2)
    assert _substitute(sp.Integral(a, (t, 0, t)), {a: t}).doit() == t ** 2
    # Simultaneous: the t that a brings in is the outer one, which {t: 3} does not reach.
    assert _substitute(sp.Integral(a, (t, 0, t)), {t: 3, a: t}).doit() == 3 * t


def test_derivative_keeps_its_meaning():
    x = sp.Symbol("x")
    assert _substitute(sp.Derivative(a * x, x), {a: x}).doit() == x
    assert _substitute(sp.Derivative(x ** 3, x), {x: 2}).doit() == 12
    assert _substitute(sp.Derivative(M(x), x), {x: t}) == sp.Derivative(M(t), t)


def test_lambda_and_beta_reduction():
    """``M(x) := Integral(x t, (t, 0, 1))`` used at ``M(t)`` is ``t/2``, not ``1/3``."""
    x = sp.Symbol("x", real=True)
    assert _substitute(sp.Lambda(t, a * t), {a: t})(2) == 2 * t
    assert _substitute(M(t), {M: sp.Lambda(x, sp.Integral(x * t, (t, 0, 1)))}).doit() == t / 2
    assert put_bindings(M(t) + 1, [(M(x), sp.Integral(x * t, (t, 0, 1)))]).doit() == t / 2 + 1


def test_spectral_mean():
    from derive.rmt import SpectralMean
    r = sp.Symbol("r", positive=True)
    x = sp.Symbol("x", positive=True)
    mean = SpectralMean(r * x, r, "C")
    renamed = _substitute(mean, {x: r})
    assert renamed.variable != r and renamed.variable.is_positive and renamed.integrand.has(r)
    assert _substitute(mean, {r: 2}) == mean
    assert mean.subs(x, r) == renamed


# --- the rules that substitute -------------------------------------------------------------------


def _statuses(derivation, label):
    return check_step(derivation, derivation[label]).status


def test_limit_rule_renames_its_variable():
    """``a := t``; ``lim_{t -> 1} (a t + 1)/(t + 1) = (a + 1)/2`` is true; the captured reading
    ``(t^2 + 1)/(t + 1)`` tends to 1, and makes the false value 1 look right."""
    D = Derivation("limit capture")
    D.parameter(t)
    D.define("A", sp.Eq(a, t))
    D.limit("L", (a * t + 1) / (t + 1), t, 1, uses=["A"], value=(a + 1) / 2)
    D.limit("W", (a * t + 1) / (t + 1), t, 1, uses=["A"], value=1)
    assert _statuses(D, "L") == "verified"
    assert _statuses(D, "W") == "failed"


def test_substitute_rule_renames_the_integration_variable():
    D = Derivation("substitute capture")
    D.parameter(t)
    D.define("A", sp.Eq(a, t))
    D.step("I", sp.Eq(sp.Integral(a * t, (t, 0, 1)), a / 2))
    D.substitute("S", "I", "A")
    statement = D["S"].statement
    assert sp.simplify(statement.lhs.doit() - t / 2) == 0 and statement.rhs == t / 2


def test_derivative_binding_applied_under_a_binder():
    """``M'(x) := x t`` used at ``M'(t)`` under ``dt``: ``int_0^1 t' t dt' = t/2``, not ``1/3``."""
    x = sp.Symbol("x", real=True)
    integral = sp.Integral(sp.Derivative(M(t), t), (t, 0, 1))
    assert put_bindings(integral, [(sp.Derivative(M(x), x), x * t)]).doit() == t / 2
    assert put_bindings(sp.Derivative(M(t), (t, 2)), [(sp.Derivative(M(x), x), x ** 3)]) == 3 * t ** 2
