"""Figures as data, then as PNG, PDF and CSV: what a derivation's figure functions return.

A :class:`Figure` holds panels; a :class:`Panel` holds theory :class:`Curve` s, :class:`Simulation` s
(means with standard errors at one or several sizes d) or a :class:`HeatMap`.  :func:`write`
renders them the way a journal expects, at the printed size of a :class:`Style` (:data:`STYLES`:
PNAS 3.42 in / 7.0 in, NeurIPS 5.5 in; text at 7-9 pt, so nothing is scaled after):

- labels in the paper's notation, as matplotlib mathtext printed by the derivation's own symbol
  map (:class:`Notation`, through the LaTeX export's printer: one table, not two);
- no title on the picture: the figure's title and caption are the report's (:func:`caption`);
- one legend above the panels, in as many columns as fit: colour for the parameter value (a
  curve's ``label``; a simulation with the same label has the colour of its theory curve), a
  line for theory (or what a line style means, :attr:`Curve.kind`), a mark per size d;
- panel letters as in the paper (:attr:`Panel.letter`);
- the simulated means at each d as the primary marks, with error bars (the largest d in full
  colour), the extrapolation in ``1/d`` (:func:`derive.montecarlo.fit`) a small open diamond;
- axes that widen to every simulated mean and its error bar (``Panel.ylim`` only says where the
  theory is seen); a mean no axes can show (not positive on a log axis) is a triangle on the
  edge, counted in the panel and named by :func:`caption` (never dropped silently);
- one colour scale for the heat maps of a figure;
- PNG to look at, PDF (vector, TrueType fonts) to print, and a tidy CSV of every number plotted
  (panel, quantity, one numeric column per parameter, d, theory, sim_mean, sim_se), so that a
  figure can be re-plotted or compared without re-running anything.

:func:`caption` is the figure's text for a report: its caption, how it was simulated, the gap
that remains between simulation and theory at finite d, and what lies off the axes.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .gaps import Gap, classify, counts, relative_text
from .montecarlo import fit
from .output import OutputDirectory, failure, replace_text

#: Formats :func:`write` renders, besides the CSV: PNG to look at, PDF to print.
FORMATS = ("png", "pdf")


@dataclass(frozen=True)
class Style:
    """A journal's figure geometry, at the final printed size (nothing is scaled after).

    ``column`` is the width of a one-column figure, ``double`` of a figure spanning the page,
    in inches; a figure of up to ``column_panels`` panels takes a column, a wider one the page.
    ``font`` is the body size in points: labels and titles at ``font``, ticks and legends one
    point less, panel letters one more, so every text lies within 7-9 pt.  Sources: PNAS
    author guidelines (1 column 8.7 cm = 3.42 in, 2 columns 17.8 cm = 7.0 in); the NeurIPS
    style file (text width 5.5 in)."""

    name: str
    column: float
    double: float
    font: float = 8.0
    column_panels: int = 2
    aspect: float = 0.8  # panel height / panel width, before the legend

    def width(self, panels):
        """The figure's width in inches for ``panels`` panels side by side."""
        return self.column if panels <= self.column_panels else self.double

    def rc(self):
        """The matplotlib settings of this style: the one place fonts and lines are set."""
        small = self.font - 1
        return {**_RC, "font.size": self.font, "axes.titlesize": self.font, "axes.labelsize": self.font,
                "legend.fontsize": small, "xtick.labelsize": small, "ytick.labelsize": small}


#: matplotlib settings common to every style (applied in a context, never globally): STIX fonts for
#: text and mathtext alike, TrueType (Type 42) fonts in the PDF, as journals ask; thin lines for a
#: figure printed at 3.4 in.
_RC = {
    "font.family": "STIXGeneral", "mathtext.fontset": "stix", "lines.linewidth": 1.0, "axes.linewidth": 0.6,
    "xtick.major.width": 0.6, "ytick.major.width": 0.6, "xtick.minor.width": 0.4, "ytick.minor.width": 0.4,
    "xtick.major.size": 2.5, "ytick.major.size": 2.5, "xtick.minor.size": 1.5, "ytick.minor.size": 1.5,
    "legend.frameon": False, "legend.handlelength": 1.6, "legend.columnspacing": 1.0, "legend.labelspacing": 0.25,
    "legend.handletextpad": 0.4, "legend.borderaxespad": 0.2, "pdf.fonttype": 42, "savefig.dpi": 300,
}

#: The styles ``--style`` offers: PNAS (3.42 in column, 7.0 in page), NeurIPS (5.5 in text width
#: for every figure), and the default, a column of 3.5 in and a page of 7.0 in.
STYLES = {
    "pnas": Style("pnas", 3.42, 7.0),
    "neurips": Style("neurips", 5.5, 5.5, column_panels=3, aspect=0.75),
    "default": Style("default", 3.5, 7.0),
}


def style(name):
    """The :class:`Style` called ``name`` (a :data:`STYLES` key), or one line naming the choices."""
    from .errors import UsageError

    if isinstance(name, Style):
        return name
    if name not in STYLES:
        raise UsageError(f"unknown figure style '{name}' (known: {', '.join(STYLES)})")
    return STYLES[name]


