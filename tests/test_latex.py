"""LaTeX export: symbol map, function subscripts, labels and references, and a real compile."""

import subprocess
import sys

import sympy as sp

from derive.latex import DocumentWriter, compile_pdf, latex
from derive.registry import load
from tests.conftest import requires_pdflatex


def test_greek_subscripts_and_stars():
    kappa, x_star, e_icl = sp.symbols("kappa x_star e_icl")
    assert latex(kappa) == r"\kappa"
    assert latex(x_star) == "x^{*}"
    assert latex(e_icl) == r"e_{\mathrm{icl}}"
    assert latex(sp.Symbol("rho_1")) == r"\rho_{1}"


def test_symbol_map_wins_over_the_rules():
    assert latex(sp.Symbol("e_icl"), symbol_map={"e_icl": r"e^{\mathrm{ICL}}"}) == r"e^{\mathrm{ICL}}"


def test_function_subscripts_and_primes():
    kappa, x = sp.symbols("kappa x")
    M = sp.Function("M")
    assert latex(M(kappa, x), function_subscripts={"M": 1}) == r"M_{\kappa}\left(x\right)"
    assert latex(sp.Derivative(M(kappa, x), x), function_subscripts={"M": 1}) == r"M_{\kappa}'\left(x\right)"


def test_document_has_a_label_per_step_and_eqref_to_premises():
    D = load("marchenko-pastur")
    text = DocumentWriter(D).document()
    for step in D:
        assert text.count(r"\label{eq:" + step.label + "}") == 1
        for premise in step.uses:
            assert r"\eqref{eq:" + premise + "}" in text
    assert text.startswith(r"\documentclass") and text.rstrip().endswith(r"\end{document}")


def test_fragment_is_equations_only_and_paper_mode_keeps_referenced_steps():
    D = load("marchenko-pastur")
    writer = DocumentWriter(D)
    fragment = writer.fragment()
    assert r"\documentclass" not in fragment
    assert fragment.count(r"\begin{equation}") == len(D)
    paper = writer.fragment(paper_only=True)
    assert paper.count(r"\begin{equation}") == sum(1 for s in D if s.ref)
    assert 0 < paper.count(r"\begin{equation}") < len(D)


def test_pdf_compiles(tmp_path):
    requires_pdflatex()
    D = load("marchenko-pastur")
    pdf = compile_pdf(DocumentWriter(D).document(), tmp_path / "mp.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_cli_latex_pdf(tmp_path):
    requires_pdflatex()
    run = subprocess.run([sys.executable, "-m", "derive", "latex", "marchenko-pastur", "--pdf",
                          "-o", str(tmp_path / "mp.tex")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "mp.pdf").read_bytes()[:5] == b"%PDF-"
