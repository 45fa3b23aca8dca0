"""``root``: a name defined as *the* root of an equation on an interval.

``D.root(label, kappa, Eq(kappa, lam + kappa*df1(kappa)/N), interval=(0, oo), conditions=[lam > 0])``
says: for every parameter point where the conditions hold, the equation has exactly one root
``kappa`` in the open interval, and ``kappa`` names it.  The statement is the equation itself
(with the name in it), so later steps cite the root step and have ``F(kappa) = 0`` as a premise
(elimination, the numeric checker, which solves for the name and keeps the root in the
interval); with ``kappa`` a function of the parameters (``kappa(lam)``), ``differentiate``
gives ``d kappa / d lam`` by implicit differentiation.

What the checker decides (:func:`check_root`), all with the kernel's real-algebraic procedure
(:func:`derive.check.kernel.real.implies`, Z3's nlsat), for ``F(u) = lhs - rhs`` with the
bindings of the cited steps substituted and the name replaced by a real unknown ``u``:

* **Only rational ``F``** (a polynomial over a polynomial in ``u`` and the real parameters,
  rational coefficients: a finite spectrum, ``sum_k l_k / (l_k + u)``, is one).  Anything else
  (``exp``, ``log``, a symbolic number of terms, a float) is *unverified*, with the reason.
* **Continuity**: the denominator ``Q(u)`` has no zero in the interval, wherever the
  conditions hold (else unverified).
* **Existence**: the sign of ``F`` just inside each end is that of the lowest-order
  coefficient of ``P`` and ``Q`` about the end (a pole at the end is allowed: ``1 - lam/u`` near
  ``u = 0``), and at ``oo`` that of the leading ones; each coefficient must be nonzero wherever
  the conditions hold, and the two end signs opposite: then ``F`` changes sign and, continuous,
  has a root (intermediate values).
* **Uniqueness**: ``F``, or ``F/h`` for a factor ``h > 0`` on the interval (``u``, ``u - low``,
  ``high - u``, tried in turn: the same roots), is strictly monotone: the numerator of its
  derivative has one sign on the interval; otherwise the sentence "no two roots ``u1 < u2``
  in the interval" is decided outright.
* **Failed**, with Z3's point as the witness (exact: nlsat decides the sentence), when two roots
  lie in the interval at some admissible point, when ``F`` is strictly monotone and has the same
  sign near both ends at some admissible point (no root there), or when the interval is empty
  somewhere.
* **Unverified** when Z3 cannot decide a question within its resource limit, when a coefficient's
  sign depends on the parameters in a way the above does not settle, or when uniqueness is known
  only from the two-roots sentence and the end signs agree (a double root is not excluded).

Lowered by :class:`derive.solvers.IntervalRoot` (:func:`derive.lower.lower_quantity`).
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from .. import bindings as _bindings
from ..check.kernel.real import counterexample, implies
from ..check.result import Refused
from ..errors import DerivationError
from ..step import DEFINITION, Step
from . import Rule, register, verdict

KIND = "root"


def root(self, label, name, equation, *, interval, conditions=(), uses=(), explanation="", ref=""):
    """``name`` is the unique root of ``equation`` in the open ``interval = (low, high)`` wherever
    the ``conditions`` hold.

    ``name`` is a symbol or ``f(x, y)`` with distinct symbol arguments (a function of the
    parameters, for implicit differentiation); ``equation`` an ``Eq`` (or an expression equal
    to 0) that involves the name only as itself; ``low`` and ``high`` expressions in the
    parameters, or ``-oo``/``oo``.  The statement is the equation; existence and uniqueness are
    checked (module docstring).
    """
    if not isinstance(equation, sp.Equality):
        equation = sp.Eq(sp.sympify(equation), 0, evaluate=False)
    if not (isinstance(name, (sp.Symbol, AppliedUndef)) and _bindings.is_name(name)):
        raise DerivationError(f"root: {name} is not a name (a symbol, or f(x, ...) with distinct symbol "
                              "arguments)", label)
    if not equation.has(name):
        raise DerivationError(f"root: the equation does not involve {name}", label)
    if isinstance(name, AppliedUndef):
        stray = [a for a in equation.atoms(AppliedUndef) if a.func == name.func and a != name]
        if stray:
            raise DerivationError(f"root: the equation applies {name.func} at {stray[0].args}, not only as {name}", label)
    try:
        low, high = (sp.sympify(end) for end in interval)
    except (TypeError, ValueError):
        raise DerivationError(f"root: interval must be (low, high), got {interval!r}", label) from None
    if low.has(name) or high.has(name):
        raise DerivationError(f"root: the interval's ends must not involve {name}", label)
    _defined_once(self, label, name)
    # a condition the symbols' assumptions already settle (lam > 0 for a positive lam) is True
    conditions = [c for c in conditions if c is not sp.true]
    return self._add(Step(label, equation, KIND, tuple(uses), tuple(conditions), explanation, ref,
                          binds=False, rule={"name": name, "interval": (low, high)}))


def _defined_once(derivation, label, name):
    """A name is introduced once: not already given a value, nor defined as another root."""
    key = name.func if isinstance(name, AppliedUndef) else name
    for other in derivation._steps.values():
        other_name = other.rule.get("name") if other.kind == KIND else (
            other.statement.lhs if (other.binds or other.kind == DEFINITION)
            and isinstance(other.statement, sp.Equality) else None)
        if other_name is None:
            continue
        other_key = other_name.func if isinstance(other_name, AppliedUndef) else other_name
        if other_key == key:
            raise DerivationError(f"{name} is already introduced by '{other.label}'; a name is defined once", label)


def root_names(steps):
    """``name -> root step`` for the root steps among ``steps``."""
    return {step.rule["name"]: step for step in steps if step.kind == KIND}


def interval_conditions(step, name=None):
    """``low < name < high`` (the finite ends) for a root step: where its root lies."""
    name = step.rule["name"] if name is None else name
    low, high = step.rule["interval"]
    found = []
    if low.is_finite is not False:
        found.append(sp.StrictGreaterThan(name, low))
    if high.is_finite is not False:
        found.append(sp.StrictLessThan(name, high))
    return found


# -- the check ------------------------------------------------------------------------------


def _key(name):
    if isinstance(name, AppliedUndef):
        return name.func
    return name


def _problem(step, derivation):
    """``(name, u, P, Q, conditions, low, high)``: ``F = P/Q`` in the unknown ``u`` (the name
    replaced), closed by the bindings of the cited steps, and the conditions and ends closed the
    same way; :class:`Refused` when ``F`` is not rational with exact coefficients."""
    name = step.rule["name"]
    table = [(n, v) for n, v in derivation.bindings(step.uses) if _key(n) != _key(name)]
    close = lambda expr: _bindings.substitute(sp.sympify(expr), table)
    u = sp.Dummy("u", real=True)
    residual = close(step.residual)
    # a bound name written in terms of the root's own name (w := kappa^2) comes back as it
    if residual.has(_key(name)) and isinstance(name, AppliedUndef):
        stray = [a for a in residual.atoms(AppliedUndef) if a.func == name.func and a != name]
        if stray:
            raise Refused("root: equation", f"after substitution the equation applies {name.func} at {stray[0].args}")
    F = residual.xreplace({name: u})
    if F.has(_key(name)):
        raise Refused("root: equation", f"{name} is left in the equation after substitution")
    low, high = (close(end) for end in step.rule["interval"])
    conditions = [close(c) for c in step.conditions]
    P, Q = (sp.expand(part) for part in sp.fraction(sp.together(F)))
    for part in (P, Q):
        if part.atoms(sp.Function, sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Subs) \
                or not part.is_polynomial(*part.free_symbols):
            raise Refused("root: not decided", f"F({name}) = lhs - rhs is not a rational function of {name} "
                          "and the parameters: existence and uniqueness are decided for rational F only")
    if any(isinstance(c, sp.Float) for c in (P + Q).atoms(sp.Number)):
        raise Refused("root: not decided", "the equation has floating-point coefficients: write them as "
                      "rationals (sympy.Rational) so that the kernel can decide exactly")
    return name, u, P, Q, conditions, low, high


def _finite(end):
    return end.is_finite is not False


def _inside(u, low, high):
    return ([u > low] if _finite(low) else []) + ([u < high] if _finite(high) else [])


def _end_sign(P, Q, u, end, side, conditions):
    """``(E, nonzero, unsettled)``: an expression in the parameters whose sign is that of ``F = P/Q`` just inside
    ``end`` (``side`` +1: the lower end, approached from above; -1: the upper end), certified
    nonzero where the relations ``nonzero`` hold; ``unsettled`` lists the coefficients the conditions
    do not show nonzero."""
    def lowest(poly_expr):
        if not _finite(end):
            poly = sp.Poly(poly_expr, u)
            return poly.LC(), poly.degree()
        v = sp.Dummy("v")
        poly = sp.Poly(sp.expand(poly_expr.xreplace({u: end + v})), v)
        terms = sorted(poly.terms(), key=lambda t: t[0][0])
        for (k,), coefficient in terms:
            if sp.expand(coefficient) != 0:
                return coefficient, k
        return sp.Integer(0), 0

    (p, kp), (q, kq) = lowest(P), lowest(Q)
    unsettled = [c for c in (p, q) if c == 0 or not implies(conditions, sp.Ne(c, 0))]
    # Near a finite end e, F ~ (p/q) (u - e)^(kp - kq): from above the sign is that of p q; from
    # below (-1)^(kp - kq) times it.  Near oo: p q; near -oo: (-1)^(degP - degQ) p q.
    flip = (side < 0 and _finite(end)) or (not _finite(end) and end.is_extended_negative)
    return sp.expand(p * q * ((-1) ** ((kp + kq) % 2) if flip else 1)), [sp.Ne(p, 0), sp.Ne(q, 0)], unsettled


def _monotone(P, Q, u, conditions, inside, low, high):
    """A sentence saying F (or F/h, h > 0 on the interval) is strictly monotone there, or ''."""
    candidates = [sp.Integer(1)]
    if implies(conditions + inside, u > 0):
        candidates.append(u)
    if _finite(low):
        candidates.append(u - low)
    if _finite(high):
        candidates.append(high - u)
    for h in candidates:
        text = "F" if h == 1 else f"F/({sp.sstr(h.xreplace({u: sp.Symbol('u')}))})"
        q = sp.expand(Q * h)
        slope = sp.expand(sp.diff(P, u) * q - P * sp.diff(q, u))
        for relation, word in ((slope > 0, "increasing"), (slope < 0, "decreasing")):
            if relation in (sp.true, sp.false):
                if relation is sp.true:
                    return f"{text} is strictly {word}"
                continue
            if implies(conditions + inside, relation):
                return f"{text} is strictly {word} on the interval (the numerator of its derivative has one sign: Z3)"
    return ""


def _show(point, names):
    if not point:
        return "every parameter point"
    return ", ".join(f"{names.get(s, s)} = {v}" for s, v in sorted(point.items(), key=lambda kv: str(names.get(kv[0], kv[0]))))


def check_root(step, derivation):
    """The verdict of a root step (module docstring)."""
    name, u, P, Q, conditions, low, high = _problem(step, derivation)
    if not P.has(u):
        raise Refused("root: equation", f"the equation does not involve {name} once its premises are substituted")
    inside = _inside(u, low, high)
    where = f"({sp.sstr(low)}, {sp.sstr(high)})"
    if _finite(low) and _finite(high):
        answer, point = counterexample(conditions, sp.StrictLessThan(low, high))
        if answer is False:
            return "failed", "root: empty interval", f"the interval {where} is empty at {_show(point, {})}", \
                {"witness": {str(k): str(v) for k, v in point.items()}}
        if answer is None:
            raise Refused("root: interval", f"the conditions are not shown to make {where} an interval (low < high)")
    if Q.has(u) and not implies(conditions + inside, sp.Ne(Q, 0)):
        raise Refused("root: continuity", f"the denominator {Q} of F may vanish in {where}: F need not be continuous there")
    monotone = _monotone(P, Q, u, conditions, inside, low, high)
    unique = monotone
    if not unique:
        u1, u2 = sp.Dummy("u1", real=True), sp.Dummy("u2", real=True)
        two = [*conditions, *_inside(u1, low, high), u1 < u2, *_inside(u2, low, high)]
        claim = sp.Not(sp.And(sp.Eq(P.xreplace({u: u1}), 0), sp.Eq(P.xreplace({u: u2}), 0)))
        answer, point = counterexample(two, claim)
        if answer is False:
            names = {u1: f"{name} (first root)", u2: f"{name} (second root)"}
            return "failed", "root: two roots", f"not unique: two roots in {where} at {_show(point, names)} (Z3)", \
                {"witness": {str(names.get(k, k)): str(v) for k, v in point.items()}}
        if answer is None:
            raise Refused("root: uniqueness", f"no argument found that the root in {where} is unique: F is not shown "
                          "monotone, and Z3 did not decide whether two roots exist")
        unique = "no two roots in the interval (Z3)"
    low_sign, low_nonzero, low_unsettled = _end_sign(P, Q, u, low, 1, conditions)
    high_sign, high_nonzero, high_unsettled = _end_sign(P, Q, u, high, -1, conditions)
    unsettled = low_unsettled + high_unsettled
    changes = sp.StrictLessThan(low_sign * high_sign, 0)
    if not unsettled and implies(conditions, changes):
        return "verified", "root: existence + uniqueness (kernel: real-algebraic)", \
            f"F changes sign between the ends of {where} (so it has a root: F is continuous there); {unique}", \
            {"unique": unique}
    if monotone:
        # A point where the coefficients that give the end signs do not vanish, and the signs
        # agree: F, strictly monotone between two values of one sign, has no root there.
        answer, point = counterexample([*conditions, *low_nonzero, *high_nonzero], changes)
        if answer is False:
            return "failed", "root: no root", f"no root in {where} at {_show(point, {})}: F has one sign near both " \
                f"ends and {monotone.split(' (')[0]}", {"witness": {str(k): str(v) for k, v in point.items()}}
    if unsettled:
        raise Refused("root: existence", f"the sign of F near the ends of {where} is not settled: the coefficient "
                      f"{unsettled[0]} may vanish where the conditions hold")
    raise Refused("root: existence", f"F is not shown to change sign between the ends of {where}")


@register
class Root(Rule):
    kind = KIND
    title = "Root"
    verb = root
    final = True

    def check(self, step, derivation):
        return verdict(check_root(step, derivation))

    def mutant_is_true(self, derivation, clone, step, mutant):
        """A changed equation defines another root, and the definition is true exactly when that
        root exists and is unique: what :func:`check_root` decides (Z3), or None where it cannot."""
        try:
            status = check_root(mutant.step, clone)[0]
        except Refused:
            return None
        return status == "verified"

    def introduces(self, step):
        name = step.rule["name"]
        return {name.func} if isinstance(name, AppliedUndef) else {name}

    def justification(self, step, printer):
        name = step.rule["name"]
        low, high = step.rule["interval"]
        return [f"${printer.doprint(name)}$ is the unique root in $({printer.doprint(low)}, "
                f"{printer.doprint(high)})$."]
