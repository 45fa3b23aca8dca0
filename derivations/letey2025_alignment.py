"""Letey, Zavatone-Veth, Lu, Pehlevan, "Pretrain-test task alignment governs generalization in
in-context learning" (arXiv 2509.26551): the ICL error for any pretraining and test task
covariances.

The model is that of Lu et al. (``lu2025``) with pretraining tasks w ~ N(0, C_train),
<C_train> = 1, and test tasks of second moment C_test.  The error (the paper's split into a scalar
part, their (C.16), and a misalignment term; the formulas from the authors' code, see "Sources" in
docs/derivations/letey2025.md) is

    e = sigma2 + (rho_te / alpha_test) [1 + (c_e - 2 nu) M + (xi c_e - nu^2) M'] + <C_test K(C_train)>,

with M = <(a C_train + nu)^{-1}>, a = 1 - 1/kappa + nu M / kappa (the deterministic equivalent of
the task Gram's resolvent, a fact checked here), nu = (1 + sigma2)/alpha + xi, the kernel
K(l) = c_e/(a l + nu) + (nu^2 - xi c_e)(a' l + 1)/(a l + nu)^2, a' = (M + nu M')/kappa, and the
pretraining-error term c_e.  The derivation checks the formula against ridge fits of the model,
and derives its special cases: matched isotropic tasks (equal to lu2025), a spiked test
covariance, and low-rank pretraining with a low-rank test subspace.

``alignment_error`` evaluates the formula for covariances given by their spectra and overlaps.
"""

import functools

import numpy as np
import sympy as sp

from derive import Derivation, Simulation
from derive.bindings import substitute
from derive.grid import shown
from derive.solvers import bisect
from derive.notation import Meaning
from derive.errors import UsageError
from derive.registry import Domain, Paper
from derive.rmt import SpectralMean

from . import lu2025_model
from .lu2025_linear_attention import paper as lu2025_paper
from .marchenko_pastur import M as M_mp
from .marchenko_pastur import paper as marchenko_pastur_paper

alpha, alpha_t, kappa, tau = sp.symbols("alpha alpha_test kappa tau", positive=True)
sigma2, lam_lu = sp.symbols("sigma2 lam_L", nonnegative=True)
xi, nu = sp.symbols("xi nu", positive=True)
# An eigenvalue of C_train may be 0 (a low-rank C_train): ell is nonnegative, not positive.
ell = sp.Symbol("ell", nonnegative=True)
rank_train, lam_i = sp.symbols("rho_train lambda_i", positive=True)
M_l, Mp_l, a_l, ap_l, c_e = sp.symbols("M_L Mp_L a_L ap_L c_e", real=True)
e_align, e_mis, e_measured = sp.symbols("e_align e_mis e_measured", real=True)
K = sp.Function("K")

PARAMETERS = (alpha, alpha_t, kappa, tau, sigma2, lam_lu)


def mean_c(f):
    """<f(C_train)>, the mean over the spectrum of the pretraining task covariance."""
    return SpectralMean(f, ell, "C")


def a_expr(M):
    return 1 - 1 / kappa + nu * M / kappa


def ap_expr(M, Mp):
    return (M + nu * Mp) / kappa


def c_e_expr(M, Mp):
    """The pretraining-error term (the authors' code's c_e; probably the paper's q of (C.14))."""
    return (sigma2 + nu - nu**2 * M - xi * (1 - 2 * nu * M - nu**2 * Mp)) / (tau - (1 - 2 * xi * M - xi**2 * Mp))


def kernel_expr(at, M, Mp):
    """K(at) = c_e F + (nu^2 - xi c_e) F_2 at an eigenvalue ``at`` of C_train."""
    a, ap, c = a_expr(M), ap_expr(M, Mp), c_e_expr(M, Mp)
    return c / (a * at + nu) + (nu**2 - xi * c) * (ap * at + 1) / (a * at + nu)**2


def scalar_part(M, Mp, test_trace=1):
    """sigma2 + (rho_te/alpha_test)[1 + (c_e - 2 nu) M + (xi c_e - nu^2) M'], rho_te = <C_test> + sigma2."""
    c = c_e_expr(M, Mp)
    return sigma2 + (test_trace + sigma2) / alpha_t * (1 + (c - 2 * nu) * M + (xi * c - nu**2) * Mp)


