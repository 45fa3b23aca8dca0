"""The derivation: a named DAG of steps, built by a short sympy script.

>>> import sympy as sp
>>> from derive import Derivation
>>> a, b, s = sp.symbols("a b s", positive=True)
>>> D = Derivation("demo", title="Demo")
>>> D.define("s-def", sp.Eq(s, a + b))
Step 's-def' (definition)
>>> D.step("s-square", sp.Eq(s**2, a**2 + 2*a*b + b**2), uses=["s-def"])
Step 's-square' (algebra)
>>> [step.label for step in D]
['s-def', 's-square']

Rule verbs (:meth:`Derivation.solve`, :meth:`~Derivation.differentiate`,
:meth:`~Derivation.substitute`, :meth:`~Derivation.limit`, :meth:`~Derivation.series`) compute
their statement with sympy; the checker then verifies it like any other step, so a verb that
computed something wrong is caught, not trusted.
"""

from __future__ import annotations

import networkx as nx
import sympy as sp
from sympy.core.function import AppliedUndef

from . import bindings as _bindings
from .errors import DerivationError
from .notation import Meaning
from .step import DEFINITION, FACT, Step
from .budget import BudgetExceeded, cpu_limit

#: Seconds a rule verb may spend computing its statement (sympy solve, limit, series).
RULE_SECONDS = 30


class Quantity:
    """A named value a derivation exports for numeric evaluation (see :mod:`derive.lower`).

    A quantity evaluates steps, never a formula typed a second time.  ``expr`` is a name (a
    symbol, ``f(x, y)``, a derivative of one) that the step ``of`` binds, ``Eq(expr, value)``;
    ``uses`` are further steps whose bindings turn the value into a closed form in the
    ``parameters``.  ``implicit`` maps a symbol left in that closed form to the step whose own
    residual determines it: ``{eps: dict(step=LABEL, lower=..., upper=..., closed=[LABEL, ...])}``.
    ``lower`` and ``upper`` are a starting bracket for the root (the upper end is widened until
    the residual changes sign); each ``closed`` step gives the root in closed form where its
    conditions hold: a step ``Eq(eps, value)``, or a limit ``Eq(Limit(p, eps, point), c)`` of a
    parameter ``p``, which says that at ``p = c`` the root is ``point``.
    """

    def __init__(self, name, expr, parameters, uses=(), description="", implicit=None, of=None):
        self.name = name
        self.expr = sp.sympify(expr)
        self.parameters = tuple(parameters)
        self.uses = tuple(uses)
        self.description = description
        self.implicit = {symbol: dict(spec) for symbol, spec in (implicit or {}).items()}
        #: The label of the step whose binding ``expr = value`` the quantity evaluates.
        self.of = of

    def steps(self):
        """Every label the quantity cites: the value's step, its ``uses``, the steps its
        implicit unknowns are solved from and their closed forms."""
        labels = [self.of] if self.of else []
        labels += [u for u in self.uses if u not in labels]
        for spec in self.implicit.values():
            labels += [spec["step"]] + list(spec.get("closed", ()))
        return labels

    def __repr__(self):
        return f"Quantity({self.name!r})"


#: The keys of a quantity's ``implicit`` specification.
IMPLICIT_KEYS = ("step", "lower", "upper", "closed")


