"""Figures as data, then as PNG, PDF and CSV: what a derivation's figure functions return.

A :class:`Figure` holds panels; a :class:`Panel` holds theory :class:`Curve` s, :class:`Simulation` s
(means with standard errors at one or several sizes d) or a :class:`HeatMap`.  :func:`write`
renders them the way a journal expects:

- labels in the paper's notation, as matplotlib mathtext printed by the derivation's own symbol
  map (:class:`Notation`, through the LaTeX export's printer: one table, not two);
- one legend: colour for the parameter value (a curve's ``label``; a simulation with the same
  label has the colour of its theory curve), a line for theory, a marker with an error bar for
  simulation; it sits outside the axes, so it never covers data;
- panel letters as in the paper (:attr:`Panel.letter`);
- a simulated point outside the plotted range is drawn as a triangle on the edge and counted in
  the panel, and :func:`caption` says which (never dropped silently);
- a simulation at several d is drawn at each d (lighter for smaller d) with its extrapolation in
  ``1/d`` (open diamonds; :func:`derive.montecarlo.fit`);
- PNG to look at, PDF (vector, TrueType fonts) to print, and a CSV of every number plotted
  (long format: panel, curve, d, x, y, yerr), so that a figure can be re-plotted or compared
  without re-running anything.

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

#: matplotlib settings of every figure (applied in a context, never globally): STIX fonts for text
#: and mathtext alike, journal-sized type, TrueType (Type 42) fonts in the PDF, as journals ask.
STYLE = {
    "font.family": "STIXGeneral", "mathtext.fontset": "stix", "font.size": 8,
    "axes.titlesize": 8, "axes.labelsize": 8, "legend.fontsize": 7, "xtick.labelsize": 7,
    "ytick.labelsize": 7, "lines.linewidth": 1.2, "axes.linewidth": 0.6, "legend.frameon": False,
    "pdf.fonttype": 42, "savefig.dpi": 200,
}

#: Width and height of one panel, in inches (three fit a 7-inch double column).
PANEL_SIZE = (2.3, 2.0)


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
    (a :class:`Simulation` with the same label shares it) and is the legend entry."""

    label: str
    x: np.ndarray
    y: np.ndarray
    color: str | None = None
    linestyle: str = "-"


@dataclass
class Simulation:
    """Simulated means with standard errors at the points ``x``, at one size d or several.

    ``estimates`` maps each d to one :class:`derive.montecarlo.Estimate` per point; with two
    sizes or more each point is also extrapolated as ``a + b d^-exponent``.  ``theory`` (the
    theory at ``x``, optional) gives :func:`caption` the remaining finite-size gap, and
    :func:`point_gaps` the gap point by point; ``notes`` maps an x to the reason its gap is what
    it is, when the paper knows one (a point at a threshold the finite model cannot reach).
    """

    label: str
    x: np.ndarray
    estimates: dict
    theory: np.ndarray | None = None
    exponent: float = 1.0
    notes: dict = field(default_factory=dict)

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
    x: np.ndarray
    y: np.ndarray
    values: np.ndarray  # shape (len(y), len(x)); nan is drawn grey
    colorbar: str = ""


@dataclass
class Panel:
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

    @property
    def simulations(self):
        return [c for c in self.curves if isinstance(c, Simulation)]

    def off_scale(self):
        """``(simulation, d, x, y)`` of every simulated mean the axes cannot show: outside
        ``ylim``, or not positive on a log axis."""
        found = []
        for simulation in self.simulations:
            for d, means, _ in simulation.series():
                for x, y in zip(simulation.x, means):
                    if self._outside(y):
                        found.append((simulation, d, float(x), float(y)))
        return found

    def _outside(self, y):
        if not np.isfinite(y) or (self.yscale == "log" and y <= 0):
            return True
        return self.ylim is not None and not self.ylim[0] <= y <= self.ylim[1]

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


