"""Which root a law or a solve takes: the certified continuation (derive/continuation.py) that
``derive law`` and the checker's branch conditions share, checked against sampled matrices, and
names introduced once."""

import numpy as np
import pytest
import sympy as sp

from derive import Asymptotic, Derivation, DerivationError, Holds
from derive.branch import far_out, pins_down
from derive.cli import main
from derive.continuation import Curve, continue_roots, follow, poles_of
from derive.notation import Meaning
from derive.rmt import algebraic, marchenko_pastur, semicircle
from derive.rmt.expression import parse_law
from derive.rmt.sampling import check_by_simulation
from derive.rmt.steps import add_law

z = sp.Symbol("z")
m_, g_ = sp.Function("m"), sp.Function("g")
COMPRESSED = "(semicircle(1)+3)*atom(1,1/2)"


# ---- derive law against sampled matrices, one family each ------------------------------------
#
# check_by_simulation draws 20 matrices at each of N = 100, 200, 400, extrapolates the mean of
# (1/N) tr (X - z)^-1 to N = oo as a + b/N and gives its standard error.  Off the support the
# trace is a smooth linear statistic, whose fluctuations are O(1/N) (not 1/sqrt N), so the
# standard errors are ~1e-3; 4 of them bound a correct value (test_rmt_law measured the 1/N^2
# remainder below one).  The roots the old follower took instead are 0.3 to 2.4 away.

