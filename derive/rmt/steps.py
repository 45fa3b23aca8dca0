"""A law's curve as a chain of checked derivation steps.

:func:`add_law` writes into a :class:`~derive.derivation.Derivation` how the curve of a
:class:`~derive.rmt.law.Law` follows from its construction, one step per operation; the law's
class says which kind it is (:meth:`~derive.rmt.law.Law.write_steps`), and this module writes
each kind:

* a named law is a **fact** (``mp``, ``semicircle``: its curve, checked against the resolvent
  trace of its matrix model) or a **definition** (``atom``, ``spectrum``: ``m = sum w_i/(x_i - z)``,
  then its curve by algebra);
* scaling, shift and inverse are **transform** steps (a change of variables between curves,
  checked exactly by pseudo-remainder);
* a free sum or product is four kinds of step: each operand's R- or S-transform curve
  (**transform**); Voiculescu's theorem ``R = R_a + R_b`` or ``S = S_a S_b`` (a **fact**, checked
  against the empirical transforms of the sampled matrices ``A``, ``B`` and ``A + OBO^T`` or
  ``A^{1/2}OBO^TA^{1/2}``); the curve of the result's transform (**convolution**: a factor of the
  resultant that carries the branch); and the Stieltjes curve back from it (**transform**).

The theorem is tested where it says something: near ``w = 0`` the free and the classical
combinations agree to third order (the first three cumulants of a sum are additive either way),
so a classical sum passed off as a free one would pass there.  :func:`choose_w` picks, per law
and point, values of ``w`` inside the transforms' domain where the classical prediction (the
law of ``a_i + b_j``, or ``a_i b_j``, over independent pairs of eigenvalues) is at least
:data:`SEPARATION` tolerances from the free one, and the fact's description records the margin.

The last step states ``P(f(z), z) = 0`` for the function ``f`` the derivation names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from threadpoolctl import threadpool_limits

from ..errors import DerivationError
from ..latex import DerivePrinter
from ..notation import Meaning
from ..montecarlo import Simulation
from . import algebraic
# The matrix models are the laws' (law.Law.sample): a sampler's fingerprint covers the modules this one names.
from . import law as laws
from .rules import introduced_by
from .sampling import (
    ResolventTraces,
    classical_combination,
    empirical_r_transform,
    empirical_s_transform,
    sample_with_operands,
)

#: Where the resolvent trace of a named law is simulated (above the real axis, where the
#: finite-size corrections are smooth).
RESOLVENT_POINTS = (0.5 + 1.0j, -1.0 + 1.0j)
#: The tolerance of Voiculescu's theorem, relative to |S_ab| + |S_a S_b| (or |R_ab| + |R_a| + |R_b|):
#: the empirical transforms at N = 200, 400 fluctuate by a few 1e-3 per trial (measured on
#: products with MP factors), and a wrong rule of combination (a sum for a product) is off by O(1).
THEOREM_TOLERANCE = 1e-2
#: The theorem is simulated with this many times the law's trials: at the w values that tell the
#: free rule from the classical one (away from 0) the empirical transforms fluctuate more.
THEOREM_TRIALS = 2
#: The classical prediction must differ from the free one by this many tolerances at a chosen w.
SEPARATION = 10
#: Where w is tried, as fractions of the end of the transform's domain, nearest 0 first: near the
#: end the empirical transforms are pinned by the extreme eigenvalues and converge slowly.
W_FRACTIONS = (0.15, 0.25, 0.35, 0.5, 0.65)
#: How many values of w each parameter point gets (each costs a full sweep of the theorem).
W_COUNT = 1
#: Size and seed of the matrices that estimate the free and classical predictions.
SEPARATION_SIZE, SEPARATION_SEED = 400, 20250


def add_law(D, label, law, stieltjes, *, points, tag="", uses=(), w_values=None, sizes=(200, 400), trials=24,
            seed=0, tolerance=1e-2, explanation="", ref=""):
    """Add the steps from ``law``'s construction to its curve ``P(f(z), z) = 0``; returns ``label``,
    the label of that last step.

    ``stieltjes`` is ``f(z)``, the derivation's name for the law's Stieltjes transform.
    ``points`` are parameter points (symbol -> number) where the facts are simulated (the
    tolerance is relative: :class:`~derive.montecarlo.Simulation`); ``w_values`` the transform
    arguments for the convolution theorems, by default chosen per point by :func:`choose_w`
    (given, their separation is still measured and reported).  The inner
    laws' functions are named ``m_{tag}1, m_{tag}2, ...``, their transforms ``R_...``, ``S_...``.
    ``uses`` are steps the named laws cite (the definitions of their parameters).
    """
    if not isinstance(law, laws.Law):
        raise TypeError(f"add_law: {law!r} is not a law of derive.rmt.law")
    z = stieltjes.args[0]
    holder = introduced_by(D, stieltjes.func)
    if holder is not None:
        raise DerivationError(f"add_law: {stieltjes.func} already has a curve or a value ('{holder}'); a law is "
                              "added onto a new name (or one defined only by its Meaning)", label)
    simulation = {"sizes": sizes, "trials": trials, "seed": seed, "tolerance": tolerance}
    builder = _Builder(D, label, z, tag, points, w_values, simulation, uses)
    builder.add(law, stieltjes, label, explanation, ref)
    return label


class _Builder:
    """Writes the steps of a law's construction: :meth:`add` asks the law
    (:meth:`~derive.rmt.law.Law.write_steps`), which calls back the method of its kind here."""

    def __init__(self, D, label, z, tag, points, w_values, simulation, uses):
        self.D, self.label, self.z, self.tag, self.uses = D, label, z, tag, list(uses)
        self.printer = DerivePrinter({"symbol_map": D.latex_names, "function_subscripts": D.latex_subscripts})
        self.points, self.w_values, self.simulation = list(points), w_values, simulation
        self.count = 0

    def show(self, law):
        """The law's construction in LaTeX, with the derivation's names for its parameters."""
        return law.latex_name(self.printer.doprint)

    def _inner(self, prefix, variable):
        """A new function ``prefix_{tag}k(variable)`` and its step label ``LABEL-k``."""
        self.count += 1
        function = sp.Function(f"{prefix}_{self.tag}{self.count}")(variable)
        names = {f.func.__name__ for step in self.D for f in step.statement.atoms(sp.core.function.AppliedUndef)}
        kinds = ("m", "R", "S")
        taken = [f"{k}_{self.tag}{self.count}" for k in kinds if f"{k}_{self.tag}{self.count}" in names]
        if taken:
            raise DerivationError(f"add_law: the inner name {taken[0]} is already used in the derivation (a second "
                                  "add_law needs its own tag=)", self.label)
        return function, f"{self.label}-{self.count}"

    @staticmethod
    def _curve(curve, old, function):
        """A curve of :mod:`.algebraic` (in ``old = (value, variable)``) written for ``function``."""
        return sp.Eq(curve.subs({old[0]: function, old[1]: function.args[0]}, simultaneous=True), 0)

    def add(self, law, function, label, explanation="", ref=""):
        statement = self._curve(law.curve, (algebraic.m, algebraic.z), function)
        law.write_steps(self, function, label, statement, explanation, ref)

    # ---- one method per kind of operation (:mod:`derive.rmt.law`) ---------------------------

    def named(self, law, function, label, statement, explanation, ref):
        """A named law (:class:`~derive.rmt.law.NamedLaw`): its curve is a fact, checked against
        the resolvent trace of its matrix model."""
        points = [{**p, self.z: at} for p in self.points for at in RESOLVENT_POINTS]
        uses = list(self.uses)
        if not any(isinstance(getattr(step.statement, "lhs", None), sp.core.function.AppliedUndef)
                   and step.statement.lhs.func == function.func for step in self.D):
            # The function is the law's resolvent trace, introduced by its meaning; the fact says
            # what curve it solves.
            self.D.define(f"{label}-def", sp.Eq(function, Meaning(
                rf"\lim_{{N\to\infty}}\tfrac1N\operatorname{{tr}}(X - {self.printer.doprint(self.z)})^{{-1}},\ "
                rf"X \sim {self.show(law)}", f"the resolvent trace of {law}")), uses=self.uses)
            uses.append(f"{label}-def")
        self.D.fact(label, statement, uses=uses, check=Simulation(
            ResolventTrace(law, function), points,
            description="Checked against $\\tfrac1N\\operatorname{tr}(X - z)^{-1}$ of sampled matrices.",
            **self.simulation),
            explanation=explanation or f"The curve of ${self.show(law)}$.", ref=ref)

    def finite(self, law, function, label, statement, explanation, ref):
        """A finite spectrum (:class:`~derive.rmt.law.FiniteLaw`): its Stieltjes transform by
        definition, then its curve by algebra."""
        self.D.define(f"{label}-def", sp.Eq(function, law.stieltjes_sum(self.z)), uses=self.uses,
                      explanation=f"The Stieltjes transform of ${self.show(law)}$.")
        self.D.step(label, statement, uses=[f"{label}-def"], explanation=explanation or "Cleared of denominators.",
                    ref=ref)

    def changed(self, law, function, label, statement, explanation, ref):
        """A change of variables (:class:`~derive.rmt.law.ChangeOfVariables`): the operand's curve,
        then a transform step stating the law's own change."""
        inner, inner_label = self._inner("m", self.z)
        operand, *parameters = law.operands
        self.add(operand, inner, inner_label)
        self.D.transform(label, inner_label, statement, change=(function, *law.change(inner, self.z, *parameters)),
                         explanation=explanation or law.step_text, ref=ref)

    def convolution(self, law, function, label, statement, explanation, ref):
        """A free sum or product (:class:`~derive.rmt.law.FreeConvolution`)."""
        D, z = self.D, self.z
        additive, kind, symbol = law.additive, law.letter, law.symbol
        w = sp.Symbol(f"w_{self.tag}" if self.tag else "w")
        transforms = []
        for operand in law.operands:
            inner, inner_label = self._inner("m", z)
            self.add(operand, inner, inner_label)
            transform = _transform_of(inner, kind, w)
            mean_label = inner_label if _mean_from_curve(operand) else self._mean_fact(operand, inner, inner_label)
            D.transform(f"{inner_label}-{kind}", inner_label,
                        self._curve(law.transform_curve(operand), (symbol, algebraic.w), transform),
                        change=(transform, *law.transform.change(inner, z)),
                        explanation=f"The {kind}-transform curve of ${self.show(operand)}$.")
            transforms.append((transform, f"{inner_label}-{kind}", law.start(operand), mean_label))
        (t_a, label_a, start_a, from_a), (t_b, label_b, start_b, from_b) = transforms
        total = _transform_of(function, kind, w)
        # Two values of w when there is one parameter point: a fact is never tested at one point.
        count = W_COUNT if len(self.points) > 1 else 2
        choices = [choose_w(_numeric(law, p), additive, THEOREM_TOLERANCE, self.w_values, count) for p in self.points]
        D.fact(f"{label}-{kind}-theorem", sp.Eq(total, law.combine(t_a, t_b)),
               check=Simulation(EmpiricalTransforms(law, (total, t_a, t_b), additive),
                                [{**p, w: value} for p, choice in zip(self.points, choices) for value in choice.w],
                                description=f"Empirical {kind}-transforms of sampled $A$, $B$ and their "
                                            f"free {law.word}. " + _separation_text(choices, kind, additive),
                                **{**self.simulation, "tolerance": THEOREM_TOLERANCE,
                                   "trials": THEOREM_TRIALS * self.simulation["trials"]}),
               explanation=law.theorem_text, ref="Voiculescu (1986, 1987)")
        D.convolution(f"{label}-{kind}-free", [label_a, label_b], f"{label}-{kind}-theorem",
                      self._curve(law.transform_curve(law), (symbol, algebraic.w), total), starts=(start_a, start_b),
                      means_from=(from_a, from_b),
                      explanation=f"The factor of the resultant eliminating ${sp.latex(t_a)}$ that carries the branch.")
        D.transform(label, f"{label}-{kind}-free", statement, change=(function, *law.back.change(total, w)),
                    explanation=explanation or f"Back from the {kind}-transform: the curve of ${self.show(law)}$.",
                    ref=ref)

    def _mean_fact(self, law, function, curve_label):
        """A fact stating the mean of ``law``: its curve alone does not fix it (two branches go
        like ``-1/z`` at infinity), the construction does, and simulation checks it."""
        label = f"{curve_label}-mean"
        self.D.fact(label, sp.Eq(mean_of(function), law.mean), uses=[curve_label],
                    check=Simulation(Mean(law, mean_of(function)), self.points,
                                     description="Checked against $\\tfrac1N\\operatorname{tr}X$ of sampled matrices.",
                                     **self.simulation),
                    explanation=f"The mean of ${self.show(law)}$, from its construction; it picks the "
                                "branch at infinity.")
        return label


