"""Bordelon, Letey & Pehlevan (2025), "Theory of scaling laws for in-context regression: depth,
width, context and time" (arXiv 2510.01098): the ISO setting, and the FS infinite-depth flow.

The chain, as checked steps (docs/derivations/bordelon2025.md says which part of the paper each
step comes from, what is reconstructed, and where the paper's statements as reported disagree):

* the model: L layers of masked linear self-attention with aligned weights are L steps of
  preconditioned gradient descent on the context's least squares (a fact, exact at every
  instance, against the forward pass of :mod:`bordelon2025_model`);
* the reduction in commuting symbols: with Gamma = gamma I every matrix is a polynomial in
  Sigma_hat = X^T X / P, so each eigen-direction carries the scalar recursion of the residual
  through one layer, Delta <- q Delta with q = 1 - gamma lambda / L, and the test token sums
  the layers to the gradient-descent filter 1 - q^L (a finite geometric sum);
* the ISO risk as a spectral mean over the empirical covariance (a fact against the actual
  model), and, at depth L = 1, 2, 3, as a polynomial in the Marchenko-Pastur moments of
  mp(1/alpha) (facts against sampled Sigma_hat; the values from derive.rmt's law);
* the optimal step at L = 1 and its long-context limit; at L = 2 with label noise the optimal
  step as the root of dR_2/dgamma = 0 where R_2 is convex in gamma (a root step); the
  infinite-depth limit of each eigen-direction's bias and variance factors;
* training Gamma = gamma I at L = 1: the linear recursion of gradient descent on R_1, its
  closed form and fixed point, against SGD on the model (a fact);
* the FS setting at infinite depth: the per-mode gradient flow and its closed-form solution;
* FS under source/capacity conditions (lambda_k = k^-nu, omega_k lambda_k = k^-(nu beta + 1)):
  the loss in time, C (4t)^(-nu beta/(nu beta + 2 nu + 1)), and the depth bottleneck, L^-beta,
  as continuum integrals with symbolic exponents, their closed forms and the exponents as limits
  (the depth law through the checked bound (1 - k^-nu)^(2L) <= exp(-2L k^-nu)).

Parameters: alpha = P/D (context length per dimension), gamma (the isotropic preconditioner
Gamma = gamma I: the step of the equivalent gradient descent is gamma/L per layer), sigma2 the
label-noise variance, L the depth; lambda an eigenvalue of Sigma_hat.
"""

import numpy as np
import sympy as sp

from derive import Derivation, Simulation
from derive.crosscheck import Simulator
from derive.notation import Meaning
from derive.registry import Paper
from derive.rmt import SpectralMean, marchenko_pastur

from . import bordelon2025_figures as figures
from . import bordelon2025_model as model

alpha, gamma = sp.symbols("alpha gamma", positive=True)
sigma2 = sp.Symbol("sigma2", nonnegative=True)
lam = sp.Symbol("lambda", positive=True)
L = sp.Symbol("L", integer=True, positive=True)
l = sp.Symbol("l", integer=True, nonnegative=True)
gamma1 = sp.Symbol("gamma_1", positive=True)
t, omega = sp.symbols("t omega", positive=True)
f_attention, f_gd = sp.symbols("f_attention f_GD", real=True)
q = sp.Function("q")
Delta = sp.Function("Delta")
R = sp.Function("R")
g_mode = sp.Function("g")
R_rrs = sp.Function("R_RRS")
R_width = sp.Function("R_N")
nu_width = sp.Symbol("nu", positive=True)
#: The risks at depth 1, 2, 3 and the optimal depth-1 risk as names, for ``derive eval``.
R_at = {depth: sp.Symbol(f"R_{depth}", real=True) for depth in (1, 2, 3)}
R1_opt = sp.Symbol("R_opt", real=True)
#: The optimal steps and risks at depths 2, 3 without label noise.
gamma_at = {depth: sp.Symbol(f"gamma_{depth}", positive=True) for depth in (2, 3)}
R_opt_at = {depth: sp.Symbol(f"R_opt{depth}", real=True) for depth in (2, 3)}

#: sigma^2 = 0: the optimal step at depth L is L alpha/(1 + alpha) (found here for L = 2, 3), and
#: the risk there.
NOISELESS_OPTIMA = {2: (2 * alpha + 1) / (alpha + 1) ** 3,
                    3: (5 * alpha**2 + 4 * alpha + 1) / (alpha + 1) ** 5}

#: The depths at which the risk is written out as a polynomial in the moments.
DEPTHS = (1, 2, 3)


def mean(f):
    """<f(Sigma_hat)>, the mean over the limiting spectral law of Sigma_hat = X^T X / P."""
    return SpectralMean(f, lam, "Sigma")


def layer_map(depth=L, step=gamma):
    """q = 1 - gamma lambda / L: one layer (one gradient step) on an eigen-direction."""
    return 1 - step * lam / depth


def bias_factor(depth=L, step=gamma):
    """q^(2L): the squared residual of the task after L steps."""
    return layer_map(depth, step) ** (2 * depth)


def variance_factor(depth=L, step=gamma):
    """(1 - q^L)^2 / lambda: the noise passed through the filter, per unit sigma^2/alpha."""
    return (1 - layer_map(depth, step) ** depth) ** 2 / lam


def risk_formula(depth=L, step=gamma):
    """The ISO risk: <q^(2L)> + (sigma^2/alpha) <(1 - q^L)^2/lambda>."""
    return mean(bias_factor(depth, step)) + sigma2 / alpha * mean(variance_factor(depth, step))


def moments(count):
    """The moments <lambda^k>, k = 0..count, of mp(1/alpha), exact, from derive.rmt's law (the
    Narayana polynomials in the ratio D/P = 1/alpha)."""
    return [sp.factor(v) for v in marchenko_pastur(1 / alpha).moments(count)]


def risk_polynomial(depth):
    """The ISO risk at a given depth with every <lambda^k> replaced by its moment: a polynomial
    in gamma and 1/alpha (and linear in sigma^2)."""
    integrand = sp.expand(bias_factor(depth) + sigma2 / alpha * sp.cancel(variance_factor(depth)))
    poly = sp.Poly(integrand, lam)
    values = moments(poly.degree())
    return sp.expand(sum(coeff * values[k] for (k,), coeff in poly.terms()))


# ---- simulations ------------------------------------------------------------------------------


def one_blas_thread(sample):
    """``sample`` with BLAS held to one thread: the matrices are small, and on a shared machine
    threaded BLAS made one trial at D = 64 thirty times slower (0.12 s against 0.004 s)."""
    import functools

    from threadpoolctl import threadpool_limits

    @functools.wraps(sample)
    def limited(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="blas"):
            return sample(*args, **kwargs)

    return limited



@one_blas_thread
def sample_reduction(rng, d, point):
    """The attention forward pass with random aligned weights (random, non-symmetric Gamma)
    against L steps of preconditioned gradient descent, at one test token."""
    depth = int(point[L])
    weights, gamma_matrix = model.aligned_weights(rng, d, d + 3)
    x, y, _ = model.context(rng, d, float(point[alpha]), 0.25)
    x_test = rng.standard_normal((1, d))
    return {f_attention: float(model.attention_predict(weights, x, y, x_test, depth)[0]),
            f_gd: float(model.gd_predict(gamma_matrix, x, y, x_test, depth)[0])}


@one_blas_thread
def sample_risk(rng, d, point):
    """The measured risk of the L-layer attention (Gamma = gamma I) on one context, and the two
    spectral means of the formula over the same context's Sigma_hat."""
    depth, step = int(point[L]), float(point[gamma])
    a, s2 = float(point[alpha]), float(point[sigma2])
    risk, x = model.iso_risk(rng, d, a, s2, step, depth)
    eigenvalues = np.linalg.eigvalsh(x.T @ x / x.shape[0])
    qs = 1 - step * eigenvalues / depth
    quotient = step / depth * sum(qs**j for j in range(depth))  # (1 - q^L)/lambda, finite at 0
    return {R(gamma, L): risk, mean(bias_factor()): float(np.mean(qs ** (2 * depth))),
            mean(variance_factor()): float(np.mean((1 - qs**depth) * quotient))}


