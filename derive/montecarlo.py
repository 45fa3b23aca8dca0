"""Monte Carlo: seeded trials, means with standard errors, extrapolation in d, progress.

An asymptotic fact holds as d -> infinity; at finite d it holds up to a bias, typically O(1/d)
(O(d^-2/3) at a spectral edge).  So a fact is tested at several sizes d, the mean over trials at
each size is fitted by weighted least squares as ``a + b d^-p`` (``p`` the exponent of the
finite-size corrections, 1 unless declared), and the intercept ``a`` (the d = infinity value) is
compared with the statement.  The standard errors are those of the trial means; the intercept's
standard error comes from the fit, and with three sizes or more the fit's chi-square says
whether the model ``a + b d^-p`` describes the means at all (:class:`Fit`).
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from . import executors
from .errors import UsageError
from .store import Store
from .grid import shown


@dataclass
class Estimate:
    """Mean and standard error of ``trials`` independent draws."""

    mean: float
    se: float
    trials: int

    @classmethod
    def of(cls, values):
        values = np.asarray(values, dtype=float)
        n = len(values)
        se = float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else float("inf")
        return cls(float(values.mean()), se, n)


@dataclass
class Fit:
    """The weighted least-squares fit ``mean = a + b d^-exponent``.

    ``a +- se`` is the intercept (the d = infinity value), ``chi2`` the weighted sum of squared
    residuals of the fit, with ``dof = len(sizes) - 2`` degrees of freedom (0 with two sizes: the
    line goes through both means; with one size ``a`` is the mean itself and ``dof`` is 0).
    """

    a: float
    se: float
    b: float
    chi2: float = 0.0
    dof: int = 0
    exponent: float = 1.0

    @property
    def p_value(self):
        """The probability of a chi-square at least this large if the model is right."""
        return chi2_sf(self.chi2, self.dof)


def fit(sizes, means, ses, exponent=1.0, resolution=0.0):
    """Weighted least-squares fit ``mean = a + b d^-exponent``: a :class:`Fit`.

    Standard errors of 0 (exact data, no spread between trials) are floored at a millionth of
    the smallest positive one; when all are 0 the fit is unweighted, with no uncertainty.  In the
    chi-square the standard errors are floored at ``resolution``: deviations from the model far
    below the resolution that matters (round-off in an exact fact) do not reject it.

    >>> f = fit([100, 200, 400], [1.01, 1.005, 1.0025], [1e-3, 1e-3, 1e-3])
    >>> round(f.a, 6), round(f.b, 6), round(f.chi2, 9)
    (1.0, 1.0, 0.0)
    """
    sizes, means, ses = (np.asarray(v, dtype=float) for v in (sizes, means, ses))
    if len(sizes) == 1:
        return Fit(float(means[0]), float(ses[0]), 0.0, 0.0, 0, exponent)
    design = np.column_stack([np.ones_like(sizes), sizes ** -float(exponent)])
    dof = len(sizes) - 2
    if not np.any(ses > 0):
        coefficients = np.linalg.lstsq(design, means, rcond=None)[0]
        return Fit(float(coefficients[0]), 0.0, float(coefficients[1]), 0.0, dof, exponent)
    weights = 1.0 / np.maximum(ses, ses[ses > 0].min() * 1e-6) ** 2
    normal = design.T @ (weights[:, None] * design)
    coefficients = np.linalg.solve(normal, design.T @ (weights * means))
    covariance = np.linalg.inv(normal)
    residuals = means - design @ coefficients
    chi2 = float(np.sum(residuals ** 2 / np.maximum(ses, resolution) ** 2)) if dof > 0 else 0.0
    return Fit(float(coefficients[0]), float(np.sqrt(covariance[0, 0])), float(coefficients[1]), chi2, dof,
               exponent)


def extrapolate(sizes, means, ses, exponent=1.0):
    """Weighted least-squares fit ``mean = a + b d^-exponent``; returns ``(a, se_a, b)``.

    With one size there is nothing to fit: the mean itself is returned, with its standard error.

    >>> a, se, b = extrapolate([100, 200, 400], [1.01, 1.005, 1.0025], [1e-3, 1e-3, 1e-3])
    >>> round(a, 6), round(b, 6)
    (1.0, 1.0)
    """
    result = fit(sizes, means, ses, exponent)
    return result.a, result.se, result.b


def chi2_sf(x, dof):
    """``P(X >= x)`` for ``X`` chi-square with ``dof`` degrees of freedom (1 when ``dof`` is 0)."""
    if dof <= 0:
        return 1.0
    if not np.isfinite(x):
        return 0.0
    import mpmath

    return float(mpmath.gammainc(dof / 2, max(x, 0.0) / 2, mpmath.inf, regularized=True))


def seeds(seed, *keys):
    """A ``numpy.random.Generator`` determined by ``seed`` and the integer ``keys`` alone."""
    return np.random.default_rng(np.random.SeedSequence([seed, *keys]))


class Progress:
    """A one-line progress bar on stderr, shown only on a terminal and after a few seconds."""

    def __init__(self, total, label="", delay=3.0, stream=None):
        self.total, self.label, self.delay = total, label, delay
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.done = 0
        self.shown = False

    def advance(self, n=1):
        self.done += n
        elapsed = time.monotonic() - self.start
        if elapsed < self.delay or not getattr(self.stream, "isatty", lambda: False)():
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        eta = elapsed / max(self.done, 1) * (self.total - self.done)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{self.done}/{self.total} eta {eta:5.0f}s")
        self.stream.flush()
        self.shown = True

    def close(self):
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


#: The store of the sweeps that name none (:func:`keeping`).
_KEPT = contextvars.ContextVar("derive_sweep_store", default=None)


@contextlib.contextmanager
def keeping(store):
    """Within, a :func:`sweep` given no ``store`` of its own keeps its trials under ``store``
    (None: nowhere).  How ``derive reproduce`` makes its figures' simulations resumable without
    every figure function taking a store."""
    token = _KEPT.set(store)
    try:
        yield
    finally:
        _KEPT.reset(token)


def sweep(sample, points, sizes, trials, seed, label="monte carlo", executor=None, store=None):
    """Run ``sample(rng, d, point)`` for every point, size and trial.

    Returns ``{(point_index, d): [draw, ...]}`` with one dict per trial.  The generator of a
    trial depends only on ``(seed, point_index, d, trial)``, so any subset of a sweep, run in
    any order and on any executor, gives the same numbers.

    ``executor`` (:mod:`derive.executors`; default the current one) runs the trials.  ``store``,
    a directory, keeps each finished trial (:class:`derive.store.Store`): trials already there
    are not run again (default: the one of :func:`keeping`, if any).  Points must then be plain
    name -> number dicts.
    """
    store = store if store is not None else _KEPT.get()
    tasks = [(index, d, trial) for index in range(len(points)) for d in sizes for trial in range(trials)]
    kept = Store(store, sample, points, seed) if store is not None else None
    done = kept.load() if kept is not None else {}
    pending = [task for task in tasks if task not in done]
    progress = Progress(len(pending), label=label)
    try:
        runner = executor or executors.current()
        for task, (values, seconds) in runner.run(Trial(sample, points, seed), pending):
            done[task] = values
            if kept is not None:
                kept.save(task, values, seed, seconds)
            progress.advance()
    finally:
        progress.close()
    return {(index, d): [done[index, d, trial] for trial in range(trials)]
            for index in range(len(points)) for d in sizes}


class Trial:
    """One trial of a sweep, picklable for process and cluster executors:
    ``(point_index, d, trial) -> (draw, seconds)``."""

    def __init__(self, sample, points, seed):
        self.sample, self.points, self.seed = sample, list(points), seed

    def __call__(self, task):
        index, d, trial = task
        start = time.perf_counter()
        try:
            values = self.sample(seeds(self.seed, index, d, trial), d, self.points[index])
        except MemoryError as exc:  # one line naming the size and point, not an internal error
            raise UsageError(f"d={d} at {point_text(self.points[index])}: a trial ran out of memory "
                             f"({exc or 'MemoryError'}); take a smaller --d or smaller parameters") from None
        return values, time.perf_counter() - start


def point_text(point):
    """``alpha=1, kappa=0.5``: a parameter point in one line."""
    return ", ".join(f"{name}={shown(value)}" if isinstance(value, (int, float)) else f"{name}={value}"
                     for name, value in point.items())


def summarise(draws, index, sizes, value, exponent=1.0):
    """Per-size estimates of ``value(draw)`` at one point, and the ``d^-exponent`` extrapolation.

    Returns ``(estimates, (a, se_a, b))`` with ``estimates[d]`` an :class:`Estimate`.
    """
    estimates = {d: Estimate.of([value(draw) for draw in draws[index, d]]) for d in sizes}
    result = fit(list(sizes), [estimates[d].mean for d in sizes], [estimates[d].se for d in sizes], exponent)
    return estimates, (result.a, result.se, result.b)


@dataclass
class Simulation:
    """How a fact is checked: draw the statement's random names at finite size d.

    Parameters
    ----------
    sample : callable ``(rng, d, point) -> dict``
        One trial at size ``d`` and parameter point ``point`` (a dict symbol -> number); returns
        the finite-d value of every random name in the statement (``{m(c, z): 0.53+0.1j}``).
    points : list of dict
        Parameter points (symbol -> number) at which the fact is tested.
    sizes : tuple of int
        The sizes d, two at least (one cannot tell a limit from its value at that d): an
        extrapolation in ``d^-exponent``; three or more also test that this finite-size model
        fits.  A fact simulated at fewer distinct sizes, at no points, with one trial, or with a
        tolerance that is not a finite positive number is left unverified.
    trials : int
        Independent trials per (point, size).
    seed : int
        Every trial's generator derives from (seed, point index, size, trial).
    tolerance : float
        The resolution claimed, **relative** by default: at each point the residual
        ``lhs - rhs`` is compared with ``tolerance x scale``, the scale being the mean over the
        draws (at the largest d) of the sum of the absolute values of the terms of the expanded
        residual (so ``P(m, z) = 0`` is measured against the size of the terms of ``P``).  See
        :mod:`derive.check.fact` for the verdict, and for how it depends on the mode of
        convergence the fact claims (``fact(..., mode=)``: in mean, in probability, almost surely).
    absolute : bool
        Compare the residual with ``tolerance`` itself, in the units of the quantity.  Needed
        when the statement has a single term (``g = 0``: nothing to be relative to).
    exponent : float or None
        The order of the finite-size corrections of the mean residual, ``d^-exponent`` (2/3 at a
        spectral edge, 1 for a resolvent trace).  Declared, it is trusted as long as the fit does
        not reject it.  Left ``None``, the fit uses 1 and the verdict must hold for every exponent
        from 1/2 to 2 that the data do not reject.
    exact : bool
        The statement holds at every d, exactly or in expectation (an identity of the finite
        model, not a limit): nothing is extrapolated, and the mean residual must be within the
        tolerance at *every* size simulated.  Two sizes at least, as for any fact: one d cannot
        tell an identity from a limit whose correction happens to be small there.
    """

    sample: object
    points: list
    sizes: tuple = (50, 100, 200)
    trials: int = 20
    seed: int = 0
    tolerance: float = 1e-2
    description: str = ""
    options: dict = field(default_factory=dict)
    absolute: bool = False
    exponent: float | None = None
    exact: bool = False

    def __post_init__(self):
        if self.exponent is not None:
            self.exponent = float(self.exponent)
            if not self.exponent > 0:
                raise ValueError(f"the exponent of the finite-size corrections must be positive, not {self.exponent}")
        if not float(self.tolerance) > 0:
            raise ValueError(f"the tolerance must be positive, not {self.tolerance}")

    def fingerprint(self):
        """What a cached result depends on, stable across runs: the code the sampler reaches
        (:func:`derive.fingerprint.dependency_fingerprint`: its module and every local module
        imported from there, transitively, so a helper two calls below it counts), its state (for
        a sampler object: its public attributes, never a memory address), and the simulation's
        settings."""
        from .fingerprint import dependency_fingerprint

        points = [sorted((str(k), repr(v)) for k, v in p.items()) for p in self.points]
        return repr((dependency_fingerprint(self.sample), stable_state(self.sample), points, tuple(self.sizes), self.trials,
                     self.seed, self.tolerance, self.absolute, self.exponent, FACT_RULE))


def stable_state(value, depth=0):
    """A representation of ``value`` that is the same in every run: sympy objects by ``srepr``,
    arrays by their bytes, objects by their public attributes; never an address."""
    import hashlib

    import sympy as sp

    if depth > 6:
        return type(value).__name__
    if isinstance(value, sp.Basic):
        return sp.srepr(value)
    if isinstance(value, np.ndarray):
        return hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()
    if isinstance(value, (str, int, float, complex, bool, type(None))):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable_state(v, depth + 1) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{stable_state(k, depth + 1)}:{stable_state(v, depth + 1)}"
                                     for k, v in value.items())) + "}"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if hasattr(value, "__dict__"):
        public = {k: v for k, v in vars(value).items() if not k.startswith("_")}
        return f"{type(value).__qualname__}({stable_state(public, depth + 1)})"
    text = repr(value)
    return type(value).__qualname__ if " at 0x" in text else text


#: The version of the fact-checking rule (:mod:`derive.check.fact`): part of every simulation's
#: fingerprint, so results cached under an older rule are checked again.
FACT_RULE = 2