@dataclass
class WChoice:
    """The transform arguments of a theorem at one point, and what they can tell apart.

    ``rows`` has one ``(w, free, classical, tolerance)`` per value tried: the free prediction
    ``R_a + R_b`` (``S_a S_b``), the classical one (nan where the classical transform does not
    exist), and the tolerance ``THEOREM_TOLERANCE`` times the size of the statement's terms.
    ``w`` are the values kept, ``domain`` the ends of the transform's domain ``(low, high)``.
    """

    w: list
    rows: list
    domain: tuple

    def separation(self, value):
        """``|free - classical| / tolerance`` at ``value`` (inf where there is no classical
        transform)."""
        row = next(r for r in self.rows if r[0] == value)
        return abs(row[1] - row[2]) / row[3] if np.isfinite(row[2]) else float("inf")

    @property
    def separated(self):
        return all(self.separation(value) >= SEPARATION for value in self.w)


_CHOICES = {}


def choose_w(law, additive, tolerance, given=None, count=None):
    """Values of ``w`` where Voiculescu's theorem for ``law`` (a numeric free sum or product)
    differs from its classical counterpart by at least :data:`SEPARATION` tolerances.

    One draw of ``A``, ``B`` and their free combination ``X`` of size :data:`SEPARATION_SIZE`
    gives everything:

    * the domain, on each side of 0: where the transforms of ``A``, ``B`` and ``X`` all tend to
      the limit's.  An R-transform needs ``0 < w < G(right edge)`` or ``G(left edge) < w < 0``
      (``G(x) = E 1/(x - a)``), an S-transform ``-(1 - mass at 0) < w < 0`` or
      ``0 < w < psi(1/right edge)`` (``psi(u) = E ux/(1 - ux)``).  An edge is taken
      ``3 N^-2/3`` standard deviations beyond the extreme eigenvalue, which errs on the side of a
      smaller domain.  The candidates are :data:`W_FRACTIONS` of each end.
    * the free prediction: the empirical transforms of ``A`` and ``B`` combined by the free rule;
    * the classical prediction: the empirical transform of ``a_i + b_j`` (``a_i b_j``) over pairs
      of their eigenvalues, the law of independent commuting variables.

    Of the separated candidates, the ``count`` (default :data:`W_COUNT`) where the theorem's own residual fluctuates
    least relative to the tolerance (six draws of size 100) are kept; when none is separated, the
    best separated ones, and the fact's description says so.  ``given`` values are kept as they
    are and measured.
    """
    count = count or W_COUNT
    key = (repr(law), additive, tolerance, tuple(given or ()), count)
    if key not in _CHOICES:
        # Small matrices: one BLAS thread is fastest, and spares a machine that is busy.
        with threadpool_limits(limits=1, user_api="blas"):
            _CHOICES[key] = _choose_w(law, additive, tolerance, given, count)
    return _CHOICES[key]


