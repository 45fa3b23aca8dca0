"""The numeric forms of hypergeometric functions, integrals and uniform means in the lowering
(derive/special.py), against mpmath at 50 digits; and quantities along a parametrised family
(``implicit={w: dict(step=..., equals=...)}``)."""

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive import Derivation
from derive.errors import DerivationError
from derive.lower import Lowered, lower_quantity
from derive.rmt import UniformMean
from derive.special import euler_form, special_for

p, w, x, u = sp.symbols("p w x u", positive=True)
z = sp.Symbol("z", real=True)


def stieltjes_power_law(p_, w_, dps=50):
    with mpmath.workdps(dps):
        p_, w_ = mpmath.mpf(p_), mpmath.mpf(w_)
        return mpmath.hyp2f1(1, 1 + 1 / p_, 2 + 1 / p_, -w_ / (1 - p_)) / ((1 - p_) * (1 + p_))


def test_the_power_law_stieltjes_transform_is_exact_where_scipy_is_not():
    """m_p(-w) through Euler's integral, at integer 1 + 1/p (p = 1/2, 1/3: the logarithmic case of
    the 1/z transformation) and out to |z| = 1e13, to 1e-13 of 50-digit mpmath."""
    m = sp.hyper([1, 1 + 1 / p], [2 + 1 / p], -w / (1 - p)) / ((1 - p) * (1 + p))
    assert euler_form(m.atoms(sp.hyper).pop()) is not None
    f = Lowered(m, (p, w))
    ps = np.array([0.5, 1 / 3, 0.25, 0.9, 0.1])[:, None]
    ws = np.logspace(-8, 13, 15)[None, :]
    values = f(ps, ws)
    for (i, j), value in np.ndenumerate(values):
        exact = stieltjes_power_law(ps[i, 0], ws[0, j])
        assert abs(value / float(exact) - 1) < 1e-13, (ps[i, 0], ws[0, j])


def test_a_hypergeometric_function_without_an_euler_form_is_computed_by_mpmath():
    """2F1(11.95, 12.95; 4.09; z): c < a, b, so no Euler integral; scipy's hyp2f1 is off by 0.8
    (relative) at z = -150; the lowering is exact."""
    node = sp.hyper([sp.Float("11.95"), sp.Float("12.95")], [sp.Float("4.09")], z)
    assert euler_form(node) is None
    value = Lowered(node, (z,))(np.array([-150.0, -2.0]))
    with mpmath.workdps(50):
        exact = [mpmath.hyp2f1(mpmath.mpf("11.95"), mpmath.mpf("12.95"), mpmath.mpf("4.09"), v) for v in (-150, -2)]
    np.testing.assert_allclose(value, [float(e) for e in exact], rtol=1e-14)


def test_a_derivative_in_a_parameter_of_hyper_has_no_error_rule():
    """d/dp of 2F1 in its parameters has no closed form: an inexact p gives an infinite bound."""
    special = special_for(sp.hyper([1, 1 + 1 / p], [2 + 1 / p], -w), (p, w))
    assert special.slope(0) is None and special.slope(1) is not None


@pytest.mark.parametrize("integrand, exact", [
    (u**sp.Rational(-1, 2) * (1 - u)**sp.Rational(-1, 2), mpmath.pi),       # both ends singular
    ((1 - u)**sp.Rational(-19, 20), 20),                                      # strong singularity at 1
    (u**sp.Rational(-1, 2) * sp.log(u)**2, 16),                               # a logarithm at 0
    (1 / (1 + 100 * u), mpmath.log(101) / 100),
])
def test_integrals_over_the_unit_interval_reach_their_endpoint_singularities(integrand, exact):
    """The upper half is reflected (u = 1 - v) symbolically, so (1 - u)^(-19/20) is integrated as
    v^(-19/20) near v = 0, where doubles reach 1e-250; mpmath's own quad misses 1.8% of it there."""
    value = Lowered(sp.Integral(integrand, (u, 0, 1)), ())()
    assert abs(float(value) / float(exact) - 1) < 1e-12


