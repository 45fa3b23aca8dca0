"""Letey et al. (2025) at d = infinity for power-law task covariances, and its scaling laws.

The pretraining covariance of the authors' experiments has eigenvalues ``j^{-p}``, ``j = 1..d``,
normalised to mean 1 (their ``train_power`` 0.9; test covariances ``j^{-q}`` in the same
order, "aligned", or reversed, "anti-aligned", with ``q`` from 0.4 to 1.4, and 0.5 in their
Fig. 6 code).  For ``0 < p < 1`` its spectral law tends to that of ``X = (1 - p) U^{-p}``, ``U``
uniform on ``(0, 1)``, whose Stieltjes transform is Euler's integral

    m_p(zeta) = E 1/(X - zeta) = 2F1(1, 1 + 1/p; 2 + 1/p; zeta/(1 - p)) / ((1 - p)(1 + p)).

Steps added to ``letey2025`` (:func:`build_power_law`):

* the closed form, and the limit of the finite-d spectrum, as facts (Monte Carlo over ``U``;
  the finite-d gap shrinks like ``d^{-(1 - p)}``: the normalisation ``sum_j j^{-p}`` is
  ``d^{1-p}/(1-p) + zeta(p) + ...``);
* the task resolvent ``M = m_p(-nu/a)/a`` and ``<(aC + nu)^{-2}>`` from them;
* the small-argument expansion ``m_p = 1/(1 - p^2) + zeta/((1 - p)^2 (1 + 2p)) + O(zeta^2)``:
  the support is ``[1 - p, oo)``, away from 0, so ``m_p`` is analytic at 0;
* a parametrisation of the d = infinity solution by ``w = nu/a``, explicit in ``m_p(-w)``:
  ``a = 1 - (1 - w m_p(-w))/kappa``, ``nu = w a``, ``M = m_p(-w)/a``;
* the error of the matched test (``C_test = C_train``) along it, and its limits: ``alpha -> oo``
  for ``kappa > 1`` (a constant, approached like ``1/alpha``), ``kappa = 1`` (growth like
  ``alpha^{1/2}``, prefactor ``sqrt(1 - p^2)``), ``kappa < 1`` (growth like ``alpha``), and
  ``kappa -> oo`` (a constant, approached like ``1/kappa``); the kernel's limit, which gives any
  test's ``alpha -> oo`` limit through ``<C_test C_train^{-1}>``, and that mean for the
  anti-aligned order.

:func:`alignment_error_infinite` evaluates the d = infinity error on numpy grids, with the
engine of :mod:`derive.rmt.continuum` and :mod:`derive.rmt.silverstein` (the task resolvent
and means over ``U``) and the derivation's own kernel and scalar part, lambdified.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from derive import Simulation
from derive.bindings import substitute
from derive.rmt import UniformMean

from .letey2025_alignment import (M_l, Mp_l, a_l, alpha, alpha_t, ap_l, c_e, ell, kappa, kernel_expr, lam_i, lam_lu,
                                  mean_c, nu, scalar_part, sigma2, tau, xi)

p, q = sp.symbols("p q", positive=True)
u, w, s, t = sp.symbols("u w s t", positive=True)
m_w, dm_w = sp.symbols("m_w dm_w", positive=True)
zeta = sp.Symbol("zeta", real=True)
m_p = sp.Function("m_p")
a_w, nu_w, M_w, Mp_w, P0_w, e_w = sp.symbols("a_w nu_w M_w Mp_w P0_w e_w", real=True)
#: nu_w/(1 + sigma2): the 1/alpha at which w is the ridgeless solution; the errors of a test
#: power law q in the same order (aligned) and reversed (anti-aligned), at w.
iota_w, e_aligned_w, e_anti_w = sp.symbols("iota_w e_aligned_w e_anti_w", real=True)
#: The kernel's coefficients a, a' and c_e as free symbols (the matched test's linearity step).
# A is positive: <C K(C)> splits by linearity into means of 1/(a C + nu)^k, which exist only when
# a C + nu > 0 on the spectrum (a = a_L > 0, as letey-powerlaw-P0 assumes).
A = sp.Symbol("A", positive=True)
A_prime, C_e = sp.symbols("A_prime C_e", real=True)

#: The law of (1 - p) U^{-p} at a uniform u: the d = infinity spectrum of C_train.
QUANTILE = (1 - p) * u**-p
#: Euler's integral: E 1/((1 - p) U^{-p} - zeta) for zeta off [1 - p, oo).
M_CLOSED = sp.hyper([1, 1 + 1 / p], [2 + 1 / p], zeta / (1 - p)) / ((1 - p) * (1 + p))


def mean_u(f):
    """<f(u)>_U, the mean over a uniform U on (0, 1) (a number for derive eval: an integral)."""
    return UniformMean(f, u)


def power_spectrum(power, d):
    """The authors' covariance: eigenvalues (j + 1)^-power, j = 0..d-1, scaled to mean 1."""
    values = (np.arange(d) + 1.0) ** -power
    return values * d / values.sum()


