"""Laws that are not algebraic (derive.rmt.continuum) and the free product with MP by Silverstein's
equation (derive.rmt.silverstein): against mpmath, finite spectra, Monte Carlo and the algebraic path."""

import mpmath as mp
import numpy as np
import pytest

from derive.cli import main
from derive.rmt import marchenko_pastur, semicircle, spectrum
from derive.rmt.continuum import Affine, DensityLaw, Eigenvalues, PowerLaw, QuantileLaw, joint_mean
from derive.rmt.expression import parse_law
from derive.quadrature import TanhSinh
from derive.rmt.sampling import check_by_simulation
from derive.rmt.continuum import stieltjes_and_derivative
from derive.rmt.silverstein import alignment_means, task_resolvent

# Off the support, near it (1e-3 above the edge 1 - p, and 1e-9 above a point inside) and on it.
POINTS = [-1e-3, -0.3, -40.0, 0.2 + 0.1j, 1 + 1j, -2 + 3j, 30 + 0.5j, 0.4j, 2 + 1e-9j]


def _hyp2f1_stieltjes(p, z, derivative=0):
    """m(z) = 2F1(1, 1 + 1/p; 2 + 1/p; z/(1 - p))/((1 - p)(1 + p)) at 30 digits; m' from
    d/dw 2F1(1, b; b + 1; w) = (b/(b + 1)) 2F1(2, b + 1; b + 2; w)."""
    with mp.workdps(30):
        p, z = mp.mpf(p), mp.mpc(z)
        b, w = 1 + 1 / p, z / (1 - p)
        if derivative == 0:
            value = mp.hyp2f1(1, b, b + 1, w)
        else:
            value = b / (b + 1) * mp.hyp2f1(2, b + 1, b + 2, w) / (1 - p)
        return complex(value / ((1 - p) * (1 + p)))


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_powerlaw_stieltjes_is_the_hypergeometric_closed_form(p):
    # The claim of the issue, checked at 30 digits; the first Taylor region |z| <= (1 - p)/2,
    # Euler's integral elsewhere, the pole subtracted near the support.
    law = PowerLaw(p)
    points = POINTS + [1 - p + 1e-3j]
    for k in (0, 1):
        got = law.stieltjes(np.array(points), derivative=k)
        want = np.array([_hyp2f1_stieltjes(p, z, k) for z in points])
        assert np.max(np.abs(got - want) / np.abs(want)) < 1e-12


def test_powerlaw_branch_and_real_values():
    law = PowerLaw(0.5)
    m = law.stieltjes(np.array([1 + 1e-6j, 3 + 0.1j, -5.0, 3.0]))
    assert np.all(m[:2].imag > 0)
    assert m[2].imag == 0 and m[2].real > 0
    # On the support, the limit from above: Im m = pi * density.
    assert m[3].imag == pytest.approx(np.pi * law.density(np.array([3.0]))[0], rel=1e-12)
    # m ~ -1/z at infinity (the mean is 1, the next term -1/z^2 is not there: E X^2 = oo).
    assert law.stieltjes(np.array([1e8j]))[0] * 1e8j == pytest.approx(-1, abs=1e-4)


def test_powerlaw_moments_are_infinite_from_one_over_p():
    assert PowerLaw(0.3).moments(4) == pytest.approx([1, 1, 0.49 / 0.4, 0.343 / 0.1, np.inf])
    assert PowerLaw(0.5).moments(2)[2] == np.inf


def test_powerlaw_is_the_limit_of_the_normalised_power_law_spectrum():
    # (1 - p)(j/d)^{-p} is the quantile at the right end of the j-th of d cells: m_d - m is a
    # Riemann-sum error, O(1/d) for an integrand bounded by 1/dist(z, support).
    p, d = 0.6, 200_000
    spectrum_d = Eigenvalues((1 - p) * (np.arange(1, d + 1) / d) ** -p)
    points = np.array([-0.5, 0.1 + 0.3j, 2 + 1j])
    assert np.max(np.abs(spectrum_d.stieltjes(points) - PowerLaw(p).stieltjes(points))) < 5 / d


