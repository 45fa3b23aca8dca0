"""Lu et al. 2025: every step established, the lowered formulas equal to reference values
computed with the authors' own functions and to their mpmath path, and the simulator's
exact formulas equal to brute force."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from derive import check_derivation
from derive.lower import lower_quantity
from derive.registry import load
from derivations import lu2025_model as model
from derivations.linear_attention import context_statistics, direct_test_error, features

D = load("lu2025")
QUANTITY = {name: lower_quantity(D, name) for name in ("e_icl", "e_idg", "eps", "g_task")}


@pytest.mark.slow  # a whole paper checked
def test_every_step_is_established():
    # The session cache (fresh for each test session, conftest.py): steps included from other
    # derivations, checked by their own tests, are not proved twice.
    results = check_derivation(D)
    bad = [(r.label, r.status, r.evidence) for r in results if not r.ok]
    assert not bad
    methods = {r.label: r.method for r in results}
    assert methods["tr-gamma-S-gamma"].startswith("spectral linearity")
    assert methods["effective-ridge"].startswith("monte carlo")
    assert methods["second-order-icl"].startswith("monte carlo")


# (alpha, kappa, tau, rho, lam) -> (e_icl, e_idg, eps): shared/papers/lu2025.md, section 6,
# computed there with the authors' functions (ridgeless_icl, ridge_icl, ...).
REFERENCE = [
    ((1, 0.5, 0.2, 0.01, 0.0), (1.0384977686, 0.8012133344, 7.3227307979)),
    ((1, 0.5, 0.5, 0.01, 0.0), (1.2610768959, 0.8018491668, 1.6297333017)),
    ((1, 0.5, 2.0, 0.01, 0.0), (1.2339925430, 0.6095614063, 0.0)),
    ((1, 0.5, 0.2, 0.01, 0.1), (1.0348110990, 0.7993540547, 7.455911766)),
    ((1, 0.5, 0.5, 0.01, 0.1), (1.1804458316, 0.7412802062, 1.834678527)),
    ((1, 0.5, 2.0, 0.01, 1.0), (0.8730764363, 0.4213405616, 1.369880609)),
    ((10, 2.0, 5.0, 0.1, 0.0), (0.2959955010, 0.2405714527, 0.0)),
    ((100, 0.3, 20, 0.5, 0.0), (2.4655318853, 0.5310224568, 0.0)),
    ((3, 1.0, 0.7, 0.2, 0.0), (2.1659267025, 1.6057003534, None)),
]


@pytest.mark.parametrize("point, expected", REFERENCE)
def test_reference_values(point, expected):
    for name, value in zip(("e_icl", "e_idg", "eps"), expected):
        if value is not None:
            assert QUANTITY[name](*point) == pytest.approx(value, rel=1e-8, abs=1e-9), name


def test_figure_1c_table_at_kappa_infinity():
    # Digest section 5, Fig 1C theory: alpha = 10, kappa = inf, rho = 0.01.
    tau = np.array([0.2, 0.5, 0.85, 1.0, 1.15, 1.5, 2.0])
    expected = {0.1: [0.8525, 0.6359, 0.4279, 0.3607, 0.3094, 0.2366, 0.1894],
                1.0: [0.8509, 0.6652, 0.5440, 0.5116, 0.4865, 0.4456, 0.4109]}
    for lam, row in expected.items():
        got = QUANTITY["e_icl"](10.0, np.inf, tau, 0.01, lam)
        assert np.allclose(got, row, atol=6e-5)


def test_task_diversity_transition_values():
    # Digest section 4, g_task at tau = 0.2 alpha, rho = 0.01.
    alpha = np.array([10.0, 20.0, 40.0])
    got = QUANTITY["g_task"](alpha, 1.0, 0.2 * alpha, 0.01, 0.0)
    assert np.allclose(got, [0.3090, 0.1605, 0.0998], atol=6e-5)


@settings(max_examples=30, deadline=None)
@given(alpha=st.floats(0.2, 50), kappa=st.floats(0.1, 10), tau=st.floats(0.1, 5),
       rho=st.floats(0, 1), lam=st.floats(1e-3, 3))
def test_numpy_equals_mpmath(alpha, kappa, tau, rho, lam):
    for name in ("e_icl", "e_idg", "eps"):
        f = QUANTITY[name]
        fast, reference = f(alpha, kappa, tau, rho, lam), float(f.reference(alpha, kappa, tau, rho, lam))
        assert abs(fast - reference) <= 1e-10 * max(1.0, abs(reference))


@settings(max_examples=20, deadline=None)
@given(alpha=st.floats(0.2, 50), kappa=st.floats(0.1, 10), tau=st.floats(0.1, 5).filter(lambda t: abs(t - 1) > 1e-3),
       rho=st.floats(0, 1))
def test_ridgeless_is_the_limit_of_small_ridge(alpha, kappa, tau, rho):
    f = QUANTITY["e_icl"]
    ridgeless, small = f(alpha, kappa, tau, rho, 0.0), f(alpha, kappa, tau, rho, 1e-9)
    assert abs(ridgeless - small) <= 1e-5 * max(1.0, abs(ridgeless)) / min(1.0, abs(tau - 1))


def test_grid_is_one_vectorised_call():
    tau = np.geomspace(0.1, 10, 100_000)
    values = QUANTITY["e_icl"](1.0, 0.5, tau, 0.01, 0.1)
    assert values.shape == tau.shape and np.all(np.isfinite(values))
    # Scalar and vectorised calls agree.
    assert values[12345] == pytest.approx(QUANTITY["e_icl"](1.0, 0.5, tau[12345], 0.01, 0.1), rel=1e-13)


def test_exact_test_errors_equal_brute_force():
    """4e5 prompts per error: standard errors 2e-3 to 3e-3, so 5 of them bound a real mismatch."""
    rng = np.random.default_rng(5)
    d, alpha, rho = 6, 1.5, 0.3
    gamma = rng.standard_normal((d, d + 1)) * 0.3 + np.hstack([np.eye(d) * 0.5, np.zeros((d, 1))])
    pool = rng.standard_normal((4, d))
    for tasks, exact in ((None, model.icl_error(gamma, d, alpha, rho)),
                         (pool, model.idg_error(gamma, pool, alpha, rho))):
        errors = np.concatenate([direct_test_error(rng, gamma, alpha, rho, tasks, 100_000)
                                 for _ in range(4)])
        se = errors.std() / np.sqrt(len(errors))
        assert abs(errors.mean() - exact) < 5 * se


def test_context_statistics_are_exact_in_law():
    """First and second moments of (s, t) against token-by-token sampling, |z| < 4.5 each."""
    rng = np.random.default_rng(9)
    d, alpha, rho, n = 5, 1.6, 0.2, 200_000
    w = rng.standard_normal(d)
    fast = context_statistics(rng, np.repeat(w[None, :], n, axis=0), alpha, rho, d)
    l = int(round(alpha * d))
    x = rng.standard_normal((n, l, d)) / np.sqrt(d)
    y = x @ w + np.sqrt(rho) * rng.standard_normal((n, l))
    slow = np.column_stack([(d / l) * np.einsum("pl,pld->pd", y, x), (y * y).mean(axis=1)])
    for a, b in ((fast, slow), (np.einsum("pi,pj->pij", fast, fast).reshape(n, -1),
                                np.einsum("pi,pj->pij", slow, slow).reshape(n, -1))):
        z = (a.mean(0) - b.mean(0)) / np.sqrt(a.var(0) / n + b.var(0) / n)
        assert np.all(np.abs(z) < 4.5)


def test_dual_fit_equals_the_primal_ridge_solution():
    """fit() uses the n x n kernel when n < p; it must return the primal ridge solution."""
    d, alpha, kappa, tau, rho, lam = 6, 1.0, 0.5, 0.5, 0.1, 0.3
    n = int(round(tau * d * d))
    assert n < d * (d + 1)
    pool = model.sample_tasks(np.random.default_rng(2), d, kappa)
    gamma, t, _ = model.fit(np.random.default_rng(3), d, alpha, kappa, tau, rho, lam, pool=pool, spectral=True)
    plain, _, _ = model.fit(np.random.default_rng(3), d, alpha, kappa, tau, rho, lam, pool=pool)
    assert np.allclose(plain, gamma, atol=1e-10)
    # The same draws, replayed: fit() draws all n sequences in one batch when n <= CHUNK.
    xq, v, y = model.sample_batch(np.random.default_rng(3), d, n, alpha, rho, pool)
    h = features(xq, v)
    primal = np.linalg.solve(h.T @ h + n / d * lam * np.eye(h.shape[1]), h.T @ y)
    assert np.allclose(gamma.ravel(), primal, atol=1e-10)
    sigma = d / n * h.T @ h
    assert t == pytest.approx(np.trace(np.linalg.inv(sigma + lam * np.eye(len(sigma)))) / len(sigma), rel=1e-10)


def test_bad_parameters(capsys):
    from derive.cli import main

    for args, message in [(["tau=1", "lam=0"], "tau=1 with lam=0"),
                          (["tau=0.5", "lam=-1"], "lam=-1: lam must be >= 0"),
                          (["tau=-1", "lam=0"], "tau=-1: tau must be > 0")]:
        code = main(["eval", "lu2025", "e_icl", "alpha=1", "kappa=0.5", "rho=0.01", *args, "--strict"])
        err = capsys.readouterr().err
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_authors_protocol_tasks_on_the_sphere_each_given_n_over_k_sequences():
    rng = np.random.default_rng(4)
    d, kappa, tau = 10, 0.5, 0.73
    pool = model.sample_tasks(rng, d, kappa, "authors")
    assert np.allclose(np.linalg.norm(pool, axis=1), np.sqrt(d))
    n = model.sequences(d, kappa, tau, "authors")
    k = len(pool)
    assert n % k == 0 and abs(n - tau * d * d) <= k / 2  # the multiple of k nearest tau d^2
    draw = model.task_draw(d, pool, "authors")
    tasks = np.vstack([draw(rng, m) for m in (7, n - 7)])  # drawn in chunks, as ridge_fit does
    counts = np.unique(tasks @ pool.T / d > 0.999, axis=0, return_counts=True)[1]
    assert len(counts) == k and set(counts) == {n // k}
    with pytest.raises(ValueError, match="known: derive, authors"):
        model.sample_tasks(rng, d, kappa, "paper")


def test_authors_icl_error_is_the_error_of_a_task_on_the_sphere():
    """icl_error(sphere=True) against idg_error over 2e5 tasks on the sphere, whose second moment
    is I up to O(1/sqrt(2e5)) entrywise: agreement to 1e-3 relative (measured 2e-4)."""
    rng = np.random.default_rng(6)
    d, alpha, rho = 6, 1.5, 0.3
    gamma = rng.standard_normal((d, d + 1)) * 0.3 + np.hstack([np.eye(d) * 0.5, np.zeros((d, 1))])
    sphere = model.on_sphere(rng.standard_normal((200_000, d)))
    exact = model.icl_error(gamma, d, alpha, rho, sphere=True)
    assert exact == pytest.approx(model.idg_error(gamma, sphere, alpha, rho), rel=1e-3)
    # Gaussian tasks differ by E theta^2 - 1 = 2/d in the sum y^2 column's second moment.
    l = round(alpha * d)
    difference = model.icl_error(gamma, d, alpha, rho) - exact
    assert difference == pytest.approx((1 + 2 / l) * (2 / d) * np.sum(gamma[:, d] ** 2) / d, rel=1e-12)


def test_the_two_protocols_differ_by_order_one_over_d():
    """With one seed the protocols share every context, query and noise draw (common random
    numbers, ``task_draw``): trial by trial, e(authors) - e(derive) is the protocol's effect
    alone.  Its root mean square over 24 trials is O(1/d): d x RMS measured 1.5 to 2.0 (ICL)
    and 1.8 to 3.2 (IDG) at d = 12, 24, 36 for three seeds, log-log slopes -1.06 to -1.44.  An O(1)
    difference (a wrong normalisation, a wrong n) would give the slope 0, O(1/sqrt d) -1/2.  The
    RMS of 24 trials has a relative standard error of about sqrt((kurtosis - 1)/(4 x 24)) <= 0.2
    (kurtosis measured 2.4 to 4.5), so the slope over d = 12..36 is known to about +-0.2: it
    must lie in [-1.7, -0.7], and the RMS at d = 36 must be below 2/3 of that at d = 12 (1/3
    expected)."""
    from derive.montecarlo import sweep
    from derivations.lu2025_linear_attention import MODEL

    point = {"alpha": 1.0, "kappa": 0.5, "tau": 0.5, "rho": 0.01, "lam": 0.1}  # n/k = tau d/kappa, whole
    sizes, trials = (12, 24, 36), 24
    runs = {name: sweep(MODEL.sampler(name), [point], sizes, trials, seed=11) for name in ("derive", "authors")}
    for observable in ("e_icl", "e_idg"):
        rms = []
        for d in sizes:
            differences = np.array([a[observable] - b[observable]
                                    for a, b in zip(runs["authors"][0, d], runs["derive"][0, d])])
            assert np.all(differences != 0)
            rms.append(np.sqrt(np.mean(differences ** 2)))
        slope = np.polyfit(np.log(sizes), np.log(rms), 1)[0]
        assert rms[-1] < rms[0] / 1.5, (observable, rms)
        assert -1.7 <= slope <= -0.7, (observable, slope, rms)


def test_every_figure_takes_the_protocol_and_the_paper_size():
    """derive reproduce --protocol authors --paper-size passes both to every figure function."""
    import inspect

    from derivations.lu2025_linear_attention import paper

    assert paper.paper_size and "authors" in paper.model.protocols
    for name, figure in paper.figures.items():
        inspect.signature(figure).bind(paper, quick=True, seed=0, protocol="authors", paper_size=True)


def _authors_integers(d, alpha, kappa, tau):
    """K, n and the context length N as Lu et al.'s ``errors_from_DATA`` and ``construct_H_NEW``
    compute them (Pehlevan-Group/incontext-asymptotics-experiments, theory_runs/common.py):
    numpy's int64 truncation of the float products and np.round (half to even)."""
    if math.isinf(kappa):
        K, rp = np.int64(tau * d ** 2), 1
    else:
        K = np.int64(kappa * d)
        rp = np.int64(np.round(tau * d ** 2 / K))
    return int(K), int(rp * K), int(np.int64(alpha * d))