@one_blas_thread
def sample_moments(rng, d, point):
    """(1/D) tr Sigma_hat^k, k = 1..6, for one Sigma_hat = X^T X / P, P = alpha D."""
    p = max(1, int(round(float(point[alpha]) * d)))
    x = rng.standard_normal((p, d))
    eigenvalues = np.linalg.eigvalsh(x.T @ x / p)
    return {mean(lam**k): float(np.mean(eigenvalues**k)) for k in range(1, 7)}


@one_blas_thread
def sample_risk_depth2(rng, d, point, contexts=4):
    """The measured risk of the 2-layer attention, for the end-to-end fact at L = 2: the mean
    over ``contexts`` independent contexts (a batch, as the paper's loss averages contexts)."""
    risks = [model.iso_risk(rng, d, float(point[alpha]), float(point[sigma2]), float(point[gamma]), 2)[0]
             for _ in range(contexts)]
    return {R(gamma, 2): float(np.mean(risks))}


@one_blas_thread
def sample_width_risk(rng, d, point, contexts=4):
    """The measured risk of one layer with a stream of width N = nu D for the inputs, the mean
    over ``contexts`` contexts."""
    values = [float(point[p]) for p in (alpha, sigma2, gamma, nu_width)]
    risks = [model.narrow_risk(rng, d, values[0], values[1], values[2], 1, values[3]) for _ in range(contexts)]
    return {R_width(gamma, nu_width): float(np.mean(risks))}


@one_blas_thread
def sample_training(rng, d, point, batch=4):
    """gamma after n steps of SGD on the depth-1 model's in-context loss, from gamma_0, with
    ``batch`` fresh ISO contexts a step: each context's loss, exact over the test input, is
    |gamma X^T y/P - beta/sqrt(D)|^2, whose gradient in gamma is 2 (gamma a - b).a, a = X^T y/P."""
    a_ratio, s2 = float(point[alpha]), float(point[sigma2])
    rate, step = float(point[eta]), float(point[gamma0])
    for _ in range(int(point[n_step])):
        grads = []
        for _ in range(batch):
            x, y, beta = model.context(rng, d, a_ratio, s2)
            a = x.T @ y / x.shape[0]
            grads.append(2 * (step * a - beta) @ a)
        step -= rate * float(np.mean(grads))
    return {gamma_sgd(n_step): step}


RISK_POINTS = [{alpha: 1.0, gamma: 0.8, sigma2: 0.25, L: 1},
               {alpha: 2.0, gamma: 1.5, sigma2: 0.0, L: 2},
               {alpha: 0.5, gamma: 0.6, sigma2: 0.5, L: 3}]


# ---- the derivation ---------------------------------------------------------------------------


TITLE = "Theory of scaling laws for in-context regression: depth, width, context and time"


def build():
    D = Derivation(
        "bordelon2025",
        title=TITLE,
        cite="Bordelon, Letey, Pehlevan, arXiv 2510.01098 (2025); ICLR 2026",
        description="Deep linear self-attention with $L$ layers on in-context linear regression, "
                    "$P = \\alpha D$ examples per context in $D$ dimensions, label noise $\\sigma^2$. "
                    "With aligned weights the model is $L$ steps of preconditioned gradient descent "
                    "with preconditioner $\\Gamma$; the ISO setting has $\\Gamma = \\gamma I$. What each "
                    "step comes from is in docs/derivations/bordelon2025.md.",
        latex_names={"gamma_1": r"\gamma_1^*", "sigma2": r"\sigma^2", "f_attention": r"f_{\mathrm{attn}}",
                     "f_GD": r"f_{\mathrm{GD}}", "Delta": r"\Delta", "gamma_k": r"\gamma_k", "R_N": r"\mathcal R_N",
                     "R_1": r"\mathcal R_1", "R_2": r"\mathcal R_2", "R_3": r"\mathcal R_3",
                     "R_opt": r"\mathcal R_1^*", "R_opt2": r"\mathcal R_2^*", "R_opt3": r"\mathcal R_3^*",
                     "gamma_2": r"\gamma_2^*", "gamma_3": r"\gamma_3^*",
                     "nu_s": r"\nu", "beta_s": r"\beta", "L_K": r"\mathcal L_K", "L_t": r"\mathcal L",
                     "B_L": r"\mathcal B", "g_log": r"g", "gamma_n": r"\gamma_n", "gamma_0": r"\gamma_0", "gamma_SGD": r"\gamma^{\mathrm{SGD}}"},
    )
    D.parameter(alpha, description="context length per dimension $P/D$")
    D.parameter(gamma, description="isotropic preconditioner $\\Gamma = \\gamma I$ (step $\\gamma/L$ per layer)")
    D.parameter(sigma2, description="label-noise variance")
    D.parameter(L, description="depth (number of attention layers)")
    D.parameter(lam, description="an eigenvalue of $\\hat\\Sigma = X^\\top X/P$")
    build_reduction(D)
    build_iso_risk(D)
    build_optimum(D)
    build_infinite_depth(D)
    build_fs_flow(D)
    build_training(D)
    build_rrs_example(D)
    build_width(D)
    build_power_laws(D)
    build_quantities(D)
    return D


#: The parameters of the ISO risks (``derive eval bordelon2025 risk_L2 alpha gamma sigma2``).
RISK_PARAMETERS = (alpha, gamma, sigma2)


def build_quantities(D):
    """Quantities for ``derive eval``: each the binding of a checked step.  ``R(gamma, L)`` at a
    fixed depth is not a name (its argument 1 is a number), so each depth's risk is named
    ``R_L`` by a definition and the value is a step from the checked polynomial."""
    for depth in DEPTHS:
        D.define(f"risk-L{depth}-name", sp.Eq(R_at[depth], R(gamma, depth)),
                 explanation=f"The name of the risk at depth {depth}.")
        D.step(f"risk-L{depth}-value", sp.Eq(R_at[depth], risk_polynomial(depth)),
               uses=[f"risk-L{depth}-name", f"risk-L{depth}"])
        D.quantity(f"risk_L{depth}", f"risk-L{depth}-value", RISK_PARAMETERS, range=(0, None),
                   description=f"ISO risk at depth L = {depth} with Gamma = gamma I")
    D.define("risk-L1-optimal-name", sp.Eq(R1_opt, R(gamma1, 1)),
             explanation="The name of the optimal depth-1 risk.")
    D.step("risk-L1-optimal-value", sp.Eq(R1_opt, (1 + sigma2) / (alpha + 1 + sigma2)),
           uses=["risk-L1-optimal-name", "risk-L1-optimal"])
    D.quantity("gamma_1", "gamma1-def", (alpha, sigma2), range=(0, None),
               description="the optimal step at depth 1")
    D.quantity("risk_L1_optimal", "risk-L1-optimal-value", (alpha, sigma2), range=(0, None),
               description="the ISO risk at depth 1 at the optimal step gamma_1")
    build_noiseless_optima(D)
    D.quantity("gamma_2", "gamma2-root", (alpha, sigma2), range=(0, None),
               description="the optimal step at depth 2 (where R_2 is convex in gamma)")
    D.quantity("risk_L2_optimal", "risk-L2-optimal-value", (alpha, sigma2), range=(0, None),
               description="the ISO risk at depth 2 at its optimal step gamma_2")
    D.quantity("gamma_3", "gamma3-noiseless-def", (alpha,), range=(0, None),
               description="the optimal step at depth 3 without label noise")
    D.quantity("risk_L3_optimal", "risk-L3-optimal-value", (alpha,), range=(0, None),
               description="the ISO risk at depth 3 at its optimal step, sigma^2 = 0")
    D.quantity("width_risk", "width-risk-L1", (alpha, gamma, sigma2, nu_width), range=(0, None),
               description="the depth-1 risk with a stream of width N = nu D")


