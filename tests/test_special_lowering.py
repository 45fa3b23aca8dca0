"""Special functions in the lowering (derive.special.SpecialFunction): gamma, loggamma, beta,
zeta (Riemann and Hurwitz), polygamma, erf/erfc, Bessel J/Y/I/K, LambertW and hyper, lowered on
arrays and compared with mpmath at 30 digits; a quantity with gamma through `derive eval`."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive.cli import main
from derive.lower import Lowered

x = sp.Symbol("x", real=True)
z = sp.Symbol("z")

#: (expression in x, points, mpmath reference): scipy's region and Arb's (negative, large) alike.
CASES = [
    (sp.gamma(x), [0.5, 3.7, 1e-8, 150.2, -0.5, -7.3], lambda v: mpmath.gamma(v)),
    (sp.loggamma(x), [0.5, 1.0000001, 2.5, 1e5], lambda v: mpmath.loggamma(v)),
    (sp.beta(x, sp.Rational(3, 2)), [0.25, 2.0, 40.0, 300.0], lambda v: mpmath.beta(v, 1.5)),
    (sp.zeta(x), [1.5, 2.0, 30.0, 0.5, -2.5], lambda v: mpmath.zeta(v)),
    (sp.zeta(x, 3), [1.5, 2.0, 12.0], lambda v: mpmath.zeta(v, 3)),
    (sp.zeta(2, x), [0.5, 5.0, 50.0], lambda v: mpmath.zeta(2, v)),
    (sp.polygamma(0, x), [0.5, 1.4616321449683622, 10.0, -0.5], lambda v: mpmath.digamma(v)),
    (sp.polygamma(2, x), [0.5, 3.0, 1e3], lambda v: mpmath.polygamma(2, v)),
    (sp.erf(x), [-3.0, 1e-10, 0.5, 4.0], lambda v: mpmath.erf(v)),
    (sp.erfc(x), [-1.0, 0.5, 8.0, 20.0], lambda v: mpmath.erfc(v)),
    (sp.besselj(0, x), [0.1, 2.404825557695773, 10.0, 500.0], lambda v: mpmath.besselj(0, v)),
    (sp.besselj(sp.Rational(5, 2), x), [0.01, 1.0, 30.0], lambda v: mpmath.besselj(2.5, v)),
    (sp.bessely(1, x), [0.1, 2.0, 100.0], lambda v: mpmath.bessely(1, v)),
    (sp.besseli(2, x), [0.1, 5.0, 600.0, 700.5], lambda v: mpmath.besseli(2, v)),
    (sp.besselk(0, x), [0.1, 5.0, 600.0], lambda v: mpmath.besselk(0, v)),
    (sp.LambertW(x), [-0.3, 0.0, 1.0, 1e10], lambda v: mpmath.lambertw(v)),
    (sp.hyper([1, 2], [3], x), [-5.0, 0.3, 0.9], lambda v: mpmath.hyp2f1(1, 2, 3, v)),
    (sp.hyper([1, 2, 3], [4, 5], x), [-2.0, 0.5], lambda v: mpmath.hyp3f2(1, 2, 3, 4, 5, v)),
    # Arb at every point
    (sp.erfi(x), [0.5, 3.0], lambda v: mpmath.erfi(v)),
    (sp.Ei(x), [-1.0, 0.5, 20.0], lambda v: mpmath.ei(v)),
    (sp.expint(2, x), [0.5, 3.0], lambda v: mpmath.expint(2, v)),
    (sp.polylog(2, x), [-3.0, 0.5], lambda v: mpmath.polylog(2, v)),
]


@pytest.mark.parametrize("expr, points, reference", CASES, ids=[str(c[0]) for c in CASES])
def test_lowered_on_an_array_agrees_with_mpmath_at_30_digits(expr, points, reference):
    f = Lowered(expr, (x,))
    values = f(np.array(points))
    assert values.shape == (len(points),)
    with mpmath.workdps(30):
        for point, value in zip(points, values):
            expected = reference(mpmath.mpf(point))
            assert abs(mpmath.im(expected)) <= 1e-25 * abs(expected)
            expected = float(mpmath.re(expected))
            assert value == pytest.approx(expected, rel=1e-12, abs=1e-300), (expr, point)


def test_a_complex_argument_goes_to_arb():
    f = Lowered(sp.gamma(z) + sp.erf(z), (z,))
    points = np.array([1 + 1j, -2.5 + 0.1j])
    values = f(points)
    with mpmath.workdps(30):
        for point, value in zip(points, values):
            expected = complex(mpmath.gamma(mpmath.mpc(point)) + mpmath.erf(mpmath.mpc(point)))
            assert abs(value - expected) < 1e-13 * abs(expected)


def test_nested_special_functions_and_a_grid():
    a = sp.Symbol("a", positive=True)
    f = Lowered(sp.gamma(sp.zeta(a + 1)) * sp.besselj(1, sp.sqrt(a)), (a,))
    grid = np.linspace(0.5, 4, 7)
    values = f(grid)
    with mpmath.workdps(30):
        for point, value in zip(grid, values):
            p = mpmath.mpf(point)
            assert value == pytest.approx(float(mpmath.gamma(mpmath.zeta(p + 1)) * mpmath.besselj(1, mpmath.sqrt(p))),
                                          rel=1e-12)


def test_a_cancellation_through_gamma_is_settled_by_the_guard():
    # gamma(1 + e) - 1 = -euler e + ... : double precision loses every digit at e = 1e-12,
    # the bound sees it, and the point is evaluated again in Arb balls.
    e = sp.Symbol("e", positive=True)
    f = Lowered((sp.gamma(1 + e) - 1) / e, (e,))
    value = f(np.array([1e-12]))[0]
    with mpmath.workdps(30):
        expected = float((mpmath.gamma(1 + mpmath.mpf(1e-12)) - 1) / mpmath.mpf(1e-12))
    assert value == pytest.approx(expected, rel=1e-12)


def test_a_pole_is_nan_not_a_number():
    f = Lowered(sp.gamma(x), (x,))
    values = f(np.array([-1.0, 2.0]))
    assert not np.isfinite(values[0]) and values[1] == 1.0


GAMMA_FILE = '''
import sympy as sp
from derive import Derivation

a = sp.Symbol("a", positive=True)
f = sp.Symbol("f", real=True)


def build():
    D = Derivation("gammatoy", title="a quantity with special functions")
    D.parameter(a)
    D.define("f-def", sp.Eq(f, sp.gamma(a) * sp.zeta(a + 1) + sp.besselj(0, a)))
    D.quantity("f", "f-def", (a,))
    return D


derivation = build()
'''


def test_derive_eval_a_quantity_with_gamma(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "gammatoy.py"
    path.write_text(GAMMA_FILE)
    code = main(["eval", str(path), "f", "a=0.5,3"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err and "internal error" not in err
    rows = [line.split(",") for line in out.strip().splitlines()]
    assert rows[0] == ["a", "f"]
    with mpmath.workdps(30):
        for a, value in rows[1:]:
            p = mpmath.mpf(float(a))
            assert float(value) == pytest.approx(float(mpmath.gamma(p) * mpmath.zeta(p + 1) + mpmath.besselj(0, p)),
                                                 rel=1e-13)
    code = main(["eval", str(path), "f", "a=-1,2"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.strip() == "derive: error: a=-1: a must be > 0"


@pytest.mark.parametrize("seed", [0])
def test_scipy_claims_hold_on_fresh_points(seed):
    """The claimed accuracy of scipy in its trusted region (derive.special.scipy_table), on
    points drawn again: each value within its own stated error of mpmath's."""
    from derive.special import SpecialFunction

    rng = np.random.default_rng(seed)
    a0, a1 = sp.Dummy("a0"), sp.Dummy("a1")
    samples = {
        sp.gamma(a0): [np.exp(rng.uniform(-30, 5, 40))],
        sp.zeta(a0): [1 + np.exp(rng.uniform(-20, 3, 40))],
        sp.besselj(a0, a1): [rng.uniform(0, 50, 40), np.exp(rng.uniform(-5, 6.9, 40))],
        sp.besselk(a0, a1): [rng.uniform(0, 50, 40), np.exp(rng.uniform(-5, 6.5, 40))],
        sp.erfc(a0): [rng.uniform(-5, 10, 40)],
        sp.erf(a0): [rng.uniform(-6, 6, 40)],
        sp.loggamma(a0): [np.exp(rng.uniform(-30, 30, 40))],
        sp.polygamma(a0, a1): [rng.integers(0, 6, 40).astype(float), np.exp(rng.uniform(-5, 5, 40))],
        sp.zeta(a0, a1): [1 + np.exp(rng.uniform(-20, 3, 40)), np.exp(rng.uniform(-6, 2.3, 40))],
        sp.bessely(a0, a1): [rng.uniform(0, 50, 40), np.exp(rng.uniform(-5, 6.9, 40))],
        sp.besseli(a0, a1): [rng.uniform(0, 50, 40), np.exp(rng.uniform(-5, 6.5, 40))],
        sp.beta(a0, a1): [np.exp(rng.uniform(-5, 4, 40)), np.exp(rng.uniform(-5, 4, 40))],
        sp.LambertW(a0): [rng.uniform(-0.36, 50, 40)],
    }
    mp_of = {sp.gamma: mpmath.gamma, sp.zeta: mpmath.zeta, sp.besselj: mpmath.besselj,
             sp.besselk: mpmath.besselk, sp.erfc: mpmath.erfc, sp.erf: mpmath.erf, sp.loggamma: mpmath.loggamma,
             sp.polygamma: mpmath.polygamma, sp.bessely: mpmath.bessely, sp.besseli: mpmath.besseli,
             sp.beta: mpmath.beta, sp.LambertW: mpmath.lambertw}
    for node, inputs in samples.items():
        special = SpecialFunction(node)
        values, errors = special.numpy(*inputs)
        with mpmath.workdps(30):
            for k in range(len(values)):
                expected = mp_of[node.func](*[mpmath.mpf(float(i[k])) for i in inputs])
                assert abs(values[k] - expected) <= errors[k], (node, [i[k] for i in inputs])


def test_a_pole_through_the_cli_is_one_warning_line_naming_the_parameters(capsys, tmp_path, monkeypatch):
    """scale = lam^(-1/alpha) gamma(1 + 1/alpha) gamma(1 - 1/alpha) has a pole at alpha = 1/2."""
    from tests.conftest import EXAMPLES

    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["eval", str(EXAMPLES / "spectral_mean.py"), "scale", "lam=0.1", "alpha=0.5,2"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.splitlines() == ["lam,alpha,scale", "0.1,0.5,nan", "0.1,2.0,4.96729413289805"]
    assert err.count("\n") == 1 and "lam=0.1, alpha=0.5" in err and "Traceback" not in err


def test_a_function_with_no_numeric_form_is_one_line():
    from derive.errors import UsageError

    with pytest.raises(UsageError, match="has airyai, a function derive cannot evaluate numerically"):
        Lowered(sp.airyai(x), (x,), name="q")