class Notation:
    """A derivation's symbols as mathtext, from the symbol map of its LaTeX export.

    >>> import sympy as sp
    >>> from derive import Derivation
    >>> n = Notation(Derivation("demo", latex_names={"e_icl": r"e^{\\mathrm{ICL}}", "lam": r"\\lambda"}))
    >>> n("e_icl"), n.eq("tau", "n/d^2"), n.values(kappa=math.inf, lam=1e-5)
    ('$e^{\\\\mathrm{ICL}}$', '$\\\\tau = n/d^2$', '$\\\\kappa = \\\\infty$, $\\\\lambda = 10^{-5}$')
    """

    def __init__(self, derivation):
        from .latex import printer

        self.printer = printer(derivation)

    def symbol(self, name):
        """The LaTeX of the symbol ``name``, without dollars."""
        import sympy as sp

        return self.printer.doprint(sp.Symbol(name))

    def __call__(self, name):
        return f"${self.symbol(name)}$"

    def eq(self, name, value):
        """``$name = value$``; ``value`` a number or LaTeX (``"n/d^2"``)."""
        shown = number(value) if isinstance(value, (int, float)) else value
        return f"${self.symbol(name)} = {shown}$"

    def values(self, **values):
        """``$a = 1$, $b = 2$`` for parameter values, in the order given."""
        return ", ".join(self.eq(name, value) for name, value in values.items())


def number(value):
    """A number as mathtext: ``inf`` as infinity, small or large powers of ten as ``10^{k}``.

    >>> number(0.5), number(1e-5), number(2.5e-6), number(math.inf), number(100)
    ('0.5', '10^{-5}', '2.5 \\\\times 10^{-6}', '\\\\infty', '100')
    """
    if math.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    if value == 0 or 1e-3 <= abs(value) < 1e5:
        return f"{value:g}"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10 ** exponent
    if abs(mantissa - round(mantissa)) < 1e-9 and round(mantissa) == 1:
        return f"10^{{{exponent}}}"
    return f"{mantissa:g} \\times 10^{{{exponent}}}"


@dataclass
class Curve:
    """A theory line.  ``label`` names the parameter value it is drawn at: it picks the colour
    (a :class:`Simulation` with the same label shares it) and is the legend entry.  ``params``
    gives the same values as numbers (``{"alpha": 10, "kappa": 0.5}``): the CSV's columns (a
    theory at finite size puts its ``d`` in the CSV's ``d`` column).  ``kind`` names what the
    ``linestyle`` means (``"$d = 100$"``): a black legend entry of that style, so that colour
    says one parameter and the line another."""

    label: str
    x: np.ndarray
    y: np.ndarray
    color: str | None = None
    linestyle: str = "-"
    params: dict = field(default_factory=dict)
    kind: str = ""


@dataclass
class Simulation:
    """Simulated means with standard errors at the points ``x``, at one size d or several.

    ``estimates`` maps each d to one :class:`derive.montecarlo.Estimate` per point; with two
    sizes or more each point is also extrapolated as ``a + b d^-exponent``.  ``theory`` (the
    theory at ``x``, optional) gives :func:`caption` the remaining finite-size gap, and
    :func:`point_gaps` the gap point by point; ``notes`` maps an x to the reason its gap is what
    it is, when the paper knows one (a point at a threshold the finite model cannot reach).
    ``params``: the parameter values as numbers, as :attr:`Curve.params`.
    """

    label: str
    x: np.ndarray
    estimates: dict
    theory: np.ndarray | None = None
    exponent: float = 1.0
    notes: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        self.x = np.asarray(self.x, dtype=float)
        if self.theory is not None:
            self.theory = np.asarray(self.theory, dtype=float)

    @property
    def sizes(self):
        return sorted(self.estimates)

    def means(self, d):
        return np.array([e.mean for e in self.estimates[d]])

    def errors(self, d):
        return np.array([e.se for e in self.estimates[d]])

    @property
    def trials(self):
        return sorted({e.trials for d in self.sizes for e in self.estimates[d]})

    def extrapolated(self):
        """``(means, standard errors)`` at d = infinity, or None with a single size."""
        if len(self.sizes) < 2:
            return None
        fits = [fit(self.sizes, [self.estimates[d][i].mean for d in self.sizes],
                    [self.estimates[d][i].se for d in self.sizes], self.exponent) for i in range(len(self.x))]
        return np.array([f.a for f in fits]), np.array([f.se for f in fits])

    def series(self):
        """``(d, means, errors)`` for each size, then ``(inf, ...)`` for the extrapolation."""
        rows = [(d, self.means(d), self.errors(d)) for d in self.sizes]
        extrapolated = self.extrapolated()
        if extrapolated is not None:
            rows.append((math.inf, *extrapolated))
        return rows


@dataclass
class HeatMap:
    """Values on a grid, drawn in colour; the heat maps of one figure share one colour scale.
    ``quantity``, ``x_name`` and ``y_name`` name the value and the axes in the CSV."""

    x: np.ndarray
    y: np.ndarray
    values: np.ndarray  # shape (len(y), len(x)); nan is drawn grey
    colorbar: str = ""
    quantity: str = "value"
    x_name: str = "x"
    y_name: str = "y"