@pytest.mark.parametrize("d, alpha, kappa, tau", [
    (100, 0.29, 0.29, 0.5),       # 0.29 * 100 = 28.999999999999996: the code's K and N are 28
    (40, 9.62, 0.29, 0.5),        # 384.8 and 11.6 truncated, not rounded
    (100, 9.62, 1.07, 0.5),       # Fig. 2's alpha at d = 100: 9.62 * 100 = 961.9999999999999, N = 961
    (40, 1.0, 1.07, 1.2),         # Fig. 4's kappa at d = 40: K = 42 (42.800000000000004), not 43
    (10, 1.0, 0.4, 0.9),          # tau d^2/K = 22.5: np.round gives 22 (half to even)
    (20, 6.15, math.inf, 0.2079), # kappa = inf: K = n = floor(tau d^2) = 83, rp = 1
    (100, 1.0, 0.5, 0.5),         # the threshold point of issue 26: 50 tasks, 5000 sequences, 100 tokens
])
def test_authors_protocol_counts_as_their_code(d, alpha, kappa, tau):
    K, n, N = _authors_integers(d, alpha, kappa, tau)
    assert model.sequences(d, kappa, tau, "authors") == n
    assert model.context_length(d, alpha, "authors") == N
    assert model.error_length(d, alpha, "authors") == alpha * d  # their ell = d*alpha, unrounded
    if not math.isinf(kappa):
        assert model.task_count(d, kappa, "authors") == K
        assert len(model.sample_tasks(np.random.default_rng(0), d, kappa, "authors")) == K


