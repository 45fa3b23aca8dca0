"""Names that steps give values to, and substituting them away.

A *binding* is a statement ``name = expr`` whose left side is a name: a symbol ``s``, an applied
undefined function ``M(kappa, x)`` with distinct symbol arguments (read as the function
``M = Lambda((kappa, x), expr)``, so ``M(kappa/tau, x + eps)`` is substituted too), or a
derivative of such an application.  Definitions and solved closed forms bind; so does a premise
of that shape cited directly.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from . import binders as _binders
from .notation import Meaning, Opaque

#: Substitution passes before giving up on a binding chain (a cycle of definitions).
MAX_DEPTH = 32


class CircularBindings(ValueError):
    """Definitions that refer to themselves through others (``a := b + 1``, ``b := a``)."""


def is_name(expr):
    """True when ``expr`` can stand on the left of a binding."""
    if isinstance(expr, sp.Symbol):
        return True
    if isinstance(expr, Opaque):
        # A bindable opaque object (a trace identity <f(R)> = value binds the mean it evaluates).
        return expr.bindable
    if isinstance(expr, AppliedUndef):
        args = expr.args
        return all(isinstance(a, sp.Symbol) for a in args) and len(set(args)) == len(args)
    if isinstance(expr, sp.Derivative):
        return is_name(expr.expr) and isinstance(expr.expr, AppliedUndef)
    return False


def binding_of(statement):
    """``(name, value)`` when ``statement`` is ``Eq(name, value)`` with name not in value."""
    if not isinstance(statement, sp.Equality):
        return None
    lhs, rhs = statement.lhs, statement.rhs
    if rhs.atoms(Meaning):
        return None
    if not is_name(lhs):
        return None
    if isinstance(lhs, sp.Symbol):
        if lhs in rhs.free_symbols:
            return None
    elif isinstance(lhs, Opaque):
        if rhs.has(lhs):
            return None
    elif isinstance(lhs, AppliedUndef):
        if rhs.has(lhs.func):
            return None
    elif rhs.has(lhs):
        return None
    return lhs, rhs


def _key(name, value):
    """The key and value :func:`derive.binders.substitute` takes for the binding ``name = value``:
    an applied function ``M(x)`` binds the function ``M = Lambda(x, value)``."""
    if isinstance(name, AppliedUndef):
        return name.func, sp.Lambda(name.args, value)
    return name, value


def substitute(expr, bindings, doit=True):
    """Replace every bound name in ``expr`` by its value, repeatedly, until none is left.

    ``bindings`` is a sequence of ``(name, value)``; the first binding of a name wins.
    Derivatives of substituted functions are evaluated (``doit``) so that ``M'(x)`` becomes the
    derivative of ``M``'s closed form.  Limits, sums and integrals stay unevaluated.

    Every replacement goes through :func:`derive.binders.substitute`, which never captures a
    bound variable: ``a := t`` put into ``Integral(a t, (t, 0, 1))`` renames the integration
    variable first, and ``M(x) := <1/(r + x)>_C`` applied at ``M(r)`` renames the mean's ``r``.
    """
    seen = set()
    table = []
    for name, value in bindings:
        key = name.func if isinstance(name, AppliedUndef) else name
        if key in seen:
            continue
        seen.add(key)
        table.append((name, value))
    # A spectral mean bound at nu must still match after nu itself is substituted
    # (<R/(R + nu)> becomes <R/(R + x + eps)>): key it in both forms.
    symbols = {n: v for n, v in table if isinstance(n, sp.Symbol)}
    if symbols:
        for name, value in list(table):
            if isinstance(name, Opaque):
                closed = _binders.substitute(name, symbols)
                if closed != name:
                    table.append((closed, value))
    # Derivative bindings first: once the function inside them is replaced they no longer
    # match.  The rest at once; a node equal to a bound mean is replaced before the symbols in it.
    derivatives = [(n, v) for n, v in table if isinstance(n, sp.Derivative)]
    mapping = dict(_key(n, v) for n, v in table if not isinstance(n, sp.Derivative))
    functions = {n.func for n, _ in table if isinstance(n, AppliedUndef)}
    for _ in range(MAX_DEPTH):
        before = expr
        if functions:
            expr = _at_applications(sp.sympify(expr), functions)
        for name, value in derivatives:
            expr = _substitute_derivative(expr, name, value)
        expr = _binders.substitute(expr, mapping)
        if doit:
            expr = _evaluate_derivatives(_closed_at_applications(expr))
        if expr == before:
            return expr
    raise CircularBindings("bindings do not terminate: a definition refers to itself, through others")


def _at_applications(expr, functions):
    """``expr`` with a derivative in an applied function, ``d f(kappa(lam)) / d kappa(lam)`` (what
    sympy's chain rule writes when ``kappa(lam)`` is the root of an equation), written as the
    derivative at that point, ``Subs(d f(x)/dx, x, kappa(lam))``: a binding of ``f`` then gives
    it a value, as it does ``f'(x)`` (only for ``f`` among the bound ``functions``)."""
    found = {d for d in expr.atoms(sp.Derivative)
             if len(d.variables) == 1 and isinstance(d.variables[0], AppliedUndef)
             and isinstance(d.expr, AppliedUndef) and d.expr.func in functions}
    if not found:
        return expr
    replacements = {}
    for d in found:
        point = d.variables[0]
        x = sp.Dummy("x")
        replacements[d] = sp.Subs(sp.Derivative(d.expr.xreplace({point: x}), (x, d.derivative_count)), x, point)
    return expr.xreplace(replacements)


def _closed_at_applications(expr):
    """A derivative at an applied function (:func:`_at_applications`) whose function has been
    given its value: evaluated there."""
    done = {a: a.doit() for a in expr.atoms(sp.Subs)
            if len(a.point) == 1 and isinstance(a.point[0], AppliedUndef)
            and not a.expr.atoms(AppliedUndef) and not a.expr.atoms(sp.Derivative)}
    return expr.xreplace(done) if done else expr


def substitute_bound(variables, exprs, bindings, doit=True):
    """``exprs``, in which ``variables`` are bound (a limit's variable in its expression), with
    the bindings put in around them: ``(variables', exprs')``, the variables renamed where a
    value would be captured (``a := t`` in ``a t`` under ``t`` gives ``t'`` and ``t t'``).

    The expressions share one renaming, so two bodies of one limit stay comparable."""
    variables = tuple(variables)
    closed = substitute(sp.Lambda(variables, sp.Tuple(*exprs)), bindings, doit=doit)
    if not isinstance(closed, sp.Lambda):  # Lambda(x, x) is sympy's identity; not for tuples
        raise TypeError(f"bindings turned the scope of {variables} into {closed}")
    return tuple(closed.variables), tuple(closed.expr)


def _substitute_derivative(expr, name, value):
    """Replace ``d/dx_i f(x_1, ..., x_n)`` by ``value`` at every argument tuple it occurs at.

    The binding ``M'(kappa, x) = g(kappa, x)`` is a statement about the function, so
    ``M'(kappa, x_star)`` (the derivative in the second argument, evaluated at ``x_star``)
    becomes ``g(kappa, x_star)``, and ``M''(kappa, x)`` becomes ``d/dx g(kappa, x)``.
    """
    general = name.expr
    (variable, order), = name.variable_count if len(name.variable_count) == 1 else ((None, 0),)
    if variable is None:
        return _binders.substitute(expr, {name: value})
    position = general.args.index(variable)
    replacements, functions = {}, {}
    for candidate in expr.atoms(sp.Derivative):
        inner = candidate.expr
        if (not isinstance(inner, AppliedUndef) or inner.func != general.func
                or len(candidate.variable_count) != 1):
            continue
        (var, n), = candidate.variable_count
        if n < order or not is_name(inner) or inner.args.index(var) != position:
            continue
        # d^n/dx^n M(..., x, ...) is a function of M's arguments: written as one (a placeholder
        # applied to the same symbols, in the same place), it is beta-reduced by the one
        # substitution, which renames a bound variable of the value that its arguments would
        # meet.  M'' from the binding of M': the binding holds for every x, so it may be
        # differentiated.
        placeholder = sp.Function(f"_d{int(n)}[{position}]{general.func}")
        if placeholder not in functions:
            functions[placeholder] = sp.Lambda(general.args, sp.diff(value, variable, n - order)
                                               if n > order else value)
        replacements[candidate] = placeholder(*inner.args)
    if not replacements:
        return expr
    return _binders.substitute(expr.xreplace(replacements), functions)


#: Functions whose sympy derivative is not the derivative everywhere: at a kink or a jump
#: (|t| at 0, a Piecewise's break, floor at an integer) sympy answers sign(0) = 0,
#: Heaviside(0) = 1/2 or one piece's derivative, where there is no derivative at all.
NON_SMOOTH = (sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.floor, sp.ceiling, sp.frac, sp.sign, sp.Heaviside,
              sp.Mod, sp.re, sp.im, sp.arg, sp.conjugate, sp.DiracDelta, sp.KroneckerDelta)


def non_smooth(expr, variables):
    """The functions of :data:`NON_SMOOTH` in ``expr`` whose arguments depend on ``variables``."""
    variables = set(variables)
    return [a for a in sp.sympify(expr).atoms(*NON_SMOOTH) if a.free_symbols & variables]


class Underivable(sp.Function):
    """A derivative of a function that is not smooth (:data:`NON_SMOOTH`), left unevaluated: an
    unknown to every method, so nothing is proved from sympy's value at a kink."""


def _evaluate_derivatives(expr):
    """``doit`` on derivatives and ``Subs`` only, leaving limits and sums as written.  The
    derivative of a non-smooth expression becomes an :class:`Underivable` unknown."""
    targets = [a for a in expr.atoms(sp.Derivative, sp.Subs) if not a.has(AppliedUndef)]
    if not targets:
        return expr
    replacements = {}
    for a in targets:
        derivative = a.expr if isinstance(a, sp.Subs) else a
        if isinstance(derivative, sp.Derivative) and non_smooth(derivative.expr, derivative.variables):
            replacements[a] = Underivable(*a.args)
        else:
            replacements[a] = a.doit()
    return expr.xreplace(replacements)


def applied_derivatives(expr):
    """``expr`` with each derivative of a named function written as a function of its own.

    ``M'(x)`` becomes ``M'[1](x)`` and ``M'(1)``, which sympy writes
    ``Subs(Derivative(M(x), x), x, 1)``, becomes ``M'[1](1)``: an application like any other, so
    that a relation stated at ``x`` is instantiated at ``1`` (:func:`instances`), a premise's
    domain is checked at the point the derivative is taken at, and a numeric unknown for
    ``M'(1)`` is not confused with the one for ``M'(x)``.  The new function's name records which
    arguments were differentiated how often (``M'[0,2]`` is the second derivative in the
    second argument).
    """
    expr = sp.sympify(expr)

    def head(derivative):
        inner = derivative.expr
        counts = [0] * len(inner.args)
        for variable, count in derivative.variable_count:
            counts[inner.args.index(variable)] += int(count)
        return sp.Function(f"{inner.func}'[{','.join(map(str, counts))}]")

    def rewrite(node):
        if isinstance(node, sp.Subs) and isinstance(node.expr, sp.Derivative) and is_name(node.expr):
            mapping = dict(zip(node.variables, (rewrite(p) for p in node.point)))
            inner = node.expr.expr
            return head(node.expr)(*(a.xreplace(mapping) for a in inner.args))
        if isinstance(node, sp.Derivative) and is_name(node) and all(
                v in node.expr.args for v in node.variables):
            return head(node)(*node.expr.args)
        if not node.args or isinstance(node, (sp.Symbol, Meaning)):
            return node
        new = [rewrite(a) for a in node.args]
        return node.func(*new) if new != list(node.args) else node

    return rewrite(expr)


def instances(relations, target, rounds=4):
    """Copies of ``relations`` at every argument tuple their functions are applied to in
    ``target``, and in the copies so made, up to ``rounds`` deep.

    ``M'(1) = -M(1)^2 / (2 M(1) + 1)``, the derivative relation at 1, brings in ``M(1)``, which
    needs the quadratic at 1 too.
    """
    found, frontier = [], [target]
    for _ in range(rounds):
        new = []
        for piece in frontier:
            for relation in relations:
                for copy in instantiate(relation, piece):
                    if copy not in found and copy not in relations and copy not in new:
                        new.append(copy)
        if not new:
            break
        found += new
        frontier = new
    return found


def instantiate(relation, target):
    """Copies of ``relation`` at every argument tuple its functions are applied to in ``target``.

    A relation stated for ``m(c, z)`` with symbol arguments holds for all ``c`` and ``z``; a
    statement about ``m(1/kappa, -x)`` uses its instance with ``c = 1/kappa, z = -x``.
    """
    pattern = [a for a in relation.atoms(AppliedUndef) if is_name(a)]
    # Without capture: a relation M(x) = Integral(x t, (t, 0, 1)) at M(t) renames its t.
    return [_binders.substitute(relation, mapping)
            for mapping in argument_maps(pattern, target.atoms(AppliedUndef))]


def argument_maps(pattern, applications):
    """``{argument: value}`` for each application in ``applications`` of a function of
    ``pattern`` (applied to its own symbol arguments, ``M(t)``) at other arguments (``M(-t)``).

    >>> import sympy as sp
    >>> t = sp.Symbol("t"); M = sp.Function("M")
    >>> argument_maps([M(t)], [M(-t), M(t), sp.Function("g")(1)])
    [{t: -t}]
    """
    return [dict(zip(general.args, specific.args))
            for general in pattern for specific in applications
            if specific.func == general.func and specific != general]


def implicit_symbols(steps):
    """Symbols that steps introduce by a :class:`~derive.notation.Meaning`, or as the root of an
    equation (a ``root`` step): known only through the relations stated about them, so numeric
    checks solve for them."""
    found = set()
    for step in steps:
        if step.kind == "root" and isinstance(step.rule.get("name"), sp.Symbol):
            found.add(step.rule["name"])  # the root of an equation (derive.rules.root)
            continue
        statement = step.statement
        if (isinstance(statement, sp.Equality) and isinstance(statement.lhs, sp.Symbol)
                and statement.rhs.atoms(Meaning)):
            found.add(statement.lhs)
    return found
