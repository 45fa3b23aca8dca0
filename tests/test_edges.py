"""Numerics at the edges of the domain (issue 13): the rounding-error bound of derive.roundoff, the
mpmath path it sends points to, the laws' Stieltjes branch next to an atom, and the declared
ranges of quantities.  The reference values are the same expressions in mpmath at 1500 digits
(no error control: far more digits than any cancellation here needs)."""

import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from derive import Derivation
from derive.cli import main
from derive.errors import InternalError
from derive.lower import lower_quantity, lowered
from derive.roundoff import ErrorBound, relative
from derive.rmt import algebraic, marchenko_pastur
from derive.solvers import MonotoneRoot

#: Digits of the reference evaluations.
DPS = 1500


def reference(f, *point):
    return complex(f.reference(*point, dps=DPS))


def close(value, expected, rel=1e-12):
    return abs(complex(value) - expected) <= rel * abs(expected)


# ---- the points the issue reports -------------------------------------------------------------

@pytest.mark.slow  # 35 s: lowers lu2025 e_idg and evaluates it at 1500 digits
def test_e_idg_at_tiny_kappa_is_the_root_of_the_uncancelled_residual():
    # kappa = 1e-16: 1 - 1/kappa cancels in the residual, so the double-precision root was wrong
    # (0.1708 for 0.1758) and e_idg came out -0.391.
    e_idg = lowered("lu2025", "e_idg")
    point = (1.0, 1e-16, 2.0, 0.1, 0.1)
    value = float(e_idg(*point))
    assert value > 0 and close(value, reference(e_idg, *point))
    assert value == pytest.approx(0.159162000771566, rel=1e-12)


@pytest.mark.parametrize("point", [(1e-100, 0.5, 0.5, 0.01, 0.0), (1e-100, 0.5, 2.0, 0.01, 0.1),
                                   (1.0, 1e300, 2.0, 0.1, 0.1), (1e300, 1e-300, 0.5, 1e300, 1e-300)])
def test_e_icl_at_extreme_alpha_and_kappa_is_the_mpmath_value(point):
    e_icl = lowered("lu2025", "e_icl")
    value = float(e_icl(*point))
    assert math.isfinite(value) and value >= 0
    assert close(value, reference(e_icl, *point))


def test_mp_M_where_double_precision_overflows_or_cancels():
    M = lowered("marchenko-pastur", "M")
    # kappa = 1e-300: (1/kappa)**2 overflows; the limit kappa -> 0 is 1/x
    assert float(M(1e-300, 1.0)) == pytest.approx(1.0, rel=1e-14)
    # x = 1e-15 at kappa = 1: x + sqrt(x^2 + 4x) loses digits; before, 8e-4 off
    value = float(M(1.0, 1e-15))
    assert close(value, reference(M, 1.0, 1e-15))
    assert value == pytest.approx(2 / (1e-15 + math.sqrt(1e-30 + 4e-15)), rel=1e-14)


@pytest.mark.parametrize("c", [0.5, 2.0])
def test_mp_stieltjes_far_out_has_the_sign_of_minus_one_over_z(c):
    m = lowered("marchenko-pastur", "m")
    values = m(c=c, z=np.array([-1e18, 1e18]))
    assert values[0].real > 0 and values[1].real < 0
    assert np.allclose(values, [1e-18, -1e-18], rtol=1e-12)


def test_semicircle_far_out_is_minus_one_over_z():
    m = lowered("docs/examples/semicircle.py", "m")
    assert complex(m(z=-1e18)) == pytest.approx(1e-18, rel=1e-12)


def test_a_grid_of_ordinary_points_is_untouched_by_the_guard():
    # the guard only adds the bound: where it is small the values are the double-precision ones
    # (its own evaluation of the expression, in its own order of operations)
    e_icl = lowered("lu2025", "e_icl")
    rng = np.random.default_rng(0)
    points = (np.exp(rng.uniform(-1.6, 3.9, 500)), np.exp(rng.uniform(-2.3, 2.3, 500)),
              np.exp(rng.uniform(-2.3, 1.6, 500)), rng.uniform(0, 1, 500), np.exp(rng.uniform(-6.9, 1.1, 500)))
    assert np.allclose(e_icl.evaluate(*points), e_icl.evaluate(*points, guard=False), rtol=1e-12, atol=0)


