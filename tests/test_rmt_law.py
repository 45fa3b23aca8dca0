"""The free-probability engine: curves, transforms, convolutions, branch, density, simulation.

The exact checks compare the engine (resultants of transform curves, series at infinity) with
formulas computed here another way: Narayana numbers, and the non-crossing-partition formulas
of free probability (Nica and Speicher, Lectures on the Combinatorics of Free Probability,
Lectures 11 and 14), enumerated by brute force.
"""

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.cli import main
from derive.rmt import algebraic, atom, marchenko_pastur, semicircle, spectrum
from derive.rmt.algebraic import r, s, w
from derive.rmt.expression import parse_law
from derive.rmt.sampling import check_by_simulation
from derive.rmt.series import series_root

c, c1, c2, v = sp.symbols("c c1 c2 v", positive=True)


# ---- non-crossing partitions, independently of the engine --------------------------------------


def _set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in _set_partitions(rest):
        yield [[first]] + partition
        for i in range(len(partition)):
            yield partition[:i] + [[first] + partition[i]] + partition[i + 1:]


def _non_crossing(partition):
    block = {x: i for i, b in enumerate(partition) for x in b}
    return not any(block[a] == block[c_] and block[b] == block[d] and block[a] != block[b]
                   for a, b, c_, d in itertools.combinations(sorted(block), 4))


def nc_partitions(n):
    return [sorted(sorted(b) for b in p) for p in _set_partitions(list(range(n))) if _non_crossing(p)]


def kreweras(partition, n):
    """K(pi) = pi^{-1} gamma, gamma = (0 1 ... n-1), the blocks of pi as increasing cycles."""
    inverse = {}
    for b in partition:
        for i, x in enumerate(b):
            inverse[b[(i + 1) % len(b)]] = x
    permutation = {i: inverse[(i + 1) % n] for i in range(n)}
    blocks, seen = [], set()
    for start in range(n):
        if start not in seen:
            cycle, x = [], start
            while x not in seen:
                seen.add(x)
                cycle.append(x)
                x = permutation[x]
            blocks.append(cycle)
    return blocks


def cumulants_from_moments(moments, count):
    """Free cumulants k_1..k_count from m_n = sum over NC(n) of prod k_|V|, solved in turn."""
    k = {}
    for n in range(1, count + 1):
        rest = sum(sp.Mul(*(k[len(b)] for b in p)) for p in nc_partitions(n) if len(p) > 1)
        k[n] = sp.expand(moments[n] - rest)
    return k


def moments_from_cumulants(k, n):
    return sp.expand(sum(sp.Mul(*(k[len(b)] for b in p)) for p in nc_partitions(n)))


def product_moment(ka, mb, n):
    """phi((ab)^n) = sum over NC(n) of kappa_pi[a] phi_K(pi)[b] for a, b free (Lecture 14)."""
    return sp.expand(sum(sp.Mul(*(ka[len(b)] for b in p)) * sp.Mul(*(mb[len(b)] for b in kreweras(p, n)))
                         for p in nc_partitions(n)))


def test_nc_partitions_are_catalan():
    assert [len(nc_partitions(n)) for n in range(1, 7)] == [1, 2, 5, 14, 42, 132]


# ---- exact ------------------------------------------------------------------------------------


def test_mp_moments_are_narayana_polynomials():
    narayana = [sum(sp.binomial(k, j) * sp.binomial(k, j - 1) / k * c**(j - 1) for j in range(1, k + 1))
                for k in range(1, 9)]
    moments = marchenko_pastur(c).moments(8)
    assert moments[0] == 1
    assert all(sp.expand(a - b) == 0 for a, b in zip(moments[1:], narayana))


def test_semicircle_moments_are_catalan_numbers():
    moments = semicircle(v).moments(8)
    assert moments[1::2] == [0] * 4
    assert [sp.simplify(moments[2 * k] / v**k) for k in range(5)] == [1, 1, 2, 5, 14]


def test_free_cumulants_of_the_named_laws():
    assert marchenko_pastur(c).free_cumulants(5) == [1, c, c**2, c**3, c**4]
    assert semicircle(v).free_cumulants(4) == [0, v, 0, 0]


def same_curve(P, Q, *variables):
    """P and Q define the same curve: their ratio is free of the variables."""
    return not sp.cancel(P / Q).free_symbols & set(variables)


def test_transform_curves_of_mp_and_semicircle():
    assert same_curve(marchenko_pastur(c).s_curve(), s * (1 + c * w) - 1, s, w)     # S = 1/(1 + c w)
    assert same_curve(marchenko_pastur(c).r_curve(), r * (1 - c * w) - 1, r, w)     # R = 1/(1 - c w)
    assert same_curve(semicircle(v).r_curve(), r - v * w, r, w)
    assert not same_curve(semicircle(v).r_curve(), r - 2 * v * w, r, w)


@pytest.mark.parametrize("law", [marchenko_pastur(c), marchenko_pastur(sp.Rational(1, 2)) * marchenko_pastur(sp.Rational(1, 4))],
                         ids=["mp(c)", "mp*mp"])
