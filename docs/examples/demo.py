"""The smallest derivation: a definition and one algebraic consequence.

    derive check docs/examples/demo.py
"""

import sympy as sp

from derive import Derivation

D = Derivation("demo", title="Demo")
a, b, s = sp.symbols("a b s", positive=True)
D.define("s-def", sp.Eq(s, a + b))
D.step("s-square", sp.Eq(s**2, a**2 + 2*a*b + b**2), uses=["s-def"])
derivation = D