# ---- simulations of the facts -------------------------------------------------------------------


def _values(point):
    return {str(k): float(v) for k, v in point.items()}


def sample_uniform_mean(rng, d, point):
    """<1/(a X + nu)> over d uniform draws of U, X = (1 - p) U^{-p}."""
    v = _values(point)
    U = rng.random(d)
    return {mean_u(1 / (a_l * QUANTILE + nu)): np.mean(1 / (v["a_L"] * (1 - v["p"]) * U ** -v["p"] + v["nu"]))}


def sample_spectrum_mean(rng, d, point):
    """The finite-d power-law spectrum's <1/(a C + nu)> (exact), and the mean over U by d draws."""
    v = _values(point)
    spectrum = power_spectrum(v["p"], d)
    U = rng.random(d)
    return {mean_c(1 / (a_l * ell + nu)): np.mean(1 / (v["a_L"] * spectrum + v["nu"])),
            mean_u(1 / (a_l * QUANTILE + nu)): np.mean(1 / (v["a_L"] * (1 - v["p"]) * U ** -v["p"] + v["nu"]))}


def sample_inverse_overlap(rng, d, point):
    """<T/X> over d uniform draws for the anti-aligned test T = (1 - q)(1 - U)^{-q}."""
    v = _values(point)
    U = rng.random(d)
    return {mean_u(INVERSE_OVERLAP): np.mean((1 - v["q"]) * (1 - U) ** -v["q"] * U ** v["p"] / (1 - v["p"]))}


#: C_test/C_train along U for the anti-aligned order, test (1 - q)(1 - U)^{-q}.
INVERSE_OVERLAP = (1 - q) * (1 - u)**-q / QUANTILE


# ---- the derivation ------------------------------------------------------------------------------


def _matched_misalignment(D):
    """<C K(C)> (a test equal to the pretraining covariance) by linearity, with K at an
    eigenvalue as ``letey-spike`` states it, c_e/(a l + nu) + (nu^2 - xi c_e)(a' l + 1)/(a l + nu)^2:
    returns (integrand, value, Q1, Q2), the value through Q1 = <(aC + nu)^{-1}> and
    Q2 = <(aC + nu)^{-2}>."""
    # Generic coefficients: substituting a, a' and c_e would expand the integrand a hundredfold.
    generic = {a_l: A, ap_l: A_prime, c_e: C_e}
    kernel = D["letey-spike"].statement.rhs.xreplace({lam_i: ell}).xreplace(generic)
    Q1, Q2 = mean_c(1 / (A * ell + nu)), mean_c(1 / (A * ell + nu)**2)
    F1 = (1 - nu * Q1) / A                  # <C/(aC + nu)>
    F2 = (Q1 - nu * Q2) / A                 # <C/(aC + nu)^2>
    F2l = (F1 - nu * F2) / A                # <C^2/(aC + nu)^2>
    return ell * kernel, C_e * F1 + (nu**2 - xi * C_e) * (A_prime * F2l + F2), Q1, Q2