def test_eta_and_psi_curves_carry_the_moments(law):
    # psi(u) = sum_{k>=1} mu_k u^k and eta(gamma) = sum_k mu_k (-gamma)^k, from their own curves
    moments = law.moments(4)
    psi_series = series_root(law.psi_curve(), algebraic.psi, algebraic.u, 0, 4)
    eta_series = series_root(law.eta_curve(), algebraic.eta, algebraic.gamma, 1, 4)
    assert [sp.expand(a - b) for a, b in zip(psi_series[1:], moments[1:])] == [0] * 4
    assert [sp.expand(a - (-1)**k * b) for k, (a, b) in enumerate(zip(eta_series, moments))] == [0] * 5


def test_free_sum_moments_equal_the_cumulant_formula():
    law = marchenko_pastur(c1) + semicircle(v)
    ka = cumulants_from_moments(marchenko_pastur(c1).moments(6), 6)
    kb = cumulants_from_moments(semicircle(v).moments(6), 6)
    total = {n: ka[n] + kb[n] for n in ka}
    moments = law.moments(6)
    assert all(sp.expand(moments[n] - moments_from_cumulants(total, n)) == 0 for n in range(1, 7))


def test_free_product_moments_equal_the_kreweras_formula():
    a, b = marchenko_pastur(c1), marchenko_pastur(c2)
    ka = cumulants_from_moments(a.moments(5), 5)
    mb = dict(enumerate(b.moments(5)))
    moments = (a * b).moments(5)
    assert all(sp.expand(moments[n] - product_moment(ka, mb, n)) == 0 for n in range(1, 6))


rationals = st.fractions(min_value=sp.Rational(1, 8), max_value=4, max_denominator=8).map(sp.Rational)


@settings(max_examples=6, deadline=None)
@given(ratio=rationals, x=rationals, weight=st.sampled_from([sp.Rational(1, 4), sp.Rational(1, 2), 1]),
       shift=st.integers(-2, 2))
def test_convolutions_of_random_laws_match_free_cumulants(ratio, x, weight, shift):
    a, b = marchenko_pastur(ratio), atom(x, weight) + shift
    ka, kb = (cumulants_from_moments(law.moments(4), 4) for law in (a, b))
    total = {n: ka[n] + kb[n] for n in ka}
    assert (a + b).moments(4)[1:] == [moments_from_cumulants(total, n) for n in range(1, 5)]
    if b.positive and b.mean != 0:
        mb = dict(enumerate(b.moments(4)))
        assert (a * b).moments(4)[1:] == [product_moment(ka, mb, n) for n in range(1, 5)]


def test_inverse_of_mp_has_the_inverse_wishart_moments():
    moments = marchenko_pastur(c).subs({c: sp.Rational(1, 4)}).inverse().moments(2)
    assert moments[1:] == [sp.Rational(4, 3), sp.Rational(64, 27)]   # 1/(1-c), 1/(1-c)^3


def test_scaling_and_shift_act_on_the_moments():
    law = 3 * marchenko_pastur(c) - 2
    assert sp.expand(law.moments(2)[2] - (9 * (1 + c) - 12 + 4)) == 0


# ---- numeric ------------------------------------------------------------------------------------


LAWS = {
    "mp(2)": 1 / sp.Integer(2),                           # the atom at 0 carries 1/2
    "mp(1/2) * mp(1/4)": 0,
    "semicircle(1) + mp(1/2)": 0,
    "atom(2, 0.3) * mp(0.5)": sp.Rational(7, 10),
    "inv(mp(0.25))": 0,
    "spectrum(1, 0.25, 2, 0.25, 4, 0.5) + semicircle(0.05)": 0,
}


def _integrate(law, power=0):
    """The integral of x^power times the density over the support, with x = a + (b-a)(1-cos t)/2,
    which makes the square-root edges smooth."""
    total = 0.0
    t = np.linspace(0, np.pi, 401)   # spectrally accurate: 401 points give 1e-15 on every law below
    for a, b in law.support():
        a, b = float(a), float(b)
        x = a + (b - a) * (1 - np.cos(t)) / 2
        total += np.trapezoid(law.density(x) * x**power * (b - a) * np.sin(t) / 2, t)
    return total


#: 17 CPU s: three atoms plus a semicircle of variance 0.05, three narrow bands whose density is followed.
SLOW_LAWS = {"spectrum(1, 0.25, 2, 0.25, 4, 0.5) + semicircle(0.05)"}


@pytest.mark.parametrize("text", [pytest.param(t, marks=pytest.mark.slow) if t in SLOW_LAWS else t
                                  for t in sorted(LAWS)])
def test_density_integrates_to_one_minus_the_atoms(text):
    law = parse_law(text)
    atoms = law.atoms()
    assert sum(weight for _, weight in atoms) == LAWS[text]
    assert _integrate(law) == pytest.approx(1 - float(LAWS[text]), abs=1e-6)
    mean = _integrate(law, 1) + sum(float(x * weight) for x, weight in atoms)
    assert mean == pytest.approx(float(law.mean), abs=1e-6)


