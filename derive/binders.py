"""Capture-avoiding substitution: the one way the checker puts values into user expressions.

``substitute(expr, mapping)`` replaces, simultaneously, every *free* occurrence of each key of
``mapping`` in ``expr``:

* a ``Symbol`` key by its value;
* an undefined function (``M``) by a ``Lambda``, beta-reduced at each application
  (``M(t)`` with ``M = Lambda(x, Integral(x t, (t, 0, 1)))`` is the body with ``x := t``, itself
  substituted by this function, so the bound ``t`` is renamed first);
* any other key (a spectral mean, a derivative) where a node equals it.

Under a binder the bound variable is never replaced, and when a value brought in has a free
symbol that the binder binds, the bound variable is renamed first (alpha-renaming): ``a := t``
put into ``Integral(a t, (t, 0, 1))`` gives ``Integral(t t', (t', 0, 1)) = t/2``, not
``Integral(t^2, ...) = 1/3``.  The renamed variable keeps the original's assumptions (a real
``t`` becomes a real ``t'``), and its name is the original's primed until it is fresh, so the
same substitution always renames alike (a statement's mean and a binding's mean still match).

Binders and the scope of what they bind:

* ``Integral``, ``Sum``, ``Product`` (``ExprWithLimits``): the variable of limit ``i`` is bound
  in the integrand and in the bounds of the limits before it (``Integral(x, (x, 0, y), (y, 0, 1))``
  integrates over ``y`` outermost); its own bounds are free (the ``x`` in ``(x, 0, x)`` is outer);
* ``Limit(e, z, z0)``: ``z`` in ``e``; ``z0`` is free;
* ``Subs(e, vars, points)``: ``vars`` in ``e``; the points are free;
* ``Lambda(vars, e)``: ``vars`` in ``e``;
* ``Derivative(e, x)`` and an indefinite ``Integral(e, x)``: a function of ``x`` evaluated at
  ``x``.  ``x`` is bound in ``e`` and free as the point: replacing ``x`` by a value ``v`` gives
  ``Subs(Derivative(e(x'), x'), x', v)`` (written back as ``Derivative(e(t), t)`` when ``v`` is a
  fresh symbol ``t``), and a value that mentions ``x`` put into ``e`` renames ``x`` likewise;
* an object with an ``Opaque``-style binding (a spectral mean ``<f(r)>``): the symbols in its
  arguments that are not among its free symbols (or its ``bound_symbols``), over all its arguments.
"""

from __future__ import annotations

import sympy as sp
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.function import AppliedUndef, UndefinedFunction


def substitute(expr, mapping):
    """``expr`` with every free occurrence of each key of ``mapping`` replaced, simultaneously,
    without capture (see the module docstring)."""
    expr = sp.sympify(expr)
    mapping = {(k if isinstance(k, (sp.Basic, UndefinedFunction)) else sp.sympify(k)): sp.sympify(v)
               for k, v in dict(mapping).items() if k != v}
    if not mapping or not isinstance(expr, sp.Basic):
        return expr
    if _plain(mapping) and not _has_binder(expr):
        return expr.xreplace(mapping)  # nothing binds: a plain simultaneous replacement
    return _walk(expr, mapping)


def replace_free(expr, old, new):
    """One key: :func:`substitute` with ``{old: new}``."""
    return substitute(expr, {old: new})


def _is_binder(node):
    return isinstance(node, (ExprWithLimits, sp.Limit, sp.Subs, sp.Lambda, sp.Derivative)) or bool(
        _opaque_bound(node))


def _plain(mapping):
    """Whether ``mapping`` can go through sympy's ``xreplace`` on an expression without binders
    (no function key, which needs beta-reduction)."""
    return not any(isinstance(k, UndefinedFunction) for k in mapping)


def _opaque_bound(node):
    """The symbols a non-sympy binder binds: its ``bound_symbols``, else the symbols of its
    arguments that are not among its free symbols (a spectral mean's integration variable)."""
    if not (isinstance(node, sp.Function) and not isinstance(node, AppliedUndef)) or not node.args:
        return ()
    if type(node).free_symbols is sp.Basic.free_symbols or type(node).free_symbols is sp.Function.free_symbols:
        return ()  # the default: every symbol of the arguments is free, nothing is bound
    declared = getattr(node, "bound_symbols", None)
    if declared:
        return tuple(declared)
    inner = set().union(*(a.free_symbols for a in node.args))
    return tuple(sorted(inner - node.free_symbols, key=sp.default_sort_key))


