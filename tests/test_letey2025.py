"""letey2025: the task-alignment formula for any spectra, against lu2025 and takanami2025."""

import numpy as np
import pytest
import sympy as sp

from derive.check import check_derivation
from derive.lower import lower_quantity
from derive.registry import load
from derive.rmt import atom, marchenko_pastur
from derivations.letey2025_alignment import alignment_error, solve_M


def test_every_step_is_established():
    results = check_derivation(load("letey2025"))
    assert not [(r.label, r.status, r.evidence) for r in results if not r.ok]


@pytest.mark.parametrize("alpha, kappa, tau, noise, lam", [
    (2.0, 0.5, 2.0, 0.1, 0.0), (2.0, 0.5, 2.0, 0.1, 0.3), (1.0, 2.0, 0.5, 0.05, 0.0), (1.0, 2.0, 0.5, 0.05, 0.2)])
def test_matched_isotropic_is_lu2025(alpha, kappa, tau, noise, lam):
    """C_train = C_test = I: the general formula is Lu et al.'s, at every lam and both sides of tau = 1."""
    lu = lower_quantity(load("lu2025"), "e_icl")
    e = alignment_error(np.ones(20), np.ones(20), alpha, alpha, kappa, tau, noise, lam)["e"]
    assert e == pytest.approx(float(lu(alpha, kappa, tau, noise, lam)), rel=1e-10)


@pytest.mark.parametrize("protocol", ["idg", "odg"])
@pytest.mark.parametrize("point", [(2.0, 3.0, 0.5, 0.25, 2.0, 0.1, 0.0), (1.5, 1.0, 1.5, 0.5, 0.7, 0.2, 0.3)])
def test_low_rank_is_takanami2025(protocol, point):
    """C_train = P_A/rho: Takanami et al.'s IDG (C_test = C_train) and ODG (C_test = I) errors,
    with their test noise equal to the training noise and lam_L tau = lam kappa."""
    alpha, alpha_test, kappa, rho, tau, sigma2, lam = point
    D = 400
    r = int(rho * D)
    train = np.r_[np.full(r, 1 / rho), np.zeros(D - r)]
    test = train if protocol == "idg" else np.ones(D)
    e = alignment_error(train, test, alpha, alpha_test, kappa, tau, sigma2, kappa * lam / tau)["e"]
    f = lower_quantity(load("takanami2025"), f"e_{protocol}")
    assert e == pytest.approx(float(f(alpha, alpha_test, kappa, rho, tau, sigma2, lam, sigma2)), rel=1e-10)


def test_self_consistency_is_the_marchenko_pastur_M_for_identity():
    M_closed = lower_quantity(load("marchenko-pastur"), "M")
    for kappa, nu in ((0.5, 0.3), (2.0, 1.5)):
        M, _ = solve_M(np.ones(3), np.full(3, 1 / 3), kappa, nu)
        assert M == pytest.approx(float(M_closed(kappa, nu)), rel=1e-12)


def test_aligned_test_beats_anti_aligned():
    """Test mass on the top pretraining directions costs less than on the bottom ones."""
    d = 200
    train = (np.arange(d) + 1.0) ** -0.9
    train *= d / train.sum()
    aligned = alignment_error(train, train, 2.0, 2.0, 1.0, 2.0, 0.01)["e"]
    anti = alignment_error(train, train[::-1], 2.0, 2.0, 1.0, 2.0, 0.01)["e"]
    assert aligned < anti


@pytest.mark.parametrize("kappa_v, nu_v", [(sp.Rational(3, 2), 0.3), (sp.Rational(1, 2), 0.1), (3, 1.0)])
def test_self_consistency_is_the_free_product_law(kappa_v, nu_v):
    # The task Gram of pretraining tasks N(0, C) has the law law(C) boxtimes MP(1/kappa); for the
    # half-rank C (eigenvalue 2 on half the directions) the engine gives its curve, and M(nu) is
    # its Stieltjes transform at -nu.  solve_M (bisection on Letey's equation) must agree.
    M, _ = solve_M(np.array([2.0, 0.0]), np.array([0.5, 0.5]), float(kappa_v), nu_v)
    law = atom(2, sp.Rational(1, 2)) * marchenko_pastur(1 / sp.sympify(kappa_v))
    assert law.stieltjes(np.array([-nu_v]))[0].real == pytest.approx(M, rel=1e-10)