#: Where the depth-2 risk is convex in gamma (d^2 R_2/d gamma^2 > 0 for every gamma): its
#: discriminant in gamma is negative.  At alpha = 1 this allows sigma^2 < 1.68; as alpha -> 0 or
#: oo it tends to sigma^2 < 3 min(alpha, 1).  Outside it the optimum can stop being the only
#: stationary point: at alpha = 1/10, sigma^2 = 117/50 the derivative has two roots in (0, 1/4).
CONVEX_L2 = [sigma2 * (alpha**3 + 1) + sigma2**2 * (alpha**2 + 1) < 3 * alpha * (alpha**2 + alpha + 1)]


def build_noisy_optimum(D):
    """Depth 2 with label noise: the optimal step gamma_2 is *the* root of dR_2/dgamma = 0 in
    (0, oo) where R_2 is convex in gamma (CONVEX_L2; the root step's uniqueness is that
    convexity, decided by the kernel), and without noise it is 2 alpha/(1 + alpha)."""
    step, poly = gamma_at[2], risk_polynomial(2)
    D.step("risk-L2-convex", sp.diff(poly, gamma, 2) > 0, uses=["risk-L2"], conditions=CONVEX_L2,
           explanation="Where the noise is not too large against the context ($\\sigma^2(\\alpha^3 + 1) + "
                       "\\sigma^4(\\alpha^2 + 1) < 3\\alpha(\\alpha^2 + \\alpha + 1)$), $\\mathcal R_2$ is "
                       "strictly convex in $\\gamma$: a stationary step is the optimum.")
    D.root("gamma2-root", step, sp.Eq(sp.diff(poly, gamma).subs(gamma, step), 0), interval=(0, sp.oo),
           conditions=CONVEX_L2, uses=["risk-L2"],
           explanation="The optimal step at depth 2: the unique root of $\\partial_\\gamma \\mathcal R_2 = 0$ "
                       "(a cubic in $\\gamma$; $\\partial_\\gamma \\mathcal R_2 = -2$ at $\\gamma = 0$ and it "
                       "increases, by convexity).",
           ref="Bordelon et al. 2025, Fig. 1c: the theory at the optimal step for each $(\\alpha, L)$")
    D.step("gamma2-noiseless", sp.Eq(step, 2 * alpha / (1 + alpha)), uses=["gamma2-root"],
           conditions=[sp.Eq(sigma2, 0)],
           explanation="Without label noise the cubic has the root $2\\alpha/(1 + \\alpha)$.")


def build_noiseless_optima(D):
    """sigma^2 = 0, depths 2 and 3: the step L alpha/(1 + alpha) is stationary (depth 2: the
    noisy optimum gamma2-root at sigma^2 = 0), the risk there is (2 alpha + 1)/(alpha + 1)^3
    (L = 2) and (5 alpha^2 + 4 alpha + 1)/(alpha + 1)^5 (L = 3), and it is the least over every
    step (a real-algebraic decision on the polynomial risk).  Found here (the paper's optimal
    steps at L >= 2 were not readable); at depth 3 with noise the optimum is a root of a quintic
    that no step states yet."""
    noiseless = [sp.Eq(sigma2, 0)]
    build_noisy_optimum(D)
    for depth, value in NOISELESS_OPTIMA.items():
        step, name = gamma_at[depth], R_opt_at[depth]
        if depth == 2:
            reduction = "gamma2-noiseless"
        else:
            reduction = f"gamma{depth}-noiseless-def"
            D.define(reduction, sp.Eq(step, depth * alpha / (1 + alpha)),
                     explanation=f"The optimal step at depth {depth} without label noise.")
            D.step(f"gamma{depth}-noiseless-stationary",
                   sp.Eq(sp.diff(risk_polynomial(depth), gamma).subs(gamma, step), 0, evaluate=False),
                   uses=[reduction], conditions=noiseless,
                   explanation=f"$\\partial_\\gamma \\mathcal R_{depth} = 0$ at $\\gamma = {depth}\\alpha/(1 + \\alpha)$.")
        D.step(f"risk-L{depth}-at-gamma{depth}", sp.Eq(R(step, depth), risk_polynomial(depth).subs(gamma, step)),
               uses=["iso-risk", "gamma2-root" if depth == 2 else reduction]
               + [f"mp-moment-{k}" for k in range(1, 2 * depth + 1)],
               conditions=CONVEX_L2 if depth == 2 else [],
               explanation="The depth's polynomial at that step.")
        D.step(f"risk-L{depth}-noiseless-optimal", sp.Eq(R(step, depth), value),
               uses=[f"risk-L{depth}-at-gamma{depth}", reduction], conditions=noiseless,
               explanation=f"At $\\alpha = 1$: ${sp.latex(value.subs(alpha, 1))}$ (depth-{depth}-helps-at-alpha-1).")
        # No condition sigma^2 = 0: the noise only adds its variance term, which is never
        # negative, so the noiseless optimum bounds the risk at every noise level (the mutation
        # run found the condition superfluous).
        D.step(f"risk-L{depth}-noiseless-minimum", R_at[depth] >= value, uses=[f"risk-L{depth}-value"],
               explanation="No step does better: the risk minus the noiseless optimum is nonnegative "
                           "for every $\\gamma$, $\\alpha > 0$ and $\\sigma^2 \\ge 0$.")
        D.define(f"risk-L{depth}-optimal-name", sp.Eq(name, R(step, depth)),
                 explanation=f"The name of the optimal depth-{depth} risk"
                             + (" (with label noise)." if depth == 2 else " without noise."))
        if depth == 2:
            D.step("risk-L2-optimal-value", sp.Eq(name, risk_polynomial(2).subs(gamma, step)),
                   uses=["risk-L2-optimal-name", "risk-L2-at-gamma2"], conditions=CONVEX_L2,
                   explanation="The depth-2 risk at the optimal step $\\gamma_2^*$, at every noise level.")
        else:
            D.step(f"risk-L{depth}-optimal-value", sp.Eq(name, value),
                   uses=[f"risk-L{depth}-optimal-name", f"risk-L{depth}-noiseless-optimal"], conditions=noiseless)


def build_width(D):
    """Width N = nu D < D at depth 1: the inputs enter through a rank-N projection P, Gamma = gamma P."""
    D.parameter(nu_width, description="residual-stream width per dimension $N/D$ (for the inputs), $\\nu \\le 1$")
    D.define("width-risk-def", sp.Eq(R_width(gamma, nu_width), Meaning(
        r"\lim_{D\to\infty} E\,(f_* - \beta^\top x_*/\sqrt D)^2,\ N = \nu D",
        "the ICL risk of one layer whose stream holds the inputs through a rank-N projection")))
    # As for iso-risk-L2-model: 4 contexts a trial, 60 trials at D = 32, 64, 128; the risk is
    # 0.73 and 0.88 at these points, the terms' sizes 2.6 and 2.1, so 0.08 is about 0.2 absolute,
    # against four standard errors of about 0.06 for the extrapolated mean.
    D.fact("width-risk-L1", sp.Eq(R_width(gamma, nu_width),
                                  1 - 2 * gamma * nu_width + gamma**2 * nu_width * (1 + (1 + sigma2) / alpha)),
           uses=["width-risk-def", "attention-is-gd"], conditions=[nu_width <= 1],
           check=Simulation(sample_width_risk, points=[{alpha: 2.0, gamma: 0.8, sigma2: 0.3, nu_width: 0.5},
                                                       {alpha: 1.0, gamma: 0.5, sigma2: 0.0, nu_width: 0.25}],
                            sizes=(32, 64, 128), trials=60, seed=13, tolerance=0.08, exponent=1,
                            description="One layer of attention with a stream of width $\\nu D$ (a random "
                                        "rank-$N$ input projection), extrapolated in $1/D$."),
           explanation="$\\tfrac1D\\operatorname{tr}P\\hat\\Sigma \\to \\nu$ and "
                       "$\\tfrac1D\\operatorname{tr}P\\hat\\Sigma^2 \\to \\nu\\langle\\lambda^2\\rangle$ "
                       "($P$ and $\\hat\\Sigma$ free): bias $1 - 2\\gamma\\nu + \\gamma^2\\nu(1 + 1/\\alpha)$, "
                       "variance $\\sigma^2\\gamma^2\\nu/\\alpha$.",
           ref="Bordelon et al. 2025, width as a resource (Sec. 2, App. F.1: a rank-$N$ projection); "
               "the depth-1 formula is reconstructed here")
    D.step("width-L1-optimal", sp.Eq(R_width(gamma1, nu_width), 1 - nu_width * alpha / (alpha + 1 + sigma2)),
           uses=["width-risk-L1", "gamma1-def"], conditions=[nu_width <= 1],
           explanation="The optimal step does not depend on the width; the risk there is "
                       "$1 - \\nu\\alpha/(\\alpha + 1 + \\sigma^2)$.")
    D.limit("width-bottleneck", 1 - nu_width * alpha / (alpha + 1 + sigma2), alpha, sp.oo, value=1 - nu_width,
            uses=["width-L1-optimal"],
            explanation="Infinite context cannot pass the width: the $1 - N/D$ of the task outside "
                        "the stream stays unlearned.",
            ref="Bordelon et al. 2025, abstract: width and context as resources")


