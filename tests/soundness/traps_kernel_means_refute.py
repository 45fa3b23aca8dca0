"""Issue 23, refuting steps between spectral means by finite spectra (:mod:`derive.rmt.refute`).

A mean of a law known only by its name is refuted by specialising the law to random finite
spectra.  Classes aimed at: false steps that hold for no general law (a moment inequality taken
as an identity, Jensen's gap, a sign error in a derivative under the mean, an order relation the
wrong way round), true identities that must never fail (linearity, a resolvent identity, a
derivative under the mean, Jensen's inequality the right way round), and true steps whose
premises constrain the law, where a random spectrum that ignored them would fail a true step
(a moment fixed by a cited step, a definition naming a mean, a closed form bound after its
definition, a mean equal to an unknown function, a nonlinear constraint, a positive law).
"""

import sympy as sp

from derive import Derivation
from derive.notation import Meaning
from derive.rmt import SpectralMean, UniformMean

from . import trap

r = sp.Symbol("r", positive=True)
rr = sp.Symbol("r", real=True)
u = sp.Symbol("u", positive=True)
x = sp.Symbol("x", positive=True)
s = sp.Symbol("s", positive=True)
M = sp.Function("M")


def _c(f, var=r):
    return SpectralMean(f, var, "C")


def _step(statement, premises=(), op_definitions=()):
    """A derivation whose step ``s`` states ``statement`` citing ``premises`` (label, statement)
    and with definitions ``op_definitions`` (label, statement) above it."""
    D = Derivation("trap")
    free = set(statement.free_symbols).union(*(p.free_symbols for _, p in (*premises, *op_definitions)))
    free -= {s}
    if free:
        D.parameter(*sorted(free, key=str))
    for label, definition in op_definitions:
        D.define(label, definition)
    for label, premise in premises:
        D.step(label, premise, uses=[label for label, _ in op_definitions])
    D.step("s", statement, uses=[label for label, _ in (*premises, *op_definitions)])
    return D, "s"


# False: no general law satisfies them, a finite spectrum certifies it.

@trap("means-refute", true=False, sets="<r^2>_C = <r>_C^2 (the variance is not 0)")
def k_meanref_second_moment_false():
    return _step(sp.Eq(_c(r ** 2), _c(r) ** 2))


@trap("means-refute", true=False, sets="<1/r>_C = 1/<r>_C (Jensen's gap)")
def k_meanref_inverse_jensen_false():
    return _step(sp.Eq(_c(1 / r), 1 / _c(r)))


@trap("means-refute", true=False, sets="d/dx <1/(r + x)>_C = <1/(r + x)^2>_C (the sign lost)")
def k_meanref_derivative_sign_false():
    return _step(sp.Eq(sp.diff(_c(1 / (r + x)), x), _c(1 / (r + x) ** 2)))


@trap("means-refute", true=False, sets="<r/(r + x)>_C = 1 - <x/(r + x)>_C^2 (a square that is not there)")
def k_meanref_resolvent_square_false():
    return _step(sp.Eq(_c(r / (r + x)), 1 - _c(x / (r + x)) ** 2))


@trap("means-refute", true=False, sets="<r^2>_C <= <r>_C^2 (Jensen the wrong way round)")
def k_meanref_jensen_order_false():
    return _step(sp.Le(_c(r ** 2), _c(r) ** 2))


@trap("means-refute", true=False, sets="<r>_C = 1 cited: <r^2>_C = 1 (the premise fixes the mean, not the variance)")
def k_meanref_cited_mean_variance_false():
    return _step(sp.Eq(_c(r ** 2), 1), premises=[("m1", sp.Eq(_c(r), 1))])


@trap("means-refute", true=False, sets="<r^3>_C = <r>_C <r^2>_C over a real law (odd moments)")
def k_meanref_real_law_product_false():
    return _step(sp.Eq(_c(rr ** 3, rr), _c(rr, rr) * _c(rr ** 2, rr)))


@trap("means-refute", true=False, sets="<U>_C over a named law C = <U> over U(0, 1) = 1/2 (the name is not the law)")
def k_meanref_named_is_not_uniform_false():
    return _step(sp.Eq(SpectralMean(u, u, "C"), UniformMean(u, u)))


# True: identities for every law, never failed.

@trap("means-refute", true=True, sets="<r/(r + x)>_C = 1 - x <1/(r + x)>_C (linearity)")
def k_meanref_resolvent_linear_true():
    return _step(sp.Eq(_c(r / (r + x)), 1 - x * _c(1 / (r + x))))


@trap("means-refute", true=True, sets="d/dx <1/(r + x)>_C = -<1/(r + x)^2>_C (derivative under the mean)")
def k_meanref_derivative_true():
    return _step(sp.Eq(sp.diff(_c(1 / (r + x)), x), -_c(1 / (r + x) ** 2)))