def low_rank_error(protocol, M, Mp, rank):
    """The error at C_train = P/rank and C_test = C_train ("idg") or I ("odg")."""
    parallel, perpendicular = kernel_expr(1 / rank, M, Mp), kernel_expr(0, M, Mp)
    misalignment = parallel if protocol == "idg" else rank * parallel + (1 - rank) * perpendicular
    return scalar_part(M, Mp) + misalignment


# ---- simulation -------------------------------------------------------------------------------


@functools.cache
def _lowered():
    """The numeric functions of the solvers, lowered from the checked steps (made once, whole,
    so that threads of a sweep never see a part of them):

    * ``term``, ``dterm_dM``, ``dterm_dnu``: the integrand ``1/(a l + nu)`` of the
      self-consistency ``letey-M-self-consistent`` with ``a`` from ``letey-a-def``, and its
      derivatives by sympy, as functions of (l, M, kappa, nu);
    * ``a``: ``letey-a-def`` as a function of (M, kappa, nu);
    * ``nu``: ``letey-nu-def`` as a function of (xi, alpha, sigma2);
    * ``ridge``: the residual of ``letey-effective-ridge`` as a function of (xi, M, tau, lam_L).
    """
    D = paper.derivation()
    a_value = D["letey-a-def"].statement.rhs
    integrand = substitute(D["letey-M-self-consistent"].statement.rhs.args[0], [(a_l, a_value)])
    per_eigenvalue = (ell, M_l, kappa, nu)
    lower = lambda expr, args: sp.lambdify(args, expr, modules="numpy", cse=True)
    return {"term": lower(integrand, per_eigenvalue),
            "dterm_dM": lower(sp.diff(integrand, M_l), per_eigenvalue),
            "dterm_dnu": lower(sp.diff(integrand, nu), per_eigenvalue),
            "a": lower(a_value, (M_l, kappa, nu)),
            "nu": lower(D["letey-nu-def"].statement.rhs, (xi, alpha, sigma2)),
            "ridge": lower(D["letey-effective-ridge"].residual, (xi, M_l, tau, lam_lu))}


def solve_M(eigenvalues, weights, kappa_v, nu_v, iterations=200):
    """M = sum_i w_i / (a l_i + nu), a = a(M) (the self-consistency of ``letey-M-self-consistent``
    on the spectrum ``eigenvalues`` with ``weights``), and M' = dM/dnu, for one (kappa, nu):
    M by bisection on the residual, increasing where a >= 0, M' by implicit differentiation of it, with the
    integrand and its derivatives lowered from the steps by sympy."""
    f = _lowered()
    eigenvalues, weights = np.asarray(eigenvalues, dtype=float), np.asarray(weights, dtype=float)
    # The solution has a >= 0 (a = 0 at M = (1 - kappa)/nu), where the residual increases in M:
    # negative at a = 0 (-kappa/nu), positive at M = 1/nu.  Below, a < 0 puts poles -nu/a among
    # the eigenvalues and spurious roots between them (kappa < 1).
    lower = max(0.0, (1 - kappa_v) / nu_v)
    upper = 1 / nu_v

    def mean(function, M):
        values = function(eigenvalues, M, kappa_v, nu_v)
        return float(np.sum(weights * np.broadcast_to(values, eigenvalues.shape)))

    M = bisect(lambda M: M - mean(f["term"], M), lower, upper, iterations)
    # Implicit differentiation of F(M, nu) = M - <term(M, nu)> = 0.
    dF_dM = 1 - mean(f["dterm_dM"], M)
    dF_dnu = -mean(f["dterm_dnu"], M)
    return M, -dF_dnu / dF_dM


