"""LaTeX for derivations: a printer with a symbol map, standalone documents and fragments.

The printer is sympy's :class:`~sympy.printing.latex.LatexPrinter` with two settings:

``symbol_map``
    symbol name -> LaTeX, applied before sympy's own rules.  Names not in the map follow
    sympy's conventions (``kappa`` -> ``\\kappa``, ``x_1`` -> ``x_{1}``, ``xhat`` ->
    ``\\hat{x}``), plus ours: an accent may also be written as a suffix word (``sigma_hat``
    -> ``\\hat{\\sigma}``), a name ending in ``_star`` gets a star superscript
    (``x_star`` -> ``x^{*}``), and an underscore part that is a word sympy does not know is
    set upright (``e_icl`` -> ``e_{\\mathrm{icl}}``).  Function names follow the same rules.
``function_subscripts``
    function name -> how many leading arguments are printed as a subscript, so that
    ``M(kappa, x)`` prints as ``M_{\\kappa}(x)``.

A derivation supplies both (``Derivation.latex_names``, ``Derivation.latex_subscripts``).

>>> import sympy as sp
>>> kappa, x = sp.symbols("kappa x")
>>> M = sp.Function("M")
>>> latex(M(kappa, x) + sp.Symbol("x_star"), function_subscripts={"M": 1})
'x^{*} + M_{\\\\kappa}\\\\left(x\\\\right)'
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import sympy as sp
from sympy.printing.latex import LatexPrinter

from .errors import UsageError
from .layout import Abbreviations, display
from .notation import Meaning
from .rules import rule_for


class DerivePrinter(LatexPrinter):
    """sympy's LaTeX printer with a symbol map and subscripted function arguments."""

    _default_settings = dict(LatexPrinter._default_settings, symbol_map={}, function_subscripts={})

    def _print_Symbol(self, expr, style="plain"):
        mapped = self._settings["symbol_map"].get(expr.name)
        if mapped is not None:
            return mapped
        name = _accents_joined(expr.name)
        star = re.fullmatch(r"(.+)_star", name)
        if star:
            return f"{self._print(sp.Symbol(star.group(1)))}^{{*}}"
        word = re.fullmatch(r"([A-Za-z]+)_([A-Za-z][A-Za-z]+)", name)
        if word and self._deal_with_super_sub(word.group(2)) == word.group(2):
            # A subscript that is a word sympy does not know (not Greek, no accent) is upright.
            return f"{self._print(sp.Symbol(word.group(1)))}_{{\\mathrm{{{word.group(2)}}}}}"
        return super()._print_Symbol(sp.Symbol(name), style)

    def _hprint_Function(self, func):
        # A function's name follows the symbols' conventions: ``sigma_hat`` is \hat\sigma.
        mapped = self._settings["symbol_map"].get(func)
        if mapped is not None:
            return mapped
        if "_" in func:
            return self._print_Symbol(sp.Symbol(func))
        return super()._hprint_Function(func)

    def _print_Function(self, expr, exp=None):
        name = expr.func.__name__
        count = self._settings["function_subscripts"].get(name)
        if count is None and name in self._settings["symbol_map"]:
            count = 0  # a mapped name (g_tilde -> \tilde g) is printed by the symbol map
        if count is None or count > len(expr.args):
            return super()._print_Function(expr, exp)
        head = self._print(sp.Symbol(name))
        subscript = ", ".join(self._subscript(a) for a in expr.args[:count])
        rest = ", ".join(self._print(a) for a in expr.args[count:])
        text = f"{head}_{{{subscript}}}" if subscript else head
        if exp is not None:
            text += f"^{{{exp}}}"
        return text + (rf"\left({rest}\right)" if rest else "")

    def _print_Add(self, expr, order=None):
        """A sum in the order a paper writes it (:meth:`signed_terms`)."""
        tex = ""
        for i, (negative, term) in enumerate(self.signed_terms(expr)):
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = rf"\left({term_tex}\right)"
            tex += ("- " if negative else "") + term_tex if i == 0 else (" - " if negative else " + ") + term_tex
        return tex

    def signed_terms(self, expr):
        """The terms of the sum ``expr`` as ``(negative, term)`` pairs, ``term`` printed after the
        sign, in the order a paper writes them (:func:`arrange`); the layout breaks lines at the
        same terms (:mod:`derive.layout`)."""
        if self._settings.get("order") not in (None, "lex"):
            return arrange(expr, super()._as_ordered_terms(expr))
        return _arranged(expr)

    def _print_Collected(self, expr):
        coefficient, power = expr.args
        if coefficient == 1:
            return self._print(power)
        if isinstance(coefficient, sp.Add):
            return rf"\left({self._print(coefficient)}\right) {self._print(power)}"
        return self._print(sp.Mul(coefficient, power))

    def _subscript(self, expr):
        """A subscript with its fractions on one line (``M_{\\kappa/\\tau}``): a stacked
        fraction in a subscript is too small to read."""
        settings = {k: self._settings[k] for k in ("symbol_map", "function_subscripts")}
        return type(self)({**settings, "fold_short_frac": True})._print(expr)

    def _print_Mul(self, expr):
        # The imaginary infinity reads i\infty (sympy writes \infty i).
        if set(expr.args) in ({sp.I, sp.oo}, {sp.I, -sp.oo}, {-sp.I, sp.oo}):
            return r"- i\infty" if expr.could_extract_minus_sign() else r"i\infty"
        return super()._print_Mul(expr)

    def _print_Derivative(self, expr):
        # A first derivative of f(subscripts..., var) reads better as f'(var).
        inner = expr.expr
        if (len(expr.variable_count) == 1 and expr.variable_count[0][1] <= 2
                and isinstance(inner, sp.core.function.AppliedUndef)):
            var, order = expr.variable_count[0]
            count = self._settings["function_subscripts"].get(inner.func.__name__, 0)
            if inner.args[count:] == (var,):
                primes = "'" * order
                head = self._print(sp.Symbol(inner.func.__name__))
                subscript = ", ".join(self._subscript(a) for a in inner.args[:count])
                sub = f"_{{{subscript}}}" if subscript else ""
                return rf"{head}{sub}{primes}\left({self._print(var)}\right)"
        return super()._print_Derivative(expr)

    def _print_Subs(self, expr):
        # f'(z) at z = a reads f'(a).
        inner, (variable,), (point,) = expr.expr, expr.variables, expr.point
        if (isinstance(inner, sp.Derivative) and len(inner.variable_count) == 1
                and isinstance(inner.expr, sp.core.function.AppliedUndef) and inner.expr.args == (variable,)
                and inner.variable_count[0] == (variable, 1)):
            head = self._print(sp.Symbol(inner.expr.func.__name__))
            return rf"{head}'\left({self._print(point)}\right)"
        return super()._print_Subs(expr)


