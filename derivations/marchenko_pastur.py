"""The Marchenko-Pastur law: Stieltjes transform, its branch, the M_kappa form of Lu et al.

W = X X^T / k with X a d x k matrix of i.i.d. N(0, 1) entries, d, k -> infinity with c = d/k.
The Stieltjes transform m(c, z) = lim (1/d) tr (W - z)^{-1} solves

    c z m^2 + (z - 1 + c) m + 1 = 0                                    (checked by simulation)

and is the root with m ~ -1/z at infinity and Im m > 0 in the upper half plane,

    m(c, z) = (1 - c - z + sqrt(z - l_+) sqrt(z - l_-)) / (2 c z),  l_pm = (1 pm sqrt(c))^2,

where the product of principal square roots puts the branch cut on the support [l_-, l_+].
Lu et al. (PNAS 2025; in their code, M_kappa and S_Wishart) use the task-covariance form
M_kappa(x) = m(1/kappa, -x): the Stieltjes transform of R = (1/k) sum_j w_j w_j^T with
k = kappa d tasks, on the negative real axis.
"""

import numpy as np
import sympy as sp

from derive import Asymptotic, Derivation, Holds, Simulation
from derive.notation import Meaning
from derive.registry import Paper

c = sp.Symbol("c", positive=True)
z = sp.Symbol("z")
x, kappa, tau = sp.symbols("x kappa tau", positive=True)
g = sp.Symbol("g", positive=True)
j = sp.Symbol("j", integer=True, positive=True)
m = sp.Function("m")
M = sp.Function("M")

l_plus, l_minus = (1 + sp.sqrt(c)) ** 2, (1 - sp.sqrt(c)) ** 2


def narayana_moment(k):
    """k-th moment of MP(c): sum_j N(k, j) c^(j-1), N(k, j) = C(k, j) C(k, j-1) / k."""
    if k == 0:
        return sp.Integer(1)
    return sp.Sum(sp.binomial(k, j) * sp.binomial(k, j - 1) / k * c ** (j - 1), (j, 1, k))


def sample_resolvent_trace(rng, d, point):
    """(1/d) tr (W - z)^{-1} for one Wishart W = X X^T / k, k = d / c."""
    ratio, at = float(point[c]), complex(point[z])
    k = int(round(d / ratio))
    X = rng.standard_normal((d, k))
    eigenvalues = np.linalg.eigvalsh(X @ X.T / k)
    return {m(c, z): np.mean(1.0 / (eigenvalues - at))}


TITLE = "The Marchenko-Pastur law and the $M_\\kappa$ form of Lu et al."


