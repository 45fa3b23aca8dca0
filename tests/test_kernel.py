"""The kernel's procedures, one by one (derive/check/kernel/).

Each test states what a procedure must decide and what it must refuse to decide; the soundness
corpus (tests/soundness/traps_kernel_*.py) checks them through whole derivations.
"""

import pytest
import sympy as sp
from flint import acb

from derive.check.kernel import balls, evidence, exact, real
from derive.check.symbolic import is_zero

t = sp.Symbol("t", real=True)
a = sp.Symbol("a", positive=True)
x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
z = sp.Symbol("z")
M = sp.Function("M")


# -- exact algebra -----------------------------------------------------------------------------

def test_exact_algebra_proves_rational_identities_in_any_generators():
    assert exact.is_zero((z + 1) ** 3 / (z + 1) - z ** 2 - 2 * z - 1)
    assert exact.is_zero(M(z) ** 2 / M(z) - M(z))
    assert exact.is_zero(sp.sqrt(z) ** 5 - z ** 2 * sp.sqrt(z))
    assert exact.is_zero((1 + sp.I) ** 2 - 2 * sp.I)


def test_exact_algebra_proves_nothing_about_related_generators():
    # sin^2 + cos^2 = 1 is true, but not by algebra in independent indeterminates.
    assert not exact.is_zero(sp.sin(z) ** 2 + sp.cos(z) ** 2 - 1)
    assert not exact.is_zero((z + 1) ** 2 - z ** 2 - 1)
    # sqrt(z^2) is not z: a generator of its own, not a power of z.
    assert not exact.is_zero(sp.sqrt(z ** 2) - z)


# -- real algebra ------------------------------------------------------------------------------

def test_real_algebra_decides_polynomial_sign_conditions():
    assert real.implies([x > 1], x ** 3 > x) is True
    assert real.implies([x > 1 - sp.Rational(1, 10**12)], x ** 3 > x) is False
    assert real.implies([], sp.Ge(x ** 2 + y ** 2, 2 * x * y)) is True
    assert real.implies([], sp.Gt(x ** 4 - 2 * x ** 2 + 1, 0)) is False


def test_real_algebra_answers_the_branch_question_of_a_solve():
    q, w = sp.symbols("q w", real=True)
    # q w + 1 > 0 does exclude w = -1/q (issue 23's complaint about solve).
    assert real.implies([q * w + 1 > 0], sp.Ne(w, -1 / q)) is True


def test_real_algebra_does_not_guess_outside_polynomials():
    assert real.implies([x > 0], sp.exp(x) > 1) is None
    assert real.implies([], sp.Gt(z * sp.conjugate(z), -1)) is None  # z is complex


# -- ball arithmetic ---------------------------------------------------------------------------

def test_integral_through_a_kink_is_certified_and_sympy_is_not():
    ball = balls.enclose(sp.Integral(sp.Abs(sp.sin(t)), (t, 0, sp.Rational(73, 10))), {}, prec=128)
    true_value = 4 + 1 - sp.cos(sp.Rational(73, 10))  # two whole arches, then 1 - cos(7.3 - 2 pi)
    assert ball.contains(balls.enclose(true_value, {}, 128))
    wrong = sp.integrate(sp.Abs(sp.sin(t)), (t, 0, sp.Rational(73, 10)))
    assert not ball.overlaps(balls.enclose(wrong, {}, 128))


def test_an_integral_through_a_pole_has_no_enclosure():
    try:
        balls.enclose(sp.Integral(1 / (t - 1) ** 2, (t, 0, 3)), {}, prec=128)
    except balls.NoEnclosure as exc:
        assert "pole" in str(exc)
    else:
        raise AssertionError("an integral through a pole was given a value")


def test_integrals_with_parameters_endpoint_singularities_and_infinite_intervals():
    value = balls.enclose(sp.Integral(t ** (a - 1), (t, 0, 1)), {a: sp.Rational(1, 2)}, prec=128)
    assert value.contains(acb(2)) and value.rad() < 1e-30
    value = balls.enclose(sp.Integral(t ** -a, (t, 1, sp.oo)), {a: sp.Rational(5, 2)}, prec=128)
    assert value.overlaps(acb(2) / 3) and value.rad() < 1e-30
    value = balls.enclose(sp.Integral(1 / (1 + t ** 2), (t, -sp.oo, sp.oo)), {}, prec=128)
    assert value.overlaps(acb(balls.arb.pi())) and value.rad() < 1e-30


