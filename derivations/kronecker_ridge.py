"""Ridge regression on Kronecker features without forming the Gram: conjugate gradients.

The fit of :func:`linear_attention.ridge_fit` is ridge regression on the rows
h_mu = x_mu (x) v_mu of an n x p design H, p = d_x d_v:

    (H^T H + r I) b = H^T y,        b = vec B, B d_x x d_v.

Forming H^T H costs 2 n p^2 flops and p^2 doubles (2e12 flops at d = 100, tau = 2; 13 GB at
d = 200).  Here it is never formed.

* **The design, matrix-free** (:class:`KroneckerDesign`).  (H b)_mu = x_mu^T B v_mu and
  H^T u = X^T diag(u) V, so one product with H^T H (or with H H^T) is two n x d_x x d_v matrix
  products, 4 n p flops, in row blocks that stay in cache.
* **Two forms, as in the dense fit.**
  - *primal*, n >= p: CG on (H^T H + r I) b = H^T y, preconditioned by
    P = n S_x (x) S_v + r I (:class:`KroneckerPreconditioner`);
  - *dual*, n < p: CG on (H H^T + r I) c = y with the Jacobi (diagonal) preconditioner
    diag(H H^T)_mu + r = |x_mu|^2 |v_mu|^2 + r, then b = H^T c.  From c = 0 the iterates stay in
    the range of H^T, so ``r = 0`` gives the minimum-norm solution.
  The primal form at n < p converges slowly: P excites the p - n directions where H^T H
  vanishes and H^T H + r I is only r (measured: condition 282 against 41 for the dual at
  d = 64, tau = 0.5, lam = 0.1; docs/performance.md).
* **The preconditioner: the empirical second moment, not the population one.**  The features'
  second moment is a Kronecker product because x_q is independent of v_Z:
  E[h h^T] = E[x x^T] (x) E[v v^T].  The simulation knows E[x x^T] = I/d, and E[v v^T] given
  the task pool could be derived for each model.  The empirical factors S_x = X^T X / n and
  S_v = V^T V / n are used instead, because
  - the fit sees only a sampler ``sample(rng, m) -> (x, v, y)``: lu2025, takanami2025 (low-rank
    pool) and letey2025 (any task covariance) share it, and none has to supply a formula (one
    more place for a formula to be wrong, for a preconditioner that only has to be close);
  - the factors see the pool actually drawn (its spikes at small kappa), and their error
    against the population moment is O(sqrt(d/n)) = O(1/sqrt(tau d)) in relative operator
    norm, small against the Marchenko-Pastur spread 4 sqrt(p/n) that sets the iterations;
  - they cost one pass over the data, O(n (d_x^2 + d_v^2)), less than one iteration.
  S_x (x) S_v is not the empirical moment (1/n) sum h h^T (that is the Gram), only its
  Kronecker approximation, which is what makes P^{-1} cheap: with S_x = U_x diag(a) U_x^T and
  S_v = U_v diag(c) U_v^T, P^{-1} R = U_x [(U_x^T R U_v) / (n a c^T + r)] U_v^T, two d x d
  eigendecompositions once and O(d^3) per application.
* **Iterations** (:func:`condition_number`, :func:`predicted_condition`,
  :func:`predicted_iterations`).  Whitened, z = (S_x (x) S_v)^{-1/2} h, the Gram (1/n) Z^T Z
  has the Marchenko-Pastur law of ratio g = p/n, edges (1 -+ sqrt(g))^2, so the preconditioned
  primal system has condition about

      kappa_eff = ((1 + sqrt g)^2 + r') / ((1 - sqrt g)^2 + r'),    r' = r p / (n tr S_x tr S_v)

  (the ridge over the mean eigenvalue of n S_x (x) S_v).  The dual's diagonal preconditioner
  does not whiten: its kernel H H^T is n times the Marchenko-Pastur law with population
  S_x (x) S_v (:func:`kernel_edges`), which is the formula above only when S_v is isotropic.
  With long contexts v_Z = (s; t) lies close to the pool's k tasks, S_v is nearly of rank k,
  and the dual's condition is up to 100 times the isotropic formula (measured at alpha = 100).
  CG reduces the error by 2 ((sqrt kappa - 1)/(sqrt kappa + 1))^k, about
  sqrt(kappa)/2 ln(2/eps) iterations for eps.  Measured against the condition CG meets (the
  Lanczos estimate from its own coefficients, :meth:`CGResult.extreme_eigenvalues`;
  docs/performance.md): 21.6 against 22.2 predicted for the primal at d = 100, tau = 2, and
  0.7 to 1.6 times the anisotropic prediction for the dual.
* **When to stop.**  On the relative residual in the preconditioner's norm,
  sqrt(r_k^T M^{-1} r_k / b^T M^{-1} b) <= ``rtol``: since M is close to the system's matrix,
  this tracks the relative error in the system's own norm, which is close to the norm the test
  errors see (they are quadratic in B, with a Hessian of the form I (x) E[v v^T]).
  :data:`RTOL` = 1e-11: a test error moved by at most 0.2 rtol at alpha = 1, and by 13 rtol at
  alpha = 100 near tau = 1, where the ICL test's fresh tasks weigh directions that training
  saw little (measured; the target is 1e-8 relative to the dense path).
* **Which path** (:func:`choose_method`, what ``ridge_fit`` does by default): dense when
  ``spectral`` (the Gram's eigenvalues are asked for) or when the predicted condition is
  infinite; otherwise CG when its predicted cost, the iterations above times 4 n p flops, is
  below the dense path's, each weighted by its measured seconds per flop.  Checked against
  the faster path measured both ways at d = 24 to 48, tau = 0.5 to 4, alpha = 1 and 100,
  lam = 0.1 and 1e-5: right in 39 of 40 cases (docs/performance.md).
* **Array module.**  Every array operation goes through ``xp`` (numpy by default), with
  numpy's names only (``matmul``, ``einsum``, ``linalg.eigh``) and no in-place updates, so a
  namespace with numpy's API in float64 (CuPy, ``jax.numpy`` with x64 enabled) can run it.
  The tests run it on numpy, and on a wrapper of numpy whose arrays refuse in-place updates.
"""

