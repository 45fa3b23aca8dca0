"""Notation that has a meaning but no formula: ``Meaning(latex)``.

A random-matrix derivation starts from objects sympy cannot evaluate, such as
``m(c, z) := lim (1/d) tr (W - z)^{-1}``.  Their definition is written
``Eq(m(c, z), Meaning(r"\\lim_{d\\to\\infty} \\tfrac1d \\operatorname{tr}(W - z)^{-1}"))``: it
prints as the LaTeX given, introduces the name, and binds nothing, so no checker ever
substitutes it.  What the name satisfies is then stated as a *fact* and checked by simulation.
"""

from __future__ import annotations

import sympy as sp


class Meaning(sp.Atom):
    """An opaque value, printed as its LaTeX; it has no numeric value."""

    is_commutative = True

    def __new__(cls, latex, text=""):
        obj = sp.Atom.__new__(cls)
        obj.latex_text = str(latex)
        obj.plain_text = str(text) or str(latex)
        return obj

    def _hashable_content(self):
        return (self.latex_text,)

    def __getnewargs__(self):
        return (self.latex_text, self.plain_text)

    def _latex(self, printer):
        return self.latex_text

    def _sympystr(self, printer):
        return f"<{self.plain_text}>"

    def _sympyrepr(self, printer):
        return f"Meaning({self.latex_text!r})"