FAMILIES = {
    # an atom: MP(2) has mass 1/2 at 0 and m ~ -1/(2z) there
    "atoms": ("mp(2)", [-0.5, 0.05 + 0.05j, 3 + 0.5j]),
    # two cuts, about 1 and 4, and a real point between them
    "several cuts": ("spectrum(1, 0.5, 4, 0.5) + semicircle(0.1)", [2.5, 0.2 + 0.1j, 4 + 0.3j]),
    # a compression with an atom at 0 and a cut [3 - sqrt 2, 3 + sqrt 2]: the old follower took
    # the other root at 0.1 and 0.2 (0.108 for -2.308), on the axis and just above it
    "compression": (COMPRESSED, [0.1, 0.2, 0.2 + 0.01j, 1 + 0.5j, 3 + 0.2j]),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_law_agrees_with_sampled_matrices(family):
    text, points = FAMILIES[family]
    comparisons = check_by_simulation(parse_law(text), points, sizes=(100, 200, 400), trials=20, seed=7)
    worst = max(comparisons, key=lambda c: c.deviation)
    assert worst.deviation < 4, (family, worst)


def test_the_compressed_shift_takes_its_own_root_on_the_axis(capsys):
    assert main(["law", COMPRESSED, "--stieltjes", "0.2,0.1"]) == 0
    out = capsys.readouterr().out
    assert "m(0.2) = -2.3083045973594" in out and "m(0.1) = -4.815898890117" in out


# ---- one decision: the checker's continuation is the law's ------------------------------------


def test_checker_and_law_follow_to_the_same_root():
    law = parse_law(COMPRESSED)
    u = sp.Dummy("u")
    polynomial = sp.Poly(law.curve.subs(algebraic.m, u).subs(algebraic.z, z), u)
    condition = Asymptotic(z * m_(z), z, sp.I * sp.oo, -1)
    points = [0.2, 0.1 + 0.05j, 0.21 + 1e-3j, 1 + 0.5j, 3 + 0.2j, -2 + 1j]
    law_values = law.stieltjes(np.array(points))
    for point, expected in zip(points, law_values):
        followed = condition.continued_root(m_(z), polynomial, {z: point})
        assert followed is not None and abs(complex(followed) - expected) < 1e-9 * (1 + abs(expected)), point


def test_steps_are_bounded_by_the_distance_to_the_other_roots():
    # Far out the root near -1/z barely moves; a step sized by its speed there jumped from
    # z = 1e20 i to the point at once and took the root nearest 0 (0.108 at z = 0.2).
    m = sp.Symbol("m")
    curve = Curve.from_polynomial(4 * m ** 2 * z ** 2 + 4 * m * (z ** 3 - 3 * z ** 2 + z) + 4 * z ** 2 - 6 * z + 1, m, z)
    start = np.array([1e20j + 0.2])
    value, reached, _ = follow(curve, start, np.array([0.2 + 0j]), -1 / start)
    assert reached[0] and abs(value[0] - (-2.3083045973594576)) < 1e-12


def test_a_collision_on_the_path_is_reported_not_passed():
    # m^2 = z: the two roots meet at 0; a path through it cannot say which root comes out.
    curve = Curve([[0, 1], [0, 0], [-1, 0]])
    value, reached, where = follow(curve, np.array([1 + 0j]), np.array([-1 + 0j]), np.array([1 + 0j]))
    assert not reached[0] and abs(where[0]) < 1e-6


def test_next_to_an_atom_the_root_is_followed_about_it():
    law = marchenko_pastur(sp.Rational(2))
    curve = Curve.from_polynomial(law.curve, algebraic.m, algebraic.z)
    far = np.array([1e6j])
    value, reached, _ = continue_roots(curve, far, np.array([1e-12 + 0j]), -1 / far, poles_of(curve))
    assert reached[0] and abs(value[0] + 0.5e12) < 1e-3 * 0.5e12


def test_the_far_point_scales_with_the_parameters():
    assert far_out({sp.Symbol("a"): 1e12})[0] >= 1e44
    a = sp.Symbol("a", positive=True)
    form = (-(z - a ** 2) + sp.sqrt(z - a ** 2 - 2) * sp.sqrt(z - a ** 2 + 2)) / 2
    condition = Asymptotic(z * m_(z), z, sp.I * sp.oo, -1)
    ok, evidence = condition.holds(m_(z), form, [], np.random.default_rng(0))
    assert ok, evidence


def test_solve_probes_beyond_the_sampled_range_and_beside_kinks():
    r, y = sp.Symbol("r", real=True), sp.Symbol("y", real=True)
    u = sp.Dummy("u")
    polynomial = sp.Poly(u ** 2 - r ** 2, u)
    for wrong in (sp.Piecewise((r, r > -sp.Rational(1, 10 ** 13)), (-r, True)),
                  sp.Piecewise((sp.Abs(r), sp.Abs(r) < 10 ** 15), (-sp.Abs(r), True))):
        verdict, evidence = pins_down(y, polynomial, wrong, [Holds(y >= 0)], [], seed=1)
        assert verdict == "other root", evidence
    assert pins_down(y, polynomial, sp.Abs(r), [Holds(y >= 0)], [], seed=1)[0] == "pinned"


# ---- names introduced once ---------------------------------------------------------------------


def _semicircle():
    D = Derivation("t")
    D.parameter(z)
    D.define("m-def", sp.Eq(m_(z), Meaning("the resolvent trace")))
    D.fact("curve", sp.Eq(m_(z) ** 2 + z * m_(z) + 1, 0), uses=["m-def"])
    return D


def test_a_transform_into_a_defined_function_is_refused():
    D = _semicircle()
    D.define("g-def", sp.Eq(g_(z), -1 / z))
    with pytest.raises(DerivationError, match="already given by 'g-def'"):
        D.transform("t", "curve", sp.Eq(g_(z) ** 2 + z * g_(z) + 1, 0), change=(g_(z), m_(z), z))


def test_a_transform_into_the_premises_own_function_is_refused():
    D = _semicircle()
    with pytest.raises(DerivationError, match="function of the premise"):
        D.transform("t", "curve", sp.Eq(4 * m_(z) ** 2 + z * m_(z) + 1, 0), change=(m_(z), m_(z) / 2, 2 * z))


def test_a_transform_onto_a_curve_and_a_definition_after_one_are_refused():
    D = _semicircle()
    D.fact("g-curve", sp.Eq(g_(z) ** 2 + 2 * z * g_(z) + 1, 0), uses=["m-def"])
    with pytest.raises(DerivationError, match="already given by 'g-curve'"):
        D.transform("t", "curve", sp.Eq(g_(z) ** 2 + z * g_(z) + 1, 0), change=(g_(z), m_(z), z))
    D = _semicircle()
    D.transform("t", "curve", sp.Eq(g_(z) ** 2 + z * g_(z) + 1, 0), change=(g_(z), m_(z), z))
    with pytest.raises(DerivationError, match="introduced by 't'"):
        D.define("g-def", sp.Eq(g_(z), -1 / z))


def test_add_law_onto_a_law_or_twice_without_a_tag_is_refused():
    D = _semicircle()
    with pytest.raises(DerivationError, match="already has a curve"):
        add_law(D, "law", marchenko_pastur(sp.Rational(1, 2)) + 1, m_(z), points=[{}], trials=2)
    D = Derivation("t")
    D.parameter(z)
    add_law(D, "first", 2 * semicircle(1), m_(z), points=[{}], trials=2)
    with pytest.raises(DerivationError, match="tag="):
        add_law(D, "second", 3 * semicircle(1), g_(z), points=[{}], trials=2)
    add_law(D, "second", 3 * semicircle(1), g_(z), points=[{}], trials=2, tag="b")


def test_a_condition_excluding_the_zero_of_the_leading_coefficient_is_decided_exactly():
    # Issue 23: at w = -1/q, q w + 1 > 0 is 0 > 0, false; at 80 digits it was a rounding error.
    from derive.rules.solve import _coefficient_vanishes

    q, w = sp.Symbol("q", positive=True), sp.Symbol("w", real=True)
    assert _coefficient_vanishes(q * w + 1, [q * w + 1 > 0], 0) == ""
    assert _coefficient_vanishes(q * w + 1, [q * w + 1 >= 0], 0) != ""
    assert _coefficient_vanishes(q * w + 1, [], 0) != ""