def _free_of_value(value):
    if isinstance(value, UndefinedFunction):
        return set()
    return value.free_symbols


def _relevant(node, mapping):
    """The part of ``mapping`` whose keys occur free in ``node`` (so a node it misses is
    returned unchanged, and only the values that can reach a binder are asked about capture)."""
    free = node.free_symbols
    found = {}
    functions = None
    for key, value in mapping.items():
        if isinstance(key, sp.Symbol):
            if key in free:
                found[key] = value
        elif isinstance(key, UndefinedFunction):
            if functions is None:
                functions = {a.func for a in node.atoms(AppliedUndef)}
            if key in functions:
                found[key] = value
        elif not (key.free_symbols - free) and node.has(key):
            found[key] = value
    return found


def _without(mapping, bound):
    """``mapping`` inside a binder of ``bound``: a bound symbol is not replaced, and neither is a
    key (a mean of ``x``) that mentions one, since under the binder it is another thing."""
    bound = set(bound)
    return {k: v for k, v in mapping.items()
            if k not in bound and (isinstance(k, UndefinedFunction) or not (k.free_symbols & bound))}


def _fresh(symbol, avoid):
    """``symbol`` primed until no symbol named so is in ``avoid``, with its assumptions."""
    names = {s.name for s in avoid}
    name = symbol.name + "'"
    while name in names:
        name += "'"
    if isinstance(symbol, sp.Dummy):
        return sp.Dummy(name, **symbol.assumptions0)
    return sp.Symbol(name, **symbol.assumptions0)


def _renaming(bound, node, inner, extra=()):
    """``{v: v'}`` for each variable of ``bound`` that a value of ``inner`` would capture."""
    carried = set().union(*(_free_of_value(v) for v in inner.values())) if inner else set()
    captured = [v for v in bound if v in carried or v in extra]
    if not captured:
        return {}
    avoid = set(carried) | node.free_symbols | {k for k in inner if isinstance(k, sp.Symbol)}
    avoid |= set().union(*(a.free_symbols for a in node.args if isinstance(a, sp.Basic)))
    avoid |= node.atoms(sp.Symbol) | set(extra)
    renaming = {}
    for v in captured:
        renaming[v] = _fresh(v, avoid)
        avoid.add(renaming[v])
    return renaming


def _has_binder(expr):
    return any(_is_binder(node) for node in sp.preorder_traversal(expr))


def _walk(node, mapping):
    if not mapping:
        return node
    if isinstance(node, sp.Symbol):
        return mapping.get(node, node)
    if node in mapping and not isinstance(node, UndefinedFunction):
        return mapping[node]
    if not node.args:
        return node
    if isinstance(node, AppliedUndef) and node.func in mapping:
        return _apply(mapping[node.func], [_walk(a, mapping) for a in node.args], node)
    if isinstance(node, sp.Order):
        # O(x^2, (x, 0)): sympy's own substitution moves the point with the variable.
        return node.subs(mapping, simultaneous=True)
    if not _is_binder(node):
        return _rebuild(node, [_walk(a, mapping) for a in node.args])
    # A binder: only the keys that occur in it can bring a value in to be captured.
    mapping = _relevant(node, mapping)
    if not mapping:
        return node
    if isinstance(node, sp.Derivative):
        return _derivative(node, mapping)
    if isinstance(node, ExprWithLimits):
        return _with_limits(node, mapping)
    if isinstance(node, sp.Limit):
        e, z, z0, direction = node.args
        point = _walk(z0, mapping)
        # sympy refuses a limit whose point mentions its variable: rename that one too.
        body, (z_new,) = _bind(e, (z,), node, mapping, extra=point.atoms(sp.Symbol))
        return node.func(body, z_new, point, direction)
    if isinstance(node, sp.Subs):
        e, variables, points = node.args
        body, new_vars = _bind(e, tuple(variables), node, mapping)
        return sp.Subs(body, new_vars, tuple(_walk(p, mapping) for p in points))
    if isinstance(node, sp.Lambda):
        body, new_vars = _bind(node.expr, tuple(node.variables), node, mapping)
        return sp.Lambda(new_vars, body)
    bound = _opaque_bound(node)
    inner = _without(mapping, bound)
    renaming = _renaming(bound, node, inner)
    if renaming:
        node = node.xreplace(renaming)
    return _rebuild(node, [_walk(a, inner) for a in node.args])