class Collected(sp.Expr):
    """``coefficient * power`` kept apart, printed as a paper writes a collected polynomial's
    term, ``(a + b) x^{2}``; only the printer builds it (:func:`arrange`), the checker never
    sees it."""

    is_commutative = True

    def could_extract_minus_sign(self):
        return self.args[0].could_extract_minus_sign()

    def __neg__(self):
        return Collected(-self.args[0], self.args[1])


#: A sum of at least this many terms, a polynomial of degree 2 or more in one of its symbols,
#: is printed collected in that symbol (a quartic as five coefficients, not 17 monomials).
COLLECT_FROM = 6


def _degree(term, symbol):
    """The integer power of ``symbol`` that is a factor of ``term`` (0 when none: a symbol
    inside a function's argument does not count)."""
    if isinstance(term, Collected):
        term = term.args[1]
    for factor in sp.Mul.make_args(term):
        if factor == symbol:
            return 1
        if isinstance(factor, sp.Pow) and factor.base == symbol and factor.exp.is_Integer and factor.exp > 0:
            return int(factor.exp)
    return 0


def _main_variable(terms):
    """The symbol a sum is a polynomial in: the one with the highest power among the terms
    (at least 2, and at two different powers), ties going to the one in more terms."""
    best, key = None, None
    symbols = set().union(*(t.free_symbols for t in terms))
    for symbol in sorted(symbols, key=str):
        degrees = [_degree(t, symbol) for t in terms]
        if max(degrees) < 2 or len(set(degrees)) < 2:
            continue
        candidate = (max(degrees), sum(1 for d in degrees if d))
        if key is None or candidate > key:
            best, key = symbol, candidate
    return best