def covariance(kind, d):
    """Task covariances with trace d: "half" (rank d/2, eigenvalue 2), "power" ((j+1)^-0.9)."""
    if kind == "half":
        values = np.where(np.arange(d) < d // 2, 2.0, 0.0)
    elif kind == "power":
        values = (np.arange(d) + 1.0) ** -0.9
    else:
        raise ValueError(f"unknown covariance {kind!r}")
    return values * d / values.sum()


def sample_resolvent(rng, d, point):
    """(1/d) tr (S_hat + nu)^{-1} of the task Gram of k = kappa d tasks w ~ N(0, C), and the
    self-consistency's right side at that value."""
    kind = "half" if float(point[rank_train]) == 0.5 else "power"
    spectrum = covariance(kind, d)
    kappa_v, nu_v = float(point[kappa]), float(point[nu])
    k = int(round(kappa_v * d))
    W = rng.standard_normal((k, d)) * np.sqrt(spectrum)
    measured = np.mean(1 / (np.linalg.eigvalsh(W.T @ W / k) + nu_v))
    a = _lowered()["a"](measured, kappa_v, nu_v)
    return {M_l: measured, a_l: a, mean_c(1 / (a_l * ell + nu)): np.mean(1 / (a * spectrum + nu_v))}


def alignment_error(train, test, alpha_v, alpha_test_v, kappa_v, tau_v, sigma2_v, lam_v=0.0, weights=None):
    """The error for a pretraining covariance with eigenvalues ``train`` (mean 1, with
    ``weights``, default uniform) and a test covariance whose diagonal in that eigenbasis is
    ``test``; returns {"e", "scalar", "misalign", "xi", "nu", "M", "M_prime"}.

    xi solves xi (tau - 1) + xi^2 M(beta + xi) = tau lam_L (xi = 0 when lam = 0 and tau > 1),
    M solves the self-consistency, and the formula is the derivation's own expression.
    """
    train, test = np.asarray(train, dtype=float), np.asarray(test, dtype=float)
    weights = np.full(len(train), 1 / len(train)) if weights is None else np.asarray(weights, dtype=float)
    v = {"alpha": alpha_v, "kappa": kappa_v, "tau": tau_v, "sigma2": sigma2_v, "lam_L": lam_v}
    xi_v, nu_v, M, Mp = _ridge_theory(train, v, weights)
    functions = _formula_functions()
    args = (xi_v, nu_v, M, Mp, kappa_v, tau_v, sigma2_v)
    misalign = float(np.sum(weights * test * functions["kernel"](train, *args)))
    scalar = float(functions["scalar"](float(np.sum(weights * test)), alpha_test_v, *args))
    return {"e": scalar + misalign, "scalar": scalar, "misalign": misalign, "xi": xi_v, "nu": nu_v,
            "M": M, "M_prime": Mp}


@functools.cache
def _formula_functions():
    """The kernel (``letey-kernel-def``) and the scalar part (``letey-error`` at a test trace
    other than 1) as numpy functions, lambdified once.

    Cached whole, so that threads of a sweep never see one function built and the other not.
    """
    trace = sp.Symbol("trace", positive=True)
    args = (xi, nu, M_l, Mp_l, kappa, tau, sigma2)
    kernel = paper.derivation()["letey-kernel-def"].statement.rhs
    return {"kernel": sp.lambdify((ell, *args), kernel, modules="numpy"),
            "scalar": sp.lambdify((trace, alpha_t, *args), scalar_part(M_l, Mp_l, trace), modules="numpy")}


def sample_alignment(rng, d, point):
    """One ridge fit of the lu2025 model on tasks N(0, C_train), its exact error on test tasks
    N(0, C_test) (4000 sampled), and the theory's spectral inputs for this C_train, C_test."""
    v = {str(p): float(point[p]) for p in point}
    train, test = covariance("half", d), covariance("power", d)[::-1]
    k = int(round(v["kappa"] * d))
    pool = rng.standard_normal((k, d)) * np.sqrt(train)
    gamma, _, _ = lu2025_model.fit(rng, d, v["alpha"], v["kappa"], v["tau"], v["sigma2"], v["lam_L"], pool=pool)
    test_pool = rng.standard_normal((4000, d)) * np.sqrt(test)
    theory = alignment_error(train, test, v["alpha"], v["alpha_test"], v["kappa"], v["tau"], v["sigma2"], v["lam_L"])
    return {xi: theory["xi"], nu: theory["nu"], M_l: theory["M"], Mp_l: theory["M_prime"],
            e_mis: theory["misalign"],
            e_measured: lu2025_model.idg_error(gamma, test_pool, v["alpha_test"], v["sigma2"])}


def _ridge_theory(spectrum, v, weights):
    """xi solving the effective-ridge equation (``letey-effective-ridge``) by bisection, nu
    (``letey-nu-def``), M and M'.

    The residual at xi = 0 is -tau lam_L <= 0.  When it is already >= 0 at the bottom of the
    bracket, the root lies below it: xi = 0 (ridgeless with tau > 1).  Ridgeless with tau < 1,
    the bisection lands on the positive root (the residual is negative below it).
    """
    f = _lowered()
    kappa_v, tau_v, lam_v = v["kappa"], v["tau"], v["lam_L"]

    def nu_of(x):
        return float(f["nu"](x, v["alpha"], v["sigma2"]))

    def residual(x):
        return f["ridge"](x, solve_M(spectrum, weights, kappa_v, nu_of(x))[0], tau_v, lam_v)

    bottom = 1e-300
    if residual(bottom) >= 0:
        xi_v = 0.0
    else:
        upper = 1.0
        while residual(upper) < 0:
            upper *= 2
        xi_v = bisect(residual, bottom, upper)
    M, Mp = solve_M(spectrum, weights, kappa_v, nu_of(xi_v))
    return xi_v, nu_of(xi_v), M, Mp


def sample_effective_ridge(rng, d, point):
    """One ridge fit of the lu2025 model on k = kappa d tasks N(0, C_train) (half-rank C_train):
    the renormalised ridge xi measured by Silverstein's relation, and M = (1/d) tr (S + nu)^{-1}
    of the fit's own task Gram at nu = (1 + sigma2)/alpha + xi."""
    v = {str(p): float(point[p]) for p in point}
    train = covariance("half", d)
    k = int(round(v["kappa"] * d))
    pool = rng.standard_normal((k, d)) * np.sqrt(train)
    result = lu2025_model.simulate(rng, d, v["alpha"], v["kappa"], v["tau"], v["sigma2"], v["lam_L"],
                                   spectral=True, pool=pool)
    nu_v = float(_lowered()["nu"](result["eps"], v["alpha"], v["sigma2"]))
    measured = np.mean(1 / (np.linalg.eigvalsh(pool.T @ pool / k) + nu_v))
    return {xi: result["eps"], M_l: measured}


# ---- the derivation ---------------------------------------------------------------------------

#: Where the effective ridge is simulated: the points of ``letey-error``, tau on both sides of 1.
RIDGE_POINTS = [{alpha: 2.0, kappa: 1.0, tau: 2.0, sigma2: 0.1, lam_lu: 0.2},
                    {alpha: 1.0, kappa: 2.0, tau: 0.5, sigma2: 0.05, lam_lu: 0.3}]


TITLE = "Pretrain-test task alignment in in-context learning"


def build():
    D = Derivation(
        "letey2025",
        title=TITLE,
        cite="Letey, Zavatone-Veth, Lu, Pehlevan, arXiv 2509.26551 (2025)",
        description="The model of Lu et al. with pretraining tasks $w \\sim N(0, C_{\\mathrm{train}})$, "
                    "$\\langle C_{\\mathrm{train}}\\rangle = 1$, and test tasks of second moment "
                    "$C_{\\mathrm{test}}$. References in brackets name the paper's equations where "
                    "known and the authors' code; see docs/derivations/letey2025.md (Sources).",
        latex_names={"alpha_test": r"\alpha_{\mathrm{test}}", "sigma2": r"\sigma^2", "lam_L": r"\lambda_L",
                     "rho_train": r"\rho'", "lambda_i": r"\lambda_i", "M_L": "M", "Mp_L": "M'",
                     "a_L": "a", "ap_L": "a'", "c_e": "c_e", "e_align": r"e_{\mathrm{ICL}}",
                     "e_mis": r"e_{\mathrm{misalign}}", "e_measured": r"e_{\mathrm{measured}}",
                     "ell": r"\ell"},
        latex_subscripts={"M": 1},
    )
    D.include(marchenko_pastur_paper.derivation())
    D.parameter(alpha, description="context length per dimension")
    D.parameter(alpha_t, description="test context length per dimension")
    D.parameter(sigma2, description="label-noise variance ($\\rho$ in Letey et al.)")
    D.parameter(lam_lu, description="ridge, penalty $(n/d)\\lambda_L\\|\\Gamma\\|^2$")
    D.parameter(ell, description="an eigenvalue of $C_{\\mathrm{train}}$")
    D.parameter(rank_train, description="rank fraction of a low-rank $C_{\\mathrm{train}}$")
    D.parameter(lam_i, description="the eigenvalue of $C_{\\mathrm{train}}$ a spiked test lies along")
    D.parameter(xi, nu, description="renormalised ridge and effective ridge")

    D.define("letey-M-def", sp.Eq(M_l, Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(\hat S + \nu)^{-1}",
                                               "resolvent trace of the task Gram")),
             explanation="$\\hat S = \\tfrac1k\\sum_j w_jw_j^\\top$, $w_j \\sim N(0, C_{\\mathrm{train}})$.")
    D.define("letey-a-def", sp.Eq(a_l, a_expr(M_l)))
    D.fact("letey-M-self-consistent", sp.Eq(M_l, mean_c(1 / (a_l * ell + nu))), uses=["letey-M-def"],
           check=Simulation(sample_resolvent,
                            points=[{kappa: 0.5, nu: 0.3, rank_train: 0.5}, {kappa: 2.0, nu: 0.5, rank_train: 1.0}],
                            # relative to |M| + |mean| (2.3 to 4.4): the former absolute 1e-2
                            sizes=(100, 200, 400), trials=30, seed=4, tolerance=4e-3,
                            description="Checked against task Grams with a half-rank and a power-law "
                                        "$C_{\\mathrm{train}}$ (the self-consistency at the measured $M$)."),
           explanation="The deterministic equivalent $(\\hat S + \\nu)^{-1} \\asymp (aC_{\\mathrm{train}} + \\nu)^{-1}$ "
                       "(Silverstein), traced.", ref="Letey et al. 2025, eq. (17)")
    D.step("letey-M-isotropic", sp.Eq(M_mp(kappa, nu), 1 / (a_expr(M_mp(kappa, nu)) + nu)), uses=["M-closed"],
           explanation="At $C_{\\mathrm{train}} = I$ the self-consistency is solved by $M_\\kappa(\\nu)$ of Lu et al.")
    D.define("letey-Mp-def", sp.Eq(Mp_l, Meaning(r"\frac{dM}{d\nu}", "dM/dnu")))
    D.define("letey-ce-def", sp.Eq(c_e, c_e_expr(M_l, Mp_l)),
             explanation="The pretraining-error term.",
             ref="Letey et al. 2025, pretraining-error term: $c_e$ of the authors' code theory.py, "
                 "probably their $q$ of (C.14)")
    D.define("letey-kernel-def", sp.Eq(K(ell), kernel_expr(ell, M_l, Mp_l)),
             explanation="$\\mathcal K = c_eF + (\\nu^2 - \\xi c_e)F_2$ with $F = (aC + \\nu)^{-1}$, "
                         "$F_2 = F(a'C + I)F$, at an eigenvalue $\\ell$ of $C_{\\mathrm{train}}$.",
             ref="Letey et al. 2025, code theory.py")
    D.define("letey-misalignment-def", sp.Eq(e_mis, Meaning(
        r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}C_{\mathrm{test}}\mathcal K(C_{\mathrm{train}})", "misalignment")))
    D.define("letey-nu-def", sp.Eq(nu, (1 + sigma2) / alpha + xi),
             explanation="$\\nu = \\rho_{\\mathrm{tr}}/\\alpha + \\xi$ with $\\rho_{\\mathrm{tr}} = "
                         "\\langle C_{\\mathrm{train}}\\rangle + \\sigma^2$.")
    D.fact("letey-effective-ridge", sp.Eq(xi * (tau - 1) + xi**2 * M_l, tau * lam_lu),
           uses=["letey-M-def", "letey-nu-def"],
           check=Simulation(sample_effective_ridge, points=RIDGE_POINTS, sizes=(16, 24, 32), trials=24,
                            seed=27, tolerance=0.05,
                            description="Checked against ridge fits of the lu2025 model with a half-rank "
                                        "$C_{\\mathrm{train}}$: $\\xi$ from Silverstein's relation, $M$ "
                                        "of the fit's own task Gram."),
           explanation="The renormalised ridge of Lu et al. with $M_\\kappa$ replaced by the resolvent "
                       "trace $M$ of a general $C_{\\mathrm{train}}$ ($\\lambda_L \\to 0$ is Letey et al.'s case).",
           ref="Letey et al. 2025, $\\nu$ and $\\xi$ of the error formula (authors' code theory.py)")
    D.define("letey-measured-def", sp.Eq(e_measured, Meaning(
        r"e(\Gamma^*)", "the test error of the ridge fit, measured at finite d")))
    D.fact("letey-error", sp.Eq(e_measured, scalar_part(M_l, Mp_l) + e_mis),
           uses=["letey-ce-def", "letey-misalignment-def", "letey-M-def", "letey-Mp-def", "letey-nu-def",
                 "letey-measured-def"],
           check=Simulation(sample_alignment,
                            points=[{alpha: 2.0, alpha_t: 2.0, kappa: 1.0, tau: 2.0, sigma2: 0.1, lam_lu: 0.2},
                                    {alpha: 1.0, alpha_t: 3.0, kappa: 2.0, tau: 0.5, sigma2: 0.05, lam_lu: 0.3}],
                            # relative to the residual's terms (4.4 and 5.4 in all): about the
                            # former absolute 0.12
                            sizes=(16, 24, 32), trials=24, seed=26, tolerance=0.03,
                            description="The exact test error of ridge fits of the lu2025 model, with "
                                        "half-rank $C_{\\mathrm{train}}$ and a reversed power-law "
                                        "$C_{\\mathrm{test}}$ (an anti-aligned test), against the "
                                        "formula with $\\xi$, $M$, $M'$ solved for that spectrum."),
           explanation="The second-order deterministic equivalent of Lu et al. with a general "
                       "task covariance; $\\xi$ solves $\\xi(\\tau-1) + \\xi^2M = \\tau\\lambda_L$ "
                       "($\\lambda_L \\to 0$ is Letey et al.'s case).",
           ref="Letey et al. 2025, $e_{\\mathrm{ICL}} = e_{\\mathrm{scalar}} + e_{\\mathrm{misalign}}$, "
               "$e_{\\mathrm{scalar}}$ of (C.16) (formulas: authors' code theory.py)")
    build_special_cases(D)
    from .letey2025_powerlaw import build_power_law  # imports this module: not at the top

    build_power_law(D)
    return D


def build_special_cases(D):
    """Matched isotropic (= lu2025), a spiked test and low-rank pretraining (special cases)."""
    x_star, rho_lu = sp.Symbol("x_star", positive=True), sp.Symbol("rho", nonnegative=True)
    M_iso, Mp_iso = M_mp(kappa, nu), sp.Derivative(M_mp(kappa, nu), nu)
    lu_formula = lu2025_paper.derivation()["e-icl-ridgeless-gt1"].statement.rhs
    lu_formula = lu_formula.subs({x_star: nu, rho_lu: sigma2}).subs(
        sp.Derivative(M_mp(kappa, nu), nu), Mp_iso)
    letey_iso = (scalar_part(M_iso, Mp_iso) + kernel_expr(1, M_iso, Mp_iso)).subs({xi: 0, alpha_t: alpha})
    D.step("letey-isotropic-equals-lu2025", sp.Eq(letey_iso.subs(nu, (1 + sigma2) / alpha),
                                                  lu_formula.subs(nu, (1 + sigma2) / alpha)),
           uses=["letey-error", "letey-M-isotropic", "M-closed", "M-prime-compact"],
           conditions=[tau > 1, sp.Eq(lam_lu, 0)],
           explanation="$C_{\\mathrm{train}} = C_{\\mathrm{test}} = I$, ridgeless, $\\tau > 1$ ($\\xi = 0$): "
                       "the formula is Result 1 of Lu et al.",
           ref="Lu et al. 2025, Result 1 (lu2025 step e-icl-ridgeless-gt1); Letey et al. 2025, matched "
               "isotropic tasks")
    c_test = sp.Symbol("c_test", positive=True)
    D.parameter(c_test, description="scale of an isotropic test covariance $c_{\\mathrm{test}}I$")
    M_, Mp_ = M_iso, Mp_iso
    c_code = c_e_expr(M_, Mp_)
    scaled = ((c_test + sigma2) - 2 * c_test * (1 - nu * M_)
              + ((c_test + sigma2) / alpha_t + c_test) * (1 - 2 * nu * M_ - nu**2 * Mp_)
              + c_code * ((c_test + sigma2) / alpha_t + c_test) * (M_ + xi * Mp_))
    D.step("letey-scaled-isotropic",
           sp.Eq(scalar_part(M_, Mp_, c_test) + c_test * kernel_expr(1, M_, Mp_), scaled),
           uses=["letey-error", "letey-M-isotropic", "M-closed", "M-prime-compact"],
           explanation="$C_{\\mathrm{train}} = I$ and $C_{\\mathrm{test}} = c_{\\mathrm{test}}I$ with "
                       "$\\alpha_{\\mathrm{test}} \\ne \\alpha$, at any $\\xi$: the authors' code form. "
                       "The test length enters only through $\\rho_{\\mathrm{te}}/\\alpha_{\\mathrm{test}}$.",
           ref="Letey et al. 2025, code theory.py (scaled isotropic tasks)")
    a, ap, c = a_l, ap_l, c_e
    D.define("letey-ap-def", sp.Eq(ap_l, ap_expr(M_l, Mp_l)))
    D.step("letey-spike", sp.Eq(K(lam_i), c / (a * lam_i + nu) + (nu**2 - xi * c) * (ap * lam_i + 1) / (a * lam_i + nu)**2),
           uses=["letey-kernel-def", "letey-a-def", "letey-ap-def", "letey-ce-def"],
           explanation="A rank-one test $C_{\\mathrm{test}} = d\\,u_iu_i^\\top$ along an eigenvector of "
                       "$C_{\\mathrm{train}}$ with eigenvalue $\\lambda_i$ has $e_{\\mathrm{misalign}} = "
                       "\\mathcal K(\\lambda_i)$, smaller for the top directions.",
           ref="Letey et al. 2025, rank-one test covariances (used in the authors' code; "
               "closed form derived here)")
    parallel = (c / (a / rank_train + nu) + (nu**2 - xi * c) * (ap / rank_train + 1) / (a / rank_train + nu)**2)
    D.step("letey-low-rank-kernels", sp.Eq(rank_train * K(1 / rank_train) + (1 - rank_train) * K(0),
                                          rank_train * parallel + (1 - rank_train) * (c / nu + (nu**2 - xi * c) / nu**2)),
           uses=["letey-kernel-def", "letey-a-def", "letey-ap-def", "letey-ce-def"],
           explanation="$C_{\\mathrm{train}} = P/\\rho'$ and $C_{\\mathrm{test}} = I$: "
                       "$e_{\\mathrm{misalign}} = \\rho'\\mathcal K_\\parallel + (1-\\rho')\\mathcal K_\\perp$, "
                       "$\\mathcal K_\\perp = c_e/\\nu + (\\nu^2 - \\xi c_e)/\\nu^2$, which grows like "
                       "$\\alpha$ when $\\xi = 0$; a test subspace $B$ weighs them by "
                       "$\\langle P_BP\\rangle$ and $\\langle P_B(I-P)\\rangle$.",
           ref="Letey et al. 2025, low-rank $C_{\\mathrm{train}}$ (a task family of the authors' code; "
               "closed form derived here)")


class PowerLawDomain:
    """The combinations the d = infinity power-law errors (``letey2025_powerlaw``, the quantities
    of ``derive eval letey2025``) do not cover: ``p`` and ``q`` must be below 1 (a normalised
    power law has no limit law beyond), and ``tau`` above 1 (they are ridgeless, with
    ``xi = 0``).  Parameters are looked up by name (``p`` and ``q`` are that module's)."""

    def __call__(self, values):
        values = {str(k): np.asarray(v) for k, v in values.items() if str(k) in ("p", "q", "tau")}
        for name, outside, why in (
                ("p", lambda a: a >= 1,
                 "must be in (0, 1): the pretraining power law j^-p has a limit law only for p < 1"),
                ("q", lambda a: a >= 1,
                 "must be in (0, 1): the test power law j^-q has a limit law only for q < 1"),
                ("tau", lambda a: a <= 1,
                 "must be > 1: the power-law errors are ridgeless (xi = 0), which needs tau > 1")):
            array = values.get(name)
            if array is not None and np.any(outside(array)):
                raise UsageError(f"{name}={shown(array[outside(array)].flat[0])}: {why}")

    def __repr__(self):
        return "PowerLawDomain()"


#: The parameter domain of ``derive eval letey2025``.
DOMAIN = Domain(defaults={alpha_t: alpha}, forbidden=[PowerLawDomain()])


def powerlaw_kappa_figure(paper, quick=False, seed=0):
    """The error against kappa for power-law covariances (``derivations/letey2025_figures.py``,
    imported here on use: it imports this module)."""
    from .letey2025_figures import error_against_kappa

    return error_against_kappa(paper, quick=quick, seed=seed)


#: The entry point (``derive.papers``): built on first use, once per process.
paper = Paper(build, TITLE, figures={"powerlaw-kappa": powerlaw_kappa_figure}, domain=DOMAIN)


def __getattr__(name):
    if name == "derivation":  # the built derivation, for ``from ... import derivation``
        return paper.derivation()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
