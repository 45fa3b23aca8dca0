"""Spectral means over a given spectrum (derive.rmt.given): an array of eigenvalues, an algebraic
law (its Stieltjes transform, or a quadrature over its density), a law that is not algebraic
(a quadrature over its quantile), from Python and through `derive eval --spectrum`."""

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive.cli import main
from derive.errors import UsageError
from derive.lower import Lowered, lowered
from derive.rmt import SpectralMean
from derive.rmt.continuum import PowerLaw
from derive.rmt.expression import parse_law

r, x, y = sp.symbols("r x y", positive=True)
RESOLVENT = SpectralMean(1 / (r + x), r, "R")


def test_a_mean_over_eigenvalues_is_their_average_on_a_grid():
    rng = np.random.default_rng(1)
    eigenvalues = rng.exponential(size=300)
    f = Lowered(y * SpectralMean(1 / (r + x), r, "R"), (x, y), spectra={"R": eigenvalues})
    xs, ys = np.array([0.01, 0.5, 3.0])[:, None], np.array([1.0, 2.0])[None, :]
    values = f(xs, ys)
    expected = ys * np.mean(1 / (eigenvalues[None, None, :] + xs[..., None]), axis=-1)
    assert values.shape == (3, 2)
    np.testing.assert_allclose(values, expected, rtol=1e-14)


def test_a_mean_over_mp_is_its_stieltjes_transform():
    law = parse_law("mp(0.5)")
    f = Lowered(RESOLVENT, (x,), spectra={"R": "mp(0.5)"})
    xs = np.array([1e-3, 0.5, 2.0, 40.0])
    np.testing.assert_allclose(f(xs), law.stieltjes(-xs).real, rtol=1e-13)
    mean, = [node for node in sp.preorder_traversal(f.expr) if hasattr(node, "numeric_mean")]
    assert mean.numeric_mean((x,)).method == "curve"


def test_a_mean_over_a_power_law_is_its_stieltjes_transform():
    f = Lowered(RESOLVENT, (x,), spectra={"R": PowerLaw(0.5)})
    xs = np.array([1e-3, 0.5, 2.0, 40.0])
    np.testing.assert_allclose(f(xs), PowerLaw(0.5).stieltjes(-xs).real, rtol=1e-12)


def test_a_general_mean_over_mp_by_its_density():
    f = Lowered(SpectralMean(sp.exp(-x * r), r, "R"), (x,), spectra={"R": parse_law("mp(0.5)")})
    c = mpmath.mpf(0.5)
    a, b = (1 - mpmath.sqrt(c)) ** 2, (1 + mpmath.sqrt(c)) ** 2
    for point, value in zip([0.5, 2.0], f(np.array([0.5, 2.0]))):
        with mpmath.workdps(30):
            p = mpmath.mpf(point)
            expected = mpmath.quad(lambda t: mpmath.exp(-p * t) * mpmath.sqrt((b - t) * (t - a)) / (2 * mpmath.pi * c * t),
                                   [a, b])
        assert value == pytest.approx(float(expected), rel=1e-12)


def test_a_general_mean_over_a_law_with_an_atom_and_a_divergent_one():
    # mp(2): mass 1/2 at 0, and the density on [(1 - sqrt 2)^2, (1 + sqrt 2)^2]
    f = Lowered(SpectralMean(sp.exp(-x * r), r, "R"), (x,), spectra={"R": "mp(2)"})
    c = mpmath.mpf(2)
    a, b = (1 - mpmath.sqrt(c)) ** 2, (1 + mpmath.sqrt(c)) ** 2
    with mpmath.workdps(30):
        expected = 0.5 + mpmath.quad(lambda t: mpmath.exp(-t) * mpmath.sqrt((b - t) * (t - a)) / (2 * mpmath.pi * c * t),
                                     [a, b])
    assert f(1.0) == pytest.approx(float(expected), rel=1e-12)
    # E X^2 is infinite for powerlaw(1/2): the quadrature's tail says so, and the value is nan
    second = Lowered(SpectralMean(r**2, r, "R") + x, (x,), spectra={"R": "powerlaw(0.5)"})
    with pytest.warns(RuntimeWarning, match="could not settle"):
        assert np.isnan(second(1.0))
    assert Lowered(SpectralMean(r**2, r, "R") + x, (x,), spectra={"R": "powerlaw(0.3)"})(1.0) == pytest.approx(
        1 + 0.7**2 / 0.4, rel=1e-13)


