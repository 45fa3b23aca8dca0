"""Issue 22, linearity over means that do not exist.

Linearity merges ``<f> - <g>`` into ``<f - g>``; when both means are infinite that is infinity
minus infinity, not the mean of the difference.  Classes aimed at: uniform means with a
non-integrable singularity at an end or inside (0, 1), means over a named law of integrands
that grow without bound on its support, products with a divergent factor, and the true
counterparts (bounded integrands, means a cited step gives a value).
"""

import sympy as sp

from derive import Derivation
from derive.rmt import SpectralMean, UniformMean

from . import trap

u = sp.Symbol("u", positive=True)
r = sp.Symbol("r", positive=True)
rr = sp.Symbol("r", real=True)
x = sp.Symbol("x", positive=True)
a = sp.Symbol("a", real=True)
half = sp.Rational(1, 2)


def _u(f):
    return UniformMean(f, u)


def _c(f, var=r):
    return SpectralMean(f, var, "C")


def _mean_step(statement, premises=()):
    D = Derivation("trap")
    free = set(statement.free_symbols).union(*(p.free_symbols for _, p in premises))
    if free:
        D.parameter(*sorted(free, key=str))
    for label, premise in premises:
        D.step(label, premise)
    D.step("s", statement, uses=[label for label, _ in premises])
    return D, "s"


@trap("means-exist", true=False, sets="<1/U> - <1/U - 1> = 1 (infinity minus infinity)")
def k_means_uniform_inverse_difference_false():
    return _mean_step(sp.Eq(_u(1 / u) - _u(1 / u - 1), 1))


@trap("means-exist", true=False, sets="<1/(U - 1/2)> - <1/(U - 1/2) + 2> = -2 (a pole inside (0, 1))")
def k_means_uniform_interior_pole_false():
    return _mean_step(sp.Eq(_u(1 / (u - half)) - _u(1 / (u - half) + 2), -2))


@trap("means-exist", true=False, sets="<1/(U - 1/2)^2> = <1/(U - 1/2)^2 - U> + 1/2 (a double pole inside)")
def k_means_uniform_double_pole_false():
    return _mean_step(sp.Eq(_u(1 / (u - half) ** 2), _u(1 / (u - half) ** 2 - u) + half))


@trap("means-exist", true=False, sets="<1/(1 - U)> - <U/(1 - U)> = 1 (both infinite at U = 1)")
def k_means_uniform_pole_at_one_false():
    return _mean_step(sp.Eq(_u(1 / (1 - u)) - _u(u / (1 - u)), 1))


@trap("means-exist", true=False, sets="<U^-2 (1 + U)> - <U^-2> - <1/U> = 0 (products with a divergent factor)")
def k_means_uniform_product_divergent_factor_false():
    return _mean_step(sp.Eq(_u(u ** -2 * (1 + u)) - _u(u ** -2) - _u(1 / u), 0))


@trap("means-exist", true=False,
      sets="<exp(r)>_C - <exp(r) - r>_C = <r>_C over a law known by name only (may be infinity minus infinity)")
def k_means_named_law_exponential_false():
    return _mean_step(sp.Eq(_c(sp.exp(r)) - _c(sp.exp(r) - r), _c(r)))


@trap("means-exist", true=False,
      sets="<r^2>_C - <r^2 - 1>_C = 1 over a law known by name only (its second moment may be infinite)")
def k_means_named_law_second_moment_false():
    return _mean_step(sp.Eq(_c(r ** 2) - _c(r ** 2 - 1), 1))


@trap("means-exist", true=False, sets="<1/r>_C - <1/r - 1>_C = 1 for a positive law (it may charge 0)")
def k_means_named_law_inverse_false():
    return _mean_step(sp.Eq(_c(1 / r) - _c(1 / r - 1), 1))


@trap("means-exist", true=True, sets="<1/(U + 1)> - <U/(U + 1)> = <(1 - U)/(1 + U)> (bounded on [0, 1])")
def k_means_uniform_bounded_true():
    return _mean_step(sp.Eq(_u(1 / (u + 1)) - _u(u / (u + 1)), _u((1 - u) / (1 + u))))


@trap("means-exist", true=True, sets="<1/(U + x)> - <U/(U + x)> = <(1 - U)/(U + x)> for x > 0 (bounded)")
def k_means_uniform_bounded_parameter_true():
    return _mean_step(sp.Eq(_u(1 / (u + x)) - _u(u / (u + x)), _u((1 - u) / (u + x))))


@trap("means-exist", true=True, sets="<r/(r + x)>_C + x <1/(r + x)>_C = 1 for a positive law and x > 0 (bounded)")
def k_means_named_law_resolvent_true():
    return _mean_step(sp.Eq(_c(r / (r + x)) + x * _c(1 / (r + x)), 1))


@trap("means-exist", true=True, sets="<r^2>_C = 3 cited: <r^2 + 1>_C = 4 (a mean given a value exists)")
def k_means_named_law_cited_value_true():
    return _mean_step(sp.Eq(_c(r ** 2 + 1), 4), premises=[("m2", sp.Eq(_c(r ** 2), 3))])


@trap("means-exist", true=True, sets="<r>_C = 1 cited: <r^2/(r + x)>_C = 1 - x + x^2 <1/(r + x)>_C")
def k_means_named_law_polynomial_part_true():
    return _mean_step(sp.Eq(_c(r ** 2 / (r + x)), 1 - x + x ** 2 * _c(1 / (r + x))),
                      premises=[("m1", sp.Eq(_c(r), 1))])


@trap("means-exist", true=False, sets="<r>_C = 1 cited: <r^3/(r + x)>_C = ... (needs <r^2>_C, not given)")
def k_means_named_law_polynomial_part_false():
    return _mean_step(sp.Eq(_c(r ** 3 / (r + x)) - _c(r ** 3 / (r + x) - r), 1),
                      premises=[("m1", sp.Eq(_c(r), 1))])


@trap("means-exist", true=True, sets="<1/(r^2 + 1)>_C - <r^2/(r^2 + 1)>_C = <(1 - r^2)/(1 + r^2)>_C over a real law")
def k_means_named_law_real_bounded_true():
    return _mean_step(sp.Eq(_c(1 / (rr ** 2 + 1), rr) - _c(rr ** 2 / (rr ** 2 + 1), rr),
                            _c((1 - rr ** 2) / (1 + rr ** 2), rr)))
