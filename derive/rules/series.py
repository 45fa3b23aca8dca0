"""``series``: ``Eq(expr, polynomial + O(var**n))`` about a point.

The difference has no term below ``t**n``: certified Laurent coefficients decide where Arb
expands the difference (:mod:`derive.check.kernel.taylor`), and the remainder divided by
``t**n`` must otherwise stay bounded as ``t -> 0`` (:func:`numeric_order`); see
``docs/checking.md``, *Series*.
"""

from __future__ import annotations

import dataclasses

import mpmath
import numpy as np
import sympy as sp

from .. import bindings as _bindings
from ..binders import substitute
from ..budget import cpu_limit
from ..check.result import Refused
from ..check.kernel import taylor
from ..errors import DerivationError
from ..sampling import admissible_points, constant_scale, statement_seed
from ..step import Step
from . import BUILD_SECONDS, PERTURBATION, Rule, register, verdict
from .limit import SYMPY_FAILURES, _show_point, stable_value


def series(self, label, expr, var, point, order, *, uses=(), form=None, conditions=(),
           explanation="", ref=""):
    """State ``Eq(expr, series)``: the expansion of ``expr`` about ``point`` to ``O(var**order)``.

    At ``point = oo`` the remainder is ``O(var**-order)``.  ``form`` states the expansion in a
    form of your choosing (for instance with coefficients written as sums); it is checked.
    """
    if form is None:
        closed = _bindings.substitute(expr, self.bindings(uses))
        try:
            with cpu_limit(BUILD_SECONDS):
                form = sp.series(closed, var, point, order)
        except SYMPY_FAILURES as exc:
            raise DerivationError(f"sympy could not expand ({exc}); give form=", label)
    statement = sp.Eq(expr, form, evaluate=False)
    return self._add(Step(label, statement, "series", tuple(uses), tuple(conditions), explanation,
                          ref, rule={"var": var, "point": point, "order": order}))


def _series_parts(step, derivation):
    """``(local, t, claimed)``: the difference as a function of ``t -> 0``, and the order the
    statement's O-term claims (None when it has no O-term)."""
    rhs = step.statement.rhs
    var, point = step.rule["var"], step.rule["point"]
    if step.statement.lhs.has(sp.Order):
        raise Refused("series: statement", "the O-term belongs on the right-hand side")
    terms = [t for t in sp.Add.make_args(rhs) if isinstance(t, sp.Order)]
    if len(terms) != 1:
        return None  # no O-term: an exact equality, for the generic methods
    claimed = _order_of(terms[0], var, point)
    if claimed is None:
        raise Refused("series: O-term", f"{terms[0]} is not O({var}^n) about {var} = {point}")
    # The claim checked is the statement's own O-term (what a reader sees), whatever order the
    # step was built with.
    table = derivation.bindings(step.uses)
    closed = _bindings.substitute(step.statement.lhs, table)
    polynomial = _bindings.substitute(rhs.removeO(), table).doit()
    # t is real, not positive: a two-sided expansion is probed on both sides, and sympy must not
    # simplify |t| to t on the way.
    t = sp.Dummy("t", real=True)
    difference = closed - polynomial
    local = substitute(difference, {var: sp.sign(point) / t if point in (sp.oo, -sp.oo) else point + t})
    return local, t, claimed


def _one_sided(var, point, conditions=()):
    """Whether the expansion is claimed from one side only: at infinity, in a variable that
    cannot go below the point (a positive variable at 0), or under a condition ``var > point``."""
    if point in (sp.oo, -sp.oo):
        return True
    if any(_is_approach(c, var, point) for c in conditions):
        return True
    return bool(var.is_nonnegative and point == 0) or bool(var.is_nonpositive and point == 0)


def _is_approach(condition, var, point):
    """Whether ``condition`` is ``var > point`` (or ``>=``): it says from which side the
    variable approaches, and is not a condition on the parameters to sample."""
    return (isinstance(condition, (sp.StrictGreaterThan, sp.GreaterThan)) and condition.lhs == var
            and condition.rhs == point)


def _order_of(term, var, point):
    """``n`` for ``O((var - point)^n)`` (or ``O(var^-n)`` at infinity), else None."""
    if tuple(term.variables) != (var,) or term.point[0] != point:
        return None
    expr = term.expr
    if expr == 1:
        return 0
    base, exponent = expr.as_coeff_Mul()[1].as_base_exp()  # sympy writes O(-1/y^5) at -oo
    if point in (sp.oo, -sp.oo):
        return -exponent if base == var and exponent.is_number else None
    return exponent if base == var - point and exponent.is_number else None