def build_power_law(D):
    """The steps of the module docstring, added to ``D`` (the letey2025 derivation)."""
    D.parameter(p, description="power of the pretraining spectrum $j^{-p}$ ($0 < p < 1$)")
    D.parameter(q, description="power of an anti-aligned test spectrum")
    D.parameter(u, description="a uniform variable on $(0, 1)$: the rank $j/d$ of an eigenvalue")
    D.parameter(zeta, description="argument of the Stieltjes transform")
    D.parameter(w, description="$w = \\nu/a$, the argument at which $m_p$ is evaluated")
    D.parameter(s, description="the limit of $w$ as $\\nu \\to 0$ when $\\kappa < 1$")
    D.latex_names.update({"A": "a", "A_prime": "a'", "C_e": "c_e", "Mp_w": "M'_w", "P0_w": "P_{0,w}",
                          "m_w": "m_w", "dm_w": "m'_w"})
    law = [p < 1]
    D.define("letey-powerlaw-m-def", sp.Eq(m_p(p, zeta), M_CLOSED),
             explanation="Euler's integral $\\int_0^1 u^p\\,du/((1-p) - \\zeta u^p)$, the Stieltjes transform of "
                         "$X = (1-p)U^{-p}$, valid off the support $[1-p, \\infty)$.",
             ref="Letey et al. 2025, power-law task covariances $j^{-p}$ (authors' code; closed form derived here)")
    D.fact("letey-powerlaw-stieltjes", sp.Eq(mean_u(1 / (a_l * QUANTILE + nu)), m_p(p, -nu / a_l) / a_l),
           uses=["letey-powerlaw-m-def"], conditions=law + [a_l > 0],
           check=Simulation(sample_uniform_mean,
                            points=[{p: 0.5, a_l: 1.0, nu: 0.5}, {p: 0.3, a_l: 0.5, nu: 1.0},
                                    {p: 0.9, a_l: 2.0, nu: 0.2}],
                            # the integrand lies in (0, 1/nu): its mean over 16000 x 20 draws has a
                            # standard error near 1e-4 of the sides' sum (about 1 to 4)
                            sizes=(1000, 4000, 16000), trials=20, seed=61, tolerance=2e-3,
                            description="Means of $1/(aX + \\nu)$ over uniform draws of $U$."),
           explanation="$\\langle (aX + \\nu)^{-1}\\rangle = m_p(-\\nu/a)/a$ for $X = (1-p)U^{-p}$.")
    D.fact("letey-powerlaw-limit", sp.Eq(mean_c(1 / (a_l * ell + nu)), mean_u(1 / (a_l * QUANTILE + nu))),
           conditions=law + [a_l > 0],
           check=Simulation(sample_spectrum_mean, points=[{p: 0.5, a_l: 1.0, nu: 0.5}, {p: 0.5, a_l: 0.5, nu: 2.0}],
                            sizes=(1000, 4000, 16000), trials=20, seed=62, tolerance=3e-3, exponent=0.5,
                            description="The normalised spectrum $j^{-1/2}$ at size $d$ against means over "
                                        "uniform draws of $U$; the gap is $O(d^{-(1-p)})$ (declared)."),
           explanation="The normalised spectrum $(j/d)^{-p}/\\tfrac1d\\sum_i (i/d)^{-p}$ has the law of "
                       "$(1-p)U^{-p}$ as $d\\to\\infty$; since $\\sum_{j\\le d} j^{-p} = d^{1-p}/(1-p) + \\zeta(p) + "
                       "O(d^{-p})$, spectral means approach it like $d^{-(1-p)}$.")
    D.step("letey-powerlaw-M", sp.Eq(M_l, m_p(p, -nu / a_l) / a_l),
           uses=["letey-M-self-consistent", "letey-powerlaw-limit", "letey-powerlaw-stieltjes"],
           conditions=law + [a_l > 0],
           explanation="The self-consistency at $d = \\infty$ for the power law: $M = m_p(-\\nu/a)/a$.")
    D.differentiate("letey-powerlaw-stieltjes-prime", "letey-powerlaw-stieltjes", nu)
    D.differentiate("letey-powerlaw-limit-prime", "letey-powerlaw-limit", nu)
    D.step("letey-powerlaw-P0", sp.Eq(mean_c(1 / (a_l * ell + nu)**2), -sp.diff(m_p(p, -nu / a_l) / a_l, nu)),
           uses=["letey-powerlaw-limit-prime", "letey-powerlaw-stieltjes-prime"], conditions=law + [a_l > 0],
           explanation="$\\langle (aC + \\nu)^{-2}\\rangle = m_p'(-\\nu/a)/a^2$.")
    D.series("letey-powerlaw-small-argument", m_p(p, zeta), zeta, 0, 2, uses=["letey-powerlaw-m-def"],
             form=1 / ((1 - p) * (1 + p)) + zeta / ((1 - p)**2 * (1 + 2 * p)) + sp.O(zeta**2), conditions=law,
             explanation="The moments $E X^{-1} = 1/(1 - p^2)$ and $E X^{-2} = 1/((1-p)^2(1 + 2p))$: $m_p$ is "
                         "analytic at 0 because the support starts at $1 - p > 0$. This expansion drives "
                         "$\\alpha\\to\\infty$ (where $w = \\nu/a \\to 0$); the heavy tail $P(X > x) = "
                         "((1-p)/x)^{1/p}$ enters only at large arguments ($\\kappa\\to 0$).")
    D.parameter(A, A_prime, C_e, description="the kernel's coefficients $a$, $a'$, $c_e$, as free symbols")
    integrand, matched, Q1, Q2 = _matched_misalignment(D)
    D.step("letey-powerlaw-matched", sp.Eq(mean_c(integrand), matched),
           explanation="A test equal to the pretraining covariance: $\\langle C\\mathcal K(C)\\rangle$, with "
                       "$\\mathcal K$ at an eigenvalue as in `letey-spike`, by linearity through "
                       "$\\langle (aC + \\nu)^{-1}\\rangle$ and $\\langle (aC + \\nu)^{-2}\\rangle$.")
    build_parametrisation(D, matched, Q1, Q2)
    build_quantities(D)