def _choose_w(law, additive, tolerance, given, count=W_COUNT):
    rng = np.random.default_rng(np.random.SeedSequence([SEPARATION_SEED, 1]))
    X, A, B = sample_with_operands(law, rng, SEPARATION_SIZE)
    x, a, b = (np.linalg.eigvalsh(M) for M in (X, A, B))
    classical = classical_combination(a, b, additive, pairs=40_000, rng=rng)
    # The domain is that of the theorem's transforms.  Beyond the classical law's own domain its
    # empirical transform is pinned to its extreme values (R = top - 1/w), which still differs
    # from the free prediction, the more the farther.
    low, high = (min(_domain_end(v, additive, side, SEPARATION_SIZE) for v in (x, a, b)) * side
                 for side in (-1, 1))
    candidates = (list(given) if given else
                  sorted((f * end for end in (low, high) if end != 0 for f in W_FRACTIONS),
                         key=lambda v: abs(v) / (high if v > 0 else -low)))
    transform = empirical_r_transform if additive else empirical_s_transform
    rows = []
    for value in candidates:
        t_a, t_b = transform(a, value), transform(b, value)
        free = t_a + t_b if additive else t_a * t_b
        try:
            other = transform(classical, value)
        except ValueError:  # outside the range of the classical law's psi: no transform there
            other = float("nan")
        size = abs(free) + abs(t_a) + abs(t_b) if additive else 2 * abs(free)
        rows.append((float(value), float(free), float(other), tolerance * size))
    choice = WChoice([], rows, (float(low), float(high)))
    if given:
        choice.w = [float(v) for v in given]
    else:
        separated = [r for r in rows if choice.separation(r[0]) >= SEPARATION]
        if separated:
            # Of those that tell the two apart, the ones where the theorem's own residual
            # fluctuates least (relative to the tolerance), from a few small draws.
            noise = _noise(law, [r[0] for r in separated], additive, rng)
            ranked = sorted(separated, key=lambda r: noise[r[0]] / r[3])
        else:
            ranked = sorted(rows, key=lambda r: -choice.separation(r[0]))
        choice.w = sorted(r[0] for r in ranked[:count])
    return choice


