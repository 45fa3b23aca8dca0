"""derivations.linear_attention.ridge_fit: the primal and dual forms equal the ridge solution on the full design."""

import numpy as np
import pytest

from derivations.linear_attention import features, ridge_fit


def gaussian(rng, m, dx=4, dv=5):
    return rng.standard_normal((m, dx)), rng.standard_normal((m, dv)), rng.standard_normal(m)


def full_design(n, chunk, seed=1):
    rng = np.random.default_rng(seed)
    parts = [gaussian(rng, min(chunk, n - s)) for s in range(0, n, chunk)]
    return np.vstack([features(x, v) for x, v, _ in parts]), np.concatenate([y for *_, y in parts])


@pytest.mark.parametrize("n", [7, 19, 20, 60])          # dual below p = 20 features, primal from 20
@pytest.mark.parametrize("r", [0.0, 0.5])
@pytest.mark.parametrize("spectral", [False, True])
def test_fit_is_the_ridge_solution(n, r, spectral):
    H, y = full_design(n, chunk=6)
    B, eigenvalues = ridge_fit(np.random.default_rng(1), n, gaussian, r, spectral=spectral, chunk=6)
    expected = (np.linalg.lstsq(H, y, rcond=None)[0] if r == 0
                else np.linalg.solve(H.T @ H + r * np.eye(20), H.T @ y))
    np.testing.assert_allclose(B.ravel(), expected, rtol=1e-9, atol=1e-11)
    assert B.shape == (4, 5)
    if spectral:
        np.testing.assert_allclose(np.sort(eigenvalues), np.linalg.eigvalsh(H.T @ H), atol=1e-9)
    else:
        assert eigenvalues is None


def test_kernel_of_kronecker_features_is_a_hadamard_product():
    x, v, _ = gaussian(np.random.default_rng(0), 9)
    h = features(x, v)
    np.testing.assert_allclose(h @ h.T, (x @ x.T) * (v @ v.T), rtol=1e-12)
    np.testing.assert_allclose(h[2].reshape(4, 5), np.outer(x[2], v[2]))


# ---- the matrix-free fit (derivations.kronecker_ridge) ----------------------------------------

import doctest  # noqa: E402

from derivations import kronecker_ridge, lu2025_model, takanami2025_model  # noqa: E402

ALPHA, KAPPA, RHO = 1.0, 0.5, 0.01


def lu2025_fit(d, tau, lam, method, seed=3, report=None):
    """Gamma fitted on Lu et al.'s model by one path, with its pool; the generator's state after."""
    rng = np.random.default_rng(seed)
    n = int(round(tau * d * d))
    pool = lu2025_model.sample_tasks(rng, d, KAPPA)
    gamma, _ = ridge_fit(rng, n, lambda rng, m: lu2025_model.sample_batch(rng, d, m, ALPHA, RHO, pool),
                         n / d * lam, method=method, report=report)
    return gamma, pool, rng.bit_generator.state


@pytest.mark.parametrize("d, tau, lam", [(16, 0.5, 0.1), (24, 0.5, 0.1), (16, 2.0, 0.1), (24, 2.0, 0.1),
                                         (20, 4.0, 0.01), (20, 0.5, 0.0), (20, 2.0, 0.0)])
def test_matrix_free_fit_gives_the_dense_test_errors(d, tau, lam):
    """The exact ICL and IDG errors of the CG fit equal the dense fit's to 1e-8 relative, on the
    same data (both forms: dual at tau < 1, primal at tau > 1; ridgeless included)."""
    report = {}
    dense, pool, state_dense = lu2025_fit(d, tau, lam, "dense")
    cg, _, state_cg = lu2025_fit(d, tau, lam, "cg", report=report)
    assert state_cg == state_dense                       # the same draws whatever the path
    assert report["method"] == "cg" and report["form"] == ("dual" if tau < 1 else "primal")
    for error in (lu2025_model.icl_error(dense, d, ALPHA, RHO), lu2025_model.idg_error(dense, pool, ALPHA, RHO)):
        assert np.isfinite(error)
    np.testing.assert_allclose(lu2025_model.icl_error(cg, d, ALPHA, RHO),
                               lu2025_model.icl_error(dense, d, ALPHA, RHO), rtol=1e-8)
    np.testing.assert_allclose(lu2025_model.idg_error(cg, pool, ALPHA, RHO),
                               lu2025_model.idg_error(dense, pool, ALPHA, RHO), rtol=1e-8)
    np.testing.assert_allclose(cg, dense, rtol=0, atol=1e-7 * np.max(np.abs(dense)))


