"""Notation that has a meaning but no formula: ``Meaning(latex)``.

A random-matrix derivation starts from objects sympy cannot evaluate, such as
``m(c, z) := lim (1/d) tr (W - z)^{-1}``.  Their definition is written
``Eq(m(c, z), Meaning(r"\\lim_{d\\to\\infty} \\tfrac1d \\operatorname{tr}(W - z)^{-1}"))``: it
prints as the LaTeX given, introduces the name, and binds nothing, so no checker ever
substitutes it.  What the name satisfies is then stated as a *fact* and checked by simulation.
"""

from __future__ import annotations

import sympy as sp


class Opaque:
    """What the core knows of an object that has no formula (a mixin for sympy classes).

    The checker never evaluates an opaque object: a statement that still holds one after the
    bindings are substituted is not decided numerically, and a simulation must draw it or a
    cited step must evaluate it.  ``bindable`` says whether ``Eq(obj, value)`` gives it a value
    that later steps substitute (a spectral mean evaluated by a trace identity does; a
    :class:`Meaning` does not: it *is* the value of the name it defines).  A package adds its
    own opaque objects by subclassing (``derive.rmt.spectral.SpectralMean``); the core imports
    none of them.
    """

    bindable = False


class Meaning(sp.Atom, Opaque):
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