def build_reduction(D):
    """The model is L steps of preconditioned GD; in commuting symbols, the residual's recursion."""
    D.define("attention-def", sp.Eq(f_attention, Meaning(
        r"w_o^\top h_*^{(L)}", "the L-layer masked linear attention's prediction at a test token")))
    D.define("gd-def", sp.Eq(f_gd, Meaning(
        r"x_*^\top w_L,\ w_{l+1} = w_l + \tfrac{\Gamma}{LP} X^\top(y - X w_l)",
        "L steps of preconditioned gradient descent from w = 0")))
    D.fact("attention-is-gd", sp.Eq(f_attention, f_gd), uses=["attention-def", "gd-def"],
           check=Simulation(sample_reduction, points=[{alpha: 1.5, L: 1}, {alpha: 0.75, L: 3}],
                            sizes=(4, 7), trials=4, seed=1, tolerance=1e-9, exact=True,
                            description="Exact at every instance: random aligned weights (a random, "
                                        "non-symmetric $\\Gamma$), random contexts, $D = 4, 7$."),
           explanation="With $W_x^\\top w_y = 0$, $w_o = w_y$, $W_v = a w_y w_y^\\top$ and keys and "
                       "queries blind to $w_y$, the label coordinate of the training tokens is the "
                       "residual $y - Xw_l$ and the test token sums the gradient steps.",
           ref="Bordelon et al. 2025, Sec. 2 and App. B.2: the reduced-$\\Gamma$ model")

    D.define("q-def", sp.Eq(q(lam), layer_map()),
             explanation="With $\\Gamma = \\gamma I$ one layer multiplies the residual along an "
                         "eigenvector of $\\hat\\Sigma$ (eigenvalue $\\lambda$) by $q$.")
    D.define("residual-def", sp.Eq(Delta(l), q(lam) ** l),
             explanation="The residual after $l$ layers, per unit initial residual, on one eigen-direction.",
             ref="Bordelon et al. 2025, App. B.2: $\\Delta^l = (I - L^{-1}\\hat\\Sigma\\Gamma)^l y$")
    D.step("one-layer", sp.Eq(Delta(l + 1), Delta(l) - gamma * lam / L * Delta(l)),
           uses=["residual-def", "q-def"],
           explanation="One layer: the training tokens' label coordinate loses "
                       "$\\tfrac1{LP}X\\Gamma X^\\top$ of itself.",
           ref="Bordelon et al. 2025, App. B.2 (training tokens, mask $-1$)")
    D.step("telescope", sp.Eq(gamma * lam / L * sp.Sum(Delta(l), (l, 0, L - 1)), 1 - q(lam) ** L),
           uses=["residual-def", "q-def"], conditions=[L <= 40],
           explanation="The test token adds $\\tfrac{\\gamma\\lambda}{L}\\Delta^l$ at each layer: the "
                       "sum of the geometric series is the filter $1 - q^L$ of $L$ gradient steps.",
           ref="Bordelon et al. 2025, App. B.2 (test tokens, mask $+1$)")


def build_iso_risk(D):
    """The ISO risk as a spectral mean, and at L = 1, 2, 3 as a polynomial in MP moments."""
    D.define("risk-def", sp.Eq(R(gamma, L), Meaning(
        r"\lim_{D\to\infty} E\,(f_* - \beta^\top x_*/\sqrt D)^2",
        "the ICL risk of the L-layer model with Gamma = gamma I (no test-label noise)")))
    # The residual R - formula has per-context spread about 0.3 R at D = 32 (the task and the
    # label noise are drawn, x_* is exact), so 64 trials give a standard error 0.04 R on the
    # mean; against the sum of the terms' sizes, about 2 R, four of them are 0.08: tolerance 0.1.
    D.fact("iso-risk", sp.Eq(R(gamma, L), risk_formula()), uses=["risk-def", "attention-is-gd", "telescope"],
           check=Simulation(sample_risk, points=RISK_POINTS, sizes=(32, 64), trials=128, seed=7,
                            tolerance=0.1, exact=True,
                            description="The L-layer attention's risk on one context against the "
                                        "formula over the same context's $\\hat\\Sigma$ (exact in "
                                        "expectation over the task and the noise)."),
           explanation="Bias $\\tfrac1D\\operatorname{tr} q(\\hat\\Sigma)^{2L}$ and variance "
                       "$\\tfrac{\\sigma^2}{P}\\operatorname{tr}(1 - q^L)^2\\hat\\Sigma^{-1}$.",
           ref="Bordelon et al. 2025, Sec. 3.1, Result 1: the ISO loss $\\mathcal L(\\gamma, \\alpha)$")
    values = moments(2 * max(DEPTHS))
    for k in range(1, 2 * max(DEPTHS) + 1):
        # (1/D) tr Sigma_hat^k has spread O(1/D) and a bias O(1/D): 40 trials at D = 50, 100, 200.
        D.fact(f"mp-moment-{k}", sp.Eq(mean(lam**k), values[k]),
               check=Simulation(sample_moments, points=[{alpha: 2.0}, {alpha: 4.0}], sizes=(50, 100, 200),
                                trials=40, seed=11, tolerance=0.03, exponent=1,
                                description="$\\tfrac1D\\operatorname{tr}\\hat\\Sigma^k$ of sampled "
                                            "$\\hat\\Sigma = X^\\top X/P$, extrapolated in $1/D$."),
               explanation="The $k$-th moment of $\\mathrm{MP}(1/\\alpha)$ (a Narayana polynomial in "
                           "$1/\\alpha$), the law's exact moment (derive.rmt).",
               ref="Marchenko and Pastur (1967); the law of $\\hat\\Sigma$ in the ISO setting")
    for depth in DEPTHS:
        D.step(f"risk-L{depth}", sp.Eq(R(gamma, depth), risk_polynomial(depth)),
               uses=["iso-risk"] + [f"mp-moment-{k}" for k in range(1, 2 * depth + 1)],
               explanation=f"At depth {depth}: the integrand is a polynomial in $\\lambda$ of degree "
                           f"{2 * depth}; each $\\langle\\lambda^k\\rangle$ is a moment.",
               ref="Bordelon et al. 2025, Result 1 at fixed depth (expanded here)")
    # One context's risk spreads by about 0.3 R at D = 32 (the task and the noise; x_* is exact),
    # as D^-1/2; a trial averages 4 contexts.  60 trials at D = 32, 64, 128 put four standard
    # errors of the 1/D-extrapolated mean at about 0.045, and of the spread at 0.03, below the
    # tolerance: 0.08 of the terms' sizes (0.6 to 0.8), about 0.05.
    D.fact("iso-risk-L2-model", sp.Eq(R(gamma, 2), risk_polynomial(2)), uses=["risk-L2"],
           check=Simulation(sample_risk_depth2, points=[{alpha: 1.0, gamma: 1.2, sigma2: 0.0},
                                                        {alpha: 2.0, gamma: 1.6, sigma2: 0.3}],
                            sizes=(32, 64, 128), trials=60, seed=5, tolerance=0.08, exponent=1,
                            description="The 2-layer attention's risk, extrapolated in $1/D$, against "
                                        "the polynomial in the MP moments."),
           explanation="End to end: the model itself against the closed form at $L = 2$.")


