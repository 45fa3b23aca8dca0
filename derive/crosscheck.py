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
from dataclasses import asdict, dataclass, field

import numpy as np

from .errors import UsageError
from .gaps import classify, counts, relative_text
from .lower import lower_quantity
from .montecarlo import point_text, summarise, sweep


#: The simulation protocol every model offers, and the default: the model as derive simulates it.
DEFAULT_PROTOCOL = "derive"


@dataclass
class Simulator:
    """A paper's model at finite size: ``sample(rng, d, values) -> {observable: value}``.

    ``values`` maps parameter names (str) to floats; ``theory`` maps each observable to the
    quantity of the derivation that predicts it; ``points`` are the cross-check points of
    ``derive reproduce``.  A :class:`derive.registry.Paper` owns it as its ``model``.

    ``protocols`` maps the names of the model's *simulation protocols* (how its training data
    are drawn: the convention of derive, of the paper's authors, ...) to a one-line
    description; the first is the default, and must be :data:`DEFAULT_PROTOCOL`.  A model that
    offers more than the default takes the name as ``sample(rng, d, values, protocol=NAME)``
    (``derive mc --protocol NAME``, :meth:`sampler`).
    """

    sample: object
    parameters: tuple
    theory: dict
    description: str = ""
    default_sizes: tuple = (16, 24, 32)
    default_trials: int = 8
    points: list = field(default_factory=list)
    protocols: dict = field(default_factory=lambda: {DEFAULT_PROTOCOL: "the model as derive simulates it"})

    def __post_init__(self):
        if next(iter(self.protocols), None) != DEFAULT_PROTOCOL:
            raise ValueError(f"a model's first simulation protocol is its default, {DEFAULT_PROTOCOL!r}; "
                             f"got {list(self.protocols)}")

    def protocol(self, name=None):
        """The simulation protocol ``name`` (None: the default), checked against the declared ones:
        an unknown name is a :class:`UsageError` listing them."""
        if name is None:
            return DEFAULT_PROTOCOL
        if name not in self.protocols:
            raise UsageError(f"--protocol {name}: this model offers {', '.join(self.protocols)} "
                             f"(default {DEFAULT_PROTOCOL})")
        return name

    def memory(self, d, values):
        """Bytes one trial at size ``d`` and parameter values ``values`` (name -> number) needs
        at least, or None when the model does not say: a trial that cannot fit is refused
        before any runs (:func:`check_memory`).  A model overrides it."""
        return None

    def sampler(self, protocol=None):
        """``sample`` under a simulation protocol: the sample function itself for the default,
        else a :class:`ProtocolSample`."""
        protocol = self.protocol(protocol)
        return self.sample if protocol == DEFAULT_PROTOCOL else ProtocolSample(self.sample, protocol)


class ProtocolSample:
    """A model's ``sample`` under a named simulation protocol: calls
    ``sample(rng, d, point, protocol=NAME)``.

    It is named after both (``sample_errors[authors]``): the sweep store keys a sweep by its
    sampler's name (:mod:`derive.store`), so the trials of two protocols never mix.  Picklable,
    for the process and cluster executors.
    """

    def __init__(self, sample, protocol):
        self.sample, self.protocol = sample, protocol
        self.__module__ = getattr(sample, "__module__", None)
        self.__qualname__ = f"{getattr(sample, '__qualname__', type(sample).__name__)}[{protocol}]"

    def __call__(self, rng, d, point):
        return self.sample(rng, d, point, protocol=self.protocol)

    def __repr__(self):
        return f"ProtocolSample({self.__qualname__})"


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
    #: The least value the observable can take (its quantity's range; 0 for an error), or None.
    low: float = None

    @property
    def degenerate(self):
        """Whether the extrapolation has no standard error to measure a gap in (every trial
        gave the same value: an observable with no randomness at this point)."""
        return not self.extrapolated_se > 0

    @property
    def agrees_exactly(self):
        return abs(self.extrapolated - self.theory) <= 1e-12 * max(abs(self.theory), 1e-300)

    @property
    def z(self):
        """``(extrapolated - theory) / se``; with no standard error (:attr:`degenerate`) 0 when
        the two agree to rounding and an infinity of the gap's sign otherwise, never nan (the
        :attr:`flag` says why)."""
        if self.degenerate:
            return 0.0 if self.agrees_exactly else math.copysign(math.inf, self.extrapolated - self.theory)
        return (self.extrapolated - self.theory) / self.extrapolated_se

    @property
    def flag(self):
        """Why this row's z is not an ordinary one, in a line, or None: a standard error of 0,
        or an extrapolation below the least value the observable can take (a negative error:
        the 1/d model does not hold at the sizes simulated)."""
        if self.degenerate:
            same = "equal to the theory" if self.agrees_exactly else "different from the theory"
            return f"standard error 0 (every trial gave {self.extrapolated:.6g}, {same}): no z"
        if self.low is not None and self.extrapolated < self.low:
            return (f"extrapolation {self.extrapolated:.4g} < {self.low:g}, impossible for {self.observable}: "
                    "the 1/d fit does not hold at these sizes (simulate larger d)")
        return None

    def z_text(self):
        """z for a table: ``+1.2``; ``se=0`` with no standard error; a ``!`` after an
        extrapolation the observable cannot take."""
        if self.degenerate:
            return "exact" if self.agrees_exactly else "se=0"
        return f"{self.z:+.1f}" + ("!" if self.flag else "")

    @property
    def gap(self):
        """The :class:`derive.gaps.Gap` at the largest d: size, significance and label."""
        largest = self.sizes.index(max(self.sizes))
        return classify(self.theory, self.means[largest], self.ses[largest], self.extrapolated,
                        self.extrapolated_se, self.sizes)

    def to_dict(self):
        """A JSON-ready dict; the point as ``[name, value]`` pairs, so that its order (the
        columns' order) survives a JSON file written with sorted keys."""
        return {**asdict(self), "point": [[k, v] for k, v in self.point.items()]}

    @classmethod
    def from_dict(cls, data):
        point = data["point"]
        return cls(**{**data, "point": dict(point) if isinstance(point, list) else point})