@dataclass
class Panel:
    """One set of axes.  ``ylim`` is the range the theory is meant to be seen in (a divergence
    would otherwise flatten the rest); the axes widen beyond it to show every simulated point.
    ``quantity`` (the plotted quantity's name, ``"e_icl"``) and ``x_name`` (the parameter along
    x, ``"tau"``) name the CSV's columns; ``size_name`` is the paper's letter for the size the
    simulations are at (``"D"`` in Takanami et al.), in the legend."""

    title: str
    xlabel: str
    ylabel: str
    curves: list = field(default_factory=list)
    xscale: str = "linear"
    yscale: str = "linear"
    heatmap: HeatMap | None = None
    vlines: list = field(default_factory=list)
    ylim: tuple | None = None
    letter: str = ""
    quantity: str = ""
    x_name: str = "x"
    size_name: str = "d"

    @property
    def simulations(self):
        return [c for c in self.curves if isinstance(c, Simulation)]

    def off_scale(self):
        """``(simulation, d, x, y)`` of every simulated mean the axes cannot show: not finite,
        or not positive on a log axis."""
        found = []
        for simulation in self.simulations:
            for d, means, _ in simulation.series():
                for x, y in zip(simulation.x, means):
                    if self._outside(y):
                        found.append((simulation, d, float(x), float(y)))
        return found

    def _outside(self, y):
        """A mean no axes can show: not finite, or not positive on a log axis (the axes widen
        beyond ``ylim`` to show the rest: :func:`_limits`)."""
        return not np.isfinite(y) or (self.yscale == "log" and y <= 0)

    @property
    def name(self):
        """How the CSV and the caption name the panel: its letter, else its title."""
        return self.letter or self.title


@dataclass
class Figure:
    """``lineage``: the :class:`~derive.lineage.Lineage` of every quantity the figure was drawn
    from (:func:`draw` fills it in); one resting on a step not verified is noted on the figure
    itself and in its :func:`caption`."""

    name: str
    title: str
    panels: list
    caption: str = ""
    lineage: list = field(default_factory=list)


def draw(paper, name, strict=False, **options):
    """The figure ``name`` of ``paper`` (its figure function called with ``options``), with the
    lineage of every quantity the function evaluated (:func:`derive.lineage.recording`): the
    figure says when one rests on a step not verified, and with ``strict`` such a quantity
    refuses (:class:`~derive.errors.UnverifiedLineage`) at its first call.  The warning a call
    gives in Python is left to the figure's own note and the command's line."""
    import warnings

    from .errors import LineageWarning, UnverifiedLineage
    from .lineage import recording

    try:
        with recording(strict) as drawn, warnings.catch_warnings():
            warnings.simplefilter("ignore", LineageWarning)
            figure = paper.figures[name](paper, **options)
    except UnverifiedLineage as exc:
        raise UnverifiedLineage(f"figure {name}: {exc}") from None
    figure.lineage = list(drawn.values())
    return figure


def lineage_note(figure):
    """The note of a figure drawn from quantities resting on steps not verified (empty when
    there are none): one sentence naming each quantity and its steps."""
    from .lineage import unverified

    bad = unverified(figure.lineage)
    if not bad:
        return ""
    return "Not established: drawn from " + "; ".join(f"{lineage.quantity}, which rests on steps not verified: "
                                                      f"{lineage.named()}" for lineage in bad) + "."