def test_tanh_sinh_with_endpoint_singularities():
    rule = TanhSinh()
    assert rule.integrate(lambda u, ubar: u**-0.9) == pytest.approx(10, rel=1e-13)
    assert rule.integrate(lambda u, ubar: ubar**-0.5 * u**0.5) == pytest.approx(np.pi / 2, rel=1e-13)
    assert rule.integrate(lambda u, ubar: 1 / (1 + 100 * u)) == pytest.approx(np.log(101) / 100, rel=1e-13)


def test_joint_means_of_power_laws_aligned_and_anti_aligned():
    # E[Q1(U) Q2(U)] = (1-p)(1-q)/(1 - p - q); E[Q1(U) Q2(1-U)] = (1-p)(1-q) B(1-p, 1-q).
    p, q = 0.45, 0.5
    a, b = PowerLaw(p), PowerLaw(q)
    aligned = joint_mean(lambda x, y: x * y, a, b)
    anti = joint_mean(lambda x, y: x * y, a, b, aligned=False)
    assert aligned == pytest.approx((1 - p) * (1 - q) / (1 - p - q), rel=1e-11)
    assert anti == pytest.approx((1 - p) * (1 - q) * float(mp.beta(1 - p, 1 - q)), rel=1e-13)


def test_joint_means_with_finite_spectra_are_exact_on_their_pieces():
    a, b = Eigenvalues([1.0, 2.0, 4.0], [0.5, 0.25, 0.25]), Eigenvalues([10.0, 20.0])
    # Pieces of U: (0, .5) -> (1, 10), (.5, .75) -> (2, 20), (.75, 1) -> (4, 20).
    assert joint_mean(lambda x, y: x * y, a, b) == pytest.approx(5 + 10 + 20)
    # Anti-aligned: (0, .5) -> (1, 20), (.5, .75) -> (2, 10), (.75, 1) -> (4, 10).
    assert joint_mean(lambda x, y: x * y, a, b, aligned=False) == pytest.approx(10 + 5 + 10)
    # A step law against a continuous one: E[1{U > 1/2} U] = 3/8 with Q_2 uniform.
    uniform = QuantileLaw(lambda u: u, support=(0, 1))
    half = Eigenvalues([0.0, 1.0])
    assert joint_mean(lambda x, y: x * y, half, uniform) == pytest.approx(3 / 8, rel=1e-13)
    assert joint_mean(lambda x, y: x * y, half, uniform, aligned=False) == pytest.approx(1 / 8, rel=1e-13)


def _mpmath_alignment_means(p, q, a, nu, aligned):
    """The three means at 30 digits, with u = v^20 at each end (mpmath's own tanh-sinh stops
    short of u^-0.9 singularities)."""
    with mp.workdps(30):
        p, q, a, nu = map(mp.mpf, (p, q, a, nu))
        top = mp.mpf(0.5) ** (mp.mpf(1) / 20)

        def integral(f):
            return (mp.quad(lambda v: f(v**20, 1 - v**20) * 20 * v**19, [0, top])
                    + mp.quad(lambda v: f(1 - v**20, v**20) * 20 * v**19, [0, top]))

        def means(u, ubar):
            ell = (1 - p) * ubar**-p
            t = (1 - q) * (ubar if aligned else u) ** -q
            return t / (a * ell + nu), t / (a * ell + nu) ** 2, t * ell / (a * ell + nu) ** 2

        return [float(integral(lambda u, ubar, k=k: means(u, ubar)[k])) for k in range(3)]


@pytest.mark.parametrize("aligned", [True, False])
def test_alignment_means_against_mpmath(aligned):
    p, q = 0.5, 0.9
    a, nu = np.array([0.5, 1e-3, 0.9]), np.array([0.1, 1e-3, 10.0])
    got = np.array(alignment_means(PowerLaw(p), PowerLaw(q), a, nu, aligned))
    want = np.array([_mpmath_alignment_means(p, q, x, y, aligned) for x, y in zip(a, nu)]).T
    assert np.max(np.abs(got - want) / np.abs(want)) < 1e-11


def _mp_density_law(c):
    lower, upper = (1 - np.sqrt(c)) ** 2, (1 + np.sqrt(c)) ** 2
    return DensityLaw(lambda x: np.sqrt((upper - x) * (x - lower)) / (2 * np.pi * c * x), lower, upper)


