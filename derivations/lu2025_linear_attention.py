"""Lu, Letey, Zavatone-Veth, Maiti, Pehlevan, "Asymptotic theory of in-context learning by
linear attention", PNAS 2025: the ICL and IDG errors of linear attention trained by ridge.

The chain, as checked steps (docs/derivations/lu2025.md, "Sources", says which result, figure
or function of the authors' code each step comes from, and what is reconstructed):

* the reduced model and its exact finite-d facts (the test error of any Gamma as a quadratic
  form), checked against token-by-token sampling;
* the Marchenko-Pastur law of the task Gram matrix (the ``marchenko-pastur`` derivation, reused);
* the renormalised ridge eps of finite pretraining, a fact: 1 - tau + tau lam/eps - eps M(x* + eps) = 0;
* the trace algebra of the first-order predictor Gamma_eps = R (R + nu)^{-1}, nu = x* + eps,
  proved by linearity of spectral means;
* the second-order deterministic equivalents of the IDG and ICL errors (facts, checked by
  fitting Gamma by ridge at finite d);
* the boxed formulas, their code forms, and the ridgeless limits for tau < 1 and tau > 1;
* special limits (tau -> inf, kappa -> inf, alpha -> inf, alpha, tau -> inf, tau -> 1).

Parameters: alpha = l/d, kappa = k/d, tau = n/d^2, rho the label-noise variance, lam the ridge
with penalty (n/d) lam |Gamma|^2.
"""

import math

import numpy as np
import sympy as sp

from derive import Derivation, Simulation
from derive.crosscheck import Simulator
from derive.notation import Meaning
from derive.registry import Domain, Paper
from derive.rmt import SpectralMean, marchenko_pastur
from derive.rmt.steps import add_law

from . import lu2025_figures
from . import lu2025_model as model
from .linear_attention import FitMemo, InterpolationThreshold, direct_test_error
from .marchenko_pastur import M
from .marchenko_pastur import paper as marchenko_pastur_paper
from .marchenko_pastur import x as x_mp
from .marchenko_pastur import z as z_mp

alpha, kappa, tau = sp.symbols("alpha kappa tau", positive=True)
rho, lam = sp.symbols("rho lam", nonnegative=True)
x_star, eps, nu = sp.symbols("x_star epsilon nu", positive=True)
e_icl, e_idg, g_task, c_e = sp.symbols("e_icl e_idg g_task c_e", real=True)
e_first_idg, e_first_icl, gamma_var = sp.symbols("e_first_idg e_first_icl gamma", real=True)
e_formula, e_sampled = sp.symbols("e_formula e_sampled", real=True)
y_attention, y_linear, gradient = sp.symbols("yhat_attention yhat_linear g_ridge", real=True)
r = sp.Symbol("r", positive=True)
x = x_mp

PARAMETERS = (alpha, kappa, tau, rho, lam)


def mean(f):
    """<f(R)>, the mean over the spectral law of the task Gram R = (1/k) sum_j w_j w_j^T."""
    return SpectralMean(f, r, "R")


Mnu = M(kappa, nu)
dMnu = sp.Derivative(M(kappa, nu), nu)

# ---- simulations ------------------------------------------------------------------------------


class Model(Simulator):
    """Lu et al.'s model at finite d as this paper uses it: the simulator behind ``derive mc``
    and the cross-check (:func:`sample_errors`), and the ridge fits of the fit-based facts,
    which they share through this object's memo (:attr:`fits`).  Pickled by reference: the
    derivation's facts and the paper name the one :data:`MODEL`."""

    def __init__(self):
        super().__init__(sample_errors, PARAMETERS, {"e_icl": "e_icl", "e_idg": "e_idg"},
                         description="ridge fit of linear attention at finite d", points=CROSSCHECK_POINTS,
                         protocols=model.PROTOCOLS)
        #: Fits already made, keyed by (generator state, d, parameters): the facts that share a
        #: seed (the effective ridge and both second-order equivalents) share the fits.
        self.fits = FitMemo()

    def memory(self, d, values):
        """At least the n = tau d^2 pretraining examples, held whole by the fit (x_q, v_Z and y_q:
        2d + 2 doubles each), and the k = kappa d pretraining tasks (d doubles each)."""
        kappa_, tau_ = float(values["kappa"]), float(values["tau"])
        tasks = 0 if math.isinf(kappa_) else round(kappa_ * d) * d
        return 8 * (model.sequences(d, kappa_, tau_) * (2 * d + 2) + tasks)

    def sample_fit(self, rng, d, point):
        """One ridge fit at size d: the errors of Gamma* and the measured renormalised ridge."""
        values = tuple(float(point[p]) for p in PARAMETERS)
        result = self.fits.get(rng, d, values, lambda: model.simulate(rng, d, *values))
        return {e_icl: result["e_icl"], e_idg: result["e_idg"], eps: result["eps"]}

    # One object, compared and hashed by identity (not by the dataclass's fields).
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __reduce__(self):
        return "MODEL"



def sample_task_gram(rng, d, point):
    """<R> and <(R + x)^{-1}> of one task Gram matrix R = (1/k) W^T W, k = kappa d."""
    k = int(round(float(point[kappa]) * d))
    W = rng.standard_normal((k, d))
    eigenvalues = np.linalg.eigvalsh(W.T @ W / k)
    values = {mean(r): eigenvalues.mean()}
    if x in point:
        values[mean(1 / (r + x))] = np.mean(1 / (eigenvalues + float(point[x])))
    return values