@functools.lru_cache(maxsize=8192)
def _arranged(expr):
    """:func:`arrange` of ``expr`` from sympy's default order, remembered: a layout prints the
    same sums many times while it measures them."""
    if _written_order(expr):
        return tuple((True, -t) if t.could_extract_minus_sign() else (False, t) for t in expr.args)
    return tuple(arrange(expr, expr.as_ordered_terms()))


def _written_order(expr):
    """Whether the sum ``expr`` was built unevaluated in an order of its author's
    (``Add(1, rho, -2*tau*(1 - mu), ..., evaluate=False)``, a paper's form): sympy sorts the
    terms of every sum it evaluates, so terms out of that order were put there on purpose."""
    from sympy.core.add import _addsort

    terms = list(expr.args)
    canonical = list(terms)
    _addsort(canonical)
    numbers = [t for t in terms if t.is_Number]
    return terms != canonical and terms != numbers + [t for t in canonical if not t.is_Number]


def _heads(expr):
    """The undefined functions ``expr`` applies."""
    return {f.func for f in expr.atoms(sp.core.function.AppliedUndef)}


def _small(expr, limit):
    """Whether ``expr`` has at most ``limit`` nodes (counted no further than that)."""
    for count, _ in enumerate(sp.preorder_traversal(expr), start=1):
        if count > limit:
            return False
    return True


def _sign_group(term):
    """0 for a positive number, 1 for a positive term, 2 for a negative one, 3 for a negative
    number: ``1 + rho - kappa``, ``tau - 1``."""
    negative = term.could_extract_minus_sign()
    return (2 if negative else 1) + (1 if negative else -1) * bool(term.is_Number)


def arrange(expr, terms):
    """The terms of the sum ``expr`` (``terms`` in sympy's order) as ``(negative, term)`` pairs
    in a paper's order.

    * A polynomial of degree >= 2 in one symbol (:func:`_main_variable`) is ordered by the
      powers of that symbol: descending (``a x^2 + b x + c``), or ascending when a term
      is a positive number (``1 - 2 nu M - nu^2 M'``, a series), or when that is the way
      not to open with a minus sign (``kappa - tau^2``); with
      :data:`COLLECT_FROM` terms or more it is collected, one term per power.
      Within a power: a positive number, the positive terms, the negative ones, a negative
      number.
    * Otherwise a positive number comes first, then sympy's order with its leading negative
      terms moved to the end (``1 + rho - kappa``, not sympy's ``-kappa + rho + 1``;
      ``tau - 1``; ``1 + rho - 2 tau (1 - mu) + ...`` kept).

    Within a group sympy's order is kept, so the result is deterministic.

    >>> import sympy as sp
    >>> kappa, rho = sp.symbols("kappa rho")
    >>> [("-" if n else "+") + str(t) for n, t in arrange(1 + rho - kappa, list(sp.Add.make_args(1 + rho - kappa)))]
    ['+1', '+rho', '-kappa']
    """
    terms = list(terms)
    main = _main_variable(terms)
    if main is not None:
        if len(terms) >= COLLECT_FROM:
            groups = {}
            for t in terms:
                k = _degree(t, main)
                groups.setdefault(k, []).append(t / main**k)
            if len(groups) < len(terms):
                terms = [Collected(sp.Add(*groups[k]), main**k) for k in groups if k] + groups.get(0, [])
        ascending = any(t.is_Number and t > 0 for t in terms)
        key = lambda t: (_degree(t, main) if ascending else -_degree(t, main), _sign_group(t))
        ordered = sorted(terms, key=key)  # stable: sympy's order within a group
        if ordered[0].could_extract_minus_sign():  # kappa - tau^2, not -tau^2 + kappa
            other = sorted(terms, key=lambda t: (-key(t)[0], _sign_group(t)))
            if not other[0].could_extract_minus_sign():
                ordered = other
    else:
        numbers = [t for t in terms if t.is_Number and t > 0]
        rest = [t for t in terms if not (t.is_Number and t > 0)]
        lead = next((i for i, t in enumerate(rest) if not t.could_extract_minus_sign()), 0)
        ordered = numbers + rest[lead:] + rest[:lead]
    return [(True, -t) if t.could_extract_minus_sign() else (False, t) for t in ordered]


