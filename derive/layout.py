"""Displayed relations that fit the line: break at the terms of a sum, name what is still too wide.

A long formula in a paper is not shrunk: it is broken after a relation or before a ``+``, and
a sub-expression too wide for any line is given a name and written out below, "where
A = ...".  :func:`display` does that for a relation ``lhs rel rhs``:

1. the relation on one line, when it fits;
2. otherwise amsmath's ``split``: the first line ``lhs = t_1 + t_2``, the following lines
   ``+ t_3 + ...`` indented by a quad, filled greedily;
3. a term (or a side) wider than a whole line has its widest sum, then its widest compound
   sub-expression, replaced by a calligraphic name (``\\mathcal{A}``, ...) until it fits; each
   name is defined below the equation, laid out the same way.

Widths are estimated from the LaTeX text (:func:`width`), in em of the display font, from the
widths of Computer Modern's glyphs and TeX's math spacing (TeXbook, ch. 18): a fraction is as
wide as the wider of its numerator and denominator, scripts are set at 70% and 50%, a binary
operator or relation carries its spacing.  The estimate is calibrated against widths TeX
measured on the shipped derivations (``tests/test_latex.py`` checks it, and that no line of
a shipped document overflows); it needs no TeX installation, so the layout does not depend on
whether ``pdflatex`` is present.

>>> import sympy as sp
>>> from derive.latex import DerivePrinter
>>> x = sp.Symbol("x")
>>> lines, where = display(sp.Symbol("f"), "=", sum(x**k / (k + 1) for k in range(30)),
...                        DerivePrinter())
>>> len(lines) > 1, where
(True, [])
"""

from __future__ import annotations

import itertools
import re
import string

import sympy as sp

#: The text width of the standalone document (11pt article: 345 pt = 31.5 em of the 11 pt
#: font), less room for the equation number and the estimate's error (TeX measured up to 15%
#: more than the estimate on nine in ten of the shipped equations).
LINE = 26.0

#: A sub-expression narrower than this (in em) is never given a name: naming ``tau - 1`` saves
#: nothing a reader wants saved.
SHORTEST_NAMED = 5.0

#: Indentation of a continuation line (``\quad``).
INDENT = 1.0

#: Sizes of the four math styles (display, text, script, scriptscript) relative to the font.
_SIZE = (1.0, 1.0, 0.7, 0.5)

_OPERATOR_NAMES = {"lim", "log", "ln", "exp", "sin", "cos", "tan", "max", "min", "det", "sup", "inf",
                   "arg", "Re", "Im", "sinh", "cosh", "tanh", "limsup", "liminf", "sgn", "operatorname"}
_RELATIONS = {"to", "leq", "geq", "le", "ge", "neq", "approx", "simeq", "sim", "equiv", "rightarrow",
              "mapsto", "in", "coloneqq"}
_BINARY = {"cdot", "times", "pm", "mp", "circ", "boxtimes", "boxplus", "otimes", "oplus"}
_SPACES = {",": 0.17, ";": 0.28, ":": 0.22, "!": -0.17, " ": 0.33, "quad": 1.0, "qquad": 2.0}
_SAME_WIDTH = {"hat", "tilde", "bar", "overline", "vec", "dot", "ddot", "check", "breve", "mathcal",
               "mathbb", "mathbf", "boldsymbol", "mathit", "mathsf", "widehat", "widetilde",
               "displaystyle", "textstyle"}
_UPRIGHT = {"mathrm", "text", "textrm", "operatorname", "textit", "emph", "texttt"}


def width(tex, style=0):
    """The estimated width of math-mode LaTeX ``tex``, in em, set in ``style`` (0 = display).

    >>> width("x") < width("x + y") < width(r"\\frac{x + y + z}{2}") + 1.5
    True
    >>> abs(width(r"\\frac{a + b}{c}") - width("a + b")) < 0.3
    True
    """
    return _Scanner(tex).run(style)