def test_no_enclosure_where_arb_cannot_bound_the_tail():
    # exp(-1/w) at w = 0 has no finite ball: an exponential tail is not certified here.
    try:
        balls.enclose(sp.Integral(sp.exp(-t), (t, 0, sp.oo)), {}, prec=128)
    except balls.NoEnclosure:
        pass
    else:
        raise AssertionError("an exponential tail was given a value")


def test_precision_follows_the_scale_of_the_point():
    # 1 - cos(1e-60) is 5e-121: at 128 bits it is lost, so the ladder must start higher.
    expr = (1 - sp.cos(t)) / t ** 2
    ball = balls.enclose(expr, {t: sp.Rational(1, 10**60)}, prec=1024)
    # (1 - cos t)/t^2 = 1/2 - t^2/24 + ...: within 1e-100 of 1/2, and resolved far below that
    assert abs(ball - acb(1) / 2) < 1e-100 and ball.rad() < 1e-150
    # at 128 bits the same point gives no such answer: the precision must follow the scale
    assert not (balls.enclose(expr, {t: sp.Rational(1, 10**60)}, prec=128).rad() < 1e-3)


# -- evidence and the symbolic route -----------------------------------------------------------

def test_certified_counterexample_fails_a_wrong_antiderivative():
    found = evidence.check(sp.Integral(sp.Abs(sp.sin(t)), (t, 0, a)), sp.cos(a) - 2 * sp.cos(sp.Min(sp.pi, a)) + 1)
    assert found.status == "failed" and "certified counterexample" in found.evidence


@pytest.mark.slow  # 8 CPU s
def test_sympy_proposals_count_only_when_confirmed():
    assert is_zero(sp.sin(z) ** 2 + sp.cos(z) ** 2 - 1).startswith("sympy's simplify proposing")
    assert is_zero((z + 1) ** 2 - z ** 2 - 2 * z - 1) == "exact: rational normal form (FLINT)"
    wrong = sp.Integral(sp.Abs(sp.sin(t)), (t, 0, a)) - (sp.cos(a) - 2 * sp.cos(sp.Min(sp.pi, a)) + 1)
    assert is_zero(wrong) is None
    assert is_zero(sp.Integral(1 / (t - a) ** 2, (t, 0, 2 * a)) + 2 / a) is None


# -- branch cuts off the axes ------------------------------------------------------------------

def test_cut_points_lie_on_the_cut_of_an_oblique_argument():
    from derive.check.kernel import cuts
    from derive.sampling import ExactComplex

    w = sp.exp(sp.I * sp.pi / 7)
    u = w * z ** 2
    points, unplaced = cuts.cut_points(sp.sqrt(u), [{z: ExactComplex(sp.Rational(3, 2) + sp.I)}], [])
    assert points and not unplaced
    for g, point in points:
        assert g == u
        value = cuts._enclose(balls.BallEvaluator(256), u, point)
        # u = -1 or -7/3 there (to 70 digits): on the negative axis, off both coordinate axes in z.
        assert value.imag.contains(0) and value.real < 0
        assert abs(complex(point[z]).real) > 0.1 and abs(complex(point[z]).imag) > 0.1


def test_a_statement_false_only_on_an_oblique_cut_is_not_verified():
    from derive.check.kernel import cuts
    from derive.sampling import ExactComplex

    u = sp.exp(sp.I * sp.pi / 7) * z ** 2
    sample = [{z: ExactComplex(sp.Rational(3, 2) + sp.I)}]
    status, why = cuts.verdict(sp.sqrt(1 / u), 1 / sp.sqrt(u), sample, [])
    assert status == "unverified" and "branch cut" in why
    # True on the cut as well: the principal power splits there too.
    assert cuts.verdict(u ** sp.Rational(3, 2), u * sp.sqrt(u), sample, []) is None
    # A condition that excludes the cut admits no cut point (Arb cannot prove Im u > 0 where it is 0).
    assert cuts.cut_points(sp.sqrt(u), sample, [sp.im(u) > 0]) == ([], [])


