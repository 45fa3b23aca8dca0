"""Traps for Monte Carlo facts and for the free-probability steps.

Every simulation here is small (d <= 200, a few dozen draws of a GOE or Wishart matrix, or
scalar draws), so that each trap runs in well under a second or two.  Samplers are module-level
functions (picklable, so any executor can run them).
"""

import dataclasses

import numpy as np
import sympy as sp

from derive import Derivation, Simulation
from derive.notation import Meaning
from derive.rmt import semicircle, spectrum, marchenko_pastur
from derive.rmt.sampling import empirical_r_transform
from derive.rmt.steps import add_law

from . import trap

z = sp.Symbol("z")
c = sp.Symbol("c", positive=True)
w = sp.Symbol("w")
m = sp.Function("m")
g = sp.Function("g")
lam = sp.Symbol("lambda_max", real=True)
X = sp.Symbol("X", real=True)
tr1, tr2 = sp.symbols("tr1 tr2", real=True)
Rg, R1, R2 = sp.Function("R_g"), sp.Function("R_1"), sp.Function("R_2")

SC_ROOT = (-z + sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2
SC_OTHER = (-z - sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2
RESOLVENT = r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(W-z)^{-1}"


def _goe(rng, d):
    A = rng.standard_normal((d, d))
    return (A + A.T) / np.sqrt(2 * d)


def goe_resolvent(rng, d, point):
    """(1/d) tr (W - z)^{-1} for a GOE matrix W with semicircle law on [-2, 2]."""
    return {m(z): np.mean(1 / (np.linalg.eigvalsh(_goe(rng, d)) - complex(point[z])))}


def goe_top(rng, d, point):
    """The largest eigenvalue of a GOE matrix normalised to the semicircle on [-2, 2]."""
    return {lam: float(np.linalg.eigvalsh(_goe(rng, d))[-1])}


def classical_top(rng, d, point):
    """Not random: the classical location of the top eigenvalue, int_gamma^2 rho_sc = 1/d,
    which approaches 2 like (3 pi/(2 d))^(2/3)."""
    low, high = -2.0, 2.0
    for _ in range(80):
        mid = (low + high) / 2
        mass = (np.pi - 2 * np.arcsin(mid / 2) - mid * np.sqrt(4 - mid ** 2) / 2) / (2 * np.pi)
        low, high = (mid, high) if mass > 1 / d else (low, mid)
    return {lam: (low + high) / 2}


def random_sign(rng, d, point):
    """A random sign that never shrinks with d: its mean is 0, its limit does not exist."""
    return {X: float(rng.choice([-1.0, 1.0]))}


def small_random_sign(rng, d, point):
    """A random sign of size 0.002: mean 0, and |X| = 0.002 at every d."""
    return {X: 0.002 * float(rng.choice([-1.0, 1.0]))}


def wishart_traces(rng, d, point):
    """(1/d) tr W and (1/d) tr W^2 for W = X X^T / k, X of shape d x k, k = d / c."""
    k = max(1, round(d / float(point[c])))
    A = rng.standard_normal((d, k))
    W = A @ A.T / k
    return {tr1: float(np.trace(W)) / d, tr2: float(np.sum(W * W)) / d}


def semicircle_quantiles(d):
    """The d quantiles (k - 1/2)/d of the semicircle law on [-2, 2], by bisection."""
    targets = (np.arange(d) + 0.5) / d
    low, high = np.full(d, -2.0), np.full(d, 2.0)
    for _ in range(60):
        mid = (low + high) / 2
        cdf = 0.5 + mid * np.sqrt(4 - mid ** 2) / (4 * np.pi) + np.arcsin(mid / 2) / np.pi
        low, high = np.where(cdf < targets, mid, low), np.where(cdf < targets, high, mid)
    return (low + high) / 2


def classical_sum_transforms(rng, d, point):
    """Empirical R-transforms of A, B and A (x) I + I (x) B: commuting, tensor-independent
    operands with semicircle spectra, whose sum has the *classical* convolution as its law (the
    d^2 pairwise sums a_i + b_j), not the free one.  Deterministic: no noise to hide behind."""
    a = semicircle_quantiles(d)
    at = float(point[w])
    return {Rg(w): empirical_r_transform((a[:, None] + a[None, :]).ravel(), at),
            R1(w): empirical_r_transform(a, at), R2(w): empirical_r_transform(a, at)}


def free_sum_transforms(rng, d, point):
    """The same with B rotated by a Haar orthogonal matrix: A + O B O^T, a free sum."""
    A = np.diag(np.linalg.eigvalsh(_goe(rng, d)))
    Q, Rq = np.linalg.qr(rng.standard_normal((d, d)))
    O = Q * np.sign(np.diag(Rq))
    B = O @ np.diag(np.linalg.eigvalsh(_goe(rng, d))) @ O.T
    at = float(point[w])
    return {Rg(w): empirical_r_transform(np.linalg.eigvalsh(A + B), at),
            R1(w): empirical_r_transform(np.diag(A), at),
            R2(w): empirical_r_transform(np.linalg.eigvalsh(B), at)}


def _semicircle():
    D = Derivation("trap")
    D.parameter(z)
    D.define("m-def", sp.Eq(m(z), Meaning(RESOLVENT)))
    return D


def _named(symbol, text):
    D = Derivation("trap")
    D.define("def", sp.Eq(symbol, Meaning(text)))
    return D


# ---------------------------------------------------------------------------------------------
# fact
# ---------------------------------------------------------------------------------------------


@trap("fact", true=False,
      sets="m(z) = the other root, citing a solve step that bound m to it: the simulation is never compared")
def fact_substituted_away():
    D = _semicircle()
    D.fact("quad", sp.Eq(m(z) ** 2 + z * m(z) + 1, 0), uses=["m-def"])
    D.solve("wrong", "quad", m(z), form=SC_OTHER)
    D.fact("value", sp.Eq(m(z), SC_OTHER), uses=["wrong"],
           check=Simulation(goe_resolvent, points=[{z: 1 + 1j}], sizes=(20, 40, 80), trials=10, seed=1))
    return D, "value"


@trap("fact", true=True, sets="the semicircle's Stieltjes transform at z = 1 + i and z = -3 (closed form written out)")
def fact_semicircle_value_true():
    D = _semicircle()
    D.fact("value", sp.Eq(m(z), SC_ROOT), uses=["m-def"],
           check=Simulation(goe_resolvent, points=[{z: 1 + 1j}, {z: -3.0}], sizes=(50, 100, 200), trials=10,
                            seed=1, tolerance=1e-2))
    return D, "value"


@trap("fact", true=False, sets="the semicircle's Stieltjes transform at z = 1 + i equated with the other root")
def fact_semicircle_value_false():
    D = _semicircle()
    D.fact("value", sp.Eq(m(z), SC_OTHER), uses=["m-def"],
           check=Simulation(goe_resolvent, points=[{z: 1 + 1j}], sizes=(50, 100, 200), trials=10, seed=1))
    return D, "value"


@trap("fact", true=False,
      sets="m(-125) = -2/z = 0.016 (it is 0.008): a 100% error below the absolute tolerance 1e-2")
def fact_absolute_tolerance_small_quantity():
    D = _semicircle()
    D.fact("value", sp.Eq(m(z), -2 / z), uses=["m-def"],
           check=Simulation(goe_resolvent, points=[{z: -125.0}, {z: -80.0}], sizes=(20, 40, 80), trials=10, seed=1,
                            tolerance=1e-2))
    return D, "value"


@trap("fact", true=False,
      sets="(z + 3) m(z) = (z + 3) x (other root), simulated only at z = -3 + 1e-6 i, where the factor nearly vanishes")
def fact_vanishing_factor_at_point():
    D = _semicircle()
    D.fact("value", sp.Eq((z + 3) * m(z), (z + 3) * SC_OTHER), uses=["m-def"],
           check=Simulation(goe_resolvent, points=[{z: -3 + 1e-6j}], sizes=(20, 40, 80), trials=10, seed=1,
                            tolerance=1e-2))
    return D, "value"


@trap("fact", true=True, sets="m(-125) from the closed form: a small quantity, rightly")
def fact_small_quantity_true():
    D = _semicircle()
    D.fact("value", sp.Eq(m(z), SC_ROOT), uses=["m-def"],
           check=Simulation(goe_resolvent, points=[{z: -125.0}, {z: -80.0}], sizes=(20, 40, 80), trials=10, seed=1,
                            tolerance=1e-2))
    return D, "value"


@trap("fact", true=False, sets="a random sign X = +-1 claimed to tend to 0 (mean 0, never shrinks)")
def fact_random_sign():
    D = _named(X, r"\text{a random sign}")
    D.fact("zero", sp.Eq(X, 0), uses=["def"],
           check=Simulation(random_sign, points=[{}], sizes=(20, 40, 80), trials=20, seed=1, tolerance=1e-2))
    return D, "zero"


@trap("fact", true=False, sets="X = +-0.002 claimed to tend to 0: mean 0, |X| never shrinks, below the tolerance")
def fact_small_random_sign():
    D = _named(X, r"\text{a random sign times } 0.002")
    D.fact("zero", sp.Eq(X, 0), uses=["def"],
           check=Simulation(small_random_sign, points=[{}], sizes=(20, 40, 80), trials=20, seed=1,
                            tolerance=1e-2))
    return D, "zero"


def _edge(value, tolerance=0.01, trials=600):
    D = _named(lam, r"\lambda_{\max}(W)")
    D.fact("edge", sp.Eq(lam, value), uses=["def"],
           check=Simulation(goe_top, points=[{}], sizes=(20, 40, 80), trials=trials, seed=3, tolerance=tolerance))
    return D, "edge"


@trap("fact", true=True, sets="the GOE top eigenvalue tends to 2 (d = 20..80, tolerance 0.05; d^-2/3 corrections)")
def fact_goe_edge_true():
    return _edge(2, tolerance=0.05, trials=200)


@trap("fact", true=True, sets="the GOE top eigenvalue tends to 2 (d = 20..80, tolerance 0.01, 600 trials)")
def fact_goe_edge_true_tol_1pc():
    return _edge(2)


@trap("fact", true=False,
      sets="the GOE top eigenvalue tends to 1.95 (off by 0.05 = 2.5%, tolerance 0.01 = 1%; the d^-2/3 bias "
           "pulls toward it)")
def fact_goe_edge_low():
    return _edge(sp.Rational(195, 100))


@trap("fact", true=False, sets="the GOE top eigenvalue tends to 2.05 (off by 0.05 = 2.5%, tolerance 0.01 = 1%)")
def fact_goe_edge_high():
    return _edge(sp.Rational(205, 100))


@trap("fact", true=True,
      sets="the GOE top eigenvalue tends to 2, at d = 10..40 with tolerance 0.01: the 1/d fit leaves a d^-2/3 bias")
def fact_goe_edge_tight_true():
    D = _named(lam, r"\lambda_{\max}(W)")
    D.fact("edge", sp.Eq(lam, 2), uses=["def"],
           check=Simulation(goe_top, points=[{}], sizes=(10, 20, 40), trials=400, seed=5, tolerance=0.01))
    return D, "edge"


@trap("fact", true=True,
      sets="the classical location of the top eigenvalue tends to 2 (deterministic, like d^-2/3; tolerance 0.05)")
def fact_classical_edge_true():
    D = _named(lam, r"\gamma_1(d): \int_{\gamma_1}^2 \rho_{sc} = 1/d")
    D.fact("edge", sp.Eq(lam, 2), uses=["def"],
           check=Simulation(classical_top, points=[{}], sizes=(20, 40, 80), trials=2, seed=0, tolerance=0.05))
    return D, "edge"


def two_random_signs(rng, d, point):
    """Two independent random signs, at every d."""
    return {tr1: float(rng.choice([-1.0, 1.0])), tr2: float(rng.choice([-1.0, 1.0]))}


@trap("fact", true=False, sets="two independent random signs claimed equal in the limit (difference: mean 0, spread 2)")
def fact_two_random_signs():
    D = Derivation("trap")
    D.define("def1", sp.Eq(tr1, Meaning(r"\epsilon_1")))
    D.define("def2", sp.Eq(tr2, Meaning(r"\epsilon_2")))
    D.fact("equal", sp.Eq(tr1, tr2), uses=["def1", "def2"],
           check=Simulation(two_random_signs, points=[{}], sizes=(20, 40, 80), trials=20, seed=1, tolerance=1e-2))
    return D, "equal"


def half_random_sign(rng, d, point):
    """A random sign of size 1/2, at every d."""
    return {X: 0.5 * float(rng.choice([-1.0, 1.0]))}


@trap("fact", true=False,
      sets="X + 100 = 100 for X = +-1/2 (X -> 0 is false): a constant on both sides inflates a relative scale")
def fact_padded_scale():
    D = _named(X, r"\text{a random sign times } 1/2")
    D.fact("zero", sp.Eq(X + 100, 100, evaluate=False), uses=["def"],
           check=Simulation(half_random_sign, points=[{}], sizes=(20, 40, 80), trials=20, seed=1, tolerance=1e-2))
    return D, "zero"


@trap("fact", true=True, sets="(1/d) tr W = 1 for a Wishart matrix W = XX^T/k")
def fact_wishart_trace_true():
    D = Derivation("trap")
    D.parameter(c)
    D.define("def", sp.Eq(tr1, Meaning(r"\tfrac1d\operatorname{tr}W")))
    D.fact("trace", sp.Eq(tr1, 1), uses=["def"],
           check=Simulation(wishart_traces, points=[{c: 0.5}, {c: 2.0}], sizes=(50, 100, 200), trials=20, seed=1,
                            tolerance=0.05))
    return D, "trace"


@trap("fact", true=True, sets="(1/d) tr W^2 -> 1 + c for a Wishart matrix (exact 1/k correction)")
def fact_wishart_second_moment_true():
    D = Derivation("trap")
    D.parameter(c)
    D.define("def", sp.Eq(tr2, Meaning(r"\tfrac1d\operatorname{tr}W^2")))
    D.fact("moment", sp.Eq(tr2, 1 + c), uses=["def"],
           check=Simulation(wishart_traces, points=[{c: 0.5}, {c: 2.0}], sizes=(50, 100, 200), trials=20, seed=1,
                            tolerance=0.05))
    return D, "moment"


@trap("fact", true=False, sets="(1/d) tr W^2 -> 1 + c^2 (it is 1 + c)")
def fact_wishart_second_moment_false():
    D = Derivation("trap")
    D.parameter(c)
    D.define("def", sp.Eq(tr2, Meaning(r"\tfrac1d\operatorname{tr}W^2")))
    D.fact("moment", sp.Eq(tr2, 1 + c ** 2), uses=["def"],
           check=Simulation(wishart_traces, points=[{c: 0.5}], sizes=(50, 100, 200), trials=20, seed=1,
                            tolerance=0.05))
    return D, "moment"


@trap("fact", true=False,
      sets="(1/d) tr W^2 -> 1 + c^2 simulated only at c = 1, where it coincides with the true 1 + c")
def fact_single_coinciding_point():
    D = Derivation("trap")
    D.parameter(c)
    D.define("def", sp.Eq(tr2, Meaning(r"\tfrac1d\operatorname{tr}W^2")))
    D.fact("moment", sp.Eq(tr2, 1 + c ** 2), uses=["def"],
           check=Simulation(wishart_traces, points=[{c: 1.0}], sizes=(50, 100, 200), trials=20, seed=1,
                            tolerance=0.05))
    return D, "moment"


# ---------------------------------------------------------------------------------------------
# free-convolution
# ---------------------------------------------------------------------------------------------


def _law(law, trials=8, **options):
    D = Derivation("trap")
    D.parameter(z)
    add_law(D, "L", law, g(z), points=[{}], sizes=(40, 80), trials=trials, **options)
    return D


def _bernoulli():
    return spectrum([-1, 1], [sp.Rational(1, 2), sp.Rational(1, 2)])


@trap("free-convolution", true=False,
      sets="R_{A+B} = R_A + R_B for commuting A (x) I and I (x) B (a classical sum), tested at w = 0.05 only")
def fc_classical_sum_as_free():
    D = Derivation("trap")
    D.fact("theorem", sp.Eq(Rg(w), R1(w) + R2(w)),
           check=Simulation(classical_sum_transforms, points=[{w: 0.05}], sizes=(20, 40, 80), trials=2, seed=0,
                            tolerance=3e-2))
    return D, "theorem"


@trap("free-convolution", true=True, sets="R_{A+OBO^T} = R_A + R_B for Haar-rotated B (Voiculescu), at w = 0.05")
def fc_free_sum_theorem_true():
    D = Derivation("trap")
    D.fact("theorem", sp.Eq(Rg(w), R1(w) + R2(w)),
           check=Simulation(free_sum_transforms, points=[{w: 0.05}, {w: 0.1}], sizes=(40, 80), trials=32, seed=0,
                            tolerance=3e-2))
    return D, "theorem"


@trap("free-convolution", true=True, sets="SC(1) boxplus SC(2): the R-curve R = 3w by the convolution rule")
def fc_semicircle_sum_true():
    return _law(semicircle(1) + semicircle(2)), "L-R-free"


@trap("free-convolution", true=False, sets="SC(1) boxplus SC(2) claimed to have R-curve R = 2w")
def fc_semicircle_sum_wrong():
    D = _law(semicircle(1) + semicircle(2))
    step = D["L-R-free"]
    wrong = sp.Eq(Rg(w) - 2 * w, 0)
    return D.replaced(dataclasses.replace(step, statement=wrong)), "L-R-free"


@trap("free-convolution", true=True,
      sets="Bernoulli(+-1) boxplus Bernoulli(+-1) (the arcsine law): R-curve w R^2 + 2R - 4w = 0")
def fc_bernoulli_sum_true():
    return _law(_bernoulli() + _bernoulli()), "L-R-free"


@trap("free-convolution", true=False,
      sets="the Bernoulli free sum given the resultant's other factor w R + 1 = 0 (opposite branches, R(0) != 0)")
def fc_bernoulli_sum_other_factor():
    D = _law(_bernoulli() + _bernoulli())
    step = D["L-R-free"]
    wrong = sp.Eq(w * Rg(w) + 1, 0)
    return D.replaced(dataclasses.replace(step, statement=wrong)), "L-R-free"


@trap("free-convolution", true=True, sets="the arcsine law's Stieltjes curve (z^2 - 4) g^2 = 1, back from its R-curve")
def fc_bernoulli_back_true():
    return _law(_bernoulli() + _bernoulli()), "L"


@trap("free-convolution", true=False,
      sets="SC(1) boxplus SC(2) given the Stieltjes curve of SC(2): 2 g^2 + z g + 1 = 0")
def fc_back_transform_wrong():
    D = _law(semicircle(1) + semicircle(2))
    step = D["L"]
    wrong = sp.Eq(2 * g(z) ** 2 + z * g(z) + 1, 0)
    return D.replaced(dataclasses.replace(step, statement=wrong)), "L"


@trap("free-convolution", true=True, sets="S_{MP(1/2) boxtimes MP(1/4)} = S_1 S_2, checked on sampled matrices")
def fc_product_theorem_true():
    # Enough trials for the relative tolerance of the theorem (1e-2 of the transforms' size).
    return _law(marchenko_pastur(sp.Rational(1, 2)) * marchenko_pastur(sp.Rational(1, 4)), trials=32), "L-S-theorem"


@trap("free-convolution", true=True, sets="MP(1/2) boxtimes MP(1/4): the cubic Stieltjes curve back from its S-curve")
def fc_product_back_true():
    return _law(marchenko_pastur(sp.Rational(1, 2)) * marchenko_pastur(sp.Rational(1, 4))), "L"