def test_takanami_fit_by_either_path():
    """Takanami et al.'s fit goes through the same ridge_fit: the CG path gives its errors too."""
    D, alpha, tau, sigma2, lam = 20, 1.5, 2.25, 0.09, 0.01
    fits = {}
    for method in ("dense", "cg"):
        rng = np.random.default_rng(5)
        instance = takanami2025_model.Instance(rng, D, 1.5, 0.5)
        n = int(round(tau * D * D))
        fits[method], _ = ridge_fit(rng, n, lambda rng, m: takanami2025_model.sample_batch(rng, instance, m, alpha,
                                                                                        sigma2),
                                    lam * instance.k, method=method)
    for protocol in takanami2025_model.PROTOCOLS:
        C = instance.second_moment(protocol)
        np.testing.assert_allclose(takanami2025_model.test_error(fits["cg"], C, alpha),
                                   takanami2025_model.test_error(fits["dense"], C, alpha), rtol=1e-8)


@pytest.mark.parametrize("n", [7, 19, 20, 60])
def test_cg_is_the_ridge_solution_on_gaussian_factors(n):
    H, y = full_design(n, chunk=6)
    B, eigenvalues = ridge_fit(np.random.default_rng(1), n, gaussian, 0.5, chunk=6, method="cg", rtol=1e-13)
    np.testing.assert_allclose(B.ravel(), np.linalg.solve(H.T @ H + 0.5 * np.eye(20), H.T @ y), rtol=1e-9,
                               atol=1e-11)
    assert eigenvalues is None


def test_the_path_is_chosen_by_cost():
    report = {}
    ridge_fit(np.random.default_rng(0), 40, gaussian, 0.5, report=report)       # p = 20: dense is cheap
    assert report["method"] == "dense"
    kappa = kronecker_ridge.condition_number(0.505, 0.05)                      # d = 100, tau = 2, lam = 0.1
    assert kronecker_ridge.choose_method(20000, 100, 101, False, kappa) == "cg"
    assert kronecker_ridge.choose_method(20000, 100, 101, True, kappa) == "dense"          # spectral
    ridgeless_at_threshold = kronecker_ridge.condition_number(1.0, 0.0)
    assert kronecker_ridge.choose_method(10100, 100, 101, False, ridgeless_at_threshold) == "dense"
    with pytest.raises(ValueError, match="spectral"):
        ridge_fit(np.random.default_rng(0), 40, gaussian, 0.5, spectral=True, method="cg")
    with pytest.raises(ValueError, match="method"):
        ridge_fit(np.random.default_rng(0), 40, gaussian, 0.5, method="lbfgs")


@pytest.mark.parametrize("tau, alpha", [(4.0, 1.0), (0.5, 1.0), (0.5, 30.0)])
def test_iterations_follow_the_marchenko_pastur_condition(tau, alpha):
    """CG's own Lanczos estimate of the preconditioned condition, and its iterations, against
    the Marchenko-Pastur prediction: isotropic after the Kronecker preconditioner in the primal
    form (tau = 4), with S_x (x) S_v as population in the dual (tau = 0.5), where long contexts
    make it anisotropic (alpha = 30: the condition is several times the isotropic one)."""
    d, lam = 24, 0.1
    rng = np.random.default_rng(3)
    n = int(round(tau * d * d))
    pool = lu2025_model.sample_tasks(rng, d, KAPPA)
    report = {}
    ridge_fit(rng, n, lambda rng, m: lu2025_model.sample_batch(rng, d, m, alpha, RHO, pool), n / d * lam,
              method="cg", report=report)
    low, high = report["ritz"]
    assert 0.5 < (high / low) / report["kappa_predicted"] < 2
    predicted = kronecker_ridge.predicted_iterations(report["kappa_predicted"])
    assert 0.5 * predicted < report["iterations"] < 1.5 * predicted
    if alpha > 1:
        isotropic = kronecker_ridge.condition_number(d * (d + 1) / n, 0.0)
        assert report["kappa_predicted"] > 3 * isotropic