def test_density_law_of_marchenko_pastur_matches_the_algebraic_law():
    law = _mp_density_law(0.25)
    assert law.moments(3) == pytest.approx([1, 1, 1.25, 1 + 3 * 0.25 + 0.25**2], rel=1e-12)
    points = np.array([-0.5, -1e-2, 0.5 + 0.5j, 2 + 1j])
    algebraic = marchenko_pastur(0.25).stieltjes(points)
    assert np.max(np.abs(law.stieltjes(points) - algebraic)) < 1e-12
    # The quantile inverts the distribution function.
    u = np.array([1e-6, 0.3, 0.5, 0.999])
    assert law.cdf(law.quantile(u)) == pytest.approx(u, rel=1e-12)


@pytest.mark.parametrize("kappa, laws", [
    (0.5, "density"), (2.0, "density"), (1.5, "eigenvalues"), (4.0, "eigenvalues")])
def test_task_resolvent_agrees_with_the_algebraic_free_product(kappa, laws):
    # M = m_S(-nu) and M' = dM/dnu = -m_S'(-nu) for S = C * mp(1/kappa): C = MP(1/4) given by its
    # density, and a two-atom spectrum given by eigenvalues, against the curve of the algebraic
    # free product (m_S' = -P_z/P_m on it).  The two-atom case keeps kappa > 1: with an atom at 0
    # (kappa < 1) the algebraic engine's atom search does not finish its continuation to 1e-7 i.
    nu = np.array([0.05, 0.5, 3.0])
    numeric, algebraic = {"density": (_mp_density_law(0.25), marchenko_pastur(0.25)),
                          "eigenvalues": (Eigenvalues([0.5, 1.5]), spectrum([0.5, 1.5]))}[laws]
    product = algebraic * marchenko_pastur(1 / kappa)
    result = task_resolvent(numeric, kappa, nu)
    m, slope = stieltjes_and_derivative(product, -nu + 0j)
    assert result.M == pytest.approx(m.real, rel=1e-11)
    assert result.M_prime == pytest.approx(-slope.real, rel=1e-10)
    assert result.a == pytest.approx(1 - 1 / kappa + nu * result.M / kappa, rel=1e-13)
    # The same solver given the algebraic law of C itself.
    same = task_resolvent(algebraic, kappa, nu)
    assert same.M == pytest.approx(result.M, rel=1e-12) and same.M_prime == pytest.approx(result.M_prime, rel=1e-11)


def test_free_product_off_the_axis_and_density_agree_with_the_algebraic_path():
    numeric = _mp_density_law(0.25) * marchenko_pastur(0.5)
    algebraic = marchenko_pastur(0.25) * marchenko_pastur(0.5)
    points = np.array([0.5 + 0.5j, 1 + 0.1j, 3 + 0.01j, -1 + 1j])
    assert np.max(np.abs(numeric.stieltjes(points) - algebraic.stieltjes(points))) < 1e-12
    xs = np.array([0.1, 1.0, 2.5])
    assert numeric.density(xs) == pytest.approx(algebraic.density(xs), abs=1e-10)
    assert numeric.moments(3) == pytest.approx([float(v) for v in algebraic.moments(3)], rel=1e-12)


def test_powerlaw_free_product_against_random_matrices():
    # (1/N) tr (S - z)^-1 at N = 50, 100, 200 (10 trials), extrapolated in 1/N: a right law is
    # within 4 standard errors; the same points for powerlaw(0.5) * mp(0.6) are more than 10 off.
    law = parse_law("powerlaw(0.5) * mp(0.5)")
    points = [-0.2, 1 + 1j, -1 + 2j]
    rows = check_by_simulation(law, points, sizes=(50, 100, 200), trials=10, seed=0)
    assert max(row.deviation for row in rows) < 4
    wrong = parse_law("powerlaw(0.5) * mp(0.6)").stieltjes(np.array(points))
    assert max(abs(row.extrapolated - w) / row.se for row, w in zip(rows, wrong)) > 10