#: Accents a name may carry as a suffix word: ``sigma_hat`` is printed as sympy prints
#: ``sigmahat``, \hat{\sigma}; ``S_sigma_hat`` as S_{\hat{\sigma}}.
_ACCENTS = ("hat", "tilde", "bar", "dot", "ddot", "check", "breve", "vec")


def _accents_joined(name):
    return re.sub(rf"_({'|'.join(_ACCENTS)})(?=_|$)", r"\1", name)


def latex(expr, **settings):
    """LaTeX for ``expr`` with the :class:`DerivePrinter` settings given."""
    return DerivePrinter(settings).doprint(expr)


def printer(derivation):
    """The :class:`DerivePrinter` of ``derivation``: its symbol map and function subscripts.

    The one place a derivation's notation becomes LaTeX: the documents here and the figures'
    mathtext labels (:class:`derive.figures.Notation`) both print through it."""
    return DerivePrinter({
        "symbol_map": getattr(derivation, "latex_names", {}),
        "function_subscripts": getattr(derivation, "latex_subscripts", {}),
    })


def escape(text):
    """Escape text for LaTeX's text mode (labels, explanations)."""
    replacements = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                    "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                    "^": r"\textasciicircum{}"}
    return "".join(replacements.get(c, c) for c in text)


def text_with_math(text):
    """Escape text but keep $...$ math spans as written."""
    parts = re.split(r"(\$[^$]*\$)", text)
    return "".join(p if p.startswith("$") and p.endswith("$") and len(p) > 1 else escape(p)
                   for p in parts)


def equation_label(label):
    return "eq:" + re.sub(r"[^A-Za-z0-9:.-]", "-", label)


def _abbreviations_in(text):
    return set(re.findall(r"\\mathcal\{\w\}(?:_\{\d+\})?", text))


def _split(lines):
    """One line as it is; several as an amsmath ``split`` (one equation number)."""
    if len(lines) == 1:
        return lines[0]
    return "\\begin{split}\n" + " \\\\\n".join(lines) + "\n\\end{split}"


def _aligned(lines):
    """A definition's lines as rows of ``align*``: a one-line one gets its ``&`` before ``=``."""
    if len(lines) == 1 and "&" not in lines[0]:
        return [lines[0].replace(" = ", " &= ", 1)]
    return lines


