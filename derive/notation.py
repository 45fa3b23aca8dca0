"""Notation that has a meaning but no formula: ``Meaning(latex)``.

A random-matrix derivation starts from objects sympy cannot evaluate, such as
``m(c, z) := lim (1/d) tr (W - z)^{-1}``.  Their definition is written
``Eq(m(c, z), Meaning(r"\\lim_{d\\to\\infty} \\tfrac1d \\operatorname{tr}(W - z)^{-1}"))``: it
prints as the LaTeX given, introduces the name, and binds nothing, so no checker ever
substitutes it.  What the name satisfies is then stated as a *fact* and checked by simulation.
"""

from __future__ import annotations

import re
import unicodedata

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

    def exists_given(self, cited):
        """Whether the cited steps establish that this object is a finite number (a mean may be
        infinite: ``<1/U>``).  Nothing is established of an object the core knows no more of."""
        return False

    def specimen(self, chosen, rng):
        """One member of the family this object ranges over, as a formula, for testing an
        identity that holds for every member (a calculus rule: ``d/dx <f> = <df/dx>`` holds for
        every law, so for a finite spectrum): an expression, or None when there is no such
        member.  ``chosen`` is shared by the objects of one expression, so that two means over
        one law get the same law."""
        return None


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


# -- the notation as plain text (derive show, derive list) -------------------------------------

#: LaTeX commands that read as one character.
_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "infty": "∞", "cdot": "·", "times": "×",
    "leq": "≤", "geq": "≥", "le": "≤", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "to": "→",
    "rightarrow": "→", "mapsto": "↦", "partial": "∂", "int": "∫", "sum": "∑", "prod": "∏", "pm": "±",
    "in": "∈", "ell": "ℓ", "nabla": "∇", "propto": "∝", "sim": "∼", "equiv": "≡", "quad": "  ", "qquad": "    ",
    "log": "log", "ln": "ln", "exp": "exp", "lim": "lim", "sin": "sin", "cos": "cos", "tanh": "tanh",
    "min": "min", "max": "max", "det": "det", "langle": "⟨", "rangle": "⟩", "lvert": "|", "rvert": "|",
    "dots": "…", "ldots": "…", "cdots": "⋯", "prime": "′", "colon": ":", "mid": "|", "top": "T",
}
#: Accents, as combining characters after the letter.
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303", "bar": "\u0304",
            "overline": "\u0305", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7", "check": "\u030c",
            "breve": "\u0306"}