def test_mp_support_edges_are_exact():
    (a, b), = marchenko_pastur(sp.Rational(1, 2)).support()
    assert sp.simplify(a - (1 - 1 / sp.sqrt(2))**2) == 0 and sp.simplify(b - (1 + 1 / sp.sqrt(2))**2) == 0


def test_branch_of_a_degree_four_curve_is_the_stieltjes_transform():
    # Atoms plus a semicircle of variance v: a curve of degree 5 in m, where no formula picks the
    # root.  Independently, the subordination (Pastur) equation m(z) = sum_i w_i/(x_i - z - v m(z))
    # solved by damped fixed-point iteration in the upper half plane gives the same branch.
    values, weights = [0, 1, 3, 7], [sp.Rational(1, 8), sp.Rational(3, 8), sp.Rational(1, 4), sp.Rational(1, 4)]
    variance = sp.Rational(1, 20)
    law = spectrum(values, weights) + semicircle(variance)
    assert law.degree >= 4
    zs = np.array([0.5 + 1j, 3 + 0.05j, -2 + 0.1j, 6.9 + 0.05j, 1.1 + 0.1j, 20 + 20j])
    fixed_point = -1 / zs
    for _ in range(5000):
        update = sum(float(wt) / (x - zs - float(variance) * fixed_point) for x, wt in zip(values, weights))
        fixed_point = (fixed_point + update) / 2
    computed = law.stieltjes(zs)
    assert np.all(computed.imag > 0)
    assert np.allclose(computed, fixed_point, rtol=1e-9, atol=1e-12)


def test_branch_next_to_an_atom_at_the_phase_transition():
    # At kappa = rho the two roots near the atom at 0 agree to O(sqrt|x|): a continuation that
    # takes the nearest root to a stale value lands on the wrong one.  On x < 0 the Stieltjes
    # transform exceeds weight/|x| (the continuous part adds a positive amount); the other
    # root does not.
    law = atom(4, sp.Rational(1, 4)) * marchenko_pastur(4)
    (location, weight), = law.atoms()
    assert (location, weight) == (0, sp.Rational(3, 4))
    xs = -np.logspace(-5, -1, 40)
    values = law.stieltjes(xs)
    assert np.all(values.imag == 0) and np.all(values.real > 0.75 / np.abs(xs))


# ---- simulation -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["semicircle(1) + mp(0.5)", "mp(0.5) * mp(0.25)", "atom(2, 0.3) * mp(0.5)",
                                  "inv(mp(0.25))", "2*semicircle(1) + 1"])
def test_simulation_agrees_within_standard_errors(text):
    # 20 trials at N = 100, 200, 400, extrapolated in 1/N; at these z the 1/N^2 remainder is
    # below one standard error (measured), so 4 standard errors bound a correct law.
    law = parse_law(text)
    comparisons = check_by_simulation(law, [0.5 + 0.5j, 1.5 + 0.3j, -1 + 1j], sizes=(100, 200, 400), trials=20, seed=4)
    assert max(row.deviation for row in comparisons) < 4


def test_simulation_rejects_a_wrong_law():
    law, wrong = marchenko_pastur(0.5), marchenko_pastur(0.6)
    comparisons = check_by_simulation(law, [1 + 0.3j], sizes=(100, 200), trials=10, seed=1)
    gap = abs(comparisons[0].extrapolated - wrong.stieltjes(np.array([1 + 0.3j]))[0])
    assert gap / comparisons[0].se > 10


# ---- command line -----------------------------------------------------------------------------


def test_law_command_prints_exact_moments(capsys):
    assert main(["law", "mp(0.5) * mp(0.25)", "--moments", "3"]) == 0
    out = capsys.readouterr().out
    assert "mu_2 = 7/4" in out and "mu_3 = 63/16" in out


def test_law_command_density_csv(tmp_path, capsys):
    target = tmp_path / "density.csv"
    assert main(["law", "mp(c)", "c=0.5", "--density", "0:4:401", "-o", str(target)]) == 0
    data = np.loadtxt(target, delimiter=",", skiprows=1)
    assert data.shape == (401, 2) and np.all(data[:, 1] >= 0)
    assert main(["law", "mp(c)", "c=0.5", "--density", "0:4:401", "-o", str(target)]) == 2   # no overwrite


@pytest.mark.parametrize("argv, message", [
    (["law", "mp(-1)", "--moments", "2"], "mp(c): the ratio c must be > 0"),
    (["law", "mp(c)", "--support"], "symbolic parameters (c)"),
    (["law", "mp(0.5)", "--density", "2:1:10"], "need a < b"),
    (["law", "semicircle(1) * semicircle(1)"], "one operand must be supported on [0, oo)"),
    (["law", "mp(0.5", "--moments", "1"], "cannot read the law"),
])
def test_law_command_refuses_bad_input_in_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