from __future__ import annotations

import contextlib
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

#: Relative residual (in the preconditioner's norm) at which CG stops.
RTOL = 1e-11

#: Rows of the design per block in a product with it (the n x d temporaries stay in cache).
BLOCK = 2048


class KroneckerDesign:
    """The n x p design H with rows x_mu (x) v_mu, held as its factors X (n x d_x), V (n x d_v).

    >>> import numpy as np
    >>> X, V = np.arange(6.).reshape(3, 2), np.ones((3, 2))
    >>> H = KroneckerDesign(X, V)
    >>> bool(np.allclose(H.apply(np.eye(2)), [1, 5, 9]))       # x^T B v
    True
    """

    def __init__(self, X, V, xp=np, block=BLOCK, map=map):
        self.xp, self.block, self.map = xp, block, map
        self.X, self.V = xp.asarray(X), xp.asarray(V)
        self.n, self.d_x = self.X.shape
        self.d_v = self.V.shape[1]

    def _map(self, part):
        """``part(rows)`` for each row block, in order, by ``self.map`` (by ``map`` when there
        is one block)."""
        blocks = [slice(start, min(start + self.block, self.n)) for start in range(0, self.n, self.block)]
        return (self.map if len(blocks) > 1 else map)(part, blocks)

    def _sum(self, part):
        """The sum of ``part(rows)`` over the row blocks, in order (so the result does not depend
        on how many threads run it)."""
        total = None
        for value in self._map(part):
            total = value if total is None else total + value
        return total

    def apply(self, B):
        """H vec B: (x_mu^T B v_mu)_mu, n values."""
        xp = self.xp
        return xp.concatenate(list(self._map(lambda rows: xp.einsum("ij,ij->i", self.X[rows] @ B, self.V[rows]))))

    def adjoint(self, u):
        """H^T u as a d_x x d_v matrix: X^T diag(u) V."""
        return self._sum(lambda rows: self.X[rows].T @ (u[rows, None] * self.V[rows]))

    def gram(self, B):
        """H^T H vec B, without H^T H: one block's forward and backward products at a time."""
        xp = self.xp

        def part(rows):
            x, v = self.X[rows], self.V[rows]
            return x.T @ (xp.einsum("ij,ij->i", x @ B, v)[:, None] * v)
        return self._sum(part)

    def kernel(self, c):
        """H H^T c = H (H^T c)."""
        return self.apply(self.adjoint(c))

    def kernel_diagonal(self):
        """diag(H H^T) = |x_mu|^2 |v_mu|^2."""
        xp = self.xp
        return xp.einsum("ij,ij->i", self.X, self.X) * xp.einsum("ij,ij->i", self.V, self.V)

    def second_moments(self):
        """(S_x, S_v) = (X^T X / n, V^T V / n)."""
        return self.X.T @ self.X / self.n, self.V.T @ self.V / self.n


