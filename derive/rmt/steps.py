"""A law's curve as a chain of checked derivation steps.

:func:`add_law` writes into a :class:`~derive.derivation.Derivation` how the curve of a
:class:`~derive.rmt.law.Law` follows from its construction, one step per operation:

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

The last step states ``P(f(z), z) = 0`` for the function ``f`` the derivation names.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..latex import DerivePrinter
from ..montecarlo import Simulation
from . import algebraic, changes
from .sampling import (
    ResolventTraces,
    empirical_r_transform,
    empirical_s_transform,
    sample_with_operands,
)

#: Where the resolvent trace of a named law is simulated (above the real axis, where the
#: finite-size corrections are smooth).
RESOLVENT_POINTS = (0.5 + 1.0j, -1.0 + 1.0j)
#: The empirical transforms at N = 200, 400 fluctuate by a few 1e-3 per trial (measured on
#: products with MP factors); the transforms are O(1), and a wrong rule of combination (a sum
#: for a product) is off by O(1).
THEOREM_TOLERANCE = 3e-2


def add_law(D, label, law, stieltjes, *, points, tag="", uses=(), w_values=None, sizes=(200, 400), trials=24,
            seed=0, tolerance=2e-2, explanation="", ref=""):
    """Add the steps from ``law``'s construction to its curve ``P(f(z), z) = 0``; returns ``label``,
    the label of that last step.

    ``stieltjes`` is ``f(z)``, the derivation's name for the law's Stieltjes transform.
    ``points`` are parameter points (symbol -> number) where the facts are simulated;
    ``w_values`` the transform arguments for the convolution theorems (default ``-0.05`` for
    S-transforms, inside ``(-(1 - mass at 0), 0)``, and ``0.05`` for R-transforms).  The inner
    laws' functions are named ``m_{tag}1, m_{tag}2, ...``, their transforms ``R_...``, ``S_...``.
    ``uses`` are steps the named laws cite (the definitions of their parameters).
    """
    z = stieltjes.args[0]
    simulation = {"sizes": sizes, "trials": trials, "seed": seed, "tolerance": tolerance}
    builder = _Builder(D, label, z, tag, points, w_values, simulation, uses)
    builder.add(law, stieltjes, label, explanation, ref)
    return label


_TRANSFORM_TEXT = {
    "scale": "The law of $aA$: $m(z) = m_A(z/a)/a$.",
    "shift": "The law of $A + b$: $m(z) = m_A(z - b)$.",
    "inverse": "The law of $A^{-1}$: $m(z) = -1/z - m_A(1/z)/z^2$.",
}


class _Builder:
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
        return sp.Function(f"{prefix}_{self.tag}{self.count}")(variable), f"{self.label}-{self.count}"

    @staticmethod
    def _curve(curve, old, function):
        """A curve of :mod:`.algebraic` (in ``old = (value, variable)``) written for ``function``."""
        return sp.Eq(curve.subs({old[0]: function, old[1]: function.args[0]}, simultaneous=True), 0)

    def add(self, law, function, label, explanation="", ref=""):
        D, z = self.D, self.z
        statement = self._curve(law.curve, (algebraic.m, algebraic.z), function)
        operation = law.operation
        if operation in ("mp", "semicircle"):
            points = [{**p, z: at} for p in self.points for at in RESOLVENT_POINTS]
            D.fact(label, statement, uses=self.uses, check=Simulation(
                ResolventTrace(law, function), points,
                description="Checked against $\\tfrac1N\\operatorname{tr}(X - z)^{-1}$ of sampled matrices.",
                **self.simulation),
                explanation=explanation or f"The curve of ${self.show(law)}$.", ref=ref)
        elif operation in ("atom", "spectrum"):
            values, weights = (((law.operands[0], 0), (law.operands[1], 1 - law.operands[1]))
                               if operation == "atom" else law.operands)
            D.define(f"{label}-def", sp.Eq(function, sum(w / (x - z) for x, w in zip(values, weights) if w != 0)),
                     uses=self.uses,
                     explanation=f"The Stieltjes transform of ${self.show(law)}$.")
            D.step(label, statement, uses=[f"{label}-def"], explanation=explanation or "Cleared of denominators.",
                   ref=ref)
        elif operation in ("scale", "shift", "inverse"):
            inner, inner_label = self._inner("m", z)
            self.add(law.operands[0], inner, inner_label)
            if operation == "inverse":
                value, variable = changes.inverse(inner, z)
            elif operation == "scale":
                value, variable = changes.scale(inner, z, law.operands[1])
            else:
                value, variable = changes.shift(inner, z, law.operands[1])
            D.transform(label, inner_label, statement, change=(function, value, variable),
                        explanation=explanation or _TRANSFORM_TEXT[operation], ref=ref)
        else:
            self._convolution(law, function, label, statement, explanation, ref)

    def _convolution(self, law, function, label, statement, explanation, ref):
        D, z = self.D, self.z
        additive = law.operation == "sum"
        kind, symbol = ("R", algebraic.r) if additive else ("S", algebraic.s)
        w = sp.Symbol(f"w_{self.tag}" if self.tag else "w")
        transforms = []
        for operand in law.operands:
            inner, inner_label = self._inner("m", z)
            self.add(operand, inner, inner_label)
            transform = _transform_of(inner, kind, w)
            mean_label = inner_label if _mean_from_curve(operand) else self._mean_fact(operand, inner, inner_label)
            if additive:
                curve, change = operand.r_curve(), (transform, *changes.r_transform(inner, z))
                start = operand.mean
            else:
                curve, change = operand.s_curve(), (transform, *changes.s_transform(inner, z))
                start = 1 / operand.mean
            D.transform(f"{inner_label}-{kind}", inner_label, self._curve(curve, (symbol, algebraic.w), transform),
                        change=change, explanation=f"The {kind}-transform curve of ${self.show(operand)}$.")
            transforms.append((transform, f"{inner_label}-{kind}", start, mean_label))
        (t_a, label_a, start_a, from_a), (t_b, label_b, start_b, from_b) = transforms
        total = _transform_of(function, kind, w)
        w_values = self.w_values or ([0.05] if additive else [-0.05])
        D.fact(f"{label}-{kind}-theorem", sp.Eq(total, t_a + t_b if additive else t_a * t_b),
               check=Simulation(EmpiricalTransforms(law, (total, t_a, t_b), additive),
                                [{**p, w: value} for p in self.points for value in w_values],
                                description=f"Empirical {kind}-transforms of sampled $A$, $B$ and their "
                                            f"free {'sum' if additive else 'product'}.",
                                **{**self.simulation, "tolerance": THEOREM_TOLERANCE}),
               explanation=("Voiculescu: R-transforms of free variables add." if additive else
                            "Voiculescu: S-transforms of free variables multiply."),
               ref="Voiculescu (1986, 1987)")
        curve = law.r_curve() if additive else law.s_curve()
        D.convolution(f"{label}-{kind}-free", [label_a, label_b], f"{label}-{kind}-theorem",
                      self._curve(curve, (symbol, algebraic.w), total), starts=(start_a, start_b),
                      means_from=(from_a, from_b),
                      explanation=f"The factor of the resultant eliminating ${sp.latex(t_a)}$ that carries the branch.")
        back = changes.from_r(total, w) if additive else changes.from_s(total, w)
        D.transform(label, f"{label}-{kind}-free", statement, change=(function, *back),
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
