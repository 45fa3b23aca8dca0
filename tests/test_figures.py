"""derive.figures: notation from the LaTeX symbol map, simulations at several d with their 1/d
extrapolation, points off the axes said rather than dropped, and the files written."""

import csv
import math

import numpy as np
import pytest
import sympy as sp

from derive import Derivation
from derive.figures import Curve, Figure, Notation, Panel, Simulation, caption, write
from derive.latex import DocumentWriter
from derive.montecarlo import Estimate, fit


def estimates(means, se=0.01, trials=5):
    return [Estimate(m, se, trials) for m in means]


def test_notation_is_the_latex_exports_symbol_map():
    derivation = Derivation("demo", latex_names={"rank_ratio": r"\rho", "e_idg": r"\varepsilon_{\mathrm{IDG}}",
                                                 "lam": r"\lambda"})
    n = Notation(derivation)
    assert n("rank_ratio") == "$" + DocumentWriter(derivation).printer.doprint(sp.Symbol("rank_ratio")) + "$"
    assert n("e_idg") == r"$\varepsilon_{\mathrm{IDG}}$"
    assert n("kappa") == r"$\kappa$"  # sympy's own rule for a name not in the map
    assert n.values(tau=0.5, lam=1e-5) == r"$\tau = 0.5$, $\lambda = 10^{-5}$"


def test_several_sizes_are_extrapolated_in_one_over_d():
    x = [1.0, 2.0]
    sizes = (16, 32, 64)
    data = {d: estimates([1.0 + 2.0 / d, 0.5 + 1.0 / d]) for d in sizes}
    simulation = Simulation("a", x, data, theory=[1.0, 0.5])
    means, errors = simulation.extrapolated()
    assert np.allclose(means, [1.0, 0.5])
    expected = fit(sizes, [data[d][0].mean for d in sizes], [data[d][0].se for d in sizes])
    assert math.isclose(errors[0], expected.se)
    text = caption(Figure("f", "f", [Panel("p", "x", "y", curves=[Curve("a", np.array(x), np.array([1.0, 0.5])),
                                                                  simulation])]))
    assert "d = 16, 32, 64" in text and "extrapolated in 1/d" in text
    assert "At d = 64 the simulations lie a median 3.1% above the theory" in text
    assert "Extrapolated to d = ∞, the simulations lie a median 0.0%" in text


def test_one_size_says_there_is_no_extrapolation():
    simulation = Simulation("a", [1.0], {40: estimates([1.1])}, theory=[1.0])
    assert simulation.extrapolated() is None
    text = caption(Figure("f", "f", [Panel("p", "x", "y", curves=[simulation])]))
    assert "10.0% above the theory" in text and "no extrapolation" in text


def test_points_off_the_axes_are_said_and_kept(tmp_path):
    simulation = Simulation("$\\alpha = 6$", [0.5, 1.0, 2.0], {12: estimates([3.0, 1.0, -0.5])})
    panel = Panel("p", "x", "y", curves=[simulation], ylim=(-0.1, 2.0), letter="A")
    log_panel = Panel("q", "x", "y", curves=[Simulation("b", [1.0], {12: estimates([-1.0])})], yscale="log",
                      letter="B")
    figure = Figure("clipped", "t", [panel, log_panel])
    assert [(x, y) for _, _, x, y in panel.off_scale()] == [(0.5, 3.0), (2.0, -0.5)]
    assert len(log_panel.off_scale()) == 1  # not positive on a log axis
    text = caption(figure)
    assert "Off the axes in panel A" in text and "alpha = 6 at x = 0.5 (d = 12): 3" in text
    assert "panel B" in text
    png, pdf, table = write(figure, tmp_path)
    rows = list(csv.DictReader(table.open()))
    assert {(r["panel"], r["x"], r["y"]) for r in rows} >= {("A", "0.5", "3.0"), ("A", "2.0", "-0.5")}


def test_write_gives_png_pdf_and_csv_with_sizes(tmp_path):
    simulation = Simulation("a", [1.0, 2.0], {d: estimates([1.0 + 1 / d, 2.0]) for d in (8, 16)})
    figure = Figure("f", "t", [Panel("p", "x", "y", curves=[Curve("a", np.array([1.0, 2.0]), np.array([1.0, 2.0])),
                                                             simulation])])
    png, pdf, table = write(figure, tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and pdf.read_bytes()[:5] == b"%PDF-"
    rows = list(csv.DictReader(table.open()))
    assert [r["d"] for r in rows] == ["", "", "8", "8", "16", "16", "inf", "inf"]
    assert math.isclose(float(rows[-2]["y"]), 1.0)


@pytest.mark.slow
def test_takanamis_phase_transition_is_simulated_where_it_shows():
    """The figure's simulations sit at an alpha where the IDG error drops steeply across kappa = rho
    (at alpha = 2, the former choice, it falls by less than a factor 2)."""
    from derive.registry import paper
    from derivations.takanami2025_figures import PHASE_ALPHA, _evaluate

    def drop(alpha):
        values = dict(alpha=alpha, alpha_test=alpha, kappa=np.array([0.25, 1.0]), rank_ratio=0.5, tau=2.25,
                      sigma2=0.09, lam=0.0, sigma2_test=0.0)
        low, high = _evaluate(paper("takanami2025"), "e_idg", **values)
        return low / high

    assert drop(2.0) < 2 and drop(PHASE_ALPHA) > 10


def test_a_parameter_value_has_one_colour_in_every_panel():
    """Fig. 4's panels draw alpha in {6, 10, 20} and {10, 20, 40}: alpha = 10 is one colour in both."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from derive.figures import _render

    x = np.linspace(0.1, 1, 5)
    panels = [Panel(letter, "x", "y", curves=[Curve(f"alpha = {a}", x, x * a) for a in alphas])
              for letter, alphas in (("A", (6, 10, 20)), ("B", (10, 20, 40)))]
    fig = _render(Figure("f", "t", panels), plt)
    a, b = (axis for axis in fig.axes if axis.lines)
    assert a.lines[1].get_color() == b.lines[0].get_color() != b.lines[2].get_color()
    plt.close(fig)