def build_parametrisation(D, matched, Q1, Q2):
    """The d = infinity solution along w = nu/a, the matched error along it, and its limits."""
    law = [p < 1]
    m_at = m_p(p, -w)
    dm_at = -sp.diff(m_at, w)               # m_p'(-w)
    a_value = 1 - (1 - w * m_at) / kappa
    D.define("letey-powerlaw-a-w-def", sp.Eq(a_w, a_value))
    D.define("letey-powerlaw-nu-w-def", sp.Eq(nu_w, w * a_w))
    D.define("letey-powerlaw-M-w-def", sp.Eq(M_w, m_at / a_w))
    D.define("letey-powerlaw-P0-w-def", sp.Eq(P0_w, dm_at / a_w**2))
    # M' = dM/dnu along the curve: (dM/dw)/(dnu/dw), with a, nu, M written out in w.
    M_of_w, nu_of_w = m_at / a_value, w * a_value
    D.define("letey-powerlaw-Mp-w-def", sp.Eq(Mp_w, sp.diff(M_of_w, w) / sp.diff(nu_of_w, w)),
             explanation="$M' = dM/d\\nu$ along the parametrisation, by the chain rule.")
    defs = ["letey-powerlaw-m-def", "letey-powerlaw-a-w-def", "letey-powerlaw-nu-w-def", "letey-powerlaw-M-w-def",
            "letey-powerlaw-P0-w-def", "letey-powerlaw-Mp-w-def"]
    at_w = {M_l: M_w, Mp_l: Mp_w, nu: nu_w}
    D.step("letey-powerlaw-a-of-w", sp.Eq(a_w, D["letey-a-def"].statement.rhs.xreplace(at_w)), uses=defs[:4],
           explanation="$(a_w, \\nu_w, M_w)$ solves the definition of $a$ ...")
    D.step("letey-powerlaw-M-of-w", sp.Eq(M_w, D["letey-powerlaw-M"].statement.rhs.xreplace({a_l: a_w, nu: nu_w})),
           uses=defs[:4], conditions=law,
           explanation="... and the power-law self-consistency: every $w$ with $a_w > 0$ is a solution, at "
                       "$\\nu = \\nu_w$ (for $\\kappa \\ge 1$ every $w > 0$; for $\\kappa < 1$, $w$ above the root "
                       "of $1 - w m_p(-w) = \\kappa$).")
    P1 = (M_w - nu_w * P0_w) / a_w
    D.step("letey-powerlaw-M-prime", sp.Eq(Mp_w, -(P0_w + M_w * P1 / kappa) / (1 + nu_w * P1 / kappa)),
           uses=defs, conditions=law,
           explanation="The chain rule agrees with implicit differentiation of $M = \\langle (aC+\\nu)^{-1}\\rangle$: "
                       "$M' = -(P_0 + MP_1/\\kappa)/(1 + \\nu P_1/\\kappa)$, $P_0 = \\langle (aC+\\nu)^{-2}\\rangle$, "
                       "$P_1 = \\langle C(aC+\\nu)^{-2}\\rangle = (M - \\nu P_0)/a$.")
    # The matched error at (a_w, nu_w, M_w), ridgeless tau > 1 (xi = 0), alpha_test = alpha = (1 + sigma2)/nu.
    error = (scalar_part(M_l, Mp_l) + matched).xreplace({Q1: M_l, Q2: P0_w})
    error = error.xreplace({A_prime: D["letey-ap-def"].statement.rhs, C_e: D["letey-ce-def"].statement.rhs, A: a_w})
    error = error.xreplace({alpha_t: (1 + sigma2) / nu, xi: 0}).xreplace(at_w)
    D.define("letey-powerlaw-e-w-def", sp.Eq(e_w, error),
             explanation="The error of the matched test $C_{\\mathrm{test}} = C_{\\mathrm{train}}$ at $d = \\infty$, "
                         "ridgeless with $\\tau > 1$ ($\\xi = 0$), $\\alpha_{\\mathrm{test}} = \\alpha = "
                         "(1 + \\sigma^2)/\\nu_w$: the sum of the scalar part and `letey-powerlaw-matched`, with "
                         "$\\langle (aC+\\nu)^{-1}\\rangle = M_w$ and $\\langle (aC+\\nu)^{-2}\\rangle = P_{0,w}$.")
    uses = defs + ["letey-powerlaw-e-w-def"]
    m0 = 1 / ((1 - p) * (1 + p))            # m_p(0), letey-powerlaw-small-argument
    E0 = sigma2 * (kappa * tau - tau + 1) / ((kappa - 1) * (tau - 1))
    D.limit("letey-powerlaw-alpha-infinity", e_w, w, 0, uses=uses, value=E0, conditions=law + [kappa > 1, tau > 1],
            explanation="Long contexts, $\\kappa > 1$: $w \\to 0$ as $\\alpha\\to\\infty$, and the limit "
                        "$\\sigma^2(1 + \\kappa/((\\kappa-1)(\\tau-1)))$ does not depend on $p$ (it is Lu et al.'s).",
            ref="Letey et al. 2025, power-law task covariances (limit derived here)")
    c1 = ((tau * (kappa - 1)**3 + (kappa - 1)**2 - kappa * (2 * kappa - 1) * m0 * sigma2)
          / ((tau - 1) * (kappa - 1)**3))
    D.series("letey-powerlaw-alpha-approach", e_w, w, 0, 2, uses=uses, form=E0 + c1 * (kappa - 1) / kappa * w + sp.O(w**2),
             conditions=law + [kappa > 1, tau > 1],
             explanation="The approach is analytic: with $\\nu_w = (1 - 1/\\kappa)w + O(w^2)$, $e = e_\\infty + c_1\\nu + "
                         "O(\\nu^2)$, $\\nu = (1+\\sigma^2)/\\alpha$, so $e - e_\\infty \\sim c_1(1+\\sigma^2)/\\alpha$: "
                         "exponent 1 for every $p$, which enters $c_1$ through $m_p(0) = 1/(1 - p^2)$ only.")
    D.limit("letey-powerlaw-alpha-sqrt", sp.sqrt(nu_w) * e_w, w, 0, uses=uses,
            value=sigma2 * sp.sqrt(1 - p**2) / (tau - 1), conditions=law + [sp.Eq(kappa, 1), tau > 1],
            explanation="At $\\kappa = 1$, $\\nu_w \\sim m_p(0)w^2$: the error grows like "
                        "$\\sigma^2\\sqrt{(1-p^2)\\alpha/(1+\\sigma^2)}/(\\tau - 1)$, exponent $1/2$.",
            ref="Letey et al. 2025, power-law task covariances (limit derived here)")
    table = D.bindings(uses)
    below = substitute(nu_w * e_w, table).subs(kappa, 1 - s * m_p(p, -s)).subs(w, s + t)
    D.limit("letey-powerlaw-alpha-linear", below, t, 0, uses=uses,
            value=sigma2 * s * (1 - s * m_p(p, -s)) / (tau - 1), conditions=law + [tau > 1],
            explanation="Below $\\kappa = 1$, written $\\kappa = 1 - s\\,m_p(-s)$: as $\\nu\\to 0$, $a \\to 0$ and "
                        "$w \\to s$, and the error grows like $\\sigma^2\\kappa s\\,\\alpha/((1+\\sigma^2)(\\tau-1))$, "
                        "exponent 1.",
            ref="Letey et al. 2025, power-law task covariances (limit derived here)")
    # At fixed w the error is rational in kappa, m_p(-w) and m_p'(-w): the kappa limits hold for
    # any values of these two (any law), written m_w and dm_w.
    D.parameter(m_w, dm_w, description="any values of $m_p(-w)$ and $m_p'(-w)$")
    spectral = [(m_p(p, -w), m_w)]
    generic = substitute(e_w, D.bindings(uses[1:])).replace(lambda e: isinstance(e, sp.Subs), lambda e: dm_w)
    generic = generic.xreplace(dict(spectral))
    e_kappa = tau * (sigma2 + w - w**2 * m_w) / (tau - 1)
    D.limit("letey-powerlaw-kappa-infinity", generic, kappa, sp.oo, uses=uses, value=e_kappa, conditions=[tau > 1],
            explanation="Infinite task diversity at fixed $w$ (then $a \\to 1$ and $\\nu \\to w$), with $m_w = m_p(-w)$: "
                        "$\\tau(\\sigma^2 + \\nu - \\nu^2 m_p(-\\nu))/(\\tau - 1)$. Rational in $\\kappa$, $m_w$ and "
                        "$m'_w = m_p'(-w)$, so it holds for any law.",
            ref="Letey et al. 2025, power-law task covariances (limit derived here)")
    C1 = (2 * dm_w * m_w * (tau - 1) * w**4 - 2 * dm_w * (tau - 1) * w**3 - m_w**3 * w**4
          + m_w**2 * sigma2 * w**2 - 3 * m_w**2 * tau * w**3 + 5 * m_w**2 * w**3 - 2 * m_w * sigma2 * w
          + 4 * m_w * tau * w**2 - 5 * m_w * w**2 + sigma2 - (tau - 1) * w) / (tau - 1)
    D.limit("letey-powerlaw-kappa-approach", kappa * (generic - e_kappa), kappa, sp.oo, uses=uses, value=C1,
            conditions=[tau > 1],
            explanation="The approach is analytic in $1/\\kappa$: $e - e_{\\kappa=\\infty} \\sim C_1/\\kappa$, exponent 1.")
    kernel = kernel_expr(ell, M_l, Mp_l).xreplace({xi: 0}).xreplace(at_w)
    D.limit("letey-powerlaw-kernel-alpha-infinity", kernel, w, 0, uses=defs,
            value=sigma2 * kappa / ((kappa - 1) * (tau - 1) * ell), conditions=law + [kappa > 1, tau > 1, ell > 0],
            explanation="For any test, $\\mathcal K(\\ell) \\to \\sigma^2\\kappa/((\\kappa-1)(\\tau-1)\\ell)$, so "
                        "$e \\to \\sigma^2 + \\sigma^2\\kappa\\langle C_{\\mathrm{test}}C_{\\mathrm{train}}^{-1}\\rangle/"
                        "((\\kappa-1)(\\tau-1))$: the trace measure of Letey et al.'s alignment plots.",
            ref="Letey et al. 2025, $\\mathrm{tr}[C_{\\mathrm{test}}C_{\\mathrm{tr}}^{-1}]$ (limit derived here)")
    D.fact("letey-powerlaw-inverse-overlap",
           sp.Eq(mean_u(INVERSE_OVERLAP), (1 - q) * sp.gamma(1 + p) * sp.gamma(1 - q) / ((1 - p) * sp.gamma(2 + p - q))),
           conditions=law + [q < 1],
           check=Simulation(sample_inverse_overlap, points=[{p: 0.5, q: 0.3}, {p: 0.3, q: 0.2}, {p: 0.9, q: 0.4}],
                            sizes=(2000, 8000, 32000), trials=20, seed=63, tolerance=5e-3,
                            description="Means of $C_{\\mathrm{test}}/C_{\\mathrm{train}}$ over uniform draws of $U$ "
                                        "($q < 1/2$, where the variance is finite)."),
           explanation="Anti-aligned order, $C_{\\mathrm{test}} = (1-q)(1-U)^{-q}$: $\\langle C_{\\mathrm{test}}"
                       "C_{\\mathrm{train}}^{-1}\\rangle = \\tfrac{1-q}{1-p}B(1+p, 1-q)$, which is $\\pi p/\\sin\\pi p$ "
                       "at $q = p$ (aligned at $q = p$: 1).")