def write(figure, directory, force=False):
    """Write ``NAME.png``, ``NAME.pdf`` and ``NAME.csv`` into ``directory`` (an
    :class:`OutputDirectory` or a path); return their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = directory if isinstance(directory, OutputDirectory) else OutputDirectory(directory, force)
    targets = [out.target(f"{figure.name}.{suffix}") for suffix in FORMATS]
    table = out.target(f"{figure.name}.csv")
    with matplotlib.rc_context(STYLE):
        fig = _render(figure, plt)
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


def _table(figure):
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["panel", "curve", "d", "x", "y", "yerr"])
    for panel in figure.panels:
        for curve in panel.curves:
            if isinstance(curve, Simulation):
                for d, means, errors in curve.series():
                    for xv, yv, ev in zip(curve.x, means, errors):
                        writer.writerow([panel.name, curve.label, "inf" if math.isinf(d) else d,
                                         repr(float(xv)), repr(float(yv)), repr(float(ev))])
            else:
                for xv, yv in zip(curve.x, curve.y):
                    writer.writerow([panel.name, curve.label, "", repr(float(xv)), repr(float(yv)), ""])
        if panel.heatmap is not None:
            h = panel.heatmap
            for i, yv in enumerate(h.y):
                for j, xv in enumerate(h.x):
                    writer.writerow([panel.name, "heatmap", "", repr(float(xv)), repr(float(yv)),
                                     repr(float(h.values[i, j]))])
    return rows.getvalue()


def _remove(path):
    """Remove a half-written file, if any."""
    try:
        path.unlink()
    except OSError:
        pass


def _render(figure, plt):
    """The matplotlib figure: panels in a row, and the legend outside them: one under the whole
    figure when every panel draws parameter values of the same set, else one under each panel.
    A value has the same colour in every panel while the figure's values fit matplotlib's colour
    cycle (Fig. 4's alpha = 10 in both panels); beyond that each panel has its own colours."""
    from matplotlib import rcParams

    count = len(figure.panels)
    labels = [_labels(panel.curves) for panel in figure.panels]
    widest = max(labels, key=len)
    shared = count > 1 and bool(widest) and all(set(these) <= set(widest) for these in labels)
    palette = _colours([c for panel in figure.panels for c in panel.curves])
    if len(palette) > len(rcParams["axes.prop_cycle"].by_key()["color"]):
        palette = None
    legends = [([(k, palette[k]) for k in these] if palette else list(_colours(panel.curves).items()),
                _styles(panel)) for these, panel in zip(labels, figure.panels)]
    if shared and palette:
        entries = list(palette.items()) + _merged_styles(legends)
        below, under = 0, 0.13 * math.ceil(len(entries) / count) + 0.15
    else:
        rows = max((len(colours) + len(styles) for colours, styles in legends), default=0)
        below, under = (0.13 * rows + 0.1 if rows else 0), 0
    width, height = PANEL_SIZE
    title = _wrapped(figure.title, width * count, 9)
    fig = plt.figure(figsize=(width * count, height + below + under + 0.16 * title.count("\n")), layout="constrained")
    if below:
        grid = fig.add_gridspec(2, count, height_ratios=[height, below])
        axes = [fig.add_subplot(grid[0, i]) for i in range(count)]
        holders = [fig.add_subplot(grid[1, i]) for i in range(count)]
    else:
        axes = [fig.add_subplot(1, count, i + 1) for i in range(count)]
        holders = [None] * count
    for axis, holder, panel, (colours, styles) in zip(axes, holders, figure.panels, legends):
        _draw(axis, panel, dict(colours))
        if holder is not None:
            holder.axis("off")
            if colours or styles:
                holder.legend(*_handles(colours + styles), loc="upper center", ncols=1, borderaxespad=0)
    if under:
        fig.legend(*_handles(entries), loc="outside lower center", ncols=count)
    fig.suptitle(title, fontsize=9)
    note = lineage_note(figure)
    if note:  # on the picture itself, where it cannot be separated from the curves
        fig.supxlabel(_wrapped(note, width * count, 6), fontsize=6, color="tab:red")
    return fig


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
    visible = lambda word: len(re.sub(r"\\[A-Za-z]+", "#", re.sub(r"[${}^_]", "", word)))
    lines, line = [], ""
    for word in words:
        if line and visible(line) + 1 + visible(word) > fits:
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


def _styles(panel):
    """The kinds of mark a panel uses, as legend entries: theory lines, simulation at which d, the
    extrapolation."""
    styles = []
    simulations = panel.simulations
    if simulations and any(isinstance(c, Curve) for c in panel.curves):
        styles.append(("theory", "line"))
    for sizes in sorted({tuple(s.sizes) for s in simulations}):
        what = f"$d = {sizes[0]}$" if len(sizes) == 1 else f"$d = {', '.join(map(str, sizes))}$ (darker: larger)"
        styles.append((f"simulation, {what}", "points"))
        if len(sizes) > 1:
            styles.append((r"extrapolated to $d \to \infty$", "extrapolated"))
    return styles


def _merged_styles(legends):
    styles = []
    for _, entries in legends:
        styles += [entry for entry in entries if entry not in styles]
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
        elif kind in ("points", "extrapolated"):
            marker = Line2D([], [], color="k", marker="o" if kind == "points" else "D", ls="none", ms=3.5,
                            markerfacecolor="k" if kind == "points" else "white")
            handle = ErrorbarContainer((marker, (), (LineCollection([], colors="k"),)), has_yerr=True)
        else:  # a parameter value: its colour
            handle = Line2D([], [], color=kind, lw=2)
        handles.append(handle)
        labels.append(label)
    return handles, labels


def _draw(axis, panel, colours):
    if panel.heatmap is not None:
        h = panel.heatmap
        masked = np.ma.masked_invalid(h.values)
        axis.set_facecolor("0.8")
        mesh = axis.pcolormesh(h.x, h.y, masked, shading="auto", cmap="viridis", rasterized=True)
        axis.figure.colorbar(mesh, ax=axis, label=h.colorbar)
    for curve in panel.curves:
        if isinstance(curve, Curve):
            axis.plot(curve.x, curve.y, color=colours[curve.label], ls=curve.linestyle)
    for x in panel.vlines:
        # Above a heat map (red, as the paper's Fig. 3), under the curves and points.
        axis.axvline(x, color="tab:red" if panel.heatmap is not None else "0.45", lw=0.8, ls="--", zorder=1.5)
    axis.set_xscale(panel.xscale)
    axis.set_yscale(panel.yscale)
    if panel.ylim:
        axis.set_ylim(*panel.ylim)
    for simulation in panel.simulations:
        _draw_simulation(axis, panel, simulation, colours[simulation.label])
    if panel.ylim:
        axis.set_ylim(*panel.ylim)  # the simulations' error bars must not widen a chosen range
    _mark_off_scale(axis, panel, colours)
    axis.set_xlabel(panel.xlabel)
    axis.set_ylabel(panel.ylabel)
    axis.set_title(panel.title)
    if panel.letter:
        axis.set_title(panel.letter, loc="left", fontweight="bold", fontsize=10)


def _draw_simulation(axis, panel, simulation, colour):
    """Each size's means (the largest d with error bars, smaller d lighter and without), and the
    extrapolation as open diamonds joined to the finite-d means by a dotted line."""
    series = simulation.series()
    finite = [s for s in series if not math.isinf(s[0])]
    shown = lambda y: np.where([panel._outside(v) for v in y], np.nan, y)  # off-scale: edge marks
    for rank, (d, means, errors) in enumerate(finite):
        last = rank == len(finite) - 1
        weight = 1.0 if last else 0.3 + 0.5 * rank / max(len(finite) - 1, 1)
        axis.errorbar(simulation.x, shown(means), yerr=errors if last else None, fmt="o", color=colour,
                      ms=3.5 if last else 2.5, alpha=weight, capsize=1.5, elinewidth=0.8, zorder=3)
    if len(series) > len(finite):
        _, means, errors = series[-1]
        stack = np.array([s[1] for s in series])
        for i, x in enumerate(simulation.x):
            axis.plot([x] * len(stack), shown(stack[:, i]), color=colour, ls=":", lw=0.7, zorder=2)
        axis.errorbar(simulation.x, shown(means), yerr=errors, fmt="D", color=colour, ms=3.5,
                      markerfacecolor="white", capsize=1.5, elinewidth=0.8, zorder=4)


def _mark_off_scale(axis, panel, colours):
    """A triangle on the edge for each simulated mean outside the axes, and their count."""
    off = panel.off_scale()
    if not off:
        return
    low, high = axis.get_ylim()
    for simulation, _, x, y in off:
        above = np.isfinite(y) and y > high
        axis.plot([x], [high if above else low], marker="^" if above else "v", color=colours[simulation.label],
                  ms=5, ls="none", clip_on=False, zorder=5)
    axis.text(0.02, 0.02, f"{len(off)} off scale (triangles)", transform=axis.transAxes, fontsize=6,
              va="bottom", ha="left", color="0.3")


def caption(figure):
    """The figure's text for a report: its caption, the simulations (sizes, trials), the
    finite-size gap between simulation and theory, and every simulated point off the axes; first
    of all, the quantities it was drawn from that rest on steps not verified (:func:`lineage_note`)."""
    parts = [lineage_note(figure)]
    parts += [figure.caption.strip()] if figure.caption.strip() else []
    simulations = [s for panel in figure.panels for s in panel.simulations]
    if simulations:
        sizes = sorted({d for s in simulations for d in s.sizes})
        trials = sorted({t for s in simulations for t in s.trials})
        extrapolated = any(len(s.sizes) > 1 for s in simulations)
        parts.append(f"Markers: simulations of the model at d = {', '.join(map(str, sizes))} "
                     f"({'/'.join(map(str, trials))} trials; mean ± standard error)"
                     + (", extrapolated in 1/d (open diamonds)." if extrapolated else "."))
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