def test_conjugate_gradient_stops_at_maxiter():
    A = np.diag(np.geomspace(1, 1e6, 50))
    result = kronecker_ridge.conjugate_gradient(lambda x: A @ x, lambda r: r, np.ones(50), rtol=1e-14, maxiter=5)
    assert not result.converged and result.iterations == 5


def test_unconverged_cg_falls_back_to_the_dense_fit(monkeypatch):
    solve = kronecker_ridge.conjugate_gradient
    monkeypatch.setattr(kronecker_ridge, "conjugate_gradient",
                        lambda operator, precondition, rhs, rtol, maxiter, xp: solve(operator, precondition, rhs,
                                                                                     rtol, 2, xp))
    report = {}
    with pytest.warns(RuntimeWarning, match="solving densely"):
        B, _ = ridge_fit(np.random.default_rng(1), 60, gaussian, 0.5, chunk=6, method="cg", report=report)
    H, y = full_design(60, chunk=6)
    np.testing.assert_allclose(B.ravel(), np.linalg.solve(H.T @ H + 0.5 * np.eye(20), H.T @ y), rtol=1e-9)
    assert report["method"] == "dense"


def test_kronecker_ridge_doctests():
    assert doctest.testmod(kronecker_ridge).failed == 0


class Frozen(np.ndarray):
    """An array that refuses in-place updates, as JAX's do."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("in-place update of an immutable array")

    __setitem__ = __iadd__ = __isub__ = __imul__ = __itruediv__ = __imatmul__ = _refuse


class FrozenNumpy:
    """numpy as an array module whose every array result is :class:`Frozen`."""

    def __init__(self, module=np):
        self._module = module

    def __getattr__(self, name):
        value = getattr(self._module, name)
        if name == "linalg":
            return FrozenNumpy(value)
        if not callable(value) or isinstance(value, type):
            return value

        def frozen(*args, **kwargs):
            result = value(*args, **kwargs)
            if isinstance(result, tuple):
                return type(result)(*(r.view(Frozen) if isinstance(r, np.ndarray) else r for r in result))
            return result.view(Frozen) if isinstance(result, np.ndarray) else result
        return frozen


def test_cg_path_runs_on_an_array_module_without_in_place_updates():
    """The CG path goes through ``xp`` only, with no in-place update (JAX forbids them): the same
    fit on a namespace whose arrays refuse them."""
    for n in (12, 40):                                            # the dual and the primal form
        expected, _ = ridge_fit(np.random.default_rng(2), n, gaussian, 0.3, method="cg")
        report = {}
        B, _ = ridge_fit(np.random.default_rng(2), n, gaussian, 0.3, method="cg", xp=FrozenNumpy(), report=report)
        assert type(B) is np.ndarray and report["form"] == ("dual" if n < 20 else "primal")
        np.testing.assert_allclose(B, expected, rtol=1e-12)
    with pytest.raises(TypeError, match="in-place"):
        FrozenNumpy().zeros(3).__iadd__(1)


def test_row_blocks_on_threads_give_the_same_products():
    """The design's products over row blocks are the same, to the last bit, whether the blocks
    run in a loop or on threads (they are summed in order); the BLAS limit is restored after."""
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_info, threadpool_limits

    rng = np.random.default_rng(4)
    X, V, B, c = (rng.standard_normal(shape) for shape in ((50, 4), (50, 5), (4, 5), 50))
    serial = kronecker_ridge.KroneckerDesign(X, V, block=7)
    with ThreadPoolExecutor(3) as executor:
        threaded = kronecker_ridge.KroneckerDesign(X, V, block=7, map=executor.map)
        for product, argument in (("gram", B), ("apply", B), ("adjoint", c), ("kernel", c)):
            assert np.array_equal(getattr(threaded, product)(argument), getattr(serial, product)(argument))
    H = features(X, V)
    np.testing.assert_allclose(serial.gram(B).ravel(), H.T @ H @ B.ravel(), rtol=1e-12)
    # The tests run with one BLAS thread (conftest.py): two here, so that a limit left at one shows.
    with threadpool_limits(limits=2, user_api="blas"):
        before = [pool["num_threads"] for pool in threadpool_info()]
        assert 2 in before
        with kronecker_ridge.blocks_on_threads() as block_map:
            assert np.array_equal(kronecker_ridge.KroneckerDesign(X, V, block=7, map=block_map).gram(B), serial.gram(B))
        assert [pool["num_threads"] for pool in threadpool_info()] == before
