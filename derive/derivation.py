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

The verbs (``define``, ``step``, ``fact``, ``solve``, ``root``, ``differentiate``, ``substitute``,
``limit``, ``series``, ``transform``, ``convolution``) are given to :class:`Derivation` by the
rules that own them (:mod:`derive.rules`).  Those that compute their statement with sympy (a
root, a limit, a series) are checked like any other step, so a verb that computed something
wrong is caught, not trusted.
"""

from __future__ import annotations

import networkx as nx
import sympy as sp
from sympy.core.function import AppliedUndef

from . import bindings as _bindings
from .errors import DerivationError
from .notation import Meaning
from .step import DEFINITION, FACT


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

    A family of solutions written in a parameter ``w`` (a step ``Eq(name, value(w))`` for each
    member) is evaluated at the member a parameter picks with ``equals``:
    ``{w: dict(step=LABEL, equals=expr)}`` solves ``value(w) = expr`` (an expression in the
    quantity's parameters), not the step's residual.  This claims nothing: it chooses the
    member whose ``name`` takes the value asked for.

    ``range`` is ``(low, high)`` (either None for unbounded; closed ends): the values the
    quantity can take, an error ``(0, None)``.  A value outside it is an internal error of the
    evaluation, never a number printed (:meth:`derive.lower.Lowered.evaluate`).
    """

    range = None  # also for a quantity pickled before quantities declared one

    def __init__(self, name, expr, parameters, uses=(), description="", implicit=None, of=None, range=None):
        self.name = name
        self.expr = sp.sympify(expr)
        self.parameters = tuple(parameters)
        self.uses = tuple(uses)
        self.description = description
        self.implicit = {symbol: dict(spec) for symbol, spec in (implicit or {}).items()}
        #: The label of the step whose binding ``expr = value`` the quantity evaluates.
        self.of = of
        self.range = _value_range(name, range)

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


def _value_range(name, bounds):
    """``(low, high)`` as floats (or None), checked: ``low <= high``."""
    if bounds is None:
        return None
    try:
        low, high = (None if b is None else float(b) for b in bounds)
    except (TypeError, ValueError):
        raise DerivationError(f"quantity '{name}': range must be (low, high), numbers or None, "
                              f"got {bounds!r}") from None
    if low is not None and high is not None and not low <= high:
        raise DerivationError(f"quantity '{name}': range ({low:g}, {high:g}) is empty")
    return low, high


#: The keys of a quantity's ``implicit`` specification.
IMPLICIT_KEYS = ("step", "lower", "upper", "closed", "equals")