def sample_quadratic_form(rng, d, point):
    """The exact error formulas of a random Gamma against 50000 brute-force test prompts."""
    alpha_v, rho_v = float(point[alpha]), float(point[rho])
    gamma = rng.standard_normal((d, d + 1)) * 0.3 + np.hstack([np.eye(d) * 0.5, np.zeros((d, 1))])
    pool = rng.standard_normal((max(2, d // 2), d))
    brute_icl = direct_test_error(rng, gamma, alpha_v, rho_v, None, 50000).mean()
    brute_idg = direct_test_error(rng, gamma, alpha_v, rho_v, pool, 50000).mean()
    return {e_formula: model.icl_error(gamma, d, alpha_v, rho_v) + model.idg_error(gamma, pool, alpha_v, rho_v),
            e_sampled: brute_icl + brute_idg}


def sample_readout(rng, d, point):
    """Linear attention from the tokens against <Gamma, H_Z>, Gamma = v22 [W_1^T / d, w_2]."""
    l = max(2, int(round(float(point[alpha]) * d)))
    W = rng.standard_normal((d + 1, d))
    v22 = rng.standard_normal()
    x = rng.standard_normal((l, d)) / np.sqrt(d)
    y = x @ rng.standard_normal(d) + 0.1 * rng.standard_normal(l)
    xq = rng.standard_normal(d) / np.sqrt(d)
    Z = np.column_stack([np.vstack([x.T, y]), np.append(xq, 0.0)])
    gamma = v22 * np.column_stack([W[:d].T / d, W[d]])
    H = model.features_from_tokens(x, y, xq)
    return {y_attention: model.attention_readout(W, v22, Z), y_linear: float(np.sum(gamma * H))}


def sample_ridge_gradient(rng, d, point):
    """|gradient| of sum (y - <Gamma, H>)^2 + (n/d) lam |Gamma|^2 at the closed-form Gamma*,
    with H built from raw tokens, relative to the gradient's scale at Gamma = 0."""
    values = {p: float(point[p]) for p in (alpha, tau, rho, lam)}
    n = max(2, int(round(values[tau] * d * d)))
    H, yq = model.token_dataset(rng, d, values[alpha], values[rho], n, model.sample_tasks(rng, d, 1.0))
    h = H.reshape(n, -1)
    ridge = n / d * values[lam]
    gamma = np.linalg.solve(h.T @ h + ridge * np.eye(h.shape[1]), h.T @ yq)
    grad = -2 * h.T @ (yq - h @ gamma) + 2 * ridge * gamma
    return {gradient: float(np.linalg.norm(grad) / np.linalg.norm(2 * h.T @ yq))}


#: Points where the deterministic equivalents are cross-checked: tau < 1 and > 1, kappa < 1
#: and > 1, all with lam > 0 (the facts are about lam > 0; ridgeless follows by limits).
FIT_POINTS = [
    {alpha: 1.0, kappa: 0.5, tau: 2.0, rho: 0.01, lam: 1.0},
    {alpha: 1.0, kappa: 0.5, tau: 0.5, rho: 0.01, lam: 1.0},
    {alpha: 2.0, kappa: 2.0, tau: 1.5, rho: 0.1, lam: 0.3},
    {alpha: 2.0, kappa: 3.0, tau: 0.7, rho: 0.2, lam: 0.5},
]


# ---- the derivation ---------------------------------------------------------------------------


TITLE = "Asymptotic theory of in-context learning by linear attention"


def build():
    D = Derivation(
        "lu2025",
        title=TITLE,
        cite="Lu, Letey, Zavatone-Veth, Maiti, Pehlevan, PNAS 122(28) e2502599122 (2025)",
        description="Linear attention $\\hat y = x_q^\\top \\Gamma v_Z$ trained by ridge regression on "
                    "$n = \\tau d^2$ sequences of $\\ell = \\alpha d$ tokens, with $k = \\kappa d$ "
                    "pretraining tasks and label noise of variance $\\rho$. References in brackets name "
                    "the paper's Result 1, figures and abstract, and the authors' code; the paper's "
                    "equation numbers are not known here. What each step comes from, and what is "
                    "reconstructed, is in docs/derivations/lu2025.md (Sources).",
        latex_names={"lam": r"\lambda", "epsilon": r"\varepsilon", "yhat_attention": r"\hat y_{\mathrm{attention}}",
                     "yhat_linear": r"\langle\Gamma, H_Z\rangle", "g_ridge": r"\|\nabla\mathcal{L}(\Gamma^*)\|", "e_icl": r"e^{\mathrm{ICL}}", "e_idg": r"e^{\mathrm{IDG}}",
                     "g_task": r"g_{\mathrm{task}}", "c_e": "c_e",
                     "e_first_idg": r"e^{\mathrm{IDG}}(\Gamma_\varepsilon)",
                     "e_first_icl": r"e^{\mathrm{ICL}}(\Gamma_\varepsilon)",
                     "e_formula": r"e_{\mathrm{formula}}", "e_sampled": r"e_{\mathrm{sampled}}"},
    )
    D.include(marchenko_pastur_paper.derivation())
    D.parameter(alpha, description="context length per dimension $\\ell/d$")
    D.parameter(kappa, description="task diversity $k/d$ ($\\infty$: a fresh task per sequence)")
    D.parameter(tau, description="pretraining sequences per parameter $n/d^2$")
    D.parameter(rho, description="label-noise variance")
    D.parameter(lam, description="ridge, penalty $(n/d)\\lambda\\|\\Gamma\\|_F^2$")

    # The finite-d quantities the model's exact facts compare, each drawn by its simulation.
    D.define("readout-attention-def", sp.Eq(y_attention, Meaning(
        r"\tfrac1\ell\textstyle\sum_i (v^\top z_i)(z_i^\top W x_q)", "the linear-attention readout")))
    D.define("readout-linear-def", sp.Eq(y_linear, Meaning(r"\langle\Gamma, H_Z\rangle",
                                                             "the readout as a model linear in Gamma")))
    D.define("ridge-gradient-def", sp.Eq(gradient, Meaning(
        r"\|\nabla\mathcal{L}(\Gamma^*)\| / \|\nabla\mathcal{L}(0)\|", "the objective's gradient at the ridge solution")))
    D.define("test-error-formula-def", sp.Eq(e_formula, Meaning(
        r"e^{\mathrm{ICL}}(\Gamma) + e^{\mathrm{IDG}}(\Gamma)", "the exact errors of a given Gamma, by formula")))
    D.define("test-error-sampled-def", sp.Eq(e_sampled, Meaning(
        r"\hat e(\Gamma)", "the errors of a given Gamma, measured on sampled prompts")))
    D.fact("linear-attention-readout", sp.Eq(y_attention, y_linear), uses=["readout-attention-def", "readout-linear-def"],
           check=Simulation(sample_readout, points=[{alpha: 1.0}, {alpha: 2.5}], sizes=(3, 7), trials=4,
                            seed=1, tolerance=1e-9, exact=True,
                            description="Exact at every instance: random weights and tokens, $d = 3, 7$."),
           explanation="With $v = (0, \\dots, 0, v_{22})$ the readout "
                       "$\\tfrac1\\ell\\sum_i (v^\\top z_i)(z_i^\\top W x_q)$ is "
                       "$\\langle\\Gamma, H_Z\\rangle$ with $\\Gamma = v_{22}[W_1^\\top/d, w_2]$.",
           ref="Lu et al. 2025, linear attention as a model linear in $\\Gamma$ (authors' code construct_H_Z)")
    D.fact("ridge-solution", sp.Eq(gradient, 0), uses=["ridge-gradient-def"],
           check=Simulation(sample_ridge_gradient, points=[{alpha: 1.0, tau: 1.5, rho: 0.1, lam: 0.3},
                                                          {alpha: 2.0, tau: 0.5, rho: 0.0, lam: 1.0}],
                            # g_ridge = 0 has one term, nothing to be relative to; the sampler
                            # already divides by the gradient's size at Gamma = 0.
                            sizes=(3, 4), trials=3, seed=1, tolerance=1e-9, absolute=True, exact=True,
                            description="Exact at every instance: the gradient of the objective, on "
                                        "features built from raw tokens."),
           explanation="$\\mathrm{vec}\\,\\Gamma^* = (\\sum_\\mu h_\\mu h_\\mu^\\top + "
                       "\\tfrac nd\\lambda I)^{-1}\\sum_\\mu h_\\mu y_\\mu$ is a stationary point of "
                       "$\\sum_\\mu (y_\\mu - \\langle\\Gamma, H_\\mu\\rangle)^2 + \\tfrac nd\\lambda\\|\\Gamma\\|^2$.",
           ref="Lu et al. 2025, ridge pretraining with penalty $(n/d)\\lambda\\|\\Gamma\\|_F^2$ "
               "(authors' code compute_Gamma_star)")
    D.fact("test-error-quadratic-form", sp.Eq(e_formula, e_sampled),
           uses=["test-error-formula-def", "test-error-sampled-def"],
           check=Simulation(sample_quadratic_form, points=[{alpha: 1.5, rho: 0.3}, {alpha: 1.0, rho: 0.05}],
                            # relative to |e_formula| + |e_sampled|, about 8.5: the former 0.05
                            sizes=(4, 6), trials=16, seed=11, tolerance=6e-3, exact=True,
                            description="At $d = 4$ and $6$: the exact ICL + IDG error of a random $\\Gamma$ "
                                        "against 50000 test prompts sampled token by token, per trial."),
           explanation="$e(\\Gamma) = \\rho + \\tfrac1d E\\|w - \\Gamma v_Z\\|^2$ with the exact "
                       "conditional moments of $v_Z$ (Isserlis).",
           ref="Lu et al. 2025, test error of a given $\\Gamma$ (authors' code gen_err_analytical_NEW; "
               "re-derived here for Gaussian tasks)")

    D.define("x-star-def", sp.Eq(x_star, (1 + rho) / alpha),
             explanation="The variance of the context estimate $s \\approx w + \\sqrt{x^*} z$.",
             ref="Lu et al. 2025, $x^*$ (authors' code ridgeless_icl)")
    D.define("nu-def", sp.Eq(nu, x_star + eps))

    gram_points = [{kappa: 0.5, x: 0.3}, {kappa: 2.0, x: 1.0}]
    D.fact("R-mean", sp.Eq(mean(r), 1),
           check=Simulation(sample_task_gram, points=gram_points, sizes=(100, 200), trials=80,
                            seed=3, tolerance=5e-3, exact=True,
                            description="Exact in expectation at every $d$: tested at two."),
           explanation="$\\langle R\\rangle = \\tfrac1d E\\|w\\|^2 = 1$.")
    D.fact("M-spectral", sp.Eq(M(kappa, x), mean(1 / (r + x))), uses=["M-closed"],
           check=Simulation(sample_task_gram, points=gram_points, sizes=(50, 100, 200), trials=10,
                            seed=3, tolerance=5e-3),
           explanation="$M_\\kappa$ is the Stieltjes transform of the law of $R$ on the negative axis.",
           ref="Lu et al. 2025, $M_\\kappa$ as the Stieltjes transform of the task Gram (authors' code M_kappa)")

    D.step("tr-gamma", sp.Eq(mean(r / (r + nu)), 1 - nu * Mnu), uses=["M-spectral", "nu-def"],
           explanation="$\\langle\\Gamma_\\varepsilon\\rangle$ for $\\Gamma_\\varepsilon = R(R+\\nu)^{-1}$.",
           ref="Lu et al. 2025, trace algebra of the asymptotic errors (reconstructed)")
    D.step("tr-gamma2", sp.Eq(mean(r**2 / (r + nu)**2), 1 - 2 * nu * Mnu - nu**2 * dMnu),
           uses=["M-spectral", "nu-def"], explanation="$\\langle\\Gamma_\\varepsilon^2\\rangle$.",
           ref="Lu et al. 2025, trace algebra of the asymptotic errors (reconstructed)")
    D.step("tr-gamma-R", sp.Eq(mean(r**2 / (r + nu)), 1 - nu + nu**2 * Mnu),
           uses=["M-spectral", "R-mean", "nu-def"], explanation="$\\langle\\Gamma_\\varepsilon R\\rangle$.",
           ref="Lu et al. 2025, trace algebra of the asymptotic errors (reconstructed)")
    D.step("tr-gamma-S-gamma",
           sp.Eq(mean(r**2 * (r + x_star) / (r + nu)**2),
                 1 - nu + nu**2 * Mnu - eps * (1 - 2 * nu * Mnu - nu**2 * dMnu)),
           uses=["M-spectral", "R-mean", "nu-def"],
           explanation="$\\langle\\Gamma_\\varepsilon S\\Gamma_\\varepsilon\\rangle$ with $S = R + x^*$.",
           ref="Lu et al. 2025, trace algebra of the asymptotic errors (reconstructed)")
    D.step("tr-S2", sp.Eq(mean((r + x_star)**2 / (r + nu)**2), 1 - 2 * eps * Mnu - eps**2 * dMnu),
           uses=["M-spectral", "nu-def"], explanation="$\\langle S^2(S+\\varepsilon)^{-2}\\rangle$.",
           ref="Lu et al. 2025, trace algebra of the asymptotic errors (reconstructed)")
    D.step("tr-S1", sp.Eq(mean((r + x_star) / (r + nu)**2), Mnu + eps * dMnu),
           uses=["M-spectral", "nu-def"], explanation="$\\langle S(S+\\varepsilon)^{-2}\\rangle$.",
           ref="Lu et al. 2025, trace algebra of the asymptotic errors (reconstructed)")

    D.define("eps-def", sp.Eq(eps, Meaning(
        r"\lim_{d\to\infty}\frac{\lambda\tau}{\tau - 1 + \lambda\,\tfrac1p\operatorname{tr}(\hat\Sigma+\lambda)^{-1}}",
        "renormalised ridge")),
        explanation="The renormalised ridge: Silverstein's relation "
                    "$\\varepsilon = \\lambda + (\\varepsilon/n)\\operatorname{tr}\\Sigma(\\Sigma+\\varepsilon)^{-1}$ "
                    "for the feature covariance $\\hat\\Sigma = \\tfrac dn\\sum_\\mu h_\\mu h_\\mu^\\top$, "
                    "whose population is $\\Sigma = I_d\\otimes(R + x^*)$.")
    # 24 trials at d = 16, 24, 32 put four standard errors of the d = infinity intercept below
    # 0.05 for the self-consistent equation, 0.1 for the ICL error and 0.15 for the IDG error
    # (measured; the IDG error varies most, with the few tasks of the pool at kappa = 0.5).
    # A wrong second-order formula (a missing 1/(1 - gamma), say) moves the errors by 0.3 or more.
    # Tolerances are relative to the sum of the sizes of the expanded residual's terms: 1 to 2.9
    # for the self-consistent equation (0.05 is kept: at the second point the 1/d intercept
    # depends on the exponent by 0.05), 2.5 to 8.4 for the IDG and 3.9 to 16 for the ICL
    # equivalent, where 0.04 and 0.015 keep about the former absolute 0.15 and 0.1.
    fit_check = dict(sample=MODEL.sample_fit, points=FIT_POINTS, sizes=(16, 24, 32), trials=24, seed=2025)
    D.fact("effective-ridge", sp.Eq(1 - tau + tau * lam / eps - eps * M(kappa, x_star + eps), 0),
           uses=["eps-def", "x-star-def", "M-closed"],
           check=Simulation(**fit_check, tolerance=0.05,
                            description="Checked against the ridge fit of the actual model."),
           explanation="The first-order deterministic equivalent "
                       "$\\lambda(\\hat\\Sigma+\\lambda)^{-1}\\asymp\\varepsilon(\\Sigma+\\varepsilon)^{-1}$, traced.",
           ref="Lu et al. 2025, self-consistent equation of the renormalised ridge (authors' code self_consistency)")

    build_feature_law(D)

    D.define("e-first-idg-def", sp.Eq(e_first_idg, 1 + rho - 2 * mean(r**2 / (r + nu))
                                      + mean(r**2 * (r + x_star) / (r + nu)**2)),
             explanation="The IDG error of $\\Gamma_\\varepsilon$: $1 + \\rho - 2\\langle\\Gamma R\\rangle "
                         "+ \\langle\\Gamma(R + x^*)\\Gamma\\rangle$, the test error as $d, \\ell \\to \\infty$.")
    D.define("e-first-icl-def", sp.Eq(e_first_icl, 1 + rho - 2 * mean(r / (r + nu))
                                      + (1 + x_star) * mean(r**2 / (r + nu)**2)),
             explanation="The ICL error of $\\Gamma_\\varepsilon$: $1 + \\rho - 2\\langle\\Gamma\\rangle "
                         "+ (1 + x^*)\\langle\\Gamma^2\\rangle$.")
    D.define("gamma-def", sp.Eq(gamma_var, mean((r + x_star)**2 / (r + nu)**2) / tau),
             explanation="$\\gamma = n^{-1}\\operatorname{tr}\\Sigma^2(\\Sigma+\\varepsilon)^{-2}$.")
    D.define("e-idg-def", sp.Eq(e_idg, Meaning(r"\lim_{d\to\infty} e^{\mathrm{IDG}}(\Gamma^*)", "IDG error")))
    D.define("e-icl-def", sp.Eq(e_icl, Meaning(r"\lim_{d\to\infty} e^{\mathrm{ICL}}(\Gamma^*)", "ICL error")))

    trace_steps = ["tr-gamma", "tr-gamma2", "tr-gamma-R", "tr-gamma-S-gamma", "tr-S2", "tr-S1"]
    D.fact("second-order-idg", sp.Eq(e_idg, e_first_idg / (1 - gamma_var)),
           uses=["e-idg-def", "eps-def", "e-first-idg-def", "gamma-def", "x-star-def", "M-closed"]
           + trace_steps,
           check=Simulation(**fit_check, tolerance=0.04,
                            description="Checked against the exact IDG error of $\\Gamma^*$ fitted by ridge."),
           explanation="Second-order deterministic equivalent; on the training law the test "
                       "covariance is $\\Sigma$ itself.",
           ref="Lu et al. 2025, second-order deterministic equivalent (reconstructed; checked against ridge fits)")
    D.fact("second-order-icl",
           sp.Eq(e_icl, e_first_icl + (1 + x_star) * mean((r + x_star) / (r + nu)**2) / tau
                 * e_first_idg / (1 - gamma_var)),
           uses=["e-icl-def", "eps-def", "e-first-icl-def", "e-first-idg-def", "gamma-def",
                 "x-star-def", "M-closed"] + trace_steps,
           check=Simulation(**fit_check, tolerance=0.015,
                            description="Checked against the exact ICL error of $\\Gamma^*$ fitted by ridge."),
           explanation="Second-order deterministic equivalent with the isotropic test covariance "
                       "$(1 + x^*) I$ of a fresh task.",
           ref="Lu et al. 2025, second-order deterministic equivalent (reconstructed; checked against ridge fits)")

    idg_numerator = rho + nu - nu**2 * Mnu - eps * (1 - 2 * nu * Mnu - nu**2 * dMnu)
    idg_formula = tau * idg_numerator / (tau - 1 + 2 * eps * Mnu + eps**2 * dMnu)
    D.step("e-idg-formula", sp.Eq(e_idg, idg_formula),
           uses=["second-order-idg", "e-first-idg-def", "gamma-def", "tr-gamma-R", "tr-gamma-S-gamma", "tr-S2"],
           explanation="The trace algebra in the second-order equivalent.",
           ref="Lu et al. 2025, IDG error for $\\lambda > 0$, i.e. $-\\tau c_e$ of the authors' code ridge_icl")
    icl_formula = (1 + rho - 2 * (1 - nu * Mnu) + (1 + x_star)
                   * (1 - 2 * nu * Mnu - nu**2 * dMnu + (Mnu + eps * dMnu) * e_idg / tau))
    D.step("e-icl-formula", sp.Eq(e_icl, icl_formula),
           uses=["second-order-icl", "second-order-idg", "e-first-icl-def", "e-first-idg-def",
                 "gamma-def", "tr-gamma", "tr-gamma2", "tr-S1"],
           explanation="The trace algebra in the second-order equivalent.",
           ref="Lu et al. 2025, ICL error for $\\lambda > 0$ (authors' code ridge_icl)")

    D.define("c-e-def", sp.Eq(c_e, idg_numerator / (1 - 2 * eps * Mnu - eps**2 * dMnu - tau)),
             explanation="The authors' code variable.", ref="Lu et al. 2025, code ridge_icl")
    D.step("e-idg-c-e", sp.Eq(e_idg, -tau * c_e), uses=["e-idg-formula", "c-e-def"],
           explanation="The IDG error for $\\lambda > 0$ in the code's variable (the code has no "
                       "separate IDG function for $\\lambda > 0$).",
           ref="Lu et al. 2025, authors' code ridge_icl ($c_e$)")
    D.step("e-icl-code-form",
           sp.Eq(e_icl, (x_star + 1) * (1 - 2 * nu * Mnu - nu**2 * dMnu - c_e * (Mnu + eps * dMnu))
                 - 2 * (1 - nu * Mnu) + 1 + rho),
           uses=["e-icl-formula", "e-idg-c-e", "c-e-def"],
           ref="Lu et al. 2025, code ridge_icl")
    D.define("g-task-def", sp.Eq(g_task, e_icl - e_idg), explanation="The task-generalisation gap.",
             ref="Lu et al. 2025, task-generalisation gap (Figs. 4 and 6)")
    build_ridgeless(D, idg_formula, icl_formula)
    build_limits(D)
    build_quantities(D)
    build_paper_forms(D)
    return D


#: Where the paper's own form of a result is given: its equation numbers could not be read here
#: (the full text was not at hand), so the steps name the result instead of numbering it.
UNNUMBERED = "equation number not confirmed against the paper's text"


def build_paper_forms(D):
    """Result 1 and the ridgeless root as the paper writes them: in its named quantities
    mu* = x* M_{kappa/tau}(x*) and k* (the authors' code, which implements Result 1, names
    both), each a checked restatement of the derivation's own step.  Stated last, so no
    check subset above changes."""
    mu_star, k_star = sp.symbols("mu_star k_star", positive=True)
    m_star = M(kappa, x_star)
    D.latex_names.update({"mu_star": r"\mu^*", "k_star": r"k^*"})
    D.define("mu-star-def", sp.Eq(mu_star, x_star * M(kappa / tau, x_star)),
             explanation="The quantity through which Result 1 gives the $\\tau < 1$ error (its "
                         "ridgeless root, by the subordination identity of marchenko-pastur).",
             ref=f"Lu et al. 2025, Result 1, $\\mu^*$ ({UNNUMBERED}; authors' code ridgeless_icl)")
    D.define("k-star-def", sp.Eq(k_star, 1 / (1 - kappa * (m_star / (kappa + m_star))**2)),
             explanation="So that $M_\\kappa'(x^*) = -k^* M_\\kappa(x^*)^2$.",
             ref=f"Lu et al. 2025, Result 1, $k^*$ ({UNNUMBERED}; authors' code ridgeless_icl)")
    D.step("ridgeless-eps-lt1-paper",
           sp.Eq(D["ridgeless-eps-lt1"].statement.rhs, (1 - tau) * x_star / (tau * mu_star)),
           uses=["ridgeless-eps-lt1", "mu-star-def"], conditions=[tau < 1, sp.Eq(lam, 0)],
           explanation="The ridgeless renormalised ridge in $\\mu^*$.",
           ref=f"Lu et al. 2025, Result 1, $\\tau < 1$ ({UNNUMBERED})")
    # In the paper's order (an unevaluated sum keeps it: derive.latex prints it as written).
    icl_lt1 = sp.Add(1, rho, -2 * tau * (1 - mu_star),
                     tau * (1 + x_star) / (1 - tau)
                     * sp.Add(1, -tau * (1 - mu_star)**2, mu_star * (rho / x_star - 1), evaluate=False),
                     evaluate=False)
    D.step("result-1-lt1", sp.Eq(D["e-icl-ridgeless-lt1"].statement.rhs, icl_lt1),
           uses=["e-icl-ridgeless-lt1", "mu-star-def"], conditions=[tau < 1, sp.Eq(lam, 0)],
           explanation="The ridgeless ICL error for $\\tau < 1$ in $\\mu^*$, as Result 1 states it.",
           ref=f"Lu et al. 2025, Result 1, $\\tau < 1$ ({UNNUMBERED})")
    icl_gt1 = ((k_star - 1 / (tau - 1)) * (1 + x_star) * (x_star * m_star)**2
               + (3 - 2 * tau) / (tau - 1) * m_star * x_star**2
               + ((1 + rho) / (tau - 1) * m_star + 1) * x_star + rho * m_star / (tau - 1) + rho)
    D.step("result-1-gt1", sp.Eq(D["e-icl-ridgeless-gt1"].statement.rhs, icl_gt1),
           uses=["M-prime-k", "M-quadratic", "x-star-def", "k-star-def"], conditions=[tau > 1],
           explanation="The ridgeless ICL error for $\\tau > 1$ (the limit of e-icl-ridgeless-gt1) "
                       "in $k^*$, by powers of $x^*$.",
           ref=f"Lu et al. 2025, Result 1, $\\tau > 1$ ({UNNUMBERED}; authors' code ridgeless_icl)")


def build_feature_law(D):
    """The effective-ridge equation as the subordination of a free product (reconstructed).

    For Gaussian features of population Sigma = I (x) (R + x*) and n = tau d^2 samples, the law
    of the sample covariance is law(R + x*) boxtimes MP(1/tau), with law(R) = MP(1/kappa); its
    Stieltjes transform sigma at -lam, through eps = lam tau / (tau - 1 + lam sigma(-lam)) (the
    trace in eps-def), gives the effective-ridge equation exactly.  The fact 'effective-ridge'
    checks the same equation on ridge fits of the attention model itself.
    """
    sigma = sp.Function("sigma_hat")
    law = (marchenko_pastur(1 / kappa) + x_star) * marchenko_pastur(1 / tau)
    add_law(D, "feature-law", law, sigma(z_mp), tag="F", uses=["x-star-def"],
            points=[{kappa: 0.5, tau: 2.0, x_star: 0.6}, {kappa: 2.0, tau: 0.5, x_star: 0.3}],
            explanation="The law of the feature covariance when the features are Gaussian: "
                        "$\\hat\\Sigma = \\Sigma^{1/2}W\\Sigma^{1/2}$ with $\\Sigma \\sim R + x^*$ and $W$ a "
                        "white Wishart matrix of ratio $d^2/n = 1/\\tau$.",
            ref="Lu et al. 2025, self-consistent equation: the feature covariance behind it (reconstructed)")
    eps_free = sp.Symbol("epsilon_free", positive=True)
    D.define("eps-free-def", sp.Eq(eps_free, lam * tau / (tau - 1 + lam * sigma(-lam))),
             explanation="The renormalised ridge of eps-def, with the trace given by the free product.")
    shifted = x_star + eps_free
    D.step("feature-subordination",
           sp.Eq(shifted / kappa * (lam * sigma(-lam) / eps_free)**2
                 + (shifted + 1 - 1 / kappa) * (lam * sigma(-lam) / eps_free) - 1, 0),
           uses=["feature-law", "eps-free-def"],
           explanation="$\\lambda\\hat\\sigma(-\\lambda)/\\varepsilon$ solves the quadratic of "
                       "$M_\\kappa$ at $x^* + \\varepsilon$: Silverstein's subordination, from the curve.",
           ref="Lu et al. 2025, self-consistent equation as a subordination (reconstructed)")
    D.step("feature-subordination-root", sp.Eq(M(kappa, shifted), lam * sigma(-lam) / eps_free),
           uses=["feature-subordination", "M-closed", "eps-free-def"], conditions=[lam > 0, sigma(-lam) > 0],
           explanation="It is the positive root: $\\hat\\sigma(-\\lambda) > 0$ and $\\varepsilon > 0$ "
                       "at $\\lambda > 0$.")
    D.step("effective-ridge-free", sp.Eq(1 - tau + tau * lam / eps_free - eps_free * M(kappa, shifted), 0),
           uses=["feature-subordination-root", "eps-free-def"], conditions=[lam > 0],
           explanation="The effective-ridge equation, now a consequence of the free product (at "
                       "$\\lambda > 0$, where the root is the positive one).",
           ref="Lu et al. 2025, self-consistent equation of the renormalised ridge (authors' code self_consistency)")
    return eps_free


def build_ridgeless(D, idg_formula, icl_formula):
    """lam -> 0: eps -> 0 for tau > 1, eps -> eps_0 > 0 for tau < 1 (Result 1; code ridgeless_icl/idg)."""
    m_star = M(kappa, x_star)
    dm_star = sp.Derivative(M(kappa, x_star), x_star)
    D.solve("lam-of-eps", "effective-ridge", lam,
            explanation="The self-consistent equation is linear in $\\lambda$.")
    D.limit("eps-small-ridge", lam / eps, eps, 0, uses=["lam-of-eps", "M-closed"],
            value=(tau - 1) / tau,
            explanation="For $\\tau > 1$, $\\lambda \\sim \\varepsilon(\\tau-1)/\\tau$: the ridgeless "
                        "limit $\\lambda\\to0$ is $\\varepsilon\\to0$.",
            ref="Lu et al. 2025, ridgeless limit $\\lambda \\to 0^+$")
    mu_star = x_star * M(kappa / tau, x_star)
    eps0 = (1 - tau) * x_star / (tau * mu_star)
    D.step("ridgeless-eps-lt1", sp.Eq(eps, eps0), uses=["effective-ridge", "x-star-def", "M-closed"],
           conditions=[tau < 1, sp.Eq(lam, 0)],
           explanation="For $\\tau < 1$ the ridgeless root is explicit through subordination, "
                       "$\\mu^* = x^* M_{\\kappa/\\tau}(x^*)$.",
           ref="Lu et al. 2025, ridgeless $\\tau<1$: $\\varepsilon_0$ and $\\mu^*$ "
               "(authors' code ridgeless_icl, ridgeless_idg)")

    idg_gt1 = tau / (tau - 1) * (rho + x_star * (1 - x_star * m_star))
    D.limit("e-idg-ridgeless-gt1", idg_formula, eps, 0, uses=["nu-def", "M-closed"], value=idg_gt1,
            conditions=[tau > 1],
            explanation="The IDG formula at $\\varepsilon \\to 0$.",
            ref="Lu et al. 2025, code ridgeless_idg, $\\tau > 1$")
    icl_gt1_prime = ((1 + x_star) * (1 - 2 * x_star * m_star - x_star**2 * dm_star
                                     + m_star / (tau - 1) * (rho + x_star - x_star**2 * m_star))
                     - 2 * (1 - x_star * m_star) + 1 + rho)
    D.limit("e-icl-ridgeless-gt1", icl_formula.subs(e_idg, idg_formula), eps, 0,
            uses=["nu-def", "M-closed"], value=icl_gt1_prime, conditions=[tau > 1],
            explanation="The ICL formula at $\\varepsilon\\to0$: the $M'$ form.",
            ref="Lu et al. 2025, Result 1, $\\tau > 1$, in the $M'$ form of the authors' later code (prop_icl)")
    k_star = 1 / (1 - kappa * (m_star / (kappa + m_star))**2)
    icl_gt1_k = ((k_star - 1 / (tau - 1)) * (1 + x_star) * (x_star * m_star)**2
                 + (3 - 2 * tau) / (tau - 1) * m_star * x_star**2
                 + ((1 + rho) / (tau - 1) * m_star + 1) * x_star + rho * m_star / (tau - 1) + rho)
    D.step("icl-gt1-forms-agree", sp.Eq(icl_gt1_prime, icl_gt1_k), uses=["M-prime-k", "M-quadratic", "x-star-def"],
           explanation="The $M'$ form equals the $k^*$ form of the authors' code.",
           ref="Lu et al. 2025, Result 1, $\\tau > 1$, in the $k^*$ form of the authors' code (ridgeless_icl)")

    icl_lt1 = (tau * (1 + x_star) / (1 - tau) * (1 - tau * (1 - mu_star)**2 - (x_star - rho) / x_star * mu_star)
               - 2 * tau * (1 - mu_star) + 1 + rho)
    D.step("e-icl-ridgeless-lt1", sp.Eq(e_icl, icl_lt1),
           uses=["e-icl-formula", "e-idg-formula", "ridgeless-eps-lt1", "nu-def", "x-star-def", "M-closed",
                 "M-prime-sqrt"],
           conditions=[tau < 1, sp.Eq(lam, 0)],
           explanation="The general formula at $\\varepsilon_0$.",
           ref="Lu et al. 2025, Result 1, $\\tau < 1$ (authors' code ridgeless_icl)")
    c_code = 1 / (1 - kappa / (1 + kappa * eps / (1 - tau))**2)
    idg_lt1 = tau * ((x_star + eps)**2 / eps
                     + (rho + x_star - 2 * x_star * (1 - tau) * (x_star / eps + 1)) / (1 - tau - c_code * (1 - tau)**2))
    D.step("e-idg-ridgeless-lt1", sp.Eq(e_idg, idg_lt1),
           uses=["e-idg-formula", "ridgeless-eps-lt1", "nu-def", "x-star-def", "M-closed", "M-prime-sqrt"],
           conditions=[tau < 1, sp.Eq(lam, 0)],
           explanation="The general formula at $\\varepsilon_0$, in the code's form.",
           ref="Lu et al. 2025, code ridgeless_idg, $\\tau < 1$")


def build_limits(D):
    """Special limits of the ridgeless errors (derived here from Result 1 and the ridgeless IDG error)."""
    # x* and the ridgeless eps_0 as their steps state them, never typed again.
    x_value = D["x-star-def"].statement.rhs
    eps_0 = D["ridgeless-eps-lt1"].statement.rhs
    m_star = M(kappa, x_star)
    dm_star = sp.Derivative(M(kappa, x_star), x_star)
    idg_gt1 = D["e-idg-ridgeless-gt1"].statement.rhs
    icl_gt1 = D["e-icl-ridgeless-gt1"].statement.rhs
    D.limit("idg-tau-infinity", idg_gt1, tau, sp.oo, uses=["e-idg-ridgeless-gt1"],
            value=rho + x_star * (1 - x_star * m_star),
            explanation="Infinite pretraining data: $\\Gamma^*\\to R(R + x^*)^{-1}$.",
            ref="Lu et al. 2025, infinite pretraining data $\\tau\\to\\infty$ (limit derived here)")
    D.limit("icl-tau-infinity", icl_gt1, tau, sp.oo, uses=["e-icl-ridgeless-gt1"],
            value=1 + rho - 2 * (1 - x_star * m_star) + (1 + x_star) * (1 - 2 * x_star * m_star - x_star**2 * dm_star),
            ref="Lu et al. 2025, infinite pretraining data $\\tau\\to\\infty$ (limit derived here)")
    D.limit("idg-kappa-infinity", idg_gt1, kappa, sp.oo, uses=["e-idg-ridgeless-gt1", "M-closed"],
            value=tau / (tau - 1) * (rho + x_star / (1 + x_star)), conditions=[tau > 1],
            explanation="Infinite task diversity, $\\tau > 1$.",
            ref="Lu et al. 2025, infinite task diversity (limit derived here)")
    D.limit("icl-kappa-infinity", icl_gt1, kappa, sp.oo, uses=["e-icl-ridgeless-gt1", "M-closed", "M-prime-sqrt"],
            value=tau / (tau - 1) * (rho + x_star / (1 + x_star)), conditions=[tau > 1],
            explanation="At $\\kappa = \\infty$ the ICL and IDG errors coincide.",
            ref="Lu et al. 2025, infinite task diversity (limit derived here)")
    D.limit("idg-tau-one-residue", (tau - 1) * idg_gt1, tau, 1, uses=["e-idg-ridgeless-gt1"],
            value=rho + x_star * (1 - x_star * m_star), direction="+",
            explanation="At the interpolation threshold the IDG error diverges like "
                        "$e^{\\mathrm{IDG}}_\\infty/|1-\\tau|$.",
            ref="Lu et al. 2025, double descent at $\\tau = 1$ (abstract, Fig. 1; limit derived here)")
    D.limit("icl-tau-one-residue", (tau - 1) * icl_gt1, tau, 1, uses=["e-icl-ridgeless-gt1"],
            value=(1 + x_star) * m_star * (rho + x_star * (1 - x_star * m_star)), direction="+",
            explanation="The ICL error diverges like $(1 + x^*) m^* e^{\\mathrm{IDG}}_\\infty/|1-\\tau|$.",
            ref="Lu et al. 2025, double descent at $\\tau = 1$ (abstract, Fig. 1; limit derived here)")
    icl_inf = D["icl-tau-infinity"].statement.rhs.subs(x_star, x_value)
    for label, condition, value in (("icl-alpha-tau-infinity-lt1", kappa < 1, rho + 1 - kappa),
                                    ("icl-alpha-tau-infinity-gt1", kappa > 1, rho)):
        D.limit(label, icl_inf, alpha, sp.oo, uses=["icl-tau-infinity", "M-closed", "M-prime-sqrt"],
                value=value, conditions=[condition],
                explanation="Infinite data and context: $\\rho + (1-\\kappa)_+$, the task-diversity "
                            "transition at $\\kappa = 1$.",
                ref="Lu et al. 2025, the task-diversity phase transition (abstract, Fig. 4; limit derived here)")
    icl_lt1 = D["e-icl-ridgeless-lt1"].statement.rhs.subs(x_star, x_value)
    D.limit("icl-alpha-infinity-lt1", icl_lt1, alpha, sp.oo, uses=["e-icl-ridgeless-lt1", "M-closed"],
            value=1 - tau + rho + tau * rho * kappa / ((1 - tau) * (kappa - tau)),
            conditions=[tau < 1, kappa > tau],
            explanation="Long contexts, $\\tau < 1 < \\kappa/\\tau$.",
            ref="Lu et al. 2025, long contexts $\\alpha\\to\\infty$ (limit derived here)")
    idg_lt1 = D["e-idg-ridgeless-lt1"].statement.rhs
    idg_lt1 = idg_lt1.subs(eps, eps_0).subs(x_star, x_value)
    D.limit("idg-alpha-infinity-lt1", idg_lt1, alpha, sp.oo, uses=["e-idg-ridgeless-lt1", "M-closed"],
            value=(1 - tau) * (1 - tau / kappa) + rho * (kappa - tau**2) / ((1 - tau) * (kappa - tau)),
            conditions=[tau < 1, kappa > tau],
            explanation="Long contexts, $\\tau < 1$, $\\kappa > \\tau$.",
            ref="Lu et al. 2025, long contexts $\\alpha\\to\\infty$ (limit derived here)")
    D.limit("icl-alpha-divergence", icl_gt1.subs(x_star, x_value) / alpha, alpha, sp.oo,
            uses=["e-icl-ridgeless-gt1", "M-closed", "M-prime-sqrt"],
            value=(1 - kappa) * rho / ((1 + rho) * (tau - 1)), conditions=[tau > 1, kappa < 1],
            explanation="For $\\kappa < 1 < \\tau$ and $\\rho > 0$ the ICL error grows linearly in "
                        "$\\alpha$: longer contexts hurt.",
            ref="Lu et al. 2025, non-monotonic dependence on context length (Figs. 2, 3; limit derived here)")
    for label, formula in (("idg-alpha-zero", idg_gt1), ("icl-alpha-zero", icl_gt1)):
        D.limit(label, formula.subs(x_star, x_value), alpha, 0,
                uses=[f"e-{label[:3]}-ridgeless-gt1", "M-closed", "M-prime-sqrt"],
                value=(1 + rho) * tau / (tau - 1), conditions=[tau > 1],
                explanation="No context: both errors tend to $(1 + \\rho)\\tau/(\\tau - 1)$.",
                ref="Lu et al. 2025, no context $\\alpha\\to0$ (limit derived here)")
    D.limit("idg-kappa-zero", idg_gt1, kappa, 0, uses=["e-idg-ridgeless-gt1", "M-closed"],
            value=tau * rho / (tau - 1), conditions=[tau > 1],
            explanation="A single task per dimension and fewer: the IDG error tends to the noise, inflated.",
            ref="Lu et al. 2025, vanishing task diversity $\\kappa\\to0$ (limit derived here)")
    D.limit("icl-kappa-zero", icl_gt1, kappa, 0, uses=["e-icl-ridgeless-gt1", "M-closed", "M-prime-sqrt"],
            value=1 + rho + rho * (1 + x_star) / (x_star * (tau - 1)), conditions=[tau > 1],
            explanation="With vanishing task diversity the model memorises; fresh tasks are not learned.",
            ref="Lu et al. 2025, vanishing task diversity $\\kappa\\to0$ (limit derived here)")
    idg_alpha = idg_gt1.subs(x_star, x_value)
    D.limit("idg-alpha-infinity", idg_alpha, alpha, sp.oo, uses=["e-idg-ridgeless-gt1", "M-closed"],
            value=tau * rho / (tau - 1), conditions=[tau > 1],
            explanation="Long contexts, $\\tau > 1$.",
            ref="Lu et al. 2025, long contexts $\\alpha\\to\\infty$ (limit derived here)")
    icl_alpha = icl_gt1.subs(x_star, x_value)
    D.limit("icl-alpha-infinity", icl_alpha, alpha, sp.oo, uses=["e-icl-ridgeless-gt1", "M-closed", "M-prime-sqrt"],
            value=rho * (1 + kappa / ((kappa - 1) * (tau - 1))), conditions=[tau > 1, kappa > 1],
            explanation="Long contexts, $\\tau > 1$, $\\kappa > 1$.",
            ref="Lu et al. 2025, long contexts $\\alpha\\to\\infty$ (limit derived here)")


def build_quantities(D):
    """Lowered quantities for ``derive eval``: each the binding of a checked step, with eps
    the root of the effective-ridge equation (the step's own residual), or its ridgeless closed
    forms where their conditions hold."""
    # The ridgeless root for tau > 1 (stated here, after the steps whose check subsets are fixed).
    D.limit("ridgeless-eps-gt1", lam, eps, 0, uses=["lam-of-eps", "M-closed"], value=0, conditions=[tau > 1],
            explanation="For $\\tau > 1$ the ridge vanishes with $\\varepsilon$ (and grows with it, "
                        "by eps-small-ridge): the ridgeless root is $\\varepsilon = 0$.",
            ref="Lu et al. 2025, ridgeless limit $\\lambda \\to 0^+$")
    implicit = {eps: dict(step="effective-ridge", lower=lam / 2, upper=1 + 2 * lam,
                          closed=["ridgeless-eps-lt1", "ridgeless-eps-gt1"])}
    closed = ["nu-def", "x-star-def", "M-closed", "M-prime-sqrt"]
    # The ranges: a ridge and the errors are never negative (a value outside is a bug).
    D.quantity("eps", eps, PARAMETERS, uses=closed, implicit=implicit, range=(0, None),
               description="renormalised ridge (0 when ridgeless and tau > 1)")
    D.quantity("e_idg", "e-idg-formula", PARAMETERS, uses=closed, implicit=implicit, range=(0, None),
               description="IDG error")
    D.quantity("e_icl", "e-icl-formula", PARAMETERS, uses=["e-idg-formula"] + closed, implicit=implicit,
               range=(0, None), description="ICL error")
    D.quantity("g_task", "g-task-def", PARAMETERS, uses=["e-icl-formula", "e-idg-formula"] + closed,
               implicit=implicit, description="ICL minus IDG error")


def sample_errors(rng, d, values, protocol="derive"):
    """The simulator behind ``derive mc lu2025``: the exact ICL and IDG errors of one fit, under
    the simulation ``protocol`` (:data:`lu2025_model.PROTOCOLS`)."""
    result = model.simulate(rng, d, *(float(values[str(p)]) for p in PARAMETERS), spectral=False,
                            protocol=protocol)
    return {"e_icl": result["e_icl"], "e_idg": result["e_idg"]}


#: Cross-check points (derive reproduce): tau < 1 and > 1, kappa < 1, > 1 and infinite,
#: lam > 0 and ridgeless (away from tau = 1).
CROSSCHECK_POINTS = [
    {"alpha": 1.0, "kappa": 0.5, "tau": 2.0, "rho": 0.01, "lam": 1.0},
    {"alpha": 1.0, "kappa": 0.5, "tau": 0.5, "rho": 0.01, "lam": 0.1},
    {"alpha": 2.0, "kappa": 2.0, "tau": 1.5, "rho": 0.1, "lam": 0.3},
    {"alpha": 2.0, "kappa": 3.0, "tau": 0.7, "rho": 0.2, "lam": 0.5},
    {"alpha": 10.0, "kappa": math.inf, "tau": 2.0, "rho": 0.01, "lam": 0.1},
    {"alpha": 1.0, "kappa": 0.5, "tau": 2.0, "rho": 0.01, "lam": 0.0},
    {"alpha": 1.0, "kappa": 2.0, "tau": 0.5, "rho": 0.01, "lam": 0.0},
]

#: The paper's model at finite d (it holds the fits the facts share).
MODEL = Model()

#: The paper's parameter domain: kappa = inf is a fresh task per sequence; tau = 1 with lam = 0
#: is the interpolation threshold, where the ridgeless error diverges.
DOMAIN = Domain(infinite={kappa}, forbidden=[InterpolationThreshold(tau, lam)])

#: The entry point (``derive.papers``): the derivation is built on first use, once per process.
paper = Paper(build, TITLE, model=MODEL, figures=lu2025_figures.FIGURES, domain=DOMAIN,
              paper_size="Figs. 1 and 4 simulated at the paper's d = 100 with its 10 trials (and at d = 50, "
                         "for the 1/d extrapolation); Fig. 4 at every fourth kappa of the paper's grid for "
                         "alpha = 6 and 10; Fig. 2 stays at d = 40 (24 at tau = 20)")


def __getattr__(name):
    if name == "derivation":  # the built derivation, for ``from ... import derivation``
        return paper.derivation()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