@contextlib.contextmanager
def blocks_on_threads():
    """A ``map`` for :class:`KroneckerDesign` that spreads the row blocks over as many Python
    threads as BLAS had, with BLAS held to one thread meanwhile.

    CG's products are thin (n x d by d x d) and many (two per block, per iteration).  With
    OpenBLAS's own threads they ran 4 to 13 times slower than on one thread when the machine's
    other core was busy (the threads wait on each other at every call); Python threads, one
    BLAS thread each, do not (docs/performance.md).  Inside a sweep that already holds BLAS to
    one thread per trial this is the plain ``map``.
    """
    from threadpoolctl import threadpool_info, threadpool_limits

    threads = max([pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"], default=1)
    with threadpool_limits(limits=1, user_api="blas"):
        if threads <= 1:
            yield map
            return
        with ThreadPoolExecutor(threads) as executor:
            yield executor.map


class KroneckerPreconditioner:
    """M^{-1} for M = n S_x (x) S_v + r I, applied to a d_x x d_v matrix in O(d^3).

    With S_x = U_x diag(a) U_x^T and S_v = U_v diag(c) U_v^T,
    M^{-1} R = U_x [(U_x^T R U_v) / (n a c^T + r)] U_v^T.
    """

    def __init__(self, S_x, S_v, n, ridge, xp=np):
        self.xp = xp
        a, self.U_x = xp.linalg.eigh(S_x)
        c, self.U_v = xp.linalg.eigh(S_v)
        # The factors are PSD; round-off can leave an eigenvalue a hair below zero, and a
        # feature that is always zero leaves an exact zero (floored, for ridge = 0).
        eigenvalues = n * xp.maximum(a, 0)[:, None] * xp.maximum(c, 0)[None, :] + ridge
        self.eigenvalues = xp.maximum(eigenvalues, 1e-14 * xp.max(eigenvalues))

    def __call__(self, R):
        return self.U_x @ ((self.U_x.T @ R @ self.U_v) / self.eigenvalues) @ self.U_v.T


@dataclass
class CGResult:
    """What :func:`conjugate_gradient` returns: the solution, the iterations it took, whether it
    met the tolerance, the final relative residual, and CG's coefficients (the Lanczos
    tridiagonal of the preconditioned matrix, for :meth:`extreme_eigenvalues`)."""

    solution: object
    iterations: int
    converged: bool
    residual: float
    alphas: list = field(default_factory=list, repr=False)
    betas: list = field(default_factory=list, repr=False)

    def extreme_eigenvalues(self):
        """(lowest, highest) Ritz values of the preconditioned matrix M^{-1} A: the Lanczos
        tridiagonal T with T_kk = 1/alpha_k + beta_{k-1}/alpha_{k-1} and
        T_{k,k+1} = sqrt(beta_k)/alpha_k.  Their ratio is a lower bound on the condition
        number, which improves with the iterations."""
        k = len(self.alphas)
        if k == 0:
            return float("nan"), float("nan")
        a, b = np.asarray(self.alphas), np.asarray(self.betas[:k - 1])
        diagonal = 1 / a
        diagonal[1:] += b / a[:-1]
        off = np.sqrt(b) / a[:-1]
        T = np.diag(diagonal) + np.diag(off, 1) + np.diag(off, -1)
        ritz = np.linalg.eigvalsh(T)
        return float(ritz[0]), float(ritz[-1])


def conjugate_gradient(operator, precondition, rhs, rtol=RTOL, maxiter=10000, xp=np):
    """Solve A x = rhs for symmetric positive definite A by preconditioned conjugate gradients.

    ``operator(x)`` is A x and ``precondition(r)`` is M^{-1} r, on arrays of any shape (the
    inner product is the sum over all entries).  Starts from x = 0 and stops when
    sqrt(r_k^T M^{-1} r_k / rhs^T M^{-1} rhs) <= rtol.

    >>> import numpy as np
    >>> A = np.array([[4.0, 1.0], [1.0, 3.0]])
    >>> result = conjugate_gradient(lambda x: A @ x, lambda r: r, np.array([1.0, 2.0]))
    >>> result.iterations, bool(np.allclose(A @ result.solution, [1.0, 2.0]))
    (2, True)
    """
    x = xp.zeros_like(rhs)
    r = rhs
    z = precondition(r)
    rz = float(xp.sum(r * z))
    if rz == 0:
        return CGResult(x, 0, True, 0.0)
    initial = rz
    p = z
    alphas, betas = [], []
    residual = 1.0
    for k in range(1, maxiter + 1):
        q = operator(p)
        alpha = rz / float(xp.sum(p * q))
        x = x + alpha * p
        r = r - alpha * q
        z = precondition(r)
        rz_new = float(xp.sum(r * z))
        beta = rz_new / rz
        alphas.append(alpha)
        betas.append(beta)
        residual = math.sqrt(max(rz_new, 0.0) / initial)
        if residual <= rtol:
            return CGResult(x, k, True, residual, alphas, betas)
        p = z + beta * p
        rz = rz_new
    return CGResult(x, maxiter, False, residual, alphas, betas)


def scaled_ridge(ridge, n, trace_x, trace_v, p):
    """r' = r / (n m), m = tr S_x tr S_v / p the mean eigenvalue of S_x (x) S_v."""
    mean = trace_x * trace_v / p
    return ridge / (n * mean) if mean > 0 else math.inf


def condition_number(g, scaled):
    """The Marchenko-Pastur condition number ((1 + sqrt g)^2 + r') / ((1 - sqrt g)^2 + r') of
    the preconditioned system at ratio g = p/n and scaled ridge r' (inf at g = 1, r' = 0).

    >>> round(condition_number(0.5, 0.0), 2)       # tau = 2, ridgeless: ((1 + 0.707)/(1 - 0.707))^2
    33.97
    """
    low = (1 - math.sqrt(g)) ** 2 + scaled
    return ((1 + math.sqrt(g)) ** 2 + scaled) / low if low > 0 else math.inf


def kernel_edges(t, n):
    """The edges (lower, upper) of the spectrum of (1/n) Z diag(t) Z^T, Z n x p with independent
    standard entries, p = len(t) > n: the Marchenko-Pastur law with population eigenvalues t
    (Silverstein's equation).  Its companion Stieltjes transform m solves
    z = -1/m + (1/n) sum_i t_i / (1 + t_i m), and the edges are where z'(m) = 0:

    * the upper edge is min z(m) over -1/max t < m < 0, where (1/n) sum (t_i s/(1 - t_i s))^2 = 1,
      s = -m;
    * the lower edge is max z(m) over m > 0, where (1/n) sum (t_i m/(1 + t_i m))^2 = 1 (no root,
      and lower edge 0, when at most n of the t_i are positive).

    Both left-hand sides increase in s (in m), so each root is found by bisection.  At t = 1 the
    edges are (sqrt(p/n) -+ 1)^2:

    >>> [round(e, 6) for e in kernel_edges(np.ones(200), 50)]
    [1.0, 9.0]
    """
    t = np.asarray(t, dtype=float)
    t = t[t > 0]
    z = lambda m: -1 / m + np.sum(t / (1 + t * m)) / n  # noqa: E731
    low, high = 0.0, 1 / t.max()
    for _ in range(200):
        s = (low + high) / 2
        low, high = (s, high) if np.sum((t * s / (1 - t * s)) ** 2) < n else (low, s)
    upper = float(z(-(low + high) / 2))
    if len(t) <= n:
        return 0.0, upper
    rising = lambda m: np.sum((t * m / (1 + t * m)) ** 2) - n  # noqa: E731
    low, high = 1 / t.max(), 1 / t.max()
    while rising(high) < 0:
        high *= 2
    while rising(low) > 0:
        low /= 2
    for _ in range(200):
        m = math.sqrt(low * high)
        low, high = (m, high) if rising(m) < 0 else (low, m)
    return float(z(math.sqrt(low * high))), upper


def predicted_condition(n, a, c, ridge):
    """The predicted condition of the system CG solves, from the eigenvalues a of S_x and c of
    S_v (numpy arrays):

    * primal (n >= p): whitened by its preconditioner, the Marchenko-Pastur condition
      :func:`condition_number` at g = p/n and r' = r p / (n sum a sum c);
    * dual (n < p): the kernel H H^T is n times the law of :func:`kernel_edges` with population
      t = a_i c_j (the diagonal preconditioner leaves its shape), so
      (n upper + r) / (n lower + r).  With S_v anisotropic (long contexts: v_Z = (s; t) close
      to the pool's k tasks) this is far above the isotropic formula, which it equals at
      t = const.
    """
    a, c = np.clip(np.asarray(a, dtype=float), 0, None), np.clip(np.asarray(c, dtype=float), 0, None)
    p = len(a) * len(c)
    if n >= p:
        return condition_number(p / n, scaled_ridge(ridge, n, a.sum(), c.sum(), p))
    low, high = kernel_edges(np.outer(a, c).ravel(), n)
    return (n * high + ridge) / (n * low + ridge) if n * low + ridge > 0 else math.inf


def predicted_iterations(kappa, rtol=RTOL):
    """sqrt(kappa)/2 ln(2/rtol): the iterations after which CG's bound
    2 ((sqrt kappa - 1)/(sqrt kappa + 1))^k falls below rtol."""
    return math.sqrt(kappa) / 2 * math.log(2 / rtol)


@dataclass
class Fit:
    """A matrix-free fit: B (d_x x d_v, in the array module), the form, and CG's record."""

    B: object
    form: str
    result: CGResult
    kappa: float


def solve(design, y, ridge, form=None, rtol=RTOL, maxiter=None, moments=None):
    """B with vec B = (H^T H + r I)^{-1} H^T y by preconditioned CG, in the primal form when
    n >= p and the dual otherwise (module docstring); ``form`` forces one.

    ``moments`` = (S_x, S_v) replaces the empirical factors X^T X / n and V^T V / n (for
    instance by the population second moments, when the caller knows them).  ``maxiter``
    defaults to four times the predicted iterations (at least 200)."""
    if not rtol > 0:
        raise ValueError(f"rtol must be positive, got {rtol}")
    xp, n = design.xp, design.n
    p = design.d_x * design.d_v
    form = form or ("primal" if n >= p else "dual")
    y = xp.asarray(y)
    if moments is None:
        S_x, S_v = design.second_moments()
    else:
        S_x, S_v = xp.asarray(moments[0]), xp.asarray(moments[1])
    host = getattr(xp, "asnumpy", np.asarray)
    kappa = predicted_condition(n, host(xp.linalg.eigvalsh(S_x)), host(xp.linalg.eigvalsh(S_v)), ridge)
    if maxiter is None:
        maxiter = max(200, int(4 * predicted_iterations(kappa, rtol))) if math.isfinite(kappa) else 20000
    if form == "primal":
        precondition = KroneckerPreconditioner(S_x, S_v, n, ridge, xp)
        result = conjugate_gradient(lambda B: design.gram(B) + ridge * B, precondition, design.adjoint(y),
                                    rtol, maxiter, xp)
        return Fit(result.solution, form, result, kappa)
    if form != "dual":
        raise ValueError(f"form must be 'primal' or 'dual', got {form!r}")
    diagonal = design.kernel_diagonal() + ridge
    diagonal = xp.maximum(diagonal, 1e-14 * xp.max(diagonal))          # an all-zero row, ridge = 0
    result = conjugate_gradient(lambda c: design.kernel(c) + ridge * c, lambda r: r / diagonal, y, rtol, maxiter, xp)
    return Fit(design.adjoint(result.solution), form, result, kappa)


#: Seconds per flop of CG's products over those of the dense primal path (the Gram's large
#: matrix product and its solve): 0.12 to 0.22 ns against 0.05 to 0.08 (measured, one BLAS
#: thread, d = 32 to 64; docs/performance.md).  CG is a Python loop of thinner n x d x d products.
CG_FLOP_COST = 3.0

#: A CG iteration's fixed cost (the loop, the preconditioner's d x d products), in flops of
#: its products: about 0.1 ms, measured at d = 16 and 24.
CG_ITERATION_OVERHEAD = 6e5

#: Seconds per flop of the dense dual (the n x n kernel, a Hadamard product, and its solve) over
#: those of the dense primal: 0.13 to 0.16 ns against 0.05 to 0.08 (measured, as above).
DUAL_FLOP_COST = 2.5


def dense_flops(n, d_x, d_v):
    """The dense fit's cost in flops of the primal path: the Gram (2 n p^2) and its solve
    (2/3 p^3) when n >= p; the dual kernel (2 n^2 (d_x + d_v)) and its solve (2/3 n^3),
    weighted by :data:`DUAL_FLOP_COST`, otherwise."""
    p = d_x * d_v
    if n >= p:
        return 2 * n * p * p + 2 * p ** 3 / 3
    return DUAL_FLOP_COST * (2 * n * n * (d_x + d_v) + 2 * n ** 3 / 3)


def cg_flops(n, d_x, d_v, kappa, rtol=RTOL):
    """The CG fit's cost in the same units: the predicted iterations times 4 n p flops (a
    product with the Gram or the kernel) and :data:`CG_ITERATION_OVERHEAD`, weighted by
    :data:`CG_FLOP_COST`."""
    p = d_x * d_v
    return CG_FLOP_COST * predicted_iterations(kappa, rtol) * (4 * n * p + CG_ITERATION_OVERHEAD)


def choose_method(n, d_x, d_v, spectral, kappa, rtol=RTOL):
    """``"dense"`` or ``"cg"``: the path :func:`linear_attention.ridge_fit` takes by default.

    * ``spectral``: dense (the eigenvalues of the Gram are asked for);
    * ``kappa`` infinite (ridgeless at n = p, or a singular kernel): dense (its minimum-norm
      cut-off);
    * otherwise CG when :func:`cg_flops` < :func:`dense_flops`, both in seconds per flop of
      the dense primal (measured constants above).

    ``kappa`` is the predicted condition of the system CG would solve
    (:func:`predicted_condition`).  At Lu et al.'s lam = 0.1 and alpha = 1 the rule takes CG
    from d = 24 at tau = 2 and 4 and from d = 48 at tau = 0.5 (where the dense dual is an
    n x n system, n = d^2 / 2); near tau = 1 with lam -> 0, and at tau < 1 with long contexts
    (alpha = 100: S_v nearly of rank k), it keeps the dense path until d is larger.

    Measured, one BLAS thread, both paths on the same data (tau = 0.5, 0.85, 1.15, 2, 4): the
    rule took the faster path in 14 of 15 cases at alpha = 1, lam = 0.1, d = 24, 32, 48 (the
    miss: d = 24, tau = 1.15, CG 34 ms against 82 ms dense), 15 of 15 at alpha = 100,
    lam = 1e-5, and 10 of 10 at alpha = 1, lam = 1e-5, d = 32, 48.  At d = 100, tau = 2 it
    takes CG, 40 to 50 times faster than the dense path (docs/performance.md).

    >>> choose_method(20000, 100, 101, False, condition_number(0.505, 0.05))
    'cg'
    >>> choose_method(20000, 100, 101, True, condition_number(0.505, 0.05))
    'dense'
    """
    if spectral or not math.isfinite(kappa):
        return "dense"
    return "cg" if cg_flops(n, d_x, d_v, kappa, rtol) < dense_flops(n, d_x, d_v) else "dense"
