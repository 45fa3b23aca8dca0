"""Figures as data, then as PNG and CSV: what a derivation's figure functions return.

A :class:`Figure` holds panels; a :class:`Panel` holds curves (dense theory lines, or simulation
points with error bars) or a heat map.  :func:`write` renders the PNG with matplotlib and writes
every number plotted to a CSV beside it (long format: panel, curve, x, y, yerr), so that a figure
can be re-plotted or compared without re-running anything.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
import numpy as np

from .output import OutputDirectory, failure, replace_text


@dataclass
class Curve:
    label: str
    x: np.ndarray
    y: np.ndarray
    yerr: np.ndarray | None = None
    style: str = "line"  # "line" or "points"


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


@dataclass
class Figure:
    name: str
    title: str
    panels: list
    caption: str = ""


def write(figure, directory, force=False):
    """Write ``NAME.png`` and ``NAME.csv`` into ``directory`` (an :class:`OutputDirectory` or a
    path); return their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = directory if isinstance(directory, OutputDirectory) else OutputDirectory(directory, force)
    png = out.target(f"{figure.name}.png")
    table = out.target(f"{figure.name}.csv")
    count = len(figure.panels)
    fig, axes = plt.subplots(1, count, figsize=(4.6 * count, 3.8), squeeze=False)
    for axis, panel in zip(axes[0], figure.panels):
        _draw(axis, panel)
    fig.suptitle(figure.title)
    fig.tight_layout()
    try:
        fig.savefig(png, dpi=130)
    except OSError as exc:
        _remove(png)
        raise failure(png, exc) from None
    finally:
        plt.close(fig)
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["panel", "curve", "x", "y", "yerr"])
    for panel in figure.panels:
        for curve in panel.curves:
            errors = curve.yerr if curve.yerr is not None else [""] * len(curve.x)
            for xv, yv, ev in zip(curve.x, curve.y, errors):
                writer.writerow([panel.title, curve.label, repr(float(xv)), repr(float(yv)),
                                 "" if ev == "" else repr(float(ev))])
        if panel.heatmap is not None:
            h = panel.heatmap
            for i, yv in enumerate(h.y):
                for j, xv in enumerate(h.x):
                    writer.writerow([panel.title, "heatmap", repr(float(xv)), repr(float(yv)),
                                     repr(float(h.values[i, j]))])
    replace_text(table, rows.getvalue())
    out.record(png.name)
    out.record(table.name)
    return png, table


def _remove(path):
    """Remove a half-written file, if any."""
    try:
        path.unlink()
    except OSError:
        pass


def _draw(axis, panel):
    if panel.heatmap is not None:
        h = panel.heatmap
        masked = np.ma.masked_invalid(h.values)
        axis.set_facecolor("0.8")
        mesh = axis.pcolormesh(h.x, h.y, masked, shading="auto", cmap="viridis")
        axis.figure.colorbar(mesh, ax=axis, label=h.colorbar)
    colors = {}
    for curve in panel.curves:
        key = curve.label.split(" (")[0]
        if curve.style == "points":
            color = colors.get(key)
            axis.errorbar(curve.x, curve.y, yerr=curve.yerr, fmt="o", ms=4, capsize=2,
                          color=color, label=curve.label)
        else:
            (line,) = axis.plot(curve.x, curve.y, lw=1.5, label=curve.label)
            colors[key] = line.get_color()
    for x in panel.vlines:
        axis.axvline(x, color="r", lw=1, ls="--")
    axis.set_xscale(panel.xscale)
    axis.set_yscale(panel.yscale)
    if panel.ylim:
        axis.set_ylim(*panel.ylim)
    axis.set_xlabel(panel.xlabel)
    axis.set_ylabel(panel.ylabel)
    axis.set_title(panel.title, fontsize=10)
    if panel.curves:
        axis.legend(fontsize=7)
