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

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from derive.figures import STYLES, _render  # noqa: E402


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


def test_points_outside_the_chosen_range_widen_the_axes_and_unshowable_ones_are_said(tmp_path):
    """A chosen ``ylim`` is where the theory is seen; simulated points beyond it widen the axes
    (Fig. 4 clipped 7 points into triangles at y = 2).  Only a mean no axes can show (not positive
    on a log axis) is a triangle, and the caption says so."""
    simulation = Simulation("$\\alpha = 6$", [0.5, 1.0, 2.0], {12: estimates([3.0, 1.0, -0.5])})
    panel = Panel("p", "x", "y", curves=[simulation], ylim=(-0.1, 2.0), letter="A")
    log_panel = Panel("q", "x", "y", curves=[Simulation("b", [1.0, 2.0], {12: estimates([-1.0, 0.5])})],
                      yscale="log", letter="B")
    figure = Figure("clipped", "t", [panel, log_panel])
    assert panel.off_scale() == []
    assert len(log_panel.off_scale()) == 1  # not positive on a log axis
    text = caption(figure)
    assert "Off the axes in panel A" not in text and "Off the axes in panel B" in text and "b at x = 1" in text
    fig = _rendered(figure)
    low, high = fig.axes[0].get_ylim()
    assert low < -0.5 - 0.01 and high > 3.0 + 0.01
    plt.close(fig)
    png, pdf, table = write(figure, tmp_path)
    rows = list(csv.DictReader(table.open()))
    assert {(r["panel"], r["x"], r["sim_mean"]) for r in rows} >= {("A", "0.5", "3.0"), ("A", "2.0", "-0.5")}