class _Scanner:
    """A recursive pass over LaTeX math text that adds up glyph and spacing widths."""

    def __init__(self, tex):
        self.tex, self.at = tex, 0

    def run(self, style):
        total = 0.0
        while self.at < len(self.tex):
            if self.tex[self.at] == "}":
                self.at += 1
                break
            total += self.item(style)
        return total

    def item(self, style):
        size, spaced = _SIZE[style], style < 2
        c = self.tex[self.at]
        self.at += 1
        if c == "{":
            return self.run(style)
        if c in "^_":
            script = self.argument(min(3, max(2, style + 2 - (style % 2 == 1))))
            # A subscript and a superscript on one base are stacked: count the wider one once.
            if self.tex.startswith("^" if c == "_" else "_", self.at):
                self.at += 1
                script = max(script, self.argument(min(3, max(2, style + 1))))
            return script
        if c == "\\":
            return self.command(style, size, spaced)
        if c.isspace():
            return 0.0
        if c in "+-=<>":
            return (1.3 if spaced else 0.8) * size if c in "+-" else (1.35 if spaced else 0.8) * size
        if c in "()[]|":
            return 0.39 * size
        if c in ",;":
            return 0.45 * size
        if c in ".'":
            return 0.28 * size
        if c in string.digits:
            return 0.5 * size
        if c.isupper():
            return 0.72 * size
        return 0.55 * size

    def argument(self, style):
        """The width of one argument: a braced group or a single token."""
        while self.at < len(self.tex) and self.tex[self.at].isspace():
            self.at += 1
        if self.at >= len(self.tex):
            return 0.0
        if self.tex[self.at] == "{":
            self.at += 1
            return self.run(style)
        return self.item(style)

    def word(self):
        match = re.compile(r"[A-Za-z]+|.").match(self.tex, self.at)
        self.at = match.end()
        return match.group(0)

    def skip_group(self):
        """The text of a braced group (for upright words), skipped."""
        while self.at < len(self.tex) and self.tex[self.at].isspace():
            self.at += 1
        if self.at < len(self.tex) and self.tex[self.at] == "{":
            depth, start = 0, self.at
            for i in range(self.at, len(self.tex)):
                depth += {"{": 1, "}": -1}.get(self.tex[i], 0)
                if depth == 0:
                    self.at = i + 1
                    return self.tex[start + 1:i]
        return self.word()

    def command(self, style, size, spaced):
        name = self.word()
        if name in _SPACES:
            return _SPACES[name] * size
        if name in ("frac", "dfrac", "tfrac", "binom"):
            inner = {"dfrac": 1}.get(name, min(3, style + 1) if style > 0 else 1)
            if name == "tfrac":
                inner = 2
            return max(self.argument(inner), self.argument(inner)) + 0.2 * size
        if name == "sqrt":
            if self.tex.startswith("[", self.at):
                self.at = self.tex.index("]", self.at) + 1
            return self.argument(style) + 0.85 * size
        if name in ("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr"):
            if name in ("left", "right"):
                delimiter = self.word()
                if delimiter == "\\":
                    self.word()
                return 0.0 if delimiter == "." else 0.45 * size
            return 0.0
        if name in _UPRIGHT:
            text = self.skip_group()
            extra = 0.17 if name == "operatorname" else 0.0
            return 0.5 * size * len(re.sub(r"\\[A-Za-z]+|[{}\\]", "", text)) + extra
        if name in _SAME_WIDTH:
            return self.argument(style)
        if name in _OPERATOR_NAMES:
            base = 0.5 * size * len(name) + (0.17 if spaced else 0.0)
            if name in ("lim", "max", "min", "sup", "inf") and self.tex.startswith("_", self.at) and style == 0:
                self.at += 1
                return max(base, self.argument(2))  # the limit's subscript is set below it
            return base
        if name in ("sum", "prod", "int"):
            return 1.2 * size
        if name in _RELATIONS:
            return (1.45 if spaced else 0.9) * size
        if name in _BINARY:
            return (1.0 if spaced else 0.6) * size
        if name in ("infty",):
            return 1.0 * size
        if name in ("label", "tag"):
            self.skip_group()
            return 0.0
        if name in ("eqref", "ref"):
            self.skip_group()
            return 2.5 * size  # "(12)"
        if len(name) == 1 and not name.isalpha():  # \{ \} \% \& \$ \_ \#
            return 0.5 * size
        return 0.6 * size  # a Greek letter or another symbol