def write(figure, directory, force=False, style="default"):
    """Write ``NAME.png``, ``NAME.pdf`` and ``NAME.csv`` into ``directory`` (an
    :class:`OutputDirectory` or a path), the pictures in the journal ``style`` (a :data:`STYLES`
    name or a :class:`Style`); return their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    look = globals()["style"](style)
    out = directory if isinstance(directory, OutputDirectory) else OutputDirectory(directory, force)
    targets = [out.target(f"{figure.name}.{suffix}") for suffix in FORMATS]
    table = out.target(f"{figure.name}.csv")
    with matplotlib.rc_context(look.rc()):
        fig = _render(figure, plt, look)
        try:
            for path in targets:
                fig.savefig(path)
        except OSError as exc:
            for path in targets:
                _remove(path)
            raise failure(path, exc) from None
        finally:
            plt.close(fig)
    replace_text(table, _table(figure))
    for path in [*targets, table]:
        out.record(path.name)
    return (*targets, table)


#: The CSV's columns besides the parameters: which panel and quantity, the size d of a simulated
#: row (``inf`` for its 1/d extrapolation, empty for theory), the theory, the simulated mean and
#: its standard error.
TABLE_COLUMNS = ("d", "theory", "sim_mean", "sim_se")


def _table(figure):
    """The figure's numbers as a tidy CSV: one row per plotted point, columns ``panel``,
    ``quantity``, one numeric column per parameter (the panel's x among them), then
    :data:`TABLE_COLUMNS`.  A theory row has ``theory``; a simulated row has ``d``, ``sim_mean``,
    ``sim_se`` and the theory at its point when the figure gives it.  A curve given no numeric
    ``params`` is named by its label, as plain text, in a ``curve`` column."""
    records = list(_records(figure))
    names = list(dict.fromkeys(name for record in records for name in record["params"] if name != "d"))
    unnamed = any(record["curve"] for record in records)
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["panel", "quantity", *(["curve"] if unnamed else []), *names, *TABLE_COLUMNS])
    for record in records:
        writer.writerow([record["panel"], record["quantity"], *([record["curve"]] if unnamed else []),
                         *(_cell(record["params"].get(name)) for name in names),
                         *(_cell(record.get(column, record["params"].get(column))) for column in TABLE_COLUMNS)])
    return rows.getvalue()


def _cell(value):
    """A CSV cell: empty for nothing, ``inf``/``nan`` as Python writes them, numbers exactly."""
    if value is None:
        return ""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    return repr(float(value))


def _records(figure):
    """Every plotted number of ``figure``, as dicts for :func:`_table`."""
    for panel in figure.panels:
        quantity = panel.quantity or _plain(panel.ylabel)
        for curve in panel.curves:
            base = {"panel": panel.name, "quantity": quantity, "curve": "" if curve.params else _plain(curve.label)}
            if isinstance(curve, Simulation):
                theory = curve.theory if curve.theory is not None else [None] * len(curve.x)
                for d, means, errors in curve.series():
                    for xv, tv, yv, ev in zip(curve.x, theory, means, errors):
                        yield {**base, "params": {**curve.params, panel.x_name: xv}, "d": d, "theory": tv,
                               "sim_mean": yv, "sim_se": ev}
            else:
                for xv, yv in zip(curve.x, curve.y):
                    yield {**base, "params": {**curve.params, panel.x_name: xv}, "theory": yv}
        if panel.heatmap is not None:
            h = panel.heatmap
            for i, yv in enumerate(h.y):
                for j, xv in enumerate(h.x):
                    yield {"panel": panel.name, "quantity": h.quantity, "curve": "",
                           "params": {h.x_name: xv, h.y_name: yv}, "theory": h.values[i, j]}


def _remove(path):
    """Remove a half-written file, if any."""
    try:
        path.unlink()
    except OSError:
        pass


#: Height of one legend row and of a panel's title line, in inches, at the styles' 7-8 pt.
LEGEND_ROW = 0.15
TITLE_LINE = 0.16


def _render(figure, plt, look="default"):
    """The matplotlib figure at ``look``'s final size: panels in a row; one legend above them
    (colours of the parameter values, then the kinds of mark), in as many columns as fit, when
    one colour means one value in every panel; else the kinds of mark above and each panel's
    values under it.  A value has the same colour in every panel while the figure's values fit
    matplotlib's colour cycle (Fig. 4's alpha = 10 in both panels); beyond that each panel has its
    own colours.  The figure's title is not drawn: it is the caption's (:func:`caption`)."""
    from matplotlib import rcParams

    look = style(look)
    count = len(figure.panels)
    width = look.width(count)
    labels = [_labels(panel.curves) for panel in figure.panels]
    palette = _colours([c for panel in figure.panels for c in panel.curves])
    if len(palette) > len(rcParams["axes.prop_cycle"].by_key()["color"]):
        palette = None
    shared = palette is not None
    colours = [[(k, palette[k]) for k in these] if palette else list(_colours(panel.curves).items())
               for these, panel in zip(labels, figure.panels)]
    styles = _merged_styles(figure.panels)
    top = (list(palette.items()) if shared and palette else []) + styles
    below = 0 if shared else max(math.ceil(len(c) / _columns(c, width / count, look)) for c in colours) * LEGEND_ROW
    panel_height = min(max(width / count * look.aspect, 1.5), 2.3)
    titles = max(_wrapped(p.title, width / count, look.font).count("\n") + 1 if p.title else 0
                 for p in figure.panels)
    height = panel_height + TITLE_LINE * titles + below + 0.05
    note = lineage_note(figure)
    note = _wrapped(note, width, look.font - 1) if note else ""
    height += (note.count("\n") + 1) * TITLE_LINE if note else 0
    fig = plt.figure(figsize=(width, height), layout="constrained")
    fig.get_layout_engine().set(w_pad=0.02, h_pad=0.02, wspace=0.04, hspace=0.02)
    if below:
        grid = fig.add_gridspec(2, count, height_ratios=[panel_height, below])
        axes = [fig.add_subplot(grid[0, i]) for i in range(count)]
        holders = [fig.add_subplot(grid[1, i]) for i in range(count)]
    else:
        axes = [fig.add_subplot(1, count, i + 1) for i in range(count)]
        holders = [None] * count
    scale = _colour_scale(figure.panels)
    meshes = []
    for axis, holder, panel, these in zip(axes, holders, figure.panels, colours):
        meshes.append(_draw(axis, panel, dict(these), look, scale, width / count))
        if holder is not None:
            holder.axis("off")
            if these:
                holder.legend(*_handles(these), loc="upper center", ncols=_columns(these, width / count, look),
                              borderaxespad=0)
    heat = [(axis, mesh) for axis, mesh in zip(axes, meshes) if mesh is not None]
    if heat:  # one colour scale for the figure: one bar
        label = next(p.heatmap.colorbar for p in figure.panels if p.heatmap is not None)
        fig.colorbar(heat[0][1], ax=[axis for axis, _ in heat], label=label, shrink=0.9, pad=0.02)
    if top:  # the figure grows by the legend's height: the panels keep theirs
        legend = _fitted_legend(fig, top)
        fig.set_figheight(height + legend.get_window_extent().height / fig.dpi + 0.04)
    if note:  # on the picture itself, where it cannot be separated from the curves
        fig.supxlabel(note, fontsize=look.font - 1, color="tab:red")
    return fig


def _fitted_legend(fig, entries):
    """The figure's legend above the panels, in as many columns as fit its width (measured)."""
    renderer = fig.canvas.get_renderer()
    for columns in range(len(entries), 0, -1):
        legend = fig.legend(*_handles(entries), loc="outside upper center", ncols=columns)
        if columns == 1 or legend.get_window_extent(renderer).width <= 0.98 * fig.bbox.width:
            return legend
        legend.remove()