def _caller_file():
    """The file of the innermost frame outside derive: the one that is making a derivation (a
    paper's module, a user's file run by ``derive check``, a test); none from a notebook cell."""
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    frame = sys._getframe(1)
    while frame is not None:
        file = frame.f_code.co_filename
        if not os.path.abspath(file).startswith(here + os.sep) and not file.startswith("<"):
            return (file,)
        if file.startswith("<") and not file.startswith("<frozen"):
            return ()  # a notebook cell or exec'd string: no file to follow
        frame = frame.f_back
    return ()


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

    sources = ()  # also for a derivation pickled before derivations recorded their files

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
        #: Step label -> the number of the paper's equation it is (``"12"``, ``"C.16"``).
        self.equation_numbers = {}
        #: The source files that state the steps (the file that made this derivation, and those
        #: of the derivations it includes): every step's cache key covers them and the local
        #: modules they import (:func:`derive.check.cache.step_keys`).
        self.sources = _caller_file()

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

    def _repr_latex_(self):
        """Every step as one row of a table, its label, kind and statement in the derivation's
        notation (Jupyter shows it)."""
        import re

        from .latex import DocumentWriter, equation_label

        writer = DocumentWriter(self)
        steps = self.ordered()
        text = lambda words: r"\text{" + re.sub(r"[{}\\$^_%&#~]", " ", words) + "}" if words else ""
        label = lambda name: r"\mathtt{" + name.replace("_", r"\_") + "}"
        labels = {equation_label(step.label): step.label for step in steps}
        cite = lambda match: label(labels.get(match.group(1), match.group(1)))
        rows = []
        for step in steps:
            statement = re.sub(r"\\eqref\{([^}]*)\}", cite, writer.statement(step))
            rows.append(f"{label(step.label)} & {text(step.kind)} & \\displaystyle {statement}")
        heading = f"{self.name}: {self.title}" if self.title != self.name else self.name
        title = "".join(part[1:-1] if len(part) > 1 and part.startswith("$") and part.endswith("$")
                        else text(part) for part in re.split(r"(\$[^$]*\$)", heading))
        body = " \\\\\n".join(rows)
        return (f"$$\\begin{{array}}{{l}}\n{title} \\\\\n\\begin{{array}}{{lll}}\n\\hline\n{body}\n"
                "\\end{array}\n\\end{array}$$")

    # -- declaring names ----------------------------------------------------------------------
    def parameter(self, *symbols, description=""):
        """Declare free parameters, or unknown functions (``sympy.Function("f")``), with a
        one-line description for the LaTeX preamble."""
        for symbol in symbols:
            self.parameters[symbol] = description
        return symbols[0] if len(symbols) == 1 else symbols

    def quantity(self, name, expr, parameters, uses=(), description="", implicit=None, range=None):
        """Export a value under ``name`` for ``derive eval`` and :func:`derive.lower.lower_quantity`.

        ``expr`` is the label of the step whose binding ``Eq(name, value)`` is evaluated (or the
        bound name itself, with that step among ``uses``), or of a ``root`` step, whose root is
        evaluated; a name defined as a root in the value is solved for first
        (:func:`derive.lower.root_solvers`); see :class:`Quantity` for
        ``implicit`` and ``range`` (the values it can take: ``(0, None)`` for an error).  A
        label that is not a step, a value no cited step binds, or an implicit unknown given by
        an equation instead of a step is a build error.
        """
        uses = (uses,) if isinstance(uses, str) else tuple(uses)
        missing = [u for u in uses if u not in self._steps]
        if missing:
            raise DerivationError(f"quantity '{name}' uses unknown step '{missing[0]}'")
        of = None
        if isinstance(expr, str):
            if expr not in self._steps:
                raise DerivationError(f"quantity '{name}' evaluates unknown step '{expr}'")
            source = self._steps[expr]
            # a root step names its root: the quantity is the root itself (derive.rules.root)
            pair = ((source.rule["name"],) * 2 if source.kind == "root"
                    else _bindings.binding_of(source.statement))
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
        self.quantities[name] = Quantity(name, expr, parameters, uses, description, implicit, of=of,
                                         range=range)
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
        if "equals" not in spec:
            if symbol not in self._steps[label].residual.free_symbols:
                raise DerivationError(f"quantity '{name}': step '{label}' does not involve {symbol}")
        else:
            # the step's name may reach the symbol through the bindings only:
            # derive.lower.implicit_root checks the closed form
            if _bindings.binding_of(self._steps[label].statement) is None:
                raise DerivationError(f"quantity '{name}': with equals=, step '{label}' must read Eq(name, value)")
            stray = sp.sympify(spec["equals"]).free_symbols - set(parameters)
            if stray:
                raise DerivationError(f"quantity '{name}': equals= for {symbol} depends on "
                                      f"{sorted(map(str, stray))[0]}, which is not a parameter")
        for closed in spec.get("closed", ()):
            if closed not in self._steps:
                raise DerivationError(f"quantity '{name}': unknown closed-form step '{closed}'")
            if closed_root(self._steps[closed], symbol, parameters) is None:
                raise DerivationError(
                    f"quantity '{name}': step '{closed}' gives no closed form for {symbol}: it should "
                    f"read Eq({symbol}, value), or Eq(Limit(p, {symbol}, point), c) for a parameter p")

    def number(self, label, equation):
        """Say that step ``label`` is the paper's equation ``equation`` (``"12"``, ``"C.16"``):
        ``derive latex --paper`` then numbers it as the paper does (``\\tag``).  Numbers are
        the derivation's own paper's: an included derivation's are not carried over."""
        self[label]  # a build error naming the label when there is no such step
        equation = str(equation).strip()
        if not equation:
            raise DerivationError("an equation number must not be empty", label)
        taken = [other for other, n in self.equation_numbers.items() if n == equation and other != label]
        if taken:
            raise DerivationError(f"equation ({equation}) is already step '{taken[0]}'", label)
        self.equation_numbers[label] = equation
        return label

    def include(self, other):
        """Reuse every step of ``other`` (with its parameters, LaTeX names and quantities).

        Labels are kept, so steps here cite the included ones by their own names; a label
        that exists on both sides is a build error.
        """
        for step in other.ordered():
            self._add(step)
            self.origin[step.label] = other.origin.get(step.label, other.name)
        self.sources = tuple(dict.fromkeys((*self.sources, *other.sources)))
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
    # The verbs (define, step, fact, solve, root, differentiate, substitute, limit, series,
    # transform, convolution) are given to this class by the rules that own them (:mod:`derive.rules`).
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
        if step.kind != DEFINITION and step.statement.atoms(Meaning):
            raise DerivationError(
                "a Meaning has no value to compute with, so it may only be the right side of a "
                "definition: define a name for it (Eq(m(z), Meaning(...))) and state the step for "
                "that name", step.label)
        self._check_bound_once(step)
        # The step prints itself (Jupyter) in this derivation's notation: the dicts are shared,
        # so names added later (include) are seen too.  Private: no fingerprint reads it.
        object.__setattr__(step, "_notation", (self.latex_names, self.latex_subscripts))
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
            # a name defined as the root of an equation (derive.rules.root) is given no second value
            # (a solve of its equation is checked, and may state its closed form)
            if step.kind == DEFINITION and other.kind == "root" and _name_key(other.rule["name"]) == key:
                raise DerivationError(f"{step.statement.lhs} is the root defined by '{other.label}'; a name is "
                                      "defined once (state its value as a step that follows)", step.label)
        if step.kind == DEFINITION and step.binds:
            # A step whose rule names a ``new`` function (a transform) introduced it with a curve:
            # a value given afterwards would be used beside that curve.
            for other in self._steps.values():
                new = other.rule.get("new") if isinstance(other.rule, dict) else None
                if isinstance(new, AppliedUndef) and new.func == key:
                    raise DerivationError(
                        f"{step.statement.lhs} was introduced by '{other.label}' with a curve; a name is introduced "
                        "once (use a new name)", step.label)
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
            from .rules import rule_for

            unknown = step.symbols() - known - rule_for(step.kind).introduces(step)
            if unknown:
                names = ", ".join(sorted(str(s) for s in unknown))
                noun = "symbol" if len(unknown) == 1 else "symbols"
                raise DerivationError(
                    f"undeclared {noun} {names}: in no premise or definition; cite the step that "
                    "introduces it or declare it with Derivation.parameter()", label)
            introduced[label] = step.symbols()


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
