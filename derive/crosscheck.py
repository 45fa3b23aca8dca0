"""Theory against simulation: a paper's model, run at several d, next to its derivation's formulas.

For each parameter point and observable this reports the lowered theory value, the simulated
mean and standard error at each size d, the 1/d extrapolation with its standard error, and
``z = (extrapolated - theory) / se``.  Finite-size bias is expected at each d (typically O(1/d),
positive for these errors); the extrapolation is what should agree with the theory.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

import numpy as np

from .errors import UsageError
from .lower import lower_quantity
from .montecarlo import summarise, sweep


@dataclass
class Simulator:
    """A paper's model at finite size: ``sample(rng, d, values) -> {observable: value}``.

    ``values`` maps parameter names (str) to floats; ``theory`` maps each observable to the
    quantity of the derivation that predicts it; ``points`` are the cross-check points of
    ``derive reproduce``.  A :class:`derive.registry.Paper` owns it as its ``model``.
    """

    sample: object
    parameters: tuple
    theory: dict
    description: str = ""
    default_sizes: tuple = (16, 24, 32)
    default_trials: int = 8
    points: list = field(default_factory=list)


@dataclass
class Row:
    point: dict
    observable: str
    theory: float
    sizes: list
    means: list
    ses: list
    extrapolated: float
    extrapolated_se: float

    @property
    def z(self):
        if self.extrapolated_se == 0:
            return math.nan
        return (self.extrapolated - self.theory) / self.extrapolated_se


def cross_check(derivation, simulator, points, sizes, trials, seed=0, executor=None, store=None):
    """Run ``simulator`` (a paper's model) at ``points`` and compare with the theory of
    ``derivation``.

    ``executor`` and ``store`` are those of :func:`derive.montecarlo.sweep`.
    """
    if simulator is None:
        raise UsageError(f"derivation '{derivation.name}' has no simulator")
    names = [str(p) for p in simulator.parameters]
    for point in points:
        missing = [n for n in names if n not in point]
        if missing:
            raise UsageError(f"missing parameter {missing[0]} for the simulation")
    lowered = {obs: lower_quantity(derivation, q) for obs, q in simulator.theory.items()}
    draws = sweep(simulator.sample, points, sizes, trials, seed, label=f"simulating {derivation.name}",
                  executor=executor, store=store)
    rows = []
    for index, point in enumerate(points):
        args = [point[n] for n in names]
        for observable, function in lowered.items():
            estimates, (a, se, _) = summarise(draws, index, sizes, lambda draw: draw[observable])
            rows.append(Row(dict(point), observable, _real(function(*args), observable, point), list(sizes),
                            [estimates[d].mean for d in sizes], [estimates[d].se for d in sizes], a, se))
    return rows


def _real(value, observable, point):
    """The theory value as a float: a complex one must be real to round-off (a parameter not
    declared real gives complex arithmetic), else the comparison is refused in one line."""
    value = complex(np.asarray(value).item()) if np.iscomplexobj(value) else float(value)
    if isinstance(value, complex):
        if abs(value.imag) > 1e-9 * max(abs(value), 1e-300):
            shown = ", ".join(f"{k}={v}" for k, v in point.items())
            raise UsageError(f"{observable} is complex at {shown} ({value:.6g}); derive mc compares "
                             "real observables")
        value = value.real
    return value


def table(rows):
    """A fixed-width text table of the cross-check."""
    if not rows:
        return ""
    names = list(rows[0].point)
    sizes = rows[0].sizes
    header = names + ["observable", "theory"] + [f"d={d}" for d in sizes] + ["d=inf (1/d fit)", "z"]
    body = []
    for row in rows:
        cells = [f"{row.point[n]:g}" for n in names] + [row.observable, f"{row.theory:.4f}"]
        cells += [f"{m:.4f}+-{s:.4f}" for m, s in zip(row.means, row.ses)]
        cells += [f"{row.extrapolated:.4f}+-{row.extrapolated_se:.4f}", f"{row.z:+.1f}"]
        body.append(cells)
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in [header] + body]
    return "\n".join(lines)


def to_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    if not rows:
        return ""
    names = list(rows[0].point)
    writer.writerow(names + ["observable", "theory", "d", "mean", "se", "extrapolated", "extrapolated_se", "z"])
    for row in rows:
        for d, m, s in zip(row.sizes, row.means, row.ses):
            writer.writerow([row.point[n] for n in names] + [row.observable, row.theory, d, m, s,
                                                             row.extrapolated, row.extrapolated_se, row.z])
    return out.getvalue()


def parse_sizes(text):
    """``"16,24,32"`` -> (16, 24, 32), each at least 2."""
    try:
        sizes = tuple(int(s) for s in text.split(","))
    except ValueError:
        raise UsageError(f"--d {text}: expected whole numbers separated by commas")
    if not sizes or min(sizes) < 2:
        raise UsageError(f"--d {text}: every size must be at least 2")
    return sizes


__all__ = ["Simulator", "Row", "cross_check", "table", "to_csv", "parse_sizes"]