def build_optimum(D):
    """The optimal gamma at L = 1, the optimal risk, and long contexts."""
    poly = risk_polynomial(1)
    D.define("gamma1-def", sp.Eq(gamma1, alpha / (alpha + 1 + sigma2)),
             explanation="The step that minimises the depth-1 risk.")
    D.step("gamma1-stationary", sp.Eq(sp.diff(poly, gamma).subs(gamma, gamma1), 0, evaluate=False),
           uses=["gamma1-def"],
           explanation="$\\partial_\\gamma \\mathcal R_1 = 0$ at $\\gamma_1^*$.")
    D.step("risk-L1-convex", sp.Eq(sp.Derivative(R(gamma, 1), (gamma, 2)), 2 + 2 * (1 + sigma2) / alpha),
           uses=["iso-risk", "mp-moment-1", "mp-moment-2"],
           explanation="The depth-1 risk is a convex quadratic in $\\gamma$: $\\gamma_1^*$ is its minimum.")
    D.step("risk-L1-optimal", sp.Eq(R(gamma1, 1), (1 + sigma2) / (alpha + 1 + sigma2)),
           uses=["iso-risk", "mp-moment-1", "mp-moment-2", "gamma1-def"],
           explanation="At $\\sigma^2 = 0$: $1/(1 + \\alpha)$.",
           ref="Bordelon et al. 2025, Result 1 at $L = 1$; App. C.1: $\\Gamma^* = "
               "[1 + \\alpha^{-1}(1 + \\sigma^2)]^{-1}$ (see the doc: the summary's $(1+\\alpha)^{-2}$)")
    D.limit("risk-L1-long-context", (1 + sigma2) / (alpha + 1 + sigma2), alpha, sp.oo, value=0,
            uses=["risk-L1-optimal"],
            explanation="Long contexts: one layer suffices.",
            ref="Bordelon et al. 2025, Result 2: depth is irrelevant as $\\alpha\\to\\infty$")
    for depth in (2, 3):
        D.limit(f"risk-L{depth}-long-context", risk_polynomial(depth).subs(gamma, depth), alpha, sp.oo,
                value=0, uses=[f"risk-L{depth}"],
                explanation=f"At depth {depth} with $\\gamma = L$ (one exact Newton step on "
                            "$\\hat\\Sigma \\to I$) the risk vanishes too.",
                ref="Bordelon et al. 2025, Result 2")
    # Depth helps at alpha = 1, sigma^2 = 0: the minima over gamma are 1/2 (L = 1, gamma = 1/2),
    # 3/8 (L = 2, gamma = 1) and 5/16 (L = 3, gamma = 3/2).
    at = [sp.Eq(alpha, 1), sp.Eq(sigma2, 0)]
    D.step("depth-2-helps-at-alpha-1", sp.Eq(R(gamma, 2) - R(gamma1, 1), -sp.Rational(1, 8)),
           uses=["risk-L2", "risk-L1-optimal", "gamma1-def"], conditions=at + [sp.Eq(gamma, 1)],
           explanation="$\\mathcal R_2(1) = 3/8$, below $\\min_\\gamma \\mathcal R_1 = 1/2$ at "
                       "$\\alpha = 1$, $\\sigma^2 = 0$: depth helps when the context is limited.",
           ref="Bordelon et al. 2025, Fig. 1b and Sec. 3.1")
    D.step("depth-3-helps-at-alpha-1", sp.Eq(R(gamma, 3) - R(gamma1, 1), -sp.Rational(3, 16)),
           uses=["risk-L3", "risk-L1-optimal", "gamma1-def"], conditions=at + [sp.Eq(gamma, sp.Rational(3, 2))],
           explanation="$\\mathcal R_3(3/2) = 5/16$, lower still.",
           ref="Bordelon et al. 2025, Fig. 1b and Sec. 3.1")


def build_infinite_depth(D):
    """L -> infinity, per eigen-direction: gradient flow for a time gamma."""
    D.limit("bias-infinite-depth", bias_factor(), L, sp.oo, value=sp.exp(-2 * gamma * lam),
            explanation="$q^{2L} = (1 - \\gamma\\lambda/L)^{2L} \\to e^{-2\\gamma\\lambda}$.",
            ref="Bordelon et al. 2025, Result 1 as $L\\to\\infty$")
    D.limit("variance-infinite-depth", variance_factor(), L, sp.oo,
            value=(1 - sp.exp(-gamma * lam)) ** 2 / lam,
            explanation="$(1 - q^L)^2/\\lambda \\to (1 - e^{-\\gamma\\lambda})^2/\\lambda$.",
            ref="Bordelon et al. 2025, Result 1 as $L\\to\\infty$")
    D.limit("bias-long-flow", sp.exp(-2 * gamma * lam), gamma, sp.oo, value=0,
            uses=["bias-infinite-depth"],
            explanation="Every direction with $\\lambda > 0$ is learned by a long flow; only the "
                        "mass of the law at $0$, $(1 - \\alpha)_+$, stays: $\\mathcal L^* \\to [1-\\alpha]_+$ "
                        "at $\\sigma^2 = 0$.",
            ref="Bordelon et al. 2025, Result 1: $L\\to\\infty$ gives $[1-\\alpha]_+$")


#: Training the depth-1 preconditioner: the learning rate, the start, the step count.
eta, gamma0 = sp.symbols("eta gamma_0", positive=True)
n_step = sp.Symbol("n", integer=True, nonnegative=True)
gamma_train = sp.Function("gamma_n")
gamma_sgd = sp.Function("gamma_SGD")
#: R_1 = 1 - 2 gamma + c gamma^2: c is the curvature, and gamma_1* = 1/c.
CURVATURE = 1 + (1 + sigma2) / alpha
SGD_RATE = 1 - 2 * eta * CURVATURE


