"""Where a step is claimed, against where the premises it rests on hold.

A cited premise, or a binding above the step that the step uses, may hold only under its side
conditions (``M(t) = t`` for ``t > 0``, a closed form valid for ``z < 0``).  A step claimed
beyond them would rest on nothing there: its checks would substitute a value, or solve a
relation, where it is not true.  :func:`check` refuses such a step, naming the premise and a
point.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .. import bindings as _bindings
from ..sampling import (Exact, admissible_points, beside_edge, condition_holds, exact_edges, sign_condition,
                        statement_seed)
from .result import Refused


#: Points at which a step's domain is compared with its premises' domains.
DOMAIN_POINTS = 20
#: Of those, the points from which each premise condition's exact edges are probed.
EDGE_POINTS = 2


def check(derivation, step):
    """Refuse a step claimed where a premise it rests on is not.

    A cited premise, or a binding above the step whose name the step uses, may hold only under
    its side conditions (``M(t) = t`` for ``t > 0``).  At random points where the step's own
    conditions hold, each such condition must hold too, at every argument the step applies the
    premise's functions to (``M(-t)`` needs ``-t > 0``).
    """
    sources = [derivation[label] for label in step.uses]
    used = _names_used(derivation, step)
    sources += [s for s in derivation.ancestors(step.label)
                if s.binds and s.label not in step.uses and _bound_key(s) in used]
    sources = [s for s in sources if _domain_of(derivation, s)]
    if not sources:
        return
    statement = step.statement.lhs - step.statement.rhs
    limit = step.statement.lhs if isinstance(step.statement.lhs, sp.Limit) else None
    symbols = {s for s in used | statement.free_symbols.union(*(c.free_symbols for c in step.conditions))
               if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)}
    if limit is not None:
        symbols.discard(limit.args[1])
    rng = np.random.default_rng(statement_seed(step.statement, *step.conditions) % 2**32)
    own = [c for c in (*step.conditions, *_order_premises(derivation, step))
           if limit is None or not c.has(limit.args[1])]
    points = admissible_points(symbols, own, DOMAIN_POINTS, rng)
    if limit is not None:
        points = [{**p, limit.args[1]: near} for near in _near(limit) for p in points]
    applications = _applications(derivation, step)
    for source in sources:
        for condition in _domain_of(derivation, source):
            for instance in _instances(condition, source, applications):
                if instance.atoms(sp.core.function.AppliedUndef, sp.Derivative):
                    continue  # a condition on an unknown (im m > 0): the branch, not the domain
                if not instance.free_symbols <= symbols | ({limit.args[1]} if limit is not None else set()):
                    # It fixes a name this step does not speak of (lam = 0 for a formula that no
                    # longer has lam): some value of it satisfies the condition.
                    continue
                for point in points:
                    if not instance.free_symbols <= set(point):
                        break
                    try:
                        holds = condition_holds(instance, point)
                    except (ValueError, ZeroDivisionError, TypeError):
                        continue
                    if not holds:
                        _refuse(source, condition, instance, point)
                _probe_edges(source, condition, instance, points[:EDGE_POINTS], own,
                             bound={limit.args[1]} if limit is not None else set())


def _refuse(source, condition, instance, point):
    shown = ", ".join(f"{k}={v.value}" if isinstance(v, Exact) else f"{k}={v:.4g}" if isinstance(v, float)
                      else f"{k}={v}" for k, v in sorted(point.items(), key=str))
    where = f"at {shown}" if shown else "unconditionally"
    raise Refused("premise domain", f"'{source.label}' holds only where {condition}; "
                  f"this step is claimed {where}, where {instance} fails")


def _probe_edges(source, condition, instance, points, own, bound=()):
    """Look for a point of the step's domain just outside ``instance``: at each real symbol's
    exact edge of it, and just beside (``t > -10^-20`` claimed on a premise for ``t > 0`` is
    caught at ``t = 0``, which no random point comes near).  A limit's variable (``bound``) is
    not moved: the limit only ever looks near its point."""
    if not isinstance(instance, sp.core.relational.Relational) or isinstance(instance, sp.Unequality):
        return
    for point in points:
        for symbol in sorted((s for s in instance.free_symbols if s.is_real and s in point and s not in bound),
                             key=str):
            for edge in exact_edges(instance, symbol, point, point[symbol])[:2]:
                for value in (edge, beside_edge(edge, -1), beside_edge(edge, 1)):
                    candidate = {**point, symbol: value}
                    try:
                        if (_allowed(symbol, value) and all(condition_holds(c, candidate) for c in own)
                                and not condition_holds(instance, candidate)):
                            _refuse(source, condition, instance, candidate)
                    except (ValueError, ZeroDivisionError, TypeError):
                        continue


def _allowed(symbol, value):
    """Whether a real ``value`` respects the sign and integrality assumptions of ``symbol``."""
    sign = sign_condition(symbol)
    if sign is not None and not condition_holds(sign, {symbol: value}):
        return False
    return not symbol.is_integer or float(value).is_integer()


def _order_premises(derivation, step):
    """The cited premises that are order relations (``t > 1``): part of where a step is claimed."""
    return [derivation[label].statement for label in step.uses
            if not isinstance(derivation[label].statement, sp.Equality)]


def _domain_of(derivation, source):
    """Where a premise holds: its side conditions, the order relations it cites, and for a
    binding of a function ``M(x)`` the sign assumptions of its arguments (``x`` positive means
    ``M(x) = x`` says nothing about ``M(-x)``)."""
    found = list(source.conditions) + _order_premises(derivation, source)
    general = {a for a in source.statement.atoms(sp.core.function.AppliedUndef) if _bindings.is_name(a)}
    for application in sorted(general, key=sp.default_sort_key):
        for argument in application.args:
            sign = sign_condition(argument, evaluate=False)
            if sign is not None:
                found.append(sign)
    return found


def _near(limit):
    """Values of a limit's variable close to its point, on each side it is approached from
    (both for a two-sided limit): a premise used inside the limit must hold there (``tau > 1``
    for ``tau -> oo``, ``t > 0`` on neither side of a two-sided limit at 0)."""
    _, var, point, direction = limit.args
    if point in (sp.oo, -sp.oo):
        return [float(sp.sign(point)) * 1e12]
    sides = {"-": (-1,), "+": (1,)}.get(str(direction), (1, -1))
    if not point.is_real:
        return [complex(point) + side * 1e-9 for side in sides]
    return [float(point) + side * 1e-9 for side in sides]


def _instances(condition, source, applications):
    """``condition`` as the step meets it: for a premise about a function ``M(t)``, at every
    argument tuple the step applies ``M`` to (``M(-t)`` needs ``-t > 0``), and not at all if it
    never does; for any other premise, as it stands."""
    general = [a for a in _bindings.applied_derivatives(source.statement).atoms(sp.core.function.AppliedUndef)
               if _bindings.is_name(a)]
    if not general or not source.binds and not isinstance(source.statement.lhs, sp.core.function.AppliedUndef):
        found = [condition]
    else:
        found = []
    # An application at the premise's own arguments is the condition as it stands.
    found += [condition for function in general if function in applications and condition not in found]
    found += [_at(condition, mapping) for mapping in _bindings.argument_maps(general, applications)]
    return found


def _at(condition, mapping):
    """``condition`` with ``mapping`` put in, left unevaluated so that a refusal can show it
    (``-x > 0``, not ``False``)."""
    if isinstance(condition, sp.core.relational.Relational):
        return condition.func(condition.lhs.xreplace(mapping), condition.rhs.xreplace(mapping), evaluate=False)
    return condition.xreplace(mapping)


def _applications(derivation, step):
    """Function applications in the step's statement and in the values of the bindings it uses;
    a derivative at a point (``M'(-t)``, a ``Subs``) is an application of the derivative there."""
    def applications(expr):
        return _bindings.applied_derivatives(expr).atoms(sp.core.function.AppliedUndef)

    found = applications(step.statement)
    used = _names_used(derivation, step)
    for name, value in derivation.bindings(step.uses):
        key = name.func if isinstance(name, sp.core.function.AppliedUndef) else name
        if key in used:
            found |= applications(value)
    return found


def _bound_key(step):
    lhs = step.statement.lhs
    return lhs.func if isinstance(lhs, sp.core.function.AppliedUndef) else lhs


def _names_used(derivation, step):
    """Symbols and function heads the step uses, directly or through the bindings above it."""
    table = derivation.bindings(step.uses)
    values = {}
    for name, value in table:
        if isinstance(name, sp.core.function.AppliedUndef):
            # M(t) = f(t): t is M's own argument, not a name the step uses.
            values.setdefault(name.func, sp.sympify(value).xreplace({a: sp.Dummy() for a in name.args}))
        else:
            values.setdefault(name, value)

    def names(expr):
        expr = sp.sympify(expr)
        return set(expr.free_symbols) | {f.func for f in expr.atoms(sp.core.function.AppliedUndef)}

    used = names(step.statement.lhs) | names(step.statement.rhs)
    frontier = list(used)
    while frontier:
        name = frontier.pop()
        if name in values:
            for new in names(values[name]) - used:
                used.add(new)
                frontier.append(new)
    return used