def test_authors_protocol_samples_contexts_of_their_length(monkeypatch):
    """fit() under ``authors`` draws contexts of floor(alpha d) tokens (384 at d = 40, alpha = 9.62,
    where derive rounds to 385), and simulate() scores them with their ell = alpha d."""
    from derivations import linear_attention

    lengths = []

    def recording(rng, tasks, alpha, noise, d):
        lengths.append(int(round(alpha * d)))
        return linear_attention.context_statistics(rng, tasks, alpha, noise, d)

    monkeypatch.setattr(model, "context_statistics", recording)
    d, alpha = 40, 9.62
    for protocol, expected in (("authors", 384), ("derive", 385)):
        lengths.clear()
        result = model.simulate(np.random.default_rng(1), d, alpha, 0.29, 0.05, 0.1, 0.1, spectral=False,
                                protocol=protocol)
        assert set(lengths) == {expected} and np.isfinite(result["e_icl"])


def test_authors_icl_error_is_their_formula():
    """icl_error(sphere=True, ell=alpha d) against the authors' formula for the exact ICL error
    (``gen_err_analytical_NEW`` with mean 0 and R = I), transcribed from its definition:
    1 + rho + ((1 + rho)/d) tr(G^T G B) - (2/d) tr(G A), A = [I_d; 0],
    B = diag((1/alpha + (1 + 1/ell)/(1 + rho)) I_d, (1 + rho)(1 + 2/ell))."""
    rng = np.random.default_rng(8)
    d, alpha, rho = 7, 1.3, 0.2
    ell = alpha * d  # 9.1, not an integer: their formula does not round it
    gamma = rng.standard_normal((d, d + 1))
    A = np.vstack([np.eye(d), np.zeros((1, d))])
    B = np.diag([1 / alpha + (1 + 1 / ell) / (1 + rho)] * d + [(1 + rho) * (1 + 2 / ell)])
    theirs = 1 + rho + (1 + rho) / d * np.trace(gamma.T @ gamma @ B) - 2 / d * np.trace(gamma @ A)
    assert model.icl_error(gamma, d, alpha, rho, sphere=True, ell=ell) == pytest.approx(theirs, rel=1e-12)