# ---- the laws' branch next to an atom ---------------------------------------------------------

def test_mp2_next_to_its_atom_is_on_the_atom_branch():
    # MP(2) has mass 1/2 at 0: m(z) ~ -1/(2z), the larger root.  Stopping the path at height
    # 1e-9 took the other root, -1.00000001.
    law = marchenko_pastur(sp.Rational(2))
    points = [1e-8, -1e-8, 1e-8 + 1e-20j, 1e-140]
    coefficients = sp.Poly(law.curve, algebraic.m).all_coeffs()
    for at, value in zip(points, law.stieltjes(np.array(points))):
        with mpmath.workdps(60):
            a, b, c = (mpmath.mpmathify(complex(c.subs(algebraic.z, at))) for c in coefficients)
            atom_root = complex((-b - mpmath.sqrt(b * b - 4 * a * c)) / (2 * a))  # the larger one, as b ~ 1
        assert abs(value - atom_root) <= 1e-9 * abs(atom_root), (at, value, atom_root)


def test_a_point_past_double_precision_next_to_an_atom_is_one_line(capsys):
    code = main(["law", "mp(2)", "--stieltjes=1e-300"])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.strip().splitlines() == [err.strip()] and "atom at 0" in err and "1e-300" in err


# ---- the bound itself ------------------------------------------------------------------------

k = sp.Symbol("k", positive=True)


def test_the_bound_flags_cancellation_and_overflow_and_not_exact_points():
    bound = ErrorBound(sp.sqrt(1 + k**2) - 1, (k,))
    value, error = bound([np.array([0.5, 1e-9, 1e200])], [0.0])
    ratio = relative(value, error)
    assert ratio[0] < 1e-14           # no cancellation
    assert ratio[1] == np.inf         # sqrt(1 + 1e-18) - 1 = 0 in double: nothing is right
    assert ratio[2] == np.inf         # k**2 overflows
    product = ErrorBound(2 * k, (k,))
    assert relative(*product([np.array([3.0])], [0.0]))[0] <= 2.0 ** -53   # one rounding at most


def test_the_bound_flags_numpys_negative_zero_on_the_cut():
    z = sp.Symbol("z")
    bound = ErrorBound(sp.sqrt(z), (z,))
    _, error = bound([np.array([-4 + 0j, complex(-4, -0.0), -4 + 1e-30j])], [0.0])
    assert error[0] < 1e-14 and error[1] == np.inf and error[2] < 1e-14


def test_a_root_whose_residual_cancels_has_an_infinite_bound():
    u, a = sp.symbols("u a", positive=True)
    # (u + a) - a - 1/2 = u - 1/2 as written: at a = 1e17, a + u is a only
    root = MonotoneRoot(sp.Add(u, a, -a, -sp.Rational(1, 2), evaluate=False), u, (a,), lower=0, upper=1)
    _, error = root.solve(np.array([1.0, 1e17]))
    assert error[0] < 1e-12 and error[1] > 1e-3


# ---- declared ranges -------------------------------------------------------------------------

NEGATIVE = '''
import sympy as sp
from derive import Derivation
x = sp.Symbol("x", positive=True)
f = sp.Symbol("f")
D = Derivation("negative", title="a value outside its declared range")
D.parameter(x, description="a parameter")
D.define("f-def", sp.Eq(f, -x))
D.quantity("f", "f-def", (x,), range=(0, None), description="declared nonnegative, and it is not")
derivation = D
'''


