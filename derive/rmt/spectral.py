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

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .. import binders as _binders
from ..budget import BudgetExceeded, cpu_limit
from ..check.kernel import evidence, real
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

    def specimen(self, chosen, rng):
        """The mean over one finite spectrum of the law (:meth:`derive.notation.Opaque.specimen`):
        ``sum_j w_j f(a_j)`` with three exact atoms the variable's assumptions allow and exact
        weights, the same spectrum for every mean of the law in ``chosen``."""
        from .refute import _atoms

        key = (type(self), self.law)
        if key not in chosen:
            atoms = _atoms([self.variable], 3, rng)
            if atoms is None:
                return None
            chosen[key] = list(zip(atoms, (sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6))))
        return sp.Add(*[w * self.integrand.xreplace({self.variable: a}) for a, w in chosen[key]])

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

    def specimen(self, chosen, rng):
        """The mean over three exact atoms inside ``(0, 1)``, where the integrand is meant to be
        defined (:meth:`SpectralMean.specimen`)."""
        key = (type(self), self.law)
        if key not in chosen:
            atoms = sorted({sp.Rational(int(k), 13) for k in rng.choice(np.arange(1, 13), 3, replace=False)})
            chosen[key] = list(zip(atoms, (sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6))))
        return sp.Add(*[w * self.integrand.xreplace({self.variable: a}) for a, w in chosen[key]])

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


#: The order relations :func:`follows_by_monotonicity` decides, as sympy's classes.
_ORDERS = {op: real.RELATIONS[op] for op in (">", ">=", "<", "<=")}


def follows_by_monotonicity(residual, op, conditions=(), exists=lambda mean: False):
    """True when ``residual op 0`` follows from the same relation between integrands, point by
    point on the law's support; None when that is not shown.

    A law known by its name is a probability measure on the set its variable's assumptions
    allow (``r`` even and positive: the law is on ``{2, 4, ...}``).  The mean is monotone, so

        a g(r) + c >= 0 for every r there   gives   a <g> + c >= 0,

    and ``> 0`` gives ``> 0`` (a probability measure has mass).  With one mean this holds in
    the extended reals too: ``a g + c >= 0`` bounds ``g`` on one side, so ``<g>`` exists in
    ``[-oo, oo]`` and ``a <g> + c = <a g + c>`` for ``a != 0`` (which is then required).  With
    several means, ``sum a_i <g_i> = <sum a_i g_i>`` only where each mean is finite, so each
    must ``exist`` (``<1/r> - <1/r - 1>`` is not ``<1>``).  The pointwise question, over the
    spectral variable (with its assumptions: integer, parity, sign) and the parameters under
    the mean-free ``conditions``, is the kernel's real-algebraic decision
    (:func:`derive.check.kernel.real.implies`); so is the requirement that no denominator of
    the integrand vanishes on the support, where a mean would not be defined.

    >>> r = sp.Symbol("r", integer=True, positive=True, even=True)
    >>> follows_by_monotonicity(SpectralMean(r * (r - 2), r, "C"), ">=")
    True
    >>> follows_by_monotonicity(SpectralMean(r * (r - 4), r, "C"), ">=") is None
    True
    """
    if op not in _ORDERS:
        return None
    residual, op = _as_positive(residual, op)
    residual = sp.expand(residual)
    means = residual.atoms(SpectralMean)
    if (not means or residual.atoms(AppliedUndef) or residual.atoms(Opaque) != means
            or len({(type(m), m.law, _support_key(m.variable)) for m in means}) != 1):
        return None
    coefficients, constant = {}, sp.Integer(0)
    for term in sp.Add.make_args(residual):
        inside = term.atoms(SpectralMean)
        if not inside:
            constant += term
            continue
        if len(inside) != 1:
            return None
        mean = inside.pop()
        coefficient, rest = term.as_independent(mean, as_Add=False)
        if rest != mean:
            return None  # a power or a function of a mean is not linear in the law
        coefficients[mean] = coefficients.get(mean, 0) + coefficient
    conditions = _mean_free(conditions)
    if len(coefficients) > 1:
        if not all(exists(m) for m in coefficients):
            return None
    else:
        (coefficient,) = coefficients.values()
        if real.implies(conditions, sp.Ne(coefficient, 0)) is not True:
            return None
    variable = _support_variable(next(iter(coefficients)))
    pointwise = constant + sum(a * m.integrand.xreplace({m.variable: variable}) for m, a in coefficients.items())
    if not _defined_on_support(pointwise, conditions):
        return None
    return True if real.implies(conditions, _ORDERS[op](pointwise, 0)) is True else None


