"""derive: checked symbolic-numeric derivations for the random-matrix theory of in-context learning.

>>> import sympy as sp
>>> from derive import Derivation, check_derivation
>>> a, b, s = sp.symbols("a b s", positive=True)
>>> D = Derivation("demo")
>>> _ = D.define("s-def", sp.Eq(s, a + b))
>>> _ = D.step("s-square", sp.Eq(s**2, a**2 + 2*a*b + b**2), uses=["s-def"])
>>> [r.status for r in check_derivation(D, use_cache=False)]
['definition', 'verified']
"""

from .branch import Asymptotic, Holds
from .check import CheckResult, check_derivation
from .derivation import Derivation, Quantity
from .errors import DerivationError, DeriveError, UsageError
from .montecarlo import Simulation
from .pasted import compare
from .step import Step
from . import rules  # noqa: F401  (the rule kinds give Derivation its verbs)
from .rmt import rules as _rmt_rules  # noqa: F401  (transform, convolution)

__version__ = "0.1.0"

__all__ = ["Asymptotic", "CheckResult", "Derivation", "DerivationError", "DeriveError", "Holds",
           "Quantity", "Simulation", "Step", "UsageError", "check_derivation", "compare", "__version__"]