def test_the_error_bound_of_an_integral_covers_its_error():
    special = special_for(sp.Integral(u**(x - 1), (u, 0, 1)), (x,))
    xs = np.array([0.02, 0.05, 0.5, 1.0, 3.0])
    value, error = special.numpy(xs)
    assert np.all(np.abs(value - 1 / xs) <= error)
    # u^(-0.98) loses (1e-250)^0.02 = 1e-5 of itself below the innermost node: the bound says so
    assert error[0] > 1e-6 / xs[0] and np.all(error[1:] < 1e-10 / xs[1:])


@pytest.mark.slow  # mpmath's quad at 30 digits that does not settle: 3 and 10 CPU s
@pytest.mark.parametrize("integrand", [
    u**-1,                                     # divergent: the innermost nodes show a tail u^-1
    u**sp.Rational(-19, 20) * sp.log(u)**2,    # integrable, but its tail below 1e-250 is 2e-6 of it
])
def test_an_integral_double_precision_cannot_deliver_is_not_a_number(integrand):
    """The tail below the innermost node is estimated from the power the two innermost nodes
    show; where it is too large (or infinite) the point goes to mpmath, whose quad does not settle
    either (it misses 1.8% of u^(-19/20) at 30 digits): nan with a warning, never a number."""
    with pytest.warns(RuntimeWarning, match="could not settle"):
        value = Lowered(sp.Integral(integrand, (u, 0, 1)), ())()
    assert np.isnan(value)


def test_a_uniform_mean_is_an_integral_over_the_unit_interval():
    a = sp.Symbol("a", positive=True)
    mean = UniformMean(u**a, u)
    assert float(Lowered(mean, (a,))(2.0)) == pytest.approx(1 / 3, rel=1e-14)
    # differentiating passes under the mean, as for any spectral mean
    assert sp.diff(mean, a) == UniformMean(u**a * sp.log(u), u)


def family():
    """The family y = w + w^3 (w > 0), and the quantity w at y = x."""
    D = Derivation("family")
    y, v = sp.symbols("y v", positive=True)
    D.parameter(x, w)
    D.define("y-def", sp.Eq(y, w + w**3))
    D.define("v-def", sp.Eq(v, 2 * w))
    return D, y, v


def test_a_quantity_along_a_family_is_evaluated_at_the_member_asked_for():
    D, y, v = family()
    D.quantity("v", "v-def", (x,), uses=["y-def"], implicit={w: dict(step="y-def", equals=x, lower=0, upper=1)})
    values = lower_quantity(D, "v")(np.array([2.0, 10.0, 1e-6]))
    # y = 2 at w = 1, y = 10 at w = 2; y = 1e-6 at w = 1e-6 - 1e-18 + ...
    np.testing.assert_allclose(values, [2.0, 4.0, 2 * (1e-6 - 1e-18)], rtol=1e-14)


def test_equals_needs_a_step_that_binds_a_name_and_parameters_only():
    D, y, v = family()
    D.step("not-a-binding", sp.Eq(w + w**3 - y, 0), uses=["y-def"])
    with pytest.raises(DerivationError, match="must read Eq"):
        D.quantity("v", "v-def", (x,), implicit={w: dict(step="not-a-binding", equals=x)})
    with pytest.raises(DerivationError, match="not a parameter"):
        D.quantity("v", "v-def", (x,), implicit={w: dict(step="y-def", equals=x + y)})


def test_prepared_functions_never_share_an_implementation():
    """sympy caches undefined functions by name: two prepared expressions (and an integrand
    prepared inside another) must not reach each other's implementation (the quantity
    e_powerlaw was off by up to 5x through a shared name before)."""
    from derive.special import lambdify

    f = lambdify((x,), sp.hyper([1, 2], [3], -x))
    g = lambdify((x,), sp.Integral(u * sp.hyper([1, 3], [4], -x * u), (u, 0, 1)))
    with mpmath.workdps(30):
        exact_f = float(mpmath.hyp2f1(1, 2, 3, -2))
        exact_g = float(mpmath.quad(lambda t: t * mpmath.hyp2f1(1, 3, 4, -2 * t), [0, 1]))
    assert float(f(np.array(2.0))) == pytest.approx(exact_f, rel=1e-12)
    assert float(g(np.array(2.0))) == pytest.approx(exact_g, rel=1e-12)
