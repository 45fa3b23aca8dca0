"""Ridge regression on a power-law spectrum: the renormalised ridge and its scaling law.

The features have covariance eigenvalues lambda_k = k^-alpha, k = 1..P (alpha > 1: trace class,
the capacity condition of scaling-law papers); N samples, ridge lam. The effective (renormalised)
ridge kappa solves

    kappa = lam + kappa df1(kappa) / N,    df1(kappa) = sum_k lambda_k / (lambda_k + kappa).

This file, written from the docs alone, checks: the continuum integral of df1; the fixed point in
the proportional limit (against a simulator of ridge regression); the tail of df1, and from it
the ridgeless scaling law kappa ~ (C/N)^alpha, with the tail's exponent a limit step. It is part 2 of
docs/tutorial.md.

    derive check docs/examples/scaling_ridge.py
    derive eval docs/examples/scaling_ridge.py q alpha=2 gamma=2 lt=0.1,1
    derive eval docs/examples/scaling_ridge.py kappa lam=0.001,0.1 N=2
"""

import numpy as np
import sympy as sp

from derive import Derivation, Simulation
from derive.rmt.powerlaw import PowerLawSpectrum, certify_gap, df

alpha = sp.Symbol("alpha", positive=True)        # the power law's exponent
kappa, P, N = sp.symbols("kappa P N", positive=True)
x, gamma, lt, q = sp.symbols("x gamma lt q", positive=True)
k = sp.Symbol("k", positive=True)
x0, kappa0 = sp.symbols("x0 kappa0", positive=True)
h = sp.Function("h")

D = Derivation("scaling-ridge", title="Ridge regression on a power-law spectrum",
               latex_names={"lt": r"\tilde\lambda", "x0": "x_0", "kappa0": r"\kappa_0"})
D.parameter(alpha, description="power-law exponent of the spectrum, lambda_k = k^-alpha")
D.parameter(kappa, P, N, description="effective ridge, number of features, number of samples")
D.parameter(gamma, lt, description="P/N, and the ridge in units of the smallest eigenvalue, lam P^alpha")

# 1. The continuum integral of df1 over [1, P], in closed form (docs/free-probability.md,
#    "Power-law spectra"). Write the integrand as lambda_k/(lambda_k + kappa): the checker's
#    certified quadrature confirms the identity at sampled points of the bounded box.
BOX = [alpha > 1, alpha < 4, kappa > sp.Rational(1, 1000), kappa < 1000, P > 2, P < 1000]
D.define("h-def", sp.Eq(h(x), sp.hyper((1, 1 / alpha), (1 + 1 / alpha,), -x)),
         explanation="$h(x) = {}_2F_1(1, 1/\\alpha; 1 + 1/\\alpha; -x) = \\int_0^1 du/(1 + x u^\\alpha)$.")
D.step("df1-continuum",
       sp.Eq(sp.Integral(k**-alpha / (k**-alpha + kappa), (k, 1, P)), P * h(kappa * P**alpha) - h(kappa)),
       uses=["h-def"], conditions=BOX,
       explanation="The continuum df1 over $[1, P]$ (Euler's integral of ${}_2F_1$, $t = \\kappa k^\\alpha$).")

# The sum minus the integral is certified in Arb balls (no step kind states it yet):
# f(P) <= gap <= f(1) = 1/(1 + kappa), so df1 = P h(kappa P^alpha) + O(1).
for kappa_value in (sp.Rational(1, 100), sp.Rational(1, 10)):
    assert certify_gap(2, kappa_value, 1000).holds
assert abs(PowerLawSpectrum(2, 1000).df(np.array([0.01]))[0] - df(2.0, np.array([0.01]), P=1000)[0]) < 1


# 2. The fixed point in the proportional limit, against ridge regression itself. In the scaled
#    variables x = kappa P^alpha, lt = lam P^alpha, gamma = P/N, and with df1 = P h(x) + O(1),
#    kappa = lam + kappa df1(kappa)/N reads x = lt + gamma x h(x) as P, N -> oo.
def sample(rng, d, point):
    """x_hat = kappa_hat P^alpha from one ridge fit: P = d features of variance k^-alpha, N = d/gamma samples.

    The empirical effective ridge is kappa_hat = lam / (1 - df1_hat/N), with df1_hat = tr S (S + lam)^-1
    over the sample covariance S (its nonzero eigenvalues, from the smaller Gram matrix).
    """
    a, g, l = (float(point[s]) for s in (alpha, gamma, lt))
    n_features, n_samples = d, max(2, round(d / g))
    lam = l * n_features ** -a
    X = rng.standard_normal((n_samples, n_features)) * np.arange(1, n_features + 1) ** (-a / 2)
    gram = X @ X.T / n_samples if n_samples <= n_features else X.T @ X / n_samples
    mu = np.linalg.eigvalsh(gram)
    df1_hat = np.sum(mu / (mu + lam))
    return {x: lam / (1 - df1_hat / n_samples) * n_features ** a}