def _noise(law, values, additive, rng, draws=6, size=100):
    """The spread over ``draws`` small samples of the theorem's residual at each of ``values``."""
    transform = empirical_r_transform if additive else empirical_s_transform
    residuals = {value: [] for value in values}
    for _ in range(draws):
        spectra = [np.linalg.eigvalsh(M) for M in sample_with_operands(law, rng, size)]
        for value in values:
            t_x, t_a, t_b = (transform(e, value) for e in spectra)
            residuals[value].append(t_x - (t_a + t_b if additive else t_a * t_b))
    return {value: float(np.std(r)) for value, r in residuals.items()}


def _domain_end(eigenvalues, additive, side, size):
    """How far from 0, on ``side`` (+1 or -1), ``w`` may go for the transform of the limit of
    the law sampled by ``eigenvalues`` of a matrix of size ``size`` (0: not on this side)."""
    eigenvalues = np.asarray(eigenvalues, dtype=float)
    margin = 3 * size ** (-2 / 3) * max(float(eigenvalues.std()), 1e-12)
    if additive:
        edge = eigenvalues.max() + margin if side > 0 else eigenvalues.min() - margin
        return abs(float(np.mean(1 / (edge - eigenvalues))))
    eigenvalues = np.clip(eigenvalues, 0, None)
    if side < 0:
        return 1 - float(np.mean(eigenvalues <= 1e-9 * eigenvalues.max()))
    u = 1 / (eigenvalues.max() + margin)
    return float(np.mean(u * eigenvalues / (1 - u * eigenvalues)))