def build_training(D):
    """ISO, depth 1: gradient descent on gamma over the population risk R_1 (the mean over
    contexts that SGD follows as D -> oo, where each context's gradient concentrates), the linear
    recursion gamma(n+1) = a gamma(n) + b with a = 1 - 2 eta c, b = 2 eta, c = 1 + (1 + sigma^2)/alpha;
    its closed form gamma_1* + a^n (gamma_0 - gamma_1*), its fixed point gamma_1* = b/(1 - a) (the
    summary's App. C.1: Gamma* = [1 + alpha^-1 (1 + sigma^2)]^-1) and the risk along it."""
    D.parameter(eta, description="learning rate of the training of $\\Gamma = \\gamma I$")
    D.parameter(gamma0, description="the step $\\gamma$ at the start of training")
    D.parameter(n_step, description="training step")
    D.define("train-solution-def", sp.Eq(gamma_train(n_step), gamma1 + SGD_RATE**n_step * (gamma0 - gamma1)),
             explanation="The closed form of the training recursion (checked below).")
    D.step("train-recursion", sp.Eq(gamma_train(n_step + 1), gamma_train(n_step)
                                    - eta * sp.diff(risk_polynomial(1), gamma).subs(gamma, gamma_train(n_step))),
           uses=["train-solution-def", "gamma1-def", "risk-L1"],
           explanation="$\\gamma_n$ solves the gradient-descent recursion "
                       "$\\gamma_{n+1} = \\gamma_n - \\eta\\,\\partial_\\gamma\\mathcal R_1(\\gamma_n)$.",
           ref="Bordelon et al. 2025, App. C.1 (the ISO SGD dynamics, as the summary reports them)")
    D.step("train-linear", sp.Eq(gamma_train(n_step + 1), SGD_RATE * gamma_train(n_step) + 2 * eta),
           uses=["train-recursion"],
           explanation="A linear recursion $C(t+1) = aC(t) + b$: $a = 1 - 2\\eta(1 + (1 + \\sigma^2)/\\alpha)$, "
                       "$b = 2\\eta$.",
           ref="Bordelon et al. 2025, App. C.1: $C(t+1) = aC(t) + b$")
    D.step("train-start", sp.Eq(gamma_train(0), gamma0), uses=["train-solution-def"])
    D.step("train-fixed-point", sp.Eq(2 * eta / (1 - SGD_RATE), gamma1), uses=["gamma1-def"],
           explanation="The fixed point $b/(1 - a)$ is the optimal step $\\gamma_1^*$.",
           ref="Bordelon et al. 2025, App. C.1: $\\Gamma^* = [1 + \\alpha^{-1}(1 + \\sigma^2)]^{-1}$")
    stable = [eta * CURVATURE < 1]
    D.limit("train-converges", gamma_train(n_step), n_step, sp.oo, value=gamma1, uses=["train-solution-def"],
            conditions=stable,
            explanation="For $\\eta < 1/c$ ($|a| < 1$) the training reaches $\\gamma_1^*$.")
    D.define("train-sgd-def", sp.Eq(gamma_sgd(n_step), Meaning(
        r"\\gamma \\text{ after } n \\text{ SGD steps}",
        "gamma after n steps of SGD on the depth-1 attention's in-context loss, a batch of fresh contexts a step")))
    # 40 trials of 4 contexts a step: gamma after n steps spreads by about eta sqrt(n/(4D)) per
    # trial (0.02 at D = 32 for the first point), so the 1/D-extrapolated mean has a standard
    # error near 0.01; the finite-D bias, E|a|^2 = c + O(1/P), is removed by the extrapolation.
    D.fact("train-sgd-model", sp.Eq(gamma_sgd(n_step), gamma_train(n_step)),
           uses=["train-sgd-def", "train-solution-def", "train-recursion", "attention-is-gd"],
           check=Simulation(sample_training, points=[{alpha: 2.0, sigma2: 0.5, eta: 0.1, gamma0: 0.2, n_step: 10},
                                                     {alpha: 1.0, sigma2: 0.0, eta: 0.2, gamma0: 1.5, n_step: 5}],
                            sizes=(32, 64, 128), trials=40, seed=17, tolerance=0.05, exponent=1,
                            description="SGD on $\\gamma$ with the depth-1 attention's per-context loss "
                                        "(4 fresh contexts a step), extrapolated in $1/D$."),
           explanation="SGD on the model follows the recursion: each context's gradient concentrates on "
                       "$\\partial_\\gamma\\mathcal R_1$ as $D \\to \\infty$.",
           ref="Bordelon et al. 2025, App. C.1 and Fig. 1a (training dynamics)")
    D.step("train-risk", sp.Eq(R(gamma_train(n_step), 1), (1 + sigma2) / (alpha + 1 + sigma2)
                               + CURVATURE * SGD_RATE ** (2 * n_step) * (gamma0 - gamma1) ** 2),
           uses=["iso-risk", "mp-moment-1", "mp-moment-2", "train-solution-def", "gamma1-def"],
           explanation="The risk along training: the optimum plus $c\\,a^{2n}(\\gamma_0 - \\gamma_1^*)^2$, "
                       "an exponential approach at rate $a^2$.")


def build_fs_flow(D):
    """FS setting, codiagonal Sigma and Omega, one mode (lambda, omega): the flow at depth L and
    at infinite depth, and its solution."""
    D.define("fs-mode-loss-def", sp.Eq(g_mode(gamma), omega * lam * bias_factor()),
             explanation="One mode's loss at $\\alpha\\to\\infty$ ($\\hat\\Sigma = \\Sigma$): "
                         "$\\omega_k\\lambda_k(1 - \\lambda_k\\gamma_k/L)^{2L}$.",
             ref="Bordelon et al. 2025, Sec. 3.2, Result 4")
    D.differentiate("fs-mode-gradient", "fs-mode-loss-def", gamma)
    D.step("fs-flow-depth-L", sp.Eq(-sp.Derivative(g_mode(gamma), gamma),
                                   2 * omega * lam**2 * layer_map() ** (2 * L - 1)),
           uses=["fs-mode-gradient"],
           explanation="Gradient flow $\\dot\\gamma_k = -\\partial_{\\gamma_k}$ of the mode's loss "
                       "(twice the rate the summary of Result 4 prints; App. D has the 2).",
           ref="Bordelon et al. 2025, App. D: $\\dot\\gamma_k = 2\\omega_k\\lambda_k^2(1 - L^{-1}\\lambda_k\\gamma_k)^{2L-1}$")
    D.step("fs-fixed-point", sp.Eq(g_mode(L / lam), 0), uses=["fs-mode-loss-def"],
           explanation="$\\gamma_k = L/\\lambda_k$ zeroes the mode's loss, which is never negative: "
                       "$\\Gamma^* = L\\Sigma^{-1}$ at every depth.",
           ref="Bordelon et al. 2025, Result 3 and App. D")
    D.limit("fs-flow-infinite-depth", 2 * omega * lam**2 * layer_map() ** (2 * L - 1), L, sp.oo,
            value=2 * omega * lam**2 * sp.exp(-2 * lam * gamma), uses=["fs-flow-depth-L"],
            ref="Bordelon et al. 2025, App. D, $L\\to\\infty$")
    G = sp.Function("gamma_k")
    D.define("fs-solution-def", sp.Eq(G(t), sp.log(1 + 4 * omega * lam**3 * t) / (2 * lam)),
             ref="Bordelon et al. 2025, App. D: $2\\lambda_k\\gamma_k(t) = \\ln(1 + 4\\omega_k\\lambda_k^3 t)$")
    D.step("fs-flow-solution", sp.Eq(sp.Derivative(G(t), t), 2 * omega * lam**2 * sp.exp(-2 * lam * G(t))),
           uses=["fs-solution-def"],
           explanation="$\\gamma_k(t)$ solves the infinite-depth flow (and $\\gamma_k(0) = 0$).",
           ref="Bordelon et al. 2025, App. D")
    D.step("fs-mode-loss-time", sp.Eq(omega * lam * sp.exp(-2 * lam * G(t)), omega * lam / (1 + 4 * omega * lam**3 * t)),
           uses=["fs-solution-def"],
           explanation="The mode's loss along the flow.",
           ref="Bordelon et al. 2025, App. D: $\\mathcal L(t) = \\sum_k \\omega_k\\lambda_k/(1 + 4\\omega_k\\lambda_k^3 t)$")


#: The structured spectrum of the RRS example: eigenvalues lambda_k of Lambda and the weights
#: omega_k lambda_k of the loss (a two-mode spectrum, condition number 4).
RRS_MODES = ((1, sp.Rational(1, 2)), (sp.Rational(1, 4), sp.Rational(1, 2)))