def cross_check(derivation, simulator, points, sizes, trials, seed=0, executor=None, store=None, protocol=None):
    """Run ``simulator`` (a paper's model) at ``points`` and compare with the theory of
    ``derivation``.

    ``executor`` and ``store`` are those of :func:`derive.montecarlo.sweep`; ``protocol`` names
    one of the model's simulation protocols (None: the default).
    """
    if simulator is None:
        raise UsageError(f"derivation '{derivation.name}' has no simulator")
    names = [str(p) for p in simulator.parameters]
    for point in points:
        missing = [n for n in names if n not in point]
        if missing:
            raise UsageError(f"missing parameter {missing[0]} for the simulation")
    check_memory(simulator, points, sizes)
    lowered = {obs: lower_quantity(derivation, q) for obs, q in simulator.theory.items()}
    draws = sweep(simulator.sampler(protocol), points, sizes, trials, seed, label=f"simulating {derivation.name}",
                  executor=executor, store=store)
    rows = []
    for index, point in enumerate(points):
        args = [point[n] for n in names]
        for observable, function in lowered.items():
            estimates, (a, se, _) = summarise(draws, index, sizes, lambda draw: draw[observable])
            rows.append(Row(dict(point), observable, _real(function(*args), observable, point), list(sizes),
                            [estimates[d].mean for d in sizes], [estimates[d].se for d in sizes], a, se,
                            _lowest(function)))
    return rows


def _lowest(function):
    """The lower end of a lowered quantity's declared range (0 for an error), or None."""
    bounds = getattr(function, "range", None)
    return None if bounds is None or bounds[0] is None else float(bounds[0])


def check_memory(simulator, points, sizes):
    """Refuse, before any trial runs, a size and point whose one trial needs more memory than
    this process may use (:meth:`Simulator.memory`, :func:`derive.budget.memory_limit`)."""
    from .budget import memory_limit

    limit = memory_limit()
    for point in points:
        for d in sorted(sizes, reverse=True):
            need = simulator.memory(d, point)
            if need is not None and need > limit:
                raise UsageError(f"d={d} at {point_text(point)}: one trial needs at least {need / 2**30:.1f} GiB "
                                 f"of memory, and {limit / 2**30:.1f} GiB is all there is; take a smaller --d "
                                 "or smaller parameters")


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


def columns(rows, plus_minus="+-"):
    """``(header, cells of each row)`` of the cross-check, in one column order for
    ``crosscheck.txt`` and ``report.md``: the point, the observable, the theory, the mean at each
    d, the 1/d extrapolation and its z (with one size, z at that size), then the gap at the
    largest d by size and significance and its label (:func:`derive.gaps.classify`)."""
    if not rows:
        return [], []
    names = list(rows[0].point)
    sizes = rows[0].sizes
    # One size has nothing to extrapolate: z is then the gap at that d, in its standard errors.
    extrapolated = len(sizes) > 1
    largest = max(sizes)
    header = (names + ["observable", "theory"] + [f"d={d}" for d in sizes]
              + (["d=inf (1/d fit)", "z"] if extrapolated else [f"z at d={sizes[0]}"])
              + [f"gap at d={largest}"] + ([f"z at d={largest}"] if extrapolated else []) + ["label"])
    body = []
    for row in rows:
        gap = row.gap
        cells = [f"{row.point[n]:g}" for n in names] + [row.observable, f"{row.theory:.4f}"]
        cells += [f"{m:.4f}{plus_minus}{s:.4f}" for m, s in zip(row.means, row.ses)]
        cells += ([f"{row.extrapolated:.4f}{plus_minus}{row.extrapolated_se:.4f}"] if extrapolated else [])
        gap_z = f"{gap.z:+.1f}" if math.isfinite(gap.z) else "se=0"
        cells += [row.z_text(), relative_text(gap)] + ([gap_z] if extrapolated else []) + [gap.label]
        body.append(cells)
    return header, body


def table(rows):
    """A fixed-width text table of the cross-check (:func:`columns`), then one line counting the
    rows by label."""
    header, body = columns(rows)
    if not header:
        return ""
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in [header] + body]
    notes = [f"note: {row.observable} at {point_text(row.point)}: {row.flag}" for row in rows if row.flag]
    return "\n".join(lines + ["", f"{len(rows)} comparisons: {counts(row.gap for row in rows)} (the rule: derive.gaps)."]
                     + notes)


def markdown(rows):
    """The cross-check as a Markdown table, the columns of :func:`table` in its order."""
    header, body = columns(rows, " ± ")
    if not header:
        return ""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(cells) + " |" for cells in body])


def to_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    if not rows:
        return ""
    names = list(rows[0].point)
    writer.writerow(names + ["observable", "theory", "d", "mean", "se", "extrapolated", "extrapolated_se", "z",
                             "flag"])
    for row in rows:
        z = "" if row.degenerate and not row.agrees_exactly else row.z  # no number for "no z"
        for d, m, s in zip(row.sizes, row.means, row.ses):
            writer.writerow([row.point[n] for n in names] + [row.observable, row.theory, d, m, s,
                                                             row.extrapolated, row.extrapolated_se, z, row.flag or ""])
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


__all__ = ["DEFAULT_PROTOCOL", "Simulator", "ProtocolSample", "Row", "columns", "cross_check", "markdown", "table", "to_csv", "parse_sizes"]