class DocumentWriter:
    """Writes a derivation as LaTeX: a standalone document, a fragment, or the paper's equations.

    ``results`` (a list of :class:`~derive.check.CheckResult`) adds each step's status and the
    method that established it.
    """

    def __init__(self, derivation, results=None):
        self.derivation = derivation
        self.printer = printer(derivation)
        self.results = {r.label: r for r in (results or [])}
        #: The document's names for sub-expressions (:class:`derive.layout.Abbreviations`):
        #: one per quantity, each defined once; a new document starts a new set.
        self.abbreviations = Abbreviations()
        self._naming = set()  # labels whose limits are being named (against cycles)
        self._printed = {s.label for s in getattr(derivation, "ordered", lambda: [])()}

    def sides(self, step):
        """``(lhs, relation, rhs, conditions)`` of the step as the document prints it.

        A limit of the right side of a cited premise ``F = ...`` is printed as the limit of
        ``F``, as a paper writes it (``lim_{kappa -> 0} e = ...``), not of the formula written out
        again; ``lhs`` is then LaTeX text.  So is a left side that is a formula stated
        before, ``F = ...`` (a step restating a result in a paper's form): it prints as ``F``.
        """
        stmt = step.statement
        lhs = stmt.lhs
        if isinstance(stmt.lhs, sp.Limit):
            lhs = self._limit_by_reference(step) or lhs
        elif (isinstance(lhs, sp.Expr) and not isinstance(lhs, (sp.Symbol, sp.core.function.AppliedUndef))
              and sp.count_ops(lhs) >= 4 and not step.binds):
            lhs = self._by_reference(lhs, step.uses, before=step.label) or lhs
        relation = {"==": "=", ">": ">", "<": "<", ">=": r"\geq", "<=": r"\leq"}.get(
            getattr(stmt, "rel_op", "=="), "=")
        relation = rule_for(step.kind).relation_symbol or relation
        return lhs, relation, stmt.rhs, tuple(step.conditions)

    def statement(self, step):
        """The step's statement on one line of display math (definitions with :=)."""
        lhs, relation, rhs, conditions = self.sides(step)
        text = f"{self._tex(lhs)} {relation} {self._tex(rhs)}"
        if conditions:
            text += r", \qquad " + ", ".join(self.printer.doprint(c) for c in conditions)
        return text

    def _tex(self, expr):
        return expr if isinstance(expr, str) else self.printer.doprint(expr)

    def _limit_by_reference(self, step):
        return self._limit_text(step.statement.lhs, step.uses)

    def _limit_text(self, limit, uses):
        """``lim_{v -> p} F`` for a limit of the right side of a cited premise ``F = ...``, where
        ``F`` may itself be such a limit (``lim_{kappa -> oo} lim_{eps -> 0+} e``); else None."""
        expr, var, point = limit.args[:3]
        inner = self._by_reference(expr, uses)
        if inner is None and isinstance(expr, sp.Limit):
            inner = self._limit_text(expr, uses)
        if inner is None:
            return None
        direction = str(limit.args[3]) if len(limit.args) > 3 else "+-"
        side = {"+": "^+", "-": "^-"}.get(direction, "") if point.is_finite else ""
        arrow = rf"{self.printer.doprint(var)} \to {self.printer.doprint(point)}{side}"
        return rf"\lim_{{{arrow}}} {inner}"

    def _by_reference(self, expr, uses, before=None):
        """``expr`` as a paper names it: ``F`` (or ``c F``) when ``expr`` is the right side of a
        step ``F = ...`` (the premises ``uses`` first, then any step; with ``before``, any step
        above that one), else None."""
        others = []
        for other in getattr(self.derivation, "ordered", lambda: [])():
            if other.label == before:
                break
            if other.label not in uses:
                others.append(other.label)
        for label in list(uses) + others:
            premise = self.derivation[label]
            factor = self._multiple_of(expr, premise.statement.rhs)
            if factor is None:
                continue
            lhs = premise.statement.lhs
            if isinstance(lhs, sp.Limit):
                if label in self._naming:  # F's limit names itself through G's and back: stop
                    continue
                self._naming.add(label)
                try:
                    inner = self._limit_text(lhs, premise.uses)
                finally:
                    self._naming.discard(label)
            else:
                inner = self.printer.doprint(lhs)
            if inner is None:
                continue
            if factor == 1:
                return inner
            if factor.is_Pow and factor.exp.is_negative:
                return rf"\frac{{{inner}}}{{{self.printer.doprint(1 / factor)}}}"
            text = self.printer.doprint(factor)
            return rf"\left({text}\right) {inner}" if isinstance(factor, sp.Add) else f"{text} {inner}"
        return None

    def _multiple_of(self, expr, formula):
        """``c`` with ``expr = c * formula``, where ``formula`` may have some of the derivation's
        closed forms (steps ``Eq(symbol, value)``, ``x* = (1 + rho)/alpha``) substituted and
        ``c`` is a short factor free of functions (``tau - 1``, ``1/alpha``); else None.  Only
        sympy's own structural identity is used: the text printed is exactly the expression."""
        if formula is None or not isinstance(formula, sp.Expr) or not isinstance(expr, sp.Expr):
            return None
        if formula == expr:
            return sp.S.One
        # A multiple only of a formula with some body: alpha is not "alpha/rho times rho".
        if _small(formula, 5):
            return None
        closed = self._closed_forms()
        # Only a symbol that the expression no longer has can have been substituted; every
        # other symbol of the formula is still there (cheap tests first: most steps fail them).
        gone = formula.free_symbols - expr.free_symbols
        if gone - set(closed) or _heads(formula) - _heads(expr) - {h for s in gone for v in closed[s] for h in _heads(v)}:
            return None
        candidates = [formula]
        for symbol in sorted(gone, key=str):
            candidates = [known.subs(symbol, value) for known in candidates for value in closed[symbol]][:8]
        for candidate in candidates:
            if candidate == expr:
                return sp.S.One
            factor = expr / candidate
            if (_small(factor, 8) and not factor.has(sp.Function, sp.Derivative)
                    and not (factor.free_symbols - expr.free_symbols)):
                return factor
        return None

    def _closed_forms(self):
        """symbol -> the values of the derivation's steps that state ``Eq(symbol, value)``."""
        if not hasattr(self, "_closed"):
            self._closed = {}
            for step in getattr(self.derivation, "ordered", lambda: [])():
                lhs, rhs = getattr(step.statement, "lhs", None), getattr(step.statement, "rhs", None)
                if isinstance(lhs, sp.Symbol) and isinstance(rhs, sp.Expr) and not rhs.has(lhs) \
                        and not rhs.atoms(Meaning):
                    self._closed.setdefault(lhs, []).append(rhs)
        return self._closed

    def equation(self, step, paper_only=False):
        """The step as a numbered ``equation``: broken over lines where it is too wide, with the
        names it needed defined below ("where ..."), never shrunk (:mod:`derive.layout`).  With
        ``paper_only``, a step the derivation numbers as the paper does
        (:meth:`Derivation.number`) carries that number."""
        lhs, relation, rhs, conditions = self.sides(step)
        lines, where = display(lhs, relation, rhs, self.printer, conditions,
                               abbreviations=self.abbreviations, label=step.label)
        number = getattr(self.derivation, "equation_numbers", {}).get(step.label) if paper_only else None
        tag = f"\\tag{{{number}}}" if number else ""
        text = (f"\\begin{{equation}}\\label{{{equation_label(step.label)}}}{tag}\n{_split(lines)}\n"
                "\\end{equation}")
        earlier = self._defined_earlier(step.label, lines, where)
        if where:
            rows = [row for name, definition in where for row in _aligned(definition)]
            text += "\nwhere\n\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
        if earlier:
            text += ("\nwith " if where else "\nwhere ") + ", ".join(
                f"${name}$ as in \\eqref{{{equation_label(origin)}}}" for name, origin in earlier) + "."
        return text

    def _defined_earlier(self, label, lines, where):
        """``(name, label)`` of each abbreviation this equation uses that an earlier one defined."""
        text = " ".join(lines) + " ".join(row for _, definition in where for row in definition)
        return [(name, origin) for name, origin in self.abbreviations.origin.items()
                if origin != label and name in _abbreviations_in(text)]

    def justification(self, step):
        parts = []
        rule = rule_for(step.kind)
        if step.uses:
            # A premise the document does not print (--paper) is named, not left as "(??)".
            refs = ", ".join(rf"\eqref{{{equation_label(u)}}}" if u in self._printed
                             else rf"\texttt{{{escape(u)}}}" for u in self.premises(step))
            parts.append(f"{rule.title}, from {refs}.")
        else:
            parts.append(f"{rule.title}.")
        parts += rule.justification(step, self.printer)
        if step.explanation:
            parts.append(text_with_math(step.explanation))
        if step.ref:
            parts.append(f"[{text_with_math(step.ref)}]")
        result = self.results.get(step.label)
        if result is not None and result.status != "definition":
            parts.append(rf"\emph{{{escape(result.status)}: {escape(result.method)}}}.")
        return " ".join(parts)

    def premises(self, step):
        """The step's premises in the order the document prints them (so their equation
        numbers rise), each once."""
        position = {label: i for i, label in enumerate(s.label for s in self.derivation.ordered())}
        return sorted(dict.fromkeys(step.uses), key=lambda u: (position.get(u, len(position)), u))

    def steps(self, paper_only=False):
        return [s for s in self.derivation.ordered() if s.ref or not paper_only]

    def body(self, paper_only=False):
        self.abbreviations = Abbreviations()
        self._printed = {s.label for s in self.steps(paper_only)}
        blocks = []
        for step in self.steps(paper_only):
            blocks.append(rf"\paragraph{{\texttt{{{escape(step.label)}}}}} {self.justification(step)}")
            blocks.append(self.equation(step, paper_only))
        return "\n\n".join(blocks)

    def fragment(self, paper_only=False):
        """Equations only, one ``equation`` environment per step, no preamble: it pastes into
        any document loading amsmath."""
        self.abbreviations = Abbreviations()
        return "\n\n".join(self.equation(s, paper_only) for s in self.steps(paper_only)) + "\n"

    def document(self, paper_only=False):
        """A standalone document that compiles with ``pdflatex -halt-on-error``."""
        d = self.derivation
        parameters = ""
        if d.parameters:
            items = [f"${self.printer.doprint(s if isinstance(s, sp.Basic) else sp.Symbol(str(s)))}$"
                     + (f": {text_with_math(text)}" if text else "")
                     for s, text in d.parameters.items()]
            parameters = "\\paragraph{Parameters.} " + "; ".join(items) + ".\n"
        cite = rf"\\ \normalsize {text_with_math(d.cite)}" if d.cite else ""
        description = text_with_math(d.description) + "\n" if d.description else ""
        return (
            "\\documentclass[11pt]{article}\n"
            "\\usepackage{amsmath,amssymb}\n"
            "\\allowdisplaybreaks\n"
            # Inline formulas in the explanations cannot be broken; let the spaces stretch instead.
            "\\emergencystretch=3em\n"
                        f"\\title{{{text_with_math(d.title)}{cite}}}\n"
            "\\author{Checked with derive}\n\\date{}\n"
            "\\begin{document}\n\\maketitle\n"
            f"{description}{parameters}\n"
            f"{self.body(paper_only)}\n\n"
            "\\end{document}\n"
        )


def compile_pdf(tex_source, pdf_path):
    """Run pdflatex twice (for \\eqref) in a scratch directory; copy the PDF to ``pdf_path``."""
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        raise UsageError("--pdf needs pdflatex on PATH (Debian: apt-get install texlive-latex-base)")
    with tempfile.TemporaryDirectory() as work:
        tex = Path(work) / "derivation.tex"
        tex.write_text(tex_source)
        for _ in range(2):
            run = subprocess.run([pdflatex, "-halt-on-error", "-interaction=nonstopmode",
                                  tex.name], cwd=work, capture_output=True, text=True, timeout=300)
            if run.returncode != 0:
                errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
                raise UsageError("pdflatex failed: " + (errors[0] if errors else "see its log"))
        shutil.copyfile(Path(work) / "derivation.pdf", pdf_path)
    return Path(pdf_path)