def build_rrs_example(D):
    """RRS at infinite context: Gamma stays gamma I (Result 6), so the loss is that of plain
    gradient descent on the structured spectrum, sum_k omega_k lambda_k (1 - gamma lambda_k/L)^(2L);
    on a two-mode spectrum, depth lowers the best loss, and infinite depth reaches 0, where in
    ISO and FS one layer already does (Gamma = L Sigma^{-1})."""
    loss = sum(weight * (1 - gamma * value / L) ** (2 * L) for value, weight in RRS_MODES)
    D.define("rrs-loss-def", sp.Eq(R_rrs(gamma, L), loss),
             explanation="At $\\alpha\\to\\infty$ ($\\hat\\Sigma = \\Sigma_c$) the residual after $L$ steps of "
                         "isotropic GD is $(I - \\gamma\\Sigma_c/L)^L\\beta$; its risk is "
                         "$\\operatorname{tr}\\Omega\\Lambda(I - \\gamma\\Lambda/L)^{2L}$, here on "
                         "$\\lambda = (1, 1/4)$ with $\\omega_k\\lambda_k = 1/2$.",
             ref="Bordelon et al. 2025, Sec. 3.3, Result 6 (isotropic $\\Gamma$ in RRS); the example spectrum is chosen here")
    best = sp.Rational(20, 17)
    D.step("rrs-L1-stationary", sp.Eq(sp.Subs(sp.Derivative(R_rrs(gamma, 1), gamma), gamma, best), 0),
           uses=["rrs-loss-def"], explanation="The depth-1 loss is a convex quadratic, least at $\\gamma = 20/17$.")
    D.step("rrs-L1-optimal", sp.Eq(R_rrs(best, 1), sp.Rational(9, 34)), uses=["rrs-loss-def"],
           explanation="The best one-layer loss at infinite context is $9/34$, not $0$: an isotropic "
                       "preconditioner cannot undo the condition number.")
    D.step("rrs-depth-2-helps", R_rrs(2, 2) < R_rrs(best, 1), uses=["rrs-loss-def"],
           explanation="Two layers at $\\gamma = 2$ remove the top mode: $81/512 < 9/34$.",
           ref="Bordelon et al. 2025, abstract and Sec. 3.3: in RRS depth helps even at infinite context")
    D.limit("rrs-infinite-depth", R_rrs(L, L), L, sp.oo, value=0, uses=["rrs-loss-def"],
            explanation="$\\gamma = L$ zeroes the top mode and leaves $\\tfrac12(3/4)^{2L}\\to 0$.",
            ref="Bordelon et al. 2025, abstract and Sec. 3.3")


# ---- power laws under source/capacity conditions (FS) -------------------------------------

#: Capacity and source exponents: lambda_k = k^-nu_s, omega_k lambda_k = k^-(nu_s beta_s + 1).
nu_s, beta_s = sp.symbols("nu_s beta_s", positive=True)
k_mode, x_scaled, K_cut = sp.symbols("k x K", positive=True)
#: The mode loss along the infinite-depth flow is k^-a/(1 + 4 k^-b t).
A_EXP = nu_s * beta_s + 1
B_EXP = nu_s * beta_s + 2 * nu_s + 1
#: p = (2 nu + 1)/b, in (0, 1): the index of the beta integral.
P_INDEX = (2 * nu_s + 1) / B_EXP
#: int_0^oo u^(2 nu)/(1 + u^b) du = pi/(b sin(pi p)) = B(p, 1 - p)/b.
TIME_CONSTANT = sp.pi / (B_EXP * sp.sin(sp.pi * P_INDEX))
TIME_EXPONENT = -nu_s * beta_s / B_EXP
#: The summary's Result 4 exponent (doc, "Where the paper and the derivation disagree").
SUMMARY_TIME_EXPONENT = -beta_s / (nu_s + nu_s * beta_s + 1)
#: Where the exponents are sampled: a bounded box keeps Arb's quadrature and 2F1 fast.
EXPONENT_BOX = [nu_s > sp.Rational(1, 2), nu_s < 3, beta_s > sp.Rational(1, 2), beta_s < 3]
TIME_BOX = EXPONENT_BOX + [t > sp.Rational(1, 10), t < 100]
L_trunc = sp.Function("L_K")
L_time = sp.Function("L_t")
H_tail = sp.Function("H")
B_depth = sp.Function("B_L")


def build_power_laws(D):
    """FS under source/capacity conditions, lambda_k = k^-nu, omega_k lambda_k = k^-(nu beta + 1):
    the infinite-depth flow's loss in time, t^(-nu beta/(nu beta + 2 nu + 1)), and the depth
    bottleneck at gamma = L, L^-beta, each in the continuum over the mode index k."""
    D.parameter(nu_s, description="capacity exponent: $\\lambda_k = k^{-\\nu}$")
    D.parameter(beta_s, description="source exponent: $\\omega_k\\lambda_k = k^{-\\nu\\beta - 1}$")
    D.parameter(k_mode, description="the mode index $k$, continuous in the continuum")
    build_time_law(D)
    build_depth_law(D)


def build_time_law(D):
    """L(t) = sum_k k^-a/(1 + 4 k^-b t) in the continuum: over [0, K] a 2F1 in the scaling
    variable K^b/(4t) (Arb's quadrature at sampled exponents), K -> oo gives the beta integral's
    pi/(b sin(pi p)), and the exponent is a limit of log L/log t (Arb's leading power)."""
    summand = (omega * lam / (1 + 4 * omega * lam**3 * t)).subs(omega, k_mode ** -A_EXP / lam).subs(lam, k_mode**-nu_s)
    D.step("powerlaw-time-mode", sp.Eq(summand, k_mode ** (2 * nu_s) / (k_mode**B_EXP + 4 * t)),
           uses=["fs-mode-loss-time"],
           explanation="Mode $k$ with $\\lambda_k = k^{-\\nu}$, $\\omega_k\\lambda_k = k^{-\\nu\\beta-1}$: "
                       "$k^{-a}/(1 + 4k^{-b}t) = k^{2\\nu}/(k^b + 4t)$, $a = \\nu\\beta + 1$, "
                       "$b = \\nu\\beta + 2\\nu + 1$.",
           ref="Bordelon et al. 2025, Sec. 3.2 and App. D (source/capacity conditions)")
    D.define("powerlaw-time-def", sp.Eq(L_trunc(t, K_cut), sp.Integral(k_mode ** (2 * nu_s) / (k_mode**B_EXP + 4 * t),
                                                                       (k_mode, 0, K_cut))),
             explanation="The continuum of the loss $\\sum_k$ over modes $k < K$.")
    D.define("powerlaw-H-def", sp.Eq(H_tail(x_scaled), x_scaled**P_INDEX / (P_INDEX * B_EXP)
                                     * sp.hyper((1, P_INDEX), (1 + P_INDEX,), -x_scaled)),
             explanation="$H(x) = \\int_0^{x^{1/b}} u^{2\\nu}/(1 + u^b)\\,du$, $p = (2\\nu + 1)/b$.")
    D.step("powerlaw-time-scaling", sp.Eq(L_trunc(t, K_cut), (4 * t) ** TIME_EXPONENT * H_tail(K_cut**B_EXP / (4 * t))),
           uses=["powerlaw-time-def", "powerlaw-H-def"], conditions=TIME_BOX + [K_cut > 0],
           explanation="$k = (4t)^{1/b}u$: the continuum is $(4t)^{-(a-1)/b}$ times a function of "
                       "$K^b/(4t)$ alone.")
    D.limit("powerlaw-beta-integral", H_tail(x_scaled), x_scaled, sp.oo, value=TIME_CONSTANT,
            uses=["powerlaw-H-def"], conditions=EXPONENT_BOX,
            explanation="$\\int_0^\\infty u^{2\\nu}/(1 + u^b)\\,du = B(p, 1-p)/b = \\pi/(b\\sin \\pi p)$.")
    D.limit("powerlaw-time-continuum", (4 * t) ** -TIME_EXPONENT * L_trunc(t, K_cut), K_cut, sp.oo,
            value=TIME_CONSTANT, uses=["powerlaw-time-scaling", "powerlaw-H-def"], conditions=TIME_BOX,
            explanation="All modes: $\\mathcal L(t) = (4t)^{-\\nu\\beta/b}\\,\\pi/(b\\sin\\pi p)$.",
            ref="Bordelon et al. 2025, App. D")
    D.define("powerlaw-time-law", sp.Eq(L_time(t), TIME_CONSTANT * (4 * t) ** TIME_EXPONENT),
             explanation="The name of the $K\\to\\infty$ continuum (powerlaw-time-continuum).")
    D.limit("powerlaw-time-exponent", sp.log(L_time(t)) / sp.log(t), t, sp.oo, value=TIME_EXPONENT,
            uses=["powerlaw-time-law"],
            explanation="$\\mathcal L \\sim t^{-\\nu\\beta/(\\nu\\beta + 2\\nu + 1)}$ "
                        "(at $\\nu = 2$, $\\beta = 1$: $2/7$; the summary's Result 4 reads $1/5$).",
            ref="Bordelon et al. 2025, App. D (the summary's Result 4 differs: see the doc)")


