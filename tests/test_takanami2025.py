"""takanami2025: every step established; the lowered errors equal the authors' replica
saddle point (solved here independently by damped iteration); the model and the command line."""

import subprocess
import sys

import numpy as np
import pytest

from derive.check import check_derivation
from derive.lower import lower_quantity
from derive.registry import load
from derivations import takanami2025_model as model
from derivations.linear_attention import features
from derivations.takanami2025_model import PROTOCOLS


@pytest.fixture(scope="module")
def derivation():
    return load("takanami2025")


#: The tests that build the paper (the module's fixture: takanami2025, which includes letey2025
#: and marchenko-pastur): the first of them in a process spends 75 CPU s building and lowering.
builds_the_paper = pytest.mark.slow


@pytest.mark.long
def test_every_step_is_established(derivation):
    results = check_derivation(derivation)
    bad = [(r.label, r.status, r.evidence) for r in results if not r.ok]
    assert not bad
    assert sum(r.status == "verified" for r in results) >= 90


# ---- the authors' saddle-point equations (Takanami et al., code Replica.jl), independently of the derivation

def _g(z, kappa, rho):
    disc = (kappa * rho * z + rho - kappa) ** 2 - 4 * rho ** 2 * kappa * z
    return (kappa + rho - kappa * rho * z - 2 - np.sqrt(disc)) / (2 * z)


def _g_tilde(z, kappa, rho):
    disc = (kappa * rho * z + rho - kappa) ** 2 - 4 * rho ** 2 * kappa * z
    return (-(kappa * rho * z + rho - kappa) - np.sqrt(disc)) / (2 * rho * z)


def _g_prime(z, kappa, rho):
    g = _g(z, kappa, rho)
    return (-kappa * rho - 2 * g - rho * kappa * (rho * kappa * z - rho - kappa)
            / (kappa + rho - 2 - kappa * rho * z - 2 * z * g)) / (2 * z)


def _g_tilde_prime(z, kappa, rho):
    gt = _g_tilde(z, kappa, rho)
    return -rho * gt * (gt + kappa) / (2 * rho * z * gt + kappa * rho * z + rho - kappa)


def replica_errors(alpha, alpha_test, kappa, rho, tau, sigma2, lam, damping=0.5, iterations=20000):
    """The coded saddle point: damped fixed-point iteration of (m, q, q_bar, chi, chi_bar)."""
    b = (1 + sigma2) / alpha
    m, q, q_bar, chi, chi_bar = 0.5, 0.5, 0.5, 1.0, 1.0
    for _ in range(iterations):
        den = 1 + chi + b * chi_bar
        e_pre = 1 + sigma2 - 2 * m + q + b * q_bar
        q_hat = m_hat = tau / kappa / den
        chi_hat = tau / kappa * e_pre / den ** 2
        z = -(lam + b * q_hat) / q_hat
        g, gp, gtp = _g(z, kappa, rho), _g_prime(z, kappa, rho), _g_tilde_prime(z, kappa, rho)
        new = ((m_hat / q_hat) * (1 + z + z * z * g),
               (chi_hat / kappa * (1 + 2 * z * g + z * z * gp) + m_hat ** 2 * (1 + 2 * z + 3 * z * z * g + z ** 3 * gp)
                + b * chi_hat / kappa * (g + z * gp)) / q_hat ** 2,
               (chi_hat / kappa * (g + z * gp) + m_hat ** 2 * (1 + 2 * z * g + z * z * gp) + b * chi_hat / kappa * gp)
               / q_hat ** 2,
               (1 + z * g) / (kappa * q_hat),
               g / (kappa * q_hat))
        old = (m, q, q_bar, chi, chi_bar)
        m, q, q_bar, chi, chi_bar = [damping * n + (1 - damping) * o for n, o in zip(new, old)]
        if max(abs(n - o) for n, o in zip(new, old)) < 1e-14:
            break
    m_bar = 1 + z * g
    q_0 = (chi_hat / (rho * kappa) * (g + z * gp) + m_hat ** 2 / rho * (1 + 2 * z * g + z * z * gp)
           + b * chi_hat / kappa * gtp) / q_hat ** 2
    tilde = 1 / alpha_test
    return {"tm": 1 - 2 * m + q + tilde * q_bar, "idg": 1 - 2 * m_bar / rho + q_0 + tilde * q_bar,
            "odg": 1 - 2 * m_bar + q_bar + tilde * q_bar, "e_pre": e_pre}


SADDLE_POINTS = [
    (1.5, 1.5, 1.5, 0.9, 2.25, 0.09, 0.1),   # the parameters of the paper's Fig. 1, lam > 0
    (4.0, 1.6, 3.0, 0.5, 1.2, 0.81, 0.1),    # the repository notebook's alpha_test sweep
    (2.3, 2.3, 0.25, 0.2, 1.7, 9e-6, 3.0),   # the order-parameter notebook, kappa near rho
    (2.0, 3.0, 1.0, 0.75, 0.6, 0.1, 0.2),    # tau < 1
]


@builds_the_paper
@pytest.mark.parametrize("point", SADDLE_POINTS)
def test_errors_equal_the_authors_saddle_point(derivation, point):
    """The closed-form reduction (xi equation, E_pre, the table of parts) against the coded
    replica equations (Takanami et al., code Replica.jl), to 1e-9."""
    alpha, alpha_test, kappa, rho, tau, sigma2, lam = point
    replica = replica_errors(*point)
    for protocol in PROTOCOLS:
        f = lower_quantity(derivation, f"e_{protocol}")
        ours = float(f(alpha, alpha_test, kappa, rho, tau, sigma2, lam, 0.0))
        assert ours == pytest.approx(replica[protocol], rel=1e-9, abs=1e-12)
    e_pre = float(lower_quantity(derivation, "e_pre")(alpha, alpha_test, kappa, rho, tau, sigma2, lam, 0.0))
    assert e_pre == pytest.approx(replica["e_pre"], rel=1e-9)