#: The parameters of the d = infinity power-law errors for ``derive eval`` (letey2025_alignment's
#: PARAMETERS, with the powers p and q in place of the ridge).
POWER_LAW_PARAMETERS = (alpha, alpha_t, kappa, tau, sigma2, p, q)
#: The test covariances: the power law q along U, in the pretraining order or reversed.
TESTS = {"aligned": (1 - q) * u**-q, "anti": (1 - q) * (1 - u)**-q}


def build_quantities(D):
    """The d = infinity error of a power-law test ``q`` (aligned and anti-aligned) for a
    power-law pretraining spectrum ``p``, as quantities ``e_powerlaw`` and ``e_powerlaw_anti``.

    Ridgeless with ``tau > 1`` (``xi = 0``), the solution at ``1/alpha`` is the member ``w`` of
    the parametrisation with ``nu_w/(1 + sigma2) = 1/alpha`` (``letey-nu-def``): unique, since
    ``nu_w = w a_w`` is negative up to the root of ``a_w`` and increasing beyond it.  The error is
    ``letey-error``'s scalar part plus ``<C_test K(C_train)>``, with ``K`` at an eigenvalue as
    ``letey-spike`` states it, both at ``(a_w, nu_w, M_w, M'_w)``, and the mean over the joint
    law of the two spectra, ``(X, T) = ((1-p)U^{-p}, (1-q)U^{-q})`` or ``(1-q)(1-U)^{-q}``: an
    integral over ``U`` that ``derive eval`` computes by quadrature.
    """
    D.define("letey-powerlaw-iota-w-def", sp.Eq(iota_w, nu_w / (1 + sigma2)),
             explanation="Ridgeless with $\\tau > 1$ ($\\xi = 0$), $\\nu = (1+\\sigma^2)/\\alpha$ (`letey-nu-def`): "
                         "the member $w$ of the family is the solution at $1/\\alpha = \\iota_w$.")
    at_w = {M_l: M_w, Mp_l: Mp_w, nu: nu_w}
    coefficients = {ap_l: D["letey-ap-def"].statement.rhs, c_e: D["letey-ce-def"].statement.rhs}
    kernel = D["letey-spike"].statement.rhs.xreplace({lam_i: QUANTILE}).xreplace(coefficients)
    kernel = kernel.xreplace({a_l: a_w, xi: 0}).xreplace(at_w)
    scalar = scalar_part(M_l, Mp_l).xreplace({xi: 0}).xreplace(at_w)
    defs = ["letey-powerlaw-m-def", "letey-powerlaw-a-w-def", "letey-powerlaw-nu-w-def", "letey-powerlaw-M-w-def",
            "letey-powerlaw-Mp-w-def", "letey-powerlaw-iota-w-def"]
    implicit = {w: dict(step="letey-powerlaw-iota-w-def", equals=1 / alpha, lower=0, upper=1)}
    for (order, test), name, symbol in zip(TESTS.items(), ("e_powerlaw", "e_powerlaw_anti"), (e_aligned_w, e_anti_w)):
        label = f"letey-powerlaw-e-{order}-def"
        D.define(label, sp.Eq(symbol, scalar + mean_u(test * kernel)),
                 explanation=f"The error at $d = \\infty$ of the test power law $q$ ({order.replace('anti', 'anti-aligned')} "
                             "with the pretraining one), ridgeless with $\\tau > 1$: `letey-error`'s scalar part and "
                             "$\\langle C_{\\mathrm{test}}\\mathcal K(C_{\\mathrm{train}})\\rangle$ at $(a_w, \\nu_w, M_w, M'_w)$, "
                             "the mean over $U$ of the two spectra's quantiles.",
                 ref="Letey et al. 2025, power-law train and test covariances (the $d = \\infty$ limit derived here)")
        D.quantity(name, label, POWER_LAW_PARAMETERS, uses=defs, implicit=implicit, range=(0, None),
                   description=f"ICL error at d = infinity, power-law tasks j^-p, test j^-q {order.replace('anti', 'anti-aligned')} "
                               "(ridgeless, tau > 1)")