@trap("means-refute", true=True, sets="<r^2>_C >= <r>_C^2 (Jensen)")
def k_meanref_jensen_order_true():
    return _step(sp.Ge(_c(r ** 2), _c(r) ** 2))


@trap("means-refute", true=True, sets="(<r>_C + 1)^2 = <r>_C^2 + 2 <r>_C + 1 (algebra in a mean)")
def k_meanref_square_expanded_true():
    return _step(sp.Eq((_c(r) + 1) ** 2, _c(r) ** 2 + 2 * _c(r) + 1))


# True given premises that constrain the law: a random spectrum that ignored them would fail them.

@trap("means-refute", true=True, sets="<r>_C = 1 cited: <2 r + 3>_C = 5 (the spectrum must have mean 1)")
def k_meanref_cited_mean_true():
    return _step(sp.Eq(_c(2 * r + 3), 5), premises=[("m1", sp.Eq(_c(r), 1))])


@trap("means-refute", true=True, sets="<r>_C = 1, <r^2>_C = 3 cited: <(r - 1)^2>_C = 2 (two moments honoured)")
def k_meanref_cited_two_moments_true():
    return _step(sp.Eq(_c((r - 1) ** 2), 2), premises=[("m1", sp.Eq(_c(r), 1)), ("m2", sp.Eq(_c(r ** 2), 3))])


@trap("means-refute", true=True, sets="<r^2>_C - <r>_C = 2 (a relation) and <r>_C = 1 cited: <r^2>_C = 3")
def k_meanref_cited_relation_true():
    return _step(sp.Eq(_c(r ** 2), 3), premises=[("m1", sp.Eq(_c(r), 1)),
                                                ("rel", sp.Eq(_c(r ** 2) - _c(r), 2))])


@trap("means-refute", true=True, sets="<1/(r + x)>_C = M(x) cited, M unknown: <r/(r + x)>_C = 1 - x M(x)")
def k_meanref_unknown_stieltjes_true():
    return _step(sp.Eq(_c(r / (r + x)), 1 - x * M(x)), premises=[("st", sp.Eq(_c(1 / (r + x)), M(x)))],
                 op_definitions=[("M-def", sp.Eq(M(x), Meaning("M")))])


@trap("means-refute", true=True, sets="<1/(r + x)>_C = 1/(1 + x) cited (C = delta_1): <1/(r + x)>_C^2 = <1/(r + x)^2>_C")
def k_meanref_law_fixed_by_resolvent_true():
    return _step(sp.Eq(_c(1 / (r + x)) ** 2, _c(1 / (r + x) ** 2)),
                 premises=[("st", sp.Eq(_c(1 / (r + x)), 1 / (1 + x)))])


@trap("means-refute", true=True, sets="<r^2>_C = <r>_C^2 cited (no variance: an atom): <r^4>_C = <r>_C^4")
def k_meanref_nonlinear_premise_true():
    return _step(sp.Eq(_c(r ** 4), _c(r) ** 4), premises=[("novar", sp.Eq(_c(r ** 2) - _c(r) ** 2, 0))])


@trap("means-refute", true=True, sets="s := <r>_C defined, s = 2 cited: <r>_C^2 = 4 (a name bound twice)")
def k_meanref_name_bound_twice_true():
    D = Derivation("trap")
    D.define("s-def", sp.Eq(s, _c(r)))
    D.step("s-value", sp.Eq(s, 2), uses=["s-def"])
    D.step("s", sp.Eq(_c(r) ** 2, 4), uses=["s-value", "s-def"])
    return D, "s"


@trap("means-refute", true=True, sets="<r>_C = 2 defines the law's mean above: <r>_C <1>_C + <r - 2>_C = 2")
def k_meanref_definition_of_a_mean_true():
    return _step(sp.Eq(_c(r) + _c(r - 2), 2), op_definitions=[("mean-def", sp.Eq(_c(r), 2))])


@trap("means-refute", true=True, sets="<r>_C > 5 cited (an order premise): <r>_C > 4 (only spectra with mean > 5 count)")
def k_meanref_order_premise_true():
    return _step(sp.Gt(_c(r), 4), premises=[("big", sp.Gt(_c(r), 5))])


@trap("means-refute", true=True, sets="x = 2 y cited (a relation in the parameters): <r/(r + x)>_C = <r/(r + 2 y)>_C")
def k_meanref_parameter_relation_true():
    y = sp.Symbol("y", positive=True)
    return _step(sp.Eq(_c(r / (r + x)), _c(r / (r + 2 * y))), premises=[("xy", sp.Eq(x - 2 * y, 0))])