@builds_the_paper
def test_parts_sum_to_the_error(derivation):
    grid = dict(alpha=np.geomspace(0.3, 30, 7)[:, None], kappa=np.array([0.3, 0.9, 2.0])[None, :])
    for protocol in PROTOCOLS:
        values = [grid["alpha"], 1.5, grid["kappa"], 0.6, 2.0, 0.2, 0.05, 0.1]
        total = lower_quantity(derivation, f"e_{protocol}")(*values)
        parts = sum(lower_quantity(derivation, f"e_{protocol}_{p}")(*values)
                    for p in ("alg", "noise_task", "noise_iso"))
        np.testing.assert_allclose(total, 0.1 + parts, rtol=1e-12)


@builds_the_paper
def test_numpy_equals_mpmath(derivation):
    f = lower_quantity(derivation, "e_idg")
    rng = np.random.default_rng(3)
    for _ in range(5):
        point = (rng.uniform(0.5, 5), rng.uniform(0.5, 5), rng.uniform(0.2, 3), rng.uniform(0.1, 1),
                 rng.uniform(0.2, 3), rng.uniform(0, 1), rng.uniform(0, 1), 0.0)
        assert float(f(*point)) == pytest.approx(float(f.reference(*point)), rel=1e-10)


@builds_the_paper
def test_phase_transition_in_the_lowered_errors(derivation):
    """As alpha grows (ridgeless, tau > 1), the algorithmic IDG error tends to (1 - kappa/rho)_+."""
    f = lower_quantity(derivation, "e_idg_alg")
    for kappa in (0.2, 0.4, 0.8, 1.5):
        value = float(f(1e6, 1e6, kappa, 0.5, 2.0, 0.1, 0.0, 0.0))
        assert value == pytest.approx(max(0.0, 1 - kappa / 0.5), abs=1e-3)


def run(*args):
    return subprocess.run([sys.executable, "-m", "derive", *args], capture_output=True, text=True)


@builds_the_paper
@pytest.mark.long
def test_eval_defaults_alpha_test_to_alpha(derivation):
    """alpha_test left out is alpha at every point (not a second grid axis); sigma2_test is 0."""
    out = run("eval", "takanami2025", "e_odg", "alpha=2,8", "kappa=1.5", "rank_ratio=0.5", "tau=2.25",
              "sigma2=0.09", "lam=0")
    assert out.returncode == 0, out.stderr
    header, *rows = out.stdout.strip().splitlines()
    assert len(rows) == 2
    f = lower_quantity(derivation, "e_odg")
    for row in rows:
        values = dict(zip(header.split(","), map(float, row.split(","))))
        assert values["alpha_test"] == values["alpha"] and values["sigma2_test"] == 0.0
        expected = float(f(values["alpha"], values["alpha"], 1.5, 0.5, 2.25, 0.09, 0.0, 0.0))
        assert values["e_odg"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("word, message", [("rank_ratio=1.5", "rank_ratio must be in (0, 1]"),
                                           ("rank_ratio=0", "rank_ratio=0")])
@pytest.mark.slow  # a cold `derive eval` builds the paper (50 s)
def test_bad_rank_ratio_is_one_line(word, message):
    out = run("eval", "takanami2025", "e_idg", "alpha=2", "kappa=1", word, "tau=2", "sigma2=0.1", "lam=0")
    assert out.returncode == 2
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1


# ---- the model at finite D ------------------------------------------------------------------

def test_tasks_are_in_the_subspace_with_the_right_scale():
    instance = model.Instance(np.random.default_rng(0), 40, 2.0, 0.25)
    projector = instance.A @ instance.A.T
    np.testing.assert_allclose(instance.pool @ projector, instance.pool, atol=1e-12)
    # E|w|^2 = D: the mean over 80 tasks of |w|^2/D has standard error sqrt(2/(r k)) = 0.05.
    assert np.mean(np.sum(instance.pool ** 2, axis=1)) / 40 == pytest.approx(1.0, abs=0.2)


def test_dual_fit_equals_the_primal_solution():
    rng = np.random.default_rng(5)
    instance = model.Instance(rng, 6, 1.0, 0.5)
    state = rng.bit_generator.state
    gamma, _ = model.fit(rng, instance, 1.5, 0.5, 0.1, 0.3)        # n = 18 < p = 36: dual
    rng.bit_generator.state = state
    x, v, y = model.sample_batch(rng, instance, 18, 1.5, 0.1)
    h = features(x, v)
    primal = np.linalg.solve(h.T @ h + 0.3 * instance.k * np.eye(36), h.T @ y)
    np.testing.assert_allclose(gamma.ravel(), primal, rtol=1e-8, atol=1e-10)


def test_odg_error_is_the_mean_over_random_subspaces():
    """C = I is the exact mean of the error over a uniformly random test subspace."""
    rng = np.random.default_rng(2)
    D, r = 8, 2
    gamma = 0.5 * np.eye(D) + 0.2 * rng.standard_normal((D, D))
    draws = []
    for _ in range(4000):
        A = np.linalg.qr(rng.standard_normal((D, r)))[0]
        draws.append(model.test_error(gamma, A @ A.T * (D / r), 2.0))
    # 4000 subspaces: the standard error of the mean is below 0.002 here.
    assert np.mean(draws) == pytest.approx(model.test_error(gamma, np.eye(D), 2.0), abs=0.01)