def _columns(entries, inches, look):
    """How many legend entries fit side by side in ``inches`` (an estimate of each entry's width:
    the handle, the gaps, half an em a visible character)."""
    if not entries:
        return 1
    em = (look.font - 1) / 72
    widest = max(_visible(label) for label, _ in entries) * 0.5 * em + (1.6 + 0.4 + 1.0) * em
    return max(1, min(len(entries), int(inches // widest)))


def _visible(text):
    r"""The visible length of ``text`` (mathtext commands such as ``\alpha`` count as one)."""
    import re

    return len(re.sub(r"\\[A-Za-z]+", "#", re.sub(r"[${}^_]", "", text)))


def _wrapped(text, inches, points):
    r"""``text`` broken at spaces outside ``$...$`` (mathtext cannot span lines) into lines that fit
    ``inches`` at ``points`` type, by an estimate of the visible length (half an em a character,
    a command such as ``\alpha`` one character).

    >>> _wrapped("A long title: $\\alpha = 1$, $\\beta = 2$", 1.0, 9).splitlines()
    ['A long title:', '$\\alpha = 1$, $\\beta = 2$']
    """
    import re

    fits = inches * 72 / (0.5 * points)
    words = re.findall(r"(?:\$[^$]*\$|[^\s$])+", text)
    lines, line = [], ""
    for word in words:
        if line and _visible(line) + 1 + _visible(word) > fits:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line]) if line else text


def _labels(curves):
    """The curves' labels (their parameter values), in the order first drawn."""
    return list(dict.fromkeys(curve.label for curve in curves))


def _colours(curves):
    """Label -> colour: a curve's own colour, else the next of matplotlib's colour cycle."""
    from matplotlib import rcParams

    cycle = rcParams["axes.prop_cycle"].by_key()["color"]
    colours, used = {}, 0
    for curve in curves:
        if curve.label not in colours:
            own = getattr(curve, "color", None)
            colours[curve.label] = own or cycle[used % len(cycle)]
            used += own is None
    return colours


#: Markers of the simulated means, largest d first; the 1/d extrapolation is a small open diamond.
SIZE_MARKERS = ("o", "s", "^", "v")


def _styles(panel):
    """The kinds of mark a panel uses, as legend entries ``(text, ("mark", marker, light, open))``:
    theory lines, the simulated means at each d, the extrapolation."""
    styles = []
    simulations = panel.simulations
    kinds = [c for c in panel.curves if isinstance(c, Curve) and c.kind]
    styles += list(dict.fromkeys((c.kind, ("line", c.linestyle)) for c in kinds))
    if simulations and not kinds and any(isinstance(c, Curve) for c in panel.curves):
        styles.append(("theory", "line"))
    sizes = sorted({d for s in simulations for d in s.sizes}, reverse=True)
    for rank, d in enumerate(sizes):
        styles.append((f"sim. ${panel.size_name} = {d}$", ("mark", SIZE_MARKERS[min(rank, 3)], rank > 0, False)))
    if any(len(s.sizes) > 1 for s in simulations):
        size = panel.size_name
        styles.append((rf"${size} \to \infty$ ($1/{size}$ fit)", ("mark", "D", False, True)))
    return styles


def _merged_styles(panels):
    """The panels' kinds of mark, each once; one mark standing for different sizes d in different
    panels (Fig. 2: d = 40, and d = 24 at tau = 20) is one entry naming the panels of each d."""
    kinds = {}
    for panel in panels:
        for text, kind in _styles(panel):
            kinds.setdefault(kind, {}).setdefault(text, []).append(panel.letter or panel.title)
    styles = []
    for kind, texts in kinds.items():
        if len(texts) == 1:
            styles.append((next(iter(texts)), kind))
        else:
            styles.append(("; ".join(f"{text} ({', '.join(where)})" for text, where in texts.items()), kind))
    return styles


def _handles(entries):
    """Legend handles and labels: a coloured line per parameter value, black proxies for the
    kinds of mark."""
    from matplotlib.collections import LineCollection
    from matplotlib.container import ErrorbarContainer
    from matplotlib.lines import Line2D

    handles, labels = [], []
    for label, kind in entries:
        if kind == "line":
            handle = Line2D([], [], color="k")
        elif isinstance(kind, tuple) and kind[0] == "line":
            handle = Line2D([], [], color="k", ls=kind[1])
        elif isinstance(kind, tuple) and kind[0] == "mark":
            _, marker, light, hollow = kind
            colour = "0.55" if light else "k"
            mark = Line2D([], [], color=colour, marker=marker, ls="none", ms=2.6 if hollow else 3.2,
                          markerfacecolor="white" if hollow else colour, markeredgewidth=0.6)
            handle = ErrorbarContainer((mark, (), (LineCollection([], colors=colour, linewidths=0.6),)),
                                       has_yerr=True)
        else:  # a parameter value: its colour
            handle = Line2D([], [], color=kind, lw=1.5)
        handles.append(handle)
        labels.append(label)
    return handles, labels


def _colour_scale(panels):
    """``(low, high)`` of every heat map's finite values: one colour scale for the figure."""
    values = [p.heatmap.values[np.isfinite(p.heatmap.values)] for p in panels if p.heatmap is not None]
    values = [v for v in values if v.size]
    if not values:
        return None
    return float(min(v.min() for v in values)), float(max(v.max() for v in values))


def _draw(axis, panel, colours, look=None, scale=None, inches=2.3):
    """One panel, ``inches`` wide; returns its heat map's mesh (None without one) for the
    figure's colour bar, which ``scale`` (low, high) is shared by all."""
    look = look or STYLES["default"]
    mesh = None
    if panel.heatmap is not None:
        h = panel.heatmap
        masked = np.ma.masked_invalid(h.values)
        axis.set_facecolor("0.8")
        low, high = scale or (None, None)
        mesh = axis.pcolormesh(h.x, h.y, masked, shading="auto", cmap="viridis", rasterized=True, vmin=low,
                               vmax=high)
    for curve in panel.curves:
        if isinstance(curve, Curve):
            axis.plot(curve.x, curve.y, color=colours[curve.label], ls=curve.linestyle, zorder=2)
    for x in panel.vlines:
        # Above a heat map (red, as the paper's Fig. 3), under the curves and points.
        axis.axvline(x, color="tab:red" if panel.heatmap is not None else "0.45", lw=0.7, ls="--", zorder=1.5)
    axis.set_xscale(panel.xscale)
    axis.set_yscale(panel.yscale)
    if panel.ylim:
        axis.set_ylim(*panel.ylim)
    for simulation in panel.simulations:
        _draw_simulation(axis, panel, simulation, colours[simulation.label])
    if panel.ylim:
        axis.set_ylim(*_limits(panel))
    _mark_off_scale(axis, panel, colours, look)
    _log_ticks(axis, panel)
    axis.set_xlabel(panel.xlabel, labelpad=1.5)
    axis.set_ylabel(panel.ylabel, labelpad=1.5)
    if panel.title:
        axis.set_title(_wrapped(panel.title, inches, look.font), fontsize=look.font, pad=3)
    if panel.letter:
        axis.set_title(panel.letter, loc="left", fontweight="bold", fontsize=look.font + 1, pad=3)
    return mesh


def _log_ticks(axis, panel):
    """On a log axis spanning less than a decade, plain numbers at the minor ticks (matplotlib
    would print ``2x10^0``, ``3x10^0``)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    for scale, which in ((panel.xscale, axis.xaxis), (panel.yscale, axis.yaxis)):
        if scale != "log":
            continue
        low, high = which.get_view_interval()
        if low > 0 and high / low < 20:
            which.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
            which.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
            which.set_minor_formatter(NullFormatter())


def _limits(panel):
    """The panel's y range: its chosen ``ylim`` widened to every simulated mean with its error bar
    (on a log axis, the positive part), with a margin; the data are never cut off."""
    low, high = panel.ylim
    for simulation in panel.simulations:
        for _, means, errors in simulation.series():
            for mean, se in zip(means, errors):
                if panel._outside(mean):
                    continue
                top, bottom = mean + se, mean - se
                if panel.yscale == "log" and not bottom > 0:
                    bottom = mean
                low, high = min(low, bottom), max(high, top)
    if (low, high) == tuple(panel.ylim):
        return low, high
    if panel.yscale == "log":
        margin = (high / low) ** 0.03
        return low / margin if low < panel.ylim[0] else low, high * margin if high > panel.ylim[1] else high
    margin = 0.03 * (high - low)
    return low - margin if low < panel.ylim[0] else low, high + margin if high > panel.ylim[1] else high


def _dodge(panel, x, offset):
    """``x`` moved ``offset`` marker widths sideways (about 1% of the axis each), so that the means
    at several d and their extrapolation do not hide one another; the CSV keeps the true ``x``."""
    x = np.asarray(x, dtype=float)
    every = np.concatenate([np.asarray(c.x, dtype=float) for c in panel.curves])
    every = every[np.isfinite(every) & ((every > 0) if panel.xscale == "log" else True)]
    if every.size < 2 or every.min() == every.max():
        return x
    low, high = every.min(), every.max()  # the data's range, not the axes' (not yet set)
    if panel.xscale == "log":
        return x * (high / low) ** (0.012 * offset)
    return x + (high - low) * 0.012 * offset


def _draw_simulation(axis, panel, simulation, colour):
    """The means at each d, with error bars, as the primary marks (the largest d in full colour,
    circles; smaller d lighter, squares then triangles); the 1/d extrapolation as a small open
    diamond beside them, with a thin error bar.  A mean the axes cannot show at all (not
    positive on a log axis) is a triangle on the edge (:func:`_mark_off_scale`)."""
    from matplotlib.colors import to_rgb

    series = simulation.series()
    finite = sorted((s for s in series if not math.isinf(s[0])), key=lambda s: -s[0])
    shown = lambda y: np.where([panel._outside(v) for v in y], np.nan, y)
    for rank, (d, means, errors) in enumerate(finite):
        shade = np.array(to_rgb(colour)) if rank == 0 else 0.5 * np.array(to_rgb(colour)) + 0.5
        axis.errorbar(_dodge(panel, simulation.x, -rank), shown(means), yerr=errors,
                      fmt=SIZE_MARKERS[min(rank, 3)], color=shade, ms=3.2 if rank == 0 else 2.8, capsize=1.2,
                      elinewidth=0.7, capthick=0.7, markeredgewidth=0.5, zorder=4 - 0.1 * rank)
    if len(series) > len(finite):
        _, means, errors = series[-1]
        axis.errorbar(_dodge(panel, simulation.x, 1), shown(means), yerr=errors, fmt="D", color=colour,
                      ms=2.6, markerfacecolor="white", markeredgewidth=0.6, elinewidth=0.5, capsize=0,
                      alpha=0.9, zorder=3)


def _mark_off_scale(axis, panel, colours, look):
    """A triangle on the edge for each simulated mean the axes cannot show (not finite, or not
    positive on a log axis), and their count."""
    off = panel.off_scale()
    if not off:
        return
    low, high = axis.get_ylim()
    for simulation, _, x, y in off:
        above = np.isfinite(y) and y > high
        axis.plot([x], [high if above else low], marker="^" if above else "v", color=colours[simulation.label],
                  ms=4, ls="none", clip_on=False, zorder=5)
    axis.text(0.02, 0.02, f"{len(off)} not shown (triangles)", transform=axis.transAxes,
              fontsize=look.font - 1, va="bottom", ha="left", color="0.3")


def caption(figure):
    """The figure's text for a report: its caption, the simulations (sizes, trials), the
    finite-size gap between simulation and theory, and every simulated point off the axes; first
    of all, the quantities it was drawn from that rest on steps not verified (:func:`lineage_note`)."""
    parts = [lineage_note(figure)]
    parts += [figure.caption.strip()] if figure.caption.strip() else []
    simulations = [s for panel in figure.panels for s in panel.simulations]
    if simulations:
        trials = sorted({t for s in simulations for t in s.trials})
        extrapolated = any(len(s.sizes) > 1 for s in simulations)
        several = any(len(s.sizes) > 1 for s in simulations)
        parts.append(f"Markers: simulations of the model at {_sizes_by_panel(figure.panels)} "
                     f"({'/'.join(map(str, trials))} trials; mean ± standard error"
                     + ("; filled circles at the largest d, lighter marks at smaller d)" if several else ")")
                     + (", extrapolated in 1/d (small open diamonds)." if extrapolated else "."))
        parts.append(_gap(simulations))
    for panel in figure.panels:
        off = panel.off_scale()
        if off:
            where = f"panel {panel.letter}" if panel.letter else f"panel '{panel.title}'"
            listed = "; ".join(f"{_plain(s.label)} at x = {x:g}" + (f" (d = {d})" if not math.isinf(d) else
                                                                   " (extrapolated)") + f": {y:.3g}"
                               for s, d, x, y in off)
            parts.append(f"Off the axes in {where} (drawn as triangles on the edge): {listed}.")
    return " ".join(p for p in parts if p)


def _sizes_by_panel(panels):
    """``d = 20, 40``, or with panels simulated at different sizes ``d = 40 (A, B), d = 24 (C)``."""
    by_sizes = {}
    for panel in panels:
        sizes = tuple(sorted({d for s in panel.simulations for d in s.sizes}))
        if sizes:
            by_sizes.setdefault(sizes, []).append(panel.name)
    text = lambda sizes: "d = " + ", ".join(map(str, sizes))
    if len(by_sizes) == 1:
        return text(next(iter(by_sizes)))
    return ", ".join(f"{text(sizes)} ({', '.join(names)})" for sizes, names in by_sizes.items())


def _gap(simulations):
    """The remaining gap between simulation and theory, every point counted: the points by their
    label (:func:`derive.gaps.classify`), then the relative gap at the largest d and after the 1/d
    extrapolation.  The relative range leaves out the points where the theory is near zero (under
    5% of its largest size in that series: a relative gap there says nothing) and says how many
    it left out."""
    rows = [row for s in simulations for row in _series_gaps(s)]
    if not rows:
        return ""
    largest = max(d for s in simulations for d in s.sizes)
    where = f"at d = {largest}" if all(max(s.sizes) == largest for s in simulations) else "at the largest d"
    beyond = sum(1 for row in rows if abs(row.z_at_d) > 3)
    text = (f"Remaining finite-size gap over all {len(rows)} simulated points: {counts(row.gap for row in rows)} "
            f"(the rule: derive.gaps); {beyond} more than 3 standard errors off {where}. "
            + _relative_range([(row, row.gap.relative) for row in rows], where))
    if any(row.extrapolated is not None for row in rows):
        extrapolated = [(row, (row.extrapolated[0] - row.theory) / abs(row.theory) if row.theory else math.nan)
                        for row in rows if row.extrapolated is not None]
        text += " " + _relative_range(extrapolated, "Extrapolated to d = ∞,")
    else:
        text += " One size only, so no extrapolation."
    return text


def _relative_range(pairs, where):
    """``where`` the simulations lie a median x% above the theory (range, count), with the points
    left out of the range counted."""
    kept = [value for row, value in pairs if row.in_range and math.isfinite(value)]
    left = len(pairs) - len(kept)
    note = (f"; {left} of {len(pairs)} left out, where the theory is under 5% of its largest value"
            if left else "")
    if not kept:
        return f"{where} no point has a theory far enough from zero for a relative gap{note}."
    median = float(np.median(kept))
    side = "above" if median > 0 else "below"
    where = where[:1].upper() + where[1:]
    return (f"{where} the simulations lie a median {abs(median):.1%} {side} the theory (range {min(kept):+.1%} "
            f"to {max(kept):+.1%} over {len(kept)} point{'s' if len(kept) > 1 else ''}{note}).")


class PointGap(NamedTuple):
    """One row of :func:`point_gaps`."""

    panel: str
    curve: str
    x: float
    theory: float
    d: int
    mean: float
    se: float
    relative: float
    extrapolated: tuple | None
    z: float
    reason: str
    label: str
    z_at_d: float
    gap: Gap
    in_range: bool


def _series_gaps(s):
    """:class:`PointGap` of every point of the simulation ``s`` (with its panel left empty)."""
    if s.theory is None:
        return []
    d = max(s.sizes)
    means, errors = s.means(d), s.errors(d)
    extrapolated = s.extrapolated()
    scale = np.nanmax(np.abs(s.theory)) if s.theory.size else 0
    rows = []
    for i, x in enumerate(s.x):
        theory, mean, se = float(s.theory[i]), float(means[i]), float(errors[i])
        value, value_se = (float(extrapolated[0][i]), float(extrapolated[1][i])) if extrapolated else (None, None)
        gap = classify(theory, mean, se, value, value_se, s.sizes)
        note = s.notes.get(float(x), "")
        rows.append(PointGap("", _plain(s.label), float(x), theory, d, mean, se, gap.relative,
                             (value, value_se) if extrapolated else None,
                             gap.z if gap.z_inf is None else gap.z_inf, note or gap.reason, gap.label, gap.z, gap,
                             bool(np.isfinite(theory) and abs(theory) >= 0.05 * scale)))
    return rows


def point_gaps(figure):
    """The gap between simulation and theory at every simulated point of ``figure`` that has a
    theory: one :class:`PointGap` each, labelled by :func:`derive.gaps.classify` (no point
    is left out, however small its gap).

    ``relative`` is the relative gap at the largest d, ``z_at_d`` its distance in standard
    errors; ``extrapolated`` is ``(value, se)`` in 1/d or None with one size, and ``z`` the
    distance of the extrapolation (else of the mean) from the theory in standard errors.
    ``reason`` is the paper's note for the point when it has one, else the sentence of the label.
    """
    return [row._replace(panel=panel.name) for panel in figure.panels for s in panel.simulations
            for row in _series_gaps(s)]


def point_table(figure):
    """:func:`point_gaps` as a Markdown table, for a report: every point, its size (relative gap)
    and significance (z at the largest d and of the extrapolation) and its label."""
    rows = point_gaps(figure)
    if not rows:
        return ""
    lines = ["| panel | curve | x | theory | d | simulated | gap | z | d = ∞ (1/d) | z (d = ∞) | label | reason |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        at_infinity = f"{row.extrapolated[0]:.4g} ± {row.extrapolated[1]:.2g}" if row.extrapolated else "—"
        z_inf = f"{row.gap.z_inf:+.1f}" if row.gap.z_inf is not None else "—"
        lines.append(f"| {_plain(row.panel)} | {row.curve} | {row.x:g} | {row.theory:.4g} | {row.d} | "
                     f"{row.mean:.4g} ± {row.se:.2g} | {relative_text(row.gap)} | {row.z_at_d:+.1f} | {at_infinity} | "
                     f"{z_inf} | {row.label} | {row.reason} |")
    return "\n".join(lines)


def _plain(label):
    """A mathtext label as plain text for the report (``$\\alpha = 1$`` -> ``alpha = 1``)."""
    import re

    text = label.replace("$", "")
    text = re.sub(r"\\mathrm\{([^}]*)\}", r"\1", text)
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text)
    return text.replace("{", "").replace("}", "")