def test_real_algebra_fails_an_order_relation_at_an_exact_point_inside_a_narrow_dip():
    from derive import Derivation
    from derive.check import check_step

    D = Derivation("dip")
    D.parameter(x)
    D.step("s", sp.Ge((x - sp.Rational(3, 7)) ** 2, sp.Integer(10) ** -30, evaluate=False))
    result = check_step(D, D["s"])
    assert result.status == "failed" and "Z3" in result.method
    point = sp.Rational(result.details["counterexample"]["x"])
    assert (point - sp.Rational(3, 7)) ** 2 < sp.Integer(10) ** -30


def test_the_cut_table_names_the_negative_axis_crossings_of_other_functions():
    from derive.check.kernel import cuts

    assert cuts.cut_arguments(sp.asin(z)) == [1 - z**2]
    assert set(cuts.cut_arguments(sp.atan(z))) == {1 + sp.I * z, 1 - sp.I * z}
    assert cuts.cut_arguments(sp.polylog(2, z) + sp.besselk(sp.Rational(1, 3), z)) == [z, 1 - z]
    assert cuts.cut_arguments(sp.asin(x) + sp.besselj(2, z)) == []   # real argument; entire J_2


def test_a_cut_with_no_exact_point_leaves_the_step_unverified():
    from derive.check.kernel import cuts
    from derive.sampling import ExactComplex

    sample = [{z: ExactComplex(sp.Rational(3, 2) + sp.I)}]
    w = sp.I * z + sp.sin(z)   # w = -c has no closed-form solution
    status, why = cuts.verdict(sp.sqrt(sp.conjugate(w)), sp.conjugate(sp.sqrt(w)), sample, [])
    assert status == "unverified" and "no exact point placed" in why


def test_a_cut_on_an_oblique_ray_of_asin_is_taken_exactly():
    from derive.check.kernel import cuts
    from derive.sampling import ExactComplex

    u = sp.exp(sp.I * sp.pi / 7) * z
    sample = [{z: ExactComplex(sp.Rational(3, 2) + sp.I)}]
    status, why = cuts.verdict(sp.asin(sp.conjugate(u)), sp.conjugate(sp.asin(u)), sample, [])
    assert status == "unverified" and "on the cut" in why
    # acos = pi/2 - asin on the cut as well: nothing to report.
    assert cuts.verdict(sp.asin(u) + sp.acos(u), sp.pi / 2, sample, []) is None


def test_every_cut_of_the_table_is_a_jump_of_its_function():
    """At the points the table places (g = -1, -7/3), mpmath's value jumps across the line the
    table names: the points are on the function's cut, and the projection is across it."""
    from derive.check.kernel import cuts

    w = sp.Symbol("w")
    third = sp.Rational(1, 3)
    examples = {"log": sp.log(w), "Pow": sp.sqrt(w), "asin": sp.asin(w), "acos": sp.acos(w),
                "acosh": sp.acosh(w), "atanh": sp.atanh(w), "acoth": sp.acoth(w), "atan": sp.atan(w),
                "asinh": sp.asinh(w), "acot": sp.acot(w), "polylog": sp.polylog(2, w),
                "elliptic_k": sp.elliptic_k(w), "elliptic_e": sp.elliptic_e(w),
                "hyper": sp.hyper((1, 1), (2,), w), "Ei": sp.Ei(w), "li": sp.li(w), "expint": sp.expint(1, w),
                "loggamma": sp.loggamma(w), "besselj": sp.besselj(third, w), "besseli": sp.besseli(third, w),
                "bessely": sp.bessely(1, w), "besselk": sp.besselk(1, w), "hankel1": sp.hankel1(1, w),
                "hankel2": sp.hankel2(1, w), "lowergamma": sp.lowergamma(third, w),
                "uppergamma": sp.uppergamma(third, w), "LambertW": sp.LambertW(w)}
    assert set(examples) == set(cuts.CUTS)
    for name, (_, cut_expressions, line, _) in cuts.CUTS.items():
        step = sp.Rational(1, 10**12) * (sp.I if line == "real" else 1)
        for g in cut_expressions(w):
            for c in cuts.CUT_VALUES:
                for root in sp.solve(sp.Eq(g, -c), w):
                    above, below = (complex(examples[name].subs(w, root + s).evalf(30)) for s in (step, -step))
                    assert abs(above - below) > 1e-6, (name, g, root)