def test_a_value_outside_the_declared_range_is_an_internal_error(tmp_path, capsys):
    path = tmp_path / "negative.py"
    path.write_text(NEGATIVE)
    code = main(["eval", str(path), "f", "x=1"])
    out, err = capsys.readouterr()
    assert code == 3 and out == ""
    assert "internal error" in err and "f = -1.0 at x=1" in err and "[0, inf]" in err


def test_a_range_must_be_a_pair_of_numbers():
    D = Derivation("r")
    x, f = sp.Symbol("x", positive=True), sp.Symbol("f")
    D.parameter(x)
    D.define("f-def", sp.Eq(f, x))
    with pytest.raises(Exception, match="range"):
        D.quantity("f", "f-def", (x,), range=(1, 0))
    D.quantity("f", "f-def", (x,), range=(0, None))
    with pytest.raises(InternalError):
        lower_quantity(D, "f").evaluate(np.array([-1.0]))


def test_the_shipped_errors_declare_their_range():
    assert lowered("lu2025", "e_icl").range == (0.0, None)
    assert lowered("marchenko-pastur", "M_prime").range == (None, 0.0)


# ---- the whole domain, against the mpmath path -----------------------------------------------

def magnitudes(low=-300, high=300):
    """Log-uniform magnitudes 10^low ... 10^high."""
    return st.floats(low, high).map(lambda e: 10.0 ** e)


def check_against_reference(f, point, allowed=1e-9):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = complex(f(*point))
    try:
        expected = reference(f, *point)
    except (ArithmeticError, ValueError, mpmath.libmp.NoConvergence):
        expected = complex(math.nan)
    if not (cmath_isfinite(expected) and abs(expected) < np.finfo(float).max):
        assert not cmath_isfinite(got), (point, got, expected)   # refused, never a number
        return got
    assert cmath_isfinite(got), (point, got, expected)
    assert abs(got - expected) <= allowed * abs(expected) + 1e-300, (point, got, expected)
    if f.range is not None and f.range[0] is not None:
        assert got.real >= f.range[0]
    return got


def cmath_isfinite(value):
    return math.isfinite(value.real) and math.isfinite(value.imag)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(magnitudes(), magnitudes())
def test_mp_M_and_its_derivative_over_the_whole_domain(kappa, x):
    check_against_reference(lowered("marchenko-pastur", "M"), (kappa, x))
    check_against_reference(lowered("marchenko-pastur", "M_prime"), (kappa, x))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(magnitudes(), magnitudes(), st.sampled_from([-1, 1]), st.one_of(st.just(0.0), magnitudes()),
       st.sampled_from([-1, 1]))
def test_mp_stieltjes_over_the_whole_plane(c, size, sign, height, side):
    # height 0 with side -1 is z = x - 0j: numpy's -0 must not put a square root on the other side
    check_against_reference(lowered("marchenko-pastur", "m"), (c, complex(sign * size, side * height)))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(magnitudes(), st.one_of(magnitudes(), st.just(math.inf)), magnitudes(),
       st.one_of(st.just(0.0), magnitudes()), st.one_of(st.just(0.0), magnitudes()),
       st.sampled_from(["e_icl", "e_idg"]))
def test_lu2025_errors_over_the_whole_domain(alpha, kappa, tau, rho, lam, name):
    if lam == 0 and tau == 1:
        return  # the interpolation threshold: a forbidden combination
    check_against_reference(lowered("lu2025", name), (alpha, kappa, tau, rho, lam))


def test_a_value_beyond_double_range_is_nan_with_one_line(capsys):
    # M(0.5, x) ~ 1/(2x): at x = 1e-320 it is 5e319, which no double holds
    code = main(["eval", "marchenko-pastur", "M", "kappa=0.5", "x=1e-308,1e-320"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.splitlines()[1:] == ["0.5,1e-308,5e+307", "0.5,1e-320,nan"]
    assert len(err.strip().splitlines()) == 1 and "beyond double precision" in err
    assert main(["eval", "marchenko-pastur", "M", "kappa=0.5", "x=1e-320", "--strict"]) == 2