class Derivation:
    """A named, ordered DAG of :class:`~derive.step.Step` objects.

    Parameters
    ----------
    name : str
        The name on the command line (``derive check NAME``).
    title : str
        Title of the LaTeX document.
    cite : str
        The work the derivation reproduces, printed under the title.
    latex_names : dict
        Symbol name -> LaTeX, for names sympy would not print well (``{"e_icl": "e^{ICL}"}``).
    latex_subscripts : dict
        Function name -> number of leading arguments printed as a subscript (``{"M": 1}``
        prints ``M(kappa, x)`` as ``M_kappa(x)``).
    """

    def __init__(self, name, title="", cite="", description="", latex_names=None,
                 latex_subscripts=None):
        self.name = name
        self.latex_names = dict(latex_names or {})
        self.latex_subscripts = dict(latex_subscripts or {})
        self.title = title or name
        self.cite = cite
        self.description = description
        self.graph = nx.DiGraph()
        self._steps = {}
        self._order = None  # labels in validated derivation order; reset whenever a step is added
        #: Label -> name of the derivation that states the step (its own name, or an included one's).
        self.origin = {}
        self.parameters = {}
        self.quantities = {}
        #: Parameters that may be given as ``inf`` on the command line (``derive eval``).
        self.infinite_allowed = set()
        #: Parameter -> its value when left out on the command line: a number, or another
        #: parameter whose values it takes.
        self.defaults = {}
        #: Functions ``f(values)`` raising :class:`UsageError` for combinations of parameter
        #: values no formula covers (``tau = 1`` with ``lam = 0``).
        self.parameter_checks = []
        #: The model at finite size (:class:`derive.crosscheck.Simulator`), for ``derive mc``.
        self.simulator = None
        #: Figure name -> function ``(quick) -> derive.figures.Figure``, for ``derive figure``.
        self.figures = {}

    # -- container protocol -------------------------------------------------------------------
    def __getitem__(self, label):
        try:
            return self._steps[label]
        except KeyError:
            known = ", ".join(self._steps) or "none"
            raise DerivationError(f"no step '{label}' in derivation '{self.name}' (known: {known})")

    def __contains__(self, label):
        return label in self._steps

    def __iter__(self):
        return iter(self.ordered())

    def __len__(self):
        return len(self._steps)

    def __repr__(self):
        return f"Derivation({self.name!r}, {len(self)} steps)"

    # -- declaring names ----------------------------------------------------------------------
    def parameter(self, *symbols, description=""):
        """Declare free parameters, or unknown functions (``sympy.Function("f")``), with a
        one-line description for the LaTeX preamble."""
        for symbol in symbols:
            self.parameters[symbol] = description
        return symbols[0] if len(symbols) == 1 else symbols

    def quantity(self, name, expr, parameters, uses=(), description="", implicit=None):
        """Export a value under ``name`` for ``derive eval`` and :func:`derive.lower.lower_quantity`.

        ``expr`` is the label of the step whose binding ``Eq(name, value)`` is evaluated (or the
        bound name itself, with that step among ``uses``); see :class:`Quantity` for
        ``implicit``.  A label that is not a step, a value no cited step binds, or an implicit
        unknown given by an equation instead of a step is a build error.
        """
        uses = (uses,) if isinstance(uses, str) else tuple(uses)
        missing = [u for u in uses if u not in self._steps]
        if missing:
            raise DerivationError(f"quantity '{name}' uses unknown step '{missing[0]}'")
        of = None
        if isinstance(expr, str):
            if expr not in self._steps:
                raise DerivationError(f"quantity '{name}' evaluates unknown step '{expr}'")
            pair = _bindings.binding_of(self._steps[expr].statement)
            if pair is None:
                raise DerivationError(f"quantity '{name}': step '{expr}' does not read Eq(name, value)")
            of, expr = expr, pair[0]
            uses = (of,) + tuple(u for u in uses if u != of)
        else:
            expr = sp.sympify(expr)
            for label in uses:
                pair = _bindings.binding_of(self._steps[label].statement)
                if pair is not None and pair[0] == expr:
                    of = label
                    break
        implicit = dict(implicit or {})
        for symbol, spec in implicit.items():
            self._check_implicit(name, symbol, spec, parameters)
        self.quantities[name] = Quantity(name, expr, parameters, uses, description, implicit, of=of)
        return self.quantities[name]

    def _check_implicit(self, name, symbol, spec, parameters):
        """An implicit unknown is solved from a step's residual; its closed forms are steps."""
        unknown = sorted(set(spec) - set(IMPLICIT_KEYS))
        if unknown:
            hint = (" (the equation is the residual of the step named by step=)"
                    if "equation" in unknown else "")
            raise DerivationError(f"quantity '{name}': unknown key '{unknown[0]}' for {symbol}{hint}; "
                                  f"the keys are {', '.join(IMPLICIT_KEYS)}")
        label = spec.get("step")
        if label not in self._steps:
            raise DerivationError(f"quantity '{name}': {symbol} is solved from unknown step '{label}'")
        if symbol not in self._steps[label].residual.free_symbols:
            raise DerivationError(f"quantity '{name}': step '{label}' does not involve {symbol}")
        for closed in spec.get("closed", ()):
            if closed not in self._steps:
                raise DerivationError(f"quantity '{name}': unknown closed-form step '{closed}'")
            if closed_root(self._steps[closed], symbol, parameters) is None:
                raise DerivationError(
                    f"quantity '{name}': step '{closed}' gives no closed form for {symbol}: it should "
                    f"read Eq({symbol}, value), or Eq(Limit(p, {symbol}, point), c) for a parameter p")

    def include(self, other):
        """Reuse every step of ``other`` (with its parameters, LaTeX names and quantities).

        Labels are kept, so steps here cite the included ones by their own names; a label
        that exists on both sides is a build error.
        """
        for step in other.ordered():
            self._add(step)
            self.origin[step.label] = other.origin.get(step.label, other.name)
        for symbol, description in other.parameters.items():
            self.parameters.setdefault(symbol, description)
        for key, value in other.latex_names.items():
            self.latex_names.setdefault(key, value)
        for key, value in other.latex_subscripts.items():
            self.latex_subscripts.setdefault(key, value)
        for name, quantity in other.quantities.items():
            self.quantities.setdefault(name, quantity)
        return self

    # -- adding steps -------------------------------------------------------------------------
    def _add(self, step):
        if step.label in self._steps:
            raise DerivationError("a step with this label already exists", step.label)
        if step.statement in (sp.true, sp.false):
            raise DerivationError(
                f"sympy evaluated the statement to {step.statement} as it was built, so nothing is "
                "left to state; write Eq(lhs, rhs, evaluate=False) to keep it", step.label)
        if not isinstance(step.statement, (sp.Equality, sp.core.relational.Relational)):
            raise DerivationError(
                f"the statement must be a sympy relation such as Eq(lhs, rhs), got {type(step.statement).__name__}",
                step.label)
        self._check_bound_once(step)
        self._steps[step.label] = step
        self.origin.setdefault(step.label, self.name)
        self._order = None
        self.graph.add_node(step.label)
        for premise in step.uses:
            self.graph.add_edge(premise, step.label)
        return step

    def _check_bound_once(self, step):
        """A name is given a value once.  Two definitions of one name would let the checker
        substitute either, and so prove anything; so would a closed-form definition and a
        solved root.  A name defined by its meaning (or through other unknown functions, as
        ``M(kappa, x) = m(1/kappa, -x)``) may be solved for: the solve step is checked."""
        if step.kind != DEFINITION and not step.binds:
            return
        key = _name_key(step.statement.lhs)
        for other in self._steps.values():
            if (other.kind != DEFINITION and not other.binds) or not isinstance(other.statement, sp.Equality):
                continue
            other_key = _name_key(other.statement.lhs)
            if other_key != key and not _determines(other_key, key) and not _determines(key, other_key):
                continue
            closed = other.kind == DEFINITION and other.binds and not other.statement.rhs.atoms(AppliedUndef)
            if step.kind == DEFINITION or closed:
                raise DerivationError(
                    f"{step.statement.lhs} is already given a value by '{other.label}'; a name is defined "
                    "once (use a new name, or state the second value as a step that follows)", step.label)

    def define(self, label, statement, *, uses=(), explanation="", ref=""):
        """Introduce notation: ``statement`` is ``Eq(name, value)``; later steps may substitute it.

        A definition whose left side is not a name (a symbol, or ``f(x, y)`` with distinct symbol
        arguments) is a build error.  Definitions are not proved; their free symbols become
        declared names.
        """
        opaque = isinstance(statement, sp.Equality) and statement.rhs.atoms(Meaning)
        if _bindings.binding_of(statement) is None and not opaque:
            raise DerivationError(
                "a definition must read Eq(name, value) with a symbol or f(x, ...) on the left, "
                "not occurring on the right", label)
        return self._add(Step(label, statement, DEFINITION, tuple(uses), explanation=explanation,
                              ref=ref, binds=not opaque))

    def step(self, label, statement, *, uses=(), conditions=(), explanation="", ref=""):
        """State an exact consequence of the premises ``uses`` (checked symbolically or numerically)."""
        return self._add(Step(label, statement, "algebra", tuple(uses), tuple(conditions),
                              explanation, ref))

    def fact(self, label, statement, *, check=None, uses=(), conditions=(), explanation="", ref=""):
        """State an asymptotic fact; ``check`` is the simulation that tests it.

        Without a ``check`` the fact is reported as unverified.
        """
        return self._add(Step(label, statement, FACT, tuple(uses), tuple(conditions), explanation,
                              ref, check=check))

    def solve(self, label, premise, name, *, branch=(), form=None, conditions=(), explanation="",
              ref=""):
        """Solve the premise equation for ``name`` and state ``Eq(name, root)``.

        The roots come from ``sympy.solve``; ``branch`` conditions (see :mod:`derive.branch`)
        pick the one meant.  Give ``form`` to state the root in a form of your choosing (for
        instance with ``sqrt(z - a)*sqrt(z - b)``, whose branch cut is the spectrum); the checker
        then verifies that ``form`` is a root and satisfies the branch conditions.
        """
        source = self[premise]
        if form is None:
            form = self._choose_root(label, source, name, branch, conditions)
        statement = sp.Eq(name, form)
        return self._add(Step(label, statement, "solve", (premise,), tuple(conditions), explanation,
                              ref, binds=True, rule={"name": name, "branch": tuple(branch)}))

    def _choose_root(self, label, source, name, branch, conditions):
        from .branch import select

        try:
            with cpu_limit(RULE_SECONDS):
                roots = sp.solve(source.residual, name, dict=False)
        except (BudgetExceeded, NotImplementedError) as exc:
            raise DerivationError(f"sympy could not solve for {name} ({exc}); give form=", label)
        if not roots:
            raise DerivationError(f"'{source.label}' has no root in {name}", label)
        if len(roots) == 1 and not branch:
            return roots[0]
        if not branch:
            raise DerivationError(f"{len(roots)} roots for {name}; give branch= conditions or form=",
                                  label)
        chosen, _ = select(name, roots, branch, conditions)
        if len(chosen) != 1:
            raise DerivationError(
                f"the branch conditions leave {len(chosen)} of {len(roots)} roots for {name}; "
                "give form= with the branch written out", label)
        return chosen[0]

    def transform(self, label, premise, statement, *, change, explanation="", ref=""):
        """State the curve that a change of variables carries the premise's curve to.

        ``premise`` states ``P(f(u), u) = 0`` for one function ``f``; ``change`` is
        ``(g(v), phi, chi)``: the new function's value ``g(v) = phi`` at ``v = chi``, both in
        terms of ``f(u)`` and ``u``; ``statement`` is ``Eq(Q(g(v), v), 0)``.  It follows when
        ``Q(phi, chi)`` vanishes on the premise's curve, which the checker decides exactly
        (pseudo-remainder by ``P``).  This is how Stieltjes, R- and S-transforms, scalings,
        shifts and inverses move between curves (:mod:`derive.rmt.algebraic`).
        """
        new, value, variable = change
        return self._add(Step(label, statement, "transform", (premise,), (), explanation, ref,
                              rule={"new": new, "value": value, "variable": variable}))

    def convolution(self, label, curves, theorem, statement, *, starts, means_from=(), explanation="", ref=""):
        """State the curve of a free convolution, eliminated from its operands' transform curves.

        ``curves`` are the labels of ``P_a(t_a(w), w) = 0`` and ``P_b(t_b(w), w) = 0`` for the
        operands' R-transforms (a free sum) or S-transforms (a free product); ``theorem`` is the
        label of ``t(w) = t_a(w) + t_b(w)`` or ``t(w) = t_a(w) t_b(w)``; ``statement`` is
        ``Eq(F(t(w), w), 0)``.  ``starts`` are ``t_a(0), t_b(0)`` (the mean, or one over it),
        which ``means_from`` (the operands' Stieltjes curves) let the checker confirm.  The
        checker verifies that ``F`` divides the resultant and vanishes on the power series of
        the combined branch to an order that no other factor can reach (Bezout).
        """
        return self._add(Step(label, statement, "convolution", (*curves, theorem, *means_from), (),
                              explanation, ref, rule={"starts": tuple(starts), "curves": tuple(curves),
                                                      "theorem": theorem, "means_from": tuple(means_from)}))

    def differentiate(self, label, premise, wrt, *, explanation="", ref=""):
        """Differentiate both sides of the premise with respect to ``wrt``."""
        source = self[premise].statement
        statement = sp.Eq(sp.diff(source.lhs, wrt), sp.diff(source.rhs, wrt))
        return self._add(Step(label, statement, "differentiate", (premise,), self[premise].conditions,
                              explanation, ref, rule={"wrt": wrt}))

    def substitute(self, label, into, using, *, simplify=None, explanation="", ref=""):
        """Replace in premise ``into`` every name bound by the steps ``using``.

        ``simplify`` (a function such as ``sympy.factor``) is applied to both sides afterwards.
        """
        using = (using,) if isinstance(using, str) else tuple(using)
        table = []
        for u in using:
            pair = _bindings.binding_of(self[u].statement)
            if pair is None:
                raise DerivationError(f"'{u}' is not of the form name = value, so it cannot be substituted",
                                      label)
            table.append(pair)
        source = self[into]
        lhs = _bindings.substitute(source.statement.lhs, table)
        rhs = _bindings.substitute(source.statement.rhs, table)
        if simplify is not None:
            lhs, rhs = simplify(lhs), simplify(rhs)
        return self._add(Step(label, sp.Eq(lhs, rhs), "substitute", (into,) + using, source.conditions,
                              explanation, ref))

    def limit(self, label, expr, var, point, *, uses=(), value=None, conditions=(), direction="+",
              explanation="", ref=""):
        """State ``Eq(Limit(expr, var, point), value)``, computing ``value`` with sympy if not given."""
        if value is None:
            closed = _bindings.substitute(expr, self.bindings(uses))
            try:
                with cpu_limit(RULE_SECONDS):
                    value = sp.simplify(sp.limit(closed, var, point, direction))
            except (BudgetExceeded, NotImplementedError, ValueError) as exc:
                raise DerivationError(f"sympy could not compute the limit ({exc}); give value=", label)
        statement = sp.Eq(sp.Limit(expr, var, point, direction), value)
        return self._add(Step(label, statement, "limit", tuple(uses), tuple(conditions), explanation,
                              ref, rule={"var": var, "point": point}))

    def series(self, label, expr, var, point, order, *, uses=(), form=None, conditions=(),
               explanation="", ref=""):
        """State ``Eq(expr, series)``: the expansion of ``expr`` about ``point`` to ``O(var**order)``.

        At ``point = oo`` the remainder is ``O(var**-order)``.  ``form`` states the expansion in a
        form of your choosing (for instance with coefficients written as sums); it is checked.
        """
        if form is None:
            closed = _bindings.substitute(expr, self.bindings(uses))
            try:
                with cpu_limit(RULE_SECONDS):
                    form = sp.series(closed, var, point, order)
            except (BudgetExceeded, NotImplementedError, ValueError) as exc:
                raise DerivationError(f"sympy could not expand ({exc}); give form=", label)
        statement = sp.Eq(expr, form, evaluate=False)
        return self._add(Step(label, statement, "series", tuple(uses), tuple(conditions), explanation,
                              ref, rule={"var": var, "point": point, "order": order}))

    # -- reading the graph --------------------------------------------------------------------
    def ordered(self):
        """Steps in an order where every premise comes before its uses (insertion order otherwise).

        Validated and computed once, until the next step is added.
        """
        if self._order is None:
            self.validate()
            position = {label: i for i, label in enumerate(self._steps)}
            labels = nx.lexicographical_topological_sort(self.graph, key=position.__getitem__)
            self._order = list(labels)
        return [self._steps[label] for label in self._order]

    def replaced(self, step):
        """A copy of this derivation with ``step`` in place of the step of the same label (its
        premise edges rewired); this derivation is not changed."""
        import copy

        if step.label not in self._steps:
            raise DerivationError(f"no step '{step.label}' to replace", step.label)
        clone = copy.copy(self)
        clone._steps = dict(self._steps)
        clone._steps[step.label] = step
        clone._order = None
        clone.graph = self.graph.copy()
        clone.graph.remove_edges_from([(p, step.label) for p in set(self[step.label].uses)])
        clone.graph.add_edges_from((p, step.label) for p in step.uses)
        return clone

    def own_labels(self):
        """Labels of the steps this derivation states itself, not through ``include``."""
        return [step.label for step in self.ordered() if self.origin[step.label] == self.name]

    def ancestors(self, label):
        """Every step ``label`` depends on, directly or not, in derivation order."""
        found = nx.ancestors(self.graph, label)
        return [step for step in self.ordered() if step.label in found]

    def bindings(self, uses):
        """``(name, value)`` pairs available to a step citing ``uses``.

        Definitions and solved closed forms anywhere above the cited steps bind; a cited
        premise of the form ``name = value`` binds too.  When several bind the same name, the
        one latest in derivation order comes first (and :func:`derive.bindings.substitute` uses
        the first).
        """
        return [(name, value) for _, name, value in self.binding_steps(uses)]

    def binding_steps(self, uses):
        """:meth:`bindings` with the label of the step each pair comes from: ``(label, name, value)``."""
        labels = set(uses)
        for label in uses:
            if label in self.graph:
                labels |= nx.ancestors(self.graph, label)
        table = []
        # Nearest first: a name's solved closed form, established after its definition,
        # is the one substituted (the definition stays true, but leads back to notation).
        for step in reversed(self.ordered()):
            if step.label not in labels:
                continue
            if step.binds or step.label in uses:
                pair = _bindings.binding_of(step.statement)
                if pair is not None:
                    table.append((step.label, *pair))
        return table

    def validate(self):
        """Raise :class:`DerivationError` naming the step for a missing premise, a cycle, or an
        undeclared symbol."""
        for step in self._steps.values():
            for premise in step.uses:
                if premise not in self._steps:
                    raise DerivationError(f"uses '{premise}', which is not a step of '{self.name}'",
                                          step.label)
        try:
            cycle = nx.find_cycle(self.graph)
        except nx.NetworkXNoCycle:
            cycle = None
        if cycle:
            path = " -> ".join([edge[0] for edge in cycle] + [cycle[0][0]])
            raise DerivationError(f"the premises form a cycle: {path}", cycle[0][1])
        self._check_declared()

    def _check_declared(self):
        declared = set(self.parameters)
        introduced = {}
        for label in nx.topological_sort(self.graph):
            step = self._steps[label]
            if step.kind in (DEFINITION, FACT):
                introduced[label] = step.symbols()
                continue
            known = set(declared)
            for ancestor in nx.ancestors(self.graph, label):
                known |= introduced.get(ancestor, set())
            unknown = step.symbols() - known - _rule_symbols(step)
            if unknown:
                names = ", ".join(sorted(str(s) for s in unknown))
                noun = "symbol" if len(unknown) == 1 else "symbols"
                raise DerivationError(
                    f"undeclared {noun} {names}: in no premise or definition; cite the step that "
                    "introduces it or declare it with Derivation.parameter()", label)
            introduced[label] = step.symbols()


