"""Spectral means ``<f(R)> = integral of f(r) dmu_R(r)`` and checking identities between them.

A limiting normalised trace ``lim (1/d) tr f(R)`` is the mean of ``f`` over the spectral law of
``R``.  Written ``SpectralMean(f(r), r, "R")`` it prints as ``<f(R)>``; ``r`` is bound.

Identities between spectral means are linear: ``<f> = a <g> + b <h> + c`` holds for every law
once ``f - a g - b h - c`` vanishes identically in ``r``, and for a particular law once that
difference is a combination of integrands whose means the premises give (``<1/(r + x)> = M(x)``,
``<r> = 1``).  :func:`follows_by_linearity` decides this exactly: it puts every mean of the same
law under one integral and solves for the combination of premise integrands, coefficient by
coefficient in ``r``.  Derivatives pass under the integral (``d/dx <1/(r+x)> = <-1/(r+x)^2>``).

>>> import sympy as sp
>>> r, x = sp.symbols("r x", positive=True)
>>> lhs = SpectralMean(r / (r + x), r, "R")
>>> follows_by_linearity(lhs - (1 - x * SpectralMean(1 / (r + x), r, "R")), [])
True
"""

from __future__ import annotations

import sympy as sp

from .. import binders as _binders
from ..budget import BudgetExceeded, cpu_limit
from ..check.kernel import evidence
from ..notation import Opaque


class SpectralMean(sp.Function, Opaque):
    """``SpectralMean(f, r, law)``: the mean of ``f(r)`` over the spectral law named ``law``.

    Opaque to the core (:class:`derive.notation.Opaque`): it has no numeric value, and
    ``Eq(<f>, value)`` binds it.

    A mean is a number, so it commutes: sympy cancels, factors and differentiates products
    that contain one (``x <f> / <f>`` is ``x``), and elimination reads it as an indeterminate.
    (The law's name is a ``Str``, which sympy does not call commutative; without the class
    attribute the whole mean would not be either.)  It is *extended* real where the law is on
    the real line (its variable is declared real) and the integrand is real there: a mean may
    be infinite (``<1/r>`` over a law that charges 0), so it is never claimed finite.
    """

    nargs = 3
    bindable = True
    is_commutative = True

    @classmethod
    def eval(cls, integrand, variable, law):
        if not isinstance(variable, sp.Symbol):
            raise TypeError("SpectralMean's second argument is the integration variable (a Symbol)")
        if not integrand.has(variable):
            # The law is a probability measure: the mean of a constant is the constant.
            return integrand
        return None

    def __new__(cls, integrand, variable, law):
        law = law if isinstance(law, sp.Basic) else sp.Symbol(str(law))
        return super().__new__(cls, sp.sympify(integrand), variable, sp.core.symbol.Str(str(law)))

    @property
    def integrand(self):
        return self.args[0]

    @property
    def variable(self):
        return self.args[1]

    @property
    def law(self):
        return self.args[2]

    @property
    def free_symbols(self):
        return self.integrand.free_symbols - {self.variable}

    @property
    def bound_symbols(self):
        return [self.variable]

    def _eval_subs(self, old, new):
        """sympy's ``subs`` on a mean, through the one capture-avoiding substitution
        (:mod:`derive.binders`): the bound variable is never replaced (``<r>.subs(r, 2)`` is
        ``<r>``), and is renamed first where the new value contains it, so that nothing is
        captured (``<r x>.subs(x, r)`` is ``<r' r>``, not ``<r^2>``)."""
        if old == self.variable:
            return self
        if isinstance(old, sp.Symbol):
            return _binders.substitute(self, {old: new})
        return None

    def _eval_is_extended_real(self):
        """``<f>`` over a law on the real line is real or infinite where ``f`` is real there."""
        if self.variable.is_extended_real and self.integrand.is_extended_real:
            return True
        return None

    def exists_given(self, cited):
        """Whether the cited steps establish that this mean is finite
        (:func:`derive.rmt.existence.mean_exists`)."""
        from .existence import established_means, mean_exists

        return mean_exists(self, established_means(cited))

    def _eval_derivative(self, s):
        if s == self.variable:
            return sp.Integer(0)
        return self.func(sp.diff(self.integrand, s), self.variable, self.law)

    def _latex(self, printer):
        shown = self.integrand.xreplace({self.variable: sp.Symbol(self.law.name)})
        return rf"\left\langle {printer._print(shown)} \right\rangle"

    def _sympystr(self, printer):
        shown = self.integrand.xreplace({self.variable: sp.Symbol(self.law.name)})
        return f"<{printer._print(shown)}>"