def test_powerlaw_product_density_integrates_to_one():
    law = PowerLaw(0.3) * marchenko_pastur(0.5)
    # The mass beyond x = 20 is about P(C > 20) E W^(1/p) ~ (0.7/20)^(1/0.3) * 2 ~ 3e-5; the
    # trapezoidal rule at step 0.02 errs by ~ h^(3/2) at the two square-root edges, ~ 3e-3.
    xs = np.linspace(0, 20, 1001)
    assert np.trapezoid(law.density(xs), xs) == pytest.approx(1, abs=5e-3)


def test_bad_input_is_one_line():
    with pytest.raises(ValueError, match=r"powerlaw\(p\): the exponent p must be in \(0, 1\), got 1"):
        PowerLaw(1)
    with pytest.raises(ValueError, match="integrates to"):
        DensityLaw(lambda x: np.ones_like(x), 0, 2)
    with pytest.raises(ValueError, match="nu must be finite and > 0"):
        task_resolvent(PowerLaw(0.5), 1.0, np.array([0.1, -1.0]))
    with pytest.raises(ValueError, match="kappa must be finite and > 0"):
        task_resolvent(PowerLaw(0.5), np.nan, 0.1)
    with pytest.raises(ValueError, match="only the product with mp"):
        parse_law("powerlaw(0.5) * semicircle(1)")
    with pytest.raises(ValueError, match="a law divided by a law"):
        parse_law("powerlaw(0.5)") / parse_law("mp(1)")
    with pytest.raises(ValueError, match="the factor must be nonzero"):
        Affine(PowerLaw(0.5), 0)


@pytest.mark.slow  # 13 CPU s
def test_free_sums_agree_with_the_algebraic_path():
    # MP(1/4) given by its density, and two atoms given by eigenvalues, each plus a semicircle:
    # m off the axis, the density on it (inside the support, in the gaps, outside), the moments.
    cases = [(_mp_density_law(0.25) + semicircle(0.5), marchenko_pastur(0.25) + semicircle(0.5),
              np.linspace(-2, 4, 13)),
             (Eigenvalues([0.5, 1.5]) + semicircle(0.1), spectrum([0.5, 1.5]) + semicircle(0.1),
              np.array([0.3, 0.6, 0.9, 1.4, 1.6, 2.0]))]
    points = np.array([-0.3, 1 + 0.5j, 2 + 0.05j, 0.5 + 1e-3j])
    for numeric, algebraic, xs in cases:
        assert np.max(np.abs(numeric.stieltjes(points) - algebraic.stieltjes(points))) < 1e-12
        assert numeric.density(xs) == pytest.approx(algebraic.density(xs), abs=1e-12)
        assert numeric.moments(4) == pytest.approx([float(v) for v in algebraic.moments(4)], rel=1e-12)


@pytest.mark.slow  # 7 CPU s
def test_free_sum_derivative_and_moments_with_a_power_law():
    law = parse_law("mp(0.5) - powerlaw(0.3)")
    # Free cumulants add: mean 1 - 1, variance 0.5 + (1.225 - 1); E X^4 is infinite (1/p < 4).
    assert law.moments(4)[:3] == pytest.approx([1, 0, 0.725], abs=1e-12)
    assert law.moments(4)[4] == np.inf
    z, h = np.array([0.5 + 0.7j]), 1e-5
    # A central difference: error ~ h^2 |m'''| ~ 1e-10, round-off 1e-16/h ~ 1e-11.
    slope = (law.stieltjes(z + h) - law.stieltjes(z - h)) / (2 * h)
    assert abs(law.stieltjes(z, derivative=1)[0] - slope[0]) < 1e-8


def test_powerlaw_free_sum_against_random_matrices():
    law = parse_law("powerlaw(0.5) + semicircle(0.5)")
    rows = check_by_simulation(law, [-1 + 0.5j, 1 + 1j, 3 + 0.5j], sizes=(50, 100, 200), trials=10, seed=0)
    assert max(row.deviation for row in rows) < 4


def test_affine_images_of_a_power_law():
    law = PowerLaw(0.4)
    flipped = 1 - 2 * law                     # the law of 1 - 2X: quantile 1 - 2 Q(1 - u)
    u = np.array([0.1, 0.5, 0.9])
    assert flipped.quantile(u) == pytest.approx(1 - 2 * law.quantile(1 - u), rel=1e-14)
    assert flipped.moments(2) == pytest.approx([1, -1, 1 - 4 + 4 * 0.36 / 0.2], rel=1e-13)
    z = np.array([-1 + 0.5j, 3.0])
    assert flipped.stieltjes(z) == pytest.approx(law.stieltjes((z - 1) / -2) / -2, rel=1e-14)
    # Anti-aligned with itself is aligned with its reflection.
    f = lambda x, y: x * y
    assert joint_mean(f, law, -law) == pytest.approx(-joint_mean(f, law, law, aligned=False), rel=1e-12)