def check_series(step, derivation):
    """``expr = polynomial + O(var**n)``: the difference has no term below ``t^n``.

    The kernel decides first: certified Laurent (or Puiseux) coefficients of the difference at
    admissible points (:func:`derive.check.kernel.taylor.check_order`), whose counterexample is
    final however small the coefficient.  Where Arb has no series (``log t``, a branch point of
    a two-sided variable, an unknown function), the numeric route (:func:`numeric_order`)
    decides.  sympy's ``series`` is not consulted: it proposes a ``form`` at build, nothing more.
    """
    parts = _series_parts(step, derivation)
    if parts is None:
        return None
    local, t, order = parts
    var, point = step.rule["var"], step.rule["point"]
    one_sided = _one_sided(var, point, step.conditions)
    conditions = [c for c in step.conditions if not _is_approach(c, var, point)]
    decided = taylor.check_order(local, t, order, conditions, positive=one_sided)
    if decided is not None and decided.status != "unverified":
        return decided.status, "series (Arb Laurent coefficients)", decided.evidence, decided.details
    verdict = numeric_order(local, t, order, conditions, both_sides=not one_sided,
                            complex_variable=var.is_real is not True and point not in (sp.oo, -sp.oo))
    return verdict or ("unverified", "series", decided.evidence if decided else "no admissible point", {})


def _irrational_power(expr, t):
    """A power of an expression in ``t`` whose exponent is not a rational number (``x^(2 -
    e^-20)``, ``x^a``), or None: where the probes' ratios creep too slowly to be seen."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.base.has(t) and not node.exp.is_Rational:
            return node
    return None


#: Probe values of t (times a random factor in [1, 10)) for the remainder's order.
SERIES_DECADES = (8, 16, 24, 32)


def numeric_order(local, t, order, conditions, both_sides=False, complex_variable=False):
    """``local(t) / |t|**order`` must converge as t -> 0 (|t| = 1e-8 .. 1e-32, random mantissas;
    from both sides unless ``both_sides`` is false).

    The working precision grows with the order, so that ``t**order`` stays far above the
    round-off of the expression and a term beyond the fifth order is still seen.  **Failed**
    when the ratio grows by 1e6 or more between probes (a lower-order term survives) or grows
    steadily (a logarithm: ``x log x`` is not ``O(x)``); **verified** when it converges to 1e-6
    relative; otherwise unverified.
    """
    scale = constant_scale(local)
    if scale >= SERIES_DECADES[-1] - 4:
        return ("unverified", "series (numeric)", f"the constants set a scale of 10^{scale}, beyond the probes "
                f"(t = 1e-{SERIES_DECADES[0]} .. 1e-{SERIES_DECADES[-1]}): the remainder there is not its order", {})
    rng = np.random.default_rng(statement_seed(local, order) % 2**32)
    points = admissible_points(local.free_symbols - {t}, list(conditions), 6, rng)
    # A complex variable is approached from four directions: a branch cut through the point
    # (log z at z = -1) is then crossed.
    directions = (1, -1, 1j, -1j) if complex_variable else (1, -1) if both_sides else (1,)
    if not points:
        return None
    factors = rng.uniform(1, 10, size=len(SERIES_DECADES))
    # sin(1/t) and the like take any value between the probes: four of them rising is no growth.
    oscillating = any(f.args[0].has(t) and any(p.base == t and p.exp.is_negative for p in f.args[0].atoms(sp.Pow))
                      for f in local.atoms(sp.sin, sp.cos, sp.tan))
    converged, probed = True, 0
    for p, side in [(p, side) for p in points for side in directions]:
        # A large parameter (a = 1e11 in sin(a t)/a) moves the asymptotic regime to smaller t:
        # the probes move down by its decades.
        shift = min(200, max([0] + [int(abs(mpmath.log10(abs(mpmath.mpmathify(v))))) + 1
                                    for v in p.values() if v != 0 and abs(complex(v)) > 1]))
        digits = int((SERIES_DECADES[-1] + shift) * (abs(float(order)) + 2)) + 80
        ratios = []
        for k, factor in zip(SERIES_DECADES, factors):
            with mpmath.workdps(digits):
                h = mpmath.mpf(factor) * mpmath.mpf(10) ** (-(k + shift))
            try:
                value = stable_value(local, {**p, t: side * h}, digits)
            except (ValueError, ZeroDivisionError, TypeError):
                value = None
            with mpmath.workdps(digits):
                ratios.append(abs(value) / h ** order if value is not None else mpmath.nan)
        if not all(mpmath.isfinite(r) for r in ratios):
            continue
        probed += 1
        growth = [b / (a + mpmath.mpf(10) ** (-digits // 2)) for a, b in zip(ratios, ratios[1:])]
        if max(growth) >= mpmath.mpf(10) ** 6:
            return ("failed", "series (numeric)", f"a term below order {order} survives: remainder/t^{order} "
                    f"grows {mpmath.nstr(max(growth), 2)}-fold between probes at {_show_point(p)}", {})
        if ratios[-1] > 1e-12 and all(g > 1.2 for g in growth) and not oscillating:
            return ("failed", "series (numeric)", f"remainder/t^{order} grows without bound "
                    f"({', '.join(mpmath.nstr(r, 3) for r in ratios)}): not O(t^{order})", {})
        if abs(ratios[-1] - ratios[-2]) > mpmath.mpf("1e-6") * (1 + ratios[-1]):
            converged = False
    creeping = _irrational_power(local, t)
    if converged and probed and creeping is not None:
        return ("unverified", "series (numeric)", f"remainder/t^{order} settles at the probes, but {creeping} has an "
                "exponent that is not rational: a power t^(10^-9) looks constant from t = 1e-8 to 1e-32, so the "
                "probes cannot tell such a remainder from one of order t^0", {})
    if converged and probed:
        return ("verified", "series (numeric)", f"remainder/t^{order} converges at {probed} probes "
                f"(t down to 1e-{SERIES_DECADES[-1]}, {digits} digits)", {})
    return "unverified", "series (numeric)", f"remainder/t^{order} does not settle", {}


def _order_key(term, var, point):
    """How high a series term's order is, for picking the last one kept."""
    t = sp.Dummy("t", positive=True)
    local = substitute(term, {var: 1 / t if point in (sp.oo, -sp.oo) else point + t})
    try:
        return float(sp.Poly(sp.expand(local), t).monoms()[-1][0]) if local.is_polynomial(t) else \
            float(sp.limit(sp.log(abs(local)) / sp.log(t), t, 0))
    except Exception:
        return 0.0