def _rule_symbols(step):
    """Symbols a rule itself introduces: the variable of a limit or series, the new function
    and its variable of a change of variables."""
    found = set()
    for key in ("var", "wrt"):
        if key in step.rule:
            found |= sp.sympify(step.rule[key]).free_symbols
    if "new" in step.rule:
        found |= step.rule["new"].free_symbols | {step.rule["new"].func}
    return found


def closed_root(step, unknown, parameters):
    """``(value, when)``: the root ``unknown`` in closed form that ``step`` states, and where.

    ``Eq(unknown, value)`` gives ``value`` where the step's conditions hold; a limit
    ``Eq(Limit(p, unknown, point), c)`` of a parameter ``p`` gives ``point`` where ``p = c`` and
    the conditions hold (as ``unknown`` tends to ``point`` the parameter tends to ``c``: at
    ``p = c`` the root is the limit point).  ``None`` when the step states neither.
    """
    statement = step.statement
    conditions = list(step.conditions)
    if not isinstance(statement, sp.Equality):
        return None
    if statement.lhs == unknown and unknown not in statement.rhs.free_symbols:
        return statement.rhs, sp.And(*conditions)
    lhs = statement.lhs
    if (isinstance(lhs, sp.Limit) and lhs.args[0] in tuple(parameters) and lhs.args[1] == unknown
            and unknown not in statement.rhs.free_symbols):
        return lhs.args[2], sp.And(sp.Eq(lhs.args[0], statement.rhs), *conditions)
    return None


def _name_key(name):
    """What a binding of ``name`` gives a value to: a symbol, a function, a derivative of one."""
    if isinstance(name, AppliedUndef):
        return name.func
    if isinstance(name, sp.Derivative) and isinstance(name.expr, AppliedUndef):
        return (name.expr.func, tuple(name.expr.args.index(v) if v in name.expr.args else v
                                      for v, _ in name.variable_count),
                tuple(n for _, n in name.variable_count))
    return name


def _determines(key, other):
    """A function's value determines its derivatives, and a derivative those of higher order:
    defining both gives two values."""
    if not isinstance(other, tuple):
        return False
    if not isinstance(key, tuple):
        return other[0] == key
    return (key[0] == other[0] and key[1] == other[1]
            and all(a <= b for a, b in zip(key[2], other[2])) and key[2] != other[2])


def function_heads(expr):
    """Undefined function heads (``M`` in ``M(kappa, x)``) in ``expr``."""
    return {f.func for f in expr.atoms(AppliedUndef)}