def follows_in_one_mean(residual, op, conditions=(), exists=lambda mean: False):
    """True when ``residual op 0`` holds for every value the one mean in it can take; None when
    that is not shown.

    ``residual = P(<f>)`` is a polynomial in one mean ``m = <f>`` with mean-free coefficients
    (``<r>^2 - 25``, ``<r>^3 - <r> + 1``).  Where ``f`` has a sign on the law's support (decided
    pointwise, as in :func:`follows_by_monotonicity`), so has ``m``: ``f > 0`` gives
    ``m in (0, oo]``, ``f >= 0`` gives ``m in [0, oo]``; a mean with no such bound must
    ``exist`` (be finite by the cited steps), or it may be undefined and nothing follows.  Then

    * for real ``m``: the kernel's real-algebraic decision proves ``P(y) op 0`` for a real
      unknown ``y`` under the conditions (those that hold ``m`` read with ``y``) and ``y``'s
      sign;
    * for an infinite ``m`` (any end the sign and existence leave open): ``P(+-oo)`` is
      ``+-oo`` by the sign of the leading coefficient, which the kernel must prove nonzero and
      of the sign that ``op`` needs.  A function of ``m`` that is not a polynomial (``1/m``:
      ``1/oo = 0``) is not taken.

    >>> r = sp.Symbol("r", positive=True)
    >>> m = SpectralMean(r, r, "C")
    >>> follows_in_one_mean(m**3 - m + 1, ">")
    True
    >>> follows_in_one_mean(m**2 - 2*m + sp.Rational(1, 2), ">") is None
    True
    """
    if op not in _ORDERS:
        return None
    residual, op = _as_positive(residual, op)
    residual = sp.sympify(residual)
    means = residual.atoms(SpectralMean)
    if len(means) != 1 or residual.atoms(AppliedUndef) or residual.atoms(Opaque) != means:
        return None
    (mean,) = means
    y = sp.Dummy("m", real=True)
    try:
        polynomial = sp.Poly(residual.xreplace({mean: y}), y)
    except sp.PolynomialError:
        return None
    if polynomial.degree() < 1 or any(c.has(y) for c in polynomial.coeffs()):
        return None
    mean_free = _mean_free(conditions)
    about_mean = [c.xreplace({mean: y}) for c in map(sp.sympify, conditions)
                  if c.atoms(Opaque) == {mean} and not c.atoms(AppliedUndef)]
    sign = _sign_on_support(mean, mean_free)
    finite = exists(mean)
    if sign is None and not finite:
        return None
    bounds = {">": [y > 0], ">=": [y >= 0], "<": [y < 0], "<=": [y <= 0], None: []}[sign]
    if real.implies([*mean_free, *about_mean, *bounds], _ORDERS[op](polynomial.as_expr(), 0)) is not True:
        return None
    if finite:
        return True
    leading, degree = polynomial.LC(), polynomial.degree()
    ends = {">": [1], ">=": [1], "<": [-1], "<=": [-1]}[sign]  # the infinite end the sign leaves open
    for end in ends:
        if any(_false_at_infinity(c, y, end, mean_free) for c in about_mean):
            continue  # a condition keeps the mean finite on this side (<r> < 10)
        # P(end * oo) = sign(leading * end^degree) * oo: it must be +oo for '>' and '>='.
        if real.implies(mean_free, leading * end ** degree > 0) is not True:
            return None
    return True


def _false_at_infinity(condition, y, end, conditions):
    """Whether ``condition``, a polynomial relation in ``y``, is false at ``y = end * oo``: its
    ``lhs - rhs`` tends to ``+-oo`` there by the sign of its leading coefficient (decided by the
    kernel), against the relation."""
    if not isinstance(condition, sp.core.relational.Relational) or condition.rel_op not in _ORDERS:
        return False
    try:
        q = sp.Poly(condition.lhs - condition.rhs, y)
    except sp.PolynomialError:
        return False
    if q.degree() < 1 or any(c.has(y) for c in q.coeffs()):
        return False
    tends = q.LC() * end ** q.degree()
    wrong = tends < 0 if condition.rel_op in (">", ">=") else tends > 0
    return real.implies(conditions, wrong) is True


def _sign_on_support(mean, conditions):
    """The sign ``<f>`` has because ``f`` has it on the law's support (``'>'`` for ``f > 0``,
    ``'>='``, ``'<'``, ``'<='``), by the kernel's real-algebraic decision, with no denominator of
    ``f`` vanishing there; None when no sign is shown."""
    f = mean.integrand.xreplace({mean.variable: _support_variable(mean)})
    if not _defined_on_support(f, conditions):
        return None
    for op in (">", "<", ">=", "<="):
        if real.implies(conditions, _ORDERS[op](f, 0)) is True:
            return op
    return None


def _mean_free(conditions):
    """The conditions that hold no mean nor unknown function: those a pointwise question keeps."""
    return [c for c in map(sp.sympify, conditions) if not c.atoms(Opaque, AppliedUndef)]


def _support_variable(mean):
    """A fresh variable with the assumptions of the mean's, which say what its law's support is."""
    return sp.Dummy(mean.variable.name, **mean.variable.assumptions0)


def _defined_on_support(f, conditions):
    """Whether no denominator of ``f`` vanishes on the support under the conditions (Z3): where
    one does, a mean of ``f`` is not defined."""
    return real.implies(conditions, sp.Ne(sp.fraction(sp.together(f))[1], 0)) is True


def _as_positive(residual, op):
    """``residual op 0`` as ``residual' > 0`` or ``>= 0``: ``x < 0`` is ``-x > 0``."""
    if op in ("<", "<="):
        return -residual, {"<": ">", "<=": ">="}[op]
    return residual, op


def _support_key(variable):
    """The set a law's variable ranges over, as its assumptions: means over one law agree on it."""
    return frozenset(variable.assumptions0.items())


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