def _rebuild(node, args):
    if all(a is b for a, b in zip(args, node.args)):
        return node
    return node.func(*args)


def _bind(body, variables, node, mapping, extra=()):
    """``body`` under a binder of ``variables``: renamed where a value would be captured (or the
    variable is in ``extra``), then substituted with the bound variables left alone.  Returns
    the body and the variables."""
    inner = _without(mapping, variables)
    inner = _relevant(body, inner)
    renaming = _renaming(variables, node, inner, extra=extra)
    if renaming:
        body = body.xreplace(renaming)
        variables = tuple(renaming.get(v, v) for v in variables)
    return _walk(body, inner), variables


def _apply(value, args, node):
    """``value`` (a ``Lambda`` or a function) applied to ``args``: beta-reduction by
    :func:`substitute`, so the Lambda's own bound variables are renamed where ``args`` would be
    captured."""
    if isinstance(value, sp.Lambda) and len(value.variables) == len(args):
        return substitute(value.expr, dict(zip(value.variables, args)))
    if isinstance(value, sp.Lambda):
        return node.func(*args)  # a wrong arity is the caller's to report; leave it unapplied
    return value(*args)


def _with_limits(node, mapping):
    """``Integral``/``Sum``/``Product``: several limits are nested binders, the first innermost
    (``Integral(f, (x, 0, y), (y, 0, 1))`` integrates over ``y`` outermost), taken outermost first."""
    limits = list(node.limits)
    if any(len(limit) == 1 for limit in limits):
        if len(limits) == 1:
            # An indefinite integral is a function of its variable: like a derivative.
            return _pointwise(node, [limits[0][0]], mapping)
        return node.subs(mapping, simultaneous=True)  # indefinite among definite: sympy's reading
    function, limits = _limits(node.function, limits, node, mapping)
    return node.func(function, *limits)


def _limits(function, limits, node, mapping):
    """The integrand and ``limits`` with ``mapping`` put in: the last limit's bounds outside its
    scope, its variable bound in the integrand and in the bounds of the limits before it, and
    renamed throughout them where a value would be captured (a consistent renaming to a fresh
    name, so a limit inside that binds the same name again stays intact)."""
    if not limits:
        return _walk(function, mapping), []
    *inner, (variable, *bounds) = limits
    bounds = [_walk(b, mapping) for b in bounds]
    region = sp.Tuple(function, *[sp.Tuple(*limit) for limit in inner])
    scope = _relevant(region, _without(mapping, (variable,)))
    renaming = _renaming((variable,), node, scope)
    if renaming:
        function = function.xreplace(renaming)
        inner = [sp.Tuple(*limit).xreplace(renaming) for limit in inner]
        variable = renaming[variable]
    function, inner = _limits(function, inner, node, scope)
    return function, [*inner, (variable, *bounds)]


def _pointwise(node, variables, mapping):
    """A derivative (or indefinite integral) in ``variables``: a function of them evaluated at
    them.  Unchanged variables stay as they are; a variable that is replaced, or that a value
    would capture, is renamed inside and the node evaluated at its new value by ``Subs``."""
    symbols = [v for v in variables if isinstance(v, sp.Symbol)]
    if len(symbols) != len(variables):
        return node.subs(mapping, simultaneous=True)  # d/d f(x): sympy's own reading
    inner = _without(mapping, symbols)
    renaming = _renaming(symbols, node, inner, extra=[v for v in symbols if v in mapping])
    if not renaming:
        return _rebuild(node, [_walk(a, inner) if i == 0 else a for i, a in enumerate(node.args)])
    body = _walk(node.xreplace(renaming), inner)
    points = {renaming[v]: _walk(v, mapping) for v in renaming}
    # Written back as a plain derivative in a fresh symbol point (d/dt f(t)) where that is exact.
    targets = list(points.values())
    if (all(isinstance(p, sp.Symbol) and p not in body.free_symbols for p in targets)
            and len(set(targets)) == len(targets)):
        return body.xreplace(points)
    return sp.Subs(body, tuple(points), tuple(points.values()))


def _derivative(node, mapping):
    return _pointwise(node, list(node.variables), mapping)
