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

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import sympy as sp
from sympy.printing.latex import LatexPrinter

from .errors import UsageError
from .layout import display
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
        subscript = ", ".join(self._print(a) for a in expr.args[:count])
        rest = ", ".join(self._print(a) for a in expr.args[count:])
        text = f"{head}_{{{subscript}}}" if subscript else head
        if exp is not None:
            text += f"^{{{exp}}}"
        return text + (rf"\left({rest}\right)" if rest else "")

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
                subscript = ", ".join(self._print(a) for a in inner.args[:count])
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

    def sides(self, step):
        """``(lhs, relation, rhs, conditions)`` of the step as the document prints it.

        A limit of the right side of a cited premise ``F = ...`` is printed as the limit of
        ``F``, as a paper writes it (``lim_{kappa -> 0} e = ...``), not of the formula written out
        again; ``lhs`` is then LaTeX text.
        """
        stmt = step.statement
        lhs = stmt.lhs
        if isinstance(stmt.lhs, sp.Limit):
            lhs = self._limit_by_reference(step) or lhs
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
        inner = None
        for label in uses:
            premise = self.derivation[label]
            if premise.statement.rhs == expr:
                lhs = premise.statement.lhs
                inner = (self._limit_text(lhs, premise.uses) if isinstance(lhs, sp.Limit)
                         else self.printer.doprint(lhs))
                break
        if inner is None and isinstance(expr, sp.Limit):
            inner = self._limit_text(expr, uses)
        if inner is None:
            return None
        direction = str(limit.args[3]) if len(limit.args) > 3 else "+-"
        side = {"+": "^+", "-": "^-"}.get(direction, "") if point.is_finite else ""
        arrow = rf"{self.printer.doprint(var)} \to {self.printer.doprint(point)}{side}"
        return rf"\lim_{{{arrow}}} {inner}"

    def equation(self, step, paper_only=False):
        """The step as a numbered ``equation``: broken over lines where it is too wide, with the
        names it needed defined below ("where ..."), never shrunk (:mod:`derive.layout`).  With
        ``paper_only``, a step the derivation numbers as the paper does
        (:meth:`Derivation.number`) carries that number."""
        lhs, relation, rhs, conditions = self.sides(step)
        lines, where = display(lhs, relation, rhs, self.printer, conditions)
        number = getattr(self.derivation, "equation_numbers", {}).get(step.label) if paper_only else None
        tag = f"\\tag{{{number}}}" if number else ""
        text = (f"\\begin{{equation}}\\label{{{equation_label(step.label)}}}{tag}\n{_split(lines)}\n"
                "\\end{equation}")
        if where:
            rows = [row for name, definition in where for row in _aligned(definition)]
            text += "\nwhere\n\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
        return text

    def justification(self, step):
        parts = []
        rule = rule_for(step.kind)
        if step.uses:
            refs = ", ".join(rf"\eqref{{{equation_label(u)}}}" for u in step.uses)
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

    def steps(self, paper_only=False):
        return [s for s in self.derivation.ordered() if s.ref or not paper_only]

    def body(self, paper_only=False):
        blocks = []
        for step in self.steps(paper_only):
            blocks.append(rf"\paragraph{{\texttt{{{escape(step.label)}}}}} {self.justification(step)}")
            blocks.append(self.equation(step, paper_only))
        return "\n\n".join(blocks)

    def fragment(self, paper_only=False):
        """Equations only, one ``equation`` environment per step, no preamble: it pastes into
        any document loading amsmath."""
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