def build():
    D = Derivation(
        "marchenko-pastur",
        title=TITLE,
        cite="Marchenko and Pastur (1967); Lu, Letey, Zavatone-Veth, Maiti, Pehlevan, PNAS 2025",
        description="$W = XX^\\top/k$ with $X \\in \\mathbb{R}^{d\\times k}$ i.i.d. standard Gaussian, "
                    "$d, k \\to \\infty$ with $c = d/k$.",
        latex_subscripts={"m": 1, "M": 1},
        latex_names={"l_plus": r"\lambda_+", "l_minus": r"\lambda_-"},
    )
    D.parameter(c, description="aspect ratio $d/k$")
    D.parameter(z, description="spectral parameter, $z \\in \\mathbb{C}$ off the support")
    D.parameter(x, description="$x > 0$, so that $-x$ is on the negative real axis")
    D.parameter(kappa, description="task diversity $k/d$ (Lu et al.)")
    D.parameter(tau, description="samples per parameter (Lu et al.)")

    D.define("stieltjes-def",
             sp.Eq(m(c, z), Meaning(r"\lim_{d\to\infty} \tfrac{1}{d}\operatorname{tr}(W - zI)^{-1}",
                                    "lim (1/d) tr (W - z)^-1")),
             explanation="The Stieltjes transform of the limiting spectral law of $W$.")

    D.fact("mp-quadratic", sp.Eq(c * z * m(c, z) ** 2 + (z - 1 + c) * m(c, z) + 1, 0),
           uses=["stieltjes-def"],
           # The tolerance is relative to the sum of the terms' sizes, 2 to 3.3 at these points:
           # 5e-3 keeps the resolution of the former absolute 1e-2.
           check=Simulation(sample_resolvent_trace,
                            points=[{c: 0.5, z: -1.0}, {c: 2.0, z: -0.5}, {c: 0.5, z: 1.0 + 0.5j},
                                    {c: 0.25, z: 2.0 + 1.0j}],
                            sizes=(100, 200, 400), trials=30, seed=2025, tolerance=5e-3,
                            description="Checked against $\\tfrac1d\\operatorname{tr}(W - z)^{-1}$ "
                                        "of sampled Wishart matrices."),
           explanation="The self-consistent equation of the resolvent trace.",
           ref="Marchenko and Pastur (1967)")

    root = (1 - c - z + sp.sqrt(z - l_plus) * sp.sqrt(z - l_minus)) / (2 * c * z)
    D.solve("mp-closed", "mp-quadratic", m(c, z), form=root,
            branch=[Asymptotic(z * m(c, z), z, sp.I * sp.oo, -1),
                    Holds(sp.im(m(c, z)) > 0, where=[sp.im(z) > 0]),
                    Holds(sp.im(m(c, z)) < 0, where=[sp.im(z) < 0])],
            explanation="The product of principal roots has its cut on the support "
                        "$[(1-\\sqrt c)^2, (1+\\sqrt c)^2]$, so one formula holds on all of "
                        "$\\mathbb{C}$ off the support. A Stieltjes transform maps each half-plane "
                        "into itself, which names the root off the real axis; on it, the root is the "
                        "one followed in from $i\\infty$.")

    D.series("mp-moments", m(c, z), z, sp.oo, 6, uses=["mp-closed"],
             form=-sum(narayana_moment(k).doit() / z ** (k + 1) for k in range(5)) + sp.O(z ** -6, (z, sp.oo)),
             explanation="$m(z) = -\\sum_k \\mu_k z^{-k-1}$: the moments of the law are the "
                         "Narayana polynomials $\\mu_k = \\sum_{j=1}^k N(k, j) c^{j-1}$, "
                         "$N(k, j) = \\binom{k}{j}\\binom{k}{j-1}/k$.")

    D.define("M-def", sp.Eq(M(kappa, x), m(1 / kappa, -x)),
             explanation="$M_\\kappa(x) = \\lim \\tfrac1d \\operatorname{tr}(R + x)^{-1}$ with "
                         "$R = \\tfrac1k\\sum_{j\\le k} w_j w_j^\\top$, $k = \\kappa d$: the aspect "
                         "ratio is $d/k = 1/\\kappa$ and $z = -x$.",
             ref="Lu et al. 2025, $M_\\kappa$ (authors' code M_kappa)")

    D.step("M-quadratic", sp.Eq(x / kappa * M(kappa, x) ** 2 + (x + 1 - 1 / kappa) * M(kappa, x) - 1, 0),
           uses=["M-def", "mp-quadratic"],
           explanation="The quadratic at $c = 1/\\kappa$, $z = -x$, times $-1$.",
           ref="Lu et al. 2025, the quadratic of $M_\\kappa$")

    disc = (x + 1 - 1 / kappa) ** 2 + 4 * x / kappa
    D.solve("M-closed", "M-quadratic", M(kappa, x), form=2 / ((x + 1 - 1 / kappa) + sp.sqrt(disc)),
            branch=[Holds(M(kappa, x) > 0), Asymptotic(x * M(kappa, x), x, sp.oo, 1)],
            explanation="The positive root, written without cancellation.",
            ref="Lu et al. 2025, $M_\\kappa$ (authors' code M_kappa)")

    D.step("parametrisations", sp.Eq(2 / ((x + 1 - 1 / kappa) + sp.sqrt(disc)), m(1 / kappa, -x)),
           uses=["mp-closed"],
           explanation="The positive root on the negative axis is the Stieltjes branch: the two "
                       "parametrisations agree.")

    D.differentiate("M-diff", "M-quadratic", x)
    D.solve("M-prime", "M-diff", sp.Derivative(M(kappa, x), x))
    D.step("M-prime-compact",
           sp.Eq(sp.Derivative(M(kappa, x), x),
                 -M(kappa, x) ** 2 * (M(kappa, x) + kappa) / (kappa + x * M(kappa, x) ** 2)),
           uses=["M-prime", "M-quadratic"],
           explanation="The derivative reduced modulo the quadratic of $M_\\kappa$.",
           ref="Lu et al. 2025, $M_\\kappa'$ (a reduced form, derived here)")
    D.step("M-prime-k",
           sp.Eq(sp.Derivative(M(kappa, x), x),
                 -M(kappa, x) ** 2 / (1 - kappa * (M(kappa, x) / (kappa + M(kappa, x))) ** 2)),
           uses=["M-prime-compact", "M-quadratic"],
           explanation="The form $M' = -k(x) M^2$, $k(x) = (1 - \\kappa (M/(\\kappa+M))^2)^{-1}$.",
           ref="Lu et al. 2025, $k^*$ of Result 1 (authors' code ridgeless_icl)")
    D.step("M-prime-sqrt",
           sp.Eq(sp.Derivative(M(kappa, x), x),
                 -M(kappa, x) ** 2 / 2 * (1 + (x + 1 + 1 / kappa) / sp.sqrt(disc))),
           uses=["M-prime-compact", "M-closed"],
           explanation="The form used in the authors' code.",
           ref="Lu et al. 2025, code S_Wishart_derivative")

    D.limit("M-kappa-infinity", M(kappa, x), kappa, sp.oo, uses=["M-closed"],
            explanation="Infinite task diversity: $R \\to I$.",
            ref="Lu et al. 2025, $M_\\kappa$ at infinite task diversity")

    D.define("g-def", sp.Eq(g, M(kappa / tau, x)))
    nu = x + (1 - tau) / (tau * g)
    D.step("subordination-root",
           sp.Eq(nu / kappa * (tau * g) ** 2 + (nu + 1 - 1 / kappa) * (tau * g) - 1, 0),
           uses=["g-def", "M-quadratic"],
           explanation="$\\tau g$ solves the quadratic of $M_\\kappa$ at $x + (1-\\tau)/(\\tau g)$.")
    D.step("subordination", sp.Eq(M(kappa, nu), tau * g),
           uses=["subordination-root", "g-def", "M-closed"], conditions=[nu > 0],
           explanation="It is the positive root wherever the argument is positive (always for "
                       "$\\tau \\le 1$).",
           ref="Lu et al. 2025, ridgeless $\\tau < 1$: the identity behind $\\mu^*$ of the authors' code")

    # M is a Stieltjes transform at -x < 0 of a law on [0, oo): positive and decreasing.
    D.quantity("M", "M-closed", (kappa, x), range=(0, None),
               description="M_kappa(x), Stieltjes transform of MP_{1/kappa} at -x")
    D.quantity("M_prime", "M-prime-sqrt", (kappa, x), uses=["M-closed"], range=(None, 0),
               description="d M_kappa / dx")
    D.quantity("m", "mp-closed", (c, z), description="Stieltjes transform of MP(c) at complex z")
    return D


#: The entry point (``derive.papers``): built on first use, once per process.
paper = Paper(build, TITLE)


def __getattr__(name):
    if name == "derivation":  # the built derivation, for ``from ... import derivation``
        return paper.derivation()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
