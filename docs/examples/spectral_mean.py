"""A quantity with a spectral mean, and one with gamma functions, for `derive eval`
(docs/cli.md, "Spectral means" and "Special functions").

    derive check docs/examples/spectral_mean.py
    derive eval docs/examples/spectral_mean.py df1 lam=0.1,1 --spectrum R=mp(0.5)
    derive eval docs/examples/spectral_mean.py df1 lam=0.1,1 --spectrum R=1,2,3
    derive eval docs/examples/spectral_mean.py scale lam=0.1 alpha=1.5,2
"""

import sympy as sp

from derive import Derivation
from derive.rmt import SpectralMean

r = sp.Symbol("r", positive=True)
lam = sp.Symbol("lam", positive=True)
alpha = sp.Symbol("alpha", positive=True)
df1, scale = sp.symbols("df1 scale", real=True)

D = Derivation("spectral-mean", title="Degrees of freedom of a spectrum")
D.parameter(lam, description="ridge")
D.parameter(alpha, description="power-law exponent")
D.define("df1-def", sp.Eq(df1, SpectralMean(r / (r + lam), r, "R")),
         explanation="The degrees of freedom $\\langle R/(R + \\lambda)\\rangle$ of the spectrum of $R$.")
D.step("df1-resolvent", sp.Eq(df1, 1 - lam * SpectralMean(1 / (r + lam), r, "R")), uses=["df1-def"],
       explanation="By linearity of the mean: $r/(r + \\lambda) = 1 - \\lambda/(r + \\lambda)$.")
D.define("scale-def", sp.Eq(scale, lam ** (-1 / alpha) * sp.gamma(1 + 1 / alpha) * sp.gamma(1 - 1 / alpha)),
         explanation="A scale with gamma functions (the continuum degrees of freedom of $k^{-\\alpha}$).")
D.quantity("df1", "df1-resolvent", (lam,), range=(0, 1))
D.quantity("scale", "scale-def", (lam, alpha))

derivation = D