def _names():
    """Calligraphic names for abbreviations: A, B, ..., Z (not O, the order symbol), A_2, ..."""
    letters = [c for c in string.ascii_uppercase if c != "O"]
    for round_ in itertools.count(1):
        for c in letters:
            yield rf"\mathcal{{{c}}}" + (f"_{{{round_}}}" if round_ > 1 else "")


def _named(printer, names):
    """A printer like ``printer`` that also prints the abbreviation symbols ``names``."""
    settings = dict(printer._settings)
    settings["symbol_map"] = {**settings.get("symbol_map", {}), **names}
    return type(printer)({k: settings[k] for k in ("symbol_map", "function_subscripts")})


class Abbreviations:
    """The names one document gives to sub-expressions: one name per quantity, never a letter
    redefined.  A sub-expression named in one equation keeps its name in every later one
    (:func:`display` then reuses it, and the document says where it was defined).

    >>> import sympy as sp
    >>> from derive.latex import DerivePrinter
    >>> x = sp.Symbol("x")
    >>> wide = sum(x**k / (k + 1) for k in range(40))
    >>> names = Abbreviations()
    >>> _, first = display(sp.Symbol("f"), "=", sp.sin(wide), DerivePrinter(), abbreviations=names, label="f")
    >>> _, second = display(sp.Symbol("g"), "=", sp.cos(wide), DerivePrinter(), abbreviations=names, label="g")
    >>> first[0][0] == r"\\mathcal{A}", second, names.origin[r"\\mathcal{A}"]
    (True, [], 'f')
    """

    def __init__(self):
        self.by_expr = {}    # sub-expression -> its abbreviation symbol
        self.names = {}      # symbol name -> LaTeX
        self.origin = {}     # LaTeX -> label of the equation that defines it

    def pool(self):
        return _names()


def _repeated(expr):
    """The compound sub-expressions that occur more than once in ``expr`` (not counting those
    inside a repeated one)."""
    seen, twice = set(), set()
    for sub in sp.preorder_traversal(expr):
        if sub.is_Atom or not sub.free_symbols:
            continue
        (twice if sub in seen else seen).add(sub)
    return twice


def display(lhs, relation, rhs, printer, conditions=(), line=LINE, abbreviations=None, label=None):
    """``lhs relation rhs`` as display lines, and the names it needed.

    Returns ``(lines, where)``: ``lines`` are the lines of an amsmath ``split`` (the first
    holds ``&`` before the relation, the others start with ``&\\quad``); a single line has no
    ``&``.  ``where`` is a list of ``(name, lines)``, each name's definition laid out the same
    way, in the order the names were introduced.  With ``abbreviations`` (one
    :class:`Abbreviations` per document) a sub-expression named before keeps its name and is
    not defined again; ``label`` is recorded as where the new names are defined.  No
    display has more than :data:`MAX_LINES` lines: a longer sum is cut into consecutive runs
    of its terms, each named.
    """
    return _Layout(printer, line, abbreviations, label).relation(lhs, relation, rhs, conditions)


#: The most lines one display (an equation, or one name's definition) may have: about a third
#: of a page when its lines hold fractions.
MAX_LINES = 6