@register
class Series(Rule):
    kind = "series"
    title = "Series"
    verb = series
    final = True

    def check(self, step, derivation):
        return verdict(check_series(step, derivation))

    def introduces(self, step):
        return sp.sympify(step.rule["var"]).free_symbols

    def mutants(self, derivation, step):
        """One order more claimed; the highest coefficient kept multiplied by 8/7."""
        rhs = step.statement.rhs
        if not rhs.has(sp.Order):
            return []
        found = []
        order, var, point = step.rule["order"], step.rule["var"], step.rule["point"]
        more = sp.O(var ** (order + 1), (var, point)) if point not in (sp.oo, -sp.oo) else \
            sp.O(var ** -(order + 1), (var, point))
        claim = rhs.removeO()
        mutated = dataclasses.replace(step.with_side("rhs", claim + more), rule={**step.rule, "order": order + 1})
        found.append(("series-order", f"O(.^{order}) -> O(.^{order + 1})", mutated))
        terms = [t for t in sp.Add.make_args(claim)] if isinstance(claim, sp.Add) else []
        if terms:
            last = max(terms, key=lambda t: _order_key(t, var, point))
            rest = [t for t in terms if t is not last]
            high = sp.Add(*rest, PERTURBATION * last) + rhs.getO()
            found.append(("high-coefficient", f"(8/7)({last})",
                          step.with_side("rhs", high)))
        return found

    def mutant_is_true(self, derivation, clone, step, mutant):
        if mutant.kind == "high-coefficient":
            return False
        if mutant.kind == "series-order":
            # One more order is still right: the remainder's convergence at that order.
            try:
                local, t, order = _series_parts(mutant.step, clone)
                decided = numeric_order(local, t, order, mutant.step.conditions)
                return decided is not None and decided[0] == "verified"
            except Exception:
                return False
        return None

    def holds(self, derivation, step):
        """The oracle for a mutant citing other premises or claimed on more of the domain: the
        remainder converges at its order (the numeric route, at the mutant's own conditions)."""
        try:
            parts = _series_parts(step, derivation)
            if parts is None:
                return None
            decided = numeric_order(*parts, step.conditions)
        except Exception:
            return None
        return None if decided is None else decided[0] == "verified"