# ---- numerics ------------------------------------------------------------------------------------


@functools.cache
def _functions():
    """The kernel (``letey-kernel-def``), the scalar part of ``letey-error`` at test trace 1,
    ``letey-nu-def`` and the residual of ``letey-effective-ridge``, lambdified once (whole)."""
    from .letey2025_alignment import paper

    D = paper.derivation()
    args = (xi, nu, M_l, Mp_l, kappa, tau, sigma2)
    lower = lambda expr, names: sp.lambdify(names, expr, modules="numpy", cse=True)
    return {"kernel": lower(D["letey-kernel-def"].statement.rhs, (ell, *args)),
            "scalar": lower(scalar_part(M_l, Mp_l), (alpha_t, *args)),
            "nu": lower(D["letey-nu-def"].statement.rhs, (xi, alpha, sigma2)),
            "ridge": lower(D["letey-effective-ridge"].residual, (xi, M_l, tau, lam_lu))}


def alignment_error_infinite(p_train, p_test, alpha_v, alpha_test_v, kappa_v, tau_v, sigma2_v, lam_v=0.0,
                             aligned=True):
    """The d = infinity error for C_train = powerlaw(p_train) and C_test = powerlaw(p_test), in
    the same order (``aligned``) or reversed, on numpy grids (``alpha``, ``kappa``, ... broadcast
    together; the powers are numbers).  Returns {"e", "scalar", "misalign", "xi", "nu", "M", "M_prime"}.

    M and M' by :func:`derive.rmt.silverstein.task_resolvent` (the fixed point of
    ``letey-M-self-consistent``), xi by bisection on the residual of ``letey-effective-ridge``
    (0 when lam = 0 and tau > 1), and the error from the lambdified kernel and scalar part,
    the kernel averaged over the quadrature nodes of U (:func:`derive.rmt.continuum.joint_mean`).
    """
    from derive.rmt.continuum import PowerLaw, joint_mean
    from derive.rmt.silverstein import task_resolvent

    f = _functions()
    train, test = PowerLaw(float(p_train)), PowerLaw(float(p_test))
    grid = np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in
                                 (alpha_v, alpha_test_v, kappa_v, tau_v, sigma2_v, lam_v)])
    shape = grid[0].shape
    al, at, ka, ta, s2, lam = (g.ravel() for g in grid)

    def resolvent(xi_v, index=slice(None)):
        nu_v = f["nu"](xi_v, al[index], s2[index])
        return nu_v, task_resolvent(train, ka[index], nu_v)

    xi_v = _effective_ridge(lambda x, index: f["ridge"](x, resolvent(x, index)[1].M, ta[index], lam[index]), al.size)
    nu_v, r = resolvent(xi_v)
    args = (xi_v, nu_v, r.M, r.M_prime, ka, ta, s2)
    column = lambda v: np.asarray(v, dtype=float)[:, None]
    # The outermost nodes of U reach eigenvalues near 1e225 (p = 0.9), where (a l + nu)^2
    # overflows to inf and the kernel's term is its limit, 0.
    with np.errstate(over="ignore"):
        misalign = joint_mean(lambda x, y: y * f["kernel"](x, *map(column, args)), train, test, aligned)
    scalar = f["scalar"](at, *args)
    out = {"e": scalar + misalign, "scalar": scalar, "misalign": misalign, "xi": xi_v, "nu": nu_v,
           "M": r.M, "M_prime": r.M_prime}
    return {k: np.broadcast_to(v, al.shape).reshape(shape) for k, v in out.items()}