class UniformMean(SpectralMean):
    """``UniformMean(f, u)``: the mean of ``f(u)`` over ``U`` uniform on ``(0, 1)``, printed
    ``<f(U)>``.  A law given by its quantile function ``Q`` is the law of ``Q(U)``, so any mean
    over it is one of these: ``<g(X)> = UniformMean(g(Q(u)), u)``.

    To the checker it is a spectral mean like any other (opaque, bound by ``Eq(<f>, value)``,
    linear).  Unlike a mean over a law known only by its name, it has a numeric value:
    the lowering computes it as ``Integral(f, (u, 0, 1))`` (:mod:`derive.special`), so a
    quantity for ``derive eval`` may contain it.

    >>> u, a = sp.symbols("u a", positive=True)
    >>> UniformMean(u**a, u).numeric_integral()
    Integral(u**a, (u, 0, 1))
    """

    def __new__(cls, integrand, variable, law="U"):
        return super().__new__(cls, integrand, variable, law)

    def numeric_integral(self):
        """``Integral(f, (u, 0, 1))``: the value :mod:`derive.special` computes."""
        return sp.Integral(self.integrand, (self.variable, 0, 1))


def _split(expr):
    """``expr`` as {law: combined integrand in a common variable} plus the remaining constant."""
    expr = sp.expand(expr)
    common = {}
    parts = {}
    constant = sp.Integer(0)
    for term in sp.Add.make_args(expr):
        means = [f for f in term.atoms(SpectralMean)]
        if not means:
            constant += term
            continue
        if len(means) != 1:
            return None
        mean = means[0]
        coefficient = sp.cancel(term / mean)
        if coefficient.has(SpectralMean):
            return None  # a product of means is not linear
        law = mean.law
        variable = common.setdefault(law, sp.Dummy("r", real=True))
        integrand = mean.integrand.xreplace({mean.variable: variable})
        parts[law] = parts.get(law, 0) + coefficient * integrand
    return parts, constant, common


def follows_by_linearity(residual, premise_residuals, seconds=8.0):
    """True when ``residual = 0`` follows from the premises by linearity of spectral means.

    ``residual`` and each premise residual are linear combinations of spectral means of one
    law, plus constants.  Returns ``None`` when the question is not of that shape, or when the
    algebra takes longer than ``seconds``; ``"sampled"`` when the integrands' identity (not
    polynomial in the spectral variable: ``<sin^2 r + cos^2 r> = 1``) rests on certified
    evaluation at sampled points rather than on exact algebra.
    """
    try:
        with cpu_limit(seconds):
            return _follows(residual, premise_residuals)
    except BudgetExceeded:
        return None


def _follows(residual, premise_residuals):
    """Solve for premise weights (and, with several laws, for how the constant splits between
    them: every law is a probability measure, so ``c = <c>`` under any of them) that make the
    residual's integrand vanish identically, law by law."""
    split = _split(residual)
    if split is None:
        return None
    parts, constant, common = split
    if not parts:
        return None
    sampled = False
    shares = sp.symbols(f"t0:{len(parts)}") if len(parts) > 1 else (constant,)
    unknowns = list(shares) if len(parts) > 1 else []
    equations = [constant - sum(shares)] if len(parts) > 1 else []
    for (law, integrand), share in zip(parts.items(), shares):
        variable = common[law]
        known = []
        for premise in premise_residuals:
            p = _split(premise)
            if p is None or set(p[0]) != {law}:
                continue
            known.append(p[0][law].xreplace({p[2][law]: variable}) + p[1])
        weights = sp.symbols(f"a_{len(unknowns)}_0:{len(known)}") if known else ()
        unknowns.extend(weights)
        difference = sp.together(integrand + share - sum(w * g for w, g in zip(weights, known)))
        numerator = sp.expand(sp.numer(difference))
        if numerator == 0:
            continue
        try:
            equations.extend(sp.Poly(numerator, variable).coeffs())
        except sp.PolynomialError:
            # Not polynomial in the spectral variable (sin^2 r + cos^2 r - 1): with nothing to
            # solve for, the integrands agree when the kernel shows the difference vanishes
            # identically, as a function of r and the parameters.
            if weights or len(parts) > 1:
                return None
            how = evidence.how_zero(integrand + share)
            if not how:
                return None
            sampled |= how == "sampled"
    if not equations:
        return "sampled" if sampled else True
    if not unknowns:
        return None
    solution = sp.solve(equations, unknowns, dict=True)
    return True if solution else None