def test_write_gives_png_pdf_and_csv_with_sizes(tmp_path):
    simulation = Simulation("a", [1.0, 2.0], {d: estimates([1.0 + 1 / d, 2.0]) for d in (8, 16)})
    figure = Figure("f", "t", [Panel("p", "x", "y", curves=[Curve("a", np.array([1.0, 2.0]), np.array([1.0, 2.0])),
                                                             simulation])])
    png, pdf, table = write(figure, tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and pdf.read_bytes()[:5] == b"%PDF-"
    rows = list(csv.DictReader(table.open()))
    assert [r["d"] for r in rows] == ["", "", "8", "8", "16", "16", "inf", "inf"]
    assert math.isclose(float(rows[-2]["sim_mean"]), 1.0)


@pytest.mark.long
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


def _rendered(figure, style="default"):
    with matplotlib.rc_context(STYLES[style].rc()):
        fig = _render(figure, plt, style)
        fig.canvas.draw()
    return fig


def _two_sizes_figure(panels=2):
    """Panels of theory and simulations at d = 20 and 40 (extrapolated), a long legend, a point
    far above the chosen range."""
    x = np.geomspace(0.1, 10, 50)
    out = []
    for p in range(panels):
        curves = []
        for alpha in (6, 10, 20, 40):
            params = {"alpha": alpha, "rho": 0.01}
            curves.append(Curve(f"$\\alpha = {alpha}$", x, alpha / (1 + x), params=params))
            means = {d: estimates([alpha / 1.2 + 3 / d, alpha / 2 + 1 / d, 50.0], se=0.2) for d in (20, 40)}
            curves.append(Simulation(f"$\\alpha = {alpha}$", [0.2, 1.0, 2.0], means, theory=[alpha / 1.2, alpha / 2,
                                     alpha / 3], params=params))
        out.append(Panel("$\\tau = 0.2\\alpha$, $\\rho = 0.01$", "$\\kappa = k/d$", "$g$", curves=curves,
                         xscale="log", ylim=(0, 30), letter="AB"[p] if p < 2 else "C", quantity="g", x_name="kappa"))
    return Figure("f", "A title (Someone et al. Fig. 4)", out, caption="the caption")


@pytest.mark.parametrize("style, panels, width", [("pnas", 1, 3.42), ("pnas", 2, 3.42), ("pnas", 3, 7.0),
                                                  ("neurips", 2, 5.5), ("neurips", 3, 5.5), ("default", 3, 7.0)])
def test_a_figure_has_its_journals_width(style, panels, width):
    fig = _rendered(_two_sizes_figure(panels), style)
    assert math.isclose(fig.get_figwidth(), width)
    plt.close(fig)


@pytest.mark.parametrize("style", ["pnas", "neurips"])
def test_text_lies_on_the_canvas_at_seven_to_nine_points_with_no_title(style):
    from matplotlib.text import Text

    fig = _rendered(_two_sizes_figure(2), style)
    canvas = fig.bbox
    drawn = fig.get_tightbbox().transformed(fig.dpi_scale_trans)  # every artist drawn, in pixels
    assert drawn.x0 >= canvas.x0 - 1 and drawn.x1 <= canvas.x1 + 1
    assert drawn.y0 >= canvas.y0 - 1 and drawn.y1 <= canvas.y1 + 1
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    for text in texts:
        assert 7 <= text.get_fontsize() <= 9, (text.get_text(), text.get_fontsize())
    assert not any("Someone" in t.get_text() for t in texts)  # the title is the caption's, not drawn
    legend = fig.legends[0].get_window_extent()
    assert legend.height <= 0.2 * canvas.height
    plt.close(fig)


def test_every_simulated_point_lies_within_the_axes():
    fig = _rendered(_two_sizes_figure(2), "pnas")
    for axis in fig.axes:
        (x0, x1), (y0, y1) = axis.get_xlim(), axis.get_ylim()
        points = [line.get_xydata() for line in axis.lines if line.get_marker() not in ("None", None, "")]
        assert points
        for xy in points:
            finite = xy[np.isfinite(xy).all(axis=1)]
            assert ((finite[:, 0] >= x0) & (finite[:, 0] <= x1)).all()
            assert ((finite[:, 1] >= y0) & (finite[:, 1] <= y1)).all()
    plt.close(fig)


def test_means_at_each_d_are_the_primary_marks_and_the_extrapolation_is_small_and_open():
    fig = _rendered(_two_sizes_figure(1), "pnas")
    marks = [line for line in fig.axes[0].lines if line.get_marker() not in ("None", None, "", "_")]  # not caps
    by_marker = {}
    for line in marks:
        by_marker.setdefault(line.get_marker(), []).append(line)
    assert set(by_marker) == {"o", "s", "D"}  # d = 40, d = 20, the 1/d extrapolation
    assert all(line.get_markerfacecolor() == "white" for line in by_marker["D"])
    assert max(line.get_markersize() for line in by_marker["D"]) < min(line.get_markersize() for line in by_marker["o"])
    plt.close(fig)


def test_heat_maps_of_one_figure_share_one_colour_scale():
    from derive.figures import HeatMap

    x, y = np.linspace(0, 1, 4), np.linspace(0, 1, 3)
    panels = [Panel(letter, "x", "y", heatmap=HeatMap(x, y, np.full((3, 4), value), "v"), letter=letter)
              for letter, value in (("A", 1.0), ("B", 5.0))]
    fig = _rendered(Figure("h", "t", panels))
    limits = {tuple(axis.collections[0].get_clim()) for axis in fig.axes
              if axis.collections and axis.get_label() != "<colorbar>"}
    assert limits == {(1.0, 5.0)}
    assert sum(1 for axis in fig.axes if axis.get_label() == "<colorbar>") == 1
    plt.close(fig)


def test_the_csv_is_tidy_with_numeric_parameter_columns(tmp_path):
    *_, table = write(_two_sizes_figure(1), tmp_path, style="pnas")
    rows = list(csv.DictReader(table.open()))
    assert list(rows[0]) == ["panel", "quantity", "alpha", "rho", "kappa", "d", "theory", "sim_mean", "sim_se"]
    for row in rows:
        for column in ("alpha", "rho", "kappa", "d", "theory", "sim_mean", "sim_se"):
            if row[column]:
                float(row[column])
        assert "$" not in "".join(row.values())
    simulated = [r for r in rows if r["d"] == "40" and r["alpha"] == "10"]
    assert [float(r["kappa"]) for r in simulated] == [0.2, 1.0, 2.0]
    assert math.isclose(float(simulated[0]["theory"]), 10 / 1.2)


def test_an_unknown_style_is_one_line():
    from derive.errors import UsageError
    from derive.figures import style

    with pytest.raises(UsageError, match="unknown figure style 'nature' \\(known: pnas, neurips, default\\)"):
        style("nature")


def test_lu2025_simulates_the_papers_grids(monkeypatch):
    """The paper's Fig. 4 draws alpha = 6, 10, 20 (A) and 10, 20, 40 (B); each is simulated."""
    from derivations import lu2025_figures

    def fake(paper, points, sizes, trials, seed, protocol=None):
        return [{k: {d: Estimate(0.1, 0.01, trials) for d in sizes} for k in ("e_icl", "e_idg")} for _ in points]

    monkeypatch.setattr(lu2025_figures, "_simulate", fake)
    # Neither the derivation nor its lowering is needed to see what is simulated (they take a minute).
    monkeypatch.setattr(lu2025_figures, "_theory", lambda paper, name: lambda *args: np.zeros(np.broadcast(*args).shape))
    monkeypatch.setattr(lu2025_figures, "_notation", lambda paper: Notation(Derivation("demo")))
    figure = lu2025_figures.task_diversity(None, quick=True)
    simulated = [{s.params["alpha"] for s in panel.simulations} for panel in figure.panels]
    assert simulated == [{6, 10, 20}, {10, 20, 40}]
    assert all(panel.ylim is None for panel in figure.panels)
    # Fig. 2: two sizes in every panel (extrapolated), and alpha = 1000 in A and B as the paper's.
    figure = lu2025_figures.context_length(None)
    assert [sorted({d for s in p.simulations for d in s.sizes}) for p in figure.panels] == [[20, 40], [20, 40],
                                                                                          [16, 24]]
    assert [max(p.simulations[0].x) for p in figure.panels[:2]] == [1000, 1000]


def test_the_caption_gives_each_panels_sizes():
    """Fig. 2 simulates d = 40 in panels A and B and d = 24 in C: not 'd = 24, 40'."""
    panels = [Panel(letter, "x", "y", curves=[Simulation("a", [1.0], {d: estimates([1.0])})], letter=letter)
              for letter, d in (("A", 40), ("B", 40), ("C", 24))]
    text = caption(Figure("f", "t", panels))
    assert "at d = 40 (A, B), d = 24 (C) (" in text and "d = 24, 40" not in text