_SUPERSCRIPT = dict(zip("0123456789+-=()n*iT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ*ⁱᵀ"))
_SUBSCRIPT = dict(zip("0123456789+-=()aeoxhklmnpstijruv", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ"))
_SPACES = {",": " ", ";": " ", ":": " ", "!": "", " ": " "}


def _group(tex, i):
    """``(text of the group at i, index after it)``: a braced group, a command, or one character."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] == "{":
        depth, j = 0, i
        while j < len(tex):
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            if depth == 0:
                return tex[i + 1:j], j + 1
            j += 1
        return tex[i + 1:], len(tex)
    if tex[i] == "\\":
        j = i + 1
        while j < len(tex) and tex[j].isalpha():
            j += 1
        return tex[i:max(j, i + 2)], max(j, i + 2)
    return tex[i], i + 1


def _script(text, table, mark):
    """A sub- or superscript: in Unicode's small characters when each has one, else ``mark(...)``
    (``x^{2}`` -> ``x²``, ``e_{ICL}`` -> ``e_ICL``)."""
    word = len(text) > 1 and text.isalpha()  # a word in small letters is hard to read: e_icl, not eᵢ꜀ₗ
    if text and not word and all(c in table for c in text):
        return "".join(table[c] for c in text)
    if len(text) == 1 or text.replace(" ", "").isalnum() and mark == "_" or text in ("*", "′"):
        return mark + text if text not in ("*", "′") else text
    return f"{mark}({text})"


def _compound(text):
    """``text`` in parentheses unless it is one term already (``x``, ``12``, ``√(a + b)``, ``(a)``)."""
    return text if _atomic(text) else f"({text})"


def _atomic(text):
    if len(text) <= 1 or text.replace(".", "").isalnum():
        return True
    head = re.match(r"[√\w]*", text).end()
    rest = text[head:]
    if not (rest.startswith("(") and rest.endswith(")")):
        return False
    depth = 0
    for k, c in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0 and k < len(rest) - 1:
            return False  # "(a) + (b)": two groups
    return True


def plain(tex):
    """LaTeX math as one line of Unicode text, for a terminal: Greek letters, accents,
    sub- and superscripts in Unicode where they exist, fractions as ``a/b``.

    >>> plain(r"M_{\\kappa}\\left(x\\right) = \\frac{1}{\\sqrt{1 + \\hat{\\sigma}^{2}}}")
    'M_κ(x) = 1/√(1 + σ̂²)'
    >>> plain(r"e^{\\mathrm{ICL}} \\leq \\tau^{-1}")
    'e^(ICL) ≤ τ⁻¹'
    """
    out, i = [], 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            command, i = _group(tex, i)
            name = command[1:]
            if name in ("left", "right", "big", "Big", "bigl", "bigr", "Bigl", "Bigr", "displaystyle",
                        "textstyle", "limits", "nonumber"):
                continue
            if name in _SPACES:
                out.append(_SPACES[name])
            elif name == "binom":
                top, i = _group(tex, i)
                bottom, i = _group(tex, i)
                out.append(f"C({plain(top)}, {plain(bottom)})")
            elif name in ("frac", "dfrac", "tfrac"):
                top, i = _group(tex, i)
                bottom, i = _group(tex, i)
                out.append(f"{_compound(plain(top))}/{_compound(plain(bottom))}")
            elif name == "sqrt":
                inner, i = _group(tex, i)
                out.append(f"√{_compound(plain(inner))}")
            elif name in _ACCENTS:
                inner, i = _group(tex, i)
                text = plain(inner)
                out.append(text + _ACCENTS[name] if len(text) == 1 else f"{text}{_ACCENTS[name]}")
            elif name in ("mathrm", "text", "operatorname", "mathit", "mathbf", "mathcal", "mathbb", "textrm",
                          "mathsf", "mathtt", "boldsymbol", "textit", "emph"):
                inner, i = _group(tex, i)
                word = plain(inner)
                # An operator name is a word of its own: "1/d tr(W)", not "1/dtr(W)".
                space = " " if name == "operatorname" and out and out[-1][-1:].isalnum() else ""
                out.append(space + word)
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            elif name in ("{", "}", "%", "$", "&", "#", "_"):
                out.append(name)
            elif name == "\\":
                out.append("; ")
            else:
                out.append(name)
        elif c in "^_":
            inner, i = _group(tex, i + 1)
            text = plain(inner)
            out.append(_script(text, _SUPERSCRIPT if c == "^" else _SUBSCRIPT, c))
        elif c in "{}":
            i += 1
        elif c == "~":
            out.append(" ")
            i += 1
        else:
            out.append(c)
            i += 1
    # NFC: an accent composed with its letter where Unicode has the pair (ŷ is one character).
    text = re.sub(r" {2,}", " ", "".join(out))
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))  # "\left(z \right)" is "(z)"
    return unicodedata.normalize("NFC", text.strip())


def plain_text(text):
    """Prose with ``$...$`` math (a title, an explanation) as plain text: the math by
    :func:`plain`, the prose as written.

    >>> plain_text(r"The Marchenko-Pastur law and the $M_\\kappa$ form of Lu et al.")
    'The Marchenko-Pastur law and the M_κ form of Lu et al.'
    """
    return "".join(plain(part[1:-1]) if len(part) > 1 and part.startswith("$") and part.endswith("$") else part
                   for part in re.split(r"(\$[^$]*\$)", text))


def plain_expr(expr, derivation=None):
    """A sympy expression in ``derivation``'s notation (its LaTeX symbol map and function
    subscripts, :func:`derive.latex.printer`) as one line of plain text."""
    from .latex import printer

    return plain(printer(derivation).doprint(expr))