def test_law_command_for_powerlaw(capsys):
    assert main(["law", "powerlaw(0.3)", "--moments", "4", "--stieltjes=-0.1,2+1j"]) == 0
    out = capsys.readouterr().out
    assert "curve: none (not algebraic)" in out
    # (1 - p)^k/(1 - kp): 1.225, 3.43, then infinite from k = 4 > 1/p.
    assert "mu_2 = 1.225\n" in out and "mu_3 = 3.43\n" in out and "mu_4 = inf (E X^4 is infinite)" in out
    value = PowerLaw(0.3).stieltjes(np.array([-0.1]))[0].real
    assert f"m(-0.1) = {value:.15g} + 0i" in out


def test_law_command_for_a_powerlaw_product_density(tmp_path, capsys):
    target = tmp_path / "density.csv"
    assert main(["law", "powerlaw(0.5) * mp(0.5)", "--density", "0.5:2:4", "-o", str(target)]) == 0
    rows = np.loadtxt(target, delimiter=",", skiprows=1)
    law = PowerLaw(0.5) * marchenko_pastur(0.5)
    assert rows[:, 1] == pytest.approx(law.density(rows[:, 0]), rel=1e-12)


@pytest.mark.parametrize("argv, message", [
    (["powerlaw(1.5)"], "powerlaw(p): the exponent p must be in (0, 1), got 1.5"),
    (["powerlaw(p)", "p=0.5"], "give p a number"),
    (["powerlaw(0.5)", "--cumulants", "2"], "--cumulants: powerlaw(0.5) is not algebraic"),
    (["powerlaw(0.5)", "--check"], "--check: powerlaw(0.5) has no random matrix model"),
    (["powerlaw(0.5) * semicircle(1)"], "only the product with mp(c) is implemented"),
])
def test_law_command_refuses_in_one_line(argv, message, capsys):
    assert main(["law", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("law", [PowerLaw(0.05), PowerLaw(0.95), Eigenvalues([0.0, 2.0])], ids=str)
def test_task_resolvent_over_extreme_grids(law):
    # kappa from 1e-4 to 1e4, nu from 1e-10 to 1e6: every point solved (the fixed point holds to
    # round-off), M > 0 and M' < 0; a low-rank C (an atom at 0) included.
    kappa, nu = np.meshgrid(np.geomspace(1e-4, 1e4, 9), np.geomspace(1e-10, 1e6, 9))
    r = task_resolvent(law, kappa, nu)
    assert np.all(r.M > 0) and np.all(r.M_prime < 0)
    m, _ = stieltjes_and_derivative(law, -nu / r.a + 0j)
    assert np.max(np.abs(r.M - m.real / r.a) / r.M) < 1e-14
    assert np.max(np.abs(r.a - (1 - 1 / kappa + nu * r.M / kappa)) / np.maximum(1, 1 / kappa)) < 1e-14


def test_quadrature_moments_say_infinite_rather_than_a_finite_sum():
    # powerlaw(p) given only by its quantile: E X^2 = 3.025 at p = 0.45 (the terms die out at
    # u = 1e-250), E X^3 and E X^2 at p = 0.5 diverge (the outermost terms do not die out).
    generic = QuantileLaw(lambda u, ubar: 0.55 * ubar**-0.45, support=(0.55, np.inf), two_sided=True)
    assert generic.moments(3)[:3] == pytest.approx([1, 1, 3.025], rel=1e-13)
    assert generic.moments(3)[3] == np.inf
    half = QuantileLaw(lambda u, ubar: 0.5 * ubar**-0.5, support=(0.5, np.inf), two_sided=True)
    assert half.moments(2)[2] == np.inf


def test_joint_means_of_a_density_law_through_its_quantile():
    law = _mp_density_law(0.25)
    # Aligned with itself: E X^2 = 1 + c.  Anti-aligned: E[Q(U) Q(1 - U)] < (E X)^2 = 1 (the
    # rearrangement inequality), and the same again from the cached inversion.
    assert joint_mean(lambda x, y: x * y, law, law) == pytest.approx(1.25, rel=1e-12)
    anti = joint_mean(lambda x, y: x * y, law, law, aligned=False)
    assert anti < 1 and joint_mean(lambda x, y: x * y, law, law, aligned=False) == anti


def test_product_with_an_atom_at_zero_against_random_matrices():
    # c = 2: S = C^1/2 W C^1/2 has half its eigenvalues at 0, m ~ -(1/2)/z near 0; the continuous
    # part of powerlaw(0.3) * mp(2) carries mass 1/2 (up to the tail beyond 20, ~1e-5).
    law = Eigenvalues([0.5, 1.5]) * marchenko_pastur(2.0)
    near_zero = law.stieltjes(np.array([1e-3 + 1e-3j]))[0]
    assert abs(near_zero * (1e-3 + 1e-3j) + 0.5) < 1e-2
    rows = check_by_simulation(law, [0.2 + 0.3j, -0.5, 1 + 0.5j], sizes=(50, 100, 200), trials=10, seed=1)
    assert max(row.deviation for row in rows) < 4
    xs = np.linspace(1e-4, 20, 801)
    assert np.trapezoid((PowerLaw(0.3) * marchenko_pastur(2.0)).density(xs), xs) == pytest.approx(0.5, abs=1e-3)


def test_symbolic_parameters_of_an_algebraic_operand_wait_for_values(capsys):
    law = parse_law("powerlaw(0.5) * mp(c) + semicircle(v)")
    assert [str(p) for p in law.parameters] == ["c", "v"]
    with pytest.raises(ValueError, match=r"symbolic parameters \(c, v\)"):
        law.stieltjes(np.array([1j]))
    given = law.subs({"c": 0.5, "v": 1})
    assert given.text == "powerlaw(0.5) * mp(0.5) + semicircle(1)"
    same = parse_law("powerlaw(0.5) * mp(0.5) + semicircle(1)")
    assert given.stieltjes(np.array([1 + 1j])) == pytest.approx(same.stieltjes(np.array([1 + 1j])), rel=1e-15)
    with pytest.raises(ValueError, match="has no parameter d"):
        law.subs({"d": 1})
    assert main(["law", "powerlaw(0.5) * mp(c)", "c=0.5", "--stieltjes=-0.1"]) == 0
    assert main(["law", "powerlaw(0.5) * mp(c)", "--moments", "2"]) == 2
    assert "give c values, e.g. c=0.5" in capsys.readouterr().err


def test_the_documented_example_runs_and_says_what_it_prints():
    import pathlib
    import re

    text = (pathlib.Path(__file__).parents[1] / "docs" / "free-probability.md").read_text()
    section = text[text.index("## Laws that are not algebraic"):text.index("## Limits")]
    code = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    scope = {}
    exec(compile(code, "docs/free-probability.md", "exec"), scope)
    # Two of the values the comments show.
    assert scope["law"].stieltjes(np.array([-0.1]))[0].real == pytest.approx(1.1607784, rel=1e-7)
    assert scope["r"].M == pytest.approx([5.4988, 2.9923, 1.8062], rel=1e-4)


def test_density_law_near_and_on_its_support():
    # MP(1/4) on [1/4, 9/4] (width 2): the rule is refined down to Im z = 0.003 (relative 0.0015),
    # and on the support the principal value holds; a point one ulp from a node, and the edges.
    law, algebraic = _mp_density_law(0.25), marchenko_pastur(0.25)
    xs = np.r_[np.linspace(0.05, 2.45, 25) + 0.013, 1.2500000000000002]
    for y in (0.01, 0.003, 0.0):
        z = xs + 1j * y
        assert np.max(np.abs(law.stieltjes(z) - algebraic.stieltjes(z))) < 1e-10
    # At the edges m is the double root of the curve, 4 and -4/3 (to 1e-7: the square-root
    # edge's own quadrature error).
    assert law.stieltjes(np.array([law.lower, law.upper]) + 0j) == pytest.approx([4, -4 / 3], rel=1e-7)