class _Layout:
    """One equation's layout, drawing names from the document's :class:`Abbreviations`."""

    def __init__(self, printer, line, abbreviations=None, label=None):
        self.base, self.line = printer, line
        self.shared = abbreviations if abbreviations is not None else Abbreviations()
        self.label = label
        self.where = []        # (LaTeX name, lines)
        self.used = set()
        self.repeated = set()  # compound sub-expressions the equation has more than once

    @property
    def names(self):
        return self.shared.names

    @property
    def printer(self):
        return _named(self.base, self.names)

    def tex(self, expr):
        return self.printer.doprint(expr) if isinstance(expr, sp.Basic) else str(expr)

    def relation(self, lhs, relation, rhs, conditions):
        self.used = set(re.findall(r"\\mathcal\{\w\}(?:_\{\d+\})?", self.tex(lhs) + self.tex(rhs)))
        self.used |= set(self.shared.origin)
        self.repeated = _repeated(sp.Tuple(lhs, rhs) if isinstance(lhs, sp.Basic) else rhs)
        if width(f"{self.tex(lhs)} {relation} {self.tex(rhs)}") > 2 * self.line:
            lhs, rhs = self.name_repeated(lhs, rhs)
        lines = self._relation(lhs, relation, rhs, conditions)
        # A name found for one term is used in every term: lay the equation out again with it.
        introduced = {name for name, _ in self.where}
        mapping = {part: symbol for part, symbol in self.shared.by_expr.items()
                   if self.names.get(symbol.name) in introduced}
        again = [e.xreplace(mapping) if isinstance(e, sp.Basic) else e for e in (lhs, rhs)]
        if mapping and again != [lhs, rhs]:
            lines = self._relation(again[0], relation, again[1], conditions)
        return lines, self.where

    def name_repeated(self, lhs, rhs):
        """An equation wider than two lines first names what it repeats (each repeated
        compound sub-expression at least :data:`SHORTEST_NAMED` wide, the smaller first): the
        reader meets each quantity once."""
        named = {}
        wide = [p for p in self.repeated if width(self.tex(p)) >= SHORTEST_NAMED]
        # The smaller first, so that the larger are written with their names; a larger one that
        # those names leave narrow, or no longer repeated, keeps its few symbols.
        # (By size of tree, not width: a part is always sorted after the parts inside it.)
        size = lambda p: sum(1 for _ in sp.preorder_traversal(p))
        for part in sorted(wide, key=lambda p: (size(p), sp.default_sort_key(p))):
            short = part.xreplace(named)
            # A negated quantity is not named (-x M reads worse as G than written out).
            if part in named or short.could_extract_minus_sign() or width(self.tex(short)) < SHORTEST_NAMED:
                continue
            symbol = self.name(short)
            self.shared.by_expr.setdefault(part, symbol)
            named[part] = symbol
        replace = lambda e: e.xreplace(named) if isinstance(e, sp.Basic) else e
        return replace(lhs), replace(rhs)

    def _relation(self, lhs, relation, rhs, conditions):
        cond = ", ".join(self.tex(c) for c in conditions)
        tail = rf", \qquad {cond}" if cond else ""
        one = f"{self.tex(lhs)} {relation} {self.tex(rhs)}"
        if width(one + tail) <= self.line:
            return [one + tail]
        rest = self.line - INDENT
        if width(self.tex(lhs)) <= self.line / 2:
            # Aligned at the relation: "lhs &= t_1 + t_2 \\ &\quad + t_3".
            head = f"{self.tex(lhs)} &{relation} "
            first = self.line - width(f"{self.tex(lhs)} {relation} ")
            lines, room = self.fill(head, self.pieces(rhs, first, rest), first, r"&\quad ", rest)
        else:
            # A wide left side: flush-left lines, the left side broken at its terms, and the
            # relation opening the right side on a line of its own.
            lines, _ = self.fill("&", self.pieces(lhs, self.line, rest), self.line, r"&\quad ", rest)
            room = rest - width(f"{relation} ")
            more, room = self.fill(rf"&\quad {relation} ", self.pieces(rhs, room, room), room,
                                   r"&\qquad ", rest - INDENT)
            lines += more
        if cond:
            if width(tail) <= room:
                lines[-1] += tail
            else:
                lines.append(rf"&\qquad {cond}")
        if len(lines) == 1:  # the pieces fit on one line after all: nothing to align
            lines[0] = lines[0].replace("&", "", 1)
        if len(lines) > MAX_LINES and isinstance(rhs, sp.Add):
            shorter = self.runs(rhs, rest * (MAX_LINES - 1))
            if shorter is not None:
                return self._relation(lhs, relation, shorter, conditions)
        return lines

    def runs(self, rhs, room):
        """``rhs`` as a sum of names, each for a run of consecutive terms (in the printed
        order) at most ``room`` em wide; None when that leaves one run."""
        chunks, current, used = [], [], 0.0
        for negative, term in self.printer.signed_terms(rhs):
            w = width(self.tex(term)) + 1.3
            if current and used + w > room:
                chunks.append(current)
                current, used = [], 0.0
            current.append(-term if negative else term)
            used += w
        chunks.append(current)
        if len(chunks) < 2:
            return None
        return sp.Add(*(self.name(sp.Add(*chunk, evaluate=False)) for chunk in chunks), evaluate=False)

    @staticmethod
    def fill(head, pieces, first, continuation, rest):
        """``pieces`` packed greedily into lines: the first starts with ``head`` and has ``first``
        em of room, the others start with ``continuation`` and have ``rest``.  Returns the lines
        and the room left on the last."""
        lines, room, empty = [head], first, True
        for piece in pieces:
            w = width(piece)
            if not empty and w > room:
                lines.append(continuation)
                room = rest
            lines[-1] += piece
            room -= w
            empty = False
        return lines, room

    def pieces(self, rhs, first, rest):
        """The terms of ``rhs`` as printed (with their signs), each narrow enough for a line: the
        first in ``first`` em, the others in ``rest``."""
        if not isinstance(rhs, sp.Add):
            return [self.tex(self.fit(rhs, first))]
        out = []
        for i, (negative, term) in enumerate(self.printer.signed_terms(rhs)):
            sign = (" - " if negative else " + ") if i else ("- " if negative else "")
            term = self.fit(term, (first if i == 0 else rest) - width(sign))
            text = self.tex(term)
            if self.printer._needs_add_brackets(term):
                text = rf"\left({text}\right)"
            out.append(sign + text)
        return out

    def fit(self, expr, room):
        """``expr`` with sub-expressions replaced by names until it is at most ``room`` wide."""
        while isinstance(expr, sp.Basic) and width(self.tex(expr)) > room:
            part = self.widest_part(expr)
            if part is None:
                break
            expr = expr.xreplace({part: self.name(part)})
        return expr

    def widest_part(self, expr):
        """The sub-expression to name: the widest sum inside ``expr``, else the widest compound;
        None when nothing inside is wide enough to be worth a name (:data:`SHORTEST_NAMED`)."""
        candidates = [s for s in sp.preorder_traversal(expr)
                      if s is not expr and isinstance(s, sp.Basic) and not s.is_Atom
                      and not isinstance(s, (sp.core.relational.Relational, sp.Tuple))
                      and s.free_symbols and not (isinstance(s, sp.Pow) and s.exp == -1)
                      and width(self.tex(s)) >= SHORTEST_NAMED]
        if not candidates:
            return None
        # A quantity named before keeps its name: the reader has met it.
        known = [s for s in candidates if s in self.shared.by_expr]
        if known:
            return max(known, key=lambda s: width(self.tex(s)))
        # Then a quantity the equation uses more than once: one name saves every repetition.
        repeated = [s for s in candidates if s in self.repeated]
        if repeated:
            return max(repeated, key=lambda s: width(self.tex(s)))
        sums = [s for s in candidates if isinstance(s, sp.Add)]
        return max(sums or candidates, key=lambda s: width(self.tex(s)))

    def name(self, part):
        """The name of ``part``: the one the document gave it before, else a new one, defined
        below this equation."""
        known = self.shared.by_expr.get(part)
        if known is not None:
            return known
        tex = next(t for t in self.shared.pool() if t not in self.used)
        self.used.add(tex)
        symbol = sp.Symbol(f"_derive_abbreviation_{len(self.names)}")
        self.names[symbol.name] = tex
        self.shared.by_expr[part] = symbol
        self.shared.origin[tex] = self.label
        slot = len(self.where)
        self.where.append((tex, None))
        self.where[slot] = (tex, self._relation(symbol, "=", part, ()))
        return symbol