def _separation_text(choices, kind, additive):
    """One sentence on what the chosen w can tell apart."""
    what = "sum" if additive else "product"
    ratios = [choice.separation(value) for choice in choices for value in choice.w]
    values = sorted({round(value, 3) for choice in choices for value in choice.w})
    shown = ", ".join(f"{v:g}" for v in values)
    if all(r >= SEPARATION for r in ratios):
        return (f"At $w \\in \\{{{shown}\\}}$ a classical {what} (commuting $A$, $B$) would be at least "
                f"{min(ratios):.0f} tolerances away.")
    return (f"At $w \\in \\{{{shown}\\}}$ a classical {what} (commuting $A$, $B$) is only {min(ratios):.1f} "
            f"tolerances away: this check cannot tell the free {what} from the classical one.")


def _numeric(law, point):
    values = {p: point[p] for p in law.parameters if p in point}
    return law.subs(values) if values else law


def _transform_of(function, kind, variable):
    """``R_x(w)`` or ``S_x(w)`` for the Stieltjes transform ``m_x(z)`` (or ``R_g(w)`` for ``g(z)``)."""
    name = function.func.__name__
    return sp.Function(f"{kind}_{name.removeprefix('m_')}")(variable)


def mean_of(function):
    """``lim_{z -> oo} -z^2 (f(z) + 1/z)``: the mean of the law whose Stieltjes transform is ``f``."""
    (z,) = function.args
    return sp.Limit(-z**2 * (function + 1 / z), z, sp.oo)