def _effective_ridge(residual, size, iterations=80):
    """xi >= 0 with ``residual(xi, index) = 0`` at the grid points ``index``, by bisection: 0 where
    the residual is already >= 0 at the bottom (ridgeless, tau > 1), else the positive root (the
    rule of ``_ridge_theory`` in letey2025_alignment, one point at a time there); only the
    points still searched are evaluated."""
    xi_v = np.zeros(size)
    everything = np.arange(size)
    todo = everything[~(residual(np.full(size, 1e-300), everything) >= 0)]
    if todo.size == 0:
        return xi_v
    lower, upper = np.full(todo.size, 1e-300), np.ones(todo.size)
    for _ in range(200):
        low = residual(upper, todo) < 0
        if not low.any():
            break
        upper[low] *= 2
    for _ in range(iterations):
        middle = (lower + upper) / 2
        negative = residual(middle, todo) < 0
        lower, upper = np.where(negative, middle, lower), np.where(negative, upper, middle)
    xi_v[todo] = (lower + upper) / 2
    return xi_v


# ---- the model at finite d -----------------------------------------------------------------------


def power_covariances(p_train, p_test, d, aligned=True):
    """The authors' train and test spectra at size d, the test in the train's eigenbasis, in
    the same order (``aligned``) or reversed."""
    train, test = power_spectrum(p_train, d), power_spectrum(p_test, d)
    return train, (test if aligned else test[::-1])


def sample_power_law_fit(rng, d, point):
    """One ridge fit of the lu2025 model on kappa d tasks N(0, C_train), C_train the power law
    j^-p at size d, and its exact error on 4000 test tasks N(0, C_test) (``letey2025``'s
    ``sample_alignment`` with power-law covariances).  ``point`` holds alpha, alpha_test, kappa,
    tau, sigma2, lam_L, p, q and aligned (1 or 0)."""
    from . import lu2025_model

    v = _values(point)
    train, test = power_covariances(v["p"], v["q"], d, bool(v["aligned"]))
    k = int(round(v["kappa"] * d))
    pool = rng.standard_normal((k, d)) * np.sqrt(train)
    gamma, _, _ = lu2025_model.fit(rng, d, v["alpha"], v["kappa"], v["tau"], v["sigma2"], v["lam_L"], pool=pool)
    test_pool = rng.standard_normal((4000, d)) * np.sqrt(test)
    return {"e": lu2025_model.idg_error(gamma, test_pool, v["alpha_test"], v["sigma2"])}