def test_an_implicit_root_through_a_mean():
    """kappa = lam + kappa <R/(R + kappa)>/2 over eigenvalues, solved on a grid of lam."""
    from scipy.optimize import brentq

    from derive.solvers import MonotoneRoot
    from derive.rmt.given import specialise

    kappa, lam = sp.symbols("kappa lam", positive=True)
    eigenvalues = np.array([0.2, 0.5, 1.0, 3.0])
    residual = kappa - lam - kappa * SpectralMean(r / (r + kappa), r, "R") / 2
    root = MonotoneRoot(specialise(residual, {"R": eigenvalues}), kappa, (lam,), lower=lam, upper=1 + 2 * lam)
    f = Lowered(kappa, (lam,), implicit=[root])
    lams = np.array([1e-3, 0.1, 1.0])
    expected = [brentq(lambda k: k - lv - k * np.mean(eigenvalues / (eigenvalues + k)) / 2, lv, 10) for lv in lams]
    np.testing.assert_allclose(f(lams), expected, rtol=1e-12)
    with pytest.raises(UsageError, match="spectral mean over R"):
        Lowered(kappa, (lam,), implicit=[MonotoneRoot(residual, kappa, (lam,), lower=lam, upper=1 + 2 * lam)])


def test_a_cancellation_against_the_mean_is_settled_in_mpmath():
    # <1/(r + x)> - 1/(1 + x) over the single eigenvalue 1 is 0 exactly: double precision leaves
    # round-off, the bound sees it, and the sum is done again in mpmath.
    f = Lowered(RESOLVENT - 1 / (1 + x), (x,), spectra={"R": [1.0]})
    assert f(np.array([0.1, 0.3])).tolist() == [0.0, 0.0]


def test_a_mean_without_a_spectrum_is_one_line():
    with pytest.raises(UsageError, match="spectral mean over R: give its spectrum"):
        Lowered(RESOLVENT, (x,))
    with pytest.raises(UsageError, match="spectrum R=mp\\(: not numbers, a file or a law"):
        Lowered(RESOLVENT, (x,), spectra={"R": "mp("})


FILE = '''
import sympy as sp
from derive import Derivation
from derive.rmt import SpectralMean

r = sp.Symbol("r", positive=True)
x = sp.Symbol("x", positive=True)
g = sp.Symbol("g", real=True)


def build():
    D = Derivation("spectral-mean", title="a quantity with a spectral mean")
    D.parameter(x)
    D.define("g-def", sp.Eq(g, x * SpectralMean(1 / (r + x), r, "R")))
    D.quantity("g", "g-def", (x,))
    return D


derivation = build()
'''


@pytest.fixture
def spectral_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "spectral.py"
    path.write_text(FILE)
    return str(path)


def _values(out):
    lines = out.strip().splitlines()
    assert lines[0] == "x,g"
    return [float(line.split(",")[1]) for line in lines[1:]]


def test_derive_eval_with_a_spectrum(capsys, spectral_file, tmp_path):
    eigenvalues = np.array([0.5, 1.0, 4.0])
    np.save(tmp_path / "eig.npy", eigenvalues)
    expected = [xv * np.mean(1 / (eigenvalues + xv)) for xv in (0.5, 1.0)]
    for spectrum in ("R=0.5,1,4", f"R={tmp_path / 'eig.npy'}"):
        code = main(["eval", spectral_file, "g", "x=0.5,1", "--spectrum", spectrum])
        out, err = capsys.readouterr()
        assert code == 0 and err == "", err
        assert _values(out) == pytest.approx(expected, rel=1e-15)
    code = main(["eval", spectral_file, "g", "x=0.5,1", "--spectrum", "R=mp(0.5)"])
    out, err = capsys.readouterr()
    assert code == 0 and err == "", err
    law = parse_law("mp(0.5)")
    assert _values(out) == pytest.approx((np.array([0.5, 1.0]) * law.stieltjes(np.array([-0.5, -1.0])).real).tolist(),
                                         rel=1e-13)
    python = lowered(spectral_file, "g", spectra={"R": "mp(0.5)"})
    assert python(x=0.5) == pytest.approx(_values(out)[0], rel=1e-15)


def test_derive_eval_refuses_a_missing_or_unknown_spectrum(capsys, spectral_file):
    code = main(["eval", spectral_file, "g", "x=1"])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "--spectrum R=" in err
    code = main(["eval", spectral_file, "g", "x=1", "--spectrum", "S=1,2"])
    _, err = capsys.readouterr()
    assert code == 2 and err.strip() == "derive: error: --spectrum S: g has no spectral mean over S (its means are over R)"
    code = main(["eval", spectral_file, "g", "x=1", "--spectrum", "R=1,nan"])
    _, err = capsys.readouterr()
    assert code == 2 and err.startswith("derive: error: spectrum R:") and err.count("\n") == 1