D.fact("fixed-point", sp.Eq(x, lt + gamma * x * h(x)), uses=["h-def"],
       check=Simulation(sample, points=[{alpha: 2, gamma: 2, lt: sp.Rational(1, 10)},
                                        {alpha: sp.Rational(3, 2), gamma: sp.Rational(1, 2), lt: 1}],
                        sizes=(50, 100, 200), trials=20, seed=1, tolerance=0.02, exponent=1,
                        description="ridge regression on k^-alpha features"),
       explanation="The renormalised ridge in the proportional limit, $x = \\tilde\\lambda + \\gamma x h(x)$.")
D.define("q-def", sp.Eq(q, gamma * h(x)),
         explanation="$q = \\mathrm{df}_1(\\kappa)/N$, the fraction of the samples the fit uses.")
D.quantity("q", "q-def", (alpha, gamma, lt), uses=["h-def"], range=(0, 1),
           implicit={x: dict(step="fixed-point", lower=lt, upper=10 * lt + 10)},
           description="df1(kappa)/N at the effective ridge")

# 3. The tail of h, the ridgeless root at P >> N, and the exponent of kappa in N.
C = sp.pi / (alpha * sp.sin(sp.pi / alpha))      # = Gamma(1 + 1/alpha) Gamma(1 - 1/alpha)
D.limit("h-tail", x**(1 / alpha) * h(x), x, sp.oo, uses=["h-def"], value=C,
        conditions=[alpha > sp.Rational(3, 2), alpha < 4],
        explanation="$h(x) \\sim C x^{-1/\\alpha}$, $C = \\pi/(\\alpha \\sin(\\pi/\\alpha))$.")
D.define("x0-def", sp.Eq(x0, (C * P / N)**alpha),
         explanation="The ridgeless root of $1 = \\gamma C x^{-1/\\alpha}$, $\\gamma = P/N$.")
D.limit("x0-root", P / N * h(x0), P, sp.oo, uses=["h-def", "x0-def"], value=1,
        conditions=[alpha > sp.Rational(3, 2), alpha < 4],
        explanation="$x_0$ solves the ridgeless fixed point $1 = \\gamma h(x)$ as $P/N \\to \\infty$.")
D.define("kappa0-def", sp.Eq(kappa0, x0 * P**-alpha), explanation="Back to $\\kappa = x P^{-\\alpha}$.")
D.step("kappa0-closed", sp.Eq(kappa0, (C / N)**alpha), uses=["kappa0-def", "x0-def"],
       conditions=[alpha > 1], explanation="$P$ drops out: $\\kappa_0 = (C/N)^\\alpha$.")
# The exponent as a limit: the local slope d log h / d log x. Along the ridgeless fixed point
# gamma h(x) = 1 it gives d log x / d log gamma -> alpha, the exponent of kappa0 above.
D.limit("h-exponent", x * sp.Derivative(h(x), x) / h(x), x, sp.oo, uses=["h-def"], value=-1 / alpha,
        conditions=[alpha > sp.Rational(3, 2), alpha < 4],
        explanation="The local exponent $d\\log h/d\\log x$ of the tail tends to $-1/\\alpha$.")

# 4. The effective ridge at finite P, as the root of its equation. With the spectrum given
#    exactly (alpha = 2, P = 4, sympy Rationals), the equation is rational in kappa and the
#    checker proves that it has exactly one positive root for every lam > 0, N > 0.
lam = sp.Symbol("lam", real=True)
kappa_f, df1 = sp.Function("kappa"), sp.Function("df1")
K = kappa_f(lam, N)
D.parameter(lam, description="the ridge")
D.define("df1-def", sp.Eq(df1(k), sum(sp.Rational(1, j**2) / (sp.Rational(1, j**2) + k) for j in range(1, 5))),
         explanation="$\\mathrm{df}_1(\\kappa) = \\sum_{k=1}^{4} \\lambda_k/(\\lambda_k + \\kappa)$, $\\lambda_k = k^{-2}$.")
D.root("kappa-root", K, sp.Eq(K, lam + K * df1(K) / N), interval=(0, sp.oo), conditions=[lam > 0],
       uses=["df1-def"], explanation="The renormalised ridge: the positive root, unique for $\\lambda > 0$.")
D.differentiate("kappa-d", "kappa-root", lam)
D.solve("kappa-prime", "kappa-d", sp.Derivative(K, lam), conditions=[lam > 0])
D.quantity("kappa", "kappa-root", (lam, N), description="the renormalised ridge, P = 4, alpha = 2")
D.quantity("dkappa", "kappa-prime", (lam, N), description="d kappa / d lam")

derivation = D