def build_depth_law(D):
    """The depth bottleneck at gamma = L (lambda_1 = 1), sum_k k^-(nu beta + 1) (1 - k^-nu)^(2L),
    in the continuum with (1 - k^-nu)^(2L) ~ exp(-2L k^-nu): (2L)^-beta lowergamma(beta, 2L)/nu,
    whose prefactor tends to 2^-beta Gamma(beta)/nu and whose local exponent tends to -beta."""
    build_depth_replacement(D)
    D.define("powerlaw-depth-def", sp.Eq(B_depth(L), sp.Integral(k_mode ** (-nu_s * beta_s - 1)
                                                                 * sp.exp(-2 * L * k_mode**-nu_s), (k_mode, 1, sp.oo))),
             explanation="The continuum of $\\sum_k k^{-\\nu\\beta-1}(1 - k^{-\\nu})^{2L}$, the FS loss at "
                         "$\\gamma = L$, with $(1 - k^{-\\nu})^{2L}$ replaced by its upper bound "
                         "$e^{-2Lk^{-\\nu}}$ (powerlaw-depth-replacement; tight for the modes "
                         "$k \\sim L^{1/\\nu}$ that carry the loss): an upper bound on the exact continuum.",
             ref="Bordelon et al. 2025, App. F.3 (the depth bottleneck)")
    D.step("powerlaw-depth-gamma", sp.Eq(B_depth(L), (2 * L) ** -beta_s * sp.lowergamma(beta_s, 2 * L) / nu_s),
           uses=["powerlaw-depth-def"], conditions=EXPONENT_BOX,
           explanation="$u = 2Lk^{-\\nu}$: a lower incomplete gamma function.")
    D.limit("powerlaw-depth-prefactor", L**beta_s * B_depth(L), L, sp.oo,
            value=2**-beta_s * sp.gamma(beta_s) / nu_s, uses=["powerlaw-depth-gamma"], conditions=EXPONENT_BOX,
            explanation="$\\mathcal L \\sim \\Gamma(\\beta)(2L)^{-\\beta}/\\nu$.")
    D.limit("powerlaw-depth-exponent", L * sp.Derivative(B_depth(L), L) / B_depth(L), L, sp.oo, value=-beta_s,
            uses=["powerlaw-depth-gamma"], conditions=EXPONENT_BOX,
            explanation="The local exponent $d\\log\\mathcal L/d\\log L \\to -\\beta$: $\\mathcal L \\sim L^{-\\beta}$.",
            ref="Bordelon et al. 2025, App. F.3")


u_mode = sp.Symbol("u", nonnegative=True)
g_log = sp.Function("g_log")


def build_depth_replacement(D):
    """(1 - k^-nu)^(2L) <= exp(-2 L k^-nu) for k >= 1: with u = k^-nu in (0, 1], that is
    2L log(1 - u) <= -2L u, i.e. log(1 - u) <= -u.  The pieces of its proof are checked exactly
    (g(u) = -u - log(1 - u) has g(0) = 0 and g'(u) = u/(1 - u) >= 0 on [0, 1), so g >= 0 by the
    mean value theorem); the two inequalities themselves are sampled order relations (no rule
    yet turns "g(0) = 0 and g' >= 0" into "g >= 0")."""
    D.parameter(u_mode, description="$u = k^{-\\nu} \\in (0, 1]$, the eigenvalue of mode $k$")
    D.define("powerlaw-depth-log-gap-def", sp.Eq(g_log(u_mode), -u_mode - sp.log(1 - u_mode)),
             explanation="The gap of the bound $\\log(1 - u) \\le -u$.")
    D.step("powerlaw-depth-log-gap-zero", sp.Eq(g_log(0), 0), uses=["powerlaw-depth-log-gap-def"],
           explanation="The bound is tight at $u = 0$.")
    D.step("powerlaw-depth-log-gap-slope", sp.Eq(sp.Derivative(g_log(u_mode), u_mode), u_mode / (1 - u_mode)),
           uses=["powerlaw-depth-log-gap-def"], conditions=[u_mode < 1],
           explanation="$g'(u) = 1/(1 - u) - 1 = u/(1 - u)$.")
    D.step("powerlaw-depth-log-gap-increasing", u_mode / (1 - u_mode) >= 0, conditions=[u_mode < 1],
           explanation="$g$ does not decrease on $[0, 1)$.")
    D.step("powerlaw-depth-log-bound", sp.log(1 - u_mode) <= -u_mode,
           uses=["powerlaw-depth-log-gap-zero", "powerlaw-depth-log-gap-slope", "powerlaw-depth-log-gap-increasing"],
           conditions=[u_mode < 1],
           explanation="$g(u) = g(0) + \\int_0^u g' \\ge 0$.")
    D.step("powerlaw-depth-replacement", (1 - k_mode**-nu_s) ** (2 * L) <= sp.exp(-2 * L * k_mode**-nu_s),
           uses=["powerlaw-depth-log-bound"], conditions=[k_mode >= 1],
           explanation="$u = k^{-\\nu} \\in (0, 1]$ for $k \\ge 1$: $(1 - u)^{2L} = e^{2L\\log(1 - u)} "
                       "\\le e^{-2Lu}$ (at $k = 1$ the left side is $0$).",
           ref="Bordelon et al. 2025, App. F.3: $(1 - k^{-\\nu})^{2L} \\approx e^{-2Lk^{-\\nu}}$")


@one_blas_thread
def sample_risks(rng, d, values):
    """The simulator behind ``derive mc bordelon2025`` and the cross-check: the measured risk of
    the attention at depths 1, 2, 3 (Gamma = gamma I) on one context, exact over x_*."""
    risks = model.iso_risks(rng, d, float(values["alpha"]), float(values["sigma2"]), float(values["gamma"]),
                            DEPTHS)
    return {f"risk_L{depth}": risks[depth] for depth in DEPTHS}


#: Cross-check points (derive reproduce): short and long contexts, with and without noise,
#: steps below and near the optimum (a step far past it, gamma lambda_max/L > 2, puts the risk
#: in the top of the spectrum, whose finite-D spread makes the comparison noise).
CROSSCHECK_POINTS = [
    {"alpha": 0.5, "gamma": 0.5, "sigma2": 0.0},
    {"alpha": 1.0, "gamma": 0.75, "sigma2": 0.0},
    {"alpha": 2.0, "gamma": 0.8, "sigma2": 0.25},
    {"alpha": 4.0, "gamma": 1.0, "sigma2": 0.5},
]

#: The paper's model at finite D: one context per trial, the risks at L = 1, 2, 3.
MODEL = Simulator(sample_risks, RISK_PARAMETERS,
                  {f"risk_L{depth}": f"risk_L{depth}" for depth in DEPTHS},
                  description="L-layer masked linear attention with Gamma = gamma I on ISO contexts",
                  default_sizes=(32, 64, 128), default_trials=40, points=CROSSCHECK_POINTS)

#: The entry point (``derive.papers``): the derivation is built on first use, once per process.
paper = Paper(build, TITLE, model=MODEL, figures=figures.FIGURES)


def __getattr__(name):
    if name == "derivation":  # the built derivation, for ``from ... import derivation``
        return paper.derivation()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
