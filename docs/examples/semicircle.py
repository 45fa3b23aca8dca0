"""Tutorial example: the semicircle law (docs/tutorial.md, section 3).

    derive check docs/examples/semicircle.py
"""

import numpy as np
import sympy as sp

from derive import Asymptotic, Derivation, Holds, Simulation
from derive.notation import Meaning

z = sp.Symbol("z")
m = sp.Function("m")


def sample(rng, d, point):
    """(1/d) tr (W - z)^{-1} for a GOE matrix W normalised to the semicircle on [-2, 2]."""
    A = rng.standard_normal((d, d))
    W = (A + A.T) / np.sqrt(2 * d)
    return {m(z): np.mean(1 / (np.linalg.eigvalsh(W) - complex(point[z])))}


D = Derivation("semicircle", title="The semicircle law", latex_subscripts={})
D.parameter(z, description="spectral parameter")
D.define("m-def", sp.Eq(m(z), Meaning(r"\lim_{d\to\infty}\tfrac1d\operatorname{tr}(W-z)^{-1}")))
D.fact("quadratic", sp.Eq(m(z)**2 + z*m(z) + 1, 0), uses=["m-def"],
       check=Simulation(sample, points=[{z: 1 + 1j}, {z: -3.0}], sizes=(100, 200, 400),
                        trials=20, seed=1, tolerance=1e-2))
D.solve("closed", "quadratic", m(z), form=(-z + sp.sqrt(z - 2)*sp.sqrt(z + 2))/2,
        branch=[Asymptotic(z*m(z), z, sp.I*sp.oo, -1),
                Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0]),
                Holds(sp.im(m(z)) < 0, where=[sp.im(z) < 0])])
D.series("moments", m(z), z, sp.oo, 6, uses=["closed"],
         explanation="The even moments are the Catalan numbers 1, 1, 2.")
D.quantity("m", "closed", (z,))
derivation = D