def _mean_from_curve(law):
    """Whether the curve alone gives the mean (the branch at infinity is a simple root)."""
    try:
        algebraic.moments(law.curve, 1)
    except algebraic.NotSimpleRoot:
        return False
    return True


class _Sampler:
    """A picklable sampler of a law's matrix model at the parameter values of each point."""

    def __init__(self, law):
        self.law, self._numeric = law, {}

    def numeric(self, point):
        values = {p: point[p] for p in self.law.parameters if p in point}
        key = tuple(sorted((str(k), float(v)) for k, v in values.items()))
        if key not in self._numeric:
            self._numeric[key] = self.law.subs(values) if values else self.law
        return self._numeric[key]


class ResolventTrace(_Sampler):
    """``{f(z): (1/N) tr (X - z)^{-1}}`` for one sampled matrix ``X`` of the law."""

    def __init__(self, law, function):
        super().__init__(law)
        self.function = function

    def __call__(self, rng, size, point):
        (z,) = self.function.args
        at = np.array([complex(point[z])])
        return {self.function: complex(ResolventTraces(self.numeric(point), at)(rng, size, point)[0])}


class EmpiricalTransforms(_Sampler):
    """The empirical R- or S-transforms of ``A``, ``B`` and their free sum or product."""

    def __init__(self, law, functions, additive):
        super().__init__(law)
        self.functions, self.additive = functions, additive

    def __call__(self, rng, size, point):
        (w,) = self.functions[0].args
        matrices = sample_with_operands(self.numeric(point), rng, size)
        transform = empirical_r_transform if self.additive else empirical_s_transform
        return {f: transform(np.linalg.eigvalsh(X), float(point[w])) for f, X in zip(self.functions, matrices)}


class Mean(_Sampler):
    """``{name: (1/N) tr X}`` for one sampled matrix ``X`` of the law."""

    def __init__(self, law, name):
        super().__init__(law)
        self.name = name

    def __call__(self, rng, size, point):
        return {self.name: float(np.trace(sample_with_operands(self.numeric(point), rng, size)[0])) / size}
